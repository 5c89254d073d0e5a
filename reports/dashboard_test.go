package reports

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/scenarios"
	"pathway/sim"
)

func TestFinanceDashboardGolden(t *testing.T) {
	f, in := testForecast(t)
	page := renderTwice(t, "dashboard", func(b *bytes.Buffer) error { return writeFinanceDashboard(b, f, in, small) })
	golden(t, "forecast.dashboard.html", page)

	// The forecast does not depend on the number of workers, so neither
	// does the page.
	one, err := sim.RunForecast(testCohort(t), in.Policy, sim.ForecastOptions{
		From: f.Options.From, Years: f.Options.Years, Draws: f.Options.Draws, Seed: f.Options.Seed, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeFinanceDashboard(&b, one, in, small); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), page) {
		t.Error("the dashboard of a forecast on one worker differs from the one on two")
	}
}

// htmlTable is a table of the page: its column headings, and each row's
// cells (the row heading first) by the row's data-key.
type htmlTable struct {
	head []string
	rows map[string][]string
	keys []string // in page order
}

var (
	tableRe = regexp.MustCompile(`(?s)<table id="([^"]+)"[^>]*>(.*?)</table>`)
	rowRe   = regexp.MustCompile(`(?s)<tr([^>]*)>(.*?)</tr>`)
	keyRe   = regexp.MustCompile(`data-key="([^"]*)"`)
	cellRe  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
)

// pageTables reads every table with an id out of a page.
func pageTables(t *testing.T, page string) map[string]htmlTable {
	t.Helper()
	out := map[string]htmlTable{}
	for _, m := range tableRe.FindAllStringSubmatch(page, -1) {
		tb := htmlTable{rows: map[string][]string{}}
		for _, r := range rowRe.FindAllStringSubmatch(m[2], -1) {
			var cells []string
			for _, c := range cellRe.FindAllStringSubmatch(r[2], -1) {
				cells = append(cells, strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(c[1], ""))))
			}
			k := keyRe.FindStringSubmatch(r[1])
			if k == nil {
				if tb.head == nil {
					tb.head = cells
				}
				continue
			}
			if _, dup := tb.rows[k[1]]; dup {
				t.Errorf("table %s: two rows with key %s", m[1], k[1])
			}
			tb.rows[k[1]] = cells
			tb.keys = append(tb.keys, k[1])
		}
		out[m[1]] = tb
	}
	return out
}

var moneyCell = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$`)

// cellAmount reads "12,345.67" back as a decimal.
func cellAmount(t *testing.T, where, s string) decimal.Decimal {
	t.Helper()
	if !moneyCell.MatchString(s) {
		t.Errorf("%s: got %q, want pounds with a thousands separator and pence", where, s)
		return decimal.Zero
	}
	return decimal.RequireFromString(strings.ReplaceAll(s, ",", ""))
}

// TestFinanceDashboardFigures checks every figure in the page's tables
// against the forecast's rows, and that no table lacks a line it should
// have.
func TestFinanceDashboardFigures(t *testing.T) {
	f, in := testForecast(t)
	var b bytes.Buffer
	if err := writeFinanceDashboard(&b, f, in, small); err != nil {
		t.Fatal(err)
	}
	tables := pageTables(t, b.String())

	rows := map[string]sim.ForecastRow{}
	for _, r := range f.Rows {
		rows[sim.FinancialYearLabel(r.Year)+"/"+string(r.Payer)+"/"+string(r.Category)] = r
	}
	measure := func(r sim.ForecastRow, m string) decimal.Decimal {
		return map[string]decimal.Decimal{"mean": r.Mean, "p10": r.P10, "p50": r.P50, "p90": r.P90}[m]
	}
	heads := map[string]decimal.Decimal{}
	for _, h := range f.Heads {
		heads[sim.FinancialYearLabel(h.Year)+"/"+h.By+"/"+h.Group] = h.Mean
	}
	var years []string
	for y := range f.Options.Years {
		years = append(years, sim.FinancialYearLabel(f.FirstYear+y))
	}
	// The forecast starts on 1 Jun 2025: its first year is a part year.
	headings := slices.Concat([]string{"2025-26 (from 1 Jun)"}, years[1:])
	// want gives the figure a row key stands for in a year.
	want := func(year, key string) (decimal.Decimal, bool) {
		parts := strings.Split(key, "/")
		switch {
		case len(parts) == 2:
			v, ok := heads[year+"/"+key]
			return v, ok
		case key == "home_office/grants/mean":
			u, ok1 := rows[year+"/home_office/uasc_grant"]
			c, ok2 := rows[year+"/home_office/care_leaver_grant"]
			return u.Mean.Add(c.Mean), ok1 && ok2
		case len(parts) == 3:
			r, ok := rows[year+"/"+parts[0]+"/"+parts[1]]
			return measure(r, parts[2]), ok
		}
		return decimal.Zero, false
	}

	var laCats, grantCats []string
	for _, pc := range sim.Categories {
		switch {
		case pc.Payer == sim.LocalAuthority:
			laCats = append(laCats, "local_authority/"+string(pc.Category)+"/mean")
		case sim.IsGrant(pc.Category):
			grantCats = append(grantCats, "home_office/"+string(pc.Category)+"/mean")
		}
	}
	var statusKeys, ageKeys []string
	for _, g := range sim.StatusGroups {
		statusKeys = append(statusKeys, "status/"+g)
	}
	for _, g := range sim.AgeGroups {
		ageKeys = append(ageKeys, "age/"+g)
	}
	tests := []struct {
		table string
		keys  []string
	}{
		{"dashboard_net_cost_table", []string{"local_authority/net_cost/p10", "local_authority/net_cost/p50", "local_authority/net_cost/mean", "local_authority/net_cost/p90"}},
		{"dashboard_funding_gap_table", []string{"local_authority/total/mean", "home_office/grants/mean", "local_authority/net_cost/mean"}},
		{"dashboard_categories_table", slices.Concat(laCats, []string{"local_authority/total/mean"}, grantCats, []string{"home_office/grants/mean"})},
		{"dashboard_payers_table", []string{"local_authority/total/mean", "home_office/total/mean", "dwp/total/mean"}},
		{"dashboard_status_table", statusKeys},
		{"dashboard_ages_table", ageKeys},
	}
	checked := 0
	for _, tt := range tests {
		tb, ok := tables[tt.table]
		if !ok {
			t.Errorf("no table %s", tt.table)
			continue
		}
		if !slices.Equal(tb.keys, tt.keys) {
			t.Errorf("%s rows: got %q, want %q", tt.table, tb.keys, tt.keys)
		}
		if len(tb.head) != len(years)+1 || !slices.Equal(tb.head[1:], headings) {
			t.Errorf("%s columns: got %q, want a heading and %q", tt.table, tb.head, headings)
		}
		for _, key := range tb.keys {
			cells := tb.rows[key]
			if len(cells) != len(years)+1 {
				t.Errorf("%s %s: got %d cells, want %d", tt.table, key, len(cells), len(years)+1)
				continue
			}
			for i, year := range years {
				where := tt.table + " " + key + " " + year
				w, ok := want(year, key)
				if !ok {
					t.Errorf("%s: the forecast has no such figure", where)
					continue
				}
				var got decimal.Decimal
				if strings.Count(key, "/") == 1 {
					if !twoDecimals.MatchString(cells[i+1]) {
						t.Errorf("%s: got %q, want a number with two decimals", where, cells[i+1])
					}
					got = decimal.RequireFromString(cells[i+1])
				} else {
					got = cellAmount(t, where, cells[i+1])
				}
				if !got.Equal(w) {
					t.Errorf("%s: got %s, want %s", where, got, w)
				}
				checked++
			}
		}
	}
	if want := f.Options.Years * (4 + 3 + len(laCats) + 1 + len(grantCats) + 1 + 3 + len(statusKeys) + len(ageKeys)); checked != want {
		t.Errorf("checked %d figures, want %d", checked, want)
	}

	// The funding gap is the net cost: spending minus grants, to the penny
	// of rounding each mean.
	gap := tables["dashboard_funding_gap_table"]
	for i, year := range years {
		spend := cellAmount(t, year, gap.rows["local_authority/total/mean"][i+1])
		grants := cellAmount(t, year, gap.rows["home_office/grants/mean"][i+1])
		net := cellAmount(t, year, gap.rows["local_authority/net_cost/mean"][i+1])
		if d := spend.Sub(grants).Sub(net).Abs(); d.GreaterThan(decimal.RequireFromString("0.02")) {
			t.Errorf("%s: spending %s minus grants %s is %s, net cost %s", year, spend, grants, spend.Sub(grants), net)
		}
	}
}

func TestFinanceDashboardAssumptions(t *testing.T) {
	f, in := testForecast(t)
	var b bytes.Buffer
	if err := writeFinanceDashboard(&b, f, in, small); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"<dt>Forecast from</dt><dd>1 Jun 2025 (2025-06-01)</dd>",
		"<dt>Financial years</dt><dd>4: 2025-26 (from 1 Jun) to 2028-29</dd>",
		"<dt>Cohort</dt><dd>closed cohort: no arrivals assumed</dd>",
		"<dt>Home Office nightly rate</dt><dd>The standard nightly rate applies: the higher rate&#39;s test needs the child population (local.child_population), which is not given.</dd>",
		"<dt>Draws</dt><dd>200 sampled futures per young person</dd>",
		"<dt>Seed</dt><dd>20250601</dd>",
		"<dt>Young people</dt><dd>6</dd>",
		"<dt>Policy</dt><dd>" + f.Policy + "</dd>",
		"<dt>Waiting-time spread</dt><dd>0.5 (log-normal sigma)</dd>",
		"<dt>Input file</dt><dd>cohort.csv</dd>",
		`<dt>Input file SHA-256</dt><dd><code class="sum">` + in.SHA256 + "</code></dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("assumptions: no %q", want)
		}
	}

	// Every value in force at some time from the start to 31 March of the
	// last year, and no other.
	from, last := f.Options.From, sim.NewDate(f.FirstYear+f.Options.Years, 3, 31)
	var want []string
	var unconfirmed []sim.Param
	for _, v := range in.Policy.Params() {
		if v.From.After(last) || (!v.To.IsZero() && v.To.Before(from)) {
			continue
		}
		want = append(want, v.Key+"/"+v.From.String())
		if v.Unconfirmed {
			unconfirmed = append(unconfirmed, v)
		}
	}
	values := pageTables(t, page)["dashboard_values"]
	if !slices.Equal(values.keys, want) {
		t.Errorf("policy values: got %q, want %q", values.keys, want)
	}
	if len(unconfirmed) == 0 {
		t.Fatal("the built-in policy has no unconfirmed value to footnote")
	}
	for i, v := range unconfirmed {
		n := i + 1
		cells := values.rows[v.Key+"/"+v.From.String()]
		if len(cells) == 0 || !strings.Contains(cells[0], "unconfirmed") {
			t.Errorf("%s: not marked unconfirmed: %q", v.Key, cells)
		}
		for _, s := range []string{
			`<a href="#note-` + strconv.Itoa(n) + `">` + strconv.Itoa(n) + `</a>`,
			`<li id="note-` + strconv.Itoa(n) + `"><code>` + v.Key + `</code>`,
		} {
			if !strings.Contains(page, s) {
				t.Errorf("%s: no %q", v.Key, s)
			}
		}
	}
	if got := strings.Count(page, `<li id="note-`); got != len(unconfirmed) {
		t.Errorf("footnotes: got %d, want %d", got, len(unconfirmed))
	}
}

func TestFinanceDashboardPage(t *testing.T) {
	f, in := testForecast(t)
	var b bytes.Buffer
	if err := WriteFinanceDashboard(&b, f, in); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "<script>"+guardScript(echartsJS)+"</script>") {
		t.Error("the chart library is not inlined")
	}
	if m := externalRef.FindString(page); m != "" {
		t.Errorf("refers to another host: %q", m)
	}
	if !strings.Contains(page, `<link rel="icon" href="data:,">`) {
		t.Error("no empty favicon link (the browser would request one)")
	}
	for _, id := range []string{dashNetCostID, dashGapID, dashCategoriesID, dashPayersID, dashPlacementID, dashBedNightsID, dashStatusID, dashAgesID} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no chart with ID %s", id)
		}
		// A table says the same as each chart, straight after it.
		i := strings.Index(page, `id="`+id+`"`)
		if j := strings.Index(page[i:], "<table"); j < 0 || !strings.HasPrefix(page[i+j:], `<table id="`+id+`_table"`) {
			t.Errorf("chart %s is not followed by its table", id)
		}
	}
	if strings.Contains(page, "ZgotmplZ") {
		t.Error("the template rejected a value as unsafe (ZgotmplZ)")
	}
	if strings.Contains(page, "go-echarts") {
		t.Error("the page names go-echarts' default page title or assets host")
	}
	for _, want := range []string{
		`"stackStrategy":"all"`, // a fan of negative amounts stacks from the P10, not from zero
		"It is the same figure as the net cost above",
		"@media print",
		`"aria":{"enabled":true`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page has no %q", want)
		}
	}
	noPeople(t, "dashboard", page)
}

func TestFinanceDashboardErrors(t *testing.T) {
	f, in := testForecast(t)
	other := scenarios.DefaultPolicy()
	renamed := *f
	renamed.Policy = "another"
	missing := *f
	missing.Rows = slices.DeleteFunc(slices.Clone(f.Rows), func(r sim.ForecastRow) bool {
		return r.Year == f.FirstYear+1 && r.Payer == sim.DWP && r.Category == sim.CatUniversalCredit
	})
	noHeads := *f
	noHeads.Heads = slices.DeleteFunc(slices.Clone(f.Heads), func(h sim.HeadCount) bool {
		return h.Year == f.FirstYear+2 && h.By == "age" && h.Group == "21_24"
	})
	none := *f
	none.Options.Years = 0
	tests := []struct {
		name string
		f    *sim.Forecast
		in   ForecastInput
		want string
	}{
		{"no policy", f, ForecastInput{File: in.File, SHA256: in.SHA256}, "forecast input has no policy"},
		{"another policy", &renamed, ForecastInput{Policy: other}, `policy "` + other.Name + `" given for a forecast run under policy "another"`},
		{"a row missing", &missing, in, "forecast has no row for 2026-27 dwp universal_credit"},
		{"a head-count missing", &noHeads, in, "forecast has no head-count for 2027-28 age 21_24"},
		{"no year", &none, in, "forecast has no financial year"},
		{"no forecast", nil, in, "no forecast given"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := WriteFinanceDashboard(&b, tt.f, tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got error %v, want %q", tt.name, err, tt.want)
		}
	}
}

// The page names the outcome priors the cohort's decisions are drawn from,
// exactly: with a row for Afghanistan from 1 Jan 2025 of 60% refugee
// status, 5% HP, 15% UASC leave and 20% refused, the pending Afghan young
// person's decisions (all after the start, 1 Jun 2025) are drawn from it.
func TestFinanceDashboardPriors(t *testing.T) {
	overlay := `name = "afg test"
[[source]]
id = "T1"
title = "A test row"
url = "https://www.gov.uk/"
[[prior]]
nationality = "AFG"
from = 2025-01-01
refugee_status = "0.6"
humanitarian_protection = "0.05"
uasc_leave = "0.15"
refused = "0.2"
period = "2024 Q4"
decisions = 1234
source = "T1"
confidence = "L"
`
	p, err := scenarios.LoadPolicy(scenarios.DefaultPolicy(), strings.NewReader(overlay), "afg.toml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sim.RunForecast(testCohort(t), p, sim.ForecastOptions{
		From: mustDay(t, "2025-06-01"), Years: testYears, Draws: 20, Seed: testSeed, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeFinanceDashboard(&b, f, ForecastInput{File: "cohort.csv", Policy: p}, small); err != nil {
		t.Fatal(err)
	}
	tables := pageTables(t, b.String())
	priors, ok := tables["dashboard_priors"]
	if !ok {
		t.Fatal("the page has no table of priors")
	}
	if _, ok := tables["dashboard_scenario_priors"]; ok {
		t.Error("a single forecast shows a scenario's priors")
	}
	var afg []string
	for _, cells := range priors.rows {
		if len(cells) > 0 && cells[0] == "Afghanistan (AFG)" {
			afg = cells
		}
	}
	want := []string{"Afghanistan (AFG)", "2025-01-01", "–", "60.00%", "5.00%", "15.00%", "20.00%", "1,234"}
	if len(afg) < len(want)+1 || !slices.Equal(afg[:len(want)], want) {
		t.Fatalf("Afghanistan's row: got %q, want %q and the period", afg, want)
	}
	if !strings.Contains(afg[len(want)], "2024 Q4") || !strings.Contains(afg[len(want)], "A test row") || !strings.Contains(afg[len(want)], "confidence L") {
		t.Errorf("Afghanistan's row does not name its period, source and confidence: %q", afg[len(want)])
	}
}
