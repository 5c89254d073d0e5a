package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"pathway/scenarios"
	"pathway/sim"
)

// import903 builds a cohort file from the CSV tables of a 903 return in
// DIR (header.csv, episodes.csv, uasc.csv and, if there, oc3.csv) and an
// immigration status file. The cohort goes to stdout or -o; the summary of
// who was kept and dropped, and why (by child id, without dates of birth),
// to stderr.
func (c *cli) import903(args []string) error {
	fset := flag.NewFlagSet("import-903", flag.ContinueOnError)
	status := fset.String("status", "", "the immigration status CSV: child_id, status, status_start, status_end, claim_date and, optionally, nationality (required)")
	var asOf dateFlag
	fset.Var(&asOf, "as-of", "the date the cohort is seen from, YYYY-MM-DD (default: today)")
	out := fset.String("o", "", "write the cohort to this file (atomically) instead of stdout")
	limit := cohortLimit(fset)
	pos, err := c.parseFlags(fset, args)
	if err != nil {
		return err
	}
	use := usageOf("import-903")
	if len(pos) != 1 {
		return badUsage("import-903 takes one directory of 903 CSV files, got %d\n%s", len(pos), use)
	}
	if *status == "" {
		return badUsage("import-903 needs --status STATUS.csv: the 903 records no immigration status\n%s", use)
	}
	dir := pos[0]
	c.inputs = append(c.inputs, dir)
	if info, err := os.Stat(dir); err != nil {
		return badUsage("cannot read %s: %v", dir, unwrapPathError(err))
	} else if !info.IsDir() {
		return badUsage("%s is not a directory: give the directory holding the 903 CSV files\n%s", dir, use)
	}
	if asOf.d.IsZero() {
		now := time.Now()
		asOf.d = sim.NewDate(now.Year(), now.Month(), now.Day())
	}
	data, err := c.readInput(*status, limit())
	if err != nil {
		return err
	}

	cs, summary, err := scenarios.Import903(limitFS{os.DirFS(dir), limit()}, bytes.NewReader(data), *status, asOf.d)
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
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return badUsage("cannot read %s: %v", filepath.Join(dir, pe.Path), pe.Err)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", dir, err)
	}
	if err := c.writeOutput(*out, func(w io.Writer) error { return scenarios.WriteCohort(w, cs) }); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := summary.WriteText(&b); err != nil {
		return err
	}
	_, err = io.WriteString(c.stderr, terminalSafe(b.String()))
	return err
}

// limitFS refuses to open a file larger than limit bytes, so that no 903
// table can exhaust memory.
type limitFS struct {
	fs.FS
	limit int64
}

func (l limitFS) Open(name string) (fs.File, error) {
	f, err := l.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, err
	case !st.Mode().IsRegular() && !st.IsDir():
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a regular file")}
	case st.Mode().IsRegular() && st.Size() > l.limit:
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("larger than %d MiB (--max-cohort-mib)", l.limit>>20)}
	}
	return f, nil
}
