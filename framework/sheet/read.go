package sheet

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"upskill"
	"upskill/framework"
)

// Limits on what a spreadsheet may hold, on top of framework.MaxFileSize.
// Each table keeps one row more than it may hold, so that the row over
// the limit can be named in a problem.
const (
	// maxFrameworkRows is a Framework row, a Version row and the most
	// levels and bands a version may have.
	maxFrameworkRows = 2 + upskill.MaxLevels + upskill.MaxBands
	// maxCombinedRows is every row the CSV layout may hold.
	maxCombinedRows = maxFrameworkRows + upskill.MaxCapabilities + upskill.MaxQuestions
	// maxColumns is more than the widest layout, the CSV one with ten
	// levels and identifiers, needs.
	maxColumns = 50
	// maxCells bounds the cells read from a file, blank or not, so that a
	// sheet of empty rows, or of a cell far to the right on every row,
	// cannot keep a reader busy.
	maxCells = 1 << 20
)

// place is where something is in a spreadsheet, as its author would look
// for it.
type place struct {
	sheet  string // "Capabilities", or "" in a CSV file
	order  int    // of the sheet, so that problems are listed sheet by sheet
	row    int    // 0 for a whole sheet, or for a kind of row
	col    int    // index of the column, for the order of problems
	column string // heading, or "column F" for a column without one
	area   string // what a place with no row is called
}

func (p place) String() string {
	switch {
	case p.row == 0:
		return p.area
	case p.sheet == "" && p.column == "":
		return fmt.Sprintf("Row %d", p.row)
	case p.sheet == "":
		return fmt.Sprintf("Row %d, %s", p.row, p.column)
	case p.column == "":
		return fmt.Sprintf("%s row %d", p.sheet, p.row)
	}
	return fmt.Sprintf("%s row %d, %s", p.sheet, p.row, p.column)
}

// fileArea is the place of problems with the file as a whole.
var fileArea = place{area: "File", order: -1, col: -1}

// problem is one thing to fix.
type problem struct {
	at  place
	msg string
}

type problems []problem

func (p *problems) add(at place, format string, args ...any) {
	*p = append(*p, problem{at, fmt.Sprintf(format, args...)})
}

// err returns the problems in the order of the spreadsheet as an EINVALID
// *upskill.Error. A cell keeps only its first problem, found while the
// rows were read, which says more than Validate's later word on the same
// cell; a sheet or row keeps each different problem.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	list := slices.Clone(p)
	slices.SortStableFunc(list, func(a, b problem) int {
		return cmp.Or(cmp.Compare(a.at.order, b.at.order), cmp.Compare(a.at.row, b.at.row), cmp.Compare(a.at.col, b.at.col))
	})
	seen := map[string]bool{}
	var fields []upskill.FieldError
	for _, pr := range list {
		field := pr.at.String()
		key := field
		if pr.at.row == 0 || pr.at.column == "" {
			key += "\x00" + pr.msg
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		fields = append(fields, upskill.FieldError{Field: field, Message: pr.msg})
	}
	msg := fields[0].Message
	if len(fields) > 1 {
		msg = fmt.Sprintf("There are %d problems with the spreadsheet. Fix them and upload it again.", len(fields))
	}
	return &upskill.Error{Code: upskill.EINVALID, Message: msg, Fields: fields}
}

// fileProblem is the error for a file that cannot be read as a spreadsheet
// at all.
func fileProblem(msg string) error {
	var p problems
	p.add(fileArea, "%s", msg)
	return p.err()
}

// readInput reads at most framework.MaxFileSize bytes.
func readInput(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, framework.MaxFileSize+1))
	switch {
	case err != nil:
		return nil, err
	case len(b) > framework.MaxFileSize:
		return nil, fileProblem(fmt.Sprintf("The file is larger than %d MB. Split the framework or remove what is not needed", framework.MaxFileSize>>20))
	case len(b) == 0:
		return nil, fileProblem("The file is empty. Fill in the template and upload it again")
	}
	return b, nil
}

// row is one row of a table with its cells cleaned.
type row struct {
	n     int // as the spreadsheet program numbers it
	cells []string
}

// table is a sheet of a workbook, or a CSV file, as a header and rows.
type table struct {
	sheet    string // as the workbook names it, or "" for a CSV file
	order    int
	combined bool // whether it has the CSV layout, with every kind of row
	limit    int  // rows to keep below the header
	found    bool // whether there is a header
	header   row
	rows     []row
	cells    int // read so far, for maxCells
	stopped  int // the row reading stopped at, because of maxCells

	cols    map[string]int // heading to column index
	names   []string       // heading of each column, "" where none
	unknown map[int]bool   // columns whose heading was reported
}

// add takes the next row read from the file and reports whether to read
// on. Blank rows are dropped; the first row left is the header.
func (t *table) add(n int, raw []string) bool {
	t.cells += len(raw)
	if t.cells > maxCells {
		t.stopped = n
		return false
	}
	cells := make([]string, len(raw))
	last := -1
	for i, s := range raw {
		cells[i] = clean(s)
		if cells[i] != "" {
			last = i
		}
	}
	if last < 0 {
		return true
	}
	r := row{n: n, cells: cells[:last+1]}
	if !t.found {
		t.header, t.found = r, true
		return true
	}
	t.rows = append(t.rows, r)
	return len(t.rows) <= t.limit
}

// cell is the value of a row under a heading, or "" when the table has no
// such column.
func (t *table) cell(r row, h string) string {
	if i, ok := t.cols[h]; ok && i < len(r.cells) {
		return r.cells[i]
	}
	return ""
}

// letter is the name a spreadsheet program gives column index i.
func letter(i int) string {
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return s
}

func (t *table) place(n, col int, column string) place {
	return place{sheet: t.sheet, order: t.order, row: n, col: col, column: column}
}

// at is the cell of a row under a heading. A heading the table lacks sorts
// after the others.
func (t *table) at(r row, h string) place {
	i, ok := t.cols[h]
	if !ok {
		i = maxColumns
	}
	return t.place(r.n, i, h)
}

// atColumn is a cell named by its column's letter, for a column without a
// heading upskill knows.
func (t *table) atColumn(n, i int) place { return t.place(n, i, "column "+letter(i)) }

func (t *table) atRow(n int) place { return t.place(n, -1, "") }

// area is the place of problems with all the rows of one kind, such as
// "A framework needs between 2 and 10 levels".
func (t *table) area(k kind) place {
	p := place{order: t.order, col: -1, area: t.sheet + " sheet"}
	if t.combined {
		switch k {
		case kindFramework, kindVersion:
			p.area = k.String() + " row"
		default:
			p.area = k.String() + " rows"
		}
	}
	return p
}

// group names the three parts of a version that can each be read, or
// fail to be read, apart from the others.
type group int

const (
	groupFramework group = iota
	groupCapabilities
	groupQuestions
)

// origin is the row a part of the version was read from, so that a
// problem Validate finds with it can be put in the row's cells.
type origin struct {
	t *table // nil where there is no such row
	r row
}

func (o origin) at(h string) place { return o.t.at(o.r, h) }

// domainOrigin is where a domain was read from: the row its code first
// appears on, and the rows that gave its name and description.
type domainOrigin struct {
	code                          string
	first                         origin
	name, description, identifier origin
}

// builder reads tables into a framework version and collects problems.
type builder struct {
	p problems
	f framework.File
	// broken marks the parts that could not be read, so that Validate's
	// word on what is missing from them is left out.
	broken [3]bool
	// levels is the number of levels, or -1 when they could not be read.
	levels int

	// Where each part was read from, in the order of the version's slices.
	tables       [3]*table
	version      origin
	levelRows    []origin
	bandRows     []origin
	domainRows   []domainOrigin
	capabilities [][]origin
	questionRows []origin
}

func newBuilder() *builder { return &builder{levels: -1} }

// readHeader learns a table's columns from its first row. It reports
// false, so that the rows are not read as something they are not, when the
// row has no heading the table may have.
func (b *builder) readHeader(t *table, allowed func(string) bool, example string) bool {
	t.cols, t.unknown = map[string]int{}, map[int]bool{}
	t.names = make([]string, min(len(t.header.cells), maxColumns))
	known := 0
	for i := range t.names {
		if h := headings[normal(t.header.cells[i])]; h != "" && allowed(h) {
			known++
		}
	}
	if known == 0 {
		b.p.add(t.atRow(t.header.n), "The first row must hold the column headings, such as %s. Download the template to see them all", example)
		return false
	}
	for i, cell := range t.header.cells {
		if cell == "" {
			continue
		}
		if i >= maxColumns {
			b.p.add(t.atRow(t.header.n), "A sheet can have at most %d columns. Delete the columns from %s onwards", maxColumns, letter(i))
			break
		}
		h := headings[normal(cell)]
		switch other, dup := t.cols[h]; {
		case h == "" || !allowed(h):
			t.unknown[i] = true
			b.p.add(t.atColumn(t.header.n, i), "The heading %s is not one this sheet has. Correct it to a heading from the template, or delete the column", quote(cell))
		case dup:
			t.unknown[i] = true
			b.p.add(t.atColumn(t.header.n, i), "Column %s is headed %s as well. Delete one of them", letter(other), h)
		default:
			t.cols[h], t.names[i] = i, h
		}
	}
	return true
}

// requireColumns checks that the table has the columns its kinds of row
// need, and reports false if not.
func (b *builder) requireColumns(t *table, kinds ...kind) bool {
	ok := true
	for _, k := range kinds {
		for _, h := range required(k) {
			if _, has := t.cols[h]; !has {
				b.p.add(t.atRow(t.header.n), "Add a column headed %s", h)
				ok = false
			}
		}
	}
	return ok
}

// checkCells reports the cells of a row that are filled in where nothing
// belongs: beyond the columns read, under no heading, or under a heading
// that is for other kinds of row.
func (b *builder) checkCells(t *table, r row, k kind) {
	for i, v := range r.cells {
		if v == "" || t.unknown[i] {
			continue
		}
		if i >= maxColumns {
			b.p.add(t.atRow(r.n), "A sheet can have at most %d columns. Delete what is in column %s and beyond", maxColumns, letter(i))
			return
		}
		h := ""
		if i < len(t.names) {
			h = t.names[i]
		}
		switch {
		case h == "":
			b.p.add(t.atColumn(r.n, i), "This column has no heading. Give it one from the template, or delete what is in it")
		case h != hRecord && !uses(k, h):
			b.p.add(t.at(r, h), "Leave %s blank on a %s row", h, k)
		}
	}
}

// recordKind reads a row's Record column, which must be one of kinds.
func (b *builder) recordKind(t *table, r row, kinds ...kind) (kind, bool) {
	s := t.cell(r, hRecord)
	k, ok := parseKind(s)
	if ok && slices.Contains(kinds, k) {
		return k, true
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	if s == "" {
		b.p.add(t.at(r, hRecord), "Enter what the row describes: %s", list)
	} else {
		b.p.add(t.at(r, hRecord), "Record must be %s, not %s", list, quote(s))
	}
	return 0, false
}

// stopped reports a table that was too big to read to the end.
func (b *builder) stopped(t *table) {
	if t.stopped > 0 {
		b.p.add(t.atRow(t.stopped), "upskill stopped reading here because the sheet has too many cells. Delete any rows and columns that are not part of the framework")
	}
}

// kindRow is a row of the Framework sheet, or of the framework's rows in
// the CSV layout, with what it describes.
type kindRow struct {
	kind kind
	row
}

// readCombined reads a table in the CSV layout: every kind of row in one
// table, told apart by the Record column.
func (b *builder) readCombined(t *table) {
	t.combined = true
	b.tables = [3]*table{t, t, t}
	b.stopped(t)
	if !t.found {
		b.p.add(fileArea, "The file has nothing in it. Fill in the template and upload it again")
		b.broken = [3]bool{true, true, true}
		return
	}
	if !b.readHeader(t, func(string) bool { return true }, "Record, Code, Name and Statement") {
		b.broken = [3]bool{true, true, true}
		return
	}
	if _, ok := t.cols[hRecord]; !ok {
		b.p.add(t.atRow(t.header.n), "Add a column headed Record, to say what each row describes: Framework, Version, Level, Band, Capability or Knowledge check")
		b.broken = [3]bool{true, true, true}
		return
	}
	var fw []kindRow
	var capabilities, questions []row
	for _, r := range t.rows {
		k, ok := b.recordKind(t, r, kindFramework, kindVersion, kindLevel, kindBand, kindCapability, kindQuestion)
		switch {
		case !ok:
		case k == kindCapability:
			capabilities = append(capabilities, r)
		case k == kindQuestion:
			questions = append(questions, r)
		default:
			fw = append(fw, kindRow{k, r})
		}
	}
	b.readFramework(t, fw)
	b.readCapabilities(t, capabilities)
	b.readQuestions(t, questions)
}

// readFrameworkSheet reads the Framework sheet of a workbook.
func (b *builder) readFrameworkSheet(t *table) {
	b.tables[groupFramework] = t
	b.stopped(t)
	allowed := func(h string) bool {
		return h == hRecord || uses(kindFramework, h) || uses(kindVersion, h) || uses(kindLevel, h) || uses(kindBand, h)
	}
	if !t.found {
		b.p.add(t.area(kindFramework), "The %s sheet is empty. Download the template to see how to fill it in", t.sheet)
		b.broken[groupFramework] = true
		return
	}
	if !b.readHeader(t, allowed, "Record, Code, Name, Description and Minimum score") {
		b.broken[groupFramework] = true
		return
	}
	if _, ok := t.cols[hRecord]; !ok {
		b.p.add(t.atRow(t.header.n), "Add a column headed Record, to say what each row describes: Framework, Version, Level or Band")
		b.broken[groupFramework] = true
		return
	}
	var rows []kindRow
	for _, r := range t.rows {
		if k, ok := b.recordKind(t, r, kindFramework, kindVersion, kindLevel, kindBand); ok {
			rows = append(rows, kindRow{k, r})
		}
	}
	b.readFramework(t, rows)
}

// readFramework reads the rows that describe the framework, the version,
// its levels and its bands.
func (b *builder) readFramework(t *table, rows []kindRow) {
	v := &b.f.Version
	kinds := map[kind]bool{kindFramework: true, kindVersion: true}
	for _, r := range rows {
		kinds[r.kind] = true
	}
	ok := true
	for _, k := range []kind{kindFramework, kindVersion, kindLevel, kindBand} {
		if kinds[k] && !b.requireColumns(t, k) {
			ok = false
		}
	}
	if !ok {
		b.broken[groupFramework] = true
		return
	}

	var framework origin
	for _, kr := range rows {
		r := kr.row
		b.checkCells(t, r, kr.kind)
		switch kr.kind {
		case kindFramework:
			if framework.t != nil {
				b.p.add(t.atRow(r.n), "There is a Framework row already, row %d. Keep only one", framework.r.n)
				continue
			}
			framework = origin{t, r}
			b.f.Framework = upskill.Framework{Key: t.cell(r, hCode), Name: t.cell(r, hName), Description: t.cell(r, hDescription)}
			if msg := upskill.ValidateFrameworkKey(b.f.Framework.Key); msg != "" {
				b.p.add(t.at(r, hCode), "%s", msg)
			}
			if b.f.Framework.Name == "" {
				b.p.add(t.at(r, hName), "Enter the name of the framework")
			}
		case kindVersion:
			if b.version.t != nil {
				b.p.add(t.atRow(r.n), "There is a Version row already, row %d. Keep only one", b.version.r.n)
				continue
			}
			b.version = origin{t, r}
			v.Title, v.Description, v.Identifier = t.cell(r, hName), t.cell(r, hDescription), t.cell(r, hIdentifier)
		case kindLevel:
			if len(v.Levels) == upskill.MaxLevels {
				b.p.add(t.atRow(r.n), "A framework can have at most %d levels. Delete this row", upskill.MaxLevels)
				continue
			}
			l := upskill.FrameworkLevel{Number: len(v.Levels) + 1, Name: t.cell(r, hName), Description: t.cell(r, hDescription)}
			if code := t.cell(r, hCode); code != "" {
				n, err := strconv.Atoi(code)
				if err != nil {
					b.p.add(t.at(r, hCode), "Enter the number of the level, like 1 or 2, or leave Code blank")
				} else {
					l.Number = n
				}
			}
			v.Levels = append(v.Levels, l)
			b.levelRows = append(b.levelRows, origin{t, r})
		case kindBand:
			if len(v.Bands) == upskill.MaxBands {
				b.p.add(t.atRow(r.n), "A framework can have at most %d bands. Delete this row", upskill.MaxBands)
				continue
			}
			band := upskill.Band{Name: t.cell(r, hName), Description: t.cell(r, hDescription)}
			if s := t.cell(r, hMinimum); s == "" {
				b.p.add(t.at(r, hMinimum), "Enter the score the band starts at, from 0 to 10")
			} else if n, err := strconv.ParseFloat(s, 64); err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
				b.p.add(t.at(r, hMinimum), "Enter the minimum score as a number from 0 to 10, like 4 or 6.5")
			} else {
				band.Min = n
			}
			v.Bands = append(v.Bands, band)
			b.bandRows = append(b.bandRows, origin{t, r})
		}
	}
	if framework.t == nil {
		b.p.add(t.area(kindFramework), "Add a Framework row, with the key of the framework in Code and its name in Name")
	}
	if b.version.t == nil {
		b.p.add(t.area(kindVersion), "Add a Version row, with the title of the version in Name")
	}
	b.levels = len(v.Levels)
}

// readCapabilitySheet reads the Capabilities sheet of a workbook.
func (b *builder) readCapabilitySheet(t *table) {
	b.tables[groupCapabilities] = t
	b.stopped(t)
	if t.found && !b.readHeader(t, func(h string) bool { return uses(kindCapability, h) }, "Domain code, Domain name, Code and Statement") {
		b.broken[groupCapabilities] = true
		return
	}
	b.readCapabilities(t, t.rows)
}

// readCapabilities reads the rows of capabilities, making domains of
// their domain codes in the order those first appear.
func (b *builder) readCapabilities(t *table, rows []row) {
	v := &b.f.Version
	if len(rows) > 0 && !b.requireColumns(t, kindCapability) {
		b.broken[groupCapabilities] = true
		return
	}
	// Descriptors are read for each level; when the levels are unknown,
	// for each descriptor column there is, so that their text is checked.
	levels := b.levels
	if levels < 0 {
		levels = 0
		for h := range t.cols {
			levels = max(levels, descriptorLevel[h])
		}
	}
	index := map[string]int{} // of each domain code in v.Domains
	descriptors := false
	for i, r := range rows {
		if i == upskill.MaxCapabilities {
			b.p.add(t.atRow(r.n), "A framework can have at most %d capabilities. Delete this row and the rows below it, or split the framework in two", upskill.MaxCapabilities)
			break
		}
		b.checkCells(t, r, kindCapability)
		code := t.cell(r, hDomainCode)
		if code == "" {
			// The row still joins a domain, one with no code, so that the
			// rest of it is checked.
			b.p.add(t.at(r, hDomainCode), "Enter the code of the domain the capability belongs to, like 1")
		}
		d, ok := index[code]
		if !ok {
			d = len(v.Domains)
			index[code] = d
			v.Domains = append(v.Domains, upskill.Domain{Code: code})
			b.domainRows = append(b.domainRows, domainOrigin{code: code, first: origin{t, r}})
			b.capabilities = append(b.capabilities, nil)
		}
		dom, from := &v.Domains[d], &b.domainRows[d]
		if code != "" {
			b.domainCell(t, r, code, hDomainName, "name", &dom.Name, &from.name)
			b.domainCell(t, r, code, hDomainDescription, "description", &dom.Description, &from.description)
			b.domainCell(t, r, code, hDomainIdentifier, "identifier", &dom.Identifier, &from.identifier)
		}

		c := upskill.Capability{Code: t.cell(r, hCode), Statement: t.cell(r, hStatement), Guidance: t.cell(r, hGuidance),
			Type: parseType(t.cell(r, hType)), Identifier: t.cell(r, hIdentifier)}
		texts := make([]string, levels)
		given := false
		for n := range texts {
			texts[n] = t.cell(r, hDescriptor(n+1))
			given = given || texts[n] != ""
		}
		if given {
			c.Descriptors = texts
			descriptors = true
		}
		if b.levels > 0 {
			for n := b.levels + 1; n <= upskill.MaxLevels; n++ {
				if t.cell(r, hDescriptor(n)) != "" {
					b.p.add(t.at(r, hDescriptor(n)), "The framework has %d levels, so there is no level %d. Delete this descriptor, or add the level", b.levels, n)
				}
			}
		}
		dom.Capabilities = append(dom.Capabilities, c)
		b.capabilities[d] = append(b.capabilities[d], origin{t, r})
	}
	for _, d := range b.domainRows {
		if d.code != "" && d.name.t == nil {
			b.p.add(d.first.at(hDomainName), "Domain %s has no name on any row. Enter its name here", d.code)
		}
	}
	if descriptors && b.levels > 0 {
		for n := 1; n <= b.levels; n++ {
			if _, ok := t.cols[hDescriptor(n)]; !ok {
				b.p.add(t.atRow(t.header.n), "Add a column headed %s: the framework has %d levels, and a capability with descriptors needs one for each", hDescriptor(n), b.levels)
			}
		}
	}
}

// domainCell reads a domain's name, description or identifier from one of
// its rows. It may be given on any of them, but where it is given on more
// than one it must be the same.
func (b *builder) domainCell(t *table, r row, code, h, what string, dst *string, from *origin) {
	s := t.cell(r, h)
	switch {
	case s == "":
	case from.t == nil:
		*dst, *from = s, origin{t, r}
	case s != *dst:
		b.p.add(t.at(r, h), "Domain %s has a different %s on row %d. Give it the same %s on every row, or leave this blank", code, what, from.r.n, what)
	}
}

// readQuestionSheet reads the Knowledge checks sheet of a workbook.
func (b *builder) readQuestionSheet(t *table) {
	b.tables[groupQuestions] = t
	b.stopped(t)
	if t.found && !b.readHeader(t, func(h string) bool { return uses(kindQuestion, h) }, "Code, Domain code, Kind, Question and Option 1") {
		b.broken[groupQuestions] = true
		return
	}
	b.readQuestions(t, t.rows)
}

// readQuestions reads the rows of knowledge checks.
func (b *builder) readQuestions(t *table, rows []row) {
	v := &b.f.Version
	if len(rows) > 0 && !b.requireColumns(t, kindQuestion) {
		b.broken[groupQuestions] = true
		return
	}
	for i, r := range rows {
		if i == upskill.MaxQuestions {
			b.p.add(t.atRow(r.n), "A framework can have at most %d knowledge-check questions. Delete this row and the rows below it", upskill.MaxQuestions)
			break
		}
		b.checkCells(t, r, kindQuestion)
		q := upskill.CheckQuestion{Code: t.cell(r, hCode), DomainCode: t.cell(r, hDomainCode), CapabilityCode: t.cell(r, hCapabilityCode),
			Kind: upskill.QuestionKind(normal(t.cell(r, hKind))), Prompt: t.cell(r, hQuestion), Explanation: t.cell(r, hExplanation)}
		// Options are numbered by their columns, as Correct names them,
		// so a gap cannot be closed up.
		last := 0
		for n := 1; n <= upskill.MaxOptions; n++ {
			if t.cell(r, hOption(n)) != "" {
				last = n
			}
		}
		for n := 1; n <= last; n++ {
			text := t.cell(r, hOption(n))
			if text == "" {
				b.p.add(t.at(r, hOption(n)), "Enter option %d, or move the options after it along so that there is no gap", n)
			}
			q.Options = append(q.Options, upskill.CheckOption{Text: text})
		}
		if s := t.cell(r, hCorrect); s != "" {
			nums, ok := parseCorrect(s)
			if !ok {
				b.p.add(t.at(r, hCorrect), "Correct must be the numbers of the right options, like 1 or 2, 3")
			}
			for _, n := range nums {
				if n < 1 || n > last {
					b.p.add(t.at(r, hCorrect), "Correct must name options that exist, like 1 or 2, 3. This question has no option %d", n)
					break
				}
			}
			for _, n := range nums {
				if n >= 1 && n <= last {
					q.Options[n-1].Correct = true
				}
			}
		}
		v.Questions = append(v.Questions, q)
		b.questionRows = append(b.questionRows, origin{t, r})
	}
}

// fieldPath matches the field paths Validate puts in its messages, such as
// "domains[0].capabilities[1].code".
var fieldPath = regexp.MustCompile(`\b(?:domains|questions|levels|bands)\[\d+\](?:\.[a-z]+(?:\[\d+\])?)*`)

// result runs the domain's own checks on what was read, putting each
// problem in the cell it is about, and returns the file or every problem.
func (b *builder) result() (*framework.File, error) {
	for _, fe := range upskill.ErrorFields(b.f.Version.Validate()) {
		at, ok := b.locate(fe.Field, fe.Message)
		if !ok {
			continue
		}
		msg := fieldPath.ReplaceAllStringFunc(fe.Message, func(s string) string {
			if at, ok := b.locate(s, ""); ok {
				return at.String()
			}
			return s
		})
		b.p.add(at, "%s", msg)
	}
	if err := b.p.err(); err != nil {
		return nil, err
	}
	return &b.f, nil
}

// segment splits one part of a field path, such as "capabilities[2]",
// into its name and index, which is -1 when there is none.
func segment(s string) (string, int) {
	name, rest, ok := strings.Cut(s, "[")
	if !ok {
		return name, -1
	}
	i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if err != nil {
		return name, -1
	}
	return name, i
}

// locate finds the cell that a field of the version, as Validate names it,
// was read from. It reports false for a problem not worth showing: one
// with a part that could not be read, or one that a problem found while
// reading covers already.
func (b *builder) locate(field, msg string) (place, bool) {
	parts := strings.Split(field, ".")
	root, i := segment(parts[0])
	sub, j := "", -1
	if len(parts) > 1 {
		sub, j = segment(parts[1])
	}
	// area is the place of a whole part of the version.
	area := func(g group, k kind) (place, bool) {
		if t := b.tables[g]; t != nil {
			return t.area(k), true
		}
		return fileArea, true
	}
	switch root {
	case "title", "description":
		switch {
		case b.broken[groupFramework] || b.version.t == nil:
			// "Add a Version row" says it already.
			return place{}, false
		case root == "title":
			return b.version.at(hName), true
		}
		return b.version.at(hDescription), true

	case "levels", "bands":
		rows, k := b.levelRows, kindLevel
		if root == "bands" {
			rows, k = b.bandRows, kindBand
		}
		switch {
		case b.broken[groupFramework]:
			return place{}, false
		case i < 0 || i >= len(rows):
			return area(groupFramework, k)
		}
		switch sub {
		case "number":
			return rows[i].at(hCode), true
		case "min":
			return rows[i].at(hMinimum), true
		}
		return rows[i].at(hName), true

	case "domains":
		if b.broken[groupCapabilities] {
			return place{}, false
		}
		if i < 0 || i >= len(b.domainRows) {
			return area(groupCapabilities, kindCapability)
		}
		d := b.domainRows[i]
		switch sub {
		case "name", "description":
			switch {
			case d.code == "":
				// A domain with no code has no name to give it.
				return place{}, false
			case sub == "name" && d.name.t != nil:
				return d.name.at(hDomainName), true
			case sub == "description" && d.description.t != nil:
				return d.description.at(hDomainDescription), true
			case sub == "name":
				return d.first.at(hDomainName), true
			}
			return d.first.at(hDomainDescription), true
		case "capabilities":
			if j >= 0 && j < len(b.capabilities[i]) {
				return b.locateCapability(b.capabilities[i][j], parts[2:])
			}
		}
		return d.first.at(hDomainCode), true

	case "questions":
		switch {
		case b.broken[groupQuestions]:
			return place{}, false
		case b.broken[groupCapabilities] && (sub == "domain" || sub == "capability"):
			// The domains and capabilities named are not known.
			return place{}, false
		case i < 0 || i >= len(b.questionRows):
			return area(groupQuestions, kindQuestion)
		}
		o := b.questionRows[i]
		switch sub {
		case "domain":
			return o.at(hDomainCode), true
		case "capability":
			return o.at(hCapabilityCode), true
		case "kind":
			return o.at(hKind), true
		case "prompt":
			return o.at(hQuestion), true
		case "explanation":
			return o.at(hExplanation), true
		case "options":
			// The options are one field to Validate, but its problem is
			// with Correct unless it is with how many options there are.
			switch {
			case j >= 0:
				return o.at(hOption(j + 1)), true
			case strings.Contains(msg, "correct"):
				return o.at(hCorrect), true
			}
			return o.at(hOption(1)), true
		}
		return o.at(hCode), true
	}
	return fileArea, true
}

// locateCapability finds the cell of a capability's field.
func (b *builder) locateCapability(o origin, parts []string) (place, bool) {
	if len(parts) == 0 {
		return o.at(hCode), true
	}
	sub, k := segment(parts[0])
	switch sub {
	case "statement":
		return o.at(hStatement), true
	case "guidance":
		return o.at(hGuidance), true
	case "type":
		return o.at(hType), true
	case "descriptors":
		switch {
		case b.levels <= 0:
			// Without levels every descriptor is wrong; the missing
			// levels are the problem to report.
			return place{}, false
		case k < 0:
			return o.at(hDescriptor(1)), true
		}
		if _, ok := o.t.cols[hDescriptor(k+1)]; !ok {
			// The missing column is reported once, not on every row.
			return place{}, false
		}
		return o.at(hDescriptor(k + 1)), true
	}
	return o.at(hCode), true
}
