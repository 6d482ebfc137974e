package demo_test

import (
	"database/sql"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/demo"
	"upskill/store"
	"upskill/store/storetest"
)

// benchOptions is the size of the load measured: 200 organisations and
// 100,000 staff unless UPSKILL_BENCH_STAFF says otherwise.
func benchOptions(b *testing.B) demo.Options {
	opt := demo.Options{Orgs: 200, Staff: 100_000, Seed: 1}
	if v := os.Getenv("UPSKILL_BENCH_STAFF"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("UPSKILL_BENCH_STAFF: %v", err)
		}
		opt.Staff = n
		opt.Orgs = max(1, min(opt.Orgs, n/demo.MinStaffPerOrg))
	}
	return opt
}

// BenchmarkDemoLoad measures how fast the demo fills a fresh database:
// generating the data and loading it with store.BulkLoad, first the staff
// alone and then with their three cycles of attempts at the assessment
// (about 2 attempts, 60 answers, 30 knowledge-check answers and 11 domain
// scores for each member of staff). The baseline generates the staff and
// writes them the plain way, one INSERT per row in one transaction,
// without BulkLoad's checks, so the figures show what multi-row statements
// buy on each engine. Run it with
//
//	go test -run '^$' -bench DemoLoad -benchtime 1x ./demo/
func BenchmarkDemoLoad(b *testing.B) {
	opt := benchOptions(b)
	hash, err := cheap.Hash(ctx, testPassword)
	must(b, err)
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) {
			var elapsed time.Duration
			for range b.N {
				b.StopTimer()
				s := storetest.Open(b, engine)
				b.StartTimer()
				start := time.Now()
				if _, err := demo.Load(ctx, s, opt, hash); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(opt.Staff)*float64(b.N)/elapsed.Seconds(), "staff/s")
		})
		b.Run(string(engine)+"-with-attempts", func(b *testing.B) {
			opt := opt
			opt.Attempts = true
			var elapsed time.Duration
			var attempts, rows int
			for range b.N {
				b.StopTimer()
				s := storetest.Open(b, engine)
				b.StartTimer()
				start := time.Now()
				d, err := demo.Load(ctx, s, opt, hash)
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				attempts += len(d.Bulk.Attempts)
				rows += attemptRows(d)
			}
			b.ReportMetric(float64(opt.Staff)*float64(b.N)/elapsed.Seconds(), "staff/s")
			b.ReportMetric(float64(attempts)/elapsed.Seconds(), "attempts/s")
			b.ReportMetric(float64(rows)/elapsed.Seconds(), "attempt-rows/s")
			b.ReportMetric(float64(attempts)/float64(b.N), "attempts")
		})
		b.Run("baseline-row-by-row/"+string(engine), func(b *testing.B) {
			var elapsed time.Duration
			for range b.N {
				b.StopTimer()
				s := storetest.Open(b, engine)
				nation, err := s.EnsureNation(ctx, demo.NationName)
				must(b, err)
				b.StartTimer()
				start := time.Now()
				d := demo.Generate(opt, demo.Placement{NationID: nation.ID})
				rowByRow(b, s, &d.Bulk, hash)
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(opt.Staff)*float64(b.N)/elapsed.Seconds(), "staff/s")
		})
	}
}

// attemptRows counts the rows a load's attempts take: the attempts, their
// answers and knowledge-check answers, and a score for each domain of
// those submitted.
func attemptRows(d *demo.Data) int {
	n := 0
	for _, a := range d.Bulk.Attempts {
		n += 1 + len(a.Answers) + len(a.Checks)
		if a.Status == upskill.AttemptSubmitted {
			n += 6 // the domains of the default framework
		}
	}
	return n
}

// rowByRow writes a Bulk the way code without BulkLoad would: one
// prepared single-row INSERT per row, each returning its id.
func rowByRow(b *testing.B, s *store.Store, bulk *store.Bulk, hash string) {
	db := s.DBs()["write"]
	if db == nil {
		db = s.DBs()["main"]
	}
	rebind := func(q string) string {
		if s.Engine() != store.Postgres {
			return q
		}
		var sb strings.Builder
		n := 0
		for _, c := range q {
			if c == '?' {
				n++
				sb.WriteString("$" + strconv.Itoa(n))
				continue
			}
			sb.WriteRune(c)
		}
		return sb.String()
	}
	tx, err := db.BeginTx(ctx, nil)
	must(b, err)
	defer tx.Rollback()
	prepare := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, rebind(q))
		must(b, err)
		return st
	}
	now := time.Now().UTC()
	ids := map[int64]int64{}
	ref := func(id int64) any {
		switch {
		case id < 0:
			return ids[id]
		case id == 0:
			return nil
		}
		return id
	}
	// Provisional ids of different tables overlap, so each table keeps its own.
	orgs, units := map[int64]int64{}, map[int64]int64{}
	insOrg := prepare(`INSERT INTO organisations (parent_id, level, org_type, name, code, reassess_months, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	for _, o := range bulk.Organisations {
		parent := o.ParentID
		if parent < 0 {
			parent = orgs[parent]
		}
		var id int64
		must(b, insOrg.QueryRowContext(ctx, parent, string(o.Level), string(o.Type), o.Name, o.Code, o.ReassessMonths, now, now).Scan(&id))
		orgs[o.ID] = id
	}
	insUnit := prepare(`INSERT INTO units (organisation_id, parent_id, kind, name, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`)
	for _, u := range bulk.Units {
		kind := "department"
		var parent any
		if u.ParentID != 0 {
			kind, parent = "team", units[u.ParentID]
		}
		var id int64
		must(b, insUnit.QueryRowContext(ctx, orgs[u.OrganisationID], parent, kind, u.Name, now).Scan(&id))
		units[u.ID] = id
	}
	insPerson := prepare(`INSERT INTO people (email, name, password_hash, email_verified_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)
	for _, p := range bulk.People {
		var id int64
		must(b, insPerson.QueryRowContext(ctx, p.Email, p.Name, hash, now, now, now).Scan(&id))
		ids[p.ID] = id
	}
	insMember := prepare(`INSERT INTO memberships (person_id, organisation_id, roles, staff_group, job_role, pay_band,
		unit_id, line_manager_id, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	for _, m := range bulk.Memberships {
		org := m.OrganisationID
		if org < 0 {
			org = orgs[org]
		}
		var unit any
		if m.UnitID != 0 {
			unit = units[m.UnitID]
		}
		_, err := insMember.ExecContext(ctx, ids[m.PersonID], org, int64(m.Roles), string(m.StaffGroup), m.JobRole,
			string(m.PayBand), unit, ref(m.LineManagerID), m.StartedAt)
		must(b, err)
	}
	must(b, tx.Commit())
}
