package store

import (
	"context"
	"database/sql"
	"time"
)

// Throttle keys name what is counted: failed sign-ins for an email address
// or a client's network address, and password-reset requests for an
// address.
func EmailThrottleKey(email string) string  { return "email:" + email }
func AddressThrottleKey(addr string) string { return "addr:" + addr }
func ResetThrottleKey(email string) string  { return "reset:" + email }

// ThrottleRule says how many events within a window lock a key, and for
// how long.
type ThrottleRule struct {
	Limit   int
	Window  time.Duration
	LockFor time.Duration
}

// ThrottledUntil returns the latest time until which any of the keys is
// locked, or the zero time when none is.
func (s *Store) ThrottledUntil(ctx context.Context, keys ...string) (time.Time, error) {
	var until time.Time
	now := s.clock()
	for _, k := range keys {
		var t sql.NullTime
		err := s.queryRow(ctx, `SELECT locked_until FROM throttle WHERE key = ?`, k).Scan(&t)
		if err != nil && err != sql.ErrNoRows {
			return time.Time{}, s.fault(err)
		}
		if t.Valid && t.Time.After(now) && t.Time.After(until) {
			until = t.Time
		}
	}
	return until, nil
}

// Throttle counts an event against key and locks the key when the rule's
// limit is reached within its window. It returns the time
// the key is locked until, or the zero time.
func (s *Store) Throttle(ctx context.Context, key string, rule ThrottleRule) (time.Time, error) {
	now := s.clock()
	var until time.Time
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO throttle (key, events, window_started_at)
			VALUES (?, 0, ?) ON CONFLICT (key) DO NOTHING`), key, now); err != nil {
			return s.fault(err)
		}
		var events int
		var started time.Time
		var locked sql.NullTime
		if err := tx.QueryRowContext(ctx, s.q(`SELECT events, window_started_at, locked_until FROM throttle WHERE key = ?`+
			s.pick("", " FOR UPDATE")), key).Scan(&events, &started, &locked); err != nil {
			return s.fault(err)
		}
		if started.Before(now.Add(-rule.Window)) {
			events, started = 0, now
		}
		events++
		switch {
		case locked.Valid && locked.Time.After(now):
			until = locked.Time
		case events >= rule.Limit:
			until = now.Add(rule.LockFor)
			// A new window starts with the lock, so that one more failure
			// after it lifts does not lock again at once.
			events, started = 0, until
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE throttle SET events = ?, window_started_at = ?, locked_until = ? WHERE key = ?`),
			events, started, nullTime(until), key)
		return s.fault(err)
	})
	return until, err
}

// ClearThrottle forgets the events counted against key.
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	_, err := s.exec(ctx, `DELETE FROM throttle WHERE key = ?`, key)
	return s.fault(err)
}
