package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"upskill"
	"upskill/badge"
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

// Badge is an Open Badge issued for a completion of learning, or for
// reaching the target in a domain of a submitted assessment.
type Badge struct {
	ID          string
	EnrolmentID int64 // the completion, or 0
	// The attempt and domain, for a badge of the assessment.
	AttemptID        int64
	DomainCode       string
	PersonID         int64
	OrganisationID   int64
	Title            string // what it was awarded for
	Token            string // the signed credential
	StatusList       int    // its bit in a Bitstring Status List; 0 for a badge of the older revocation list
	StatusIndex      int
	IssuedAt         time.Time
	RevokedAt        time.Time
	RevocationReason string
	PersonName       string // for lists
}

// Revoked reports whether the badge has been withdrawn.
func (b *Badge) Revoked() bool { return !b.RevokedAt.IsZero() }

var errNoBadge = upskill.Errorf(upskill.ENOTFOUND, "There is no such badge.")

const badgeColumns = `b.id, coalesce(b.enrolment_id, 0), coalesce(b.attempt_id, 0), b.domain_code, b.person_id, coalesce(b.organisation_id, 0),
	b.title, b.token, coalesce(b.status_list, 0), coalesce(b.status_index, 0), b.issued_at, b.revoked_at, b.revocation_reason, p.name`

const badgeFrom = ` FROM badges b JOIN people p ON p.id = b.person_id`

func scanBadge(row interface{ Scan(...any) error }, b *Badge) error {
	var revoked sql.NullTime
	if err := row.Scan(&b.ID, &b.EnrolmentID, &b.AttemptID, &b.DomainCode, &b.PersonID, &b.OrganisationID, &b.Title, &b.Token,
		&b.StatusList, &b.StatusIndex, &b.IssuedAt, &revoked, &b.RevocationReason, &b.PersonName); err != nil {
		return err
	}
	b.RevokedAt = revoked.Time
	return nil
}

// BadgeSigner signs a badge whose revocation bit is at index of status
// list number list, and returns the signed credential.
type BadgeSigner func(list, index int) (token string, err error)

// IssueBadge keeps a new badge for one of the person's completions
// (b.EnrolmentID) or for a domain of one of their submitted attempts
// (b.AttemptID and b.DomainCode). It gives the badge a free bit, at
// random, in the newest status list that is less than half full, asks
// sign for the credential, and saves it; if another instance took the
// same bit meanwhile, it picks again. A completion or a domain has one
// badge: if one was saved meanwhile, that one is returned instead.
func (s *Store) IssueBadge(ctx context.Context, b Badge, sign BadgeSigner) (*Badge, error) {
	if (b.EnrolmentID == 0) == (b.AttemptID == 0) || (b.AttemptID != 0 && b.DomainCode == "") {
		return nil, upskill.Errorf(upskill.EINVALID, "A badge is for one completion or one domain of an assessment.")
	}
	for range 20 {
		list, err := s.openStatusList(ctx)
		if err != nil {
			return nil, err
		}
		index := rand.IntN(badge.StatusListSize)
		token, err := sign(list, index)
		if err != nil {
			return nil, err
		}
		if b.EnrolmentID != 0 {
			_, err = s.exec(ctx, `INSERT INTO badges (id, enrolment_id, person_id, organisation_id, title, token, status_list, status_index, issued_at)
				SELECT ?, e.id, e.person_id, e.organisation_id, ?, ?, ?, ?, ? FROM enrolments e
				WHERE e.id = ? AND e.person_id = ? AND e.status = 'completed'
				AND NOT EXISTS (SELECT 1 FROM badges o WHERE o.enrolment_id = e.id)`,
				b.ID, b.Title, token, list, index, b.IssuedAt, b.EnrolmentID, b.PersonID)
		} else {
			_, err = s.exec(ctx, `INSERT INTO badges (id, attempt_id, domain_code, person_id, organisation_id, title, token, status_list, status_index, issued_at)
				SELECT ?, a.id, ?, a.person_id, a.organisation_id, ?, ?, ?, ?, ? FROM attempts a
				WHERE a.id = ? AND a.person_id = ? AND a.status = 'submitted'
				AND NOT EXISTS (SELECT 1 FROM badges o WHERE o.attempt_id = a.id AND o.domain_code = ?)`,
				b.ID, b.DomainCode, b.Title, token, list, index, b.IssuedAt, b.AttemptID, b.PersonID, b.DomainCode)
		}
		if upskill.ErrorCode(s.fault(err)) == upskill.ECONFLICT {
			continue // the bit, or the badge itself, was taken meanwhile; look again
		}
		if err != nil {
			return nil, s.fault(err)
		}
		break // saved, or there was one already, or nothing to award
	}
	if b.EnrolmentID != 0 {
		return s.BadgeFor(ctx, b.PersonID, b.EnrolmentID)
	}
	return s.DomainBadgeFor(ctx, b.PersonID, b.AttemptID, b.DomainCode)
}

// openStatusList is the number of the newest status list, or the next
// one once it is half full: a list filled further would make a free bit
// slow to find at random, and fewer badges would share each list.
func (s *Store) openStatusList(ctx context.Context) (int, error) {
	list, err := s.LastStatusList(ctx)
	if err != nil {
		return 0, err
	}
	list = max(list, 1)
	var used int
	if err := s.queryRow(ctx, `SELECT count(*) FROM badges WHERE status_list = ?`, list).Scan(&used); err != nil {
		return 0, s.fault(err)
	}
	if used >= badge.StatusListSize/2 {
		list++
	}
	return list, nil
}

// RevokedInList returns the indexes of the revoked badges of a status
// list.
func (s *Store) RevokedInList(ctx context.Context, list int) ([]int, error) {
	rows, err := s.query(ctx, `SELECT status_index FROM badges WHERE status_list = ? AND revoked_at IS NOT NULL ORDER BY status_index`, list)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, i)
	}
	return out, s.fault(rows.Err())
}

// LastStatusList is the number of the last status list a badge uses, or 0
// when none does.
func (s *Store) LastStatusList(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT coalesce(max(status_list), 0) FROM badges`).Scan(&n)
	return n, s.fault(err)
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

// DomainBadgeFor returns the badge of a domain of one of the person's
// attempts.
func (s *Store) DomainBadgeFor(ctx context.Context, personID, attemptID int64, domain string) (*Badge, error) {
	b := &Badge{}
	err := scanBadge(s.queryRow(ctx, `SELECT `+badgeColumns+badgeFrom+` WHERE b.attempt_id = ? AND b.domain_code = ? AND b.person_id = ?`,
		attemptID, domain, personID), b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoBadge
	}
	return b, s.fault(err)
}

// AttemptBadges lists the badges of the domains of one of the person's
// attempts.
func (s *Store) AttemptBadges(ctx context.Context, personID, attemptID int64) ([]Badge, error) {
	return s.badgeList(ctx, ` WHERE b.attempt_id = ? AND b.person_id = ? ORDER BY b.domain_code`, attemptID, personID)
}

// badgeList reads the badges the rest of a query after its FROM picks.
func (s *Store) badgeList(ctx context.Context, where string, args ...any) ([]Badge, error) {
	rows, err := s.query(ctx, `SELECT `+badgeColumns+badgeFrom+where, args...)
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
	return s.badgeList(ctx, ` WHERE b.organisation_id = ? ORDER BY b.issued_at DESC, b.id LIMIT ?`, orgID, limit)
}

// RevokedBadges lists every revoked badge, for the revocation list.
func (s *Store) RevokedBadges(ctx context.Context) ([]Badge, error) {
	return s.badgeList(ctx, ` WHERE b.revoked_at IS NOT NULL ORDER BY b.revoked_at, b.id`)
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

// LoadBadges stores badges already signed, for a load of many at once such
// as the demonstration data: each for a completion of the person's, or
// for a domain of one of their submitted attempts, at a status list bit
// no other badge has. Each badge's organisation is its completion's or
// attempt's. All are stored, or, when any is wrong, none.
func (s *Store) LoadBadges(ctx context.Context, badges []Badge) error {
	if len(badges) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		type owner struct {
			person, org int64
			done        bool
		}
		// What each badge is for, read in batches.
		read := func(query string, ids []int64) (map[int64]owner, error) {
			out := make(map[int64]owner, len(ids))
			for len(ids) > 0 {
				n := min(len(ids), 1000)
				args := make([]any, n)
				for i, id := range ids[:n] {
					args[i] = id
				}
				rows, err := tx.QueryContext(ctx, s.q(query+` IN (`+placeholders(n)+`)`), args...)
				if err != nil {
					return nil, s.fault(err)
				}
				for rows.Next() {
					var id int64
					var o owner
					var org sql.NullInt64
					if err := rows.Scan(&id, &o.person, &org, &o.done); err != nil {
						rows.Close()
						return nil, s.fault(err)
					}
					o.org = org.Int64
					out[id] = o
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, s.fault(err)
				}
				ids = ids[n:]
			}
			return out, nil
		}
		var enrolments, attempts []int64
		for _, b := range badges {
			if b.EnrolmentID != 0 {
				enrolments = append(enrolments, b.EnrolmentID)
			} else {
				attempts = append(attempts, b.AttemptID)
			}
		}
		done, err := read(`SELECT id, person_id, organisation_id, status = 'completed' FROM enrolments WHERE id`, enrolments)
		if err != nil {
			return err
		}
		submitted, err := read(`SELECT id, person_id, organisation_id, status = 'submitted' FROM attempts WHERE id`, attempts)
		if err != nil {
			return err
		}
		for i := range badges {
			b := &badges[i]
			var o owner
			var ok bool
			switch {
			case (b.EnrolmentID == 0) == (b.AttemptID == 0) || (b.AttemptID != 0 && b.DomainCode == ""):
				return upskill.Errorf(upskill.EINVALID, "Badge %d is not for one completion or one domain of an assessment.", i+1)
			case b.EnrolmentID != 0:
				o, ok = done[b.EnrolmentID]
			default:
				o, ok = submitted[b.AttemptID]
			}
			switch {
			case !ok || !o.done || o.person != b.PersonID:
				return upskill.Errorf(upskill.EINVALID, "Badge %d is not for a completion or a submitted assessment of its person.", i+1)
			case b.StatusList < 1 || b.StatusIndex < 0 || b.StatusIndex >= badge.StatusListSize || b.ID == "" || b.Token == "":
				return upskill.Errorf(upskill.EINVALID, "Badge %d has no id, token or place in a status list.", i+1)
			}
			b.OrganisationID = o.org
		}
		err = s.insertRows(ctx, tx, "badges",
			[]string{"id", "enrolment_id", "attempt_id", "domain_code", "person_id", "organisation_id", "title", "token",
				"status_list", "status_index", "issued_at"},
			len(badges), func(i int, row []any) {
				b := &badges[i]
				row[0], row[1], row[2], row[3] = b.ID, nullID(b.EnrolmentID), nullID(b.AttemptID), b.DomainCode
				row[4], row[5], row[6], row[7] = b.PersonID, nullID(b.OrganisationID), b.Title, b.Token
				row[8], row[9], row[10] = int64(b.StatusList), int64(b.StatusIndex), s.bulkNullTime(b.IssuedAt)
			})
		if isUniqueViolation(err) {
			return upskill.Errorf(upskill.ECONFLICT, "Some of the badges are already stored, or share a place in a status list.")
		}
		return s.fault(err)
	})
}
