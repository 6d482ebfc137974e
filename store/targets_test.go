package store_test

import (
	"testing"

	"upskill"
	"upskill/store"
	"upskill/store/storetest"
)

func TestTargetProfiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		v := loadSmall(t, s)
		fwID := v.FrameworkID
		national := &upskill.TargetProfile{FrameworkID: fwID, Name: "Nursing", StaffGroup: "nursing_midwifery", Needed: map[string]int{"1.1": 6, "1.2": 7}}
		_, err := s.SaveTargetProfile(ctx, 0, national)
		must(t, err)
		ward := &upskill.TargetProfile{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Ward sisters", JobRole: "Ward Sister", Needed: map[string]int{"1.1": 9}}
		wardID, err := s.SaveTargetProfile(ctx, f.adminA.ID, ward)
		must(t, err)

		// Bad targets are refused and write nothing.
		for _, bad := range []*upskill.TargetProfile{
			{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "", StaffGroup: "nursing_midwifery", Needed: map[string]int{"1.1": 5}},
			{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Both", StaffGroup: "nursing_midwifery", JobRole: "Nurse", Needed: map[string]int{"1.1": 5}},
			{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Too high", StaffGroup: "allied_health", Needed: map[string]int{"1.1": 11}},
			{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Unknown", StaffGroup: "allied_health", Needed: map[string]int{"9.9": 5}},
			{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Empty", StaffGroup: "allied_health", Needed: map[string]int{}},
		} {
			_, err := s.SaveTargetProfile(ctx, 0, bad)
			wantCode(t, err, upskill.EINVALID)
		}
		_, err = s.SaveTargetProfile(ctx, 0, &upskill.TargetProfile{FrameworkID: fwID, OrganisationID: f.orgA.ID, Name: "Again", JobRole: "ward sister", Needed: map[string]int{"1.1": 1}})
		wantCode(t, err, upskill.ECONFLICT)
		list, err := s.TargetProfiles(ctx, fwID, f.orgA.ID)
		must(t, err)
		if len(list) != 1 || list[0].Needed["1.1"] != 9 {
			t.Fatalf("A's targets: %+v", list)
		}

		// The most specific target applies.
		for _, c := range []struct {
			org   int64
			group upskill.StaffGroup
			role  string
			want  string
		}{
			{f.orgA.ID, "nursing_midwifery", "ward sister", "Ward sisters"},
			{f.orgA.ID, "nursing_midwifery", "Staff nurse", "Nursing"},
			{f.orgB.ID, "nursing_midwifery", "Ward Sister", "Nursing"}, // B has none of its own
			{f.orgA.ID, "admin_clerical", "Receptionist", ""},
		} {
			got, err := s.TargetFor(ctx, fwID, c.org, c.group, c.role)
			must(t, err)
			name := ""
			if got != nil {
				name = got.Name
			}
			if name != c.want {
				t.Errorf("TargetFor(%v, %q) = %q, want %q", c.group, c.role, name, c.want)
			}
		}

		// Another organisation cannot read, change or delete A's target.
		_, err = s.TargetProfile(ctx, f.orgB.ID, wardID)
		wantCode(t, err, upskill.ENOTFOUND)
		_, err = s.SaveTargetProfile(ctx, f.adminB.ID, &upskill.TargetProfile{ID: wardID, FrameworkID: fwID, OrganisationID: f.orgB.ID, Name: "Mine", JobRole: "x", Needed: map[string]int{"1.1": 1}})
		wantCode(t, err, upskill.ENOTFOUND)
		wantCode(t, s.DeleteTargetProfile(ctx, f.adminB.ID, f.orgB.ID, wardID), upskill.ENOTFOUND)

		ward.ID, ward.Needed = wardID, map[string]int{"1.2": 4}
		_, err = s.SaveTargetProfile(ctx, f.adminA.ID, ward)
		must(t, err)
		got, err := s.TargetProfile(ctx, f.orgA.ID, wardID)
		must(t, err)
		if len(got.Needed) != 1 || got.Needed["1.2"] != 4 {
			t.Fatalf("after replacing: %+v", got.Needed)
		}
		must(t, s.DeleteTargetProfile(ctx, f.adminA.ID, f.orgA.ID, wardID))
		_, err = s.TargetProfile(ctx, f.orgA.ID, wardID)
		wantCode(t, err, upskill.ENOTFOUND)
	})
}
