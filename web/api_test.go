package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
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
