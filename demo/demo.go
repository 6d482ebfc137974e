// Package demo makes realistic synthetic data for trying upskill out: a
// nation, its seven NHS England regions, organisations of every type with
// departments and teams that fit them, their staff with job roles, pay
// bands, supervisors and admins, three yearly cycles of the staff's
// attempts at the assessment, and a catalogue of learning with the staff's
// enrolments and completions. Everything it makes follows from a seed, so
// that the same seed always gives the same data. The names of people,
// places and organisations are invented.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"upskill"
	"upskill/badge"
	"upskill/framework"
	"upskill/store"
)

// Options say how much to make and from which seed.
type Options struct {
	Orgs  int    // organisations, spread over the regions
	Staff int    // staff of those organisations, in all
	Seed  uint64 // the same seed gives the same data
	// Attempts makes the staff's attempts at the assessment on the
	// default framework, over three yearly cycles. Without them a load is
	// many times faster.
	Attempts bool
	// NoLearning leaves out the learning catalogue and the staff's
	// enrolments on it, which are otherwise made with the attempts.
	NoLearning bool
	// PublicURL is the address the service is used at, which the demo's
	// badges name; http://localhost:8080 when nil.
	PublicURL *url.URL
}

const (
	// MinStaffPerOrg is the fewest staff an organisation can have: an
	// admin, a content author, a supervisor and a learner.
	MinStaffPerOrg = 4
	// MaxOrgs and MaxStaff keep a mistyped number from filling the disk.
	// Learning is made for everyone at once, so a demo with it holds all
	// of its data in memory, which MaxLearningStaff bounds.
	MaxOrgs          = 5000
	MaxStaff         = 2_000_000
	MaxLearningStaff = 1_000_000

	// NationName is the name the nation is given when the database has none.
	NationName = "England"
	// AuditAction marks a demo load in the audit log.
	AuditAction = "load_demo_data"
)

// Regions are the seven NHS England regions.
var Regions = []string{
	"East of England", "London", "Midlands", "North East and Yorkshire",
	"North West", "South East", "South West",
}

// regionWeights share organisations between the regions roughly as their
// populations do.
var regionWeights = []float64{11, 16, 19, 15, 13, 16, 10}

// Validate says what is wrong with the options, in the words of the
// command's flags.
func (o Options) Validate() error {
	switch {
	case o.Orgs < 1 || o.Orgs > MaxOrgs:
		return fmt.Errorf("--orgs must be between 1 and %d", MaxOrgs)
	case o.Staff > MaxStaff:
		return fmt.Errorf("--staff must be %d or fewer", MaxStaff)
	case o.Staff > MaxLearningStaff && !o.NoLearning:
		return fmt.Errorf("above %d staff, give --learning=false: the learning catalogue is made for everyone at once", MaxLearningStaff)
	case o.Staff < MinStaffPerOrg*o.Orgs:
		return fmt.Errorf("--staff must be at least %d for %d organisations, so that each has an admin, a content author, a supervisor and a learner",
			MinStaffPerOrg*o.Orgs, o.Orgs)
	}
	return nil
}

// Data is what Generate made: the rows to load and the accounts worth
// showing.
type Data struct {
	Options Options
	// Bulk is everything made, except in a streamed load, where it holds
	// only the regions and organisations.
	Bulk   store.Bulk
	Logins Logins
	Badges int // Open Badges issued, once loaded
	// How much was made: departments and teams, and attempts (Open of
	// them in progress).
	Units, Attempts, Open int
}

// Account is a person to sign in as.
type Account struct {
	Name  string
	Email string
}

// Logins are the demo accounts worth showing: one for each kind of access.
type Logins struct {
	NationalAdmin Account
	RegionLeads   []RegionLead
	// Organisations are the first organisation of each type, in the order
	// they were made.
	Organisations []OrgLogins
}

// RegionLead is the lead of one region.
type RegionLead struct {
	Region string
	Account
}

// OrgLogins are accounts in one organisation.
type OrgLogins struct {
	Name       string
	Type       upskill.OrgType
	Region     string
	Admin      Account // an organisation admin
	Author     Account // a content author
	Supervisor Account // a supervisor with people to line manage
	Learner    Account // a learner with a line manager
	// Assessed are the years in which the learner submitted an attempt at
	// the assessment: every cycle's, unless they joined since the first.
	Assessed  []int
	learnerID int64
}

// Placement says where in a database the demo goes: under the nation, in
// the regions of the same names where they already exist.
type Placement struct {
	NationID int64
	// Regions holds the ids of stored regions by name. Regions not in it
	// are created.
	Regions map[string]int64
	// Version is the published version of the default framework, which
	// attempts are made on. Without it, Generate makes no attempts.
	Version *upskill.FrameworkVersion
}

// Load fills s with demo data: it makes the nation if there is none,
// refuses when demo data has been loaded before, generates the data and
// stores it in one transaction. Every demo account gets passwordHash.
func Load(ctx context.Context, s *store.Store, opt Options, passwordHash string) (*Data, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	nation, err := s.EnsureNation(ctx, NationName)
	if err != nil {
		return nil, err
	}
	at, err := s.BulkLoaded(ctx, AuditAction)
	if err != nil {
		return nil, err
	}
	if !at.IsZero() {
		return nil, &AlreadyLoadedError{At: at}
	}
	regions, err := s.Children(ctx, nation.ID)
	if err != nil {
		return nil, err
	}
	where := Placement{NationID: nation.ID, Regions: map[string]int64{}}
	for _, r := range regions {
		where.Regions[r.Name] = r.ID
	}
	if opt.Attempts {
		if where.Version, err = defaultVersion(ctx, s); err != nil {
			return nil, err
		}
	}
	if opt.NoLearning {
		// Without learning, which needs everyone at once, the data are
		// made and loaded a part at a time.
		return generate(opt, where, func(b *store.Bulk) error {
			b.PasswordHash = passwordHash
			return s.BulkLoad(ctx, 0, b)
		})
	}
	d := Generate(opt, where)
	d.Bulk.PasswordHash = passwordHash
	if err := s.BulkLoad(ctx, 0, &d.Bulk); err != nil {
		return nil, err
	}
	if len(d.Bulk.Enrolments) > 0 {
		site := badge.Site{URL: opt.PublicURL}
		if site.URL == nil {
			site.URL = &url.URL{Scheme: "http", Host: "localhost:8080"}
		}
		if d.Badges, err = issueBadges(ctx, s, d, site); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// defaultVersion returns the published version of the default framework,
// storing the framework first in a database that lacks it: the server
// stores it when it starts, but a database may be filled before that.
func defaultVersion(ctx context.Context, s *store.Store) (*upskill.FrameworkVersion, error) {
	_, v, err := s.PublishedVersion(ctx, framework.DefaultKey)
	if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return v, err
	}
	f, err := framework.Default()
	if err != nil {
		return nil, err
	}
	if _, err := s.EnsureFramework(ctx, f.Framework, &f.Version); err != nil {
		return nil, err
	}
	_, v, err = s.PublishedVersion(ctx, framework.DefaultKey)
	return v, err
}

// AlreadyLoadedError is returned by Load when the database already holds
// demo data. Loading a second time is refused rather than merged, because
// the same seed would make the same people again.
type AlreadyLoadedError struct {
	At time.Time
}

func (e *AlreadyLoadedError) Error() string {
	return "this database already holds demo data, loaded on " +
		e.At.In(ukTime).Format("2 January 2006 at 3:04pm") +
		". To load another demo, give --db a new SQLite file or an empty PostgreSQL database"
}

var ukTime = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// startEpoch is the latest day a demo membership starts, fixed so that the
// data does not depend on the day it is made.
var startEpoch = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)

// gen holds the state of one generation.
type gen struct {
	rng *rand.Rand
	b   *store.Bulk
	// Provisional ids count down from -1.
	nextOrg, nextUnit, nextPerson, nextSite int64
	orgNames                                map[string]bool // lower case, over all regions
	slugs                                   map[string]bool
	// staff are the members of staff made, in order, and showcase the
	// people shown as demo logins, for the attempts.
	staff    []staffRef
	showcase map[int64]bool
	// staffBase is how many staff earlier parts of a streamed load held,
	// so that each person keeps their place in the whole staff.
	staffBase int
	// orgRows are the regions and organisations as first made, with
	// provisional ids.
	orgRows []upskill.Organisation
}

// org is an organisation being made.
type org struct {
	kind   *kind
	region int
	id     int64
	name   string
	domain string
	size   float64
	staff  int
}

// Generate makes the demo data for opt, which must be valid (see
// Options.Validate), to be placed as where says. It touches no database:
// the same options and placement always give the same data.
func Generate(opt Options, where Placement) *Data {
	d, _ := generate(opt, where, nil)
	return d
}

// generate makes the demo data. With flush nil it keeps it all in d.Bulk.
// Otherwise it hands flush the data in parts, each a bulk load of its
// own: first the regions and organisations, then the staff of several
// organisations at a time with their attempts, then the people who run
// the regions and the nation. flush loads the part and writes the stored
// ids back into it, as store.BulkLoad does, and the next part refers to
// those. The data are the same either way: every random choice is made
// in the same order.
func generate(opt Options, where Placement, flush func(b *store.Bulk) error) (*Data, error) {
	g := &gen{
		rng:      rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed_0f_0b5c_a1e)),
		b:        &store.Bulk{Verified: true, Action: AuditAction, Detail: fmt.Sprintf("demo data, seed %d", opt.Seed)},
		orgNames: map[string]bool{},
		slugs:    map[string]bool{},
		showcase: map[int64]bool{},
	}
	d := &Data{Options: opt}

	regionIDs := make([]int64, len(Regions))
	for i, name := range Regions {
		if id, ok := where.Regions[name]; ok {
			regionIDs[i] = id
			continue
		}
		regionIDs[i] = g.newOrgID()
		g.b.Organisations = append(g.b.Organisations, upskill.Organisation{
			ID: regionIDs[i], ParentID: where.NationID, Level: upskill.LevelRegion, Name: Regions[i],
		})
	}

	orgs := g.planOrganisations(opt)
	g.shareStaff(orgs, opt.Staff)
	for _, o := range orgs {
		g.b.Organisations = append(g.b.Organisations, upskill.Organisation{
			ID: o.id, ParentID: regionIDs[o.region], Level: upskill.LevelOrganisation, Type: o.kind.typ, Name: o.name,
			ReassessMonths: 12,
		})
	}
	g.orgRows = slices.Clone(g.b.Organisations)
	// stored maps the provisional ids of the first part to those it was
	// stored under; without flush it is empty and ids stay provisional.
	stored := map[int64]int64{}
	if flush != nil {
		provisional := make([]int64, len(g.b.Organisations))
		for i, o := range g.b.Organisations {
			provisional[i] = o.ID
		}
		if err := flush(g.b); err != nil {
			return nil, err
		}
		for i, o := range g.b.Organisations {
			stored[provisional[i]] = o.ID
		}
		d.Bulk.Organisations = g.b.Organisations
		for i, id := range regionIDs {
			if s, ok := stored[id]; ok {
				regionIDs[i] = s
			}
		}
		g.b = &store.Bulk{Verified: true}
	}

	seen := map[upskill.OrgType]bool{}
	staffed := 0
	for n, o := range orgs {
		logins := g.staffOrganisation(o)
		if !seen[o.kind.typ] {
			seen[o.kind.typ] = true
			logins.Region = Regions[o.region]
			d.Logins.Organisations = append(d.Logins.Organisations, logins)
			g.showcase[logins.learnerID] = true
		}
		staffed += o.staff
		if flush == nil || (staffed < streamPart && n < len(orgs)-1) {
			continue
		}
		// A part: these organisations' staff and their attempts.
		g.attempts(opt, where, d)
		g.restore(stored)
		d.Units += len(g.b.Units)
		if err := flush(g.b); err != nil {
			return nil, err
		}
		g.staffBase += len(g.staff)
		g.staff, staffed = nil, 0
		g.b = &store.Bulk{Verified: true}
	}

	// The people who see above the organisations.
	d.Logins.NationalAdmin = g.leader(where.NationID, upskill.RoleNationalAdmin, "national-team")
	for i, name := range Regions {
		acct := g.leader(regionIDs[i], upskill.RoleRegionLead, slug(name))
		d.Logins.RegionLeads = append(d.Logins.RegionLeads, RegionLead{Region: name, Account: acct})
	}
	if flush != nil {
		g.b.Action, g.b.Detail = AuditAction, fmt.Sprintf("demo data, seed %d", opt.Seed)
		if err := flush(g.b); err != nil {
			return nil, err
		}
		return d, nil
	}
	g.attempts(opt, where, d)
	if opt.Attempts && where.Version != nil && !opt.NoLearning {
		g.makeLearning(opt.Seed, where, orgs)
	}
	d.Bulk = *g.b
	d.Units = len(d.Bulk.Units)
	return d, nil
}

// streamPart is about how many staff each part of a streamed load holds:
// few enough to keep memory to a few gigabytes, and enough that the
// checks of references each part ends with, which read whole tables, are
// run only a handful of times. Tests make it smaller.
var streamPart = 250_000

// attempts makes the attempts of the staff made since the last part, and
// notes the years the showcased learners took part.
func (g *gen) attempts(opt Options, where Placement, d *Data) {
	if !opt.Attempts || where.Version == nil {
		return
	}
	g.b.Attempts = g.makeAttempts(opt.Seed, where.Version)
	for _, a := range g.b.Attempts {
		d.Attempts++
		if a.Status == upskill.AttemptInProgress {
			d.Open++
		}
		if !g.showcase[a.PersonID] || a.Status != upskill.AttemptSubmitted {
			continue
		}
		for i := range d.Logins.Organisations {
			if o := &d.Logins.Organisations[i]; o.learnerID == a.PersonID {
				o.Assessed = append(o.Assessed, a.SubmittedAt.Year())
			}
		}
	}
}

// restore points a part's rows at the organisations' stored ids.
func (g *gen) restore(stored map[int64]int64) {
	if len(stored) == 0 {
		return
	}
	for i := range g.b.Sites {
		g.b.Sites[i].OrganisationID = stored[g.b.Sites[i].OrganisationID]
	}
	for i := range g.b.Units {
		g.b.Units[i].OrganisationID = stored[g.b.Units[i].OrganisationID]
	}
	for i := range g.b.Memberships {
		g.b.Memberships[i].OrganisationID = stored[g.b.Memberships[i].OrganisationID]
	}
	for i := range g.b.Attempts {
		g.b.Attempts[i].OrganisationID = stored[g.b.Attempts[i].OrganisationID]
	}
}

func (g *gen) newOrgID() int64    { g.nextOrg--; return g.nextOrg }
func (g *gen) newUnitID() int64   { g.nextUnit--; return g.nextUnit }
func (g *gen) newSiteID() int64   { g.nextSite--; return g.nextSite }
func (g *gen) newPersonID() int64 { g.nextPerson--; return g.nextPerson }

// planOrganisations decides each organisation's kind, region, name and
// relative size.
func (g *gen) planOrganisations(opt Options) []*org {
	kinds := g.kinds(opt.Orgs)
	// Every region gets an organisation before any gets a second, then
	// they are shared by population.
	regionOrder := g.rng.Perm(len(Regions))
	ambulance := make([]bool, len(Regions))
	orgs := make([]*org, len(kinds))
	for i, k := range kinds {
		o := &org{kind: k, id: g.newOrgID()}
		if i < len(Regions) {
			o.region = regionOrder[i]
		} else {
			o.region = g.pick(regionWeights)
		}
		// One ambulance service a region is plenty.
		if k == &ambulanceTrust {
			if ambulance[o.region] {
				o.kind = &acuteTrust
			}
			ambulance[o.region] = true
		}
		o.name = g.orgName(o.kind)
		o.domain = g.domain(o)
		lo, hi := math.Log(o.kind.staff[0]), math.Log(o.kind.staff[1])
		o.size = math.Exp(lo + g.rng.Float64()*(hi-lo))
		orgs[i] = o
	}
	return orgs
}

// kinds chooses the kind of each of n organisations: an integrated care
// board or two, at least one of every other type where n allows, and the
// rest in rough proportion to how common each is, shuffled.
func (g *gen) kinds(n int) []*kind {
	var out []*kind
	icbs := 0
	switch {
	case n >= 60:
		icbs = 2
	case n >= 8:
		icbs = 1
	}
	for range icbs {
		out = append(out, &icb)
	}
	first := []*kind{&acuteTrust, &gpPractice, &residentialHome, &homeCare, &localAuthority, &hospice}
	for i := 0; i < len(first) && len(out) < n; i++ {
		out = append(out, first[i])
	}
	rest := n - len(out)
	weights := []float64{14, 30, 26, 12, 8, 6} // trusts, practices, care homes, home care, councils, hospices
	counts := largestRemainder(rest, weights)
	for i, c := range counts {
		for range c {
			var k *kind
			switch i {
			case 0:
				k = g.trustKind()
			case 1:
				k = &gpPractice
			case 2:
				k = &residentialHome
				if g.rng.Float64() < 0.45 {
					k = &nursingHome
				}
			case 3:
				k = &homeCare
			case 4:
				k = &localAuthority
			case 5:
				k = &hospice
			}
			out = append(out, k)
		}
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (g *gen) trustKind() *kind {
	switch x := g.rng.Float64(); {
	case x < 0.60:
		return &acuteTrust
	case x < 0.78:
		return &mentalHealthTrust
	case x < 0.93:
		return &communityTrust
	default:
		return &ambulanceTrust
	}
}

// largestRemainder shares n in proportion to weights, in whole numbers
// that add up to n. Ties go to the earlier weight.
func largestRemainder(n int, weights []float64) []int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	counts := make([]int, len(weights))
	if n <= 0 || total == 0 {
		return counts
	}
	rem := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(n) * w / total
		counts[i] = int(exact)
		rem[i] = exact - float64(counts[i])
		given += counts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; given < n; i = (i + 1) % len(order) {
		counts[order[i]]++
		given++
	}
	return counts
}

// pick returns an index chosen with the given weights.
func (g *gen) pick(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *gen) place() string {
	p := placeStarts[g.rng.IntN(len(placeStarts))] + placeEnds[g.rng.IntN(len(placeEnds))]
	if g.rng.IntN(5) == 0 {
		p = placeFronts[g.rng.IntN(len(placeFronts))] + " " + p
	}
	return p
}

// orgName makes a name no other organisation of the demo has.
func (g *gen) orgName(k *kind) string {
	for attempt := 0; ; attempt++ {
		pattern := k.names[g.rng.IntN(len(k.names))]
		p := g.place()
		q := g.place()
		for q == p {
			q = g.place()
		}
		name := pattern
		for _, r := range [][2]string{
			{"{P}", p}, {"{Q}", q},
			{"{T}", trees[g.rng.IntN(len(trees))]},
			{"{F}", flowers[g.rng.IntN(len(flowers))]},
		} {
			name = strings.ReplaceAll(name, r[0], r[1])
		}
		if attempt > 50 {
			// Only a very large demo runs out of names; a number keeps
			// this one apart.
			name = fmt.Sprintf("%s (%d)", name, attempt)
		}
		key := strings.ToLower(name)
		if !g.orgNames[key] {
			g.orgNames[key] = true
			return name
		}
	}
}

// domain is the organisation's made-up email domain: NHS organisations are
// under example.nhs.uk, social care under example.org. Both are reserved
// for examples, so no email can ever be sent to a real address.
func (g *gen) domain(o *org) string {
	s := slug(o.name)
	for n := 2; g.slugs[s]; n++ {
		s = fmt.Sprintf("%s-%d", slug(o.name), n)
	}
	g.slugs[s] = true
	switch o.kind.typ {
	case upskill.OrgNHSTrust, upskill.OrgICB, upskill.OrgGPPractice:
		return s + ".example.nhs.uk"
	}
	return s + ".example.org"
}

// shareStaff gives each organisation its number of staff: the minimum,
// and the rest in proportion to size, so that large trusts have most.
func (g *gen) shareStaff(orgs []*org, staff int) {
	sizes := make([]float64, len(orgs))
	for i, o := range orgs {
		sizes[i] = o.size
	}
	extra := largestRemainder(staff-MinStaffPerOrg*len(orgs), sizes)
	for i, o := range orgs {
		o.staff = MinStaffPerOrg + extra[i]
	}
}

// unit is a department or team being staffed.
type unit struct {
	id      int64
	parent  int // index of the department in the organisation's units, or -1
	hasKids bool
	t       unitT
	members []int // indices into the organisation's staff
}

// member is one of an organisation's staff being made.
type member struct {
	person upskill.Person
	job    job
	unit   int
	roles  upskill.RoleSet
	lm     int // index of the line manager in the organisation's staff, or -1
}

// staffOrganisation makes an organisation's units and staff and returns
// its accounts worth showing.
func (g *gen) staffOrganisation(o *org) OrgLogins {
	var units []*unit
	for _, d := range o.kind.units() {
		if d.p > 0 && g.rng.Float64() >= d.p {
			continue
		}
		dept := &unit{id: g.newUnitID(), parent: -1, t: d}
		units = append(units, dept)
		di := len(units) - 1
		for _, t := range d.teams {
			if t.p > 0 && g.rng.Float64() >= t.p {
				continue
			}
			units = append(units, &unit{id: g.newUnitID(), parent: di, t: t})
			dept.hasKids = true
		}
	}
	var sites []int64
	for _, name := range o.kind.sites {
		sites = append(sites, g.newSiteID())
		g.b.Sites = append(g.b.Sites, upskill.Site{ID: sites[len(sites)-1], OrganisationID: o.id, Name: name})
	}
	weights := make([]float64, len(units))
	depts := 0
	for i, u := range units {
		weights[i] = float64(u.t.w)
		g.b.Units = append(g.b.Units, upskill.Unit{ID: u.id, OrganisationID: o.id, Name: u.t.name})
		if u.parent >= 0 {
			g.b.Units[len(g.b.Units)-1].ParentID = units[u.parent].id
		} else if len(sites) > 0 {
			// Departments in turn across the sites.
			g.b.Units[len(g.b.Units)-1].SiteID = sites[depts%len(sites)]
			depts++
		}
	}

	staff := make([]member, o.staff)
	for i := range staff {
		ui := g.pick(weights)
		u := units[ui]
		j := u.t.mix[g.pickShare(u.t.mix)].job
		given := givenNames[g.rng.IntN(len(givenNames))]
		family := familyNames[g.rng.IntN(len(familyNames))]
		staff[i] = member{
			person: upskill.Person{
				ID:    g.newPersonID(),
				Name:  given + " " + family,
				Email: fmt.Sprintf("%s.%s.%d@%s", emailPart(given), emailPart(family), i+1, o.domain),
			},
			job:   j,
			unit:  ui,
			roles: upskill.RoleSet(upskill.RoleLearner),
			lm:    -1,
		}
		u.members = append(u.members, i)
	}

	g.superviseUnits(units, staff)
	logins := OrgLogins{Name: o.name, Type: o.kind.typ}
	logins.Admin, logins.Author = g.appointAdmins(staff)

	started := make([]time.Time, len(staff))
	for i := range staff {
		m := &staff[i]
		ms := upskill.Membership{
			PersonID: m.person.ID, OrganisationID: o.id, Roles: m.roles,
			StaffAttributes: upskill.StaffAttributes{
				StaffGroup: m.job.group, JobRole: m.job.role, PayBand: m.job.band, UnitID: units[m.unit].id,
			},
			StartedAt: g.startDate(),
		}
		if m.lm >= 0 {
			ms.LineManagerID = staff[m.lm].person.ID
		}
		started[i] = ms.StartedAt
		g.staff = append(g.staff, staffRef{member: len(g.b.Memberships), job: m.job})
		g.b.People = append(g.b.People, m.person)
		g.b.Memberships = append(g.b.Memberships, ms)
	}

	// Show a supervisor who line manages someone, and a learner who is
	// line managed, where there are such people.
	manages := make([]bool, len(staff))
	for _, m := range staff {
		if m.lm >= 0 {
			manages[m.lm] = true
		}
	}
	for i, m := range staff {
		if logins.Supervisor.Email == "" && m.roles.Has(upskill.RoleSupervisor) && manages[i] {
			logins.Supervisor = Account{m.person.Name, m.person.Email}
		}
	}
	for _, m := range staff {
		if logins.Supervisor.Email == "" && m.roles.Has(upskill.RoleSupervisor) {
			logins.Supervisor = Account{m.person.Name, m.person.Email}
		}
	}
	// The learner shown was in post for the first cycle of the assessment,
	// so that they can have taken every cycle, where there is such a one.
	for _, fits := range []func(i int) bool{
		func(i int) bool { return staff[i].lm >= 0 && started[i].Before(cycleOpens[0].Add(-inPostBefore)) },
		func(i int) bool { return staff[i].lm >= 0 },
		func(i int) bool { return true },
	} {
		for i, m := range staff {
			if logins.Learner.Email == "" && m.roles == upskill.RoleSet(upskill.RoleLearner) && fits(i) {
				logins.Learner, logins.learnerID = Account{m.person.Name, m.person.Email}, m.person.ID
			}
		}
	}
	return logins
}

func (g *gen) pickShare(m mix) int {
	total := 0
	for _, s := range m {
		total += s.w
	}
	x := g.rng.IntN(total)
	for i, s := range m {
		if x < s.w {
			return i
		}
		x -= s.w
	}
	return len(m) - 1
}

// superviseUnits makes about one in eight staff supervisors: the most
// senior people of each unit. They line manage the others in their unit;
// the supervisors of a team report to a supervisor of its department.
func (g *gen) superviseUnits(units []*unit, staff []member) {
	supervisors := make([][]int, len(units))
	for ui, u := range units {
		k := len(u.members)
		n := (k + 4) / 8
		if u.hasKids && k > 0 {
			n = max(1, n) // a department's own few staff are its managers
		}
		if n == 0 {
			continue
		}
		bySeniority := slices.Clone(u.members)
		slices.SortStableFunc(bySeniority, func(a, b int) int { return staff[b].job.rank - staff[a].job.rank })
		supervisors[ui] = bySeniority[:n]
	}
	// Leave at least three people who do not supervise (an admin, a content
	// author and a learner), taking the least senior supervisor of the unit
	// with the most.
	total := 0
	for _, s := range supervisors {
		total += len(s)
	}
	for ; total > len(staff)-3; total-- {
		most := 0
		for ui := range supervisors {
			if len(supervisors[ui]) >= len(supervisors[most]) {
				most = ui
			}
		}
		supervisors[most] = supervisors[most][:len(supervisors[most])-1]
	}
	for _, s := range supervisors {
		for _, i := range s {
			staff[i].roles = staff[i].roles.With(upskill.RoleSupervisor)
		}
	}
	// An organisation too small for any unit to have a supervisor still
	// gets one: its most senior person.
	if total == 0 {
		best := 0
		for i := range staff {
			if staff[i].job.rank > staff[best].job.rank {
				best = i
			}
		}
		staff[best].roles = staff[best].roles.With(upskill.RoleSupervisor)
		supervisors[staff[best].unit] = []int{best}
	}
	for ui, u := range units {
		var above []int
		if u.parent >= 0 {
			above = supervisors[u.parent]
		}
		for _, i := range u.members {
			switch {
			case staff[i].roles.Has(upskill.RoleSupervisor):
				if len(above) > 0 {
					staff[i].lm = above[g.rng.IntN(len(above))]
				}
			case len(supervisors[ui]) > 0:
				staff[i].lm = supervisors[ui][g.rng.IntN(len(supervisors[ui]))]
			case len(above) > 0:
				staff[i].lm = above[g.rng.IntN(len(above))]
			}
		}
	}
}

// appointAdmins makes one organisation admin, or two in an organisation of
// 50 or more, and one content author, preferring people in administrative
// and management jobs who do not supervise.
func (g *gen) appointAdmins(staff []member) (admin, author Account) {
	taken := make([]bool, len(staff))
	choose := func(prefer func(m *member) bool) int {
		var pool []int
		for _, strict := range []bool{true, false} {
			for i := range staff {
				m := &staff[i]
				if taken[i] || m.roles.Has(upskill.RoleSupervisor) {
					continue
				}
				if !strict || prefer(m) {
					pool = append(pool, i)
				}
			}
			if len(pool) > 0 {
				break
			}
		}
		if len(pool) == 0 { // everyone supervises: take anyone free
			for i := range staff {
				if !taken[i] {
					pool = append(pool, i)
				}
			}
		}
		i := pool[g.rng.IntN(len(pool))]
		taken[i] = true
		return i
	}
	office := func(m *member) bool {
		switch m.job.group {
		case "admin_clerical", "care_management", "care_other":
			return true
		}
		return false
	}
	admins := 1
	if len(staff) >= 50 {
		admins = 2
	}
	for n := range admins {
		i := choose(office)
		staff[i].roles = staff[i].roles.With(upskill.RoleOrgAdmin)
		if n == 0 {
			admin = Account{staff[i].person.Name, staff[i].person.Email}
		}
	}
	i := choose(func(m *member) bool { return m.job.rank >= 2 })
	staff[i].roles = staff[i].roles.With(upskill.RoleContentAuthor)
	author = Account{staff[i].person.Name, staff[i].person.Email}
	return admin, author
}

// startDate is when a membership began: within the last fifteen years,
// more often recently.
func (g *gen) startDate() time.Time {
	u := g.rng.Float64()
	days := int(u * u * 15 * 365)
	return startEpoch.AddDate(0, 0, -days)
}

// leader makes a person who holds role at the node with the given id,
// with an address at domain label.
func (g *gen) leader(orgID int64, role upskill.Role, label string) Account {
	given := givenNames[g.rng.IntN(len(givenNames))]
	family := familyNames[g.rng.IntN(len(familyNames))]
	p := upskill.Person{
		ID:    g.newPersonID(),
		Name:  given + " " + family,
		Email: fmt.Sprintf("%s.%s@%s.example.nhs.uk", emailPart(given), emailPart(family), label),
	}
	g.b.People = append(g.b.People, p)
	g.b.Memberships = append(g.b.Memberships, upskill.Membership{
		PersonID: p.ID, OrganisationID: orgID, Roles: upskill.RoleSet(role), StartedAt: g.startDate(),
	})
	return Account{p.Name, p.Email}
}
