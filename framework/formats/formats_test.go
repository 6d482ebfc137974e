package formats

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"upskill"
	"upskill/framework"
)

// TestRoundTrip writes the default framework in every format and reads it
// back, telling each format apart by its bytes alone.
func TestRoundTrip(t *testing.T) {
	f, err := framework.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := Registry{BaseURI: "https://upskill.example.org/case", Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	for _, format := range []string{"json", "case", "csv", "xlsx"} {
		var buf bytes.Buffer
		ct, name, err := r.Write(&buf, format, &f.Framework, &f.Version)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !strings.HasPrefix(name, "hcdcf-v") || ct == "" {
			t.Errorf("%s: content type %q, name %q", format, ct, name)
		}
		if got := Kind("", "", buf.Bytes()); got != format {
			t.Errorf("%s file is taken for %s", format, got)
		}
		fw, v, err := r.Read("", buf.Bytes())
		if err != nil {
			t.Fatalf("read %s: %v", format, err)
		}
		if fw.Key != f.Framework.Key || len(v.Capabilities()) != len(f.Version.Capabilities()) || len(v.Questions) != len(f.Version.Questions) {
			t.Errorf("%s: read back %s with %d statements", format, fw.Key, len(v.Capabilities()))
		}
		if c := upskill.CompareVersions(&f.Version, v); !c.None() {
			t.Errorf("%s: the version changed on the way: %+v", format, c)
		}
		if !reflect.DeepEqual(v.Questions[0].Options, f.Version.Questions[0].Options) {
			t.Errorf("%s: knowledge-check options changed", format)
		}
	}
	if _, _, err := r.Write(&bytes.Buffer{}, "pdf", &f.Framework, &f.Version); upskill.ErrorCode(err) != upskill.EINVALID {
		t.Errorf("unknown format: %v", err)
	}
}

func TestKind(t *testing.T) {
	for _, c := range []struct{ ct, name, body, want string }{
		{"", "", "", ""},
		{"", "", "   \n", ""},
		{"", "", "\xef\xbb\xbf{\"framework\": {}}", "json"},
		{"text/csv", "", "Record,Code", "csv"},
		{"", "f.csv", "{not json", "json"},
		{"", "", "PK\x03\x04rest", "xlsx"},
		{"", "", "Record,Code\nFramework,x", "csv"},
	} {
		if got := Kind(c.ct, c.name, []byte(c.body)); got != c.want {
			t.Errorf("Kind(%q, %q, %q) = %q, want %q", c.ct, c.name, c.body, got, c.want)
		}
	}
	if _, _, err := (Registry{}).Read("", nil); upskill.ErrorCode(err) != upskill.EINVALID {
		t.Errorf("empty file: %v", err)
	}
}
