package jobs

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"upskill/store"
)

// migrateLockWait is how long an instance waits for another to finish
// River's migrations before giving up, as long as the store waits for its
// own.
const migrateLockWait = 5 * time.Minute

// Migrate creates or updates River's tables in the store's database. River
// versions its schema apart from the application's, in a river_migration
// table, so this runs after store.Migrate and is harmless when there is
// nothing to do.
//
// River's migrator takes no lock of its own, so on PostgreSQL a session
// advisory lock, keyed by the schema, lets several instances start at once:
// one migrates while the others wait and then find nothing left to do. A
// SQLite file belongs to one running instance, which migrates it alone, so
// no lock is taken there.
func Migrate(ctx context.Context, st *store.Store) error {
	db, err := writePool(st)
	if err != nil {
		return err
	}
	// River reports each migration it applies at the info level.
	cfg := &rivermigrate.Config{Logger: slog.Default()}
	switch st.Engine() {
	case store.SQLite:
		m, err := rivermigrate.New(riversqlite.New(db), cfg)
		if err != nil {
			return fmt.Errorf("jobs: prepare migrations: %w", err)
		}
		return up(ctx, m)
	case store.Postgres:
		m, err := rivermigrate.New(riverdatabasesql.New(db), cfg)
		if err != nil {
			return fmt.Errorf("jobs: prepare migrations: %w", err)
		}
		return withMigrateLock(ctx, db, func() error { return up(ctx, m) })
	}
	return fmt.Errorf("jobs: unknown database engine %q", st.Engine())
}

func up[TTx any](ctx context.Context, m *rivermigrate.Migrator[TTx]) error {
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	return nil
}

// withMigrateLock runs fn while holding a PostgreSQL session advisory lock
// on one connection of db. The migrations themselves run on other
// connections; the lock only makes other instances wait their turn. The key
// includes the current schema, so that databases split by schema (as the
// tests do) do not queue behind each other.
func withMigrateLock(ctx context.Context, db *sql.DB, fn func() error) (err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("jobs: borrow a connection for the migration lock: %w", err)
	}
	const key = `hashtextextended('upskill river migrate ' || coalesce(current_schema(), ''), 0)`
	lockCtx, cancel := context.WithTimeout(ctx, migrateLockWait)
	_, err = conn.ExecContext(lockCtx, `SELECT pg_advisory_lock(`+key+`)`)
	cancel()
	if err != nil {
		conn.Close()
		return fmt.Errorf("jobs: wait for the migration lock: %w", err)
	}
	defer func() {
		// Unlock even when ctx has ended. If the unlock fails, the
		// connection is thrown away rather than returned to the pool, since
		// closing the session is what releases a lock it still holds.
		unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, uerr := conn.ExecContext(unlockCtx, `SELECT pg_advisory_unlock(`+key+`)`); uerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, fmt.Errorf("jobs: release the migration lock: %w", uerr))
		}
		conn.Close()
	}()
	return fn()
}
