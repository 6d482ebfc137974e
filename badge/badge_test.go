package badge

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"upskill"
)

const testKeyURL = "https://upskill.example/badges/keys/test"

var issued = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// testKey makes a key from a fixed seed, so that a failing fuzz input replays.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(slices.Repeat([]byte{seed}, ed25519.SeedSize))
}

func testAward() Award {
	return Award{
		ID:        "https://upskill.example/badges/credentials/4f1c",
		Recipient: "Jo.Bloggs@nhs.example",
		Salt:      "c0ffee",
		IssuedAt:  issued,
		Name:      "Data and information literacy: Jo Bloggs",
		Achievement: Achievement{
			ID:          "https://upskill.example/badges/achievements/data-literacy",
			Name:        "Data and information literacy",
			Description: "Reached the target level in the data and information literacy domain.",
			Criteria:    "Score at or above the role's target in the domain's self-assessment & check.",
			Type:        "Competency",
			Image:       "https://upskill.example/badges/achievements/data-literacy.png",
		},
		Issuer: Issuer{
			ID:   "https://upskill.example/organisations/nhs-example",
			Name: "NHS Example Trust",
			URL:  "https://nhs.example",
		},
		Status: StatusEntry{ListURL: "https://upskill.example/badge-status/1", Index: 94567},
	}
}

// keysFor answers as the service's key store does: one key, by its URL.
func keysFor(priv ed25519.PrivateKey) func(string) (ed25519.PublicKey, error) {
	return func(kid string) (ed25519.PublicKey, error) {
		if kid != testKeyURL {
			return nil, fmt.Errorf("kid %q: %w", kid, ErrUnknownKey)
		}
		return priv.Public().(ed25519.PublicKey), nil
	}
}

func issue(t testing.TB, a Award, priv ed25519.PrivateKey) (string, []byte) {
	t.Helper()
	token, cred, err := Issue(a, priv, testKeyURL)
	if err != nil {
		t.Fatal(err)
	}
	return token, cred
}

func TestIssueThenVerify(t *testing.T) {
	priv := testKey(1)
	a := testAward()
	a.Expires = issued.AddDate(3, 0, 0)
	token, cred := issue(t, a, priv)

	v, err := Verify(token, keysFor(priv), issued.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != a.ID || v.Name != a.Name || v.Issuer != a.Issuer || v.Achievement != a.Achievement {
		t.Errorf("verified badge differs from the award:\n got %+v\nwant %+v", v, a)
	}
	if !v.IssuedAt.Equal(issued) || !v.Expires.Equal(a.Expires) {
		t.Errorf("dates: got %v to %v, want %v to %v", v.IssuedAt, v.Expires, issued, a.Expires)
	}
	if v.StatusURL != a.Status.ListURL || v.StatusIndex != 94567 || v.StatusType != "BitstringStatusListEntry" || v.KeyID != testKeyURL {
		t.Errorf("status %q %d %q, key %q", v.StatusURL, v.StatusIndex, v.StatusType, v.KeyID)
	}
	if len(v.Recipient) != 1 || !v.Recipient[0].Hashed || v.Recipient[0].Salt != a.Salt {
		t.Errorf("recipient = %+v", v.Recipient)
	}
	if !RecipientMatches(v, "jo.bloggs@nhs.example") {
		t.Error("the badge does not match its own recipient")
	}

	// The credential returned beside the token is the one inside it.
	var inToken, alone map[string]any
	if err := json.Unmarshal(v.Payload, &inToken); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(cred, &alone); err != nil {
		t.Fatal(err)
	}
	for _, claim := range []string{"iss", "jti", "nbf", "iat", "exp", "sub"} {
		delete(inToken, claim)
	}
	a1, _ := json.Marshal(inToken)
	a2, _ := json.Marshal(alone)
	if string(a1) != string(a2) {
		t.Errorf("credential differs from the token's payload:\n%s\n%s", a1, a2)
	}
	if strings.Contains(string(cred), `\u0026`) {
		t.Error("the credential JSON escapes & as for HTML")
	}
	if strings.Contains(strings.ToLower(string(cred)+string(v.Payload)), "jo.bloggs") {
		t.Error("the recipient's address appears in the badge")
	}
}

func TestIssueWithoutExpiryOrImage(t *testing.T) {
	priv := testKey(1)
	a := testAward()
	a.Achievement.Image, a.Achievement.Type, a.Issuer.URL = "", "", ""
	token, cred := issue(t, a, priv)
	for _, absent := range []string{"validUntil", `"image"`, "achievementType", `"url"`} {
		if strings.Contains(string(cred), absent) {
			t.Errorf("credential has %s: %s", absent, cred)
		}
	}
	v, err := Verify(token, keysFor(priv), issued.AddDate(50, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Expires.IsZero() || v.Achievement.Image != "" {
		t.Errorf("got expiry %v, image %q", v.Expires, v.Achievement.Image)
	}
}

func TestIssueRefusesAFaultyAward(t *testing.T) {
	priv := testKey(1)
	_, _, err := Issue(Award{}, nil, "")
	if upskill.ErrorCode(err) != upskill.EINVALID {
		t.Fatalf("empty award: %v", err)
	}
	var fields []string
	for _, f := range upskill.ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	want := []string{"id", "recipient", "salt", "issuedAt", "name", "achievement.id",
		"achievement.name", "achievement.description", "achievement.criteria",
		"issuer.id", "issuer.name", "status.listURL", "key", "keyURL"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields reported:\n got %v\nwant %v", fields, want)
	}
	if msg := upskill.ErrorMessage(err); msg != "The award has no credential ID." {
		t.Errorf("message = %q", msg)
	}

	for _, c := range []struct {
		field  string
		change func(*Award)
		msg    string
	}{
		{"id", func(a *Award) { a.ID = "credentials/4f1c" }, "The credential ID must be an absolute URL."},
		{"recipient", func(a *Award) { a.Recipient = "Jo Bloggs" }, "The recipient must be an email address, like name@example.com."},
		{"achievement.type", func(a *Award) { a.Achievement.Type = "Trophy" }, "The achievement type must be one of the Open Badges terms, such as Badge, or start with ext:."},
		{"achievement.image", func(a *Award) { a.Achievement.Image = "badge.png" }, "The achievement image must be an absolute URL or a data URI."},
		{"issuer.url", func(a *Award) { a.Issuer.URL = "nhs.example" }, "The issuer's web address must be an absolute URL."},
		{"status.listURL", func(a *Award) { a.Status.ListURL = " " }, "The award has no status list URL."},
		{"status.index", func(a *Award) { a.Status.Index = StatusListSize }, "The status list index must be between 0 and 131071."},
		{"expires", func(a *Award) { a.Expires = a.IssuedAt }, "The award must expire after the date of issue."},
	} {
		a := testAward()
		c.change(&a)
		_, _, err := Issue(a, priv, testKeyURL)
		fe := upskill.ErrorFields(err)
		if len(fe) != 1 || fe[0].Field != c.field || fe[0].Message != c.msg {
			t.Errorf("%s: got %v", c.field, fe)
		}
	}

	a := testAward()
	a.Achievement.Type = "ext:NHSDigitalSkill"
	if _, _, err := Issue(a, priv, testKeyURL); err != nil {
		t.Errorf("an ext: achievement type is refused: %v", err)
	}
}

// The example IdentityHash in appendix B.7 of the specification: the address
// a@example.com salted with Kosher.
func TestIdentityHashFollowsTheSpecification(t *testing.T) {
	const want = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
	if got := identityHash("sha256", "a@example.com", "Kosher"); got != want {
		t.Errorf("identityHash = %s, want %s", got, want)
	}

	a := testAward()
	_, cred := issue(t, a, testKey(1))
	var c struct {
		CredentialSubject struct {
			Identifier []map[string]any `json:"identifier"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(cred, &c); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("jo.bloggs@nhs.example" + a.Salt))
	wantID := map[string]any{
		"type":         "IdentityObject",
		"identityHash": "sha256$" + hex.EncodeToString(sum[:]),
		"identityType": "emailAddress",
		"hashed":       true,
		"salt":         a.Salt,
	}
	if len(c.CredentialSubject.Identifier) != 1 || fmt.Sprint(c.CredentialSubject.Identifier[0]) != fmt.Sprint(wantID) {
		t.Errorf("identifier = %v\nwant %v", c.CredentialSubject.Identifier, wantID)
	}
}

func TestRecipientMatches(t *testing.T) {
	v := &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: identityHash("sha256", "jo.bloggs@nhs.example", "salt"), Hashed: true, Salt: "salt"}}}
	spec := &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: "sha256$B5809D8A92F8858436D7E6B87C12EBC0AE1EAC4BAECC2C0B913AEE2C922EF399", Hashed: true, Salt: "Kosher"}}}
	plain := &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: "Jo@Example.org"}}}
	md5Sum := md5.Sum([]byte("test@example.comNaCl"))
	md5ed := &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: "md5$" + hex.EncodeToString(md5Sum[:]), Hashed: true, Salt: "NaCl"}}}
	otherType := &Verified{Recipient: []Identity{{Type: "name", Hash: "Jo Bloggs"}}}
	for _, c := range []struct {
		name  string
		v     *Verified
		email string
		want  bool
	}{
		{"same address", v, "jo.bloggs@nhs.example", true},
		{"other case", v, "JO.Bloggs@NHS.example", true},
		{"spaces around", v, "  jo.bloggs@nhs.example\n", true},
		{"other address", v, "jo.bloggs@nhs.exampl", false},
		{"empty", v, "", false},
		{"specification's example, upper-case hex", spec, "a@example.com", true},
		{"unhashed, other case", plain, "jo@example.org", true},
		{"unhashed, other address", plain, "jo@example.com", false},
		{"md5, read but never issued", md5ed, "Test@Example.com", true},
		{"unknown algorithm", &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: "sha1$00", Hashed: true}}}, "a@example.com", false},
		{"hash without algorithm", &Verified{Recipient: []Identity{{Type: "emailAddress", Hash: "00", Hashed: true}}}, "a@example.com", false},
		{"not an email identifier", otherType, "Jo Bloggs", false},
		{"nil", nil, "jo.bloggs@nhs.example", false},
	} {
		if got := RecipientMatches(c.v, c.email); got != c.want {
			t.Errorf("%s: RecipientMatches = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestCredentialHasWhatTheSpecificationRequires checks what appendix B.1 and
// section 8.2 of the specification require, reading the JSON as a stranger
// would rather than through our own types.
func TestCredentialHasWhatTheSpecificationRequires(t *testing.T) {
	a := testAward()
	a.Expires = issued.AddDate(1, 0, 0)
	token, cred := issue(t, a, testKey(1))

	var c map[string]any
	if err := json.Unmarshal(cred, &c); err != nil {
		t.Fatal(err)
	}
	obj := func(m map[string]any, key string) map[string]any {
		t.Helper()
		o, ok := m[key].(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object: %v", key, m[key])
		}
		return o
	}
	str := func(m map[string]any, key string) string {
		t.Helper()
		s, ok := m[key].(string)
		if !ok || s == "" {
			t.Errorf("%s is missing or not a string: %v", key, m[key])
		}
		return s
	}
	types := func(m map[string]any, want ...string) {
		t.Helper()
		var got []string
		switch v := m["type"].(type) {
		case string:
			got = []string{v}
		case []any:
			for _, x := range v {
				s, _ := x.(string)
				got = append(got, s)
			}
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("type %v lacks %s", got, w)
			}
		}
	}
	dateTimeZ := func(m map[string]any, key string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, str(m, key))
		if err != nil || !strings.HasSuffix(str(m, key), "Z") {
			t.Errorf("%s = %v is not a DateTimeZ", key, m[key])
		}
		return d
	}

	// B.1.2 AchievementCredential: @context [2..*], ordered, these two first.
	ctx, _ := c["@context"].([]any)
	if len(ctx) < 2 || ctx[0] != "https://www.w3.org/ns/credentials/v2" || ctx[1] != "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" {
		t.Errorf("@context = %v", c["@context"])
	}
	str(c, "id")
	types(c, "VerifiableCredential", "OpenBadgeCredential")
	str(c, "name")
	validFrom := dateTimeZ(c, "validFrom")
	validUntil := dateTimeZ(c, "validUntil")
	if _, ok := c["issuanceDate"]; ok {
		t.Error("issuanceDate belongs to the VC 1.1 data model")
	}

	// B.1.14 Profile, as the issuer: id [1], type [1..*] with Profile.
	issuer := obj(c, "issuer")
	str(issuer, "id")
	types(issuer, "Profile")
	str(issuer, "name")

	// B.1.3 AchievementSubject: type [1..*], achievement [1], and either id
	// or at least one identifier.
	subject := obj(c, "credentialSubject")
	types(subject, "AchievementSubject")
	ids, _ := subject["identifier"].([]any)
	if subject["id"] == nil && len(ids) == 0 {
		t.Error("credentialSubject has neither id nor identifier")
	}
	// B.1.12 IdentityObject: type 'IdentityObject', hashed, identityHash and
	// identityType [1]; identityType from IdentifierTypeEnum (B.1.30).
	for _, x := range ids {
		id, _ := x.(map[string]any)
		if id["type"] != "IdentityObject" || id["identityType"] != "emailAddress" {
			t.Errorf("identifier = %v", id)
		}
		if _, ok := id["hashed"].(bool); !ok {
			t.Errorf("identifier.hashed = %v", id["hashed"])
		}
		if !strings.HasPrefix(str(id, "identityHash"), "sha256$") {
			t.Errorf("identityHash = %v", id["identityHash"])
		}
	}
	// B.1.1 Achievement: id, type with Achievement, criteria, description, name [1].
	ach := obj(subject, "achievement")
	str(ach, "id")
	types(ach, "Achievement")
	str(ach, "name")
	str(ach, "description")
	str(obj(ach, "criteria"), "narrative")
	if str(ach, "achievementType") != "Competency" {
		t.Errorf("achievementType = %v", ach["achievementType"])
	}
	// B.1.13 Image: id [1], type 'Image' [1].
	if img := obj(ach, "image"); img["type"] != "Image" || img["id"] != a.Achievement.Image {
		t.Errorf("image = %v", img)
	}

	// B.1.22 CredentialStatus, as a BitstringStatusListEntry: its purpose,
	// the index as a string of digits, and the list credential's URL.
	st := obj(c, "credentialStatus")
	if st["type"] != "BitstringStatusListEntry" || st["statusPurpose"] != "revocation" || st["statusListIndex"] != "94567" ||
		st["statusListCredential"] != a.Status.ListURL || st["id"] != a.Status.ListURL+"#94567" {
		t.Errorf("credentialStatus = %v", st)
	}
	// B.1.21 CredentialSchema: one with the specification's JSON Schema and
	// the type 1EdTechJsonSchemaValidator2019.
	schemas, _ := c["credentialSchema"].([]any)
	if len(schemas) != 1 || fmt.Sprint(schemas[0]) != fmt.Sprint(map[string]any{
		"id":   "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
		"type": "1EdTechJsonSchemaValidator2019",
	}) {
		t.Errorf("credentialSchema = %v", c["credentialSchema"])
	}

	// Section 8.2, the JOSE header: alg, kid a URL for the JWK, typ "JWT",
	// and no other header.
	parts := strings.Split(token, ".")
	var header map[string]any
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(hb, &header); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(header) != fmt.Sprint(map[string]any{"alg": "EdDSA", "kid": testKeyURL, "typ": "JWT"}) {
		t.Errorf("JOSE header = %v", header)
	}
	// Section 8.2, the JWT payload: the credential itself, with iss =
	// issuer.id, jti = id, nbf = validFrom, exp = validUntil. There is no
	// credentialSubject.id, so no sub.
	var p map[string]any
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(pb, &p); err != nil {
		t.Fatal(err)
	}
	if p["iss"] != issuer["id"] || p["jti"] != c["id"] {
		t.Errorf("iss %v, jti %v", p["iss"], p["jti"])
	}
	if p["nbf"] != float64(validFrom.Unix()) || p["exp"] != float64(validUntil.Unix()) {
		t.Errorf("nbf %v, exp %v; validFrom %v, validUntil %v", p["nbf"], p["exp"], validFrom, validUntil)
	}
	if _, ok := p["vc"]; ok {
		t.Error("the payload wraps the credential in vc, the VC 1.1 form")
	}
	if _, ok := p["sub"]; ok {
		t.Error("sub without a credentialSubject.id")
	}
	if p["@context"] == nil || p["credentialSubject"] == nil {
		t.Error("the credential is not the payload itself")
	}
}

// A token signed with the right key but saying something other than a whole,
// consistent badge is refused, with the reason.
func TestVerifyChecksTheContents(t *testing.T) {
	priv := testKey(1)
	token, _ := issue(t, testAward(), priv)
	now := issued.Add(time.Hour)
	for _, c := range []struct {
		name   string
		change func(p map[string]any)
		want   string // completes "This badge is not a complete Open Badge: "
	}{
		{"VC 1.1 context", func(p map[string]any) { p["@context"] = []any{"https://www.w3.org/2018/credentials/v1", contextOB} }, "it does not follow version 2.0 of the Verifiable Credentials data model"},
		{"no OB context", func(p map[string]any) { p["@context"] = []any{contextVC} }, "it does not follow version 2.0 of the Verifiable Credentials data model"},
		{"other vocabulary", func(p map[string]any) { p["@context"] = []any{contextVC, "https://example.org/ctx"} }, "it does not name the Open Badges 3.0 vocabulary"},
		{"not a badge", func(p map[string]any) { p["type"] = []any{"VerifiableCredential"} }, "it does not say it is an Open Badge credential"},
		{"jti differs", func(p map[string]any) { p["jti"] = "https://elsewhere.example/1" }, "the ID in its signature does not match the badge"},
		{"iss differs", func(p map[string]any) { p["iss"] = "https://elsewhere.example" }, "the issuer in its signature does not match the badge"},
		{"no issuer", func(p map[string]any) { delete(p, "issuer") }, "it does not say who issued it"},
		{"nbf differs", func(p map[string]any) { p["nbf"] = p["nbf"].(float64) - 60 }, "the start date in its signature does not match the badge"},
		{"no nbf", func(p map[string]any) { delete(p, "nbf") }, "the start date in its signature does not match the badge"},
		{"no validFrom", func(p map[string]any) { delete(p, "validFrom") }, "it has no valid start date"},
		{"exp without validUntil", func(p map[string]any) { p["exp"] = p["nbf"].(float64) + 3600 }, "the expiry date in its signature does not match the badge"},
		{"validUntil without exp", func(p map[string]any) { p["validUntil"] = "2030-01-01T00:00:00Z" }, "its signature has no expiry date but the badge has one"},
		{"sub without subject id", func(p map[string]any) { p["sub"] = "did:example:jo" }, "the recipient in its signature does not match the badge"},
		{"no recipient", func(p map[string]any) { delete(subjectOf(p), "identifier") }, "it does not identify who earned it"},
		{"identifier without hashed", func(p map[string]any) { delete(subjectOf(p)["identifier"].([]any)[0].(map[string]any), "hashed") }, "the way it identifies who earned it is incomplete"},
		{"no achievement", func(p map[string]any) { delete(subjectOf(p), "achievement") }, "it does not say what was achieved"},
		{"no achievement name", func(p map[string]any) { delete(achievementOf(p), "name") }, "its achievement has no name"},
		{"no criteria", func(p map[string]any) { delete(achievementOf(p), "criteria") }, "its achievement has no criteria"},
		{"status without type", func(p map[string]any) { p["credentialStatus"] = map[string]any{"id": "https://x.example"} }, "its status entry has no type"},
		{"type a number", func(p map[string]any) { p["type"] = 7 }, "its contents are not laid out as the standard requires"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := payloadOf(t, token)
			c.change(p)
			_, err := Verify(resign(t, token, p, priv), keysFor(priv), now)
			want := "This badge is not a complete Open Badge: " + c.want + "."
			if upskill.ErrorCode(err) != upskill.EINVALID || upskill.ErrorMessage(err) != want {
				t.Errorf("got %v\nwant %q", err, want)
			}
		})
	}
}

// Badges from other issuers may use the compacted JSON-LD forms the
// specification's schemas allow: one value where we write an array, and an
// issuer given by its URI alone.
func TestVerifyAcceptsCompactedForms(t *testing.T) {
	priv := testKey(1)
	token, _ := issue(t, testAward(), priv)
	p := payloadOf(t, token)
	p["type"] = []any{"VerifiableCredential", "AchievementCredential"}
	p["issuer"] = p["iss"]
	s := subjectOf(p)
	s["type"] = "AchievementSubject"
	s["identifier"] = s["identifier"].([]any)[0]
	achievementOf(p)["type"] = "Achievement"
	v, err := Verify(resign(t, token, p, priv), keysFor(priv), issued)
	if err != nil {
		t.Fatal(err)
	}
	if v.Issuer.ID != testAward().Issuer.ID || v.Issuer.Name != "" || !RecipientMatches(v, "jo.bloggs@nhs.example") {
		t.Errorf("got %+v", v)
	}
}

func subjectOf(p map[string]any) map[string]any { return p["credentialSubject"].(map[string]any) }
func achievementOf(p map[string]any) map[string]any {
	return subjectOf(p)["achievement"].(map[string]any)
}

func payloadOf(t *testing.T, token string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// resign signs payload under token's header with priv, as an issuer would.
func resign(t testing.TB, token string, payload any, priv ed25519.PrivateKey) string {
	t.Helper()
	pb, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	input := strings.Split(token, ".")[0] + "." + base64.RawURLEncoding.EncodeToString(pb)
	return input + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(priv, []byte(input)))
}

// compact builds a token from a header and payload of our choosing, for the
// forgeries that Verify must turn away.
func compact(header map[string]any, payload []byte, sign func(input string) []byte) string {
	hb, _ := json.Marshal(header)
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(payload)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign(input))
}

func TestVerifyRefuses(t *testing.T) {
	priv := testKey(1)
	pub := priv.Public().(ed25519.PublicKey)
	a := testAward()
	a.Expires = issued.AddDate(1, 0, 0)
	token, _ := issue(t, a, priv)
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	now := issued.Add(time.Hour)

	edSign := func(input string) []byte { return ed25519.Sign(priv, []byte(input)) }
	noSig := func(string) []byte { return nil }
	hs256 := func(input string) []byte { // the public key used as an HMAC secret
		m := hmac.New(sha256.New, pub)
		m.Write([]byte(input))
		return m.Sum(nil)
	}
	header := func(extra ...any) map[string]any {
		h := map[string]any{"alg": "EdDSA", "kid": testKeyURL, "typ": "JWT"}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == nil {
				delete(h, extra[i].(string))
			} else {
				h[extra[i].(string)] = extra[i+1]
			}
		}
		return h
	}
	tampered := strings.Replace(string(payload), "NHS Example Trust", "NHS Exemplar Trust", 1)
	b64 := base64.RawURLEncoding.EncodeToString

	for _, c := range []struct {
		name   string
		token  string
		keyFor func(string) (ed25519.PublicKey, error)
		now    time.Time
		want   string
	}{
		{"tampered payload", parts[0] + "." + b64([]byte(tampered)) + "." + parts[2], nil, now, msgBadSignature},
		{"signature from another badge", parts[0] + "." + parts[1] + "." + strings.Split(resign(t, token, map[string]any{"x": 1}, priv), ".")[2], nil, now, msgBadSignature},
		{"wrong key", token, keysFor(testKey(2)), now, msgBadSignature},
		{"signed by another key", compact(header(), payload, func(in string) []byte { return ed25519.Sign(testKey(2), []byte(in)) }), nil, now, msgBadSignature},
		{"unknown key", compact(header("kid", "https://elsewhere.example/key"), payload, edSign), nil, now, msgUnknownKey},
		{"key store has no key", token, func(string) (ed25519.PublicKey, error) { return nil, nil }, now, msgUnknownKey},
		{"alg none", compact(header("alg", "none"), payload, noSig), nil, now, msgMethod},
		{"alg none, signature kept", compact(header("alg", "none"), payload, edSign), nil, now, msgMethod},
		{"alg None", compact(header("alg", "None"), payload, noSig), nil, now, msgMethod},
		{"HS256 with the public key as secret", compact(header("alg", "HS256"), payload, hs256), nil, now, msgMethod},
		{"RS256", compact(header("alg", "RS256"), payload, edSign), nil, now, msgMethod},
		{"no alg", compact(header("alg", nil), payload, edSign), nil, now, msgMethod},
		{"key inside the badge", compact(header("jwk", map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(pub)}), payload, edSign), nil, now, msgMethod},
		{"critical header", compact(header("crit", []any{"exp"}), payload, edSign), nil, now, msgMethod},
		{"other typ", compact(header("typ", "vc+ld+jwt"), payload, edSign), nil, now, msgMethod},
		{"no kid", compact(header("kid", nil), payload, edSign), nil, now, msgNoKey},
		{"kid not a string", compact(header("kid", 7), payload, edSign), nil, now, msgNoKey},
		{"expired", token, nil, a.Expires, fmt.Sprintf(msgExpired, "2 March 2027 at 09:30 UTC")},
		{"long expired", token, nil, a.Expires.AddDate(5, 0, 0), fmt.Sprintf(msgExpired, "2 March 2027 at 09:30 UTC")},
		{"not yet valid", token, nil, issued.Add(-time.Second), fmt.Sprintf(msgNotYet, "2 March 2026 at 09:30 UTC")},
		{"empty", "", nil, now, msgUnreadable},
		{"white space", " \n ", nil, now, msgUnreadable},
		{"one part", "eyJhbGciOiJFZERTQSJ9", nil, now, msgUnreadable},
		{"two parts", parts[0] + "." + parts[1], nil, now, msgUnreadable},
		{"four parts", token + "." + parts[2], nil, now, msgUnreadable},
		{"not base64", "!!!." + parts[1] + "." + parts[2], nil, now, msgUnreadable},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], nil, now, msgUnreadable},
		{"header not JSON", b64([]byte("alg:EdDSA")) + "." + parts[1] + "." + parts[2], nil, now, msgUnreadable},
		{"header an array", b64([]byte(`["EdDSA"]`)) + "." + parts[1] + "." + parts[2], nil, now, msgUnreadable},
		{"header null", b64([]byte(`null`)) + "." + parts[1] + "." + parts[2], nil, now, msgUnreadable},
		{"payload not JSON", compact(header(), []byte("hello"), edSign), nil, now, msgUnreadable},
		{"payload a string", compact(header(), []byte(`"hello"`), edSign), nil, now, msgUnreadable},
		{"signature not base64", parts[0] + "." + parts[1] + ".%%%", nil, now, msgUnreadable},
		{"too long", token + strings.Repeat("A", maxTokenBytes), nil, now, msgUnreadable},
		{"an Open Badges 2.0 assertion", compact(header(), []byte(`{"@context":"https://w3id.org/openbadges/v2","type":"Assertion"}`), edSign), nil, now, fmt.Sprintf(msgIncomplete, "its contents are not laid out as the standard requires")},
	} {
		t.Run(c.name, func(t *testing.T) {
			keyFor := c.keyFor
			if keyFor == nil {
				keyFor = keysFor(priv)
			}
			v, err := Verify(c.token, keyFor, c.now)
			if v != nil || upskill.ErrorCode(err) != upskill.EINVALID || upskill.ErrorMessage(err) != c.want {
				t.Errorf("got %v, %v\nwant %q", v, err, c.want)
			}
		})
	}

	// Pasted with a line break around it is still the badge.
	if _, err := Verify("\n"+token+"\r\n", keysFor(priv), now); err != nil {
		t.Errorf("surrounding white space: %v", err)
	}
}

// A key store that cannot answer is our fault, not the badge's: the employer
// must not be told the badge is forged.
func TestVerifyKeyStoreFault(t *testing.T) {
	priv := testKey(1)
	token, _ := issue(t, testAward(), priv)
	down := errors.New("database is unreachable")
	_, err := Verify(token, func(string) (ed25519.PublicKey, error) { return nil, down }, issued)
	if !errors.Is(err, down) || upskill.ErrorCode(err) != upskill.EINTERNAL {
		t.Errorf("got %v", err)
	}
}
