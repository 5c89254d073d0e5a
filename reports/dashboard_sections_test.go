package reports

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// Where a finance officer starts reading: whether the cohort is closed, and
// that placeholders carry the figures, so the mean is not yet a figure to
// budget with; and which lines rest on them.
func TestFinanceDashboardSaysWhatRestsOnPlaceholders(t *testing.T) {
	f, in := testForecast(t)
	var b bytes.Buffer
	if err := writeFinanceDashboard(&b, f, in, small); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	head := page[:strings.Index(page, "</header>")]
	for _, want := range []string{
		`<p class="cohort" id="cohort"><strong>Closed cohort: no arrivals assumed.</strong></p>`,
		`<strong>Placeholders carry most of these figures:</strong>`,
		"not yet one to budget with",
		`<li>Local authority: placement: <code>local.placement_week_foster</code>`,
		`<li>Home Office: care-leaver grant (weekly): <code>home_office.care_leaver_week</code>`,
		"<li>6 young people in the cohort, from 6 rows</li>",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("the page's head has no %q", want)
		}
	}
	if strings.Contains(page, "the one to budget with") {
		t.Error("the page calls the mean the one to budget with while placeholders carry the figures")
	}
	// The higher nightly rate is not paid (no child population): its
	// unconfirmed value carries nothing and is not listed.
	if strings.Contains(head, "home_office.uasc_higher_night") {
		t.Error("the UASC grant is said to rest on the higher rate, which is not paid")
	}

	// The share is the placeholder lines' part of the authority's spending:
	// here every line the authority spends on rests on a placeholder but
	// the setting-up-home allowance (£3,000, confirmed).
	lines, share := placeholderLines(f, mustValues(t, f, in))
	spend, sum := decimal.Zero, decimal.Zero
	for _, r := range f.Rows {
		if r.Payer == sim.LocalAuthority && r.Category != sim.CatTotal && r.Category != sim.CatNetCost {
			spend = spend.Add(r.Mean)
		}
		if r.Category == sim.CatSettingUpHome || r.Category == sim.CatHEBursary {
			sum = sum.Add(r.Mean)
		}
	}
	if want := spend.Sub(sum).Div(spend); !share.Equal(want) {
		t.Errorf("share %s, want (spending − one-offs) / spending = %s", share, want)
	}
	for _, l := range lines {
		if l.Category == sim.CatSettingUpHome {
			t.Error("the setting-up-home allowance, confirmed, is listed as resting on a placeholder")
		}
	}

	// Placement types: the table's figures are the forecast's, and the
	// claims rows the grants' nights and weeks.
	tables := pageTables(t, page)
	pt := tables["dashboard_placement_table"]
	for _, p := range f.Placement {
		i := p.Year - f.FirstYear
		if got := cellAmount(t, "placement "+string(p.Placement), pt.rows["placement/"+string(p.Placement)+"/mean"][1+i]); !got.Equal(p.Cost) {
			t.Errorf("placement %s %d: %s, want %s", p.Placement, p.Year, got, p.Cost)
		}
	}
	bn := tables["dashboard_bed_nights_table"]
	for i, g := range f.Grants {
		if got := bn.rows["claims/uasc_nights"][1+i]; got != g.UASCNights.StringFixed(2) {
			t.Errorf("UASC nights %d: %s, want %s", g.Year, got, g.UASCNights.StringFixed(2))
		}
		if got := bn.rows["claims/care_leaver_weeks"][1+i]; got != g.CareLeaverWeeks.StringFixed(2) {
			t.Errorf("care-leaver weeks %d: %s, want %s", g.Year, got, g.CareLeaverWeeks.StringFixed(2))
		}
	}
	if !strings.Contains(page, "<strong>Closed cohort: no arrivals assumed.</strong> The figures are for the young people in the cohort file only") {
		t.Error("the arrivals section does not say the cohort is closed")
	}
}

func mustValues(t *testing.T, f *sim.Forecast, in ForecastInput) []sim.Param {
	t.Helper()
	v, err := forecastValues(f, in)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A comparison's dashboard sets base and scenario side by side, with the
// difference, and shows the scenario's arrivals.
func TestComparisonDashboard(t *testing.T) {
	c := testComparison(t)
	var b bytes.Buffer
	if err := writeComparisonDashboard(&b, c, small); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String())
	if !strings.Contains(page, `<p class="cohort" id="cohort"><strong>Base: closed cohort: no arrivals assumed.</strong> Scenario “arrivals+20”: open cohort: arrivals assumed, 16.66 expected in 2025-26 (from 1 Jun), then 20 a year.</p>`) {
		t.Error("the page does not start with both cohorts' statements")
	}
	tables := pageTables(t, page)
	cmp := tables["dashboard_compare_table"]
	for y := range testYears {
		year := c.Base.FirstYear + y
		base := rowOf(t, c.Base, year, sim.LocalAuthority, sim.CatNetCost).Mean
		scen := rowOf(t, c.Scenario, year, sim.LocalAuthority, sim.CatNetCost).Mean
		for key, want := range map[string]decimal.Decimal{
			"base/local_authority/net_cost/mean":       base,
			"scenario/local_authority/net_cost/mean":   scen,
			"difference/local_authority/net_cost/mean": scen.Sub(base),
		} {
			if got := cellAmount(t, key, cmp.rows[key][1+y]); !got.Equal(want) {
				t.Errorf("%s %d: %s, want %s", key, year, got, want)
			}
		}
	}
	// Where the difference comes from: each category that changes, as
	// the scenario's mean less the base's; a category the scenario leaves
	// alone has no row.
	rows := 0
	for _, pc := range sim.Categories {
		key := "difference/" + string(pc.Payer) + "/" + string(pc.Category) + "/mean"
		changes := false
		for y := range testYears {
			year := c.Base.FirstYear + y
			want := rowOf(t, c.Scenario, year, pc.Payer, pc.Category).Mean.Sub(rowOf(t, c.Base, year, pc.Payer, pc.Category).Mean)
			changes = changes || !want.IsZero()
			if r, ok := cmp.rows[key]; ok {
				if got := cellAmount(t, key, r[1+y]); !got.Equal(want) {
					t.Errorf("%s %d: %s, want %s", key, year, got, want)
				}
			}
		}
		if _, ok := cmp.rows[key]; ok != changes {
			t.Errorf("%s: a row %v, but the scenario changes it %v", key, ok, changes)
		}
		if changes {
			rows++
		}
	}
	if rows < 3 {
		t.Errorf("arrivals change only %d categories: placements, social work and the UASC grant at least", rows)
	}
	arr := tables["dashboard_arrivals_table"]
	for i, a := range c.Scenario.Arrivals {
		if got := arr.rows["arrivals/expected"][1+i]; got != a.Expected.StringFixed(2) {
			t.Errorf("arrivals expected %d: %s, want %s", a.Year, got, a.Expected.StringFixed(2))
		}
	}
	if !strings.Contains(page, "The chart and table show the scenario's arrivals.") {
		t.Error("the arrivals section does not say whose arrivals it shows")
	}
}
