package web

import (
	"context"
	"net/http"
	"strconv"

	"upskill"
	"upskill/store"
)

// orgURL is the page of a node of the hierarchy.
func orgURL(id int64) string { return "/organisations/" + strconv.FormatInt(id, 10) }

// trail returns the breadcrumbs down to org: Home, then each node above it
// that the person may see, then org itself when self is set.
func (s *Server) trail(ctx context.Context, r *request, org *upskill.Organisation, self bool) ([]Crumb, error) {
	var chain []*upskill.Organisation
	if self {
		chain = append(chain, org)
	}
	for id := org.ParentID; id != 0; {
		p, err := s.store.Organisation(ctx, id)
		if err != nil {
			return nil, err
		}
		chain = append(chain, p)
		id = p.ParentID
	}
	crumbs := []Crumb{{"Home", "/home"}}
	for i := len(chain) - 1; i >= 0; i-- {
		if r.actor.Can(upskill.SeeOrganisation, chain[i].Ref()) {
			crumbs = append(crumbs, Crumb{chain[i].Name, orgURL(chain[i].ID)})
		}
	}
	return crumbs, nil
}

// OrgAbilities says which actions a page should offer on a node.
type OrgAbilities struct {
	Manage, CreateChild, ManageAdmins, SeeStaff, ManageStaff, SeeInsight bool
}

func abilities(a *upskill.Actor, org *upskill.Organisation) OrgAbilities {
	ref := org.Ref()
	return OrgAbilities{
		Manage:       a.Can(upskill.ManageOrganisation, ref),
		CreateChild:  a.Can(upskill.CreateChild, ref),
		ManageAdmins: a.Can(upskill.ManageAdmins, ref),
		SeeStaff:     a.Can(upskill.SeeStaff, ref),
		ManageStaff:  a.Can(upskill.ManageStaff, ref),
		SeeInsight:   a.Can(upskill.SeeInsight, ref),
	}
}

// OrganisationView is the page of a node: the nation with its regions, a
// region with its organisations, or an organisation with its settings.
type OrganisationView struct {
	Page
	Org       *upskill.Organisation
	Can       OrgAbilities
	Children  []store.ChildSummary
	ChildNoun string
	Admins    []store.PersonRow
	AdminRole upskill.Role
	Staff     int
	Units     int
}

func (s *Server) organisation(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	org := r.org
	v := &OrganisationView{Org: org, Can: abilities(r.actor, org), ChildNoun: string(org.Level.ChildLevel()), AdminRole: upskill.AdminRole(org.Level)}
	v.Title = org.Name
	var err error
	if v.Crumbs, err = s.trail(ctx, r, org, false); err != nil {
		return err
	}
	if org.Level != upskill.LevelOrganisation {
		if v.Children, err = s.store.Children(ctx, org.ID); err != nil {
			return err
		}
	} else {
		staff, units, err := s.store.OrgCounts(ctx, org.ID)
		if err != nil {
			return err
		}
		v.Units = units
		if v.Can.SeeStaff && r.actor.StaffScope(org.Ref()) == upskill.ScopeAll {
			v.Staff = staff
		}
	}
	if v.Can.ManageAdmins {
		if v.Admins, err = s.store.Admins(ctx, org); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "organisation.html", v, &v.Page)
}

// OrgFormView is the form that creates a node below another, or changes a
// node's settings.
type OrgFormView struct {
	Page
	Org      *upskill.Organisation // the node changed, or the parent of the new one
	Level    upskill.Level         // the level of the node the form is for
	Creating bool
	Types    []Option
}

func (s *Server) organisationSettings(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	org := r.org
	v := &OrgFormView{Org: org, Level: org.Level, Types: orgTypeOptions()}
	v.Title = "Change " + org.Noun() + " details"
	var err error
	if v.Crumbs, err = s.trail(ctx, r, org, true); err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		v.Form = newForm(map[string][]string{
			"name": {org.Name}, "type": {string(org.Type)}, "code": {org.Code},
			"reassess_months": {strconv.Itoa(org.ReassessMonths)},
		})
		return s.render(w, r, http.StatusOK, "organisation_form.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	v.Form = f
	in, ok := orgInput(f)
	if ok {
		err := s.store.UpdateOrganisation(ctx, r.actor.PersonID, org, in)
		if err == nil {
			s.setFlash(w, "The "+org.Noun()+" details have been saved.")
			return redirect(w, r, orgURL(org.ID))
		}
		if !f.absorb(err) {
			return err
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "organisation_form.html", v, &v.Page)
}

// orgInput reads the organisation form. It reports false when a number
// could not be read, having recorded why.
func orgInput(f *Form) (upskill.OrganisationInput, bool) {
	in := upskill.OrganisationInput{Name: f.Get("name"), Type: upskill.OrgType(f.Get("type")), Code: f.Get("code")}
	if raw := f.Get("reassess_months"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			f.Add("reassess_months", "Reassessment cycle must be a whole number of months, like 12")
			return in, false
		}
		in.ReassessMonths = n
	}
	return in, true
}

func (s *Server) newChild(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	parent := r.org
	level := parent.Level.ChildLevel()
	v := &OrgFormView{Org: parent, Level: level, Creating: true, Types: orgTypeOptions()}
	v.Title = "Add " + article(string(level))
	var err error
	if v.Crumbs, err = s.trail(ctx, r, parent, true); err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		v.Form = newForm(nil)
		return s.render(w, r, http.StatusOK, "organisation_form.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	v.Form = f
	if in, ok := orgInput(f); ok {
		child, err := s.store.CreateChild(ctx, r.actor.PersonID, parent, in)
		if err == nil {
			s.setFlash(w, child.Name+" has been added. Next, add its "+adminNoun(child.Level)+".")
			return redirect(w, r, orgURL(child.ID))
		}
		if !f.absorb(err) {
			return err
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "organisation_form.html", v, &v.Page)
}

func adminNoun(level upskill.Level) string {
	switch level {
	case upskill.LevelRegion:
		return "region leads"
	case upskill.LevelNation:
		return "national admins"
	}
	return "organisation admins"
}

func article(noun string) string {
	switch noun[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + noun
	}
	return "a " + noun
}

// AdminFormView adds a person who runs a node: an organisation admin, a
// region lead or a national admin.
type AdminFormView struct {
	Page
	Org  *upskill.Organisation
	Role upskill.Role
}

func (s *Server) newAdmin(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	org := r.org
	role := upskill.AdminRole(org.Level)
	v := &AdminFormView{Org: org, Role: role}
	v.Title = "Add " + article(lowerFirst(role.Label()))
	var err error
	if v.Crumbs, err = s.trail(ctx, r, org, true); err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		v.Form = newForm(nil)
		return s.render(w, r, http.StatusOK, "admin_form.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	v.Form = f
	added, err := s.store.AddMember(ctx, r.actor.PersonID, org, store.MemberInput{
		Email: f.Get("email"), Name: f.Get("name"), Roles: upskill.RoleSet(role),
	})
	if err != nil {
		if upskill.ErrorCode(err) == upskill.ECONFLICT {
			// Already a member: give them the role instead.
			return s.grantAdmin(w, r, f, v)
		}
		if f.absorb(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "admin_form.html", v, &v.Page)
		}
		return err
	}
	s.notifyAdded(ctx, w, r, org, added)
	return redirect(w, r, orgURL(org.ID))
}

// grantAdmin gives the admin role to someone who is already a member.
func (s *Server) grantAdmin(w http.ResponseWriter, r *request, f *Form, v *AdminFormView) error {
	ctx := r.Context()
	id, err := s.store.MemberIDByEmail(ctx, v.Org.ID, f.Get("email"))
	if err != nil {
		return err
	}
	_, m, err := s.store.Member(ctx, v.Org.ID, id)
	if err != nil {
		return err
	}
	if err := s.store.UpdateMember(ctx, r.actor.PersonID, v.Org, id, m.Roles.With(v.Role), m.StaffAttributes); err != nil {
		if f.absorb(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "admin_form.html", v, &v.Page)
		}
		return err
	}
	s.setFlash(w, f.Get("email")+" is now "+article(lowerFirst(v.Role.Label()))+" of "+v.Org.Name+".")
	return redirect(w, r, orgURL(v.Org.ID))
}

// notifyAdded emails a person added to org: an invitation when they are new
// to the service, a notice when they already have an account.
func (s *Server) notifyAdded(ctx context.Context, w http.ResponseWriter, r *request, org *upskill.Organisation, added *store.Added) {
	p := added.Person
	var err error
	if added.Invitation != "" {
		err = s.sendInvitation(ctx, p.Email, p.Name, org.Name, r.actor.Name, added.Invitation)
	} else {
		err = s.sendAddedNotice(ctx, p.Email, p.Name, org.Name, r.actor.Name)
	}
	switch {
	case err != nil:
		s.setFlash(w, p.Name+" has been added, but the email to "+p.Email+" could not be sent. Send it again from their page.")
	case added.Invitation != "":
		s.setFlash(w, p.Name+" has been added and invited by email to set up their account.")
	default:
		s.setFlash(w, p.Name+" already had an upskill account and has been added to "+org.Name+".")
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// AuditView lists the recorded administrative actions on a node.
type AuditView struct {
	Page
	Org    *upskill.Organisation
	Events []store.AuditEvent
}

func (s *Server) audit(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	events, err := s.store.AuditEvents(ctx, r.org.ID, 200)
	if err != nil {
		return err
	}
	v := &AuditView{Org: r.org, Events: events}
	v.Title = "Audit log"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audit.html", v, &v.Page)
}
