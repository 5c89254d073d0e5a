package scenarios

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"pathway/sim"
)

// The Home Office's initial decisions on asylum claims, as published (table
// Asy_D02 of the asylum and resettlement datasets) or as the quarterly grant
// rates derived from it (data/home-office/README.md), turned into dated
// outcome priors by the method of priormethod.go.

// AsyD02Sheet is the sheet of the published workbook that holds the table.
const AsyD02Sheet = "Data - Asy_D02"

// PriorsImport is what an import of a Home Office table found: the priors
// and regions it gives, and what it read, kept, dropped and could not place.
type PriorsImport struct {
	File        string
	Layout      string // "Asy_D02", or "grant rates" for the derived quarterly table
	First, Last string // the first and last quarters with decisions, such as "2001 Q1"
	Rows        int    // data rows read
	Kept        int    // rows counted
	Dropped     map[string]int
	Skipped     int               // title, blank and note rows
	Uncoded     map[string]int    // Home Office names with no country code → decisions counted only in region and all nationalities
	Unknown     map[string]int    // names not recognised → decisions counted only in region and all nationalities
	Priors      []sim.Prior       // dated rows by quarter
	Regions     map[string]string // nationality → region
	SourceID    string            // the [[source]] id the rows cite
	SourceTitle string
}

// Reasons rows are dropped.
const (
	dropOtherCase  = "not an asylum case (resettlement and other case types)"
	dropDependant  = "dependants (only main applicants are counted)"
	dropWithdrawn  = "withdrawn claims"
	dropAdminOther = "administrative outcomes"
)

// ImportHomeOffice reads a Home Office table of initial decisions: the
// Asy_D02 workbook (sheet "Data - Asy_D02", header on its second row), a
// CSV export of that sheet, or the derived quarterly grant rates CSV
// (Quarter, Nationality, Region, Grant, Refused). It keeps asylum cases
// and main applicants, drops withdrawals and administrative outcomes, and
// makes dated priors by quarter with method m. Title rows before the
// header, blank rows and notes (rows with text in the first cell only) are
// skipped; every other row it cannot read is a Problem naming its row,
// column, value and what is allowed.
// The rows cite sourceID.
func ImportHomeOffice(data []byte, file string, m PriorMethod, sourceID string) (*PriorsImport, error) {
	var rows []csvRow
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		var ps Problems
		var err error
		rows, ps, err = readXLSXSheet(data, file, AsyD02Sheet)
		if err != nil || len(ps) > 0 {
			return nil, orErr(ps, err)
		}
	} else {
		var ps Problems
		var err error
		rows, ps, err = readCSV(bytes.NewReader(data), file)
		if err != nil || len(ps) > 0 {
			return nil, orErr(ps, err)
		}
	}
	imp := &PriorsImport{File: file, SourceID: sourceID, Dropped: map[string]int{}, Uncoded: map[string]int{}, Unknown: map[string]int{}}
	t, ps := imp.read(rows)
	if err := ps.orNil(); err != nil {
		return nil, err
	}
	if !t.any {
		return nil, Problems{{File: file, Allowed: "no decisions to count: the table has no rows of asylum cases for main applicants with a grant or a refusal"}}
	}
	imp.First, imp.Last = t.first.String(), t.last.String()
	imp.Priors = t.priors(m, imp.SourceID)
	if p, ok := defaultGap(imp.Priors, file); !ok {
		return nil, Problems{p}
	}
	imp.Regions = t.regions
	return imp, nil
}

// defaultGap finds the first stretch of a year or more with no decisions at
// all in the table: all nationalities' rows, the fallback of every young
// person's chances, must run on without a gap, so the table is refused.
func defaultGap(priors []sim.Prior, file string) (Problem, bool) {
	var prev *sim.Prior
	for i, pr := range priors {
		if pr.Nationality != "" || pr.Region != "" || pr.UASC {
			continue
		}
		if prev != nil && !prev.To.IsZero() && prev.To.AddDays(1) != pr.From {
			return Problem{File: file, Allowed: fmt.Sprintf(
				"decisions in every year the table covers: it has none from %s to %s, so no chances could be given for decisions then; give the whole table, or only the quarters after the gap",
				prev.To.AddDays(1).Long(), pr.From.AddDays(-1).Long())}, false
		}
		prev = &priors[i]
	}
	return Problem{}, true
}

func orErr(ps Problems, err error) error {
	if err != nil {
		return err
	}
	return ps.orNil()
}

// readXLSXSheet reads the rows of one sheet of a workbook, cells as stored
// (numbers unformatted), numbered as the sheet numbers them.
func readXLSXSheet(data []byte, file, sheet string) ([]csvRow, Problems, error) {
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, Problems{{File: file, Allowed: "not a workbook that can be read (" + err.Error() + "): give the Home Office's .xlsx file or a CSV export of its sheet " + strconv.Quote(sheet)}}, nil
	}
	defer x.Close()
	if !slices.Contains(x.GetSheetList(), sheet) {
		return nil, Problems{{File: file, Key: "sheet", Allowed: fmt.Sprintf("a sheet named %q; the workbook has %s", sheet, strings.Join(x.GetSheetList(), ", "))}}, nil
	}
	recs, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, fmt.Errorf("read %s, sheet %s: %w", file, sheet, err)
	}
	rows := make([]csvRow, len(recs))
	for i, r := range recs {
		rows[i] = csvRow{n: i + 1, fields: r}
	}
	return rows, nil, nil
}

// Columns of the two layouts, by their header as published.
var (
	asyD02Columns     = []string{"Quarter", "Nationality", "Region", "Case type", "Case outcome group", "Case outcome", "Applicant type", "UASC", "Decisions"}
	grantRatesColumns = []string{"Quarter", "Nationality", "Region", "Grant", "Refused"}
)

// headerKey normalises a column heading: case, spaces and a trailing note
// marker do not matter.
func headerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(s, "\uFEFF")), " "))
}

// findHeader looks for the header among the first rows: the first with a
// Quarter and a Nationality column. It returns the row's index and each
// heading's column.
func findHeader(rows []csvRow) (int, map[string]int) {
	for i, r := range rows {
		if i >= 10 {
			break
		}
		at := map[string]int{}
		for j, f := range r.fields {
			if k := headerKey(f); k != "" {
				if _, dup := at[k]; !dup {
					at[k] = j
				}
			}
		}
		if _, ok := at["quarter"]; ok {
			if _, ok := at["nationality"]; ok {
				return i, at
			}
		}
	}
	return -1, nil
}

// read counts the decisions of every data row.
func (imp *PriorsImport) read(rows []csvRow) (*countsTable, Problems) {
	t := newCountsTable()
	h, at := findHeader(rows)
	if h < 0 {
		return t, Problems{{File: imp.File, Allowed: fmt.Sprintf(
			"no header row: want, within the first 10 rows, one naming the columns %s (Asy_D02, header on its second row) or %s (quarterly grant rates)",
			strings.Join(asyD02Columns, ", "), strings.Join(grantRatesColumns, ", "))}}
	}
	cols := asyD02Columns
	imp.Layout = "Asy_D02"
	imp.SourceTitle = "Home Office, asylum and resettlement datasets, table Asy_D02"
	if _, ok := at["case outcome group"]; !ok {
		if _, ok := at["grant"]; ok {
			cols, imp.Layout = grantRatesColumns, "grant rates"
			imp.SourceTitle = "Home Office initial decisions by nationality and quarter, derived from table Asy_D02"
		}
	}
	imp.SourceTitle += " (" + baseName(imp.File) + ")"
	var missing []string
	for _, c := range cols {
		if _, ok := at[headerKey(c)]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return t, Problems{{File: imp.File, Line: rows[h].n, Allowed: fmt.Sprintf(
			"the header lacks the column(s) %s; a %s table has %s", strings.Join(missing, ", "), imp.Layout, strings.Join(cols, ", "))}}
	}
	imp.Skipped = h
	colAt := map[string]int{}
	for _, c := range cols {
		colAt[c] = at[headerKey(c)]
	}
	codes := map[string][2]string{} // name → code, and "known" when known
	var ps Problems
	for _, r := range rows[h+1:] {
		get := func(col string) string {
			if j := colAt[col]; j < len(r.fields) {
				return strings.TrimSpace(r.fields[j])
			}
			return ""
		}
		if isNoteRow(r.fields) {
			imp.Skipped++
			continue
		}
		imp.Rows++
		var rowPs Problems
		bad := func(col, value, allowed string) {
			rowPs = append(rowPs, Problem{File: imp.File, Line: r.n, Key: col, Value: shortValue(value), Allowed: allowed})
		}
		q, ok := parseQuarter(get("Quarter"))
		if !ok {
			bad("Quarter", get("Quarter"), "a quarter such as 2024 Q3")
		}
		name := get("Nationality")
		if name == "" {
			bad("Nationality", "", "missing: the nationality, as the Home Office names it")
		}
		region := get("Region")
		// The names are carried into the policy file and the summary
		// printed on the terminal, so they are refused there as the
		// policy reader would refuse them.
		for _, f := range [][2]string{{"Nationality", name}, {"Region", region}} {
			if p := textProblem(f[1], false); p != "" {
				bad(f[0], f[1], p)
			}
		}
		var d decisionCounts
		uasc := false
		keep := true
		if imp.Layout == "grant rates" {
			d.grants = count(get("Grant"), "Grant", bad)
			d.refused = count(get("Refused"), "Refused", bad)
		} else {
			n := count(get("Decisions"), "Decisions", bad)
			keep = imp.asyD02Row(get, bad, n, &d, &uasc)
		}
		if len(rowPs) > 0 {
			ps = append(ps, rowPs...)
			continue
		}
		if !keep {
			continue
		}
		imp.Kept++
		if d.decisions() == 0 {
			continue
		}
		cached, ok := codes[name]
		if !ok {
			code, known := nationalityCode(name)
			cached = [2]string{code, ""}
			if known {
				cached[1] = "known"
			}
			codes[name] = cached
		}
		code, known := cached[0], cached[1] != ""
		switch {
		case !known:
			imp.Unknown[name] += d.decisions()
		case code == "":
			imp.Uncoded[name] += d.decisions()
		}
		t.add(q, code, region, uasc, d)
	}
	return t, ps
}

// asyD02Row reads the fields of an Asy_D02 row that decide whether and how
// it counts. It returns false for a row that is read but not counted.
func (imp *PriorsImport) asyD02Row(get func(string) string, bad func(col, value, allowed string), n int, d *decisionCounts, uasc *bool) bool {
	caseType := get("Case type")
	switch headerKey(caseType) {
	case "asylum case":
	case "":
		bad("Case type", "", "missing: Asylum Case, or another case type (dropped)")
		return false
	default:
		imp.Dropped[dropOtherCase]++
		return false
	}
	switch headerKey(get("Applicant type")) {
	case "main applicant":
	case "dependant", "dependent":
		imp.Dropped[dropDependant]++
		return false
	default:
		bad("Applicant type", get("Applicant type"), "Main applicant or Dependant")
		return false
	}
	switch v := headerKey(get("UASC")); {
	case v == "uasc" || v == "yes":
		*uasc = true
	case v == "" || v == "non-uasc" || v == "non uasc" || v == "not uasc" || v == "no" || v == "n/a" ||
		strings.HasPrefix(v, "unknown") || strings.HasPrefix(v, "total"):
	default:
		bad("UASC", get("UASC"), "UASC or Non-UASC (Unknown, Total and empty count as not UASC)")
		return false
	}
	d.split = true
	switch headerKey(get("Case outcome group")) {
	case "grant of protection":
		d.grants, d.protection = n, n
		if headerKey(get("Case outcome")) == "humanitarian protection" {
			d.hp = n
		}
	case "grant of other leave":
		d.grants = n
	case "refused":
		d.refused = n
	case "withdrawn":
		imp.Dropped[dropWithdrawn]++
		return false
	case "administrative outcome", "administrative outcomes":
		imp.Dropped[dropAdminOther]++
		return false
	default:
		bad("Case outcome group", get("Case outcome group"), "Grant of Protection, Grant of Other Leave, Refused, Withdrawn or Administrative Outcome")
		return false
	}
	return true
}

// count reads a number of decisions: a whole number, with or without
// thousands separators; NA or empty is none.
func count(s, col string, bad func(col, value, allowed string)) int {
	v := strings.ReplaceAll(s, ",", "")
	if v == "" || strings.EqualFold(v, "NA") {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > 1e9 {
		bad(col, s, "a whole number of decisions, 0 or more (NA or empty for none)")
		return 0
	}
	return int(f)
}

// isNoteRow reports whether a row is blank or a note: text, if any, in its
// first cell only.
func isNoteRow(fields []string) bool {
	for _, f := range fields[min(1, len(fields)):] {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func baseName(file string) string {
	if i := strings.LastIndexAny(file, `/\`); i >= 0 {
		return file[i+1:]
	}
	return file
}

// WriteText writes what the import read, kept and dropped, and the names it
// could not give a country code, for the person running it.
func (imp *PriorsImport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s table, %s to %s; %s of data, %d counted; %s of titles, notes or blanks skipped\n",
		imp.File, imp.Layout, imp.First, imp.Last, rowsWord(imp.Rows), imp.Kept, rowsWord(imp.Skipped))
	for _, reason := range slices.Sorted(maps.Keys(imp.Dropped)) {
		fmt.Fprintf(&b, "  dropped %s: %s\n", rowsWord(imp.Dropped[reason]), reason)
	}
	list := func(m map[string]int, what string) {
		if len(m) == 0 {
			return
		}
		fmt.Fprintf(&b, "  %s (their decisions count only towards their region and all nationalities):\n", what)
		for _, n := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "    %s: %d decisions\n", n, m[n])
		}
	}
	list(imp.Unknown, "nationality names not recognised")
	list(imp.Uncoded, "names with no ISO 3166-1 country code")
	var nat, region, def, uasc int
	for _, pr := range imp.Priors {
		switch {
		case pr.UASC:
			uasc++
		case pr.Nationality != "":
			nat++
		case pr.Region != "":
			region++
		default:
			def++
		}
	}
	fmt.Fprintf(&b, "  prior rows: %d by nationality, %d by region, %d for all nationalities (all ages); %d from children's (UASC) decisions\n", nat, region, def, uasc)
	_, err := io.WriteString(w, b.String())
	return err
}

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return strconv.Itoa(n) + " rows"
}
