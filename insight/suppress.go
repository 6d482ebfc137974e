// Package insight turns counts about groups of staff into tables that are
// safe to publish. Every published figure is a sum over people; no figure
// about fewer than k people may be read from the tables, alone or by
// adding and subtracting them (differencing). The rule is pure: the same
// counts always give the same tables and the same hidden cells, so two
// instances of the service never publish two different patterns that
// could be played off against each other.
package insight

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Limits on k, the fewest people a published figure may be about. Below 3
// a figure about two people tells each of them the other's answers; above
// 10 the search for figures that differencing would reveal grows too
// large to run on every change.
const (
	MinK     = 3
	DefaultK = 5
	MaxK     = 10
)

// CheckK says what is wrong with k as a deployment setting, or "" when it
// may be used.
func CheckK(k int) string {
	if k < MinK || k > MaxK {
		return fmt.Sprintf("The smallest group shown must be between %d and %d people, not %d", MinK, MaxK, k)
	}
	return ""
}

// Term is one part of a cell's sum: a microcell (the finest group the
// tables are built from) and how it counts, usually +1. Figures of change
// between two cycles count the later cycle's entries +1 and the earlier
// cycle's -1.
type Term struct {
	Micro int
	Coef  int
}

// Cell is one figure of a table, the sum of its terms. People is how many
// people the figure is about, which decides primary suppression.
type Cell struct {
	Terms  []Term
	People int
	// Table groups the cells that split one population into rows, and
	// Total is the index of the cell that counts that whole population,
	// or -1 when the cell is itself a total.
	Table int
	Total int
}

// Whole reports whether the cell is a total.
func (c Cell) Whole() bool { return c.Total < 0 }

// Problem is every table published about one population: the size of
// each microcell (in entries, one per person and cycle) and the cells of
// every table, in one list, as the attacker sees them.
type Problem struct {
	Micro []int
	Cells []Cell
	// Track, when set, numbers the people each microcell is about: the
	// microcells of one track are the same people (each person's entries
	// in every cycle, where their whole history is the same), and
	// microcells of different tracks are different people. Without it,
	// every microcell is people of its own. Class gives each microcell's
	// cycle, so that a person's entries in consecutive cycles can be
	// told apart from the change between them.
	Track []int
	Class []int
}

// track returns the track of microcell m.
func (p *Problem) track(m int) int {
	if p.Track == nil {
		return m
	}
	return p.Track[m]
}

// changes writes the problem again over other unknowns: for each run of
// consecutive cycles of a track, its entry in the first cycle and, for
// each later cycle, the change from the cycle before. An entry is then
// its run's first entry plus the changes up to it. The cells are the
// same; sums that are spread over many entries in one writing can be
// few unknowns in the other, so the search for revealed sums runs in
// both. It returns false when no track has two consecutive cycles.
func (p *Problem) changes() (Problem, bool) {
	if p.Track == nil || p.Class == nil {
		return Problem{}, false
	}
	byTrack := map[int][]int{}
	var tracks []int
	for m := range p.Micro {
		t := p.Track[m]
		if _, ok := byTrack[t]; !ok {
			tracks = append(tracks, t)
		}
		byTrack[t] = append(byTrack[t], m)
	}
	var q Problem
	as := make([][]int, len(p.Micro)) // the unknowns each entry is the sum of
	linked := false
	for _, t := range tracks {
		ms := byTrack[t]
		slices.SortFunc(ms, func(a, b int) int { return p.Class[a] - p.Class[b] })
		var run []int
		for i, m := range ms {
			if i > 0 && p.Class[m] == p.Class[ms[i-1]]+1 {
				linked = true
			} else {
				run = run[:0]
			}
			run = append(run, len(q.Micro))
			q.Micro = append(q.Micro, p.Micro[m])
			q.Track = append(q.Track, t)
			q.Class = append(q.Class, p.Class[m])
			as[m] = slices.Clone(run)
		}
	}
	if !linked {
		return Problem{}, false
	}
	for _, c := range p.Cells {
		nc := c
		nc.Terms = nil
		for _, term := range c.Terms {
			for _, u := range as[term.Micro] {
				nc.Terms = append(nc.Terms, Term{Micro: u, Coef: term.Coef})
			}
		}
		q.Cells = append(q.Cells, nc)
	}
	return q, true
}

// Suppress decides which cells to hide. Primary suppression hides every
// cell about 1 to k-1 people. Complementary suppression then hides more
// cells, smallest first, until the search (see disclosed and searchSets
// for how far it goes) finds no sum over entries of fewer than k people,
// nor any difference between such sums (one person's entry less
// another's, or a year's less the year before), that can be worked out
// from the cells shown by adding and subtracting them.
func Suppress(p Problem, k int) []bool {
	hidden := make([]bool, len(p.Cells))
	for i, c := range p.Cells {
		hidden[i] = c.People > 0 && c.People < k
	}
	writings := []Problem{p}
	if q, ok := p.changes(); ok {
		writings = append(writings, q)
	}
	byMicro := make([][][]Term, len(writings)) // the cells counting each microcell
	for w, q := range writings {
		byMicro[w] = make([][]Term, len(q.Micro))
		for ci, c := range q.Cells {
			for _, t := range c.Terms {
				if t.Coef != 0 && q.Micro[t.Micro] > 0 {
					byMicro[w][t.Micro] = append(byMicro[w][t.Micro], Term{Micro: ci, Coef: t.Coef})
				}
			}
		}
	}
	for {
		clean := true
		for w, q := range writings {
			for complementRows(p, hidden, k) {
			}
			sp := newSpace(q, byMicro[w], hidden)
			found := sp.disclosed(k)
			if len(found) == 0 {
				continue
			}
			clean = false
			// Hiding only ever takes sums out of reach, so every set
			// still revealed after some fixes was found by this search:
			// each is checked again against the cells then shown, and
			// fixed if it is still revealed.
			for _, u := range found {
				if !sp.reveals(u) {
					continue
				}
				hidden[sp.cheapestFix(q, sp.atomsOf(u))] = true
				for complementRows(p, hidden, k) {
				}
				sp = newSpace(q, byMicro[w], hidden)
			}
		}
		if clean {
			return hidden
		}
	}
}

// complementRows applies the rule that catches most differencing: in a
// table whose total is shown, the hidden rows together must be about no
// one or about at least k people, or the total less the shown rows gives
// them away. Where they are not, it hides the smallest shown row. It
// reports whether it hid anything.
func complementRows(p Problem, hidden []bool, k int) bool {
	type table struct{ whole, hiddenPeople, smallest int }
	tables := map[int]*table{}
	var ids []int
	for i, c := range p.Cells {
		if c.Whole() {
			continue
		}
		t := tables[c.Table]
		if t == nil {
			t = &table{whole: c.Total, smallest: -1}
			tables[c.Table] = t
			ids = append(ids, c.Table)
		}
		switch {
		case hidden[i]:
			t.hiddenPeople += c.People
		case c.People > 0 && (t.smallest < 0 || c.People < p.Cells[t.smallest].People):
			t.smallest = i
		}
	}
	changed := false
	for _, id := range ids {
		t := tables[id]
		if hidden[t.whole] || t.hiddenPeople == 0 || t.hiddenPeople >= k {
			continue
		}
		if t.smallest < 0 {
			hidden[t.whole] = true
		} else {
			hidden[t.smallest] = true
		}
		changed = true
	}
	return changed
}

// The arithmetic below is modulo the Mersenne prime 2^61 - 1, large
// enough that a chance match is never seen in practice, and quick to
// reduce by.
const prime = 1<<61 - 1

func reduce(x uint64) uint64 {
	x = (x & prime) + (x >> 61)
	if x >= prime {
		x -= prime
	}
	return x
}

func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a*b = hi*2^64 + lo, and 2^64 = 8 * 2^61 = 8 (mod prime). With a
	// and b below prime, hi is below 2^58.
	return reduce(hi<<3 + reduce(lo))
}

func addmod(a, b uint64) uint64 { return reduce(a + b) }

func submod(a, b uint64) uint64 { return reduce(a + prime - b) }

func negmod(a uint64) uint64 { return reduce(prime - a) }

func powmod(a, e uint64) uint64 {
	r := uint64(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulmod(r, a)
		}
		a = mulmod(a, a)
	}
	return r
}

func inv(a uint64) uint64 { return powmod(a, prime-2) }

func fromInt(c int) uint64 {
	if c < 0 {
		return negmod(uint64(-c))
	}
	return reduce(uint64(c))
}

// atom is a set of microcells of one class that every shown cell counts
// alike, so that no combination of shown cells can tell its microcells
// apart.
type atom struct {
	micro  []int
	people int
	tracks []int32  // the tracks of its microcells, when it is small,
	sizes  []int    // and the people of each
	rows   []int    // the shown cells that count it, as row numbers
	coefs  []uint64 // and how, mod prime
}

// space is the shown cells as a matrix A, rows (cells) by atoms, with
// what the search and the repairs need of it: G = A A^T, a maximal set of
// independent rows and the inverse of G on them.
type space struct {
	atoms  []atom
	cells  []int // the cell of each row
	g      [][]uint64
	basis  []int      // independent rows
	inB    []int      // position of each row in basis, or -1
	ginv   [][]uint64 // inverse of G on the basis rows
	seed   uint64
	micros int
	atomOf map[int]int // microcell to atom, built when first needed
}

func newSpace(p Problem, byMicro [][]Term, hidden []bool) *space {
	sp := &space{micros: len(p.Micro)}
	row := make([]int, len(p.Cells))
	for ci := range p.Cells {
		row[ci] = -1
		if !hidden[ci] {
			row[ci] = len(sp.cells)
			sp.cells = append(sp.cells, ci)
		}
	}
	byColumn := map[string]int{}
	var key []byte
	for m, terms := range byMicro {
		if p.Micro[m] == 0 {
			continue
		}
		var rows []int
		var coefs []uint64
		key = key[:0]
		for _, t := range terms {
			r := row[t.Micro]
			if r < 0 {
				continue
			}
			// Terms of one cell on one microcell are added up.
			if n := len(rows); n > 0 && rows[n-1] == r {
				coefs[n-1] = addmod(coefs[n-1], fromInt(t.Coef))
				continue
			}
			rows = append(rows, r)
			coefs = append(coefs, fromInt(t.Coef))
		}
		// Terms that cancel leave the microcell out of that cell.
		kept := 0
		for i := range rows {
			if coefs[i] != 0 {
				rows[kept], coefs[kept] = rows[i], coefs[i]
				kept++
			}
		}
		rows, coefs = rows[:kept], coefs[:kept]
		for i, r := range rows {
			key = fmt.Appendf(key, "%d:%d,", r, coefs[i])
		}
		i, ok := byColumn[string(key)]
		if !ok {
			i = len(sp.atoms)
			byColumn[string(key)] = i
			sp.atoms = append(sp.atoms, atom{rows: rows, coefs: coefs})
		}
		sp.atoms[i].micro = append(sp.atoms[i].micro, m)
	}
	// An atom's people are those of its tracks, each counted once.
	for i := range sp.atoms {
		a := &sp.atoms[i]
		seen := map[int]bool{}
		for _, m := range a.micro {
			if t := p.track(m); !seen[t] {
				seen[t] = true
				a.people += p.Micro[m]
			}
		}
		if a.people < MaxK {
			for _, m := range a.micro {
				if t := int32(p.track(m)); !slices.Contains(a.tracks, t) {
					a.tracks = append(a.tracks, t)
					a.sizes = append(a.sizes, p.Micro[m])
				}
			}
		}
	}
	n := len(sp.cells)
	sp.g = make([][]uint64, n)
	for i := range sp.g {
		sp.g[i] = make([]uint64, n)
	}
	for _, a := range sp.atoms {
		for x, i := range a.rows {
			for y, j := range a.rows {
				sp.g[i][j] = addmod(sp.g[i][j], mulmod(a.coefs[x], a.coefs[y]))
			}
		}
	}
	sp.factor()
	sp.seed = uint64(len(p.Micro))*0x9e3779b97f4a7c15 + uint64(len(sp.cells))
	return sp
}

// factor finds independent rows by eliminating on G, whose rows are
// independent exactly where A's are, and inverts G on them.
func (sp *space) factor() {
	n := len(sp.g)
	work := make([][]uint64, n)
	for i := range work {
		work[i] = slices.Clone(sp.g[i])
	}
	sp.inB = make([]int, n)
	for i := range sp.inB {
		sp.inB[i] = -1
	}
	// Row-reduce, one row at a time, against the rows kept so far.
	type kept struct {
		row   []uint64
		pivot int
	}
	var ks []kept
	for i := range n {
		r := work[i]
		for _, k := range ks {
			if f := r[k.pivot]; f != 0 {
				for c := k.pivot; c < n; c++ {
					if k.row[c] != 0 {
						r[c] = submod(r[c], mulmod(f, k.row[c]))
					}
				}
			}
		}
		pivot := slices.IndexFunc(r, func(x uint64) bool { return x != 0 })
		if pivot < 0 {
			continue
		}
		scale := inv(r[pivot])
		for c := pivot; c < n; c++ {
			r[c] = mulmod(r[c], scale)
		}
		ks = append(ks, kept{r, pivot})
		sp.inB[i] = len(sp.basis)
		sp.basis = append(sp.basis, i)
	}
	// Invert G on the basis rows by Gauss-Jordan.
	b := len(sp.basis)
	m := make([][]uint64, b)
	for x, i := range sp.basis {
		m[x] = make([]uint64, 2*b)
		for y, j := range sp.basis {
			m[x][y] = sp.g[i][j]
		}
		m[x][b+x] = 1
	}
	for col := range b {
		piv := col
		for piv < b && m[piv][col] == 0 {
			piv++
		}
		if piv == b {
			// Only a prime dividing a determinant can bring this about.
			panic("insight: singular system")
		}
		m[col], m[piv] = m[piv], m[col]
		scale := inv(m[col][col])
		for c := range m[col] {
			m[col][c] = mulmod(m[col][c], scale)
		}
		for r := range b {
			if r == col || m[r][col] == 0 {
				continue
			}
			f := m[r][col]
			for c := col; c < 2*b; c++ {
				if m[col][c] != 0 {
					m[r][c] = submod(m[r][c], mulmod(f, m[col][c]))
				}
			}
		}
	}
	sp.ginv = make([][]uint64, b)
	for x := range m {
		sp.ginv[x] = m[x][b:]
	}
}

// solve returns z with G_BB z = v, for v over the basis rows.
func (sp *space) solve(v []uint64) []uint64 {
	z := make([]uint64, len(v))
	for x, row := range sp.ginv {
		var s uint64
		for y, g := range row {
			if g != 0 && v[y] != 0 {
				s = addmod(s, mulmod(g, v[y]))
			}
		}
		z[x] = s
	}
	return z
}

// kernelVector returns a random h over the atoms with A h = 0: a random r
// less its part in the row space, r - A_B^T G_BB^-1 A_B r.
func (sp *space) kernelVector(rng *rand.Rand) []uint64 {
	r := make([]uint64, len(sp.atoms))
	for i := range r {
		r[i] = rng.Uint64N(prime)
	}
	ar := make([]uint64, len(sp.basis))
	for a, at := range sp.atoms {
		for x, row := range at.rows {
			if b := sp.inB[row]; b >= 0 {
				ar[b] = addmod(ar[b], mulmod(at.coefs[x], r[a]))
			}
		}
	}
	z := sp.solve(ar)
	h := r
	for a, at := range sp.atoms {
		for x, row := range at.rows {
			if b := sp.inB[row]; b >= 0 && z[b] != 0 {
				h[a] = submod(h[a], mulmod(at.coefs[x], z[b]))
			}
		}
	}
	return h
}

// disclosed returns sets of microcells, each about fewer than k people,
// whose sum, or a difference of two parts of which, the shown cells
// reveal, each microcell with the sign it takes (+1 or -1).
//
// A signed sum over a set U is revealed exactly when its vector lies in
// the row space of A, that is when it is orthogonal to every vector of
// A's kernel. Two kernel vectors drawn at random (from a seed fixed by
// the problem, so that the answer is the same every time) give each atom
// two numbers; U is revealed when both signed sums are zero over U.
//
// Every set of one or two atoms is tried. Sets of up to k-1 atoms are
// searched by meeting in the middle, over all the small atoms when there
// are at most maxPool of them, and otherwise, to bound the work, over the
// maxPool smallest atoms of each shown cell in turn.
func (sp *space) disclosed(k int) [][]Term {
	h1, h2 := sp.kernelPair(k)
	var small []int // atoms of fewer than k people
	for i, a := range sp.atoms {
		if a.people < k {
			small = append(small, i)
		}
	}
	var found [][]Term
	keep := func(sets [][]Term) {
		for _, u := range sets {
			found = append(found, sp.micro(u))
		}
	}
	var sc scratch
	if !(k/2 == 2 && len(small) <= maxLinked) {
		// Otherwise the search of larger sets below finds these too.
		keep(searchSets(&sc, small, sp.atoms, h1, h2, k, 1, true))
	}
	if k/2 > 1 && len(small) <= maxPool {
		keep(searchSets(&sc, small, sp.atoms, h1, h2, k, k/2, k/2 == 2 && len(small) <= maxLinked))
	} else if k/2 > 1 {
		pools := make([][]int, len(sp.cells))
		for _, a := range small {
			for _, r := range sp.atoms[a].rows {
				pools[r] = append(pools[r], a)
			}
		}
		for _, pool := range pools {
			if len(pool) > maxPool {
				// The fewest entries first: sets of single people are
				// what the search is for.
				slices.SortStableFunc(pool, func(a, b int) int { return sp.atoms[a].people - sp.atoms[b].people })
				pool = pool[:maxPool]
			}
			keep(searchSets(&sc, pool, sp.atoms, h1, h2, k, k/2, k/2 == 2 && len(pool) <= maxLinked))
		}
	}
	return found
}

// kernelPair draws two kernel vectors from a seed fixed by the problem,
// so that the outcome is the same every time.
func (sp *space) kernelPair(k int) (h1, h2 []uint64) {
	rng := rand.New(rand.NewPCG(sp.seed, uint64(k)))
	return sp.kernelVector(rng), sp.kernelVector(rng)
}

// atomsOf returns the atoms, with their signs, that a signed set of
// microcells is made of, or nil when it splits an atom or gives an
// atom's microcells different signs (and so is not revealed).
func (sp *space) atomsOf(micro []Term) []Term {
	if sp.atomOf == nil {
		sp.atomOf = map[int]int{}
		for i, a := range sp.atoms {
			for _, m := range a.micro {
				sp.atomOf[m] = i
			}
		}
	}
	count := map[int]int{}
	sign := map[int]int{}
	for _, t := range micro {
		a, ok := sp.atomOf[t.Micro]
		if !ok {
			return nil
		}
		if s, seen := sign[a]; seen && s != t.Coef {
			return nil
		}
		sign[a] = t.Coef
		count[a]++
	}
	var out []Term
	for a, n := range count {
		if n != len(sp.atoms[a].micro) {
			return nil
		}
		out = append(out, Term{Micro: a, Coef: sign[a]})
	}
	slices.SortFunc(out, func(x, y Term) int { return x.Micro - y.Micro })
	return out
}

// reveals reports whether the shown cells give away the signed sum over
// a set of microcells.
func (sp *space) reveals(micro []Term) bool {
	u := sp.atomsOf(micro)
	if u == nil {
		return false
	}
	h1, h2 := sp.kernelPair(MaxK + 1)
	var s1, s2 uint64
	for _, t := range u {
		s1, s2 = addmod(s1, signed(h1[t.Micro], t.Coef)), addmod(s2, signed(h2[t.Micro], t.Coef))
	}
	return s1 == 0 && s2 == 0
}

// signed returns x, or -x when the sign is negative.
func signed(x uint64, sign int) uint64 {
	if sign < 0 {
		return negmod(x)
	}
	return x
}

// maxPool bounds the atoms one meeting-in-the-middle search takes: the
// halves it stores grow with the square of their number.
const maxPool = 600

type sumKey struct{ a, b uint64 }

// maxHalf is the most atoms a half may hold: k/2 groups, at most five,
// each of one atom or of two that share people (the same people in two
// years), and no more than eight in all.
const maxHalf = 8

// maxHalves bounds the halves one search keeps, and so its memory (about
// 120 MB): with k of 8 or more over many small groups there would be
// far more, and the search then looks at the first of them only.
const maxHalves = 1 << 21

// maxLinked is the most atoms for which the search also tries groups of
// two atoms that share people, with halves of at most two groups: there
// are many more such sets.
const maxLinked = 200

// half is one half of a candidate set as kept for matching: its atoms,
// which of them are taken away rather than added (a bit each), how many
// people it is about, and its signed sums.
type half struct {
	atoms  [maxHalf]int32
	neg    uint8
	n      int8
	people int16
	s      sumKey
}

func (h *half) has(a int32) bool {
	return slices.Contains(h.atoms[:h.n], a)
}

// building is a half while the search grows it: also the tracks it
// covers, the people of each and the group each is in. Its groups are
// its atoms, joined where two share people.
type building struct {
	half
	tracks [MaxK - 1]int32
	sizes  [MaxK - 1]int8
	part   [MaxK - 1]int8
	count  [maxHalf]int8 // atoms in each group, by its number
	nt     int8
	groups int8
}

// with adds atom a, and reports false when the half would then be about
// k or more people, or hold more than size groups or maxHalf atoms, and
// whether a joined a group rather than starting one. When linked, an
// atom that shares people with a group of one atom joins it; otherwise
// each atom is a group of its own.
func (h *building) with(a *atom, index int32, k, size int, linked bool) (ok, joined bool) {
	if int(h.n) == maxHalf {
		return false, false
	}
	part := int8(h.n) // a fresh number, unused so far
	if linked {
		for _, t := range a.tracks {
			i := slices.Index(h.tracks[:h.nt], t)
			switch {
			case i < 0 || (joined && h.part[i] == part):
			case joined || h.count[h.part[i]] > 1:
				return false, false // it would join two groups, or make one of three
			default:
				part, joined = h.part[i], true
			}
		}
	}
	if joined {
		h.count[part]++
	} else {
		h.groups++
		h.count[part] = 1
		if int(h.groups) > size {
			return false, false
		}
	}
	for i, t := range a.tracks {
		if slices.Contains(h.tracks[:h.nt], t) {
			continue
		}
		size := a.sizes[i]
		if int(h.people)+size >= k {
			return false, false
		}
		h.tracks[h.nt], h.sizes[h.nt], h.part[h.nt] = t, int8(size), part
		h.nt++
		h.people += int16(size)
	}
	h.atoms[h.n] = index
	h.n++
	return true, joined
}

// peopleOf is how many people two halves are about together.
func peopleOf(all []atom, l, r *half) int {
	var seen [2 * maxHalf * (MaxK - 1)]int32
	n, people := 0, 0
	for _, h := range [2]*half{l, r} {
		for _, a := range h.atoms[:h.n] {
			at := &all[a]
			for i, t := range at.tracks {
				if !slices.Contains(seen[:n], t) && n < len(seen) {
					seen[n] = t
					n++
					people += at.sizes[i]
				}
			}
		}
	}
	return people
}

// scratch is memory one search leaves for the next, so that the many
// searches of one run do not each clear megabytes afresh.
type scratch struct {
	halves []half
	next   []int32
	table  sumTable
}

// sumTable finds the first half with a given pair of sums. It is an open
// table addressed by the first sum, which is spread evenly already, and
// is many times quicker here than a map: most lookups are for sums no
// half has.
type sumTable struct {
	keys  []sumKey
	heads []int32 // 1 + the first half with the key, 0 for an empty slot
	mask  uint64
}

func (t *sumTable) reset(n int) {
	size := 1
	for size < 2*n {
		size <<= 1
	}
	if cap(t.heads) < size {
		t.keys = make([]sumKey, size)
		t.heads = make([]int32, size)
	} else {
		t.keys = t.keys[:size]
		t.heads = t.heads[:size]
		clear(t.heads)
	}
	t.mask = uint64(size - 1)
}

// put makes i the first half with key k, returning the one that was.
func (t *sumTable) put(k sumKey, i int32) int32 {
	for pos := k.a & t.mask; ; pos = (pos + 1) & t.mask {
		switch {
		case t.heads[pos] == 0:
			t.keys[pos], t.heads[pos] = k, i+1
			return -1
		case t.keys[pos] == k:
			was := t.heads[pos] - 1
			t.heads[pos] = i + 1
			return was
		}
	}
}

// first returns the first half with key k, or -1.
func (t *sumTable) first(k sumKey) int32 {
	for pos := k.a & t.mask; ; pos = (pos + 1) & t.mask {
		switch {
		case t.heads[pos] == 0:
			return -1
		case t.keys[pos] == k:
			return t.heads[pos] - 1
		}
	}
}

// searchSets looks among the atoms for signed sets about fewer than k
// people whose two kernel sums are zero, built of two halves of at most
// size groups each, and returns them (up to maxFound), each atom with its
// sign. A set and its negation tell the same, so a half's first atom is
// always added; the second half is tried both added and taken away. In
// halves of up to two groups, the second group may be taken away too;
// in larger ones the groups are all added, so a set is found when it is
// a sum of up to size groups less another such sum. Within a group of
// two atoms of the same people (when linked), the second may be taken
// away, as a year's less the year before.
func searchSets(sc *scratch, atoms []int, all []atom, h1, h2 []uint64, k, size int, linked bool) [][]Term {
	n := len(atoms)
	estimate := n
	if size > 1 {
		estimate += n * (n - 1)
	}
	halves := sc.halves[:0]
	if cap(halves) < min(estimate, 1<<21) {
		halves = make([]half, 0, min(estimate, 1<<21))
	}
	defer func() { sc.halves = halves[:0] }()
	// The atoms of each track, by their place in the list.
	ofTrack := map[int32][]int{}
	if linked {
		for j, a := range atoms {
			for _, t := range all[a].tracks {
				ofTrack[t] = append(ofTrack[t], j)
			}
		}
	}
	var walk func(from int, cur building)
	walk = func(from int, cur building) {
		if len(halves) >= maxHalves {
			return // enough for one search; see maxHalves
		}
		if cur.n > 0 {
			halves = append(halves, cur.half)
		}
		try := func(j int) {
			a := atoms[j]
			next := cur
			ok, joined := next.with(&all[a], int32(a), k, size, linked)
			if !ok {
				return
			}
			next.s = sumKey{addmod(cur.s.a, h1[a]), addmod(cur.s.b, h2[a])}
			walk(j+1, next)
			// Halves of up to two groups also take their second away;
			// with more, there would be too many.
			if joined || cur.n > 0 && size <= 2 {
				next.neg |= 1 << cur.n
				next.s = sumKey{submod(cur.s.a, h1[a]), submod(cur.s.b, h2[a])}
				walk(j+1, next)
			}
		}
		if int(cur.groups) < size {
			for j := from; j < len(atoms); j++ {
				try(j)
			}
			return
		}
		if !linked {
			return
		}
		// With its groups all taken, only atoms of the same people may
		// join the half.
		var more []int
		for _, t := range cur.tracks[:cur.nt] {
			for _, j := range ofTrack[t] {
				if j >= from && !slices.Contains(more, j) {
					more = append(more, j)
				}
			}
		}
		slices.Sort(more)
		for _, j := range more {
			try(j)
		}
	}
	walk(0, building{})
	// Chain the halves by their sums: the table gives the first with a
	// key, next[i] the one after half i.
	sc.table.reset(len(halves))
	next := sc.next[:0]
	if cap(next) < len(halves) {
		next = make([]int32, len(halves))
	}
	next = next[:len(halves)]
	sc.next = next
	for i := len(halves) - 1; i >= 0; i-- {
		next[i] = sc.table.put(halves[i].s, int32(i))
	}
	found := func(l *half, r *half, sign int) []Term {
		var u []Term
		for i, a := range l.atoms[:l.n] {
			u = append(u, Term{Micro: int(a), Coef: bitSign(l.neg, i)})
		}
		if r != nil {
			for i, a := range r.atoms[:r.n] {
				u = append(u, Term{Micro: int(a), Coef: sign * bitSign(r.neg, i)})
			}
		}
		return u
	}
	var out [][]Term
	for i := sc.table.first(sumKey{}); i >= 0 && len(out) < maxFound; i = next[i] {
		out = append(out, found(&halves[i], nil, 1))
	}
	for li := range halves {
		l := &halves[li]
		// The second half added (its sums cancel l's) or taken away (its
		// sums equal l's).
		for _, sign := range [2]int{1, -1} {
			key := l.s
			if sign > 0 {
				key = sumKey{negmod(l.s.a), negmod(l.s.b)}
			}
			for ri := sc.table.first(key); ri >= 0 && len(out) < maxFound; ri = next[ri] {
				r := &halves[ri]
				if int(ri) <= li || int(l.people)+int(r.people) >= k && peopleOf(all, l, r) >= k {
					continue
				}
				clash := false
				for _, a := range r.atoms[:r.n] {
					clash = clash || l.has(a)
				}
				if !clash {
					out = append(out, found(l, r, sign))
				}
			}
		}
	}
	return out
}

// bitSign is -1 when bit i of neg is set, else +1.
func bitSign(neg uint8, i int) int {
	if neg&(1<<i) != 0 {
		return -1
	}
	return 1
}

// maxFound bounds the sets one search returns; any left over are found by
// the next.
const maxFound = 256

func overlaps(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// cheapestFix returns the shown cell to hide so that the set u of atoms
// stops being revealed, about as few people as can be, totals last.
//
// u is A^T y for the y found below. Hiding a cell whose row is not in the
// basis leaves the row space as it was; so does hiding a basis row that
// some row outside the basis depends on, since that row takes its place.
// Hiding any other basis row with y nonzero there takes u out of the row
// space. When there is no such row, the smallest basis row under u is
// hidden and the search runs again.
func (sp *space) cheapestFix(p Problem, u []Term) int {
	au := make([]uint64, len(sp.basis))
	for _, t := range u {
		at := sp.atoms[t.Micro]
		for x, row := range at.rows {
			if b := sp.inB[row]; b >= 0 {
				au[b] = addmod(au[b], signed(at.coefs[x], t.Coef))
			}
		}
	}
	y := sp.solve(au)
	replaceable := make([]bool, len(sp.basis))
	for row, b := range sp.inB {
		if b >= 0 {
			continue
		}
		v := make([]uint64, len(sp.basis))
		for x, i := range sp.basis {
			v[x] = sp.g[i][row]
		}
		for x, e := range sp.solve(v) {
			if e != 0 {
				replaceable[x] = true
			}
		}
	}
	better := func(a, b int) bool { // whether cell a is the better to hide
		ca, cb := p.Cells[a], p.Cells[b]
		if ca.Whole() != cb.Whole() {
			return !ca.Whole()
		}
		return ca.People < cb.People
	}
	best, fallback := -1, -1
	for x, row := range sp.basis {
		c := sp.cells[row]
		if y[x] == 0 || p.Cells[c].People == 0 {
			continue
		}
		if !replaceable[x] && (best < 0 || better(c, best)) {
			best = c
		}
		if fallback < 0 || better(c, fallback) {
			fallback = c
		}
	}
	if best >= 0 {
		return best
	}
	if fallback >= 0 {
		return fallback
	}
	// u is revealed, so some shown cell counts it.
	panic("insight: a revealed set that no shown cell counts")
}

// micro returns the microcells of a signed set of atoms, each with its
// atom's sign.
func (sp *space) micro(u []Term) []Term {
	var m []Term
	for _, t := range u {
		for _, x := range sp.atoms[t.Micro].micro {
			m = append(m, Term{Micro: x, Coef: t.Coef})
		}
	}
	slices.SortFunc(m, func(a, b Term) int { return a.Micro - b.Micro })
	return m
}
