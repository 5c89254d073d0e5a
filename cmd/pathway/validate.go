package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

// policyMarker tells a policy or scenario file from a case file: only they
// have [[value]], [[prior]], [arrivals] or [[uplift]] tables.
var policyMarker = regexp.MustCompile(`(?m)^\s*(\[\[\s*(value|prior|uplift)\s*\]\]|\[\s*arrivals\s*[.\]])`)

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "check case files as of this date, YYYY-MM-DD (default: each file's review_date), and cohort files as a forecast from it would (default: its default start)")
	files, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return badUsage("validate takes one or more files\nusage: pathway validate [--as-of DATE] FILE...")
	}
	var all scenarios.Problems
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			all = append(all, scenarios.Problem{File: file, Allowed: "cannot be read: " + unwrapPath(err)})
			continue
		}
		switch {
		case strings.HasSuffix(strings.ToLower(file), ".csv"):
			// The forecast's own check, from the forecast's start.
			start := asOf.d
			if start.IsZero() {
				start = scenarios.DefaultStart(time.Now())
			}
			var cohort []sim.Case
			if cohort, err = scenarios.ReadCohort(bytes.NewReader(data), file, start); err == nil {
				for _, n := range reports.CohortNotes(sim.CountCohort(cohort, start, sim.Date{}), start) {
					fmt.Fprintf(stdout, "%s: %s\n", file, n)
				}
			}
		case policyMarker.Match(data):
			_, err = scenarios.LoadScenario(scenarios.DefaultPolicy(), bytes.NewReader(data), file)
		default:
			_, err = scenarios.ParseCase(bytes.NewReader(data), file, asOf.d)
		}
		var ps scenarios.Problems
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "%s: ok\n", file)
		case errors.As(err, &ps):
			all = append(all, ps...)
		default:
			all = append(all, scenarios.Problem{File: file, Allowed: err.Error()})
		}
	}
	if len(all) > 0 {
		return all
	}
	return nil
}

func unwrapPath(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
