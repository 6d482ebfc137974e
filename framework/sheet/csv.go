package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"upskill"
	"upskill/framework"
)

// bom is the byte order mark Excel puts at the start of a "CSV UTF-8" file.
var bom = []byte("\xef\xbb\xbf")

// ReadCSV reads a framework version from a CSV file in the one-table
// layout the package comment describes, and checks it. Any problem with
// the file is an upskill.EINVALID *upskill.Error with one field for each
// problem, named by row and column.
func ReadCSV(r io.Reader) (*framework.File, error) {
	data, err := readInput(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, bom)
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, fileProblem("The file is an Excel workbook, not a CSV file. Upload it as a workbook, or save it as CSV UTF-8 and upload that")
	case bytes.IndexByte(data, 0) >= 0:
		return nil, fileProblem("The file is not a CSV file. Save the spreadsheet as CSV UTF-8 (comma delimited) and upload that")
	case !utf8.Valid(data):
		// Excel's plain "CSV" format saves in the Windows code page, which
		// is what a file that is not UTF-8 most likely is.
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			return nil, fileProblem("The file is not in a text encoding upskill can read. Save it as CSV UTF-8 and upload it again")
		}
	}

	t := &table{limit: maxCombinedRows}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	// Rows are numbered as a spreadsheet program shows them. The reader
	// skips empty lines, which are rows there, and a quoted cell may
	// span lines, which is not, so rows are counted from the lines each
	// record starts and ends on.
	n, next, end := 0, 1, int64(0)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				n += 1 + max(pe.StartLine-next, 0)
			}
			var p problems
			p.add(t.atRow(max(n, 1)), "A quotation mark is out of place, so the cells of this row cannot be told apart. Check its quotation marks, or save the file again from your spreadsheet program")
			return nil, p.err()
		}
		line, _ := cr.FieldPos(0)
		n += 1 + max(line-next, 0)
		offset := cr.InputOffset()
		next += bytes.Count(data[end:offset], []byte("\n"))
		end = offset
		if !t.add(n, rec) {
			break
		}
	}
	b := newBuilder()
	b.readCombined(t)
	return b.result()
}

// delimiter guesses the character that separates cells from the first
// line: a comma, or the semicolon or tab some spreadsheet programs use.
func delimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(first, ',') < 0 {
		switch {
		case bytes.IndexByte(first, ';') >= 0:
			return ';'
		case bytes.IndexByte(first, '\t') >= 0:
			return '\t'
		}
	}
	return ','
}

// WriteCSV writes a framework version as a CSV file in the one-table
// layout, which ReadCSV reads back. It starts with a byte order mark, so
// that Excel opens it as UTF-8.
func WriteCSV(w io.Writer, fw *upskill.Framework, v *upskill.FrameworkVersion) error {
	if fw == nil || v == nil {
		return errors.New("sheet: WriteCSV needs a framework and a version")
	}
	t := layout(fw, v)
	cols := combinedColumns(t.levels, t.idents)
	if _, err := w.Write(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(cols); err != nil {
		return err
	}
	cells := make([]string, len(cols))
	for _, rows := range [][]record{t.framework, t.capabilities, t.questions} {
		for _, r := range rows {
			for i, h := range cols {
				cells[i] = r[h]
				if formula.MatchString(cells[i]) {
					cells[i] = "'" + cells[i]
				}
			}
			if err := cw.Write(cells); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
