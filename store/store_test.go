package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

var ctx = context.Background()

// fixture is a small hierarchy: a nation with one region holding two
// organisations, each with an admin.
type fixture struct {
	nation, region, orgA, orgB *upskill.Organisation
	adminA, adminB             *upskill.Person
}

func newFixture(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	f := &fixture{}
	root, err := s.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "root@example.org", Name: "Root Admin", PasswordHash: "x", Verified: true})
	must(t, err)
	f.nation, err = s.Nation(ctx)
	must(t, err)
	f.region, err = s.CreateChild(ctx, root.ID, f.nation, upskill.OrganisationInput{Name: "North East and Yorkshire"})
	must(t, err)
	f.orgA, err = s.CreateChild(ctx, root.ID, f.region, upskill.OrganisationInput{Name: "Riverside Hospitals NHS Trust", Type: upskill.OrgNHSTrust, Code: "rx1"})
	must(t, err)
	f.orgB, err = s.CreateChild(ctx, root.ID, f.region, upskill.OrganisationInput{Name: "Beech House Care Home", Type: upskill.OrgCareHome})
	must(t, err)
	a, err := s.AddMember(ctx, root.ID, f.orgA, store.MemberInput{Email: "admin.a@example.org", Name: "Ada Admin", Roles: upskill.RoleSet(upskill.RoleOrgAdmin)})
	must(t, err)
	f.adminA = a.Person
	b, err := s.AddMember(ctx, root.ID, f.orgB, store.MemberInput{Email: "admin.b@example.org", Name: "Ben Admin", Roles: upskill.RoleSet(upskill.RoleOrgAdmin)})
	must(t, err)
	f.adminB = b.Person
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := upskill.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestMigrateTwiceIsHarmless(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		must(t, s.Migrate(ctx, nil))
		v, err := s.SchemaVersion(ctx)
		must(t, err)
		if v < 1 {
			t.Fatalf("schema version %d after migrating", v)
		}
	})
}

func TestHierarchy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		if f.orgA.Level != upskill.LevelOrganisation || f.orgA.ParentID != f.region.ID || f.orgA.Code != "RX1" {
			t.Fatalf("organisation stored as %+v", f.orgA)
		}
		kids, err := s.Children(ctx, f.region.ID)
		must(t, err)
		if len(kids) != 2 || kids[0].Name != "Beech House Care Home" || kids[1].Staff != 1 {
			t.Fatalf("children of region: %+v", kids)
		}
		regions, err := s.Children(ctx, f.nation.ID)
		must(t, err)
		if len(regions) != 1 || regions[0].Children != 2 {
			t.Fatalf("regions: %+v", regions)
		}

		// Names are unique among siblings, whatever their case.
		_, err = s.CreateChild(ctx, 0, f.region, upskill.OrganisationInput{Name: "riverside hospitals nhs trust", Type: upskill.OrgNHSTrust})
		wantCode(t, err, upskill.ECONFLICT)
		// An organisation needs a type; a bad code is refused.
		_, err = s.CreateChild(ctx, 0, f.region, upskill.OrganisationInput{Name: "Somewhere", Code: "AB-1"})
		wantCode(t, err, upskill.EINVALID)
		if fields := upskill.ErrorFields(err); len(fields) != 2 || fields[0].Field != "type" || fields[1].Field != "code" {
			t.Fatalf("field errors: %+v", fields)
		}
		// Nothing may be created below an organisation.
		_, err = s.CreateChild(ctx, 0, f.orgA, upskill.OrganisationInput{Name: "Ward 1"})
		wantCode(t, err, upskill.EINVALID)

		must(t, s.UpdateOrganisation(ctx, f.adminA.ID, f.orgA, upskill.OrganisationInput{Name: "Riverside University Hospitals NHS Trust", Type: upskill.OrgNHSTrust, ReassessMonths: 12}))
		got, err := s.Organisation(ctx, f.orgA.ID)
		must(t, err)
		if got.Name != "Riverside University Hospitals NHS Trust" || got.ReassessMonths != 12 || got.Code != "" {
			t.Fatalf("after update: %+v", got)
		}
		err = s.UpdateOrganisation(ctx, 0, got, upskill.OrganisationInput{Name: "Beech House Care Home", Type: upskill.OrgCareHome})
		wantCode(t, err, upskill.ECONFLICT)

		_, err = s.Organisation(ctx, 99999)
		wantCode(t, err, upskill.ENOTFOUND)

		events, err := s.AuditEvents(ctx, f.orgA.ID, 10)
		must(t, err)
		if len(events) != 2 || events[0].Action != "update_organisation" || events[0].ActorName != "Ada Admin" {
			t.Fatalf("audit events: %+v", events)
		}
	})
}

func TestUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		dept, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "  Emergency   department ")
		must(t, err)
		if dept.Name != "Emergency department" || dept.Kind != upskill.UnitDepartment {
			t.Fatalf("department: %+v", dept)
		}
		team, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, dept.ID, "Resus")
		must(t, err)
		_, err = s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, team.ID, "Bay 1")
		wantCode(t, err, upskill.EINVALID)
		_, err = s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "EMERGENCY DEPARTMENT")
		wantCode(t, err, upskill.ECONFLICT)
		_, err = s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "  ")
		wantCode(t, err, upskill.EINVALID)
		// The same name is fine in another organisation.
		_, err = s.CreateUnit(ctx, f.adminB.ID, f.orgB.ID, 0, "Emergency department")
		must(t, err)

		// Another organisation's department cannot be reached, extended,
		// renamed or removed.
		_, err = s.Unit(ctx, f.orgB.ID, dept.ID)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.CreateUnit(ctx, f.adminB.ID, f.orgB.ID, dept.ID, "Sneaky team")
		wantCode(t, err, upskill.ENOTFOUND)
		wantCode(t, s.RenameUnit(ctx, f.adminB.ID, f.orgB.ID, dept.ID, "Mine now"), upskill.ENOTFOUND)
		wantCode(t, s.DeleteUnit(ctx, f.adminB.ID, f.orgB.ID, team.ID), upskill.ENOTFOUND)

		units, err := s.Units(ctx, f.orgA.ID)
		must(t, err)
		if len(units) != 2 || units[0].ID != dept.ID || units[1].ID != team.ID {
			t.Fatalf("units: %+v", units)
		}
		// A department with teams cannot go; an empty team can.
		wantCode(t, s.DeleteUnit(ctx, f.adminA.ID, f.orgA.ID, dept.ID), upskill.ECONFLICT)
		must(t, s.DeleteUnit(ctx, f.adminA.ID, f.orgA.ID, team.ID))
		must(t, s.RenameUnit(ctx, f.adminA.ID, f.orgA.ID, dept.ID, "Urgent and emergency care"))
		must(t, s.DeleteUnit(ctx, f.adminA.ID, f.orgA.ID, dept.ID))
	})
}

func TestMembersAndTenancy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ward, err := s.CreateUnit(ctx, f.adminA.ID, f.orgA.ID, 0, "Ward 10")
		must(t, err)
		otherDept, err := s.CreateUnit(ctx, f.adminB.ID, f.orgB.ID, 0, "Day care")
		must(t, err)

		sup, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "Sam.Supervisor@Example.org ", Name: "Sam Supervisor",
			Roles: upskill.RoleSet(upskill.RoleSupervisor).With(upskill.RoleLearner)})
		must(t, err)
		if !sup.NewPerson || sup.Invitation == "" || sup.Person.Email != "sam.supervisor@example.org" {
			t.Fatalf("new supervisor: %+v", sup)
		}
		attrs := upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", PayBand: "afc_5", UnitID: ward.ID, LineManagerID: sup.Person.ID}
		nurse, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "nina@example.org", Name: "Nina Nurse",
			Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: attrs})
		must(t, err)

		// The same address again in the same organisation is a conflict.
		_, err = s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "NINA@example.org", Name: "Nina Again", Roles: upskill.RoleSet(upskill.RoleLearner)})
		wantCode(t, err, upskill.ECONFLICT)

		// Placing someone in another organisation's department, or under a
		// line manager who works elsewhere, is refused and writes nothing.
		bad := []upskill.StaffAttributes{
			{UnitID: otherDept.ID},
			{LineManagerID: f.adminB.ID},
			{StaffGroup: "astronauts"},
			{PayBand: "afc_99"},
		}
		for _, a := range bad {
			_, err = s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "new@example.org", Name: "New Person", Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: a})
			wantCode(t, err, upskill.EINVALID)
		}
		if _, _, err := s.Credentials(ctx, "new@example.org"); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("a refused addition left a person behind: %v", err)
		}
		// Roles must suit the level.
		_, err = s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "new@example.org", Name: "New Person", Roles: upskill.RoleSet(upskill.RoleNationalAdmin)})
		wantCode(t, err, upskill.EINVALID)

		// The nurse also joins organisation B: one identity, two memberships,
		// and no new invitation because nothing about her identity changes.
		again, err := s.AddMember(ctx, f.adminB.ID, f.orgB, store.MemberInput{Email: "nina@example.org", Name: "Someone Else", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		if again.NewPerson || again.Person.ID != nurse.Person.ID || again.Person.Name != "Nina Nurse" {
			t.Fatalf("second membership: %+v", again)
		}

		// Each organisation sees only its own membership of her.
		_, m, err := s.Member(ctx, f.orgA.ID, nurse.Person.ID)
		must(t, err)
		if m.UnitName != "Ward 10" || m.LineManagerName != "Sam Supervisor" || m.JobRole != "Staff nurse" || m.OrganisationName != f.orgA.Name {
			t.Fatalf("membership in A: %+v", m)
		}
		_, m, err = s.Member(ctx, f.orgB.ID, nurse.Person.ID)
		must(t, err)
		if m.UnitID != 0 || m.JobRole != "" {
			t.Fatalf("membership in B shows A's details: %+v", m)
		}
		_, _, err = s.Member(ctx, f.orgB.ID, sup.Person.ID)
		wantCode(t, err, upskill.ENOTFOUND)

		// Lists are scoped to the organisation and filter as asked.
		pa, err := s.People(ctx, f.orgA.ID, store.PeopleFilter{})
		must(t, err)
		if pa.Total != 3 {
			t.Fatalf("people in A: %d", pa.Total)
		}
		pb, err := s.People(ctx, f.orgB.ID, store.PeopleFilter{Query: "sam"})
		must(t, err)
		if pb.Total != 0 {
			t.Fatalf("B found A's supervisor: %+v", pb.People)
		}
		checks := []struct {
			f    store.PeopleFilter
			want []string
		}{
			{store.PeopleFilter{Query: "NIN"}, []string{"Nina Nurse"}},
			{store.PeopleFilter{Query: "example.org"}, []string{"Ada Admin", "Nina Nurse", "Sam Supervisor"}},
			{store.PeopleFilter{Query: "%"}, nil},
			{store.PeopleFilter{UnitID: ward.ID}, []string{"Nina Nurse"}},
			{store.PeopleFilter{UnitID: otherDept.ID}, nil},
			{store.PeopleFilter{StaffGroup: "nursing_midwifery"}, []string{"Nina Nurse"}},
			{store.PeopleFilter{Role: upskill.RoleSupervisor}, []string{"Sam Supervisor"}},
			{store.PeopleFilter{LineManagerID: sup.Person.ID}, []string{"Nina Nurse"}},
			{store.PeopleFilter{PerPage: 2, Page: 2}, []string{"Sam Supervisor"}},
		}
		for _, c := range checks {
			page, err := s.People(ctx, f.orgA.ID, c.f)
			must(t, err)
			var got []string
			for _, p := range page.People {
				got = append(got, p.Name)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("filter %+v: got %v, want %v", c.f, got, c.want)
			}
		}

		// Updating through another organisation finds no one.
		wantCode(t, s.UpdateMember(ctx, f.adminB.ID, f.orgB, sup.Person.ID, upskill.RoleSet(upskill.RoleOrgAdmin), upskill.StaffAttributes{}), upskill.ENOTFOUND)
		wantCode(t, s.UpdateMember(ctx, f.adminA.ID, f.orgA, nurse.Person.ID, upskill.RoleSet(upskill.RoleLearner), upskill.StaffAttributes{LineManagerID: nurse.Person.ID}), upskill.EINVALID)
		must(t, s.UpdateMember(ctx, f.adminA.ID, f.orgA, nurse.Person.ID, upskill.RoleSet(upskill.RoleLearner).With(upskill.RoleSupervisor), upskill.StaffAttributes{StaffGroup: "nursing_midwifery", PayBand: "afc_6", JobRole: "Sister"}))
		_, m, err = s.Member(ctx, f.orgA.ID, nurse.Person.ID)
		must(t, err)
		if !m.Roles.Has(upskill.RoleSupervisor) || m.PayBand != "afc_6" || m.UnitID != 0 || m.LineManagerID != 0 {
			t.Fatalf("after update: %+v", m)
		}

		// Ending a membership keeps the identity and the other membership.
		wantCode(t, s.EndMembership(ctx, f.adminA.ID, f.orgA, f.adminA.ID), upskill.EINVALID)
		wantCode(t, s.EndMembership(ctx, f.adminB.ID, f.orgB, sup.Person.ID), upskill.ENOTFOUND)
		must(t, s.EndMembership(ctx, f.adminA.ID, f.orgA, nurse.Person.ID))
		_, _, err = s.Member(ctx, f.orgA.ID, nurse.Person.ID)
		wantCode(t, err, upskill.ENOTFOUND)
		ms, err := s.Memberships(ctx, nurse.Person.ID)
		must(t, err)
		if len(ms) != 2 || !ms[0].Current() || ms[1].Current() || ms[1].OrganisationID != f.orgA.ID {
			t.Fatalf("memberships after leaving A: %+v", ms)
		}
		// She can join A again later.
		_, err = s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "nina@example.org", Name: "Nina Nurse", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)

		actor, err := s.Actor(ctx, nurse.Person.ID)
		must(t, err)
		if len(actor.Memberships) != 2 {
			t.Fatalf("actor memberships: %+v", actor.Memberships)
		}
	})
}

func TestInvitationAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		added, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "ivy@example.org", Name: "Ivy", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		info, err := s.Token(ctx, store.TokenInvitation, added.Invitation)
		must(t, err)
		if info.Email != "ivy@example.org" || info.OrganisationName != f.orgA.Name || info.HasPassword {
			t.Fatalf("invitation: %+v", info)
		}
		// The wrong purpose or a made-up secret finds nothing.
		_, err = s.Token(ctx, store.TokenResetPassword, added.Invitation)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.Token(ctx, store.TokenInvitation, "made-up")
		wantCode(t, err, upskill.ENOTFOUND)

		// A fresh invitation replaces the first.
		second, err := s.Reinvite(ctx, f.adminA.ID, f.orgA.ID, added.Person.ID)
		must(t, err)
		_, err = s.Token(ctx, store.TokenInvitation, added.Invitation)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.Reinvite(ctx, f.adminB.ID, f.orgB.ID, added.Person.ID)
		wantCode(t, err, upskill.ENOTFOUND)

		id, err := s.AcceptInvitation(ctx, second, "Ivy Ingram", "hash-1")
		must(t, err)
		p, hash, err := s.Credentials(ctx, "ivy@example.org")
		must(t, err)
		if id != p.ID || hash != "hash-1" || p.Name != "Ivy Ingram" || !p.EmailVerified() {
			t.Fatalf("after accepting: %+v %q", p, hash)
		}
		_, err = s.AcceptInvitation(ctx, second, "Ivy", "hash-2")
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.Reinvite(ctx, f.adminA.ID, f.orgA.ID, added.Person.ID)
		wantCode(t, err, upskill.ECONFLICT)

		// A password reset ends every session and lifts a lockout.
		sess, err := s.CreateSession(ctx, p.ID)
		must(t, err)
		rule := store.ThrottleRule{Limit: 1, Window: time.Minute, LockFor: time.Hour}
		_, err = s.Throttle(ctx, store.EmailThrottleKey(p.Email), rule)
		must(t, err)
		reset, err := s.IssueToken(ctx, store.TokenResetPassword, p.ID)
		must(t, err)
		_, err = s.ResetPassword(ctx, reset, "hash-3")
		must(t, err)
		_, _, err = s.Session(ctx, sess)
		wantCode(t, err, upskill.EUNAUTHORISED)
		until, err := s.ThrottledUntil(ctx, store.EmailThrottleKey(p.Email))
		must(t, err)
		if !until.IsZero() {
			t.Fatalf("still locked until %v after reset", until)
		}
	})
}

func TestTokenExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		clockStore := storetest.Open(t, s.Engine(), store.Options{Now: func() time.Time { return now }})
		f := newFixture(t, clockStore)
		secret, err := clockStore.IssueToken(ctx, store.TokenResetPassword, f.adminA.ID)
		must(t, err)
		now = now.Add(59 * time.Minute)
		_, err = clockStore.Token(ctx, store.TokenResetPassword, secret)
		must(t, err)
		now = now.Add(2 * time.Minute)
		_, err = clockStore.Token(ctx, store.TokenResetPassword, secret)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = clockStore.ResetPassword(ctx, secret, "x")
		wantCode(t, err, upskill.ENOTFOUND)
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		a, err := s.CreateSession(ctx, f.adminA.ID)
		must(t, err)
		b, err := s.CreateSession(ctx, f.adminA.ID)
		must(t, err)
		got, actor, err := s.Session(ctx, a)
		must(t, err)
		if got.PersonID != f.adminA.ID || got.Hash != store.HashSecret(a) || got.Person.Email != "admin.a@example.org" {
			t.Fatalf("session: %+v", got)
		}
		if actor.PersonID != f.adminA.ID || len(actor.Memberships) != 1 || actor.Memberships[0].Org.ID != f.orgA.ID || !actor.Memberships[0].Roles.Has(upskill.RoleOrgAdmin) {
			t.Fatalf("session actor: %+v", actor)
		}
		// A person with no current membership still has a session.
		must(t, s.EndMembership(ctx, 0, f.orgA, f.adminA.ID))
		_, actor, err = s.Session(ctx, a)
		must(t, err)
		if actor.PersonID != f.adminA.ID || len(actor.Memberships) != 0 {
			t.Fatalf("actor without memberships: %+v", actor)
		}
		must(t, s.TouchSession(ctx, got.Hash))
		must(t, s.DeleteSessionsOf(ctx, f.adminA.ID, got.Hash))
		_, _, err = s.Session(ctx, b)
		wantCode(t, err, upskill.EUNAUTHORISED)
		_, _, err = s.Session(ctx, a)
		must(t, err)
		n, err := s.DeleteExpiredSessions(ctx, time.Now().Add(time.Hour), time.Now().Add(-time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("expired sessions removed: %d", n)
		}
	})
}

func TestThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		s = storetest.Open(t, s.Engine(), store.Options{Now: func() time.Time { return now }})
		rule := store.ThrottleRule{Limit: 3, Window: 15 * time.Minute, LockFor: 15 * time.Minute}
		key := store.EmailThrottleKey("x@example.org")
		for i := 0; i < 2; i++ {
			until, err := s.Throttle(ctx, key, rule)
			must(t, err)
			if !until.IsZero() {
				t.Fatalf("locked after %d failures", i+1)
			}
		}
		// Failures outside the window are forgotten.
		now = now.Add(16 * time.Minute)
		until, err := s.Throttle(ctx, key, rule)
		must(t, err)
		if !until.IsZero() {
			t.Fatal("an old failure counted")
		}
		s.Throttle(ctx, key, rule)
		until, err = s.Throttle(ctx, key, rule)
		must(t, err)
		if !until.Equal(now.Add(15 * time.Minute)) {
			t.Fatalf("locked until %v", until)
		}
		got, err := s.ThrottledUntil(ctx, store.AddressThrottleKey("1.2.3.4"), key)
		must(t, err)
		if !got.Equal(until) {
			t.Fatalf("ThrottledUntil = %v", got)
		}
		now = now.Add(16 * time.Minute)
		got, err = s.ThrottledUntil(ctx, key)
		must(t, err)
		if !got.IsZero() {
			t.Fatalf("lock outlived its time: %v", got)
		}
		must(t, s.ClearThrottle(ctx, key))
	})
}

func TestSettingsAreShared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		k1, err := s.SecretKey(ctx)
		must(t, err)
		k2, err := s.SecretKey(ctx)
		must(t, err)
		if len(k1) != 32 || string(k1) != string(k2) {
			t.Fatalf("secret keys differ or are short: %x %x", k1, k2)
		}
	})
}

func TestNationalAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		has, err := s.HasNationalAdmin(ctx)
		must(t, err)
		if has {
			t.Fatal("fresh database has an admin")
		}
		_, err = s.Nation(ctx)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "not-an-email", Name: ""})
		wantCode(t, err, upskill.EINVALID)
		p, err := s.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "lead@example.org", Name: "Lead", PasswordHash: "h"})
		must(t, err)
		has, err = s.HasNationalAdmin(ctx)
		must(t, err)
		if !has {
			t.Fatal("no admin after creating one")
		}
		// Making the same person admin again changes nothing; a second
		// nation is never created.
		_, err = s.CreateNationalAdmin(ctx, 0, "Wales", store.NewAccount{Email: "lead@example.org", Name: "Lead"})
		must(t, err)
		n, err := s.Nation(ctx)
		must(t, err)
		if n.Name != "England" {
			t.Fatalf("nation renamed to %q", n.Name)
		}
		a, err := s.Actor(ctx, p.ID)
		must(t, err)
		if !a.IsNationalAdmin() || len(a.Memberships) != 1 {
			t.Fatalf("actor: %+v", a)
		}
	})
}
