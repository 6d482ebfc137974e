package web

import (
	"context"
	"net/http"

	"upskill"
	"upskill/store"
)

// RecommendedView is learning ranked for the person from the gaps of
// their latest assessment.
type RecommendedView struct {
	Page
	Assessed        bool // they have a submitted assessment
	Gaps            int
	Recommendations []upskill.Recommendation
}

// recommendationLimit is how many recommendations the page shows.
const recommendationLimit = 10

func (s *Server) recommended(w http.ResponseWriter, r *request) error {
	v := &RecommendedView{}
	v.Title = "Learning recommended for you"
	v.Crumbs = []Crumb{{"Home", "/home"}}
	recs, gaps, assessed, err := s.Recommendations(r.Context(), r.actor, recommendationLimit)
	if err != nil {
		return err
	}
	v.Recommendations, v.Gaps, v.Assessed = recs, gaps, assessed
	return s.render(w, r, http.StatusOK, "recommended.html", v, &v.Page)
}

// Recommendations ranks learning for a person from their latest submitted
// assessment on the default framework. It reports how many gaps that
// assessment showed, and false when there is no assessment.
func (s *Server) Recommendations(ctx context.Context, actor *upskill.Actor, limit int) ([]upskill.Recommendation, int, bool, error) {
	st, err := s.store.AssessmentStatus(ctx, actor.PersonID, s.cfg.FrameworkKey)
	if err != nil || st.LastID == 0 {
		return nil, 0, false, err
	}
	a, err := s.store.Attempt(ctx, actor.PersonID, st.LastID)
	if err != nil {
		return nil, 0, false, err
	}
	fv, err := s.store.Version(ctx, a.VersionID)
	if err != nil {
		return nil, 0, false, err
	}
	gaps := upskill.Gaps(fv, a.Answers)
	q := store.CandidateQuery{PersonID: actor.PersonID, OrgIDs: actor.LearningOrgs(), HomeOrg: actor.HomeOrg(a.OrganisationID),
		FrameworkID: fv.FrameworkID, Since: a.SubmittedAt}
	for _, g := range gaps {
		q.Codes = append(q.Codes, g.Code)
	}
	candidates, addressed, err := s.store.RecommendationCandidates(ctx, q)
	if err != nil {
		return nil, 0, true, err
	}
	in := upskill.RecommendInput{Gaps: gaps, Levels: fv.Levels, Candidates: candidates, Addressed: addressed, Limit: limit}
	if q.HomeOrg != 0 {
		if _, m, err := s.store.Member(ctx, q.HomeOrg, actor.PersonID); err == nil {
			in.StaffGroup, in.JobRole = m.StaffGroup, m.JobRole
		}
	}
	recs := upskill.Recommend(in)
	if err := s.store.DescribeCandidates(ctx, recs); err != nil {
		return nil, 0, true, err
	}
	return recs, len(gaps), true, nil
}
