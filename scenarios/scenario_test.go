package scenarios

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

const scenarioFile = `name = "growth"

[[value]]
key = "local.social_work_week"
from = 2000-01-01
value = "170.00"
unit = "gbp_per_week"
source = "2026-27 budget book"
confidence = "H"

[arrivals]
per_year = 12
trafficked_share = "0.1"

[arrivals.by_year]
"2027-28" = "30.5"

[arrivals.ages]
"16" = 3
"17" = "1"

[arrivals.nationalities]
AFG = "1"

[arrivals.placements_16_17]
semi_independent = "1"

[[uplift]]
key = "local.placement_week_foster"
percent = "3.0"
`

func TestLoadScenario(t *testing.T) {
	sc, err := LoadScenario(DefaultPolicy(), strings.NewReader(scenarioFile), "growth.toml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "growth" || sc.Policy.Name != "england+growth" {
		t.Errorf("name %q, policy %q; want growth, england+growth", sc.Name, sc.Policy.Name)
	}
	if v, _ := sc.Policy.Lookup("local.social_work_week", jun2025); !v.Value.Equal(dec("170")) {
		t.Errorf("social work %s, want the file's 170", v.Value)
	}
	twelve, tenth := dec("12"), dec("0.1")
	want := &ArrivalsSpec{
		PerYear:       &twelve,
		ByYear:        map[int]decimal.Decimal{2027: dec("30.5")},
		Ages:          []sim.Weight[int]{{Value: 16, Weight: dec("3")}, {Value: 17, Weight: dec("1")}},
		Nationalities: []sim.Weight[string]{{Value: "AFG", Weight: dec("1")}},
		From16:        []sim.Weight[sim.Placement]{{Value: sim.SemiIndependent, Weight: dec("1")}},
		Trafficked:    &tenth,
	}
	if !reflect.DeepEqual(sc.Arrivals, want) {
		t.Errorf("arrivals %+v\nwant %+v", sc.Arrivals, want)
	}
	if !reflect.DeepEqual(sc.Uplifts, []sim.Uplift{{Key: "local.placement_week_foster", Percent: dec("3.0")}}) {
		t.Errorf("uplifts %+v", sc.Uplifts)
	}

	// Over a base of 10 a year from the command line, with the base's
	// mixes: the scenario's 12 a year replaces 10, its single year and
	// mixes replace the base's, and its uplift applies from 2026-27.
	ten := dec("10")
	base, err := NewSetup(DefaultPolicy(), nil, &ten, jun2025, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sc.Over(base, jun2025, 3)
	if err != nil {
		t.Fatal(err)
	}
	a := s.Arrivals
	if !a.PerYear.Equal(twelve) || !a.ByYear[2027].Equal(dec("30.5")) || len(a.Ages) != 2 || len(a.Under16) == 0 || !a.Trafficked.Equal(tenth) {
		t.Errorf("scenario's arrivals %+v", a)
	}
	if v, _ := s.Policy.Lookup("local.placement_week_foster", sim.NewDate(2026, 4, 1)); !v.Value.Equal(dec("1030")) {
		t.Errorf("foster in 2026-27: %s, want 1,000 raised 3%%: 1030", v.Value)
	}
	if !base.Arrivals.PerYear.Equal(ten) || base.Arrivals.ByYear != nil {
		t.Errorf("the base's arrivals changed: %+v", base.Arrivals)
	}
}

// Built-in scenarios load over the built-in policy; arrivals+20 adds twenty
// a year to the base's arrivals, or makes twenty a year of a closed cohort.
func TestNamedScenarios(t *testing.T) {
	names := NamedPolicies()
	if !reflect.DeepEqual(names, []string{"arrivals+20", "core-protection"}) {
		t.Errorf("named scenarios %v", names)
	}
	for _, name := range names {
		b, ok := NamedPolicy(name)
		if !ok {
			t.Fatalf("%s: no file", name)
		}
		if _, err := LoadScenario(DefaultPolicy(), bytes.NewReader(b), name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, _ := NamedPolicy("arrivals+20")
	sc, err := LoadScenario(DefaultPolicy(), bytes.NewReader(b), "arrivals+20")
	if err != nil {
		t.Fatal(err)
	}
	closed, _ := NewSetup(DefaultPolicy(), nil, nil, jun2025, 3)
	if closed.Arrivals.Open() {
		t.Error("a base with no arrivals is open")
	}
	s, _ := sc.Over(closed, jun2025, 3)
	if !s.Arrivals.Open() || !s.Arrivals.PerYear.IsZero() || !s.Arrivals.Extra.Equal(dec("20")) || s.Name != "arrivals+20" {
		t.Errorf("arrivals+20 over a closed cohort: %+v", s.Arrivals)
	}
	five := dec("5")
	open, _ := NewSetup(DefaultPolicy(), nil, &five, jun2025, 3)
	if s, _ := sc.Over(open, jun2025, 3); !s.Arrivals.PerYear.Equal(five) || !s.Arrivals.Extra.Equal(dec("20")) {
		t.Errorf("arrivals+20 over 5 a year: %+v", s.Arrivals)
	}
}

func TestLoadScenarioProblems(t *testing.T) {
	src := `name = "bad"
arrivals = 3

[arrivals]
per_year = 2.5
hold_at_share = true
when = "soon"

[arrivals.by_year]
"2027" = 3

[arrivals.ages]
"19" = "1"

[arrivals.nationalities]
Afghanistan = "1"

[arrivals.placements_under_16]
staying_put = "1"

[[uplift]]
key = "leave.refugee_months"
percent = "3"

[[uplift]]
key = "local.social_work_week"
percent = "-120"
`
	_, err := LoadScenario(DefaultPolicy(), strings.NewReader(src), "bad.toml")
	checkProblems(t, "bad.toml", err, []want{
		{2, "arrivals", "", "a table written [arrivals] or [[uplift]], not a key at the top of the file"},
	}, src)

	src = strings.Replace(src, "arrivals = 3\n", "\n", 1)
	_, err = LoadScenario(DefaultPolicy(), strings.NewReader(src), "bad.toml")
	checkProblems(t, "bad.toml", err, []want{
		{5, "arrivals.per_year", "2.5", "written in quotes (TOML floats are not exact)"},
		{6, "arrivals.hold_at_share", "true", "per_year or hold_at_share, not both"},
		{7, "arrivals.when", "", "unknown key; arrivals allows per_year"},
		{10, "arrivals.by_year", "2027", `a financial year written like "2027-28"`},
		{12, "arrivals.ages", "", "weights that add up to more than 0"},
		{13, "arrivals.ages", "19", "an age on arrival from 0 to 17"},
		{15, "arrivals.nationalities", "", "weights that add up to more than 0"},
		{16, "arrivals.nationalities", "Afghanistan", "an ISO 3166-1 alpha-3 country code"},
		{18, "arrivals.placements_under_16", "", "weights that add up to more than 0"},
		{19, "arrivals.placements_under_16", "staying_put", "a placement on arrival"},
		{22, "uplift.key", "leave.refugee_months", "a key for an amount of money; leave.refugee_months is in months"},
		{27, "uplift.percent", "-120", "a percentage a year in quotes, from above -100 to 100"},
	}, src)

	// Chances of where young people move at 18 that add up to more than 1.
	src = `name = "too-many"
[[value]]
key = "placement.at18_independent_probability"
from = 2000-01-01
value = "0.9"
unit = "probability"
source = "none"
confidence = "L"
`
	_, err = LoadScenario(DefaultPolicy(), strings.NewReader(src), "moves.toml")
	checkProblems(t, "moves.toml", err, []want{
		{2, "placement.at18_supported_lodgings_probability + placement.at18_independent_probability", "1.05", "these add up to 1.05; they must add up to at most 1"},
	}, src)
}

func FuzzLoadScenario(f *testing.F) {
	f.Add(scenarioFile)
	for _, name := range NamedPolicies() {
		b, _ := NamedPolicy(name)
		f.Add(string(b))
	}
	f.Add("name = \"x\"\n[arrivals]\nhold_at_share = true\n[arrivals.ages]\n\"16\" = 1\n")
	f.Add("name = \"x\"\n[[uplift]]\nkey = \"local.social_work_week\"\npercent = \"-99.9\"\n[[value]]\nkey = \"a\"\n")
	f.Add("name = \"\"\"x\n[arrivals]\n\"\"\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := LoadScenario(DefaultPolicy(), strings.NewReader(src), "fuzz.toml")
		if err != nil {
			if ps, ok := err.(Problems); !ok || len(ps) == 0 {
				t.Fatalf("got error %v (%T), want Problems", err, err)
			}
			return
		}
		// A scenario that loads runs over a base.
		base, err := NewSetup(DefaultPolicy(), nil, nil, jun2025, 3)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Over(base, jun2025, 3); err != nil {
			t.Fatalf("a scenario that loaded does not run: %v\n%s", err, src)
		}
	})
}

// Arrivals a year are bounded: more than sim.MaxArrivalsPerYear (10,000,
// above all of England's UASC starting care in a year) is refused with the
// line, key and what is allowed.
func TestScenarioArrivalsBound(t *testing.T) {
	src := `name = "many"

[arrivals]
per_year = 10001
add_per_year = "20000.5"

[arrivals.by_year]
"2027-28" = 10000
"2028-29" = 99999999999
`
	_, err := LoadScenario(DefaultPolicy(), strings.NewReader(src), "many.toml")
	allowed := "a number of young people a year from 0 to 10000"
	checkProblems(t, "many.toml", err, []want{
		{4, "arrivals.per_year", "10001", allowed},
		{5, "arrivals.add_per_year", "20000.5", allowed},
		{9, "arrivals.by_year.2028-29", "99999999999", allowed},
	}, src)
}
