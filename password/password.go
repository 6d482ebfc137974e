// Package password hashes and checks passwords with argon2id, storing them
// in the PHC string format so that the parameters travel with each hash
// and can be raised later without breaking old ones.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost settings.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// Default follows the OWASP recommendation for argon2id (19 MiB, two passes,
// one thread), which takes a few tens of milliseconds on a server core.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// TestParams are cheap settings for tests, which hash thousands of
// passwords. Never use them to store a real password.
var TestParams = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Hasher hashes and checks passwords, limiting how many run at once so that
// a burst of sign-ins cannot exhaust memory.
type Hasher struct {
	params Params
	slots  chan struct{}
	dummy  string
}

// New returns a Hasher using params.
func New(params Params) *Hasher {
	h := &Hasher{params: params, slots: make(chan struct{}, max(2, runtime.NumCPU()))}
	h.dummy, _ = h.hash("not a real password")
	return h
}

// Hash returns the PHC string of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return h.hash(password)
}

func (h *Hasher) hash(password string) (string, error) {
	p := h.params
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// ErrMalformed is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("password: malformed hash")

// Check reports whether password matches the stored hash. An empty stored
// hash (no password set) never matches, but takes as long as a real check,
// so that timing does not tell whether an account exists.
func (h *Hasher) Check(ctx context.Context, password, stored string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if stored == "" {
		check(password, h.dummy)
		return false, nil
	}
	return check(password, stored)
}

// NeedsRehash reports whether a stored hash was made with weaker settings
// than the hasher's own.
func (h *Hasher) NeedsRehash(stored string) bool {
	p, _, _, err := decode(stored)
	return err != nil || p.Memory < h.params.Memory || p.Time < h.params.Time || p.KeyLen < h.params.KeyLen
}

func check(password, stored string) (bool, error) {
	p, salt, key, err := decode(stored)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func decode(stored string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(stored, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, ErrMalformed
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrMalformed
	}
	// Refuse parameters that would let a tampered hash exhaust the machine.
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 20 || p.Threads == 0 {
		return p, nil, nil, ErrMalformed
	}
	p.KeyLen, p.SaltLen = uint32(len(key)), uint32(len(salt))
	return p, salt, key, nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }
