package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

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
//
// The department's figures are those of the last year that has ended,
// which no longer move. This year's move each time someone submits, and
// a manager knows who in their team has: reading the department before
// and after one of them submitted would give that person's answers away.
// And a manager can read by name the results shared with them, and knows
// their own: the department's figures are shown only when, leaving those
// people out, at least k remain, or taking them away would give the rest
// away.

// TeamView is a manager's page of their team's assessments.
type TeamView struct {
	Page
	Org       *upskill.Organisation
	Framework string
	K         int
	Cycle     insight.Cycle // this year, for who has submitted
	Domains   []upskill.Domain
	Members   []store.TeamAssessment
	Shared    []store.TeamAssessment
	Submitted int
	// LastYear is the latest year that has ended with figures counted,
	// 0 when there is none, and Department the manager's department's
	// figures for it (nil when they have none or it is hidden).
	LastYear   insight.Cycle
	Department *InsightRow
	// TooFewOthers is set when the department's figures are withheld
	// because too few people in it are neither the manager nor people
	// who shared their results with them.
	TooFewOthers bool
}

func (s *Server) team(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	cycle := insight.CycleOf(time.Now())
	members, err := s.store.TeamAssessments(ctx, r.org.ID, r.actor.PersonID, fw.ID, cycle)
	if err != nil {
		return err
	}
	v := &TeamView{Org: r.org, Framework: fw.Name, K: s.cfg.SmallestGroup, Cycle: cycle, Domains: version.Domains, Members: members}
	for _, m := range members {
		if m.Submitted {
			v.Submitted++
		}
		if m.Shared != 0 {
			v.Shared = append(v.Shared, m)
		}
	}
	l, err := s.layout(ctx, r.org.ID, fw.ID)
	if err != nil {
		return err
	}
	v.LastYear = endedCycle(l.Cycles, cycle)
	if _, me, err := s.store.Member(ctx, r.org.ID, r.actor.PersonID); err == nil && me.UnitID != 0 && v.LastYear != 0 {
		dept, err := s.departmentOf(ctx, r.org.ID, me.UnitID)
		if err != nil {
			return err
		}
		domains, bands := frameworkCodes(version)
		report, err := s.orgReport(ctx, r.org.ID, fw.ID, l, v.LastYear, domains, bands)
		if err != nil {
			return err
		}
		names, err := s.rowNames(ctx, r.org.ID, insight.ByDepartment)
		if err != nil {
			return err
		}
		known, err := s.store.SharedWithCount(ctx, r.org.ID, r.actor.PersonID, fw.ID)
		if err != nil {
			return err
		}
		known++ // the manager
		for _, t := range report.Tables {
			for _, row := range t.Rows {
				if t.Breakdown != insight.ByDepartment || row.Key != strconv.FormatInt(dept, 10) || row.Hidden {
					continue
				}
				if row.People-int64(known) < int64(s.cfg.SmallestGroup) {
					v.TooFewOthers = true
					continue
				}
				v.Department = &InsightRow{Label: names(row.Key), Row: row}
			}
		}
	}
	v.Title = "Your team's assessments"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "team.html", v, &v.Page)
}

// endedCycle returns the latest of the cycles (latest first) before now,
// or 0 when there is none.
func endedCycle(cycles []insight.Cycle, now insight.Cycle) insight.Cycle {
	for _, c := range cycles {
		if c < now {
			return c
		}
	}
	return 0
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
