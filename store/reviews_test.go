package store_test

import (
	"testing"
	"time"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

func TestReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		sup, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "sup@example.org", Name: "Sam", Roles: upskill.RoleSet(upskill.RoleSupervisor)})
		must(t, err)
		lonely, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "lonely@example.org", Name: "Lou", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		nina, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "nina@example.org", Name: "Nina", Roles: upskill.RoleSet(upskill.RoleLearner),
			StaffAttributes: upskill.StaffAttributes{LineManagerID: sup.Person.ID}})
		must(t, err)
		submit := func(personID int64) int64 {
			a, _, err := s.StartAttempt(ctx, personID, f.orgA.ID, "small")
			must(t, err)
			for _, c := range v.Capabilities() {
				must(t, s.SaveAnswer(ctx, personID, a.ID, upskill.Answer{CapabilityID: c.ID, Now: 1, Needed: 1}))
			}
			_, err = s.SubmitAttempt(ctx, personID, a.ID)
			must(t, err)
			return a.ID
		}
		mine := submit(nina.Person.ID)
		theirs := submit(lonely.Person.ID)

		// No line manager, someone else's attempt, twice: all refused.
		wantCode(t, s.ShareAttempt(ctx, lonely.Person.ID, theirs), upskill.EINVALID)
		wantCode(t, s.ShareAttempt(ctx, nina.Person.ID, theirs), upskill.ENOTFOUND)
		must(t, s.ShareAttempt(ctx, nina.Person.ID, mine))
		wantCode(t, s.ShareAttempt(ctx, nina.Person.ID, mine), upskill.ECONFLICT)

		list, err := s.ReviewsFor(ctx, sup.Person.ID)
		must(t, err)
		if len(list) != 1 || list[0].LearnerName != "Nina" || list[0].Status != upskill.ReviewRequested {
			t.Fatalf("reviews: %+v", list)
		}
		// Only the supervisor asked finds the review.
		_, _, err = s.ReviewFor(ctx, f.adminA.ID, mine)
		wantCode(t, err, upskill.ENOTFOUND)
		r, a, err := s.ReviewFor(ctx, sup.Person.ID, mine)
		must(t, err)
		if r.LearnerName != "Nina" || len(a.Answers) != 4 {
			t.Fatalf("review %+v, attempt %+v", r, a)
		}

		caps := v.Capabilities()
		// A rejection without a reason, and an unknown statement, save nothing.
		err = s.SaveRatingReviews(ctx, sup.Person.ID, mine, []store.RatingInput{
			{CapabilityID: caps[0].ID, Outcome: upskill.RatingConfirmed},
			{CapabilityID: caps[1].ID, Outcome: upskill.RatingRejected},
		})
		wantCode(t, err, upskill.EINVALID)
		err = s.SaveRatingReviews(ctx, sup.Person.ID, mine, []store.RatingInput{{CapabilityID: 999999, Outcome: upskill.RatingConfirmed}})
		wantCode(t, err, upskill.EINVALID)
		wantCode(t, s.SaveRatingReviews(ctx, f.adminA.ID, mine, []store.RatingInput{{CapabilityID: caps[0].ID, Outcome: upskill.RatingConfirmed}}), upskill.ENOTFOUND)
		r, err = s.ReviewOf(ctx, nina.Person.ID, mine)
		must(t, err)
		if len(r.Ratings) != 0 {
			t.Fatalf("a refused review saved: %+v", r.Ratings)
		}

		must(t, s.SaveRatingReviews(ctx, sup.Person.ID, mine, []store.RatingInput{
			{CapabilityID: caps[0].ID, Outcome: upskill.RatingConfirmed},
			{CapabilityID: caps[1].ID, Outcome: upskill.RatingRejected, Comment: "  You showed me this last week; I think you are higher. "},
		}))
		wantCode(t, s.SignOff(ctx, f.adminA.ID, mine, ""), upskill.ENOTFOUND)
		must(t, s.SignOff(ctx, sup.Person.ID, mine, "Good progress."))
		wantCode(t, s.SignOff(ctx, sup.Person.ID, mine, ""), upskill.ECONFLICT)
		wantCode(t, s.SaveRatingReviews(ctx, sup.Person.ID, mine, []store.RatingInput{{CapabilityID: caps[0].ID, Outcome: upskill.RatingRejected, Comment: "x"}}), upskill.ECONFLICT)

		// The learner sees who did what, and when.
		r, err = s.ReviewOf(ctx, nina.Person.ID, mine)
		must(t, err)
		rej, ok := r.Rating(caps[1].ID)
		if r.Status != upskill.ReviewSignedOff || r.Comment != "Good progress." || r.SignedOffAt.IsZero() || !ok ||
			rej.Outcome != upskill.RatingRejected || rej.ReviewerName != "Sam" || rej.Comment != "You showed me this last week; I think you are higher." {
			t.Fatalf("review as the learner sees it: %+v", r)
		}
		_, err = s.ReviewOf(ctx, lonely.Person.ID, mine)
		wantCode(t, err, upskill.ENOTFOUND)
		events, err := s.AuditEvents(ctx, f.orgA.ID, 50)
		must(t, err)
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Action] = true
		}
		if !seen["share_attempt"] || !seen["review_ratings"] || !seen["sign_off_attempt"] {
			t.Fatalf("audit events: %+v", events)
		}
	})
}

func TestReassessmentsComeRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
		s = storetest.Open(t, s.Engine(), store.Options{Now: func() time.Time { return now }})
		f := newFixture(t, s)
		v := loadSmall(t, s)
		must(t, s.UpdateOrganisation(ctx, 0, f.orgA, upskill.OrganisationInput{Name: f.orgA.Name, Type: f.orgA.Type, ReassessMonths: 12}))
		nina, err := s.AddMember(ctx, 0, f.orgA, store.MemberInput{Email: "nina@example.org", Name: "Nina", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		b, err := s.AddMember(ctx, 0, f.orgB, store.MemberInput{Email: "bea@example.org", Name: "Bea", Roles: upskill.RoleSet(upskill.RoleLearner)})
		must(t, err)
		submit := func(personID, orgID int64) int64 {
			a, _, err := s.StartAttempt(ctx, personID, orgID, "small")
			must(t, err)
			for _, c := range v.Capabilities() {
				must(t, s.SaveAnswer(ctx, personID, a.ID, upskill.Answer{CapabilityID: c.ID, Now: 1, Needed: 1}))
			}
			_, err = s.SubmitAttempt(ctx, personID, a.ID)
			must(t, err)
			return a.ID
		}
		first := submit(nina.Person.ID, f.orgA.ID)
		submit(b.Person.ID, f.orgB.ID) // B has no cycle

		due, err := s.NextDue(ctx, nina.Person.ID, first)
		must(t, err)
		if !due.Equal(now.AddDate(1, 0, 0)) {
			t.Fatalf("next due %v", due)
		}
		now = now.AddDate(0, 11, 0)
		list, err := s.DueReassessments(ctx, "small", 100)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("due after 11 months: %+v", list)
		}
		now = now.AddDate(0, 1, 1)
		list, err = s.DueReassessments(ctx, "small", 100)
		must(t, err)
		if len(list) != 1 || list[0].PersonID != nina.Person.ID || list[0].Email != "nina@example.org" || list[0].AttemptID != first {
			t.Fatalf("due after a year: %+v", list)
		}
		ok, err := s.ClaimReassessment(ctx, list[0])
		must(t, err)
		again, err := s.ClaimReassessment(ctx, list[0])
		must(t, err)
		if !ok || again {
			t.Fatalf("claims: %v then %v", ok, again)
		}
		list, err = s.DueReassessments(ctx, "small", 100)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("invited twice: %+v", list)
		}
		// Taking it again starts the next cycle.
		submit(nina.Person.ID, f.orgA.ID)
		now = now.AddDate(1, 0, 1)
		list, err = s.DueReassessments(ctx, "small", 100)
		must(t, err)
		if len(list) != 1 || list[0].AttemptID == first {
			t.Fatalf("the second cycle: %+v", list)
		}
		must(t, s.ReleaseReassessment(ctx, list[0]))
		// Someone who does not want invitations is not invited.
		must(t, s.SetEmailChoices(ctx, nina.Person.ID, store.EmailChoices{DueSoon: true, Overdue: true}))
		list, err = s.DueReassessments(ctx, "small", 100)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("invited against their choice: %+v", list)
		}
	})
}
