package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/mail"
	"upskill/password"
	"upskill/store"
	"upskill/store/storetest"
	"upskill/web"
)

// How the catalogue is loaded: 10,000 published items, a fifth of them the
// national team's and the rest eight organisations' own, some of those
// shared with everyone and some with other organisations by name; 100
// learners of those organisations search it at once.
const (
	catalogueItems    = 10_000
	catalogueOrgs     = 8
	catalogueLearners = 100
	catalogueDuration = 10 * time.Second // for each of the two flat out, in five turns; twice that paced
	// searchPace is how often each learner searches in the paced run: 100
	// learners each searching every five seconds is 20 searches a second,
	// more than 100 people reading the pages of results ask for.
	searchPace = 5 * time.Second
)

// BenchmarkCatalogueSearch measures catalogue searches through HTTP by 100
// signed-in learners of eight organisations, mixing broad, topical and rare
// words, filters and pages, beside a bare net/http handler that runs one
// full-text query with the same visibility rule, order and LIMIT against
// the same database and writes a small page. As in BenchmarkSaveAnswer it
// runs twice: with each learner searching every searchPace, which shows how
// long a search takes under a steady load, then with each searching again
// as soon as answered, which shows the most each can take and whose
// latency is mostly queueing.
func BenchmarkCatalogueSearch(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkCatalogueSearch(b, engine) })
	}
}

// BenchmarkRecommendations measures ranking learning for one learner whose
// assessment showed gaps in 15 of the framework's 32 statements, over the
// same 10,000 items: "upskill" is what the recommendations page does
// (web.Server.Recommendations: the assessment, the store's candidates and
// upskill.Recommend), "page" the whole page served in process, and "bare"
// one plain query that selects the same candidate rows.
func BenchmarkRecommendations(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(string(engine), func(b *testing.B) { benchmarkRecommendations(b, engine) })
	}
}

// TestCatalogueLoad checks that the catalogue's fast loader leaves exactly
// the rows that creating, publishing and sharing each item through the
// store does, so that the benchmarks measure the database the service
// would have.
func TestCatalogueLoad(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			viaStore := newCatalogueBase(t, storetest.Open(t, engine))
			for _, it := range viaStore.generate(60, 7) {
				visibility := it.visibility
				if visibility == upskill.VisibleNamed {
					visibility = upskill.VisibleOwner
				}
				id, err := viaStore.st.CreateContent(ctx, it.author, it.owner, visibility, it.v)
				if err != nil {
					t.Fatal(err)
				}
				if err := viaStore.st.PublishContent(ctx, it.author, it.owner.ID, id); err != nil {
					t.Fatal(err)
				}
				if len(it.shares) > 0 {
					if err := viaStore.st.ShareContent(ctx, it.author, it.owner.ID, id, upskill.VisibleNamed, it.shares); err != nil {
						t.Fatal(err)
					}
				}
			}
			loaded := newCatalogueBase(t, storetest.Open(t, engine))
			if err := loaded.load(ctx, loaded.generate(60, 7)); err != nil {
				t.Fatal(err)
			}
			tables := map[string]string{
				"content_items":    `SELECT * FROM content_items ORDER BY id`,
				"content_versions": `SELECT * FROM content_versions ORDER BY id`,
				"content_bodies":   `SELECT * FROM content_bodies ORDER BY version_id`,
				"content_mappings": `SELECT * FROM content_mappings ORDER BY version_id, framework_id, capability_code`,
				"content_shares":   `SELECT * FROM content_shares ORDER BY item_id, organisation_id`,
				"audit_events":     `SELECT * FROM audit_events ORDER BY id`,
			}
			if engine == store.SQLite {
				tables["content_search"] = `SELECT rowid, title, summary, body FROM content_search ORDER BY rowid`
			}
			for table, q := range tables {
				want, got := dumpRows(t, viaStore.st, q), dumpRows(t, loaded.st, q)
				if len(want) == 0 {
					t.Errorf("%s: no rows", table)
				}
				if len(got) != len(want) {
					t.Errorf("%s: %d rows loaded, the store wrote %d", table, len(got), len(want))
					continue
				}
				for i := range want {
					for k := range want[i] {
						if got[i][k] != want[i][k] {
							t.Errorf("%s, row %d: loaded %q, the store wrote %q", table, i+1, got[i][k], want[i][k])
						}
					}
				}
			}
		})
	}
}

// dumpRows reads every row of a query as text, with the moments at which
// things were done left out: they are the only columns that differ
// between two runs.
func dumpRows(t *testing.T, st *store.Store, q string) [][]string {
	t.Helper()
	rows, err := readPool(st).Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				row[i] = "NULL"
			case []byte:
				row[i] = string(v)
			case time.Time:
				row[i] = v.UTC().Format(time.RFC3339Nano)
			default:
				row[i] = fmt.Sprint(v)
			}
			switch cols[i] {
			case "created_at", "published_at", "at":
				row[i] = cols[i]
			}
			row[i] = cols[i] + "=" + row[i]
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// catalogueWorld is the nation, eight organisations with an author each,
// the default framework, the catalogue, and learners signed in.
type catalogueWorld struct {
	st       *store.Store
	fw       *upskill.Framework
	fv       *upskill.FrameworkVersion
	nation   *upskill.Organisation
	rootID   int64 // the national team's author
	orgs     []*upskill.Organisation
	authors  []int64 // of each organisation
	items    []catalogueItem
	learners []catalogueLearner
	app      *httptest.Server
	srv      *web.Server
}

type catalogueLearner struct {
	person, org int64
	session     string
}

// catalogueItem is one item as its authors made it.
type catalogueItem struct {
	id         int64 // once stored
	owner      upskill.OrgRef
	author     int64
	visibility upskill.Visibility
	shares     []int64 // whom it is shared with by name
	v          *upskill.ContentVersion
}

// newCatalogueBase makes the organisations and their authors and loads
// the default framework as the server does when it starts.
func newCatalogueBase(tb testing.TB, st *store.Store) *catalogueWorld {
	tb.Helper()
	ctx := context.Background()
	w := &catalogueWorld{st: st}
	def, err := framework.Default()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.EnsureFramework(ctx, def.Framework, &def.Version); err != nil {
		tb.Fatal(err)
	}
	if w.fw, w.fv, err = st.PublishedVersion(ctx, framework.DefaultKey); err != nil {
		tb.Fatal(err)
	}
	root, err := st.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "root@example.org", Name: "Root", PasswordHash: "x"})
	if err != nil {
		tb.Fatal(err)
	}
	w.rootID = root.ID
	if w.nation, err = st.Nation(ctx); err != nil {
		tb.Fatal(err)
	}
	region, err := st.CreateChild(ctx, root.ID, w.nation, upskill.OrganisationInput{Name: "North West"})
	if err != nil {
		tb.Fatal(err)
	}
	types := []upskill.OrgType{upskill.OrgNHSTrust, upskill.OrgCareHome, upskill.OrgGPPractice, upskill.OrgHomeCare}
	for i := 0; i < catalogueOrgs; i++ {
		org, err := st.CreateChild(ctx, root.ID, region, upskill.OrganisationInput{Name: orgNames[i], Type: types[i%len(types)]})
		if err != nil {
			tb.Fatal(err)
		}
		added, err := st.AddMember(ctx, 0, org, store.MemberInput{Email: fmt.Sprintf("author%d@example.org", i), Name: "Author " + strconv.Itoa(i+1),
			Roles: upskill.RoleSet(upskill.RoleLearner).With(upskill.RoleContentAuthor)})
		if err != nil {
			tb.Fatal(err)
		}
		w.orgs = append(w.orgs, org)
		w.authors = append(w.authors, added.Person.ID)
	}
	return w
}

var orgNames = []string{
	"Alder Hospitals NHS Trust", "Birch Court Care Home", "Cedar Lane Surgery", "Damson Home Care",
	"Elm Valley NHS Foundation Trust", "Fir Tree Nursing Home", "Gorse Road Medical Centre", "Hazel Community Care",
}

// newCatalogueWorld is a world with the whole catalogue, learners with
// sessions, one of them (the first) with a submitted assessment with gaps
// and some learning done by them and their colleagues, and the server.
func newCatalogueWorld(b *testing.B, engine store.Engine) *catalogueWorld {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	w := newCatalogueBase(b, storetest.Open(b, engine, store.Options{MaxConns: 16}))
	w.items = w.generate(catalogueItems, 1)
	if err := w.load(ctx, w.items); err != nil {
		b.Fatal(err)
	}
	loaded := time.Since(start)
	for i := 0; i < catalogueLearners; i++ {
		org := w.orgs[i%len(w.orgs)]
		added, err := w.st.AddMember(ctx, 0, org, store.MemberInput{Email: fmt.Sprintf("learner%03d@example.org", i), Name: fmt.Sprintf("Learner %03d", i),
			Roles: upskill.RoleSet(upskill.RoleLearner),
			StaffAttributes: upskill.StaffAttributes{StaffGroup: upskill.StaffGroups[i%len(upskill.StaffGroups)],
				JobRole: "Healthcare assistant", PayBand: "afc_3"}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.st.AcceptInvitation(ctx, added.Invitation, added.Person.Name, "not a real hash"); err != nil {
			b.Fatal(err)
		}
		w.learners = append(w.learners, catalogueLearner{person: added.Person.ID, org: org.ID})
	}
	w.assess(b)
	if w.st.Engine() == store.Postgres {
		// The catalogue was loaded at once; a database that grew to it
		// would have been vacuumed by now, which also moves the full-text
		// index's pending entries into the index proper.
		if _, err := writePool(w.st).ExecContext(ctx, `VACUUM content_versions`); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	for i := range w.learners {
		s, err := w.st.CreateSession(ctx, w.learners[i].person)
		if err != nil {
			b.Fatal(err)
		}
		w.learners[i].session = s
	}
	srv, err := web.New(ctx, web.Config{PublicURL: &url.URL{Scheme: "http", Host: "localhost"}}, web.Deps{
		Store: w.st, Mail: &mail.Recorder{}, Hasher: password.New(password.Default), Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	w.srv = srv
	w.app = httptest.NewServer(srv)
	b.Cleanup(w.app.Close)
	fmt.Printf("catalogue, %s: %d items loaded in %s, world ready in %s\n", engine, len(w.items),
		loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return w
}

// assess gives the first learner a submitted assessment of the default
// framework with gaps in 15 of its 32 statements, one piece of learning for
// a gap started and another completed since; and has 39 other learners,
// four of them their colleagues, complete learning for those gaps.
func (w *catalogueWorld) assess(b *testing.B) {
	b.Helper()
	ctx := context.Background()
	me := w.learners[0]
	a, _, err := w.st.StartAttempt(ctx, me.person, me.org, framework.DefaultKey)
	if err != nil {
		b.Fatal(err)
	}
	gaps := map[string]bool{}
	for i, c := range w.fv.Capabilities() {
		ans := upskill.Answer{CapabilityID: c.ID, Now: 7, Needed: 6}
		switch {
		case i%3 == 0:
			ans.Now, ans.Needed = 3, 8
			gaps[c.Code] = true
		case i%7 == 1:
			ans.Now, ans.Needed = 5, 7
			gaps[c.Code] = true
		}
		if err := w.st.SaveAnswer(ctx, me.person, a.ID, ans); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.st.SubmitAttempt(ctx, me.person, a.ID); err != nil {
		b.Fatal(err)
	}
	// National links mapped to a gap, which everyone may find and finish
	// at their word.
	var links []int64
	for _, it := range w.items {
		if it.owner.ID == w.nation.ID && it.v.Format == upskill.FormatLink && gaps[it.v.Mappings[0].CapabilityCode] {
			links = append(links, it.id)
		}
	}
	complete := func(l catalogueLearner, item int64) {
		e, err := w.st.Enrol(ctx, l.person, []int64{l.org}, l.org, item)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.st.CompleteLearning(ctx, l.person, e.ID); err != nil {
			b.Fatal(err)
		}
	}
	for i, l := range w.learners[1:40] {
		for k := 0; k < 3; k++ {
			complete(l, links[(i+k)%6])
		}
	}
	complete(me, links[6])
	if _, err := w.st.Enrol(ctx, me.person, []int64{me.org}, me.org, links[7]); err != nil {
		b.Fatal(err)
	}
}

// The words learning is written from: for each domain of the default
// framework, what its learning is about and sentences its pages use.
var catalogueTopics = []struct {
	domain string
	names  []string
	lines  []string
}{
	{"1", []string{"passwords and passphrases", "smartcards and PINs", "phishing emails", "scam phone calls", "confidentiality",
		"sharing information safely", "screen time and wellbeing", "social media at work", "working on home visits",
		"lone working with devices", "cyber security basics", "reporting a data breach"}, []string{
		"Never share your password or smartcard with a colleague, even when the ward is busy.",
		"A phishing email often asks you to act quickly or to confirm your login details.",
		"Report suspicious messages to your IT service desk and then delete them.",
		"Lock your screen whenever you step away from a shared computer.",
		"Only share personal information when there is a clear reason and a lawful basis.",
		"Take regular breaks from screens and turn off notifications outside your working hours.",
		"Think before you post: a photo taken at work can identify a patient or a resident.",
		"Keep your laptop out of sight in the car and never leave it unattended on a home visit.",
		"Use two-factor authentication wherever your organisation offers it.",
		"Scam callers may pretend to be from the IT department or from a bank.",
		"Confidentiality applies to conversations, paper notes and digital records alike.",
		"Cyber security is everyone's responsibility in health and social care.",
	}},
	{"2", []string{"professional emails", "video calls", "Microsoft Teams", "shared documents", "team channels and calendars",
		"the NHS App", "accessible messages", "easy read information", "online communities of practice", "writing for patients",
		"virtual ward rounds", "remote consultations"}, []string{
		"Write a clear subject line so that colleagues know what your email is about.",
		"Test your camera and microphone before a video call with a patient.",
		"Keep shared documents in your team's channel so that everyone works on the latest version.",
		"The NHS App lets people order repeat prescriptions and see their health record.",
		"Use plain English, short sentences and descriptive links to make messages accessible.",
		"Easy read information combines simple words with pictures.",
		"Online networks help staff across health and care share good practice.",
		"Agree in your team which tool to use for urgent messages and which for routine ones.",
		"A remote consultation needs the same care about privacy as a face-to-face one.",
		"Check that a patient can hear and see you clearly at the start of a video consultation.",
	}},
	{"3", []string{"online learning", "mandatory training", "your learning record", "reflective practice", "coaching a colleague",
		"being a digital champion", "self-assessment", "planning your development", "webinars and podcasts",
		"choosing trustworthy courses"}, []string{
		"Mandatory training can usually be completed online at a time that suits your shifts.",
		"Keep a digital record of what you learn and how it changed your practice.",
		"Reflection helps you turn experience into learning you can show at appraisal.",
		"When you coach a colleague, let them use the mouse and keyboard themselves.",
		"Digital champions support their teams to try new tools with confidence.",
		"Check who wrote a course and when it was last updated before you rely on it.",
		"Self-assessment shows the gaps in your skills and what to learn next.",
		"Short webinars and podcasts fit learning into a busy working week.",
		"Set yourself one learning goal at a time and review it with your supervisor.",
	}},
	{"4", []string{"tablets and smartphones", "laptops and docking stations", "printing and scanning", "Wi-Fi and connectivity",
		"the IT service desk", "electronic patient records", "care record systems", "accessibility settings", "dictation software",
		"software updates", "troubleshooting common problems", "electronic prescribing"}, []string{
		"Restart the device before you call the IT service desk; it fixes many problems.",
		"Describe the problem clearly: what you did, what happened and any error message.",
		"The electronic patient record shows a patient's medicines, allergies and recent observations.",
		"Increase the text size or switch on high contrast to make a screen easier to read.",
		"Dictation software turns speech into text and can save time when writing notes.",
		"Install updates when you are asked; they close security holes.",
		"Keep tablets charged and in their cases at the end of every shift.",
		"Electronic prescribing reduces errors caused by unclear handwriting.",
		"If the Wi-Fi drops, save your work and move closer to an access point.",
	}},
	{"5", []string{"record keeping", "clinical notes", "care plans", "searching online", "reliable sources of information",
		"dashboards and charts", "spreadsheets", "data protection", "GDPR in practice", "data quality", "clinical audit",
		"information governance"}, []string{
		"Record care as soon as you can, while the details are fresh.",
		"Accurate records help the next person caring for a patient make safe decisions.",
		"Check the date and the author of health information you find online.",
		"A dashboard brings together figures such as waiting times, falls or infections.",
		"Read the axis labels before you draw conclusions from a chart.",
		"Spreadsheets can sort and filter data but are easy to get wrong without checks.",
		"Data protection law says you should keep only the personal data you need.",
		"Poor data quality leads to missed appointments and duplicated tests.",
		"Information governance sets the rules for how your organisation handles data.",
		"Correct an error in a record by adding an entry, not by deleting the original.",
	}},
	{"6", []string{"digital innovation", "online forms", "posters and leaflets", "quality improvement", "piloting new technology",
		"artificial intelligence", "chatbots", "using evidence", "research and evaluation", "remote monitoring", "virtual wards"}, []string{
		"Small changes suggested by frontline staff often make the biggest difference.",
		"An online form can replace paper and save time for patients and staff.",
		"Design a poster with one clear message and large, readable text.",
		"Artificial intelligence can draft text or summarise notes, but it can make mistakes.",
		"Never put personal information into a public AI tool.",
		"Give honest feedback when your team pilots a new system.",
		"Look for evidence that a digital tool improves care before it is rolled out widely.",
		"Remote monitoring lets patients send readings such as blood pressure from home.",
		"Quality improvement uses small tests of change and measures the result.",
	}},
}

var (
	titleOpenings = []string{"An introduction to", "Getting started with", "Using", "Staying safe with", "A practical guide to",
		"Five minutes on", "Understanding", "Good practice in", "Working with", "Quick tips on", "Going further with",
		"What to know about"}
	titleAudiences = []string{"ward nurses", "care home staff", "home carers", "healthcare assistants", "GP practice teams",
		"allied health professionals", "paramedics", "pharmacy teams", "new managers", "students", "volunteers",
		"mental health teams", "community nurses", "support workers"}
	summaryOpenings = []string{"A short course on", "Practical guidance on", "What every member of staff should know about",
		"Learn the basics of", "Build your confidence with", "Tips and examples about"}
	generalLines = []string{
		"This learning is for anyone working in health and social care.",
		"Patients and people who use care services trust us with their information.",
		"Talk to your manager if you are not sure what your organisation expects.",
		"Digital skills help you give safer, kinder care.",
		"Think about how this applies to your own team and setting.",
		"Many care teams find this hardest when they are under pressure.",
	}
	// Words of the settings learning mentions now and then: each is in a
	// few dozen items, for searches that find few.
	rareWords = []string{"sepsis", "podiatry", "phlebotomy", "dementia", "midwifery", "radiology", "dermatology",
		"physiotherapy", "audiology", "haematology", "paediatrics", "ophthalmology", "orthotics", "endoscopy", "oncology",
		"palliative", "stroke", "diabetes", "asthma", "frailty", "cardiology", "neonatal", "urology", "dietetics",
		"orthopaedics", "renal", "dialysis", "hospice", "ambulance", "pharmacy", "dentistry", "optometry", "chaplaincy",
		"safeguarding", "continence", "wound", "immunisation", "vaccination", "maternity", "theatres", "anaesthetics",
		"rheumatology", "neurology", "gastroenterology", "hepatology", "respiratory", "psychiatry", "psychology"}
	rareLines = []string{"In %s services, staff use this every day.", "A %s team shared how they put this into practice.",
		"Colleagues in %s found this saved time on every shift."}
	pageTitles = []string{"Why it matters", "What to do", "In practice", "Common mistakes", "A case study", "Further reading"}
)

// generate writes n items as their authors would, the same for the same
// seed: a fifth national, the rest spread over the organisations.
func (w *catalogueWorld) generate(n int, seed uint64) []catalogueItem {
	rng := rand.New(rand.NewPCG(seed, 2026))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	reviewFrom := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	items := make([]catalogueItem, 0, n)
	for i := 0; i < n; i++ {
		it := catalogueItem{owner: w.nation.Ref(), author: w.rootID, visibility: upskill.VisibleEveryone}
		if i%5 != 0 {
			o := rng.IntN(len(w.orgs))
			it.owner, it.author = w.orgs[o].Ref(), w.authors[o]
			switch r := rng.Float64(); {
			case r < 0.70:
				it.visibility = upskill.VisibleOwner
			case r < 0.85:
				it.visibility = upskill.VisibleNamed
				for _, other := range rng.Perm(len(w.orgs))[:1+rng.IntN(3)] {
					if other != o {
						it.shares = append(it.shares, w.orgs[other].ID)
					}
				}
				if len(it.shares) == 0 {
					it.shares = []int64{w.orgs[(o+1)%len(w.orgs)].ID}
				}
				slices.Sort(it.shares)
			}
		}

		d := rng.IntN(len(catalogueTopics))
		topic := catalogueTopics[d]
		name := pick(topic.names)
		v := &upskill.ContentVersion{Title: pick(titleOpenings) + " " + name, Format: upskill.FormatLesson, BadgeBearing: rng.IntN(5) == 0}
		if rng.IntN(2) == 0 {
			v.Title += " for " + pick(titleAudiences)
		}
		v.Summary = pick(summaryOpenings) + " " + name + ". " + pick(topic.lines)
		if rng.IntN(10) < 3 {
			v.Format = upskill.FormatLink
			v.LinkURL = "https://learning.example.org/courses/" + strconv.Itoa(100000+i)
			v.Minutes = []int{10, 15, 30, 60, 90, 120, 180}[rng.IntN(7)]
		} else {
			v.Minutes = []int{5, 10, 15, 20, 30, 45, 60}[rng.IntN(7)]
			for p := range 1 + rng.IntN(4) {
				var body strings.Builder
				body.WriteString("This page is about " + name + ".")
				for k := range 3 + rng.IntN(4) {
					if k%2 == 0 {
						body.WriteString("\n\n")
					} else {
						body.WriteString(" ")
					}
					switch r := rng.IntN(20); {
					case r < 13:
						body.WriteString(pick(topic.lines))
					case r < 17:
						body.WriteString(pick(generalLines))
					default:
						body.WriteString(fmt.Sprintf(pick(rareLines), pick(rareWords)))
					}
				}
				v.Pages = append(v.Pages, upskill.LessonPage{Title: pageTitles[(p+d)%len(pageTitles)], Body: body.String()})
			}
			if rng.IntN(2) == 0 {
				q := upskill.LessonQuestion{Prompt: "Which of these is good practice for " + name + "?", Options: []upskill.LessonOption{
					{Text: "Follow your organisation's policy", Correct: true}, {Text: "Ask a colleague to do it for you"},
					{Text: "Leave it until you have more time"}}}
				if rng.IntN(4) == 0 {
					q.Multiple = true
					q.Options = append(q.Options, upskill.LessonOption{Text: "Ask for help if you are unsure", Correct: true})
				}
				v.Pages[len(v.Pages)-1].Questions = []upskill.LessonQuestion{q}
				if rng.IntN(5) < 2 {
					v.PassMark = 80
				}
			}
		}
		switch r := rng.IntN(100); {
		case r < 25:
			for _, g := range rng.Perm(len(upskill.StaffGroups))[:1+rng.IntN(2)] {
				v.Audience.StaffGroups = append(v.Audience.StaffGroups, upskill.StaffGroups[g])
			}
		case r < 33:
			v.Audience.JobRoles = []string{"Healthcare assistant", "Care worker"}
		}
		if rng.IntN(10) < 3 {
			v.ReviewBy = reviewFrom.AddDate(0, rng.IntN(24), rng.IntN(28))
		}

		// One statement of the topic's domain, often another, and now and
		// then one of another domain.
		caps := w.fv.Domains[d].Capabilities
		first := rng.IntN(len(caps))
		v.Mappings = append(v.Mappings, upskill.ContentMapping{FrameworkID: w.fw.ID, DomainCode: topic.domain,
			CapabilityCode: caps[first].Code, Level: 1 + rng.IntN(len(w.fv.Levels))})
		if rng.IntN(2) == 0 {
			c := caps[(first+1+rng.IntN(len(caps)-1))%len(caps)]
			v.Mappings = append(v.Mappings, upskill.ContentMapping{FrameworkID: w.fw.ID, DomainCode: topic.domain,
				CapabilityCode: c.Code, Level: 1 + rng.IntN(len(w.fv.Levels))})
		}
		if rng.IntN(5) == 0 {
			od := w.fv.Domains[(d+1+rng.IntN(len(w.fv.Domains)-1))%len(w.fv.Domains)]
			c := od.Capabilities[rng.IntN(len(od.Capabilities))]
			v.Mappings = append(v.Mappings, upskill.ContentMapping{FrameworkID: w.fw.ID, DomainCode: od.Code,
				CapabilityCode: c.Code, Level: 1 + rng.IntN(len(w.fv.Levels))})
		}
		it.v = v
		items = append(items, it)
	}
	return items
}

// load stores the items published, as CreateContent, PublishContent and
// (for learning shared by name) ShareContent leave them, in one
// transaction with plain SQL: the rows of the item, its version, pages and
// mappings, its sharing, the catalogue's index on SQLite (its words on
// PostgreSQL), and the audit events.
func (w *catalogueWorld) load(ctx context.Context, items []catalogueItem) error {
	for _, it := range items {
		if err := it.v.ReadyToPublish(); err != nil {
			return fmt.Errorf("%q: %w", it.v.Title, err)
		}
	}
	tx, err := writePool(w.st).BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stmtErr error
	prep := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, sqlFor(w.st, q))
		if err != nil && stmtErr == nil {
			stmtErr = err
		}
		return st
	}
	insItem := prep(`INSERT INTO content_items (owner_id, visibility, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`)
	insVersion := prep(`INSERT INTO content_versions (item_id, number, status, title, summary, format, minutes, audience, review_by,
		badge_bearing, pass_mark, link_url, created_by, created_at, published_by, published_at)
		VALUES (?, 1, 'published', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	insBody := prep(`INSERT INTO content_bodies (version_id, pages, search_text) VALUES (?, ?, ?)`)
	insMapping := prep(`INSERT INTO content_mappings (version_id, framework_id, domain_code, capability_code, level) VALUES (?, ?, ?, ?, ?)`)
	insShare := prep(`INSERT INTO content_shares (item_id, organisation_id) VALUES (?, ?)`)
	insAudit := prep(`INSERT INTO audit_events (at, actor_id, organisation_id, action, subject_type, subject_id, detail)
		VALUES (?, ?, ?, ?, 'content_item', ?, ?)`)
	var insSearch *sql.Stmt
	if w.st.Engine() == store.SQLite {
		insSearch = prep(`INSERT INTO content_search (rowid, title, summary, body) VALUES (?, ?, ?, ?)`)
	}
	if stmtErr != nil {
		return stmtErr
	}
	nullID := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	// Items were written over the week before now, a minute apart.
	at := time.Now().UTC().Truncate(time.Microsecond).Add(-time.Duration(len(items)) * time.Minute)
	for i := range items {
		it := &items[i]
		v := it.v
		created := at.Add(time.Duration(i) * time.Minute)
		published := created.Add(20 * time.Second)
		if err := insItem.QueryRowContext(ctx, it.owner.ID, it.visibility, nullID(it.author), created).Scan(&it.id); err != nil {
			return err
		}
		audience, _ := json.Marshal(v.Audience)
		pages := []byte("[]")
		if v.Pages != nil {
			pages, _ = json.Marshal(v.Pages)
		}
		var reviewBy any
		if !v.ReviewBy.IsZero() {
			reviewBy = v.ReviewBy.UTC().Truncate(time.Microsecond)
		}
		text := indexedText(v)
		if err := insVersion.QueryRowContext(ctx, it.id, v.Title, v.Summary, v.Format, v.Minutes, string(audience), reviewBy,
			v.BadgeBearing, v.PassMark, v.LinkURL, nullID(it.author), created, nullID(it.author), published).Scan(&v.ID); err != nil {
			return err
		}
		if _, err := insBody.ExecContext(ctx, v.ID, string(pages), text); err != nil {
			return err
		}
		v.ItemID, v.Number, v.Status, v.CreatedAt, v.PublishedAt = it.id, 1, upskill.ContentPublished, created, published
		for _, m := range v.Mappings {
			if _, err := insMapping.ExecContext(ctx, v.ID, m.FrameworkID, m.DomainCode, m.CapabilityCode, m.Level); err != nil {
				return err
			}
		}
		if insSearch != nil {
			if _, err := insSearch.ExecContext(ctx, v.ID, v.Title, v.Summary, text); err != nil {
				return err
			}
		}
		if _, err := insAudit.ExecContext(ctx, created, nullID(it.author), it.owner.ID, "create_content", it.id, v.Title); err != nil {
			return err
		}
		if _, err := insAudit.ExecContext(ctx, published, nullID(it.author), it.owner.ID, "publish_content", it.id, v.Title); err != nil {
			return err
		}
		if len(it.shares) > 0 {
			for _, org := range it.shares {
				if _, err := insShare.ExecContext(ctx, it.id, org); err != nil {
					return err
				}
			}
			if _, err := insAudit.ExecContext(ctx, published.Add(10*time.Second), nullID(it.author), it.owner.ID, "share_content", it.id,
				string(upskill.VisibleNamed)); err != nil {
				return err
			}
		}
	}
	// PostgreSQL's search matches each version's words, which the store
	// keeps from its title, summary and pages.
	if w.st.Engine() == store.Postgres {
		if _, err := tx.ExecContext(ctx, `UPDATE content_versions v SET words = strip(to_tsvector('english',
			v.title || E'\n' || v.summary || E'\n' || b.search_text)) FROM content_bodies b WHERE b.version_id = v.id`); err != nil {
			return err
		}
	}
	// Publishing raises the catalogue's generation, so that instances read
	// the published learning again.
	if _, err := tx.ExecContext(ctx, `UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1`); err != nil {
		return err
	}
	return tx.Commit()
}

// indexedText is what the store indexes of a version besides its title
// and summary: each page's title and body and its questions, a line each.
func indexedText(v *upskill.ContentVersion) string {
	var b strings.Builder
	for _, p := range v.Pages {
		b.WriteString(p.Title + "\n" + p.Body + "\n")
		for _, q := range p.Questions {
			b.WriteString(q.Prompt + "\n")
		}
	}
	return b.String()
}

// writePool and readPool are the store's pools, for the plain SQL of the
// loader and the bare programs: on PostgreSQL they are one.
func writePool(st *store.Store) *sql.DB {
	dbs := st.DBs()
	if db, ok := dbs["write"]; ok {
		return db
	}
	return dbs["main"]
}

func readPool(st *store.Store) *sql.DB {
	dbs := st.DBs()
	if db, ok := dbs["read"]; ok {
		return db
	}
	return dbs["main"]
}

// sqlFor turns ? placeholders into PostgreSQL's $1, $2 ... when needed.
func sqlFor(st *store.Store, q string) string {
	if st.Engine() != store.Postgres {
		return q
	}
	var sb strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			sb.WriteString("$" + strconv.Itoa(n))
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// catalogueSearches are what learners type: words most of the catalogue
// matches, topic words, rare words a few dozen items match, two words, the
// start of a word, and a word nothing matches.
var catalogueSearches = []string{
	"care", "digital", "patient", "safe",
	"password", "phishing", "video", "spreadsheet", "dashboard", "records", "accessibility", "updates",
	"sepsis", "podiatry", "haematology",
	"video calls", "data protection", "care records",
	"secur", "confid",
	"zeppelin",
}

// searchURLs are the catalogue addresses the learners ask for: each
// search on its first page, its second page, and filtered by a domain, a
// format and a length.
func searchURLs() []string {
	var out []string
	for i, q := range catalogueSearches {
		out = append(out,
			"/learning?"+url.Values{"q": {q}, "page": {"1"}}.Encode(),
			"/learning?"+url.Values{"q": {q}, "page": {"2"}}.Encode(),
			"/learning?"+url.Values{"q": {q}, "domain": {strconv.Itoa(1 + i%6)}, "page": {"1"}}.Encode(),
			"/learning?"+url.Values{"q": {q}, "format": {[]string{"lesson", "link"}[i%2]}, "page": {"1"}}.Encode(),
			"/learning?"+url.Values{"q": {q}, "minutes": {[]string{"15", "30", "60"}[i%3]}, "page": {"1"}}.Encode())
	}
	return out
}

// searcher is a worker whose clients each work through the searches from
// a place of their own, carrying on from turn to turn. With pace 0 each
// searches again as soon as answered; otherwise each searches every pace,
// from a moment of its own in the first, and latency counts from when a
// search was due, so that a slow answer delaying the next is not hidden.
func (w *catalogueWorld) searcher(base string, pace time.Duration) Worker {
	urls := searchURLs()
	// Each client's place in urls: only the client's own goroutine, one
	// turn at a time, uses it.
	next := make([]int, catalogueLearners)
	return func(ctx context.Context, i int, deadline time.Time) samples {
		var out samples
		l := w.learners[i%len(w.learners)]
		c, err := dialRaw(base, http.Header{"Cookie": {"upskill_session=" + l.session}})
		if err != nil {
			out.fail("dial: %v", err)
			return out
		}
		defer c.close()
		due := time.Now()
		if pace > 0 {
			due = due.Add(time.Duration(rand.New(rand.NewPCG(uint64(i), uint64(next[i]))).Int64N(int64(pace))))
		}
		for due.Before(deadline) && ctx.Err() == nil {
			if pace > 0 {
				time.Sleep(time.Until(due))
			} else {
				due = time.Now()
			}
			uri := urls[(37*i+next[i])%len(urls)]
			next[i]++
			c.req = fmt.Appendf(c.req[:0], "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: upskill-bench\r\nAccept: text/html\r\n%s\r\n", uri, c.host, c.headers)
			status, size, err := c.get()
			if err != nil {
				out.fail("search %s: %v", uri, err)
				return out
			}
			out.lat = append(out.lat, time.Since(due))
			if status != 200 || size < 100 {
				out.fail("search %s: status %d, %d bytes", uri, status, size)
			}
			due = due.Add(pace)
		}
		return out
	}
}

// bareSearch is a plain net/http handler that answers the same addresses
// with one full-text query of the same visibility rule, filters, order,
// count and LIMIT as the catalogue's, and a small page of the results. It knows each
// learner's organisation from their cookie without asking the database.
func (w *catalogueWorld) bareSearch() http.Handler {
	orgOf := map[string]int64{}
	for _, l := range w.learners {
		orgOf[l.session] = l.org
	}
	db := readPool(w.st)
	pg := w.st.Engine() == store.Postgres
	var mu sync.Mutex
	stmts := map[string]*sql.Stmt{}
	prepared := func(ctx context.Context, q string) (*sql.Stmt, error) {
		mu.Lock()
		defer mu.Unlock()
		if st, ok := stmts[q]; ok {
			return st, nil
		}
		st, err := db.PrepareContext(ctx, sqlFor(w.st, q))
		if err == nil {
			stmts[q] = st
		}
		return st, err
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		cookie, err := r.Cookie("upskill_session")
		if err != nil {
			http.Error(rw, "no session", http.StatusUnauthorized)
			return
		}
		org := orgOf[cookie.Value]
		f := r.URL.Query()
		var terms []string
		for _, word := range strings.Fields(strings.ToLower(f.Get("q"))) {
			if pg {
				terms = append(terms, word+":*")
			} else {
				terms = append(terms, `"`+word+`"*`)
			}
		}
		match := strings.Join(terms, " ")
		// The same shape as the catalogue's: the rank taken as rows leave
		// the index, and the count carried on each row of the page.
		q := `SELECT v.item_id, v.title, v.summary, v.minutes, o.name, f.score AS score, count(*) OVER () AS total
			FROM (SELECT rowid, bm25(content_search, 10.0, 4.0, 1.0) AS score FROM content_search WHERE content_search MATCH ?) f
			JOIN content_versions v ON v.id = f.rowid JOIN content_items i ON i.id = v.item_id JOIN organisations o ON o.id = i.owner_id
			WHERE v.status = 'published'`
		order := `score, item_id`
		var args []any
		if pg {
			match = strings.Join(terms, " & ")
			q = `SELECT v.item_id, v.title, v.summary, v.minutes, o.name, ts_rank(v.head, to_tsquery('english', ?)) AS score,
				count(*) OVER () AS total FROM content_versions v
				JOIN content_items i ON i.id = v.item_id JOIN organisations o ON o.id = i.owner_id
				WHERE v.words @@ to_tsquery('english', ?) AND v.status = 'published'`
			order = `score DESC, item_id`
			args = append(args, match)
		}
		q += ` AND (i.visibility = 'everyone' OR i.owner_id = ? OR (i.visibility = 'named'
			AND EXISTS (SELECT 1 FROM content_shares sh WHERE sh.item_id = i.id AND sh.organisation_id = ?)))`
		args = append(args, match, org, org)
		if format := f.Get("format"); format != "" {
			q += ` AND v.format = ?`
			args = append(args, format)
		}
		if minutes, _ := strconv.Atoi(f.Get("minutes")); minutes > 0 {
			q += ` AND v.minutes <= ?`
			args = append(args, minutes)
		}
		if domain := f.Get("domain"); domain != "" {
			q += ` AND EXISTS (SELECT 1 FROM content_mappings m WHERE m.version_id = v.id AND m.framework_id = ? AND m.domain_code = ?)`
			args = append(args, w.fw.ID, domain)
		}
		page, _ := strconv.Atoi(f.Get("page"))
		args = append(args, (max(page, 1)-1)*20)
		q = `SELECT item_id, title, summary, minutes, name, total FROM (` + q + `) r`
		st, err := prepared(r.Context(), q+` ORDER BY `+order+` LIMIT 20 OFFSET ?`)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		rows, err := st.QueryContext(r.Context(), args...)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		var buf bytes.Buffer
		buf.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Find learning</title></head><body><main><h1>Find learning</h1><ol>`)
		total := 0
		for rows.Next() {
			var id int64
			var title, summary, owner string
			var minutes int
			if err := rows.Scan(&id, &title, &summary, &minutes, &owner, &total); err != nil {
				http.Error(rw, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(&buf, `<li><h2><a href="/learning/%d">%s</a></h2><p>%s</p><p>%d minutes, by %s</p></li>`,
				id, html.EscapeString(title), html.EscapeString(summary), minutes, html.EscapeString(owner))
		}
		if err := rows.Err(); err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(&buf, `</ol><p>%d found</p></main></body></html>`, total)
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		rw.Write(buf.Bytes())
	})
}

func benchmarkCatalogueSearch(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	w := newCatalogueWorld(b, engine)
	bare := httptest.NewServer(w.bareSearch())
	defer bare.Close()
	b.ResetTimer()
	for _, pace := range []time.Duration{searchPace, 0} {
		// Paced, each turn is as long as the pace, so that every learner
		// searches about once a turn.
		d, rounds := 2*duration(catalogueDuration), 4
		load, name := fmt.Sprintf("%d learners each searching every %s", catalogueLearners, pace), "paced"
		if pace == 0 {
			d, rounds = duration(catalogueDuration), 5
			load, name = fmt.Sprintf("%d learners each searching again at once", catalogueLearners), "flat-out"
		}
		appRes, bareRes := Alternate(ctx, w.searcher(w.app.URL, pace), w.searcher(bare.URL, pace), catalogueLearners, d, rounds)
		if appRes.Errors > 0 || bareRes.Errors > 0 {
			b.Fatalf("errors: app %d (%s), bare %d (%s)", appRes.Errors, appRes.FirstError, bareRes.Errors, bareRes.FirstError)
		}
		ratio := appRes.Throughput() / bareRes.Throughput()
		fmt.Printf("catalogue search, %s, %s: upskill %s\n", engine, load, appRes)
		fmt.Printf("catalogue search, %s, %s: bare    %s\n", engine, load, bareRes)
		fmt.Printf("catalogue search, %s, %s: p95 %.1f ms (bare %.1f ms, %.1f times), %.1f searches/s (bare %.1f/s, %.1f%%)\n",
			engine, load, ms(appRes.P95), ms(bareRes.P95), ms(appRes.P95)/ms(bareRes.P95), appRes.Throughput(), bareRes.Throughput(), 100*ratio)
		b.ReportMetric(ms(appRes.P95), name+"-p95-ms")
		b.ReportMetric(ms(bareRes.P95), name+"-bare-p95-ms")
		b.ReportMetric(appRes.Throughput(), name+"-req/s")
		b.ReportMetric(bareRes.Throughput(), name+"-bare-req/s")
		b.ReportMetric(ratio, name+"-ratio")
	}
}

// bareCandidates selects the rows the ranking weighs, one for each mapping
// of visible learning to a gap, as the first query of
// RecommendationCandidates does, and reads them.
func (w *catalogueWorld) bareCandidates(ctx context.Context, st *sql.Stmt, args []any) (int, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var versionID, itemID int64
		var audience, domain, code string
		var minutes, level int
		if err := rows.Scan(&versionID, &itemID, &minutes, &audience, &domain, &code, &level); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

func benchmarkRecommendations(b *testing.B, engine store.Engine) {
	ctx := context.Background()
	w := newCatalogueWorld(b, engine)
	me := w.learners[0]
	actor, err := w.st.Actor(ctx, me.person)
	if err != nil {
		b.Fatal(err)
	}
	recs, gaps, _, err := w.srv.Recommendations(ctx, actor, 10)
	if err != nil {
		b.Fatal(err)
	}
	if len(recs) == 0 {
		b.Fatal("nothing recommended")
	}

	// The bare query is given the gaps' codes and the learner's
	// organisation, as the store's is.
	a, err := w.st.AssessmentStatus(ctx, me.person, framework.DefaultKey)
	if err != nil {
		b.Fatal(err)
	}
	att, err := w.st.Attempt(ctx, me.person, a.LastID)
	if err != nil {
		b.Fatal(err)
	}
	args := []any{w.fw.ID}
	for _, g := range upskill.Gaps(w.fv, att.Answers) {
		args = append(args, g.Code)
	}
	args = append(args, me.org, me.org)
	bareSQL := `SELECT m.version_id, v.item_id, v.minutes, v.audience, m.domain_code, m.capability_code, m.level
		FROM content_mappings m JOIN content_versions v ON v.id = m.version_id JOIN content_items i ON i.id = v.item_id
		WHERE m.framework_id = ? AND m.capability_code IN (` + strings.TrimSuffix(strings.Repeat("?, ", gaps), ", ") + `)
		AND v.status = 'published' AND (i.visibility = 'everyone' OR i.owner_id = ? OR (i.visibility = 'named'
			AND EXISTS (SELECT 1 FROM content_shares sh WHERE sh.item_id = i.id AND sh.organisation_id = ?)))
		ORDER BY v.item_id`
	bareStmt, err := readPool(w.st).PrepareContext(ctx, sqlFor(w.st, bareSQL))
	if err != nil {
		b.Fatal(err)
	}
	defer bareStmt.Close()
	candidates, err := w.bareCandidates(ctx, bareStmt, args)
	if err != nil {
		b.Fatal(err)
	}

	// Each is run once before it is timed, as the server will have run it
	// for someone else before.
	recommend := func(b *testing.B) {
		if _, _, _, err := w.srv.Recommendations(ctx, actor, 10); err != nil {
			b.Fatal(err)
		}
	}
	page := func(b *testing.B) {
		req := httptest.NewRequest("GET", "/learning/recommended", nil)
		req.Header.Set("Cookie", "upskill_session="+me.session)
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	query := func(b *testing.B) {
		if _, err := w.bareCandidates(ctx, bareStmt, args); err != nil {
			b.Fatal(err)
		}
	}
	// Each is timed over recommendationRuns runs, taking turns, so that all
	// three meet the same state of the machine; the mean and the p95 are
	// reported.
	var lat [3][]time.Duration
	runs := []func(*testing.B){recommend, page, query}
	b.ResetTimer()
	for range recommendationRuns {
		for k, fn := range runs {
			start := time.Now()
			fn(b)
			lat[k] = append(lat[k], time.Since(start))
		}
	}
	stats := func(d []time.Duration) (mean, p95 float64) {
		var sum time.Duration
		for _, x := range d {
			sum += x
		}
		slices.Sort(d)
		return ms(sum) / float64(len(d)), ms(d[len(d)*95/100])
	}
	upMean, upP95 := stats(lat[0])
	pageMean, pageP95 := stats(lat[1])
	bareMean, bareP95 := stats(lat[2])
	fmt.Printf("recommendations, %s, %d gaps, %d candidate mappings, %d runs: upskill mean %.1f ms, p95 %.1f ms; page mean %.1f ms, p95 %.1f ms; bare query mean %.1f ms, p95 %.1f ms (upskill %.2f times bare)\n",
		engine, gaps, candidates, recommendationRuns, upMean, upP95, pageMean, pageP95, bareMean, bareP95, upMean/bareMean)
	b.ReportMetric(upMean, "upskill-mean-ms")
	b.ReportMetric(upP95, "upskill-p95-ms")
	b.ReportMetric(pageP95, "page-p95-ms")
	b.ReportMetric(bareMean, "bare-mean-ms")
}

// recommendationRuns is how many times each of the three is timed.
const recommendationRuns = 200
