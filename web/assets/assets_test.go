package assets

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	css := s.files[s.URL("nhsuk-frontend.css")].body
	if strings.Contains(string(css), "assets.nhs.uk") {
		t.Error("the stylesheet still loads fonts from another site")
	}
	if strings.Contains(string(css), "url(/assets/") {
		t.Error("the stylesheet still refers to unhashed images")
	}
	if !strings.Contains(string(css), "url("+s.URL("images/nhsuk-icon-cross.svg")+")") {
		t.Error("the stylesheet does not refer to the hashed cross icon")
	}
	app := string(s.files[s.URL("app.js")].body)
	if !strings.Contains(app, `from "`+s.URL("nhsuk-frontend.js")+`"`) {
		t.Errorf("app.js does not import the hashed frontend: %s", app)
	}

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", s.URL("app.css"), nil))
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("serving app.css: %d %v", rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unhashed path answered %d", rec.Code)
	}
}
