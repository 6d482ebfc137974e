package markdown

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderCase describes one input and what its HTML must and must not contain.
type renderCase struct {
	name string
	src  string
	want []string // substrings that must appear
	not  []string // substrings that must not appear
}

// featureCases show what authors can do. Expected strings are exact
// fragments of the output, so a change in markup shows up here first.
var featureCases = []renderCase{
	{
		name: "headings shift down one level",
		src:  "# Washing your hands\n\n## Before you start\n\n### Soap\n\n#### Water\n\n##### Drying\n\n###### Bins",
		want: []string{
			`<h2 class="nhsuk-heading-l">Washing your hands</h2>`,
			`<h3 class="nhsuk-heading-m">Before you start</h3>`,
			`<h4 class="nhsuk-heading-s">Soap</h4>`,
			`<h5 class="nhsuk-heading-xs">Water</h5>`,
			`<h6 class="nhsuk-heading-xs">Drying</h6>`,
			`<h6 class="nhsuk-heading-xs">Bins</h6>`,
		},
		not: []string{"<h1", "id="},
	},
	{
		name: "setext heading",
		src:  "Moving and handling\n===================\n\nLifting safely\n--------------",
		want: []string{
			`<h2 class="nhsuk-heading-l">Moving and handling</h2>`,
			`<h3 class="nhsuk-heading-m">Lifting safely</h3>`,
		},
	},
	{
		name: "heading attribute syntax is not honoured",
		src:  "# Fire safety {#main .nhsuk-u-visually-hidden}",
		want: []string{`<h2 class="nhsuk-heading-l">Fire safety {#main .nhsuk-u-visually-hidden}</h2>`},
		not:  []string{`id="main"`},
	},
	{
		name: "paragraph",
		src:  "Check the resident's care plan before every visit.",
		want: []string{`<p class="nhsuk-body">Check the resident&#39;s care plan before every visit.</p>`},
	},
	{
		name: "emphasis, strong and strikethrough",
		src:  "Wear *gloves* and an **apron**, ~~a gown~~ when told to.",
		want: []string{`<em>gloves</em>`, `<strong>apron</strong>`, `<del>a gown</del>`},
	},
	{
		name: "bullet list",
		src:  "- mask\n- gloves\n- apron",
		want: []string{"<ul class=\"nhsuk-list nhsuk-list--bullet\">\n<li>mask</li>\n<li>gloves</li>\n<li>apron</li>\n</ul>"},
	},
	{
		name: "numbered list",
		src:  "1. Wet your hands\n2. Apply soap\n3. Rub for 20 seconds",
		want: []string{`<ol class="nhsuk-list nhsuk-list--number">`, `<li>Apply soap</li>`},
	},
	{
		name: "numbered list that starts part way",
		src:  "4. Rinse\n5. Dry with a paper towel",
		want: []string{`<ol start="4" class="nhsuk-list nhsuk-list--number">`},
	},
	{
		name: "nested list",
		src:  "- Clinical waste\n  - orange bags\n  - yellow bins",
		want: []string{"<li>Clinical waste\n<ul class=\"nhsuk-list nhsuk-list--bullet\">\n<li>orange bags</li>"},
	},
	{
		name: "blockquote becomes inset text",
		src:  "> Call 999 if the person is not breathing.",
		want: []string{"<blockquote class=\"nhsuk-inset-text\"><p class=\"nhsuk-body\">Call 999 if the person is not breathing.</p>\n</blockquote>"},
	},
	{
		name: "table",
		src:  "| Item | Colour |\n|---|---|\n| Sharps | yellow |\n| Linen | red |",
		want: []string{`<table class="nhsuk-table">
<thead class="nhsuk-table__head">
<tr class="nhsuk-table__row">
<th class="nhsuk-table__header" scope="col">Item</th>
<th class="nhsuk-table__header" scope="col">Colour</th>
</tr>
</thead>
<tbody class="nhsuk-table__body">
<tr class="nhsuk-table__row">
<td class="nhsuk-table__cell">Sharps</td>
<td class="nhsuk-table__cell">yellow</td>
</tr>
<tr class="nhsuk-table__row">
<td class="nhsuk-table__cell">Linen</td>
<td class="nhsuk-table__cell">red</td>
</tr>
</tbody>
</table>`},
		not: []string{"style=", "align="},
	},
	{
		name: "table with header only",
		src:  "| Shift | Start |\n|---|---|",
		want: []string{"</thead>\n</table>"},
		not:  []string{"<tbody"},
	},
	{
		name: "short table rows are padded",
		src:  "| Day | Early | Late |\n|---|---|---|\n| Monday |",
		want: []string{"<td class=\"nhsuk-table__cell\">Monday</td>\n<td class=\"nhsuk-table__cell\"></td>\n<td class=\"nhsuk-table__cell\"></td>"},
	},
	{
		name: "table column alignment uses utility classes",
		src:  "| Ward | Beds | Staff |\n|:--|:-:|--:|\n| Oak | 24 | 9 |",
		want: []string{
			`<th class="nhsuk-table__header nhsuk-u-text-align-left" scope="col">Ward</th>`,
			`<td class="nhsuk-table__cell nhsuk-u-text-align-centre">24</td>`,
			`<td class="nhsuk-table__cell nhsuk-u-text-align-right">9</td>`,
		},
		not: []string{"style=", "align="},
	},
	{
		name: "relative link",
		src:  "Read the [moving and handling policy](/learn/moving-and-handling).",
		want: []string{`<a href="/learn/moving-and-handling" class="nhsuk-link">moving and handling policy</a>`},
		not:  []string{"rel=", "target="},
	},
	{
		name: "external link",
		src:  "See [NHS.UK](https://www.nhs.uk/conditions/) for more.",
		want: []string{`<a href="https://www.nhs.uk/conditions/" class="nhsuk-link" rel="noopener noreferrer nofollow">NHS.UK</a>`},
		not:  []string{"target="},
	},
	{
		name: "plain http link",
		src:  "[old site](http://example.org/page)",
		want: []string{`<a href="http://example.org/page" class="nhsuk-link" rel="noopener noreferrer nofollow">old site</a>`},
	},
	{
		name: "mailto link",
		src:  "Email [the practice manager](mailto:practice.manager@example.nhs.uk).",
		want: []string{`<a href="mailto:practice.manager@example.nhs.uk" class="nhsuk-link">the practice manager</a>`},
		not:  []string{"rel="},
	},
	{
		name: "fragment and query links",
		src:  "[top](#top) [search](?q=sepsis)",
		want: []string{`<a href="#top" class="nhsuk-link">top</a>`, `<a href="?q=sepsis" class="nhsuk-link">search</a>`},
	},
	{
		name: "link with title",
		src:  `[rota](/rota "This week's rota")`,
		want: []string{`<a href="/rota" title="This week&#39;s rota" class="nhsuk-link">rota</a>`},
	},
	{
		name: "bare web address becomes a link",
		src:  "Visit www.nhs.uk or https://digital.nhs.uk/services today.",
		want: []string{
			`<a href="http://www.nhs.uk" class="nhsuk-link" rel="noopener noreferrer nofollow">www.nhs.uk</a>`,
			`<a href="https://digital.nhs.uk/services" class="nhsuk-link" rel="noopener noreferrer nofollow">https://digital.nhs.uk/services</a>`,
		},
	},
	{
		name: "bare email address becomes a mailto link",
		src:  "Questions to training@example.nhs.uk please.",
		want: []string{`<a href="mailto:training@example.nhs.uk" class="nhsuk-link">training@example.nhs.uk</a>`},
	},
	{
		name: "angle bracket autolink",
		src:  "<https://www.england.nhs.uk/>",
		want: []string{`<a href="https://www.england.nhs.uk/" class="nhsuk-link" rel="noopener noreferrer nofollow">https://www.england.nhs.uk/</a>`},
	},
	{
		name: "bare ftp address stays text",
		src:  "Old files were at ftp://files.example.org/pub once.",
		want: []string{"ftp://files.example.org/pub"},
		not:  []string{"<a"},
	},
	{
		name: "image from media",
		src:  "![A nurse washing her hands at a sink](/media/handwashing/step-1.jpg)",
		want: []string{`<img src="/media/handwashing/step-1.jpg" alt="A nurse washing her hands at a sink">`},
	},
	{
		name: "image without alt gets empty alt",
		src:  "![](/media/divider.png)",
		want: []string{`<img src="/media/divider.png" alt="">`},
	},
	{
		name: "image with title and formatted alt",
		src:  `![A *yellow* sharps bin](/media/bin.png "Sharps bin")`,
		want: []string{`<img src="/media/bin.png" alt="A yellow sharps bin" title="Sharps bin">`},
	},
	{
		name: "image inside a link",
		src:  "[![Poster](/media/poster.png)](/learn/posters)",
		want: []string{`<a href="/learn/posters" class="nhsuk-link"><img src="/media/poster.png" alt="Poster"></a>`},
	},
	{
		name: "code span and block are escaped",
		src:  "Type `<Ctrl> + L` to lock.\n\n```text\n<b>not bold</b>\n```",
		want: []string{"<code>&lt;Ctrl&gt; + L</code>", "<pre><code>&lt;b&gt;not bold&lt;/b&gt;\n</code></pre>"},
		not:  []string{"language-"},
	},
	{
		name: "hard line break",
		src:  "Ward 7  \nSt Elsewhere's Hospital",
		want: []string{"Ward 7<br>"},
	},
	{
		name: "thematic break",
		src:  "Part one\n\n---\n\nPart two",
		want: []string{"<hr>"},
	},
	{
		name: "entities and escapes",
		src:  `Fish &amp; chips, 5 \* 3, &copy; Crown`,
		want: []string{`Fish &amp; chips, 5 * 3, © Crown`},
	},
}

// hostileCases are attempts to get script, styles or foreign content into a
// page. Every one must also pass the checks the fuzz target makes.
var hostileCases = []renderCase{
	{
		name: "script block",
		src:  "<script>alert('owned')</script>\n\nAfter.",
		want: []string{`<p class="nhsuk-body">After.</p>`},
		not:  []string{"<script", "alert"},
	},
	{
		name: "inline script",
		src:  "Before <script>alert(1)</script> after",
		not:  []string{"<script", "</script"},
	},
	{
		name: "image with onerror",
		src:  `Look <img src=x onerror="alert(1)"> here`,
		not:  []string{"<img", "onerror"},
	},
	{
		name: "image block with onerror",
		src:  `<img src="/media/a.png" onerror="alert(1)">`,
		not:  []string{"<img", "onerror"},
	},
	{
		name: "svg with onload",
		src:  `<svg onload=alert(1)><circle r=40 /></svg>`,
		not:  []string{"<svg", "onload"},
	},
	{
		name: "javascript link",
		src:  "[Click here](javascript:alert(document.cookie))",
		want: []string{"Click here"},
		not:  []string{"<a", "javascript"},
	},
	{
		name: "mixed-case javascript link",
		src:  "[Click](JaVaScRiPt:alert(1))",
		not:  []string{"<a", "alert"},
	},
	{
		name: "decimal entity javascript link",
		src:  "[Click](&#106;avascript:alert(1))",
		not:  []string{"<a", "alert"},
	},
	{
		name: "hex entity javascript link",
		src:  "[Click](&#x6A;&#x61;vascript:alert(1))",
		not:  []string{"<a", "alert"},
	},
	{
		name: "named entity colon",
		src:  "[Click](javascript&colon;alert(1))",
		not:  []string{"<a", "alert"},
	},
	{
		name: "entity tab inside scheme",
		src:  "[Click](java&#x09;script:alert(1))",
		not:  []string{"<a", "alert"},
	},
	{
		name: "literal tab inside scheme",
		src:  "[Click](<java\tscript:alert(1)>)",
		not:  []string{"<a", "alert"},
	},
	{
		name: "backslash escaped colon",
		src:  `[Click](javascript\:alert(1))`,
		not:  []string{"<a", "alert"},
	},
	{
		name: "percent encoded scheme",
		src:  "[Click](java%73cript:alert(1))",
		not:  []string{"<a"},
	},
	{
		name: "vbscript link",
		src:  "[Click](vbscript:msgbox(1))",
		not:  []string{"<a"},
	},
	{
		name: "data link",
		src:  "[Click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		not:  []string{"<a", "data:"},
	},
	{
		name: "file link",
		src:  "[Click](file:///etc/passwd)",
		not:  []string{"<a", "file:"},
	},
	{
		name: "protocol-relative link",
		src:  "[Click](//evil.example/login)",
		not:  []string{"<a", "evil.example"},
	},
	{
		name: "backslash protocol-relative link",
		src:  `[Click](<\\evil.example/login>) [Again](</\evil.example>)`,
		not:  []string{"href=\"//", `href="\`, `href="/\`},
	},
	{
		name: "http link without a host",
		src:  "[Click](https:evil.example)",
		not:  []string{"<a"},
	},
	{
		name: "javascript autolink",
		src:  "<javascript:alert(1)>",
		want: []string{"javascript:alert(1)"},
		not:  []string{"<a"},
	},
	{
		name: "upper-case javascript autolink",
		src:  "<JAVASCRIPT:alert(1)>",
		not:  []string{"<a"},
	},
	{
		name: "link reference definition with javascript",
		src:  "Read [the policy][p].\n\n[p]: javascript:alert(1)",
		want: []string{"Read the policy."},
		not:  []string{"<a", "alert"},
	},
	{
		name: "link reference definition with encoded javascript",
		src:  "[policy]\n\n[policy]: &#x6A;avascript:alert(1) \"Policy\"",
		not:  []string{"<a", "alert", "title="},
	},
	{
		name: "title that tries to break out",
		src:  `[x](/a "\" onmouseover=\"alert(1)")`,
		want: []string{`title="&#34; onmouseover=&#34;alert(1)"`},
		not:  []string{` onmouseover="`},
	},
	{
		name: "data image",
		src:  "![pixel](data:image/png;base64,iVBORw0KGgo=)",
		want: []string{"pixel"},
		not:  []string{"<img", "data:"},
	},
	{
		name: "data svg image",
		src:  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
		not:  []string{"<img", "data:"},
	},
	{
		name: "external image",
		src:  "![tracking pixel](https://tracker.example/p.gif)",
		want: []string{"tracking pixel"},
		not:  []string{"<img", "tracker.example"},
	},
	{
		name: "protocol-relative image",
		src:  "![x](//tracker.example/media/p.gif)",
		not:  []string{"<img"},
	},
	{
		name: "javascript image",
		src:  "![x](javascript:alert(1))",
		not:  []string{"<img", "alert"},
	},
	{
		name: "image that climbs out of media",
		src:  "![x](/media/../logout) ![y](/media/%2e%2e/logout) ![z](/media/%2E./logout) ![w](/media/./a.png)",
		not:  []string{"<img", "logout"},
	},
	{
		name: "image path that only starts like media",
		src:  "![x](/mediafiles/a.png) ![y](/media/) ![z](media/a.png) ![v](/media/a.png?x=1)",
		not:  []string{"<img"},
	},
	{
		name: "image with backslash",
		src:  `![x](/media/\..\admin)`,
		not:  []string{"<img"},
	},
	{
		name: "image alt with markup",
		src:  `![<script>alert(1)</script>](https://tracker.example/a.png)`,
		not:  []string{"<script", "<img"},
	},
	{
		name: "style attribute",
		src:  `<p style="background:url(javascript:alert(1))">Hello</p>`,
		not:  []string{"style", "javascript"},
	},
	{
		name: "style element",
		src:  "<style>body { display: none }</style>\n\nText",
		not:  []string{"<style", "display"},
	},
	{
		name: "raw HTML block",
		src:  "<div onclick=\"alert(1)\">\n\n**Bold** inside\n\n</div>",
		want: []string{"<strong>Bold</strong>"},
		not:  []string{"<div", "onclick"},
	},
	{
		name: "iframe, object, embed",
		src:  "<iframe src=\"https://evil.example\"></iframe>\n\n<object data=\"x.swf\"></object>\n\n<embed src=\"x.swf\">",
		not:  []string{"<iframe", "<object", "<embed", "evil.example"},
	},
	{
		name: "form and input",
		src:  "<form action=\"https://evil.example\"><input name=\"password\" type=\"password\"></form>",
		not:  []string{"<form", "<input"},
	},
	{
		name: "inline anchor with javascript",
		src:  `Hello <a href="javascript:alert(1)">there</a>`,
		want: []string{"there"},
		not:  []string{"<a", "javascript"},
	},
	{
		name: "HTML comment block",
		src:  "<!-- secret note for editors -->\n\nVisible.",
		not:  []string{"<!--", "secret"},
	},
	{
		name: "inline HTML comment",
		src:  "Visible <!-- <script>alert(1)</script> --> text.",
		not:  []string{"<!--", "<script", "alert"},
	},
	{
		name: "CDATA and processing instruction",
		src:  "<![CDATA[<script>alert(1)</script>]]>\n\n<?php echo 1; ?>",
		not:  []string{"<script", "CDATA", "<?"},
	},
	{
		name: "unclosed tag swallowing the page",
		src:  "<textarea>\n\nStill visible",
		not:  []string{"<textarea"},
	},
	{
		name: "table padded out of all proportion",
		src:  strings.Repeat("|a", 300) + "\n" + strings.Repeat("|-", 300) + "\n" + strings.Repeat("a\n", 300),
		not:  []string{"<table", "<td"},
	},
	{
		name: "wide table hidden behind an earlier line that only looks like a delimiter",
		src:  "x\n: -\n" + strings.Repeat("|a", 300) + "\n" + strings.Repeat("|-", 300) + "\n" + strings.Repeat("a\n", 300),
		not:  []string{"<table", "<td"},
	},
	{
		name: "NUL byte and invalid UTF-8",
		src:  "Nul \x00 and bad \xff\xfe bytes",
		not:  []string{"\x00", "\xff"},
	},
	{
		name: "refused link in nested blocks",
		src:  "> - [one](javascript:alert(1)) and [two](/learn/two)",
		want: []string{`<a href="/learn/two" class="nhsuk-link">two</a>`},
		not:  []string{"javascript"},
	},
	{
		name: "refused link keeps its formatting",
		src:  "[**bold** text](javascript:alert(1))",
		want: []string{"<strong>bold</strong> text"},
		not:  []string{"<a"},
	},
}

func TestRender(t *testing.T) {
	for _, group := range [][]renderCase{featureCases, hostileCases} {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) {
				got := string(Render(tc.src))
				for _, w := range tc.want {
					if !strings.Contains(got, w) {
						t.Errorf("output lacks %q\nsource: %q\noutput:\n%s", w, tc.src, got)
					}
				}
				for _, n := range tc.not {
					if strings.Contains(got, n) {
						t.Errorf("output contains %q\nsource: %q\noutput:\n%s", n, tc.src, got)
					}
				}
				if err := checkSafe(got); err != nil {
					t.Errorf("%v\nsource: %q\noutput:\n%s", err, tc.src, got)
				}
			})
		}
	}
}

func TestClassifyLink(t *testing.T) {
	tests := []struct {
		dest string
		want linkKind
	}{
		{"/learn/a", linkRelative},
		{"learn/a", linkRelative},
		{"../a", linkRelative},
		{"#section", linkRelative},
		{"?page=2", linkRelative},
		{"/a:b", linkRelative},
		{"https://www.nhs.uk", linkExternal},
		{"HTTP://WWW.NHS.UK", linkExternal},
		{"mailto:someone@example.nhs.uk", linkMail},
		{"MailTo:someone@example.nhs.uk", linkMail},
		{"", linkRefused},
		{"mailto:", linkRefused},
		{"https://", linkRefused},
		{"https:/nhs.uk", linkRefused},
		{"//nhs.uk", linkRefused},
		{"javascript:alert(1)", linkRefused},
		{" javascript:alert(1)", linkRefused},
		{"&#106;avascript:alert(1)", linkRefused},
		{"tel:01234567890", linkRefused},
		{"ftp://files.example.org", linkRefused},
		{"page:1", linkRefused},
	}
	for _, tt := range tests {
		if got := classifyLink([]byte(tt.dest)); got != tt.want {
			t.Errorf("classifyLink(%q) = %d, want %d", tt.dest, got, tt.want)
		}
	}
}

// TestTableSize shows that a table cannot be used to turn a page of the
// largest allowed size into a vast amount of HTML.
func TestTableSize(t *testing.T) {
	header := strings.Repeat("| a ", 2000) + "|\n" + strings.Repeat("|---", 2000) + "|\n"
	src := header + strings.Repeat("a\n", (MaxLen-len(header))/2)
	if out := Render(src); len(out) > 4*len(src) {
		t.Errorf("%d bytes of Markdown gave %d bytes of HTML", len(src), len(out))
	}
}

func TestDelimiterColumns(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"| --- | :-: | --: |", 3},
		{"--- | ---", 2},
		{"|---|\n", 1},
		{"-", 1},
		{"| a | b |", 0},
		{"", 0},
		{"--- x", 0},
	}
	for _, tt := range tests {
		if got := delimiterColumns([]byte(tt.line)); got != tt.want {
			t.Errorf("delimiterColumns(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"blocks are separated", "# Infection control\nWash your hands.\n\nThen dry them.", "Infection control Wash your hands. Then dry them."},
		{"white space collapsed", "Lots   of\n\n\n   space\there", "Lots of space here"},
		{"markup removed", "**Bold**, *italic* and ~~struck~~ `code`", "Bold, italic and struck code"},
		{"entities and escapes resolved", `Fish &amp; chips \*not\* &lt;b&gt; &#169;`, "Fish & chips *not* <b> ©"},
		{"links keep their words", "[NHS website](https://www.nhs.uk) and www.nhs.uk", "NHS website and www.nhs.uk"},
		{"image alt kept", "![A yellow sharps bin](/media/bin.png) ![remote](https://x.example/a.png)", "A yellow sharps bin remote"},
		{"raw HTML left out", "Before <b>bold</b> after\n\n<div>\nblock\n</div>\n\n<!-- note -->", "Before bold after"},
		{"lists", "- one\n- two\n\n1. three", "one two three"},
		{"table cells", "| a | b |\n|---|---|\n| c | d |", "a b c d"},
		{"code block", "```\nx := 1\n```", "x := 1"},
		{"hard break", "line one  \nline two", "line one line two"},
		{"refused link", "[click](javascript:alert(1))", "click"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.src); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestLesson renders the sample lesson used by the benchmark, so that the
// benchmark is known to measure a page that renders properly.
func TestLesson(t *testing.T) {
	src := lesson(t)
	got := string(Render(src))
	if err := checkSafe(got); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`<h2 class="nhsuk-heading-l">Spotting phishing emails`,
		`<table class="nhsuk-table">`,
		`<blockquote class="nhsuk-inset-text">`,
		`<img src="/media/lessons/phishing/link-preview.png"`,
		`<a href="/learn/phishing/assessment" class="nhsuk-link">`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("lesson output lacks %q", w)
		}
	}
	if words := len(strings.Fields(Text(src))); words < 1900 || words > 2200 {
		t.Errorf("sample lesson has %d words, want about 2,000", words)
	}
}

// TestConcurrent renders from many goroutines at once; under -race it shows
// that the shared converter and sanitiser hold no state between calls.
func TestConcurrent(t *testing.T) {
	src := lesson(t)
	want := Render(src)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				if got := Render(src); got != want {
					t.Error("concurrent render gave different output")
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestCheckSafe shows that the fuzz target's checks catch what they are
// meant to, so that a quiet fuzzing run means something.
func TestCheckSafe(t *testing.T) {
	bad := []string{
		`<script>alert(1)</script>`,
		`<div>x</div>`,
		`<h1>x</h1>`,
		`<svg><a href="/x">x</a></svg>`,
		`<p onclick="alert(1)">x</p>`,
		`<p style="color:red">x</p>`,
		`<h2 id="main">x</h2>`,
		`<p class="nhsuk-u-visually-hidden">x</p>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<a href="data:text/html,x">x</a>`,
		`<a href="//evil.example/">x</a>`,
		`<a href="https://evil.example/">x</a>`,
		`<img src="https://evil.example/a.png" alt="">`,
		`<img src="/media/%2e%2e/admin" alt="">`,
		`<img src="data:image/png;base64,AAAA" alt="">`,
		`<!-- note -->`,
	}
	for _, s := range bad {
		if checkSafe(s) == nil {
			t.Errorf("checkSafe accepted %s", s)
		}
	}
	good := `<p class="nhsuk-body"><a href="https://www.nhs.uk" class="nhsuk-link" rel="noopener noreferrer nofollow">x</a> <img src="/media/a.png" alt=""></p>`
	if err := checkSafe(good); err != nil {
		t.Errorf("checkSafe refused %s: %v", good, err)
	}
}

func FuzzRender(f *testing.F) {
	for _, group := range [][]renderCase{featureCases, hostileCases} {
		for _, tc := range group {
			f.Add(tc.src)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Render(src))
		if err := checkSafe(out); err != nil {
			t.Fatalf("%v\nsource: %q\noutput:\n%s", err, src, out)
		}
		_ = Text(src)
	})
}

func BenchmarkRender(b *testing.B) {
	src := lesson(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Render(src)
	}
}

func lesson(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/lesson.md")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// allowedAttrs lists, for each element a page may contain, the attributes it
// may carry. It is written out separately from the sanitiser's policy so that
// the fuzz target checks the output against an independent statement of the
// rules rather than against the code under test.
var allowedAttrs = map[string][]string{
	"h2": {"class"}, "h3": {"class"}, "h4": {"class"}, "h5": {"class"}, "h6": {"class"},
	"p": {"class"}, "br": nil, "hr": nil, "blockquote": {"class"}, "pre": nil, "code": nil,
	"strong": nil, "em": nil, "del": nil,
	"ul": {"class"}, "ol": {"class", "start"}, "li": nil,
	"table": {"class"}, "thead": {"class"}, "tbody": {"class"}, "tr": {"class"},
	"th": {"class", "scope"}, "td": {"class"},
	"a":   {"href", "class", "rel", "title"},
	"img": {"src", "alt", "title"},
}

var allowedClasses = map[string]bool{
	"nhsuk-heading-l": true, "nhsuk-heading-m": true, "nhsuk-heading-s": true, "nhsuk-heading-xs": true,
	"nhsuk-body": true, "nhsuk-list": true, "nhsuk-list--bullet": true, "nhsuk-list--number": true,
	"nhsuk-link": true, "nhsuk-inset-text": true,
	"nhsuk-table": true, "nhsuk-table__head": true, "nhsuk-table__body": true, "nhsuk-table__row": true,
	"nhsuk-table__header": true, "nhsuk-table__cell": true,
	"nhsuk-u-text-align-left": true, "nhsuk-u-text-align-centre": true, "nhsuk-u-text-align-right": true,
}

// checkSafe parses rendered HTML as a browser would, inside a page body, and
// reports the first thing in it that a lesson page must never contain.
func checkSafe(out string) error {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		return fmt.Errorf("output does not parse: %w", err)
	}
	var check func(n *html.Node) error
	check = func(n *html.Node) error {
		switch n.Type {
		case html.CommentNode:
			return errors.New("comment in output")
		case html.DoctypeNode:
			return errors.New("doctype in output")
		case html.ElementNode:
			if err := checkElement(n); err != nil {
				return err
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := check(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := check(n); err != nil {
			return err
		}
	}
	return nil
}

func checkElement(n *html.Node) error {
	allowed, ok := allowedAttrs[n.Data]
	if !ok || n.Namespace != "" {
		return fmt.Errorf("element <%s> not allowed", n.Data)
	}
	external := false
	hasRel := false
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"):
			return fmt.Errorf("event handler %s on <%s>", a.Key, n.Data)
		case key == "style" || key == "id":
			return fmt.Errorf("attribute %s on <%s>", a.Key, n.Data)
		case a.Namespace != "" || !slices.Contains(allowed, key):
			return fmt.Errorf("attribute %s not allowed on <%s>", a.Key, n.Data)
		}
		switch key {
		case "class":
			for _, c := range strings.Fields(a.Val) {
				if !allowedClasses[c] {
					return fmt.Errorf("class %q on <%s>", c, n.Data)
				}
			}
		case "href":
			isExternal, err := checkHref(a.Val)
			if err != nil {
				return err
			}
			external = external || isExternal
		case "rel":
			hasRel = true
			for _, v := range []string{"noopener", "noreferrer", "nofollow"} {
				if !slices.Contains(strings.Fields(a.Val), v) {
					return fmt.Errorf("rel %q lacks %s", a.Val, v)
				}
			}
		case "src":
			if err := checkSrc(a.Val); err != nil {
				return err
			}
		}
	}
	if external && !hasRel {
		return errors.New("external link without rel")
	}
	return nil
}

// checkSrc reports an error unless an image source is a path that stays
// under /media/ once a browser has resolved it, percent-encoded dots included.
func checkSrc(src string) error {
	u, err := url.Parse(src)
	if err != nil {
		return fmt.Errorf("unparseable image source %q: %w", src, err)
	}
	if !strings.HasPrefix(src, "/media/") || strings.Contains(src, `\`) ||
		u.Scheme != "" || u.Host != "" || !strings.HasPrefix(path.Clean(u.Path), "/media/") {
		return fmt.Errorf("image source %q", src)
	}
	return nil
}

// checkHref reports whether a link leaves the service, and an error if it
// uses a scheme other than http, https or mailto.
func checkHref(href string) (external bool, err error) {
	// Browsers drop tabs and newlines from URLs and trim the ends.
	clean := strings.TrimSpace(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(href))
	if strings.HasPrefix(clean, "//") || strings.HasPrefix(clean, `\`) || strings.HasPrefix(clean, `/\`) {
		return false, fmt.Errorf("protocol-relative link %q", href)
	}
	u, err := url.Parse(clean)
	if err != nil {
		return false, fmt.Errorf("unparseable link %q: %w", href, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		return false, nil
	case "http", "https":
		return true, nil
	case "mailto":
		return false, nil
	}
	return false, fmt.Errorf("link scheme %q in %q", u.Scheme, href)
}
