package web

import (
	"fmt"
	"net/http"

	"upskill"
	"upskill/insight"
)

// SpecialistsView shows how many staff hold each specialist digital, data
// and technology role: in an organisation by family, role and level; in a
// region or the nation by family and role, added up from what each
// organisation shows.
type SpecialistsView struct {
	Page
	Org    *upskill.Organisation
	K      int
	Report *insight.SpecialistReport
	Tables []SpecialistTable
}

// SpecialistTable is one breakdown of the specialists.
type SpecialistTable struct {
	Key, Caption, Heading string
	Rows                  []SpecialistRow
}

// SpecialistRow is one row with its name.
type SpecialistRow struct {
	Label string
	insight.Count
}

func (s *Server) specialists(w http.ResponseWriter, r *request) error {
	v, err := s.specialistsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "specialists.html", v, &v.Page)
}

// specialistsExport sends the specialists' tables as CSV or XLSX, with
// the same figures hidden as on the page.
func (s *Server) specialistsExport(w http.ResponseWriter, r *request) error {
	v, err := s.specialistsView(r)
	if err != nil {
		return err
	}
	var tables []exportTable
	for _, t := range v.Tables {
		et := exportTable{Key: t.Key, Name: t.Caption, Header: []string{t.Heading, "Staff"}}
		for _, row := range t.Rows {
			var n any
			if !row.Hidden {
				n = int64(row.People)
			}
			et.Rows = append(et.Rows, []any{row.Label, n})
		}
		tables = append(tables, et)
	}
	return s.sendTables(w, r, fmt.Sprintf("specialists-%d", r.org.ID), "Digital, data and technology specialists", tables)
}

// specialistsView gathers the specialists' figures of a node.
func (s *Server) specialistsView(r *request) (*SpecialistsView, error) {
	ctx := r.Context()
	var rep *insight.SpecialistReport
	switch r.org.Level {
	case upskill.LevelOrganisation:
		counts, err := s.store.InsightSpecialists(ctx, r.org.ID, 0)
		if err != nil {
			return nil, err
		}
		rep = insight.OrgSpecialists(counts, s.cfg.SmallestGroup)
	default:
		region := r.org.ID
		if r.org.Level == upskill.LevelNation {
			region = 0
		}
		counts, err := s.store.InsightSpecialists(ctx, 0, region)
		if err != nil {
			return nil, err
		}
		rep = insight.CombinedSpecialists(counts, s.cfg.SmallestGroup)
	}
	v := &SpecialistsView{Org: r.org, K: s.cfg.SmallestGroup, Report: rep}
	families := SpecialistTable{Key: "family", Caption: "By family of roles", Heading: "Family"}
	for _, c := range rep.Tables[insight.ByFamily] {
		families.Rows = append(families.Rows, SpecialistRow{Label: c.Key, Count: c})
	}
	// Roles and levels in the framework's order.
	roles := SpecialistTable{Key: "role", Caption: "By role", Heading: "Role"}
	for _, role := range upskill.DDaTRoles {
		for _, c := range rep.Tables[insight.ByRole] {
			if c.Key == role.Code {
				roles.Rows = append(roles.Rows, SpecialistRow{Label: role.Name, Count: c})
			}
		}
	}
	levels := SpecialistTable{Key: "level", Caption: "By level", Heading: "Level"}
	for _, l := range upskill.DDaTLevels {
		for _, c := range rep.Tables[insight.ByLevel] {
			if c.Key == l.Code {
				levels.Rows = append(levels.Rows, SpecialistRow{Label: l.Name, Count: c})
			}
		}
	}
	for _, t := range []SpecialistTable{families, roles, levels} {
		if len(t.Rows) > 0 {
			v.Tables = append(v.Tables, t)
		}
	}
	v.Title = "Digital, data and technology specialists"
	var err error
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return nil, err
	}
	return v, nil
}
