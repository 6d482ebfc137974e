// Package web serves upskill's pages: NHS.UK-styled HTML built with
// html/template, forms that work without JavaScript, sign-in with sessions
// kept in the database, and the operational endpoints. Every route, with
// who may use it, is listed in routes.go.
package web

import (
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"upskill/api"
	"upskill/framework"
	"upskill/framework/formats"
	"upskill/insight"
	"upskill/jobs"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/web/assets"
)

// Config is what the server is told at start.
type Config struct {
	// PublicURL is where people reach the service; links in emails start
	// with it, and cookies are marked Secure when it is https.
	PublicURL *url.URL
	// SessionIdle ends a session not used for this long; SessionMax ends
	// any session this long after sign-in.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// TrustProxy takes the client's address and request id from the
	// X-Forwarded-For and X-Request-Id headers set by a load balancer.
	TrustProxy bool
	// NationName is given to the nation created at setup.
	NationName string
	// FrameworkKey names the framework of the digital skills assessment
	// that home pages offer.
	FrameworkKey string
	// SmallestGroup is k: no figure about fewer people is shown. Zero
	// means insight.DefaultK; New refuses a value outside the limits.
	SmallestGroup int
}

// Server is the HTTP side of upskill.
type Server struct {
	lessons pageCache      // lesson pages rendered from Markdown
	insight insightLayouts // suppression worked out per organisation
	nation  nationTotals   // every organisation's whole sums
	reports reports        // each organisation's figures of a year
	// decisions keeps, per organisation, what the background job last
	// decided to hide, so that a change in scores or learning alone, which
	// leaves it as it was, is not worked out again.
	decisions sync.Map
	jobs      *jobs.Runner // queues background work; nil until UseJobs
	// badgeSigner is the key that signs badges, read once.
	badgeMu     sync.Mutex
	badgeSigner ed25519.PrivateKey
	cfg         Config
	store       *store.Store
	mail        mail.Sender
	hasher      *password.Hasher
	log         *slog.Logger
	assets      *assets.Set
	pages       *templates
	key         []byte
	metrics     *metrics
	secure      bool
	routes      []route
	api         *api.API
	formats     formats.Registry
	handler     http.Handler
}

// Deps are the adapters the server uses.
type Deps struct {
	Store  *store.Store
	Mail   mail.Sender
	Hasher *password.Hasher
	Log    *slog.Logger
}

// New builds a server. It reads the shared secret key from the database, so
// that every instance signs and checks form tokens alike.
func New(ctx context.Context, cfg Config, d Deps) (*Server, error) {
	if cfg.PublicURL == nil {
		cfg.PublicURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.NationName == "" {
		cfg.NationName = "England"
	}
	if cfg.FrameworkKey == "" {
		cfg.FrameworkKey = framework.DefaultKey
	}
	if cfg.SmallestGroup == 0 {
		cfg.SmallestGroup = insight.DefaultK
	}
	if msg := insight.CheckK(cfg.SmallestGroup); msg != "" {
		return nil, errors.New(msg)
	}
	if d.Store == nil || d.Mail == nil || d.Hasher == nil {
		return nil, errors.New("web: a store, a mail sender and a password hasher are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	a, err := assets.Load()
	if err != nil {
		return nil, err
	}
	pages, err := loadTemplates(a)
	if err != nil {
		return nil, err
	}
	key, err := d.Store.SecretKey(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: d.Store, mail: d.Mail, hasher: d.Hasher, log: d.Log,
		assets: a, pages: pages, key: key, secure: cfg.PublicURL.Scheme == "https",
	}
	s.metrics = newMetrics(d.Store)
	s.formats = formats.Registry{BaseURI: s.link("/case")}
	s.api = api.New(d.Store, s.formats, s, d.Log)
	s.handler = s.buildHandler()
	return s, nil
}

// ServeHTTP serves every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// link returns an absolute URL on the service for emails.
func (s *Server) link(path string) string {
	u := *s.cfg.PublicURL
	u.Path = path
	u.RawQuery = ""
	return u.String()
}

// SweepSessions removes expired sessions and links every interval until ctx
// ends. Any instance may run it; the deletes are idempotent.
func (s *Server) SweepSessions(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := time.Now()
			n, err := s.store.DeleteExpiredSessions(ctx, now.Add(-s.cfg.SessionIdle), now.Add(-s.cfg.SessionMax))
			if err != nil {
				s.log.Error("sweep sessions", "err", err)
			} else if n > 0 {
				s.log.Info("swept expired sessions", "count", n)
			}
		}
	}
}

// InviteReassessments emails everyone whose organisation's reassessment
// cycle has come round, once per cycle, and returns how many it invited.
// Several instances may run it at once: each invitation is claimed in the
// database before it is sent, and released again if sending fails.
func (s *Server) InviteReassessments(ctx context.Context) (int, error) {
	sent := 0
	for {
		due, err := s.store.DueReassessments(ctx, s.cfg.FrameworkKey, 200)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		claimed := 0
		for _, d := range due {
			ok, err := s.store.ClaimReassessment(ctx, d)
			if err != nil {
				return sent, err
			}
			if !ok {
				continue
			}
			claimed++
			if err := s.sendReassessment(ctx, d); err != nil {
				if err := s.store.ReleaseReassessment(ctx, d); err != nil {
					return sent, err
				}
				return sent, err
			}
			sent++
		}
		if claimed == 0 {
			return sent, nil
		}
	}
}

// SweepReassessments runs InviteReassessments now and then until ctx ends.
func (s *Server) SweepReassessments(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.InviteReassessments(ctx)
		switch {
		case err != nil:
			s.log.Error("invite people to take the assessment again", "err", err)
		case n > 0:
			s.log.Info("invited people to take the assessment again", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
