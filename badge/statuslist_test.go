package badge

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestStatusList signs a list with two badges revoked and reads it back as
// a verifier would: the signature, the credential's shape, and the bits.
func TestStatusList(t *testing.T) {
	priv := testKey(1)
	issuer := Issuer{ID: "https://upskill.example/badge-issuer", Name: "upskill"}
	listURL := "https://upskill.example/badge-status/1"
	at := time.Date(2026, 11, 3, 10, 4, 5, 0, time.UTC)
	token, err := StatusList(listURL, issuer, []int{0, 94567, StatusListSize - 1}, at, priv, testKeyURL)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JSON Web Token: %q", token)
	}
	var header map[string]any
	decodeJSON(t, parts[0], &header)
	if header["alg"] != "EdDSA" || header["kid"] != testKeyURL {
		t.Errorf("header = %v", header)
	}
	if !signatureHolds(t, token, priv) {
		t.Error("the signature does not hold")
	}
	var c map[string]any
	decodeJSON(t, parts[1], &c)
	types := c["type"].([]any)
	if len(types) != 2 || types[0] != "VerifiableCredential" || types[1] != "BitstringStatusListCredential" ||
		c["id"] != listURL || c["iss"] != issuer.ID || c["validFrom"] != "2026-11-03T10:04:05Z" {
		t.Errorf("credential = %v", c)
	}
	subject := c["credentialSubject"].(map[string]any)
	if subject["type"] != "BitstringStatusList" || subject["statusPurpose"] != "revocation" || subject["id"] != listURL+"#list" {
		t.Errorf("credentialSubject = %v", subject)
	}
	encoded := subject["encodedList"].(string)
	for index, want := range map[int]bool{0: true, 1: false, 94566: false, 94567: true, 94568: false, StatusListSize - 1: true} {
		got, err := StatusSet(encoded, index)
		if err != nil || got != want {
			t.Errorf("bit %d: %v %v, want %v", index, got, err, want)
		}
	}

	// The bits by hand: multibase "u", base64url without padding, GZIP, 16
	// KiB, the first index the most significant bit of the first byte.
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil || encoded[0] != 'u' {
		t.Fatalf("encodedList %q: %v", encoded[:10], err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var bits bytes.Buffer
	bits.ReadFrom(zr)
	b := bits.Bytes()
	if len(b) != 16384 || b[0] != 0x80 || b[94567/8] != 0x80>>(94567%8) || b[len(b)-1] != 0x01 {
		t.Errorf("bitstring: %d bytes, first %#x, last %#x", len(b), b[0], b[len(b)-1])
	}
}

func TestStatusListRefuses(t *testing.T) {
	priv := testKey(1)
	issuer := Issuer{ID: "https://upskill.example/badge-issuer", Name: "upskill"}
	if _, err := StatusList("https://upskill.example/badge-status/1", issuer, []int{StatusListSize}, time.Now(), priv, testKeyURL); err == nil {
		t.Error("an index past the end was accepted")
	}
	if _, err := StatusList("badge-status/1", issuer, nil, time.Now(), priv, testKeyURL); err == nil {
		t.Error("a relative list URL was accepted")
	}
	for _, bad := range []string{"", "zzz", "u!!", "u" + base64.RawURLEncoding.EncodeToString([]byte("not gzip"))} {
		if _, err := StatusSet(bad, 1); err == nil {
			t.Errorf("StatusSet(%q) read it", bad)
		}
	}
	short := func() string {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(make([]byte, 100))
		zw.Close()
		return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
	}()
	if _, err := StatusSet(short, 1); err == nil {
		t.Error("a list shorter than the minimum was read")
	}
}

func decodeJSON(t *testing.T, segment string, v any) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

// signatureHolds checks a token's Ed25519 signature over its first two parts.
func signatureHolds(t *testing.T, token string, priv ed25519.PrivateKey) bool {
	t.Helper()
	p := strings.Split(token, ".")
	sig, err := base64.RawURLEncoding.DecodeString(p[2])
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.Verify(priv.Public().(ed25519.PublicKey), []byte(p[0]+"."+p[1]), sig)
}
