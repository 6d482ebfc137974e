package demo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/demo"
	"upskill/framework"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
)

var ctx = context.Background()

// small is the size the tests load: big enough for every kind of
// organisation and a few hundred staff with their attempts at the
// assessment, small enough to be quick.
var small = demo.Options{Orgs: 14, Staff: 400, Seed: 7, Attempts: true}

// cheap hashes quickly: the tests check the shared password, not argon2's cost.
var cheap = password.New(password.TestParams)

const testPassword = "demo-password-for-tests"

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func load(t testing.TB, s *store.Store, opt demo.Options) *demo.Data {
	t.Helper()
	hash, err := cheap.Hash(ctx, testPassword)
	must(t, err)
	d, err := demo.Load(ctx, s, opt, hash)
	must(t, err)
	return d
}

// readDB is a pool to read the store's tables with plain SQL.
func readDB(s *store.Store) *sql.DB {
	dbs := s.DBs()
	if db, ok := dbs["read"]; ok {
		return db
	}
	return dbs["main"]
}

// testVersion is the default framework as if stored, with ids, for
// generating attempts without a database.
func testVersion(t testing.TB) *upskill.FrameworkVersion {
	t.Helper()
	f, err := framework.Default()
	must(t, err)
	v := &f.Version
	v.ID, v.FrameworkID, v.Status = 1, 1, upskill.VersionPublished
	id := int64(0)
	for i := range v.Domains {
		id++
		v.Domains[i].ID = id
		for j := range v.Domains[i].Capabilities {
			id++
			v.Domains[i].Capabilities[j].ID = id
		}
	}
	for i := range v.Questions {
		id++
		v.Questions[i].ID = id
		for j := range v.Questions[i].Options {
			id++
			v.Questions[i].Options[j].ID = id
		}
	}
	return v
}

// storedVersion is the version the demo's attempts are made on.
func storedVersion(t testing.TB, s *store.Store) *upskill.FrameworkVersion {
	t.Helper()
	_, v, err := s.PublishedVersion(ctx, framework.DefaultKey)
	must(t, err)
	return v
}

// lineTime writes a time the same way for generated and stored lines.
func lineTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// codes names capabilities, questions and options of v by code and
// position, so that lines do not depend on ids.
func codes(v *upskill.FrameworkVersion) map[int64]string {
	out := map[int64]string{}
	for _, c := range v.Capabilities() {
		out[c.ID] = c.Code
	}
	for _, q := range v.Questions {
		out[q.ID] = q.Code
		for i, o := range q.Options {
			out[o.ID] = fmt.Sprintf("%s.%d", q.Code, i+1)
		}
	}
	return out
}

// selectedCodes names selected options, in order.
func selectedCodes(code map[int64]string, ids []int64) string {
	var out []string
	for _, id := range ids {
		out = append(out, code[id])
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

// generatedLines describes the data, one line per row, by names and
// addresses rather than ids, so that it can be compared with what the
// database holds whatever ids the rows got. v is the version the attempts
// were made on.
func generatedLines(d *demo.Data, v *upskill.FrameworkVersion) []string {
	b := &d.Bulk
	orgName := map[int64]string{}
	for _, o := range b.Organisations {
		orgName[o.ID] = o.Name
	}
	name := func(id int64) string {
		if n, ok := orgName[id]; ok {
			return n
		}
		return demo.NationName // the only stored node the demo uses on a fresh database
	}
	unitName := map[int64]string{}
	for _, u := range b.Units {
		unitName[u.ID] = u.Name
	}
	email := map[int64]string{}
	for _, p := range b.People {
		email[p.ID] = p.Email
	}
	var lines []string
	for _, o := range b.Organisations {
		lines = append(lines, fmt.Sprintf("org|%s|%s|%s|%s", o.Level, o.Type, o.Name, name(o.ParentID)))
	}
	for _, u := range b.Units {
		lines = append(lines, fmt.Sprintf("unit|%s|%s|%s", name(u.OrganisationID), unitName[u.ParentID], u.Name))
	}
	for _, p := range b.People {
		lines = append(lines, fmt.Sprintf("person|%s|%s", upskill.NormaliseEmail(p.Email), p.Name))
	}
	type personOrg struct{ person, org int64 }
	membership := map[personOrg]upskill.Membership{}
	for _, m := range b.Memberships {
		lines = append(lines, fmt.Sprintf("member|%s|%s|%d|%s|%s|%s|%s|%s|%s", email[m.PersonID], name(m.OrganisationID),
			m.Roles, m.StaffGroup, m.JobRole, m.PayBand, unitName[m.UnitID], email[m.LineManagerID], m.StartedAt.UTC().Format("2006-01-02")))
		membership[personOrg{m.PersonID, m.OrganisationID}] = m
	}
	var code map[int64]string
	if v != nil {
		code = codes(v)
	}
	for _, a := range b.Attempts {
		// Staff details are kept as they were when an attempt was
		// submitted.
		var staff upskill.StaffAttributes
		if a.Status == upskill.AttemptSubmitted {
			staff = membership[personOrg{a.PersonID, a.OrganisationID}].StaffAttributes
		}
		updated := a.UpdatedAt
		if a.Status == upskill.AttemptSubmitted {
			updated = a.SubmittedAt
		}
		who := email[a.PersonID] + "|" + lineTime(a.StartedAt)
		lines = append(lines, fmt.Sprintf("attempt|%s|%s|%s|%s|%s|%s|%s|%s|%s", who, name(a.OrganisationID), a.Status,
			lineTime(updated), lineTime(a.SubmittedAt), staff.StaffGroup, staff.JobRole, staff.PayBand, unitName[staff.UnitID]))
		for _, ans := range a.Answers {
			lines = append(lines, fmt.Sprintf("answer|%s|%s|%d|%d", who, code[ans.CapabilityID], ans.Now, ans.Needed))
		}
		for _, c := range a.Checks {
			lines = append(lines, fmt.Sprintf("check|%s|%s|%s|%t", who, code[c.QuestionID], selectedCodes(code, c.Selected),
				v.Question(c.QuestionID).Correct(c.Selected)))
		}
	}
	slices.Sort(lines)
	return lines
}

// storedLines describes what the database holds in the same form.
func storedLines(t testing.TB, s *store.Store) []string {
	t.Helper()
	db := readDB(s)
	var lines []string
	query := func(q string, scan func(*sql.Rows) string) {
		rows, err := db.QueryContext(ctx, q)
		must(t, err)
		defer rows.Close()
		for rows.Next() {
			lines = append(lines, scan(rows))
		}
		must(t, rows.Err())
	}
	query(`SELECT o.level, o.org_type, o.name, p.name FROM organisations o JOIN organisations p ON p.id = o.parent_id`,
		func(r *sql.Rows) string {
			var level, typ, name, parent string
			must(t, r.Scan(&level, &typ, &name, &parent))
			return fmt.Sprintf("org|%s|%s|%s|%s", level, typ, name, parent)
		})
	query(`SELECT o.name, coalesce(d.name, ''), u.name FROM units u JOIN organisations o ON o.id = u.organisation_id
		LEFT JOIN units d ON d.id = u.parent_id`,
		func(r *sql.Rows) string {
			var org, dept, name string
			must(t, r.Scan(&org, &dept, &name))
			return fmt.Sprintf("unit|%s|%s|%s", org, dept, name)
		})
	query(`SELECT email, name FROM people`, func(r *sql.Rows) string {
		var email, name string
		must(t, r.Scan(&email, &name))
		return fmt.Sprintf("person|%s|%s", email, name)
	})
	query(`SELECT p.email, o.name, m.roles, m.staff_group, m.job_role, m.pay_band, coalesce(u.name, ''),
		coalesce(lm.email, ''), m.started_at
		FROM memberships m JOIN people p ON p.id = m.person_id JOIN organisations o ON o.id = m.organisation_id
		LEFT JOIN units u ON u.id = m.unit_id LEFT JOIN people lm ON lm.id = m.line_manager_id`,
		func(r *sql.Rows) string {
			var email, org, group, job, band, unit, lm string
			var roles int
			var started sql.NullTime
			must(t, r.Scan(&email, &org, &roles, &group, &job, &band, &unit, &lm, &started))
			return fmt.Sprintf("member|%s|%s|%d|%s|%s|%s|%s|%s|%s", email, org, roles, group, job, band, unit, lm,
				started.Time.UTC().Format("2006-01-02"))
		})
	var code map[int64]string
	if _, v, err := s.PublishedVersion(ctx, framework.DefaultKey); err == nil {
		code = codes(v)
	} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		t.Fatal(err)
	}
	query(`SELECT p.email, a.started_at, coalesce(o.name, ''), a.status, a.updated_at, a.submitted_at,
		a.staff_group, a.job_role, a.pay_band, coalesce(u.name, '')
		FROM attempts a JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = a.organisation_id
		LEFT JOIN units u ON u.id = a.unit_id`,
		func(r *sql.Rows) string {
			var email, org, status, group, job, band, unit string
			var started, updated time.Time
			var submitted sql.NullTime
			must(t, r.Scan(&email, &started, &org, &status, &updated, &submitted, &group, &job, &band, &unit))
			return fmt.Sprintf("attempt|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", email, lineTime(started), org, status,
				lineTime(updated), lineTime(submitted.Time), group, job, band, unit)
		})
	query(`SELECT p.email, a.started_at, x.capability_id, x.now_rating, x.needed_rating
		FROM answers x JOIN attempts a ON a.id = x.attempt_id JOIN people p ON p.id = a.person_id`,
		func(r *sql.Rows) string {
			var email string
			var started time.Time
			var capability int64
			var now, needed int
			must(t, r.Scan(&email, &started, &capability, &now, &needed))
			return fmt.Sprintf("answer|%s|%s|%s|%d|%d", email, lineTime(started), code[capability], now, needed)
		})
	query(`SELECT p.email, a.started_at, x.question_id, x.selected, x.correct
		FROM check_answers x JOIN attempts a ON a.id = x.attempt_id JOIN people p ON p.id = a.person_id`,
		func(r *sql.Rows) string {
			var email, selected string
			var started time.Time
			var question int64
			var correct bool
			must(t, r.Scan(&email, &started, &question, &selected, &correct))
			var ids []int64
			for _, f := range strings.Split(selected, ",") {
				id, err := strconv.ParseInt(f, 10, 64)
				must(t, err)
				ids = append(ids, id)
			}
			return fmt.Sprintf("check|%s|%s|%s|%s|%t", email, lineTime(started), code[question], selectedCodes(code, ids), correct)
		})
	slices.Sort(lines)
	return lines
}

func digest(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestSameSeedSameData(t *testing.T) {
	v := testVersion(t)
	where := demo.Placement{NationID: 1, Version: v}
	generated := demo.Generate(small, where)
	if len(generated.Bulk.Attempts) == 0 {
		t.Fatal("no attempts were made")
	}
	a := digest(generatedLines(generated, v))
	b := digest(generatedLines(demo.Generate(small, where), v))
	if a != b {
		t.Fatalf("the same seed generated different data: %s, %s", a, b)
	}
	other := small
	other.Seed++
	if c := digest(generatedLines(demo.Generate(other, where), v)); c == a {
		t.Fatalf("seeds %d and %d generated the same data", small.Seed, other.Seed)
	}
	// The staff are the same with or without their attempts.
	staffOnly := small
	staffOnly.Attempts = false
	without := demo.Generate(staffOnly, where)
	if len(without.Bulk.Attempts) != 0 {
		t.Fatal("attempts were made when not asked for")
	}
	generated.Bulk.Attempts = nil
	if digest(generatedLines(without, v)) != digest(generatedLines(generated, v)) {
		t.Fatal("making attempts changed the staff")
	}

	storetest.Each(t, func(t *testing.T, s *store.Store) {
		first := load(t, s, small)
		// What is stored is exactly what was generated.
		stored := storedLines(t, s)
		if want := generatedLines(first, storedVersion(t, s)); !slices.Equal(stored, want) {
			t.Fatalf("stored data differs from generated data: %d stored lines, %d generated, first difference %q",
				len(stored), len(want), firstDifference(stored, want))
		}
		// Another database with the same seed holds the same data; with
		// another seed it does not.
		again := storetest.Open(t, s.Engine())
		load(t, again, small)
		if digest(storedLines(t, again)) != digest(stored) {
			t.Fatal("the same seed stored different data")
		}
		different := storetest.Open(t, s.Engine())
		other.Attempts = false // the staff differ already; attempts by seed are compared above
		load(t, different, other)
		if digest(storedLines(t, different)) == digest(stored) {
			t.Fatal("different seeds stored the same data")
		}
	})
}

func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + " / " + b[i]
		}
	}
	return "(one is a prefix of the other)"
}

// memberRow is one membership as stored, with what the checks need.
type memberRow struct {
	person, org, unit, lineManager int64
	level                          upskill.Level
	orgType                        upskill.OrgType
	roles                          upskill.RoleSet
	group                          upskill.StaffGroup
	band                           upskill.PayBand
	job                            string
	unitOrg, unitParent            int64
}

func storedMembers(t testing.TB, s *store.Store) []memberRow {
	t.Helper()
	rows, err := readDB(s).QueryContext(ctx, `SELECT m.person_id, m.organisation_id, coalesce(m.unit_id, 0),
		coalesce(m.line_manager_id, 0), o.level, o.org_type, m.roles, m.staff_group, m.pay_band, m.job_role,
		coalesce(u.organisation_id, 0), coalesce(u.parent_id, 0)
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id LEFT JOIN units u ON u.id = m.unit_id
		WHERE m.ended_at IS NULL ORDER BY m.id`)
	must(t, err)
	defer rows.Close()
	var out []memberRow
	for rows.Next() {
		var r memberRow
		var level, typ, group, band string
		must(t, rows.Scan(&r.person, &r.org, &r.unit, &r.lineManager, &level, &typ, &r.roles, &group, &band, &r.job, &r.unitOrg, &r.unitParent))
		r.level, r.orgType, r.group, r.band = upskill.Level(level), upskill.OrgType(typ), upskill.StaffGroup(group), upskill.PayBand(band)
		out = append(out, r)
	}
	must(t, rows.Err())
	return out
}

func TestCountsRolesAndTenancy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := load(t, s, small)
		members := storedMembers(t, s)

		type key struct{ person, org int64 }
		byKey := map[key]memberRow{}
		for _, m := range members {
			byKey[key{m.person, m.org}] = m
		}
		var staff, supervisors int
		perOrg := map[int64]*struct{ staff, admins, authors, supervisors, learners int }{}
		leads := map[int64]int{}
		var nationalAdmins int
		for _, m := range members {
			if !m.roles.ValidAt(m.level) {
				t.Errorf("membership %+v: roles %s are not valid for a %s", m, m.roles.Labels(), m.level)
			}
			switch m.level {
			case upskill.LevelNation:
				nationalAdmins++
				continue
			case upskill.LevelRegion:
				leads[m.org]++
				continue
			}
			staff++
			c := perOrg[m.org]
			if c == nil {
				c = &struct{ staff, admins, authors, supervisors, learners int }{}
				perOrg[m.org] = c
			}
			c.staff++
			switch {
			case m.roles.Has(upskill.RoleOrgAdmin):
				c.admins++
				if m.roles != upskill.RoleSet(upskill.RoleOrgAdmin).With(upskill.RoleLearner) {
					t.Errorf("an admin has roles %s", m.roles.Labels())
				}
			case m.roles.Has(upskill.RoleContentAuthor):
				c.authors++
			case m.roles.Has(upskill.RoleSupervisor):
				c.supervisors++
				supervisors++
			case m.roles == upskill.RoleSet(upskill.RoleLearner):
				c.learners++
			}
			if !m.roles.Has(upskill.RoleLearner) {
				t.Errorf("a member of staff is not a learner: %s", m.roles.Labels())
			}

			// Tenancy: the unit and the line manager are the organisation's own.
			if m.unit == 0 || m.unitOrg != m.org {
				t.Errorf("membership of %d is placed in unit %d of organisation %d", m.org, m.unit, m.unitOrg)
			}
			if m.lineManager != 0 {
				lm, ok := byKey[key{m.lineManager, m.org}]
				switch {
				case !ok:
					t.Errorf("person %d in organisation %d is line managed by %d, who does not work there", m.person, m.org, m.lineManager)
				case m.lineManager == m.person:
					t.Errorf("person %d line manages themselves", m.person)
				case !lm.roles.Has(upskill.RoleSupervisor):
					t.Errorf("person %d is line managed by %d, who is not a supervisor", m.person, m.lineManager)
				case lm.unit != m.unit && lm.unit != m.unitParent:
					t.Errorf("person %d in unit %d is line managed from unit %d, neither theirs nor its department", m.person, m.unit, lm.unit)
				}
			}

			// Staff details fit the kind of organisation.
			if !m.group.Valid() || m.group == "" || !m.band.Valid() || m.band == "" || m.job == "" {
				t.Errorf("incomplete staff details: %+v", m)
			}
			social := strings.HasPrefix(string(m.group), "care_")
			switch m.orgType {
			case upskill.OrgCareHome, upskill.OrgHomeCare, upskill.OrgLocalAuthority:
				if !social || m.band != "other" {
					t.Errorf("%s staff with group %s and band %s", m.orgType, m.group, m.band)
				}
			default:
				if social {
					t.Errorf("%s staff in social care group %s", m.orgType, m.group)
				}
				medical := strings.HasPrefix(string(m.band), "med_")
				if medical != (m.group == "medical_dental") {
					t.Errorf("%s %q has band %s", m.group, m.job, m.band)
				}
				if !medical && !strings.HasPrefix(string(m.band), "afc_") && m.group != "students" {
					t.Errorf("NHS job %q has band %s", m.job, m.band)
				}
			}
		}

		if staff != small.Staff {
			t.Errorf("%d staff stored, %d asked for", staff, small.Staff)
		}
		if len(perOrg) != small.Orgs {
			t.Errorf("%d organisations have staff, %d asked for", len(perOrg), small.Orgs)
		}
		for id, c := range perOrg {
			if c.admins < 1 || c.admins > 2 || c.authors != 1 || c.supervisors < 1 || c.learners < 1 {
				t.Errorf("organisation %d: %+v", id, *c)
			}
		}
		if share := float64(supervisors) / float64(staff); share < 0.08 || share > 0.25 {
			t.Errorf("%.0f%% of staff supervise; about one in eight should", share*100)
		}
		if nationalAdmins != 1 || len(leads) != len(demo.Regions) {
			t.Errorf("%d national admins and leads in %d regions", nationalAdmins, len(leads))
		}
		for region, n := range leads {
			if n != 1 {
				t.Errorf("region %d has %d leads", region, n)
			}
		}
		nation, err := s.Nation(ctx)
		must(t, err)
		regions, err := s.Children(ctx, nation.ID)
		must(t, err)
		orgs := 0
		for _, r := range regions {
			orgs += r.Children
		}
		if nation.Name != demo.NationName || len(regions) != len(demo.Regions) || orgs != small.Orgs {
			t.Errorf("hierarchy: %s, %d regions, %d organisations", nation.Name, len(regions), orgs)
		}
		var people int
		must(t, readDB(s).QueryRowContext(ctx, `SELECT count(*) FROM people`).Scan(&people))
		if people != small.Staff+1+len(demo.Regions) {
			t.Errorf("%d people stored", people)
		}

		// Every kind of organisation is there.
		types := map[upskill.OrgType]bool{}
		for _, o := range d.Bulk.Organisations {
			types[o.Type] = true
		}
		for _, typ := range upskill.OrgTypes {
			if !types[typ] && typ != upskill.OrgOther {
				t.Errorf("no organisation of type %s", typ)
			}
		}

		// One audit event records the load, after the default framework
		// was stored for the attempts.
		events, err := s.AuditEvents(ctx, nation.ID, 5)
		must(t, err)
		if len(events) != 2 || events[0].Action != demo.AuditAction || !strings.Contains(events[0].Detail, "seed 7") ||
			!strings.Contains(events[0].Detail, "attempts at the assessment") || events[1].Action != "import_framework" {
			t.Errorf("audit events: %+v", events)
		}
	})
}

func TestPrintedLoginsSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := load(t, s, small)
		var out bytes.Buffer
		must(t, d.WriteLogins(&out, testPassword))
		text := out.String()
		if n := strings.Count(text, "\n"); n > 40 {
			t.Errorf("the logins take %d lines:\n%s", n, text)
		}
		if !strings.Contains(text, testPassword) {
			t.Errorf("the password is not printed:\n%s", text)
		}
		// Learners shown took every cycle of the assessment, so that their
		// reports can be compared.
		if !strings.Contains(text, "Each learner took the assessment in 2024, 2025 and 2026.\n") {
			t.Errorf("the learners' assessments are not explained:\n%s", text)
		}
		emails := regexp.MustCompile(`<([^<>\s]+@[^<>\s]+)>`).FindAllStringSubmatch(text, -1)
		if len(emails) < 1+len(demo.Regions)+3*4 {
			t.Fatalf("only %d sign-ins printed:\n%s", len(emails), text)
		}
		for _, m := range emails {
			p, hash, err := s.Credentials(ctx, m[1])
			if err != nil {
				t.Errorf("%s: %v", m[1], err)
				continue
			}
			ok, err := cheap.Check(ctx, testPassword, hash)
			if err != nil || !ok {
				t.Errorf("%s cannot sign in with the printed password: %v", m[1], err)
			}
			if !p.EmailVerified() {
				t.Errorf("%s has not confirmed their address", m[1])
			}
		}

		// Each login holds the role it is printed as.
		roleAt := func(email string) (upskill.RoleSet, upskill.Level) {
			p, _, err := s.Credentials(ctx, email)
			must(t, err)
			a, err := s.Actor(ctx, p.ID)
			must(t, err)
			if len(a.Memberships) != 1 {
				t.Fatalf("%s has %d memberships", email, len(a.Memberships))
			}
			return a.Memberships[0].Roles, a.Memberships[0].Org.Level
		}
		if r, l := roleAt(d.Logins.NationalAdmin.Email); !r.Has(upskill.RoleNationalAdmin) || l != upskill.LevelNation {
			t.Errorf("national admin holds %s at a %s", r.Labels(), l)
		}
		for _, lead := range d.Logins.RegionLeads {
			if r, l := roleAt(lead.Email); !r.Has(upskill.RoleRegionLead) || l != upskill.LevelRegion {
				t.Errorf("lead of %s holds %s at a %s", lead.Region, r.Labels(), l)
			}
		}
		for _, o := range d.Logins.Organisations {
			checks := []struct {
				acct upskill.Role
				a    demo.Account
			}{{upskill.RoleOrgAdmin, o.Admin}, {upskill.RoleContentAuthor, o.Author}, {upskill.RoleSupervisor, o.Supervisor}, {upskill.RoleLearner, o.Learner}}
			for _, c := range checks {
				if c.a.Email == "" {
					t.Errorf("%s has no %s to show", o.Name, c.acct.Label())
					continue
				}
				if r, _ := roleAt(c.a.Email); !r.Has(c.acct) {
					t.Errorf("%s of %s holds %s", c.acct.Label(), o.Name, r.Labels())
				}
			}
		}
	})
}

func TestLoadingTwiceIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// A region made by hand before the demo is used, not duplicated.
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		london, err := s.CreateChild(ctx, 0, nation, upskill.OrganisationInput{Name: "London"})
		must(t, err)
		d := load(t, s, small)
		regions, err := s.Children(ctx, nation.ID)
		must(t, err)
		if len(regions) != len(demo.Regions) {
			t.Fatalf("%d regions after the demo", len(regions))
		}
		for _, lead := range d.Logins.RegionLeads {
			if lead.Region != "London" {
				continue
			}
			p, _, err := s.Credentials(ctx, lead.Email)
			must(t, err)
			a, err := s.Actor(ctx, p.ID)
			must(t, err)
			if a.Memberships[0].Org.ID != london.ID {
				t.Errorf("the lead of London leads %+v", a.Memberships[0])
			}
		}
		before := len(storedLines(t, s))

		hash, err := cheap.Hash(ctx, testPassword)
		must(t, err)
		other := small
		other.Seed = 99
		_, err = demo.Load(ctx, s, other, hash)
		var already *demo.AlreadyLoadedError
		if !errors.As(err, &already) || !strings.Contains(err.Error(), "already holds demo data") {
			t.Fatalf("second load: %v", err)
		}
		if after := len(storedLines(t, s)); after != before {
			t.Fatalf("a refused load changed the database: %d rows, then %d", before, after)
		}
	})
}

func TestOptions(t *testing.T) {
	for _, c := range []struct {
		opt  demo.Options
		want string
	}{
		{demo.Options{Orgs: 0, Staff: 10}, "--orgs"},
		{demo.Options{Orgs: 10, Staff: 39}, "--staff must be at least 40"},
		{demo.Options{Orgs: 1, Staff: demo.MaxStaff + 1}, "--staff"},
		{demo.Options{Orgs: 10, Staff: 40}, ""},
	} {
		err := c.opt.Validate()
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
	}
	// The smallest demo still has everyone it promises.
	for _, opt := range []demo.Options{{Orgs: 1, Staff: 4}, {Orgs: 9, Staff: 36, Seed: 3}} {
		d := demo.Generate(opt, demo.Placement{NationID: 1})
		for _, o := range d.Logins.Organisations {
			if o.Admin.Email == "" || o.Author.Email == "" || o.Supervisor.Email == "" || o.Learner.Email == "" {
				t.Errorf("%+v: %s lacks an account: %+v", opt, o.Name, o)
			}
		}
	}
}
