package upskill_test

import (
	"strings"
	"testing"
	"time"

	"upskill"
)

func TestGaps(t *testing.T) {
	v := &upskill.FrameworkVersion{Levels: make([]upskill.FrameworkLevel, 4), Domains: []upskill.Domain{{Code: "1", Capabilities: []upskill.Capability{
		{ID: 1, Code: "1.1", Statement: "I lock my screen", Type: upskill.QuestionScale},
		{ID: 2, Code: "1.2", Statement: "I spot phishing", Type: upskill.QuestionLevels},
		{ID: 3, Code: "1.3", Statement: "I use a password manager", Type: upskill.QuestionYesNo},
		{ID: 4, Code: "1.4", Statement: "I back up my work", Type: upskill.QuestionScale},
	}}}}
	gaps := upskill.Gaps(v, []upskill.Answer{
		{CapabilityID: 1, Now: 6, Needed: 8}, {CapabilityID: 2, Now: 1, Needed: 3}, {CapabilityID: 3, Now: 0, Needed: 1},
		{CapabilityID: 4, Now: 9, Needed: 7}, {CapabilityID: 99, Now: 0, Needed: 10},
	})
	var codes []string
	for _, g := range gaps {
		codes = append(codes, g.Code)
	}
	if strings.Join(codes, " ") != "1.3 1.2 1.1" {
		t.Fatalf("gaps in order %v, want 1.3 (10 points) 1.2 (5) 1.1 (2)", codes)
	}
}

func TestRecommend(t *testing.T) {
	levels := []upskill.FrameworkLevel{{Number: 1, Name: "Aware"}, {Number: 2, Name: "Practising"}, {Number: 3, Name: "Confident"}, {Number: 4, Name: "Leading"}}
	gaps := []upskill.Gap{
		{Code: "1.1", Statement: "I lock my screen", Now: 2, Needed: 8},      // level 0 of 4, needs 4
		{Code: "2.1", Statement: "I find a record", Now: 5, Needed: 7.5},     // level 2, needs 3
		{Code: "3.1", Statement: "I write a clear email", Now: 4, Needed: 8}, // level 1, needs 4
	}
	lesson := func(id int64, minutes int, maps ...upskill.ContentMapping) upskill.Candidate {
		return upskill.Candidate{ItemID: id, Title: "Item", Format: upskill.FormatLesson, Minutes: minutes, Mappings: maps}
	}
	m := func(code string, level int) upskill.ContentMapping {
		return upskill.ContentMapping{FrameworkID: 1, CapabilityCode: code, Level: level}
	}
	ids := func(rs []upskill.Recommendation) []int64 {
		var out []int64
		for _, r := range rs {
			out = append(out, r.ItemID)
		}
		return out
	}
	same := func(got, want []int64) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	cases := []struct {
		name string
		in   upskill.RecommendInput
		want []int64
	}{
		{"bigger gap first", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 10, m("2.1", 3)), lesson(2, 10, m("1.1", 2))}}, []int64{2, 1}},
		{"a level that fits beats one that goes over old ground", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 10, m("2.1", 2)), lesson(2, 10, m("2.1", 3))}}, []int64{2, 1}},
		{"shorter first when all else is equal", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 120, m("1.1", 2)), lesson(2, 15, m("1.1", 2))}}, []int64{2, 1}},
		{"ties keep a fixed order", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(2, 15, m("1.1", 2)), lesson(1, 15, m("1.1", 2))}}, []int64{1, 2}},
		{"covering a second gap adds", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 10, m("1.1", 2)), lesson(2, 10, m("1.1", 2), m("2.1", 3))}}, []int64{2, 1}},
		{"mandatory comes first", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 10, m("1.1", 2)), {ItemID: 2, Minutes: 10, Mandatory: true, Mappings: []upskill.ContentMapping{m("2.1", 2)}}}}, []int64{2, 1}},
		{"completed since the assessment is left out", upskill.RecommendInput{Candidates: []upskill.Candidate{{ItemID: 1, Completed: true, Mappings: []upskill.ContentMapping{m("1.1", 2)}}, lesson(2, 10, m("2.1", 3))}}, []int64{2}},
		{"no gap, no recommendation", upskill.RecommendInput{Candidates: []upskill.Candidate{lesson(1, 10, m("9.9", 2))}}, nil},
		{"a gap already addressed counts for half", upskill.RecommendInput{Addressed: map[string]bool{"1.1": true}, Candidates: []upskill.Candidate{lesson(1, 10, m("1.1", 2)), lesson(2, 10, m("3.1", 2))}}, []int64{2, 1}},
		{"another audience counts for half", upskill.RecommendInput{StaffGroup: "admin_clerical", Candidates: []upskill.Candidate{{ItemID: 1, Minutes: 10, Audience: upskill.Audience{StaffGroups: []upskill.StaffGroup{"medical_dental"}}, Mappings: []upskill.ContentMapping{m("1.1", 2)}}, lesson(2, 10, m("3.1", 2))}}, []int64{2, 1}},
		{"the limit", upskill.RecommendInput{Limit: 1, Candidates: []upskill.Candidate{lesson(1, 10, m("2.1", 3)), lesson(2, 10, m("1.1", 2))}}, []int64{2}},
	}
	for _, c := range cases {
		c.in.Gaps, c.in.Levels = gaps, levels
		got := upskill.Recommend(c.in)
		if !same(ids(got), c.want) {
			t.Errorf("%s: got %v, want %v", c.name, ids(got), c.want)
		}
		// The same input always gives the same ranking.
		if again := upskill.Recommend(c.in); !same(ids(again), ids(got)) {
			t.Errorf("%s: not deterministic", c.name)
		}
	}

	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	got := upskill.Recommend(upskill.RecommendInput{Gaps: gaps, Levels: levels, Candidates: []upskill.Candidate{
		{ItemID: 1, Minutes: 10, Mandatory: true, DueAt: due, PeersCompleted: 12, Mappings: []upskill.ContentMapping{m("1.1", 3)}},
		{ItemID: 2, Minutes: 10, PeersCompleted: 4, Mappings: []upskill.ContentMapping{m("2.1", 3)}},
	}})
	want := `Your organisation has made this learning mandatory, due by 1 December 2026. You rated "I lock my screen" 2 out of 10, and your role needs 8. This learning takes you to Confident. 12 people in your organisation have completed it.`
	if got[0].Reason != want {
		t.Fatalf("reason:\n%s\nwant\n%s", got[0].Reason, want)
	}
	if strings.Contains(got[1].Reason, "people in your organisation") || !strings.Contains(got[1].Reason, "7.5") {
		t.Fatalf("fewer than five colleagues are not mentioned, and ratings keep their half: %s", got[1].Reason)
	}
}
