package demo

import (
	"fmt"
	"io"
	"slices"

	"upskill"
)

// reportOrder is the order in which organisations of each type are shown:
// the kinds most people will try first.
var reportOrder = []upskill.OrgType{
	upskill.OrgNHSTrust, upskill.OrgGPPractice, upskill.OrgCareHome, upskill.OrgHomeCare,
	upskill.OrgLocalAuthority, upskill.OrgHospice, upskill.OrgICB,
}

// shownOrgs is how many organisations the report lists, to keep it to a
// screen.
const shownOrgs = 5

// Summary says in a sentence what was made.
func (d *Data) Summary() string {
	var regions, orgs int
	for _, o := range d.Bulk.Organisations {
		if o.Level == upskill.LevelRegion {
			regions++
		} else {
			orgs++
		}
	}
	regionNote := ""
	if regions < len(Regions) {
		regionNote = fmt.Sprintf(" (%d of them new)", regions)
	}
	return fmt.Sprintf("%s organisations in %d regions%s, %s departments and teams, %s staff",
		thousands(orgs), len(Regions), regionNote, thousands(len(d.Bulk.Units)), thousands(d.Options.Staff))
}

// WriteLogins prints the demo accounts to sign in with: the national admin,
// every region lead, and an admin, a supervisor and a learner in one
// organisation of each of the main types. It is about 35 lines.
func (d *Data) WriteLogins(w io.Writer, password string) error {
	ew := &errWriter{w: w}
	ew.printf("Every demo account has the same password: %s\n\n", password)
	ew.printf("National admin (sees the whole service):\n  %s\n\n", account(d.Logins.NationalAdmin))
	ew.printf("Region leads (see the organisations in their region):\n")
	width := 0
	for _, r := range d.Logins.RegionLeads {
		width = max(width, len(r.Region))
	}
	for _, r := range d.Logins.RegionLeads {
		ew.printf("  %-*s  %s\n", width, r.Region, account(r.Account))
	}
	orgs := slices.Clone(d.Logins.Organisations)
	slices.SortStableFunc(orgs, func(a, b OrgLogins) int {
		return slices.Index(reportOrder, a.Type) - slices.Index(reportOrder, b.Type)
	})
	if len(orgs) > shownOrgs {
		orgs = orgs[:shownOrgs]
	}
	ew.printf("\nIn one organisation of each type:\n")
	for _, o := range orgs {
		ew.printf("  %s (%s, %s)\n", o.Name, o.Type.Label(), o.Region)
		for _, a := range []struct {
			label string
			acct  Account
		}{{"Organisation admin", o.Admin}, {"Supervisor", o.Supervisor}, {"Learner", o.Learner}} {
			if a.acct.Email != "" {
				ew.printf("    %-18s  %s\n", a.label, account(a.acct))
			}
		}
	}
	return ew.err
}

func account(a Account) string { return a.Name + " <" + a.Email + ">" }

// thousands writes n with commas, as NHS style writes numbers.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// errWriter keeps the first write error so that a report is written
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
