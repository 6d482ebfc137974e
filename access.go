package upskill

// This file is the one place that says what each role may do where. Pages
// and API handlers ask the Actor; store queries then filter by the
// organisation the handler was allowed to act on.

// OrgRef is what an access decision needs to know about a node of the
// hierarchy: which node, its level and its parent.
type OrgRef struct {
	ID       int64
	ParentID int64
	Level    Level
}

// Actor is a signed-in person together with their current memberships.
type Actor struct {
	PersonID      int64
	Name          string
	Email         string
	EmailVerified bool
	Memberships   []ActorMembership
}

// ActorMembership is one current membership of the actor.
type ActorMembership struct {
	Org     OrgRef
	OrgName string
	Roles   RoleSet
}

// Permission names something a person may be allowed to do on a node of
// the hierarchy.
type Permission int

const (
	// SeeOrganisation: see a node's page, its settings and its departments
	// (or, for a region or the nation, the nodes below it).
	SeeOrganisation Permission = iota + 1
	// ManageOrganisation: change a node's settings and its departments.
	ManageOrganisation
	// SeeStaff: see the people of an organisation. How many of them
	// depends on StaffScope.
	SeeStaff
	// ManageStaff: add people, change their roles and attributes, and end
	// their memberships.
	ManageStaff
	// ManageAdmins: add the people who run a node: organisation admins, region
	// leads or national admins.
	ManageAdmins
	// CreateChild: create a region in the nation or an organisation in a region.
	CreateChild
	// AuthorContent: write, publish and share the learning a node owns.
	// The national team's learning is the nation's.
	AuthorContent
	// AssignLearning: assign learning, with a due date, to the staff of an
	// organisation: organisation admins to anyone or any group of them,
	// supervisors to the people they line manage (see StaffScope).
	AssignLearning
	// SeeInsight: see a node's figures of digital capability, which are
	// always aggregate and never about a group small enough to identify
	// anyone: an organisation's admins, the leads of its region and
	// national admins see an organisation's; a region's leads and national
	// admins see a region's; national admins see the nation's.
	SeeInsight
	// SetPlan: set a node's digital workforce plan: an organisation's
	// admins, a region's leads and national admins, each at the level
	// they work at.
	SetPlan
)

// StaffScope is how much of an organisation's staff a person may see.
type StaffScope int

const (
	ScopeNone    StaffScope = iota // no one
	ScopeReports                   // the people they line manage
	ScopeAll                       // everyone with a current membership
)

// RolesAt returns the actor's roles on the node with the given id.
func (a *Actor) RolesAt(orgID int64) RoleSet {
	var s RoleSet
	for _, m := range a.Memberships {
		if m.Org.ID == orgID {
			s |= m.Roles
		}
	}
	return s
}

// IsNationalAdmin reports whether the actor administers the whole service.
func (a *Actor) IsNationalAdmin() bool {
	for _, m := range a.Memberships {
		if m.Org.Level == LevelNation && m.Roles.Has(RoleNationalAdmin) {
			return true
		}
	}
	return false
}

// leadsRegion reports whether the actor is a lead of the region with the
// given id.
func (a *Actor) leadsRegion(regionID int64) bool {
	return regionID != 0 && a.RolesAt(regionID).Has(RoleRegionLead)
}

// Can reports whether the actor may do p on org.
func (a *Actor) Can(p Permission, org OrgRef) bool {
	if a == nil || org.ID == 0 {
		return false
	}
	national := a.IsNationalAdmin()
	roles := a.RolesAt(org.ID)
	switch p {
	case SeeOrganisation:
		switch org.Level {
		case LevelOrganisation:
			return national || roles != 0 || a.leadsRegion(org.ParentID)
		case LevelRegion:
			return national || a.leadsRegion(org.ID)
		case LevelNation:
			return national
		}
	case ManageOrganisation:
		if org.Level == LevelOrganisation {
			return national || roles.Has(RoleOrgAdmin)
		}
		return national
	case SeeStaff:
		return org.Level == LevelOrganisation && a.StaffScope(org) != ScopeNone
	case ManageStaff:
		return org.Level == LevelOrganisation && roles.Has(RoleOrgAdmin)
	case AssignLearning:
		return org.Level == LevelOrganisation && a.StaffScope(org) != ScopeNone
	case SeeInsight:
		switch org.Level {
		case LevelOrganisation:
			return national || roles.Has(RoleOrgAdmin) || a.leadsRegion(org.ParentID)
		case LevelRegion:
			return national || a.leadsRegion(org.ID)
		case LevelNation:
			return national
		}
	case SetPlan:
		switch org.Level {
		case LevelOrganisation:
			return national || roles.Has(RoleOrgAdmin)
		case LevelRegion:
			return national || a.leadsRegion(org.ID)
		case LevelNation:
			return national
		}
	case ManageAdmins:
		if org.Level == LevelOrganisation {
			return national || roles.Has(RoleOrgAdmin)
		}
		return national
	case CreateChild:
		return national && org.Level.ChildLevel() != ""
	case AuthorContent:
		switch org.Level {
		case LevelOrganisation:
			return roles.Has(RoleContentAuthor) || roles.Has(RoleOrgAdmin)
		case LevelNation:
			return national
		}
	}
	return false
}

// StaffScope says how many of org's staff the actor may see as individuals.
// National admins and region leads see none: above an organisation only
// aggregate figures are shown, so that no one is identified.
func (a *Actor) StaffScope(org OrgRef) StaffScope {
	if a == nil || org.Level != LevelOrganisation {
		return ScopeNone
	}
	roles := a.RolesAt(org.ID)
	switch {
	case roles.Has(RoleOrgAdmin):
		return ScopeAll
	case roles.Has(RoleSupervisor):
		return ScopeReports
	}
	return ScopeNone
}

// AssignableRoles lists the roles the actor may give to a membership at org:
// all of that level's roles to those who manage its staff, and only the
// admin role of the level to those who manage its admins.
func (a *Actor) AssignableRoles(org OrgRef) []Role {
	if a.Can(ManageStaff, org) {
		return RolesAt(org.Level)
	}
	if a.Can(ManageAdmins, org) {
		return []Role{AdminRole(org.Level)}
	}
	return nil
}

// AdminRole is the role that runs a node of the given level.
func AdminRole(level Level) Role {
	switch level {
	case LevelNation:
		return RoleNationalAdmin
	case LevelRegion:
		return RoleRegionLead
	}
	return RoleOrgAdmin
}

// CanManageFrameworks reports whether the actor may import, publish and
// export the frameworks the whole service assesses against.
func (a *Actor) CanManageFrameworks() bool { return a != nil && a.IsNationalAdmin() }

// LearningOrgs are the nodes whose learning the actor may find, besides
// learning shared with everyone: their organisations, and the nation for
// national admins.
func (a *Actor) LearningOrgs() []int64 {
	var ids []int64
	for _, m := range a.Memberships {
		if m.Org.Level == LevelOrganisation || m.Org.Level == LevelNation {
			ids = append(ids, m.Org.ID)
		}
	}
	return ids
}

// HomeOrg is the organisation the actor does learning owned by ownerID
// for: the owner if they belong to it, else their first organisation, or
// 0 when they belong to none.
func (a *Actor) HomeOrg(ownerID int64) int64 {
	var first int64
	for _, m := range a.Memberships {
		if m.Org.Level != LevelOrganisation {
			continue
		}
		if m.Org.ID == ownerID {
			return ownerID
		}
		if first == 0 {
			first = m.Org.ID
		}
	}
	return first
}
