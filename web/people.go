package web

import (
	"net/http"
	"net/url"
	"strconv"

	"upskill"
	"upskill/store"
)

func personURL(orgID, personID int64) string {
	return orgURL(orgID) + "/people/" + strconv.FormatInt(personID, 10)
}

// PeopleView is the searchable, filterable list of an organisation's people
// (or, for a supervisor, of the people they line manage).
type PeopleView struct {
	Page
	Org         *upskill.Organisation
	Can         OrgAbilities
	ReportsOnly bool
	Filters     *Form
	Units       []Option
	StaffGroups []Option
	Roles       []Option
	Result      *store.PeoplePage
	Pagination  Pagination
	Filtered    bool
}

func (s *Server) people(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := newForm(q)
	filter := store.PeopleFilter{
		Query:      f.Get("q"),
		UnitID:     f.Int("unit"),
		StaffGroup: upskill.StaffGroup(f.Get("staff_group")),
		PerPage:    50,
	}
	filter.Page = int(f.Int("page"))
	if role, ok := upskill.ParseRole(f.Get("role")); ok {
		filter.Role = role
	}
	if !filter.StaffGroup.Valid() {
		filter.StaffGroup = ""
	}
	v := &PeopleView{Org: r.org, Can: abilities(r.actor, r.org), Filters: f,
		StaffGroups: staffGroupOptions("Any staff group"), Roles: append([]Option{{Value: "", Label: "Any role"}}, roleOptions(upskill.RolesAt(upskill.LevelOrganisation))...)}
	if r.actor.StaffScope(r.org.Ref()) == upskill.ScopeReports {
		filter.LineManagerID = r.actor.PersonID
		v.ReportsOnly = true
	}
	v.Filtered = filter.Query != "" || filter.UnitID != 0 || filter.StaffGroup != "" || filter.Role != 0
	units, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v.Units = unitOptions(units, "Any department or team")
	if v.Result, err = s.store.People(ctx, r.org.ID, filter); err != nil {
		return err
	}
	v.Pagination = paginate(r.URL, v.Result.Page, v.Result.Pages())
	v.Title = "People"
	if v.ReportsOnly {
		v.Title = "Your team"
	}
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "people.html", v, &v.Page)
}

// Pagination is the NHS pagination component's data.
type Pagination struct {
	Pages      int
	Prev, Next string
	Links      []PageLink
}

// PageLink is one numbered link, or a gap between them.
type PageLink struct {
	Number  int
	Href    string
	Current bool
	Gap     bool
}

// paginate builds links to the pages of a list, keeping the other query
// parameters, showing the first, last and nearby pages with gaps between.
func paginate(u *url.URL, page, pages int) Pagination {
	p := Pagination{Pages: pages}
	href := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = href(page - 1)
	}
	if page < pages {
		p.Next = href(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-1 || n > page+1) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, PageLink{Gap: true})
		}
		p.Links = append(p.Links, PageLink{Number: n, Href: href(n), Current: n == page})
		last = n
	}
	return p
}

// PersonView is one person as their organisation sees them.
type PersonView struct {
	Page
	Org        *upskill.Organisation
	Can        OrgAbilities
	Person     *upskill.Person
	Membership *upskill.Membership
	Invited    bool
	IsSelf     bool
}

// member loads the {person} of the path as org sees them, applying the
// actor's staff scope: a supervisor finds only the people they line manage.
func (s *Server) member(r *request) (*upskill.Person, *upskill.Membership, error) {
	id, err := r.pathID("person")
	if err != nil {
		return nil, nil, err
	}
	p, m, err := s.store.Member(r.Context(), r.org.ID, id)
	if err != nil {
		return nil, nil, err
	}
	if r.actor.StaffScope(r.org.Ref()) != upskill.ScopeAll && m.LineManagerID != r.actor.PersonID {
		return nil, nil, upskill.Errorf(upskill.ENOTFOUND, "There is no one with that number in your team.")
	}
	return p, m, nil
}

func (s *Server) person(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	p, m, err := s.member(r)
	if err != nil {
		return err
	}
	hasPassword, err := s.store.HasPassword(ctx, p.ID)
	if err != nil {
		return err
	}
	v := &PersonView{Org: r.org, Can: abilities(r.actor, r.org), Person: p, Membership: m, Invited: !hasPassword, IsSelf: p.ID == r.actor.PersonID}
	v.Title = p.Name
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"People", orgURL(r.org.ID) + "/people"})
	return s.render(w, r, http.StatusOK, "person.html", v, &v.Page)
}

// PersonFormView adds a person to an organisation or changes their roles
// and staff details there.
type PersonFormView struct {
	Page
	Org         *upskill.Organisation
	Person      *upskill.Person // nil when adding
	Roles       []Option
	StaffGroups []Option
	PayBands    []Option
	DDaTRoles   []Option
	DDaTLevels  []Option
	Units       []Option
}

func (s *Server) personForm(r *request, p *upskill.Person, f *Form) (*PersonFormView, error) {
	ctx := r.Context()
	units, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return nil, err
	}
	v := &PersonFormView{Org: r.org, Person: p, Roles: roleOptions(r.actor.AssignableRoles(r.org.Ref())),
		StaffGroups: staffGroupOptions("Not recorded"), PayBands: payBandOptions(), DDaTRoles: ddatRoleOptions(), DDaTLevels: ddatLevelOptions(), Units: unitOptions(units, "Not placed in a department")}
	v.Form = f
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return nil, err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"People", orgURL(r.org.ID) + "/people"})
	if p == nil {
		v.Title = "Add a person"
	} else {
		v.Title = "Change details for " + p.Name
		v.Crumbs = append(v.Crumbs, Crumb{p.Name, personURL(r.org.ID, p.ID)})
	}
	return v, nil
}

// attributesFrom reads the staff details of the person form. A line manager
// is given by email address and must work in the organisation.
func (s *Server) attributesFrom(r *request, f *Form) (upskill.StaffAttributes, string) {
	a := upskill.StaffAttributes{
		StaffGroup: upskill.StaffGroup(f.Get("staff_group")),
		JobRole:    f.Get("job_role"),
		PayBand:    upskill.PayBand(f.Get("pay_band")),
		UnitID:     f.Int("unit"),
		DDaTRole:   f.Get("ddat_role"),
		DDaTLevel:  f.Get("ddat_level"),
	}
	if email := f.Get("line_manager"); email != "" {
		id, err := s.store.MemberIDByEmail(r.Context(), r.org.ID, email)
		if err != nil {
			return a, "Enter the email address of a line manager who works in " + r.org.Name
		}
		a.LineManagerID = id
	}
	return a, ""
}

func (s *Server) newPerson(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	if r.Method == http.MethodGet {
		v, err := s.personForm(r, nil, newForm(map[string][]string{"roles": {upskill.RoleLearner.Key()}}))
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "person_form.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	roles := rolesFrom(f)
	attrs, lmProblem := s.attributesFrom(r, f)
	in := store.MemberInput{Email: f.Get("email"), Name: f.Get("name"), Roles: roles, StaffAttributes: attrs}
	var added *store.Added
	var err error
	if lmProblem == "" {
		added, err = s.store.AddMember(ctx, r.actor.PersonID, r.org, in)
	} else {
		err = memberProblems(r.org.Level, in, true, lmProblem)
	}
	if err != nil {
		if !f.absorb(err) {
			return err
		}
		v, err := s.personForm(r, nil, f)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "person_form.html", v, &v.Page)
	}
	s.notifyAdded(ctx, w, r, r.org, added)
	return redirect(w, r, personURL(r.org.ID, added.Person.ID))
}

// memberProblems reports every problem with a person form whose line
// manager could not be found, so that all show at once. The email address
// and name are checked only when the form adds a person.
func memberProblems(level upskill.Level, in store.MemberInput, adding bool, lmProblem string) error {
	var p upskill.Problems
	if adding {
		if msg := upskill.ValidateEmail(upskill.NormaliseEmail(in.Email)); msg != "" {
			p.Add("email", msg)
		}
		if _, msg := upskill.ValidateName(in.Name); msg != "" {
			p.Add("name", msg)
		}
	}
	upskill.CheckMembership(&p, level, in.Roles, in.StaffAttributes)
	p.Add("line_manager", lmProblem)
	return p.Err()
}

func (s *Server) editPerson(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	p, m, err := s.member(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		values := url.Values{
			"roles": roleValues(m.Roles), "staff_group": {string(m.StaffGroup)}, "job_role": {m.JobRole},
			"pay_band": {string(m.PayBand)}, "unit": {strconv.FormatInt(m.UnitID, 10)},
			"ddat_role": {m.DDaTRole}, "ddat_level": {m.DDaTLevel},
		}
		if m.LineManagerID != 0 {
			if lm, err := s.store.Person(ctx, m.LineManagerID); err == nil {
				values.Set("line_manager", lm.Email)
			}
		}
		v, err := s.personForm(r, p, newForm(values))
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "person_form.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	roles := rolesFrom(f)
	// Roles the editor may not assign are kept as they were.
	assignable := upskill.RoleSet(0)
	for _, role := range r.actor.AssignableRoles(r.org.Ref()) {
		assignable = assignable.With(role)
	}
	roles = roles&assignable | m.Roles&^assignable
	attrs, lmProblem := s.attributesFrom(r, f)
	switch {
	case p.ID == r.actor.PersonID && m.Roles.Has(upskill.RoleOrgAdmin) && !roles.Has(upskill.RoleOrgAdmin):
		msg := "You cannot remove your own admin role. Ask another admin to do it."
		err = &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "roles", Message: msg}}}
	case lmProblem != "":
		err = memberProblems(r.org.Level, store.MemberInput{Roles: roles, StaffAttributes: attrs}, false, lmProblem)
	default:
		err = s.store.UpdateMember(ctx, r.actor.PersonID, r.org, p.ID, roles, attrs)
	}
	if err != nil {
		if !f.absorb(err) {
			return err
		}
		v, err := s.personForm(r, p, f)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "person_form.html", v, &v.Page)
	}
	s.setFlash(w, "The details of "+p.Name+" have been saved.")
	return redirect(w, r, personURL(r.org.ID, p.ID))
}

// RemovePersonView asks to confirm that a person has left the organisation.
type RemovePersonView struct {
	Page
	Org    *upskill.Organisation
	Person *upskill.Person
}

func (s *Server) removePerson(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	p, _, err := s.member(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if err := s.store.EndMembership(ctx, r.actor.PersonID, r.org, p.ID); err != nil {
			return err
		}
		s.setFlash(w, p.Name+" has been removed from "+r.org.Name+". They keep their upskill account and record.")
		return redirect(w, r, orgURL(r.org.ID)+"/people")
	}
	v := &RemovePersonView{Org: r.org, Person: p}
	v.Title = "Remove " + p.Name + " from " + r.org.Name
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"People", orgURL(r.org.ID) + "/people"}, Crumb{p.Name, personURL(r.org.ID, p.ID)})
	return s.render(w, r, http.StatusOK, "person_remove.html", v, &v.Page)
}

func (s *Server) reinvite(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	p, _, err := s.member(r)
	if err != nil {
		return err
	}
	secret, err := s.store.Reinvite(ctx, r.actor.PersonID, r.org.ID, p.ID)
	if err != nil {
		return err
	}
	if err := s.sendInvitation(ctx, p.Email, p.Name, r.org.Name, r.actor.Name, secret); err != nil {
		return upskill.Errorf(upskill.EUNAVAILABLE, "The invitation could not be sent. Try again later.")
	}
	s.setFlash(w, "A new invitation has been sent to "+p.Email+".")
	return redirect(w, r, personURL(r.org.ID, p.ID))
}
