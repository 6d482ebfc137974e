package badge

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// The Ed25519 key of RFC 8037, appendix A, with its JWK and RFC 7638
// thumbprint as given there.
const (
	rfcSeed       = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	rfcX          = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	rfcThumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
)

func rfcKey(t *testing.T) ed25519.PrivateKey {
	seed, err := hex.DecodeString(rfcSeed)
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.NewKeyFromSeed(seed)
}

func TestKeyIDIsTheRFC7638Thumbprint(t *testing.T) {
	pub := rfcKey(t).Public().(ed25519.PublicKey)
	if got := KeyID(pub); got != rfcThumbprint {
		t.Errorf("KeyID = %s, want %s", got, rfcThumbprint)
	}
	if KeyID(pub[:31]) != "" {
		t.Error("KeyID of a short key is not empty")
	}
}

func TestPublicJWK(t *testing.T) {
	pub := rfcKey(t).Public().(ed25519.PublicKey)
	b, err := PublicJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	var k map[string]string
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"kty": "OKP", "crv": "Ed25519", "x": rfcX, "kid": rfcThumbprint, "alg": "EdDSA", "use": "sig"}
	if len(k) != len(want) {
		t.Errorf("JWK = %v", k)
	}
	for name, v := range want {
		if k[name] != v {
			t.Errorf("%s = %q, want %q", name, k[name], v)
		}
	}
	if _, err := PublicJWK(pub[:10]); err == nil {
		t.Error("a ten-byte key made a JWK")
	}
}

func TestJWKSet(t *testing.T) {
	old, cur := testKey(1).Public().(ed25519.PublicKey), testKey(2).Public().(ed25519.PublicKey)
	b, err := JWKSet(old, cur)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0]["kid"] != KeyID(old) || set.Keys[1]["kid"] != KeyID(cur) {
		t.Errorf("set = %s", b)
	}
	if strings.Contains(string(b), `"d"`) {
		t.Error("the set holds private key material")
	}
	empty, _ := JWKSet()
	if string(empty) != `{"keys":[]}` {
		t.Errorf("empty set = %s", empty)
	}
}

// The jwt package's EdDSA matches the worked example in RFC 8037, A.4, so the
// signatures we make are the standard's and not merely the library's own.
func TestEdDSAMatchesRFC8037(t *testing.T) {
	const (
		input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
		sig   = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
	)
	got, err := jwt.SigningMethodEdDSA.Sign(input, rfcKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if b64(got) != sig {
		t.Errorf("signature = %s, want %s", b64(got), sig)
	}
}

func TestNewKeyAndSalt(t *testing.T) {
	k1, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := NewKey()
	if len(k1) != ed25519.PrivateKeySize || k1.Equal(k2) {
		t.Error("NewKey does not make fresh Ed25519 keys")
	}
	s1, err := NewSalt()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := NewSalt()
	if len(s1) != 32 || s1 == s2 {
		t.Errorf("salts %q and %q", s1, s2)
	}
}
