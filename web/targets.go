package web

import (
	"net/http"
	"strconv"

	"upskill"
)

// Targets say where a role needs staff to be in each statement. An
// organisation sets its own; national admins set the defaults used where
// an organisation has none. They fill in "where you need to be" for staff.

func targetsURL(orgID int64) string { return orgURL(orgID) + "/targets" }

// targetOwner is the organisation id a node's targets are stored under:
// 0, the national defaults, for the nation.
func targetOwner(org *upskill.Organisation) int64 {
	if org.Level == upskill.LevelNation {
		return 0
	}
	return org.ID
}

// TargetsView lists a node's targets.
type TargetsView struct {
	Page
	Org       *upskill.Organisation
	Framework *upskill.Framework
	Targets   []upskill.TargetProfile
	National  bool
}

func (s *Server) targets(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, _, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	list, err := s.store.TargetProfiles(ctx, fw.ID, targetOwner(r.org))
	if err != nil {
		return err
	}
	v := &TargetsView{Org: r.org, Framework: fw, Targets: list, National: r.org.Level == upskill.LevelNation}
	v.Title = "Targets for roles"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "targets.html", v, &v.Page)
}

// TargetFormView creates or changes a target.
type TargetFormView struct {
	Page
	Org         *upskill.Organisation
	Target      *upskill.TargetProfile // nil when creating
	StaffGroups []Option
	Domains     []TargetDomain
	Action      string
}

// TargetDomain is one domain's statements on the target form.
type TargetDomain struct {
	Name   string
	Fields []Field
}

func (s *Server) targetForm(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	var existing *upskill.TargetProfile
	if r.PathValue("target") != "" {
		id, err := r.pathID("target")
		if err != nil {
			return err
		}
		if existing, err = s.store.TargetProfile(ctx, targetOwner(r.org), id); err != nil {
			return err
		}
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		t := &upskill.TargetProfile{FrameworkID: fw.ID, OrganisationID: targetOwner(r.org), Name: f.Get("name"),
			StaffGroup: upskill.StaffGroup(f.Get("staff_group")), JobRole: f.Get("job_role"), Needed: map[string]int{}}
		if existing != nil {
			t.ID = existing.ID
		}
		for _, c := range version.Capabilities() {
			raw := f.Get("needed-" + c.Code)
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				f.Add("needed-"+c.Code, "Choose a target from 0 to 10")
				continue
			}
			t.Needed[c.Code] = n
		}
		if !f.HasErrors() {
			_, err := s.store.SaveTargetProfile(ctx, r.actor.PersonID, t)
			if err == nil {
				s.setFlash(w, "The target "+t.Name+" has been saved.")
				return redirect(w, r, targetsURL(r.org.ID))
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else if existing != nil {
		f.Values.Set("name", existing.Name)
		f.Values.Set("staff_group", string(existing.StaffGroup))
		f.Values.Set("job_role", existing.JobRole)
		for code, n := range existing.Needed {
			f.Values.Set("needed-"+code, strconv.Itoa(n))
		}
	}
	view := &TargetFormView{Org: r.org, Target: existing, StaffGroups: staffGroupOptions("None: the target is for a job role")}
	levels := []Option{{Value: "", Label: "No target"}}
	for i := 0; i <= upskill.ScaleMax; i++ {
		levels = append(levels, Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	for _, d := range version.Domains {
		td := TargetDomain{Name: d.Name}
		for _, c := range d.Capabilities {
			td.Fields = append(td.Fields, options(field(f, "needed-"+c.Code, "label", c.Code+". "+c.Statement), f, levels))
		}
		view.Domains = append(view.Domains, td)
	}
	view.Action = targetsURL(r.org.ID) + "/new"
	view.Title = "Set a target for a role"
	if existing != nil {
		view.Action = targetsURL(r.org.ID) + "/" + strconv.FormatInt(existing.ID, 10)
		view.Title = "Change the target " + existing.Name
	}
	view.Form = f
	var err2 error
	if view.Crumbs, err2 = s.trail(ctx, r, r.org, true); err2 != nil {
		return err2
	}
	view.Crumbs = append(view.Crumbs, Crumb{"Targets for roles", targetsURL(r.org.ID)})
	return s.render(w, r, status, "target_form.html", view, &view.Page)
}

func (s *Server) deleteTarget(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("target")
	if err != nil {
		return err
	}
	if err := s.store.DeleteTargetProfile(r.Context(), r.actor.PersonID, targetOwner(r.org), id); err != nil {
		return err
	}
	s.setFlash(w, "The target has been removed.")
	return redirect(w, r, targetsURL(r.org.ID))
}
