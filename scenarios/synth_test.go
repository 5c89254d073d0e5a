package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"pathway/sim"
)

func synthCSV(t *testing.T, n int, seed uint64, asOf sim.Date) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCohort(&b, Synth(n, seed, asOf)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSynthDeterministic(t *testing.T) {
	a, b := synthCSV(t, 500, 7, jun2025), synthCSV(t, 500, 7, jun2025)
	if a != b {
		t.Error("the same seed gave two cohorts")
	}
	if c := synthCSV(t, 500, 8, jun2025); c == a {
		t.Error("seeds 7 and 8 gave the same cohort")
	}
	// A longer cohort begins with the shorter one.
	if long := synthCSV(t, 600, 7, jun2025); !strings.HasPrefix(long, a) {
		t.Error("the first 500 of 600 differ from a cohort of 500")
	}
	if cs := Synth(0, 1, jun2025); len(cs) != 0 {
		t.Errorf("Synth(0) gave %d cases", len(cs))
	}
}

func TestSynthValid(t *testing.T) {
	for _, asOf := range []sim.Date{jun2025, sim.NewDate(2024, time.February, 29), sim.NewDate(2014, time.March, 31), sim.NewDate(2031, time.January, 1)} {
		cs := Synth(3000, 3, asOf)
		for i, c := range cs {
			if want := fmt.Sprintf("SYN-%06d", i+1); c.ID != want {
				t.Fatalf("case %d has id %s, want %s", i, c.ID, want)
			}
			if ps := checkCase(c, asOf); len(ps) > 0 {
				t.Fatalf("as of %s, %s breaks the cohort rules: %v", asOf, c.ID, ps)
			}
		}
		var b bytes.Buffer
		if err := WriteCohort(&b, cs); err != nil {
			t.Fatal(err)
		}
		got, err := ReadCohort(&b, "synth.csv", asOf)
		if err != nil {
			t.Fatalf("as of %s: %v", asOf, err)
		}
		for i := range cs {
			if d := caseDiff(got[i], cs[i]); d != "" {
				t.Fatalf("as of %s, %s read back: %s", asOf, cs[i].ID, d)
			}
		}
	}
}

// TestSynthMix checks a large cohort against the mix documented in synth.go.
func TestSynthMix(t *testing.T) {
	const n = 20000
	cs := Synth(n, 1, jun2025)
	share := func(f func(sim.Case) bool) float64 {
		k := 0
		for _, c := range cs {
			if f(c) {
				k++
			}
		}
		return float64(k) / n
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.3f, want %.3f ± %.3f", what, got, want, tol)
		}
	}
	for nat, want := range map[string]float64{"AFG": 0.20, "IRN": 0.18, "SDN": 0.13, "ERI": 0.11, "VNM": 0.07, "ALB": 0.07, "IRQ": 0.09, "SYR": 0.06} {
		near("share "+nat, share(func(c sim.Case) bool { return c.Nationality == nat }), want, 0.015)
	}
	age := func(c sim.Case) int { return c.DateOfBirth.AgeOn(jun2025) }
	near("aged 16–20", share(func(c sim.Case) bool { return age(c) >= 16 && age(c) <= 20 }), 0.63, 0.02)
	near("under 18", share(func(c sim.Case) bool { return age(c) < 18 }), 0.28, 0.02)
	near("trafficked", share(func(c sim.Case) bool { return c.Trafficked }), 0.05, 0.01)
	if a := slices.MinFunc(cs, func(x, y sim.Case) int { return age(x) - age(y) }); age(a) != 14 {
		t.Errorf("youngest is %d, want 14", age(a))
	}
	if a := slices.MaxFunc(cs, func(x, y sim.Case) int { return age(x) - age(y) }); age(a) != 24 {
		t.Errorf("oldest is %d, want 24", age(a))
	}

	statuses := map[sim.Status]int{}
	for _, c := range cs {
		a, s := age(c), c.Asylum
		statuses[s.Status]++
		if arrived := c.DateOfBirth.AgeOn(c.Care.LookedAfterSince); arrived < 14 || arrived > 17 {
			t.Fatalf("%s looked after at %d", c.ID, arrived)
		}
		if d := c.Care.LookedAfterSince.DaysUntil(s.ClaimDate); d < 0 || d > 56 {
			t.Fatalf("%s claimed %d days after becoming looked after", c.ID, d)
		}
		switch p := c.Care.Placement; {
		case a < 16 && p != sim.Foster && p != sim.Residential,
			a < 18 && (p == sim.StayingPut || p == sim.Independent),
			a >= 18 && (p == sim.Foster || p == sim.Residential),
			a >= 21 && p == sim.StayingPut:
			t.Fatalf("%s is %d and placed %s", c.ID, a, p)
		}
		switch s.Status {
		case sim.Pending:
			if d := s.ClaimDate.DaysUntil(jun2025); d >= 720 {
				t.Fatalf("%s has waited %d days for a first decision", c.ID, d)
			}
		case sim.StatusUASCLeave:
			if !s.DecisionDate.Before(c.DateOfBirth.AddMonths(210)) {
				t.Fatalf("%s got UASC leave at 17½ or over, on %s", c.ID, s.DecisionDate)
			}
		case sim.StatusSettled:
			if s.ClaimDate.AddMonths(60).After(s.DecisionDate) {
				t.Fatalf("%s settled within 5 years of claiming", c.ID)
			}
		}
	}
	for _, st := range sim.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no case has status %s: %v", st, statuses)
		}
	}
	// Younger people are more often still waiting for a decision.
	pendingShare := func(lo, hi int) float64 {
		k, all := 0, 0
		for _, c := range cs {
			if a := age(c); a >= lo && a <= hi {
				all++
				if c.Asylum.Status == sim.Pending {
					k++
				}
			}
		}
		return float64(k) / float64(all)
	}
	if young, old := pendingShare(14, 16), pendingShare(21, 24); young <= old || young < 0.3 || old > 0.05 {
		t.Errorf("pending at 14–16: %.2f, at 21–24: %.2f; want most of the young waiting, few of the old", young, old)
	}
}
