// Package formats tells framework files apart and reads and writes each
// kind: upskill's own JSON, IMS CASE 1.0 JSON, and the CSV and XLSX
// templates for people who author in spreadsheets. The API and the pages
// that import and export frameworks use it.
package formats

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"upskill"
	"upskill/framework"
	"upskill/framework/casefmt"
	"upskill/framework/sheet"
)

// Content types of the formats.
const (
	TypeJSON = "application/json"
	TypeCSV  = "text/csv; charset=utf-8"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Registry reads and writes frameworks in every format upskill knows.
type Registry struct {
	// BaseURI starts the URIs of CASE documents and items, such as
	// https://upskill.example.nhs.uk/case.
	BaseURI string
	// Now is the time written into CASE packages; time.Now when nil.
	Now func() time.Time
}

// Kind names the format of a file, from its bytes and, when they do not
// settle it, its content type or name.
func Kind(contentType, name string, b []byte) string {
	trimmed := bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf")
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "xlsx"
	case len(trimmed) > 0 && trimmed[0] == '{':
		if casefmt.Sniff(b) {
			return "case"
		}
		return "json"
	case strings.HasPrefix(contentType, "text/csv"), strings.HasSuffix(strings.ToLower(name), ".csv"):
		return "csv"
	case len(trimmed) > 0:
		return "csv"
	}
	return ""
}

// Read decodes a framework file of any known format.
func (r Registry) Read(contentType string, body []byte) (*upskill.Framework, *upskill.FrameworkVersion, error) {
	return r.ReadNamed(contentType, "", body)
}

// ReadNamed decodes a framework file, using its name as a hint.
func (r Registry) ReadNamed(contentType, name string, body []byte) (*upskill.Framework, *upskill.FrameworkVersion, error) {
	var f *framework.File
	var err error
	switch Kind(contentType, name, body) {
	case "xlsx":
		f, err = sheet.ReadXLSX(bytes.NewReader(body))
	case "case":
		f, err = casefmt.Read(bytes.NewReader(body))
	case "json":
		f, err = framework.ReadJSON(bytes.NewReader(body))
	case "csv":
		f, err = sheet.ReadCSV(bytes.NewReader(body))
	default:
		return nil, nil, upskill.Errorf(upskill.EINVALID, "The file is empty. Choose a framework file: upskill JSON, CASE JSON, CSV or XLSX.")
	}
	if err != nil {
		return nil, nil, err
	}
	return &f.Framework, &f.Version, nil
}

// Write encodes a framework version in the named format and returns its
// content type and a file name.
func (r Registry) Write(w io.Writer, format string, fw *upskill.Framework, v *upskill.FrameworkVersion) (string, string, error) {
	base := fw.Key + "-v" + strconv.Itoa(v.Number)
	switch format {
	case "json":
		return TypeJSON, base + ".json", framework.WriteJSON(w, fw, v)
	case "case":
		now := time.Now
		if r.Now != nil {
			now = r.Now
		}
		return TypeJSON, base + "-case.json", casefmt.Write(w, fw, v, r.BaseURI, now().UTC())
	case "csv":
		return TypeCSV, base + ".csv", sheet.WriteCSV(w, fw, v)
	case "xlsx":
		return TypeXLSX, base + ".xlsx", sheet.WriteXLSX(w, fw, v)
	}
	return "", "", upskill.Errorf(upskill.EINVALID, "Choose a format: json, case, csv or xlsx.")
}
