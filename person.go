package upskill

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Person is one identity. An email address belongs to one person only, and a
// person keeps their identity and record when a membership ends.
type Person struct {
	ID              int64
	Email           string
	Name            string
	EmailVerifiedAt time.Time // zero until the address is confirmed
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// EmailVerified reports whether the person has confirmed their address.
func (p *Person) EmailVerified() bool { return !p.EmailVerifiedAt.IsZero() }

// Membership ties a person to a node of the hierarchy. It carries the
// person's roles there and, in an organisation, their staff attributes.
type Membership struct {
	ID             int64
	PersonID       int64
	OrganisationID int64
	Roles          RoleSet
	StaffAttributes
	StartedAt time.Time
	EndedAt   time.Time // zero while the membership is current

	// Filled by queries that join for display; zero elsewhere.
	OrganisationName  string
	OrganisationLevel Level
	UnitName          string
	LineManagerName   string
}

// DDaTRoleName names the specialist role held and its level, like
// "Data engineer, Senior", or "" when none is.
func (a StaffAttributes) DDaTRoleName() string {
	r, ok := DDaTRoleByCode(a.DDaTRole)
	if !ok {
		return ""
	}
	if l, ok := DDaTLevelByCode(a.DDaTLevel); ok {
		return r.Name + ", " + l.Name
	}
	return r.Name
}

// Current reports whether the membership has not ended.
func (m *Membership) Current() bool { return m.EndedAt.IsZero() }

// StaffAttributes are the facts about a person's job in one organisation
// that groups, targets and reports are built from.
type StaffAttributes struct {
	StaffGroup    StaffGroup
	JobRole       string
	PayBand       PayBand
	UnitID        int64 // department or team; 0 when not placed
	LineManagerID int64 // a person with a current membership of the same organisation; 0 for none
	// DDaTRole and DDaTLevel are the specialist digital, data and
	// technology role the person holds, if any, and at what level.
	DDaTRole  string
	DDaTLevel string
}

// CheckMembership records what is wrong with the roles and staff attributes
// given for a membership at the given level. Whether the unit and line
// manager belong to the organisation is checked by the store.
func CheckMembership(p *Problems, level Level, roles RoleSet, a StaffAttributes) {
	if !roles.ValidAt(level) {
		p.Add("roles", "Select at least one role")
	}
	if level != LevelOrganisation {
		if a != (StaffAttributes{}) {
			p.Add("staff_group", "Staff details can only be recorded in an organisation")
		}
		return
	}
	if !a.StaffGroup.Valid() {
		p.Add("staff_group", "Select a staff group from the list")
	}
	if len(a.JobRole) > 120 {
		p.Add("job_role", "Job role must be 120 characters or fewer")
	}
	if !a.PayBand.Valid() {
		p.Add("pay_band", "Select a pay band or grade from the list")
	}
	if _, ok := DDaTRoleByCode(a.DDaTRole); a.DDaTRole != "" && !ok {
		p.Add("ddat_role", "Select a digital, data or technology role from the list")
	}
	_, ok := DDaTLevelByCode(a.DDaTLevel)
	switch {
	case a.DDaTLevel != "" && !ok:
		p.Add("ddat_level", "Select a level from the list")
	case a.DDaTRole != "" && a.DDaTLevel == "":
		p.Add("ddat_level", "Select the level at which they hold the role")
	case a.DDaTRole == "" && a.DDaTLevel != "":
		p.Add("ddat_role", "Select the role they hold at that level")
	}
}

// Role is what a membership allows its holder to do. Roles are stored as a
// bit set, so the values must never change.
type Role uint8

const (
	RoleLearner       Role = 1 << 0
	RoleSupervisor    Role = 1 << 1
	RoleOrgAdmin      Role = 1 << 2
	RoleContentAuthor Role = 1 << 3
	RoleRegionLead    Role = 1 << 4
	RoleNationalAdmin Role = 1 << 5
)

// Roles lists every role in the order pages show them.
var Roles = []Role{RoleLearner, RoleSupervisor, RoleOrgAdmin, RoleContentAuthor, RoleRegionLead, RoleNationalAdmin}

// Key is the stable name of a role used in forms and the API.
func (r Role) Key() string {
	switch r {
	case RoleLearner:
		return "learner"
	case RoleSupervisor:
		return "supervisor"
	case RoleOrgAdmin:
		return "org_admin"
	case RoleContentAuthor:
		return "content_author"
	case RoleRegionLead:
		return "region_lead"
	case RoleNationalAdmin:
		return "national_admin"
	}
	return ""
}

// Label is the plain-English name of a role.
func (r Role) Label() string {
	switch r {
	case RoleLearner:
		return "Learner"
	case RoleSupervisor:
		return "Supervisor"
	case RoleOrgAdmin:
		return "Organisation admin"
	case RoleContentAuthor:
		return "Content author"
	case RoleRegionLead:
		return "Region lead"
	case RoleNationalAdmin:
		return "National admin"
	}
	return ""
}

// Hint says in a sentence what the role allows.
func (r Role) Hint() string {
	switch r {
	case RoleLearner:
		return "Takes assessments and learning"
	case RoleSupervisor:
		return "Sees and supports the people they line manage"
	case RoleOrgAdmin:
		return "Manages the organisation, its departments and its staff"
	case RoleContentAuthor:
		return "Writes and publishes the organisation's learning"
	case RoleRegionLead:
		return "Sees the organisations in the region"
	case RoleNationalAdmin:
		return "Manages regions and organisations across the service"
	}
	return ""
}

// ParseRole returns the role with the given key.
func ParseRole(key string) (Role, bool) {
	for _, r := range Roles {
		if r.Key() == key {
			return r, true
		}
	}
	return 0, false
}

// RolesAt lists the roles a membership at the given level may carry.
func RolesAt(level Level) []Role {
	switch level {
	case LevelNation:
		return []Role{RoleNationalAdmin}
	case LevelRegion:
		return []Role{RoleRegionLead}
	case LevelOrganisation:
		return []Role{RoleLearner, RoleSupervisor, RoleOrgAdmin, RoleContentAuthor}
	}
	return nil
}

// RoleSet is a set of roles.
type RoleSet uint8

// Has reports whether the set holds r.
func (s RoleSet) Has(r Role) bool { return s&RoleSet(r) != 0 }

// With returns the set with r added.
func (s RoleSet) With(r Role) RoleSet { return s | RoleSet(r) }

// List returns the roles in the set in display order.
func (s RoleSet) List() []Role {
	var out []Role
	for _, r := range Roles {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Labels returns the labels of the roles in the set, joined for display.
func (s RoleSet) Labels() string {
	var names []string
	for _, r := range s.List() {
		names = append(names, r.Label())
	}
	return strings.Join(names, ", ")
}

// ValidAt reports whether every role in s may be held at level.
func (s RoleSet) ValidAt(level Level) bool {
	var allowed RoleSet
	for _, r := range RolesAt(level) {
		allowed = allowed.With(r)
	}
	return s != 0 && s&^allowed == 0
}

// StaffGroup is the broad group of a person's job, as NHS workforce
// statistics and adult social care statistics group them.
type StaffGroup string

// StaffGroups lists the staff groups in the order forms show them.
var StaffGroups = []StaffGroup{
	"medical_dental", "nursing_midwifery", "allied_health", "healthcare_science",
	"scientific_technical", "clinical_support", "admin_clerical", "estates_ancillary",
	"students", "care_direct", "care_management", "care_regulated", "care_other",
}

var staffGroupLabels = map[StaffGroup]string{
	"medical_dental":       "Medical and dental",
	"nursing_midwifery":    "Nursing and midwifery (registered)",
	"allied_health":        "Allied health professionals",
	"healthcare_science":   "Healthcare scientists",
	"scientific_technical": "Additional professional scientific and technical",
	"clinical_support":     "Additional clinical services",
	"admin_clerical":       "Administrative and clerical",
	"estates_ancillary":    "Estates and ancillary",
	"students":             "Students",
	"care_direct":          "Social care: direct care",
	"care_management":      "Social care: managers and supervisors",
	"care_regulated":       "Social care: regulated professions",
	"care_other":           "Social care: other roles",
}

// Label is the display name of the group; "" for an unknown group.
func (g StaffGroup) Label() string { return staffGroupLabels[g] }

// Valid reports whether g is empty (not recorded) or a known group.
func (g StaffGroup) Valid() bool { return g == "" || g.Label() != "" }

// PayBand is the pay band or grade of a job: an Agenda for Change band, a
// medical grade, or none.
type PayBand string

// PayBands lists the bands and grades in the order forms show them.
var PayBands = []PayBand{
	"afc_1", "afc_2", "afc_3", "afc_4", "afc_5", "afc_6", "afc_7",
	"afc_8a", "afc_8b", "afc_8c", "afc_8d", "afc_9",
	"med_foundation", "med_resident", "med_sas", "med_consultant", "med_gp",
	"other",
}

var payBandLabels = map[PayBand]string{
	"afc_1": "Band 1", "afc_2": "Band 2", "afc_3": "Band 3", "afc_4": "Band 4",
	"afc_5": "Band 5", "afc_6": "Band 6", "afc_7": "Band 7", "afc_8a": "Band 8a",
	"afc_8b": "Band 8b", "afc_8c": "Band 8c", "afc_8d": "Band 8d", "afc_9": "Band 9",
	"med_foundation": "Foundation doctor",
	"med_resident":   "Resident doctor in specialty training",
	"med_sas":        "Specialty and specialist doctor",
	"med_consultant": "Consultant",
	"med_gp":         "General practitioner",
	"other":          "Not on a national pay scale",
}

// Label is the display name of the band; "" for an unknown band.
func (b PayBand) Label() string { return payBandLabels[b] }

// Valid reports whether b is empty (not recorded) or a known band.
func (b PayBand) Valid() bool { return b == "" || b.Label() != "" }

// NormaliseEmail trims and lower-cases an email address. Addresses are
// compared in this form, so that one address is one person.
func NormaliseEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidateEmail checks a normalised address and returns a message that says
// what to fix, or "" when it is acceptable.
func ValidateEmail(email string) string {
	if email == "" {
		return "Enter an email address"
	}
	if len(email) > 254 {
		return "Email address must be 254 characters or fewer"
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "Enter an email address in the correct format, like name@example.nhs.uk"
	}
	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "Enter an email address in the correct format, like name@example.nhs.uk"
	}
	return ""
}

// ValidateName checks a person's full name and returns it tidied.
func ValidateName(name string) (string, string) {
	name = collapseSpaces(name)
	switch {
	case name == "":
		return name, "Enter a full name"
	case utf8.RuneCountInString(name) > 100:
		return name, "Full name must be 100 characters or fewer"
	}
	return name, ""
}

// MinPasswordLength and MaxPasswordLength bound a password's length in
// characters. Length matters more than character rules, so there are none.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 200
)

// ValidatePassword returns a message that says what is wrong with a new
// password, or "" when it is acceptable.
func ValidatePassword(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Enter a password"
	case n < MinPasswordLength:
		return "Password must be 10 characters or more"
	case n > MaxPasswordLength:
		return "Password must be 200 characters or fewer"
	case strings.TrimSpace(password) == "":
		return "Password must not be only spaces"
	}
	lower := strings.ToLower(password)
	if email != "" && strings.Contains(lower, strings.ToLower(email)) {
		return "Password must not contain your email address"
	}
	if commonPasswords[lower] {
		return "Password is too easy to guess. Try a few unrelated words together"
	}
	return ""
}

// commonPasswords are long enough to pass the length rule but are among the
// first that anyone guessing would try.
var commonPasswords = map[string]bool{
	"password12": true, "password123": true, "password1234": true, "1234567890": true,
	"qwertyuiop": true, "0123456789": true, "iloveyou123": true, "welcome123": true,
	"letmein123": true, "passw0rd123": true, "nhspassword": true, "abcdefghij": true,
	"qwerty1234": true, "1q2w3e4r5t": true, "changeme123": true, "administrator": true,
}
