package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"upskill"
)

// Media is an image uploaded for a lesson.
type Media struct {
	ID             string
	OrganisationID int64
	ItemID         int64
	ContentType    string
	Name           string
	Width, Height  int
	Body           []byte // empty in lists
	CreatedAt      time.Time
}

// SaveImage checks an image uploaded for one of owner's items and keeps
// it, returning its id. Anything that is not a PNG, JPEG or GIF of
// sensible size is refused and nothing is written.
func (s *Store) SaveImage(ctx context.Context, actorID, ownerID, itemID int64, name string, body []byte) (string, error) {
	contentType, w, h, problem := upskill.ImageProblem(body)
	if problem != "" {
		return "", &upskill.Error{Code: upskill.EINVALID, Message: problem, Fields: []upskill.FieldError{{Field: "image", Message: problem}}}
	}
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || len(name) > 200 {
		name = "image"
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	id := hex.EncodeToString(raw)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ownedItem(ctx, tx, ownerID, itemID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO media (id, organisation_id, item_id, content_type, name, width, height, body, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, ownerID, itemID, contentType, name, w, h, body, nullID(actorID), s.clock()); err != nil {
			return s.fault(err)
		}
		return s.audit(ctx, tx, actorID, ownerID, "upload_image", "content_item", itemID, name)
	})
	return id, err
}

// Image returns an image by its id, for serving. Its id is random and
// appears only in the lessons that use it.
func (s *Store) Image(ctx context.Context, id string) (*Media, error) {
	m := &Media{ID: id}
	err := s.queryRow(ctx, `SELECT organisation_id, item_id, content_type, name, width, height, body, created_at FROM media WHERE id = ?`, id).
		Scan(&m.OrganisationID, &m.ItemID, &m.ContentType, &m.Name, &m.Width, &m.Height, &m.Body, &m.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no such image.")
	}
	return m, s.fault(err)
}

// ItemImages lists the images uploaded for one of owner's items, without
// their bytes.
func (s *Store) ItemImages(ctx context.Context, ownerID, itemID int64) ([]Media, error) {
	rows, err := s.query(ctx, `SELECT id, content_type, name, width, height, created_at FROM media
		WHERE organisation_id = ? AND item_id = ? ORDER BY created_at, id`, ownerID, itemID)
	if err != nil {
		return nil, s.fault(err)
	}
	defer rows.Close()
	var out []Media
	for rows.Next() {
		m := Media{OrganisationID: ownerID, ItemID: itemID}
		if err := rows.Scan(&m.ID, &m.ContentType, &m.Name, &m.Width, &m.Height, &m.CreatedAt); err != nil {
			return nil, s.fault(err)
		}
		out = append(out, m)
	}
	return out, s.fault(rows.Err())
}
