package web

import (
	"context"
	"net/http"
	"strconv"

	"upskill"
	"upskill/insight"
	"upskill/store"
)

// The line manager's view of their team's assessments. A team is usually
// smaller than the fewest people a figure may be about, and one team's
// figures could be taken away from its department's to work out the
// rest, so a manager sees no figures for the team as a whole. They see
// who has taken the assessment this year, the results each person chose
// to share with them, by name, and their own department's figures,
// hidden as on the organisation's pages.

// TeamView is a manager's page of their team's assessments.
type TeamView struct {
	Page
	Org        *upskill.Organisation
	Framework  string
	K          int
	Cycle      insight.Cycle
	Domains    []upskill.Domain
	Members    []store.TeamAssessment
	Shared     []store.TeamAssessment
	Submitted  int
	Department *InsightRow // nil when the manager has none or it is hidden
}

func (s *Server) team(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	iv, err := s.orgInsightView(r)
	if err != nil {
		return err
	}
	members, err := s.store.TeamAssessments(ctx, r.org.ID, r.actor.PersonID, fw.ID, iv.Cycle)
	if err != nil {
		return err
	}
	v := &TeamView{Org: r.org, Framework: fw.Name, K: s.cfg.SmallestGroup, Cycle: iv.Cycle, Domains: version.Domains, Members: members}
	for _, m := range members {
		if m.Submitted {
			v.Submitted++
		}
		if m.Shared != 0 {
			v.Shared = append(v.Shared, m)
		}
	}
	if _, me, err := s.store.Member(ctx, r.org.ID, r.actor.PersonID); err == nil && me.UnitID != 0 {
		dept, err := s.departmentOf(ctx, r.org.ID, me.UnitID)
		if err != nil {
			return err
		}
		for _, row := range iv.Tables[insight.ByDepartment] {
			if row.Key == strconv.FormatInt(dept, 10) && !row.Hidden {
				v.Department = &row
			}
		}
	}
	v.Title = "Your team's assessments"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "team.html", v, &v.Page)
}

// departmentOf returns the department a unit is or belongs to.
func (s *Server) departmentOf(ctx context.Context, orgID, unitID int64) (int64, error) {
	u, err := s.store.Unit(ctx, orgID, unitID)
	if err != nil {
		return 0, err
	}
	if u.ParentID != 0 {
		return u.ParentID, nil
	}
	return u.ID, nil
}
