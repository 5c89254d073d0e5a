package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pathway/sim"
)

// rawRows reads a sheet's values as stored.
func rawRows(t *testing.T, x *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	return rows
}

func cellDec(t *testing.T, where string, rows [][]string, r, c int) decimal.Decimal {
	t.Helper()
	if r >= len(rows) || c >= len(rows[r]) {
		t.Errorf("%s: no cell at row %d, column %d", where, r+1, c+1)
		return decimal.Zero
	}
	d, err := decimal.NewFromString(rows[r][c])
	if err != nil {
		t.Errorf("%s: %q is not a number", where, rows[r][c])
	}
	return d
}

// checkNewSheets checks the sheets a budget workbook needs against the
// forecast: quarterly phasing, placement types, each young person's
// expected cost, the long-format data, arrivals and the cohort's
// assumptions.
func checkNewSheets(t *testing.T, x *excelize.File, f *sim.Forecast, records [][]string) {
	t.Helper()
	years := f.Options.Years

	// Quarterly: after two header rows, each line in forecastLines' order,
	// four quarters a year.
	q := rawRows(t, x, "Quarterly")
	if got := strings.Join(q[1][2:6], "|"); got != "Q1 Apr–Jun|Q2 Jul–Sep|Q3 Oct–Dec|Q4 Jan–Mar" {
		t.Errorf("Quarterly quarters: %q", got)
	}
	means := map[forecastKey]map[int]decimal.Decimal{}
	for _, r := range f.Quarters {
		k := forecastKey{r.Year, r.Payer, r.Category}
		if means[k] == nil {
			means[k] = map[int]decimal.Decimal{}
		}
		means[k][r.Quarter] = r.Mean
	}
	for i, l := range forecastLines() {
		for y := range years {
			for qu := 1; qu <= 4; qu++ {
				want := means[forecastKey{f.FirstYear + y, l.payer, l.category}][qu]
				if got := cellDec(t, "Quarterly", q, 2+i, 2+4*y+qu-1); !got.Equal(want) {
					t.Errorf("Quarterly %s %s %d Q%d: %s, want %s", l.payer, l.category, f.FirstYear+y, qu, got, want)
				}
			}
		}
	}

	// Placements: the cost of each type by year from row 3.
	p := rawRows(t, x, "Placements")
	if p[1][0] != "Placement and accommodation cost by type (means)" {
		t.Errorf("Placements!A2: %q", p[1][0])
	}
	for i, pl := range sim.Placements {
		if p[2+i][0] != placementLabel(pl) {
			t.Errorf("Placements row %d: %q, want %q", 3+i, p[2+i][0], placementLabel(pl))
		}
		for y := range years {
			for _, py := range f.Placement {
				if py.Year == f.FirstYear+y && py.Placement == pl {
					if got := cellDec(t, "Placements", p, 2+i, 2+y); !got.Equal(py.Cost) {
						t.Errorf("Placements %s %d: %s, want %s", pl, py.Year, got, py.Cost)
					}
				}
			}
		}
	}

	// Young people: one row per young person, by id, with the net cost by
	// year and in total.
	yp := rawRows(t, x, "Young people")
	if len(f.Persons) != f.People || len(yp) < 1+f.People {
		t.Fatalf("Young people: %d rows for %d people", len(yp)-1, f.People)
	}
	for i, pc := range f.Persons {
		row := yp[1+i]
		if row[0] != pc.ID {
			t.Errorf("Young people row %d: id %q, want %q", i+2, row[0], pc.ID)
		}
		var spent, got int64
		for y := range years {
			want := decimal.New(pc.Spending[y]-pc.Grants[y], -2)
			if v := cellDec(t, "Young people", yp, 1+i, 1+y); !v.Equal(want) {
				t.Errorf("%s %d: net %s, want %s", pc.ID, f.FirstYear+y, v, want)
			}
			spent += pc.Spending[y]
			got += pc.Grants[y]
		}
		if v := cellDec(t, "Young people", yp, 1+i, 1+years+2); !v.Equal(decimal.New(spent-got, -2)) {
			t.Errorf("%s: total net %s, want %s", pc.ID, v, decimal.New(spent-got, -2))
		}
	}

	// Data: one figure a row; the money's means by year are the CSV's.
	d := rawRows(t, x, "Data")
	if strings.Join(d[0], ",") != strings.Join(dataColumns, ",") {
		t.Errorf("Data header %q", d[0])
	}
	csvMean := map[string]string{}
	for _, r := range records[1:] {
		csvMean[r[0]+"/"+r[1]+"/"+r[2]] = r[3]
	}
	checked := 0
	for _, r := range d[1:] {
		if len(r) == 10 && r[3] == "money" && r[2] == "year" && r[8] == "mean" {
			want := decimal.RequireFromString(csvMean[r[1]+"/"+r[4]+"/"+r[5]])
			if got := decimal.RequireFromString(r[9]); !got.Equal(want) {
				t.Errorf("Data %v: %s, want %s", r, got, want)
			}
			checked++
		}
	}
	perYear := len(sim.Categories) + len(sim.Payers) + 1
	if checked != years*perYear {
		t.Errorf("Data: %d money means, want %d", checked, years*perYear)
	}
	// Money with four measures and quarters, placement costs, head-counts
	// and bed-nights by type and age band, head-counts by status and age,
	// and the two grants' claims.
	if want := years * (perYear*4 + perYear*4 + len(sim.Placements)*(1+4+4) + len(sim.StatusGroups) + len(sim.AgeGroups) + 2); len(d)-1 != want {
		t.Errorf("Data: %d rows, want %d", len(d)-1, want)
	}

	// Arrivals and the assumptions say the cohort is closed.
	if a := rawRows(t, x, "Arrivals"); a[0][0] != "Closed cohort: no arrivals assumed" {
		t.Errorf("Arrivals!A1: %q", a[0][0])
	}
	facts := map[string][]string{}
	for _, r := range rawRows(t, x, "Assumptions") {
		if len(r) >= 2 {
			facts[r[0]] = append(facts[r[0]], r[1])
		}
	}
	if got := facts["Cohort"]; len(got) != 1 || got[0] != "closed cohort: no arrivals assumed" {
		t.Errorf("Assumptions, Cohort: %q", got)
	}
	if got := facts["Cohort file"]; len(got) != 1 || got[0] != "6 young people in the cohort, from 6 rows" {
		t.Errorf("Assumptions, Cohort file: %q", got)
	}
}

// A comparison's workbook sets base, scenario and difference side by side.
func TestComparisonXLSX(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := WriteComparisonXLSX(&b, c); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{"Summary", "By category", "Difference", "By payer", "Quarterly", "Placements", "Head-counts", "Arrivals", "Young people", "Data", "Assumptions"}
	if got := x.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	s := rawRows(t, x, "Summary")
	if !strings.HasPrefix(s[1][0], "Base: closed cohort: no arrivals assumed. Scenario arrivals+20: open cohort: arrivals assumed, 16.66 expected in 2025-26 (from 1 Jun), then 20 a year") {
		t.Errorf("Summary!A2: %q", s[1][0])
	}
	// Row 4: the blocks; row 6: the authority's total mean, base from C,
	// scenario from G, difference from K.
	if s[3][2] != "Base" || s[3][6] != "Scenario arrivals+20" || s[3][10] != "Difference (scenario − base)" {
		t.Errorf("Summary blocks: %q", s[3])
	}
	if s[5][0] != "Local authority total" || s[5][1] != "Mean" {
		t.Fatalf("Summary row 6: %q", s[5])
	}
	for y := range testYears {
		base := rowOf(t, c.Base, c.Base.FirstYear+y, sim.LocalAuthority, sim.CatTotal).Mean
		scen := rowOf(t, c.Scenario, c.Base.FirstYear+y, sim.LocalAuthority, sim.CatTotal).Mean
		for i, want := range []decimal.Decimal{base, scen, scen.Sub(base)} {
			if got := cellDec(t, "Summary", s, 5, 2+i*testYears+y); !got.Equal(want) {
				t.Errorf("Summary block %d year %d: %s, want %s", i, y, got, want)
			}
		}
	}
	// The long-format sheet has the difference's money too.
	n := 0
	for _, r := range rawRows(t, x, "Data")[1:] {
		if r[0] == "difference" {
			n++
		}
	}
	if want := len(c.Base.Rows) * 4; n != want {
		t.Errorf("Data: %d difference rows, want %d", n, want)
	}
}

func rowOf(t *testing.T, f *sim.Forecast, y int, p sim.Payer, c sim.Category) sim.ForecastRow {
	t.Helper()
	for _, r := range f.Rows {
		if r.Year == y && r.Payer == p && r.Category == c {
			return r
		}
	}
	t.Fatalf("no row %d %s %s", y, p, c)
	return sim.ForecastRow{}
}

// Every placement has words in the adviser's pack and a label in finance
// outputs.
func TestPlacementsHaveWords(t *testing.T) {
	for _, p := range sim.Placements {
		if placementWords[p] == "" || placementLabels[p] == "" {
			t.Errorf("%s: words %q, label %q", p, placementWords[p], placementLabels[p])
		}
	}
}
