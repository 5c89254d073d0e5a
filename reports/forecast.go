package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// ForecastInput is what the forecast's assumptions report besides the
// forecast itself: the cohort file it was run on, the policy whose values
// and sources it used (uplifts applied), and the uplifts.
type ForecastInput struct {
	File    string // the cohort file's name
	SHA256  string // its checksum, in hex
	Policy  *sim.Policy
	Uplifts []sim.Uplift
}

// Comparison is a base forecast and a scenario's, run on the same draws
// (product.md §6b). Every output shows both and the difference, scenario
// minus base, cell by cell.
type Comparison struct {
	Name               string // the scenario's name
	Base, Scenario     *sim.Forecast
	BaseIn, ScenarioIn ForecastInput
}

// run is one forecast of a report, with what it was run on.
type run struct {
	name   string // "base", or the scenario's name
	f      *sim.Forecast
	in     ForecastInput
	idx    forecastIndex
	values []sim.Param // the policy values in force during the forecast
}

// report is what an output shows: one forecast, or a base and a scenario
// with the difference.
type report struct {
	runs []run
	diff []sim.ForecastRow // scenario − base; nil for one forecast
	name string            // the scenario's name; "" for one forecast
}

func newRun(name string, f *sim.Forecast, in ForecastInput) (run, error) {
	if f == nil {
		return run{}, fmt.Errorf("no forecast given")
	}
	values, err := forecastValues(f, in)
	if err != nil {
		return run{}, err
	}
	return run{name: name, f: f, in: in, idx: indexForecast(f), values: values}, nil
}

func singleReport(f *sim.Forecast, in ForecastInput) (*report, error) {
	r, err := newRun("base", f, in)
	if err != nil {
		return nil, err
	}
	return &report{runs: []run{r}}, nil
}

func comparisonReport(c *Comparison) (*report, error) {
	base, err := newRun("base", c.Base, c.BaseIn)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	sc, err := newRun("scenario", c.Scenario, c.ScenarioIn)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if base.f.FirstYear != sc.f.FirstYear || base.f.Options.Years != sc.f.Options.Years || base.f.Options.From != sc.f.Options.From {
		return nil, fmt.Errorf("the scenario's forecast covers other years than the base's")
	}
	diff, err := sim.Difference(c.Base, c.Scenario)
	if err != nil {
		return nil, err
	}
	return &report{runs: []run{base, sc}, diff: diff, name: c.Name}, nil
}

// base is the report's first forecast.
func (r *report) base() run { return r.runs[0] }

// forecastCSVHeader is the forecast CSV's header (product.md §5).
var forecastCSVHeader = []string{"financial_year", "payer", "category", "mean", "p10", "p50", "p90"}

func csvRecord(r sim.ForecastRow) []string {
	return []string{sim.FinancialYearLabel(r.Year), string(r.Payer), string(r.Category),
		r.Mean.StringFixed(2), r.P10.StringFixed(2), r.P50.StringFixed(2), r.P90.StringFixed(2)}
}

// WriteForecastCSV writes one row per financial year × payer × category in
// the forecast's order, each payer's total and the authority's net cost
// included, with money to two decimals. The financial year is the plain
// label ("2026-27") even when the forecast starts part-way through it, so
// that the column joins with other years' files.
func WriteForecastCSV(w io.Writer, f *sim.Forecast) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(forecastCSVHeader); err != nil {
		return err
	}
	for _, r := range f.Rows {
		if err := cw.Write(csvRecord(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteComparisonCSV writes the base's rows, then the scenario's, then the
// difference's, each led by a scenario column: base, scenario or
// difference.
func WriteComparisonCSV(w io.Writer, c *Comparison) error {
	r, err := comparisonReport(c)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"scenario"}, forecastCSVHeader...)); err != nil {
		return err
	}
	for _, block := range []struct {
		name string
		rows []sim.ForecastRow
	}{{"base", c.Base.Rows}, {"scenario", c.Scenario.Rows}, {"difference", r.diff}} {
		for _, row := range block.rows {
			if err := cw.Write(append([]string{block.name}, csvRecord(row)...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

type forecastJSON struct {
	Cohort         string            `json:"cohort"` // where a reader starts: closed, or the arrivals assumed
	From           string            `json:"from"`
	Years          int               `json:"years"`
	Draws          int               `json:"draws"`
	Seed           uint64            `json:"seed"`
	People         int               `json:"people"`
	Policy         string            `json:"policy"`
	Spread         float64           `json:"waiting_time_spread"`
	FinancialYears []yearJSON        `json:"financial_years"`
	Rows           []forecastRowJSON `json:"rows"`
	HeadCounts     []headCountJSON   `json:"head_counts"`
	Quarters       []quarterJSON     `json:"quarters"`
	Placements     []placementJSON   `json:"placements"`
	Claims         []claimJSON       `json:"home_office_claims"`
	Arrivals       []arrivalJSON     `json:"arrivals"`
	CohortFile     cohortJSON        `json:"cohort_file"`
	HigherRate     higherRateJSON    `json:"higher_rate"`
	Uplifts        []upliftJSON      `json:"uplifts"`
	Assume         assumptionsJSON   `json:"assumptions"`
}

type yearJSON struct {
	FinancialYear string `json:"financial_year"`
	Label         string `json:"label"` // with "(from 1 Oct)" when the forecast starts part-way through
	From          string `json:"from"`
	To            string `json:"to"`
}

type forecastRowJSON struct {
	FinancialYear string `json:"financial_year"`
	Payer         string `json:"payer"`
	Category      string `json:"category"`
	Mean          string `json:"mean"`
	P10           string `json:"p10"`
	P50           string `json:"p50"`
	P90           string `json:"p90"`
}

type headCountJSON struct {
	FinancialYear string `json:"financial_year"`
	By            string `json:"by"`
	Group         string `json:"group"`
	Mean          string `json:"mean"`
}

type quarterJSON struct {
	FinancialYear string `json:"financial_year"`
	Quarter       int    `json:"quarter"`
	Payer         string `json:"payer"`
	Category      string `json:"category"`
	Mean          string `json:"mean"`
}

type placementJSON struct {
	FinancialYear string            `json:"financial_year"`
	Placement     string            `json:"placement"`
	Cost          string            `json:"cost"`        // mean placement and accommodation money
	BedNights     map[string]string `json:"bed_nights"`  // mean nights by age group
	HeadCounts    map[string]string `json:"head_counts"` // mean young people on the year's first day, by age group
}

type claimJSON struct {
	FinancialYear   string `json:"financial_year"`
	UASCNights      string `json:"uasc_nights"`
	CareLeaverWeeks string `json:"care_leaver_weeks"`
}

type arrivalJSON struct {
	FinancialYear string `json:"financial_year"`
	Expected      string `json:"expected"`
	Mean          string `json:"mean"`
	P10           int    `json:"p10"`
	P90           int    `json:"p90"`
}

type cohortJSON struct {
	Rows             int      `json:"rows"`
	LeftOut25OrOver  []string `json:"left_out_25_or_over"`
	EnterAfterStart  int      `json:"entering_after_start"`
	EnterAfterTheEnd int      `json:"entering_after_the_end"`
	NoNationality    int      `json:"no_nationality"`
	Notes            []string `json:"notes"`
}

type higherRateJSON struct {
	Applies         bool   `json:"applies"`
	On              string `json:"on"`
	LookedAfter     int64  `json:"uasc_looked_after"`
	ChildPopulation int64  `json:"child_population"`
	Threshold       string `json:"threshold"`
	Words           string `json:"words"`
}

type upliftJSON struct {
	Key     string `json:"key"`
	Percent string `json:"percent"`
}

type assumptionsJSON struct {
	InputFile   string             `json:"input_file"`
	InputSHA256 string             `json:"input_sha256"`
	Values      []assumedValueJSON `json:"values"`
	Priors      []jsonPrior        `json:"priors"` // the prior rows the cohort's decisions may be drawn from
}

type assumedValueJSON struct {
	Key         string  `json:"key"`
	From        string  `json:"from"`
	To          *string `json:"to"` // null when open-ended
	Value       string  `json:"value"`
	Unit        string  `json:"unit"`
	Source      string  `json:"source"`
	Confidence  string  `json:"confidence"`
	Unconfirmed bool    `json:"unconfirmed"`
	Note        string  `json:"note"`
}

func rowsJSON(rows []sim.ForecastRow) []forecastRowJSON {
	out := make([]forecastRowJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, forecastRowJSON{sim.FinancialYearLabel(r.Year), string(r.Payer), string(r.Category),
			r.Mean.StringFixed(2), r.P10.StringFixed(2), r.P50.StringFixed(2), r.P90.StringFixed(2)})
	}
	return out
}

// byBand maps the four age bands of bed-nights to their groups' names.
func byBand(vs [4]decimal.Decimal) map[string]string {
	out := map[string]string{}
	for b, v := range vs {
		out[sim.AgeGroups[b]] = v.StringFixed(2)
	}
	return out
}

// forecastDoc is a forecast as JSON.
func forecastDoc(r run) forecastJSON {
	f, in := r.f, r.in
	out := forecastJSON{
		Cohort: cohortStatement(f),
		From:   f.Options.From.String(), Years: f.Options.Years, Draws: f.Options.Draws, Seed: f.Options.Seed,
		People: f.People, Policy: f.Policy, Spread: f.Spread,
		Rows:       rowsJSON(f.Rows),
		HeadCounts: make([]headCountJSON, 0, len(f.Heads)),
		Quarters:   make([]quarterJSON, 0, len(f.Quarters)),
		Placements: make([]placementJSON, 0, len(f.Placement)),
		Claims:     make([]claimJSON, 0, len(f.Grants)),
		Arrivals:   make([]arrivalJSON, 0, len(f.Arrivals)),
		Uplifts:    make([]upliftJSON, 0, len(in.Uplifts)),
		Assume:     assumptionsJSON{InputFile: in.File, InputSHA256: in.SHA256, Values: make([]assumedValueJSON, 0, len(r.values))},
	}
	for y := f.FirstYear; y < f.FirstYear+f.Options.Years; y++ {
		from := sim.MaxDate(f.Options.From, sim.NewDate(y, time.April, 1))
		out.FinancialYears = append(out.FinancialYears, yearJSON{sim.FinancialYearLabel(y), yearLabel(f, y), from.String(), sim.NewDate(y+1, time.March, 31).String()})
	}
	for _, h := range f.Heads {
		out.HeadCounts = append(out.HeadCounts, headCountJSON{sim.FinancialYearLabel(h.Year), h.By, h.Group, h.Mean.StringFixed(2)})
	}
	for _, q := range f.Quarters {
		out.Quarters = append(out.Quarters, quarterJSON{sim.FinancialYearLabel(q.Year), q.Quarter, string(q.Payer), string(q.Category), q.Mean.StringFixed(2)})
	}
	for _, p := range f.Placement {
		out.Placements = append(out.Placements, placementJSON{sim.FinancialYearLabel(p.Year), string(p.Placement), p.Cost.StringFixed(2), byBand(p.Nights), byBand(p.Heads)})
	}
	for _, g := range f.Grants {
		out.Claims = append(out.Claims, claimJSON{sim.FinancialYearLabel(g.Year), g.UASCNights.StringFixed(2), g.CareLeaverWeeks.StringFixed(2)})
	}
	for _, a := range f.Arrivals {
		out.Arrivals = append(out.Arrivals, arrivalJSON{sim.FinancialYearLabel(a.Year), a.Expected.StringFixed(2), a.Mean.StringFixed(2), a.P10, a.P90})
	}
	c := f.Cohort
	out.CohortFile = cohortJSON{Rows: c.Rows, LeftOut25OrOver: c.Over25, EnterAfterStart: c.EnterLater, EnterAfterTheEnd: c.EnterAfterEnd,
		NoNationality: c.NoNationality, Notes: cohortNotes(f)}
	if out.CohortFile.LeftOut25OrOver == nil {
		out.CohortFile.LeftOut25OrOver = []string{}
	}
	h := f.Higher
	out.HigherRate = higherRateJSON{h.Applies, h.On.String(), h.LookedAfter, h.ChildPopulation, h.Threshold.String(), higherRateWords(f)}
	for _, u := range in.Uplifts {
		out.Uplifts = append(out.Uplifts, upliftJSON{u.Key, u.Percent.String()})
	}
	for _, v := range r.values {
		a := assumedValueJSON{Key: v.Key, From: v.From.String(), Value: v.Value.String(), Unit: string(v.Unit),
			Source: v.Source, Confidence: v.Confidence, Unconfirmed: v.Unconfirmed, Note: v.Note}
		if !v.To.IsZero() {
			to := v.To.String()
			a.To = &to
		}
		out.Assume.Values = append(out.Assume.Values, a)
	}
	out.Assume.Priors = []jsonPrior{}
	for _, u := range f.Priors {
		out.Assume.Priors = append(out.Assume.Priors, jsonPriorOf(u))
	}
	return out
}

// WriteForecastJSON writes the forecast as JSON: first whether the cohort
// is closed or what arrivals it assumes, then how it was run, the rows,
// head-counts, quarters, placement types with bed-nights, the Home Office
// grants' nights and weeks, arrivals, what was done with the cohort's
// rows, the higher nightly rate's test, uplifts, and the assumptions (the
// input file, its checksum and every policy value in force during the
// forecast window). Money and means are strings with two decimals, so that
// they stay exact.
func WriteForecastJSON(w io.Writer, f *sim.Forecast, in ForecastInput) error {
	r, err := singleReport(f, in)
	if err != nil {
		return err
	}
	return writeJSON(w, forecastDoc(r.base()))
}

type comparisonJSON struct {
	Scenario   string            `json:"scenario"`
	Base       forecastJSON      `json:"base"`
	Compared   forecastJSON      `json:"scenario_forecast"`
	Difference []forecastRowJSON `json:"difference"` // scenario − base, cell by cell
}

// WriteComparisonJSON writes the base's forecast, the scenario's, and the
// difference of their rows.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	r, err := comparisonReport(c)
	if err != nil {
		return err
	}
	return writeJSON(w, comparisonJSON{Scenario: c.Name, Base: forecastDoc(r.runs[0]), Compared: forecastDoc(r.runs[1]), Difference: rowsJSON(r.diff)})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// forecastEnd is the day after the forecast window: 1 April after its last
// financial year.
func forecastEnd(f *sim.Forecast) sim.Date {
	return sim.NewDate(f.FirstYear+f.Options.Years, time.April, 1)
}

// forecastValues returns the policy values in force at some time in the
// forecast window, by key and date.
func forecastValues(f *sim.Forecast, in ForecastInput) ([]sim.Param, error) {
	if in.Policy == nil {
		return nil, fmt.Errorf("forecast input has no policy")
	}
	if in.Policy.Name != f.Policy {
		return nil, fmt.Errorf("policy %q given for a forecast run under policy %q", in.Policy.Name, f.Policy)
	}
	from, end := f.Options.From, forecastEnd(f)
	var out []sim.Param
	for _, v := range in.Policy.Params() {
		if v.From.Before(end) && (v.To.IsZero() || !v.To.Before(from)) {
			out = append(out, v)
		}
	}
	return out, nil
}

// forecastIndex finds a forecast's rows by year, payer and category.
type forecastIndex map[forecastKey]sim.ForecastRow

type forecastKey struct {
	year     int
	payer    sim.Payer
	category sim.Category
}

func indexForecast(f *sim.Forecast) forecastIndex {
	idx := forecastIndex{}
	for _, r := range f.Rows {
		idx[forecastKey{r.Year, r.Payer, r.Category}] = r
	}
	return idx
}

// forecastLine is one payer × category line of the workbook, in the order
// of the CSV: each payer's categories, then its total; the net cost last.
type forecastLine struct {
	payer    sim.Payer
	category sim.Category
}

func forecastLines() []forecastLine {
	var out []forecastLine
	for _, payer := range sim.Payers {
		for _, pc := range sim.Categories {
			if pc.Payer == payer {
				out = append(out, forecastLine{payer, pc.Category})
			}
		}
		out = append(out, forecastLine{payer, sim.CatTotal})
	}
	return append(out, forecastLine{sim.LocalAuthority, sim.CatNetCost})
}

// forecastPayerLabel and forecastCategoryLabel name a line in the workbook.
func forecastPayerLabel(p sim.Payer) string { return payerLabel[p] }

func forecastCategoryLabel(c sim.Category) string {
	switch c {
	case sim.CatTotal:
		return "Total"
	case sim.CatNetCost:
		return "Net cost (spending minus Home Office grants)"
	}
	l := categoryLabels[c]
	if l == "" {
		l = string(c)
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// Labels of the head-count groups.
var headGroupLabels = map[string]string{
	"asylum_seeker": "Asylum seeker (claim, extension or appeal pending)",
	"leave":         "With leave to remain",
	"no_leave":      "Without leave (appeal rights exhausted)",
	"settled":       "Settled (indefinite leave)",
	"departed":      "Departed (voluntary return)",
	"over_25":       "Aged 25 or over (support ended)",
	"under_16":      "Under 16",
	"16_17":         "16 to 17",
	"18_20":         "18 to 20",
	"21_24":         "21 to 24",
	"25_plus":       "25 and over",
}

// placementLabels name the placement types in finance outputs.
var placementLabels = map[sim.Placement]string{
	sim.Foster:            "Foster care",
	sim.Residential:       "Residential (children's home)",
	sim.SupportedLodgings: "Supported lodgings",
	sim.SemiIndependent:   "Supported accommodation (semi-independent)",
	sim.StayingPut:        "Staying Put",
	sim.Independent:       "Own tenancy (independent)",
	sim.Other:             "Other placement",
}

func placementLabel(p sim.Placement) string {
	if l, ok := placementLabels[p]; ok {
		return l
	}
	return string(p)
}

func headGroupLabel(g string) string {
	if l, ok := headGroupLabels[g]; ok {
		return l
	}
	return g
}
