package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"upskill"
	"upskill/store"
)

const testPassword = "heron lantern orchard"

// addPerson adds someone to an organisation with a password, as if they had
// accepted their invitation, and returns their id.
func addPerson(t *testing.T, s *server, org *upskill.Organisation, email, name string, roles upskill.RoleSet) int64 {
	t.Helper()
	added, err := s.store.AddMember(ctx, 0, org, store.MemberInput{Email: email, Name: name, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := s.hasher.Hash(ctx, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.AcceptInvitation(ctx, added.Invitation, name, hash); err != nil {
		t.Fatal(err)
	}
	return added.Person.ID
}

// orgIDFromPath reads the organisation number from a path like
// /organisations/7 or /organisations/7/people.
func orgIDFromPath(t *testing.T, path string) int64 {
	t.Helper()
	rest, ok := strings.CutPrefix(path, "/organisations/")
	if !ok {
		t.Fatalf("%s is not an organisation's page", path)
	}
	id, err := strconv.ParseInt(strings.SplitN(rest, "/", 2)[0], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAssessmentByKeyboard takes the whole assessment with the keyboard
// alone, from signing in to the report, and every page is checked with
// axe-core on the way.
func TestAssessmentByKeyboard(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		code, _ := s.store.SetupCode(ctx)
		admin := b.NewTab(t, s.url)
		admin.Open("/setup?code=" + code)
		admin.Fill("name", "Grace Hopper")
		admin.Fill("email", "grace@example.org")
		admin.Fill("password", "a long enough passphrase")
		admin.Submit(submitButton)
		nation, err := s.store.Nation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		admin.Open(orgPath(nation.ID) + "/new")
		admin.Fill("name", "North West")
		admin.Submit(submitButton)
		admin.Open(admin.Path() + "/new")
		admin.Fill("name", "Willow Care Home")
		admin.Select("type", "care_home")
		admin.Submit(submitButton)
		admin.Open(admin.Path() + "/admins/new")
		admin.Fill("email", "carer@example.org")
		admin.Fill("name", "Chidi Carer")
		admin.Submit(submitButton)

		tab := b.NewTab(t, s.url)
		tab.Open(s.link(t, "carer@example.org"))
		tab.TabTo("#password", 20)
		tab.Type("lantern orchard willow")
		tab.TabTo(submitButton, 5)
		tab.PressEnter()
		tab.MustSee("Hello, Chidi Carer", "Your digital skills assessment")

		// From the home page to the start of the assessment.
		tab.TabTo(`a.nhsuk-card__link[href^="/assessments/"]`, 30)
		tab.PressEnter()
		tab.MustSee("Health and Care Digital Capabilities Framework", "about 15 minutes")
		tab.TabTo(submitButton, 30)
		tab.PressEnter()

		pages := 0
		for !strings.HasSuffix(tab.Path(), "/answers") {
			pages++
			if pages > 100 {
				t.Fatal("the assessment never ended")
			}
			switch {
			case strings.Contains(tab.Path(), "/statements/"):
				// Arrow keys move through a group of radios and select as
				// they go: 0 plus five is 5 now, 0 plus eight is 8 needed.
				tab.TabTo("#now", 15)
				tab.Press(kb.ArrowRight, 5)
				tab.TabTo("#needed", 3)
				tab.Press(kb.ArrowRight, 8)
			case strings.Contains(tab.Path(), "/questions/"):
				tab.TabTo("#answer", 15)
				if tab.Attr("#answer", "type") == "checkbox" {
					tab.Press(" ", 1)
				} else {
					tab.Press(kb.ArrowRight, 1)
				}
			default:
				t.Fatalf("unexpected page %s", tab.Path())
			}
			tab.TabTo(submitButton, 15)
			tab.PressEnter()
		}
		tab.MustSee("Check your answers", "Now: 5 out of 10. Needed: 8 out of 10.")
		tab.TabTo(submitButton, 200)
		tab.PressEnter()
		tab.MustSee("Your digital skills report", "Overall: Capable", "What to work on next", "The knowledge questions and their answers")
		if pages < 40 {
			t.Fatalf("only %d question pages", pages)
		}

		// The carer's line manager reviews and signs the assessment off.
		home, err := s.store.Organisation(ctx, orgIDFromPath(t, admin.Path()))
		if err != nil {
			t.Fatal(err)
		}
		manager := addPerson(t, s, home, "manager@example.org", "Mo Manager", upskill.RoleSet(upskill.RoleSupervisor))
		carer, _, err := s.store.Credentials(ctx, "carer@example.org")
		if err != nil {
			t.Fatal(err)
		}
		_, m, err := s.store.Member(ctx, home.ID, carer.ID)
		if err != nil {
			t.Fatal(err)
		}
		attrs := m.StaffAttributes
		attrs.LineManagerID = manager
		if err := s.store.UpdateMember(ctx, 0, home, carer.ID, m.Roles, attrs); err != nil {
			t.Fatal(err)
		}
		report := tab.Path()
		tab.TabTo(`form[action$="/share"] button`, 200)
		tab.PressEnter()
		tab.MustSee("Your assessment has been shared with your line manager")

		sup := b.NewTab(t, s.url)
		sup.Open("/sign-in")
		sup.TabTo("#email", 20)
		sup.Type("manager@example.org")
		sup.TabTo("#password", 3)
		sup.Type(testPassword)
		sup.PressEnter()
		sup.MustSee("Hello, Mo Manager", "1 waiting")
		sup.TabTo(`a[href="/reviews"]`, 40)
		sup.PressEnter()
		sup.TabTo(`main a[href^="/reviews/"]`, 40)
		sup.PressEnter()
		sup.MustSee("Review of a digital skills assessment", "Chidi Carer")
		first := sup.Attr(`input[name^="outcome-"]`, "id")
		sup.TabTo("#"+first, 40)
		sup.Press(" ", 1)
		sup.TabTo(`form[action^="/reviews/"]:not([action$="sign-off"]) button[type=submit]`, 400)
		sup.PressEnter()
		sup.MustSee("Your review has been saved")
		sup.TabTo("#comment", 400)
		sup.Type("Well done, Chidi.")
		sup.TabTo(`form[action$="/sign-off"] button`, 3)
		sup.PressEnter()
		sup.MustSee("You have signed the assessment off")

		tab.Open(report)
		tab.MustSee("Mo Manager signed your assessment off", "Well done, Chidi.", "Mo Manager agreed with 1")
	})
}
