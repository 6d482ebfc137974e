package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

func TestTargetsFillInWhatIsNeeded(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		admin := a.client()
		admin.signIn("admin.a@example.org")
		p := admin.get(orgURL(w.a.ID))
		p.has(t, "Targets for roles")
		base := orgURL(w.a.ID) + "/targets"
		p = admin.get(base + "/new")
		p.has(t, "Set a target for a role", "1.1. I can")

		// Bad input says what to fix and saves nothing.
		p = admin.post(base+"/new", url.Values{"name": {"Nurses"}, "staff_group": {"nursing_midwifery"}, "job_role": {"Staff nurse"}, "needed-1.1": {"9"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("a target for both: %d", p.status)
		}
		p.has(t, "A target is for a staff group or for a job role, not both")
		p = admin.post(base+"/new", url.Values{"name": {"Nurses"}, "job_role": {"Staff nurse"}})
		p.has(t, "Set a target for at least one statement")
		p = admin.post(base+"/new", url.Values{"name": {"Nurses"}, "job_role": {"Staff nurse"}, "needed-1.1": {"eleven"}})
		p.has(t, "Choose a target from 0 to 10")
		p = admin.get(base)
		p.has(t, "There are no targets yet")

		p = admin.post(base+"/new", url.Values{"name": {"Staff nurses"}, "job_role": {"staff nurse"}, "needed-1.1": {"9"}, "needed-1.2": {"6"}})
		p.has(t, "The target Staff nurses has been saved", "Job role: staff nurse")

		// The learner, a staff nurse, finds the target filled in.
		c := a.client()
		c.signIn("learner.a@example.org")
		p = c.post("/assessments/hcdcf/start", nil)
		p.has(t, "target for your role (Staff nurses) is 9 out of 10.", `value="9" checked`)
		if strings.Count(p.body, " checked") != 1 {
			t.Fatal("more than the target was filled in")
		}

		// Another organisation's admin cannot open A's targets.
		other := a.client()
		other.signIn("admin.b@example.org")
		if p := other.get(base); p.status != http.StatusForbidden {
			t.Fatalf("B's admin on A's targets: %d", p.status)
		}
	})
}

func TestReassessmentInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Now()
		st = storetest.Open(t, st.Engine(), store.Options{Now: func() time.Time { return now }})
		w := newWorld(t, st)
		a := newApp(t, st)
		must(t, st.UpdateOrganisation(ctx, 0, w.a, upskill.OrganisationInput{Name: w.a.Name, Type: w.a.Type, ReassessMonths: 12}))
		c := a.client()
		c.signIn("learner.a@example.org")
		p := c.post("/assessments/hcdcf/start", nil)
		p = answerAll(t, c, p, 5, 7)
		c.post(strings.TrimSuffix(p.url, "/answers")+"/submit", nil)
		p = c.get("/home")
		p.has(t, "Your next one is due on")

		n, err := a.srv.InviteReassessments(ctx)
		must(t, err)
		if n != 0 {
			t.Fatalf("%d invited straight after submitting", n)
		}
		now = now.AddDate(1, 0, 1)
		n, err = a.srv.InviteReassessments(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("%d invited a year on", n)
		}
		m, ok := a.mail.Last("learner.a@example.org")
		if !ok || m.Subject != "Time to take your digital skills assessment again" || !strings.Contains(m.Text, "/assessments/hcdcf") {
			t.Fatalf("invitation: %+v", m)
		}
		if n, _ := a.srv.InviteReassessments(ctx); n != 0 {
			t.Fatalf("invited twice: %d", n)
		}
	})
}
