package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

func TestAssignmentsAndReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		s = storetest.Open(t, s.Engine(), store.Options{Now: func() time.Time { return now }})
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a := f.orgA.Ref()
		l := lesson(v, "Fire safety records")
		l.PassMark = 0
		item, err := s.CreateContent(ctx, 0, a, upskill.VisibleOwner, l)
		must(t, err)
		must(t, s.PublishContent(ctx, 0, a.ID, item))
		private, err := s.CreateContent(ctx, 0, f.orgB.Ref(), upskill.VisibleOwner, lesson(v, "Beech House only"))
		must(t, err)
		must(t, s.PublishContent(ctx, 0, f.orgB.ID, private))
		unitB, err := s.CreateUnit(ctx, 0, f.orgB.ID, 0, "Lounge")
		must(t, err)
		nurse := func(email string) int64 {
			m, err := s.AddMember(ctx, 0, f.orgA, store.MemberInput{Email: email, Name: "Nurse", Roles: upskill.RoleSet(upskill.RoleLearner),
				StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse"}})
			must(t, err)
			return m.Person.ID
		}
		first := nurse("first@example.org")

		// Bad assignments write nothing.
		bad := []store.Assignment{
			{ItemID: item, DueDays: 30},
			{ItemID: item, StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", DueDays: 30},
			{ItemID: item, StaffGroup: "nursing_midwifery", DueDays: 0},
			{ItemID: item, StaffGroup: "pilots", DueDays: 30},
			{ItemID: item, UnitID: unitB.ID, DueDays: 30},
			{ItemID: item, PersonID: f.adminB.ID, DueDays: 30},
		}
		for i, b := range bad {
			_, err := s.CreateAssignment(ctx, 0, a, upskill.ScopeAll, b)
			wantCode(t, err, upskill.EINVALID)
			_ = i
		}
		_, err = s.CreateAssignment(ctx, 0, a, upskill.ScopeAll, store.Assignment{ItemID: private, StaffGroup: "nursing_midwifery", DueDays: 30})
		wantCode(t, err, upskill.ENOTFOUND)

		id, err := s.CreateAssignment(ctx, 0, a, upskill.ScopeAll, store.Assignment{ItemID: item, StaffGroup: "nursing_midwifery", Mandatory: true, DueDays: 14, RenewMonths: 12})
		must(t, err)
		e, err := s.OpenEnrolment(ctx, first, item)
		must(t, err)
		if !e.Assigned || !e.DueAt.Equal(now.AddDate(0, 0, 14)) {
			t.Fatalf("assigned enrolment: %+v", e)
		}
		// Someone who joins the group later is caught on the next run.
		later := nurse("later@example.org")
		n, err := s.ApplyAssignments(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("enrolled %d on the next run, want the one who joined", n)
		}
		if _, err := s.OpenEnrolment(ctx, later, item); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.ApplyAssignments(ctx); n != 0 {
			t.Fatalf("a second run enrolled %d again", n)
		}
		list, err := s.Assignments(ctx, a.ID, 0)
		must(t, err)
		if len(list) != 1 || list[0].Enrolled != 2 || list[0].Who() != "Everyone in the staff group Nursing and midwifery (registered)" {
			t.Fatalf("assignments: %+v", list)
		}
		_, err = s.Assignments(ctx, f.orgB.ID, 0)
		must(t, err)
		wantCode(t, s.EndAssignment(ctx, 0, f.orgB.ID, 0, id), upskill.ENOTFOUND)

		// Reminders: due within a week, then overdue, each once.
		var queued []string
		enqueue := func(_ context.Context, _ *sql.Tx, due []store.ReminderJob) error {
			for _, d := range due {
				queued = append(queued, d.Kind)
			}
			return nil
		}
		week := 7 * 24 * time.Hour
		if n, err := s.QueueReminders(ctx, week, 100, enqueue); err != nil || n != 0 {
			t.Fatalf("reminders two weeks before: %d %v", n, err)
		}
		now = now.AddDate(0, 0, 8)
		// The nurse who joined later wants only to hear when learning is
		// overdue.
		must(t, s.SetEmailChoices(ctx, later, store.EmailChoices{Overdue: true}))
		if n, err := s.QueueReminders(ctx, week, 1, enqueue); err != nil || n != 1 || queued[0] != store.ReminderDueSoon {
			t.Fatalf("due soon: %d %v %v", n, err, queued)
		}
		if n, _ := s.QueueReminders(ctx, week, 100, enqueue); n != 0 {
			t.Fatalf("queued the same reminder again: %d", n)
		}
		now = now.AddDate(0, 0, 7)
		if n, _ := s.QueueReminders(ctx, week, 100, enqueue); n != 2 || queued[1] != store.ReminderOverdue || queued[2] != store.ReminderOverdue {
			t.Fatalf("overdue: %v", queued)
		}
		r, send, err := s.ReminderFor(ctx, e.ID, store.ReminderOverdue)
		must(t, err)
		if !send || r.Title != "Fire safety records" || !r.Mandatory || r.Email != "first@example.org" {
			t.Fatalf("reminder: %+v %v", r, send)
		}
		// Completing it stops reminders; the renewal comes a year on.
		must(t, s.SeePage(ctx, first, e.ID, 1))
		must(t, s.SeePage(ctx, first, e.ID, 2))
		_, err = s.CompleteLearning(ctx, first, e.ID)
		must(t, err)
		if _, send, _ := s.ReminderFor(ctx, e.ID, store.ReminderOverdue); send {
			t.Fatal("a reminder for completed learning would be sent")
		}
		now = now.AddDate(0, 6, 0)
		if n, _ := s.ApplyAssignments(ctx); n != 0 {
			t.Fatalf("renewed after six months: %d", n)
		}
		now = now.AddDate(0, 7, 0)
		if n, _ := s.ApplyAssignments(ctx); n != 1 {
			t.Fatalf("not renewed after thirteen months: %d", n)
		}
		must(t, s.EndAssignment(ctx, 0, a.ID, 0, id))
		nurse("after@example.org")
		if n, _ := s.ApplyAssignments(ctx); n != 0 {
			t.Fatalf("an ended assignment enrolled %d", n)
		}
	})
}

// TestSupervisorAssignments has a supervisor assign learning to one of the
// people they line manage and to their whole team, which catches people
// who join it later; they can reach no one else, and see and end only
// what they assigned.
func TestSupervisorAssignments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a := f.orgA.Ref()
		l := lesson(v, "Using the rota app")
		l.PassMark = 0
		item, err := s.CreateContent(ctx, 0, a, upskill.VisibleOwner, l)
		must(t, err)
		must(t, s.PublishContent(ctx, 0, a.ID, item))
		add := func(email string, manager int64) int64 {
			m, err := s.AddMember(ctx, 0, f.orgA, store.MemberInput{Email: email, Name: email, Roles: upskill.RoleSet(upskill.RoleLearner).With(upskill.RoleSupervisor),
				StaffAttributes: upskill.StaffAttributes{LineManagerID: manager}})
			must(t, err)
			return m.Person.ID
		}
		sup := add("sup@example.org", 0)
		report := add("report@example.org", sup)
		stranger := add("stranger@example.org", 0)
		otherSup := add("other.sup@example.org", 0)

		// Not someone they line manage, not a group, not another manager's
		// team, and not in another organisation: nothing is written.
		bad := []store.Assignment{
			{ItemID: item, PersonID: stranger, DueDays: 30},
			{ItemID: item, StaffGroup: "nursing_midwifery", DueDays: 30},
			{ItemID: item, LineManagerID: otherSup, DueDays: 30},
			{ItemID: item, PersonID: f.adminB.ID, DueDays: 30},
		}
		for _, b := range bad {
			_, err := s.CreateAssignment(ctx, sup, a, upskill.ScopeReports, b)
			wantCode(t, err, upskill.EINVALID)
		}
		_, err = s.CreateAssignment(ctx, sup, f.orgB.Ref(), upskill.ScopeNone, store.Assignment{ItemID: item, PersonID: report, DueDays: 30})
		if err == nil {
			t.Fatal("assigned with no staff scope")
		}
		if list, _ := s.Assignments(ctx, a.ID, 0); len(list) != 0 {
			t.Fatalf("refused assignments were written: %+v", list)
		}

		one, err := s.CreateAssignment(ctx, sup, a, upskill.ScopeReports, store.Assignment{ItemID: item, PersonID: report, DueDays: 30})
		must(t, err)
		if _, err := s.OpenEnrolment(ctx, report, item); err != nil {
			t.Fatalf("the report was not enrolled: %v", err)
		}
		team, err := s.CreateAssignment(ctx, sup, a, upskill.ScopeReports, store.Assignment{ItemID: item, LineManagerID: sup, DueDays: 60})
		must(t, err)
		joiner := add("joiner@example.org", sup)
		n, err := s.ApplyAssignments(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("the sweep enrolled %d, want the person who joined the team", n)
		}
		if _, err := s.OpenEnrolment(ctx, joiner, item); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OpenEnrolment(ctx, stranger, item); upskill.ErrorCode(err) != upskill.ENOTFOUND {
			t.Fatalf("someone outside the team was enrolled: %v", err)
		}

		// An admin's assignment is not the supervisor's to see or end.
		admins, err := s.CreateAssignment(ctx, f.adminA.ID, a, upskill.ScopeAll, store.Assignment{ItemID: item, PersonID: stranger, DueDays: 30})
		must(t, err)
		mine, err := s.Assignments(ctx, a.ID, sup)
		must(t, err)
		if len(mine) != 2 || mine[0].ID != team || mine[0].Who() != "Everyone sup@example.org line manages" || mine[1].ID != one {
			t.Fatalf("the supervisor's assignments: %+v", mine)
		}
		wantCode(t, s.EndAssignment(ctx, sup, a.ID, sup, admins), upskill.ENOTFOUND)
		must(t, s.EndAssignment(ctx, sup, a.ID, sup, team))
		if all, _ := s.Assignments(ctx, a.ID, 0); len(all) != 2 {
			t.Fatalf("after ending one: %+v", all)
		}
	})
}
