package web

import (
	"bytes"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/store"
	"upskill/store/storetest"
)

// The expected answer of the access policy, written out by hand rather
// than computed from it: for each permission, the targets each persona may
// act on. Targets are A and B (organisations in region R1), C (an
// organisation in region R2), R1, R2 and N (the nation). The region lead
// leads R1; every other persona but adminB belongs to A, and adminB runs B.
var allowedTargets = map[upskill.Permission]map[string]string{
	upskill.SeeOrganisation: {
		"national": "A B C R1 R2 N", "regionLead": "A B R1",
		"orgAdmin": "A", "supervisor": "A", "learner": "A", "author": "A", "adminB": "B",
	},
	upskill.ManageOrganisation: {"national": "A B C R1 R2 N", "orgAdmin": "A", "adminB": "B"},
	upskill.SeeStaff:           {"orgAdmin": "A", "supervisor": "A", "adminB": "B"},
	upskill.ManageStaff:        {"orgAdmin": "A", "adminB": "B"},
	upskill.ManageAdmins:       {"national": "A B C R1 R2 N", "orgAdmin": "A", "adminB": "B"},
	upskill.CreateChild:        {"national": "R1 R2 N"},
	upskill.AuthorContent:      {"national": "N", "orgAdmin": "A", "author": "A", "adminB": "B"},
	upskill.AssignLearning:     {"orgAdmin": "A", "supervisor": "A", "adminB": "B"},
	upskill.SeeInsight:         {"national": "A B C R1 R2 N", "regionLead": "A B R1", "orgAdmin": "A", "adminB": "B"},
	upskill.SetPlan:            {"national": "A B C R1 R2 N", "regionLead": "R1", "orgAdmin": "A", "adminB": "B"},
}

var personaEmails = map[string]string{
	"national": "national@example.org", "regionLead": "lead@example.org", "orgAdmin": "admin.a@example.org",
	"supervisor": "sup.a@example.org", "learner": "learner.a@example.org", "author": "author.a@example.org",
	"adminB": "admin.b@example.org",
}

// TestAccessMatrix walks every route as every persona (and as a visitor who
// is not signed in) against every node of the hierarchy, and checks that
// each is allowed or refused as the table above says. A refused form post
// must write nothing, and no request may answer with a server error.
func TestAccessMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		a := newApp(t, st)
		targets := map[string]*upskill.Organisation{"A": w.a, "B": w.b, "C": w.c, "R1": w.r1, "R2": w.r2, "N": w.nation}
		units := map[string]int64{"A": w.unitA.ID, "B": w.unitB.ID, "C": w.unitC.ID}
		// Each organisation has a site its department sits at, so that
		// removing it is refused and writes nothing.
		sites := map[string]int64{}
		for tn, org := range map[string]*upskill.Organisation{"A": w.a, "B": w.b, "C": w.c} {
			site, err := st.CreateSite(ctx, 0, org.ID, "Main site")
			must(t, err)
			must(t, st.SetDepartmentSite(ctx, 0, org.ID, units[tn], site.ID))
			sites[tn] = site.ID
		}
		// A person of each organisation to look at, and one to send forms
		// about: the forms are chosen so that an allowed post changes
		// nothing (removing oneself, re-inviting someone with a password,
		// an empty form).
		viewed := map[string]*upskill.Person{"A": w.people["learner"], "B": w.people["learnerB"], "C": w.people["learnerC"]}
		posted := map[string]*upskill.Person{"A": w.people["orgAdmin"], "B": w.people["adminB"], "C": w.people["learnerC"]}

		// The learner has an assessment in progress; everyone else must
		// find nothing at its addresses.
		attempt, _, err := st.StartAttempt(ctx, w.people["learner"].ID, w.a.ID, "hcdcf")
		must(t, err)
		version, err := st.Version(ctx, attempt.VersionID)
		must(t, err)
		firstCapability, firstQuestion := version.Capabilities()[0].ID, version.Questions[0].ID

		// Each organisation, and the nation, has a target for a role.
		// Deleting is tried on a fresh one each time.
		seq := 0
		freshTarget := func(org *upskill.Organisation) int64 {
			seq++
			owner := org.ID
			if org.Level == upskill.LevelNation {
				owner = 0
			}
			id, err := st.SaveTargetProfile(ctx, 0, &upskill.TargetProfile{FrameworkID: version.FrameworkID, OrganisationID: owner,
				Name: "Target " + itoa(int64(seq)), JobRole: "Role " + itoa(int64(seq)), Needed: map[string]int{version.Capabilities()[0].Code: 5}})
			must(t, err)
			return id
		}
		targetIDs := map[string]int64{}
		for _, tn := range []string{"A", "B", "C", "N"} {
			if tn == "N" {
				targetIDs[tn] = freshTarget(w.nation)
			} else {
				targetIDs[tn] = freshTarget(map[string]*upskill.Organisation{"A": w.a, "B": w.b, "C": w.c}[tn])
			}
		}

		// The national admin has a framework file uploaded, waiting to be
		// checked.
		def, err := framework.Default()
		must(t, err)
		var file bytes.Buffer
		must(t, framework.WriteJSON(&file, &def.Framework, &def.Version))
		uploadID, err := st.SaveUpload(ctx, w.people["national"].ID, store.Upload{FileName: "hcdcf.json", ContentType: "application/json", Body: file.Bytes()})
		must(t, err)

		// Each organisation, and the nation, has learning with a published
		// version and a draft of the next; steps that change it are tried
		// on a fresh one each time. National learning, which everyone
		// finds, is what learners open.
		freshItem := func(org *upskill.Organisation) int64 {
			lesson := &upskill.ContentVersion{Title: "Locking your screen", Summary: "Why and how.", Format: upskill.FormatLesson, Minutes: 5,
				Mappings: []upskill.ContentMapping{{FrameworkID: version.FrameworkID, CapabilityCode: version.Capabilities()[0].Code, Level: 1}},
				Pages:    []upskill.LessonPage{{Title: "Why", Body: "Text."}}}
			id, err := st.CreateContent(ctx, 0, org.Ref(), upskill.VisibleEveryone, lesson)
			must(t, err)
			must(t, st.PublishContent(ctx, 0, org.ID, id))
			must(t, st.NewContentVersion(ctx, 0, org.ID, id))
			return id
		}
		itemIDs := map[string]int64{}
		for tn, org := range targets {
			if org.Level != upskill.LevelRegion {
				itemIDs[tn] = freshItem(org)
			}
		}

		// The learner has completed the national learning; only they find
		// their completion.
		learnerID := w.people["learner"].ID
		enrolment, err := st.Enrol(ctx, learnerID, []int64{w.a.ID}, w.a.ID, itemIDs["N"])
		must(t, err)
		must(t, st.SeePage(ctx, learnerID, enrolment.ID, 1))
		_, err = st.CompleteLearning(ctx, learnerID, enrolment.ID)
		must(t, err)

		// Each organisation has a badge earned for learning done for it.
		badgeIDs := map[string]string{}
		for tn, who := range map[string]string{"A": "learner", "B": "learnerB", "C": "learnerC"} {
			person := w.people[who].ID
			e := enrolment
			if tn != "A" {
				e, err = st.Enrol(ctx, person, []int64{targets[tn].ID}, targets[tn].ID, itemIDs["N"])
				must(t, err)
				must(t, st.SeePage(ctx, person, e.ID, 1))
				_, err = st.CompleteLearning(ctx, person, e.ID)
				must(t, err)
			}
			b, err := st.IssueBadge(ctx, store.Badge{ID: "badge" + tn, EnrolmentID: e.ID, PersonID: person, Title: "Locking your screen", IssuedAt: time.Now()},
				func(int, int) (string, error) { return "not.a.token", nil })
			must(t, err)
			badgeIDs[tn] = b.ID
		}

		// Each organisation has assigned the national learning to its
		// nurses; ending one is tried on a fresh one each time. A supervisor
		// ends only what they assigned, so theirs is to the person they
		// line manage.
		freshAssignment := func(org *upskill.Organisation) int64 {
			id, err := st.CreateAssignment(ctx, 0, org.Ref(), upskill.ScopeAll, store.Assignment{ItemID: itemIDs["N"], StaffGroup: "nursing_midwifery", DueDays: 30})
			must(t, err)
			return id
		}
		supervisorsAssignment := func() int64 {
			sup := w.people["supervisor"].ID
			id, err := st.CreateAssignment(ctx, sup, w.a.Ref(), upskill.ScopeReports, store.Assignment{ItemID: itemIDs["N"], PersonID: w.people["learner"].ID, DueDays: 30})
			must(t, err)
			return id
		}
		assignmentIDs := map[string]int64{}
		for _, tn := range []string{"A", "B", "C"} {
			assignmentIDs[tn] = freshAssignment(targets[tn])
		}

		clients := map[string]*client{"anonymous": a.client()}
		for _, p := range personas {
			c := a.client()
			c.signIn(personaEmails[p])
			clients[p] = c
		}
		for _, c := range clients {
			c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		}
		names := append([]string{"anonymous"}, personas...)
		targetNames := []string{"A", "B", "C", "R1", "R2", "N"}
		checked := 0
		for _, rt := range a.srv.routes {
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			if rt.access == public && method == http.MethodPost {
				continue // signing in and out is covered by its own tests
			}
			for _, who := range names {
				c := clients[who]
				for _, tn := range targetNames {
					if !strings.Contains(pattern, "{org}") && tn != "A" {
						continue
					}
					pick := viewed
					if method == http.MethodPost {
						pick = posted
					}
					personID := w.people["learner"].ID
					if p := pick[tn]; p != nil {
						personID = p.ID
					}
					unitID, siteID := w.unitA.ID, sites["A"]
					if u, ok := units[tn]; ok {
						unitID, siteID = u, sites[tn]
					}
					targetID := targetIDs[tn]
					if strings.HasSuffix(pattern, "/targets/{target}/delete") && targetID != 0 {
						targetID = freshTarget(targets[tn])
					}
					itemID := itemIDs[tn]
					switch {
					case !strings.Contains(pattern, "{org}") || strings.Contains(pattern, "/copy-learning/"):
						itemID = itemIDs["N"]
					case itemID == 0:
						itemID = itemIDs["A"]
					case method == http.MethodPost && (strings.HasSuffix(pattern, "/publish") || strings.HasSuffix(pattern, "/review") || strings.HasSuffix(pattern, "/delete")):
						itemID = freshItem(targets[tn])
					}
					assignmentID := assignmentIDs[tn]
					if assignmentID == 0 {
						assignmentID = assignmentIDs["A"]
					} else if strings.HasSuffix(pattern, "/end") && who == "supervisor" && tn == "A" {
						assignmentID = supervisorsAssignment()
					} else if strings.HasSuffix(pattern, "/end") {
						assignmentID = freshAssignment(targets[tn])
					}
					path := strings.NewReplacer("{assignment}", itoa(assignmentID), "{item}", itoa(itemID), "{page}", "1", "{enrolment}", itoa(enrolment.ID), "{badge}", badgeIDs[map[bool]string{true: tn, false: "A"}[badgeIDs[tn] != ""]], "{kid}", "no-such-key", "{org}", itoa(targets[tn].ID), "{unit}", itoa(unitID), "{site}", itoa(siteID), "{target}", itoa(targetID),
						"{person}", itoa(personID), "{token}", "no-such-token", "{$}", "",
						"{framework}", "hcdcf", "{attempt}", itoa(attempt.ID), "{domain}", "1", "{list}", "1",
						"{capability}", itoa(firstCapability), "{question}", itoa(firstQuestion),
						"{key}", "hcdcf", "{number}", "1", "{format}", "xlsx", "{upload}", itoa(uploadID)).Replace(pattern)

					before := auditCounts(t, st, targets)
					var p *page
					if method == http.MethodGet {
						p = c.get(path)
					} else {
						p = c.post(path, url.Values{})
					}
					checked++
					want := expectation(rt, who, tn, targets[tn])
					switch want {
					case "sign in":
						if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/sign-in") {
							t.Errorf("%s as %s on %s: %d %s, want a redirect to sign in", rt.pattern, who, tn, p.status, p.header.Get("Location"))
						}
					case "forbidden", "not found":
						code := map[string]int{"forbidden": 403, "not found": 404}[want]
						if p.status != code {
							t.Errorf("%s as %s on %s: %d, want %d", rt.pattern, who, tn, p.status, code)
						}
					case "allowed":
						if p.status == 401 || p.status == 403 || p.status == 404 {
							t.Errorf("%s as %s on %s: %d, want it allowed", rt.pattern, who, tn, p.status)
						}
						if method == http.MethodGet && rt.access != public && p.status != 200 && p.status != 303 {
							t.Errorf("%s as %s on %s: %d", rt.pattern, who, tn, p.status)
						}
					}
					if want != "allowed" && method == http.MethodPost {
						if after := auditCounts(t, st, targets); after != before {
							t.Errorf("%s as %s on %s was refused but wrote: %s -> %s", rt.pattern, who, tn, before, after)
						}
					}
				}
			}
		}
		t.Logf("%d requests checked", checked)
	})
}

// expectation says how a request should be answered: "allowed",
// "forbidden", "not found" or "sign in".
func expectation(rt route, who, target string, org *upskill.Organisation) string {
	if rt.access == public {
		return "public"
	}
	if who == "anonymous" {
		return "sign in"
	}
	if rt.access == signedIn {
		// An attempt at the assessment is found only by the person who made
		// it, and a review only by the supervisor it was asked of; the
		// learner's attempt here is not shared with anyone.
		if strings.HasPrefix(rt.pattern, "GET /reviews/") || strings.HasPrefix(rt.pattern, "POST /reviews/") {
			return "not found"
		}
		if (strings.Contains(rt.pattern, "{attempt}") || strings.Contains(rt.pattern, "{enrolment}")) && who != "learner" {
			return "not found"
		}
		if strings.Contains(rt.pattern, "{token}") {
			return "not found" // no one has a token of that number
		}
		if strings.HasSuffix(rt.pattern, "/badge.jwt") && strings.Contains(rt.pattern, "{attempt}") {
			return "not found" // the attempt is in progress, so it has earned no badge
		}
		return "allowed"
	}
	if rt.access == national {
		if who == "national" {
			return "allowed"
		}
		return "forbidden"
	}
	if len(rt.levels) > 0 && !hasLevel(rt.levels, org.Level) {
		return "not found"
	}
	for _, t := range strings.Fields(allowedTargets[rt.perm][who]) {
		if t == target {
			return "allowed"
		}
	}
	return "forbidden"
}

// auditCounts summarises how many audit events each target has, to show
// whether a request wrote anything.
func auditCounts(t *testing.T, st *store.Store, targets map[string]*upskill.Organisation) string {
	t.Helper()
	var keys []string
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		events, err := st.AuditEvents(ctx, targets[k].ID, 10000)
		must(t, err)
		b.WriteString(k + ":" + itoa(int64(len(events))) + " ")
	}
	return b.String()
}

// TestPolicyTableIsComplete makes sure the hand-written table covers every
// permission a route uses, so that a new permission cannot slip past the
// matrix.
func TestPolicyTableIsComplete(t *testing.T) {
	s := &Server{}
	for _, rt := range s.routeTable() {
		if rt.access == onOrg {
			if _, ok := allowedTargets[rt.perm]; !ok {
				t.Errorf("route %s uses a permission the access table does not list", rt.pattern)
			}
		}
	}
}

// TestSupervisorSeesOnlyTheirTeam checks the staff scope inside an
// organisation: a supervisor may open the records of the people they line
// manage and no one else's.
func TestSupervisorSeesOnlyTheirTeam(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("sup.a@example.org")
		p := c.get(orgURL(w.a.ID) + "/people")
		p.has(t, "Your team", "Lee Learner")
		p.lacks(t, "Amira Admin", "Ada Author")
		if p := c.get(personURL(w.a.ID, w.people["learner"].ID)); p.status != 200 {
			t.Fatalf("supervisor opening their report: %d", p.status)
		}
		if p := c.get(personURL(w.a.ID, w.people["author"].ID)); p.status != 404 {
			t.Fatalf("supervisor opening someone outside their team: %d", p.status)
		}
		// Filters cannot widen the scope.
		p = c.get(orgURL(w.a.ID) + "/people?q=a&role=content_author")
		p.lacks(t, "Ada Author")
	})
}

// TestCrossOrganisationIDs tries, as organisation A's admin, to reach B's
// people and departments through A's own pages, where the permission check
// passes and only the scoped queries stand in the way.
func TestCrossOrganisationIDs(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("admin.a@example.org")
		inA := orgURL(w.a.ID)
		for _, path := range []string{
			inA + "/people/" + itoa(w.people["learnerB"].ID),
			inA + "/people/" + itoa(w.people["learnerB"].ID) + "/edit",
			inA + "/people/" + itoa(w.people["learnerB"].ID) + "/remove",
			inA + "/departments/" + itoa(w.unitB.ID),
		} {
			if p := c.get(path); p.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, p.status)
			}
		}
		siteB, err := a.store.CreateSite(ctx, 0, w.b.ID, "Beech House")
		must(t, err)
		before := auditCounts(t, a.store, map[string]*upskill.Organisation{"A": w.a, "B": w.b})
		posts := map[string]url.Values{
			inA + "/departments/" + itoa(w.unitB.ID) + "/site":           {"site": {itoa(siteB.ID)}},
			inA + "/sites/" + itoa(siteB.ID) + "/delete":                 {},
			inA + "/people/" + itoa(w.people["learnerB"].ID) + "/remove": {},
			inA + "/people/" + itoa(w.people["learnerB"].ID) + "/edit":   {"roles": {"org_admin"}},
			inA + "/people/" + itoa(w.people["learnerB"].ID) + "/invite": {},
			inA + "/departments/" + itoa(w.unitB.ID):                     {"name": {"Taken over"}},
			inA + "/departments/" + itoa(w.unitB.ID) + "/teams":          {"team_name": {"Sneaky"}},
			inA + "/departments/" + itoa(w.unitB.ID) + "/delete":         {},
		}
		for path, form := range posts {
			if p := c.post(path, form); p.status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", path, p.status)
			}
		}
		// Placing an A member in B's department, or under B's admin.
		p := c.post(inA+"/people/"+itoa(w.people["learner"].ID)+"/edit", url.Values{"roles": {"learner"}, "unit": {itoa(w.unitB.ID)}})
		p.has(t, "Select a department or team of this organisation")
		// Placing A's department at B's site.
		p = c.post(inA+"/departments/"+itoa(w.unitA.ID)+"/site", url.Values{"site": {itoa(siteB.ID)}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("A's department at B's site answered %d", p.status)
		}
		p.has(t, "Choose one of the organisation&#39;s sites")
		p = c.post(inA+"/people/"+itoa(w.people["learner"].ID)+"/edit", url.Values{"roles": {"learner"}, "line_manager": {"admin.b@example.org"}})
		p.has(t, "Enter the email address of a line manager who works in Alder Hospitals NHS Trust")
		if after := auditCounts(t, a.store, map[string]*upskill.Organisation{"A": w.a, "B": w.b}); after != before {
			t.Fatalf("cross-organisation requests wrote: %s -> %s", before, after)
		}
		_, m, err := a.store.Member(ctx, w.b.ID, w.people["learnerB"].ID)
		must(t, err)
		if m.Roles != upskill.RoleSet(upskill.RoleLearner) || m.UnitID != w.unitB.ID {
			t.Fatalf("B's learner was changed: %+v", m)
		}
	})
}
