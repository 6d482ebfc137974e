package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"upskill/demo"
	"upskill/insight"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// How an organisation's figures are loaded: 20 viewers at once of a
// 10,000-person trust with three years of assessments.
const (
	insightViewers  = 20
	insightStaff    = 10000
	insightDuration = 10 * time.Second // for each of the two, in five turns
)

// BenchmarkInsightDashboard measures an organisation's page of digital
// capability for a trust of 10,000 staff with three years of assessments,
// 20 viewers at once, against the same aggregate (the average rating now
// in each domain, by department, for the latest year) written as one bare
// SQL query over the raw answers, run by 20 clients in the same run.
func BenchmarkInsightDashboard(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkInsightDashboard(b, engine) })
	}
}

func benchmarkInsightDashboard(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	st := storetest.Open(b, engine, store.Options{MaxConns: 16})
	d, err := demo.Load(ctx, st, demo.Options{Orgs: 1, Staff: insightStaff, Seed: 11, Attempts: true, NoLearning: true}, "x")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
		Store: st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	// Count the demo's attempts into the summaries, then work out what
	// the organisation shows, as the background job does.
	start := time.Now()
	counted := 0
	for {
		n, err := st.RefreshInsight(ctx, 500)
		if err != nil {
			b.Fatal(err)
		}
		counted += n
		if n == 0 {
			break
		}
	}
	took := time.Since(start)
	fmt.Printf("insight, %s: %d attempts counted into the summaries in %.1f s (%.0f a second)\n",
		engine, counted, took.Seconds(), float64(counted)/took.Seconds())
	start = time.Now()
	if _, err := srv.RefreshInsight(ctx); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("insight, %s: what the organisation shows worked out in %.1f s\n", engine, time.Since(start).Seconds())

	db := readPool(st)
	var orgID int64
	if err := db.QueryRowContext(ctx, `SELECT id FROM organisations WHERE level = 'organisation'`).Scan(&orgID); err != nil {
		b.Fatal(err)
	}
	admin, err := st.MemberIDByEmail(ctx, orgID, d.Logins.Organisations[0].Admin.Email)
	if err != nil {
		b.Fatal(err)
	}
	session, err := st.CreateSession(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	app := httptest.NewServer(srv)
	defer app.Close()
	path := "/organisations/" + strconv.FormatInt(orgID, 10) + "/insight"
	headers := func(int) http.Header { return http.Header{"Cookie": {"upskill_session=" + session}} }

	// The first view works out what to hide; the rest read it.
	req, _ := http.NewRequest("GET", app.URL+path, nil)
	req.Header = headers(0)
	start = time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(page) < 5000 {
		b.Fatalf("figures page: %d, %d bytes", res.StatusCode, len(page))
	}
	fmt.Printf("insight, %s: first view %.0f ms, %d bytes\n", engine, ms(time.Since(start)), len(page))

	// The bare query: the latest year's answers of the organisation,
	// averaged by department and domain, straight from the answers.
	// The latest year with figures, which the page shows first.
	var latest int
	if err := db.QueryRowContext(ctx, `SELECT max(cycle) FROM insight_entries`).Scan(&latest); err != nil {
		b.Fatal(err)
	}
	cycle := insight.Cycle(latest)
	bareQuery := sqlFor(st, `SELECT coalesce(u.parent_id, u.id, 0), d.code, count(DISTINCT a.id), avg(ans.now_rating), avg(ans.needed_rating)
		FROM attempts a
		JOIN answers ans ON ans.attempt_id = a.id
		JOIN capabilities c ON c.id = ans.capability_id
		JOIN domains d ON d.id = c.domain_id
		LEFT JOIN units u ON u.id = a.unit_id
		WHERE a.organisation_id = ? AND a.status = 'submitted' AND a.submitted_at >= ? AND a.submitted_at < ?
		GROUP BY 1, 2`)
	args := []any{orgID, cycle.Start().UTC(), cycle.End().UTC()}
	stmt, err := db.PrepareContext(ctx, bareQuery)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	if n, err := bareRows(ctx, stmt, args); err != nil || n == 0 {
		b.Fatalf("bare query: %d rows, %v", n, err)
	}

	b.ResetTimer()
	appRes, bareRes := Alternate(ctx, getter(Target{URL: app.URL + path, Headers: headers}), bareWorker(stmt, args),
		insightViewers, duration(insightDuration), 5)
	b.StopTimer()
	if appRes.Errors > 0 || bareRes.Errors > 0 {
		b.Fatalf("errors: app %d (%s), bare %d (%s)", appRes.Errors, appRes.FirstError, bareRes.Errors, bareRes.FirstError)
	}
	fmt.Printf("insight, %s, %d viewers: upskill %s\n", engine, insightViewers, appRes)
	fmt.Printf("insight, %s, %d viewers: bare    %s\n", engine, insightViewers, bareRes)
	fmt.Printf("insight, %s: p95 %.1f ms, bare query over the answers p95 %.1f ms (%.1f times faster)\n",
		engine, ms(appRes.P95), ms(bareRes.P95), float64(bareRes.P95)/float64(appRes.P95))
	b.ReportMetric(ms(appRes.P95), "p95-ms")
	b.ReportMetric(ms(bareRes.P95), "bare-p95-ms")
	b.ReportMetric(appRes.Throughput(), "req/s")
}

// bareWorker runs a prepared query again and again, reading every row,
// at least once however short its time.
func bareWorker(stmt *sql.Stmt, args []any) Worker {
	return func(ctx context.Context, _ int, deadline time.Time) samples {
		var s samples
		for first := true; first || time.Now().Before(deadline); first = false {
			t := time.Now()
			if _, err := bareRows(ctx, stmt, args); err != nil {
				s.fail("bare query: %v", err)
				continue
			}
			s.lat = append(s.lat, time.Since(t))
		}
		return s
	}
}

func bareRows(ctx context.Context, stmt *sql.Stmt, args []any) (int, error) {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var dept int64
		var code string
		var people int
		var now, needed float64
		if err := rows.Scan(&dept, &code, &people, &now, &needed); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
