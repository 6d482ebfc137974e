package store_test

import (
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// lesson is a small lesson on the small framework, ready to publish.
func lesson(v *upskill.FrameworkVersion, title string) *upskill.ContentVersion {
	return &upskill.ContentVersion{
		Title: title, Summary: "How to keep patient records safe when you step away from a shared computer.",
		Format: upskill.FormatLesson, Minutes: 10,
		Mappings: []upskill.ContentMapping{{FrameworkID: v.FrameworkID, CapabilityCode: "1.1", Level: 2}},
		Pages: []upskill.LessonPage{
			{Title: "Why it matters", Body: "A ward computer left signed in lets anyone read the **records** on it."},
			{Title: "Check your understanding", Body: "Answer the question.", Questions: []upskill.LessonQuestion{{
				Prompt:  "What should you do before you walk away?",
				Options: []upskill.LessonOption{{Text: "Lock the screen", Correct: true}, {Text: "Turn the monitor off"}},
			}}},
		},
		PassMark: 100,
	}
}

func TestContentLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a := f.orgA.Ref()

		// A lesson with no pages may be saved as a draft but not published.
		empty := lesson(v, "Locking your screen")
		empty.Pages = nil
		id, err := s.CreateContent(ctx, f.adminA.ID, a, upskill.VisibleOwner, empty)
		must(t, err)
		wantCode(t, s.PublishContent(ctx, f.adminA.ID, a.ID, id), upskill.EINVALID)

		// Bad input writes nothing.
		bad := lesson(v, "")
		_, err = s.CreateContent(ctx, f.adminA.ID, a, upskill.VisibleOwner, bad)
		wantCode(t, err, upskill.EINVALID)
		bad = lesson(v, "Unknown statement")
		bad.Mappings[0].CapabilityCode = "9.9"
		_, err = s.CreateContent(ctx, f.adminA.ID, a, upskill.VisibleOwner, bad)
		wantCode(t, err, upskill.EINVALID)
		bad = lesson(v, "Level out of range")
		bad.Mappings[0].Level = 5
		wantCode(t, s.SaveDraft(ctx, f.adminA.ID, a.ID, id, bad), upskill.EINVALID)
		own, err := s.OwnedContent(ctx, a.ID)
		must(t, err)
		if len(own) != 1 {
			t.Fatalf("%d items after refused input, want 1", len(own))
		}

		// Another organisation cannot touch it.
		wantCode(t, s.SaveDraft(ctx, f.adminB.ID, f.orgB.ID, id, lesson(v, "Taken over")), upskill.ENOTFOUND)
		wantCode(t, s.PublishContent(ctx, f.adminB.ID, f.orgB.ID, id), upskill.ENOTFOUND)
		_, err = s.ContentForOwner(ctx, f.orgB.ID, id)
		wantCode(t, err, upskill.ENOTFOUND)

		must(t, s.SaveDraft(ctx, f.adminA.ID, a.ID, id, lesson(v, "Locking your screen")))
		// Review: the author who sent it cannot publish it themselves.
		must(t, s.SubmitForReview(ctx, f.adminA.ID, a.ID, id))
		wantCode(t, s.SaveDraft(ctx, f.adminA.ID, a.ID, id, lesson(v, "Changed in review")), upskill.ECONFLICT)
		wantCode(t, s.PublishContent(ctx, f.adminA.ID, a.ID, id), upskill.EFORBIDDEN)
		wantCode(t, s.ReturnToDraft(ctx, 0, a.ID, id, " "), upskill.EINVALID)
		must(t, s.ReturnToDraft(ctx, 0, a.ID, id, "Say what locking does."))
		item, err := s.ContentForOwner(ctx, a.ID, id)
		must(t, err)
		if item.Draft == nil || item.Draft.Status != upskill.ContentDraft || item.Draft.ReviewNote != "Say what locking does." {
			t.Fatalf("returned draft: %+v", item.Draft)
		}
		must(t, s.PublishContent(ctx, f.adminA.ID, a.ID, id))
		item, err = s.ContentForOwner(ctx, a.ID, id)
		must(t, err)
		if item.Published == nil || item.Draft != nil || item.Published.Number != 1 || len(item.Published.Pages) != 2 ||
			len(item.Published.Mappings) != 1 || item.Published.Mappings[0].DomainCode != "1" {
			t.Fatalf("published: %+v", item)
		}

		// The next version starts from the published one, which stays.
		must(t, s.NewContentVersion(ctx, f.adminA.ID, a.ID, id))
		wantCode(t, s.NewContentVersion(ctx, f.adminA.ID, a.ID, id), upskill.ECONFLICT)
		next := lesson(v, "Locking your screen, second edition")
		must(t, s.SaveDraft(ctx, f.adminA.ID, a.ID, id, next))
		item, err = s.ContentForOwner(ctx, a.ID, id)
		must(t, err)
		if item.Published.Title != "Locking your screen" || item.Draft.Number != 2 {
			t.Fatalf("after a new draft: published %q, draft %+v", item.Published.Title, item.Draft)
		}
		must(t, s.PublishContent(ctx, f.adminA.ID, a.ID, id))
		item, err = s.ContentForOwner(ctx, a.ID, id)
		must(t, err)
		if item.Published.Number != 2 || item.Published.Title != "Locking your screen, second edition" {
			t.Fatalf("second version: %+v", item.Published)
		}
	})
}

func TestContentVisibilityAndCopies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a, b := f.orgA.Ref(), f.orgB.Ref()
		orgC, err := s.CreateChild(ctx, 0, f.region, upskill.OrganisationInput{Name: "Elm Tree Surgery", Type: upskill.OrgGPPractice})
		must(t, err)

		publish := func(owner upskill.OrgRef, vis upskill.Visibility, title string) int64 {
			t.Helper()
			id, err := s.CreateContent(ctx, 0, owner, vis, lesson(v, title))
			must(t, err)
			must(t, s.PublishContent(ctx, 0, owner.ID, id))
			return id
		}
		national := publish(f.nation.Ref(), upskill.VisibleEveryone, "Spotting a phishing email")
		private := publish(a, upskill.VisibleOwner, "Our patient record system")
		shared := publish(a, upskill.VisibleOwner, "Handing over on the ward")
		must(t, s.ShareContent(ctx, 0, a.ID, shared, upskill.VisibleNamed, []int64{b.ID}))
		wantCode(t, s.ShareContent(ctx, 0, a.ID, shared, upskill.VisibleNamed, nil), upskill.EINVALID)
		wantCode(t, s.ShareContent(ctx, 0, a.ID, shared, upskill.VisibleNamed, []int64{f.region.ID}), upskill.EINVALID)
		wantCode(t, s.ShareContent(ctx, 0, b.ID, shared, upskill.VisibleEveryone, nil), upskill.ENOTFOUND)
		drafted, err := s.CreateContent(ctx, 0, a, upskill.VisibleEveryone, lesson(v, "Not yet published"))
		must(t, err)

		titles := func(org int64, q store.CatalogueQuery) []string {
			t.Helper()
			q.OrgIDs = []int64{org}
			page, err := s.Catalogue(ctx, q)
			must(t, err)
			var out []string
			for _, e := range page.Entries {
				out = append(out, e.Title)
			}
			if q.PerPage == 0 && page.Total != len(out) {
				t.Fatalf("total %d, listed %d", page.Total, len(out))
			}
			return out
		}
		check := func(got []string, want ...string) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("got %q, want %q", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("got %q, want %q", got, want)
				}
			}
		}
		check(titles(a.ID, store.CatalogueQuery{}), "Handing over on the ward", "Our patient record system", "Spotting a phishing email")
		check(titles(b.ID, store.CatalogueQuery{}), "Handing over on the ward", "Spotting a phishing email")
		check(titles(orgC.ID, store.CatalogueQuery{}), "Spotting a phishing email")
		check(titles(b.ID, store.CatalogueQuery{Owner: store.OwnerNational}), "Spotting a phishing email")
		check(titles(b.ID, store.CatalogueQuery{Owner: store.OwnerShared}), "Handing over on the ward")
		check(titles(a.ID, store.CatalogueQuery{Owner: store.OwnerOurs}), "Handing over on the ward", "Our patient record system")
		// Full text: words from the title, the summary or the pages, as
		// prefixes; query syntax typed in is taken as words.
		check(titles(a.ID, store.CatalogueQuery{Text: "phish"}), "Spotting a phishing email")
		check(titles(orgC.ID, store.CatalogueQuery{Text: "record system"}))
		check(titles(a.ID, store.CatalogueQuery{Text: `"record*" (system`}), "Our patient record system")
		check(titles(a.ID, store.CatalogueQuery{Text: "(ward*:"}), "Handing over on the ward", "Spotting a phishing email", "Our patient record system")
		check(titles(a.ID, store.CatalogueQuery{Text: "walk away", Owner: store.OwnerOurs}), "Our patient record system", "Handing over on the ward")
		check(titles(a.ID, store.CatalogueQuery{FrameworkID: v.FrameworkID, Domain: "2"}))
		check(titles(a.ID, store.CatalogueQuery{FrameworkID: v.FrameworkID, Domain: "1", Level: 2, MaxMinutes: 10, Format: upskill.FormatLesson, PerPage: 1, Page: 3}),
			"Spotting a phishing email")

		// Private and unpublished learning cannot be seen or copied from
		// outside; a copy records its origin and belongs to the copier.
		_, err = s.VisibleContent(ctx, []int64{orgC.ID}, private)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.VisibleContent(ctx, []int64{b.ID}, drafted)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.CopyContent(ctx, 0, orgC.Ref(), private)
		wantCode(t, err, upskill.ENOTFOUND)
		seen, err := s.VisibleContent(ctx, []int64{b.ID}, shared)
		must(t, err)
		if seen.SharedWith != nil || seen.Draft != nil {
			t.Fatal("another organisation sees the owner's sharing list or draft")
		}
		copyID, err := s.CopyContent(ctx, f.adminB.ID, b, national)
		must(t, err)
		cp, err := s.ContentForOwner(ctx, b.ID, copyID)
		must(t, err)
		if cp.CopiedFrom == nil || cp.CopiedFrom.ItemID != national || cp.CopiedFrom.OwnerName != "England" ||
			cp.Draft == nil || cp.Published != nil || cp.Visibility != upskill.VisibleOwner || len(cp.Draft.Pages) != 2 {
			t.Fatalf("copy: %+v", cp)
		}
		adapted := lesson(v, "Spotting a phishing email at Beech House")
		must(t, s.SaveDraft(ctx, f.adminB.ID, b.ID, copyID, adapted))
		must(t, s.PublishContent(ctx, f.adminB.ID, b.ID, copyID))
		check(titles(b.ID, store.CatalogueQuery{Owner: store.OwnerOurs}), "Spotting a phishing email at Beech House")
		check(titles(orgC.ID, store.CatalogueQuery{Text: "phishing"}), "Spotting a phishing email")
		// The original is untouched.
		orig, err := s.VisibleContent(ctx, []int64{orgC.ID}, national)
		must(t, err)
		if orig.Published.Title != "Spotting a phishing email" {
			t.Fatalf("original changed: %q", orig.Published.Title)
		}
	})
}

func TestEnrolmentProgressAndCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a := f.orgA.Ref()
		id, err := s.CreateContent(ctx, 0, a, upskill.VisibleOwner, lesson(v, "Locking your screen"))
		must(t, err)
		must(t, s.PublishContent(ctx, 0, a.ID, id))
		me, other := f.adminA.ID, f.adminB.ID

		// Someone who cannot find the learning cannot enrol on it.
		_, err = s.Enrol(ctx, other, []int64{f.orgB.ID}, f.orgB.ID, id)
		wantCode(t, err, upskill.ENOTFOUND)
		e, err := s.Enrol(ctx, me, []int64{a.ID}, a.ID, id)
		must(t, err)
		again, err := s.Enrol(ctx, me, []int64{a.ID}, a.ID, id)
		must(t, err)
		if again.ID != e.ID {
			t.Fatal("enrolling twice made two enrolments")
		}

		// Nobody else can record progress on it.
		wantCode(t, s.SeePage(ctx, other, e.ID, 1), upskill.ENOTFOUND)
		wantCode(t, s.SaveLessonAnswer(ctx, other, e.ID, 2, 1, []int{0}), upskill.ENOTFOUND)
		_, err = s.CompleteLearning(ctx, other, e.ID)
		wantCode(t, err, upskill.ENOTFOUND)

		// The rule: every page seen and the pass mark reached.
		must(t, s.SeePage(ctx, me, e.ID, 1))
		_, err = s.CompleteLearning(ctx, me, e.ID)
		wantCode(t, err, upskill.EINVALID)
		must(t, s.SeePage(ctx, me, e.ID, 2))
		wantCode(t, s.SeePage(ctx, me, e.ID, 3), upskill.ENOTFOUND)
		wantCode(t, s.SaveLessonAnswer(ctx, me, e.ID, 2, 1, []int{5}), upskill.EINVALID)
		wantCode(t, s.SaveLessonAnswer(ctx, me, e.ID, 1, 1, []int{0}), upskill.ENOTFOUND)
		must(t, s.SaveLessonAnswer(ctx, me, e.ID, 2, 1, []int{1}))
		_, err = s.CompleteLearning(ctx, me, e.ID)
		wantCode(t, err, upskill.EINVALID) // below the pass mark
		must(t, s.SaveLessonAnswer(ctx, me, e.ID, 2, 1, []int{0}))
		done, err := s.CompleteLearning(ctx, me, e.ID)
		must(t, err)
		if done.Score != 100 || done.Status != upskill.Completed {
			t.Fatalf("completed: %+v", done)
		}
		_, err = s.CompleteLearning(ctx, me, e.ID)
		wantCode(t, err, upskill.ECONFLICT)
		wantCode(t, s.SeePage(ctx, me, e.ID, 1), upskill.ECONFLICT)

		// The completion keeps the version it was made on when the
		// learning changes; doing it again starts on the new version.
		first := done.VersionID
		must(t, s.NewContentVersion(ctx, 0, a.ID, id))
		must(t, s.PublishContent(ctx, 0, a.ID, id))
		c, err := s.CompletionOf(ctx, me, e.ID)
		must(t, err)
		if c.VersionID != first || c.Version != 1 || c.Title != "Locking your screen" || c.OrganisationName != f.orgA.Name || c.PersonName != "Ada Admin" {
			t.Fatalf("completion: %+v", c)
		}
		_, err = s.CompletionOf(ctx, other, e.ID)
		wantCode(t, err, upskill.ENOTFOUND)
		renewed, err := s.Enrol(ctx, me, []int64{a.ID}, a.ID, id)
		must(t, err)
		if renewed.ID == e.ID || renewed.VersionID == first {
			t.Fatalf("renewed on %d, first on %d", renewed.VersionID, first)
		}
		list, err := s.MyLearning(ctx, me)
		must(t, err)
		if len(list) != 2 || list[0].Status != upskill.Enrolled || list[1].Status != upskill.Completed || list[1].Version != 1 || list[0].Pages != 2 {
			t.Fatalf("my learning: %+v", list)
		}
	})
}

func TestRecommendationCandidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a, b := f.orgA.Ref(), f.orgB.Ref()
		publish := func(owner upskill.OrgRef, vis upskill.Visibility, title, code string) int64 {
			t.Helper()
			l := lesson(v, title)
			l.Mappings[0].CapabilityCode = code
			l.PassMark = 0
			id, err := s.CreateContent(ctx, 0, owner, vis, l)
			must(t, err)
			must(t, s.PublishContent(ctx, 0, owner.ID, id))
			return id
		}
		national := publish(f.nation.Ref(), upskill.VisibleEveryone, "Phishing", "1.2")
		ours := publish(a, upskill.VisibleOwner, "Our records system", "2.1")
		publish(b, upskill.VisibleOwner, "Beech House only", "1.2")
		publish(a, upskill.VisibleOwner, "Not a gap", "2.2")

		// Colleagues complete the national lesson.
		complete := func(person, item int64, org int64) {
			t.Helper()
			e, err := s.Enrol(ctx, person, []int64{org}, org, item)
			must(t, err)
			must(t, s.SeePage(ctx, person, e.ID, 1))
			must(t, s.SeePage(ctx, person, e.ID, 2))
			_, err = s.CompleteLearning(ctx, person, e.ID)
			must(t, err)
		}
		for i := range 6 {
			m, err := s.AddMember(ctx, 0, f.orgA, store.MemberInput{Email: "colleague" + string(rune('a'+i)) + "@example.org", Name: "Colleague", Roles: upskill.RoleSet(upskill.RoleLearner)})
			must(t, err)
			complete(m.Person.ID, national, a.ID)
		}
		since := time.Now().Add(-time.Hour)
		q := store.CandidateQuery{PersonID: f.adminA.ID, OrgIDs: []int64{a.ID}, HomeOrg: a.ID, FrameworkID: v.FrameworkID, Codes: []string{"1.2", "2.1"}, Since: since}
		got, addressed, err := s.RecommendationCandidates(ctx, q)
		must(t, err)
		if len(got) != 2 || got[0].ItemID != national || got[1].ItemID != ours || got[0].PeersCompleted != 6 ||
			len(got[0].Mappings) != 1 || got[0].Mappings[0].CapabilityCode != "1.2" || len(addressed) != 0 {
			t.Fatalf("candidates: %+v, addressed %v", got, addressed)
		}
		// Only those shown are described.
		recs := []upskill.Recommendation{{Candidate: got[1]}, {Candidate: got[0]}}
		must(t, s.DescribeCandidates(ctx, recs))
		if recs[0].Title != "Our records system" || recs[0].National || recs[0].OwnerName != f.orgA.Name || recs[0].Format != upskill.FormatLesson ||
			recs[1].Title != "Phishing" || !recs[1].National {
			t.Fatalf("described: %+v", recs)
		}
		// Once the person completes one, it is marked and its statement
		// counts as addressed.
		complete(f.adminA.ID, ours, a.ID)
		got, addressed, err = s.RecommendationCandidates(ctx, q)
		must(t, err)
		if !got[1].Completed || !addressed["2.1"] || got[0].Completed || got[1].PeersCompleted != 0 {
			t.Fatalf("after completing: %+v, addressed %v", got, addressed)
		}
		// A colleague who completes it again on renewal counts once; the
		// person themself is not their own colleague.
		colleague, err := s.AddMember(ctx, 0, f.orgA, store.MemberInput{Email: "renewer@example.org", Name: "Renewer", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		complete(colleague.Person.ID, ours, a.ID)
		complete(colleague.Person.ID, ours, a.ID)
		got, _, err = s.RecommendationCandidates(ctx, q)
		must(t, err)
		if got[1].PeersCompleted != 1 || got[0].PeersCompleted != 6 {
			t.Fatalf("colleagues' completions: %+v", got)
		}
		// Another organisation sees only national learning.
		q.PersonID, q.OrgIDs, q.HomeOrg = f.adminB.ID, []int64{b.ID}, b.ID
		q.Codes = []string{"2.1"}
		got, _, err = s.RecommendationCandidates(ctx, q)
		must(t, err)
		if len(got) != 0 {
			t.Fatalf("B sees A's private learning: %+v", got)
		}
	})
}

// TestRecommendationCandidatesFollowChanges checks that what an instance
// keeps of the published learning follows publishing and sharing made
// through another instance on the same database.
func TestRecommendationCandidatesFollowChanges(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			one, err := store.Open(ctx, dsn, store.Options{})
			must(t, err)
			defer one.Close()
			must(t, one.Migrate(ctx, nil))
			other, err := store.Open(ctx, dsn, store.Options{})
			must(t, err)
			defer other.Close()

			f := newFixture(t, one)
			v := loadSmall(t, one)
			a, b := f.orgA.Ref(), f.orgB.Ref()
			q := store.CandidateQuery{PersonID: f.adminB.ID, OrgIDs: []int64{b.ID}, HomeOrg: b.ID, FrameworkID: v.FrameworkID,
				Codes: []string{"1.1"}, Since: time.Now().Add(-time.Hour)}
			items := func() []int64 {
				t.Helper()
				got, _, err := other.RecommendationCandidates(ctx, q)
				must(t, err)
				var ids []int64
				for _, c := range got {
					ids = append(ids, c.ItemID)
				}
				return ids
			}
			if got := items(); len(got) != 0 {
				t.Fatalf("before anything is published: %v", got)
			}
			id, err := one.CreateContent(ctx, 0, a, upskill.VisibleOwner, lesson(v, "Riverside's records system"))
			must(t, err)
			must(t, one.PublishContent(ctx, 0, a.ID, id))
			if got := items(); len(got) != 0 {
				t.Fatalf("B finds A's own learning: %v", got)
			}
			must(t, one.ShareContent(ctx, 0, a.ID, id, upskill.VisibleNamed, []int64{b.ID}))
			if got := items(); len(got) != 1 || got[0] != id {
				t.Fatalf("after A shares it with B: %v", got)
			}
			must(t, one.ShareContent(ctx, 0, a.ID, id, upskill.VisibleOwner, nil))
			if got := items(); len(got) != 0 {
				t.Fatalf("after A stops sharing it: %v", got)
			}
			national, err := one.CreateContent(ctx, 0, f.nation.Ref(), upskill.VisibleEveryone, lesson(v, "Locking your screen"))
			must(t, err)
			must(t, one.PublishContent(ctx, 0, f.nation.ID, national))
			if got := items(); len(got) != 1 || got[0] != national {
				t.Fatalf("after national learning is published: %v", got)
			}
		})
	}
}
