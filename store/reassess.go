package store

import (
	"context"
	"database/sql"
	"time"
)

// Due is a person whose organisation's reassessment cycle has come round.
type Due struct {
	PersonID         int64
	OrganisationID   int64
	AttemptID        int64 // their latest submitted attempt, which the cycle counts from
	Email, Name      string
	OrganisationName string
	LastSubmitted    time.Time
	DueAt            time.Time
}

// DueReassessments finds people whose latest submitted attempt on the
// framework, taken for an organisation they still belong to, is older than
// that organisation's reassessment cycle, who have no attempt in progress,
// who want such invitations and who have not been invited for this cycle
// yet. Dates are worked out
// here, one cycle length at a time, so the SQL needs no date functions.
func (s *Store) DueReassessments(ctx context.Context, frameworkKey string, limit int) ([]Due, error) {
	fw, err := s.FrameworkByKey(ctx, frameworkKey)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT DISTINCT reassess_months FROM organisations WHERE reassess_months > 0 ORDER BY reassess_months`)
	if err != nil {
		return nil, s.fault(err)
	}
	var cycles []int
	for rows.Next() {
		var m int
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		cycles = append(cycles, m)
	}
	rows.Close()
	now := s.clock()
	var out []Due
	for _, months := range cycles {
		cutoff := now.AddDate(0, -months, 0)
		rows, err := s.query(ctx, `SELECT m.person_id, m.organisation_id, p.email, p.name, o.name, a.id, a.submitted_at
			FROM memberships m
			JOIN organisations o ON o.id = m.organisation_id AND o.reassess_months = ?
			JOIN people p ON p.id = m.person_id
			JOIN attempts a ON a.person_id = m.person_id AND a.organisation_id = m.organisation_id
				AND a.framework_id = ? AND a.status = 'submitted'
			WHERE m.ended_at IS NULL AND a.submitted_at <= ? AND p.reassess_emails
			AND NOT EXISTS (SELECT 1 FROM attempts n WHERE n.person_id = m.person_id AND n.framework_id = ?
				AND (n.status = 'in_progress' OR n.submitted_at > a.submitted_at))
			AND NOT EXISTS (SELECT 1 FROM reassessment_invitations r WHERE r.person_id = m.person_id
				AND r.organisation_id = m.organisation_id AND r.attempt_id = a.id)
			ORDER BY a.submitted_at, m.person_id LIMIT ?`, months, fw.ID, cutoff, fw.ID, limit-len(out))
		if err != nil {
			return nil, s.fault(err)
		}
		for rows.Next() {
			var d Due
			if err := rows.Scan(&d.PersonID, &d.OrganisationID, &d.Email, &d.Name, &d.OrganisationName, &d.AttemptID, &d.LastSubmitted); err != nil {
				rows.Close()
				return nil, s.fault(err)
			}
			d.DueAt = d.LastSubmitted.AddDate(0, months, 0)
			out = append(out, d)
		}
		rows.Close()
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// ClaimReassessment records that a person is being invited for a cycle.
// It reports false when another instance invited them first.
func (s *Store) ClaimReassessment(ctx context.Context, d Due) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO reassessment_invitations (person_id, organisation_id, attempt_id, sent_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, d.PersonID, d.OrganisationID, d.AttemptID, s.clock())
	if err != nil {
		return false, s.fault(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseReassessment forgets a claim whose email could not be sent, so
// that the next sweep tries again.
func (s *Store) ReleaseReassessment(ctx context.Context, d Due) error {
	_, err := s.exec(ctx, `DELETE FROM reassessment_invitations WHERE person_id = ? AND organisation_id = ? AND attempt_id = ?`,
		d.PersonID, d.OrganisationID, d.AttemptID)
	return s.fault(err)
}

// NextDue returns when a person's next assessment is due for the
// organisation of their latest submitted attempt, or the zero time when
// that organisation has no cycle.
func (s *Store) NextDue(ctx context.Context, personID, attemptID int64) (time.Time, error) {
	var submitted sql.NullTime
	var months int
	err := s.queryRow(ctx, `SELECT a.submitted_at, coalesce(o.reassess_months, 0) FROM attempts a
		LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ? AND a.person_id = ?`, attemptID, personID).Scan(&submitted, &months)
	if err == sql.ErrNoRows {
		return time.Time{}, errNoAttempt
	}
	if err != nil {
		return time.Time{}, s.fault(err)
	}
	if !submitted.Valid || months == 0 {
		return time.Time{}, nil
	}
	return submitted.Time.AddDate(0, months, 0), nil
}
