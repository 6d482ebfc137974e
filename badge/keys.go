package badge

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// NewKey makes a new Ed25519 signing key. The service keeps the private key
// secret and publishes the public half (PublicJWK) at the URL it passes to
// Issue, so that badges stay checkable for as long as that URL answers.
func NewKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	return priv, err
}

// KeyID returns the JWK thumbprint of pub (RFC 7638), a short name that is
// the same wherever the key is published. It suits the last part of the key's
// URL and the kid member of the JWK. It returns "" if pub is not an Ed25519
// public key.
func KeyID(pub ed25519.PublicKey) string {
	if len(pub) != ed25519.PublicKeySize {
		return ""
	}
	// RFC 7638 hashes the required members only, in lexical order and with no
	// white space; for an OKP key (RFC 8037) they are crv, kty and x.
	canonical := `{"crv":"Ed25519","kty":"OKP","x":"` + b64(pub) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return b64(sum[:])
}

// jwk is an Ed25519 public key in the form of RFC 8037. It has no "d"
// member: the specification warns never to publish the private part.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

func publicJWK(pub ed25519.PublicKey) (jwk, error) {
	if len(pub) != ed25519.PublicKeySize {
		return jwk{}, fmt.Errorf("badge: an Ed25519 public key is %d bytes, not %d", ed25519.PublicKeySize, len(pub))
	}
	return jwk{Kty: "OKP", Crv: "Ed25519", X: b64(pub), Kid: KeyID(pub), Alg: "EdDSA", Use: "sig"}, nil
}

// PublicJWK returns pub as a JSON Web Key. Serve it at the key URL given to
// Issue: section 8.2 says the kid of a badge is a URL that dereferences to a
// JWK, and that is where a verifier outside the service will look.
func PublicJWK(pub ed25519.PublicKey) ([]byte, error) {
	k, err := publicJWK(pub)
	if err != nil {
		return nil, err
	}
	return json.Marshal(k)
}

// JWKSet returns the keys as a JWK Set (RFC 7517, section 5), for publishing
// every key the service has signed badges with in one place. Keep retired
// keys in it: badges signed with them are still in learners' hands.
func JWKSet(pubs ...ed25519.PublicKey) ([]byte, error) {
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	for _, pub := range pubs {
		k, err := publicJWK(pub)
		if err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, k)
	}
	return json.Marshal(set)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
