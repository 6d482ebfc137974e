package casefmt

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"upskill"
)

// Write writes version v of framework fw as a CASE package. Every URI is
// baseURI followed by a slash and the identifier, such as
// https://upskill.example/case/<identifier>; with no baseURI the URIs are
// urn:uuid:<identifier>. now is the lastChangeDateTime of everything, so
// that the same version and now give the same bytes, as long as the
// version has an identifier. Write checks the version first and refuses
// one that Validate refuses, so that what it writes can be read back.
//
// CASE repeats links and dates on every item and association, so a
// package is several times the size of upskill's own JSON: about 1.6 kB
// for each item, where an item is a domain, capability, level descriptor,
// level, band, knowledge check or answer option. Read takes at most
// framework.MaxFileSize, about 1,200 such items; the default framework
// has 264.
func Write(w io.Writer, fw *upskill.Framework, v *upskill.FrameworkVersion, baseURI string, now time.Time) error {
	if fw == nil || v == nil {
		return errors.New("casefmt: Write needs a framework and a version")
	}
	var p upskill.Problems
	if msg := upskill.ValidateFrameworkKey(fw.Key); msg != "" {
		p.Add("framework.key", msg)
	}
	if strings.TrimSpace(fw.Name) == "" {
		p.Add("framework.name", "Enter the name of the framework")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	base := strings.TrimRight(baseURI, "/")
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("casefmt: the base URI %q is not an absolute URL", baseURI)
		}
	}
	pw := &packageWriter{base: base, stamp: now.UTC().Format(time.RFC3339), used: map[string]string{}}
	pkg, err := pw.build(fw, v)
	if err != nil {
		return err
	}
	// Compact, not indented: a CASE package repeats links and dates on
	// every item and association, and indenting them would add a fifth to
	// a file that must stay under framework.MaxFileSize to be read back.
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep "&" and "<" readable in statements
	return enc.Encode(pkg)
}

// packageWriter builds a package, keeping track of the identifiers used.
type packageWriter struct {
	base  string
	stamp string
	docID string
	doc   linkURI
	used  map[string]string // identifier to where it is used, in upskill's terms
	types map[kind]linkURI
	pkg   cfPackage
}

func (pw *packageWriter) uri(id string) string {
	if pw.base == "" {
		return "urn:uuid:" + id
	}
	return pw.base + "/" + id
}

func (pw *packageWriter) link(title, id string) linkURI {
	return linkURI{Title: title, Identifier: id, URI: pw.uri(id)}
}

// reserve claims the identifiers already on the version, its domains and
// its capabilities, before any are derived, so that a derived identifier
// can never take one of them. Two things with the same identifier are an
// error: CASE requires every identifier to be unique.
func (pw *packageWriter) reserve(field, id string) (string, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !isUUID(id) {
		// Not a UUID, so not a CASE identifier: one is derived instead.
		return "", nil
	}
	if other, ok := pw.used[id]; ok {
		return "", &upskill.Error{Code: upskill.EINVALID, Message: "Two parts of the framework have the same identifier",
			Fields: []upskill.FieldError{{Field: field, Message: "The identifier " + id + " is used twice: here and at " + other}}}
	}
	pw.used[id] = field
	return id, nil
}

// derive returns the identifier of something without one of its own,
// named by a path that is stable from one export to the next. In the
// unlikely case that it is taken, the next name in a numbered series is
// tried, so that the result stays deterministic.
func (pw *packageWriter) derive(field, name string) string {
	id := deriveUUID(pw.docID, name)
	for n := 2; pw.used[id] != ""; n++ {
		id = deriveUUID(pw.docID, name+"#"+strconv.Itoa(n))
	}
	pw.used[id] = field
	return id
}

// shared returns the identifier of a definition that is the same in every
// package upskill writes, unless the version already uses it for something
// else, when one of this package's own is derived instead.
func (pw *packageWriter) shared(name string) string {
	id := deriveUUID(namespace, name)
	if pw.used[id] != "" {
		return pw.derive("definition", name)
	}
	pw.used[id] = "definition"
	return id
}

// item adds a CFItem of kind k and returns the link to it.
func (pw *packageWriter) item(k kind, id string, it cfItem) linkURI {
	it.Identifier = id
	it.URI = pw.uri(id)
	it.Language = language
	it.CFItemType = kinds[k].title
	it.CFItemTypeURI = pw.itemType(k)
	it.LastChangeDateTime = pw.stamp
	it.CFDocumentURI = pw.doc
	pw.pkg.CFItems = append(pw.pkg.CFItems, it)
	return pw.link(linkTitle(it.HumanCodingScheme, it.FullStatement), id)
}

// itemType returns the link to the definition of kind k, defining it the
// first time it is used. Its identifier is the same in every package, so
// that a tool holding several upskill frameworks sees one Capability type.
func (pw *packageWriter) itemType(k kind) linkURI {
	if l, ok := pw.types[k]; ok {
		return l
	}
	d := kinds[k]
	id := pw.shared("CFItemType/" + d.title)
	pw.pkg.CFDefinitions.CFItemTypes = append(pw.pkg.CFDefinitions.CFItemTypes, cfItemType{
		Identifier: id, URI: pw.uri(id), Title: d.title, Description: d.description,
		HierarchyCode: d.hierarchyCode, TypeCode: d.typeCode, LastChangeDateTime: pw.stamp,
	})
	l := pw.link(d.title, id)
	pw.types[k] = l
	return l
}

// associate adds a CFAssociation from origin to destination. Its
// identifier is derived from the type and the origin, which is unique
// because every item has one parent and every knowledge check at most one
// capability.
func (pw *packageWriter) associate(typ string, origin, destination linkURI, seq int) {
	id := pw.derive("association", typ+"/"+origin.Identifier)
	pw.pkg.CFAssociations = append(pw.pkg.CFAssociations, cfAssociation{
		Identifier: id, URI: pw.uri(id), AssociationType: typ, SequenceNumber: seq,
		OriginNodeURI: origin, DestinationNodeURI: destination,
		CFDocumentURI: pw.doc, LastChangeDateTime: pw.stamp,
	})
}

func (pw *packageWriter) build(fw *upskill.Framework, v *upskill.FrameworkVersion) (*cfPackage, error) {
	// The document identifier comes first, since every derived identifier
	// hangs from it.
	docID, err := pw.reserve("identifier", v.Identifier)
	if err != nil {
		return nil, err
	}
	if docID == "" {
		docID = newUUID()
		pw.used[docID] = "identifier"
	}
	pw.docID = docID
	domainIDs := make([]string, len(v.Domains))
	capIDs := make([][]string, len(v.Domains))
	for i, d := range v.Domains {
		if domainIDs[i], err = pw.reserve(fmt.Sprintf("domains[%d].identifier", i), d.Identifier); err != nil {
			return nil, err
		}
		capIDs[i] = make([]string, len(d.Capabilities))
		for j, c := range d.Capabilities {
			if capIDs[i][j], err = pw.reserve(fmt.Sprintf("domains[%d].capabilities[%d].identifier", i, j), c.Identifier); err != nil {
				return nil, err
			}
		}
	}

	pw.doc = pw.link(v.Title, docID)
	pw.types = map[kind]linkURI{}
	subjectID := pw.shared("CFSubject/" + fw.Key)
	subject := pw.link(fw.Name, subjectID)
	pw.pkg.CFDefinitions.CFSubjects = []cfSubject{{
		Identifier: subjectID, URI: subject.URI, Title: fw.Name, HierarchyCode: fw.Key,
		Description: fw.Description, LastChangeDateTime: pw.stamp,
	}}
	pw.pkg.CFDocument = cfDocument{
		Identifier: docID, URI: pw.doc.URI, Creator: creator, Title: v.Title,
		LastChangeDateTime: pw.stamp, Description: v.Description,
		Subject: []string{fw.Name}, SubjectURI: []linkURI{subject},
		Language: language, AdoptionStatus: adoptionStatus(v.Status),
		CFPackageURI: pw.doc,
	}
	if v.Number != 0 {
		pw.pkg.CFDocument.Version = strconv.Itoa(v.Number)
	}
	if !v.PublishedAt.IsZero() {
		pw.pkg.CFDocument.StatusStartDate = v.PublishedAt.UTC().Format(time.DateOnly)
	}

	// The children of the document are numbered in one series, domains
	// first, so that a CASE viewer shows them in a sensible order.
	seq := 0
	capLinks := map[string]linkURI{}
	domainLinks := map[string]linkURI{}
	for i, d := range v.Domains {
		id := domainIDs[i]
		if id == "" {
			id = pw.derive(fmt.Sprintf("domains[%d]", i), "domain/"+d.Code)
		}
		dl := pw.item(kindDomain, id, cfItem{FullStatement: d.Name, HumanCodingScheme: d.Code, Notes: d.Description})
		seq++
		pw.associate("isChildOf", dl, pw.doc, seq)
		domainLinks[d.Code] = dl
		for j, c := range d.Capabilities {
			capID := capIDs[i][j]
			if capID == "" {
				capID = pw.derive(fmt.Sprintf("domains[%d].capabilities[%d]", i, j), "capability/"+c.Code)
			}
			cl := pw.item(kindCapability, capID, cfItem{FullStatement: c.Statement, HumanCodingScheme: c.Code,
				Notes: c.Guidance, ConceptKeywords: []string{string(c.Type)}})
			pw.associate("isChildOf", cl, dl, j+1)
			capLinks[c.Code] = cl
			for k, text := range c.Descriptors {
				// Validate has made sure there is a level for each descriptor.
				level := v.Levels[k]
				id := pw.derive("descriptor", fmt.Sprintf("capability/%s/descriptor/%d", capID, level.Number))
				dsl := pw.item(kindDescriptor, id, cfItem{FullStatement: text, AbbreviatedStatement: level.Name})
				pw.associate("isChildOf", dsl, cl, level.Number)
			}
		}
	}
	for _, l := range v.Levels {
		id := pw.derive("level", "level/"+strconv.Itoa(l.Number))
		ll := pw.item(kindLevel, id, cfItem{FullStatement: l.Name, Notes: l.Description})
		seq++
		pw.associate("isChildOf", ll, pw.doc, seq)
	}
	for i, b := range v.Bands {
		id := pw.derive("band", "band/"+strconv.Itoa(i+1))
		bl := pw.item(kindBand, id, cfItem{FullStatement: b.Name, Notes: b.Description,
			HumanCodingScheme: strconv.FormatFloat(b.Min, 'f', -1, 64)})
		seq++
		pw.associate("isChildOf", bl, pw.doc, seq)
	}
	// Knowledge checks follow the capabilities of their domain.
	after := map[string]int{}
	for _, d := range v.Domains {
		after[d.Code] = len(d.Capabilities)
	}
	for _, q := range v.Questions {
		qID := pw.derive("question", "question/"+q.Code)
		ql := pw.item(kindQuestion, qID, cfItem{FullStatement: q.Prompt, HumanCodingScheme: q.Code,
			Notes: q.Explanation, ConceptKeywords: []string{string(q.Kind)}})
		after[q.DomainCode]++
		pw.associate("isChildOf", ql, domainLinks[q.DomainCode], after[q.DomainCode])
		if q.CapabilityCode != "" {
			pw.associate("isRelatedTo", ql, capLinks[q.CapabilityCode], 0)
		}
		for k, o := range q.Options {
			id := pw.derive("option", fmt.Sprintf("question/%s/option/%d", qID, k+1))
			mark := keywordIncorrect
			if o.Correct {
				mark = keywordCorrect
			}
			ol := pw.item(kindOption, id, cfItem{FullStatement: o.Text, ConceptKeywords: []string{mark}})
			pw.associate("isChildOf", ol, ql, k+1)
		}
	}
	return &pw.pkg, nil
}

// adoptionStatus names a version status in the words CASE tools use.
func adoptionStatus(s upskill.VersionStatus) string {
	switch s {
	case upskill.VersionDraft:
		return "Draft"
	case upskill.VersionPublished:
		return "Adopted"
	case upskill.VersionRetired:
		return "Deprecated"
	}
	return ""
}

// linkTitle is the title of a link to an item: its code where it has one,
// or the start of its statement. Repeating whole statements in every link
// would double the size of a package.
func linkTitle(code, statement string) string {
	if code != "" {
		return code
	}
	return shorten(statement, 60)
}

// shorten cuts s to at most n characters, at a space where it can.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
