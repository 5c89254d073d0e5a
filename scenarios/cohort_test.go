package scenarios

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"pathway/sim"
)

// cohortHeaderLine is the header of product.md §5, in its order.
const cohortHeaderLine = "id,date_of_birth,nationality,trafficked,looked_after_since,placement,claim_date,status,decision_date,expected_decision,p_refugee_status,p_humanitarian_protection,p_uasc_leave,p_refused,education_after_21,adviser_on_request,higher_education_start"

// cohortRow is a good row: the case file of product.md §1 as a cohort row.
const cohortRow = "YP-0001,2008-03-10,AFG,false,2023-11-01,foster,2023-11-20,pending,,2025-09-01,0.55,0.05,0.25,0.15,,,"

var jun2025 = sim.NewDate(2025, time.June, 1)

func cohortCases() []sim.Case {
	d := func(s string) sim.Date {
		v, err := sim.ParseDate(s)
		if err != nil {
			panic(err)
		}
		return v
	}
	return []sim.Case{
		{
			ID: "YP-0001", Name: "Amir", DateOfBirth: d("2008-03-10"), Nationality: "AFG",
			Care: sim.Care{LookedAfterSince: d("2023-11-01"), Placement: sim.Foster},
			Asylum: sim.Asylum{ClaimDate: d("2023-11-20"), Status: sim.Pending, ExpectedDecision: d("2025-09-01"),
				Probabilities: &sim.Probabilities{RefugeeStatus: dec("0.55"), HumanitarianProtection: dec("0.05"), UASCLeave: dec("0.25"), Refused: dec("0.15")}},
		},
		{
			ID: "YP-0002", DateOfBirth: d("2004-12-31"), Nationality: "ERI", Trafficked: true,
			Care:   sim.Care{LookedAfterSince: d("2021-02-01"), Placement: sim.StayingPut},
			Asylum: sim.Asylum{ClaimDate: d("2021-02-10"), Status: sim.StatusUASCLeave, DecisionDate: d("2021-09-01")},
		},
		{
			ID: "x_9.z", DateOfBirth: d("2001-06-02"), Nationality: "SDN",
			Care: sim.Care{LookedAfterSince: d("2018-01-01"), Placement: sim.Independent},
			Asylum: sim.Asylum{ClaimDate: d("2018-01-01"), Status: sim.StatusARE, DecisionDate: d("2020-02-29"),
				Probabilities: &sim.Probabilities{RefugeeStatus: dec("0"), HumanitarianProtection: dec("0.000000001"), UASCLeave: dec("0"), Refused: dec("0.999999999")}},
		},
	}
}

func TestCohortRoundTrip(t *testing.T) {
	cs := cohortCases()
	var b bytes.Buffer
	if err := WriteCohort(&b, cs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if first, _, _ := strings.Cut(out, "\n"); first != cohortHeaderLine {
		t.Errorf("header %q, want %q", first, cohortHeaderLine)
	}
	if strings.Contains(out, "Amir") {
		t.Errorf("a name was written:\n%s", out)
	}
	got, err := ReadCohort(strings.NewReader(out), "cohort.csv", jun2025)
	if err != nil {
		t.Fatalf("reading back:\n%s\ngives %v", out, err)
	}
	if len(got) != len(cs) {
		t.Fatalf("read back %d cases, want %d", len(got), len(cs))
	}
	for i := range cs {
		want := cs[i]
		want.Name = ""
		if d := caseDiff(got[i], want); d != "" {
			t.Errorf("case %d read back: %s", i, d)
		}
	}
}

func TestReadCohort(t *testing.T) {
	// Columns in another order, optional columns left out, a byte-order
	// mark, CRLF line ends and TRUE as a spreadsheet writes it.
	src := "\uFEFFstatus,id,claim_date,nationality,placement,looked_after_since,date_of_birth,trafficked,decision_date\r\n" +
		"refugee_status,YP-7,2023-01-05,IRN,semi_independent,2023-01-02,2007-07-07,TRUE,2024-02-03\r\n" +
		"pending,YP-8,2024-04-01,VNM,foster,2024-03-30,2009-01-31,,\r\n"
	got, err := ReadCohort(strings.NewReader(src), "cohort.csv", jun2025)
	if err != nil {
		t.Fatal(err)
	}
	want := []sim.Case{
		{ID: "YP-7", DateOfBirth: sim.NewDate(2007, time.July, 7), Nationality: "IRN", Trafficked: true,
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2023, time.January, 2), Placement: sim.SemiIndependent},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2023, time.January, 5), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2024, time.February, 3)}},
		{ID: "YP-8", DateOfBirth: sim.NewDate(2009, time.January, 31), Nationality: "VNM",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2024, time.March, 30), Placement: sim.Foster},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2024, time.April, 1), Status: sim.Pending}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d cases, want %d", len(got), len(want))
	}
	for i := range want {
		if d := caseDiff(got[i], want[i]); d != "" {
			t.Errorf("row %d: %s", i+2, d)
		}
	}

	// A header alone is an empty cohort.
	if got, err := ReadCohort(strings.NewReader(cohortHeaderLine+"\n"), "cohort.csv", jun2025); err != nil || len(got) != 0 {
		t.Errorf("header only: got %d cases, %v; want none, no error", len(got), err)
	}
	// A row dated after the start is read (the forecast counts it from
	// its date), and so is an expected decision before the start (due any
	// day), a row 25 or over (the forecast leaves it out and counts it),
	// and one with no nationality (the all-nationalities prior).
	for _, r := range []map[string]string{
		{"looked_after_since": "2025-07-01", "claim_date": "2026-01-01", "expected_decision": "2026-06-01"},
		{"expected_decision": "2025-05-31"},
		{"date_of_birth": "2000-05-31", "looked_after_since": "2017-01-01", "claim_date": "2017-01-05"},
		{"nationality": ""},
	} {
		for _, start := range []sim.Date{jun2025, {}} {
			if _, err := ReadCohort(strings.NewReader(cohortHeaderLine+"\n"+row(r)+"\n"), "cohort.csv", start); err != nil {
				t.Errorf("%v from %s: %v", r, start, err)
			}
		}
	}

	// Dates as DD/MM/YYYY, and the columns of support after 21: a fact
	// left empty is not known.
	src = "id,date_of_birth,nationality,looked_after_since,placement,claim_date,status,decision_date,education_after_21,adviser_on_request,higher_education_start\n" +
		"YP-9,10/03/2006,ERI,01/11/2021,semi_independent,20/11/2021,refugee_status,01/06/2022,TRUE,,14/09/2026\n" +
		"YP-10,2006-03-10,,2021-11-01,independent,2021-11-20,refugee_status,2022-06-01,false,true,\n"
	got, err = ReadCohort(strings.NewReader(src), "cohort.csv", jun2025)
	if err != nil {
		t.Fatal(err)
	}
	want = []sim.Case{
		{ID: "YP-9", DateOfBirth: sim.NewDate(2006, time.March, 10), Nationality: "ERI",
			Care:        sim.Care{LookedAfterSince: sim.NewDate(2021, time.November, 1), Placement: sim.SemiIndependent},
			Asylum:      sim.Asylum{ClaimDate: sim.NewDate(2021, time.November, 20), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2022, time.June, 1)},
			LeavingCare: sim.LeavingCare{EducationAfter21: true, AdviserOnRequestUnknown: true, HigherEducationStart: sim.NewDate(2026, time.September, 14)}},
		{ID: "YP-10", DateOfBirth: sim.NewDate(2006, time.March, 10),
			Care:        sim.Care{LookedAfterSince: sim.NewDate(2021, time.November, 1), Placement: sim.Independent},
			Asylum:      sim.Asylum{ClaimDate: sim.NewDate(2021, time.November, 20), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2022, time.June, 1)},
			LeavingCare: sim.LeavingCare{AdviserOnRequest: true}},
	}
	for i := range want {
		if d := caseDiff(got[i], want[i]); d != "" {
			t.Errorf("row %d: %s", i+2, d)
		}
	}
}

// row returns cohortRow with the values of the named columns replaced.
func row(changes map[string]string) string {
	cols := strings.Split(cohortHeaderLine, ",")
	vals := strings.Split(cohortRow, ",")
	for k, v := range changes {
		i := slices.Index(cols, k)
		if i < 0 {
			panic("no column " + k)
		}
		vals[i] = v
	}
	return strings.Join(vals, ",")
}

func TestReadCohortErrors(t *testing.T) {
	h := cohortHeaderLine
	decided := map[string]string{"status": "refused", "decision_date": "2024-06-01", "expected_decision": ""}
	with := func(base map[string]string, more map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		src  string
		asOf sim.Date
		want []want
	}{
		{"empty file", "", jun2025, []want{{1, "", "", "empty: give a header row"}}},
		{"unknown column", strings.Replace(h, "nationality", "nationalty", 1) + "\n", jun2025, []want{
			{1, "nationality", "", "missing column: a cohort file must have it"},
			{1, "nationalty", "", "unknown column (did you mean nationality); a cohort file has the columns id, date_of_birth"},
		}},
		{"unknown column named", h + ",name\n" + cohortRow + ",Amir\n", jun2025, []want{
			{1, "name", "", "unknown column; a cohort file has the columns"},
		}},
		{"column twice", h + ",status\n" + cohortRow + ",pending\n", jun2025, []want{
			{1, "status", "", "a column named once; it is named twice"},
		}},
		{"required column left out", strings.Replace(h, "placement,", "", 1) + "\n", jun2025, []want{
			{1, "placement", "", "missing column"},
		}},
		{"some p_ columns", strings.Replace(h, ",p_uasc_leave,p_refused", "", 1) + "\n", jun2025, []want{
			{1, "p_refused", "", "missing column: give all four of p_refugee_status"},
			{1, "p_uasc_leave", "", "missing column: give all four"},
		}},
		{"too few values", h + "\n" + cohortRow + "\nYP-2,2008-03-10\n", jun2025, []want{
			{3, "", "", "one value for each of the header's 17 columns; this row has 2"},
		}},
		{"bad CSV", h + "\n" + cohortRow + "\nYP-\"2,2008\n", jun2025, []want{
			{3, "", "", `not valid CSV: bare " in non-quoted-field`},
		}},
		{"not a date", h + "\n" + row(map[string]string{"date_of_birth": "2008/03/10", "looked_after_since": "1/11/2023"}), jun2025, []want{
			{2, "date_of_birth", "2008/03/10", "a date in the form YYYY-MM-DD or DD/MM/YYYY"},
			{2, "looked_after_since", "1/11/2023", "a date in the form YYYY-MM-DD or DD/MM/YYYY"},
		}},
		{"support after 21", h + "\n" + row(map[string]string{"education_after_21": "yes", "adviser_on_request": "1", "higher_education_start": "2024-03-10"}), jun2025, []want{
			{2, "adviser_on_request", "1", "true, false or empty (not known: the forecast assumes the policy's share)"},
			{2, "education_after_21", "yes", "true, false or empty (not known"},
			{2, "higher_education_start", "2024-03-10", "a date after the 16th birthday, 2024-03-10"},
		}},
		{"no such day", h + "\n" + row(map[string]string{"claim_date": "2023-02-29"}), jun2025, []want{
			{2, "claim_date", "2023-02-29", "a date in the form YYYY-MM-DD"},
		}},
		{"required values empty", h + "\n" + row(map[string]string{"id": "", "date_of_birth": "", "nationality": "", "looked_after_since": "", "placement": "", "claim_date": "", "status": "", "expected_decision": ""}), jun2025, []want{
			{2, "claim_date", "", "missing: give a date in the form YYYY-MM-DD"},
			{2, "date_of_birth", "", "missing: give a date"},
			{2, "id", "", "missing: give a pseudonymous reference"},
			{2, "looked_after_since", "", "missing: give a date"},
			{2, "placement", "", "missing: give one of foster, residential"},
			{2, "status", "", "missing: give one of pending, refugee_status"},
		}},
		{"id with a space", h + "\n" + row(map[string]string{"id": "Amir Khan"}), jun2025, []want{
			{2, "id", "Amir Khan", "a pseudonymous reference such as YP-0001, never a name"},
		}},
		{"trafficked yes", h + "\n" + row(map[string]string{"trafficked": "yes"}), jun2025, []want{
			{2, "trafficked", "yes", "true, false or empty (false)"},
		}},
		{"nationality", h + "\n" + row(map[string]string{"nationality": "Afghanistan"}) + "\n" + row(map[string]string{"id": "YP-2", "nationality": "af"}) + "\n" + row(map[string]string{"id": "YP-3", "nationality": "XXX"}), jun2025, []want{
			{2, "nationality", "Afghanistan", "an ISO 3166-1 alpha-3 country code in capitals, like AFG"},
			{3, "nationality", "af", "the ISO 3166-1 alpha-3 code in capitals, AFG"},
			{4, "nationality", "XXX", "an ISO 3166-1 alpha-3 country code"},
		}},
		{"enums", h + "\n" + row(map[string]string{"placement": "fostr", "status": "Pending"}), jun2025, []want{
			{2, "placement", "fostr", "one of foster, residential, supported_lodgings, semi_independent, staying_put, independent, other (did you mean foster)"},
			{2, "status", "Pending", "(did you mean pending)"},
		}},
		{"duplicate ids", h + "\n" + cohortRow + "\n" + row(map[string]string{"id": "YP-2"}) + "\n" + cohortRow + "\n" + cohortRow, jun2025, []want{
			{4, "id", "YP-0001", "an id given on no other row; row 2 has it already"},
			{5, "id", "YP-0001", "row 2 has it already"},
		}},
		{"decision date while pending", h + "\n" + row(map[string]string{"decision_date": "2024-01-01"}), jun2025, []want{
			{2, "decision_date", "2024-01-01", "no decision date while status is pending"},
		}},
		{"no decision date", h + "\n" + row(with(decided, map[string]string{"decision_date": ""})), jun2025, []want{
			{2, "decision_date", "", "missing: give the date of the decision that gave status refused"},
		}},
		{"expected decision when decided", h + "\n" + row(with(decided, map[string]string{"expected_decision": "2025-09-01"})), jun2025, []want{
			{2, "expected_decision", "2025-09-01", "an expected decision only while status is pending, not refused"},
		}},
		{"some probabilities", h + "\n" + row(map[string]string{"p_uasc_leave": "", "p_refused": ""}), jun2025, []want{
			{2, "p_refused", "", "missing: give all four of p_refugee_status, p_humanitarian_protection, p_uasc_leave and p_refused, or none of them"},
			{2, "p_uasc_leave", "", "missing: give all four"},
		}},
		{"probability not a number", h + "\n" + row(map[string]string{"p_refused": "15%", "p_uasc_leave": "2.5e-1"}), jun2025, []want{
			{2, "p_refused", "15%", "a number from 0 to 1, like 0.55"},
			{2, "p_uasc_leave", "2.5e-1", "a number from 0 to 1"},
		}},
		{"probability over 1", h + "\n" + row(map[string]string{"p_refused": "1.15"}), jun2025, []want{
			{2, "p_refused", "1.15", "a number from 0 to 1"},
		}},
		{"probabilities not adding up", h + "\n" + row(map[string]string{"p_refused": "0.05"}), jun2025, []want{
			{2, probabilitySumKey, "", "four probabilities that add up to 1; these add up to 0.9"},
		}},
		{"25 or over, looked after at 23", h + "\n" + row(map[string]string{"date_of_birth": "2000-05-31"}), jun2025, []want{
			{2, "looked_after_since", "2023-11-01", "a date before the young person turned 18 on 2018-05-31"},
		}},
		{"born on the start", h + "\n" + row(map[string]string{"date_of_birth": "2025-06-01", "looked_after_since": "2025-06-02", "claim_date": "2025-06-02"}), jun2025, []want{
			{2, "date_of_birth", "2025-06-01", "a date before the forecast's start, 2025-06-01"},
		}},
		{"looked after before birth", h + "\n" + row(map[string]string{"looked_after_since": "2008-03-10"}), jun2025, []want{
			{2, "looked_after_since", "2008-03-10", "a date after date_of_birth (2008-03-10)"},
		}},
		{"claim before birth", h + "\n" + row(map[string]string{"claim_date": "2008-03-09"}), jun2025, []want{
			{2, "claim_date", "2008-03-09", "a date after date_of_birth (2008-03-10)"},
		}},
		{"decision before claim; a decision after the start is a fact", h + "\n" + row(with(decided, map[string]string{"decision_date": "2023-11-19"})) + "\n" +
			row(with(decided, map[string]string{"id": "YP-2", "decision_date": "2025-06-02"})), jun2025, []want{
			{2, "decision_date", "2023-11-19", "a date on or after claim_date (2023-11-20)"},
		}},
		{"every bad row listed", h + "\n" + row(map[string]string{"nationality": "afg"}) + "\n" + row(map[string]string{"id": "YP-2"}) + "\n" +
			row(map[string]string{"id": "YP-3", "placement": "hotel"}) + "\n" + row(map[string]string{"id": "YP-4", "claim_date": "2026-01-01"}), jun2025, []want{
			{2, "nationality", "afg", "the ISO 3166-1 alpha-3 code in capitals, AFG"},
			{4, "placement", "hotel", "one of foster"},
			{5, "expected_decision", "2025-09-01", "a date after claim_date (2026-01-01)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCohort(strings.NewReader(tt.src), "cohort.csv", tt.asOf)
			checkProblems(t, "cohort.csv", err, tt.want, tt.src)
		})
	}
}

// A failure to read is not a problem with the file, and is not reported as one.
func TestReadCohortReadError(t *testing.T) {
	_, err := ReadCohort(failingReader{}, "cohort.csv", jun2025)
	if _, ok := err.(Problems); ok || err == nil || !strings.Contains(err.Error(), "read cohort.csv") {
		t.Errorf("got %v, want a read error naming the file", err)
	}
}

func FuzzReadCohort(f *testing.F) {
	var b bytes.Buffer
	if err := WriteCohort(&b, cohortCases()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String(), "2025-06-01")
	f.Add(cohortHeaderLine+"\n"+cohortRow+"\n", "")
	f.Add("id,status\nYP-1,\"pending\"\"\"\n", "2025-06-01")
	f.Add("\uFEFFid,id,nationality\r\n,,\n\"a\nb\",c\n", "2020-02-29")
	f.Add(cohortHeaderLine+"\n"+row(map[string]string{"p_refused": "0.150000000000000000000001"}), "2025-06-01")
	f.Fuzz(func(t *testing.T, src, asOfText string) {
		asOf, _ := sim.ParseDate(asOfText)
		cs, err := ReadCohort(strings.NewReader(src), "fuzz.csv", asOf)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("got error %v (%T), want Problems", err, err)
			}
			for i, p := range ps {
				if p.File != "fuzz.csv" || p.Allowed == "" || p.Line < 1 || p.Line > strings.Count(src, "\n")+2 {
					t.Fatalf("bad problem %#v", p)
				}
				if i > 0 && p.Line < ps[i-1].Line {
					t.Fatalf("problems out of row order:\n%v", ps)
				}
			}
			return
		}
		ids := map[string]bool{}
		for _, c := range cs {
			if ps := checkCohortRow(c, asOf); len(ps) > 0 {
				t.Fatalf("accepted a case breaking a rule, %v:\n%s", ps, src)
			}
			if ids[c.ID] {
				t.Fatalf("accepted the id %s twice", c.ID)
			}
			ids[c.ID] = true
		}
		// What was accepted, written out again, reads back the same.
		var out bytes.Buffer
		if err := WriteCohort(&out, cs); err != nil {
			t.Fatal(err)
		}
		again, err := ReadCohort(&out, "again.csv", asOf)
		if err != nil {
			t.Fatalf("written again and read back: %v", err)
		}
		if len(again) != len(cs) {
			t.Fatalf("read back %d cases, want %d", len(again), len(cs))
		}
		for i := range cs {
			if d := caseDiff(again[i], cs[i]); d != "" {
				t.Fatalf("written again and read back: %s", d)
			}
		}
	})
}

// checkCase and the case-file parser say the same about the same case: the
// cohort's rules are the case file's.
func TestCheckCaseAgreesWithParseCase(t *testing.T) {
	for _, s := range Samples() {
		c, err := ParseCase(bytes.NewReader(s.Data), s.Name, sim.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if ps := checkCase(c, c.ReviewDate); len(ps) > 0 {
			t.Errorf("%s: %v", s.Name, ps)
		}
	}
	tests := []struct {
		lines  map[int]string // changes to exampleCase
		change func(*sim.Case)
	}{
		{map[int]string{3: "date_of_birth = 2000-05-31"}, func(c *sim.Case) { c.DateOfBirth = sim.NewDate(2000, time.May, 31) }},
		{map[int]string{3: "date_of_birth = 2025-06-01"}, func(c *sim.Case) { c.DateOfBirth = sim.NewDate(2025, time.June, 1) }},
		{map[int]string{9: "looked_after_since = 2025-07-01"}, func(c *sim.Case) { c.Care.LookedAfterSince = sim.NewDate(2025, time.July, 1) }},
		{map[int]string{9: "looked_after_since = 2026-03-10"}, func(c *sim.Case) { c.Care.LookedAfterSince = sim.NewDate(2026, time.March, 10) }},
		{map[int]string{13: "claim_date = 2008-03-09"}, func(c *sim.Case) { c.Asylum.ClaimDate = sim.NewDate(2008, time.March, 9) }},
		{map[int]string{13: "claim_date = 2025-09-01"}, func(c *sim.Case) { c.Asylum.ClaimDate = sim.NewDate(2025, time.September, 1) }},
		{map[int]string{15: "expected_decision = 2023-11-20"}, func(c *sim.Case) { c.Asylum.ExpectedDecision = sim.NewDate(2023, time.November, 20) }},
		{map[int]string{14: `status = "refused"`}, func(c *sim.Case) { c.Asylum.Status = sim.StatusRefused }},
		{map[int]string{15: "decision_date = 2023-11-19"}, func(c *sim.Case) {
			c.Asylum.DecisionDate, c.Asylum.ExpectedDecision = sim.NewDate(2023, time.November, 19), sim.Date{}
		}},
		{map[int]string{14: `status = "uasc_leave"`, 15: "decision_date = 2023-11-19"}, func(c *sim.Case) {
			c.Asylum.Status, c.Asylum.DecisionDate, c.Asylum.ExpectedDecision = sim.StatusUASCLeave, sim.NewDate(2023, time.November, 19), sim.Date{}
		}},
		{map[int]string{4: `nationality = "afg"`}, func(c *sim.Case) { c.Nationality = "afg" }},
		{map[int]string{10: `placement = "hostel"`}, func(c *sim.Case) { c.Care.Placement = "hostel" }},
	}
	for _, tt := range tests {
		src := edit(exampleCase, tt.lines)
		_, err := ParseCase(strings.NewReader(src), "case.toml", jun2025)
		ps, ok := err.(Problems)
		if !ok {
			t.Fatalf("%v: ParseCase gives %v, want Problems", tt.lines, err)
		}
		var fromCase []string
		for _, p := range ps {
			fromCase = append(fromCase, p.Key[strings.LastIndex(p.Key, ".")+1:]+": "+p.Allowed)
		}
		c := exampleWant()
		tt.change(&c)
		var fromCheck []string
		for _, p := range checkCase(c, jun2025) {
			fromCheck = append(fromCheck, p.column+": "+p.allowed)
		}
		slices.Sort(fromCase)
		slices.Sort(fromCheck)
		if !slices.Equal(fromCase, fromCheck) {
			t.Errorf("%v:\nParseCase: %q\ncheckCase: %q", tt.lines, fromCase, fromCheck)
		}
	}
}
