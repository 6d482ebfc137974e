package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"upskill"
)

// Assignment is learning an organisation has assigned to one person or to
// a group of its staff, with how long they have and when it comes round
// again.
type Assignment struct {
	ID             int64
	OrganisationID int64
	ItemID         int64
	Title          string
	// Who: one of a person, a department or team (with its teams), a
	// staff group, a job role, or everyone a line manager manages.
	PersonID        int64
	PersonName      string
	UnitID          int64
	UnitName        string
	StaffGroup      upskill.StaffGroup
	JobRole         string
	LineManagerID   int64
	LineManagerName string
	CreatedBy       int64 // read by bulk loads only
	Mandatory       bool
	DueDays         int
	RenewMonths     int
	CreatedAt       time.Time
	// Enrolled and Completed count the people it has reached.
	Enrolled, Completed int
}

// Who says in words whom the assignment is for.
func (a *Assignment) Who() string {
	switch {
	case a.PersonID != 0:
		return a.PersonName
	case a.UnitID != 0:
		return "Everyone in " + a.UnitName
	case a.StaffGroup != "":
		return "Everyone in the staff group " + a.StaffGroup.Label()
	case a.LineManagerID != 0:
		return "Everyone " + a.LineManagerName + " line manages"
	}
	return "Everyone whose job role is " + a.JobRole
}

var errNoAssignment = upskill.Errorf(upskill.ENOTFOUND, "There is no such assignment.")

// CreateAssignment assigns learning that org's staff may find, and enrols
// the people it covers at once. People who join the group later are
// enrolled when ApplyAssignments next runs. With scope ScopeReports, the
// actor is a supervisor, who may assign learning only to one of the people
// they line manage or to all of them.
func (s *Store) CreateAssignment(ctx context.Context, actorID int64, org upskill.OrgRef, scope upskill.StaffScope, a Assignment) (int64, error) {
	a.JobRole = strings.TrimSpace(a.JobRole)
	p := assignmentProblems(a)
	switch {
	case scope == upskill.ScopeNone:
		return 0, upskill.Errorf(upskill.EFORBIDDEN, "You cannot assign learning to the staff of this organisation.")
	case scope == upskill.ScopeReports && p.Err() == nil && a.PersonID == 0 && a.LineManagerID != actorID:
		p.Add("who", "Choose one of the people you line manage, or all of them")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	item, err := s.VisibleContent(ctx, []int64{org.ID}, a.ItemID)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if a.PersonID != 0 {
			// A supervisor's choice must be someone they line manage.
			manager := int64(0)
			if scope == upskill.ScopeReports {
				manager = actorID
			}
			err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM memberships WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL
				AND (? = 0 OR line_manager_id = ?)`), a.PersonID, org.ID, manager, manager).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				field, msg := "email", "Enter the email address of someone who works in your organisation"
				if manager != 0 {
					field, msg = "person", "Choose one of the people you line manage"
				}
				return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: field, Message: msg}}}
			}
			if err != nil {
				return s.fault(err)
			}
		}
		if a.LineManagerID != 0 {
			err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM memberships WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`),
				a.LineManagerID, org.ID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				msg := "Choose a line manager who works in your organisation"
				return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "who", Message: msg}}}
			}
			if err != nil {
				return s.fault(err)
			}
		}
		if a.UnitID != 0 {
			err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM units WHERE id = ? AND organisation_id = ?`), a.UnitID, org.ID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				msg := "Select a department or team of this organisation"
				return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "unit", Message: msg}}}
			}
			if err != nil {
				return s.fault(err)
			}
		}
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO assignments (organisation_id, item_id, person_id, unit_id, staff_group, job_role,
			line_manager_id, mandatory, due_days, renew_months, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			org.ID, item.ID, nullID(a.PersonID), nullID(a.UnitID), a.StaffGroup, a.JobRole, nullID(a.LineManagerID), a.Mandatory, a.DueDays,
			a.RenewMonths, nullID(actorID), s.clock()).Scan(&id); err != nil {
			return s.fault(err)
		}
		a.ID, a.OrganisationID = id, org.ID
		if _, err := s.applyAssignment(ctx, tx, a, item.Published.ID, s.clock()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, org.ID, "assign_learning", "assignment", id, item.Published.Title)
	})
	return id, err
}

// assignmentProblems checks what an assignment says on its own: one kind
// of whom it is for, a staff group from the list, and due days and a
// renewal within bounds.
func assignmentProblems(a Assignment) upskill.Problems {
	var p upskill.Problems
	kinds := 0
	for _, set := range []bool{a.PersonID != 0, a.UnitID != 0, a.StaffGroup != "", a.JobRole != "", a.LineManagerID != 0} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		p.Add("who", "Choose whom to assign the learning to")
	case kinds > 1:
		p.Add("who", "Choose one person or one group")
	}
	if a.StaffGroup != "" && !a.StaffGroup.Valid() {
		p.Add("staff_group", "Select a staff group from the list")
	}
	if len(a.JobRole) > 120 {
		p.Add("job_role", "Job role must be 120 characters or fewer")
	}
	if a.DueDays < 1 || a.DueDays > 730 {
		p.Add("due_days", "Give people between 1 and 730 days to complete it")
	}
	if a.RenewMonths < 0 || a.RenewMonths > 120 {
		p.Add("renew_months", "Renewal must be between 0 (never) and 120 months")
	}
	return p
}

// assigned is the condition that membership m is covered by assignment a.
const assigned = `m.organisation_id = a.organisation_id AND m.ended_at IS NULL AND (
	m.person_id = a.person_id
	OR m.unit_id IN (SELECT u.id FROM units u WHERE u.id = a.unit_id OR u.parent_id = a.unit_id)
	OR (a.staff_group <> '' AND m.staff_group = a.staff_group)
	OR (a.job_role <> '' AND lower(m.job_role) = lower(a.job_role))
	OR m.line_manager_id = a.line_manager_id)`

// applyAssignment enrols the people an assignment covers who have neither
// an open enrolment on its learning nor a completion still in date, and
// turns open enrolments they made themselves into assigned ones. It
// returns how many it enrolled.
func (s *Store) applyAssignment(ctx context.Context, tx *sql.Tx, a Assignment, versionID int64, now time.Time) (int, error) {
	due := now.AddDate(0, 0, a.DueDays)
	// A completion counts until it is renew_months old, or for ever.
	since := time.Time{}
	if a.RenewMonths > 0 {
		since = now.AddDate(0, -a.RenewMonths, 0)
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE enrolments SET source = 'assigned', assignment_id = ?, due_at = ?, mandatory = ?
		WHERE item_id = ? AND status = 'enrolled' AND source = 'self' AND person_id IN
		(SELECT m.person_id FROM memberships m JOIN assignments a ON a.id = ? WHERE `+assigned+`)`),
		a.ID, due, a.Mandatory, a.ItemID, a.ID); err != nil {
		return 0, s.fault(err)
	}
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO enrolments (person_id, item_id, organisation_id, version_id, status, source,
		due_at, assignment_id, mandatory, created_at)
		SELECT m.person_id, a.item_id, a.organisation_id, ?, 'enrolled', 'assigned', ?, a.id, a.mandatory, ?
		FROM assignments a JOIN memberships m ON `+assigned+`
		WHERE a.id = ? AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = m.person_id AND e.item_id = a.item_id
			AND (e.status = 'enrolled' OR (e.status = 'completed' AND e.completed_at > ?)))
		ON CONFLICT DO NOTHING`), versionID, due, now, a.ID, since)
	if err != nil {
		return 0, s.fault(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ApplyAssignments runs every current assignment again, so that people who
// have joined a group since, and people whose completion has come due for
// renewal, are enrolled. It returns how many people it enrolled.
func (s *Store) ApplyAssignments(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.organisation_id, a.item_id, a.mandatory, a.due_days, a.renew_months, v.id
		FROM assignments a JOIN content_versions v ON v.item_id = a.item_id AND v.status = 'published'
		WHERE a.ended_at IS NULL ORDER BY a.id`)
	if err != nil {
		return 0, s.fault(err)
	}
	type run struct {
		a       Assignment
		version int64
	}
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.a.ID, &r.a.OrganisationID, &r.a.ItemID, &r.a.Mandatory, &r.a.DueDays, &r.a.RenewMonths, &r.version); err != nil {
			rows.Close()
			return 0, s.fault(err)
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, s.fault(err)
	}
	total := 0
	for _, r := range runs {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			n, err := s.applyAssignment(ctx, tx, r.a, r.version, s.clock())
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Assignments lists an organisation's current assignments, newest first:
// all of them, or with createdBy not 0 only those that person made.
func (s *Store) Assignments(ctx context.Context, orgID, createdBy int64) ([]Assignment, error) {
	rows, err := s.query(ctx, `SELECT a.id, a.organisation_id, a.item_id, coalesce(v.title, ''), coalesce(a.person_id, 0), coalesce(p.name, ''),
		coalesce(a.unit_id, 0), coalesce(u.name, ''), a.staff_group, a.job_role, coalesce(a.line_manager_id, 0), coalesce(lm.name, ''),
		a.mandatory, a.due_days, a.renew_months, a.created_at,
		(SELECT count(*) FROM enrolments e WHERE e.assignment_id = a.id),
		(SELECT count(*) FROM enrolments e WHERE e.assignment_id = a.id AND e.status = 'completed')
		FROM assignments a LEFT JOIN content_versions v ON v.item_id = a.item_id AND v.status = 'published'
		LEFT JOIN people p ON p.id = a.person_id LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN people lm ON lm.id = a.line_manager_id
		WHERE a.organisation_id = ? AND a.ended_at IS NULL AND (? = 0 OR a.created_by = ?)
		ORDER BY a.created_at DESC, a.id DESC`, orgID, createdBy, createdBy)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		if err := rows.Scan(&a.ID, &a.OrganisationID, &a.ItemID, &a.Title, &a.PersonID, &a.PersonName, &a.UnitID, &a.UnitName,
			&a.StaffGroup, &a.JobRole, &a.LineManagerID, &a.LineManagerName, &a.Mandatory, &a.DueDays, &a.RenewMonths, &a.CreatedAt,
			&a.Enrolled, &a.Completed); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, a)
	}
	return out, s.fault(rows.Err())
}

// EndAssignment stops an assignment reaching anyone new. People already
// enrolled keep their learning and its due date. With createdBy not 0,
// only an assignment that person made can be ended.
func (s *Store) EndAssignment(ctx context.Context, actorID, orgID, createdBy, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE assignments SET ended_at = ? WHERE id = ? AND organisation_id = ? AND ended_at IS NULL
			AND (? = 0 OR created_by = ?)`), s.clock(), id, orgID, createdBy, createdBy)
		if err != nil {
			return s.fault(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoAssignment
		}
		return s.audit(ctx, tx, actorID, orgID, "end_assignment", "assignment", id, "")
	})
}

// Reminder is an email to send about an enrolment with a due date.
type Reminder struct {
	EnrolmentID      int64
	Kind             string // "due_soon" or "overdue"
	Email, Name      string
	ItemID           int64
	Title            string
	OrganisationName string
	DueAt            time.Time
	Mandatory        bool
}

// Reminder kinds.
const (
	ReminderDueSoon = "due_soon"
	ReminderOverdue = "overdue"
)

// ReminderJob names a reminder to send: an enrolment and the kind.
type ReminderJob struct {
	EnrolmentID int64
	Kind        string
}

// QueueReminders finds open enrolments due within soon, or overdue, whose
// reminder of that kind has not been queued, for people who want emails of
// that kind, and for each batch records the reminders and calls enqueue in
// the same transaction, so that a reminder is queued exactly once. It
// works in batches of batch and returns how many it queued.
func (s *Store) QueueReminders(ctx context.Context, soon time.Duration, batch int, enqueue func(ctx context.Context, tx *sql.Tx, due []ReminderJob) error) (int, error) {
	total := 0
	// Batches go through the enrolments in id order, each starting after
	// the last, so that no batch reads again what an earlier one queued.
	var after int64
	for {
		n := 0
		err := s.tx(ctx, func(tx *sql.Tx) error {
			now := s.clock()
			rows, err := tx.QueryContext(ctx, s.q(`SELECT e.id, CASE WHEN e.due_at < ? THEN 'overdue' ELSE 'due_soon' END
				FROM enrolments e JOIN people p ON p.id = e.person_id
				WHERE e.id > ? AND e.status = 'enrolled' AND e.due_at IS NOT NULL AND e.due_at < ?
				AND CASE WHEN e.due_at < ? THEN p.overdue_emails ELSE p.due_soon_emails END
				AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.enrolment_id = e.id
					AND r.kind = CASE WHEN e.due_at < ? THEN 'overdue' ELSE 'due_soon' END)
				ORDER BY e.id LIMIT ?`), now, after, now.Add(soon), now, now, batch)
			if err != nil {
				return s.fault(err)
			}
			var list []ReminderJob
			for rows.Next() {
				var d ReminderJob
				if err := rows.Scan(&d.EnrolmentID, &d.Kind); err != nil {
					rows.Close()
					return s.fault(err)
				}
				list = append(list, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil || len(list) == 0 {
				return s.fault(err)
			}
			values := make([]string, len(list))
			args := make([]any, 0, 3*len(list))
			for i, d := range list {
				values[i] = "(?, ?, ?)"
				args = append(args, d.EnrolmentID, d.Kind, now)
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO reminders (enrolment_id, kind, queued_at) VALUES `+strings.Join(values, ", ")), args...); err != nil {
				return s.fault(err)
			}
			if err := enqueue(ctx, tx, list); err != nil {
				return err
			}
			n, after = len(list), list[len(list)-1].EnrolmentID
			return nil
		})
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
}

// ReminderFor reads what a reminder email says. It reports false when
// the enrolment has been completed since the reminder was queued, or the
// person no longer wants emails of its kind.
func (s *Store) ReminderFor(ctx context.Context, enrolmentID int64, kind string) (*Reminder, bool, error) {
	r := &Reminder{EnrolmentID: enrolmentID, Kind: kind}
	var status string
	var soon, overdue bool
	var due sql.NullTime
	var org sql.NullString
	err := s.queryRow(ctx, `SELECT e.status, p.due_soon_emails, p.overdue_emails, p.email, p.name, e.item_id, v.title, o.name, e.due_at, e.mandatory
		FROM enrolments e JOIN people p ON p.id = e.person_id JOIN content_versions v ON v.id = e.version_id
		LEFT JOIN organisations o ON o.id = e.organisation_id WHERE e.id = ?`, enrolmentID).
		Scan(&status, &soon, &overdue, &r.Email, &r.Name, &r.ItemID, &r.Title, &org, &due, &r.Mandatory)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.fault(err)
	}
	r.DueAt, r.OrganisationName = due.Time, org.String
	wants := soon
	if kind == ReminderOverdue {
		wants = overdue
	}
	return r, status == string(upskill.Enrolled) && wants, nil
}

// EmailChoices are the kinds of email a person wants.
type EmailChoices struct {
	DueSoon      bool // a reminder a week before assigned learning is due
	Overdue      bool // a note when it is overdue
	Reassessment bool // an invitation to take the assessment again
}

// SetEmailChoices records which emails a person wants.
func (s *Store) SetEmailChoices(ctx context.Context, personID int64, c EmailChoices) error {
	_, err := s.exec(ctx, `UPDATE people SET due_soon_emails = ?, overdue_emails = ?, reassess_emails = ? WHERE id = ?`,
		c.DueSoon, c.Overdue, c.Reassessment, personID)
	return s.fault(err)
}

// EmailChoicesOf reads which emails a person wants.
func (s *Store) EmailChoicesOf(ctx context.Context, personID int64) (EmailChoices, error) {
	var c EmailChoices
	err := s.queryRow(ctx, `SELECT due_soon_emails, overdue_emails, reassess_emails FROM people WHERE id = ?`, personID).
		Scan(&c.DueSoon, &c.Overdue, &c.Reassessment)
	return c, s.fault(err)
}
