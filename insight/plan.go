package insight

import (
	"fmt"
	"math"
	"time"

	"upskill"
)

// Plan is an organisation's digital workforce plan on one framework: by a
// date, the share of its staff who should have reached their role's
// target in each domain.
type Plan struct {
	StartsAt time.Time
	DueAt    time.Time
	Domains  []PlanDomain
}

// PlanDomain is the plan for one domain. Target and Baseline are
// percentages of the staff who submitted in the year; Baseline is where
// the domain stood when the plan was set.
type PlanDomain struct {
	Code     string
	Target   int
	Baseline float64
}

// Longest a plan may run, so that a mistyped year is caught.
const MaxPlanYears = 10

// Check says what is wrong with a plan set now: a due date in the past or
// too far ahead, or a target that is not a percentage. Fields are named
// as the plan's form names them: "due_day" and "target_<code>".
func (p *Plan) Check(now time.Time) error {
	var probs upskill.Problems
	switch {
	case p.DueAt.IsZero():
		probs.Add("due_day", "Enter the date the plan is due, like 31 3 2028")
	case !p.DueAt.After(now):
		probs.Add("due_day", "The date the plan is due must be in the future")
	case p.DueAt.After(now.AddDate(MaxPlanYears, 0, 0)):
		probs.Add("due_day", fmt.Sprintf("The date the plan is due must be within %d years", MaxPlanYears))
	}
	for _, d := range p.Domains {
		if d.Target < 1 || d.Target > 100 {
			probs.Add("target_"+d.Code, "Enter the share to reach as a whole number from 1 to 100")
		}
	}
	return probs.Err()
}

// Expected returns the share a domain should have reached by a time, on a
// straight line from its baseline when the plan was set to its target
// when it is due.
func (p *Plan) Expected(d PlanDomain, at time.Time) float64 {
	span := p.DueAt.Sub(p.StartsAt)
	if span <= 0 || !at.Before(p.DueAt) {
		return float64(d.Target)
	}
	if !at.After(p.StartsAt) {
		return d.Baseline
	}
	done := float64(at.Sub(p.StartsAt)) / float64(span)
	return math.Round((d.Baseline+(float64(d.Target)-d.Baseline)*done)*10) / 10
}

// Domain returns the plan for a domain, if there is one.
func (p *Plan) Domain(code string) (PlanDomain, bool) {
	if p == nil {
		return PlanDomain{}, false
	}
	for _, d := range p.Domains {
		if d.Code == code {
			return d, true
		}
	}
	return PlanDomain{}, false
}
