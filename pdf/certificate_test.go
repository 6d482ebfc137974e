package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-pdf/fpdf"

	"upskill"
)

func sampleCertificate() Certificate {
	return Certificate{
		ID:               "c8f1-22ab-9e40",
		PersonName:       "Zoë Ní Bhriain",
		Learning:         "Spotting and reporting phishing emails",
		Version:          3,
		OrganisationName: "Alder Hospitals NHS Foundation Trust",
		CompletedAt:      time.Date(2026, 3, 3, 14, 5, 0, 0, time.UTC),
		Score:            90,
		PassMark:         80,
		Duration:         45 * time.Minute,
		Capabilities:     []string{"I can recognise a suspicious email and report it", "Digital identity, wellbeing, safety and security"},
		VerifyURL:        "https://upskill.example.nhs.uk/certificates/c8f1-22ab-9e40",
	}
}

func writeCertificate(t testing.TB, c Certificate) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCertificate(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteCertificate(t *testing.T) {
	c := sampleCertificate()
	doc := writeCertificate(t, c)
	if !bytes.HasPrefix(doc, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(doc), []byte("%%EOF")) {
		t.Fatalf("not a whole PDF: %d bytes", len(doc))
	}
	if n := pageCount(doc); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	shown := strings.Join(pdfText(t, doc), "\n")
	for _, want := range []string{
		"Certificate of completion",
		"This is to certify that",
		c.PersonName,
		c.Learning,
		"Version 3, completed for Alder Hospitals NHS Foundation Trust on 3 March 2026.",
		"Scored 90%, with a pass mark of 80%. Expected duration: 45 minutes.",
		"What this learning covers",
		c.Capabilities[0],
		c.Capabilities[1],
		"Certificate ID: c8f1-22ab-9e40",
		"Anyone can check this certificate at " + c.VerifyURL,
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("no %q in the text:\n%s", want, shown)
		}
	}
	for key, want := range map[string]string{
		"Title":   "Certificate of completion: Spotting and reporting phishing emails",
		"Author":  "Alder Hospitals NHS Foundation Trust",
		"Subject": "Zoë Ní Bhriain completed Spotting and reporting phishing emails for Alder Hospitals NHS Foundation Trust on 3 March 2026.",
	} {
		if got := infoString(t, doc, key); got != want {
			t.Errorf("%s is %q, want %q", key, got, want)
		}
	}
	for _, want := range []string{"/Lang (en-GB)", "/URI (" + c.VerifyURL + ")", "/CreationDate (D:20260303140500)"} {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("no %s in the document", want)
		}
	}
}

func TestWriteCertificateOptionalParts(t *testing.T) {
	c := sampleCertificate()
	c.Version, c.Score, c.PassMark, c.Duration, c.Capabilities, c.VerifyURL = 0, 0, 0, 0, nil, ""
	shown := strings.Join(pdfText(t, writeCertificate(t, c)), "\n")
	if !strings.Contains(shown, "Completed for Alder Hospitals NHS Foundation Trust on 3 March 2026.") {
		t.Errorf("no completion line in:\n%s", shown)
	}
	for _, unwanted := range []string{"Version", "Scored", "Expected duration", "What this learning covers", "Anyone can check"} {
		if strings.Contains(shown, unwanted) {
			t.Errorf("%q shown though its field is empty:\n%s", unwanted, shown)
		}
	}

	c.Score, c.Capabilities = 75, []string{"one", "two", "three", "four", "five"}
	shown = strings.Join(pdfText(t, writeCertificate(t, c)), "\n")
	for _, want := range []string{"Scored 75%.", "one\ntwo\nand 3 more"} {
		if !strings.Contains(shown, want) {
			t.Errorf("no %q in:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, "three") {
		t.Errorf("a capability past the limit is listed:\n%s", shown)
	}
}

func TestWriteCertificateLongText(t *testing.T) {
	name := cut(strings.Repeat("Zoë Ní Bhriain-Łukasz Şükrü ", 10), 200)
	title := cut(strings.Repeat("Using electronic patient records safely, with Łukasz and Zoë ", 5), 200)
	tests := []struct {
		desc   string
		change func(*Certificate)
		// whole lists text that must be shown in full, not cut short.
		whole []string
	}{
		{"long name", func(c *Certificate) { c.PersonName = name }, []string{name}},
		{"long title", func(c *Certificate) { c.Learning = title }, []string{title}},
		{"long name and title", func(c *Certificate) { c.PersonName, c.Learning = name, title }, []string{name, title}},
		{"one long word", func(c *Certificate) { c.PersonName = strings.Repeat("Ş", 200) }, nil},
		{"everything at its longest", func(c *Certificate) {
			c.PersonName = strings.Repeat(name+" ", 5)
			c.Learning = strings.Repeat(title+" ", 5)
			c.OrganisationName = strings.Repeat("Alder Hospitals NHS Foundation Trust ", 20)
			c.Capabilities = []string{strings.Repeat("I can keep records safe ", 20), strings.Repeat("x", 300), "three", "four"}
			c.Duration = 100*time.Hour + 59*time.Minute
			c.ID = strings.Repeat("@", maxIDLength)
			c.VerifyURL = "https://upskill.example.nhs.uk/" + strings.Repeat("@", maxURLLength-31)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			c := sampleCertificate()
			tt.change(&c)
			doc := writeCertificate(t, c)
			if n := pageCount(doc); n != 1 {
				t.Errorf("%d pages, want 1", n)
			}
			shown := strings.Join(pdfText(t, doc), " ")
			for _, s := range append(tt.whole, "Certificate ID: "+c.ID) {
				if !strings.Contains(shown, s) {
					t.Errorf("%q is not shown in full:\n%s", s, shown)
				}
			}
			if !bytes.Contains(doc, []byte("/URI ("+c.VerifyURL+")")) {
				t.Error("the link for checking the certificate is missing")
			}
			checkLayout(t, newCertificateDoc(c), c)
		})
	}
}

// TestCertificateLayoutFits tries names and titles of many lengths, with
// everything else at its longest, since the tallest body comes from text
// that only just fits its lines at a large size rather than from the
// longest text.
func TestCertificateLayoutFits(t *testing.T) {
	c := sampleCertificate()
	c.OrganisationName = strings.Repeat("Alder Hospitals NHS Foundation Trust ", 20)
	c.Capabilities = []string{"one", "two", "three", "four"}
	c.ID = strings.Repeat("@", maxIDLength) // the widest character
	c.VerifyURL = "https://upskill.example.nhs.uk/" + strings.Repeat("@", maxURLLength-31)
	d := newCertificateDoc(c)
	words := strings.Repeat("Zoë Ní Bhriain-Łukasz Şükrü ", 20)
	for n := 20; n <= 240; n += 20 {
		for m := 20; m <= 240; m += 20 {
			c.PersonName, c.Learning = cut(words, n), cut(words, m)
			checkLayout(t, d, c)
		}
	}
}

// checkLayout checks that every line of c's certificate is within the
// frame and the text width, and that no two lines overlap.
func checkLayout(t *testing.T, d *fpdf.Fpdf, c Certificate) {
	t.Helper()
	c, err := checkCertificate(c)
	if err != nil {
		t.Fatal(err)
	}
	lines := layoutCertificate(d, c)
	const slack = 0.01
	bottom := certFrame
	for _, l := range lines {
		if l.y < bottom-slack {
			t.Errorf("%q at %.1f mm overlaps the line above, which ends at %.1f mm", l.text, l.y, bottom)
		}
		if l.y < certFrame || l.y+l.h > certPageH-certFrame {
			t.Errorf("%q at %.1f to %.1f mm is outside the frame", l.text, l.y, l.y+l.h)
		}
		bottom = l.y + l.h
		if l.rule {
			continue
		}
		if l.size < 7 {
			t.Errorf("%q is %.1f points, too small to read", l.text, l.size)
		}
		if (l.link != "" || strings.HasPrefix(l.text, "Certificate ID")) && strings.HasSuffix(l.text, "…") {
			t.Errorf("%q, needed to check the certificate, is cut short", l.text)
		}
		d.SetFont("go", l.style, l.size)
		if w := d.GetStringWidth(l.text); w > certTextW-2*d.GetCellMargin()+slack {
			t.Errorf("%q is %.1f mm wide, more than the %.1f mm of text width", l.text, w, certTextW)
		}
	}
}

func TestWriteCertificateInvalid(t *testing.T) {
	tests := []struct {
		field  string
		change func(*Certificate)
	}{
		{"id", func(c *Certificate) { c.ID = " " }},
		{"id", func(c *Certificate) { c.ID = strings.Repeat("x", maxIDLength+1) }},
		{"person_name", func(c *Certificate) { c.PersonName = "" }},
		{"person_name", func(c *Certificate) { c.PersonName = "\t\u200b\n" }},
		{"learning", func(c *Certificate) { c.Learning = "" }},
		{"version", func(c *Certificate) { c.Version = -1 }},
		{"organisation_name", func(c *Certificate) { c.OrganisationName = "" }},
		{"completed_at", func(c *Certificate) { c.CompletedAt = time.Time{} }},
		{"score", func(c *Certificate) { c.Score = 101 }},
		{"score", func(c *Certificate) { c.Score = 70 }},
		{"pass_mark", func(c *Certificate) { c.PassMark = -5 }},
		{"duration", func(c *Certificate) { c.Duration = -time.Minute }},
		{"verify_url", func(c *Certificate) { c.VerifyURL = "upskill.example.nhs.uk/c/1" }},
		{"verify_url", func(c *Certificate) { c.VerifyURL = "javascript:alert(1)" }},
		{"verify_url", func(c *Certificate) { c.VerifyURL = "https://example.nhs.uk/🎉" }},
		{"verify_url", func(c *Certificate) { c.VerifyURL = "https://example.nhs.uk/a certificate" }},
		{"verify_url", func(c *Certificate) { c.VerifyURL = "https://example.nhs.uk/" + strings.Repeat("x", maxURLLength) }},
	}
	for _, tt := range tests {
		c := sampleCertificate()
		tt.change(&c)
		var buf bytes.Buffer
		err := WriteCertificate(&buf, c)
		if upskill.ErrorCode(err) != upskill.EINVALID {
			t.Errorf("%s: got %v, want an invalid error", tt.field, err)
			continue
		}
		if fields := fieldNames(err); !slices.Equal(fields, []string{tt.field}) {
			t.Errorf("%s: errors for %v", tt.field, fields)
		}
		if buf.Len() > 0 {
			t.Errorf("%s: %d bytes written despite the error", tt.field, buf.Len())
		}
	}

	err := WriteCertificate(io.Discard, Certificate{})
	want := []string{"id", "person_name", "learning", "organisation_name", "completed_at"}
	if fields := fieldNames(err); !slices.Equal(fields, want) {
		t.Errorf("an empty certificate gives errors for %v, want %v", fields, want)
	}
	if msg := upskill.ErrorMessage(err); !strings.Contains(msg, "no date of completion") {
		t.Errorf("message %q does not say what is missing", msg)
	}
}

func fieldNames(err error) []string {
	var e *upskill.Error
	if !errors.As(err, &e) {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return names
}

func TestWriteCertificateSameBytes(t *testing.T) {
	c := sampleCertificate()
	first, second := writeCertificate(t, c), writeCertificate(t, c)
	if !bytes.Equal(first, second) {
		t.Error("two renderings of one certificate differ")
	}
	c.ID = "c8f1-22ab-9e41"
	if bytes.Equal(first, writeCertificate(t, c)) {
		t.Error("certificates with different IDs are the same")
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Zoë Ní Bhriain", "Zoë Ní Bhriain"},
		{"Zoe\u0308", "Zoë"}, // decomposed accents are composed
		{"  Łukasz\t\nNowak\u00a0 ", "Łukasz Nowak"},
		{"Şükrü\u200b\u0007 Yılmaz", "Şükrü Yılmaz"},
		{"Ana 😀 Silva", "Ana \ufffd Silva"}, // outside the Basic Multilingual Plane
		{"李 Wei", "\ufffd Wei"},             // not in the fonts
		{"Ελένη Παπαδοπούλου", "Ελένη Παπαδοπούλου"},
		{"bad \xff byte", "bad \ufffd byte"},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}

	// fpdf panics on characters outside the Basic Multilingual Plane, so
	// a name with one must still make a certificate.
	c := sampleCertificate()
	c.PersonName = "Ana 😀 Silva 李"
	c.Learning = "Emoji 🎉 and more"
	shown := strings.Join(pdfText(t, writeCertificate(t, c)), "\n")
	if !strings.Contains(shown, "Ana \ufffd Silva \ufffd") {
		t.Errorf("name not shown with replacement characters:\n%s", shown)
	}
}

func TestDurationText(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{10 * time.Second, "1 minute"},
		{45 * time.Minute, "45 minutes"},
		{time.Hour, "1 hour"},
		{90*time.Minute + 20*time.Second, "1 hour 30 minutes"},
		{2*time.Hour + time.Minute, "2 hours 1 minute"},
	}
	for _, tt := range tests {
		if got := durationText(tt.in); got != tt.want {
			t.Errorf("durationText(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkWriteCertificate(b *testing.B) {
	c := sampleCertificate()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteCertificate(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}

// cut returns the first n characters of s.
func cut(s string, n int) string {
	return string([]rune(s)[:n])
}

// pageCount reads the page count from the document's page tree.
func pageCount(doc []byte) int {
	return bytes.Count(doc, []byte("/Type /Page\n"))
}

// pdfText returns the strings that fpdf's pages show, in drawing order. It
// inflates each stream and decodes the strings shown with Tj, which fpdf
// writes as UTF-16 when the font is a UTF-8 one.
func pdfText(t *testing.T, doc []byte) []string {
	t.Helper()
	var shown []string
	for rest := doc; ; {
		i := bytes.Index(rest, []byte("\nstream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("\nstream\n"):]
		r, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			continue
		}
		content, err := io.ReadAll(r)
		if err != nil || !bytes.Contains(content, []byte(")Tj")) {
			continue
		}
		for {
			j := bytes.Index(content, []byte(" Td ("))
			if j < 0 {
				break
			}
			var s string
			s, content = literal(t, content[j+len(" Td ("):])
			shown = append(shown, s)
		}
	}
	if len(shown) == 0 {
		t.Fatal("no text in the document")
	}
	return shown
}

// infoString returns the value of a key of the document information
// dictionary, such as Title.
func infoString(t *testing.T, doc []byte, key string) string {
	t.Helper()
	i := bytes.Index(doc, []byte("/"+key+" ("))
	if i < 0 {
		t.Fatalf("no %s in the document", key)
	}
	s, _ := literal(t, doc[i+len(key)+3:])
	return s
}

// literal decodes the PDF literal string at the start of b, just after its
// opening bracket, as UTF-16 with or without a byte order mark, and returns
// it with what follows it.
func literal(t *testing.T, b []byte) (string, []byte) {
	t.Helper()
	var raw []byte
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case ')':
			if len(raw)%2 != 0 {
				t.Fatalf("odd length string %q", raw)
			}
			raw = bytes.TrimPrefix(raw, []byte{0xfe, 0xff})
			units := make([]uint16, len(raw)/2)
			for k := range units {
				units[k] = uint16(raw[2*k])<<8 | uint16(raw[2*k+1])
			}
			return string(utf16.Decode(units)), b[i+1:]
		case '\\':
			i++
			switch b[i] {
			case 'r':
				raw = append(raw, '\r')
			case 'n':
				raw = append(raw, '\n')
			default:
				raw = append(raw, b[i])
			}
		default:
			raw = append(raw, c)
		}
	}
	t.Fatal("unterminated string")
	return "", nil
}
