package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
)

var ctx = context.Background()

// fastHash keeps tests quick; production uses password.Default.
var fastHash = password.New(password.TestParams)

const testPassword = "correct horse battery staple"

// app is a server on a fresh database, with the emails it sent.
type app struct {
	t     *testing.T
	store *store.Store
	srv   *Server
	ts    *httptest.Server
	mail  *mail.Recorder
}

func newApp(t *testing.T, st *store.Store) *app {
	t.Helper()
	rec := &mail.Recorder{}
	a := &app{t: t, store: st, mail: rec}
	a.ts = httptest.NewUnstartedServer(nil)
	srv, err := New(ctx, Config{PublicURL: &url.URL{Scheme: "http", Host: a.ts.Listener.Addr().String()}},
		Deps{Store: st, Mail: rec, Hasher: fastHash, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	a.srv = srv
	a.ts.Config.Handler = srv
	a.ts.Start()
	t.Cleanup(a.ts.Close)
	return a
}

// eachApp runs fn on a fresh app per engine.
func eachApp(t *testing.T, fn func(t *testing.T, a *app)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fn(t, newApp(t, st))
	})
}

// client is a browser stand-in: it keeps cookies, follows redirects, and
// picks up the form token from each page.
type client struct {
	t    *testing.T
	a    *app
	hc   *http.Client
	csrf string
	// unavailableOK lets a test expect 503 Service Unavailable.
	unavailableOK bool
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, a: a, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// page is a response with its body read.
type page struct {
	status int
	url    string
	body   string
	header http.Header
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) do(req *http.Request) *page {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := &page{status: res.StatusCode, url: res.Request.URL.Path, body: string(b), header: res.Header}
	if m := tokenRE.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	if p.status >= 500 && !(c.unavailableOK && p.status == http.StatusServiceUnavailable) {
		c.t.Errorf("%s %s answered %d", req.Method, req.URL.Path, p.status)
	}
	return p
}

func (c *client) get(path string) *page {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.a.ts.URL+path, nil)
	return c.do(req)
}

// post sends a form with the current form token, fetching one first if the
// client has none.
func (c *client) post(path string, form url.Values) *page {
	c.t.Helper()
	if c.csrf == "" {
		c.get("/sign-in")
	}
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf_token") {
		form.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(email string) *page {
	c.t.Helper()
	p := c.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if p.url != "/home" {
		c.t.Fatalf("sign in as %s ended on %s (%d): %s", email, p.url, p.status, excerpt(p.body))
	}
	return p
}

func (p *page) has(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Errorf("page %s (%d) lacks %q:\n%s", p.url, p.status, s, excerpt(p.body))
		}
	}
}

func (p *page) lacks(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.body, s) {
			t.Errorf("page %s shows %q", p.url, s)
		}
	}
}

// excerpt returns the main content of a page, for failure messages.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

// world is a hierarchy with people in every role, for tests that walk
// through the service as each of them.
type world struct {
	nation, r1, r2, a, b, c *upskill.Organisation
	unitA, unitB, unitC     *upskill.Unit
	people                  map[string]*upskill.Person // by persona
}

// Personas, each a member of organisation A unless the name says otherwise.
var personas = []string{"national", "regionLead", "orgAdmin", "supervisor", "learner", "author", "adminB"}

func newWorld(t *testing.T, st *store.Store) *world {
	t.Helper()
	loadDefaultFramework(t, st)
	hash, _ := fastHash.Hash(ctx, testPassword)
	w := &world{people: map[string]*upskill.Person{}}
	nat, err := st.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "national@example.org", Name: "Nadia National", PasswordHash: hash, Verified: true})
	must(t, err)
	w.people["national"] = nat
	w.nation, err = st.Nation(ctx)
	must(t, err)
	w.r1 = mustOrg(t, st, w.nation, "North West", "")
	w.r2 = mustOrg(t, st, w.nation, "South West", "")
	w.a = mustOrg(t, st, w.r1, "Alder Hospitals NHS Trust", upskill.OrgNHSTrust)
	w.b = mustOrg(t, st, w.r1, "Birch Lodge Care Home", upskill.OrgCareHome)
	w.c = mustOrg(t, st, w.r2, "Cedar Street Surgery", upskill.OrgGPPractice)
	w.unitA, err = st.CreateUnit(ctx, 0, w.a.ID, 0, "Ward 7")
	must(t, err)
	w.unitB, err = st.CreateUnit(ctx, 0, w.b.ID, 0, "Nursing floor")
	must(t, err)
	w.unitC, err = st.CreateUnit(ctx, 0, w.c.ID, 0, "Reception")
	must(t, err)
	add := func(key string, org *upskill.Organisation, email, name string, roles upskill.RoleSet, attrs upskill.StaffAttributes) {
		added, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: email, Name: name, Roles: roles, StaffAttributes: attrs})
		must(t, err)
		if added.Invitation != "" {
			_, err = st.AcceptInvitation(ctx, added.Invitation, name, hash)
			must(t, err)
		}
		w.people[key] = added.Person
	}
	add("regionLead", w.r1, "lead@example.org", "Rhys Lead", upskill.RoleSet(upskill.RoleRegionLead), upskill.StaffAttributes{})
	add("orgAdmin", w.a, "admin.a@example.org", "Amira Admin", upskill.RoleSet(upskill.RoleOrgAdmin).With(upskill.RoleLearner), upskill.StaffAttributes{})
	add("supervisor", w.a, "sup.a@example.org", "Sam Supervisor", upskill.RoleSet(upskill.RoleSupervisor).With(upskill.RoleLearner), upskill.StaffAttributes{UnitID: w.unitA.ID})
	add("learner", w.a, "learner.a@example.org", "Lee Learner", upskill.RoleSet(upskill.RoleLearner),
		upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", PayBand: "afc_5", UnitID: w.unitA.ID, LineManagerID: w.people["supervisor"].ID})
	add("author", w.a, "author.a@example.org", "Ada Author", upskill.RoleSet(upskill.RoleContentAuthor), upskill.StaffAttributes{})
	add("adminB", w.b, "admin.b@example.org", "Bea Admin", upskill.RoleSet(upskill.RoleOrgAdmin), upskill.StaffAttributes{})
	add("learnerB", w.b, "learner.b@example.org", "Bo Learner", upskill.RoleSet(upskill.RoleLearner), upskill.StaffAttributes{UnitID: w.unitB.ID})
	add("learnerC", w.c, "learner.c@example.org", "Cy Learner", upskill.RoleSet(upskill.RoleLearner), upskill.StaffAttributes{UnitID: w.unitC.ID})
	return w
}

func mustOrg(t *testing.T, st *store.Store, parent *upskill.Organisation, name string, typ upskill.OrgType) *upskill.Organisation {
	t.Helper()
	o, err := st.CreateChild(ctx, 0, parent, upskill.OrganisationInput{Name: name, Type: typ})
	must(t, err)
	return o
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// loadDefaultFramework stores the framework the service ships with.
func loadDefaultFramework(t testing.TB, st *store.Store) {
	t.Helper()
	f, err := framework.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.EnsureFramework(ctx, f.Framework, &f.Version); err != nil {
		t.Fatal(err)
	}
}

func memberInput(email, name string) store.MemberInput {
	return store.MemberInput{Email: email, Name: name, Roles: upskill.RoleSet(upskill.RoleLearner)}
}
