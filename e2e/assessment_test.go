package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

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
	})
}
