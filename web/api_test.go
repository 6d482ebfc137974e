package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"upskill"
)

// TestAPIThroughTheServer makes a token on its page and uses it against the
// API the server mounts, which is logged and counted by route.
func TestAPIThroughTheServer(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		c := a.client()
		c.signIn("learner.a@example.org")
		p := c.post("/account/tokens", url.Values{"name": {"My reporting script"}})
		secret := regexp.MustCompile(`upskill_[A-Za-z0-9_-]+`).FindString(p.body)
		if secret == "" {
			t.Fatalf("no token shown: %s", excerpt(p.body))
		}
		call := func(token, path string) *page {
			req, _ := http.NewRequest("GET", a.ts.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return a.client().do(req)
		}
		if p := call(secret, "/api/v1/me"); p.status != 200 || !strings.Contains(p.body, `"email":"learner.a@example.org"`) {
			t.Fatalf("me: %d %s", p.status, p.body)
		}
		if p := call("", "/api/v1/me"); p.status != http.StatusUnauthorized || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
			t.Fatalf("me without a token: %d %s", p.status, p.header.Get("Content-Type"))
		}
		if p := call("", "/api/v1/openapi.json"); p.status != 200 || !strings.Contains(p.body, `"openapi"`) {
			t.Fatalf("openapi.json: %d", p.status)
		}
		if p := call("", "/api/v1/nothing-here"); p.status != http.StatusNotFound || !strings.Contains(p.body, `"code":"`) {
			t.Fatalf("unknown API address: %d %s", p.status, p.body)
		}
		p = c.get("/metrics")
		p.has(t, `route="GET /api/v1/me"`, `route="/api/v1/"`)
		// A signed-in browser session is not an API credential.
		if p := c.get("/api/v1/me"); p.status != http.StatusUnauthorized {
			t.Fatalf("me with a session cookie only: %d", p.status)
		}
	})
}

// TestLearningThroughTheAPI does a lesson with an API token: finds it,
// starts it, reads its pages without the answers, answers, completes it,
// and fetches the certificate and badge; another organisation's token
// finds none of it, and bad bodies write nothing.
func TestLearningThroughTheAPI(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		fv := mustVersion(t, a.store)
		l := &upskill.ContentVersion{Title: "Sharing a record safely", Summary: "Who may see what.", Format: upskill.FormatLesson, Minutes: 10,
			PassMark: 100, BadgeBearing: true,
			Mappings: []upskill.ContentMapping{{FrameworkID: fv.FrameworkID, CapabilityCode: fv.Capabilities()[0].Code, Level: 2}},
			Pages: []upskill.LessonPage{{Title: "The rule", Body: "Only the care team.", Questions: []upskill.LessonQuestion{{Prompt: "Who may see it?",
				Options: []upskill.LessonOption{{Text: "The care team", Correct: true, Feedback: "Yes."}, {Text: "Anyone"}}}}}}}
		item, err := a.store.CreateContent(ctx, 0, w.a.Ref(), upskill.VisibleOwner, l)
		must(t, err)
		must(t, a.store.PublishContent(ctx, 0, w.a.ID, item))
		token := func(email string) string {
			c := a.client()
			c.signIn(email)
			return regexp.MustCompile(`upskill_[A-Za-z0-9_-]+`).FindString(c.post("/account/tokens", url.Values{"name": {"App"}}).body)
		}
		mine, theirs := token("learner.a@example.org"), token("admin.b@example.org")
		call := func(token, method, path, body string) *page {
			req, _ := http.NewRequest(method, a.ts.URL+"/api/v1"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			return a.client().do(req)
		}
		if p := call(mine, "GET", "/learning?q=record", ""); p.status != 200 || !strings.Contains(p.body, `"total":1`) {
			t.Fatalf("catalogue: %d %s", p.status, p.body)
		}
		if p := call(theirs, "GET", "/learning?q=record", ""); !strings.Contains(p.body, `"total":0`) {
			t.Fatalf("another organisation's catalogue: %s", p.body)
		}
		if p := call(theirs, "POST", "/learning/"+itoa(item)+"/enrolments", ""); p.status != 404 {
			t.Fatalf("another organisation enrolling: %d", p.status)
		}
		p := call(mine, "GET", "/learning/"+itoa(item), "")
		if p.status != 200 || !strings.Contains(p.body, "Who may see it?") || strings.Contains(p.body, `"correct":true`) || strings.Contains(p.body, "Yes.") {
			t.Fatalf("the lesson shows its answers: %s", p.body)
		}
		var e struct{ ID int64 }
		p = call(mine, "POST", "/learning/"+itoa(item)+"/enrolments", "")
		if p.status != 201 || json.Unmarshal([]byte(p.body), &e) != nil || e.ID == 0 {
			t.Fatalf("enrol: %d %s", p.status, p.body)
		}
		base := "/me/enrolments/" + itoa(e.ID)
		if p := call(theirs, "PUT", base+"/pages/1", ""); p.status != 404 {
			t.Fatalf("recording progress on someone else's enrolment: %d", p.status)
		}
		if p := call(mine, "POST", base+"/complete", ""); p.status != 422 {
			t.Fatalf("completing before seeing the page: %d %s", p.status, p.body)
		}
		if p := call(mine, "PUT", base+"/pages/1", ""); p.status != 200 {
			t.Fatalf("see page: %d %s", p.status, p.body)
		}
		for _, bad := range []string{`{"selected":[7]}`, `{"selected":"0"}`, `{"chosen":[0]}`, `not json`} {
			if p := call(mine, "PUT", base+"/pages/1/questions/1", bad); p.status != 422 {
				t.Fatalf("answer %s: %d %s", bad, p.status, p.body)
			}
		}
		if p := call(mine, "PUT", base+"/pages/1/questions/1", `{"selected":[0]}`); p.status != 200 || !strings.Contains(p.body, `"right":true`) || !strings.Contains(p.body, "Yes.") {
			t.Fatalf("answer: %d %s", p.status, p.body)
		}
		if p := call(mine, "POST", base+"/complete", ""); p.status != 200 || !strings.Contains(p.body, `"status":"completed"`) {
			t.Fatalf("complete: %d %s", p.status, p.body)
		}
		if p := call(mine, "GET", base+"/certificate", ""); p.status != 200 || !strings.HasPrefix(p.body, "%PDF") {
			t.Fatalf("certificate: %d", p.status)
		}
		if p := call(theirs, "GET", base+"/certificate", ""); p.status != 404 {
			t.Fatalf("someone else's certificate: %d", p.status)
		}
		if p := call(mine, "GET", base+"/credential", ""); p.status != 200 || !strings.Contains(p.body, `"token":"ey`) || !strings.Contains(p.body, "/badges/") {
			t.Fatalf("credential: %d %s", p.status, p.body)
		}
		if p := call(mine, "GET", "/me/enrolments", ""); !strings.Contains(p.body, "Sharing a record safely") {
			t.Fatalf("enrolments: %s", p.body)
		}
		if p := call(mine, "GET", "/me/recommendations", ""); p.status != 200 || !strings.Contains(p.body, `"assessed":false`) {
			t.Fatalf("recommendations: %d %s", p.status, p.body)
		}
	})
}
