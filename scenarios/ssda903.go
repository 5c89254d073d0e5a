package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"

	"pathway/sim"
)

// A 903 import builds a cohort from the tables of a local authority's
// SSDA903 return (domain.md §8) and a status file of the authority's own,
// since the 903 records no immigration status (product.md §1, "Immigration
// status file for import-903").
//
// What is read:
//   - uasc.csv (CHILD, DOB, DUC): the cohort is every child in it. Rule 304:
//     DUC, the date the child ceased to be UASC, is on or before the 18th
//     birthday; a child breaking it is dropped.
//   - header.csv (CHILD, DOB): the date of birth, which must agree with the
//     UASC table's (and OC3's).
//   - episodes.csv (CHILD, DECOM, DEC, PLACE): the periods of care. A return
//     built from several years repeats an episode open at a year's end with
//     its end date in the next year; rows with the same CHILD and DECOM are
//     one episode.
//   - oc3.csv, if present (CHILD, DOB, IN_TOUCH, ACTIV, ACCOM): care leavers
//     around their 17th to 21st birthdays. A care leaver is kept if in the
//     UASC table, like any child there; one recorded as died (IN_TOUCH DIED)
//     is dropped.
//
// Other columns are never read: the postcodes HOME_POST and PL_POST, and
// everything else the forecast does not need. Rows of children not in the
// UASC table are read no further than their CHILD. File names and 903
// column names are matched without regard to case; dates are DD/MM/YYYY, as
// the DfE writes them, or YYYY-MM-DD.
//
// From the status file, each child's latest period (by status_start) gives
// the status; status_start is the claim date of a pending claim and the
// decision date of any other status. claim_date, when empty, is the first
// care episode's start, and the summary lists who that applies to. The
// nationality comes from the status file's optional nationality column; a
// child without one is kept with an unknown nationality (the forecast then
// uses the all-nationalities prior), and the summary lists them.
// Neither file records trafficking: every case has trafficked = false, and
// the summary says so.
//
// A file that cannot be read as a 903 table — a missing file or column, bad
// CSV, a row with the wrong number of values, a row without a CHILD, a date
// that is not a date — is an error listing every such problem. A child
// whose records are readable but unusable — an unknown code, dates that
// disagree or do not fit together, no status row, a bad status row — is
// dropped and listed in the ImportSummary with the reason: nothing is
// guessed silently.

// table903 describes one 903 table the import reads.
type table903 struct {
	file     string   // its name, in lower case
	required bool     // the import fails without it
	columns  []string // the columns read
}

var (
	uascTable     = table903{"uasc.csv", true, []string{"CHILD", "DOB", "DUC"}}
	headerTable   = table903{"header.csv", true, []string{"CHILD", "DOB"}}
	episodesTable = table903{"episodes.csv", true, []string{"CHILD", "DECOM", "DEC", "PLACE"}}
	oc3Table      = table903{"oc3.csv", false, []string{"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"}}
)

// placeCode is a 903 PLACE code: its label and the cohort placement it maps
// to.
type placeCode struct {
	label     string
	placement sim.Placement
	temporary bool // a temporary move: the placement before it stands
}

// placeCodes are the 903 PLACE codes of domain.md §8 (the DfE validator's
// list [S92]), labelled as in the DfE 903 guidance [S93], and how each maps
// to a cohort placement:
//
//	U1–U6  foster placements (with relatives or friends, or other carers;
//	       long-term, fostering for adoption, or other)   → foster
//	K1     secure children's home                         → residential
//	K2     children's home subject to the Children's Homes Regulations → residential
//	R1     residential care home                          → residential
//	R3     family centre or mother and baby unit          → residential
//	S1     residential school, not a children's home      → residential
//	H5     semi-independent living accommodation not subject to the
//	       Children's Homes Regulations                   → semi_independent
//	P2     independent living (flat, lodgings, bedsit, B&B or with
//	       friends, with or without support)              → independent
//	P3     residential employment                         → independent
//	T0–T4  temporary moves (hospital, holiday, carer's holiday, seven days
//	       or less): the placement before the move stands; only
//	       temporary moves since care began                → other
//	A3–A6  placed for adoption                            → other
//	P1     with parents or others with parental responsibility → other
//	R2     NHS or other health establishment             → other
//	R5     young offender institution                     → other
//	Z1     other placement                                → other
//	K3     added in 2024/25; meaning unconfirmed          → other
//
// Every code has a costed placement: "other" has its own rate
// (local.placement_week_other). Nothing in the 903 maps to
// supported_lodgings or staying_put: supported lodgings are recorded under
// P2 or H5, and staying put follows care. A child whose code is not in this
// list is dropped.
var placeCodes = map[string]placeCode{
	"U1": {label: "foster placement with relative or friend, long-term", placement: sim.Foster},
	"U2": {label: "foster placement with relative or friend who is also an approved adopter", placement: sim.Foster},
	"U3": {label: "foster placement with relative or friend, other", placement: sim.Foster},
	"U4": {label: "foster placement with other foster carer, long-term", placement: sim.Foster},
	"U5": {label: "foster placement with other foster carer who is also an approved adopter", placement: sim.Foster},
	"U6": {label: "foster placement with other foster carer, other", placement: sim.Foster},
	"K1": {label: "secure children's home", placement: sim.Residential},
	"K2": {label: "children's home", placement: sim.Residential},
	"R1": {label: "residential care home", placement: sim.Residential},
	"R3": {label: "family centre or mother and baby unit", placement: sim.Residential},
	"S1": {label: "residential school", placement: sim.Residential},
	"H5": {label: "semi-independent living accommodation", placement: sim.SemiIndependent},
	"P2": {label: "independent living", placement: sim.Independent},
	"P3": {label: "residential employment", placement: sim.Independent},
	"T0": {label: "temporary move", temporary: true},
	"T1": {label: "temporary period in hospital", temporary: true},
	"T2": {label: "temporary absence on holiday", temporary: true},
	"T3": {label: "temporary accommodation while the foster carer is on holiday", temporary: true},
	"T4": {label: "temporary accommodation of seven days or less", temporary: true},
	"A3": {label: "placed for adoption with consent, with current foster carer", placement: sim.Other},
	"A4": {label: "placed for adoption with consent, not with current foster carer", placement: sim.Other},
	"A5": {label: "placed for adoption with placement order, with current foster carer", placement: sim.Other},
	"A6": {label: "placed for adoption with placement order, not with current foster carer", placement: sim.Other},
	"P1": {label: "placed with parents or others with parental responsibility", placement: sim.Other},
	"R2": {label: "NHS or other health establishment", placement: sim.Other},
	"R5": {label: "young offender institution", placement: sim.Other},
	"Z1": {label: "other placement", placement: sim.Other},
	"K3": {label: "added in 2024/25, meaning unconfirmed", placement: sim.Other},
}

// OC3 codes (domain.md §8, from the DfE validator's rules).
var (
	inTouchCodes = []string{"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}
	activCodes   = []string{"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"}
)

// validAccom reports whether s is an OC3 ACCOM code: a letter with 1
// (suitable) or 2 (unsuitable), S and X only with 2, or 0.
func validAccom(s string) bool {
	if s == "0" {
		return true
	}
	if len(s) != 2 || (s[1] != '1' && s[1] != '2') {
		return false
	}
	if strings.IndexByte("SX", s[0]) >= 0 {
		return s[1] == '2'
	}
	return strings.IndexByte("BCDEGHKRTUVWYZ", s[0]) >= 0
}

// Status file columns (product.md §1). nationality is optional: the 903
// does not record it, and a case needs it. status_end and claim_date may be
// left out or left empty.
var (
	statusColumns  = []string{"child_id", "status", "status_start", "status_end", "claim_date", "nationality"}
	statusRequired = []string{"child_id", "status", "status_start"}
)

const allow903Date = "a date in the form DD/MM/YYYY or YYYY-MM-DD, like 10/03/2008"

// DropReason is why an imported child is left out of the cohort.
type DropReason string

// Reasons, in the order they are checked: a child is dropped for the first
// that applies.
const (
	DropDatesDisagree DropReason = "dates of birth or UASC dates disagree between 903 rows"
	DropRule304       DropReason = "ceased to be UASC after the 18th birthday (903 rule 304)"
	DropNoHeader      DropReason = "not in the header table"
	DropUnknownCode   DropReason = "unknown 903 code"
	DropDied          DropReason = "died (OC3 IN_TOUCH DIED)"
	DropAge           DropReason = "not under 25 on the as-of date"
	DropNoEpisodes    DropReason = "no care episodes"
	DropEpisodes      DropReason = "care episodes that do not fit together"
	DropNoStatus      DropReason = "no status row"
	DropBadStatus     DropReason = "bad status row"
	DropCohortRule    DropReason = "breaks a cohort rule"
)

// DropReasons lists every reason, in the order they are checked.
var DropReasons = []DropReason{
	DropDatesDisagree, DropRule304, DropNoHeader, DropUnknownCode, DropDied, DropAge, DropNoEpisodes,
	DropEpisodes, DropNoStatus, DropBadStatus, DropCohortRule,
}

// DroppedChild is a child left out of an imported cohort.
type DroppedChild struct {
	Child  string // the 903 CHILD
	Reason DropReason
	Detail string // what was found
}

// ImportSummary says what a 903 import kept and dropped, and why. It holds
// no postcode, and no value from a column the import does not read.
type ImportSummary struct {
	AsOf         sim.Date
	UASCChildren int // distinct children in the UASC table
	Kept         int
	CareLeavers  int // kept children who are also in OC3

	// Met13Weeks counts the kept children looked after for 13 weeks or
	// more, in one period or several, since their 14th birthday (to the
	// 18th birthday or the as-of date), from the episodes: the length of
	// care that makes a child eligible for leaving-care support and a
	// former UASC care leaver count for the Home Office grant (domain.md
	// §3–4). Under13Weeks lists the others. A sim.Case has no field for
	// this; the forecast works it out from looked_after_since.
	Met13Weeks   int
	Under13Weeks []string

	// ClaimDateStandIns lists the kept children whose status file gives no
	// claim date, so their first care episode's start stands in.
	ClaimDateStandIns []string
	// UnmatchedStatusRows counts status rows for children not in the UASC table.
	UnmatchedStatusRows int
	// NoNationalityColumn is set when the status file has no nationality
	// column: every child kept has an unknown nationality.
	NoNationalityColumn bool
	// NoNationality lists the kept children with no nationality: the
	// forecast uses the all-nationalities prior for them.
	NoNationality []string
	// OtherPlacement lists the kept children whose current 903 placement
	// is costed as "other" (no closer type: A3–A6, P1, R2, R5, Z1, K3, or
	// only temporary moves).
	OtherPlacement []string

	Dropped []DroppedChild // in child order
}

// DroppedBy counts the children dropped for reason r.
func (s ImportSummary) DroppedBy(r DropReason) int {
	n := 0
	for _, d := range s.Dropped {
		if d.Reason == r {
			n++
		}
	}
	return n
}

// WriteText writes the summary for a person to read on stderr: counts,
// and children by id with the reason they were dropped, but no detail that
// could hold a date of birth.
func (s ImportSummary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "903 import as of %s\n", s.AsOf)
	fmt.Fprintf(&b, "children in the UASC table: %d\n", s.UASCChildren)
	fmt.Fprintf(&b, "kept: %d (care leavers in OC3: %d)\n", s.Kept, s.CareLeavers)
	fmt.Fprintf(&b, "dropped: %d\n", len(s.Dropped))
	for _, r := range DropReasons {
		if n := s.DroppedBy(r); n > 0 {
			fmt.Fprintf(&b, "  %s: %d\n", r, n)
		}
	}
	fmt.Fprintf(&b, "looked after 13 weeks or more since age 14: %d of %d kept", s.Met13Weeks, s.Kept)
	if len(s.Under13Weeks) > 0 {
		fmt.Fprintf(&b, "; not: %s", strings.Join(s.Under13Weeks, ", "))
	}
	b.WriteString("\n")
	if len(s.ClaimDateStandIns) > 0 {
		fmt.Fprintf(&b, "no claim date in the status file, first care episode's start used instead: %d (%s)\n",
			len(s.ClaimDateStandIns), strings.Join(s.ClaimDateStandIns, ", "))
	}
	if s.UnmatchedStatusRows > 0 {
		fmt.Fprintf(&b, "status rows for children not in the UASC table, ignored: %d\n", s.UnmatchedStatusRows)
	}
	if s.NoNationalityColumn {
		b.WriteString("the status file has no nationality column, and the 903 records none: every child is kept with an unknown nationality\n")
	}
	if len(s.NoNationality) > 0 {
		fmt.Fprintf(&b, "no nationality, so the all-nationalities prior: %d (%s)\n", len(s.NoNationality), strings.Join(s.NoNationality, ", "))
	}
	if len(s.OtherPlacement) > 0 {
		fmt.Fprintf(&b, "placement costed as other (no closer type for the 903 PLACE code): %d (%s)\n", len(s.OtherPlacement), strings.Join(s.OtherPlacement, ", "))
	}
	b.WriteString("trafficked is false for every child: neither the 903 nor the status file records it\n")
	if len(s.Dropped) > 0 {
		// Ids and reasons only: a detail may hold a date of birth, and this
		// goes to a terminal or a log.
		b.WriteString("dropped children:\n")
		for _, d := range s.Dropped {
			fmt.Fprintf(&b, "  %s: %s\n", d.Child, d.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Import903 reads a 903 return's tables from dir and the status file from
// status (named statusFile in problems), and builds a cohort as of asOf:
// one case per child kept, in child order, with the dropped children and
// the counts in the summary. asOf must be given: ages, and which dates can
// have happened, depend on it. See the comment at the top of this file for
// what is read and when a child is dropped.
//
// Files that cannot be read as 903 tables or as a status file give a
// Problems error listing every problem, with file names relative to dir.
// Other errors (reading) are returned wrapped.
func Import903(dir fs.FS, status io.Reader, statusFile string, asOf sim.Date) (cs []sim.Case, summary ImportSummary, err error) {
	if asOf.IsZero() {
		return nil, ImportSummary{}, errors.New("a 903 import needs an as-of date")
	}
	files, probs, err := find903Files(dir)
	if err != nil {
		return nil, ImportSummary{}, err
	}
	im := &importer{asOf: asOf, children: map[string]*child903{}}

	read := func(t table903, keep func(child string) bool, add func(tableRows, csvRow, string)) error {
		name, ok := files[t.file]
		if !ok {
			return nil
		}
		tr, err := read903Table(dir, name, t.columns, &probs)
		if err != nil {
			return err
		}
		for _, row := range tr.rows {
			child := tr.get(row, "CHILD")
			if child == "" || !keep(child) {
				continue
			}
			add(tr, row, child)
		}
		return nil
	}
	inCohort := func(child string) bool { return im.children[child] != nil }

	// The UASC table first: it decides whom the other tables are read for.
	if err := read(uascTable, func(string) bool { return true }, func(tr tableRows, row csvRow, child string) {
		c := im.child(child)
		c.uasc = append(c.uasc, uascRow{
			dob: tr.date(row, "DOB", true, &probs),
			duc: tr.date(row, "DUC", false, &probs),
		})
	}); err != nil {
		return nil, ImportSummary{}, err
	}
	if err := read(headerTable, inCohort, func(tr tableRows, row csvRow, child string) {
		c := im.children[child]
		c.headerDOBs = append(c.headerDOBs, tr.date(row, "DOB", true, &probs))
	}); err != nil {
		return nil, ImportSummary{}, err
	}
	if err := read(episodesTable, inCohort, func(tr tableRows, row csvRow, child string) {
		c := im.children[child]
		c.episodes = append(c.episodes, episode{
			start: tr.date(row, "DECOM", true, &probs),
			end:   tr.date(row, "DEC", false, &probs),
			place: tr.get(row, "PLACE"),
		})
	}); err != nil {
		return nil, ImportSummary{}, err
	}
	if err := read(oc3Table, inCohort, func(tr tableRows, row csvRow, child string) {
		c := im.children[child]
		c.oc3 = append(c.oc3, oc3Row{
			row:     row.n,
			file:    tr.file,
			dob:     tr.date(row, "DOB", true, &probs),
			inTouch: tr.get(row, "IN_TOUCH"),
			activ:   tr.get(row, "ACTIV"),
			accom:   tr.get(row, "ACCOM"),
		})
	}); err != nil {
		return nil, ImportSummary{}, err
	}

	periods, hasNationality, err := readStatusFile(status, statusFile, &probs)
	if err != nil {
		return nil, ImportSummary{}, err
	}
	if err := probs.orNil(); err != nil {
		return nil, ImportSummary{}, err
	}

	summary = ImportSummary{AsOf: asOf, UASCChildren: len(im.order), NoNationalityColumn: !hasNationality}
	for child, ps := range periods {
		if !inCohort(child) {
			summary.UnmatchedStatusRows += len(ps)
		}
	}
	slices.SortFunc(im.order, compareChildIDs)
	for _, id := range im.order {
		c, drop, note := im.build(im.children[id], periods[id])
		if drop != nil {
			summary.Dropped = append(summary.Dropped, *drop)
			continue
		}
		cs = append(cs, c)
		summary.Kept++
		if len(im.children[id].oc3) > 0 {
			summary.CareLeavers++
		}
		if note.met13Weeks {
			summary.Met13Weeks++
		} else {
			summary.Under13Weeks = append(summary.Under13Weeks, id)
		}
		if note.claimStandIn {
			summary.ClaimDateStandIns = append(summary.ClaimDateStandIns, id)
		}
		if c.Nationality == "" {
			summary.NoNationality = append(summary.NoNationality, id)
		}
		if note.other {
			summary.OtherPlacement = append(summary.OtherPlacement, id)
		}
	}
	return cs, summary, nil
}

// NoneKept returns, when an import kept no child, a problem with the UASC
// table (whose children the cohort is made of) saying why; nil otherwise.
// An empty cohort is not a result to write.
func (s ImportSummary) NoneKept() error {
	if s.Kept > 0 {
		return nil
	}
	allowed := "a return with at least one child the import can keep; there are none"
	if s.UASCChildren > 0 {
		var why []string
		for _, r := range DropReasons {
			if n := s.DroppedBy(r); n > 0 {
				why = append(why, fmt.Sprintf("%s: %d", r, n))
			}
		}
		allowed = fmt.Sprintf("a return with at least one child the import can keep; all %d children in the UASC table were dropped (%s)", s.UASCChildren, strings.Join(why, "; "))
	}
	return Problems{{File: uascTable.file, Allowed: allowed}}
}

// compareChildIDs orders child ids as numbers when both are digits, else
// as text.
func compareChildIDs(a, b string) int {
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	if digits(a) && digits(b) {
		if c := cmp.Compare(len(strings.TrimLeft(a, "0")), len(strings.TrimLeft(b, "0"))); c != 0 {
			return c
		}
		if c := strings.Compare(strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")); c != 0 {
			return c
		}
	}
	return strings.Compare(a, b)
}

// find903Files finds the 903 tables in dir, by name without regard to case.
func find903Files(dir fs.FS) (map[string]string, Problems, error) {
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("read the 903 directory: %w", err)
	}
	files := map[string]string{}
	var probs Problems
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		key := strings.ToLower(e.Name())
		if first, dup := files[key]; dup {
			probs = append(probs, Problem{File: e.Name(), Allowed: fmt.Sprintf("one file named %s in any case; %s is one too", key, first)})
			continue
		}
		files[key] = e.Name()
	}
	for _, t := range []table903{uascTable, headerTable, episodesTable, oc3Table} {
		if _, ok := files[t.file]; !ok && t.required {
			probs = append(probs, Problem{File: t.file, Allowed: "missing: the 903 directory must hold " + t.file + " (in any case)"})
		}
	}
	return files, probs, nil
}

// tableRows is a 903 table as read: its rows and where its columns are.
type tableRows struct {
	file string
	at   map[string]int // upper-case column name → index
	rows []csvRow       // without the header
}

// read903Table reads a 903 table, adding its problems to probs: bad CSV,
// missing columns, rows with the wrong number of values or no CHILD. Rows
// with problems are left out.
func read903Table(dir fs.FS, name string, columns []string, probs *Problems) (tableRows, error) {
	tr := tableRows{file: name, at: map[string]int{}}
	f, err := dir.Open(name)
	if err != nil {
		return tr, fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	rows, ps, err := readCSV(f, name)
	if err != nil {
		return tr, err
	}
	*probs = append(*probs, ps...)
	if len(rows) == 0 {
		if len(ps) == 0 {
			*probs = append(*probs, Problem{File: name, Line: 1, Allowed: "empty: give a header row naming the columns, with " + strings.Join(columns, ", ")})
		}
		return tr, nil
	}
	header := rows[0].fields
	for i, h := range header {
		h = strings.ToUpper(strings.TrimSpace(h))
		if _, dup := tr.at[h]; !dup {
			tr.at[h] = i
		}
	}
	missing := false
	for _, col := range columns {
		if _, ok := tr.at[col]; !ok {
			*probs = append(*probs, Problem{File: name, Line: 1, Key: col, Allowed: "missing column: the import reads it"})
			missing = true
		}
	}
	if missing {
		return tr, nil
	}
	for _, row := range rows[1:] {
		switch {
		case len(row.fields) != len(header):
			*probs = append(*probs, fieldCountProblem(name, row, len(header)))
		case tr.get(row, "CHILD") == "":
			*probs = append(*probs, Problem{File: name, Line: row.n, Key: "CHILD", Allowed: "missing: every row names its child"})
		default:
			tr.rows = append(tr.rows, row)
		}
	}
	return tr, nil
}

func (tr tableRows) get(row csvRow, col string) string {
	return strings.TrimSpace(row.fields[tr.at[col]])
}

// date reads a date in column col of row; a bad date is added to probs.
func (tr tableRows) date(row csvRow, col string, required bool, probs *Problems) sim.Date {
	s := tr.get(row, col)
	if s == "" {
		if required {
			*probs = append(*probs, Problem{File: tr.file, Line: row.n, Key: col, Allowed: "missing: give " + allow903Date})
		}
		return sim.Date{}
	}
	d, ok := parse903Date(s)
	if !ok {
		*probs = append(*probs, Problem{File: tr.file, Line: row.n, Key: col, Value: shown903(s), Allowed: allow903Date})
	}
	return d
}

// parse903Date reads DD/MM/YYYY or YYYY-MM-DD.
func parse903Date(s string) (sim.Date, bool) {
	if len(s) == 10 && s[2] == '/' && s[5] == '/' {
		s = s[6:10] + "-" + s[3:5] + "-" + s[0:2]
	}
	d, err := sim.ParseDate(s)
	return d, err == nil
}

// shown903 gives a value read from a 903 file as it may appear in a problem
// or the summary. 903 files hold postcodes; a postcode written in the wrong
// column must still not reach an output, so a value with letters that is
// longer than a code is withheld.
func shown903(s string) string {
	if len(s) > 4 && strings.ContainsFunc(s, unicode.IsLetter) {
		return "(withheld: neither a date nor a code)"
	}
	return shortValue(s)
}

// statusPeriod is one row of the status file.
type statusPeriod struct {
	row         int
	status      sim.Status
	start       sim.Date
	claim       sim.Date
	nationality string
	probs       Problems // what is wrong with the row's values
}

// readStatusFile reads the status file into its periods by child. Problems
// with the file as a whole (bad CSV, the header, a row with the wrong
// number of values or no child_id) are added to probs; a problem with a
// row's values stays with the row, and drops its child.
func readStatusFile(r io.Reader, file string, probs *Problems) (map[string][]statusPeriod, bool, error) {
	rows, ps, err := readCSV(r, file)
	if err != nil {
		return nil, false, err
	}
	*probs = append(*probs, ps...)
	if len(rows) == 0 {
		if len(ps) == 0 {
			*probs = append(*probs, Problem{File: file, Line: 1, Allowed: "empty: give a header row naming the columns, " + strings.Join(statusColumns, ", ")})
		}
		return nil, true, nil
	}
	at, ps := readHeader(file, "a status file", rows[0].fields, statusColumns, statusRequired)
	*probs = append(*probs, ps...)
	if len(ps) > 0 {
		return nil, true, nil
	}
	_, hasNationality := at["nationality"]
	periods := map[string][]statusPeriod{}
	for _, row := range rows[1:] {
		if len(row.fields) != len(rows[0].fields) {
			*probs = append(*probs, fieldCountProblem(file, row, len(rows[0].fields)))
			continue
		}
		get := func(col string) string {
			if i, ok := at[col]; ok {
				return row.fields[i]
			}
			return ""
		}
		child := get("child_id")
		if child == "" {
			*probs = append(*probs, Problem{File: file, Line: row.n, Key: "child_id", Allowed: "missing: give the 903 CHILD the row is for"})
			continue
		}
		periods[child] = append(periods[child], readStatusPeriod(file, row.n, get))
	}
	return periods, hasNationality, nil
}

func readStatusPeriod(file string, n int, get func(string) string) statusPeriod {
	p := statusPeriod{row: n}
	bad := func(col, value, allowed string) {
		p.probs = append(p.probs, Problem{File: file, Line: n, Key: col, Value: shortValue(value), Allowed: allowed})
	}
	date := func(col string, required bool) sim.Date {
		s := get(col)
		if s == "" {
			if required {
				bad(col, "", "missing: give "+allow903Date)
			}
			return sim.Date{}
		}
		d, ok := parse903Date(s)
		if !ok {
			bad(col, s, allow903Date)
		}
		return d
	}

	names := enumNames(sim.Statuses)
	switch s := get("status"); {
	case s == "":
		bad("status", "", "missing: give one of "+strings.Join(names, ", "))
	case !slices.Contains(names, s):
		allowed := "one of " + strings.Join(names, ", ")
		if near := nearest(s, names); near != "" {
			allowed += fmt.Sprintf(" (did you mean %s)", near)
		}
		bad("status", s, allowed)
	default:
		p.status = sim.Status(s)
	}
	p.start = date("status_start", true)
	end := date("status_end", false)
	p.claim = date("claim_date", false)
	if !p.start.IsZero() && !end.IsZero() && !end.After(p.start) {
		bad("status_end", get("status_end"), fmt.Sprintf("a date after status_start (%s)", p.start))
	}
	if p.status == sim.Pending {
		if !end.IsZero() {
			bad("status_end", get("status_end"), "empty while status is pending: a pending claim gives no leave to end")
		}
		if !p.claim.IsZero() && !p.start.IsZero() && p.claim != p.start {
			bad("claim_date", get("claim_date"), fmt.Sprintf("empty or status_start (%s): for a pending claim status_start is the claim date", p.start))
		}
	}
	if s := get("nationality"); s != "" {
		if allowed := nationalityProblem(s); allowed != "" {
			bad("nationality", s, allowed)
		} else {
			p.nationality = s
		}
	}
	return p
}

// importer builds the cases of a 903 import.
type importer struct {
	asOf     sim.Date
	children map[string]*child903
	order    []string // children in the UASC table
}

func (im *importer) child(id string) *child903 {
	c := im.children[id]
	if c == nil {
		c = &child903{id: id}
		im.children[id] = c
		im.order = append(im.order, id)
	}
	return c
}

// child903 is what the 903 tables say about one child in the UASC table.
type child903 struct {
	id         string
	uasc       []uascRow
	headerDOBs []sim.Date
	episodes   []episode
	oc3        []oc3Row
}

type uascRow struct{ dob, duc sim.Date }

type episode struct {
	start, end sim.Date // end is zero while the episode is open
	place      string
}

type oc3Row struct {
	file                  string
	row                   int
	dob                   sim.Date
	inTouch, activ, accom string
}

// importNote is what the summary records of a kept child.
type importNote struct {
	met13Weeks   bool
	claimStandIn bool
	other        bool // placement costed as other
}

// build makes the case of child c from its 903 records and status periods,
// or says why it is dropped.
func (im *importer) build(c *child903, periods []statusPeriod) (sim.Case, *DroppedChild, importNote) {
	var note importNote
	drop := func(r DropReason, format string, args ...any) (sim.Case, *DroppedChild, importNote) {
		return sim.Case{}, &DroppedChild{Child: c.id, Reason: r, Detail: fmt.Sprintf(format, args...)}, note
	}

	u := c.uasc[0]
	for _, other := range c.uasc[1:] {
		if other != u {
			return drop(DropDatesDisagree, "the UASC table gives DOB %s and DUC %s, and also DOB %s and DUC %s", u.dob, orNone(u.duc), other.dob, orNone(other.duc))
		}
	}
	dob := u.dob
	if !u.duc.IsZero() && u.duc.After(dob.Birthday(18)) {
		return drop(DropRule304, "DUC %s is after the 18th birthday, %s", u.duc, dob.Birthday(18))
	}
	if len(c.headerDOBs) == 0 {
		return drop(DropNoHeader, "the child is in the UASC table but not in the header table")
	}
	for _, d := range c.headerDOBs {
		if d != dob {
			return drop(DropDatesDisagree, "the header table gives DOB %s, the UASC table %s", d, dob)
		}
	}
	for _, o := range c.oc3 {
		if o.dob != dob {
			return drop(DropDatesDisagree, "OC3 gives DOB %s, the UASC table %s", o.dob, dob)
		}
	}
	for _, o := range c.oc3 {
		for _, code := range []struct {
			col, value string
			ok         bool
		}{
			{"IN_TOUCH", o.inTouch, slices.Contains(inTouchCodes, o.inTouch)},
			{"ACTIV", o.activ, o.activ == "" || slices.Contains(activCodes, o.activ)},
			{"ACCOM", o.accom, o.accom == "" || validAccom(o.accom)},
		} {
			if !code.ok {
				return drop(DropUnknownCode, "%s row %d: %s %q is not an OC3 code", o.file, o.row, code.col, shown903(code.value))
			}
		}
		if o.inTouch == "DIED" {
			return drop(DropDied, "%s row %d", o.file, o.row)
		}
	}
	if !dob.Before(im.asOf) {
		return drop(DropAge, "born %s, not before the as-of date", dob)
	}
	if age := dob.AgeOn(im.asOf); age >= 25 {
		return drop(DropAge, "born %s: %d on the as-of date", dob, age)
	}

	if len(c.episodes) == 0 {
		return drop(DropNoEpisodes, "the child is in the UASC table but has no episodes")
	}
	eps, problem := mergeEpisodes(c.episodes, dob, im.asOf)
	if problem != "" {
		return drop(DropEpisodes, "%s", problem)
	}
	run := latestRun(eps)
	cur := len(eps) - 1
	for cur >= run && placeCodes[eps[cur].place].temporary {
		cur--
	}
	code := placeCode{label: "only temporary moves (T0–T4)", placement: sim.Other}
	if cur >= run {
		var known bool
		if code, known = placeCodes[eps[cur].place]; !known {
			return drop(DropUnknownCode, "PLACE %q on the episode from %s is not a 903 PLACE code", shown903(eps[cur].place), eps[cur].start)
		}
	}
	note.other = code.placement == sim.Other

	if len(periods) == 0 {
		return drop(DropNoStatus, "the status file has no row for this child")
	}
	var rowProbs Problems
	for _, p := range periods {
		rowProbs = append(rowProbs, p.probs...)
	}
	if len(rowProbs) > 0 {
		return drop(DropBadStatus, "%s", rowProbs.sorted().Error())
	}
	latest := periods[0]
	for _, p := range periods[1:] {
		if p.start.After(latest.start) {
			latest = p
		}
	}
	for _, p := range periods {
		if p.row != latest.row && p.start == latest.start {
			return drop(DropBadStatus, "status rows %d and %d both start on %s: which is the latest cannot be told", latest.row, p.row, p.start)
		}
	}
	nationality := ""
	for _, p := range periods {
		switch {
		case p.nationality == "":
		case nationality == "":
			nationality = p.nationality
		case p.nationality != nationality:
			return drop(DropBadStatus, "status rows give the nationalities %s and %s", nationality, p.nationality)
		}
	}

	cs := sim.Case{
		ID:          c.id,
		DateOfBirth: dob,
		Nationality: nationality,
		Care:        sim.Care{LookedAfterSince: eps[run].start, Placement: code.placement},
		Asylum:      sim.Asylum{Status: latest.status, ClaimDate: latest.claim},
	}
	if latest.status == sim.Pending {
		cs.Asylum.ClaimDate = latest.start
	} else {
		cs.Asylum.DecisionDate = latest.start
		if cs.Asylum.ClaimDate.IsZero() {
			cs.Asylum.ClaimDate = eps[0].start
			note.claimStandIn = true
		}
	}
	if ps := checkCase(cs, im.asOf); len(ps) > 0 {
		p := ps[0]
		detail := p.column
		if p.value != "" {
			detail += " " + p.value
		}
		detail += ": " + p.allowed
		if note.claimStandIn {
			detail += " (claim_date is the first care episode's start: the status file gives none)"
		}
		return drop(DropCohortRule, "%s", detail)
	}
	note.met13Weeks = daysLookedAfterFrom14(eps, dob, im.asOf) >= 13*7
	return cs, nil, note
}

func orNone(d sim.Date) string {
	if d.IsZero() {
		return "none"
	}
	return d.String()
}

// mergeEpisodes sorts a child's episodes, makes rows for the same episode
// one, and checks that they fit together. It returns what does not fit.
func mergeEpisodes(rows []episode, dob, asOf sim.Date) ([]episode, string) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b episode) int { return a.start.Compare(b.start) })
	var eps []episode
	for _, e := range rows {
		if n := len(eps); n > 0 && eps[n-1].start == e.start {
			last := &eps[n-1]
			switch {
			case last.place != e.place:
				return nil, fmt.Sprintf("two rows for the episode from %s give the placements %s and %s", e.start, shown903(last.place), shown903(e.place))
			case last.end.IsZero():
				last.end = e.end
			case !e.end.IsZero() && e.end != last.end:
				return nil, fmt.Sprintf("two rows for the episode from %s give the ends %s and %s", e.start, last.end, e.end)
			}
			continue
		}
		eps = append(eps, e)
	}
	for i, e := range eps {
		switch {
		case e.start.Before(dob):
			return nil, fmt.Sprintf("the episode from %s starts before the date of birth, %s", e.start, dob)
		case e.start.After(asOf):
			return nil, fmt.Sprintf("the episode from %s starts after the as-of date", e.start)
		case !e.end.IsZero() && e.end.Before(e.start):
			return nil, fmt.Sprintf("the episode from %s ends on %s, before it starts", e.start, e.end)
		case i+1 < len(eps) && e.end.IsZero():
			return nil, fmt.Sprintf("the episode from %s has no end, but another starts on %s", e.start, eps[i+1].start)
		case i+1 < len(eps) && eps[i+1].start.Before(e.end):
			return nil, fmt.Sprintf("the episodes from %s and %s overlap", e.start, eps[i+1].start)
		}
	}
	return eps, ""
}

// latestRun returns the index of the first episode of the latest
// continuous period of care: each episode after it starts on the day the
// one before ends.
func latestRun(eps []episode) int {
	i := len(eps) - 1
	for i > 0 && eps[i-1].end == eps[i].start {
		i--
	}
	return i
}

// daysLookedAfterFrom14 counts the days looked after from the 14th birthday
// to the 18th or asOf, whichever is earlier; an open episode runs to then.
func daysLookedAfterFrom14(eps []episode, dob, asOf sim.Date) int {
	from, to := dob.Birthday(14), sim.MinDate(dob.Birthday(18), asOf)
	days := 0
	for _, e := range eps {
		end := e.end
		if end.IsZero() {
			end = to
		}
		a, z := sim.MaxDate(e.start, from), sim.MinDate(end, to)
		if z.After(a) {
			days += a.DaysUntil(z)
		}
	}
	return days
}
