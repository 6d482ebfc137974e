package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"upskill"
)

// Session is a signed-in browser. Its secret lives only in the cookie.
type Session struct {
	Hash       string
	PersonID   int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// CreateSession signs a person in and returns the secret for the cookie.
func (s *Store) CreateSession(ctx context.Context, personID int64) (string, error) {
	secret, hash := NewSecret()
	now := s.clock()
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`),
		hash, personID, now, now)
	if err != nil {
		return "", s.fault(err)
	}
	return secret, nil
}

// ErrNoSession is returned for a cookie that names no live session.
var ErrNoSession = upskill.Errorf(upskill.EUNAUTHORISED, "Your session has ended. Sign in again to continue.")

// Session returns the session whose cookie secret is given.
func (s *Store) Session(ctx context.Context, secret string) (*Session, error) {
	se := Session{Hash: HashSecret(secret)}
	err := s.r.QueryRowContext(ctx, s.q(`SELECT person_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?`), se.Hash).
		Scan(&se.PersonID, &se.CreatedAt, &se.LastSeenAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, s.fault(err)
	}
	return &se, nil
}

// TouchSession records that a session was used now.
func (s *Store) TouchSession(ctx context.Context, hash string) error {
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), s.clock(), hash)
	return s.fault(err)
}

// DeleteSession signs one browser out.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), hash)
	return s.fault(err)
}

// DeleteSessionsOf signs a person out everywhere except, when keep is not
// empty, the session with that hash.
func (s *Store) DeleteSessionsOf(ctx context.Context, personID int64, keep string) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE person_id = ? AND token_hash <> ?`), personID, keep)
	return s.fault(err)
}

// DeleteExpiredSessions removes sessions idle since before idleSince or
// started before startedSince, and used or expired links, and returns how
// many sessions went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleSince, startedSince time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`),
		idleSince.UTC(), startedSince.UTC())
	if err != nil {
		return 0, s.fault(err)
	}
	n, _ := res.RowsAffected()
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM tokens WHERE expires_at < ?`), s.clock().Add(-24*time.Hour)); err != nil {
		return n, s.fault(err)
	}
	return n, nil
}
