package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"upskill/store"
	"upskill/store/storetest"
)

func TestSignInAndOut(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		c := a.client()
		p := c.get("/home")
		if p.url != "/sign-in" {
			t.Fatalf("signed-out home went to %s", p.url)
		}
		p = c.post("/sign-in", url.Values{"email": {""}, "password": {""}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("empty sign-in: %d", p.status)
		}
		p.has(t, "Error: Sign in", "Enter your email address", "Enter your password", `href="#email"`)
		p = c.post("/sign-in", url.Values{"email": {"learner.a@example.org"}, "password": {"wrong password!"}})
		p.has(t, "Enter a correct email address and password")
		p = c.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!"}})
		p.has(t, "Enter a correct email address and password")

		p = c.post("/sign-in", url.Values{"email": {"  Learner.A@Example.org "}, "password": {testPassword}})
		if p.url != "/home" {
			t.Fatalf("sign-in ended on %s", p.url)
		}
		p.has(t, "Hello, Lee Learner", "Alder Hospitals NHS Trust", "Sign out")
		var session *http.Cookie
		u, _ := url.Parse(a.ts.URL)
		for _, ck := range c.hc.Jar.Cookies(u) {
			if ck.Name == sessionCookie {
				session = ck
			}
		}
		if session == nil {
			t.Fatal("no session cookie")
		}
		// The stored session is a hash, never the cookie's secret.
		if _, _, err := a.store.Session(ctx, store.HashSecret(session.Value)); err == nil {
			t.Fatal("the session's hash worked as a cookie")
		}

		p = c.post("/sign-out", nil)
		if p.url != "/sign-in" {
			t.Fatalf("sign-out ended on %s", p.url)
		}
		p.has(t, "You have signed out.")
		if _, _, err := a.store.Session(ctx, session.Value); err == nil {
			t.Fatal("the session survived signing out")
		}
		if p := c.get("/account"); p.url != "/sign-in" {
			t.Fatalf("account after sign-out went to %s", p.url)
		}
	})
}

func cookieValue(c *client, u *url.URL, name string) string {
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func TestSessionCookieFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		newWorld(t, st)
		a := newApp(t, st)
		a.srv.secure = true
		c := a.client()
		c.get("/sign-in")
		form := url.Values{"email": {"learner.a@example.org"}, "password": {testPassword}, "csrf_token": {c.csrf}}
		req, _ := http.NewRequest("POST", a.ts.URL+"/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range c.hc.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		must(t, err)
		res.Body.Close()
		var raw string
		for _, v := range res.Header.Values("Set-Cookie") {
			if strings.HasPrefix(v, sessionCookie+"=") {
				raw = v
			}
		}
		for _, flag := range []string{"HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=43200"} {
			if !strings.Contains(raw, flag) {
				t.Errorf("session cookie %q lacks %s", raw, flag)
			}
		}
		if res.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS header behind https")
		}
	})
}

func TestSignInRotatesSession(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		c := a.client()
		c.signIn("learner.a@example.org")
		u, _ := url.Parse(a.ts.URL)
		old := cookieValue(c, u, sessionCookie)
		p := c.post("/sign-in", url.Values{"email": {"sup.a@example.org"}, "password": {testPassword}})
		p.has(t, "Hello, Sam Supervisor")
		if now := cookieValue(c, u, sessionCookie); now == old || now == "" {
			t.Fatal("signing in again kept the session id")
		}
		if _, _, err := a.store.Session(ctx, old); err == nil {
			t.Fatal("the session from before signing in still works")
		}
	})
}

func TestLockout(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		c := a.client()
		var p *page
		for i := 0; i < emailRule.Limit; i++ {
			p = c.post("/sign-in", url.Values{"email": {"learner.a@example.org"}, "password": {"not the password"}})
		}
		if p.status != http.StatusTooManyRequests {
			t.Fatalf("after %d failures: %d", emailRule.Limit, p.status)
		}
		p.has(t, "You have entered the wrong details too many times. Try again after")
		// The right password does not get in while the lock lasts.
		p = c.post("/sign-in", url.Values{"email": {"learner.a@example.org"}, "password": {testPassword}})
		if p.status != http.StatusTooManyRequests || p.url != "/sign-in" {
			t.Fatalf("locked account signed in: %d %s", p.status, p.url)
		}
		// Other people are not affected.
		c2 := a.client()
		c2.signIn("sup.a@example.org")
	})
}

func TestFormTokenRequired(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("admin.a@example.org")
		dept := orgURL(w.a.ID) + "/departments"
		for _, token := range []string{"", "forged-token", strings.Repeat("A", 43)} {
			p := c.post(dept, url.Values{"name": {"Pharmacy"}, "csrf_token": {token}})
			if p.status != http.StatusForbidden {
				t.Fatalf("token %q: status %d", token, p.status)
			}
			p.has(t, "This form has expired or did not come from this service")
		}
		// A token from another browser does not work either.
		other := a.client()
		other.signIn("admin.a@example.org")
		p := c.post(dept, url.Values{"name": {"Pharmacy"}, "csrf_token": {other.csrf}})
		if p.status != http.StatusForbidden {
			t.Fatalf("another browser's token: %d", p.status)
		}
		units, err := a.store.Units(ctx, w.a.ID)
		must(t, err)
		if len(units) != 1 {
			t.Fatalf("a refused form wrote a department: %+v", units)
		}
		p = c.post(dept, url.Values{"name": {"Pharmacy"}})
		p.has(t, "Pharmacy has been added.")
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("admin.a@example.org")
		form := url.Values{"name": {"Pharmacy"}, "csrf_token": {c.csrf}}
		req, _ := http.NewRequest("POST", a.ts.URL+orgURL(w.a.ID)+"/departments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://attacker.example")
		p := c.do(req)
		if p.status != http.StatusForbidden {
			t.Fatalf("cross-site post: %d", p.status)
		}
	})
}

func TestSessionEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		newWorld(t, st)
		a := newApp(t, st)
		a.srv.cfg.SessionIdle = 300 * time.Millisecond
		c := a.client()
		c.signIn("learner.a@example.org")
		if p := c.get("/account"); p.url != "/account" {
			t.Fatalf("account: %s", p.url)
		}
		time.Sleep(400 * time.Millisecond)
		p := c.get("/account")
		if p.url != "/sign-in" {
			t.Fatalf("idle session still served %s", p.url)
		}
		p.has(t, "Your session has ended. Sign in again to continue.")
		// The next page back goes to /account after signing in.
		if !strings.Contains(p.body, `name="next" value="/account"`) {
			t.Errorf("sign-in does not return to the page asked for")
		}

		a.srv.cfg.SessionIdle = time.Hour
		a.srv.cfg.SessionMax = 300 * time.Millisecond
		c.signIn("learner.a@example.org")
		time.Sleep(400 * time.Millisecond)
		if p := c.get("/home"); p.url != "/sign-in" {
			t.Fatalf("session outlived its maximum: %s", p.url)
		}
	})
}

func TestNextIsLocalOnly(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/home",
		"/account":             "/account",
		"//evil.example/x":     "/home",
		"https://evil.example": "/home",
		"/\\evil.example":      "/home",
		"account":              "/home",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

var linkRE = regexp.MustCompile(`http://[^/\s]+(/[^\s]+)`)

// emailedPath returns the path of the link in the newest email to an address.
func emailedPath(t *testing.T, a *app, to string) string {
	t.Helper()
	m, ok := a.mail.Last(to)
	if !ok {
		t.Fatalf("no email to %s", to)
	}
	match := linkRE.FindStringSubmatch(m.Text)
	if match == nil {
		t.Fatalf("no link in email to %s: %s", to, m.Text)
	}
	return match[1]
}

func TestInvitationJourney(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		admin := a.client()
		admin.signIn("admin.a@example.org")
		newPath := orgURL(w.a.ID) + "/people/new"

		// Bad input: a clear message for each field, and nothing written.
		p := admin.post(newPath, url.Values{"email": {"not-an-email"}, "name": {""}, "line_manager": {"learner.b@example.org"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad person form: %d", p.status)
		}
		p.has(t, "Enter an email address in the correct format", "Enter a full name", "Select at least one role",
			"Enter the email address of a line manager who works in Alder Hospitals NHS Trust")
		if _, _, err := a.store.Credentials(ctx, "not-an-email"); err == nil {
			t.Fatal("a refused form created a person")
		}
		p = admin.post(newPath, url.Values{"email": {"learner.a@example.org"}, "name": {"Lee Again"}, "roles": {"learner"}})
		p.has(t, "This person is already a member of Alder Hospitals NHS Trust")

		p = admin.post(newPath, url.Values{"email": {"Priya.Patel@example.org"}, "name": {"Priya Patel"}, "roles": {"learner", "supervisor"},
			"staff_group": {"allied_health"}, "job_role": {"Physiotherapist"}, "pay_band": {"afc_6"},
			"unit": {itoa(w.unitA.ID)}, "line_manager": {"sup.a@example.org"}})
		p.has(t, "Priya Patel has been added and invited by email", "Physiotherapist", "Band 6", "Ward 7", "Sam Supervisor", "has been invited but has not set up their account")

		link := emailedPath(t, a, "priya.patel@example.org")
		newcomer := a.client()
		p = newcomer.get(link)
		p.has(t, "Set up your account", "priya.patel@example.org", "Alder Hospitals NHS Trust")
		p = newcomer.post(link, url.Values{"name": {"Priya Patel"}, "password": {"short"}})
		p.has(t, "Password must be 10 characters or more")
		p = newcomer.post(link, url.Values{"name": {"Priya Patel"}, "password": {"bluebell meadow lantern"}})
		if p.url != "/home" {
			t.Fatalf("accepting ended on %s: %s", p.url, excerpt(p.body))
		}
		p.has(t, "Your account is set up", "Hello, Priya Patel", "Your team")
		// The link works once.
		other := a.client()
		p = other.get(link)
		if p.status != http.StatusNotFound {
			t.Fatalf("a used invitation answered %d", p.status)
		}
		p.has(t, "This link has expired or has already been used")
	})
}

func TestExistingPersonKeepsIdentity(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		adminB := a.client()
		adminB.signIn("admin.b@example.org")
		p := adminB.post(orgURL(w.b.ID)+"/people/new", url.Values{"email": {"learner.a@example.org"}, "name": {"Somebody Else"}, "roles": {"learner"}})
		p.has(t, "Lee Learner already had an upskill account and has been added to Birch Lodge Care Home")
		m, ok := a.mail.Last("learner.a@example.org")
		if !ok || !strings.Contains(m.Subject, "Birch Lodge Care Home") || strings.Contains(m.Text, "/invitations/") {
			t.Fatalf("notice email: %+v", m)
		}
		// B sees its own membership only: not A's job role or team.
		p.lacks(t, "Staff nurse", "Ward 7", "Sam Supervisor")
		learner := a.client()
		p = learner.signIn("learner.a@example.org")
		p.has(t, "Alder Hospitals NHS Trust", "Birch Lodge Care Home")
	})
}

func TestPasswordReset(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		newWorld(t, a.store)
		elsewhere := a.client()
		elsewhere.signIn("learner.a@example.org")

		c := a.client()
		p := c.post("/forgot-password", url.Values{"email": {"nobody@example.org"}})
		p.has(t, "Check your email", "If there is an upskill account for nobody@example.org")
		if len(a.mail.Sent()) != 0 {
			t.Fatal("an email went to an address with no account")
		}
		p = c.post("/forgot-password", url.Values{"email": {"bad address"}})
		p.has(t, "Enter an email address in the correct format")
		p = c.post("/forgot-password", url.Values{"email": {"Learner.A@example.org"}})
		p.has(t, "Check your email")
		link := emailedPath(t, a, "learner.a@example.org")
		p = c.get(link)
		p.has(t, "Choose a new password", "learner.a@example.org")
		p = c.post(link, url.Values{"password": {"learner.a@example.org!"}})
		p.has(t, "Password must not contain your email address")
		p = c.post(link, url.Values{"password": {"a brand new passphrase"}})
		p.has(t, "Your password has been changed")
		// Every session of the account has ended.
		if p := elsewhere.get("/home"); p.url != "/sign-in" {
			t.Fatalf("old session survived a reset: %s", p.url)
		}
		p = c.post("/sign-in", url.Values{"email": {"learner.a@example.org"}, "password": {"a brand new passphrase"}})
		p.has(t, "Hello, Lee Learner")
		if p := a.client().get(link); p.status != http.StatusNotFound {
			t.Fatalf("a used reset link answered %d", p.status)
		}
		// Asking too often is quietly limited: no more emails are sent.
		before := len(a.mail.Sent())
		for i := 0; i < 5; i++ {
			c.post("/forgot-password", url.Values{"email": {"learner.a@example.org"}})
		}
		if sent := len(a.mail.Sent()) - before; sent > resetRule.Limit {
			t.Fatalf("%d reset emails sent in a row", sent)
		}
	})
}

func TestSetup(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		c := a.client()
		code, err := a.store.SetupCode(ctx)
		must(t, err)
		p := c.get("/setup?code=" + code)
		p.has(t, "Set up upskill", `value="`+code+`"`, `value="England"`)
		p = c.post("/setup", url.Values{"code": {"wrong"}, "nation": {"England"}, "name": {"Grace Hopper"}, "email": {"grace@example.org"}, "password": {"a long enough passphrase"}})
		p.has(t, "The setup code is not right")
		if has, _ := a.store.HasNationalAdmin(ctx); has {
			t.Fatal("a wrong code created an admin")
		}
		p = c.post("/setup", url.Values{"code": {code}, "nation": {"England"}, "name": {"Grace Hopper"}, "email": {"grace@example.org"}, "password": {"a long enough passphrase"}})
		if p.url != "/home" {
			t.Fatalf("setup ended on %s: %s", p.url, excerpt(p.body))
		}
		p.has(t, "first national admin", "Regions and organisations", "Confirm your email address")
		verify := emailedPath(t, a, "grace@example.org")
		p = c.get(verify)
		p.has(t, "Your email address is confirmed.")
		p.lacks(t, "Send the link again")
		p = a.client().get("/setup?code=" + code)
		if p.status != http.StatusNotFound {
			t.Fatalf("setup after setup: %d", p.status)
		}
		p.has(t, "This service has already been set up")
	})
}

func TestSecurityHeaders(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		p := a.client().get("/sign-in")
		csp := p.header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Fatalf("CSP: %q", csp)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
			if got := p.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if len(p.header.Get("X-Request-Id")) != 16 {
			t.Errorf("request id %q", p.header.Get("X-Request-Id"))
		}
		if p.header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS on plain http")
		}
	})
}

func TestOperationalEndpoints(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		c := a.client()
		if p := c.get("/healthz"); p.status != 200 || p.body != "ok\n" {
			t.Fatalf("healthz: %d %q", p.status, p.body)
		}
		if p := c.get("/readyz"); p.status != 200 {
			t.Fatalf("readyz: %d", p.status)
		}
		c.get("/sign-in")
		c.get("/no-such-page")
		p := c.get("/metrics")
		p.has(t, `upskill_http_requests_total{code="200",method="GET",route="GET /sign-in"}`,
			`route="unmatched"`, "upskill_http_request_duration_seconds_bucket", "go_sql_open_connections")
		newWorld(t, a.store)
		c.signIn("learner.a@example.org")
		a.store.Close()
		c.unavailableOK = true
		p = c.get("/readyz")
		if p.status != http.StatusServiceUnavailable {
			t.Fatalf("readyz with the database closed: %d", p.status)
		}
		// Pages say the service is unavailable rather than failing.
		p = c.get("/home")
		if p.status != http.StatusServiceUnavailable {
			t.Fatalf("home with the database closed: %d", p.status)
		}
		p.has(t, "Sorry, the service is unavailable")
	})
}
