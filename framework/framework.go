// Package framework reads and writes frameworks as files: upskill's own
// JSON, in which the default framework ships, and the formats people bring
// frameworks in. Every reader treats its input as hostile: it limits size,
// refuses what it does not know, and reports every problem with where it
// is.
package framework

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"upskill"
)

// MaxFileSize is the largest framework file accepted, in bytes.
const MaxFileSize = 2 << 20

// File is a framework with one version, as upskill's JSON holds it.
type File struct {
	Framework upskill.Framework        `json:"framework"`
	Version   upskill.FrameworkVersion `json:"version"`
}

//go:embed defaults/*.json
var defaults embed.FS

// DefaultKey is the key of the framework loaded on first start.
const DefaultKey = "hcdcf"

// Default returns the framework loaded on first start: the six domains of
// the Health and Care Digital Capabilities Framework, with statements,
// level descriptors and knowledge checks written for upskill.
func Default() (*File, error) {
	b, err := defaults.ReadFile("defaults/" + DefaultKey + ".json")
	if err != nil {
		return nil, err
	}
	return ReadJSON(bytes.NewReader(b))
}

// ReadJSON reads and checks a framework in upskill's JSON.
func ReadJSON(r io.Reader) (*File, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, upskill.Errorf(upskill.EINVALID, "The file is larger than %d MB. Split the framework or remove what is not needed.", MaxFileSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, upskill.Errorf(upskill.EINVALID, "The file is not a framework in upskill's JSON format: %s", describeJSONError(err))
	}
	if dec.More() {
		return nil, upskill.Errorf(upskill.EINVALID, "The file has more after the framework. It must hold one framework.")
	}
	var p upskill.Problems
	if msg := upskill.ValidateFrameworkKey(f.Framework.Key); msg != "" {
		p.Add("framework.key", msg)
	}
	if strings.TrimSpace(f.Framework.Name) == "" {
		p.Add("framework.name", "Enter the name of the framework")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := f.Version.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// WriteJSON writes a framework version in upskill's JSON, without the ids
// of the database it came from.
func WriteJSON(w io.Writer, fw *upskill.Framework, v *upskill.FrameworkVersion) error {
	out := File{Framework: *fw, Version: *v}
	out.Framework.ID = 0
	out.Version.ID, out.Version.FrameworkID = 0, 0
	out.Version.Domains = append([]upskill.Domain(nil), v.Domains...)
	for i := range out.Version.Domains {
		d := &out.Version.Domains[i]
		d.ID = 0
		d.Capabilities = append([]upskill.Capability(nil), d.Capabilities...)
		for j := range d.Capabilities {
			d.Capabilities[j].ID = 0
		}
	}
	out.Version.Questions = append([]upskill.CheckQuestion(nil), v.Questions...)
	for i := range out.Version.Questions {
		q := &out.Version.Questions[i]
		q.ID = 0
		q.Options = append([]upskill.CheckOption(nil), q.Options...)
		for j := range q.Options {
			q.Options[j].ID = 0
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("it is not valid JSON near byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s should be %s", te.Field, te.Type.String())
	case errors.Is(err, io.EOF):
		return "the file is empty"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return "it has a field upskill does not know: " + strings.TrimPrefix(msg, "json: unknown field ")
	}
	return msg
}
