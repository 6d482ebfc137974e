package store

import (
	"context"
	"database/sql"
	"errors"

	"upskill"
)

var errNoTarget = upskill.Errorf(upskill.ENOTFOUND, "There is no such target.")

// TargetProfiles lists the targets an organisation has set for a framework,
// or the national defaults when orgID is 0.
func (s *Store) TargetProfiles(ctx context.Context, frameworkID, orgID int64) ([]upskill.TargetProfile, error) {
	rows, err := s.query(ctx, `SELECT id, name, staff_group, job_role, updated_at FROM target_profiles
		WHERE framework_id = ? AND coalesce(organisation_id, 0) = ? ORDER BY lower(name), id`, frameworkID, orgID)
	if err != nil {
		return nil, s.fault(err)
	}
	var out []upskill.TargetProfile
	for rows.Next() {
		t := upskill.TargetProfile{FrameworkID: frameworkID, OrganisationID: orgID}
		var group string
		if err := rows.Scan(&t.ID, &t.Name, &group, &t.JobRole, &t.UpdatedAt); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		t.StaffGroup = upskill.StaffGroup(group)
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	for i := range out {
		if out[i].Needed, err = s.targetLevels(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) targetLevels(ctx context.Context, profileID int64) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT capability_code, needed FROM target_levels WHERE profile_id = ?`, profileID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, s.fault(err)
		}
		out[code] = n
	}
	return out, s.fault(rows.Err())
}

// TargetProfile returns one of an organisation's targets (orgID 0 for the
// national defaults). A target of another organisation is not found.
func (s *Store) TargetProfile(ctx context.Context, orgID, id int64) (*upskill.TargetProfile, error) {
	t := upskill.TargetProfile{ID: id, OrganisationID: orgID}
	var group string
	err := s.queryRow(ctx, `SELECT framework_id, name, staff_group, job_role, updated_at FROM target_profiles
		WHERE id = ? AND coalesce(organisation_id, 0) = ?`, id, orgID).Scan(&t.FrameworkID, &t.Name, &group, &t.JobRole, &t.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoTarget
	}
	if err != nil {
		return nil, s.fault(err)
	}
	t.StaffGroup = upskill.StaffGroup(group)
	if t.Needed, err = s.targetLevels(ctx, id); err != nil {
		return nil, err
	}
	return &t, nil
}

// SaveTargetProfile creates a target (t.ID 0) or replaces one of the
// organisation's targets, after checking it against the framework's
// published version.
func (s *Store) SaveTargetProfile(ctx context.Context, actorID int64, t *upskill.TargetProfile) (int64, error) {
	fw, err := s.Framework(ctx, t.FrameworkID)
	if err != nil {
		return 0, err
	}
	_, v, err := s.PublishedVersion(ctx, fw.Key)
	if err != nil {
		return 0, err
	}
	if err := t.Validate(v); err != nil {
		return 0, err
	}
	id := t.ID
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		if id == 0 {
			err := tx.QueryRowContext(ctx, s.q(`INSERT INTO target_profiles (framework_id, organisation_id, staff_group, job_role, name, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), t.FrameworkID, nullID(t.OrganisationID), t.StaffGroup, t.JobRole, t.Name, now).Scan(&id)
			if isUniqueViolation(err) {
				return targetTaken()
			}
			if err != nil {
				return s.fault(err)
			}
		} else {
			res, err := tx.ExecContext(ctx, s.q(`UPDATE target_profiles SET staff_group = ?, job_role = ?, name = ?, updated_at = ?
				WHERE id = ? AND coalesce(organisation_id, 0) = ? AND framework_id = ?`),
				t.StaffGroup, t.JobRole, t.Name, now, id, t.OrganisationID, t.FrameworkID)
			if isUniqueViolation(err) {
				return targetTaken()
			}
			if err != nil {
				return s.fault(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errNoTarget
			}
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM target_levels WHERE profile_id = ?`), id); err != nil {
				return s.fault(err)
			}
		}
		for _, c := range v.Capabilities() {
			n, ok := t.Needed[c.Code]
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO target_levels (profile_id, capability_code, needed) VALUES (?, ?, ?)`), id, c.Code, n); err != nil {
				return s.fault(err)
			}
		}
		org := t.OrganisationID
		if org == 0 {
			org = s.nationID(ctx, tx)
		}
		return s.audit(ctx, tx, actorID, org, "save_target", "target_profile", id, t.Name)
	})
	return id, err
}

func targetTaken() error {
	msg := "There is already a target for that staff group or job role"
	return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "staff_group", Message: msg}}}
}

// DeleteTargetProfile removes one of an organisation's targets.
func (s *Store) DeleteTargetProfile(ctx context.Context, actorID, orgID, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM target_profiles WHERE id = ? AND coalesce(organisation_id, 0) = ?`), id, orgID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoTarget
		}
		if err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM target_levels WHERE profile_id = ?`), id); err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM target_profiles WHERE id = ?`), id); err != nil {
			return s.fault(err)
		}
		org := orgID
		if org == 0 {
			org = s.nationID(ctx, tx)
		}
		return s.audit(ctx, tx, actorID, org, "delete_target", "target_profile", id, name)
	})
}

// TargetFor picks the target that applies to a person in an organisation:
// the organisation's own for their job role, then for their staff group,
// then the national default for their job role, then for their staff
// group. It returns nil when none applies.
func (s *Store) TargetFor(ctx context.Context, frameworkID, orgID int64, group upskill.StaffGroup, jobRole string) (*upskill.TargetProfile, error) {
	var id, owner int64
	err := s.queryRow(ctx, `SELECT id, coalesce(organisation_id, 0) FROM target_profiles
		WHERE framework_id = ? AND (organisation_id = ? OR organisation_id IS NULL)
		AND ((job_role <> '' AND lower(job_role) = lower(?)) OR (staff_group <> '' AND staff_group = ?))
		ORDER BY organisation_id IS NULL, job_role = '', id LIMIT 1`, frameworkID, orgID, jobRole, group).Scan(&id, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.fault(err)
	}
	return s.TargetProfile(ctx, owner, id)
}
