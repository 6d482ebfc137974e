package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"upskill"
	"upskill/store"
)

// TestOrganisationInsight has a trust's admin look at how the trust's
// staff rated their digital skills: from the organisation's page to the
// figures, then split by staff group. Departments too small to show are
// hidden. axe-core checks every page, the chart and its tables included.
func TestOrganisationInsight(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		nation, err := s.store.EnsureNation(ctx, "England")
		if err != nil {
			t.Fatal(err)
		}
		region, err := s.store.CreateChild(ctx, 0, nation, upskill.OrganisationInput{Name: "London"})
		if err != nil {
			t.Fatal(err)
		}
		trust, err := s.store.CreateChild(ctx, 0, region, upskill.OrganisationInput{Name: "Rowan Park Hospitals NHS Trust", Type: upskill.OrgNHSTrust})
		if err != nil {
			t.Fatal(err)
		}
		addPerson(t, s, trust, "admin@example.org", "Ola Admin", upskill.RoleSet(upskill.RoleOrgAdmin))
		supervisor := addPerson(t, s, trust, "sup@example.org", "Sam Supervisor", upskill.RoleSet(upskill.RoleLearner).With(upskill.RoleSupervisor))
		addPerson(t, s, region, "lead@example.org", "Rhi Lead", upskill.RoleSet(upskill.RoleRegionLead))
		addPerson(t, s, nation, "national@example.org", "Nye National", upskill.RoleSet(upskill.RoleNationalAdmin))
		var outpatients int64
		for _, dept := range []struct {
			name  string
			staff int
			group upskill.StaffGroup
			now   int
		}{{"Outpatients", 9, "nursing_midwifery", 6}, {"Radiology", 7, "allied_health", 4}, {"Estates", 2, "estates_ancillary", 8}} {
			unit, err := s.store.CreateUnit(ctx, 0, trust.ID, 0, dept.name)
			if err != nil {
				t.Fatal(err)
			}
			if dept.name == "Outpatients" {
				outpatients = unit.ID
			}
			for i := range dept.staff {
				attrs := upskill.StaffAttributes{StaffGroup: dept.group, PayBand: "afc_6", UnitID: unit.ID}
				if dept.name == "Outpatients" && i < 3 {
					attrs.LineManagerID = supervisor // three of them report to Sam
				}
				m, err := s.store.AddMember(ctx, 0, trust, store.MemberInput{Email: fmt.Sprintf("%s%d@example.org", dept.name, i), Name: fmt.Sprintf("%s %d", dept.name, i),
					Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: attrs})
				if err != nil {
					t.Fatal(err)
				}
				submitRated(t, s, m.Person.ID, trust.ID, dept.now)
			}
		}
		// Two more trusts in London, so that the region and the country
		// hold enough organisations to compare the trust with.
		for i, name := range []string{"Sorrel Hill NHS Trust", "Thistle Bank NHS Trust"} {
			other, err := s.store.CreateChild(ctx, 0, region, upskill.OrganisationInput{Name: name, Type: upskill.OrgNHSTrust})
			if err != nil {
				t.Fatal(err)
			}
			for j := range 5 {
				m, err := s.store.AddMember(ctx, 0, other, store.MemberInput{Email: fmt.Sprintf("other%d.%d@example.org", i, j), Name: fmt.Sprintf("Other %d %d", i, j),
					Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", PayBand: "afc_5"}})
				if err != nil {
					t.Fatal(err)
				}
				submitRated(t, s, m.Person.ID, other.ID, 5+i)
			}
		}
		if _, err := s.web.RefreshInsight(ctx); err != nil {
			t.Fatal(err)
		}

		tab := b.NewTab(t, s.url)
		signIn(tab, "admin@example.org")
		// A site, and Outpatients placed at it.
		tab.Open("/organisations/" + itoa(trust.ID) + "/departments")
		tab.MustSee("Sites", "No sites have been added")
		tab.Fill("site_name", "Rowan Park Hospital")
		tab.Submit(`form[action$="/sites"] button`)
		tab.MustSee("Rowan Park Hospital has been added")
		sites, err := s.store.Sites(ctx, trust.ID)
		if err != nil || len(sites) != 1 {
			t.Fatalf("sites: %v %v", sites, err)
		}
		tab.Open("/organisations/" + itoa(trust.ID) + "/departments/" + itoa(outpatients))
		tab.MustSee("No site is set for this department")
		tab.Select("site", itoa(sites[0].ID))
		tab.Submit(`form[action$="/site"] button`)
		tab.MustSee("The site has been saved", "This department works from Rowan Park Hospital")
		// A newcomer to Outpatients submits: counted at the site.
		m, err := s.store.AddMember(ctx, 0, trust, store.MemberInput{Email: "newcomer@example.org", Name: "New Comer",
			Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", PayBand: "afc_6", UnitID: outpatients}})
		if err != nil {
			t.Fatal(err)
		}
		submitRated(t, s, m.Person.ID, trust.ID, 6)
		if _, err := s.web.RefreshInsight(ctx); err != nil {
			t.Fatal(err)
		}
		tab.Open("/organisations/" + itoa(trust.ID))
		tab.Submit(`main a[href$="/insight"]`)
		tab.MustSee("Digital capability", "Who took part", "Share of staff in each band", "Domain by domain",
			"By department", "Outpatients", "Radiology", "Estates", "Not shown")
		tab.MustSee("How you compare", "NHS trusts across the country")
		tab.Select("by", "staff_group")
		tab.Submit(submitButton)
		tab.MustSee("By staff group", "Nursing and midwifery")
		tab.Select("by", "site")
		tab.Submit(submitButton)
		tab.MustSee("By site", "Rowan Park Hospital", "No site recorded")
		// Narrowed to one department, beside the whole trust.
		tab.Select("department", itoa(outpatients))
		tab.Submit(submitButton)
		tab.MustSee("Digital capability: Outpatients", "Outpatients beside the whole organisation", "The whole organisation")

		// The specialist roles, and back.
		tab.Submit(`main a[href$="/specialists"]`)
		tab.MustSee("Digital, data and technology specialists")
		tab.Open("/organisations/" + itoa(trust.ID) + "/insight")

		// The plan: a mistyped date is refused, then the plan is set.
		tab.Submit(`main a[href$="/plan"]`)
		tab.MustSee("Digital workforce plan", "No plan has been set yet", "Staff below target")
		tab.Submit(`main a[href$="/plan/edit"]`)
		tab.Fill("due_day", "30")
		tab.Fill("due_month", "2")
		tab.Fill("due_year", "2031")
		if status := tab.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("30 February: %d", status)
		}
		tab.MustSee("There is a problem", "Enter a real date")
		tab.Fill("due_day", "31")
		tab.Fill("due_month", "3")
		for i := 1; i <= 6; i++ {
			tab.Fill("target_"+strconv.Itoa(i), "75")
		}
		tab.Submit(submitButton)
		tab.MustSee("The plan has been saved", "The plan is due on 31 March 2031", "75%")

		// The supervisor sees who in their team has taken the assessment.
		sup := b.NewTab(t, s.url)
		signIn(sup, "sup@example.org")
		sup.Open("/organisations/" + itoa(trust.ID) + "/team")
		sup.MustSee("Outpatients 0", "Outpatients 2")

		// The region's lead sees the trust among the region's organisations.
		lead := b.NewTab(t, s.url)
		signIn(lead, "lead@example.org")
		lead.Open("/organisations/" + itoa(region.ID))
		lead.Submit(`main a[href$="/insight"]`)
		lead.MustSee("Digital capability by organisation", "Rowan Park Hospitals NHS Trust")
		lead.Submit(`main a[href$="/specialists"]`)
		lead.MustSee("Digital, data and technology specialists")
		lead.Open("/organisations/" + itoa(region.ID) + "/insight")
		// The region's plan, with the trust's against its own.
		lead.Submit(`main a[href$="/plan"]`)
		lead.MustSee("Digital workforce plan", "By organisation", "Rowan Park Hospitals NHS Trust", "of 6 domains")
		lead.Submit(`main a[href$="/plan/edit"]`)
		lead.Fill("due_day", "31")
		lead.Fill("due_month", "3")
		lead.Fill("due_year", "2032")
		for i := 1; i <= 6; i++ {
			lead.Fill("target_"+strconv.Itoa(i), "60")
		}
		lead.Submit(submitButton)
		lead.MustSee("The plan has been saved", "The plan is due on 31 March 2032", "60%")

		// National admins see regions, then types of organisation.
		national := b.NewTab(t, s.url)
		signIn(national, "national@example.org")
		national.Open("/organisations/" + itoa(nation.ID))
		national.Submit(`main a[href$="/insight"]`)
		national.MustSee("Digital capability by region", "London")
		national.Select("by", "org_type")
		national.Submit(submitButton)
		national.MustSee("Digital capability by type of organisation", "NHS trusts")
		// Year by year; a range that starts after it ends is refused.
		national.MustSee("Year by year", "Digital capability year by year")
		national.Fill("from_day", "1")
		national.Fill("from_month", "4")
		national.Fill("from_year", "2025")
		national.Fill("to_day", "31")
		national.Fill("to_month", "3")
		national.Fill("to_year", "2024")
		if status := national.Submit(`form[action$="/insight"]:has(#from_day) button`); status != http.StatusBadRequest {
			t.Fatalf("a range ending before it starts: %d", status)
		}
		national.MustSee("There is a problem", "The start of the date range must be on or before its end")
		national.Submit(`main a[href$="/plan"]`)
		national.MustSee("Digital workforce plan", "By region", "London")
	})
}

// submitRated has a person submit the assessment, rating every statement
// at now (or the question's top, if lower) and needed at the top.
func submitRated(t *testing.T, s *server, personID, orgID int64, now int) {
	t.Helper()
	a, _, err := s.store.StartAttempt(ctx, personID, orgID, "hcdcf")
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.store.Version(ctx, a.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.Capabilities() {
		top := c.MaxAnswer(len(v.Levels))
		if err := s.store.SaveAnswer(ctx, personID, a.ID, upskill.Answer{CapabilityID: c.ID, Now: min(now, top), Needed: top}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.store.SubmitAttempt(ctx, personID, a.ID); err != nil {
		t.Fatal(err)
	}
}
