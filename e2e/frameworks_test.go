package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"upskill/framework"
	"upskill/framework/sheet"
)

// TestFrameworkImport has a national admin upload a broken workbook, then
// a good one, check the preview and publish it, in a real browser with
// every page checked by axe-core.
func TestFrameworkImport(t *testing.T) {
	each(t, func(t *testing.T, b *Browser, s *server) {
		national := b.NewTab(t, s.url)
		code, err := s.store.SetupCode(ctx)
		if err != nil {
			t.Fatal(err)
		}
		national.Open("/setup?code=" + code)
		national.Fill("name", "Grace Hopper")
		national.Fill("email", "grace@example.org")
		national.Fill("password", "a long enough passphrase")
		national.Submit(submitButton)
		national.MustSee("Frameworks", "Import, check and publish new versions")
		national.Open("/frameworks")
		national.MustSee("Health and Care Digital Capabilities Framework")
		national.Open("/frameworks/hcdcf")
		national.Open("/frameworks/hcdcf/versions/1")
		national.MustSee("Download this version", "Knowledge checks")

		f, err := framework.Default()
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		write := func(name string) string {
			path := filepath.Join(dir, name)
			out, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if err := sheet.WriteXLSX(out, &f.Framework, &f.Version); err != nil {
				t.Fatal(err)
			}
			return path
		}
		f.Version.Domains[2].Capabilities[1].Statement = ""
		broken := write("broken.xlsx")
		f.Version.Domains[2].Capabilities[1].Statement = "I can find and use learning that helps me in my role."
		good := write("good.xlsx")

		national.Open("/framework-imports")
		if status := national.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("upload without a file: %d", status)
		}
		national.MustSee("Select a framework file")
		national.Upload("file", broken)
		if status := national.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("broken workbook: %d", status)
		}
		national.MustSee("Problems in broken.xlsx", "Capabilities row")
		national.Upload("file", good)
		national.Submit(submitButton)
		national.MustSee("Check the framework before you import it", "3.2")
		if status := national.Submit(submitButton); status != http.StatusUnprocessableEntity {
			t.Fatalf("import without choosing: %d", status)
		}
		national.Click("#publish")
		national.Submit(submitButton)
		national.MustSee("is saved as a draft", "Publish version 2")
		national.Submit(submitButton)
		national.MustSee("is published")
	})
}
