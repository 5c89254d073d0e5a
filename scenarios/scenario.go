package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"

	"pathway/sim"
)

// A scenario file is a policy file (the override format) that may also set
// arrivals and an annual uplift per cost key (product.md §6b):
//
//	name = "growth"
//	[[value]]                  # as in a policy file
//	...
//	[arrivals]                 # optional; none: as the base
//	per_year = 20              # young people arriving each financial year, or
//	add_per_year = 20          #   as many more than the base assumes, or
//	hold_at_share = true       #   as many as hold UASC in care at the transfer scheme's share
//	trafficked_share = "0.05"  # share referred as trafficked
//	[arrivals.by_year]         # numbers for single years, "2027-28" = 30
//	[arrivals.ages]            # weights of the age on arrival, "16" = "0.35"
//	[arrivals.nationalities]   # weights by ISO 3166-1 alpha-3 code, AFG = "0.2"
//	[arrivals.placements_under_16]  # weights of the placement on arrival
//	[arrivals.placements_16_17]
//	[[uplift]]                 # optional, one per cost key
//	key = "local.placement_week_foster"
//	percent = "3.0"            # each financial year after the first, compounded
//
// Numbers are TOML integers or quoted decimals, never TOML floats.

// Scenario is a scenario file read over a base policy.
type Scenario struct {
	Name     string
	Policy   *sim.Policy // the base with the file's values laid over it
	Arrivals *ArrivalsSpec
	Uplifts  []sim.Uplift
}

// ArrivalsSpec is a scenario's [arrivals] table: what it changes from the
// base's arrivals. Nil fields leave the base's as they are.
type ArrivalsSpec struct {
	PerYear       *decimal.Decimal
	AddPerYear    decimal.Decimal
	HoldAtShare   bool
	ByYear        map[int]decimal.Decimal
	Ages          []sim.Weight[int]
	Nationalities []sim.Weight[string]
	Under16       []sim.Weight[sim.Placement]
	From16        []sim.Weight[sim.Placement]
	Trafficked    *decimal.Decimal
}

// Setup is what a forecast runs with: its name ("base" or a scenario's),
// the policy with uplifts applied, the arrivals (nil: a closed cohort) and
// the uplifts.
type Setup struct {
	Name     string
	Policy   *sim.Policy
	Arrivals *sim.Arrivals
	Uplifts  []sim.Uplift
}

// DefaultArrivals are n arrivals a year with the mixes of synthetic cohorts
// (synth.go: nationalities of UASC claims, S82; ages and placements on
// arrival, assumptions) and 5% referred as trafficked.
func DefaultArrivals(n decimal.Decimal) *sim.Arrivals {
	return &sim.Arrivals{
		PerYear:       n,
		Ages:          weights(synthArrivalAges),
		Nationalities: weights(synthNationalities),
		Under16:       weights(synthPlacementsUnder16),
		From16:        weights(synthPlacements16to17),
		Trafficked:    decimal.New(synthTrafficked, -2),
	}
}

func weights[T any](ws []weighted[T]) []sim.Weight[T] {
	out := make([]sim.Weight[T], len(ws))
	for i, w := range ws {
		out[i] = sim.Weight[T]{Value: w.v, Weight: decimal.NewFromInt(int64(w.w))}
	}
	return out
}

// NewSetup is a forecast's base: policy p (a scenario's, or the built-in
// one) with the uplifts of sc if given, and its arrivals; a number of
// arrivals a year given on the command line replaces the number in sc.
func NewSetup(p *sim.Policy, sc *Scenario, arrivals *decimal.Decimal, from sim.Date, years int) (*Setup, error) {
	s := &Setup{Name: "base", Policy: p}
	if sc != nil {
		s.Policy, s.Uplifts = sc.Policy, sc.Uplifts
		s.Arrivals = sc.Arrivals.over(nil)
	}
	if arrivals != nil {
		if s.Arrivals == nil {
			s.Arrivals = DefaultArrivals(*arrivals)
		}
		s.Arrivals.PerYear, s.Arrivals.HoldAtShare, s.Arrivals.Extra, s.Arrivals.ByYear = *arrivals, false, decimal.Zero, nil
	}
	var err error
	s.Policy, err = sim.Uplifted(s.Policy, s.Uplifts, from.FinancialYear(), years)
	return s, err
}

// Over is the scenario run against a base: its policy (read over the
// base's, uplifts and all) with its own uplifts applied, and its arrivals
// laid over the base's.
func (sc *Scenario) Over(base *Setup, from sim.Date, years int) (*Setup, error) {
	s := &Setup{Name: sc.Name, Arrivals: sc.Arrivals.over(base.Arrivals), Uplifts: append(slices.Clone(base.Uplifts), sc.Uplifts...)}
	var err error
	s.Policy, err = sim.Uplifted(sc.Policy, sc.Uplifts, from.FinancialYear(), years)
	return s, err
}

// over lays the spec over base arrivals (nil: none).
func (a *ArrivalsSpec) over(base *sim.Arrivals) *sim.Arrivals {
	if a == nil {
		return base
	}
	var out sim.Arrivals
	if base != nil {
		out = *base
	} else {
		out = *DefaultArrivals(decimal.Zero)
	}
	switch {
	case a.PerYear != nil:
		out.PerYear, out.HoldAtShare, out.ByYear = *a.PerYear, false, nil
	case a.HoldAtShare:
		out.PerYear, out.HoldAtShare, out.ByYear = decimal.Zero, true, nil
	}
	out.Extra = out.Extra.Add(a.AddPerYear)
	if len(a.ByYear) > 0 {
		out.ByYear = maps.Clone(out.ByYear)
		if out.ByYear == nil {
			out.ByYear = map[int]decimal.Decimal{}
		}
		maps.Copy(out.ByYear, a.ByYear)
	}
	if a.Ages != nil {
		out.Ages = a.Ages
	}
	if a.Nationalities != nil {
		out.Nationalities = a.Nationalities
	}
	if a.Under16 != nil {
		out.Under16 = a.Under16
	}
	if a.From16 != nil {
		out.From16 = a.From16
	}
	if a.Trafficked != nil {
		out.Trafficked = *a.Trafficked
	}
	return &out
}

// LoadScenario reads a scenario file over a base policy: its policy part
// as LoadPolicy reads an override file, its [arrivals] and [[uplift]]
// tables here. Every problem is reported at once with its line.
func LoadScenario(base *sim.Policy, r io.Reader, file string) (*Scenario, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	policyPart, scenarioPart, probs := splitScenario(src, file)
	if err := probs.orNil(); err != nil {
		return nil, err
	}
	p, perr := LoadPolicy(base, bytes.NewReader(policyPart), file)
	sc, sprobs := readScenarioPart(scenarioPart, file)
	if ps, ok := perr.(Problems); ok {
		sprobs = append(sprobs, ps...)
	} else if perr != nil {
		return nil, perr
	}
	if err := sprobs.orNil(); err != nil {
		return nil, err
	}
	sc.Policy = p
	sc.Name = strings.TrimPrefix(p.Name, base.Name+"+")
	return sc, nil
}

// scenarioTables are the tables a scenario file has beyond a policy file's.
var scenarioTables = []string{"arrivals", "uplift"}

var tableHeader = regexp.MustCompile(`^\s*\[\[?\s*([A-Za-z0-9_.+"' -]+?)\s*\]\]?\s*(#.*)?$`)

// splitScenario splits a scenario file into its policy part and its
// scenario tables, each with the other's lines blanked, so that both keep
// the file's line numbers. The tables must be written [arrivals],
// [arrivals.…] and [[uplift]].
func splitScenario(src []byte, file string) (policy, scenario []byte, probs Problems) {
	lines := strings.Split(string(src), "\n")
	var p, s []string
	inScenario := false
	closing := ""
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if closing == "" {
			switch m := tableHeader.FindStringSubmatch(line); {
			case m != nil:
				name := strings.Trim(strings.SplitN(m[1], ".", 2)[0], `"' `)
				inScenario = slices.Contains(scenarioTables, name)
			case !inScenario && t != "" && t[0] != '#':
				if k := policyKeyLine.FindStringSubmatch(line); k != nil && slices.Contains(scenarioTables, strings.Trim(k[1], `"'`)) {
					probs = append(probs, Problem{File: file, Line: i + 1, Key: strings.Trim(k[1], `"'`),
						Allowed: "a table written [arrivals] or [[uplift]], not a key at the top of the file"})
				}
			}
		}
		if inScenario {
			p, s = append(p, ""), append(s, line)
		} else {
			p, s = append(p, line), append(s, "")
		}
		// Track multi-line strings, whose lines are not headers.
		for _, delim := range []string{`"""`, `'''`} {
			if n := strings.Count(line, delim); n%2 == 1 {
				if closing == "" {
					closing = delim
				} else if closing == delim {
					closing = ""
				}
			}
		}
	}
	return []byte(strings.Join(p, "\n")), []byte(strings.Join(s, "\n")), probs
}

// Fields of the scenario tables.
var (
	arrivalsFields = []string{"per_year", "add_per_year", "hold_at_share", "trafficked_share", "by_year", "ages", "nationalities", "placements_under_16", "placements_16_17"}
	upliftFields   = []string{"key", "percent"}
)

// scenarioReader reads the scenario tables and collects problems.
type scenarioReader struct {
	file  string
	lines []string
	probs Problems
}

func (d *scenarioReader) add(line int, key, value, allowed string) {
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Key: key, Value: value, Allowed: allowed})
}

// lineOf finds the line of key in the table whose header is named table
// (the nth such header for an array of tables), or 0.
func (d *scenarioReader) lineOf(table string, nth int, key string) int {
	seen := -1
	in := false
	for i, line := range d.lines {
		if m := tableHeader.FindStringSubmatch(line); m != nil {
			in = strings.Trim(m[1], " ") == table
			if in {
				seen++
				if key == "" && seen == nth {
					return i + 1
				}
			}
			continue
		}
		if in && seen == nth && key != "" {
			if k := policyKeyLine.FindStringSubmatch(line); k != nil && strings.Trim(k[1], `"'`) == key {
				return i + 1
			}
		}
	}
	return 0
}

func readScenarioPart(src []byte, file string) (*Scenario, Problems) {
	d := &scenarioReader{file: file, lines: strings.Split(string(src), "\n")}
	sc := &Scenario{}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		return sc, Problems{syntaxProblem(file, err)}
	}
	for k := range raw {
		if !slices.Contains(scenarioTables, k) {
			d.add(0, k, "", "unknown table")
		}
	}
	if a, ok := raw["arrivals"]; ok {
		if t, ok := a.(map[string]any); ok {
			sc.Arrivals = d.arrivals(t)
		} else {
			d.add(0, "arrivals", "", "a table written [arrivals]")
		}
	}
	if u, ok := raw["uplift"]; ok {
		if ts, ok := u.([]map[string]any); ok {
			seen := map[string]int{}
			for i, t := range ts {
				up, ok := d.uplift(i, t)
				if !ok {
					continue
				}
				if first, dup := seen[up.Key]; dup {
					d.add(d.lineOf("uplift", i, "key"), "uplift.key", up.Key, fmt.Sprintf("one [[uplift]] per key: this one was given on line %d", first))
					continue
				}
				seen[up.Key] = d.lineOf("uplift", i, "key")
				sc.Uplifts = append(sc.Uplifts, up)
			}
		} else {
			d.add(0, "uplift", "", "tables written [[uplift]], one for each cost key")
		}
	}
	return sc, d.probs
}

func (d *scenarioReader) unknown(table string, t map[string]any, known []string, line func(string) int) {
	for _, k := range slices.Sorted(maps.Keys(t)) {
		if !slices.Contains(known, k) {
			allowed := "unknown key"
			if n := nearest(k, known); n != "" {
				allowed += fmt.Sprintf(" (did you mean %s)", n)
			}
			d.add(line(k), table+"."+k, "", allowed+"; "+table+" allows "+strings.Join(known, ", "))
		}
	}
}

var signedDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// number reads a TOML integer or a quoted decimal of 0 or more.
func (d *scenarioReader) number(v any, key string, line int) (decimal.Decimal, bool) {
	const allowed = `a number of 0 or more: a whole number, or a quoted decimal such as "12.5"`
	switch x := v.(type) {
	case int64:
		if x >= 0 {
			return decimal.NewFromInt(x), true
		}
	case string:
		if policyDecimal.MatchString(x) {
			if n, err := decimal.NewFromString(x); err == nil {
				return n, true
			}
		}
	case float64:
		d.add(line, key, policyWritten(v), allowed+`, written in quotes (TOML floats are not exact)`)
		return decimal.Zero, false
	}
	d.add(line, key, policyWritten(v), allowed)
	return decimal.Zero, false
}

// arrivalCount reads a number of arrivals a year: 0 to
// sim.MaxArrivalsPerYear.
func (d *scenarioReader) arrivalCount(v any, key string, line int) (decimal.Decimal, bool) {
	n, ok := d.number(v, key, line)
	if ok && n.GreaterThan(decimal.NewFromInt(sim.MaxArrivalsPerYear)) {
		d.add(line, key, n.String(), fmt.Sprintf("a number of young people a year from 0 to %d", sim.MaxArrivalsPerYear))
		return decimal.Zero, false
	}
	return n, ok
}

func (d *scenarioReader) arrivals(t map[string]any) *ArrivalsSpec {
	a := &ArrivalsSpec{}
	line := func(k string) int {
		if l := d.lineOf("arrivals", 0, k); l > 0 {
			return l
		}
		if l := d.lineOf("arrivals."+k, 0, ""); l > 0 {
			return l
		}
		return d.lineOf("arrivals", 0, "")
	}
	d.unknown("arrivals", t, arrivalsFields, line)
	counted := 0
	if v, ok := t["per_year"]; ok {
		if n, ok := d.arrivalCount(v, "arrivals.per_year", line("per_year")); ok {
			a.PerYear = &n
		}
		counted++
	}
	if v, ok := t["add_per_year"]; ok {
		a.AddPerYear, _ = d.arrivalCount(v, "arrivals.add_per_year", line("add_per_year"))
	}
	if v, ok := t["hold_at_share"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			d.add(line("hold_at_share"), "arrivals.hold_at_share", policyWritten(v), "true or false")
		}
		a.HoldAtShare = b
		if b {
			counted++
		}
	}
	if counted > 1 {
		d.add(line("hold_at_share"), "arrivals.hold_at_share", "true", "per_year or hold_at_share, not both: a number a year, or as many as hold the share")
	}
	if v, ok := t["trafficked_share"]; ok {
		n, ok := d.number(v, "arrivals.trafficked_share", line("trafficked_share"))
		if ok && n.GreaterThan(decimal.NewFromInt(1)) {
			d.add(line("trafficked_share"), "arrivals.trafficked_share", n.String(), "a share from 0 to 1")
		} else if ok {
			a.Trafficked = &n
		}
	}
	table := func(name string) (map[string]any, bool) {
		v, ok := t[name]
		if !ok {
			return nil, false
		}
		m, isTable := v.(map[string]any)
		if !isTable {
			d.add(line(name), "arrivals."+name, policyWritten(v), "a table written [arrivals."+name+"]")
		}
		return m, isTable
	}
	if m, ok := table("by_year"); ok {
		a.ByYear = map[int]decimal.Decimal{}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			y, err := strconv.Atoi(k[:min(4, len(k))])
			if err != nil || len(k) != 7 || sim.FinancialYearLabel(y) != k {
				d.add(d.lineOf("arrivals.by_year", 0, k), "arrivals.by_year", k, `a financial year written like "2027-28"`)
				continue
			}
			if n, ok := d.arrivalCount(m[k], "arrivals.by_year."+k, d.lineOf("arrivals.by_year", 0, k)); ok {
				a.ByYear[y] = n
			}
		}
	}
	if m, ok := table("ages"); ok {
		a.Ages = readMix(d, "ages", m, func(k string) (int, string) {
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 || n > 17 || strconv.Itoa(n) != k {
				return 0, "an age on arrival from 0 to 17, such as \"16\""
			}
			return n, ""
		})
	}
	if m, ok := table("nationalities"); ok {
		a.Nationalities = readMix(d, "nationalities", m, func(k string) (string, string) {
			if !priorNationality(k) {
				return "", "an ISO 3166-1 alpha-3 country code in capitals, such as AFG"
			}
			return k, ""
		})
	}
	place := func(k string) (sim.Placement, string) {
		if !slices.Contains(sim.Placements, sim.Placement(k)) || sim.Placement(k) == sim.StayingPut {
			return "", "a placement on arrival: foster, residential, supported_lodgings, semi_independent, independent or other"
		}
		return sim.Placement(k), ""
	}
	if m, ok := table("placements_under_16"); ok {
		a.Under16 = readMix(d, "placements_under_16", m, place)
	}
	if m, ok := table("placements_16_17"); ok {
		a.From16 = readMix(d, "placements_16_17", m, place)
	}
	return a
}

// readMix reads a table of weights; their sum must be more than 0.
func readMix[T any](d *scenarioReader, name string, m map[string]any, key func(string) (T, string)) []sim.Weight[T] {
	var out []sim.Weight[T]
	total := decimal.Zero
	for _, k := range slices.Sorted(maps.Keys(m)) {
		line := d.lineOf("arrivals."+name, 0, k)
		v, bad := key(k)
		if bad != "" {
			d.add(line, "arrivals."+name, k, bad)
			continue
		}
		w, ok := d.number(m[k], "arrivals."+name+"."+k, line)
		if !ok {
			continue
		}
		total = total.Add(w)
		out = append(out, sim.Weight[T]{Value: v, Weight: w})
	}
	if !total.IsPositive() {
		d.add(d.lineOf("arrivals."+name, 0, ""), "arrivals."+name, "", "weights that add up to more than 0")
		return nil
	}
	return out
}

func (d *scenarioReader) uplift(i int, t map[string]any) (sim.Uplift, bool) {
	header := d.lineOf("uplift", i, "")
	at := func(k string) int { return firstLine(d.lineOf("uplift", i, k), header) }
	d.unknown("uplift", t, upliftFields, at)
	var u sim.Uplift
	key, _ := t["key"].(string)
	spec, known := sim.Keys[key]
	switch {
	case key == "":
		d.add(at("key"), "uplift.key", policyWritten(t["key"]), "a cost key in quotes, such as \"local.placement_week_foster\"")
		return u, false
	case !known:
		d.add(at("key"), "uplift.key", key, unknownPolicyKey(key))
		return u, false
	case !strings.HasPrefix(string(spec.Unit), string(sim.Pounds)):
		d.add(at("key"), "uplift.key", key, fmt.Sprintf("a key for an amount of money; %s is in %s", key, spec.Unit))
		return u, false
	}
	p, ok := t["percent"].(string)
	x, err := decimal.NewFromString(p)
	if !ok || !signedDecimal.MatchString(p) || err != nil || !x.GreaterThan(decimal.NewFromInt(-100)) || x.GreaterThan(decimal.NewFromInt(100)) {
		d.add(at("percent"), "uplift.percent", policyWritten(t["percent"]), `a percentage a year in quotes, from above -100 to 100, such as "3.0" or "-1.5"`)
		return u, false
	}
	return sim.Uplift{Key: key, Percent: x}, true
}

// checkAtMostOne checks that the chances of where a young person moves at
// 18 add up to at most 1 on every date (the rest move to supported
// accommodation).
func checkAtMostOne(p *sim.Policy, pf *policyFile, file string, keys []string) Problems {
	var starts []sim.Date
	for _, v := range p.Params() {
		if slices.Contains(keys, v.Key) {
			starts = append(starts, v.From)
		}
	}
	slices.SortFunc(starts, sim.Date.Compare)
	starts = slices.Compact(starts)
	var ps Problems
	for _, d := range starts {
		sum, line := decimal.Zero, 0
		for _, k := range keys {
			v, err := p.Lookup(k, d)
			if err != nil {
				return nil
			}
			sum = sum.Add(v.Value)
			if l := pf.lineOf(v); l > 0 && line == 0 {
				line = l
			}
		}
		if sum.GreaterThan(decimal.NewFromInt(1)) {
			ps = append(ps, Problem{File: file, Line: line, Key: strings.Join(keys, " + "), Value: sum.String(),
				Allowed: fmt.Sprintf("on %s these add up to %s; they must add up to at most 1", d, sum)})
		}
	}
	return ps
}

// DefaultStart is the forecast's start when none is given: 1 April of the
// financial year containing today.
func DefaultStart(today time.Time) sim.Date {
	return sim.NewDate(sim.NewDate(today.Year(), today.Month(), today.Day()).FinancialYear(), time.April, 1)
}
