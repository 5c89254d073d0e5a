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

// The path benchmarks share one young person, the largest sample tree (a
// pending claim seen from its review date), under the built-in policy, in a
// forecast of 10 years. Compare BenchmarkSamplePathWithMoney with
// BenchmarkRandomDraws in the same run: the ratio is what a path costs
// beyond its randomness (README, Performance).
func pathBench(b *testing.B) *sim.DrawBench {
	b.Helper()
	c := benchCase(b, "pending-afg.toml")
	db, err := sim.NewDrawBench(c, scenarios.DefaultPolicy(), sim.ForecastOptions{From: c.ReviewDate, Years: 10, Draws: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkSamplePath is one sampled future (outcomes, waits and
// placements), without money.
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

// BenchmarkSamplePathWithMoney is one sampled future and its money as the
// forecast adds it up: by draw, year and category, and across draws by
// quarter, placement and grant (its share of the once-per-young-person
// sums included).
func BenchmarkSamplePathWithMoney(b *testing.B) { benchDraws(b, false) }

// BenchmarkForecastDraw is one whole draw of the forecast: the path, its
// money, and where the young person is on the first day of each year.
func BenchmarkForecastDraw(b *testing.B) { benchDraws(b, true) }

func benchDraws(b *testing.B, heads bool) {
	db := pathBench(b)
	db.Heads = heads
	b.ReportAllocs()
	d := 0
	for b.Loop() {
		if err := db.Draw(d); err != nil {
			b.Fatal(err)
		}
		d++
	}
}

// BenchmarkRandomDraws is the bare randomness of the same draws: for each of
// 4,096 recorded paths of the young person, as many uniform numbers and
// log-normal waits as that path drew, from the same generators, and the
// placement draws every path takes.
func BenchmarkRandomDraws(b *testing.B) {
	db := pathBench(b)
	counts, err := db.PathDraws(4096)
	if err != nil {
		b.Fatal(err)
	}
	src := rand.NewPCG(1, 2)
	u := rand.New(src)
	norm := distuv.Normal{Mu: 0, Sigma: 1, Src: src}
	life := rand.New(rand.NewPCG(1, 3))
	spread := db.Spread()
	var sink float64
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		c := counts[i%len(counts)]
		i++
		for range c[0] {
			sink += u.Float64()
		}
		for range c[1] {
			sink += math.Round(364 * math.Exp(spread*norm.Rand()))
		}
		for range sim.LifeDraws {
			sink += life.Float64()
		}
	}
	if sink == 0 {
		b.Log(sink)
	}
}
