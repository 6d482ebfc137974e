package insight

import (
	"slices"
	"strconv"
)

// The figures of regions and the nation. Each adds up whole
// organisations, so that no group finer than an organisation is ever in
// them. An organisation whose own figures are hidden is never a row of
// its own: it is pooled with the region's other small organisations, and
// the pool is shown, and counted in the region's figures, only when it
// holds at least k people. A region's pool smaller than that joins a
// national pool under the same rule; a national pool smaller than that is
// left out of every figure. So every figure is a sum of whole
// organisations that are shown and of pools of at least k people, and no
// difference between figures can single out fewer than k.
//
// Change between years is added up over the organisations whose own
// change figures are shown, and no others.

// OrgTotal is one organisation's whole sums in one domain and band of one
// year, with where it sits and whether its own figures are shown.
type OrgTotal struct {
	Org    int64
	Region int64
	Type   string
	Tally
	Scores, Change bool
}

// Higher-level breakdowns.
const (
	ByOrganisation Breakdown = "organisation"
	ByRegion       Breakdown = "region"
	ByOrgType      Breakdown = "org_type"
)

// Row keys for pools.
const (
	// PoolRow is the row of organisations pooled because each is too
	// small to show: in a region, its own; in the nation, those of every
	// region whose pool was too small on its own.
	PoolRow = "pool"
	// PooledRow is, split by organisation type, every pooled
	// organisation counted in the nation's figures, whatever its type.
	PooledRow = "pooled"
)

// Combined is what a region's or the nation's page shows for one year.
type Combined struct {
	K      int
	Cycle  Cycle
	Cycles []Cycle
	Whole  Row
	Tables []Table
	// Counted is, per organisation, which row its scores count in
	// ("" when left out); pages use it to compare an organisation with
	// its region and the nation.
	Counted map[int64]string
	// Pooled is how many organisations the pools hold, and Left how
	// many were left out of every figure.
	Pooled, Left int
	// Orgs is how many organisations each row adds up, by breakdown and
	// row, and WholeOrgs how many the whole does.
	Orgs      map[Breakdown]map[string]int
	WholeOrgs int
}

// Cycles lists the years the totals cover, latest first.
func Cycles(totals []OrgTotal) []Cycle {
	var out []Cycle
	for _, t := range totals {
		if !slices.Contains(out, t.Cycle) {
			out = append(out, t.Cycle)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// Combine builds the figures of one year over the organisations' totals.
// For a region, pass its organisations and nation false: the rows are
// its organisations. For the nation, pass every organisation and nation
// true: the rows are regions, and a second table has organisation types.
func Combine(totals []OrgTotal, cycle Cycle, k int, nation bool, domains, bands []string) *Combined {
	c := &Combined{K: k, Cycle: cycle, Counted: map[int64]string{}, Orgs: map[Breakdown]map[string]int{}}
	firstBy := ByOrganisation
	if nation {
		firstBy = ByRegion
	}
	c.Orgs[firstBy], c.Orgs[ByOrgType] = map[string]int{}, map[string]int{}
	type org struct {
		region         int64
		typ            string
		people         int64
		scores, change bool
		tallies        []Tally
	}
	orgs := map[int64]*org{}
	var ids []int64
	c.Cycles = Cycles(totals)
	for _, t := range totals {
		if t.Cycle != cycle {
			continue
		}
		o := orgs[t.Org]
		if o == nil {
			o = &org{region: t.Region, typ: t.Type, scores: t.Scores, change: t.Change}
			orgs[t.Org] = o
			ids = append(ids, t.Org)
		}
		if len(domains) > 0 && t.Domain == domains[0] {
			o.people += t.People
		}
		o.tallies = append(o.tallies, t.Tally)
	}
	slices.Sort(ids)

	// Pools: a region's small organisations, then the nation's.
	poolPeople := map[int64]int64{}
	for _, id := range ids {
		if o := orgs[id]; !o.scores {
			poolPeople[o.region] += o.people
		}
	}
	var national int64
	for _, id := range ids {
		if o := orgs[id]; !o.scores && poolPeople[o.region] < int64(k) {
			national += o.people
		}
	}
	for _, id := range ids {
		o := orgs[id]
		switch {
		case o.scores:
			c.Counted[id] = "own"
		case poolPeople[o.region] >= int64(k):
			c.Counted[id], c.Pooled = "region", c.Pooled+1
		case national >= int64(k):
			c.Counted[id], c.Pooled = "nation", c.Pooled+1
		default:
			c.Left++
		}
	}

	whole := newRow("", domains, bands)
	byFirst := map[string]*Row{}
	var firstOrder []string
	byType := map[string]*Row{}
	var typeOrder []string
	row := func(m map[string]*Row, order *[]string, key string) *Row {
		r := m[key]
		if r == nil {
			r = newRow(key, domains, bands)
			m[key] = r
			*order = append(*order, key)
		}
		return r
	}
	for _, id := range ids {
		o := orgs[id]
		where := c.Counted[id]
		if where == "" {
			continue
		}
		first := strconv.FormatInt(id, 10) // a region's rows are its organisations
		if nation {
			first = strconv.FormatInt(o.region, 10)
		}
		typ := o.typ
		switch where {
		case "region":
			typ = PooledRow
			if !nation {
				first = PoolRow
			}
		case "nation":
			first, typ = PoolRow, PooledRow
		}
		c.WholeOrgs++
		c.Orgs[firstBy][first]++
		if nation {
			c.Orgs[ByOrgType][typ]++
		}
		for _, t := range o.tallies {
			whole.add(t, domains, bands, o.change)
			row(byFirst, &firstOrder, first).add(t, domains, bands, o.change)
			if nation {
				row(byType, &typeOrder, typ).add(t, domains, bands, o.change)
			}
		}
	}
	finish(whole)
	whole.ChangeHidden = whole.Paired == 0
	whole.Hidden = whole.People == 0
	c.Whole = *whole
	tables := []struct {
		b     Breakdown
		m     map[string]*Row
		order []string
	}{{ByOrganisation, byFirst, firstOrder}}
	if nation {
		tables = []struct {
			b     Breakdown
			m     map[string]*Row
			order []string
		}{{ByRegion, byFirst, firstOrder}, {ByOrgType, byType, typeOrder}}
	}
	for _, tb := range tables {
		t := Table{Breakdown: tb.b}
		for _, key := range tb.order {
			r := tb.m[key]
			finish(r)
			r.Hidden = r.People == 0
			r.ChangeHidden = r.Paired == 0
			t.Rows = append(t.Rows, *r)
		}
		c.Tables = append(c.Tables, t)
	}
	return c
}
