package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// learningBulk is smallBulk with learning on the small framework v: a
// national lesson in two versions, a trust's private lesson, a trust's
// lesson shared with the care home, the care home's copy of the first
// version of the national lesson and a national link, with enrolments of
// a nurse of the trust (person -5) and a care worker of the home (-4).
func learningBulk(nationID int64, v *upskill.FrameworkVersion) *store.Bulk {
	b := smallBulk(nationID, 12)
	day := func(d int) time.Time { return time.Date(2024, 1, d, 9, 0, 0, 0, time.UTC) }
	lessonVersion := func(id int64, title string, published time.Time) upskill.ContentVersion {
		l := *lesson(v, title)
		l.ID, l.Status, l.PublishedAt = id, upskill.ContentPublished, published
		l.Mappings = []upskill.ContentMapping{{FrameworkID: v.FrameworkID, CapabilityCode: "1.2", Level: 2}}
		return l
	}
	national := []upskill.ContentVersion{lessonVersion(-1, "Spotting phishing emails", day(2)), lessonVersion(-2, "Spotting phishing emails and texts", day(20))}
	national[0].Status = upskill.ContentRetired
	national[1].Pages = append(slices.Clone(national[1].Pages), upskill.LessonPage{Title: "Texts", Body: "Texts can be fake too."})
	shared := lessonVersion(-4, "Finding results in the Kelbury patient record", day(5))
	shared.PassMark, shared.Mappings = 0, []upskill.ContentMapping{{FrameworkID: v.FrameworkID, CapabilityCode: "2.1", Level: 1}}
	copied := lessonVersion(-5, "Spotting phishing emails at Rowan House", day(25))
	b.Learning = []store.BulkItem{
		{Item: upskill.ContentItem{ID: -1, Owner: upskill.OrgRef{ID: nationID}, Visibility: upskill.VisibleEveryone},
			AuthorID: -14, Versions: national},
		{Item: upskill.ContentItem{ID: -2, Owner: upskill.OrgRef{ID: -2}, Visibility: upskill.VisibleOwner},
			AuthorID: -1, Versions: []upskill.ContentVersion{lessonVersion(-3, "Signing in to Kelbury wards with a smartcard", day(3))}},
		{Item: upskill.ContentItem{ID: -3, Owner: upskill.OrgRef{ID: -2}, Visibility: upskill.VisibleNamed, SharedWith: []upskill.SharedOrg{{ID: -3}}},
			Versions: []upskill.ContentVersion{shared}},
		{Item: upskill.ContentItem{ID: -4, Owner: upskill.OrgRef{ID: -3}, Visibility: upskill.VisibleOwner,
			CopiedFrom: &upskill.ContentOrigin{ItemID: -1, Version: 1}}, AuthorID: -2, Versions: []upskill.ContentVersion{copied}},
		{Item: upskill.ContentItem{ID: -5, Owner: upskill.OrgRef{ID: nationID}, Visibility: upskill.VisibleEveryone},
			Versions: []upskill.ContentVersion{{ID: -6, Status: upskill.ContentPublished, Title: "Cyber security videos",
				Summary: "Short videos about staying safe online.", Format: upskill.FormatLink, Minutes: 20,
				LinkURL: "https://learning.example.nhs.uk/cyber", PublishedAt: day(4),
				Mappings: []upskill.ContentMapping{{FrameworkID: v.FrameworkID, CapabilityCode: "1.1", Level: 1}}}}},
	}
	started := time.Date(2024, 3, 11, 10, 0, 0, 0, time.UTC)
	b.Enrolments = []upskill.Enrolment{
		// Complete on the version published then, answering right.
		{PersonID: -5, ItemID: -1, OrganisationID: -2, VersionID: -2, Status: upskill.Completed, PagesSeen: []int{3, 1, 2},
			Answers: map[string][]int{"2.1": {0}}, Seconds: 400, CreatedAt: started, CompletedAt: started.Add(7 * time.Minute)},
		// Part of the way through the trust's own lesson.
		{PersonID: -5, ItemID: -2, OrganisationID: -2, VersionID: -3, Status: upskill.Enrolled, PagesSeen: []int{1},
			Seconds: 90, CreatedAt: started.Add(time.Hour)},
		// A care worker does the lesson the trust shared, getting it wrong,
		// which is allowed without a pass mark.
		{PersonID: -4, ItemID: -3, OrganisationID: -3, VersionID: -4, Status: upskill.Completed, PagesSeen: []int{1, 2},
			Answers: map[string][]int{"2.1": {1}}, Seconds: 300, CreatedAt: started, CompletedAt: started.Add(time.Hour)},
		{PersonID: -4, ItemID: -4, VersionID: -5, Status: upskill.Enrolled, CreatedAt: started},
		{PersonID: -4, ItemID: -5, OrganisationID: -3, VersionID: -6, Status: upskill.Completed, CreatedAt: started, CompletedAt: started.Add(time.Hour)},
	}
	// The trust makes its smartcard lesson mandatory for its nurses, which
	// turned the nurse's own start on it into an assigned one; the ward
	// sister assigns the national link to everyone she line manages.
	b.Assignments = []store.Assignment{
		{ID: -1, OrganisationID: -2, ItemID: -2, StaffGroup: "nursing_midwifery", Mandatory: true, DueDays: 30, RenewMonths: 12,
			CreatedBy: -1, CreatedAt: started.Add(-time.Minute)},
		{ID: -2, OrganisationID: -2, ItemID: -5, LineManagerID: -1, DueDays: 14, CreatedBy: -1, CreatedAt: day(30)},
	}
	b.Enrolments[1].Assigned, b.Enrolments[1].AssignmentID = true, -1
	return b
}

// enrolmentRow is what the database holds of an enrolment apart from its
// id, times and item: the same progress stored either way must read the
// same.
func enrolmentRow(t *testing.T, s *store.Store, id int64) []string {
	t.Helper()
	return rawRows(t, s, `SELECT coalesce(organisation_id, 0), version_id, status, source, pages_seen, answers, score,
		due_at IS NULL, completed_at IS NULL FROM enrolments WHERE id = `+strconv.FormatInt(id, 10))
}

// longestWord is the first of the longest words of a title, which no
// engine's full-text search skips as too common.
func longestWord(title string) string {
	var out string
	for _, w := range strings.Fields(title) {
		if len(w) > len(out) {
			out = w
		}
	}
	return out
}

func TestBulkLearning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		v := loadSmall(t, s)
		b := learningBulk(nation.ID, v)
		must(t, s.BulkLoad(ctx, 0, b))

		trust, home := b.Organisations[1], b.Organisations[2]
		nurse := b.People[4]
		national, private, shared, copied, link := b.Learning[0], b.Learning[1], b.Learning[2], b.Learning[3], b.Learning[4]
		if national.Item.ID <= 0 || national.Versions[1].ID <= 0 || national.Versions[1].ItemID != national.Item.ID ||
			national.Item.Published != &b.Learning[0].Versions[1] || national.Versions[1].Mappings[0].DomainCode != "1" {
			t.Fatalf("national item after load: %+v", national.Item)
		}
		if shared.Item.SharedWith[0].ID != home.ID || shared.Item.SharedWith[0].Name != home.Name || private.Item.Owner.ID != trust.ID {
			t.Fatalf("ids after load: %+v, %+v", shared.Item, private.Item)
		}
		if o := copied.Item.CopiedFrom; o.ItemID != national.Item.ID || o.Title != "Spotting phishing emails" || o.OwnerName != "England" {
			t.Fatalf("copy's origin after load: %+v", o)
		}
		first := b.Enrolments[0]
		if first.ID <= 0 || first.PersonID != nurse.ID || first.ItemID != national.Item.ID || first.VersionID != national.Versions[1].ID ||
			first.Score != 100 || b.Enrolments[2].Score != 0 || !slices.Equal(first.PagesSeen, []int{1, 2, 3}) {
			t.Fatalf("enrolment after load: %+v", first)
		}

		// What the one-at-a-time methods read is what was loaded.
		item, err := s.ContentForOwner(ctx, home.ID, copied.Item.ID)
		must(t, err)
		if item.Published == nil || item.Published.Title != "Spotting phishing emails at Rowan House" || item.Published.Number != 1 ||
			item.CopiedFrom == nil || item.CopiedFrom.Version != 1 || item.CopiedFrom.OwnerName != "England" {
			t.Fatalf("copy as stored: %+v", item)
		}
		item, err = s.VisibleContent(ctx, []int64{home.ID}, national.Item.ID)
		must(t, err)
		if item.Published.Number != 2 || len(item.Published.Pages) != 3 || item.Published.Mappings[0].CapabilityCode != "1.2" || item.Draft != nil {
			t.Fatalf("national lesson as stored: %+v", item.Published)
		}
		old, err := s.ContentVersion(ctx, national.Item.ID, national.Versions[0].ID)
		must(t, err)
		if old.Status != upskill.ContentRetired || old.Title != "Spotting phishing emails" {
			t.Fatalf("first version as stored: %+v", old)
		}
		if _, err := s.VisibleContent(ctx, []int64{home.ID}, shared.Item.ID); err != nil {
			t.Fatalf("the home cannot find the lesson shared with it: %v", err)
		}
		wantCode(t, func() error { _, err := s.VisibleContent(ctx, []int64{home.ID}, private.Item.ID); return err }(), upskill.ENOTFOUND)

		// Every published version is in the catalogue's index, and each
		// organisation finds what it may.
		for _, it := range b.Learning {
			p := it.Versions[len(it.Versions)-1]
			word := longestWord(p.Title)
			page, err := s.Catalogue(ctx, store.CatalogueQuery{OrgIDs: []int64{it.Item.Owner.ID}, Text: word})
			must(t, err)
			if !slices.ContainsFunc(page.Entries, func(e store.CatalogueEntry) bool { return e.VersionID == p.ID }) {
				t.Errorf("searching for %q does not find %q", word, p.Title)
			}
		}
		for _, c := range []struct {
			org  int64
			want []int64
		}{
			{trust.ID, []int64{national.Item.ID, private.Item.ID, shared.Item.ID, link.Item.ID}},
			{home.ID, []int64{national.Item.ID, shared.Item.ID, copied.Item.ID, link.Item.ID}},
			{0, []int64{national.Item.ID, link.Item.ID}},
		} {
			page, err := s.Catalogue(ctx, store.CatalogueQuery{OrgIDs: []int64{c.org}})
			must(t, err)
			var got []int64
			for _, e := range page.Entries {
				got = append(got, e.ItemID)
			}
			slices.Sort(got)
			slices.Sort(c.want)
			if !slices.Equal(got, c.want) {
				t.Errorf("organisation %d finds %v, want %v", c.org, got, c.want)
			}
		}
		if s.Engine() == store.SQLite {
			if n := rawRows(t, s, `SELECT count(*) FROM content_search`); n[0] != "5" {
				t.Errorf("%s rows in the index, want 5", n[0])
			}
		}

		// A completion made one step at a time by a colleague stores the
		// same row as the loaded one.
		colleague := b.People[5]
		e, err := s.Enrol(ctx, colleague.ID, []int64{trust.ID}, trust.ID, national.Item.ID)
		must(t, err)
		for _, p := range []int{3, 1, 2} {
			must(t, s.SeePage(ctx, colleague.ID, e.ID, p))
		}
		must(t, s.SaveLessonAnswer(ctx, colleague.ID, e.ID, 2, 1, []int{0}))
		_, err = s.CompleteLearning(ctx, colleague.ID, e.ID)
		must(t, err)
		for _, pair := range [][2]int64{{first.ID, e.ID}} {
			if a, b := enrolmentRow(t, s, pair[0]), enrolmentRow(t, s, pair[1]); !slices.Equal(a, b) {
				t.Errorf("loaded completion %q, made one step at a time %q", a, b)
			}
		}
		// The learner's own list shows the loaded enrolments.
		rows, err := s.MyLearning(ctx, nurse.ID)
		must(t, err)
		if len(rows) != 2 || rows[0].Status != upskill.Enrolled || rows[0].Title != "Signing in to Kelbury wards with a smartcard" ||
			rows[1].Version != 2 || rows[1].Pages != 3 {
			t.Fatalf("the nurse's learning: %+v", rows)
		}
		c, err := s.CompletionOf(ctx, nurse.ID, first.ID)
		must(t, err)
		if !c.CompletedAt.Equal(first.CompletedAt) || c.Score != 100 || c.OrganisationName != trust.Name {
			t.Fatalf("completion as stored: %+v", c)
		}

		// Assigned learning: the assignments as the trust lists them, the
		// nurse's enrolment assigned and mandatory with its due date, and
		// the reminders the sweep would have queued long ago recorded, so
		// that none is sent now.
		list, err := s.Assignments(ctx, trust.ID, 0)
		must(t, err)
		if len(list) != 2 || list[0].Who() != "Everyone in the staff group Nursing and midwifery (registered)" || list[0].Enrolled != 1 ||
			!list[0].Mandatory || list[1].Who() != "Everyone Person 1 line manages" || list[1].Enrolled != 0 {
			t.Fatalf("the trust's assignments: %+v", list)
		}
		assigned := b.Enrolments[1]
		if assigned.AssignmentID != list[0].ID || !assigned.DueAt.Equal(assigned.CreatedAt.AddDate(0, 0, 30)) {
			t.Fatalf("assigned enrolment after load: %+v", assigned)
		}
		want := strconv.FormatInt(list[0].ID, 10)
		if row := rawRows(t, s, `SELECT source, mandatory, assignment_id FROM enrolments WHERE id = `+strconv.FormatInt(assigned.ID, 10)); row[0] != "assigned|1|"+want && row[0] != "assigned|true|"+want {
			t.Fatalf("assigned enrolment as stored: %q", row)
		}
		if n := rawRows(t, s, `SELECT count(*) FROM reminders WHERE enrolment_id = `+strconv.FormatInt(assigned.ID, 10)); n[0] != "2" {
			t.Fatalf("%s reminders recorded for the overdue enrolment, want both", n[0])
		}
		queued, err := s.QueueReminders(ctx, store.ReminderLead, 100, func(context.Context, *sql.Tx, []store.ReminderJob) error { return nil })
		must(t, err)
		if queued != 0 {
			t.Fatalf("the first sweep after the load queued %d reminders about the past", queued)
		}
		// The sweep enrols the rest of the people the assignments cover:
		// the trust's six other nurses and the ward sister herself for the
		// lesson, the ward sister's seven nurses for the link.
		if n, err := s.ApplyAssignments(ctx); err != nil || n != 14 {
			t.Fatalf("the sweep after the load enrolled %d (%v), want 14", n, err)
		}

		events, err := s.AuditEvents(ctx, nation.ID, 1)
		must(t, err)
		if !strings.HasSuffix(events[0].Detail, ", 5 learning items, 5 enrolments, 2 assignments") {
			t.Errorf("audit detail: %q", events[0].Detail)
		}
	})
}

func TestBulkLearningRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		nation, err := s.EnsureNation(ctx, "England")
		must(t, err)
		v := loadSmall(t, s)
		cases := []struct {
			name  string
			spoil func(b *store.Bulk)
		}{
			{"item with a stored id", func(b *store.Bulk) { b.Learning[1].Item.ID = 7 }},
			{"item id twice", func(b *store.Bulk) { b.Learning[1].Item.ID = -1 }},
			{"owned by a region", func(b *store.Bulk) { b.Learning[1].Item.Owner.ID = -1 }},
			// Stored organisations are checked in the load's transaction,
			// after the enrolments that would refer to them are gone.
			{"owned by nothing stored", func(b *store.Bulk) { b.Learning[1].Item.Owner.ID, b.Enrolments = 999999, nil }},
			{"unknown visibility", func(b *store.Bulk) { b.Learning[1].Item.Visibility = "friends" }},
			{"named without organisations", func(b *store.Bulk) { b.Learning[2].Item.SharedWith = nil }},
			{"shared with its owner", func(b *store.Bulk) { b.Learning[2].Item.SharedWith[0].ID = -2 }},
			{"shared with nothing stored", func(b *store.Bulk) { b.Learning[2].Item.SharedWith[0].ID, b.Enrolments = 999999, nil }},
			{"shared with the nation", func(b *store.Bulk) { b.Learning[2].Item.SharedWith[0].ID, b.Enrolments = nation.ID, nil }},
			{"shared but private", func(b *store.Bulk) { b.Learning[2].Item.Visibility = upskill.VisibleOwner }},
			{"copy of a later item", func(b *store.Bulk) { b.Learning[3].Item.CopiedFrom.ItemID = -5 }},
			{"copy of a version that is not there", func(b *store.Bulk) { b.Learning[3].Item.CopiedFrom.Version = 3 }},
			{"author not loaded", func(b *store.Bulk) { b.Learning[0].AuthorID = -99 }},
			{"no versions", func(b *store.Bulk) { b.Learning[1].Versions = nil }},
			{"two published versions", func(b *store.Bulk) { b.Learning[0].Versions[0].Status = upskill.ContentPublished }},
			{"a draft", func(b *store.Bulk) { b.Learning[1].Versions[0].Status = upskill.ContentDraft }},
			{"numbered out of place", func(b *store.Bulk) { b.Learning[0].Versions[1].Number = 3 }},
			{"version id twice", func(b *store.Bulk) { b.Learning[1].Versions[0].ID = -1 }},
			{"not ready to publish", func(b *store.Bulk) { b.Learning[1].Versions[0].Summary = "" }},
			{"no publication time", func(b *store.Bulk) { b.Learning[1].Versions[0].PublishedAt = time.Time{} }},
			{"revision published first", func(b *store.Bulk) {
				b.Learning[0].Versions[1].PublishedAt = b.Learning[0].Versions[0].PublishedAt
			}},
			{"statement not in the framework", func(b *store.Bulk) { b.Learning[1].Versions[0].Mappings[0].CapabilityCode = "9.9" }},
			{"level above the top", func(b *store.Bulk) { b.Learning[1].Versions[0].Mappings[0].Level = 5 }},
			{"framework not stored", func(b *store.Bulk) { b.Learning[1].Versions[0].Mappings[0].FrameworkID = 999999 }},
			{"enrolment of a person not loaded", func(b *store.Bulk) { b.Enrolments[0].PersonID = 1 }},
			{"enrolment on an item not loaded", func(b *store.Bulk) { b.Enrolments[0].ItemID = -99 }},
			{"version of another item", func(b *store.Bulk) { b.Enrolments[0].VersionID = -3 }},
			{"for an organisation the person is not in", func(b *store.Bulk) { b.Enrolments[0].OrganisationID = -3 }},
			{"learning the person may not find", func(b *store.Bulk) { b.Enrolments[3].PersonID = -5 }},
			{"private learning of another organisation", func(b *store.Bulk) {
				b.Enrolments[1].PersonID, b.Enrolments[1].OrganisationID = -4, -3
			}},
			{"started before publication", func(b *store.Bulk) { b.Enrolments[0].CreatedAt = time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC) }},
			{"on a replaced version", func(b *store.Bulk) { b.Enrolments[0].VersionID = -1 }},
			{"no start", func(b *store.Bulk) { b.Enrolments[1].CreatedAt = time.Time{} }},
			{"page not in the lesson", func(b *store.Bulk) { b.Enrolments[1].PagesSeen = []int{4} }},
			{"page seen twice", func(b *store.Bulk) { b.Enrolments[0].PagesSeen = []int{1, 2, 2, 3} }},
			{"pages of a link", func(b *store.Bulk) { b.Enrolments[4].PagesSeen = []int{1} }},
			{"answer to no question", func(b *store.Bulk) { b.Enrolments[0].Answers = map[string][]int{"1.1": {0}} }},
			{"answer key not a question", func(b *store.Bulk) { b.Enrolments[0].Answers = map[string][]int{"02.1": {0}} }},
			{"two answers to a single question", func(b *store.Bulk) { b.Enrolments[0].Answers["2.1"] = []int{0, 1} }},
			{"complete without every page", func(b *store.Bulk) { b.Enrolments[0].PagesSeen = []int{1, 2} }},
			{"complete below the pass mark", func(b *store.Bulk) { b.Enrolments[0].Answers["2.1"] = []int{1} }},
			{"complete without a time", func(b *store.Bulk) { b.Enrolments[0].CompletedAt = time.Time{} }},
			{"completed before started", func(b *store.Bulk) { b.Enrolments[0].CompletedAt = b.Enrolments[0].CreatedAt.Add(-time.Minute) }},
			{"in progress with a completion time", func(b *store.Bulk) { b.Enrolments[1].CompletedAt = b.Enrolments[1].CreatedAt }},
			{"two open on one item", func(b *store.Bulk) {
				b.Enrolments = append(b.Enrolments, b.Enrolments[1])
			}},
			{"unknown status", func(b *store.Bulk) { b.Enrolments[1].Status = "paused" }},
			{"due without being assigned", func(b *store.Bulk) {
				b.Enrolments[1].Assigned, b.Enrolments[1].AssignmentID, b.Enrolments[1].DueAt = false, 0, b.Enrolments[1].CreatedAt
			}},
			{"assignment with a stored id", func(b *store.Bulk) { b.Assignments[0].ID = 3 }},
			{"assignment id twice", func(b *store.Bulk) { b.Assignments[1].ID = -1 }},
			{"assignment for two kinds of group", func(b *store.Bulk) { b.Assignments[0].JobRole = "Staff nurse" }},
			{"assignment for no one", func(b *store.Bulk) { b.Assignments[1].LineManagerID = 0 }},
			{"assignment due in no days", func(b *store.Bulk) { b.Assignments[0].DueDays = 0 }},
			{"assignment by a region", func(b *store.Bulk) { b.Assignments[0].OrganisationID = -1 }},
			{"assignment of learning not loaded", func(b *store.Bulk) { b.Assignments[0].ItemID = -99 }},
			{"assignment of another organisation's private learning", func(b *store.Bulk) {
				b.Assignments[0].OrganisationID, b.Assignments[0].CreatedBy, b.Enrolments[1].AssignmentID, b.Enrolments[1].Assigned = -3, 0, 0, false
			}},
			{"assignment to someone of another organisation", func(b *store.Bulk) { b.Assignments[1].LineManagerID = -2 }},
			{"assignment to another organisation's unit", func(b *store.Bulk) { b.Assignments[0].StaffGroup, b.Assignments[0].UnitID = "", -3 }},
			{"assignment by someone not loaded", func(b *store.Bulk) { b.Assignments[0].CreatedBy = -99 }},
			{"assignment with no time", func(b *store.Bulk) { b.Assignments[0].CreatedAt = time.Time{} }},
			{"enrolment of an assignment not loaded", func(b *store.Bulk) { b.Enrolments[1].AssignmentID = -9 }},
			{"enrolment of an assignment but not assigned", func(b *store.Bulk) { b.Enrolments[1].Assigned = false }},
			{"enrolment of another item's assignment", func(b *store.Bulk) { b.Enrolments[1].AssignmentID = -2 }},
		}
		for _, c := range cases {
			b := learningBulk(nation.ID, v)
			c.spoil(b)
			if err := s.BulkLoad(ctx, 0, b); upskill.ErrorCode(err) != upskill.EINVALID {
				t.Errorf("%s: error %v, want %s", c.name, err, upskill.EINVALID)
			}
		}
		if n := rawRows(t, s, `SELECT count(*) FROM content_items`); n[0] != "0" {
			t.Fatalf("refused loads left %s learning items behind", n[0])
		}
		// The same rows, unspoilt, load; a completed enrolment may sit
		// beside an open one on the same item.
		b := learningBulk(nation.ID, v)
		b.Enrolments = append(b.Enrolments, upskill.Enrolment{PersonID: -5, ItemID: -1, OrganisationID: -2, VersionID: -2,
			Status: upskill.Enrolled, CreatedAt: b.Enrolments[0].CompletedAt.Add(time.Hour)})
		must(t, s.BulkLoad(ctx, 0, b))
	})
}
