package web

import (
	"net/http"
	"strconv"

	"upskill"
)

// DepartmentsView lists an organisation's departments and their teams,
// and the sites they work from.
type DepartmentsView struct {
	Page
	Org      *upskill.Organisation
	Can      OrgAbilities
	Depts    []DepartmentRow
	Sites    []upskill.Site
	Adding   bool  // the add form is shown with errors
	SiteForm *Form // the form to add a site
}

// DepartmentRow is a department with its teams and its site's name.
type DepartmentRow struct {
	upskill.Unit
	Teams []upskill.Unit
	Site  string
}

func deptURL(orgID, unitID int64) string {
	return orgURL(orgID) + "/departments/" + strconv.FormatInt(unitID, 10)
}

func groupUnits(units []upskill.Unit) []DepartmentRow {
	var out []DepartmentRow
	for _, u := range units {
		if u.Kind == upskill.UnitDepartment {
			out = append(out, DepartmentRow{Unit: u})
		} else if n := len(out); n > 0 && out[n-1].ID == u.ParentID {
			out[n-1].Teams = append(out[n-1].Teams, u)
		}
	}
	return out
}

func (s *Server) departments(w http.ResponseWriter, r *request) error {
	return s.showDepartments(w, r, http.StatusOK, newForm(nil), newForm(nil))
}

func (s *Server) showDepartments(w http.ResponseWriter, r *request, status int, f, site *Form) error {
	ctx := r.Context()
	units, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return err
	}
	sites, err := s.store.Sites(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v := &DepartmentsView{Org: r.org, Can: abilities(r.actor, r.org), Depts: groupUnits(units), Sites: sites, Adding: f.HasErrors(), SiteForm: site}
	for i := range v.Depts {
		for _, st := range sites {
			if st.ID == v.Depts[i].SiteID {
				v.Depts[i].Site = st.Name
			}
		}
	}
	v.Title = "Departments and teams"
	// One error summary for the page: the form that was sent.
	v.Form = f
	if site.HasErrors() {
		v.Form = site
	}
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, status, "departments.html", v, &v.Page)
}

func (s *Server) createDepartment(w http.ResponseWriter, r *request) error {
	f := newForm(r.PostForm)
	u, err := s.store.CreateUnit(r.Context(), r.actor.PersonID, r.org.ID, 0, f.Get("name"))
	if err != nil {
		if f.absorb(err) {
			return s.showDepartments(w, r, http.StatusUnprocessableEntity, f, newForm(nil))
		}
		return err
	}
	s.setFlash(w, u.Name+" has been added.")
	return redirect(w, r, orgURL(r.org.ID)+"/departments")
}

// DepartmentView is one department: its teams, and forms to rename it, add
// a team, place it at a site and remove it.
type DepartmentView struct {
	Page
	Org        *upskill.Organisation
	Can        OrgAbilities
	Unit       *upskill.Unit
	Department *upskill.Unit // the department of a team
	Teams      []upskill.Unit
	Rename     *Form
	TeamForm   *Form
	Site       Field // the department's site, to choose from the organisation's
	SiteName   string
}

func (s *Server) department(w http.ResponseWriter, r *request) error {
	unit, err := s.unitOf(r)
	if err != nil {
		return err
	}
	return s.showDepartment(w, r, http.StatusOK, unit, newForm(map[string][]string{"name": {unit.Name}}), newForm(nil))
}

func (s *Server) unitOf(r *request) (*upskill.Unit, error) {
	id, err := r.pathID("unit")
	if err != nil {
		return nil, err
	}
	return s.store.Unit(r.Context(), r.org.ID, id)
}

// showDepartment draws a department's page with the forms as sent: rename
// carries the rename form, or the site form when that was sent.
func (s *Server) showDepartment(w http.ResponseWriter, r *request, status int, unit *upskill.Unit, rename, team *Form) error {
	ctx := r.Context()
	v := &DepartmentView{Org: r.org, Can: abilities(r.actor, r.org), Unit: unit, Rename: rename, TeamForm: team}
	v.Title = unit.Name
	// One error summary for the page: the form that was sent.
	v.Form = rename
	if team.HasErrors() {
		v.Form = team
	}
	all, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return err
	}
	for i := range all {
		switch {
		case all[i].ParentID == unit.ID:
			v.Teams = append(v.Teams, all[i])
		case all[i].ID == unit.ParentID:
			v.Department = &all[i]
		}
	}
	sites, err := s.store.Sites(ctx, r.org.ID)
	if err != nil {
		return err
	}
	choices := []Option{{Value: "0", Label: "No site"}}
	for _, st := range sites {
		choices = append(choices, Option{Value: strconv.FormatInt(st.ID, 10), Label: st.Name})
		if st.ID == unit.SiteID {
			v.SiteName = st.Name
		}
	}
	siteForm := rename
	if !rename.Values.Has("site") {
		siteForm = newForm(map[string][]string{"site": {strconv.FormatInt(unit.SiteID, 10)}})
	}
	v.Site = options(field(siteForm, "site", "label", "Site", "hint", "Where the department works from. Its staff count at this site in the workforce figures."), siteForm, choices)
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"Departments and teams", orgURL(r.org.ID) + "/departments"})
	if v.Department != nil {
		v.Crumbs = append(v.Crumbs, Crumb{v.Department.Name, deptURL(r.org.ID, v.Department.ID)})
	}
	return s.render(w, r, status, "department.html", v, &v.Page)
}

func (s *Server) renameDepartment(w http.ResponseWriter, r *request) error {
	unit, err := s.unitOf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	if err := s.store.RenameUnit(r.Context(), r.actor.PersonID, r.org.ID, unit.ID, f.Get("name")); err != nil {
		if f.absorb(err) {
			return s.showDepartment(w, r, http.StatusUnprocessableEntity, unit, f, newForm(nil))
		}
		return err
	}
	s.setFlash(w, "The name has been changed.")
	return redirect(w, r, deptURL(r.org.ID, unit.ID))
}

func (s *Server) createTeam(w http.ResponseWriter, r *request) error {
	unit, err := s.unitOf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	// The team form's field is named team_name so that its error links to it.
	team, err := s.store.CreateUnit(r.Context(), r.actor.PersonID, r.org.ID, unit.ID, f.Get("team_name"))
	if err != nil {
		if upskill.ErrorCode(err) == upskill.EINVALID || upskill.ErrorCode(err) == upskill.ECONFLICT {
			for _, fe := range upskill.ErrorFields(err) {
				f.Add("team_name", fe.Message)
			}
			if !f.HasErrors() {
				f.Add("", upskill.ErrorMessage(err))
			}
			return s.showDepartment(w, r, http.StatusUnprocessableEntity, unit, newForm(map[string][]string{"name": {unit.Name}}), f)
		}
		return err
	}
	s.setFlash(w, team.Name+" has been added to "+unit.Name+".")
	return redirect(w, r, deptURL(r.org.ID, unit.ID))
}

func (s *Server) deleteUnit(w http.ResponseWriter, r *request) error {
	unit, err := s.unitOf(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteUnit(r.Context(), r.actor.PersonID, r.org.ID, unit.ID); err != nil {
		if upskill.ErrorCode(err) == upskill.ECONFLICT {
			f := newForm(map[string][]string{"name": {unit.Name}})
			f.Add("", upskill.ErrorMessage(err))
			return s.showDepartment(w, r, http.StatusConflict, unit, f, newForm(nil))
		}
		return err
	}
	s.setFlash(w, unit.Name+" has been removed.")
	if unit.ParentID != 0 {
		return redirect(w, r, deptURL(r.org.ID, unit.ParentID))
	}
	return redirect(w, r, orgURL(r.org.ID)+"/departments")
}

func (s *Server) createSite(w http.ResponseWriter, r *request) error {
	f := newForm(r.PostForm)
	site, err := s.store.CreateSite(r.Context(), r.actor.PersonID, r.org.ID, f.Get("site_name"))
	if err != nil {
		if f.absorb(err) {
			return s.showDepartments(w, r, http.StatusUnprocessableEntity, newForm(nil), f)
		}
		return err
	}
	s.setFlash(w, site.Name+" has been added.")
	return redirect(w, r, orgURL(r.org.ID)+"/departments")
}

func (s *Server) deleteSite(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("site")
	if err != nil {
		return err
	}
	if err := s.store.DeleteSite(r.Context(), r.actor.PersonID, r.org.ID, id); err != nil {
		if upskill.ErrorCode(err) == upskill.ECONFLICT {
			f := newForm(nil)
			f.Add("", upskill.ErrorMessage(err))
			return s.showDepartments(w, r, http.StatusConflict, newForm(nil), f)
		}
		return err
	}
	s.setFlash(w, "The site has been removed.")
	return redirect(w, r, orgURL(r.org.ID)+"/departments")
}

// setDepartmentSite places a department at one of the organisation's
// sites, or at none.
func (s *Server) setDepartmentSite(w http.ResponseWriter, r *request) error {
	unit, err := s.unitOf(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	siteID, err := strconv.ParseInt(f.Get("site"), 10, 64)
	if err != nil || siteID < 0 {
		f.Add("site", "Choose one of the organisation's sites")
	} else if err := s.store.SetDepartmentSite(r.Context(), r.actor.PersonID, r.org.ID, unit.ID, siteID); err != nil {
		if !f.absorb(err) {
			return err
		}
	}
	if f.HasErrors() {
		f.Values.Set("name", unit.Name)
		return s.showDepartment(w, r, http.StatusUnprocessableEntity, unit, f, newForm(nil))
	}
	s.setFlash(w, "The site has been saved.")
	return redirect(w, r, deptURL(r.org.ID, unit.ID))
}
