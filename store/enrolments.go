package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
)

// This file is a person's own learning: enrolling, progress through the
// pages of the version they are doing, and completing it. Every method
// takes the person and finds only their enrolments.

var errNoEnrolment = upskill.Errorf(upskill.ENOTFOUND, "You have not started this learning.")

// maxPageTime caps the time counted between two page views, so that a
// lesson left open overnight does not count as a night's learning.
const maxPageTime = 20 * time.Minute

const enrolmentColumns = `e.id, e.person_id, e.item_id, coalesce(e.organisation_id, 0), e.version_id, e.status, e.source, e.due_at,
	e.pages_seen, e.answers, e.seconds, e.created_at, e.completed_at, e.score`

func scanEnrolment(row interface{ Scan(...any) error }, e *upskill.Enrolment, lastSeen *sql.NullTime) error {
	var source, pages, answers string
	var due, completed sql.NullTime
	dest := []any{&e.ID, &e.PersonID, &e.ItemID, &e.OrganisationID, &e.VersionID, &e.Status, &source, &due,
		&pages, &answers, &e.Seconds, &e.CreatedAt, &completed, &e.Score}
	if lastSeen != nil {
		dest = append(dest, lastSeen)
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	e.Assigned, e.DueAt, e.CompletedAt = source == "assigned", due.Time, completed.Time
	e.PagesSeen = nil
	for _, p := range strings.Split(pages, ",") {
		if n, err := strconv.Atoi(p); err == nil {
			e.PagesSeen = append(e.PagesSeen, n)
		}
	}
	e.Answers = map[string][]int{}
	return json.Unmarshal([]byte(answers), &e.Answers)
}

// Enrol starts a person on the published version of an item that the
// staff of orgIDs (the person's organisations) may find, or returns the
// enrolment they already have open. homeOrg is the organisation they do
// it for, or 0.
func (s *Store) Enrol(ctx context.Context, personID int64, orgIDs []int64, homeOrg int64, itemID int64) (*upskill.Enrolment, error) {
	item, err := s.VisibleContent(ctx, orgIDs, itemID)
	if err != nil {
		return nil, err
	}
	if e, err := s.OpenEnrolment(ctx, personID, itemID); err == nil {
		return e, nil
	} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return nil, err
	}
	_, err = s.exec(ctx, `INSERT INTO enrolments (person_id, item_id, organisation_id, version_id, status, source, created_at)
		VALUES (?, ?, ?, ?, 'enrolled', 'self', ?)`, personID, item.ID, nullID(homeOrg), item.Published.ID, s.clock())
	if err != nil && !isUniqueViolation(err) { // enrolling twice at once makes one
		return nil, s.fault(err)
	}
	return s.OpenEnrolment(ctx, personID, itemID)
}

// OpenEnrolment returns the person's open enrolment on an item.
func (s *Store) OpenEnrolment(ctx context.Context, personID, itemID int64) (*upskill.Enrolment, error) {
	e := &upskill.Enrolment{}
	err := scanEnrolment(s.queryRow(ctx, `SELECT `+enrolmentColumns+` FROM enrolments e
		WHERE e.person_id = ? AND e.item_id = ? AND e.status = 'enrolled'`, personID, itemID), e, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEnrolment
	}
	return e, s.fault(err)
}

// EnrolmentOf returns one of the person's enrolments, open or completed.
func (s *Store) EnrolmentOf(ctx context.Context, personID, enrolmentID int64) (*upskill.Enrolment, error) {
	e := &upskill.Enrolment{}
	err := scanEnrolment(s.queryRow(ctx, `SELECT `+enrolmentColumns+` FROM enrolments e WHERE e.id = ? AND e.person_id = ?`,
		enrolmentID, personID), e, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEnrolment
	}
	return e, s.fault(err)
}

// LatestEnrolment returns the person's open enrolment on an item or, if
// none is open, their latest completion of it.
func (s *Store) LatestEnrolment(ctx context.Context, personID, itemID int64) (*upskill.Enrolment, error) {
	e := &upskill.Enrolment{}
	err := scanEnrolment(s.queryRow(ctx, `SELECT `+enrolmentColumns+` FROM enrolments e
		WHERE e.person_id = ? AND e.item_id = ? ORDER BY e.status = 'enrolled' DESC, e.created_at DESC, e.id DESC LIMIT 1`,
		personID, itemID), e, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEnrolment
	}
	return e, s.fault(err)
}

// ContentVersion reads a version of an item, published now or before, for
// someone doing it.
func (s *Store) ContentVersion(ctx context.Context, itemID, versionID int64) (*upskill.ContentVersion, error) {
	v := &upskill.ContentVersion{}
	err := scanVersion(s.queryRow(ctx, `SELECT `+versionColumns+versionFrom+`
		WHERE v.id = ? AND v.item_id = ? AND v.status IN ('published', 'retired')`, versionID, itemID), v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoContent
	}
	if err != nil {
		return nil, s.fault(err)
	}
	return v, s.loadMappings(ctx, []*upskill.ContentVersion{v})
}

// enrolmentTx reads and locks one of the person's open enrolments with
// its version, in a transaction.
func (s *Store) enrolmentTx(ctx context.Context, tx *sql.Tx, personID, enrolmentID int64) (*upskill.Enrolment, sql.NullTime, *upskill.ContentVersion, error) {
	e := &upskill.Enrolment{}
	var lastSeen sql.NullTime
	err := scanEnrolment(tx.QueryRowContext(ctx, s.q(`SELECT `+enrolmentColumns+`, e.last_seen_at FROM enrolments e
		WHERE e.id = ? AND e.person_id = ?`+s.pick("", " FOR UPDATE")), enrolmentID, personID), e, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lastSeen, nil, errNoEnrolment
	}
	if err != nil {
		return nil, lastSeen, nil, s.fault(err)
	}
	if e.Status != upskill.Enrolled {
		return nil, lastSeen, nil, upskill.Errorf(upskill.ECONFLICT, "You have completed this learning already.")
	}
	v, err := s.fullVersion(ctx, tx, e.VersionID)
	if err != nil {
		return nil, lastSeen, nil, err
	}
	return e, lastSeen, v, nil
}

// SeePage records that the person has seen a page of the lesson, and the
// time since their last page, up to maxPageTime.
func (s *Store) SeePage(ctx context.Context, personID, enrolmentID int64, page int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		e, lastSeen, v, err := s.enrolmentTx(ctx, tx, personID, enrolmentID)
		if err != nil {
			return err
		}
		if page < 1 || page > len(v.Pages) {
			return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
		}
		now := s.clock()
		spent := 0
		if lastSeen.Valid {
			spent = int(min(max(now.Sub(lastSeen.Time), 0), maxPageTime) / time.Second)
		}
		if !slices.Contains(e.PagesSeen, page) {
			e.PagesSeen = append(e.PagesSeen, page)
			slices.Sort(e.PagesSeen)
		}
		seen := make([]string, len(e.PagesSeen))
		for i, p := range e.PagesSeen {
			seen[i] = strconv.Itoa(p)
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE enrolments SET pages_seen = ?, seconds = seconds + ?, last_seen_at = ? WHERE id = ?`),
			strings.Join(seen, ","), spent, now, e.ID)
		return s.fault(err)
	})
}

// SaveLessonAnswer keeps the person's latest answer to a question of the
// lesson, after checking it is an answer the question takes.
func (s *Store) SaveLessonAnswer(ctx context.Context, personID, enrolmentID int64, page, question int, selected []int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		e, _, v, err := s.enrolmentTx(ctx, tx, personID, enrolmentID)
		if err != nil {
			return err
		}
		q := v.Question(page-1, question-1)
		if q == nil {
			return upskill.Errorf(upskill.ENOTFOUND, "That question is not part of this lesson.")
		}
		if msg := q.SelectionProblem(selected); msg != "" {
			return upskill.Errorf(upskill.EINVALID, "%s", msg)
		}
		e.Answers[upskill.AnswerKey(page, question)] = slices.Clone(selected)
		answers, _ := json.Marshal(e.Answers)
		_, err = tx.ExecContext(ctx, s.q(`UPDATE enrolments SET answers = ? WHERE id = ?`), string(answers), e.ID)
		return s.fault(err)
	})
}

// CompleteLearning marks the person's enrolment complete on the version
// they did, if they have met its rule: every page seen and the pass mark
// reached, for a lesson; their word, for a link.
func (s *Store) CompleteLearning(ctx context.Context, personID, enrolmentID int64) (*upskill.Enrolment, error) {
	var done *upskill.Enrolment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		e, _, v, err := s.enrolmentTx(ctx, tx, personID, enrolmentID)
		if err != nil {
			return err
		}
		result := e.Result(v)
		if msg := v.CompletionProblem(e.Seen(len(v.Pages)), result); msg != "" {
			return upskill.Errorf(upskill.EINVALID, "%s", msg)
		}
		now := s.clock()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE enrolments SET status = 'completed', completed_at = ?, score = ? WHERE id = ?`),
			now, result.Percent(), e.ID); err != nil {
			return s.fault(err)
		}
		e.Status, e.CompletedAt, e.Score = upskill.Completed, now, result.Percent()
		if err := s.countCompletion(ctx, tx, e); err != nil {
			return err
		}
		if err := s.requeueForInsight(ctx, tx, personID, now); err != nil {
			return err
		}
		done = e
		return nil
	})
	return done, err
}

// countCompletion adds the person to the people of their organisation who
// have completed the learning, unless they had completed it before.
func (s *Store) countCompletion(ctx context.Context, tx *sql.Tx, e *upskill.Enrolment) error {
	if e.OrganisationID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO learning_completions (organisation_id, item_id, people)
		SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 1 WHERE NOT EXISTS (SELECT 1 FROM enrolments
			WHERE person_id = ? AND item_id = ? AND organisation_id = ?
			AND status = 'completed' AND id <> ?)
		ON CONFLICT (organisation_id, item_id) DO UPDATE SET people = learning_completions.people + 1`),
		e.OrganisationID, e.ItemID, e.PersonID, e.ItemID, e.OrganisationID, e.ID)
	return s.fault(err)
}

// LearningRow is one enrolment as a person's list of their learning shows
// it.
type LearningRow struct {
	upskill.Enrolment
	Title   string
	Version int
	Format  upskill.ContentFormat
	Pages   int
	Minutes int
}

// MyLearning lists the person's enrolments: open ones first, soonest due
// first, then completions, newest first.
func (s *Store) MyLearning(ctx context.Context, personID int64) ([]LearningRow, error) {
	rows, err := s.query(ctx, `SELECT `+enrolmentColumns+`, v.title, v.number, v.format, b.pages, v.minutes
		FROM enrolments e JOIN content_versions v ON v.id = e.version_id JOIN content_bodies b ON b.version_id = v.id
		WHERE e.person_id = ?
		ORDER BY e.status = 'enrolled' DESC, e.due_at IS NULL, e.due_at, e.completed_at DESC, e.created_at DESC, e.id DESC`, personID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []LearningRow
	for rows.Next() {
		var r LearningRow
		var pages string
		if err := scanEnrolment(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, &r.Title, &r.Version, &r.Format, &pages, &r.Minutes)...)
		}), &r.Enrolment, nil); err != nil {
			return nil, s.fault(err)
		}
		var p []upskill.LessonPage
		if err := json.Unmarshal([]byte(pages), &p); err != nil {
			return nil, s.fault(err)
		}
		r.Pages = len(p)
		out = append(out, r)
	}
	return out, s.fault(rows.Err())
}

// scanFunc adapts a function to the Scan of a row.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// Completion is what a certificate shows of a completed enrolment.
type Completion struct {
	upskill.Enrolment
	PersonName       string
	Title            string
	Version          int
	Minutes          int
	PassMark         int
	OrganisationName string
	Mappings         []upskill.ContentMapping
	Summary          string
	BadgeBearing     bool
}

// CompletionOf returns one of the person's completions.
func (s *Store) CompletionOf(ctx context.Context, personID, enrolmentID int64) (*Completion, error) {
	return s.completion(ctx, enrolmentID, personID)
}

// CompletionByID returns a completion for the public check of its
// certificate, whose code the caller has verified.
func (s *Store) CompletionByID(ctx context.Context, enrolmentID int64) (*Completion, error) {
	return s.completion(ctx, enrolmentID, 0)
}

// completion reads a completion, of the given person unless personID is 0.
func (s *Store) completion(ctx context.Context, enrolmentID, personID int64) (*Completion, error) {
	c := &Completion{}
	var org sql.NullString
	err := scanEnrolment(scanFunc(func(dest ...any) error {
		return s.queryRow(ctx, `SELECT `+enrolmentColumns+`, p.name, v.title, v.number, v.minutes, v.pass_mark, o.name, v.summary, v.badge_bearing
			FROM enrolments e JOIN people p ON p.id = e.person_id JOIN content_versions v ON v.id = e.version_id
			JOIN content_items i ON i.id = e.item_id
			LEFT JOIN organisations o ON o.id = coalesce(e.organisation_id, i.owner_id)
			WHERE e.id = ? AND (e.person_id = ? OR ? = 0) AND e.status = 'completed'`, enrolmentID, personID, personID).
			Scan(append(dest, &c.PersonName, &c.Title, &c.Version, &c.Minutes, &c.PassMark, &org, &c.Summary, &c.BadgeBearing)...)
	}), &c.Enrolment, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no such completion.")
	}
	if err != nil {
		return nil, s.fault(err)
	}
	c.OrganisationName = org.String
	v := &upskill.ContentVersion{ID: c.VersionID}
	if err := s.loadMappings(ctx, []*upskill.ContentVersion{v}); err != nil {
		return nil, err
	}
	c.Mappings = v.Mappings
	return c, nil
}
