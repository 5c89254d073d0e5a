package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"strings"

	"pathway/sim"
)

//go:embed templates/*.html
var templateFS embed.FS

type pageTemplate struct{ t *template.Template }

var funcs = template.FuncMap{
	"long": func(d sim.Date) string { return d.Long() },
	"fid":  fieldID,
	"inc":  func(i int) int { return i + 1 },
	"join": strings.Join,
	"arr":  func(v ...any) []any { return v },
}

// parsePages parses every page with the layout and the shared parts
// (files named _*.html).
func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(base, ".html")] = &pageTemplate{t}
	}
	return out, nil
}

// view is what the layout needs, with the page's own data.
type view struct {
	Title     string
	Authority string
	Nav       string // the menu item to mark as current
	Errors    []fieldError
	Data      any
}

// render writes page name with status. A page is rendered whole before
// anything is sent, so a template fault gives a clean 500.
func (s *server) render(w http.ResponseWriter, status int, name string, v view) {
	v.Authority = s.cfg.Authority
	if len(v.Errors) > 0 {
		v.Title = "Error: " + v.Title
	}
	var buf bytes.Buffer
	if err := s.pages[name].t.Execute(&buf, v); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers 500 for a fault in pathway, logging it for the terminal
// the server runs in.
func (s *server) fail(w http.ResponseWriter, err error) {
	log.Printf("pathway serve: internal error: %v", err)
	http.Error(w, "500 internal error: this is a fault in pathway; the server's terminal shows it", http.StatusInternalServerError)
}

// problem answers with a page saying what is wrong with the request, for
// a 400, 404 or 409.
func (s *server) problem(w http.ResponseWriter, status int, title string, lines ...string) {
	s.render(w, status, "problem", view{Title: title, Data: lines})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.problem(w, http.StatusNotFound, "Page not found", "There is no page at this address.")
}
