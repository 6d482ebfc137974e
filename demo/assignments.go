package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"upskill"
	"upskill/store"
)

// This file makes the demo's assigned learning. Most organisations make
// the national lesson on phishing mandatory for all their staff, a
// department at a time (or a staff group at a time where they have no
// departments), to be done within two months and again every two years;
// some supervisors assign a national lesson to everyone they line manage.
// The people an assignment covers are enrolled as the sweep would have
// enrolled them: learning they had started themselves becomes assigned,
// a completion counts, and everyone else starts it the day it was
// assigned. Most finish it; the rest are overdue.

const (
	// When the organisations' and the supervisors' assignments were made:
	// after the 2026 cycle of the assessment.
	orgAssignedFrom  = "2026-04-13"
	teamAssignedFrom = "2026-05-11"
	// orgAssignShare of organisations make phishing mandatory; one in
	// teamAssignEvery supervisors assigns learning to their team.
	orgAssignShare  = 0.7
	teamAssignEvery = 5
	// assignedDoneShare of the people an assignment enrols complete it.
	assignedDoneShare = 0.82
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// assign makes the assignments and the enrolments they make. mandatory is
// the item every organisation assigns, and forAll lists national lessons
// written for everyone, which supervisors choose from.
func (l *learningGen) assign(seed uint64, mandatory int, forAll []int) {
	b := l.g.b
	e := &enroller{l: l, pcg: rand.NewPCG(seed^0xa551_9e0d, 0x7ea_3), seed: seed}
	e.rng = rand.New(e.pcg)
	r := e.rng

	// Who has learning open, and who completed what when.
	type personItem struct{ person, item int64 }
	open := map[personItem]int{}
	done := map[personItem]time.Time{}
	for i, en := range b.Enrolments {
		k := personItem{en.PersonID, en.ItemID}
		if en.Status == upskill.Enrolled {
			open[k] = i
		} else if en.CompletedAt.After(done[k]) {
			done[k] = en.CompletedAt
		}
	}
	// The current members of each organisation, in the order of the load:
	// an assignment covers everyone its rule takes in, whatever their
	// roles, as the sweep does.
	staff := map[int64][]int{}
	for i, m := range b.Memberships {
		if m.EndedAt.IsZero() {
			staff[m.OrganisationID] = append(staff[m.OrganisationID], i)
		}
	}
	admins := map[int64]int64{}
	for _, m := range b.Memberships {
		if _, ok := admins[m.OrganisationID]; !ok && m.EndedAt.IsZero() && m.Roles.Has(upskill.RoleOrgAdmin) {
			admins[m.OrganisationID] = m.PersonID
		}
	}
	departments := map[int64][]int64{}
	parent := map[int64]int64{} // a unit's department
	for _, u := range b.Units {
		if u.ParentID == 0 {
			departments[u.OrganisationID] = append(departments[u.OrganisationID], u.ID)
			parent[u.ID] = u.ID
		} else {
			parent[u.ID] = u.ParentID
		}
	}
	index := make(map[int64]int, len(b.Learning))
	for i, it := range b.Learning {
		index[it.Item.ID] = i
	}
	nextID := int64(0)
	// enrol covers the people of the given memberships under assignment a.
	enrol := func(a *store.Assignment, members []int) {
		it := &b.Learning[index[a.ItemID]]
		renewal := a.CreatedAt.AddDate(0, -a.RenewMonths, 0)
		for _, mi := range members {
			ms := &b.Memberships[mi]
			k := personItem{ms.PersonID, a.ItemID}
			if when, ok := done[k]; ok && (a.RenewMonths == 0 || when.After(renewal)) {
				continue
			}
			if i, ok := open[k]; ok {
				en := &b.Enrolments[i]
				if !en.Assigned && en.OrganisationID == a.OrganisationID {
					en.Assigned, en.AssignmentID = true, a.ID
					en.DueAt = later(en.CreatedAt, a.CreatedAt).AddDate(0, 0, a.DueDays)
				}
				continue
			}
			at := a.CreatedAt
			if it.Versions[0].PublishedAt.After(at) {
				continue
			}
			en := e.enrol(ms, it, at, r.Float64() < assignedDoneShare)
			en.Assigned, en.AssignmentID = true, a.ID
			if en.Status == upskill.Completed {
				// Most do it within the two months; some after a reminder.
				en.CompletedAt = en.CreatedAt.Add(time.Duration(float64(a.DueDays)*24*3600*r.Float64()*1.3) * time.Second).Truncate(time.Second)
				if en.CompletedAt.Before(en.CreatedAt) {
					en.CompletedAt = en.CreatedAt
				}
			}
			open[k] = len(b.Enrolments)
			if en.Status == upskill.Completed {
				delete(open, k)
				done[k] = en.CompletedAt
			}
			b.Enrolments = append(b.Enrolments, en)
		}
	}

	orgFrom, teamFrom := day(orgAssignedFrom), day(teamAssignedFrom)
	for _, o := range b.Organisations {
		members := staff[o.ID]
		if o.Level != upskill.LevelOrganisation || len(members) == 0 || r.Float64() >= orgAssignShare {
			continue
		}
		at := orgFrom.Add(time.Duration(r.IntN(14*24)) * time.Hour)
		base := store.Assignment{OrganisationID: o.ID, ItemID: l.g.b.Learning[mandatory].Item.ID, Mandatory: true, DueDays: 60,
			RenewMonths: 24, CreatedBy: admins[o.ID], CreatedAt: at}
		// add assigns to the members covered.
		add := func(a store.Assignment, covered func(ms *upskill.Membership) bool) {
			nextID--
			a.ID = nextID
			b.Assignments = append(b.Assignments, a)
			enrol(&b.Assignments[len(b.Assignments)-1], slices.DeleteFunc(slices.Clone(members), func(mi int) bool {
				return !covered(&b.Memberships[mi])
			}))
		}
		if depts := departments[o.ID]; len(depts) > 0 {
			for _, d := range depts {
				a := base
				a.UnitID = d
				add(a, func(ms *upskill.Membership) bool { return parent[ms.UnitID] == d })
			}
			continue
		}
		var groups []upskill.StaffGroup
		for _, mi := range members {
			if g := b.Memberships[mi].StaffGroup; g != "" && !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
		for _, g := range groups {
			a := base
			a.StaffGroup = g
			add(a, func(ms *upskill.Membership) bool { return ms.StaffGroup == g })
		}
	}

	// Supervisors, each with the people they line manage.
	teams := map[int64][]int{}
	var managers []int64
	for _, members := range staff {
		for _, mi := range members {
			if lm := b.Memberships[mi].LineManagerID; lm != 0 {
				if _, ok := teams[lm]; !ok {
					managers = append(managers, lm)
				}
				teams[lm] = append(teams[lm], mi)
			}
		}
	}
	slices.Sort(managers)
	slices.Reverse(managers) // provisional ids count down: the load's order
	orgOf := map[int64]int64{}
	for _, m := range b.Memberships {
		if m.EndedAt.IsZero() && m.Roles.Has(upskill.RoleSupervisor) {
			orgOf[m.PersonID] = m.OrganisationID
		}
	}
	for n, lm := range managers {
		org, ok := orgOf[lm]
		if !ok || n%teamAssignEvery != 0 || len(forAll) == 0 {
			continue
		}
		nextID--
		b.Assignments = append(b.Assignments, store.Assignment{ID: nextID, OrganisationID: org,
			ItemID: b.Learning[forAll[r.IntN(len(forAll))]].Item.ID, LineManagerID: lm, DueDays: 90, CreatedBy: lm,
			CreatedAt: teamFrom.Add(time.Duration(r.IntN(60*24)) * time.Hour)})
		enrol(&b.Assignments[len(b.Assignments)-1], teams[lm])
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
