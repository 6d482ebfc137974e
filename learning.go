package upskill

import (
	"bytes"
	"image"
	_ "image/gif"  // images lessons may have
	_ "image/jpeg" // images lessons may have
	_ "image/png"  // images lessons may have
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is learning content: items owned nationally or by an
// organisation, their versions, lessons written in the browser with their
// question blocks, and the rules that say when a lesson is complete.

// ContentFormat is how a piece of learning is delivered.
type ContentFormat string

const (
	// FormatLesson is pages written in the browser, with questions.
	FormatLesson ContentFormat = "lesson"
	// FormatLink is learning elsewhere (a course, a video, a guide), which
	// the learner marks as done.
	FormatLink ContentFormat = "link"
)

// ContentFormats lists the formats in the order forms show them.
var ContentFormats = []ContentFormat{FormatLesson, FormatLink}

// Label is the plain-English name of a format.
func (f ContentFormat) Label() string {
	switch f {
	case FormatLesson:
		return "Lesson"
	case FormatLink:
		return "Link to learning elsewhere"
	}
	return ""
}

// Visibility says which organisations' staff may find an item.
type Visibility string

const (
	VisibleOwner    Visibility = "owner"    // the owner's staff only
	VisibleNamed    Visibility = "named"    // the owner's and named organisations' staff
	VisibleEveryone Visibility = "everyone" // everyone who uses the service
)

// Visibilities lists the visibilities in the order forms show them.
var Visibilities = []Visibility{VisibleOwner, VisibleNamed, VisibleEveryone}

// Label is the plain-English name of a visibility.
func (v Visibility) Label() string {
	switch v {
	case VisibleOwner:
		return "Only our staff"
	case VisibleNamed:
		return "Our staff and organisations we choose"
	case VisibleEveryone:
		return "Everyone who uses upskill"
	}
	return ""
}

// ContentStatus is where a version of an item is in its life.
type ContentStatus string

const (
	ContentDraft     ContentStatus = "draft"     // being written; only authors see it
	ContentReview    ContentStatus = "review"    // waiting for another author to publish it
	ContentPublished ContentStatus = "published" // learners see it; it never changes
	ContentRetired   ContentStatus = "retired"   // replaced by a later version, or withdrawn
)

// Label is the plain-English name of a status.
func (s ContentStatus) Label() string {
	switch s {
	case ContentDraft:
		return "Draft"
	case ContentReview:
		return "Waiting for review"
	case ContentPublished:
		return "Published"
	case ContentRetired:
		return "Retired"
	}
	return ""
}

// ContentItem is a piece of learning with its owner and who may see it.
// What learners see is its published version; authors work on a draft
// that replaces it when published.
type ContentItem struct {
	ID         int64
	Owner      OrgRef
	OwnerName  string
	Visibility Visibility
	// SharedWith holds the organisations that may also see the item when
	// its visibility is VisibleNamed.
	SharedWith []SharedOrg
	// CopiedFrom is where an adapted copy came from, or nil.
	CopiedFrom *ContentOrigin
	Published  *ContentVersion // the version learners see, or nil
	Draft      *ContentVersion // the version being written or reviewed, or nil
	CreatedAt  time.Time
}

// FoundBy reports whether the staff of any of orgIDs may find the item:
// it is shared with everyone, owned by one of them, or shared with one of
// them by name. The store's SQL applies the same rule.
func (c *ContentItem) FoundBy(orgIDs []int64) bool {
	if c.Visibility == VisibleEveryone || slices.Contains(orgIDs, c.Owner.ID) {
		return true
	}
	if c.Visibility != VisibleNamed {
		return false
	}
	for _, o := range c.SharedWith {
		if slices.Contains(orgIDs, o.ID) {
			return true
		}
	}
	return false
}

// National reports whether the item is owned by the national team.
func (c *ContentItem) National() bool { return c.Owner.Level == LevelNation }

// Current is the version to show: the published one, else the draft.
func (c *ContentItem) Current() *ContentVersion {
	if c.Published != nil {
		return c.Published
	}
	return c.Draft
}

// SharedOrg is an organisation an item is shared with.
type SharedOrg struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ContentOrigin is the item and version a copy was made from.
type ContentOrigin struct {
	ItemID    int64  `json:"item_id"`
	Version   int    `json:"version"`
	Title     string `json:"title"`
	OwnerName string `json:"owner_name"`
}

// ContentVersion is one version of an item. A published version never
// changes; a completion records the version it was made on.
type ContentVersion struct {
	ID       int64         `json:"id"`
	ItemID   int64         `json:"item_id"`
	Number   int           `json:"version"`
	Status   ContentStatus `json:"status"`
	Title    string        `json:"title"`
	Summary  string        `json:"summary"`
	Format   ContentFormat `json:"format"`
	Minutes  int           `json:"minutes"`
	Audience Audience      `json:"audience"`
	// ReviewBy is when the owner means to check the content is still
	// right; zero when not set.
	ReviewBy time.Time `json:"review_by,omitzero"`
	// Mappings say which capabilities of which framework the learning
	// builds, and to what level.
	Mappings []ContentMapping `json:"mappings"`
	// BadgeBearing items earn an Open Badge when completed.
	BadgeBearing bool `json:"badge_bearing"`
	// Pages and PassMark are a lesson's; LinkURL a link's.
	Pages       []LessonPage `json:"pages,omitempty"`
	PassMark    int          `json:"pass_mark,omitempty"` // percent of questions right, 0 for none
	LinkURL     string       `json:"link_url,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	PublishedAt time.Time    `json:"published_at,omitzero"`
	// ReviewNote is what a reviewer said when they sent a version back.
	ReviewNote string `json:"review_note,omitempty"`
}

// Audience is who the learning is written for. Empty lists mean anyone.
type Audience struct {
	StaffGroups []StaffGroup `json:"staff_groups,omitempty"`
	JobRoles    []string     `json:"job_roles,omitempty"`
}

// For reports whether the audience includes someone of the given staff
// group and job role.
func (a Audience) For(group StaffGroup, jobRole string) bool {
	if len(a.StaffGroups) == 0 && len(a.JobRoles) == 0 {
		return true
	}
	if slices.Contains(a.StaffGroups, group) {
		return true
	}
	return slices.ContainsFunc(a.JobRoles, func(r string) bool { return strings.EqualFold(r, jobRole) })
}

// ContentMapping links learning to a capability of a framework, by the
// capability's code, so that a mapping outlives framework versions that
// keep the code. Level is the level descriptor (from 1) the learning takes
// a learner to.
type ContentMapping struct {
	FrameworkID    int64  `json:"framework_id"`
	DomainCode     string `json:"domain_code"`
	CapabilityCode string `json:"capability_code"`
	Level          int    `json:"level"`
}

// LessonPage is one page of a lesson: Markdown, an optional video link
// and optional questions.
type LessonPage struct {
	Title     string           `json:"title"`
	Body      string           `json:"body"` // Markdown
	VideoURL  string           `json:"video_url,omitempty"`
	Questions []LessonQuestion `json:"questions,omitempty"`
}

// LessonQuestion is a question block: one right option, or several.
type LessonQuestion struct {
	Prompt   string         `json:"prompt"`
	Multiple bool           `json:"multiple"`
	Options  []LessonOption `json:"options"`
	// Feedback is shown after answering, right or wrong.
	Feedback string `json:"feedback,omitempty"`
}

// LessonOption is one option of a question, with what to tell a learner
// who chose it.
type LessonOption struct {
	Text     string `json:"text"`
	Correct  bool   `json:"correct"`
	Feedback string `json:"feedback,omitempty"`
}

// Limits on what a version may hold.
const (
	MaxLessonPages      = 50
	MaxPageBody         = 100_000 // bytes of Markdown
	MaxPageQuestions    = 10
	MaxQuestionOptions  = 8
	MaxContentMinutes   = 600
	MaxContentMappings  = 30
	maxContentTitle     = 150
	maxContentSummary   = 600
	maxQuestionText     = 500
	maxFeedbackText     = 1000
	maxAudienceJobRoles = 20
)

// Check reports whether the options selected (by position) are exactly
// the right ones. A selection out of range is never right.
func (q *LessonQuestion) Check(selected []int) bool {
	if len(selected) == 0 {
		return false
	}
	seen := make([]bool, len(q.Options))
	for _, i := range selected {
		if i < 0 || i >= len(q.Options) || seen[i] {
			return false
		}
		seen[i] = true
	}
	for i, o := range q.Options {
		if o.Correct != seen[i] {
			return false
		}
	}
	return true
}

// SelectionProblem says what is wrong with a learner's answer to q, or ""
// when it is a proper answer (right or wrong).
func (q *LessonQuestion) SelectionProblem(selected []int) string {
	if len(selected) == 0 {
		if q.Multiple {
			return "Select at least one answer"
		}
		return "Select an answer"
	}
	if !q.Multiple && len(selected) > 1 {
		return "Select only one answer"
	}
	seen := map[int]bool{}
	for _, i := range selected {
		if i < 0 || i >= len(q.Options) || seen[i] {
			return "Select answers from the list"
		}
		seen[i] = true
	}
	return ""
}

// QuestionCount is the number of questions in the lesson.
func (v *ContentVersion) QuestionCount() int {
	n := 0
	for _, p := range v.Pages {
		n += len(p.Questions)
	}
	return n
}

// Question returns question q of page p, or nil.
func (v *ContentVersion) Question(page, q int) *LessonQuestion {
	if page < 0 || page >= len(v.Pages) || q < 0 || q >= len(v.Pages[page].Questions) {
		return nil
	}
	return &v.Pages[page].Questions[q]
}

// Validate checks a version as an author saves it. A draft may be
// unfinished; ReadyToPublish says what it still lacks.
func (v *ContentVersion) Validate() error {
	var p Problems
	v.Title = strings.TrimSpace(v.Title)
	v.Summary = strings.TrimSpace(v.Summary)
	switch {
	case v.Title == "":
		p.Add("title", "Enter a title")
	case utf8.RuneCountInString(v.Title) > maxContentTitle:
		p.Add("title", "Title must be 150 characters or fewer")
	}
	if utf8.RuneCountInString(v.Summary) > maxContentSummary {
		p.Add("summary", "Summary must be 600 characters or fewer")
	}
	if !slices.Contains(ContentFormats, v.Format) {
		p.Add("format", "Select a format")
	}
	if v.Minutes < 0 || v.Minutes > MaxContentMinutes {
		p.Add("minutes", "Time to complete must be between 1 and 600 minutes")
	}
	for _, g := range v.Audience.StaffGroups {
		if g == "" || !g.Valid() {
			p.Add("audience", "Select staff groups from the list")
		}
	}
	if len(v.Audience.JobRoles) > maxAudienceJobRoles {
		p.Add("job_roles", "Name 20 job roles or fewer")
	}
	for _, r := range v.Audience.JobRoles {
		if strings.TrimSpace(r) == "" || len(r) > 120 {
			p.Add("job_roles", "Each job role must be between 1 and 120 characters")
		}
	}
	if len(v.Mappings) > MaxContentMappings {
		p.Add("mappings", "Map the learning to 30 statements or fewer")
	}
	for _, m := range v.Mappings {
		if m.FrameworkID == 0 || m.CapabilityCode == "" || m.Level < 1 {
			p.Add("mappings", "Each statement the learning builds needs a level")
		}
	}
	if v.PassMark < 0 || v.PassMark > 100 {
		p.Add("pass_mark", "Pass mark must be between 0 and 100 per cent")
	}
	switch v.Format {
	case FormatLink:
		if v.LinkURL != "" && !safeWebURL(v.LinkURL) {
			p.Add("link_url", "Enter a web address that starts with https://")
		}
	case FormatLesson:
		if len(v.Pages) > MaxLessonPages {
			p.Add("pages", "A lesson can have 50 pages or fewer")
		}
		for i := range v.Pages {
			v.Pages[i].validate(&p, i)
		}
	}
	return p.Err()
}

func (pg *LessonPage) validate(p *Problems, i int) {
	pg.Title = strings.TrimSpace(pg.Title)
	field := func(name string) string { return "pages." + itoa(i) + "." + name }
	n := "Page " + itoa(i+1)
	switch {
	case pg.Title == "":
		p.Add(field("title"), n+": enter a title")
	case utf8.RuneCountInString(pg.Title) > maxContentTitle:
		p.Add(field("title"), n+": title must be 150 characters or fewer")
	}
	if len(pg.Body) > MaxPageBody {
		p.Add(field("body"), n+": the text must be 100,000 characters or fewer")
	}
	if pg.VideoURL != "" && !safeWebURL(pg.VideoURL) {
		p.Add(field("video_url"), n+": enter a video address that starts with https://")
	}
	if len(pg.Questions) > MaxPageQuestions {
		p.Add(field("questions"), n+": a page can have 10 questions or fewer")
	}
	for j := range pg.Questions {
		q := &pg.Questions[j]
		qf := func(name string) string { return field("questions." + itoa(j) + "." + name) }
		qn := n + ", question " + itoa(j+1)
		q.Prompt = strings.TrimSpace(q.Prompt)
		switch {
		case q.Prompt == "":
			p.Add(qf("prompt"), qn+": enter the question")
		case utf8.RuneCountInString(q.Prompt) > maxQuestionText:
			p.Add(qf("prompt"), qn+": the question must be 500 characters or fewer")
		}
		if utf8.RuneCountInString(q.Feedback) > maxFeedbackText {
			p.Add(qf("feedback"), qn+": feedback must be 1,000 characters or fewer")
		}
		if len(q.Options) < 2 || len(q.Options) > MaxQuestionOptions {
			p.Add(qf("options"), qn+": give between 2 and 8 answers to choose from")
			continue
		}
		right := 0
		for k := range q.Options {
			o := &q.Options[k]
			o.Text = strings.TrimSpace(o.Text)
			if o.Text == "" || utf8.RuneCountInString(o.Text) > maxQuestionText {
				p.Add(qf("options"), qn+": each answer needs text of 500 characters or fewer")
			}
			if utf8.RuneCountInString(o.Feedback) > maxFeedbackText {
				p.Add(qf("options"), qn+": feedback must be 1,000 characters or fewer")
			}
			if o.Correct {
				right++
			}
		}
		switch {
		case right == 0:
			p.Add(qf("options"), qn+": mark at least one answer as right")
		case right > 1 && !q.Multiple:
			p.Add(qf("options"), qn+": mark only one answer as right, or let learners choose several")
		}
	}
}

// ReadyToPublish says what a valid draft still lacks before learners may
// see it, as field problems.
func (v *ContentVersion) ReadyToPublish() error {
	if err := v.Validate(); err != nil {
		return err
	}
	var p Problems
	if v.Summary == "" {
		p.Add("summary", "Enter a summary, so that learners know what the learning is about")
	}
	if v.Minutes < 1 {
		p.Add("minutes", "Enter how many minutes the learning takes")
	}
	if len(v.Mappings) == 0 {
		p.Add("mappings", "Choose at least one statement of the framework that the learning builds")
	}
	switch v.Format {
	case FormatLink:
		if v.LinkURL == "" {
			p.Add("link_url", "Enter the web address of the learning")
		}
	case FormatLesson:
		if len(v.Pages) == 0 {
			p.Add("pages", "Add at least one page to the lesson")
		}
		if v.QuestionCount() == 0 && v.PassMark > 0 {
			p.Add("pass_mark", "A lesson without questions cannot have a pass mark")
		}
	}
	return p.Err()
}

// safeWebURL reports whether s is an absolute https address.
func safeWebURL(s string) bool {
	if len(s) > 2000 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// LessonResult is how a learner did on a lesson's questions.
type LessonResult struct {
	Right, Questions int
}

// Percent is the share of questions right, rounded down; 100 for a lesson
// without questions.
func (r LessonResult) Percent() int {
	if r.Questions == 0 {
		return 100
	}
	return r.Right * 100 / r.Questions
}

// CompletionProblem says why a learner who has seen the pages marked in
// seen and got result may not yet complete the version, or "" when they
// may: a lesson needs every page seen and the pass mark reached.
func (v *ContentVersion) CompletionProblem(seen []bool, result LessonResult) string {
	if v.Format != FormatLesson {
		return ""
	}
	for i := range v.Pages {
		if i >= len(seen) || !seen[i] {
			return "Go through every page of the lesson before you mark it as complete"
		}
	}
	if v.PassMark > 0 && result.Percent() < v.PassMark {
		return "You need " + itoa(v.PassMark) + "% of the questions right to complete this lesson. You have " + itoa(result.Percent()) + "%. Try the questions again."
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// EnrolmentStatus is where a person is with a piece of learning.
type EnrolmentStatus string

const (
	Enrolled  EnrolmentStatus = "enrolled"  // started or assigned, not yet complete
	Completed EnrolmentStatus = "completed" // done, on the version recorded
)

// Enrolment is a person's go at a piece of learning: the version they are
// doing, how far they are and, once complete, when and with what score.
type Enrolment struct {
	ID             int64
	PersonID       int64
	ItemID         int64
	OrganisationID int64
	VersionID      int64
	Status         EnrolmentStatus
	Assigned       bool
	AssignmentID   int64 // the assignment that enrolled the person, when Assigned and known
	DueAt          time.Time
	PagesSeen      []int            // page numbers, from 1
	Answers        map[string][]int // "page.question", both from 1, to the options chosen
	Seconds        int              // time spent on the pages
	CreatedAt      time.Time
	CompletedAt    time.Time
	Score          int // percent of questions right, when complete
}

// AnswerKey names a question of a lesson in Enrolment.Answers.
func AnswerKey(page, question int) string { return itoa(page) + "." + itoa(question) }

// Seen reports, for each of a version's pages, whether the person has
// seen it.
func (e *Enrolment) Seen(pages int) []bool {
	seen := make([]bool, pages)
	for _, p := range e.PagesSeen {
		if p >= 1 && p <= pages {
			seen[p-1] = true
		}
	}
	return seen
}

// Result scores the answers saved against the version's questions; a
// question not answered counts as wrong.
func (e *Enrolment) Result(v *ContentVersion) LessonResult {
	var r LessonResult
	for p := range v.Pages {
		for q := range v.Pages[p].Questions {
			r.Questions++
			if sel, ok := e.Answers[AnswerKey(p+1, q+1)]; ok && v.Pages[p].Questions[q].Check(sel) {
				r.Right++
			}
		}
	}
	return r
}

// MaxImageSize is the largest image a lesson may have, in bytes, and
// MaxImageSide the most pixels on either side.
const (
	MaxImageSize = 2 << 20
	MaxImageSide = 6000
)

// ImageProblem checks an uploaded image by its content, not its name: it
// must be a PNG, JPEG or GIF of sensible size. It returns the content type
// and the size in pixels, or what is wrong. SVG is refused, because it can
// carry script.
func ImageProblem(data []byte) (contentType string, width, height int, problem string) {
	switch {
	case len(data) == 0:
		return "", 0, 0, "The file is empty. Choose an image"
	case len(data) > MaxImageSize:
		return "", 0, 0, "The image must be smaller than 2 MB"
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, "The file must be a PNG, JPEG or GIF image"
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return "", 0, 0, "The image must be at most 6,000 pixels wide and high"
	}
	return "image/" + format, cfg.Width, cfg.Height, ""
}
