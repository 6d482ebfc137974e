package insight

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
		g := Group{Department: dept, StaffGroup: groups[rng.IntN(len(groups))], PayBand: bands[rng.IntN(len(bands))], Site: dept%4 + 1}
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

// BenchmarkDecide times working out what to hide for a trust of 1,000
// and of 10,000 staff over three years.
func BenchmarkDecide(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		entries := entriesOf(largeOrganisation(n))
		p, keys := ScoreTables(entries)
		b.Run(fmt.Sprintf("staff=%d", n), func(b *testing.B) {
			for b.Loop() {
				Decide(p, keys, DefaultK)
			}
		})
	}
}
