package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var actionRE = regexp.MustCompile(`<form method="post" action="(/attempts/\d+/(?:statements|questions)/\d+)"`)

// answerAll walks an assessment from its first page, answering every
// statement with now and needed and every knowledge check with its first
// option, until it reaches the check-your-answers page.
func answerAll(t *testing.T, c *client, p *page, now, needed int) *page {
	t.Helper()
	for i := 0; i < 200; i++ {
		if strings.HasSuffix(p.url, "/answers") {
			return p
		}
		m := actionRE.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no question form on %s: %s", p.url, excerpt(p.body))
		}
		form := url.Values{}
		if strings.Contains(m[1], "/statements/") {
			form.Set("now", strconv.Itoa(now))
			form.Set("needed", strconv.Itoa(needed))
		} else {
			opt := regexp.MustCompile(`name="answer" type="(?:radio|checkbox)" value="(\d+)"`).FindStringSubmatch(p.body)
			form.Set("answer", opt[1])
		}
		p = c.post(m[1], form)
	}
	t.Fatal("the assessment never ended")
	return nil
}

func TestAssessmentJourney(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		c := a.client()
		p := c.signIn("learner.a@example.org")
		p.has(t, "Your digital skills assessment", "It takes about 15 minutes")
		p = c.get("/assessments/hcdcf")
		p.has(t, "Health and Care Digital Capabilities Framework", "Start now")
		p = c.post("/assessments/hcdcf/start", nil)
		if !strings.Contains(p.url, "/statements/") {
			t.Fatalf("starting went to %s", p.url)
		}
		p.has(t, "Digital identity, wellbeing, safety and security", "question 1 of", "Where are you now?", "Where do you need to be in your role?")
		first := p.url

		// Bad answers get clear messages and are not saved.
		p = c.post(first, url.Values{"now": {"11"}, "needed": {"5"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("a rating of 11: %d", p.status)
		}
		p.has(t, "Choose a number from 0 to 10 for where you are now")
		p = c.post(first, url.Values{"needed": {"5"}})
		p.has(t, "Choose a number from 0 to 10 for where you are now", `href="#now"`)

		// Stopping and coming back resumes at the first page not answered.
		p = c.post(first, url.Values{"now": {"3"}, "needed": {"8"}})
		second := p.url
		if second == first {
			t.Fatal("saving did not move on")
		}
		p = c.get("/home")
		p.has(t, "You have started an assessment")
		p = c.post("/assessments/hcdcf/start", nil)
		if p.url != second {
			t.Fatalf("resuming went to %s, want %s", p.url, second)
		}
		// Going back shows the saved answer.
		p = c.get(first)
		if !strings.Contains(p.body, `value="3" checked`) || !strings.Contains(p.body, `value="8" checked`) {
			t.Fatal("the saved answer is not shown again")
		}

		// Submitting too early says how many are left.
		m := regexp.MustCompile(`/attempts/(\d+)/`).FindStringSubmatch(first)
		attemptPath := "/attempts/" + m[1]
		p = c.post(attemptPath+"/submit", nil)
		p.has(t, "Rate yourself against every statement before you submit")

		p = answerAll(t, c, c.get(second), 6, 7)
		p.has(t, "Check your answers", "Now: 3 out of 10. Needed: 8 out of 10.", "Submit assessment")
		// Changing an answer from here comes back here.
		p = c.post(first, url.Values{"now": {"4"}, "needed": {"8"}, "return": {"answers"}})
		if !strings.HasSuffix(p.url, "/answers") {
			t.Fatalf("changing an answer went to %s", p.url)
		}
		p.has(t, "Now: 4 out of 10.")

		p = c.post(attemptPath+"/submit", nil)
		if !strings.HasSuffix(p.url, "/report") {
			t.Fatalf("submitting went to %s", p.url)
		}
		p.has(t, "Your assessment has been submitted", "Your digital skills report", "Where you are and where you need to be",
			"What to work on next", "The knowledge questions and their answers", "<svg class=\"app-chart__svg\"")
		pdf := c.get(attemptPath + "/report.pdf")
		if pdf.status != 200 || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") ||
			!strings.Contains(pdf.header.Get("Content-Disposition"), "digital-skills-report-") {
			t.Fatalf("report PDF: %d %v", pdf.status, pdf.header)
		}
		// A submitted attempt cannot change or be submitted again.
		p = c.post(attemptPath+"/submit", nil)
		if p.status != http.StatusConflict {
			t.Fatalf("a second submit: %d", p.status)
		}
		p = c.post(first, url.Values{"now": {"10"}, "needed": {"10"}})
		if !strings.HasSuffix(p.url, "/report") {
			t.Fatalf("answering a submitted attempt went to %s", p.url)
		}

		// Someone else finds nothing at the attempt's addresses.
		other := a.client()
		other.signIn("sup.a@example.org")
		for _, path := range []string{attemptPath + "/report", attemptPath + "/report.pdf", attemptPath + "/answers", first} {
			if p := other.get(path); p.status != http.StatusNotFound {
				t.Errorf("another person opening %s: %d", path, p.status)
			}
		}
		if p := other.post(attemptPath+"/submit", nil); p.status != http.StatusNotFound {
			t.Errorf("another person submitting: %d", p.status)
		}

		// Sharing with the line manager, who reviews and signs off.
		p = c.post(attemptPath+"/share", nil)
		p.has(t, "Your assessment has been shared with your line manager", "They have not signed it off yet")
		sup := a.client()
		p = sup.signIn("sup.a@example.org")
		p.has(t, "Assessments to review", "1 waiting")
		p = sup.get("/reviews")
		p.has(t, "Lee Learner", "To review")
		reviewPath := "/reviews/" + m[1]
		p = sup.get(reviewPath)
		p.has(t, "Review of a digital skills assessment", "Lee Learner", "Let us talk it over")
		capID := regexp.MustCompile(`name="outcome-(\d+)"`).FindStringSubmatch(p.body)[1]
		p = sup.post(reviewPath, url.Values{"outcome-" + capID: {"rejected"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("a rejection without a comment: %d", p.status)
		}
		p.has(t, "Say why you want to talk this rating over")
		p = sup.post(reviewPath, url.Values{"outcome-" + capID: {"rejected"}, "comment-" + capID: {"Show me how you do this on the ward"}})
		p.has(t, "Your review has been saved")
		stranger := a.client()
		stranger.signIn("admin.a@example.org")
		if p := stranger.get(reviewPath); p.status != http.StatusNotFound {
			t.Errorf("someone else opened the review: %d", p.status)
		}
		p = c.get(attemptPath + "/report")
		p.has(t, "They would like to talk these ratings over with you", "Show me how you do this on the ward")
		p = sup.post(reviewPath+"/sign-off", url.Values{"comment": {"Good start."}})
		p.has(t, "You have signed the assessment off")
		p = sup.post(reviewPath+"/sign-off", nil)
		if p.status < 400 || p.status >= 500 {
			t.Fatalf("signing off twice: %d", p.status)
		}
		p.has(t, "You have signed this assessment off, so its review can no longer change")
		p = c.get(attemptPath + "/report")
		p.has(t, "Sam Supervisor signed your assessment off", "Good start.")

		// A second attempt a year on shows the change.
		p = c.post("/assessments/hcdcf/start", nil)
		p = answerAll(t, c, p, 8, 8)
		m = regexp.MustCompile(`/attempts/(\d+)/`).FindStringSubmatch(p.url)
		p = c.post("/attempts/"+m[1]+"/submit", nil)
		p.has(t, "Since your last assessment", "Your strengths")
		p = c.get("/assessments/hcdcf")
		p.has(t, "Your earlier assessments", "Start a new assessment")
	})
}

func TestAssessmentForTwoOrganisations(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		_, err := a.store.AddMember(ctx, 0, w.b, memberInput("learner.a@example.org", "Lee Learner"))
		must(t, err)
		c := a.client()
		c.signIn("learner.a@example.org")
		p := c.get("/assessments/hcdcf")
		p.has(t, "Which organisation are you taking it for?")
		p = c.post("/assessments/hcdcf/start", nil)
		p.has(t, "Select the organisation you are taking the assessment for")
		p = c.post("/assessments/hcdcf/start", url.Values{"organisation": {itoa(w.c.ID)}})
		p.has(t, "Choose an organisation you belong to")
		p = c.post("/assessments/hcdcf/start", url.Values{"organisation": {itoa(w.b.ID)}})
		if !strings.Contains(p.url, "/statements/") {
			t.Fatalf("starting for B went to %s", p.url)
		}
	})
}
