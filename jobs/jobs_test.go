package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"upskill/jobs"
	"upskill/store"
	"upskill/store/storetest"
)

// pingArgs is the job used throughout: N tells jobs apart.
type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "jobs_test_ping" }

// pingWorker hands each job to a function the test chooses, and retries
// failures after a short pause rather than River's usual seconds.
type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	work func(ctx context.Context, job *river.Job[pingArgs]) error
}

func (w *pingWorker) Work(ctx context.Context, job *river.Job[pingArgs]) error {
	return w.work(ctx, job)
}

func (w *pingWorker) NextRetry(*river.Job[pingArgs]) time.Time {
	return time.Now().Add(50 * time.Millisecond)
}

// runs counts how often each job ran, by N.
type runs struct {
	mu sync.Mutex
	n  map[int]int
}

func (r *runs) add(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[int]int{}
	}
	r.n[n]++
}

func (r *runs) get(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n[n]
}

func (r *runs) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := 0
	for _, v := range r.n {
		t += v
	}
	return t
}

// testLog shows River's warnings and errors, which is where it reports
// trouble with its own queries.
func testLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// TestMain keeps River's migrator, which logs to the default logger, down
// to warnings, so that a failing test's output is not buried.
func TestMain(m *testing.M) {
	slog.SetDefault(testLog())
	os.Exit(m.Run())
}

// migrated migrates River's tables into st.
func migrated(t *testing.T, st *store.Store) *store.Store {
	t.Helper()
	if err := jobs.Migrate(context.Background(), st); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// started returns a running Runner whose worker calls work, stopped at the
// end of the test.
func started(t *testing.T, st *store.Store, cfg jobs.Config, work func(context.Context, *river.Job[pingArgs]) error) *jobs.Runner {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	r, err := jobs.New(st, testLog(), cfg, func(w *river.Workers) {
		river.AddWorker(w, &pingWorker{work: work})
	})
	if err != nil {
		t.Fatalf("new runner: %v", err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return r
}

// counting is a worker function that records each run.
func counting(r *runs) func(context.Context, *river.Job[pingArgs]) error {
	return func(_ context.Context, job *river.Job[pingArgs]) error {
		r.add(job.Args.N)
		return nil
	}
}

// writeDB returns the pool that takes writes, where app transactions run.
func writeDB(st *store.Store) *sql.DB {
	if db, ok := st.DBs()["write"]; ok {
		return db
	}
	return st.DBs()["main"]
}

// readDB returns a pool to check results with.
func readDB(st *store.Store) *sql.DB {
	if db, ok := st.DBs()["read"]; ok {
		return db
	}
	return st.DBs()["main"]
}

// jobCount counts the test's jobs in River's table, in the given states
// (all states when none are given).
func jobCount(t *testing.T, st *store.Store, states ...string) int {
	t.Helper()
	q := `SELECT count(*) FROM river_job WHERE kind = 'jobs_test_ping'`
	if len(states) > 0 {
		q += " AND state IN ("
		for i, s := range states {
			if i > 0 {
				q += ", "
			}
			q += "'" + s + "'"
		}
		q += ")"
	}
	var n int
	if err := readDB(st).QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("count jobs: %v", err)
	}
	return n
}

// eventually waits up to d for ok to hold.
func eventually(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting until %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// inTx runs fn in a write transaction and commits it, or rolls it back when
// rollback is set.
func inTx(t *testing.T, ctx context.Context, st *store.Store, rollback bool, fn func(*sql.Tx) error) {
	t.Helper()
	tx, err := writeDB(st).BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		t.Fatalf("in transaction: %v", err)
	}
	if rollback {
		err = tx.Rollback()
	} else {
		err = tx.Commit()
	}
	if err != nil {
		t.Fatalf("end transaction: %v", err)
	}
}

func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i := range 2 {
			if err := jobs.Migrate(ctx, st); err != nil {
				t.Fatalf("migrate, time %d: %v", i+1, err)
			}
		}
		if n := jobCount(t, st); n != 0 {
			t.Errorf("river_job has %d rows after migrating, want 0", n)
		}
		// The application's own schema is untouched and still current.
		if _, err := st.SchemaVersion(ctx); err != nil {
			t.Errorf("schema version after River's migrations: %v", err)
		}
	})
}

// Several instances starting at once on one PostgreSQL database must not
// trip over each other's migrations.
func TestMigrateConcurrentlyPostgres(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t, store.Postgres)
	ctx := context.Background()
	const instances = 4
	stores := make([]*store.Store, instances)
	for i := range stores {
		st, err := store.Open(ctx, dsn, store.Options{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	errs := make(chan error, instances)
	for _, st := range stores {
		go func() { errs <- jobs.Migrate(ctx, st) }()
	}
	for range instances {
		if err := <-errs; err != nil {
			t.Errorf("concurrent migrate: %v", err)
		}
	}
	if n := jobCount(t, stores[0]); n != 0 {
		t.Errorf("river_job has %d rows, want 0", n)
	}
}

func TestCommittedJobRunsOnceRolledBackNever(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		var done runs
		r := started(t, st, jobs.Config{}, counting(&done))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		inTx(t, ctx, st, true, func(tx *sql.Tx) error {
			return r.InsertTx(ctx, tx, pingArgs{N: 1}, nil)
		})
		inTx(t, ctx, st, false, func(tx *sql.Tx) error {
			return r.InsertTx(ctx, tx, pingArgs{N: 2}, nil)
		})

		eventually(t, 5*time.Second, "the committed job has run", func() bool { return done.get(2) > 0 })
		eventually(t, 5*time.Second, "the committed job is marked completed", func() bool {
			return jobCount(t, st, "completed") == 1
		})
		// Give a second run, or the rolled-back job, time to show up.
		time.Sleep(300 * time.Millisecond)
		if n := done.get(2); n != 1 {
			t.Errorf("committed job ran %d times, want 1", n)
		}
		if n := done.get(1); n != 0 {
			t.Errorf("rolled-back job ran %d times, want 0", n)
		}
		if n := jobCount(t, st); n != 1 {
			t.Errorf("river_job has %d rows, want 1", n)
		}
	})
}

func TestFailedJobIsRetried(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		var (
			mu       sync.Mutex
			attempts []int
		)
		succeeded := make(chan struct{})
		r := started(t, st, jobs.Config{}, func(_ context.Context, job *river.Job[pingArgs]) error {
			mu.Lock()
			defer mu.Unlock()
			attempts = append(attempts, job.Attempt)
			if job.Attempt < 3 {
				return fmt.Errorf("the mail server is away (attempt %d)", job.Attempt)
			}
			close(succeeded)
			return nil
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Insert(ctx, pingArgs{N: 1}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case <-succeeded:
		case <-ctx.Done():
			t.Fatal("the job never succeeded")
		}
		eventually(t, 5*time.Second, "the job is marked completed", func() bool {
			return jobCount(t, st, "completed") == 1
		})
		mu.Lock()
		defer mu.Unlock()
		if fmt.Sprint(attempts) != "[1 2 3]" {
			t.Errorf("attempts = %v, want [1 2 3]", attempts)
		}
	})
}

// An insert-only Runner enqueues without workers, and unique options keep
// one job for the same args within the period, in or out of a transaction.
func TestUniqueJobsAndInsertOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		r, err := jobs.New(st, testLog(), jobs.Config{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Start(ctx); !errors.Is(err, jobs.ErrInsertOnly) {
			t.Errorf("starting an insert-only runner: got %v, want ErrInsertOnly", err)
		}
		once := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
		for range 3 {
			if err := r.Insert(ctx, pingArgs{N: 7}, once); err != nil {
				t.Fatal(err)
			}
		}
		inTx(t, ctx, st, false, func(tx *sql.Tx) error {
			if err := r.InsertTx(ctx, tx, pingArgs{N: 7}, once); err != nil {
				return err
			}
			return r.InsertTx(ctx, tx, pingArgs{N: 7}, once)
		})
		if n := jobCount(t, st); n != 1 {
			t.Errorf("after five inserts of the same unique job, river_job has %d rows, want 1", n)
		}
		if err := r.Insert(ctx, pingArgs{N: 8}, once); err != nil {
			t.Fatal(err)
		}
		if err := r.Insert(ctx, pingArgs{N: 7}, nil); err != nil {
			t.Fatal(err)
		}
		if n := jobCount(t, st); n != 3 {
			t.Errorf("after other args and a non-unique insert, river_job has %d rows, want 3", n)
		}
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stopping an insert-only runner: %v", err)
		}
	})
}

func TestStopWaitsForRunningJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		running := make(chan struct{})
		release := make(chan struct{})
		var finished sync.WaitGroup
		finished.Add(1)
		r, err := jobs.New(st, testLog(), jobs.Config{PollInterval: 50 * time.Millisecond}, func(w *river.Workers) {
			river.AddWorker(w, &pingWorker{work: func(ctx context.Context, _ *river.Job[pingArgs]) error {
				defer finished.Done()
				close(running)
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}})
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := r.Insert(ctx, pingArgs{N: 1}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case <-running:
		case <-ctx.Done():
			t.Fatal("the job never started")
		}

		stopped := make(chan error, 1)
		go func() { stopped <- r.Stop(ctx) }()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was still running", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(release)
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatalf("stop: %v", err)
			}
		case <-ctx.Done():
			t.Fatal("Stop did not return after the job finished")
		}
		finished.Wait()
		if n := jobCount(t, st, "completed"); n != 1 {
			t.Errorf("%d completed jobs after a graceful stop, want 1", n)
		}
	})
}

// On SQLite an open write transaction holds the only write connection. A
// job inserted through the transaction must not wait for that connection,
// even with the Runner's own goroutines queueing for it too.
func TestInsertInOpenWriteTransaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		var done runs
		r := started(t, st, jobs.Config{}, counting(&done))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()

		inTx(t, ctx, st, false, func(tx *sql.Tx) error {
			// Let the Runner's pollers pile up behind the transaction.
			time.Sleep(200 * time.Millisecond)
			for n := range 3 {
				if err := r.InsertTx(ctx, tx, pingArgs{N: n}, nil); err != nil {
					return err
				}
			}
			if st.Engine() == store.SQLite {
				// The trap InsertTx avoids: Insert asks the pool for the
				// connection this transaction holds, and waits until its
				// context gives up.
				short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
				defer cancel()
				if err := r.Insert(short, pingArgs{N: 99}, nil); !errors.Is(err, context.DeadlineExceeded) {
					return fmt.Errorf("insert outside the open transaction: got %v, want a deadline error", err)
				}
			}
			return nil
		})
		eventually(t, 5*time.Second, "the three jobs have run", func() bool { return done.total() == 3 })
	})
}

// A job committed while nobody is polling soon is still picked up quickly,
// because the insert wakes the Runner: LISTEN/NOTIFY on PostgreSQL, River's
// notification table on SQLite.
func TestInsertWakesRunner(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		var done runs
		r := started(t, st, jobs.Config{PollInterval: time.Minute}, counting(&done))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// Let the Runner make its first fetch and start listening.
		time.Sleep(500 * time.Millisecond)
		start := time.Now()
		inTx(t, ctx, st, false, func(tx *sql.Tx) error {
			return r.InsertTx(ctx, tx, pingArgs{N: 1}, nil)
		})
		eventually(t, 5*time.Second, "the job has run", func() bool { return done.get(1) == 1 })
		t.Logf("picked up after %s", time.Since(start).Round(time.Millisecond))
	})
}

// Two instances on one PostgreSQL database share the work: every job runs
// once between them.
func TestTwoRunnersRunEachJobOncePostgres(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t, store.Postgres)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var (
		done  runs
		mu    sync.Mutex
		where = map[string]int{}
	)
	runners := make([]*jobs.Runner, 2)
	for i := range runners {
		st, err := store.Open(ctx, dsn, store.Options{MaxConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if i == 0 {
			if err := st.Migrate(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		migrated(t, st)
		name := fmt.Sprintf("runner %d", i+1)
		runners[i] = started(t, st, jobs.Config{MaxWorkers: 3}, func(_ context.Context, job *river.Job[pingArgs]) error {
			done.add(job.Args.N)
			mu.Lock()
			where[name]++
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			return nil
		})
	}
	const total = 30
	for n := range total {
		if err := runners[n%2].Insert(ctx, pingArgs{N: n}, nil); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, "every job has run", func() bool { return done.total() >= total })
	time.Sleep(300 * time.Millisecond)
	for n := range total {
		if got := done.get(n); got != 1 {
			t.Errorf("job %d ran %d times, want 1", n, got)
		}
	}
	mu.Lock()
	t.Logf("share of the work: %v", where)
	mu.Unlock()
}

// A periodic job set to run on start is enqueued by the leader and runs.
func TestPeriodicJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		migrated(t, st)
		var done runs
		started(t, st, jobs.Config{
			Periodic: []*river.PeriodicJob{river.NewPeriodicJob(
				river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return pingArgs{N: 42}, nil },
				&river.PeriodicJobOpts{RunOnStart: true},
			)},
		}, counting(&done))
		eventually(t, 15*time.Second, "the periodic job has run", func() bool { return done.get(42) == 1 })
	})
}
