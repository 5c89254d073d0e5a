// Pathway plans and forecasts the futures of young people leaving care in
// England who arrived as unaccompanied asylum-seeking children or were
// trafficked.
//
// Usage:
//
//	pathway demo [-o DIR]
//	pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json|md|html] [-o FILE]
//	pathway report CASE.toml --audience adviser|young-person [--lang CODE] [--previous OLD.toml] [--format html|md] [--as-of DATE] [--policy FILE] [-o FILE]
//	pathway forecast COHORT.csv [--draws N] [--seed S] [--from DATE] [--years N] [--workers N] [--policy FILE|NAME] [--arrivals N] [--compare SCENARIO] [--format csv|json|xlsx|html] [-o FILE]
//	pathway synth --n N [--seed S] [--as-of DATE] [-o COHORT.csv]
//	pathway import-903 DIR --status STATUS.csv [--as-of DATE] [-o COHORT.csv]
//	pathway validate [--as-of DATE] FILE...
//
// demo writes, for the embedded sample cases (one for every asylum status, a
// trafficked child and a 2014 case), each plan as text and JSON, the
// adviser's review pack, the young person's page, and a forecast of a small
// synthetic cohort, to DIR ("pathway-demo" unless given); it prints a line
// for each case and the pages to read.
//
// plan reads one case file and prints its branched plan: the status, the
// planning perspective (single, dual or triple) and why, the actions with
// their deadlines, every possible path with its chance, dated events and
// money, and the expected money across paths. --as-of sets the date the plan
// is seen from (default: the case's review_date); --policy names a TOML file
// whose values replace the embedded policy's values for the keys it gives.
//
// report writes the adviser's review pack (with --previous, what changed
// since the last review) or, for --audience young-person, "My possible
// futures" in the young person's language, which shows no name, date of
// birth, placement or money.
//
// forecast samples every young person in a cohort file --draws times and
// reports money by financial year, payer and category as mean, P10, P50 and
// P90, with head-counts, placement types and bed-nights; the same inputs
// and seed give the same output on any number of workers. Rows 25 or over
// on the start date are left out and counted; rows dated after it enter
// then. --arrivals N assumes N young people arriving a year (none by
// default: a closed cohort, and every output says so). --policy takes a
// policy or scenario file, or a built-in scenario's name; --compare
// SCENARIO runs a scenario (arrivals+20, core-protection, or a file: a
// policy file that may also set [arrivals] and [[uplift]]) beside the base
// on the same draws and writes both and the difference. synth writes a
// synthetic cohort as of the forecast's default start; import-903 builds
// one from the DfE SSDA903 tables and an immigration-status file, and
// fails when it keeps no one.
//
// validate checks case files, policy and scenario files and cohort files
// (.csv) and lists every problem found; a cohort file gets exactly the
// forecast's checks, from its default start unless --as-of says otherwise,
// and validate says what the forecast would do with its rows.
//
// Exit status: 0 done; 2 bad usage or bad input (the message names the file,
// line or row, key and what is allowed); 1 an internal fault. Output goes to
// stdout unless -o is given; -o writes atomically, so a failed run leaves no
// file.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}
