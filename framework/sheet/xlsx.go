package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"upskill"
	"upskill/framework"
)

// maxUnzipped bounds the size of a workbook's parts once unzipped, all
// together. A framework's text is far smaller; the limit is there because
// a small zip can hold a great deal. It is also the size up to which
// excelize keeps a part in memory, so that reading never writes to disk.
const maxUnzipped = 16 * framework.MaxFileSize

// maxEscapes bounds the characters a workbook writes as _x000D_ and the
// like. excelize decodes them in time that grows with the square of their
// number in one cell, and a framework has hardly any.
const maxEscapes = 2000

// escapeCode is how a workbook writes a character XML cannot hold.
var escapeCode = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

const notWorkbook = "The file is not an Excel workbook (.xlsx). Save it from your spreadsheet program as an Excel Workbook and upload it again"

// ReadXLSX reads a framework version from a workbook made from the
// template the package comment describes, and checks it. Any problem with
// the workbook is an upskill.EINVALID *upskill.Error with one field for
// each problem, named by sheet, row and column.
func ReadXLSX(r io.Reader) (f *framework.File, err error) {
	data, err := readInput(r)
	if err != nil {
		return nil, err
	}
	// excelize is not written for hostile input; a workbook it cannot
	// cope with is a workbook upskill cannot read, not a fault.
	defer func() {
		if recover() != nil {
			f, err = nil, fileProblem(notWorkbook)
		}
	}()
	if err := checkParts(data); err != nil {
		return nil, err
	}
	book, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		if book != nil {
			book.Close()
		}
		return nil, fileProblem(notWorkbook)
	}
	defer book.Close()

	find := func(name string) (string, int) {
		for i, s := range book.GetSheetList() {
			if normal(s) == normal(name) {
				return s, i
			}
		}
		return "", -1
	}
	b := newBuilder()
	fwName, fwIndex := find(sheetFramework)
	capName, capIndex := find(sheetCapabilities)
	qName, qIndex := find(sheetQuestions)
	if fwName == "" && capName == "" && qName == "" {
		// A CSV file opened in a spreadsheet program and saved as a
		// workbook has the one-table layout on its first sheet.
		if list := book.GetSheetList(); len(list) > 0 {
			t := &table{sheet: list[0], limit: maxCombinedRows}
			if readSheet(book, t) == nil && t.found && hasHeading(t.header, hRecord) {
				b.readCombined(t)
				return b.result()
			}
		}
		return nil, fileProblem("The workbook must have sheets called Framework, Capabilities and Knowledge checks. Download the template to see how to fill them in")
	}

	// Knowledge checks are optional, so their sheet may be left out.
	for _, s := range []struct {
		name, want string
		index      int
		limit      int
		group      group
		read       func(*table)
	}{
		{fwName, sheetFramework, fwIndex, maxFrameworkRows, groupFramework, b.readFrameworkSheet},
		{capName, sheetCapabilities, capIndex, upskill.MaxCapabilities, groupCapabilities, b.readCapabilitySheet},
		{qName, sheetQuestions, qIndex, upskill.MaxQuestions, groupQuestions, b.readQuestionSheet},
	} {
		t := &table{sheet: s.name, order: s.index, limit: s.limit}
		switch {
		case s.name == "" && s.group == groupQuestions:
		case s.name == "":
			b.p.add(fileArea, "The workbook has no sheet called %s. Add it, or download the template to see how", s.want)
			b.broken[s.group] = true
		case readSheet(book, t) != nil:
			b.p.add(t.area(kindFramework), "The %s sheet cannot be read. Save the workbook again from your spreadsheet program, or copy the rows into the template", s.name)
			b.broken[s.group] = true
		default:
			s.read(t)
		}
	}
	return b.result()
}

// checkParts refuses a workbook that excelize would take too long over,
// before excelize reads it.
func checkParts(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileProblem(notWorkbook)
	}
	escapes, size := 0, int64(0)
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") && name != "xl/sharedstrings.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return fileProblem(notWorkbook)
		}
		part, err := io.ReadAll(io.LimitReader(rc, maxUnzipped-size+1))
		rc.Close()
		size += int64(len(part))
		if err != nil || size > maxUnzipped {
			return fileProblem(notWorkbook)
		}
		escapes += len(escapeCode.FindAllIndex(part, maxEscapes+1))
		if escapes > maxEscapes {
			return fileProblem("The workbook has too many hidden characters, such as carriage returns, to be a framework. Copy its rows into the template and upload that")
		}
	}
	return nil
}

// readSheet reads a sheet into t, a row at a time so that rows past t's
// limit are never read.
func readSheet(book *excelize.File, t *table) error {
	rows, err := book.Rows(t.sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return err
		}
		if !t.add(n, cells) {
			break
		}
	}
	return rows.Error()
}

// hasHeading reports whether a header row has heading h.
func hasHeading(header row, h string) bool {
	for _, s := range header.cells {
		if headings[normal(s)] == h {
			return true
		}
	}
	return false
}

// column is how the workbook shows a column.
type column struct {
	width float64
	style int // an index into the styles of writeBook
}

// Styles of writeBook's cells.
const (
	styleText   = iota // short text, kept as typed: codes
	styleLong          // long text, wrapped
	styleNumber        // scores
	styleHeader
	styleCount
)

// columnFormat says how each column is shown. Code columns are text, so that a
// code typed as 1.10 is not made the number 1.1.
func columnFormat(h string) column {
	switch {
	case h == hRecord:
		return column{16, styleText}
	case h == hCode || h == hDomainCode || h == hCapabilityCode || h == hCorrect:
		return column{12, styleText}
	case h == hType || h == hKind:
		return column{15, styleText}
	case h == hMinimum:
		return column{15, styleNumber}
	case h == hIdentifier || h == hDomainIdentifier:
		return column{38, styleText}
	case h == hName || h == hDomainName || optionNumber[h] > 0:
		return column{32, styleLong}
	}
	return column{50, styleLong}
}

// WriteXLSX writes a framework version as a workbook made from the
// template, which ReadXLSX reads back. A version with levels and bands but
// no domains makes a blank template for people to fill in.
func WriteXLSX(w io.Writer, fw *upskill.Framework, v *upskill.FrameworkVersion) error {
	if fw == nil || v == nil {
		return errors.New("sheet: WriteXLSX needs a framework and a version")
	}
	t := layout(fw, v)
	book := excelize.NewFile()
	defer book.Close()

	var styles [styleCount]int
	for i, s := range []*excelize.Style{
		styleText:   {Alignment: &excelize.Alignment{Vertical: "top"}, NumFmt: 49},
		styleLong:   {Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49},
		styleNumber: {Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}},
		styleHeader: {
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8EDEE"}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
			Border:    []excelize.Border{{Type: "bottom", Color: "#425563", Style: 2}},
		},
	} {
		id, err := book.NewStyle(s)
		if err != nil {
			return err
		}
		styles[i] = id
	}

	sheets := []struct {
		name string
		cols []string
		rows []record
		max  int
	}{
		{sheetFramework, frameworkColumns(t.idents), t.framework, maxFrameworkRows},
		{sheetCapabilities, capabilityColumns(t.levels, t.idents), t.capabilities, upskill.MaxCapabilities},
		{sheetQuestions, questionColumns(), t.questions, upskill.MaxQuestions},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := book.SetSheetName(book.GetSheetName(0), s.name); err != nil {
				return err
			}
		} else if _, err := book.NewSheet(s.name); err != nil {
			return err
		}
		if err := writeSheet(book, s.name, s.cols, s.rows, s.max, styles); err != nil {
			return err
		}
	}
	if err := writeHelp(book, t, styles); err != nil {
		return err
	}
	book.SetActiveSheet(0)
	return book.Write(w)
}

// writeSheet writes one sheet: a bold, frozen header row, the rows, and
// column widths and formats that suit what the columns hold.
func writeSheet(book *excelize.File, name string, cols []string, rows []record, most int, styles [styleCount]int) error {
	for i, h := range cols {
		c := columnFormat(h)
		l := letter(i)
		if err := book.SetColWidth(name, l, l, c.width); err != nil {
			return err
		}
		if err := book.SetColStyle(name, l, styles[c.style]); err != nil {
			return err
		}
	}
	header := make([]any, len(cols))
	for i, h := range cols {
		header[i] = h
	}
	if err := book.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	if err := book.SetCellStyle(name, "A1", letter(len(cols)-1)+"1", styles[styleHeader]); err != nil {
		return err
	}
	for n, r := range rows {
		for i, h := range cols {
			s := r[h]
			if s == "" {
				continue
			}
			cell := letter(i) + strconv.Itoa(n+2)
			var err error
			if x, perr := strconv.ParseFloat(s, 64); perr == nil && h == hMinimum {
				err = book.SetCellFloat(name, cell, x, -1, 64)
			} else {
				err = book.SetCellStr(name, cell, escapeCell(s))
			}
			if err != nil {
				return err
			}
		}
	}
	if err := book.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Drop-down lists for the columns that take one of a few words, over
	// as many rows as the sheet may hold.
	lists := map[string][]string{
		hRecord: {kindFramework.String(), kindVersion.String(), kindLevel.String(), kindBand.String()},
		hType:   {string(upskill.QuestionScale), string(upskill.QuestionLevels), string(upskill.QuestionYesNo)},
		hKind:   {string(upskill.QuestionSingle), string(upskill.QuestionMultiple)},
	}
	for i, h := range cols {
		words, ok := lists[h]
		if !ok {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", letter(i), letter(i), most+1))
		if err := dv.SetDropList(words); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, h, "Choose "+strings.Join(words[:len(words)-1], ", ")+" or "+words[len(words)-1]+".")
		if err := book.AddDataValidation(name, dv); err != nil {
			return err
		}
	}
	return nil
}

// escapeCell writes text so that reading gives it back. A workbook writes
// a character XML cannot hold as _xHHHH_, so such characters are written
// that way, and text that merely looks like one has its underscore
// escaped; an apostrophe that reading would take off is doubled.
func escapeCell(s string) string {
	if strings.HasPrefix(s, "'") && formula.MatchString(s) {
		s = "'" + s
	}
	var out strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && escapeCode.MatchString(s[i:min(i+7, len(s))]):
			out.WriteString("_x005F_")
		case r < 0x20 && r != '\t' && r != '\n' || r == 0xFFFE || r == 0xFFFF:
			fmt.Fprintf(&out, "_x%04X_", r)
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// writeHelp adds a sheet that says what to put in each column. Readers
// ignore it, as they ignore any sheet they do not know.
func writeHelp(book *excelize.File, t *template, styles [styleCount]int) error {
	rows := [][2]string{
		{"About this workbook", "It holds one version of a framework. Fill in the Framework, Capabilities and Knowledge checks sheets, then upload the workbook. The first row of each sheet holds the column headings: keep them as they are. Blank rows are ignored, and so is this sheet."},
		{"Framework sheet", "One row for the framework, one for the version, one for each level and one for each band. Record says which."},
		{"Framework row", "Code: a short key for the framework, in lower-case letters, numbers and hyphens, like hcdcf. Name and Description: the name of the framework and what it is for."},
		{"Version row", "Name: the title of this version. Description: what it covers and who it is for."},
		{"Level rows", "One row for each level, lowest first. Code: the number of the level, 1, 2, 3 and so on. Name and Description: what a person at that level can do. A framework has between 2 and 10 levels."},
		{"Band rows", "One row for each band a score can fall in, lowest first. Minimum score: where the band starts on the 0 to 10 scale. The first band starts at 0."},
		{"Capabilities sheet", "One row for each capability, in the order people will see them."},
		{"Domain code, name and description", "The domain the capability belongs to. Give the name and description on the domain's first row; on its other rows the code is enough. Domains are shown in the order their codes first appear."},
		{"Code", "A code for the capability, like 1.1, that no domain, capability or knowledge check shares. No spaces or commas."},
		{"Statement", "What a person can do, like \"I can keep my passwords safe\"."},
		{"Guidance", "Optional. What the statement means, with examples."},
		{"Question type", "How people rate themselves: scale (from 0 to 10), levels (they choose the descriptor that fits them) or yesno."},
		{"Level descriptors", "What the capability looks like at each level, one column for each level. Needed for the levels question type; otherwise optional, but give all of them or none."},
		{"Knowledge checks sheet", "One row for each question. The sheet may be left empty."},
		{"Code, Domain code and Capability code", "A code for the question, like 1.Q1; the domain it belongs to; and, if you like, the capability it tests."},
		{"Kind", "single if one option is right, multiple if people should choose all that apply."},
		{"Question and Explanation", "The question, and what people are told once they have answered it."},
		{"Option 1 to Option 8", "The answers to choose from: at least 2, with no gaps."},
		{"Correct", "The numbers of the right options, like 2, or 1, 3."},
	}
	if t.idents {
		rows = append(rows, [2]string{"Identifier and Domain identifier", "Identifiers that stay the same from one version to the next. Keep them as they are, and leave them blank on new rows."})
	}
	if _, err := book.NewSheet(sheetHelp); err != nil {
		return err
	}
	for i, w := range []float64{34, 100} {
		if err := book.SetColWidth(sheetHelp, letter(i), letter(i), w); err != nil {
			return err
		}
		if err := book.SetColStyle(sheetHelp, letter(i), styles[styleLong]); err != nil {
			return err
		}
	}
	for n, r := range rows {
		if err := book.SetSheetRow(sheetHelp, "A"+strconv.Itoa(n+1), &[]any{r[0], r[1]}); err != nil {
			return err
		}
		if strings.HasSuffix(r[0], "sheet") || n == 0 {
			if err := book.SetCellStyle(sheetHelp, "A"+strconv.Itoa(n+1), "A"+strconv.Itoa(n+1), styles[styleHeader]); err != nil {
				return err
			}
		}
	}
	return nil
}
