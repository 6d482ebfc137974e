package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"upskill"
)

// settingBadgeSeed is the seed of the Ed25519 key that signs badges,
// shared by every instance.
const settingBadgeSeed = "badge_signing_seed"

// BadgeSeed returns the 32-byte seed of the key that signs badges, making
// it on first use.
func (s *Store) BadgeSeed(ctx context.Context) ([]byte, error) {
	v, err := s.setting(ctx, settingBadgeSeed)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// Badge is an Open Badge issued for a completion.
type Badge struct {
	ID               string
	EnrolmentID      int64
	PersonID         int64
	OrganisationID   int64
	Token            string // the signed credential
	IssuedAt         time.Time
	RevokedAt        time.Time
	RevocationReason string
	// For lists: whose it is and for what.
	PersonName, Title string
}

// Revoked reports whether the badge has been withdrawn.
func (b *Badge) Revoked() bool { return !b.RevokedAt.IsZero() }

var errNoBadge = upskill.Errorf(upskill.ENOTFOUND, "There is no such badge.")

const badgeColumns = `b.id, b.enrolment_id, b.person_id, coalesce(b.organisation_id, 0), b.token, b.issued_at, b.revoked_at,
	b.revocation_reason, p.name, v.title`

const badgeFrom = ` FROM badges b JOIN people p ON p.id = b.person_id JOIN enrolments e ON e.id = b.enrolment_id
	JOIN content_versions v ON v.id = e.version_id`

func scanBadge(row interface{ Scan(...any) error }, b *Badge) error {
	var revoked sql.NullTime
	if err := row.Scan(&b.ID, &b.EnrolmentID, &b.PersonID, &b.OrganisationID, &b.Token, &b.IssuedAt, &revoked,
		&b.RevocationReason, &b.PersonName, &b.Title); err != nil {
		return err
	}
	b.RevokedAt = revoked.Time
	return nil
}

// SaveBadge keeps a badge issued for one of the person's completions. A
// completion has one badge: if one was saved meanwhile, that one is
// returned instead.
func (s *Store) SaveBadge(ctx context.Context, b Badge) (*Badge, error) {
	_, err := s.exec(ctx, `INSERT INTO badges (id, enrolment_id, person_id, organisation_id, token, issued_at)
		SELECT ?, e.id, e.person_id, e.organisation_id, ?, ? FROM enrolments e
		WHERE e.id = ? AND e.person_id = ? AND e.status = 'completed'
		ON CONFLICT (enrolment_id) DO NOTHING`, b.ID, b.Token, b.IssuedAt, b.EnrolmentID, b.PersonID)
	if err != nil {
		return nil, s.fault(err)
	}
	return s.BadgeFor(ctx, b.PersonID, b.EnrolmentID)
}

// BadgeFor returns the badge of one of the person's completions.
func (s *Store) BadgeFor(ctx context.Context, personID, enrolmentID int64) (*Badge, error) {
	b := &Badge{}
	err := scanBadge(s.queryRow(ctx, `SELECT `+badgeColumns+badgeFrom+` WHERE b.enrolment_id = ? AND b.person_id = ?`, enrolmentID, personID), b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoBadge
	}
	return b, s.fault(err)
}

// BadgeByID returns a badge by the id in its public address.
func (s *Store) BadgeByID(ctx context.Context, id string) (*Badge, error) {
	b := &Badge{}
	err := scanBadge(s.queryRow(ctx, `SELECT `+badgeColumns+badgeFrom+` WHERE b.id = ?`, id), b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoBadge
	}
	return b, s.fault(err)
}

// OrganisationBadges lists the badges issued for learning done for an
// organisation, newest first.
func (s *Store) OrganisationBadges(ctx context.Context, orgID int64, limit int) ([]Badge, error) {
	rows, err := s.query(ctx, `SELECT `+badgeColumns+badgeFrom+` WHERE b.organisation_id = ? ORDER BY b.issued_at DESC, b.id LIMIT ?`, orgID, limit)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []Badge
	for rows.Next() {
		var b Badge
		if err := scanBadge(rows, &b); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, b)
	}
	return out, s.fault(rows.Err())
}

// RevokedBadges lists every revoked badge, for the revocation list.
func (s *Store) RevokedBadges(ctx context.Context) ([]Badge, error) {
	rows, err := s.query(ctx, `SELECT `+badgeColumns+badgeFrom+` WHERE b.revoked_at IS NOT NULL ORDER BY b.revoked_at, b.id`)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []Badge
	for rows.Next() {
		var b Badge
		if err := scanBadge(rows, &b); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, b)
	}
	return out, s.fault(rows.Err())
}

// RevokeBadge withdraws a badge issued for learning done for the
// organisation, with the reason anyone checking it will see.
func (s *Store) RevokeBadge(ctx context.Context, actorID, orgID int64, id, reason string) error {
	reason = strings.TrimSpace(reason)
	msg := ""
	switch {
	case reason == "":
		msg = "Say why the badge is being revoked. Anyone who checks it will see the reason."
	case utf8.RuneCountInString(reason) > 300:
		msg = "The reason must be 300 characters or fewer"
	}
	if msg != "" {
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "reason", Message: msg}}}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var revoked sql.NullTime
		err := tx.QueryRowContext(ctx, s.q(`SELECT revoked_at FROM badges WHERE id = ? AND organisation_id = ?`), id, orgID).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoBadge
		}
		if err != nil {
			return s.fault(err)
		}
		if revoked.Valid {
			return upskill.Errorf(upskill.ECONFLICT, "This badge has already been revoked.")
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE badges SET revoked_at = ?, revoked_by = ?, revocation_reason = ? WHERE id = ?`),
			s.clock(), nullID(actorID), reason, id); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "revoke_badge", "badge", 0, id+": "+reason)
	})
}
