package insight

import (
	"testing"
	"time"

	"upskill"
)

func TestPlanCheck(t *testing.T) {
	now := time.Date(2026, time.June, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		plan  Plan
		field string
	}{
		{"no date", Plan{Domains: []PlanDomain{{Code: "1", Target: 50}}}, "due_day"},
		{"in the past", Plan{DueAt: now.AddDate(0, 0, -1), Domains: []PlanDomain{{Code: "1", Target: 50}}}, "due_day"},
		{"too far ahead", Plan{DueAt: now.AddDate(11, 0, 0), Domains: []PlanDomain{{Code: "1", Target: 50}}}, "due_day"},
		{"over 100", Plan{DueAt: now.AddDate(1, 0, 0), Domains: []PlanDomain{{Code: "1", Target: 101}}}, "target_1"},
		{"none", Plan{DueAt: now.AddDate(1, 0, 0), Domains: []PlanDomain{{Code: "2", Target: 0}}}, "target_2"},
		{"good", Plan{DueAt: now.AddDate(1, 0, 0), Domains: []PlanDomain{{Code: "1", Target: 100}}}, ""},
	} {
		err := tc.plan.Check(now)
		var got string
		if fields := upskill.ErrorFields(err); len(fields) > 0 {
			got = fields[0].Field
		}
		if got != tc.field {
			t.Errorf("%s: problem with %q (%v), want %q", tc.name, got, err, tc.field)
		}
	}
	p := Plan{StartsAt: now, DueAt: now.AddDate(2, 0, 0)}
	d := PlanDomain{Code: "1", Target: 80, Baseline: 20}
	if got := p.Expected(d, now.AddDate(-1, 0, 0)); got != 20 {
		t.Errorf("before the start: %v", got)
	}
	if got := p.Expected(d, now.AddDate(3, 0, 0)); got != 80 {
		t.Errorf("after it is due: %v", got)
	}
}

// The share of those below target who have done learning since is a
// figure about the people below: shown only when there are k of them.
func TestLearnedNeedsKBelow(t *testing.T) {
	for below, want := range map[int64]bool{0: false, 1: false, 4: false, 5: true, 12: true} {
		if got := (DomainFigures{People: 20, Below: below, Learned: 1}).LearnedShown(5); got != want {
			t.Errorf("%d below: shown %v, want %v", below, got, want)
		}
	}
}
