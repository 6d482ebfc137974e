// Package markdown turns the Markdown that content authors write for lesson
// pages into HTML that is safe to show to learners inside an NHS.UK page, and
// into plain text for search and summaries.
//
// Authors type into a browser form, so their input is treated as hostile.
// The Markdown is parsed with goldmark (CommonMark plus GitHub tables,
// strikethrough and bare links), the syntax tree is rewritten to carry the
// NHS.UK frontend classes and to drop links and images that point anywhere
// they should not, and the HTML is then passed through a strict bluemonday
// allowlist as a second, independent line of defence. Raw HTML in the source
// is never passed through.
package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxLen is the largest Markdown source, in bytes, that the service accepts
// for one page. Render and Text do not enforce it, because cutting an
// author's text short without telling them would lose their work; the
// handlers that save a page must refuse longer input with a form error
// instead. The figure is several times the length of a long lesson page.
//
// It also bounds the cost of a hostile page. An ordinary page renders in
// well under a millisecond per thousand words, but some contrived input
// (thousands of unclosed links or mixed emphasis markers on one line) costs
// goldmark time that grows with the square of its length: at this size, a
// few seconds of processor time. Rendering a page once, when it is saved or
// published, and keeping the HTML avoids paying that on every view.
const MaxLen = 100_000

// converter is built once: goldmark keeps no state between conversions, so
// one instance serves every request.
var converter = goldmark.New(
	goldmark.WithExtensions(
		extension.Strikethrough,
		// Bare ftp:// addresses stay as text; only web addresses and
		// email addresses become links.
		extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
	),
	// Neither automatic heading ids nor the {#id .class} attribute syntax
	// is switched on: both would let authors put ids and classes into the
	// page that could clash with the service's own.
	goldmark.WithParserOptions(
		// GitHub tables are put together by hand rather than with
		// extension.Table, so that the parser can be guarded against
		// tables that would multiply in size and so that the renderer
		// can write NHS.UK markup. The priorities are the ones
		// extension.Table uses.
		parser.WithParagraphTransformers(util.Prioritized(boundedTables{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(
			util.Prioritized(extension.NewTableASTTransformer(), 0),
			util.Prioritized(nhsukTransformer{}, 1000),
		),
	),
	// WithUnsafe is deliberately absent, so goldmark leaves raw HTML out.
	goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(tableRenderer{}, 100)),
	),
)

// Render converts an author's Markdown to HTML for a lesson page. The result
// is safe to place in an html/template without further escaping: headings
// start at h2 because the page title is the h1, block elements carry NHS.UK
// frontend classes, links go only to web, email or relative addresses, and
// images come only from the service's own /media/ path.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	// Writing to a bytes.Buffer cannot fail, and goldmark reports no
	// other kind of error, so there is nothing to handle here.
	_ = converter.Convert([]byte(strings.ToValidUTF8(src, "\uFFFD")), &buf)
	return template.HTML(sanitiser.SanitizeBytes(buf.Bytes()))
}

// Text returns the words of an author's Markdown without any markup, with
// runs of white space collapsed to single spaces, for search indexing and
// for short summaries. It keeps the alt text of images and the contents of
// code, and leaves out raw HTML. The result is plain text, not HTML: it must
// still be escaped wherever it is shown.
func Text(src string) string {
	source := []byte(strings.ToValidUTF8(src, "\uFFFD"))
	return plainText(converter.Parser().Parse(text.NewReader(source)), source)
}

// plainText returns the text below a node, white space collapsed.
func plainText(node ast.Node, source []byte) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	writeText(w, source, node)
	_ = w.Flush()
	// goldmark's writer resolves entities and backslash escapes exactly
	// as it does for HTML, and escapes the result; undo only the last step.
	return strings.Join(strings.Fields(stdhtml.UnescapeString(buf.String())), " ")
}

// writeText walks the tree and writes the text of each node the way the HTML
// renderer would, with a space wherever one block ends and another begins so
// that words from neighbouring blocks do not run together.
func writeText(w *bufio.Writer, source []byte, doc ast.Node) {
	out := gmhtml.DefaultWriter
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			_ = w.WriteByte(' ')
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				out.RawWrite(w, seg.Value(source))
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					out.RawWrite(w, t.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			out.RawWrite(w, n.Label(source))
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if n.IsRaw() {
				out.RawWrite(w, n.Segment.Value(source))
			} else {
				out.Write(w, n.Segment.Value(source))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			if n.IsRaw() || n.IsCode() {
				out.RawWrite(w, n.Value)
			} else {
				out.Write(w, n.Value)
			}
		}
		return ast.WalkContinue, nil
	})
}
