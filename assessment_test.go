package upskill

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// sampleVersion is a small framework with every question type: domain A
// rates on the 0 to 10 scale, B by levels and by yes or no.
func sampleVersion() *FrameworkVersion {
	return &FrameworkVersion{
		Title:  "Sample",
		Levels: []FrameworkLevel{{1, "Starting", ""}, {2, "Growing", ""}, {3, "Confident", ""}, {4, "Leading", ""}},
		Bands:  []Band{{"Developing", 0, ""}, {"Capable", 4, ""}, {"Proficient", 7, ""}},
		Domains: []Domain{
			{Code: "A", Name: "Alpha", Capabilities: []Capability{
				{ID: 1, Code: "A.1", Statement: "one", Type: QuestionScale},
				{ID: 2, Code: "A.2", Statement: "two", Type: QuestionScale},
				{ID: 3, Code: "A.3", Statement: "three", Type: QuestionScale},
			}},
			{Code: "B", Name: "Beta", Capabilities: []Capability{
				{ID: 4, Code: "B.1", Statement: "four", Type: QuestionLevels, Descriptors: []string{"a", "b", "c", "d"}},
				{ID: 5, Code: "B.2", Statement: "five", Type: QuestionYesNo},
			}},
		},
		Questions: []CheckQuestion{
			{ID: 11, Code: "A.Q1", DomainCode: "A", Kind: QuestionSingle, Prompt: "p", Explanation: "e",
				Options: []CheckOption{{ID: 101, Text: "x", Correct: true}, {ID: 102, Text: "y"}}},
			{ID: 12, Code: "A.Q2", DomainCode: "A", Kind: QuestionMultiple, Prompt: "p", Explanation: "e",
				Options: []CheckOption{{ID: 103, Text: "x", Correct: true}, {ID: 104, Text: "y", Correct: true}, {ID: 105, Text: "z"}}},
		},
	}
}

func TestScore(t *testing.T) {
	v := sampleVersion()
	cases := []struct {
		name    string
		answers []Answer
		checks  []CheckAnswer
		check   func(t *testing.T, r Report)
	}{
		{"nothing answered", nil, nil, func(t *testing.T, r Report) {
			if r.Answered != 0 || r.Total != 5 || r.Band != "" || r.Domains[0].Band != "" || r.Now != 0 {
				t.Fatalf("%+v", r)
			}
		}},
		{"means, gaps and bands on the scale", []Answer{{1, 3, 7}, {2, 8, 6}, {3, 4, 4}}, nil, func(t *testing.T, r Report) {
			a := r.Domains[0]
			// now (3+8+4)/3 = 5, needed (7+6+4)/3 = 5.67, gaps (4+0+0)/3 = 1.33
			if a.Now != 5 || a.Needed != 5.7 || a.Gap != 1.3 || a.Band != "Capable" || a.Answered != 3 {
				t.Fatalf("%+v", a)
			}
			if b := r.Domains[1]; b.Answered != 0 || b.Band != "" {
				t.Fatalf("%+v", b)
			}
		}},
		{"levels and yes or no on the same scale", []Answer{{4, 2, 4}, {5, 1, 1}}, nil, func(t *testing.T, r Report) {
			b := r.Domains[1]
			// level 2 of 4 is 5, level 4 is 10, yes is 10
			if b.Now != 7.5 || b.Needed != 10 || b.Gap != 2.5 || b.Band != "Proficient" {
				t.Fatalf("%+v", b)
			}
		}},
		{"a level answer of none is 0", []Answer{{4, 0, 3}, {5, 0, 1}}, nil, func(t *testing.T, r Report) {
			b := r.Domains[1]
			if b.Now != 0 || b.Needed != 8.8 || b.Band != "Developing" {
				t.Fatalf("%+v", b)
			}
		}},
		{"over-confidence", []Answer{{1, 9, 9}, {2, 8, 8}}, []CheckAnswer{{11, []int64{102}}, {12, []int64{103}}}, func(t *testing.T, r Report) {
			a := r.Domains[0]
			if a.ChecksCorrect != 0 || a.ChecksAnswered != 2 || a.ChecksTotal != 2 || a.CheckScore != 0 || a.Calibration != CalibrationOver {
				t.Fatalf("%+v", a)
			}
		}},
		{"under-confidence", []Answer{{1, 2, 9}, {2, 3, 8}}, []CheckAnswer{{11, []int64{101}}, {12, []int64{104, 103}}}, func(t *testing.T, r Report) {
			a := r.Domains[0]
			if a.ChecksCorrect != 2 || a.CheckScore != 10 || a.Calibration != CalibrationUnder {
				t.Fatalf("%+v", a)
			}
		}},
		{"matched, with one check unanswered", []Answer{{1, 9, 9}}, []CheckAnswer{{11, []int64{101}}}, func(t *testing.T, r Report) {
			a := r.Domains[0]
			if a.ChecksAnswered != 1 || a.CheckScore != 10 || a.Calibration != CalibrationMatched {
				t.Fatalf("%+v", a)
			}
		}},
		{"checks without ratings say nothing of calibration", nil, []CheckAnswer{{11, []int64{101}}}, func(t *testing.T, r Report) {
			if a := r.Domains[0]; a.Calibration != CalibrationNone || a.CheckScore != 10 {
				t.Fatalf("%+v", a)
			}
		}},
		{"strengths and development areas", []Answer{{1, 9, 7}, {2, 7, 7}, {3, 2, 8}, {4, 1, 4}, {5, 1, 1}}, nil, func(t *testing.T, r Report) {
			var s, d []string
			for _, c := range r.Strengths {
				s = append(s, c.Code)
			}
			for _, c := range r.Development {
				d = append(d, c.Code)
			}
			// Strengths by rating, ties in framework order; gaps largest first.
			if strings.Join(s, ",") != "B.2,A.1,A.2" || strings.Join(d, ",") != "B.1,A.3" {
				t.Fatalf("strengths %v, development %v", s, d)
			}
			if r.Development[0].Gap != 7.5 || r.Development[1].Gap != 6 {
				t.Fatalf("gaps %+v", r.Development)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, Score(v, c.answers, c.checks))
		})
	}
}

// TestScoreIsDeterministic checks that the order answers arrive in makes
// no difference to the report.
func TestScoreIsDeterministic(t *testing.T) {
	v := sampleVersion()
	answers := []Answer{{1, 3, 9}, {2, 9, 4}, {3, 5, 5}, {4, 3, 3}, {5, 0, 1}}
	checks := []CheckAnswer{{11, []int64{101}}, {12, []int64{105, 103}}}
	want := Score(v, answers, checks)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		r.Shuffle(len(answers), func(i, j int) { answers[i], answers[j] = answers[j], answers[i] })
		r.Shuffle(len(checks), func(i, j int) { checks[i], checks[j] = checks[j], checks[i] })
		if got := Score(v, answers, checks); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled answers gave another report:\n%+v\n%+v", got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	v := sampleVersion()
	before := Score(v, []Answer{{1, 3, 7}, {2, 3, 7}}, nil)
	after := Score(v, []Answer{{1, 6, 7}, {2, 5, 7}, {4, 2, 3}}, nil)
	changes := Compare(before, after)
	if len(changes) != 2 || !changes[0].Comparable || changes[0].Change != 2.5 || changes[0].Before != 3 || changes[0].After != 5.5 {
		t.Fatalf("%+v", changes)
	}
	if changes[1].Comparable {
		t.Fatalf("a domain rated only later was compared: %+v", changes[1])
	}
}

func TestAnswerProblem(t *testing.T) {
	v := sampleVersion()
	v.Levels = v.Levels[:4]
	for _, c := range []struct {
		a     Answer
		field string
	}{
		{Answer{1, 0, 10}, ""},
		{Answer{1, 11, 5}, "now"},
		{Answer{1, 5, -1}, "needed"},
		{Answer{4, 4, 4}, ""},
		{Answer{4, 5, 4}, "now"},
		{Answer{5, 1, 2}, "needed"},
		{Answer{99, 1, 1}, "capability"},
	} {
		if field, _ := AnswerProblem(v, c.a); field != c.field {
			t.Errorf("AnswerProblem(%+v) = %q, want %q", c.a, field, c.field)
		}
	}
	q := v.Question(11)
	if CheckAnswerProblem(q, nil) == "" || CheckAnswerProblem(q, []int64{101, 102}) == "" || CheckAnswerProblem(q, []int64{999}) == "" || CheckAnswerProblem(q, []int64{102}) != "" {
		t.Fatal("CheckAnswerProblem is wrong")
	}
}

func TestValidateVersion(t *testing.T) {
	if err := sampleVersion().Validate(); err != nil {
		t.Fatalf("the sample is refused: %v", ErrorFields(err))
	}
	v := sampleVersion()
	v.Bands[1].Min = 0
	v.Domains[0].Capabilities[1].Code = "A.1"
	v.Domains[1].Capabilities[0].Descriptors = []string{"only one"}
	v.Domains[1].Capabilities[1].Type = "essay"
	v.Questions[0].Options[1].Correct = true
	v.Questions[1].DomainCode = "Z"
	err := v.Validate()
	got := map[string]bool{}
	for _, f := range ErrorFields(err) {
		got[f.Field] = true
	}
	for _, want := range []string{"bands[1].min", "domains[0].capabilities[1].code", "domains[1].capabilities[0].descriptors",
		"domains[1].capabilities[1].type", "questions[0].options", "questions[1].domain"} {
		if !got[want] {
			t.Errorf("no problem reported at %s; got %v", want, ErrorFields(err))
		}
	}
}

func TestCompareVersions(t *testing.T) {
	old := sampleVersion()
	if c := CompareVersions(old, sampleVersion()); !c.None() {
		t.Fatalf("a version differs from itself: %+v", c)
	}
	v := sampleVersion()
	v.Domains[0].Capabilities[1].Statement = "two, reworded"
	v.Domains[1].Capabilities[0].Descriptors = []string{"a", "b", "c", "e"}
	v.Domains[1].Capabilities = v.Domains[1].Capabilities[:1] // B.2 goes
	v.Domains[0].Capabilities = append(v.Domains[0].Capabilities, Capability{Code: "A.4", Statement: "new", Type: QuestionScale})
	c := CompareVersions(old, v)
	want := VersionChanges{Added: []string{"A.4"}, Removed: []string{"B.2"}, Changed: []string{"A.2", "B.1"}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("changes = %+v, want %+v", c, want)
	}
	v = sampleVersion()
	v.Bands[1].Min = 5
	if c := CompareVersions(old, v); !c.Scale || c.None() {
		t.Fatalf("a moved band boundary was not noticed: %+v", c)
	}
}

func TestForLearnersHidesAnswers(t *testing.T) {
	v := sampleVersion()
	l := v.ForLearners()
	for _, q := range l.Questions {
		if q.Explanation != "" {
			t.Errorf("%s keeps its explanation", q.Code)
		}
		for _, o := range q.Options {
			if o.Correct {
				t.Errorf("%s shows a right answer", q.Code)
			}
		}
	}
	if !v.Questions[0].Options[0].Correct || v.Questions[0].Explanation == "" {
		t.Fatal("ForLearners changed the version it copied")
	}
}

func TestTargetReached(t *testing.T) {
	cases := []struct {
		name string
		d    DomainResult
		want bool
	}{
		{"every statement at or above what is needed", DomainResult{Total: 3, Answered: 3, Now: 7, Needed: 6}, true},
		{"checks agree", DomainResult{Total: 3, Answered: 3, Now: 7, Needed: 6, Calibration: CalibrationMatched}, true},
		{"checks say they undersell themselves", DomainResult{Total: 3, Answered: 3, Now: 7, Needed: 6, Calibration: CalibrationUnder}, true},
		{"one statement short", DomainResult{Total: 3, Answered: 3, Now: 7, Needed: 6, Gap: 0.3, Below: 1}, false},
		{"one statement short by too little to show in the mean", DomainResult{Total: 30, Answered: 30, Now: 7, Needed: 6, Gap: 0, Below: 1}, false},
		{"checks say they overrate themselves", DomainResult{Total: 3, Answered: 3, Now: 9, Needed: 6, Calibration: CalibrationOver}, false},
		{"a statement unanswered", DomainResult{Total: 3, Answered: 2, Now: 8, Needed: 6}, false},
		{"no target", DomainResult{Total: 3, Answered: 3, Now: 8, Needed: 0}, false},
		{"an empty domain", DomainResult{}, false},
	}
	for _, c := range cases {
		if got := c.d.TargetReached(); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Through Score: domain A meets its targets, B falls short on one.
	v := sampleVersion()
	r := Score(v, []Answer{
		{CapabilityID: 1, Now: 8, Needed: 6}, {CapabilityID: 2, Now: 7, Needed: 7}, {CapabilityID: 3, Now: 9, Needed: 5},
		{CapabilityID: 4, Now: 3, Needed: 3}, {CapabilityID: 5, Now: 0, Needed: 1},
	}, nil)
	if got := r.DomainsReached(); len(got) != 1 || got[0].Code != "A" {
		t.Fatalf("domains reached: %+v", got)
	}
}
