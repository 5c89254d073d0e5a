// Pathway plans and forecasts the futures of young people leaving care in
// England who arrived as unaccompanied asylum-seeking children or were
// trafficked.
//
// Usage:
//
//	pathway demo [-o DIR]
//	pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json] [-o FILE]
//	pathway validate [--as-of DATE] FILE...
//
// demo writes the plans of the embedded sample cases (one for every asylum
// status, a trafficked child and a 2014 case) to DIR, "pathway-demo" unless
// given, and prints a one-line summary of each.
//
// plan reads one case file and prints its branched plan: the status, the
// planning perspective (single, dual or triple) and why, the actions with
// their deadlines, and every possible path with its chance and dated events.
// --as-of sets the date the plan is seen from (default: the case's
// review_date); --policy names a TOML file whose values replace the embedded
// policy's values for the keys it gives.
//
// validate checks case and policy files and lists every problem found.
//
// Exit status: 0 done; 2 bad usage or bad input (the message names the file,
// line, key and what is allowed); 1 an internal fault. Output goes to stdout
// unless -o is given; -o writes atomically, so a failed run leaves no file.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}
