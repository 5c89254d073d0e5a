package reports

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestCataloguesMatchEnglish checks every catalogue has the English keys,
// no others, and the same placeholders in each text.
func TestCataloguesMatchEnglish(t *testing.T) {
	en, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	langs := Languages()
	for _, want := range []string{"en", "ar", "prs", "ps", "ti", "fa", "ckb", "sq", "vi", "am"} {
		if !slices.Contains(langs, want) {
			t.Errorf("Languages() = %v, missing %s", langs, want)
		}
	}
	for _, lang := range langs {
		m, err := loadCatalogue(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range en {
			tv, ok := m[k]
			if !ok {
				t.Errorf("%s: missing %q", lang, k)
				continue
			}
			want := placeholder.FindAllString(v, -1)
			got := placeholder.FindAllString(tv, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %q: placeholders %v, want %v", lang, k, got, want)
			}
		}
		for k := range m {
			base, gender, variant := strings.Cut(k, "@")
			if _, ok := en[base]; !ok {
				t.Errorf("%s: %q is not an English key", lang, k)
				continue
			}
			// Gendered variants come in pairs, with the base's placeholders,
			// and only where the second person marks gender.
			if variant {
				other := map[string]string{"f": "m", "m": "f"}[gender]
				if other == "" || lang == "en" {
					t.Errorf("%s: %q: a variant is @f or @m, and English has none", lang, k)
				} else if _, ok := m[base+"@"+other]; !ok {
					t.Errorf("%s: %q has no @%s partner", lang, k, other)
				}
				want := placeholder.FindAllString(en[base], -1)
				got := placeholder.FindAllString(m[k], -1)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s %q: placeholders %v, want %v", lang, k, got, want)
				}
			}
		}
		if _, err := newTranslatorFrom(lang, m, en); err != nil {
			t.Error(err)
		}
	}
}

func TestTextDirection(t *testing.T) {
	s := sample(t, "pending-afg")
	for _, tt := range []struct{ lang, dir, html string }{
		{"en", "ltr", `lang="en"`}, {"ar", "rtl", `lang="ar"`}, {"prs", "rtl", `lang="prs"`}, {"ps", "rtl", `lang="ps"`},
		{"fa-AF", "rtl", `lang="prs"`},
	} {
		var b bytes.Buffer
		if err := writeYoungPerson(&b, s.p, YoungOptions{Lang: tt.lang}, small); err != nil {
			t.Fatalf("%s: %v", tt.lang, err)
		}
		if want := `<html ` + tt.html + ` dir="` + tt.dir + `">`; !strings.Contains(b.String(), want) {
			t.Errorf("%s: page has no %s", tt.lang, want)
		}
		notice := strings.Contains(b.String(), "A qualified interpreter must check it")
		if notice != (tt.lang != "en") {
			t.Errorf("%s: interpreter notice shown = %v", tt.lang, notice)
		}
	}
}

func TestUnknownLanguage(t *testing.T) {
	s := sample(t, "pending-afg")
	var b bytes.Buffer
	err := WriteYoungPerson(&b, s.p, "xx")
	if err == nil || !strings.Contains(err.Error(), `"xx"`) || !strings.Contains(err.Error(), strings.Join(Languages(), ", ")) {
		t.Errorf("WriteYoungPerson(lang xx) error = %v, want one naming xx and the languages there are", err)
	}
	if b.Len() > 0 {
		t.Errorf("wrote %d bytes before failing", b.Len())
	}
}

// TestMissingStringFallsBackVisibly drops strings from a catalogue: the
// page shows them in English, marked, with a notice at the top.
func TestMissingStringFallsBackVisibly(t *testing.T) {
	en, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	ar, err := loadCatalogue("ar")
	if err != nil {
		t.Fatal(err)
	}
	partial := map[string]string{}
	for k, v := range ar {
		partial[k] = v
	}
	delete(partial, "do.school")       // a page text
	delete(partial, "node.settled")    // a chart text
	delete(partial, "fallback_notice") // the notice itself
	tr, err := newTranslatorFrom("ar", partial, en)
	if err != nil {
		t.Fatal(err)
	}
	s := sample(t, "pending-afg")
	var b bytes.Buffer
	if err := renderYoungPerson(&b, s.p, tr, YoungOptions{}, small); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		`<span class="fallback" lang="en" dir="ltr">` + en["do.school"] + `</span><span class="fallback-mark">EN</span>`,
		`[EN] ` + en["node.settled"],
		en["fallback_notice"],
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page has no %q", want)
		}
	}
	// A complete catalogue shows no fallback.
	b.Reset()
	if err := writeYoungPerson(&b, s.p, YoungOptions{Lang: "ar"}, small); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `class="fallback"`) || strings.Contains(b.String(), "[EN]") {
		t.Error("the full Arabic page shows English fallbacks")
	}
}

func TestDigits(t *testing.T) {
	tr, err := newTranslator("prs")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.num(2025), "۲۰۲۵"; got != want {
		t.Errorf("num(2025) in Dari = %q, want %q", got, want)
	}
	bad := map[string]string{"lang.digits": "0123"}
	if _, err := newTranslatorFrom("x", bad, bad); err == nil {
		t.Error("a catalogue with four digits was accepted")
	}
	bad = map[string]string{"lang.dir": "up"}
	if _, err := newTranslatorFrom("x", bad, bad); err == nil {
		t.Error("a catalogue with dir up was accepted")
	}
}
