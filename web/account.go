package web

import (
	"net/http"

	"upskill"
)

// AccountView is a person's own details and every membership they have had.
type AccountView struct {
	Page
	Person      *upskill.Person
	Memberships []upskill.Membership
	// Emails chooses the kinds of email the person wants.
	Emails Field
}

func (s *Server) account(w http.ResponseWriter, r *request) error {
	return s.showAccount(w, r, http.StatusOK, newForm(map[string][]string{"name": {r.actor.Name}}))
}

func (s *Server) showAccount(w http.ResponseWriter, r *request, status int, f *Form) error {
	ctx := r.Context()
	p, err := s.store.Person(ctx, r.actor.PersonID)
	if err != nil {
		return err
	}
	ms, err := s.store.Memberships(ctx, p.ID)
	if err != nil {
		return err
	}
	choices, err := s.store.EmailChoicesOf(ctx, p.ID)
	if err != nil {
		return err
	}
	emails := newForm(nil)
	for kind, on := range map[string]bool{"due_soon": choices.DueSoon, "overdue": choices.Overdue, "reassess": choices.Reassessment} {
		if on {
			emails.Values.Add("emails", kind)
		}
	}
	v := &AccountView{Person: p, Memberships: ms,
		Emails: options(field(emails, "emails", "label", "Which emails do you want?", "hint", "Select all that apply"), emails, []Option{
			{Value: "due_soon", Label: "A reminder a week before learning assigned to me is due"},
			{Value: "overdue", Label: "A note when learning assigned to me is overdue"},
			{Value: "reassess", Label: "An invitation to take the digital skills assessment again when my organisation's cycle comes round"}})}
	v.Title = "Your account"
	v.Form = f
	v.Crumbs = []Crumb{{"Home", "/home"}}
	return s.render(w, r, status, "account.html", v, &v.Page)
}

func (s *Server) accountName(w http.ResponseWriter, r *request) error {
	f := newForm(r.PostForm)
	if err := s.store.SetName(r.Context(), r.actor.PersonID, f.Get("name")); err != nil {
		if f.absorb(err) {
			return s.showAccount(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.setFlash(w, "Your name has been changed.")
	return redirect(w, r, "/account")
}

// PasswordView is the form to change one's own password.
type PasswordView struct {
	Page
}

func (s *Server) accountPassword(w http.ResponseWriter, r *request) error {
	v := &PasswordView{}
	v.Title = "Change your password"
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Your account", "/account"}}
	v.Form = newForm(r.PostForm)
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "account_password.html", v, &v.Page)
	}
	ctx := r.Context()
	f := v.Form
	current, next := f.Values.Get("current_password"), f.Values.Get("new_password")
	hash, err := s.store.PasswordHash(ctx, r.actor.PersonID)
	if err != nil {
		return err
	}
	if current == "" {
		f.Add("current_password", "Enter your current password")
	} else if ok, _ := s.hasher.Check(ctx, current, hash); !ok {
		f.Add("current_password", "Your current password is not right")
	}
	if msg := upskill.ValidatePassword(next, r.actor.Email); msg != "" {
		f.Add("new_password", msg)
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "account_password.html", v, &v.Page)
	}
	newHash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, r.actor.PersonID, newHash, r.session.Hash); err != nil {
		return err
	}
	s.setFlash(w, "Your password has been changed. You have been signed out everywhere else.")
	return redirect(w, r, "/account")
}
