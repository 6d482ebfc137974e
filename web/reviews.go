package web

import (
	"fmt"
	"net/http"
	"strconv"

	"upskill"
	"upskill/store"
)

// A learner shares a submitted attempt with their line manager, who may
// agree with each rating or ask to talk it over, and sign the assessment
// off. The learner sees the outcome on their report.

func reviewURL(attemptID int64) string { return "/reviews/" + strconv.FormatInt(attemptID, 10) }

func (s *Server) shareAttempt(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("attempt")
	if err != nil {
		return err
	}
	if err := s.store.ShareAttempt(r.Context(), r.actor.PersonID, id); err != nil {
		if code := upskill.ErrorCode(err); code == upskill.EINVALID || code == upskill.ECONFLICT {
			s.setFlash(w, upskill.ErrorMessage(err))
			return redirect(w, r, attemptURL(id)+"/report")
		}
		return err
	}
	s.setFlash(w, "Your assessment has been shared with your line manager for review.")
	return redirect(w, r, attemptURL(id)+"/report")
}

// ReviewsView lists the assessments a supervisor was asked to review.
type ReviewsView struct {
	Page
	Reviews []store.ReviewSummary
}

func (s *Server) reviews(w http.ResponseWriter, r *request) error {
	list, err := s.store.ReviewsFor(r.Context(), r.actor.PersonID)
	if err != nil {
		return err
	}
	v := &ReviewsView{Reviews: list}
	v.Title = "Assessments to review"
	v.Crumbs = []Crumb{{"Home", "/home"}}
	return s.render(w, r, http.StatusOK, "reviews.html", v, &v.Page)
}

// ReviewView is a supervisor's review of one attempt.
type ReviewView struct {
	Page
	Review  *upskill.Review
	Attempt *upskill.Attempt
	Report  upskill.Report
	Domains []ReviewDomain
	SignOff *Form
}

// ReviewDomain is one domain's ratings on the review page.
type ReviewDomain struct {
	Name string
	Rows []ReviewRow
}

// ReviewRow is one rating to agree with or talk over.
type ReviewRow struct {
	Statement string
	Rating    string
	Outcome   Field
	Comment   Field
	Done      *upskill.RatingReview
}

func (s *Server) review(w http.ResponseWriter, r *request) error {
	return s.showReview(w, r, http.StatusOK, nil, newForm(nil))
}

func (s *Server) showReview(w http.ResponseWriter, r *request, status int, ratings, signOff *Form) error {
	ctx := r.Context()
	id, err := r.pathID("attempt")
	if err != nil {
		return err
	}
	rev, a, err := s.store.ReviewFor(ctx, r.actor.PersonID, id)
	if err != nil {
		return err
	}
	v, err := s.store.Version(ctx, a.VersionID)
	if err != nil {
		return err
	}
	if ratings == nil {
		ratings = newForm(nil)
		for _, rr := range rev.Ratings {
			ratings.Values.Set(fmt.Sprintf("outcome-%d", rr.CapabilityID), string(rr.Outcome))
			ratings.Values.Set(fmt.Sprintf("comment-%d", rr.CapabilityID), rr.Comment)
		}
	}
	view := &ReviewView{Review: rev, Attempt: a, Report: upskill.Score(v, a.Answers, a.Checks), SignOff: signOff}
	outcomes := []Option{{Value: string(upskill.RatingConfirmed), Label: "I agree"}, {Value: string(upskill.RatingRejected), Label: "Let us talk it over"}}
	for _, d := range v.Domains {
		rd := ReviewDomain{Name: d.Name}
		for i := range d.Capabilities {
			c := &d.Capabilities[i]
			row := ReviewRow{Statement: c.Statement}
			if ans, ok := a.Answer(c.ID); ok {
				row.Rating = describeRating(c, v.Levels, ans)
			}
			name := fmt.Sprintf("outcome-%d", c.ID)
			row.Outcome = options(field(ratings, name, "label", "Your view of this rating", "class", "inline"), ratings, outcomes)
			row.Comment = field(ratings, fmt.Sprintf("comment-%d", c.ID), "label", "Comment (needed if you want to talk it over)", "autocomplete", "off")
			if rr, ok := rev.Rating(c.ID); ok {
				row.Done = &rr
			}
			rd.Rows = append(rd.Rows, row)
		}
		view.Domains = append(view.Domains, rd)
	}
	view.Title = "Review: " + rev.LearnerName
	view.Form = ratings
	if signOff.HasErrors() {
		view.Form = signOff
	}
	view.Crumbs = []Crumb{{"Home", "/home"}, {"Assessments to review", "/reviews"}}
	return s.render(w, r, status, "review.html", view, &view.Page)
}

func (s *Server) saveReview(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("attempt")
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	var in []store.RatingInput
	for key := range f.Values {
		var capID int64
		if _, err := fmt.Sscanf(key, "outcome-%d", &capID); err != nil || f.Get(key) == "" {
			continue
		}
		in = append(in, store.RatingInput{CapabilityID: capID, Outcome: upskill.RatingOutcome(f.Get(key)),
			Comment: f.Get(fmt.Sprintf("comment-%d", capID))})
	}
	if len(in) == 0 {
		f.Add("", "Choose your view of at least one rating, or sign the assessment off")
		return s.showReview(w, r, http.StatusUnprocessableEntity, f, newForm(nil))
	}
	if err := s.store.SaveRatingReviews(r.Context(), r.actor.PersonID, id, in); err != nil {
		if f.absorb(err) {
			return s.showReview(w, r, http.StatusUnprocessableEntity, f, newForm(nil))
		}
		return err
	}
	s.setFlash(w, "Your review has been saved. The learner can see it on their report.")
	return redirect(w, r, reviewURL(id))
}

func (s *Server) signOff(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("attempt")
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	if err := s.store.SignOff(r.Context(), r.actor.PersonID, id, f.Get("comment")); err != nil {
		if f.absorb(err) {
			return s.showReview(w, r, http.StatusUnprocessableEntity, nil, f)
		}
		return err
	}
	s.setFlash(w, "You have signed the assessment off.")
	return redirect(w, r, reviewURL(id))
}
