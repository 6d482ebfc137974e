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
	for {
		for complementRows(p, hidden, k) {
		}
		u := disclosed(p, hidden, k)
		if u == nil {
			return hidden
		}
		hidden[cheapestFix(p, hidden, u, k)] = true
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

// cheapestFix returns the shown cell about the fewest people whose hiding
// stops u being revealed, trying totals last; failing that, the smallest
// shown cell that counts anyone in u.
func cheapestFix(p Problem, hidden []bool, u []int, k int) int {
	var order []int
	for i, c := range p.Cells {
		if !hidden[i] && c.People > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := p.Cells[a], p.Cells[b]
		if ca.Whole() != cb.Whole() {
			if ca.Whole() {
				return 1
			}
			return -1
		}
		return ca.People - cb.People
	})
	for _, i := range order {
		hidden[i] = true
		still := reveals(p, hidden, u, k)
		hidden[i] = false
		if !still {
			return i
		}
	}
	if c := smallestTouching(p, hidden, u); c >= 0 {
		return c
	}
	// Nothing shown touches u, so disclosed could not have found it.
	panic("insight: disclosed set touches no shown cell")
}

// smallestTouching returns the shown cell about the fewest people that
// counts any microcell in u, or -1.
func smallestTouching(p Problem, hidden []bool, u []int) int {
	best := -1
	for i, c := range p.Cells {
		if hidden[i] || c.People == 0 {
			continue
		}
		touches := false
		for _, t := range c.Terms {
			if t.Coef != 0 && slices.Contains(u, t.Micro) {
				touches = true
				break
			}
		}
		if touches && (best < 0 || c.People < p.Cells[best].People) {
			best = i
		}
	}
	return best
}

// prime is the modulus of the arithmetic below: 2^61 - 1, large enough
// that a chance match is never seen in practice.
const prime = 1<<61 - 1

func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return bits.Rem64(hi, lo, prime)
}

func addmod(a, b uint64) uint64 { return (a + b) % prime }

func negmod(a uint64) uint64 { return (prime - a%prime) % prime }

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
	return uint64(c) % prime
}

// atom is a set of microcells that every shown cell counts alike, so that
// no combination of shown cells can tell its microcells apart.
type atom struct {
	micro  []int
	people int
	column []uint64 // the coefficient of each shown cell, mod prime
}

// disclosed returns the microcells of one set of fewer than k entries whose
// sum the shown cells reveal, or nil when there is none.
//
// A sum over a set U is revealed exactly when the indicator of U lies in
// the span of the shown cells, that is when it is orthogonal to every
// vector in their kernel. Two kernel vectors drawn at random (from a fixed
// seed, so that the answer is the same every time) give each atom two
// numbers; U is revealed when both sum to zero over U. Sets are searched
// by meeting in the middle: halves of at most (k-1)/2 atoms, rounded up,
// each from the atoms of fewer than k entries.
func disclosed(p Problem, hidden []bool, k int) []int {
	var shown []int
	for i := range p.Cells {
		if !hidden[i] {
			shown = append(shown, i)
		}
	}
	atoms := atomsOf(p, shown)
	if len(atoms) == 0 {
		return nil
	}
	h1, h2 := kernelPair(atoms, len(shown), len(p.Micro), k)

	var small []int // atom indexes with fewer than k entries
	for i, a := range atoms {
		if a.people < k {
			small = append(small, i)
		}
	}
	half := k / 2 // ceil((k-1)/2)
	type key struct{ a, b uint64 }
	type subset struct {
		atoms  []int
		people int
	}
	var subsets []subset
	var walk func(from int, cur []int, people int, s1, s2 uint64)
	index := map[key][]int{}
	walk = func(from int, cur []int, people int, s1, s2 uint64) {
		if len(cur) > 0 {
			index[key{s1, s2}] = append(index[key{s1, s2}], len(subsets))
			subsets = append(subsets, subset{slices.Clone(cur), people})
		}
		if len(cur) == half {
			return
		}
		for j := from; j < len(small); j++ {
			a := small[j]
			if people+atoms[a].people >= k {
				continue
			}
			walk(j+1, append(cur, a), people+atoms[a].people, addmod(s1, h1[a]), addmod(s2, h2[a]))
		}
	}
	walk(0, nil, 0, 0, 0)
	// The empty half first, so that single halves summing to zero are
	// found; then every pair of disjoint halves whose sums cancel.
	if zero := index[key{0, 0}]; len(zero) > 0 {
		return microOf(atoms, subsets[zero[0]].atoms)
	}
	for _, l := range subsets {
		var s1, s2 uint64
		for _, a := range l.atoms {
			s1, s2 = addmod(s1, h1[a]), addmod(s2, h2[a])
		}
		for _, ri := range index[key{negmod(s1), negmod(s2)}] {
			r := subsets[ri]
			if l.people+r.people >= k || overlaps(l.atoms, r.atoms) {
				continue
			}
			return microOf(atoms, append(slices.Clone(l.atoms), r.atoms...))
		}
	}
	return nil
}

func overlaps(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func microOf(atoms []atom, ids []int) []int {
	var m []int
	for _, i := range ids {
		m = append(m, atoms[i].micro...)
	}
	slices.Sort(m)
	return m
}

// reveals reports whether the shown cells still give away the sum over
// the microcells u.
func reveals(p Problem, hidden []bool, u []int, k int) bool {
	var shown []int
	for i := range p.Cells {
		if !hidden[i] {
			shown = append(shown, i)
		}
	}
	atoms := atomsOf(p, shown)
	var in []int
	for i, a := range atoms {
		n := 0
		for _, m := range a.micro {
			if slices.Contains(u, m) {
				n++
			}
		}
		switch n {
		case 0:
		case len(a.micro):
			in = append(in, i)
		default:
			return false // u splits an atom, so no shown sum isolates it
		}
	}
	h1, h2 := kernelPair(atoms, len(shown), len(p.Micro), k)
	var s1, s2 uint64
	for _, a := range in {
		s1, s2 = addmod(s1, h1[a]), addmod(s2, h2[a])
	}
	return s1 == 0 && s2 == 0
}

// kernelPair draws two kernel vectors from a seed fixed by the problem's
// shape, so that the outcome never changes from one run to the next.
func kernelPair(atoms []atom, rows, micro, k int) (h1, h2 []uint64) {
	rng := rand.New(rand.NewPCG(uint64(micro)*0x9e3779b97f4a7c15, uint64(k)))
	return kernelVector(atoms, rows, rng), kernelVector(atoms, rows, rng)
}

// atomsOf groups the microcells that hold anyone by the coefficients the
// shown cells give them.
func atomsOf(p Problem, shown []int) []atom {
	cols := make([][]uint64, len(p.Micro))
	for r, ci := range shown {
		for _, t := range p.Cells[ci].Terms {
			if t.Coef == 0 || p.Micro[t.Micro] == 0 {
				continue
			}
			if cols[t.Micro] == nil {
				cols[t.Micro] = make([]uint64, len(shown))
			}
			cols[t.Micro][r] = addmod(cols[t.Micro][r], fromInt(t.Coef))
		}
	}
	byColumn := map[string]int{}
	var atoms []atom
	for m, people := range p.Micro {
		if people == 0 {
			continue
		}
		col := cols[m]
		if col == nil {
			col = make([]uint64, len(shown))
		}
		sig := fmt.Sprint(col)
		i, ok := byColumn[sig]
		if !ok {
			i = len(atoms)
			byColumn[sig] = i
			atoms = append(atoms, atom{column: col})
		}
		atoms[i].micro = append(atoms[i].micro, m)
		atoms[i].people += people
	}
	return atoms
}

// kernelVector returns a random vector h over the atoms with A h = 0,
// where A is the matrix of shown cells (rows) by atoms (columns).
func kernelVector(atoms []atom, rows int, rng *rand.Rand) []uint64 {
	n := len(atoms)
	// Row-reduce A, kept as rows for elimination.
	a := make([][]uint64, rows)
	for r := range a {
		a[r] = make([]uint64, n)
		for c := range atoms {
			a[r][c] = atoms[c].column[r]
		}
	}
	pivotCol := make([]int, 0, rows)
	row := 0
	for col := 0; col < n && row < rows; col++ {
		piv := -1
		for r := row; r < rows; r++ {
			if a[r][col] != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		a[row], a[piv] = a[piv], a[row]
		scale := inv(a[row][col])
		for c := col; c < n; c++ {
			a[row][c] = mulmod(a[row][c], scale)
		}
		for r := 0; r < rows; r++ {
			if r == row || a[r][col] == 0 {
				continue
			}
			f := a[r][col]
			for c := col; c < n; c++ {
				if a[row][c] != 0 {
					a[r][c] = addmod(a[r][c], negmod(mulmod(f, a[row][c])))
				}
			}
		}
		pivotCol = append(pivotCol, col)
		row++
	}
	h := make([]uint64, n)
	isPivot := make([]bool, n)
	for _, c := range pivotCol {
		isPivot[c] = true
	}
	for c := range h {
		if !isPivot[c] {
			h[c] = rng.Uint64N(prime)
		}
	}
	for r, pc := range pivotCol {
		var s uint64
		for c := pc + 1; c < n; c++ {
			if !isPivot[c] && a[r][c] != 0 {
				s = addmod(s, mulmod(a[r][c], h[c]))
			}
		}
		h[pc] = negmod(s)
	}
	return h
}
