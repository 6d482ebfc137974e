package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"upskill"
	"upskill/markdown"
	"upskill/pdf"
	"upskill/store"
)

// The learning catalogue and lessons, as learners see them. A person finds
// the learning of the organisations they belong to, what other
// organisations share with them, and national learning.

// CatalogueView is a page of search results.
type CatalogueView struct {
	Page
	Query      Field
	Domain     Field
	Level      Field
	Format     Field
	Minutes    Field
	Owner      Field
	Results    *store.CataloguePage
	DomainName map[string]string
	Pagination Pagination
	Searched   bool
}

const cataloguePerPage = 20

func (s *Server) catalogue(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, fv, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	qv := r.URL.Query()
	f := newForm(qv)
	page, _ := strconv.Atoi(qv.Get("page"))
	page = max(page, 1)
	q := store.CatalogueQuery{OrgIDs: r.actor.LearningOrgs(), Text: f.Get("q"), FrameworkID: fw.ID, Domain: f.Get("domain"),
		Format: upskill.ContentFormat(f.Get("format")), Owner: store.CatalogueOwner(f.Get("owner")), Page: page, PerPage: cataloguePerPage}
	q.Level, _ = strconv.Atoi(f.Get("level"))
	q.MaxMinutes, _ = strconv.Atoi(f.Get("minutes"))
	results, err := s.store.Catalogue(ctx, q)
	if err != nil {
		return err
	}
	domains := []Option{{Value: "", Label: "Any domain"}}
	names := map[string]string{}
	for _, d := range fv.Domains {
		domains = append(domains, Option{Value: d.Code, Label: d.Name})
		names[d.Code] = d.Name
	}
	levels := []Option{{Value: "", Label: "Any level"}}
	for _, l := range fv.Levels {
		levels = append(levels, Option{Value: strconv.Itoa(l.Number), Label: l.Name})
	}
	formats := []Option{{Value: "", Label: "Any format"}}
	for _, fm := range upskill.ContentFormats {
		formats = append(formats, Option{Value: string(fm), Label: fm.Label()})
	}
	v := &CatalogueView{
		Query:   field(f, "q", "label", "Search for learning", "type", "search", "autocomplete", "off"),
		Domain:  options(field(f, "domain", "label", "Domain"), f, domains),
		Level:   options(field(f, "level", "label", "Level"), f, levels),
		Format:  options(field(f, "format", "label", "Format"), f, formats),
		Minutes: options(field(f, "minutes", "label", "Time to complete"), f, []Option{{Value: "", Label: "Any length"}, {Value: "15", Label: "15 minutes or less"}, {Value: "30", Label: "30 minutes or less"}, {Value: "60", Label: "An hour or less"}}),
		Owner: options(field(f, "owner", "label", "Written by"), f, []Option{{Value: "", Label: "Anyone"}, {Value: string(store.OwnerNational), Label: "The national team"},
			{Value: string(store.OwnerOurs), Label: "Your organisation"}, {Value: string(store.OwnerShared), Label: "Other organisations"}}),
		Results: results, DomainName: names,
		Pagination: paginate(r.URL, page, (results.Total+cataloguePerPage-1)/cataloguePerPage),
		Searched:   len(qv) > 0,
	}
	v.Title = "Find learning"
	return s.render(w, r, http.StatusOK, "catalogue.html", v, &v.Page)
}

// LearningView is one item as a learner sees it.
type LearningView struct {
	Page
	Item       *upskill.ContentItem
	Version    *upskill.ContentVersion
	Statements []MappedStatement
	// CopyTo lists the organisations the person writes learning for that
	// could copy this item to adapt it.
	CopyTo []upskill.ActorMembership
	// Enrolment is the person's open enrolment or latest completion.
	Enrolment   *upskill.Enrolment
	Seen        int    // pages seen
	Certificate string // where to download the certificate of a completion
	Badge       *store.Badge
	// AssignFor lists the organisations whose staff the person may assign
	// this learning to.
	AssignFor []AssignTarget
}

// AssignTarget is an organisation whose staff the person may assign
// learning to: all of them, or only the people they line manage.
type AssignTarget struct {
	upskill.ActorMembership
	TeamOnly bool
}

// visibleItem reads the {item} the person may find.
func (s *Server) visibleItem(r *request) (*upskill.ContentItem, error) {
	id, err := r.pathID("item")
	if err != nil {
		return nil, err
	}
	return s.store.VisibleContent(r.Context(), r.actor.LearningOrgs(), id)
}

func (s *Server) learningItem(w http.ResponseWriter, r *request) error {
	item, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	v := &LearningView{Item: item, Version: item.Published}
	switch e, err := s.store.LatestEnrolment(r.Context(), r.actor.PersonID, item.ID); {
	case err == nil:
		v.Enrolment = e
		if e.Status == upskill.Completed {
			v.Certificate = "/my-learning/" + strconv.FormatInt(e.ID, 10) + "/certificate.pdf"
			if b, err := s.store.BadgeFor(r.Context(), r.actor.PersonID, e.ID); err == nil {
				v.Badge = b
			} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
				return err
			}
		} else if e.VersionID != item.Published.ID {
			if v.Version, err = s.store.ContentVersion(r.Context(), item.ID, e.VersionID); err != nil {
				return err
			}
		}
		v.Seen = len(e.PagesSeen)
	case upskill.ErrorCode(err) != upskill.ENOTFOUND:
		return err
	}
	if v.Statements, err = s.mappedStatements(r, v.Version); err != nil {
		return err
	}
	for _, m := range r.actor.Memberships {
		if m.Org.Level != upskill.LevelOrganisation {
			continue
		}
		if m.Org.ID != item.Owner.ID && r.actor.Can(upskill.AuthorContent, m.Org) {
			v.CopyTo = append(v.CopyTo, m)
		}
		if r.actor.Can(upskill.AssignLearning, m.Org) {
			v.AssignFor = append(v.AssignFor, AssignTarget{m, r.actor.StaffScope(m.Org) == upskill.ScopeReports})
		}
	}
	v.Title = item.Published.Title
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Find learning", "/learning"}}
	return s.render(w, r, http.StatusOK, "learning.html", v, &v.Page)
}

// LessonPageView is one page of a lesson, with its questions.
type LessonPageView struct {
	Page
	Item      *upskill.ContentItem
	Version   *upskill.ContentVersion
	Number    int
	Of        int
	LessonURL string
	Body      template.HTML
	VideoURL  string
	PageTitle string
	Questions []LessonQuestionView
	Prev      string
	Next      string
	Checked   bool
	Enrolled  bool // progress is being kept
	Preview   bool // an author looking at a draft
}

// LessonQuestionView is a question block, with feedback once answered.
type LessonQuestionView struct {
	Field    Field
	Multiple bool
	Answered bool
	Right    bool
	Feedback []string
}

func (s *Server) lessonPage(w http.ResponseWriter, r *request) error {
	item, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := item.Published
	// Someone doing the lesson carries on with the version they started,
	// and their progress is kept; anyone else reads the published one.
	e, err := s.store.OpenEnrolment(ctx, r.actor.PersonID, item.ID)
	switch {
	case err == nil:
		if v, err = s.store.ContentVersion(ctx, item.ID, e.VersionID); err != nil {
			return err
		}
	case upskill.ErrorCode(err) != upskill.ENOTFOUND:
		return err
	default:
		e = nil
	}
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil || v.Format != upskill.FormatLesson || n < 1 || n > len(v.Pages) {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	if e != nil {
		if err := s.store.SeePage(ctx, r.actor.PersonID, e.ID, n); err != nil {
			return err
		}
	}
	pg := &v.Pages[n-1]
	base := "/learning/" + strconv.FormatInt(item.ID, 10)
	view := &LessonPageView{Item: item, Version: v, Number: n, Of: len(v.Pages), LessonURL: base, Body: s.lessons.render(v.ID, n, pg.Body),
		VideoURL: pg.VideoURL, PageTitle: pg.Title, Enrolled: e != nil}
	if n > 1 {
		view.Prev = base + "/pages/" + strconv.Itoa(n-1)
	}
	if n < len(v.Pages) {
		view.Next = base + "/pages/" + strconv.Itoa(n+1)
	}
	f := newForm(r.PostForm)
	if r.Method == http.MethodGet && e != nil {
		// The answers given before.
		for k := range pg.Questions {
			for _, o := range e.Answers[upskill.AnswerKey(n, k+1)] {
				f.Values.Add("answer-"+strconv.Itoa(k+1), strconv.Itoa(o))
			}
		}
	}
	status := http.StatusOK
	for k := range pg.Questions {
		q := &pg.Questions[k]
		name := "answer-" + strconv.Itoa(k+1)
		var opts []Option
		for o, opt := range q.Options {
			opts = append(opts, Option{Value: strconv.Itoa(o), Label: opt.Text})
		}
		qv := LessonQuestionView{Multiple: q.Multiple, Field: options(field(f, name, "label", q.Prompt), f, opts)}
		if r.Method == http.MethodPost {
			var selected []int
			for _, raw := range f.Values[name] {
				i, err := strconv.Atoi(raw)
				if err != nil {
					i = -1
				}
				selected = append(selected, i)
			}
			if msg := q.SelectionProblem(selected); msg != "" {
				f.Add(name, msg)
				qv.Field.Error = msg
			} else {
				if e != nil {
					if err := s.store.SaveLessonAnswer(ctx, r.actor.PersonID, e.ID, n, k+1, selected); err != nil {
						return err
					}
				}
				qv.Answered, qv.Right = true, q.Check(selected)
				for _, i := range selected {
					if fb := q.Options[i].Feedback; fb != "" {
						qv.Feedback = append(qv.Feedback, fb)
					}
				}
				if q.Feedback != "" {
					qv.Feedback = append(qv.Feedback, q.Feedback)
				}
			}
		}
		view.Questions = append(view.Questions, qv)
	}
	if f.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	view.Checked = r.Method == http.MethodPost && !f.HasErrors()
	view.Form = f
	view.Title = pg.Title
	view.Crumbs = []Crumb{{"Home", "/home"}, {"Find learning", "/learning"}, {v.Title, base}}
	return s.render(w, r, status, "lesson_page.html", view, &view.Page)
}

// pageCache keeps lesson pages rendered from Markdown. A published
// version never changes, so a page is rendered once per instance: most
// pages take under a millisecond, but Markdown written to be slow can take
// seconds, and must not cost that on every view. It holds at most
// pageCacheSize pages and starts again when full.
type pageCache struct {
	mu sync.Mutex
	m  map[pageKey]template.HTML
}

type pageKey struct {
	version int64
	page    int
}

const pageCacheSize = 5000

func (c *pageCache) render(versionID int64, page int, src string) template.HTML {
	k := pageKey{versionID, page}
	c.mu.Lock()
	html, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return html
	}
	html = markdown.Render(src)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= pageCacheSize {
		c.m = make(map[pageKey]template.HTML, 256)
	}
	c.m[k] = html
	return html
}

// startLearning enrols the person and takes them to the first page.
func (s *Server) startLearning(w http.ResponseWriter, r *request) error {
	item, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	if _, err := s.store.Enrol(r.Context(), r.actor.PersonID, r.actor.LearningOrgs(), r.actor.HomeOrg(item.Owner.ID), item.ID); err != nil {
		return err
	}
	base := "/learning/" + strconv.FormatInt(item.ID, 10)
	if item.Published.Format == upskill.FormatLesson {
		return redirect(w, r, base+"/pages/1")
	}
	return redirect(w, r, base)
}

// completeLearning marks the person's open enrolment complete, or says
// what is still to do.
func (s *Server) completeLearning(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	id, err := r.pathID("item")
	if err != nil {
		return err
	}
	base := "/learning/" + strconv.FormatInt(id, 10)
	e, err := s.store.OpenEnrolment(ctx, r.actor.PersonID, id)
	if err != nil {
		return err
	}
	done, err := s.store.CompleteLearning(ctx, r.actor.PersonID, e.ID)
	if err != nil {
		if upskill.ErrorCode(err) == upskill.EINVALID || upskill.ErrorCode(err) == upskill.ECONFLICT {
			s.setFlash(w, upskill.ErrorMessage(err))
			return redirect(w, r, base)
		}
		return err
	}
	msg := "Well done: you have completed this learning. Your certificate is ready to download."
	if done.Status == upskill.Completed {
		if v, err := s.store.ContentVersion(ctx, id, done.VersionID); err == nil && v.BadgeBearing {
			if _, err := s.issueBadge(ctx, r.actor, done.ID); err != nil {
				s.log.Error("issue a badge", "enrolment", done.ID, "err", err)
			} else {
				msg = "Well done: you have completed this learning. Your certificate and badge are ready to download."
			}
		}
	}
	s.setFlash(w, msg)
	return redirect(w, r, base)
}

// MyLearningView lists a person's learning.
type MyLearningView struct {
	Page
	Open, Done []store.LearningRow
}

func (s *Server) myLearning(w http.ResponseWriter, r *request) error {
	rows, err := s.store.MyLearning(r.Context(), r.actor.PersonID)
	if err != nil {
		return err
	}
	v := &MyLearningView{}
	for _, row := range rows {
		if row.Status == upskill.Completed {
			v.Done = append(v.Done, row)
		} else {
			v.Open = append(v.Open, row)
		}
	}
	v.Title = "Your learning"
	v.Crumbs = []Crumb{{"Home", "/home"}}
	return s.render(w, r, http.StatusOK, "my_learning.html", v, &v.Page)
}

// certificateCode names a completion on its certificate: its number and a
// signature, so that the public page shows a completion only to someone
// who holds its certificate.
func (s *Server) certificateCode(enrolmentID int64) string {
	n := strconv.FormatInt(enrolmentID, 10)
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("certificate:" + n))
	return n + "-" + hex.EncodeToString(m.Sum(nil))[:16]
}

// certificateID reads a certificate code back, or returns 0.
func (s *Server) certificateID(code string) int64 {
	n, _, ok := strings.Cut(code, "-")
	id, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || id <= 0 || !hmac.Equal([]byte(s.certificateCode(id)), []byte(code)) {
		return 0
	}
	return id
}

func (s *Server) certificatePDF(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("enrolment")
	if err != nil {
		return err
	}
	doc, name, err := s.CertificatePDF(r.Context(), r.actor, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

// CertificatePDF makes the certificate of one of a person's completions,
// and its file name.
func (s *Server) CertificatePDF(ctx context.Context, actor *upskill.Actor, enrolmentID int64) ([]byte, string, error) {
	c, err := s.store.CompletionOf(ctx, actor.PersonID, enrolmentID)
	if err != nil {
		return nil, "", err
	}
	code := s.certificateCode(c.ID)
	cert := pdf.Certificate{ID: code, PersonName: c.PersonName, Learning: c.Title, Version: c.Version, OrganisationName: c.OrganisationName,
		CompletedAt: c.CompletedAt.In(london), Duration: time.Duration(c.Minutes) * time.Minute,
		VerifyURL: s.cfg.PublicURL.JoinPath("certificates", code).String()}
	if c.PassMark > 0 {
		cert.Score, cert.PassMark = c.Score, c.PassMark
	}
	if _, fv, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey); err == nil {
		for _, m := range c.Mappings {
			for _, capability := range fv.Capabilities() {
				if m.FrameworkID == fv.FrameworkID && capability.Code == m.CapabilityCode {
					cert.Capabilities = append(cert.Capabilities, capability.Statement)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.WriteCertificate(&buf, cert); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "certificate-" + code + ".pdf", nil
}

// CertificateView is the public check of a certificate.
type CertificateView struct {
	Page
	Code       string
	Completion *store.Completion
}

// certificate lets anyone holding a certificate check it: the code on it
// leads here, and a code that was not issued shows nothing.
func (s *Server) certificate(w http.ResponseWriter, r *request) error {
	code := r.PathValue("certificate")
	id := s.certificateID(code)
	notFound := upskill.Errorf(upskill.ENOTFOUND, "There is no certificate with that code. Check it against the certificate.")
	if id == 0 {
		return notFound
	}
	c, err := s.store.CompletionByID(r.Context(), id)
	if err != nil {
		return notFound
	}
	v := &CertificateView{Code: code, Completion: c}
	v.Title = "Certificate " + code
	return s.render(w, r, http.StatusOK, "certificate.html", v, &v.Page)
}
