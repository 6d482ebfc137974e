package web

import (
	"crypto/subtle"
	"net/http"
	"time"

	"upskill"
	"upskill/store"
)

// How many failed sign-ins lock an email address or a client address, and
// for how long. The address limit is higher because many staff can share
// one network address in a hospital.
var (
	emailRule = store.ThrottleRule{Limit: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute}
	addrRule  = store.ThrottleRule{Limit: 50, Window: 15 * time.Minute, LockFor: 15 * time.Minute}
	resetRule = store.ThrottleRule{Limit: 3, Window: time.Hour, LockFor: time.Hour}
)

// SignInView is the sign-in page.
type SignInView struct {
	Page
	Next string
}

func (s *Server) signIn(w http.ResponseWriter, r *request) error {
	next := safeNext(r.FormValue("next"))
	if r.actor != nil && r.Method == http.MethodGet {
		return redirect(w, r, next)
	}
	v := &SignInView{Next: next}
	v.Title = "Sign in"
	v.Form = newForm(r.PostForm)
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "sign_in.html", v, &v.Page)
	}
	f := v.Form
	email := upskill.NormaliseEmail(f.Get("email"))
	pw := f.Values.Get("password")
	if email == "" {
		f.Add("email", "Enter your email address")
	}
	if pw == "" {
		f.Add("password", "Enter your password")
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "sign_in.html", v, &v.Page)
	}
	ctx := r.Context()
	emailKey, addrKey := store.EmailThrottleKey(email), store.AddressThrottleKey(s.clientAddr(r.Request))
	until, err := s.store.ThrottledUntil(ctx, emailKey, addrKey)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		f.Errors = append(f.Errors, lockedMessage(until))
		return s.render(w, r, http.StatusTooManyRequests, "sign_in.html", v, &v.Page)
	}
	person, hash, err := s.store.Credentials(ctx, email)
	if err != nil && upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return err
	}
	ok, err := s.hasher.Check(ctx, pw, hash)
	if err != nil {
		s.log.ErrorContext(ctx, "check password", "err", err)
		ok = false
	}
	if !ok || person == nil {
		lockedA, err := s.store.Throttle(ctx, emailKey, emailRule)
		if err != nil {
			return err
		}
		lockedB, err := s.store.Throttle(ctx, addrKey, addrRule)
		if err != nil {
			return err
		}
		if lockedB.After(lockedA) {
			lockedA = lockedB
		}
		if !lockedA.IsZero() {
			f.Errors = append(f.Errors, lockedMessage(lockedA))
			return s.render(w, r, http.StatusTooManyRequests, "sign_in.html", v, &v.Page)
		}
		msg := "Enter a correct email address and password"
		f.Errors = append(f.Errors, upskill.FieldError{Field: "email", Message: msg})
		return s.render(w, r, http.StatusUnprocessableEntity, "sign_in.html", v, &v.Page)
	}
	if err := s.store.ClearThrottle(ctx, emailKey); err != nil {
		return err
	}
	if s.hasher.NeedsRehash(hash) {
		if newHash, err := s.hasher.Hash(ctx, pw); err == nil {
			if err := s.store.RehashPassword(ctx, person.ID, hash, newHash); err != nil {
				s.log.WarnContext(ctx, "store a stronger password hash", "err", err)
			}
		}
	}
	if err := s.startSession(w, r, person.ID); err != nil {
		return err
	}
	return redirect(w, r, next)
}

func lockedMessage(until time.Time) upskill.FieldError {
	return upskill.FieldError{Message: "You have entered the wrong details too many times. Try again after " +
		until.In(london).Format("3:04pm") + ", or reset your password."}
}

// startSession signs a person in. Any session the browser had is ended
// first, so that a session id known before sign-in is useless after it.
func (s *Server) startSession(w http.ResponseWriter, r *request, personID int64) error {
	ctx := r.Context()
	if r.session != nil {
		if err := s.store.DeleteSession(ctx, r.session.Hash); err != nil {
			return err
		}
	}
	secret, err := s.store.CreateSession(ctx, personID)
	if err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, secret, int(s.cfg.SessionMax.Seconds()))
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *request) error {
	if r.session != nil {
		if err := s.store.DeleteSession(r.Context(), r.session.Hash); err != nil {
			return err
		}
	}
	s.clearCookie(w, sessionCookie)
	s.setFlash(w, "You have signed out.")
	return redirect(w, r, "/sign-in")
}

// SetupView is the one-time page that creates the first national admin.
type SetupView struct {
	Page
}

func (s *Server) setup(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	done, err := s.store.HasNationalAdmin(ctx)
	if err != nil {
		return err
	}
	if done {
		return upskill.Errorf(upskill.ENOTFOUND, "This service has already been set up. Sign in, or ask a national admin to add you.")
	}
	v := &SetupView{}
	v.Title = "Set up upskill"
	if r.Method == http.MethodGet {
		v.Form = newForm(map[string][]string{"code": {r.URL.Query().Get("code")}, "nation": {s.cfg.NationName}})
		return s.render(w, r, http.StatusOK, "setup.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	v.Form = f
	code, err := s.store.SetupCode(ctx)
	if err != nil {
		return err
	}
	if got := f.Get("code"); got == "" {
		f.Add("code", "Enter the setup code shown in the server's log")
	} else if subtle.ConstantTimeCompare([]byte(got), []byte(code)) != 1 {
		f.Add("code", "The setup code is not right. Copy it from the server's log")
	}
	in := upskill.OrganisationInput{Name: f.Get("nation")}
	if err := in.Validate(upskill.LevelNation); err != nil {
		f.Add("nation", "Enter the name of the nation or service, for example England")
	}
	if name, msg := upskill.ValidateName(f.Get("name")); msg != "" {
		f.Add("name", msg)
	} else {
		f.Values.Set("name", name)
	}
	email := upskill.NormaliseEmail(f.Get("email"))
	if msg := upskill.ValidateEmail(email); msg != "" {
		f.Add("email", msg)
	}
	if msg := upskill.ValidatePassword(f.Values.Get("password"), email); msg != "" {
		f.Add("password", msg)
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "setup.html", v, &v.Page)
	}
	hash, err := s.hasher.Hash(ctx, f.Values.Get("password"))
	if err != nil {
		return err
	}
	p, err := s.store.CreateNationalAdmin(ctx, 0, in.Name, store.NewAccount{Email: email, Name: f.Get("name"), PasswordHash: hash})
	if err != nil {
		if f.absorb(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "setup.html", v, &v.Page)
		}
		return err
	}
	if secret, err := s.store.IssueToken(ctx, store.TokenVerifyEmail, p.ID); err == nil {
		s.sendVerification(ctx, p.Email, p.Name, secret)
	}
	if err := s.startSession(w, r, p.ID); err != nil {
		return err
	}
	s.setFlash(w, "upskill is set up and you are its first national admin. Next, add a region.")
	return redirect(w, r, "/home")
}

// InvitationView is where an invited person sets up their account.
type InvitationView struct {
	Page
	Invitation *store.TokenInfo
	Token      string
}

func (s *Server) invitation(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	secret := r.PathValue("token")
	info, err := s.store.Token(ctx, store.TokenInvitation, secret)
	if err != nil {
		return err
	}
	v := &InvitationView{Invitation: info, Token: secret}
	v.Title = "Set up your account"
	if r.Method == http.MethodGet {
		v.Form = newForm(map[string][]string{"name": {info.Name}})
		return s.render(w, r, http.StatusOK, "invitation.html", v, &v.Page)
	}
	f := newForm(r.PostForm)
	v.Form = f
	name, msg := upskill.ValidateName(f.Get("name"))
	if msg != "" {
		f.Add("name", msg)
	}
	pw := f.Values.Get("password")
	if msg := upskill.ValidatePassword(pw, info.Email); msg != "" {
		f.Add("password", msg)
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "invitation.html", v, &v.Page)
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	personID, err := s.store.AcceptInvitation(ctx, secret, name, hash)
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, personID); err != nil {
		return err
	}
	s.setFlash(w, "Your account is set up. Welcome to upskill.")
	return redirect(w, r, "/home")
}

// MessageView is a page that tells the person one thing and where to go next.
type MessageView struct {
	Page
	Heading  string
	Lines    []string
	LinkText string
	LinkHref string
}

func (s *Server) message(w http.ResponseWriter, r *request, heading string, lines []string, linkText, linkHref string) error {
	v := &MessageView{Heading: heading, Lines: lines, LinkText: linkText, LinkHref: linkHref}
	v.Title = heading
	return s.render(w, r, http.StatusOK, "message.html", v, &v.Page)
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *request) error {
	if _, err := s.store.VerifyEmail(r.Context(), r.PathValue("token")); err != nil {
		return err
	}
	if r.actor != nil {
		s.setFlash(w, "Your email address is confirmed.")
		return redirect(w, r, "/home")
	}
	return s.message(w, r, "Email address confirmed", []string{"Thank you. Your email address is confirmed."}, "Sign in", "/sign-in")
}

func (s *Server) resendVerification(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	if r.actor.EmailVerified {
		return redirect(w, r, "/account")
	}
	secret, err := s.store.IssueToken(ctx, store.TokenVerifyEmail, r.actor.PersonID)
	if err != nil {
		return err
	}
	if err := s.sendVerification(ctx, r.actor.Email, r.actor.Name, secret); err != nil {
		return upskill.Errorf(upskill.EUNAVAILABLE, "The email could not be sent. Try again later.")
	}
	s.setFlash(w, "We have sent a new link to "+r.actor.Email+".")
	return redirect(w, r, "/home")
}

// ForgotPasswordView asks for the address to send a reset link to.
type ForgotPasswordView struct {
	Page
}

func (s *Server) forgotPassword(w http.ResponseWriter, r *request) error {
	v := &ForgotPasswordView{}
	v.Title = "Reset your password"
	v.Form = newForm(r.PostForm)
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "forgot_password.html", v, &v.Page)
	}
	ctx := r.Context()
	email := upskill.NormaliseEmail(v.Form.Get("email"))
	if msg := upskill.ValidateEmail(email); msg != "" {
		v.Form.Add("email", msg)
		return s.render(w, r, http.StatusUnprocessableEntity, "forgot_password.html", v, &v.Page)
	}
	// The answer is the same whether or not there is an account, so that
	// the page cannot be used to find out who has one.
	until, err := s.store.ThrottledUntil(ctx, store.ResetThrottleKey(email))
	if err != nil {
		return err
	}
	if until.IsZero() {
		if _, err := s.store.Throttle(ctx, store.ResetThrottleKey(email), resetRule); err != nil {
			return err
		}
		person, _, err := s.store.Credentials(ctx, email)
		switch {
		case err == nil:
			secret, err := s.store.IssueToken(ctx, store.TokenResetPassword, person.ID)
			if err != nil {
				return err
			}
			s.sendPasswordReset(ctx, person.Email, person.Name, secret)
		case upskill.ErrorCode(err) != upskill.ENOTFOUND:
			return err
		}
	}
	return s.message(w, r, "Check your email", []string{
		"If there is an upskill account for " + email + ", we have sent it a link to reset the password. The link works for 1 hour.",
		"If no email comes within a few minutes, check your junk folder, or ask your organisation's admin for help.",
	}, "Back to sign in", "/sign-in")
}

// ResetPasswordView asks for a new password.
type ResetPasswordView struct {
	Page
	Token string
	Email string
}

func (s *Server) resetPassword(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	secret := r.PathValue("token")
	info, err := s.store.Token(ctx, store.TokenResetPassword, secret)
	if err != nil {
		return err
	}
	v := &ResetPasswordView{Token: secret, Email: info.Email}
	v.Title = "Choose a new password"
	v.Form = newForm(r.PostForm)
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "reset_password.html", v, &v.Page)
	}
	pw := v.Form.Values.Get("password")
	if msg := upskill.ValidatePassword(pw, info.Email); msg != "" {
		v.Form.Add("password", msg)
		return s.render(w, r, http.StatusUnprocessableEntity, "reset_password.html", v, &v.Page)
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if _, err := s.store.ResetPassword(ctx, secret, hash); err != nil {
		return err
	}
	if r.session != nil {
		s.clearCookie(w, sessionCookie)
	}
	s.setFlash(w, "Your password has been changed. Sign in with your new password.")
	return redirect(w, r, "/sign-in")
}
