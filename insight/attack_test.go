package insight

import (
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The attacker knows where every person sits in every cycle and sees every
// table the organisation's pages and exports offer, in every cycle. It
// works person by person, not from the microcells the product uses, with
// the whole kernel of the shown tables rather than random vectors of it,
// and any set it claims is checked again in exact rational arithmetic.

type person struct {
	sat map[Cycle]Group // where they sat when they submitted, per cycle
	now Group           // where they sit today
}

// syntheticOrganisation makes staff of the awkward shapes real ones have:
// a department of three, a pay band held by one person, people who move
// department between cycles, and people who skip a cycle.
func syntheticOrganisation(seed uint64, size int) []person {
	rng := rand.New(rand.NewPCG(seed, 7))
	depts := []int64{1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5} // 5 is tiny
	groups := []string{"Nursing", "Nursing", "Nursing", "Medical", "Admin", "Allied"}
	bands := []string{"Band 5", "Band 5", "Band 6", "Band 6", "Band 7", "Band 3", "Band 8a"}
	var staff []person
	for i := range size {
		g := Group{Department: depts[rng.IntN(len(depts))], StaffGroup: groups[rng.IntN(len(groups))], PayBand: bands[rng.IntN(len(bands))]}
		if i == 0 {
			g.PayBand = "Band 9" // held by one person
		}
		if g.Department == 5 && rng.IntN(2) == 0 {
			g.Department = 1
		}
		g.Site = siteOf(g.Department, 2025)
		p := person{sat: map[Cycle]Group{}, now: g}
		for c := Cycle(2023); c <= 2025; c++ {
			if rng.IntN(10) < 7 {
				sat := g
				sat.Site = siteOf(sat.Department, c)
				if rng.IntN(8) == 0 {
					sat.Department = depts[rng.IntN(len(depts))]
					sat.Site = siteOf(sat.Department, c)
				}
				p.sat[c] = sat
			}
		}
		staff = append(staff, p)
	}
	return staff
}

// siteOf is the site a synthetic department sat at in a cycle: two
// departments share the first, the third is alone at the second, and the
// fourth shares the third with the tiny fifth; in the last cycle the
// second department moves to the second site.
func siteOf(dept int64, c Cycle) int64 {
	switch {
	case dept == 2 && c == 2025:
		return 2
	case dept == 1 || dept == 2:
		return 1
	case dept == 3:
		return 2
	}
	return 3
}

// entriesOf is what the summary tables would hold for the staff.
func entriesOf(staff []person) []Entries {
	count := map[Entries]int{}
	for _, p := range staff {
		var history []Placed
		for c := Cycle(2000); c < 2100; c++ {
			if g, ok := p.sat[c]; ok {
				history = append(history, Placed{c, g})
			}
		}
		track := TrackOf(history)
		for c, g := range p.sat {
			e := Entries{Cycle: c, Group: g, Track: track}
			_, e.Prev = p.sat[c-1]
			e.Next, e.HasNext = p.sat[c+1]
			count[e]++
		}
	}
	var out []Entries
	for e, n := range count {
		e.People = n
		out = append(out, e)
	}
	sortEntries(out)
	return out
}

func staffOf(staff []person) []Staff {
	count := map[Group]int{}
	for _, p := range staff {
		count[p.now]++
	}
	var out []Staff
	for g, n := range count {
		out = append(out, Staff{Group: g, People: n})
	}
	slices.SortFunc(out, func(a, b Staff) int { return compareGroup(a.Group, b.Group) })
	return out
}

// entry is one coordinate of the attacker's space: a person in a cycle.
type entry struct {
	person int
	cycle  Cycle
}

// scoreVector writes a shown cell as the attacker reads its meaning.
func scoreVector(staff []person, coords []entry, key CellKey) []int {
	v := make([]int, len(coords))
	for i, e := range coords {
		p := staff[e.person]
		g := p.sat[e.cycle]
		switch key.Measure {
		case Scores:
			if e.cycle == key.Cycle && key.Breakdown.Value(g) == key.Row {
				v[i] = 1
			}
		case Change:
			later, ok := p.sat[key.Cycle]
			_, before := p.sat[key.Cycle-1]
			if !ok || !before || key.Breakdown.Value(later) != key.Row {
				continue
			}
			if e.cycle == key.Cycle {
				v[i] = 1
			} else if e.cycle == key.Cycle-1 {
				v[i] = -1
			}
		}
	}
	return v
}

// attacker finds coordinates belonging to fewer than k people, each
// added or taken away, whose signed sum the rows reveal, or returns nil.
// owner gives each coordinate's person. A coordinate taken away is
// returned as -1 - c.
func attacker(t *testing.T, rows [][]int, owner []int, k int) []int {
	t.Helper()
	n := len(owner)
	kernel := exactKernel(rows, n)
	if len(kernel) == 0 || len(kernel[0]) == 0 {
		// No kernel: every coordinate is revealed.
		return []int{0}
	}
	// Mod a prime, and along a few random directions of the kernel, to
	// compare sums quickly; any hit is checked exactly.
	const p = 2147483647
	const dirs = 4
	rng := rand.New(rand.NewPCG(uint64(n), uint64(len(rows))))
	var mix [dirs][]int64
	for d := range mix {
		for range kernel[0] {
			mix[d] = append(mix[d], rng.Int64N(p))
		}
	}
	km := make([][dirs]int64, n)
	for i := range kernel {
		for j, r := range kernel[i] {
			x := ratMod(r, p)
			for d := range dirs {
				km[i][d] = (km[i][d] + x*mix[d][j]%p) % p
			}
		}
	}
	byPerson := map[int][]int{}
	var people []int
	for i, o := range owner {
		if _, ok := byPerson[o]; !ok {
			people = append(people, o)
		}
		byPerson[o] = append(byPerson[o], i)
	}
	// Halves: up to k/2 people, with every non-empty choice of their
	// coordinates, each added or taken away (the first always added: a
	// set and its negation tell the same).
	type half struct {
		people []int
		coords []int // signed, as returned
		sum    [dirs]int64
	}
	var halves []half
	var grow func(from int, ps []int)
	grow = func(from int, ps []int) {
		if len(ps) > 0 {
			var coords []int
			for _, q := range ps {
				coords = append(coords, byPerson[q]...)
			}
			for mask := 1; mask < 1<<len(coords); mask++ {
				var pick []int
				used := map[int]bool{}
				for b, c := range coords {
					if mask&(1<<b) != 0 {
						pick = append(pick, c)
						used[owner[c]] = true
					}
				}
				// Every chosen person must contribute a coordinate.
				if len(used) != len(ps) {
					continue
				}
				for signs := 0; signs < 1<<(len(pick)-1); signs++ {
					var h half
					h.people = slices.Clone(ps)
					for b, c := range pick {
						v := km[c]
						if b > 0 && signs&(1<<(b-1)) != 0 {
							h.coords = append(h.coords, -1-c)
							for d := range dirs {
								h.sum[d] = (h.sum[d] + p - v[d]) % p
							}
							continue
						}
						h.coords = append(h.coords, c)
						for d := range dirs {
							h.sum[d] = (h.sum[d] + v[d]) % p
						}
					}
					halves = append(halves, h)
				}
			}
		}
		if len(ps) == k/2 {
			return
		}
		for i := from; i < len(people); i++ {
			grow(i+1, append(ps, people[i]))
		}
	}
	grow(0, nil)
	negate := func(s [dirs]int64) [dirs]int64 {
		for d := range s {
			s[d] = (p - s[d]) % p
		}
		return s
	}
	index := map[[dirs]int64][]int{}
	for i, h := range halves {
		index[h.sum] = append(index[h.sum], i)
	}
	var candidates [][]int
	for _, i := range index[[dirs]int64{}] {
		candidates = append(candidates, halves[i].coords)
	}
	for _, l := range halves {
		// The other half added (its sum cancels l's) or taken away.
		for _, sign := range []int{1, -1} {
			key := l.sum
			if sign > 0 {
				key = negate(l.sum)
			}
			for _, ri := range index[key] {
				r := halves[ri]
				if len(l.people)+len(r.people) >= k || overlaps(l.people, r.people) {
					continue
				}
				u := slices.Clone(l.coords)
				for _, c := range r.coords {
					if sign < 0 {
						c = -1 - c
					}
					u = append(u, c)
				}
				candidates = append(candidates, u)
			}
		}
	}
	for _, u := range candidates {
		if inSpanExact(kernel, u) {
			return u
		}
	}
	return nil
}

// exactKernel returns, for each coordinate, its row in a basis of the
// kernel of the rows: a set of coordinates is revealed exactly when these
// rows sum to zero over it.
func exactKernel(rows [][]int, n int) [][]*big.Rat {
	a := make([][]*big.Rat, len(rows))
	for i, r := range rows {
		a[i] = make([]*big.Rat, n)
		for j := range n {
			a[i][j] = big.NewRat(int64(r[j]), 1)
		}
	}
	var pivots []int
	row := 0
	for col := 0; col < n && row < len(a); col++ {
		piv := -1
		for r := row; r < len(a); r++ {
			if a[r][col].Sign() != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		a[row], a[piv] = a[piv], a[row]
		f := new(big.Rat).Inv(a[row][col])
		for c := col; c < n; c++ {
			a[row][c] = new(big.Rat).Mul(a[row][c], f)
		}
		for r := range a {
			if r == row || a[r][col].Sign() == 0 {
				continue
			}
			g := new(big.Rat).Set(a[r][col])
			for c := col; c < n; c++ {
				a[r][c] = new(big.Rat).Sub(a[r][c], new(big.Rat).Mul(g, a[row][c]))
			}
		}
		pivots = append(pivots, col)
		row++
	}
	isPivot := map[int]int{}
	for r, c := range pivots {
		isPivot[c] = r
	}
	var free []int
	for c := range n {
		if _, ok := isPivot[c]; !ok {
			free = append(free, c)
		}
	}
	k := make([][]*big.Rat, n)
	for c := range n {
		k[c] = make([]*big.Rat, len(free))
		for j := range free {
			k[c][j] = new(big.Rat)
		}
	}
	for j, f := range free {
		k[f][j].SetInt64(1)
		for c, r := range isPivot {
			k[c][j] = new(big.Rat).Neg(a[r][f])
		}
	}
	return k
}

// inSpanExact reports whether the signed sum over u (a coordinate c
// taken away written -1 - c) is revealed, in exact arithmetic.
func inSpanExact(kernel [][]*big.Rat, u []int) bool {
	for j := range kernel[0] {
		s := new(big.Rat)
		for _, c := range u {
			if c < 0 {
				s.Sub(s, kernel[-1-c][j])
				continue
			}
			s.Add(s, kernel[c][j])
		}
		if s.Sign() != 0 {
			return false
		}
	}
	return true
}

func ratMod(r *big.Rat, p int64) int64 {
	m := big.NewInt(p)
	num := new(big.Int).Mod(r.Num(), m)
	den := new(big.Int).ModInverse(new(big.Int).Mod(r.Denom(), m), m)
	return new(big.Int).Mod(new(big.Int).Mul(num, den), m).Int64()
}

// publishedScores builds the attacker's rows from what the product shows.
func publishedScores(staff []person, k int) (rows [][]int, owner []int, coords []entry, hiddenCount int) {
	for i, p := range staff {
		for c := Cycle(2023); c <= 2025; c++ {
			if _, ok := p.sat[c]; ok {
				coords = append(coords, entry{i, c})
				owner = append(owner, i)
			}
		}
	}
	prob, keys := ScoreTables(entriesOf(staff))
	hidden := Decide(prob, keys, k)
	for _, key := range keys {
		if hidden[key] {
			hiddenCount++
			continue
		}
		rows = append(rows, scoreVector(staff, coords, key))
	}
	return rows, owner, coords, hiddenCount
}

func TestAttackerRecoversNothingFromScores(t *testing.T) {
	for _, k := range []int{3, 5} {
		for _, size := range []int{40, 80} {
			for seed := range uint64(5) {
				t.Run(fmt.Sprintf("k%d/size%d/seed%d", k, size, seed), func(t *testing.T) {
					staff := syntheticOrganisation(seed, size)
					rows, owner, coords, hidden := publishedScores(staff, k)
					if hidden == 0 {
						t.Fatal("nothing was hidden: the organisation is not awkward enough to test anything")
					}
					// Hiding everything would pass trivially; a real
					// organisation of 80 must still see most of its figures.
					if size == 80 && len(rows) < hidden {
						t.Errorf("only %d cells shown against %d hidden", len(rows), hidden)
					}
					if u := attacker(t, rows, owner, k); u != nil {
						var who []entry
						for _, c := range u {
							if c < 0 {
								c = -1 - c // taken away
							}
							who = append(who, coords[c])
						}
						t.Fatalf("the attacker recovered the sum over %v from %d shown cells", who, len(rows))
					}
				})
			}
		}
	}
}

func TestSuppressionIsTheSameEveryTime(t *testing.T) {
	staff := syntheticOrganisation(3, 80)
	prob, keys := ScoreTables(entriesOf(staff))
	first := Decide(prob, keys, DefaultK)
	for range 3 {
		again := Decide(prob, keys, DefaultK)
		if len(again) != len(first) {
			t.Fatalf("hid %d cells, then %d", len(first), len(again))
		}
		for key := range first {
			if !again[key] {
				t.Fatalf("%v was hidden once and shown the next time", key)
			}
		}
	}
}

func TestCheckK(t *testing.T) {
	for k, ok := range map[int]bool{2: false, 3: true, 5: true, 10: true, 11: false, -1: false} {
		if got := CheckK(k) == ""; got != ok {
			t.Errorf("CheckK(%d) allowed = %v, want %v", k, got, ok)
		}
	}
}

func TestCycleOf(t *testing.T) {
	for _, tc := range []struct {
		at   string
		want Cycle
	}{
		{"2026-03-31T22:59:59Z", 2025}, // 23:59 in London, still March
		{"2026-03-31T23:00:00Z", 2026}, // midnight BST, 1 April
		{"2025-12-25T12:00:00Z", 2025},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := CycleOf(at); got != tc.want {
			t.Errorf("CycleOf(%s) = %d, want %d", tc.at, got, tc.want)
		}
	}
	if got := Cycle(2025).Label(); got != "April 2025 to March 2026" {
		t.Errorf("label %q", got)
	}
}

func TestAttackerRecoversNothingFromParticipation(t *testing.T) {
	for seed := range uint64(4) {
		staff := syntheticOrganisation(seed, 40)
		prob, keys := StaffTables(staffOf(staff))
		hidden := Decide(prob, keys, DefaultK)
		var rows [][]int
		var owner []int
		for i := range staff {
			owner = append(owner, i)
		}
		for _, key := range keys {
			if hidden[key] {
				continue
			}
			v := make([]int, len(staff))
			for i, p := range staff {
				if key.Breakdown.Value(p.now) == key.Row {
					v[i] = 1
				}
			}
			rows = append(rows, v)
		}
		if u := attacker(t, rows, owner, DefaultK); u != nil {
			t.Fatalf("seed %d: the attacker recovered the participation of people %v", seed, u)
		}
	}
}

// The attacker must be able to win: with primary suppression alone, the
// totals give away what was hidden.
func TestAttackerWinsAgainstPrimarySuppressionAlone(t *testing.T) {
	staff := syntheticOrganisation(1, 40)
	var coords []entry
	var owner []int
	for i, p := range staff {
		for c := Cycle(2023); c <= 2025; c++ {
			if _, ok := p.sat[c]; ok {
				coords = append(coords, entry{i, c})
				owner = append(owner, i)
			}
		}
	}
	prob, keys := ScoreTables(entriesOf(staff))
	var rows [][]int
	for i, key := range keys {
		if c := prob.Cells[i]; c.People > 0 && c.People < DefaultK {
			continue
		}
		rows = append(rows, scoreVector(staff, coords, key))
	}
	if attacker(t, rows, owner, DefaultK) == nil {
		t.Fatal("primary suppression alone held: the attacker is too weak to prove anything")
	}
}

func TestModularArithmetic(t *testing.T) {
	p := new(big.Int).SetUint64(prime)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 100000 {
		a, b := rng.Uint64N(prime), rng.Uint64N(prime)
		if i < 3 {
			a, b = prime-1, prime-1-uint64(i)
		}
		want := new(big.Int).Mod(new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b)), p).Uint64()
		if got := mulmod(a, b); got != want {
			t.Fatalf("%d × %d = %d, want %d", a, b, got, want)
		}
		if a != 0 && mulmod(a, inv(a)) != 1 {
			t.Fatalf("the inverse of %d is wrong", a)
		}
		if addmod(a, negmod(a)) != 0 || submod(a, a) != 0 {
			t.Fatalf("%d less itself is not zero", a)
		}
	}
}

// What to hide depends only on where people sat and on k: a layout worked
// out again over the same entries, with other sums (scores changed,
// learning done), takes the earlier decision as it is, and any change in
// the entries or in k makes a new one.
func TestLayAgainReusesTheDecisionOnlyForTheSameEntries(t *testing.T) {
	staff := syntheticOrganisation(3, 120)
	entries := entriesOf(staff)
	first := Lay(nil, entries, 5)
	shuffled := slices.Clone(entries)
	slices.Reverse(shuffled)
	again := LayAgain([]Tally{{Cycle: 2025, Domain: "1", People: 1}}, shuffled, 5, first.Decision)
	if again.Decision != first.Decision || len(again.Tallies) != 1 {
		t.Fatal("the same entries in another order did not take the earlier decision")
	}
	moved := slices.Clone(entries)
	moved[0].People++
	if l := LayAgain(nil, moved, 5, first.Decision); l.Decision == first.Decision {
		t.Fatal("one more person took the earlier decision")
	}
	if l := LayAgain(nil, entries, 6, first.Decision); l.Decision == first.Decision {
		t.Fatal("another k took the earlier decision")
	}
	if l := LayAgain(nil, entries, 5, first.Decision); !maps.Equal(l.Hidden, Lay(nil, entries, 5).Hidden) {
		t.Fatal("the decision taken again differs from one worked out afresh")
	}
}

// A sum with a coefficient of two, which the search over entries does not
// try: this year's change less last year's for one person, x3 - 2x2 + x1,
// is one person's change less another of theirs in the writing over first
// entries and changes, where it is found and hidden.
func TestChangesWritingFindsTwiceAnEntry(t *testing.T) {
	p := Problem{
		// The person in three years, then a large group F and three large
		// groups that keep each of the person's entries apart.
		Micro: []int{1, 1, 1, 10, 10, 10, 10},
		Track: []int{0, 0, 0, 1, 2, 3, 4},
		Class: []int{2023, 2024, 2025, 2025, 2023, 2024, 2025},
	}
	whole := func(people int, terms ...Term) Cell {
		return Cell{Terms: terms, People: people, Table: len(p.Cells), Total: -1}
	}
	p.Cells = append(p.Cells, whole(11, Term{2, 1}, Term{1, -2}, Term{0, 1}, Term{3, 1}))
	p.Cells = append(p.Cells, whole(10, Term{3, 1}))
	for i := range 3 {
		p.Cells = append(p.Cells, whole(11, Term{i, 1}, Term{4 + i, 1}))
	}
	if hidden := Suppress(p, DefaultK); !slices.Contains(hidden, true) {
		t.Fatal("the person's change less their change a year before was left to be worked out")
	}
	// Without years, there is no second writing and the search cannot
	// see it: the test above depends on that writing.
	p.Class = nil
	if hidden := Suppress(p, DefaultK); slices.Contains(hidden, true) {
		t.Fatal("found without the second writing: the test proves nothing")
	}
}
