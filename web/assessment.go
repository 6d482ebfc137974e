package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"upskill"
	"upskill/store"
)

// The assessment is a sequence of question pages: for each domain, its
// statements and then its knowledge checks. Every page saves its answer
// when it is sent, so closing the browser loses nothing, and the person
// can carry on later on any device.

// step is one question page of an attempt.
type step struct {
	question bool // a knowledge check rather than a statement
	id       int64
}

func stepsOf(v *upskill.FrameworkVersion) []step {
	var out []step
	for _, d := range v.Domains {
		for _, c := range d.Capabilities {
			out = append(out, step{id: c.ID})
		}
		for _, q := range v.QuestionsFor(d.Code) {
			out = append(out, step{question: true, id: q.ID})
		}
	}
	return out
}

func attemptURL(id int64) string { return "/attempts/" + strconv.FormatInt(id, 10) }

func (st step) url(attemptID int64) string {
	if st.question {
		return attemptURL(attemptID) + "/questions/" + strconv.FormatInt(st.id, 10)
	}
	return attemptURL(attemptID) + "/statements/" + strconv.FormatInt(st.id, 10)
}

func answered(a *upskill.Attempt, st step) bool {
	if st.question {
		_, ok := a.Check(st.id)
		return ok
	}
	_, ok := a.Answer(st.id)
	return ok
}

// resumeURL is where a person carries on: the first question not yet
// answered, or the check-your-answers page when all are.
func resumeURL(a *upskill.Attempt, v *upskill.FrameworkVersion) string {
	for _, st := range stepsOf(v) {
		if !answered(a, st) {
			return st.url(a.ID)
		}
	}
	return attemptURL(a.ID) + "/answers"
}

// AssessmentView is the start page of an assessment, with the person's
// earlier attempts.
type AssessmentView struct {
	Page
	Framework     *upskill.Framework
	Version       *upskill.FrameworkVersion
	Statements    int
	Questions     int
	Open          *store.AttemptSummary
	History       []store.AttemptSummary
	Organisations []Option
}

func (s *Server) assessment(w http.ResponseWriter, r *request) error {
	return s.showAssessment(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) showAssessment(w http.ResponseWriter, r *request, status int, f *Form) error {
	ctx := r.Context()
	fw, v, err := s.store.PublishedVersion(ctx, r.PathValue("framework"))
	if err != nil {
		return err
	}
	history, err := s.store.Attempts(ctx, r.actor.PersonID, fw.ID)
	if err != nil {
		return err
	}
	view := &AssessmentView{Framework: fw, Version: v, Statements: len(v.Capabilities()), Questions: len(v.Questions)}
	for i := range history {
		if history[i].Status == upskill.AttemptInProgress {
			view.Open = &history[i]
		} else {
			view.History = append(view.History, history[i])
		}
	}
	var orgs []Option
	for _, m := range r.actor.Memberships {
		if m.Org.Level == upskill.LevelOrganisation {
			orgs = append(orgs, Option{Value: strconv.FormatInt(m.Org.ID, 10), Label: m.OrgName})
		}
	}
	if len(orgs) > 1 {
		view.Organisations = orgs
	}
	view.Title = fw.Name
	view.Form = f
	view.Crumbs = []Crumb{{"Home", "/home"}}
	return s.render(w, r, status, "assessment.html", view, &view.Page)
}

func (s *Server) startAssessment(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	key := r.PathValue("framework")
	f := newForm(r.PostForm)
	var orgID int64
	var orgs []int64
	for _, m := range r.actor.Memberships {
		if m.Org.Level == upskill.LevelOrganisation {
			orgs = append(orgs, m.Org.ID)
		}
	}
	switch {
	case len(orgs) == 1:
		orgID = orgs[0]
	case len(orgs) > 1:
		orgID = f.Int("organisation")
		if orgID == 0 {
			f.Add("organisation", "Select the organisation you are taking the assessment for")
			return s.showAssessment(w, r, http.StatusUnprocessableEntity, f)
		}
	}
	a, _, err := s.store.StartAttempt(ctx, r.actor.PersonID, orgID, key)
	if err != nil {
		if f.absorb(err) {
			return s.showAssessment(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	v, err := s.store.Version(ctx, a.VersionID)
	if err != nil {
		return err
	}
	return redirect(w, r, resumeURL(a, v))
}

// attemptOf loads the {attempt} of the path. Only its owner finds it.
func (s *Server) attemptOf(r *request) (*upskill.Attempt, *upskill.FrameworkVersion, error) {
	id, err := r.pathID("attempt")
	if err != nil {
		return nil, nil, err
	}
	a, err := s.store.Attempt(r.Context(), r.actor.PersonID, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.store.Version(r.Context(), a.VersionID)
	return a, v, err
}

func (s *Server) resumeAttempt(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if a.Submitted() {
		return redirect(w, r, attemptURL(a.ID)+"/report")
	}
	return redirect(w, r, resumeURL(a, v))
}

// QuestionView is one question page: a statement to rate or a knowledge
// check to answer.
type QuestionView struct {
	Page
	Attempt    *upskill.Attempt
	Domain     *upskill.Domain
	Capability *upskill.Capability
	Question   *upskill.CheckQuestion
	Levels     []upskill.FrameworkLevel
	Number     int // of this page among all the attempt's pages
	Pages      int
	Action     string
	Back       string
	Now        Field
	Needed     Field
	Answer     Field
	Returning  bool // came from the check-your-answers page
	// Target is where the person's role needs them to be, by the target
	// that applies to them, if any.
	Target     string
	TargetName string
}

// targetOf finds the target that applies to the person taking an attempt,
// by their staff details in the attempt's organisation. It never returns
// nil: a person with no target gets an empty one.
func (s *Server) targetOf(r *request, a *upskill.Attempt, frameworkID int64) (*upskill.TargetProfile, error) {
	none := &upskill.TargetProfile{}
	if a.OrganisationID == 0 {
		return none, nil
	}
	_, m, err := s.store.Member(r.Context(), a.OrganisationID, a.PersonID)
	if upskill.ErrorCode(err) == upskill.ENOTFOUND {
		return none, nil // left the organisation since starting
	}
	if err != nil {
		return nil, err
	}
	t, err := s.store.TargetFor(r.Context(), frameworkID, a.OrganisationID, m.StaffGroup, m.JobRole)
	if err != nil || t == nil {
		return none, err
	}
	return t, nil
}

// stepContext finds a step in the sequence and the pages before and after
// it; before the first page is the assessment's start page.
func stepContext(a *upskill.Attempt, v *upskill.FrameworkVersion, want step, start string) (index int, back, next string, ok bool) {
	steps := stepsOf(v)
	for i, st := range steps {
		if st != want {
			continue
		}
		back = start
		if i > 0 {
			back = steps[i-1].url(a.ID)
		}
		next = attemptURL(a.ID) + "/answers"
		if i+1 < len(steps) {
			next = steps[i+1].url(a.ID)
		}
		return i, back, next, true
	}
	return 0, "", "", false
}

func (s *Server) statement(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if a.Submitted() {
		return redirect(w, r, attemptURL(a.ID)+"/report")
	}
	capID, err := r.pathID("capability")
	if err != nil {
		return err
	}
	d, c := v.Capability(capID)
	if c == nil {
		return upskill.Errorf(upskill.ENOTFOUND, "That statement is not part of this assessment.")
	}
	fw, err := s.store.Framework(r.Context(), v.FrameworkID)
	if err != nil {
		return err
	}
	index, back, next, _ := stepContext(a, v, step{id: capID}, assessmentPath(fw.Key))
	returning := r.URL.Query().Get("return") == "answers" || r.PostForm.Get("return") == "answers"
	if returning {
		next = attemptURL(a.ID) + "/answers"
	}
	target, err := s.targetOf(r, a, fw.ID)
	if err != nil {
		return err
	}
	needed, hasTarget := target.Needed[c.Code]
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		ans, ok := readAnswer(f, c, len(v.Levels))
		if ok {
			ans.CapabilityID = c.ID
			err := s.store.SaveAnswer(r.Context(), r.actor.PersonID, a.ID, ans)
			if err == nil {
				return redirect(w, r, next)
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else if ans, ok := a.Answer(c.ID); ok {
		f.Values.Set("now", strconv.Itoa(ans.Now))
		f.Values.Set("needed", strconv.Itoa(ans.Needed))
	} else if hasTarget {
		f.Values.Set("needed", strconv.Itoa(c.NeededAnswer(needed, len(v.Levels))))
	}
	view := &QuestionView{Attempt: a, Domain: d, Capability: c, Levels: v.Levels, Number: index + 1, Pages: len(stepsOf(v)),
		Action: step{id: c.ID}.url(a.ID), Back: back, Returning: returning}
	if hasTarget {
		view.Target = describeValue(c, v.Levels, c.NeededAnswer(needed, len(v.Levels))) + "."
		view.TargetName = target.Name
	}
	if returning {
		view.Back = attemptURL(a.ID) + "/answers"
	}
	view.Now, view.Needed = ratingFields(f, c, v.Levels)
	view.Title = c.Statement
	view.Form = f
	return s.render(w, r, status, "statement.html", view, &view.Page)
}

// readAnswer reads the two ratings of a statement page, recording what is
// missing. Ranges are checked by the store, against the version.
func readAnswer(f *Form, c *upskill.Capability, levels int) (upskill.Answer, bool) {
	var a upskill.Answer
	ok := true
	for _, field := range []struct {
		name string
		dest *int
		msg  string
	}{
		{"now", &a.Now, nowMissing(c)},
		{"needed", &a.Needed, neededMissing(c)},
	} {
		n, err := strconv.Atoi(f.Get(field.name))
		if err != nil {
			f.Add(field.name, field.msg)
			ok = false
			continue
		}
		*field.dest = n
	}
	return a, ok
}

func nowMissing(c *upskill.Capability) string {
	switch c.Type {
	case upskill.QuestionYesNo:
		return "Select yes if you can do this now, or no"
	case upskill.QuestionLevels:
		return "Select the description that fits you now"
	}
	return "Choose a number from 0 to 10 for where you are now"
}

func neededMissing(c *upskill.Capability) string {
	switch c.Type {
	case upskill.QuestionYesNo:
		return "Select yes if your role needs you to do this, or no"
	case upskill.QuestionLevels:
		return "Select the description of where your role needs you to be"
	}
	return "Choose a number from 0 to 10 for where you need to be"
}

// ratingFields builds the two questions of a statement page for its type.
func ratingFields(f *Form, c *upskill.Capability, levels []upskill.FrameworkLevel) (Field, Field) {
	var opts []Option
	nowLabel, neededLabel := "Where are you now?", "Where do you need to be in your role?"
	hint := ""
	class := ""
	switch c.Type {
	case upskill.QuestionYesNo:
		nowLabel, neededLabel = "Can you do this now?", "Does your role need you to do this?"
		opts = []Option{{Value: "1", Label: "Yes"}, {Value: "0", Label: "No"}}
		class = "inline"
	case upskill.QuestionLevels:
		opts = append(opts, Option{Value: "0", Label: "None of these yet"})
		for i, l := range levels {
			o := Option{Value: strconv.Itoa(l.Number), Label: l.Name}
			if i < len(c.Descriptors) {
				o.Hint = c.Descriptors[i]
			}
			opts = append(opts, o)
		}
	default:
		hint = "0 means you cannot do this at all; 10 means you could teach others to do it"
		class = "inline"
		for i := 0; i <= upskill.ScaleMax; i++ {
			opts = append(opts, Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
		}
	}
	now := options(field(f, "now", "label", nowLabel, "hint", hint, "class", class), f, opts)
	needed := options(field(f, "needed", "label", neededLabel, "hint", hint, "class", class), f, opts)
	return now, needed
}

func (s *Server) checkQuestion(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if a.Submitted() {
		return redirect(w, r, attemptURL(a.ID)+"/report")
	}
	qID, err := r.pathID("question")
	if err != nil {
		return err
	}
	q := v.Question(qID)
	if q == nil {
		return upskill.Errorf(upskill.ENOTFOUND, "That question is not part of this assessment.")
	}
	var d *upskill.Domain
	for i := range v.Domains {
		if v.Domains[i].Code == q.DomainCode {
			d = &v.Domains[i]
		}
	}
	fw, err := s.store.Framework(r.Context(), v.FrameworkID)
	if err != nil {
		return err
	}
	index, back, next, _ := stepContext(a, v, step{question: true, id: qID}, assessmentPath(fw.Key))
	returning := r.URL.Query().Get("return") == "answers" || r.PostForm.Get("return") == "answers"
	if returning {
		next = attemptURL(a.ID) + "/answers"
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		var selected []int64
		for _, raw := range f.Values["answer"] {
			if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
				selected = append(selected, id)
			}
		}
		err := s.store.SaveCheck(r.Context(), r.actor.PersonID, a.ID, upskill.CheckAnswer{QuestionID: q.ID, Selected: selected})
		if err == nil {
			return redirect(w, r, next)
		}
		if !f.absorb(err) {
			return err
		}
		status = http.StatusUnprocessableEntity
	} else if ca, ok := a.Check(q.ID); ok {
		for _, id := range ca.Selected {
			f.Values.Add("answer", strconv.FormatInt(id, 10))
		}
	}
	view := &QuestionView{Attempt: a, Domain: d, Question: q, Number: index + 1, Pages: len(stepsOf(v)),
		Action: step{question: true, id: q.ID}.url(a.ID), Back: back, Returning: returning}
	if returning {
		view.Back = attemptURL(a.ID) + "/answers"
	}
	var opts []Option
	for _, o := range q.Options {
		opts = append(opts, Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Text})
	}
	hint := "Select one answer"
	if q.Kind == upskill.QuestionMultiple {
		hint = "Select all that are right"
	}
	view.Answer = options(field(f, "answer", "label", q.Prompt, "hint", hint, "heading", "yes"), f, opts)
	view.Title = q.Prompt
	view.Form = f
	return s.render(w, r, status, "question.html", view, &view.Page)
}

// AnswersView is the check-your-answers page.
type AnswersView struct {
	Page
	Attempt *upskill.Attempt
	Domains []AnswersDomain
	Missing int
	First   string // the first page still to answer
}

// AnswersDomain is one domain's rows on the check-your-answers page.
type AnswersDomain struct {
	Name string
	Rows []AnswerRow
}

// AnswerRow is one answer with the link to change it.
type AnswerRow struct {
	Key, Value, Href, What string
	Missing                bool
}

func (s *Server) answers(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if a.Submitted() {
		return redirect(w, r, attemptURL(a.ID)+"/report")
	}
	return s.showAnswers(w, r, http.StatusOK, a, v, newForm(nil))
}

func (s *Server) showAnswers(w http.ResponseWriter, r *request, status int, a *upskill.Attempt, v *upskill.FrameworkVersion, f *Form) error {
	view := &AnswersView{Attempt: a}
	for _, d := range v.Domains {
		ad := AnswersDomain{Name: d.Name}
		for i := range d.Capabilities {
			c := &d.Capabilities[i]
			row := AnswerRow{Key: c.Statement, Href: step{id: c.ID}.url(a.ID) + "?return=answers", What: "your rating"}
			if ans, ok := a.Answer(c.ID); ok {
				row.Value = describeRating(c, v.Levels, ans)
			} else {
				row.Value, row.Missing = "Not answered yet", true
				view.Missing++
				if view.First == "" {
					view.First = step{id: c.ID}.url(a.ID)
				}
			}
			ad.Rows = append(ad.Rows, row)
		}
		for _, q := range v.QuestionsFor(d.Code) {
			row := AnswerRow{Key: q.Prompt, Href: step{question: true, id: q.ID}.url(a.ID) + "?return=answers", What: "your answer"}
			if ca, ok := a.Check(q.ID); ok {
				row.Value = describeChoice(q, ca.Selected)
			} else {
				row.Value, row.Missing = "Not answered yet", true
			}
			ad.Rows = append(ad.Rows, row)
		}
		view.Domains = append(view.Domains, ad)
	}
	view.Title = "Check your answers"
	view.Form = f
	return s.render(w, r, status, "answers.html", view, &view.Page)
}

func describeRating(c *upskill.Capability, levels []upskill.FrameworkLevel, a upskill.Answer) string {
	return fmt.Sprintf("Now: %s. Needed: %s.", describeValue(c, levels, a.Now), describeValue(c, levels, a.Needed))
}

// describeValue says a raw rating in words: "7 out of 10", a level's name,
// or yes or no.
func describeValue(c *upskill.Capability, levels []upskill.FrameworkLevel, n int) string {
	switch c.Type {
	case upskill.QuestionYesNo:
		if n > 0 {
			return "yes"
		}
		return "no"
	case upskill.QuestionLevels:
		if n == 0 || n > len(levels) {
			return "none of these yet"
		}
		return levels[n-1].Name
	}
	return strconv.Itoa(n) + " out of 10"
}

func describeChoice(q *upskill.CheckQuestion, selected []int64) string {
	var out string
	for _, o := range q.Options {
		for _, id := range selected {
			if o.ID == id {
				if out != "" {
					out += "; "
				}
				out += o.Text
			}
		}
	}
	return out
}

func (s *Server) submitAttempt(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if _, err := s.store.SubmitAttempt(r.Context(), r.actor.PersonID, a.ID); err != nil {
		if upskill.ErrorCode(err) == upskill.EINVALID {
			f := newForm(nil)
			f.Add("", upskill.ErrorMessage(err))
			return s.showAnswers(w, r, http.StatusUnprocessableEntity, a, v, f)
		}
		return err
	}
	s.setFlash(w, "Your assessment has been submitted. Here is your report.")
	return redirect(w, r, attemptURL(a.ID)+"/report")
}

// assessmentPath is the start page of a framework's assessment.
func assessmentPath(key string) string { return "/assessments/" + url.PathEscape(key) }
