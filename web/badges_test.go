package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"upskill"
	"upskill/badge"
	"upskill/store"
	"upskill/store/storetest"
)

// TestDomainBadges has a nurse reach their role's target in one domain of
// the assessment and fall short in the others: the report offers a badge
// for that domain alone; it is signed, checkable by anyone and named in a
// status list, no one else can take or download it, and the trust's admin
// can revoke it.
func TestDomainBadges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		a := newApp(t, st)
		nurse := w.people["learner"]
		att, _, err := st.StartAttempt(ctx, nurse.ID, w.a.ID, "hcdcf")
		must(t, err)
		v, err := st.Version(ctx, att.VersionID)
		must(t, err)
		reached, short := v.Domains[3], v.Domains[0]
		for _, d := range v.Domains {
			for _, c := range d.Capabilities {
				ans := upskill.Answer{CapabilityID: c.ID, Now: 8, Needed: 6}
				if d.Code != reached.Code {
					ans.Now = 4
				}
				if c.Type == upskill.QuestionLevels {
					ans.Now, ans.Needed = 4, 3
					if d.Code != reached.Code {
						ans.Now = 2
					}
				}
				if c.Type == upskill.QuestionYesNo {
					ans.Now, ans.Needed = 1, 1
					if d.Code != reached.Code {
						ans.Now = 0
					}
				}
				must(t, st.SaveAnswer(ctx, nurse.ID, att.ID, ans))
			}
		}
		_, err = st.SubmitAttempt(ctx, nurse.ID, att.ID)
		must(t, err)
		report := attemptURL(att.ID) + "/report"

		learner := a.client()
		learner.signIn("learner.a@example.org")
		p := learner.get(report)
		p.has(t, "Badges", reached.Name, "Get your badge")
		if strings.Contains(p.body, "/domains/"+short.Code+"/badge") {
			t.Fatalf("the report offers a badge for %s, where the target was not reached", short.Name)
		}
		// A domain whose target was not reached earns nothing.
		learner.post(attemptURL(att.ID)+"/domains/"+short.Code+"/badge", nil).has(t, "You have not reached the level your role needs in "+short.Name)
		// Someone else cannot take the nurse's badge.
		other := a.client()
		other.signIn("sup.a@example.org")
		if p := other.post(attemptURL(att.ID)+"/domains/"+reached.Code+"/badge", nil); p.status != http.StatusNotFound {
			t.Fatalf("someone else taking the badge: %d", p.status)
		}
		if list, _ := st.AttemptBadges(ctx, nurse.ID, att.ID); len(list) != 0 {
			t.Fatalf("refused requests issued badges: %+v", list)
		}

		learner.post(attemptURL(att.ID)+"/domains/"+reached.Code+"/badge", nil).has(t, "Your badge is ready", "Download your badge")
		// Asking again gives the same badge.
		learner.post(attemptURL(att.ID)+"/domains/"+reached.Code+"/badge", nil)
		list, err := st.AttemptBadges(ctx, nurse.ID, att.ID)
		must(t, err)
		if len(list) != 1 || list[0].DomainCode != reached.Code || list[0].StatusList != 1 || list[0].OrganisationID != w.a.ID {
			t.Fatalf("badges: %+v", list)
		}
		b := list[0]
		file := learner.get(attemptURL(att.ID) + "/domains/" + reached.Code + "/badge.jwt")
		if file.status != http.StatusOK || file.body != b.Token {
			t.Fatalf("download: %d", file.status)
		}
		if p := other.get(attemptURL(att.ID) + "/domains/" + reached.Code + "/badge.jwt"); p.status != http.StatusNotFound {
			t.Fatalf("someone else downloading the badge: %d", p.status)
		}

		visitor := a.client()
		visitor.get("/badges/"+b.ID).has(t, "This badge is genuine", "Lee Learner", reached.Name+": the level my role needs")
		verified, err := a.srv.verifyOwn(ctx, b.Token)
		must(t, err)
		if verified.Achievement.Type != "Assessment" || verified.StatusIndex != b.StatusIndex || !badge.RecipientMatches(verified, "learner.a@example.org") {
			t.Fatalf("verified: %+v", verified)
		}
		u, _ := url.Parse(verified.Achievement.ID)
		visitor.get(u.Path).has(t, reached.Name+": the level my role needs", "What it takes")
		if statusBit(t, visitor, verified.StatusURL, verified.StatusIndex) {
			t.Fatal("a new badge's bit is set")
		}
		if p := visitor.get("/badge-status/2"); p.status != http.StatusNotFound {
			t.Fatalf("a status list that does not exist yet: %d", p.status)
		}

		// Through the API: the same badge for the nurse; nothing for the
		// domain not reached; someone else's token finds no attempt.
		token := func(email string) string {
			c := a.client()
			c.signIn(email)
			return regexp.MustCompile(`upskill_[A-Za-z0-9_-]+`).FindString(c.post("/account/tokens", url.Values{"name": {"Wallet"}}).body)
		}
		call := func(token, path string) *page {
			req, _ := http.NewRequest("GET", a.ts.URL+"/api/v1/me/attempts/"+itoa(att.ID)+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return a.client().do(req)
		}
		mine, theirs := token("learner.a@example.org"), token("sup.a@example.org")
		if p := call(mine, "/domains/"+reached.Code+"/credential"); p.status != 200 || !strings.Contains(p.body, b.Token) {
			t.Fatalf("API credential: %d %s", p.status, p.body)
		}
		if p := call(mine, "/domains/"+short.Code+"/credential"); p.status != 422 {
			t.Fatalf("API credential for a domain not reached: %d %s", p.status, p.body)
		}
		if p := call(theirs, "/domains/"+reached.Code+"/credential"); p.status != 404 {
			t.Fatalf("API credential of someone else's attempt: %d", p.status)
		}

		admin := a.client()
		admin.signIn("admin.a@example.org")
		admin.get(orgURL(w.a.ID)+"/badges").has(t, reached.Name+": the level my role needs", "Lee Learner")
		admin.post(orgURL(w.a.ID)+"/badges/"+b.ID+"/revoke", url.Values{"reason": {"Ratings not agreed with the line manager"}}).has(t, "The badge has been revoked")
		if !statusBit(t, visitor, verified.StatusURL, verified.StatusIndex) {
			t.Fatal("the revoked badge's bit is not set")
		}
		learner.get(report).has(t, "Revoked")
	})
}
