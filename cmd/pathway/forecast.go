package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

func (c *cli) forecast(args []string) error {
	fs := flag.NewFlagSet("forecast", flag.ContinueOnError)
	draws := fs.Int("draws", 1000, fmt.Sprintf("sampled futures per young person, 1 to %d", sim.MaxDraws))
	seed := fs.Uint64("seed", 1, "random seed; the same seed and inputs give the same output")
	var from dateFlag
	fs.Var(&from, "from", "first day of the forecast, YYYY-MM-DD (default: 1 April of the current financial year)")
	years := fs.Int("years", 6, fmt.Sprintf("financial years to forecast (the coming year and the five after it), 1 to %d", sim.MaxYears))
	workers := fs.Int("workers", 0, fmt.Sprintf("parallel workers, 1 to %d (default: all cores); never changes the output", sim.MaxWorkers))
	policy := fs.String("policy", "", "a policy or scenario TOML file laid over the embedded values, or a built-in scenario's name")
	arrivals := fs.String("arrivals", "", "young people arriving each financial year (default: none, or the --policy scenario's)")
	compare := fs.String("compare", "", "a scenario to run beside the base on the same draws: a built-in name (such as arrivals+20) or a file")
	format := fs.String("format", "csv", "output format: csv, json, xlsx or html")
	var shard shardFlag
	fs.Var(&shard, "shard", "compute only shard K of N (K/N) and write its sums for pathway merge")
	out := fs.String("o", "", "write to this file (atomically) instead of stdout")
	limit := cohortLimit(fs)
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("forecast takes one cohort file, got %d\n%s", len(pos), usageOf("forecast"))
	}
	switch {
	case *draws < 1 || *draws > sim.MaxDraws:
		return badUsage("--draws %d: allowed is 1 to %d", *draws, sim.MaxDraws)
	case *years < 1 || *years > sim.MaxYears:
		return badUsage("--years %d: allowed is 1 to %d", *years, sim.MaxYears)
	case *workers < 0 || *workers > sim.MaxWorkers:
		return badUsage("--workers %d: allowed is 0 (all cores) to %d", *workers, sim.MaxWorkers)
	}
	if !strings.Contains(" csv json xlsx html ", " "+*format+" ") {
		return badUsage("--format %q: allowed are csv, json, xlsx and html", *format)
	}
	if !shard.s.IsZero() && flagGiven(fs, "format") {
		return badUsage("--shard writes a part for pathway merge, which takes --format: give --format to merge")
	}
	if *format == "xlsx" && *out == "" {
		return badUsage("--format xlsx needs -o FILE: a workbook is not written to a terminal")
	}
	start := from.d
	if start.IsZero() {
		start = scenarios.DefaultStart(time.Now())
	}
	set := partSettings{From: start, Years: *years, Draws: *draws, Seed: *seed, Arrivals: *arrivals}
	if set.Policy, err = c.scenarioSource(*policy); err != nil {
		return err
	}
	if set.Compare, err = c.scenarioSource(*compare); err != nil {
		return err
	}
	runs, err := set.setups()
	if err != nil {
		return err
	}
	data, err := c.readInput(pos[0], limit())
	if err != nil {
		return err
	}
	cohort, err := scenarios.ReadCohort(bytes.NewReader(data), pos[0], start)
	if err != nil {
		return err
	}
	// Every input is read: an -o that writing would refuse is refused
	// now, not after the run.
	if err := c.checkOutput(*out); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	in := reports.ForecastInput{File: filepath.Base(pos[0]), SHA256: hex.EncodeToString(sum[:])}
	opts := sim.ForecastOptions{From: start, Years: *years, Draws: *draws, Seed: *seed, Workers: *workers, Shard: shard.s}
	if err := checkMemory(opts, len(runs)*len(cohort), c.stderr); err != nil {
		return err
	}
	if !shard.s.IsZero() {
		part := partFile{Format: partFormat, Shard: shard.s.String(), Cohort: partCohort{File: in.File, SHA256: in.SHA256}, Settings: set}
		for _, r := range runs {
			o := opts
			o.Arrivals = r.Arrivals
			pt, err := sim.RunForecastPart(cohort, r.Policy, o)
			if err != nil {
				return fmt.Errorf("%s: %w", pos[0], err)
			}
			part.Runs = append(part.Runs, newPartRun(r, pt))
		}
		return c.writeOutput(*out, func(w io.Writer) error { return writePart(w, &part) })
	}
	var fcs []*sim.Forecast
	for _, r := range runs {
		o := opts
		o.Arrivals = r.Arrivals
		f, err := forecastWithProgress(cohort, r.Policy, o, c.stderr)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		fcs = append(fcs, f)
	}
	return c.writeForecastResult(*out, *format, runs, fcs, in)
}

// writeForecastResult writes a forecast, or a base and a scenario side by
// side, with notes on what each assumed to stderr.
func (c *cli) writeForecastResult(out, format string, runs []*scenarios.Setup, fcs []*sim.Forecast, in reports.ForecastInput) error {
	in.Policy, in.Uplifts = runs[0].Policy, runs[0].Uplifts
	if len(fcs) == 1 {
		reports.WriteForecastNotes(c.stderr, fcs[0], "")
		return c.writeOutput(out, func(w io.Writer) error { return writeForecast(w, format, fcs[0], in) })
	}
	s := runs[1]
	reports.WriteForecastNotes(c.stderr, fcs[0], "base")
	reports.WriteForecastNotes(c.stderr, fcs[1], s.Name)
	cmp := &reports.Comparison{Name: s.Name, Base: fcs[0], BaseIn: in, Scenario: fcs[1],
		ScenarioIn: reports.ForecastInput{File: in.File, SHA256: in.SHA256, Policy: s.Policy, Uplifts: s.Uplifts}}
	return c.writeOutput(out, func(w io.Writer) error { return writeComparison(w, format, cmp) })
}

// scenarioSource reads a --policy or --compare argument: a built-in
// scenario's name, or a file, whose text a part keeps; nil for "".
func (c *cli) scenarioSource(arg string) (*partSource, error) {
	if arg == "" {
		return nil, nil
	}
	if _, ok := scenarios.NamedPolicy(arg); ok && !strings.ContainsRune(arg, os.PathSeparator) && !fileExists(arg) {
		return &partSource{Arg: arg, BuiltIn: true}, nil
	}
	src, err := c.readInput(arg, scenarios.MaxTOMLBytes)
	if err != nil {
		return nil, err
	}
	return &partSource{Arg: arg, Text: string(src)}, nil
}

// load reads the scenario over base.
func (src *partSource) load(base *sim.Policy) (*scenarios.Scenario, error) {
	if src == nil {
		return nil, nil
	}
	text, name := []byte(src.Text), src.Arg
	if src.BuiltIn {
		b, ok := scenarios.NamedPolicy(src.Arg)
		if !ok {
			return nil, badUsage("no built-in scenario %q", src.Arg)
		}
		text, name = b, src.Arg+" (built in)"
	}
	sc, err := scenarios.LoadScenario(base, bytes.NewReader(text), name)
	if err != nil {
		return nil, usageError{err}
	}
	return sc, nil
}

// setups works out the base run, and the scenario's with --compare, from
// the settings: the same for a forecast, its shards and their merge.
func (set *partSettings) setups() ([]*scenarios.Setup, error) {
	var perYear *decimal.Decimal
	if set.Arrivals != "" {
		n, err := decimal.NewFromString(set.Arrivals)
		if err != nil || n.IsNegative() || n.GreaterThan(decimal.NewFromInt(sim.MaxArrivalsPerYear)) {
			return nil, badUsage("--arrivals %q: allowed is a number of young people a year from 0 to %d", set.Arrivals, sim.MaxArrivalsPerYear)
		}
		perYear = &n
	}
	sc, err := set.Policy.load(scenarios.DefaultPolicy())
	if err != nil {
		return nil, err
	}
	p := scenarios.DefaultPolicy()
	if sc != nil {
		p = sc.Policy
	}
	base, err := scenarios.NewSetup(p, sc, perYear, set.From, set.Years)
	if err != nil {
		return nil, err
	}
	if set.Compare == nil {
		return []*scenarios.Setup{base}, nil
	}
	// The scenario is laid over the base as it ran, and runs on the same
	// seed and draws.
	other, err := set.Compare.load(base.Policy)
	if err != nil {
		return nil, err
	}
	s, err := other.Over(base, set.From, set.Years)
	if err != nil {
		return nil, err
	}
	return []*scenarios.Setup{base, s}, nil
}

// flagGiven reports whether a flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// fileExists reports whether a file of that name exists.
func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

func writeComparison(w io.Writer, format string, c *reports.Comparison) error {
	switch format {
	case "json":
		return reports.WriteComparisonJSON(w, c)
	case "xlsx":
		return reports.WriteComparisonXLSX(w, c)
	case "html":
		return reports.WriteComparisonDashboard(w, c)
	}
	return reports.WriteComparisonCSV(w, c)
}

func writeForecast(w io.Writer, format string, f *sim.Forecast, in reports.ForecastInput) error {
	switch format {
	case "json":
		return reports.WriteForecastJSON(w, f, in)
	case "xlsx":
		return reports.WriteForecastXLSX(w, f, in)
	case "html":
		return reports.WriteFinanceDashboard(w, f, in)
	}
	return reports.WriteForecastCSV(w, f)
}

// forecastWithProgress runs the forecast, drawing a progress bar on stderr
// when it is a terminal and the run lasts over a second.
func forecastWithProgress(cohort []sim.Case, p *sim.Policy, opts sim.ForecastOptions, stderr io.Writer) (*sim.Forecast, error) {
	if !isTerminal(stderr) {
		return sim.RunForecast(cohort, p, opts)
	}
	var done atomic.Int64
	opts.Done = &done
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		began := time.Now()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		drawn := false
		for {
			select {
			case <-stop:
				if drawn {
					fmt.Fprintf(stderr, "\r%s\n", bar(len(cohort), len(cohort)))
				}
				return
			case <-tick.C:
				if time.Since(began) > time.Second {
					fmt.Fprintf(stderr, "\r%s", bar(int(done.Load()), len(cohort)))
					drawn = true
				}
			}
		}
	}()
	f, err := sim.RunForecast(cohort, p, opts)
	close(stop)
	<-finished
	return f, err
}

func bar(done, total int) string {
	const width = 30
	n := 0
	if total > 0 {
		n = done * width / total
	}
	return fmt.Sprintf("forecast [%s%s] %d/%d young people", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
