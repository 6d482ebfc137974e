package badge

import (
	"crypto/ed25519"
	"net/url"
	"strconv"
	"time"
)

// Site is where a deployment publishes what its badges name: the badges
// themselves, the key that signs them, the issuer, the status lists and
// what each badge is for. Every signed badge carries these addresses, so
// the service that serves them and anything else that issues badges for
// it (such as the demonstration data) build them here, the same way.
type Site struct {
	URL *url.URL // the address people use, as --public-url gives it
}

func (s Site) link(path ...string) string { return s.URL.JoinPath(path...).String() }

// Issuer is the service as the issuer of every badge.
func (s Site) Issuer() Issuer {
	return Issuer{ID: s.link("badge-issuer"), Name: "upskill", URL: s.link()}
}

// Credential is the public address of the badge with the given id.
func (s Site) Credential(id string) string { return s.link("badges", id) }

// KeyURL is where the public half of key is published.
func (s Site) KeyURL(pub ed25519.PublicKey) string { return s.link("badge-keys", KeyID(pub)) }

// StatusList is the address of status list number n, from 1.
func (s Site) StatusList(n int) string { return s.link("badge-status", strconv.Itoa(n)) }

// RevocationList is the older 1EdTech revocation list, which badges issued
// before status lists name.
func (s Site) RevocationList() string { return s.link("badge-revocations") }

// Completion is what a badge for completed learning says of it.
type Completion struct {
	ItemID      int64
	Title       string
	Summary     string
	Version     int
	PassMark    int // percent, 0 for none
	CompletedAt time.Time
}

// CompletionAward is the award for a completion of badge-bearing learning,
// to the learner with the given email address, under badge id with salt.
// Status is left for the issuer to fill in.
func (s Site) CompletionAward(id, email, salt string, c Completion) Award {
	description := c.Summary
	if description == "" {
		description = c.Title
	}
	criteria := "Complete version " + strconv.Itoa(c.Version) + " of " + c.Title + " on upskill"
	if c.PassMark > 0 {
		criteria += ", seeing every page and answering at least " + strconv.Itoa(c.PassMark) + "% of its questions correctly"
	}
	return Award{
		ID: s.Credential(id), Recipient: email, Salt: salt, IssuedAt: c.CompletedAt, Name: c.Title,
		Achievement: Achievement{ID: s.link("learning", strconv.FormatInt(c.ItemID, 10)), Name: c.Title,
			Description: description, Criteria: criteria + "."},
		Issuer: s.Issuer(),
	}
}

// DomainAchievement describes reaching the target in a domain of a
// framework: one Achievement for everyone who reaches it, at a public
// address.
func (s Site) DomainAchievement(frameworkKey, frameworkName, domainCode, domainName string) Achievement {
	return Achievement{
		ID:   s.link("badge-achievements", frameworkKey, domainCode),
		Name: domainName + ": the level my role needs",
		Description: "Reached the level of digital skill their role needs in " + domainName + ", a domain of " + frameworkName +
			", in a self-assessment on upskill.",
		Criteria: "In a submitted assessment against " + frameworkName + ", rate every statement of the " + domainName +
			" domain at or above the level your role needs, with answers to the domain's knowledge questions, where it has them," +
			" that do not suggest the ratings are higher than your knowledge.",
		Type: "Assessment",
	}
}

// DomainAward is the award for reaching the target in a domain, in an
// assessment submitted at submitted.
func (s Site) DomainAward(id, email, salt string, a Achievement, submitted time.Time) Award {
	return Award{ID: s.Credential(id), Recipient: email, Salt: salt, IssuedAt: submitted, Name: a.Name, Achievement: a, Issuer: s.Issuer()}
}

// Sign issues award with key, its revocation bit at index of status list
// number list.
func (s Site) Sign(award Award, key ed25519.PrivateKey, list, index int) (string, error) {
	award.Status = StatusEntry{ListURL: s.StatusList(list), Index: index}
	token, _, err := Issue(award, key, s.KeyURL(key.Public().(ed25519.PublicKey)))
	return token, err
}
