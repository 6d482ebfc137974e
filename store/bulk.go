package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"upskill"
)

// Bulk is a whole piece of the hierarchy to store at once: organisations,
// their departments and teams, people and their memberships, the
// people's attempts at the assessment, and learning with the people's
// enrolments on it. It is for loads far too large to go through the
// one-at-a-time methods, such as the demo data.
//
// Rows cannot know their ids before they are stored, so each row's ID is a
// provisional number below zero, unique within its slice, and rows refer to
// each other by these numbers. A reference above zero names a row already
// in the database; only organisations may be referred to that way (the
// parent of a new region or organisation, the organisation of a new unit,
// membership or attempt, the owner of learning and an organisation it is
// shared with), besides the framework version of an attempt and the
// framework learning is mapped to, which are always stored ones. Zero
// means none.
//
// Parents come before their children: a region before its organisations,
// a department before its teams.
type Bulk struct {
	// Organisations are regions and organisations; the nation is never
	// created here. Read: ID, ParentID, Level, Type, Name, Code,
	// ReassessMonths.
	Organisations []upskill.Organisation
	// Sites are the places organisations work from. Read: ID (a
	// provisional number below zero), OrganisationID (an organisation of
	// the load or a stored one), Name. A site's name must not be taken in
	// its organisation.
	Sites []upskill.Site
	// Units are departments (ParentID 0) and teams. Read: ID,
	// OrganisationID, ParentID, Name, and for a department SiteID (0, or a
	// site of the load of the same organisation).
	Units []upskill.Unit
	// People are new identities. Read: ID, Email, Name.
	People []upskill.Person
	// Memberships place the new people. Read: PersonID (a new person),
	// OrganisationID, Roles, StaffAttributes (UnitID and LineManagerID
	// refer to new units and people), StartedAt (now when zero) and EndedAt.
	Memberships []upskill.Membership
	// Attempts are the new people's attempts at the assessment, stored as
	// StartAttempt, SaveAnswer, SaveCheck and SubmitAttempt would have left
	// them. Read: PersonID (a new person), OrganisationID (0, or an
	// organisation the person has a current membership of in the load),
	// VersionID (a stored version that is not a draft), Status, StartedAt,
	// UpdatedAt, SubmittedAt, Answers and Checks.
	//
	// A submitted attempt rates every capability; it gets the domain scores
	// of upskill.Score and the staff details of the person's membership,
	// as SubmitAttempt stores them, and its UpdatedAt is its SubmittedAt.
	// An attempt in progress was last changed at UpdatedAt (its StartedAt
	// when zero); a person has one in progress at most on a framework. The
	// answers, then the checks, are recorded as given at even steps from
	// StartedAt to UpdatedAt.
	Attempts []upskill.Attempt
	// Learning is learning content with its versions: see BulkItem.
	Learning []BulkItem
	// Enrolments are the new people's enrolments on the load's learning,
	// stored as Enrol, SeePage, SaveLessonAnswer and CompleteLearning would
	// have left them. Read: PersonID (a new person), ItemID (an item of the
	// load), VersionID (one of its versions, by its provisional id, the one
	// published when the person enrolled), OrganisationID (0, or an
	// organisation the person has a current membership of in the load),
	// Status, Assigned, DueAt, PagesSeen, Answers, Seconds, CreatedAt and
	// CompletedAt. The person must be able to find the learning, and a
	// completion must meet its version's rule; Score is set as
	// CompleteLearning sets it.
	Enrolments []upskill.Enrolment
	// Assignments are learning the load's organisations have assigned:
	// see checkBulkAssignments. An enrolment made by one names it by
	// AssignmentID, with Assigned and DueAt.
	Assignments []Assignment

	// PasswordHash is given to every new person, so that a load of test or
	// demo accounts costs one hash rather than one per person. "" leaves
	// them to be invited.
	PasswordHash string
	// Verified marks every new person's email address as confirmed.
	Verified bool

	// Action and Detail describe the load in the audit log, against the
	// nation. Action is "bulk_load" when empty; the counts are added to
	// Detail.
	Action string
	Detail string
}

// bulkParams caps the parameters of one INSERT statement: enough rows to
// make the per-statement cost vanish, well below SQLite's limit of 32,766
// and PostgreSQL's of 65,535.
const bulkParams = 8000

// BulkLoad checks every row of b and stores them all in one transaction,
// with multi-row INSERT statements: everything or, when anything is wrong,
// nothing. On success the IDs and references in b are replaced by the
// stored ids and CreatedAt is set.
//
// It checks what the one-at-a-time methods check: names, addresses, roles
// for the level, staff attributes, and tenancy: a membership's unit and
// line manager belong to the membership's organisation, and a team to its
// department's.
func (s *Store) BulkLoad(ctx context.Context, actorID int64, b *Bulk) error {
	if err := checkBulk(b); err != nil {
		return err
	}
	// Attempts are checked against their versions before the write lock is
	// taken: a published or retired version never changes.
	versions, err := s.bulkVersions(ctx, b)
	if err != nil {
		return err
	}
	if err := checkBulkAttempts(b, versions); err != nil {
		return err
	}
	learning, err := s.checkBulkLearning(ctx, b)
	if err != nil {
		return err
	}
	now := s.clock()
	if s.engine == SQLite {
		restore, err := s.tuneSQLiteForBulk(ctx)
		if err != nil {
			return s.fault(err)
		}
		defer restore()
	}
	var ids bulkIDs
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkStoredRefs(ctx, tx, b); err != nil {
			return err
		}
		var err error
		if ids, err = s.reserveBulkIDs(ctx, tx, b); err != nil {
			return err
		}
		// Foreign keys are checked once per table at the end, rather than
		// for each of millions of rows: see tuneSQLiteForBulk and
		// deferPostgresForeignKeys.
		var addBack func() error
		if s.engine == Postgres && len(b.Attempts) > 0 {
			if addBack, err = s.deferPostgresForeignKeys(ctx, tx, "answers", "check_answers", "attempt_scores"); err != nil {
				return s.fault(err)
			}
		}
		err = s.insertBulk(ctx, tx, b, &ids, now)
		if err == nil {
			err = s.insertBulkAttempts(ctx, tx, b, &ids, versions)
		}
		if err == nil {
			err = s.insertBulkLearning(ctx, tx, b, &ids, learning)
		}
		if err == nil && addBack != nil {
			err = addBack()
		}
		if err == nil && s.engine == SQLite {
			err = s.checkSQLiteForeignKeys(ctx, tx, b)
		}
		if err != nil {
			if isUniqueViolation(err) {
				return upskill.Errorf(upskill.ECONFLICT,
					"Some of the data clashes with what is already saved: an email address, or the name of an organisation, department or team, is already in use.")
			}
			return s.fault(err)
		}
		var nationID int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE level = 'nation'`).Scan(&nationID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.fault(err)
		}
		action := b.Action
		if action == "" {
			action = "bulk_load"
		}
		regions := 0
		for _, o := range b.Organisations {
			if o.Level == upskill.LevelRegion {
				regions++
			}
		}
		detail := strings.Join([]string{
			plural(regions, "region", "regions"),
			plural(len(b.Organisations)-regions, "organisation", "organisations"),
			plural(len(b.Units), "department or team", "departments and teams"),
			plural(len(b.People), "person", "people"),
			plural(len(b.Memberships), "membership", "memberships"),
		}, ", ")
		if len(b.Attempts) > 0 {
			detail += ", " + plural(len(b.Attempts), "attempt at the assessment", "attempts at the assessment")
		}
		detail += learning.detail(b)
		if b.Detail != "" {
			detail = b.Detail + ": " + detail
		}
		return s.audit(ctx, tx, actorID, nationID, action, "", 0, detail)
	})
	if err != nil {
		return err
	}
	ids.apply(b, now)
	learning.apply(b, &ids)
	// The planner's statistics are stale after a large load.
	return s.Analyze(ctx)
}

// BulkLoaded returns when a load with the given audit action was first
// recorded, or the zero time when there has been none. The demo uses it to
// refuse a second load.
func (s *Store) BulkLoaded(ctx context.Context, action string) (time.Time, error) {
	var at time.Time
	err := s.r.QueryRowContext(ctx, s.q(`SELECT at FROM audit_events WHERE action = ? ORDER BY id LIMIT 1`), action).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return at, s.fault(err)
}

// tuneSQLiteForBulk sets the SQLite writer up for a load. A larger page
// cache, with statement journals in memory, keeps a load's pages from
// being spilled to the WAL and read back before it commits; that saves
// about a fifth of the time. Foreign keys are checked once per table at
// the end of the load, by checkSQLiteForeignKeys, rather than row by row:
// a check for each of millions of rows costs several times more. ANALYZE
// after the load samples rather than reads every row of the new tables.
//
// The writer is a single connection, so the settings reach the load's
// transaction; restore puts them back, or, if it cannot, closes the
// connection, so that the next one starts with foreign keys enforced.
func (s *Store) tuneSQLiteForBulk(ctx context.Context) (restore func(), err error) {
	var cacheSize, tempStore, foreignKeys, analysisLimit int64
	for _, p := range []struct {
		name string
		v    *int64
	}{{"cache_size", &cacheSize}, {"temp_store", &tempStore}, {"foreign_keys", &foreignKeys}, {"analysis_limit", &analysisLimit}} {
		if err := s.w.QueryRowContext(ctx, `PRAGMA `+p.name).Scan(p.v); err != nil {
			return nil, err
		}
	}
	// 256 MiB at most: pages are only taken as the load needs them.
	if _, err := s.w.ExecContext(ctx, `PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;
		PRAGMA foreign_keys = OFF; PRAGMA analysis_limit = 1000`); err != nil {
		return nil, err
	}
	return func() {
		// A fresh context: the settings go back even when the load was
		// cancelled.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA temp_store = %d;
			PRAGMA foreign_keys = %d; PRAGMA analysis_limit = %d`, cacheSize, tempStore, foreignKeys, analysisLimit))
		if err != nil {
			s.w.SetMaxIdleConns(0)
			s.w.SetMaxIdleConns(1)
		}
	}, nil
}

// checkSQLiteForeignKeys checks, inside the load's transaction, every
// foreign key of the tables a load wrote, as SQLite would have row by row
// with foreign keys on. The load has checked its references already, so a
// failure here is a fault in the load, not in the data.
func (s *Store) checkSQLiteForeignKeys(ctx context.Context, tx *sql.Tx, b *Bulk) error {
	tables := []struct {
		name string
		rows int
	}{
		{"organisations", len(b.Organisations)}, {"sites", len(b.Sites)}, {"units", len(b.Units)}, {"people", len(b.People)},
		{"memberships", len(b.Memberships)}, {"attempts", len(b.Attempts)},
		{"answers", len(b.Attempts)}, {"check_answers", len(b.Attempts)}, {"attempt_scores", len(b.Attempts)},
	}
	var written []string
	for _, t := range tables {
		if t.rows > 0 {
			written = append(written, t.name)
		}
	}
	return s.checkSQLiteForeignKeysOf(ctx, tx, written...)
}

// checkSQLiteForeignKeysOf checks every foreign key of the given tables.
func (s *Store) checkSQLiteForeignKeysOf(ctx context.Context, tx *sql.Tx, tables ...string) error {
	for _, t := range tables {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		err := tx.QueryRowContext(ctx, `PRAGMA foreign_key_check(`+t+`)`).Scan(&table, &rowid, &parent, &fk)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("store: bulk load: row %d of %s refers to a row of %s that does not exist", rowid.Int64, table, parent)
	}
	return nil
}

// reserveIDs takes n ids of table for rows about to be written. On
// PostgreSQL the ids come from the identity column's own sequence, so they
// can never clash with rows others insert meanwhile; on SQLite the write
// transaction holds the only write lock, so the ids above the largest
// stored one are free.
func (s *Store) reserveIDs(ctx context.Context, tx *sql.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	out := make([]int64, 0, n)
	if s.engine == Postgres {
		// The sequence is looked up once: looking it up for every row
		// takes most of the time.
		var seq string
		if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, table).Scan(&seq); err != nil {
			return nil, s.fault(err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT nextval($1::regclass) FROM generate_series(1, $2)`, seq, n)
		if err != nil {
			return nil, s.fault(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, s.fault(err)
			}
			out = append(out, id)
		}
		return out, s.fault(rows.Err())
	}
	// Above the highest id, and above any id an AUTOINCREMENT table has
	// ever given, so that a removed row's number is not used again.
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM `+table+`), 0),
		coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))`, table).Scan(&top); err != nil {
		return nil, s.fault(err)
	}
	for i := range n {
		out = append(out, top+int64(i)+1)
	}
	return out, nil
}

// deferPostgresForeignKeys drops the foreign keys of the given tables for
// the rest of the load's transaction and returns a function that adds
// them back, which checks every row in one pass. PostgreSQL checks a
// foreign key row by row with a query and a row lock on the row referred
// to, which makes a load of millions of rows several times slower. The
// drop and the checks are part of the transaction: a load that fails
// leaves the keys as they were.
//
// Dropping a foreign key locks its table and the table it refers to until
// the load commits, so only the tables of the attempts' answers, checks
// and scores are treated so: they hold most of a large load's rows, and
// refer only to attempts and to the content of frameworks, so that people
// and organisations stay open to others while a load runs.
func (s *Store) deferPostgresForeignKeys(ctx context.Context, tx *sql.Tx, tables ...string) (addBack func() error, err error) {
	type foreignKey struct{ table, name, def string }
	var keys []foreignKey
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
			WHERE contype = 'f' AND conrelid = $1::regclass ORDER BY conname`, t)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			k := foreignKey{table: t}
			if err := rows.Scan(&k.name, &k.def); err != nil {
				rows.Close()
				return nil, err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+k.table+` DROP CONSTRAINT `+quoteIdent(k.name)); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+k.table+` ADD CONSTRAINT `+quoteIdent(k.name)+` `+k.def); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// bulkTime is a time as a load writes it. On SQLite it is the text the
// driver would write for it (the store opens SQLite with
// _time_format=sqlite), made here so that formatting millions of times
// happens on insertRows' filling goroutine rather than the writer's.
func (s *Store) bulkTime(t time.Time) any {
	if s.engine == SQLite {
		return sqliteTime(t)
	}
	return t.UTC()
}

// sqliteTimeLayout is the layout of _time_format=sqlite.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// sqliteTime is t.UTC().Format(sqliteTimeLayout), made several times
// faster by knowing the layout; TestSQLiteTime holds it to Format.
func sqliteTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(sqliteTimeLayout)
	}
	hour, minute, second := t.Clock()
	var b [35]byte
	digits := func(at, n, v int) {
		for i := at + n - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	digits(0, 4, year)
	b[4] = '-'
	digits(5, 2, int(month))
	b[7] = '-'
	digits(8, 2, day)
	b[10] = ' '
	digits(11, 2, hour)
	b[13] = ':'
	digits(14, 2, minute)
	b[16] = ':'
	digits(17, 2, second)
	n := 19
	if ns := t.Nanosecond(); ns > 0 {
		b[19] = '.'
		digits(20, 9, ns)
		n = 29
		for b[n-1] == '0' {
			n--
		}
	}
	n += copy(b[n:], "+00:00")
	return string(b[:n])
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// bulkProblem says which row of a Bulk is wrong and why.
func bulkProblem(kind string, i int, format string, args ...any) error {
	return upskill.Errorf(upskill.EINVALID, "%s %d: %s", kind, i+1, fmt.Sprintf(format, args...))
}

// firstProblem is the first message of a validation error.
func firstProblem(err error) string {
	if f := upskill.ErrorFields(err); len(f) > 0 {
		return f[0].Message
	}
	return upskill.ErrorMessage(err)
}

// checkBulk checks everything about b that needs no database: each row on
// its own, and every reference between new rows. Names and addresses are
// tidied in place.
func checkBulk(b *Bulk) error {
	// Levels of the new organisations, by provisional id. Stored ones are
	// checked in the transaction.
	orgLevel := make(map[int64]upskill.Level, len(b.Organisations))
	for i := range b.Organisations {
		o := &b.Organisations[i]
		if o.ID >= 0 {
			return bulkProblem("Organisation", i, "its ID must be a provisional number below zero")
		}
		if _, dup := orgLevel[o.ID]; dup {
			return bulkProblem("Organisation", i, "its ID %d is used twice", o.ID)
		}
		if o.Level != upskill.LevelRegion && o.Level != upskill.LevelOrganisation {
			return bulkProblem("Organisation", i, "only regions and organisations can be loaded, not %q", o.Level)
		}
		if o.ParentID < 0 {
			pl, ok := orgLevel[o.ParentID]
			if !ok {
				return bulkProblem("Organisation", i, "its parent %d is not an earlier organisation of the load", o.ParentID)
			}
			if pl != o.Level.Parent() {
				return bulkProblem("Organisation", i, "a %s cannot be placed in a %s", o.Level, pl)
			}
		} else if o.ParentID == 0 {
			return bulkProblem("Organisation", i, "it has no parent")
		}
		in := upskill.OrganisationInput{Name: o.Name, Type: o.Type, Code: o.Code, ReassessMonths: o.ReassessMonths}
		if err := in.Validate(o.Level); err != nil {
			return bulkProblem("Organisation", i, "%s", firstProblem(err))
		}
		if o.Level != upskill.LevelOrganisation {
			in.Type = ""
		}
		o.Name, o.Type, o.Code = in.Name, in.Type, in.Code
		orgLevel[o.ID] = o.Level
	}

	siteOrg := make(map[int64]int64, len(b.Sites))
	siteNames := map[[2]string]bool{}
	for i := range b.Sites {
		st := &b.Sites[i]
		if st.ID >= 0 {
			return bulkProblem("Site", i, "its ID must be a provisional number below zero")
		}
		if _, dup := siteOrg[st.ID]; dup {
			return bulkProblem("Site", i, "its ID %d is used twice", st.ID)
		}
		if st.OrganisationID == 0 || st.OrganisationID < 0 && orgLevel[st.OrganisationID] != upskill.LevelOrganisation {
			return bulkProblem("Site", i, "its organisation %d is not an organisation of the load", st.OrganisationID)
		}
		name, err := upskill.ValidateSiteName(st.Name)
		if err != nil {
			return bulkProblem("Site", i, "%s", firstProblem(err))
		}
		key := [2]string{strconv.FormatInt(st.OrganisationID, 10), strings.ToLower(name)}
		if siteNames[key] {
			return bulkProblem("Site", i, "its organisation has another site called %s", name)
		}
		siteNames[key], st.Name, siteOrg[st.ID] = true, name, st.OrganisationID
	}

	type unitInfo struct {
		org  int64
		kind upskill.UnitKind
	}
	units := make(map[int64]unitInfo, len(b.Units))
	for i := range b.Units {
		u := &b.Units[i]
		if u.ID >= 0 {
			return bulkProblem("Unit", i, "its ID must be a provisional number below zero")
		}
		if _, dup := units[u.ID]; dup {
			return bulkProblem("Unit", i, "its ID %d is used twice", u.ID)
		}
		if u.OrganisationID == 0 {
			return bulkProblem("Unit", i, "it has no organisation")
		}
		if u.OrganisationID < 0 && orgLevel[u.OrganisationID] != upskill.LevelOrganisation {
			return bulkProblem("Unit", i, "its organisation %d is not an organisation of the load", u.OrganisationID)
		}
		u.Kind = upskill.UnitDepartment
		if u.ParentID != 0 {
			u.Kind = upskill.UnitTeam
			parent, ok := units[u.ParentID]
			switch {
			case !ok:
				return bulkProblem("Unit", i, "its department %d is not an earlier unit of the load", u.ParentID)
			case parent.kind != upskill.UnitDepartment:
				return bulkProblem("Unit", i, "teams can only be added to a department, not to another team")
			case parent.org != u.OrganisationID:
				return bulkProblem("Unit", i, "its department belongs to another organisation")
			}
		}
		name, err := upskill.ValidateUnitName(u.Kind, u.Name)
		if err != nil {
			return bulkProblem("Unit", i, "%s", firstProblem(err))
		}
		if u.SiteID != 0 {
			switch org, ok := siteOrg[u.SiteID]; {
			case u.Kind != upskill.UnitDepartment:
				return bulkProblem("Unit", i, "a team works from its department's site and has none of its own")
			case !ok:
				return bulkProblem("Unit", i, "its site %d is not a site of the load", u.SiteID)
			case org != u.OrganisationID:
				return bulkProblem("Unit", i, "its site belongs to another organisation")
			}
		}
		u.Name = name
		units[u.ID] = unitInfo{org: u.OrganisationID, kind: u.Kind}
	}

	people := make(map[int64]struct{}, len(b.People))
	emails := make(map[string]int, len(b.People))
	for i := range b.People {
		p := &b.People[i]
		if p.ID >= 0 {
			return bulkProblem("Person", i, "their ID must be a provisional number below zero")
		}
		if _, dup := people[p.ID]; dup {
			return bulkProblem("Person", i, "their ID %d is used twice", p.ID)
		}
		p.Email = upskill.NormaliseEmail(p.Email)
		if msg := upskill.ValidateEmail(p.Email); msg != "" {
			return bulkProblem("Person", i, "%s", msg)
		}
		if j, dup := emails[p.Email]; dup {
			return bulkProblem("Person", i, "%s is also the email address of person %d", p.Email, j+1)
		}
		name, msg := upskill.ValidateName(p.Name)
		if msg != "" {
			return bulkProblem("Person", i, "%s", msg)
		}
		p.Name = name
		people[p.ID] = struct{}{}
		emails[p.Email] = i
	}

	// Each membership must be the person's only current one in its
	// organisation; line managers are looked up by the same key.
	current := make(map[personOrg]struct{}, len(b.Memberships))
	for i := range b.Memberships {
		m := &b.Memberships[i]
		if _, ok := people[m.PersonID]; !ok {
			return bulkProblem("Membership", i, "its person %d is not a person of the load", m.PersonID)
		}
		if m.OrganisationID == 0 {
			return bulkProblem("Membership", i, "it has no organisation")
		}
		if m.OrganisationID < 0 {
			level, ok := orgLevel[m.OrganisationID]
			if !ok {
				return bulkProblem("Membership", i, "its organisation %d is not an organisation of the load", m.OrganisationID)
			}
			var p upskill.Problems
			upskill.CheckMembership(&p, level, m.Roles, m.StaffAttributes)
			if err := p.Err(); err != nil {
				return bulkProblem("Membership", i, "%s", firstProblem(err))
			}
		}
		if m.EndedAt.IsZero() {
			key := personOrg{m.PersonID, m.OrganisationID}
			if _, dup := current[key]; dup {
				return bulkProblem("Membership", i, "the person already has a membership of this organisation")
			}
			current[key] = struct{}{}
		}
	}
	// Placement is checked once every membership is known, so that a line
	// manager may come later in the slice than the people they manage.
	for i := range b.Memberships {
		m := &b.Memberships[i]
		if m.UnitID != 0 {
			u, ok := units[m.UnitID]
			switch {
			case !ok:
				return bulkProblem("Membership", i, "its unit %d is not a unit of the load", m.UnitID)
			case u.org != m.OrganisationID:
				return bulkProblem("Membership", i, "its department or team belongs to another organisation")
			}
		}
		if m.LineManagerID != 0 {
			if m.LineManagerID == m.PersonID {
				return bulkProblem("Membership", i, "a person cannot be their own line manager")
			}
			if _, ok := current[personOrg{m.LineManagerID, m.OrganisationID}]; !ok {
				return bulkProblem("Membership", i, "its line manager has no current membership of the same organisation in the load")
			}
		}
	}
	return nil
}

// checkStoredRefs checks the references to organisations already stored:
// that they exist and are at the right level. Memberships of stored
// organisations have their roles checked here, once the level is known.
func (s *Store) checkStoredRefs(ctx context.Context, tx *sql.Tx, b *Bulk) error {
	levels := map[int64]upskill.Level{}
	level := func(id int64) (upskill.Level, error) {
		if l, ok := levels[id]; ok {
			return l, nil
		}
		var l string
		err := tx.QueryRowContext(ctx, s.q(`SELECT level FROM organisations WHERE id = ?`), id).Scan(&l)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		if err != nil {
			return "", s.fault(err)
		}
		levels[id] = upskill.Level(l)
		return upskill.Level(l), nil
	}
	for i, o := range b.Organisations {
		if o.ParentID <= 0 {
			continue
		}
		l, err := level(o.ParentID)
		if err != nil {
			return err
		}
		if l != o.Level.Parent() {
			return bulkProblem("Organisation", i, "its parent %d is not a stored %s", o.ParentID, o.Level.Parent())
		}
	}
	for i, u := range b.Units {
		if u.OrganisationID <= 0 {
			continue
		}
		l, err := level(u.OrganisationID)
		if err != nil {
			return err
		}
		if l != upskill.LevelOrganisation {
			return bulkProblem("Unit", i, "its organisation %d is not a stored organisation", u.OrganisationID)
		}
	}
	for i, st := range b.Sites {
		if st.OrganisationID <= 0 {
			continue
		}
		l, err := level(st.OrganisationID)
		if err != nil {
			return err
		}
		if l != upskill.LevelOrganisation {
			return bulkProblem("Site", i, "its organisation %d is not a stored organisation", st.OrganisationID)
		}
	}
	for i, m := range b.Memberships {
		if m.OrganisationID <= 0 {
			continue
		}
		l, err := level(m.OrganisationID)
		if err != nil {
			return err
		}
		if l == "" {
			return bulkProblem("Membership", i, "its organisation %d is not stored", m.OrganisationID)
		}
		var p upskill.Problems
		upskill.CheckMembership(&p, l, m.Roles, m.StaffAttributes)
		if err := p.Err(); err != nil {
			return bulkProblem("Membership", i, "%s", firstProblem(err))
		}
	}
	return nil
}

// bulkIDs maps the provisional ids of a Bulk to the ids they are stored
// under.
type bulkIDs struct {
	orgs, sites, units, people map[int64]int64
	memberships                []int64
	attempts                   []int64
}

// org returns the stored id of an organisation reference.
func (ids *bulkIDs) org(ref int64) int64 {
	if ref < 0 {
		return ids.orgs[ref]
	}
	return ref
}

func (ids *bulkIDs) unit(ref int64) int64 {
	if ref < 0 {
		return ids.units[ref]
	}
	return ref
}

func (ids *bulkIDs) person(ref int64) int64 {
	if ref < 0 {
		return ids.people[ref]
	}
	return ref
}

// reserveBulkIDs takes a block of ids for each table (see reserveIDs).
// Knowing every id before writing lets all references be resolved in Go,
// so that each table is written with plain multi-row INSERTs and nothing
// is read back.
func (s *Store) reserveBulkIDs(ctx context.Context, tx *sql.Tx, b *Bulk) (bulkIDs, error) {
	var ids bulkIDs
	take := func(table string, n int) ([]int64, error) { return s.reserveIDs(ctx, tx, table, n) }
	index := func(table string, refs []int64) (map[int64]int64, error) {
		got, err := take(table, len(refs))
		if err != nil {
			return nil, err
		}
		m := make(map[int64]int64, len(refs))
		for i, ref := range refs {
			m[ref] = got[i]
		}
		return m, nil
	}
	var err error
	refs := make([]int64, 0, max(len(b.Organisations), len(b.Units), len(b.People)))
	for _, o := range b.Organisations {
		refs = append(refs, o.ID)
	}
	if ids.orgs, err = index("organisations", refs); err != nil {
		return ids, err
	}
	refs = refs[:0]
	for _, st := range b.Sites {
		refs = append(refs, st.ID)
	}
	if ids.sites, err = index("sites", refs); err != nil {
		return ids, err
	}
	refs = refs[:0]
	for _, u := range b.Units {
		refs = append(refs, u.ID)
	}
	if ids.units, err = index("units", refs); err != nil {
		return ids, err
	}
	refs = refs[:0]
	for _, p := range b.People {
		refs = append(refs, p.ID)
	}
	if ids.people, err = index("people", refs); err != nil {
		return ids, err
	}
	if ids.memberships, err = take("memberships", len(b.Memberships)); err != nil {
		return ids, err
	}
	ids.attempts, err = take("attempts", len(b.Attempts))
	return ids, err
}

// insertBulk writes every row of b under the reserved ids.
func (s *Store) insertBulk(ctx context.Context, tx *sql.Tx, b *Bulk, ids *bulkIDs, now time.Time) error {
	err := s.insertRows(ctx, tx, "organisations",
		[]string{"id", "parent_id", "level", "org_type", "name", "code", "reassess_months", "created_at", "updated_at"},
		len(b.Organisations), func(i int, row []any) {
			o := &b.Organisations[i]
			row[0], row[1], row[2], row[3] = ids.orgs[o.ID], ids.org(o.ParentID), string(o.Level), string(o.Type)
			row[4], row[5], row[6], row[7], row[8] = o.Name, o.Code, int64(o.ReassessMonths), now, now
		})
	if err != nil {
		return err
	}
	err = s.insertRows(ctx, tx, "sites", []string{"id", "organisation_id", "name", "created_at"},
		len(b.Sites), func(i int, row []any) {
			st := &b.Sites[i]
			row[0], row[1], row[2], row[3] = ids.sites[st.ID], ids.org(st.OrganisationID), st.Name, now
		})
	if isUniqueViolation(err) {
		return upskill.Errorf(upskill.EINVALID, "A site of the load has the name of a site its organisation already has.")
	}
	if err != nil {
		return err
	}
	err = s.insertRows(ctx, tx, "units",
		[]string{"id", "organisation_id", "parent_id", "kind", "name", "created_at", "site_id"},
		len(b.Units), func(i int, row []any) {
			u := &b.Units[i]
			row[0], row[1], row[2] = ids.units[u.ID], ids.org(u.OrganisationID), nullID(ids.unit(u.ParentID))
			row[3], row[4], row[5], row[6] = string(u.Kind), u.Name, now, nullID(ids.sites[u.SiteID])
		})
	if err != nil {
		return err
	}
	var verified any
	if b.Verified {
		verified = now
	}
	err = s.insertRows(ctx, tx, "people",
		[]string{"id", "email", "name", "password_hash", "email_verified_at", "created_at", "updated_at"},
		len(b.People), func(i int, row []any) {
			p := &b.People[i]
			row[0], row[1], row[2], row[3] = ids.people[p.ID], p.Email, p.Name, b.PasswordHash
			row[4], row[5], row[6] = verified, now, now
		})
	if err != nil {
		return err
	}
	names, err := s.bulkNames(ctx, tx, b)
	if err != nil {
		return err
	}
	return s.insertRows(ctx, tx, "memberships",
		[]string{"id", "person_id", "organisation_id", "roles", "staff_group", "job_role", "pay_band",
			"unit_id", "line_manager_id", "started_at", "ended_at", "sort_name"},
		len(b.Memberships), func(i int, row []any) {
			m := &b.Memberships[i]
			started := m.StartedAt
			if started.IsZero() {
				started = now
			}
			row[0], row[1], row[2], row[3] = ids.memberships[i], ids.person(m.PersonID), ids.org(m.OrganisationID), int64(m.Roles)
			row[4], row[5], row[6] = string(m.StaffGroup), m.JobRole, string(m.PayBand)
			row[7], row[8] = nullID(ids.unit(m.UnitID)), nullID(ids.person(m.LineManagerID))
			row[9], row[10], row[11] = started.UTC().Truncate(time.Microsecond), nullTime(m.EndedAt), sortName(names[m.PersonID])
		})
}

// bulkNames returns the name of every person a membership of b refers to,
// by the id b uses: provisional for people in b, stored for others.
func (s *Store) bulkNames(ctx context.Context, tx *sql.Tx, b *Bulk) (map[int64]string, error) {
	names := make(map[int64]string, len(b.People))
	for _, p := range b.People {
		names[p.ID] = p.Name
	}
	for _, m := range b.Memberships {
		if _, ok := names[m.PersonID]; ok || m.PersonID <= 0 {
			continue
		}
		var name string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM people WHERE id = ?`), m.PersonID).Scan(&name); err != nil {
			return nil, s.fault(err)
		}
		names[m.PersonID] = name
	}
	return names, nil
}

// insertRows writes n rows into table with multi-row INSERT statements,
// one prepared statement for every full batch and one more for the rest.
// fill puts row i's values, in the order of cols, into row. It is called
// once for each row, in order, on a goroutine of its own, so that making
// the next batch's values overlaps with the database writing this one; it
// must only read what the load will not change until insertRows returns.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, fill func(i int, row []any)) error {
	return s.insertRowsThen(ctx, tx, table, cols, n, fill, "")
}

// insertRowsThen is insertRows with a clause after the values, such as
// ON CONFLICT ... DO UPDATE, which both engines take alike. No two rows of
// one call may meet the same conflict.
func (s *Store) insertRowsThen(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, fill func(i int, row []any), then string) error {
	if n == 0 {
		return nil
	}
	width := len(cols)
	per := min(n, max(1, bulkParams/width))
	// PostgreSQL takes explicit values for identity columns only when told.
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ")" +
		s.pick("", " OVERRIDING SYSTEM VALUE") + " VALUES "
	statement := func(rows int) string {
		var sb strings.Builder
		sb.Grow(len(head) + rows*(width*3+4))
		sb.WriteString(head)
		for r := range rows {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for c := range width {
				if c > 0 {
					sb.WriteString(", ")
				}
				sb.WriteByte('?')
			}
			sb.WriteByte(')')
		}
		if then != "" {
			sb.WriteString(" " + then)
		}
		// Not s.q: its cache would keep every odd-sized statement forever.
		if s.engine == Postgres {
			return rebind(sb.String())
		}
		return sb.String()
	}
	full, err := tx.PrepareContext(ctx, statement(per))
	if err != nil {
		return err
	}
	defer full.Close()

	// Two buffers take turns: one is filled while the other is written.
	type batch struct {
		args []any
		rows int
	}
	const buffers = 2
	free := make(chan []any, buffers)
	for range buffers {
		free <- make([]any, per*width)
	}
	ready := make(chan batch, buffers)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(ready)
		for start := 0; start < n; start += per {
			var args []any
			select {
			case args = <-free:
			case <-stop:
				return
			}
			k := min(per, n-start)
			args = args[:k*width]
			for r := range k {
				fill(start+r, args[r*width:(r+1)*width])
			}
			select {
			case ready <- batch{args, k}:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		<-done
	}()
	for b := range ready {
		if b.rows == per {
			_, err = full.ExecContext(ctx, b.args...)
		} else {
			_, err = tx.ExecContext(ctx, statement(b.rows), b.args...)
		}
		if err != nil {
			return err
		}
		free <- b.args[:cap(b.args)]
	}
	return nil
}

// apply writes the stored ids back into b once the load has committed.
func (ids *bulkIDs) apply(b *Bulk, now time.Time) {
	for i := range b.Organisations {
		o := &b.Organisations[i]
		o.ID, o.ParentID = ids.orgs[o.ID], ids.org(o.ParentID)
		o.CreatedAt, o.UpdatedAt = now, now
	}
	for i := range b.Sites {
		st := &b.Sites[i]
		st.ID, st.OrganisationID, st.CreatedAt = ids.sites[st.ID], ids.org(st.OrganisationID), now
	}
	for i := range b.Units {
		u := &b.Units[i]
		u.ID, u.OrganisationID, u.ParentID = ids.units[u.ID], ids.org(u.OrganisationID), ids.unit(u.ParentID)
		u.SiteID = ids.sites[u.SiteID]
		u.CreatedAt = now
	}
	for i := range b.People {
		p := &b.People[i]
		p.ID = ids.people[p.ID]
		p.CreatedAt, p.UpdatedAt = now, now
		if b.Verified {
			p.EmailVerifiedAt = now
		}
	}
	for i := range b.Memberships {
		m := &b.Memberships[i]
		m.ID, m.PersonID, m.OrganisationID = ids.memberships[i], ids.person(m.PersonID), ids.org(m.OrganisationID)
		m.UnitID, m.LineManagerID = ids.unit(m.UnitID), ids.person(m.LineManagerID)
		if m.StartedAt.IsZero() {
			m.StartedAt = now
		}
	}
	for i := range b.Attempts {
		a := &b.Attempts[i]
		a.ID, a.PersonID, a.OrganisationID = ids.attempts[i], ids.person(a.PersonID), ids.org(a.OrganisationID)
		a.StartedAt, a.UpdatedAt, a.SubmittedAt = attemptTimes(a)
	}
}
