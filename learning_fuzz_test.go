package upskill_test

import (
	"slices"
	"strconv"
	"testing"

	"upskill"
)

// FuzzLessonQuestionCheck builds a question from the fuzzer's numbers (how
// many options, which are right, whether several may be chosen) and a
// learner's selection from its bytes, each read as a signed position so
// that negative and out-of-range choices come up, and checks what marking
// relies on:
//
//   - Check and SelectionProblem never panic;
//   - Check is true only for exactly the right options, each once, and,
//     for a question an author could save (one Validate accepts), only
//     when SelectionProblem finds nothing wrong;
//   - SelectionProblem finds nothing wrong exactly when the selection has
//     a proper shape: at least one option, only one unless the question
//     takes several, each on the list and none twice;
//   - neither depends on the order in which options were selected.
func FuzzLessonQuestionCheck(f *testing.F) {
	f.Add(uint8(3), uint16(0b010), false, []byte{1})
	f.Add(uint8(3), uint16(0b010), false, []byte{1, 2})
	f.Add(uint8(3), uint16(0b101), true, []byte{2, 0})
	f.Add(uint8(3), uint16(0b101), true, []byte{0, 0, 2})
	f.Add(uint8(2), uint16(0b01), false, []byte{0xff})
	f.Add(uint8(8), uint16(0xff), true, []byte{7, 6, 5, 4, 3, 2, 1, 0})
	f.Add(uint8(2), uint16(0b11), false, []byte{0, 1})
	f.Add(uint8(0), uint16(0), false, []byte{})
	f.Fuzz(func(t *testing.T, options uint8, correct uint16, multiple bool, picked []byte) {
		q := upskill.LessonQuestion{Prompt: "Which of these?", Multiple: multiple}
		// Up to two more options than an author may give, to cover
		// questions Validate refuses.
		for k := range int(options) % (upskill.MaxQuestionOptions + 3) {
			q.Options = append(q.Options, upskill.LessonOption{Text: "Option " + strconv.Itoa(k+1), Correct: correct&(1<<k) != 0})
		}
		var selected []int
		for _, b := range picked {
			selected = append(selected, int(int8(b)))
		}

		right := q.Check(selected)
		problem := q.SelectionProblem(selected)

		seen := map[int]bool{}
		proper := len(selected) > 0 && (q.Multiple || len(selected) == 1)
		for _, i := range selected {
			if i < 0 || i >= len(q.Options) || seen[i] {
				proper = false
			}
			seen[i] = true
		}
		exact := len(seen) == len(selected)
		for k, o := range q.Options {
			exact = exact && seen[k] == o.Correct
		}
		for i := range seen {
			exact = exact && i >= 0 && i < len(q.Options)
		}

		if right && !exact {
			t.Errorf("%v: Check accepted %v, which is not exactly the right options", describe(q), selected)
		}
		if exact && len(selected) > 0 && !right {
			t.Errorf("%v: Check refused %v, which is exactly the right options", describe(q), selected)
		}
		if right && problem != "" && saveable(q) {
			t.Errorf("%v: Check accepted %v, but SelectionProblem says %q", describe(q), selected, problem)
		}
		if proper && problem != "" {
			t.Errorf("%v: SelectionProblem says %q of the proper selection %v", describe(q), problem, selected)
		}
		if !proper && problem == "" {
			t.Errorf("%v: SelectionProblem found nothing wrong with %v", describe(q), selected)
		}

		for _, other := range reorderings(selected) {
			if got := q.Check(other); got != right {
				t.Errorf("%v: Check(%v) = %v but Check(%v) = %v", describe(q), other, got, selected, right)
			}
			if got := q.SelectionProblem(other); got != problem {
				t.Errorf("%v: SelectionProblem(%v) = %q but SelectionProblem(%v) = %q", describe(q), other, got, selected, problem)
			}
		}
	})
}

// saveable reports whether an author could save the question: whether
// Validate accepts a lesson page holding it.
func saveable(q upskill.LessonQuestion) bool {
	v := &upskill.ContentVersion{Title: "A lesson", Format: upskill.FormatLesson,
		Pages: []upskill.LessonPage{{Title: "A page", Questions: []upskill.LessonQuestion{q}}}}
	return v.Validate() == nil
}

// reorderings returns the selection reversed, sorted and rotated by one.
func reorderings(selected []int) [][]int {
	reversed := slices.Clone(selected)
	slices.Reverse(reversed)
	sorted := slices.Clone(selected)
	slices.Sort(sorted)
	var rotated []int
	if len(selected) > 0 {
		rotated = append(slices.Clone(selected[1:]), selected[0])
	}
	return [][]int{reversed, sorted, rotated}
}

// describe writes a question as the test reports it: its options, right
// ones marked, and whether several may be chosen.
func describe(q upskill.LessonQuestion) string {
	s := "single"
	if q.Multiple {
		s = "multiple"
	}
	s += " ["
	for k, o := range q.Options {
		if k > 0 {
			s += " "
		}
		if o.Correct {
			s += "*"
		}
		s += strconv.Itoa(k)
	}
	return s + "]"
}
