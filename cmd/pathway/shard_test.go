package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// process runs pathway as a separate process, as a batch runner would.
func process(t *testing.T, args ...string) (code int, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PATHWAY_TEST_AS_PATHWAY=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), errOut.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, errOut.String()
}

// A forecast run as N shards in separate processes and merged writes the
// same bytes as the whole run, for N = 1, 3 and 7, with arrivals (each in
// one shard), in every format, and for a --compare run.
func TestShardsMergeToTheSameBytes(t *testing.T) {
	dir := t.TempDir()
	cohort := filepath.Join(dir, "cohort.csv")
	if code, _, stderr := pathway(t, "synth", "--n", "120", "--seed", "4", "--as-of", "2026-04-01", "-o", cohort); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		formats []string
		shards  []int
	}{
		{"arrivals", []string{"--arrivals", "12"}, []string{"json", "csv", "html", "xlsx"}, []int{1, 3, 7}},
		{"compare", []string{"--compare", "arrivals+20"}, []string{"json"}, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := append([]string{"forecast", cohort, "--draws", "40", "--years", "4", "--from", "2026-04-01", "--seed", "9"}, tc.args...)
			want := map[string][]byte{}
			for _, f := range tc.formats {
				out := filepath.Join(dir, tc.name+"-whole."+f)
				if code, stderr := process(t, append(run, "--format", f, "-o", out)...); code != 0 {
					t.Fatalf("whole run: exit %d: %s", code, stderr)
				}
				want[f], _ = os.ReadFile(out)
			}
			for _, n := range tc.shards {
				var parts []string
				for k := 1; k <= n; k++ {
					part := filepath.Join(dir, fmt.Sprintf("%s-%d-part-%d.json", tc.name, n, k))
					if code, stderr := process(t, append(run, "--shard", fmt.Sprintf("%d/%d", k, n), "--workers", fmt.Sprint(1+k%2), "-o", part)...); code != 0 {
						t.Fatalf("shard %d/%d: exit %d: %s", k, n, code, stderr)
					}
					parts = append(parts, part)
				}
				for _, f := range tc.formats {
					out := filepath.Join(dir, fmt.Sprintf("%s-%d-merged.%s", tc.name, n, f))
					if code, stderr := process(t, append(append([]string{"merge"}, parts...), "--format", f, "-o", out)...); code != 0 {
						t.Fatalf("merge of %d: exit %d: %s", n, code, stderr)
					}
					got, _ := os.ReadFile(out)
					if !bytes.Equal(got, want[f]) {
						t.Errorf("%d shards merged as %s: %d bytes differ from the whole run's %d", n, f, len(got), len(want[f]))
					}
				}
			}
		})
	}
}

// merge refuses, with exit status 2 and a message naming the part, parts
// that are not every shard of one run; forecast refuses a bad --shard.
func TestMergeRefusesOtherRuns(t *testing.T) {
	dir := t.TempDir()
	cohort := filepath.Join(dir, "cohort.csv")
	if code, _, stderr := pathway(t, "synth", "--n", "30", "--seed", "4", "--as-of", "2026-04-01", "-o", cohort); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, stderr)
	}
	part := func(name string, args ...string) string {
		out := filepath.Join(dir, name)
		args = append([]string{"forecast", cohort, "--draws", "5", "--years", "2", "--from", "2026-04-01", "-o", out}, args...)
		if code, _, stderr := pathway(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		return out
	}
	p1, p2 := part("p1.json", "--shard", "1/2"), part("p2.json", "--shard", "2/2")
	seed := part("seed.json", "--shard", "2/2", "--seed", "8")
	three := part("three.json", "--shard", "2/3")
	junk := filepath.Join(dir, "junk.json")
	os.WriteFile(junk, []byte(`{"format":"something else"}`), 0o644)
	// A part whose settings were edited: its settings alone must not make
	// the merge ask for more memory than the file holds.
	tamper := func(name, from, to string) string {
		b, err := os.ReadFile(p1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(from)) {
			t.Fatalf("%s: the part has no %s", name, from)
		}
		out := filepath.Join(dir, name)
		os.WriteFile(out, bytes.Replace(b, []byte(from), []byte(to), 1), 0o644)
		return out
	}
	manyDraws := tamper("draws.json", `"draws":5,`, `"draws":1000000,`)
	tooManyDraws := tamper("draws2.json", `"draws":5,`, `"draws":9000000000000,`)
	manyYears := tamper("years.json", `"years":2,`, `"years":31,`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", p1}, "shard 2 of 2 missing"},
		{[]string{"merge", p1, p2, p2}, "p2.json and " + p2 + " are both shard 2/2"},
		{[]string{"merge", p1, seed}, seed + ": seed 8, but " + p1 + " has seed 1"},
		{[]string{"merge", p1, three}, three + ": shards 3, but " + p1 + " has shards 2"},
		{[]string{"merge", p1, junk}, junk + `: format "something else"`},
		// 5 draws × 2 years × 15 categories = 150 totals in the part.
		{[]string{"merge", manyDraws, p2}, manyDraws + `: run "base": totals has 150 values, want 30000000 for 1000000 draws and 2 years`},
		{[]string{"merge", tooManyDraws, p2}, tooManyDraws + ": draws 9000000000000: allowed is 1 to 1000000"},
		{[]string{"merge", manyYears, p2}, manyYears + ": years 31: allowed is 1 to 30"},
		{[]string{"merge", p1, cohort}, cohort + ": not a part written by pathway forecast --shard"},
		{[]string{"merge"}, "merge takes the parts of a sharded forecast, got none"},
		{[]string{"forecast", cohort, "--shard", "3/2"}, "allowed is K/N"},
		{[]string{"forecast", cohort, "--shard", "1/2", "--format", "csv"}, "give --format to merge"},
	} {
		code, stdout, stderr := pathway(t, tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit 2 and %q", tc.args, code, len(stdout), stderr, tc.want)
		}
	}
}
