package store

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestSQLiteTime holds the load's own formatting of times to the layout
// the SQLite driver writes, so that loaded times read like any others.
func TestSQLiteTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	times := []time.Time{
		time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 100000, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("BST", 3600)),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for range 10000 {
		times = append(times, time.Unix(rng.Int64N(5e9), rng.Int64N(1e9)).Truncate(time.Duration(rng.IntN(4))*time.Microsecond))
	}
	for _, tm := range times {
		if got, want := sqliteTime(tm), tm.UTC().Format(sqliteTimeLayout); got != want {
			t.Fatalf("%v: %q, want %q", tm, got, want)
		}
	}
}
