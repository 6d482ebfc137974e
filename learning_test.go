package upskill_test

import (
	"strings"
	"testing"

	"upskill"
)

func TestLessonQuestionCheck(t *testing.T) {
	single := upskill.LessonQuestion{Prompt: "Which?", Options: []upskill.LessonOption{{Text: "A"}, {Text: "B", Correct: true}, {Text: "C"}}}
	multiple := upskill.LessonQuestion{Prompt: "Which?", Multiple: true,
		Options: []upskill.LessonOption{{Text: "A", Correct: true}, {Text: "B"}, {Text: "C", Correct: true}}}
	cases := []struct {
		name     string
		q        upskill.LessonQuestion
		selected []int
		right    bool
		problem  string
	}{
		{"single right", single, []int{1}, true, ""},
		{"single wrong", single, []int{0}, false, ""},
		{"single nothing", single, nil, false, "Select an answer"},
		{"single two", single, []int{1, 2}, false, "Select only one answer"},
		{"out of range", single, []int{3}, false, "Select answers from the list"},
		{"negative", single, []int{-1}, false, "Select answers from the list"},
		{"multiple right in any order", multiple, []int{2, 0}, true, ""},
		{"multiple missing one", multiple, []int{0}, false, ""},
		{"multiple one too many", multiple, []int{0, 1, 2}, false, ""},
		{"multiple repeated", multiple, []int{0, 0, 2}, false, "Select answers from the list"},
		{"multiple nothing", multiple, []int{}, false, "Select at least one answer"},
	}
	for _, c := range cases {
		if got := c.q.Check(c.selected); got != c.right {
			t.Errorf("%s: Check = %v, want %v", c.name, got, c.right)
		}
		if got := c.q.SelectionProblem(c.selected); got != c.problem {
			t.Errorf("%s: SelectionProblem = %q, want %q", c.name, got, c.problem)
		}
	}
}

func goodLesson() *upskill.ContentVersion {
	return &upskill.ContentVersion{
		Title: "Sharing information safely", Summary: "When and how to share a patient's information.", Format: upskill.FormatLesson, Minutes: 15,
		Mappings: []upskill.ContentMapping{{FrameworkID: 1, CapabilityCode: "1.2", Level: 2}},
		Pages: []upskill.LessonPage{{Title: "The basics", Body: "Share only what the person needs.", Questions: []upskill.LessonQuestion{
			{Prompt: "Who needs to know?", Options: []upskill.LessonOption{{Text: "The care team", Correct: true}, {Text: "Anyone who asks"}}},
		}}},
		PassMark: 80,
	}
}

func TestContentVersionValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(v *upskill.ContentVersion)
		field string // "" when valid
	}{
		{"good", func(v *upskill.ContentVersion) {}, ""},
		{"no title", func(v *upskill.ContentVersion) { v.Title = "  " }, "title"},
		{"long title", func(v *upskill.ContentVersion) { v.Title = strings.Repeat("a", 151) }, "title"},
		{"unknown format", func(v *upskill.ContentVersion) { v.Format = "scroll" }, "format"},
		{"too long", func(v *upskill.ContentVersion) { v.Minutes = 601 }, "minutes"},
		{"unknown staff group", func(v *upskill.ContentVersion) { v.Audience.StaffGroups = []upskill.StaffGroup{"pilots"} }, "audience"},
		{"mapping without level", func(v *upskill.ContentVersion) { v.Mappings[0].Level = 0 }, "mappings"},
		{"pass mark over 100", func(v *upskill.ContentVersion) { v.PassMark = 101 }, "pass_mark"},
		{"page without title", func(v *upskill.ContentVersion) { v.Pages[0].Title = "" }, "pages.0.title"},
		{"video not https", func(v *upskill.ContentVersion) { v.Pages[0].VideoURL = "javascript:alert(1)" }, "pages.0.video_url"},
		{"video with password", func(v *upskill.ContentVersion) { v.Pages[0].VideoURL = "https://a:b@video.example.org/x" }, "pages.0.video_url"},
		{"question without prompt", func(v *upskill.ContentVersion) { v.Pages[0].Questions[0].Prompt = "" }, "pages.0.questions.0.prompt"},
		{"one option", func(v *upskill.ContentVersion) { v.Pages[0].Questions[0].Options = v.Pages[0].Questions[0].Options[:1] }, "pages.0.questions.0.options"},
		{"no right option", func(v *upskill.ContentVersion) { v.Pages[0].Questions[0].Options[0].Correct = false }, "pages.0.questions.0.options"},
		{"two right in single", func(v *upskill.ContentVersion) { v.Pages[0].Questions[0].Options[1].Correct = true }, "pages.0.questions.0.options"},
		{"link not https", func(v *upskill.ContentVersion) { v.Format, v.LinkURL = upskill.FormatLink, "http://example.org" }, "link_url"},
	}
	for _, c := range cases {
		v := goodLesson()
		c.edit(v)
		err := v.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		found := false
		for _, f := range upskill.ErrorFields(err) {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%s: fields %+v, want a problem with %s", c.name, upskill.ErrorFields(err), c.field)
		}
	}
}

func TestReadyToPublish(t *testing.T) {
	v := goodLesson()
	if err := v.ReadyToPublish(); err != nil {
		t.Fatal(err)
	}
	v.Pages = nil
	if f := upskill.ErrorFields(v.ReadyToPublish()); len(f) == 0 || f[0].Field != "pages" {
		t.Fatalf("a lesson with no pages: %+v", f)
	}
	v = goodLesson()
	v.Mappings = nil
	if upskill.ErrorFields(v.ReadyToPublish()) == nil {
		t.Fatal("published without a mapping")
	}
	link := &upskill.ContentVersion{Title: "A course", Summary: "Elsewhere.", Format: upskill.FormatLink, Minutes: 30,
		Mappings: goodLesson().Mappings}
	if f := upskill.ErrorFields(link.ReadyToPublish()); len(f) != 1 || f[0].Field != "link_url" {
		t.Fatalf("a link without an address: %+v", f)
	}
}

func TestCompletionProblem(t *testing.T) {
	v := goodLesson()
	v.Pages = append(v.Pages, upskill.LessonPage{Title: "More"})
	if p := v.CompletionProblem([]bool{true}, upskill.LessonResult{Right: 1, Questions: 1}); p == "" {
		t.Fatal("completed without seeing every page")
	}
	if p := v.CompletionProblem([]bool{true, true}, upskill.LessonResult{Right: 0, Questions: 1}); !strings.Contains(p, "80%") {
		t.Fatalf("below the pass mark: %q", p)
	}
	if p := v.CompletionProblem([]bool{true, true}, upskill.LessonResult{Right: 1, Questions: 1}); p != "" {
		t.Fatalf("complete: %q", p)
	}
	v.PassMark = 0
	if p := v.CompletionProblem([]bool{true, true}, upskill.LessonResult{}); p != "" {
		t.Fatalf("no pass mark: %q", p)
	}
}
