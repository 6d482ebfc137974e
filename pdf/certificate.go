package pdf

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"upskill"
)

// Certificate is what a certificate of completion shows. It is given when a
// person completes a piece of learning, so that they can show it to an
// employer.
type Certificate struct {
	// ID identifies the certificate. It is printed with VerifyURL so that
	// anyone can check that the certificate is genuine.
	ID         string
	PersonName string
	// Learning is the title of the lesson or national learning completed.
	Learning string
	// Version is the version of the learning that was completed; 0 leaves
	// it out.
	Version int
	// OrganisationName is the organisation the learning was done for.
	OrganisationName string
	// CompletedAt is printed as a date in its own location, so pass it in
	// the person's time zone (Europe/London for most).
	CompletedAt time.Time
	// Score is the person's result as a percentage. It and PassMark are 0
	// when the learning has no questions.
	Score int
	// PassMark is the percentage needed to pass, or 0 if there is none.
	PassMark int
	// Duration is how long the learning is expected to take; 0 leaves it
	// out.
	Duration time.Duration
	// Capabilities are the framework statements or domains the learning
	// covers, one line each. So that the certificate stays on one page, at
	// most three lines are shown: with more, the third counts the rest.
	Capabilities []string
	// VerifyURL is the address where anyone can check the certificate.
	VerifyURL string
}

// Page geometry of the certificate, in millimetres: A4 landscape with a
// frame and the text inset from it.
const (
	certPageW  = 297.0
	certPageH  = 210.0
	certFrame  = 10.0
	certMargin = 24.0
	certTextW  = certPageW - 2*certMargin
	// certTop and certBottom bound the text.
	certTop    = certFrame + 9
	certBottom = certPageH - certFrame - 7

	ptToMM      = 25.4 / 72
	lineSpacing = 1.25
	// The longest ID fits on one line, and the longest address on three
	// below the words that introduce it, even in the widest characters, so
	// neither is ever cut short.
	maxIDLength  = 64
	maxURLLength = 250
	// maxCapabilities is how many lines the capabilities may take.
	maxCapabilities = 3
)

// WriteCertificate writes a one-page certificate of completion to w. It
// returns an *upskill.Error with code EINVALID, and one message per field,
// when something the certificate needs is missing or wrong.
func WriteCertificate(w io.Writer, c Certificate) error {
	c, err := checkCertificate(c)
	if err != nil {
		return err
	}
	d := newCertificateDoc(c)
	d.AddPage()
	colour(d.SetDrawColor, nhsBlue)
	d.SetLineWidth(1.2)
	d.Rect(certFrame, certFrame, certPageW-2*certFrame, certPageH-2*certFrame, "D")
	for _, l := range layoutCertificate(d, c) {
		if l.rule {
			colour(d.SetDrawColor, rule)
			d.SetLineWidth(0.3)
			d.Line(certMargin, l.y, certMargin+certTextW, l.y)
			continue
		}
		d.SetFont("go", l.style, l.size)
		colour(d.SetTextColor, l.colour)
		d.SetXY(certMargin, l.y)
		d.CellFormat(certTextW, l.h, l.text, "", 0, "C", false, 0, l.link)
	}
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

// newCertificateDoc starts an A4 landscape document with the fonts loaded
// and the metadata that screen readers and search tools use.
func newCertificateDoc(c Certificate) *fpdf.Fpdf {
	d := fpdf.New("L", "mm", "A4", "")
	d.SetMargins(certMargin, certTop, certMargin)
	// The layout is fitted to one page, so nothing may start another.
	d.SetAutoPageBreak(false, 0)
	d.AddUTF8FontFromBytes("go", "", goregular.TTF)
	d.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	d.SetTitle("Certificate of completion: "+c.Learning, true)
	d.SetAuthor(c.OrganisationName, true)
	d.SetSubject(fmt.Sprintf("%s completed %s for %s on %s.", c.PersonName, c.Learning, c.OrganisationName, britishDate(c.CompletedAt)), true)
	d.SetKeywords("certificate of completion "+c.ID, true)
	d.SetCreator("upskill", true)
	d.SetLang("en-GB")
	d.SetDisplayMode("fullpage", "single")
	// Sorted output and fixed dates make the same certificate give the
	// same bytes.
	d.SetCatalogSort(true)
	d.SetCreationDate(c.CompletedAt)
	d.SetModificationDate(c.CompletedAt)
	return d
}

// checkCertificate returns c with its text made printable, or an error
// that lists everything wrong with it.
func checkCertificate(c Certificate) (Certificate, error) {
	c.ID = printable(c.ID)
	c.PersonName = printable(c.PersonName)
	c.Learning = printable(c.Learning)
	c.OrganisationName = printable(c.OrganisationName)
	c.VerifyURL = strings.TrimSpace(c.VerifyURL)
	var caps []string
	for _, s := range c.Capabilities {
		if s = printable(s); s != "" {
			caps = append(caps, s)
		}
	}
	c.Capabilities = caps

	var fields []upskill.FieldError
	bad := func(field, msg string) {
		fields = append(fields, upskill.FieldError{Field: field, Message: msg})
	}
	switch {
	case c.ID == "":
		bad("id", "The certificate has no ID.")
	case utf8.RuneCountInString(c.ID) > maxIDLength:
		bad("id", fmt.Sprintf("The certificate ID must be %d characters or fewer.", maxIDLength))
	}
	if c.PersonName == "" {
		bad("person_name", "The certificate has no name for the person who completed the learning.")
	}
	if c.Learning == "" {
		bad("learning", "The certificate has no title for the learning.")
	}
	if c.Version < 0 {
		bad("version", "The version of the learning cannot be negative.")
	}
	if c.OrganisationName == "" {
		bad("organisation_name", "The certificate has no organisation.")
	}
	if c.CompletedAt.IsZero() {
		bad("completed_at", "The certificate has no date of completion.")
	}
	switch {
	case c.Score < 0 || c.Score > 100:
		bad("score", "The score must be a percentage from 0 to 100.")
	case c.PassMark < 0 || c.PassMark > 100:
		bad("pass_mark", "The pass mark must be a percentage from 0 to 100.")
	case c.Score < c.PassMark:
		bad("score", "The score is below the pass mark, so the learning has not been passed.")
	}
	if c.Duration < 0 {
		bad("duration", "The expected duration cannot be negative.")
	}
	if c.VerifyURL != "" {
		u, err := url.Parse(c.VerifyURL)
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			bad("verify_url", "The address for checking the certificate must be a web address starting with https://.")
		case strings.ContainsFunc(c.VerifyURL, func(r rune) bool { return r <= ' ' || r > '~' }):
			bad("verify_url", "The address for checking the certificate must have its spaces and other special characters percent-encoded.")
		case len(c.VerifyURL) > maxURLLength:
			bad("verify_url", fmt.Sprintf("The address for checking the certificate must be %d characters or fewer.", maxURLLength))
		}
	}
	if len(fields) == 0 {
		return c, nil
	}
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = f.Message
	}
	return c, &upskill.Error{Code: upskill.EINVALID,
		Message: "The certificate cannot be made. " + strings.Join(msgs, " "), Fields: fields}
}

// goFonts are the embedded fonts, parsed to learn which characters they
// can draw.
var goFonts = sync.OnceValue(func() []*sfnt.Font {
	var fonts []*sfnt.Font
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			panic(err) // the fonts are compiled in, so this cannot happen
		}
		fonts = append(fonts, f)
	}
	return fonts
})

// printable returns s on one line, with accents composed, invisible
// characters dropped and characters the fonts cannot draw shown as U+FFFD.
// fpdf's UTF-8 fonts only draw characters of the Basic Multilingual Plane,
// and one outside it (an emoji, say) makes fpdf panic, so none may reach it.
func printable(s string) string {
	var buf sfnt.Buffer
	has := func(r rune) bool {
		for _, f := range goFonts() {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				return false
			}
		}
		return true
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		case !has(r):
			return utf8.RuneError
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// A certLine is one line of the laid-out certificate.
type certLine struct {
	text   string
	style  string  // "" or "B"
	size   float64 // points
	colour [3]int
	y, h   float64 // top and height, in mm
	gap    float64 // space above, in mm
	link   string
	rule   bool // a horizontal rule at y rather than text
}

// A certBlock is a piece of text that may wrap onto up to maxLines lines,
// and shrink from size to min points to do so. Past that it is cut short.
// Text never gets smaller than min, so that it stays readable.
type certBlock struct {
	text      string
	style     string
	size, min float64
	maxLines  int
	colour    [3]int
	before    float64 // space above, in mm
	link      string
}

// layoutCertificate places every line of the certificate. The organisation
// sits at the top and the verification details at the bottom; the body is
// centred between them, its sizes and gaps shrunk in steps until it fits.
// Each block's height is bounded by its lines and sizes, whatever its text,
// and at the smallest scale the longest possible body fits.
func layoutCertificate(d *fpdf.Fpdf, c Certificate) []certLine {
	var out []certLine

	head, _ := fitBlock(d, certBlock{text: c.OrganisationName, style: "B", size: 16, min: 11, maxLines: 2, colour: nhsBlue}, 1)
	y := certTop
	for _, l := range head {
		l.y = y
		y += l.h
		out = append(out, l)
	}
	bodyTop := y + 4

	foot := []certBlock{{text: "Certificate ID: " + c.ID, size: 9, min: 7, maxLines: 1, colour: darkGrey}}
	if c.VerifyURL != "" {
		foot = append(foot, certBlock{text: "Anyone can check this certificate at " + c.VerifyURL,
			size: 9, min: 7, maxLines: 4, colour: darkGrey, link: c.VerifyURL})
	}
	var footLines []certLine
	footTop := certBottom
	for _, b := range foot {
		ls, h := fitBlock(d, b, 1)
		footLines = append(footLines, ls...)
		footTop -= h
	}
	bodyBottom := footTop - 6

	body := certificateBody(c)
	var lines []certLine
	var height float64
	for step := 0; step <= 8; step++ {
		lines, height = nil, 0
		scale := 1 - 0.05*float64(step)
		for _, b := range body {
			ls, h := fitBlock(d, b, scale)
			if len(ls) == 0 {
				continue
			}
			ls[0].gap = b.before * scale
			height += ls[0].gap + h
			lines = append(lines, ls...)
		}
		if height <= bodyBottom-bodyTop {
			break
		}
	}
	y = bodyTop + (bodyBottom-bodyTop-height)/2
	for _, l := range lines {
		y += l.gap
		l.y = y
		y += l.h
		out = append(out, l)
	}

	out = append(out, certLine{rule: true, y: footTop - 3})
	y = footTop
	for _, l := range footLines {
		l.y = y
		y += l.h
		out = append(out, l)
	}
	return out
}

// certificateBody lists the blocks of the certificate's body, from the top.
func certificateBody(c Certificate) []certBlock {
	body := []certBlock{
		{text: "Certificate of completion", style: "B", size: 34, min: 26, maxLines: 1, colour: nhsBlue},
		{text: "This is to certify that", size: 15, min: 11, maxLines: 1, colour: text, before: 8},
		{text: c.PersonName, style: "B", size: 30, min: 14, maxLines: 3, colour: text, before: 3},
		{text: "has completed", size: 15, min: 11, maxLines: 1, colour: text, before: 3},
		{text: c.Learning, style: "B", size: 22, min: 12, maxLines: 3, colour: nhsBlue, before: 3},
	}
	done := "Completed for " + c.OrganisationName + " on " + britishDate(c.CompletedAt) + "."
	if c.Version > 0 {
		done = fmt.Sprintf("Version %d, completed for %s on %s.", c.Version, c.OrganisationName, britishDate(c.CompletedAt))
	}
	body = append(body, certBlock{text: done, size: 13, min: 10, maxLines: 2, colour: text, before: 4})

	var details []string
	switch {
	case c.PassMark > 0:
		details = append(details, fmt.Sprintf("Scored %d%%, with a pass mark of %d%%.", c.Score, c.PassMark))
	case c.Score > 0:
		details = append(details, fmt.Sprintf("Scored %d%%.", c.Score))
	}
	if c.Duration > 0 {
		details = append(details, "Expected duration: "+durationText(c.Duration)+".")
	}
	if len(details) > 0 {
		body = append(body, certBlock{text: strings.Join(details, " "), size: 11, min: 9, maxLines: 2, colour: darkGrey, before: 5})
	}

	if len(c.Capabilities) > 0 {
		caps := c.Capabilities
		if len(caps) > maxCapabilities {
			more := len(caps) - (maxCapabilities - 1)
			caps = append(caps[:maxCapabilities-1:maxCapabilities-1], fmt.Sprintf("and %d more", more))
		}
		body = append(body, certBlock{text: "What this learning covers", style: "B", size: 11, min: 9, maxLines: 1, colour: darkGrey, before: 7})
		for _, s := range caps {
			body = append(body, certBlock{text: s, size: 10, min: 9, maxLines: 1, colour: darkGrey, before: 1})
		}
	}
	return body
}

// fitBlock wraps b's text to the text width at the largest size, from
// b.size times scale (but not below b.min) down to b.min, that needs no
// more than b.maxLines lines. At b.min, lines past the last are cut and the
// last ends with an ellipsis. It returns the lines and their total height.
func fitBlock(d *fpdf.Fpdf, b certBlock, scale float64) ([]certLine, float64) {
	if b.text == "" {
		return nil, 0
	}
	hi, lo := max(b.size*scale, b.min), b.min
	var size float64
	var parts []string
	for size = hi; ; size -= 0.5 {
		size = max(size, lo)
		d.SetFont("go", b.style, size)
		parts = d.SplitText(b.text, certTextW)
		if len(parts) <= b.maxLines || size <= lo {
			break
		}
	}
	if len(parts) > b.maxLines {
		parts = parts[:b.maxLines]
		last := []rune(strings.TrimSpace(parts[len(parts)-1]))
		for len(last) > 0 && d.GetStringWidth(string(last)+"…") > certTextW-2*d.GetCellMargin() {
			last = []rune(strings.TrimRightFunc(string(last[:len(last)-1]), unicode.IsSpace))
		}
		parts[len(parts)-1] = string(last) + "…"
	}
	h := size * ptToMM * lineSpacing
	lines := make([]certLine, len(parts))
	for i, p := range parts {
		lines[i] = certLine{text: p, style: b.style, size: size, colour: b.colour, h: h, link: b.link}
	}
	return lines, h * float64(len(lines))
}

// britishDate writes a date as in "3 March 2026".
func britishDate(t time.Time) string {
	return t.Format("2 January 2006")
}

// durationText writes a duration to the nearest minute, as in
// "1 hour 30 minutes".
func durationText(d time.Duration) string {
	mins := max(int(d.Round(time.Minute)/time.Minute), 1)
	var parts []string
	if h := mins / 60; h > 0 {
		parts = append(parts, plural(h, "hour"))
	}
	if m := mins % 60; m > 0 {
		parts = append(parts, plural(m, "minute"))
	}
	return strings.Join(parts, " ")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
