package main

import (
	"flag"
	"io"
	"slices"
	"strings"

	"pathway/reports"
	"pathway/sim"
)

func (c *cli) report(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	audience := fs.String("audience", "", "who reads it: adviser (the review pack) or young-person (My possible futures)")
	lang := fs.String("lang", "en", "language of the young person's page: "+strings.Join(reports.Languages(), ", "))
	previous := fs.String("previous", "", "the case file of the same young person at the last review, for \"changed since the last review\" (adviser)")
	format := fs.String("format", "html", "output format: html, or md for the adviser's pack")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "the date the plan is seen from, YYYY-MM-DD (default: the case's review_date)")
	policy := fs.String("policy", "", "a policy TOML file overriding the embedded values")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	use := usageOf("report")
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
	p, err := c.loadPolicy(*policy)
	if err != nil {
		return err
	}
	cs, plan, err := c.planFile(pos[0], asOf.d, p)
	if err != nil {
		return err
	}
	var prev *reports.ReviewPrevious
	if *previous != "" {
		// The last review is planned as it was seen then, at its own review date.
		old, oldPlan, err := c.planFile(*previous, sim.Date{}, p)
		if err != nil {
			return err
		}
		if err := samePersonEarlier(*previous, old, oldPlan, cs, plan); err != nil {
			return err
		}
		prev = &reports.ReviewPrevious{Case: old, Plan: oldPlan}
	}
	return c.writeOutput(*out, func(w io.Writer) error {
		switch {
		case *audience == "young-person":
			return reports.WriteYoungPersonFor(w, plan, reports.YoungOptionsFor(cs, *lang))
		case *format == "md":
			return reports.WriteReviewPackMarkdown(w, cs, plan, prev)
		}
		return reports.WriteReviewPack(w, cs, plan, prev)
	})
}

// samePersonEarlier refuses a --previous file that is another young
// person's, whose record would then show in this one's pack, or that is
// not from an earlier review.
func samePersonEarlier(file string, old sim.Case, oldPlan *sim.Plan, now sim.Case, plan *sim.Plan) error {
	if old.ID != now.ID {
		return badUsage("--previous %s: id %q is not this case's id %q: give the file of the same young person at their last review", file, old.ID, now.ID)
	}
	if !oldPlan.AsOf.Before(plan.AsOf) {
		return badUsage("--previous %s: its review_date %s is not before this review's date %s: give the file of an earlier review", file, oldPlan.AsOf, plan.AsOf)
	}
	return nil
}
