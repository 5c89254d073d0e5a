package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCase writes text to a case file in a temporary folder.
func writeCase(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// shifted is the pending Afghan sample with every year moved by years.
func shifted(t *testing.T, years int) string {
	t.Helper()
	data, err := os.ReadFile("../../scenarios/samples/pending-afg.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, y := range []int{2025, 2023, 2008} { // later years first, so none is moved twice
		s = strings.ReplaceAll(s, fmt.Sprintf("%d-", y), fmt.Sprintf("%d-", y+years))
	}
	return s
}

// Input past a limit exits 2 with a message naming the file and the limit,
// and writes nothing. The limits are checked before the TOML decoder sees
// the text (the messages below come from that check), so input that once
// ran the decoder for minutes is refused without decoding it; speed itself
// is left to benchmarks, not timed here.
func TestInputLimits(t *testing.T) {
	// 4,000 nested inline tables: 24 KB that once ran for minutes.
	nested := "id = " + strings.Repeat("{a=", 4000) + "1" + strings.Repeat("}", 4000) + "\n"
	// A table header of 50,000 parts, which exhausts the TOML decoder's memory.
	header := "[" + strings.Repeat("a.", 49_999) + "a]\n"
	arrays := "id = " + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + "\n"
	var many strings.Builder
	for i := 0; i < 25_000; i++ {
		fmt.Fprintf(&many, "k%d = 1\n", i)
	}
	big := "id = \"" + strings.Repeat("x", 1<<20) + "\"\n"
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"nested inline tables", nested, []string{":1: key paths at most 10 deep"}},
		{"a 50,000-part table header", header, []string{":1: key paths at most 10 deep"}},
		{"nested arrays", arrays, []string{":1: key paths at most 10 deep"}},
		{"too many keys", many.String(), []string{":20001: at most 20000 keys"}},
		{"over 1 MiB", big, []string{"a file of at most 1 MiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := writeCase(t, "case.toml", tc.text)
			out := filepath.Join(t.TempDir(), "plan.txt")
			for _, args := range [][]string{{"plan", file, "-o", out}, {"validate", file}, {"plan", sample, "--policy", file}} {
				code, _, stderr := pathway(t, args...)
				if code != 2 {
					t.Errorf("%v: exit %d, want 2: %.300s", args, code, stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(stderr, file+w) && !strings.Contains(stderr, file+": "+w) {
						t.Errorf("%v: stderr lacks %q: %.300s", args, file+w, stderr)
					}
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}

// Dates outside what the engine plans with exit 2 naming the field; a case
// in 2175 once passed validate and then crashed plan.
func TestDateRange(t *testing.T) {
	in2175 := writeCase(t, "2175.toml", shifted(t, 150))
	in1995 := writeCase(t, "1995.toml", shifted(t, -30))
	// Claimed and in care before 2000, decided in 2001, seen in 2002: the
	// policy covers every date it is read on, so this plans.
	early := writeCase(t, "early.toml", `id = "YP-1999"
date_of_birth = 1984-05-01
nationality = "AFG"
review_date = 2002-01-10
[care]
looked_after_since = 1999-06-01
placement = "foster"
[asylum]
claim_date = 1999-06-20
status = "refugee_status"
decision_date = 2001-03-01
`)
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"validate", in2175}, 2, []string{in2175 + ":3: date_of_birth: \"2158-03-10\": a date from 1975-01-01 to 2100-12-31", in2175 + ":5: review_date: \"2175-06-01\"", "asylum.expected_decision"}},
		{[]string{"plan", in2175}, 2, []string{in2175 + ":3: date_of_birth"}},
		{[]string{"report", in2175, "--audience", "young-person"}, 2, []string{"date_of_birth"}},
		{[]string{"plan", in1995}, 2, []string{in1995 + ":5: review_date: \"1995-06-01\": a date from 2000-01-01 (the earliest date a policy covers) to 2100-12-31", "asylum.expected_decision"}},
		{[]string{"plan", sample, "--as-of", "2175-01-01"}, 2, []string{"--as-of", "2175-01-01: allowed is a date from 2000-01-01"}},
		{[]string{"plan", early}, 0, nil},
	} {
		code, _, stderr := pathway(t, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
	}
	cohort := writeCase(t, "cohort.csv", "id,date_of_birth,nationality,looked_after_since,placement,claim_date,status\n"+
		"A1,2158-03-10,AFG,2173-11-01,foster,2173-11-20,pending\n")
	code, _, stderr := pathway(t, "forecast", cohort, "--from", "2025-06-01", "--draws", "5")
	if code != 2 || !strings.Contains(stderr, cohort+":2: date_of_birth: \"2158-03-10\"") {
		t.Errorf("forecast of a cohort in 2175: exit %d: %s", code, stderr)
	}
	if code, _, stderr := pathway(t, "forecast", cohort, "--from", "2199-06-01"); code != 2 || !strings.Contains(stderr, "--from") {
		t.Errorf("--from 2199: exit %d: %s", code, stderr)
	}
}

// Draws, years and workers are bounded, and a forecast that would take
// more than half the machine's memory is refused, with its estimate, before
// any work is done.
func TestForecastBounds(t *testing.T) {
	cohort := synthCohort(t, "20")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--workers", "100000"}, "--workers 100000: allowed is 0 (all cores) to 256"},
		{[]string{"--draws", "1000001"}, "--draws 1000001: allowed is 1 to 1000000"},
		{[]string{"--years", "31"}, "--years 31: allowed is 1 to 30"},
		{[]string{"--draws", "-1"}, "--draws -1"},
	} {
		args := append([]string{"forecast", cohort, "--from", "2025-06-01"}, tc.args...)
		if code, _, stderr := pathway(t, args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	// On a machine of 4 GiB: 1,000,000 draws × 30 years × 15 categories ×
	// 8 bytes is 3.35 GiB for each of 2 workers and the merged totals, and
	// each worker's bits of draws for 8 modes of 39 spans, twice, 2 ×
	// 1,000,000 / 8 × 8 × 39 bytes, add 0.15 GiB: 10 GiB, more than half
	// of it. (Were the estimate to come after the run, the
	// run would not fit, and the test would not finish.)
	defer func(old func() (int64, bool)) { machineMemory = old }(machineMemory)
	machineMemory = func() (int64, bool) { return 4 << 30, true }
	code, _, stderr := pathway(t, "forecast", cohort, "--from", "2025-06-01", "--draws", "1000000", "--years", "30", "--workers", "2")
	if code != 2 || !strings.Contains(stderr, "forecast memory estimate: 10 GiB") || !strings.Contains(stderr, "more than half of this machine's memory (4096 MiB)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// The same run with few draws fits.
	if code, _, stderr := pathway(t, "forecast", cohort, "--from", "2025-06-01", "--draws", "10", "--years", "30", "--workers", "2"); code != 0 {
		t.Errorf("a small run: exit %d: %s", code, stderr)
	}
}

// Absurd amounts in a policy are refused at load: a £10^12 rate once
// overflowed into negative totals with exit 0.
func TestPolicyAmounts(t *testing.T) {
	pol := writeCase(t, "huge.toml", `name = "huge"
[[value]]
key = "local.placement_week_foster"
from = 2000-01-01
value = "1000000000000.00"
unit = "gbp_per_week"
source = "a test"
confidence = "L"
unconfirmed = false
`)
	code, stdout, stderr := pathway(t, "plan", sample, "--policy", pol)
	if code != 2 || stdout != "" || !strings.Contains(stderr, pol+":5: value.value: \"1000000000000.00\"") || !strings.Contains(stderr, `at most "100000.00"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// Control characters in free text are refused, and never reach the
// terminal from a message.
func TestControlCharacters(t *testing.T) {
	reason := writeCase(t, "reason.toml", `id = "YP-0007"
date_of_birth = 2005-01-10
nationality = "IRQ"
review_date = 2025-06-01
[care]
looked_after_since = 2021-01-01
placement = "foster"
[asylum]
claim_date = 2021-01-20
status = "appeal_rights_exhausted"
decision_date = 2023-05-01
[schedule3]
support_continues = true
reason = "fresh claim\u001b]0;owned\u0007 lodged"
`)
	code, stdout, stderr := pathway(t, "plan", reason)
	if code != 2 || stdout != "" || !strings.Contains(stderr, reason+":14: schedule3.reason") || !strings.Contains(stderr, "U+001B") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Errorf("a control character reached stderr: %q", stderr)
	}
	pol := writeCase(t, "note.toml", "name = \"local\u202e\"\n")
	if code, _, stderr := pathway(t, "plan", sample, "--policy", pol); code != 2 || !strings.Contains(stderr, pol+":1: name") {
		t.Errorf("bidi override in the policy name: exit %d, %q", code, stderr)
	}
	// A control character in a CSV header comes back escaped.
	cohort := writeCase(t, "c.csv", "id,\x1b[2Jwho\n")
	if _, _, stderr := pathway(t, "validate", cohort); strings.Contains(stderr, "\x1b") || !strings.Contains(stderr, `\u001b`) {
		t.Errorf("stderr %q", stderr)
	}
}

// A cohort file over --max-cohort-mib is refused before it is read whole.
func TestCohortSizeLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date_of_birth,nationality,looked_after_since,placement,claim_date,status\n")
	for i := 0; b.Len() <= 1<<20; i++ {
		fmt.Fprintf(&b, "A%06d,2008-03-10,AFG,2023-11-01,foster,2023-11-20,pending\n", i)
	}
	cohort := writeCase(t, "big.csv", b.String())
	for _, args := range [][]string{
		{"forecast", cohort, "--from", "2025-06-01", "--max-cohort-mib", "1"},
		{"validate", "--max-cohort-mib", "1", cohort},
	} {
		if code, _, stderr := pathway(t, args...); code != 2 || !strings.Contains(stderr, cohort+": a file of at most 1 MiB") {
			t.Errorf("%v: exit %d, %q", args[0], code, stderr)
		}
	}
	if code, _, stderr := pathway(t, "validate", cohort); code != 0 {
		t.Errorf("under the default limit: exit %d: %.300s", code, stderr)
	}
}

// validate prints at most 50 problems a file and counts the rest.
func TestValidateCapsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date_of_birth,nationality,looked_after_since,placement,claim_date,status\n")
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&b, "A%d,2008-03-10,AFG,2023-11-01,castle,2023-11-20,pending\n", i)
	}
	cohort := writeCase(t, "bad.csv", b.String())
	code, stdout, stderr := pathway(t, "validate", cohort, sample)
	if code != 2 || stdout != sample+": ok\n" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	if n := strings.Count(stderr, ": placement: "); n != 50 {
		t.Errorf("%d problems printed, want 50", n)
	}
	if !strings.Contains(stderr, cohort+": and 70 more problems, not shown") {
		t.Errorf("no count of the rest: %.200s", stderr[max(0, len(stderr)-200):])
	}
}

// --previous must be the same young person at an earlier review; anything
// else exits 2 and writes nothing.
func TestPreviousReview(t *testing.T) {
	dir := t.TempDir()
	named := filepath.Join(dir, "named.toml")
	os.WriteFile(named, namedCase, 0o644)
	other := filepath.Join(dir, "other.toml")
	os.WriteFile(other, []byte(strings.Replace(strings.Replace(string(namedCase), "YP-0100", "YP-0009", 1), "2025-06-01", "2025-01-15", 1)), 0o644)
	later := filepath.Join(dir, "later.toml")
	os.WriteFile(later, []byte(strings.Replace(string(namedCase), "2025-06-01", "2025-09-01", 1)), 0o644)
	earlier := filepath.Join(dir, "earlier.toml")
	os.WriteFile(earlier, []byte(strings.Replace(string(namedCase), "2025-06-01", "2025-01-15", 1)), 0o644)
	out := filepath.Join(dir, "pack.html")
	for _, tc := range []struct {
		previous string
		want     string
	}{
		{other, `id "YP-0009" is not this case's id "YP-0100"`},
		{later, "its review_date 2025-09-01 is not before this review's date 2025-06-01"},
		{named, "its review_date 2025-06-01 is not before"},
	} {
		code, _, stderr := pathway(t, "report", named, "--audience", "adviser", "--previous", tc.previous, "-o", out)
		if code != 2 || !strings.Contains(stderr, "--previous "+tc.previous) || !strings.Contains(stderr, tc.want) {
			t.Errorf("--previous %s: exit %d, stderr %q; want 2 and %q", filepath.Base(tc.previous), code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("--previous %s: a pack was written", filepath.Base(tc.previous))
		}
	}
	code, _, stderr := pathway(t, "report", named, "--audience", "adviser", "--previous", earlier, "-o", out)
	if code != 0 {
		t.Fatalf("the same young person earlier: exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(out); !strings.Contains(string(data), "Changed since the last review") {
		t.Error("the pack does not say what changed")
	}
}

// A 903 table over --max-cohort-mib is refused before it is read.
func TestImport903SizeLimit(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Episodes.csv", "Header.csv", "OC3.csv", "UASC.csv", "status.csv"} {
		copyFile(t, filepath.Join("../../testdata/ssda903/ddmm", f), dir)
	}
	episodes := filepath.Join(dir, "Episodes.csv")
	data, _ := os.ReadFile(episodes)
	for len(data) <= 1<<20 {
		data = append(data, data...)
	}
	os.WriteFile(episodes, data, 0o644)
	code, stdout, stderr := pathway(t, "import-903", dir, "--status", filepath.Join(dir, "status.csv"), "--as-of", "2025-06-01", "--max-cohort-mib", "1")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Episodes.csv: larger than 1 MiB") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
