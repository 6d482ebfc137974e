package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"upskill/insight"
	"upskill/jobs"
	"upskill/mail"
	"upskill/password"
	"upskill/web"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("serve", stderr)
	addr := fs.String("addr", env("UPSKILL_ADDR", defaultAddr), "the address to listen on (env UPSKILL_ADDR)")
	public := fs.String("public-url", env("UPSKILL_PUBLIC_URL", ""),
		"the address people use to reach the service, for links in emails; https:// marks cookies Secure (env UPSKILL_PUBLIC_URL; default http:// and --addr)")
	smtpURL := fs.String("smtp", env("UPSKILL_SMTP", ""),
		"where to send email: smtp://user:password@host:587, smtps://..., or empty to write emails to the log (env UPSKILL_SMTP)")
	from := fs.String("mail-from", env("UPSKILL_MAIL_FROM", "upskill <no-reply@localhost>"), "the From address of emails (env UPSKILL_MAIL_FROM)")
	trustProxy := fs.Bool("trust-proxy", env("UPSKILL_TRUST_PROXY", "") == "true",
		"take the client address and request id from a load balancer's X-Forwarded-For and X-Request-Id (env UPSKILL_TRUST_PROXY=true)")
	idle := fs.Duration("session-idle", durationEnv("UPSKILL_SESSION_IDLE", 30*time.Minute), "sign people out after this long without use (env UPSKILL_SESSION_IDLE)")
	maxAge := fs.Duration("session-max", durationEnv("UPSKILL_SESSION_MAX", 12*time.Hour), "sign people out this long after they signed in (env UPSKILL_SESSION_MAX)")
	nation := fs.String("nation", env("UPSKILL_NATION", "England"), "the name offered for the nation on the setup page (env UPSKILL_NATION)")
	smallest := fs.Int("smallest-group", intEnv("UPSKILL_SMALLEST_GROUP", insight.DefaultK),
		"k: no figure about fewer people than this is shown, from 3 to 10 (env UPSKILL_SMALLEST_GROUP)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(stderr)

	pub, err := publicURL(*public, *addr)
	if err != nil {
		return err
	}
	sender, err := mail.New(*smtpURL, *from, log)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()

	srv, err := web.New(ctx, web.Config{
		PublicURL: pub, SessionIdle: *idle, SessionMax: *maxAge, TrustProxy: *trustProxy, NationName: *nation,
		SmallestGroup: *smallest,
	}, web.Deps{Store: st, Mail: sender, Hasher: password.New(password.Default), Log: log})
	if err != nil {
		return err
	}

	// Background work: River's tables, then a runner whose sweep enrols
	// people under assignments and queues reminders, on one instance at a
	// time.
	if err := jobs.Migrate(ctx, st); err != nil {
		return fmt.Errorf("cannot prepare the job queue: %w", err)
	}
	runner, err := jobs.New(st, log, jobs.Config{Periodic: []*river.PeriodicJob{web.LearningSweep(15 * time.Minute), web.InsightRefresh()}}, srv.RegisterJobs)
	if err != nil {
		return err
	}
	srv.UseJobs(runner)
	if err := runner.Start(ctx); err != nil {
		return fmt.Errorf("cannot start the job queue: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer cancel()
		if err := runner.Stop(stopCtx); err != nil {
			log.Error("stop the job queue", "err", err)
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go srv.SweepSessions(sweepCtx, 10*time.Minute)
	go srv.SweepReassessments(sweepCtx, time.Hour)

	log.Info("upskill is serving", "url", pub.String(), "listen", ln.Addr().String(), "database", string(st.Engine()))
	if has, err := st.HasNationalAdmin(ctx); err == nil && !has {
		code, err := st.SetupCode(ctx)
		if err == nil {
			setup := *pub
			setup.Path, setup.RawQuery = "/setup", "code="+code
			log.Info("no admin yet: open the setup page to create the first one, or run `upskill user create --admin`", "setup_url", setup.String())
		}
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// defaultAddr is where the service listens unless told otherwise.
const defaultAddr = "localhost:8080"

// publicURL works out the address people use, defaulting to --addr.
func publicURL(raw, addr string) (*url.URL, error) {
	if raw == "" {
		host := addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		raw = "http://" + host
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--public-url must be a full address like https://upskill.example.nhs.uk, not %q", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

func durationEnv(key string, def time.Duration) time.Duration {
	if v := env(key, ""); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

// intEnv reads a whole number from the environment; a value that is not
// one gives -1, which the setting it feeds then refuses with its limits.
func intEnv(key string, def int) int {
	v := env(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}
