package badge

import (
	"bytes"
	"encoding/json"
)

// many is a JSON value that may be written either as one item or as an array
// of them. The specification's JSON schemas allow both for properties such
// as type and identifier (JSON-LD compaction turns a one-item array into the
// item), so a badge from another issuer may use either. We always write the
// array form.
type many[T any] []T

func (m *many[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*m = nil
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var all []T
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		*m = all
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*m = many[T]{one}
	return nil
}

func hasString(m many[string], s string) bool {
	for _, x := range m {
		if x == s {
			return true
		}
	}
	return false
}

// UnmarshalJSON accepts the issuer either as a Profile object or as the bare
// URI of one, the two forms of ProfileRef (B.1.20).
func (p *profile) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*p = profile{}
		return json.Unmarshal(b, &p.ID)
	}
	type plain profile // without this method, so that decoding does not recurse
	var q plain
	if err := json.Unmarshal(b, &q); err != nil {
		return err
	}
	*p = profile(q)
	return nil
}

// jsonMarshal is json.Marshal without the escaping of <, > and & meant for
// HTML, so that a badge's text reads as written when someone opens the file.
func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
