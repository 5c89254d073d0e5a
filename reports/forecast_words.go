package reports

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// The sentences a forecast's outputs share, built from the forecast's own
// values: the cohort's statement, what was done with its rows, the higher
// nightly rate's test, the year labels, and which lines rest on
// placeholder values.

// yearLabel names a financial year of a forecast: "2026-27", or "2026-27
// (from 1 Oct)" for a first year the forecast starts part-way through.
func yearLabel(f *sim.Forecast, y int) string {
	l := sim.FinancialYearLabel(y)
	if d := f.PartYear(); !d.IsZero() && y == f.FirstYear {
		l += fmt.Sprintf(" (from %d %s)", d.Day(), d.Month().String()[:3])
	}
	return l
}

func yearLabels(f *sim.Forecast) []string {
	out := make([]string, f.Options.Years)
	for i := range out {
		out[i] = yearLabel(f, f.FirstYear+i)
	}
	return out
}

// closedCohort is what a forecast with no arrivals says where a reader
// starts.
const closedCohort = "closed cohort: no arrivals assumed"

// cohortStatement says whether the forecast assumes arrivals, and how many.
func cohortStatement(f *sim.Forecast) string {
	if f.Closed() {
		return closedCohort
	}
	return "open cohort: arrivals assumed, " + arrivalsSummary(f)
}

// countWords writes a count or a mean without trailing zeros: "20", "13.33".
func countWords(d decimal.Decimal) string { return d.String() }

// arrivalsSummary gives the expected arrivals by year: "20 expected in
// 2026-27 (from 1 Oct), then 20 a year", or each year's when they differ.
func arrivalsSummary(f *sim.Forecast) string {
	as := f.Arrivals
	var b strings.Builder
	fmt.Fprintf(&b, "%s expected in %s", countWords(as[0].Expected), yearLabel(f, as[0].Year))
	same := len(as) > 1
	for _, a := range as[1:] {
		same = same && a.Expected.Equal(as[1].Expected)
	}
	switch {
	case same:
		fmt.Fprintf(&b, ", then %s a year", countWords(as[1].Expected))
	default:
		for _, a := range as[1:] {
			fmt.Fprintf(&b, ", %s in %s", countWords(a.Expected), yearLabel(f, a.Year))
		}
	}
	if t := as[0].HoldTarget; t > 0 {
		fmt.Fprintf(&b, " (as many as hold the UASC in care at the transfer scheme's share of the child population: %d)", t)
	}
	return b.String()
}

// idList writes up to ten ids, and how many more.
func idList(ids []string) string {
	if len(ids) <= 10 {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:10], ", ") + fmt.Sprintf(" and %d more", len(ids)-10)
}

// rows writes "1 row" or "n rows".
func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// cohortNotes says what the forecast did with the cohort file's rows.
func cohortNotes(f *sim.Forecast) []string { return CohortNotes(f.Cohort, f.Options.From) }

// CohortNotes says what a forecast from start does with a cohort file's
// rows: how many young people it has, which rows it leaves out for being 25
// or over, which enter after the start, and how many have no nationality.
// validate says the same of a cohort file as the forecast would.
func CohortNotes(c sim.CohortCounts, start sim.Date) []string {
	out := []string{fmt.Sprintf("%s in the cohort, from %s", peopleWord(c.Rows-len(c.Over25)), rowsWord(c.Rows))}
	if n := len(c.Over25); n > 0 {
		out = append(out, fmt.Sprintf("%s 25 or over on the start date, %s, left out: %s", rowsWord(n), start.Long(), idList(c.Over25)))
	}
	if c.EnterLater > 0 {
		s := fmt.Sprintf("%s looked after from a date after the start, counted from that date", rowsWord(c.EnterLater))
		if c.EnterAfterEnd > 0 {
			s += fmt.Sprintf(" (%d of them only after the forecast ends, so in none of its years)", c.EnterAfterEnd)
		}
		out = append(out, s)
	}
	if c.NoNationality > 0 {
		out = append(out, fmt.Sprintf("%s with no nationality: the all-nationalities prior", peopleWord(c.NoNationality)))
	}
	return out
}

func peopleWord(n int) string {
	if n == 1 {
		return "1 young person"
	}
	return fmt.Sprintf("%d young people", n)
}

// percent writes a share as a percentage: 0.0007 as "0.07%".
func percent(share decimal.Decimal) string {
	return share.Shift(2).String() + "%"
}

// higherRateWords says whether the Home Office's higher nightly rate
// applies, and why, as a sentence.
func higherRateWords(f *sim.Forecast) string {
	h := f.Higher
	if h.ChildPopulation == 0 {
		return "The standard nightly rate applies: the higher rate's test needs the child population (local.child_population), which is not given."
	}
	share := decimal.NewFromInt(h.LookedAfter).Div(decimal.NewFromInt(h.ChildPopulation)).Round(4)
	if h.Applies {
		return fmt.Sprintf("The higher nightly rate applies: the %d UASC in care on %s are %s of a child population of %d, at or over the %s threshold.",
			h.LookedAfter, h.On.Long(), percent(share), h.ChildPopulation, percent(h.Threshold))
	}
	return fmt.Sprintf("The standard nightly rate applies: the %d UASC in care on %s are %s of a child population of %d, under the %s threshold (%d would reach it).",
		h.LookedAfter, h.On.Long(), percent(share), h.ChildPopulation, percent(h.Threshold), h.NeededFor())
}

// upliftWords says how a scenario raises its costs.
func upliftWords(f *sim.Forecast, ups []sim.Uplift) []string {
	var out []string
	for _, u := range ups {
		out = append(out, fmt.Sprintf("%s raised %s%% a year from %s, compounded", u.Key, u.Percent, sim.FinancialYearLabel(f.FirstYear+1)))
	}
	return out
}

// placeholderLine is a money line that rests on a placeholder: a value the
// policy marks unconfirmed, in force during the forecast.
type placeholderLine struct {
	Payer    sim.Payer
	Category sim.Category
	Keys     []string
}

// placeholderLines finds the forecast's lines with money in some year that
// rest on placeholders, and the share of the authority's expected spending
// over the forecast in such lines.
func placeholderLines(f *sim.Forecast, values []sim.Param) (lines []placeholderLine, share decimal.Decimal) {
	unconfirmed := map[string]bool{}
	for _, v := range values {
		if v.Unconfirmed {
			unconfirmed[v.Key] = true
		}
	}
	if !f.Higher.Applies {
		// The higher nightly rate is not paid: its values carry nothing.
		delete(unconfirmed, "home_office.uasc_higher_night")
		delete(unconfirmed, "home_office.higher_rate_share")
	}
	sums := map[sim.Category]decimal.Decimal{}
	total := decimal.Zero
	for _, r := range f.Rows {
		if r.Category != sim.CatTotal && r.Category != sim.CatNetCost {
			sums[r.Category] = sums[r.Category].Add(r.Mean)
			if r.Payer == sim.LocalAuthority {
				total = total.Add(r.Mean)
			}
		}
	}
	rest := decimal.Zero
	for _, pc := range sim.Categories {
		if sums[pc.Category].IsZero() {
			continue
		}
		var keys []string
		for _, k := range sim.CategoryKeys[pc.Category] {
			if unconfirmed[k] {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		slices.Sort(keys)
		lines = append(lines, placeholderLine{pc.Payer, pc.Category, keys})
		if pc.Payer == sim.LocalAuthority {
			rest = rest.Add(sums[pc.Category])
		}
	}
	if total.IsPositive() {
		share = rest.Div(total)
	}
	return lines, share
}

// placeholdersDominate is the share of spending above which the dashboard
// does not offer the mean as a figure to budget with.
var placeholdersDominate = decimal.RequireFromString("0.5")

// WriteForecastNotes writes, for stderr, what a person running a forecast
// should know of it: whether the cohort is closed or what arrivals it
// assumes, and what was done with the cohort file's rows. name labels a
// comparison's forecast ("" for one forecast).
func WriteForecastNotes(w io.Writer, f *sim.Forecast, name string) error {
	prefix := "forecast: "
	if name != "" {
		prefix = "forecast (" + name + "): "
	}
	var b strings.Builder
	b.WriteString(prefix + cohortStatement(f) + "\n")
	for _, n := range cohortNotes(f) {
		b.WriteString(prefix + n + "\n")
	}
	b.WriteString(prefix + higherRateWords(f) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
