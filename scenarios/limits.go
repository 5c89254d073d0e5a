package scenarios

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"pathway/sim"
)

// Limits on input files. A file past one of them is refused with a problem
// before it is decoded, so that no input, however made, can make a reader
// run for minutes or exhaust memory.
const (
	// MaxTOMLBytes is the largest case or policy file: 1 MiB, hundreds of
	// times the size of a real one.
	MaxTOMLBytes = 1 << 20
	// DefaultMaxCohortBytes is the largest cohort or 903 file the commands
	// read unless told otherwise: 64 MiB, about 400,000 young people.
	DefaultMaxCohortBytes = 64 << 20
	// MaxTOMLDepth is the deepest key path a case or policy file may
	// write, counting table headers, dotted keys, inline tables and
	// arrays: a case file needs 3 (asylum.outcome_probabilities.refused).
	MaxTOMLDepth = 10
	// MaxTOMLKeys is the most keys and table headers a case or policy
	// file may hold; the built-in policy has under a thousand.
	MaxTOMLKeys = 20_000
	// MaxPolicyPounds is the largest amount of money a policy value may
	// give, per night, week, month or once: far above any real rate, and
	// low enough that no sum a forecast makes can overflow.
	MaxPolicyPounds = 100_000
)

// readTOML reads a case or policy file of at most MaxTOMLBytes and checks,
// before any decoding, that its nesting and key count are within the limits.
// A file past them gives a Problems error; a failure to read, a wrapped one.
func readTOML(r io.Reader, file string) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxTOMLBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(src) > MaxTOMLBytes {
		return nil, Problems{{File: file, Allowed: fmt.Sprintf("a file of at most %s; this one is larger", sizeWords(MaxTOMLBytes))}}
	}
	if p, ok := tomlShape(src); !ok {
		p.File = file
		return nil, Problems{p}
	}
	return src, nil
}

// sizeWords gives a size in bytes as people say it.
func sizeWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// SizeProblem is the problem with a file larger than limit bytes.
func SizeProblem(file string, limit int64) Problem {
	return Problem{File: file, Allowed: fmt.Sprintf("a file of at most %s; this one is larger", sizeWords(limit))}
}

// tomlShape scans TOML source once, in linear time, without decoding it:
// it follows strings and comments, table headers, keys and the brackets of
// values, and reports the first place a key path is deeper than
// MaxTOMLDepth or the file holds more than MaxTOMLKeys keys. It is not a
// validator: what it lets through is decoded and checked as usual.
func tomlShape(src []byte) (Problem, bool) {
	var (
		line   = 1
		keys   int
		header int   // parts of the current [table] header
		stack  []int // for each open bracket: the depth it adds; negative for an inline table
		parts  int   // parts of the key being read
		inKey  = true
		atLine = true // at the start of a line, outside any bracket
	)
	depthOf := func() int {
		d := header + parts
		for _, s := range stack {
			if s < 0 {
				d += -s
			} else {
				d += s
			}
		}
		return d
	}
	tooDeep := func() (Problem, bool) {
		return Problem{Line: line, Allowed: fmt.Sprintf("key paths at most %d deep (tables, dotted keys, inline tables and arrays together); this one is deeper", MaxTOMLDepth)}, false
	}
	tooMany := func() (Problem, bool) {
		return Problem{Line: line, Allowed: fmt.Sprintf("at most %d keys and tables in one file", MaxTOMLKeys)}, false
	}
	// skipString skips the string starting at i and returns the index after it.
	skipString := func(i int) int {
		q := src[i]
		if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
			for j := i + 3; j < len(src); j++ {
				switch {
				case src[j] == '\n':
					line++
				case src[j] == '\\' && q == '"':
					if j+1 < len(src) && src[j+1] == '\n' {
						line++
					}
					j++
				case src[j] == q && j+2 < len(src) && src[j+1] == q && src[j+2] == q:
					j += 3
					for j < len(src) && src[j] == q {
						j++
					}
					return j
				}
			}
			return len(src)
		}
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				if q == '"' {
					j++
				}
			case q:
				return j + 1
			case '\n':
				return j
			}
		}
		return len(src)
	}
	inlineTable := func() bool { return len(stack) > 0 && stack[len(stack)-1] < 0 }
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			if len(stack) == 0 {
				atLine, inKey, parts = true, true, 0
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		if atLine && c == '[' {
			// A table header: [a.b] or [[a.b]].
			atLine = false
			i++
			if i < len(src) && src[i] == '[' {
				i++
			}
			header = 1
			for i < len(src) && src[i] != ']' && src[i] != '\n' {
				switch src[i] {
				case '"', '\'':
					i = skipString(i)
					continue
				case '.':
					header++
					if header > MaxTOMLDepth {
						return tooDeep()
					}
				}
				i++
			}
			if keys++; keys > MaxTOMLKeys {
				return tooMany()
			}
			inKey = false // the rest of the line holds nothing that counts
			for i < len(src) && src[i] != '\n' && src[i] != '#' {
				i++
			}
			continue
		}
		atLine = false
		if inKey {
			switch {
			case c == '"' || c == '\'':
				if parts == 0 {
					parts = 1
				}
				i = skipString(i)
			case c == '.':
				parts++
				if depthOf() > MaxTOMLDepth {
					return tooDeep()
				}
				i++
			case c == '=':
				if parts == 0 {
					parts = 1
				}
				if depthOf() > MaxTOMLDepth {
					return tooDeep()
				}
				if keys++; keys > MaxTOMLKeys {
					return tooMany()
				}
				inKey = false
				i++
			case c == '}' && inlineTable():
				stack = stack[:len(stack)-1]
				inKey = false
				i++
			default:
				if parts == 0 {
					parts = 1
				}
				i++
			}
			continue
		}
		switch c {
		case '"', '\'':
			i = skipString(i)
			continue
		case '[':
			stack = append(stack, 1)
		case '{':
			stack = append(stack, -parts)
			parts, inKey = 0, true
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if inlineTable() {
				parts, inKey = 0, true
			}
		}
		if depthOf() > MaxTOMLDepth {
			return tooDeep()
		}
		i++
	}
	return Problem{}, true
}

// textProblem says what is wrong with free text s, or "" if nothing is:
// control characters (but for tab and newline in multi-line text) could
// rewrite a terminal's screen or title, and bidirectional overrides could
// show a reader other words than the file holds; bytes that are not UTF-8
// are refused too (a table read as CSV is not checked otherwise, and a
// byte such as 0x88 written into a policy file reads back as a control
// character).
func textProblem(s string, multiline bool) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Sprintf("text in UTF-8 (byte %d is %#x, which UTF-8 does not allow there)", i+1, s[i])
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r):
			if multiline {
				return fmt.Sprintf("text without control characters (it holds %U); tab and newline are allowed", r)
			}
			return fmt.Sprintf("text on one line without control characters (it holds %U)", r)
		case isBidiControl(r):
			return fmt.Sprintf("text without bidirectional formatting characters (it holds %U), which can show a reader other words than the file holds", r)
		}
	}
	return ""
}

// Unprintable reports whether r, shown on a terminal, could do more than
// show itself: a control character other than tab and newline, or a
// bidirectional formatting character.
func Unprintable(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || isBidiControl(r))
}

// isBidiControl reports whether r is an invisible character that changes
// the direction of the text around it.
func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// checkLimits adds the problems with a case's free text and with dates
// outside the range the engine plans with.
func (cr *caseReader) checkLimits(c sim.Case, asOf sim.Date) {
	if c.Schedule3 != nil {
		if p := textProblem(c.Schedule3.Reason, true); p != "" {
			cr.bad(keyPath("schedule3", "reason"), c.Schedule3.Reason, p)
		}
	}
	// The as-of date is checked by the command that gives it; the review
	// date is checked here, as a date of the file.
	for _, dp := range sim.CaseDateProblems(c, sim.Date{}) {
		cr.add(toml.Key(strings.Split(dp.Field, ".")), dp.Date.String(), dp.Allowed)
	}
	if !asOf.IsZero() && asOf != c.ReviewDate && !sim.InRange(asOf, sim.CoverFrom) {
		cr.probs = append(cr.probs, Problem{File: cr.file, Key: "as-of", Value: asOf.String(), Allowed: sim.DateRange(sim.CoverFrom)})
	}
}

// cohortDateProblems gives the dates of a cohort row outside the range the
// engine plans with, by column.
func cohortDateProblems(c sim.Case) []fieldProblem {
	var ps []fieldProblem
	for _, dp := range sim.CaseDateProblems(c, sim.Date{}) {
		column := dp.Field[strings.LastIndex(dp.Field, ".")+1:]
		ps = append(ps, fieldProblem{column, dp.Date.String(), dp.Allowed})
	}
	return ps
}

// IsInputProblem reports whether err is bad input: Problems, a case with
// dates the engine cannot plan with, or input too large to work on exactly.
func IsInputProblem(err error) bool {
	var ps Problems
	var de *sim.DatesError
	var be sim.BoundsError
	return errors.As(err, &ps) || errors.As(err, &de) || errors.As(err, &be)
}
