package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"upskill"
	"upskill/insight"
)

// The workforce summaries. Submitting an attempt queues it in
// insight_queue, in the same transaction; RefreshInsight, run by a
// background job, counts queued attempts into insight_entries (who counts
// by which attempt in each cycle) and insight_cells (sums by where people
// sat, per domain and band). Pages read only the summaries.

// queueForInsight queues a submitted attempt to be counted.
func (s *Store) queueForInsight(ctx context.Context, tx *sql.Tx, attemptID int64, at time.Time) error {
	_, err := s.txExec(ctx, tx, `INSERT INTO insight_queue (attempt_id, queued_at) VALUES (?, ?)
		ON CONFLICT (attempt_id) DO NOTHING`, attemptID, at)
	return s.fault(err)
}

// requeueForInsight queues again the attempts a person counts by, so
// that learning they have just completed counts in the summaries. One
// still waiting is marked queued again, so that a count that has already
// read it leaves it for the next.
func (s *Store) requeueForInsight(ctx context.Context, tx *sql.Tx, personID int64, at time.Time) error {
	// Any of the person's attempts still waiting, including one being
	// counted now whose entry is not yet written, is marked first, so that
	// a count that has already read it leaves it for the next.
	if _, err := s.txExec(ctx, tx, `UPDATE insight_queue SET requeued = requeued + 1
		WHERE attempt_id IN (SELECT id FROM attempts WHERE person_id = ?)`, personID); err != nil {
		return s.fault(err)
	}
	_, err := s.txExec(ctx, tx, `INSERT INTO insight_queue (attempt_id, queued_at)
		SELECT attempt_id, ? FROM insight_entries WHERE person_id = ?
		ON CONFLICT (attempt_id) DO UPDATE SET requeued = insight_queue.requeued + 1`, at, personID)
	return s.fault(err)
}

// InsightQueued returns how many submitted attempts wait to be counted.
func (s *Store) InsightQueued(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM insight_queue`).Scan(&n)
	return n, s.fault(err)
}

// insightEntry is one person's entry in a cycle: the attempt they count
// by, where they sat, and its domain scores.
type insightEntry struct {
	attemptID int64
	submitted time.Time
	group     insight.Group
	scores    []entryScore
	// learned lists, comma-separated in domain order, the domains in which
	// the person has completed learning for a statement they rated below
	// what is needed, since they submitted.
	learned string
}

type entryScore struct {
	domain, band            string
	neededBand              string // the band of the score needed
	nowTenths, neededTenths int64
	below                   bool // a statement rated below where it needs to be
	calibration             upskill.Calibration
}

type entryKey struct {
	org, framework, person int64
	cycle                  insight.Cycle
}

type cellKey struct {
	org, framework           int64
	cycle                    insight.Cycle
	group                    insight.Group
	domain, band, neededBand string
}

// RefreshInsight counts up to limit queued attempts into the summaries,
// oldest first, and returns how many it took off the queue. A person
// counts in a cycle by their latest submitted attempt, so a later one
// replaces an earlier one's sums, and the change from the cycle before is
// worked out again.
func (s *Store) RefreshInsight(ctx context.Context, limit int) (int, error) {
	var done int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.engine == Postgres {
			// One instance counts at a time, so that two never read the
			// same entry and each apply their change to it.
			if _, err := s.txExec(ctx, tx, `SELECT pg_advisory_xact_lock(72010005)`); err != nil {
				return s.fault(err)
			}
		}
		r := &refresh{s: s, tx: tx, entries: map[entryKey]*insightEntry{}, loaded: map[entryKey]bool{}, versions: map[int64]*upskill.FrameworkVersion{},
			changed: map[entryKey]bool{}, deltas: map[cellKey]*insight.Tally{}, orgs: map[int64]bool{}}
		ids, requeued, err := r.queued(ctx, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		attempts, err := r.attempts(ctx, ids)
		if err != nil {
			return err
		}
		for _, a := range attempts {
			r.count(a)
		}
		if err := r.write(ctx); err != nil {
			return err
		}
		// Off the queue, unless queued again since it was read.
		keys := make([][]any, len(ids))
		for i := range ids {
			keys[i] = []any{ids[i], requeued[i]}
		}
		if err := r.deleteKeys(ctx, "insight_queue", "", []string{"attempt_id", "requeued"}, 2, keys); err != nil {
			return err
		}
		done = len(ids)
		return nil
	})
	return done, err
}

type refresh struct {
	s        *Store
	tx       *sql.Tx
	entries  map[entryKey]*insightEntry // nil value: no entry
	loaded   map[entryKey]bool
	changed  map[entryKey]bool // entries to write
	deltas   map[cellKey]*insight.Tally
	orgs     map[int64]bool
	versions map[int64]*upskill.FrameworkVersion
}

type queuedAttempt struct {
	key   entryKey
	entry insightEntry
}

func (r *refresh) queued(ctx context.Context, limit int) (ids, requeued []int64, err error) {
	rows, err := r.s.txQuery(ctx, r.tx, `SELECT attempt_id, requeued FROM insight_queue ORDER BY attempt_id LIMIT ?`, limit)
	if err != nil {
		return nil, nil, r.s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, nil, r.s.fault(err)
		}
		ids, requeued = append(ids, id), append(requeued, n)
	}
	return ids, requeued, r.s.fault(rows.Err())
}

// attempts reads the queued attempts that count (submitted, at an
// organisation), in the order they were submitted, with their scores, and
// every entry the count may touch: each person's in the cycle before,
// the same cycle and the cycle after.
func (r *refresh) attempts(ctx context.Context, ids []int64) ([]queuedAttempt, error) {
	var out []queuedAttempt
	// The department is the one of the unit the attempt was made in; the
	// site is that department's when the attempt is first counted, and
	// stays with the entry (see count).
	err := r.each(ctx, ids, `SELECT a.id, a.person_id, a.organisation_id, a.framework_id, a.submitted_at,
			coalesce(u.parent_id, u.id, 0), coalesce(d.site_id, 0), a.staff_group, a.pay_band
		FROM attempts a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN units d ON d.id = coalesce(u.parent_id, u.id)
		WHERE a.status = 'submitted' AND a.organisation_id IS NOT NULL AND a.id IN `, func(rows *sql.Rows) error {
		var q queuedAttempt
		if err := rows.Scan(&q.entry.attemptID, &q.key.person, &q.key.org, &q.key.framework, &q.entry.submitted,
			&q.entry.group.Department, &q.entry.group.Site, &q.entry.group.StaffGroup, &q.entry.group.PayBand); err != nil {
			return err
		}
		q.key.cycle = insight.CycleOf(q.entry.submitted)
		out = append(out, q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b queuedAttempt) int {
		return cmp.Or(a.entry.submitted.Compare(b.entry.submitted), cmp.Compare(a.entry.attemptID, b.entry.attemptID))
	})

	// The entries the count may touch, all read at once.
	var people []int64
	for _, q := range out {
		people = append(people, q.key.person)
		for d := insight.Cycle(-1); d <= 1; d++ {
			k := q.key
			k.cycle += d
			r.loaded[k] = true
		}
	}
	slices.Sort(people)
	people = slices.Compact(people)
	err = r.each(ctx, people, `SELECT organisation_id, framework_id, cycle, person_id, attempt_id, submitted_at,
			department_id, site_id, staff_group, pay_band, learned
		FROM insight_entries WHERE person_id IN `, func(rows *sql.Rows) error {
		var k entryKey
		var cycle int
		e := &insightEntry{}
		if err := rows.Scan(&k.org, &k.framework, &cycle, &k.person, &e.attemptID, &e.submitted,
			&e.group.Department, &e.group.Site, &e.group.StaffGroup, &e.group.PayBand, &e.learned); err != nil {
			return err
		}
		k.cycle = insight.Cycle(cycle)
		if r.loaded[k] {
			r.entries[k] = e
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Scores of the queued attempts and of the entries, all read at once.
	wanted := map[int64][]*[]entryScore{}
	for i := range out {
		wanted[out[i].entry.attemptID] = append(wanted[out[i].entry.attemptID], &out[i].entry.scores)
	}
	for _, e := range r.entries {
		wanted[e.attemptID] = append(wanted[e.attemptID], &e.scores)
	}
	var attemptIDs []int64
	for id := range wanted {
		attemptIDs = append(attemptIDs, id)
	}
	slices.Sort(attemptIDs)
	err = r.each(ctx, attemptIDs, `SELECT s.attempt_id, s.domain_code, s.band, s.now_mean, s.needed_mean, s.below, s.calibration,
			a.version_id
		FROM attempt_scores s JOIN attempts a ON a.id = s.attempt_id WHERE s.attempt_id IN `, func(rows *sql.Rows) error {
		var id, versionID int64
		var e entryScore
		var now, needed float64
		var below int
		if err := rows.Scan(&id, &e.domain, &e.band, &now, &needed, &below, &e.calibration, &versionID); err != nil {
			return err
		}
		e.nowTenths, e.neededTenths, e.below = int64(math.Round(now*10)), int64(math.Round(needed*10)), below > 0
		v, err := r.version(ctx, versionID)
		if err != nil {
			return err
		}
		e.neededBand = v.Band(needed)
		for _, to := range wanted[id] {
			*to = append(*to, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, lists := range wanted {
		for _, l := range lists {
			slices.SortFunc(*l, func(a, b entryScore) int { return strings.Compare(a.domain, b.domain) })
		}
	}

	// The domains each queued attempt's person has since completed
	// learning in, for a statement they rated below what is needed.
	queued := make([]int64, 0, len(out))
	for _, q := range out {
		queued = append(queued, q.entry.attemptID)
	}
	slices.Sort(queued)
	learned := map[int64][]string{}
	err = r.each(ctx, slices.Compact(queued), `SELECT DISTINCT a.id, d.code
		FROM attempts a
		JOIN answers an ON an.attempt_id = a.id AND an.now_rating < an.needed_rating
		JOIN capabilities c ON c.id = an.capability_id
		JOIN domains d ON d.id = c.domain_id
		JOIN enrolments e ON e.person_id = a.person_id AND e.status = 'completed' AND e.completed_at > a.submitted_at
		JOIN content_mappings m ON m.version_id = e.version_id AND m.framework_id = a.framework_id AND m.capability_code = c.code
		WHERE a.id IN `, func(rows *sql.Rows) error {
		var id int64
		var domain string
		if err := rows.Scan(&id, &domain); err != nil {
			return err
		}
		learned[id] = append(learned[id], domain)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		domains := learned[out[i].entry.attemptID]
		slices.Sort(domains)
		out[i].entry.learned = strings.Join(domains, ",")
	}
	return out, nil
}

// version returns a framework version the batch needs, read once.
func (r *refresh) version(ctx context.Context, id int64) (*upskill.FrameworkVersion, error) {
	if v, ok := r.versions[id]; ok {
		return v, nil
	}
	v, err := r.s.Version(ctx, id)
	if err != nil {
		return nil, err
	}
	r.versions[id] = v
	return v, nil
}

// each runs a query whose last words are "... IN " over ids, in chunks,
// and hands every row to scan.
func (r *refresh) each(ctx context.Context, ids []int64, query string, scan func(*sql.Rows) error) error {
	for _, chunk := range chunks(ids, 500) {
		// Not s.q: its cache would keep every odd-sized statement.
		q := query + "(" + placeholders(len(chunk)) + ")"
		if r.s.engine == Postgres {
			q = rebind(q)
		}
		rows, err := r.tx.QueryContext(ctx, q, anys(chunk)...)
		if err != nil {
			return r.s.fault(err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return r.s.fault(err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return r.s.fault(err)
		}
	}
	return nil
}

// entry returns the stored entry of a person in a cycle, or nil. Every
// entry a count may ask for was read with the batch.
func (r *refresh) entry(k entryKey) *insightEntry {
	if !r.loaded[k] {
		panic("insight: an entry was asked for that the batch did not read")
	}
	return r.entries[k]
}

// count makes a queued attempt the person's entry in its cycle, unless a
// later one already is.
func (r *refresh) count(a queuedAttempt) {
	k := a.key
	cur := r.entry(k)
	if cur != nil && (cur.submitted.After(a.entry.submitted) || cur.attemptID == a.entry.attemptID && cur.learned == a.entry.learned) {
		return
	}
	prevKey, nextKey := k, k
	prevKey.cycle--
	nextKey.cycle++
	prev, next := r.entry(prevKey), r.entry(nextKey)
	if cur != nil {
		r.add(k, cur, prev, -1)
		if next != nil {
			r.add(nextKey, next, cur, -1)
		}
	}
	e := a.entry
	if cur != nil && cur.attemptID == e.attemptID {
		// Counted again for learning done since: where the person sat
		// stays as first counted, so that nothing moves but the learning.
		e.group = cur.group
	}
	r.add(k, &e, prev, 1)
	if next != nil {
		r.add(nextKey, next, &e, 1)
	}
	r.entries[k] = &e
	r.changed[k] = true
	r.orgs[k.org] = true
}

// add adds (sign 1) or takes away (sign -1) what an entry contributes to
// the cells of its cycle, with its change from prev when there is one.
func (r *refresh) add(k entryKey, e, prev *insightEntry, sign int64) {
	learned := strings.Split(e.learned, ",")
	for _, d := range e.scores {
		ck := cellKey{org: k.org, framework: k.framework, cycle: k.cycle, group: e.group, domain: d.domain, band: d.band, neededBand: d.neededBand}
		t := r.deltas[ck]
		if t == nil {
			t = &insight.Tally{}
			r.deltas[ck] = t
		}
		t.People += sign
		t.NowTenths += sign * d.nowTenths
		t.NeededTenths += sign * d.neededTenths
		if d.below {
			t.Below += sign
			if slices.Contains(learned, d.domain) {
				t.Learned += sign
			}
		}
		if !d.below && d.neededTenths > 0 && d.calibration != upskill.CalibrationOver {
			t.Reached += sign
		}
		switch d.calibration {
		case upskill.CalibrationOver:
			t.Over += sign
		case upskill.CalibrationUnder:
			t.Under += sign
		}
		if prev == nil {
			continue
		}
		for _, p := range prev.scores {
			if p.domain == d.domain {
				change := d.nowTenths - p.nowTenths
				t.Paired += sign
				t.ChangeTenths += sign * change
				if change > 0 {
					t.Improved += sign
				}
			}
		}
	}
}

// write applies the batch's changes to the cells, drops cells left with
// no one, and marks the organisations touched as changed.
func (r *refresh) write(ctx context.Context) error {
	keys := make([]cellKey, 0, len(r.deltas))
	for k, t := range r.deltas {
		if *t != (insight.Tally{}) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.framework, b.framework), cmp.Compare(a.cycle, b.cycle),
			cmp.Compare(a.group.Department, b.group.Department), cmp.Compare(a.group.Site, b.group.Site),
			strings.Compare(a.group.StaffGroup, b.group.StaffGroup),
			strings.Compare(a.group.PayBand, b.group.PayBand), strings.Compare(a.domain, b.domain), strings.Compare(a.band, b.band),
			strings.Compare(a.neededBand, b.neededBand))
	})
	// The entries first, then the sums, each in a few statements.
	var changed []entryKey
	for k := range r.changed {
		changed = append(changed, k)
	}
	slices.SortFunc(changed, func(a, b entryKey) int {
		return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.framework, b.framework), cmp.Compare(a.cycle, b.cycle), cmp.Compare(a.person, b.person))
	})
	err := r.s.insertRowsThen(ctx, r.tx, "insight_entries", []string{"organisation_id", "framework_id", "cycle", "person_id",
		"attempt_id", "submitted_at", "department_id", "site_id", "staff_group", "pay_band", "learned"}, len(changed), func(i int, row []any) {
		k := changed[i]
		e := r.entries[k]
		row[0], row[1], row[2], row[3] = k.org, k.framework, int64(k.cycle), k.person
		row[4], row[5], row[6], row[7] = e.attemptID, r.s.bulkTime(e.submitted), e.group.Department, e.group.Site
		row[8], row[9], row[10] = e.group.StaffGroup, e.group.PayBand, e.learned
	}, `ON CONFLICT (organisation_id, framework_id, cycle, person_id) DO UPDATE SET attempt_id = excluded.attempt_id,
		submitted_at = excluded.submitted_at, department_id = excluded.department_id, site_id = excluded.site_id,
		staff_group = excluded.staff_group, pay_band = excluded.pay_band, learned = excluded.learned`)
	if err != nil {
		return r.s.fault(err)
	}
	err = r.s.insertRowsThen(ctx, r.tx, "insight_cells", append(slices.Clone(cellKeyColumns), tallyColumns...), len(keys), func(i int, row []any) {
		copy(row, keys[i].values())
		tallyRow(r.deltas[keys[i]], row[len(cellKeyColumns):])
	}, `ON CONFLICT (`+strings.Join(cellKeyColumns, ", ")+`)
		DO UPDATE SET `+addUp("insight_cells"))
	if err != nil {
		return r.s.fault(err)
	}

	// The organisation as a whole: the same changes, without the groups.
	totals := map[cellKey]*insight.Tally{}
	var totalKeys []cellKey
	for _, k := range keys {
		tk := k
		tk.group = insight.Group{}
		t := totals[tk]
		if t == nil {
			t = &insight.Tally{}
			totals[tk] = t
			totalKeys = append(totalKeys, tk)
		}
		t.Add(*r.deltas[k])
	}
	totalKeys = slices.DeleteFunc(totalKeys, func(k cellKey) bool { return *totals[k] == (insight.Tally{}) })
	err = r.s.insertRowsThen(ctx, r.tx, "insight_totals", append([]string{"organisation_id", "framework_id", "cycle", "domain_code", "band",
		"needed_band"}, tallyColumns...),
		len(totalKeys), func(i int, row []any) {
			k := totalKeys[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = k.org, k.framework, int64(k.cycle), k.domain, k.band, k.neededBand
			tallyRow(totals[k], row[6:])
		}, `ON CONFLICT (framework_id, cycle, organisation_id, domain_code, band, needed_band) DO UPDATE SET `+addUp("insight_totals"))
	if err != nil {
		return r.s.fault(err)
	}

	// Only cells whose count fell can have emptied: those are dropped.
	var emptied, emptiedTotals [][]any
	for _, k := range keys {
		if r.deltas[k].People < 0 {
			emptied = append(emptied, k.values())
		}
	}
	for _, k := range totalKeys {
		if totals[k].People < 0 {
			emptiedTotals = append(emptiedTotals, []any{k.org, k.framework, int64(k.cycle), k.domain, k.band, k.neededBand})
		}
	}
	if err := r.deleteKeys(ctx, "insight_cells", "people = 0", cellKeyColumns, 5, emptied); err != nil {
		return err
	}
	if err := r.deleteKeys(ctx, "insight_totals", "people = 0", []string{"organisation_id", "framework_id", "cycle", "domain_code", "band",
		"needed_band"}, 3, emptiedTotals); err != nil {
		return err
	}

	orgs := make([]int64, 0, len(r.orgs))
	for o := range r.orgs {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, o := range orgs {
		if err := r.s.bumpInsight(ctx, r.tx, o); err != nil {
			return err
		}
	}
	return nil
}

// cellKeyColumns name a cell's key in insight_cells, in the order of
// cellKey.values.
var cellKeyColumns = []string{"organisation_id", "framework_id", "cycle", "department_id", "site_id",
	"staff_group", "pay_band", "domain_code", "band", "needed_band"}

func (k cellKey) values() []any {
	return []any{k.org, k.framework, int64(k.cycle), k.group.Department, k.group.Site,
		k.group.StaffGroup, k.group.PayBand, k.domain, k.band, k.neededBand}
}

// deleteKeys drops the rows of table at keys (that also meet where, if
// given), by their whole key, a few hundred at a time. The first numeric
// columns of the key are integers; they are cast so that PostgreSQL
// knows the type of each value.
func (r *refresh) deleteKeys(ctx context.Context, table, where string, cols []string, numeric int, keys [][]any) error {
	width := len(cols)
	var row strings.Builder
	row.WriteString("(")
	for c := range width {
		if c > 0 {
			row.WriteString(", ")
		}
		if c < numeric {
			row.WriteString("CAST(? AS BIGINT)")
		} else {
			row.WriteString("?")
		}
	}
	row.WriteString(")")
	per := bulkParams / width
	for start := 0; start < len(keys); start += per {
		chunk := keys[start:min(start+per, len(keys))]
		var sb strings.Builder
		sb.WriteString("DELETE FROM " + table + " WHERE ")
		if where != "" {
			sb.WriteString(where + " AND ")
		}
		sb.WriteString("(" + strings.Join(cols, ", ") + ") IN (VALUES ")
		args := make([]any, 0, len(chunk)*width)
		for i, k := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(row.String())
			args = append(args, k...)
		}
		sb.WriteString(")")
		// Not s.q: its cache would keep every odd-sized statement.
		q := sb.String()
		if r.s.engine == Postgres {
			q = rebind(q)
		}
		if _, err := r.tx.ExecContext(ctx, q, args...); err != nil {
			return r.s.fault(err)
		}
	}
	return nil
}

// bumpInsight marks an organisation's summaries changed, so that what it
// shows is worked out again.
func (s *Store) bumpInsight(ctx context.Context, tx *sql.Tx, orgID int64) error {
	_, err := s.txExec(ctx, tx, `INSERT INTO insight_versions (organisation_id, version) VALUES (?, 1)
		ON CONFLICT (organisation_id) DO UPDATE SET version = insight_versions.version + 1`, orgID)
	return s.fault(err)
}

// InsightVersion returns a number that changes whenever the summaries of
// an organisation do; 0 when nothing has been counted there.
func (s *Store) InsightVersion(ctx context.Context, orgID int64) (int64, error) {
	var v int64
	err := s.queryRow(ctx, `SELECT version FROM insight_versions WHERE organisation_id = ?`, orgID).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, s.fault(err)
}

// InsightSnapshot reads an organisation's summaries on a framework, its
// sums and its entries, as they stood at one moment, with the version
// they stood at: suppression worked out from the entries then fits the
// sums exactly.
func (s *Store) InsightSnapshot(ctx context.Context, orgID, frameworkID int64) ([]insight.Tally, []insight.Entries, int64, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return nil, nil, 0, s.fault(err)
	}
	defer tx.Rollback()
	var version int64
	err = tx.QueryRowContext(ctx, s.q(`SELECT version FROM insight_versions WHERE organisation_id = ?`), orgID).Scan(&version)
	if err != nil && err != sql.ErrNoRows {
		return nil, nil, 0, s.fault(err)
	}
	tallies, err := s.insightTallies(ctx, tx, orgID, frameworkID)
	if err != nil {
		return nil, nil, 0, err
	}
	entries, err := s.insightEntries(ctx, tx, orgID, frameworkID)
	return tallies, entries, version, err
}

// InsightEntries counts an organisation's entries on a framework by
// cycle, where people sat, and whether they also counted in the cycles
// either side: the microcells that suppression works on.
func (s *Store) InsightEntries(ctx context.Context, orgID, frameworkID int64) ([]insight.Entries, error) {
	return s.insightEntries(ctx, s.r, orgID, frameworkID)
}

// querier is a pool or a transaction to read from.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) insightEntries(ctx context.Context, q querier, orgID, frameworkID int64) ([]insight.Entries, error) {
	// Each person's entries in cycle order, paired up here rather than by
	// joining the table to itself, which planners without fresh
	// statistics can make very slow.
	rows, err := q.QueryContext(ctx, s.q(`SELECT person_id, cycle, department_id, site_id, staff_group, pay_band FROM insight_entries
		WHERE organisation_id = ? AND framework_id = ? ORDER BY person_id, cycle`), orgID, frameworkID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	type entry struct {
		person int64
		cycle  insight.Cycle
		group  insight.Group
	}
	var all []entry
	for rows.Next() {
		var e entry
		var cycle int
		if err := rows.Scan(&e.person, &cycle, &e.group.Department, &e.group.Site, &e.group.StaffGroup, &e.group.PayBand); err != nil {
			return nil, s.fault(err)
		}
		e.cycle = insight.Cycle(cycle)
		all = append(all, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	counts := map[insight.Entries]int{}
	var history []insight.Placed
	track := ""
	for i, e := range all {
		if i == 0 || all[i-1].person != e.person {
			// The person's whole history names their track.
			history = history[:0]
			for j := i; j < len(all) && all[j].person == e.person; j++ {
				history = append(history, insight.Placed{Cycle: all[j].cycle, Group: all[j].group})
			}
			track = insight.TrackOf(history)
		}
		k := insight.Entries{Cycle: e.cycle, Group: e.group, Track: track}
		if i > 0 && all[i-1].person == e.person && all[i-1].cycle == e.cycle-1 {
			k.Prev = true
		}
		if i+1 < len(all) && all[i+1].person == e.person && all[i+1].cycle == e.cycle+1 {
			k.HasNext, k.Next = true, all[i+1].group
		}
		counts[k]++
	}
	out := make([]insight.Entries, 0, len(counts))
	for k, n := range counts {
		k.People = n
		out = append(out, k)
	}
	return out, nil
}

// InsightTallies returns an organisation's summary cells on a framework,
// every cycle.
func (s *Store) InsightTallies(ctx context.Context, orgID, frameworkID int64) ([]insight.Tally, error) {
	return s.insightTallies(ctx, s.r, orgID, frameworkID)
}

func (s *Store) insightTallies(ctx context.Context, q querier, orgID, frameworkID int64) ([]insight.Tally, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT cycle, department_id, site_id, staff_group, pay_band, domain_code, band, needed_band, people,
			now_tenths, needed_tenths, below, reached, over_rated, under_rated, paired, change_tenths, improved, learned
		FROM insight_cells WHERE organisation_id = ? AND framework_id = ?`), orgID, frameworkID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []insight.Tally
	for rows.Next() {
		var t insight.Tally
		var cycle int
		if err := rows.Scan(&cycle, &t.Group.Department, &t.Group.Site, &t.Group.StaffGroup, &t.Group.PayBand, &t.Domain, &t.Band, &t.NeededBand,
			&t.People, &t.NowTenths, &t.NeededTenths, &t.Below, &t.Reached, &t.Over, &t.Under, &t.Paired,
			&t.ChangeTenths, &t.Improved, &t.Learned); err != nil {
			return nil, s.fault(err)
		}
		t.Cycle = insight.Cycle(cycle)
		out = append(out, t)
	}
	return out, s.fault(rows.Err())
}

// InsightStaff counts an organisation's staff now by where they sit, with
// how many of them have started and how many submitted the framework's
// assessment there in the cycle: the microcells of participation.
func (s *Store) InsightStaff(ctx context.Context, orgID, frameworkID int64, cycle insight.Cycle) ([]insight.Staff, error) {
	rows, err := s.query(ctx, `SELECT coalesce(u.parent_id, u.id, 0), m.staff_group, m.pay_band, count(*),
			count(e.person_id), count(CASE WHEN e.person_id IS NOT NULL OR EXISTS (SELECT 1 FROM attempts a
				WHERE a.person_id = m.person_id AND a.framework_id = ? AND a.status = 'in_progress'
				AND a.organisation_id = m.organisation_id AND a.updated_at >= ? AND a.updated_at < ?) THEN 1 END)
		FROM memberships m
		LEFT JOIN units u ON u.id = m.unit_id
		LEFT JOIN insight_entries e ON e.organisation_id = m.organisation_id AND e.framework_id = ?
			AND e.cycle = ? AND e.person_id = m.person_id
		WHERE m.organisation_id = ? AND m.ended_at IS NULL AND (m.roles & 1) = 1
		GROUP BY 1, 2, 3`, frameworkID, cycle.Start().UTC(), cycle.End().UTC(), frameworkID, int(cycle), orgID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []insight.Staff
	for rows.Next() {
		var st insight.Staff
		if err := rows.Scan(&st.Group.Department, &st.Group.StaffGroup, &st.Group.PayBand, &st.People, &st.Completed, &st.Started); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, st)
	}
	return out, s.fault(rows.Err())
}

// chunks splits ids into runs of at most n.
func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// InsightStale returns up to limit organisations whose summaries have
// changed since their suppression was last recorded, or whose recorded
// suppression was worked out with another k.
func (s *Store) InsightStale(ctx context.Context, k, limit int) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT organisation_id FROM insight_versions WHERE laid <> version OR laid_k <> ?
		ORDER BY organisation_id LIMIT ?`, k, limit)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, id)
	}
	return out, s.fault(rows.Err())
}

// SaveInsightShown records, for an organisation's summaries at a version,
// which years' figures its suppression with k shows.
func (s *Store) SaveInsightShown(ctx context.Context, orgID, frameworkID, version int64, k int, shown []insight.Shown) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, `DELETE FROM insight_shown WHERE organisation_id = ? AND framework_id = ?`, orgID, frameworkID); err != nil {
			return s.fault(err)
		}
		for _, sh := range shown {
			if _, err := s.txExec(ctx, tx, `INSERT INTO insight_shown (organisation_id, framework_id, cycle, scores, change)
				VALUES (?, ?, ?, ?, ?)`, orgID, frameworkID, int(sh.Cycle), sh.Scores, sh.Change); err != nil {
				return s.fault(err)
			}
		}
		_, err := s.txExec(ctx, tx, `UPDATE insight_versions SET laid = ?, laid_k = ? WHERE organisation_id = ?`, version, k, orgID)
		return s.fault(err)
	})
}

// InsightOrgTotals returns the whole-organisation sums on a framework of
// every organisation in a region, or in the nation when regionID is 0,
// with where each sits and whether its own figures are shown with k. An
// organisation whose suppression was last worked out with another k
// counts as not shown until it is worked out again.
func (s *Store) InsightOrgTotals(ctx context.Context, frameworkID, regionID int64, k int) ([]insight.OrgTotal, error) {
	rows, err := s.query(ctx, `SELECT t.organisation_id, o.parent_id, o.org_type, t.cycle, t.domain_code, t.band, t.needed_band, t.people,
			t.now_tenths, t.needed_tenths, t.below, t.reached, t.over_rated, t.under_rated, t.paired, t.change_tenths, t.improved,
			t.learned, coalesce(sh.scores, false), coalesce(sh.change, false)
		FROM insight_totals t
		JOIN organisations o ON o.id = t.organisation_id
		LEFT JOIN insight_versions v ON v.organisation_id = t.organisation_id AND v.laid_k = ?
		LEFT JOIN insight_shown sh ON sh.organisation_id = v.organisation_id AND sh.framework_id = t.framework_id AND sh.cycle = t.cycle
		WHERE t.framework_id = ? AND (? = 0 OR o.parent_id = ?)`, k, frameworkID, regionID, regionID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []insight.OrgTotal
	for rows.Next() {
		var o insight.OrgTotal
		var cycle int
		t := &o.Tally
		if err := rows.Scan(&o.Org, &o.Region, &o.Type, &cycle, &t.Domain, &t.Band, &t.NeededBand, &t.People, &t.NowTenths, &t.NeededTenths,
			&t.Below, &t.Reached, &t.Over, &t.Under, &t.Paired, &t.ChangeTenths, &t.Improved, &t.Learned, &o.Scores, &o.Change); err != nil {
			return nil, s.fault(err)
		}
		t.Cycle = insight.Cycle(cycle)
		out = append(out, o)
	}
	return out, s.fault(rows.Err())
}

// InsightNationVersion returns a number that changes whenever what any
// organisation shows does.
func (s *Store) InsightNationVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.queryRow(ctx, `SELECT coalesce(sum(laid), 0) FROM insight_versions`).Scan(&v)
	return v, s.fault(err)
}

// WorkforcePlan returns an organisation's plan on a framework, or nil
// when it has none.
func (s *Store) WorkforcePlan(ctx context.Context, orgID, frameworkID int64) (*insight.Plan, error) {
	plans, err := s.readPlans(ctx, `SELECT organisation_id, domain_code, target, baseline, starts_at, due_at FROM workforce_plans
		WHERE organisation_id = ? AND framework_id = ? ORDER BY domain_code`, orgID, frameworkID)
	return plans[orgID], err
}

// ChildPlans returns the plans on a framework of the organisations
// directly below a region or the nation, by organisation.
func (s *Store) ChildPlans(ctx context.Context, parentID, frameworkID int64) (map[int64]*insight.Plan, error) {
	return s.readPlans(ctx, `SELECT p.organisation_id, p.domain_code, p.target, p.baseline, p.starts_at, p.due_at
		FROM workforce_plans p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.parent_id = ? AND p.framework_id = ? ORDER BY p.organisation_id, p.domain_code`, parentID, frameworkID)
}

// readPlans reads plans, a row per domain, by organisation.
func (s *Store) readPlans(ctx context.Context, query string, args ...any) (map[int64]*insight.Plan, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	plans := map[int64]*insight.Plan{}
	for rows.Next() {
		var org int64
		var d insight.PlanDomain
		var baseline int
		var starts, due time.Time
		if err := rows.Scan(&org, &d.Code, &d.Target, &baseline, &starts, &due); err != nil {
			return nil, s.fault(err)
		}
		p := plans[org]
		if p == nil {
			p = &insight.Plan{StartsAt: starts, DueAt: due}
			plans[org] = p
		}
		d.Baseline = float64(baseline) / 10
		p.Domains = append(p.Domains, d)
	}
	return plans, s.fault(rows.Err())
}

// SaveWorkforcePlan replaces an organisation's plan on a framework, after
// checking it. Nothing is written when it has a problem.
func (s *Store) SaveWorkforcePlan(ctx context.Context, actorID, orgID, frameworkID int64, p *insight.Plan) error {
	if err := p.Check(s.clock()); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.txExec(ctx, tx, `DELETE FROM workforce_plans WHERE organisation_id = ? AND framework_id = ?`, orgID, frameworkID); err != nil {
			return s.fault(err)
		}
		for _, d := range p.Domains {
			if _, err := s.txExec(ctx, tx, `INSERT INTO workforce_plans
				(organisation_id, framework_id, domain_code, target, baseline, starts_at, due_at, updated_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, orgID, frameworkID, d.Code, d.Target, int(math.Round(d.Baseline*10)),
				p.StartsAt.UTC(), p.DueAt.UTC(), nullID(actorID)); err != nil {
				return s.fault(err)
			}
		}
		return s.audit(ctx, tx, actorID, orgID, "workforce_plan.save", "organisation", orgID, fmt.Sprintf("due %s", p.DueAt.Format("2 January 2006")))
	})
}

// TeamAssessment is one of the people a manager line manages, as the
// manager's page of their team's assessments shows them.
type TeamAssessment struct {
	PersonID int64
	Name     string
	// Submitted and Started say where they are with the assessment in
	// the year asked about.
	Submitted, Started bool
	// Shared is their latest attempt shared with the manager, 0 for none,
	// with its domain results.
	Shared   int64
	SharedAt time.Time
	Domains  []upskill.DomainResult
}

// TeamAssessments lists the people a manager line manages in an
// organisation now,
// with whether they have taken the framework's assessment in a year and
// the results of the latest attempt each shared with the manager. Nothing
// they did not share is read.
func (s *Store) TeamAssessments(ctx context.Context, orgID, managerID, frameworkID int64, cycle insight.Cycle) ([]TeamAssessment, error) {
	rows, err := s.query(ctx, `SELECT m.person_id, p.name,
			EXISTS (SELECT 1 FROM attempts a WHERE a.person_id = m.person_id AND a.organisation_id = m.organisation_id
				AND a.framework_id = ? AND a.status = 'submitted' AND a.submitted_at >= ? AND a.submitted_at < ?),
			EXISTS (SELECT 1 FROM attempts a WHERE a.person_id = m.person_id AND a.organisation_id = m.organisation_id
				AND a.framework_id = ? AND a.status = 'in_progress'),
			coalesce((SELECT r.attempt_id FROM attempt_reviews r JOIN attempts a ON a.id = r.attempt_id
				WHERE a.person_id = m.person_id AND r.supervisor_id = ? AND r.organisation_id = m.organisation_id
				AND a.framework_id = ? ORDER BY r.requested_at DESC, r.attempt_id DESC LIMIT 1), 0)
		FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.organisation_id = ? AND m.line_manager_id = ? AND m.ended_at IS NULL
		ORDER BY m.sort_name, m.person_id`,
		frameworkID, cycle.Start().UTC(), cycle.End().UTC(), frameworkID, managerID, frameworkID, orgID, managerID)
	if err != nil {
		return nil, s.fault(err)
	}
	var out []TeamAssessment
	for rows.Next() {
		var m TeamAssessment
		if err := rows.Scan(&m.PersonID, &m.Name, &m.Submitted, &m.Started, &m.Shared); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		m.Started = m.Started || m.Submitted
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	for i := range out {
		if out[i].Shared == 0 {
			continue
		}
		if out[i].Domains, err = s.attemptScores(ctx, out[i].Shared); err != nil {
			return nil, err
		}
		if err := s.queryRow(ctx, `SELECT requested_at FROM attempt_reviews WHERE attempt_id = ?`, out[i].Shared).Scan(&out[i].SharedAt); err != nil {
			return nil, s.fault(err)
		}
	}
	return out, nil
}

// SharedWithCount returns how many people have ever shared an attempt on
// a framework with a supervisor in an organisation: people whose results
// the supervisor can read by name.
func (s *Store) SharedWithCount(ctx context.Context, orgID, supervisorID, frameworkID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(DISTINCT a.person_id) FROM attempt_reviews r JOIN attempts a ON a.id = r.attempt_id
		WHERE r.supervisor_id = ? AND r.organisation_id = ? AND a.framework_id = ?`, supervisorID, orgID, frameworkID).Scan(&n)
	return n, s.fault(err)
}

// InsightSpecialists counts the current members of organisations who hold
// a specialist digital, data or technology role, by organisation, role and
// level: one organisation's when orgID is set, otherwise a region's, or
// the nation's when regionID is 0 too.
func (s *Store) InsightSpecialists(ctx context.Context, orgID, regionID int64) ([]insight.Specialists, error) {
	rows, err := s.query(ctx, `SELECT m.organisation_id, o.parent_id, m.ddat_role, m.ddat_level, count(*)
		FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.ddat_role <> '' AND m.ended_at IS NULL AND (? = 0 OR m.organisation_id = ?) AND (? = 0 OR o.parent_id = ?)
		GROUP BY 1, 2, 3, 4`, orgID, orgID, regionID, regionID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []insight.Specialists
	for rows.Next() {
		var sp insight.Specialists
		if err := rows.Scan(&sp.Org, &sp.Region, &sp.Role, &sp.Level, &sp.People); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, sp)
	}
	return out, s.fault(rows.Err())
}

// tallyColumns are the counts of insight_cells and insight_totals, in the
// order tallyRow writes them.
var tallyColumns = []string{"people", "now_tenths", "needed_tenths", "below", "reached", "over_rated", "under_rated", "learned",
	"paired", "change_tenths", "improved"}

func tallyRow(t *insight.Tally, row []any) {
	row[0], row[1], row[2], row[3], row[4] = t.People, t.NowTenths, t.NeededTenths, t.Below, t.Reached
	row[5], row[6], row[7], row[8], row[9], row[10] = t.Over, t.Under, t.Learned, t.Paired, t.ChangeTenths, t.Improved
}

// addUp is the SET list that adds a conflicting row's counts to the
// stored ones.
func addUp(table string) string {
	var parts []string
	for _, c := range tallyColumns {
		parts = append(parts, c+" = "+table+"."+c+" + excluded."+c)
	}
	return strings.Join(parts, ", ")
}
