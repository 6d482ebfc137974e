package upskill

import (
	"strings"
	"time"
)

// Level is where a node sits in the hierarchy of the service: one nation at
// the top, regions below it, organisations below the regions.
type Level string

const (
	LevelNation       Level = "nation"
	LevelRegion       Level = "region"
	LevelOrganisation Level = "organisation"
)

// ChildLevel is the level of the nodes that may be created below l, or ""
// when nothing may.
func (l Level) ChildLevel() Level {
	switch l {
	case LevelNation:
		return LevelRegion
	case LevelRegion:
		return LevelOrganisation
	}
	return ""
}

// OrgType is the kind of a health or care organisation.
type OrgType string

const (
	OrgNHSTrust       OrgType = "nhs_trust"
	OrgICB            OrgType = "icb"
	OrgGPPractice     OrgType = "gp_practice"
	OrgCareHome       OrgType = "care_home"
	OrgHomeCare       OrgType = "home_care"
	OrgLocalAuthority OrgType = "local_authority"
	OrgHospice        OrgType = "hospice"
	OrgOther          OrgType = "other"
)

// OrgTypes lists every organisation type in the order forms show them.
var OrgTypes = []OrgType{OrgNHSTrust, OrgICB, OrgGPPractice, OrgCareHome, OrgHomeCare, OrgLocalAuthority, OrgHospice, OrgOther}

// Label is the plain-English name of the type.
func (t OrgType) Label() string {
	switch t {
	case OrgNHSTrust:
		return "NHS trust"
	case OrgICB:
		return "Integrated care board"
	case OrgGPPractice:
		return "GP practice"
	case OrgCareHome:
		return "Care home"
	case OrgHomeCare:
		return "Home care provider"
	case OrgLocalAuthority:
		return "Local authority"
	case OrgHospice:
		return "Hospice"
	case OrgOther:
		return "Other"
	}
	return ""
}

// Valid reports whether t is one of OrgTypes.
func (t OrgType) Valid() bool { return t.Label() != "" }

// Organisation is a node of the hierarchy: the nation, a region, or an
// organisation that employs staff.
type Organisation struct {
	ID       int64
	ParentID int64 // 0 for the nation
	Level    Level
	Type     OrgType // set for LevelOrganisation only
	Name     string
	// Code is an identifier the organisation is known by elsewhere, such as
	// its ODS code. Optional.
	Code string
	// ReassessMonths is how often staff are invited to take the assessment
	// again; 0 means the organisation has not set a cycle.
	ReassessMonths int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Ref returns the part of o that access decisions need.
func (o *Organisation) Ref() OrgRef {
	return OrgRef{ID: o.ID, ParentID: o.ParentID, Level: o.Level}
}

// Noun is how pages refer to o: "organisation", "region" or "nation".
func (o *Organisation) Noun() string { return string(o.Level) }

// OrganisationInput is what a person may set when creating or changing a
// node of the hierarchy.
type OrganisationInput struct {
	Name           string
	Type           OrgType
	Code           string
	ReassessMonths int
}

// Normalise trims the text fields.
func (in *OrganisationInput) Normalise() {
	in.Name = collapseSpaces(in.Name)
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
}

// Validate checks in for a node at the given level.
func (in *OrganisationInput) Validate(level Level) error {
	in.Normalise()
	var p Problems
	noun := string(level)
	switch {
	case in.Name == "":
		p.Add("name", "Enter the name of the "+noun)
	case len(in.Name) > 200:
		p.Add("name", "Name must be 200 characters or fewer")
	}
	if level == LevelOrganisation && !in.Type.Valid() {
		p.Add("type", "Select the type of organisation")
	}
	if len(in.Code) > 20 {
		p.Add("code", "Code must be 20 characters or fewer")
	} else if in.Code != "" && !isCode(in.Code) {
		p.Add("code", "Code must only include letters and numbers")
	}
	if in.ReassessMonths < 0 || in.ReassessMonths > 60 {
		p.Add("reassess_months", "Reassessment cycle must be between 0 and 60 months")
	}
	return p.Err()
}

func isCode(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// UnitKind says whether a unit is a department or a team within one.
type UnitKind string

const (
	UnitDepartment UnitKind = "department"
	UnitTeam       UnitKind = "team"
)

// Unit is a department of an organisation, or a team within a department.
type Unit struct {
	ID             int64
	OrganisationID int64
	ParentID       int64 // the department of a team; 0 for a department
	Kind           UnitKind
	Name           string
	// Members counts the current memberships placed in the unit. It is
	// filled by listings and is 0 elsewhere.
	Members   int
	CreatedAt time.Time
	// SiteID is the site a department works from, 0 when none is set;
	// a team works from its department's.
	SiteID int64
}

// Site is a place an organisation works from, such as a hospital or a
// care home of a group. Departments sit at sites; people count at their
// department's.
type Site struct {
	ID             int64
	OrganisationID int64
	Name           string
	// Departments counts the departments at the site; filled by listings.
	Departments int
	CreatedAt   time.Time
}

// ValidateSiteName checks the name of a site.
func ValidateSiteName(name string) (string, error) {
	name = collapseSpaces(name)
	var p Problems
	switch {
	case name == "":
		p.Add("site_name", "Enter the name of the site")
	case len(name) > 120:
		p.Add("site_name", "Name must be 120 characters or fewer")
	}
	return name, p.Err()
}

// ValidateUnitName checks the name of a department or team.
func ValidateUnitName(kind UnitKind, name string) (string, error) {
	name = collapseSpaces(name)
	var p Problems
	switch {
	case name == "":
		p.Add("name", "Enter the name of the "+string(kind))
	case len(name) > 120:
		p.Add("name", "Name must be 120 characters or fewer")
	}
	return name, p.Err()
}

// collapseSpaces trims s and folds every run of white space into one space.
func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Parent is the level above l, or "" for the nation.
func (l Level) Parent() Level {
	switch l {
	case LevelRegion:
		return LevelNation
	case LevelOrganisation:
		return LevelRegion
	}
	return ""
}
