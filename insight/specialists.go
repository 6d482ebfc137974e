package insight

import (
	"slices"

	"upskill"
)

// Specialists counts the current staff of one organisation who hold one
// specialist digital, data and technology role at one level.
type Specialists struct {
	Org, Region int64
	Role, Level string
	People      int
}

// Breakdowns of specialists.
const (
	ByFamily Breakdown = "family"
	ByRole   Breakdown = "role"
	ByLevel  Breakdown = "level"
)

// Count is one row of a table of specialists.
type Count struct {
	Key    string
	People int
	Hidden bool
}

// SpecialistReport is what a page of specialists shows: the total and a
// table per breakdown.
type SpecialistReport struct {
	Total  Count
	Tables map[Breakdown][]Count
	// Partial is set on a region's or the nation's figures when some
	// organisation hides some of its own, which are then not counted.
	Partial bool
}

func familyOf(role string) string {
	r, _ := upskill.DDaTRoleByCode(role)
	return r.Family
}

// OrgSpecialists lays out one organisation's specialists, by family, role
// and level, each a table whose rows add up to the total, and hides what
// suppression says to.
func OrgSpecialists(counts []Specialists, k int) *SpecialistReport {
	type micro struct{ role, level string }
	var micros []micro
	var p Problem
	for _, c := range counts {
		micros = append(micros, micro{c.Role, c.Level})
		p.Micro = append(p.Micro, c.People)
	}
	value := func(b Breakdown, m micro) string {
		switch b {
		case ByFamily:
			return familyOf(m.role)
		case ByRole:
			return m.role
		case ByLevel:
			return m.level
		}
		return ""
	}
	var keys []CellKey
	for t, b := range []Breakdown{Whole, ByFamily, ByRole, ByLevel} {
		rows := map[string]*Cell{}
		var order []string
		for i, m := range micros {
			v := value(b, m)
			c := rows[v]
			if c == nil {
				c = &Cell{Table: t, Total: 0}
				if b == Whole {
					c.Total = -1
				}
				rows[v] = c
				order = append(order, v)
			}
			c.Terms = append(c.Terms, Term{Micro: i, Coef: 1})
			c.People += p.Micro[i]
		}
		slices.Sort(order)
		for _, v := range order {
			p.Cells = append(p.Cells, *rows[v])
			keys = append(keys, CellKey{Breakdown: b, Row: v})
		}
	}
	hidden := Decide(p, keys, k)
	r := &SpecialistReport{Tables: map[Breakdown][]Count{}}
	for i, key := range keys {
		c := Count{Key: key.Row, People: p.Cells[i].People, Hidden: hidden[key]}
		if c.Hidden {
			c.People = 0
		}
		if key.Breakdown == Whole {
			r.Total = c
			continue
		}
		r.Tables[key.Breakdown] = append(r.Tables[key.Breakdown], c)
	}
	if len(keys) == 0 {
		r.Total = Count{Hidden: true}
	}
	return r
}

// CombinedSpecialists adds up the specialists of many organisations, role
// by role, counting each organisation's holders of a role only where its
// own page shows them. Families and the total add up the roles. So every
// figure is a sum of figures already shown, and tells no one anything the
// organisations' pages do not; the price is that holders of a role too
// rare at their organisation to show are not counted, which Partial says.
func CombinedSpecialists(counts []Specialists, k int) *SpecialistReport {
	byOrg := map[int64][]Specialists{}
	var orgs []int64
	for _, c := range counts {
		if _, ok := byOrg[c.Org]; !ok {
			orgs = append(orgs, c.Org)
		}
		byOrg[c.Org] = append(byOrg[c.Org], c)
	}
	slices.Sort(orgs)
	shown := map[string]int{}
	r := &SpecialistReport{Tables: map[Breakdown][]Count{}}
	for _, o := range orgs {
		own := OrgSpecialists(byOrg[o], k)
		for _, c := range own.Tables[ByRole] {
			if c.Hidden {
				r.Partial = true
				continue
			}
			shown[c.Key] += c.People
		}
		if len(own.Tables[ByRole]) == 0 && own.Total.Hidden {
			r.Partial = true
		}
	}
	families := map[string]int{}
	for _, role := range upskill.DDaTRoles {
		n := shown[role.Code]
		if n == 0 {
			continue
		}
		r.Tables[ByRole] = append(r.Tables[ByRole], Count{Key: role.Code, People: n})
		families[role.Family] += n
		r.Total.People += n
	}
	for _, role := range upskill.DDaTRoles {
		if n, ok := families[role.Family]; ok {
			r.Tables[ByFamily] = append(r.Tables[ByFamily], Count{Key: role.Family, People: n})
			delete(families, role.Family)
		}
	}
	r.Total.Hidden = r.Total.People == 0
	return r
}
