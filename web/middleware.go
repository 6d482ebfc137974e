package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"upskill/api"

	"upskill"
	"upskill/web/assets"
)

// buildHandler puts the route table on a mux and wraps it in the
// middleware every request passes through, outermost first: request id and
// panic recovery, logging and metrics, security headers, a deadline, and
// refusal of cross-origin form posts.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	mux.Handle("GET "+assets.Prefix+"{file...}", s.assets)
	mux.Handle("GET /metrics", s.metrics.handler())
	for _, p := range s.api.Patterns() {
		mux.Handle(p, s.apiRoute(p))
	}
	mux.Handle(api.Prefix+"/", s.apiRoute(api.Prefix+"/"))
	mux.HandleFunc("/", s.notFound)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, &request{Request: r}, errFormToken)
	}))
	var h http.Handler = mux
	h = cop.Handler(h)
	h = s.deadline(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = s.identify(h)
	return h
}

// apiRoute serves one API route, labelled with its pattern for logs and
// metrics.
func (s *Server) apiRoute(pattern string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).pattern = pattern
		s.api.ServeHTTP(w, r)
	})
}

// identify gives every request an id, shown in logs, in the response
// header and on error pages, and turns a panic into an error page.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ""
		if s.cfg.TrustProxy {
			id = cleanRequestID(r.Header.Get("X-Request-Id"))
		}
		if id == "" {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		info := &reqInfo{id: id}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey, info))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, &request{Request: r}, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func cleanRequestID(v string) string {
	if len(v) == 0 || len(v) > 64 {
		return ""
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return ""
		}
	}
	return v
}

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs one line per request and records its metrics. The route
// pattern, never the raw path, is logged: paths can carry emailed secrets.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		info := infoFrom(r.Context())
		pattern := info.pattern
		if pattern == "" {
			pattern = r.Pattern
		}
		if pattern == "" || pattern == "/" {
			pattern = "unmatched"
		}
		s.metrics.observe(pattern, r.Method, sw.status, d)
		if strings.HasPrefix(pattern, "GET "+assets.Prefix) || pattern == "GET /metrics" {
			return
		}
		s.log.LogAttrs(r.Context(), levelFor(sw.status), "request",
			slog.String("request_id", info.id), slog.String("method", r.Method), slog.String("route", pattern),
			slog.Int("status", sw.status), slog.Int("bytes", sw.size), slog.Duration("duration", d), slog.Int64("person_id", info.personID))
	})
}

// securityHeaders sets the headers every response carries. The
// Content-Security-Policy allows scripts and styles from this service only,
// plus the one inline boot script by its hash.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	csp := "default-src 'none'; script-src 'self' " + assets.ScriptHash() +
		"; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'" +
		"; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secure || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// deadline bounds how long a request may hold resources.
func (s *Server) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientAddr is the address failed sign-ins are counted against.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		// The load balancer appends the address it saw; earlier entries
		// came from the client and cannot be trusted.
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func levelFor(status int) slog.Level {
	switch {
	case status >= http.StatusInternalServerError:
		return slog.LevelError
	case status >= http.StatusBadRequest:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	rq := &request{Request: r}
	s.authenticate(w, rq)
	s.fail(w, rq, upskill.Errorf(upskill.ENOTFOUND, "Page not found."))
}
