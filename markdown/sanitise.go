package markdown

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// sanitiser is the allowlist every rendered page passes through. The syntax
// tree rewrite should already produce nothing outside it; the sanitiser is
// there so that a mistake in that rewrite, or a goldmark bug, cannot put
// script, styles or foreign content into a learner's page. A bluemonday
// policy is safe for concurrent use once built, so it is built once.
var sanitiser = newSanitiser()

func newSanitiser() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	// Only what Markdown itself produces, less h1, which is the page's.
	p.AllowElements(
		"h2", "h3", "h4", "h5", "h6",
		"p", "br", "hr", "blockquote", "pre", "code",
		"strong", "em", "del",
		"ul", "ol", "li",
		"table", "thead", "tbody", "tr", "th", "td",
		"a", "img",
	)

	// Each element may carry only the exact class values the tree
	// rewrite gives it.
	cellAlign := `(?: (?:` + classAlignLeft + `|` + classAlignCentre + `|` + classAlignRight + `))?`
	classes := map[string]string{
		"h2":         exactly(headingClass[2]),
		"h3":         exactly(headingClass[3]),
		"h4":         exactly(headingClass[4]),
		"h5":         exactly(headingClass[5]),
		"h6":         exactly(headingClass[6]),
		"p":          exactly(classBody),
		"ul":         exactly(classBulletList),
		"ol":         exactly(classNumberList),
		"a":          exactly(classLink),
		"blockquote": exactly(classInset),
		"table":      exactly(classTable),
		"thead":      exactly(classTableHead),
		"tbody":      exactly(classTableBody),
		"tr":         exactly(classTableRow),
		"th":         regexp.QuoteMeta(classTableHeader) + cellAlign,
		"td":         regexp.QuoteMeta(classTableCell) + cellAlign,
	}
	for element, pattern := range classes {
		p.AllowAttrs("class").Matching(regexp.MustCompile(`^` + pattern + `$`)).OnElements(element)
	}

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + exactly(relExternal) + `$`)).OnElements("a")
	p.AllowAttrs("title").OnElements("a", "img")
	p.AllowAttrs("src").Matching(mediaSrc).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^col$`)).OnElements("th")

	// The same rules for addresses as the tree rewrite applies, checked
	// again by a different parser.
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)

	return p
}

// exactly returns a pattern that matches s and nothing else, once anchored.
func exactly(s string) string {
	return regexp.QuoteMeta(strings.TrimSpace(s))
}
