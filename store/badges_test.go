package store_test

import (
	"fmt"
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// TestIssueBadges issues badges for a completion and for a domain of an
// attempt: each gets its own bit of the first status list, asking again
// gives the same badge, and nothing is issued for someone else's
// completion or attempt, or for an attempt still in progress. A revoked
// badge's bit is listed, and only its organisation can revoke it.
func TestIssueBadges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		a := f.orgA.Ref()
		l := lesson(v, "Locking your screen")
		l.PassMark = 0
		item, err := s.CreateContent(ctx, 0, a, upskill.VisibleOwner, l)
		must(t, err)
		must(t, s.PublishContent(ctx, 0, a.ID, item))
		me := f.adminA.ID
		e, err := s.Enrol(ctx, me, []int64{a.ID}, a.ID, item)
		must(t, err)
		must(t, s.SeePage(ctx, me, e.ID, 1))
		must(t, s.SeePage(ctx, me, e.ID, 2))

		var signed []string
		sign := func(list, index int) (string, error) {
			tok := fmt.Sprintf("token-%d-%d", list, index)
			signed = append(signed, tok)
			return tok, nil
		}
		now := time.Now().UTC()
		// Not yet completed: nothing to award.
		_, err = s.IssueBadge(ctx, store.Badge{ID: "b1", EnrolmentID: e.ID, PersonID: me, Title: "Locking your screen", IssuedAt: now}, sign)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.CompleteLearning(ctx, me, e.ID)
		must(t, err)
		// Someone else's completion: nothing.
		_, err = s.IssueBadge(ctx, store.Badge{ID: "b1", EnrolmentID: e.ID, PersonID: f.adminB.ID, Title: "x", IssuedAt: now}, sign)
		wantCode(t, err, upskill.ENOTFOUND)
		b, err := s.IssueBadge(ctx, store.Badge{ID: "b1", EnrolmentID: e.ID, PersonID: me, Title: "Locking your screen", IssuedAt: now}, sign)
		must(t, err)
		if b.StatusList != 1 || b.Token != fmt.Sprintf("token-1-%d", b.StatusIndex) || b.OrganisationID != a.ID || b.Title != "Locking your screen" {
			t.Fatalf("badge: %+v", b)
		}
		again, err := s.IssueBadge(ctx, store.Badge{ID: "b2", EnrolmentID: e.ID, PersonID: me, Title: "Locking your screen", IssuedAt: now}, sign)
		must(t, err)
		if again.ID != "b1" {
			t.Fatalf("a second badge for one completion: %+v", again)
		}

		// A domain of an attempt: only once it is submitted, only its owner.
		att, _, err := s.StartAttempt(ctx, me, a.ID, "small")
		must(t, err)
		domain := store.Badge{ID: "d1", AttemptID: att.ID, DomainCode: "1", PersonID: me, Title: "Domain one", IssuedAt: now}
		_, err = s.IssueBadge(ctx, domain, sign)
		wantCode(t, err, upskill.ENOTFOUND)
		for _, c := range v.Capabilities() {
			must(t, s.SaveAnswer(ctx, me, att.ID, upskill.Answer{CapabilityID: c.ID, Now: 1, Needed: 1}))
		}
		_, err = s.SubmitAttempt(ctx, me, att.ID)
		must(t, err)
		stranger := domain
		stranger.PersonID = f.adminB.ID
		_, err = s.IssueBadge(ctx, stranger, sign)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.IssueBadge(ctx, store.Badge{ID: "d0", AttemptID: att.ID, EnrolmentID: e.ID, DomainCode: "1", PersonID: me, IssuedAt: now}, sign)
		wantCode(t, err, upskill.EINVALID)
		d, err := s.IssueBadge(ctx, domain, sign)
		must(t, err)
		if d.DomainCode != "1" || d.AttemptID != att.ID || d.StatusList != 1 || (d.StatusIndex == b.StatusIndex) {
			t.Fatalf("domain badge: %+v (the other at %d)", d, b.StatusIndex)
		}
		list, err := s.AttemptBadges(ctx, me, att.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != "d1" {
			t.Fatalf("attempt badges: %+v", list)
		}
		if mine, _ := s.AttemptBadges(ctx, f.adminB.ID, att.ID); len(mine) != 0 {
			t.Fatalf("someone else sees the attempt's badges: %+v", mine)
		}

		// Revocation sets the badge's bit; another organisation cannot.
		wantCode(t, s.RevokeBadge(ctx, f.adminB.ID, f.orgB.ID, d.ID, "Not ours"), upskill.ENOTFOUND)
		must(t, s.RevokeBadge(ctx, me, a.ID, d.ID, "Awarded in error"))
		revoked, err := s.RevokedInList(ctx, 1)
		must(t, err)
		if len(revoked) != 1 || revoked[0] != d.StatusIndex {
			t.Fatalf("revoked bits: %v, want [%d]", revoked, d.StatusIndex)
		}
		if n, _ := s.LastStatusList(ctx); n != 1 {
			t.Fatalf("status lists: %d", n)
		}
	})
}
