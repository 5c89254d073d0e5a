package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pathway/sim"
)

// TestCaseFieldsCoverEveryKey: the form and the canonical writer know every
// key a case file may hold, once each, and no table is taken for a value.
func TestCaseFieldsCoverEveryKey(t *testing.T) {
	seen := map[string]int{}
	for _, f := range CaseFields() {
		seen[f.Key]++
		if f.Kind == KindEnum && len(f.Options) == 0 {
			t.Errorf("%s: an enum with no options", f.Key)
		}
	}
	for table, keys := range caseKeys {
		for _, k := range keys {
			key := joinKey(table, k)
			if _, isTable := caseKeys[key]; isTable {
				if seen[key] != 0 {
					t.Errorf("table %s is listed as a field", key)
				}
				continue
			}
			if seen[key] != 1 {
				t.Errorf("case key %s appears %d times in CaseFields, want 1", key, seen[key])
			}
		}
	}
	// Top-level keys come before any table's, as TOML requires.
	fs := CaseFields()
	for i := 1; i < len(fs); i++ {
		if fs[i-1].Table != "" && fs[i].Table == "" {
			t.Errorf("top-level key %s comes after %s", fs[i].Key, fs[i-1].Key)
		}
	}
}

// TestCanonicalWriter: the canonical form of product.md's example case,
// written out by hand from the rules in casevalues.go (top-level keys in
// caseKeys order, then each table with a value under its header, a blank
// line before each header, dates and numbers bare, strings and money
// quoted, no comments).
func TestCanonicalWriter(t *testing.T) {
	v, _, err := ImportCase(strings.NewReader(exampleCase), "example.toml", DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	want := `id = "YP-0001"
name = "Amir"
date_of_birth = 2008-03-10
nationality = "AFG"
trafficked = false
review_date = 2025-06-01

[care]
looked_after_since = 2023-11-01
placement = "foster"

[asylum]
claim_date = 2023-11-20
status = "pending"
expected_decision = 2025-09-01

[asylum.outcome_probabilities]
refugee_status = 0.55
humanitarian_protection = 0.05
uasc_leave = 0.25
refused = 0.15

[schedule3]
support_continues = true
reason = "fresh claim lodged 2025-05-02"

[return]
departure = 2025-09-01

[return.budget]
cash = "500.00"
business_setup = "1000.00"
`
	if got := string(v.TOML()); got != want {
		t.Errorf("canonical form:\n%s\nwant:\n%s", got, want)
	}
}

// caseFiles returns every valid case file the project ships: the embedded
// samples and the test cases.
func caseFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, s := range Samples() {
		files[s.Name] = s.Data
	}
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = data
	}
	return files
}

// TestImportExportRoundTrip: for every shipped case file, a file the
// exporter wrote re-imports and re-exports byte for byte, and the exported
// file holds the same values as the hand-written one: the reader gives the
// same sim.Case for both.
func TestImportExportRoundTrip(t *testing.T) {
	files := caseFiles(t)
	if len(files) < 10 {
		t.Fatalf("only %d case files found", len(files))
	}
	for name, data := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			v, c, err := ImportCase(bytes.NewReader(data), name, DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			out := v.TOML()
			v2, c2, err := ImportCase(bytes.NewReader(out), "exported.toml", DefaultPolicy())
			if err != nil {
				t.Fatalf("exported file refused: %v\n%s", err, out)
			}
			if again := v2.TOML(); !bytes.Equal(again, out) {
				t.Errorf("re-export differs:\n%s\nfirst export:\n%s", again, out)
			}
			if !reflect.DeepEqual(c, c2) {
				t.Errorf("exported file reads as\n%+v\nwant (as the hand-written file)\n%+v", c2, c)
			}
		})
	}
}

// TestValuesCheckedByTheReader: form values that are not of their key's
// kind still make a valid TOML document, and the reader names the key, the
// value and what is allowed with the words it uses for a file.
func TestValuesCheckedByTheReader(t *testing.T) {
	base := CaseValues{
		"id": "YP-0100", "date_of_birth": "2008-03-10", "nationality": "AFG", "review_date": "2025-06-01",
		"care.looked_after_since": "2023-11-01", "care.placement": "foster",
		"asylum.claim_date": "2023-11-20", "asylum.status": "pending",
	}
	if _, err := ReadCase(bytes.NewReader(base.TOML()), "form", sim.Date{}, DefaultPolicy()); err != nil {
		t.Fatalf("base values refused: %v", err)
	}
	tests := []struct {
		name, key, value string
		want             Problem // Line is not compared: the form has no lines
	}{
		{"impossible date", "date_of_birth", "2008-02-30", Problem{Key: "date_of_birth", Value: "2008-02-30", Allowed: allowDate}},
		{"date with a time", "asylum.claim_date", "2023-11-20T10:00", Problem{Key: "asylum.claim_date", Value: "2023-11-20T10:00", Allowed: allowDate}},
		{"not a boolean", "trafficked", "yes", Problem{Key: "trafficked", Value: "yes", Allowed: allowBool}},
		{"not a group", "asylum.group", "two", Problem{Key: "asylum.group", Value: "two", Allowed: "1 or 2: the group of a claim lodged from 28 June 2022 (Group 2 refugees got 30 months' temporary refugee permission)"}},
		{"placement misspelt", "care.placement", "fostr", Problem{Key: "care.placement", Value: "fostr", Allowed: "one of " + strings.Join(enumNames(sim.Placements), ", ") + " (did you mean foster)"}},
		{"quote and backslash in a name", "id", `YP"\1`, Problem{Key: "id", Value: `YP"\1`, Allowed: allowID}},
		{"control character in a name", "name", "Am\x1bir", Problem{Key: "name", Value: "Am\x1bir", Allowed: allowName}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := base.Clone()
			v[tc.key] = tc.value
			_, err := ReadCase(bytes.NewReader(v.TOML()), "form", sim.Date{}, DefaultPolicy())
			ps, ok := err.(Problems)
			if !ok || len(ps) != 1 {
				t.Fatalf("got %v, want one problem\n%s", err, v.TOML())
			}
			got := ps[0]
			got.Line, got.File = 0, ""
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestTextSurvivesTheWriter: any text, quotes, backslashes, tabs and
// newlines included, is read back exactly.
func TestTextSurvivesTheWriter(t *testing.T) {
	for _, s := range []string{`a "quoted" word`, `back\slash`, "two\nlines\tand a tab", "Dari: دری", "\u00e9\u0301"} {
		v := CaseValues{"schedule3.reason": s}
		back, err := ParseCaseValues(v.TOML())
		if err != nil {
			t.Fatalf("%q: %v\n%s", s, err, v.TOML())
		}
		if back["schedule3.reason"] != s {
			t.Errorf("got %q, want %q", back["schedule3.reason"], s)
		}
	}
}

func TestFieldKeys(t *testing.T) {
	keys := FieldKeys()
	for _, k := range []string{"id", "asylum.outcome_probabilities.refused", "return.budget.medical", "trafficking.conclusive_outcome"} {
		if !slices.Contains(keys, k) || !IsCaseKey(k) {
			t.Errorf("%s is not a case key", k)
		}
	}
	if IsCaseKey("asylum") || IsCaseKey("care.nonsense") {
		t.Error("a table or an unknown key taken for a case key")
	}
}

// TestUnknownKeyProblem: a form field that is no case key gets the words
// the reader gives the same key in a file.
func TestUnknownKeyProblem(t *testing.T) {
	for _, key := range []string{"asylum.statis", "nationalty", "care.extra.deep", "return.budget.travel"} {
		// The same key in a file, written as a dotted key at the top level.
		src := key + ` = "x"` + "\n"
		_, err := ReadCase(strings.NewReader(src), "f", sim.Date{}, DefaultPolicy())
		var fromFile *Problem
		for _, p := range err.(Problems) {
			if strings.HasPrefix(key, p.Key) && strings.HasPrefix(p.Allowed, "unknown key") {
				fromFile = &p
			}
		}
		if fromFile == nil {
			t.Fatalf("%s: the reader reports no unknown key: %v", key, err)
		}
		got := UnknownKeyProblem("f", key)
		if got.Allowed != fromFile.Allowed {
			t.Errorf("%s: got %q, want %q", key, got.Allowed, fromFile.Allowed)
		}
	}
	if got := UnknownKeyProblem("f", "asylum.statis").Allowed; !strings.Contains(got, "did you mean status") {
		t.Errorf("no suggestion: %q", got)
	}
}

// FuzzCaseValues: whatever text is typed into any two fields, the writer
// gives valid TOML; reading its values back and writing them again is
// stable (the canonical form of a canonical form is itself); and the reader
// judges both files alike, giving the same case when it accepts them.
func FuzzCaseValues(f *testing.F) {
	f.Add(uint8(2), "2008-02-30", uint8(4), "yes")
	f.Add(uint8(0), `YP"\1`, uint8(1), "Am\x1bir")
	f.Add(uint8(30), "0.550", uint8(31), "1e400")
	f.Add(uint8(12), "99999999999999999999", uint8(40), "-1.5")
	f.Add(uint8(27), "two\nlines", uint8(3), "afg")
	fields := CaseFields()
	base := CaseValues{
		"id": "YP-0100", "date_of_birth": "2008-03-10", "nationality": "AFG", "review_date": "2025-06-01",
		"care.looked_after_since": "2023-11-01", "care.placement": "foster",
		"asylum.claim_date": "2023-11-20", "asylum.status": "pending",
	}
	f.Fuzz(func(t *testing.T, k1 uint8, v1 string, k2 uint8, v2 string) {
		v := base.Clone()
		v[fields[int(k1)%len(fields)].Key] = v1
		v[fields[int(k2)%len(fields)].Key] = v2
		src := v.TOML()
		back, err := ParseCaseValues(src)
		if err != nil {
			t.Fatalf("the writer gave invalid TOML: %v\n%s", err, src)
		}
		again := back.TOML()
		if once, err := ParseCaseValues(again); err != nil || !bytes.Equal(once.TOML(), again) {
			t.Fatalf("canonical form not stable: %v\n%s\nthen\n%s", err, again, once.TOML())
		}
		c1, err1 := ReadCase(bytes.NewReader(src), "a", sim.Date{}, DefaultPolicy())
		c2, err2 := ReadCase(bytes.NewReader(again), "b", sim.Date{}, DefaultPolicy())
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("the reader judges the files apart: %v / %v\n%s\n%s", err1, err2, src, again)
		}
		if err1 == nil && !reflect.DeepEqual(c1, c2) {
			t.Fatalf("the files read as different cases\n%s\n%s", src, again)
		}
	})
}
