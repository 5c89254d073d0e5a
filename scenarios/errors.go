// Package scenarios reads pathway's input files — case files, cohort files
// and policy parameters — into sim values, and validates them. Every problem
// is reported at once, each with its file, line or row, key, value and what
// is allowed.
package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with an input file.
type Problem struct {
	File    string // file name as the user gave it
	Line    int    // 1-based line (TOML) or row (CSV, counting the header as row 1); 0 if unknown
	Key     string // key path (TOML) or column (CSV)
	Value   string // the value found, as written; empty if the key is missing
	Allowed string // what is allowed, in words
}

func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Key != "" {
		fmt.Fprintf(&b, ": %s", p.Key)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, ": %q", p.Value)
	}
	fmt.Fprintf(&b, ": %s", p.Allowed)
	return b.String()
}

// Problems is every problem found in one or more files. It is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// sorted orders problems by file, line and key, so messages are stable.
func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
	return ps
}

// orNil returns nil for no problems, so callers can return it as an error.
func (ps Problems) orNil() error {
	if len(ps) == 0 {
		return nil
	}
	return ps.sorted()
}
