// Package store keeps upskill's data in SQL: SQLite (embedded, the default)
// or PostgreSQL (for many app instances). Queries are written once with ?
// placeholders and rebound for PostgreSQL; where the engines really differ
// the SQL is chosen per engine. Every method that reads an organisation's
// data takes the organisation and filters by it.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"upskill"
)

// Engine is the database engine behind a Store.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DefaultDSN is where the embedded database lives unless told otherwise.
const DefaultDSN = "data/upskill.db"

//go:embed migrations
var migrations embed.FS

// Store is the one store of the application. It is safe for concurrent use.
type Store struct {
	engine Engine
	// w takes every write. On SQLite it has a single connection, so writers
	// queue in Go rather than fight over the file lock.
	w *sql.DB
	// r serves reads. On SQLite it is a separate read-only pool; on
	// PostgreSQL it is the same pool as w.
	r   *sql.DB
	now func() time.Time

	rebound       sync.Map // query text -> PostgreSQL text
	reads, writes stmtCache
	closed        atomic.Bool
	versions      sync.Map // framework version id -> *upskill.FrameworkVersion, once no longer a draft
	attemptsSeen  attemptCache
	catalogue     publishedCache
}

// Options tune Open. The zero value is sensible.
type Options struct {
	// MaxConns caps the PostgreSQL pool, or the SQLite read pool.
	MaxConns int
	// Now replaces the clock, for tests.
	Now func() time.Time
}

// Open connects to the database named by dsn: a postgres:// URL selects
// PostgreSQL; anything else is a SQLite file path (a "file:" or "sqlite:"
// prefix is allowed). It checks that the database answers but does not
// migrate it.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s := &Store{now: opt.Now}
	if s.now == nil {
		s.now = time.Now
	}
	dsn = strings.TrimSpace(dsn)
	if dsn == "" {
		dsn = DefaultDSN
	}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		err = s.openPostgres(dsn, opt)
	} else {
		err = s.openSQLite(dsn, opt)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPostgres(dsn string, opt Options) error {
	s.engine = Postgres
	if _, err := url.Parse(dsn); err != nil {
		return fmt.Errorf("the database URL is not a valid URL: %w", redactURLError(err))
	}
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return fmt.Errorf("the PostgreSQL URL cannot be used: %s", redactPgError(err))
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("open PostgreSQL: %w", err)
	}
	n := opt.MaxConns
	if n <= 0 {
		n = 20
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.w, s.r = db, db
	return nil
}

func (s *Store) openSQLite(dsn string, opt Options) error {
	s.engine = SQLite
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return fmt.Errorf("the SQLite database must be given as a file path without options, not %q", dsn)
	}
	if path == "" || strings.Contains(path, "://") {
		return fmt.Errorf("the database must be a SQLite file path or a postgres:// URL, not %q", dsn)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("create the folder for the SQLite database: %w", err)
		}
	}
	// busy_timeout comes first so that the pragmas after it wait for a lock
	// rather than fail. Each connection keeps up to 32 MiB of pages, not
	// SQLite's default 2 MiB: a catalogue search reads thousands of rows,
	// and from the system's cache each page costs a system call. (Reading
	// through a memory map instead halved the rate of assessments saved,
	// as every reader remapped the file as writes grew it.)
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=cache_size(-32768)&_time_format=sqlite"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open SQLite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open SQLite: %w", err)
	}
	n := opt.MaxConns
	if n <= 0 {
		n = max(4, runtime.NumCPU())
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	s.w, s.r = w, r
	return nil
}

// Engine reports which database engine the store uses.
func (s *Store) Engine() Engine { return s.engine }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.w.PingContext(ctx); err != nil {
		return upskill.Errorf(upskill.EUNAVAILABLE, "The database cannot be reached: %s", describeConnError(err))
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return upskill.Errorf(upskill.EUNAVAILABLE, "The database cannot be reached: %s", describeConnError(err))
		}
	}
	return nil
}

// Close closes every connection.
func (s *Store) Close() error {
	s.closed.Store(true)
	s.reads.close()
	s.writes.close()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// DBs returns the pools, labelled, for metrics.
func (s *Store) DBs() map[string]*sql.DB {
	if s.r == s.w {
		return map[string]*sql.DB{"main": s.w}
	}
	return map[string]*sql.DB{"write": s.w, "read": s.r}
}

// Migrate brings the schema up to date. On PostgreSQL a session lock makes
// it safe for several instances to start at once: one migrates, the others
// wait and then find nothing to do.
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	if s.engine == Postgres {
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.w, sub, opts...)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate the database: %w", err)
	}
	return nil
}

// SchemaVersion returns the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := s.r.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v)
	return v.Int64, err
}

// q rewrites a query written with ? placeholders for the store's engine.
func (s *Store) q(query string) string {
	if s.engine != Postgres {
		return query
	}
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	out := rebind(query)
	s.rebound.Store(query, out)
	return out
}

// pick returns the SQL written for the store's engine.
func (s *Store) pick(sqliteSQL, postgresSQL string) string {
	if s.engine == Postgres {
		return postgresSQL
	}
	return sqliteSQL
}

// rebind turns ? placeholders into $1, $2, ... outside quoted strings,
// quoted identifiers and comments.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c { // doubled quote inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(query) {
				j = len(query) - 1
			}
			b.WriteString(query[i : j+1])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i - 1
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			end := len(query) - 1
			if j >= 0 {
				end = i + 2 + j + 1
			}
			b.WriteString(query[i : end+1])
			i = end
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// now returns the store's clock in UTC at microsecond precision, the
// precision both engines keep.
func (s *Store) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// tx runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.fault(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.fault(err)
	}
	return nil
}

// fault turns a driver error into one whose code says what kind of failure
// it is: a broken constraint is a conflict, a lost connection is
// unavailability, anything else stays internal.
func (s *Store) fault(err error) error {
	if err == nil {
		return nil
	}
	var ue *upskill.Error
	if errors.As(err, &ue) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return upskill.Errorf(upskill.EUNAVAILABLE, "The service took too long to answer. Try again.")
	}
	if isConstraint(err) {
		return &wrapped{code: upskill.ECONFLICT, msg: "That clashes with something already saved.", err: err}
	}
	if s.closed.Load() || isUnavailable(err) {
		return &wrapped{code: upskill.EUNAVAILABLE, msg: "Sorry, the service is unavailable. Try again in a few minutes.", err: err}
	}
	return err
}

// isUnavailable reports whether err means that the database cannot be
// reached or is too busy to answer, rather than that a query is wrong.
func isUnavailable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	var se *sqlite.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.As(err, &ne), errors.As(err, &ce):
		return true
	case errors.As(err, &se):
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED || code == sqlite3.SQLITE_IOERR || code == sqlite3.SQLITE_CANTOPEN
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exceptions; 57P: the server is shutting down
		// or cannot accept connections; 53: out of resources.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "53")
	}
	return false
}

// wrapped keeps the driver error for the log while showing a safe message.
type wrapped struct {
	code, msg string
	err       error
}

func (w *wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w *wrapped) Unwrap() []error {
	return []error{&upskill.Error{Code: w.code, Message: w.msg}, w.err}
}

func isConstraint(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "23")
	}
	return false
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// describeConnError says why a connection failed without repeating the
// password that may be in the URL.
func describeConnError(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		msg := ce.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return msg
	}
	return err.Error()
}

func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func redactPgError(err error) string {
	msg := err.Error()
	// pgx quotes the connection string in parse errors; keep only the reason.
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// nullID stores the id 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Migrations returns the embedded migration files, for tests that check
// what was applied.
func Migrations() fs.FS { return migrations }

// Statements are prepared once per query text and pool, and database/sql
// keeps each prepared on every connection it is used on. Parsing SQL is a
// large part of a short query's cost on SQLite.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	if st := c.lookup(query); st != nil {
		return st, nil
	}
	// Prepare without holding the lock: preparing waits for a connection,
	// and a transaction holding the only one may itself be looking up a
	// statement here.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.m[query]; ok {
		st.Close()
		return had, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// lookup returns a statement already prepared, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// queryRow runs a read that returns one row, on the read pool.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := s.q(query)
	st, err := s.reads.get(ctx, s.r, q)
	if err != nil {
		return s.r.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a read on the read pool.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := s.q(query)
	st, err := s.reads.get(ctx, s.r, q)
	if err != nil {
		return nil, s.fault(err)
	}
	return st.QueryContext(ctx, args...)
}

// exec runs a single write outside a transaction, on the write pool.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := s.q(query)
	st, err := s.writes.get(ctx, s.w, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// prepared returns a statement of the write cache bound to a transaction,
// so that statements run in transactions on the hot paths are parsed once
// per connection rather than every time.
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	q := s.q(query)
	if st := s.writes.lookup(q); st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	// The first time, prepare it for this transaction alone, and for the
	// cache once a connection is free: on SQLite this transaction holds
	// the only one.
	go s.writes.get(context.WithoutCancel(ctx), s.w, q)
	return tx.PrepareContext(ctx, q)
}

// txExec runs a write in a transaction with a prepared statement.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txQuery runs a read in a transaction with a prepared statement.
func (s *Store) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Analyze refreshes the planner's statistics, as is wise after loading
// many rows at once: without them both engines may pick poor plans.
func (s *Store) Analyze(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, "ANALYZE"); err != nil {
		return s.fault(err)
	}
	if s.engine != SQLite {
		return nil
	}
	// With the histograms of sqlite_stat4, SQLite plans again each time a
	// prepared statement is run with new values, which costs more than the
	// statement itself. The row counts of sqlite_stat1 are enough for the
	// planner here, so the histograms are dropped and the statistics
	// reloaded.
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil {
		return s.fault(err)
	}
	if n > 0 {
		if _, err := s.w.ExecContext(ctx, "DELETE FROM sqlite_stat4"); err != nil {
			return s.fault(err)
		}
	}
	_, err := s.w.ExecContext(ctx, "ANALYZE sqlite_schema")
	return s.fault(err)
}

// attemptCache remembers whose each attempt is and which version it uses,
// facts that never change. It holds at most attemptCacheSize attempts and
// starts again when full: an attempt is answered over a few minutes, so
// the ones in use are soon back.
type attemptCache struct {
	mu sync.RWMutex
	m  map[int64]attemptOwner
}

type attemptOwner struct{ person, version int64 }

const attemptCacheSize = 100_000

func (c *attemptCache) get(id int64) (attemptOwner, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	o, ok := c.m[id]
	return o, ok
}

func (c *attemptCache) put(id int64, o attemptOwner) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= attemptCacheSize {
		c.m = make(map[int64]attemptOwner, 1024)
	}
	c.m[id] = o
}
