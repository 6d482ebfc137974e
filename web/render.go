package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"upskill"
	"upskill/web/assets"
)

//go:embed templates
var templateFS embed.FS

// Page is what the layout needs from every view. Each page's view embeds it.
type Page struct {
	Title  string
	Actor  *upskill.Actor
	CSRF   string
	Flash  string
	Crumbs []Crumb // breadcrumbs, ending with the parent of this page
	Form   *Form   // the page's form, if it has one, for the error summary
}

// Crumb is one link of the breadcrumb trail.
type Crumb struct {
	Text, Href string
}

// templates are the parsed pages, each with the layout and components.
type templates struct {
	pages map[string]*template.Template
}

func loadTemplates(a *assets.Set) (*templates, error) {
	head := headLinks(a)
	funcs := template.FuncMap{
		"head":        func() template.HTML { return head },
		"asset":       a.URL,
		"field":       field,
		"dateField":   dateField,
		"options":     options,
		"date":        formatDate,
		"datetime":    formatDateTime,
		"plural":      plural,
		"add":         func(a, b int) int { return a + b },
		"actionLabel": actionLabel,
		"percent":     percent,
	}
	shared, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		files := append(append([]string{}, shared...), name)
		p, err := template.New(path.Base(name)).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		t.pages[path.Base(name)] = p
	}
	return t, nil
}

// headLinks is the part of every page's head that refers to the front-end
// files. It never changes while the server runs, so it is built once.
func headLinks(a *assets.Set) template.HTML {
	var b strings.Builder
	for _, l := range []struct{ rel, name, extra string }{
		{"icon", "images/favicon.ico", ` sizes="48x48"`},
		{"icon", "images/favicon.svg", ` sizes="any" type="image/svg+xml"`},
		{"apple-touch-icon", "images/nhsuk-icon-180.png", ""},
		{"stylesheet", "nhsuk-frontend.css", ""},
		{"stylesheet", "app.css", ""},
	} {
		fmt.Fprintf(&b, "<link rel=\"%s\" href=\"%s\"%s>\n  ", l.rel, a.URL(l.name), l.extra)
	}
	fmt.Fprintf(&b, "<script type=\"module\" src=\"%s\"></script>", a.URL("app.js"))
	return template.HTML(b.String())
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a page. It renders into a buffer first so that a template
// fault becomes an error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *request, status int, name string, view any, page *Page) error {
	page.Actor = r.actor
	page.CSRF = r.csrf
	if page.Flash == "" {
		page.Flash = r.flash
	}
	t, ok := s.pages.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", view); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ErrorView is the page shown when a request cannot be answered.
type ErrorView struct {
	Page
	Heading   string
	Message   string
	RequestID string
	SignIn    bool
}

// fail answers a request that went wrong. The person sees a message that
// says what to do; only internal faults are logged in detail, with the
// request id that the page also shows.
func (s *Server) fail(w http.ResponseWriter, r *request, err error) {
	code := upskill.ErrorCode(err)
	if code == upskill.EUNAUTHORISED {
		if r.sessionEnded {
			s.setFlash(w, "Your session has ended. Sign in again to continue.")
		}
		http.Redirect(w, r.Request, signInURL(r.Request), http.StatusSeeOther)
		return
	}
	status, heading := http.StatusInternalServerError, "Sorry, there is a problem with the service"
	switch code {
	case upskill.EINVALID:
		status, heading = http.StatusBadRequest, "There is a problem"
	case upskill.ENOTFOUND:
		status, heading = http.StatusNotFound, "Page not found"
	case upskill.EFORBIDDEN:
		status, heading = http.StatusForbidden, "You cannot do that"
	case upskill.ECONFLICT:
		status, heading = http.StatusConflict, "That could not be done"
	case upskill.ETOOMANY:
		status, heading = http.StatusTooManyRequests, "Too many attempts"
	case upskill.EUNAVAILABLE:
		status, heading = http.StatusServiceUnavailable, "Sorry, the service is unavailable"
	}
	info := infoFrom(r.Context())
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", info.id, "route", info.pattern, "err", err)
	}
	v := &ErrorView{Heading: heading, Message: upskill.ErrorMessage(err), RequestID: info.id}
	if code == upskill.ENOTFOUND && v.Message == "Page not found." {
		v.Message = "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."
	}
	v.Title = heading
	if r.csrf == "" && r.Request != nil {
		r.csrf = s.formToken(w, r)
	}
	if rerr := s.render(w, r, status, "error.html", v, &v.Page); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, heading, status)
	}
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("2 January 2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("2 January 2006 at 3:04pm")
}

// london is the time zone dates are shown in. The binary carries no zone
// database unless the host has one, so it falls back to UTC.
var london = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// actionLabel says in words what an audit log action was.
func actionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return strings.ReplaceAll(action, "_", " ")
}

var actionLabels = map[string]string{
	"create_region":       "Region added",
	"create_organisation": "Organisation added",
	"update_nation":       "Details changed",
	"update_region":       "Details changed",
	"update_organisation": "Details changed",
	"create_department":   "Department added",
	"create_team":         "Team added",
	"rename_department":   "Department renamed",
	"rename_team":         "Team renamed",
	"delete_department":   "Department removed",
	"delete_team":         "Team removed",
	"add_member":          "Person added",
	"update_member":       "Roles or staff details changed",
	"end_membership":      "Person removed",
	"reinvite":            "Invitation sent again",
	"add_national_admin":  "National admin added",
	"download_figures":    "Figures downloaded",
}
