package insight

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// Tally is what the summaries hold for the people of one microcell of a
// cycle in one domain whose score fell in one band. Scores are in tenths
// of a point; the change fields count the people who also took part in
// the cycle before.
type Tally struct {
	Cycle        Cycle
	Group        Group
	Domain       string
	Band         string
	NeededBand   string // the band of the score the role needs
	People       int64
	NowTenths    int64
	NeededTenths int64
	Below        int64 // rated a statement below where it needs to be
	Reached      int64 // at or above target in every statement, not over-confident
	Over         int64 // rated higher than the knowledge checks bear out
	Under        int64
	// Learned counts those below (see Below) who have completed learning
	// for such a statement since they submitted.
	Learned      int64
	Paired       int64
	ChangeTenths int64
	Improved     int64
}

// Add adds another tally's counts to t's.
func (t *Tally) Add(o Tally) {
	t.People += o.People
	t.NowTenths += o.NowTenths
	t.NeededTenths += o.NeededTenths
	t.Below += o.Below
	t.Reached += o.Reached
	t.Over += o.Over
	t.Under += o.Under
	t.Learned += o.Learned
	t.Paired += o.Paired
	t.ChangeTenths += o.ChangeTenths
	t.Improved += o.Improved
}

// DomainFigures are a row's figures in one domain.
type DomainFigures struct {
	Code    string
	People  int64
	Now     float64 // mean, one decimal place
	Needed  float64
	Gap     float64
	Below   int64
	Reached int64
	Over    int64
	Under   int64
	Bands   []int64 // people in each band, in the framework's order
	// NeededBands counts people by the band their role needs, in the
	// same order.
	NeededBands []int64
	Learned     int64 // of those below, completed learning for it since
	// Change from the cycle before, over the people who took part in both.
	Paired   int64
	Change   float64
	Improved int64
}

// LearnedShown reports whether the share of those below target who have
// since done learning for it may be shown: a figure about the people
// below, it needs at least k of them, as any other figure does.
func (d DomainFigures) LearnedShown(k int) bool { return d.Below >= int64(k) }

// Row is one row of a table: a group of staff and its figures. A hidden
// part has no figures.
type Row struct {
	Key     string // the breakdown's value; pages turn it into a name
	People  int64  // took part in the cycle
	Hidden  bool   // scores hidden
	Domains []DomainFigures
	// Change from the cycle before, for the same people.
	Paired       int64
	ChangeHidden bool
	// Participation: staff now, and of them how many started and
	// submitted in the cycle.
	Eligible, Started, Completed int64
	ParticipationHidden          bool
}

// Table is a breakdown of an organisation's staff.
type Table struct {
	Breakdown Breakdown
	Rows      []Row
}

// Report is what an organisation's pages show for one cycle.
type Report struct {
	K      int
	Cycle  Cycle
	Cycles []Cycle // every cycle with anything counted, latest first
	Whole  Row
	Tables []Table
}

// Layout is an organisation's suppression worked out once from its
// summaries; it changes only when they do.
type Layout struct {
	Tallies []Tally
	Hidden  Hidden
	Cycles  []Cycle
	// Decision is what the hiding was worked out from, to be used again.
	Decision *Decision
}

// Decision is which cells an organisation hides. It depends only on
// where people sat in each year (the entries) and on k, not on their
// scores or learning, so it holds until those change.
type Decision struct {
	key    [sha256.Size]byte
	Hidden Hidden
	Cycles []Cycle
}

// Lay works out which score and change cells to hide.
func Lay(tallies []Tally, entries []Entries, k int) *Layout {
	return LayAgain(tallies, entries, k)
}

// LayAgain is Lay, taking the hiding from an earlier decision when the
// entries and k are the same, as they are when only scores or learning
// have changed: then nothing need be worked out again. Any of the earlier
// decisions may be nil.
func LayAgain(tallies []Tally, entries []Entries, k int, earlier ...*Decision) *Layout {
	e := slices.Clone(entries)
	sortEntries(e)
	key := decisionKey(e, k)
	for _, d := range earlier {
		if d != nil && d.key == key {
			return &Layout{Tallies: tallies, Hidden: d.Hidden, Cycles: d.Cycles, Decision: d}
		}
	}
	p, keys := ScoreTables(e)
	d := &Decision{key: key, Hidden: Decide(p, keys, k)}
	for _, en := range e {
		if !slices.Contains(d.Cycles, en.Cycle) {
			d.Cycles = append(d.Cycles, en.Cycle)
		}
	}
	slices.Sort(d.Cycles)
	slices.Reverse(d.Cycles)
	return &Layout{Tallies: tallies, Hidden: d.Hidden, Cycles: d.Cycles, Decision: d}
}

// decisionKey is a digest of sorted entries and k.
func decisionKey(sorted []Entries, k int) [sha256.Size]byte {
	h := sha256.New()
	var buf []byte
	num := func(n int64) { buf = binary.AppendVarint(buf, n) }
	str := func(s string) { num(int64(len(s))); buf = append(buf, s...) }
	group := func(g Group) { num(g.Department); num(g.Site); str(g.StaffGroup); str(g.PayBand) }
	flag := func(b bool) {
		if b {
			num(1)
		} else {
			num(0)
		}
	}
	num(int64(k))
	for _, e := range sorted {
		num(int64(e.Cycle))
		group(e.Group)
		flag(e.Prev)
		flag(e.HasNext)
		group(e.Next)
		str(e.Track)
		num(int64(e.People))
		h.Write(buf)
		buf = buf[:0]
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// Build puts together the report of one cycle from a layout and the
// organisation's staff now. domains and bands give the framework's order.
func Build(l *Layout, staff []Staff, cycle Cycle, k int, domains, bands []string) *Report {
	st := slices.Clone(staff)
	slices.SortFunc(st, func(a, b Staff) int { return compareGroup(a.Group, b.Group) })
	pp, pkeys := StaffTables(st)
	phidden := Decide(pp, pkeys, k)

	r := &Report{K: k, Cycle: cycle, Cycles: l.Cycles}
	for _, b := range append([]Breakdown{Whole}, Breakdowns...) {
		rows := map[string]*Row{}
		get := func(key string) *Row {
			row := rows[key]
			if row == nil {
				row = newRow(key, domains, bands)
				rows[key] = row
			}
			return row
		}
		for _, t := range l.Tallies {
			if t.Cycle == cycle {
				get(b.Value(t.Group)).add(t, domains, bands, true)
			}
		}
		for _, s := range st {
			if !b.Participation() {
				break
			}
			row := get(b.Value(s.Group))
			row.Eligible += int64(s.People)
			row.Started += s.Started
			row.Completed += s.Completed
		}
		var table Table
		table.Breakdown = b
		for _, row := range rows {
			finish(row)
			row.Hidden = l.Hidden[CellKey{Measure: Scores, Cycle: cycle, Breakdown: b, Row: row.Key}] || row.People == 0
			row.ChangeHidden = row.Hidden || l.Hidden[CellKey{Measure: Change, Cycle: cycle, Breakdown: b, Row: row.Key}] || row.Paired == 0
			row.ParticipationHidden = !b.Participation() || phidden[CellKey{Breakdown: b, Row: row.Key}] || row.Eligible == 0
			if row.Hidden {
				row.People, row.Domains = 0, nil
			}
			if row.ChangeHidden {
				row.Paired = 0
				for i := range row.Domains {
					row.Domains[i].Paired, row.Domains[i].Change, row.Domains[i].Improved = 0, 0, 0
				}
			}
			if row.ParticipationHidden {
				row.Eligible, row.Started, row.Completed = 0, 0, 0
			}
			table.Rows = append(table.Rows, *row)
		}
		slices.SortFunc(table.Rows, func(a, b Row) int { return strings.Compare(a.Key, b.Key) })
		if b == Whole {
			if len(table.Rows) > 0 {
				r.Whole = table.Rows[0]
			} else {
				r.Whole = Row{Hidden: true, ChangeHidden: true, ParticipationHidden: true}
			}
			continue
		}
		r.Tables = append(r.Tables, table)
	}
	return r
}

// ScoreRow is one row of a cycle's scores, as Build makes it but without
// participation: the whole organisation (Whole and key "") or one group
// of a breakdown. It is hidden as the layout hides it.
func (l *Layout) ScoreRow(cycle Cycle, b Breakdown, key string, domains, bands []string) Row {
	row := newRow(key, domains, bands)
	for _, t := range l.Tallies {
		if t.Cycle == cycle && b.Value(t.Group) == key {
			row.add(t, domains, bands, true)
		}
	}
	finish(row)
	row.Hidden = l.Hidden[CellKey{Measure: Scores, Cycle: cycle, Breakdown: b, Row: key}] || row.People == 0
	row.ChangeHidden = row.Hidden || l.Hidden[CellKey{Measure: Change, Cycle: cycle, Breakdown: b, Row: key}] || row.Paired == 0
	row.ParticipationHidden = true
	if row.Hidden {
		row.People, row.Domains = 0, nil
	}
	if row.ChangeHidden {
		row.Paired = 0
		for i := range row.Domains {
			row.Domains[i].Paired, row.Domains[i].Change, row.Domains[i].Improved = 0, 0, 0
		}
	}
	return *row
}

// add counts a tally into the row's figures; withChange says whether its
// change figures count too.
func (row *Row) add(t Tally, domains, bands []string, withChange bool) {
	i := slices.Index(domains, t.Domain)
	if i < 0 {
		return
	}
	d := &row.Domains[i]
	d.People += t.People
	if j := slices.Index(bands, t.Band); j >= 0 {
		d.Bands[j] += t.People
	}
	if j := slices.Index(bands, t.NeededBand); j >= 0 {
		d.NeededBands[j] += t.People
	}
	d.Learned += t.Learned
	d.Now += float64(t.NowTenths)
	d.Needed += float64(t.NeededTenths)
	d.Below += t.Below
	d.Reached += t.Reached
	d.Over += t.Over
	d.Under += t.Under
	if withChange {
		d.Paired += t.Paired
		d.Change += float64(t.ChangeTenths)
		d.Improved += t.Improved
	}
}

// newRow makes an empty row with room for every domain and band.
func newRow(key string, domains, bands []string) *Row {
	row := &Row{Key: key}
	for _, d := range domains {
		row.Domains = append(row.Domains, DomainFigures{Code: d, Bands: make([]int64, len(bands)), NeededBands: make([]int64, len(bands))})
	}
	return row
}

// Shown says whether an organisation's own figures of a year are shown.
type Shown struct {
	Cycle  Cycle
	Scores bool
	Change bool
}

// Shown lists, for each year, whether the organisation's whole figures
// are shown.
func (l *Layout) Shown() []Shown {
	var out []Shown
	for _, c := range l.Cycles {
		out = append(out, Shown{Cycle: c,
			Scores: !l.Hidden[CellKey{Measure: Scores, Cycle: c, Breakdown: Whole}],
			Change: !l.Hidden[CellKey{Measure: Change, Cycle: c, Breakdown: Whole}]})
	}
	return out
}

// finish turns a row's sums into means, in points to one decimal place.
func finish(row *Row) {
	for i := range row.Domains {
		d := &row.Domains[i]
		people := d.People
		row.People = max(row.People, people)
		if people > 0 {
			d.Gap = round1((d.Needed - d.Now) / 10 / float64(people))
			d.Now = round1(d.Now / 10 / float64(people))
			d.Needed = round1(d.Needed / 10 / float64(people))
		}
		if d.Paired > 0 {
			d.Change = round1(d.Change / 10 / float64(d.Paired))
		}
		row.Paired = max(row.Paired, d.Paired)
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
