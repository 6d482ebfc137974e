package web

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/badge"
	"upskill/store"
)

// learningSamples are views of the learning pages for the template test.
func learningSamples(pageWith func(string, *Form) Page, errs func(...string) *Form) map[string]any {
	when := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	org := &upskill.Organisation{ID: 4, ParentID: 2, Level: upskill.LevelOrganisation, Type: upskill.OrgNHSTrust, Name: "Alder Hospitals NHS Trust"}
	v := &upskill.ContentVersion{ID: 3, ItemID: 5, Number: 2, Status: upskill.ContentPublished, Title: "Locking your screen",
		Summary: "Keep records safe when you step away.", Format: upskill.FormatLesson, Minutes: 10, PassMark: 80, PublishedAt: when,
		Audience: upskill.Audience{StaffGroups: []upskill.StaffGroup{"nursing_midwifery"}}, BadgeBearing: true,
		Pages:    []upskill.LessonPage{{Title: "Why it matters", Body: "Text", Questions: []upskill.LessonQuestion{{Prompt: "Which?", Options: []upskill.LessonOption{{Text: "A", Correct: true}, {Text: "B"}}}}}},
		Mappings: []upskill.ContentMapping{{FrameworkID: 1, DomainCode: "1", CapabilityCode: "1.1", Level: 2}}}
	draft := *v
	draft.Number, draft.Status, draft.ReviewNote = 3, upskill.ContentReview, "Add a picture."
	item := &upskill.ContentItem{ID: 5, Owner: org.Ref(), OwnerName: org.Name, Visibility: upskill.VisibleNamed,
		SharedWith: []upskill.SharedOrg{{ID: 8, Name: "Birch Lodge"}}, Published: v, Draft: &draft,
		CopiedFrom: &upskill.ContentOrigin{ItemID: 2, Version: 1, Title: "Locking screens", OwnerName: "England"}}
	statements := []MappedStatement{{Code: "1.1", Statement: "I lock my screen", Level: "Practising"}}
	page := &AuthoringPageView{Page: pageWith("Page 1", errs("title", "body", "q0_prompt")), Org: org, Item: item, Number: 1,
		Action: "/organisations/4/learning/5/pages/1"}
	f := errs("q0_prompt")
	page.Questions = []QuestionSlot{{Index: 0, Prompt: field(f, "q0_prompt", "label", "Question"),
		Multiple: options(field(f, "q0_multiple", "label", "How"), f, []Option{{Value: "yes", Label: "Several"}}),
		Feedback: field(f, "q0_feedback", "label", "Feedback"),
		Options: []OptionSlot{{Text: field(f, "q0_o0_text", "label", "Answer 1"), Correct: options(field(f, "q0_o0_correct", "label", "Right?"), f, []Option{{Value: "yes", Label: "Right"}}),
			Feedback: field(f, "q0_o0_feedback", "label", "Feedback 1")}}}}
	return map[string]any{
		"authoring.html": &AuthoringListView{Page: pageWith("Learning you publish", nil), Org: org, Items: []upskill.ContentItem{*item}},
		"authoring_details.html": &AuthoringFormView{Page: pageWith("Write new learning", errs("title", "summary", "format", "minutes", "link_url", "pass_mark")),
			Org: org, Action: "/organisations/4/learning/new", Formats: formatOptions(), StaffGroups: staffGroupOptions("")[1:], Badge: []Option{{Value: "yes", Label: "Badge"}}},
		"authoring_item.html": &AuthoringItemView{Page: pageWith(v.Title, nil), Org: org, Item: item, Version: &draft, Statements: statements,
			Problems: []upskill.FieldError{{Field: "summary", Message: "Enter a summary"}}},
		"authoring_statements.html": &AuthoringStatementsView{Page: pageWith("Statements this learning builds", errs("level-1.1")), Org: org, Item: item,
			Domains: []TargetDomain{{Name: "Digital identity", Fields: []Field{options(field(errs("level-1.1"), "level-1.1", "label", "1.1. I lock my screen"), nil, []Option{{Value: "", Label: "Not covered"}})}}}},
		"authoring_page.html": page,
		"authoring_sharing.html": &AuthoringSharingView{Page: pageWith("Who can find this learning", errs("visibility")), Org: org, Item: item,
			Visibility:   options(field(errs("visibility"), "visibility", "label", "Who?"), nil, []Option{{Value: "owner", Label: "Only our staff"}}),
			Organisation: options(field(nil, "organisations", "label", "Organisations"), nil, []Option{{Value: "8", Label: "Birch Lodge"}})},
		"catalogue.html": &CatalogueView{Page: pageWith("Find learning", nil), Query: field(nil, "q", "label", "Search"),
			Domain: field(nil, "domain", "label", "Domain"), Level: field(nil, "level", "label", "Level"), Format: field(nil, "format", "label", "Format"),
			Minutes: field(nil, "minutes", "label", "Time"), Owner: field(nil, "owner", "label", "Written by"), Searched: true,
			Results:    &store.CataloguePage{Total: 30, Entries: []store.CatalogueEntry{{ItemID: 5, Title: v.Title, Summary: v.Summary, Format: v.Format, Minutes: 10, OwnerName: org.Name}}},
			Pagination: paginate(&url.URL{Path: "/learning"}, 1, 2)},
		"learning.html": &LearningView{Page: pageWith(v.Title, nil), Item: item, Version: v, Statements: statements,
			Enrolment: &upskill.Enrolment{Status: upskill.Completed, CompletedAt: when, Score: 100}, Certificate: "/my-learning/2/certificate.pdf",
			CopyTo: []upskill.ActorMembership{{Org: upskill.OrgRef{ID: 8, Level: upskill.LevelOrganisation}, OrgName: "Birch Lodge"}}},
		"badge.html": &BadgeView{Page: pageWith("Check a badge", nil), Check: &BadgeCheck{Valid: true, Message: "This badge is genuine.", ID: "https://example.org/badges/1",
			Achievement: v.Title, Criteria: "Complete it.", Issuer: "upskill", IssuedAt: when, Recipient: "Sam Okafor"}},
		"org_badges.html": &OrgBadgesView{Page: pageWith("Badges", nil), Org: org, Badges: []store.Badge{
			{ID: "abc", PersonName: "Sam Okafor", Title: v.Title, IssuedAt: when}, {ID: "def", PersonName: "Ann Lee", Title: v.Title, IssuedAt: when, RevokedAt: when, RevocationReason: "Earned by mistake"}}},
		"assignments.html": &AssignmentsView{Page: pageWith("Assigned learning", nil), Org: org, Assignments: []store.Assignment{
			{ID: 1, ItemID: 5, Title: v.Title, StaffGroup: "nursing_midwifery", Mandatory: true, DueDays: 30, RenewMonths: 12, Enrolled: 40, Completed: 12},
			{ID: 2, ItemID: 5, Title: v.Title, PersonID: 7, PersonName: "Sam Okafor", DueDays: 14}}},
		"assign.html": &AssignFormView{Page: pageWith("Assign "+v.Title, errs("who", "email", "due_days")), Org: org, Item: item,
			Who: options(field(errs("who"), "who", "label", "Who?"), nil, []Option{{Value: "person", Label: "One person"}}), Email: field(nil, "email", "label", "Email"),
			Unit: field(nil, "unit", "label", "Unit"), StaffGroup: field(nil, "staff_group", "label", "Group"), JobRole: field(nil, "job_role", "label", "Role"),
			Mandatory: options(field(nil, "mandatory", "label", "Mandatory"), nil, []Option{{Value: "yes", Label: "Mandatory"}}),
			DueDays:   field(nil, "due_days", "label", "Days"), RenewMonths: field(nil, "renew_months", "label", "Months")},
		"recommended.html": &RecommendedView{Page: pageWith("Learning recommended for you", nil), Assessed: true, Gaps: 3,
			Recommendations: []upskill.Recommendation{{Candidate: upskill.Candidate{ItemID: 5, Title: v.Title, Format: v.Format, Minutes: 10, National: true, Started: true},
				Reason: "You rated \"I lock my screen\" 3 out of 10, and your role needs 7."}}},
		"my_learning.html": &MyLearningView{Page: pageWith("Your learning", nil),
			Open: []store.LearningRow{{Enrolment: upskill.Enrolment{ID: 3, ItemID: 5, Status: upskill.Enrolled, PagesSeen: []int{1}, DueAt: when}, Title: v.Title, Version: 2, Format: v.Format, Pages: 2}},
			Done: []store.LearningRow{{Enrolment: upskill.Enrolment{ID: 2, ItemID: 5, Status: upskill.Completed, CompletedAt: when}, Title: v.Title, Version: 1, Format: v.Format, Pages: 2}}},
		"certificate.html": &CertificateView{Page: pageWith("Certificate 2-abc", nil), Code: "2-abc",
			Completion: &store.Completion{Enrolment: upskill.Enrolment{CompletedAt: when}, PersonName: "Sam Okafor", Title: v.Title, Version: 1, OrganisationName: org.Name}},
		"lesson_page.html": &LessonPageView{Page: pageWith("Why it matters", errs("answer-1")), Item: item, Version: v, Number: 1, Of: 2,
			LessonURL: "/learning/5", Body: "<p class=\"nhsuk-body\">Text</p>", VideoURL: "https://video.example.org/1", PageTitle: "Why it matters", Next: "/learning/5/pages/2",
			Questions: []LessonQuestionView{{Field: field(errs("answer-1"), "answer-1", "label", "Which?"), Answered: true, Feedback: []string{"Because."}}}},
	}
}

// TestLessonAuthoringJourney writes a lesson as a trust's content author,
// has it reviewed and published, finds it as a learner of the trust, and
// checks that another organisation neither finds it nor reaches it until
// it is shared, and then can copy it to adapt.
func TestLessonAuthoringJourney(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		author := a.client()
		author.signIn("author.a@example.org")
		base := learningURL(w.a.ID)

		p := author.post(base+"/new", url.Values{"title": {""}, "format": {"lesson"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("empty title: %d", p.status)
		}
		p.has(t, "There is a problem", "Enter a title")
		p = author.post(base+"/new", url.Values{"title": {"Using the e-whiteboard on the ward"}, "format": {"lesson"},
			"summary": {"Find a bed, update a patient's status and hand over with the electronic whiteboard."}, "minutes": {"12"}, "pass_mark": {"100"}, "badge_bearing": {"yes"}})
		p.has(t, "Your draft has been saved", "The lesson has no pages yet", "Add at least one page to the lesson")
		item := p.url
		// The page form: Markdown, and a question with feedback.
		p = author.post(item+"/pages/new", url.Values{"title": {"Finding a bed"}, "body": {"## Beds\n\nOpen the **bed board**.<script>alert(1)</script>"},
			"q0_prompt": {"Where do you see free beds?"}, "q0_o0_text": {"On the bed board"}, "q0_o0_correct": {"yes"}, "q0_o0_feedback": {"Yes: it updates as patients move."},
			"q0_o1_text": {"In the paper diary"}, "q0_o1_feedback": {"The diary is no longer kept."}})
		p.has(t, "Page 1 has been saved", "Finding a bed</a> (1 question)")
		p = author.post(item+"/pages/new", url.Values{"title": {"Bad question"}, "q0_prompt": {"No right answer?"}, "q0_o0_text": {"A"}, "q0_o1_text": {"B"}})
		p.has(t, "mark at least one answer as right")
		author.post(item+"/statements", url.Values{"level-1.1": {"2"}}).has(t, "The statements have been saved")
		author.get(item+"/preview/1").has(t, "This is a preview", "Where do you see free beds?")
		author.post(item+"/details", url.Values{"title": {"Using the e-whiteboard on the ward"}, "minutes": {"12"}, "pass_mark": {"100"},
			"badge_bearing": {"yes"}, "review_day": {"31"}, "review_month": {"2"}, "review_year": {"2027"}}).has(t, "Enter a real review date")
		author.post(item+"/details", url.Values{"title": {"Using the e-whiteboard on the ward"}, "minutes": {"12"}, "pass_mark": {"100"},
			"summary":       {"Find a bed, update a patient's status and hand over with the electronic whiteboard."},
			"badge_bearing": {"yes"}, "review_day": {"31"}, "review_month": {"3"}, "review_year": {"2027"}}).has(t, "31 March 2027")
		// Images: only real PNG, JPEG or GIF files, by their content.
		author.postFileAs(item+"/images", "image", "drawing.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)).
			has(t, "The image was not uploaded: The file must be a PNG, JPEG or GIF image")
		author.postFileAs(item+"/images", "image", "fake.png", []byte("not really a picture")).has(t, "must be a PNG, JPEG or GIF")
		var png bytes.Buffer
		must(t, pngEncode(&png))
		p = author.postFileAs(item+"/images", "image", "bed-board.png", png.Bytes())
		p.has(t, "The image has been uploaded", "bed-board.png (12 by 8 pixels)")
		mediaID := regexp.MustCompile(`/media/([0-9a-f]{32})`).FindStringSubmatch(p.body)[1]
		img := a.client().get("/media/" + mediaID)
		if img.status != 200 || img.header.Get("Content-Type") != "image/png" || !strings.Contains(img.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("image: %d %v", img.status, img.header)
		}
		author.post(item+"/pages/1", url.Values{"title": {"Finding a bed"}, "body": {"## Beds\n\nOpen the **bed board**.<script>alert(1)</script>\n\n![The bed board on ward 7](/media/" + mediaID + ")"},
			"q0_prompt": {"Where do you see free beds?"}, "q0_o0_text": {"On the bed board"}, "q0_o0_correct": {"yes"}, "q0_o0_feedback": {"Yes: it updates as patients move."},
			"q0_o1_text": {"In the paper diary"}, "q0_o1_feedback": {"The diary is no longer kept."}}).has(t, "Page 1 has been saved")
		p = author.post(item+"/review", nil)
		p.has(t, "sent for review", "Waiting for review")
		// The author who sent it cannot publish it.
		author.post(item+"/publish", nil).has(t, "someone else must publish it")

		admin := a.client()
		admin.signIn("admin.a@example.org")
		admin.post(item+"/publish", nil).has(t, "The learning has been published")
		id := item[strings.LastIndex(item, "/")+1:]

		learner := a.client()
		learner.signIn("learner.a@example.org")
		learner.get("/learning/recommended").has(t, "Take the digital skills assessment first")
		// After an assessment with gaps everywhere, the lesson is
		// recommended with its reason.
		p = learner.post("/assessments/hcdcf/start", nil)
		p = answerAll(t, learner, p, 2, 8)
		learner.post(strings.TrimSuffix(p.url, "/answers")+"/submit", nil).has(t, "See learning recommended")
		rec := learner.get("/learning/recommended")
		rec.has(t, "Using the e-whiteboard on the ward", "out of 10, and your role needs 8.", "This learning takes you to")
		learner.get("/learning?q=whiteboard").has(t, "1 result", "Using the e-whiteboard on the ward")
		learner.get("/learning/"+id).has(t, "Start the lesson", "Finding a bed")
		lesson := learner.post("/learning/"+id+"/start", nil)
		lesson.has(t, `<strong>bed board</strong>`, "Where do you see free beds?", `src="/media/`+mediaID+`" alt="The bed board on ward 7"`)
		lesson.lacks(t, "<script>alert")
		learner.post("/learning/"+id+"/pages/1", url.Values{"answer-1": {"1"}}).has(t, "Not quite.", "no longer kept")
		learner.post("/learning/"+id+"/complete", nil).has(t, "You need 100% of the questions right", "You have seen 1 of 1 pages")
		learner.post("/learning/"+id+"/pages/1", url.Values{"answer-1": {"0"}}).has(t, "Right.", "it updates as patients move")
		learner.post("/learning/"+id+"/pages/1", url.Values{}).has(t, "Select an answer")
		done := learner.post("/learning/"+id+"/complete", nil)
		done.has(t, "you have completed this learning", "Your certificate and badge are ready", "Download your badge")
		mine := learner.get("/my-learning")
		mine.has(t, "Using the e-whiteboard on the ward</a>, version 1")
		start := strings.Index(mine.body, `href="/my-learning/`)
		href := mine.body[start+6 : start+6+strings.Index(mine.body[start+6:], `"`)]
		cert := learner.get(href)
		if cert.status != http.StatusOK || cert.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(cert.body, "%PDF") {
			t.Fatalf("certificate: %d %s", cert.status, cert.header.Get("Content-Type"))
		}
		// Nobody else can download it; anyone can check its code.
		if p := author.get(href); p.status != http.StatusNotFound {
			t.Fatalf("someone else's certificate: %d", p.status)
		}
		enrolmentID := strings.TrimSuffix(strings.TrimPrefix(href, "/my-learning/"), "/certificate.pdf")
		eid, err := strconv.ParseInt(enrolmentID, 10, 64)
		must(t, err)
		code := a.srv.certificateCode(eid)
		a.client().get("/certificates/"+code).has(t, "This certificate is genuine", "Lee Learner", "Using the e-whiteboard on the ward")
		if p := a.client().get("/certificates/" + enrolmentID + "-0000000000000000"); p.status != http.StatusNotFound {
			t.Fatalf("a forged certificate code: %d", p.status)
		}

		// The badge: the learner downloads it; anyone checks it, by page
		// or by program, with the published key; the trust revokes it.
		b, err := a.store.BadgeFor(ctx, w.people["learner"].ID, eid)
		must(t, err)
		jwt := learner.get("/my-learning/" + enrolmentID + "/badge.jwt")
		if jwt.status != http.StatusOK || jwt.body != b.Token || strings.Count(jwt.body, ".") != 2 {
			t.Fatalf("badge download: %d %q", jwt.status, jwt.body)
		}
		if p := author.get("/my-learning/" + enrolmentID + "/badge.jwt"); p.status != http.StatusNotFound {
			t.Fatalf("someone else's badge: %d", p.status)
		}
		visitor := a.client()
		visitor.get("/badges/"+b.ID).has(t, "This badge is genuine", "Lee Learner", "Using the e-whiteboard on the ward")
		var check BadgeCheck
		must(t, json.Unmarshal([]byte(visitor.get("/badges/"+b.ID+"/verify").body), &check))
		if !check.Valid || check.Revoked || check.Recipient != "" {
			t.Fatalf("verify: %+v", check)
		}
		// The key the badge names verifies it.
		verified, err := badge.Verify(b.Token, func(kid string) (ed25519.PublicKey, error) {
			u, _ := url.Parse(kid)
			var jwk struct{ X string }
			must(t, json.Unmarshal([]byte(visitor.get(u.Path).body), &jwk))
			raw, err := base64.RawURLEncoding.DecodeString(jwk.X)
			return ed25519.PublicKey(raw), err
		}, time.Now())
		must(t, err)
		if !badge.RecipientMatches(verified, "learner.a@example.org") || badge.RecipientMatches(verified, "someone@example.org") {
			t.Fatal("the badge's recipient does not match the learner's email alone")
		}
		if verified.StatusType != "BitstringStatusListEntry" || statusBit(t, visitor, verified.StatusURL, verified.StatusIndex) {
			t.Fatalf("before revocation the status list has the badge's bit set, or none: %+v", verified)
		}
		admin.post(orgURL(w.a.ID)+"/badges/"+b.ID+"/revoke", url.Values{"reason": {""}}).has(t, "Say why the badge is being revoked")
		bAdmin := a.client()
		bAdmin.signIn("admin.b@example.org")
		if p := bAdmin.post(orgURL(w.b.ID)+"/badges/"+b.ID+"/revoke", url.Values{"reason": {"Not ours"}}); p.status != http.StatusNotFound {
			t.Fatalf("another organisation revoking: %d", p.status)
		}
		admin.post(orgURL(w.a.ID)+"/badges/"+b.ID+"/revoke", url.Values{"reason": {"Completed on a colleague's account"}}).has(t, "The badge has been revoked")
		visitor.get("/badges/"+b.ID).has(t, "Do not rely on this badge", "Completed on a colleague")
		if !statusBit(t, visitor, verified.StatusURL, verified.StatusIndex) {
			t.Fatal("the status list does not have the revoked badge's bit set")
		}
		// The older revocation list, for badges that name it, lists it too.
		revoked, _, err := badge.Revoked([]byte(visitor.get("/badge-revocations").body), verified.ID)
		must(t, err)
		if !revoked {
			t.Fatal("the revocation list does not list the badge")
		}
		// A learner cannot write learning.
		if p := learner.get(base + "/new"); p.status != http.StatusForbidden {
			t.Fatalf("learner writing learning: %d", p.status)
		}

		// Another organisation finds nothing until the trust shares it.
		other := a.client()
		other.signIn("admin.b@example.org")
		other.get("/learning?q=whiteboard").has(t, "0 results")
		if p := other.get("/learning/" + id); p.status != http.StatusNotFound {
			t.Fatalf("unshared learning from another organisation: %d", p.status)
		}
		if p := other.post(orgURL(w.b.ID)+"/copy-learning/"+id, nil); p.status != http.StatusNotFound {
			t.Fatalf("copying unshared learning: %d", p.status)
		}
		if p := other.get(learningURL(w.b.ID) + "/" + id); p.status != http.StatusNotFound {
			t.Fatalf("another organisation's authoring page: %d", p.status)
		}
		admin.post(item+"/sharing", url.Values{"visibility": {"named"}, "organisations": {strconv.FormatInt(w.b.ID, 10)}}).has(t, "has been saved")
		other.get("/learning/"+id).has(t, "Copy to adapt for "+w.b.Name)
		p = other.post(orgURL(w.b.ID)+"/copy-learning/"+id, nil)
		p.has(t, "A copy has been saved as your draft", "Adapted from", "Using the e-whiteboard on the ward", w.a.Name)
		if !strings.HasPrefix(p.url, learningURL(w.b.ID)+"/") {
			t.Fatalf("the copy is at %s", p.url)
		}
	})
}

// pngEncode writes a small PNG.
func pngEncode(w io.Writer) error {
	img := image.NewRGBA(image.Rect(0, 0, 12, 8))
	for x := range 12 {
		img.Set(x, x%8, color.RGBA{0, 94, 184, 255})
	}
	return png.Encode(w, img)
}

// statusBit fetches the signed status list at listURL, checks its
// signature with the key it names, and reads the bit at index.
func statusBit(t *testing.T, c *client, listURL string, index int) bool {
	t.Helper()
	u, err := url.Parse(listURL)
	must(t, err)
	p := c.get(u.Path)
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "application/vc+jwt" {
		t.Fatalf("status list %s: %d %s", u.Path, p.status, p.header.Get("Content-Type"))
	}
	parts := strings.Split(p.body, ".")
	if len(parts) != 3 {
		t.Fatalf("status list is not a JSON Web Token: %q", p.body)
	}
	var header struct{ Kid string }
	var payload struct {
		ID                string
		Type              []string
		CredentialSubject struct{ EncodedList, StatusPurpose string }
	}
	for i, v := range []any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		must(t, err)
		must(t, json.Unmarshal(raw, v))
	}
	k, err := url.Parse(header.Kid)
	must(t, err)
	var jwk struct{ X string }
	must(t, json.Unmarshal([]byte(c.get(k.Path).body), &jwk))
	pub, err := base64.RawURLEncoding.DecodeString(jwk.X)
	must(t, err)
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	must(t, err)
	if !ed25519.Verify(ed25519.PublicKey(pub), []byte(parts[0]+"."+parts[1]), sig) {
		t.Fatal("the status list's signature does not hold")
	}
	if payload.ID != listURL || len(payload.Type) != 2 || payload.Type[1] != "BitstringStatusListCredential" || payload.CredentialSubject.StatusPurpose != "revocation" {
		t.Fatalf("status list credential: %+v", payload)
	}
	set, err := badge.StatusSet(payload.CredentialSubject.EncodedList, index)
	must(t, err)
	return set
}
