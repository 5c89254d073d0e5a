package sim

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// shardCohort is a small cohort of every kind of row: pending claims,
// grants, refusals, a row entering later and one over 25.
func shardCohort(t *testing.T) []Case {
	var out []Case
	for i, s := range []struct {
		dob    string
		status Status
		dec    string
	}{
		{"2009-02-11", Pending, ""}, {"2008-03-10", Pending, ""}, {"2007-05-01", StatusUASCLeave, "2024-01-10"},
		{"2006-07-14", StatusRefugee, "2024-05-20"}, {"2006-01-30", StatusRefused, "2025-02-01"},
		{"2005-11-02", StatusARE, "2024-03-03"}, {"1998-01-01", StatusRefugee, "2015-01-01"},
		{"2010-09-09", Pending, ""}, {"2008-12-31", StatusHumanitarianProtection, "2024-10-10"},
	} {
		c := newCase(t, s.dob, "AFG", s.status, s.dec)
		c.ID = fmt.Sprintf("S-%02d", i)
		out = append(out, c)
	}
	out[7].Care.LookedAfterSince = mustDate(t, "2026-01-15") // enters later
	out[7].Asylum.ClaimDate = mustDate(t, "2026-01-20")
	return out
}

// The shards of a forecast, merged, are the whole forecast: for N = 1, 3
// and 7, with arrivals, every output the forecast has is the same.
func TestShardsMergeToTheWholeForecast(t *testing.T) {
	cohort := shardCohort(t)
	p := testPolicy(t)
	opts := ForecastOptions{From: mustDate(t, "2025-06-01"), Years: 5, Draws: 60, Seed: 5, Workers: 2, Arrivals: testArrivals("6")}
	whole, err := RunForecast(cohort, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Arrivals) == 0 || len(whole.Persons) != 8 {
		t.Fatalf("the test wants arrivals and 8 young people (one is over 25): got %d arrival years, %d people", len(whole.Arrivals), len(whole.Persons))
	}
	for _, n := range []int{1, 3, 7} {
		var parts []*ForecastPart
		var names []string
		people := 0
		for k := n; k >= 1; k-- { // any order
			o := opts
			o.Shard = Shard{k, n}
			o.Workers = 1 + k%2
			pt, err := RunForecastPart(cohort, p, o)
			if err != nil {
				t.Fatal(err)
			}
			people += len(pt.Sums.Persons)
			parts = append(parts, pt)
			names = append(names, fmt.Sprintf("part-%d", k))
		}
		if people != len(whole.Persons) {
			t.Errorf("N=%d: the shards sampled %d young people between them, want %d, each once", n, people, len(whole.Persons))
		}
		merged, err := MergeForecast(p, opts, parts, names)
		if err != nil {
			t.Fatal(err)
		}
		merged.Options.Workers = whole.Options.Workers
		if !reflect.DeepEqual(merged, whole) {
			t.Errorf("N=%d: the merged forecast differs from the whole run", n)
		}
	}
}

// Every arrival and young person falls in exactly one shard.
func TestShardOfCoversEachIDOnce(t *testing.T) {
	for _, n := range []int{1, 2, 7} {
		counts := make([]int, n+1)
		for i := range 2000 {
			id := fmt.Sprintf("ARRIVAL-2026-27-%04d", i+1)
			in := 0
			for k := 1; k <= n; k++ {
				if (Shard{k, n}).Has(9, id) {
					in++
					counts[k]++
				}
			}
			if in != 1 {
				t.Fatalf("%s is in %d of %d shards, want 1", id, in, n)
			}
		}
		// A hash spreads 2000 ids evenly: each shard within a third of its share.
		for k := 1; k <= n; k++ {
			if share := 2000 / n; counts[k] < share*2/3 || counts[k] > share*4/3 {
				t.Errorf("N=%d: shard %d has %d of 2000 ids, want about %d", n, k, counts[k], share)
			}
		}
	}
}

// A merge refuses parts that are not every shard of one run, once.
func TestMergeRefusesPartsOfOtherRuns(t *testing.T) {
	cohort := shardCohort(t)
	p := testPolicy(t)
	opts := ForecastOptions{From: mustDate(t, "2025-06-01"), Years: 3, Draws: 10, Seed: 5}
	part := func(k, n int, o ForecastOptions, c []Case) *ForecastPart {
		o.Shard = Shard{k, n}
		pt, err := RunForecastPart(c, p, o)
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	p13, p23, p33 := part(1, 3, opts, cohort), part(2, 3, opts, cohort), part(3, 3, opts, cohort)
	other := opts
	other.Draws = 11
	for _, tc := range []struct {
		name  string
		parts []*ForecastPart
		want  string
	}{
		{"missing", []*ForecastPart{p13, p33}, "shard 2 of 3 missing"},
		{"twice", []*ForecastPart{p13, p23, p23, p33}, "b and c are both shard 2/3"},
		{"other split", []*ForecastPart{p13, p23, part(3, 4, opts, cohort)}, "c: shard 3/4, but a is shard 1/3"},
		{"other cohort", []*ForecastPart{p13, p23, part(3, 3, opts, cohort[:5])}, "c: its cohort counts differ from a's"},
		// 11 draws × 3 years × 15 categories, against 10 × 3 × 15.
		{"other draws", []*ForecastPart{p13, p23, part(3, 3, other, cohort)}, "c: totals has 495 values, want 450"},
	} {
		_, err := MergeForecast(p, opts, tc.parts, []string{"a", "b", "c", "d"}[:len(tc.parts)])
		var me *MergeError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a MergeError containing %q", tc.name, err, tc.want)
		}
	}
}
