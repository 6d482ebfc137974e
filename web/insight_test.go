package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/xuri/excelize/v2"

	"upskill"
	"upskill/insight"
	"upskill/jobs"
	"upskill/mail"
	"upskill/store"
	"upskill/store/storetest"
)

func insightSamples(pageWith func(string, *Form) Page, errs func(...string) *Form, org *upskill.Organisation) map[string]any {
	domains := []upskill.Domain{{Code: "1", Name: "Digital self and wellbeing"}, {Code: "2", Name: "Information, data and content"}}
	bands := []string{"Developing", "Capable", "Proficient"}
	figures := func(now float64) []insight.DomainFigures {
		return []insight.DomainFigures{
			{Code: "1", People: 20, Now: now, Needed: 8, Gap: 8 - now, Below: 12, Reached: 5, Over: 3, Bands: []int64{5, 10, 5}, NeededBands: []int64{0, 8, 12}, Learned: 4, Paired: 9, Change: 0.4, Improved: 6},
			{Code: "2", People: 20, Now: now + 1, Needed: 7, Gap: 6 - now, Below: 3, Reached: 8, Over: 1, Bands: []int64{2, 8, 10}, NeededBands: []int64{1, 9, 10}, Paired: 9, Change: -0.2, Improved: 3},
		}
	}
	whole := insight.Row{People: 20, Domains: figures(5.5), Paired: 9, Eligible: 40, Started: 26, Completed: 20}
	nowChart, neededChart := bandCharts(domains, bands, whole)
	return map[string]any{
		"insight.html": &InsightView{Page: pageWith("Digital capability", nil), Org: org, Framework: "Digital capabilities framework", K: 5,
			Cycle: 2025, Cycles: []Option{{Value: "2025", Label: "April 2025 to March 2026", Selected: true}},
			By: insight.ByDepartment, ByLabel: "Department", ByNoun: "department",
			ByOptions: []Option{{Value: "department", Label: "Department", Selected: true}},
			Domains:   domains, Bands: bands, Whole: InsightRow{Label: org.Name, Row: whole},
			Rows: []InsightRow{{Label: "Ward 7", Row: insight.Row{People: 14, Domains: figures(6), Eligible: 20}},
				{Label: "Pharmacy", Row: insight.Row{Hidden: true, ChangeHidden: true, ParticipationHidden: true}}},
			Chart:       nowChart,
			NeededChart: neededChart,
			Compare:     []InsightRow{{Label: org.Name, Row: whole}, {Label: "Your region", Row: whole}, {Label: "The whole country", Row: whole}}},
		"plan.html": &PlanView{Page: pageWith("Digital workforce plan", nil), Org: org, Framework: "Digital capabilities framework", K: 5, Cycle: 2025,
			Plan: &insight.Plan{StartsAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), DueAt: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}, CanSet: true, TotalHours: 30,
			Domains: []PlanRow{{Code: "1", Name: "Digital self and wellbeing", Submitted: 20, Below: 12, Reached: 25, Target: 60, Expected: 40, Minutes: 150, Hours: 30,
				Learning: []PlanLearning{{ItemID: 5, Title: "Spotting phishing", Minutes: 30}}},
				{Code: "2", Name: "Information, data and content", Submitted: 20, Below: 3, Reached: 85, NoLearnings: true}},
			ByLabel: "organisation", Children: []PlanChild{{Label: "Alder Hospitals", Href: "/organisations/4/plan", Submitted: 20, Below: []int64{12, 3}, HasPlan: true, Planned: 2, OnTrack: 1},
				{Label: "Smaller organisations, together", Hidden: true}}},
		"plan_form.html": &PlanFormView{Page: pageWith("Set the digital workforce plan", errs("due_day", "target_1")), Org: org,
			Due: dateField(errs("due_day"), "due", "label", "When?"), Targets: []Field{field(errs("target_1"), "target_1", "label", "Digital self and wellbeing")}},
		"team.html": &TeamView{Page: pageWith("Your team's assessments", nil), Org: org, Framework: "Digital capabilities framework", K: 5, Cycle: 2025,
			Domains: domains, Submitted: 1, Members: []store.TeamAssessment{
				{PersonID: 7, Name: "Sam Okafor", Submitted: true, Started: true, Shared: 3, SharedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
					Domains: []upskill.DomainResult{{Code: "1", Now: 6.5}, {Code: "2", Now: 4}}},
				{PersonID: 8, Name: "Ann Lee", Started: true}, {PersonID: 9, Name: "Bo Quinn"}},
			LastYear: 2024, Department: &InsightRow{Label: "Ward 7", Row: insight.Row{People: 14, Domains: figures(6)}},
			Shared: []store.TeamAssessment{{PersonID: 7, Name: "Sam Okafor", Shared: 3, Domains: []upskill.DomainResult{{Code: "1", Now: 6.5}}}}},
		"specialists.html": &SpecialistsView{Page: pageWith("Digital, data and technology specialists", nil), Org: org, K: 5,
			Report: &insight.SpecialistReport{Total: insight.Count{People: 12}, Partial: true},
			Tables: []SpecialistTable{{Caption: "By role", Heading: "Role", Rows: []SpecialistRow{{Label: "Data analyst", Count: insight.Count{People: 7}},
				{Label: "Clinical safety officer", Count: insight.Count{Hidden: true}}}}}},
		"insight_combined.html": &CombinedView{Page: pageWith("Digital capability", errs("from_day")), Org: org, Framework: "Digital capabilities framework", K: 5,
			Cycle: 2025, Cycles: []Option{{Value: "2025", Label: "April 2025 to March 2026", Selected: true}},
			By: insight.ByRegion, ByLabel: "Region", ByNoun: "region", ByOptions: []Option{{Value: "region", Label: "Region", Selected: true}},
			Domains: domains, Bands: bands, Whole: InsightRow{Label: "England", Row: whole},
			Rows:  []InsightRow{{Label: "North West", Href: "/organisations/2/insight", Row: whole}, {Label: "Smaller organisations, together", Row: whole}},
			Chart: nowChart, NeededChart: neededChart, Pooled: 3, Left: 1,
			Trend: Trend{Rows: []InsightRow{{Label: "April 2025 to March 2026", Row: whole}, {Label: "April 2024 to March 2025", Row: insight.Row{Hidden: true}}},
				From: dateField(errs("from_day"), "from", "label", "From"), To: dateField(nil, "to", "label", "To"),
				Keep: []Option{{Label: "by", Value: "region"}}, Action: "/organisations/1/insight", Domains: domains, CSV: "/organisations/1/insight/csv?table=trend"}},
	}
}

// submitAll has each person submit the assessment at orgID, rating every
// statement at now (or the question's top, if lower) and needed at the top.
func submitAll(t *testing.T, st *store.Store, orgID int64, people []int64, now int) {
	t.Helper()
	for _, p := range people {
		a, _, err := st.StartAttempt(ctx, p, orgID, "hcdcf")
		must(t, err)
		v, err := st.Version(ctx, a.VersionID)
		must(t, err)
		for _, c := range v.Capabilities() {
			top := c.MaxAnswer(len(v.Levels))
			must(t, st.SaveAnswer(ctx, p, a.ID, upskill.Answer{CapabilityID: c.ID, Now: min(now, top), Needed: top}))
		}
		_, err = st.SubmitAttempt(ctx, p, a.ID)
		must(t, err)
	}
}

// addStaff adds n learners to an organisation's unit and returns them.
func addStaff(t *testing.T, st *store.Store, org *upskill.Organisation, unitID int64, prefix string, n int, group upskill.StaffGroup) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		m, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: fmt.Sprintf("%s%d@example.org", prefix, i), Name: fmt.Sprintf("%s %d", prefix, i),
			Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: group, PayBand: "afc_5", UnitID: unitID}})
		must(t, err)
		ids = append(ids, m.Person.ID)
	}
	return ids
}

func TestOrganisationInsight(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		pharmacy, err := a.store.CreateUnit(ctx, 0, w.a.ID, 0, "Pharmacy")
		must(t, err)
		ward := addStaff(t, a.store, w.a, w.unitA.ID, "ward", 12, "nursing_midwifery")
		few := addStaff(t, a.store, w.a, pharmacy.ID, "pharm", 2, "allied_health")
		submitAll(t, a.store, w.a.ID, ward, 6)
		submitAll(t, a.store, w.a.ID, few, 2)
		// Organisation B's staff are counted only in B.
		submitAll(t, a.store, w.b.ID, []int64{w.people["learnerB"].ID}, 9)

		admin := a.client()
		admin.signIn("admin.a@example.org")
		p := admin.get("/organisations/" + itoa(w.a.ID) + "/insight")
		p.has(t, "Fewer than 5 people have submitted")
		if n, err := a.srv.RefreshInsight(ctx); err != nil || n != 15 {
			t.Fatalf("counted %d (%v), want 15", n, err)
		}

		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight")
		p.has(t, "Digital capability", "Ward 7", "Pharmacy", "Not shown", "Share of staff in each band", "<svg")
		// With Pharmacy hidden, the whole organisation would give it away
		// less Ward 7, so Ward 7 is hidden too.
		for _, row := range strings.Split(p.body, "<tr")[1:] {
			if strings.Contains(row, "Ward 7") && !strings.Contains(row, "Not shown") {
				t.Errorf("Ward 7 shown beside a hidden Pharmacy: %s", row)
			}
		}
		p.has(t, "Figures for 14 staff", "Where roles need staff to be", "Learning done since")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?by=staff_group")
		p.has(t, "By staff group", "Nursing")

		// Bad filters get a clear message.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?cycle=1999")
		if p.status != http.StatusBadRequest {
			t.Fatalf("a year with no figures answered %d", p.status)
		}
		p.has(t, "There are no figures for the year you asked for")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?by=postcode")
		if p.status != http.StatusBadRequest {
			t.Fatalf("an unknown split answered %d", p.status)
		}
		p.has(t, "department, staff group, pay band or site")

		// Year by year: every year by default; a range picks the years it
		// touches; impossible ranges are refused with a message and show
		// no year.
		this := insight.CycleOf(time.Now())
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight")
		p.has(t, "Year by year", this.Label())
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?from_day=1&from_month=4&from_year=2020&to_day=31&to_month=3&to_year=2021")
		p.has(t, "No assessment year with figures falls within these dates")
		for query, want := range map[string]string{
			"from_day=1&from_month=4&from_year=2026&to_day=1&to_month=1&to_year=2025": "The start of the date range must be on or before its end",
			"from_day=30&from_month=2&from_year=2025":                                 "Enter a real date for the start",
			"to_day=1&to_month=13&to_year=2025":                                       "Enter a real date for the end",
			"from_day=1&from_month=1&from_year=" + strconv.Itoa(time.Now().Year()+1):  "The start of the date range must be today or in the past",
		} {
			p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?" + query)
			if p.status != http.StatusBadRequest {
				t.Fatalf("%s answered %d", query, p.status)
			}
			p.has(t, "There is a problem", want)
			p.lacks(t, "Digital capability year by year")
			if p := admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=trend&" + query); p.status != http.StatusBadRequest || !strings.Contains(p.body, want) {
				t.Fatalf("the trend of %s downloaded: %d", query, p.status)
			}
		}
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=trend")
		p.has(t, "Year,Submitted", this.Label()+",14,")

		// Split by site: Ward 7 sits at the Royal; Pharmacy has no site.
		adminPage := admin.post(orgURL(w.a.ID)+"/sites", url.Values{"site_name": {"Royal Victoria Hospital"}})
		adminPage.has(t, "Royal Victoria Hospital has been added")
		sites, err := a.store.Sites(ctx, w.a.ID)
		must(t, err)
		admin.post(orgURL(w.a.ID)+"/departments/"+itoa(w.unitA.ID)+"/site", url.Values{"site": {itoa(sites[0].ID)}}).has(t, "This department works from Royal Victoria Hospital")
		admin.post(orgURL(w.a.ID)+"/departments/"+itoa(w.unitA.ID)+"/site", url.Values{"site": {"nonsense"}}).has(t, "Choose one of the organisation&#39;s sites")
		// What was counted stays where it was counted: the Royal has no
		// figures until someone on the ward submits again.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?by=site")
		p.has(t, "By site", "No site recorded")
		p.lacks(t, "Royal Victoria Hospital")
		submitAll(t, a.store, w.a.ID, ward[:1], 7)
		_, err = a.srv.RefreshInsight(ctx)
		must(t, err)
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?by=site")
		p.has(t, "By site", "Royal Victoria Hospital", "No site recorded", "Staff counts by site are not shown")
		p = admin.post(orgURL(w.a.ID)+"/sites/"+itoa(sites[0].ID)+"/delete", url.Values{})
		if p.status != http.StatusConflict {
			t.Fatalf("removing a site in use answered %d", p.status)
		}
		p.has(t, "Departments still sit at Royal Victoria Hospital")

		// Narrowed to a department: Ward 7's figures are hidden there as
		// in the table. Another organisation's department, a team and
		// nonsense are refused with a message.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?department=" + itoa(w.unitA.ID))
		p.has(t, "Digital capability: Ward 7", "figures are not shown: fewer than 5 of its people")
		p.lacks(t, "Figures for 14 staff", "beside the whole organisation")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight?department=" + itoa(w.unitB.ID))
		if p.status != http.StatusNotFound {
			t.Fatalf("another organisation's department answered %d", p.status)
		}
		p.has(t, "There is no department or team with that number in this organisation")
		team, err := a.store.CreateUnit(ctx, 0, w.a.ID, w.unitA.ID, "Night team")
		must(t, err)
		if p := admin.get("/organisations/" + itoa(w.a.ID) + "/insight?department=" + itoa(team.ID)); p.status != http.StatusBadRequest ||
			!strings.Contains(p.body, "Figures are kept by department, not by team") {
			t.Fatalf("a team answered %d", p.status)
		}
		if p := admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=domains&department=x"); p.status != http.StatusBadRequest ||
			!strings.Contains(p.body, "Choose a department from the list") {
			t.Fatalf("a department that is not a number answered %d", p.status)
		}

		// Another organisation's admin sees nothing of A's.
		other := a.client()
		other.signIn("admin.b@example.org")
		p = other.get("/organisations/" + itoa(w.a.ID) + "/insight")
		if p.status != http.StatusForbidden {
			t.Fatalf("admin of B on A's figures: %d", p.status)
		}
		p.lacks(t, "Ward 7")
		// B's own page has one person, so nothing is shown.
		p = other.get("/organisations/" + itoa(w.b.ID) + "/insight")
		p.has(t, "Fewer than 5 people have submitted")

		// Every table downloads, hidden figures and all hidden.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=department")
		p.has(t, "Department,Staff,Started,Submitted", "Pharmacy,not shown,not shown,not shown")
		p.lacks(t, "Pharmacy,2")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=domains")
		p.has(t, "Domain,Submitted,Average now", ",14,", "Role needs band", "Of those below, learning done since (%)")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=everything")
		if p.status != http.StatusBadRequest {
			t.Fatalf("an unknown table answered %d", p.status)
		}
		p.has(t, "Choose a table to download: domains, department, staff_group, pay_band")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight/xlsx")
		if p.status != http.StatusOK || !strings.HasPrefix(p.body, "PK") {
			t.Fatalf("workbook: %d", p.status)
		}
		book, err := excelize.OpenReader(strings.NewReader(p.body))
		must(t, err)
		// No comparison yet: see below.
		if sheets := book.GetSheetList(); len(sheets) != 6 || sheets[1] != "By department" || sheets[4] != "By site" || sheets[5] != "Year by year" {
			t.Fatalf("sheets: %v", sheets)
		}
		cells, err := book.GetRows("By department")
		must(t, err)
		for _, row := range cells {
			if row[0] == "Pharmacy" && row[3] != "not shown" {
				t.Fatalf("the workbook shows Pharmacy: %v", row)
			}
		}
		// Another organisation's admin cannot download A's figures.
		if p := other.get("/organisations/" + itoa(w.a.ID) + "/insight/csv?table=department"); p.status != http.StatusForbidden {
			t.Fatalf("admin of B downloading A's figures: %d", p.status)
		}
		// Each download is in A's audit log, and a refused one is not.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/audit")
		year := insight.CycleOf(time.Now()).Label()
		p.has(t, "Figures downloaded", "Digital capability, "+year+": By department, as CSV", "Digital capability, "+year+": Domains, as CSV",
			"Digital capability, "+year+": every table, as a workbook")
		if n := strings.Count(p.body, "Figures downloaded"); n != 4 { // and the year by year table, above
			t.Errorf("%d downloads recorded, want 4", n)
		}

		// A is the only organisation counted in its region and in the
		// country, so a comparison would be A itself, and A less it would
		// be nothing, or one other organisation: none is shown.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight")
		p.lacks(t, "How you compare")

		// The plan: a date in the past and a share over 100 are refused
		// and write nothing; a good plan is saved and measured against.
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/plan")
		p.has(t, "Digital workforce plan", "No plan has been set yet", "of 14", "No published learning covers this domain yet")
		form := url.Values{"due_day": {"1"}, "due_month": {"1"}, "due_year": {"2020"}}
		bad := admin.post("/organisations/"+itoa(w.a.ID)+"/plan/edit", form)
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("a plan due in 2020 answered %d", bad.status)
		}
		bad.has(t, "The date the plan is due must be in the future", "Enter the share to reach as a whole number from 1 to 100")
		form = url.Values{"due_day": {"31"}, "due_month": {"2"}, "due_year": {"2030"}}
		admin.post("/organisations/"+itoa(w.a.ID)+"/plan/edit", form).has(t, "Enter a real date, like 31 3 2028")
		hcdcf, err := a.store.FrameworkByKey(ctx, "hcdcf")
		must(t, err)
		if plan, err := a.store.WorkforcePlan(ctx, w.a.ID, hcdcf.ID); err != nil || plan != nil {
			t.Fatalf("a refused plan was saved: %+v %v", plan, err)
		}
		form = url.Values{"due_day": {"31"}, "due_month": {"3"}, "due_year": {strconv.Itoa(time.Now().Year() + 2)}}
		for i := 1; i <= 6; i++ {
			form.Set("target_"+strconv.Itoa(i), "90")
		}
		p = admin.post("/organisations/"+itoa(w.a.ID)+"/plan/edit", form)
		p.has(t, "The plan has been saved", "The plan is due on 31 March", "90%")
		if plan, err := a.store.WorkforcePlan(ctx, w.a.ID, hcdcf.ID); err != nil || plan == nil || len(plan.Domains) != 6 {
			t.Fatalf("the plan was not saved: %+v %v", plan, err)
		}
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/plan/csv?table=domains")
		p.has(t, `Domain,Submitted,Below target,"Of those below`, ",90,")
		if p := admin.get("/organisations/" + itoa(w.a.ID) + "/plan/pdf"); p.status != http.StatusNotFound {
			t.Fatalf("a plan as PDF answered %d", p.status)
		}
		if p := other.get("/organisations/" + itoa(w.a.ID) + "/plan/xlsx"); p.status != http.StatusForbidden {
			t.Fatalf("admin of B downloading A's plan: %d", p.status)
		}
		// Only those who run the organisation may set it.
		if p := other.post("/organisations/"+itoa(w.a.ID)+"/plan/edit", form); p.status != http.StatusForbidden {
			t.Fatalf("admin of B setting A's plan: %d", p.status)
		}

		// Specialists: seven data analysts and one clinical safety
		// officer, who is hidden, with whatever would give them away.
		for i := range 7 {
			_, err := a.store.AddMember(ctx, 0, w.a, store.MemberInput{Email: fmt.Sprintf("analyst%d@example.org", i), Name: fmt.Sprintf("Analyst %d", i),
				Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{DDaTRole: "data_analyst", DDaTLevel: "practitioner"}})
			must(t, err)
		}
		_, err = a.store.AddMember(ctx, 0, w.a, store.MemberInput{Email: "cso@example.org", Name: "Safety Officer",
			Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{DDaTRole: "clinical_safety_officer", DDaTLevel: "lead"}})
		must(t, err)
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/specialists")
		p.has(t, "Digital, data and technology specialists", "8 specialists in all", "Clinical safety officer", "Not shown")
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/specialists/csv?table=role")
		p.has(t, "Role,Staff", "Clinical safety officer,not shown")
		p.lacks(t, "Clinical safety officer,1")
		if p := admin.get("/organisations/" + itoa(w.a.ID) + "/specialists/xlsx"); p.status != http.StatusOK || !strings.HasPrefix(p.body, "PK") {
			t.Fatalf("the specialists' workbook: %d", p.status)
		}
		if p := other.get("/organisations/" + itoa(w.a.ID) + "/specialists/csv?table=role"); p.status != http.StatusForbidden {
			t.Fatalf("admin of B downloading A's specialists: %d", p.status)
		}
		// A role without a level is refused.
		_, err = a.store.AddMember(ctx, 0, w.a, store.MemberInput{Email: "nolevel@example.org", Name: "No Level",
			Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{DDaTRole: "data_engineer"}})
		if upskill.ErrorCode(err) != upskill.EINVALID {
			t.Fatalf("a role without a level: %v", err)
		}

		// The region's lead may look at A, and at the region: A is a row
		// of its own, B's one person is left out.
		lead := a.client()
		lead.signIn("lead@example.org")
		lead.get("/organisations/"+itoa(w.a.ID)+"/insight").has(t, "Figures for 14 staff")
		p = lead.get("/organisations/" + itoa(w.r1.ID) + "/insight")
		p.has(t, "Digital capability by organisation", "Alder Hospitals NHS Trust", "1 small organisation is left out", "for 14 staff")
		p.lacks(t, "Birch Lodge")
		p = lead.get("/organisations/" + itoa(w.r1.ID) + "/insight?by=region")
		if p.status != http.StatusBadRequest {
			t.Fatalf("a region split by region answered %d", p.status)
		}
		p.has(t, "Figures here can be split by organisation only")
		lead.get("/organisations/"+itoa(w.r1.ID)+"/insight?by=organisation").has(t, "Digital capability by organisation", "Alder Hospitals NHS Trust")
		if p := lead.get("/organisations/" + itoa(w.nation.ID) + "/insight"); p.status != http.StatusForbidden {
			t.Fatalf("a region lead on the nation's figures: %d", p.status)
		}
		lead.get("/organisations/"+itoa(w.r1.ID)+"/specialists").has(t, "Some organisations have too few holders of a role")
		p = lead.get("/organisations/" + itoa(w.r1.ID) + "/insight/csv?table=organisation")
		p.has(t, "Organisation,Submitted", "Alder Hospitals NHS Trust,14,")

		// The region's plan: A's staff below target, and A's own plan,
		// set above, against where it should be by now.
		p = lead.get("/organisations/" + itoa(w.r1.ID) + "/plan")
		p.has(t, "Digital workforce plan", "how far the region has come", "No plan has been set yet", "By organisation",
			"Alder Hospitals NHS Trust", "On track in", "of 6 domains", "every organisation")
		lead.get("/organisations/"+itoa(w.r1.ID)+"/plan/csv?table=children").has(t, `Organisation,Submitted,"Below target: Digital identity`, "Alder Hospitals NHS Trust,14,", "On track in")
		p.lacks(t, "Birch Lodge")
		// Its lead sets it; a date in the past writes nothing.
		form = url.Values{"due_day": {"1"}, "due_month": {"1"}, "due_year": {"2021"}}
		for i := 1; i <= 6; i++ {
			form.Set("target_"+strconv.Itoa(i), "80")
		}
		if p := lead.post("/organisations/"+itoa(w.r1.ID)+"/plan/edit", form); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("a region's plan due in 2021 answered %d", p.status)
		}
		if plan, err := a.store.WorkforcePlan(ctx, w.r1.ID, hcdcf.ID); err != nil || plan != nil {
			t.Fatalf("a refused region's plan was saved: %+v %v", plan, err)
		}
		form.Set("due_year", strconv.Itoa(time.Now().Year()+3))
		lead.post("/organisations/"+itoa(w.r1.ID)+"/plan/edit", form).has(t, "The plan has been saved", "80%")
		// Another region's plan and the nation's are not the lead's to see
		// or set; an organisation's admin cannot set the region's.
		for _, path := range []string{"/organisations/" + itoa(w.r2.ID) + "/plan", "/organisations/" + itoa(w.nation.ID) + "/plan"} {
			if p := lead.get(path); p.status != http.StatusForbidden {
				t.Fatalf("a region lead on %s: %d", path, p.status)
			}
		}
		if p := admin.post("/organisations/"+itoa(w.r1.ID)+"/plan/edit", form); p.status != http.StatusForbidden {
			t.Fatalf("an organisation's admin setting the region's plan: %d", p.status)
		}

		// National admins see the regions, and the types of organisation.
		national := a.client()
		national.signIn("national@example.org")
		p = national.get("/organisations/" + itoa(w.nation.ID) + "/insight")
		p.has(t, "Digital capability by region", "North West", "for 14 staff")
		p.lacks(t, "South West") // no one took part there
		p = national.get("/organisations/" + itoa(w.nation.ID) + "/insight?by=org_type")
		p.has(t, "Digital capability by type of organisation", "NHS trusts")
		// The nation's plan, by region: North West has the region's plan.
		p = national.get("/organisations/" + itoa(w.nation.ID) + "/plan")
		p.has(t, "how far the country has come", "By region", "North West", "On track in")
		p.lacks(t, "South West")

		// With two more trusts in the region, A sits beside its region,
		// its type and the country; with one more, it would not.
		elm := mustOrg(t, a.store, w.r1, "Elm Valley NHS Trust", upskill.OrgNHSTrust)
		submitAll(t, a.store, elm.ID, addStaff(t, a.store, elm, 0, "elm", 5, "nursing_midwifery"), 4)
		_, err = a.srv.RefreshInsight(ctx)
		must(t, err)
		admin.get("/organisations/"+itoa(w.a.ID)+"/insight").lacks(t, "How you compare")
		fir := mustOrg(t, a.store, w.r1, "Fir Grove NHS Trust", upskill.OrgNHSTrust)
		submitAll(t, a.store, fir.ID, addStaff(t, a.store, fir, 0, "fir", 5, "nursing_midwifery"), 5)
		_, err = a.srv.RefreshInsight(ctx)
		must(t, err)
		p = admin.get("/organisations/" + itoa(w.a.ID) + "/insight")
		p.has(t, "How you compare", "Your region", "NHS trusts across the country", "The whole country")
	})
}

func TestSmallestGroupHasAFloor(t *testing.T) {
	for _, k := range []int{2, 11, -1} {
		_, err := New(ctx, Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}, SmallestGroup: k},
			Deps{Store: nil, Mail: &mail.Recorder{}, Hasher: fastHash, Log: slog.New(slog.DiscardHandler)})
		if err == nil || !strings.Contains(err.Error(), "between 3 and 10") {
			t.Errorf("k = %d: %v", k, err)
		}
	}
}

func TestTeamAssessments(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			// The clock starts a year ago, in the last year that has ended.
			var mu sync.Mutex
			now := time.Now().AddDate(-1, 0, 0)
			st := storetest.Open(t, e, store.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
			a := newApp(t, st)
			w := newWorld(t, a.store)
			sup := w.people["supervisor"]
			// Two more of Sam's team, and five others in Ward 7.
			quiet, err := a.store.AddMember(ctx, 0, w.a, store.MemberInput{Email: "quiet@example.org", Name: "Quinn Quiet", Roles: upskill.RoleSet(upskill.RoleLearner),
				StaffAttributes: upskill.StaffAttributes{UnitID: w.unitA.ID, LineManagerID: sup.ID}})
			must(t, err)
			ward := append([]int64{w.people["learner"].ID, quiet.Person.ID}, addStaff(t, a.store, w.a, w.unitA.ID, "ward", 5, "nursing_midwifery")...)
			submitAll(t, a.store, w.a.ID, ward, 7)
			_, err = a.srv.RefreshInsight(ctx)
			must(t, err)
			lastYear := insight.CycleOf(now)

			// This year all seven submit again, lower; only the learner shares.
			mu.Lock()
			now = time.Now()
			mu.Unlock()
			submitAll(t, a.store, w.a.ID, ward, 3)
			hcdcf, err := a.store.FrameworkByKey(ctx, "hcdcf")
			must(t, err)
			attempts, err := a.store.Attempts(ctx, w.people["learner"].ID, hcdcf.ID)
			if err != nil || len(attempts) != 2 {
				t.Fatalf("attempts: %v %v", attempts, err)
			}
			latest := attempts[0]
			if attempts[1].SubmittedAt.After(latest.SubmittedAt) {
				latest = attempts[1]
			}
			must(t, a.store.ShareAttempt(ctx, w.people["learner"].ID, latest.ID))
			_, err = a.srv.RefreshInsight(ctx)
			must(t, err)

			c := a.client()
			c.signIn("sup.a@example.org")
			p := c.get("/organisations/" + itoa(w.a.ID) + "/team")
			p.has(t, "Your team&#39;s assessments", "2 of 2 have submitted this year", "Lee Learner", "Quinn Quiet", "Results shared with you", "/reviews/"+itoa(latest.ID))
			// Quinn did not share: Quinn has no row of results.
			shared := p.body[strings.Index(p.body, "Results shared with you"):strings.Index(p.body, "Your department last year")]
			if strings.Contains(shared, "Quinn Quiet") {
				t.Error("results shown for someone who did not share them")
			}
			// The department's figures are last year's, which no longer
			// move, not this year's, which a manager could read before and
			// after one of their team submits.
			dept := p.body[strings.Index(p.body, "Your department last year"):]
			if !strings.Contains(dept, "for the 7 people in Ward 7 who submitted in the year from "+lastYear.Label()) ||
				!strings.Contains(dept, "7.0") || strings.Contains(dept, "3.0") {
				t.Errorf("the department's figures are not last year's: %s", dept)
			}
			// Once Quinn shares too, the manager knows three of the seven
			// (with their own): four others are too few, and the figures go.
			quinns, err := a.store.Attempts(ctx, quiet.Person.ID, hcdcf.ID)
			must(t, err)
			must(t, a.store.ShareAttempt(ctx, quiet.Person.ID, quinns[0].ID))
			p = c.get("/organisations/" + itoa(w.a.ID) + "/team")
			p.has(t, "Leaving out you and the people who have shared their results with you, fewer than 5 people would remain")
			if dept := p.body[strings.Index(p.body, "Your department last year"):]; strings.Contains(dept, "7.0") {
				t.Errorf("the department's figures are shown with only four others: %s", dept)
			}

			// A learner has no team page; nor has the other organisation's admin.
			l := a.client()
			l.signIn("learner.a@example.org")
			if p := l.get("/organisations/" + itoa(w.a.ID) + "/team"); p.status != http.StatusForbidden {
				t.Fatalf("a learner's team page: %d", p.status)
			}
			b := a.client()
			b.signIn("admin.b@example.org")
			if p := b.get("/organisations/" + itoa(w.a.ID) + "/team"); p.status != http.StatusForbidden {
				t.Fatalf("admin of B on A's team page: %d", p.status)
			}
		})
	}
}

// The background job counts a submitted attempt into the figures by
// itself, well within a minute.
func TestInsightJobCountsSubmissions(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		must(t, jobs.Migrate(ctx, a.store))
		runner, err := jobs.New(a.store, slog.New(slog.DiscardHandler),
			jobs.Config{PollInterval: 50 * time.Millisecond, Periodic: []*river.PeriodicJob{InsightRefresh()}}, a.srv.RegisterJobs)
		must(t, err)
		a.srv.UseJobs(runner)
		must(t, runner.Start(ctx))
		t.Cleanup(func() { runner.Stop(ctx) })

		staff := addStaff(t, a.store, w.a, w.unitA.ID, "nurse", 6, "nursing_midwifery")
		submitAll(t, a.store, w.a.ID, staff, 5)
		start := time.Now()
		for {
			n, err := a.store.InsightQueued(ctx)
			must(t, err)
			v, err := a.store.InsightVersion(ctx, w.a.ID)
			must(t, err)
			if n == 0 && v > 0 {
				break
			}
			if time.Since(start) > 45*time.Second {
				t.Fatalf("after %v, %d attempts still wait to be counted", time.Since(start), n)
			}
			time.Sleep(100 * time.Millisecond)
		}
		c := a.client()
		c.signIn("admin.a@example.org")
		c.get("/organisations/"+itoa(w.a.ID)+"/insight").has(t, "Figures for 6 staff")
	})
}

func TestCSVRowWritesEveryKindOfFigure(t *testing.T) {
	got := csvRow([]any{"=SUM(A1)", 7, int64(8), 9.26, nil})
	want := []string{"'=SUM(A1)", "7", "8", "9.3", "not shown"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
