package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"upskill"
)

// newUUID returns a random (version 4) UUID, the form CASE identifiers take.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Frameworks lists every framework with the number of its published version
// (0 when none is published).
func (s *Store) Frameworks(ctx context.Context) ([]FrameworkSummary, error) {
	rows, err := s.query(ctx, `SELECT f.id, f.key, f.name, f.description,
		coalesce((SELECT v.id FROM framework_versions v WHERE v.framework_id = f.id AND v.status = 'published'), 0),
		coalesce((SELECT v.number FROM framework_versions v WHERE v.framework_id = f.id AND v.status = 'published'), 0),
		(SELECT count(*) FROM framework_versions v WHERE v.framework_id = f.id)
		FROM frameworks f ORDER BY f.name, f.id`)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []FrameworkSummary
	for rows.Next() {
		var f FrameworkSummary
		if err := rows.Scan(&f.ID, &f.Key, &f.Name, &f.Description, &f.PublishedID, &f.PublishedNumber, &f.Versions); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, f)
	}
	return out, s.fault(rows.Err())
}

// FrameworkSummary is a framework as a list shows it.
type FrameworkSummary struct {
	upskill.Framework
	PublishedID     int64
	PublishedNumber int
	Versions        int
}

// FrameworkByKey returns a framework by its key.
func (s *Store) FrameworkByKey(ctx context.Context, key string) (*upskill.Framework, error) {
	var f upskill.Framework
	err := s.queryRow(ctx, `SELECT id, key, name, description FROM frameworks WHERE key = ?`, key).Scan(&f.ID, &f.Key, &f.Name, &f.Description)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no framework called %s.", key)
	}
	return &f, s.fault(err)
}

// ImportVersion stores a new version of a framework, creating the
// framework when its key is new. With publish set, the version is
// published at once and the version published before it is retired;
// otherwise it is a draft. Identifiers missing from v are made up.
func (s *Store) ImportVersion(ctx context.Context, actorID int64, fw upskill.Framework, v *upskill.FrameworkVersion, publish bool) (int64, error) {
	var p upskill.Problems
	if msg := upskill.ValidateFrameworkKey(fw.Key); msg != "" {
		p.Add("framework.key", msg)
	}
	if strings.TrimSpace(fw.Name) == "" {
		p.Add("framework.name", "Enter the name of the framework")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	if err := v.Validate(); err != nil {
		return 0, err
	}
	var versionID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		var fwID int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM frameworks WHERE key = ?`), fw.Key).Scan(&fwID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, s.q(`INSERT INTO frameworks (key, name, description, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
				fw.Key, strings.TrimSpace(fw.Name), fw.Description, now).Scan(&fwID)
			if err != nil {
				return s.fault(err)
			}
		case err != nil:
			return s.fault(err)
		default:
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE frameworks SET name = ?, description = ? WHERE id = ?`),
				strings.TrimSpace(fw.Name), fw.Description, fwID); err != nil {
				return s.fault(err)
			}
		}
		var number int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT coalesce(max(number), 0) + 1 FROM framework_versions WHERE framework_id = ?`), fwID).Scan(&number); err != nil {
			return s.fault(err)
		}
		status, published := upskill.VersionDraft, any(nil)
		if publish {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE framework_versions SET status = 'retired', retired_at = ? WHERE framework_id = ? AND status = 'published'`),
				now, fwID); err != nil {
				return s.fault(err)
			}
			status, published = upskill.VersionPublished, now
		}
		levels, _ := json.Marshal(v.Levels)
		bands, _ := json.Marshal(v.Bands)
		ident := v.Identifier
		if ident == "" {
			ident = newUUID()
		}
		err = tx.QueryRowContext(ctx, s.q(`INSERT INTO framework_versions
			(framework_id, number, status, title, description, identifier, levels, bands, created_at, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			fwID, number, status, v.Title, v.Description, ident, string(levels), string(bands), now, published).Scan(&versionID)
		if err != nil {
			return s.fault(err)
		}
		if err := s.insertVersionContent(ctx, tx, versionID, v); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s version %d (%s)", fw.Key, number, status)
		return s.audit(ctx, tx, actorID, s.nationID(ctx, tx), "import_framework", "framework_version", versionID, detail)
	})
	return versionID, err
}

// nationID is the id of the nation, or 0 before setup.
func (s *Store) nationID(ctx context.Context, tx *sql.Tx) int64 {
	var id int64
	tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE level = 'nation'`).Scan(&id)
	return id
}

func (s *Store) insertVersionContent(ctx context.Context, tx *sql.Tx, versionID int64, v *upskill.FrameworkVersion) error {
	domainIDs := map[string]int64{}
	capIDs := map[string]int64{}
	insDomain, err := tx.PrepareContext(ctx, s.q(`INSERT INTO domains (version_id, position, code, name, description, identifier)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return s.fault(err)
	}
	defer insDomain.Close()
	insCap, err := tx.PrepareContext(ctx, s.q(`INSERT INTO capabilities
		(version_id, domain_id, position, code, statement, guidance, question_type, descriptors, identifier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return s.fault(err)
	}
	defer insCap.Close()
	for i, d := range v.Domains {
		var id int64
		if err := insDomain.QueryRowContext(ctx, versionID, i+1, d.Code, d.Name, d.Description, orUUID(d.Identifier)).Scan(&id); err != nil {
			return s.fault(err)
		}
		domainIDs[d.Code] = id
		for j, c := range d.Capabilities {
			descriptors := c.Descriptors
			if descriptors == nil {
				descriptors = []string{}
			}
			desc, _ := json.Marshal(descriptors)
			var cid int64
			if err := insCap.QueryRowContext(ctx, versionID, id, j+1, c.Code, c.Statement, c.Guidance, c.Type, string(desc), orUUID(c.Identifier)).Scan(&cid); err != nil {
				return s.fault(err)
			}
			capIDs[c.Code] = cid
		}
	}
	insQ, err := tx.PrepareContext(ctx, s.q(`INSERT INTO check_questions
		(version_id, domain_id, capability_id, position, code, kind, prompt, explanation, identifier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return s.fault(err)
	}
	defer insQ.Close()
	insOpt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO check_options (question_id, position, text, correct) VALUES (?, ?, ?, ?)`))
	if err != nil {
		return s.fault(err)
	}
	defer insOpt.Close()
	for i, q := range v.Questions {
		var qid int64
		if err := insQ.QueryRowContext(ctx, versionID, domainIDs[q.DomainCode], nullID(capIDs[q.CapabilityCode]), i+1, q.Code, q.Kind,
			q.Prompt, q.Explanation, newUUID()).Scan(&qid); err != nil {
			return s.fault(err)
		}
		for j, o := range q.Options {
			if _, err := insOpt.ExecContext(ctx, qid, j+1, o.Text, o.Correct); err != nil {
				return s.fault(err)
			}
		}
	}
	return nil
}

func orUUID(s string) string {
	if s == "" {
		return newUUID()
	}
	return s
}

// EnsureFramework stores a framework's version, published, unless a
// framework with that key exists already. It reports whether it stored it.
func (s *Store) EnsureFramework(ctx context.Context, fw upskill.Framework, v *upskill.FrameworkVersion) (bool, error) {
	_, err := s.FrameworkByKey(ctx, fw.Key)
	if err == nil {
		return false, nil
	}
	if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return false, err
	}
	if _, err := s.ImportVersion(ctx, 0, fw, v, true); err != nil {
		if upskill.ErrorCode(err) == upskill.ECONFLICT {
			return false, nil // another instance stored it at the same moment
		}
		return false, err
	}
	return true, nil
}

// PublishedVersion returns the framework with the key and its published
// version.
func (s *Store) PublishedVersion(ctx context.Context, key string) (*upskill.Framework, *upskill.FrameworkVersion, error) {
	var fw upskill.Framework
	var versionID int64
	err := s.queryRow(ctx, `SELECT f.id, f.key, f.name, f.description, v.id FROM frameworks f
		JOIN framework_versions v ON v.framework_id = f.id AND v.status = 'published' WHERE f.key = ?`, key).
		Scan(&fw.ID, &fw.Key, &fw.Name, &fw.Description, &versionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, upskill.Errorf(upskill.ENOTFOUND, "The %s framework has no published version.", key)
	}
	if err != nil {
		return nil, nil, s.fault(err)
	}
	v, err := s.Version(ctx, versionID)
	return &fw, v, err
}

// Version returns a framework version with all its content. Versions that
// are no longer drafts never change, so they are kept in memory once read;
// their status is read afresh each time.
func (s *Store) Version(ctx context.Context, id int64) (*upskill.FrameworkVersion, error) {
	var status string
	err := s.queryRow(ctx, `SELECT status FROM framework_versions WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no such framework version.")
	}
	if err != nil {
		return nil, s.fault(err)
	}
	if cached, ok := s.versions.Load(id); ok && status != string(upskill.VersionDraft) {
		v := *cached.(*upskill.FrameworkVersion)
		v.Status = upskill.VersionStatus(status)
		return &v, nil
	}
	v, err := s.loadVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.Status != upskill.VersionDraft {
		s.versions.Store(id, v)
	}
	return v, nil
}

// content returns a version that is not a draft, for scoring and checking
// answers, from memory when it has been read before. Its status may be out
// of date, which is why only content is asked of it: an attempt's version
// is published when the attempt starts, and a version's content never
// changes once it is.
func (s *Store) content(ctx context.Context, id int64) (*upskill.FrameworkVersion, error) {
	if cached, ok := s.versions.Load(id); ok {
		return cached.(*upskill.FrameworkVersion), nil
	}
	return s.Version(ctx, id)
}

func (s *Store) loadVersion(ctx context.Context, id int64) (*upskill.FrameworkVersion, error) {
	v := &upskill.FrameworkVersion{ID: id}
	var levels, bands string
	var published sql.NullTime
	err := s.queryRow(ctx, `SELECT framework_id, number, status, title, description, identifier, levels, bands, created_at, published_at
		FROM framework_versions WHERE id = ?`, id).
		Scan(&v.FrameworkID, &v.Number, &v.Status, &v.Title, &v.Description, &v.Identifier, &levels, &bands, &v.CreatedAt, &published)
	if err != nil {
		return nil, s.fault(err)
	}
	v.PublishedAt = published.Time
	if err := json.Unmarshal([]byte(levels), &v.Levels); err != nil {
		return nil, fmt.Errorf("store: levels of version %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(bands), &v.Bands); err != nil {
		return nil, fmt.Errorf("store: bands of version %d: %w", id, err)
	}
	rows, err := s.query(ctx, `SELECT id, code, name, description, identifier FROM domains WHERE version_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, s.fault(err)
	}
	domainIndex := map[int64]int{}
	for rows.Next() {
		var d upskill.Domain
		if err := rows.Scan(&d.ID, &d.Code, &d.Name, &d.Description, &d.Identifier); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		domainIndex[d.ID] = len(v.Domains)
		v.Domains = append(v.Domains, d)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT id, domain_id, code, statement, guidance, question_type, descriptors, identifier
		FROM capabilities WHERE version_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, s.fault(err)
	}
	for rows.Next() {
		var c upskill.Capability
		var domainID int64
		var desc string
		if err := rows.Scan(&c.ID, &domainID, &c.Code, &c.Statement, &c.Guidance, &c.Type, &desc, &c.Identifier); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		if err := json.Unmarshal([]byte(desc), &c.Descriptors); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: descriptors of capability %d: %w", c.ID, err)
		}
		d := &v.Domains[domainIndex[domainID]]
		d.Capabilities = append(d.Capabilities, c)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT q.id, q.code, d.code, coalesce(c.code, ''), q.kind, q.prompt, q.explanation
		FROM check_questions q JOIN domains d ON d.id = q.domain_id LEFT JOIN capabilities c ON c.id = q.capability_id
		WHERE q.version_id = ? ORDER BY q.position`, id)
	if err != nil {
		return nil, s.fault(err)
	}
	questionIndex := map[int64]int{}
	for rows.Next() {
		var q upskill.CheckQuestion
		if err := rows.Scan(&q.ID, &q.Code, &q.DomainCode, &q.CapabilityCode, &q.Kind, &q.Prompt, &q.Explanation); err != nil {
			rows.Close()
			return nil, s.fault(err)
		}
		questionIndex[q.ID] = len(v.Questions)
		v.Questions = append(v.Questions, q)
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT o.id, o.question_id, o.text, o.correct FROM check_options o
		JOIN check_questions q ON q.id = o.question_id WHERE q.version_id = ? ORDER BY o.question_id, o.position`, id)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	for rows.Next() {
		var o upskill.CheckOption
		var qid int64
		if err := rows.Scan(&o.ID, &qid, &o.Text, &o.Correct); err != nil {
			return nil, s.fault(err)
		}
		q := &v.Questions[questionIndex[qid]]
		q.Options = append(q.Options, o)
	}
	return v, s.fault(rows.Err())
}

// Framework returns a framework by id.
func (s *Store) Framework(ctx context.Context, id int64) (*upskill.Framework, error) {
	var f upskill.Framework
	err := s.queryRow(ctx, `SELECT id, key, name, description FROM frameworks WHERE id = ?`, id).Scan(&f.ID, &f.Key, &f.Name, &f.Description)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no such framework.")
	}
	return &f, s.fault(err)
}

// Upload is a framework file kept between its preview and its import.
type Upload struct {
	ID          int64
	FileName    string
	ContentType string
	Body        []byte
}

// SaveUpload keeps an uploaded framework file for its uploader, and clears
// out uploads more than a day old.
func (s *Store) SaveUpload(ctx context.Context, personID int64, u Upload) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM framework_uploads WHERE created_at < ?`), now.Add(-24*time.Hour)); err != nil {
			return s.fault(err)
		}
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO framework_uploads (person_id, file_name, content_type, body, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), personID, u.FileName, u.ContentType, u.Body, now).Scan(&id)
		return s.fault(err)
	})
	return id, err
}

// UploadOf returns one of the person's uploads.
func (s *Store) UploadOf(ctx context.Context, personID, id int64) (*Upload, error) {
	u := Upload{ID: id}
	err := s.queryRow(ctx, `SELECT file_name, content_type, body FROM framework_uploads WHERE id = ? AND person_id = ?`, id, personID).
		Scan(&u.FileName, &u.ContentType, &u.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "That upload has gone: uploads are kept for a day. Upload the file again.")
	}
	return &u, s.fault(err)
}

// DeleteUpload removes one of the person's uploads once it is used.
func (s *Store) DeleteUpload(ctx context.Context, personID, id int64) error {
	_, err := s.exec(ctx, `DELETE FROM framework_uploads WHERE id = ? AND person_id = ?`, id, personID)
	return s.fault(err)
}

// Versions lists every version of a framework, newest first.
func (s *Store) Versions(ctx context.Context, frameworkID int64) ([]upskill.FrameworkVersion, error) {
	rows, err := s.query(ctx, `SELECT id, number, status, title, created_at, published_at FROM framework_versions
		WHERE framework_id = ? ORDER BY number DESC`, frameworkID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []upskill.FrameworkVersion
	for rows.Next() {
		v := upskill.FrameworkVersion{FrameworkID: frameworkID}
		var published sql.NullTime
		if err := rows.Scan(&v.ID, &v.Number, &v.Status, &v.Title, &v.CreatedAt, &published); err != nil {
			return nil, s.fault(err)
		}
		v.PublishedAt = published.Time
		out = append(out, v)
	}
	return out, s.fault(rows.Err())
}

// PublishVersion publishes a draft version of a framework and retires the
// version published before it.
func (s *Store) PublishVersion(ctx context.Context, actorID, versionID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var fwID int64
		var status string
		err := tx.QueryRowContext(ctx, s.q(`SELECT framework_id, status FROM framework_versions WHERE id = ?`), versionID).Scan(&fwID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return upskill.Errorf(upskill.ENOTFOUND, "There is no such framework version.")
		}
		if err != nil {
			return s.fault(err)
		}
		if status != string(upskill.VersionDraft) {
			return upskill.Errorf(upskill.ECONFLICT, "Only a draft can be published, and this version is %s.", status)
		}
		now := s.clock()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE framework_versions SET status = 'retired', retired_at = ? WHERE framework_id = ? AND status = 'published'`), now, fwID); err != nil {
			return s.fault(err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE framework_versions SET status = 'published', published_at = ? WHERE id = ?`), now, versionID); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, s.nationID(ctx, tx), "publish_framework", "framework_version", versionID, "")
	})
}

// VersionByNumber returns a framework and one of its versions, of any
// status, with all its content.
func (s *Store) VersionByNumber(ctx context.Context, key string, number int) (*upskill.Framework, *upskill.FrameworkVersion, error) {
	var fw upskill.Framework
	var versionID int64
	err := s.queryRow(ctx, `SELECT f.id, f.key, f.name, f.description, v.id FROM frameworks f
		JOIN framework_versions v ON v.framework_id = f.id AND v.number = ? WHERE f.key = ?`, number, key).
		Scan(&fw.ID, &fw.Key, &fw.Name, &fw.Description, &versionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, upskill.Errorf(upskill.ENOTFOUND, "There is no version %d of the %s framework.", number, key)
	}
	if err != nil {
		return nil, nil, s.fault(err)
	}
	v, err := s.Version(ctx, versionID)
	return &fw, v, err
}
