package badge

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"upskill"
)

// FuzzVerify feeds Verify whatever an employer might paste. It must never
// panic, must answer every bad badge with a sentence for the employer, and
// must accept nothing that does not carry a good Ed25519 signature by the
// service's key over exactly the header and payload it read.
func FuzzVerify(f *testing.F) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	a := testAward()
	a.Expires = issued.AddDate(1, 0, 0)
	token, _, err := Issue(a, priv, testKeyURL)
	if err != nil {
		f.Fatal(err)
	}
	parts := strings.Split(token, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	f.Add(token)
	f.Add(parts[0] + "." + parts[1] + ".")
	f.Add(b64([]byte(`{"alg":"none","kid":"`+testKeyURL+`"}`)) + "." + parts[1] + ".")
	f.Add(b64([]byte(`{"alg":"HS256","kid":"`+testKeyURL+`"}`)) + "." + parts[1] + "." + parts[2])
	f.Add(parts[0] + "." + b64([]byte(`{"iss":"x"}`)) + "." + parts[2])
	f.Add("")
	f.Add("..")
	f.Add("e30.e30.e30")

	now := issued.Add(time.Hour)
	f.Fuzz(func(t *testing.T, token string) {
		v, err := Verify(token, keysFor(priv), now)
		if err != nil {
			if v != nil {
				t.Fatal("a refused badge came back with contents")
			}
			if upskill.ErrorCode(err) != upskill.EINVALID || upskill.ErrorMessage(err) == "" {
				t.Fatalf("refusal without a message for the employer: %v", err)
			}
			return
		}
		p := strings.Split(strings.TrimSpace(token), ".")
		if len(p) != 3 {
			t.Fatalf("accepted a token of %d parts", len(p))
		}
		sig, err := base64.RawURLEncoding.Strict().DecodeString(p[2])
		if err != nil || !ed25519.Verify(pub, []byte(p[0]+"."+p[1]), sig) {
			t.Fatalf("accepted a token that our key did not sign: %q", token)
		}
		if v == nil || v.ID == "" || v.Issuer.ID == "" {
			t.Fatalf("accepted a badge with no contents: %+v", v)
		}
	})
}

// FuzzRevoked feeds Revoked whatever a status URL might serve.
func FuzzRevoked(f *testing.F) {
	list, err := RevocationList(listURL, issuerID, []RevokedCredential{{ID: first, Reason: "error"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(list, first)
	f.Add([]byte(`{"revokedCredential":[{"id":"a","revoked":false}]}`), "a")
	f.Add([]byte(`null`), "")
	f.Fuzz(func(t *testing.T, list []byte, id string) {
		revoked, reason, err := Revoked(list, id)
		if err != nil && (revoked || reason != "") {
			t.Fatal("an error came with an answer")
		}
		if revoked && id == "" {
			t.Fatal("a credential with no ID was found revoked")
		}
	})
}
