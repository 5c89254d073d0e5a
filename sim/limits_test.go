package sim_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"pathway/scenarios"
	"pathway/sim"
)

// The engine refuses a case dated outside what it plans with, naming the
// field, before it looks up any policy value: a case decided before 2000
// once failed on a missing value, and a case in 2175 once crashed.
func TestEngineDateRange(t *testing.T) {
	p := scenarios.DefaultPolicy()
	base := sim.Case{
		ID: "YP-1", DateOfBirth: sim.NewDate(2008, time.March, 10), Nationality: "AFG",
		Care:   sim.Care{LookedAfterSince: sim.NewDate(2023, time.November, 1), Placement: sim.Foster},
		Asylum: sim.Asylum{ClaimDate: sim.NewDate(2023, time.November, 20), Status: sim.StatusRefused, DecisionDate: sim.NewDate(2025, time.May, 1)},
	}
	asOf := sim.NewDate(2025, time.June, 1)
	if _, err := sim.NewPlan(base, p, asOf); err != nil {
		t.Fatalf("the base case: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(c *sim.Case, asOf *sim.Date)
		field string
	}{
		{"decided in 1995", func(c *sim.Case, _ *sim.Date) { c.Asylum.DecisionDate = sim.NewDate(1995, 9, 1) }, "asylum.decision_date"},
		{"as of 2175", func(_ *sim.Case, a *sim.Date) { *a = sim.NewDate(2175, 6, 1) }, "as_of"},
		{"born in 2158", func(c *sim.Case, _ *sim.Date) { c.DateOfBirth = sim.NewDate(2158, 3, 10) }, "date_of_birth"},
		{"born in 1970", func(c *sim.Case, _ *sim.Date) { c.DateOfBirth = sim.NewDate(1970, 3, 10) }, "date_of_birth"},
		{"departing in 2101", func(c *sim.Case, _ *sim.Date) { c.Return = &sim.Return{Departure: sim.NewDate(2101, 1, 1)} }, "return.departure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, a := base, asOf
			tc.edit(&c, &a)
			_, err := sim.NewPlan(c, p, a)
			var de *sim.DatesError
			if !errors.As(err, &de) || len(de.Problems) != 1 || de.Problems[0].Field != tc.field {
				t.Errorf("got %v, want a DatesError naming %s", err, tc.field)
			}
			_, err = sim.RunForecast([]sim.Case{c}, p, sim.ForecastOptions{From: asOf, Years: 1, Draws: 1})
			if tc.field != "as_of" && !errors.As(err, &de) {
				t.Errorf("forecast: got %v, want a DatesError", err)
			}
		})
	}
}

// The memory estimate counts each worker's per-draw totals: 8 bytes a draw
// for each year and category.
func TestForecastMemory(t *testing.T) {
	opts := sim.ForecastOptions{Draws: 1_000_000, Years: 30}
	cells := int64(30 * len(sim.Categories))
	one := sim.ForecastMemory(opts, 100, 1)
	two := sim.ForecastMemory(opts, 100, 2)
	// A worker holds 8 bytes per draw and cell, and twice a bit per draw
	// for each of 8 modes in each of the 30 years' spans and 9 more.
	want := int64(1_000_000*cells*8 + 2*(1_000_000/8)*8*(30+9))
	if d := two - one; d < want || d > want+1<<20 {
		t.Errorf("a second worker adds %d bytes, want about %d", d, want)
	}
	// Workers beyond the number of young people do nothing and cost nothing.
	if sim.ForecastMemory(opts, 2, 100_000) != sim.ForecastMemory(opts, 2, 2) {
		t.Error("idle workers are counted")
	}
}

// The mean over draws is exact however large the sum of the draws.
func TestForecastMeanDoesNotOverflow(t *testing.T) {
	big := make([]int64, 4)
	for i := range big {
		big[i] = math.MaxInt64 - 1 // £92 million million a draw
	}
	if got, want := sim.MeanPence(big).String(), "92233720368547758.06"; got != want {
		t.Errorf("mean %s, want %s", got, want)
	}
	if got := sim.MeanPence([]int64{-101, 0, 0}).String(); got != "-0.34" {
		t.Errorf("mean of -£1.01, 0, 0 is %s, want -0.34", got)
	}
}

// A forecast is refused, as bad input, when its sums could overflow: with
// the built-in policy that takes billions of young people.
func TestForecastSumsBound(t *testing.T) {
	p := scenarios.DefaultPolicy()
	if err := sim.CheckSums(p, 20_000, 1000); err != nil {
		t.Errorf("20,000 young people: %v", err)
	}
	var be sim.BoundsError
	if err := sim.CheckSums(p, 10_000_000_000, 1); !errors.As(err, &be) {
		t.Errorf("ten billion young people: got %v, want a BoundsError", err)
	}
}
