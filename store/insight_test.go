package store_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"upskill"
	"upskill/insight"
	"upskill/store"
	"upskill/store/storetest"
)

// submitRated starts and submits an attempt with every statement rated at
// now (capped at the question's top) and needed at the top.
func submitRated(t *testing.T, s *store.Store, v *upskill.FrameworkVersion, personID, orgID int64, now int) *upskill.Report {
	t.Helper()
	a, _, err := s.StartAttempt(ctx, personID, orgID, "small")
	must(t, err)
	for _, c := range v.Capabilities() {
		top := c.MaxAnswer(len(v.Levels))
		must(t, s.SaveAnswer(ctx, personID, a.ID, upskill.Answer{CapabilityID: c.ID, Now: min(now, top), Needed: top}))
	}
	r, err := s.SubmitAttempt(ctx, personID, a.ID)
	must(t, err)
	return r
}

// sums adds up an organisation's tallies for one cycle and domain.
func sums(t *testing.T, s *store.Store, orgID, frameworkID int64, cycle insight.Cycle, domain string) insight.Tally {
	t.Helper()
	tallies, err := s.InsightTallies(ctx, orgID, frameworkID)
	must(t, err)
	var sum insight.Tally
	for _, x := range tallies {
		if x.Cycle != cycle || x.Domain != domain {
			continue
		}
		sum.Add(x)
	}
	return sum
}

func drain(t *testing.T, s *store.Store) int {
	t.Helper()
	total := 0
	for {
		n, err := s.RefreshInsight(ctx, 3) // small batches, to cross batch edges
		must(t, err)
		if n == 0 {
			return total
		}
		total += n
	}
}

func tenths(x float64) int64 { return int64(math.Round(x * 10)) }

func TestInsightSummaries(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			clock := time.Date(2024, time.June, 3, 9, 0, 0, 0, time.UTC)
			s := storetest.Open(t, engine, store.Options{Now: func() time.Time { return clock }})
			f := newFixture(t, s)
			v := loadSmall(t, s)
			ward, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "Ward 7")
			must(t, err)
			team, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, ward.ID, "Night team")
			must(t, err)
			var staff []int64
			for i := range 6 {
				unit := ward.ID
				if i%2 == 1 {
					unit = team.ID // counted under the team's department
				}
				m, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: fmt.Sprintf("n%d@example.org", i), Name: fmt.Sprintf("Nurse %d", i),
					Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", PayBand: "afc_5", UnitID: unit}})
				must(t, err)
				staff = append(staff, m.Person.ID)
			}
			other, err := s.AddMember(ctx, f.adminB.ID, f.orgB, store.MemberInput{Email: "carer@example.org", Name: "Carer", Roles: upskill.RoleSet(upskill.RoleLearner)})
			must(t, err)

			// Cycle 2024: everyone in A, and the carer in B.
			var want2024 int64
			for i, p := range staff {
				want2024 += tenths(submitRated(t, s, v, p, f.orgA.ID, i+2).Domains[0].Now)
			}
			submitRated(t, s, v, other.Person.ID, f.orgB.ID, 9)
			if n, _ := s.InsightQueued(ctx); n != 7 {
				t.Fatalf("%d queued, want 7", n)
			}
			if got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1"); got.People != 0 {
				t.Fatalf("counted before the job ran: %+v", got)
			}
			if n := drain(t, s); n != 7 {
				t.Fatalf("counted %d, want 7", n)
			}
			got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1")
			if got.People != 6 || got.NowTenths != want2024 || got.Below != 6 || got.Paired != 0 {
				t.Fatalf("2024 in A: %+v, want 6 people and %d tenths", got, want2024)
			}
			// Organisation B's summaries hold only its own person.
			if got := sums(t, s, f.orgB.ID, v.FrameworkID, 2024, "1"); got.People != 1 {
				t.Fatalf("2024 in B: %+v", got)
			}
			entries, err := s.InsightEntries(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			if len(entries) != 1 || entries[0].People != 6 || entries[0].Group.Department != ward.ID || entries[0].Prev {
				t.Fatalf("entries: %+v", entries)
			}
			version, err := s.InsightVersion(ctx, f.orgA.ID)
			must(t, err)
			if version == 0 {
				t.Fatal("the version did not move")
			}

			// A second attempt in the same cycle replaces the first.
			clock = clock.Add(24 * time.Hour)
			submitRated(t, s, v, staff[0], f.orgA.ID, 10)
			drain(t, s)
			got2 := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1")
			if got2.People != 6 || got2.NowTenths == got.NowTenths {
				t.Fatalf("after a second attempt: %+v (before %+v)", got2, got)
			}

			// Cycle 2025: four of them again, higher.
			clock = time.Date(2025, time.May, 1, 9, 0, 0, 0, time.UTC)
			for _, p := range staff[:4] {
				submitRated(t, s, v, p, f.orgA.ID, 10)
			}
			drain(t, s)
			got3 := sums(t, s, f.orgA.ID, v.FrameworkID, 2025, "1")
			if got3.People != 4 || got3.Paired != 4 || got3.Improved != 3 {
				t.Fatalf("2025: %+v, want 4 people, 4 paired, 3 improved", got3)
			}
			entries, err = s.InsightEntries(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			var withNext, withPrev int
			for _, e := range entries {
				if e.HasNext {
					withNext += e.People
				}
				if e.Prev {
					withPrev += e.People
				}
			}
			if withNext != 4 || withPrev != 4 {
				t.Fatalf("entries across cycles: %+v", entries)
			}
			// Each person's whole history names their track: the four
			// who took part both years share tracks across the years, in
			// the same numbers.
			byTrack := map[string]map[insight.Cycle]int{}
			for _, e := range entries {
				if byTrack[e.Track] == nil {
					byTrack[e.Track] = map[insight.Cycle]int{}
				}
				byTrack[e.Track][e.Cycle] += e.People
			}
			both := 0
			for track, years := range byTrack {
				if len(years) == 2 {
					if years[2024] != years[2025] {
						t.Fatalf("track %s: %v", track, years)
					}
					both += years[2025]
				}
			}
			if both != 4 {
				t.Fatalf("%d people on tracks across both years, want 4: %+v", both, entries)
			}

			// Counting the same attempt twice changes nothing.
			db := s.DBs()["main"]
			if engine == store.SQLite {
				db = s.DBs()["write"]
			}
			q := "INSERT INTO insight_queue (attempt_id, queued_at) SELECT attempt_id, submitted_at FROM insight_entries"
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
			drain(t, s)
			if again := sums(t, s, f.orgA.ID, v.FrameworkID, 2025, "1"); again != got3 {
				t.Fatalf("counted twice: %+v, was %+v", again, got3)
			}

			// Participation counts today's staff.
			parts, err := s.InsightStaff(ctx, f.orgA.ID, v.FrameworkID, 2025)
			must(t, err)
			var eligible, completed int
			var started int64
			for _, p := range parts {
				eligible += p.People
				completed += int(p.Completed)
				started += p.Started
			}
			// The admin is not a learner, so is not counted.
			if eligible != 6 || completed != 4 || started != 4 {
				t.Fatalf("participation: %+v", parts)
			}
			_, _, err = s.StartAttempt(ctx, staff[5], f.orgA.ID, "small")
			must(t, err)
			startedIn := func(cycle insight.Cycle) int64 {
				parts, err := s.InsightStaff(ctx, f.orgA.ID, v.FrameworkID, cycle)
				must(t, err)
				var n int64
				for _, p := range parts {
					n += p.Started
				}
				return n
			}
			if n := startedIn(2025); n != 5 {
				t.Fatalf("started after one more began: %d", n)
			}
			// A draft left over from an earlier year is not this year's.
			if n := startedIn(2026); n != 0 {
				t.Fatalf("started in 2026 with only a 2025 draft: %d", n)
			}
		})
	}
}

func TestWorkforcePlans(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			now := time.Date(2026, time.May, 1, 9, 0, 0, 0, time.UTC)
			s := storetest.Open(t, engine, store.Options{Now: func() time.Time { return now }})
			f := newFixture(t, s)
			v := loadSmall(t, s)
			plan, err := s.WorkforcePlan(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			if plan != nil {
				t.Fatalf("a plan before any was set: %+v", plan)
			}
			due := time.Date(2028, time.March, 31, 0, 0, 0, 0, time.UTC)
			p := &insight.Plan{StartsAt: now, DueAt: due, Domains: []insight.PlanDomain{{Code: "1", Target: 80, Baseline: 42.5}, {Code: "2", Target: 60}}}
			must(t, s.SaveWorkforcePlan(ctx, f.adminA.ID, f.orgA.ID, v.FrameworkID, p))
			got, err := s.WorkforcePlan(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			if got == nil || len(got.Domains) != 2 || got.Domains[0].Baseline != 42.5 || !got.DueAt.Equal(due) {
				t.Fatalf("plan: %+v", got)
			}
			// Another organisation's plan is its own.
			other, err := s.WorkforcePlan(ctx, f.orgB.ID, v.FrameworkID)
			must(t, err)
			if other != nil {
				t.Fatalf("B sees A's plan: %+v", other)
			}
			// A date in the past, or a target over 100, writes nothing.
			bad := &insight.Plan{StartsAt: now, DueAt: now.AddDate(0, -1, 0), Domains: []insight.PlanDomain{{Code: "1", Target: 101}}}
			wantCode(t, s.SaveWorkforcePlan(ctx, f.adminA.ID, f.orgA.ID, v.FrameworkID, bad), upskill.EINVALID)
			got, err = s.WorkforcePlan(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			if len(got.Domains) != 2 || got.Domains[0].Target != 80 {
				t.Fatalf("a refused plan changed the plan: %+v", got)
			}
			// Halfway, a domain is expected halfway from where it started.
			half := now.Add(due.Sub(now) / 2)
			if e := got.Expected(got.Domains[0], half); e < 61.2 || e > 61.3 {
				t.Fatalf("expected by halfway: %v", e)
			}
		})
	}
}
