package store_test

import (
	"testing"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

// smallFramework has two domains, a levels question, a yes/no question and
// two knowledge checks.
func smallFramework() (upskill.Framework, *upskill.FrameworkVersion) {
	return upskill.Framework{Key: "small", Name: "Small framework"}, &upskill.FrameworkVersion{
		Title:  "Small framework, first edition",
		Levels: []upskill.FrameworkLevel{{Number: 1, Name: "Aware"}, {Number: 2, Name: "Practising"}, {Number: 3, Name: "Confident"}, {Number: 4, Name: "Leading"}},
		Bands:  []upskill.Band{{Name: "Developing", Min: 0}, {Name: "Capable", Min: 4}, {Name: "Proficient", Min: 7}},
		Domains: []upskill.Domain{
			{Code: "1", Name: "Safety", Capabilities: []upskill.Capability{
				{Code: "1.1", Statement: "I can lock my screen", Type: upskill.QuestionScale, Descriptors: []string{"a", "b", "c", "d"}},
				{Code: "1.2", Statement: "I can spot a phishing email", Type: upskill.QuestionScale},
			}},
			{Code: "2", Name: "Records", Capabilities: []upskill.Capability{
				{Code: "2.1", Statement: "I can find a record", Type: upskill.QuestionLevels, Descriptors: []string{"a", "b", "c", "d"}},
				{Code: "2.2", Statement: "I can share a record safely", Type: upskill.QuestionYesNo},
			}},
		},
		Questions: []upskill.CheckQuestion{
			{Code: "1.Q1", DomainCode: "1", CapabilityCode: "1.2", Kind: upskill.QuestionSingle, Prompt: "Which is safest?", Explanation: "Because.",
				Options: []upskill.CheckOption{{Text: "Report it", Correct: true}, {Text: "Click it"}}},
			{Code: "2.Q1", DomainCode: "2", Kind: upskill.QuestionMultiple, Prompt: "Which apply?", Explanation: "Because.",
				Options: []upskill.CheckOption{{Text: "A", Correct: true}, {Text: "B", Correct: true}, {Text: "C"}}},
		},
	}
}

func loadSmall(t *testing.T, s *store.Store) *upskill.FrameworkVersion {
	t.Helper()
	fw, v := smallFramework()
	stored, err := s.EnsureFramework(ctx, fw, v)
	must(t, err)
	if !stored {
		t.Fatal("the framework was not stored")
	}
	_, pv, err := s.PublishedVersion(ctx, "small")
	must(t, err)
	return pv
}

func TestFrameworkVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := loadSmall(t, s)
		if v.Number != 1 || v.Status != upskill.VersionPublished || len(v.Domains) != 2 || len(v.Domains[1].Capabilities) != 2 ||
			len(v.Questions) != 2 || len(v.Questions[1].Options) != 3 || v.Identifier == "" || v.Domains[0].Capabilities[0].Identifier == "" {
			t.Fatalf("loaded version: %+v", v)
		}
		if v.Domains[1].Capabilities[0].Type != upskill.QuestionLevels || len(v.Domains[0].Capabilities[0].Descriptors) != 4 || v.Questions[0].CapabilityCode != "1.2" {
			t.Fatalf("capability details lost: %+v", v.Domains)
		}
		// Loading again does nothing; a second version retires the first.
		fw, next := smallFramework()
		again, err := s.EnsureFramework(ctx, fw, next)
		must(t, err)
		if again {
			t.Fatal("the framework was stored twice")
		}
		next.Title = "Small framework, second edition"
		id, err := s.ImportVersion(ctx, 0, fw, next, true)
		must(t, err)
		_, pv, err := s.PublishedVersion(ctx, "small")
		must(t, err)
		if pv.ID != id || pv.Number != 2 {
			t.Fatalf("published: %+v", pv)
		}
		old, err := s.Version(ctx, v.ID)
		must(t, err)
		if old.Status != upskill.VersionRetired || old.Title != v.Title {
			t.Fatalf("the first version after the second: %+v", old)
		}
		// An invalid version is refused and writes nothing.
		bad := *next
		bad.Bands = nil
		_, err = s.ImportVersion(ctx, 0, fw, &bad, true)
		wantCode(t, err, upskill.EINVALID)
		list, err := s.Frameworks(ctx)
		must(t, err)
		if len(list) != 1 || list[0].Versions != 2 || list[0].PublishedNumber != 2 {
			t.Fatalf("frameworks: %+v", list)
		}
	})
}

func TestAttemptLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		nina, err := s.AddMember(ctx, f.adminA.ID, f.orgA, store.MemberInput{Email: "nina@example.org", Name: "Nina", Roles: upskill.RoleSet(upskill.RoleLearner),
			StaffAttributes: upskill.StaffAttributes{StaffGroup: "nursing_midwifery", JobRole: "Staff nurse", PayBand: "afc_5"}})
		must(t, err)
		me := nina.Person.ID

		_, _, err = s.StartAttempt(ctx, me, f.orgB.ID, "small")
		wantCode(t, err, upskill.EINVALID) // not a member of B
		a, isNew, err := s.StartAttempt(ctx, me, f.orgA.ID, "small")
		must(t, err)
		if !isNew || a.Status != upskill.AttemptInProgress || a.VersionID != v.ID {
			t.Fatalf("started: %+v", a)
		}
		again, isNew, err := s.StartAttempt(ctx, me, f.orgA.ID, "small")
		must(t, err)
		if isNew || again.ID != a.ID {
			t.Fatal("a second attempt started while one was open")
		}
		caps := v.Capabilities()
		must(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[0].ID, Now: 3, Needed: 8}))
		// Answering again replaces the answer.
		must(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[0].ID, Now: 4, Needed: 8}))

		// Bad answers are refused and write nothing.
		wantCode(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[1].ID, Now: 11, Needed: 5}), upskill.EINVALID)
		wantCode(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[2].ID, Now: 5, Needed: 1}), upskill.EINVALID) // 4 levels
		wantCode(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: 999999, Now: 1, Needed: 1}), upskill.EINVALID)
		wantCode(t, s.SaveCheck(ctx, me, a.ID, upskill.CheckAnswer{QuestionID: v.Questions[0].ID, Selected: []int64{999999}}), upskill.EINVALID)
		wantCode(t, s.SaveCheck(ctx, me, a.ID, upskill.CheckAnswer{QuestionID: v.Questions[0].ID}), upskill.EINVALID)
		// Someone else cannot answer, read or submit Nina's attempt.
		wantCode(t, s.SaveAnswer(ctx, f.adminA.ID, a.ID, upskill.Answer{CapabilityID: caps[1].ID, Now: 1, Needed: 1}), upskill.ENOTFOUND)
		_, err = s.Attempt(ctx, f.adminA.ID, a.ID)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.SubmitAttempt(ctx, f.adminA.ID, a.ID)
		wantCode(t, err, upskill.ENOTFOUND)
		// Submitting with statements unrated says how many are left.
		_, err = s.SubmitAttempt(ctx, me, a.ID)
		wantCode(t, err, upskill.EINVALID)

		got, err := s.Attempt(ctx, me, a.ID)
		must(t, err)
		if len(got.Answers) != 1 || got.Answers[0].Now != 4 {
			t.Fatalf("answers: %+v", got.Answers)
		}
		// The attempt was last changed by its latest answer.
		if !got.UpdatedAt.After(a.UpdatedAt) {
			t.Fatalf("updated at %v, started at %v", got.UpdatedAt, a.UpdatedAt)
		}

		must(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[1].ID, Now: 9, Needed: 9}))
		must(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[2].ID, Now: 2, Needed: 4}))
		must(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[3].ID, Now: 0, Needed: 1}))
		q2 := v.Questions[1]
		must(t, s.SaveCheck(ctx, me, a.ID, upskill.CheckAnswer{QuestionID: q2.ID, Selected: []int64{q2.Options[1].ID, q2.Options[0].ID}}))
		report, err := s.SubmitAttempt(ctx, me, a.ID)
		must(t, err)
		if report.Domains[0].Now != 6.5 || report.Domains[1].Now != 2.5 || report.Domains[1].ChecksCorrect != 1 || report.Domains[1].Calibration != upskill.CalibrationUnder {
			t.Fatalf("report: %+v", report.Domains)
		}
		// A submitted attempt never changes.
		_, err = s.SubmitAttempt(ctx, me, a.ID)
		wantCode(t, err, upskill.ECONFLICT)
		wantCode(t, s.SaveAnswer(ctx, me, a.ID, upskill.Answer{CapabilityID: caps[0].ID, Now: 10, Needed: 10}), upskill.ECONFLICT)

		history, err := s.Attempts(ctx, me, v.FrameworkID)
		must(t, err)
		if len(history) != 1 || history[0].Status != upskill.AttemptSubmitted || len(history[0].Domains) != 2 || history[0].OrganisationName != f.orgA.Name {
			t.Fatalf("history: %+v", history)
		}
		// The next attempt starts fresh; the first is kept.
		next, isNew, err := s.StartAttempt(ctx, me, f.orgA.ID, "small")
		must(t, err)
		if !isNew || next.ID == a.ID || len(next.Answers) != 0 {
			t.Fatalf("next attempt: %+v", next)
		}
	})
}
