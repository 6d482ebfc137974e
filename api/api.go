// Package api is upskill's public JSON API under /api/v1, described by the
// OpenAPI document it serves at /api/v1/openapi.json. Programs call it with
// a personal API token (Authorization: Bearer upskill_...) and act as the
// person who made the token, with exactly their rights. Bodies are checked
// strictly: unknown fields, wrong types and oversized bodies are refused
// with a message that says what to fix, and nothing is written.
package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"upskill"
	"upskill/store"
)

//go:embed openapi.json
var openAPI []byte

// Prefix is where the API is served.
const Prefix = "/api/v1"

// API serves the JSON API.
type API struct {
	store   *store.Store
	log     *slog.Logger
	formats Formats
	// learning makes recommendations, certificates and badges; nil
	// leaves those addresses answering that they are not available.
	learning Learning
	mux      *http.ServeMux
	routes   []route
}

// Formats reads and writes frameworks in the formats the API accepts
// besides upskill's own JSON. The server wires them in, so that this
// package does not depend on every file format.
type Formats interface {
	// Read decodes an uploaded framework, telling formats apart by the
	// content type and the bytes.
	Read(contentType string, body []byte) (*upskill.Framework, *upskill.FrameworkVersion, error)
	// Write encodes a framework version in the named format ("json",
	// "case", "csv" or "xlsx") and returns the content type and a file name.
	Write(w io.Writer, format string, fw *upskill.Framework, v *upskill.FrameworkVersion) (contentType, fileName string, err error)
}

type route struct {
	pattern string
	auth    bool
	handle  func(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error)
}

// New builds the API.
func New(st *store.Store, formats Formats, learning Learning, log *slog.Logger) *API {
	a := &API{store: st, log: log, formats: formats, learning: learning, mux: http.NewServeMux()}
	a.routes = []route{
		{pattern: "GET /openapi.json", handle: a.openAPI},
		{pattern: "GET /frameworks", auth: true, handle: a.frameworks},
		{pattern: "GET /frameworks/{key}", auth: true, handle: a.framework},
		{pattern: "GET /frameworks/{key}/export", auth: true, handle: a.export},
		{pattern: "POST /frameworks", auth: true, handle: a.importFramework},
		{pattern: "GET /me", auth: true, handle: a.me},
		{pattern: "GET /me/attempts", auth: true, handle: a.attempts},
		{pattern: "POST /me/attempts", auth: true, handle: a.startAttempt},
		{pattern: "GET /me/attempts/{attempt}", auth: true, handle: a.attempt},
		{pattern: "PUT /me/attempts/{attempt}/answers/{capability}", auth: true, handle: a.answer},
		{pattern: "PUT /me/attempts/{attempt}/checks/{question}", auth: true, handle: a.check},
		{pattern: "POST /me/attempts/{attempt}/submit", auth: true, handle: a.submit},
		{pattern: "GET /me/attempts/{attempt}/report", auth: true, handle: a.report},
		{pattern: "GET /me/attempts/{attempt}/domains/{domain}/credential", auth: true, handle: a.needs(a.domainCredential)},
		{pattern: "GET /learning", auth: true, handle: a.catalogue},
		{pattern: "GET /learning/{item}", auth: true, handle: a.learningItem},
		{pattern: "POST /learning/{item}/enrolments", auth: true, handle: a.enrol},
		{pattern: "GET /me/recommendations", auth: true, handle: a.needs(a.recommendations)},
		{pattern: "GET /me/enrolments", auth: true, handle: a.enrolments},
		{pattern: "PUT /me/enrolments/{enrolment}/pages/{page}", auth: true, handle: a.seePage},
		{pattern: "PUT /me/enrolments/{enrolment}/pages/{page}/questions/{question}", auth: true, handle: a.answerQuestion},
		{pattern: "POST /me/enrolments/{enrolment}/complete", auth: true, handle: a.complete},
		{pattern: "GET /me/enrolments/{enrolment}/certificate", auth: true, handle: a.needs(a.certificate)},
		{pattern: "GET /me/enrolments/{enrolment}/credential", auth: true, handle: a.needs(a.credential)},
	}
	for _, rt := range a.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		a.mux.Handle(method+" "+Prefix+path, a.wrap(rt))
	}
	a.mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, upskill.Errorf(upskill.ENOTFOUND, "There is no such API address. See %s/openapi.json.", Prefix))
	})
	return a
}

// Patterns lists the routes as the mux knows them, for tests and metrics.
func (a *API) Patterns() []string {
	var out []string
	for _, rt := range a.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		out = append(out, method+" "+Prefix+path)
	}
	return out
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor *upskill.Actor
		if rt.auth {
			var err error
			if actor, err = a.authenticate(r); err != nil {
				a.fail(w, r, err)
				return
			}
		}
		out, err := rt.handle(w, r, actor)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if out == nil {
			return // the handler wrote its own answer
		}
		status := http.StatusOK
		if c, ok := out.(created); ok {
			status, out = http.StatusCreated, c.body
		}
		writeJSON(w, status, out)
	})
}

// needs refuses a route that needs the server's learning services when
// the API was built without them.
func (a *API) needs(h func(http.ResponseWriter, *http.Request, *upskill.Actor) (any, error)) func(http.ResponseWriter, *http.Request, *upskill.Actor) (any, error) {
	return func(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
		if a.learning == nil {
			return nil, upskill.Errorf(upskill.EUNAVAILABLE, "This address is not available here.")
		}
		return h(w, r, actor)
	}
}

// created marks a body answered with 201 Created.
type created struct{ body any }

func (a *API) authenticate(r *http.Request) (*upskill.Actor, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return nil, upskill.Errorf(upskill.EUNAUTHORISED, "Send a personal API token as Authorization: Bearer <token>. Make one under Your account.")
	}
	return a.store.TokenActor(r.Context(), strings.TrimSpace(token))
}

// Error is the body of every answer that is not a success.
type Error struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, for bad input, where.
type ErrorDetail struct {
	Code    string               `json:"code"`
	Message string               `json:"message"`
	Fields  []upskill.FieldError `json:"fields,omitempty"`
}

func statusOf(code string) int {
	switch code {
	case upskill.EINVALID:
		return http.StatusUnprocessableEntity
	case upskill.ENOTFOUND:
		return http.StatusNotFound
	case upskill.EFORBIDDEN:
		return http.StatusForbidden
	case upskill.EUNAUTHORISED:
		return http.StatusUnauthorized
	case upskill.ECONFLICT:
		return http.StatusConflict
	case upskill.ETOOMANY:
		return http.StatusTooManyRequests
	case upskill.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := upskill.ErrorCode(err)
	status := statusOf(code)
	if status >= 500 {
		a.log.ErrorContext(r.Context(), "api request failed", "path", r.URL.Path, "err", err)
	}
	if code == upskill.EUNAUTHORISED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="upskill"`)
	}
	fields := upskill.ErrorFields(err)
	writeJSON(w, status, Error{Error: ErrorDetail{Code: code, Message: upskill.ErrorMessage(err), Fields: fields}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"Sorry, there is a problem with the service."}}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// decode reads a JSON body of at most limit bytes into v, refusing unknown
// fields and anything after the value.
func decode(r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return upskill.Errorf(upskill.EINVALID, "Send the body as JSON, with Content-Type: application/json.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return upskill.Errorf(upskill.EINVALID, "The body could not be read.")
	}
	if int64(len(body)) > limit {
		return upskill.Errorf(upskill.EINVALID, "The body is larger than %d bytes.", limit)
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return upskill.Errorf(upskill.EINVALID, "The body is not the JSON this address takes: %s.", describeJSON(err))
	}
	if dec.More() {
		return upskill.Errorf(upskill.EINVALID, "The body has more after its JSON value.")
	}
	return nil
}

func describeJSON(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("it is not valid JSON near byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s should be %s", te.Field, te.Type)
	case errors.Is(err, io.EOF):
		return "it is empty"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, upskill.Errorf(upskill.ENOTFOUND, "There is no %s with that number.", name)
	}
	return id, nil
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request, _ *upskill.Actor) (any, error) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	w.Write(openAPI)
	return nil, nil
}
