package store

import (
	"context"
	"database/sql"
	"errors"

	"upskill"
)

// Units lists an organisation's departments, each followed by its teams,
// with how many current members each has.
func (s *Store) Units(ctx context.Context, orgID int64) ([]upskill.Unit, error) {
	rows, err := s.query(ctx, `SELECT u.id, u.organisation_id, coalesce(u.parent_id, 0), u.kind, u.name, u.created_at,
		(SELECT count(*) FROM memberships m WHERE m.unit_id = u.id AND m.ended_at IS NULL), coalesce(u.site_id, 0)
		FROM units u LEFT JOIN units d ON d.id = u.parent_id
		WHERE u.organisation_id = ?
		ORDER BY lower(coalesce(d.name, u.name)), coalesce(d.id, u.id), u.parent_id IS NOT NULL, lower(u.name)`, orgID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.Unit
	for rows.Next() {
		var u upskill.Unit
		var kind string
		if err := rows.Scan(&u.ID, &u.OrganisationID, &u.ParentID, &kind, &u.Name, &u.CreatedAt, &u.Members, &u.SiteID); err != nil {
			return nil, s.fault(err)
		}
		u.Kind = upskill.UnitKind(kind)
		out = append(out, u)
	}
	return out, s.fault(rows.Err())
}

// Unit returns one department or team of the organisation.
func (s *Store) Unit(ctx context.Context, orgID, unitID int64) (*upskill.Unit, error) {
	var u upskill.Unit
	var kind string
	err := s.queryRow(ctx, `SELECT u.id, u.organisation_id, coalesce(u.parent_id, 0), u.kind, u.name, u.created_at,
		(SELECT count(*) FROM memberships m WHERE m.unit_id = u.id AND m.ended_at IS NULL), coalesce(u.site_id, 0)
		FROM units u WHERE u.organisation_id = ? AND u.id = ?`, orgID, unitID).
		Scan(&u.ID, &u.OrganisationID, &u.ParentID, &kind, &u.Name, &u.CreatedAt, &u.Members, &u.SiteID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no department or team with that number in this organisation.")
	}
	u.Kind = upskill.UnitKind(kind)
	return &u, s.fault(err)
}

// CreateUnit adds a department to the organisation, or a team to one of its
// departments when parentID is not 0.
func (s *Store) CreateUnit(ctx context.Context, actorID, orgID, parentID int64, name string) (*upskill.Unit, error) {
	kind := upskill.UnitDepartment
	if parentID != 0 {
		kind = upskill.UnitTeam
	}
	name, err := upskill.ValidateUnitName(kind, name)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if parentID != 0 {
			var parentKind string
			err := tx.QueryRowContext(ctx, s.q(`SELECT kind FROM units WHERE id = ? AND organisation_id = ?`), parentID, orgID).Scan(&parentKind)
			if errors.Is(err, sql.ErrNoRows) {
				return upskill.Errorf(upskill.ENOTFOUND, "There is no department with that number in this organisation.")
			}
			if err != nil {
				return s.fault(err)
			}
			if parentKind != string(upskill.UnitDepartment) {
				return upskill.Errorf(upskill.EINVALID, "Teams can only be added to a department, not to another team.")
			}
		}
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO units (organisation_id, parent_id, kind, name, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), orgID, nullID(parentID), kind, name, s.clock()).Scan(&id)
		if isUniqueViolation(err) {
			return unitNameTaken(kind)
		}
		if err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "create_"+string(kind), "unit", id, name)
	})
	if err != nil {
		return nil, err
	}
	return s.Unit(ctx, orgID, id)
}

func unitNameTaken(kind upskill.UnitKind) error {
	msg := "There is already a " + string(kind) + " with that name"
	if kind == upskill.UnitTeam {
		msg += " in this department"
	}
	return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "name", Message: msg}}}
}

// RenameUnit changes the name of a department or team of the organisation.
func (s *Store) RenameUnit(ctx context.Context, actorID, orgID, unitID int64, name string) error {
	u, err := s.Unit(ctx, orgID, unitID)
	if err != nil {
		return err
	}
	name, err = upskill.ValidateUnitName(u.Kind, name)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE units SET name = ? WHERE id = ? AND organisation_id = ?`), name, unitID, orgID)
		if isUniqueViolation(err) {
			return unitNameTaken(u.Kind)
		}
		if err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "rename_"+string(u.Kind), "unit", unitID, u.Name+" → "+name)
	})
}

// DeleteUnit removes an empty department or team of the organisation.
func (s *Store) DeleteUnit(ctx context.Context, actorID, orgID, unitID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var kind, name string
		err := tx.QueryRowContext(ctx, s.q(`SELECT kind, name FROM units WHERE id = ? AND organisation_id = ?`), unitID, orgID).Scan(&kind, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return upskill.Errorf(upskill.ENOTFOUND, "There is no department or team with that number in this organisation.")
		}
		if err != nil {
			return s.fault(err)
		}
		var teams, members int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT
			(SELECT count(*) FROM units WHERE parent_id = ?),
			(SELECT count(*) FROM memberships WHERE unit_id = ?)`), unitID, unitID).Scan(&teams, &members); err != nil {
			return s.fault(err)
		}
		switch {
		case teams > 0:
			return upskill.Errorf(upskill.ECONFLICT, "Remove the teams in %s before removing it.", name)
		case members > 0:
			return upskill.Errorf(upskill.ECONFLICT, "%s still has people in it, now or in the past. Move or remove them first.", name)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM units WHERE id = ? AND organisation_id = ?`), unitID, orgID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "delete_"+kind, "unit", unitID, name)
	})
}

// UnitNames returns the names of an organisation's departments and teams,
// by id, for pages that only label them.
func (s *Store) UnitNames(ctx context.Context, orgID int64) (map[int64]string, error) {
	return s.namesByID(ctx, `SELECT id, name FROM units WHERE organisation_id = ?`, orgID)
}

// DepartmentNames lists an organisation's departments, by name, with no
// counts: for choices on pages read often.
func (s *Store) DepartmentNames(ctx context.Context, orgID int64) ([]upskill.Unit, error) {
	rows, err := s.query(ctx, `SELECT id, name FROM units WHERE organisation_id = ? AND kind = 'department' ORDER BY lower(name), id`, orgID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.Unit
	for rows.Next() {
		u := upskill.Unit{OrganisationID: orgID, Kind: upskill.UnitDepartment}
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, u)
	}
	return out, s.fault(rows.Err())
}
