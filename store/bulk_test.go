package store_test

import (
	"fmt"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// smallBulk is a region with two organisations, a department and a team in
// the first and a department in the second, staff spread over both, a
// region lead and a national admin. staff is large enough to need more than
// one INSERT statement per table.
func smallBulk(nationID int64, staff int) *store.Bulk {
	b := &store.Bulk{
		Organisations: []upskill.Organisation{
			{ID: -1, ParentID: nationID, Level: upskill.LevelRegion, Name: "South West"},
			{ID: -2, ParentID: -1, Level: upskill.LevelOrganisation, Type: upskill.OrgNHSTrust, Name: "Kelbury Hospitals NHS Trust", Code: "kx1"},
			{ID: -3, ParentID: -1, Level: upskill.LevelOrganisation, Type: upskill.OrgCareHome, Name: "Rowan House Care Home"},
		},
		Sites: []upskill.Site{
			{ID: -1, OrganisationID: -2, Name: "Kelbury General Hospital"},
			{ID: -2, OrganisationID: -3, Name: "Rowan House"},
		},
		Units: []upskill.Unit{
			{ID: -1, OrganisationID: -2, Name: "Medicine", SiteID: -1},
			{ID: -2, OrganisationID: -2, ParentID: -1, Name: "Ward 10 (Cardiology)"},
			{ID: -3, OrganisationID: -3, Name: "Nursing floor"},
		},
		PasswordHash: "shared-hash",
		Verified:     true,
		Action:       "load_test_data",
		Detail:       "store test",
	}
	started := time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range staff {
		id := -int64(i + 1)
		b.People = append(b.People, upskill.Person{ID: id, Email: fmt.Sprintf(" Person.%d@Example.org", i+1), Name: fmt.Sprintf("Person  %d", i+1)})
		m := upskill.Membership{PersonID: id, Roles: upskill.RoleSet(upskill.RoleLearner), StartedAt: started}
		switch {
		case i == 0: // the trust's supervisor, on the ward
			m.OrganisationID, m.Roles = -2, m.Roles.With(upskill.RoleSupervisor)
			m.StaffAttributes = upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Ward sister", PayBand: "afc_7", UnitID: -2}
		case i == 1: // the care home's supervisor
			m.OrganisationID, m.Roles = -3, m.Roles.With(upskill.RoleSupervisor)
			m.StaffAttributes = upskill.StaffAttributes{StaffGroup: "care_management", JobRole: "Deputy manager", PayBand: "other", UnitID: -3}
		case i%3 == 0:
			m.OrganisationID = -3
			m.StaffAttributes = upskill.StaffAttributes{StaffGroup: "care_direct", JobRole: "Care worker", PayBand: "other", UnitID: -3, LineManagerID: -2}
		default:
			m.OrganisationID = -2
			m.StaffAttributes = upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", PayBand: "afc_5", UnitID: -2, LineManagerID: -1}
		}
		b.Memberships = append(b.Memberships, m)
	}
	lead, admin := -int64(staff+1), -int64(staff+2)
	b.People = append(b.People,
		upskill.Person{ID: lead, Email: "lead@example.org", Name: "Region Lead"},
		upskill.Person{ID: admin, Email: "national@example.org", Name: "National Admin"})
	b.Memberships = append(b.Memberships,
		upskill.Membership{PersonID: lead, OrganisationID: -1, Roles: upskill.RoleSet(upskill.RoleRegionLead)},
		upskill.Membership{PersonID: admin, OrganisationID: nationID, Roles: upskill.RoleSet(upskill.RoleNationalAdmin)})
	return b
}

func TestBulkLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		at, err := s.BulkLoaded(ctx, "load_test_data")
		must(t, err)
		if !at.IsZero() {
			t.Fatalf("a fresh database has a load recorded at %v", at)
		}
		const staff = 1500
		b := smallBulk(nation.ID, staff)
		must(t, s.BulkLoad(ctx, 0, b))

		// Stored ids are written back, and references follow them.
		trust, home := b.Organisations[1], b.Organisations[2]
		if trust.ID <= 0 || trust.ParentID != b.Organisations[0].ID || trust.Code != "KX1" {
			t.Fatalf("trust after load: %+v", trust)
		}
		if b.Units[1].ParentID != b.Units[0].ID || b.Units[1].Kind != upskill.UnitTeam || b.Units[1].OrganisationID != trust.ID {
			t.Fatalf("team after load: %+v", b.Units[1])
		}
		if medicine, err := s.Unit(ctx, trust.ID, b.Units[0].ID); err != nil || medicine.SiteID != b.Sites[0].ID || b.Sites[0].OrganisationID != trust.ID {
			t.Fatalf("the department's site after load: %+v %+v %v", medicine, b.Sites[0], err)
		}
		sup := b.People[0]
		if sup.ID <= 0 || sup.Email != "person.1@example.org" || sup.Name != "Person 1" || !sup.EmailVerified() {
			t.Fatalf("person after load: %+v", sup)
		}

		// What the one-at-a-time methods read is what was loaded.
		got, err := s.Organisation(ctx, trust.ID)
		must(t, err)
		if got.Name != trust.Name || got.Type != upskill.OrgNHSTrust || got.ParentID != b.Organisations[0].ID {
			t.Fatalf("stored trust: %+v", got)
		}
		nurse := b.People[4]
		_, m, err := s.Member(ctx, trust.ID, nurse.ID)
		must(t, err)
		if m.UnitName != "Ward 10 (Cardiology)" || m.LineManagerID != sup.ID || m.LineManagerName != "Person 1" ||
			m.PayBand != "afc_5" || !m.StartedAt.Equal(time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("stored membership: %+v", m)
		}
		p, hash, err := s.Credentials(ctx, "PERSON.5@example.org")
		must(t, err)
		if p.ID != nurse.ID || hash != "shared-hash" || !p.EmailVerified() {
			t.Fatalf("credentials: %+v %q", p, hash)
		}
		pa, err := s.People(ctx, trust.ID, store.PeopleFilter{})
		must(t, err)
		pb, err := s.People(ctx, home.ID, store.PeopleFilter{})
		must(t, err)
		if pa.Total+pb.Total != staff || pb.Total != (staff-1)/3+1 {
			t.Fatalf("staff stored: %d in the trust, %d in the home", pa.Total, pb.Total)
		}
		units, err := s.Units(ctx, trust.ID)
		must(t, err)
		if len(units) != 2 || units[1].Members != pa.Total {
			t.Fatalf("units of the trust: %+v", units)
		}
		lead, err := s.Actor(ctx, b.People[staff].ID)
		must(t, err)
		if len(lead.Memberships) != 1 || !lead.Memberships[0].Roles.Has(upskill.RoleRegionLead) {
			t.Fatalf("region lead: %+v", lead)
		}
		admin, err := s.Actor(ctx, b.People[staff+1].ID)
		must(t, err)
		if !admin.IsNationalAdmin() {
			t.Fatalf("national admin: %+v", admin)
		}

		// One audit event says what was loaded.
		events, err := s.AuditEvents(ctx, nation.ID, 10)
		must(t, err)
		if len(events) != 1 || events[0].Action != "load_test_data" ||
			events[0].Detail != fmt.Sprintf("store test: 1 region, 2 organisations, 3 departments and teams, %d people, %d memberships", staff+2, staff+2) {
			t.Fatalf("audit events: %+v", events)
		}
		at, err = s.BulkLoaded(ctx, "load_test_data")
		must(t, err)
		if at.IsZero() {
			t.Fatal("the load is not recorded")
		}

		// New rows made the ordinary way after a load get fresh ids.
		added, err := s.AddMember(ctx, 0, got, store.MemberInput{Email: "later@example.org", Name: "Later Person", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		if added.Person.ID <= b.People[len(b.People)-1].ID {
			t.Fatalf("a person added later got id %d", added.Person.ID)
		}
		unit, err := s.CreateUnit(ctx, 0, trust.ID, 0, "Surgery")
		must(t, err)
		if unit.ID <= b.Units[2].ID {
			t.Fatalf("a unit added later got id %d", unit.ID)
		}
		_, err = s.CreateChild(ctx, 0, &b.Organisations[0], upskill.OrganisationInput{Name: "Later Hospice", Type: upskill.OrgHospice})
		must(t, err)

		// Loading the same people again clashes and writes nothing.
		again := smallBulk(nation.ID, 3)
		again.Organisations[0].Name = "South East"
		again.Organisations[1].Name = "Another Trust"
		again.Organisations[2].Name = "Another Home"
		wantCode(t, s.BulkLoad(ctx, 0, again), upskill.ECONFLICT)
		if again.Organisations[0].ID != -1 {
			t.Fatal("a failed load wrote ids back")
		}
		regions, err := s.Children(ctx, nation.ID)
		must(t, err)
		if len(regions) != 1 {
			t.Fatalf("a failed load left regions behind: %+v", regions)
		}
	})
}

func TestBulkLoadRefusesBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		cases := []struct {
			name  string
			spoil func(b *store.Bulk)
		}{
			{"unit of another organisation", func(b *store.Bulk) { b.Memberships[4].UnitID = -3 }},
			{"line manager in another organisation", func(b *store.Bulk) { b.Memberships[4].LineManagerID = -2 }},
			{"own line manager", func(b *store.Bulk) { b.Memberships[4].LineManagerID = b.Memberships[4].PersonID }},
			{"line manager not loaded", func(b *store.Bulk) { b.Memberships[4].LineManagerID = -99 }},
			{"role of another level", func(b *store.Bulk) { b.Memberships[4].Roles = upskill.RoleSet(upskill.RoleRegionLead) }},
			{"no roles", func(b *store.Bulk) { b.Memberships[4].Roles = 0 }},
			{"national admin role in an organisation", func(b *store.Bulk) {
				b.Memberships[len(b.Memberships)-1].OrganisationID = -2
			}},
			{"staff details in a region", func(b *store.Bulk) {
				b.Memberships[len(b.Memberships)-2].StaffGroup = "admin_clerical"
			}},
			{"unknown staff group", func(b *store.Bulk) { b.Memberships[4].StaffGroup = "astronauts" }},
			{"unknown pay band", func(b *store.Bulk) { b.Memberships[4].PayBand = "afc_99" }},
			{"two memberships of one organisation", func(b *store.Bulk) {
				b.Memberships = append(b.Memberships, upskill.Membership{PersonID: -5, OrganisationID: -2, Roles: 1})
			}},
			{"person not loaded", func(b *store.Bulk) { b.Memberships[4].PersonID = 1 }},
			{"team in another organisation's department", func(b *store.Bulk) { b.Units[2].ParentID = -1 }},
			{"team in a team", func(b *store.Bulk) {
				b.Units = append(b.Units, upskill.Unit{ID: -4, OrganisationID: -2, ParentID: -2, Name: "Bay 1"})
			}},
			{"blank unit name", func(b *store.Bulk) { b.Units[0].Name = "  " }},
			{"department at another organisation's site", func(b *store.Bulk) { b.Units[0].SiteID = -2 }},
			{"department at a site not loaded", func(b *store.Bulk) { b.Units[0].SiteID = -9 }},
			{"team with a site", func(b *store.Bulk) { b.Units[1].SiteID = -1 }},
			{"two sites of one name", func(b *store.Bulk) { b.Sites[1].OrganisationID, b.Sites[1].Name = -2, "kelbury general hospital" }},
			{"site of a region", func(b *store.Bulk) { b.Sites[1].OrganisationID = -1 }},
			{"site of the stored nation", func(b *store.Bulk) { b.Sites[1].OrganisationID = nation.ID }},
			{"blank site name", func(b *store.Bulk) { b.Sites[0].Name = "" }},
			{"same email twice", func(b *store.Bulk) { b.People[6].Email = "PERSON.1@example.org" }},
			{"bad email", func(b *store.Bulk) { b.People[6].Email = "not an address" }},
			{"blank name", func(b *store.Bulk) { b.People[6].Name = "" }},
			{"stored id on a new row", func(b *store.Bulk) { b.People[6].ID = 7 }},
			{"organisation without a type", func(b *store.Bulk) { b.Organisations[1].Type = "" }},
			{"organisation straight below the nation", func(b *store.Bulk) { b.Organisations[1].ParentID = nation.ID }},
			{"region below a region", func(b *store.Bulk) { b.Organisations[1].Level = upskill.LevelRegion }},
			{"parent later in the load", func(b *store.Bulk) { b.Organisations[0].ParentID = -2 }},
			{"membership of a node not stored", func(b *store.Bulk) { b.Memberships[len(b.Memberships)-1].OrganisationID = nation.ID + 1000 }},
		}
		for _, c := range cases {
			b := smallBulk(nation.ID, 12)
			c.spoil(b)
			err := s.BulkLoad(ctx, 0, b)
			if upskill.ErrorCode(err) != upskill.EINVALID {
				t.Errorf("%s: error %v, want %s", c.name, err, upskill.EINVALID)
			}
		}
		if _, _, err := s.Credentials(ctx, "person.1@example.org"); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("a refused load left a person behind: %v", err)
		}
		if at, err := s.BulkLoaded(ctx, "load_test_data"); err != nil || !at.IsZero() {
			t.Fatalf("a refused load was recorded: %v %v", at, err)
		}
		// The same rows, unspoilt, load.
		must(t, s.BulkLoad(ctx, 0, smallBulk(nation.ID, 12)))
	})
}
