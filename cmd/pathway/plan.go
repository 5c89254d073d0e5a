package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

func (c *cli) plan(args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "the date the plan is seen from, YYYY-MM-DD (default: the case's review_date)")
	policy := fs.String("policy", "", "a policy TOML file overriding the embedded values")
	format := fs.String("format", "text", "output format: text, json, md or html (md and html are the adviser's review pack)")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("plan takes one case file, got %d\n%s", len(pos), usageOf("plan"))
	}
	if !strings.Contains(" text json md html ", " "+*format+" ") {
		return badUsage("--format %q: allowed are text, json, md and html", *format)
	}
	p, err := c.loadPolicy(*policy)
	if err != nil {
		return err
	}
	cs, plan, err := c.planFile(pos[0], asOf.d, p)
	if err != nil {
		return err
	}
	return c.writeOutput(*out, func(w io.Writer) error { return writePlan(w, *format, cs, plan) })
}

// planFile reads a case file, checked against policy p, and plans it as
// seen from asOf (the case's review date when asOf is zero).
func (c *cli) planFile(file string, asOf sim.Date, p *sim.Policy) (sim.Case, *sim.Plan, error) {
	data, err := c.readInput(file, scenarios.MaxTOMLBytes)
	if err != nil {
		return sim.Case{}, nil, err
	}
	cs, err := scenarios.ReadCase(bytes.NewReader(data), file, asOf, p)
	if err != nil {
		return sim.Case{}, nil, err
	}
	if asOf.IsZero() {
		asOf = cs.ReviewDate
	}
	plan, err := sim.NewPlan(cs, p, asOf)
	if err != nil {
		return sim.Case{}, nil, fmt.Errorf("%s: %w", file, err)
	}
	return cs, plan, nil
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
