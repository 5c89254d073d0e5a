package main

import (
	"flag"
	"io"
	"slices"
	"strings"

	"pathway/reports"
	"pathway/sim"
)

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	audience := fs.String("audience", "", "who reads it: adviser (the review pack) or young-person (My possible futures)")
	lang := fs.String("lang", "en", "language of the young person's page: "+strings.Join(reports.Languages(), ", "))
	previous := fs.String("previous", "", "the case file of the last review, for \"changed since the last review\" (adviser)")
	format := fs.String("format", "html", "output format: html, or md for the adviser's pack")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "the date the plan is seen from, YYYY-MM-DD (default: the case's review_date)")
	policy := fs.String("policy", "", "a policy TOML file overriding the embedded values")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	const use = "usage: pathway report CASE.toml --audience adviser|young-person [--lang CODE] [--previous OLD.toml] [--format html|md] [--as-of DATE] [--policy FILE] [-o FILE]"
	if len(pos) != 1 {
		return badUsage("report takes one case file, got %d\n%s", len(pos), use)
	}
	switch {
	case *audience != "adviser" && *audience != "young-person":
		return badUsage("--audience %q: allowed are adviser and young-person\n%s", *audience, use)
	case *format != "html" && *format != "md":
		return badUsage("--format %q: allowed are html and md", *format)
	case *audience == "young-person" && *format != "html":
		return badUsage("--format %s: the young person's page is HTML only", *format)
	case *audience == "young-person" && *previous != "":
		return badUsage("--previous is for the adviser's review pack")
	case *audience == "young-person" && !slices.Contains(reports.Languages(), *lang):
		return badUsage("--lang %q: allowed are %s", *lang, strings.Join(reports.Languages(), ", "))
	}
	p, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	c, plan, err := planFile(pos[0], asOf.d, p)
	if err != nil {
		return err
	}
	var prev *reports.ReviewPrevious
	if *previous != "" {
		// The last review is planned as it was seen then, at its own review date.
		old, oldPlan, err := planFile(*previous, sim.Date{}, p)
		if err != nil {
			return err
		}
		prev = &reports.ReviewPrevious{Case: old, Plan: oldPlan}
	}
	return writeOutput(*out, stdout, func(w io.Writer) error {
		switch {
		case *audience == "young-person":
			return reports.WriteYoungPersonFor(w, plan, reports.YoungOptionsFor(c, *lang))
		case *format == "md":
			return reports.WriteReviewPackMarkdown(w, c, plan, prev)
		}
		return reports.WriteReviewPack(w, c, plan, prev)
	})
}
