// Pathway plans and forecasts the futures of young people leaving care in
// England who arrived as unaccompanied asylum-seeking children or were
// trafficked.
//
// Usage:
//
//	pathway demo [-o DIR] [--force]
//	pathway plan CASE.toml [--as-of DATE] [--policy FILE] [--format text|json|md|html] [-o FILE]
//	pathway report CASE.toml --audience adviser|young-person [--lang CODE] [--previous OLD.toml] [--format html|md] [--as-of DATE] [--policy FILE] [-o FILE]
//	pathway forecast COHORT.csv [--draws N] [--seed S] [--from DATE] [--years N] [--workers N] [--policy FILE|NAME] [--arrivals N] [--compare SCENARIO] [--shard K/N] [--max-cohort-mib N] [--format csv|json|xlsx|html] [-o FILE]
//	pathway merge PART.json... [--max-part-mib N] [--format csv|json|xlsx|html] [-o FILE]
//	pathway synth --n N [--seed S] [--as-of DATE] [-o COHORT.csv]
//	pathway import-903 DIR --status STATUS.csv [--as-of DATE] [--max-cohort-mib N] [-o COHORT.csv]
//	pathway priors import ASY_D02.xlsx|ASY_D02.csv [--max-cohort-mib N] [-o PRIORS.toml]
//	pathway validate [--as-of DATE] [--max-cohort-mib N] FILE...
//	pathway serve [--db FILE] [--listen 127.0.0.1:8080] [--authority NAME] [--policy FILE]
//	pathway backup [--db FILE] FILE
//
// Every command takes -h or --help, which prints its flags.
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
// priors import reads the Home Office table Asy_D02 (the published workbook,
// sheet "Data - Asy_D02", or a CSV export of that sheet) and writes dated
// outcome priors by quarter, by nationality, region and for all
// nationalities, as a policy file that --policy accepts; what it read, kept
// and dropped, and any nationality it could not give a country code, goes to
// stderr.
//
// validate checks case files, policy and scenario files and cohort files
// (.csv) and lists every problem found; a cohort file gets exactly the
// forecast's checks, from its default start unless --as-of says otherwise,
// and validate says what the forecast would do with its rows.
//
// serve runs the adviser's workspace, a web app for this computer only: the
// caseload, each young person's record and case form, the plan, reviews
// with the young person's views, goals and actions, signed off and then
// read-only, the review pack and the young person's page. It keeps its
// records in a SQLite database (--db; by default pathway/pathway.db in the
// user's data folder: $XDG_DATA_HOME, or ~/.local/share on Linux,
// ~/Library/Application Support on macOS, %LocalAppData% on Windows),
// created with mode 0600. --listen takes a loopback address only: a server
// shared over a network needs accounts. --authority sets the name shown on
// every page and keeps it. SIGINT or SIGTERM stops it once the requests under
// way have finished, exit status 0. backup writes a consistent copy of the
// database to FILE, also while serve runs.
//
// demo writes into a folder that is new, empty, or one it wrote before
// (it leaves a .pathway-demo file there); --force writes into any folder.
//
// report --previous takes the case file of the same young person (the
// same id) at an earlier review.
//
// Limits: a case or policy file is at most 1 MiB, with key paths at most
// 10 deep and at most 20,000 keys; a cohort, status or 903 file is at most
// 64 MiB unless --max-cohort-mib says otherwise. Dates of birth, care starts
// and claims run from 1975-01-01, and every date a policy value is read on
// (the as-of date, decisions, departures) from 2000-01-01, to 2100-12-31.
// --draws runs from 1 to 1,000,000, --years from 1 to 30, --workers up to
// 256; a forecast whose memory estimate is more than half the machine's
// memory is refused, with the estimate. A policy amount is at most
// £100,000.00.
//
// Output goes to stdout unless -o is given. -o refuses to name an input
// file or a folder; it writes straight through to a device or pipe, and
// otherwise atomically (a temporary file beside the target, flushed and
// renamed), so a failed or interrupted run leaves no partial file. A new
// file gets mode 0600, as outputs hold personal data; a replaced file keeps
// its mode.
//
// Exit status: 0 done, or help printed; 2 bad usage or bad input (the
// message names the file, line or row, key and what is allowed, and nothing
// is written); 1 an internal fault (the message says "internal error" and
// names the input) or output that cannot be written (a full disk); 130 or 143 when stopped by SIGINT or SIGTERM, after
// removing any temporary file.
package main

import (
	"context"
	"os"
)

func main() {
	removeTempsOnSignal()
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}
