package sim_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"pathway/scenarios"
	"pathway/sim"
)

func benchCase(b *testing.B, name string) sim.Case {
	b.Helper()
	for _, s := range scenarios.Samples() {
		if s.Name == name {
			c, err := scenarios.ParseCase(bytes.NewReader(s.Data), s.Name, sim.Date{})
			if err != nil {
				b.Fatal(err)
			}
			return c
		}
	}
	b.Fatalf("no sample %s", name)
	return sim.Case{}
}

// BenchmarkNewPlan times a whole plan — the tree, the actions and the money
// on every path — for the largest sample tree (a pending claim, 12 paths).
func BenchmarkNewPlan(b *testing.B) {
	c := benchCase(b, "pending-afg.toml")
	p := scenarios.DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.NewPlan(c, p, c.ReviewDate); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpected times the money weighting across a plan's paths.
func BenchmarkExpected(b *testing.B) {
	c := benchCase(b, "pending-afg.toml")
	plan, err := sim.NewPlan(c, scenarios.DefaultPolicy(), c.ReviewDate)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sim.Expected(plan.Branches)
	}
}

// sampleCohort repeats the sample cases under new ids.
func sampleCohort(b *testing.B, n int) []sim.Case {
	var base []sim.Case
	for _, s := range scenarios.Samples() {
		c, err := scenarios.ParseCase(bytes.NewReader(s.Data), s.Name, sim.NewDate(2025, 6, 1))
		if err != nil {
			continue // the 2014 sample is too old to be seen from 2025
		}
		base = append(base, c)
	}
	out := make([]sim.Case, n)
	for i := range out {
		out[i] = base[i%len(base)]
		out[i].ID = fmt.Sprintf("B-%06d", i)
	}
	return out
}

// BenchmarkForecast: 1,000 young people × 100 draws × 10 years; ns/op is
// one whole forecast.
func BenchmarkForecast(b *testing.B) {
	cohort := sampleCohort(b, 1000)
	p := scenarios.DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.RunForecast(cohort, p, sim.ForecastOptions{From: sim.NewDate(2025, 6, 1), Years: 10, Draws: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSamplePath is one sampled future (outcomes and waits), without money.
func BenchmarkSamplePath(b *testing.B) {
	c := benchCase(b, "pending-afg.toml")
	s := sim.NewSampler(c, scenarios.DefaultPolicy(), c.ReviewDate, 1, 0.5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Draw(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRandomDraws is the bare randomness a sampled path needs: a path
// of a pending claim has up to four branching points and three waits, so
// four uniform and three log-normal draws.
func BenchmarkRandomDraws(b *testing.B) {
	src := rand.NewPCG(1, 2)
	u := rand.New(src)
	ln := distuv.LogNormal{Mu: math.Log(52), Sigma: 0.5, Src: src}
	var sink float64
	for b.Loop() {
		sink += u.Float64() + u.Float64() + u.Float64() + u.Float64()
		sink += ln.Rand() + ln.Rand() + ln.Rand()
	}
	_ = sink
}
