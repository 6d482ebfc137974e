package badge

import (
	"encoding/json"
	"fmt"
	"strings"
)

// RevokedCredential is one badge the issuer has withdrawn, for example
// because it was awarded in error. Reason is shown to whoever checks it.
type RevokedCredential struct {
	ID     string // the credential's ID, as in the badge
	Reason string // optional
}

// revocationList is the document a 1EdTechRevocationList status URL serves:
// the list's own id, the issuer, and the withdrawn credentials.
type revocationList struct {
	ID                 string         `json:"id"`
	Issuer             string         `json:"issuer"`
	RevokedCredentials []revokedEntry `json:"revokedCredentials"`
	// Some implementations write the singular name; we read it, never write it.
	RevokedCredential []revokedEntry `json:"revokedCredential,omitempty"`
}

type revokedEntry struct {
	ID               string `json:"id"`
	Revoked          *bool  `json:"revoked,omitempty"` // absent means revoked
	RevocationReason string `json:"revocationReason,omitempty"`
}

// RevocationList builds the document to serve at a badge's status URL. id is
// that URL (the credentialStatus id in every badge that uses the list) and
// issuer is the issuer's ID. The list is public, so it holds only credential
// IDs and reasons, never anything about the learner. An empty list is
// still a list: it tells verifiers that nothing has been revoked.
func RevocationList(id string, issuer string, revoked []RevokedCredential) ([]byte, error) {
	if !isURI(id) {
		return nil, fmt.Errorf("badge: the revocation list's id must be an absolute URL, not %q", id)
	}
	if !isURI(issuer) {
		return nil, fmt.Errorf("badge: the revocation list's issuer must be an absolute URL, not %q", issuer)
	}
	list := revocationList{ID: id, Issuer: issuer, RevokedCredentials: []revokedEntry{}}
	seen := map[string]bool{}
	for _, r := range revoked {
		if strings.TrimSpace(r.ID) == "" {
			return nil, fmt.Errorf("badge: a revoked credential has no ID")
		}
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		yes := true
		list.RevokedCredentials = append(list.RevokedCredentials, revokedEntry{ID: r.ID, Revoked: &yes, RevocationReason: r.Reason})
	}
	return jsonMarshal(list)
}

// Revoked reports whether the credential with credentialID appears in the
// revocation list listJSON, and the reason given if so. An entry counts when
// its revoked flag is true or left out; an entry with revoked false has been
// reinstated. A list that cannot be read is an error, never "not revoked",
// so that a broken list does not pass a withdrawn badge.
func Revoked(listJSON []byte, credentialID string) (bool, string, error) {
	var list revocationList
	if err := json.Unmarshal(listJSON, &list); err != nil {
		return false, "", fmt.Errorf("badge: the revocation list cannot be read: %w", err)
	}
	if list.RevokedCredentials == nil && list.RevokedCredential == nil {
		return false, "", fmt.Errorf("badge: the revocation list has no revokedCredentials")
	}
	for _, entries := range [][]revokedEntry{list.RevokedCredentials, list.RevokedCredential} {
		for _, e := range entries {
			if e.ID == credentialID && credentialID != "" && (e.Revoked == nil || *e.Revoked) {
				return true, e.RevocationReason, nil
			}
		}
	}
	return false, "", nil
}
