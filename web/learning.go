package web

import (
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"upskill"
	"upskill/markdown"
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
	q := store.CatalogueQuery{OrgIDs: catalogueOrgs(r.actor), Text: f.Get("q"), FrameworkID: fw.ID, Domain: f.Get("domain"),
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
}

// visibleItem reads the {item} the person may find.
func (s *Server) visibleItem(r *request) (*upskill.ContentItem, error) {
	id, err := r.pathID("item")
	if err != nil {
		return nil, err
	}
	return s.store.VisibleContent(r.Context(), catalogueOrgs(r.actor), id)
}

func (s *Server) learningItem(w http.ResponseWriter, r *request) error {
	item, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	v := &LearningView{Item: item, Version: item.Published}
	if v.Statements, err = s.mappedStatements(r, item.Published); err != nil {
		return err
	}
	for _, m := range r.actor.Memberships {
		if m.Org.ID != item.Owner.ID && r.actor.Can(upskill.AuthorContent, m.Org) && m.Org.Level == upskill.LevelOrganisation {
			v.CopyTo = append(v.CopyTo, m)
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
	v := item.Published
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil || v.Format != upskill.FormatLesson || n < 1 || n > len(v.Pages) {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	pg := &v.Pages[n-1]
	base := "/learning/" + strconv.FormatInt(item.ID, 10)
	view := &LessonPageView{Item: item, Version: v, Number: n, Of: len(v.Pages), LessonURL: base, Body: s.lessons.render(v.ID, n, pg.Body),
		VideoURL: pg.VideoURL, PageTitle: pg.Title}
	if n > 1 {
		view.Prev = base + "/pages/" + strconv.Itoa(n-1)
	}
	if n < len(v.Pages) {
		view.Next = base + "/pages/" + strconv.Itoa(n+1)
	}
	f := newForm(r.PostForm)
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
