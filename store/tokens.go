package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"upskill"
)

// TokenPurpose says what a single-use emailed link is for.
type TokenPurpose string

const (
	TokenInvitation    TokenPurpose = "invitation"
	TokenVerifyEmail   TokenPurpose = "verify_email"
	TokenResetPassword TokenPurpose = "reset_password"
)

// How long each kind of link works.
var tokenLifetime = map[TokenPurpose]time.Duration{
	TokenInvitation:    14 * 24 * time.Hour,
	TokenVerifyEmail:   3 * 24 * time.Hour,
	TokenResetPassword: time.Hour,
}

// NewSecret returns a random secret for a cookie or link and the hash under
// which it is stored. Only the hash is ever written to the database.
func NewSecret() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the stored form of a secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// issueToken stores a new link of the given purpose for a person, replacing
// any earlier unused one of the same purpose, and returns its secret.
func (s *Store) issueToken(ctx context.Context, tx *sql.Tx, purpose TokenPurpose, personID, orgID int64) (string, error) {
	now := s.clock()
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM tokens WHERE person_id = ? AND purpose = ? AND used_at IS NULL`), personID, purpose); err != nil {
		return "", s.fault(err)
	}
	secret, hash := NewSecret()
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO tokens (token_hash, purpose, person_id, organisation_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`), hash, purpose, personID, nullID(orgID), now, now.Add(tokenLifetime[purpose]))
	return secret, s.fault(err)
}

// IssueToken stores a new email-verification or password-reset link for a
// person and returns its secret.
func (s *Store) IssueToken(ctx context.Context, purpose TokenPurpose, personID int64) (string, error) {
	var secret string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		secret, err = s.issueToken(ctx, tx, purpose, personID, 0)
		return err
	})
	return secret, err
}

// TokenInfo is what a page shows about a link before it is used.
type TokenInfo struct {
	Purpose          TokenPurpose
	PersonID         int64
	Email            string
	Name             string
	HasPassword      bool
	OrganisationName string
	ExpiresAt        time.Time
}

var errLinkInvalid = upskill.Errorf(upskill.ENOTFOUND,
	"This link has expired or has already been used. Ask for a new one.")

// Token returns what a valid, unused link of the given purpose stands for.
func (s *Store) Token(ctx context.Context, purpose TokenPurpose, secret string) (*TokenInfo, error) {
	var t TokenInfo
	var used sql.NullTime
	err := s.queryRow(ctx, `SELECT t.purpose, t.person_id, p.email, p.name, p.password_hash <> '',
		coalesce(o.name, ''), t.expires_at, t.used_at
		FROM tokens t JOIN people p ON p.id = t.person_id LEFT JOIN organisations o ON o.id = t.organisation_id
		WHERE t.token_hash = ? AND t.purpose = ?`, HashSecret(secret), purpose).
		Scan(&t.Purpose, &t.PersonID, &t.Email, &t.Name, &t.HasPassword, &t.OrganisationName, &t.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errLinkInvalid
	}
	if err != nil {
		return nil, s.fault(err)
	}
	if used.Valid || !s.clock().Before(t.ExpiresAt) {
		return nil, errLinkInvalid
	}
	return &t, nil
}

// useToken marks a valid link used inside tx and returns whose it was.
func (s *Store) useToken(ctx context.Context, tx *sql.Tx, purpose TokenPurpose, secret string) (int64, error) {
	now := s.clock()
	var personID int64
	err := tx.QueryRowContext(ctx, s.q(`UPDATE tokens SET used_at = ?
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING person_id`),
		now, HashSecret(secret), purpose, now).Scan(&personID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errLinkInvalid
	}
	return personID, s.fault(err)
}

// AcceptInvitation uses an invitation link: it sets the person's name and
// password and confirms their email address, which the link proves.
func (s *Store) AcceptInvitation(ctx context.Context, secret, name, passwordHash string) (int64, error) {
	var personID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if personID, err = s.useToken(ctx, tx, TokenInvitation, secret); err != nil {
			return err
		}
		now := s.clock()
		// Someone who set a password since the invitation was sent signs in
		// with it; an old invitation must not replace it.
		res, err := tx.ExecContext(ctx, s.q(`UPDATE people SET name = ?, password_hash = ?,
			email_verified_at = coalesce(email_verified_at, ?), updated_at = ? WHERE id = ? AND password_hash = ''`),
			name, passwordHash, now, now, personID)
		if err != nil {
			return s.fault(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return upskill.Errorf(upskill.ECONFLICT, "You have already set up your account. Sign in with your email address and password.")
		}
		if err := s.rename(ctx, tx, personID, name); err != nil {
			return err
		}
		return s.audit(ctx, tx, personID, 0, "accept_invitation", "person", personID, "")
	})
	return personID, err
}

// VerifyEmail uses an address-confirmation link.
func (s *Store) VerifyEmail(ctx context.Context, secret string) (int64, error) {
	var personID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if personID, err = s.useToken(ctx, tx, TokenVerifyEmail, secret); err != nil {
			return err
		}
		now := s.clock()
		_, err = tx.ExecContext(ctx, s.q(`UPDATE people SET email_verified_at = coalesce(email_verified_at, ?), updated_at = ? WHERE id = ?`),
			now, now, personID)
		return s.fault(err)
	})
	return personID, err
}

// ResetPassword uses a password-reset link: it sets the new password,
// confirms the address (the link proves it) and ends every session the
// person had, in case someone else was signed in as them.
func (s *Store) ResetPassword(ctx context.Context, secret, passwordHash string) (int64, error) {
	var personID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if personID, err = s.useToken(ctx, tx, TokenResetPassword, secret); err != nil {
			return err
		}
		now := s.clock()
		var email string
		if err := tx.QueryRowContext(ctx, s.q(`UPDATE people SET password_hash = ?,
			email_verified_at = coalesce(email_verified_at, ?), updated_at = ? WHERE id = ? RETURNING email`),
			passwordHash, now, now, personID).Scan(&email); err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE person_id = ?`), personID); err != nil {
			return s.fault(err)
		}
		// A reset proves the address, so it lifts a lockout on it.
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM throttle WHERE key = ?`), EmailThrottleKey(email)); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, personID, 0, "reset_password", "person", personID, "")
	})
	return personID, err
}
