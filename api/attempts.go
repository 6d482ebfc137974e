package api

import (
	"net/http"

	"upskill"
)

// Me is the person a token acts for.
type Me struct {
	ID            int64            `json:"id"`
	Name          string           `json:"name"`
	Email         string           `json:"email"`
	Organisations []MeOrganisation `json:"organisations"`
}

// MeOrganisation is one of the person's current memberships.
type MeOrganisation struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Level string   `json:"level"`
	Roles []string `json:"roles"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	out := Me{ID: actor.PersonID, Name: actor.Name, Email: actor.Email, Organisations: []MeOrganisation{}}
	for _, m := range actor.Memberships {
		mo := MeOrganisation{ID: m.Org.ID, Name: m.OrgName, Level: string(m.Org.Level), Roles: []string{}}
		for _, role := range m.Roles.List() {
			mo.Roles = append(mo.Roles, role.Key())
		}
		out.Organisations = append(out.Organisations, mo)
	}
	return out, nil
}

// AttemptSummary is one attempt in a person's list.
type AttemptSummary struct {
	ID           int64                  `json:"id"`
	Status       upskill.AttemptStatus  `json:"status"`
	Organisation string                 `json:"organisation,omitempty"`
	StartedAt    string                 `json:"started_at"`
	SubmittedAt  string                 `json:"submitted_at,omitempty"`
	Answered     int                    `json:"answered"`
	Domains      []upskill.DomainResult `json:"domains,omitempty"`
}

func (a *API) attempts(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	key := r.URL.Query().Get("framework")
	if key == "" {
		key = "hcdcf"
	}
	fw, err := a.store.FrameworkByKey(r.Context(), key)
	if err != nil {
		return nil, err
	}
	list, err := a.store.Attempts(r.Context(), actor.PersonID, fw.ID)
	if err != nil {
		return nil, err
	}
	out := []AttemptSummary{}
	for _, s := range list {
		as := AttemptSummary{ID: s.ID, Status: s.Status, Organisation: s.OrganisationName,
			StartedAt: s.StartedAt.UTC().Format(timeFormat), Answered: s.Answered, Domains: s.Domains}
		if !s.SubmittedAt.IsZero() {
			as.SubmittedAt = s.SubmittedAt.UTC().Format(timeFormat)
		}
		out = append(out, as)
	}
	return map[string]any{"attempts": out}, nil
}

const timeFormat = "2006-01-02T15:04:05Z07:00"

// StartRequest starts, or returns, an attempt in progress.
type StartRequest struct {
	Framework      string `json:"framework"`
	OrganisationID int64  `json:"organisation_id"`
}

func (a *API) startAttempt(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	var in StartRequest
	if err := decode(r, 4<<10, &in); err != nil {
		return nil, err
	}
	if in.Framework == "" {
		in.Framework = "hcdcf"
	}
	att, isNew, err := a.store.StartAttempt(r.Context(), actor.PersonID, in.OrganisationID, in.Framework)
	if err != nil {
		return nil, err
	}
	if isNew {
		return created{att}, nil
	}
	return att, nil
}

func (a *API) attemptFor(r *http.Request, actor *upskill.Actor) (*upskill.Attempt, error) {
	id, err := pathID(r, "attempt")
	if err != nil {
		return nil, err
	}
	return a.store.Attempt(r.Context(), actor.PersonID, id)
}

func (a *API) attempt(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	return a.attemptFor(r, actor)
}

// AnswerRequest is a rating of one capability.
type AnswerRequest struct {
	Now    *int `json:"now"`
	Needed *int `json:"needed"`
}

func (a *API) answer(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "attempt")
	if err != nil {
		return nil, err
	}
	capID, err := pathID(r, "capability")
	if err != nil {
		return nil, err
	}
	var in AnswerRequest
	if err := decode(r, 4<<10, &in); err != nil {
		return nil, err
	}
	var p upskill.Problems
	if in.Now == nil {
		p.Add("now", "Give now: where you are, as the statement's question type takes it")
	}
	if in.Needed == nil {
		p.Add("needed", "Give needed: where your role needs you to be")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	ans := upskill.Answer{CapabilityID: capID, Now: *in.Now, Needed: *in.Needed}
	if err := a.store.SaveAnswer(r.Context(), actor.PersonID, id, ans); err != nil {
		return nil, err
	}
	return ans, nil
}

// CheckRequest is an answer to a knowledge-check question.
type CheckRequest struct {
	Selected []int64 `json:"selected"`
}

func (a *API) check(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "attempt")
	if err != nil {
		return nil, err
	}
	qID, err := pathID(r, "question")
	if err != nil {
		return nil, err
	}
	var in CheckRequest
	if err := decode(r, 4<<10, &in); err != nil {
		return nil, err
	}
	ca := upskill.CheckAnswer{QuestionID: qID, Selected: in.Selected}
	if err := a.store.SaveCheck(r.Context(), actor.PersonID, id, ca); err != nil {
		return nil, err
	}
	return ca, nil
}

func (a *API) submit(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	id, err := pathID(r, "attempt")
	if err != nil {
		return nil, err
	}
	return a.store.SubmitAttempt(r.Context(), actor.PersonID, id)
}

func (a *API) report(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	att, err := a.attemptFor(r, actor)
	if err != nil {
		return nil, err
	}
	if !att.Submitted() {
		return nil, upskill.Errorf(upskill.ECONFLICT, "The attempt has not been submitted, so it has no report yet.")
	}
	v, err := a.store.Version(r.Context(), att.VersionID)
	if err != nil {
		return nil, err
	}
	rep := upskill.Score(v, att.Answers, att.Checks)
	return rep, nil
}
