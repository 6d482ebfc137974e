package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net/smtp"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/jobs"
	"upskill/mail"
	"upskill/mail/smtptest"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// reminderEnrolments is how many enrolments come due at once, unless
// UPSKILL_BENCH_REMINDERS says otherwise.
func reminderEnrolments(b *testing.B) int {
	if v := os.Getenv("UPSKILL_BENCH_REMINDERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("UPSKILL_BENCH_REMINDERS: %v", err)
		}
		return n
	}
	return 100_000
}

// reminderWorkers is how many reminder jobs, and how many bare senders,
// run at once.
const reminderWorkers = 32

// BenchmarkReminders comes 100,000 assigned enrolments due within the
// week, runs the learning sweep, which queues a durable job per reminder
// in the database, and lets the job runner send every email to an SMTP
// server in the same process. The bare baseline sends the same number of
// emails of the same size straight to the same server, as many at once,
// with no database and no queue. Run it with
//
//	go test -run '^$' -bench Reminders -benchtime 1x ./bench/
func BenchmarkReminders(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkReminders(b, engine) })
	}
}

func benchmarkReminders(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	n := reminderEnrolments(b)
	st := storetest.Open(b, engine)
	def, err := framework.Default()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.EnsureFramework(ctx, def.Framework, &def.Version); err != nil {
		b.Fatal(err)
	}
	fw, fv, err := st.PublishedVersion(ctx, framework.DefaultKey)
	if err != nil {
		b.Fatal(err)
	}
	root, err := st.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "root@example.org", Name: "Root", PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	nation, _ := st.Nation(ctx)
	region, err := st.CreateChild(ctx, root.ID, nation, upskill.OrganisationInput{Name: "North West"})
	if err != nil {
		b.Fatal(err)
	}
	org, err := st.CreateChild(ctx, root.ID, region, upskill.OrganisationInput{Name: "Alder Hospitals NHS Trust", Type: upskill.OrgNHSTrust})
	if err != nil {
		b.Fatal(err)
	}
	item, err := st.CreateContent(ctx, 0, org.Ref(), upskill.VisibleOwner, &upskill.ContentVersion{
		Title: "Information governance refresher", Summary: "The yearly refresher.", Format: upskill.FormatLesson, Minutes: 20,
		Mappings: []upskill.ContentMapping{{FrameworkID: fw.ID, CapabilityCode: fv.Capabilities()[0].Code, Level: 2}},
		Pages:    []upskill.LessonPage{{Title: "Why it matters", Body: "Records belong to patients."}}})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PublishContent(ctx, 0, org.ID, item); err != nil {
		b.Fatal(err)
	}
	loaded, err := st.ContentForOwner(ctx, org.ID, item)
	if err != nil {
		b.Fatal(err)
	}
	fillEnrolments(b, st, org.ID, item, loaded.Published.ID, n)

	server := smtptest.Start(b)
	sender, err := mail.New(server.URL(), "upskill <no-reply@example.org>", slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "https", Host: "upskill.example.org"}}, web.Deps{
		Store: st, Mail: sender, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		b.Fatal(err)
	}
	runner, err := jobs.New(st, slog.New(slog.DiscardHandler), jobs.Config{MaxWorkers: reminderWorkers, PollInterval: 10 * time.Millisecond}, srv.RegisterJobs)
	if err != nil {
		b.Fatal(err)
	}
	srv.UseJobs(runner)
	if err := runner.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer runner.Stop(ctx)

	b.ResetTimer()
	start := time.Now()
	_, queued, err := srv.SweepLearning(ctx)
	if err != nil {
		b.Fatal(err)
	}
	queueTime := time.Since(start)
	if queued != n {
		b.Fatalf("queued %d reminders, want %d", queued, n)
	}
	deadline := time.Now().Add(30 * time.Minute)
	for server.Count() < n {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d reminders arrived", server.Count(), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	sendTime := time.Since(start)
	b.StopTimer()
	sample := server.Messages()[0]

	// The bare baseline: the same number of messages of the same size, sent
	// straight to the same server by as many senders at once.
	bare := smtptest.Start(b)
	body := "Subject: " + sample.Header.Get("Subject") + "\r\n\r\n" + strings.ReplaceAll(sample.Body, "\n", "\r\n")
	bareStart := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range reminderWorkers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := smtp.SendMail(bare.Addr, nil, "no-reply@example.org", []string{"learner@example.org"}, []byte(body)); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	bareTime := time.Since(bareStart)
	if failed.Load() > 0 || bare.Count() != n {
		b.Fatalf("bare: %d failed, %d arrived", failed.Load(), bare.Count())
	}

	rate := float64(n) / sendTime.Seconds()
	bareRate := float64(n) / bareTime.Seconds()
	fmt.Printf("reminders, %s: %d queued in %s (%.0f/s); all sent in %s: %.0f emails/s; bare SMTP %.0f emails/s; %.1f%% of bare\n",
		engine, n, queueTime.Round(time.Millisecond), float64(n)/queueTime.Seconds(), sendTime.Round(time.Millisecond), rate, bareRate, 100*rate/bareRate)
	b.ReportMetric(float64(n)/queueTime.Seconds(), "queued/s")
	b.ReportMetric(rate, "emails/s")
	b.ReportMetric(bareRate, "bare-emails/s")
}

// fillEnrolments adds n people to the organisation, each with an assigned
// enrolment on the item due in three days, with plain multi-row inserts.
func fillEnrolments(b *testing.B, st *store.Store, orgID, itemID, versionID int64, n int) {
	b.Helper()
	ctx := context.Background()
	dbs := st.DBs()
	db := dbs["write"]
	if db == nil {
		db = dbs["main"]
	}
	w := &attemptWorld{st: st}
	now := time.Now().UTC()
	due := now.Add(72 * time.Hour)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const batch = 500
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		var rows []string
		var args []any
		for i := lo; i < hi; i++ {
			rows = append(rows, "(?, ?, ?, ?)")
			args = append(args, fmt.Sprintf("learner%06d@example.org", i), fmt.Sprintf("Learner %06d", i), now, now)
		}
		if _, err := tx.ExecContext(ctx, w.bind(`INSERT INTO people (email, name, created_at, updated_at) VALUES `+strings.Join(rows, ", ")), args...); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO memberships (person_id, organisation_id, roles, started_at)
			SELECT id, ?, 1, ? FROM people WHERE email LIKE 'learner%@example.org'`,
		`INSERT INTO enrolments (person_id, item_id, organisation_id, version_id, status, source, due_at, mandatory, created_at)
			SELECT id, ?, ?, ?, 'enrolled', 'assigned', ?, true, ? FROM people WHERE email LIKE 'learner%@example.org'`,
	} {
		args := []any{orgID, now}
		if strings.Contains(q, "enrolments") {
			args = []any{itemID, orgID, versionID, due, now}
		}
		if _, err := tx.ExecContext(ctx, w.bind(q), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
}
