package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"upskill"
)

const personColumns = `p.id, p.email, p.name, p.email_verified_at, p.created_at, p.updated_at`

func scanPerson(row interface{ Scan(...any) error }, extra ...any) (*upskill.Person, error) {
	var p upskill.Person
	var verified sql.NullTime
	dest := append([]any{&p.ID, &p.Email, &p.Name, &verified, &p.CreatedAt, &p.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	p.EmailVerifiedAt = verified.Time
	return &p, nil
}

var errNoPerson = upskill.Errorf(upskill.ENOTFOUND, "There is no such person.")

// Person returns a person by id. It is for the person themselves and for
// code that has already established the caller's right to see them.
func (s *Store) Person(ctx context.Context, id int64) (*upskill.Person, error) {
	p, err := scanPerson(s.queryRow(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoPerson
	}
	return p, s.fault(err)
}

// Credentials returns the person with the given email and their password
// hash ("" when they have not set one), for signing in.
func (s *Store) Credentials(ctx context.Context, email string) (*upskill.Person, string, error) {
	var hash string
	p, err := scanPerson(s.queryRow(ctx, `SELECT `+personColumns+`, p.password_hash FROM people p WHERE p.email = ?`,
		upskill.NormaliseEmail(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errNoPerson
	}
	return p, hash, s.fault(err)
}

// PasswordHash returns the stored hash of a person's password.
func (s *Store) PasswordHash(ctx context.Context, personID int64) (string, error) {
	var hash string
	err := s.queryRow(ctx, `SELECT password_hash FROM people WHERE id = ?`, personID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoPerson
	}
	return hash, s.fault(err)
}

// SetPassword changes a person's password and signs them out of every other
// session.
func (s *Store) SetPassword(ctx context.Context, personID int64, hash, keepSession string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?`), hash, s.clock(), personID); err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE person_id = ? AND token_hash <> ?`), personID, keepSession); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, personID, 0, "change_password", "person", personID, "")
	})
}

// RehashPassword replaces a password hash with a stronger hash of the same
// password, unless the password has changed meanwhile.
func (s *Store) RehashPassword(ctx context.Context, personID int64, old, hash string) error {
	_, err := s.exec(ctx, `UPDATE people SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, personID, old)
	return s.fault(err)
}

// SetName changes a person's own name.
func (s *Store) SetName(ctx context.Context, personID int64, name string) error {
	name, msg := upskill.ValidateName(name)
	if msg != "" {
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "name", Message: msg}}}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.rename(ctx, tx, personID, name)
	})
}

// rename changes a person's name everywhere it is kept.
func (s *Store) rename(ctx context.Context, tx *sql.Tx, personID int64, name string) error {
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE people SET name = ?, updated_at = ? WHERE id = ?`), name, s.clock(), personID); err != nil {
		return s.fault(err)
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE memberships SET sort_name = ? WHERE person_id = ?`), sortName(name), personID)
	return s.fault(err)
}

// sortName is the key people are listed by: their name in lower case,
// compared byte by byte on both engines.
func sortName(name string) string { return strings.ToLower(name) }

// Actor loads a person and their current memberships for access decisions.
func (s *Store) Actor(ctx context.Context, personID int64) (*upskill.Actor, error) {
	p, err := s.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.ActorOf(ctx, p)
}

// ActorOf loads the current memberships of a person already read.
func (s *Store) ActorOf(ctx context.Context, p *upskill.Person) (*upskill.Actor, error) {
	a := &upskill.Actor{PersonID: p.ID, Name: p.Name, Email: p.Email, EmailVerified: p.EmailVerified()}
	rows, err := s.query(ctx, `SELECT o.id, coalesce(o.parent_id, 0), o.level, o.name, m.roles
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.person_id = ? AND m.ended_at IS NULL`, p.ID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m upskill.ActorMembership
		var level string
		if err := rows.Scan(&m.Org.ID, &m.Org.ParentID, &level, &m.OrgName, &m.Roles); err != nil {
			return nil, s.fault(err)
		}
		m.Org.Level = upskill.Level(level)
		a.Memberships = append(a.Memberships, m)
	}
	sortMemberships(a.Memberships)
	return a, s.fault(rows.Err())
}

// sortMemberships puts the nation first, then regions, then organisations,
// each by name. A person has few memberships, so sorting here costs less
// than asking the database to.
func sortMemberships(ms []upskill.ActorMembership) {
	rank := func(l upskill.Level) int {
		switch l {
		case upskill.LevelNation:
			return 0
		case upskill.LevelRegion:
			return 1
		}
		return 2
	}
	slices.SortFunc(ms, func(a, b upskill.ActorMembership) int {
		if d := rank(a.Org.Level) - rank(b.Org.Level); d != 0 {
			return d
		}
		return strings.Compare(strings.ToLower(a.OrgName), strings.ToLower(b.OrgName))
	})
}

// HasNationalAdmin reports whether anyone administers the service yet.
func (s *Store) HasNationalAdmin(ctx context.Context) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE o.level = 'nation' AND m.ended_at IS NULL AND (m.roles & ?) <> 0`, upskill.RoleNationalAdmin).Scan(&n)
	return n > 0, s.fault(err)
}

// NewAccount is a person created with a password: the first admin, or an
// account made from the command line.
type NewAccount struct {
	Email        string
	Name         string
	PasswordHash string
	Verified     bool
}

func validateAccount(email, name string) (string, string, error) {
	var p upskill.Problems
	email = upskill.NormaliseEmail(email)
	if msg := upskill.ValidateEmail(email); msg != "" {
		p.Add("email", msg)
	}
	name, msg := upskill.ValidateName(name)
	if msg != "" {
		p.Add("name", msg)
	}
	return email, name, p.Err()
}

func emailTaken() error {
	msg := "There is already an account with that email address"
	return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "email", Message: msg}}}
}

// CreateNationalAdmin creates the nation if there is none yet and makes the
// account its national admin. An existing person with that email address
// is given the role instead, keeping their password.
func (s *Store) CreateNationalAdmin(ctx context.Context, actorID int64, nationName string, acct NewAccount) (*upskill.Person, error) {
	email, name, err := validateAccount(acct.Email, acct.Name)
	if err != nil {
		return nil, err
	}
	nation := upskill.OrganisationInput{Name: nationName}
	if err := nation.Validate(upskill.LevelNation); err != nil {
		return nil, err
	}
	var personID int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		nationID, err := s.ensureNationTx(ctx, tx, nation.Name)
		if err != nil {
			return err
		}
		personID, err = s.createOrFindPerson(ctx, tx, email, name, acct.PasswordHash, acct.Verified)
		if err != nil {
			return err
		}
		if err := s.grantRole(ctx, tx, personID, nationID, upskill.RoleNationalAdmin); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, nationID, "add_national_admin", "person", personID, email)
	})
	if err != nil {
		return nil, err
	}
	return s.Person(ctx, personID)
}

// createOrFindPerson returns the id of the person with email, creating them
// when there is none.
func (s *Store) createOrFindPerson(ctx context.Context, tx *sql.Tx, email, name, passwordHash string, verified bool) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM people WHERE email = ?`), email).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, s.fault(err)
	}
	now := s.clock()
	var verifiedAt time.Time
	if verified {
		verifiedAt = now
	}
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO people (email, name, password_hash, email_verified_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), email, name, passwordHash, nullTime(verifiedAt), now, now).Scan(&id)
	if isUniqueViolation(err) {
		return 0, emailTaken()
	}
	return id, s.fault(err)
}

// grantRole adds role to the person's current membership of org, creating
// the membership when there is none.
func (s *Store) grantRole(ctx context.Context, tx *sql.Tx, personID, orgID int64, role upskill.Role) error {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE memberships SET roles = roles | ? WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`),
		role, personID, orgID)
	if err != nil {
		return s.fault(err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var name string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM people WHERE id = ?`), personID).Scan(&name); err != nil {
		return s.fault(err)
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO memberships (person_id, organisation_id, roles, started_at, sort_name) VALUES (?, ?, ?, ?, ?)`),
		personID, orgID, role, s.clock(), sortName(name))
	return s.fault(err)
}

// MemberInput is what an admin gives to add a person to a node.
type MemberInput struct {
	Email string
	Name  string
	Roles upskill.RoleSet
	upskill.StaffAttributes
}

// Added is the outcome of adding a person to a node.
type Added struct {
	Person *upskill.Person
	// NewPerson is true when the email address was new to the service.
	NewPerson bool
	// Invitation is the secret of the link that lets the person set a
	// password; "" when they already have one.
	Invitation string
}

// AddMember gives a person a membership of org, creating their identity when
// the email address is new. A person who already has an identity keeps it,
// with their name and password; only the new membership is added.
func (s *Store) AddMember(ctx context.Context, actorID int64, org *upskill.Organisation, in MemberInput) (*Added, error) {
	var p upskill.Problems
	email := upskill.NormaliseEmail(in.Email)
	if msg := upskill.ValidateEmail(email); msg != "" {
		p.Add("email", msg)
	}
	name, msg := upskill.ValidateName(in.Name)
	if msg != "" {
		p.Add("name", msg)
	}
	upskill.CheckMembership(&p, org.Level, in.Roles, in.StaffAttributes)
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &Added{}
	var personID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkPlacement(ctx, tx, org.ID, 0, in.StaffAttributes); err != nil {
			return err
		}
		var hash string
		personName := name
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, name, password_hash FROM people WHERE email = ?`), email).Scan(&personID, &personName, &hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			out.NewPerson = true
			if personID, err = s.createOrFindPerson(ctx, tx, email, name, "", false); err != nil {
				return err
			}
		case err != nil:
			return s.fault(err)
		}
		var exists int
		err = tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM memberships WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`),
			personID, org.ID).Scan(&exists)
		if err != nil {
			return s.fault(err)
		}
		if exists > 0 {
			msg := "This person is already a member of " + org.Name
			return &upskill.Error{Code: upskill.ECONFLICT, Message: msg, Fields: []upskill.FieldError{{Field: "email", Message: msg}}}
		}
		a := in.StaffAttributes
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO memberships
			(person_id, organisation_id, roles, staff_group, job_role, pay_band, unit_id, line_manager_id, started_at, sort_name, ddat_role, ddat_level)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			personID, org.ID, in.Roles, a.StaffGroup, a.JobRole, a.PayBand, nullID(a.UnitID), nullID(a.LineManagerID), s.clock(), sortName(personName),
			a.DDaTRole, a.DDaTLevel)
		if err != nil {
			return s.fault(err)
		}
		if hash == "" {
			if out.Invitation, err = s.issueToken(ctx, tx, TokenInvitation, personID, org.ID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actorID, org.ID, "add_member", "person", personID, email+" as "+in.Roles.Labels())
	})
	if err != nil {
		return nil, err
	}
	if out.Person, err = s.Person(ctx, personID); err != nil {
		return nil, err
	}
	return out, nil
}

// Reinvite issues a fresh invitation link for a member of org who has not
// yet set a password, and returns its secret.
func (s *Store) Reinvite(ctx context.Context, actorID, orgID, personID int64) (string, error) {
	var secret string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var hash string
		err := tx.QueryRowContext(ctx, s.q(`SELECT p.password_hash FROM people p JOIN memberships m ON m.person_id = p.id
			WHERE p.id = ? AND m.organisation_id = ? AND m.ended_at IS NULL`), personID, orgID).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoPerson
		}
		if err != nil {
			return s.fault(err)
		}
		if hash != "" {
			return upskill.Errorf(upskill.ECONFLICT, "This person has already accepted their invitation.")
		}
		if secret, err = s.issueToken(ctx, tx, TokenInvitation, personID, orgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, orgID, "reinvite", "person", personID, "")
	})
	return secret, err
}

// checkPlacement checks that the unit and line manager belong to the
// organisation, so that one organisation can never point at another's.
func (s *Store) checkPlacement(ctx context.Context, tx *sql.Tx, orgID, personID int64, a upskill.StaffAttributes) error {
	var p upskill.Problems
	if a.UnitID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM units WHERE id = ? AND organisation_id = ?`), a.UnitID, orgID).Scan(&n); err != nil {
			return s.fault(err)
		}
		if n == 0 {
			p.Add("unit", "Select a department or team of this organisation")
		}
	}
	if a.LineManagerID != 0 {
		if a.LineManagerID == personID {
			p.Add("line_manager", "A person cannot be their own line manager")
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM memberships WHERE person_id = ? AND organisation_id = ? AND ended_at IS NULL`),
				a.LineManagerID, orgID).Scan(&n); err != nil {
				return s.fault(err)
			}
			if n == 0 {
				p.Add("line_manager", "Select a line manager who works in this organisation")
			}
		}
	}
	return p.Err()
}

// PeopleFilter narrows a list of an organisation's people.
type PeopleFilter struct {
	Query         string // part of a name or email address
	UnitID        int64  // in this department or team, or a team of this department
	StaffGroup    upskill.StaffGroup
	Role          upskill.Role
	LineManagerID int64 // only the people this person line manages
	Page          int   // from 1
	PerPage       int
}

// PersonRow is one line of a list of people.
type PersonRow struct {
	PersonID   int64
	Name       string
	Email      string
	Invited    bool // has not yet set a password
	Roles      upskill.RoleSet
	StaffGroup upskill.StaffGroup
	JobRole    string
	PayBand    upskill.PayBand
	UnitName   string
	StartedAt  time.Time
}

// PeoplePage is one page of a list of people.
type PeoplePage struct {
	People  []PersonRow
	Total   int
	Page    int
	PerPage int
}

// Pages is how many pages the whole list fills.
func (p *PeoplePage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// People lists the current members of an organisation that match the filter.
func (s *Store) People(ctx context.Context, orgID int64, f PeopleFilter) (*PeoplePage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	where := []string{"m.organisation_id = ?", "m.ended_at IS NULL"}
	args := []any{orgID}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := "%" + escapeLike(q) + "%"
		where = append(where, `(lower(p.name) LIKE ? ESCAPE '\' OR p.email LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if f.UnitID != 0 {
		where = append(where, "(m.unit_id = ? OR m.unit_id IN (SELECT id FROM units WHERE parent_id = ? AND organisation_id = ?))")
		args = append(args, f.UnitID, f.UnitID, orgID)
	}
	if f.StaffGroup != "" {
		where = append(where, "m.staff_group = ?")
		args = append(args, f.StaffGroup)
	}
	if f.Role != 0 {
		where = append(where, "(m.roles & ?) <> 0")
		args = append(args, f.Role)
	}
	if f.LineManagerID != 0 {
		where = append(where, "m.line_manager_id = ?")
		args = append(args, f.LineManagerID)
	}
	cond := strings.Join(where, " AND ")
	page := &PeoplePage{Page: f.Page, PerPage: f.PerPage}
	// The count reads the memberships alone unless the search needs names.
	countFrom := ` FROM memberships m WHERE `
	if strings.Contains(cond, "p.") {
		countFrom = ` FROM memberships m JOIN people p ON p.id = m.person_id WHERE `
	}
	if err := s.queryRow(ctx, `SELECT count(*)`+countFrom+cond, args...).Scan(&page.Total); err != nil {
		return nil, s.fault(err)
	}
	if page.Total == 0 {
		return page, nil
	}
	// People come in the order of the index on (organisation, sort name),
	// so a page costs the same however large the organisation.
	rows, err := s.query(ctx, `SELECT p.id, p.name, p.email, p.password_hash = '', m.roles, m.staff_group, m.job_role,
		m.pay_band, coalesce(u.name, ''), m.started_at
		FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN units u ON u.id = m.unit_id
		WHERE `+cond+` ORDER BY m.sort_name, m.person_id LIMIT ? OFFSET ?`,
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r PersonRow
		var group, band string
		if err := rows.Scan(&r.PersonID, &r.Name, &r.Email, &r.Invited, &r.Roles, &group, &r.JobRole, &band, &r.UnitName, &r.StartedAt); err != nil {
			return nil, s.fault(err)
		}
		r.StaffGroup, r.PayBand = upskill.StaffGroup(group), upskill.PayBand(band)
		page.People = append(page.People, r)
	}
	return page, s.fault(rows.Err())
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// TeamMember is one of the people a supervisor line manages.
type TeamMember struct {
	PersonID int64
	Name     string
	JobRole  string
}

// Team returns up to limit of the people, by name, whom a person line
// manages in an organisation, and whether there are more.
func (s *Store) Team(ctx context.Context, orgID, managerID int64, limit int) ([]TeamMember, bool, error) {
	rows, err := s.query(ctx, `SELECT p.id, p.name, m.job_role
		FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.line_manager_id = ? AND m.organisation_id = ? AND m.ended_at IS NULL
		ORDER BY m.sort_name, m.person_id LIMIT ?`, managerID, orgID, limit+1)
	if err != nil {
		return nil, false, s.fault(err)
	}
	defer rows.Close()
	var out []TeamMember
	for rows.Next() {
		var t TeamMember
		if err := rows.Scan(&t.PersonID, &t.Name, &t.JobRole); err != nil {
			return nil, false, s.fault(err)
		}
		out = append(out, t)
	}
	if len(out) > limit {
		return out[:limit], true, s.fault(rows.Err())
	}
	return out, false, s.fault(rows.Err())
}

// OrgCounts returns how many people are current members of an organisation
// and how many departments it has.
func (s *Store) OrgCounts(ctx context.Context, orgID int64) (staff, departments int, err error) {
	err = s.queryRow(ctx, `SELECT
		(SELECT count(*) FROM memberships WHERE organisation_id = ? AND ended_at IS NULL),
		(SELECT count(*) FROM units WHERE organisation_id = ? AND kind = 'department')`, orgID, orgID).Scan(&staff, &departments)
	return staff, departments, s.fault(err)
}

const membershipColumns = `m.id, m.person_id, m.organisation_id, m.roles, m.staff_group, m.job_role, m.pay_band,
	coalesce(m.unit_id, 0), coalesce(m.line_manager_id, 0), m.started_at, m.ended_at,
	o.name, o.level, coalesce(u.name, ''), coalesce(lm.name, ''), m.ddat_role, m.ddat_level`

const membershipJoins = ` FROM memberships m JOIN organisations o ON o.id = m.organisation_id
	LEFT JOIN units u ON u.id = m.unit_id LEFT JOIN people lm ON lm.id = m.line_manager_id`

func scanMembership(row interface{ Scan(...any) error }) (*upskill.Membership, error) {
	var m upskill.Membership
	var group, band, level string
	var ended sql.NullTime
	err := row.Scan(&m.ID, &m.PersonID, &m.OrganisationID, &m.Roles, &group, &m.JobRole, &band,
		&m.UnitID, &m.LineManagerID, &m.StartedAt, &ended, &m.OrganisationName, &level, &m.UnitName, &m.LineManagerName,
		&m.DDaTRole, &m.DDaTLevel)
	if err != nil {
		return nil, err
	}
	m.StaffGroup, m.PayBand, m.OrganisationLevel, m.EndedAt = upskill.StaffGroup(group), upskill.PayBand(band), upskill.Level(level), ended.Time
	return &m, nil
}

// Member returns a person and their current membership of org. A person with
// no current membership there is not found, whatever else they belong to.
func (s *Store) Member(ctx context.Context, orgID, personID int64) (*upskill.Person, *upskill.Membership, error) {
	m, err := scanMembership(s.queryRow(ctx, `SELECT `+membershipColumns+membershipJoins+`
		WHERE m.organisation_id = ? AND m.person_id = ? AND m.ended_at IS NULL`, orgID, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, upskill.Errorf(upskill.ENOTFOUND, "There is no one with that number in this organisation.")
	}
	if err != nil {
		return nil, nil, s.fault(err)
	}
	p, err := s.Person(ctx, personID)
	if err != nil {
		return nil, nil, err
	}
	return p, m, nil
}

// HasPassword reports whether a person has set a password (accepted their
// invitation).
func (s *Store) HasPassword(ctx context.Context, personID int64) (bool, error) {
	hash, err := s.PasswordHash(ctx, personID)
	return hash != "", err
}

// Memberships lists every membership a person has had, current first. It is
// for the person themselves: an organisation sees only its own through
// Member.
func (s *Store) Memberships(ctx context.Context, personID int64) ([]upskill.Membership, error) {
	rows, err := s.query(ctx, `SELECT `+membershipColumns+membershipJoins+`
		WHERE m.person_id = ? ORDER BY m.ended_at IS NOT NULL, m.started_at DESC, m.id DESC`, personID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, s.fault(err)
		}
		out = append(out, *m)
	}
	return out, s.fault(rows.Err())
}

// UpdateMember changes the roles and staff attributes of a person's current
// membership of org.
func (s *Store) UpdateMember(ctx context.Context, actorID int64, org *upskill.Organisation, personID int64, roles upskill.RoleSet, a upskill.StaffAttributes) error {
	var p upskill.Problems
	upskill.CheckMembership(&p, org.Level, roles, a)
	if err := p.Err(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkPlacement(ctx, tx, org.ID, personID, a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE memberships SET roles = ?, staff_group = ?, job_role = ?, pay_band = ?,
			unit_id = ?, line_manager_id = ?, ddat_role = ?, ddat_level = ?
			WHERE organisation_id = ? AND person_id = ? AND ended_at IS NULL`),
			roles, a.StaffGroup, a.JobRole, a.PayBand, nullID(a.UnitID), nullID(a.LineManagerID), a.DDaTRole, a.DDaTLevel, org.ID, personID)
		if err != nil {
			return s.fault(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return upskill.Errorf(upskill.ENOTFOUND, "There is no one with that number in this organisation.")
		}
		return s.audit(ctx, tx, actorID, org.ID, "update_member", "person", personID, "roles: "+roles.Labels())
	})
}

// EndMembership records that a person has left org. Their identity and
// record stay; people they line managed there are left without a line manager.
func (s *Store) EndMembership(ctx context.Context, actorID int64, org *upskill.Organisation, personID int64) error {
	if actorID == personID {
		return upskill.Errorf(upskill.EINVALID, "You cannot remove yourself. Ask another admin to do it.")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE memberships SET ended_at = ? WHERE organisation_id = ? AND person_id = ? AND ended_at IS NULL`),
			s.clock(), org.ID, personID)
		if err != nil {
			return s.fault(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return upskill.Errorf(upskill.ENOTFOUND, "There is no one with that number in this organisation.")
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE memberships SET line_manager_id = NULL
			WHERE organisation_id = ? AND line_manager_id = ? AND ended_at IS NULL`), org.ID, personID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, org.ID, "end_membership", "person", personID, "")
	})
}

// Admins lists the people who hold the admin role of org's level there.
func (s *Store) Admins(ctx context.Context, org *upskill.Organisation) ([]PersonRow, error) {
	page, err := s.People(ctx, org.ID, PeopleFilter{Role: upskill.AdminRole(org.Level), PerPage: 200})
	if err != nil {
		return nil, err
	}
	return page.People, nil
}

// MemberIDByEmail returns the id of the person with the given email address
// who has a current membership of org.
func (s *Store) MemberIDByEmail(ctx context.Context, orgID int64, email string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT p.id FROM people p JOIN memberships m ON m.person_id = p.id
		WHERE p.email = ? AND m.organisation_id = ? AND m.ended_at IS NULL`, upskill.NormaliseEmail(email), orgID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNoPerson
	}
	return id, s.fault(err)
}
