package web

import (
	"net/http"

	"upskill/store"
)

// TokensView lists a person's API tokens and shows a new one once.
type TokensView struct {
	Page
	Tokens []store.APIToken
	New    string // the secret of a token just made, shown this once
}

func (s *Server) tokens(w http.ResponseWriter, r *request) error {
	return s.showTokens(w, r, http.StatusOK, newForm(nil), "")
}

func (s *Server) showTokens(w http.ResponseWriter, r *request, status int, f *Form, secret string) error {
	list, err := s.store.APITokens(r.Context(), r.actor.PersonID)
	if err != nil {
		return err
	}
	v := &TokensView{Tokens: list, New: secret}
	v.Title = "API tokens"
	v.Form = f
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Your account", "/account"}}
	return s.render(w, r, status, "tokens.html", v, &v.Page)
}

func (s *Server) createToken(w http.ResponseWriter, r *request) error {
	f := newForm(r.PostForm)
	secret, err := s.store.CreateAPIToken(r.Context(), r.actor.PersonID, f.Get("name"))
	if err != nil {
		if f.absorb(err) {
			return s.showTokens(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	// The secret is shown in this answer only: it is never stored, and a
	// redirect would have to carry it somewhere.
	return s.showTokens(w, r, http.StatusOK, newForm(nil), secret)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("token")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), r.actor.PersonID, id); err != nil {
		return err
	}
	s.setFlash(w, "The token has been revoked. Programs using it can no longer reach your account.")
	return redirect(w, r, "/account/tokens")
}
