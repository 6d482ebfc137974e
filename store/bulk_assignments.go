package store

import (
	"context"
	"database/sql"
	"time"

	"upskill"
)

// This file is the part of BulkLoad that stores assigned learning: the
// assignments of the load's organisations, the enrolments they made, and
// the reminders the sweep would have queued for those enrolments by the
// time of the load, so that a load of past data sends no emails about it.

// checkBulkAssignments checks each assignment of b as CreateAssignment
// does. Read: ID (provisional, below zero, unique), OrganisationID (a new
// organisation), ItemID (an item of the load its staff may find), whom it
// is for (one of PersonID, a new person with a membership of the
// organisation; UnitID, a new unit of it; StaffGroup; JobRole; or
// LineManagerID, a new person with a membership of it), Mandatory,
// DueDays, RenewMonths, CreatedBy (a new person, or 0) and CreatedAt. It
// also checks that an enrolment naming an assignment is of its item, its
// organisation and assigned, and sets its due date when it has none.
func (l *bulkLearning) checkBulkAssignments(b *Bulk, people map[int64]struct{}) error {
	if len(b.Assignments) == 0 {
		return nil
	}
	orgs := make(map[int64]bool, len(b.Organisations))
	for _, o := range b.Organisations {
		orgs[o.ID] = o.Level == upskill.LevelOrganisation
	}
	unitOrg := make(map[int64]int64, len(b.Units))
	for _, u := range b.Units {
		unitOrg[u.ID] = u.OrganisationID
	}
	current := currentMemberships(b)
	l.assignments = make(map[int64]int, len(b.Assignments))
	for i := range b.Assignments {
		a := &b.Assignments[i]
		if a.ID >= 0 {
			return bulkProblem("Assignment", i, "its ID must be a provisional number below zero")
		}
		if _, dup := l.assignments[a.ID]; dup {
			return bulkProblem("Assignment", i, "its ID %d is used twice", a.ID)
		}
		if p := assignmentProblems(*a); p.Err() != nil {
			return bulkProblem("Assignment", i, "%s", firstProblem(p.Err()))
		}
		if !orgs[a.OrganisationID] {
			return bulkProblem("Assignment", i, "its organisation %d is not an organisation of the load", a.OrganisationID)
		}
		at, ok := l.items[a.ItemID]
		if !ok {
			return bulkProblem("Assignment", i, "its item %d is not an item of the load", a.ItemID)
		}
		if !b.Learning[at].Item.FoundBy([]int64{a.OrganisationID}) {
			return bulkProblem("Assignment", i, "its organisation's staff may not find its learning")
		}
		for _, who := range []int64{a.PersonID, a.LineManagerID} {
			if who == 0 {
				continue
			}
			if _, ok := current[personOrg{who, a.OrganisationID}]; !ok {
				return bulkProblem("Assignment", i, "person %d has no current membership of its organisation in the load", who)
			}
		}
		if a.UnitID != 0 && unitOrg[a.UnitID] != a.OrganisationID {
			return bulkProblem("Assignment", i, "its department or team %d is not one of its organisation's in the load", a.UnitID)
		}
		if a.CreatedBy != 0 {
			if _, ok := people[a.CreatedBy]; !ok {
				return bulkProblem("Assignment", i, "the person who made it, %d, is not a person of the load", a.CreatedBy)
			}
		}
		if a.CreatedAt.IsZero() {
			return bulkProblem("Assignment", i, "it has no time it was made")
		}
		l.assignments[a.ID] = i
	}
	for i := range b.Enrolments {
		e := &b.Enrolments[i]
		if e.AssignmentID == 0 {
			continue
		}
		k, ok := l.assignments[e.AssignmentID]
		if !ok {
			return bulkProblem("Enrolment", i, "its assignment %d is not an assignment of the load", e.AssignmentID)
		}
		a := &b.Assignments[k]
		switch {
		case !e.Assigned:
			return bulkProblem("Enrolment", i, "it names an assignment but is not assigned")
		case e.ItemID != a.ItemID || e.OrganisationID != a.OrganisationID:
			return bulkProblem("Enrolment", i, "its item and organisation are not its assignment's")
		}
		// Learning the person had started themselves is due from when it
		// was assigned, as an assignment that takes it over sets it.
		if e.DueAt.IsZero() {
			e.DueAt = later(e.CreatedAt, a.CreatedAt).AddDate(0, 0, a.DueDays)
		}
	}
	return nil
}

// insertBulkAssignments writes the assignments under their reserved ids.
// Content items are written already; enrolments come after.
func (s *Store) insertBulkAssignments(ctx context.Context, tx *sql.Tx, b *Bulk, ids *bulkIDs, l *bulkLearning) error {
	var err error
	if l.assignmentIDs, err = s.reserveIDs(ctx, tx, "assignments", len(b.Assignments)); err != nil {
		return err
	}
	return s.insertRows(ctx, tx, "assignments",
		[]string{"id", "organisation_id", "item_id", "person_id", "unit_id", "staff_group", "job_role", "line_manager_id",
			"mandatory", "due_days", "renew_months", "created_by", "created_at"},
		len(b.Assignments), func(i int, row []any) {
			a := &b.Assignments[i]
			row[0], row[1], row[2] = l.assignmentIDs[i], ids.org(a.OrganisationID), l.itemIDs[l.items[a.ItemID]]
			row[3], row[4], row[5], row[6] = nullID(ids.person(a.PersonID)), nullID(ids.unit(a.UnitID)), string(a.StaffGroup), a.JobRole
			row[7], row[8], row[9], row[10] = nullID(ids.person(a.LineManagerID)), a.Mandatory, int64(a.DueDays), int64(a.RenewMonths)
			row[11], row[12] = nullID(ids.person(a.CreatedBy)), s.bulkNullTime(a.CreatedAt)
		})
}

// assignmentOf is the stored id of an enrolment's assignment and whether
// it makes the learning mandatory.
func (l *bulkLearning) assignmentOf(b *Bulk, e *upskill.Enrolment) (any, bool) {
	k, ok := l.assignments[e.AssignmentID]
	if e.AssignmentID == 0 || !ok {
		return nil, false
	}
	return l.assignmentIDs[k], b.Assignments[k].Mandatory
}

// insertBulkReminders records, for each open enrolment with a due date,
// the reminders the sweep would have queued by now: one a week before the
// due date and one once it is overdue, each when it fell due. No email is
// sent for them.
func (s *Store) insertBulkReminders(ctx context.Context, tx *sql.Tx, b *Bulk, l *bulkLearning, now time.Time) error {
	type reminder struct {
		enrolment int
		kind      string
		at        time.Time
	}
	var due []reminder
	for i := range b.Enrolments {
		e := &b.Enrolments[i]
		if e.Status != upskill.Enrolled || e.DueAt.IsZero() || !e.DueAt.Before(now.Add(ReminderLead)) {
			continue
		}
		due = append(due, reminder{i, ReminderDueSoon, later(e.CreatedAt, e.DueAt.Add(-ReminderLead))})
		if e.DueAt.Before(now) {
			due = append(due, reminder{i, ReminderOverdue, e.DueAt})
		}
	}
	return s.insertRows(ctx, tx, "reminders", []string{"enrolment_id", "kind", "queued_at"},
		len(due), func(k int, row []any) {
			r := due[k]
			row[0], row[1], row[2] = l.enrolmentIDs[r.enrolment], r.kind, s.bulkNullTime(r.at)
		})
}

// ReminderLead is how long before the due date the first reminder goes.
const ReminderLead = 7 * 24 * time.Hour

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
