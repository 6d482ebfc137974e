package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"upskill"
)

// APIToken is a personal API token as its owner's page lists it.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// TokenPrefix starts every API token's secret, so that a leaked token is
// easy to recognise in logs and code.
const TokenPrefix = "upskill_"

// CreateAPIToken makes a personal API token and returns its secret, which
// is shown once and never stored.
func (s *Store) CreateAPIToken(ctx context.Context, personID int64, name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	var p upskill.Problems
	switch {
	case name == "":
		p.Add("name", "Enter a name for the token, like the program that will use it")
	case utf8.RuneCountInString(name) > 100:
		p.Add("name", "Name must be 100 characters or fewer")
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	secret, _ := NewSecret()
	secret = TokenPrefix + secret
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM api_tokens WHERE person_id = ? AND revoked_at IS NULL`), personID).Scan(&n); err != nil {
			return s.fault(err)
		}
		if n >= 20 {
			return upskill.Errorf(upskill.EINVALID, "You have 20 tokens already. Revoke one you no longer use first.")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO api_tokens (person_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
			personID, name, HashSecret(secret), s.clock()).Scan(&id); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, personID, 0, "create_api_token", "api_token", id, name)
	})
	return secret, err
}

// APITokens lists a person's tokens that are not revoked.
func (s *Store) APITokens(ctx context.Context, personID int64) ([]APIToken, error) {
	rows, err := s.query(ctx, `SELECT id, name, created_at, last_used_at FROM api_tokens
		WHERE person_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC`, personID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &used); err != nil {
			return nil, s.fault(err)
		}
		t.LastUsedAt = used.Time
		out = append(out, t)
	}
	return out, s.fault(rows.Err())
}

// RevokeAPIToken stops one of a person's tokens working.
func (s *Store) RevokeAPIToken(ctx context.Context, personID, id int64) error {
	res, err := s.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND person_id = ? AND revoked_at IS NULL`, s.clock(), id, personID)
	if err != nil {
		return s.fault(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such token.")
	}
	return nil
}

// ErrBadToken is returned for an API token that is unknown or revoked.
var ErrBadToken = upskill.Errorf(upskill.EUNAUTHORISED, "The API token is not valid. Check it, or make a new one under Your account.")

// TokenActor returns the person an API token acts for, with their current
// memberships, in one query. Use is recorded at most once a minute.
func (s *Store) TokenActor(ctx context.Context, secret string) (*upskill.Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, ErrBadToken
	}
	rows, err := s.query(context.WithoutCancel(ctx), `SELECT t.id, t.last_used_at, p.id, p.email, p.name, p.email_verified_at,
		coalesce(o.id, 0), coalesce(o.parent_id, 0), coalesce(o.level, ''), coalesce(o.name, ''), coalesce(m.roles, 0)
		FROM api_tokens t JOIN people p ON p.id = t.person_id
		LEFT JOIN memberships m ON m.person_id = p.id AND m.ended_at IS NULL
		LEFT JOIN organisations o ON o.id = m.organisation_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, HashSecret(secret))
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var a *upskill.Actor
	var tokenID int64
	var used sql.NullTime
	for rows.Next() {
		var p upskill.Person
		var verified sql.NullTime
		var m upskill.ActorMembership
		var level string
		if err := rows.Scan(&tokenID, &used, &p.ID, &p.Email, &p.Name, &verified,
			&m.Org.ID, &m.Org.ParentID, &level, &m.OrgName, &m.Roles); err != nil {
			return nil, s.fault(err)
		}
		if a == nil {
			p.EmailVerifiedAt = verified.Time
			a = &upskill.Actor{PersonID: p.ID, Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified()}
		}
		addMembership(a, m, level)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	if a == nil {
		return nil, ErrBadToken
	}
	sortMemberships(a.Memberships)
	if now := s.clock(); !used.Valid || now.Sub(used.Time) > time.Minute {
		if _, err := s.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, tokenID); err != nil {
			return nil, s.fault(err)
		}
	}
	return a, nil
}
