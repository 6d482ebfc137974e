package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"upskill/framework"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

var ctx = context.Background()

// server is upskill on a fresh database, with the emails it sent.
type server struct {
	web    *web.Server
	url    string
	store  *store.Store
	mail   *mail.Recorder
	hasher *password.Hasher
}

func startServer(t *testing.T, st *store.Store) *server {
	t.Helper()
	f, err := framework.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.EnsureFramework(ctx, f.Framework, &f.Version); err != nil {
		t.Fatal(err)
	}
	rec := &mail.Recorder{}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(base)
	hasher := password.New(password.TestParams)
	srv, err := web.New(ctx, web.Config{PublicURL: u}, web.Deps{Store: st, Mail: rec, Log: slog.New(slog.DiscardHandler), Hasher: hasher})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return &server{web: srv, url: base, store: st, mail: rec, hasher: hasher}
}

var linkRE = regexp.MustCompile(`http://[^/\s]+(/\S+)`)

// link returns the path of the link in the newest email to an address.
func (s *server) link(t *testing.T, to string) string {
	t.Helper()
	m, ok := s.mail.Last(to)
	if !ok {
		t.Fatalf("no email to %s", to)
	}
	match := linkRE.FindStringSubmatch(m.Text)
	if match == nil {
		t.Fatalf("no link in the email to %s", to)
	}
	return match[1]
}

// TestAxeCanFail proves that the accessibility check finds a real fault: a
// page with an unlabelled text box.
func TestAxeCanFail(t *testing.T) {
	b := Start(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html lang="en"><head><title>Bad page</title></head>
<body><main><h1>Bad page</h1><form><input type="text" name="nameless"></form></main></body></html>`)
	}))
	defer ts.Close()
	tab := b.NewTab(t, ts.URL)
	tab.run("open", navigate(ts.URL))
	vs, err := tab.Audit()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	if !strings.Contains(strings.Join(ids, " "), "label") {
		t.Fatalf("axe-core did not report the unlabelled input; it found: %v", ids)
	}
}

// each runs a journey on both database engines.
func each(t *testing.T, fn func(t *testing.T, b *Browser, s *server)) {
	b := Start(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fn(t, b, startServer(t, st))
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
