package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"upskill"
)

// This file is learning content as its authors see it: items owned by an
// organisation (or the nation), drafts, review, publishing, sharing and
// copying. Every method takes the owner the caller was allowed to act for,
// and every query filters by it.

var errNoContent = upskill.Errorf(upskill.ENOTFOUND, "There is no such learning.")

const versionColumns = `v.id, v.item_id, v.number, v.status, v.title, v.summary, v.format, v.minutes, v.audience,
	v.review_by, v.badge_bearing, b.pages, v.pass_mark, v.link_url, v.review_note, v.created_at, v.published_at`

// versionFrom reads versions with their pages, which are kept apart from
// the version's row so that reading many versions' rows stays cheap.
const versionFrom = ` FROM content_versions v JOIN content_bodies b ON b.version_id = v.id`

func scanVersion(row interface{ Scan(...any) error }, v *upskill.ContentVersion) error {
	var audience, pages string
	var reviewBy, published sql.NullTime
	if err := row.Scan(&v.ID, &v.ItemID, &v.Number, &v.Status, &v.Title, &v.Summary, &v.Format, &v.Minutes, &audience,
		&reviewBy, &v.BadgeBearing, &pages, &v.PassMark, &v.LinkURL, &v.ReviewNote, &v.CreatedAt, &published); err != nil {
		return err
	}
	v.ReviewBy, v.PublishedAt = reviewBy.Time, published.Time
	if err := json.Unmarshal([]byte(audience), &v.Audience); err != nil {
		return err
	}
	return json.Unmarshal([]byte(pages), &v.Pages)
}

// searchText is what the catalogue indexes of a version besides its title
// and summary: its pages and questions. Markdown's punctuation is left in;
// the full-text tokenisers of both engines skip it.
func searchText(v *upskill.ContentVersion) string {
	var b strings.Builder
	for _, p := range v.Pages {
		b.WriteString(p.Title)
		b.WriteByte('\n')
		b.WriteString(p.Body)
		b.WriteByte('\n')
		for _, q := range p.Questions {
			b.WriteString(q.Prompt)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// insertVersion writes a new version of an item with its mappings.
func (s *Store) insertVersion(ctx context.Context, tx *sql.Tx, actorID int64, v *upskill.ContentVersion) error {
	audience, _ := json.Marshal(v.Audience)
	pages, _ := json.Marshal(v.Pages)
	if v.Pages == nil {
		pages = []byte("[]")
	}
	v.CreatedAt = s.clock()
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO content_versions (item_id, number, status, title, summary, format, minutes,
		audience, review_by, badge_bearing, pass_mark, link_url, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		v.ItemID, v.Number, v.Status, v.Title, v.Summary, v.Format, v.Minutes, string(audience), nullTime(v.ReviewBy),
		v.BadgeBearing, v.PassMark, v.LinkURL, nullID(actorID), v.CreatedAt).Scan(&v.ID)
	if err != nil {
		return s.fault(err)
	}
	text := searchText(v)
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO content_bodies (version_id, pages, search_text) VALUES (?, ?, ?)`),
		v.ID, string(pages), text); err != nil {
		return s.fault(err)
	}
	if err := s.setWords(ctx, tx, v, text); err != nil {
		return err
	}
	return s.insertMappings(ctx, tx, v)
}

// setWords keeps PostgreSQL's words of a version, which its catalogue
// search matches, up to date with its title, summary and pages. SQLite
// indexes published versions in the catalogue's own table instead.
func (s *Store) setWords(ctx context.Context, tx *sql.Tx, v *upskill.ContentVersion, text string) error {
	if s.engine != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET words = strip(to_tsvector('english', ?)) WHERE id = ?`),
		v.Title+"\n"+v.Summary+"\n"+text, v.ID)
	return s.fault(err)
}

func (s *Store) insertMappings(ctx context.Context, tx *sql.Tx, v *upskill.ContentVersion) error {
	for _, m := range v.Mappings {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO content_mappings (version_id, framework_id, domain_code, capability_code, level)
			VALUES (?, ?, ?, ?, ?)`), v.ID, m.FrameworkID, m.DomainCode, m.CapabilityCode, m.Level); err != nil {
			if isConstraint(err) {
				return upskill.Errorf(upskill.EINVALID, "Each statement can be mapped once")
			}
			return s.fault(err)
		}
	}
	return nil
}

// checkMappings makes each mapping name a capability of the framework's
// published version at a level it has, and fills in its domain.
func (s *Store) checkMappings(ctx context.Context, v *upskill.ContentVersion) error {
	byFramework := map[int64]*upskill.FrameworkVersion{}
	var p upskill.Problems
	for i := range v.Mappings {
		m := &v.Mappings[i]
		fv, ok := byFramework[m.FrameworkID]
		if !ok {
			fw, err := s.Framework(ctx, m.FrameworkID)
			if err != nil {
				p.Add("mappings", "Choose statements of a framework that exists")
				continue
			}
			if _, fv, err = s.PublishedVersion(ctx, fw.Key); err != nil {
				p.Add("mappings", "Choose statements of a framework that has been published")
				continue
			}
			byFramework[m.FrameworkID] = fv
		}
		found := false
		for _, d := range fv.Domains {
			for _, c := range d.Capabilities {
				if c.Code == m.CapabilityCode {
					found, m.DomainCode = true, d.Code
				}
			}
		}
		switch {
		case !found:
			p.Add("mappings", "Statement "+m.CapabilityCode+" is not in the framework")
		case m.Level < 1 || m.Level > len(fv.Levels):
			p.Add("mappings", "Choose a level for statement "+m.CapabilityCode+" from the framework's levels")
		}
	}
	return p.Err()
}

// CreateContent makes a new item owned by owner, with v as its first
// draft.
func (s *Store) CreateContent(ctx context.Context, actorID int64, owner upskill.OrgRef, visibility upskill.Visibility, v *upskill.ContentVersion) (int64, error) {
	if !slices.Contains(upskill.Visibilities, visibility) {
		return 0, upskill.Errorf(upskill.EINVALID, "Choose who can find the learning")
	}
	if err := v.Validate(); err != nil {
		return 0, err
	}
	if err := s.checkMappings(ctx, v); err != nil {
		return 0, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO content_items (owner_id, visibility, created_by, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`), owner.ID, visibility, nullID(actorID), s.clock()).Scan(&id); err != nil {
			return s.fault(err)
		}
		v.ItemID, v.Number, v.Status = id, 1, upskill.ContentDraft
		if err := s.insertVersion(ctx, tx, actorID, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, owner.ID, "create_content", "content_item", id, v.Title)
	})
	return id, err
}

// ownedItem reads an item of owner's in a transaction, or errNoContent.
func (s *Store) ownedItem(ctx context.Context, tx *sql.Tx, ownerID, itemID int64) error {
	var one int
	err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM content_items WHERE id = ? AND owner_id = ?`), itemID, ownerID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoContent
	}
	return s.fault(err)
}

// ContentForOwner returns one of owner's items with its published version
// and its open draft, for its authors.
func (s *Store) ContentForOwner(ctx context.Context, ownerID, itemID int64) (*upskill.ContentItem, error) {
	items, err := s.contentItems(ctx, `i.id = ? AND i.owner_id = ?`, itemID, ownerID)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errNoContent
	}
	return &items[0], nil
}

// OwnedContent lists owner's items, newest first, for its authors.
func (s *Store) OwnedContent(ctx context.Context, ownerID int64) ([]upskill.ContentItem, error) {
	return s.contentItems(ctx, `i.owner_id = ?`, ownerID)
}

// contentItems reads items matching where, with their published and open
// versions, their sharing and their origin.
func (s *Store) contentItems(ctx context.Context, where string, args ...any) ([]upskill.ContentItem, error) {
	rows, err := s.query(ctx, `SELECT i.id, i.owner_id, coalesce(o.parent_id, 0), o.level, o.name, i.visibility,
		coalesce(i.copied_from_item, 0), i.copied_from_version, i.copied_from_title, i.copied_from_owner, i.created_at
		FROM content_items i JOIN organisations o ON o.id = i.owner_id
		WHERE `+where+` ORDER BY i.created_at DESC, i.id DESC`, args...)
	if err != nil {
		return nil, s.fault(err)
	}
	var items []upskill.ContentItem
	index := map[int64]int{}
	for rows.Next() {
		var it upskill.ContentItem
		var from upskill.ContentOrigin
		if err := rows.Scan(&it.ID, &it.Owner.ID, &it.Owner.ParentID, &it.Owner.Level, &it.OwnerName, &it.Visibility,
			&from.ItemID, &from.Version, &from.Title, &from.OwnerName, &it.CreatedAt); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		if from.ItemID != 0 || from.Title != "" {
			it.CopiedFrom = &from
		}
		index[it.ID] = len(items)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(items) == 0 {
		return items, s.fault(err)
	}
	ids := make([]any, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	in := placeholders(len(ids))
	rows, err = s.query(ctx, `SELECT `+versionColumns+versionFrom+`
		WHERE v.item_id IN (`+in+`) AND v.status IN ('draft', 'review', 'published')`, ids...)
	if err != nil {
		return nil, s.fault(err)
	}
	var versions []*upskill.ContentVersion
	for rows.Next() {
		v := &upskill.ContentVersion{}
		if err := scanVersion(rows, v); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		it := &items[index[v.ItemID]]
		if v.Status == upskill.ContentPublished {
			it.Published = v
		} else {
			it.Draft = v
		}
		versions = append(versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	if err := s.loadMappings(ctx, versions); err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, `SELECT sh.item_id, o.id, o.name FROM content_shares sh JOIN organisations o ON o.id = sh.organisation_id
		WHERE sh.item_id IN (`+in+`) ORDER BY lower(o.name)`, ids...)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var item int64
		var o upskill.SharedOrg
		if err := rows.Scan(&item, &o.ID, &o.Name); err != nil {
			return nil, s.fault(err)
		}
		it := &items[index[item]]
		it.SharedWith = append(it.SharedWith, o)
	}
	return items, s.fault(rows.Err())
}

func (s *Store) loadMappings(ctx context.Context, versions []*upskill.ContentVersion) error {
	if len(versions) == 0 {
		return nil
	}
	byID := map[int64]*upskill.ContentVersion{}
	ids := make([]any, 0, len(versions))
	for _, v := range versions {
		byID[v.ID] = v
		ids = append(ids, v.ID)
	}
	rows, err := s.query(ctx, `SELECT version_id, framework_id, domain_code, capability_code, level FROM content_mappings
		WHERE version_id IN (`+placeholders(len(ids))+`) ORDER BY framework_id, domain_code, capability_code`, ids...)
	if err != nil {
		return s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m upskill.ContentMapping
		if err := rows.Scan(&id, &m.FrameworkID, &m.DomainCode, &m.CapabilityCode, &m.Level); err != nil {
			return s.fault(err)
		}
		byID[id].Mappings = append(byID[id].Mappings, m)
	}
	return s.fault(rows.Err())
}

// placeholders returns n comma-separated ? marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// SaveDraft replaces the content of an item's open draft. A version waiting
// for review cannot change until it is sent back.
func (s *Store) SaveDraft(ctx context.Context, actorID, ownerID, itemID int64, v *upskill.ContentVersion) error {
	if err := v.Validate(); err != nil {
		return err
	}
	if err := s.checkMappings(ctx, v); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		var id int64
		var status upskill.ContentStatus
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, status FROM content_versions WHERE item_id = ? AND status IN ('draft', 'review')`), itemID).Scan(&id, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return upskill.Errorf(upskill.ECONFLICT, "This learning has no draft. Start a new version to change it.")
		}
		if err != nil {
			return s.fault(err)
		}
		if status == upskill.ContentReview {
			return upskill.Errorf(upskill.ECONFLICT, "This version is waiting for review, so it cannot change. Ask the reviewer to send it back first.")
		}
		audience, _ := json.Marshal(v.Audience)
		pages, _ := json.Marshal(v.Pages)
		if v.Pages == nil {
			pages = []byte("[]")
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET title = ?, summary = ?, format = ?, minutes = ?, audience = ?,
			review_by = ?, badge_bearing = ?, pass_mark = ?, link_url = ? WHERE id = ?`),
			v.Title, v.Summary, v.Format, v.Minutes, string(audience), nullTime(v.ReviewBy), v.BadgeBearing,
			v.PassMark, v.LinkURL, id); err != nil {
			return s.fault(err)
		}
		text := searchText(v)
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_bodies SET pages = ?, search_text = ? WHERE version_id = ?`),
			string(pages), text, id); err != nil {
			return s.fault(err)
		}
		v.ID = id
		if err := s.setWords(ctx, tx, v, text); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM content_mappings WHERE version_id = ?`), id); err != nil {
			return s.fault(err)
		}
		v.ID = id
		if err := s.insertMappings(ctx, tx, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, ownerID, "save_content_draft", "content_item", itemID, v.Title)
	})
}

// openVersion reads the id, status and submitter of an item's open
// version in a transaction.
func (s *Store) openVersion(ctx context.Context, tx *sql.Tx, itemID int64) (*upskill.ContentVersion, int64, error) {
	v := &upskill.ContentVersion{}
	var submitter sql.NullInt64
	err := tx.QueryRowContext(ctx, s.q(`SELECT `+versionColumns+`, v.submitted_by`+versionFrom+`
		WHERE v.item_id = ? AND v.status IN ('draft', 'review')`), itemID).Scan(&v.ID, &v.ItemID, &v.Number, &v.Status, &v.Title,
		&v.Summary, &v.Format, &v.Minutes, new(string), new(sql.NullTime), &v.BadgeBearing, new(string), &v.PassMark, &v.LinkURL,
		&v.ReviewNote, &v.CreatedAt, new(sql.NullTime), &submitter)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, upskill.Errorf(upskill.ECONFLICT, "This learning has no draft to do that with.")
	}
	if err != nil {
		return nil, 0, s.fault(err)
	}
	return v, submitter.Int64, nil
}

// fullVersion reads a version with its pages and mappings in a transaction.
func (s *Store) fullVersion(ctx context.Context, tx *sql.Tx, id int64) (*upskill.ContentVersion, error) {
	v := &upskill.ContentVersion{}
	if err := scanVersion(tx.QueryRowContext(ctx, s.q(`SELECT `+versionColumns+versionFrom+` WHERE v.id = ?`), id), v); err != nil {
		return nil, s.fault(err)
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT framework_id, domain_code, capability_code, level FROM content_mappings WHERE version_id = ?`), id)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m upskill.ContentMapping
		if err := rows.Scan(&m.FrameworkID, &m.DomainCode, &m.CapabilityCode, &m.Level); err != nil {
			return nil, s.fault(err)
		}
		v.Mappings = append(v.Mappings, m)
	}
	return v, s.fault(rows.Err())
}

// SubmitForReview asks another author to check the draft and publish it.
func (s *Store) SubmitForReview(ctx context.Context, actorID, ownerID, itemID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		open, _, err := s.openVersion(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if open.Status != upskill.ContentDraft {
			return upskill.Errorf(upskill.ECONFLICT, "This version is already waiting for review.")
		}
		v, err := s.fullVersion(ctx, tx, open.ID)
		if err != nil {
			return err
		}
		if err := v.ReadyToPublish(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET status = 'review', submitted_by = ?, review_note = '' WHERE id = ?`),
			nullID(actorID), open.ID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, ownerID, "submit_content", "content_item", itemID, v.Title)
	})
}

// ReturnToDraft sends a version waiting for review back to its authors
// with a note of what to change.
func (s *Store) ReturnToDraft(ctx context.Context, actorID, ownerID, itemID int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		msg := "Say what needs to change"
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "note", Message: msg}}}
	}
	if len(note) > 2000 {
		msg := "The note must be 2,000 characters or fewer"
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "note", Message: msg}}}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		open, _, err := s.openVersion(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if open.Status != upskill.ContentReview {
			return upskill.Errorf(upskill.ECONFLICT, "This version is not waiting for review.")
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET status = 'draft', submitted_by = NULL, review_note = ? WHERE id = ?`),
			note, open.ID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, ownerID, "return_content", "content_item", itemID, note)
	})
}

// PublishContent makes the open version the one learners see, retiring the
// one they saw before. A version sent for review must be published by
// someone other than the author who sent it.
func (s *Store) PublishContent(ctx context.Context, actorID, ownerID, itemID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		open, submitter, err := s.openVersion(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if open.Status == upskill.ContentReview && submitter == actorID && actorID != 0 {
			return upskill.Errorf(upskill.EFORBIDDEN, "You sent this version for review, so someone else must publish it.")
		}
		v, err := s.fullVersion(ctx, tx, open.ID)
		if err != nil {
			return err
		}
		if err := v.ReadyToPublish(); err != nil {
			return err
		}
		now := s.clock()
		var old sql.NullInt64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM content_versions WHERE item_id = ? AND status = 'published'`), itemID).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.fault(err)
		}
		if old.Valid {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET status = 'retired' WHERE id = ?`), old.Int64); err != nil {
				return s.fault(err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_versions SET status = 'published', published_at = ?, published_by = ?, review_note = ''
			WHERE id = ?`), now, nullID(actorID), open.ID); err != nil {
			return s.fault(err)
		}
		if err := s.indexVersion(ctx, tx, old.Int64, v); err != nil {
			return err
		}
		if err := s.catalogueChanged(ctx, tx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, ownerID, "publish_content", "content_item", itemID, v.Title)
	})
}

// indexVersion puts a newly published version in the catalogue's index in
// place of the one it replaces. PostgreSQL indexes the version's own row.
func (s *Store) indexVersion(ctx context.Context, tx *sql.Tx, oldID int64, v *upskill.ContentVersion) error {
	if s.engine == Postgres {
		return nil
	}
	if oldID != 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM content_search WHERE rowid = ?`, oldID); err != nil {
			return s.fault(err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO content_search (rowid, title, summary, body) VALUES (?, ?, ?, ?)`,
		v.ID, v.Title, v.Summary, searchText(v))
	return s.fault(err)
}

// NewContentVersion starts a draft of the next version from the published
// one.
func (s *Store) NewContentVersion(ctx context.Context, actorID, ownerID, itemID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM content_versions WHERE item_id = ? AND status = 'published'`), itemID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return upskill.Errorf(upskill.ECONFLICT, "This learning has not been published, so change its draft instead.")
		}
		if err != nil {
			return s.fault(err)
		}
		v, err := s.fullVersion(ctx, tx, id)
		if err != nil {
			return err
		}
		v.Number++
		v.Status, v.PublishedAt, v.ReviewNote = upskill.ContentDraft, time.Time{}, ""
		if err := s.insertVersion(ctx, tx, actorID, v); err != nil {
			if upskill.ErrorCode(err) == upskill.ECONFLICT {
				return upskill.Errorf(upskill.ECONFLICT, "A new version of this learning is already being written.")
			}
			return err
		}
		return s.audit(ctx, tx, actorID, ownerID, "new_content_version", "content_item", itemID, v.Title)
	})
}

// ShareContent sets who may find an item: its owner's staff only, named
// organisations too, or everyone.
func (s *Store) ShareContent(ctx context.Context, actorID, ownerID, itemID int64, visibility upskill.Visibility, orgIDs []int64) error {
	if !slices.Contains(upskill.Visibilities, visibility) {
		return upskill.Errorf(upskill.EINVALID, "Choose who can find the learning")
	}
	if visibility != upskill.VisibleNamed {
		orgIDs = nil
	}
	if visibility == upskill.VisibleNamed && len(orgIDs) == 0 {
		msg := "Choose the organisations to share the learning with"
		return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "organisations", Message: msg}}}
	}
	slices.Sort(orgIDs)
	orgIDs = slices.Compact(orgIDs)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		for _, id := range orgIDs {
			var level string
			err := tx.QueryRowContext(ctx, s.q(`SELECT level FROM organisations WHERE id = ?`), id).Scan(&level)
			if errors.Is(err, sql.ErrNoRows) || level != string(upskill.LevelOrganisation) || id == ownerID {
				msg := "Choose organisations from the list"
				return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: []upskill.FieldError{{Field: "organisations", Message: msg}}}
			}
			if err != nil {
				return s.fault(err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE content_items SET visibility = ? WHERE id = ?`), visibility, itemID); err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM content_shares WHERE item_id = ?`), itemID); err != nil {
			return s.fault(err)
		}
		for _, id := range orgIDs {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO content_shares (item_id, organisation_id) VALUES (?, ?)`), itemID, id); err != nil {
				return s.fault(err)
			}
		}
		if err := s.catalogueChanged(ctx, tx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, ownerID, "share_content", "content_item", itemID, string(visibility))
	})
}

// visibleTo is the condition that an item i may be found by the staff of
// the organisations whose ids fill its placeholders.
func visibleTo(n int) string {
	in := placeholders(n)
	return `(i.visibility = 'everyone' OR i.owner_id IN (` + in + `) OR (i.visibility = 'named' AND EXISTS
		(SELECT 1 FROM content_shares sh WHERE sh.item_id = i.id AND sh.organisation_id IN (` + in + `))))`
}

// VisibleContent returns an item with its published version if the staff
// of one of orgIDs may find it. With no organisations, only learning
// shared with everyone is found.
func (s *Store) VisibleContent(ctx context.Context, orgIDs []int64, itemID int64) (*upskill.ContentItem, error) {
	if len(orgIDs) == 0 {
		orgIDs = []int64{0} // someone of no organisation finds only everyone's learning
	}
	args := []any{itemID}
	for range 2 {
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	items, err := s.contentItems(ctx, `i.id = ? AND `+visibleTo(len(orgIDs)), args...)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 || items[0].Published == nil {
		return nil, errNoContent
	}
	it := &items[0]
	// Only the owner's authors see drafts and the sharing list.
	if !slices.Contains(orgIDs, it.Owner.ID) {
		it.Draft, it.SharedWith = nil, nil
	}
	return it, nil
}

// CopyContent copies the published version of an item that the staff of
// fromOrgs may find into a new draft owned by owner, to be adapted. The
// copy records where it came from.
func (s *Store) CopyContent(ctx context.Context, actorID int64, owner upskill.OrgRef, itemID int64) (int64, error) {
	src, err := s.VisibleContent(ctx, []int64{owner.ID}, itemID)
	if err != nil {
		return 0, err
	}
	if src.Owner.ID == owner.ID {
		return 0, upskill.Errorf(upskill.EINVALID, "This learning is already yours. Start a new version of it instead.")
	}
	v := *src.Published
	v.ID, v.Number, v.Status, v.PublishedAt, v.ReviewNote = 0, 1, upskill.ContentDraft, time.Time{}, ""
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO content_items (owner_id, visibility, copied_from_item, copied_from_version,
			copied_from_title, copied_from_owner, created_by, created_at) VALUES (?, 'owner', ?, ?, ?, ?, ?, ?) RETURNING id`),
			owner.ID, src.ID, src.Published.Number, src.Published.Title, src.OwnerName, nullID(actorID), s.clock()).Scan(&id); err != nil {
			return s.fault(err)
		}
		v.ItemID = id
		if err := s.insertVersion(ctx, tx, actorID, &v); err != nil {
			return err
		}
		return s.audit(ctx, tx, actorID, owner.ID, "copy_content", "content_item", id, v.Title)
	})
	return id, err
}
