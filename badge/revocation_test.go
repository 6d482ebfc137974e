package badge

import (
	"encoding/json"
	"testing"
)

const (
	listURL  = "https://upskill.example/badges/revocations"
	issuerID = "https://upskill.example/organisations/nhs-example"
	first    = "https://upskill.example/badges/credentials/1"
	second   = "https://upskill.example/badges/credentials/2"
)

func TestRevocationListRoundTrip(t *testing.T) {
	list, err := RevocationList(listURL, issuerID, []RevokedCredential{
		{ID: first, Reason: "Awarded to the wrong learner."},
		{ID: second},
		{ID: first, Reason: "A repeat is listed once."},
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ID                 string           `json:"id"`
		Issuer             string           `json:"issuer"`
		RevokedCredentials []map[string]any `json:"revokedCredentials"`
	}
	if err := json.Unmarshal(list, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != listURL || doc.Issuer != issuerID || len(doc.RevokedCredentials) != 2 {
		t.Fatalf("list = %s", list)
	}
	if e := doc.RevokedCredentials[1]; e["id"] != second || e["revoked"] != true || e["revocationReason"] != nil {
		t.Errorf("entry = %v", e)
	}

	for _, c := range []struct {
		id     string
		want   bool
		reason string
	}{
		{first, true, "Awarded to the wrong learner."},
		{second, true, ""},
		{"https://upskill.example/badges/credentials/3", false, ""},
		{"", false, ""},
	} {
		got, reason, err := Revoked(list, c.id)
		if err != nil || got != c.want || reason != c.reason {
			t.Errorf("Revoked(%q) = %v, %q, %v; want %v, %q", c.id, got, reason, err, c.want, c.reason)
		}
	}

	empty, err := RevocationList(listURL, issuerID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(empty) != `{"id":"`+listURL+`","issuer":"`+issuerID+`","revokedCredentials":[]}` {
		t.Errorf("empty list = %s", empty)
	}
	if got, _, err := Revoked(empty, first); got || err != nil {
		t.Errorf("empty list: %v, %v", got, err)
	}
}

func TestRevocationListRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		name, id, issuer string
		revoked          []RevokedCredential
	}{
		{"relative id", "revocations", issuerID, nil},
		{"no issuer", listURL, "", nil},
		{"entry without ID", listURL, issuerID, []RevokedCredential{{Reason: "?"}}},
	} {
		if _, err := RevocationList(c.id, c.issuer, c.revoked); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestRevokedReadsOtherIssuersLists(t *testing.T) {
	for _, c := range []struct {
		name string
		list string
		want bool
		err  bool
	}{
		{"revoked left out means revoked", `{"id":"x","issuer":"y","revokedCredentials":[{"id":"` + first + `"}]}`, true, false},
		{"revoked false means reinstated", `{"revokedCredentials":[{"id":"` + first + `","revoked":false}]}`, false, false},
		{"singular name", `{"revokedCredential":[{"id":"` + first + `","revoked":true}]}`, true, false},
		{"not JSON", `<html>Not found</html>`, false, true},
		{"no list in it", `{"id":"x"}`, false, true},
		{"list of the wrong shape", `{"revokedCredentials":"` + first + `"}`, false, true},
		{"null", `null`, false, true},
	} {
		got, _, err := Revoked([]byte(c.list), first)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("%s: got %v, %v", c.name, got, err)
		}
	}
}
