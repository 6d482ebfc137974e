package upskill

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A framework is a set of capabilities that staff assess themselves
// against, grouped in domains: by default the Health and Care Digital
// Capabilities Framework. It changes by versions: a draft can be edited; a
// published version never changes, and every attempt records the version
// it used; a retired version is kept for the attempts made on it.

// VersionStatus is where a framework version is in its life.
type VersionStatus string

const (
	VersionDraft     VersionStatus = "draft"
	VersionPublished VersionStatus = "published"
	VersionRetired   VersionStatus = "retired"
)

// Label names the status for pages.
func (s VersionStatus) Label() string {
	switch s {
	case VersionDraft:
		return "Draft"
	case VersionPublished:
		return "Published"
	case VersionRetired:
		return "Retired"
	}
	return string(s)
}

// QuestionType is how a person rates themselves against a capability.
type QuestionType string

const (
	// QuestionScale asks where the person is now and where they need to
	// be, each from 0 to 10, as the national self-assessment tool does.
	QuestionScale QuestionType = "scale"
	// QuestionLevels asks the person to choose the level descriptor that
	// fits them now, and the one they need.
	QuestionLevels QuestionType = "levels"
	// QuestionYesNo asks whether the person can do it now, and whether
	// they need to.
	QuestionYesNo QuestionType = "yesno"
)

// Label says how the question is answered, for pages.
func (t QuestionType) Label() string {
	switch t {
	case QuestionScale:
		return "0 to 10"
	case QuestionLevels:
		return "Levels"
	case QuestionYesNo:
		return "Yes or no"
	}
	return string(t)
}

// ScaleMax is the top of the 0 to 10 scale every rating is scored on.
const ScaleMax = 10

// Framework is a named set of versions.
type Framework struct {
	ID          int64  `json:"id"`
	Key         string `json:"key"` // short and stable, as in URLs and files: "hcdcf"
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// FrameworkVersion is one version of a framework with everything an assessment
// needs: its domains and capabilities, the level scale and its descriptors,
// the bands a score falls in, and the knowledge-check questions.
type FrameworkVersion struct {
	ID          int64         `json:"id"`
	FrameworkID int64         `json:"framework_id"`
	Number      int           `json:"number"`
	Status      VersionStatus `json:"status"`
	Title       string        `json:"title"`
	Description string        `json:"description,omitempty"`
	// Identifier is a stable UUID, used as the CASE document identifier.
	Identifier  string    `json:"identifier,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at,omitzero"`

	Levels    []FrameworkLevel `json:"levels"`
	Bands     []Band           `json:"bands"`
	Domains   []Domain         `json:"domains"`
	Questions []CheckQuestion  `json:"questions,omitempty"`
}

// FrameworkLevel is one step of a version's level scale, from 1 upwards.
type FrameworkLevel struct {
	Number      int    `json:"number"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Band names a range of scores. A score is in the band with the highest
// Min not above it; the lowest band starts at 0.
type Band struct {
	Name        string  `json:"name"`
	Min         float64 `json:"min"`
	Description string  `json:"description,omitempty"`
}

// Domain is a group of capabilities.
type Domain struct {
	ID           int64        `json:"id,omitempty"`
	Code         string       `json:"code"` // "1", "2", ...
	Name         string       `json:"name"`
	Description  string       `json:"description,omitempty"`
	Identifier   string       `json:"identifier,omitempty"`
	Capabilities []Capability `json:"capabilities"`
}

// Capability is one statement a person rates themselves against.
type Capability struct {
	ID        int64        `json:"id,omitempty"`
	Code      string       `json:"code"` // "1.1", "1.2", ...
	Statement string       `json:"statement"`
	Guidance  string       `json:"guidance,omitempty"` // what the statement means, in examples
	Type      QuestionType `json:"type"`
	// Descriptors say what the capability looks like at each level of the
	// version's scale, lowest first: one for each level.
	Descriptors []string `json:"descriptors"`
	Identifier  string   `json:"identifier,omitempty"`
}

// QuestionKind says how many options of a knowledge check are right.
type QuestionKind string

const (
	QuestionSingle   QuestionKind = "single"   // choose one
	QuestionMultiple QuestionKind = "multiple" // choose all that apply
)

// CheckQuestion is a knowledge-check question. It belongs to a domain, and
// may name the capability it tests most closely.
type CheckQuestion struct {
	ID             int64         `json:"id,omitempty"`
	Code           string        `json:"code"` // "1.Q1"
	DomainCode     string        `json:"domain"`
	CapabilityCode string        `json:"capability,omitempty"`
	Kind           QuestionKind  `json:"kind"`
	Prompt         string        `json:"prompt"`
	Options        []CheckOption `json:"options"`
	Explanation    string        `json:"explanation"`
}

// CheckOption is one answer a knowledge-check question offers.
type CheckOption struct {
	ID      int64  `json:"id,omitempty"`
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

// ForLearners returns a copy of the version without the answers to its
// knowledge checks: which options are right, and the explanations that
// give them away. Learners are shown this before they submit.
func (v *FrameworkVersion) ForLearners() *FrameworkVersion {
	out := *v
	out.Questions = make([]CheckQuestion, len(v.Questions))
	for i, q := range v.Questions {
		q.Explanation = ""
		q.Options = append([]CheckOption(nil), q.Options...)
		for j := range q.Options {
			q.Options[j].Correct = false
		}
		out.Questions[i] = q
	}
	return &out
}

// Capabilities returns every capability of the version in order.
func (v *FrameworkVersion) Capabilities() []*Capability {
	var out []*Capability
	for i := range v.Domains {
		for j := range v.Domains[i].Capabilities {
			out = append(out, &v.Domains[i].Capabilities[j])
		}
	}
	return out
}

// Capability finds a capability by id.
func (v *FrameworkVersion) Capability(id int64) (*Domain, *Capability) {
	for i := range v.Domains {
		for j := range v.Domains[i].Capabilities {
			if v.Domains[i].Capabilities[j].ID == id {
				return &v.Domains[i], &v.Domains[i].Capabilities[j]
			}
		}
	}
	return nil, nil
}

// Domain returns the domain with the given code, or nil.
func (v *FrameworkVersion) Domain(code string) *Domain {
	for i := range v.Domains {
		if v.Domains[i].Code == code {
			return &v.Domains[i]
		}
	}
	return nil
}

// Question finds a knowledge-check question by id.
func (v *FrameworkVersion) Question(id int64) *CheckQuestion {
	for i := range v.Questions {
		if v.Questions[i].ID == id {
			return &v.Questions[i]
		}
	}
	return nil
}

// QuestionsFor returns the knowledge-check questions of a domain.
func (v *FrameworkVersion) QuestionsFor(domainCode string) []*CheckQuestion {
	var out []*CheckQuestion
	for i := range v.Questions {
		if v.Questions[i].DomainCode == domainCode {
			out = append(out, &v.Questions[i])
		}
	}
	return out
}

// Band returns the band a score on the 0 to 10 scale falls in.
func (v *FrameworkVersion) Band(score float64) string {
	name := ""
	for _, b := range v.Bands {
		if score >= b.Min-1e-9 {
			name = b.Name
		}
	}
	return name
}

// Limits on what a framework version may hold, so that an imported file
// cannot make a page or an assessment unusably large.
const (
	MaxDomains            = 20
	MaxCapabilities       = 200
	MaxLevels             = 10
	MaxBands              = 10
	MaxQuestions          = 200
	MaxOptions            = 8
	maxShortText          = 200
	maxLongText           = 2000
	DefaultCalibrationGap = 3.0
)

// Validate checks a version for import or publication and reports every
// problem with where it is, such as "domains[2].capabilities[0].statement".
func (v *FrameworkVersion) Validate() error {
	var p Problems
	text := func(field, value, what string, required bool, limit int) {
		switch {
		case strings.TrimSpace(value) == "" && required:
			p.Add(field, "Enter the "+what)
		case utf8.RuneCountInString(value) > limit:
			p.Add(field, fmt.Sprintf("The %s must be %d characters or fewer", what, limit))
		}
	}
	text("title", v.Title, "title of the framework version", true, maxShortText)
	text("description", v.Description, "description", false, maxLongText)

	if len(v.Levels) < 2 || len(v.Levels) > MaxLevels {
		p.Add("levels", fmt.Sprintf("A framework needs between 2 and %d levels", MaxLevels))
	}
	for i, l := range v.Levels {
		if l.Number != i+1 {
			p.Add(fmt.Sprintf("levels[%d].number", i), "Number the levels 1, 2, 3 and so on, lowest first")
		}
		text(fmt.Sprintf("levels[%d].name", i), l.Name, "name of the level", true, maxShortText)
	}

	switch {
	case len(v.Bands) == 0 || len(v.Bands) > MaxBands:
		p.Add("bands", fmt.Sprintf("A framework needs between 1 and %d bands", MaxBands))
	case v.Bands[0].Min != 0:
		p.Add("bands[0].min", "The lowest band must start at 0")
	}
	for i, b := range v.Bands {
		text(fmt.Sprintf("bands[%d].name", i), b.Name, "name of the band", true, maxShortText)
		if b.Min < 0 || b.Min > ScaleMax {
			p.Add(fmt.Sprintf("bands[%d].min", i), "A band must start between 0 and 10")
		} else if i > 0 && b.Min <= v.Bands[i-1].Min {
			p.Add(fmt.Sprintf("bands[%d].min", i), "Each band must start above the one before it")
		}
	}

	if len(v.Domains) == 0 || len(v.Domains) > MaxDomains {
		p.Add("domains", fmt.Sprintf("A framework needs between 1 and %d domains", MaxDomains))
	}
	codes := map[string]string{}
	unique := func(field, code string) {
		if code == "" {
			p.Add(field, "Enter a code")
			return
		}
		if len(code) > 20 || strings.ContainsAny(code, " \t\r\n,") {
			p.Add(field, "A code must be 20 characters or fewer, without spaces or commas")
			return
		}
		if other, ok := codes[code]; ok {
			p.Add(field, "The code "+code+" is used twice: here and at "+other)
			return
		}
		codes[code] = field
	}
	total := 0
	domains := map[string]bool{}
	capabilities := map[string]bool{}
	for i, d := range v.Domains {
		f := fmt.Sprintf("domains[%d]", i)
		unique(f+".code", d.Code)
		domains[d.Code] = true
		text(f+".name", d.Name, "name of the domain", true, maxShortText)
		text(f+".description", d.Description, "description of the domain", false, maxLongText)
		if len(d.Capabilities) == 0 {
			p.Add(f+".capabilities", "Give the domain "+d.Name+" at least one capability")
		}
		for j, c := range d.Capabilities {
			total++
			cf := fmt.Sprintf("%s.capabilities[%d]", f, j)
			unique(cf+".code", c.Code)
			capabilities[c.Code] = true
			text(cf+".statement", c.Statement, "statement", true, maxLongText)
			text(cf+".guidance", c.Guidance, "guidance", false, maxLongText)
			switch c.Type {
			case QuestionScale, QuestionLevels, QuestionYesNo:
			default:
				p.Add(cf+".type", "Choose scale, levels or yesno as the type of question")
			}
			if c.Type == QuestionLevels || len(c.Descriptors) > 0 {
				if len(c.Descriptors) != len(v.Levels) {
					p.Add(cf+".descriptors", fmt.Sprintf("Give one descriptor for each of the %d levels", len(v.Levels)))
				}
				for k, d := range c.Descriptors {
					text(fmt.Sprintf("%s.descriptors[%d]", cf, k), d, "descriptor", true, maxLongText)
				}
			}
		}
	}
	if total > MaxCapabilities {
		p.Add("domains", fmt.Sprintf("A framework can have at most %d capabilities", MaxCapabilities))
	}

	if len(v.Questions) > MaxQuestions {
		p.Add("questions", fmt.Sprintf("A framework can have at most %d knowledge-check questions", MaxQuestions))
	}
	for i, q := range v.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		unique(f+".code", q.Code)
		if !domains[q.DomainCode] {
			p.Add(f+".domain", "The question names a domain, "+q.DomainCode+", that the framework does not have")
		}
		if q.CapabilityCode != "" && !capabilities[q.CapabilityCode] {
			p.Add(f+".capability", "The question names a capability, "+q.CapabilityCode+", that the framework does not have")
		}
		text(f+".prompt", q.Prompt, "question", true, maxLongText)
		text(f+".explanation", q.Explanation, "explanation of the answer", true, maxLongText)
		if len(q.Options) < 2 || len(q.Options) > MaxOptions {
			p.Add(f+".options", fmt.Sprintf("A question needs between 2 and %d options", MaxOptions))
		}
		right := 0
		for k, o := range q.Options {
			text(fmt.Sprintf("%s.options[%d].text", f, k), o.Text, "option", true, maxShortText)
			if o.Correct {
				right++
			}
		}
		switch q.Kind {
		case QuestionSingle:
			if right != 1 {
				p.Add(f+".options", "A question with one answer needs exactly one correct option")
			}
		case QuestionMultiple:
			if right < 1 {
				p.Add(f+".options", "A question needs at least one correct option")
			}
		default:
			p.Add(f+".kind", "Choose single or multiple as the kind of question")
		}
	}
	return p.Err()
}

// ValidateFrameworkKey checks the short name of a framework.
func ValidateFrameworkKey(key string) string {
	if key == "" || len(key) > 40 {
		return "Enter a key of 1 to 40 characters"
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "A key must only include lower-case letters, numbers and hyphens"
		}
	}
	return ""
}

// Rating converts a raw answer to the 0 to 10 scale every score uses:
// scale answers are already on it; a level answer of n out of L levels is
// 10n/L (0 means none of the levels yet); yes is 10 and no is 0.
func (c *Capability) Rating(raw int, levels int) float64 {
	switch c.Type {
	case QuestionLevels:
		if levels == 0 {
			return 0
		}
		return float64(raw) * ScaleMax / float64(levels)
	case QuestionYesNo:
		if raw > 0 {
			return ScaleMax
		}
		return 0
	}
	return float64(raw)
}

// MaxAnswer is the highest raw answer a capability takes.
func (c *Capability) MaxAnswer(levels int) int {
	switch c.Type {
	case QuestionLevels:
		return levels
	case QuestionYesNo:
		return 1
	}
	return ScaleMax
}

// Correct reports whether the selected options are exactly the right ones.
func (q *CheckQuestion) Correct(selected []int64) bool {
	var want []int64
	for _, o := range q.Options {
		if o.Correct {
			want = append(want, o.ID)
		}
	}
	got := slices.Clone(selected)
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// TargetProfile says where a role needs people to be: a rating on the 0 to
// 10 scale for each capability, by capability code so that it carries over
// to new versions of the framework. A profile applies to a staff group or
// to a job role, in one organisation or, with no organisation, nationally.
type TargetProfile struct {
	ID             int64          `json:"id"`
	FrameworkID    int64          `json:"framework_id"`
	OrganisationID int64          `json:"organisation_id,omitempty"` // 0: the national default
	Name           string         `json:"name"`
	StaffGroup     StaffGroup     `json:"staff_group,omitempty"`
	JobRole        string         `json:"job_role,omitempty"`
	Needed         map[string]int `json:"needed"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// Validate checks a profile against the version it targets.
func (t *TargetProfile) Validate(v *FrameworkVersion) error {
	var p Problems
	t.Name = collapseSpaces(t.Name)
	t.JobRole = collapseSpaces(t.JobRole)
	switch {
	case t.Name == "":
		p.Add("name", "Enter a name for the target, like Registered nurses")
	case utf8.RuneCountInString(t.Name) > 120:
		p.Add("name", "Name must be 120 characters or fewer")
	}
	switch {
	case t.StaffGroup == "" && t.JobRole == "":
		p.Add("staff_group", "Choose the staff group the target is for, or enter a job role")
	case t.StaffGroup != "" && t.JobRole != "":
		p.Add("job_role", "A target is for a staff group or for a job role, not both")
	case !t.StaffGroup.Valid():
		p.Add("staff_group", "Select a staff group from the list")
	case utf8.RuneCountInString(t.JobRole) > 120:
		p.Add("job_role", "Job role must be 120 characters or fewer")
	}
	codes := map[string]bool{}
	for _, c := range v.Capabilities() {
		codes[c.Code] = true
	}
	for _, c := range v.Capabilities() {
		if n, ok := t.Needed[c.Code]; ok && (n < 0 || n > ScaleMax) {
			p.Add("needed-"+c.Code, "Choose a target from 0 to 10")
		}
	}
	for code := range t.Needed {
		if !codes[code] {
			p.Add("needed", "The target names a statement, "+code+", that the framework does not have")
			break
		}
	}
	if len(t.Needed) == 0 {
		p.Add("needed", "Set a target for at least one statement")
	}
	return p.Err()
}

// NeededAnswer converts a target on the 0 to 10 scale to the raw answer a
// capability takes: the nearest level for level questions, and yes for any
// target above half way on yes-or-no questions.
func (c *Capability) NeededAnswer(target int, levels int) int {
	switch c.Type {
	case QuestionLevels:
		return int(math.Round(float64(target) * float64(levels) / ScaleMax))
	case QuestionYesNo:
		if target*2 > ScaleMax {
			return 1
		}
		return 0
	}
	return target
}

// VersionChanges says how a version's statements differ from another
// version's, matched by code, so that an admin can see what an import
// would change before it is stored.
type VersionChanges struct {
	Added   []string `json:"added"`   // codes of statements only the new version has
	Removed []string `json:"removed"` // codes of statements only the old version has
	Changed []string `json:"changed"` // codes whose wording, type or descriptors differ
	// Scale is set when the levels or bands differ, which changes what
	// every rating means.
	Scale bool `json:"scale"`
}

// None reports whether the versions have the same statements and scale.
func (c VersionChanges) None() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0 && !c.Scale
}

// CompareVersions lists what changes between an old version and a new one.
func CompareVersions(old, new *FrameworkVersion) VersionChanges {
	c := VersionChanges{Added: []string{}, Removed: []string{}, Changed: []string{}}
	before := map[string]*Capability{}
	for _, cp := range old.Capabilities() {
		before[cp.Code] = cp
	}
	seen := map[string]bool{}
	for _, cp := range new.Capabilities() {
		seen[cp.Code] = true
		was, ok := before[cp.Code]
		switch {
		case !ok:
			c.Added = append(c.Added, cp.Code)
		case was.Statement != cp.Statement || was.Guidance != cp.Guidance || was.Type != cp.Type ||
			!slices.Equal(was.Descriptors, cp.Descriptors):
			c.Changed = append(c.Changed, cp.Code)
		}
	}
	for _, cp := range old.Capabilities() {
		if !seen[cp.Code] {
			c.Removed = append(c.Removed, cp.Code)
		}
	}
	c.Scale = !slices.Equal(old.Levels, new.Levels) || !slices.Equal(old.Bands, new.Bands)
	return c
}
