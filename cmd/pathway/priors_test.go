package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// A case for an Afghan young person whose first decision is expected on
// 15 Aug 2024 (2024 Q3), seen from 1 Jun 2024.
func afghanCase(t *testing.T, dir, dob string) string {
	t.Helper()
	path := filepath.Join(dir, "afg-"+dob+".toml")
	err := os.WriteFile(path, []byte(`id = "YP-PRIOR"
date_of_birth = `+dob+`
nationality = "AFG"
review_date = 2024-06-01

[care]
looked_after_since = 2023-11-01
placement = "foster"

[asylum]
claim_date = 2023-11-20
status = "pending"
expected_decision = 2024-08-15
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// firstDecision sums a JSON plan's path chances by the first decision's
// outcome.
func firstDecision(t *testing.T, plan string) (map[string]decimal.Decimal, []map[string]any) {
	t.Helper()
	var p struct {
		Branches []struct {
			Path        []string        `json:"path"`
			Probability decimal.Decimal `json:"probability"`
		} `json:"branches"`
		Priors []map[string]any `json:"priors"`
	}
	if err := json.Unmarshal([]byte(plan), &p); err != nil {
		t.Fatal(err)
	}
	out := map[string]decimal.Decimal{}
	for _, b := range p.Branches {
		out[b.Path[0]] = out[b.Path[0]].Add(b.Probability)
	}
	return out, p.Priors
}

// The importer reads the small Asy_D02 extract in its published layout and
// its output, passed with --policy, gives a plan the hand-computed shares
// (worked in scenarios' TestImportAsyD02).
func TestPriorsImportThenPlan(t *testing.T) {
	dir := t.TempDir()
	for _, fixture := range []string{"asy_d02_small.xlsx", "asy_d02_small.csv"} {
		t.Run(fixture, func(t *testing.T) {
			out := filepath.Join(dir, fixture+".toml")
			code, stdout, stderr := pathway(t, "priors", "import", "../../testdata/homeoffice/"+fixture, "-o", out)
			if code != 0 || stdout != "" {
				t.Fatalf("import: exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			for _, want := range []string{"Asy_D02 table, 2024 Q2 to 2024 Q3", "dropped 1 row: withdrawn claims", "Stateless: 20 decisions"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("summary lacks %q:\n%s", want, stderr)
				}
			}
			for _, tc := range []struct {
				name, dob string
				want      map[string]string
				period    string
				uasc      bool
			}{
				// Born 2009: 15 on the decision date, so the children's
				// (UASC) row for 2024 Q3: 60, 4, 20 and 36 of 120 decisions.
				{"a child", "2009-01-10", map[string]string{"refugee_status": "0.5", "humanitarian_protection": "0.0333",
					"uasc_leave": "0.1667", "refused": "0.3"}, "2024 Q3", true},
				// Born 1 Jul 2006: 18 on the decision date, so the all-ages row (0.4669, 0.0311,
				// 0.1940, 0.3080); past 17½, the UASC leave share is
				// refused: 0.1940 + 0.3080 = 0.5020.
				{"an adult", "2006-07-01", map[string]string{"refugee_status": "0.4669", "humanitarian_protection": "0.0311",
					"uasc_leave": "0", "refused": "0.502"}, "2024 Q3", false},
			} {
				code, plan, stderr := pathway(t, "plan", afghanCase(t, dir, tc.dob), "--policy", out, "--format", "json")
				if code != 0 {
					t.Fatalf("%s: plan: exit %d: %s", tc.name, code, stderr)
				}
				got, priors := firstDecision(t, plan)
				for outcome, want := range tc.want {
					if !got[outcome].Equal(decimal.RequireFromString(want)) {
						t.Errorf("%s: P(first decision %s) = %s, want %s", tc.name, outcome, got[outcome], want)
					}
				}
				if len(priors) == 0 {
					t.Fatalf("%s: the plan lists no prior", tc.name)
				}
				u := priors[0]
				if u["decision"] != "first_decision" || u["basis"] != "nationality" || u["period"] != tc.period || u["uasc"] != tc.uasc ||
					!strings.Contains(u["text"].(string), fixture) {
					t.Errorf("%s: first prior %v", tc.name, u)
				}
			}
		})
	}
}

func TestPriorsImportErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"no subcommand", []string{"priors"}, 2, []string{"priors takes the subcommand import"}},
		{"no table", []string{"priors", "import"}, 2, []string{"one table, got 0"}},
		{"missing file", []string{"priors", "import", "nope.xlsx"}, 2, []string{"nope.xlsx"}},
		{"bad rows", []string{"priors", "import", "../../testdata/homeoffice/asy_d02_bad.csv"}, 2,
			[]string{"asy_d02_bad.csv:3: Quarter", "asy_d02_bad.csv:8: UASC", "asy_d02_bad.csv:9: Decisions"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := pathway(t, tc.args...)
			if code != tc.code || stdout != "" {
				t.Errorf("exit %d, want %d; stdout %q", code, tc.code, stdout)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// The built-in pause in decisions on Syrian claims (from 9 Dec 2024, no end
// announced; S85) holds a first decision expected on 1 Sep 2025, seen from
// 1 Jun 2025, for the assumed 12 months from the as-of date: to 1 Jun 2026.
func TestSyriaPauseInAPlan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "syr.toml")
	os.WriteFile(path, []byte(`id = "YP-SYR"
date_of_birth = 2009-04-02
nationality = "SYR"
review_date = 2025-06-01

[care]
looked_after_since = 2024-10-01
placement = "foster"

[asylum]
claim_date = 2024-10-15
status = "pending"
expected_decision = 2025-09-01
`), 0o644)
	code, stdout, stderr := pathway(t, "plan", path, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var p struct {
		Branches []struct {
			Steps []struct {
				Date string `json:"date"`
			} `json:"steps"`
			Events []struct {
				Date string `json:"date"`
				Kind string `json:"kind"`
				Text string `json:"text"`
			} `json:"events"`
		} `json:"branches"`
		Pauses []struct {
			Nationality string              `json:"nationality"`
			From        string              `json:"from"`
			To          *string             `json:"to"`
			Sources     []map[string]string `json:"sources"`
		} `json:"pauses"`
		Unconfirmed []struct {
			Key string `json:"key"`
		} `json:"unconfirmed"`
	}
	if err := json.Unmarshal([]byte(stdout), &p); err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Branches {
		if b.Steps[0].Date != "2026-06-01" {
			t.Errorf("first decision on %s, want 2026-06-01", b.Steps[0].Date)
		}
		paused := false
		for _, e := range b.Events {
			if e.Kind == "decisions_paused" && e.Date == "2025-09-01" && strings.Contains(e.Text, "from 9 Dec 2024") &&
				strings.Contains(e.Text, "lasts 12 months from 1 Jun 2025") {
				paused = true
			}
		}
		if !paused {
			t.Errorf("a path has no decisions_paused event on 2025-09-01")
		}
	}
	if len(p.Pauses) != 1 || p.Pauses[0].Nationality != "SYR" || p.Pauses[0].From != "2024-12-09" || p.Pauses[0].To != nil ||
		len(p.Pauses[0].Sources) == 0 || p.Pauses[0].Sources[0]["title"] != "Free Movement, Syria pause (2025)" {
		t.Errorf("pauses: %+v", p.Pauses)
	}
	assumed := false
	for _, u := range p.Unconfirmed {
		assumed = assumed || u.Key == "decision_pause.assumed_months"
	}
	if !assumed {
		t.Error("the assumed length of the pause, a placeholder, is not listed as unconfirmed")
	}
}
