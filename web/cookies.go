package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

const (
	sessionCookie = "upskill_session"
	csrfCookie    = "upskill_csrf"
	flashCookie   = "upskill_flash"
)

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	s.setCookie(w, name, "", -1)
}

// sign returns a MAC of the parts under the service's secret key.
func (s *Server) sign(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// formToken returns the token that forms on this page must send back. It
// is a MAC of a random per-browser cookie and the session, so a page from
// another site cannot know it, and it changes when someone signs in or out.
func (s *Server) formToken(w http.ResponseWriter, r *request) string {
	c, err := r.Cookie(csrfCookie)
	nonce := ""
	if err == nil && len(c.Value) >= 32 {
		nonce = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		nonce = base64.RawURLEncoding.EncodeToString(b)
		s.setCookie(w, csrfCookie, nonce, 0)
		// Later reads in this request see the new cookie.
		r.Header.Set("Cookie", appendCookie(r.Header.Get("Cookie"), csrfCookie, nonce))
	}
	return s.sign("form", nonce, s.sessionHash(r))
}

func (s *Server) checkFormToken(r *request, got string) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || got == "" {
		return false
	}
	want := s.sign("form", c.Value, s.sessionHash(r))
	return hmac.Equal([]byte(got), []byte(want))
}

func (s *Server) sessionHash(r *request) string {
	if r.session != nil {
		return r.session.Hash
	}
	return ""
}

func appendCookie(header, name, value string) string {
	if header == "" {
		return name + "=" + value
	}
	return header + "; " + name + "=" + value
}

// setFlash keeps a one-line message for the next page the browser shows.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	v := base64.RawURLEncoding.EncodeToString([]byte(msg))
	s.setCookie(w, flashCookie, v+"."+s.sign("flash", v), 60)
}

// takeFlash returns and clears the message left by the previous request.
func (s *Server) takeFlash(w http.ResponseWriter, r *request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	if r.Method != http.MethodGet {
		return ""
	}
	s.clearCookie(w, flashCookie)
	v, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.sign("flash", v))) {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return ""
	}
	return string(b)
}
