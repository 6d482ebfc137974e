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
			_, err := s.CreateAssignment(ctx, 0, a, b)
			wantCode(t, err, upskill.EINVALID)
			_ = i
		}
		_, err = s.CreateAssignment(ctx, 0, a, store.Assignment{ItemID: private, StaffGroup: "nursing_midwifery", DueDays: 30})
		wantCode(t, err, upskill.ENOTFOUND)

		id, err := s.CreateAssignment(ctx, 0, a, store.Assignment{ItemID: item, StaffGroup: "nursing_midwifery", Mandatory: true, DueDays: 14, RenewMonths: 12})
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
		list, err := s.Assignments(ctx, a.ID)
		must(t, err)
		if len(list) != 1 || list[0].Enrolled != 2 || list[0].Who() != "Everyone in the staff group Nursing and midwifery (registered)" {
			t.Fatalf("assignments: %+v", list)
		}
		_, err = s.Assignments(ctx, f.orgB.ID)
		must(t, err)
		wantCode(t, s.EndAssignment(ctx, 0, f.orgB.ID, id), upskill.ENOTFOUND)

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
		must(t, s.SetLearningEmails(ctx, later, false))
		if n, err := s.QueueReminders(ctx, week, 1, enqueue); err != nil || n != 1 || queued[0] != store.ReminderDueSoon {
			t.Fatalf("due soon: %d %v %v", n, err, queued)
		}
		if n, _ := s.QueueReminders(ctx, week, 100, enqueue); n != 0 {
			t.Fatalf("queued the same reminder again: %d", n)
		}
		now = now.AddDate(0, 0, 7)
		if n, _ := s.QueueReminders(ctx, week, 100, enqueue); n != 1 || queued[1] != store.ReminderOverdue {
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
		must(t, s.EndAssignment(ctx, 0, a.ID, id))
		nurse("after@example.org")
		if n, _ := s.ApplyAssignments(ctx); n != 0 {
			t.Fatalf("an ended assignment enrolled %d", n)
		}
	})
}
