package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestPlatformJourney sets up a service from nothing in a real browser: the
// first national admin, a region and a trust, the trust's admin, its
// departments and staff, and those staff signing in. Every page on the way
// is checked with axe-core, including pages that show form errors.
func TestPlatformJourney(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		// The first national admin sets the service up.
		national := b.NewTab(t, s.url)
		code, err := s.store.SetupCode(ctx)
		if err != nil {
			t.Fatal(err)
		}
		national.Open("/setup?code=" + code)
		national.Fill("name", "Grace Hopper")
		national.Fill("email", "grace@example.org")
		national.Fill("password", "short")
		if status := national.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("setup with a short password: %d", status)
		}
		national.MustSee("There is a problem", "Password must be 10 characters or more")
		national.Fill("password", "a long enough passphrase")
		national.Submit(submitButton)
		national.MustSee("Hello, Grace Hopper", "Regions and organisations")

		// A region, then a trust in it.
		nation, err := s.store.Nation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		national.Open(orgPath(nation.ID))
		national.MustSee("There are no regions in England yet")
		national.Open(orgPath(nation.ID) + "/new")
		national.Submit(submitButton)
		national.MustSee("Enter the name of the region")
		national.Fill("name", "North West")
		national.Submit(submitButton)
		national.MustSee("North West has been added")
		regionPath := national.Path()
		national.Open(regionPath + "/new")
		national.Fill("name", "Alder Hospitals NHS Trust")
		national.Select("type", "nhs_trust")
		national.Fill("code", "rx1")
		national.Fill("reassess_months", "12")
		national.Submit(submitButton)
		national.MustSee("Alder Hospitals NHS Trust has been added", "NHS trust", "RX1", "Every 12 months")
		trustPath := national.Path()

		// The trust's first admin is invited and sets up their account.
		national.Open(trustPath + "/admins/new")
		national.Fill("email", "amira.admin@example.org")
		national.Fill("name", "Amira Khan")
		national.Submit(submitButton)
		national.MustSee("Amira Khan has been added and invited by email")
		national.Open(regionPath + "/admins/new")
		national.Fill("email", "rhys.lead@example.org")
		national.Fill("name", "Rhys Evans")
		national.Submit(submitButton)

		admin := b.NewTab(t, s.url)
		admin.Open(s.link(t, "amira.admin@example.org"))
		admin.MustSee("Set up your account", "Alder Hospitals NHS Trust")
		admin.Fill("password", "harbour lantern meadow")
		admin.Submit(submitButton)
		admin.MustSee("Your account is set up", "Hello, Amira Khan", "Organisation settings")

		// Departments and a team.
		admin.Open(trustPath + "/departments")
		admin.MustSee("Alder Hospitals NHS Trust has no departments yet")
		admin.Fill("name", "Emergency department")
		admin.Submit(submitButton)
		admin.Fill("name", "emergency DEPARTMENT")
		admin.Submit(submitButton)
		admin.MustSee("There is already a department with that name")
		admin.Fill("name", "Finance")
		admin.Submit(submitButton)
		admin.Open(trustPath + "/departments")
		admin.Submit(`main a[href*="/departments/"]`)
		admin.MustSee("Emergency department", "This department has no teams")
		admin.Fill("team_name", "Resus")
		admin.Submit(`form[action$="/teams"] button[type=submit]`)
		admin.MustSee("Resus has been added to Emergency department")

		// Staff: a supervisor, then a nurse who reports to them.
		admin.Open(trustPath + "/people/new")
		admin.Fill("email", "sam.okafor@example.org")
		admin.Fill("name", "Sam Okafor")
		admin.Click("#roles-2") // supervisor, beside the learner role ticked already
		admin.Select("staff_group", "nursing_midwifery")
		admin.Fill("job_role", "Ward manager")
		admin.Select("pay_band", "afc_7")
		admin.Submit(submitButton)
		admin.MustSee("Sam Okafor has been added and invited by email", "Ward manager", "Band 7")

		admin.Open(trustPath + "/people/new")
		admin.Fill("email", "not an email")
		admin.Fill("line_manager", "nobody@example.org")
		admin.Submit(submitButton)
		admin.MustSee("Enter an email address in the correct format", "Enter a full name",
			"Enter the email address of a line manager who works in Alder Hospitals NHS Trust")
		admin.Fill("email", "nia.jones@example.org")
		admin.Fill("name", "Nia Jones")
		admin.Fill("job_role", "Staff nurse")
		admin.Fill("line_manager", "sam.okafor@example.org")
		admin.Submit(submitButton)
		admin.MustSee("Nia Jones has been added", "Staff nurse", "Sam Okafor")
		niaPath := admin.Path()
		admin.Open(niaPath + "/edit")
		admin.Fill("job_role", "Senior staff nurse")
		admin.Submit(submitButton)
		admin.MustSee("The details of Nia Jones have been saved", "Senior staff nurse")

		admin.Open(trustPath + "/people?q=okafor")
		admin.MustSee("1 person matches your filters", "Sam Okafor")
		admin.Open(trustPath + "/people")
		admin.MustSee("3 people", "Nia Jones")

		// The supervisor joins and sees their team.
		sam := b.NewTab(t, s.url)
		sam.Open(s.link(t, "sam.okafor@example.org"))
		sam.Fill("password", "kestrel orchard umber")
		sam.Submit(submitButton)
		sam.MustSee("Hello, Sam Okafor", "Your team", "Nia Jones")
		sam.Open(trustPath + "/people")
		sam.MustSee("Your team", "Nia Jones")
		if status := sam.Open(trustPath + "/settings"); status != http.StatusForbidden {
			t.Fatalf("a supervisor opened the settings: %d", status)
		}
		sam.MustSee("You do not have permission to see this page")

		// The admin removes someone who has left.
		admin.Open(niaPath + "/remove")
		admin.MustSee("Remove Nia Jones?")
		admin.Submit(submitButton)
		admin.MustSee("Nia Jones has been removed from Alder Hospitals NHS Trust")
		admin.Open(trustPath + "/settings")
		admin.Fill("reassess_months", "twelve")
		admin.Submit(submitButton)
		admin.MustSee("Reassessment cycle must be a whole number of months")
		admin.Fill("reassess_months", "24")
		admin.Submit(submitButton)
		admin.MustSee("Every 24 months")
		admin.Open(trustPath + "/audit")
		admin.MustSee("Person added", "Person removed", "Department added", "Details changed")

		// The region lead sees the region's organisations.
		lead := b.NewTab(t, s.url)
		lead.Open(s.link(t, "rhys.lead@example.org"))
		lead.Fill("password", "saffron thistle willow")
		lead.Submit(submitButton)
		lead.MustSee("Organisations in North West")
		lead.Open(regionPath)
		lead.MustSee("Alder Hospitals NHS Trust", "NHS trust")

		// A person's own account, a wrong password, and a fresh one.
		sam.Open("/account")
		sam.MustSee("sam.okafor@example.org", "Alder Hospitals NHS Trust", "Ward manager")
		sam.Open("/account/password")
		sam.Fill("current_password", "not my password")
		sam.Fill("new_password", "new kestrel orchard")
		sam.Submit(submitButton)
		sam.MustSee("Your current password is not right")
		sam.Fill("current_password", "kestrel orchard umber")
		sam.Fill("new_password", "new kestrel orchard")
		sam.Submit(submitButton)
		sam.MustSee("Your password has been changed")

		// Signing out, failing to sign in, and resetting a password.
		sam.Submit("form[action='/sign-out'] button")
		sam.MustSee("You have signed out", "Sign in to upskill")
		sam.Fill("email", "sam.okafor@example.org")
		sam.Fill("password", "kestrel orchard umber")
		sam.Submit(submitButton)
		sam.MustSee("Enter a correct email address and password")
		sam.Open("/forgot-password")
		sam.Fill("email", "sam.okafor@example.org")
		sam.Submit(submitButton)
		sam.MustSee("Check your email")
		sam.Open(s.link(t, "sam.okafor@example.org"))
		sam.MustSee("Choose a new password")
		sam.Fill("password", "fjord heron jasper")
		sam.Submit(submitButton)
		sam.MustSee("Your password has been changed. Sign in with your new password.")
		sam.Fill("email", "sam.okafor@example.org")
		sam.Fill("password", "fjord heron jasper")
		sam.Submit(submitButton)
		sam.MustSee("Hello, Sam Okafor")

		// Pages that are not there, and links that are used up.
		if status := sam.Open("/organisations/999999"); status != http.StatusNotFound {
			t.Fatalf("an unknown organisation: %d", status)
		}
		sam.MustSee("Page not found")
		sam.Open("/invitations/used-or-made-up")
		sam.MustSee("This link has expired or has already been used")

		checked := map[string]bool{}
		for _, tab := range []*Tab{national, admin, sam, lead} {
			for _, p := range tab.Checked {
				checked[p] = true
			}
		}
		t.Logf("%d distinct pages checked with axe-core", len(checked))
	})
}

// TestSignInByKeyboard signs in with the keyboard alone: Tab to each field,
// type, and press Enter.
func TestSignInByKeyboard(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		code, _ := s.store.SetupCode(ctx)
		tab := b.NewTab(t, s.url)
		tab.Open("/setup?code=" + code)
		tab.Fill("name", "Grace Hopper")
		tab.Fill("email", "grace@example.org")
		tab.Fill("password", "a long enough passphrase")
		tab.Submit(submitButton)
		tab.Submit("form[action='/sign-out'] button")

		tab.FocusOn("email", 15)
		tab.Type("grace@example.org")
		tab.FocusOn("password", 3)
		tab.Type("a long enough passphrase")
		tab.PressEnter()
		tab.MustSee("Hello, Grace Hopper")
		if !strings.HasSuffix(tab.Path(), "/home") {
			t.Fatalf("signed in by keyboard but on %s", tab.Path())
		}
	})
}

func orgPath(id int64) string {
	return "/organisations/" + itoa(id)
}

// submitButton is the button that sends a page's main form. Password
// fields have a Show button of their own, so the type matters.
const submitButton = "main form button[type=submit]"

// TestWithoutJavaScript does an admin's everyday work with JavaScript
// off: sign in, add a person (getting a form error first) and change their
// details.
func TestWithoutJavaScript(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		code, _ := s.store.SetupCode(ctx)
		tab := b.NewTab(t, s.url)
		tab.NoScript()
		tab.Open("/setup?code=" + code)
		tab.Fill("name", "Grace Hopper")
		tab.Fill("email", "grace@example.org")
		tab.Fill("password", "a long enough passphrase")
		tab.Submit(submitButton)
		tab.MustSee("Hello, Grace Hopper")
		nation, err := s.store.Nation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tab.Open(orgPath(nation.ID) + "/new")
		tab.Fill("name", "London")
		tab.Submit(submitButton)
		region := tab.Path()
		tab.Open(region + "/new")
		tab.Fill("name", "Hazel Court")
		tab.Select("type", "care_home")
		tab.Submit(submitButton)
		tab.MustSee("Hazel Court has been added", "Care home")
		home := tab.Path()
		tab.Open(home + "/admins/new")
		tab.Fill("email", "manager@example.org")
		tab.Fill("name", "Mo Manager")
		tab.Submit(submitButton)
		tab.Submit("form[action='/sign-out'] button")

		admin := b.NewTab(t, s.url)
		admin.NoScript()
		admin.Open(s.link(t, "manager@example.org"))
		admin.Fill("password", "ivy garnet marble")
		admin.Submit(submitButton)
		admin.Open(home + "/people/new")
		admin.Fill("email", "carer@example.org")
		admin.Submit(submitButton)
		admin.MustSee("There is a problem", "Enter a full name")
		admin.Fill("name", "Cam Carer")
		admin.Select("staff_group", "care_direct")
		admin.Submit(submitButton)
		admin.MustSee("Cam Carer has been added", "Social care: direct care")
		admin.Open(admin.Path() + "/edit")
		admin.Fill("job_role", "Senior care worker")
		admin.Submit(submitButton)
		admin.MustSee("Senior care worker")
	})
}
