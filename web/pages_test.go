package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"upskill"
	"upskill/store"
)

func TestHierarchyPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("national@example.org")
		p := c.get(orgURL(w.nation.ID))
		p.has(t, "North West", "South West", "Add a region", "National admins", "Nadia National")
		p = c.post(orgURL(w.nation.ID)+"/new", url.Values{"name": {"north west"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("duplicate region: %d", p.status)
		}
		p.has(t, "Another region in this nation already has that name")
		p = c.post(orgURL(w.r1.ID)+"/new", url.Values{"name": {"Hazel Court"}, "type": {"spaceship"}, "code": {"AB 12"}, "reassess_months": {"-3"}})
		p.has(t, "Select the type of organisation", "Code must only include letters and numbers", "Reassessment cycle must be between 0 and 60 months")
		kids, err := a.store.Children(ctx, w.r1.ID)
		must(t, err)
		if len(kids) != 2 {
			t.Fatalf("a refused form added an organisation: %d", len(kids))
		}
		p = c.post(orgURL(w.r1.ID)+"/new", url.Values{"name": {"Hazel Court"}, "type": {"hospice"}})
		p.has(t, "Hazel Court has been added", "Hospice", "Organisation admins", "No one has this role yet")

		// A national admin sees an organisation's admins but not its staff.
		p = c.get(orgURL(w.a.ID))
		p.has(t, "Amira Admin")
		p.lacks(t, "Lee Learner", "/people\"")
		if p := c.get(orgURL(w.a.ID) + "/people"); p.status != http.StatusForbidden {
			t.Fatalf("national admin listing a trust's staff: %d", p.status)
		}
		// Making an existing member an admin keeps their other roles.
		p = c.post(orgURL(w.a.ID)+"/admins/new", url.Values{"email": {"learner.a@example.org"}, "name": {"Lee Learner"}})
		p.has(t, "learner.a@example.org is now an organisation admin of Alder Hospitals NHS Trust")
		_, m, err := a.store.Member(ctx, w.a.ID, w.people["learner"].ID)
		must(t, err)
		if !m.Roles.Has(upskill.RoleOrgAdmin) || !m.Roles.Has(upskill.RoleLearner) || m.JobRole != "Staff nurse" {
			t.Fatalf("after granting: %+v", m)
		}

		for _, path := range []string{"/organisations/999999", "/organisations/abc", "/organisations/0", "/organisations/-1/people"} {
			if p := c.get(path); p.status != http.StatusNotFound {
				t.Errorf("%s: %d", path, p.status)
			}
		}
	})
}

func TestPeopleListAndEditing(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		for i := 0; i < 60; i++ {
			_, err := a.store.AddMember(ctx, 0, w.a, store.MemberInput{Email: fmt.Sprintf("staff%02d@example.org", i), Name: fmt.Sprintf("Zed Staff %02d", i),
				Roles: upskill.RoleSet(upskill.RoleLearner), StaffAttributes: upskill.StaffAttributes{StaffGroup: "admin_clerical"}})
			must(t, err)
		}
		c := a.client()
		c.signIn("admin.a@example.org")
		base := orgURL(w.a.ID) + "/people"
		p := c.get(base)
		p.has(t, "64 people", "Amira Admin", `aria-label="Page 2"`)
		p.lacks(t, "Zed Staff 59")
		p = c.get(base + "?page=2")
		p.has(t, "Zed Staff 59")
		p = c.get(base + "?staff_group=admin_clerical&q=staff+0")
		p.has(t, "10 people match your filters", "Zed Staff 00", "Zed Staff 09")
		p = c.get(base + "?unit=" + itoa(w.unitA.ID))
		p.has(t, "2 people match", "Lee Learner", "Sam Supervisor")
		// Nonsense filters are ignored rather than failing.
		p = c.get(base + "?staff_group=nonsense&role=nobody&page=-4&unit=x")
		p.has(t, "64 people")

		// An admin cannot take away their own admin role.
		self := orgURL(w.a.ID) + "/people/" + itoa(w.people["orgAdmin"].ID)
		p = c.post(self+"/edit", url.Values{"roles": {"learner"}})
		p.has(t, "You cannot remove your own admin role")
		p = c.get(self)
		p.lacks(t, "Remove from Alder")
		p = c.post(self+"/remove", nil)
		if p.status != http.StatusBadRequest {
			t.Fatalf("removing oneself: %d", p.status)
		}
		p.has(t, "You cannot remove yourself")

		// Re-inviting someone who has not set up their account.
		p = c.post(base+"/new", url.Values{"email": {"new.starter@example.org"}, "name": {"New Starter"}, "roles": {"learner"}})
		first := emailedPath(t, a, "new.starter@example.org")
		p = c.post(p.url+"/invite", nil)
		p.has(t, "A new invitation has been sent to new.starter@example.org")
		if second := emailedPath(t, a, "new.starter@example.org"); second == first {
			t.Fatal("the invitation link did not change")
		}
		if p := a.client().get(first); p.status != http.StatusNotFound {
			t.Fatalf("the replaced invitation still works: %d", p.status)
		}
	})
}

func TestAccountPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		_ = w
		c := a.client()
		c.signIn("learner.a@example.org")
		p := c.get("/account")
		p.has(t, "learner.a@example.org", "Alder Hospitals NHS Trust", "Staff nurse", "Confirmed")
		p = c.post("/account/name", url.Values{"name": {"   "}})
		p.has(t, "Enter a full name")
		p = c.post("/account/name", url.Values{"name": {"Lee  Learner-Smith"}})
		p.has(t, "Your name has been changed.", "Lee Learner-Smith")
		p = c.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"tiny"}})
		p.has(t, "Password must be 10 characters or more")
		p = c.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"harbour juniper nettle"}})
		p.has(t, "Your password has been changed")
		c.post("/sign-out", nil)
		p = c.post("/sign-in", url.Values{"email": {"learner.a@example.org"}, "password": {"harbour juniper nettle"}})
		p.has(t, "Hello, Lee Learner-Smith")
	})
}
