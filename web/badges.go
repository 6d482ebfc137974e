package web

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"upskill"
	"upskill/badge"
	"upskill/store"
)

// Open Badges for completed learning. The service is the issuer: it signs
// each badge with a key kept in the database, publishes the public key and
// a revocation list, and has a public page where anyone can check a badge.

// badgeKey returns the key that signs badges.
func (s *Server) badgeKey(ctx context.Context) (ed25519.PrivateKey, error) {
	s.badgeMu.Lock()
	defer s.badgeMu.Unlock()
	if s.badgeSigner != nil {
		return s.badgeSigner, nil
	}
	seed, err := s.store.BadgeSeed(ctx)
	if err != nil {
		return nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, errors.New("web: the badge signing seed has the wrong length")
	}
	s.badgeSigner = ed25519.NewKeyFromSeed(seed)
	return s.badgeSigner, nil
}

func (s *Server) publicLink(path ...string) string { return s.cfg.PublicURL.JoinPath(path...).String() }

func (s *Server) badgeIssuer() badge.Issuer {
	return badge.Issuer{ID: s.publicLink("badge-issuer"), Name: "upskill", URL: s.publicLink()}
}

// issueBadge issues the badge of one of the actor's completions of
// badge-bearing learning, or returns the one already issued.
func (s *Server) issueBadge(ctx context.Context, a *upskill.Actor, enrolmentID int64) (*store.Badge, error) {
	if b, err := s.store.BadgeFor(ctx, a.PersonID, enrolmentID); err == nil {
		return b, nil
	} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return nil, err
	}
	c, err := s.store.CompletionOf(ctx, a.PersonID, enrolmentID)
	if err != nil {
		return nil, err
	}
	if !c.BadgeBearing {
		return nil, upskill.Errorf(upskill.EINVALID, "This learning does not earn a badge.")
	}
	key, err := s.badgeKey(ctx)
	if err != nil {
		return nil, err
	}
	salt, err := badge.NewSalt()
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	id := hex.EncodeToString(raw)
	description := c.Summary
	if description == "" {
		description = c.Title
	}
	criteria := "Complete version " + strconv.Itoa(c.Version) + " of " + c.Title + " on upskill"
	if c.PassMark > 0 {
		criteria += ", seeing every page and answering at least " + strconv.Itoa(c.PassMark) + "% of its questions correctly"
	}
	award := badge.Award{
		ID: s.publicLink("badges", id), Recipient: a.Email, Salt: salt, IssuedAt: c.CompletedAt, Name: c.Title,
		Achievement: badge.Achievement{ID: s.publicLink("learning", strconv.FormatInt(c.ItemID, 10)), Name: c.Title,
			Description: description, Criteria: criteria + "."},
		Issuer: s.badgeIssuer(), StatusURL: s.publicLink("badge-revocations"),
	}
	token, _, err := badge.Issue(award, key, s.publicLink("badge-keys", badge.KeyID(key.Public().(ed25519.PublicKey))))
	if err != nil {
		return nil, err
	}
	return s.store.SaveBadge(ctx, store.Badge{ID: id, EnrolmentID: enrolmentID, PersonID: a.PersonID, Token: token, IssuedAt: time.Now().UTC()})
}

// getBadge issues the badge of a completion at the learner's request.
func (s *Server) getBadge(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("enrolment")
	if err != nil {
		return err
	}
	if _, err := s.issueBadge(r.Context(), r.actor, id); err != nil {
		return err
	}
	s.setFlash(w, "Your badge is ready. Download it, or share the link where anyone can check it.")
	return redirect(w, r, "/my-learning")
}

// badgeFile downloads the signed badge of one of the learner's completions.
func (s *Server) badgeFile(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("enrolment")
	if err != nil {
		return err
	}
	b, err := s.store.BadgeFor(r.Context(), r.actor.PersonID, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/jwt")
	h.Set("Content-Disposition", `attachment; filename="badge-`+b.ID+`.jwt"`)
	h.Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(b.Token))
	return err
}

// BadgeCheck is the outcome of checking a badge, for the public page and
// the JSON endpoint.
type BadgeCheck struct {
	Valid       bool      `json:"valid"`
	Message     string    `json:"message"`
	ID          string    `json:"id"`
	Achievement string    `json:"achievement,omitempty"`
	Criteria    string    `json:"criteria,omitempty"`
	Issuer      string    `json:"issuer,omitempty"`
	IssuedAt    time.Time `json:"issued_at,omitzero"`
	Revoked     bool      `json:"revoked"`
	Reason      string    `json:"revocation_reason,omitempty"`
	Recipient   string    `json:"recipient,omitempty"` // the name, shown on the page only
}

// checkBadge verifies a stored badge's signature with the service's key
// and looks at whether it has been revoked.
func (s *Server) checkBadge(ctx context.Context, id string) (*BadgeCheck, error) {
	b, err := s.store.BadgeByID(ctx, id)
	if err != nil {
		return nil, err
	}
	key, err := s.badgeKey(ctx)
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	kid := s.publicLink("badge-keys", badge.KeyID(pub))
	check := &BadgeCheck{ID: s.publicLink("badges", id), Recipient: b.PersonName}
	v, err := badge.Verify(b.Token, func(k string) (ed25519.PublicKey, error) {
		if k != kid {
			return nil, badge.ErrUnknownKey
		}
		return pub, nil
	}, time.Now())
	if err != nil {
		check.Message = upskill.ErrorMessage(err)
		return check, nil
	}
	check.Achievement, check.Criteria, check.Issuer, check.IssuedAt = v.Achievement.Name, v.Achievement.Criteria, v.Issuer.Name, v.IssuedAt
	if b.Revoked() {
		check.Revoked, check.Reason = true, b.RevocationReason
		check.Message = "This badge was revoked on " + formatDate(b.RevokedAt) + ". The reason given: " + b.RevocationReason
		return check, nil
	}
	check.Valid = true
	check.Message = "This badge is genuine: upskill issued it and it has not been revoked."
	return check, nil
}

// BadgeView is the public page of a badge.
type BadgeView struct {
	Page
	Check *BadgeCheck
}

func (s *Server) badgePage(w http.ResponseWriter, r *request) error {
	check, err := s.checkBadge(r.Context(), r.PathValue("badge"))
	if err != nil {
		return err
	}
	v := &BadgeView{Check: check}
	v.Title = "Check a badge"
	return s.render(w, r, http.StatusOK, "badge.html", v, &v.Page)
}

func (s *Server) badgeVerify(w http.ResponseWriter, r *request) error {
	check, err := s.checkBadge(r.Context(), r.PathValue("badge"))
	if err != nil {
		return err
	}
	check.Recipient = "" // a name is for the page, where the holder shows it
	return writeJSONBody(w, check)
}

// badgeKeyDoc publishes the public key that signs badges, at the address
// the badges name.
func (s *Server) badgeKeyDoc(w http.ResponseWriter, r *request) error {
	key, err := s.badgeKey(r.Context())
	if err != nil {
		return err
	}
	pub := key.Public().(ed25519.PublicKey)
	if r.PathValue("kid") != badge.KeyID(pub) {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such key.")
	}
	doc, err := badge.PublicJWK(pub)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/jwk+json")
	_, err = w.Write(doc)
	return err
}

func (s *Server) badgeRevocations(w http.ResponseWriter, r *request) error {
	revoked, err := s.store.RevokedBadges(r.Context())
	if err != nil {
		return err
	}
	var list []badge.RevokedCredential
	for _, b := range revoked {
		list = append(list, badge.RevokedCredential{ID: s.publicLink("badges", b.ID), Reason: b.RevocationReason})
	}
	doc, err := badge.RevocationList(s.publicLink("badge-revocations"), s.badgeIssuer().ID, list)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(doc)
	return err
}

func (s *Server) badgeIssuerDoc(w http.ResponseWriter, r *request) error {
	i := s.badgeIssuer()
	return writeJSONBody(w, map[string]any{
		"@context": []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":       i.ID, "type": []string{"Profile"}, "name": i.Name, "url": i.URL,
	})
}

func writeJSONBody(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

// OrgBadgesView lists the badges issued for an organisation's learning,
// for its admins.
type OrgBadgesView struct {
	Page
	Org    *upskill.Organisation
	Badges []store.Badge
}

func (s *Server) orgBadges(w http.ResponseWriter, r *request) error {
	list, err := s.store.OrganisationBadges(r.Context(), r.org.ID, 200)
	if err != nil {
		return err
	}
	v := &OrgBadgesView{Org: r.org, Badges: list}
	v.Title = "Badges"
	if v.Crumbs, err = s.trail(r.Context(), r, r.org, true); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "org_badges.html", v, &v.Page)
}

func (s *Server) revokeBadge(w http.ResponseWriter, r *request) error {
	err := s.store.RevokeBadge(r.Context(), r.actor.PersonID, r.org.ID, r.PathValue("badge"), r.PostForm.Get("reason"))
	switch upskill.ErrorCode(err) {
	case "":
		s.setFlash(w, "The badge has been revoked. Anyone who checks it will see that, with your reason.")
	case upskill.EINVALID, upskill.ECONFLICT:
		s.setFlash(w, upskill.ErrorMessage(err))
	default:
		return err
	}
	return redirect(w, r, orgURL(r.org.ID)+"/badges")
}

// BadgeToken returns the signed badge of one of a person's completions of
// badge-bearing learning, issuing it the first time, with its public
// address.
func (s *Server) BadgeToken(ctx context.Context, actor *upskill.Actor, enrolmentID int64) (token, address string, err error) {
	b, err := s.issueBadge(ctx, actor, enrolmentID)
	if err != nil {
		return "", "", err
	}
	return b.Token, s.publicLink("badges", b.ID), nil
}
