package main

import (
	"flag"
	"io"
	"os"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

func runPlan(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "the date the plan is seen from, YYYY-MM-DD (default: the case's review_date)")
	policy := fs.String("policy", "", "a policy TOML file overriding the embedded values")
	format := fs.String("format", "text", "output format: text, json, md or html (md and html are the adviser's review pack)")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("plan takes one case file, got %d\nusage: pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json|md|html] [-o FILE]", len(pos))
	}
	if !strings.Contains(" text json md html ", " "+*format+" ") {
		return badUsage("--format %q: allowed are text, json, md and html", *format)
	}
	p, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	c, plan, err := planFile(pos[0], asOf.d, p)
	if err != nil {
		return err
	}
	return writeOutput(*out, stdout, func(w io.Writer) error { return writePlan(w, *format, c, plan) })
}

// planFile reads a case file, checked against policy p, and plans it as
// seen from asOf (the case's review date when asOf is zero).
func planFile(file string, asOf sim.Date, p *sim.Policy) (sim.Case, *sim.Plan, error) {
	f, err := os.Open(file)
	if err != nil {
		return sim.Case{}, nil, err
	}
	defer f.Close()
	c, err := scenarios.ReadCase(f, file, asOf, p)
	if err != nil {
		return sim.Case{}, nil, err
	}
	if asOf.IsZero() {
		asOf = c.ReviewDate
	}
	plan, err := sim.NewPlan(c, p, asOf)
	return c, plan, err
}

func writePlan(w io.Writer, format string, c sim.Case, plan *sim.Plan) error {
	switch format {
	case "json":
		return reports.WritePlanJSON(w, plan)
	case "md":
		return reports.WriteReviewPackMarkdown(w, c, plan, nil)
	case "html":
		return reports.WriteReviewPack(w, c, plan, nil)
	}
	return reports.WritePlanText(w, c, plan)
}
