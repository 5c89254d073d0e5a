package reports

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pathway/sim"
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
// view: a summary that starts with whether the cohort is closed, the money
// by category and by payer, quarterly phasing, placement types with
// head-counts and bed-nights, head-counts by status and age, arrivals, the
// expected cost of each young person (by pseudonymous id only), all of it
// again in long format for pivot tables, and the assumptions. Money cells
// are numbers formatted as pounds; years are columns, labelled as part
// years when the forecast starts after 1 April.
func WriteForecastXLSX(w io.Writer, f *sim.Forecast, in ForecastInput) error {
	r, err := singleReport(f, in)
	if err != nil {
		return err
	}
	return writeWorkbook(w, r)
}

// WriteComparisonXLSX writes a base and a scenario side by side: the
// summary and the money by category show base, scenario and difference
// next to each other; the difference has a sheet of its own; the other
// sheets give each forecast in turn, and the long-format sheet all three.
func WriteComparisonXLSX(w io.Writer, c *Comparison) error {
	r, err := comparisonReport(c)
	if err != nil {
		return err
	}
	return writeWorkbook(w, r)
}

// Workbook sheet names.
const (
	sheetSummary     = "Summary"
	sheetByCategory  = "By category"
	sheetDifference  = "Difference"
	sheetByPayer     = "By payer"
	sheetQuarterly   = "Quarterly"
	sheetPlacements  = "Placements"
	sheetHeadCounts  = "Head-counts"
	sheetArrivals    = "Arrivals"
	sheetPeople      = "Young people"
	sheetData        = "Data"
	sheetAssumptions = "Assumptions"
)

func writeWorkbook(w io.Writer, r *report) (err error) {
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
	b := r.base()
	sheets := []struct {
		name  string
		write func() error
	}{
		{sheetSummary, func() error { return xlsxSummary(x, st, r) }},
		{sheetByCategory, func() error { return xlsxByCategory(x, st, r) }},
		{sheetDifference, func() error { return xlsxDifference(x, st, r) }},
		{sheetByPayer, func() error { return xlsxByPayer(x, st, r) }},
		{sheetQuarterly, func() error { return xlsxQuarterly(x, st, r) }},
		{sheetPlacements, func() error { return xlsxPlacements(x, st, r) }},
		{sheetHeadCounts, func() error { return xlsxHeadCounts(x, st, r) }},
		{sheetArrivals, func() error { return xlsxArrivals(x, st, r) }},
		{sheetPeople, func() error { return xlsxPeople(x, st, r) }},
		{sheetData, func() error { return xlsxData(x, r) }},
		{sheetAssumptions, func() error { return xlsxAssumptions(x, st, r) }},
	}
	if r.diff == nil {
		sheets = slices.DeleteFunc(sheets, func(s struct {
			name  string
			write func() error
		}) bool {
			return s.name == sheetDifference
		})
	}
	for i, sh := range sheets {
		if i == 0 {
			err = x.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = x.NewSheet(sh.name)
		}
		if err != nil {
			return err
		}
	}
	title := "Cohort forecast, " + yearLabel(b.f, b.f.FirstYear) + " to " + sim.FinancialYearLabel(b.f.FirstYear+b.f.Options.Years-1)
	if r.diff != nil {
		title += ", base and scenario " + r.name
	}
	if err := x.SetDocProps(&excelize.DocProperties{Title: title, Creator: "pathway"}); err != nil {
		return err
	}
	for _, sh := range sheets {
		if err := sh.write(); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, err)
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

// years are the financial years of a report.
func (r *report) years() []int {
	f := r.base().f
	out := make([]int, f.Options.Years)
	for i := range out {
		out[i] = f.FirstYear + i
	}
	return out
}

// block is a set of year columns: a forecast's measure, or the difference's.
type block struct {
	label string
	row   func(y int, l forecastLine) decimal.Decimal
}

// runName names a forecast of a report in headings: "Base", "Scenario
// arrivals+20".
func (r *report) runName(i int) string {
	if i == 0 {
		return "Base"
	}
	return "Scenario " + r.name
}

// diffIndex finds the difference's rows.
func (r *report) diffIndex() forecastIndex {
	idx := forecastIndex{}
	for _, d := range r.diff {
		idx[forecastKey{d.Year, d.Payer, d.Category}] = d
	}
	return idx
}

// blocks are the side-by-side column blocks of a sheet: for one forecast,
// each measure; for a comparison, base, scenario and difference of one.
func (r *report) blocks(measures []string, labels []string) []block {
	var out []block
	if r.diff == nil {
		for i, m := range measures {
			idx := r.base().idx
			out = append(out, block{labels[i], func(y int, l forecastLine) decimal.Decimal {
				return pickMeasure(idx[forecastKey{y, l.payer, l.category}], m)
			}})
		}
		return out
	}
	m := measures[0]
	for i, rn := range r.runs {
		idx := rn.idx
		out = append(out, block{r.runName(i) + ", " + strings.ToLower(labels[0]), func(y int, l forecastLine) decimal.Decimal {
			return pickMeasure(idx[forecastKey{y, l.payer, l.category}], m)
		}})
	}
	d := r.diffIndex()
	out = append(out, block{"Difference (scenario − base), " + strings.ToLower(labels[0]), func(y int, l forecastLine) decimal.Decimal {
		return pickMeasure(d[forecastKey{y, l.payer, l.category}], m)
	}})
	return out
}

// yearHeader writes a header row: label in the first column, and the
// forecast's year labels from column first.
func yearHeader(s *sheetWriter, st xlsxStyles, f *sim.Forecast, row, first int, label string) {
	s.text(1, row, label, st.header)
	for i := range f.Options.Years {
		s.text(first+i, row, yearLabel(f, f.FirstYear+i), st.headerCentre)
	}
}

// yearBlocks writes block headings (merged over their years) on row top
// and the year labels under them, from column first.
func yearBlocks(s *sheetWriter, st xlsxStyles, f *sim.Forecast, top, first int, names []string) {
	n := f.Options.Years
	for b, name := range names {
		c := first + b*n
		if name != "" {
			s.text(c, top, name, st.group)
			s.style(c, top, c+n-1, top, st.group)
			s.merge(c, top, c+n-1, top)
		}
		for i := range n {
			s.text(c+i, top+1, yearLabel(f, f.FirstYear+i), st.headerCentre)
		}
	}
}

// xlsxSummary starts with the forecast's title and whether the cohort is
// closed, then writes each payer's total and the authority's net cost by
// year: the mean, with the low and high ends of the range beneath it; for
// a comparison, base, scenario and difference side by side.
func xlsxSummary(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetSummary}
	b := r.base().f
	years := r.years()
	title := "Cohort forecast, " + yearLabel(b, years[0]) + " to " + sim.FinancialYearLabel(years[len(years)-1])
	s.text(1, 1, title, st.title)
	statement := capitalise(cohortStatement(b))
	if r.diff != nil {
		statement = "Base: " + cohortStatement(b) + ". Scenario " + r.name + ": " + cohortStatement(r.runs[1].f) + "."
	}
	s.text(1, 2, statement, st.bold)
	top := 4
	lines := []forecastLine{}
	for _, p := range sim.Payers {
		lines = append(lines, forecastLine{p, sim.CatTotal})
	}
	lines = append(lines, forecastLine{sim.LocalAuthority, sim.CatNetCost})
	measures := []struct{ key, label string }{{"mean", "Mean"}, {"p10", "Low (P10)"}, {"p90", "High (P90)"}}
	var heads []string
	var cols []func(y int, l forecastLine, m string) decimal.Decimal
	for i, rn := range r.runs {
		idx := rn.idx
		heads = append(heads, r.runName(i))
		cols = append(cols, func(y int, l forecastLine, m string) decimal.Decimal {
			return pickMeasure(idx[forecastKey{y, l.payer, l.category}], m)
		})
	}
	if r.diff != nil {
		d := r.diffIndex()
		heads = append(heads, "Difference (scenario − base)")
		cols = append(cols, func(y int, l forecastLine, m string) decimal.Decimal {
			return pickMeasure(d[forecastKey{y, l.payer, l.category}], m)
		})
	} else {
		heads = []string{""}
	}
	head := top
	if r.diff != nil {
		yearBlocks(s, st, b, top, 3, heads)
		head = top + 1
	} else {
		yearBlocks(s, st, b, top-1, 3, heads)
	}
	s.text(1, head, "Cost by financial year", st.header)
	s.text(2, head, "Measure", st.header)
	row := head + 1
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
			for bi, col := range cols {
				for i, y := range years {
					s.decimal(3+bi*len(years)+i, row, col(y, l, m.key), mstyle)
				}
			}
			row++
		}
	}
	row++
	notes := []string{
		"Mean: the expected cost under these assumptions. Low (P10) and high (P90): 1 in 10 simulated futures cost less than the low figure, and 1 in 10 more than the high one.",
		"Authority net cost: the local authority's spending minus the Home Office grants to it (the UASC nightly rate and the care-leaver weekly rate).",
		"Home Office total also includes voluntary-return money paid to young people, which is not income to the authority.",
		"A negative net cost (in red) means the Home Office grants are more than the authority spends.",
	}
	if d := b.PartYear(); !d.IsZero() {
		notes = append(notes, fmt.Sprintf("The forecast starts on %s: %s is the part of that financial year from then.", d.Long(), yearLabel(b, b.FirstYear)))
	}
	if r.diff != nil {
		notes = append(notes, "Difference: the scenario's figure minus the base's, in each cell; both ran on the same draws.")
	}
	for i, rn := range r.runs {
		f := rn.f
		prefix := ""
		if r.diff != nil {
			prefix = r.runName(i) + ": "
		}
		notes = append(notes, prefix+fmt.Sprintf("%d young people from %s over %d financial years; %d draws, seed %d, policy %s.",
			f.People, f.Options.From, f.Options.Years, f.Options.Draws, f.Options.Seed, f.Policy))
		for _, n := range cohortNotes(f)[1:] {
			notes = append(notes, prefix+capitalise(n)+".")
		}
		notes = append(notes, prefix+higherRateWords(f))
		for _, u := range upliftWords(f, rn.in.Uplifts) {
			notes = append(notes, prefix+"Uplift: "+u+".")
		}
	}
	notes = append(notes, "Details by category and payer, quarterly phasing, placement types, head-counts, arrivals, each young person's expected cost and every assumption are on the other sheets.")
	for _, n := range notes {
		s.text(1, row, n, st.note)
		row++
	}
	s.width(1, 1, 26)
	s.width(2, 2, 12)
	s.width(3, 2+len(cols)*len(years), 15)
	s.freeze(2, head)
	return s.err
}

// moneyLinesSheet writes every payer × category line with years as
// columns in blocks side by side.
func moneyLinesSheet(s *sheetWriter, st xlsxStyles, r *report, blocks []block) {
	f := r.base().f
	years := r.years()
	n := len(years)
	s.text(1, 1, "", st.group)
	s.text(2, 1, "", st.group)
	names := make([]string, len(blocks))
	for i, b := range blocks {
		names[i] = b.label
	}
	yearBlocks(s, st, f, 1, 3, names)
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
				s.decimal(3+b*n+i, row, blk.row(y, l), mstyle)
			}
		}
		row++
	}
	s.width(1, 1, 16)
	s.width(2, 2, 42)
	s.width(3, 2+len(blocks)*n, 14)
	s.freeze(2, 2)
}

// xlsxByCategory writes every payer × category line with years as columns:
// the mean first, then the P10, P50 and P90 blocks to its right; for a
// comparison, the means of base, scenario and difference.
func xlsxByCategory(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetByCategory}
	moneyLinesSheet(s, st, r, r.blocks([]string{"mean", "p10", "p50", "p90"}, []string{"Mean", "Low (P10)", "Median (P50)", "High (P90)"}))
	return s.err
}

// xlsxDifference writes the difference, scenario minus base, of every
// line and measure.
func xlsxDifference(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetDifference}
	d := r.diffIndex()
	var blocks []block
	for i, m := range []string{"mean", "p10", "p50", "p90"} {
		blocks = append(blocks, block{[]string{"Mean", "Low (P10)", "Median (P50)", "High (P90)"}[i] + ", scenario − base", func(y int, l forecastLine) decimal.Decimal {
			return pickMeasure(d[forecastKey{y, l.payer, l.category}], m)
		}})
	}
	moneyLinesSheet(s, st, r, blocks)
	return s.err
}

// sections writes one section per forecast of the report, each headed by
// its name in a comparison, and returns the row after them.
func sections(s *sheetWriter, st xlsxStyles, r *report, row int, write func(rn run, row int) int) int {
	for i, rn := range r.runs {
		if r.diff != nil {
			s.text(1, row, r.runName(i), st.title)
			row += 2
		}
		row = write(rn, row) + 1
	}
	return row
}

// xlsxByPayer writes one section per payer: its categories' means by year,
// its total and the total's range; then the authority's net cost.
func xlsxByPayer(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetByPayer}
	f := r.base().f
	years := r.years()
	yearHeader(s, st, f, 1, 2, "Payer and line")
	sections(s, st, r, 2, func(rn run, row int) int {
		idx := rn.idx
		put := func(label string, lstyle int, v func(y int) decimal.Decimal, mstyle int) {
			s.text(1, row, label, lstyle)
			for i, y := range years {
				s.decimal(2+i, row, v(y), mstyle)
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
		return row
	})
	s.width(1, 1, 44)
	s.width(2, 1+len(years), 15)
	s.freeze(1, 1)
	return s.err
}

// xlsxQuarterly phases each line's mean by quarter (Q1 April to June): four
// columns a year under the year's label.
func xlsxQuarterly(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetQuarterly}
	f := r.base().f
	years := r.years()
	s.text(1, 1, "", st.group)
	s.text(2, 1, "", st.group)
	for i, y := range years {
		c := 3 + 4*i
		s.text(c, 1, yearLabel(f, y), st.group)
		s.style(c, 1, c+3, 1, st.group)
		s.merge(c, 1, c+3, 1)
		for q, name := range []string{"Q1 Apr–Jun", "Q2 Jul–Sep", "Q3 Oct–Dec", "Q4 Jan–Mar"} {
			s.text(c+q, 2, name, st.headerCentre)
		}
	}
	s.text(1, 2, "Payer", st.header)
	s.text(2, 2, "Category", st.header)
	row := sections(s, st, r, 3, func(rn run, row int) int {
		type qk struct {
			y, q int
			l    forecastLine
		}
		means := map[qk]decimal.Decimal{}
		for _, q := range rn.f.Quarters {
			means[qk{q.Year, q.Quarter, forecastLine{q.Payer, q.Category}}] = q.Mean
		}
		for _, l := range forecastLines() {
			total := l.category == sim.CatTotal || l.category == sim.CatNetCost
			lstyle, mstyle := 0, st.money
			if total {
				lstyle, mstyle = st.bold, st.moneyBold
			}
			s.text(1, row, forecastPayerLabel(l.payer), lstyle)
			s.text(2, row, forecastCategoryLabel(l.category), lstyle)
			for i, y := range years {
				for q := range 4 {
					s.decimal(3+4*i+q, row, means[qk{y, q + 1, l}], mstyle)
				}
			}
			row++
		}
		return row
	})
	s.text(1, row, "Means by quarter. Each line's first three quarters are their own means, rounded to the penny; the fourth takes the rest, so the quarters add up to the year's mean on the other sheets. Totals and the net cost add up the lines.", st.note)
	if d := f.PartYear(); !d.IsZero() {
		s.text(1, row+1, fmt.Sprintf("The forecast starts on %s: quarters before then are empty.", d.Long()), st.note)
	}
	s.width(1, 1, 16)
	s.width(2, 2, 42)
	s.width(3, 2+4*len(years), 13)
	s.freeze(2, 2)
	return s.err
}

// xlsxPlacements writes, by placement type, the money spent on placements
// and accommodation, the young people in each on 1 April by age, the
// bed-nights by age, and the nights and weeks of Home Office grant that
// they reconcile with.
func xlsxPlacements(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetPlacements}
	f := r.base().f
	years := r.years()
	yearHeader(s, st, f, 1, 3, "Placement type")
	s.text(2, 1, "Age", st.header)
	bands := []string{"Under 16", "16 to 17", "18 to 20", "21 to 24"}
	row := sections(s, st, r, 2, func(rn run, row int) int {
		type pk struct {
			y int
			p sim.Placement
		}
		by := map[pk]sim.PlacementYear{}
		for _, p := range rn.f.Placement {
			by[pk{p.Year, p.Placement}] = p
		}
		s.text(1, row, "Placement and accommodation cost by type (means)", st.title)
		row++
		for _, p := range sim.Placements {
			s.text(1, row, placementLabel(p), 0)
			for i, y := range years {
				s.decimal(3+i, row, by[pk{y, p}].Cost, st.money)
			}
			row++
		}
		row++
		for _, part := range []struct {
			title string
			get   func(sim.PlacementYear) [4]decimal.Decimal
		}{
			{"Young people on 1 April by placement type and age (means)", func(p sim.PlacementYear) [4]decimal.Decimal { return p.Heads }},
			{"Bed-nights by placement type and age (means): nights the authority pays a placement or accommodation for", func(p sim.PlacementYear) [4]decimal.Decimal { return p.Nights }},
		} {
			s.text(1, row, part.title, st.title)
			row++
			for _, p := range sim.Placements {
				for b, band := range bands {
					some := false
					for _, y := range years {
						some = some || !part.get(by[pk{y, p}])[b].IsZero()
					}
					if !some {
						continue
					}
					s.text(1, row, placementLabel(p), 0)
					s.text(2, row, band, 0)
					for i, y := range years {
						s.decimal(3+i, row, part.get(by[pk{y, p}])[b], st.count)
					}
					row++
				}
			}
			row++
		}
		s.text(1, row, "Home Office claims the forecast counts (means)", st.title)
		row++
		s.text(1, row, "UASC grant: nights looked after", 0)
		s.text(2, row, "Under 18", 0)
		for i := range years {
			s.decimal(3+i, row, rn.f.Grants[i].UASCNights, st.count)
		}
		row++
		s.text(1, row, "Care-leaver grant: weeks", 0)
		s.text(2, row, "18 and over", 0)
		for i := range years {
			s.decimal(3+i, row, rn.f.Grants[i].CareLeaverWeeks, st.count)
		}
		return row + 1
	})
	s.text(1, row, "Under 18 every night looked after is a bed-night and a night of the UASC grant; from 18, nights in Staying Put or accommodation the authority pays for. Placement types group the 903 PLACE codes as the import maps them; \"other\" has its own rate.", st.note)
	s.width(1, 1, 44)
	s.width(2, 2, 12)
	s.width(3, 2+len(years), 14)
	s.freeze(2, 1)
	return s.err
}

// xlsxHeadCounts writes the expected number of young people in each status
// and age group on the first day of each financial year.
func xlsxHeadCounts(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetHeadCounts}
	f := r.base().f
	years := r.years()
	yearHeader(s, st, f, 1, 2, "Expected number of young people on 1 April")
	type key struct {
		year      int
		by, group string
	}
	row := sections(s, st, r, 2, func(rn run, row int) int {
		heads := map[key]decimal.Decimal{}
		for _, h := range rn.f.Heads {
			heads[key{h.Year, h.By, h.Group}] = h.Mean
		}
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
		return row - 1
	})
	s.text(1, row, fmt.Sprintf("Means over %d draws. The first year's figures are on the forecast start, %s. Young people arriving later are counted from the 1 April after they arrive.", f.Options.Draws, f.Options.From), st.note)
	s.width(1, 1, 50)
	s.width(2, 1+len(years), 12)
	s.freeze(1, 1)
	return s.err
}

// xlsxArrivals says whether the cohort is closed and, when it is not, the
// arrivals expected and drawn each year and who they are.
func xlsxArrivals(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetArrivals}
	f := r.base().f
	years := r.years()
	row := sections(s, st, r, 1, func(rn run, row int) int {
		s.text(1, row, capitalise(cohortStatement(rn.f)), st.bold)
		row += 2
		if rn.f.Closed() {
			return row
		}
		yearHeader(s, st, f, row, 2, "Arrivals")
		row++
		for _, line := range []struct {
			label string
			get   func(sim.ArrivalYear) decimal.Decimal
			style int
		}{
			{"Expected", func(a sim.ArrivalYear) decimal.Decimal { return a.Expected }, st.count},
			{"Mean drawn", func(a sim.ArrivalYear) decimal.Decimal { return a.Mean }, st.count},
			{"Low (P10)", func(a sim.ArrivalYear) decimal.Decimal { return decimal.NewFromInt(int64(a.P10)) }, 0},
			{"High (P90)", func(a sim.ArrivalYear) decimal.Decimal { return decimal.NewFromInt(int64(a.P90)) }, 0},
		} {
			s.text(1, row, line.label, 0)
			for i, a := range rn.f.Arrivals {
				s.decimal(2+i, row, line.get(a), line.style)
			}
			row++
		}
		row++
		a := rn.f.Options.Arrivals
		mixes := []struct {
			title string
			rows  [][2]string
		}{
			{"Age on arrival", mixRows(a.Ages, func(v int) string { return strconv.Itoa(v) })},
			{"Nationality", mixRows(a.Nationalities, func(v string) string { return v })},
			{"Placement on arrival under 16", mixRows(a.Under16, func(v sim.Placement) string { return placementLabel(v) })},
			{"Placement on arrival at 16 or 17", mixRows(a.From16, func(v sim.Placement) string { return placementLabel(v) })},
		}
		for _, m := range mixes {
			s.text(1, row, m.title, st.header)
			s.text(2, row, "Share", st.header)
			row++
			for _, mr := range m.rows {
				s.text(1, row, mr[0], 0)
				s.text(2, row, mr[1], st.number)
				row++
			}
			row++
		}
		s.text(1, row, "Referred as trafficked", st.bold)
		s.text(2, row, percent(a.Trafficked), st.number)
		return row + 1
	})
	s.text(1, row, "Each draw's number of arrivals in a year is drawn around the expected number (Poisson), so arrivals widen the range of the money; who arrives is drawn from these shares. Arrivals are counted from their first day in care.", st.note)
	s.width(1, 1, 40)
	s.width(2, 1+len(years), 14)
	return s.err
}

// mixRows writes a mix as rows of a value and its share, in percent.
func mixRows[T any](ws []sim.Weight[T], name func(T) string) [][2]string {
	total := decimal.Zero
	for _, w := range ws {
		total = total.Add(w.Weight)
	}
	var out [][2]string
	for _, w := range ws {
		share := decimal.Zero
		if total.IsPositive() {
			share = w.Weight.Div(total)
		}
		out = append(out, [2]string{name(w.Value), share.Shift(2).Round(1).String() + "%"})
	}
	return out
}

// xlsxPeople writes each young person's expected net cost to the
// authority by year and in total, by pseudonymous id only, streamed so
// that a large cohort does not fill memory.
func xlsxPeople(x *excelize.File, st xlsxStyles, r *report) error {
	sw, err := x.NewStreamWriter(sheetPeople)
	if err != nil {
		return err
	}
	years := r.years()
	f := r.base().f
	if err := sw.SetColWidth(1, 1, 16); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 1+len(r.runs)*(len(years)+3), 14); err != nil {
		return err
	}
	var head []any
	head = append(head, excelize.Cell{StyleID: st.header, Value: "Young person (id)"})
	for i := range r.runs {
		prefix := ""
		if r.diff != nil {
			prefix = r.runName(i) + ": "
		}
		for _, y := range years {
			head = append(head, excelize.Cell{StyleID: st.headerCentre, Value: prefix + "net cost " + yearLabel(f, y)})
		}
		for _, t := range []string{"spending, all years", "grants, all years", "net cost, all years"} {
			head = append(head, excelize.Cell{StyleID: st.headerCentre, Value: prefix + t})
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	money := func(pence int64, style int) excelize.Cell {
		v, _ := strconv.ParseFloat(decimal.New(pence, -2).String(), 64)
		return excelize.Cell{StyleID: style, Value: v}
	}
	byID := make([]map[string]sim.PersonCost, len(r.runs))
	for i, rn := range r.runs {
		byID[i] = map[string]sim.PersonCost{}
		for _, p := range rn.f.Persons {
			byID[i][p.ID] = p
		}
	}
	row := 2
	for _, p := range f.Persons {
		cells := []any{p.ID}
		for i := range r.runs {
			pc := byID[i][p.ID]
			var spent, got int64
			for y := range years {
				if y < len(pc.Spending) {
					cells = append(cells, money(pc.Spending[y]-pc.Grants[y], st.money))
					spent += pc.Spending[y]
					got += pc.Grants[y]
				}
			}
			cells = append(cells, money(spent, st.money), money(got, st.money), money(spent-got, st.moneyBold))
		}
		if err := sw.SetRow(cellRef(1, row), cells); err != nil {
			return err
		}
		row++
	}
	row++
	for _, n := range []string{
		"Each young person's expected money, the mean over the draws: the authority's spending on them minus the Home Office grants for them. No name or other detail: only the cohort file's pseudonymous id.",
		"Each category's mean is rounded to the penny before it is added, so these can differ by pennies from the other sheets; arrivals are not listed here.",
	} {
		if err := sw.SetRow(cellRef(1, row), []any{excelize.Cell{StyleID: st.note, Value: n}}); err != nil {
			return err
		}
		row++
	}
	return sw.Flush()
}

// dataColumns are the long-format sheet's columns: one value a row.
var dataColumns = []string{"scenario", "financial_year", "period", "table", "payer", "category", "placement", "age_group", "measure", "value"}

// xlsxData writes every figure of the workbook in long format, one a row,
// for pivot tables: money by year with its four measures, money by
// quarter, placement costs, head-counts, bed-nights, Home Office claims and
// arrivals; for a comparison, the base's, the scenario's and the
// difference of the money. (Only the young people's sheet is streamed:
// excelize writes several streamed sheets in no fixed order.)
func xlsxData(x *excelize.File, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetData}
	for i, c := range dataColumns {
		s.text(1+i, 1, c, 0)
	}
	row := 2
	put := func(scenario, year, period, table, payer, category, placement, group, measure string, v decimal.Decimal) {
		for i, t := range []string{scenario, year, period, table, payer, category, placement, group, measure} {
			if t != "" {
				s.text(1+i, row, t, 0)
			}
		}
		s.decimal(10, row, v, 0)
		row++
	}
	money := func(name string, rows []sim.ForecastRow) {
		for _, fr := range rows {
			for _, m := range []string{"mean", "p10", "p50", "p90"} {
				put(name, sim.FinancialYearLabel(fr.Year), "year", "money", string(fr.Payer), string(fr.Category), "", "", m, pickMeasure(fr, m))
			}
		}
	}
	for i, rn := range r.runs {
		name := rn.name
		if i > 0 {
			name = "scenario"
		}
		f := rn.f
		money(name, f.Rows)
		for _, q := range f.Quarters {
			put(name, sim.FinancialYearLabel(q.Year), "Q"+strconv.Itoa(q.Quarter), "money", string(q.Payer), string(q.Category), "", "", "mean", q.Mean)
		}
		for _, p := range f.Placement {
			put(name, sim.FinancialYearLabel(p.Year), "year", "placement_cost", string(sim.LocalAuthority), "", string(p.Placement), "", "mean", p.Cost)
			for b := range 4 {
				put(name, sim.FinancialYearLabel(p.Year), "1 April", "head_count", "", "", string(p.Placement), sim.AgeGroups[b], "mean", p.Heads[b])
				put(name, sim.FinancialYearLabel(p.Year), "year", "bed_nights", "", "", string(p.Placement), sim.AgeGroups[b], "mean", p.Nights[b])
			}
		}
		for _, h := range f.Heads {
			put(name, sim.FinancialYearLabel(h.Year), "1 April", "head_count_by_"+h.By, "", "", "", h.Group, "mean", h.Mean)
		}
		for _, g := range f.Grants {
			put(name, sim.FinancialYearLabel(g.Year), "year", "claims", string(sim.HomeOffice), string(sim.CatUASCGrant), "", "", "nights", g.UASCNights)
			put(name, sim.FinancialYearLabel(g.Year), "year", "claims", string(sim.HomeOffice), string(sim.CatCareLeaverGrant), "", "", "weeks", g.CareLeaverWeeks)
		}
		for _, a := range f.Arrivals {
			put(name, sim.FinancialYearLabel(a.Year), "year", "arrivals", "", "", "", "", "expected", a.Expected)
			put(name, sim.FinancialYearLabel(a.Year), "year", "arrivals", "", "", "", "", "mean", a.Mean)
		}
	}
	if r.diff != nil {
		money("difference", r.diff)
	}
	s.width(1, 9, 16)
	s.width(10, 10, 16)
	s.freeze(0, 1)
	return s.err
}

// xlsxAssumptions writes how each forecast was run, what it did with the
// cohort's rows, and every policy value in force during it, with its
// source and confidence; for a comparison, the scenario's values that
// differ from the base's.
func xlsxAssumptions(x *excelize.File, st xlsxStyles, r *report) error {
	s := &sheetWriter{x: x, sheet: sheetAssumptions}
	s.text(1, 1, "Item", st.header)
	s.text(2, 1, "Value", st.header)
	row := 2
	for i, rn := range r.runs {
		f, in := rn.f, rn.in
		if r.diff != nil {
			s.text(1, row, r.runName(i), st.title)
			row++
		}
		last := f.FirstYear + f.Options.Years - 1
		facts := []struct {
			label string
			put   func(col, row int)
		}{
			{"Cohort", func(c, r int) { s.text(c, r, cohortStatement(f), st.bold) }},
			{"Forecast from", func(c, r int) { s.text(c, r, f.Options.From.String(), 0) }},
			{"Financial years", func(c, r int) { s.integer(c, r, f.Options.Years, 0) }},
			{"First and last financial year", func(c, r int) {
				s.text(c, r, yearLabel(f, f.FirstYear)+" to "+sim.FinancialYearLabel(last), 0)
			}},
			{"Draws (sampled futures per young person)", func(c, r int) { s.integer(c, r, f.Options.Draws, 0) }},
			{"Seed", func(c, r int) { s.text(c, r, strconv.FormatUint(f.Options.Seed, 10), st.number) }},
			{"Young people", func(c, r int) { s.integer(c, r, f.People, 0) }},
			{"Policy", func(c, r int) { s.text(c, r, f.Policy, 0) }},
			{"Waiting-time spread (log-normal sigma)", func(c, r int) { s.float(c, r, f.Spread) }},
			{"Input file", func(c, r int) { s.text(c, r, in.File, 0) }},
			{"Input file SHA-256", func(c, r int) { s.text(c, r, in.SHA256, 0) }},
			{"Home Office nightly rate", func(c, r int) { s.text(c, r, higherRateWords(f), 0) }},
		}
		for _, n := range cohortNotes(f) {
			facts = append(facts, struct {
				label string
				put   func(col, row int)
			}{"Cohort file", func(c, r int) { s.text(c, r, n, 0) }})
		}
		for _, u := range upliftWords(f, in.Uplifts) {
			facts = append(facts, struct {
				label string
				put   func(col, row int)
			}{"Uplift", func(c, r int) { s.text(c, r, u, 0) }})
		}
		for _, fact := range facts {
			s.text(1, row, fact.label, st.bold)
			fact.put(2, row)
			row++
		}
		row++
	}
	values := r.base().values
	title := fmt.Sprintf("Policy values in force from %s to %s", r.base().f.Options.From, forecastEnd(r.base().f).AddDays(-1))
	row = policyValueTable(s, st, row, title, values)
	if r.diff != nil {
		seen := map[string]bool{}
		for _, v := range values {
			seen[paramID(v)] = true
		}
		var changed []sim.Param
		for _, v := range r.runs[1].values {
			if !seen[paramID(v)] {
				changed = append(changed, v)
			}
		}
		row = policyValueTable(s, st, row+1, "Values the scenario "+r.name+" gives in their place", changed)
	}
	xlsxPriors(s, st, row+1, r.base().f.Priors)
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

// paramID tells policy values apart, for a comparison's changed values.
func paramID(v sim.Param) string {
	return v.Key + "|" + v.From.String() + "|" + v.To.String() + "|" + v.Value.String() + "|" + v.Source
}

// policyValueTable writes policy values with their sources, and returns
// the row after them.
func policyValueTable(s *sheetWriter, st xlsxStyles, row int, title string, values []sim.Param) int {
	s.text(1, row, title, st.title)
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
	return row
}
