package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// pathway runs the command as main does and returns its exit status and output.
func pathway(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = exitCode(run(context.Background(), args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/pathway -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gotPath := path + ".got"
		os.WriteFile(gotPath, got, 0o644)
		t.Errorf("%s differs from the golden file; wrote %s (diff them; -update accepts)", name, gotPath)
	}
}

func TestDemoGolden(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := pathway(t, "demo", "-o", dir)
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	golden(t, "demo/summary.txt", []byte(strings.ReplaceAll(stdout, dir, "DIR")))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("demo wrote nothing")
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), ".json") {
			var v map[string]any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Errorf("%s is not JSON: %v", e.Name(), err)
			}
		}
		// Only the fixed demo outputs are compared byte for byte.
		if strings.HasSuffix(e.Name(), "-plan.txt") || strings.HasSuffix(e.Name(), "-plan.json") {
			golden(t, "demo/"+e.Name(), data)
		}
	}
}

// The JSON plan has the fixed core keys of product.md with their values.
func TestPlanJSONCore(t *testing.T) {
	code, stdout, stderr := pathway(t, "plan", "../../scenarios/samples/pending-afg.toml", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var plan struct {
		ID           string   `json:"id"`
		AsOf         string   `json:"as_of"`
		Policy       string   `json:"policy"`
		Planning     string   `json:"planning"`
		Perspectives []string `json:"perspectives"`
		Branches     []struct {
			Path         []string `json:"path"`
			Outcome      string   `json:"outcome"`
			Probability  float64  `json:"probability"`
			LeaveExpires *string  `json:"leave_expires"`
			Events       []struct{ Date, Kind, Text string }
			Funding      []struct {
				FinancialYear string `json:"financial_year"`
				Payer         string `json:"payer"`
				Category      string `json:"category"`
				Amount        string `json:"amount"`
			} `json:"funding"`
		} `json:"branches"`
	}
	if err := json.Unmarshal([]byte(stdout), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.ID != "YP-0001" || plan.AsOf != "2025-06-01" || plan.Policy != "england" || plan.Planning != "triple" ||
		strings.Join(plan.Perspectives, ",") != "transitional,long_term,return" {
		t.Errorf("core: %+v", plan)
	}
	first := map[string]float64{}
	for _, b := range plan.Branches {
		if b.Outcome != b.Path[0] {
			t.Errorf("outcome %s is not path[0] %s", b.Outcome, b.Path[0])
		}
		first[b.Outcome] += b.Probability
		for _, f := range b.Funding {
			if len(f.FinancialYear) != 7 || f.FinancialYear[4] != '-' || !strings.Contains(f.Amount, ".") || len(strings.Split(f.Amount, ".")[1]) != 2 {
				t.Errorf("funding row %+v: want financial_year like 2025-26 and a 2-decimal amount", f)
			}
		}
	}
	// The case's own probabilities; the decision on 1 Sep 2025 is before 17½
	// (10 Sep 2025), so UASC leave keeps its 0.25.
	for o, want := range map[string]float64{"refugee_status": 0.55, "humanitarian_protection": 0.05, "uasc_leave": 0.25, "refused": 0.15} {
		if d := first[o] - want; d > 1e-9 || d < -1e-9 {
			t.Errorf("P(%s) = %v, want %v", o, first[o], want)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	bad := "../../testdata/cases/bad/many-problems.toml"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string // each must appear
	}{
		{"no command", nil, 2, []string{"no command"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"missing case file", []string{"plan", "no-such-case.toml"}, 2, []string{"no-such-case.toml", "no such file"}},
		{"bad case file", []string{"plan", bad}, 2, []string{bad + ":2: id", bad + ":4: nationality", bad + ":9: care.placement"}},
		{"bad format", []string{"plan", "../../scenarios/samples/pending-afg.toml", "--format", "xml"}, 2, []string{`--format "xml"`, "text, json, md and html"}},
		{"bad as-of", []string{"plan", "../../scenarios/samples/pending-afg.toml", "--as-of", "2025-02-30"}, 2, []string{"as-of", "not a calendar date"}},
		{"two case files", []string{"plan", "a.toml", "b.toml"}, 2, []string{"one case file"}},
		{"missing policy", []string{"plan", "../../scenarios/samples/pending-afg.toml", "--policy", "nope.toml"}, 2, []string{"nope.toml"}},
		{"validate bad", []string{"validate", "../../scenarios/samples/refugee-sdn.toml", bad}, 2, []string{bad + ":3: date_of_birth"}},
		{"validate missing", []string{"validate", "gone.toml"}, 2, []string{"gone.toml", "cannot be read"}},
		{"as-of after 25th birthday", []string{"plan", "../../scenarios/samples/settled-afg.toml", "--as-of", "2028-01-15"}, 2, []string{"date_of_birth"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := pathway(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if tc.code != 0 && stdout != "" && tc.args[0] != "validate" {
				t.Errorf("output on error: %q", stdout)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}

func TestValidateGood(t *testing.T) {
	code, stdout, stderr := pathway(t, "validate", "../../scenarios/samples/refugee-sdn.toml", "../../scenarios/policy.toml")
	if code != 0 || strings.Count(stdout, ": ok") != 2 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// -o writes atomically: on success the file holds what stdout would; on
// failure no file (and no temporary file) is left.
func TestOutputFileAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "plan.txt")
	code, stdout, stderr := pathway(t, "plan", "../../scenarios/samples/refused-alb.toml", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	_, direct, _ := pathway(t, "plan", "../../scenarios/samples/refused-alb.toml")
	got, err := os.ReadFile(out)
	if err != nil || string(got) != direct {
		t.Errorf("-o file differs from stdout (err %v)", err)
	}
	failed := filepath.Join(dir, "failed.txt")
	if code, _, _ := pathway(t, "plan", "../../testdata/cases/bad/many-problems.toml", "-o", failed); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after a failed run the directory holds %v, want only plan.txt", names)
	}
}

// --as-of moves the plan's date; --policy overrides one value.
func TestAsOfAndPolicyOverride(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "local.toml")
	// A 28-day appeal window instead of 14.
	os.WriteFile(pol, []byte(`name = "local"
[[value]]
key = "appeal.window_days"
from = 2000-01-01
value = "28"
unit = "days"
source = "a local test"
confidence = "L"
unconfirmed = false
`), 0o644)
	code, stdout, stderr := pathway(t, "plan", "../../scenarios/samples/refused-alb.toml", "--policy", pol, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Refused 25 May 2025 + 28 days = 22 Jun 2025.
	if !strings.Contains(stdout, `"date": "2025-06-22",
          "age": 17,
          "kind": "appeal_deadline"`) || !strings.Contains(stdout, `"policy": "england+local"`) ||
		!strings.Contains(stdout, "within 28 days of the decision") || strings.Contains(stdout, "within 14 days of the decision") {
		t.Errorf("the override did not apply:\n%.600s", stdout)
	}
	code, stdout, _ = pathway(t, "plan", "../../scenarios/samples/refused-alb.toml", "--as-of", "2025-06-05")
	if code != 0 || !strings.Contains(stdout, "as of 5 Jun 2025") {
		t.Errorf("--as-of: exit %d\n%.300s", code, stdout)
	}
}

// namedCase is a case with a name, which only the adviser's pack may show.
var namedCase = []byte(`id = "YP-0100"
name = "Zarmina Testcase"
date_of_birth = 2008-03-10
nationality = "AFG"
review_date = 2025-06-01
[care]
looked_after_since = 2023-11-01
placement = "foster"
[asylum]
claim_date = 2023-11-20
status = "pending"
`)

func TestReport(t *testing.T) {
	dir := t.TempDir()
	named := filepath.Join(dir, "named.toml")
	os.WriteFile(named, namedCase, 0o644)
	code, page, stderr := pathway(t, "report", named, "--audience", "young-person", "--lang", "ar")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, secret := range []string{"Zarmina", "Testcase", "2008-03-10", "10 Mar 2008", "YP-0100", "foster", "£"} {
		if strings.Contains(page, secret) {
			t.Errorf("the young person's page shows %q", secret)
		}
	}
	if !strings.Contains(page, `dir="rtl"`) {
		t.Error("the Arabic page is not right-to-left")
	}
	earlier := filepath.Join(dir, "earlier.toml")
	os.WriteFile(earlier, []byte(strings.Replace(string(namedCase), "review_date = 2025-06-01", "review_date = 2025-01-15", 1)), 0o644)
	code, pack, stderr := pathway(t, "report", named, "--audience", "adviser", "--format", "md",
		"--previous", earlier, "--as-of", "2025-12-01")
	if code != 0 || !strings.Contains(pack, "Zarmina Testcase") {
		t.Errorf("adviser pack: exit %d, name shown %v: %s", code, strings.Contains(pack, "Zarmina"), stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", named}, `--audience ""`},
		{[]string{"report", named, "--audience", "young-person", "--lang", "xx"}, `--lang "xx"`},
		{[]string{"report", named, "--audience", "young-person", "--format", "md"}, "HTML only"},
		{[]string{"report", named, "--audience", "adviser", "--previous", "gone.toml"}, "gone.toml"},
	} {
		if code, _, stderr := pathway(t, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args[2:], code, stderr, tc.want)
		}
	}
}

// --policy names a built-in scenario when no file has that name: core
// protection from its assumed start (1 Apr 2027) gives 30-month grants.
func TestNamedPolicy(t *testing.T) {
	dir := t.TempDir()
	c := filepath.Join(dir, "case.toml")
	os.WriteFile(c, []byte(`id = "YP-0100"
date_of_birth = 2010-01-15
nationality = "ERI"
review_date = 2026-12-01
[care]
looked_after_since = 2025-11-01
placement = "foster"
[asylum]
claim_date = 2025-11-05
status = "pending"
expected_decision = 2027-06-01
`), 0o600)
	code, stdout, stderr := pathway(t, "plan", c, "--policy", "core-protection", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Granted 1 Jun 2027: 30 months, to 1 Dec 2029, then further permission.
	if !strings.Contains(stdout, `"policy": "england+core-protection"`) || !strings.Contains(stdout, `"leave_expires": "2029-12-01"`) ||
		!strings.Contains(stdout, "further permission granted on the protection route") {
		t.Errorf("core protection not applied:\n%.400s", stdout)
	}
	if code, _, _ := pathway(t, "plan", c, "--policy", "no-such-scenario"); code != 2 {
		t.Errorf("an unknown policy name: exit %d, want 2", code)
	}
}
