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
}

// Suppress decides which cells to hide. Primary suppression hides every
// cell about 1 to k-1 people. Complementary suppression then hides more
// cells, smallest first, until no sum over fewer than k entries can be
// worked out from the cells shown by any combination of adding and
// subtracting them.
func Suppress(p Problem, k int) []bool {
	hidden := make([]bool, len(p.Cells))
	for i, c := range p.Cells {
		hidden[i] = c.People > 0 && c.People < k
	}
	byMicro := make([][]Term, len(p.Micro)) // the cells counting each microcell
	for ci, c := range p.Cells {
		for _, t := range c.Terms {
			if t.Coef != 0 && p.Micro[t.Micro] > 0 {
				byMicro[t.Micro] = append(byMicro[t.Micro], Term{Micro: ci, Coef: t.Coef})
			}
		}
	}
	for {
		for complementRows(p, hidden, k) {
		}
		sp := newSpace(p, byMicro, hidden)
		found := sp.disclosed(k)
		if len(found) == 0 {
			return hidden
		}
		// Hiding only ever takes sums out of reach, so every set still
		// revealed after some fixes was found by this search: each is
		// checked again against the cells then shown, and fixed if it
		// is still revealed.
		for _, u := range found {
			if !sp.reveals(u) {
				continue
			}
			hidden[sp.cheapestFix(p, sp.atomsOf(u))] = true
			for complementRows(p, hidden, k) {
			}
			sp = newSpace(p, byMicro, hidden)
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

// atom is a set of microcells that every shown cell counts alike, so that
// no combination of shown cells can tell its microcells apart.
type atom struct {
	micro  []int
	people int
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
		sp.atoms[i].people += p.Micro[m]
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

// disclosed returns the atoms of one set of fewer than k entries whose sum
// the shown cells reveal, or nil when there is none.
//
// A sum over a set U is revealed exactly when the indicator of U lies in
// the row space of A, that is when it is orthogonal to every vector of
// A's kernel. Two kernel vectors drawn at random (from a seed fixed by
// the problem, so that the answer is the same every time) give each atom
// two numbers; U is revealed when both sum to zero over U.
//
// Every set of one or two atoms is tried. Sets of up to k-1 atoms are
// searched by meeting in the middle, over all the small atoms when there
// are at most maxPool of them, and otherwise, to bound the work, over the
// maxPool smallest atoms of each shown cell in turn.
func (sp *space) disclosed(k int) [][]int {
	h1, h2 := sp.kernelPair(k)
	var small []int // atoms of fewer than k entries
	for i, a := range sp.atoms {
		if a.people < k {
			small = append(small, i)
		}
	}
	var found [][]int
	keep := func(sets [][]int) {
		for _, u := range sets {
			found = append(found, sp.micro(u))
		}
	}
	var sc scratch
	keep(searchSets(&sc, small, sp.atoms, h1, h2, k, 1))
	if k/2 > 1 && len(small) <= maxPool {
		keep(searchSets(&sc, small, sp.atoms, h1, h2, k, k/2))
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
			keep(searchSets(&sc, pool, sp.atoms, h1, h2, k, k/2))
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

// atomsOf returns the atoms a set of microcells is made of, or nil when
// it splits an atom (and so is not revealed).
func (sp *space) atomsOf(micro []int) []int {
	if sp.atomOf == nil {
		sp.atomOf = map[int]int{}
		for i, a := range sp.atoms {
			for _, m := range a.micro {
				sp.atomOf[m] = i
			}
		}
	}
	count := map[int]int{}
	for _, m := range micro {
		a, ok := sp.atomOf[m]
		if !ok {
			return nil
		}
		count[a]++
	}
	var out []int
	for a, n := range count {
		if n != len(sp.atoms[a].micro) {
			return nil
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// reveals reports whether the shown cells give away the sum over a set
// of microcells.
func (sp *space) reveals(micro []int) bool {
	u := sp.atomsOf(micro)
	if u == nil {
		return false
	}
	h1, h2 := sp.kernelPair(MaxK + 1)
	var s1, s2 uint64
	for _, a := range u {
		s1, s2 = addmod(s1, h1[a]), addmod(s2, h2[a])
	}
	return s1 == 0 && s2 == 0
}

// maxPool bounds the atoms one meeting-in-the-middle search takes: the
// halves it stores grow with the square of their number.
const maxPool = 600

type sumKey struct{ a, b uint64 }

// maxHalf is the most atoms a half may hold: k is at most 10, so a set
// of fewer than k entries splits into halves of at most five.
const maxHalf = MaxK / 2

// half is one half of a candidate set: its atoms, entries and sums.
type half struct {
	atoms  [maxHalf]int32
	n      int8
	people int16
	s      sumKey
}

func (h *half) has(a int32) bool {
	for _, x := range h.atoms[:h.n] {
		if x == a {
			return true
		}
	}
	return false
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

// searchSets looks among the atoms for sets of fewer than k entries
// whose two kernel sums are zero, built of two halves of at most size
// atoms each, and returns their atoms (up to maxFound of them).
func searchSets(sc *scratch, atoms []int, all []atom, h1, h2 []uint64, k, size int) [][]int {
	n := len(atoms)
	estimate := n
	if size > 1 {
		estimate += n * (n - 1) / 2
	}
	halves := sc.halves[:0]
	if cap(halves) < min(estimate, 1<<21) {
		halves = make([]half, 0, min(estimate, 1<<21))
	}
	defer func() { sc.halves = halves[:0] }()
	var walk func(from int, cur half)
	walk = func(from int, cur half) {
		if cur.n > 0 {
			halves = append(halves, cur)
		}
		if int(cur.n) == size {
			return
		}
		for j := from; j < len(atoms); j++ {
			a := atoms[j]
			if int(cur.people)+all[a].people >= k {
				continue
			}
			next := cur
			next.atoms[next.n] = int32(a)
			next.n++
			next.people += int16(all[a].people)
			next.s = sumKey{addmod(cur.s.a, h1[a]), addmod(cur.s.b, h2[a])}
			walk(j+1, next)
		}
	}
	walk(0, half{})
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
	found := func(l *half, r *half) []int {
		var u []int
		for _, a := range l.atoms[:l.n] {
			u = append(u, int(a))
		}
		if r != nil {
			for _, a := range r.atoms[:r.n] {
				u = append(u, int(a))
			}
		}
		return u
	}
	var out [][]int
	for i := sc.table.first(sumKey{}); i >= 0 && len(out) < maxFound; i = next[i] {
		out = append(out, found(&halves[i], nil))
	}
	for li := range halves {
		l := &halves[li]
		for ri := sc.table.first(sumKey{negmod(l.s.a), negmod(l.s.b)}); ri >= 0 && len(out) < maxFound; ri = next[ri] {
			r := &halves[ri]
			if int(ri) < li || int(l.people)+int(r.people) >= k {
				continue
			}
			clash := false
			for _, a := range r.atoms[:r.n] {
				clash = clash || l.has(a)
			}
			if !clash {
				out = append(out, found(l, r))
			}
		}
	}
	return out
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
func (sp *space) cheapestFix(p Problem, u []int) int {
	au := make([]uint64, len(sp.basis))
	for _, a := range u {
		at := sp.atoms[a]
		for x, row := range at.rows {
			if b := sp.inB[row]; b >= 0 {
				au[b] = addmod(au[b], at.coefs[x])
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

// micro returns the microcells of a set of atoms.
func (sp *space) micro(u []int) []int {
	var m []int
	for _, a := range u {
		m = append(m, sp.atoms[a].micro...)
	}
	slices.Sort(m)
	return m
}
