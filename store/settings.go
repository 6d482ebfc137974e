package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
)

// Setting keys kept in the settings table.
const (
	settingSecretKey = "secret_key" // signs form tokens and flash messages; shared by every instance
	settingSetupCode = "setup_code" // unlocks the one-time setup page until an admin exists
)

// setting returns the value stored under key, creating it with a fresh
// random value when there is none. Every instance that asks gets the same
// value, whichever created it.
func (s *Store) setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", s.fault(err)
	}
	b := make([]byte, 32)
	rand.Read(b)
	_, err = s.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, hex.EncodeToString(b))
	if err != nil {
		return "", s.fault(err)
	}
	err = s.w.QueryRowContext(ctx, s.q(`SELECT value FROM settings WHERE key = ?`), key).Scan(&v)
	return v, s.fault(err)
}

// SecretKey returns the key that signs form tokens and flash messages.
func (s *Store) SecretKey(ctx context.Context) ([]byte, error) {
	v, err := s.setting(ctx, settingSecretKey)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// SetupCode returns the code that unlocks the one-time setup page. It is
// printed in the server's log, so that only someone who can read the log
// of the machine can make themselves the first admin.
func (s *Store) SetupCode(ctx context.Context) (string, error) {
	v, err := s.setting(ctx, settingSetupCode)
	if err != nil {
		return "", err
	}
	return v[:12], nil
}
