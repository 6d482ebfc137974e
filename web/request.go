package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/store"
)

// access says who may use a route.
type access int

const (
	public   access = iota // anyone; the visitor may or may not be signed in
	signedIn               // any signed-in person
	onOrg                  // a signed-in person with a permission on the {org} in the path
	national               // a signed-in national admin
)

// route is one entry of the route table.
type route struct {
	pattern string // as http.ServeMux takes it: "GET /organisations/{org}"
	access  access
	perm    upskill.Permission // with onOrg
	// levels limits an onOrg route to nodes of these levels; any other node
	// is not found there. Empty means every level.
	levels []upskill.Level
	// upload marks a form that sends a file, as multipart/form-data.
	upload bool
	handle func(http.ResponseWriter, *request) error
}

// request is an http.Request with what the route wrapper has established.
type request struct {
	*http.Request
	actor   *upskill.Actor // nil when not signed in
	session *store.Session
	org     *upskill.Organisation // the {org} of an onOrg route
	csrf    string                // the form token for pages this request renders
	flash   string                // a message carried over from the previous request
	// sessionEnded is set when the cookie named a session that has expired
	// or been signed out elsewhere.
	sessionEnded bool
}

// pathID reads a numeric path value, or returns ENOTFOUND.
func (r *request) pathID(name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	return id, nil
}

// wrap turns a route into an http.Handler that signs the visitor in from
// their cookie, checks the form token on every POST, and checks the route's
// access rule before the handler runs.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		info := infoFrom(hr.Context())
		info.pattern = rt.pattern
		r := &request{Request: hr}
		if err := s.authenticate(w, r); err != nil {
			s.fail(w, r, err)
			return
		}
		if r.actor != nil {
			info.personID = r.actor.PersonID
		}
		r.csrf = s.formToken(w, r)
		r.flash = s.takeFlash(w, r)
		if hr.Method == http.MethodPost {
			if err := parseForm(w, hr, rt.upload); err != nil {
				s.fail(w, r, err)
				return
			}
			if !s.checkFormToken(r, hr.PostForm.Get("csrf_token")) {
				s.fail(w, r, errFormToken)
				return
			}
		}
		if err := s.authorise(rt, r); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// parseForm reads a posted form, refusing one too large to be honest. A
// form that sends a file may be as large as the largest file accepted.
func parseForm(w http.ResponseWriter, hr *http.Request, upload bool) error {
	limit := int64(1 << 20)
	if upload {
		limit = framework.MaxFileSize + 64<<10
	}
	hr.Body = http.MaxBytesReader(w, hr.Body, limit)
	var err error
	if mt, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type")); upload && mt == "multipart/form-data" {
		err = hr.ParseMultipartForm(limit)
	} else {
		err = hr.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) && upload:
		return upskill.Errorf(upskill.EINVALID, "The file is larger than %d MB. Go back and choose a smaller file.", framework.MaxFileSize>>20)
	case err != nil:
		return upskill.Errorf(upskill.EINVALID, "The form could not be read. Go back and try again.")
	}
	return nil
}

var errFormToken = upskill.Errorf(upskill.EFORBIDDEN,
	"This form has expired or did not come from this service. Go back, refresh the page and try again.")

var errSignIn = upskill.Errorf(upskill.EUNAUTHORISED, "Sign in to see this page.")

// authorise applies the route's access rule.
func (s *Server) authorise(rt route, r *request) error {
	if rt.access == public {
		return nil
	}
	if r.actor == nil {
		return errSignIn
	}
	if rt.access == signedIn {
		return nil
	}
	if rt.access == national {
		if !r.actor.CanManageFrameworks() {
			return upskill.Errorf(upskill.EFORBIDDEN, "You do not have permission to see this page.")
		}
		return nil
	}
	id, err := r.pathID("org")
	if err != nil {
		return err
	}
	org, err := s.store.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	if len(rt.levels) > 0 && !hasLevel(rt.levels, org.Level) {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	if !r.actor.Can(rt.perm, org.Ref()) {
		return upskill.Errorf(upskill.EFORBIDDEN, "You do not have permission to see this page.")
	}
	r.org = org
	return nil
}

func hasLevel(levels []upskill.Level, l upskill.Level) bool {
	for _, x := range levels {
		if x == l {
			return true
		}
	}
	return false
}

// authenticate reads the session cookie. A cookie that names no live
// session is cleared; pages that need a signed-in person then send the
// visitor to sign in, saying that their session ended.
func (s *Server) authenticate(w http.ResponseWriter, r *request) error {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	ctx := r.Context()
	se, actor, err := s.store.Session(ctx, c.Value)
	if err == nil {
		now := time.Now()
		switch {
		case now.Sub(se.CreatedAt) > s.cfg.SessionMax, now.Sub(se.LastSeenAt) > s.cfg.SessionIdle:
			s.store.DeleteSession(ctx, se.Hash)
			err = store.ErrNoSession
		case now.Sub(se.LastSeenAt) > time.Minute:
			// Recording use at most once a minute keeps most requests free of writes.
			if err := s.store.TouchSession(ctx, se.Hash); err != nil {
				return err
			}
		}
	}
	if errors.Is(err, store.ErrNoSession) {
		s.clearCookie(w, sessionCookie)
		r.sessionEnded = true
		return nil
	}
	if err != nil {
		return err
	}
	r.session, r.actor = se, actor
	return nil
}

// signInURL is where a visitor is sent to sign in before seeing r.
func signInURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/" || r.URL.Path == "/home" {
		return "/sign-in"
	}
	return "/sign-in?next=" + url.QueryEscape(r.URL.RequestURI())
}

// safeNext returns next when it is a path on this service, else "/home".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/home"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/home"
	}
	return next
}

// redirect answers a form post with 303 See Other, so that refreshing the
// next page does not send the form again.
func redirect(w http.ResponseWriter, r *request, to string) error {
	http.Redirect(w, r.Request, to, http.StatusSeeOther)
	return nil
}

type ctxKey int

const infoKey ctxKey = 0

// reqInfo is filled in as a request passes through, for the log line and
// the metrics written when it ends.
type reqInfo struct {
	id       string
	pattern  string
	personID int64
}

func infoFrom(ctx context.Context) *reqInfo {
	if v, ok := ctx.Value(infoKey).(*reqInfo); ok {
		return v
	}
	return &reqInfo{}
}
