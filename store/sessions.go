package store

import (
	"context"
	"database/sql"
	"time"

	"upskill"
)

// Session is a signed-in browser. Its secret lives only in the cookie.
type Session struct {
	Hash       string
	PersonID   int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	// Person is the signed-in person, read with the session so that a
	// request needs one query fewer.
	Person upskill.Person
}

// CreateSession signs a person in and returns the secret for the cookie.
func (s *Store) CreateSession(ctx context.Context, personID int64) (string, error) {
	secret, hash := NewSecret()
	now := s.clock()
	_, err := s.exec(ctx, `INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`,
		hash, personID, now, now)
	if err != nil {
		return "", s.fault(err)
	}
	return secret, nil
}

// ErrNoSession is returned for a cookie that names no live session.
var ErrNoSession = upskill.Errorf(upskill.EUNAUTHORISED, "Your session has ended. Sign in again to continue.")

// Session returns the session whose cookie secret is given, with the
// signed-in person and their current memberships, in one query: every
// request that carries a cookie asks for it.
func (s *Store) Session(ctx context.Context, secret string) (*Session, *upskill.Actor, error) {
	se := Session{Hash: HashSecret(secret)}
	// This indexed lookup runs on every request and is over in well under a
	// millisecond, so it is not worth the goroutine both drivers start to
	// watch a cancellable context.
	rows, err := s.query(context.WithoutCancel(ctx), `SELECT s.person_id, s.created_at, s.last_seen_at,
		p.email, p.name, p.email_verified_at, p.created_at, p.updated_at,
		coalesce(o.id, 0), coalesce(o.parent_id, 0), coalesce(o.level, ''), coalesce(o.name, ''), coalesce(m.roles, 0)
		FROM sessions s JOIN people p ON p.id = s.person_id
		LEFT JOIN memberships m ON m.person_id = p.id AND m.ended_at IS NULL
		LEFT JOIN organisations o ON o.id = m.organisation_id
		WHERE s.token_hash = ?`, se.Hash)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	defer rows.Close()
	var a *upskill.Actor
	p := &se.Person
	for rows.Next() {
		var verified sql.NullTime
		var m upskill.ActorMembership
		var level string
		if err := rows.Scan(&se.PersonID, &se.CreatedAt, &se.LastSeenAt, &p.Email, &p.Name, &verified, &p.CreatedAt, &p.UpdatedAt,
			&m.Org.ID, &m.Org.ParentID, &level, &m.OrgName, &m.Roles); err != nil {
			return nil, nil, s.fault(err)
		}
		if a == nil {
			p.ID, p.EmailVerifiedAt = se.PersonID, verified.Time
			a = &upskill.Actor{PersonID: p.ID, Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified()}
		}
		addMembership(a, m, level)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, s.fault(err)
	}
	if a == nil {
		return nil, nil, ErrNoSession
	}
	sortMemberships(a.Memberships)
	return &se, a, nil
}

// addMembership adds one row of an actor query, which has no organisation
// when the person belongs to none.
func addMembership(a *upskill.Actor, m upskill.ActorMembership, level string) {
	if m.Org.ID != 0 {
		m.Org.Level = upskill.Level(level)
		a.Memberships = append(a.Memberships, m)
	}
}

// TouchSession records that a session was used now.
func (s *Store) TouchSession(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, s.clock(), hash)
	return s.fault(err)
}

// DeleteSession signs one browser out.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return s.fault(err)
}

// DeleteSessionsOf signs a person out everywhere except, when keep is not
// empty, the session with that hash.
func (s *Store) DeleteSessionsOf(ctx context.Context, personID int64, keep string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE person_id = ? AND token_hash <> ?`, personID, keep)
	return s.fault(err)
}

// DeleteExpiredSessions removes sessions idle since before idleSince or
// started before startedSince, and used or expired links, and returns how
// many sessions went.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleSince, startedSince time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`,
		idleSince.UTC(), startedSince.UTC())
	if err != nil {
		return 0, s.fault(err)
	}
	n, _ := res.RowsAffected()
	if _, err := s.exec(ctx, `DELETE FROM tokens WHERE expires_at < ?`, s.clock().Add(-24*time.Hour)); err != nil {
		return n, s.fault(err)
	}
	return n, nil
}
