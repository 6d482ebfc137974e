package upskill

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// This file ranks learning for a person from the gaps their latest
// assessment showed, as a pure function: the store gathers the candidates,
// and the same inputs always give the same ranking.

// Gap is a statement a person rated below where their role needs them.
type Gap struct {
	Code      string
	Statement string
	Now       float64 // on the 0 to 10 scale
	Needed    float64
}

// Gaps lists the statements of an attempt's answers that fall short of
// what is needed, largest gap first.
func Gaps(v *FrameworkVersion, answers []Answer) []Gap {
	levels := len(v.Levels)
	var out []Gap
	for _, a := range answers {
		_, c := v.Capability(a.CapabilityID)
		if c == nil {
			continue
		}
		now, needed := c.Rating(a.Now, levels), c.Rating(a.Needed, levels)
		if needed > now {
			out = append(out, Gap{Code: c.Code, Statement: c.Statement, Now: now, Needed: needed})
		}
	}
	slices.SortStableFunc(out, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Needed-b.Now, a.Needed-a.Now), strings.Compare(a.Code, b.Code))
	})
	return out
}

// Candidate is published learning mapped to at least one of a person's
// gaps, with what the ranking weighs.
type Candidate struct {
	ItemID    int64
	VersionID int64 // the published version
	Title     string
	Summary   string
	Format    ContentFormat
	Minutes   int
	OwnerName string
	National  bool
	Audience  Audience
	Mappings  []ContentMapping // to the framework of the gaps
	// Mandatory learning assigned to the person, and when it is due.
	Mandatory bool
	DueAt     time.Time
	// Started is set when the person has it in progress; Completed when
	// they have completed it since the assessment.
	Started, Completed bool
	// PeersCompleted is how many people of the person's organisation have
	// completed it.
	PeersCompleted int
}

// Recommendation is a candidate with its place and the reason for it.
type Recommendation struct {
	Candidate
	Score  float64
	Reason string
	// Gap is the statement the reason names.
	Gap Gap
}

// PeersShown is the fewest colleagues' completions a reason mentions, so
// that no one's learning can be picked out.
const PeersShown = 5

// RecommendInput is what Recommend weighs.
type RecommendInput struct {
	Gaps       []Gap
	Levels     []FrameworkLevel
	Candidates []Candidate
	// Addressed holds the statements the person has completed learning
	// for since the assessment: their gaps count for half.
	Addressed  map[string]bool
	StaffGroup StaffGroup
	JobRole    string
	Limit      int
}

// Recommend ranks the candidates. For each, the gap it serves best counts
// most (its size, and how well the learning's level fits between where the
// person is and where they need to be), other gaps it serves add a little,
// shorter learning is preferred, mandatory learning comes first, learning
// colleagues have completed is nudged up and learning written for another
// audience down. Learning completed since the assessment is left out.
func Recommend(in RecommendInput) []Recommendation {
	gaps := map[string]Gap{}
	for _, g := range in.Gaps {
		gaps[g.Code] = g
	}
	levels := len(in.Levels)
	// Candidates are scored in place and only those kept are copied out:
	// a national catalogue gives thousands.
	type scored struct {
		c     *Candidate
		score float64
		gap   Gap
	}
	var ranked []scored
	for i := range in.Candidates {
		c := &in.Candidates[i]
		if c.Completed {
			continue
		}
		best, bestGap, others := 0.0, Gap{}, 0.0
		for _, m := range c.Mappings {
			g, ok := gaps[m.CapabilityCode]
			if !ok {
				continue
			}
			v := (g.Needed - g.Now) * levelFit(g, m.Level, levels)
			if in.Addressed[g.Code] {
				v /= 2
			}
			switch {
			case v > best || (v == best && bestGap.Code == ""):
				others += best
				best, bestGap = v, g
			default:
				others += v
			}
		}
		if bestGap.Code == "" {
			continue
		}
		score := best + others/4
		score *= 1 - float64(min(max(c.Minutes, 0), 240))/480
		if !c.Audience.For(in.StaffGroup, in.JobRole) {
			score /= 2
		}
		score += float64(min(c.PeersCompleted, 50)) / 50
		if c.Mandatory {
			score += 10
		}
		ranked = append(ranked, scored{c: c, score: math.Round(score*1000) / 1000, gap: bestGap})
	}
	// Items are unique, so the order is total and an unstable sort gives
	// the same ranking every time.
	slices.SortFunc(ranked, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.c.Minutes, b.c.Minutes), cmp.Compare(a.c.ItemID, b.c.ItemID))
	})
	if in.Limit > 0 && len(ranked) > in.Limit {
		ranked = ranked[:in.Limit]
	}
	out := make([]Recommendation, len(ranked))
	for i, r := range ranked {
		out[i] = Recommendation{Candidate: *r.c, Score: r.score, Gap: r.gap, Reason: reason(*r.c, r.gap, in.Levels)}
	}
	return out
}

// levelFit says how well learning that takes people to level fits a gap:
// best when it is above where the person is and no higher than where they
// need to be, less when it goes over ground they have, or beyond.
func levelFit(g Gap, level, levels int) float64 {
	if levels == 0 {
		return 1
	}
	now := int(math.Floor(g.Now * float64(levels) / ScaleMax))
	needed := int(math.Ceil(g.Needed * float64(levels) / ScaleMax))
	switch {
	case level > now && level <= needed:
		return 1
	case level <= now:
		return 0.6
	}
	return 0.5
}

// reason says in a sentence why the learning was picked.
func reason(c Candidate, g Gap, levels []FrameworkLevel) string {
	var b strings.Builder
	if c.Mandatory {
		b.WriteString("Your organisation has made this learning mandatory")
		if !c.DueAt.IsZero() {
			b.WriteString(", due by " + c.DueAt.Format("2 January 2006"))
		}
		b.WriteString(". ")
	}
	fmt.Fprintf(&b, "You rated %q %s out of 10, and your role needs %s.", g.Statement, rating(g.Now), rating(g.Needed))
	for _, m := range c.Mappings {
		if m.CapabilityCode == g.Code && m.Level >= 1 && m.Level <= len(levels) {
			fmt.Fprintf(&b, " This learning takes you to %s.", levels[m.Level-1].Name)
		}
	}
	if c.PeersCompleted >= PeersShown {
		fmt.Fprintf(&b, " %d people in your organisation have completed it.", c.PeersCompleted)
	}
	return b.String()
}

// rating writes a score without a needless decimal.
func rating(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}
