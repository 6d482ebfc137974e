package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"upskill"
	"upskill/api"
	"upskill/framework"
	"upskill/framework/formats"
	"upskill/store"
	"upskill/store/storetest"
)

var ctx = context.Background()

// fixture is a nation with two organisations, a national admin and a
// learner in each organisation, each with an API token.
type fixture struct {
	t        *testing.T
	st       *store.Store
	api      *api.API
	a, b     *upskill.Organisation
	national string // tokens
	learnerA string
	learnerB string
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	def, err := framework.Default()
	must(t, err)
	_, err = st.EnsureFramework(ctx, def.Framework, &def.Version)
	must(t, err)
	nat, err := st.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "national@example.org", Name: "Nadia National", PasswordHash: "unused", Verified: true})
	must(t, err)
	nation, err := st.Nation(ctx)
	must(t, err)
	f := &fixture{t: t, st: st, api: api.New(st, formats.Registry{BaseURI: "https://upskill.example.org/case"}, nil, slog.New(slog.DiscardHandler))}
	region, err := st.CreateChild(ctx, 0, nation, upskill.OrganisationInput{Name: "North West"})
	must(t, err)
	f.a, err = st.CreateChild(ctx, 0, region, upskill.OrganisationInput{Name: "Alder Hospitals NHS Trust", Type: upskill.OrgNHSTrust})
	must(t, err)
	f.b, err = st.CreateChild(ctx, 0, region, upskill.OrganisationInput{Name: "Birch Lodge Care Home", Type: upskill.OrgCareHome})
	must(t, err)
	f.national = f.token(nat.ID)
	f.learnerA = f.token(f.member(f.a, "lee@example.org", "Lee Learner"))
	f.learnerB = f.token(f.member(f.b, "bo@example.org", "Bo Learner"))
	return f
}

func (f *fixture) member(org *upskill.Organisation, email, name string) int64 {
	added, err := f.st.AddMember(ctx, 0, org, store.MemberInput{Email: email, Name: name, Roles: upskill.RoleSet(upskill.RoleLearner)})
	must(f.t, err)
	return added.Person.ID
}

func (f *fixture) token(personID int64) string {
	tok, err := f.st.CreateAPIToken(ctx, personID, "tests")
	must(f.t, err)
	return tok
}

// call sends a request with the token and body, and returns the status
// and the decoded body (nil unless JSON).
func (f *fixture) call(token, method, path, contentType string, body []byte) (int, map[string]any, *httptest.ResponseRecorder) {
	f.t.Helper()
	req := httptest.NewRequest(method, api.Prefix+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, req)
	var out map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			f.t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, rec.Body)
		}
	}
	return rec.Code, out, rec
}

func (f *fixture) json(token, method, path, body string) (int, map[string]any) {
	f.t.Helper()
	code, out, _ := f.call(token, method, path, "application/json", []byte(body))
	return code, out
}

func (f *fixture) expect(token, method, path, body string, want int) map[string]any {
	f.t.Helper()
	code, out := f.json(token, method, path, body)
	if code != want {
		f.t.Fatalf("%s %s: status %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func errorCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for _, tok := range []string{"", "upskill_not-a-real-token", "something-else"} {
			code, out, rec := f.call(tok, "GET", "/me", "", nil)
			if code != http.StatusUnauthorized || errorCode(out) != upskill.EUNAUTHORISED {
				t.Errorf("token %q: status %d %v, want 401", tok, code, out)
			}
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("token %q: no WWW-Authenticate header", tok)
			}
		}
		me := f.expect(f.learnerA, "GET", "/me", "", 200)
		orgs := me["organisations"].([]any)
		if me["email"] != "lee@example.org" || len(orgs) != 1 || orgs[0].(map[string]any)["name"] != f.a.Name {
			t.Errorf("me = %v", me)
		}

		// A revoked token stops working at once.
		list, err := st.APITokens(ctx, int64(me["id"].(float64)))
		must(t, err)
		must(t, st.RevokeAPIToken(ctx, int64(me["id"].(float64)), list[0].ID))
		if code, _ := f.json(f.learnerA, "GET", "/me", ""); code != http.StatusUnauthorized {
			t.Errorf("revoked token: status %d, want 401", code)
		}

		code, out, _ := f.call("", "GET", "/no/such/thing", "", nil)
		if code != http.StatusNotFound || errorCode(out) != upskill.ENOTFOUND {
			t.Errorf("unknown address: %d %v", code, out)
		}
	})
}

// TestAssessmentThroughTheAPI takes a whole assessment, trying bad bodies
// and another organisation's learner at each step.
func TestAssessmentThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		fwBody := f.expect(f.learnerA, "GET", "/frameworks/hcdcf", "", 200)
		var file api.FrameworkBody
		remarshal(t, fwBody, &file)
		v := &file.Version
		for _, q := range v.Questions {
			if q.Explanation != "" {
				t.Fatalf("a learner was shown the explanation of %s", q.Code)
			}
			for _, o := range q.Options {
				if o.Correct {
					t.Fatalf("a learner was shown the answer to %s", q.Code)
				}
			}
		}

		// Starting in an organisation one does not belong to is refused.
		f.expect(f.learnerA, "POST", "/me/attempts", fmt.Sprintf(`{"organisation_id": %d}`, f.b.ID), 422)
		att := f.expect(f.learnerA, "POST", "/me/attempts", fmt.Sprintf(`{"organisation_id": %d}`, f.a.ID), 201)
		id := int64(att["id"].(float64))
		again := f.expect(f.learnerA, "POST", "/me/attempts", fmt.Sprintf(`{"organisation_id": %d}`, f.a.ID), 200)
		if int64(again["id"].(float64)) != id {
			t.Fatalf("starting again made a second attempt: %v", again)
		}
		base := fmt.Sprintf("/me/attempts/%d", id)
		caps := v.Capabilities()
		first := fmt.Sprintf("%s/answers/%d", base, caps[0].ID)

		// Bad bodies are refused with a message, and write nothing.
		for body, want := range map[string]string{
			`{"now": 3}`:                          "needed",
			`{"now": 3, "needed": 5, "extra": 1}`: "extra",
			`{"now": "three", "needed": 5}`:       "now",
			`{"now": 99, "needed": 5}`:            "",
			`not json`:                            "valid JSON",
			``:                                    "empty",
			`{"now": 3, "needed": 5} {"now": 4}`:  "more",
			`{"now": -1, "needed": 5}`:            "",
			`[1, 2]`:                              "",
		} {
			code, out := f.json(f.learnerA, "PUT", first, body)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("body %q: status %d, want 422: %v", body, code, out)
				continue
			}
			msg := fmt.Sprint(out["error"])
			if want != "" && !strings.Contains(msg, want) {
				t.Errorf("body %q: error %s does not mention %q", body, msg, want)
			}
		}
		code, out, _ := f.call(f.learnerA, "PUT", first, "text/plain", []byte(`{"now": 3, "needed": 5}`))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("text/plain body: %d %v", code, out)
		}
		big := `{"now": 3, "needed": 5, "pad": "` + strings.Repeat("x", 5000) + `"}`
		if code, _ := f.json(f.learnerA, "PUT", first, big); code != http.StatusUnprocessableEntity {
			t.Errorf("oversized body: status %d", code)
		}
		got := f.expect(f.learnerA, "GET", base, "", 200)
		if answers, _ := got["answers"].([]any); len(answers) != 0 {
			t.Fatalf("bad bodies wrote answers: %v", answers)
		}

		// Submitting before every statement is rated says how many are left.
		out = f.expect(f.learnerA, "POST", base+"/submit", "", 422)
		if !strings.Contains(fmt.Sprint(out["error"]), fmt.Sprint(len(caps))) {
			t.Errorf("early submit: %v", out)
		}

		for i, c := range caps {
			f.expect(f.learnerA, "PUT", fmt.Sprintf("%s/answers/%d", base, c.ID),
				fmt.Sprintf(`{"now": %d, "needed": %d}`, i%c.MaxAnswer(len(v.Levels)), c.MaxAnswer(len(v.Levels))), 200)
		}
		// A statement from no version, and a question of no version.
		f.expect(f.learnerA, "PUT", base+"/answers/999999", `{"now": 1, "needed": 1}`, 422)
		q := v.Questions[0]
		f.expect(f.learnerA, "PUT", fmt.Sprintf("%s/checks/%d", base, q.ID), `{"selected": [999999]}`, 422)
		f.expect(f.learnerA, "PUT", fmt.Sprintf("%s/checks/%d", base, q.ID), fmt.Sprintf(`{"selected": [%d]}`, q.Options[0].ID), 200)

		// Another organisation's learner can neither see nor change it.
		f.expect(f.learnerB, "GET", base, "", 404)
		f.expect(f.learnerB, "PUT", first, `{"now": 1, "needed": 1}`, 404)
		f.expect(f.learnerB, "PUT", fmt.Sprintf("%s/checks/%d", base, q.ID), fmt.Sprintf(`{"selected": [%d]}`, q.Options[0].ID), 404)
		f.expect(f.learnerB, "POST", base+"/submit", "", 404)
		f.expect(f.learnerB, "GET", base+"/report", "", 404)
		f.expect(f.national, "GET", base, "", 404)

		f.expect(f.learnerA, "GET", base+"/report", "", 409)
		sub := f.expect(f.learnerA, "POST", base+"/submit", "", 200)
		if sub["answered"] != float64(len(caps)) || sub["strengths"] == nil {
			t.Errorf("submit = %v", shorten(sub))
		}
		if got := f.expect(f.learnerA, "GET", base, "", 200); got["status"] != string(upskill.AttemptSubmitted) {
			t.Errorf("after submit the attempt is %v", got["status"])
		}
		f.expect(f.learnerA, "POST", base+"/submit", "", 409)
		f.expect(f.learnerA, "PUT", first, `{"now": 1, "needed": 1}`, 409)

		rep := f.expect(f.learnerA, "GET", base+"/report", "", 200)
		if domains, _ := rep["domains"].([]any); len(domains) != len(v.Domains) {
			t.Errorf("report has %d domains, want %d", len(domains), len(v.Domains))
		}
		list := f.expect(f.learnerA, "GET", "/me/attempts", "", 200)
		if attempts, _ := list["attempts"].([]any); len(attempts) != 1 {
			t.Errorf("attempts = %v", list)
		}
		list = f.expect(f.learnerB, "GET", "/me/attempts", "", 200)
		if attempts, _ := list["attempts"].([]any); len(attempts) != 0 {
			t.Errorf("another learner's list shows %v", list)
		}
	})
}

func remarshal(t *testing.T, in any, out any) {
	t.Helper()
	b, err := json.Marshal(in)
	must(t, err)
	must(t, json.Unmarshal(b, out))
}

// TestFrameworkExportAndImport round-trips the default framework through
// every format, and checks that previews and bad files write nothing.
func TestFrameworkExportAndImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.expect(f.learnerA, "GET", "/frameworks/hcdcf/export", "", 403)
		f.expect(f.learnerA, "POST", "/frameworks?preview=true", "{}", 403)
		fwBody := f.expect(f.national, "GET", "/frameworks/hcdcf", "", 200)
		if !strings.Contains(fmt.Sprint(fwBody), "correct:true") {
			t.Error("a national admin was not shown the answers to the knowledge checks")
		}

		versions := func() int {
			fw, err := st.FrameworkByKey(ctx, "hcdcf")
			must(t, err)
			vs, err := st.Versions(ctx, fw.ID)
			must(t, err)
			return len(vs)
		}
		wantTypes := map[string]string{"json": "application/json", "case": "application/json", "csv": "text/csv", "xlsx": "application/vnd.openxmlformats"}
		files := map[string][]byte{}
		for format, ct := range wantTypes {
			code, _, rec := f.call(f.national, "GET", "/frameworks/hcdcf/export?format="+format, "", nil)
			if code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), ct) {
				t.Fatalf("export %s: %d %s", format, code, rec.Header().Get("Content-Type"))
			}
			if !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
				t.Errorf("export %s is not an attachment", format)
			}
			files[format] = rec.Body.Bytes()
		}
		f.expect(f.national, "GET", "/frameworks/hcdcf/export?format=pdf", "", 422)

		for format, body := range files {
			before := versions()
			code, out, _ := f.call(f.national, "POST", "/frameworks?preview=true", wantTypes[format], body)
			if code != 200 || out["preview"] != true || out["capabilities"].(float64) != 32 || out["questions"].(float64) != 18 {
				t.Fatalf("preview %s: %d %v", format, code, shorten(out))
			}
			if versions() != before {
				t.Fatalf("preview %s wrote a version", format)
			}
			code, out, _ = f.call(f.national, "POST", "/frameworks", wantTypes[format], body)
			if code != 201 || out["published"] != false {
				t.Fatalf("import %s: %d %v", format, code, shorten(out))
			}
			if versions() != before+1 {
				t.Fatalf("import %s: %d versions, want %d", format, versions(), before+1)
			}
		}
		// Drafts leave the published version alone.
		_, pub, err := st.PublishedVersion(ctx, "hcdcf")
		must(t, err)
		if pub.Number != 1 {
			t.Fatalf("published version is %d after draft imports", pub.Number)
		}

		// A broken file is refused with every problem and where it is.
		broken := regexp.MustCompile(`"statement": "[^"]*"`).ReplaceAll(files["json"], []byte(`"statement": ""`))
		before := versions()
		code, out, _ := f.call(f.national, "POST", "/frameworks", "application/json", broken)
		if code != 422 {
			t.Fatalf("broken file: %d %v", code, shorten(out))
		}
		fields := out["error"].(map[string]any)["fields"].([]any)
		if len(fields) < 32 {
			t.Errorf("broken file: %d problems reported, want one per statement: %v", len(fields), shorten(out))
		}
		if field := fields[0].(map[string]any)["field"].(string); !strings.Contains(field, "statement") {
			t.Errorf("first problem is at %q", field)
		}
		for _, junk := range [][]byte{nil, []byte("   "), []byte("PK\x03\x04garbage"), []byte(`{"framework": 1}`), bytes.Repeat([]byte("a,b\n"), 600000)} {
			if code, out, _ := f.call(f.national, "POST", "/frameworks", "", junk); code != 422 {
				t.Errorf("junk %q: %d %v", shorten(junk), code, shorten(out))
			}
		}
		if versions() != before {
			t.Fatal("a refused file wrote a version")
		}

		// Importing with publish=true retires the version before it.
		code, out, _ = f.call(f.national, "POST", "/frameworks?publish=true", "text/csv", files["csv"])
		if code != 201 || out["published"] != true {
			t.Fatalf("publish: %d %v", code, shorten(out))
		}
		_, pub, err = st.PublishedVersion(ctx, "hcdcf")
		must(t, err)
		if pub.Number != before+1 {
			t.Errorf("published version is %d, want %d", pub.Number, before+1)
		}
	})
}

func shorten(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}

// TestEveryRouteIsDocumented checks the OpenAPI document against the
// routes the API serves.
func TestEveryRouteIsDocumented(t *testing.T) {
	a := api.New(nil, formats.Registry{}, nil, slog.New(slog.DiscardHandler))
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", api.Prefix+"/openapi.json", nil))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	body, _ := io.ReadAll(rec.Body)
	must(t, json.Unmarshal(body, &doc))
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, p := range a.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		path = strings.TrimPrefix(path, api.Prefix)
		served[strings.ToLower(method)+" "+path] = true
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is served but not documented", p)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			if !served[method+" "+path] {
				t.Errorf("%s %s is documented but not served", method, path)
			}
		}
	}
}
