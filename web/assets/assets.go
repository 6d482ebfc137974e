// Package assets serves the front end embedded in the binary: the NHS.UK
// frontend's CSS, JavaScript and images, and upskill's own small additions.
// Each file is served at a URL that carries a hash of its content, so that
// browsers may cache it for a year and still never see a stale copy.
package assets

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed nhsuk own
var embedded embed.FS

// Prefix is where hashed files are served.
const Prefix = "/static/"

// BootScript is the one inline script of every page: it marks the page as
// running JavaScript before the frontend's styles apply, as the frontend
// expects. The Content-Security-Policy allows it by its hash alone.
const BootScript = `document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');`

// Set is the loaded assets.
type Set struct {
	files map[string]*file // by hashed URL path
	urls  map[string]string
}

type file struct {
	body        []byte
	contentType string
}

// Load reads the embedded files, rewrites the references between them to
// hashed URLs, and returns the set.
func Load() (*Set, error) {
	return load(embedded)
}

func load(fsys fs.FS) (*Set, error) {
	s := &Set{files: map[string]*file{}, urls: map[string]string{}}
	css, err := fs.ReadFile(fsys, "nhsuk/nhsuk-frontend.min.css")
	if err != nil {
		return nil, errors.New("the NHS.UK frontend files are missing from the build: run `make assets` (or `make build`), which copies them from node_modules")
	}
	// Images first: the stylesheet refers to them.
	images, err := fs.Glob(fsys, "nhsuk/images/*")
	if err != nil {
		return nil, err
	}
	for _, name := range images {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s.add("images/"+path.Base(name), b)
	}
	css = stripRemoteFonts(css)
	css = cssURL.ReplaceAllFunc(css, func(m []byte) []byte {
		name := strings.TrimPrefix(string(cssURL.FindSubmatch(m)[1]), "/assets/")
		if u, ok := s.urls[name]; ok {
			return []byte("url(" + u + ")")
		}
		return m
	})
	s.add("nhsuk-frontend.css", css)
	js, err := fs.ReadFile(fsys, "nhsuk/nhsuk-frontend.min.js")
	if err != nil {
		return nil, errors.New("the NHS.UK frontend script is missing from the build: run `make assets`")
	}
	// The source map comment points at a file that is not served.
	js = sourceMap.ReplaceAll(js, nil)
	s.add("nhsuk-frontend.js", js)
	appCSS, err := fs.ReadFile(fsys, "own/app.css")
	if err != nil {
		return nil, err
	}
	s.add("app.css", appCSS)
	appJS, err := fs.ReadFile(fsys, "own/app.js")
	if err != nil {
		return nil, err
	}
	s.add("app.js", bytes.ReplaceAll(appJS, []byte("NHSUK_FRONTEND_URL"), []byte(s.urls["nhsuk-frontend.js"])))
	return s, nil
}

var (
	cssURL    = regexp.MustCompile(`url\((/assets/[^)"']+)\)`)
	sourceMap = regexp.MustCompile(`//# sourceMappingURL=\S+`)
	fontFace  = regexp.MustCompile(`@font-face\{[^}]*\}`)
)

// stripRemoteFonts drops @font-face rules that load fonts from other sites.
func stripRemoteFonts(css []byte) []byte {
	return fontFace.ReplaceAllFunc(css, func(rule []byte) []byte {
		if bytes.Contains(rule, []byte("url(http")) {
			return nil
		}
		return rule
	})
}

func (s *Set) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := Prefix + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	s.files[hashed] = &file{body: body, contentType: ct}
	s.urls[name] = hashed
}

// URL returns the hashed URL of a named asset, such as "app.css" or
// "images/favicon.ico". It panics on an unknown name, which is a bug in a
// template and shows in the test that renders every template.
func (s *Set) URL(name string) string {
	u, ok := s.urls[name]
	if !ok {
		panic(fmt.Sprintf("assets: no asset named %q", name))
	}
	return u
}

// ServeHTTP serves a hashed asset with a year-long cache lifetime.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	w.Write(f.body)
}

// ScriptHash is the Content-Security-Policy source that allows BootScript.
func ScriptHash() string {
	sum := sha256.Sum256([]byte(BootScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
