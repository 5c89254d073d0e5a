package reports

import (
	"embed"
	"encoding/json"
	"fmt"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"html"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"pathway/sim"
)

// The young person's page is translated from message catalogues: one flat
// JSON file per language in i18n/, key to text, with {name} placeholders.
// A plain map (rather than golang.org/x/text/message) because translators
// edit the files directly, every key can be checked against English in a
// test, and a missing string must fall back to English *visibly*, string by
// string, which a catalogue lookup that silently falls back cannot show.
//
// Keys starting lang. describe the language: lang.name (its own name),
// lang.dir ("ltr" or "rtl"), lang.digits (its ten digits, 0 to 9),
// lang.script (latin, arabic or ethiopic: which fonts the page asks for),
// and lang.checked_by and lang.checked_on: who checked the translation as
// a qualified interpreter, and when (YYYY-MM-DD). An unchecked translation
// keeps the visible notice.
//
// Two kinds of variant: a key ending .trafficked is an English key too,
// used instead of its base for a trafficked young person (no "home" wording
// on return paths); a key ending @f or @m, only in languages whose
// second person marks gender, is used instead of its base when the case's
// pronouns are she or he. The base key is always the neutral wording.

//go:embed i18n/*.json
var catalogueFS embed.FS

// sourceLanguage is the language every catalogue is translated from.
const sourceLanguage = "en"

// languageAliases map other codes to a catalogue.
var languageAliases = map[string]string{
	"en-gb":  "en",
	"fa-af":  "prs", // Dari as written in Afghanistan
	"ar-sa":  "ar",
	"ps-af":  "ps",
	"fa-ir":  "fa",
	"ckb-iq": "ckb",
	"ti-er":  "ti",
	"am-et":  "am",
	"sq-al":  "sq",
	"vi-vn":  "vi",
}

// Languages returns the codes of the languages the young person's page can
// be written in, sorted.
func Languages() []string {
	entries, err := fs.ReadDir(catalogueFS, "i18n")
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []string
	for _, e := range entries {
		if code, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

func loadCatalogue(code string) (map[string]string, error) {
	data, err := catalogueFS.ReadFile("i18n/" + code + ".json")
	if err != nil {
		return nil, fmt.Errorf("no translation for language %q (have %s)", code, strings.Join(Languages(), ", "))
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", code, err)
	}
	return m, nil
}

// translator looks up the texts of one language, falling back to English.
type translator struct {
	lang       string
	rtl        bool
	digits     []rune
	script     string
	msgs, en   map[string]string
	fellBack   map[string]bool // keys shown in English
	gender     string          // "f", "m" or "" (neutral)
	trafficked bool            // prefer .trafficked variants
}

// scripts are the scripts a catalogue may name, with the fonts a page in
// it asks for: fonts on ordinary phones and computers first (Android's
// Noto, iOS and macOS, Windows), then Debian's Noto fonts.
var scripts = map[string]string{
	"latin":    `system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif`,
	"arabic":   `"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI", Tahoma, system-ui, sans-serif`,
	"ethiopic": `"Noto Sans Ethiopic", "Kefa", "Nyala", "Ebrima", "Abyssinica SIL", "Noto Serif Ethiopic", system-ui, sans-serif`,
}

func newTranslator(lang string) (*translator, error) {
	code := strings.ToLower(strings.TrimSpace(lang))
	if code == "" {
		code = sourceLanguage
	}
	if a, ok := languageAliases[code]; ok {
		code = a
	}
	en, err := loadCatalogue(sourceLanguage)
	if err != nil {
		return nil, err
	}
	msgs := en
	if code != sourceLanguage {
		if msgs, err = loadCatalogue(code); err != nil {
			return nil, err
		}
	}
	return newTranslatorFrom(code, msgs, en)
}

func newTranslatorFrom(code string, msgs, en map[string]string) (*translator, error) {
	t := &translator{lang: code, msgs: msgs, en: en, fellBack: map[string]bool{}}
	t.script = msgs["lang.script"]
	if t.script == "" {
		t.script = "latin"
	}
	if _, ok := scripts[t.script]; !ok {
		return nil, fmt.Errorf("catalogue %s: lang.script is %q, want latin, arabic or ethiopic", code, t.script)
	}
	if on := msgs["lang.checked_on"]; on != "" {
		if _, err := sim.ParseDate(on); err != nil || msgs["lang.checked_by"] == "" {
			return nil, fmt.Errorf("catalogue %s: lang.checked_on %q needs lang.checked_by and a date like 2026-12-01", code, on)
		}
	}
	switch d := msgs["lang.dir"]; d {
	case "rtl":
		t.rtl = true
	case "ltr", "":
	default:
		return nil, fmt.Errorf("catalogue %s: lang.dir is %q, want ltr or rtl", code, d)
	}
	digits := msgs["lang.digits"]
	if digits == "" {
		digits = "0123456789"
	}
	if utf8.RuneCountInString(digits) != 10 || strings.ContainsAny(digits, `'"\<>`) {
		return nil, fmt.Errorf("catalogue %s: lang.digits must be ten digits, got %q", code, digits)
	}
	t.digits = []rune(digits)
	return t, nil
}

// dir returns the text direction for the html element.
func (t *translator) dir() string {
	if t.rtl {
		return "rtl"
	}
	return "ltr"
}

// num writes a whole number in the language's digits.
func (t *translator) num(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(t.digits[r-'0'])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fonts is the font stack for the language's script.
func (t *translator) fonts() string { return scripts[t.script] }

// checked returns who checked the translation and when; empty when no one
// has (English, the source, needs no check).
func (t *translator) checked() (by string, on sim.Date) {
	by = t.msgs["lang.checked_by"]
	on, _ = sim.ParseDate(t.msgs["lang.checked_on"])
	return by, on
}

// variant picks the key to look up for key: its .trafficked variant for a
// trafficked young person, and then its gendered variant where the
// language has one.
func (t *translator) variant(key string) string {
	if t.trafficked {
		if _, ok := t.en[key+".trafficked"]; ok {
			key += ".trafficked"
		}
	}
	if t.gender != "" {
		if _, ok := t.msgs[key+"@"+t.gender]; ok {
			return key + "@" + t.gender
		}
	}
	return key
}

// displayTags are the language tags whose names for countries a
// catalogue uses, where they differ from its code.
var displayTags = map[string]string{"prs": "fa-AF"}

// country writes a country's name, given its ISO alpha-3 code, in the
// language; the code when the language has no name for it.
func (t *translator) country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag := t.lang
	if d, ok := displayTags[tag]; ok {
		tag = d
	}
	if n := display.Regions(language.Make(tag)); n != nil {
		if name := n.Name(r); name != "" {
			return name
		}
	}
	return code
}

// date writes a date in the language: its pattern, month names and digits.
func (t *translator) date(d sim.Date) string {
	s, _ := t.lookup("date", "day", t.num(d.Day()), "month", t.text(fmt.Sprintf("month.%d", int(d.Month()))), "year", t.num(d.Year()))
	return s
}

// lookup returns the text for key with its placeholders filled (args are
// name, value pairs), and whether it fell back to English.
func (t *translator) lookup(key string, args ...string) (string, bool) {
	key = t.variant(key)
	s, ok := t.msgs[key]
	fallback := false
	if !ok || s == "" {
		s, fallback = t.en[strings.TrimSuffix(strings.TrimSuffix(key, "@f"), "@m")], true
		if s == "" {
			s = key
		}
		if t.lang != sourceLanguage {
			t.fellBack[key] = true
		} else {
			fallback = false
		}
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s, fallback
}

// text returns plain text, for charts: an English fallback is marked with
// the language's fallback mark in brackets.
func (t *translator) text(key string, args ...string) string {
	s, fb := t.lookup(key, args...)
	if fb {
		mark, _ := t.lookup("fallback_mark")
		return "[" + mark + "] " + s
	}
	return s
}

// html returns the text for a page: an English fallback is wrapped so it
// reads left to right, is marked, and is highlighted.
func (t *translator) html(key string, args ...string) template.HTML {
	s, fb := t.lookup(key, args...)
	if !fb {
		return template.HTML(html.EscapeString(s))
	}
	mark, _ := t.lookup("fallback_mark")
	return template.HTML(`<span class="fallback" lang="en" dir="ltr">` + html.EscapeString(s) +
		`</span><span class="fallback-mark">` + html.EscapeString(mark) + `</span>`)
}
