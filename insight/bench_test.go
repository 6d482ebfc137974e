package insight

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// largeOrganisation is a trust of n staff over three years: 40
// departments of very different sizes, nine staff groups and nine pay
// bands, about 70% taking part each year.
func largeOrganisation(n int) []person {
	rng := rand.New(rand.NewPCG(42, 1))
	groups := []string{"Nursing", "Medical", "Admin", "Allied", "Science", "Support", "Estates", "Students", "Other"}
	bands := []string{"Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b", "Band 9"}
	staff := make([]person, n)
	for i := range staff {
		dept := int64(1 + int(40*rng.Float64()*rng.Float64())) // a few big departments, many small
		g := Group{Department: dept, StaffGroup: groups[rng.IntN(len(groups))], PayBand: bands[rng.IntN(len(bands))]}
		p := person{sat: map[Cycle]Group{}, now: g}
		for c := Cycle(2023); c <= 2025; c++ {
			if rng.IntN(10) < 7 {
				p.sat[c] = g
			}
		}
		staff[i] = p
	}
	return staff
}

func TestLayoutOfALargeOrganisation(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, n := range []int{1000, 10000} {
		staff := largeOrganisation(n)
		entries := entriesOf(staff)
		start := time.Now()
		p, keys := ScoreTables(entries)
		h := Decide(p, keys, DefaultK)
		t.Log(fmt.Sprintf("%d staff: %d microcells, %d cells, %d hidden, %v", n, len(entries), len(keys), len(h), time.Since(start)))
	}
}
