package badge

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Revocation by W3C Bitstring Status List v1.0, the method Open Badges 3.0
// now recommends. Every badge names one bit of a published list; the issuer
// sets the bit to revoke it. The list is itself a credential, signed like
// the badges, so a verifier knows the issuer wrote it. A list is large
// enough (the specification's minimum, 131,072 bits) that one badge's bit
// says nothing about who else's is near it.

// StatusListSize is how many badges one list holds, in bits.
const StatusListSize = 131072

const (
	typeStatusEntry      = "BitstringStatusListEntry"
	typeStatusCredential = "BitstringStatusListCredential"
	typeStatusList       = "BitstringStatusList"
	purposeRevocation    = "revocation"
	// multibaseBase64URL prefixes a multibase value in base64url without
	// padding, as encodedList must be written.
	multibaseBase64URL = "u"
)

// StatusEntry is where a badge's revocation bit is: the list's URL and the
// bit's index in it.
type StatusEntry struct {
	ListURL string
	Index   int
}

// statusEntryJSON is a credentialStatus: a BitstringStatusListEntry for
// badges issued now, or the older {id, type} of a 1EdTechRevocationList.
type statusEntryJSON struct {
	ID                   string `json:"id,omitempty"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose,omitempty"`
	StatusListIndex      string `json:"statusListIndex,omitempty"`
	StatusListCredential string `json:"statusListCredential,omitempty"`
}

func (e StatusEntry) json() *statusEntryJSON {
	index := strconv.Itoa(e.Index)
	return &statusEntryJSON{ID: e.ListURL + "#" + index, Type: typeStatusEntry, StatusPurpose: purposeRevocation,
		StatusListIndex: index, StatusListCredential: e.ListURL}
}

// statusCredential is a BitstringStatusListCredential.
type statusCredential struct {
	Context           []any         `json:"@context"`
	ID                string        `json:"id"`
	Type              many[string]  `json:"type"`
	Issuer            profile       `json:"issuer"`
	ValidFrom         string        `json:"validFrom"`
	CredentialSubject statusSubject `json:"credentialSubject"`
}

type statusSubject struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

type statusPayload struct {
	statusCredential
	registered
}

// StatusList signs the revocation list at listURL, with the bits at the
// revoked indexes set, as a BitstringStatusListCredential in the same JSON
// Web Token form as the badges. at is its validFrom.
func StatusList(listURL string, issuer Issuer, revoked []int, at time.Time, key ed25519.PrivateKey, keyURL string) (string, error) {
	if !isURI(listURL) || !isURI(issuer.ID) || !isURI(keyURL) {
		return "", fmt.Errorf("badge: the status list, its issuer and its key must have absolute URLs")
	}
	if len(key) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("badge: the signing key is not an Ed25519 private key")
	}
	encoded, err := EncodeStatusList(revoked)
	if err != nil {
		return "", err
	}
	c := statusCredential{
		Context:   []any{contextVC},
		ID:        listURL,
		Type:      many[string]{typeVC, typeStatusCredential},
		Issuer:    profile{ID: issuer.ID, Type: many[string]{typeProfile}, Name: issuer.Name, URL: issuer.URL},
		ValidFrom: dateTimeZ(at),
		CredentialSubject: statusSubject{ID: listURL + "#list", Type: typeStatusList, StatusPurpose: purposeRevocation,
			EncodedList: encoded},
	}
	now := jwt.NewNumericDate(at.UTC().Truncate(time.Second))
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, statusPayload{statusCredential: c, registered: registered{Iss: issuer.ID, Jti: listURL, Nbf: now, Iat: now}})
	t.Header["kid"] = keyURL
	return t.SignedString(key)
}

// EncodeStatusList writes a list of StatusListSize bits with those at the
// given indexes set, as encodedList must be: GZIP-compressed, then
// base64url without padding, with the multibase prefix "u". The first bit
// is the most significant bit of the first byte.
func EncodeStatusList(set []int) (string, error) {
	bits := make([]byte, StatusListSize/8)
	for _, i := range set {
		if i < 0 || i >= StatusListSize {
			return "", fmt.Errorf("badge: status index %d is outside the list", i)
		}
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bits)
	if err := zw.Close(); err != nil {
		return "", err
	}
	return multibaseBase64URL + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// StatusSet reports whether the bit at index is set in an encodedList. A
// list that cannot be read is an error, never "not revoked".
func StatusSet(encodedList string, index int) (bool, error) {
	raw, ok := strings.CutPrefix(encodedList, multibaseBase64URL)
	if !ok {
		return false, fmt.Errorf("badge: the status list is not multibase base64url")
	}
	compressed, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return false, fmt.Errorf("badge: the status list cannot be decoded: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return false, fmt.Errorf("badge: the status list cannot be decompressed: %w", err)
	}
	// A list is read no further than it can be long: a compressed bomb stops
	// at 16 MiB.
	bits, err := io.ReadAll(io.LimitReader(zr, 16<<20))
	if err != nil {
		return false, fmt.Errorf("badge: the status list cannot be decompressed: %w", err)
	}
	if len(bits)*8 < StatusListSize {
		return false, fmt.Errorf("badge: the status list is shorter than %d bits", StatusListSize)
	}
	if index < 0 || index >= len(bits)*8 {
		return false, fmt.Errorf("badge: status index %d is outside the list", index)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}
