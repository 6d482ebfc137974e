package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"upskill"
)

var errNoReview = upskill.Errorf(upskill.ENOTFOUND, "There is no such assessment to review.")

// ShareAttempt asks the person's line manager, in the organisation the
// attempt was taken for, to review a submitted attempt.
func (s *Store) ShareAttempt(ctx context.Context, personID, attemptID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var org sql.NullInt64
		var status string
		err := tx.QueryRowContext(ctx, s.q(`SELECT organisation_id, status FROM attempts WHERE id = ? AND person_id = ?`), attemptID, personID).Scan(&org, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoAttempt
		}
		if err != nil {
			return s.fault(err)
		}
		if status != string(upskill.AttemptSubmitted) {
			return upskill.Errorf(upskill.EINVALID, "Submit your assessment before you share it.")
		}
		if !org.Valid {
			return upskill.Errorf(upskill.EINVALID, "This assessment was not taken for an organisation, so there is no supervisor to share it with.")
		}
		var supervisor int64
		err = tx.QueryRowContext(ctx, s.q(`SELECT coalesce(line_manager_id, 0) FROM memberships
			WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`), personID, org.Int64).Scan(&supervisor)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.fault(err)
		}
		if supervisor == 0 {
			return upskill.Errorf(upskill.EINVALID, "Your organisation has not recorded a line manager for you. Ask your organisation's admin to add one.")
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO attempt_reviews (attempt_id, supervisor_id, organisation_id, status, requested_at)
			VALUES (?, ?, ?, 'requested', ?)`), attemptID, supervisor, org.Int64, s.clock())
		if isUniqueViolation(err) {
			return upskill.Errorf(upskill.ECONFLICT, "You have already shared this assessment.")
		}
		if err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, personID, org.Int64, "share_attempt", "attempt", attemptID, "")
	})
}

const reviewColumns = `r.attempt_id, r.supervisor_id, sp.name, a.person_id, lp.name, r.organisation_id, r.status,
	r.requested_at, r.signed_off_at, r.comment`

const reviewJoins = ` FROM attempt_reviews r JOIN attempts a ON a.id = r.attempt_id
	JOIN people sp ON sp.id = r.supervisor_id JOIN people lp ON lp.id = a.person_id`

func (s *Store) scanReview(ctx context.Context, row *sql.Row) (*upskill.Review, error) {
	var r upskill.Review
	var signed sql.NullTime
	err := row.Scan(&r.AttemptID, &r.SupervisorID, &r.SupervisorName, &r.LearnerID, &r.LearnerName, &r.OrganisationID, &r.Status,
		&r.RequestedAt, &signed, &r.Comment)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoReview
	}
	if err != nil {
		return nil, s.fault(err)
	}
	r.SignedOffAt = signed.Time
	rows, err := s.query(ctx, `SELECT rr.capability_id, rr.outcome, rr.comment, p.name, rr.reviewed_at
		FROM rating_reviews rr JOIN people p ON p.id = rr.reviewer_id WHERE rr.attempt_id = ?`, r.AttemptID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var rr upskill.RatingReview
		if err := rows.Scan(&rr.CapabilityID, &rr.Outcome, &rr.Comment, &rr.ReviewerName, &rr.ReviewedAt); err != nil {
			return nil, s.fault(err)
		}
		r.Ratings = append(r.Ratings, rr)
	}
	return &r, s.fault(rows.Err())
}

// ReviewOf returns the review of one of the person's own attempts, or
// ENOTFOUND when they have not shared it.
func (s *Store) ReviewOf(ctx context.Context, personID, attemptID int64) (*upskill.Review, error) {
	return s.scanReview(ctx, s.queryRow(ctx, `SELECT `+reviewColumns+reviewJoins+` WHERE r.attempt_id = ? AND a.person_id = ?`, attemptID, personID))
}

// ReviewFor returns a review that a supervisor was asked to do, with the
// attempt under review. Anyone else finds nothing.
func (s *Store) ReviewFor(ctx context.Context, supervisorID, attemptID int64) (*upskill.Review, *upskill.Attempt, error) {
	r, err := s.scanReview(ctx, s.queryRow(ctx, `SELECT `+reviewColumns+reviewJoins+` WHERE r.attempt_id = ? AND r.supervisor_id = ?`, attemptID, supervisorID))
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Attempt(ctx, r.LearnerID, attemptID)
	if err != nil {
		return nil, nil, err
	}
	return r, a, nil
}

// ReviewSummary is one review in a supervisor's list.
type ReviewSummary struct {
	AttemptID   int64
	LearnerName string
	Status      upskill.ReviewStatus
	RequestedAt sql.NullTime
	SubmittedAt sql.NullTime
}

// ReviewsFor lists the reviews a supervisor was asked for, those still to
// do first.
func (s *Store) ReviewsFor(ctx context.Context, supervisorID int64) ([]ReviewSummary, error) {
	rows, err := s.query(ctx, `SELECT r.attempt_id, p.name, r.status, r.requested_at, a.submitted_at
		FROM attempt_reviews r JOIN attempts a ON a.id = r.attempt_id JOIN people p ON p.id = a.person_id
		WHERE r.supervisor_id = ? ORDER BY r.status = 'signed_off', r.requested_at DESC`, supervisorID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []ReviewSummary
	for rows.Next() {
		var r ReviewSummary
		if err := rows.Scan(&r.AttemptID, &r.LearnerName, &r.Status, &r.RequestedAt, &r.SubmittedAt); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, r)
	}
	return out, s.fault(rows.Err())
}

// RatingInput is a supervisor's outcome for one rating, as a form gives it.
type RatingInput struct {
	CapabilityID int64
	Outcome      upskill.RatingOutcome
	Comment      string
}

// SaveRatingReviews records a supervisor's outcomes for ratings of an
// attempt they were asked to review. Each rejected rating needs a comment.
// Nothing is saved when any input is wrong, or once the review is signed
// off.
func (s *Store) SaveRatingReviews(ctx context.Context, supervisorID, attemptID int64, in []RatingInput) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		orgID, versionID, err := s.openReviewTx(ctx, tx, supervisorID, attemptID)
		if err != nil {
			return err
		}
		v, err := s.Version(ctx, versionID)
		if err != nil {
			return err
		}
		var p upskill.Problems
		for _, r := range in {
			field := fmt.Sprintf("comment-%d", r.CapabilityID)
			if _, c := v.Capability(r.CapabilityID); c == nil {
				p.Add(field, "That statement is not part of this assessment")
				continue
			}
			switch r.Outcome {
			case upskill.RatingConfirmed, upskill.RatingRejected:
			default:
				p.Add(fmt.Sprintf("outcome-%d", r.CapabilityID), "Choose to agree with the rating or to talk it over")
				continue
			}
			r.Comment = strings.TrimSpace(r.Comment)
			if r.Outcome == upskill.RatingRejected && r.Comment == "" {
				p.Add(field, "Say why you want to talk this rating over, so that they know what to think about")
			}
			if utf8.RuneCountInString(r.Comment) > upskill.MaxReviewComment {
				p.Add(field, fmt.Sprintf("Comments must be %d characters or fewer", upskill.MaxReviewComment))
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		now := s.clock()
		for _, r := range in {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO rating_reviews (attempt_id, capability_id, reviewer_id, outcome, comment, reviewed_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id, capability_id) DO UPDATE SET
				reviewer_id = excluded.reviewer_id, outcome = excluded.outcome, comment = excluded.comment, reviewed_at = excluded.reviewed_at`),
				attemptID, r.CapabilityID, supervisorID, r.Outcome, strings.TrimSpace(r.Comment), now); err != nil {
				return s.fault(err)
			}
		}
		return s.audit(ctx, tx, supervisorID, orgID, "review_ratings", "attempt", attemptID, fmt.Sprintf("%d ratings", len(in)))
	})
}

// SignOff completes a review. After it, nothing about the review changes.
func (s *Store) SignOff(ctx context.Context, supervisorID, attemptID int64, comment string) error {
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > upskill.MaxReviewComment {
		msg := fmt.Sprintf("Comments must be %d characters or fewer", upskill.MaxReviewComment)
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "comment", Message: msg}}}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		orgID, _, err := s.openReviewTx(ctx, tx, supervisorID, attemptID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE attempt_reviews SET status = 'signed_off', signed_off_at = ?, comment = ? WHERE attempt_id = ?`),
			s.clock(), comment, attemptID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, supervisorID, orgID, "sign_off_attempt", "attempt", attemptID, "")
	})
}

// openReviewTx checks that the supervisor was asked to review the attempt
// and has not signed it off yet.
func (s *Store) openReviewTx(ctx context.Context, tx *sql.Tx, supervisorID, attemptID int64) (orgID, versionID int64, err error) {
	var status string
	err = tx.QueryRowContext(ctx, s.q(`SELECT r.organisation_id, a.version_id, r.status FROM attempt_reviews r JOIN attempts a ON a.id = r.attempt_id
		WHERE r.attempt_id = ? AND r.supervisor_id = ?`+s.pick("", " FOR UPDATE OF r")), attemptID, supervisorID).Scan(&orgID, &versionID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, errNoReview
	}
	if err != nil {
		return 0, 0, s.fault(err)
	}
	if status == string(upskill.ReviewSignedOff) {
		return 0, 0, upskill.Errorf(upskill.ECONFLICT, "You have signed this assessment off, so its review can no longer change.")
	}
	return orgID, versionID, nil
}

// ReviewsToDo counts the reviews a supervisor has been asked for and not
// yet signed off.
func (s *Store) ReviewsToDo(ctx context.Context, supervisorID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM attempt_reviews WHERE supervisor_id = ? AND status = 'requested'`, supervisorID).Scan(&n)
	return n, s.fault(err)
}
