// Package sheet reads and writes a framework version as a spreadsheet, so
// that the people who write frameworks can do it in Excel, LibreOffice or
// Google Sheets rather than in JSON. One spreadsheet holds one version:
// the framework's name, the levels and bands, every capability and every
// knowledge check.
//
// # The workbook (XLSX)
//
// The workbook has three sheets. The first row of each holds the column
// headings; every row below it describes one thing.
//
// "Framework" has a row for the framework, one for the version, one for
// each level (lowest first) and one for each band (lowest first). The
// Record column says which:
//
//	Record     Code   Name                 Description              Minimum score
//	Framework  hcdcf  Health and Care ...  The digital skills ...
//	Version           ... edition 1        This edition ...
//	Level      1      Aware                You know why ...
//	Level      2      Practising           You do this ...
//	Band              Developing           You are building ...     0
//	Band              Capable              You can do ...           4
//
// The Framework row's Code is the framework's key. A Level row's Code is
// its number and may be left blank, for the rows to be numbered in order.
//
// "Capabilities" has a row for each capability, in the order they are
// shown: Domain code, Domain name, Domain description, Code, Statement,
// Guidance, Question type (scale, levels or yesno), then Level 1
// descriptor, Level 2 descriptor and so on, one for each level. Domains
// come in the order their codes first appear. A domain's name and
// description are given on one of its rows, usually the first; on its
// other rows they may be left blank, and where they are repeated they must
// be the same.
//
// "Knowledge checks" has a row for each question: Code, Domain code,
// Capability code (optional), Kind (single or multiple), Question,
// Explanation, Option 1 to Option 8, and Correct, the numbers of the right
// options ("2" or "1, 3").
//
// Other sheets, such as the template's Help sheet, are ignored, so authors
// can keep notes in the workbook. Optional Identifier columns (on the
// Version row and on capabilities) and a Domain identifier column carry the
// stable identifiers a framework exported from upskill has, so that a
// version edited in a spreadsheet keeps them; they are written only when
// there are any. A version's number, status and dates are not part of the
// template: an imported spreadsheet always becomes a new draft.
//
// # The CSV file
//
// A CSV file holds one table, so it holds the rows of all three sheets in
// one, with a Record column that says what each row describes: Framework,
// Version, Level, Band, Capability or Knowledge check. Its columns are the
// three sheets' columns together; a heading means the same on every row
// that uses it (Code is the framework's key, a level's number, a
// capability's code or a question's code) and a row leaves blank the
// columns it does not use. One table was chosen over a CSV of capabilities
// alone because one file then holds the whole version, every row says what
// it is, and rows can be sorted or filtered without losing their meaning.
// A workbook whose only or first sheet holds this one table, as when the
// CSV file is opened and saved as a workbook, is read as well.
//
// Excel runs a CSV cell that starts with =, +, - or @ as a formula, which
// breaks text such as "- Check the record" and could run a formula an
// author did not write, so WriteCSV puts an apostrophe before such text
// and every reader takes one apostrophe off again. Excel also turns codes
// such as 1.10 into numbers (1.1) when it opens a CSV file; the workbook's
// code columns are formatted as text so that it does not.
//
// # Reading
//
// Headings are matched ignoring case and surrounding spaces, blank rows are
// ignored, and the spaces around every cell are removed. A CSV file may start
// with a byte order mark and may be in UTF-8 or, as Excel's plain "CSV"
// saves it, in Windows-1252. Both readers treat their input as hostile: they
// limit its size, its rows and its columns, never panic, and report every
// problem at once as an upskill.EINVALID *upskill.Error whose fields name
// the sheet, row and column, such as "Capabilities row 14, Statement", so
// that an author can fix them all before trying again.
package sheet

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"upskill"
)

// Names of the workbook's sheets.
const (
	sheetFramework    = "Framework"
	sheetCapabilities = "Capabilities"
	sheetQuestions    = "Knowledge checks"
	sheetHelp         = "Help"
)

// Headings of the template's columns. A heading means the same thing
// wherever it appears, which is what lets the CSV layout be the rows of
// the three sheets in one table.
const (
	hRecord            = "Record"
	hCode              = "Code"
	hName              = "Name"
	hDescription       = "Description"
	hMinimum           = "Minimum score"
	hIdentifier        = "Identifier"
	hDomainCode        = "Domain code"
	hDomainName        = "Domain name"
	hDomainDescription = "Domain description"
	hDomainIdentifier  = "Domain identifier"
	hStatement         = "Statement"
	hGuidance          = "Guidance"
	hType              = "Question type"
	hCapabilityCode    = "Capability code"
	hKind              = "Kind"
	hQuestion          = "Question"
	hExplanation       = "Explanation"
	hCorrect           = "Correct"
)

// hDescriptor is the heading of the descriptors of a level.
func hDescriptor(level int) string { return "Level " + strconv.Itoa(level) + " descriptor" }

// hOption is the heading of a knowledge check's nth option.
func hOption(n int) string { return "Option " + strconv.Itoa(n) }

// headings maps each heading, as normal() leaves it, to the heading as the
// template spells it; descriptorLevel and optionNumber say which level or
// option a heading is for.
var (
	headings        = map[string]string{}
	descriptorLevel = map[string]int{}
	optionNumber    = map[string]int{}
)

func init() {
	for _, h := range []string{hRecord, hCode, hName, hDescription, hMinimum, hIdentifier,
		hDomainCode, hDomainName, hDomainDescription, hDomainIdentifier, hStatement, hGuidance, hType,
		hCapabilityCode, hKind, hQuestion, hExplanation, hCorrect} {
		headings[normal(h)] = h
	}
	for n := 1; n <= upskill.MaxLevels; n++ {
		headings[normal(hDescriptor(n))] = hDescriptor(n)
		descriptorLevel[hDescriptor(n)] = n
	}
	for n := 1; n <= upskill.MaxOptions; n++ {
		headings[normal(hOption(n))] = hOption(n)
		optionNumber[hOption(n)] = n
	}
}

// normal lower-cases s and reduces its spaces to single ones between words,
// so that "  Domain  Code" matches "Domain code".
func normal(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// kind is what a row describes, as its Record column says.
type kind int

const (
	kindFramework kind = iota
	kindVersion
	kindLevel
	kindBand
	kindCapability
	kindQuestion
)

var kindNames = [...]string{"Framework", "Version", "Level", "Band", "Capability", "Knowledge check"}

func (k kind) String() string { return kindNames[k] }

// parseKind reads the Record column.
func parseKind(s string) (kind, bool) {
	switch normal(s) {
	case "framework":
		return kindFramework, true
	case "version":
		return kindVersion, true
	case "level":
		return kindLevel, true
	case "band":
		return kindBand, true
	case "capability":
		return kindCapability, true
	case "knowledge check", "knowledge-check", "question":
		return kindQuestion, true
	}
	return 0, false
}

// uses reports whether a row of kind k has a value under heading h.
func uses(k kind, h string) bool {
	switch k {
	case kindFramework, kindLevel:
		return h == hCode || h == hName || h == hDescription
	case kindVersion:
		return h == hName || h == hDescription || h == hIdentifier
	case kindBand:
		return h == hName || h == hDescription || h == hMinimum
	case kindCapability:
		switch h {
		case hDomainCode, hDomainName, hDomainDescription, hDomainIdentifier,
			hCode, hStatement, hGuidance, hType, hIdentifier:
			return true
		}
		return descriptorLevel[h] > 0
	case kindQuestion:
		switch h {
		case hCode, hDomainCode, hCapabilityCode, hKind, hQuestion, hExplanation, hCorrect:
			return true
		}
		return optionNumber[h] > 0
	}
	return false
}

// required lists the headings a table must have when it holds a row of
// kind k. Optional columns, such as Guidance, may be left out altogether.
func required(k kind) []string {
	switch k {
	case kindFramework:
		return []string{hCode, hName}
	case kindVersion, kindLevel:
		return []string{hName}
	case kindBand:
		return []string{hName, hMinimum}
	case kindCapability:
		return []string{hDomainCode, hDomainName, hCode, hStatement, hType}
	case kindQuestion:
		return []string{hCode, hDomainCode, hKind, hQuestion, hExplanation, hOption(1), hOption(2), hCorrect}
	}
	return nil
}

// Columns of each sheet, in the order they are written. Identifier columns
// come last, and only when the version has identifiers, so that a template
// for people to fill in does not show them.
func frameworkColumns(idents bool) []string {
	cols := []string{hRecord, hCode, hName, hDescription, hMinimum}
	if idents {
		cols = append(cols, hIdentifier)
	}
	return cols
}

func capabilityColumns(levels int, idents bool) []string {
	cols := []string{hDomainCode, hDomainName, hDomainDescription, hCode, hStatement, hGuidance, hType}
	for n := 1; n <= levels; n++ {
		cols = append(cols, hDescriptor(n))
	}
	if idents {
		cols = append(cols, hDomainIdentifier, hIdentifier)
	}
	return cols
}

func questionColumns() []string {
	cols := []string{hCode, hDomainCode, hCapabilityCode, hKind, hQuestion, hExplanation}
	for n := 1; n <= upskill.MaxOptions; n++ {
		cols = append(cols, hOption(n))
	}
	return append(cols, hCorrect)
}

// combinedColumns are the columns of the CSV layout: the Framework sheet's,
// then the Capabilities sheet's and the Knowledge checks sheet's that are
// not already there.
func combinedColumns(levels int, idents bool) []string {
	cols := []string{hRecord, hCode, hName, hDescription, hMinimum,
		hDomainCode, hDomainName, hDomainDescription, hStatement, hGuidance, hType}
	for n := 1; n <= levels; n++ {
		cols = append(cols, hDescriptor(n))
	}
	cols = append(cols, hCapabilityCode, hKind, hQuestion, hExplanation)
	for n := 1; n <= upskill.MaxOptions; n++ {
		cols = append(cols, hOption(n))
	}
	cols = append(cols, hCorrect)
	if idents {
		cols = append(cols, hIdentifier, hDomainIdentifier)
	}
	return cols
}

// record is one row of the template, by heading.
type record map[string]string

// template is a version laid out as the rows of the three sheets.
type template struct {
	levels       int  // descriptor columns to write
	idents       bool // whether to write the identifier columns
	framework    []record
	capabilities []record
	questions    []record
}

// layout lays out a framework version as the template's rows.
func layout(fw *upskill.Framework, v *upskill.FrameworkVersion) *template {
	t := &template{levels: len(v.Levels), idents: v.Identifier != ""}
	t.framework = append(t.framework,
		record{hRecord: kindFramework.String(), hCode: fw.Key, hName: fw.Name, hDescription: fw.Description},
		record{hRecord: kindVersion.String(), hName: v.Title, hDescription: v.Description, hIdentifier: v.Identifier})
	for _, l := range v.Levels {
		t.framework = append(t.framework, record{hRecord: kindLevel.String(),
			hCode: strconv.Itoa(l.Number), hName: l.Name, hDescription: l.Description})
	}
	for _, b := range v.Bands {
		t.framework = append(t.framework, record{hRecord: kindBand.String(),
			hName: b.Name, hDescription: b.Description, hMinimum: strconv.FormatFloat(b.Min, 'f', -1, 64)})
	}
	for _, d := range v.Domains {
		for i, c := range d.Capabilities {
			r := record{hRecord: kindCapability.String(), hDomainCode: d.Code, hCode: c.Code,
				hStatement: c.Statement, hGuidance: c.Guidance, hType: string(c.Type), hIdentifier: c.Identifier}
			// The domain is described once, on its first row, so that
			// renaming it means changing one cell.
			if i == 0 {
				r[hDomainName], r[hDomainDescription], r[hDomainIdentifier] = d.Name, d.Description, d.Identifier
			}
			for n, text := range c.Descriptors {
				r[hDescriptor(n+1)] = text
			}
			t.levels = max(t.levels, min(len(c.Descriptors), upskill.MaxLevels))
			t.idents = t.idents || c.Identifier != "" || d.Identifier != ""
			t.capabilities = append(t.capabilities, r)
		}
	}
	for _, q := range v.Questions {
		r := record{hRecord: kindQuestion.String(), hCode: q.Code, hDomainCode: q.DomainCode,
			hCapabilityCode: q.CapabilityCode, hKind: string(q.Kind), hQuestion: q.Prompt, hExplanation: q.Explanation}
		var correct []string
		for n, o := range q.Options {
			r[hOption(n+1)] = o.Text
			if o.Correct {
				correct = append(correct, strconv.Itoa(n+1))
			}
		}
		r[hCorrect] = strings.Join(correct, ", ")
		t.questions = append(t.questions, r)
	}
	return t
}

// parseType reads the Question type column, allowing the ways people
// write yes or no. Anything else is left for Validate to refuse.
func parseType(s string) upskill.QuestionType {
	switch n := normal(s); n {
	case "yes/no", "yes or no", "yes-no", "yes no":
		return upskill.QuestionYesNo
	default:
		return upskill.QuestionType(n)
	}
}

// parseCorrect reads the Correct column: option numbers separated by
// commas, semicolons, spaces or "and", such as "2" or "1, 3".
func parseCorrect(s string) ([]int, bool) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ',' || r == ';' || r == '&' || r == ' ' || r == '\n' || r == '\t'
	})
	var nums []int
	for _, f := range fields {
		if f == "and" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, false
		}
		nums = append(nums, n)
	}
	return nums, len(nums) > 0
}

// formula matches text that a spreadsheet program would run as a formula,
// after any apostrophes that stop it from doing so.
var formula = regexp.MustCompile(`^'*[=+\-@]`)

// unescape takes off the apostrophe that WriteCSV puts before text that
// would otherwise be run as a formula.
func unescape(s string) string {
	if strings.HasPrefix(s, "'") && formula.MatchString(s) {
		return s[1:]
	}
	return s
}

// clean tidies a cell as read: one kind of line break, no surrounding
// spaces and no escaping apostrophe.
func clean(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return unescape(strings.TrimSpace(s))
}

// quote shows a cell's text in a message, shortened so that a long or
// hostile cell cannot swamp it.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "..."
	}
	return fmt.Sprintf("%q", s)
}
