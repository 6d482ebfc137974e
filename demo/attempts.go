package demo

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"upskill"
)

// This file makes the staff's attempts at the assessment: three yearly
// cycles on the default framework, with ratings shaped by staff group, job
// and seniority. The figures are plausible shapes, not statistics.

// Cycles open on these days, a year apart, each organisation starting its
// own within a few weeks of it. The dates are fixed so that the data does
// not depend on the day it is made.
var cycleOpens = [...]time.Time{
	time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC),
	time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
}

// cycleShares are the shares of staff in post who submit an attempt in
// each cycle: taking part grows as the assessment becomes routine.
var cycleShares = [len(cycleOpens)]float64{0.60, 0.75, 0.85}

const (
	// inProgressShare of staff are part way through the last cycle's
	// attempt rather than having submitted it.
	inProgressShare = 0.05
	// takingPartTogether is how strongly a person's taking part in one
	// cycle goes with taking part in the others: the keen take part every
	// year, others now and then.
	takingPartTogether = 0.6
	// inPostBefore is how long before a cycle opens a person must have
	// joined to be asked to take part.
	inPostBefore = 30 * 24 * time.Hour
)

// skillProfile is where a staff group stands, on average, in each domain
// of the default framework (by position: 1 digital identity, wellbeing,
// safety and security; 2 communication; 3 teaching and learning; 4
// technical proficiency; 5 information, data and content; 6 creation,
// innovation and research), with how widely people differ, and where its
// jobs need them to be.
type skillProfile struct {
	skill  [6]float64
	spread float64
	needed [6]float64
}

var skillProfiles = map[upskill.StaffGroup]skillProfile{
	"medical_dental":       {[6]float64{5.6, 5.7, 5.6, 5.4, 6.5, 6.3}, 1.2, [6]float64{7.5, 7.5, 7.0, 6.5, 8.0, 7.5}},
	"nursing_midwifery":    {[6]float64{5.2, 5.4, 5.1, 4.6, 4.9, 4.2}, 1.3, [6]float64{7.5, 7.5, 6.5, 6.0, 7.0, 5.5}},
	"allied_health":        {[6]float64{5.4, 5.5, 5.3, 6.0, 6.0, 4.9}, 1.2, [6]float64{7.5, 7.0, 6.5, 7.0, 7.0, 6.0}},
	"healthcare_science":   {[6]float64{5.6, 5.2, 5.2, 6.1, 6.3, 5.7}, 1.2, [6]float64{7.5, 7.0, 6.5, 7.5, 8.0, 7.0}},
	"scientific_technical": {[6]float64{5.5, 5.2, 5.1, 5.9, 6.0, 5.1}, 1.2, [6]float64{7.5, 7.0, 6.5, 7.0, 7.5, 6.5}},
	"clinical_support":     {[6]float64{4.4, 4.6, 4.2, 3.9, 3.8, 3.2}, 1.5, [6]float64{7.0, 6.5, 5.5, 5.5, 5.5, 4.0}},
	"admin_clerical":       {[6]float64{5.6, 5.6, 4.8, 6.4, 6.2, 4.4}, 1.3, [6]float64{7.5, 7.0, 5.5, 7.5, 7.5, 5.0}},
	"estates_ancillary":    {[6]float64{3.9, 4.1, 3.5, 3.8, 3.3, 2.7}, 1.6, [6]float64{6.5, 5.5, 4.5, 5.0, 4.5, 3.5}},
	"students":             {[6]float64{4.9, 5.1, 4.8, 5.0, 3.6, 3.3}, 1.4, [6]float64{7.0, 6.5, 6.5, 6.0, 6.0, 5.0}},
	"care_direct":          {[6]float64{3.6, 4.0, 3.4, 3.2, 3.0, 2.4}, 1.9, [6]float64{6.5, 6.0, 5.0, 5.0, 5.0, 3.5}},
	"care_management":      {[6]float64{5.0, 5.2, 4.6, 4.8, 5.1, 3.8}, 1.4, [6]float64{7.5, 7.0, 6.5, 6.5, 7.0, 5.5}},
	"care_regulated":       {[6]float64{5.1, 5.2, 4.9, 4.5, 4.9, 4.1}, 1.3, [6]float64{7.5, 7.0, 6.5, 6.0, 7.0, 5.5}},
	"care_other":           {[6]float64{4.4, 4.6, 4.0, 4.4, 4.2, 3.2}, 1.6, [6]float64{6.5, 6.0, 5.0, 5.5, 5.5, 4.0}},
}

// Seniority (a job's rank) tells most in teaching and learning, in
// information and in research: senior staff teach, manage information and
// lead change, and their jobs need it.
var (
	senioritySkill  = [6]float64{0.2, 0.2, 0.45, 0.15, 0.45, 0.45}
	seniorityNeeded = [6]float64{0.25, 0.3, 0.5, 0.25, 0.5, 0.55}
	// Digital jobs are more skilled in, and need more of, the technical
	// domains.
	digitalSkill  = [6]float64{0.8, 0.4, 0.4, 1.8, 1.5, 1.0}
	digitalNeeded = [6]float64{0.8, 0.3, 0.3, 2.0, 1.8, 1.2}
)

// digitalJobs are the jobs whose work is digital.
var digitalJobs = map[job]bool{
	serviceDesk: true, systemsTrainer: true, systemsAnalyst: true, developer: true, dataAnalyst: true,
	dataEngineer: true, infoGovernance: true, cyberAnalyst: true, headOfDigital: true, digitalLead: true,
	analyticsLead: true, systemsOfficer: true,
}

// staffRef is one of the staff made, as the attempts need them.
type staffRef struct {
	member int // index into the load's memberships
	job    job
}

// assessment is what the attempts need to know of the version they are
// made on, worked out once.
type assessment struct {
	v      *upskill.FrameworkVersion
	levels int
	// For each domain: its profile position (-1 when the code is not one
	// of the default framework's six), its capabilities and its questions,
	// by position in the version.
	profile   []int
	caps      [][]int
	questions [][]int
	capDomain []int // domain of each capability
	all       []*upskill.Capability
}

func newAssessment(v *upskill.FrameworkVersion) *assessment {
	m := &assessment{v: v, levels: len(v.Levels), all: v.Capabilities()}
	qIndex := map[int64]int{}
	for i, q := range v.Questions {
		qIndex[q.ID] = i
	}
	n := 0
	for d, dom := range v.Domains {
		p := -1
		if len(dom.Code) == 1 && dom.Code[0] >= '1' && dom.Code[0] <= '6' {
			p = int(dom.Code[0] - '1')
		}
		m.profile = append(m.profile, p)
		var caps, qs []int
		for range dom.Capabilities {
			caps = append(caps, n)
			m.capDomain = append(m.capDomain, d)
			n++
		}
		for _, q := range v.QuestionsFor(dom.Code) {
			qs = append(qs, qIndex[q.ID])
		}
		m.caps = append(m.caps, caps)
		m.questions = append(m.questions, qs)
	}
	return m
}

// of returns the value of a profile for domain d, or the mean of the six
// for a domain the profiles do not know.
func (m *assessment) of(values *[6]float64, d int) float64 {
	if p := m.profile[d]; p >= 0 {
		return values[p]
	}
	sum := 0.0
	for _, x := range values {
		sum += x
	}
	return sum / 6
}

// answer turns a rating on the 0 to 10 scale into the answer the
// capability's question type takes.
func (m *assessment) answer(c *upskill.Capability, x float64) int {
	x = math.Max(0, math.Min(upskill.ScaleMax, x))
	switch c.Type {
	case upskill.QuestionLevels:
		return int(math.Round(x * float64(m.levels) / upskill.ScaleMax))
	case upskill.QuestionYesNo:
		if x >= upskill.ScaleMax/2 {
			return 1
		}
		return 0
	}
	return int(math.Round(x))
}

// makeAttempts makes the attempts of every member of staff, on v. Each
// person's attempts come from a random stream of their own, seeded by the
// seed and their place in the staff, so that people can be made in
// parallel and the staff are the same with or without attempts.
func (g *gen) makeAttempts(seed uint64, v *upskill.FrameworkVersion) []upskill.Attempt {
	m := newAssessment(v)
	// Each organisation opens each cycle on a day of its own, within three
	// weeks of the national date.
	campaigns := map[int64][]time.Time{}
	for _, o := range g.orgRows {
		if o.Level != upskill.LevelOrganisation {
			continue
		}
		rng := rand.New(rand.NewPCG(seed^0xca3a_16e5, uint64(-o.ID)))
		for _, open := range cycleOpens {
			campaigns[o.ID] = append(campaigns[o.ID], open.AddDate(0, 0, rng.IntN(21)))
		}
	}

	workers := max(1, min(runtime.GOMAXPROCS(0), len(g.staff)/2000))
	parts := make([][]upskill.Attempt, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(g.staff)/workers, (w+1)*len(g.staff)/workers
		wg.Go(func() {
			pw := newPersonMaker(m, seed)
			for i := lo; i < hi; i++ {
				ref := g.staff[i]
				ms := &g.b.Memberships[ref.member]
				pw.person(g.staffBase+i, ref, ms, campaigns[ms.OrganisationID], g.showcase[ms.PersonID])
			}
			parts[w] = pw.out
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// personMaker makes people's attempts on one goroutine, reusing its
// memory from one person to the next.
type personMaker struct {
	m    *assessment
	pcg  *rand.PCG
	rng  *rand.Rand
	seed uint64
	// A person's lasting traits, by domain and by capability.
	skill, needed     []float64
	capSkill, capNeed []float64
	reached           []int // knowledge checks answered in each domain
	order             []int
	keys              []float64
	out               []upskill.Attempt
	// Answers and checks are cut from large blocks: millions of small
	// slices would cost more to allocate than to fill.
	answers  []upskill.Answer
	checks   []upskill.CheckAnswer
	selected []int64
}

func newPersonMaker(m *assessment, seed uint64) *personMaker {
	pcg := rand.NewPCG(0, 0)
	return &personMaker{
		m: m, pcg: pcg, rng: rand.New(pcg), seed: seed ^ 0xa77e_3b75,
		skill: make([]float64, len(m.v.Domains)), needed: make([]float64, len(m.v.Domains)),
		capSkill: make([]float64, len(m.all)), capNeed: make([]float64, len(m.all)),
	}
}

// block returns a slice of n elements cut from *pool, which grows by
// large blocks.
func block[T any](pool *[]T, n int) []T {
	if cap(*pool)-len(*pool) < n {
		*pool = make([]T, 0, max(n, 16384))
	}
	start := len(*pool)
	*pool = (*pool)[:start+n]
	return (*pool)[start : start+n : start+n]
}

// normal is a normal deviate from the person's stream.
func (p *personMaker) normal(sd float64) float64 { return p.rng.NormFloat64() * sd }

// person makes the attempts of the i-th member of staff, whose membership
// is ms, in the organisation whose cycles open on the days given. A person
// shown as a demo login takes part in every cycle they were in post for.
func (p *personMaker) person(i int, ref staffRef, ms *upskill.Membership, opens []time.Time, shown bool) {
	p.pcg.Seed(p.seed, uint64(i))
	r, m := p.rng, p.m

	// Who takes part in which cycle: a lasting keenness and a yearly
	// chance, so that the shares come out as cycleShares and keen people
	// tend to take part every year.
	const (
		submitted = 1 + iota
		inProgress
	)
	keen := r.NormFloat64()
	var takes [len(cycleOpens)]int
	some := false
	for c := range cycleOpens {
		u := normalCDF(takingPartTogether*keen + math.Sqrt(1-takingPartTogether*takingPartTogether)*r.NormFloat64())
		if !ms.StartedAt.Before(cycleOpens[c].Add(-inPostBefore)) {
			continue // not yet in post
		}
		switch {
		case shown || u < cycleShares[c]:
			takes[c] = submitted
		case c == len(cycleOpens)-1 && u < cycleShares[c]+inProgressShare:
			takes[c] = inProgress
		}
		some = some || takes[c] != 0
	}
	if !some {
		return
	}

	// Lasting traits: skill and need by domain, shaped by the staff group,
	// seniority and digital work, and a person's own strengths.
	prof, ok := skillProfiles[ref.job.group]
	if !ok {
		prof = skillProfiles["clinical_support"]
	}
	seniority := float64(ref.job.rank-2) / 2
	general := p.normal(prof.spread)
	digital := digitalJobs[ref.job]
	for d := range p.skill {
		s := m.of(&prof.skill, d) + general + p.normal(0.7) + seniority*m.of(&senioritySkill, d)
		n := m.of(&prof.needed, d) + p.normal(0.5) + seniority*m.of(&seniorityNeeded, d)
		if digital {
			s += m.of(&digitalSkill, d)
			n += m.of(&digitalNeeded, d)
		}
		p.skill[d], p.needed[d] = clamp(s, 0.3, 9.7), clamp(n, 2, 10)
	}
	for c := range p.capSkill {
		p.capSkill[c], p.capNeed[c] = p.normal(0.6), p.normal(0.8)
	}
	// Most people rate themselves a little high; some a lot, and a few
	// too low. Over-raters come down a little once they see their reports.
	var bias float64
	switch x := r.Float64(); {
	case x < 0.15:
		bias = 1.5 + 1.5*r.Float64()
	case x < 0.22:
		bias = -1 - r.Float64()
	default:
		bias = 0.4 + p.normal(0.4)
	}
	growth := 0.9 + p.normal(0.35)

	for c := range cycleOpens {
		if c > 0 {
			// A year of practice, slower near the top of the scale.
			for d := range p.skill {
				step := math.Max(-0.3, growth+p.normal(0.3)) * math.Min(1, (10-p.skill[d])/4)
				p.skill[d] = clamp(p.skill[d]+step, 0.3, 9.8)
			}
			if bias > 1 {
				bias *= 0.85
			}
		}
		if takes[c] == 0 {
			continue
		}
		a := upskill.Attempt{PersonID: ms.PersonID, OrganisationID: ms.OrganisationID, VersionID: m.v.ID}
		day := opens[c].AddDate(0, 0, min(55, int(r.ExpFloat64()*10)))
		// Mostly on weekdays.
		switch day.Weekday() {
		case time.Saturday:
			if r.Float64() < 0.8 {
				day = day.AddDate(0, 0, 2)
			}
		case time.Sunday:
			if r.Float64() < 0.8 {
				day = day.AddDate(0, 0, 1)
			}
		}
		at := day.Add(time.Duration(8*3600+r.IntN(9*3600)) * time.Second)

		// How far through: everything for a submitted attempt, part of
		// the way for one in progress, in the order the pages ask.
		steps := len(m.all) + len(m.v.Questions)
		if takes[c] == inProgress {
			steps = 1 + r.IntN(steps-1)
		}
		// Most answer every knowledge check; some skip a few domains'
		// checks, and a few skip them all.
		skipping := r.Float64()
		var nAnswers, nChecks int
		p.reached = p.reached[:0]
		for d := range m.v.Domains {
			k := min(steps, len(m.caps[d]))
			nAnswers += k
			steps -= k
			q := min(steps, len(m.questions[d]))
			steps -= q
			if skipping >= 0.95 || skipping >= 0.88 && r.Float64() < 0.5 {
				q = 0
			}
			p.reached = append(p.reached, q)
			nChecks += q
		}
		a.Answers = block(&p.answers, nAnswers)
		for j := range a.Answers {
			capability := m.all[j]
			d := m.capDomain[j]
			now := p.skill[d] + p.capSkill[j] + bias + p.normal(0.6)
			need := p.needed[d] + p.capNeed[j] + 0.2*float64(c) + p.normal(0.4)
			a.Answers[j] = upskill.Answer{CapabilityID: capability.ID, Now: m.answer(capability, now), Needed: m.answer(capability, need)}
		}
		if nChecks > 0 {
			a.Checks = block(&p.checks, nChecks)[:0]
			for d, q := range p.reached {
				if q > 0 {
					a.Checks = p.checkDomain(a.Checks, d, q)
				}
			}
		}

		if takes[c] == submitted {
			a.Status, a.SubmittedAt = upskill.AttemptSubmitted, at
			// Most finish in one sitting; some come back to it days later.
			if r.Float64() < 0.75 {
				a.StartedAt = at.Add(-time.Duration(8*60+r.IntN(37*60)) * time.Second)
			} else {
				a.StartedAt = at.Add(-time.Duration(86400+r.IntN(10*86400)) * time.Second)
			}
		} else {
			a.Status, a.StartedAt = upskill.AttemptInProgress, at
			a.UpdatedAt = at.Add(time.Duration((len(a.Answers)+len(a.Checks))*(20+r.IntN(40))) * time.Second)
		}
		p.out = append(p.out, a)
	}
}

// checkDomain answers the first n knowledge checks of domain d, in the
// pages' order, appending to checks. The chance of a right answer follows
// the person's true skill, not their rating of it, so that people who rate
// themselves high are flagged when the checks disagree.
func (p *personMaker) checkDomain(checks []upskill.CheckAnswer, d int, n int) []upskill.CheckAnswer {
	r, m := p.rng, p.m
	qs := m.questions[d]
	// How many are right: about the share the person's skill suggests,
	// with some luck.
	right := int(math.Round(float64(len(qs))*p.skill[d]/10 + p.normal(0.35)))
	right = max(0, min(len(qs), right))
	// Which: questions with several right options are missed more often.
	p.order, p.keys = p.order[:0], p.keys[:0]
	for k, qi := range qs {
		key := r.Float64()
		if m.v.Questions[qi].Kind == upskill.QuestionMultiple {
			key += 0.3
		}
		p.order, p.keys = append(p.order, k), append(p.keys, key)
	}
	slices.SortFunc(p.order, func(a, b int) int { return compareFloat(p.keys[a], p.keys[b]) })
	isRight := func(k int) bool { return slices.Index(p.order, k) < right }
	for k := range n {
		q := &m.v.Questions[qs[k]]
		checks = append(checks, upskill.CheckAnswer{QuestionID: q.ID, Selected: p.choose(q, isRight(k))})
	}
	return checks
}

// choose picks the options of an answer: the right ones, or a near miss.
func (p *personMaker) choose(q *upskill.CheckQuestion, right bool) []int64 {
	r := p.rng
	var correct, wrong int
	for _, o := range q.Options {
		if o.Correct {
			correct++
		} else {
			wrong++
		}
	}
	if q.Kind == upskill.QuestionSingle {
		sel := block(&p.selected, 1)
		if right || wrong == 0 {
			for _, o := range q.Options {
				if o.Correct {
					sel[0] = o.ID
				}
			}
			return sel
		}
		k := r.IntN(wrong)
		for _, o := range q.Options {
			if !o.Correct {
				if k == 0 {
					sel[0] = o.ID
				}
				k--
			}
		}
		return sel
	}
	// Several right: a near miss leaves one out or adds one too many.
	toggle := -1
	if !right {
		toggle = r.IntN(len(q.Options))
		if q.Options[toggle].Correct && correct == 1 {
			toggle = -1 // leaving out the only right one would select nothing
			for i, o := range q.Options {
				if !o.Correct {
					toggle = i
					break
				}
			}
		}
	}
	n := correct
	if toggle >= 0 {
		if q.Options[toggle].Correct {
			n--
		} else {
			n++
		}
	}
	sel := block(&p.selected, n)[:0]
	for i, o := range q.Options {
		if o.Correct != (i == toggle) {
			sel = append(sel, o.ID)
		}
	}
	return sel
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// normalCDF is the chance that a standard normal deviate is below z.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
