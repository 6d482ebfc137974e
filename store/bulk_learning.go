package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"upskill"
)

// This file is the part of BulkLoad that stores learning: items with their
// published and retired versions, what they are mapped to and whom they
// are shared with, the catalogue's index, and the new people's enrolments
// and completions, as CreateContent, PublishContent, ShareContent,
// CopyContent, Enrol, SeePage, SaveLessonAnswer and CompleteLearning would
// have left them.

// BulkItem is a piece of learning for a load, with every version it has
// had.
type BulkItem struct {
	// Item is read for ID (provisional, unique among the load's items),
	// Owner.ID (the nation or an organisation, stored or new), Visibility,
	// SharedWith (organisations, stored or new, by ID; only when Visibility
	// is VisibleNamed), CopiedFrom and CreatedAt (the first version's when
	// zero). CopiedFrom.ItemID names an earlier item of the load and
	// CopiedFrom.Version one of its versions; the title and owner's name
	// recorded with the copy are taken from them.
	Item upskill.ContentItem
	// AuthorID is the person who wrote and published the versions: a new
	// person of the load, or 0 for none recorded.
	AuthorID int64
	// Versions are the item's versions in order, numbered from 1. Every one
	// but the last is retired, as publishing a new version retires the one
	// before; the last is published or retired. Read: ID (provisional,
	// unique among the load's versions), Number (its place when 0), Status,
	// Title, Summary, Format, Minutes, Audience, ReviewBy, Mappings (whose
	// DomainCode is filled in from the framework), BadgeBearing, Pages,
	// PassMark, LinkURL, CreatedAt (PublishedAt when zero) and PublishedAt,
	// which must be later for each version. Each must be ready to publish.
	Versions []upskill.ContentVersion
}

// bulkLearning is what the checks of a load's learning worked out for
// writing it.
type bulkLearning struct {
	items    map[int64]int       // provisional item id -> index
	versions map[int64][2]int    // provisional version id -> item index, version index
	stored   map[int64]storedOrg // stored owners and organisations shared with
	// Per version, in order over the items: the JSON of its audience and
	// pages, and the text the catalogue indexes.
	audience, pages, search []string
	newOrgNames             map[int64]string
	itemIDs, versionIDs     []int64 // reserved ids, in the order of the rows
	enrolmentIDs            []int64
	assignments             map[int64]int // provisional assignment id -> index
	assignmentIDs           []int64
}

// storedOrg is what a load needs to know of an organisation it refers to.
type storedOrg struct {
	level upskill.Level
	name  string
}

// bulkFramework is a framework's published version as mappings are checked
// against it.
type bulkFramework struct {
	domain map[string]string // capability code -> domain code
	levels int
}

// checkBulkLearning checks the learning and enrolments of b as the
// one-at-a-time methods check them. checkBulk has checked the rest of b.
// Frameworks the learning is mapped to are read from the database; stored
// organisations are checked in the load's transaction.
func (s *Store) checkBulkLearning(ctx context.Context, b *Bulk) (*bulkLearning, error) {
	if len(b.Learning) == 0 && len(b.Enrolments) == 0 && len(b.Assignments) == 0 {
		return nil, nil
	}
	l := &bulkLearning{
		items: make(map[int64]int, len(b.Learning)), versions: map[int64][2]int{},
		stored: map[int64]storedOrg{}, newOrgNames: make(map[int64]string, len(b.Organisations)),
	}
	levels := make(map[int64]upskill.Level, len(b.Organisations))
	for _, o := range b.Organisations {
		levels[o.ID], l.newOrgNames[o.ID] = o.Level, o.Name
	}
	people := make(map[int64]struct{}, len(b.People))
	for _, p := range b.People {
		people[p.ID] = struct{}{}
	}
	frameworks := map[int64]*bulkFramework{}

	for i := range b.Learning {
		it := &b.Learning[i]
		item := &it.Item
		if item.ID >= 0 {
			return nil, bulkProblem("Learning item", i, "its ID must be a provisional number below zero")
		}
		if _, dup := l.items[item.ID]; dup {
			return nil, bulkProblem("Learning item", i, "its ID %d is used twice", item.ID)
		}
		switch {
		case item.Owner.ID == 0:
			return nil, bulkProblem("Learning item", i, "it has no owner")
		case item.Owner.ID < 0 && levels[item.Owner.ID] != upskill.LevelOrganisation:
			return nil, bulkProblem("Learning item", i, "its owner %d is not an organisation of the load", item.Owner.ID)
		case item.Owner.ID > 0:
			l.stored[item.Owner.ID] = storedOrg{}
		}
		if !slices.Contains(upskill.Visibilities, item.Visibility) {
			return nil, bulkProblem("Learning item", i, "its visibility must be one of %v, not %q", upskill.Visibilities, item.Visibility)
		}
		switch {
		case item.Visibility == upskill.VisibleNamed && len(item.SharedWith) == 0:
			return nil, bulkProblem("Learning item", i, "it is shared with named organisations but names none")
		case item.Visibility != upskill.VisibleNamed && len(item.SharedWith) > 0:
			return nil, bulkProblem("Learning item", i, "only learning shared with named organisations names them")
		}
		seen := map[int64]bool{}
		for _, o := range item.SharedWith {
			switch {
			case o.ID == item.Owner.ID:
				return nil, bulkProblem("Learning item", i, "it is shared with its own owner")
			case seen[o.ID]:
				return nil, bulkProblem("Learning item", i, "it is shared with organisation %d twice", o.ID)
			case o.ID < 0 && levels[o.ID] != upskill.LevelOrganisation:
				return nil, bulkProblem("Learning item", i, "it is shared with %d, which is not an organisation of the load", o.ID)
			case o.ID == 0:
				return nil, bulkProblem("Learning item", i, "it is shared with no organisation")
			case o.ID > 0:
				l.stored[o.ID] = storedOrg{}
			}
			seen[o.ID] = true
		}
		if from := item.CopiedFrom; from != nil {
			src, ok := l.items[from.ItemID]
			switch {
			case !ok:
				return nil, bulkProblem("Learning item", i, "it is copied from %d, which is not an earlier item of the load", from.ItemID)
			case from.Version < 1 || from.Version > len(b.Learning[src].Versions):
				return nil, bulkProblem("Learning item", i, "it is copied from version %d, which its original does not have", from.Version)
			case b.Learning[src].Item.Owner.ID == item.Owner.ID:
				return nil, bulkProblem("Learning item", i, "it is a copy of its owner's own learning")
			}
		}
		if it.AuthorID != 0 {
			if _, ok := people[it.AuthorID]; !ok {
				return nil, bulkProblem("Learning item", i, "its author %d is not a person of the load", it.AuthorID)
			}
		}
		if len(it.Versions) == 0 {
			return nil, bulkProblem("Learning item", i, "it has no versions")
		}
		for j := range it.Versions {
			v := &it.Versions[j]
			if err := l.checkVersion(ctx, s, frameworks, it, j); err != nil {
				return nil, bulkProblem("Learning item", i, "version %d: %s", j+1, err)
			}
			l.versions[v.ID] = [2]int{i, j}
			audience, _ := json.Marshal(v.Audience)
			pages := []byte("[]")
			if len(v.Pages) > 0 {
				pages, _ = json.Marshal(v.Pages)
			}
			l.audience, l.pages = append(l.audience, string(audience)), append(l.pages, string(pages))
			l.search = append(l.search, searchText(v))
		}
		if item.CreatedAt.IsZero() {
			item.CreatedAt = it.Versions[0].CreatedAt
		}
		if item.CreatedAt.After(it.Versions[0].CreatedAt) {
			return nil, bulkProblem("Learning item", i, "it is made after its first version")
		}
		l.items[item.ID] = i
	}
	if err := l.checkBulkAssignments(b, people); err != nil {
		return nil, err
	}
	if err := l.checkEnrolments(b, people); err != nil {
		return nil, err
	}
	return l, nil
}

// checkVersion checks version j of item it, filling in its number, its
// creation time and the domains of its mappings.
func (l *bulkLearning) checkVersion(ctx context.Context, s *Store, frameworks map[int64]*bulkFramework, it *BulkItem, j int) error {
	v := &it.Versions[j]
	if v.ID >= 0 {
		return errors.New("its ID must be a provisional number below zero")
	}
	if _, dup := l.versions[v.ID]; dup {
		return fmt.Errorf("its ID %d is used twice", v.ID)
	}
	if v.Number == 0 {
		v.Number = j + 1
	}
	if v.Number != j+1 {
		return fmt.Errorf("it is numbered %d in the place of version %d", v.Number, j+1)
	}
	last := j == len(it.Versions)-1
	switch {
	case v.Status == upskill.ContentRetired:
	case v.Status == upskill.ContentPublished && last:
	case v.Status == upskill.ContentPublished:
		return errors.New("only the latest version can be published; the ones before it are retired")
	default:
		return fmt.Errorf("its status must be %s or %s, not %q", upskill.ContentPublished, upskill.ContentRetired, v.Status)
	}
	if err := v.ReadyToPublish(); err != nil {
		return errors.New(firstProblem(err))
	}
	if v.PublishedAt.IsZero() {
		return errors.New("it has no publication time")
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = v.PublishedAt
	}
	if v.PublishedAt.Before(v.CreatedAt) {
		return errors.New("it is published before it was written")
	}
	if j > 0 && !v.PublishedAt.After(it.Versions[j-1].PublishedAt) {
		return errors.New("it is published no later than the version before it")
	}
	type statement struct {
		framework int64
		code      string
	}
	mapped := map[statement]bool{}
	for k := range v.Mappings {
		m := &v.Mappings[k]
		fw, ok := frameworks[m.FrameworkID]
		if !ok {
			var err error
			if fw, err = s.bulkFramework(ctx, m.FrameworkID); err != nil {
				return err
			}
			frameworks[m.FrameworkID] = fw
		}
		code, ok := fw.domain[m.CapabilityCode]
		switch {
		case !ok:
			return fmt.Errorf("statement %s is not in framework %d", m.CapabilityCode, m.FrameworkID)
		case m.Level < 1 || m.Level > fw.levels:
			return fmt.Errorf("statement %s is mapped to level %d, which its framework does not have", m.CapabilityCode, m.Level)
		case mapped[statement{m.FrameworkID, m.CapabilityCode}]:
			return fmt.Errorf("statement %s is mapped twice", m.CapabilityCode)
		}
		mapped[statement{m.FrameworkID, m.CapabilityCode}] = true
		m.DomainCode = code
	}
	return nil
}

// bulkFramework reads the published version of a framework for checking
// mappings.
func (s *Store) bulkFramework(ctx context.Context, id int64) (*bulkFramework, error) {
	fw, err := s.Framework(ctx, id)
	if upskill.ErrorCode(err) == upskill.ENOTFOUND {
		return nil, fmt.Errorf("framework %d is not stored", id)
	}
	if err != nil {
		return nil, err
	}
	_, v, err := s.PublishedVersion(ctx, fw.Key)
	if upskill.ErrorCode(err) == upskill.ENOTFOUND {
		return nil, fmt.Errorf("framework %d has no published version", id)
	}
	if err != nil {
		return nil, err
	}
	out := &bulkFramework{domain: map[string]string{}, levels: len(v.Levels)}
	for _, d := range v.Domains {
		for _, c := range d.Capabilities {
			out.domain[c.Code] = d.Code
		}
	}
	return out, nil
}

// checkEnrolments checks each enrolment of b: a new person enrols, for an
// organisation they belong to or none, on a version of learning they may
// find that was the published one when they enrolled, and a completion
// meets the version's rule. The score of each is set as CompleteLearning
// sets it.
func (l *bulkLearning) checkEnrolments(b *Bulk, people map[int64]struct{}) error {
	if len(b.Enrolments) == 0 {
		return nil
	}
	current := currentMemberships(b)
	// The organisations whose learning each person may find.
	orgs := make(map[int64][]int64, len(b.People))
	for _, m := range b.Memberships {
		if m.EndedAt.IsZero() {
			orgs[m.PersonID] = append(orgs[m.PersonID], m.OrganisationID)
		}
	}
	type personItem struct{ person, item int64 }
	open := map[personItem]struct{}{}
	for i := range b.Enrolments {
		e := &b.Enrolments[i]
		if _, ok := people[e.PersonID]; !ok {
			return bulkProblem("Enrolment", i, "its person %d is not a person of the load", e.PersonID)
		}
		at, ok := l.items[e.ItemID]
		if !ok {
			return bulkProblem("Enrolment", i, "its item %d is not an item of the load", e.ItemID)
		}
		it := &b.Learning[at]
		where, ok := l.versions[e.VersionID]
		if !ok || where[0] != at {
			return bulkProblem("Enrolment", i, "its version %d is not a version of its item", e.VersionID)
		}
		v := &it.Versions[where[1]]
		if e.OrganisationID != 0 {
			if _, ok := current[personOrg{e.PersonID, e.OrganisationID}]; !ok {
				return bulkProblem("Enrolment", i, "its person has no current membership of its organisation in the load")
			}
		}
		if !it.Item.FoundBy(orgs[e.PersonID]) {
			return bulkProblem("Enrolment", i, "its person may not find its learning")
		}
		switch {
		case e.CreatedAt.IsZero():
			return bulkProblem("Enrolment", i, "it has no start time")
		case e.CreatedAt.Before(v.PublishedAt):
			return bulkProblem("Enrolment", i, "it starts before its version was published")
		case where[1]+1 < len(it.Versions) && !e.CreatedAt.Before(it.Versions[where[1]+1].PublishedAt):
			return bulkProblem("Enrolment", i, "it starts on a version that had been replaced by then")
		case e.Seconds < 0:
			return bulkProblem("Enrolment", i, "its time spent is below zero")
		case !e.DueAt.IsZero() && !e.Assigned:
			return bulkProblem("Enrolment", i, "only assigned learning has a due date")
		}
		if msg := progressProblem(e, v); msg != "" {
			return bulkProblem("Enrolment", i, "%s", msg)
		}
		switch e.Status {
		case upskill.Completed:
			result := e.Result(v)
			switch {
			case e.CompletedAt.IsZero():
				return bulkProblem("Enrolment", i, "a completion needs the time it was completed")
			case e.CompletedAt.Before(e.CreatedAt):
				return bulkProblem("Enrolment", i, "it is completed before it was started")
			}
			if msg := v.CompletionProblem(e.Seen(len(v.Pages)), result); msg != "" {
				return bulkProblem("Enrolment", i, "it cannot be complete: %s", msg)
			}
			e.Score = result.Percent()
		case upskill.Enrolled:
			if !e.CompletedAt.IsZero() {
				return bulkProblem("Enrolment", i, "an enrolment in progress has no completion time")
			}
			key := personItem{e.PersonID, e.ItemID}
			if _, dup := open[key]; dup {
				return bulkProblem("Enrolment", i, "the person is already enrolled on this learning")
			}
			open[key] = struct{}{}
			e.Score = 0
		default:
			return bulkProblem("Enrolment", i, "its status must be %s or %s, not %q", upskill.Enrolled, upskill.Completed, e.Status)
		}
	}
	return nil
}

// progressProblem says what is wrong with the pages seen and answers of an
// enrolment on v, as SeePage and SaveLessonAnswer would have refused them,
// or "". Pages seen are sorted in place, as SeePage keeps them.
func progressProblem(e *upskill.Enrolment, v *upskill.ContentVersion) string {
	if !slices.IsSorted(e.PagesSeen) {
		slices.Sort(e.PagesSeen)
	}
	for k, p := range e.PagesSeen {
		switch {
		case p < 1 || p > len(v.Pages):
			return fmt.Sprintf("page %d is not a page of its version", p)
		case k > 0 && e.PagesSeen[k-1] == p:
			return fmt.Sprintf("page %d is seen twice", p)
		}
	}
	for key, selected := range e.Answers {
		page, question, ok := strings.Cut(key, ".")
		p, err1 := strconv.Atoi(page)
		q, err2 := strconv.Atoi(question)
		if !ok || err1 != nil || err2 != nil || upskill.AnswerKey(p, q) != key {
			return fmt.Sprintf("answer %q does not name a page and question", key)
		}
		lq := v.Question(p-1, q-1)
		if lq == nil {
			return fmt.Sprintf("question %s is not part of its version", key)
		}
		if msg := lq.SelectionProblem(selected); msg != "" {
			return fmt.Sprintf("question %s: %s", key, msg)
		}
	}
	return ""
}

// checkStoredLearningRefs checks, in the load's transaction, that the
// stored organisations the learning refers to exist: owners are the nation
// or an organisation, and learning is shared with organisations.
func (s *Store) checkStoredLearningRefs(ctx context.Context, tx *sql.Tx, b *Bulk, l *bulkLearning) error {
	for id := range l.stored {
		var o storedOrg
		err := tx.QueryRowContext(ctx, s.q(`SELECT level, name FROM organisations WHERE id = ?`), id).Scan(&o.level, &o.name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.fault(err)
		}
		l.stored[id] = o
	}
	for i, it := range b.Learning {
		if id := it.Item.Owner.ID; id > 0 {
			if lv := l.stored[id].level; lv != upskill.LevelNation && lv != upskill.LevelOrganisation {
				return bulkProblem("Learning item", i, "its owner %d is not the stored nation or a stored organisation", id)
			}
		}
		for _, o := range it.Item.SharedWith {
			if o.ID > 0 && l.stored[o.ID].level != upskill.LevelOrganisation {
				return bulkProblem("Learning item", i, "it is shared with %d, which is not a stored organisation", o.ID)
			}
		}
	}
	return nil
}

// orgName is the name of an organisation the learning refers to.
func (l *bulkLearning) orgName(id int64) string {
	if id < 0 {
		return l.newOrgNames[id]
	}
	return l.stored[id].name
}

// insertBulkLearning writes the learning and enrolments of b. ids holds the
// stored ids of the rest of the load.
func (s *Store) insertBulkLearning(ctx context.Context, tx *sql.Tx, b *Bulk, ids *bulkIDs, l *bulkLearning) error {
	if l == nil {
		return nil
	}
	if err := s.checkStoredLearningRefs(ctx, tx, b, l); err != nil {
		return err
	}
	versions := 0
	for _, it := range b.Learning {
		versions += len(it.Versions)
	}
	var err error
	if l.itemIDs, err = s.reserveIDs(ctx, tx, "content_items", len(b.Learning)); err != nil {
		return err
	}
	if l.versionIDs, err = s.reserveIDs(ctx, tx, "content_versions", versions); err != nil {
		return err
	}
	if l.enrolmentIDs, err = s.reserveIDs(ctx, tx, "enrolments", len(b.Enrolments)); err != nil {
		return err
	}
	itemID := func(ref int64) int64 { return l.itemIDs[l.items[ref]] }
	// Versions are numbered over the load in the order of the items.
	firstVersion := make([]int, len(b.Learning)+1)
	for i, it := range b.Learning {
		firstVersion[i+1] = firstVersion[i] + len(it.Versions)
	}
	versionID := func(ref int64) int64 {
		w := l.versions[ref]
		return l.versionIDs[firstVersion[w[0]]+w[1]]
	}

	err = s.insertRows(ctx, tx, "content_items",
		[]string{"id", "owner_id", "visibility", "copied_from_item", "copied_from_version", "copied_from_title",
			"copied_from_owner", "created_by", "created_at"},
		len(b.Learning), func(i int, row []any) {
			it := &b.Learning[i]
			row[0], row[1], row[2] = l.itemIDs[i], ids.org(it.Item.Owner.ID), string(it.Item.Visibility)
			row[3], row[4], row[5], row[6] = nil, int64(0), "", ""
			if from := it.Item.CopiedFrom; from != nil {
				src := &b.Learning[l.items[from.ItemID]]
				row[3], row[4] = itemID(from.ItemID), int64(from.Version)
				row[5], row[6] = src.Versions[from.Version-1].Title, l.orgName(src.Item.Owner.ID)
			}
			row[7], row[8] = nullID(ids.person(it.AuthorID)), s.bulkNullTime(it.Item.CreatedAt)
		})
	if err != nil {
		return err
	}

	type versionRef struct{ item, version int }
	var refs []versionRef
	for i, it := range b.Learning {
		for j := range it.Versions {
			refs = append(refs, versionRef{i, j})
		}
	}
	err = s.insertRows(ctx, tx, "content_versions",
		[]string{"id", "item_id", "number", "status", "title", "summary", "format", "minutes", "audience", "review_by",
			"badge_bearing", "pass_mark", "link_url", "created_by", "created_at", "published_by", "published_at"},
		len(refs), func(k int, row []any) {
			it := &b.Learning[refs[k].item]
			v := &it.Versions[refs[k].version]
			author := nullID(ids.person(it.AuthorID))
			row[0], row[1], row[2], row[3] = l.versionIDs[k], l.itemIDs[refs[k].item], int64(v.Number), string(v.Status)
			row[4], row[5], row[6], row[7] = v.Title, v.Summary, string(v.Format), int64(v.Minutes)
			row[8], row[9], row[10] = l.audience[k], s.bulkNullTime(v.ReviewBy), v.BadgeBearing
			row[11], row[12], row[13] = int64(v.PassMark), v.LinkURL, author
			row[14], row[15], row[16] = s.bulkNullTime(v.CreatedAt), author, s.bulkNullTime(v.PublishedAt)
		})
	if err != nil {
		return err
	}
	err = s.insertRows(ctx, tx, "content_bodies", []string{"version_id", "pages", "search_text"},
		len(refs), func(k int, row []any) {
			row[0], row[1], row[2] = l.versionIDs[k], l.pages[k], l.search[k]
		})
	if err != nil {
		return err
	}
	if s.engine == Postgres && len(refs) > 0 {
		// The words PostgreSQL's search matches, as setWords keeps them, for
		// the versions that have none yet: this load's.
		if _, err := tx.ExecContext(ctx, `UPDATE content_versions v SET words = strip(to_tsvector('english',
			v.title || E'\n' || v.summary || E'\n' || b.search_text)) FROM content_bodies b
			WHERE b.version_id = v.id AND v.words = ''::tsvector`); err != nil {
			return s.fault(err)
		}
	}

	type mappingRef struct{ version, mapping int }
	var mappings []mappingRef
	for k, r := range refs {
		for m := range b.Learning[r.item].Versions[r.version].Mappings {
			mappings = append(mappings, mappingRef{k, m})
		}
	}
	err = s.insertRows(ctx, tx, "content_mappings",
		[]string{"version_id", "framework_id", "domain_code", "capability_code", "level"},
		len(mappings), func(k int, row []any) {
			r := refs[mappings[k].version]
			m := &b.Learning[r.item].Versions[r.version].Mappings[mappings[k].mapping]
			row[0], row[1], row[2], row[3], row[4] = l.versionIDs[mappings[k].version], m.FrameworkID, m.DomainCode, m.CapabilityCode, int64(m.Level)
		})
	if err != nil {
		return err
	}

	type shareRef struct{ item, org int }
	var shares []shareRef
	for i, it := range b.Learning {
		for j := range it.Item.SharedWith {
			shares = append(shares, shareRef{i, j})
		}
	}
	err = s.insertRows(ctx, tx, "content_shares", []string{"item_id", "organisation_id"},
		len(shares), func(k int, row []any) {
			r := shares[k]
			row[0], row[1] = l.itemIDs[r.item], ids.org(b.Learning[r.item].Item.SharedWith[r.org].ID)
		})
	if err != nil {
		return err
	}

	// The catalogue's index on SQLite; PostgreSQL indexes the version's
	// own row.
	if s.engine == SQLite {
		var published []int
		for k, r := range refs {
			if b.Learning[r.item].Versions[r.version].Status == upskill.ContentPublished {
				published = append(published, k)
			}
		}
		err = s.insertRows(ctx, tx, "content_search", []string{"rowid", "title", "summary", "body"},
			len(published), func(k int, row []any) {
				r := refs[published[k]]
				v := &b.Learning[r.item].Versions[r.version]
				row[0], row[1], row[2], row[3] = l.versionIDs[published[k]], v.Title, v.Summary, l.search[published[k]]
			})
		if err != nil {
			return err
		}
	}

	if err := s.insertBulkAssignments(ctx, tx, b, ids, l); err != nil {
		return err
	}
	err = s.insertRows(ctx, tx, "enrolments",
		[]string{"id", "person_id", "item_id", "organisation_id", "version_id", "status", "source", "due_at",
			"assignment_id", "mandatory", "pages_seen", "answers", "seconds", "last_seen_at", "created_at", "completed_at", "score"},
		len(b.Enrolments), func(i int, row []any) {
			e := &b.Enrolments[i]
			source := "self"
			if e.Assigned {
				source = "assigned"
			}
			assignment, mandatory := l.assignmentOf(b, e)
			row[0], row[1], row[2], row[3] = l.enrolmentIDs[i], ids.person(e.PersonID), itemID(e.ItemID), nullID(ids.org(e.OrganisationID))
			row[4], row[5], row[6], row[7] = versionID(e.VersionID), string(e.Status), source, s.bulkNullTime(e.DueAt)
			row[8], row[9] = assignment, mandatory
			row[10], row[11], row[12] = pagesSeenText(e.PagesSeen), answersJSON(e.Answers), int64(e.Seconds)
			row[13], row[14] = s.bulkNullTime(lastSeen(e)), s.bulkNullTime(e.CreatedAt)
			row[15], row[16] = s.bulkNullTime(e.CompletedAt), int64(e.Score)
		})
	if err != nil {
		return err
	}
	if err := s.insertBulkReminders(ctx, tx, b, l, s.clock()); err != nil {
		return err
	}
	if err := s.catalogueChanged(ctx, tx); err != nil {
		return err
	}
	// Counted afresh from every completion, so that people who completed
	// learning before the load are counted once.
	if _, err := tx.ExecContext(ctx, `INSERT INTO learning_completions (organisation_id, item_id, people)
		SELECT organisation_id, item_id, count(DISTINCT person_id) FROM enrolments
		WHERE status = 'completed' AND organisation_id IS NOT NULL GROUP BY organisation_id, item_id
		ON CONFLICT (organisation_id, item_id) DO UPDATE SET people = excluded.people`); err != nil {
		return s.fault(err)
	}
	if s.engine == SQLite {
		return s.checkSQLiteForeignKeysOf(ctx, tx, "content_items", "content_versions", "content_bodies", "content_mappings", "content_shares",
			"assignments", "enrolments", "reminders")
	}
	return nil
}

// bulkNullTime is bulkTime at the precision both engines keep, or NULL
// for the zero time.
func (s *Store) bulkNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.bulkTime(t.Truncate(time.Microsecond))
}

// lastSeen is when the person last saw a page of the lesson: their time
// on its pages after they enrolled, but no later than their completion.
// Without a page seen, there is none.
func lastSeen(e *upskill.Enrolment) time.Time {
	if len(e.PagesSeen) == 0 {
		return time.Time{}
	}
	t := e.CreatedAt.Add(time.Duration(e.Seconds) * time.Second)
	if !e.CompletedAt.IsZero() && t.After(e.CompletedAt) {
		t = e.CompletedAt
	}
	return t
}

// pagesSeenText is pages_seen as SeePage writes it: page numbers in order,
// separated by commas.
func pagesSeenText(pages []int) string {
	var b []byte
	for i, p := range pages {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p), 10)
	}
	return string(b)
}

// answersJSON is the JSON that encoding/json makes of a lesson's answers,
// made directly: keys in order, as json.Marshal sorts them. The keys are
// page and question numbers, which need no escaping.
func answersJSON(answers map[string][]int) string {
	if len(answers) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
		if answers[k] == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, o := range answers[k] {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(o), 10)
		}
		b = append(b, ']')
	}
	return string(append(b, '}'))
}

// detail describes the learning of a load for the audit log.
func (l *bulkLearning) detail(b *Bulk) string {
	if l == nil {
		return ""
	}
	detail := ", " + plural(len(b.Learning), "learning item", "learning items") +
		", " + plural(len(b.Enrolments), "enrolment", "enrolments")
	if len(b.Assignments) > 0 {
		detail += ", " + plural(len(b.Assignments), "assignment", "assignments")
	}
	return detail
}

// apply writes the stored ids back into the learning and enrolments of b
// once the load has committed.
func (l *bulkLearning) apply(b *Bulk, ids *bulkIDs) {
	if l == nil {
		return
	}
	// Names are looked up by the ids the load used, before they change.
	owners := make([]string, len(b.Learning))
	for i, it := range b.Learning {
		owners[i] = l.orgName(it.Item.Owner.ID)
	}
	next := 0
	versionIDs := make(map[int64]int64, len(l.versions))
	for i := range b.Learning {
		it := &b.Learning[i]
		item := &it.Item
		if from := item.CopiedFrom; from != nil {
			src := l.items[from.ItemID]
			from.ItemID, from.OwnerName = l.itemIDs[src], owners[src]
			from.Title = b.Learning[src].Versions[from.Version-1].Title
		}
		item.ID, item.Owner.ID, item.OwnerName = l.itemIDs[i], ids.org(item.Owner.ID), owners[i]
		it.AuthorID = ids.person(it.AuthorID)
		for j := range item.SharedWith {
			o := &item.SharedWith[j]
			o.ID, o.Name = ids.org(o.ID), l.orgName(o.ID)
		}
		for j := range it.Versions {
			v := &it.Versions[j]
			versionIDs[v.ID] = l.versionIDs[next]
			v.ID, v.ItemID = l.versionIDs[next], item.ID
			next++
		}
		item.Published = nil
		if last := &it.Versions[len(it.Versions)-1]; last.Status == upskill.ContentPublished {
			item.Published = last
		}
	}
	assignmentIDs := make(map[int64]int64, len(b.Assignments))
	for i := range b.Assignments {
		a := &b.Assignments[i]
		assignmentIDs[a.ID] = l.assignmentIDs[i]
		a.ID, a.OrganisationID, a.ItemID = l.assignmentIDs[i], ids.org(a.OrganisationID), l.itemIDs[l.items[a.ItemID]]
		a.PersonID, a.UnitID, a.LineManagerID, a.CreatedBy = ids.person(a.PersonID), ids.unit(a.UnitID), ids.person(a.LineManagerID), ids.person(a.CreatedBy)
	}
	for i := range b.Enrolments {
		e := &b.Enrolments[i]
		e.ID, e.PersonID, e.OrganisationID = l.enrolmentIDs[i], ids.person(e.PersonID), ids.org(e.OrganisationID)
		e.ItemID, e.VersionID, e.AssignmentID = l.itemIDs[l.items[e.ItemID]], versionIDs[e.VersionID], assignmentIDs[e.AssignmentID]
	}
}
