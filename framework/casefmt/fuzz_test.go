package casefmt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"upskill"
	"upskill/framework"
	"upskill/framework/casefmt"
)

// FuzzRead feeds Read packages of every shape. Read must never panic; what
// it refuses it must refuse with an EINVALID error that says where; what it
// accepts must pass Validate, write again without error, and read back the
// same.
func FuzzRead(f *testing.F) {
	def, err := framework.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(write(f, &def.Framework, &def.Version))
	fw, v := small()
	f.Add(write(f, fw, v))
	f.Add(marshal(f, foreign()))
	f.Add(marshal(f, map[string]any{"CFPackage": foreign()}))
	for _, edit := range []func(p map[string]any){
		func(p map[string]any) { // a cycle
			p["CFAssociations"].([]any)[0].(map[string]any)["destinationNodeURI"].(map[string]any)["identifier"] = id(3)
		},
		func(p map[string]any) { // an unknown target
			p["CFAssociations"].([]any)[2].(map[string]any)["destinationNodeURI"].(map[string]any)["identifier"] = id(77)
		},
		func(p map[string]any) { // two parents
			p["CFAssociations"] = append(p["CFAssociations"].([]any), assoc(107, "isChildOf", 5, 1, 3))
		},
		func(p map[string]any) { // a duplicate identifier
			p["CFItems"].([]any)[3].(map[string]any)["identifier"] = id(3)
		},
	} {
		p := foreign()
		edit(p)
		f.Add(marshal(f, p))
	}
	for _, s := range []string{"", "[]", `{"CFDocument": {`, `{"framework": {}, "version": {}}`, `{"CFDocument": {}, "CFItems": [null, 1, "x"]}`} {
		f.Add([]byte(s))
	}

	f.Fuzz(checkRead)
}

// checkRead is what both fuzz targets assert of any input.
func checkRead(t *testing.T, b []byte) {
	got, err := casefmt.Read(bytes.NewReader(b))
	if err != nil {
		var e *upskill.Error
		if !errors.As(err, &e) || e.Code != upskill.EINVALID || len(e.Fields) == 0 || e.Message == "" {
			t.Fatalf("Read refused the package with %T %v, want an EINVALID *upskill.Error with field errors", err, err)
		}
		return
	}
	if msg := upskill.ValidateFrameworkKey(got.Framework.Key); msg != "" {
		t.Fatalf("Read accepted the key %q: %s", got.Framework.Key, msg)
	}
	if err := got.Version.Validate(); err != nil {
		t.Fatalf("Read accepted a version that Validate refuses: %v %s", err, fieldsOf(err))
	}
	var buf bytes.Buffer
	if err := casefmt.Write(&buf, &got.Framework, &got.Version, baseURI, now); err != nil {
		t.Fatalf("Write of what Read accepted: %v %s", err, fieldsOf(err))
	}
	if buf.Len() > framework.MaxFileSize {
		// A terse package can grow past the limit once Write adds the
		// links and dates CASE asks for; it cannot be read back.
		return
	}
	again, err := casefmt.Read(&buf)
	if err != nil {
		t.Fatalf("Read of what Write wrote: %v %s", err, fieldsOf(err))
	}
	if again.Framework != got.Framework {
		t.Fatalf("framework after writing and reading = %+v, want %+v", again.Framework, got.Framework)
	}
	if !reflect.DeepEqual(again.Version, got.Version) {
		t.Fatalf("version after writing and reading differs:\n got %+v\nwant %+v", again.Version, got.Version)
	}
}

// FuzzEditedPackage reaches further than FuzzRead: random bytes rarely keep
// every identifier a UUID, so most packages FuzzRead makes are refused at
// the start. Here the input is a program of edits to valid packages
// (moving, retyping, renumbering and deleting items and associations, and
// rewriting their fields), so that the checks of structure, types, order,
// descriptors and codes, and the round trip, see many packages that
// are nearly right.
func FuzzEditedPackage(f *testing.F) {
	fw, v := small()
	bases := [][]byte{write(f, fw, v), marshal(f, foreign())}
	f.Add([]byte{0, 3, 5, 2}, "x")
	f.Add([]byte{1, 1, 2, 3, 4, 7, 0, 0}, "levels")
	f.Add([]byte{0, 6, 20, 9, 12, 2, 4, 1}, "Level descriptor")
	f.Add([]byte{0, 11, 30, 1}, "")
	f.Fuzz(func(t *testing.T, prog []byte, s string) {
		if len(prog) == 0 {
			return
		}
		var p map[string]any
		if err := json.Unmarshal(bases[int(prog[0])%len(bases)], &p); err != nil {
			t.Fatal(err)
		}
		for k := 1; k+2 < len(prog) && k < 64; k += 3 {
			edit(p, prog[k], int(prog[k+1]), int(prog[k+2]), s)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		checkRead(t, b)
	})
}

// edit applies one edit to a package, naming items and associations by
// their place, wrapped round.
func edit(p map[string]any, op byte, a, b int, s string) {
	items, _ := p["CFItems"].([]any)
	assocs, _ := p["CFAssociations"].([]any)
	if len(items) == 0 || len(assocs) == 0 {
		return
	}
	item := items[a%len(items)].(map[string]any)
	other := items[b%len(items)].(map[string]any)
	as := assocs[a%len(assocs)].(map[string]any)
	doc := p["CFDocument"].(map[string]any)
	switch op % 16 {
	case 0:
		item["fullStatement"] = s
	case 1:
		item["humanCodingScheme"] = s
	case 2:
		item["CFItemType"] = s
	case 3:
		item["conceptKeywords"] = []any{s}
	case 4:
		as["sequenceNumber"] = b - 128
	case 5: // move: make item a a child of item b
		as["destinationNodeURI"] = map[string]any{"identifier": other["identifier"]}
	case 6: // or of the document
		as["destinationNodeURI"] = map[string]any{"identifier": doc["identifier"]}
	case 7:
		as["originNodeURI"] = map[string]any{"identifier": other["identifier"]}
	case 8:
		as["associationType"] = s
	case 9:
		p["CFItems"] = slicesDelete(items, a%len(items))
	case 10:
		p["CFAssociations"] = slicesDelete(assocs, a%len(assocs))
	case 11:
		item["notes"] = s
	case 12: // a new item, a child of item b
		n := len(items) + len(assocs) + 1000
		p["CFItems"] = append(items, map[string]any{"identifier": id(n), "fullStatement": s})
		p["CFAssociations"] = append(assocs, map[string]any{"identifier": id(n + 1), "associationType": "isChildOf",
			"originNodeURI": map[string]any{"identifier": id(n)}, "destinationNodeURI": map[string]any{"identifier": other["identifier"]}})
	case 13:
		delete(item, "CFItemType")
	case 14:
		delete(as, "sequenceNumber")
	case 15:
		switch b % 4 {
		case 0:
			doc["version"] = s
		case 1:
			doc["adoptionStatus"] = s
		case 2:
			doc["statusStartDate"] = s
		case 3:
			doc["title"] = s
		}
	}
}
