package store

import (
	"context"
	"database/sql"
	"errors"

	"upskill"
)

// Sites lists an organisation's sites by name, with how many of its
// departments sit at each.
func (s *Store) Sites(ctx context.Context, orgID int64) ([]upskill.Site, error) {
	rows, err := s.query(ctx, `SELECT s.id, s.organisation_id, s.name, s.created_at,
		(SELECT count(*) FROM units u WHERE u.site_id = s.id AND u.organisation_id = s.organisation_id)
		FROM sites s WHERE s.organisation_id = ? ORDER BY lower(s.name), s.id`, orgID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.Site
	for rows.Next() {
		var st upskill.Site
		if err := rows.Scan(&st.ID, &st.OrganisationID, &st.Name, &st.CreatedAt, &st.Departments); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, st)
	}
	return out, s.fault(rows.Err())
}

// SiteNames returns the names of an organisation's sites, by id.
func (s *Store) SiteNames(ctx context.Context, orgID int64) (map[int64]string, error) {
	return s.namesByID(ctx, `SELECT id, name FROM sites WHERE organisation_id = ?`, orgID)
}

// CreateSite adds a site to the organisation.
func (s *Store) CreateSite(ctx context.Context, actorID, orgID int64, name string) (*upskill.Site, error) {
	name, err := upskill.ValidateSiteName(name)
	if err != nil {
		return nil, err
	}
	st := &upskill.Site{OrganisationID: orgID, Name: name, CreatedAt: s.clock()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO sites (organisation_id, name, created_at) VALUES (?, ?, ?) RETURNING id`),
			orgID, name, st.CreatedAt).Scan(&st.ID)
		if isUniqueViolation(err) {
			msg := "There is already a site with this name"
			return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "site_name", Message: msg}}}
		}
		if err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "create_site", "site", st.ID, name)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// DeleteSite removes a site of the organisation that no department sits
// at.
func (s *Store) DeleteSite(ctx context.Context, actorID, orgID, siteID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var name string
		var departments int
		err := tx.QueryRowContext(ctx, s.q(`SELECT name, (SELECT count(*) FROM units WHERE site_id = sites.id)
			FROM sites WHERE id = ? AND organisation_id = ?`), siteID, orgID).Scan(&name, &departments)
		if errors.Is(err, sql.ErrNoRows) {
			return noSite()
		}
		if err != nil {
			return s.fault(err)
		}
		if departments > 0 {
			return upskill.Errorf(upskill.ECONFLICT, "Departments still sit at %s. Move them to another site first.", name)
		}
		if _, err := s.txExec(ctx, tx, `DELETE FROM sites WHERE id = ? AND organisation_id = ?`, siteID, orgID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "delete_site", "site", siteID, name)
	})
}

func noSite() error {
	return upskill.Errorf(upskill.ENOTFOUND, "There is no site with that number in this organisation.")
}

// SetDepartmentSite places a department of the organisation at one of its
// sites, or at none when siteID is 0. Attempts counted from now on count
// at the new site; those counted already stay where they were counted,
// so that moving a department gives none of its figures away.
func (s *Store) SetDepartmentSite(ctx context.Context, actorID, orgID, unitID, siteID int64) error {
	u, err := s.Unit(ctx, orgID, unitID)
	if err != nil {
		return err
	}
	if u.Kind != upskill.UnitDepartment {
		return upskill.Errorf(upskill.EINVALID, "Teams work from their department's site. Set the site on the department.")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		site := "no site"
		if siteID != 0 {
			err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM sites WHERE id = ? AND organisation_id = ?`), siteID, orgID).Scan(&site)
			if errors.Is(err, sql.ErrNoRows) {
				return &upskill.Error{Code: upskill.EINVALID, Message: "Choose one of the organisation's sites",
					Fields: []upskill.FieldError{{Field: "site", Message: "Choose one of the organisation's sites"}}}
			}
			if err != nil {
				return s.fault(err)
			}
		}
		if _, err := s.txExec(ctx, tx, `UPDATE units SET site_id = ? WHERE id = ? AND organisation_id = ?`, nullID(siteID), unitID, orgID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, orgID, "set_department_site", "unit", unitID, u.Name+" → "+site)
	})
}
