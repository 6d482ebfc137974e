package insight

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Cycle is an assessment year, named by the year it starts in: cycle 2025
// runs from 1 April 2025 to 31 March 2026, the NHS financial year, so
// that figures line up with workforce plans. A person counts once in a
// cycle, by their latest attempt submitted in it.
type Cycle int

// CycleOf returns the cycle a time falls in, read in UK time.
func CycleOf(t time.Time) Cycle {
	t = t.In(london)
	if t.Month() < time.April {
		return Cycle(t.Year() - 1)
	}
	return Cycle(t.Year())
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// Label is how pages name the cycle: "April 2025 to March 2026".
func (c Cycle) Label() string {
	return "April " + strconv.Itoa(int(c)) + " to March " + strconv.Itoa(int(c)+1)
}

// Start and End bound the cycle: Start is its first moment, End the first
// moment of the next.
func (c Cycle) Start() time.Time { return time.Date(int(c), time.April, 1, 0, 0, 0, 0, london) }
func (c Cycle) End() time.Time   { return (c + 1).Start() }

// Group is where a person sat in their organisation when they submitted:
// their department (0 when none), staff group and pay band, and the site
// their department sat at when the attempt was counted (0 when none),
// kept as the department is, so that moving a department to another site
// later changes no figures already counted.
type Group struct {
	Department int64
	StaffGroup string
	PayBand    string
	Site       int64
}

// Breakdown is a way of splitting an organisation's staff into rows.
type Breakdown string

const (
	Whole        Breakdown = ""           // the organisation as one row
	ByDepartment Breakdown = "department" // a row per department
	ByStaffGroup Breakdown = "staff_group"
	ByPayBand    Breakdown = "pay_band"
	BySite       Breakdown = "site"
)

// Breakdowns lists the ways an organisation's tables split its staff, as
// pages show them.
var Breakdowns = []Breakdown{ByDepartment, ByStaffGroup, ByPayBand, BySite}

// Participation reports whether a breakdown's tables count the staff now
// (who can take the assessment, who started, who submitted). Staff now
// have no site of their own, only their department's at the moment, so
// the site tables leave participation out: were it there, moving a small
// department between sites would give its counts away.
func (b Breakdown) Participation() bool { return b != BySite }

// Value returns the row of the breakdown that g falls in.
func (b Breakdown) Value(g Group) string {
	switch b {
	case ByDepartment:
		return strconv.FormatInt(g.Department, 10)
	case ByStaffGroup:
		return g.StaffGroup
	case ByPayBand:
		return g.PayBand
	case BySite:
		return strconv.FormatInt(g.Site, 10)
	}
	return ""
}

// Entries counts the people who submitted in a cycle, by where they sat
// and by whether they had also submitted in the cycle before (Prev) and
// where they sat in the cycle after (Next, when HasNext). These are the
// microcells every table of scores and of change is summed from.
type Entries struct {
	Cycle   Cycle
	Group   Group
	Prev    bool
	HasNext bool
	Next    Group
	// Track names the people's whole history (TrackOf): entries with the
	// same track, in different cycles, are the same people.
	Track  string
	People int
}

// Placed is where a person sat in one cycle.
type Placed struct {
	Cycle Cycle
	Group Group
}

// TrackOf names a person's whole history, their places in cycle order.
func TrackOf(history []Placed) string {
	var b []byte
	for _, h := range history {
		b = strconv.AppendInt(b, int64(h.Cycle), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, h.Group.Department, 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, h.Group.Site, 10)
		b = append(b, '/')
		b = strconv.AppendQuote(b, h.Group.StaffGroup)
		b = append(b, '/')
		b = strconv.AppendQuote(b, h.Group.PayBand)
		b = append(b, ';')
	}
	return string(b)
}

// Measure is what a cell sums.
type Measure string

const (
	// Scores sums the entries of a cycle.
	Scores Measure = "scores"
	// Change sums, for the people who submitted in a cycle and in the one
	// before, the later entry less the earlier one. The row is the later
	// one's.
	Change Measure = "change"
)

// CellKey names one published figure: a row of one breakdown of one
// measure in one cycle.
type CellKey struct {
	Measure   Measure
	Cycle     Cycle
	Breakdown Breakdown
	Row       string
}

// ScoreTables lays out every table of scores and change an organisation
// publishes over the cycles its entries cover: for each cycle, the whole
// organisation and each breakdown, for both measures. It returns the
// problem for Suppress and the key of each cell, in the same order.
func ScoreTables(entries []Entries) (Problem, []CellKey) {
	var p Problem
	tracks := map[string]int{}
	for _, e := range entries {
		p.Micro = append(p.Micro, e.People)
		p.Class = append(p.Class, int(e.Cycle))
		t, ok := tracks[e.Track]
		if !ok {
			t = len(tracks)
			tracks[e.Track] = t
		}
		p.Track = append(p.Track, t)
	}
	var cycles []Cycle
	for _, e := range entries {
		if !slices.Contains(cycles, e.Cycle) {
			cycles = append(cycles, e.Cycle)
		}
	}
	slices.Sort(cycles)
	var keys []CellKey
	for _, c := range cycles {
		for _, m := range []Measure{Scores, Change} {
			whole := len(p.Cells)
			for _, b := range append([]Breakdown{Whole}, Breakdowns...) {
				rows := map[string]*Cell{}
				var order []string
				add := func(row string, t Term, people int) {
					cell := rows[row]
					if cell == nil {
						cell = &Cell{}
						rows[row] = cell
						order = append(order, row)
					}
					cell.Terms = append(cell.Terms, t)
					cell.People += people
				}
				for i, e := range entries {
					switch {
					case m == Scores && e.Cycle == c:
						add(b.Value(e.Group), Term{Micro: i, Coef: 1}, e.People)
					case m == Change && e.Cycle == c && e.Prev:
						add(b.Value(e.Group), Term{Micro: i, Coef: 1}, e.People)
					case m == Change && e.Cycle == c-1 && e.HasNext:
						add(b.Value(e.Next), Term{Micro: i, Coef: -1}, 0)
					}
				}
				slices.Sort(order)
				for _, row := range order {
					cell := *rows[row]
					cell.Table, cell.Total = tableID(m, c, b), whole
					if b == Whole {
						cell.Total = -1
					}
					p.Cells = append(p.Cells, cell)
					keys = append(keys, CellKey{Measure: m, Cycle: c, Breakdown: b, Row: row})
				}
			}
		}
	}
	return p, keys
}

// Staff counts the people an organisation has now, by where they sit:
// the microcells of its participation tables.
type Staff struct {
	Group  Group
	People int
	// Of them, how many have started the assessment (or submitted it) and
	// how many submitted it in the cycle shown.
	Started, Completed int64
}

// StaffTables lays out the participation tables: the whole organisation
// and each breakdown, counted over its staff now.
func StaffTables(staff []Staff) (Problem, []CellKey) {
	var p Problem
	for _, s := range staff {
		p.Micro = append(p.Micro, s.People)
	}
	var keys []CellKey
	for _, b := range append([]Breakdown{Whole}, Breakdowns...) {
		if !b.Participation() {
			continue
		}
		rows := map[string]*Cell{}
		var order []string
		for i, s := range staff {
			row := b.Value(s.Group)
			cell := rows[row]
			if cell == nil {
				cell = &Cell{}
				rows[row] = cell
				order = append(order, row)
			}
			cell.Terms = append(cell.Terms, Term{Micro: i, Coef: 1})
			cell.People += s.People
		}
		slices.Sort(order)
		for _, row := range order {
			cell := *rows[row]
			cell.Table, cell.Total = tableID("", 0, b), 0
			if b == Whole {
				cell.Total = -1
			}
			p.Cells = append(p.Cells, cell)
			keys = append(keys, CellKey{Breakdown: b, Row: row})
		}
	}
	return p, keys
}

// tableID numbers the tables of a layout: one per measure, cycle and
// breakdown.
func tableID(m Measure, c Cycle, b Breakdown) int {
	n := int(c)*2*8 + slices.Index(append([]Breakdown{Whole}, Breakdowns...), b)
	if m == Change {
		n += 8
	}
	return n
}

// Hidden is the outcome of suppression: the cells that may not be shown.
type Hidden map[CellKey]bool

// Decide runs Suppress over a layout and returns the hidden cells. When an
// organisation's own total is hidden, everything about it is: a total that
// is not shown must not be rebuilt from its rows, nor from the pooled
// figures of the levels above.
func Decide(p Problem, keys []CellKey, k int) Hidden {
	hide := Suppress(p, k)
	h := Hidden{}
	gone := map[CellKey]bool{} // whole rows hidden, by measure and cycle
	for i, key := range keys {
		if hide[i] {
			h[key] = true
			if key.Breakdown == Whole {
				gone[CellKey{Measure: key.Measure, Cycle: key.Cycle}] = true
			}
		}
	}
	// Change into or out of a cycle whose scores are hidden would tie it
	// to the cycles either side, so it goes too.
	for _, key := range keys {
		if gone[CellKey{Measure: key.Measure, Cycle: key.Cycle}] ||
			(key.Measure == Change && (gone[CellKey{Measure: Scores, Cycle: key.Cycle}] || gone[CellKey{Measure: Scores, Cycle: key.Cycle - 1}])) {
			h[key] = true
		}
	}
	return h
}

// sortEntries puts entries in a fixed order, so that a layout and so its
// suppression never depend on the order rows came from the database.
func sortEntries(e []Entries) {
	slices.SortFunc(e, func(a, b Entries) int {
		return cmp.Or(cmp.Compare(a.Cycle, b.Cycle), compareGroup(a.Group, b.Group),
			compareBool(a.Prev, b.Prev), compareBool(a.HasNext, b.HasNext), compareGroup(a.Next, b.Next), cmp.Compare(a.Track, b.Track))
	})
}

func compareGroup(a, b Group) int {
	return cmp.Or(cmp.Compare(a.Department, b.Department), cmp.Compare(a.Site, b.Site), cmp.Compare(a.StaffGroup, b.StaffGroup),
		cmp.Compare(a.PayBand, b.PayBand))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
