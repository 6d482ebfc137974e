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
	"strconv"
	"testing"
	"time"

	"upskill"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// How the home page is loaded: 50 clients at once, each asking again as
// soon as it is answered, for a while.
const (
	homeClients  = 50
	homeDuration = 10 * time.Second // for each of the two, in five turns
	homeStaff    = 2000
)

func duration(def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv("UPSKILL_BENCH_DURATION")); err == nil {
		return v
	}
	return def
}

// BenchmarkHomePage measures the signed-in home page of 50 different staff
// of a 2,000-person trust against a bare net/http handler that serves the
// same bytes, in the same run. "staff" signs in a cross-section of the
// trust, as its staff use the service: mostly learners, one in ten a
// supervisor with a team, and an organisation admin. "supervisors" signs
// in 50 supervisors, whose home page lists their team and is the
// heaviest.
func BenchmarkHomePage(b *testing.B) {
	for _, engine := range storetest.Engines {
		for _, mix := range []string{"staff", "supervisors"} {
			b.Run(string(engine)+"/"+mix, func(b *testing.B) { benchmarkHome(b, engine, mix) })
		}
	}
}

func benchmarkHome(b *testing.B, engine store.Engine, mix string) {
	ctx := context.Background()
	st := storetest.Open(b, engine, store.Options{MaxConns: 16})
	sessions := homeWorld(b, st, mix)
	srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
		Store: st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	app := httptest.NewServer(srv)
	defer app.Close()
	headers := func(i int) http.Header {
		return http.Header{"Cookie": {"upskill_session=" + sessions[i%len(sessions)]}}
	}

	// The bytes a home page is: the bare handler serves exactly these.
	req, _ := http.NewRequest("GET", app.URL+"/home", nil)
	req.Header = headers(0)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(page) < 1000 {
		b.Fatalf("home page: %d, %d bytes", res.StatusCode, len(page))
	}
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.Write(page)
	}))
	defer bare.Close()

	b.ResetTimer()
	appRes, bareRes := Compare(ctx,
		Target{URL: app.URL + "/home", Headers: headers},
		Target{URL: bare.URL + "/", Headers: headers, WantLen: len(page)},
		homeClients, duration(homeDuration), 5)
	b.StopTimer()
	if appRes.Errors > 0 || bareRes.Errors > 0 {
		b.Fatalf("errors: app %d, bare %d", appRes.Errors, bareRes.Errors)
	}
	ratio := appRes.Throughput() / bareRes.Throughput()
	fmt.Printf("home page, %s, %s, %d clients: upskill %s\n", engine, mix, homeClients, appRes)
	fmt.Printf("home page, %s, %s, %d clients: bare    %s\n", engine, mix, homeClients, bareRes)
	fmt.Printf("home page, %s, %s: throughput %.1f%% of bare, p95 %.1f ms (bare %.1f ms)\n",
		engine, mix, 100*ratio, ms(appRes.P95), ms(bareRes.P95))
	b.ReportMetric(appRes.Throughput(), "req/s")
	b.ReportMetric(ms(appRes.P95), "p95-ms")
	b.ReportMetric(bareRes.Throughput(), "bare-req/s")
	b.ReportMetric(ms(bareRes.P95), "bare-p95-ms")
	b.ReportMetric(ratio, "ratio")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// homeWorld makes a trust of homeStaff people in 20 departments, with a
// supervisor for every ten (the first five of them also organisation
// admins), and returns session secrets for 50 of them: a cross-section of
// the staff for the "staff" mix, the first 50 supervisors otherwise.
func homeWorld(b *testing.B, st *store.Store, mix string) []string {
	b.Helper()
	ctx := context.Background()
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
	var units []int64
	for i := 0; i < 20; i++ {
		u, err := st.CreateUnit(ctx, 0, org.ID, 0, "Department "+strconv.Itoa(i+1))
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	var supervisors, everyone []int64
	for i := 0; i < homeStaff; i++ {
		roles := upskill.RoleSet(upskill.RoleLearner)
		attrs := upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", PayBand: "afc_5", UnitID: units[i%len(units)]}
		if i%10 == 0 {
			roles = roles.With(upskill.RoleSupervisor)
			if len(supervisors) < 5 {
				roles = roles.With(upskill.RoleOrgAdmin)
			}
		} else {
			attrs.LineManagerID = supervisors[len(supervisors)-1]
		}
		added, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: fmt.Sprintf("staff%05d@example.org", i), Name: fmt.Sprintf("Staff Member %05d", i), Roles: roles, StaffAttributes: attrs})
		if err != nil {
			b.Fatal(err)
		}
		// Staff who have set up their accounts have confirmed their addresses.
		if _, err := st.AcceptInvitation(ctx, added.Invitation, added.Person.Name, "not a real hash"); err != nil {
			b.Fatal(err)
		}
		if roles.Has(upskill.RoleSupervisor) {
			supervisors = append(supervisors, added.Person.ID)
		}
		everyone = append(everyone, added.Person.ID)
	}
	chosen := supervisors[:homeClients]
	if mix == "staff" {
		// Every 37th person from the fourth: 45 learners, four supervisors
		// and one organisation admin.
		chosen = nil
		for i := 0; i < homeClients; i++ {
			chosen = append(chosen, everyone[(37*i+3)%len(everyone)])
		}
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	var secrets []string
	for _, id := range chosen {
		s, err := st.CreateSession(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		secrets = append(secrets, s)
	}
	return secrets
}
