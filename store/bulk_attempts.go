package store

import (
	"context"
	"database/sql"
	"runtime"
	"sync"
	"time"

	"upskill"
)

// This file is the part of BulkLoad that stores attempts at the assessment:
// what StartAttempt, SaveAnswer, SaveCheck and SubmitAttempt would have
// stored, checked as they check it, for loads of hundreds of thousands of
// attempts.

// bulkVersion is a version that attempts of a load are made on, with its
// capabilities and questions indexed by id for the checks.
type bulkVersion struct {
	*upskill.FrameworkVersion
	capability map[int64]int // capability id -> position in the version
	question   map[int64]int // question id -> position in the version
}

// bulkVersions reads the versions the attempts of b are made on. A draft
// is refused: attempts are only started on a published version, and a
// draft may still change.
func (s *Store) bulkVersions(ctx context.Context, b *Bulk) (map[int64]*bulkVersion, error) {
	out := map[int64]*bulkVersion{}
	for i, a := range b.Attempts {
		if _, ok := out[a.VersionID]; ok {
			continue
		}
		if a.VersionID <= 0 {
			return nil, bulkProblem("Attempt", i, "it has no framework version")
		}
		v, err := s.Version(ctx, a.VersionID)
		if upskill.ErrorCode(err) == upskill.ENOTFOUND {
			return nil, bulkProblem("Attempt", i, "its framework version %d is not stored", a.VersionID)
		}
		if err != nil {
			return nil, err
		}
		if v.Status == upskill.VersionDraft {
			return nil, bulkProblem("Attempt", i, "its framework version %d is a draft, and attempts are made on published versions", a.VersionID)
		}
		bv := &bulkVersion{FrameworkVersion: v, capability: map[int64]int{}, question: map[int64]int{}}
		for j, c := range v.Capabilities() {
			bv.capability[c.ID] = j
		}
		for j, q := range v.Questions {
			bv.question[q.ID] = j
		}
		out[a.VersionID] = bv
	}
	return out, nil
}

// personOrg is a person's place in an organisation, the key of a current
// membership.
type personOrg struct{ person, org int64 }

// currentMemberships indexes the memberships of b that have not ended by
// person and organisation, as b refers to them.
func currentMemberships(b *Bulk) map[personOrg]int {
	current := make(map[personOrg]int, len(b.Memberships))
	for i, m := range b.Memberships {
		if m.EndedAt.IsZero() {
			current[personOrg{m.PersonID, m.OrganisationID}] = i
		}
	}
	return current
}

// checkBulkAttempts checks the attempts of b as the one-at-a-time methods
// check them: the person takes it for an organisation they belong to, each
// answer and check is one the version takes, a submitted attempt rates
// every capability, and a person has one attempt in progress at most on a
// framework. checkBulk has checked the rest of b.
func checkBulkAttempts(b *Bulk, versions map[int64]*bulkVersion) error {
	if len(b.Attempts) == 0 {
		return nil
	}
	people := make(map[int64]struct{}, len(b.People))
	for _, p := range b.People {
		people[p.ID] = struct{}{}
	}
	current := currentMemberships(b)
	type personFramework struct{ person, framework int64 }
	open := map[personFramework]struct{}{}
	var rated, checked []bool
	for i := range b.Attempts {
		a := &b.Attempts[i]
		if _, ok := people[a.PersonID]; !ok {
			return bulkProblem("Attempt", i, "its person %d is not a person of the load", a.PersonID)
		}
		if a.OrganisationID != 0 {
			if _, ok := current[personOrg{a.PersonID, a.OrganisationID}]; !ok {
				return bulkProblem("Attempt", i, "its person has no current membership of its organisation in the load")
			}
		}
		if a.StartedAt.IsZero() {
			return bulkProblem("Attempt", i, "it has no start time")
		}
		v := versions[a.VersionID]
		switch a.Status {
		case upskill.AttemptSubmitted:
			switch {
			case a.SubmittedAt.IsZero():
				return bulkProblem("Attempt", i, "a submitted attempt needs the time it was submitted")
			case a.SubmittedAt.Before(a.StartedAt):
				return bulkProblem("Attempt", i, "it is submitted before it was started")
			case !a.UpdatedAt.IsZero() && !a.UpdatedAt.Equal(a.SubmittedAt):
				return bulkProblem("Attempt", i, "a submitted attempt is last changed when it is submitted")
			}
		case upskill.AttemptInProgress:
			switch {
			case !a.SubmittedAt.IsZero():
				return bulkProblem("Attempt", i, "an attempt in progress has no submission time")
			case !a.UpdatedAt.IsZero() && a.UpdatedAt.Before(a.StartedAt):
				return bulkProblem("Attempt", i, "it is changed before it was started")
			}
			key := personFramework{a.PersonID, v.FrameworkID}
			if _, dup := open[key]; dup {
				return bulkProblem("Attempt", i, "the person already has an attempt in progress on this framework")
			}
			open[key] = struct{}{}
		default:
			return bulkProblem("Attempt", i, "its status must be %s or %s, not %q", upskill.AttemptInProgress, upskill.AttemptSubmitted, a.Status)
		}

		rated = reset(rated, len(v.capability))
		for _, ans := range a.Answers {
			if _, msg := upskill.AnswerProblem(v.FrameworkVersion, ans); msg != "" {
				return bulkProblem("Attempt", i, "capability %d: %s", ans.CapabilityID, msg)
			}
			j := v.capability[ans.CapabilityID]
			if rated[j] {
				return bulkProblem("Attempt", i, "capability %d is rated twice", ans.CapabilityID)
			}
			rated[j] = true
		}
		if missing := len(v.capability) - len(a.Answers); a.Status == upskill.AttemptSubmitted && missing > 0 {
			return bulkProblem("Attempt", i, "it is submitted with %s still to rate", plural(missing, "capability", "capabilities"))
		}
		checked = reset(checked, len(v.Questions))
		for _, c := range a.Checks {
			j, ok := v.question[c.QuestionID]
			if !ok {
				return bulkProblem("Attempt", i, "question %d is not part of its version", c.QuestionID)
			}
			if msg := upskill.CheckAnswerProblem(&v.Questions[j], c.Selected); msg != "" {
				return bulkProblem("Attempt", i, "question %d: %s", c.QuestionID, msg)
			}
			if checked[j] {
				return bulkProblem("Attempt", i, "question %d is answered twice", c.QuestionID)
			}
			checked[j] = true
		}
	}
	return nil
}

// reset returns s with n false elements, reusing its memory.
func reset(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// attemptTimes are the times an attempt is stored with: UTC at the
// precision both engines keep, with UpdatedAt filled in when zero.
func attemptTimes(a *upskill.Attempt) (started, updated, submitted time.Time) {
	started = a.StartedAt.UTC().Truncate(time.Microsecond)
	updated = a.UpdatedAt.UTC().Truncate(time.Microsecond)
	if !a.SubmittedAt.IsZero() {
		submitted = a.SubmittedAt.UTC().Truncate(time.Microsecond)
		updated = submitted
	} else if updated.IsZero() {
		updated = started
	}
	return started, updated, submitted
}

// attemptRows walks the rows that hang off each attempt of a load, such as
// its answers, in the order insertRows asks for them: per attempt in turn.
type attemptRows struct {
	attempts []upskill.Attempt
	count    func(a *upskill.Attempt) int
	at, row  int // the attempt, and the row within it, to give next
}

// total is the number of rows over every attempt.
func (r *attemptRows) total() int {
	n := 0
	for i := range r.attempts {
		n += r.count(&r.attempts[i])
	}
	return n
}

// next returns the attempt and the row within it of the next row.
func (r *attemptRows) next() (int, int) {
	for r.row >= r.count(&r.attempts[r.at]) {
		r.at, r.row = r.at+1, 0
	}
	r.row++
	return r.at, r.row - 1
}

// answeredAt spreads the answers of an attempt, then its checks, evenly
// from its start to its last change: the k-th of n is given at step k+1.
func answeredAt(started, updated time.Time, k, n int) time.Time {
	step := updated.Sub(started) / time.Duration(n)
	return started.Add(step * time.Duration(k+1)).Truncate(time.Microsecond)
}

// insertBulkAttempts writes the attempts of b, their answers and checks,
// and the scores of those submitted, under the reserved ids.
func (s *Store) insertBulkAttempts(ctx context.Context, tx *sql.Tx, b *Bulk, ids *bulkIDs, versions map[int64]*bulkVersion) error {
	if len(b.Attempts) == 0 {
		return nil
	}
	// Scoring takes a while: it runs on the other cores while the
	// attempts, answers and checks are written.
	scores, scored := scoreBulkAttempts(b, versions)
	defer func() { <-scored }()

	// A submitted attempt keeps the person's staff details in its
	// organisation, as SubmitAttempt copies them from the membership.
	current := currentMemberships(b)
	err := s.insertRows(ctx, tx, "attempts",
		[]string{"id", "person_id", "organisation_id", "framework_id", "version_id", "status", "started_at", "updated_at",
			"submitted_at", "staff_group", "job_role", "pay_band", "unit_id"},
		len(b.Attempts), func(i int, row []any) {
			a := &b.Attempts[i]
			started, updated, submitted := attemptTimes(a)
			row[0], row[1], row[2] = ids.attempts[i], ids.person(a.PersonID), nullID(ids.org(a.OrganisationID))
			row[3], row[4], row[5] = versions[a.VersionID].FrameworkID, a.VersionID, string(a.Status)
			row[6], row[7], row[8] = s.bulkTime(started), s.bulkTime(updated), nil
			if !submitted.IsZero() {
				row[8] = s.bulkTime(submitted)
			}
			row[9], row[10], row[11], row[12] = "", "", "", nil
			if a.Status != upskill.AttemptSubmitted || a.OrganisationID == 0 {
				return
			}
			if mi, ok := current[personOrg{a.PersonID, a.OrganisationID}]; ok {
				m := &b.Memberships[mi]
				row[9], row[10], row[11], row[12] = string(m.StaffGroup), m.JobRole, string(m.PayBand), nullID(ids.unit(m.UnitID))
			}
		})
	if err != nil {
		return err
	}

	// Each attempt's id and times are boxed once for all its rows, rather
	// than once a row: there are millions of rows.
	type attemptBox struct {
		at               int
		id               any
		started, updated time.Time
		steps            int
	}
	box := attemptBox{at: -1}
	boxFor := func(at int) *attemptBox {
		if box.at != at {
			a := &b.Attempts[at]
			box.at, box.id, box.steps = at, any(ids.attempts[at]), len(a.Answers)+len(a.Checks)
			box.started, box.updated, _ = attemptTimes(a)
		}
		return &box
	}

	answers := &attemptRows{attempts: b.Attempts, count: func(a *upskill.Attempt) int { return len(a.Answers) }}
	err = s.insertRows(ctx, tx, "answers",
		[]string{"attempt_id", "capability_id", "now_rating", "needed_rating", "answered_at"},
		answers.total(), func(_ int, row []any) {
			at, j := answers.next()
			x := boxFor(at)
			ans := &b.Attempts[at].Answers[j]
			row[0], row[1], row[2], row[3] = x.id, ans.CapabilityID, int64(ans.Now), int64(ans.Needed)
			row[4] = s.bulkTime(answeredAt(x.started, x.updated, j, x.steps))
		})
	if err != nil {
		return err
	}

	box.at = -1
	checks := &attemptRows{attempts: b.Attempts, count: func(a *upskill.Attempt) int { return len(a.Checks) }}
	err = s.insertRows(ctx, tx, "check_answers",
		[]string{"attempt_id", "question_id", "selected", "correct", "answered_at"},
		checks.total(), func(_ int, row []any) {
			at, j := checks.next()
			x := boxFor(at)
			a := &b.Attempts[at]
			c := &a.Checks[j]
			v := versions[a.VersionID]
			q := &v.Questions[v.question[c.QuestionID]]
			row[0], row[1], row[2], row[3] = x.id, c.QuestionID, formatIDs(c.Selected), q.Correct(c.Selected)
			row[4] = s.bulkTime(answeredAt(x.started, x.updated, len(a.Answers)+j, x.steps))
		})
	if err != nil {
		return err
	}

	// Submitted attempts wait to be counted in the workforce summaries,
	// as SubmitAttempt queues them.
	var queued []int
	for i := range b.Attempts {
		if a := &b.Attempts[i]; a.Status == upskill.AttemptSubmitted && a.OrganisationID != 0 {
			queued = append(queued, i)
		}
	}
	err = s.insertRows(ctx, tx, "insight_queue", []string{"attempt_id", "queued_at"},
		len(queued), func(i int, row []any) {
			_, _, submitted := attemptTimes(&b.Attempts[queued[i]])
			row[0], row[1] = ids.attempts[queued[i]], s.bulkTime(submitted)
		})
	if err != nil {
		return err
	}

	// The scores have been worked out meanwhile.
	<-scored
	return s.insertRows(ctx, tx, "attempt_scores",
		[]string{"attempt_id", "domain_code", "now_mean", "needed_mean", "gap_mean", "band", "answered",
			"checks_correct", "checks_answered", "calibration", "below"},
		len(scores), func(i int, row []any) {
			d := &scores[i]
			row[0], row[1], row[2], row[3], row[4] = ids.attempts[d.attempt], d.code, d.now, d.needed, d.gap
			row[5], row[6], row[7], row[8], row[9] = d.band, int64(d.answered), int64(d.correct), int64(d.checked), string(d.calibration)
			row[10] = int64(d.below)
		})
}

// domainScore is one row of attempt_scores: a domain's result in a
// submitted attempt, as upskill.Score reports it, kept small because a
// large load has millions.
type domainScore struct {
	attempt                    int // index into the load's attempts
	code, band                 string
	calibration                upskill.Calibration
	now, needed, gap           float64
	answered, correct, checked int32
	below                      int32
}

// scoreBulkAttempts works out the domain scores of the submitted attempts
// of b with upskill.Score, as SubmitAttempt does, on every core, in the
// order of their rows. The channel is closed when they are all done.
func scoreBulkAttempts(b *Bulk, versions map[int64]*bulkVersion) ([]domainScore, <-chan struct{}) {
	offsets := make([]int, len(b.Attempts)+1)
	for i := range b.Attempts {
		a := &b.Attempts[i]
		n := 0
		if a.Status == upskill.AttemptSubmitted {
			n = len(versions[a.VersionID].Domains)
		}
		offsets[i+1] = offsets[i] + n
	}
	scores := make([]domainScore, offsets[len(b.Attempts)])
	done := make(chan struct{})
	workers := max(1, min(runtime.GOMAXPROCS(0), len(b.Attempts)/1000))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(b.Attempts)/workers, (w+1)*len(b.Attempts)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				a := &b.Attempts[i]
				if a.Status != upskill.AttemptSubmitted {
					continue
				}
				r := upskill.Score(versions[a.VersionID].FrameworkVersion, a.Answers, a.Checks)
				for j, d := range r.Domains {
					scores[offsets[i]+j] = domainScore{attempt: i, code: d.Code, band: d.Band, calibration: d.Calibration,
						now: d.Now, needed: d.Needed, gap: d.Gap,
						answered: int32(d.Answered), correct: int32(d.ChecksCorrect), checked: int32(d.ChecksAnswered),
						below: int32(d.Below)}
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return scores, done
}
