package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"upskill"
	"upskill/framework"
)

// format is one of the two ways a framework goes into a spreadsheet.
type format struct {
	name  string
	write func(io.Writer, *upskill.Framework, *upskill.FrameworkVersion) error
	read  func(io.Reader) (*framework.File, error)
}

var formats = []format{{"CSV", WriteCSV, ReadCSV}, {"XLSX", WriteXLSX, ReadXLSX}}

func defaultFile(t testing.TB) *framework.File {
	t.Helper()
	f, err := framework.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return f
}

// jsonOf is a file as upskill's JSON, which is how two files are compared.
func jsonOf(t testing.TB, f *framework.File) string {
	t.Helper()
	var b bytes.Buffer
	if err := framework.WriteJSON(&b, &f.Framework, &f.Version); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return b.String()
}

func written(t testing.TB, fm format, f *framework.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := fm.write(&b, &f.Framework, &f.Version); err != nil {
		t.Fatalf("Write%s: %v", fm.name, err)
	}
	return b.Bytes()
}

// roundTrip writes f, reads it back and checks that nothing changed.
func roundTrip(t *testing.T, fm format, f *framework.File) {
	t.Helper()
	got, err := fm.read(bytes.NewReader(written(t, fm, f)))
	if err != nil {
		t.Fatalf("Read%s: %v %+v", fm.name, err, upskill.ErrorFields(err))
	}
	if err := f.Version.Validate(); err != nil {
		t.Fatalf("the version written does not pass Validate: %v", err)
	}
	if err := got.Version.Validate(); err != nil {
		t.Fatalf("the version read does not pass Validate: %v", err)
	}
	if want, got := jsonOf(t, f), jsonOf(t, got); got != want {
		t.Errorf("read back differently:\n got %s\nwant %s", got, want)
	}
}

// TestRoundTrip checks that the default framework comes back unchanged
// from each format.
func TestRoundTrip(t *testing.T) {
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) { roundTrip(t, fm, defaultFile(t)) })
	}
}

// TestRoundTripAwkward checks what the default framework does not have:
// identifiers, every question type, text a spreadsheet program would take
// for a formula or an escape, line breaks and long option lists.
func TestRoundTripAwkward(t *testing.T) {
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			f := defaultFile(t)
			v := &f.Version
			v.Identifier = "3b2f8c1e-1f5e-4a8e-9d1c-2a7b6c5d4e3f"
			v.Domains[0].Identifier = "d1"
			v.Domains[0].Capabilities[0].Identifier = "c1"
			c := &v.Domains[1].Capabilities[0]
			c.Type, c.Guidance = upskill.QuestionLevels, ""
			c = &v.Domains[1].Capabilities[1]
			c.Type, c.Descriptors = upskill.QuestionYesNo, nil
			c.Statement = "- I can use a list\nthat runs on to a second line"
			v.Domains[2].Description = "=SUM(A1:A2) is not a formula here"
			v.Domains[2].Capabilities[0].Guidance = "'+44 is how the number starts, and so is @home and _x0041_ and \"quoted\" text"
			v.Domains[3].Name = "Café, naïve and £5 ‘quotes’"
			q := &v.Questions[0]
			q.Kind = upskill.QuestionMultiple
			q.Options = nil
			for n := 1; n <= upskill.MaxOptions; n++ {
				q.Options = append(q.Options, upskill.CheckOption{Text: fmt.Sprintf("Option number %d", n), Correct: n%3 == 0})
			}
			v.Bands[1].Min = 3.5
			roundTrip(t, fm, f)
		})
	}
}

// TestBlankTemplate checks that a version with only levels and bands makes
// a template that reads back, before it is filled in, as a framework that
// needs its key, name and capabilities.
func TestBlankTemplate(t *testing.T) {
	d := defaultFile(t)
	v := &upskill.FrameworkVersion{Levels: d.Version.Levels, Bands: d.Version.Bands}
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := fm.write(&b, &upskill.Framework{}, v); err != nil {
				t.Fatalf("Write%s: %v", fm.name, err)
			}
			_, err := fm.read(&b)
			var fields []string
			for _, fe := range upskill.ErrorFields(err) {
				fields = append(fields, fe.Field+": "+fe.Message)
			}
			want := map[string][]string{
				"CSV": {
					"Capability rows: A framework needs between 1 and 20 domains",
					"Row 2, Code: Enter a key of 1 to 40 characters",
					"Row 2, Name: Enter the name of the framework",
					"Row 3, Name: Enter the title of the framework version",
				},
				"XLSX": {
					"Framework row 2, Code: Enter a key of 1 to 40 characters",
					"Framework row 2, Name: Enter the name of the framework",
					"Framework row 3, Name: Enter the title of the framework version",
					"Capabilities sheet: A framework needs between 1 and 20 domains",
				},
			}[fm.name]
			if strings.Join(fields, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(fields, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestWorkbookTemplate checks what makes the workbook friendly: the three
// sheets and help, bold frozen headings, code columns kept as text and
// drop-down lists.
func TestWorkbookTemplate(t *testing.T) {
	f := defaultFile(t)
	book, err := excelize.OpenReader(bytes.NewReader(written(t, formats[1], f)))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := strings.Join(book.GetSheetList(), ", "); got != "Framework, Capabilities, Knowledge checks, Help" {
		t.Errorf("sheets = %s", got)
	}
	header, _ := book.GetRows("Capabilities")
	if got := strings.Join(header[0], ", "); got != "Domain code, Domain name, Domain description, Code, Statement, Guidance, Question type, "+
		"Level 1 descriptor, Level 2 descriptor, Level 3 descriptor, Level 4 descriptor" {
		t.Errorf("Capabilities headings = %s", got)
	}
	for _, sheet := range []string{"Framework", "Capabilities", "Knowledge checks"} {
		panes, err := book.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes = %+v, %v; want the first row frozen", sheet, panes, err)
		}
		id, _ := book.GetCellStyle(sheet, "A1")
		style, err := book.GetStyle(id)
		if err != nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("%s: heading is not bold", sheet)
		}
	}
	id, _ := book.GetCellStyle("Capabilities", "D2")
	if style, _ := book.GetStyle(id); style.NumFmt != 49 {
		t.Errorf("the Code column has number format %d, want text (49)", style.NumFmt)
	}
	id, _ = book.GetCellStyle("Capabilities", "E2")
	if style, _ := book.GetStyle(id); style.Alignment == nil || !style.Alignment.WrapText {
		t.Errorf("the Statement column does not wrap")
	}
	if w, _ := book.GetColWidth("Capabilities", "E"); w < 40 {
		t.Errorf("the Statement column is %v wide", w)
	}
	dvs, _ := book.GetDataValidations("Capabilities")
	if len(dvs) != 1 || dvs[0].Sqref != "G2:G201" {
		t.Errorf("Capabilities data validations = %+v, want a list on G2:G201", dvs)
	}
}

// TestWorkbookWithCSVLayout checks that a CSV file opened in a spreadsheet
// program and saved as a workbook is read.
func TestWorkbookWithCSVLayout(t *testing.T) {
	f := defaultFile(t)
	rows := csvRows(t, written(t, formats[0], f))
	book := excelize.NewFile()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j := range r {
			cells[j] = r[j]
		}
		if err := book.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := book.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadXLSX(&b)
	if err != nil {
		t.Fatalf("ReadXLSX: %v %+v", err, upskill.ErrorFields(err))
	}
	if jsonOf(t, got) != jsonOf(t, f) {
		t.Errorf("read back differently")
	}
}

// TestReadCSVVariants checks CSV files as other programs write them:
// Windows-1252 text, semicolons, headings in another case and columns in
// another order, and blank lines, which count as rows as a spreadsheet
// program shows them.
func TestReadCSVVariants(t *testing.T) {
	f := defaultFile(t)
	f.Version.Domains[0].Name = "Café, naïve"
	rows := csvRows(t, written(t, formats[0], f))
	rows[0][2] = "  NAME "
	for _, r := range rows {
		r[1], r[2] = r[2], r[1]
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.WriteAll(rows)
	data, err := charmap.Windows1252.NewEncoder().Bytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadCSV(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV: %v\n%s", err, list(upskill.ErrorFields(err)))
	}
	if jsonOf(t, got) != jsonOf(t, f) {
		t.Errorf("read back differently:\n%s", jsonOf(t, got))
	}

	rows = csvRows(t, written(t, formats[0], defaultFile(t)))
	set(rows, 13, "Statement", "")
	b.Reset()
	w = csv.NewWriter(&b)
	for i, r := range rows {
		w.Write(r)
		if i == 5 {
			w.Flush()
			b.WriteString("\n\n")
		}
	}
	w.Flush()
	_, err = ReadCSV(&b)
	if fields := upskill.ErrorFields(err); len(fields) != 1 || fields[0].Field != "Row 15, Statement" {
		t.Errorf("problems:\n%swant one at Row 15, Statement", list(fields))
	}
}

// csvRows reads a CSV file as written.
func csvRows(t testing.TB, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func csvBytes(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	return b.Bytes()
}

// editCSV is the default framework as CSV, changed by edit.
func editCSV(edit func(rows [][]string) [][]string) csvInput {
	return func(t testing.TB) []byte {
		return csvBytes(edit(csvRows(t, written(t, formats[0], defaultFile(t)))))
	}
}

// set changes the cell of a CSV row (numbered from 1) under a heading.
func set(rows [][]string, n int, heading, value string) [][]string {
	for i, h := range rows[0] {
		if h == heading {
			rows[n-1][i] = value
			return rows
		}
	}
	panic("no heading " + heading)
}

func deleteColumn(rows [][]string, heading string) [][]string {
	i := 0
	for i < len(rows[0]) && rows[0][i] != heading {
		i++
	}
	for n, r := range rows {
		rows[n] = append(r[:i:i], r[i+1:]...)
	}
	return rows
}

// moreCapabilities adds n capabilities in a new domain 9 to the rows of a
// CSV file.
func moreCapabilities(rows [][]string, n int) [][]string {
	for i := 1; i <= n; i++ {
		r := make([]string, len(rows[0]))
		rows = append(rows, r)
		set(rows, len(rows), "Record", "Capability")
		set(rows, len(rows), "Domain code", "9")
		set(rows, len(rows), "Code", fmt.Sprintf("9.%d", i))
		set(rows, len(rows), "Statement", "I can do one more thing")
		set(rows, len(rows), "Question type", "yesno")
		if i == 1 {
			set(rows, len(rows), "Domain name", "More")
		}
	}
	return rows
}

// editXLSX is the default framework as a workbook, changed by edit.
func editXLSX(edit func(t testing.TB, book *excelize.File)) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		book, err := excelize.OpenReader(bytes.NewReader(written(t, formats[1], defaultFile(t))))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		edit(t, book)
		var b bytes.Buffer
		if err := book.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
}

func setCell(sheet, cell, value string) func(testing.TB, *excelize.File) {
	return func(t testing.TB, book *excelize.File) {
		if err := book.SetCellStr(sheet, cell, value); err != nil {
			t.Fatal(err)
		}
	}
}

func zipOf(t testing.TB, name, text string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create(name)
	io.WriteString(w, text)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func bytesOf(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }

type malformed struct {
	name   string
	input  func(testing.TB) []byte
	field  string // of the first problem
	count  int    // of problems
	phrase string // that the first problem's message has
}

// In the default framework as CSV, row 1 is the header, rows 2 to 10 the
// framework, version, four levels and three bands, rows 11 to 42 the 32
// capabilities and rows 43 to 60 the 18 knowledge checks.
var malformedCSV = []malformed{
	{"missing heading", editCSV(func(r [][]string) [][]string { return deleteColumn(r, "Statement") }), "Row 1", 1, "Add a column headed Statement"},
	{"no header row", editCSV(func(r [][]string) [][]string { return r[1:] }), "Row 1", 1, "The first row must hold the column headings"},
	{"misspelt heading", editCSV(func(r [][]string) [][]string { return set(r, 1, "Guidance", "Guidence") }), "Row 1, column J", 1, `"Guidence"`},
	{"unknown question type", editCSV(func(r [][]string) [][]string { return set(r, 11, "Question type", "stars") }), "Row 11, Question type", 1, "Choose scale, levels or yesno"},
	{"option that does not exist", editCSV(func(r [][]string) [][]string { return set(r, 43, "Correct", "2, 7") }), "Row 43, Correct", 1, "no option 7"},
	{"Correct not numbers", editCSV(func(r [][]string) [][]string { return set(r, 43, "Correct", "the second") }), "Row 43, Correct", 1, "numbers of the right options"},
	{"gap in the options", editCSV(func(r [][]string) [][]string { return set(r, 43, "Option 2", "") }), "Row 43, Option 2", 1, "Enter option 2"},
	{"domain without a name", editCSV(func(r [][]string) [][]string { return set(r, 13, "Domain code", "7") }), "Row 13, Domain name", 1, "Domain 7 has no name on any row"},
	{"domain named twice", editCSV(func(r [][]string) [][]string { return set(r, 13, "Domain name", "Another") }), "Row 13, Domain name", 1, "different name on row 11"},
	{"duplicate code", editCSV(func(r [][]string) [][]string { return set(r, 44, "Code", "1.Q1") }), "Row 44, Code", 1, "used twice: here and at Row 43, Code"},
	{"level without a name", editCSV(func(r [][]string) [][]string { return set(r, 5, "Name", "") }), "Row 5, Name", 1, "Enter the name of the level"},
	{"band out of order", editCSV(func(r [][]string) [][]string { return set(r, 10, "Minimum score", "2") }), "Row 10, Minimum score", 1, "above the one before"},
	{"value in another row's column", editCSV(func(r [][]string) [][]string { return set(r, 4, "Minimum score", "1") }), "Row 4, Minimum score", 1, "Leave Minimum score blank on a Level row"},
	{"unknown record", editCSV(func(r [][]string) [][]string { return set(r, 2, "Record", "Frame") }), "Framework row", 2, "Add a Framework row"},
	{"descriptors for a level that is not there", editCSV(func(r [][]string) [][]string { return append(r[:6], r[7:]...) }),
		"Row 10, Level 4 descriptor", 32, "The framework has 3 levels, so there is no level 4"},
	{"too many rows", editCSV(func(r [][]string) [][]string { return moreCapabilities(r, 169) }), "Row 229", 1, "at most 200 capabilities"},
	{"not a spreadsheet", bytesOf("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "File", 1, "not a CSV file"},
	{"a workbook", func(t testing.TB) []byte { return written(t, formats[1], defaultFile(t)) }, "File", 1, "Excel workbook, not a CSV file"},
	{"quotation mark out of place", editCSV(func(r [][]string) [][]string { return r[:3] }).then(`Level,"1"x,Aware`), "Row 4", 1, "quotation mark"},
	{"empty file", bytesOf(""), "File", 1, "The file is empty"},
	{"only a byte order mark and blank lines", bytesOf("\xef\xbb\xbf\r\n,,,\r\n"), "File", 1, "nothing in it"},
	{"too big", bytesOf(strings.Repeat("x", framework.MaxFileSize+1)), "File", 1, "larger than 2 MB"},
}

// csvInput makes a CSV file for a test.
type csvInput func(testing.TB) []byte

// then adds a line to a CSV file.
func (f csvInput) then(line string) csvInput {
	return func(t testing.TB) []byte { return append(f(t), line+"\n"...) }
}

// In the default workbook, row 1 of each sheet is its header; on the
// Framework sheet rows 2 to 10 are the framework, version, four levels and
// three bands.
var malformedXLSX = []malformed{
	{"missing heading", editXLSX(func(t testing.TB, b *excelize.File) {
		if err := b.RemoveCol("Capabilities", "E"); err != nil {
			t.Fatal(err)
		}
	}), "Capabilities row 1", 1, "Add a column headed Statement"},
	{"unknown question type", editXLSX(setCell("Capabilities", "G2", "stars")), "Capabilities row 2, Question type", 1, "Choose scale, levels or yesno"},
	{"option that does not exist", editXLSX(setCell("Knowledge checks", "O2", "5")), "Knowledge checks row 2, Correct", 1, "no option 5"},
	{"domain without a name", editXLSX(setCell("Capabilities", "A4", "7")), "Capabilities row 4, Domain name", 1, "Domain 7 has no name on any row"},
	{"duplicate code", editXLSX(setCell("Knowledge checks", "A3", "1.Q1")), "Knowledge checks row 3, Code", 1, "here and at Knowledge checks row 2, Code"},
	{"heading in another case", editXLSX(setCell("Capabilities", "E1", "  STATEMENT ")), "", 0, ""},
	{"too many rows", editXLSX(func(t testing.TB, b *excelize.File) {
		for n := 34; n <= 202; n++ {
			row := []any{"9", "", "", fmt.Sprintf("9.%d", n), "I can do one more thing", "", "yesno"}
			if n == 34 {
				row[1] = "More"
			}
			if err := b.SetSheetRow("Capabilities", fmt.Sprintf("A%d", n), &row); err != nil {
				t.Fatal(err)
			}
		}
	}), "Capabilities row 202", 1, "at most 200 capabilities"},
	{"missing sheet", editXLSX(func(t testing.TB, b *excelize.File) {
		if err := b.DeleteSheet("Capabilities"); err != nil {
			t.Fatal(err)
		}
	}), "File", 1, "no sheet called Capabilities"},
	{"no framework rows", editXLSX(func(t testing.TB, b *excelize.File) {
		for range 9 {
			if err := b.RemoveRow("Framework", 2); err != nil {
				t.Fatal(err)
			}
		}
	}), "Framework sheet", 4, "Add a Framework row"},
	{"not a spreadsheet", bytesOf("Record,Code,Name\nFramework,hcdcf,Health\n"), "File", 1, "not an Excel workbook"},
	{"a zip that is not a workbook", func(t testing.TB) []byte { return zipOf(t, "notes.txt", "hello") }, "File", 1, "not an Excel workbook"},
	{"a workbook of something else", func(t testing.TB) []byte {
		book := excelize.NewFile()
		book.SetCellStr("Sheet1", "A1", "Shopping")
		var b bytes.Buffer
		book.Write(&b)
		return b.Bytes()
	}, "File", 1, "must have sheets called Framework, Capabilities and Knowledge checks"},
	{"an empty file", bytesOf(""), "File", 1, "The file is empty"},
	{"too many escapes", func(t testing.TB) []byte {
		return zipOf(t, "xl/sharedStrings.xml", strings.Repeat("_x0041_", maxEscapes+1))
	}, "File", 1, "too many hidden characters"},
}

func TestReadMalformed(t *testing.T) {
	for _, fm := range formats {
		cases := map[string][]malformed{"CSV": malformedCSV, "XLSX": malformedXLSX}[fm.name]
		for _, tc := range cases {
			t.Run(fm.name+"/"+tc.name, func(t *testing.T) {
				_, err := fm.read(bytes.NewReader(tc.input(t)))
				fields := upskill.ErrorFields(err)
				t.Logf("problems:\n%s", list(fields))
				if tc.count == 0 {
					if err != nil {
						t.Fatalf("Read%s: %v %+v", fm.name, err, fields)
					}
					return
				}
				if code := upskill.ErrorCode(err); code != upskill.EINVALID {
					t.Fatalf("error code %q (%v), want %q", code, err, upskill.EINVALID)
				}
				if len(fields) != tc.count || fields[0].Field != tc.field || !strings.Contains(fields[0].Message, tc.phrase) {
					t.Errorf("got %d problems:\n%s\nwant %d, the first at %q saying %q", len(fields), list(fields), tc.count, tc.field, tc.phrase)
				}
			})
		}
	}
}

func list(fields []upskill.FieldError) string {
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "  %s: %s\n", f.Field, f.Message)
	}
	return b.String()
}

// TestEveryProblemAtOnce checks that three mistakes in three places are
// reported together, in the order of the spreadsheet.
func TestEveryProblemAtOnce(t *testing.T) {
	want := map[string][]string{
		"CSV":  {"Row 9, Minimum score", "Row 11, Statement", "Row 43, Kind"},
		"XLSX": {"Framework row 9, Minimum score", "Capabilities row 2, Statement", "Knowledge checks row 2, Kind"},
	}
	inputs := map[string][]byte{
		"CSV": editCSV(func(r [][]string) [][]string {
			set(r, 43, "Kind", "several")
			set(r, 11, "Statement", "")
			return set(r, 9, "Minimum score", "lots")
		})(t),
		"XLSX": editXLSX(func(t testing.TB, b *excelize.File) {
			setCell("Knowledge checks", "D2", "several")(t, b)
			setCell("Capabilities", "E2", "")(t, b)
			setCell("Framework", "E9", "lots")(t, b)
		})(t),
	}
	for _, fm := range formats {
		_, err := fm.read(bytes.NewReader(inputs[fm.name]))
		var got []string
		for _, f := range upskill.ErrorFields(err) {
			got = append(got, f.Field)
		}
		if strings.Join(got, "; ") != strings.Join(want[fm.name], "; ") {
			t.Errorf("%s: problems at %q, want %q\n%s", fm.name, got, want[fm.name], list(upskill.ErrorFields(err)))
		}
		if msg := upskill.ErrorMessage(err); msg != "There are 3 problems with the spreadsheet. Fix them and upload it again." {
			t.Errorf("%s: message %q", fm.name, msg)
		}
	}
}

// TestOrder checks that domains come in the order their codes first
// appear, capabilities in the order of their rows even when domains are
// interleaved, and that levels with no Code are numbered in order.
func TestOrder(t *testing.T) {
	data := "Record,Code,Name,Minimum score,Domain code,Domain name,Statement,Question type\n" +
		"Framework,k,Kit\nVersion,,Title\nLevel,,One\nLevel,,Two\nBand,,Low,0\n" +
		"Capability,2.1,,,2,Second,I can do two,scale\n" +
		"Capability,1.1,,,1,First,I can do one,yesno\n" +
		"Capability,2.2,,,2,,I can do two again,scale\n"
	f, err := ReadCSV(strings.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV: %v\n%s", err, list(upskill.ErrorFields(err)))
	}
	var got []string
	for _, d := range f.Version.Domains {
		for _, c := range d.Capabilities {
			got = append(got, d.Code+" "+d.Name+" "+c.Code)
		}
	}
	if want := "2 Second 2.1, 2 Second 2.2, 1 First 1.1"; strings.Join(got, ", ") != want {
		t.Errorf("capabilities %q, want %q", strings.Join(got, ", "), want)
	}
	if l := f.Version.Levels; len(l) != 2 || l[0].Number != 1 || l[1].Number != 2 {
		t.Errorf("levels %+v", l)
	}
}
