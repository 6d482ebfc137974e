package store

import (
	"context"
	"database/sql"
	"time"
)

// audit records an administrative action in the same transaction as the
// action itself, so that the log never misses a change nor records one that
// did not happen. actorID 0 means the command line or the system.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actorID, orgID int64, action, subjectType string, subjectID int64, detail string) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit_events
		(at, actor_id, organisation_id, action, subject_type, subject_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		s.clock(), nullID(actorID), nullID(orgID), action, subjectType, nullID(subjectID), detail)
	return s.fault(err)
}

// RecordDownload notes in a node's audit log that someone downloaded its
// figures, and which.
func (s *Store) RecordDownload(ctx context.Context, actorID, orgID int64, what string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actorID, orgID, "download_figures", "", 0, what)
	})
}

// AuditEvent is one recorded administrative action.
type AuditEvent struct {
	ID          int64
	At          time.Time
	ActorID     int64
	ActorName   string
	Action      string
	SubjectType string
	SubjectID   int64
	Detail      string
}

// AuditEvents returns the newest events recorded against an organisation.
func (s *Store) AuditEvents(ctx context.Context, orgID int64, limit int) ([]AuditEvent, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.at, coalesce(a.actor_id, 0), coalesce(p.name, ''),
		a.action, a.subject_type, coalesce(a.subject_id, 0), a.detail
		FROM audit_events a LEFT JOIN people p ON p.id = a.actor_id
		WHERE a.organisation_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?`, orgID, limit)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID, &e.Detail); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, e)
	}
	return out, s.fault(rows.Err())
}
