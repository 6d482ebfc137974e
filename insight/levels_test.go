package insight

import (
	"fmt"
	"strconv"
	"testing"
)

// syntheticNation is two regions of organisations of awkward sizes: two
// trusts, a hospice that only just reaches k, and care homes of one, two
// and three people, whose pools fall either side of k.
func syntheticNation(seed uint64) (orgs map[int64][]person, region map[int64]int64, typ map[int64]string) {
	orgs, region, typ = map[int64][]person{}, map[int64]int64{}, map[int64]string{}
	add := func(id, r int64, t string, size int) {
		orgs[id], region[id], typ[id] = syntheticOrganisation(seed+uint64(id), size), r, t
	}
	add(1, 100, "nhs_trust", 30)
	add(2, 100, "care_home", 2)
	add(3, 100, "care_home", 3)
	add(4, 200, "nhs_trust", 25)
	add(5, 200, "hospice", 7)
	add(6, 200, "care_home", 1)
	return orgs, region, typ
}

var cycles = []Cycle{2023, 2024, 2025}

func TestAttackerRecoversNothingAcrossLevels(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			if who := attackLevels(t, seed*10, false); who != "" {
				t.Fatalf("the attacker recovered the sum over %s", who)
			}
		})
	}
}

// Treating every organisation as shown puts care homes of one and two
// people in rows of their own, and the attacker must notice.
func TestAttackerWinsWithoutPooling(t *testing.T) {
	if attackLevels(t, 0, true) == "" {
		t.Fatal("nothing recovered: the attack across levels proves nothing")
	}
}

// attackLevels publishes every table of a synthetic nation, each
// organisation's and each region's and the nation's, and returns what the
// attacker recovered, or "". With pretend, every organisation's own
// figures count as shown at the levels above.
func attackLevels(t *testing.T, seed uint64, pretend bool) string {
	t.Helper()
	orgs, region, typ := syntheticNation(seed)
	domains, bands := []string{"1"}, []string{"Low"}
	// Coordinates: every person of every organisation in every
	// year they took part.
	type coord struct {
		org    int64
		person int
		cycle  Cycle
	}
	var coords []coord
	var owner []int
	ownerOf := map[[2]int64]int{}
	for _, id := range []int64{1, 2, 3, 4, 5, 6} {
		for i, p := range orgs[id] {
			for _, c := range cycles {
				if _, ok := p.sat[c]; ok {
					key := [2]int64{id, int64(i)}
					if _, seen := ownerOf[key]; !seen {
						ownerOf[key] = len(ownerOf)
					}
					coords = append(coords, coord{id, i, c})
					owner = append(owner, ownerOf[key])
				}
			}
		}
	}
	var rows [][]int
	var totals []OrgTotal
	for _, id := range []int64{1, 2, 3, 4, 5, 6} {
		staff := orgs[id]
		l := Lay(nil, entriesOf(staff), DefaultK)
		// The organisation's own page.
		_, keys := ScoreTables(entriesOf(staff))
		for _, key := range keys {
			if l.Hidden[key] {
				continue
			}
			local := make([]entry, 0)
			for _, c := range coords {
				if c.org == id {
					local = append(local, entry{c.person, c.cycle})
				}
			}
			v := scoreVector(staff, local, key)
			row := make([]int, len(coords))
			j := 0
			for i, c := range coords {
				if c.org == id {
					row[i] = v[j]
					j++
				}
			}
			rows = append(rows, row)
		}
		// Its totals, one band, one domain: each person counts once.
		shown := map[Cycle]Shown{}
		for _, s := range l.Shown() {
			shown[s.Cycle] = s
		}
		for _, c := range cycles {
			var n, paired int64
			for _, p := range staff {
				if _, ok := p.sat[c]; ok {
					n++
					if _, before := p.sat[c-1]; before {
						paired++
					}
				}
			}
			if n > 0 {
				totals = append(totals, OrgTotal{Org: id, Region: region[id], Type: typ[id], Scores: shown[c].Scores || pretend, Change: shown[c].Change || pretend,
					Tally: Tally{Cycle: c, Domain: "1", Band: "Low", People: n, Paired: paired}})
			}
		}
	}
	// The regions' and the nation's pages, every year: each shown
	// row is the people of the organisations it counts.
	for _, c := range cycles {
		for _, r := range []int64{100, 200, 0} {
			var mine []OrgTotal
			for _, o := range totals {
				if r == 0 || o.Region == r {
					mine = append(mine, o)
				}
			}
			comb := Combine(mine, c, DefaultK, r == 0, domains, bands)
			members := func(b Breakdown, key string) (scores, change map[int64]bool) {
				scores, change = map[int64]bool{}, map[int64]bool{}
				for _, o := range mine {
					where := comb.Counted[o.Org]
					if o.Cycle != c || where == "" {
						continue
					}
					in := b == Whole
					switch b {
					case ByOrganisation:
						in = (where == "own" && key == strconv.FormatInt(o.Org, 10)) || (where != "own" && key == PoolRow)
					case ByRegion:
						in = (where != "nation" && key == strconv.FormatInt(o.Region, 10)) || (where == "nation" && key == PoolRow)
					case ByOrgType:
						in = (where == "own" && key == o.Type) || (where != "own" && key == PooledRow)
					}
					if in {
						scores[o.Org] = true
						change[o.Org] = o.Change
					}
				}
				return scores, change
			}
			emit := func(b Breakdown, row Row) {
				scores, change := members(b, row.Key)
				if !row.Hidden {
					v := make([]int, len(coords))
					for i, co := range coords {
						if scores[co.org] && co.cycle == c {
							v[i] = 1
						}
					}
					rows = append(rows, v)
				}
				if !row.ChangeHidden {
					v := make([]int, len(coords))
					for i, co := range coords {
						p := orgs[co.org][co.person]
						_, now := p.sat[c]
						_, before := p.sat[c-1]
						if !change[co.org] || !now || !before {
							continue
						}
						switch co.cycle {
						case c:
							v[i] = 1
						case c - 1:
							v[i] = -1
						}
					}
					rows = append(rows, v)
				}
			}
			emit(Whole, comb.Whole)
			for _, tb := range comb.Tables {
				for _, row := range tb.Rows {
					emit(tb.Breakdown, row)
				}
			}
		}
	}
	if u := attacker(t, rows, owner, DefaultK); u != nil {
		var who []coord
		for _, i := range u {
			who = append(who, coords[i])
		}
		return fmt.Sprint(who)
	}
	return ""
}

func TestSmallOrganisationsArePooled(t *testing.T) {
	domains, bands := []string{"1"}, []string{"Low"}
	total := func(org, region int64, typ string, people int64, shown bool) OrgTotal {
		return OrgTotal{Org: org, Region: region, Type: typ, Scores: shown, Change: shown,
			Tally: Tally{Cycle: 2025, Domain: "1", Band: "Low", People: people, NowTenths: people * 50}}
	}
	totals := []OrgTotal{
		total(1, 100, "nhs_trust", 40, true),
		total(2, 100, "care_home", 3, false), total(3, 100, "care_home", 4, false), // a pool of 7 in region 100
		total(4, 200, "nhs_trust", 30, true),
		total(5, 200, "care_home", 2, false), // too small even nationally alone
		total(6, 300, "hospice", 3, false),   // joins 5 in a national pool of 5
	}
	c := Combine(totals, 2025, DefaultK, true, domains, bands)
	want := map[int64]string{1: "own", 2: "region", 3: "region", 4: "own", 5: "nation", 6: "nation"}
	for id, w := range want {
		if c.Counted[id] != w {
			t.Errorf("organisation %d counted %q, want %q", id, c.Counted[id], w)
		}
	}
	if c.Whole.People != 82 {
		t.Errorf("the nation counts %d people, want 82", c.Whole.People)
	}
	region := Combine(totals[:3], 2025, DefaultK, false, domains, bands)
	if len(region.Tables[0].Rows) != 2 || region.Whole.People != 47 {
		t.Errorf("region: %+v", region.Tables[0].Rows)
	}
	alone := Combine(totals[3:5], 2025, DefaultK, false, domains, bands)
	if alone.Whole.People != 30 || alone.Left != 1 {
		t.Errorf("a pool of two must be left out of the region: %+v", alone.Whole)
	}
}
