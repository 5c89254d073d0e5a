package web

import (
	"bytes"
	"embed"
	"net/http"
	"regexp"
)

//go:embed assets/govuk-frontend.min.css assets/pathway.css
var assetFS embed.FS

// assets are the files under /assets/, by name.
var assets = map[string][]byte{}

// fontFace matches the stylesheet's @font-face rules, which name the GDS
// Transport font (for GOV.UK services only, and not shipped).
var fontFace = regexp.MustCompile(`@font-face\{[^}]*\}`)

// govukCSS is GOV.UK Frontend's stylesheet without its font: no
// @font-face rule, and "GDS Transport" taken out of every font stack, so
// text is set in Arial or the system's sans-serif and no font is fetched.
func govukCSS(raw []byte) []byte {
	css := fontFace.ReplaceAll(raw, nil)
	return bytes.ReplaceAll(css, []byte("GDS Transport,"), nil)
}

func init() {
	raw, err := assetFS.ReadFile("assets/govuk-frontend.min.css")
	if err != nil {
		panic(err) // embedded at build time
	}
	assets["govuk-frontend.min.css"] = govukCSS(raw)
	own, err := assetFS.ReadFile("assets/pathway.css")
	if err != nil {
		panic(err)
	}
	assets["pathway.css"] = own
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	body, ok := assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(body)
}
