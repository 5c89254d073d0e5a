package sim

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func noSpread(t *testing.T) Param {
	return Param{Key: "wait.spread", From: mustDate(t, "2000-01-01"), Value: dec("0"), Unit: Ratio, Source: "test"}
}

// forecastFor runs a forecast covering the young person's whole plan.
func forecastFor(t *testing.T, cohort []Case, p *Policy, from string, draws, workers int) *Forecast {
	t.Helper()
	f, err := RunForecast(cohort, p, ForecastOptions{From: mustDate(t, from), Years: 10, Draws: draws, Seed: 7, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func row(f *Forecast, year int, c Category) ForecastRow {
	for _, r := range f.Rows {
		if r.Year == year && r.Category == c {
			return r
		}
	}
	return ForecastRow{}
}

// With one path, every draw is that path: the forecast is the plan exactly.
func TestForecastOnePathIsThePlan(t *testing.T) {
	c := newCase(t, "2006-07-14", "XXX", StatusRefugee, "2024-05-20")
	p := testPolicy(t, noSpread(t))
	plan, err := NewPlan(c, p, mustDate(t, "2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	f := forecastFor(t, []Case{c}, p, "2025-06-01", 50, 2)
	if len(plan.Expected) == 0 {
		t.Fatal("plan has no money")
	}
	for _, e := range plan.Expected {
		r := row(f, e.Year, e.Category)
		if !r.Mean.Equal(e.Amount) || !r.P10.Equal(e.Amount) || !r.P90.Equal(e.Amount) {
			t.Errorf("%s %s: forecast mean %s P10 %s P90 %s, plan %s", FinancialYearLabel(e.Year), e.Category, r.Mean, r.P10, r.P90, e.Amount)
		}
	}
}

// With many paths, the mean of the draws approaches the plan's expected
// values: within 4 standard errors (σ/√N from the plan's own paths), plus a
// penny for rounding.
func TestForecastMeanMatchesPlanExpected(t *testing.T) {
	c := newCase(t, "2008-03-10", "XXX", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	meanMatchesPlan(t, c, testPolicy(t, noSpread(t)), "2025-06-01")
}

// The same with dated priors across periods: the first decision, 15 Aug
// 2024, takes the Asia Central row (Afghanistan has none for 2024 Q3); the
// decisions after it (extensions from 2025, fresh claims) take
// Afghanistan's 2025 row. The sampler's table and the tree must agree on
// every one.
func TestForecastMeanMatchesPlanWithDatedPriors(t *testing.T) {
	c := newCase(t, "2008-03-10", "AFG", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2024-08-15")
	p := policyWith(t, datedPriors(t).Priors(), datedPriors(t).Regions(), nil, noSpread(t))
	plan := meanMatchesPlan(t, c, p, "2024-06-01")
	if len(plan.Priors) < 2 || plan.Priors[0].Basis != BasisRegion || plan.Priors[1].Prior.From.String() != "2025-01-01" {
		t.Errorf("plan priors %+v: want the region's row first, then Afghanistan's 2025 row", plan.Priors)
	}
	f := forecastFor(t, []Case{c}, p, "2024-06-01", 10, 1)
	var got []string
	for _, u := range f.Priors {
		got = append(got, u.Prior.Name()+" from "+fromText(u.Prior.From)+" ("+string(u.Basis)+")")
	}
	// From the start, 1 Jun 2024, to 30 Jun the default applies: a
	// decision drawn then would take it.
	want := []string{"default from the start (all_nationalities)", "region Asia Central from 2024-07-01 (region)", "AFG from 2025-01-01 (nationality)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("forecast priors %v, want %v", got, want)
	}
}

func meanMatchesPlan(t *testing.T, c Case, p *Policy, asOf string) *Plan {
	t.Helper()
	plan, err := NewPlan(c, p, mustDate(t, asOf))
	if err != nil {
		t.Fatal(err)
	}
	const draws = 20000
	f := forecastFor(t, []Case{c}, p, asOf, draws, 2)
	checked := 0
	for _, e := range plan.Expected {
		if e.Year >= f.FirstYear+10 {
			continue
		}
		mu := e.Amount.InexactFloat64()
		variance := 0.0
		for _, b := range plan.Branches {
			x := 0.0
			for _, fr := range b.Funding {
				if fr.Year == e.Year && fr.Category == e.Category {
					x = fr.Amount.InexactFloat64()
				}
			}
			variance += b.Probability.InexactFloat64() * (x - mu) * (x - mu)
		}
		bound := 4*math.Sqrt(variance/draws) + 0.01
		got := row(f, e.Year, e.Category).Mean.InexactFloat64()
		if math.Abs(got-mu) > bound {
			t.Errorf("%s %s: forecast mean %.2f, plan expected %.2f, bound ±%.2f", FinancialYearLabel(e.Year), e.Category, got, mu, bound)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d cells compared", checked)
	}
	return plan
}

func testCohort(t *testing.T) []Case {
	pending := newCase(t, "2008-03-10", "AFG", Pending, "")
	pending.ID = "A"
	uasc := newCase(t, "2009-01-20", "SYR", StatusUASCLeave, "2024-06-01")
	uasc.ID = "B"
	are := newCase(t, "2005-04-22", "IRN", StatusARE, "2025-02-10")
	are.ID = "C"
	refused := newCase(t, "2007-11-02", "ALB", StatusRefused, "2025-05-25")
	refused.ID = "D"
	young := newCase(t, "2011-02-28", "ERI", Pending, "")
	young.ID = "E"
	young.Care.Placement = Residential
	young.Care.LookedAfterSince = mustDate(t, "2024-09-01") // at 13: in care before the forecast starts
	return []Case{pending, uasc, are, refused, young}
}

func TestForecastReproducible(t *testing.T) {
	p := testPolicy(t)
	cohort := testCohort(t)
	one := forecastFor(t, cohort, p, "2025-06-01", 300, 1)
	two := forecastFor(t, cohort, p, "2025-06-01", 300, 2)
	reversed := slices.Clone(cohort)
	slices.Reverse(reversed)
	rev := forecastFor(t, reversed, p, "2025-06-01", 300, 3)
	one.Options.Workers, two.Options.Workers, rev.Options.Workers = 0, 0, 0
	if !reflect.DeepEqual(one, two) {
		t.Error("1 and 2 workers differ")
	}
	if !reflect.DeepEqual(one, rev) {
		t.Error("reordered rows differ")
	}
	other, err := RunForecast(cohort, p, ForecastOptions{From: mustDate(t, "2025-06-01"), Years: 10, Draws: 300, Seed: 8})
	if err != nil {
		t.Fatal(err)
	}
	other.Options = one.Options
	if reflect.DeepEqual(one, other) {
		t.Error("another seed gives the same forecast")
	}
}

func TestForecastPercentilesOrdered(t *testing.T) {
	f := forecastFor(t, testCohort(t), testPolicy(t), "2025-06-01", 500, 2)
	spread := false
	for _, r := range f.Rows {
		if r.P10.GreaterThan(r.P50) || r.P50.GreaterThan(r.P90) {
			t.Errorf("%s %s %s: P10 %s, P50 %s, P90 %s", FinancialYearLabel(r.Year), r.Payer, r.Category, r.P10, r.P50, r.P90)
		}
		if r.P10.LessThan(r.P90) {
			spread = true
		}
		if r.Mean.Exponent() < -2 {
			t.Errorf("mean %s is not whole pence", r.Mean)
		}
	}
	if !spread {
		t.Error("no cell has any spread: the draws do not vary")
	}
	// Head-counts: every young person is in one status group and one age
	// group on each snapshot date.
	for y := f.FirstYear; y < f.FirstYear+10; y++ {
		status, age := decimal.Zero, decimal.Zero
		for _, h := range f.Heads {
			if h.Year != y {
				continue
			}
			if h.By == "status" {
				status = status.Add(h.Mean)
			} else {
				age = age.Add(h.Mean)
			}
		}
		// Each mean is rounded to 2 places: six groups can be 3p out.
		five, tol := decimal.NewFromInt(5), dec("0.03")
		if status.Sub(five).Abs().GreaterThan(tol) || age.Sub(five).Abs().GreaterThan(tol) {
			t.Errorf("%d: head-counts sum to %s by status and %s by age, want 5", y, status, age)
		}
	}
}
