package e2e

import (
	"net/http"
	"strconv"
	"testing"

	"upskill"
)

// TestLessonWrittenAndRead has a trust's content author write a lesson in
// the browser, with a page of Markdown and a question, choose the
// statement it builds and publish it; a learner of the trust then finds
// it, reads it and checks their answer. axe-core checks every page.
func TestLessonWrittenAndRead(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		nation, err := s.store.EnsureNation(ctx, "England")
		if err != nil {
			t.Fatal(err)
		}
		region, err := s.store.CreateChild(ctx, 0, nation, upskill.OrganisationInput{Name: "Midlands"})
		if err != nil {
			t.Fatal(err)
		}
		trust, err := s.store.CreateChild(ctx, 0, region, upskill.OrganisationInput{Name: "Hazel Grove Hospitals NHS Trust", Type: upskill.OrgNHSTrust})
		if err != nil {
			t.Fatal(err)
		}
		addPerson(t, s, trust, "author@example.org", "Ama Author", upskill.RoleSet(upskill.RoleContentAuthor))
		learnerID := addPerson(t, s, trust, "learner@example.org", "Lee Learner", upskill.RoleSet(upskill.RoleLearner))

		author := b.NewTab(t, s.url)
		signIn(author, "author@example.org")
		author.MustSee("Learning Hazel Grove Hospitals NHS Trust publishes")
		author.Submit(`main a[href^="/organisations/"][href$="/learning"]`)
		author.MustSee("Learning you publish", "There is no learning yet")
		author.Submit(`main a[href$="/learning/new"]`)
		if status := author.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("empty form: %d", status)
		}
		author.MustSee("There is a problem", "Enter a title")
		author.Fill("title", "Handing over with the electronic whiteboard")
		author.Fill("summary", "How to update a patient's status on the ward whiteboard before handover.")
		author.Fill("minutes", "10")
		author.Click("#badge_bearing")
		author.Submit(submitButton)
		author.MustSee("Your draft has been saved", "Add at least one page to the lesson")

		author.Submit(`main a[href$="/pages/new"]`)
		author.Fill("title", "Before handover")
		author.Fill("body", "## Check the board\n\nMake sure every **bed** shows the right status.\n\n- Discharged patients\n- Patients waiting for a scan")
		author.Fill("q0_prompt", "When should you update a patient's status?")
		author.Fill("q0_o0_text", "As soon as it changes")
		author.Click("#q0_o0_correct")
		author.Fill("q0_o0_feedback", "Yes: the next shift relies on it.")
		author.Fill("q0_o1_text", "At the end of the shift")
		author.Submit(submitButton)
		author.MustSee("Page 1 has been saved", "Before handover")
		itemPath := author.Path()
		author.Submit(`main a[href$="/preview/1"]`)
		author.MustSee("This is a preview", "Check the board")
		author.Open(itemPath + "/details")
		author.Fill("review_day", "30")
		author.Fill("review_month", "2")
		author.Fill("review_year", "2027")
		if status := author.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("impossible review date: %d", status)
		}
		author.MustSee("Enter a real review date")
		author.Fill("review_month", "4")
		author.Submit(submitButton)
		author.MustSee("30 April 2027")

		author.Submit(`main a[href$="/statements"]`)
		author.Select(`level-4\.1`, "2") // the dot of the code escaped for CSS
		author.Submit(submitButton)
		author.MustSee("The statements have been saved")
		author.Submit(`main form[action$="/publish"] button`)
		author.MustSee("The learning has been published")

		// The learner took the assessment before, rating themselves 2 where
		// their role needs 8 throughout, but for the first domain, where
		// they are above what their role needs.
		attempt, _, err := s.store.StartAttempt(ctx, learnerID, trust.ID, "hcdcf")
		if err != nil {
			t.Fatal(err)
		}
		version, err := s.store.Version(ctx, attempt.VersionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range version.Domains {
			for _, c := range d.Capabilities {
				now, needed := 2, 8
				if c.Type != upskill.QuestionScale {
					now, needed = 0, c.MaxAnswer(len(version.Levels))
				}
				if d.Code == version.Domains[0].Code {
					now = needed
				}
				if err := s.store.SaveAnswer(ctx, learnerID, attempt.ID, upskill.Answer{CapabilityID: c.ID, Now: now, Needed: needed}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := s.store.SubmitAttempt(ctx, learnerID, attempt.ID); err != nil {
			t.Fatal(err)
		}

		learner := b.NewTab(t, s.url)
		signIn(learner, "learner@example.org")
		learner.Submit(`main a[href="/learning"]`)
		learner.MustSee("Find learning", "1 result", "Handing over with the electronic whiteboard")
		learner.Fill("q", "whiteboard handover")
		learner.Submit(`main form[role=search] button`)
		learner.MustSee("1 result")
		// The learner finds it among the learning recommended for them.
		learner.Open("/home")
		learner.Submit(`main a[href="/learning/recommended"]`)
		learner.MustSee("Learning recommended for you", "Handing over with the electronic whiteboard", "your role needs 8", "This learning takes you to")
		learner.Submit(`main a[href^="/learning/"]:not([href="/learning/recommended"])`)
		learner.MustSee("Start the lesson", "Before handover")
		learner.Submit(`main form[action$="/start"] button`)
		learner.MustSee("Check the board", "Discharged patients", "When should you update a patient's status?")
		if status := learner.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("no answer: %d", status)
		}
		learner.MustSee("Select an answer")
		learner.Click("#answer-1")
		learner.Submit(submitButton)
		learner.MustSee("Right.", "the next shift relies on it")
		learner.Submit(`main a.nhsuk-pagination__next`)
		learner.MustSee("You have seen 1 of 1 pages")
		learner.Submit(`main form[action$="/complete"] button`)
		learner.MustSee("you have completed this learning", "Download your certificate", "Download your badge")
		badgePage := learner.Attr(`main a[href^="/badges/"]`, "href")
		learner.Open("/my-learning")
		learner.MustSee("Your learning", "Handing over with the electronic whiteboard")

		// Anyone can check the badge on its page.
		visitor := b.NewTab(t, s.url)
		visitor.Open(badgePage)
		visitor.MustSee("This badge is genuine", "Lee Learner")

		// The report offers a badge for the domain where the learner is
		// where their role needs them, and not for the others.
		domain := version.Domains[0]
		learner.Open("/attempts/" + strconv.FormatInt(attempt.ID, 10) + "/report")
		learner.MustSee("Badges", domain.Name, "Get your badge")
		learner.Submit(`main form[action$="/domains/` + domain.Code + `/badge"] button`)
		learner.MustSee("Your badge is ready", "Download your badge")
		domainBadge := learner.Attr(`#badges ~ dl a[href^="/badges/"]`, "href")
		visitor.Open(domainBadge)
		visitor.MustSee("This badge is genuine", domain.Name+": the level my role needs")
		visitor.Open("/badge-achievements/hcdcf/" + domain.Code)
		visitor.MustSee(domain.Name+": the level my role needs", "What it takes")
	})
}

// signIn signs a tab in with the test password. Links are followed with
// Submit, which waits for the page that follows.
func signIn(tab *Tab, email string) {
	tab.Open("/sign-in")
	tab.Fill("email", email)
	tab.Fill("password", testPassword)
	tab.Submit(submitButton)
}
