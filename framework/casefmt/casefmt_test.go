package casefmt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/framework/casefmt"
)

const baseURI = "https://upskill.example/case"

var now = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// write writes a version as CASE, failing the test on an error.
func write(t testing.TB, fw *upskill.Framework, v *upskill.FrameworkVersion) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := casefmt.Write(&buf, fw, v, baseURI, now); err != nil {
		t.Fatalf("Write: %v %s", err, fieldsOf(err))
	}
	return buf.Bytes()
}

// read reads a package, failing the test on an error.
func read(t testing.TB, b []byte) *framework.File {
	t.Helper()
	f, err := casefmt.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Read: %v %s", err, fieldsOf(err))
	}
	return f
}

func fieldsOf(err error) string {
	var s []string
	for _, fe := range upskill.ErrorFields(err) {
		s = append(s, fmt.Sprintf("\n\t%s: %s", fe.Field, fe.Message))
	}
	return strings.Join(s, "")
}

// withoutIdentifiers returns a copy of v without database ids or CASE
// identifiers, and with empty lists as nil, for comparing versions.
func withoutIdentifiers(v upskill.FrameworkVersion) upskill.FrameworkVersion {
	v.ID, v.FrameworkID, v.Identifier = 0, 0, ""
	v.Domains = append([]upskill.Domain(nil), v.Domains...)
	for i := range v.Domains {
		d := &v.Domains[i]
		d.ID, d.Identifier = 0, ""
		d.Capabilities = append([]upskill.Capability(nil), d.Capabilities...)
		for j := range d.Capabilities {
			c := &d.Capabilities[j]
			c.ID, c.Identifier = 0, ""
			if len(c.Descriptors) == 0 {
				c.Descriptors = nil
			}
		}
	}
	v.Questions = append([]upskill.CheckQuestion(nil), v.Questions...)
	for i := range v.Questions {
		q := &v.Questions[i]
		q.ID = 0
		q.Options = append([]upskill.CheckOption(nil), q.Options...)
		for j := range q.Options {
			q.Options[j].ID = 0
		}
	}
	if len(v.Questions) == 0 {
		v.Questions = nil
	}
	return v
}

func diff(t *testing.T, got, want upskill.FrameworkVersion) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			t.Fatalf("versions differ at line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("versions differ in length: got %d lines, want %d", len(gl), len(wl))
}

// TestRoundTripDefault writes the default framework as CASE and reads it
// back: nothing may be lost.
func TestRoundTripDefault(t *testing.T) {
	f, err := framework.Default()
	if err != nil {
		t.Fatal(err)
	}
	b := write(t, &f.Framework, &f.Version)
	if !casefmt.Sniff(b) {
		t.Error("Sniff does not recognise the package Write wrote")
	}
	g := read(t, b)
	if g.Framework != f.Framework {
		t.Errorf("framework = %+v, want %+v", g.Framework, f.Framework)
	}
	if g.Version.Identifier == "" {
		t.Error("the version has no identifier after reading")
	}
	for _, d := range g.Version.Domains {
		if d.Identifier == "" {
			t.Errorf("domain %s has no identifier after reading", d.Code)
		}
		for _, c := range d.Capabilities {
			if c.Identifier == "" {
				t.Errorf("capability %s has no identifier after reading", c.Code)
			}
		}
	}
	diff(t, withoutIdentifiers(g.Version), withoutIdentifiers(f.Version))

	// The same in upskill's own JSON, which is what an export compares.
	var want, got bytes.Buffer
	framework.WriteJSON(&want, &f.Framework, &f.Version)
	gv := withoutIdentifiers(g.Version)
	framework.WriteJSON(&got, &g.Framework, &gv)
	if want.String() != got.String() {
		t.Error("upskill's JSON of the version read back differs from that of the default")
	}
}

// small is a framework that uses every part of upskill: three question
// types, levels, bands with a fractional start, both kinds of knowledge
// check, a question without a capability, text that JSON and HTML escape,
// and a version number, status and publication date.
func small() (*upskill.Framework, *upskill.FrameworkVersion) {
	fw := &upskill.Framework{Key: "care-skills", Name: "Care skills & <more>", Description: "For \"everyone\" in care."}
	v := &upskill.FrameworkVersion{
		Number:      3,
		Status:      upskill.VersionPublished,
		Title:       "Care skills, edition 3",
		Description: "Line one.\nLine two, with a tab\tand é, ü and 🙂.",
		Identifier:  "5a3c0c62-1e0c-4b8e-9d7a-0c5f2c1e9b11",
		PublishedAt: time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC),
		Levels: []upskill.FrameworkLevel{
			{Number: 1, Name: "Starting", Description: "New to it."},
			{Number: 2, Name: "Doing"},
			{Number: 3, Name: "Teaching", Description: "Shows others."},
		},
		Bands: []upskill.Band{
			{Name: "Low", Min: 0},
			{Name: "Middle", Min: 5.5, Description: "Getting there."},
			{Name: "High", Min: 8.25},
		},
		Domains: []upskill.Domain{
			{Code: "A", Name: "Records", Description: "Keeping records.", Identifier: "8d1f3c8e-6b7a-4a53-9d55-3f0a9c1e2b22", Capabilities: []upskill.Capability{
				{Code: "A1", Statement: "I can write a care note.", Guidance: "Clearly, the same day.", Type: upskill.QuestionLevels,
					Descriptors: []string{"With help.", "On my own.", "I check others' notes."}, Identifier: "0c4b2a71-2f5e-4d1b-8b6e-7a9d3e5f1c33"},
				{Code: "A2", Statement: "I can find a record quickly.", Type: upskill.QuestionScale,
					Descriptors: []string{"Sometimes.", "Usually.", "Always, and I teach it."}},
				{Code: "A3", Statement: "I have a login for the care system.", Type: upskill.QuestionYesNo},
			}},
			{Code: "B", Name: "Safety", Capabilities: []upskill.Capability{
				{Code: "B1", Statement: "I can spot a scam email.  ", Type: upskill.QuestionScale},
			}},
		},
		Questions: []upskill.CheckQuestion{
			{Code: "A.Q1", DomainCode: "A", CapabilityCode: "A1", Kind: upskill.QuestionSingle, Prompt: "When should you write a care note?",
				Options:     []upskill.CheckOption{{Text: "At the end of the week."}, {Text: "The same day.", Correct: true}},
				Explanation: "Notes written at once are more accurate."},
			{Code: "A.Q2", DomainCode: "A", Kind: upskill.QuestionMultiple, Prompt: "Which belong in a care note?",
				Options:     []upskill.CheckOption{{Text: "What you saw.", Correct: true}, {Text: "Gossip."}, {Text: "What you did.", Correct: true}, {Text: "Your opinion of the family."}},
				Explanation: "Facts: what you saw and did."},
			{Code: "B.Q1", DomainCode: "B", CapabilityCode: "B1", Kind: upskill.QuestionMultiple, Prompt: "Which is a sign of a scam?",
				Options:     []upskill.CheckOption{{Text: "It rushes you.", Correct: true}, {Text: "It comes from your manager's usual address."}},
				Explanation: "Scams rush you."},
		},
	}
	return fw, v
}

// TestRoundTripSmall reads back a small framework that uses every part of
// upskill, exactly, identifiers included.
func TestRoundTripSmall(t *testing.T) {
	fw, v := small()
	if err := v.Validate(); err != nil {
		t.Fatalf("the test framework is not valid: %v %s", err, fieldsOf(err))
	}
	g := read(t, write(t, fw, v))
	if g.Framework != *fw {
		t.Errorf("framework = %+v, want %+v", g.Framework, *fw)
	}
	// Identifiers that were set are kept; the others are made up.
	if g.Version.Identifier != v.Identifier || g.Version.Domains[0].Identifier != v.Domains[0].Identifier ||
		g.Version.Domains[0].Capabilities[0].Identifier != v.Domains[0].Capabilities[0].Identifier {
		t.Error("an identifier on the version, a domain or a capability was not kept")
	}
	if g.Version.Domains[1].Identifier == "" || g.Version.Domains[0].Capabilities[1].Identifier == "" {
		t.Error("a domain or capability without an identifier was not given one")
	}
	diff(t, withoutIdentifiers(g.Version), withoutIdentifiers(*v))
}

// TestWriteDeterministic checks that the same version and time give the
// same bytes, and that reading a package and writing it again gives the
// same package, so that exports can be compared and identifiers are
// stable from one export to the next.
func TestWriteDeterministic(t *testing.T) {
	fw, v := small()
	first := write(t, fw, v)
	if second := write(t, fw, v); !bytes.Equal(first, second) {
		t.Fatal("two writes of the same version differ")
	}
	g := read(t, first)
	if again := write(t, &g.Framework, &g.Version); !bytes.Equal(first, again) {
		t.Fatal("writing a package read back differs from the package")
	}

	// Without an identifier, the version gets a new random one each time.
	v.Identifier = ""
	a, b := read(t, write(t, fw, v)), read(t, write(t, fw, v))
	if a.Version.Identifier == b.Version.Identifier {
		t.Error("two versions without identifiers were given the same one")
	}
	if a.Version.Identifier[14] != '4' {
		t.Errorf("identifier %s is not a version 4 UUID", a.Version.Identifier)
	}
}

// TestPackageShape checks the parts of the package other CASE tools rely
// on: the document, unique identifiers, types defined and linked, and the
// conventions for what CASE has no field for.
func TestPackageShape(t *testing.T) {
	fw, v := small()
	var pkg struct {
		CFDocument map[string]any
		CFItems    []struct {
			Identifier, URI, FullStatement, HumanCodingScheme, CFItemType string
			ConceptKeywords                                               []string
			CFItemTypeURI, CFDocumentURI                                  struct{ Identifier, URI, Title string }
		}
		CFAssociations []struct {
			Identifier, AssociationType string
			SequenceNumber              int
			OriginNodeURI               struct{ Identifier string }
			DestinationNodeURI          struct{ Identifier string }
		}
		CFDefinitions struct {
			CFItemTypes []struct{ Identifier, Title, HierarchyCode string }
			CFSubjects  []struct{ Identifier, Title, HierarchyCode string }
		}
	}
	if err := json.Unmarshal(write(t, fw, v), &pkg); err != nil {
		t.Fatal(err)
	}
	doc := pkg.CFDocument
	for k, want := range map[string]any{
		"identifier": v.Identifier, "uri": baseURI + "/" + v.Identifier, "title": v.Title, "creator": "upskill",
		"version": "3", "adoptionStatus": "Adopted", "statusStartDate": "2024-11-05", "lastChangeDateTime": "2025-03-14T09:26:53Z",
	} {
		if doc[k] != want {
			t.Errorf("CFDocument.%s = %v, want %v", k, doc[k], want)
		}
	}
	if len(pkg.CFDefinitions.CFSubjects) != 1 || pkg.CFDefinitions.CFSubjects[0].HierarchyCode != "care-skills" {
		t.Errorf("CFSubjects = %+v, want one with the hierarchyCode care-skills", pkg.CFDefinitions.CFSubjects)
	}
	types := map[string]string{}
	for _, ty := range pkg.CFDefinitions.CFItemTypes {
		types[ty.Identifier] = ty.Title
	}
	seen := map[string]bool{v.Identifier: true}
	count := map[string]int{}
	for _, it := range pkg.CFItems {
		if seen[it.Identifier] {
			t.Errorf("identifier %s is used twice", it.Identifier)
		}
		seen[it.Identifier] = true
		count[it.CFItemType]++
		if types[it.CFItemTypeURI.Identifier] != it.CFItemType {
			t.Errorf("item %s of type %q links to the type %q", it.Identifier, it.CFItemType, types[it.CFItemTypeURI.Identifier])
		}
		if it.CFDocumentURI.Identifier != v.Identifier || it.URI != baseURI+"/"+it.Identifier {
			t.Errorf("item %s has the wrong document or URI", it.Identifier)
		}
		if it.CFItemType == "Band" && it.FullStatement == "Middle" && it.HumanCodingScheme != "5.5" {
			t.Errorf("band Middle has humanCodingScheme %q, want 5.5", it.HumanCodingScheme)
		}
		if it.CFItemType == "Answer option" && it.FullStatement == "The same day." && !reflect.DeepEqual(it.ConceptKeywords, []string{"correct"}) {
			t.Errorf("a correct option has conceptKeywords %q", it.ConceptKeywords)
		}
	}
	want := map[string]int{"Domain": 2, "Capability": 4, "Level descriptor": 6, "Level": 3, "Band": 3, "Knowledge check": 3, "Answer option": 8}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("items by type = %v, want %v", count, want)
	}
	related := 0
	for _, a := range pkg.CFAssociations {
		if seen[a.Identifier] {
			t.Errorf("identifier %s is used twice", a.Identifier)
		}
		seen[a.Identifier] = true
		if !seen[a.OriginNodeURI.Identifier] || !seen[a.DestinationNodeURI.Identifier] {
			t.Errorf("association %s points outside the package", a.Identifier)
		}
		if a.AssociationType == "isRelatedTo" {
			related++
		}
	}
	if n := len(pkg.CFAssociations); n != len(pkg.CFItems)+related || related != 2 {
		t.Errorf("%d associations, %d isRelatedTo, for %d items: want one isChildOf per item and two isRelatedTo", n, related, len(pkg.CFItems))
	}
}

// foreign is a package as another tool might export it: a document, items
// without upskill's types and isChildOf associations, one of them to an
// item of another framework.
func foreign() map[string]any {
	item := func(n int, typ, code, statement string) map[string]any {
		it := map[string]any{"identifier": id(n), "uri": "https://case.example/uri/" + id(n), "fullStatement": statement,
			"lastChangeDateTime": "2020-01-01T00:00:00+00:00"}
		if typ != "" {
			it["CFItemType"] = typ
		}
		if code != "" {
			it["humanCodingScheme"] = code
		}
		return it
	}
	return map[string]any{
		"CFDocument": map[string]any{
			"identifier": docID, "uri": "https://case.example/uri/" + docID, "creator": "Skills for Care",
			"title": "Digital skills in social care: 2020", "lastChangeDateTime": "2020-01-01T00:00:00+00:00",
			"adoptionStatus": "Implemented", "version": "2020.1",
			"CFPackageURI": map[string]any{"title": "Package", "identifier": docID, "uri": "https://case.example/pkg/" + docID},
		},
		"CFItems": []any{
			item(1, "", "A", "Using digital tools"),
			item(2, "Strand", "", "Keeping data safe"),
			item(3, "Standard", "A.1", "I can send a secure email."),
			item(4, "", "", "I can use a care planning app."),
			item(5, "", "B.1", "I can spot a phishing email."),
		},
		"CFAssociations": []any{
			assoc(101, "isChildOf", 1, 0, 1),
			assoc(102, "isChildOf", 2, 0, 2),
			assoc(103, "isChildOf", 3, 1, 1),
			assoc(104, "isChildOf", 4, 1, 2),
			assoc(105, "isChildOf", 5, 2, 1),
			assoc(106, "exactMatchOf", 3, 999, 0),
		},
	}
}

const docID = "11111111-1111-4111-8111-111111111111"

// id is the identifier of item or association n; 0 is the document.
func id(n int) string {
	if n == 0 {
		return docID
	}
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
}

func assoc(n int, typ string, origin, dest, seq int) map[string]any {
	a := map[string]any{
		"identifier": id(n), "uri": "https://case.example/uri/" + id(n), "associationType": typ,
		"originNodeURI":      map[string]any{"title": "child", "identifier": id(origin), "uri": "https://case.example/uri/" + id(origin)},
		"destinationNodeURI": map[string]any{"title": "parent", "identifier": id(dest), "uri": "https://case.example/uri/" + id(dest)},
		"lastChangeDateTime": "2020-01-01T00:00:00+00:00",
	}
	if seq > 0 {
		a["sequenceNumber"] = seq
	}
	return a
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReadForeign imports a package from another tool: its tiers become
// domains and capabilities, and upskill's usual levels and bands are
// supplied.
func TestReadForeign(t *testing.T) {
	f := read(t, marshal(t, foreign()))
	if f.Framework.Key != "digital-skills-in-social-care-2020" || f.Framework.Name != "Digital skills in social care: 2020" {
		t.Errorf("framework = %+v", f.Framework)
	}
	v := f.Version
	if v.Identifier != docID || v.Title != "Digital skills in social care: 2020" || v.Number != 0 || v.Status != "" {
		t.Errorf("version = %q %q number %d status %q", v.Identifier, v.Title, v.Number, v.Status)
	}
	var names []string
	for _, l := range v.Levels {
		names = append(names, fmt.Sprintf("%d %s", l.Number, l.Name))
	}
	if got := strings.Join(names, ", "); got != "1 Aware, 2 Practising, 3 Confident, 4 Leading" {
		t.Errorf("levels = %s", got)
	}
	names = nil
	for _, b := range v.Bands {
		names = append(names, fmt.Sprintf("%s %g", b.Name, b.Min))
	}
	if got := strings.Join(names, ", "); got != "Developing 0, Capable 4, Proficient 7" {
		t.Errorf("bands = %s", got)
	}
	var tree []string
	for _, d := range v.Domains {
		tree = append(tree, d.Code+" "+d.Name+" "+d.Identifier[len(d.Identifier)-1:])
		for _, c := range d.Capabilities {
			tree = append(tree, fmt.Sprintf("  %s %s %s %d", c.Code, c.Statement, c.Type, len(c.Descriptors)))
		}
	}
	want := []string{
		"A Using digital tools 1",
		"  A.1 I can send a secure email. scale 0",
		"  A.2 I can use a care planning app. scale 0",
		"2 Keeping data safe 2",
		"  B.1 I can spot a phishing email. scale 0",
	}
	if !reflect.DeepEqual(tree, want) {
		t.Errorf("tree =\n%s\nwant\n%s", strings.Join(tree, "\n"), strings.Join(want, "\n"))
	}
	if len(v.Questions) != 0 {
		t.Errorf("%d questions, want none", len(v.Questions))
	}

	// What was imported exports and imports again unchanged.
	g := read(t, write(t, &f.Framework, &f.Version))
	if g.Framework != f.Framework {
		t.Errorf("framework after a second round = %+v, want %+v", g.Framework, f.Framework)
	}
	diff(t, g.Version, f.Version)
}

// TestReadForeignVariants covers other ways real packages are written.
func TestReadForeignVariants(t *testing.T) {
	t.Run("wrapped in CFPackage", func(t *testing.T) {
		f := read(t, marshal(t, map[string]any{"CFPackage": foreign()}))
		if len(f.Version.Domains) != 2 {
			t.Errorf("%d domains, want 2", len(f.Version.Domains))
		}
		bad := foreign()
		bad["CFItems"].([]any)[2].(map[string]any)["fullStatement"] = ""
		_, err := casefmt.Read(bytes.NewReader(marshal(t, map[string]any{"CFPackage": bad})))
		if fe := upskill.ErrorFields(err); len(fe) == 0 || fe[0].Field != "CFPackage.CFItems[2].fullStatement" {
			t.Errorf("error fields = %s, want CFPackage.CFItems[2].fullStatement", fieldsOf(err))
		}
	})
	t.Run("upper-case identifiers and a byte order mark", func(t *testing.T) {
		p := foreign()
		p["CFItems"].([]any)[0].(map[string]any)["identifier"] = strings.ToUpper(id(1))
		p["CFAssociations"].([]any)[0].(map[string]any)["destinationNodeURI"].(map[string]any)["identifier"] = strings.ToUpper(docID)
		f := read(t, append([]byte("\xef\xbb\xbf"), marshal(t, p)...))
		if f.Version.Domains[0].Identifier != id(1) {
			t.Errorf("identifier = %s, want it in lower case", f.Version.Domains[0].Identifier)
		}
	})
	t.Run("no sequence numbers", func(t *testing.T) {
		p := foreign()
		for _, a := range p["CFAssociations"].([]any) {
			delete(a.(map[string]any), "sequenceNumber")
		}
		f := read(t, marshal(t, p))
		if c := f.Version.Domains[0].Capabilities; len(c) != 2 || c[0].Code != "A.1" {
			t.Errorf("capabilities = %+v, want them in the order of the associations", c)
		}
	})
	t.Run("types by CFItemTypeURI only", func(t *testing.T) {
		fw, v := small()
		var p map[string]any
		json.Unmarshal(write(t, fw, v), &p)
		for _, it := range p["CFItems"].([]any) {
			delete(it.(map[string]any), "CFItemType")
		}
		f := read(t, marshal(t, p))
		diff(t, withoutIdentifiers(f.Version), withoutIdentifiers(*v))
	})
}

// TestWriteRefuses checks that Write does not write what it could not read
// back.
func TestWriteRefuses(t *testing.T) {
	fw, v := small()
	var buf bytes.Buffer

	bad := *v
	bad.Title = ""
	if err := casefmt.Write(&buf, fw, &bad, baseURI, now); upskill.ErrorCode(err) != upskill.EINVALID {
		t.Errorf("Write of a version without a title: %v, want an EINVALID error", err)
	}
	badKey := *fw
	badKey.Key = "Care Skills"
	if err := casefmt.Write(&buf, &badKey, v, baseURI, now); upskill.ErrorCode(err) != upskill.EINVALID {
		t.Errorf("Write with a bad key: %v, want an EINVALID error", err)
	}
	twice := *v
	twice.Domains = append([]upskill.Domain(nil), v.Domains...)
	twice.Domains[1].Identifier = v.Domains[0].Identifier
	err := casefmt.Write(&buf, fw, &twice, baseURI, now)
	if fe := upskill.ErrorFields(err); len(fe) != 1 || fe[0].Field != "domains[1].identifier" {
		t.Errorf("Write with an identifier used twice: %v %s", err, fieldsOf(err))
	}
	if err := casefmt.Write(&buf, fw, v, "upskill.example/case", now); err == nil {
		t.Error("Write with a relative base URI did not fail")
	}

	// With no base URI, the URIs are URNs.
	buf.Reset()
	if err := casefmt.Write(&buf, fw, v, "", now); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"uri":"urn:uuid:`+v.Identifier+`"`)) {
		t.Error("without a base URI, the document URI is not urn:uuid:<identifier>")
	}
	read(t, buf.Bytes())
}

func TestSniff(t *testing.T) {
	fw, v := small()
	pkg := write(t, fw, v)
	var own bytes.Buffer
	framework.WriteJSON(&own, fw, v)
	for _, tc := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"package", pkg, true},
		{"the first 300 bytes of a package", pkg[:300], true},
		{"wrapped package", []byte(`{"CFPackage": {"CFDocument": {"identifier": "x"}}}`), true},
		{"document after other parts", []byte(` {"CFItems": [{"a": [1, {"b": 2}]}], "CFDocument": {}}`), true},
		{"byte order mark", []byte("\xef\xbb\xbf{\"CFDocument\": {}}"), true},
		{"upskill's own JSON", own.Bytes(), false},
		{"CFDocument that is not an object", []byte(`{"CFDocument": "x"}`), false},
		{"CFDocument nested deeper", []byte(`{"a": {"CFDocument": {}}}`), false},
		{"list", []byte(`[{"CFDocument": {}}]`), false},
		{"empty", nil, false},
		{"not JSON", []byte(`CFDocument`), false},
	} {
		if got := casefmt.Sniff(tc.in); got != tc.want {
			t.Errorf("%s: Sniff = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// errorOf reads a package that must be refused, and checks that every
// problem comes as an EINVALID error with a message.
func errorOf(t *testing.T, b []byte) []upskill.FieldError {
	t.Helper()
	f, err := casefmt.Read(bytes.NewReader(b))
	if err == nil {
		t.Fatalf("Read accepted the package: %+v", f.Framework)
	}
	var e *upskill.Error
	if !errors.As(err, &e) || e.Code != upskill.EINVALID {
		t.Fatalf("Read returned %T %v, want an *upskill.Error with code EINVALID", err, err)
	}
	if len(e.Fields) == 0 || e.Message == "" {
		t.Fatalf("the error has no field errors or no message: %+v", e)
	}
	for _, fe := range e.Fields {
		if fe.Message == "" {
			t.Errorf("field %q has no message", fe.Field)
		}
	}
	return e.Fields
}

// TestReadMalformed checks what Read says about broken packages: each
// problem where it is, with what to do about it.
func TestReadMalformed(t *testing.T) {
	items := func(p map[string]any) []any { return p["CFItems"].([]any) }
	item := func(p map[string]any, i int) map[string]any { return items(p)[i].(map[string]any) }
	assocs := func(p map[string]any) []any { return p["CFAssociations"].([]any) }
	association := func(p map[string]any, j int) map[string]any { return assocs(p)[j].(map[string]any) }
	change := func(edit func(p map[string]any)) []byte {
		p := foreign()
		edit(p)
		return marshal(t, p)
	}
	for _, tc := range []struct {
		name, field, message string
		in                   []byte
	}{
		{"not JSON", "", "The file is not valid JSON: it ends too soon", []byte(`{"CFDocument": {`)},
		{"JSON with a mistake", "", "there is a mistake near byte 16", []byte(`{"CFDocument": }`)},
		{"too large", "", "The file is larger than 2 MB", bytes.Repeat([]byte(" "), framework.MaxFileSize+1)},
		{"empty", "", "The file is empty", nil},
		{"only spaces", "", "The file is empty", []byte(" \n\t ")},
		{"a list instead of an object", "", "The file holds a list ([ ... ]), not a CASE package", []byte(`[{"CFDocument": {}}]`)},
		{"a single value", "", "The file holds a single value", []byte(`"CASE"`)},
		{"more after the package", "", "The file has more after the CASE package", append(change(func(map[string]any) {}), "{}"...)},
		{"upskill's own JSON", "", "This is a framework in upskill's own JSON", []byte(`{"framework": {}, "version": {}}`)},
		{"a list of documents", "", "This is a list of CASE documents", []byte(`{"CFDocuments": []}`)},
		{"no CFDocument", "", "it has no CFDocument", []byte(`{"CFItems": []}`)},
		{"an unknown part", "Extras", "Remove Extras or correct its name", change(func(p map[string]any) { p["Extras"] = 1 })},
		{"CFDocument not an object", "CFDocument", "Make the CFDocument an object", change(func(p map[string]any) { p["CFDocument"] = "x" })},
		{"CFItems not a list", "CFItems", "Make CFItems a list", change(func(p map[string]any) { p["CFItems"] = map[string]any{} })},
		{"an item not an object", "CFItems[1]", "Make CFItems[1] an object", change(func(p map[string]any) { items(p)[1] = 5 })},
		{"a value of the wrong type", "CFItems[2].fullStatement", "Make CFItems[2].fullStatement text in quotes", change(func(p map[string]any) { item(p, 2)["fullStatement"] = 12 })},
		{"a number among conceptKeywords", "CFItems[2].conceptKeywords", "Make CFItems[2].conceptKeywords a list of text in quotes", change(func(p map[string]any) { item(p, 2)["conceptKeywords"] = []any{"scale", 3} })},
		{"conceptKeywords not a list", "CFItems[2].conceptKeywords", "Make CFItems[2].conceptKeywords a list ([ ... ])", change(func(p map[string]any) { item(p, 2)["conceptKeywords"] = "scale" })},
		{"a fractional sequenceNumber", "CFAssociations[2].sequenceNumber", "a whole number", change(func(p map[string]any) { association(p, 2)["sequenceNumber"] = 1.5 })},
		{"a link that is not an object", "CFAssociations[0].originNodeURI", "an object", change(func(p map[string]any) { association(p, 0)["originNodeURI"] = id(1) })},
		{"no document title", "CFDocument.title", "Give the CFDocument a title", change(func(p map[string]any) { delete(p["CFDocument"].(map[string]any), "title") })},
		{"an identifier that is not a UUID", "CFItems[1].identifier", `The identifier of CFItems[1], "domain-2", is not a UUID`, change(func(p map[string]any) { item(p, 1)["identifier"] = "domain-2" })},
		{"no identifier", "CFAssociations[3].identifier", "Give CFAssociations[3] an identifier", change(func(p map[string]any) { delete(association(p, 3), "identifier") })},
		{"duplicate identifier", "CFItems[3].identifier", "CFItems[3] has the identifier " + id(3) + ", which CFItems[2] has too", change(func(p map[string]any) { item(p, 3)["identifier"] = id(3) })},
		{"an association with the identifier of an item", "CFAssociations[0].identifier", "which CFItems[0] has too", change(func(p map[string]any) { association(p, 0)["identifier"] = id(1) })},
		{"unknown association target", "CFAssociations[2].destinationNodeURI", "CFAssociations[2] points to an item, " + id(77) + ", that the package does not contain",
			change(func(p map[string]any) {
				association(p, 2)["destinationNodeURI"].(map[string]any)["identifier"] = id(77)
			})},
		{"unknown association origin", "CFAssociations[2].originNodeURI", "CFAssociations[2] points to an item, " + id(78) + ", that the package does not contain",
			change(func(p map[string]any) { association(p, 2)["originNodeURI"].(map[string]any)["identifier"] = id(78) })},
		{"no associationType", "CFAssociations[1].associationType", "Give CFAssociations[1] an associationType", change(func(p map[string]any) { delete(association(p, 1), "associationType") })},
		{"the document as a child", "CFAssociations[0].originNodeURI", "makes the CFDocument a child", change(func(p map[string]any) { association(p, 0)["originNodeURI"].(map[string]any)["identifier"] = docID })},
		{"an item with no parent", "CFItems[4]", "CFItems[4] (B.1) has no parent", change(func(p map[string]any) { p["CFAssociations"] = slicesDelete(assocs(p), 4) })},
		{"an item with two parents", "CFAssociations[6]", "CFItems[4] (B.1) has two parents: CFAssociations[4] and CFAssociations[6]",
			change(func(p map[string]any) { p["CFAssociations"] = append(assocs(p), assoc(107, "isChildOf", 5, 1, 3)) })},
		{"a cycle", "CFAssociations[0].destinationNodeURI", "go round in a circle: CFItems[0] (A) is a child of CFItems[2] (A.1), which is itself below CFItems[0] (A)",
			change(func(p map[string]any) { association(p, 0)["destinationNodeURI"].(map[string]any)["identifier"] = id(3) })},
		{"a child of itself", "CFAssociations[4].destinationNodeURI", "makes CFItems[4] (B.1) a child of itself",
			change(func(p map[string]any) { association(p, 4)["destinationNodeURI"].(map[string]any)["identifier"] = id(5) })},
		{"a capability under the document", "CFItems[0].CFItemType", "CFItems[0] (A) is a capability, so make it a child of a domain, not of the CFDocument",
			change(func(p map[string]any) { item(p, 0)["CFItemType"] = "capability" })},
		{"a third tier", "CFItems[5].CFItemType", "upskill frameworks have two tiers",
			change(func(p map[string]any) {
				p["CFItems"] = append(items(p), map[string]any{"identifier": id(6), "fullStatement": "Deeper"})
				p["CFAssociations"] = append(assocs(p), assoc(107, "isChildOf", 6, 3, 1))
			})},
		{"missing fullStatement", "CFItems[2].fullStatement", "Give every capability a fullStatement", change(func(p map[string]any) { delete(item(p, 2), "fullStatement") })},
		{"a domain without a fullStatement", "CFItems[1].fullStatement", "Give every domain a fullStatement: the name of the domain", change(func(p map[string]any) { item(p, 1)["fullStatement"] = "  " })},
		{"a code too long", "CFItems[2].humanCodingScheme", "A code must be 20 characters or fewer", change(func(p map[string]any) { item(p, 2)["humanCodingScheme"] = strings.Repeat("X", 21) })},
		{"a code used twice", "CFItems[4].humanCodingScheme", "The code A.1 is used twice: here and at CFItems[2].humanCodingScheme", change(func(p map[string]any) { item(p, 4)["humanCodingScheme"] = "A.1" })},
		{"a domain with no capabilities", "CFItems[1]", "Give the domain Keeping data safe at least one capability", change(func(p map[string]any) {
			p["CFItems"] = slicesDelete(items(p), 4)
			p["CFAssociations"] = slicesDelete(assocs(p), 4)
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := errorOf(t, tc.in)
			fe := fields[0]
			if fe.Field != tc.field || !strings.Contains(fe.Message, tc.message) {
				t.Errorf("first problem = %q: %q\nwant          %q: containing %q%s", fe.Field, fe.Message, tc.field, tc.message, fieldsOf(&upskill.Error{Fields: fields}))
			}
		})
	}
}

func slicesDelete(s []any, i int) []any {
	return append(append([]any(nil), s[:i]...), s[i+1:]...)
}

// TestReadMalformedUpskill checks the conventions for what CASE has no
// field for, in a package as upskill writes it.
func TestReadMalformedUpskill(t *testing.T) {
	fw, v := small()
	written := write(t, fw, v)
	// find returns the index of the item of a type whose fullStatement or
	// code is given, and of the isChildOf or isRelatedTo association from it.
	type found struct{ item, child, related int }
	find := func(p map[string]any, typ, text string) found {
		f := found{-1, -1, -1}
		for i, it := range p["CFItems"].([]any) {
			m := it.(map[string]any)
			if m["CFItemType"] == typ && (m["fullStatement"] == text || m["humanCodingScheme"] == text) {
				f.item = i
				for j, a := range p["CFAssociations"].([]any) {
					a := a.(map[string]any)
					if a["originNodeURI"].(map[string]any)["identifier"] == m["identifier"] {
						if a["associationType"] == "isChildOf" {
							f.child = j
						} else {
							f.related = j
						}
					}
				}
				return f
			}
		}
		t.Fatalf("no %s %q in the package", typ, text)
		return f
	}
	at := func(p map[string]any, list string, i int) map[string]any { return p[list].([]any)[i].(map[string]any) }
	for _, tc := range []struct {
		name    string
		edit    func(p map[string]any) (field string)
		message string
	}{
		{"a band's start that is not a number", func(p map[string]any) string {
			b := find(p, "Band", "Middle")
			at(p, "CFItems", b.item)["humanCodingScheme"] = "NaN"
			return fmt.Sprintf("CFItems[%d].humanCodingScheme", b.item)
		}, "the score it starts at as its humanCodingScheme: a number from 0 to 10"},
		{"a band's start out of range", func(p map[string]any) string {
			b := find(p, "Band", "High")
			at(p, "CFItems", b.item)["humanCodingScheme"] = "11"
			return fmt.Sprintf("CFItems[%d].humanCodingScheme", b.item)
		}, "A band must start between 0 and 10"},
		{"an option neither correct nor incorrect", func(p map[string]any) string {
			o := find(p, "Answer option", "Gossip.")
			delete(at(p, "CFItems", o.item), "conceptKeywords")
			return fmt.Sprintf("CFItems[%d].conceptKeywords", o.item)
		}, "put correct or incorrect in its conceptKeywords"},
		{"an option both correct and incorrect", func(p map[string]any) string {
			o := find(p, "Answer option", "Gossip.")
			at(p, "CFItems", o.item)["conceptKeywords"] = []any{"Correct", "incorrect"}
			return fmt.Sprintf("CFItems[%d].conceptKeywords", o.item)
		}, "has both correct and incorrect in its conceptKeywords"},
		{"a single-answer question with two right", func(p map[string]any) string {
			o := find(p, "Answer option", "At the end of the week.")
			at(p, "CFItems", o.item)["conceptKeywords"] = []any{"correct"}
			return fmt.Sprintf("CFItems[%d]", find(p, "Knowledge check", "A.Q1").item)
		}, "A question with one answer needs exactly one correct option"},
		{"a question of no kind", func(p map[string]any) string {
			q := find(p, "Knowledge check", "A.Q2")
			at(p, "CFItems", q.item)["conceptKeywords"] = []any{"records"}
			return fmt.Sprintf("CFItems[%d].conceptKeywords", q.item)
		}, "put single or multiple in its conceptKeywords"},
		{"a question linked to a domain", func(p map[string]any) string {
			q := find(p, "Knowledge check", "A.Q1")
			at(p, "CFAssociations", q.related)["destinationNodeURI"].(map[string]any)["identifier"] = at(p, "CFItems", find(p, "Domain", "A").item)["identifier"]
			return fmt.Sprintf("CFAssociations[%d].destinationNodeURI", q.related)
		}, "which is not a capability"},
		{"a question linked to nothing", func(p map[string]any) string {
			q := find(p, "Knowledge check", "A.Q1")
			at(p, "CFAssociations", q.related)["destinationNodeURI"].(map[string]any)["identifier"] = id(55)
			return fmt.Sprintf("CFAssociations[%d].destinationNodeURI", q.related)
		}, "points to an item, " + id(55) + ", that the package does not contain"},
		{"a descriptor for a level the framework does not have", func(p map[string]any) string {
			d := find(p, "Level descriptor", "On my own.")
			at(p, "CFAssociations", d.child)["sequenceNumber"] = 9
			return fmt.Sprintf("CFAssociations[%d].sequenceNumber", d.child)
		}, "at level 9, but the framework has 3 levels"},
		{"two descriptors for one level", func(p map[string]any) string {
			d := find(p, "Level descriptor", "On my own.")
			at(p, "CFAssociations", d.child)["sequenceNumber"] = 1
			return fmt.Sprintf("CFAssociations[%d].sequenceNumber", d.child)
		}, "both describe level 1 of the capability"},
		{"a descriptor missing", func(p map[string]any) string {
			d := find(p, "Level descriptor", "On my own.")
			p["CFAssociations"] = slicesDelete(p["CFAssociations"].([]any), d.child)
			p["CFItems"] = slicesDelete(p["CFItems"].([]any), d.item)
			return fmt.Sprintf("CFItems[%d]", find(p, "Capability", "A1").item)
		}, "has level descriptors for some levels but not for level 2"},
		{"a levels question without descriptors", func(p map[string]any) string {
			c := find(p, "Capability", "A3")
			at(p, "CFItems", c.item)["conceptKeywords"] = []any{"levels"}
			return fmt.Sprintf("CFItems[%d]", c.item)
		}, "Give one descriptor for each of the 3 levels"},
		{"an answer option under a capability", func(p map[string]any) string {
			o := find(p, "Answer option", "Gossip.")
			at(p, "CFAssociations", o.child)["destinationNodeURI"].(map[string]any)["identifier"] = at(p, "CFItems", find(p, "Capability", "A3").item)["identifier"]
			return fmt.Sprintf("CFItems[%d].CFItemType", o.item)
		}, "is an answer option, so make it a child of a knowledge check, not of CFItems"},
		{"a child of a level", func(p map[string]any) string {
			c := find(p, "Capability", "B1")
			at(p, "CFAssociations", c.child)["destinationNodeURI"].(map[string]any)["identifier"] = at(p, "CFItems", find(p, "Level", "Doing").item)["identifier"]
			return fmt.Sprintf("CFItems[%d]", c.item)
		}, "which cannot have children"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p map[string]any
			if err := json.Unmarshal(written, &p); err != nil {
				t.Fatal(err)
			}
			field := tc.edit(p)
			fields := errorOf(t, marshal(t, p))
			if fe := fields[0]; fe.Field != field || !strings.Contains(fe.Message, tc.message) {
				t.Errorf("first problem = %q: %q\nwant          %q: containing %q%s", fe.Field, fe.Message, field, tc.message, fieldsOf(&upskill.Error{Fields: fields}))
			}
		})
	}
}

// TestReadManyProblems checks that a package with a great many problems
// is reported briefly.
func TestReadManyProblems(t *testing.T) {
	p := foreign()
	var items []any
	for i := range 1000 {
		items = append(items, map[string]any{"identifier": id(10000 + i), "fullStatement": "x"})
	}
	p["CFItems"] = items
	p["CFAssociations"] = []any{}
	fields := errorOf(t, marshal(t, p))
	if len(fields) != 101 || fields[100].Field != "" || !strings.Contains(fields[100].Message, "more problems") {
		t.Errorf("%d field errors, the last %+v; want 100 and a note that there are more", len(fields), fields[len(fields)-1])
	}
}

// BenchmarkReadDefault reads the default framework as CASE, the largest
// package upskill ships.
func BenchmarkReadDefault(b *testing.B) {
	def, err := framework.Default()
	if err != nil {
		b.Fatal(err)
	}
	p := write(b, &def.Framework, &def.Version)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := casefmt.Read(bytes.NewReader(p)); err != nil {
			b.Fatal(err)
		}
	}
}
