package web

import (
	"net/http"
	"strconv"

	"upskill"
	"upskill/store"
)

// Organisation admins assign learning to a person or a group of their
// staff, with a due date, whether it is mandatory and when it comes round
// again. Everything acts on r.org.

func assignmentsURL(orgID int64) string { return orgURL(orgID) + "/assignments" }

// AssignmentsView lists an organisation's assignments.
type AssignmentsView struct {
	Page
	Org         *upskill.Organisation
	Assignments []store.Assignment
}

func (s *Server) assignments(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	list, err := s.store.Assignments(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v := &AssignmentsView{Org: r.org, Assignments: list}
	v.Title = "Assigned learning"
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
	Who         Field
	Email       Field
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
	status := http.StatusOK
	if r.Method == http.MethodPost {
		a := store.Assignment{ItemID: item.ID, Mandatory: f.Get("mandatory") == "yes"}
		switch f.Get("who") {
		case "person":
			if email := f.Get("email"); email != "" {
				id, err := s.store.MemberIDByEmail(ctx, r.org.ID, email)
				if err != nil {
					f.Add("email", "Enter the email address of someone who works in "+r.org.Name)
				}
				a.PersonID = id
			} else {
				f.Add("email", "Enter the email address of the person")
			}
		case "unit":
			if a.UnitID = f.Int("unit"); a.UnitID == 0 {
				f.Add("unit", "Select a department or team")
			}
		case "staff_group":
			if a.StaffGroup = upskill.StaffGroup(f.Get("staff_group")); a.StaffGroup == "" {
				f.Add("staff_group", "Select a staff group")
			}
		case "job_role":
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
			_, err := s.store.CreateAssignment(ctx, r.actor.PersonID, r.org.Ref(), a)
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
	units, err := s.store.Units(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v := &AssignFormView{Org: r.org, Item: item,
		Who: options(field(f, "who", "label", "Who is it for?"), f, []Option{
			{Value: "person", Label: "One person"}, {Value: "unit", Label: "A department or team"},
			{Value: "staff_group", Label: "A staff group"}, {Value: "job_role", Label: "A job role"}}),
		Email:       field(f, "email", "label", "Email address of the person", "type", "email", "autocomplete", "off"),
		Unit:        options(field(f, "unit", "label", "Department or team", "hint", "A department includes its teams"), f, unitOptions(units, "Select a department or team")),
		StaffGroup:  options(field(f, "staff_group", "label", "Staff group"), f, staffGroupOptions("Select a staff group")),
		JobRole:     field(f, "job_role", "label", "Job role", "hint", "As it is recorded for your staff, like Healthcare assistant", "autocomplete", "off"),
		Mandatory:   options(field(f, "mandatory", "label", "Mandatory"), f, []Option{{Value: "yes", Label: "This learning is mandatory"}}),
		DueDays:     field(f, "due_days", "label", "Days to complete it", "hint", "From when each person is assigned it, including people who join later", "class", "nhsuk-input--width-4", "inputmode", "numeric"),
		RenewMonths: field(f, "renew_months", "label", "Renew every (months)", "hint", "Optional. People are assigned it again this long after they complete it, like 12 for yearly.", "class", "nhsuk-input--width-4", "inputmode", "numeric"),
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
	if err := s.store.EndAssignment(r.Context(), r.actor.PersonID, r.org.ID, id); err != nil {
		return err
	}
	s.setFlash(w, "The assignment has ended. People already enrolled keep the learning and its due date.")
	return redirect(w, r, assignmentsURL(r.org.ID))
}

// accountEmails turns emails about learning on or off.
func (s *Server) accountEmails(w http.ResponseWriter, r *request) error {
	on := r.PostForm.Get("learning_emails") == "yes"
	if err := s.store.SetLearningEmails(r.Context(), r.actor.PersonID, on); err != nil {
		return err
	}
	if on {
		s.setFlash(w, "You will get emails before your learning is due and when it is overdue.")
	} else {
		s.setFlash(w, "You will not get emails about your learning.")
	}
	return redirect(w, r, "/account")
}
