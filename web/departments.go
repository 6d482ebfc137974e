package web

import (
	"net/http"
	"strconv"

	"upskill"
)

// DepartmentsView lists an organisation's departments and their teams.
type DepartmentsView struct {
	Page
	Org    *upskill.Organisation
	Can    OrgAbilities
	Depts  []DepartmentRow
	Adding bool // the add form is shown with errors
}

// DepartmentRow is a department with its teams.
type DepartmentRow struct {
	upskill.Unit
	Teams []upskill.Unit
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
	return s.showDepartments(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) showDepartments(w http.ResponseWriter, r *request, status int, f *Form) error {
	ctx := r.Context()
	units, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v := &DepartmentsView{Org: r.org, Can: abilities(r.actor, r.org), Depts: groupUnits(units), Adding: f.HasErrors()}
	v.Title = "Departments and teams"
	v.Form = f
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
			return s.showDepartments(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.setFlash(w, u.Name+" has been added.")
	return redirect(w, r, orgURL(r.org.ID)+"/departments")
}

// DepartmentView is one department: its teams, and forms to rename it, add
// a team and remove it.
type DepartmentView struct {
	Page
	Org        *upskill.Organisation
	Can        OrgAbilities
	Unit       *upskill.Unit
	Department *upskill.Unit // the department of a team
	Teams      []upskill.Unit
	Rename     *Form
	TeamForm   *Form
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
