package web

import (
	"net/http"
	"time"

	"upskill"
	"upskill/store"
)

// HomeView is a person's home page: what each of their memberships lets
// them do, most senior first.
type HomeView struct {
	Page
	Unverified  bool
	Assessment  AssessmentHome
	ReviewsToDo int
	Supervisor  bool
	Nation      *NationHome
	Regions     []RegionHome
	Orgs        []OrgHome
}

// AssessmentHome is where the person stands with the assessment.
type AssessmentHome struct {
	Href          string
	OpenHref      string
	LastHref      string
	LastSubmitted time.Time
	NextDue       time.Time // zero when the organisation sets no cycle
	Overdue       bool
}

// NationHome is the national admin's part of the home page.
type NationHome struct {
	ID            int64
	Name          string
	Regions       int
	Organisations int
}

// RegionHome is a region lead's part of the home page.
type RegionHome struct {
	ID            int64
	Name          string
	Organisations int
	Staff         int
}

// OrgHome is the part of the home page for one organisation.
type OrgHome struct {
	ID          int64
	Name        string
	Roles       upskill.RoleSet
	CanManage   bool
	CanAddStaff bool
	CanAuthor   bool // writes the organisation's learning
	// IsSupervisor shows the team: the people they line manage.
	IsSupervisor bool
	Staff        int
	Departments  int
	Team         []store.TeamMember // for supervisors: the people they line manage
	TeamMore     bool               // there are more than Team holds
}

func (s *Server) home(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	a := r.actor
	v := &HomeView{Unverified: !a.EmailVerified}
	v.Title = "Home"
	st, err := s.store.AssessmentStatus(ctx, a.PersonID, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	v.Assessment = AssessmentHome{Href: assessmentPath(s.cfg.FrameworkKey), LastSubmitted: st.LastSubmitted}
	for _, m := range a.Memberships {
		v.Supervisor = v.Supervisor || m.Roles.Has(upskill.RoleSupervisor)
	}
	if v.Supervisor {
		if v.ReviewsToDo, err = s.store.ReviewsToDo(ctx, a.PersonID); err != nil {
			return err
		}
	}
	if st.OpenID != 0 {
		v.Assessment.OpenHref = attemptURL(st.OpenID)
	}
	if st.LastID != 0 {
		v.Assessment.LastHref = attemptURL(st.LastID) + "/report"
		if v.Assessment.NextDue, err = s.store.NextDue(ctx, a.PersonID, st.LastID); err != nil {
			return err
		}
		v.Assessment.Overdue = !v.Assessment.NextDue.IsZero() && v.Assessment.NextDue.Before(time.Now())
	}
	for _, m := range a.Memberships {
		switch m.Org.Level {
		case upskill.LevelNation:
			if v.Nation != nil {
				continue
			}
			regions, err := s.store.Children(ctx, m.Org.ID)
			if err != nil {
				return err
			}
			n := &NationHome{ID: m.Org.ID, Name: m.OrgName, Regions: len(regions)}
			for _, reg := range regions {
				n.Organisations += reg.Children
			}
			v.Nation = n
		case upskill.LevelRegion:
			orgs, err := s.store.Children(ctx, m.Org.ID)
			if err != nil {
				return err
			}
			rh := RegionHome{ID: m.Org.ID, Name: m.OrgName, Organisations: len(orgs)}
			for _, o := range orgs {
				rh.Staff += o.Staff
			}
			v.Regions = append(v.Regions, rh)
		case upskill.LevelOrganisation:
			oh := OrgHome{ID: m.Org.ID, Name: m.OrgName, Roles: m.Roles,
				CanManage: a.Can(upskill.ManageOrganisation, m.Org), CanAddStaff: a.Can(upskill.ManageStaff, m.Org),
				CanAuthor:    a.Can(upskill.AuthorContent, m.Org),
				IsSupervisor: m.Roles.Has(upskill.RoleSupervisor)}
			if a.StaffScope(m.Org) == upskill.ScopeAll {
				var err error
				if oh.Staff, oh.Departments, err = s.store.OrgCounts(ctx, m.Org.ID); err != nil {
					return err
				}
			}
			if oh.IsSupervisor {
				var err error
				if oh.Team, oh.TeamMore, err = s.store.Team(ctx, m.Org.ID, a.PersonID, 10); err != nil {
					return err
				}
			}
			v.Orgs = append(v.Orgs, oh)
		}
	}
	return s.render(w, r, http.StatusOK, "home.html", v, &v.Page)
}
