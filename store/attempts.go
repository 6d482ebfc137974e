package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
)

var errNoAttempt = upskill.Errorf(upskill.ENOTFOUND, "There is no such assessment of yours.")

// StartAttempt returns the person's attempt in progress on the framework,
// or starts one on its published version. orgID is the organisation the
// person takes it for; 0 when they belong to none. It reports whether the
// attempt is new.
func (s *Store) StartAttempt(ctx context.Context, personID, orgID int64, frameworkKey string) (*upskill.Attempt, bool, error) {
	fw, v, err := s.PublishedVersion(ctx, frameworkKey)
	if err != nil {
		return nil, false, err
	}
	if a, err := s.OpenAttempt(ctx, personID, fw.ID); err == nil {
		return a, false, nil
	} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return nil, false, err
	}
	if orgID != 0 {
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM memberships WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`,
			personID, orgID).Scan(&n); err != nil {
			return nil, false, s.fault(err)
		}
		if n == 0 {
			return nil, false, upskill.Errorf(upskill.EINVALID, "Choose an organisation you belong to.")
		}
	}
	now := s.clock()
	var id int64
	err = s.w.QueryRowContext(ctx, s.q(`INSERT INTO attempts (person_id, organisation_id, framework_id, version_id, status, started_at, updated_at)
		VALUES (?, ?, ?, ?, 'in_progress', ?, ?) RETURNING id`), personID, nullID(orgID), fw.ID, v.ID, now, now).Scan(&id)
	if isUniqueViolation(err) {
		// Started at the same moment in another tab: use that one.
		a, err := s.OpenAttempt(ctx, personID, fw.ID)
		return a, false, err
	}
	if err != nil {
		return nil, false, s.fault(err)
	}
	a, err := s.Attempt(ctx, personID, id)
	return a, true, err
}

// OpenAttempt returns the person's attempt in progress on a framework.
func (s *Store) OpenAttempt(ctx context.Context, personID, frameworkID int64) (*upskill.Attempt, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT id FROM attempts WHERE person_id = ? AND framework_id = ? AND status = 'in_progress'`, personID, frameworkID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAttempt
	}
	if err != nil {
		return nil, s.fault(err)
	}
	return s.Attempt(ctx, personID, id)
}

// Attempt returns one of the person's attempts with its answers. Another
// person's attempt is not found.
func (s *Store) Attempt(ctx context.Context, personID, attemptID int64) (*upskill.Attempt, error) {
	a := &upskill.Attempt{ID: attemptID, PersonID: personID}
	var org sql.NullInt64
	var submitted sql.NullTime
	err := s.queryRow(ctx, `SELECT organisation_id, version_id, status, started_at, updated_at, submitted_at
		FROM attempts WHERE id = ? AND person_id = ?`, attemptID, personID).
		Scan(&org, &a.VersionID, &a.Status, &a.StartedAt, &a.UpdatedAt, &submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAttempt
	}
	if err != nil {
		return nil, s.fault(err)
	}
	a.OrganisationID, a.SubmittedAt = org.Int64, submitted.Time
	if err := s.loadAnswers(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Store) loadAnswers(ctx context.Context, a *upskill.Attempt) error {
	rows, err := s.query(ctx, `SELECT capability_id, now_rating, needed_rating, answered_at FROM answers WHERE attempt_id = ?`, a.ID)
	if err != nil {
		return s.fault(err)
	}
	// The attempt last changed when its latest answer was given.
	latest := func(t time.Time) {
		if t.After(a.UpdatedAt) {
			a.UpdatedAt = t
		}
	}
	for rows.Next() {
		var ans upskill.Answer
		var at time.Time
		if err := rows.Scan(&ans.CapabilityID, &ans.Now, &ans.Needed, &at); err != nil {
			rows.Close()
			return s.fault(err)
		}
		a.Answers = append(a.Answers, ans)
		latest(at)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT question_id, selected, answered_at FROM check_answers WHERE attempt_id = ?`, a.ID)
	if err != nil {
		return s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c upskill.CheckAnswer
		var sel string
		var at time.Time
		if err := rows.Scan(&c.QuestionID, &sel, &at); err != nil {
			return s.fault(err)
		}
		c.Selected = parseIDs(sel)
		a.Checks = append(a.Checks, c)
		latest(at)
	}
	slices.SortFunc(a.Answers, func(x, y upskill.Answer) int { return int(x.CapabilityID - y.CapabilityID) })
	slices.SortFunc(a.Checks, func(x, y upskill.CheckAnswer) int { return int(x.QuestionID - y.QuestionID) })
	return s.fault(rows.Err())
}

func parseIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func formatIDs(ids []int64) string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// openAttemptTx locks the person's attempt for a change and returns its
// version, refusing an attempt that is not theirs or is already submitted.
func (s *Store) openAttemptTx(ctx context.Context, tx *sql.Tx, personID, attemptID int64) (*upskill.FrameworkVersion, error) {
	var versionID int64
	var status string
	st, err := s.prepared(ctx, tx, `SELECT version_id, status FROM attempts WHERE id = ? AND person_id = ?`+s.pick("", " FOR UPDATE"))
	if err != nil {
		return nil, s.fault(err)
	}
	err = st.QueryRowContext(ctx, attemptID, personID).Scan(&versionID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAttempt
	}
	if err != nil {
		return nil, s.fault(err)
	}
	if status != string(upskill.AttemptInProgress) {
		return nil, errSubmitted
	}
	return s.content(ctx, versionID)
}

// attemptOf returns the version of one of the person's attempts, of any
// status. Which person and version an attempt has never changes, so it is
// kept in memory once read, and saving an answer usually reads nothing
// before it writes.
func (s *Store) attemptOf(ctx context.Context, personID, attemptID int64) (*upskill.FrameworkVersion, error) {
	owner, ok := s.attemptsSeen.get(attemptID)
	if !ok {
		err := s.queryRow(ctx, `SELECT person_id, version_id FROM attempts WHERE id = ?`, attemptID).Scan(&owner.person, &owner.version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errNoAttempt
		}
		if err != nil {
			return nil, s.fault(err)
		}
		s.attemptsSeen.put(attemptID, owner)
	}
	if owner.person != personID {
		return nil, errNoAttempt
	}
	return s.content(ctx, owner.version)
}

// saveToOpen writes a row of an attempt if the attempt is the person's and
// still in progress, and otherwise says why not. insert is an INSERT whose
// values come from a SELECT without a FROM, with the condition added here.
//
// It is one statement on both engines. On PostgreSQL it takes a share lock
// on the attempt, so that a submission at the same moment either comes
// first, and the answer is refused, or waits for the answer and scores it;
// SQLite has one writer, so the statement cannot meet a submission.
func (s *Store) saveToOpen(ctx context.Context, personID, attemptID int64, insert string, args ...any) error {
	insert = strings.Replace(insert, "WHERE open", `WHERE EXISTS (SELECT 1 FROM attempts WHERE id = ? AND person_id = ?
		AND status = 'in_progress'`+s.pick("", " FOR SHARE")+`)`, 1)
	res, err := s.exec(ctx, insert, append(args, attemptID, personID)...)
	if err != nil {
		return s.fault(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errSubmitted
	}
	return nil
}

var errSubmitted = upskill.Errorf(upskill.ECONFLICT, "This assessment has been submitted, so its answers can no longer change. Start a new one to rate yourself again.")

// SaveAnswer saves, or replaces, the person's rating of one capability in
// an attempt in progress.
func (s *Store) SaveAnswer(ctx context.Context, personID, attemptID int64, a upskill.Answer) error {
	v, err := s.attemptOf(ctx, personID, attemptID)
	if err != nil {
		return err
	}
	if field, msg := upskill.AnswerProblem(v, a); msg != "" {
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: field, Message: msg}}}
	}
	return s.saveToOpen(ctx, personID, attemptID, `INSERT INTO answers (attempt_id, capability_id, now_rating, needed_rating, answered_at)
		SELECT ?, ?, ?, ?, ? WHERE open ON CONFLICT (attempt_id, capability_id) DO UPDATE SET
		now_rating = excluded.now_rating, needed_rating = excluded.needed_rating, answered_at = excluded.answered_at`,
		attemptID, a.CapabilityID, a.Now, a.Needed, s.clock())
}

// SaveCheck saves, or replaces, the person's answer to a knowledge-check
// question in an attempt in progress.
func (s *Store) SaveCheck(ctx context.Context, personID, attemptID int64, c upskill.CheckAnswer) error {
	v, err := s.attemptOf(ctx, personID, attemptID)
	if err != nil {
		return err
	}
	q := v.Question(c.QuestionID)
	if q == nil {
		msg := "That question is not part of this assessment"
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "question", Message: msg}}}
	}
	if msg := upskill.CheckAnswerProblem(q, c.Selected); msg != "" {
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "answer", Message: msg}}}
	}
	return s.saveToOpen(ctx, personID, attemptID, `INSERT INTO check_answers (attempt_id, question_id, selected, correct, answered_at)
		SELECT ?, ?, ?, ?, ? WHERE open ON CONFLICT (attempt_id, question_id) DO UPDATE SET
		selected = excluded.selected, correct = excluded.correct, answered_at = excluded.answered_at`,
		attemptID, c.QuestionID, formatIDs(c.Selected), q.Correct(c.Selected), s.clock())
}

// SubmitAttempt finishes an attempt: every capability must be rated. It
// stores each domain's result and the person's staff details in the
// attempt's organisation at this moment, and the attempt never changes
// again.
func (s *Store) SubmitAttempt(ctx context.Context, personID, attemptID int64) (*upskill.Report, error) {
	var report upskill.Report
	err := s.tx(ctx, func(tx *sql.Tx) error {
		v, err := s.openAttemptTx(ctx, tx, personID, attemptID)
		if err != nil {
			return err
		}
		a := &upskill.Attempt{ID: attemptID}
		if err := s.loadAnswersTx(ctx, tx, a); err != nil {
			return err
		}
		if missing := len(v.Capabilities()) - len(a.Answers); missing > 0 {
			return upskill.Errorf(upskill.EINVALID, "Rate yourself against every statement before you submit: %d still to do.", missing)
		}
		report = upskill.Score(v, a.Answers, a.Checks)
		now := s.clock()
		if _, err := s.txExec(ctx, tx, `UPDATE attempts SET status = 'submitted', submitted_at = ?, updated_at = ?,
			staff_group = coalesce((SELECT m.staff_group FROM memberships m WHERE m.person_id = attempts.person_id
				AND m.organisation_id = attempts.organisation_id AND m.ended_at IS NULL), ''),
			job_role = coalesce((SELECT m.job_role FROM memberships m WHERE m.person_id = attempts.person_id
				AND m.organisation_id = attempts.organisation_id AND m.ended_at IS NULL), ''),
			pay_band = coalesce((SELECT m.pay_band FROM memberships m WHERE m.person_id = attempts.person_id
				AND m.organisation_id = attempts.organisation_id AND m.ended_at IS NULL), ''),
			unit_id = (SELECT m.unit_id FROM memberships m WHERE m.person_id = attempts.person_id
				AND m.organisation_id = attempts.organisation_id AND m.ended_at IS NULL)
			WHERE id = ?`, now, now, attemptID); err != nil {
			return s.fault(err)
		}
		for _, d := range report.Domains {
			if _, err := s.txExec(ctx, tx, `INSERT INTO attempt_scores
				(attempt_id, domain_code, now_mean, needed_mean, gap_mean, band, answered, checks_correct, checks_answered, calibration, below)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				attemptID, d.Code, d.Now, d.Needed, d.Gap, d.Band, d.Answered, d.ChecksCorrect, d.ChecksAnswered, d.Calibration, d.Below); err != nil {
				return s.fault(err)
			}
		}
		return s.queueForInsight(ctx, tx, attemptID, now)
	})
	if err != nil {
		return nil, err
	}
	return &report, nil
}

// loadAnswersTx reads an attempt's answers inside a transaction, so that a
// submission scores exactly what it saw.
func (s *Store) loadAnswersTx(ctx context.Context, tx *sql.Tx, a *upskill.Attempt) error {
	rows, err := s.txQuery(ctx, tx, `SELECT capability_id, now_rating, needed_rating FROM answers WHERE attempt_id = ?`, a.ID)
	if err != nil {
		return s.fault(err)
	}
	for rows.Next() {
		var ans upskill.Answer
		if err := rows.Scan(&ans.CapabilityID, &ans.Now, &ans.Needed); err != nil {
			rows.Close()
			return s.fault(err)
		}
		a.Answers = append(a.Answers, ans)
	}
	rows.Close()
	rows, err = s.txQuery(ctx, tx, `SELECT question_id, selected FROM check_answers WHERE attempt_id = ?`, a.ID)
	if err != nil {
		return s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c upskill.CheckAnswer
		var sel string
		if err := rows.Scan(&c.QuestionID, &sel); err != nil {
			return s.fault(err)
		}
		c.Selected = parseIDs(sel)
		a.Checks = append(a.Checks, c)
	}
	return s.fault(rows.Err())
}

// AttemptSummary is one attempt as a person's history shows it.
type AttemptSummary struct {
	ID               int64
	VersionID        int64
	OrganisationName string
	Status           upskill.AttemptStatus
	StartedAt        time.Time
	SubmittedAt      time.Time
	Answered         int
	Domains          []upskill.DomainResult // from the stored scores, once submitted
}

// Attempts lists a person's attempts on a framework, newest first.
func (s *Store) Attempts(ctx context.Context, personID, frameworkID int64) ([]AttemptSummary, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.version_id, coalesce(o.name, ''), a.status, a.started_at, a.submitted_at,
		(SELECT count(*) FROM answers x WHERE x.attempt_id = a.id)
		FROM attempts a LEFT JOIN organisations o ON o.id = a.organisation_id
		WHERE a.person_id = ? AND a.framework_id = ? ORDER BY a.started_at DESC, a.id DESC`, personID, frameworkID)
	if err != nil {
		return nil, s.fault(err)
	}
	var out []AttemptSummary
	for rows.Next() {
		var a AttemptSummary
		var submitted sql.NullTime
		if err := rows.Scan(&a.ID, &a.VersionID, &a.OrganisationName, &a.Status, &a.StartedAt, &submitted, &a.Answered); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		a.SubmittedAt = submitted.Time
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	for i := range out {
		if out[i].Status != upskill.AttemptSubmitted {
			continue
		}
		if out[i].Domains, err = s.attemptScores(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) attemptScores(ctx context.Context, attemptID int64) ([]upskill.DomainResult, error) {
	rows, err := s.query(ctx, `SELECT domain_code, now_mean, needed_mean, gap_mean, band, answered, checks_correct, checks_answered, calibration
		FROM attempt_scores WHERE attempt_id = ?`, attemptID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.DomainResult
	for rows.Next() {
		var d upskill.DomainResult
		if err := rows.Scan(&d.Code, &d.Now, &d.Needed, &d.Gap, &d.Band, &d.Answered, &d.ChecksCorrect, &d.ChecksAnswered, &d.Calibration); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, d)
	}
	return out, s.fault(rows.Err())
}

// AssessmentStatus is where a person stands with a framework's
// assessment, as their home page shows it.
type AssessmentStatus struct {
	OpenID        int64 // an attempt in progress, or 0
	LastID        int64 // the newest submitted attempt, or 0
	LastSubmitted time.Time
}

// AssessmentStatus reads, in one query, a person's attempt in progress and
// newest submitted attempt on the framework with the key.
func (s *Store) AssessmentStatus(ctx context.Context, personID int64, key string) (AssessmentStatus, error) {
	var st AssessmentStatus
	rows, err := s.query(ctx, `SELECT a.id, a.status, a.submitted_at FROM attempts a JOIN frameworks f ON f.id = a.framework_id
		WHERE a.person_id = ? AND f.key = ? ORDER BY a.started_at DESC, a.id DESC`, personID, key)
	if err != nil {
		return st, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var submitted sql.NullTime
		if err := rows.Scan(&id, &status, &submitted); err != nil {
			return st, s.fault(err)
		}
		switch {
		case status == string(upskill.AttemptInProgress):
			st.OpenID = id
		case st.LastID == 0:
			st.LastID, st.LastSubmitted = id, submitted.Time
		}
	}
	return st, s.fault(rows.Err())
}
