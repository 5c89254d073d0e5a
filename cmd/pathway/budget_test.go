package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// synth and forecast with their default dates agree: synth's cohort is as
// of the forecast's default start.
func TestSynthThenForecastWithDefaults(t *testing.T) {
	cohort := filepath.Join(t.TempDir(), "c.csv")
	if code, _, stderr := pathway(t, "synth", "--n", "200", "-o", cohort); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, stderr)
	}
	code, out, stderr := pathway(t, "forecast", cohort, "--draws", "20")
	if code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "forecast: closed cohort: no arrivals assumed\n") || !strings.Contains(out, "local_authority,net_cost") {
		t.Errorf("stderr %q; stdout %.200q", stderr, out)
	}
	if code, out, stderr := pathway(t, "validate", cohort); code != 0 || !strings.Contains(out, cohort+": ok") {
		t.Errorf("validate: exit %d: %s %s", code, out, stderr)
	}
}

// A cohort with a 26-year-old and a row arriving next month: the forecast
// leaves the first out, counts the second from its date, and says so on
// stderr, in the JSON and among the workbook's assumptions; validate says
// the same.
func TestForecastSaysWhatItDidWithRows(t *testing.T) {
	cohort := writeTestFile(t, "cohort.csv", "id,date_of_birth,nationality,looked_after_since,placement,claim_date,status,decision_date\n"+
		"YP-OLD,10/01/2000,IRN,2016-01-01,independent,2016-01-05,refugee_status,2017-01-01\n"+
		"YP-NEW,2010-05-01,AFG,2026-05-01,foster,2026-05-02,pending,\n"+
		"YP-NOW,2009-03-01,,2024-03-01,semi_independent,2024-03-05,refugee_status,2024-09-01\n")
	args := []string{"forecast", cohort, "--from", "2026-04-01", "--years", "2", "--draws", "20"}
	dir := t.TempDir()
	code, _, stderr := pathway(t, append(args, "--format", "json", "-o", filepath.Join(dir, "f.json"))...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"forecast: 2 young people in the cohort, from 3 rows\n",
		"forecast: 1 row 25 or over on the start date, 1 Apr 2026, left out: YP-OLD\n",
		"forecast: 1 row looked after from a date after the start, counted from that date\n",
		"forecast: 1 young person with no nationality: the all-nationalities prior\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "f.json"))
	var got struct {
		People int `json:"people"`
		Cohort struct {
			LeftOut    []string `json:"left_out_25_or_over"`
			EnterLater int      `json:"entering_after_start"`
		} `json:"cohort_file"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.People != 2 || len(got.Cohort.LeftOut) != 1 || got.Cohort.LeftOut[0] != "YP-OLD" || got.Cohort.EnterLater != 1 {
		t.Errorf("JSON: %+v", got)
	}
	book := filepath.Join(dir, "f.xlsx")
	if code, _, stderr := pathway(t, append(args, "--format", "xlsx", "-o", book)...); code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, stderr)
	}
	x, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Assumptions")
	var notes []string
	for _, r := range rows {
		if len(r) > 1 && r[0] == "Cohort file" {
			notes = append(notes, r[1])
		}
	}
	if want := "1 row 25 or over on the start date, 1 Apr 2026, left out: YP-OLD"; len(notes) != 4 || notes[1] != want {
		t.Errorf("workbook's notes %q, want 4 with %q", notes, want)
	}
	code, out, _ := pathway(t, "validate", "--as-of", "2026-04-01", cohort)
	if code != 0 || !strings.Contains(out, cohort+": 1 row 25 or over on the start date, 1 Apr 2026, left out: YP-OLD\n") || !strings.Contains(out, cohort+": ok\n") {
		t.Errorf("validate: exit %d:\n%s", code, out)
	}
}

// validate applies exactly the forecast's checks to a cohort file: what
// one refuses, so does the other, with the same words.
func TestValidateAppliesTheForecastsChecks(t *testing.T) {
	bad := writeTestFile(t, "bad.csv", "id,date_of_birth,nationality,looked_after_since,placement,claim_date,status\n"+
		"YP-1,2026-06-01,AFG,2026-06-02,foster,2026-06-03,pending\n")
	code, _, fstderr := pathway(t, "forecast", bad, "--from", "2026-04-01")
	vcode, _, vstderr := pathway(t, "validate", "--as-of", "2026-04-01", bad)
	want := bad + ":2: date_of_birth: \"2026-06-01\": a date before the forecast's start, 2026-04-01"
	if code != 2 || vcode != 2 || !strings.Contains(fstderr, want) || !strings.Contains(vstderr, want) {
		t.Errorf("forecast: exit %d %q; validate: exit %d %q; want 2 and %q from both", code, fstderr, vcode, vstderr, want)
	}
}

// One young person looked after from 2024 (born 1 Jan 2012, 18 on 1 Jan
// 2030), in foster care with refugee status, so every draw is in care
// through the forecast's three years.
const oneChild = "id,date_of_birth,nationality,looked_after_since,placement,claim_date,status,decision_date\n" +
	"YP-1,2012-01-01,ERI,2024-01-01,foster,2024-01-05,refugee_status,2024-06-01\n"

// A scenario that raises one cost by a known amount: social work up £7 a
// week, £1 a day, from £162.13 to £169.13.
const socialWorkUp = `name = "social-work-up"

[[value]]
key = "local.social_work_week"
from = 2000-01-01
value = "169.13"
unit = "gbp_per_week"
source = "a test of a known rise"
confidence = "H"
`

// --compare writes the base as a plain run writes it, then the scenario,
// then the difference; the difference is scenario − base in every cell,
// and here, worked by hand, the days the child is looked after, at £1 a
// day: 365 in 2026-27, 366 in 2027-28 (29 Feb 2028), 365 in 2028-29; no
// other line moves.
func TestForecastCompareKnownRise(t *testing.T) {
	cohort := writeTestFile(t, "cohort.csv", oneChild)
	scenario := writeTestFile(t, "up.toml", socialWorkUp)
	args := []string{"forecast", cohort, "--from", "2026-04-01", "--years", "3", "--draws", "50", "--seed", "5"}
	code, plain, stderr := pathway(t, args...)
	if code != 0 {
		t.Fatalf("plain: exit %d: %s", code, stderr)
	}
	code, out, stderr := pathway(t, append(args, "--compare", scenario)...)
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	plainLines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")[1:]
	n := len(plainLines)
	if len(records) != 1+3*n {
		t.Fatalf("%d rows, want 3 × %d", len(records)-1, n)
	}
	want := map[string]string{"2026-27": "365.00", "2027-28": "366.00", "2028-29": "365.00"}
	for i := range n {
		base, scen, diff := records[1+i], records[1+n+i], records[1+2*n+i]
		if strings.Join(base[1:], ",") != plainLines[i] {
			t.Errorf("base row %d %q, plain run %q", i, base[1:], plainLines[i])
		}
		moved := base[2] == "local_authority" && (base[3] == "social_work" || base[3] == "total" || base[3] == "net_cost")
		for j := 4; j < 8; j++ {
			s, b := decimal.RequireFromString(scen[j]), decimal.RequireFromString(base[j])
			if d := decimal.RequireFromString(diff[j]); !d.Equal(s.Sub(b)) {
				t.Errorf("%v: difference %s, scenario − base %s", base[1:4], d, s.Sub(b))
			}
			w := "0.00"
			if moved {
				w = want[base[1]]
			}
			if diff[j] != w {
				t.Errorf("%v column %d: difference %s, want %s", base[1:4], j, diff[j], w)
			}
		}
	}
	// Every format writes the comparison.
	for _, format := range []string{"json", "xlsx", "html"} {
		path := filepath.Join(t.TempDir(), "c."+format)
		if code, _, stderr := pathway(t, append(args, "--compare", scenario, "--format", format, "-o", path)...); code != 0 {
			t.Errorf("%s: exit %d: %s", format, code, stderr)
		}
		data, _ := os.ReadFile(path)
		if format == "xlsx" {
			x, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			data = []byte(strings.Join(x.GetSheetList(), ","))
			if v, _ := x.GetCellValue("Summary", "F4"); v != "Scenario social-work-up" {
				t.Errorf("xlsx: Summary!F4 %q, want the scenario's block", v)
			}
			x.Close()
			if !bytes.Contains(data, []byte("Difference")) {
				t.Errorf("xlsx: no Difference sheet: %s", data)
			}
			continue
		}
		if !bytes.Contains(data, []byte("social-work-up")) {
			t.Errorf("%s: the output does not name the scenario", format)
		}
	}
}

// The built-in scenarios compare by name; --arrivals opens the base.
func TestForecastCompareNamed(t *testing.T) {
	cohort := writeTestFile(t, "cohort.csv", oneChild)
	args := []string{"forecast", cohort, "--from", "2026-04-01", "--years", "2", "--draws", "20"}
	code, out, stderr := pathway(t, append(args, "--compare", "arrivals+20", "--format", "json")...)
	if code != 0 {
		t.Fatalf("arrivals+20: exit %d: %s", code, stderr)
	}
	var got struct {
		Scenario string `json:"scenario"`
		Base     struct {
			Cohort string `json:"cohort"`
		} `json:"base"`
		Compared struct {
			Arrivals []struct {
				Expected string `json:"expected"`
			} `json:"arrivals"`
		} `json:"scenario_forecast"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Scenario != "arrivals+20" || got.Base.Cohort != "closed cohort: no arrivals assumed" || len(got.Compared.Arrivals) != 2 || got.Compared.Arrivals[0].Expected != "20.00" {
		t.Errorf("arrivals+20: %+v", got)
	}
	if !strings.Contains(stderr, "forecast (arrivals+20): open cohort: arrivals assumed, 20 expected in 2026-27, then 20 a year\n") {
		t.Errorf("stderr: %s", stderr)
	}
	// Five a year in the base, twenty more in the scenario.
	code, out, stderr = pathway(t, append(args, "--arrivals", "5", "--compare", "arrivals+20", "--format", "json")...)
	if code != 0 || !strings.Contains(stderr, "forecast (base): open cohort: arrivals assumed, 5 expected in 2026-27, then 5 a year\n") ||
		!strings.Contains(stderr, "forecast (arrivals+20): open cohort: arrivals assumed, 25 expected in 2026-27, then 25 a year\n") {
		t.Errorf("--arrivals 5 and arrivals+20: exit %d: %s", code, stderr)
	}
	if code, _, stderr := pathway(t, append(args, "--compare", "core-protection")...); code != 0 {
		t.Errorf("core-protection: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--arrivals", "-3"}, `--arrivals "-3": allowed is a number of young people a year from 0 to 10000`},
		{[]string{"--arrivals", "10001"}, `--arrivals "10001": allowed is a number of young people a year from 0 to 10000`},
		{[]string{"--compare", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"--compare", writeTestFile(t, "bad.toml", "name = \"bad\"\n[arrivals]\nper_year = 2.5\n")}, `arrivals.per_year: "2.5"`},
	} {
		if code, _, stderr := pathway(t, append(args, tc.args...)...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// An import that keeps no child fails, says why, and writes nothing.
func TestImport903KeepsNoOne(t *testing.T) {
	status := writeTestFile(t, "status.csv", "child_id,status,status_start\n1001,granted,2023-06-20\n1002,granted,2021-03-01\n")
	out := filepath.Join(t.TempDir(), "cohort.csv")
	code, _, stderr := pathway(t, "import-903", filepath.Join("..", "..", "testdata", "ssda903", "ddmm"), "--status", status, "--as-of", "2025-06-01", "-o", out)
	if code != 2 || !strings.Contains(stderr, "all 6 children in the UASC table were dropped") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an empty cohort was written")
	}
}

// validate reads scenario files: a good one is ok, and a bad one names
// its line.
func TestValidateScenarioFiles(t *testing.T) {
	good := writeTestFile(t, "good.toml", "name = \"more\"\n\n[arrivals]\nadd_per_year = 5\n")
	bad := writeTestFile(t, "bad.toml", "name = \"more\"\n\n[arrivals]\nadd_per_yer = 5\n")
	if code, out, stderr := pathway(t, "validate", good); code != 0 || out != good+": ok\n" {
		t.Errorf("good scenario: exit %d, %q %q", code, out, stderr)
	}
	code, _, stderr := pathway(t, "validate", bad)
	if want := bad + ":4: arrivals.add_per_yer: unknown key (did you mean add_per_year)"; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("bad scenario: exit %d, %q; want 2 and %q", code, stderr, want)
	}
}
