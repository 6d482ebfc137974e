package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"upskill"
)

// CandidateQuery asks for the learning a person may find that is mapped to
// any of the statements of a framework, with what the ranking weighs.
type CandidateQuery struct {
	PersonID    int64
	OrgIDs      []int64 // the person's organisations, for what they may find
	HomeOrg     int64   // whose staff count as colleagues; 0 for none
	FrameworkID int64
	Codes       []string  // statement codes with gaps
	Since       time.Time // the assessment: completions after it count
}

// RecommendationCandidates gathers the candidates for upskill.Recommend,
// and the statements the person has completed learning for since the
// assessment.
func (s *Store) RecommendationCandidates(ctx context.Context, q CandidateQuery) ([]upskill.Candidate, map[string]bool, error) {
	addressed := map[string]bool{}
	if len(q.Codes) == 0 {
		return nil, addressed, nil
	}
	if len(q.OrgIDs) == 0 {
		q.OrgIDs = []int64{0}
	}
	args := []any{q.FrameworkID}
	for _, c := range q.Codes {
		args = append(args, c)
	}
	for range 2 {
		for _, id := range q.OrgIDs {
			args = append(args, id)
		}
	}
	rows, err := s.query(ctx, `SELECT v.id, v.item_id, v.title, v.summary, v.format, v.minutes, v.audience, o.name, o.level
		FROM content_versions v JOIN content_items i ON i.id = v.item_id JOIN organisations o ON o.id = i.owner_id
		WHERE v.status = 'published' AND v.id IN (SELECT m.version_id FROM content_mappings m
			WHERE m.framework_id = ? AND m.capability_code IN (`+placeholders(len(q.Codes))+`))
		AND `+visibleTo(len(q.OrgIDs))+` ORDER BY v.item_id`, args...)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	var out []upskill.Candidate
	byVersion := map[int64]int{}
	byItem := map[int64]int{}
	var versionIDs, itemIDs []any
	for rows.Next() {
		var c upskill.Candidate
		var versionID int64
		var audience, level string
		if err := rows.Scan(&versionID, &c.ItemID, &c.Title, &c.Summary, &c.Format, &c.Minutes, &audience, &c.OwnerName, &level); err != nil {
			rows.Close()
			return nil, nil, s.fault(err)
		}
		if err := json.Unmarshal([]byte(audience), &c.Audience); err != nil {
			rows.Close()
			return nil, nil, s.fault(err)
		}
		c.National = level == string(upskill.LevelNation)
		byVersion[versionID], byItem[c.ItemID] = len(out), len(out)
		versionIDs, itemIDs = append(versionIDs, versionID), append(itemIDs, c.ItemID)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, addressed, s.fault(err)
	}

	rows, err = s.query(ctx, `SELECT version_id, framework_id, domain_code, capability_code, level FROM content_mappings
		WHERE framework_id = ? AND version_id IN (`+placeholders(len(versionIDs))+`) ORDER BY version_id, capability_code`,
		append([]any{q.FrameworkID}, versionIDs...)...)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	for rows.Next() {
		var id int64
		var m upskill.ContentMapping
		if err := rows.Scan(&id, &m.FrameworkID, &m.DomainCode, &m.CapabilityCode, &m.Level); err != nil {
			rows.Close()
			return nil, nil, s.fault(err)
		}
		c := &out[byVersion[id]]
		c.Mappings = append(c.Mappings, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, s.fault(err)
	}

	// The person's own enrolments on these items.
	rows, err = s.query(ctx, `SELECT item_id, status, mandatory, due_at, completed_at FROM enrolments
		WHERE person_id = ? AND item_id IN (`+placeholders(len(itemIDs))+`)`, append([]any{q.PersonID}, itemIDs...)...)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	for rows.Next() {
		var item int64
		var status upskill.EnrolmentStatus
		var mandatory bool
		var due, completed sql.NullTime
		if err := rows.Scan(&item, &status, &mandatory, &due, &completed); err != nil {
			rows.Close()
			return nil, nil, s.fault(err)
		}
		c := &out[byItem[item]]
		switch {
		case status == upskill.Enrolled:
			c.Started = true
			c.Mandatory, c.DueAt = mandatory, due.Time
		case completed.Time.After(q.Since):
			c.Completed = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, s.fault(err)
	}

	// How many colleagues have completed each.
	if q.HomeOrg != 0 {
		rows, err = s.query(ctx, `SELECT e.item_id, count(DISTINCT e.person_id) FROM enrolments e
			JOIN memberships m ON m.person_id = e.person_id AND m.organisation_id = ? AND m.ended_at IS NULL
			WHERE e.status = 'completed' AND e.person_id <> ? AND e.item_id IN (`+placeholders(len(itemIDs))+`)
			GROUP BY e.item_id`, append([]any{q.HomeOrg, q.PersonID}, itemIDs...)...)
		if err != nil {
			return nil, nil, s.fault(err)
		}
		for rows.Next() {
			var item int64
			var n int
			if err := rows.Scan(&item, &n); err != nil {
				rows.Close()
				return nil, nil, s.fault(err)
			}
			out[byItem[item]].PeersCompleted = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, s.fault(err)
		}
	}

	// The statements the person has completed learning for since.
	rows, err = s.query(ctx, `SELECT DISTINCT m.capability_code FROM enrolments e JOIN content_mappings m ON m.version_id = e.version_id
		WHERE e.person_id = ? AND e.status = 'completed' AND e.completed_at > ? AND m.framework_id = ?`, q.PersonID, q.Since, q.FrameworkID)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, nil, s.fault(err)
		}
		addressed[code] = true
	}
	return out, addressed, s.fault(rows.Err())
}
