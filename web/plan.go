package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
	"upskill/insight"
	"upskill/store"
)

// The digital workforce plan: for each domain, how many staff are below
// their role's target, the learning that would close the gap and the
// hours it would take, and progress against the dated plan of an
// organisation, a region or the nation. Every figure comes from the
// figures pages: an organisation's whole, shown or hidden as there, or a
// region's or the nation's, which add up organisations as there.

// PlanView is the planning page of an organisation, a region or the
// nation.
type PlanView struct {
	Page
	Org        *upskill.Organisation
	Framework  string
	K          int
	Cycle      insight.Cycle
	Hidden     bool // no figures to plan from this year
	Plan       *insight.Plan
	CanSet     bool
	Domains    []PlanRow
	TotalHours int64
	// For a region, its organisations; for the nation, its regions.
	ByLabel  string
	Children []PlanChild
}

// PlanChild is an organisation of a region, or a region of the nation, on
// the plan of the level above: its staff below target in each domain, as
// the figures pages show them, and how it stands against its own plan.
type PlanChild struct {
	Label, Href string
	Hidden      bool
	Submitted   int64
	Below       []int64 // by domain
	HasPlan     bool
	Planned     int // domains its plan sets a target for
	OnTrack     int // of them, those at or past where they should be
}

// PlanRow is one domain of the plan.
type PlanRow struct {
	Code, Name string
	Submitted  int64
	Below      int64
	Reached    float64 // per cent
	Learned    float64 // of those below, per cent who have done learning for it since
	// LearnedHidden is set when fewer than k are below, too few for
	// Learned to be shown.
	LearnedHidden bool
	Target        int     // 0 when the plan has none
	Expected      float64 // where the plan says the domain should be by now
	OnTrack       bool
	Learning      []PlanLearning
	Minutes       int   // of the learning, per person
	Hours         int64 // for everyone below the target
	NoLearnings   bool
}

// PlanLearning is learning the plan suggests for a domain.
type PlanLearning struct {
	ItemID  int64
	Title   string
	Minutes int
}

// mostLearning is how many items the plan suggests for a domain.
const mostLearning = 3

// planBasis is what a plan is made from: a level's whole figures of a
// year and, above an organisation, the rows of the level below.
type planBasis struct {
	cycle    insight.Cycle
	whole    insight.Row
	byLabel  string
	children []InsightRow
}

// planBasis reads the figures a plan is made from, as the figures page of
// the same level shows them.
func (s *Server) planBasis(r *request) (*planBasis, error) {
	// A plan is the whole organisation's: the figures page's narrowing to
	// a department does not apply.
	if q := r.URL.Query(); q.Has("department") {
		q.Del("department")
		r.URL.RawQuery = q.Encode()
	}
	if r.org.Level == upskill.LevelOrganisation {
		iv, err := s.orgInsightView(r)
		if err != nil {
			return nil, err
		}
		return &planBasis{cycle: iv.Cycle, whole: iv.Whole.Row}, nil
	}
	cv, err := s.combinedInsightView(r)
	if err != nil {
		return nil, err
	}
	by := insight.ByOrganisation
	if r.org.Level == upskill.LevelNation {
		by = insight.ByRegion
	}
	return &planBasis{cycle: cv.Cycle, whole: cv.Whole.Row, byLabel: combinedLabels[by], children: cv.Tables[by]}, nil
}

func (s *Server) plan(w http.ResponseWriter, r *request) error {
	v, err := s.planView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan.html", v, &v.Page)
}

// planExport sends the plan's tables as CSV or XLSX.
func (s *Server) planExport(w http.ResponseWriter, r *request) error {
	v, err := s.planView(r)
	if err != nil {
		return err
	}
	domains := exportTable{Key: "domains", Name: "Plan by domain", Header: []string{"Domain", "Submitted", "Below target",
		"Of those below, learning done since (%)", "Reached the target (%)", "Plan (%)", "Expected by now (%)", "Progress", "Learning that would close the gap",
		"Minutes each", "Hours for everyone below target"}}
	for _, d := range v.Domains {
		row := []any{d.Name}
		if v.Hidden {
			row = append(row, nil, nil, nil, nil)
		} else {
			var learned any = d.Learned
			if d.LearnedHidden {
				learned = nil
			}
			row = append(row, d.Submitted, d.Below, learned, d.Reached)
		}
		progress := "No plan"
		if d.Target > 0 {
			row = append(row, int64(d.Target), d.Expected)
			progress = "Behind"
			if d.OnTrack {
				progress = "On track"
			}
		} else {
			row = append(row, "None set", "None set")
		}
		var titles []string
		for _, l := range d.Learning {
			titles = append(titles, l.Title)
		}
		row = append(row, progress, strings.Join(titles, "; "), int64(d.Minutes), d.Hours)
		domains.Rows = append(domains.Rows, row)
	}
	tables := []exportTable{domains}
	if len(v.Children) > 0 {
		label := combinedLabels[insight.ByOrganisation]
		if r.org.Level == upskill.LevelNation {
			label = combinedLabels[insight.ByRegion]
		}
		children := exportTable{Key: "children", Name: "By " + v.ByLabel, Header: []string{label, "Submitted"}}
		for _, d := range v.Domains {
			children.Header = append(children.Header, "Below target: "+d.Name)
		}
		children.Header = append(children.Header, "Its plan")
		for _, c := range v.Children {
			row := []any{c.Label}
			if c.Hidden {
				row = append(row, nil)
			} else {
				row = append(row, c.Submitted)
			}
			for i := range v.Domains {
				if c.Hidden || i >= len(c.Below) {
					row = append(row, nil)
				} else {
					row = append(row, c.Below[i])
				}
			}
			row = append(row, c.Standing())
			children.Rows = append(children.Rows, row)
		}
		tables = append(tables, children)
	}
	return s.sendTables(w, r, fmt.Sprintf("workforce-plan-%d", r.org.ID), "Digital workforce plan", tables)
}

// Standing says how a region's organisation, or the nation's region,
// stands against its own plan, as the plan page writes it.
func (c PlanChild) Standing() string {
	switch {
	case !c.HasPlan && c.Href != "":
		return "None set"
	case !c.HasPlan:
		return "Not applicable"
	case c.Hidden:
		return "Set; no figures this year"
	}
	unit := "domains"
	if c.Planned == 1 {
		unit = "domain"
	}
	return fmt.Sprintf("On track in %d of %d %s", c.OnTrack, c.Planned, unit)
}

// planView gathers a node's plan and the figures it is set against.
func (s *Server) planView(r *request) (*PlanView, error) {
	ctx := r.Context()
	basis, err := s.planBasis(r)
	if err != nil {
		return nil, err
	}
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return nil, err
	}
	p, err := s.store.WorkforcePlan(ctx, r.org.ID, fw.ID)
	if err != nil {
		return nil, err
	}
	whole := basis.whole
	v := &PlanView{Org: r.org, Framework: fw.Name, K: s.cfg.SmallestGroup, Cycle: basis.cycle, Hidden: whole.Hidden, Plan: p,
		CanSet: r.actor.Can(upskill.SetPlan, r.org.Ref()), ByLabel: strings.ToLower(basis.byLabel)}
	// Learning for an organisation is what its staff can find; above
	// one, what every organisation can.
	var finders []int64
	if r.org.Level == upskill.LevelOrganisation {
		finders = []int64{r.org.ID}
	}
	now := time.Now()
	for i, d := range version.Domains {
		row := PlanRow{Code: d.Code, Name: d.Name}
		if pd, ok := p.Domain(d.Code); ok {
			row.Target = pd.Target
			row.Expected = p.Expected(pd, now)
		}
		if !whole.Hidden && i < len(whole.Domains) {
			f := whole.Domains[i]
			row.Submitted, row.Below = f.People, f.Below
			row.Reached = share(f.Reached, f.People)
			row.Learned, row.LearnedHidden = share(f.Learned, f.Below), f.Below > 0 && !f.LearnedShown(s.cfg.SmallestGroup)
			row.OnTrack = row.Target > 0 && row.Reached >= row.Expected
			if row.Below > 0 {
				if row.Learning, err = s.closingLearning(ctx, finders, fw.ID, &d, f, version.Levels); err != nil {
					return nil, err
				}
				for _, l := range row.Learning {
					row.Minutes += l.Minutes
				}
				row.Hours = int64(math.Ceil(float64(row.Below) * float64(row.Minutes) / 60))
				row.NoLearnings = len(row.Learning) == 0
			}
		}
		v.TotalHours += row.Hours
		v.Domains = append(v.Domains, row)
	}
	if basis.children != nil {
		plans, err := s.store.ChildPlans(ctx, r.org.ID, fw.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range basis.children {
			v.Children = append(v.Children, planChild(c, plans, version.Domains, now))
		}
	}
	v.Title = "Digital workforce plan"
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return nil, err
	}
	return v, nil
}

// planChild sets out a row of a region's or the nation's figures on its
// plan: a pool of small organisations has no plan or page of its own.
func planChild(c InsightRow, plans map[int64]*insight.Plan, domains []upskill.Domain, now time.Time) PlanChild {
	pc := PlanChild{Label: c.Label, Hidden: c.Hidden, Submitted: c.People}
	for i := range domains {
		if !c.Hidden && i < len(c.Domains) {
			pc.Below = append(pc.Below, c.Domains[i].Below)
		}
	}
	id, err := strconv.ParseInt(c.Key, 10, 64)
	if err != nil {
		return pc
	}
	pc.Href = "/organisations/" + c.Key + "/plan"
	p := plans[id]
	if p == nil {
		return pc
	}
	pc.HasPlan = true
	for i, d := range domains {
		pd, ok := p.Domain(d.Code)
		if !ok {
			continue
		}
		pc.Planned++
		if !c.Hidden && i < len(c.Domains) && share(c.Domains[i].Reached, c.Domains[i].People) >= p.Expected(pd, now) {
			pc.OnTrack++
		}
	}
	return pc
}

// closingLearning picks the learning that would close a domain's gap: of
// the learning the finders can find, the recommendations for someone at
// the domain's average now and needed, in every statement of the domain,
// taken in order while each covers a statement the ones before did not.
func (s *Server) closingLearning(ctx context.Context, finders []int64, frameworkID int64, d *upskill.Domain, f insight.DomainFigures, levels []upskill.FrameworkLevel) ([]PlanLearning, error) {
	var gaps []upskill.Gap
	var codes []string
	for _, c := range d.Capabilities {
		needed := max(f.Needed, f.Now+1)
		gaps = append(gaps, upskill.Gap{Code: c.Code, Statement: c.Statement, Now: f.Now, Needed: needed})
		codes = append(codes, c.Code)
	}
	candidates, _, err := s.store.RecommendationCandidates(ctx, store.CandidateQuery{OrgIDs: finders, HomeOrg: home(finders),
		FrameworkID: frameworkID, Codes: codes})
	if err != nil {
		return nil, err
	}
	recs := upskill.Recommend(upskill.RecommendInput{Gaps: gaps, Levels: levels, Candidates: candidates, Limit: 20})
	covered := map[string]bool{}
	var chosen []upskill.Recommendation
	for _, rec := range recs {
		adds := false
		for _, m := range rec.Mappings {
			if slices.Contains(codes, m.CapabilityCode) && !covered[m.CapabilityCode] {
				covered[m.CapabilityCode], adds = true, true
			}
		}
		if adds {
			chosen = append(chosen, rec)
		}
		if len(chosen) == mostLearning {
			break
		}
	}
	if err := s.store.DescribeCandidates(ctx, chosen); err != nil {
		return nil, err
	}
	out := make([]PlanLearning, len(chosen))
	for i, c := range chosen {
		out[i] = PlanLearning{ItemID: c.ItemID, Title: c.Title, Minutes: c.Minutes}
	}
	return out, nil
}

// PlanFormView sets the plan.
type PlanFormView struct {
	Page
	Org     *upskill.Organisation
	Due     DateField
	Targets []Field
}

func (s *Server) planForm(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, version, err := s.store.PublishedVersion(ctx, s.cfg.FrameworkKey)
	if err != nil {
		return err
	}
	f := newForm(r.PostForm)
	status := http.StatusOK
	if r.Method == http.MethodPost {
		basis, err := s.planBasis(r)
		if err != nil {
			return err
		}
		whole := basis.whole
		p := &insight.Plan{StartsAt: time.Now()}
		p.DueAt, _ = readDate(f, "due", "Enter a real date, like 31 3 2028")
		for i, d := range version.Domains {
			raw := f.Get("target_" + d.Code)
			n, err := strconv.Atoi(raw)
			if err != nil {
				n = -1
			}
			pd := insight.PlanDomain{Code: d.Code, Target: n}
			if !whole.Hidden && i < len(whole.Domains) {
				pd.Baseline = share(whole.Domains[i].Reached, whole.Domains[i].People)
			}
			p.Domains = append(p.Domains, pd)
		}
		if !f.HasErrors() {
			err := s.store.SaveWorkforcePlan(ctx, r.actor.PersonID, r.org.ID, fw.ID, p)
			if err == nil {
				s.setFlash(w, "The plan has been saved.")
				return redirect(w, r, "/organisations/"+strconv.FormatInt(r.org.ID, 10)+"/plan")
			}
			if !f.absorb(err) {
				return err
			}
		}
		status = http.StatusUnprocessableEntity
	} else if p, err := s.store.WorkforcePlan(ctx, r.org.ID, fw.ID); err != nil {
		return err
	} else if p != nil {
		setDate(f, "due", p.DueAt)
		for _, d := range p.Domains {
			f.Values.Set("target_"+d.Code, strconv.Itoa(d.Target))
		}
	}
	v := &PlanFormView{Org: r.org, Due: dateField(f, "due", "label", "When is the plan due?", "hint", "For example, 31 3 2028")}
	for _, d := range version.Domains {
		v.Targets = append(v.Targets, field(f, "target_"+d.Code, "label", d.Name, "hint", "Per cent of staff at or above their target",
			"class", "nhsuk-input--width-3", "inputmode", "numeric", "autocomplete", "off"))
	}
	v.Title = "Set the digital workforce plan"
	v.Form = f
	if v.Crumbs, err = s.trail(ctx, r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, status, "plan_form.html", v, &v.Page)
}

// home is whose staff count as colleagues when learning is chosen for
// the finders: the organisation, or no one above an organisation.
func home(finders []int64) int64 {
	if len(finders) == 1 {
		return finders[0]
	}
	return 0
}
