package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
	"upskill/markdown"
	"upskill/store"
)

// Authoring is where an organisation's content authors and admins (or,
// for national learning, national admins) write learning, send it for
// review, publish it and share it. Every handler acts on r.org, which the
// route's access rule was checked on, and the store finds only that
// owner's items.

func learningURL(orgID int64) string { return orgURL(orgID) + "/learning" }

func itemURL(orgID, itemID int64) string {
	return learningURL(orgID) + "/" + strconv.FormatInt(itemID, 10)
}

// AuthoringListView lists an owner's learning.
type AuthoringListView struct {
	Page
	Org   *upskill.Organisation
	Items []upskill.ContentItem
}

func (s *Server) authoringList(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	items, err := s.store.OwnedContent(ctx, r.org.ID)
	if err != nil {
		return err
	}
	v := &AuthoringListView{Org: r.org, Items: items}
	v.Title = "Learning you publish"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "authoring.html", v, &v.Page)
}

// ownerRef is the node that owns learning written on r.org's pages.
func ownerRef(org *upskill.Organisation) upskill.OrgRef { return org.Ref() }

// AuthoringFormView is a form about one item: creating it or changing its
// details.
type AuthoringFormView struct {
	Page
	Org         *upskill.Organisation
	Item        *upskill.ContentItem // nil when creating
	Action      string
	Formats     []Option
	StaffGroups []Option
	Badge       []Option
}

func formatOptions() []Option {
	var out []Option
	for _, f := range upskill.ContentFormats {
		hint := "Pages you write here, with questions to check understanding"
		if f == upskill.FormatLink {
			hint = "A course, video or guide on another website, which learners mark as done"
		}
		out = append(out, Option{Value: string(f), Label: f.Label(), Hint: hint})
	}
	return out
}

// detailsFrom reads the details form into a version, keeping what the
// form does not hold (pages, mappings) from base.
func detailsFrom(f *Form, base *upskill.ContentVersion) *upskill.ContentVersion {
	v := &upskill.ContentVersion{}
	if base != nil {
		*v = *base
	}
	v.Title, v.Summary = f.Get("title"), f.Get("summary")
	if fm := f.Get("format"); fm != "" || base == nil {
		v.Format = upskill.ContentFormat(fm)
	}
	v.LinkURL = f.Get("link_url")
	v.BadgeBearing = f.Get("badge_bearing") == "yes"
	v.Audience.StaffGroups = nil
	for _, g := range f.Values["staff_groups"] {
		v.Audience.StaffGroups = append(v.Audience.StaffGroups, upskill.StaffGroup(g))
	}
	number := func(name, msg string) int {
		raw := f.Get(name)
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			f.Add(name, msg)
		}
		return n
	}
	v.Minutes = number("minutes", "Enter the time to complete as a whole number of minutes, like 20")
	v.ReviewBy = time.Time{}
	if t, given := readDate(f, "review", "Enter a real review date, like 31 3 2027"); given {
		v.ReviewBy = t
	}
	v.PassMark = number("pass_mark", "Enter the pass mark as a whole number, like 80")
	return v
}

func (s *Server) authoringNew(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		v := detailsFrom(f, nil)
		if !f.HasErrors() {
			visibility := upskill.VisibleOwner
			if r.org.Level == upskill.LevelNation {
				visibility = upskill.VisibleEveryone
			}
			id, err := s.store.CreateContent(ctx, r.actor.PersonID, ownerRef(r.org), visibility, v)
			if err == nil {
				s.setFlash(w, "Your draft has been saved. Add its pages and the statements it builds, then publish it.")
				return redirect(w, r, itemURL(r.org.ID, id))
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else {
		f.Values.Set("format", string(upskill.FormatLesson))
	}
	return s.renderDetails(w, r, status, f, nil)
}

func (s *Server) renderDetails(w http.ResponseWriter, r *request, status int, f *Form, item *upskill.ContentItem) error {
	v := &AuthoringFormView{Org: r.org, Item: item, Formats: formatOptions(), StaffGroups: staffGroupOptions("")[1:],
		Badge: []Option{{Value: "yes", Label: "People who complete it earn a digital badge they can show employers"}}}
	v.Form = f
	v.Title, v.Action = "Write new learning", learningURL(r.org.ID)+"/new"
	if item != nil {
		v.Title, v.Action = "Change the details", itemURL(r.org.ID, item.ID)+"/details"
	}
	var err error
	if v.Crumbs, err = s.trail(r.Context(), r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"Learning you publish", learningURL(r.org.ID)})
	if item != nil {
		v.Crumbs = append(v.Crumbs, Crumb{item.Current().Title, itemURL(r.org.ID, item.ID)})
	}
	return s.render(w, r, status, "authoring_details.html", v, &v.Page)
}

// ownedItem reads the {item} of r.org.
func (s *Server) ownedItem(r *request) (*upskill.ContentItem, error) {
	id, err := r.pathID("item")
	if err != nil {
		return nil, err
	}
	return s.store.ContentForOwner(r.Context(), r.org.ID, id)
}

// openDraft is the item's draft, or an error saying there is none to
// change.
func openDraft(item *upskill.ContentItem) (*upskill.ContentVersion, error) {
	if item.Draft == nil {
		return nil, upskill.Errorf(upskill.ECONFLICT, "This learning has no draft. Start a new version to change it.")
	}
	if item.Draft.Status != upskill.ContentDraft {
		return nil, upskill.Errorf(upskill.ECONFLICT, "This version is waiting for review, so it cannot change. Ask the reviewer to send it back first.")
	}
	return item.Draft, nil
}

func (s *Server) authoringDetails(w http.ResponseWriter, r *request) error {
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	draft, err := openDraft(item)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		v := detailsFrom(f, draft)
		if !f.HasErrors() {
			err := s.store.SaveDraft(r.Context(), r.actor.PersonID, r.org.ID, item.ID, v)
			if err == nil {
				s.setFlash(w, "The details have been saved.")
				return redirect(w, r, itemURL(r.org.ID, item.ID))
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else {
		f.Values.Set("title", draft.Title)
		f.Values.Set("summary", draft.Summary)
		f.Values.Set("format", string(draft.Format))
		if draft.Minutes > 0 {
			f.Values.Set("minutes", strconv.Itoa(draft.Minutes))
		}
		if draft.PassMark > 0 {
			f.Values.Set("pass_mark", strconv.Itoa(draft.PassMark))
		}
		f.Values.Set("link_url", draft.LinkURL)
		if !draft.ReviewBy.IsZero() {
			setDate(f, "review", draft.ReviewBy)
		}
		if draft.BadgeBearing {
			f.Values.Set("badge_bearing", "yes")
		}
		for _, g := range draft.Audience.StaffGroups {
			f.Values.Add("staff_groups", string(g))
		}
	}
	return s.renderDetails(w, r, status, f, item)
}

// AuthoringItemView is an item as its authors see it.
type AuthoringItemView struct {
	Page
	Org        *upskill.Organisation
	Item       *upskill.ContentItem
	Version    *upskill.ContentVersion // the draft if there is one, else the published version
	Statements []MappedStatement
	CanPublish bool // the actor did not send the version for review
	Problems   []upskill.FieldError
	Images     []store.Media
}

// MappedStatement is a framework statement the learning builds, for
// showing.
type MappedStatement struct {
	Code, Statement, Level string
}

func (s *Server) authoringItem(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	v := &AuthoringItemView{Org: r.org, Item: item, Version: item.Current(), CanPublish: true}
	if item.Draft != nil {
		v.Problems = upskill.ErrorFields(item.Draft.ReadyToPublish())
	}
	if v.Statements, err = s.mappedStatements(r, v.Version); err != nil {
		return err
	}
	if v.Images, err = s.store.ItemImages(ctx, r.org.ID, item.ID); err != nil {
		return err
	}
	v.Title = v.Version.Title
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	v.Crumbs = append(v.Crumbs, Crumb{"Learning you publish", learningURL(r.org.ID)})
	return s.render(w, r, http.StatusOK, "authoring_item.html", v, &v.Page)
}

// mappedStatements describes a version's mappings with the default
// framework's statements and level names.
func (s *Server) mappedStatements(r *request, v *upskill.ContentVersion) ([]MappedStatement, error) {
	if len(v.Mappings) == 0 {
		return nil, nil
	}
	_, fv, err := s.store.PublishedVersion(r.Context(), s.cfg.FrameworkKey)
	if err != nil {
		return nil, err
	}
	var out []MappedStatement
	for _, m := range v.Mappings {
		ms := MappedStatement{Code: m.CapabilityCode, Level: "Level " + strconv.Itoa(m.Level)}
		if m.FrameworkID == fv.FrameworkID {
			for _, c := range fv.Capabilities() {
				if c.Code == m.CapabilityCode {
					ms.Statement = c.Statement
				}
			}
			if m.Level >= 1 && m.Level <= len(fv.Levels) {
				ms.Level = fv.Levels[m.Level-1].Name
			}
		}
		out = append(out, ms)
	}
	return out, nil
}

// AuthoringStatementsView chooses the statements learning builds.
type AuthoringStatementsView struct {
	Page
	Org     *upskill.Organisation
	Item    *upskill.ContentItem
	Domains []TargetDomain
}

func (s *Server) authoringStatements(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	draft, err := openDraft(item)
	if err != nil {
		return err
	}
	_, fv, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		v := *draft
		v.Mappings = nil
		for _, c := range fv.Capabilities() {
			raw := f.Get("level-" + c.Code)
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				f.Add("level-"+c.Code, "Choose a level from the list")
				continue
			}
			v.Mappings = append(v.Mappings, upskill.ContentMapping{FrameworkID: fv.FrameworkID, CapabilityCode: c.Code, Level: n})
		}
		if !f.HasErrors() {
			err := s.store.SaveDraft(ctx, r.actor.PersonID, r.org.ID, item.ID, &v)
			if err == nil {
				s.setFlash(w, "The statements have been saved.")
				return redirect(w, r, itemURL(r.org.ID, item.ID))
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else {
		for _, m := range draft.Mappings {
			if m.FrameworkID == fv.FrameworkID {
				f.Values.Set("level-"+m.CapabilityCode, strconv.Itoa(m.Level))
			}
		}
	}
	levels := []Option{{Value: "", Label: "Not covered"}}
	for _, l := range fv.Levels {
		levels = append(levels, Option{Value: strconv.Itoa(l.Number), Label: l.Name})
	}
	view := &AuthoringStatementsView{Org: r.org, Item: item}
	for _, d := range fv.Domains {
		td := TargetDomain{Name: d.Name}
		for _, c := range d.Capabilities {
			td.Fields = append(td.Fields, options(field(f, "level-"+c.Code, "label", c.Code+". "+c.Statement), f, levels))
		}
		view.Domains = append(view.Domains, td)
	}
	view.Form = f
	view.Title = "Statements this learning builds"
	if view.Crumbs, err = s.authoringTrail(r, draft.Title, item.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "authoring_statements.html", view, &view.Page)
}

// AuthoringPageView writes one page of a lesson.
type AuthoringPageView struct {
	Page
	Org       *upskill.Organisation
	Item      *upskill.ContentItem
	Number    int // from 1; one past the last for a new page
	New       bool
	Action    string
	Questions []QuestionSlot
}

// QuestionSlot is one question block on the page form; the last is blank,
// for adding a question.
type QuestionSlot struct {
	Index    int
	Prompt   Field
	Multiple Field
	Feedback Field
	Options  []OptionSlot
}

// OptionSlot is one answer of a question block on the page form.
type OptionSlot struct {
	Text, Correct, Feedback Field
}

// optionSlots is how many answers each question block offers.
const optionSlots = 4

func (s *Server) authoringPage(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	draft, err := openDraft(item)
	if err != nil {
		return err
	}
	index := len(draft.Pages) // a new page
	isNew := r.PathValue("page") == ""
	if !isNew {
		n, err := strconv.Atoi(r.PathValue("page"))
		if err != nil || n < 1 || n > len(draft.Pages) {
			return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
		}
		index = n - 1
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		page := pageFrom(f)
		v := *draft
		v.Pages = slices.Clone(draft.Pages)
		if isNew {
			v.Pages = append(v.Pages, page)
		} else {
			v.Pages[index] = page
		}
		err := s.store.SaveDraft(ctx, r.actor.PersonID, r.org.ID, item.ID, &v)
		if err == nil {
			s.setFlash(w, "Page "+strconv.Itoa(index+1)+" has been saved.")
			if f.Get("next") == "question" {
				return redirect(w, r, itemURL(r.org.ID, item.ID)+"/pages/"+strconv.Itoa(index+1)+"#"+qName(len(page.Questions), "prompt"))
			}
			return redirect(w, r, itemURL(r.org.ID, item.ID))
		}
		if !f.absorb(err) {
			return err
		}
		// The domain names fields after the page's place in the lesson;
		// the form's fields have no page number.
		prefix := "pages." + strconv.Itoa(index) + "."
		for i := range f.Errors {
			if rest, ok := strings.CutPrefix(f.Errors[i].Field, prefix); ok {
				f.Errors[i].Field = slugField(rest)
			}
		}
		status = http.StatusUnprocessableEntity
	} else if !isNew {
		pageToForm(f, &draft.Pages[index])
	}
	view := &AuthoringPageView{Org: r.org, Item: item, Number: index + 1, New: isNew}
	view.Action = itemURL(r.org.ID, item.ID) + "/pages/" + strconv.Itoa(index+1)
	if isNew {
		view.Action = itemURL(r.org.ID, item.ID) + "/pages/new"
	}
	blocks := 1
	for k := range 10 {
		if f.Get(qName(k, "prompt")) != "" {
			blocks = k + 2
		}
	}
	for k := range min(blocks, upskill.MaxPageQuestions) {
		slot := QuestionSlot{Index: k,
			Prompt:   field(f, qName(k, "prompt"), "label", "Question"),
			Multiple: options(field(f, qName(k, "multiple"), "label", "How learners answer"), f, []Option{{Value: "yes", Label: "Learners may choose more than one answer"}}),
			Feedback: field(f, qName(k, "feedback"), "label", "Feedback for everyone who answers", "hint", "Optional. Explain the right answer."),
		}
		for o := range optionSlots {
			slot.Options = append(slot.Options, OptionSlot{
				Text:     field(f, oName(k, o, "text"), "label", "Answer "+strconv.Itoa(o+1)),
				Correct:  options(field(f, oName(k, o, "correct"), "label", "Is answer "+strconv.Itoa(o+1)+" right?"), f, []Option{{Value: "yes", Label: "This answer is right"}}),
				Feedback: field(f, oName(k, o, "feedback"), "label", "Feedback for answer "+strconv.Itoa(o+1), "hint", "Optional. Shown to learners who choose it."),
			})
		}
		view.Questions = append(view.Questions, slot)
	}
	view.Form = f
	view.Title = "Page " + strconv.Itoa(index+1)
	if view.Crumbs, err = s.authoringTrail(r, draft.Title, item.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "authoring_page.html", view, &view.Page)
}

func qName(k int, name string) string { return "q" + strconv.Itoa(k) + "_" + name }

func oName(k, o int, name string) string {
	return "q" + strconv.Itoa(k) + "_o" + strconv.Itoa(o) + "_" + name
}

// slugField turns a domain field name within a page ("questions.0.prompt")
// into the form's ("q0_prompt").
func slugField(name string) string {
	rest, ok := strings.CutPrefix(name, "questions.")
	if !ok {
		return name
	}
	num, part, ok := strings.Cut(rest, ".")
	k, err := strconv.Atoi(num)
	if !ok || err != nil {
		return name
	}
	if part == "options" {
		return oName(k, 0, "text")
	}
	return qName(k, part)
}

// pageFrom reads a page form. Question blocks and answers left blank are
// dropped, so that the blank block for adding a question is harmless.
func pageFrom(f *Form) upskill.LessonPage {
	p := upskill.LessonPage{Title: f.Get("title"), Body: f.Values.Get("body"), VideoURL: f.Get("video_url")}
	for k := range upskill.MaxPageQuestions {
		q := upskill.LessonQuestion{Prompt: f.Get(qName(k, "prompt")), Multiple: f.Get(qName(k, "multiple")) == "yes",
			Feedback: f.Get(qName(k, "feedback"))}
		for o := range upskill.MaxQuestionOptions {
			text := f.Get(oName(k, o, "text"))
			if text == "" {
				continue
			}
			q.Options = append(q.Options, upskill.LessonOption{Text: text, Correct: f.Get(oName(k, o, "correct")) == "yes",
				Feedback: f.Get(oName(k, o, "feedback"))})
		}
		if q.Prompt == "" && len(q.Options) == 0 {
			continue
		}
		p.Questions = append(p.Questions, q)
	}
	return p
}

func pageToForm(f *Form, p *upskill.LessonPage) {
	f.Values.Set("title", p.Title)
	f.Values.Set("body", p.Body)
	f.Values.Set("video_url", p.VideoURL)
	for k, q := range p.Questions {
		f.Values.Set(qName(k, "prompt"), q.Prompt)
		if q.Multiple {
			f.Values.Set(qName(k, "multiple"), "yes")
		}
		f.Values.Set(qName(k, "feedback"), q.Feedback)
		for o, opt := range q.Options {
			f.Values.Set(oName(k, o, "text"), opt.Text)
			if opt.Correct {
				f.Values.Set(oName(k, o, "correct"), "yes")
			}
			f.Values.Set(oName(k, o, "feedback"), opt.Feedback)
		}
	}
}

func (s *Server) authoringDeletePage(w http.ResponseWriter, r *request) error {
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	draft, err := openDraft(item)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil || n < 1 || n > len(draft.Pages) {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	v := *draft
	v.Pages = slices.Delete(slices.Clone(draft.Pages), n-1, n)
	if err := s.store.SaveDraft(r.Context(), r.actor.PersonID, r.org.ID, item.ID, &v); err != nil {
		return err
	}
	s.setFlash(w, "Page "+strconv.Itoa(n)+" has been removed.")
	return redirect(w, r, itemURL(r.org.ID, item.ID))
}

// AuthoringSharingView says who may find an item.
type AuthoringSharingView struct {
	Page
	Org          *upskill.Organisation
	Item         *upskill.ContentItem
	Visibility   Field
	Organisation Field
}

func (s *Server) authoringSharing(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		var ids []int64
		for _, raw := range f.Values["organisations"] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				f.Add("organisations", "Choose organisations from the list")
				break
			}
			ids = append(ids, id)
		}
		if !f.HasErrors() {
			err := s.store.ShareContent(ctx, r.actor.PersonID, r.org.ID, item.ID, upskill.Visibility(f.Get("visibility")), ids)
			if err == nil {
				s.setFlash(w, "Who can find the learning has been saved.")
				return redirect(w, r, itemURL(r.org.ID, item.ID))
			}
			if !f.absorb(err) {
				return err
			}
			for i := range f.Errors {
				if f.Errors[i].Field == "" {
					f.Errors[i].Field = "visibility"
				}
			}
		}
		status = http.StatusUnprocessableEntity
	} else {
		f.Values.Set("visibility", string(item.Visibility))
		for _, o := range item.SharedWith {
			f.Values.Add("organisations", strconv.FormatInt(o.ID, 10))
		}
	}
	var vis []Option
	for _, v := range upskill.Visibilities {
		if r.org.Level == upskill.LevelNation && v == upskill.VisibleNamed {
			continue
		}
		vis = append(vis, Option{Value: string(v), Label: v.Label()})
	}
	// Organisations are offered from the owner's region, where sharing
	// between neighbours mostly happens.
	var orgs []Option
	if r.org.Level == upskill.LevelOrganisation {
		neighbours, err := s.store.Children(ctx, r.org.ParentID)
		if err != nil {
			return err
		}
		for _, n := range neighbours {
			if n.ID != r.org.ID {
				orgs = append(orgs, Option{Value: strconv.FormatInt(n.ID, 10), Label: n.Name})
			}
		}
	}
	view := &AuthoringSharingView{Org: r.org, Item: item,
		Visibility:   options(field(f, "visibility", "label", "Who can find this learning?"), f, vis),
		Organisation: options(field(f, "organisations", "label", "Organisations to share with", "hint", "Only when sharing with organisations you choose. Their staff can find the learning, and their authors can copy it to adapt."), f, orgs),
	}
	view.Form = f
	view.Title = "Who can find this learning"
	if view.Crumbs, err = s.authoringTrail(r, item.Current().Title, item.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "authoring_sharing.html", view, &view.Page)
}

// authoringAction runs one of the steps of an item's life.
func (s *Server) authoringAction(step string) func(http.ResponseWriter, *request) error {
	return func(w http.ResponseWriter, r *request) error {
		ctx := r.Context()
		id, err := r.pathID("item")
		if err != nil {
			return err
		}
		var msg string
		switch step {
		case "review":
			err, msg = s.store.SubmitForReview(ctx, r.actor.PersonID, r.org.ID, id), "The draft has been sent for review. Another author can now publish it or send it back."
		case "return":
			err, msg = s.store.ReturnToDraft(ctx, r.actor.PersonID, r.org.ID, id, r.PostForm.Get("note")), "The draft has been sent back to its authors."
		case "publish":
			err, msg = s.store.PublishContent(ctx, r.actor.PersonID, r.org.ID, id), "The learning has been published."
		case "new-version":
			err, msg = s.store.NewContentVersion(ctx, r.actor.PersonID, r.org.ID, id), "A new draft has been started from the published version. Learners keep seeing the published one until you publish the draft."
		}
		if err != nil {
			if code := upskill.ErrorCode(err); code == upskill.EINVALID || code == upskill.ECONFLICT || code == upskill.EFORBIDDEN {
				s.setFlash(w, upskill.ErrorMessage(err))
				return redirect(w, r, itemURL(r.org.ID, id))
			}
			return err
		}
		s.setFlash(w, msg)
		return redirect(w, r, itemURL(r.org.ID, id))
	}
}

// authoringCopy copies learning that the organisation's staff can find
// into a draft of its own.
func (s *Server) authoringCopy(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("item")
	if err != nil {
		return err
	}
	copyID, err := s.store.CopyContent(r.Context(), r.actor.PersonID, ownerRef(r.org), id)
	if err != nil {
		return err
	}
	s.setFlash(w, "A copy has been saved as your draft. Change it to suit your organisation, then publish it.")
	return redirect(w, r, itemURL(r.org.ID, copyID))
}

// authoringImage keeps an image uploaded for a lesson, and shows the
// Markdown that puts it on a page.
func (s *Server) authoringImage(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("item")
	if err != nil {
		return err
	}
	back := itemURL(r.org.ID, id)
	fail := func(msg string) error {
		s.setFlash(w, "The image was not uploaded: "+msg+".")
		return redirect(w, r, back+"#images")
	}
	file, header, err := r.FormFile("image")
	if err != nil {
		return fail("choose an image to upload")
	}
	defer file.Close()
	body, err := readUpload(file, header)
	if err != nil {
		return fail(strings.TrimSuffix(upskill.ErrorMessage(err), "."))
	}
	mediaID, err := s.store.SaveImage(r.Context(), r.actor.PersonID, r.org.ID, id, cleanFileName(header.Filename), body)
	if code := upskill.ErrorCode(err); code == upskill.EINVALID {
		return fail(upskill.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	s.setFlash(w, "The image has been uploaded. To show it on a page, copy this into the page's text and describe the image between the brackets: ![Describe the image](/media/"+mediaID+")")
	return redirect(w, r, back+"#images")
}

// media serves an uploaded image. Its address is random, and it is served
// so that a browser only ever shows it as an image.
func (s *Server) media(w http.ResponseWriter, r *request) error {
	m, err := s.store.Image(r.Context(), r.PathValue("media"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(m.Body)))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", "inline")
	_, err = w.Write(m.Body)
	return err
}

// authoringPreview shows a page of the draft as learners will see it.
func (s *Server) authoringPreview(w http.ResponseWriter, r *request) error {
	item, err := s.ownedItem(r)
	if err != nil {
		return err
	}
	v := item.Current()
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil || n < 1 || n > len(v.Pages) {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	pg := &v.Pages[n-1]
	base := itemURL(r.org.ID, item.ID)
	view := &LessonPageView{Item: item, Version: v, Number: n, Of: len(v.Pages), LessonURL: base, Body: markdown.Render(pg.Body),
		VideoURL: pg.VideoURL, PageTitle: pg.Title, Preview: true}
	if n > 1 {
		view.Prev = base + "/preview/" + strconv.Itoa(n-1)
	}
	if n < len(v.Pages) {
		view.Next = base + "/preview/" + strconv.Itoa(n+1)
	}
	for k, q := range pg.Questions {
		var opts []Option
		for o, opt := range q.Options {
			opts = append(opts, Option{Value: strconv.Itoa(o), Label: opt.Text})
		}
		view.Questions = append(view.Questions, LessonQuestionView{Multiple: q.Multiple,
			Field: options(field(nil, "answer-"+strconv.Itoa(k+1), "label", q.Prompt), nil, opts)})
	}
	view.Title = "Preview: " + pg.Title
	if view.Crumbs, err = s.authoringTrail(r, v.Title, item.ID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "lesson_page.html", view, &view.Page)
}

// authoringTrail is the breadcrumb trail of a page about one of r.org's
// items: the organisation, its learning, and the item under its title.
func (s *Server) authoringTrail(r *request, title string, itemID int64) ([]Crumb, error) {
	crumbs, err := s.trail(r.Context(), r, r.org, true)
	if err != nil {
		return nil, err
	}
	return append(crumbs, Crumb{"Learning you publish", learningURL(r.org.ID)}, Crumb{title, itemURL(r.org.ID, itemID)}), nil
}
