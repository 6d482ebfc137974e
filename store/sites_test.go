package store_test

import (
	"fmt"
	"testing"

	"upskill"
	"upskill/insight"
	"upskill/store"
	"upskill/store/storetest"
)

// Sites belong to one organisation: a department is placed only at its
// own organisation's sites, a site in use is kept, and placing a
// department changes where its people's attempts count from then on, and
// nothing counted before.
func TestSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		royal, err := s.CreateSite(ctx, f.adminA.ID, f.orgA.ID, "  Royal   Victoria Hospital ")
		must(t, err)
		if royal.Name != "Royal Victoria Hospital" {
			t.Fatalf("name %q", royal.Name)
		}
		if _, err := s.CreateSite(ctx, f.adminA.ID, f.orgA.ID, "royal victoria hospital"); upskill.ErrorCode(err) != upskill.ECONFLICT {
			t.Fatalf("a second site of the same name: %v", err)
		}
		if _, err := s.CreateSite(ctx, f.adminA.ID, f.orgA.ID, " "); upskill.ErrorCode(err) != upskill.EINVALID {
			t.Fatalf("a site with no name: %v", err)
		}
		// The same name in another organisation is its own site.
		beech, err := s.CreateSite(ctx, f.adminB.ID, f.orgB.ID, "Royal Victoria Hospital")
		must(t, err)

		ward, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "Ward 7")
		must(t, err)
		team, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, ward.ID, "Night team")
		must(t, err)
		var first int64
		for i := range 5 {
			m, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: fmt.Sprintf("s%d@example.org", i), Name: fmt.Sprintf("Staff %d", i),
				Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{UnitID: team.ID}})
			must(t, err)
			submitRated(t, s, v, m.Person.ID, f.orgA.ID, 3)
			if i == 0 {
				first = m.Person.ID
			}
		}
		drain(t, s)
		before, err := s.InsightVersion(ctx, f.orgA.ID)
		must(t, err)

		// Another organisation's site, a team and a missing department
		// are refused, and write nothing.
		eventsBefore, err := s.AuditEvents(ctx, f.orgA.ID, 1000)
		must(t, err)
		if err := s.SetDepartmentSite(ctx, f.adminA.ID, f.orgA.ID, ward.ID, beech.ID); upskill.ErrorCode(err) != upskill.EINVALID {
			t.Fatalf("placing a department at another organisation's site: %v", err)
		}
		if err := s.SetDepartmentSite(ctx, f.adminA.ID, f.orgA.ID, team.ID, royal.ID); upskill.ErrorCode(err) != upskill.EINVALID {
			t.Fatalf("placing a team: %v", err)
		}
		if err := s.SetDepartmentSite(ctx, f.adminB.ID, f.orgB.ID, ward.ID, beech.ID); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("B placing A's department: %v", err)
		}
		if events, _ := s.AuditEvents(ctx, f.orgA.ID, 1000); len(events) != len(eventsBefore) {
			t.Fatalf("refused placings wrote %d events", len(events)-len(eventsBefore))
		}
		u, err := s.Unit(ctx, f.orgA.ID, ward.ID)
		must(t, err)
		if u.SiteID != 0 {
			t.Fatalf("the ward was placed at %d", u.SiteID)
		}

		// Placed at its own organisation's site: what was counted stays
		// where it was counted; what is counted from now on counts there.
		must(t, s.SetDepartmentSite(ctx, f.adminA.ID, f.orgA.ID, ward.ID, royal.ID))
		if after, _ := s.InsightVersion(ctx, f.orgA.ID); after != before {
			t.Fatal("placing a department changed the figures already counted")
		}
		atSite := func() (at, elsewhere int64) {
			tallies, _, _, err := s.InsightSnapshot(ctx, f.orgA.ID, v.FrameworkID)
			must(t, err)
			for _, x := range tallies {
				if x.Domain != "1" {
					continue
				}
				if insight.BySite.Value(x.Group) == fmt.Sprint(royal.ID) {
					at += x.People
				} else {
					elsewhere += x.People
				}
			}
			return at, elsewhere
		}
		if at, elsewhere := atSite(); at != 0 || elsewhere != 5 {
			t.Fatalf("after the move: %d at the site, %d elsewhere; want 0 and 5", at, elsewhere)
		}
		// One of them takes the assessment again: their new attempt counts
		// at the site.
		submitRated(t, s, v, first, f.orgA.ID, 4)
		drain(t, s)
		if at, elsewhere := atSite(); at != 1 || elsewhere != 4 {
			t.Fatalf("after a new attempt: %d at the site, %d elsewhere; want 1 and 4", at, elsewhere)
		}
		entries, err := s.InsightEntries(ctx, f.orgA.ID, v.FrameworkID)
		must(t, err)
		sites := map[int64]int{}
		for _, e := range entries {
			sites[e.Group.Site] += e.People
		}
		if sites[royal.ID] != 1 || sites[0] != 4 {
			t.Fatalf("entries by site: %v", sites)
		}

		// A site in use stays; B cannot remove A's; an empty one goes.
		if err := s.DeleteSite(ctx, f.adminA.ID, f.orgA.ID, royal.ID); upskill.ErrorCode(err) != upskill.ECONFLICT {
			t.Fatalf("removing a site in use: %v", err)
		}
		if err := s.DeleteSite(ctx, f.adminB.ID, f.orgB.ID, royal.ID); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("B removing A's site: %v", err)
		}
		listed, err := s.Sites(ctx, f.orgA.ID)
		must(t, err)
		if len(listed) != 1 || listed[0].Departments != 1 {
			t.Fatalf("sites: %+v", listed)
		}
		must(t, s.SetDepartmentSite(ctx, f.adminA.ID, f.orgA.ID, ward.ID, 0))
		must(t, s.DeleteSite(ctx, f.adminA.ID, f.orgA.ID, royal.ID))
		if listed, _ := s.Sites(ctx, f.orgA.ID); len(listed) != 0 {
			t.Fatalf("sites after removing: %+v", listed)
		}
		// The removed site's number, which figures still carry, is not
		// given to the next site, made one at a time or in bulk.
		next, err := s.CreateSite(ctx, f.adminA.ID, f.orgA.ID, "Hillside Clinic")
		must(t, err)
		if next.ID <= royal.ID {
			t.Fatalf("a new site took number %d after %d was removed", next.ID, royal.ID)
		}
		must(t, s.DeleteSite(ctx, f.adminA.ID, f.orgA.ID, next.ID))
		b := &store.Bulk{Sites: []upskill.Site{{ID: -1, OrganisationID: f.orgA.ID, Name: "Riverside Centre"}}, Action: "load_test_data"}
		must(t, s.BulkLoad(ctx, 0, b))
		if b.Sites[0].ID <= next.ID {
			t.Fatalf("a site loaded in bulk took number %d after %d was removed", b.Sites[0].ID, next.ID)
		}
	})
}
