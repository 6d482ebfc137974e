package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"upskill/store"
	"upskill/store/storetest"
)

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestVersionAndHelp(t *testing.T) {
	out, _, err := runCmd(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "upskill ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %v", err)
	}
}

// TestBadDatabase checks that a database that cannot be used is refused
// with a message that says why, without a stack trace or a password.
func TestBadDatabase(t *testing.T) {
	cases := map[string]string{
		"postgres://someone:s3cret@127.0.0.1:1/upskill":          "cannot open the database",
		"postgres://someone@[::1:5432/x":                         "not a valid URL",
		"postgres://someone@127.0.0.1:5432/db?sslmode=sometimes": "cannot be used",
		"sqlite:data/x.db?mode=ro":                               "without options",
		"mysql://root@localhost/upskill":                         "SQLite file path or a postgres:// URL",
	}
	for dsn, want := range cases {
		_, _, err := runCmd(t, "", "migrate", "--db", dsn)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--db %s: %v, want it to say %q", dsn, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("--db %s: the error shows the password: %v", dsn, err)
		}
	}
}

func TestMigrateAndUser(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			out, _, err := runCmd(t, "", "migrate", "--db", dsn)
			if err != nil || !strings.Contains(out, "schema version") {
				t.Fatalf("migrate: %q %v", out, err)
			}
			_, _, err = runCmd(t, "", "user", "create", "--db", dsn, "--admin", "--email", "not-an-email", "--name", "")
			if err == nil || !strings.Contains(err.Error(), "--email: Enter an email address in the correct format") || !strings.Contains(err.Error(), "--name: Enter a full name") {
				t.Fatalf("bad user: %v", err)
			}
			_, _, err = runCmd(t, "short\n", "user", "create", "--db", dsn, "--admin", "--email", "ops@example.org", "--name", "Ops Person", "--password-stdin")
			if err == nil || !strings.Contains(err.Error(), "10 characters") {
				t.Fatalf("short password: %v", err)
			}
			out, _, err = runCmd(t, "a long enough passphrase\n", "user", "create", "--db", dsn, "--admin", "--email", "ops@example.org", "--name", "Ops Person", "--password-stdin")
			if err != nil || !strings.Contains(out, "is a national admin") || strings.Contains(out, "Password:") {
				t.Fatalf("create admin: %q %v", out, err)
			}
			out, _, err = runCmd(t, "", "user", "set-password", "--db", dsn, "--email", "ops@example.org")
			if err != nil || !regexp.MustCompile(`Password: [a-z]+-[a-z]+-[a-z]+-[a-z]+\d\d`).MatchString(out) {
				t.Fatalf("set-password: %q %v", out, err)
			}
			_, _, err = runCmd(t, "", "user", "create", "--db", dsn, "--org", "999", "--email", "x@example.org", "--name", "X")
			if err == nil || !strings.Contains(err.Error(), "There is no organisation with that number") {
				t.Fatalf("unknown organisation: %v", err)
			}
		})
	}
}

// syncBuffer is a buffer that the server's logger and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeAndShutDown starts the real command, waits for it to answer,
// and stops it as SIGTERM would, expecting a clean exit.
func TestServeAndShutDown(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "upskill.db")
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, nil, io.Discard, logs)
	}()
	// The setup link is logged just after the server starts listening.
	addrRE := regexp.MustCompile(`listen=(127\.0\.0\.1:\d+)`)
	var addr string
	for i := 0; i < 100 && (addr == "" || !strings.Contains(logs.String(), "/setup?code=")); i++ {
		time.Sleep(50 * time.Millisecond)
		if m := addrRE.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("the server did not start: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "/setup?code=") {
		t.Errorf("no setup link in the log of a new service: %s", logs.String())
	}
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no clean stop in the log: %s", logs.String())
	}
	_ = store.SQLite
}
