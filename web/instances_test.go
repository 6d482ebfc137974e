package web

import (
	"database/sql"
	"io/fs"
	"net/url"
	"sync"
	"testing"

	"upskill/store"
	"upskill/store/storetest"
)

// TestTwoInstancesShareOnePostgreSQL runs two app instances on one
// PostgreSQL database, as behind a load balancer: they start and migrate
// at the same moment, and a browser moves between them freely.
func TestTwoInstancesShareOnePostgreSQL(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	var stores [2]*store.Store
	for i := range stores {
		s, err := store.Open(ctx, dsn, store.Options{})
		must(t, err)
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	var wg sync.WaitGroup
	errs := make([]error, len(stores))
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Migrate(ctx, nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	// Each migration was applied once.
	db, err := sql.Open("pgx", dsn)
	must(t, err)
	defer db.Close()
	var applied, distinct int
	must(t, db.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct))
	files, err := fs.Glob(store.Migrations(), "migrations/postgres/*.sql")
	must(t, err)
	if applied != len(files) || distinct != len(files) {
		t.Fatalf("%d migration rows (%d distinct) for %d migrations", applied, distinct, len(files))
	}

	newWorld(t, stores[0])
	one, two := newApp(t, stores[0]), newApp(t, stores[1])

	// Sign in on the first instance, carry on on the second. Cookies do not
	// depend on the port, so one client reaches both as a browser would
	// reach one address behind a load balancer.
	c := one.client()
	c.signIn("admin.a@example.org")
	onTwo := &client{t: t, a: two, hc: c.hc, csrf: c.csrf}
	p := onTwo.get("/home")
	if p.url != "/home" {
		t.Fatalf("the second instance did not know the session: %s", p.url)
	}
	p.has(t, "Hello, Amira Admin")
	// A form from one instance is accepted by the other: the key that
	// signs form tokens is shared through the database.
	c.get("/account")
	onTwo.csrf = c.csrf
	p = onTwo.post("/account/name", url.Values{"name": {"Amira A. Admin"}})
	p.has(t, "Your name has been changed.", "Amira A. Admin")
	// Signing out on one signs out on both.
	onTwo.post("/sign-out", nil)
	if p := c.get("/home"); p.url != "/sign-in" {
		t.Fatalf("the first instance kept a session ended on the second: %s", p.url)
	}
}
