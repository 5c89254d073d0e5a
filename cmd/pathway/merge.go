package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

// merge adds up the parts of a sharded forecast and writes what the whole
// run would have written.
func (c *cli) merge(args []string) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	format := fs.String("format", "csv", "output format: csv, json, xlsx or html")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	mib := fs.Int64("max-part-mib", scenarios.DefaultMaxCohortBytes>>20*4, "largest part to read, in MiB")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return badUsage("merge takes the parts of a sharded forecast, got none\n%s", usageOf("merge"))
	case !validFormat(*format):
		return badUsage("--format %q: allowed are csv, json, xlsx and html", *format)
	case *format == "xlsx" && *out == "":
		return badUsage("--format xlsx needs -o FILE: a workbook is not written to a terminal")
	case *mib < 1:
		return badUsage("--max-part-mib %d: allowed is 1 or more", *mib)
	}
	files := make([]*partFile, len(pos))
	shards := make([]sim.Shard, len(pos))
	for i, name := range pos {
		data, err := c.readInput(name, *mib<<20)
		if err != nil {
			return err
		}
		if files[i], shards[i], err = readPart(data, name); err != nil {
			return err
		}
	}
	first := files[0]
	if err := checkPartSizes(first, pos[0]); err != nil {
		return err
	}
	for i, f := range files[1:] {
		if why := sameRun(first, f); why != nil {
			return badUsage("%s: %s, but %s has %s: the parts are not from one run", pos[i+1], why(f), pos[0], why(first))
		}
	}
	runs, err := first.Settings.setups()
	if err != nil {
		return badUsage("%s: %v", pos[0], err)
	}
	var fcs []*sim.Forecast
	opts := sim.ForecastOptions{From: first.Settings.From, Years: first.Settings.Years, Draws: first.Settings.Draws, Seed: first.Settings.Seed}
	for ri, r := range runs {
		if len(first.Runs) != len(runs) {
			return badUsage("%s: %d runs, but its settings give %d", pos[0], len(first.Runs), len(runs))
		}
		if got := r.Policy.Fingerprint(); got != first.Runs[ri].PolicySHA256 {
			return badUsage("%s: the %s policy's fingerprint is %s, but this pathway makes %s from the part's settings: merge with the pathway that wrote the parts",
				pos[0], first.Runs[ri].Name, first.Runs[ri].PolicySHA256, got)
		}
		parts := make([]*sim.ForecastPart, len(files))
		for i, f := range files {
			if len(f.Runs) != len(runs) {
				return badUsage("%s: %d runs, want %d", pos[i], len(f.Runs), len(runs))
			}
			if parts[i], err = f.Runs[ri].forecastPart(r.Policy, shards[i]); err != nil {
				return badUsage("%s: %v", pos[i], err)
			}
		}
		o := opts
		o.Arrivals = r.Arrivals
		f, err := sim.MergeForecast(r.Policy, o, parts, pos)
		var me *sim.MergeError
		if errors.As(err, &me) {
			return usageError{err}
		}
		if err != nil {
			return err
		}
		fcs = append(fcs, f)
	}
	in := reports.ForecastInput{File: first.Cohort.File, SHA256: first.Cohort.SHA256}
	return c.writeForecastResult(*out, *format, runs, fcs, in)
}

// checkPartSizes checks a part's draws and years against the forecast's
// bounds, and that each run's per-draw totals have one value for each draw,
// year and category, before the merge makes room for the sums: a part's
// settings alone must not make it ask for more memory than its file holds.
// (Every part is then checked against the first by sameRun, and every
// array's length by sim.MergeForecast.)
func checkPartSizes(p *partFile, name string) error {
	set := p.Settings
	switch {
	case set.Draws < 1 || set.Draws > sim.MaxDraws:
		return badUsage("%s: draws %d: allowed is 1 to %d", name, set.Draws, sim.MaxDraws)
	case set.Years < 1 || set.Years > sim.MaxYears:
		return badUsage("%s: years %d: allowed is 1 to %d", name, set.Years, sim.MaxYears)
	}
	want := set.Draws * set.Years * len(sim.Categories)
	for _, r := range p.Runs {
		if len(r.Sums.Totals) != want {
			return badUsage("%s: run %q: totals has %d values, want %d for %d draws and %d years", name, r.Name, len(r.Sums.Totals), want, set.Draws, set.Years)
		}
	}
	return nil
}

func validFormat(f string) bool {
	switch f {
	case "csv", "json", "xlsx", "html":
		return true
	}
	return false
}

// sameRun compares the settings and inputs of two parts. It returns "" when
// they are of one run, else a function that says what one part has.
func sameRun(a, b *partFile) func(*partFile) string {
	src := func(s *partSource) string {
		switch {
		case s == nil:
			return "none"
		case s.BuiltIn:
			return "the built-in " + s.Arg
		}
		sum := sha256.Sum256([]byte(s.Text))
		return fmt.Sprintf("%s (SHA-256 %s)", s.Arg, hex.EncodeToString(sum[:]))
	}
	checks := []struct {
		what string
		of   func(*partFile) string
	}{
		{"cohort", func(p *partFile) string { return p.Cohort.File + " (SHA-256 " + p.Cohort.SHA256 + ")" }},
		{"shards", func(p *partFile) string { s, _ := parseShard(p.Shard); return fmt.Sprint(s.N) }},
		{"seed", func(p *partFile) string { return fmt.Sprint(p.Settings.Seed) }},
		{"draws", func(p *partFile) string { return fmt.Sprint(p.Settings.Draws) }},
		{"years", func(p *partFile) string { return fmt.Sprint(p.Settings.Years) }},
		{"from", func(p *partFile) string { return p.Settings.From.String() }},
		{"arrivals", func(p *partFile) string { return fmt.Sprintf("%q", p.Settings.Arrivals) }},
		{"policy", func(p *partFile) string { return src(p.Settings.Policy) }},
		{"compare", func(p *partFile) string { return src(p.Settings.Compare) }},
	}
	for _, ch := range checks {
		if ch.of(a) != ch.of(b) {
			return func(p *partFile) string { return ch.what + " " + ch.of(p) }
		}
	}
	if len(a.Runs) == len(b.Runs) {
		for i := range a.Runs {
			if a.Runs[i].PolicySHA256 != b.Runs[i].PolicySHA256 {
				return func(p *partFile) string { return "policy fingerprint " + p.Runs[i].PolicySHA256 }
			}
		}
	}
	return nil
}
