// Package badge issues and checks Open Badges 3.0 credentials: when a learner
// completes badge-bearing learning, or reaches their target in a framework
// domain, the service signs an OpenBadgeCredential (a W3C Verifiable
// Credential, data model 2.0) as a JSON Web Token with Ed25519, so that the
// learner can take it anywhere and an employer can check it without asking us.
//
// The shapes follow the Open Badges Specification 3.0 (1EdTech, Final):
// appendix B.1 for the credential data model and section 8.2, "JSON Web Token
// Proof Format", for the token. Revocation uses the W3C Bitstring Status
// List (credentialStatus type BitstringStatusListEntry), which document
// version 1.3 of the specification recommends in place of the 1EdTech
// Revocation List it deprecates; that older list is still written for the
// badges that name it (see RevocationList).
package badge

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"upskill"
)

// The fixed vocabulary of an OpenBadgeCredential. B.1.2 requires @context to
// be an ordered set whose first two items are exactly these two URLs.
const (
	contextVC          = "https://www.w3.org/ns/credentials/v2"
	contextOB          = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	contextOBPrefix    = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0."
	schemaURL          = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
	schemaType         = "1EdTechJsonSchemaValidator2019"
	statusTypeLegacy   = "1EdTechRevocationList"
	typeVC             = "VerifiableCredential"
	typeOpenBadge      = "OpenBadgeCredential"
	typeAchievementVC  = "AchievementCredential" // an alias the specification also accepts
	typeProfile        = "Profile"
	typeSubject        = "AchievementSubject"
	typeAchievement    = "Achievement"
	typeIdentityObject = "IdentityObject"
	typeImage          = "Image"
	identityEmail      = "emailAddress"
)

// Issuer is the organisation that awards the badge: in the credential it
// becomes a Profile (B.1.14), which verifiers show as "issued by".
type Issuer struct {
	ID   string // a URL that identifies the issuer, such as its profile page
	Name string // the name an employer will recognise
	URL  string // the issuer's home page; optional
}

// Achievement is what the badge recognises (B.1.1). One Achievement is shared
// by every learner who earns it; only the Award differs.
type Achievement struct {
	ID          string // a stable URL for the achievement, not for one award of it
	Name        string
	Description string
	Criteria    string // how to earn it; Markdown is allowed
	// Type is the achievementType: a term such as "Badge", "Competency" or
	// "CertificateOfCompletion" from the specification's AchievementType
	// list, or a local term starting "ext:". Empty leaves it out.
	Type  string
	Image string // URL or data URI of the badge image; optional
}

// Award is one learner's badge, everything Issue needs to build and sign it.
// The caller stores it, with its Salt, so that the same badge can be issued
// again and the revocation list can name it.
type Award struct {
	ID string // the credential's URL, unique to this award
	// Recipient is the learner's email address. Only a salted hash of it goes
	// into the badge, so the address is not exposed to whoever sees the badge.
	Recipient   string
	Salt        string    // random per award; see NewSalt
	IssuedAt    time.Time // becomes validFrom; kept to the second
	Name        string    // the credential's display name in wallets
	Achievement Achievement
	Issuer      Issuer
	Status      StatusEntry // the badge's bit in the issuer's status list
	Expires     time.Time   // becomes validUntil; the zero time means never
}

// The JSON shapes of the credential. Field order follows the examples in the
// specification so that a person reading a downloaded badge finds it familiar.
type credential struct {
	Context           []any            `json:"@context"`
	ID                string           `json:"id"`
	Type              many[string]     `json:"type"`
	Name              string           `json:"name,omitempty"`
	Issuer            profile          `json:"issuer"`
	ValidFrom         string           `json:"validFrom"`
	ValidUntil        string           `json:"validUntil,omitempty"`
	CredentialSubject subject          `json:"credentialSubject"`
	CredentialStatus  *statusEntryJSON `json:"credentialStatus,omitempty"`
	CredentialSchema  many[typedRef]   `json:"credentialSchema,omitempty"`
}

type profile struct {
	ID   string       `json:"id"`
	Type many[string] `json:"type,omitempty"`
	Name string       `json:"name,omitempty"`
	URL  string       `json:"url,omitempty"`
}

type subject struct {
	ID          string             `json:"id,omitempty"`
	Type        many[string]       `json:"type"`
	Identifier  many[identityJSON] `json:"identifier,omitempty"`
	Achievement *achievementJSON   `json:"achievement"`
}

type identityJSON struct {
	Type         string `json:"type"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Hashed       *bool  `json:"hashed"` // a pointer so that a missing value is noticed
	Salt         string `json:"salt,omitempty"`
}

type achievementJSON struct {
	ID              string       `json:"id"`
	Type            many[string] `json:"type"`
	Name            string       `json:"name"`
	Description     string       `json:"description"`
	Criteria        *criteria    `json:"criteria"`
	AchievementType string       `json:"achievementType,omitempty"`
	Image           *typedRef    `json:"image,omitempty"`
}

type criteria struct {
	ID        string `json:"id,omitempty"`
	Narrative string `json:"narrative,omitempty"`
}

// typedRef is the {id, type} pair that Image and CredentialSchema share.
type typedRef struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type"`
}

// payload is the JWT payload of section 8.2: the credential itself with the
// registered claims that repeat its identifiers and dates beside it.
type payload struct {
	credential
	registered
}

// registered holds the registered claims of a token, for badges and
// status lists alike.
type registered struct {
	Iss string           `json:"iss"`
	Sub string           `json:"sub,omitempty"`
	Jti string           `json:"jti"`
	Nbf *jwt.NumericDate `json:"nbf"`
	Iat *jwt.NumericDate `json:"iat,omitempty"`
	Exp *jwt.NumericDate `json:"exp,omitempty"`
}

// The jwt package asks for these to sign the payload; Verify checks the
// claims itself so that it can say in plain words what is wrong.
func (p registered) GetExpirationTime() (*jwt.NumericDate, error) { return p.Exp, nil }
func (p registered) GetIssuedAt() (*jwt.NumericDate, error)       { return p.Iat, nil }
func (p registered) GetNotBefore() (*jwt.NumericDate, error)      { return p.Nbf, nil }
func (p registered) GetIssuer() (string, error)                   { return p.Iss, nil }
func (p registered) GetSubject() (string, error)                  { return p.Sub, nil }
func (p registered) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// NewSalt returns a random salt for an award's recipient hash. A fresh salt
// for every award stops anyone linking two badges of one learner, or guessing
// an address from a list, by comparing hashes.
func NewSalt() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Issue checks the award, builds its OpenBadgeCredential and signs it with
// key. keyURL is put in the token's kid header: it must be a URL at which the
// matching public key is published as a JWK (see PublicJWK), because that is
// how section 8.2 tells a verifier to find the key. Issue returns the signed
// token, which is the badge the learner downloads, and the credential JSON,
// which the caller may keep or show. A faulty award gives an EINVALID
// *upskill.Error naming every missing or wrong field.
func Issue(a Award, key ed25519.PrivateKey, keyURL string) (token string, credentialJSON []byte, err error) {
	if err := a.check(key, keyURL); err != nil {
		return "", nil, err
	}
	c := a.credential()
	p := payload{credential: c, registered: registered{
		Iss: c.Issuer.ID,
		Jti: c.ID,
		Nbf: jwt.NewNumericDate(a.IssuedAt.UTC().Truncate(time.Second)),
	}}
	p.Iat = p.Nbf
	if !a.Expires.IsZero() {
		p.Exp = jwt.NewNumericDate(a.Expires.UTC().Truncate(time.Second))
	}
	// The sub claim carries credentialSubject.id, and our badges have none
	// (see credential), so it is left out although section 8.2 lists it.
	//
	// Section 8.2 asks for RS256 at least and allows other algorithms at some
	// cost to interoperability. EdDSA keeps keys and signatures small; a
	// verifier that supports only RS256 will not be able to check our badges.
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, p)
	// Section 8.2 allows only alg, kid, typ and jwk; the jwt package already
	// sets alg and typ ("JWT", as the specification asks).
	t.Header["kid"] = keyURL
	token, err = t.SignedString(key)
	if err != nil {
		return "", nil, err
	}
	credentialJSON, err = jsonMarshal(c)
	if err != nil {
		return "", nil, err
	}
	return token, credentialJSON, nil
}

func (a Award) credential() credential {
	hashed := true
	email := normaliseEmail(a.Recipient)
	c := credential{
		Context: []any{contextVC, contextOB},
		ID:      a.ID,
		Type:    many[string]{typeVC, typeOpenBadge},
		Name:    a.Name,
		Issuer: profile{
			ID:   a.Issuer.ID,
			Type: many[string]{typeProfile},
			Name: a.Issuer.Name,
			URL:  a.Issuer.URL,
		},
		ValidFrom: dateTimeZ(a.IssuedAt),
		CredentialSubject: subject{
			Type: many[string]{typeSubject},
			// No subject id: the learner has no identifier of their own that
			// we could publish without exposing them, so the specification's
			// other way, a hashed identifier, stands in for it.
			Identifier: many[identityJSON]{{
				Type:         typeIdentityObject,
				IdentityHash: identityHash("sha256", email, a.Salt),
				IdentityType: identityEmail,
				Hashed:       &hashed,
				Salt:         a.Salt,
			}},
			Achievement: &achievementJSON{
				ID:              a.Achievement.ID,
				Type:            many[string]{typeAchievement},
				Name:            a.Achievement.Name,
				Description:     a.Achievement.Description,
				Criteria:        &criteria{Narrative: a.Achievement.Criteria},
				AchievementType: a.Achievement.Type,
			},
		},
		CredentialStatus: a.Status.json(),
		CredentialSchema: many[typedRef]{{ID: schemaURL, Type: schemaType}},
	}
	if a.Achievement.Image != "" {
		c.CredentialSubject.Achievement.Image = &typedRef{ID: a.Achievement.Image, Type: typeImage}
	}
	if !a.Expires.IsZero() {
		c.ValidUntil = dateTimeZ(a.Expires)
	}
	return c
}

// check collects every problem with the award so that whoever wires up
// issuing can fix them all at once.
func (a Award) check(key ed25519.PrivateKey, keyURL string) error {
	var p upskill.Problems
	uri := func(field, value, what string) {
		switch {
		case strings.TrimSpace(value) == "":
			p.Add(field, "The award has no "+what+".")
		case !isURI(value):
			p.Add(field, "The "+what+" must be an absolute URL.")
		}
	}
	text := func(field, value, what string) {
		if strings.TrimSpace(value) == "" {
			p.Add(field, "The award has no "+what+".")
		}
	}
	uri("id", a.ID, "credential ID")
	switch {
	case strings.TrimSpace(a.Recipient) == "":
		p.Add("recipient", "The award has no recipient email address.")
	case !looksLikeEmail(normaliseEmail(a.Recipient)):
		p.Add("recipient", "The recipient must be an email address, like name@example.com.")
	}
	text("salt", a.Salt, "salt for the recipient hash")
	if a.IssuedAt.IsZero() {
		p.Add("issuedAt", "The award has no date of issue.")
	}
	text("name", a.Name, "credential name")
	uri("achievement.id", a.Achievement.ID, "achievement ID")
	text("achievement.name", a.Achievement.Name, "achievement name")
	text("achievement.description", a.Achievement.Description, "achievement description")
	text("achievement.criteria", a.Achievement.Criteria, "achievement criteria")
	if t := a.Achievement.Type; t != "" && !achievementTypes[t] && !strings.HasPrefix(t, "ext:") {
		p.Add("achievement.type", "The achievement type must be one of the Open Badges terms, such as Badge, or start with ext:.")
	}
	if a.Achievement.Image != "" && !isURI(a.Achievement.Image) {
		p.Add("achievement.image", "The achievement image must be an absolute URL or a data URI.")
	}
	uri("issuer.id", a.Issuer.ID, "issuer ID")
	text("issuer.name", a.Issuer.Name, "issuer name")
	if a.Issuer.URL != "" && !isURI(a.Issuer.URL) {
		p.Add("issuer.url", "The issuer's web address must be an absolute URL.")
	}
	uri("status.listURL", a.Status.ListURL, "status list URL")
	if a.Status.Index < 0 || a.Status.Index >= StatusListSize {
		p.Add("status.index", "The status list index must be between 0 and "+strconv.Itoa(StatusListSize-1)+".")
	}
	if !a.Expires.IsZero() && !a.Expires.Truncate(time.Second).After(a.IssuedAt.Truncate(time.Second)) {
		p.Add("expires", "The award must expire after the date of issue.")
	}
	if len(key) != ed25519.PrivateKeySize {
		p.Add("key", "The signing key is not an Ed25519 private key.")
	}
	uri("keyURL", keyURL, "URL of the public key")
	return p.Err()
}

// achievementTypes is the AchievementType enumeration of B.1.28.
var achievementTypes = map[string]bool{
	"Achievement": true, "ApprenticeshipCertificate": true, "Assessment": true,
	"Assignment": true, "AssociateDegree": true, "Award": true, "Badge": true,
	"BachelorDegree": true, "Certificate": true, "CertificateOfCompletion": true,
	"Certification": true, "CommunityService": true, "Competency": true,
	"Course": true, "CoCurricular": true, "Degree": true, "Diploma": true,
	"DoctoralDegree": true, "Fieldwork": true, "GeneralEducationDevelopment": true,
	"JourneymanCertificate": true, "LearningProgram": true, "License": true,
	"Membership": true, "ProfessionalDoctorate": true, "QualityAssuranceCredential": true,
	"MasterCertificate": true, "MasterDegree": true, "MicroCredential": true,
	"ResearchDoctorate": true, "SecondarySchoolDiploma": true,
}

// identityHash is the IdentityHash of B.7: the algorithm name, a dollar
// sign, and the hexadecimal hash of the identifier with the salt appended.
func identityHash(alg, identifier, salt string) string {
	sum := sha256.Sum256([]byte(identifier + salt))
	return alg + "$" + hex.EncodeToString(sum[:])
}

// normaliseEmail lower-cases the address before it is hashed. The
// specification says nothing about case, but people type their address in
// any case and mail systems treat it so; without this an employer who types
// Jo.Bloggs@nhs.net would be told a badge for jo.bloggs@nhs.net is not theirs.
func normaliseEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

func looksLikeEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>,")
}

// isURI reports whether s is an absolute URI, as the specification's URI
// type requires: a scheme, and no white space.
func isURI(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// dateTimeZ formats t as the specification's DateTimeZ, in UTC and to the
// second, which is also the precision of the JWT nbf and exp claims; the two
// must agree exactly.
func dateTimeZ(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
