package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"upskill"
)

const orgColumns = `o.id, coalesce(o.parent_id, 0), o.level, o.org_type, o.name, o.code, o.reassess_months, o.created_at, o.updated_at`

func scanOrganisation(row interface{ Scan(...any) error }) (*upskill.Organisation, error) {
	var o upskill.Organisation
	var level, typ string
	err := row.Scan(&o.ID, &o.ParentID, &level, &typ, &o.Name, &o.Code, &o.ReassessMonths, &o.CreatedAt, &o.UpdatedAt)
	if err != nil {
		return nil, err
	}
	o.Level, o.Type = upskill.Level(level), upskill.OrgType(typ)
	return &o, nil
}

// Nation returns the top of the hierarchy, or ENOTFOUND before setup.
func (s *Store) Nation(ctx context.Context) (*upskill.Organisation, error) {
	row := s.queryRow(ctx, `SELECT `+orgColumns+` FROM organisations o WHERE o.level = 'nation'`)
	o, err := scanOrganisation(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "The service has not been set up yet.")
	}
	return o, s.fault(err)
}

// EnsureNation returns the nation, creating it with the given name when the
// service has none yet.
func (s *Store) EnsureNation(ctx context.Context, name string) (*upskill.Organisation, error) {
	in := upskill.OrganisationInput{Name: name}
	if err := in.Validate(upskill.LevelNation); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.ensureNationTx(ctx, tx, in.Name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Nation(ctx)
}

func (s *Store) ensureNationTx(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE level = 'nation'`).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, s.fault(err)
	}
	now := s.clock()
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO organisations (level, name, created_at, updated_at)
		VALUES ('nation', ?, ?, ?) RETURNING id`), name, now, now).Scan(&id)
	return id, s.fault(err)
}

// Organisation returns the node with the given id. Any signed-in caller may
// learn that a node exists and its name; what else they see is decided by
// upskill.Actor.Can before a page shows it.
func (s *Store) Organisation(ctx context.Context, id int64) (*upskill.Organisation, error) {
	row := s.queryRow(ctx, `SELECT `+orgColumns+` FROM organisations o WHERE o.id = ?`, id)
	o, err := scanOrganisation(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no organisation with that number.")
	}
	return o, s.fault(err)
}

// ChildSummary is a node below another with the figures its parent's page shows.
type ChildSummary struct {
	upskill.Organisation
	Children int // organisations in a region
	Staff    int // current memberships in an organisation
}

// Children lists the nodes directly below parentID, by name.
func (s *Store) Children(ctx context.Context, parentID int64) ([]ChildSummary, error) {
	rows, err := s.query(ctx, `SELECT `+orgColumns+`,
		(SELECT count(*) FROM organisations c WHERE c.parent_id = o.id),
		(SELECT count(*) FROM memberships m WHERE m.organisation_id = o.id AND m.ended_at IS NULL)
		FROM organisations o WHERE o.parent_id = ? ORDER BY lower(o.name), o.id`, parentID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []ChildSummary
	for rows.Next() {
		var c ChildSummary
		var level, typ string
		if err := rows.Scan(&c.ID, &c.ParentID, &level, &typ, &c.Name, &c.Code, &c.ReassessMonths,
			&c.CreatedAt, &c.UpdatedAt, &c.Children, &c.Staff); err != nil {
			return nil, s.fault(err)
		}
		c.Level, c.Type = upskill.Level(level), upskill.OrgType(typ)
		out = append(out, c)
	}
	return out, s.fault(rows.Err())
}

// CreateChild creates a region in the nation, or an organisation in a region.
func (s *Store) CreateChild(ctx context.Context, actorID int64, parent *upskill.Organisation, in upskill.OrganisationInput) (*upskill.Organisation, error) {
	level := parent.Level.ChildLevel()
	if level == "" {
		return nil, upskill.Errorf(upskill.EINVALID, "Nothing can be created below an organisation. Add departments instead.")
	}
	if err := in.Validate(level); err != nil {
		return nil, err
	}
	if level != upskill.LevelOrganisation {
		in.Type = ""
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO organisations
			(parent_id, level, org_type, name, code, reassess_months, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			parent.ID, level, in.Type, in.Name, in.Code, in.ReassessMonths, now, now).Scan(&id)
		if isUniqueViolation(err) {
			return nameTaken(level)
		}
		if err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, parent.ID, "create_"+string(level), "organisation", id, in.Name)
	})
	if err != nil {
		return nil, err
	}
	return s.Organisation(ctx, id)
}

func nameTaken(level upskill.Level) error {
	msg := "Another " + string(level) + " in this " + string(level.Parent()) + " already has that name"
	return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "name", Message: msg}}}
}

// UpdateOrganisation changes the settings of a node.
func (s *Store) UpdateOrganisation(ctx context.Context, actorID int64, org *upskill.Organisation, in upskill.OrganisationInput) error {
	if err := in.Validate(org.Level); err != nil {
		return err
	}
	if org.Level != upskill.LevelOrganisation {
		in.Type = ""
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE organisations SET name = ?, org_type = ?, code = ?, reassess_months = ?, updated_at = ?
			WHERE id = ?`), in.Name, in.Type, in.Code, in.ReassessMonths, s.clock(), org.ID)
		if isUniqueViolation(err) {
			return nameTaken(org.Level)
		}
		if err != nil {
			return s.fault(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return upskill.Errorf(upskill.ENOTFOUND, "There is no organisation with that number.")
		}
		return s.audit(ctx, tx, actorID, org.ID, "update_"+string(org.Level), "organisation", org.ID, describeOrgChange(org, in))
	})
}

func describeOrgChange(org *upskill.Organisation, in upskill.OrganisationInput) string {
	var parts []string
	if org.Name != in.Name {
		parts = append(parts, "name: "+org.Name+" → "+in.Name)
	}
	if org.Type != in.Type {
		parts = append(parts, "type: "+string(org.Type)+" → "+string(in.Type))
	}
	if org.Code != in.Code {
		parts = append(parts, "code: "+org.Code+" → "+in.Code)
	}
	if org.ReassessMonths != in.ReassessMonths {
		parts = append(parts, "reassessment cycle changed")
	}
	return strings.Join(parts, "; ")
}

// ChildNames returns the names of the nodes directly below parentID, by id.
func (s *Store) ChildNames(ctx context.Context, parentID int64) (map[int64]string, error) {
	return s.namesByID(ctx, `SELECT id, name FROM organisations WHERE parent_id = ?`, parentID)
}

// namesByID reads rows of an id and a name into a map.
func (s *Store) namesByID(ctx context.Context, query string, args ...any) (map[int64]string, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, s.fault(err)
		}
		out[id] = name
	}
	return out, s.fault(rows.Err())
}
