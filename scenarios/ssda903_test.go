package scenarios

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"pathway/sim"
)

// sampleDir holds the synthetic 903 sample's rows for its UASC children.
var sampleDir = filepath.Join("..", "testdata", "ssda903", "sample")

func sampleFS(t *testing.T) fs.FS {
	t.Helper()
	return os.DirFS(sampleDir)
}

// dfeForm rewrites the 903 sample as the DfE writes its CSV files: dates
// DD/MM/YYYY, and no LA or YEAR column.
func dfeForm(t *testing.T) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	for _, name := range []string{"uasc.csv", "header.csv", "episodes.csv"} {
		f, err := os.Open(filepath.Join(sampleDir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		keep := []int{}
		for i, h := range rows[0] {
			if h != "LA" && h != "YEAR" {
				keep = append(keep, i)
			}
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		for n, r := range rows {
			var rec []string
			for _, i := range keep {
				v := r[i]
				if d, err := time.Parse("2006-01-02", v); err == nil && n > 0 {
					v = d.Format("02/01/2006")
				}
				rec = append(rec, v)
			}
			w.Write(rec)
		}
		w.Flush()
		out[strings.ToUpper(name[:1])+name[1:]] = &fstest.MapFile{Data: b.Bytes()}
	}
	return out
}

func importFiles(t *testing.T, dir fs.FS, statusPath string) ([]sim.Case, ImportSummary) {
	t.Helper()
	f, err := os.Open(statusPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, s, err := Import903(dir, f, "status.csv", jun2025)
	if err != nil {
		t.Fatalf("Import903: %v", err)
	}
	return cs, s
}

// TestImport903Sample imports the 903 sample with testdata/ssda903/status.csv
// as of 2025-06-01. The expected figures were worked out apart from the
// importer, with a short Python script over the CSVs: read uasc.csv (23
// distinct children, all with DUC before the 18th birthday); for each, take
// its episodes.csv rows, keep one row per DECOM (the one with a DEC if any),
// sort by DECOM; drop a child aged 25 or more on 2025-06-01 (534005, born
// 2000-05-14), then one whose episodes overlap (309655: 2017-07-14 to
// 2018-07-20 overlaps 2017-12-14; 979155: 2016-06-27 to 2017-04-18 overlaps
// 2016-08-22), then one whose last PLACE is not U1–U6, K1, K2, R1, R3, S1,
// H5, P2 or P3 (109036 A3, 766270 A6); then join the status file, latest
// status_start first: 549349 has no row, 543132 has status "granted",
// 830787 no nationality, and 970280 a refusal dated 2019-03-01 before its
// claim on 2019-05-01. That leaves 14. 261594 and 993726 give no claim
// date. Counting days looked after between the 14th birthday and the
// earlier of the 18th and 2025-06-01, 8 reach 91; 21038, 571007, 675419,
// 717291, 790932 and 850642 left care before 14 and have none. One status
// row (999999) is for a child not in uasc.csv.
func TestImport903Sample(t *testing.T) {
	cs, s := importFiles(t, sampleFS(t), filepath.Join("..", "testdata", "ssda903", "status.csv"))

	var kept []string
	for _, c := range cs {
		kept = append(kept, c.ID)
	}
	wantKept := []string{"21038", "87408", "109036", "261594", "274248", "318887", "442704", "479546", "571007", "582902", "675419", "717291", "766270", "790932", "830787", "850642", "993726"}
	if !slices.Equal(kept, wantKept) {
		t.Errorf("kept %v, want %v", kept, wantKept)
	}
	wantDropped := map[string]DropReason{
		"534005": DropAge,
		"309655": DropEpisodes, "979155": DropEpisodes,
		"549349": DropNoStatus,
		"543132": DropBadStatus,
		"970280": DropCohortRule,
	}
	for _, d := range s.Dropped {
		if want, ok := wantDropped[d.Child]; !ok || d.Reason != want {
			t.Errorf("dropped %s for %q (%s), want %q", d.Child, d.Reason, d.Detail, want)
		}
		delete(wantDropped, d.Child)
	}
	for child, r := range wantDropped {
		t.Errorf("%s not dropped, want dropped for %q", child, r)
	}
	counts := []struct {
		name      string
		got, want int
	}{
		{"UASC children", s.UASCChildren, 23},
		{"kept", s.Kept, 17},
		{"dropped", len(s.Dropped), 6},
		{"care leavers", s.CareLeavers, 0},
		{"13 weeks met", s.Met13Weeks, 11},
		{"unmatched status rows", s.UnmatchedStatusRows, 1},
		{"dropped for age", s.DroppedBy(DropAge), 1},
		{"dropped for episodes", s.DroppedBy(DropEpisodes), 2},
		{"dropped for no status", s.DroppedBy(DropNoStatus), 1},
		{"dropped for a bad status", s.DroppedBy(DropBadStatus), 1},
		{"dropped for a cohort rule", s.DroppedBy(DropCohortRule), 1},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
		}
	}
	if want := []string{"21038", "571007", "675419", "717291", "790932", "850642"}; !slices.Equal(s.Under13Weeks, want) {
		t.Errorf("under 13 weeks: got %v, want %v", s.Under13Weeks, want)
	}
	if want := []string{"261594", "993726"}; !slices.Equal(s.ClaimDateStandIns, want) {
		t.Errorf("claim date stand-ins: got %v, want %v", s.ClaimDateStandIns, want)
	}
	// 830787's status row gives no nationality; 109036 ends in A3 and
	// 766270 in A6 (placed for adoption): costed as other placements.
	if !slices.Equal(s.NoNationality, []string{"830787"}) || !slices.Equal(s.OtherPlacement, []string{"109036", "766270"}) {
		t.Errorf("no nationality %v, other placements %v; want [830787], [109036 766270]", s.NoNationality, s.OtherPlacement)
	}

	// Two cases in full, read from the CSVs by hand.
	want := map[string]sim.Case{
		// Episodes run without a break from 2016-05-29; the last, from
		// 2022-03-06, is PLACE P2. Three status rows, out of order: the
		// refusal of 2022-02-01 is the latest.
		"87408": {ID: "87408", DateOfBirth: sim.NewDate(2005, time.January, 9), Nationality: "ERI",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2016, time.May, 29), Placement: sim.Independent},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2016, time.June, 10), Status: sim.StatusRefused, DecisionDate: sim.NewDate(2022, time.February, 1)}},
		// One run from 2017-02-28 ending in H5; no claim date, so the
		// first episode's start stands in.
		"993726": {ID: "993726", DateOfBirth: sim.NewDate(2001, time.February, 18), Nationality: "AFG",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2017, time.February, 28), Placement: sim.SemiIndependent},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2017, time.February, 28), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2018, time.October, 1)}},
		// Dates written DD/MM/YYYY in the status file.
		"479546": {ID: "479546", DateOfBirth: sim.NewDate(2004, time.June, 20), Nationality: "VNM",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2015, time.March, 10), Placement: sim.Independent},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2015, time.April, 1), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2020, time.July, 14)}},
		// Episodes run without a break from 2016-06-05 to 2021-05-06, the
		// last A3 (placed for adoption): an other placement.
		"109036": {ID: "109036", DateOfBirth: sim.NewDate(2004, time.September, 22), Nationality: "ERI",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2016, time.June, 5), Placement: sim.Other},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2016, time.July, 1), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2019, time.January, 1)}},
		// From 2017-01-23 without a break, the last U5; no nationality.
		"830787": {ID: "830787", DateOfBirth: sim.NewDate(2003, time.November, 17),
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2017, time.January, 23), Placement: sim.Foster},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2017, time.February, 1), Status: sim.StatusHumanitarianProtection, DecisionDate: sim.NewDate(2018, time.June, 1)}},
	}
	for _, c := range cs {
		if w, ok := want[c.ID]; ok {
			if d := caseDiff(c, w); d != "" {
				t.Errorf("%s: %s", c.ID, d)
			}
		}
	}
	out, text := writeImport(t, cs, s)
	if _, err := ReadCohort(strings.NewReader(out), "cohort.csv", jun2025); err != nil {
		t.Errorf("the imported cohort does not read back: %v", err)
	}
	noPostcodes(t, filepath.Join(sampleDir, "episodes.csv"), out, text)
}

// writeImport gives the cohort file and the summary text of an import.
func writeImport(t *testing.T, cs []sim.Case, s ImportSummary) (cohort, summary string) {
	t.Helper()
	var out, text bytes.Buffer
	if err := WriteCohort(&out, cs); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	return out.String(), text.String()
}

// noPostcodes fails t if any HOME_POST or PL_POST value of the episodes
// file appears in the outputs.
func noPostcodes(t *testing.T, episodes string, outputs ...string) {
	t.Helper()
	f, err := os.Open(episodes)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := []int{slices.Index(recs[0], "HOME_POST"), slices.Index(recs[0], "PL_POST")}
	if slices.Contains(cols, -1) {
		t.Fatalf("%s has no postcode columns: %v", episodes, recs[0])
	}
	seen := 0
	for _, rec := range recs[1:] {
		for _, i := range cols {
			pc := rec[i]
			if pc == "" {
				continue
			}
			seen++
			for _, o := range outputs {
				if strings.Contains(o, pc) {
					t.Fatalf("postcode %q reached an output:\n%s", pc, o)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatalf("%s gives no postcodes to look for", episodes)
	}
}

func TestLatestRun(t *testing.T) {
	d := func(y int, m time.Month, day int) sim.Date { return sim.NewDate(y, m, day) }
	// 970280 in the sample: out of care from 2018-05-29 to 2019-04-24.
	eps := []episode{
		{d(2017, 3, 10), d(2017, 10, 13), "U6"},
		{d(2017, 10, 13), d(2018, 2, 22), "U6"},
		{d(2018, 2, 22), d(2018, 5, 29), "U5"},
		{d(2019, 4, 24), d(2019, 8, 27), "K2"},
		{d(2019, 8, 27), sim.Date{}, "U1"},
	}
	if got := latestRun(eps); got != 3 {
		t.Errorf("latest run starts at episode %d, want 3", got)
	}
	if got := latestRun(eps[:3]); got != 0 {
		t.Errorf("one run: starts at episode %d, want 0", got)
	}
	dob := d(2007, 7, 2)
	// From the 14th birthday, 2021-07-02, to the 18th, 2025-07-02, or the
	// as-of date, 2025-06-01: 1430 days.
	if got := daysLookedAfterFrom14(eps, dob, jun2025); got != 1430 {
		t.Errorf("days looked after from 14: got %d, want 1430", got)
	}
	if got := daysLookedAfterFrom14(eps[:3], dob, jun2025); got != 0 {
		t.Errorf("days looked after from 14, left at 10: got %d, want 0", got)
	}
}

// TestImport903DDMM imports a small return in the DfE's own form: dates
// DD/MM/YYYY, no LA or YEAR columns, file names in mixed case, CRLF line
// ends, a byte-order mark, an OC3 table and a status file in the same
// directory, which the import does not take for a 903 table.
func TestImport903DDMM(t *testing.T) {
	dir := filepath.Join("..", "testdata", "ssda903", "ddmm")
	cs, s := importFiles(t, os.DirFS(dir), filepath.Join(dir, "status.csv"))
	want := []sim.Case{
		// Placed U4, then H5, then a temporary move (T4): H5 stands.
		{ID: "1001", DateOfBirth: sim.NewDate(2008, time.March, 15), Nationality: "AFG",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2023, time.June, 1), Placement: sim.SemiIndependent},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2023, time.June, 20), Status: sim.Pending}},
		// A care leaver in OC3; looked after again on 01/10/2020 after a
		// month out of care.
		{ID: "1002", DateOfBirth: sim.NewDate(2005, time.February, 2), Nationality: "ERI",
			Care:   sim.Care{LookedAfterSince: sim.NewDate(2020, time.October, 1), Placement: sim.Foster},
			Asylum: sim.Asylum{ClaimDate: sim.NewDate(2020, time.May, 10), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2021, time.March, 1)}},
	}
	if len(cs) != len(want) {
		t.Fatalf("kept %d, want %d", len(cs), len(want))
	}
	for i := range want {
		if d := caseDiff(cs[i], want[i]); d != "" {
			t.Errorf("%s: %s", want[i].ID, d)
		}
	}
	wantDropped := []DroppedChild{
		{"1003", DropRule304, "DUC 2025-10-20 is after the 18th birthday, 2025-10-10"},
		{"1004", DropDatesDisagree, "the header table gives DOB 2008-01-01, the UASC table 2008-01-02"},
		{"1005", DropDied, "OC3.csv row 3"},
		{"1006", DropUnknownCode, `PLACE "Q9" on the episode from 2024-07-01 is not a 903 PLACE code`},
	}
	if !slices.Equal(s.Dropped, wantDropped) {
		t.Errorf("dropped:\n%v\nwant:\n%v", s.Dropped, wantDropped)
	}
	if s.UASCChildren != 6 || s.Kept != 2 || s.CareLeavers != 1 || s.Met13Weeks != 2 {
		t.Errorf("got %d UASC children, %d kept, %d care leavers, %d meeting 13 weeks; want 6, 2, 1, 2",
			s.UASCChildren, s.Kept, s.CareLeavers, s.Met13Weeks)
	}
	out, text := writeImport(t, cs, s)
	noPostcodes(t, filepath.Join(dir, "Episodes.csv"), out, text)
	for _, line := range []string{
		"children in the UASC table: 6\n",
		"kept: 2 (care leavers in OC3: 1)\n",
		"  died (OC3 IN_TOUCH DIED): 1\n",
		"looked after 13 weeks or more since age 14: 2 of 2 kept\n",
		"  1006: unknown 903 code\n",
		"  1004: dates of birth or UASC dates disagree between 903 rows\n",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("summary lacks %q:\n%s", line, text)
		}
	}
	// The summary goes to a terminal or a log: ids and reasons, no dates of
	// birth (1004's are 2008-01-01 and 2008-01-02) and no other dates.
	for _, secret := range []string{"2008-01-01", "2008-01-02", "DOB", "2024-07-01", "2025-10-10"} {
		if strings.Contains(text, secret) {
			t.Errorf("the summary shows %q:\n%s", secret, text)
		}
	}
}

func TestParse903Date(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want sim.Date
		ok   bool
	}{
		{"10/03/2008", sim.NewDate(2008, time.March, 10), true},
		{"2008-03-10", sim.NewDate(2008, time.March, 10), true},
		{"29/02/2024", sim.NewDate(2024, time.February, 29), true},
		{"29/02/2023", sim.Date{}, false},
		{"03/31/2008", sim.Date{}, false},
		{"1/3/2008", sim.Date{}, false},
		{"10-03-2008", sim.Date{}, false},
		{"2008/03/10", sim.Date{}, false},
		{"", sim.Date{}, false},
	} {
		got, ok := parse903Date(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parse903Date(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// good903 is a small valid return; tests break one file at a time.
func good903() fstest.MapFS {
	return fstest.MapFS{
		"header.csv":   {Data: []byte("CHILD,SEX,DOB\nC1,1,15/03/2008\nC2,1,01/01/2012\n")},
		"uasc.csv":     {Data: []byte("CHILD,SEX,DOB,DUC\nC1,1,15/03/2008,\n")},
		"episodes.csv": {Data: []byte("CHILD,DECOM,PLACE,DEC,HOME_POST,PL_POST\nC1,01/06/2023,U4,,QA1 1AA,QB2 2BB\nC2,01/02/2020,U4,,QC3 3CC,QD4 4DD\n")},
	}
}

const goodStatus = "child_id,status,status_start,status_end,claim_date,nationality\nC1,pending,20/06/2023,,,AFG\n"

func TestImport903Problems(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string // files replacing or added to good903's
		remove string            // a file of good903's to remove
		status string            // replaces goodStatus when given
		want   []Problem
	}{
		{name: "no header table", remove: "header.csv", want: []Problem{
			{File: "header.csv", Allowed: "missing: the 903 directory must hold header.csv (in any case)"},
		}},
		{name: "two UASC tables", files: map[string]string{"UASC.CSV": "CHILD,DOB,DUC\n"}, want: []Problem{
			{File: "uasc.csv", Allowed: "one file named uasc.csv in any case; UASC.CSV is one too"},
		}},
		{name: "missing column", files: map[string]string{"uasc.csv": "CHILD,SEX,DOB\nC1,1,15/03/2008\n"}, want: []Problem{
			{File: "uasc.csv", Line: 1, Key: "DUC", Allowed: "missing column: the import reads it"},
		}},
		{name: "empty table", files: map[string]string{"episodes.csv": ""}, want: []Problem{
			{File: "episodes.csv", Line: 1, Allowed: "empty: give a header row naming the columns, with CHILD, DECOM, DEC, PLACE"},
		}},
		{name: "bad dates", files: map[string]string{
			"episodes.csv": "CHILD,DECOM,PLACE,DEC\nC1,31/02/2020,U4,\nC1,2020-13-01,U4,\nC1,,U4,03/04/2021\n",
		}, want: []Problem{
			{File: "episodes.csv", Line: 2, Key: "DECOM", Value: "31/02/2020", Allowed: allow903Date},
			{File: "episodes.csv", Line: 3, Key: "DECOM", Value: "2020-13-01", Allowed: allow903Date},
			{File: "episodes.csv", Line: 4, Key: "DECOM", Allowed: "missing: give " + allow903Date},
		}},
		{name: "a postcode where a date belongs", files: map[string]string{
			"episodes.csv": "CHILD,DECOM,PLACE,DEC,HOME_POST\nC1,QA1 1AA,U4,,01/06/2023\n",
		}, want: []Problem{
			{File: "episodes.csv", Line: 2, Key: "DECOM", Value: "(withheld: neither a date nor a code)", Allowed: allow903Date},
		}},
		{name: "bad rows of children not in the cohort are not read", files: map[string]string{
			"header.csv":   "CHILD,DOB\nC1,15/03/2008\nC2,yesterday\n",
			"episodes.csv": "CHILD,DECOM,PLACE,DEC\nC1,01/06/2023,U4,\nC2,never,U4,\n",
		}, want: nil},
		{name: "rows without a child or with too few values", files: map[string]string{
			"header.csv": "CHILD,DOB\nC1,15/03/2008\n,01/01/2010\nC3\n",
		}, want: []Problem{
			{File: "header.csv", Line: 3, Key: "CHILD", Allowed: "missing: every row names its child"},
			{File: "header.csv", Line: 4, Allowed: "one value for each of the header's 2 columns; this row has 1"},
		}},
		{name: "bad CSV", files: map[string]string{"uasc.csv": "CHILD,DOB,DUC\nC1,\"15/03/2008,\n"}, want: []Problem{
			{File: "uasc.csv", Line: 2, Allowed: "not valid CSV: extraneous or missing \" in quoted-field (line 2, column 17)"},
		}},
		{name: "status file header", status: "child_id,status,status start,nationality\n", want: []Problem{
			{File: "status.csv", Line: 1, Key: "status start", Allowed: "unknown column (did you mean status_start); a status file has the columns child_id, status, status_start, status_end, claim_date, nationality"},
			{File: "status.csv", Line: 1, Key: "status_start", Allowed: "missing column: a status file must have it"},
		}},
		{name: "status rows without a child", status: "child_id,status,status_start\n,pending,2023-06-20\nC1,pending\n", want: []Problem{
			{File: "status.csv", Line: 2, Key: "child_id", Allowed: "missing: give the 903 CHILD the row is for"},
			{File: "status.csv", Line: 3, Allowed: "one value for each of the header's 3 columns; this row has 2"},
		}},
		{name: "problems in every file listed", files: map[string]string{
			"header.csv": "CHILD\nC1\n",
			"uasc.csv":   "CHILD,DOB,DUC\nC1,15/03/2008,2026-03-15T00:00\n",
		}, status: "child_id\n", want: []Problem{
			{File: "header.csv", Line: 1, Key: "DOB", Allowed: "missing column: the import reads it"},
			{File: "status.csv", Line: 1, Key: "status", Allowed: "missing column: a status file must have it"},
			{File: "status.csv", Line: 1, Key: "status_start", Allowed: "missing column: a status file must have it"},
			{File: "uasc.csv", Line: 2, Key: "DUC", Value: "(withheld: neither a date nor a code)", Allowed: allow903Date},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := good903()
			delete(dir, tt.remove)
			for name, data := range tt.files {
				dir[name] = &fstest.MapFile{Data: []byte(data)}
			}
			status := goodStatus
			if tt.status != "" {
				status = tt.status
			}
			_, _, err := Import903(dir, strings.NewReader(status), "status.csv", jun2025)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			ps, ok := err.(Problems)
			if !ok {
				t.Fatalf("got %v (%T), want Problems", err, err)
			}
			if !slices.Equal(ps, tt.want) {
				t.Errorf("got:\n%v\nwant:\n%v", ps, Problems(tt.want))
			}
			if strings.Contains(err.Error(), "QA1 1AA") {
				t.Errorf("a postcode reached the error: %v", err)
			}
		})
	}
}

// Bad values in a status row drop the child, naming the row; they do not
// stop the import.
func TestImport903StatusRows(t *testing.T) {
	tests := []struct {
		name   string
		status string
		reason DropReason
		detail string
	}{
		{"bad status", "C1,granted,2023-06-20,,,AFG", DropBadStatus,
			`status.csv:2: status: "granted": one of pending, refugee_status, humanitarian_protection, uasc_leave, refused, appeal_rights_exhausted, settled`},
		{"bad date", "C1,pending,20/13/2023,,,AFG", DropBadStatus,
			`status.csv:2: status_start: "20/13/2023": ` + allow903Date},
		{"end before start", "C1,refused,2024-01-01,2023-01-01,2023-06-20,AFG", DropBadStatus,
			`status.csv:2: status_end: "2023-01-01": a date after status_start (2024-01-01)`},
		{"end while pending", "C1,pending,2023-06-20,2026-01-01,,AFG", DropBadStatus,
			`status.csv:2: status_end: "2026-01-01": empty while status is pending: a pending claim gives no leave to end`},
		{"claim not the start while pending", "C1,pending,2023-06-20,,2023-06-21,AFG", DropBadStatus,
			`status.csv:2: claim_date: "2023-06-21": empty or status_start (2023-06-20): for a pending claim status_start is the claim date`},
		{"nationality not alpha-3", "C1,pending,2023-06-20,,,af", DropBadStatus,
			`status.csv:2: nationality: "af": the ISO 3166-1 alpha-3 code in capitals, AFG`},
		{"two latest periods", "C1,pending,2023-06-20,,,AFG\nC1,refused,2023-06-20,,,AFG", DropBadStatus,
			"status rows 2 and 3 both start on 2023-06-20: which is the latest cannot be told"},
		{"two nationalities", "C1,pending,2023-06-20,,,AFG\nC1,refused,2024-06-20,,,IRN", DropBadStatus,
			"status rows give the nationalities AFG and IRN"},
		{"decided after the as-of date", "C1,refused,2025-06-02,,2023-06-20,AFG", DropCohortRule,
			"decision_date 2025-06-02: a date on or before the as-of date 2025-06-01"},
		{"claim stands in after the decision", "C1,refused,2023-05-01,,,AFG", DropCohortRule,
			"decision_date 2023-05-01: a date on or after claim_date (2023-06-01) (claim_date is the first care episode's start: the status file gives none)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := "child_id,status,status_start,status_end,claim_date,nationality\n" + tt.status + "\n"
			cs, s, err := Import903(good903(), strings.NewReader(status), "status.csv", jun2025)
			if err != nil {
				t.Fatal(err)
			}
			want := []DroppedChild{{"C1", tt.reason, tt.detail}}
			if len(cs) != 0 || !slices.Equal(s.Dropped, want) {
				t.Errorf("got %d cases, dropped %q\nwant dropped %q", len(cs), s.Dropped, want)
			}
		})
	}

	// Without a nationality, in the row or with no such column, the child
	// is kept with none (the all-nationalities prior), and the summary
	// says so.
	for _, status := range []string{"child_id,status,status_start\nC1,pending,2023-06-20\n", "child_id,status,status_start,nationality\nC1,pending,2023-06-20,\n"} {
		cs, s, err := Import903(good903(), strings.NewReader(status), "status.csv", jun2025)
		if err != nil {
			t.Fatal(err)
		}
		var text bytes.Buffer
		s.WriteText(&text)
		if len(cs) != 1 || cs[0].Nationality != "" || !slices.Equal(s.NoNationality, []string{"C1"}) ||
			!strings.Contains(text.String(), "no nationality, so the all-nationalities prior: 1 (C1)") {
			t.Errorf("no nationality: got %v, %+v\n%s", cs, s, text.String())
		}
		if wantColumn := !strings.Contains(status, "nationality"); s.NoNationalityColumn != wantColumn {
			t.Errorf("no nationality column: %v, want %v", s.NoNationalityColumn, wantColumn)
		}
	}

	// An import that keeps no one says why, as a problem.
	_, s, err := Import903(good903(), strings.NewReader("child_id,status,status_start\nC1,granted,2023-06-20\n"), "status.csv", jun2025)
	if err != nil {
		t.Fatal(err)
	}
	err = s.NoneKept()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].File != "uasc.csv" || !strings.Contains(ps[0].Allowed, "all 1 children in the UASC table were dropped (bad status row: 1)") {
		t.Errorf("none kept: got %v", err)
	}
	if s.Kept = 1; s.NoneKept() != nil {
		t.Error("NoneKept with a child kept: want nil")
	}
}

// Every 903 PLACE code maps to a costed placement, or is a temporary move
// that keeps the one before.
func TestEveryPlaceCodeIsCosted(t *testing.T) {
	for _, code := range []string{"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
		"T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "K3"} { // domain.md §8
		pc, ok := placeCodes[code]
		switch {
		case !ok:
			t.Errorf("%s: not a known code", code)
		case pc.temporary != (pc.placement == ""):
			t.Errorf("%s: placement %q, temporary %v; want a placement unless temporary", code, pc.placement, pc.temporary)
		case pc.placement != "" && !slices.Contains(sim.Placements, pc.placement):
			t.Errorf("%s: placement %q is not a cohort placement", code, pc.placement)
		}
	}
}

// The sample in the DfE's form, with a status file that has no nationality column
// keeps every child it can place, with no nationality: the same 17 as with
// nationalities (TestImport903Sample), since no child there was dropped for
// a nationality.
func TestImport903SampleWithoutNationality(t *testing.T) {
	cs, s := importFiles(t, dfeForm(t), filepath.Join("..", "testdata", "ssda903", "status-no-nationality.csv"))
	var kept []string
	for _, c := range cs {
		kept = append(kept, c.ID)
		if c.Nationality != "" {
			t.Errorf("%s: nationality %q, want none", c.ID, c.Nationality)
		}
	}
	want := []string{"21038", "87408", "109036", "261594", "274248", "318887", "442704", "479546", "571007", "582902", "675419", "717291", "766270", "790932", "830787", "850642", "993726"}
	if !slices.Equal(kept, want) || !slices.Equal(s.NoNationality, want) || !s.NoNationalityColumn {
		t.Errorf("kept %v, no nationality %v, column missing %v; want %v for both, true", kept, s.NoNationality, s.NoNationalityColumn, want)
	}
}

func FuzzImport903Status(f *testing.F) {
	dir := filepath.Join("..", "testdata", "ssda903", "ddmm")
	status, err := os.ReadFile(filepath.Join(dir, "status.csv"))
	if err != nil {
		f.Fatal(err)
	}
	sample, err := os.ReadFile(filepath.Join("..", "testdata", "ssda903", "status.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(status))
	f.Add(string(sample))
	f.Add("child_id,status,status_start\n1001,pending,2023-06-20\n1001,pending,2023-06-20\n")
	f.Add("child_id,status,status_start,nationality,claim_date\n1002,refused,01/01/2019,ERI,\n,\"x\n")
	f.Add("\uFEFFchild_id,status,status_start,status_end\n1001,settled,29/02/2024,29/02/2024\n")
	fsys := os.DirFS(dir)
	f.Fuzz(func(t *testing.T, src string) {
		cs, s, err := Import903(fsys, strings.NewReader(src), "status.csv", jun2025)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("got error %v (%T), want Problems", err, err)
			}
			for _, p := range ps {
				if p.File != "status.csv" || p.Allowed == "" || p.Line < 1 {
					t.Fatalf("bad problem %#v", p)
				}
			}
			return
		}
		if s.Kept != len(cs) || s.Kept+len(s.Dropped) != s.UASCChildren || s.UASCChildren != 6 {
			t.Fatalf("counts do not add up: %d cases, summary %+v", len(cs), s)
		}
		for _, c := range cs {
			if ps := checkCase(c, jun2025); len(ps) > 0 {
				t.Fatalf("kept a case breaking a rule, %v", ps)
			}
			if c.ID != "1001" && c.ID != "1002" {
				t.Fatalf("kept %s, which the 903 return drops", c.ID)
			}
		}
	})
}
