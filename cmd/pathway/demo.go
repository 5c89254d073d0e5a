package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	fmt.Fprintf(stdout, "wrote %s to %s\n", plural(len(outputs), "file"), *dir)
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
		for _, format := range []string{"text", "json"} {
			var buf bytes.Buffer
			if err := writePlan(&buf, format, c, plan); err != nil {
				return nil, "", err
			}
			ext := map[string]string{"text": ".txt", "json": ".json"}[format]
			outputs[base+"-plan"+ext] = buf.Bytes()
		}
		fmt.Fprintf(&summary, "%-8s %-24s %-7s %-40s %s\n", c.ID, c.Asylum.Status, plan.Planning,
			perspectiveList(plan.Perspectives), plural(len(plan.Branches), "path"))
	}
	return outputs, summary.String(), nil
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
