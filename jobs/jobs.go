// Package jobs runs durable background work, such as reminder emails about
// learning that falls due, on the application's own database. It wraps a
// River client so that work survives restarts and, when several instances
// share one PostgreSQL database, each job runs on one instance only.
//
// Jobs are meant to be enqueued inside the transaction that makes the change
// they follow from (InsertTx), so that a job exists if and only if that
// change committed.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"upskill/store"
)

// Defaults used when a Config field is left at zero.
const (
	// DefaultMaxWorkers is how many jobs an instance works at once unless
	// told otherwise. Reminder emails spend their time waiting on the mail
	// server, not on the CPU, so a handful in flight is cheap.
	DefaultMaxWorkers = 10
	// DefaultPollInterval is how often an instance looks for work when no
	// wake-up has reached it: retries that fall due and jobs scheduled for
	// later are found this way.
	DefaultPollInterval = time.Second
)

// ErrInsertOnly is returned by Start on a Runner made without workers: such
// a Runner may enqueue jobs but never works them, and saying so loudly beats
// a process that silently does nothing.
var ErrInsertOnly = errors.New("jobs: this runner only inserts jobs; give New a register function to work them")

// Config tunes a Runner. The zero value suits production.
type Config struct {
	// MaxWorkers caps how many jobs this instance works at once. Zero means
	// DefaultMaxWorkers. On SQLite every job's own database writes queue for
	// the one write connection, so more workers help only with jobs that
	// wait on something else, such as a mail server.
	MaxWorkers int

	// PollInterval is the longest a new or retried job waits before an idle
	// instance notices it when no wake-up arrives. Zero means
	// DefaultPollInterval; tests use a few tens of milliseconds.
	PollInterval time.Duration

	// Periodic lists jobs to enqueue on a schedule, built with
	// river.NewPeriodicJob. Only the elected leader among the instances
	// enqueues them, so each falls due once however many instances run.
	// It must be empty for an insert-only Runner.
	Periodic []*river.PeriodicJob
}

// Runner enqueues jobs and, unless it is insert-only, works them. It is safe
// for concurrent use.
type Runner struct {
	engine     store.Engine
	client     *river.Client[*sql.Tx]
	insertOnly bool

	// listener holds the pgx pool that gives River its LISTEN connection on
	// PostgreSQL; nil on SQLite and for insert-only Runners.
	listener *pgxpool.Pool
	stopOnce sync.Once
}

// New makes a Runner on the store's database. register adds the workers
// this process runs, with river.AddWorker; a nil register makes an
// insert-only Runner, for processes that enqueue jobs but never work them
// (a command-line tool, say), which needs no workers, keeps no connection
// of its own and must not be started.
//
// River's own messages, including the only report of its internal
// operations timing out behind a long transaction, go to log; a nil log
// means slog.Default().
//
// On PostgreSQL a Runner that works jobs keeps one connection of its own,
// beyond the store's pool, on which River LISTENs for new jobs, so that
// they start at once rather than at the next poll.
//
// The River tables must already exist: call Migrate first.
func New(st *store.Store, log *slog.Logger, cfg Config, register func(*river.Workers)) (*Runner, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := writePool(st)
	if err != nil {
		return nil, err
	}
	r := &Runner{engine: st.Engine(), insertOnly: register == nil}

	rc := &river.Config{Logger: log}
	if !r.insertOnly {
		workers := river.NewWorkers()
		register(workers)
		n := cfg.MaxWorkers
		if n <= 0 {
			n = DefaultMaxWorkers
		}
		poll := cfg.PollInterval
		if poll <= 0 {
			poll = DefaultPollInterval
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
		rc.FetchPollInterval = poll
		// River insists that the cooldown between fetches be no longer than
		// the poll interval.
		rc.FetchCooldown = min(river.FetchCooldownDefault, poll)
		rc.PeriodicJobs = cfg.Periodic
	} else if len(cfg.Periodic) > 0 {
		return nil, errors.New("jobs: periodic jobs need a runner with workers")
	}

	switch r.engine {
	case store.SQLite:
		// River's SQLite driver has its own stand-in for LISTEN/NOTIFY: a
		// table of notifications that it polls every 50 ms. Like the rest
		// of River it uses the one write connection, so a write transaction
		// held for more than about five seconds makes River log timeouts
		// and give up leadership until the transaction ends; it then
		// recovers by itself.
		r.client, err = river.NewClient(riversqlite.New(db), rc)
	case store.Postgres:
		driver := riverdatabasesql.New(db)
		if !r.insertOnly {
			// Inserts send NOTIFY in their transaction whatever the driver;
			// only a Runner that works jobs needs a connection to LISTEN on.
			r.listener, err = listenerPool(db)
			if err != nil {
				return nil, err
			}
			driver = riverdatabasesql.NewWithPgxListener(db, r.listener)
		}
		r.client, err = river.NewClient(driver, rc)
	default:
		return nil, fmt.Errorf("jobs: unknown database engine %q", r.engine)
	}
	if err != nil {
		if r.listener != nil {
			r.listener.Close()
		}
		return nil, fmt.Errorf("jobs: make the River client: %w", err)
	}
	return r, nil
}

// Start begins working jobs in the background and returns. Jobs run with
// contexts derived from ctx, and cancelling ctx stops the Runner as Stop
// would, so pass the process's lifetime context, not a request's.
func (r *Runner) Start(ctx context.Context) error {
	if r.insertOnly {
		return ErrInsertOnly
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching new jobs and waits for the jobs in hand to finish, or
// for ctx to end, whichever comes first, so that a deploy does not cut a
// reminder email in half. It is safe to call on a Runner that was never
// started, and on an insert-only Runner. A stopped Runner is finished: make
// a new one to work jobs again.
func (r *Runner) Stop(ctx context.Context) error {
	if r.insertOnly {
		return nil
	}
	if err := r.client.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	// The listening connection is released by River as it stops; the pool
	// that lent it is closed only once River no longer needs it.
	r.stopOnce.Do(func() {
		if r.listener != nil {
			r.listener.Close()
		}
	})
	return nil
}

// InsertTx enqueues a job inside the caller's transaction, so that the job
// exists if and only if the transaction commits. opts may be nil. Use it
// whenever a transaction is open: on SQLite the transaction holds the only
// write connection, and Insert would wait for it for ever.
//
// A job that the args' unique options say already exists is skipped
// without error.
func (r *Runner) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.client.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// InsertManyTx enqueues several jobs inside the caller's transaction in
// one statement, for work that queues many at a time.
func (r *Runner) InsertManyTx(ctx context.Context, tx *sql.Tx, args []river.JobArgs) error {
	if len(args) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	if _, err := r.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: enqueue %d jobs: %w", len(args), err)
	}
	return nil
}

// Insert enqueues a job in a transaction of its own, for callers that have
// no transaction of theirs, such as an administrator's command. opts may be
// nil. Never call it while holding a write transaction on SQLite: use
// InsertTx there.
func (r *Runner) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := r.client.Insert(ctx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// writePool returns the pool that takes writes: River writes on every
// operation, even when only looking for work.
func writePool(st *store.Store) (*sql.DB, error) {
	dbs := st.DBs()
	name := "main"
	if st.Engine() == store.SQLite {
		name = "write"
	}
	db, ok := dbs[name]
	if !ok {
		return nil, fmt.Errorf("jobs: the store has no %q pool", name)
	}
	return db, nil
}

// listenerPool makes a one-connection pgx pool with the same settings as
// the store's database/sql pool (the same server, user and search_path, so
// the same schema), for River to LISTEN on. The store keeps its address to
// itself, so the settings are read from one of its connections.
func listenerPool(db *sql.DB) (*pgxpool.Pool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobs: borrow a connection: %w", err)
	}
	defer conn.Close()
	var connString string
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("jobs: the PostgreSQL pool does not use pgx (it uses %T)", dc)
		}
		connString = c.Conn().Config().ConnString()
		return nil
	})
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// pgx quotes the connection string, password and all, in its parse
		// errors; keep only the reason.
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return nil, fmt.Errorf("jobs: read the PostgreSQL settings: %s", msg)
	}
	// River takes the connection out of the pool for good and LISTENs on it
	// while the Runner runs; one is all it needs.
	cfg.MaxConns = 1
	cfg.MinConns = 0
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: make the listening pool: %w", err)
	}
	return pool, nil
}
