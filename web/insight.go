package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"upskill"
	"upskill/insight"
)

// The workforce pages: aggregate figures of digital capability, read from
// the summaries that a background job keeps, with every group too small
// to show hidden, and every group that would give a hidden one away.

// insightLayouts keeps, per organisation and framework, the suppression
// worked out from its summaries, until they change.
type insightLayouts struct {
	mu     sync.Mutex
	m      map[[2]int64]*cachedLayout
	flight singleflight.Group
}

// nationTotals keeps every organisation's whole sums, and the nation's
// figures of each year made from them, until what any organisation shows
// changes.
type nationTotals struct {
	mu       sync.Mutex
	version  int64
	fw       int64
	totals   []insight.OrgTotal
	combined map[insight.Cycle]*insight.Combined
}

// nationFigures returns the nation's figures for a year, as its page
// shows them.
func (s *Server) nationFigures(ctx context.Context, frameworkID int64, cycle insight.Cycle, domains, bands []string) (*insight.Combined, error) {
	if _, err := s.orgTotals(ctx, frameworkID); err != nil {
		return nil, err
	}
	n := &s.nation
	n.mu.Lock()
	defer n.mu.Unlock()
	if c, ok := n.combined[cycle]; ok && n.fw == frameworkID {
		return c, nil
	}
	// The totals as they are now, not as read above: another request may
	// have read newer ones since, and the figures are kept beside them.
	c := insight.Combine(n.totals, cycle, s.cfg.SmallestGroup, true, domains, bands)
	if n.combined == nil {
		n.combined = map[insight.Cycle]*insight.Combined{}
	}
	n.combined[cycle] = c
	return c, nil
}

// orgTotals returns the whole sums of every organisation on a framework.
func (s *Server) orgTotals(ctx context.Context, frameworkID int64) ([]insight.OrgTotal, error) {
	version, err := s.store.InsightNationVersion(ctx)
	if err != nil {
		return nil, err
	}
	n := &s.nation
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.totals != nil && n.version == version && n.fw == frameworkID {
		return n.totals, nil
	}
	totals, err := s.store.InsightOrgTotals(ctx, frameworkID, 0, s.cfg.SmallestGroup)
	if err != nil {
		return nil, err
	}
	if totals == nil {
		totals = []insight.OrgTotal{}
	}
	n.version, n.fw, n.totals, n.combined = version, frameworkID, totals, nil
	return totals, nil
}

// reports keeps each organisation's built figures for a year, until its
// summaries change or its participation is older than participationAge.
type reports struct {
	mu     sync.Mutex
	m      map[reportKey]*cachedReport
	flight singleflight.Group
}

type reportKey struct {
	org, framework int64
	cycle          insight.Cycle
}

type cachedReport struct {
	layout *insight.Layout
	at     time.Time
	report *insight.Report
}

// participationAge is how old the counts of who has taken part may grow
// before they are read again: they change with every membership and every
// attempt started, which the summaries do not follow.
const participationAge = 30 * time.Second

// orgReport returns an organisation's figures for a year, built again only
// when its layout has changed or its participation counts have aged.
func (s *Server) orgReport(ctx context.Context, orgID, frameworkID int64, l *insight.Layout, cycle insight.Cycle, domains, bands []string) (*insight.Report, error) {
	key := reportKey{orgID, frameworkID, cycle}
	s.reports.mu.Lock()
	c := s.reports.m[key]
	s.reports.mu.Unlock()
	if c != nil && c.layout == l && time.Since(c.at) < participationAge {
		return c.report, nil
	}
	// Requests with the same layout wait for one of them, which carries on
	// if its own caller goes away.
	v, err, _ := s.reports.flight.Do(fmt.Sprintf("%v/%p", key, l), func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		at := time.Now()
		staff, err := s.store.InsightStaff(ctx, orgID, frameworkID, cycle)
		if err != nil {
			return nil, err
		}
		rep := insight.Build(l, staff, cycle, s.cfg.SmallestGroup, domains, bands)
		s.reports.mu.Lock()
		if s.reports.m == nil {
			s.reports.m = map[reportKey]*cachedReport{}
		}
		s.reports.m[key] = &cachedReport{layout: l, at: at, report: rep}
		s.reports.mu.Unlock()
		return rep, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*insight.Report), nil
}

type cachedLayout struct {
	version int64
	layout  *insight.Layout
}

// layout returns an organisation's layout, working it out again only
// when its summaries have changed since.
func (s *Server) layout(ctx context.Context, orgID, frameworkID int64) (*insight.Layout, error) {
	l, _, err := s.layoutAt(ctx, orgID, frameworkID)
	return l, err
}

// layoutAt returns an organisation's layout with the version of the
// summaries it was worked out from.
func (s *Server) layoutAt(ctx context.Context, orgID, frameworkID int64) (*insight.Layout, int64, error) {
	version, err := s.store.InsightVersion(ctx, orgID)
	if err != nil {
		return nil, 0, err
	}
	key := [2]int64{orgID, frameworkID}
	s.insight.mu.Lock()
	c := s.insight.m[key]
	s.insight.mu.Unlock()
	if c != nil && c.version == version {
		return c.layout, version, nil
	}
	// Many viewers at once wait for one of them to work it out.
	type laid struct {
		l       *insight.Layout
		version int64
	}
	v, err, _ := s.insight.flight.Do(fmt.Sprintf("%d/%d/%d", orgID, frameworkID, version), func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		l, at, err := s.newLayout(ctx, orgID, frameworkID)
		return laid{l, at}, err
	})
	if err != nil {
		return nil, 0, err
	}
	return v.(laid).l, v.(laid).version, nil
}

// newLayout works out an organisation's layout from its summaries, read
// at one moment, and keeps it under the version they were read at.
func (s *Server) newLayout(ctx context.Context, orgID, frameworkID int64) (*insight.Layout, int64, error) {
	// An earlier decision is used again if where people sat is unchanged:
	// this instance's last for the organisation, or the background job's,
	// which has usually been made by the time anyone looks.
	s.insight.mu.Lock()
	var mine *insight.Decision
	if c := s.insight.m[[2]int64{orgID, frameworkID}]; c != nil {
		mine = c.layout.Decision
	}
	s.insight.mu.Unlock()
	l, version, err := s.workOutLayout(ctx, orgID, frameworkID, mine, s.jobDecision(orgID, frameworkID))
	if err != nil {
		return nil, 0, err
	}
	s.insight.mu.Lock()
	if s.insight.m == nil {
		s.insight.m = map[[2]int64]*cachedLayout{}
	}
	s.insight.m[[2]int64{orgID, frameworkID}] = &cachedLayout{version: version, layout: l}
	s.insight.mu.Unlock()
	return l, version, nil
}

// workOutLayout works out an organisation's layout without keeping it:
// the background job does so for every organisation that changed, and
// keeping them all would hold the whole country's sums in memory.
// earlier are decisions on what to hide, any of them nil, one of which is
// used again if where people sat has not changed since it was made.
func (s *Server) workOutLayout(ctx context.Context, orgID, frameworkID int64, earlier ...*insight.Decision) (*insight.Layout, int64, error) {
	tallies, entries, version, err := s.store.InsightSnapshot(ctx, orgID, frameworkID)
	if err != nil {
		return nil, 0, err
	}
	return insight.LayAgain(tallies, entries, s.cfg.SmallestGroup, earlier...), version, nil
}

// jobDecision returns the background job's last decision on what an
// organisation hides, or nil.
func (s *Server) jobDecision(orgID, frameworkID int64) *insight.Decision {
	if d, ok := s.decisions.Load([2]int64{orgID, frameworkID}); ok {
		return d.(*insight.Decision)
	}
	return nil
}

// RefreshInsight counts every queued attempt into the summaries, in
// batches, then works out again what each changed organisation shows, for
// the pages of regions and the nation. It returns how many attempts it
// counted.
func (s *Server) RefreshInsight(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.store.RefreshInsight(ctx, insightBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n < insightBatch {
			break
		}
	}
	fw, err := s.store.FrameworkByKey(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return total, err
	}
	for {
		stale, err := s.store.InsightStale(ctx, s.cfg.SmallestGroup, 100)
		if err != nil || len(stale) == 0 {
			return total, err
		}
		// Each organisation's suppression is its own work: on every core.
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for _, org := range stale {
			g.Go(func() error {
				l, version, err := s.workOutLayout(ctx, org, fw.ID, s.jobDecision(org, fw.ID))
				if err != nil {
					return err
				}
				s.decisions.Store([2]int64{org, fw.ID}, l.Decision)
				return s.store.SaveInsightShown(ctx, org, fw.ID, version, s.cfg.SmallestGroup, l.Shown())
			})
		}
		if err := g.Wait(); err != nil {
			return total, err
		}
	}
}

// insightBatch is how many attempts one transaction counts: enough to
// share the cost of writing sums, few enough to keep the write short.
const insightBatch = 500

// InsightView is an organisation's page of digital capability.
type InsightView struct {
	Page
	Org       *upskill.Organisation
	Framework string
	K         int
	Cycle     insight.Cycle
	Cycles    []Option
	By        insight.Breakdown
	ByLabel   string
	ByNoun    string // the label in a sentence
	ByOptions []Option
	Domains   []upskill.Domain
	Bands     []string
	Whole     InsightRow
	Rows      []InsightRow // the split asked for
	Tables    map[insight.Breakdown][]InsightRow
	Chart     BandChart
	// NeededChart is where staff's roles need them, beside Chart, where
	// they are.
	NeededChart BandChart
	// Compare sets the organisation beside its region, the nation and
	// organisations of its type, or a department beside its
	// organisation; empty when the figures shown are hidden.
	Compare []InsightRow
	// Department is the department the page is narrowed to, if any, and
	// Departments the choice of them.
	Department  string
	Departments []Option
	Trend       Trend
}

// InsightRow is a row of a table with the name pages show for it, and
// where it leads, if anywhere.
type InsightRow struct {
	Label string
	Href  string
	insight.Row
}

// comparisons sets an organisation's whole figures beside those of its
// region, the nation and the organisations of its type, as the pages of
// the region and the nation show them.
func (s *Server) comparisons(ctx context.Context, org *upskill.Organisation, frameworkID int64, cycle insight.Cycle, domains, bands []string) ([]InsightRow, error) {
	c, err := s.nationFigures(ctx, frameworkID, cycle, domains, bands)
	if err != nil {
		return nil, err
	}
	if c.Counted[org.ID] != "own" {
		return nil, nil
	}
	// A comparison less the organisation itself is the rest of it: it is
	// shown only where that rest is at least two organisations, so that
	// no other organisation's figures can be read from it.
	var out []InsightRow
	for _, tb := range c.Tables {
		for _, row := range tb.Rows {
			if c.Orgs[tb.Breakdown][row.Key] < minCompared {
				continue
			}
			switch {
			case tb.Breakdown == insight.ByRegion && row.Key == strconv.FormatInt(org.ParentID, 10):
				out = append(out, InsightRow{Label: "Your region", Row: row})
			case tb.Breakdown == insight.ByOrgType && row.Key == string(org.Type):
				out = append(out, InsightRow{Label: typePlural(org.Type) + " across the country", Row: row})
			}
		}
	}
	if c.WholeOrgs >= minCompared {
		out = append(out, InsightRow{Label: "The whole country", Row: c.Whole})
	}
	return out, nil
}

// minCompared is the fewest organisations, the one compared among them,
// that a comparison may add up.
const minCompared = 3

// typePlural names organisations of a type in the plural.
func typePlural(t upskill.OrgType) string {
	switch t {
	case upskill.OrgICB:
		return "Integrated care boards"
	case upskill.OrgOther:
		return "Other organisations"
	case upskill.OrgHomeCare:
		return "Home care providers"
	case upskill.OrgLocalAuthority:
		return "Local authorities"
	case upskill.OrgHospice:
		return "Hospices"
	}
	if l := t.Label(); l != "" {
		return l + "s"
	}
	return "Organisations of the same type"
}

// CombinedView is a region's or the nation's page of digital capability.
type CombinedView struct {
	Page
	Org         *upskill.Organisation
	Framework   string
	K           int
	Cycle       insight.Cycle
	Cycles      []Option
	By          insight.Breakdown
	ByLabel     string
	ByNoun      string
	ByOptions   []Option // the nation's splits; empty for a region
	Domains     []upskill.Domain
	Bands       []string
	Whole       InsightRow
	Rows        []InsightRow // the split asked for
	Tables      map[insight.Breakdown][]InsightRow
	Chart       BandChart
	NeededChart BandChart
	Pooled      int
	Left        int
	Trend       Trend
}

var combinedLabels = map[insight.Breakdown]string{
	insight.ByOrganisation: "Organisation",
	insight.ByRegion:       "Region",
	insight.ByOrgType:      "Type of organisation",
}

// combinedInsightView gathers the figures of a region (by organisation)
// or of the nation (by region and by type of organisation).
func (s *Server) combinedInsightView(r *request) (*CombinedView, error) {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return nil, err
	}
	nation := r.org.Level == upskill.LevelNation
	var totals []insight.OrgTotal
	if nation {
		totals, err = s.orgTotals(ctx, fw.ID)
	} else {
		totals, err = s.store.InsightOrgTotals(ctx, fw.ID, r.org.ID, s.cfg.SmallestGroup)
	}
	if err != nil {
		return nil, err
	}
	domains, bands := frameworkCodes(version)
	q := r.URL.Query()
	cycle, err := chooseCycle(r, insight.Cycles(totals))
	if err != nil {
		return nil, err
	}
	by := insight.ByOrganisation
	if nation {
		by = insight.ByRegion
	}
	if b := q.Get("by"); b != "" {
		by = insight.Breakdown(b)
		if nation && by != insight.ByRegion && by != insight.ByOrgType || !nation && by != insight.ByOrganisation {
			what := "region or type of organisation"
			if !nation {
				what = "organisation"
			}
			return nil, upskill.Errorf(upskill.EINVALID, "Figures here can be split by %s only.", what)
		}
	}
	var c *insight.Combined
	if nation {
		c, err = s.nationFigures(ctx, fw.ID, cycle, domains, bands)
		if err != nil {
			return nil, err
		}
	} else {
		c = insight.Combine(totals, cycle, s.cfg.SmallestGroup, nation, domains, bands)
	}

	v := &CombinedView{Org: r.org, Framework: fw.Name, K: s.cfg.SmallestGroup, Cycle: cycle, By: by,
		ByLabel: combinedLabels[by], ByNoun: strings.ToLower(combinedLabels[by]), Domains: version.Domains, Bands: bands,
		Pooled: c.Pooled, Left: c.Left}
	v.Cycles = cycleOptions(c.Cycles, cycle)
	if nation {
		for _, b := range []insight.Breakdown{insight.ByRegion, insight.ByOrgType} {
			v.ByOptions = append(v.ByOptions, Option{Value: string(b), Label: combinedLabels[b], Selected: b == by})
		}
	}
	names, err := s.store.ChildNames(ctx, r.org.ID)
	if err != nil {
		return nil, err
	}
	v.Whole = InsightRow{Label: r.org.Name, Row: c.Whole}
	v.Tables = map[insight.Breakdown][]InsightRow{}
	for _, tb := range c.Tables {
		var rows []InsightRow
		for _, row := range tb.Rows {
			ir := InsightRow{Row: row}
			switch {
			case row.Key == insight.PoolRow || row.Key == insight.PooledRow:
				ir.Label = "Smaller organisations, together (each with figures too few to show on their own)"
			case tb.Breakdown == insight.ByOrgType:
				ir.Label = typePlural(upskill.OrgType(row.Key))
			default:
				id, _ := strconv.ParseInt(row.Key, 10, 64)
				ir.Label, ir.Href = names[id], "/organisations/"+row.Key+"/insight?cycle="+strconv.Itoa(int(cycle))
			}
			rows = append(rows, ir)
		}
		// By name, with the pool last.
		slices.SortStableFunc(rows, func(a, b InsightRow) int {
			pa := a.Key == insight.PoolRow || a.Key == insight.PooledRow
			pb := b.Key == insight.PoolRow || b.Key == insight.PooledRow
			if pa != pb {
				if pa {
					return 1
				}
				return -1
			}
			return strings.Compare(a.Label, b.Label)
		})
		v.Tables[tb.Breakdown] = rows
	}
	v.Rows = v.Tables[by]
	v.Chart, v.NeededChart = bandCharts(version.Domains, bands, c.Whole)
	v.Trend, v.Form, err = newTrend(r, "/organisations/"+strconv.FormatInt(r.org.ID, 10)+"/insight", c.Cycles, version.Domains,
		func(cy insight.Cycle) (InsightRow, error) {
			if nation {
				c, err := s.nationFigures(ctx, fw.ID, cy, domains, bands)
				if err != nil {
					return InsightRow{}, err
				}
				return InsightRow{Row: c.Whole}, nil
			}
			return InsightRow{Row: insight.Combine(totals, cy, s.cfg.SmallestGroup, false, domains, bands).Whole}, nil
		})
	if err != nil {
		return nil, err
	}
	v.Title = "Digital capability"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return nil, err
	}
	return v, nil
}

var breakdownLabels = map[insight.Breakdown]string{
	insight.ByDepartment: "Department",
	insight.ByStaffGroup: "Staff group",
	insight.ByPayBand:    "Pay band",
	insight.BySite:       "Site",
}

func (s *Server) orgInsight(w http.ResponseWriter, r *request) error {
	if r.org.Level != upskill.LevelOrganisation {
		v, err := s.combinedInsightView(r)
		if err != nil {
			return err
		}
		return s.render(w, r, formStatus(v.Form), "insight_combined.html", v, &v.Page)
	}
	v, err := s.orgInsightView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, formStatus(v.Form), "insight.html", v, &v.Page)
}

// orgInsightView gathers an organisation's figures for the year and split
// the request asks for.
func (s *Server) orgInsightView(r *request) (*InsightView, error) {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return nil, err
	}
	l, err := s.layout(ctx, r.org.ID, fw.ID)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	cycle, err := chooseCycle(r, l.Cycles)
	if err != nil {
		return nil, err
	}
	by := insight.ByDepartment
	if b := q.Get("by"); b != "" {
		by = insight.Breakdown(b)
		if _, ok := breakdownLabels[by]; !ok {
			return nil, upskill.Errorf(upskill.EINVALID, "Figures can be split by department, staff group, pay band or site only.")
		}
	}
	domains, bands := frameworkCodes(version)
	report, err := s.orgReport(ctx, r.org.ID, fw.ID, l, cycle, domains, bands)
	if err != nil {
		return nil, err
	}

	v := &InsightView{Org: r.org, Framework: fw.Name, K: s.cfg.SmallestGroup, Cycle: cycle, By: by,
		ByLabel: breakdownLabels[by], ByNoun: strings.ToLower(breakdownLabels[by]), Domains: version.Domains, Bands: bands}
	v.Cycles = cycleOptions(report.Cycles, cycle)
	for _, b := range insight.Breakdowns {
		v.ByOptions = append(v.ByOptions, Option{Value: string(b), Label: breakdownLabels[b], Selected: b == by})
	}
	v.Whole = InsightRow{Label: r.org.Name, Row: report.Whole}
	v.Tables = map[insight.Breakdown][]InsightRow{}
	for _, t := range report.Tables {
		names, err := s.rowNames(ctx, r.org.ID, t.Breakdown)
		if err != nil {
			return nil, err
		}
		for _, row := range t.Rows {
			v.Tables[t.Breakdown] = append(v.Tables[t.Breakdown], InsightRow{Label: names(row.Key), Row: row})
		}
	}
	v.Rows = v.Tables[by]
	v.Chart, v.NeededChart = bandCharts(version.Domains, bands, report.Whole)
	if raw := q.Get("department"); raw != "" {
		if err := s.narrowToDepartment(ctx, r.org, v, raw); err != nil {
			return nil, err
		}
	} else if !report.Whole.Hidden {
		others, err := s.comparisons(ctx, r.org, fw.ID, cycle, domains, bands)
		if err != nil {
			return nil, err
		}
		if len(others) > 0 {
			v.Compare = append([]InsightRow{v.Whole}, others...)
		}
	}
	if v.Departments, err = s.departmentOptions(ctx, r.org.ID, v.Department); err != nil {
		return nil, err
	}
	department := ""
	if v.Department != "" {
		department = v.Whole.Key
	}
	v.Trend, v.Form, err = newTrend(r, "/organisations/"+strconv.FormatInt(r.org.ID, 10)+"/insight", report.Cycles, version.Domains,
		func(c insight.Cycle) (InsightRow, error) {
			if department == "" {
				return InsightRow{Row: l.ScoreRow(c, insight.Whole, "", domains, bands)}, nil
			}
			return InsightRow{Row: l.ScoreRow(c, insight.ByDepartment, department, domains, bands)}, nil
		})
	if err != nil {
		return nil, err
	}
	v.Title = "Digital capability"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return nil, err
	}
	return v, nil
}

// narrowToDepartment sets out one department's figures as the page sets
// out the whole organisation's: they are its row of the table by
// department, which the suppression already covers, so narrowing shows
// nothing the table does not. The splits stay the organisation's.
func (s *Server) narrowToDepartment(ctx context.Context, org *upskill.Organisation, v *InsightView, raw string) error {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return upskill.Errorf(upskill.EINVALID, "Choose a department from the list on the page.")
	}
	unit, err := s.store.Unit(ctx, org.ID, id)
	if err != nil {
		return err
	}
	if unit.Kind != upskill.UnitDepartment {
		return upskill.Errorf(upskill.EINVALID, "Figures are kept by department, not by team. Choose a department from the list on the page.")
	}
	key := strconv.FormatInt(id, 10)
	row := InsightRow{Label: unit.Name, Row: insight.Row{Key: key, Hidden: true, ChangeHidden: true, ParticipationHidden: true}}
	for _, r := range v.Tables[insight.ByDepartment] {
		if r.Key == key {
			row = r
		}
	}
	if !row.Hidden && !v.Whole.Hidden {
		v.Compare = []InsightRow{row, {Label: "The whole organisation", Row: v.Whole.Row}}
	}
	v.Department, v.Whole = unit.Name, row
	v.Chart, v.NeededChart = bandCharts(v.Domains, v.Bands, row.Row)
	return nil
}

// departmentOptions offers the organisation's departments to narrow the
// page to, the one shown marked.
func (s *Server) departmentOptions(ctx context.Context, orgID int64, shown string) ([]Option, error) {
	depts, err := s.store.DepartmentNames(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := []Option{{Value: "", Label: "The whole organisation", Selected: shown == ""}}
	for _, d := range depts {
		out = append(out, Option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name, Selected: d.Name == shown})
	}
	return out, nil
}

// formStatus answers a page of choices with 400 when a choice was wrong.
func formStatus(f *Form) int {
	if f.HasErrors() {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// Trend is the figures of every year in a date range, as the page of each
// year shows them: no new figures, so nothing the suppression of each
// year does not cover.
type Trend struct {
	Rows     []InsightRow // a year each, latest first
	From, To DateField
	Keep     []Option // the page's other choices, sent again with the dates
	Action   string
	Domains  []upskill.Domain
	CSV      string
}

// trendRange reads the date range a request asks for. Figures are kept
// by year, so the range picks the years it touches: by default every
// year. A date that does not exist, a start after the end or in the
// future, are put to the form and no year is picked.
func trendRange(f *Form, now time.Time) (pick func(insight.Cycle) bool) {
	from, hasFrom := readDate(f, "from", "Enter a real date for the start, like 1 4 2024")
	to, hasTo := readDate(f, "to", "Enter a real date for the end, like 31 3 2026")
	if f.HasErrors() {
		return func(insight.Cycle) bool { return false }
	}
	switch {
	case hasFrom && from.After(now):
		f.Add("from_day", "The start of the date range must be today or in the past")
	case hasFrom && hasTo && from.After(to):
		f.Add("from_day", "The start of the date range must be on or before its end")
	}
	if f.HasErrors() {
		return func(insight.Cycle) bool { return false }
	}
	return func(c insight.Cycle) bool {
		start, end := c.Start(), c.End()
		return (!hasTo || !start.After(to)) && (!hasFrom || end.After(from))
	}
}

// newTrend sets out the years a request's date range picks, each row made
// by row for that year.
func newTrend(r *request, action string, cycles []insight.Cycle, domains []upskill.Domain, row func(insight.Cycle) (InsightRow, error)) (Trend, *Form, error) {
	q := r.URL.Query()
	f := newForm(q)
	t := Trend{Action: action, Domains: domains,
		From: dateField(f, "from", "label", "From", "hint", "For example, 1 4 2024"),
		To:   dateField(f, "to", "label", "To", "hint", "For example, 31 3 2026")}
	pick := trendRange(f, time.Now())
	t.From.Error, t.To.Error = f.ErrorFor("from_day"), f.ErrorFor("to_day")
	for _, name := range []string{"cycle", "by", "department"} {
		if v := q.Get(name); v != "" {
			t.Keep = append(t.Keep, Option{Value: v, Label: name})
		}
	}
	csv := url.Values{"table": {"trend"}}
	for k, vs := range q {
		if k != "table" {
			csv[k] = vs
		}
	}
	t.CSV = action + "/csv?" + csv.Encode()
	for _, c := range cycles {
		if !pick(c) {
			continue
		}
		ir, err := row(c)
		if err != nil {
			return t, f, err
		}
		ir.Label = c.Label()
		t.Rows = append(t.Rows, ir)
	}
	return t, f, nil
}

// frameworkCodes lists a version's domain codes and band names in order.
func frameworkCodes(v *upskill.FrameworkVersion) (domains, bands []string) {
	for _, d := range v.Domains {
		domains = append(domains, d.Code)
	}
	for _, b := range v.Bands {
		bands = append(bands, b.Name)
	}
	return domains, bands
}

// chooseCycle reads the year a request asks for: one of the years with
// figures, latest first by default, or this year when there are none.
func chooseCycle(r *request, cycles []insight.Cycle) (insight.Cycle, error) {
	cycle := insight.CycleOf(time.Now())
	if len(cycles) > 0 {
		cycle = cycles[0]
	}
	if raw := r.URL.Query().Get("cycle"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || !slices.Contains(cycles, insight.Cycle(n)) {
			return 0, upskill.Errorf(upskill.EINVALID, "There are no figures for the year you asked for. Choose a year from the list on the page.")
		}
		cycle = insight.Cycle(n)
	}
	return cycle, nil
}

// cycleOptions offers the years with figures, marking the one shown.
func cycleOptions(cycles []insight.Cycle, shown insight.Cycle) []Option {
	var out []Option
	for _, c := range cycles {
		out = append(out, Option{Value: strconv.Itoa(int(c)), Label: c.Label(), Selected: c == shown})
	}
	if len(out) == 0 {
		out = []Option{{Value: strconv.Itoa(int(shown)), Label: shown.Label(), Selected: true}}
	}
	return out
}

// rowNames returns how to name the rows of a breakdown.
func (s *Server) rowNames(ctx context.Context, orgID int64, by insight.Breakdown) (func(string) string, error) {
	switch by {
	case insight.ByDepartment:
		units, err := s.store.UnitNames(ctx, orgID)
		if err != nil {
			return nil, err
		}
		return namesOf(units, "No department recorded", "A department since removed"), nil
	case insight.BySite:
		sites, err := s.store.SiteNames(ctx, orgID)
		if err != nil {
			return nil, err
		}
		return namesOf(sites, "No site recorded", "A site since removed"), nil
	case insight.ByStaffGroup:
		return func(k string) string {
			if l := upskill.StaffGroup(k).Label(); l != "" {
				return l
			}
			return "Not recorded"
		}, nil
	}
	return func(k string) string {
		if l := upskill.PayBand(k).Label(); l != "" {
			return l
		}
		return "Not recorded"
	}, nil
}

// namesOf names rows keyed by id: "0" is none, and an id no longer
// named is one since removed.
func namesOf(byID map[int64]string, none, gone string) func(string) string {
	names := map[string]string{"0": none}
	for id, name := range byID {
		names[strconv.FormatInt(id, 10)] = name
	}
	return func(k string) string {
		if n, ok := names[k]; ok {
			return n
		}
		return gone
	}
}

// BandChart is a bar chart drawn as SVG: one bar per domain, split by
// the share of staff in each band. The same figures are in a table below
// it, for anyone who cannot see the chart.
type BandChart struct {
	ID, Title     string
	Width, Height int
	Bars          []BandBar
	Legend        []BandKey
}

// BandBar is one domain's bar, with its name on the line above it, so
// that long domain names never run into the bar.
type BandBar struct {
	Label            string
	LabelY, Y, TextY int
	Segments         []BandSegment
}

// BandSegment is one band's part of a bar.
type BandSegment struct {
	X, Width float64
	Fill     string
	Text     string // the share, written on the bar where it fits
	TextX    float64
	TextFill string
}

// BandKey explains one colour.
type BandKey struct {
	X, TextX int
	Fill     string
	Label    string
}

const (
	chartBarWidth   = 680
	chartLabelLine  = 20
	chartBarHeight  = 26
	chartGap        = 14
	chartKeyWidth   = 150
	chartRowHeight  = chartLabelLine + chartBarHeight + chartGap
	chartLegendLine = 34
)

// bandFills colour the bands from lowest to highest, light to dark, with
// the colour for text on each.
var bandFills = []struct{ fill, text string }{
	{"#d8dde0", "#212b32"}, {"#41b6e6", "#212b32"}, {"#005eb8", "#ffffff"},
	{"#003087", "#ffffff"}, {"#330072", "#ffffff"}, {"#212b32", "#ffffff"},
}

// bandCharts draws the share of people in each band, per domain: where
// they are now, and where their roles need them.
func bandCharts(domains []upskill.Domain, bands []string, whole insight.Row) (now, needed BandChart) {
	now = bandChart(domains, bands, whole, func(d insight.DomainFigures) []int64 { return d.Bands })
	now.ID, now.Title = "band-chart-now", "Bar chart of the share of staff in each band now, for each domain. The table below gives the same figures."
	needed = bandChart(domains, bands, whole, func(d insight.DomainFigures) []int64 { return d.NeededBands })
	needed.ID, needed.Title = "band-chart-needed", "Bar chart of the share of staff whose role needs each band, for each domain. The table below gives the same figures."
	return now, needed
}

// bandChart draws the share of people in each band, per domain, counted
// by count.
func bandChart(domains []upskill.Domain, bands []string, whole insight.Row, count func(insight.DomainFigures) []int64) BandChart {
	c := BandChart{Width: chartBarWidth + 10}
	if whole.Hidden {
		return c
	}
	for i, d := range domains {
		row := chartLegendLine + i*chartRowHeight
		y := row + chartLabelLine
		bar := BandBar{Label: d.Code + ". " + d.Name, LabelY: row + 14, Y: y, TextY: y + chartBarHeight/2 + 5}
		if i < len(whole.Domains) {
			var total int64
			for _, n := range count(whole.Domains[i]) {
				total += n
			}
			x := 0.0
			for j, n := range count(whole.Domains[i]) {
				if total == 0 || n == 0 {
					continue
				}
				w := float64(chartBarWidth) * float64(n) / float64(total)
				f := bandFills[j%len(bandFills)]
				seg := BandSegment{X: x, Width: w, Fill: f.fill, TextFill: f.text}
				if w >= 40 {
					seg.Text, seg.TextX = percent(n, total), x+w/2
				}
				bar.Segments = append(bar.Segments, seg)
				x += w
			}
		}
		c.Bars = append(c.Bars, bar)
	}
	for j, b := range bands {
		x := j * chartKeyWidth
		c.Legend = append(c.Legend, BandKey{X: x, TextX: x + 22, Fill: bandFills[j%len(bandFills)].fill, Label: b})
	}
	c.Width = max(c.Width, len(bands)*chartKeyWidth)
	c.Height = chartLegendLine + len(domains)*chartRowHeight
	return c
}

// percent writes n out of total as a whole percentage.
func percent(n, total int64) string {
	if total == 0 {
		return "0%"
	}
	return strconv.FormatInt((200*n+total)/(2*total), 10) + "%"
}

// insightEvery is how often the background job counts queued attempts:
// a submitted attempt shows in the figures within this and a page load.
const insightEvery = 15 * time.Second
