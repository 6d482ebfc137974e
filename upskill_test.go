package upskill

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateEmail(t *testing.T) {
	for email, ok := range map[string]bool{
		"nia.jones@nhs.net":                   true,
		"a+tag@care-home.example.org":         true,
		"":                                    false,
		"nia":                                 false,
		"nia@":                                false,
		"@nhs.net":                            false,
		"nia@localhost":                       false,
		"nia@nhs..net":                        false,
		"Nia Jones <nia@nhs.net>":             false,
		"nia jones@nhs.net":                   false,
		strings.Repeat("a", 250) + "@nhs.net": false,
	} {
		if got := ValidateEmail(NormaliseEmail(email)) == ""; got != ok {
			t.Errorf("ValidateEmail(%q) accepted = %v, want %v", email, got, ok)
		}
	}
	if NormaliseEmail("  Nia.Jones@NHS.net ") != "nia.jones@nhs.net" {
		t.Error("NormaliseEmail does not trim and lower-case")
	}
}

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		pw, email, want string
	}{
		{"", "", "Enter a password"},
		{"short", "", "10 characters or more"},
		{"          ", "", "only spaces"},
		{"Password123", "", "too easy to guess"},
		{"my nia@nhs.net pw", "nia@nhs.net", "must not contain your email address"},
		{strings.Repeat("x", 201), "", "200 characters or fewer"},
		{"heron lantern orchard", "nia@nhs.net", ""},
		{"ÄÖÜäöüßéèê", "", ""},
	}
	for _, c := range cases {
		got := ValidatePassword(c.pw, c.email)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("ValidatePassword(%q) = %q, want %q", c.pw, got, c.want)
		}
	}
}

func TestValidateName(t *testing.T) {
	if name, msg := ValidateName("  Nia   Jones "); name != "Nia Jones" || msg != "" {
		t.Errorf("got %q %q", name, msg)
	}
	if _, msg := ValidateName(" \t "); msg == "" {
		t.Error("a blank name was accepted")
	}
	if _, msg := ValidateName(strings.Repeat("é", 101)); msg == "" {
		t.Error("a 101-character name was accepted")
	}
}

func TestRoleSet(t *testing.T) {
	s := RoleSet(RoleLearner).With(RoleOrgAdmin)
	if !s.Has(RoleOrgAdmin) || s.Has(RoleSupervisor) || s.Labels() != "Learner, Organisation admin" {
		t.Fatalf("set %v: %q", s, s.Labels())
	}
	if !s.ValidAt(LevelOrganisation) || s.ValidAt(LevelRegion) || RoleSet(0).ValidAt(LevelOrganisation) {
		t.Fatal("ValidAt is wrong")
	}
	if !RoleSet(RoleRegionLead).ValidAt(LevelRegion) || !RoleSet(RoleNationalAdmin).ValidAt(LevelNation) {
		t.Fatal("admin roles of regions and the nation are refused")
	}
	for _, r := range Roles {
		if got, ok := ParseRole(r.Key()); !ok || got != r || r.Label() == "" || r.Hint() == "" {
			t.Errorf("role %v does not round-trip or lacks text", r)
		}
	}
	if _, ok := ParseRole("superuser"); ok {
		t.Error("an unknown role parsed")
	}
}

func TestOrganisationInput(t *testing.T) {
	in := OrganisationInput{Name: "  Riverside   Trust ", Code: " rx1 ", Type: OrgNHSTrust}
	if err := in.Validate(LevelOrganisation); err != nil || in.Name != "Riverside Trust" || in.Code != "RX1" {
		t.Fatalf("%v %+v", err, in)
	}
	bad := OrganisationInput{Code: "R-1", ReassessMonths: 61}
	err := bad.Validate(LevelOrganisation)
	var fields []string
	for _, f := range ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	if strings.Join(fields, ",") != "name,type,code,reassess_months" || ErrorCode(err) != EINVALID {
		t.Fatalf("fields %v, code %s", fields, ErrorCode(err))
	}
	// A region needs no type.
	if err := (&OrganisationInput{Name: "London"}).Validate(LevelRegion); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
	plain := errors.New("pq: relation does not exist")
	if ErrorCode(plain) != EINTERNAL || strings.Contains(ErrorMessage(plain), "relation") {
		t.Error("an internal error's detail would be shown")
	}
	wrapped := errors.Join(errors.New("context"), Errorf(ENOTFOUND, "No such thing."))
	if ErrorCode(wrapped) != ENOTFOUND || ErrorMessage(wrapped) != "No such thing." {
		t.Error("a wrapped *Error is not found")
	}
	var p Problems
	if p.Err() != nil {
		t.Error("empty problems are an error")
	}
	p.Add("email", "first")
	p.Add("email", "second")
	if !p.Has("email") || len(ErrorFields(p.Err())) != 1 || ErrorMessage(p.Err()) != "first" {
		t.Error("Problems keeps more than the first message of a field")
	}
}

// TestAccess checks the policy directly; the web package's access matrix
// checks it again through every route.
func TestAccess(t *testing.T) {
	nation := OrgRef{ID: 1, Level: LevelNation}
	r1 := OrgRef{ID: 2, ParentID: 1, Level: LevelRegion}
	r2 := OrgRef{ID: 3, ParentID: 1, Level: LevelRegion}
	a := OrgRef{ID: 4, ParentID: 2, Level: LevelOrganisation}
	b := OrgRef{ID: 5, ParentID: 2, Level: LevelOrganisation}
	c := OrgRef{ID: 6, ParentID: 3, Level: LevelOrganisation}
	actor := func(m ...ActorMembership) *Actor { return &Actor{PersonID: 9, Memberships: m} }
	national := actor(ActorMembership{Org: nation, Roles: RoleSet(RoleNationalAdmin)})
	lead := actor(ActorMembership{Org: r1, Roles: RoleSet(RoleRegionLead)})
	admin := actor(ActorMembership{Org: a, Roles: RoleSet(RoleOrgAdmin)})
	sup := actor(ActorMembership{Org: a, Roles: RoleSet(RoleSupervisor)})
	learner := actor(ActorMembership{Org: a, Roles: RoleSet(RoleLearner)}, ActorMembership{Org: c, Roles: RoleSet(RoleOrgAdmin)})

	cases := []struct {
		who  *Actor
		perm Permission
		org  OrgRef
		want bool
	}{
		{national, SeeOrganisation, c, true},
		{national, CreateChild, r2, true},
		{national, CreateChild, a, false},
		{national, SeeStaff, a, false},
		{national, ManageAdmins, b, true},
		{lead, SeeOrganisation, b, true},
		{lead, SeeOrganisation, c, false},
		{lead, SeeOrganisation, r2, false},
		{lead, SeeStaff, a, false},
		{lead, ManageOrganisation, a, false},
		{admin, ManageStaff, a, true},
		{admin, ManageStaff, b, false},
		{admin, SeeOrganisation, r1, false},
		{sup, SeeStaff, a, true},
		{sup, ManageStaff, a, false},
		{learner, SeeStaff, a, false},
		{learner, ManageStaff, c, true}, // an admin in one organisation, a learner in another
		{nil, SeeOrganisation, a, false},
		{admin, SeeOrganisation, OrgRef{}, false},
	}
	for i, tc := range cases {
		if got := tc.who.Can(tc.perm, tc.org); got != tc.want {
			t.Errorf("case %d: Can(%v, %+v) = %v, want %v", i, tc.perm, tc.org, got, tc.want)
		}
	}
	if sup.StaffScope(a) != ScopeReports || admin.StaffScope(a) != ScopeAll || learner.StaffScope(a) != ScopeNone || national.StaffScope(a) != ScopeNone {
		t.Error("StaffScope is wrong")
	}
	if got := national.AssignableRoles(a); len(got) != 1 || got[0] != RoleOrgAdmin {
		t.Errorf("a national admin may assign %v in an organisation", got)
	}
	if got := admin.AssignableRoles(a); len(got) != 4 {
		t.Errorf("an organisation admin may assign %v", got)
	}
	if got := sup.AssignableRoles(a); got != nil {
		t.Errorf("a supervisor may assign %v", got)
	}
}
