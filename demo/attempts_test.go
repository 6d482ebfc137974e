package demo_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/demo"
	"upskill/store"
	"upskill/store/storetest"
)

// count runs a query that counts rows breaking a rule.
func count(t *testing.T, s *store.Store, query string) int {
	t.Helper()
	var n int
	must(t, readDB(s).QueryRowContext(ctx, query).Scan(&n))
	return n
}

func TestAttemptsAreAsSubmitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := load(t, s, small)
		v := storedVersion(t, s)

		// Every stored score is what upskill.Score makes of the stored
		// answers, for a sample of the attempts.
		type scoreRow struct {
			now, needed, gap                   float64
			band, calibration                  string
			answered, checksCorrect, checksAns int
		}
		rows, err := readDB(s).QueryContext(ctx, `SELECT a.id, a.person_id, x.domain_code, x.now_mean, x.needed_mean, x.gap_mean,
			x.band, x.calibration, x.answered, x.checks_correct, x.checks_answered
			FROM attempt_scores x JOIN attempts a ON a.id = x.attempt_id ORDER BY a.id, x.domain_code`)
		must(t, err)
		stored := map[int64]map[string]scoreRow{}
		person := map[int64]int64{}
		for rows.Next() {
			var id, personID int64
			var code string
			var r scoreRow
			must(t, rows.Scan(&id, &personID, &code, &r.now, &r.needed, &r.gap, &r.band, &r.calibration, &r.answered, &r.checksCorrect, &r.checksAns))
			if stored[id] == nil {
				stored[id] = map[string]scoreRow{}
			}
			stored[id][code], person[id] = r, personID
		}
		must(t, rows.Err())
		rows.Close()
		submitted := 0
		for _, a := range d.Bulk.Attempts {
			if a.Status == upskill.AttemptSubmitted {
				submitted++
			}
		}
		if len(stored) != submitted {
			t.Fatalf("%d attempts have scores; %d were submitted", len(stored), submitted)
		}
		ids := make([]int64, 0, len(stored))
		for id := range stored {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		checked := 0
		for i := 0; i < len(ids); i += 7 {
			a, err := s.Attempt(ctx, person[ids[i]], ids[i])
			must(t, err)
			report := upskill.Score(v, a.Answers, a.Checks)
			if len(report.Domains) != len(stored[a.ID]) {
				t.Fatalf("attempt %d: %d domains scored, %d stored", a.ID, len(report.Domains), len(stored[a.ID]))
			}
			for _, dr := range report.Domains {
				want := scoreRow{dr.Now, dr.Needed, dr.Gap, dr.Band, string(dr.Calibration), dr.Answered, dr.ChecksCorrect, dr.ChecksAnswered}
				if got := stored[a.ID][dr.Code]; got != want {
					t.Errorf("attempt %d, domain %s: stored %+v, scored %+v", a.ID, dr.Code, got, want)
				}
			}
			checked++
		}
		if checked < 50 {
			t.Errorf("only %d attempts rescored", checked)
		}

		// The rules the one-at-a-time methods keep.
		for _, rule := range []struct{ what, query string }{
			{"people with two attempts in progress", `SELECT count(*) FROM (SELECT person_id FROM attempts
				WHERE status = 'in_progress' GROUP BY person_id, framework_id HAVING count(*) > 1) AS x`},
			{"attempts for an organisation the person is not in", `SELECT count(*) FROM attempts a WHERE NOT EXISTS
				(SELECT 1 FROM memberships m WHERE m.person_id = a.person_id AND m.organisation_id = a.organisation_id AND m.ended_at IS NULL)`},
			{"submitted attempts whose staff details are not the membership's", `SELECT count(*) FROM attempts a
				JOIN memberships m ON m.person_id = a.person_id AND m.organisation_id = a.organisation_id
				WHERE a.status = 'submitted' AND (a.staff_group <> m.staff_group OR a.job_role <> m.job_role
				OR a.pay_band <> m.pay_band OR coalesce(a.unit_id, 0) <> coalesce(m.unit_id, 0))`},
			{"attempts in progress with staff details", `SELECT count(*) FROM attempts
				WHERE status = 'in_progress' AND (staff_group <> '' OR job_role <> '' OR pay_band <> '' OR unit_id IS NOT NULL)`},
			{"attempts started before the person joined", `SELECT count(*) FROM attempts a
				JOIN memberships m ON m.person_id = a.person_id AND m.organisation_id = a.organisation_id WHERE a.started_at < m.started_at`},
			{"submitted attempts not rating every statement", fmt.Sprintf(`SELECT count(*) FROM attempts a WHERE a.status = 'submitted'
				AND (SELECT count(*) FROM answers x WHERE x.attempt_id = a.id) <> %d`, len(v.Capabilities()))},
			{"attempts submitted before they started", `SELECT count(*) FROM attempts WHERE submitted_at < started_at`},
			{"answers given outside their attempt's time", `SELECT count(*) FROM answers x JOIN attempts a ON a.id = x.attempt_id
				WHERE x.answered_at < a.started_at OR x.answered_at > a.updated_at`},
			{"attempts not on the published version", fmt.Sprintf(`SELECT count(*) FROM attempts WHERE version_id <> %d`, v.ID)},
		} {
			if n := count(t, s, rule.query); n != 0 {
				t.Errorf("%d %s", n, rule.what)
			}
		}
		if n := count(t, s, `SELECT count(*) FROM attempts WHERE status = 'in_progress'`); n == 0 {
			t.Error("no attempt is in progress")
		}

		// The learner shown for each organisation has a report from every
		// cycle to look at.
		for _, o := range d.Logins.Organisations {
			p, _, err := s.Credentials(ctx, o.Learner.Email)
			must(t, err)
			history, err := s.Attempts(ctx, p.ID, v.FrameworkID)
			must(t, err)
			var years []int
			for _, a := range history {
				if a.Status == upskill.AttemptSubmitted && len(a.Domains) == len(v.Domains) {
					years = append(years, a.SubmittedAt.Year())
				}
			}
			if !slices.Equal(years, []int{2026, 2025, 2024}) || !slices.Equal(o.Assessed, []int{2024, 2025, 2026}) {
				t.Errorf("the learner shown for %s submitted in %v, and is shown as assessed in %v", o.Name, years, o.Assessed)
			}
		}
	})
}

// shapeOf is what the tests look at in one person's submitted attempts.
type shapeOf struct {
	group   upskill.StaffGroup
	band    upskill.PayBand
	job     string
	reports map[int]upskill.Report // by year
}

func TestAttemptsHaveRealisticShapes(t *testing.T) {
	v := testVersion(t)
	opt := demo.Options{Orgs: 20, Staff: 4000, Seed: 11, Attempts: true}
	d := demo.Generate(opt, demo.Placement{NationID: 1, Version: v})

	staff := map[int64]upskill.Membership{}
	for _, m := range d.Bulk.Memberships {
		if m.StaffGroup != "" {
			staff[m.PersonID] = m
		}
	}
	people := map[int64]*shapeOf{}
	perYear := map[int]int{}
	inProgress := 0
	type personYear struct {
		person int64
		year   int
	}
	seen := map[personYear]bool{}
	var allChecks, noChecks, flagged, overs, unders, domainsChecked, attemptsFlagged, submitted int
	for _, a := range d.Bulk.Attempts {
		m, ok := staff[a.PersonID]
		if !ok || m.OrganisationID != a.OrganisationID {
			t.Fatalf("attempt of %d for organisation %d, where they are not staff", a.PersonID, a.OrganisationID)
		}
		year := a.StartedAt.Year()
		if a.Status == upskill.AttemptSubmitted {
			year = a.SubmittedAt.Year()
		}
		if seen[personYear{a.PersonID, year}] {
			t.Fatalf("person %d has two attempts in %d", a.PersonID, year)
		}
		seen[personYear{a.PersonID, year}] = true
		if a.Status == upskill.AttemptInProgress {
			inProgress++
			if year != 2026 || len(a.Answers)+len(a.Checks) == 0 {
				t.Errorf("an attempt in progress started in %d with %d answers", year, len(a.Answers))
			}
			continue
		}
		submitted++
		perYear[year]++
		if mo := a.SubmittedAt.Month(); mo < time.March || mo > time.June || a.StartedAt.After(a.SubmittedAt) {
			t.Errorf("an attempt started %s and submitted %s", a.StartedAt, a.SubmittedAt)
		}
		switch len(a.Checks) {
		case len(v.Questions):
			allChecks++
		case 0:
			noChecks++
		}
		r := upskill.Score(v, a.Answers, a.Checks)
		someFlagged := false
		for _, dr := range r.Domains {
			if dr.ChecksAnswered == 0 {
				continue
			}
			domainsChecked++
			switch dr.Calibration {
			case upskill.CalibrationOver:
				overs++
			case upskill.CalibrationUnder:
				unders++
			default:
				continue
			}
			flagged++
			someFlagged = true
		}
		if someFlagged {
			attemptsFlagged++
		}
		p := people[a.PersonID]
		if p == nil {
			p = &shapeOf{group: m.StaffGroup, band: m.PayBand, job: m.JobRole, reports: map[int]upskill.Report{}}
			people[a.PersonID] = p
		}
		p.reports[year] = r
	}

	// Taking part grows from year to year, among the staff in post then.
	inPost := map[int]int{}
	for _, m := range staff {
		for _, y := range []int{2024, 2025, 2026} {
			if m.StartedAt.Before(time.Date(y, 2, 1, 0, 0, 0, 0, time.UTC)) {
				inPost[y]++
			}
		}
	}
	for i, y := range []int{2024, 2025, 2026} {
		share := float64(perYear[y]) / float64(inPost[y])
		if want := []float64{0.60, 0.75, 0.85}[i]; math.Abs(share-want) > 0.05 {
			t.Errorf("%.0f%% of staff in post took part in %d; about %.0f%% should", share*100, y, want*100)
		}
	}
	if share := float64(inProgress) / float64(len(staff)); share < 0.03 || share > 0.07 {
		t.Errorf("%.1f%% of staff have an attempt in progress; about 5%% should", share*100)
	}

	// Most answer the knowledge checks, and a minority are flagged as
	// rating themselves out of line with them, more often too high.
	if share := float64(allChecks) / float64(submitted); share < 0.8 || share > 0.95 {
		t.Errorf("%.0f%% of attempts answer every knowledge check", share*100)
	}
	if share := float64(noChecks) / float64(submitted); share < 0.02 || share > 0.1 {
		t.Errorf("%.0f%% of attempts answer no knowledge check", share*100)
	}
	if share := float64(flagged) / float64(domainsChecked); share < 0.04 || share > 0.25 || overs <= unders {
		t.Errorf("%.0f%% of checked domains are flagged: %d over, %d under", share*100, overs, unders)
	}
	if share := float64(attemptsFlagged) / float64(submitted); share < 0.15 || share > 0.5 {
		t.Errorf("%.0f%% of attempts have a domain flagged", share*100)
	}

	// The same people rate themselves higher each year: by about a point
	// a year, never by much less or more on average.
	var change [2]float64
	var n int
	for _, p := range people {
		if len(p.reports) != 3 {
			continue
		}
		change[0] += p.reports[2025].Now - p.reports[2024].Now
		change[1] += p.reports[2026].Now - p.reports[2025].Now
		n++
	}
	for i, c := range change {
		if mean := c / float64(n); mean < 0.4 || mean > 1.6 {
			t.Errorf("from cycle %d to %d, ratings changed by %.2f on average over %d people", i+1, i+2, mean, n)
		}
	}

	// Ratings differ by staff group and by job as the workforce does.
	type stat struct{ sum, sq, n float64 }
	domainNow := func(keep func(p *shapeOf) bool, domain int, needed bool) stat {
		var s stat
		for _, p := range people {
			if r, ok := p.reports[2024]; ok && keep(p) {
				x := r.Domains[domain].Now
				if needed {
					x = r.Domains[domain].Needed
				}
				s.sum, s.sq, s.n = s.sum+x, s.sq+x*x, s.n+1
			}
		}
		return s
	}
	mean := func(s stat) float64 { return s.sum / s.n }
	sd := func(s stat) float64 { return math.Sqrt(s.sq/s.n - mean(s)*mean(s)) }
	group := func(g upskill.StaffGroup) func(p *shapeOf) bool {
		return func(p *shapeOf) bool { return p.group == g }
	}
	overall := func(keep func(p *shapeOf) bool) stat {
		var s stat
		for _, p := range people {
			if r, ok := p.reports[2024]; ok && keep(p) {
				s.sum, s.sq, s.n = s.sum+r.Now, s.sq+r.Now*r.Now, s.n+1
			}
		}
		return s
	}
	const technical, information, research = 3, 4, 5
	for _, c := range []struct {
		what      string
		high, low float64
		margin    float64
	}{
		{"admin and clerical staff above nurses in technical proficiency",
			mean(domainNow(group("admin_clerical"), technical, false)), mean(domainNow(group("nursing_midwifery"), technical, false)), 0.8},
		{"allied health professionals above clinical support staff in information",
			mean(domainNow(group("allied_health"), information, false)), mean(domainNow(group("clinical_support"), information, false)), 1},
		{"doctors above nurses in research",
			mean(domainNow(group("medical_dental"), research, false)), mean(domainNow(group("nursing_midwifery"), research, false)), 1},
		{"nurses above direct social care staff overall",
			mean(overall(group("nursing_midwifery"))), mean(overall(group("care_direct"))), 1},
		{"senior bands needing more in information than bands 2 and 3",
			mean(domainNow(func(p *shapeOf) bool { return strings.HasPrefix(string(p.band), "afc_8") }, information, true)),
			mean(domainNow(func(p *shapeOf) bool { return p.band == "afc_2" || p.band == "afc_3" }, information, true)), 1},
		{"data and systems jobs needing more technical skill than other admin jobs",
			mean(domainNow(func(p *shapeOf) bool { return strings.Contains(p.job, "analyst") || strings.Contains(p.job, "Data") }, technical, true)),
			mean(domainNow(func(p *shapeOf) bool {
				return p.group == "admin_clerical" && !strings.Contains(p.job, "analyst") && !strings.Contains(p.job, "Data")
			}, technical, true)), 1},
	} {
		if c.high-c.low < c.margin {
			t.Errorf("%s: %.1f against %.1f", c.what, c.high, c.low)
		}
	}
	if care, doctors := sd(overall(group("care_direct"))), sd(overall(group("medical_dental"))); care <= doctors {
		t.Errorf("direct social care staff differ by %.2f, doctors by %.2f: care staff should differ more", care, doctors)
	}
}
