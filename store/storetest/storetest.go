// Package storetest opens fresh, migrated databases for tests on both
// engines: SQLite in a temporary folder and PostgreSQL in a schema of its
// own. Under CI (CI=true) a PostgreSQL that cannot be reached fails the
// test; elsewhere the PostgreSQL half is skipped with a loud message.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"upskill/store"
)

// DefaultPostgresURL is used when UPSKILL_TEST_POSTGRES is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Engines are the engines every database test runs on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

// Each runs fn once per engine as a subtest, with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh, migrated store on the engine, closed at the end of
// the test.
func Open(t testing.TB, engine store.Engine, opts ...store.Options) *store.Store {
	t.Helper()
	dsn := DSN(t, engine)
	var opt store.Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, opt)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx, nil); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return s
}

// DSN returns the address of a fresh, empty database on the engine, removed
// at the end of the test.
func DSN(t testing.TB, engine store.Engine) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "upskill.db")
	}
	admin := postgresAdmin(t)
	schema := "t_" + randomHex(6)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, _ := url.Parse(PostgresURL())
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresURL is the server the PostgreSQL half of the tests uses.
func PostgresURL() string {
	if u := os.Getenv("UPSKILL_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
	warnOnce  sync.Once
)

// postgresAdmin returns a connection for creating and dropping schemas, or
// ends the test when PostgreSQL cannot be reached: as a failure under CI,
// as a skip elsewhere.
func postgresAdmin(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", PostgresURL())
		if adminErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		adminErr = adminDB.PingContext(ctx)
	})
	if adminErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s cannot be reached and CI is set, so the PostgreSQL half of the tests must run: %v", redact(PostgresURL()), adminErr)
		}
		warnOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "\n!!! PostgreSQL at %s cannot be reached (%v).\n!!! SKIPPING every PostgreSQL test. Set UPSKILL_TEST_POSTGRES to run them.\n\n", redact(PostgresURL()), adminErr)
		})
		t.Skipf("PostgreSQL not reachable: %v", adminErr)
	}
	return adminDB
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
