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

// Open Badges for completed learning and for reaching the target in a
// domain of the assessment. The service is the issuer: it signs each badge
// with a key kept in the database, publishes the public key and the status
// lists that say which badges are revoked, and has a public page where
// anyone can check a badge.

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

// badgeSite is where this service publishes what its badges name.
func (s *Server) badgeSite() badge.Site { return badge.Site{URL: s.cfg.PublicURL} }

func (s *Server) badgeIssuer() badge.Issuer { return s.badgeSite().Issuer() }

// badgeID makes the random id of a badge's public address.
func badgeID() string {
	raw := make([]byte, 16)
	rand.Read(raw)
	return hex.EncodeToString(raw)
}

// signAward signs award with the service's key, at the status list bit
// the store gives it.
func (s *Server) signAward(key ed25519.PrivateKey, award badge.Award) store.BadgeSigner {
	return func(list, index int) (string, error) { return s.badgeSite().Sign(award, key, list, index) }
}

func (s *Server) statusListURL(list int) string { return s.badgeSite().StatusList(list) }

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
	return s.issue(ctx, store.Badge{EnrolmentID: enrolmentID, PersonID: a.PersonID, Title: c.Title}, func(id, salt string) badge.Award {
		return s.badgeSite().CompletionAward(id, a.Email, salt, badge.Completion{ItemID: c.ItemID, Title: c.Title, Summary: c.Summary,
			Version: c.Version, PassMark: c.PassMark, CompletedAt: c.CompletedAt})
	})
}

// issue signs and stores a new badge: row says what it is for, and award
// makes what it says under its public id and recipient salt.
func (s *Server) issue(ctx context.Context, row store.Badge, award func(id, salt string) badge.Award) (*store.Badge, error) {
	key, err := s.badgeKey(ctx)
	if err != nil {
		return nil, err
	}
	salt, err := badge.NewSalt()
	if err != nil {
		return nil, err
	}
	row.ID, row.IssuedAt = badgeID(), time.Now().UTC()
	return s.store.IssueBadge(ctx, row, s.signAward(key, award(row.ID, salt)))
}

// domainAchievement describes reaching the target in a domain.
func (s *Server) domainAchievement(fw *upskill.Framework, d *upskill.Domain) badge.Achievement {
	return s.badgeSite().DomainAchievement(fw.Key, fw.Name, d.Code, d.Name)
}

// issueDomainBadge issues the badge for reaching the target in a domain of
// one of the actor's submitted attempts, or returns the one already issued.
func (s *Server) issueDomainBadge(ctx context.Context, a *upskill.Actor, att *upskill.Attempt, v *upskill.FrameworkVersion, code string) (*store.Badge, error) {
	if b, err := s.store.DomainBadgeFor(ctx, a.PersonID, att.ID, code); err == nil {
		return b, nil
	} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
		return nil, err
	}
	if !att.Submitted() {
		return nil, upskill.Errorf(upskill.EINVALID, "Submit the assessment first.")
	}
	var reached *upskill.DomainResult
	for _, d := range upskill.Score(v, att.Answers, att.Checks).DomainsReached() {
		if d.Code == code {
			reached = &d
		}
	}
	domain := v.Domain(code)
	if domain == nil {
		return nil, upskill.Errorf(upskill.ENOTFOUND, "There is no such domain.")
	}
	if reached == nil {
		return nil, upskill.Errorf(upskill.EINVALID, "You have not reached the level your role needs in %s in this assessment.", domain.Name)
	}
	fw, err := s.store.Framework(ctx, v.FrameworkID)
	if err != nil {
		return nil, err
	}
	ach := s.domainAchievement(fw, domain)
	return s.issue(ctx, store.Badge{AttemptID: att.ID, DomainCode: code, PersonID: a.PersonID, Title: ach.Name}, func(id, salt string) badge.Award {
		return s.badgeSite().DomainAward(id, a.Email, salt, ach, att.SubmittedAt)
	})
}

// getDomainBadge issues the badge of a domain of an attempt at the
// learner's request.
func (s *Server) getDomainBadge(w http.ResponseWriter, r *request) error {
	a, v, err := s.attemptOf(r)
	if err != nil {
		return err
	}
	if _, err := s.issueDomainBadge(r.Context(), r.actor, a, v, r.PathValue("domain")); err != nil {
		return err
	}
	s.setFlash(w, "Your badge is ready. Download it, or share the link where anyone can check it.")
	return redirect(w, r, attemptURL(a.ID)+"/report#badges")
}

// domainBadgeFile downloads the signed badge of a domain of an attempt.
func (s *Server) domainBadgeFile(w http.ResponseWriter, r *request) error {
	id, err := r.pathID("attempt")
	if err != nil {
		return err
	}
	b, err := s.store.DomainBadgeFor(r.Context(), r.actor.PersonID, id, r.PathValue("domain"))
	if err != nil {
		return err
	}
	return sendBadge(w, b)
}

func sendBadge(w http.ResponseWriter, b *store.Badge) error {
	h := w.Header()
	h.Set("Content-Type", "application/jwt")
	h.Set("Content-Disposition", `attachment; filename="badge-`+b.ID+`.jwt"`)
	h.Set("Cache-Control", "no-store")
	_, err := w.Write([]byte(b.Token))
	return err
}

// badgeStatusList publishes a Bitstring Status List: the bits of the
// badges it holds, set for those revoked, signed by the service.
func (s *Server) badgeStatusList(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	list, err := strconv.Atoi(r.PathValue("list"))
	if err != nil || list < 1 {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such status list.")
	}
	last, err := s.store.LastStatusList(ctx)
	if err != nil {
		return err
	}
	// The first list is published before any badge names it.
	if list > max(last, 1) {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such status list.")
	}
	revoked, err := s.store.RevokedInList(ctx, list)
	if err != nil {
		return err
	}
	key, err := s.badgeKey(ctx)
	if err != nil {
		return err
	}
	token, err := badge.StatusList(s.statusListURL(list), s.badgeIssuer(), revoked, time.Now(), key,
		s.badgeSite().KeyURL(key.Public().(ed25519.PublicKey)))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/vc+jwt")
	// Verifiers may keep it a few minutes; a revocation shows within that.
	h.Set("Cache-Control", "public, max-age=300")
	_, err = w.Write([]byte(token))
	return err
}

// AchievementView is the public page of what a domain badge recognises.
type AchievementView struct {
	Page
	Achievement badge.Achievement
}

func (s *Server) badgeAchievement(w http.ResponseWriter, r *request) error {
	fw, v, err := s.store.PublishedVersion(r.Context(), r.PathValue("framework"))
	if err != nil {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such badge.")
	}
	d := v.Domain(r.PathValue("domain"))
	if d == nil {
		return upskill.Errorf(upskill.ENOTFOUND, "There is no such badge.")
	}
	view := &AchievementView{Achievement: s.domainAchievement(fw, d)}
	view.Title = view.Achievement.Name
	return s.render(w, r, http.StatusOK, "achievement.html", view, &view.Page)
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
	return sendBadge(w, b)
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
	check := &BadgeCheck{ID: s.badgeSite().Credential(id), Recipient: b.PersonName}
	v, err := s.verifyOwn(ctx, b.Token)
	if err != nil {
		if upskill.ErrorCode(err) == upskill.EINTERNAL {
			return nil, err
		}
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

// verifyOwn checks a badge token against the service's own signing key.
func (s *Server) verifyOwn(ctx context.Context, token string) (*badge.Verified, error) {
	key, err := s.badgeKey(ctx)
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	kid := s.badgeSite().KeyURL(pub)
	return badge.Verify(token, func(k string) (ed25519.PublicKey, error) {
		if k != kid {
			return nil, badge.ErrUnknownKey
		}
		return pub, nil
	}, time.Now())
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
		list = append(list, badge.RevokedCredential{ID: s.badgeSite().Credential(b.ID), Reason: b.RevocationReason})
	}
	doc, err := badge.RevocationList(s.badgeSite().RevocationList(), s.badgeIssuer().ID, list)
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

// DomainBadgeToken returns the signed badge for reaching the target in a
// domain of one of a person's submitted attempts, issuing it the first
// time, with its public address.
func (s *Server) DomainBadgeToken(ctx context.Context, actor *upskill.Actor, attemptID int64, domain string) (token, address string, err error) {
	a, err := s.store.Attempt(ctx, actor.PersonID, attemptID)
	if err != nil {
		return "", "", err
	}
	v, err := s.store.Version(ctx, a.VersionID)
	if err != nil {
		return "", "", err
	}
	b, err := s.issueDomainBadge(ctx, actor, a, v, domain)
	if err != nil {
		return "", "", err
	}
	return b.Token, s.badgeSite().Credential(b.ID), nil
}

// BadgeToken returns the signed badge of one of a person's completions of
// badge-bearing learning, issuing it the first time, with its public
// address.
func (s *Server) BadgeToken(ctx context.Context, actor *upskill.Actor, enrolmentID int64) (token, address string, err error) {
	b, err := s.issueBadge(ctx, actor, enrolmentID)
	if err != nil {
		return "", "", err
	}
	return b.Token, s.badgeSite().Credential(b.ID), nil
}
