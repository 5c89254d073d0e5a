package sim

import (
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
)

func prob(t *testing.T, key, value string) Param {
	return Param{Key: key, From: mustDate(t, "2000-01-01"), Value: dec(value), Unit: Keys[key].Unit, Source: "test"}
}

func runForecast(t *testing.T, cohort []Case, p *Policy, opts ForecastOptions) *Forecast {
	t.Helper()
	if opts.Years == 0 {
		opts.Years = 6
	}
	if opts.Draws == 0 {
		opts.Draws = 400
	}
	if opts.Seed == 0 {
		opts.Seed = 11
	}
	f, err := RunForecast(cohort, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func rowOf(t *testing.T, f *Forecast, year int, payer Payer, c Category) ForecastRow {
	t.Helper()
	for _, r := range f.Rows {
		if r.Year == year && r.Payer == payer && r.Category == c {
			return r
		}
	}
	t.Fatalf("no row %d %s %s", year, payer, c)
	return ForecastRow{}
}

func same(r ForecastRow, v string) bool {
	d := dec(v)
	return r.Mean.Equal(d) && r.P10.Equal(d) && r.P50.Equal(d) && r.P90.Equal(d)
}

// fosterChild is 14 on 1 Jun 2025 (born 1 Jan 2011: 16 on 1 Jan 2027, 18
// on 1 Jan 2029), in foster care since 1 Sep 2024, with refugee status
// from 1 Dec 2024 (leave to 1 Dec 2029): no path leaves before 18.
func fosterChild(t *testing.T) Case {
	c := newCase(t, "2011-01-01", "XXX", StatusRefugee, "2024-12-01")
	c.ID = "FOSTER"
	c.Care.LookedAfterSince = mustDate(t, "2024-09-01")
	c.Asylum.ClaimDate = mustDate(t, "2024-09-05")
	return c
}

func TestStepDownsWidenTheBand(t *testing.T) {
	c := fosterChild(t)
	from := mustDate(t, "2025-06-01")
	stay := runForecast(t, []Case{c}, testPolicy(t), ForecastOptions{From: from})
	move := runForecast(t, []Case{c}, testPolicy(t, prob(t, "placement.step_down_16_17_probability", "1")), ForecastOptions{From: from})
	// 2027-28 has 366 days (29 Feb 2028), all aged 16 to 17. Staying in
	// foster care: 366 × £100 = £36,600 in every draw. Moving to supported
	// accommodation (£150 a day) on a day drawn evenly from 1 Jan 2027 to
	// 31 Dec 2028: between £36,600 and 366 × £150 = £54,900, and spread.
	if r := rowOf(t, stay, 2027, LocalAuthority, CatPlacement); !same(r, "36600") {
		t.Errorf("no step-down: placement 2027-28 %+v, want 36600 in every draw", r)
	}
	r := rowOf(t, move, 2027, LocalAuthority, CatPlacement)
	if r.P10.LessThan(dec("36600")) || r.P90.GreaterThan(dec("54900")) || !r.P10.LessThan(r.P90) {
		t.Errorf("step-down: placement 2027-28 P10 %s, P90 %s; want within 36600–54900 and spread", r.P10, r.P90)
	}
	// Placement moves come from a stream of their own: the asylum paths,
	// and so the Home Office's money, are the same draw for draw.
	for _, r := range stay.Rows {
		if r.Payer != HomeOffice {
			continue
		}
		if m := rowOf(t, move, r.Year, r.Payer, r.Category); !reflect.DeepEqual(m, r) {
			t.Errorf("Home Office %d %s: %+v with step-downs, %+v without", r.Year, r.Category, m, r)
		}
	}
}

func TestMoveAt18(t *testing.T) {
	// Born 1 Mar 2008, in residential care since 1 Sep 2024, refugee status
	// on 1 Feb 2025 (leave to 2030). All leave residential care at 18 for
	// their own tenancy: in 2026-27 (365 days, aged 18 to 19) £10 a day,
	// £3,650, and the council tax discount, £1,095, in every draw.
	c := newCase(t, "2008-03-01", "XXX", StatusRefugee, "2025-02-01")
	c.Care.Placement = Residential
	c.Care.LookedAfterSince = mustDate(t, "2024-09-01")
	f := runForecast(t, []Case{c}, testPolicy(t, prob(t, "placement.at18_independent_probability", "1")), ForecastOptions{From: mustDate(t, "2025-06-01")})
	if r := rowOf(t, f, 2026, LocalAuthority, CatAccommodation); !same(r, "3650") {
		t.Errorf("accommodation 2026-27 %+v, want 3650", r)
	}
	if r := rowOf(t, f, 2026, LocalAuthority, CatCouncilTax); !same(r, "1095") {
		t.Errorf("council tax 2026-27 %+v, want 1095", r)
	}
}

func TestEducationShareDrawn(t *testing.T) {
	// Born 1 Sep 2005, 21 on 1 Sep 2026; refugee status on 1 Jan 2024.
	// With no word on education after 21 and a share of one half, each
	// draw is in education (staffing 366 × £13 = £4,758 in 2027-28) or not
	// (£0): the mean is near £2,379, within 4 standard errors
	// (4 × 2,379 / √400 = £475.80).
	c := newCase(t, "2005-09-01", "XXX", StatusRefugee, "2024-01-01")
	c.LeavingCare.EducationAfter21Unknown = true
	f := runForecast(t, []Case{c}, testPolicy(t, prob(t, "leaving_care.education_after_21_share", "0.5")), ForecastOptions{From: mustDate(t, "2025-06-01")})
	r := rowOf(t, f, 2027, LocalAuthority, CatLeavingCareStaffing)
	if !r.P10.IsZero() || !r.P90.Equal(dec("4758")) || r.Mean.Sub(dec("2379")).Abs().GreaterThan(dec("475.80")) {
		t.Errorf("staffing 2027-28 %+v, want P10 0, P90 4758, mean near 2379", r)
	}
}

func TestRowsEnteringLaterAndOver25(t *testing.T) {
	// Looked after from 1 Jul 2025, a month after the start (claim on 2
	// Jul, refugee status on 1 Aug 2025, a fact known later): the placement
	// from then, 274 days to 31 Mar 2026 (31+31+30+31+30+31+31+28+31): £27,400;
	// social work £5,480; not counted on 1 Jun 2025, counted on 1 Apr 2026.
	c := fosterChild(t)
	c.Care.LookedAfterSince = mustDate(t, "2025-07-01")
	c.Asylum.ClaimDate = mustDate(t, "2025-07-02")
	c.Asylum.DecisionDate = mustDate(t, "2025-08-01")
	old := newCase(t, "2000-01-10", "XXX", StatusRefugee, "2019-03-01")
	old.ID = "OLD" // 25 on 10 Jan 2025: left out
	f := runForecast(t, []Case{old, c}, testPolicy(t), ForecastOptions{From: mustDate(t, "2025-06-01")})
	if r := rowOf(t, f, 2025, LocalAuthority, CatPlacement); !same(r, "27400") {
		t.Errorf("placement 2025-26 %+v, want 27400", r)
	}
	if r := rowOf(t, f, 2025, LocalAuthority, CatSocialWork); !same(r, "5480") {
		t.Errorf("social work 2025-26 %+v, want 5480", r)
	}
	count := func(y int) decimal.Decimal {
		n := decimal.Zero
		for _, h := range f.Heads {
			if h.Year == y && h.By == "status" {
				n = n.Add(h.Mean)
			}
		}
		return n
	}
	if !count(2025).IsZero() || !count(2026).Equal(dec("1")) {
		t.Errorf("head-counts: %s on 1 Jun 2025, %s on 1 Apr 2026; want 0 and 1", count(2025), count(2026))
	}
	want := CohortCounts{Rows: 2, Over25: []string{"OLD"}, EnterLater: 1, EnterAfterEnd: 0, NoNationality: 0}
	if !reflect.DeepEqual(f.Cohort, want) || f.People != 1 || len(f.Persons) != 1 || f.Persons[0].ID != "FOSTER" {
		t.Errorf("cohort %+v, people %d, persons %v; want %+v, 1 person FOSTER", f.Cohort, f.People, f.Persons, want)
	}
}

func TestQuartersPlacementsAndGrants(t *testing.T) {
	// The foster child from 1 Apr 2025, under 16 all year: Q1 (Apr–Jun) 91
	// days, Q2 and Q3 92, Q4 (Jan–Mar) 90, at £100: £9,100, £9,200,
	// £9,200, £9,000, £36,500 in the year; 365 nights in foster care under
	// 16, all of them nights of the UASC grant; one young person in
	// foster care on 1 Apr 2025.
	f := runForecast(t, []Case{fosterChild(t)}, testPolicy(t), ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 2})
	want := []string{"9100", "9200", "9200", "9000"}
	for _, q := range f.Quarters {
		if q.Year == 2025 && q.Category == CatPlacement && !q.Mean.Equal(dec(want[q.Quarter-1])) {
			t.Errorf("2025-26 Q%d placement %s, want %s", q.Quarter, q.Mean, want[q.Quarter-1])
		}
	}
	for _, p := range f.Placement {
		if p.Year != 2025 || p.Placement != Foster {
			continue
		}
		if !p.Cost.Equal(dec("36500")) || !p.Nights[0].Equal(dec("365")) || !p.Heads[0].Equal(dec("1")) {
			t.Errorf("foster 2025-26: cost %s, nights under 16 %s, head-count %s; want 36500, 365, 1", p.Cost, p.Nights[0], p.Heads[0])
		}
	}
	if g := f.Grants[0]; !g.UASCNights.Equal(dec("365")) || !g.CareLeaverWeeks.IsZero() {
		t.Errorf("grants 2025-26: %s nights, %s weeks; want 365, 0", g.UASCNights, g.CareLeaverWeeks)
	}

	// In any forecast, each category's quarters add up to its year, and
	// the placement types to the placement, Staying Put and accommodation
	// money (within a penny a type, each mean being rounded).
	g := runForecast(t, testCohort(t), testPolicy(t, prob(t, "placement.step_down_16_17_probability", "0.5")), ForecastOptions{From: mustDate(t, "2025-06-01")})
	year := map[[2]any]decimal.Decimal{}
	for _, q := range g.Quarters {
		k := [2]any{q.Year, q.Category}
		if q.Payer == LocalAuthority || q.Category != CatTotal {
			year[k] = year[k].Add(q.Mean)
		}
	}
	for _, r := range g.Rows {
		if r.Category == CatTotal || r.Category == CatNetCost {
			continue
		}
		if got := year[[2]any{r.Year, r.Category}]; !got.Equal(r.Mean) {
			t.Errorf("%d %s: quarters add to %s, the year's mean is %s", r.Year, r.Category, got, r.Mean)
		}
	}
	for y := g.FirstYear; y < g.FirstYear+g.Options.Years; y++ {
		types := decimal.Zero
		for _, p := range g.Placement {
			if p.Year == y {
				types = types.Add(p.Cost)
			}
		}
		money := rowOf(t, g, y, LocalAuthority, CatPlacement).Mean.Add(rowOf(t, g, y, LocalAuthority, CatStayingPut).Mean).Add(rowOf(t, g, y, LocalAuthority, CatAccommodation).Mean)
		if types.Sub(money).Abs().GreaterThan(dec("0.07")) {
			t.Errorf("%d: placement types add to %s, placement, Staying Put and accommodation to %s", y, types, money)
		}
	}
}

func TestPoissonQuantile(t *testing.T) {
	// Poisson(3): P(0) = e^-3 = 0.0498, P(≤1) = 0.1991, P(≤2) = 0.4232,
	// P(≤3) = 0.6472, P(≤7) = 0.9881, P(≤8) = 0.9962.
	for _, tc := range []struct {
		u    float64
		want int
	}{{0.04, 0}, {0.05, 1}, {0.5, 3}, {0.99, 8}} {
		if got := poissonQuantile(3, tc.u); got != tc.want {
			t.Errorf("Poisson(3) quantile %v = %d, want %d", tc.u, got, tc.want)
		}
	}
	if got := poissonQuantile(0, 0.9); got != 0 {
		t.Errorf("Poisson(0) = %d, want 0", got)
	}
}

func testArrivals(perYear string) *Arrivals {
	return &Arrivals{
		PerYear:       dec(perYear),
		Ages:          []Weight[int]{{16, dec("1")}},
		Nationalities: []Weight[string]{{"XXX", dec("1")}},
		Under16:       []Weight[Placement]{{Foster, dec("1")}},
		From16:        []Weight[Placement]{{SemiIndependent, dec("1")}},
	}
}

func TestArrivals(t *testing.T) {
	cohort := []Case{fosterChild(t)}
	p := testPolicy(t)
	closed := runForecast(t, cohort, p, ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 2})
	if !closed.Closed() || closed.Arrivals != nil {
		t.Errorf("no arrivals assumed: closed %v, arrivals %v", closed.Closed(), closed.Arrivals)
	}
	var done atomic.Int64
	open := runForecast(t, cohort, p, ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 2, Draws: 500, Arrivals: testArrivals("10"), Workers: 1, Done: &done})
	if done.Load() != 1 {
		t.Errorf("progress counted %d, want the cohort's one young person", done.Load())
	}
	again := runForecast(t, cohort, p, ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 2, Draws: 500, Arrivals: testArrivals("10"), Workers: 2})
	again.Options.Workers = 1
	if !reflect.DeepEqual(open, again) {
		t.Error("arrivals differ on 1 and 2 workers")
	}
	a := open.Arrivals[0]
	// 10 a year; the mean of 500 draws within 4 standard errors,
	// 4 × √(10 / 500) = 0.57.
	if !a.Expected.Equal(dec("10")) || a.Mean.Sub(dec("10")).Abs().GreaterThan(dec("0.57")) || a.P10 >= a.P90 {
		t.Errorf("arrivals 2025-26 %+v, want 10 expected, a mean near 10 and a spread", a)
	}
	// They cost the authority, and widen the band.
	c, o := rowOf(t, closed, 2025, LocalAuthority, CatTotal), rowOf(t, open, 2025, LocalAuthority, CatTotal)
	if !o.Mean.GreaterThan(c.Mean) || !o.P10.LessThan(o.P90) {
		t.Errorf("authority total 2025-26: %+v open, %+v closed", o, c)
	}
	// Every arrival of 2025-26 is in on 1 Apr 2026: the head-counts by
	// status add up to the one child and the mean number arrived.
	n := decimal.Zero
	for _, h := range open.Heads {
		if h.Year == 2026 && h.By == "status" {
			n = n.Add(h.Mean)
		}
	}
	if n.Sub(a.Mean.Add(dec("1"))).Abs().GreaterThan(dec("0.03")) {
		t.Errorf("head-counts on 1 Apr 2026 add to %s, want 1 + %s", n, a.Mean)
	}

	// From 1 Oct, the part year: 10 × 182 / 365 = 4.986… = 4.99.
	part := runForecast(t, cohort, p, ForecastOptions{From: mustDate(t, "2025-10-01"), Years: 2, Arrivals: testArrivals("10")})
	if got := part.Arrivals[0].Expected; !got.Equal(dec("4.99")) {
		t.Errorf("part year: %s expected, want 4.99", got)
	}
	// Extra arrivals add to the number: 5 + 20.
	extra := testArrivals("5")
	extra.Extra = dec("20")
	if got := runForecast(t, cohort, p, ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 1, Arrivals: extra}).Arrivals[0].Expected; !got.Equal(dec("25")) {
		t.Errorf("5 and 20 extra: %s expected, want 25", got)
	}
	// Held at the transfer scheme's share: 0.1% of 20,000 children is 20;
	// arriving at 16, each stays in care 1.5 years on average, so 20 / 1.5 =
	// 13.33 a year hold the number; in the first year also the gap from the
	// one child looked after on the start date, 19: 32.33.
	hold := testArrivals("0")
	hold.HoldAtShare = true
	h := runForecast(t, cohort, testPolicy(t, prob(t, "local.child_population", "20000")), ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 2, Arrivals: hold})
	if !h.Arrivals[0].Expected.Equal(dec("32.33")) || !h.Arrivals[1].Expected.Equal(dec("13.33")) || h.Arrivals[0].HoldTarget != 20 {
		t.Errorf("held at the share: %+v, want 32.33 then 13.33, target 20", h.Arrivals)
	}
	if _, err := RunForecast(cohort, p, ForecastOptions{From: mustDate(t, "2025-04-01"), Years: 1, Draws: 10, Arrivals: hold}); err == nil {
		t.Error("arrivals held at the share with no child population: no error")
	}
}

func TestDifferenceOfAKnownRise(t *testing.T) {
	// Social work up by £7 a week (£1 a day): the foster child, looked
	// after from 1 Jun 2025 to 31 Mar 2026, 304 days, costs £304 more in
	// every draw, and nothing else changes.
	c := fosterChild(t)
	from := mustDate(t, "2025-06-01")
	base := runForecast(t, []Case{c}, testPolicy(t), ForecastOptions{From: from})
	up := runForecast(t, []Case{c}, testPolicy(t, prob(t, "local.social_work_week", "147")), ForecastOptions{From: from})
	diff, err := Difference(base, up)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range diff {
		want := "0"
		if r.Year == 2025 && r.Payer == LocalAuthority && (r.Category == CatSocialWork || r.Category == CatTotal || r.Category == CatNetCost) {
			want = "304"
		}
		if r.Year > 2025 && r.Year < 2029 && r.Payer == LocalAuthority && (r.Category == CatSocialWork || r.Category == CatTotal || r.Category == CatNetCost) {
			continue // worked below
		}
		if !same(r, want) {
			t.Errorf("difference %d %s %s: %+v, want %s", r.Year, r.Payer, r.Category, r, want)
		}
	}
	// 2026-27: 365 days; 2027-28: 366; 2028-29 to the 18th birthday, 1 Apr
	// to 31 Dec 2028: 275.
	for y, want := range map[int]string{2026: "365", 2027: "366", 2028: "275"} {
		for _, r := range diff {
			if r.Year == y && r.Payer == LocalAuthority && r.Category == CatSocialWork && !same(r, want) {
				t.Errorf("difference %d social work %+v, want %s", y, r, want)
			}
		}
	}
	if _, err := Difference(base, runForecast(t, []Case{c}, testPolicy(t), ForecastOptions{From: from, Years: 2})); err == nil {
		t.Error("forecasts of different years: no error")
	}
}

// The bound on a forecast's exact sums counts the places arrivals can take
// and the draws. With a nightly rate of £5 trillion (500 trillion pence), a
// young person's year in one category is at most 366 × 5×10^14 =
// 1.83×10^17 pence (the test policy's one-off amounts add under 10^9). A
// draw's totals, payer totals and net cost (2 × 15 + 2 of them) for one
// young person stay under 2^63 − 1 ≈ 9.22×10^18 (5.86×10^18); for two they
// do not (1.17×10^19). Summed across draws, one young person's year fits
// 50 draws (9.15×10^18) but not 60 (1.10×10^19).
func TestSumsBoundCountsArrivalsAndDraws(t *testing.T) {
	p := testPolicy(t, prob(t, "home_office.uasc_under16_night", "5000000000000"))
	cohort := []Case{fosterChild(t)}
	from := mustDate(t, "2025-04-01")
	var be BoundsError
	if _, err := RunForecast(cohort, p, ForecastOptions{From: from, Years: 1, Draws: 1}); err != nil {
		t.Errorf("one young person, one draw: %v", err)
	}
	if _, err := RunForecast(cohort, p, ForecastOptions{From: from, Years: 1, Draws: 1, Arrivals: testArrivals("10")}); !errors.As(err, &be) {
		t.Errorf("with arrivals: got %v, want a BoundsError", err)
	}
	if _, err := RunForecast(cohort, p, ForecastOptions{From: from, Years: 1, Draws: 60}); !errors.As(err, &be) {
		t.Errorf("60 draws: got %v, want a BoundsError", err)
	}
	f, err := RunForecast(cohort, p, ForecastOptions{From: from, Years: 1, Draws: 50, Seed: 3})
	if err != nil {
		t.Fatalf("50 draws: %v", err)
	}
	// The child is 14 and in foster care all year: every night of the
	// 2025-26 year (1 April 2025 to 31 March 2026: 365 nights) at the rate.
	want := decimal.New(5_000_000_000_000*365, 0)
	if got := rowOf(t, f, 2025, HomeOffice, CatUASCGrant); !got.Mean.Equal(want) || !got.P10.Equal(want) {
		t.Errorf("the UASC grant: mean %s, P10 %s; want %s (no sum wrapped round)", got.Mean, got.P10, want)
	}
}

// A forecast assumes at most MaxArrivalsPerYear arrivals in a year, however
// the number is reached: a number a year, or as many as hold the transfer
// scheme's share of a child population. 0.1 % of 20 million is a target of
// 20,000; arriving at 16, each stays 1.5 years on average (as in
// TestArrivals), so 20,000 / 1.5 = 13,333.33 a year, and in the first year
// also the gap to the target from a cohort of one, 19,999: 33,332.33.
func TestArrivalsBound(t *testing.T) {
	cohort := []Case{fosterChild(t)}
	from := mustDate(t, "2025-04-01")
	var be BoundsError
	if _, err := RunForecast(cohort, testPolicy(t), ForecastOptions{From: from, Years: 1, Draws: 2, Arrivals: testArrivals("10000")}); err != nil {
		t.Errorf("10,000 a year: %v", err)
	}
	if _, err := RunForecast(cohort, testPolicy(t), ForecastOptions{From: from, Years: 1, Draws: 2, Arrivals: testArrivals("10000.01")}); !errors.As(err, &be) {
		t.Errorf("10,000.01 a year: got %v, want a BoundsError", err)
	}
	hold := testArrivals("0")
	hold.HoldAtShare = true
	p := testPolicy(t, prob(t, "local.child_population", "20000000"))
	if _, err := RunForecast(cohort, p, ForecastOptions{From: from, Years: 1, Draws: 2, Arrivals: hold}); !errors.As(err, &be) {
		t.Errorf("held at the share of 20 million children: got %v, want a BoundsError", err)
	} else if !strings.Contains(err.Error(), "33332.33 expected in 2025-26") {
		t.Errorf("the bound does not say what was expected: %v", err)
	}
}
