package web

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/jobs"
	"upskill/store"
	"upskill/store/storetest"
)

// TestAssignedLearningAndReminders has a trust's admin assign learning to
// a staff group; the nurse sees it due in their learning, and the sweep,
// run through the durable job queue, emails them a week before it is due.
func TestAssignedLearningAndReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Now().UTC()
		st = storetest.Open(t, st.Engine(), store.Options{Now: func() time.Time { return now }})
		w := newWorld(t, st)
		a := newApp(t, st)
		fv := mustVersion(t, st)
		l := &upskill.ContentVersion{Title: "Fire safety records", Summary: "Keep the fire log.", Format: upskill.FormatLesson, Minutes: 10,
			Mappings: []upskill.ContentMapping{{FrameworkID: fv.FrameworkID, CapabilityCode: fv.Capabilities()[0].Code, Level: 1}},
			Pages:    []upskill.LessonPage{{Title: "The log", Body: "Fill it in."}}}
		item, err := st.CreateContent(ctx, 0, w.a.Ref(), upskill.VisibleOwner, l)
		must(t, err)
		must(t, st.PublishContent(ctx, 0, w.a.ID, item))

		admin := a.client()
		admin.signIn("admin.a@example.org")
		admin.get("/learning/"+itoa(item)).has(t, "Assign it to your staff at "+w.a.Name)
		form := admin.get(assignmentsURL(w.a.ID) + "/new?item=" + itoa(item))
		form.has(t, "Assign Fire safety records")
		p := admin.post(assignmentsURL(w.a.ID)+"/new", url.Values{"item": {itoa(item)}, "who": {"staff_group"}, "due_days": {"x"}})
		p.has(t, "There is a problem", "Select a staff group", "Enter the number of days")
		p = admin.post(assignmentsURL(w.a.ID)+"/new", url.Values{"item": {itoa(item)}, "who": {"staff_group"}, "staff_group": {"nursing_midwifery"},
			"mandatory": {"yes"}, "due_days": {"10"}, "renew_months": {"12"}})
		p.has(t, "has been assigned", "Everyone in the staff group Nursing and midwifery", "Mandatory", "0 of 1")
		// Another organisation's admin cannot end it.
		other := a.client()
		other.signIn("admin.b@example.org")
		list, err := st.Assignments(ctx, w.a.ID, 0)
		must(t, err)
		if p := other.post(assignmentsURL(w.b.ID)+"/"+itoa(list[0].ID)+"/end", nil); p.status != 404 {
			t.Fatalf("ending another organisation's assignment: %d", p.status)
		}

		nurse := a.client()
		nurse.signIn("learner.a@example.org")
		nurse.get("/my-learning").has(t, "Fire safety records", "Due by")
		nurse.get("/learning/recommended") // the page copes with no assessment

		// The queue: River on this database, polling quickly.
		must(t, jobs.Migrate(ctx, st))
		runner, err := jobs.New(st, slog.New(slog.DiscardHandler), jobs.Config{PollInterval: 50 * time.Millisecond}, a.srv.RegisterJobs)
		must(t, err)
		a.srv.UseJobs(runner)
		must(t, runner.Start(ctx))
		t.Cleanup(func() { runner.Stop(ctx) })

		waitForEmail := func(subject string) {
			t.Helper()
			deadline := time.Now().Add(15 * time.Second)
			for time.Now().Before(deadline) {
				if m, ok := a.mail.Last("learner.a@example.org"); ok && strings.HasPrefix(m.Subject, subject) {
					if !strings.Contains(m.Text, "/learning/"+itoa(item)) || !strings.Contains(m.Text, "mandatory learning") {
						t.Fatalf("reminder: %s", m.Text)
					}
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Fatalf("no email %q arrived", subject)
		}
		_, n, err := a.srv.SweepLearning(ctx)
		must(t, err)
		if n != 0 {
			t.Fatalf("%d reminders ten days ahead", n)
		}
		now = now.AddDate(0, 0, 4)
		_, n, err = a.srv.SweepLearning(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("%d reminders six days ahead, want 1", n)
		}
		waitForEmail("Due by")
		now = now.AddDate(0, 0, 7)
		_, n, err = a.srv.SweepLearning(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("%d overdue reminders, want 1", n)
		}
		waitForEmail("Overdue: Fire safety records")

		// People choose each kind of email: this nurse keeps overdue notes
		// only, then turns everything off.
		nurse.get("/account").has(t, "A reminder a week before learning assigned to me is due", "An invitation to take the digital skills assessment again")
		nurse.post("/account/emails", url.Values{"emails": {"overdue"}}).has(t, "Your email choices have been saved")
		choices, err := st.EmailChoicesOf(ctx, w.people["learner"].ID)
		must(t, err)
		if choices != (store.EmailChoices{Overdue: true}) {
			t.Fatalf("email choices: %+v", choices)
		}
		nurse.post("/account/emails", url.Values{}).has(t, "You will not get emails about your learning or your assessment")
		if choices, _ := st.EmailChoicesOf(ctx, w.people["learner"].ID); choices != (store.EmailChoices{}) {
			t.Fatalf("email choices after turning them all off: %+v", choices)
		}
	})
}

// TestSupervisorAssignsLearning has a supervisor assign learning to the
// person they line manage and to their whole team: the form offers only
// their team, someone else is refused with nothing written, and the list
// shows and ends only what they assigned.
func TestSupervisorAssignsLearning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		a := newApp(t, st)
		fv := mustVersion(t, st)
		l := &upskill.ContentVersion{Title: "The ward's handover tool", Summary: "Hand over safely.", Format: upskill.FormatLesson, Minutes: 10,
			Mappings: []upskill.ContentMapping{{FrameworkID: fv.FrameworkID, CapabilityCode: fv.Capabilities()[0].Code, Level: 1}},
			Pages:    []upskill.LessonPage{{Title: "Handover", Body: "Use the tool."}}}
		item, err := st.CreateContent(ctx, 0, w.a.Ref(), upskill.VisibleOwner, l)
		must(t, err)
		must(t, st.PublishContent(ctx, 0, w.a.ID, item))
		admins, err := st.CreateAssignment(ctx, w.people["orgAdmin"].ID, w.a.Ref(), upskill.ScopeAll,
			store.Assignment{ItemID: item, JobRole: "Porter", DueDays: 30})
		must(t, err)

		sup := a.client()
		sup.signIn("sup.a@example.org")
		page := sup.get("/learning/" + itoa(item))
		page.has(t, "Assign it to your team at "+w.a.Name)
		page.lacks(t, "Assign it to your staff")
		form := sup.get(assignmentsURL(w.a.ID) + "/new?item=" + itoa(item))
		form.has(t, "One of the people you line manage", "Everyone you line manage", w.people["learner"].Name)
		form.lacks(t, "A staff group", "Email address of the person")

		// Someone they do not line manage is refused, and nothing is written.
		p := sup.post(assignmentsURL(w.a.ID)+"/new", url.Values{"item": {itoa(item)}, "who": {"person"}, "person": {itoa(w.people["author"].ID)}, "due_days": {"14"}})
		p.has(t, "There is a problem", "Choose one of the people you line manage")
		if mine, _ := st.Assignments(ctx, w.a.ID, w.people["supervisor"].ID); len(mine) != 0 {
			t.Fatalf("a refused assignment was written: %+v", mine)
		}
		// A group rule of the admin's kind is not theirs to make.
		p = sup.post(assignmentsURL(w.a.ID)+"/new", url.Values{"item": {itoa(item)}, "who": {"staff_group"}, "staff_group": {"nursing_midwifery"}, "due_days": {"14"}})
		p.has(t, "Choose whom to assign the learning to")

		p = sup.post(assignmentsURL(w.a.ID)+"/new", url.Values{"item": {itoa(item)}, "who": {"team"}, "mandatory": {"yes"}, "due_days": {"14"}})
		p.has(t, "has been assigned", "Learning you have assigned", "Everyone Sam Supervisor line manages", "0 of 1")
		p.lacks(t, "Porter")
		nurse := a.client()
		nurse.signIn("learner.a@example.org")
		nurse.get("/my-learning").has(t, "The ward&#39;s handover tool", "Due by")

		// The admin's assignment is not theirs to end.
		if p := sup.post(assignmentsURL(w.a.ID)+"/"+itoa(admins)+"/end", nil); p.status != 404 {
			t.Fatalf("a supervisor ended the admin's assignment: %d", p.status)
		}
		admin := a.client()
		admin.signIn("admin.a@example.org")
		admin.get(assignmentsURL(w.a.ID)).has(t, "Assigned learning", "Everyone Sam Supervisor line manages", "Everyone whose job role is Porter")
	})
}

// mustVersion returns the published version of the default framework.
func mustVersion(t *testing.T, st *store.Store) *upskill.FrameworkVersion {
	t.Helper()
	_, v, err := st.PublishedVersion(ctx, "hcdcf")
	must(t, err)
	return v
}
