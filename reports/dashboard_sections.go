package reports

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// The dashboard's sections for a budget round: a scenario beside the base,
// placement types with bed-nights and head-counts, and arrivals.

// Colours of the placement types, shared by their charts.
var placementColours = map[sim.Placement]string{
	sim.Foster:            okabeIto.Blue,
	sim.Residential:       okabeIto.Vermillion,
	sim.SupportedLodgings: okabeIto.Yellow,
	sim.SemiIndependent:   okabeIto.BluishGreen,
	sim.StayingPut:        okabeIto.SkyBlue,
	sim.Independent:       okabeIto.ReddishPurple,
	sim.Other:             okabeIto.Grey,
}

// compare sets the scenario's net cost beside the base's each year, with
// the difference as a line; the table gives the authority's spending, the
// grants and the net cost of each, and the difference of each.
func (fc dashFigures) compare(r *report) dashSection {
	d := r.diffIndex()
	var lines []moneyLine
	names := []string{"Base", "Scenario " + r.name}
	colours := []string{okabeIto.Blue, okabeIto.Orange}
	for i, rn := range r.runs {
		idx := rn.idx
		get := func(c sim.Category) func(int) decimal.Decimal {
			return func(y int) decimal.Decimal { return idx[forecastKey{y, sim.LocalAuthority, c}].Mean }
		}
		grants := func(y int) decimal.Decimal {
			return dashFigures{idx: idx}.grants(y)
		}
		key := []string{"base", "scenario"}[i]
		lines = append(lines,
			moneyLine{key: key + "/local_authority/total/mean", label: names[i] + ": authority spending", value: get(sim.CatTotal)},
			moneyLine{key: key + "/home_office/grants/mean", label: names[i] + ": Home Office grants", value: grants},
			moneyLine{key: key + "/local_authority/net_cost/mean", label: names[i] + ": net cost", color: colours[i], value: get(sim.CatNetCost), strong: true},
		)
	}
	grants := func(y int) decimal.Decimal { return dashFigures{idx: d}.grants(y) }
	lines = append(lines,
		moneyLine{key: "difference/local_authority/total/mean", label: "Difference: authority spending", value: func(y int) decimal.Decimal {
			return d[forecastKey{y, sim.LocalAuthority, sim.CatTotal}].Mean
		}},
		moneyLine{key: "difference/home_office/grants/mean", label: "Difference: Home Office grants", value: grants},
		moneyLine{key: "difference/local_authority/net_cost/mean", label: "Difference: net cost (scenario − base)", color: colourNet, strong: true, value: func(y int) decimal.Decimal {
			return d[forecastKey{y, sim.LocalAuthority, sim.CatNetCost}].Mean
		}},
	)
	diff := lines[len(lines)-1]
	// Where the difference comes from: each category the scenario changes
	// in some year, scenario − base.
	all := lines
	for _, pc := range sim.Categories {
		l := moneyLine{key: "difference/" + string(pc.Payer) + "/" + string(pc.Category) + "/mean",
			label: "Difference: " + categoryLabel(pc.Payer, pc.Category),
			value: func(y int) decimal.Decimal { return d[forecastKey{y, pc.Payer, pc.Category}].Mean }}
		if fc.nonZero(l) {
			all = append(all, l)
		}
	}
	s := yearChartSpec{
		ID: dashCompareID, Caption: "Authority net cost: base and scenario " + r.name + " side by side, with the difference (means)",
		Description: "Bar chart of the authority's expected net cost in each financial year under the base (left bar) and the scenario " + r.name + " (right bar), with a line for the difference, scenario minus base. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "£ per financial year", Money: true, Zero: fc.negative(lines),
		Series: []yearSeries{
			fc.bar(lines[2], ""), fc.bar(lines[5], ""),
			{Name: diff.label, Type: "line", Data: fc.series(diff), Symbol: "circle", SymbolSize: 9, Z: 3,
				LineStyle: map[string]any{"width": 3, "color": colourNet}, ItemStyle: map[string]any{"color": colourNet, "borderColor": "#ffffff", "borderWidth": 1}},
		},
	}
	return dashSection{
		Chart: yearChart(s),
		Table: fc.table(dashCompareID, "Base, scenario "+r.name+" and the difference by financial year, then the difference in each category that changes: means (£)", "Line", all),
	}
}

// placementYears finds a forecast's placement figures by year and type.
func (fc dashFigures) placementYear(y int, p sim.Placement) sim.PlacementYear {
	for _, py := range fc.f.Placement {
		if py.Year == y && py.Placement == p {
			return py
		}
	}
	return sim.PlacementYear{}
}

// placementCost stacks the authority's placement and accommodation money by
// placement type.
func (fc dashFigures) placementCost() dashSection {
	var lines []moneyLine
	var series []yearSeries
	var omitted []string
	for _, p := range sim.Placements {
		l := moneyLine{key: "placement/" + string(p) + "/mean", label: placementLabel(p), color: placementColours[p],
			value: func(y int) decimal.Decimal { return fc.placementYear(y, p).Cost }}
		if fc.nonZero(l) {
			series = append(series, fc.bar(l, "placement"))
		} else {
			omitted = append(omitted, l.label)
			l.color = ""
		}
		lines = append(lines, l)
	}
	lines = append(lines, moneyLine{key: "placement/total/mean", label: "All placement types", strong: true, value: func(y int) decimal.Decimal {
		t := decimal.Zero
		for _, p := range sim.Placements {
			t = t.Add(fc.placementYear(y, p).Cost)
		}
		return t
	}})
	s := yearChartSpec{
		ID: dashPlacementID, Caption: "Placement and accommodation cost by placement type (means)",
		Description: "Stacked bar chart of the authority's expected spending on placements, Staying Put and accommodation in each financial year, by the type of placement the young person is in. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "£ per financial year", Money: true, Series: series,
	}
	return dashSection{Chart: yearChart(s), Table: fc.table(dashPlacementID, "Placement and accommodation cost by placement type: means (£)", "Placement type", lines), Omitted: strings.Join(omitted, "; ")}
}

var bandLabels = []string{"under 16", "16 to 17", "18 to 20", "21 to 24"}

// countTable lays counts out by placement type and age band, leaving out
// rows with nothing in any year.
func (fc dashFigures) countTable(id, caption string, get func(sim.PlacementYear) [4]decimal.Decimal) dashTable {
	t := dashTable{ID: id, Caption: caption, Head: "Placement type and age", Years: fc.labels}
	for _, p := range sim.Placements {
		for b := range 4 {
			r := dashRow{Key: string(p) + "/" + sim.AgeGroups[b], Label: placementLabel(p) + ", " + bandLabels[b]}
			some := false
			for _, y := range fc.years {
				v := get(fc.placementYear(y, p))[b]
				some = some || !v.IsZero()
				r.Cells = append(r.Cells, v.StringFixed(2))
			}
			if some {
				t.Rows = append(t.Rows, r)
			}
		}
	}
	return t
}

// bedNights stacks the nights the authority pays a placement or
// accommodation for, by type; the table gives them by type and age, and
// the Home Office grants' nights and weeks they reconcile with.
func (fc dashFigures) bedNights() dashSection {
	var series []yearSeries
	for _, p := range sim.Placements {
		data := make([]float64, len(fc.years))
		some := false
		for i, y := range fc.years {
			n := decimal.Zero
			for _, v := range fc.placementYear(y, p).Nights {
				n = n.Add(v)
			}
			data[i] = n.Round(0).InexactFloat64()
			some = some || !n.IsZero()
		}
		if some {
			series = append(series, yearSeries{Name: placementLabel(p), Type: "bar", Stack: "nights", Data: data, BarMaxWidth: 56,
				ItemStyle: map[string]any{"color": placementColours[p], "borderColor": "#ffffff", "borderWidth": 1}})
		}
	}
	t := fc.countTable(dashBedNightsID+"_table", "Bed-nights by placement type and age: means", func(p sim.PlacementYear) [4]decimal.Decimal { return p.Nights })
	claims := []struct {
		key, label string
		get        func(sim.GrantDays) decimal.Decimal
	}{
		{"claims/uasc_nights", "Home Office UASC grant: nights claimed (under 18)", func(g sim.GrantDays) decimal.Decimal { return g.UASCNights }},
		{"claims/care_leaver_weeks", "Home Office care-leaver grant: weeks claimed (18 and over)", func(g sim.GrantDays) decimal.Decimal { return g.CareLeaverWeeks }},
	}
	for _, c := range claims {
		r := dashRow{Key: c.key, Label: c.label, Strong: true}
		for i := range fc.years {
			r.Cells = append(r.Cells, c.get(fc.f.Grants[i]).StringFixed(2))
		}
		t.Rows = append(t.Rows, r)
	}
	s := yearChartSpec{
		ID: dashBedNightsID, Caption: "Bed-nights by placement type (means)",
		Description: "Stacked bar chart of the expected nights in each financial year for which the authority pays a placement, Staying Put or accommodation, by placement type. The table after the chart gives them by age too, with the nights and weeks of Home Office grant they reconcile with.",
		Years:       fc.labels, Axis: "Nights", Series: series,
	}
	return dashSection{Chart: yearChart(s), Table: t}
}

// placementHeads is the table of young people by placement type and age.
func (fc dashFigures) placementHeads() dashTable {
	return fc.countTable("dashboard_placement_heads", "Young people "+fc.countDay()+" by placement type and age: means", func(p sim.PlacementYear) [4]decimal.Decimal { return p.Heads })
}

// arrivals shows the arrivals expected and drawn each year.
func (fc dashFigures) arrivals() dashSection {
	t := dashTable{ID: dashArrivalsID + "_table", Caption: "Arrivals by financial year", Head: "Arrivals", Years: fc.labels}
	exp, mean := make([]float64, len(fc.years)), make([]float64, len(fc.years))
	rows := []dashRow{{Key: "arrivals/expected", Label: "Expected", Swatch: okabeIto.Grey}, {Key: "arrivals/mean", Label: "Mean drawn", Swatch: okabeIto.Blue, Strong: true},
		{Key: "arrivals/p10", Label: "Low (P10)"}, {Key: "arrivals/p90", Label: "High (P90)"}}
	for i, a := range fc.f.Arrivals {
		exp[i], mean[i] = a.Expected.InexactFloat64(), a.Mean.InexactFloat64()
		rows[0].Cells = append(rows[0].Cells, a.Expected.StringFixed(2))
		rows[1].Cells = append(rows[1].Cells, a.Mean.StringFixed(2))
		rows[2].Cells = append(rows[2].Cells, strconv.Itoa(a.P10))
		rows[3].Cells = append(rows[3].Cells, strconv.Itoa(a.P90))
	}
	t.Rows = rows
	s := yearChartSpec{
		ID: dashArrivalsID, Caption: "Arrivals: expected and drawn (means)",
		Description: "Bar chart of the number of young people expected to arrive in each financial year beside the mean number the forecast drew. The table after the chart gives the figures and the range.",
		Years:       fc.labels, Axis: "Young people",
		Series: []yearSeries{
			{Name: "Expected", Type: "bar", Data: exp, BarMaxWidth: 56, ItemStyle: map[string]any{"color": okabeIto.Grey, "borderColor": "#ffffff", "borderWidth": 1}},
			{Name: "Mean drawn", Type: "bar", Data: mean, BarMaxWidth: 56, ItemStyle: map[string]any{"color": okabeIto.Blue, "borderColor": "#ffffff", "borderWidth": 1}},
		},
	}
	return dashSection{Chart: yearChart(s), Table: t}
}
