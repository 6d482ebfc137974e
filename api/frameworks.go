package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"upskill"
)

// FrameworkSummary is a framework as the list shows it.
type FrameworkSummary struct {
	Key              string `json:"key"`
	Name             string `json:"name"`
	Description      string `json:"description,omitempty"`
	PublishedVersion int    `json:"published_version,omitempty"`
}

func (a *API) frameworks(w http.ResponseWriter, r *http.Request, _ *upskill.Actor) (any, error) {
	list, err := a.store.Frameworks(r.Context())
	if err != nil {
		return nil, err
	}
	out := []FrameworkSummary{}
	for _, f := range list {
		out = append(out, FrameworkSummary{Key: f.Key, Name: f.Name, Description: f.Description, PublishedVersion: f.PublishedNumber})
	}
	return map[string]any{"frameworks": out}, nil
}

// FrameworkBody is a framework with one version, as upskill's JSON holds it.
type FrameworkBody struct {
	Framework upskill.Framework        `json:"framework"`
	Version   upskill.FrameworkVersion `json:"version"`
}

// framework returns the published version of a framework. Only national
// admins see the answers to its knowledge checks.
func (a *API) framework(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	fw, v, err := a.store.PublishedVersion(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	if !actor.CanManageFrameworks() {
		v = v.ForLearners()
	}
	return FrameworkBody{Framework: *fw, Version: *v}, nil
}

func (a *API) export(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	if !actor.CanManageFrameworks() {
		return nil, upskill.Errorf(upskill.EFORBIDDEN, "Only national admins may export frameworks.")
	}
	fw, v, err := a.store.PublishedVersion(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	var buf bytes.Buffer
	ct, name, err := a.formats.Write(&buf, format, fw, v)
	if err != nil {
		return nil, err
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil, nil
}

// ImportResult is what an import made, or would make in a preview.
type ImportResult struct {
	Preview      bool                     `json:"preview"`
	Published    bool                     `json:"published"`
	VersionID    int64                    `json:"version_id,omitempty"`
	Framework    upskill.Framework        `json:"framework"`
	Version      upskill.FrameworkVersion `json:"version"`
	Domains      int                      `json:"domains"`
	Capabilities int                      `json:"capabilities"`
	Questions    int                      `json:"questions"`
}

// importFramework reads a framework in any format the service knows. With
// preview=true it only checks it; otherwise it stores it all or nothing,
// as a draft or, with publish=true, published.
func (a *API) importFramework(w http.ResponseWriter, r *http.Request, actor *upskill.Actor) (any, error) {
	if !actor.CanManageFrameworks() {
		return nil, upskill.Errorf(upskill.EFORBIDDEN, "Only national admins may import frameworks.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxImport+1))
	if err != nil {
		return nil, upskill.Errorf(upskill.EINVALID, "The file could not be read.")
	}
	if len(body) > maxImport {
		return nil, upskill.Errorf(upskill.EINVALID, "The file is larger than %d MB.", maxImport>>20)
	}
	if len(body) == 0 {
		return nil, upskill.Errorf(upskill.EINVALID, "Send the framework file as the body.")
	}
	fw, v, err := a.formats.Read(r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	res := ImportResult{Preview: q.Get("preview") == "true", Published: q.Get("publish") == "true", Framework: *fw, Version: *v,
		Domains: len(v.Domains), Capabilities: len(v.Capabilities()), Questions: len(v.Questions)}
	if res.Preview {
		res.Published = false
		return res, nil
	}
	if res.VersionID, err = a.store.ImportVersion(r.Context(), actor.PersonID, *fw, v, res.Published); err != nil {
		return nil, err
	}
	return created{res}, nil
}

// maxImport bounds an uploaded framework file.
const maxImport = 2 << 20
