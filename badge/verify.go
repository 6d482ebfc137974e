package badge

import (
	"bytes"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"upskill"
)

// ErrUnknownKey is what a keyFor function given to Verify returns (or wraps)
// when the kid is not a key it knows. Verify then tells the employer the badge
// was not signed by its issuer. Any other error from keyFor is taken as a
// fault on our side, such as the database being down, and is passed back
// as it is rather than blamed on the badge.
var ErrUnknownKey = errors.New("badge: unknown signing key")

// Verified is a badge whose signature, dates and contents have been checked.
// It does not say whether the issuer has since revoked it: fetch the list at
// StatusURL and ask StatusSet of its encodedList at StatusIndex, or, for a
// badge of the older method, Revoked.
type Verified struct {
	ID          string // the credential's URL, also the token's jti
	Name        string
	Issuer      Issuer
	Achievement Achievement
	// Recipient holds the identifiers of the learner as the badge gives them,
	// usually one salted hash of an email address. RecipientMatches checks an
	// address against them.
	Recipient   []Identity
	IssuedAt    time.Time // validFrom
	Expires     time.Time // validUntil; the zero time if the badge does not expire
	StatusURL   string    // the status list's URL; "" if the badge has none
	StatusType  string    // the status method, normally BitstringStatusListEntry
	StatusIndex int       // the badge's bit in a Bitstring Status List
	KeyID       string    // the kid that signed it
	Payload     []byte    // the signed JWT payload, the credential as issued
}

// Identity is one IdentityObject (B.1.12): how the badge names its recipient.
type Identity struct {
	Type   string // the identityType, such as emailAddress
	Hash   string // the identityHash, "sha256$" and hex when Hashed
	Hashed bool
	Salt   string
}

// The sentences an employer may see. They never repeat text from the badge
// itself, because until the signature is checked that text is anyone's.
const (
	msgUnreadable   = "This is not a badge we can read. Check that the whole badge was copied and nothing was added."
	msgMethod       = "This badge was not signed in a way we accept, so it cannot be trusted."
	msgNoKey        = "This badge does not say which key signed it, so it cannot be checked."
	msgUnknownKey   = "This badge was not signed by a key its issuer has published, so it cannot be trusted."
	msgBadSignature = "This badge was not signed by the organisation it names as its issuer, or it has been changed since it was issued."
	msgIncomplete   = "This badge is not a complete Open Badge: %s."
	msgNotYet       = "This badge is not valid until %s."
	msgExpired      = "This badge expired on %s."
)

// maxTokenBytes bounds the work done on input pasted into a public page. Our
// own badges are a few kilobytes; the headroom is for a data URI image.
const maxTokenBytes = 256 << 10

// Verify checks a badge token as section 8.2 of the specification says a
// verifier must: the JOSE header, the Ed25519 signature with the key that
// keyFor returns for the header's kid, the agreement of the JWT claims with
// the credential, the shape of the credential, and that now lies between
// validFrom and validUntil. Only EdDSA is accepted: "none", the HMAC methods
// and any other algorithm are refused, so a key can never be confused with a
// shared secret.
//
// A badge that fails gives an EINVALID *upskill.Error whose message is a
// plain sentence fit to show an employer. An error from keyFor that is not
// ErrUnknownKey is returned wrapped, as an internal fault.
func Verify(token string, keyFor func(kid string) (ed25519.PublicKey, error), now time.Time) (*Verified, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenBytes {
		return nil, refuse(msgUnreadable)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, refuse(msgUnreadable)
	}
	headerJSON, err1 := decodeSegment(parts[0])
	payloadJSON, err2 := decodeSegment(parts[1])
	if err1 != nil || err2 != nil {
		return nil, refuse(msgUnreadable)
	}
	var header map[string]any
	if err := json.Unmarshal(headerJSON, &header); err != nil || header == nil {
		return nil, refuse(msgUnreadable)
	}
	if !json.Valid(payloadJSON) || !bytes.HasPrefix(bytes.TrimSpace(payloadJSON), []byte("{")) {
		return nil, refuse(msgUnreadable)
	}

	// The header, before any key is looked up. Section 8.2 allows no JOSE
	// headers but alg, kid, jwk and typ; we refuse jwk too, because a key that
	// travels inside the badge proves nothing about who made it.
	if alg, _ := header["alg"].(string); alg != jwt.SigningMethodEdDSA.Alg() {
		return nil, refuse(msgMethod)
	}
	for name := range header {
		if name != "alg" && name != "kid" && name != "typ" {
			return nil, refuse(msgMethod)
		}
	}
	if typ, ok := header["typ"]; ok && typ != "JWT" {
		return nil, refuse(msgMethod)
	}
	kid, _ := header["kid"].(string)
	if strings.TrimSpace(kid) == "" {
		return nil, refuse(msgNoKey)
	}

	// The signature, checked by the jwt package. Claims are left to us.
	var internal error
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithStrictDecoding(),
		jwt.WithoutClaimsValidation(),
	)
	_, err := parser.Parse(token, func(*jwt.Token) (any, error) {
		pub, err := keyFor(kid)
		switch {
		case errors.Is(err, ErrUnknownKey):
			return nil, err
		case err != nil:
			internal = err
			return nil, err
		case len(pub) != ed25519.PublicKeySize:
			return nil, ErrUnknownKey
		}
		return pub, nil
	})
	switch {
	case internal != nil:
		return nil, fmt.Errorf("badge: looking up key %q: %w", kid, internal)
	case errors.Is(err, ErrUnknownKey):
		return nil, refuse(msgUnknownKey)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return nil, refuse(msgBadSignature)
	case err != nil:
		return nil, refuse(msgUnreadable)
	}

	// Now the payload is the issuer's own words: check it is a whole badge.
	var p payload
	dec := json.NewDecoder(bytes.NewReader(payloadJSON))
	if err := dec.Decode(&p); err != nil {
		return nil, refuse(fmt.Sprintf(msgIncomplete, "its contents are not laid out as the standard requires"))
	}
	v, problem := p.verified()
	if problem != "" {
		return nil, refuse(fmt.Sprintf(msgIncomplete, problem))
	}
	if now.Before(v.IssuedAt) {
		return nil, refuse(fmt.Sprintf(msgNotYet, when(v.IssuedAt)))
	}
	if !v.Expires.IsZero() && !now.Before(v.Expires) {
		return nil, refuse(fmt.Sprintf(msgExpired, when(v.Expires)))
	}
	v.KeyID = kid
	v.Payload = payloadJSON
	return v, nil
}

// verified checks the payload against appendix B.1 and the claim rules of
// section 8.2, and returns what an employer needs to see. The problem, if
// any, completes the sentence "This badge is not a complete Open Badge: ...".
func (p *payload) verified() (*Verified, string) {
	c := &p.credential
	if len(c.Context) < 2 || c.Context[0] != contextVC {
		return nil, "it does not follow version 2.0 of the Verifiable Credentials data model"
	}
	if ob, _ := c.Context[1].(string); !strings.HasPrefix(ob, contextOBPrefix) {
		return nil, "it does not name the Open Badges 3.0 vocabulary"
	}
	if !hasString(c.Type, typeVC) || !(hasString(c.Type, typeOpenBadge) || hasString(c.Type, typeAchievementVC)) {
		return nil, "it does not say it is an Open Badge credential"
	}
	if c.ID == "" {
		return nil, "it has no ID"
	}
	if p.Jti != c.ID {
		return nil, "the ID in its signature does not match the badge"
	}
	if c.Issuer.ID == "" {
		return nil, "it does not say who issued it"
	}
	if p.Iss != c.Issuer.ID {
		return nil, "the issuer in its signature does not match the badge"
	}
	if c.Issuer.Type != nil && !hasString(c.Issuer.Type, typeProfile) {
		return nil, "its issuer is not described as a profile"
	}

	issued, err := time.Parse(time.RFC3339, c.ValidFrom)
	if err != nil {
		return nil, "it has no valid start date"
	}
	if p.Nbf == nil || p.Nbf.Unix() != issued.Unix() {
		return nil, "the start date in its signature does not match the badge"
	}
	var expires time.Time
	if c.ValidUntil != "" {
		expires, err = time.Parse(time.RFC3339, c.ValidUntil)
		if err != nil {
			return nil, "its expiry date is not a valid date"
		}
	}
	switch {
	case p.Exp == nil && !expires.IsZero():
		return nil, "its signature has no expiry date but the badge has one"
	case p.Exp != nil && (expires.IsZero() || p.Exp.Unix() != expires.Unix()):
		return nil, "the expiry date in its signature does not match the badge"
	}

	s := &c.CredentialSubject
	if !hasString(s.Type, typeSubject) {
		return nil, "it does not describe who earned it"
	}
	if s.ID != p.Sub {
		return nil, "the recipient in its signature does not match the badge"
	}
	if s.ID == "" && len(s.Identifier) == 0 {
		return nil, "it does not identify who earned it"
	}
	var recipient []Identity
	for _, id := range s.Identifier {
		if id.Type != typeIdentityObject || id.IdentityHash == "" || id.IdentityType == "" || id.Hashed == nil {
			return nil, "the way it identifies who earned it is incomplete"
		}
		recipient = append(recipient, Identity{Type: id.IdentityType, Hash: id.IdentityHash, Hashed: *id.Hashed, Salt: id.Salt})
	}
	a := s.Achievement
	switch {
	case a == nil:
		return nil, "it does not say what was achieved"
	case a.ID == "":
		return nil, "its achievement has no ID"
	case !hasString(a.Type, typeAchievement):
		return nil, "its achievement is not described as one"
	case a.Name == "":
		return nil, "its achievement has no name"
	case a.Description == "":
		return nil, "its achievement has no description"
	case a.Criteria == nil:
		return nil, "its achievement has no criteria"
	}

	v := &Verified{
		ID:     c.ID,
		Name:   c.Name,
		Issuer: Issuer{ID: c.Issuer.ID, Name: c.Issuer.Name, URL: c.Issuer.URL},
		Achievement: Achievement{
			ID:          a.ID,
			Name:        a.Name,
			Description: a.Description,
			Criteria:    a.Criteria.Narrative,
			Type:        a.AchievementType,
		},
		Recipient: recipient,
		IssuedAt:  issued,
		Expires:   expires,
	}
	if a.Image != nil {
		v.Achievement.Image = a.Image.ID
	}
	if st := c.CredentialStatus; st != nil {
		switch st.Type {
		case "":
			return nil, "its status entry has no type"
		case typeStatusEntry:
			index, err := strconv.Atoi(st.StatusListIndex)
			if err != nil || index < 0 || !isURI(st.StatusListCredential) {
				return nil, "its status entry does not say where its status is kept"
			}
			v.StatusURL, v.StatusIndex = st.StatusListCredential, index
		default:
			v.StatusURL = st.ID
		}
		v.StatusType = st.Type
	}
	return v, ""
}

// RecipientMatches reports whether email is the address the badge was
// awarded to, by the steps in the specification's "Verify the Recipient
// Using an Identifier": for each emailAddress identifier, hash the address
// with its salt and compare, or compare directly if it is not hashed.
// Addresses are compared without regard to case: we lower-case before
// hashing at issue, and also try the address as typed in case another issuer
// hashed it unchanged.
func RecipientMatches(v *Verified, email string) bool {
	if v == nil {
		return false
	}
	typed := strings.TrimSpace(email)
	if typed == "" {
		return false
	}
	for _, id := range v.Recipient {
		if id.Type != identityEmail {
			continue
		}
		if !id.Hashed {
			if strings.EqualFold(strings.TrimSpace(id.Hash), typed) {
				return true
			}
			continue
		}
		alg, want, ok := strings.Cut(id.Hash, "$")
		if !ok {
			continue
		}
		for _, candidate := range []string{normaliseEmail(typed), typed} {
			if got, ok := hashHex(strings.ToLower(alg), candidate+id.Salt); ok && strings.EqualFold(got, want) {
				return true
			}
		}
	}
	return false
}

// hashHex computes the two hashes B.7 allows in an IdentityHash. MD5 is
// there only to read older badges; we never issue it.
func hashHex(alg, s string) (string, bool) {
	switch alg {
	case "sha256":
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:]), true
	case "md5":
		sum := md5.Sum([]byte(s))
		return hex.EncodeToString(sum[:]), true
	}
	return "", false
}

func refuse(message string) error {
	return upskill.Errorf(upskill.EINVALID, "%s", message)
}

// decodeSegment decodes one part of a compact JWS strictly, as the jwt
// package is told to, so that what we read is exactly what was verified.
func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// when writes a time the way people in the UK read it. UTC is named, since a
// badge may be checked anywhere.
func when(t time.Time) string {
	return t.UTC().Format("2 January 2006 at 15:04 UTC")
}
