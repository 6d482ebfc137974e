package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// How attempts are loaded: each learner takes whole attempts of a
// 30-statement framework through the JSON API, one after another: start,
// 30 answers each saved as it is given, submit. Beside it, a bare program
// writes the same rows to the same database with plain SQL.
const (
	attemptStatements = 30
	attemptDuration   = 10 * time.Second // for each of the two, in five turns
	answerLearners    = 100
	answerDuration    = 10 * time.Second
	// answerPace is how often each learner saves an answer in the paced
	// run: 100 learners at once, each answering every 100 ms, is 1,000
	// answers a second, several hundred times what 100 people reading and
	// thinking about each statement give.
	answerPace = 100 * time.Millisecond
)

var attemptLearners = []int{8, 32, 64}

// BenchmarkAttempts measures whole-attempt submissions per second.
func BenchmarkAttempts(b *testing.B) {
	for _, engine := range storetest.Engines {
		for _, n := range attemptLearners {
			b.Run(fmt.Sprintf("%s/%d-learners", engine, n), func(b *testing.B) { benchmarkAttempts(b, engine, n) })
		}
	}
}

// BenchmarkSaveAnswer measures saving one answer with 100 learners at
// once, beside a bare handler that runs the same SQL for the same JSON
// body: first with each learner saving an answer every answerPace, then
// with each saving their next answer as soon as the last is saved. The
// second shows the most each can take; its latency is all queueing, as
// 100 clients that never pause wait for each other.
func BenchmarkSaveAnswer(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkSaveAnswer(b, engine) })
	}
}

// attemptWorld is a trust with learners who each have an API token, and a
// published 30-statement framework.
type attemptWorld struct {
	st       *store.Store
	app      *httptest.Server
	orgID    int64
	unitID   int64
	learners []int64
	tokens   []string
	version  *upskill.FrameworkVersion
	caps     []int64
}

func newAttemptWorld(b *testing.B, engine store.Engine, learners int) *attemptWorld {
	b.Helper()
	ctx := context.Background()
	w := &attemptWorld{st: storetest.Open(b, engine, store.Options{MaxConns: 16})}
	st := w.st
	def, err := framework.Default()
	if err != nil {
		b.Fatal(err)
	}
	v := &upskill.FrameworkVersion{Title: "Benchmark edition", Levels: def.Version.Levels, Bands: def.Version.Bands}
	for d := 1; d <= 6; d++ {
		dom := upskill.Domain{Code: strconv.Itoa(d), Name: "Domain " + strconv.Itoa(d)}
		for c := 1; c <= attemptStatements/6; c++ {
			dom.Capabilities = append(dom.Capabilities, upskill.Capability{Code: fmt.Sprintf("%d.%d", d, c),
				Statement: fmt.Sprintf("Statement %d of domain %d", c, d), Type: upskill.QuestionScale})
		}
		v.Domains = append(v.Domains, dom)
	}
	if _, err := st.ImportVersion(ctx, 0, upskill.Framework{Key: "bench", Name: "Benchmark framework"}, v, true); err != nil {
		b.Fatal(err)
	}
	_, w.version, err = st.PublishedVersion(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range w.version.Capabilities() {
		w.caps = append(w.caps, c.ID)
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
	unit, err := st.CreateUnit(ctx, 0, org.ID, 0, "Ward 7")
	if err != nil {
		b.Fatal(err)
	}
	w.orgID, w.unitID = org.ID, unit.ID
	for i := 0; i < learners; i++ {
		added, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: fmt.Sprintf("learner%03d@example.org", i), Name: fmt.Sprintf("Learner %03d", i),
			Roles:           upskill.RoleSet(upskill.RoleLearner),
			StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Healthcare assistant", PayBand: "afc_3", UnitID: unit.ID}})
		if err != nil {
			b.Fatal(err)
		}
		token, err := st.CreateAPIToken(ctx, added.Person.ID, "benchmark")
		if err != nil {
			b.Fatal(err)
		}
		w.learners = append(w.learners, added.Person.ID)
		w.tokens = append(w.tokens, token)
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
		Store: st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	w.app = httptest.NewServer(srv)
	b.Cleanup(w.app.Close)
	return w
}

// writer is the store's connection pool for writes, used by the bare
// programs: the same database, reached the plainest way.
func (w *attemptWorld) writer() *sql.DB {
	dbs := w.st.DBs()
	if db, ok := dbs["write"]; ok {
		return db
	}
	return dbs["main"]
}

// bind turns ? placeholders into PostgreSQL's $1, $2 ... when needed.
func (w *attemptWorld) bind(q string) string {
	if w.st.Engine() != store.Postgres {
		return q
	}
	var sb strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			sb.WriteString("$" + strconv.Itoa(n))
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// answerBody is a rating that moves with i, so that answers differ.
func answerBody(i int) []byte {
	return []byte(fmt.Sprintf(`{"now":%d,"needed":%d}`, i%11, (i*7)%11))
}

// appAttempt takes whole attempts through the API as one learner.
func (w *attemptWorld) appAttempt(ctx context.Context, i int, deadline time.Time) samples {
	var out samples
	c, err := dialRaw(w.app.URL, http.Header{"Authorization": {"Bearer " + w.tokens[i]}})
	if err != nil {
		out.fail("dial: %v", err)
		return out
	}
	defer c.close()
	start := []byte(fmt.Sprintf(`{"framework":"bench","organisation_id":%d}`, w.orgID))
	for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
		t0 := time.Now()
		status, body, err := c.do("POST", "/api/v1/me/attempts", start)
		if err != nil || (status != 201 && status != 200) {
			out.fail("start: %d %v %s", status, err, body)
			return out
		}
		var att struct{ ID int64 }
		if err := json.Unmarshal(body, &att); err != nil || att.ID == 0 {
			out.fail("start: %v %s", err, body)
			return out
		}
		base := "/api/v1/me/attempts/" + strconv.FormatInt(att.ID, 10)
		for k, capID := range w.caps {
			status, body, err := c.do("PUT", base+"/answers/"+strconv.FormatInt(capID, 10), answerBody(n+k))
			if err != nil || status != 200 {
				out.fail("answer: %d %v %s", status, err, body)
				return out
			}
		}
		if status, body, err := c.do("POST", base+"/submit", nil); err != nil || status != 200 {
			out.fail("submit: %d %v %s", status, err, body)
			return out
		}
		out.lat = append(out.lat, time.Since(t0))
	}
	return out
}

// bareAttempt writes the rows of whole attempts with plain SQL as one
// learner: the attempt, each answer on its own as it would be given, and
// the submission with its domain scores in one transaction.
func (w *attemptWorld) bareAttempt(stmts *bareStatements) Worker {
	return func(ctx context.Context, i int, deadline time.Time) samples {
		var out samples
		person := w.learners[i]
		for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
			t0 := time.Now()
			if err := w.writeAttempt(ctx, stmts, person, n); err != nil {
				out.fail("bare attempt: %v", err)
				return out
			}
			out.lat = append(out.lat, time.Since(t0))
		}
		return out
	}
}

type bareStatements struct {
	start, answer, submit, score *sql.Stmt
}

func (w *attemptWorld) prepare(b *testing.B) *bareStatements {
	b.Helper()
	db := w.writer()
	prep := func(q string) *sql.Stmt {
		s, err := db.Prepare(w.bind(q))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	return &bareStatements{
		start: prep(`INSERT INTO attempts (person_id, organisation_id, framework_id, version_id, status, started_at, updated_at)
			VALUES (?, ?, ?, ?, 'in_progress', ?, ?) RETURNING id`),
		answer: prep(`INSERT INTO answers (attempt_id, capability_id, now_rating, needed_rating, answered_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (attempt_id, capability_id) DO UPDATE SET
			now_rating = excluded.now_rating, needed_rating = excluded.needed_rating, answered_at = excluded.answered_at`),
		submit: prep(`UPDATE attempts SET status = 'submitted', submitted_at = ?, updated_at = ?,
			staff_group = ?, job_role = ?, pay_band = ?, unit_id = ? WHERE id = ?`),
		score: prep(`INSERT INTO attempt_scores
			(attempt_id, domain_code, now_mean, needed_mean, gap_mean, band, answered, checks_correct, checks_answered, calibration)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '')`),
	}
}

func (w *attemptWorld) writeAttempt(ctx context.Context, p *bareStatements, person int64, n int) error {
	now := time.Now().UTC()
	var id int64
	if err := p.start.QueryRowContext(ctx, person, w.orgID, w.version.FrameworkID, w.version.ID, now, now).Scan(&id); err != nil {
		return err
	}
	for k, capID := range w.caps {
		if _, err := p.answer.ExecContext(ctx, id, capID, (n+k)%11, ((n+k)*7)%11, time.Now().UTC()); err != nil {
			return err
		}
	}
	tx, err := w.writer().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now = time.Now().UTC()
	if _, err := tx.StmtContext(ctx, p.submit).ExecContext(ctx, now, now, "nursing_midwifery", "Healthcare assistant", "afc_3", w.unitID, id); err != nil {
		return err
	}
	score := tx.StmtContext(ctx, p.score)
	for _, d := range w.version.Domains {
		if _, err := score.ExecContext(ctx, id, d.Code, 5.0, 6.0, 1.5, "Capable", len(d.Capabilities)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func benchmarkAttempts(b *testing.B, engine store.Engine, learners int) {
	ctx := context.Background()
	w := newAttemptWorld(b, engine, learners)
	stmts := w.prepare(b)
	b.ResetTimer()
	appRes, bareRes := Alternate(ctx, w.appAttempt, w.bareAttempt(stmts), learners, duration(attemptDuration), 5)
	b.StopTimer()
	if appRes.Errors > 0 || bareRes.Errors > 0 {
		b.Fatalf("errors: app %d (%s), bare %d (%s)", appRes.Errors, appRes.FirstError, bareRes.Errors, bareRes.FirstError)
	}
	ratio := appRes.Throughput() / bareRes.Throughput()
	fmt.Printf("attempts, %s, %d learners: upskill %s\n", engine, learners, appRes)
	fmt.Printf("attempts, %s, %d learners: bare    %s\n", engine, learners, bareRes)
	fmt.Printf("attempts, %s, %d learners: %.1f attempts/s, %.1f%% of bare (%.1f/s)\n",
		engine, learners, appRes.Throughput(), 100*ratio, bareRes.Throughput())
	b.ReportMetric(appRes.Throughput(), "attempts/s")
	b.ReportMetric(bareRes.Throughput(), "bare-attempts/s")
	b.ReportMetric(ratio, "ratio")
}

func benchmarkSaveAnswer(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	w := newAttemptWorld(b, engine, answerLearners)
	stmts := w.prepare(b)
	// Every learner has an attempt open.
	attempts := make([]int64, answerLearners)
	for i, person := range w.learners {
		a, _, err := w.st.StartAttempt(ctx, person, w.orgID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		attempts[i] = a.ID
	}
	// The bare handler decodes the same body and writes the same row with
	// the same SQL, with nothing else: no token, no checks.
	bare := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var in struct{ Now, Needed int }
		parts := strings.Split(r.URL.Path, "/")
		attemptID, _ := strconv.ParseInt(parts[5], 10, 64)
		capID, _ := strconv.ParseInt(parts[7], 10, 64)
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(rw, err.Error(), 400)
			return
		}
		if _, err := stmts.answer.ExecContext(r.Context(), attemptID, capID, in.Now, in.Needed, time.Now().UTC()); err != nil {
			http.Error(rw, err.Error(), 500)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.Write([]byte(`{"ok":true}` + "\n"))
	}))
	defer bare.Close()
	// A learner saves their next answer pace after the last was due, or
	// at once when pace is 0. Latency counts from when the answer was due,
	// so that a slow answer delaying the next one is not hidden.
	saver := func(base string, pace time.Duration) Worker {
		return func(ctx context.Context, i int, deadline time.Time) samples {
			var out samples
			c, err := dialRaw(base, http.Header{"Authorization": {"Bearer " + w.tokens[i]}})
			if err != nil {
				out.fail("dial: %v", err)
				return out
			}
			defer c.close()
			prefix := "/api/v1/me/attempts/" + strconv.FormatInt(attempts[i], 10) + "/answers/"
			// Paced learners start spread over one interval.
			due := time.Now().Add(pace * time.Duration(i) / answerLearners)
			for n := 0; due.Before(deadline) && ctx.Err() == nil; n++ {
				if pace > 0 {
					time.Sleep(time.Until(due))
				} else {
					due = time.Now()
				}
				status, body, err := c.do("PUT", prefix+strconv.FormatInt(w.caps[n%len(w.caps)], 10), answerBody(n))
				if err != nil {
					out.fail("save: %v", err)
					return out
				}
				out.lat = append(out.lat, time.Since(due))
				if status != 200 {
					out.fail("save: %d %s", status, body)
				}
				due = due.Add(pace)
			}
			return out
		}
	}
	for _, pace := range []time.Duration{answerPace, 0} {
		appRes, bareRes := Alternate(ctx, saver(w.app.URL, pace), saver(bare.URL, pace), answerLearners, duration(answerDuration), 5)
		if appRes.Errors > 0 || bareRes.Errors > 0 {
			b.Fatalf("errors: app %d (%s), bare %d (%s)", appRes.Errors, appRes.FirstError, bareRes.Errors, bareRes.FirstError)
		}
		load := fmt.Sprintf("%d learners each saving an answer every %s", answerLearners, pace)
		name := "paced"
		if pace == 0 {
			load, name = fmt.Sprintf("%d learners each saving the next answer at once", answerLearners), "flat-out"
		}
		fmt.Printf("save one answer, %s, %s: upskill %s\n", engine, load, appRes)
		fmt.Printf("save one answer, %s, %s: bare    %s\n", engine, load, bareRes)
		fmt.Printf("save one answer, %s, %s: p95 %.1f ms (bare %.1f ms), %.0f%% of bare throughput\n",
			engine, load, ms(appRes.P95), ms(bareRes.P95), 100*appRes.Throughput()/bareRes.Throughput())
		b.ReportMetric(ms(appRes.P95), name+"-p95-ms")
		b.ReportMetric(ms(bareRes.P95), name+"-bare-p95-ms")
		b.ReportMetric(appRes.Throughput(), name+"-answers/s")
		b.ReportMetric(bareRes.Throughput(), name+"-bare-answers/s")
	}
}
