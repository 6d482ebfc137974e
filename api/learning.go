package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"upskill"
	"upskill/store"
)

// Learning is what the API needs from the server for learning beyond the
// store: the recommendations, certificates and badges, which need the
// server's keys and addresses. The server wires it in.
type Learning interface {
	Recommendations(ctx context.Context, actor *upskill.Actor, limit int) ([]upskill.Recommendation, int, bool, error)
	CertificatePDF(ctx context.Context, actor *upskill.Actor, enrolmentID int64) ([]byte, string, error)
	BadgeToken(ctx context.Context, actor *upskill.Actor, enrolmentID int64) (token, address string, err error)
	DomainBadgeToken(ctx context.Context, actor *upskill.Actor, attemptID int64, domain string) (token, address string, err error)
}

// CataloguePage is a page of the learning a person may find.
type CataloguePage struct {
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"per_page"`
	Items   []CatalogueRow `json:"items"`
}

// CatalogueRow is one item of the catalogue.
type CatalogueRow struct {
	ID       int64                 `json:"id"`
	Version  int                   `json:"version"`
	Title    string                `json:"title"`
	Summary  string                `json:"summary"`
	Format   upskill.ContentFormat `json:"format"`
	Minutes  int                   `json:"minutes"`
	Owner    string                `json:"owner"`
	National bool                  `json:"national"`
	Domains  []string              `json:"domains"`
}

func (a *API) catalogue(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	query := store.CatalogueQuery{OrgIDs: actor.LearningOrgs(), Text: q.Get("q"), Domain: q.Get("domain"),
		Format: upskill.ContentFormat(q.Get("format")), Owner: store.CatalogueOwner(q.Get("owner")), Page: max(page, 1), PerPage: perPage}
	if query.PerPage <= 0 || query.PerPage > 100 {
		query.PerPage = 20
	}
	query.Level, _ = strconv.Atoi(q.Get("level"))
	query.MaxMinutes, _ = strconv.Atoi(q.Get("max_minutes"))
	if query.Domain != "" || query.Level != 0 {
		fw, err := a.store.FrameworkByKey(r.Context(), "hcdcf")
		if err != nil {
			return nil, err
		}
		query.FrameworkID = fw.ID
	}
	res, err := a.store.Catalogue(r.Context(), query)
	if err != nil {
		return nil, err
	}
	out := CataloguePage{Total: res.Total, Page: query.Page, PerPage: query.PerPage, Items: []CatalogueRow{}}
	for _, e := range res.Entries {
		out.Items = append(out.Items, CatalogueRow{ID: e.ItemID, Version: e.Version, Title: e.Title, Summary: e.Summary, Format: e.Format,
			Minutes: e.Minutes, Owner: e.OwnerName, National: e.National, Domains: append([]string{}, e.Domains...)})
	}
	return out, nil
}

// LearningItem is published learning as a learner sees it: the questions
// without their answers.
type LearningItem struct {
	ID         int64                   `json:"id"`
	Owner      string                  `json:"owner"`
	National   bool                    `json:"national"`
	CopiedFrom *upskill.ContentOrigin  `json:"copied_from,omitempty"`
	Version    *upskill.ContentVersion `json:"version"`
}

// forLearners copies a version without the right answers and their
// feedback, which a learner sees only after answering.
func forLearners(v *upskill.ContentVersion) *upskill.ContentVersion {
	out := *v
	out.Pages = make([]upskill.LessonPage, len(v.Pages))
	for i, p := range v.Pages {
		out.Pages[i] = p
		out.Pages[i].Questions = make([]upskill.LessonQuestion, len(p.Questions))
		for j, q := range p.Questions {
			q.Feedback = ""
			q.Options = append([]upskill.LessonOption{}, q.Options...)
			for k := range q.Options {
				q.Options[k].Correct, q.Options[k].Feedback = false, ""
			}
			out.Pages[i].Questions[j] = q
		}
	}
	out.ReviewNote = ""
	return &out
}

func (a *API) learningItem(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "item")
	if err != nil {
		return nil, err
	}
	item, err := a.store.VisibleContent(r.Context(), actor.LearningOrgs(), id)
	if err != nil {
		return nil, err
	}
	return LearningItem{ID: item.ID, Owner: item.OwnerName, National: item.National(), CopiedFrom: item.CopiedFrom,
		Version: forLearners(item.Published)}, nil
}

// Enrolment is a person's go at a piece of learning.
type Enrolment struct {
	ID          int64                   `json:"id"`
	ItemID      int64                   `json:"item_id"`
	Title       string                  `json:"title,omitempty"`
	VersionID   int64                   `json:"version_id"`
	Version     int                     `json:"version,omitempty"`
	Status      upskill.EnrolmentStatus `json:"status"`
	Assigned    bool                    `json:"assigned"`
	DueAt       *time.Time              `json:"due_at,omitempty"`
	PagesSeen   []int                   `json:"pages_seen"`
	Pages       int                     `json:"pages,omitempty"`
	Seconds     int                     `json:"seconds"`
	CompletedAt *time.Time              `json:"completed_at,omitempty"`
	Score       int                     `json:"score"`
}

func enrolmentOut(e *upskill.Enrolment) Enrolment {
	out := Enrolment{ID: e.ID, ItemID: e.ItemID, VersionID: e.VersionID, Status: e.Status, Assigned: e.Assigned,
		PagesSeen: append([]int{}, e.PagesSeen...), Seconds: e.Seconds, Score: e.Score}
	if !e.DueAt.IsZero() {
		out.DueAt = &e.DueAt
	}
	if !e.CompletedAt.IsZero() {
		out.CompletedAt = &e.CompletedAt
	}
	return out
}

func (a *API) enrol(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "item")
	if err != nil {
		return nil, err
	}
	item, err := a.store.VisibleContent(r.Context(), actor.LearningOrgs(), id)
	if err != nil {
		return nil, err
	}
	e, err := a.store.Enrol(r.Context(), actor.PersonID, actor.LearningOrgs(), actor.HomeOrg(item.Owner.ID), id)
	if err != nil {
		return nil, err
	}
	return created{enrolmentOut(e)}, nil
}

func (a *API) enrolments(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	rows, err := a.store.MyLearning(r.Context(), actor.PersonID)
	if err != nil {
		return nil, err
	}
	out := []Enrolment{}
	for _, row := range rows {
		e := enrolmentOut(&row.Enrolment)
		e.Title, e.Version, e.Pages = row.Title, row.Version, row.Pages
		out = append(out, e)
	}
	return out, nil
}

func (a *API) seePage(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "enrolment")
	if err != nil {
		return nil, err
	}
	page, err := strconv.Atoi(r.PathValue("page"))
	if err != nil || page < 1 {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no page with that number.")
	}
	if err := a.store.SeePage(r.Context(), actor.PersonID, id, page); err != nil {
		return nil, err
	}
	return map[string]bool{"seen": true}, nil
}

// LessonAnswer is an answer to a question of a lesson: the positions of
// the options chosen, from 0.
type LessonAnswer struct {
	Selected []int `json:"selected"`
}

// LessonAnswerResult says whether an answer was right, with its feedback.
type LessonAnswerResult struct {
	Right    bool     `json:"right"`
	Feedback []string `json:"feedback"`
}

func (a *API) answerQuestion(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	ctx := r.Context()
	id, err := pathID(r, "enrolment")
	if err != nil {
		return nil, err
	}
	page, err1 := strconv.Atoi(r.PathValue("page"))
	question, err2 := strconv.Atoi(r.PathValue("question"))
	if err1 != nil || err2 != nil {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "That question is not part of this lesson.")
	}
	var in LessonAnswer
	if err := decode(r, 4<<10, &in); err != nil {
		return nil, err
	}
	if err := a.store.SaveLessonAnswer(ctx, actor.PersonID, id, page, question, in.Selected); err != nil {
		return nil, err
	}
	v, err := a.enrolledVersion(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	q := v.Question(page-1, question-1)
	out := LessonAnswerResult{Right: q.Check(in.Selected), Feedback: []string{}}
	for _, i := range in.Selected {
		if fb := q.Options[i].Feedback; fb != "" {
			out.Feedback = append(out.Feedback, fb)
		}
	}
	if q.Feedback != "" {
		out.Feedback = append(out.Feedback, q.Feedback)
	}
	return out, nil
}

// enrolledVersion reads the version one of the person's enrolments is on.
func (a *API) enrolledVersion(ctx context.Context, actor *upskill.Actor, enrolmentID int64) (*upskill.ContentVersion, error) {
	e, err := a.store.EnrolmentOf(ctx, actor.PersonID, enrolmentID)
	if err != nil {
		return nil, err
	}
	return a.store.ContentVersion(ctx, e.ItemID, e.VersionID)
}

func (a *API) complete(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "enrolment")
	if err != nil {
		return nil, err
	}
	e, err := a.store.CompleteLearning(r.Context(), actor.PersonID, id)
	if err != nil {
		return nil, err
	}
	return enrolmentOut(e), nil
}

func (a *API) certificate(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "enrolment")
	if err != nil {
		return nil, err
	}
	doc, name, err := a.learning.CertificatePDF(r.Context(), actor, id)
	if err != nil {
		return nil, err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	w.Write(doc)
	return nil, nil
}

// Credential is a signed Open Badge and where anyone can check it.
type Credential struct {
	Token   string `json:"token"`
	Address string `json:"address"`
}

func (a *API) credential(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "enrolment")
	if err != nil {
		return nil, err
	}
	token, address, err := a.learning.BadgeToken(r.Context(), actor, id)
	if err != nil {
		return nil, err
	}
	return Credential{Token: token, Address: address}, nil
}

func (a *API) domainCredential(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "attempt")
	if err != nil {
		return nil, err
	}
	token, address, err := a.learning.DomainBadgeToken(r.Context(), actor, id, r.PathValue("domain"))
	if err != nil {
		return nil, err
	}
	return Credential{Token: token, Address: address}, nil
}

// RecommendationOut is one piece of learning recommended, with the reason.
type RecommendationOut struct {
	ItemID    int64                 `json:"item_id"`
	Title     string                `json:"title"`
	Format    upskill.ContentFormat `json:"format"`
	Minutes   int                   `json:"minutes"`
	Reason    string                `json:"reason"`
	Statement string                `json:"statement"`
	Started   bool                  `json:"started"`
	Mandatory bool                  `json:"mandatory"`
}

// Recommendations is learning ranked from the latest assessment's gaps.
type Recommendations struct {
	Assessed bool                `json:"assessed"`
	Gaps     int                 `json:"gaps"`
	Items    []RecommendationOut `json:"items"`
}

func (a *API) recommendations(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	recs, gaps, assessed, err := a.learning.Recommendations(r.Context(), actor, 20)
	if err != nil {
		return nil, err
	}
	out := Recommendations{Assessed: assessed, Gaps: gaps, Items: []RecommendationOut{}}
	for _, rec := range recs {
		out.Items = append(out.Items, RecommendationOut{ItemID: rec.ItemID, Title: rec.Title, Format: rec.Format, Minutes: rec.Minutes,
			Reason: rec.Reason, Statement: rec.Gap.Code, Started: rec.Started, Mandatory: rec.Mandatory})
	}
	return out, nil
}
