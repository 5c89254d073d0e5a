package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"pathway/scenarios"
	"pathway/sim"
)

const import903Usage = "usage: pathway import-903 DIR --status STATUS.csv [--as-of DATE] [-o COHORT.csv]"

// runImport903 builds a cohort file from the CSV tables of a 903 return in
// DIR (header.csv, episodes.csv, uasc.csv and, if there, oc3.csv) and an
// immigration status file. The cohort goes to stdout or -o; the summary of
// who was kept and dropped, and why, to stderr.
func runImport903(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import-903", flag.ContinueOnError)
	status := fs.String("status", "", "the immigration status CSV: child_id, status, status_start, status_end, claim_date and, optionally, nationality (required)")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "the date the cohort is seen from, YYYY-MM-DD (default: today)")
	out := fs.String("o", "", "write the cohort to this file (atomically) instead of stdout")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("import-903 takes one directory of 903 CSV files, got %d\n%s", len(pos), import903Usage)
	}
	if *status == "" {
		return badUsage("import-903 needs --status STATUS.csv: the 903 records no immigration status\n%s", import903Usage)
	}
	dir := pos[0]
	if info, err := os.Stat(dir); err != nil {
		return err
	} else if !info.IsDir() {
		return badUsage("%s is not a directory: give the directory holding the 903 CSV files\n%s", dir, import903Usage)
	}
	if asOf.d.IsZero() {
		now := time.Now()
		asOf.d = sim.NewDate(now.Year(), now.Month(), now.Day())
	}
	f, err := os.Open(*status)
	if err != nil {
		return err
	}
	defer f.Close()

	cs, summary, err := scenarios.Import903(os.DirFS(dir), f, *status, asOf.d)
	if err == nil {
		err = summary.NoneKept() // an empty cohort is no result: say why, and write nothing
	}
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		// Name the 903 files as the user would: inside DIR.
		for i := range ps {
			if ps[i].File != *status {
				ps[i].File = filepath.Join(dir, ps[i].File)
			}
		}
		return ps
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", dir, err)
	}
	if err := writeOutput(*out, stdout, func(w io.Writer) error { return scenarios.WriteCohort(w, cs) }); err != nil {
		return err
	}
	return summary.WriteText(stderr)
}
