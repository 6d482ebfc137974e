package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"

	"upskill"
)

// Every piece of published learning, with who may find it and what it is
// mapped to, kept in memory by each instance. Recommendations weigh every
// item mapped to a person's gaps, thousands in a national catalogue;
// reading them from the database on every page view would cost more than
// ranking them. The catalogue's generation, a number that publishing and
// sharing raise in the same transaction, tells an instance when its copy
// is out of date, so any number of instances stay right.

// publishedItem is one item's published version as recommendations weigh
// it.
type publishedItem struct {
	item      upskill.ContentItem // ID, Owner.ID, Visibility and SharedWith: who may find it
	versionID int64
	minutes   int
	audience  upskill.Audience
	mappings  []upskill.ContentMapping
}

// publishedCatalogue is the copy of one generation, in item order.
type publishedCatalogue struct {
	generation int64
	items      []publishedItem
}

type publishedCache struct {
	mu      sync.Mutex // one load at a time
	current *publishedCatalogue
}

// catalogueChanged raises the generation, in the transaction that changes
// published learning or whom it is shared with.
func (s *Store) catalogueChanged(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1`)
	return s.fault(err)
}

// published returns the published learning as it is now, loading it again
// if it has changed since it was last read.
func (s *Store) published(ctx context.Context) (*publishedCatalogue, error) {
	var gen int64
	if err := s.queryRow(ctx, `SELECT generation FROM catalogue_state WHERE id = 1`).Scan(&gen); err != nil {
		return nil, s.fault(err)
	}
	s.catalogue.mu.Lock()
	defer s.catalogue.mu.Unlock()
	if c := s.catalogue.current; c != nil && c.generation == gen {
		return c, nil
	}
	c, err := s.loadPublished(ctx)
	if err != nil {
		return nil, err
	}
	s.catalogue.current = c
	return c, nil
}

// loadPublished reads the published learning in one read transaction, so
// that items, shares and mappings agree with each other and with the
// generation read first.
func (s *Store) loadPublished(ctx context.Context) (*publishedCatalogue, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return nil, s.fault(err)
	}
	defer tx.Rollback()
	c := &publishedCatalogue{}
	if err := tx.QueryRowContext(ctx, `SELECT generation FROM catalogue_state WHERE id = 1`).Scan(&c.generation); err != nil {
		return nil, s.fault(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT v.id, v.item_id, i.owner_id, i.visibility, v.minutes, v.audience
		FROM content_versions v JOIN content_items i ON i.id = v.item_id WHERE v.status = 'published' ORDER BY v.item_id`)
	if err != nil {
		return nil, s.fault(err)
	}
	byVersion := map[int64]int{}
	byItem := map[int64]int{}
	for rows.Next() {
		var p publishedItem
		var audience string
		if err := rows.Scan(&p.versionID, &p.item.ID, &p.item.Owner.ID, &p.item.Visibility, &p.minutes, &audience); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		if audience != "{}" {
			if err := json.Unmarshal([]byte(audience), &p.audience); err != nil {
				rows.Close()
				return nil, s.fault(err)
			}
		}
		byVersion[p.versionID], byItem[p.item.ID] = len(c.items), len(c.items)
		c.items = append(c.items, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT sh.item_id, sh.organisation_id FROM content_shares sh
		JOIN content_items i ON i.id = sh.item_id WHERE i.visibility = 'named'`)
	if err != nil {
		return nil, s.fault(err)
	}
	for rows.Next() {
		var item, org int64
		if err := rows.Scan(&item, &org); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		if k, ok := byItem[item]; ok {
			c.items[k].item.SharedWith = append(c.items[k].item.SharedWith, upskill.SharedOrg{ID: org})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT m.version_id, m.framework_id, m.domain_code, m.capability_code, m.level
		FROM content_mappings m JOIN content_versions v ON v.id = m.version_id WHERE v.status = 'published'
		ORDER BY m.version_id, m.framework_id, m.capability_code`)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var version int64
		var m upskill.ContentMapping
		if err := rows.Scan(&version, &m.FrameworkID, &m.DomainCode, &m.CapabilityCode, &m.Level); err != nil {
			return nil, s.fault(err)
		}
		if k, ok := byVersion[version]; ok {
			c.items[k].mappings = append(c.items[k].mappings, m)
		}
	}
	return c, s.fault(rows.Err())
}
