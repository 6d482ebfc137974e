// Package casefmt reads and writes a framework version as an IMS (1EdTech)
// Competencies and Academic Standards Exchange (CASE) 1.0 package: one JSON
// object holding a CFDocument, CFItems, CFAssociations and CFDefinitions.
// CASE is how competency frameworks move between tools, so an organisation
// can take upskill's framework into another system, or bring its own in.
//
// # How a version maps to CASE
//
// The framework version is the CFDocument: its title, description and
// identifier; the version number as the version string ("3"); the status as
// adoptionStatus ("Draft", "Adopted" for published, "Deprecated" for
// retired); and the day it was published as statusStartDate. CASE has
// dates only, so the time of day of PublishedAt is not kept, and CreatedAt
// is not written: the store sets both when it imports a version.
//
// The framework itself is a CFSubject in CFDefinitions.CFSubjects, which the
// CFDocument names in subject and subjectURI: the subject's hierarchyCode is
// the framework key ("hcdcf"), its title the framework name and its
// description the framework description. When the first subjectURI of the
// document does not lead to a subject whose hierarchyCode is a valid key, as
// in packages other tools export, the key is made from the document title
// (lower case, with hyphens) and the name is the document title.
//
// Everything else is a CFItem whose CFItemType says what it is, placed in
// the tree by CFAssociations of type isChildOf whose sequenceNumber gives
// the order among siblings. Every CFItemType used is defined in
// CFDefinitions.CFItemTypes and linked from each item by CFItemTypeURI.
//
//   - "Domain": a child of the document. humanCodingScheme is the code,
//     fullStatement the name and notes the description.
//   - "Capability": a child of its domain. humanCodingScheme is the code,
//     fullStatement the statement and notes the guidance. conceptKeywords
//     holds the question type: "scale", "levels" or "yesno".
//   - "Level descriptor": a child of its capability. fullStatement is the
//     descriptor and the sequenceNumber of its isChildOf association is the
//     number of the level it describes, from 1. abbreviatedStatement carries
//     the name of the level for people reading the package; it is not read.
//   - "Level": a child of the document. fullStatement is the name of the
//     level and notes its description; the levels are numbered 1, 2, 3 in
//     the order of their sequenceNumbers.
//   - "Band": a child of the document. fullStatement is the name and notes
//     the description; humanCodingScheme is the score from 0 to 10 at which
//     the band starts, written as a decimal number ("0", "4", "6.5"),
//     because CASE has no numeric field on an item.
//   - "Knowledge check": a child of its domain. humanCodingScheme is the
//     code, fullStatement the question and notes the explanation of the
//     answer. conceptKeywords holds the kind: "single" (choose one) or
//     "multiple" (choose all that apply). The capability the question tests,
//     if any, is named by a CFAssociation of type isRelatedTo from the
//     knowledge check to the capability.
//   - "Answer option": a child of its knowledge check, in order.
//     fullStatement is the text of the option and conceptKeywords holds
//     "correct" or "incorrect".
//
// The types and keywords are matched without regard to case. Association
// types other than isChildOf and isRelatedTo, such as exactMatchOf links to
// other frameworks, are allowed and ignored.
//
// # Packages from other tools
//
// A package with only a document, items and associations imports too: an
// item without one of the types above, or with a type of another tool such
// as "Standard", takes its type from where it is, so the children of the
// document become domains and their children capabilities, asked as
// "scale" questions (and the children of a knowledge check become answer
// options). An item deeper than that is refused, as upskill has two tiers.
// Where the package has no levels or no bands, upskill's usual four levels
// (Aware, Practising, Confident, Leading) and three bands (Developing from
// 0, Capable from 4, Proficient from 7) are supplied; capabilities without
// level descriptors keep none. A domain, capability or knowledge check
// without a humanCodingScheme is given a code from its place, such as "2",
// "2.3" or "2.Q1", with "-2" added if another item already has it. A
// framework key that cannot be made from the title is "case-" and the
// start of the document identifier.
//
// # Identifiers
//
// CASE identifiers are UUIDs. Write uses the identifiers already on the
// version, its domains and capabilities. A version without one gets a new
// random (version 4) UUID; everything else that has none (levels, bands,
// descriptors, questions, options, associations, and domains or
// capabilities not yet given one) gets a name-based (version 5) UUID
// derived from the document identifier and a stable name such as
// "capability/1.2", so that exporting the same version twice gives the
// same identifiers and the same bytes. Read keeps the identifiers of the
// document, domains and capabilities, the only ones upskill stores.
package casefmt

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// kind is what a CFItem is to upskill.
type kind int

const (
	kindNone kind = iota // a type upskill does not know, or none
	kindDomain
	kindCapability
	kindDescriptor
	kindQuestion
	kindOption
	kindLevel
	kindBand
)

// kinds describes each kind: the CFItemType title, the word used in
// messages, and the CFItemType definition written to CFDefinitions. The
// hierarchy codes follow the tree, so that a person browsing the
// definitions sees how the types nest.
var kinds = [...]struct {
	title, word, hierarchyCode, typeCode, description string
}{
	kindNone:       {"", "item", "", "", ""},
	kindDomain:     {"Domain", "domain", "1", "domain", "A group of capabilities."},
	kindCapability: {"Capability", "capability", "1.1", "capability", "A statement a person rates themselves against. conceptKeywords holds the question type: scale, levels or yesno."},
	kindDescriptor: {"Level descriptor", "level descriptor", "1.1.1", "levelDescriptor", "What a capability looks like at one level. The sequenceNumber of its isChildOf association is the level number."},
	kindQuestion:   {"Knowledge check", "knowledge check", "1.2", "knowledgeCheck", "A question that tests a domain. conceptKeywords holds single or multiple; an isRelatedTo association names the capability it tests."},
	kindOption:     {"Answer option", "answer option", "1.2.1", "answerOption", "One answer a knowledge check offers. conceptKeywords holds correct or incorrect."},
	kindLevel:      {"Level", "level", "2", "level", "One step of the level scale, numbered in the order of the sequenceNumbers."},
	kindBand:       {"Band", "band", "3", "band", "A range of scores. humanCodingScheme is the score from 0 to 10 at which it starts."},
}

// kindOf matches a CFItemType title, ignoring case and surrounding spaces.
func kindOf(title string) kind {
	title = strings.TrimSpace(title)
	for k := kindDomain; k <= kindBand; k++ {
		if strings.EqualFold(title, kinds[k].title) {
			return k
		}
	}
	return kindNone
}

// The keywords that carry what CASE has no field for.
const (
	keywordCorrect   = "correct"
	keywordIncorrect = "incorrect"
)

// What Write puts in the fields CASE requires and upskill has no value for.
const (
	creator  = "upskill"
	language = "en-GB"
)

// The JSON of a package as Write produces it, with the fields in the order
// the CASE specification lists them.
type (
	linkURI struct {
		Title      string `json:"title"`
		Identifier string `json:"identifier"`
		URI        string `json:"uri"`
	}

	cfPackage struct {
		CFDocument     cfDocument      `json:"CFDocument"`
		CFItems        []cfItem        `json:"CFItems"`
		CFAssociations []cfAssociation `json:"CFAssociations"`
		CFDefinitions  cfDefinitions   `json:"CFDefinitions"`
	}

	cfDocument struct {
		Identifier         string    `json:"identifier"`
		URI                string    `json:"uri"`
		Creator            string    `json:"creator"`
		Title              string    `json:"title"`
		LastChangeDateTime string    `json:"lastChangeDateTime"`
		Description        string    `json:"description,omitempty"`
		Subject            []string  `json:"subject,omitempty"`
		SubjectURI         []linkURI `json:"subjectURI,omitempty"`
		Language           string    `json:"language,omitempty"`
		Version            string    `json:"version,omitempty"`
		AdoptionStatus     string    `json:"adoptionStatus,omitempty"`
		StatusStartDate    string    `json:"statusStartDate,omitempty"`
		CFPackageURI       linkURI   `json:"CFPackageURI"`
	}

	cfItem struct {
		Identifier           string   `json:"identifier"`
		URI                  string   `json:"uri"`
		FullStatement        string   `json:"fullStatement"`
		HumanCodingScheme    string   `json:"humanCodingScheme,omitempty"`
		AbbreviatedStatement string   `json:"abbreviatedStatement,omitempty"`
		ConceptKeywords      []string `json:"conceptKeywords,omitempty"`
		Notes                string   `json:"notes,omitempty"`
		Language             string   `json:"language"`
		CFItemType           string   `json:"CFItemType"`
		CFItemTypeURI        linkURI  `json:"CFItemTypeURI"`
		LastChangeDateTime   string   `json:"lastChangeDateTime"`
		CFDocumentURI        linkURI  `json:"CFDocumentURI"`
	}

	cfAssociation struct {
		Identifier         string  `json:"identifier"`
		URI                string  `json:"uri"`
		AssociationType    string  `json:"associationType"`
		SequenceNumber     int     `json:"sequenceNumber,omitempty"` // from 1; 0 means none
		OriginNodeURI      linkURI `json:"originNodeURI"`
		DestinationNodeURI linkURI `json:"destinationNodeURI"`
		CFDocumentURI      linkURI `json:"CFDocumentURI"`
		LastChangeDateTime string  `json:"lastChangeDateTime"`
	}

	cfDefinitions struct {
		CFSubjects  []cfSubject  `json:"CFSubjects"`
		CFItemTypes []cfItemType `json:"CFItemTypes"`
	}

	cfSubject struct {
		Identifier         string `json:"identifier"`
		URI                string `json:"uri"`
		Title              string `json:"title"`
		HierarchyCode      string `json:"hierarchyCode"`
		Description        string `json:"description,omitempty"`
		LastChangeDateTime string `json:"lastChangeDateTime"`
	}

	cfItemType struct {
		Identifier         string `json:"identifier"`
		URI                string `json:"uri"`
		Title              string `json:"title"`
		Description        string `json:"description"`
		HierarchyCode      string `json:"hierarchyCode"`
		TypeCode           string `json:"typeCode"`
		LastChangeDateTime string `json:"lastChangeDateTime"`
	}
)

// Sniff reports whether b looks like a CASE package: a JSON object with a
// CFDocument object, possibly wrapped in a CFPackage object as some CASE
// services send it. It reads only as far as it needs, so the first few
// kilobytes of a file are enough, and it tells a CASE package from
// upskill's own JSON, whose top level holds framework and version.
func Sniff(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, byteOrderMark)))
	return sniffObject(dec, true)
}

func sniffObject(dec *json.Decoder, outer bool) bool {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		switch t {
		case "CFDocument":
			t, err := dec.Token()
			return err == nil && t == json.Delim('{')
		case "CFPackage":
			if outer {
				return sniffObject(dec, false)
			}
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// byteOrderMark starts some files saved on Windows; JSON does not allow it.
var byteOrderMark = []byte("\xef\xbb\xbf")

// namespace is the UUID under which upskill derives the identifiers of
// things that are the same in every package it writes, such as the
// CFItemType definitions and the subject of a framework key.
const namespace = "ed48f2b3-e076-4e1a-ac07-ffaecac59989"

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: the runtime aborts if it cannot read
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b[:])
}

// deriveUUID returns the name-based (version 5, SHA-1) UUID of name under
// the namespace UUID ns, which must be valid.
func deriveUUID(ns, name string) string {
	raw, _ := hex.DecodeString(strings.ReplaceAll(ns, "-", ""))
	h := sha1.New()
	h.Write(raw)
	h.Write([]byte(name))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// isUUID reports whether s has the form of a UUID in lower case:
// 8-4-4-4-12 hexadecimal digits. Any version is accepted, since other tools
// use version 1 as often as version 4.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
