package scenarios

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// cohortColumns are the columns of a cohort file, in the order product.md §5
// gives them and WriteCohort writes them.
var cohortColumns = []string{
	"id", "date_of_birth", "nationality", "trafficked", "looked_after_since", "placement",
	"claim_date", "status", "decision_date", "expected_decision",
	"p_refugee_status", "p_humanitarian_protection", "p_uasc_leave", "p_refused",
	"education_after_21", "adviser_on_request", "higher_education_start",
}

// requiredColumns must be in a cohort file's header; the others may be left
// out, which is the same as leaving them empty on every row.
var requiredColumns = []string{"id", "date_of_birth", "nationality", "looked_after_since", "placement", "claim_date", "status"}

// probabilityColumns hold a case's outcome probabilities, in the order of
// sim.DecisionOutcomes: all four are given or none.
var probabilityColumns = []string{"p_refugee_status", "p_humanitarian_protection", "p_uasc_leave", "p_refused"}

// probabilitySumKey names the four probability columns together, for the
// problem that they do not add up to 1.
var probabilitySumKey = strings.Join(probabilityColumns, ", ")

const (
	allowISODate    = "a date in the form YYYY-MM-DD or DD/MM/YYYY, like 2008-03-10 or 10/03/2008"
	allowCSVBool    = "true, false or empty (false)"
	allowCSVMaybe   = "true, false or empty (not known: the forecast assumes the policy's share)"
	allowAllOrNoneP = "all four of p_refugee_status, p_humanitarian_protection, p_uasc_leave and p_refused, or none of them"
)

// ReadCohort reads a cohort file (product.md §5, "Cohort file columns"): a
// header row naming the columns in any order, then one row per young
// person, each checked by checkCohortRow for a forecast from start. When
// start is zero the rule that compares a date with it is skipped. The cases
// carry no review date and no name: a cohort file has neither. What a
// forecast does with rows 25 or over, or dated after the start, is
// sim.EntryOf's to say; they are not problems.
//
// Bad input gives a Problems error listing every bad row, by row number
// (the header is row 1), column, value and what is allowed. Other errors
// (reading r) are returned wrapped.
func ReadCohort(r io.Reader, file string, start sim.Date) ([]sim.Case, error) {
	rows, probs, err := readCSV(r, file)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		if len(probs) == 0 {
			probs = append(probs, Problem{File: file, Line: 1, Allowed: "empty: give a header row naming the columns, " + strings.Join(cohortColumns, ", ")})
		}
		return nil, probs.orNil()
	}
	at, headProbs := cohortHeader(file, rows[0].fields)
	probs = append(probs, headProbs...)

	var cs []sim.Case
	firstRow := map[string]int{} // row on which each id is first given
	for _, row := range rows[1:] {
		if len(row.fields) != len(rows[0].fields) {
			probs = append(probs, fieldCountProblem(file, row, len(rows[0].fields)))
			continue
		}
		c, rowProbs := readCohortRow(file, row, at, start)
		probs = append(probs, rowProbs...)
		if c.ID != "" {
			if first, seen := firstRow[c.ID]; seen {
				probs = append(probs, Problem{File: file, Line: row.n, Key: "id", Value: shortValue(c.ID),
					Allowed: fmt.Sprintf("an id given on no other row; row %d has it already", first)})
			} else {
				firstRow[c.ID] = row.n
			}
		}
		cs = append(cs, c)
	}
	if err := probs.orNil(); err != nil {
		return nil, err
	}
	return cs, nil
}

// cohortHeader finds each column of a cohort file's header; at[column] is
// its index. Unknown, repeated and missing columns are problems, and so is
// giving some of the p_ columns but not all.
func cohortHeader(file string, header []string) (at map[string]int, probs Problems) {
	at, probs = readHeader(file, "a cohort file", header, cohortColumns, requiredColumns)
	var given int
	for _, name := range probabilityColumns {
		if _, ok := at[name]; ok {
			given++
		}
	}
	if given > 0 && given < len(probabilityColumns) {
		for _, name := range probabilityColumns {
			if _, ok := at[name]; !ok {
				probs = append(probs, Problem{File: file, Line: 1, Key: name, Allowed: "missing column: give " + allowAllOrNoneP})
			}
		}
	}
	return at, probs
}

// readHeader finds each of the known columns in a header row; at[column] is
// its index. Unknown, repeated and missing required columns are problems.
// kind names the file's kind in them, like "a cohort file".
func readHeader(file, kind string, header, known, required []string) (at map[string]int, probs Problems) {
	at = map[string]int{}
	for i, name := range header {
		switch _, dup := at[name]; {
		case !slices.Contains(known, name):
			allowed := "unknown column"
			if n := nearest(name, known); n != "" {
				allowed += fmt.Sprintf(" (did you mean %s)", n)
			}
			probs = append(probs, Problem{File: file, Line: 1, Key: shortValue(name),
				Allowed: fmt.Sprintf("%s; %s has the columns %s", allowed, kind, strings.Join(known, ", "))})
		case dup:
			probs = append(probs, Problem{File: file, Line: 1, Key: name, Allowed: "a column named once; it is named twice"})
		default:
			at[name] = i
		}
	}
	for _, name := range required {
		if _, ok := at[name]; !ok {
			probs = append(probs, Problem{File: file, Line: 1, Key: name, Allowed: fmt.Sprintf("missing column: %s must have it", kind)})
		}
	}
	return at, probs
}

// readCohortRow reads one row. Each value's form is checked here; what the
// values mean together is checked by checkCohortRow.
func readCohortRow(file string, row csvRow, at map[string]int, start sim.Date) (sim.Case, Problems) {
	var probs Problems
	// reported holds the columns already reported, or missing from the
	// header (reported once there), so that checkCase adds nothing on them.
	reported := map[string]bool{}
	for _, name := range requiredColumns {
		if _, ok := at[name]; !ok {
			reported[name] = true
		}
	}
	get := func(name string) string {
		if i, ok := at[name]; ok {
			return row.fields[i]
		}
		return ""
	}
	bad := func(name, value, allowed string) {
		probs = append(probs, Problem{File: file, Line: row.n, Key: name, Value: shortValue(value), Allowed: allowed})
		reported[name] = true
	}
	date := func(name string) sim.Date {
		s := get(name)
		if s == "" {
			return sim.Date{}
		}
		d, ok := parse903Date(s)
		if !ok {
			bad(name, s, allowISODate)
		}
		return d
	}
	// maybe reads a yes-or-no column that may be left empty: not known.
	maybe := func(name string) (v, unknown bool) {
		switch s := get(name); {
		case s == "":
			return false, true
		case strings.EqualFold(s, "true"):
			return true, false
		case strings.EqualFold(s, "false"):
			return false, false
		default:
			bad(name, s, allowCSVMaybe)
		}
		return false, true
	}

	var c sim.Case
	c.ID = get("id")
	c.DateOfBirth = date("date_of_birth")
	c.Nationality = get("nationality")
	switch s := get("trafficked"); {
	case s == "" || strings.EqualFold(s, "false"):
	case strings.EqualFold(s, "true"):
		c.Trafficked = true
	default:
		bad("trafficked", s, allowCSVBool)
	}
	c.Care.LookedAfterSince = date("looked_after_since")
	c.Care.Placement = sim.Placement(get("placement"))
	c.Asylum.ClaimDate = date("claim_date")
	c.Asylum.Status = sim.Status(get("status"))
	c.Asylum.DecisionDate = date("decision_date")
	c.Asylum.ExpectedDecision = date("expected_decision")
	c.Asylum.Probabilities = readProbabilities(get, bad)
	lc := &c.LeavingCare
	lc.EducationAfter21, lc.EducationAfter21Unknown = maybe("education_after_21")
	lc.AdviserOnRequest, lc.AdviserOnRequestUnknown = maybe("adviser_on_request")
	lc.HigherEducationStart = date("higher_education_start")

	for _, p := range checkCohortRow(c, start) {
		if !reported[p.column] {
			probs = append(probs, Problem{File: file, Line: row.n, Key: p.column, Value: shortValue(p.value), Allowed: p.allowed})
		}
	}
	return c, probs
}

// readProbabilities reads the four p_ columns: all empty gives nil. Their
// range and sum are checked by checkCase.
func readProbabilities(get func(string) string, bad func(name, value, allowed string)) *sim.Probabilities {
	var empty []string
	for _, name := range probabilityColumns {
		if get(name) == "" {
			empty = append(empty, name)
		}
	}
	switch len(empty) {
	case len(probabilityColumns):
		return nil
	case 0:
	default:
		for _, name := range empty {
			bad(name, "", "missing: give "+allowAllOrNoneP)
		}
		return nil
	}
	var p sim.Probabilities
	dst := []*decimal.Decimal{&p.RefugeeStatus, &p.HumanitarianProtection, &p.UASCLeave, &p.Refused}
	ok := true
	for i, name := range probabilityColumns {
		s := get(name)
		d, err := decimal.NewFromString(s)
		if !policyDecimal.MatchString(s) || err != nil {
			bad(name, s, allowProbability)
			ok = false
			continue
		}
		*dst[i] = d
	}
	if !ok {
		return nil
	}
	return &p
}

// WriteCohort writes cases as a cohort file, with the header in product.md's
// order; ReadCohort reads it back to the same cases. Only the cohort's
// columns are written: never a name, and not the review date, the end of a
// course, the first home, a Schedule 3 outcome or a planned return, which a
// cohort file has no columns for. A fact not known is left empty.
func WriteCohort(w io.Writer, cs []sim.Case) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(cohortColumns); err != nil {
		return err
	}
	for _, c := range cs {
		a := c.Asylum
		rec := []string{
			c.ID, c.DateOfBirth.String(), c.Nationality, strconv.FormatBool(c.Trafficked),
			c.Care.LookedAfterSince.String(), string(c.Care.Placement),
			a.ClaimDate.String(), string(a.Status), a.DecisionDate.String(), a.ExpectedDecision.String(),
			"", "", "", "",
			maybeString(c.LeavingCare.EducationAfter21, c.LeavingCare.EducationAfter21Unknown),
			maybeString(c.LeavingCare.AdviserOnRequest, c.LeavingCare.AdviserOnRequestUnknown),
			c.LeavingCare.HigherEducationStart.String(),
		}
		if p := a.Probabilities; p != nil {
			for i, o := range sim.DecisionOutcomes {
				rec[10+i] = p.Of(o).String()
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func maybeString(v, unknown bool) string {
	if unknown {
		return ""
	}
	return strconv.FormatBool(v)
}

// checkCohortRow checks a cohort row for a forecast from start: the rules of
// checkCase that do not depend on an as-of date (a row may be dated after
// the start, and enters then; an expected decision before the start is due
// any day), and a date of birth before the start (skipped when start is
// zero). One check for the forecast and for validate.
func checkCohortRow(c sim.Case, start sim.Date) []fieldProblem {
	ps := checkCase(c, sim.Date{})
	if !start.IsZero() && !c.DateOfBirth.IsZero() && !c.DateOfBirth.Before(start) {
		ps = append(ps, fieldProblem{"date_of_birth", c.DateOfBirth.String(), fmt.Sprintf("a date before the forecast's start, %s", start)})
	}
	if he := c.LeavingCare.HigherEducationStart; !he.IsZero() && !c.DateOfBirth.IsZero() && !he.After(c.DateOfBirth.Birthday(16)) {
		ps = append(ps, fieldProblem{"higher_education_start", he.String(), fmt.Sprintf("a date after the 16th birthday, %s", c.DateOfBirth.Birthday(16))})
	}
	return ps
}

// fieldProblem is a rule of product.md §1 that a case breaks: the field, by
// its cohort column (the last part of its case-file key), the value found
// and what is allowed.
type fieldProblem struct {
	column, value, allowed string
}

// checkCase checks a case built without a case file — read from a cohort
// row, imported or generated — by the rules ParseCase applies to a case
// file, with the same words: required values, the enums, the ISO alpha-3
// nationality when one is given, the decision dates that go with the status, the outcome
// probabilities, and the order of the dates against each other and asOf
// (skipped when asOf is zero). It does not check a planned return or a
// Schedule 3 outcome, which have no cohort columns.
func checkCase(c sim.Case, asOf sim.Date) []fieldProblem {
	ps := cohortDateProblems(c)
	bad := func(column, value, format string, args ...any) {
		ps = append(ps, fieldProblem{column, value, fmt.Sprintf(format, args...)})
	}
	badDate := func(column string, d sim.Date, format string, args ...any) {
		bad(column, d.String(), format, args...)
	}
	missing := func(column, what string) { bad(column, "", "missing: give %s", what) }

	switch {
	case c.ID == "":
		missing("id", allowID)
	case !validID(c.ID):
		bad("id", c.ID, "%s", allowID)
	}
	// An empty nationality is not known: the all-nationalities prior
	// (product.md §5).
	if c.Nationality != "" {
		if allowed := nationalityProblem(c.Nationality); allowed != "" {
			bad("nationality", c.Nationality, "%s", allowed)
		}
	}
	enum := func(column, value string, names []string) bool {
		allowed := "one of " + strings.Join(names, ", ")
		switch {
		case value == "":
			missing(column, allowed)
		case !slices.Contains(names, value):
			if n := nearest(value, names); n != "" {
				allowed = fmt.Sprintf("%s (did you mean %s)", allowed, n)
			}
			bad(column, value, "%s", allowed)
		default:
			return true
		}
		return false
	}
	enum("placement", string(c.Care.Placement), enumNames(sim.Placements))
	statusKnown := enum("status", string(c.Asylum.Status), enumNames(sim.Statuses))

	dob, las, claim := c.DateOfBirth, c.Care.LookedAfterSince, c.Asylum.ClaimDate
	decision, expected := c.Asylum.DecisionDate, c.Asylum.ExpectedDecision
	status := c.Asylum.Status
	for _, d := range []struct {
		column string
		date   sim.Date
	}{{"date_of_birth", dob}, {"looked_after_since", las}, {"claim_date", claim}} {
		if d.date.IsZero() {
			missing(d.column, allowISODate)
		}
	}
	// A date the status does not allow is reported once, and then, as a
	// case file's is, left out of the order of the dates.
	if statusKnown && status == sim.Pending && !decision.IsZero() {
		badDate("decision_date", decision, "no decision date while status is pending: give expected_decision for the coming decision, or change status")
		decision = sim.Date{}
	}
	if statusKnown && status != sim.Pending {
		if decision.IsZero() {
			missing("decision_date", "the date of the decision that gave status "+string(status))
		}
		if !expected.IsZero() {
			badDate("expected_decision", expected, "an expected decision only while status is pending, not %s", status)
			expected = sim.Date{}
		}
	}

	if p := c.Asylum.Probabilities; p != nil {
		inRange := true
		for i, o := range sim.DecisionOutcomes {
			if v := p.Of(o); v.IsNegative() || v.GreaterThan(decimal.NewFromInt(1)) {
				bad(probabilityColumns[i], v.String(), "%s", allowProbability)
				inRange = false
			}
		}
		if sum := p.Sum(); inRange && sum.Sub(decimal.NewFromInt(1)).Abs().GreaterThan(probabilityTolerance) {
			bad(probabilitySumKey, "", "four probabilities that add up to 1; these add up to %s", sum)
		}
	}

	// The order of the dates, as caseReader.checkDates has it.
	known := func(ds ...sim.Date) bool { return !slices.ContainsFunc(ds, sim.Date.IsZero) }
	if known(dob, asOf) {
		if !dob.Before(asOf) {
			badDate("date_of_birth", dob, "a date before the as-of date %s", asOf)
		} else if age := dob.AgeOn(asOf); age >= 25 {
			badDate("date_of_birth", dob, "a date that makes the young person under 25 on the as-of date %s (this date makes them %d): a personal adviser's support ends at 25", asOf, age)
		}
	}
	if known(dob, las) {
		if !dob.Before(las) {
			badDate("looked_after_since", las, "a date after date_of_birth (%s)", dob)
		} else if dob.AgeOn(las) >= 18 {
			badDate("looked_after_since", las, "a date before the young person turned 18 on %s: a looked-after child is under 18", dob.Birthday(18))
		}
	}
	if known(las, asOf) && las.After(asOf) {
		badDate("looked_after_since", las, "a date on or before the as-of date %s", asOf)
	}
	if known(dob, claim) && !dob.Before(claim) {
		badDate("claim_date", claim, "a date after date_of_birth (%s)", dob)
	}
	if known(claim, asOf) && claim.After(asOf) {
		badDate("claim_date", claim, "a date on or before the as-of date %s", asOf)
	}
	if known(claim, decision) && decision.Before(claim) {
		badDate("decision_date", decision, "a date on or after claim_date (%s)", claim)
	}
	if known(decision, asOf) && decision.After(asOf) {
		badDate("decision_date", decision, "a date on or before the as-of date %s", asOf)
	}
	if known(expected, asOf) && expected.Before(asOf) {
		badDate("expected_decision", expected, "a date on or after the as-of date %s (if the decision has come, give status and decision_date)", asOf)
	}
	if known(claim, expected) && !expected.After(claim) {
		badDate("expected_decision", expected, "a date after claim_date (%s)", claim)
	}
	return ps
}

// nationalityProblem returns what is allowed when s is not an ISO 3166-1
// alpha-3 code in capitals, or "" when it is one.
func nationalityProblem(s string) string {
	code, ok := countryCode(s)
	switch {
	case ok && code == s:
		return ""
	case ok:
		return "the ISO 3166-1 alpha-3 code in capitals, " + code
	}
	return allowNationality
}

// csvRow is one record of a CSV file and its row number (the header is row 1).
type csvRow struct {
	n      int
	fields []string
}

// readCSV reads every record of a CSV file. A syntax error is a problem at
// the row it is found on, and ends the reading: what follows cannot be
// trusted. A byte-order mark before the header is dropped. Errors reading r
// are returned wrapped.
func readCSV(r io.Reader, file string) ([]csvRow, Problems, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg := pe.Err.Error()
			if pe.Column > 0 {
				msg = fmt.Sprintf("%s (line %d, column %d)", msg, pe.Line, pe.Column)
			}
			return rows, Problems{{File: file, Line: len(rows) + 1, Allowed: "not valid CSV: " + msg}}, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", file, err)
		}
		if len(rows) == 0 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
		}
		rows = append(rows, csvRow{n: len(rows) + 1, fields: rec})
	}
}

func fieldCountProblem(file string, row csvRow, want int) Problem {
	return Problem{File: file, Line: row.n,
		Allowed: fmt.Sprintf("one value for each of the header's %d columns; this row has %d", want, len(row.fields))}
}

// shortValue cuts a long value short for a problem, as a case file's
// problems do.
func shortValue(s string) string {
	const limit = 80
	if utf8.RuneCountInString(s) > limit {
		r := []rune(s)
		s = string(r[:limit-1]) + "…"
	}
	return s
}
