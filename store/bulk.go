package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"upskill"
)

// Bulk is a whole piece of the hierarchy to store at once: organisations,
// their departments and teams, people and their memberships. It is for
// loads far too large to go through the one-at-a-time methods, such as the
// demo data.
//
// Rows cannot know their ids before they are stored, so each row's ID is a
// provisional number below zero, unique within its slice, and rows refer to
// each other by these numbers. A reference above zero names a row already
// in the database; only organisations may be referred to that way (the
// parent of a new region or organisation, the organisation of a new unit or
// membership). Zero means none.
//
// Parents come before their children: a region before its organisations,
// a department before its teams.
type Bulk struct {
	// Organisations are regions and organisations; the nation is never
	// created here. Read: ID, ParentID, Level, Type, Name, Code,
	// ReassessMonths.
	Organisations []upskill.Organisation
	// Units are departments (ParentID 0) and teams. Read: ID,
	// OrganisationID, ParentID, Name.
	Units []upskill.Unit
	// People are new identities. Read: ID, Email, Name.
	People []upskill.Person
	// Memberships place the new people. Read: PersonID (a new person),
	// OrganisationID, Roles, StaffAttributes (UnitID and LineManagerID
	// refer to new units and people), StartedAt (now when zero) and EndedAt.
	Memberships []upskill.Membership

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
	now := s.clock()
	if s.engine == SQLite {
		restore, err := s.tuneSQLiteForBulk(ctx)
		if err != nil {
			return s.fault(err)
		}
		defer restore()
	}
	var ids bulkIDs
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkStoredRefs(ctx, tx, b); err != nil {
			return err
		}
		var err error
		if ids, err = s.reserveBulkIDs(ctx, tx, b); err != nil {
			return err
		}
		if err := s.insertBulk(ctx, tx, b, &ids, now); err != nil {
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
		if b.Detail != "" {
			detail = b.Detail + ": " + detail
		}
		return s.audit(ctx, tx, actorID, nationID, action, "", 0, detail)
	})
	if err != nil {
		return err
	}
	ids.apply(b, now)
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

// tuneSQLiteForBulk gives the SQLite writer a larger page cache and keeps
// its statement journals in memory while a load runs, so that a load's
// pages are not spilled to the WAL and read back before it commits; that
// saves about a fifth of the time. The writer is a single connection, so
// the settings reach the load's transaction; restore puts them back.
func (s *Store) tuneSQLiteForBulk(ctx context.Context) (restore func(), err error) {
	var cacheSize, tempStore int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return nil, err
	}
	if err := s.w.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&tempStore); err != nil {
		return nil, err
	}
	// 256 MiB at most: pages are only taken as the load needs them.
	if _, err := s.w.ExecContext(ctx, `PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY`); err != nil {
		return nil, err
	}
	return func() {
		// A fresh context: the settings go back even when the load was
		// cancelled.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA temp_store = %d`, cacheSize, tempStore))
	}, nil
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
	type personOrg struct{ person, org int64 }
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
	orgs, units, people map[int64]int64
	memberships         []int64
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

// reserveBulkIDs takes a block of ids for each table. Knowing every id
// before writing lets all references be resolved in Go, so that each table
// is written with plain multi-row INSERTs and nothing is read back. On
// PostgreSQL the ids come from the identity column's own sequence, so they
// can never clash with rows others insert meanwhile; on SQLite the write
// transaction holds the only write lock, so the ids above the largest
// stored one are free.
func (s *Store) reserveBulkIDs(ctx context.Context, tx *sql.Tx, b *Bulk) (bulkIDs, error) {
	var ids bulkIDs
	take := func(table string, n int) ([]int64, error) {
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
		var top int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM `+table).Scan(&top); err != nil {
			return nil, s.fault(err)
		}
		for i := range n {
			out = append(out, top+int64(i)+1)
		}
		return out, nil
	}
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
	ids.memberships, err = take("memberships", len(b.Memberships))
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
	err = s.insertRows(ctx, tx, "units",
		[]string{"id", "organisation_id", "parent_id", "kind", "name", "created_at"},
		len(b.Units), func(i int, row []any) {
			u := &b.Units[i]
			row[0], row[1], row[2] = ids.units[u.ID], ids.org(u.OrganisationID), nullID(ids.unit(u.ParentID))
			row[3], row[4], row[5] = string(u.Kind), u.Name, now
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
// fill puts row i's values, in the order of cols, into row.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, fill func(i int, row []any)) error {
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
	args := make([]any, per*width)
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		args = args[:k*width]
		for r := range k {
			fill(start+r, args[r*width:(r+1)*width])
		}
		if k == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, statement(k), args...)
		}
		if err != nil {
			return err
		}
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
	for i := range b.Units {
		u := &b.Units[i]
		u.ID, u.OrganisationID, u.ParentID = ids.units[u.ID], ids.org(u.OrganisationID), ids.unit(u.ParentID)
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
}
