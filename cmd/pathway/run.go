package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"pathway/scenarios"
	"pathway/sim"
)

// usageError is bad usage or bad input: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badUsage(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode prints err and maps it to the exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "pathway: %v\n", err)
	var ue usageError
	var ps scenarios.Problems
	var pe *os.PathError
	if errors.As(err, &ue) || errors.As(err, &ps) || errors.As(err, &pe) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

const usage = `usage:
  pathway demo [-o DIR]
  pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json|md|html] [-o FILE]
  pathway report CASE.toml --audience adviser|young-person [--lang CODE] [--previous OLD.toml] [--format html|md] [-o FILE]
  pathway forecast COHORT.csv [--draws N] [--seed S] [--from DATE] [--years N] [--workers N] [--policy FILE|NAME] [--arrivals N] [--compare SCENARIO] [--format csv|json|xlsx|html] [-o FILE]
  pathway synth --n N [--seed S] [--as-of DATE] [-o COHORT.csv]
  pathway import-903 DIR --status STATUS.csv [--as-of DATE] [-o COHORT.csv]
  pathway validate [--as-of DATE] FILE...`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return badUsage("no command given\n%s", usage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "plan":
		return runPlan(rest, stdout, stderr)
	case "validate":
		return runValidate(rest, stdout, stderr)
	case "demo":
		return runDemo(rest, stdout, stderr)
	case "report":
		return runReport(rest, stdout, stderr)
	case "forecast":
		return runForecast(rest, stdout, stderr)
	case "synth":
		return runSynth(rest, stdout, stderr)
	case "import-903":
		return runImport903(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return badUsage("unknown command %q\n%s", cmd, usage)
}

// parseFlags parses flags that may come before or after the positional
// arguments, as in "pathway plan case.toml --format json".
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dateFlag is a flag holding a civil date.
type dateFlag struct{ d sim.Date }

func (f *dateFlag) String() string { return f.d.String() }
func (f *dateFlag) Set(s string) error {
	d, err := sim.ParseDate(s)
	if err != nil {
		return err
	}
	f.d = d
	return nil
}

// loadPolicy returns the embedded policy, overridden by file if given.
func loadPolicy(file string) (*sim.Policy, error) {
	base := scenarios.DefaultPolicy()
	if file == "" {
		return base, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := scenarios.LoadPolicy(base, f, file)
	if err != nil {
		return nil, usageError{err}
	}
	return p, nil
}

// writeOutput writes what fill produces to path atomically (a temporary file
// in the same directory, then a rename), or to stdout when path is empty.
// On error nothing is left behind.
func writeOutput(path string, stdout io.Writer, fill func(io.Writer) error) error {
	if path == "" {
		return fill(stdout)
	}
	return writeAtomic(path, fill)
}

func writeAtomic(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return usageError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, strings.TrimSuffix(word, "s"))
}
