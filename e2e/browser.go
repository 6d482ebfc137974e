// Package e2e drives Debian's Chromium through whole journeys against a
// real upskill server, and checks every page it visits with axe-core: a
// WCAG 2.2 A or AA violation, a console error or a blocked request fails the
// test. The browser starts once, lazily, for the tests that need it.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ChromiumPath is Debian's browser binary. The /usr/bin/chromium wrapper
// script adds flags and prints a warning, so the real binary is used.
var ChromiumPath = "/usr/lib/chromium/chromium"

// Browser is a running Chromium.
type Browser struct {
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	axe    string
}

var (
	startOnce sync.Once
	shared    *Browser
	startErr  error
)

// Start returns the shared browser, starting it on first use. Without
// Chromium the test is skipped, loudly, except under CI, where it fails.
func Start(t testing.TB) *Browser {
	t.Helper()
	startOnce.Do(func() { shared, startErr = start() })
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser tests must run under CI: %v", startErr)
		}
		fmt.Fprintf(os.Stderr, "\n!!! SKIPPING browser tests: %v\n\n", startErr)
		t.Skip(startErr.Error())
	}
	return shared
}

// Stop ends the shared browser and removes its profile. Call it from TestMain.
func Stop() {
	if shared == nil {
		return
	}
	shared.cancel()
	// Chromium's children can write to the profile for a moment after it
	// stops, so removal is retried.
	for i := 0; i < 50; i++ {
		if err := os.RemoveAll(shared.dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func start() (*Browser, error) {
	if _, err := exec.LookPath(ChromiumPath); err != nil {
		return nil, fmt.Errorf("no Chromium at %s (apt-get install chromium)", ChromiumPath)
	}
	axe, err := readAxe()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "upskill-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	// No timeout here: this context owns the browser process.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start Chromium: %w", err)
	}
	return &Browser{ctx: ctx, cancel: func() { cancelCtx(); cancelAlloc() }, dir: dir, axe: axe}, nil
}

// readAxe loads axe-core from the npm packages at the repository's root.
func readAxe() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
			if err != nil {
				return "", errors.New("axe-core is not installed: run `make assets` (npm ci) first")
			}
			return string(b), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository root")
		}
		dir = parent
	}
}

// Tab is one browser tab, with its own cookies, pointed at one server.
type Tab struct {
	t        testing.TB
	b        *Browser
	ctx      context.Context
	base     string
	mu       sync.Mutex
	console  []consoleLine
	noScript bool
	Checked  []string // the paths whose pages were checked, in order
}

// NewTab opens a tab in a fresh browser context (its own cookies), closed
// when the test ends.
func (b *Browser) NewTab(t testing.TB, base string) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("open a tab: %v", err)
	}
	tab := &Tab{t: t, b: b, ctx: ctx, base: strings.TrimSuffix(base, "/")}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				tab.mu.Lock()
				tab.console = append(tab.console, consoleLine{text: m.String(), url: m.URL})
				tab.mu.Unlock()
			}
		}
	}()
	t.Cleanup(cancel)
	return tab
}

// consoleLine is an error the page wrote to the console.
type consoleLine struct {
	text, url string
}

// NoScript turns JavaScript off in the tab, for the pages that must work
// without it. The accessibility audit still runs: it turns scripts on for
// the moment it takes, after the page has loaded without them.
func (tab *Tab) NoScript() {
	tab.t.Helper()
	tab.noScript = true
	tab.setScripts(false)
}

func (tab *Tab) setScripts(on bool) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		tab.t.Fatalf("turn scripts %v: %v", on, err)
	}
}

// run runs actions with a deadline, failing the test on error.
func (tab *Tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tab.t.Fatalf("%s: %v (on %s)", what, err, tab.Path())
	}
}

// Open goes to a path on the server and checks the page. It returns the
// HTTP status of the response.
func (tab *Tab) Open(path string) int {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tab.base+path))
	if err != nil {
		tab.t.Fatalf("open %s: %v", path, err)
	}
	tab.Check()
	return int(res.Status)
}

// Submit clicks the element (usually a form's button), waits for the page
// that follows, and checks it. It returns that page's HTTP status.
func (tab *Tab) Submit(sel string) int {
	tab.t.Helper()
	return tab.navigate("submit "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// PressEnter presses Enter in the focused element and waits for the page
// that follows, as a keyboard user submits a form.
func (tab *Tab) PressEnter() int {
	tab.t.Helper()
	return tab.navigate("press Enter", chromedp.KeyEvent(kb.Enter))
}

func (tab *Tab) navigate(what string, a chromedp.Action[chromedp.Void]) int {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 20*time.Second)
	defer cancel()
	var res *network.Response
	res, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		tab.t.Fatalf("%s: %v (on %s)", what, err, tab.Path())
	}
	tab.Check()
	if res == nil {
		return 0
	}
	return int(res.Status)
}

// Fill types text into the field with the given id, replacing what was there.
func (tab *Tab) Fill(id, text string) {
	tab.t.Helper()
	tab.eval(fmt.Sprintf(`(() => { const e = document.getElementById(%q); if (e) e.value = ""; return ""; })()`, id))
	tab.run("fill #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// Select chooses an option of a select by its value.
func (tab *Tab) Select(id, value string) {
	tab.t.Helper()
	tab.run("select #"+id, chromedp.SetValue(chromedp.ID(id), value))
}

// Click clicks an element without waiting for a new page.
func (tab *Tab) Click(sel string) {
	tab.t.Helper()
	tab.run("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// Tab presses the Tab key n times, moving the focus as a keyboard user does.
func (tab *Tab) Tab(n int) {
	tab.t.Helper()
	for i := 0; i < n; i++ {
		tab.run("press Tab", chromedp.KeyEvent(kb.Tab))
	}
}

// Type sends keys to whatever has the focus.
func (tab *Tab) Type(text string) {
	tab.t.Helper()
	tab.run("type", chromedp.KeyEvent(text))
}

// Focused describes the element that has the focus: its id, or its tag and
// text when it has none.
func (tab *Tab) Focused() string {
	tab.t.Helper()
	return tab.eval(`(() => { const e = document.activeElement; if (!e) return ""; return e.id ? "#" + e.id : e.tagName.toLowerCase() + ":" + (e.textContent || "").trim(); })()`)
}

// FocusOn presses Tab until the element with the given id has the focus,
// failing after limit presses: a keyboard user must be able to reach it.
func (tab *Tab) FocusOn(id string, limit int) {
	tab.t.Helper()
	for i := 0; i < limit; i++ {
		if tab.Focused() == "#"+id {
			return
		}
		tab.Tab(1)
	}
	tab.t.Fatalf("#%s cannot be reached with %d presses of Tab on %s (focus is on %s)", id, limit, tab.Path(), tab.Focused())
}

// TabTo presses Tab until the focused element matches the CSS selector,
// failing after limit presses.
func (tab *Tab) TabTo(selector string, limit int) {
	tab.t.Helper()
	for i := 0; i < limit; i++ {
		if tab.eval(fmt.Sprintf(`(() => { const e = document.activeElement; return e && e.matches(%q) ? "yes" : ""; })()`, selector)) == "yes" {
			return
		}
		tab.Tab(1)
	}
	tab.t.Fatalf("%s cannot be reached with %d presses of Tab on %s (focus is on %s)", selector, limit, tab.Path(), tab.Focused())
}

// Press sends one key, such as kb.ArrowRight or " ", to what has the focus.
func (tab *Tab) Press(key string, times int) {
	tab.t.Helper()
	for i := 0; i < times; i++ {
		tab.run("press "+key, chromedp.KeyEvent(key))
	}
}

// Path is the path of the page the tab shows.
func (tab *Tab) Path() string {
	ctx, cancel := context.WithTimeout(tab.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown)"
	}
	return strings.TrimPrefix(loc, tab.base)
}

// Text returns the visible text of the page's main content.
func (tab *Tab) Text() string {
	tab.t.Helper()
	return tab.eval(`(document.querySelector("main") || document.body).innerText`)
}

// MustSee fails unless the main content shows each text.
func (tab *Tab) MustSee(texts ...string) {
	tab.t.Helper()
	body := tab.Text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			tab.t.Fatalf("%s does not show %q; it shows:\n%s", tab.Path(), s, body)
		}
	}
}

// Attr returns an attribute of the first element matching a CSS selector.
func (tab *Tab) Attr(sel, name string) string {
	tab.t.Helper()
	return tab.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? (e.getAttribute(%q) || "") : ""; })()`, sel, name))
}

func (tab *Tab) eval(js string) string {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tab.t.Fatalf("evaluate on %s: %v", tab.Path(), err)
	}
	return v
}

// navigate goes to an absolute URL without checking the page.
func navigate(u string) chromedp.Action[chromedp.Void] { return chromedp.Navigate(u) }

// Upload chooses a file for the file input with the given id.
func (tab *Tab) Upload(id, path string) {
	tab.t.Helper()
	tab.run("upload to #"+id, chromedp.SetUploadFiles(chromedp.ID(id), []string{path}))
}
