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
	"sort"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := fs.String("o", "pathway-demo", "directory to write the outputs to")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badUsage("demo takes no arguments, got %q\nusage: pathway demo [-o DIR]", pos)
	}
	outputs, summary, err := demoOutputs()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return usageError{err}
	}
	for _, name := range sortedNames(outputs) {
		data := outputs[name]
		if err := writeAtomic(filepath.Join(*dir, name), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
	}
	fmt.Fprint(stdout, summary)
	fmt.Fprintf(stdout, "wrote %s to %s; to read:\n", plural(len(outputs), "file"), *dir)
	for _, name := range sortedNames(outputs) {
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".xlsx") {
			fmt.Fprintf(stdout, "  %s\n", filepath.Join(*dir, name))
		}
	}
	return nil
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
			if err := reports.WriteYoungPerson(&buf, plan, lang); err != nil {
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
