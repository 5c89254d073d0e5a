package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Every page carries a Content-Security-Policy in a <meta> element: it may
// load nothing (default-src 'none'), run only its own inline scripts, named
// by their SHA-256 hashes, use inline styles, and show data: images (the
// favicon). A script that an attacker might get into the page runs nowhere,
// and nothing on the page can send data to any host.
//
// The templates write cspPlaceholder where the policy goes; writePage fills
// it in once the page is rendered and its scripts are known.
const cspPlaceholder = "pathway-content-security-policy"

// cspMeta is the element the head of every page starts with.
func cspMeta() template.HTML {
	return template.HTML(`<meta http-equiv="Content-Security-Policy" content="` + cspPlaceholder + `">`)
}

// inlineScript matches a page's script elements. Every script pathway
// writes is a bare <script> holding text guarded by guardScript, so the
// first "</script>" after one ends it.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// contentSecurityPolicy returns the policy for a rendered page: its inline
// scripts by hash, and nothing else to run or load.
func contentSecurityPolicy(page []byte) string {
	var hashes []string
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		// The browser hashes the script as its HTML parser reads it, with
		// every CR LF and lone CR turned into LF.
		text := bytes.ReplaceAll(bytes.ReplaceAll(m[1], []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		sum := sha256.Sum256(text)
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !slices.Contains(hashes, h) {
			hashes = append(hashes, h)
		}
	}
	script := "'none'"
	if len(hashes) > 0 {
		script = strings.Join(hashes, " ")
	}
	return "default-src 'none'; script-src " + script + "; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
}

// withCSP fills in the page's policy.
func withCSP(page []byte) []byte {
	return bytes.Replace(page, []byte(cspPlaceholder), []byte(contentSecurityPolicy(page)), 1)
}

// writePage renders template name with data and writes it with its policy.
func writePage(w io.Writer, t *template.Template, name string, data any) error {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	_, err := w.Write(withCSP(buf.Bytes()))
	return err
}
