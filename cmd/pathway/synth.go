package main

import (
	"flag"
	"io"
	"time"

	"pathway/scenarios"
)

// maxSynth bounds --n: a cohort is built in memory before it is written.
const maxSynth = 10_000_000

// synth writes a synthetic cohort file: N young people with a realistic
// mix of nationalities, ages, statuses and placements, the same for the
// same seed and as-of date.
func (c *cli) synth(args []string) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	n := fs.Int("n", 0, "how many young people (required)")
	seed := fs.Uint64("seed", 1, "the random seed: the same seed gives the same cohort")
	asOf := dateFlag{scenarios.DefaultStart(time.Now())}
	fs.Var(&asOf, "as-of", "the date the cohort is seen from, YYYY-MM-DD (default: 1 April of the current financial year, the forecast's default start)")
	out := fs.String("o", "", "write the cohort to this file (atomically) instead of stdout")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badUsage("synth takes no arguments, got %q\n%s", pos, usageOf("synth"))
	}
	if *n < 1 || *n > maxSynth {
		return badUsage("--n %d: give how many young people, from 1 to %d\n%s", *n, maxSynth, usageOf("synth"))
	}
	cs := scenarios.Synth(*n, *seed, asOf.d)
	return c.writeOutput(*out, func(w io.Writer) error { return scenarios.WriteCohort(w, cs) })
}
