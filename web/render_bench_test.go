package web

import (
	"io"
	"testing"

	"upskill"
	"upskill/store"
	"upskill/web/assets"
)

func BenchmarkRenderHome(b *testing.B) {
	a, _ := assets.Load()
	tpl, err := loadTemplates(a)
	if err != nil {
		b.Fatal(err)
	}
	actor := &upskill.Actor{PersonID: 1, Name: "Nia Jones", Email: "nia@example.org", EmailVerified: true, Memberships: []upskill.ActorMembership{
		{Org: upskill.OrgRef{ID: 4, ParentID: 2, Level: upskill.LevelOrganisation}, OrgName: "Alder Hospitals NHS Trust", Roles: upskill.RoleSet(upskill.RoleSupervisor)},
	}}
	var team []store.TeamMember
	for i := 0; i < 9; i++ {
		team = append(team, store.TeamMember{PersonID: int64(i), Name: "Staff Member", JobRole: "Staff nurse"})
	}
	v := &HomeView{Page: Page{Title: "Home", Actor: actor, CSRF: "token"},
		Orgs: []OrgHome{{ID: 4, Name: "Alder Hospitals NHS Trust", Roles: upskill.RoleSet(upskill.RoleSupervisor), IsSupervisor: true, Team: team, TeamMore: false}}}
	t := tpl.pages["home.html"]
	b.ReportAllocs()
	for b.Loop() {
		if err := t.ExecuteTemplate(io.Discard, "layout", v); err != nil {
			b.Fatal(err)
		}
	}
}
