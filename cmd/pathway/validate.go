package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"time"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

// policyMarker tells a policy or scenario file from a case file: only they
// have [[value]], [[prior]], [[region]], [[pause]], [arrivals] or
// [[uplift]] tables.
var policyMarker = regexp.MustCompile(`(?m)^\s*(\[\[\s*(value|prior|region|pause|uplift)\s*\]\]|\[\s*arrivals\s*[.\]])`)

// validate checks each file and lists every problem (at most
// maxProblemsShown a file, with a count of the rest).
func (c *cli) validate(args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "check case files as of this date, YYYY-MM-DD (default: each file's review_date), and cohort files as a forecast from it would (default: its default start)")
	limit := cohortLimit(fs)
	files, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return badUsage("validate takes one or more files\n%s", usageOf("validate"))
	}
	stdout := &trackWriter{w: c.stdout}
	var all scenarios.Problems
	for _, file := range files {
		isCohort := strings.HasSuffix(strings.ToLower(file), ".csv")
		max := int64(scenarios.MaxTOMLBytes)
		if isCohort {
			max = limit()
		}
		data, err := c.readInput(file, max)
		var ps scenarios.Problems
		switch {
		case errors.As(err, &ps):
		case err != nil:
			all = append(all, scenarios.Problem{File: file, Allowed: "cannot be read: " + strings.TrimPrefix(err.Error(), "cannot read "+file+": ")})
			continue
		case isCohort:
			// The forecast's own check, from the forecast's start.
			start := asOf.d
			if start.IsZero() {
				start = scenarios.DefaultStart(time.Now())
			}
			var cohort []sim.Case
			if cohort, err = scenarios.ReadCohort(bytes.NewReader(data), file, start); err == nil {
				for _, n := range reports.CohortNotes(sim.CountCohort(cohort, start, sim.Date{}), start) {
					fmt.Fprintf(stdout, "%s: %s\n", terminalSafe(file), n)
				}
			}
		case policyMarker.Match(data):
			_, err = scenarios.LoadScenario(scenarios.DefaultPolicy(), bytes.NewReader(data), file)
		default:
			_, err = scenarios.ParseCase(bytes.NewReader(data), file, asOf.d)
		}
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "%s: ok\n", terminalSafe(file))
		case errors.As(err, &ps):
			all = append(all, ps...)
		default:
			all = append(all, scenarios.Problem{File: file, Allowed: err.Error()})
		}
	}
	if stdout.err != nil {
		return ioError{fmt.Errorf("cannot write to standard output: %w", unwrapPathError(stdout.err))}
	}
	if len(all) > 0 {
		return all
	}
	return nil
}
