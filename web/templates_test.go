package web

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/badge"
	"upskill/framework"
	"upskill/store"
	"upskill/web/assets"
)

// TestEveryTemplateRenders renders each page template with sample data,
// signed in and with form errors where the page has a form, and checks
// that no template is left without a sample.
func TestEveryTemplateRenders(t *testing.T) {
	a, err := assets.Load()
	must(t, err)
	tpl, err := loadTemplates(a)
	must(t, err)

	when := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	actor := &upskill.Actor{PersonID: 1, Name: "Nia Jones", Email: "nia@example.org", Memberships: []upskill.ActorMembership{
		{Org: upskill.OrgRef{ID: 4, ParentID: 2, Level: upskill.LevelOrganisation}, OrgName: "Alder Hospitals NHS Trust", Roles: upskill.RoleSet(upskill.RoleOrgAdmin)},
	}}
	org := &upskill.Organisation{ID: 4, ParentID: 2, Level: upskill.LevelOrganisation, Type: upskill.OrgNHSTrust, Name: "Alder Hospitals NHS Trust", Code: "RX1", ReassessMonths: 12}
	region := &upskill.Organisation{ID: 2, ParentID: 1, Level: upskill.LevelRegion, Name: "North West"}
	person := &upskill.Person{ID: 7, Email: "sam@example.org", Name: "Sam Okafor", CreatedAt: when, UpdatedAt: when}
	membership := &upskill.Membership{ID: 3, PersonID: 7, OrganisationID: 4, Roles: upskill.RoleSet(upskill.RoleSupervisor),
		StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Ward manager", PayBand: "afc_7"},
		StartedAt:       when, OrganisationName: org.Name, UnitName: "Ward 7", LineManagerName: "Amira Khan"}
	row := store.PersonRow{PersonID: 7, Name: "Sam Okafor", Email: "sam@example.org", Roles: membership.Roles, JobRole: "Ward manager", UnitName: "Ward 7", Invited: true}
	unit := &upskill.Unit{ID: 9, OrganisationID: 4, Kind: upskill.UnitDepartment, Name: "Emergency department", Members: 3}
	can := OrgAbilities{Manage: true, CreateChild: true, ManageAdmins: true, SeeStaff: true, ManageStaff: true}
	errs := func(fields ...string) *Form {
		f := newForm(url.Values{})
		for _, name := range fields {
			f.Add(name, "Something about "+name+" needs fixing")
		}
		return f
	}
	pageWith := func(title string, f *Form) Page {
		return Page{Title: title, Actor: actor, CSRF: "token", Flash: "Saved.", Crumbs: []Crumb{{"Home", "/home"}}, Form: f}
	}

	samples := map[string]any{
		"error.html":           &ErrorView{Page: pageWith("Page not found", nil), Heading: "Page not found", Message: "Check the address.", RequestID: "abc123"},
		"sign_in.html":         &SignInView{Page: Page{Title: "Sign in", CSRF: "token", Form: errs("email", "password")}, Next: "/home"},
		"setup.html":           &SetupView{Page: Page{Title: "Set up upskill", CSRF: "token", Form: errs("code", "nation", "name", "email", "password")}},
		"invitation.html":      &InvitationView{Page: Page{Title: "Set up your account", CSRF: "token", Form: errs("name", "password")}, Invitation: &store.TokenInfo{Email: "sam@example.org", OrganisationName: org.Name}, Token: "t"},
		"forgot_password.html": &ForgotPasswordView{Page: Page{Title: "Reset your password", CSRF: "token", Form: errs("email")}},
		"reset_password.html":  &ResetPasswordView{Page: Page{Title: "Choose a new password", CSRF: "token", Form: errs("password")}, Token: "t", Email: "sam@example.org"},
		"message.html":         &MessageView{Page: Page{Title: "Check your email"}, Heading: "Check your email", Lines: []string{"We sent a link."}, LinkText: "Back", LinkHref: "/sign-in"},
		"home.html": &HomeView{Page: pageWith("Home", nil), Unverified: true,
			Nation:  &NationHome{ID: 1, Name: "England", Regions: 7, Organisations: 200},
			Regions: []RegionHome{{ID: 2, Name: "North West", Organisations: 30, Staff: 1200}},
			Orgs:    []OrgHome{{ID: 4, Name: org.Name, Roles: membership.Roles.With(upskill.RoleOrgAdmin), CanManage: true, CanAddStaff: true, IsSupervisor: true, Staff: 40, Departments: 3, Team: []store.TeamMember{{PersonID: 7, Name: "Sam Okafor", JobRole: "Ward manager"}}, TeamMore: true}}},
		"account.html": &AccountView{Page: pageWith("Your account", errs("name")), Person: person, Memberships: []upskill.Membership{*membership, {OrganisationName: "Birch Lodge", StartedAt: when, EndedAt: when}},
			Emails: options(field(nil, "emails", "label", "Which emails?"), nil, []Option{{Value: "due_soon", Label: "Reminders"}, {Value: "overdue", Label: "Overdue"}})},
		"account_password.html": &PasswordView{Page: pageWith("Change your password", errs("current_password", "new_password"))},
		"organisation.html": &OrganisationView{Page: pageWith(region.Name, nil), Org: region, Can: can, ChildNoun: "organisation",
			Children: []store.ChildSummary{{Organisation: *org, Staff: 40}}, Admins: []store.PersonRow{row}, AdminRole: upskill.RoleRegionLead},
		"organisation_form.html": &OrgFormView{Page: pageWith("Add an organisation", errs("name", "type", "code", "reassess_months")), Org: region, Level: upskill.LevelOrganisation, Creating: true, Types: orgTypeOptions()},
		"admin_form.html":        &AdminFormView{Page: pageWith("Add an organisation admin", errs("email", "name")), Org: org, Role: upskill.RoleOrgAdmin},
		"audit.html":             &AuditView{Page: pageWith("Audit log", nil), Org: org, Events: []store.AuditEvent{{At: when, ActorName: "Amira Khan", Action: "add_member", Detail: "sam@example.org"}}},
		"departments.html": &DepartmentsView{Page: pageWith("Departments and teams", errs("name")), Org: org, Can: can, Depts: []DepartmentRow{{Unit: *unit, Teams: []upskill.Unit{{ID: 10, Name: "Resus"}}, Site: "Royal Victoria Hospital"}},
			Sites: []upskill.Site{{ID: 3, Name: "Royal Victoria Hospital", Departments: 1}, {ID: 4, Name: "Hillside Clinic"}}, SiteForm: errs("site_name")},
		"department.html": &DepartmentView{Page: pageWith(unit.Name, errs("team_name")), Org: org, Can: can, Unit: unit, Teams: []upskill.Unit{{ID: 10, Name: "Resus", Members: 2}}, Rename: newForm(url.Values{"name": {unit.Name}}), TeamForm: errs("team_name"),
			Site: options(field(errs("site"), "site", "label", "Site"), nil, []Option{{Value: "0", Label: "No site"}, {Value: "3", Label: "Royal Victoria Hospital"}}), SiteName: "Royal Victoria Hospital"},
		"people.html": &PeopleView{Page: pageWith("People", nil), Org: org, Can: can, Filters: newForm(url.Values{"q": {"sam"}}), Units: unitOptions([]upskill.Unit{*unit}, "Any"),
			StaffGroups: staffGroupOptions("Any"), Roles: roleOptions(upskill.Roles), Filtered: true,
			Result:     &store.PeoplePage{People: []store.PersonRow{row}, Total: 120, Page: 2, PerPage: 50},
			Pagination: paginate(&url.URL{Path: "/organisations/4/people"}, 2, 3)},
		"person.html":        &PersonView{Page: pageWith(person.Name, nil), Org: org, Can: can, Person: person, Membership: membership, Invited: true},
		"person_form.html":   &PersonFormView{Page: pageWith("Add a person", errs("email", "name", "roles", "staff_group", "job_role", "pay_band", "unit", "line_manager")), Org: org, Roles: roleOptions(upskill.RolesAt(upskill.LevelOrganisation)), StaffGroups: staffGroupOptions("Not recorded"), PayBands: payBandOptions(), Units: unitOptions([]upskill.Unit{*unit}, "None")},
		"person_remove.html": &RemovePersonView{Page: pageWith("Remove Sam Okafor", nil), Org: org, Person: person},
	}
	for name, view := range assessmentSamples(pageWith, errs) {
		samples[name] = view
	}
	for name, view := range frameworkSamples(pageWith, errs) {
		samples[name] = view
	}
	for name, view := range learningSamples(pageWith, errs) {
		samples[name] = view
	}
	for name, view := range insightSamples(pageWith, errs, org) {
		samples[name] = view
	}
	for name := range tpl.pages {
		view, ok := samples[name]
		if !ok {
			t.Errorf("template %s has no sample view in this test", name)
			continue
		}
		var buf bytes.Buffer
		if err := tpl.pages[name].ExecuteTemplate(&buf, "layout", view); err != nil {
			t.Errorf("render %s: %v", name, err)
			continue
		}
		html := buf.String()
		if !strings.Contains(html, "<h1") {
			t.Errorf("%s has no main heading", name)
		}
		if strings.Contains(html, "Something about") && !strings.Contains(html, "There is a problem") {
			t.Errorf("%s shows field errors without an error summary", name)
		}
		if strings.Contains(html, "<no value>") {
			t.Errorf("%s prints <no value>", name)
		}
	}
	for name := range samples {
		if _, ok := tpl.pages[name]; !ok {
			t.Errorf("sample for %s, which is not a template", name)
		}
	}
}

func TestPaginate(t *testing.T) {
	u := &url.URL{Path: "/p", RawQuery: "q=sam"}
	p := paginate(u, 5, 10)
	var got []string
	for _, l := range p.Links {
		if l.Gap {
			got = append(got, "…")
		} else {
			got = append(got, itoa(int64(l.Number)))
		}
	}
	if strings.Join(got, " ") != "1 … 4 5 6 … 10" {
		t.Fatalf("links: %v", got)
	}
	if p.Prev != "/p?page=4&q=sam" || p.Next != "/p?page=6&q=sam" {
		t.Fatalf("prev %q next %q", p.Prev, p.Next)
	}
	if p := paginate(u, 1, 1); p.Prev != "" || p.Next != "" || len(p.Links) != 1 {
		t.Fatalf("single page: %+v", p)
	}
}

// TestBootScriptMatchesPolicy checks that the inline script in the layout
// is exactly the one the Content-Security-Policy allows by its hash.
func TestBootScriptMatchesPolicy(t *testing.T) {
	b, err := templateFS.ReadFile("templates/layout.html")
	must(t, err)
	if !strings.Contains(string(b), "<script>"+assets.BootScript+"</script>") {
		t.Fatal("the layout's inline script differs from assets.BootScript, so the policy would block it")
	}
}

// assessmentSamples are sample views of the assessment's pages, on the
// small framework of the domain's tests.
func assessmentSamples(pageWith func(string, *Form) Page, errs func(...string) *Form) map[string]any {
	when := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	f, err := framework.Default()
	if err != nil {
		panic(err)
	}
	v := &f.Version
	id := int64(1)
	for i := range v.Domains {
		for j := range v.Domains[i].Capabilities {
			v.Domains[i].Capabilities[j].ID = id
			id++
		}
	}
	for i := range v.Questions {
		v.Questions[i].ID = id
		id++
		for j := range v.Questions[i].Options {
			v.Questions[i].Options[j].ID = id
			id++
		}
	}
	caps := v.Capabilities()
	var answers []upskill.Answer
	for i, c := range caps {
		answers = append(answers, upskill.Answer{CapabilityID: c.ID, Now: (i * 3) % 11, Needed: 7})
	}
	checks := []upskill.CheckAnswer{{QuestionID: v.Questions[0].ID, Selected: []int64{v.Questions[0].Options[0].ID}}}
	attempt := &upskill.Attempt{ID: 5, VersionID: 1, Status: upskill.AttemptSubmitted, StartedAt: when, SubmittedAt: when, Answers: answers, Checks: checks}
	report := upskill.Score(v, answers, checks)
	summary := store.AttemptSummary{ID: 4, Status: upskill.AttemptSubmitted, StartedAt: when, SubmittedAt: when.AddDate(-1, 0, 0), OrganisationName: "Alder Hospitals NHS Trust", Domains: report.Domains}
	form := errs("now", "needed")
	now, needed := ratingFields(form, caps[0], v.Levels)
	qForm := errs("answer")
	q := &v.Questions[0]
	answer := options(field(qForm, "answer", "label", q.Prompt, "heading", "yes"), qForm, []Option{{Value: "1", Label: "One"}, {Value: "2", Label: "Two"}})
	answersView := &AnswersView{Page: pageWith("Check your answers", errs("")), Attempt: attempt, Missing: 1, First: "/attempts/5/statements/1",
		Domains: []AnswersDomain{{Name: v.Domains[0].Name, Rows: []AnswerRow{{Key: caps[0].Statement, Value: "Now: 3 out of 10.", Href: "/x", What: "your rating"}, {Key: "Q", Value: "Not answered yet", Missing: true, Href: "/y"}}}}}
	return map[string]any{
		"assessment.html": &AssessmentView{Page: pageWith(f.Framework.Name, errs("organisation")), Framework: &f.Framework, Version: v, Statements: len(caps), Questions: len(v.Questions),
			Open: &store.AttemptSummary{ID: 6, StartedAt: when, Answered: 4}, History: []store.AttemptSummary{summary},
			Organisations: []Option{{Value: "4", Label: "Alder"}, {Value: "5", Label: "Birch"}}},
		"statement.html": &QuestionView{Page: pageWith(caps[0].Statement, form), Attempt: attempt, Domain: &v.Domains[0], Capability: caps[0], Levels: v.Levels,
			Number: 1, Pages: 50, Action: "/attempts/5/statements/1", Back: "/assessments/hcdcf", Now: now, Needed: needed, Returning: true},
		"question.html": &QuestionView{Page: pageWith(q.Prompt, qForm), Attempt: attempt, Domain: &v.Domains[0], Question: q, Number: 7, Pages: 50,
			Action: "/attempts/5/questions/40", Back: "/attempts/5/statements/6", Answer: answer},
		"answers.html": answersView,
		"tokens.html":  &TokensView{Page: pageWith("API tokens", errs("name")), New: "upskill_abc", Tokens: []store.APIToken{{ID: 1, Name: "Rostering", CreatedAt: when}}},
		"targets.html": &TargetsView{Page: pageWith("Targets for roles", nil), Org: &upskill.Organisation{ID: 4, Name: "Alder"}, Framework: &f.Framework,
			Targets: []upskill.TargetProfile{{ID: 1, Name: "Nurses", StaffGroup: "nursing_midwifery", Needed: map[string]int{"1.1": 5}}, {ID: 2, Name: "Ward sisters", JobRole: "Ward sister"}}},
		"target_form.html": &TargetFormView{Page: pageWith("Set a target for a role", errs("name", "needed-1.1")), Org: &upskill.Organisation{ID: 4, Name: "Alder"},
			Target: &upskill.TargetProfile{ID: 1, Name: "Nurses"}, StaffGroups: staffGroupOptions("None"), Action: "/organisations/4/targets/1",
			Domains: []TargetDomain{{Name: "Area", Fields: []Field{options(field(errs("needed-1.1"), "needed-1.1", "label", "1.1. Statement"), nil, []Option{{Value: "", Label: "No target"}})}}}},
		"reviews.html": &ReviewsView{Page: pageWith("Assessments to review", nil), Reviews: []store.ReviewSummary{{AttemptID: 5, LearnerName: "Nia Jones", Status: upskill.ReviewRequested}}},
		"review.html": &ReviewView{Page: pageWith("Review: Nia Jones", errs("comment-1")), Attempt: attempt, Report: report, SignOff: newForm(nil),
			Review: &upskill.Review{LearnerName: "Nia Jones", Status: upskill.ReviewRequested, RequestedAt: when},
			Domains: []ReviewDomain{{Name: "Area", Rows: []ReviewRow{{Statement: caps[0].Statement, Rating: "Now: 3 out of 10.",
				Outcome: options(field(errs("outcome-1"), "outcome-1", "label", "Your view", "class", "inline"), nil, []Option{{Value: "confirmed", Label: "I agree"}}),
				Comment: field(errs("comment-1"), "comment-1", "label", "Comment")}}}}},
		"achievement.html": &AchievementView{Page: pageWith("Technical proficiency: the level my role needs", nil), Achievement: badge.Achievement{
			Name: "Technical proficiency: the level my role needs", Description: "Reached the level.", Criteria: "Rate every statement."}},
		"report.html": &ReportView{Page: pageWith("Your digital skills report", nil), Framework: &f.Framework, Attempt: attempt, Version: v, Report: report,
			Chart: buildChart(report), Previous: &summary, Changes: upskill.Compare(upskill.Report{Domains: summary.Domains}, report), Bands: v.Bands,
			Calibration: []CalibrationNote{calibrationNote(report.Domains[0])},
			Checks:      []CheckReview{{Domain: "x", Prompt: "p", Yours: "a", Right: "b", Explanation: "e"}},
			Review:      &upskill.Review{SupervisorName: "Sam Okafor", Status: upskill.ReviewSignedOff, RequestedAt: when, SignedOffAt: when, Comment: "Well done."},
			ToTalkOver:  []ReviewedRating{{Statement: caps[1].Statement, Comment: "Let us look at this", By: "Sam Okafor"}}, Agreed: 3,
			Badges: []DomainBadge{{Code: "1", Domain: "Digital identity, wellbeing, safety and security"},
				{Code: "4", Domain: "Technical proficiency", Badge: &store.Badge{ID: "4f1c", RevokedAt: when}}}},
	}
}

// frameworkSamples are the national admins' framework pages, showing the
// default framework as a draft beside a published version.
func frameworkSamples(pageWith func(string, *Form) Page, errs func(...string) *Form) map[string]any {
	when := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	f, err := framework.Default()
	if err != nil {
		panic(err)
	}
	fw, v := &f.Framework, &f.Version
	v.Number, v.Status, v.CreatedAt = 2, upskill.VersionDraft, when
	old := *v
	old.Domains = old.Domains[1:]
	changes := upskill.CompareVersions(&old, v)
	published := upskill.FrameworkVersion{Number: 1, Title: "First edition", Status: upskill.VersionPublished, CreatedAt: when, PublishedAt: when}
	choice := options(field(errs("publish"), "publish", "label", "What do you want to do with it?"), nil, []Option{{Value: "no", Label: "Save it as a draft"}, {Value: "yes", Label: "Publish it now"}})
	return map[string]any{
		"frameworks.html": &FrameworksView{Page: pageWith("Frameworks", nil),
			Frameworks: []store.FrameworkSummary{{Framework: *fw, PublishedNumber: 1, Versions: 2}, {Framework: upskill.Framework{Key: "new", Name: "New framework"}, Versions: 1}}},
		"framework.html": &FrameworkView{Page: pageWith(fw.Name, nil), Framework: fw, Versions: []upskill.FrameworkVersion{*v, published}},
		"framework_version.html": &VersionView{Page: pageWith(fw.Name, nil), Framework: fw, Version: v, Content: versionContent(v),
			Downloads: downloads(versionURL(fw.Key, 2) + "/download"), Changes: &changes, Published: 1},
		"framework_import.html": &ImportView{Page: pageWith("Import a framework", errs("file")), FileName: "framework.xlsx",
			Problems:  []upskill.FieldError{{Field: "Capabilities row 14, Statement", Message: "Enter the statement"}, {Message: "The workbook has no Framework sheet"}},
			Templates: []Download{{Label: "Blank Excel workbook (XLSX)", Href: "/framework-imports/template/xlsx"}}},
		"framework_preview.html": &PreviewView{Page: pageWith("Check the framework before you import it", errs("publish")), UploadID: 5, FileName: "framework.xlsx",
			Framework: fw, Version: v, Content: versionContent(v), Existing: fw, Published: &published, Changes: &changes, Choice: choice},
	}
}
