package web

import (
	"net/http"
	"strconv"

	"upskill"
	"upskill/store"
)

// Organisation admins assign learning to a person or a group of their
// staff, and supervisors to the people they line manage, with a due date,
// whether it is mandatory and when it comes round again. Everything acts
// on r.org; a supervisor sees and ends only the assignments they made.

func assignmentsURL(orgID int64) string { return orgURL(orgID) + "/assignments" }

// assigner says whose assignments the actor sees and ends at r.org: 0 for
// all of them (an organisation admin), or their own id (a supervisor).
func assigner(r *request) (upskill.StaffScope, int64) {
	scope := r.actor.StaffScope(r.org.Ref())
	if scope == upskill.ScopeReports {
		return scope, r.actor.PersonID
	}
	return scope, 0
}

// AssignmentsView lists an organisation's assignments, or a supervisor's.
type AssignmentsView struct {
	Page
	Org         *upskill.Organisation
	Assignments []store.Assignment
	TeamOnly    bool // a supervisor's own
}

func (s *Server) assignments(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	scope, createdBy := assigner(r)
	list, err := s.store.Assignments(ctx, r.org.ID, createdBy)
	if err != nil {
		return err
	}
	v := &AssignmentsView{Org: r.org, Assignments: list, TeamOnly: scope == upskill.ScopeReports}
	v.Title = "Assigned learning"
	if v.TeamOnly {
		v.Title = "Learning you have assigned"
	}
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "assignments.html", v, &v.Page)
}

// AssignFormView assigns one piece of learning.
type AssignFormView struct {
	Page
	Org         *upskill.Organisation
	Item        *upskill.ContentItem
	TeamOnly    bool // a supervisor, assigning to the people they line manage
	Who         Field
	Email       Field
	Person      Field
	Unit        Field
	StaffGroup  Field
	JobRole     Field
	Mandatory   Field
	DueDays     Field
	RenewMonths Field
}

func (s *Server) assignForm(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	f := newForm(r.PostForm)
	if r.Method == http.MethodGet {
		f = newForm(r.URL.Query())
		f.Values.Set("due_days", "30")
	}
	itemID, _ := strconv.ParseInt(f.Get("item"), 10, 64)
	if itemID == 0 {
		s.setFlash(w, "Find the learning you want to assign, then choose Assign it to your staff.")
		return redirect(w, r, "/learning")
	}
	item, err := s.store.VisibleContent(ctx, []int64{r.org.ID}, itemID)
	if err != nil {
		return upskill.Errorf(upskill.ENOTFOUND, "Choose the learning to assign from Find learning.")
	}
	scope, _ := assigner(r)
	teamOnly := scope == upskill.ScopeReports
	status := http.StatusOK
	if r.Method == http.MethodPost {
		a := store.Assignment{ItemID: item.ID, Mandatory: f.Get("mandatory") == "yes"}
		switch who := f.Get("who"); {
		case teamOnly && who == "person":
			if a.PersonID = f.Int("person"); a.PersonID == 0 {
				f.Add("person", "Select the person")
			}
		case teamOnly && who == "team":
			a.LineManagerID = r.actor.PersonID
		case teamOnly:
			f.Add("who", "Choose whom to assign the learning to")
		case who == "person":
			if email := f.Get("email"); email != "" {
				id, err := s.store.MemberIDByEmail(ctx, r.org.ID, email)
				if err != nil {
					f.Add("email", "Enter the email address of someone who works in "+r.org.Name)
				}
				a.PersonID = id
			} else {
				f.Add("email", "Enter the email address of the person")
			}
		case who == "unit":
			if a.UnitID = f.Int("unit"); a.UnitID == 0 {
				f.Add("unit", "Select a department or team")
			}
		case who == "staff_group":
			if a.StaffGroup = upskill.StaffGroup(f.Get("staff_group")); a.StaffGroup == "" {
				f.Add("staff_group", "Select a staff group")
			}
		case who == "job_role":
			if a.JobRole = f.Get("job_role"); a.JobRole == "" {
				f.Add("job_role", "Enter a job role")
			}
		default:
			f.Add("who", "Choose whom to assign the learning to")
		}
		var err error
		if a.DueDays, err = strconv.Atoi(f.Get("due_days")); err != nil {
			f.Add("due_days", "Enter the number of days people have, like 30")
		}
		if raw := f.Get("renew_months"); raw != "" {
			if a.RenewMonths, err = strconv.Atoi(raw); err != nil {
				f.Add("renew_months", "Enter a number of months, like 12, or leave it empty")
			}
		}
		if !f.HasErrors() {
			_, err := s.store.CreateAssignment(ctx, r.actor.PersonID, r.org.Ref(), scope, a)
			if err == nil {
				s.setFlash(w, item.Published.Title+" has been assigned. The people it covers have it in their learning now, and people who join later will get it too.")
				return redirect(w, r, assignmentsURL(r.org.ID))
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	}
	v := &AssignFormView{Org: r.org, Item: item, TeamOnly: teamOnly,
		Mandatory:   options(field(f, "mandatory", "label", "Mandatory"), f, []Option{{Value: "yes", Label: "This learning is mandatory"}}),
		DueDays:     field(f, "due_days", "label", "Days to complete it", "hint", "From when each person is assigned it, including people who join later", "class", "nhsuk-input--width-4", "inputmode", "numeric"),
		RenewMonths: field(f, "renew_months", "label", "Renew every (months)", "hint", "Optional. People are assigned it again this long after they complete it, like 12 for yearly.", "class", "nhsuk-input--width-4", "inputmode", "numeric"),
	}
	if teamOnly {
		team, err := s.store.People(ctx, r.org.ID, store.PeopleFilter{LineManagerID: r.actor.PersonID, PerPage: 200})
		if err != nil {
			return err
		}
		people := []Option{{Value: "", Label: "Select the person"}}
		for _, p := range team.People {
			people = append(people, Option{Value: strconv.FormatInt(p.PersonID, 10), Label: p.Name})
		}
		v.Who = options(field(f, "who", "label", "Who is it for?"), f, []Option{
			{Value: "person", Label: "One of the people you line manage"},
			{Value: "team", Label: "Everyone you line manage", Hint: "Including people who join your team later"}})
		v.Person = options(field(f, "person", "label", "Person"), f, people)
	} else {
		units, err := s.store.Units(ctx, r.org.ID)
		if err != nil {
			return err
		}
		v.Who = options(field(f, "who", "label", "Who is it for?"), f, []Option{
			{Value: "person", Label: "One person"}, {Value: "unit", Label: "A department or team"},
			{Value: "staff_group", Label: "A staff group"}, {Value: "job_role", Label: "A job role"}})
		v.Email = field(f, "email", "label", "Email address of the person", "type", "email", "autocomplete", "off")
		v.Unit = options(field(f, "unit", "label", "Department or team", "hint", "A department includes its teams"), f, unitOptions(units, "Select a department or team"))
		v.StaffGroup = options(field(f, "staff_group", "label", "Staff group"), f, staffGroupOptions("Select a staff group"))
		v.JobRole = field(f, "job_role", "label", "Job role", "hint", "As it is recorded for your staff, like Healthcare assistant", "autocomplete", "off")
	}
	v.Form = f
	v.Title = "Assign " + item.Published.Title
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"Assigned learning", assignmentsURL(r.org.ID)})
	return s.render(w, r, status, "assign.html", v, &v.Page)
}

func (s *Server) endAssignment(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("assignment")
	if err != nil {
		return err
	}
	_, createdBy := assigner(r)
	if err := s.store.EndAssignment(r.Context(), r.actor.PersonID, r.org.ID, createdBy, id); err != nil {
		return err
	}
	s.setFlash(w, "The assignment has ended. People already enrolled keep the learning and its due date.")
	return redirect(w, r, assignmentsURL(r.org.ID))
}

// accountEmails records which emails the person wants.
func (s *Server) accountEmails(w http.ResponseWriter, r *request) error {
	chosen := map[string]bool{}
	for _, kind := range r.PostForm["emails"] {
		chosen[kind] = true
	}
	c := store.EmailChoices{DueSoon: chosen["due_soon"], Overdue: chosen["overdue"], Reassessment: chosen["reassess"]}
	if err := s.store.SetEmailChoices(r.Context(), r.actor.PersonID, c); err != nil {
		return err
	}
	if c == (store.EmailChoices{}) {
		s.setFlash(w, "You will not get emails about your learning or your assessment.")
	} else {
		s.setFlash(w, "Your email choices have been saved.")
	}
	return redirect(w, r, "/account")
}
