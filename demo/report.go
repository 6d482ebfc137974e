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
	summary := fmt.Sprintf("%s organisations in %d regions%s, %s departments and teams, %s staff",
		thousands(orgs), len(Regions), regionNote, thousands(d.Units), thousands(d.Options.Staff))
	if d.Attempts == 0 {
		return summary
	}
	summary = fmt.Sprintf("%s, and %s assessments over %d yearly cycles from %d to %d",
		summary, thousands(d.Attempts), len(cycleOpens), cycleOpens[0].Year(), cycleOpens[len(cycleOpens)-1].Year())
	if d.Open > 0 {
		summary += fmt.Sprintf(" (%s still in progress)", thousands(d.Open))
	}
	if len(d.Bulk.Learning) == 0 {
		return summary
	}
	// The nation owns learning but is not one of the load's organisations.
	ours := map[int64]bool{}
	for _, o := range d.Bulk.Organisations {
		ours[o.ID] = true
	}
	var national, shared, completed int
	for _, it := range d.Bulk.Learning {
		switch {
		case !ours[it.Item.Owner.ID]:
			national++
		case it.Item.Visibility != upskill.VisibleOwner:
			shared++
		}
	}
	for _, e := range d.Bulk.Enrolments {
		if e.Status == upskill.Completed {
			completed++
		}
	}
	summary = fmt.Sprintf("%s.\n%s learning items (%s national, %s local, %s of them shared), %s enrolments, %s of them completed",
		summary, thousands(len(d.Bulk.Learning)), thousands(national), thousands(len(d.Bulk.Learning)-national), thousands(shared),
		thousands(len(d.Bulk.Enrolments)), thousands(completed))
	if len(d.Bulk.Assignments) > 0 {
		summary += fmt.Sprintf(", %s assignments of learning by organisations and supervisors", thousands(len(d.Bulk.Assignments)))
	}
	if d.Badges > 0 {
		summary += fmt.Sprintf(", %s Open Badges issued", thousands(d.Badges))
	}
	return summary
}

// years names years in a list: "2024, 2025 and 2026".
func years(ys []int) string {
	var out string
	for i, y := range ys {
		switch {
		case i == 0:
		case i == len(ys)-1:
			out += " and "
		default:
			out += ", "
		}
		out += fmt.Sprint(y)
	}
	return out
}

// WriteLogins prints the demo accounts to sign in with: the national admin,
// every region lead, and an admin, a supervisor and a learner in one
// organisation of each of the main types. When the demo has attempts, it
// says in which years the learners shown took the assessment, so that
// people know whose reports to look at. It is about 35 lines.
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
	// Learners are shown who took every cycle of the assessment, where an
	// organisation has one; the few who joined since are marked.
	var cycles []int
	for _, open := range cycleOpens {
		cycles = append(cycles, open.Year())
	}
	if d.Attempts > 0 {
		unless := ""
		for _, o := range orgs {
			if !slices.Equal(o.Assessed, cycles) {
				unless = ", unless marked"
			}
		}
		ew.printf("  (Each learner took the assessment in %s%s.\n"+
			"  Sign in as one to see their reports and how their skills changed.)\n", years(cycles), unless)
	}
	for _, o := range orgs {
		ew.printf("  %s (%s, %s)\n", o.Name, o.Type.Label(), o.Region)
		for _, a := range []struct {
			label string
			acct  Account
		}{{"Organisation admin", o.Admin}, {"Supervisor", o.Supervisor}, {"Learner", o.Learner}} {
			if a.acct.Email == "" {
				continue
			}
			note := ""
			if a.label == "Learner" && d.Attempts > 0 && !slices.Equal(o.Assessed, cycles) {
				note = "  (took it in " + years(o.Assessed) + ")"
				if len(o.Assessed) == 0 {
					note = "  (has not taken it yet)"
				}
			}
			ew.printf("    %-18s  %s%s\n", a.label, account(a.acct), note)
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
