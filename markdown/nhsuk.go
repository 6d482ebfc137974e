package markdown

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The NHS.UK frontend classes the output uses. The sanitiser allows exactly
// these values, element by element, so any class added here must also be
// added to the policy in sanitise.go.
const (
	classBody          = "nhsuk-body"
	classBulletList    = "nhsuk-list nhsuk-list--bullet"
	classNumberList    = "nhsuk-list nhsuk-list--number"
	classLink          = "nhsuk-link"
	classInset         = "nhsuk-inset-text"
	classTable         = "nhsuk-table"
	classTableHead     = "nhsuk-table__head"
	classTableBody     = "nhsuk-table__body"
	classTableRow      = "nhsuk-table__row"
	classTableHeader   = "nhsuk-table__header"
	classTableCell     = "nhsuk-table__cell"
	classAlignLeft     = "nhsuk-u-text-align-left"
	classAlignCentre   = "nhsuk-u-text-align-centre"
	classAlignRight    = "nhsuk-u-text-align-right"
	relExternal        = "noopener noreferrer nofollow"
	mediaPrefix        = "/media/"
	mailtoScheme       = "mailto:"
	lowestHeadingLevel = 6
)

// headingClass gives the NHS.UK class for each heading level after the shift
// down by one. h5 and h6 share the smallest size the frontend offers.
var headingClass = [...]string{
	2: "nhsuk-heading-l",
	3: "nhsuk-heading-m",
	4: "nhsuk-heading-s",
	5: "nhsuk-heading-xs",
	6: "nhsuk-heading-xs",
}

// mediaSrc matches the only image addresses allowed: a path under /media/,
// with no query or fragment, no empty segment, no segment that starts with a
// dot, and no percent-encoded dot, so that a browser cannot resolve it to
// anything outside /media/. The service's Content-Security-Policy allows only
// its own images, so an image from anywhere else would be blocked in any case
// and would leak the learner's address to a third party if it were not.
var mediaSrc = regexp.MustCompile(`^` + regexp.QuoteMeta(mediaPrefix) + mediaSegment + `(?:/` + mediaSegment + `)*$`)

const (
	mediaChar    = `(?:[A-Za-z0-9_~!$&'()*+,;=:@-]|%(?:[013-9A-Fa-f][0-9A-Fa-f]|2[0-9A-Da-d]))`
	mediaSegment = mediaChar + `(?:` + mediaChar + `|\.)*`
)

// linkKind says what to do with a link destination.
type linkKind int

const (
	linkRefused  linkKind = iota // not a link at all: keep only its text
	linkRelative                 // a page within the service
	linkExternal                 // http or https: gets rel="noopener noreferrer nofollow"
	linkMail                     // mailto
)

// classifyLink decides whether a destination may be linked to. It looks at
// the address as goldmark will write it, after entities and backslash escapes
// are resolved and unsafe characters percent-encoded, so that tricks such as
// "&#106;avascript:" or "JaVaScRiPt:" are judged by what the browser would
// see. Anything with a scheme other than http, https or mailto is refused, as
// are protocol-relative addresses ("//host"), which would leave the service
// without saying so.
func classifyLink(dest []byte) linkKind {
	s := string(util.URLEscape(dest, true))
	// Browsers ignore tabs and newlines anywhere in a URL and trim
	// control characters and spaces from its ends; do the same first.
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if s == "" || strings.HasPrefix(s, "//") {
		return linkRefused
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 || strings.ContainsAny(s[:colon], "/?#") {
		return linkRelative
	}
	switch strings.ToLower(s[:colon]) {
	case "http", "https":
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return linkRefused
		}
		return linkExternal
	case "mailto":
		if colon+1 == len(s) {
			return linkRefused
		}
		return linkMail
	}
	return linkRefused
}

// allowedImage reports whether an image destination is a /media/ path.
func allowedImage(dest []byte) bool {
	return mediaSrc.Match(util.URLEscape(dest, true))
}

// nhsukTransformer rewrites the parsed document before it is rendered: it
// shifts headings down a level, adds NHS.UK classes, and unwraps links and
// images that the service does not allow. Working on the tree rather than on
// the HTML means the rules see exactly what the author wrote, not a guess made
// from markup. It holds no state, so one value serves every conversion.
type nhsukTransformer struct{}

// Transform implements parser.ASTTransformer.
func (nhsukTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	// Nodes cannot be moved while ast.Walk is iterating over their
	// siblings, so refused links and images are collected and dealt with
	// afterwards, in document order.
	var refused []ast.Node
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := node.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, lowestHeadingLevel)
			n.SetAttributeString("class", headingClass[n.Level])
		case *ast.Paragraph:
			n.SetAttributeString("class", classBody)
		case *ast.List:
			if n.IsOrdered() {
				n.SetAttributeString("class", classNumberList)
			} else {
				n.SetAttributeString("class", classBulletList)
			}
		case *ast.Blockquote:
			n.SetAttributeString("class", classInset)
		case *ast.Link:
			if !markLink(n, classifyLink(n.Destination)) {
				refused = append(refused, n)
			}
		case *ast.AutoLink:
			dest := n.URL(source)
			if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(dest, mailtoScheme) {
				dest = append([]byte(mailtoScheme), dest...)
			}
			if !markLink(n, classifyLink(dest)) {
				refused = append(refused, n)
			}
		case *ast.Image:
			if !allowedImage(n.Destination) {
				refused = append(refused, n)
			}
			// The alt text is written as plain text whatever it
			// contains, so there is nothing below an image to visit.
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})

	for _, n := range refused {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		switch n := n.(type) {
		case *ast.Link:
			// Keep the words of the link, without the link.
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, n, c)
				c = next
			}
			parent.RemoveChild(parent, n)
		case *ast.AutoLink:
			parent.ReplaceChild(parent, n, rawString(n.Label(source)))
		case *ast.Image:
			parent.ReplaceChild(parent, n, rawString(altText(n, source)))
		}
	}
}

// markLink adds the class and, for addresses outside the service, the rel
// values to a link that is allowed, and reports whether it was.
func markLink(n ast.Node, kind linkKind) bool {
	if kind == linkRefused {
		return false
	}
	n.SetAttributeString("class", classLink)
	if kind == linkExternal {
		n.SetAttributeString("rel", relExternal)
	}
	return true
}

// rawString makes a text node that is written out escaped but otherwise as
// it is, so that text which has already been unescaped is not unescaped twice.
func rawString(b []byte) *ast.String {
	s := ast.NewString(b)
	s.SetRaw(true)
	return s
}

// altText is the plain text of an image's description.
func altText(img *ast.Image, source []byte) []byte {
	return []byte(plainText(img, source))
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// tableRenderer writes GitHub tables in the markup of the NHS.UK table
// component. goldmark's own table renderer gives no handle on the header row
// or the tbody, so it cannot carry their classes; this one replaces it.
type tableRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, renderTable)
	reg.Register(east.KindTableHeader, renderTableHeader)
	reg.Register(east.KindTableRow, renderTableRow)
	reg.Register(east.KindTableCell, renderTableCell)
}

func renderTable(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<table class="` + classTable + `">` + "\n")
	} else {
		_, _ = w.WriteString("</table>\n")
	}
	return ast.WalkContinue, nil
}

func renderTableHeader(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<thead class="` + classTableHead + `">` + "\n" +
			`<tr class="` + classTableRow + `">` + "\n")
	} else {
		_, _ = w.WriteString("</tr>\n</thead>\n")
	}
	return ast.WalkContinue, nil
}

func renderTableRow(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		if prev := n.PreviousSibling(); prev == nil || prev.Kind() != east.KindTableRow {
			_, _ = w.WriteString(`<tbody class="` + classTableBody + `">` + "\n")
		}
		_, _ = w.WriteString(`<tr class="` + classTableRow + `">` + "\n")
	} else {
		_, _ = w.WriteString("</tr>\n")
		if next := n.NextSibling(); next == nil || next.Kind() != east.KindTableRow {
			_, _ = w.WriteString("</tbody>\n")
		}
	}
	return ast.WalkContinue, nil
}

func renderTableCell(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	header := n.Parent() != nil && n.Parent().Kind() == east.KindTableHeader
	tag := "td"
	if header {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	class := classTableCell
	if header {
		class = classTableHeader
	}
	switch n.Alignment {
	case east.AlignLeft:
		class += " " + classAlignLeft
	case east.AlignCenter:
		class += " " + classAlignCentre
	case east.AlignRight:
		class += " " + classAlignRight
	}
	_, _ = w.WriteString("<" + tag + ` class="` + class + `"`)
	if header {
		_, _ = w.WriteString(` scope="col"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// boundedTables lets a paragraph become a table only if the table would have
// no more cells than the paragraph has bytes. goldmark, following the GitHub
// rules, pads every short row out to the width of the header, so a wide
// header followed by many one-character rows turns a few kilobytes of source
// into hundreds of megabytes of HTML. Real tables have at least a byte or two
// of source per cell, so the limit only stops such a table being built; its
// text is shown as an ordinary paragraph instead.
type boundedTables struct {
	parser.ParagraphTransformer
}

// Transform implements parser.ParagraphTransformer.
func (b boundedTables) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	source := reader.Source()
	size, columns := 0, 0
	for i := range lines.Len() {
		line := lines.At(i)
		size += line.Len()
		// goldmark takes the first line that parses as a delimiter
		// row; taking the widest line that might be one cannot count
		// fewer columns than it builds.
		if i > 0 {
			columns = max(columns, delimiterColumns(line.Value(source)))
		}
	}
	if columns*lines.Len() > size {
		return
	}
	b.ParagraphTransformer.Transform(node, reader, pc)
}

// delimiterColumns returns the number of columns a table delimiter row such
// as "| :-- | --: |" declares, or 0 if the line cannot be one. It accepts
// more lines than goldmark does and counts every pipe, so it errs towards
// too many columns, which only makes the limit stricter.
func delimiterColumns(line []byte) int {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || bytes.ContainsFunc(line, func(r rune) bool { return !strings.ContainsRune("|:- \t", r) }) {
		return 0
	}
	columns := bytes.Count(line, []byte{'|'}) + 1
	if line[0] == '|' {
		columns--
	}
	if len(line) > 1 && line[len(line)-1] == '|' {
		columns--
	}
	return max(columns, 1)
}
