package scenarios

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"pathway/sim"
)

// tomlShape counts what makes a key path deep and nothing else: brackets
// and dots inside strings, comments and values do not count.
func TestTOMLShape(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("a.", n-1) + "a" }
	for _, tc := range []struct {
		name string
		src  string
		line int // 0: accepted
	}{
		{"the built-in policy", string(embeddedPolicy), 0},
		{"ten parts", deep(10) + " = 1\n", 0},
		{"eleven parts", deep(11) + " = 1\n", 1},
		{"header and key together", "[" + deep(6) + "]\n" + deep(4) + " = 1\n" + deep(5) + " = 2\n", 3},
		{"inline tables add the key's parts", "x = 1\n" + deep(3) + " = {" + deep(3) + " = {" + deep(5) + " = 1}}\n", 2},
		{"inline tables at ten", deep(3) + " = {" + deep(3) + " = {" + deep(4) + " = 1}}\n", 0},
		{"arrays add one each", "a = " + strings.Repeat("[", 9) + strings.Repeat("]", 9) + "\n", 0},
		{"ten arrays", "a = " + strings.Repeat("[", 10) + strings.Repeat("]", 10) + "\n", 1},
		{"dots and brackets in strings", `a = "[[[[[[[[[[[[{{{{{{{{{{{{....................."` + "\n" + `b = '[[[[[[[[[[[[[[[[[[['` + "\n", 0},
		{"multi-line strings", "a = \"\"\"\n[[[[[[[[[[[[[[[[\n" + deep(20) + " = 1\n\"\"\"\n" + "b = '''\n{{{{{{{{{{{{{{\n'''\n", 0},
		{"after a multi-line string", "a = \"\"\"x\ny\"\"\"\n" + deep(11) + " = 1\n", 3},
		{"comments", "# " + deep(40) + " [[[[[[[[[[[[[[[[[[[\na = 1 # {{{{{{{{{{{{{{{{{\n", 0},
		{"floats and dates", "a = [" + strings.Repeat("1.5, 2025-06-01, ", 30) + "]\n", 0},
		{"quoted key parts", `"a.b.c.d.e.f.g.h.i.j.k" = 1` + "\n", 0},
		{"a deep header", "[" + deep(50_000) + "]\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := tomlShape([]byte(tc.src))
			switch {
			case tc.line == 0 && !ok:
				t.Errorf("refused at line %d: %s", p.Line, p.Allowed)
			case tc.line > 0 && ok:
				t.Errorf("accepted, want refused at line %d", tc.line)
			case tc.line > 0 && p.Line != tc.line:
				t.Errorf("refused at line %d, want %d", p.Line, tc.line)
			}
		})
	}
}

// Every sample case, and the built-in policy, is within the limits.
func TestSamplesWithinLimits(t *testing.T) {
	for _, s := range Samples() {
		if _, err := readTOML(bytes.NewReader(s.Data), s.Name); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
	if _, err := readTOML(bytes.NewReader(embeddedPolicy), embeddedName); err != nil {
		t.Error(err)
	}
	data, err := os.ReadFile("../testdata/cases/are-schedule3-irq.toml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCase(bytes.NewReader(data), "are-schedule3-irq.toml", sim.Date{}); err != nil {
		t.Error(err)
	}
}

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		s         string
		multiline bool
		bad       bool
	}{
		{"fresh claim lodged 2025-05-02", false, false},
		{"two lines\nand a\ttab", true, false},
		{"two lines\nin one-line text", false, true},
		{"a carriage return\r", true, true},
		{"an escape \x1b[2J", true, true},
		{"a bell \a", false, true},
		{"C1 control \u009b", false, true},
		{"right-to-left override \u202e", false, true},
		{"isolate \u2067", true, true},
		{"Arabic text العربية and Dari دری", false, false},
	} {
		if got := textProblem(tc.s, tc.multiline) != ""; got != tc.bad {
			t.Errorf("textProblem(%q, %v) refuses: %v, want %v", tc.s, tc.multiline, got, tc.bad)
		}
	}
}
