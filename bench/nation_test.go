package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
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

// How the nation's page is loaded: 5 national viewers at once.
const (
	nationViewers  = 5
	nationDuration = 30 * time.Second // of viewing, in three turns
	nationTurns    = 3
	// nationStaff and nationOrgs size the demo made in the run when no
	// national database is given; a national one is made beforehand with
	// `upskill demo --orgs 1500 --staff 1500000 --learning=false`.
	nationStaff = 150_000
	nationOrgs  = 150
)

// BenchmarkInsightNation measures the nation's page of digital capability
// by region, over a national demo, against the same aggregate (the
// average rating now by region and domain, for the latest year) written
// as one bare SQL query over the raw answers, in the same run.
//
// UPSKILL_BENCH_NATION_SQLITE (a file) and UPSKILL_BENCH_NATION_POSTGRES
// (a URL) name databases that already hold a national demo; without them
// a smaller demo is made in the run.
func BenchmarkInsightNation(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkInsightNation(b, engine) })
	}
}

func benchmarkInsightNation(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	var st *store.Store
	dsn := os.Getenv("UPSKILL_BENCH_NATION_SQLITE")
	if engine == store.Postgres {
		dsn = os.Getenv("UPSKILL_BENCH_NATION_POSTGRES")
	}
	if dsn != "" {
		var err error
		if st, err = store.Open(ctx, dsn, store.Options{MaxConns: 16}); err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx, nil); err != nil {
			b.Fatal(err)
		}
	} else {
		st = storetest.Open(b, engine, store.Options{MaxConns: 16})
		start := time.Now()
		if _, err := demo.Load(ctx, st, demo.Options{Orgs: nationOrgs, Staff: nationStaff, Seed: 3, Attempts: true, NoLearning: true}, "x"); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("nation, %s: demo of %d staff loaded in %.0f s\n", engine, nationStaff, time.Since(start).Seconds())
	}
	newServer := func() *web.Server {
		srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
			Store: st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			b.Fatal(err)
		}
		return srv
	}
	srv := newServer()
	start := time.Now()
	counted, err := srv.RefreshInsight(ctx)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("nation, %s: %d attempts counted and every organisation's suppression worked out in %.0f s\n",
		engine, counted, time.Since(start).Seconds())

	db := readPool(st)
	var nationID, admin int64
	err = db.QueryRowContext(ctx, `SELECT o.id, m.person_id FROM organisations o JOIN memberships m ON m.organisation_id = o.id
		WHERE o.level = 'nation' AND (m.roles & 32) = 32 AND m.ended_at IS NULL ORDER BY m.person_id LIMIT 1`).Scan(&nationID, &admin)
	if err != nil {
		b.Fatal(err)
	}
	session, err := st.CreateSession(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	path := "/organisations/" + strconv.FormatInt(nationID, 10) + "/insight"
	headers := func(int) http.Header { return http.Header{"Cookie": {"upskill_session=" + session}} }
	view := func(h http.Handler) (time.Duration, int) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header = headers(0)
		rec := httptest.NewRecorder()
		t := time.Now()
		h.ServeHTTP(rec, req)
		took := time.Since(t)
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != 200 || len(body) < 5000 {
			b.Fatalf("nation's page: %d, %d bytes", rec.Code, len(body))
		}
		return took, len(body)
	}
	// A view on a server that has read nothing yet, as after a change
	// anywhere in the country: three times, the middle one reported.
	var cold []time.Duration
	for range 3 {
		took, _ := view(newServer())
		cold = append(cold, took)
	}
	slices.Sort(cold)
	_, size := view(srv)
	fmt.Printf("nation, %s: first view after a change %.0f ms, %d bytes\n", engine, ms(cold[1]), size)

	// The latest year with figures, which the page shows first.
	var latest int
	if err := db.QueryRowContext(ctx, `SELECT max(cycle) FROM insight_entries`).Scan(&latest); err != nil {
		b.Fatal(err)
	}
	cycle := insight.Cycle(latest)
	stmt, err := db.PrepareContext(ctx, sqlFor(st, `SELECT o.parent_id, d.code, count(DISTINCT a.id), avg(ans.now_rating), avg(ans.needed_rating)
		FROM attempts a
		JOIN organisations o ON o.id = a.organisation_id
		JOIN answers ans ON ans.attempt_id = a.id
		JOIN capabilities c ON c.id = ans.capability_id
		JOIN domains d ON d.id = c.domain_id
		WHERE a.status = 'submitted' AND a.submitted_at >= ? AND a.submitted_at < ?
		GROUP BY 1, 2`))
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	args := []any{cycle.Start().UTC(), cycle.End().UTC()}

	app := httptest.NewServer(srv)
	defer app.Close()
	// In turns, as Alternate does, but the bare query is run once a turn
	// by one client: over a whole country's answers it takes longer than
	// a turn of viewing.
	b.ResetTimer()
	var appS, bareS samples
	for range nationTurns {
		appS.add(run(ctx, getter(Target{URL: app.URL + path, Headers: headers}), nationViewers, duration(nationDuration)/nationTurns))
		bareS.add(run(ctx, bareWorker(stmt, args), 1, time.Nanosecond))
	}
	b.StopTimer()
	appRes, bareRes := appS.result(), bareS.result()
	if appRes.Errors > 0 || bareRes.Errors > 0 {
		b.Fatalf("errors: app %d (%s), bare %d (%s)", appRes.Errors, appRes.FirstError, bareRes.Errors, bareRes.FirstError)
	}
	fmt.Printf("nation, %s, %d viewers: upskill %s\n", engine, nationViewers, appRes)
	fmt.Printf("nation, %s, %d viewers: bare    %s\n", engine, nationViewers, bareRes)
	fmt.Printf("nation, %s: p95 %.1f ms (first view after a change %.0f ms), bare query over the answers %.0f ms at most (%.0f times the first view)\n",
		engine, ms(appRes.P95), ms(cold[1]), ms(bareRes.Max), float64(bareRes.Max)/float64(cold[1]))
	b.ReportMetric(ms(appRes.P95), "p95-ms")
	b.ReportMetric(ms(cold[1]), "cold-ms")
	b.ReportMetric(ms(bareRes.P95), "bare-p95-ms")
}
