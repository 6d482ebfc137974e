package store_test

import (
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// TestDraftsAndPublishing imports a draft beside the published version,
// reads each by number, and publishes the draft.
func TestDraftsAndPublishing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		first := loadSmall(t, s)
		fw, next := smallFramework()
		next.Title = "Small framework, draft"
		draftID, err := s.ImportVersion(ctx, 0, fw, next, false)
		must(t, err)
		_, pub, err := s.PublishedVersion(ctx, "small")
		must(t, err)
		if pub.ID != first.ID {
			t.Fatal("a draft replaced the published version")
		}
		_, draft, err := s.VersionByNumber(ctx, "small", 2)
		must(t, err)
		if draft.ID != draftID || draft.Status != upskill.VersionDraft || draft.Title != next.Title || len(draft.Capabilities()) != 4 {
			t.Fatalf("draft: %+v", draft)
		}
		_, _, err = s.VersionByNumber(ctx, "small", 3)
		wantCode(t, err, upskill.ENOTFOUND)
		_, _, err = s.VersionByNumber(ctx, "nothing", 1)
		wantCode(t, err, upskill.ENOTFOUND)

		wantCode(t, s.PublishVersion(ctx, 0, first.ID), upskill.ECONFLICT) // already published
		wantCode(t, s.PublishVersion(ctx, 0, 999999), upskill.ENOTFOUND)
		must(t, s.PublishVersion(ctx, 0, draftID))
		_, pub, err = s.PublishedVersion(ctx, "small")
		must(t, err)
		if pub.ID != draftID || pub.Status != upskill.VersionPublished {
			t.Fatalf("after publishing: %+v", pub)
		}
		fwRow, err := s.FrameworkByKey(ctx, "small")
		must(t, err)
		versions, err := s.Versions(ctx, fwRow.ID)
		must(t, err)
		if len(versions) != 2 || versions[0].Number != 2 || versions[0].Status != upskill.VersionPublished ||
			versions[1].Status != upskill.VersionRetired || versions[0].PublishedAt.IsZero() {
			t.Fatalf("versions: %+v", versions)
		}
	})
}

// TestUploads keeps an upload for its uploader only, and for a day.
func TestUploads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, base *store.Store) {
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s := storetest.Open(t, base.Engine(), store.Options{Now: func() time.Time { return now }})
		f := newFixture(t, s)
		id, err := s.SaveUpload(ctx, f.adminA.ID, store.Upload{FileName: "framework.xlsx", ContentType: "application/octet-stream", Body: []byte("PK\x03\x04\x00\xff")})
		must(t, err)
		u, err := s.UploadOf(ctx, f.adminA.ID, id)
		must(t, err)
		if u.FileName != "framework.xlsx" || string(u.Body) != "PK\x03\x04\x00\xff" {
			t.Fatalf("upload: %+v", u)
		}
		_, err = s.UploadOf(ctx, f.adminB.ID, id)
		wantCode(t, err, upskill.ENOTFOUND)
		must(t, s.DeleteUpload(ctx, f.adminB.ID, id)) // someone else's: nothing happens
		if _, err := s.UploadOf(ctx, f.adminA.ID, id); err != nil {
			t.Fatal("another person deleted the upload")
		}
		// A day later, the next upload clears it out.
		now = now.Add(25 * time.Hour)
		_, err = s.SaveUpload(ctx, f.adminB.ID, store.Upload{FileName: "b.csv", Body: []byte("a")})
		must(t, err)
		_, err = s.UploadOf(ctx, f.adminA.ID, id)
		wantCode(t, err, upskill.ENOTFOUND)
	})
}
