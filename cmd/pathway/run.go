package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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

// errHelp is returned once a command's help has been printed: exit status 0.
var errHelp = errors.New("help printed")

// internalError is a fault in pathway itself, not in its input: exit
// status 1. It names the inputs being worked on, so the fault can be
// reported with them.
type internalError struct {
	inputs []string
	err    error
}

func (e internalError) Error() string {
	on := ""
	if len(e.inputs) > 0 {
		on = " (input: " + strings.Join(e.inputs, ", ") + ")"
	}
	return fmt.Sprintf("internal error%s: %v; this is a fault in pathway, not in the input: please report it", on, e.err)
}

func (e internalError) Unwrap() error { return e.err }

// maxProblemsShown is how many problems are printed for each file; the
// rest are counted.
const maxProblemsShown = 50

// exitCode prints err and maps it to the exit status: 0 done (or help), 2
// bad usage or bad input, 1 an internal fault or a failure to write.
func exitCode(err error, stderr io.Writer) int {
	var ps scenarios.Problems
	var ue usageError
	switch {
	case err == nil || errors.Is(err, errHelp):
		return 0
	case isInternal(err):
		fmt.Fprintf(stderr, "pathway: %s\n", terminalSafe(err.Error()))
		return 1
	case errors.As(err, &ps):
		fmt.Fprintf(stderr, "pathway: %s\n", terminalSafe(cappedProblems(ps)))
		return 2
	}
	fmt.Fprintf(stderr, "pathway: %s\n", terminalSafe(err.Error()))
	if errors.As(err, &ue) || scenarios.IsInputProblem(err) {
		return 2
	}
	return 1
}

func isInternal(err error) bool {
	var ie internalError
	return errors.As(err, &ie)
}

// cappedProblems lists at most maxProblemsShown problems of each file and
// counts the rest, so that a broken file cannot flood the terminal.
func cappedProblems(ps scenarios.Problems) string {
	shown := map[string]int{}
	hidden := map[string]int{}
	var order []string
	var lines []string
	for _, p := range ps {
		if _, seen := shown[p.File]; !seen {
			order = append(order, p.File)
		}
		if shown[p.File] < maxProblemsShown {
			shown[p.File]++
			lines = append(lines, p.Error())
		} else {
			hidden[p.File]++
		}
	}
	for _, f := range order {
		if n := hidden[f]; n > 0 {
			word := "problems"
			if n == 1 {
				word = "problem"
			}
			lines = append(lines, fmt.Sprintf("%s: and %d more %s, not shown", f, n, word))
		}
	}
	return strings.Join(lines, "\n")
}

// terminalSafe shows control and bidirectional formatting characters in a
// message as escapes (keeping newlines and tabs), so that text from an
// input file cannot move the cursor, retitle a window or reorder words.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, scenarios.Unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if scenarios.Unprintable(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// commands gives each command's usage line, the one place it is written.
var commands = []struct{ name, usage string }{
	{"demo", "pathway demo [-o DIR] [--force]"},
	{"plan", "pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json|md|html] [-o FILE]"},
	{"report", "pathway report CASE.toml --audience adviser|young-person [--lang CODE] [--previous OLD.toml] [--format html|md] [--as-of DATE] [--policy FILE] [-o FILE]"},
	{"forecast", "pathway forecast COHORT.csv [--draws N] [--seed S] [--from DATE] [--years N] [--workers N] [--policy FILE|NAME] [--arrivals N] [--compare SCENARIO] [--shard K/N] [--max-cohort-mib N] [--format csv|json|xlsx|html] [-o FILE]"},
	{"merge", "pathway merge PART.json... [--max-part-mib N] [--format csv|json|xlsx|html] [-o FILE]"},
	{"synth", "pathway synth --n N [--seed S] [--as-of DATE] [-o COHORT.csv]"},
	{"import-903", "pathway import-903 DIR --status STATUS.csv [--as-of DATE] [--max-cohort-mib N] [-o COHORT.csv]"},
	{"priors import", "pathway priors import ASY_D02.xlsx|ASY_D02.csv [--max-cohort-mib N] [-o PRIORS.toml]"},
	{"validate", "pathway validate [--as-of DATE] [--max-cohort-mib N] FILE..."},
	{"serve", "pathway serve [--db FILE] [--listen 127.0.0.1:8080] [--authority NAME] [--policy FILE]"},
	{"backup", "pathway backup [--db FILE] FILE"},
}

func usageOf(name string) string {
	for _, c := range commands {
		if c.name == name {
			return "usage: " + c.usage
		}
	}
	return ""
}

func allUsage() string {
	lines := []string{"usage:"}
	for _, c := range commands {
		lines = append(lines, "  "+c.usage)
	}
	return strings.Join(lines, "\n")
}

// cli is one run of the command: where it writes, and what it has read.
type cli struct {
	stdout, stderr io.Writer
	// inputs are the files and folders the command reads, as given: an
	// output may not replace one, and an internal error names them.
	inputs []string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	c := &cli{stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			err = internalError{inputs: c.inputs, err: fmt.Errorf("%v", r)}
			return
		}
		var ue usageError
		var ioe ioError
		if err != nil && !errors.Is(err, errHelp) && !errors.As(err, &ue) && !errors.As(err, &ioe) && !scenarios.IsInputProblem(err) {
			err = internalError{inputs: c.inputs, err: err}
		}
	}()
	return c.dispatch(args)
}

func (c *cli) dispatch(args []string) error {
	if len(args) == 0 {
		return badUsage("no command given\n%s", allUsage())
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "plan":
		return c.plan(rest)
	case "validate":
		return c.validate(rest)
	case "demo":
		return c.demo(rest)
	case "report":
		return c.report(rest)
	case "forecast":
		return c.forecast(rest)
	case "merge":
		return c.merge(rest)
	case "synth":
		return c.synth(rest)
	case "import-903":
		return c.import903(rest)
	case "priors":
		return c.priors(rest)
	case "serve":
		return c.serve(rest)
	case "backup":
		return c.backup(rest)
	case "help", "-h", "-help", "--help":
		if _, err := fmt.Fprintln(c.stdout, allUsage()); err != nil {
			return ioError{fmt.Errorf("cannot write to standard output: %w", unwrapPathError(err))}
		}
		return nil
	}
	return badUsage("unknown command %q\n%s", cmd, allUsage())
}

// parseFlags parses flags that may come before or after the positional
// arguments, as in "pathway plan case.toml --format json". -h or --help
// prints the command's usage and flags to stdout and gives errHelp.
func (c *cli) parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			var b strings.Builder
			fmt.Fprintln(&b, usageOf(fs.Name()))
			fs.SetOutput(&b)
			fs.PrintDefaults()
			if _, err := io.WriteString(c.stdout, b.String()); err != nil {
				return nil, ioError{fmt.Errorf("cannot write to standard output: %w", unwrapPathError(err))}
			}
			return nil, errHelp
		}
		if err != nil {
			return nil, badUsage("%v\n%s (pathway %s --help lists the flags)", err, usageOf(fs.Name()), fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dateFlag is a flag holding a civil date the engine can plan from.
type dateFlag struct{ d sim.Date }

func (f *dateFlag) String() string { return f.d.String() }
func (f *dateFlag) Set(s string) error {
	d, err := sim.ParseDate(s)
	if err != nil {
		return err
	}
	if !sim.InRange(d, sim.CoverFrom) {
		return fmt.Errorf("%s: allowed is %s", d, sim.DateRange(sim.CoverFrom))
	}
	f.d = d
	return nil
}

// readInput reads a whole input file of at most limit bytes, and records
// it as an input.
func (c *cli) readInput(path string, limit int64) ([]byte, error) {
	c.inputs = append(c.inputs, path)
	f, err := os.Open(path)
	if err != nil {
		return nil, badUsage("cannot read %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, badUsage("%s is a folder: give a file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, badUsage("cannot read %s: %v", path, unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, scenarios.Problems{scenarios.SizeProblem(path, limit)}
	}
	return data, nil
}

// cohortLimit adds the --max-cohort-mib flag and returns its value in bytes.
func cohortLimit(fs *flag.FlagSet) func() int64 {
	mib := fs.Int64("max-cohort-mib", scenarios.DefaultMaxCohortBytes>>20, "largest cohort, status or 903 file to read, in MiB")
	return func() int64 { return *mib << 20 }
}

// loadPolicy returns the embedded policy, overridden by file if given. A
// name without a path that no file has, such as "core-protection", selects
// a built-in scenario.
func (c *cli) loadPolicy(file string) (*sim.Policy, error) {
	base := scenarios.DefaultPolicy()
	if file == "" {
		return base, nil
	}
	if named, ok := scenarios.NamedPolicy(file); ok && !strings.ContainsRune(file, os.PathSeparator) {
		if _, err := os.Stat(file); err != nil {
			p, err := scenarios.LoadPolicy(base, bytes.NewReader(named), file+" (built in)")
			if err != nil {
				return nil, usageError{err}
			}
			return p, nil
		}
	}
	data, err := c.readInput(file, scenarios.MaxTOMLBytes)
	if err != nil {
		return nil, err
	}
	return scenarios.LoadPolicy(base, strings.NewReader(string(data)), file)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, strings.TrimSuffix(word, "s"))
}
