package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
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
// assessment. A candidate carries only what the ranking weighs, and only
// its mappings to the statements asked for; DescribeCandidates adds the
// titles and owners of those that are shown.
//
// The candidates come from the published learning each instance keeps in
// memory; everything else is read by the person or their organisation, so
// the cost does not grow with the number of people who have done the
// learning.
func (s *Store) RecommendationCandidates(ctx context.Context, q CandidateQuery) ([]upskill.Candidate, map[string]bool, error) {
	addressed := map[string]bool{}
	if len(q.Codes) == 0 {
		return nil, addressed, nil
	}
	catalogue, err := s.published(ctx)
	if err != nil {
		return nil, nil, err
	}
	gaps := make(map[string]bool, len(q.Codes))
	for _, c := range q.Codes {
		gaps[c] = true
	}
	// Thousands of candidates: their mappings share one backing array, and
	// they are found by item with a binary search, as they come in item
	// order.
	var out []upskill.Candidate
	var all []upskill.ContentMapping
	for i := range catalogue.items {
		p := &catalogue.items[i]
		start := len(all)
		for _, m := range p.mappings {
			if m.FrameworkID == q.FrameworkID && gaps[m.CapabilityCode] {
				all = append(all, m)
			}
		}
		if len(all) == start || !p.item.FoundBy(q.OrgIDs) {
			all = all[:start]
			continue
		}
		out = append(out, upskill.Candidate{ItemID: p.item.ID, VersionID: p.versionID, Minutes: p.minutes, Audience: p.audience,
			Mappings: all[start:len(all):len(all)]})
	}
	if len(out) == 0 {
		return out, addressed, nil
	}
	find := func(item int64) (int, bool) {
		return slices.BinarySearchFunc(out, item, func(c upskill.Candidate, id int64) int { return cmp.Compare(c.ItemID, id) })
	}

	// The person's own enrolments, all of them: a person has few.
	rows, err := s.query(ctx, `SELECT item_id, organisation_id, status, mandatory, due_at, completed_at FROM enrolments
		WHERE person_id = ?`, q.PersonID)
	if err != nil {
		return nil, nil, s.fault(err)
	}
	doneForHome := map[int64]bool{}
	for rows.Next() {
		var item int64
		var org sql.NullInt64
		var status upskill.EnrolmentStatus
		var mandatory bool
		var due, completed sql.NullTime
		if err := rows.Scan(&item, &org, &status, &mandatory, &due, &completed); err != nil {
			rows.Close()
			return nil, nil, s.fault(err)
		}
		if status == upskill.Completed && org.Int64 == q.HomeOrg {
			doneForHome[item] = true
		}
		k, ok := find(item)
		if !ok {
			continue
		}
		c := &out[k]
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

	// How many colleagues have completed each, the person aside.
	if q.HomeOrg != 0 {
		rows, err = s.query(ctx, `SELECT item_id, people FROM learning_completions WHERE organisation_id = ?`, q.HomeOrg)
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
			if k, ok := find(item); ok {
				if doneForHome[item] {
					n--
				}
				out[k].PeersCompleted = n
			}
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

// DescribeCandidates fills in the title, summary, format and owner of each
// recommendation's learning.
func (s *Store) DescribeCandidates(ctx context.Context, recs []upskill.Recommendation) error {
	if len(recs) == 0 {
		return nil
	}
	index := map[int64]int{}
	ids := make([]any, len(recs))
	for i, r := range recs {
		index[r.VersionID], ids[i] = i, r.VersionID
	}
	rows, err := s.query(ctx, `SELECT v.id, v.title, v.summary, v.format, o.name, o.level
		FROM content_versions v JOIN content_items i ON i.id = v.item_id JOIN organisations o ON o.id = i.owner_id
		WHERE v.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var level string
		var d upskill.Candidate
		if err := rows.Scan(&id, &d.Title, &d.Summary, &d.Format, &d.OwnerName, &level); err != nil {
			return s.fault(err)
		}
		c := &recs[index[id]].Candidate
		c.Title, c.Summary, c.Format, c.OwnerName = d.Title, d.Summary, d.Format, d.OwnerName
		c.National = level == string(upskill.LevelNation)
	}
	return s.fault(rows.Err())
}
