package store_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// rawRows reads a query's rows as text, for comparing what two ways of
// storing the same thing left in the database. Queries take no
// parameters, so that they run unchanged on both engines.
func rawRows(t *testing.T, s *store.Store, query string) []string {
	t.Helper()
	db := s.DBs()["main"]
	if db == nil {
		db = s.DBs()["read"]
	}
	rows, err := db.QueryContext(ctx, query)
	must(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	must(t, rows.Err())
	return out
}

// attemptRows are what the database holds of an attempt apart from its
// id, person and times: the same answers stored either way must read the
// same.
func attemptRows(t *testing.T, s *store.Store, id int64) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT status, coalesce(organisation_id, 0), framework_id, version_id, staff_group, job_role, pay_band,
			coalesce(unit_id, 0), submitted_at IS NULL FROM attempts WHERE id = %d`,
		`SELECT capability_id, now_rating, needed_rating FROM answers WHERE attempt_id = %d ORDER BY capability_id`,
		`SELECT question_id, selected, correct FROM check_answers WHERE attempt_id = %d ORDER BY question_id`,
		`SELECT domain_code, now_mean, needed_mean, gap_mean, band, answered, checks_correct, checks_answered, calibration
			FROM attempt_scores WHERE attempt_id = %d ORDER BY domain_code`,
	} {
		out = append(out, rawRows(t, s, fmt.Sprintf(q, id))...)
	}
	return out
}

func TestBulkAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		v := loadSmall(t, s)
		caps := v.Capabilities()
		q1, q2 := v.Questions[0], v.Questions[1]
		answers := []upskill.Answer{
			{CapabilityID: caps[0].ID, Now: 3, Needed: 8}, {CapabilityID: caps[1].ID, Now: 9, Needed: 9},
			{CapabilityID: caps[2].ID, Now: 2, Needed: 4}, {CapabilityID: caps[3].ID, Now: 0, Needed: 1},
		}
		checks := []upskill.CheckAnswer{
			{QuestionID: q1.ID, Selected: []int64{q1.Options[1].ID}},                   // wrong
			{QuestionID: q2.ID, Selected: []int64{q2.Options[1].ID, q2.Options[0].ID}}, // right, in another order
		}
		began := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

		// People 5 and 6 are nurses on the same ward; 4 and 7 work in the
		// care home.
		b := smallBulk(nation.ID, 12)
		b.Attempts = []upskill.Attempt{
			{PersonID: -5, OrganisationID: -2, VersionID: v.ID, Status: upskill.AttemptSubmitted,
				StartedAt: began, SubmittedAt: began.Add(20 * time.Minute), Answers: answers, Checks: checks},
			{PersonID: -5, OrganisationID: -2, VersionID: v.ID, Status: upskill.AttemptInProgress,
				StartedAt: began.AddDate(1, 0, 0), UpdatedAt: began.AddDate(1, 0, 0).Add(3 * time.Minute), Answers: answers[:2]},
			{PersonID: -4, VersionID: v.ID, Status: upskill.AttemptSubmitted,
				StartedAt: began, SubmittedAt: began.Add(time.Hour), Answers: answers},
			{PersonID: -7, OrganisationID: -3, VersionID: v.ID, Status: upskill.AttemptSubmitted,
				StartedAt: began.Add(-48 * time.Hour), SubmittedAt: began, Answers: slices.Clone(answers), Checks: checks[1:]},
		}
		slices.Reverse(b.Attempts[3].Answers) // answers may come in any order
		must(t, s.BulkLoad(ctx, 0, b))

		trust, home := b.Organisations[1], b.Organisations[2]
		nurse, other := b.People[4], b.People[5]
		first, open := b.Attempts[0], b.Attempts[1]
		if first.ID <= 0 || first.PersonID != nurse.ID || first.OrganisationID != trust.ID || !first.UpdatedAt.Equal(first.SubmittedAt) {
			t.Fatalf("attempt after load: %+v", first)
		}
		if b.Attempts[2].OrganisationID != 0 || b.Attempts[3].OrganisationID != home.ID {
			t.Fatalf("organisations after load: %d, %d", b.Attempts[2].OrganisationID, b.Attempts[3].OrganisationID)
		}

		// The same answers given one at a time, by a nurse with the same
		// staff details, store exactly the same rows: the scores, the
		// staff details and the answers as the checks took them.
		a, _, err := s.StartAttempt(ctx, other.ID, trust.ID, "small")
		must(t, err)
		for _, ans := range answers {
			must(t, s.SaveAnswer(ctx, other.ID, a.ID, ans))
		}
		for _, c := range checks {
			must(t, s.SaveCheck(ctx, other.ID, a.ID, c))
		}
		report, err := s.SubmitAttempt(ctx, other.ID, a.ID)
		must(t, err)
		bulk, oneByOne := attemptRows(t, s, first.ID), attemptRows(t, s, a.ID)
		if !slices.Equal(bulk, oneByOne) {
			t.Fatalf("a loaded attempt differs from the same one submitted:\nloaded:    %q\nsubmitted: %q", bulk, oneByOne)
		}
		if !strings.Contains(bulk[0], "nursing_midwifery|Staff nurse|afc_5|"+fmt.Sprint(b.Units[1].ID)) {
			t.Fatalf("staff details of the loaded attempt: %q", bulk[0])
		}
		// Without an organisation, or in progress, there are no staff
		// details; in progress, no scores either.
		for _, i := range []int{1, 2} {
			rows := attemptRows(t, s, b.Attempts[i].ID)
			if !strings.Contains(rows[0], "|||0|") {
				t.Errorf("attempt %d has staff details: %q", i, rows[0])
			}
			if n := len(rows) - 1 - len(b.Attempts[i].Answers) - len(b.Attempts[i].Checks); (i == 1) != (n == 0) {
				t.Errorf("attempt %d has %d scores", i, n)
			}
		}

		// What the one-at-a-time methods read is what was loaded.
		got, err := s.Attempt(ctx, nurse.ID, first.ID)
		must(t, err)
		if !got.StartedAt.Equal(began) || !got.SubmittedAt.Equal(began.Add(20*time.Minute)) || len(got.Answers) != 4 || len(got.Checks) != 2 ||
			!slices.Equal(got.Checks[1].Selected, []int64{q2.Options[0].ID, q2.Options[1].ID}) {
			t.Fatalf("loaded attempt read back: %+v", got)
		}
		history, err := s.Attempts(ctx, nurse.ID, v.FrameworkID)
		must(t, err)
		if len(history) != 2 || history[0].Status != upskill.AttemptInProgress || history[0].Answered != 2 || history[1].Domains == nil {
			t.Fatalf("history: %+v", history)
		}
		for i, d := range history[1].Domains {
			want := report.Domains[i]
			if d.Code != want.Code || d.Now != want.Now || d.Needed != want.Needed || d.Gap != want.Gap || d.Band != want.Band ||
				d.ChecksCorrect != want.ChecksCorrect || d.ChecksAnswered != want.ChecksAnswered || d.Calibration != want.Calibration {
				t.Errorf("domain %s: loaded %+v, submitted %+v", d.Code, d, want)
			}
		}
		// The attempt in progress is the person's open one, and carries on.
		resumed, isNew, err := s.StartAttempt(ctx, nurse.ID, trust.ID, "small")
		must(t, err)
		if isNew || resumed.ID != open.ID || !resumed.UpdatedAt.Equal(began.AddDate(1, 0, 0).Add(3*time.Minute)) {
			t.Fatalf("resumed: %+v", resumed)
		}
		must(t, s.SaveAnswer(ctx, nurse.ID, open.ID, answers[2]))

		// Answers are given at even steps from the start to the last change.
		times := rawRows(t, s, fmt.Sprintf(`SELECT answered_at FROM answers WHERE attempt_id = %d ORDER BY capability_id`, b.Attempts[2].ID))
		for i, want := range []time.Duration{15, 30, 45, 60} {
			at := b.Attempts[2].StartedAt.Add(want * time.Minute)
			if !strings.HasPrefix(times[i], at.Format("2006-01-02 15:04:05")) {
				t.Errorf("answer %d given at %s, want %s", i, times[i], at)
			}
		}
		if s.Engine() == store.SQLite {
			// Times are the text the driver writes, which SQLite's date
			// functions read.
			var bad int
			db := s.DBs()["read"]
			must(t, db.QueryRowContext(ctx, `SELECT count(*) FROM answers WHERE typeof(answered_at) <> 'text'
				OR julianday(answered_at) IS NULL`).Scan(&bad))
			if bad > 0 {
				t.Errorf("%d answers have times SQLite cannot read", bad)
			}
			pattern := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00$`)
			var text string
			for _, id := range []int64{first.ID, a.ID} {
				must(t, db.QueryRowContext(ctx, `SELECT CAST(submitted_at AS TEXT) FROM attempts WHERE id = ?`, id).Scan(&text))
				if !pattern.MatchString(text) {
					t.Errorf("attempt %d was submitted at %q", id, text)
				}
				must(t, db.QueryRowContext(ctx, `SELECT CAST(answered_at AS TEXT) FROM answers WHERE attempt_id = ? LIMIT 1`, id).Scan(&text))
				if !pattern.MatchString(text) {
					t.Errorf("an answer of attempt %d was given at %q", id, text)
				}
			}
		}

		// Foreign keys are enforced again after the load.
		if s.Engine() == store.SQLite {
			var on int
			must(t, s.DBs()["write"].QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on))
			if on != 1 {
				t.Error("foreign keys are off after a load")
			}
		} else {
			keys := rawRows(t, s, `SELECT conrelid::regclass::text, count(*) FROM pg_constraint WHERE contype = 'f'
				AND conrelid IN ('answers'::regclass, 'check_answers'::regclass, 'attempt_scores'::regclass) GROUP BY 1 ORDER BY 1`)
			if !slices.Equal(keys, []string{"answers|2", "attempt_scores|1", "check_answers|2"}) {
				t.Errorf("foreign keys after a load: %q", keys)
			}
		}
		w, insert := s.DBs()["write"], `INSERT INTO answers (attempt_id, capability_id, now_rating, needed_rating, answered_at)
			VALUES (?, 999999, 1, 1, ?)`
		if s.Engine() == store.Postgres {
			w, insert = s.DBs()["main"], strings.NewReplacer("(?, ", "($1, ", ", ?)", ", $2)").Replace(insert)
		}
		if _, err := w.ExecContext(ctx, insert, open.ID, began); err == nil {
			t.Error("an answer to no capability was stored after a load")
		}

		events, err := s.AuditEvents(ctx, nation.ID, 1)
		must(t, err)
		if !strings.HasSuffix(events[0].Detail, ", 4 attempts at the assessment") {
			t.Errorf("audit detail: %q", events[0].Detail)
		}
	})
}

func TestBulkAttemptsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		v := loadSmall(t, s)
		caps := v.Capabilities()
		fw, _ := smallFramework()
		_, dv := smallFramework()
		draftID, err := s.ImportVersion(ctx, 0, upskill.Framework{ID: v.FrameworkID, Key: fw.Key, Name: fw.Name}, dv, false)
		must(t, err)
		began := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)
		full := func() []upskill.Answer {
			var out []upskill.Answer
			for _, c := range caps {
				out = append(out, upskill.Answer{CapabilityID: c.ID, Now: 1, Needed: 1})
			}
			return out
		}
		bulk := func() *store.Bulk {
			b := smallBulk(nation.ID, 12)
			b.Attempts = []upskill.Attempt{
				{PersonID: -5, OrganisationID: -2, VersionID: v.ID, Status: upskill.AttemptSubmitted,
					StartedAt: began, SubmittedAt: began.Add(time.Hour), Answers: full(),
					Checks: []upskill.CheckAnswer{{QuestionID: v.Questions[0].ID, Selected: []int64{v.Questions[0].Options[0].ID}}}},
				{PersonID: -5, OrganisationID: -2, VersionID: v.ID, Status: upskill.AttemptInProgress, StartedAt: began.AddDate(1, 0, 0)},
			}
			return b
		}
		cases := []struct {
			name  string
			spoil func(b *store.Bulk)
		}{
			{"person not loaded", func(b *store.Bulk) { b.Attempts[0].PersonID = 1 }},
			{"organisation the person is not in", func(b *store.Bulk) { b.Attempts[0].OrganisationID = -3 }},
			{"no version", func(b *store.Bulk) { b.Attempts[0].VersionID = 0 }},
			{"version not stored", func(b *store.Bulk) { b.Attempts[0].VersionID = v.ID + 1000 }},
			{"draft version", func(b *store.Bulk) { b.Attempts[1].VersionID = draftID }},
			{"unknown status", func(b *store.Bulk) { b.Attempts[0].Status = "abandoned" }},
			{"no start", func(b *store.Bulk) { b.Attempts[1].StartedAt = time.Time{} }},
			{"submitted before started", func(b *store.Bulk) { b.Attempts[0].SubmittedAt = began.Add(-time.Hour) }},
			{"submitted without a time", func(b *store.Bulk) { b.Attempts[0].SubmittedAt = time.Time{} }},
			{"submitted, changed later", func(b *store.Bulk) { b.Attempts[0].UpdatedAt = began.Add(2 * time.Hour) }},
			{"in progress with a submission time", func(b *store.Bulk) { b.Attempts[1].SubmittedAt = began }},
			{"in progress, changed before it started", func(b *store.Bulk) { b.Attempts[1].UpdatedAt = began }},
			{"two in progress", func(b *store.Bulk) {
				b.Attempts[0].Status, b.Attempts[0].SubmittedAt = upskill.AttemptInProgress, time.Time{}
			}},
			{"submitted with a statement unrated", func(b *store.Bulk) { b.Attempts[0].Answers = b.Attempts[0].Answers[1:] }},
			{"statement rated twice", func(b *store.Bulk) { b.Attempts[0].Answers[1] = b.Attempts[0].Answers[0] }},
			{"rating off the scale", func(b *store.Bulk) { b.Attempts[0].Answers[0].Now = 11 }},
			{"level above the top", func(b *store.Bulk) { b.Attempts[0].Answers[2].Needed = 5 }},
			{"capability of no version", func(b *store.Bulk) { b.Attempts[1].Answers = []upskill.Answer{{CapabilityID: 999999}} }},
			{"question of no version", func(b *store.Bulk) { b.Attempts[0].Checks[0].QuestionID = 999999 }},
			{"option of another question", func(b *store.Bulk) { b.Attempts[0].Checks[0].Selected = []int64{v.Questions[1].Options[0].ID} }},
			{"two options for one answer", func(b *store.Bulk) {
				b.Attempts[0].Checks[0].Selected = []int64{v.Questions[0].Options[0].ID, v.Questions[0].Options[1].ID}
			}},
			{"question answered twice", func(b *store.Bulk) { b.Attempts[0].Checks = append(b.Attempts[0].Checks, b.Attempts[0].Checks[0]) }},
		}
		for _, c := range cases {
			b := bulk()
			c.spoil(b)
			if err := s.BulkLoad(ctx, 0, b); upskill.ErrorCode(err) != upskill.EINVALID {
				t.Errorf("%s: error %v, want %s", c.name, err, upskill.EINVALID)
			}
		}
		if _, _, err := s.Credentials(ctx, "person.1@example.org"); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("a refused load left a person behind: %v", err)
		}
		// The same rows, unspoilt, load.
		must(t, s.BulkLoad(ctx, 0, bulk()))
	})
}
