package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"upskill"
	"upskill/insight"
	"upskill/store"
	"upskill/store/storetest"
)

// The summaries count the band each person's role needs beside the band
// they are in, and, of those below what is needed, who has since
// completed learning for such a statement: completing it queues the
// person's attempt again, and counting it again moves them.
func TestInsightNeededBandsAndLearning(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			clock := time.Date(2024, time.June, 3, 9, 0, 0, 0, time.UTC)
			tick := func() time.Time { clock = clock.Add(time.Minute); return clock }
			s := storetest.Open(t, engine, store.Options{Now: tick})
			f := newFixture(t, s)
			v := loadSmall(t, s)
			var staff []int64
			for i := range 5 {
				// The first is alone in their staff group, so that their
				// cells empty when they move band.
				group := upskill.StaffGroup("nursing_midwifery")
				if i == 0 {
					group = "admin_clerical"
				}
				m, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: fmt.Sprintf("m%d@example.org", i), Name: fmt.Sprintf("Member %d", i),
					Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: group}})
				must(t, err)
				staff = append(staff, m.Person.ID)
				submitRated(t, s, v, m.Person.ID, f.orgA.ID, 1) // below the top everywhere
			}
			drain(t, s)
			got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1")
			if got.People != 5 || got.Below != 5 || got.Learned != 0 {
				t.Fatalf("before any learning: %+v", got)
			}
			// Needed at the top of every statement: everyone's role needs
			// the top band.
			tallies, err := s.InsightTallies(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			top := v.Bands[len(v.Bands)-1].Name
			for _, x := range tallies {
				if x.NeededBand != top {
					t.Fatalf("needed band %q, want %q: %+v", x.NeededBand, top, x)
				}
			}

			// Learning for statement 1.1, completed by the first person.
			lesson := &upskill.ContentVersion{Title: "Locking your screen", Summary: "Why and how.", Format: upskill.FormatLesson, Minutes: 5,
				Mappings: []upskill.ContentMapping{{FrameworkID: v.FrameworkID, CapabilityCode: "1.1", Level: 2}},
				Pages:    []upskill.LessonPage{{Title: "Why", Body: "Text."}}}
			item, err := s.CreateContent(ctx, 0, f.orgA.Ref(), upskill.VisibleEveryone, lesson)
			must(t, err)
			must(t, s.PublishContent(ctx, 0, f.orgA.ID, item))
			e, err := s.Enrol(ctx, staff[0], []int64{f.orgA.ID}, f.orgA.ID, item)
			must(t, err)
			must(t, s.SeePage(ctx, staff[0], e.ID, 1))
			_, err = s.CompleteLearning(ctx, staff[0], e.ID)
			must(t, err)
			if n, _ := s.InsightQueued(ctx); n != 1 {
				t.Fatalf("%d queued after completing learning, want the person's attempt", n)
			}
			drain(t, s)
			if got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1"); got.People != 5 || got.Learned != 1 {
				t.Fatalf("after learning for domain 1: %+v", got)
			}
			if got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "2"); got.Learned != 0 {
				t.Fatalf("learning for domain 1 counted in domain 2: %+v", got)
			}
			// The organisation's totals, which regions add up, agree.
			totals, err := s.InsightOrgTotals(ctx, v.FrameworkID, f.region.ID, insight.DefaultK)
			must(t, err)
			var learned, people int64
			for _, o := range totals {
				if o.Org == f.orgA.ID && o.Domain == "1" {
					learned, people = learned+o.Learned, people+o.People
				}
			}
			if learned != 1 || people != 5 {
				t.Fatalf("totals: %d learned of %d", learned, people)
			}
			// Counting the same attempt again changes nothing.
			e2, err := s.Enrol(ctx, staff[0], []int64{f.orgA.ID}, f.orgA.ID, item)
			if err == nil {
				must(t, s.SeePage(ctx, staff[0], e2.ID, 1))
				_, err = s.CompleteLearning(ctx, staff[0], e2.ID)
				must(t, err)
			}
			drain(t, s)
			if got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1"); got.People != 5 || got.Learned != 1 {
				t.Fatalf("after counting again: %+v", got)
			}
			// A later attempt with no gap leaves the person out of Learned.
			submitRated(t, s, v, staff[0], f.orgA.ID, 10)
			drain(t, s)
			if got := sums(t, s, f.orgA.ID, v.FrameworkID, 2024, "1"); got.People != 5 || got.Below != 4 || got.Learned != 0 {
				t.Fatalf("after a later attempt at the top: %+v", got)
			}
			// The cells the first attempt left are dropped, not kept at
			// nought, here and in the organisation's totals.
			tallies, err = s.InsightTallies(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			for _, x := range tallies {
				if x.People == 0 {
					t.Fatalf("an empty cell is kept: %+v", x)
				}
			}
			totals, err = s.InsightOrgTotals(ctx, v.FrameworkID, f.region.ID, insight.DefaultK)
			must(t, err)
			bands := map[string]bool{}
			for _, o := range totals {
				if o.People == 0 {
					t.Fatalf("an empty total is kept: %+v", o)
				}
				if o.Org == f.orgA.ID && o.Domain == "1" {
					bands[o.Band] = true
				}
			}
			if len(bands) != 2 {
				t.Fatalf("bands counted in domain 1: %v, want the four below and the one at the top", bands)
			}
		})
	}
}

// What an organisation's suppression shows is recorded with the k it was
// worked out with: with another k, regions and the nation take the
// organisation's own figures as not shown, and it is stale until worked
// out again.
func TestInsightShownKeepsItsK(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		for i := range 3 {
			m, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: fmt.Sprintf("k%d@example.org", i), Name: fmt.Sprintf("Member %d", i),
				Roles: upskill.RoleSet(upskill.RoleLearner)})
			must(t, err)
			submitRated(t, s, v, m.Person.ID, f.orgA.ID, 1)
		}
		drain(t, s)
		version, err := s.InsightVersion(ctx, f.orgA.ID)
		must(t, err)
		cycle := insight.CycleOf(time.Now())
		must(t, s.SaveInsightShown(ctx, f.orgA.ID, v.FrameworkID, version, 3, []insight.Shown{{Cycle: cycle, Scores: true, Change: true}}))
		shown := func(k int) bool {
			totals, err := s.InsightOrgTotals(ctx, v.FrameworkID, f.region.ID, k)
			must(t, err)
			if len(totals) == 0 {
				t.Fatal("no totals")
			}
			for _, o := range totals {
				if o.Org == f.orgA.ID && o.Tally.Cycle == cycle {
					return o.Scores
				}
			}
			t.Fatalf("no totals for this year: %+v", totals)
			return false
		}
		if !shown(3) {
			t.Error("shown with k = 3 and not read back with k = 3")
		}
		if shown(5) {
			t.Error("a decision made with k = 3 was read back as shown with k = 5")
		}
		for k, want := range map[int]bool{3: false, 5: true} {
			stale, err := s.InsightStale(ctx, k, 10)
			must(t, err)
			if slices.Contains(stale, f.orgA.ID) != want {
				t.Errorf("with k = %d, stale %v", k, stale)
			}
		}
	})
}
