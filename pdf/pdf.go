// Package pdf draws the documents upskill offers as PDF downloads, such as
// a person's digital skills report. It embeds the Go fonts, so that any
// name prints correctly and the binary needs no fonts from the machine.
package pdf

import (
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"upskill"
)

// ReportInput is what a report PDF shows.
type ReportInput struct {
	PersonName       string
	FrameworkName    string
	OrganisationName string
	Submitted        time.Time
	Report           upskill.Report
	Bands            []upskill.Band
	// Notes are short paragraphs shown after the lists: how the ratings
	// compare with the knowledge questions, and the supervisor's review.
	Notes []string
}

// Colours of the NHS identity used in the document.
var (
	nhsBlue  = [3]int{0, 94, 184}
	darkGrey = [3]int{66, 84, 98}
	text     = [3]int{33, 43, 50}
	rule     = [3]int{174, 183, 189}
)

const (
	pageW    = 210.0
	margin   = 18.0
	contentW = pageW - 2*margin
)

// newDoc starts an A4 document with the fonts loaded.
func newDoc(title string, created time.Time) *fpdf.Fpdf {
	d := fpdf.New("P", "mm", "A4", "")
	d.SetMargins(margin, margin, margin)
	d.SetAutoPageBreak(true, margin)
	d.AddUTF8FontFromBytes("go", "", goregular.TTF)
	d.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	d.SetTitle(title, true)
	d.SetCreator("upskill", true)
	// Sorted output makes the same report give the same bytes.
	d.SetCatalogSort(true)
	d.SetCreationDate(created)
	d.SetModificationDate(created)
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.SetFont("go", "", 8)
		colour(d.SetTextColor, darkGrey)
		d.CellFormat(0, 5, fmt.Sprintf("%s – page %d", title, d.PageNo()), "", 0, "C", false, 0, "")
	})
	return d
}

func colour(set func(r, g, b int), c [3]int) { set(c[0], c[1], c[2]) }

// Report writes a person's digital skills report.
func Report(w io.Writer, in ReportInput) error {
	d := newDoc("Digital skills report", in.Submitted)
	d.AddPage()
	colour(d.SetTextColor, nhsBlue)
	d.SetFont("go", "B", 20)
	d.MultiCell(contentW, 9, "Digital skills report", "", "L", false)
	colour(d.SetTextColor, text)
	d.SetFont("go", "", 11)
	d.MultiCell(contentW, 6, printable(in.PersonName), "", "L", false)
	meta := in.FrameworkName
	if in.OrganisationName != "" {
		meta += ". Taken for " + in.OrganisationName
	}
	meta += ". Submitted on " + in.Submitted.Format("2 January 2006") + "."
	d.MultiCell(contentW, 6, printable(meta), "", "L", false)
	d.Ln(4)

	r := in.Report
	heading(d, "Overall: "+orNot(r.Band))
	paragraph(d, fmt.Sprintf("Across %d statements you rated yourself %.1f out of 10 on average, and your role needs %.1f. Where you are below what is needed, you are %.1f points short on average.",
		r.Answered, r.Now, r.Needed, r.Gap))

	heading(d, "Where you are and where you need to be")
	paragraph(d, "Blue bars show where you are now, grey bars where your role needs you to be, out of 10.")
	chart(d, r)

	table(d, r)

	heading(d, "Your strengths")
	if len(r.Strengths) == 0 {
		paragraph(d, "None of your ratings is 7 or more yet while meeting what your role needs.")
	}
	for _, c := range r.Strengths {
		bullet(d, fmt.Sprintf("%s (%.0f out of 10)", c.Statement, c.Now))
	}
	heading(d, "What to work on next")
	if len(r.Development) == 0 {
		paragraph(d, "You meet what your role needs in every statement.")
	}
	for _, c := range r.Development {
		bullet(d, fmt.Sprintf("%s: you rated yourself %.0f of a needed %.0f", c.Statement, c.Now, c.Needed))
	}
	if len(in.Notes) > 0 {
		heading(d, "Notes")
		for _, n := range in.Notes {
			paragraph(d, n)
		}
	}
	if len(in.Bands) > 0 {
		heading(d, "What the bands mean")
		for _, b := range in.Bands {
			bullet(d, fmt.Sprintf("%s, from %.0f out of 10. %s", b.Name, b.Min, b.Description))
		}
	}
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

func orNot(s string) string {
	if s == "" {
		return "not rated"
	}
	return s
}

func heading(d *fpdf.Fpdf, s string) {
	d.Ln(3)
	d.SetFont("go", "B", 13)
	colour(d.SetTextColor, text)
	d.MultiCell(contentW, 7, printable(s), "", "L", false)
	d.Ln(1)
}

func paragraph(d *fpdf.Fpdf, s string) {
	d.SetFont("go", "", 10)
	colour(d.SetTextColor, text)
	d.MultiCell(contentW, 5, printable(s), "", "L", false)
	d.Ln(1)
}

func bullet(d *fpdf.Fpdf, s string) {
	d.SetFont("go", "", 10)
	colour(d.SetTextColor, text)
	x := d.GetX()
	d.CellFormat(5, 5, "•", "", 0, "L", false, 0, "")
	d.MultiCell(contentW-5, 5, printable(s), "", "L", false)
	d.SetX(x)
}

// chart draws each domain's label and two bars on a 0 to 10 scale.
func chart(d *fpdf.Fpdf, r upskill.Report) {
	const barH, scaleW = 3.5, 120.0
	for _, dom := range r.Domains {
		if d.GetY() > 260 {
			d.AddPage()
		}
		d.SetFont("go", "B", 9)
		colour(d.SetTextColor, text)
		d.MultiCell(contentW, 5, printable(dom.Code+". "+dom.Name), "", "L", false)
		y := d.GetY()
		colour(d.SetFillColor, rule)
		d.Rect(margin, y, scaleW, barH*2+1, "F")
		colour(d.SetFillColor, nhsBlue)
		d.Rect(margin, y, dom.Now*scaleW/upskill.ScaleMax, barH, "F")
		colour(d.SetFillColor, darkGrey)
		d.Rect(margin, y+barH+1, dom.Needed*scaleW/upskill.ScaleMax, barH, "F")
		d.SetFont("go", "", 8)
		d.SetXY(margin+scaleW+3, y-0.5)
		d.CellFormat(40, barH+1, fmt.Sprintf("Now %.1f", dom.Now), "", 2, "L", false, 0, "")
		d.SetX(margin + scaleW + 3)
		d.CellFormat(40, barH+1, fmt.Sprintf("Needed %.1f", dom.Needed), "", 1, "L", false, 0, "")
		d.SetY(y + barH*2 + 4)
	}
}

// table gives the chart's figures as a table.
func table(d *fpdf.Fpdf, r upskill.Report) {
	widths := []float64{86, 20, 20, 20, 28}
	head := []string{"Area", "Now", "Needed", "Gap", "Band"}
	d.Ln(2)
	d.SetFont("go", "B", 9)
	colour(d.SetDrawColor, rule)
	for i, h := range head {
		align := "R"
		if i == 0 || i == 4 {
			align = "L"
		}
		d.CellFormat(widths[i], 7, h, "B", 0, align, false, 0, "")
	}
	d.Ln(-1)
	d.SetFont("go", "", 9)
	for _, dom := range r.Domains {
		name := printable(dom.Name)
		for d.GetStringWidth(name) > widths[0]-2 && len(name) > 4 {
			name = string([]rune(name)[:len([]rune(name))-4]) + "…"
		}
		cells := []string{name, fmt.Sprintf("%.1f", dom.Now), fmt.Sprintf("%.1f", dom.Needed), fmt.Sprintf("%.1f", dom.Gap), printable(dom.Band)}
		for i, c := range cells {
			align := "R"
			if i == 0 || i == 4 {
				align = "L"
			}
			d.CellFormat(widths[i], 6, c, "B", 0, align, false, 0, "")
		}
		d.Ln(-1)
	}
}
