package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"upskill"
	"upskill/framework"
	"upskill/framework/sheet"
	"upskill/store"
)

// postFile sends the upload form with a file, as a browser does.
func (c *client) postFile(path, fileName string, body []byte) *page {
	c.t.Helper()
	return c.postFileAs(path, "file", fileName, body)
}

// postFileAs sends a file as the named field of an upload form.
func (c *client) postFileAs(path, field, fileName string, body []byte) *page {
	c.t.Helper()
	if c.csrf == "" {
		c.get("/sign-in")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.csrf)
	if fileName != "" {
		fw, _ := mw.CreateFormFile(field, fileName)
		fw.Write(body)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.a.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func versionCount(t *testing.T, st *store.Store, key string) int {
	t.Helper()
	fw, err := st.FrameworkByKey(ctx, key)
	must(t, err)
	vs, err := st.Versions(ctx, fw.ID)
	must(t, err)
	return len(vs)
}

// TestFrameworkImportJourney downloads the framework as a workbook, edits
// it, uploads a broken copy and then a good one, checks the preview, saves
// it as a draft and publishes it.
func TestFrameworkImportJourney(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		w := newWorld(t, a.store)
		c := a.client()
		c.signIn("national@example.org")
		c.get("/home").has(t, `href="/frameworks"`)
		c.get("/frameworks").has(t, "Health and Care Digital Capabilities Framework", "Version 1")
		c.get("/frameworks/hcdcf").has(t, "Version 1", "Published")
		p := c.get("/frameworks/hcdcf/versions/1")
		p.has(t, "Staff starting an assessment take this version", "Right answer", "Download this version")
		p.lacks(t, "Publish version 1")

		// Every format downloads; a made-up one is not found.
		files := map[string][]byte{}
		for _, format := range []string{"xlsx", "csv", "json", "case"} {
			p := c.get("/frameworks/hcdcf/versions/1/download/" + format)
			if p.status != 200 || !strings.Contains(p.header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("download %s: %d %v", format, p.status, p.header)
			}
			files[format] = []byte(p.body)
		}
		if p := c.get("/frameworks/hcdcf/versions/1/download/pdf"); p.status != 404 {
			t.Fatalf("download pdf: %d", p.status)
		}
		for _, format := range []string{"xlsx", "csv"} {
			if p := c.get("/framework-imports/template/" + format); p.status != 200 {
				t.Fatalf("blank %s template: %d", format, p.status)
			}
		}

		// Edit the workbook: reword one statement, blank two others.
		f, err := sheet.ReadXLSX(bytes.NewReader(files["xlsx"]))
		must(t, err)
		f.Version.Domains[0].Capabilities[0].Statement = "I keep my smartcard, passwords and PIN to myself."
		broken := f.Version
		broken.Domains = append([]upskill.Domain(nil), f.Version.Domains...)
		broken.Domains[1].Capabilities = append([]upskill.Capability(nil), broken.Domains[1].Capabilities...)
		broken.Domains[1].Capabilities[0].Statement = ""
		broken.Domains[1].Capabilities[2].Statement = ""
		var bad, good bytes.Buffer
		must(t, sheet.WriteXLSX(&bad, &f.Framework, &broken))
		must(t, sheet.WriteXLSX(&good, &f.Framework, &f.Version))

		before := versionCount(t, a.store, "hcdcf")
		c.get("/framework-imports").has(t, "Import a framework", "Blank Excel workbook")
		p = c.postFile("/framework-imports", "", nil)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("no file: %d", p.status)
		}
		p.has(t, "There is a problem", "Select a framework file")
		p = c.postFile("/framework-imports", "hcdcf edited.xlsx", bad.Bytes())
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("broken file: %d", p.status)
		}
		p.has(t, "There is a problem", "Problems in hcdcf edited.xlsx", "Capabilities row")
		if n := strings.Count(p.body, `<td class="nhsuk-table__cell">Capabilities row`); n != 2 {
			t.Errorf("the broken file shows %d problems, want 2", n)
		}
		p = c.postFile("/framework-imports", "empty.csv", nil)
		p.has(t, "The selected file is empty")
		p = c.postFile("/framework-imports", "huge.csv", bytes.Repeat([]byte("x"), framework.MaxFileSize+100<<10))
		if p.status != http.StatusBadRequest {
			t.Fatalf("oversized file: %d %s", p.status, excerpt(p.body))
		}
		p.has(t, "larger than 2 MB")
		if versionCount(t, a.store, "hcdcf") != before {
			t.Fatal("a refused file wrote a version")
		}

		// The good file: preview, then save as a draft.
		p = c.postFile("/framework-imports", "hcdcf edited.xlsx", good.Bytes())
		if p.status != 200 || !strings.HasPrefix(p.url, "/framework-imports/") {
			t.Fatalf("good file: %d at %s", p.status, p.url)
		}
		p.has(t, "Check the framework before you import it", "A new version of the Health and Care Digital Capabilities Framework",
			"Compared with version 1", "1 statement is worded differently or answered differently: 1.1", "32 statements")
		preview := p.url
		if versionCount(t, a.store, "hcdcf") != before {
			t.Fatal("the preview wrote a version")
		}
		// Another national admin's upload cannot be seen or used.
		hash, _ := fastHash.Hash(ctx, testPassword)
		_, err = a.store.CreateNationalAdmin(ctx, 0, "England", store.NewAccount{Email: "second@example.org", Name: "Second National", PasswordHash: hash, Verified: true})
		must(t, err)
		other := a.client()
		other.signIn("second@example.org")
		if p := other.get(preview); p.status != 404 {
			t.Errorf("another admin opening the upload: %d", p.status)
		}
		if p := other.post(preview, url.Values{"publish": {"yes"}}); p.status != 404 {
			t.Errorf("another admin importing the upload: %d", p.status)
		}

		p = c.post(preview, url.Values{})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("no choice: %d", p.status)
		}
		p.has(t, "Select whether to save it as a draft or publish it now")
		p = c.post(preview, url.Values{"publish": {"no"}})
		p.has(t, "Version 2 of the Health and Care Digital Capabilities Framework is saved as a draft", "Publish version 2")
		if versionCount(t, a.store, "hcdcf") != before+1 {
			t.Fatal("the draft was not stored")
		}
		if p := c.get(preview); p.status != 404 {
			t.Fatalf("the upload is still there after import: %d", p.status)
		}
		_, pub, err := a.store.PublishedVersion(ctx, "hcdcf")
		must(t, err)
		if pub.Number != 1 {
			t.Fatal("a draft was published")
		}

		// A learner starting now still gets version 1; after publishing,
		// version 2, while the earlier attempt stays on version 1.
		early, _, err := a.store.StartAttempt(ctx, w.people["learner"].ID, w.a.ID, "hcdcf")
		must(t, err)
		p = c.post("/frameworks/hcdcf/versions/2/publish", nil)
		p.has(t, "Version 2 of the Health and Care Digital Capabilities Framework is published")
		_, pub, err = a.store.PublishedVersion(ctx, "hcdcf")
		must(t, err)
		if pub.Number != 2 || pub.Capabilities()[0].Statement != "I keep my smartcard, passwords and PIN to myself." {
			t.Fatalf("published after publishing: %d %q", pub.Number, pub.Capabilities()[0].Statement)
		}
		again, err := a.store.Attempt(ctx, w.people["learner"].ID, early.ID)
		must(t, err)
		if again.VersionID != early.VersionID {
			t.Fatal("publishing moved an attempt in progress to the new version")
		}
		c.get("/frameworks/hcdcf").has(t, "Retired")
		if p := c.post("/frameworks/hcdcf/versions/2/publish", nil); p.status != http.StatusConflict {
			t.Fatalf("publishing twice: %d", p.status)
		}
		if !regexp.MustCompile(`Version 1</a>`).MatchString(c.get("/frameworks/hcdcf").body) {
			t.Error("the retired version is not listed")
		}
	})
}
