package store

import (
	"context"
	"strings"
	"unicode"

	"upskill"
)

// CatalogueQuery is a search of the learning that the staff of OrgIDs may
// find. Zero fields do not filter.
type CatalogueQuery struct {
	OrgIDs      []int64
	Text        string
	FrameworkID int64
	Domain      string // a domain code of FrameworkID
	Level       int    // a level of FrameworkID, with Domain or alone
	Format      upskill.ContentFormat
	MaxMinutes  int
	Owner       CatalogueOwner
	Page        int // from 1
	PerPage     int
}

// CatalogueOwner filters the catalogue by who owns the learning.
type CatalogueOwner string

const (
	OwnerAny      CatalogueOwner = ""
	OwnerNational CatalogueOwner = "national" // the national team's
	OwnerOurs     CatalogueOwner = "ours"     // the viewer's organisations'
	OwnerShared   CatalogueOwner = "shared"   // other organisations'
)

// CatalogueEntry is one item as the catalogue lists it.
type CatalogueEntry struct {
	ItemID    int64
	VersionID int64
	Version   int
	Title     string
	Summary   string
	Format    upskill.ContentFormat
	Minutes   int
	OwnerName string
	National  bool
	Domains   []string // codes of the domains it is mapped to
}

// CataloguePage is one page of results and how many there are in all.
type CataloguePage struct {
	Entries []CatalogueEntry
	Total   int
}

// searchTerms turns what someone typed into a full-text query that cannot
// be misread as query syntax: each word must appear, as a prefix on
// SQLite, stemmed on PostgreSQL. It returns "" when nothing searchable is
// left.
func (s *Store) searchTerms(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 12 {
		words = words[:12]
	}
	if len(words) == 0 {
		return ""
	}
	if s.engine == Postgres {
		for i, w := range words {
			words[i] = w + ":*"
		}
		return strings.Join(words, " & ")
	}
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// Catalogue searches the published learning that the staff of q.OrgIDs
// may find: the national team's and everyone's shared learning, their own
// organisations', and what other organisations share with them by name.
func (s *Store) Catalogue(ctx context.Context, q CatalogueQuery) (*CataloguePage, error) {
	if len(q.OrgIDs) == 0 {
		q.OrgIDs = []int64{0} // someone of no organisation finds only everyone's learning
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 20
	}
	if q.Page < 1 {
		q.Page = 1
	}
	var where []string
	var args []any
	orgs := func() {
		for _, id := range q.OrgIDs {
			args = append(args, id)
		}
	}
	from := `content_versions v`
	score, order := `0`, `lower(title), id`
	terms := s.searchTerms(q.Text)
	if terms != "" {
		if s.engine == Postgres {
			// words holds every word of the version without positions, small
			// enough to stay in the row; head, the title and summary weighted,
			// ranks.
			where = append(where, `v.words @@ to_tsquery('english', ?)`)
			args = append(args, terms)
			score, order = `ts_rank(v.head, to_tsquery('english', ?))`, `score DESC, id`
		} else {
			// The rank is taken as the rows leave the index: SQLite's
			// full-text functions cannot be called from a query that also
			// counts over a window.
			from = `(SELECT rowid, bm25(content_search, 10.0, 4.0, 1.0) AS score FROM content_search WHERE content_search MATCH ?) f
				JOIN content_versions v ON v.id = f.rowid`
			args = append(args, terms)
			score, order = `f.score`, `score, id`
		}
	}
	where = append(where, `v.status = 'published'`, visibleTo(len(q.OrgIDs)))
	orgs()
	orgs()
	if q.Format != "" {
		where = append(where, `v.format = ?`)
		args = append(args, q.Format)
	}
	if q.MaxMinutes > 0 {
		where = append(where, `v.minutes <= ?`)
		args = append(args, q.MaxMinutes)
	}
	if q.FrameworkID != 0 && (q.Domain != "" || q.Level != 0) {
		cond := `m.framework_id = ?`
		args = append(args, q.FrameworkID)
		if q.Domain != "" {
			cond += ` AND m.domain_code = ?`
			args = append(args, q.Domain)
		}
		if q.Level != 0 {
			cond += ` AND m.level = ?`
			args = append(args, q.Level)
		}
		where = append(where, `EXISTS (SELECT 1 FROM content_mappings m WHERE m.version_id = v.id AND `+cond+`)`)
	}
	switch q.Owner {
	case OwnerNational:
		where = append(where, `o.level = 'nation'`)
	case OwnerOurs:
		where = append(where, `i.owner_id IN (`+placeholders(len(q.OrgIDs))+`)`)
		orgs()
	case OwnerShared:
		where = append(where, `o.level <> 'nation' AND i.owner_id NOT IN (`+placeholders(len(q.OrgIDs))+`)`)
		orgs()
	}
	body := ` FROM ` + from + ` JOIN content_items i ON i.id = v.item_id JOIN organisations o ON o.id = i.owner_id
		WHERE ` + strings.Join(where, ` AND `)
	listArgs := args
	if terms != "" && s.engine == Postgres {
		listArgs = append([]any{terms}, args...) // the rank's, which comes first
	}

	// One pass finds the matches, ranks them and counts them: the count
	// rides along on each row of the page.
	page := &CataloguePage{}
	rows, err := s.query(ctx, `SELECT item_id, id, number, title, summary, format, minutes, name, level, total FROM (
		SELECT v.item_id, v.id, v.number, v.title, v.summary, v.format, v.minutes, o.name, o.level, `+score+` AS score,
			count(*) OVER () AS total`+body+`) r
		ORDER BY `+order+` LIMIT ? OFFSET ?`, append(listArgs, q.PerPage, (q.Page-1)*q.PerPage)...)
	if err != nil {
		return nil, s.fault(err)
	}
	index := map[int64]int{}
	var ids []any
	for rows.Next() {
		var e CatalogueEntry
		var level string
		if err := rows.Scan(&e.ItemID, &e.VersionID, &e.Version, &e.Title, &e.Summary, &e.Format, &e.Minutes, &e.OwnerName, &level, &page.Total); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		e.National = level == string(upskill.LevelNation)
		index[e.VersionID] = len(page.Entries)
		ids = append(ids, e.VersionID)
		page.Entries = append(page.Entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fault(err)
	}
	if len(ids) == 0 {
		if q.Page > 1 {
			// Past the last page, no row carries the count.
			if err := s.queryRow(ctx, `SELECT count(*)`+body, args...).Scan(&page.Total); err != nil {
				return nil, s.fault(err)
			}
		}
		return page, nil
	}
	rows, err = s.query(ctx, `SELECT DISTINCT version_id, domain_code FROM content_mappings WHERE version_id IN (`+placeholders(len(ids))+`)
		ORDER BY version_id, domain_code`, ids...)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, s.fault(err)
		}
		e := &page.Entries[index[id]]
		e.Domains = append(e.Domains, code)
	}
	return page, s.fault(rows.Err())
}
