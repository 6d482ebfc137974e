package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"upskill"
	"upskill/framework"
	"upskill/store"
)

// National admins look after the frameworks staff assess themselves
// against: they see every version, download any of them in each format,
// import a new version from a file after previewing it, and publish a
// draft. Publishing retires the version before it; attempts already begun
// carry on against the version they started on.

func frameworkURL(key string) string { return "/frameworks/" + url.PathEscape(key) }

func versionURL(key string, number int) string {
	return frameworkURL(key) + "/versions/" + strconv.Itoa(number)
}

// Download is a link to a file in one format.
type Download struct {
	Label, Hint, Href string
}

// downloadFormats are the formats a version can be downloaded in, in the
// order pages offer them.
var downloadFormats = []struct{ key, label, hint string }{
	{"xlsx", "Excel workbook (XLSX)", "To edit in a spreadsheet and import again"},
	{"csv", "CSV file", "One table with every row of the workbook"},
	{"json", "upskill JSON", "For programs and for keeping in version control"},
	{"case", "IMS CASE 1.0 JSON", "For other systems that exchange competency frameworks"},
}

func downloads(base string) []Download {
	var out []Download
	for _, f := range downloadFormats {
		out = append(out, Download{Label: f.label, Hint: f.hint, Href: base + "/" + f.key})
	}
	return out
}

// FrameworksView lists the frameworks.
type FrameworksView struct {
	Page
	Frameworks []store.FrameworkSummary
}

func (s *Server) frameworksPage(w http.ResponseWriter, r *request) error {
	list, err := s.store.Frameworks(r.Context())
	if err != nil {
		return err
	}
	v := &FrameworksView{Frameworks: list}
	v.Title = "Frameworks"
	v.Crumbs = []Crumb{{"Home", "/home"}}
	return s.render(w, r, http.StatusOK, "frameworks.html", v, &v.Page)
}

// FrameworkView lists a framework's versions.
type FrameworkView struct {
	Page
	Framework *upskill.Framework
	Versions  []upskill.FrameworkVersion
}

func (s *Server) frameworkPage(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, err := s.store.FrameworkByKey(ctx, r.PathValue("key"))
	if err != nil {
		return err
	}
	versions, err := s.store.Versions(ctx, fw.ID)
	if err != nil {
		return err
	}
	v := &FrameworkView{Framework: fw, Versions: versions}
	v.Title = fw.Name
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Frameworks", "/frameworks"}}
	return s.render(w, r, http.StatusOK, "framework.html", v, &v.Page)
}

// VersionView shows everything one version holds.
type VersionView struct {
	Page
	Framework *upskill.Framework
	Version   *upskill.FrameworkVersion
	Content   *VersionContent
	Downloads []Download
	// Changes compare a draft with the published version; nil otherwise.
	Changes   *upskill.VersionChanges
	Published int // the number of the published version, 0 for none
}

// VersionContent is a version laid out for reading: its scale, and each
// domain with its statements and knowledge checks.
type VersionContent struct {
	Levels  []upskill.FrameworkLevel
	Bands   []upskill.Band
	Domains []ContentDomain
}

// ContentDomain is one domain of a version as pages show it.
type ContentDomain struct {
	upskill.Domain
	Questions []*upskill.CheckQuestion
}

func versionContent(v *upskill.FrameworkVersion) *VersionContent {
	c := &VersionContent{Levels: v.Levels, Bands: v.Bands}
	for _, d := range v.Domains {
		c.Domains = append(c.Domains, ContentDomain{Domain: d, Questions: v.QuestionsFor(d.Code)})
	}
	return c
}

func (s *Server) versionPage(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	fw, version, err := s.versionFromPath(r)
	if err != nil {
		return err
	}
	v := &VersionView{Framework: fw, Version: version, Content: versionContent(version),
		Downloads: downloads(versionURL(fw.Key, version.Number) + "/download")}
	if version.Status == upskill.VersionDraft {
		if _, pub, err := s.store.PublishedVersion(ctx, fw.Key); err == nil {
			changes := upskill.CompareVersions(pub, version)
			v.Changes, v.Published = &changes, pub.Number
		} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
			return err
		}
	}
	v.Title = fw.Name + ": version " + strconv.Itoa(version.Number)
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Frameworks", "/frameworks"}, {fw.Name, frameworkURL(fw.Key)}}
	return s.render(w, r, http.StatusOK, "framework_version.html", v, &v.Page)
}

func (s *Server) versionFromPath(r *request) (*upskill.Framework, *upskill.FrameworkVersion, error) {
	number, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || number <= 0 {
		return nil, nil, upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	return s.store.VersionByNumber(r.Context(), r.PathValue("key"), number)
}

func (s *Server) downloadVersion(w http.ResponseWriter, r *request) error {
	fw, version, err := s.versionFromPath(r)
	if err != nil {
		return err
	}
	return s.sendFramework(w, r.PathValue("format"), fw, version)
}

func (s *Server) sendFramework(w http.ResponseWriter, format string, fw *upskill.Framework, v *upskill.FrameworkVersion) error {
	var buf bytes.Buffer
	ct, name, err := s.formats.Write(&buf, format, fw, v)
	if err != nil {
		if upskill.ErrorCode(err) == upskill.EINVALID {
			return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
		}
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

// templateDownload sends a blank workbook or CSV file to fill in.
func (s *Server) templateDownload(w http.ResponseWriter, r *request) error {
	format := r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return upskill.Errorf(upskill.ENOTFOUND, "Page not found.")
	}
	return s.sendFramework(w, format, &upskill.Framework{Key: "template"}, &upskill.FrameworkVersion{Number: 1})
}

func (s *Server) publishVersion(w http.ResponseWriter, r *request) error {
	fw, version, err := s.versionFromPath(r)
	if err != nil {
		return err
	}
	if err := s.store.PublishVersion(r.Context(), r.actor.PersonID, version.ID); err != nil {
		return err
	}
	s.setFlash(w, "Version "+strconv.Itoa(version.Number)+" of the "+fw.Name+" is published. Assessments started from now use it.")
	return redirect(w, r, versionURL(fw.Key, version.Number))
}

// ImportView is the upload form, shown again with every problem found in
// the file.
type ImportView struct {
	Page
	Problems  []upskill.FieldError
	FileName  string
	Templates []Download
}

func (s *Server) importForm(w http.ResponseWriter, r *request) error {
	return s.showImport(w, r, http.StatusOK, newForm(nil), nil, "")
}

func (s *Server) showImport(w http.ResponseWriter, r *request, status int, f *Form, problems []upskill.FieldError, name string) error {
	v := &ImportView{Problems: problems, FileName: name, Templates: []Download{
		{Label: "Blank Excel workbook (XLSX)", Href: "/framework-imports/template/xlsx"},
		{Label: "Blank CSV file", Href: "/framework-imports/template/csv"},
	}}
	v.Title = "Import a framework"
	v.Form = f
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Frameworks", "/frameworks"}}
	return s.render(w, r, status, "framework_import.html", v, &v.Page)
}

// uploadFramework reads the uploaded file and checks it. A file with
// problems is refused with all of them listed; a good one is kept for the
// preview, where the admin decides whether to import it.
func (s *Server) uploadFramework(w http.ResponseWriter, r *request) error {
	f := newForm(r.PostForm)
	file, header, err := r.FormFile("file")
	if err != nil {
		f.Add("file", "Select a framework file")
		return s.showImport(w, r, http.StatusUnprocessableEntity, f, nil, "")
	}
	defer file.Close()
	body, err := readUpload(file, header)
	if err != nil {
		f.absorb(err)
		f.Errors[len(f.Errors)-1].Field = "file"
		return s.showImport(w, r, http.StatusUnprocessableEntity, f, nil, header.Filename)
	}
	ct := header.Header.Get("Content-Type")
	if _, _, err := s.formats.ReadNamed(ct, header.Filename, body); err != nil {
		if !f.absorb(err) {
			return err
		}
		problems := upskill.ErrorFields(err)
		f.Errors = []upskill.FieldError{{Field: "file", Message: upskill.ErrorMessage(err)}}
		return s.showImport(w, r, http.StatusUnprocessableEntity, f, problems, header.Filename)
	}
	id, err := s.store.SaveUpload(r.Context(), r.actor.PersonID, store.Upload{FileName: cleanFileName(header.Filename), ContentType: ct, Body: body})
	if err != nil {
		return err
	}
	return redirect(w, r, "/framework-imports/"+strconv.FormatInt(id, 10))
}

// readUpload reads an uploaded file whole, refusing an empty or oversized
// one.
func readUpload(file multipart.File, header *multipart.FileHeader) ([]byte, error) {
	if header.Size > framework.MaxFileSize {
		return nil, upskill.Errorf(upskill.EINVALID, "The file must be smaller than %d MB", framework.MaxFileSize>>20)
	}
	body, err := io.ReadAll(io.LimitReader(file, framework.MaxFileSize+1))
	switch {
	case err != nil:
		return nil, upskill.Errorf(upskill.EINVALID, "The file could not be read. Try uploading it again")
	case len(body) > framework.MaxFileSize:
		return nil, upskill.Errorf(upskill.EINVALID, "The file must be smaller than %d MB", framework.MaxFileSize>>20)
	case len(body) == 0:
		return nil, upskill.Errorf(upskill.EINVALID, "The selected file is empty")
	}
	return body, nil
}

// cleanFileName keeps the last part of an uploaded file's name, without
// control characters, for showing back.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// PreviewView shows what an uploaded file holds and what importing it
// would change, and asks whether to keep it as a draft or publish it.
type PreviewView struct {
	Page
	UploadID  int64
	FileName  string
	Framework *upskill.Framework
	Version   *upskill.FrameworkVersion
	Content   *VersionContent
	// Existing is the framework of the same key already held, nil for a
	// new framework; Published is its published version, if it has one.
	Existing  *upskill.Framework
	Published *upskill.FrameworkVersion
	Changes   *upskill.VersionChanges
	Choice    Field
}

func (s *Server) importPreview(w http.ResponseWriter, r *request) error {
	return s.showPreview(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) showPreview(w http.ResponseWriter, r *request, status int, f *Form) error {
	ctx := r.Context()
	id, err := r.pathID("upload")
	if err != nil {
		return err
	}
	up, err := s.store.UploadOf(ctx, r.actor.PersonID, id)
	if err != nil {
		return err
	}
	fw, version, err := s.formats.ReadNamed(up.ContentType, up.FileName, up.Body)
	if err != nil {
		return err
	}
	v := &PreviewView{UploadID: id, FileName: up.FileName, Framework: fw, Version: version, Content: versionContent(version)}
	switch existing, err := s.store.FrameworkByKey(ctx, fw.Key); {
	case err == nil:
		v.Existing = existing
		if _, pub, err := s.store.PublishedVersion(ctx, fw.Key); err == nil {
			changes := upskill.CompareVersions(pub, version)
			v.Published, v.Changes = pub, &changes
		} else if upskill.ErrorCode(err) != upskill.ENOTFOUND {
			return err
		}
	case upskill.ErrorCode(err) != upskill.ENOTFOUND:
		return err
	}
	v.Choice = options(field(f, "publish", "label", "What do you want to do with it?"), f, []Option{
		{Value: "no", Label: "Save it as a draft", Hint: "Nobody sees it until you publish it. You can check it here and download it first."},
		{Value: "yes", Label: "Publish it now", Hint: "Assessments started from now use it. The version published before it is retired."},
	})
	v.Title = "Check the framework before you import it"
	v.Form = f
	v.Crumbs = []Crumb{{"Home", "/home"}, {"Frameworks", "/frameworks"}, {"Import a framework", "/framework-imports"}}
	return s.render(w, r, status, "framework_preview.html", v, &v.Page)
}

// applyImport stores the previewed file as a new version, all or nothing.
func (s *Server) applyImport(w http.ResponseWriter, r *request) error {
	ctx := r.Context()
	f := newForm(r.PostForm)
	choice := f.Get("publish")
	if choice != "yes" && choice != "no" {
		f.Add("publish", "Select whether to save it as a draft or publish it now")
		return s.showPreview(w, r, http.StatusUnprocessableEntity, f)
	}
	id, err := r.pathID("upload")
	if err != nil {
		return err
	}
	up, err := s.store.UploadOf(ctx, r.actor.PersonID, id)
	if err != nil {
		return err
	}
	fw, version, err := s.formats.ReadNamed(up.ContentType, up.FileName, up.Body)
	if err != nil {
		return err
	}
	versionID, err := s.store.ImportVersion(ctx, r.actor.PersonID, *fw, version, choice == "yes")
	if err != nil {
		if f.absorb(err) {
			return s.showPreview(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	if err := s.store.DeleteUpload(ctx, r.actor.PersonID, id); err != nil {
		s.log.WarnContext(ctx, "delete used framework upload", "err", err)
	}
	stored, err := s.store.Version(ctx, versionID)
	if err != nil {
		return err
	}
	msg := "Version " + strconv.Itoa(stored.Number) + " of the " + fw.Name + " is saved as a draft."
	if choice == "yes" {
		msg = "Version " + strconv.Itoa(stored.Number) + " of the " + fw.Name + " is published. Assessments started from now use it."
	}
	s.setFlash(w, msg)
	return redirect(w, r, versionURL(fw.Key, stored.Number))
}
