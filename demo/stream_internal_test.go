package demo

import (
	"slices"
	"testing"

	"upskill"
	"upskill/framework"
	"upskill/store"
)

// A streamed load makes exactly the data one load would, in parts.
func TestStreamedPartsMakeTheSameData(t *testing.T) {
	f, err := framework.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := &f.Version
	// Ids as a store would give them, so that the attempts can be made.
	id := int64(0)
	for i := range v.Domains {
		for j := range v.Domains[i].Capabilities {
			id++
			v.Domains[i].Capabilities[j].ID = id
		}
	}
	for i := range v.Questions {
		for j := range v.Questions[i].Options {
			id++
			v.Questions[i].Options[j].ID = id
		}
		id++
		v.Questions[i].ID = id
	}
	where := Placement{NationID: 1, Regions: map[string]int64{}, Version: v}
	opt := Options{Orgs: 12, Staff: 3000, Seed: 5, Attempts: true, NoLearning: true}
	whole := Generate(opt, where)

	defer func(n int) { streamPart = n }(streamPart)
	streamPart = 700
	var parts []store.Bulk
	next := int64(1000)
	d, err := generate(opt, where, func(b *store.Bulk) error {
		for i := range b.Organisations {
			next++
			b.Organisations[i].ID = next
		}
		parts = append(parts, *b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 4 {
		t.Fatalf("%d parts: the staff were not streamed", len(parts))
	}
	var people []string
	var attempts []upskill.Attempt
	var groups []upskill.StaffGroup
	for _, p := range parts {
		for _, x := range p.People {
			people = append(people, x.Email)
		}
		for _, m := range p.Memberships {
			groups = append(groups, m.StaffGroup)
		}
		attempts = append(attempts, p.Attempts...)
	}
	var wantPeople []string
	for _, x := range whole.Bulk.People {
		wantPeople = append(wantPeople, x.Email)
	}
	var wantGroups []upskill.StaffGroup
	for _, m := range whole.Bulk.Memberships {
		wantGroups = append(wantGroups, m.StaffGroup)
	}
	if !slices.Equal(people, wantPeople) || !slices.Equal(groups, wantGroups) {
		t.Fatalf("the staff differ: %d people streamed, %d made at once", len(people), len(wantPeople))
	}
	if len(attempts) != len(whole.Bulk.Attempts) || d.Attempts != len(attempts) {
		t.Fatalf("%d attempts streamed (%d counted), %d made at once", len(attempts), d.Attempts, len(whole.Bulk.Attempts))
	}
	for i, a := range attempts {
		w := whole.Bulk.Attempts[i]
		if !a.SubmittedAt.Equal(w.SubmittedAt) || a.Status != w.Status || !slices.Equal(a.Answers, w.Answers) {
			t.Fatalf("attempt %d differs", i)
		}
	}
	if d.Units != len(whole.Bulk.Units) || d.Logins.NationalAdmin != whole.Logins.NationalAdmin {
		t.Fatalf("units %d against %d, or another national admin", d.Units, len(whole.Bulk.Units))
	}
	// Sites come with their organisation's staff, under its stored id.
	var sites []upskill.Site
	for _, p := range parts[1:] {
		sites = append(sites, p.Sites...)
	}
	if len(sites) == 0 || len(sites) != len(whole.Bulk.Sites) || len(parts[0].Sites) != 0 {
		t.Fatalf("%d sites streamed, %d made at once", len(sites), len(whole.Bulk.Sites))
	}
	for i, st := range sites {
		if st.OrganisationID <= 1000 || st.Name != whole.Bulk.Sites[i].Name {
			t.Fatalf("site %d streamed as %+v", i, st)
		}
	}
}
