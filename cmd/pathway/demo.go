package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

// demoMarker is the file demo leaves in its folder, so that it knows a
// folder it may write over again.
const demoMarker = ".pathway-demo"

func (c *cli) demo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := fs.String("o", "pathway-demo", "directory to write the outputs to")
	force := fs.Bool("force", false, "write into a folder that is not empty and was not written by demo, replacing files of the same names")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badUsage("demo takes no arguments, got %q\n%s", pos, usageOf("demo"))
	}
	if err := demoFolder(*dir, *force); err != nil {
		return err
	}
	outputs, summary, err := demoOutputs()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return badUsage("cannot make the folder %s: %v", *dir, unwrapPathError(err))
	}
	outputs[demoMarker] = []byte("Written by pathway demo. pathway demo writes into this folder again without --force.\n")
	for _, name := range sortedNames(outputs) {
		data := outputs[name]
		if err := writeFile(filepath.Join(*dir, name), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
	}
	stdout := &trackWriter{w: c.stdout}
	fmt.Fprint(stdout, summary)
	fmt.Fprintf(stdout, "wrote %s to %s; to read:\n", plural(len(outputs)-1, "file"), *dir)
	for _, name := range sortedNames(outputs) {
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".xlsx") {
			fmt.Fprintf(stdout, "  %s\n", filepath.Join(*dir, name))
		}
	}
	if stdout.err != nil {
		return ioError{fmt.Errorf("cannot write to standard output: %w", unwrapPathError(stdout.err))}
	}
	return nil
}

// demoFolder refuses a folder that holds files demo did not write, unless
// force is set: demo would replace a cohort.csv or forecast.csv of the user's.
func demoFolder(dir string, force bool) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return badUsage("cannot write to %s: %v", dir, unwrapPathError(err))
	case !st.IsDir():
		return badUsage("-o %s is not a folder: give a new or empty folder for the demo's files", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return badUsage("cannot read %s: %v", dir, unwrapPathError(err))
	}
	if len(entries) == 0 || force {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, demoMarker)); err == nil {
		return nil
	}
	return badUsage("-o %s is not empty and was not written by pathway demo: give a new or empty folder, or --force to write into it, replacing files of the same names", dir)
}

// demoOutputs builds every demo output in memory, so a failure writes nothing.
func demoOutputs() (map[string][]byte, string, error) {
	policy := scenarios.DefaultPolicy()
	outputs := map[string][]byte{}
	var summary strings.Builder
	for _, s := range scenarios.Samples() {
		c, err := scenarios.ParseCase(bytes.NewReader(s.Data), s.Name, sim.Date{})
		if err != nil {
			return nil, "", fmt.Errorf("embedded sample: %w", err)
		}
		plan, err := sim.NewPlan(c, policy, c.ReviewDate)
		if err != nil {
			return nil, "", err
		}
		base := strings.TrimSuffix(s.Name, ".toml")
		for _, format := range []string{"text", "json", "html", "md"} {
			var buf bytes.Buffer
			if err := writePlan(&buf, format, c, plan); err != nil {
				return nil, "", err
			}
			name := map[string]string{"text": "-plan.txt", "json": "-plan.json", "html": "-review.html", "md": "-review.md"}[format]
			outputs[base+name] = buf.Bytes()
		}
		// My possible futures: in English for everyone, and in every
		// language for the Afghan young person with a pending claim.
		langs := []string{"en"}
		if base == "pending-afg" {
			langs = reports.Languages()
		}
		for _, lang := range langs {
			var buf bytes.Buffer
			if err := reports.WriteYoungPersonFor(&buf, plan, reports.YoungOptionsFor(c, lang)); err != nil {
				return nil, "", err
			}
			outputs[base+"-futures-"+lang+".html"] = buf.Bytes()
		}
		fmt.Fprintf(&summary, "%-8s %-24s %-7s %-40s %s\n", c.ID, c.Asylum.Status, plan.Planning,
			perspectiveList(plan.Perspectives), plural(len(plan.Branches), "path"))
	}
	if err := demoForecast(policy, outputs, &summary); err != nil {
		return nil, "", err
	}
	return outputs, summary.String(), nil
}

// demoForecast forecasts a small synthetic cohort: 200 young people, 200
// draws, six financial years from 1 June 2025, as CSV, XLSX and the finance
// dashboard, and compares it with twenty more arrivals a year.
func demoForecast(policy *sim.Policy, outputs map[string][]byte, summary *strings.Builder) error {
	from := sim.NewDate(2025, 6, 1)
	cohort := scenarios.Synth(200, 1, from)
	var cohortCSV bytes.Buffer
	if err := scenarios.WriteCohort(&cohortCSV, cohort); err != nil {
		return err
	}
	outputs["cohort.csv"] = cohortCSV.Bytes()
	f, err := sim.RunForecast(cohort, policy, sim.ForecastOptions{From: from, Years: 6, Draws: 200, Seed: 1})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(cohortCSV.Bytes())
	in := reports.ForecastInput{File: "cohort.csv", SHA256: hex.EncodeToString(sum[:]), Policy: policy}
	for _, format := range []string{"csv", "xlsx", "html"} {
		var buf bytes.Buffer
		if err := writeForecast(&buf, format, f, in); err != nil {
			return err
		}
		outputs["forecast."+format] = buf.Bytes()
	}
	// The same cohort beside the built-in scenario arrivals+20, on the same
	// draws.
	named, _ := scenarios.NamedPolicy("arrivals+20")
	sc, err := scenarios.LoadScenario(policy, bytes.NewReader(named), "arrivals+20")
	if err != nil {
		return err
	}
	base, err := scenarios.NewSetup(policy, nil, nil, from, 6)
	if err != nil {
		return err
	}
	s, err := sc.Over(base, from, 6)
	if err != nil {
		return err
	}
	opts := f.Options
	opts.Arrivals = s.Arrivals
	g, err := sim.RunForecast(cohort, s.Policy, opts)
	if err != nil {
		return err
	}
	c := &reports.Comparison{Name: s.Name, Base: f, BaseIn: in, Scenario: g,
		ScenarioIn: reports.ForecastInput{File: in.File, SHA256: in.SHA256, Policy: s.Policy, Uplifts: s.Uplifts}}
	for _, format := range []string{"csv", "xlsx", "html"} {
		var buf bytes.Buffer
		if err := writeComparison(&buf, format, c); err != nil {
			return err
		}
		outputs["compare-arrivals+20."+format] = buf.Bytes()
	}
	for _, r := range f.Rows {
		if r.Year == f.FirstYear && r.Category == sim.CatNetCost {
			fmt.Fprintf(summary, "forecast: %d young people, %d draws: the authority's net cost in %s is £%s on average (P10 £%s, P90 £%s)\n",
				f.People, f.Options.Draws, sim.FinancialYearLabel(r.Year), r.Mean.StringFixed(2), r.P10.StringFixed(2), r.P90.StringFixed(2))
		}
	}
	return nil
}

func perspectiveList(ps []sim.Perspective) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, "+")
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
