package e2e

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Violation is one accessibility rule a page breaks.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
}

// wcagTags select axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
     nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`

// Audit runs axe-core on the page the tab shows and returns what it finds.
func (tab *Tab) Audit() ([]Violation, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, 30*time.Second)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](tab.b.axe+";true")); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
}

// Check audits the page the tab shows: any WCAG 2.2 A or AA violation, and
// any console error (a script fault, or a request the page's security
// policy blocked), fails the test.
func (tab *Tab) Check() {
	tab.t.Helper()
	path := tab.Path()
	tab.Checked = append(tab.Checked, path)
	if tab.noScript {
		if js := tab.eval(`document.body.className`); strings.Contains(js, "js-enabled") {
			tab.t.Fatalf("%s ran its scripts with JavaScript off", path)
		}
		tab.setScripts(true)
		defer tab.setScripts(false)
	}
	vs, err := tab.Audit()
	if err != nil {
		tab.t.Fatalf("axe-core on %s: %v", path, err)
	}
	for _, v := range vs {
		tab.t.Errorf("accessibility on %s: %s", path, v)
	}
	// Console messages arrive a moment after the events that cause them.
	time.Sleep(50 * time.Millisecond)
	tab.mu.Lock()
	msgs := tab.console
	tab.console = nil
	tab.mu.Unlock()
	failed := false
	for _, m := range msgs {
		// A page answered with an error status (a form shown again with
		// its problems, a 404 page) is logged as a failed load of the page
		// itself; that is expected. Anything else is not.
		if strings.Contains(m.text, "Failed to load resource: the server responded with a status of") && m.url == tab.base+path {
			continue
		}
		tab.t.Errorf("console error on %s: %s (%s)", path, m.text, m.url)
		failed = true
	}
	if len(vs) > 0 || failed {
		tab.t.FailNow()
	}
}
