package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pathway/sim"
)

// ForecastInput is what the forecast's assumptions report besides the
// forecast itself: the cohort file it was run on and the policy whose values
// and sources it used.
type ForecastInput struct {
	File   string // the cohort file's name
	SHA256 string // its checksum, in hex
	Policy *sim.Policy
}

// forecastCSVHeader is the forecast CSV's header (product.md §5).
var forecastCSVHeader = []string{"financial_year", "payer", "category", "mean", "p10", "p50", "p90"}

// WriteForecastCSV writes one row per financial year × payer × category in
// the forecast's order, each payer's total and the authority's net cost
// included, with money to two decimals.
func WriteForecastCSV(w io.Writer, f *sim.Forecast) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(forecastCSVHeader); err != nil {
		return err
	}
	for _, r := range f.Rows {
		rec := []string{sim.FinancialYearLabel(r.Year), string(r.Payer), string(r.Category),
			r.Mean.StringFixed(2), r.P10.StringFixed(2), r.P50.StringFixed(2), r.P90.StringFixed(2)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type forecastJSON struct {
	From       string            `json:"from"`
	Years      int               `json:"years"`
	Draws      int               `json:"draws"`
	Seed       uint64            `json:"seed"`
	People     int               `json:"people"`
	Policy     string            `json:"policy"`
	Spread     float64           `json:"waiting_time_spread"`
	Rows       []forecastRowJSON `json:"rows"`
	HeadCounts []headCountJSON   `json:"head_counts"`
	Assume     assumptionsJSON   `json:"assumptions"`
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

// WriteForecastJSON writes the forecast, its head-counts and its
// assumptions (the input file, its checksum and every policy value in force
// during the forecast window) as JSON. Money and head-counts are strings
// with two decimals, so that they stay exact.
func WriteForecastJSON(w io.Writer, f *sim.Forecast, in ForecastInput) error {
	values, err := forecastValues(f, in)
	if err != nil {
		return err
	}
	out := forecastJSON{
		From: f.Options.From.String(), Years: f.Options.Years, Draws: f.Options.Draws, Seed: f.Options.Seed,
		People: f.People, Policy: f.Policy, Spread: f.Spread,
		Rows:       make([]forecastRowJSON, 0, len(f.Rows)),
		HeadCounts: make([]headCountJSON, 0, len(f.Heads)),
		Assume:     assumptionsJSON{InputFile: in.File, InputSHA256: in.SHA256, Values: make([]assumedValueJSON, 0, len(values))},
	}
	for _, r := range f.Rows {
		out.Rows = append(out.Rows, forecastRowJSON{sim.FinancialYearLabel(r.Year), string(r.Payer), string(r.Category),
			r.Mean.StringFixed(2), r.P10.StringFixed(2), r.P50.StringFixed(2), r.P90.StringFixed(2)})
	}
	for _, h := range f.Heads {
		out.HeadCounts = append(out.HeadCounts, headCountJSON{sim.FinancialYearLabel(h.Year), h.By, h.Group, h.Mean.StringFixed(2)})
	}
	for _, v := range values {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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

func headGroupLabel(g string) string {
	if l, ok := headGroupLabels[g]; ok {
		return l
	}
	return g
}

// Workbook sheet names.
const (
	sheetSummary     = "Summary"
	sheetByCategory  = "By category"
	sheetByPayer     = "By payer"
	sheetHeadCounts  = "Head-counts"
	sheetAssumptions = "Assumptions"
)

// moneyFormat shows pounds with pence, negatives in red with a minus sign.
const moneyFormat = `"£"#,##0.00;[Red]\-"£"#,##0.00`

// xlsxStyles are the workbook's cell styles.
type xlsxStyles struct {
	header, headerCentre, group, title, note, bold int
	money, moneyBold, moneyMuted                   int
	count, number                                  int
	wrap                                           int
}

func newXLSXStyles(x *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	numFmt := moneyFormat
	countFmt := "#,##0.00"
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}
	under := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	specs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: under,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.headerCentre, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: under,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.group, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey,
			Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.money, excelize.Style{CustomNumFmt: &numFmt}},
		{&s.moneyBold, excelize.Style{CustomNumFmt: &numFmt, Font: &excelize.Font{Bold: true}}},
		{&s.moneyMuted, excelize.Style{CustomNumFmt: &numFmt, Font: &excelize.Font{Color: "595959"}}},
		{&s.count, excelize.Style{CustomNumFmt: &countFmt}},
		{&s.number, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	}
	for _, sp := range specs {
		id, err := x.NewStyle(&sp.style)
		if err != nil {
			return s, err
		}
		*sp.id = id
	}
	return s, nil
}

// sheetWriter writes cells on one sheet, keeping the first error.
type sheetWriter struct {
	x     *excelize.File
	sheet string
	err   error
}

func cellRef(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func xlsxColName(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}

func (s *sheetWriter) text(col, row int, v string, style int) {
	if s.err != nil {
		return
	}
	if s.err = s.x.SetCellStr(s.sheet, cellRef(col, row), v); s.err == nil && style != 0 {
		s.err = s.x.SetCellStyle(s.sheet, cellRef(col, row), cellRef(col, row), style)
	}
}

func (s *sheetWriter) integer(col, row, v, style int) {
	if s.err != nil {
		return
	}
	if s.err = s.x.SetCellInt(s.sheet, cellRef(col, row), int64(v)); s.err == nil && style != 0 {
		s.err = s.x.SetCellStyle(s.sheet, cellRef(col, row), cellRef(col, row), style)
	}
}

// decimal writes an exact amount as a number cell: the one place where
// money becomes a float64, the nearest one to the decimal.
func (s *sheetWriter) decimal(col, row int, d decimal.Decimal, style int) {
	if s.err != nil {
		return
	}
	v, err := strconv.ParseFloat(d.String(), 64)
	if err != nil {
		s.err = fmt.Errorf("amount %s: %w", d, err)
		return
	}
	if s.err = s.x.SetCellFloat(s.sheet, cellRef(col, row), v, -1, 64); s.err == nil && style != 0 {
		s.err = s.x.SetCellStyle(s.sheet, cellRef(col, row), cellRef(col, row), style)
	}
}

func (s *sheetWriter) float(col, row int, v float64) {
	if s.err == nil {
		s.err = s.x.SetCellFloat(s.sheet, cellRef(col, row), v, -1, 64)
	}
}

func (s *sheetWriter) style(fromCol, fromRow, toCol, toRow, style int) {
	if s.err == nil {
		s.err = s.x.SetCellStyle(s.sheet, cellRef(fromCol, fromRow), cellRef(toCol, toRow), style)
	}
}

func (s *sheetWriter) merge(fromCol, fromRow, toCol, toRow int) {
	if s.err == nil && (fromCol != toCol || fromRow != toRow) {
		s.err = s.x.MergeCell(s.sheet, cellRef(fromCol, fromRow), cellRef(toCol, toRow))
	}
}

func (s *sheetWriter) width(fromCol, toCol int, w float64) {
	if s.err == nil {
		s.err = s.x.SetColWidth(s.sheet, xlsxColName(fromCol), xlsxColName(toCol), w)
	}
}

// freeze keeps the first rows and columns in view.
func (s *sheetWriter) freeze(cols, rows int) {
	if s.err != nil {
		return
	}
	pane := "bottomLeft"
	switch {
	case cols > 0 && rows > 0:
		pane = "bottomRight"
	case cols > 0:
		pane = "topRight"
	}
	tl := cellRef(cols+1, rows+1)
	s.err = s.x.SetPanes(s.sheet, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: tl, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: tl, ActiveCell: tl, Pane: pane}}})
}

// WriteForecastXLSX writes the forecast as a workbook with one sheet per
// view: a summary of each payer's total and the authority's net cost, the
// money by category and by payer, head-counts, and the assumptions. Money
// cells are numbers formatted as pounds; years are columns.
func WriteForecastXLSX(w io.Writer, f *sim.Forecast, in ForecastInput) (err error) {
	values, err := forecastValues(f, in)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer func() {
		if cerr := x.Close(); err == nil {
			err = cerr
		}
	}()
	st, err := newXLSXStyles(x)
	if err != nil {
		return err
	}
	if err := x.SetSheetName("Sheet1", sheetSummary); err != nil {
		return err
	}
	for _, name := range []string{sheetByCategory, sheetByPayer, sheetHeadCounts, sheetAssumptions} {
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
	}
	if err := x.SetDocProps(&excelize.DocProperties{
		Title:   "Cohort forecast, " + sim.FinancialYearLabel(f.FirstYear) + " to " + sim.FinancialYearLabel(f.FirstYear+f.Options.Years-1),
		Creator: "pathway",
	}); err != nil {
		return err
	}
	idx := indexForecast(f)
	years := make([]int, f.Options.Years)
	for i := range years {
		years[i] = f.FirstYear + i
	}
	for _, write := range []func() error{
		func() error { return xlsxSummary(x, st, f, idx, years) },
		func() error { return xlsxByCategory(x, st, idx, years) },
		func() error { return xlsxByPayer(x, st, idx, years) },
		func() error { return xlsxHeadCounts(x, st, f, years) },
		func() error { return xlsxAssumptions(x, st, f, in, values) },
	} {
		if err := write(); err != nil {
			return err
		}
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

// pickMeasure returns one of a row's measures.
func pickMeasure(r sim.ForecastRow, measure string) decimal.Decimal {
	switch measure {
	case "p10":
		return r.P10
	case "p50":
		return r.P50
	case "p90":
		return r.P90
	}
	return r.Mean
}

// xlsxSummary writes each payer's total and the authority's net cost by
// year: the mean, with the low and high ends of the range beneath it.
func xlsxSummary(x *excelize.File, st xlsxStyles, f *sim.Forecast, idx forecastIndex, years []int) error {
	s := &sheetWriter{x: x, sheet: sheetSummary}
	s.text(1, 1, "Cost by financial year", st.header)
	s.text(2, 1, "Measure", st.header)
	for i, y := range years {
		s.text(3+i, 1, sim.FinancialYearLabel(y), st.headerCentre)
	}
	row := 2
	lines := []forecastLine{}
	for _, p := range sim.Payers {
		lines = append(lines, forecastLine{p, sim.CatTotal})
	}
	lines = append(lines, forecastLine{sim.LocalAuthority, sim.CatNetCost})
	measures := []struct{ key, label string }{{"mean", "Mean"}, {"p10", "Low (P10)"}, {"p90", "High (P90)"}}
	for _, l := range lines {
		label := forecastPayerLabel(l.payer) + " total"
		if l.category == sim.CatNetCost {
			label = "Authority net cost"
		}
		for mi, m := range measures {
			lstyle, mstyle := st.bold, st.moneyBold
			if mi > 0 {
				lstyle, mstyle = 0, st.moneyMuted
			}
			s.text(1, row, label, lstyle)
			s.text(2, row, m.label, lstyle)
			for i, y := range years {
				s.decimal(3+i, row, pickMeasure(idx[forecastKey{y, l.payer, l.category}], m.key), mstyle)
			}
			row++
		}
	}
	row++
	notes := []string{
		"Mean: the expected cost. Low (P10) and high (P90): 1 in 10 simulated futures cost less than the low figure, and 1 in 10 more than the high one.",
		"Authority net cost: the local authority's spending minus the Home Office grants to it (the UASC nightly rate and the care-leaver weekly rate).",
		"Home Office total also includes voluntary-return money paid to young people, which is not income to the authority.",
		"A negative net cost (in red) means the Home Office grants are more than the authority spends.",
		fmt.Sprintf("%d young people from %s over %d financial years; %d draws, seed %d, policy %s. Details by category and payer, head-counts and every assumption are on the other sheets.",
			f.People, f.Options.From, f.Options.Years, f.Options.Draws, f.Options.Seed, f.Policy),
	}
	for _, n := range notes {
		s.text(1, row, n, st.note)
		row++
	}
	s.width(1, 1, 26)
	s.width(2, 2, 12)
	s.width(3, 2+len(years), 15)
	s.freeze(2, 1)
	return s.err
}

// xlsxByCategory writes every payer × category line with years as columns:
// the mean first, then the P10, P50 and P90 blocks to its right.
func xlsxByCategory(x *excelize.File, st xlsxStyles, idx forecastIndex, years []int) error {
	s := &sheetWriter{x: x, sheet: sheetByCategory}
	blocks := []struct{ key, label string }{
		{"mean", "Mean"}, {"p10", "Low (P10)"}, {"p50", "Median (P50)"}, {"p90", "High (P90)"},
	}
	n := len(years)
	s.text(1, 1, "", st.group)
	s.text(2, 1, "", st.group)
	for b, blk := range blocks {
		first := 3 + b*n
		s.text(first, 1, blk.label, st.group)
		s.style(first, 1, first+n-1, 1, st.group)
		s.merge(first, 1, first+n-1, 1)
		for i, y := range years {
			s.text(first+i, 2, sim.FinancialYearLabel(y), st.headerCentre)
		}
	}
	s.text(1, 2, "Payer", st.header)
	s.text(2, 2, "Category", st.header)
	row := 3
	for _, l := range forecastLines() {
		total := l.category == sim.CatTotal || l.category == sim.CatNetCost
		lstyle, mstyle := 0, st.money
		if total {
			lstyle, mstyle = st.bold, st.moneyBold
		}
		s.text(1, row, forecastPayerLabel(l.payer), lstyle)
		s.text(2, row, forecastCategoryLabel(l.category), lstyle)
		for b, blk := range blocks {
			for i, y := range years {
				s.decimal(3+b*n+i, row, pickMeasure(idx[forecastKey{y, l.payer, l.category}], blk.key), mstyle)
			}
		}
		row++
	}
	s.width(1, 1, 16)
	s.width(2, 2, 42)
	s.width(3, 2+len(blocks)*n, 14)
	s.freeze(2, 2)
	return s.err
}

// xlsxByPayer writes one section per payer: its categories' means by year,
// its total and the total's range; then the authority's net cost.
func xlsxByPayer(x *excelize.File, st xlsxStyles, idx forecastIndex, years []int) error {
	s := &sheetWriter{x: x, sheet: sheetByPayer}
	s.text(1, 1, "Payer and line", st.header)
	for i, y := range years {
		s.text(2+i, 1, sim.FinancialYearLabel(y), st.headerCentre)
	}
	row := 2
	put := func(label string, lstyle int, r func(y int) decimal.Decimal, mstyle int) {
		s.text(1, row, label, lstyle)
		for i, y := range years {
			s.decimal(2+i, row, r(y), mstyle)
		}
		row++
	}
	ranged := func(payer sim.Payer, c sim.Category, name string) {
		get := func(m string) func(int) decimal.Decimal {
			return func(y int) decimal.Decimal { return pickMeasure(idx[forecastKey{y, payer, c}], m) }
		}
		put(name+", mean", st.bold, get("mean"), st.moneyBold)
		put(name+", low (P10)", 0, get("p10"), st.moneyMuted)
		put(name+", median (P50)", 0, get("p50"), st.moneyMuted)
		put(name+", high (P90)", 0, get("p90"), st.moneyMuted)
	}
	for _, payer := range sim.Payers {
		s.text(1, row, forecastPayerLabel(payer), st.title)
		row++
		for _, pc := range sim.Categories {
			if pc.Payer != payer {
				continue
			}
			put(forecastCategoryLabel(pc.Category)+", mean", 0, func(y int) decimal.Decimal {
				return idx[forecastKey{y, payer, pc.Category}].Mean
			}, st.money)
		}
		ranged(payer, sim.CatTotal, "Total")
		row++
	}
	s.text(1, row, "Authority net cost (spending minus Home Office grants)", st.title)
	row++
	ranged(sim.LocalAuthority, sim.CatNetCost, "Net cost")
	s.width(1, 1, 44)
	s.width(2, 1+len(years), 15)
	s.freeze(1, 1)
	return s.err
}

// xlsxHeadCounts writes the expected number of young people in each status
// and age group on the first day of each financial year.
func xlsxHeadCounts(x *excelize.File, st xlsxStyles, f *sim.Forecast, years []int) error {
	s := &sheetWriter{x: x, sheet: sheetHeadCounts}
	s.text(1, 1, "Expected number of young people on 1 April", st.header)
	for i, y := range years {
		s.text(2+i, 1, sim.FinancialYearLabel(y), st.headerCentre)
	}
	type key struct {
		year      int
		by, group string
	}
	heads := map[key]decimal.Decimal{}
	for _, h := range f.Heads {
		heads[key{h.Year, h.By, h.Group}] = h.Mean
	}
	row := 2
	for _, sec := range []struct {
		by, title string
		groups    []string
	}{
		{"status", "By immigration status", sim.StatusGroups},
		{"age", "By age", sim.AgeGroups},
	} {
		s.text(1, row, sec.title, st.title)
		row++
		for _, g := range sec.groups {
			s.text(1, row, headGroupLabel(g), 0)
			for i, y := range years {
				s.decimal(2+i, row, heads[key{y, sec.by, g}], st.count)
			}
			row++
		}
		row++
	}
	s.text(1, row, fmt.Sprintf("Means over %d draws. The first year's figures are on the forecast start, %s.", f.Options.Draws, f.Options.From), st.note)
	s.width(1, 1, 50)
	s.width(2, 1+len(years), 12)
	s.freeze(1, 1)
	return s.err
}

// xlsxAssumptions writes how the forecast was run and every policy value in
// force during it, with its source and confidence.
func xlsxAssumptions(x *excelize.File, st xlsxStyles, f *sim.Forecast, in ForecastInput, values []sim.Param) error {
	s := &sheetWriter{x: x, sheet: sheetAssumptions}
	s.text(1, 1, "Item", st.header)
	s.text(2, 1, "Value", st.header)
	last := f.FirstYear + f.Options.Years - 1
	facts := []struct {
		label string
		put   func(col, row int)
	}{
		{"Forecast from", func(c, r int) { s.text(c, r, f.Options.From.String(), 0) }},
		{"Financial years", func(c, r int) { s.integer(c, r, f.Options.Years, 0) }},
		{"First and last financial year", func(c, r int) {
			s.text(c, r, sim.FinancialYearLabel(f.FirstYear)+" to "+sim.FinancialYearLabel(last), 0)
		}},
		{"Draws (sampled futures per young person)", func(c, r int) { s.integer(c, r, f.Options.Draws, 0) }},
		{"Seed", func(c, r int) { s.text(c, r, strconv.FormatUint(f.Options.Seed, 10), st.number) }},
		{"Young people", func(c, r int) { s.integer(c, r, f.People, 0) }},
		{"Policy", func(c, r int) { s.text(c, r, f.Policy, 0) }},
		{"Waiting-time spread (log-normal sigma)", func(c, r int) { s.float(c, r, f.Spread) }},
		{"Input file", func(c, r int) { s.text(c, r, in.File, 0) }},
		{"Input file SHA-256", func(c, r int) { s.text(c, r, in.SHA256, 0) }},
	}
	row := 2
	for _, fact := range facts {
		s.text(1, row, fact.label, st.bold)
		fact.put(2, row)
		row++
	}
	row++
	s.text(1, row, fmt.Sprintf("Policy values in force from %s to %s", f.Options.From, forecastEnd(f).AddDays(-1)), st.title)
	row++
	cols := []string{"Key", "From", "To", "Value", "Unit", "Source", "Confidence", "Unconfirmed", "Note"}
	for i, h := range cols {
		s.text(1+i, row, h, st.header)
	}
	row++
	for _, v := range values {
		to := ""
		if !v.To.IsZero() {
			to = v.To.String()
		}
		unconfirmed := "no"
		if v.Unconfirmed {
			unconfirmed = "yes"
		}
		vstyle := 0
		if strings.HasPrefix(string(v.Unit), string(sim.Pounds)) {
			vstyle = st.money
		}
		s.text(1, row, v.Key, 0)
		s.text(2, row, v.From.String(), 0)
		s.text(3, row, to, 0)
		s.decimal(4, row, v.Value, vstyle)
		s.text(5, row, string(v.Unit), 0)
		s.text(6, row, v.Source, st.wrap)
		s.text(7, row, v.Confidence, 0)
		s.text(8, row, unconfirmed, 0)
		s.text(9, row, v.Note, st.wrap)
		row++
	}
	xlsxPriors(s, st, row+1, f.Priors)
	s.width(1, 1, 42)
	s.width(2, 3, 12)
	s.width(4, 4, 12)
	s.width(5, 5, 14)
	s.width(6, 6, 30)
	s.width(7, 8, 12)
	s.width(9, 9, 70)
	s.freeze(0, 1)
	return s.err
}
