package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/scenarios"
	"pathway/sim"
)

// testComparison is the test forecast beside the built-in scenario
// arrivals+20, run on the same seed.
func testComparison(t *testing.T) *Comparison {
	t.Helper()
	f, in := testForecast(t)
	b, ok := scenarios.NamedPolicy("arrivals+20")
	if !ok {
		t.Fatal("no built-in scenario arrivals+20")
	}
	sc, err := scenarios.LoadScenario(in.Policy, bytes.NewReader(b), "arrivals+20")
	if err != nil {
		t.Fatal(err)
	}
	base, err := scenarios.NewSetup(in.Policy, nil, nil, f.Options.From, f.Options.Years)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sc.Over(base, f.Options.From, f.Options.Years)
	if err != nil {
		t.Fatal(err)
	}
	opts := f.Options
	opts.Arrivals = s.Arrivals
	g, err := sim.RunForecast(testCohort(t), s.Policy, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &Comparison{Name: sc.Name, Base: f, BaseIn: in, Scenario: g,
		ScenarioIn: ForecastInput{File: in.File, SHA256: in.SHA256, Policy: s.Policy, Uplifts: s.Uplifts}}
}

func TestComparisonCSV(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteComparisonCSV(&b, c); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], ","); got != "scenario,financial_year,payer,category,mean,p10,p50,p90" {
		t.Fatalf("header %q", got)
	}
	n := len(c.Base.Rows)
	if len(records) != 1+3*n {
		t.Fatalf("%d rows, want 3 × %d", len(records)-1, n)
	}
	// The base's rows are the plain forecast's CSV, led by "base".
	_, plain := forecastCSV(t, c.Base)
	for i := range n {
		base, scen, diff := records[1+i], records[1+n+i], records[1+2*n+i]
		if base[0] != "base" || scen[0] != "scenario" || diff[0] != "difference" {
			t.Fatalf("row %d: scenario column %q, %q, %q", i, base[0], scen[0], diff[0])
		}
		if strings.Join(base[1:], ",") != strings.Join(plain[1+i], ",") {
			t.Errorf("base row %d %q, the plain forecast's %q", i, base[1:], plain[1+i])
		}
		// difference = scenario − base in every cell.
		for j := 4; j < 8; j++ {
			s, b, d := decimal.RequireFromString(scen[j]), decimal.RequireFromString(base[j]), decimal.RequireFromString(diff[j])
			if !s.Sub(b).Equal(d) || strings.Join(diff[1:4], ",") != strings.Join(base[1:4], ",") {
				t.Errorf("%s %s %s column %d: difference %s, scenario %s − base %s", base[1], base[2], base[3], j, d, s, b)
			}
		}
	}
	// Twenty more arrivals a year cost the authority more in every year.
	for _, r := range records[1+2*n:] {
		if r[2] == "local_authority" && r[3] == "total" && !decimal.RequireFromString(r[4]).IsPositive() {
			t.Errorf("%s: twenty more arrivals a year change the authority's spending by %s", r[1], r[4])
		}
	}
}

func TestComparisonJSON(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteComparisonJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Scenario   string              `json:"scenario"`
		Base       forecastJSON        `json:"base"`
		Compared   forecastJSON        `json:"scenario_forecast"`
		Difference []map[string]string `json:"difference"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Scenario != "arrivals+20" || got.Base.Cohort != "closed cohort: no arrivals assumed" || !strings.HasPrefix(got.Compared.Cohort, "open cohort: arrivals assumed, ") {
		t.Errorf("scenario %q, cohorts %q and %q", got.Scenario, got.Base.Cohort, got.Compared.Cohort)
	}
	// 20 a year, and for the first year from 1 Jun 2025 only its part:
	// 20 × 304 / 365 = 16.657… = 16.66.
	if a := got.Compared.Arrivals; len(a) != testYears || a[0].Expected != "16.66" || a[1].Expected != "20.00" {
		t.Errorf("scenario's arrivals %+v", a)
	}
	if len(got.Difference) != len(c.Base.Rows) {
		t.Fatalf("%d difference rows, want %d", len(got.Difference), len(c.Base.Rows))
	}
	for i, d := range got.Difference {
		b, s := c.Base.Rows[i], c.Scenario.Rows[i]
		if d["mean"] != s.Mean.Sub(b.Mean).StringFixed(2) || d["p90"] != s.P90.Sub(b.P90).StringFixed(2) {
			t.Errorf("difference %v, want scenario − base", d)
		}
	}
	var plain bytes.Buffer
	if err := WriteForecastJSON(&plain, c.Base, c.BaseIn); err != nil {
		t.Fatal(err)
	}
	var base forecastJSON
	json.Unmarshal(plain.Bytes(), &base)
	again, _ := json.Marshal(got.Base)
	want, _ := json.Marshal(base)
	if !bytes.Equal(again, want) {
		t.Error("the comparison's base differs from the plain forecast's JSON")
	}
}
