package sim_test

import (
	"bytes"
	"testing"

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
