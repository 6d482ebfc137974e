package demo_test

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"upskill"
	"upskill/badge"
	"upskill/demo"
	"upskill/store"
	"upskill/store/storetest"
)

// learningLines describe the generated learning and enrolments, one line
// per row, by title and address rather than by id.
func learningLines(d *demo.Data) []string {
	b := &d.Bulk
	email := map[int64]string{}
	for _, p := range b.People {
		email[p.ID] = p.Email
	}
	title := map[int64]string{}
	version := map[int64]int{}
	var lines []string
	for _, it := range b.Learning {
		last := it.Versions[len(it.Versions)-1]
		title[it.Item.ID] = last.Title
		from := ""
		if o := it.Item.CopiedFrom; o != nil {
			from = fmt.Sprintf("%s version %d", title[o.ItemID], o.Version)
		}
		lines = append(lines, fmt.Sprintf("item|%s|%d|%s|%v|%s", last.Title, it.Item.Owner.ID, it.Item.Visibility, it.Item.SharedWith, from))
		for j, v := range it.Versions {
			version[v.ID] = j + 1
			lines = append(lines, fmt.Sprintf("version|%s|%d|%s|%s|%d|%d|%v|%v|%v|%s", last.Title, j+1, v.Status, v.Title,
				v.Minutes, v.PassMark, v.BadgeBearing, v.Mappings, v.Pages, lineTime(v.PublishedAt)))
		}
	}
	for _, e := range b.Enrolments {
		lines = append(lines, fmt.Sprintf("enrolment|%s|%s|%d|%s|%v|%v|%d|%s|%s", email[e.PersonID], title[e.ItemID],
			version[e.VersionID], e.Status, e.PagesSeen, e.Answers, e.Seconds, lineTime(e.CreatedAt), lineTime(e.CompletedAt)))
	}
	return lines
}

// An organisation of the demo that writes its own learning.
func writesLearning(t upskill.OrgType) bool {
	return t == upskill.OrgNHSTrust || t == upskill.OrgICB || t == upskill.OrgLocalAuthority
}

func TestLearningIsDeterministicAndRealistic(t *testing.T) {
	v := testVersion(t)
	where := demo.Placement{NationID: 1, Version: v}
	opt := demo.Options{Orgs: 60, Staff: 3000, Seed: 11, Attempts: true}
	d := demo.Generate(opt, where)
	a := digest(learningLines(d))
	if b := digest(learningLines(demo.Generate(opt, where))); a != b {
		t.Fatal("the same seed generated different learning")
	}
	other := opt
	other.Seed++
	if digest(learningLines(demo.Generate(other, where))) == a {
		t.Fatal("two seeds generated the same learning")
	}
	// Learning changes nothing else, and can be left out.
	without := opt
	without.NoLearning = true
	w := demo.Generate(without, where)
	if len(w.Bulk.Learning) != 0 || len(w.Bulk.Enrolments) != 0 {
		t.Fatal("learning was made when it was left out")
	}
	if digest(generatedLines(w, v)) != digest(generatedLines(d, v)) {
		t.Fatal("making learning changed the staff or their attempts")
	}

	orgs := map[int64]upskill.Organisation{}
	for _, o := range d.Bulk.Organisations {
		orgs[o.ID] = o
	}
	titles := map[string]bool{}
	var lessons, links, copies, named, everyone, revised int
	local := map[int64]int{}
	for _, it := range d.Bulk.Learning {
		last := it.Versions[len(it.Versions)-1]
		if titles[last.Title] {
			t.Errorf("two items are called %q", last.Title)
		}
		titles[last.Title] = true
		if last.Status != upskill.ContentPublished {
			t.Errorf("%q: its latest version is %s", last.Title, last.Status)
		}
		for j, v := range it.Versions {
			if j < len(it.Versions)-1 && v.Status != upskill.ContentRetired {
				t.Errorf("%q: version %d is %s, not retired", last.Title, j+1, v.Status)
			}
			if len(v.Mappings) < 1 || len(v.Mappings) > 3 || v.Minutes < 5 || v.Minutes > 45 {
				t.Errorf("%q: %d mappings, %d minutes", v.Title, len(v.Mappings), v.Minutes)
			}
			for _, m := range v.Mappings {
				if m.Level < 1 || m.Level > 4 {
					t.Errorf("%q: mapping %+v", v.Title, m)
				}
			}
			if v.Format == upskill.FormatLesson && (v.QuestionCount() < 1 || v.QuestionCount() > 3 || len(v.Pages) < 2 || len(v.Pages) > 6) {
				t.Errorf("%q: %d pages, %d questions", v.Title, len(v.Pages), v.QuestionCount())
			}
			for _, p := range v.Pages {
				for _, s := range []string{p.Title, p.Body} {
					if strings.Contains(s, "{") || strings.Contains(s, "}") {
						t.Errorf("%q: a placeholder is left in %q", v.Title, s)
					}
				}
			}
		}
		if len(it.Versions) > 1 {
			revised++
		}
		owner, isOrg := orgs[it.Item.Owner.ID]
		switch {
		case !isOrg && last.Format == upskill.FormatLink:
			links++
			u, err := url.Parse(last.LinkURL)
			if err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Host, "example.org") && !strings.HasSuffix(u.Host, "example.nhs.uk") {
				t.Errorf("%q links to %s", last.Title, last.LinkURL)
			}
		case !isOrg:
			lessons++
		case it.Item.CopiedFrom != nil:
			copies++
			if owner.Type != upskill.OrgCareHome || !strings.HasSuffix(last.Title, " at "+owner.Name) {
				t.Errorf("copy %q is owned by %s %q", last.Title, owner.Type, owner.Name)
			}
		default:
			local[owner.ID]++
			if !writesLearning(owner.Type) {
				t.Errorf("%q is written by %s", last.Title, owner.Type)
			}
			name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(owner.Name, "NHS "), " NHS Foundation Trust"), " NHS Trust")
			name = strings.TrimSuffix(name, " Integrated Care Board")
			if !strings.Contains(last.Title, name) {
				t.Errorf("%q does not name %q", last.Title, owner.Name)
			}
			switch it.Item.Visibility {
			case upskill.VisibleNamed:
				named++
				for _, s := range it.Item.SharedWith {
					if orgs[s.ID].ParentID != owner.ParentID {
						t.Errorf("%q is shared outside its region, with %q", last.Title, orgs[s.ID].Name)
					}
				}
			case upskill.VisibleEveryone:
				everyone++
			}
		}
	}
	for _, o := range d.Bulk.Organisations {
		if o.Level == upskill.LevelOrganisation && writesLearning(o.Type) && (local[o.ID] < 1 || local[o.ID] > 4) {
			t.Errorf("%s wrote %d lessons", o.Name, local[o.ID])
		}
	}
	if lessons != 60 || links != 8 || copies == 0 || named == 0 || revised == 0 {
		t.Errorf("%d national lessons, %d links, %d copies, %d shared by name, %d with everyone, %d revised",
			lessons, links, copies, named, everyone, revised)
	}

	// Enrolments: up to six a person, most completed, after the person's
	// latest assessment.
	latest := map[int64]time.Time{}
	for _, a := range d.Bulk.Attempts {
		if a.Status == upskill.AttemptSubmitted && a.SubmittedAt.After(latest[a.PersonID]) {
			latest[a.PersonID] = a.SubmittedAt
		}
	}
	perPerson := map[int64]int{}
	completed, self := 0, 0
	assignments := map[int64]*store.Assignment{}
	for i := range d.Bulk.Assignments {
		assignments[d.Bulk.Assignments[i].ID] = &d.Bulk.Assignments[i]
	}
	assigned, assignedDone := 0, 0
	for _, e := range d.Bulk.Enrolments {
		if e.Assigned {
			// Assigned learning comes from an assignment of the person's
			// organisation, whether or not they took the assessment.
			a, ok := assignments[e.AssignmentID]
			if !ok || a.ItemID != e.ItemID || a.OrganisationID != e.OrganisationID {
				t.Errorf("assigned enrolment %+v is not of its assignment %+v", e, a)
			}
			assigned++
			if e.Status == upskill.Completed {
				assignedDone++
			}
			continue
		}
		self++
		perPerson[e.PersonID]++
		if e.Status == upskill.Completed {
			completed++
		}
		if at, ok := latest[e.PersonID]; !ok || !e.CreatedAt.After(at) {
			t.Errorf("enrolment %+v starts before the person's latest assessment, %v", e, at)
		}
	}
	// Most organisations make phishing mandatory for their staff, every
	// two years; some supervisors assign learning to their team.
	orgWide, teams := 0, 0
	for _, a := range d.Bulk.Assignments {
		switch {
		case a.LineManagerID != 0 && !a.Mandatory && a.CreatedBy == a.LineManagerID:
			teams++
		case a.Mandatory && a.RenewMonths == 24 && (a.UnitID != 0 || a.StaffGroup != ""):
			orgWide++
		default:
			t.Errorf("assignment %+v", a)
		}
	}
	if orgWide == 0 || teams == 0 || assigned == 0 {
		t.Errorf("%d organisation-wide assignments, %d for teams, %d enrolments from them", orgWide, teams, assigned)
	}
	if share := float64(assignedDone) / float64(assigned); share < 0.6 || share > 0.95 {
		t.Errorf("%.2f of assigned enrolments complete", share)
	}
	for p, n := range perPerson {
		if n > 6 {
			t.Errorf("person %d has %d enrolments", p, n)
		}
	}
	if share := float64(completed) / float64(self); len(perPerson) < len(latest)/2 || share < 0.6 || share > 0.9 {
		t.Errorf("%d of %d assessed people enrolled, %.2f of enrolments complete", len(perPerson), len(latest), share)
	}
	if s := d.Summary(); !strings.Contains(s, " learning items (68 national, ") {
		t.Errorf("summary: %q", s)
	}
}

// searchWord is the word of a title that the fewest other titles have,
// of five letters or more, so that a search for it finds few items.
func searchWord(title string, count map[string]int) string {
	best := ""
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 5 && (best == "" || count[w] < count[best]) {
			best = w
		}
	}
	return best
}

func TestLearningAsStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		d := load(t, s, small)
		b := &d.Bulk
		if len(b.Learning) == 0 || len(b.Enrolments) == 0 {
			t.Fatal("the demo made no learning")
		}

		// Every published version is found by a word of its title, by the
		// staff of its owner.
		count := map[string]int{}
		for _, it := range b.Learning {
			seen := map[string]bool{}
			for _, w := range strings.FieldsFunc(strings.ToLower(it.Item.Published.Title), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if !seen[w] {
					count[w]++
				}
				seen[w] = true
			}
		}
		for _, it := range b.Learning {
			word := searchWord(it.Item.Published.Title, count)
			found := false
			for page := 1; !found; page++ {
				res, err := s.Catalogue(ctx, store.CatalogueQuery{OrgIDs: []int64{it.Item.Owner.ID}, Text: word, Page: page, PerPage: 100})
				must(t, err)
				found = slices.ContainsFunc(res.Entries, func(e store.CatalogueEntry) bool { return e.VersionID == it.Item.Published.ID })
				if len(res.Entries) < 100 {
					break
				}
			}
			if !found {
				t.Errorf("searching for %q does not find %q", word, it.Item.Published.Title)
			}
		}

		// The staff of each organisation find national learning, their
		// own, and what is shared with them or with everyone: nothing
		// else.
		isOrg := map[int64]bool{}
		for _, o := range b.Organisations {
			isOrg[o.ID] = o.Level == upskill.LevelOrganisation
		}
		mayFind := func(it *store.BulkItem, org int64) bool {
			return it.Item.Visibility == upskill.VisibleEveryone || it.Item.Owner.ID == org ||
				slices.ContainsFunc(it.Item.SharedWith, func(o upskill.SharedOrg) bool { return o.ID == org })
		}
		private := 0
		for _, o := range b.Organisations {
			if !isOrg[o.ID] {
				continue
			}
			var want, got []int64
			for i := range b.Learning {
				if it := &b.Learning[i]; mayFind(it, o.ID) {
					want = append(want, it.Item.ID)
				} else {
					private++
					if _, err := s.VisibleContent(ctx, []int64{o.ID}, it.Item.ID); upskill.ErrorCode(err) != upskill.ENOTFOUND {
						t.Errorf("%s can open %q: %v", o.Name, it.Item.Published.Title, err)
					}
				}
			}
			for page := 1; ; page++ {
				res, err := s.Catalogue(ctx, store.CatalogueQuery{OrgIDs: []int64{o.ID}, Page: page, PerPage: 100})
				must(t, err)
				for _, e := range res.Entries {
					got = append(got, e.ItemID)
				}
				if len(res.Entries) < 100 {
					break
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s finds %d items, want %d", o.Name, len(got), len(want))
			}
		}
		if private == 0 {
			t.Error("no organisation has learning that others cannot find")
		}

		// Every enrolment is on a version of learning the person may find,
		// and every completion meets its version's rule, after the
		// person's latest assessment.
		orgOf := map[int64][]int64{}
		for _, m := range b.Memberships {
			orgOf[m.PersonID] = append(orgOf[m.PersonID], m.OrganisationID)
		}
		latest := map[int64]time.Time{}
		for _, a := range b.Attempts {
			if a.Status == upskill.AttemptSubmitted && a.SubmittedAt.After(latest[a.PersonID]) {
				latest[a.PersonID] = a.SubmittedAt
			}
		}
		versions := map[int64]*upskill.ContentVersion{}
		var done, open int
		for i, e := range b.Enrolments {
			if i%10 == 0 { // the product's own check, for a sample
				if _, err := s.VisibleContent(ctx, orgOf[e.PersonID], e.ItemID); err != nil {
					t.Errorf("enrolment %d: the person cannot find its learning: %v", e.ID, err)
				}
			}
			v, ok := versions[e.VersionID]
			if !ok {
				var err error
				v, err = s.ContentVersion(ctx, e.ItemID, e.VersionID)
				must(t, err)
				versions[e.VersionID] = v
			}
			if e.Status == upskill.Enrolled {
				open++
				if v.Format == upskill.FormatLesson && len(e.PagesSeen) >= len(v.Pages) {
					t.Errorf("enrolment %d is in progress with every page seen", e.ID)
				}
				continue
			}
			done++
			c, err := s.CompletionOf(ctx, e.PersonID, e.ID)
			must(t, err)
			if msg := v.CompletionProblem(c.Seen(len(v.Pages)), c.Result(v)); msg != "" {
				t.Errorf("completion %d on %q: %s", e.ID, v.Title, msg)
			}
			if c.Score != c.Result(v).Percent() || !c.CompletedAt.After(latest[e.PersonID]) {
				t.Errorf("completion %d: score %d, completed %v after an assessment on %v", e.ID, c.Score, c.CompletedAt, latest[e.PersonID])
			}
		}
		if done == 0 || open == 0 {
			t.Errorf("%d completions and %d in progress", done, open)
		}
		var people int
		must(t, readDB(s).QueryRowContext(ctx, `SELECT count(DISTINCT person_id) FROM enrolments`).Scan(&people))
		if people < len(latest)/2 {
			t.Errorf("%d of %d people who took the assessment enrolled on learning", people, len(latest))
		}

		// The reminders that fell due in the past were recorded with the
		// load, so the first sweep sends none of them; and it finds few
		// people the assignments cover and the load left out (those whose
		// last completion has since come due for renewal).
		queued, err := s.QueueReminders(ctx, store.ReminderLead, 1000, func(context.Context, *sql.Tx, []store.ReminderJob) error { return nil })
		must(t, err)
		if queued != 0 {
			t.Errorf("the first sweep after the load queued %d reminders", queued)
		}
		n, err := s.ApplyAssignments(ctx)
		must(t, err)
		if n > len(b.Enrolments)/100 {
			t.Errorf("the first sweep after the load enrolled %d more people under the demo's assignments", n)
		}

		// Badges of both kinds, signed with the database's key, naming
		// their learner and a bit of the first status list.
		if d.Badges == 0 {
			t.Fatal("the demo issued no badges")
		}
		seed, err := s.BadgeSeed(ctx)
		must(t, err)
		pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		emails := map[int64]string{}
		for _, p := range b.People {
			emails[p.ID] = p.Email
		}
		type stored struct {
			person int64
			token  string
			domain string
			list   int
		}
		var rows []stored
		q, err := readDB(s).QueryContext(ctx, `SELECT person_id, token, domain_code, status_list FROM badges`)
		must(t, err)
		for q.Next() {
			var r stored
			must(t, q.Scan(&r.person, &r.token, &r.domain, &r.list))
			rows = append(rows, r)
		}
		q.Close()
		kinds := map[bool]int{}
		for _, r := range rows {
			v, err := badge.Verify(r.token, func(string) (ed25519.PublicKey, error) { return pub, nil }, time.Now())
			if err != nil {
				t.Fatalf("a demo badge does not verify: %v", err)
			}
			if !badge.RecipientMatches(v, emails[r.person]) || r.list != 1 || v.StatusType != "BitstringStatusListEntry" ||
				!strings.HasPrefix(v.StatusURL, "http://localhost:8080/badge-status/") {
				t.Fatalf("demo badge: %+v", v)
			}
			kinds[r.domain != ""]++
		}
		if len(rows) != d.Badges || kinds[true] == 0 || kinds[false] == 0 {
			t.Errorf("%d badges stored of %d issued: %d for completions, %d for domains", len(rows), d.Badges, kinds[false], kinds[true])
		}
	})
}
