package insight

import "testing"

func TestSpecialists(t *testing.T) {
	trust := []Specialists{
		{Org: 1, Role: "data_analyst", Level: "practitioner", People: 6},
		{Org: 1, Role: "data_analyst", Level: "senior", People: 3},
		{Org: 1, Role: "data_engineer", Level: "practitioner", People: 5},
		{Org: 1, Role: "clinical_safety_officer", Level: "lead", People: 1},
	}
	r := OrgSpecialists(trust, DefaultK)
	if r.Total.Hidden || r.Total.People != 15 {
		t.Fatalf("total: %+v", r.Total)
	}
	byRole := map[string]Count{}
	for _, c := range r.Tables[ByRole] {
		byRole[c.Key] = c
	}
	// One clinical safety officer is hidden, and so, to protect them, is
	// another role: the total less the shown roles would give them away.
	if !byRole["clinical_safety_officer"].Hidden || (!byRole["data_analyst"].Hidden && !byRole["data_engineer"].Hidden) {
		t.Fatalf("roles: %+v", byRole)
	}
	// The region counts only what each organisation shows.
	home := []Specialists{{Org: 2, Role: "data_analyst", Level: "junior", People: 2}}
	c := CombinedSpecialists(append(trust, home...), DefaultK)
	if !c.Partial {
		t.Fatal("hidden figures were left out without saying so")
	}
	var shown int
	for _, x := range r.Tables[ByRole] {
		if !x.Hidden {
			shown += x.People
		}
	}
	if c.Total.People != shown {
		t.Fatalf("the region counts %d, the organisations show %d", c.Total.People, shown)
	}
}

func TestAttackerRecoversNoSpecialist(t *testing.T) {
	roles := []string{"data_analyst", "data_analyst", "data_engineer", "software_developer", "clinical_safety_officer", "user_researcher"}
	levels := []string{"practitioner", "practitioner", "senior", "junior", "lead"}
	for seed := range 4 {
		type holder struct{ role, level string }
		var people []holder
		for i := range 25 {
			people = append(people, holder{roles[(i*7+seed)%len(roles)], levels[(i*3+seed*5)%len(levels)]})
		}
		count := map[holder]int{}
		for _, p := range people {
			count[p]++
		}
		var in []Specialists
		for h, n := range count {
			in = append(in, Specialists{Org: 1, Role: h.role, Level: h.level, People: n})
		}
		r := OrgSpecialists(in, DefaultK)
		var rows [][]int
		owner := make([]int, len(people))
		for i := range owner {
			owner[i] = i
		}
		add := func(in func(holder) bool) {
			v := make([]int, len(people))
			for i, p := range people {
				if in(p) {
					v[i] = 1
				}
			}
			rows = append(rows, v)
		}
		if !r.Total.Hidden {
			add(func(holder) bool { return true })
		}
		hidden := 0
		for b, table := range r.Tables {
			for _, c := range table {
				if c.Hidden {
					hidden++
					continue
				}
				add(func(h holder) bool {
					switch b {
					case ByFamily:
						return familyOf(h.role) == c.Key
					case ByRole:
						return h.role == c.Key
					}
					return h.level == c.Key
				})
			}
		}
		if hidden == 0 {
			t.Fatalf("seed %d: nothing hidden, so nothing tested", seed)
		}
		if u := attacker(t, rows, owner, DefaultK); u != nil {
			t.Fatalf("seed %d: the attacker counted specialists %v", seed, u)
		}
	}
}
