package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pathway/scenarios"
	"pathway/sim"
)

const (
	testSeed  = 20250601
	testDraws = 200
	testYears = 4
)

func mustDay(t *testing.T, s string) sim.Date {
	t.Helper()
	d, err := sim.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// testCohort is a few young people at different points: pending claims,
// UASC leave, refugee status, a refusal and appeal rights exhausted. Each
// has a name, so that the tests can check no name reaches the forecast.
func testCohort(t *testing.T) []sim.Case {
	t.Helper()
	type yp struct {
		id, name, dob, nat string
		placement          sim.Placement
		status             sim.Status
		decision           string
	}
	var out []sim.Case
	for _, p := range []yp{
		{"YP-F001", "Amir", "2009-02-11", "AFG", sim.Foster, sim.Pending, ""},
		{"YP-F002", "Dawit", "2008-03-10", "ERI", sim.SupportedLodgings, sim.Pending, ""},
		{"YP-F003", "Hama", "2007-09-30", "IRQ", sim.SemiIndependent, sim.StatusUASCLeave, "2024-01-15"},
		{"YP-F004", "Besnik", "2006-12-01", "ALB", sim.Foster, sim.StatusRefused, "2025-04-20"},
		{"YP-F005", "Selam", "2006-05-05", "ERI", sim.StayingPut, sim.StatusRefugee, "2023-08-31"},
		{"YP-F006", "Kawa", "2005-11-11", "IRN", sim.SemiIndependent, sim.StatusARE, "2024-10-01"},
	} {
		dob := mustDay(t, p.dob)
		c := sim.Case{ID: p.id, Name: p.name, DateOfBirth: dob, Nationality: p.nat,
			Care:   sim.Care{LookedAfterSince: dob.Birthday(15).AddDays(30), Placement: p.placement},
			Asylum: sim.Asylum{ClaimDate: dob.Birthday(15).AddDays(40), Status: p.status}}
		if p.decision != "" {
			c.Asylum.DecisionDate = mustDay(t, p.decision)
		}
		out = append(out, c)
	}
	return out
}

// testForecast runs a small forecast of the test cohort under the built-in
// policy.
func testForecast(t *testing.T) (*sim.Forecast, ForecastInput) {
	t.Helper()
	p := scenarios.DefaultPolicy()
	f, err := sim.RunForecast(testCohort(t), p, sim.ForecastOptions{
		From: mustDay(t, "2025-06-01"), Years: testYears, Draws: testDraws, Seed: testSeed, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("a cohort file's bytes"))
	return f, ForecastInput{File: "cohort.csv", SHA256: hex.EncodeToString(sum[:]), Policy: p}
}

func forecastCSV(t *testing.T, f *sim.Forecast) (raw []byte, records [][]string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteForecastCSV(&b, f); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the forecast CSV does not parse: %v", err)
	}
	return b.Bytes(), records
}

func forecastXLSX(t *testing.T, f *sim.Forecast, in ForecastInput) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteForecastXLSX(&b, f, in); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// csvMeans maps "2025-26/payer/category" to the CSV's mean.
func csvMeans(t *testing.T, records [][]string) map[string]decimal.Decimal {
	t.Helper()
	out := map[string]decimal.Decimal{}
	for _, r := range records[1:] {
		out[r[0]+"/"+r[1]+"/"+r[2]] = decimal.RequireFromString(r[3])
	}
	return out
}

var twoDecimals = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

func TestForecastCSV(t *testing.T) {
	f, _ := testForecast(t)
	raw, records := forecastCSV(t, f)
	want := []string{"financial_year", "payer", "category", "mean", "p10", "p50", "p90"}
	if !reflect.DeepEqual(records[0], want) {
		t.Fatalf("header: got %q, want %q", records[0], want)
	}
	// Per year: every category, a total per payer, and the net cost.
	perYear := len(sim.Categories) + len(sim.Payers) + 1
	if got, want := len(records)-1, testYears*perYear; got != want {
		t.Fatalf("rows: got %d, want %d (%d years × %d)", got, want, testYears, perYear)
	}
	lines := forecastLines()
	for i, r := range records[1:] {
		year := f.FirstYear + i/perYear
		l := lines[i%perYear]
		wantLead := []string{sim.FinancialYearLabel(year), string(l.payer), string(l.category)}
		if !reflect.DeepEqual(r[:3], wantLead) {
			t.Errorf("row %d: got %q, want %q", i+1, r[:3], wantLead)
		}
		for j, v := range r[3:] {
			if !twoDecimals.MatchString(v) {
				t.Errorf("row %d %s: got %q, want an amount with two decimals", i+1, want[3+j], v)
			}
		}
	}
	if !regexp.MustCompile(`^20[0-9]{2}-[0-9]{2}$`).MatchString(records[1][0]) {
		t.Errorf("financial year: got %q, want like 2025-26", records[1][0])
	}
	// A cohort with money in it: the authority's total is positive in the first year.
	if m := csvMeans(t, records)[sim.FinancialYearLabel(f.FirstYear)+"/local_authority/total"]; !m.IsPositive() {
		t.Errorf("first year's authority total: got %s, want more than 0", m)
	}
	noPeople(t, "CSV", string(raw))
}

// noPeople checks that no young person's id or name is in an output.
func noPeople(t *testing.T, what, text string) {
	t.Helper()
	for _, c := range testCohort(t) {
		for _, s := range []string{c.ID, c.Name} {
			if strings.Contains(text, s) {
				t.Errorf("%s output contains %q", what, s)
			}
		}
	}
}

func TestForecastJSON(t *testing.T) {
	f, in := testForecast(t)
	_, records := forecastCSV(t, f)
	var b bytes.Buffer
	if err := WriteForecastJSON(&b, f, in); err != nil {
		t.Fatal(err)
	}
	noPeople(t, "JSON", b.String())
	// Where a reader starts: whether the cohort is closed.
	if !strings.HasPrefix(b.String(), "{\n  \"cohort\": \"closed cohort: no arrivals assumed\",") {
		t.Errorf("the JSON does not start by saying the cohort is closed: %.80q", b.String())
	}
	var got struct {
		Cohort         string              `json:"cohort"`
		FinancialYears []map[string]string `json:"financial_years"`
		Quarters       []json.RawMessage   `json:"quarters"`
		Placements     []struct {
			FinancialYear string            `json:"financial_year"`
			Placement     string            `json:"placement"`
			Cost          string            `json:"cost"`
			BedNights     map[string]string `json:"bed_nights"`
			HeadCounts    map[string]string `json:"head_counts"`
		} `json:"placements"`
		Claims     []map[string]string `json:"home_office_claims"`
		Arrivals   []json.RawMessage   `json:"arrivals"`
		CohortFile struct {
			Rows          int      `json:"rows"`
			LeftOut       []string `json:"left_out_25_or_over"`
			EnterLater    int      `json:"entering_after_start"`
			EnterAfterEnd int      `json:"entering_after_the_end"`
			NoNationality int      `json:"no_nationality"`
			Notes         []string `json:"notes"`
		} `json:"cohort_file"`
		HigherRate struct {
			Applies         bool   `json:"applies"`
			On              string `json:"on"`
			LookedAfter     int64  `json:"uasc_looked_after"`
			ChildPopulation int64  `json:"child_population"`
			Threshold       string `json:"threshold"`
			Words           string `json:"words"`
		} `json:"higher_rate"`
		Uplifts    []json.RawMessage   `json:"uplifts"`
		From       string              `json:"from"`
		Years      int                 `json:"years"`
		Draws      int                 `json:"draws"`
		Seed       uint64              `json:"seed"`
		People     int                 `json:"people"`
		Policy     string              `json:"policy"`
		Spread     *float64            `json:"waiting_time_spread"`
		Rows       []map[string]string `json:"rows"`
		HeadCounts []map[string]string `json:"head_counts"`
		Assume     struct {
			InputFile   string `json:"input_file"`
			InputSHA256 string `json:"input_sha256"`
			Values      []struct {
				Key         string  `json:"key"`
				From        string  `json:"from"`
				To          *string `json:"to"`
				Value       string  `json:"value"`
				Unit        string  `json:"unit"`
				Source      string  `json:"source"`
				Confidence  string  `json:"confidence"`
				Unconfirmed bool    `json:"unconfirmed"`
				Note        string  `json:"note"`
			} `json:"values"`
			Priors []struct {
				On          string              `json:"on"`
				Basis       string              `json:"basis"`
				Nationality string              `json:"nationality"`
				Region      string              `json:"region"`
				UASC        bool                `json:"uasc"`
				From        *string             `json:"from"`
				To          *string             `json:"to"`
				Period      string              `json:"period"`
				Decisions   int                 `json:"decisions"`
				Probs       map[string]float64  `json:"probabilities"`
				Confidence  string              `json:"confidence"`
				Source      string              `json:"source"`
				Sources     []map[string]string `json:"sources"`
				Text        string              `json:"text"`
			} `json:"priors"`
		} `json:"assumptions"`
	}
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the forecast JSON does not parse: %v", err)
	}
	if got.From != "2025-06-01" || got.Years != testYears || got.Draws != testDraws || got.Seed != testSeed ||
		got.People != len(testCohort(t)) || got.Policy != "england" || got.Spread == nil {
		t.Errorf("run: got from %s, years %d, draws %d, seed %d, people %d, policy %q, spread %v; want 2025-06-01, %d, %d, %d, %d, england, a number",
			got.From, got.Years, got.Draws, got.Seed, got.People, got.Policy, got.Spread, testYears, testDraws, testSeed, len(testCohort(t)))
	}
	if want := []map[string]string{
		{"financial_year": "2025-26", "label": "2025-26 (from 1 Jun)", "from": "2025-06-01", "to": "2026-03-31"},
		{"financial_year": "2026-27", "label": "2026-27", "from": "2026-04-01", "to": "2027-03-31"},
	}; !reflect.DeepEqual(got.FinancialYears[:2], want) {
		t.Errorf("financial years %v, want %v first", got.FinancialYears, want)
	}
	perYear := len(sim.Categories) + len(sim.Payers) + 1
	if len(got.Quarters) != testYears*4*perYear || len(got.Placements) != testYears*len(sim.Placements) || len(got.Claims) != testYears || len(got.Arrivals) != 0 {
		t.Errorf("quarters %d, placements %d, claims %d, arrivals %d; want %d, %d, %d, 0",
			len(got.Quarters), len(got.Placements), len(got.Claims), len(got.Arrivals), testYears*4*perYear, testYears*len(sim.Placements), testYears)
	}
	for i, p := range got.Placements {
		fp := f.Placement[i]
		if p.Placement != string(fp.Placement) || p.Cost != fp.Cost.StringFixed(2) || p.BedNights["16_17"] != fp.Nights[1].StringFixed(2) || p.HeadCounts["under_16"] != fp.Heads[0].StringFixed(2) {
			t.Errorf("placement %d: %+v, want %+v", i, p, fp)
		}
	}
	// Six rows, all in the forecast; no child population, so no test of the higher rate.
	if got.CohortFile.Rows != 6 || len(got.CohortFile.LeftOut) != 0 || got.CohortFile.Notes[0] != "6 young people in the cohort, from 6 rows" ||
		got.HigherRate.Applies || got.HigherRate.ChildPopulation != 0 || got.HigherRate.Threshold != "0.0007" || !strings.Contains(got.HigherRate.Words, "needs the child population (local.child_population), which is not given") || len(got.Uplifts) != 0 {
		t.Errorf("cohort file %+v, higher rate %+v, uplifts %v", got.CohortFile, got.HigherRate, got.Uplifts)
	}
	if len(got.Rows) != len(records)-1 {
		t.Fatalf("rows: got %d, want %d as in the CSV", len(got.Rows), len(records)-1)
	}
	for i, r := range got.Rows {
		asCSV := []string{r["financial_year"], r["payer"], r["category"], r["mean"], r["p10"], r["p50"], r["p90"]}
		if !reflect.DeepEqual(asCSV, records[i+1]) {
			t.Errorf("row %d: got %q, want %q as in the CSV", i, asCSV, records[i+1])
		}
	}
	if want := testYears * (len(sim.StatusGroups) + len(sim.AgeGroups)); len(got.HeadCounts) != want {
		t.Errorf("head-counts: got %d, want %d", len(got.HeadCounts), want)
	}
	// Each draw counts each young person once by status and once by age.
	sums := map[string]decimal.Decimal{}
	for _, h := range got.HeadCounts {
		if !twoDecimals.MatchString(h["mean"]) {
			t.Errorf("head-count %v: mean %q, want two decimals", h, h["mean"])
		}
		k := h["financial_year"] + "/" + h["by"]
		sums[k] = sums[k].Add(decimal.RequireFromString(h["mean"]))
	}
	for k, s := range sums {
		// Each mean is rounded to the penny: allow a hundredth per group.
		if diff := s.Sub(decimal.NewFromInt(int64(len(testCohort(t))))).Abs(); diff.GreaterThan(decimal.RequireFromString("0.06")) {
			t.Errorf("head-counts %s: sum to %s, want %d", k, s, len(testCohort(t)))
		}
	}
	if got.Assume.InputFile != in.File || got.Assume.InputSHA256 != in.SHA256 {
		t.Errorf("input: got %q %q, want %q %q", got.Assume.InputFile, got.Assume.InputSHA256, in.File, in.SHA256)
	}
	// Only values in force in the window, and for every key the engine
	// reads, the value in force on the start date.
	from, end := "2025-06-01", "2029-04-01"
	covered := map[string]bool{}
	for _, v := range got.Assume.Values {
		if v.From >= end || (v.To != nil && *v.To < from) {
			t.Errorf("%s from %s to %v: outside the window %s to %s", v.Key, v.From, v.To, from, end)
		}
		if v.Source == "" || v.Unit == "" || v.Confidence == "" {
			t.Errorf("%s from %s: source %q, unit %q, confidence %q; want all three", v.Key, v.From, v.Source, v.Unit, v.Confidence)
		}
		if v.From <= from && (v.To == nil || *v.To >= from) {
			covered[v.Key] = true
		}
	}
	for key := range sim.Keys {
		if !covered[key] {
			t.Errorf("%s: no value in force on %s among the assumptions", key, from)
		}
	}
	// The prior rows the cohort's decisions may be drawn from, with words
	// and sources: for the Afghan young person, the built-in row for 2025
	// on (about 37% granted, S114).
	afghan := false
	for _, pr := range got.Assume.Priors {
		if pr.Text == "" || pr.Basis == "" || len(pr.Sources) == 0 || len(pr.Probs) != 4 {
			t.Errorf("prior %+v: want words, basis, sources and four chances", pr)
		}
		if pr.Nationality == "AFG" && pr.From != nil && *pr.From == "2025-01-01" && pr.Period == "2025 H1" && pr.Basis == "nationality" {
			afghan = true
		}
	}
	if !afghan {
		t.Errorf("no Afghan prior from 2025-01-01 among %d assumed priors", len(got.Assume.Priors))
	}
}

func TestForecastWritersNeedTheForecastsPolicy(t *testing.T) {
	f, in := testForecast(t)
	renamed := *f
	renamed.Policy = "england+local"
	tests := []struct {
		name string
		f    *sim.Forecast
		in   ForecastInput
		want string
	}{
		{"no policy", f, ForecastInput{File: in.File, SHA256: in.SHA256}, "forecast input has no policy"},
		{"another policy", &renamed, in, `policy "england" given for a forecast run under policy "england+local"`},
	}
	for _, tt := range tests {
		for _, w := range []struct {
			name  string
			write func() error
		}{
			{"json", func() error { return WriteForecastJSON(&bytes.Buffer{}, tt.f, tt.in) }},
			{"xlsx", func() error { return WriteForecastXLSX(&bytes.Buffer{}, tt.f, tt.in) }},
		} {
			if err := w.write(); err == nil || err.Error() != tt.want {
				t.Errorf("%s, %s: got error %v, want %q", tt.name, w.name, err, tt.want)
			}
		}
	}
}

// The money cell format a finance officer sees: pounds, pence, negatives in red.
const wantMoneyFormat = `"£"#,##0.00;[Red]\-"£"#,##0.00`

func TestForecastXLSX(t *testing.T) {
	f, in := testForecast(t)
	_, records := forecastCSV(t, f)
	means := csvMeans(t, records)
	data := forecastXLSX(t, f, in)
	if again := forecastXLSX(t, f, in); !bytes.Equal(data, again) {
		t.Error("the same forecast gave two different workbooks")
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer x.Close()

	wantSheets := []string{"Summary", "By category", "By payer", "Quarterly", "Placements", "Head-counts", "Arrivals", "Young people", "Data", "Assumptions"}
	if got := x.GetSheetList(); !reflect.DeepEqual(got, wantSheets) {
		t.Fatalf("sheets: got %q, want %q", got, wantSheets)
	}
	get := func(sheet, ref string) string {
		t.Helper()
		v, err := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s!%s: %v", sheet, ref, err)
		}
		return v
	}
	// The forecast starts on 1 Jun 2025: the first year is a part year.
	yearLabels := []string{"2025-26 (from 1 Jun)", "2026-27", "2027-28", "2028-29"}
	for _, h := range []struct {
		sheet, first string // the first year's header cell
		row          int
	}{
		{"Summary", "C", 4}, {"By category", "C", 2}, {"By payer", "B", 1}, {"Head-counts", "B", 1}, {"Placements", "C", 1},
	} {
		col, _ := excelize.ColumnNameToNumber(h.first)
		for i, want := range yearLabels {
			ref, _ := excelize.CoordinatesToCellName(col+i, h.row)
			if got := get(h.sheet, ref); got != want {
				t.Errorf("%s!%s: got %q, want %q", h.sheet, ref, got, want)
			}
		}
		ref, _ := excelize.CoordinatesToCellName(col+len(yearLabels), h.row)
		if h.sheet != "By category" && get(h.sheet, ref) != "" {
			t.Errorf("%s!%s: got %q after the last year, want nothing", h.sheet, ref, get(h.sheet, ref))
		}
	}
	if got := get("By category", "A2") + "|" + get("By category", "B2"); got != "Payer|Category" {
		t.Errorf("By category header: got %q, want Payer|Category", got)
	}
	if got := get("By category", "C1"); got != "Mean" {
		t.Errorf("By category!C1: got %q, want Mean", got)
	}

	// The summary starts by saying the cohort is closed; then Summary!C5 is
	// the authority's total mean in the first year.
	if got := get("Summary", "A2"); got != "Closed cohort: no arrivals assumed" {
		t.Errorf("Summary!A2: got %q, want the cohort's statement", got)
	}
	if got := get("Summary", "A5") + "|" + get("Summary", "B5"); got != "Local authority total|Mean" {
		t.Errorf("Summary row 5: got %q, want the authority's total mean", got)
	}
	checkMoneyCell(t, x, "Summary", "C5", means["2025-26/local_authority/total"])

	// By category: every line's mean by year equals the CSV's to the penny,
	// and so do the P10, P50 and P90 blocks.
	labels := map[string]forecastLine{}
	for _, l := range forecastLines() {
		labels[forecastPayerLabel(l.payer)+"|"+forecastCategoryLabel(l.category)] = l
	}
	rows, err := x.GetRows("By category", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[string]int{} // "payer/category" to its row
	seen := 0
	for i, r := range rows[2:] {
		if len(r) < 2 || r[0] == "" {
			continue
		}
		l, ok := labels[r[0]+"|"+r[1]]
		if !ok {
			t.Errorf("By category row %d: unknown line %q, %q", i+3, r[0], r[1])
			continue
		}
		seen++
		for b, measure := range []int{3, 4, 5, 6} { // mean, p10, p50, p90 in the CSV
			for yi := range yearLabels {
				y := sim.FinancialYearLabel(f.FirstYear + yi)
				col := 2 + b*len(yearLabels) + yi
				if col >= len(r) {
					t.Fatalf("By category row %d: %d cells, want %d", i+3, len(r), 2+4*len(yearLabels))
				}
				want := csvField(t, records, y, l, measure)
				got, err := decimal.NewFromString(r[col])
				if err != nil || !got.Equal(want) {
					t.Errorf("By category row %d (%s %s) %s, CSV column %d: got %q, want %s", i+3, l.payer, l.category, y, measure, r[col], want)
				}
			}
		}
		byRow[string(l.payer)+"/"+string(l.category)] = i + 3
	}
	if want := len(sim.Categories) + len(sim.Payers) + 1; seen != want {
		t.Errorf("By category: got %d lines, want %d", seen, want)
	}
	if r, ok := byRow["local_authority/placement"]; ok {
		checkMoneyCell(t, x, "By category", "C"+strconv.Itoa(r), means["2025-26/local_authority/placement"])
	}

	// By payer: the net cost's mean line equals the CSV's.
	payerRows, err := x.GetRows("By payer", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range payerRows {
		if len(r) > 0 && r[0] == "Net cost, mean" {
			found = true
			for yi := range yearLabels {
				y := sim.FinancialYearLabel(f.FirstYear + yi)
				if got, want := r[1+yi], means[y+"/local_authority/net_cost"]; !decimal.RequireFromString(got).Equal(want) {
					t.Errorf("By payer net cost %s: got %s, want %s", y, got, want)
				}
			}
		}
	}
	if !found {
		t.Error("By payer: no net cost line")
	}

	// Head-counts: the status groups add up to the cohort.
	heads, err := x.GetRows("Head-counts", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) < 2+len(sim.StatusGroups) || heads[1][0] != "By immigration status" {
		t.Fatalf("Head-counts: got rows %q, want a status section first", heads)
	}
	sum := decimal.Zero
	for _, r := range heads[2 : 2+len(sim.StatusGroups)] {
		sum = sum.Add(decimal.RequireFromString(r[1]))
	}
	if sum.Sub(decimal.NewFromInt(int64(len(testCohort(t))))).Abs().GreaterThan(decimal.RequireFromString("0.06")) {
		t.Errorf("Head-counts, first year: status groups sum to %s, want %d", sum, len(testCohort(t)))
	}

	// Assumptions: how it was run, and the policy values with sources.
	facts := map[string]string{}
	assume, err := x.GetRows("Assumptions", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	inValues := false
	for _, r := range assume {
		if len(r) >= 2 && !inValues {
			facts[r[0]] = r[1]
		}
		if len(r) > 0 && r[0] == "Key" {
			inValues = true
			if want := []string{"Key", "From", "To", "Value", "Unit", "Source", "Confidence", "Unconfirmed", "Note"}; !reflect.DeepEqual(r, want) {
				t.Errorf("Assumptions values header: got %q, want %q", r, want)
			}
			continue
		}
		if inValues && len(r) > 0 {
			keys[r[0]] = true
		}
	}
	for label, want := range map[string]string{
		"Seed": strconv.Itoa(testSeed), "Draws (sampled futures per young person)": strconv.Itoa(testDraws),
		"Financial years": strconv.Itoa(testYears), "Forecast from": "2025-06-01", "Young people": "6",
		"Policy": "england", "Input file": "cohort.csv", "Input file SHA-256": in.SHA256,
	} {
		if got := facts[label]; got != want {
			t.Errorf("Assumptions %q: got %q, want %q", label, got, want)
		}
	}
	if _, err := strconv.ParseFloat(facts["Waiting-time spread (log-normal sigma)"], 64); err != nil {
		t.Errorf("Assumptions waiting-time spread: got %q, want a number", facts["Waiting-time spread (log-normal sigma)"])
	}
	for key := range sim.Keys {
		if !keys[key] {
			t.Errorf("Assumptions: no value for %s", key)
		}
	}
	if !keys["Afghanistan (AFG)"] {
		t.Error("Assumptions: no row for the Afghan prior")
	}

	checkNewSheets(t, x, f, records)

	// No young person's id or name on any sheet but the young people's,
	// which gives ids only.
	var all strings.Builder
	for _, sh := range wantSheets {
		if sh == "Young people" {
			continue
		}
		rows, _ := x.GetRows(sh)
		for _, r := range rows {
			all.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	noPeople(t, "XLSX", all.String())
}

// csvField returns column col of the CSV row for a year and line.
func csvField(t *testing.T, records [][]string, year string, l forecastLine, col int) decimal.Decimal {
	t.Helper()
	for _, r := range records[1:] {
		if r[0] == year && r[1] == string(l.payer) && r[2] == string(l.category) {
			return decimal.RequireFromString(r[col])
		}
	}
	t.Fatalf("CSV has no row %s %s %s", year, l.payer, l.category)
	return decimal.Zero
}

// checkMoneyCell checks that a cell holds a number equal to want, formatted
// as pounds.
func checkMoneyCell(t *testing.T, x *excelize.File, sheet, ref string, want decimal.Decimal) {
	t.Helper()
	typ, err := x.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: cell type %v, want a number", sheet, ref, typ)
	}
	raw, _ := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if got, err := decimal.NewFromString(raw); err != nil || !got.Equal(want) {
		t.Errorf("%s!%s: got %q, want the number %s", sheet, ref, raw, want)
	}
	id, err := x.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || *style.CustomNumFmt != wantMoneyFormat {
		t.Errorf("%s!%s: number format %v, want %s", sheet, ref, style.CustomNumFmt, wantMoneyFormat)
	}
	shown, _ := x.GetCellValue(sheet, ref)
	if !strings.HasPrefix(shown, "£") && !strings.HasPrefix(shown, "-£") {
		t.Errorf("%s!%s: shown as %q, want pounds", sheet, ref, shown)
	}
}

// TestForecastXLSXLibreOffice reads the workbook back with LibreOffice, as a
// finance team's spreadsheet program would, and checks the By category
// sheet's figures against the CSV's.
func TestForecastXLSXLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice is not on PATH: CI must install libreoffice-calc to read the workbook back")
		}
		t.Skip("soffice is not on PATH: install libreoffice-calc to read the workbook back")
	}
	f, in := testForecast(t)
	_, records := forecastCSV(t, f)
	dir := t.TempDir()
	book := filepath.Join(dir, "forecast.xlsx")
	if err := os.WriteFile(book, forecastXLSX(t, f, in), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	profile := filepath.Join(dir, "profile")
	// The filter's options: comma (44), double quote (34), UTF-8, from
	// line 1, no column formats, the default language, text cells quoted
	// only where needed; the 9th, "save cell contents as shown", is false
	// so numbers come out raw (1234.5, not "£1,234.50"); no formulas, spaces
	// kept, and -1 for every sheet, each to its own file.
	filter := "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=file://"+filepath.ToSlash(profile),
		"--convert-to", filter, "--outdir", out, book)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	start := time.Now()
	output, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("soffice took over 3 minutes: %s", output)
	}
	if err != nil {
		t.Fatalf("soffice: %v: %s", err, output)
	}
	t.Logf("soffice converted the workbook in %s", time.Since(start).Round(time.Millisecond))
	names, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	sheet := filepath.Join(out, "forecast-By category.csv")
	data, err := os.ReadFile(sheet)
	if err != nil {
		t.Fatalf("no CSV for the By category sheet (got %q): %v; soffice said %s", names, err, output)
	}
	if len(names) != 10 {
		t.Errorf("soffice wrote %d CSV files, want one per sheet (10): %q", len(names), names)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("LibreOffice's CSV does not parse: %v", err)
	}
	years := make([]string, testYears)
	for i := range years {
		years[i] = sim.FinancialYearLabel(f.FirstYear + i)
	}
	headings := slices.Concat([]string{years[0] + " (from 1 Jun)"}, years[1:])
	if len(rows) < 2 || !slices.Equal(rows[1][2:2+testYears], headings) {
		t.Fatalf("LibreOffice's By category header: got %q, want the years %q from the third column", rows[:min(2, len(rows))], years)
	}
	labels := map[string]forecastLine{}
	for _, l := range forecastLines() {
		labels[forecastPayerLabel(l.payer)+"|"+forecastCategoryLabel(l.category)] = l
	}
	checked := 0
	for i, r := range rows[2:] {
		if len(r) < 2+testYears || r[0] == "" {
			continue
		}
		l, ok := labels[r[0]+"|"+r[1]]
		if !ok {
			t.Errorf("LibreOffice's By category row %d: unknown line %q, %q", i+3, r[0], r[1])
			continue
		}
		for yi, y := range years {
			want := csvField(t, records, y, l, 3)
			got, err := decimal.NewFromString(r[2+yi])
			if err != nil || !got.Equal(want) {
				t.Errorf("LibreOffice's By category %s %s %s: got %q, want %s as in the CSV", y, l.payer, l.category, r[2+yi], want)
			}
			checked++
		}
	}
	if want := testYears * (len(sim.Categories) + len(sim.Payers) + 1); checked != want {
		t.Errorf("LibreOffice's By category: checked %d figures, want %d", checked, want)
	}

	// The streamed sheet of young people reads back: each id with its
	// expected net cost by year, as the forecast has them.
	people, err := os.ReadFile(filepath.Join(out, "forecast-Young people.csv"))
	if err != nil {
		t.Fatalf("no CSV for the Young people sheet: %v", err)
	}
	pr, err := csv.NewReader(bytes.NewReader(people)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(pr) < 1+len(f.Persons) {
		t.Fatalf("LibreOffice's Young people: %d rows, want %d", len(pr)-1, len(f.Persons))
	}
	for i, pc := range f.Persons {
		r := pr[1+i]
		if r[0] != pc.ID {
			t.Errorf("LibreOffice's Young people row %d: %q, want %q", i+2, r[0], pc.ID)
		}
		for y := range testYears {
			want := decimal.New(pc.Spending[y]-pc.Grants[y], -2)
			if got, err := decimal.NewFromString(r[1+y]); err != nil || !got.Equal(want) {
				t.Errorf("LibreOffice's Young people %s year %d: %q, want %s", pc.ID, y, r[1+y], want)
			}
		}
	}
	summary, _ := os.ReadFile(filepath.Join(out, "forecast-Summary.csv"))
	if !bytes.Contains(summary, []byte("\nClosed cohort: no arrivals assumed")) {
		t.Errorf("LibreOffice's Summary does not start by saying the cohort is closed: %.200q", summary)
	}
}
