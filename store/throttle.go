package store

import (
	"context"
	"database/sql"
	"time"
)

// EmailThrottleKey and AddressThrottleKey name the counters of failed
// sign-ins kept for an email address and for a client's network address.
func EmailThrottleKey(email string) string  { return "email:" + email }
func AddressThrottleKey(addr string) string { return "addr:" + addr }

// ThrottleRule says how many failures within a window lock a key, and for
// how long.
type ThrottleRule struct {
	Limit   int
	Window  time.Duration
	LockFor time.Duration
}

// SignInLockedUntil returns the latest time until which any of the keys is
// locked, or the zero time when none is.
func (s *Store) SignInLockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	var until time.Time
	now := s.clock()
	for _, k := range keys {
		var t sql.NullTime
		err := s.r.QueryRowContext(ctx, s.q(`SELECT locked_until FROM sign_in_throttle WHERE key = ?`), k).Scan(&t)
		if err != nil && err != sql.ErrNoRows {
			return time.Time{}, s.fault(err)
		}
		if t.Valid && t.Time.After(now) && t.Time.After(until) {
			until = t.Time
		}
	}
	return until, nil
}

// RecordSignInFailure counts a failed sign-in against key and locks the key
// when the rule's limit is reached within its window. It returns the time
// the key is locked until, or the zero time.
func (s *Store) RecordSignInFailure(ctx context.Context, key string, rule ThrottleRule) (time.Time, error) {
	now := s.clock()
	var until time.Time
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sign_in_throttle (key, failures, window_started_at)
			VALUES (?, 0, ?) ON CONFLICT (key) DO NOTHING`), key, now); err != nil {
			return s.fault(err)
		}
		var failures int
		var started time.Time
		var locked sql.NullTime
		if err := tx.QueryRowContext(ctx, s.q(`SELECT failures, window_started_at, locked_until FROM sign_in_throttle WHERE key = ?`+
			s.pick("", " FOR UPDATE")), key).Scan(&failures, &started, &locked); err != nil {
			return s.fault(err)
		}
		if started.Before(now.Add(-rule.Window)) {
			failures, started = 0, now
		}
		failures++
		switch {
		case locked.Valid && locked.Time.After(now):
			until = locked.Time
		case failures >= rule.Limit:
			until = now.Add(rule.LockFor)
			// A new window starts with the lock, so that one more failure
			// after it lifts does not lock again at once.
			failures, started = 0, until
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE sign_in_throttle SET failures = ?, window_started_at = ?, locked_until = ? WHERE key = ?`),
			failures, started, nullTime(until), key)
		return s.fault(err)
	})
	return until, err
}

// ClearSignInFailures forgets the failures counted against key.
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sign_in_throttle WHERE key = ?`), key)
	return s.fault(err)
}
