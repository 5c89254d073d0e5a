package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"pathway/scenarios"
)

// priors runs "priors import": it reads the Home Office table Asy_D02 (the
// published workbook, or a CSV export of its sheet "Data - Asy_D02") and
// writes dated outcome priors by quarter as a policy file for --policy.
// What it read, kept and dropped goes to stderr.
func (c *cli) priors(args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		args = []string{"import", args[0]}
	}
	if len(args) == 0 || args[0] != "import" {
		return badUsage("priors takes the subcommand import\n%s", usageOf("priors import"))
	}
	fs := flag.NewFlagSet("priors import", flag.ContinueOnError)
	out := fs.String("o", "", "write the priors to this file (atomically) instead of stdout")
	limit := cohortLimit(fs)
	pos, err := c.parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("priors import takes one table, got %d\n%s", len(pos), usageOf("priors import"))
	}
	data, err := c.readInput(pos[0], limit())
	if err != nil {
		return err
	}
	imp, err := scenarios.ImportHomeOffice(data, pos[0], scenarios.DefaultPriorMethod, "ASY_D02")
	if err != nil {
		var ps scenarios.Problems
		if errors.As(err, &ps) {
			return ps
		}
		return fmt.Errorf("import %s: %w", pos[0], err)
	}
	var file bytes.Buffer
	if err := scenarios.WritePriorsTOML(&file, imp); err != nil {
		return err
	}
	// What is written must be a policy file that --policy accepts.
	if _, err := scenarios.LoadPolicy(scenarios.DefaultPolicy(), bytes.NewReader(file.Bytes()), imp.PolicyName()+".toml"); err != nil {
		return fmt.Errorf("the priors made from %s do not load as a policy file: %v", pos[0], err)
	}
	if err := c.writeOutput(*out, func(w io.Writer) error { _, err := w.Write(file.Bytes()); return err }); err != nil {
		return err
	}
	var summary bytes.Buffer
	if err := imp.WriteText(&summary); err != nil {
		return err
	}
	_, err = io.WriteString(c.stderr, terminalSafe(summary.String())) // names come from the table
	return err
}
