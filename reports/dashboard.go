package reports

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
	"github.com/shopspring/decimal"

	"pathway/sim"
)

// WriteFinanceDashboard writes the finance team's view of a cohort forecast
// as one self-contained HTML page. It starts with whether the cohort is
// closed or what arrivals it assumes, and with which lines rest on
// placeholder values; then a fan chart of the authority's net cost by
// financial year, the funding gap (its spending minus the Home Office
// grants), its costs by category beside the grants, the split between
// payers, placement types with bed-nights and head-counts, arrivals,
// head-counts by status and age, and the assumptions with every policy
// value in force during the forecast, unconfirmed ones footnoted. A table
// after each chart gives the same figures, in pounds and pence. The chart
// library is inlined: the page loads nothing. The forecast carries no
// names, ids or places, and neither does the page.
func WriteFinanceDashboard(w io.Writer, f *sim.Forecast, in ForecastInput) error {
	return writeFinanceDashboard(w, f, in, pageOptions{})
}

// WriteComparisonDashboard writes the dashboard of a base forecast with a
// scenario's beside it: a comparison of the two, year by year, with the
// difference, before the base's own charts, and the scenario's changed
// policy values among the assumptions.
func WriteComparisonDashboard(w io.Writer, c *Comparison) error {
	return writeComparisonDashboard(w, c, pageOptions{})
}

func writeFinanceDashboard(w io.Writer, f *sim.Forecast, in ForecastInput, o pageOptions) error {
	r, err := singleReport(f, in)
	if err != nil {
		return err
	}
	return writeDashboard(w, r, o)
}

func writeComparisonDashboard(w io.Writer, c *Comparison, o pageOptions) error {
	r, err := comparisonReport(c)
	if err != nil {
		return err
	}
	return writeDashboard(w, r, o)
}

func writeDashboard(w io.Writer, r *report, o pageOptions) error {
	d, err := buildDashboard(r)
	if err != nil {
		return err
	}
	d.Library = o.libraryScript()
	t, err := pageTemplates("dashboard.html", nil)
	if err != nil {
		return fmt.Errorf("dashboard template: %w", err)
	}
	return writePage(w, t, "dashboard.html", d)
}

// dashboard is everything the finance dashboard shows.
type dashboard struct {
	Title   string
	Library template.HTML
	Policy  string
	From    sim.Date
	First   string // the first financial year, "2025-26"
	Last    string
	Draws   int
	People  int

	// Where a reader starts: whether the cohort is closed, what was done
	// with its rows, and how far placeholders carry the figures.
	Cohort           string
	CohortTitle      string // Cohort, capitalised to start a sentence
	ScenarioCohort   string // a comparison's scenario's cohort statement
	CohortNotes      []string
	HigherRate       string
	Uplifts          []string
	PartYear         string // the first year, when it is part of one; "" otherwise
	Placeholders     []dashPlaceholder
	PlaceholderShare string // of the authority's expected spending, "84%"
	Dominated        bool   // placeholders carry most of the spending

	Scenario   string       // a comparison's scenario's name; "" for one forecast
	Compare    *dashSection // nil for one forecast
	NetCost    dashSection
	Gap        dashSection
	Categories dashSection
	Payers     dashSection
	Placement  dashSection
	BedNights  dashSection
	PlaceHeads dashTable
	Arrivals   *dashSection // nil for a closed cohort
	ArrivalsOf string       // in a comparison, whose arrivals they are
	Status     dashSection
	Ages       dashSection

	Facts       []labelValue
	File        string // the cohort file's name
	SHA256      string
	Window      string // the dates the policy values cover
	Values      []dashValue
	Changed     []dashValue // a comparison's scenario's values that differ from the base's
	Footnotes   []footnote
	Unconfirmed int // how many of Values are placeholders
	// The prior rows the decisions may be drawn from; a comparison's
	// scenario's too when they differ from the base's.
	Priors []dashPriorTable
}

// dashPriorTable is a table of prior rows.
type dashPriorTable struct {
	ID, Caption string
	Rows        []dashPrior
}

// dashPrior is a prior row as the assumptions show it: the shares exactly,
// as percentages to two places (a row holds four decimal places), and a
// dash for what the row leaves open.
type dashPrior struct {
	Whose, From, To string
	Shares          [4]string
	Decisions       string
	Note            string
}

// dashPriors lists the prior rows of a forecast.
func dashPriors(uses []sim.PriorUse) []dashPrior {
	out := make([]dashPrior, 0, len(uses))
	hundred := decimal.NewFromInt(100)
	dash := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	for _, u := range uses {
		r := priorRowOf(u)
		dp := dashPrior{Whose: r.Whose, From: dash(r.From), To: dash(r.To), Decisions: "–", Note: r.Note}
		if r.Decisions > 0 {
			dp.Decisions = decisionsText(r.Decisions)
		}
		for i, x := range r.Shares {
			dp.Shares[i] = x.Mul(hundred).StringFixed(2) + "%"
		}
		out = append(out, dp)
	}
	return out
}

// dashPlaceholder is a money line that rests on placeholder values.
type dashPlaceholder struct {
	Line string
	Keys []string
}

// dashSection is a chart and the table that says the same.
type dashSection struct {
	Chart   chartBlock
	Table   dashTable
	Omitted string // rows of the table the chart leaves out, having nothing in any year
}

// dashTable is figures by financial year: a row per line, a column per year.
type dashTable struct {
	ID      string
	Caption string
	Head    string // the first column's heading
	Years   []string
	Rows    []dashRow
}

type dashRow struct {
	Key    string // what the row holds, as payer/category/measure or by/group
	Label  string
	Swatch string // the colour of the row's series in the chart; "" for none
	Cells  []string
	Strong bool
}

// dashValue is one policy value in force during the forecast.
type dashValue struct {
	Key         string
	Value       string
	From, To    string
	Source      string
	Confidence  string
	Note        string
	Unconfirmed bool
	Notes       []int
}

// The page's chart IDs, fixed so that the page is byte-stable.
const (
	dashNetCostID    = "dashboard_net_cost"
	dashGapID        = "dashboard_funding_gap"
	dashCategoriesID = "dashboard_categories"
	dashPayersID     = "dashboard_payers"
	dashStatusID     = "dashboard_status"
	dashAgesID       = "dashboard_ages"
	dashCompareID    = "dashboard_compare"
	dashPlacementID  = "dashboard_placement"
	dashBedNightsID  = "dashboard_bed_nights"
	dashArrivalsID   = "dashboard_arrivals"
)

func buildDashboard(r *report) (*dashboard, error) {
	base := r.base()
	f, in, values, idx := base.f, base.in, base.values, base.idx
	if f.Options.Years < 1 {
		return nil, fmt.Errorf("forecast has no financial year")
	}
	years := r.years()
	labels := yearLabels(f)
	for _, rn := range r.runs {
		for _, y := range years {
			for _, l := range forecastLines() {
				if _, ok := rn.idx[forecastKey{y, l.payer, l.category}]; !ok {
					return nil, fmt.Errorf("forecast has no row for %s %s %s", sim.FinancialYearLabel(y), l.payer, l.category)
				}
			}
		}
	}
	heads := map[headKey]decimal.Decimal{}
	for _, h := range f.Heads {
		heads[headKey{h.Year, h.By, h.Group}] = h.Mean
	}
	for _, y := range years {
		for _, grouping := range []struct {
			by     string
			groups []string
		}{{"status", sim.StatusGroups}, {"age", sim.AgeGroups}} {
			for _, g := range grouping.groups {
				if _, ok := heads[headKey{y, grouping.by, g}]; !ok {
					return nil, fmt.Errorf("forecast has no head-count for %s %s %s", sim.FinancialYearLabel(y), grouping.by, g)
				}
			}
		}
	}

	last := sim.FinancialYearLabel(years[len(years)-1])
	d := &dashboard{
		Title:  "Cohort forecast: finance dashboard, " + labels[0] + " to " + last,
		Policy: f.Policy, From: f.Options.From, First: labels[0], Last: last,
		Draws: f.Options.Draws, People: f.People,
		Cohort: cohortStatement(f), CohortTitle: capitalise(cohortStatement(f)), CohortNotes: cohortNotes(f), HigherRate: higherRateWords(f),
		Uplifts: upliftWords(f, in.Uplifts),
	}
	if pd := f.PartYear(); !pd.IsZero() {
		d.PartYear = labels[0]
	}
	lines, share := placeholderLines(f, values)
	for _, l := range lines {
		d.Placeholders = append(d.Placeholders, dashPlaceholder{Line: categoryLabel(l.Payer, l.Category), Keys: l.Keys})
	}
	d.PlaceholderShare = share.Shift(2).Round(0).String() + "%"
	d.Dominated = share.GreaterThan(placeholdersDominate)
	fc := dashFigures{idx: idx, years: years, labels: labels, f: f}
	if r.diff != nil {
		d.Title = "Cohort forecast: finance dashboard, " + labels[0] + " to " + last + ", base and scenario " + r.name
		d.Scenario, d.ScenarioCohort = r.name, cohortStatement(r.runs[1].f)
		cmp := fc.compare(r)
		d.Compare = &cmp
	}
	d.NetCost = fc.netCost()
	d.Gap = fc.gap()
	d.Categories = fc.categories()
	d.Payers = fc.payers()
	d.Placement = fc.placementCost()
	d.BedNights = fc.bedNights()
	d.PlaceHeads = fc.placementHeads()
	for i, rn := range r.runs {
		// The first forecast that assumes arrivals: in a comparison, the
		// scenario's when only it does.
		if !rn.f.Closed() {
			a := dashFigures{idx: rn.idx, years: years, labels: labels, f: rn.f}.arrivals()
			d.Arrivals = &a
			if r.diff != nil {
				d.ArrivalsOf = []string{"base", "scenario"}[i]
			}
			break
		}
	}
	d.Status = fc.heads(dashStatusID, "status", sim.StatusGroups, heads)
	d.Ages = fc.heads(dashAgesID, "age", sim.AgeGroups, heads)
	d.assumptions(f, in, values)
	basePriors := dashPriors(f.Priors)
	d.Priors = []dashPriorTable{{ID: "dashboard_priors", Rows: basePriors,
		Caption: "Outcome priors the cohort's asylum decisions are drawn from, each for decisions dated from its From to its To"}}
	if r.diff != nil {
		if sp := dashPriors(r.runs[1].f.Priors); !slices.Equal(sp, basePriors) {
			d.Priors = append(d.Priors, dashPriorTable{ID: "dashboard_scenario_priors", Rows: sp,
				Caption: fmt.Sprintf("Outcome priors under the scenario “%s”, which differ from the base's", d.Scenario)})
		}
		seen := map[string]bool{}
		for _, v := range values {
			seen[paramID(v)] = true
		}
		for _, v := range r.runs[1].values {
			if !seen[paramID(v)] {
				d.Changed = append(d.Changed, dashParam(v))
			}
		}
	}
	return d, nil
}

type headKey struct {
	year      int
	by, group string
}

// dashFigures builds the page's charts and tables from the forecast rows.
type dashFigures struct {
	idx    forecastIndex
	years  []int
	labels []string
	f      *sim.Forecast
}

// countDay says on which day head-counts are taken: 1 April, or, when the
// forecast starts later in its first year, its start for that year.
func (fc dashFigures) countDay() string {
	if fc.f != nil {
		if from := fc.f.PartYear(); !from.IsZero() {
			return "on 1 April (in " + sim.FinancialYearLabel(fc.f.FirstYear) + ", on the forecast's start, " + from.Long() + ")"
		}
	}
	return "on 1 April"
}

func (fc dashFigures) row(y int, p sim.Payer, c sim.Category) sim.ForecastRow {
	return fc.idx[forecastKey{y, p, c}]
}

// moneyLine is one row of money by year, and the chart series it gives.
type moneyLine struct {
	key, label, color string
	value             func(y int) decimal.Decimal
	strong            bool
}

// table lays money lines out with exact pounds and pence.
func (fc dashFigures) table(id, caption, head string, lines []moneyLine) dashTable {
	t := dashTable{ID: id + "_table", Caption: caption, Head: head, Years: fc.labels}
	for _, l := range lines {
		r := dashRow{Key: l.key, Label: l.label, Swatch: l.color, Strong: l.strong}
		for _, y := range fc.years {
			r.Cells = append(r.Cells, pounds(l.value(y)))
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

// series turns a money line into chart values, whole pounds.
func (fc dashFigures) series(l moneyLine) []float64 {
	out := make([]float64, len(fc.years))
	for i, y := range fc.years {
		out[i] = chartPounds(l.value(y))
	}
	return out
}

// nonZero reports whether a line has money in some year.
func (fc dashFigures) nonZero(l moneyLine) bool {
	for _, y := range fc.years {
		if !l.value(y).IsZero() {
			return true
		}
	}
	return false
}

func (fc dashFigures) measure(p sim.Payer, c sim.Category, m string) func(int) decimal.Decimal {
	return func(y int) decimal.Decimal { return pickMeasure(fc.row(y, p, c), m) }
}

// grants is the Home Office grants to the authority: the mean of each grant
// category, added.
func (fc dashFigures) grants(y int) decimal.Decimal {
	total := decimal.Zero
	for _, pc := range sim.Categories {
		if pc.Payer == sim.HomeOffice && sim.IsGrant(pc.Category) {
			total = total.Add(fc.row(y, pc.Payer, pc.Category).Mean)
		}
	}
	return total
}

// negative reports whether any line goes below zero in some year.
func (fc dashFigures) negative(lines []moneyLine) bool {
	for _, l := range lines {
		for _, y := range fc.years {
			if l.value(y).IsNegative() {
				return true
			}
		}
	}
	return false
}

// Colours of the fan chart and of the payers, shared by the charts that
// show the same line.
var (
	fanBand        = "rgba(86, 180, 233, 0.45)" // okabeIto.SkyBlue, see-through
	fanBandOnWhite = "#B3DDF5"                  // the band's colour on white, for the table's swatches
	colourLA       = okabeIto.Blue
	colourHO       = okabeIto.Orange
	colourDWP      = okabeIto.BluishGreen
	colourNet      = okabeIto.Vermillion
)

// Names of the fan chart's lines, in its legend, tooltip and table.
const (
	fanLow    = "P10 (low)"
	fanRange  = "P10 to P90 range"
	fanMedian = "P50 (median)"
	fanMean   = "Mean (expected)"
	fanHigh   = "P90 (high)"
)

// netCost is the fan chart of the authority's net cost: a see-through P10
// series with the P90 minus P10 stacked on it as a band, the median as a
// line and the mean dashed.
func (fc dashFigures) netCost() dashSection {
	lines := []moneyLine{
		{key: "local_authority/net_cost/p10", label: fanLow, color: fanBandOnWhite, value: fc.measure(sim.LocalAuthority, sim.CatNetCost, "p10")},
		{key: "local_authority/net_cost/p50", label: fanMedian, color: okabeIto.Blue, value: fc.measure(sim.LocalAuthority, sim.CatNetCost, "p50")},
		{key: "local_authority/net_cost/mean", label: fanMean, color: colourNet, value: fc.measure(sim.LocalAuthority, sim.CatNetCost, "mean"), strong: true},
		{key: "local_authority/net_cost/p90", label: fanHigh, color: fanBandOnWhite, value: fc.measure(sim.LocalAuthority, sim.CatNetCost, "p90")},
	}
	low, median, mean := fc.series(lines[0]), fc.series(lines[1]), fc.series(lines[2])
	band := make([]fanItem, len(fc.years))
	for i, y := range fc.years {
		// Whole pounds first, so that the band ends on the P90 the
		// tooltip shows.
		p10, p90 := lines[0].value(y).Round(0), lines[3].value(y).Round(0)
		band[i] = fanItem{Value: chartPounds(p90.Sub(p10)), P90: chartPounds(p90)}
	}
	s := yearChartSpec{
		ID: dashNetCostID, Caption: "Authority net cost by financial year: range, median and mean",
		Description: fmt.Sprintf("Fan chart of the authority's net cost (its spending minus the Home Office grants) for each financial year from %s to %s. The shaded band runs from the 10th to the 90th percentile of the simulated futures, the solid line is the median and the dashed line the mean. The table after the chart gives the figures.",
			fc.labels[0], fc.labels[len(fc.labels)-1]),
		Years: fc.labels, Axis: "£ per financial year", Money: true, Line: true,
		Zero:    fc.negative(lines),
		Legend:  []string{fanRange, fanMedian, fanMean},
		Tooltip: opts.FuncOpts(fanTooltip),
		Series: []yearSeries{
			{Name: fanLow, Type: "line", Stack: "fan", StackStrategy: "all", Data: low, Symbol: "none",
				LineStyle: map[string]any{"opacity": 0}, ItemStyle: map[string]any{"color": "transparent"}},
			{Name: fanRange, Type: "line", Stack: "fan", StackStrategy: "all", Data: band, Symbol: "none",
				LineStyle: map[string]any{"opacity": 0}, ItemStyle: map[string]any{"color": fanBand},
				AreaStyle: map[string]any{"color": fanBand, "opacity": 1}},
			{Name: fanMedian, Type: "line", Data: median, Symbol: "circle", SymbolSize: 7,
				LineStyle: map[string]any{"width": 3, "color": okabeIto.Blue}, ItemStyle: map[string]any{"color": okabeIto.Blue}},
			{Name: fanMean, Type: "line", Data: mean, Symbol: "emptyCircle", SymbolSize: 7,
				LineStyle: map[string]any{"width": 2, "type": "dashed", "color": colourNet}, ItemStyle: map[string]any{"color": colourNet}},
		},
	}
	return dashSection{
		Chart: yearChart(s),
		Table: fc.table(dashNetCostID, "Authority net cost by financial year (£)", "Measure", lines),
	}
}

// fanItem is a point of the fan's band: the P90 minus the P10, and the P90
// itself for the tooltip.
type fanItem struct {
	Value float64 `json:"value"`
	P90   float64 `json:"p90"`
}

// gap sets the authority's spending beside the Home Office grants, with the
// difference, the net cost, as a line.
func (fc dashFigures) gap() dashSection {
	lines := []moneyLine{
		{key: "local_authority/total/mean", label: "Authority spending", color: colourLA, value: fc.measure(sim.LocalAuthority, sim.CatTotal, "mean")},
		{key: "home_office/grants/mean", label: "Home Office grants to the authority", color: colourHO, value: fc.grants},
		{key: "local_authority/net_cost/mean", label: "Funding gap: the authority's net cost", color: colourNet, value: fc.measure(sim.LocalAuthority, sim.CatNetCost, "mean"), strong: true},
	}
	s := yearChartSpec{
		ID: dashGapID, Caption: "Funding gap: authority spending, Home Office grants and the difference (means)",
		Description: "Bar chart of the authority's expected spending and the expected Home Office grants to it in each financial year, with a line for the difference, the funding gap, which is the authority's net cost. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "£ per financial year", Money: true, Zero: fc.negative(lines),
		Series: []yearSeries{
			fc.bar(lines[0], ""), fc.bar(lines[1], ""),
			{Name: lines[2].label, Type: "line", Data: fc.series(lines[2]), Symbol: "circle", SymbolSize: 9, Z: 3,
				LineStyle: map[string]any{"width": 3, "color": colourNet}, ItemStyle: map[string]any{"color": colourNet, "borderColor": "#ffffff", "borderWidth": 1}},
		},
	}
	return dashSection{
		Chart: yearChart(s),
		Table: fc.table(dashGapID, "Funding gap by financial year: means (£)", "Line", lines),
	}
}

func (fc dashFigures) bar(l moneyLine, stack string) yearSeries {
	return yearSeries{Name: l.label, Type: "bar", Stack: stack, Data: fc.series(l), BarMaxWidth: 56,
		ItemStyle: map[string]any{"color": l.color, "borderColor": "#ffffff", "borderWidth": 1}}
}

// Colours of the authority's cost categories and the grants.
var categoryColours = map[sim.Category]string{
	sim.CatPlacement:           okabeIto.Blue,
	sim.CatStayingPut:          okabeIto.SkyBlue,
	sim.CatAccommodation:       okabeIto.BluishGreen,
	sim.CatAllowance:           okabeIto.Yellow,
	sim.CatSocialWork:          "#332288", // Paul Tol's indigo, wine and teal beside the Okabe–Ito colours
	sim.CatLeavingCareStaffing: "#882255",
	sim.CatAdviser:             okabeIto.ReddishPurple,
	sim.CatCouncilTax:          "#44AA99",
	sim.CatSettingUpHome:       okabeIto.Vermillion,
	sim.CatHEBursary:           okabeIto.Black,
	sim.CatUASCGrant:           okabeIto.Orange,
	sim.CatCareLeaverGrant:     okabeIto.Grey,
}

// categories stacks the authority's costs by category beside a stack of the
// Home Office grants, each year.
func (fc dashFigures) categories() dashSection {
	var lines []moneyLine
	var series []yearSeries
	var omitted []string
	add := func(l moneyLine, stack string) {
		switch {
		case stack == "":
		case fc.nonZero(l):
			series = append(series, fc.bar(l, stack))
		default:
			omitted = append(omitted, l.label)
			l.color = ""
		}
		lines = append(lines, l)
	}
	for _, pc := range sim.Categories {
		if pc.Payer == sim.LocalAuthority {
			add(moneyLine{key: string(pc.Payer) + "/" + string(pc.Category) + "/mean", label: forecastCategoryLabel(pc.Category),
				color: categoryColours[pc.Category], value: fc.measure(pc.Payer, pc.Category, "mean")}, "spending")
		}
	}
	add(moneyLine{key: "local_authority/total/mean", label: "Local authority total", value: fc.measure(sim.LocalAuthority, sim.CatTotal, "mean"), strong: true}, "")
	for _, pc := range sim.Categories {
		if pc.Payer == sim.HomeOffice && sim.IsGrant(pc.Category) {
			add(moneyLine{key: string(pc.Payer) + "/" + string(pc.Category) + "/mean", label: forecastCategoryLabel(pc.Category),
				color: categoryColours[pc.Category], value: fc.measure(pc.Payer, pc.Category, "mean")}, "grants")
		}
	}
	add(moneyLine{key: "home_office/grants/mean", label: "Home Office grants total", value: fc.grants, strong: true}, "")
	s := yearChartSpec{
		ID: dashCategoriesID, Caption: "Authority costs by category, beside the Home Office grants (means)",
		Description: "Stacked bar chart: for each financial year, the left bar stacks the authority's expected spending by category, and the right bar stacks the expected Home Office grants to it. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "£ per financial year", Money: true, Zero: fc.negative(lines), Series: series,
	}
	return dashSection{
		Chart:   yearChart(s),
		Table:   fc.table(dashCategoriesID, "Authority costs by category and Home Office grants: means (£)", "Category", lines),
		Omitted: strings.Join(omitted, "; "),
	}
}

// payers sets each payer's total side by side.
func (fc dashFigures) payers() dashSection {
	colours := map[sim.Payer]string{sim.LocalAuthority: colourLA, sim.HomeOffice: colourHO, sim.DWP: colourDWP}
	var lines []moneyLine
	var series []yearSeries
	for _, p := range sim.Payers {
		l := moneyLine{key: string(p) + "/total/mean", label: payerLabel[p], color: colours[p], value: fc.measure(p, sim.CatTotal, "mean")}
		lines = append(lines, l)
		series = append(series, fc.bar(l, ""))
	}
	s := yearChartSpec{
		ID: dashPayersID, Caption: "Who pays: each payer's total by financial year (means)",
		Description: "Bar chart of the expected totals paid by the local authority, the Home Office and the DWP in each financial year. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "£ per financial year", Money: true, Zero: fc.negative(lines), Series: series,
	}
	return dashSection{
		Chart: yearChart(s),
		Table: fc.table(dashPayersID, "Each payer's total by financial year: means (£)", "Payer", lines),
	}
}

// Colours of the head-count groups; the statuses match the review pack's
// timeline.
var headColours = map[string]string{
	"asylum_seeker": standingColor(sim.AsylumSeeker, false),
	"leave":         standingColor(sim.WithLeave, false),
	"no_leave":      standingColor(sim.WithoutLeave, false),
	"settled":       standingColor(sim.Indefinite, false),
	"departed":      standingColor(sim.Departed, false),
	"over_25":       okabeIto.ReddishPurple,
	"under_16":      okabeIto.Yellow,
	"16_17":         okabeIto.SkyBlue,
	"18_20":         okabeIto.Blue,
	"21_24":         okabeIto.BluishGreen,
	"25_plus":       okabeIto.Grey,
}

// heads stacks the expected head-counts of one grouping.
func (fc dashFigures) heads(id, by string, groups []string, heads map[headKey]decimal.Decimal) dashSection {
	what := map[string]string{"status": "immigration status", "age": "age"}[by]
	t := dashTable{ID: id + "_table", Caption: "Expected number of young people " + fc.countDay() + ", by " + what, Head: capitalise(what), Years: fc.labels}
	var series []yearSeries
	var omitted []string
	for _, g := range groups {
		r := dashRow{Key: by + "/" + g, Label: headGroupLabel(g)}
		data := make([]float64, len(fc.years))
		some := false
		for i, y := range fc.years {
			v := heads[headKey{y, by, g}]
			r.Cells = append(r.Cells, v.StringFixed(2))
			data[i] = v.InexactFloat64()
			some = some || !v.IsZero()
		}
		if !some {
			omitted = append(omitted, r.Label)
			t.Rows = append(t.Rows, r)
			continue
		}
		r.Swatch = headColours[g]
		t.Rows = append(t.Rows, r)
		series = append(series, yearSeries{Name: r.Label, Type: "bar", Stack: by, Data: data, BarMaxWidth: 56,
			ItemStyle: map[string]any{"color": r.Swatch, "borderColor": "#ffffff", "borderWidth": 1}})
	}
	s := yearChartSpec{
		ID: id, Caption: "Expected young people by " + what + " " + fc.countDay(),
		Description: "Stacked bar chart of the expected number of young people in each " + what + " group at the start of each financial year. The table after the chart gives the figures.",
		Years:       fc.labels, Axis: "Young people", Series: series,
	}
	return dashSection{Chart: yearChart(s), Table: t, Omitted: strings.Join(omitted, "; ")}
}

// assumptions lists how the forecast was run and every policy value in
// force during it, numbering the unconfirmed ones as footnotes.
func (d *dashboard) assumptions(f *sim.Forecast, in ForecastInput, values []sim.Param) {
	d.File, d.SHA256 = orNone(in.File), orNone(in.SHA256)
	d.Facts = []labelValue{
		{"Forecast from", f.Options.From.Long() + " (" + f.Options.From.String() + ")"},
		{"Financial years", fmt.Sprintf("%d: %s to %s", f.Options.Years, d.First, d.Last)},
		{"Cohort", d.Cohort},
		{"Home Office nightly rate", d.HigherRate},
		{"Draws", fmt.Sprintf("%d sampled futures per young person", f.Options.Draws)},
		{"Seed", strconv.FormatUint(f.Options.Seed, 10)},
		{"Young people", strconv.Itoa(f.People)},
		{"Policy", f.Policy},
		{"Waiting-time spread", strconv.FormatFloat(f.Spread, 'f', -1, 64) + " (log-normal sigma)"},
	}
	d.Window = f.Options.From.Long() + " to " + forecastEnd(f).AddDays(-1).Long()
	for _, v := range values {
		dv := dashParam(v)
		if v.Unconfirmed {
			// The note of an unconfirmed value is its footnote.
			n := len(d.Footnotes) + 1
			parts := []string{dv.Value + " from " + v.From.Long()}
			if v.Note != "" {
				parts = append(parts, v.Note)
			}
			if v.Source != "" {
				parts = append(parts, "source: "+v.Source)
			}
			d.Footnotes = append(d.Footnotes, footnote{N: n, Key: v.Key, Text: strings.Join(parts, "; ")})
			dv.Notes = []int{n}
			dv.Note = ""
		}
		d.Values = append(d.Values, dv)
	}
	d.Unconfirmed = len(d.Footnotes)
}

// dashParam is a policy value as the assumptions table shows it.
func dashParam(v sim.Param) dashValue {
	dv := dashValue{Key: v.Key, Value: paramValue(v), From: v.From.String(), To: "–", Source: v.Source,
		Confidence: v.Confidence, Note: v.Note, Unconfirmed: v.Unconfirmed}
	if !v.To.IsZero() {
		dv.To = v.To.String()
	}
	if dv.Source == "" {
		dv.Source = "–"
	}
	return dv
}

// paramValue writes a policy value with its unit: money in pounds, lengths
// in their unit, flags as on or off.
func paramValue(v sim.Param) string {
	money := func(per string) string {
		s := v.Value.String()
		if v.Value.Exponent() >= -2 {
			s = pounds(v.Value)
		}
		return "£" + s + per
	}
	switch v.Unit {
	case sim.Pounds:
		return money("")
	case sim.PoundsNight:
		return money(" a night")
	case sim.PoundsWeek:
		return money(" a week")
	case sim.PoundsMonth:
		return money(" a month")
	case sim.Months, sim.Weeks, sim.Days:
		unit := string(v.Unit)
		if v.Value.Equal(decimal.NewFromInt(1)) {
			unit = strings.TrimSuffix(unit, "s")
		}
		return v.Value.String() + " " + unit
	case sim.Flag:
		if v.Value.IsZero() {
			return "0 (off)"
		}
		return v.Value.String() + " (on)"
	}
	return v.Value.String()
}

// chartPounds converts money for a chart, at the last moment: whole pounds.
func chartPounds(d decimal.Decimal) float64 {
	return d.Round(0).InexactFloat64()
}

// yearSeries is one series of a chart by financial year, written out as
// ECharts takes it (go-echarts has no field for stackStrategy, which a fan
// of negative amounts needs).
type yearSeries struct {
	Name          string         `json:"name"`
	Type          string         `json:"type"`
	Stack         string         `json:"stack,omitempty"`
	StackStrategy string         `json:"stackStrategy,omitempty"`
	Data          any            `json:"data"`
	Symbol        string         `json:"symbol,omitempty"`
	SymbolSize    int            `json:"symbolSize,omitempty"`
	BarMaxWidth   int            `json:"barMaxWidth,omitempty"`
	Z             int            `json:"z,omitempty"`
	ItemStyle     map[string]any `json:"itemStyle,omitempty"`
	LineStyle     map[string]any `json:"lineStyle,omitempty"`
	AreaStyle     map[string]any `json:"areaStyle,omitempty"`
	MarkLine      map[string]any `json:"markLine,omitempty"`
}

// yearChartSpec describes a bar or line chart with the financial years
// along the bottom.
type yearChartSpec struct {
	ID, Caption, Description string
	Years                    []string
	Axis                     string // the value axis's name
	Money                    bool   // values are pounds: £ on the axis and in the tooltip
	Line                     bool   // points sit on the years rather than between ticks
	Zero                     bool   // some values are negative: draw the zero line
	Legend                   []string
	Tooltip                  types.FuncStr // "" for the default
	Series                   []yearSeries
}

// moneyJS formats whole pounds in JavaScript, with a thousands separator:
// "£12,345", "-£678".
const moneyJS = `function (v) {
  var n = Math.round(Math.abs(v)), s = String(n), o = '';
  for (var i = 0; i < s.length; i++) { if (i > 0 && (s.length - i) % 3 === 0) { o += ','; } o += s.charAt(i); }
  return (v < 0 && n > 0 ? '-£' : '£') + o;
}`

// poundsAxisJS labels a money axis in thousands or millions of pounds.
const poundsAxisJS = `function (v) {
  var a = Math.abs(v), s = v < 0 ? '-£' : '£';
  if (a >= 1e6) { return s + Number((a / 1e6).toFixed(2)) + 'm'; }
  if (a >= 1e3) { return s + Number((a / 1e3).toFixed(1)) + 'k'; }
  return s + a;
}`

// fanTooltip lists a year's P90, median, mean and P10, highest first.
const fanTooltip = `function (ps) {
  var m = ` + moneyJS + `;
  var by = {};
  ps.forEach(function (p) { by[p.seriesIndex] = p; });
  var out = ps.length > 0 ? ps[0].axisValueLabel : '';
  if (by[1]) { out += '<br>' + by[1].marker + '` + fanHigh + `: ' + m(by[1].data.p90); }
  if (by[2]) { out += '<br>' + by[2].marker + by[2].seriesName + ': ' + m(by[2].value); }
  if (by[3]) { out += '<br>' + by[3].marker + by[3].seriesName + ': ' + m(by[3].value); }
  if (by[0]) { out += '<br>' + (by[1] ? by[1].marker : '') + by[0].seriesName + ': ' + m(by[0].value); }
  return out;
}`

// legendRows estimates how many rows a legend wraps to on a page about
// 900 pixels wide.
func legendRows(names []string) int {
	rows, width := 1, 0
	for _, n := range names {
		w := 25 + 5 + len([]rune(n))*7 + 14
		if width > 0 && width+w > 900 {
			rows++
			width = 0
		}
		width += w
	}
	return rows
}

// yearChart draws a chart by financial year: categories along the bottom,
// money or head-counts up the side, a legend above, and a tooltip for each
// year.
func yearChart(s yearChartSpec) chartBlock {
	if !validChartID(s.ID) {
		panic("reports: bad chart ID " + s.ID)
	}
	legend := s.Legend
	if legend == nil {
		for _, ss := range s.Series {
			legend = append(legend, ss.Name)
		}
	}
	top := 44 + 26*legendRows(legend) // the legend, then room for the axis name
	series := s.Series
	if s.Zero && len(series) > 0 {
		series = append([]yearSeries{}, series...)
		series[0].MarkLine = map[string]any{
			"silent": true, "symbol": []string{"none", "none"}, "label": map[string]any{"show": false},
			"lineStyle": map[string]any{"color": "#1a1a1a", "width": 1.5, "type": "solid"},
			"data":      []map[string]any{{"yAxis": 0}},
		}
	}
	tooltip := map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}}
	if s.Line {
		tooltip["axisPointer"] = map[string]any{"type": "line"}
	}
	switch {
	case s.Tooltip != "":
		tooltip["formatter"] = s.Tooltip
	case s.Money:
		tooltip["valueFormatter"] = opts.FuncOpts(moneyJS)
	default:
		tooltip["valueFormatter"] = opts.FuncOpts(`function (v) { return Number(v).toFixed(2); }`)
	}
	yLabel := map[string]any{"color": "#333333", "fontSize": 13}
	if s.Money {
		yLabel["formatter"] = opts.FuncOpts(poundsAxisJS)
	}
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: s.ID, Width: "100%", Height: "380px", Renderer: "svg",
			AssetsHost: "/", PageTitle: s.Caption,
		}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(opts.Colors{okabeIto.Blue, okabeIto.Orange, okabeIto.BluishGreen, okabeIto.Vermillion,
			okabeIto.SkyBlue, okabeIto.ReddishPurple, okabeIto.Yellow, okabeIto.Grey, okabeIto.Black}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: s.Description}}),
	)
	c.Accept(extraOptions{set: func(o map[string]any) {
		o["textStyle"] = map[string]any{"fontFamily": chartFont, "fontSize": 13}
		o["legend"] = map[string]any{"show": true, "top": 4, "data": legend, "itemGap": 14, "textStyle": map[string]any{"fontSize": 13, "color": "#1a1a1a"}}
		o["tooltip"] = tooltip
		left := 12
		if s.Line {
			left = 48 // room for the first year's label, centred on the axis's start
		}
		o["grid"] = map[string]any{"left": left, "right": 24, "top": top, "bottom": 12, "containLabel": true}
		o["xAxis"] = []map[string]any{{
			"type": "category", "data": s.Years, "boundaryGap": !s.Line,
			"z":         3, // over the bars, so that the white border of an empty one does not cut the axis line
			"axisLine":  map[string]any{"onZero": false, "lineStyle": map[string]any{"color": "#4d4d4d"}},
			"axisTick":  map[string]any{"alignWithLabel": true},
			"axisLabel": map[string]any{"color": "#1a1a1a", "fontSize": 13},
		}}
		o["yAxis"] = []map[string]any{{
			"type": "value", "name": s.Axis, "nameLocation": "end", "nameGap": 14,
			"nameTextStyle": map[string]any{"color": "#333333", "fontSize": 13, "align": "left"},
			"axisLabel":     yLabel,
			"splitLine":     map[string]any{"lineStyle": map[string]any{"color": "#dddddd"}},
		}}
		o["series"] = series
	}})
	return snippet(s.ID, s.Caption, c)
}
