package scenarios

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"

	"pathway/sim"
)

//go:embed policy.toml
var embeddedPolicy []byte

// embeddedName is how problems in the embedded policy file name it.
const embeddedName = "policy.toml (built in)"

// embeddedGrantRates is the Home Office's initial decisions by nationality
// and quarter (data/home-office/README.md), from which the built-in priors
// are made.
//
//go:embed data/home-office/grant_rates_initial_quarterly.csv
var embeddedGrantRates []byte

const (
	grantRatesName = "data/home-office/grant_rates_initial_quarterly.csv"
	// grantRatesSource is what the built-in priors cite: the published
	// table (S115) and its derivation (policy.toml's [[source]] list).
	grantRatesSource = "S115; BRC-asylum"
)

var defaultPolicy = sync.OnceValue(func() *sim.Policy {
	p, err := loadDefault()
	if err != nil {
		panic("scenarios: the built-in policy is broken: " + err.Error())
	}
	return p
})

// DefaultPolicy returns the built-in policy for England: the embedded
// policy.toml, with outcome priors made from the embedded Home Office table
// by DefaultPriorMethod, overlaid by policy.toml's own [[prior]] rows (later
// published figures) as LoadPolicy overlays a file. It is made once and
// shared: callers must not change it.
func DefaultPolicy() *sim.Policy { return defaultPolicy() }

// BuiltinPriors returns the import of the embedded Home Office table that
// the built-in priors start from.
func BuiltinPriors() (*PriorsImport, error) {
	imp, err := ImportHomeOffice(embeddedGrantRates, grantRatesName, DefaultPriorMethod, grantRatesSource)
	if err != nil {
		return nil, err
	}
	// The first quarter's figures for all nationalities stand for every
	// earlier decision: the default must cover every date.
	for i, pr := range imp.Priors {
		if pr.Nationality == "" && pr.Region == "" && !pr.UASC {
			imp.Priors[i].From = sim.Date{}
			break
		}
	}
	return imp, nil
}

func loadDefault() (*sim.Policy, error) {
	imp, err := BuiltinPriors()
	if err != nil {
		return nil, err
	}
	pf, err := parsePolicyFile(bytes.NewReader(embeddedPolicy), embeddedName)
	if err != nil {
		return nil, err
	}
	regions := maps.Clone(imp.Regions)
	maps.Copy(regions, pf.regions)
	p, err := sim.NewPolicyFrom(sim.PolicyData{Name: pf.name, Params: pf.params, Priors: overlayPriors(imp.Priors, pf.priors),
		Regions: regions, Pauses: pf.pauses, Sources: pf.sources})
	if err != nil {
		return nil, err
	}
	return p, checkARESums(p, pf, embeddedName).orNil()
}

// ParsePolicy reads a policy file: its name, its dated values and its
// outcome priors. The file may be partial (it need not give every key), but
// each key it gives must run without gaps from sim.CoverFrom with the last
// period open-ended. Every problem is reported at once, as Problems naming
// file, line, key, value and what is allowed.
func ParsePolicy(r io.Reader, file string) (name string, params []sim.Param, priors []sim.Prior, err error) {
	pf, err := parsePolicyFile(r, file)
	if err != nil {
		return "", nil, nil, err
	}
	return pf.name, pf.params, pf.priors, nil
}

// LoadPolicy reads a policy file given with --policy and lays it over base.
// For each key the file gives, its values replace all of base's values for
// that key. For each nationality, region or the default ("all
// nationalities") the file gives prior rows for, its rows replace base's
// rows of that nationality (children's and all ages alike) from the first
// date the file gives on; base's earlier rows stay, cut short where they
// run into it. A [[region]] it gives places those nationalities in that
// region; a [[pause]] replaces base's pauses for that nationality.
// Everything else is kept from base. The result is named base.Name + "+" +
// the file's name. With replace = true at the top of the file (or a nil
// base) the file is a whole policy on its own and keeps its own name.
func LoadPolicy(base *sim.Policy, r io.Reader, file string) (*sim.Policy, error) {
	pf, err := parsePolicyFile(r, file)
	if err != nil {
		return nil, err
	}
	data := sim.PolicyData{Name: pf.name, Params: pf.params, Priors: pf.priors, Regions: pf.regions, Pauses: pf.pauses, Sources: pf.sources}
	if base != nil && !pf.replace {
		data = overlay(sim.PolicyData{Name: base.Name, Params: base.Params(), Priors: base.Priors(),
			Regions: base.Regions(), Pauses: base.Pauses(), Sources: base.Sources()}, pf)
		data.Name = base.Name + "+" + pf.name
	} else {
		// A whole policy: say what is missing with the file's name, before
		// sim.NewPolicy says it without one.
		var ps Problems
		given := map[string]bool{}
		for _, v := range pf.params {
			given[v.Key] = true
		}
		for _, key := range slices.Sorted(maps.Keys(sim.Keys)) {
			if !given[key] {
				spec := sim.Keys[key]
				ps = append(ps, Problem{File: file, Key: key,
					Allowed: fmt.Sprintf("missing: a whole policy needs a value for every key (%s, in %s)", spec.Doc, spec.Unit)})
			}
		}
		hasDefault := false
		for _, pr := range pf.priors {
			hasDefault = hasDefault || (pr.Nationality == "" && pr.Region == "")
		}
		if !hasDefault {
			ps = append(ps, Problem{File: file, Key: "prior",
				Allowed: `missing: a whole policy needs a prior with nationality = "default"`})
		}
		if err := ps.orNil(); err != nil {
			return nil, err
		}
	}
	p, err := sim.NewPolicyFrom(data)
	if err != nil {
		return nil, Problems{{File: file, Allowed: err.Error()}}
	}
	if err := append(checkARESums(p, pf, file), checkAtMostOne(p, pf, file, sim.At18ProbabilityKeys)...).orNil(); err != nil {
		return nil, err
	}
	return p, nil
}

// overlay lays a partial policy file over base, as LoadPolicy describes.
func overlay(base sim.PolicyData, pf *policyFile) sim.PolicyData {
	out := sim.PolicyData{Name: base.Name}
	byID := map[string]bool{}
	for _, src := range pf.sources {
		byID[src.ID] = true
	}
	for _, src := range base.Sources {
		if !byID[src.ID] {
			out.Sources = append(out.Sources, src)
		}
	}
	out.Sources = append(out.Sources, pf.sources...)
	given := map[string]bool{}
	for _, v := range pf.params {
		given[v.Key] = true
	}
	for _, v := range base.Params {
		if !given[v.Key] {
			out.Params = append(out.Params, v)
		}
	}
	out.Params = append(out.Params, pf.params...)
	out.Priors = overlayPriors(base.Priors, pf.priors)
	out.Regions = map[string]string{}
	for k, v := range base.Regions {
		out.Regions[k] = v
	}
	for k, v := range pf.regions {
		out.Regions[k] = v
	}
	paused := map[string]bool{}
	for _, ps := range pf.pauses {
		paused[ps.Nationality] = true
	}
	for _, ps := range base.Pauses {
		if !paused[ps.Nationality] {
			out.Pauses = append(out.Pauses, ps)
		}
	}
	out.Pauses = append(out.Pauses, pf.pauses...)
	return out
}

// priorPlace is whose prior row it is: a nationality, a region or neither
// (the default).
type priorPlace struct{ nationality, region string }

// overlayPriors replaces base's rows of each place over gives rows for,
// from the first date over gives for it (a row without from: every date).
// Base's rows of that place before that date stay, the last one cut short
// to end the day before.
func overlayPriors(base, over []sim.Prior) []sim.Prior {
	first := map[priorPlace]sim.Date{}
	for _, pr := range over {
		k := priorPlace{pr.Nationality, pr.Region}
		if f, ok := first[k]; !ok || pr.From.Before(f) {
			first[k] = pr.From
		}
	}
	var out []sim.Prior
	for _, pr := range base {
		f, ok := first[priorPlace{pr.Nationality, pr.Region}]
		if ok {
			if !pr.From.Before(f) {
				continue
			}
			if pr.To.IsZero() || !pr.To.Before(f) {
				pr.To = f.AddDays(-1)
			}
		}
		out = append(out, pr)
	}
	return append(out, over...)
}

// areProbabilityKeys are the chances of what follows appeal rights
// exhausted; on every date they must sum to 1.
var areProbabilityKeys = []string{"are.return_probability", "are.fresh_claim_probability", "are.no_leave_probability"}

// checkARESums checks the policy's values that must sum to 1 on every date.
func checkARESums(p *sim.Policy, pf *policyFile, file string) Problems {
	var starts []sim.Date
	for _, v := range p.Params() {
		for _, k := range areProbabilityKeys {
			if v.Key == k {
				starts = append(starts, v.From)
			}
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var ps Problems
	var last sim.Date
	for _, d := range starts {
		if d == last {
			continue
		}
		last = d
		sum := decimal.Zero
		line := 0
		for _, k := range areProbabilityKeys {
			v, err := p.Lookup(k, d)
			if err != nil {
				return nil // sim.NewPolicy has already refused such a policy
			}
			sum = sum.Add(v.Value)
			if l := pf.lineOf(v); l > 0 && line == 0 {
				line = l
			}
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			ps = append(ps, Problem{File: file, Line: line, Key: strings.Join(areProbabilityKeys, " + "), Value: sum.String(),
				Allowed: fmt.Sprintf("on %s these sum to %s; they must sum to exactly 1 on every date", d, sum)})
		}
	}
	return ps
}

// policyFile is a parsed policy file.
type policyFile struct {
	name    string
	replace bool
	params  []sim.Param
	priors  []sim.Prior
	regions map[string]string // nationality → region
	pauses  []sim.Pause
	sources []sim.Source
	lines   []int // line of each of params
}

// lineOf returns the line on which the file gave v, or 0 if it did not.
func (pf *policyFile) lineOf(v sim.Param) int {
	for i, w := range pf.params {
		if w.Key == v.Key && w.From == v.From {
			return pf.lines[i]
		}
	}
	return 0
}

// rawPolicy is the file as written. Every leaf is decoded as any, so that
// a value of the wrong type is one more problem to report, not the end of
// decoding.
type rawPolicy struct {
	Name    any         `toml:"name"`
	Replace any         `toml:"replace"`
	Values  []rawValue  `toml:"value"`
	Priors  []rawPrior  `toml:"prior"`
	Regions []rawRegion `toml:"region"`
	Pauses  []rawPause  `toml:"pause"`
	Sources []rawSource `toml:"source"`
}

type rawRegion struct {
	Name          any `toml:"name"`
	Nationalities any `toml:"nationalities"`
}

type rawPause struct {
	Nationality any `toml:"nationality"`
	From        any `toml:"from"`
	To          any `toml:"to"`
	Reason      any `toml:"reason"`
	Source      any `toml:"source"`
	Confidence  any `toml:"confidence"`
	Note        any `toml:"note"`
}

type rawSource struct {
	ID    any `toml:"id"`
	Title any `toml:"title"`
	URL   any `toml:"url"`
}

type rawValue struct {
	Key         any `toml:"key"`
	From        any `toml:"from"`
	To          any `toml:"to"`
	Value       any `toml:"value"`
	Unit        any `toml:"unit"`
	Source      any `toml:"source"`
	Confidence  any `toml:"confidence"`
	Unconfirmed any `toml:"unconfirmed"`
	Note        any `toml:"note"`
}

type rawPrior struct {
	Nationality            any `toml:"nationality"`
	Region                 any `toml:"region"`
	UASC                   any `toml:"uasc"`
	From                   any `toml:"from"`
	To                     any `toml:"to"`
	Period                 any `toml:"period"`
	Decisions              any `toml:"decisions"`
	RefugeeStatus          any `toml:"refugee_status"`
	HumanitarianProtection any `toml:"humanitarian_protection"`
	UASCLeave              any `toml:"uasc_leave"`
	Refused                any `toml:"refused"`
	Source                 any `toml:"source"`
	Confidence             any `toml:"confidence"`
	Note                   any `toml:"note"`
}

// policyFields are the keys allowed at each level of a policy file.
var policyFields = map[string][]string{
	"":       {"name", "replace", "value", "prior", "region", "pause", "source"},
	"source": {"id", "title", "url"},
	"value":  {"key", "from", "to", "value", "unit", "source", "confidence", "unconfirmed", "note"},
	"prior": {"nationality", "region", "uasc", "from", "to", "refugee_status", "humanitarian_protection", "uasc_leave", "refused",
		"period", "decisions", "source", "confidence", "note"},
	"region": {"name", "nationalities"},
	"pause":  {"nationality", "from", "to", "reason", "source", "confidence", "note"},
}

// policyConfidences are the allowed confidence grades (domain.md).
var policyConfidences = []string{"H", "M", "L", "UNCONFIRMED"}

// parsePolicyFile reads and checks a policy file, whole or partial.
func parsePolicyFile(r io.Reader, file string) (*policyFile, error) {
	src, err := readTOML(r, file)
	if err != nil {
		return nil, err
	}
	d := &policyReader{file: file, lines: scanPolicyLines(src)}
	// Decode once without a schema, for syntax errors and the file's
	// shape; then strictly, into rawPolicy, which cannot fail on a file of
	// the right shape because its leaves take any value.
	var doc map[string]any
	if _, err := toml.Decode(string(src), &doc); err != nil {
		p := syntaxProblem(file, err)
		if p.Key == "" {
			p.Key = d.lines.keys[p.Line]
		}
		return nil, Problems{p}
	}
	for _, table := range []string{"value", "prior", "region", "pause", "source"} {
		if v, ok := doc[table]; ok {
			if !isTableArray(v) {
				d.add(d.lines.top[table], table, policyWritten(v),
					fmt.Sprintf("tables written [[%s]], one for each %s", table, map[string]string{"value": "dated value",
						"prior": "nationality, region or the default and period", "region": "world region", "pause": "pause in decisions", "source": "public source"}[table]))
			}
		}
	}
	if err := d.problems.orNil(); err != nil {
		return nil, err
	}
	var raw rawPolicy
	md, err := toml.Decode(string(src), &raw)
	if err != nil {
		return nil, Problems{syntaxProblem(file, err)}
	}
	d.unknownKeys(md)

	pf := &policyFile{}
	name, ok := d.str(raw.Name, "name", d.lines.top["name"], true)
	pf.name = name
	if ok && strings.TrimSpace(name) == "" {
		d.add(d.lines.top["name"], "name", pf.name, "a name for the policy, such as \"lambeth-2026\"")
	}
	pf.replace = d.boolean(raw.Replace, "replace", d.lines.top["replace"])
	var periods []period
	for i, rv := range raw.Values {
		v, datesOK, ok := d.value(i, rv)
		line := d.lines.at("value", i, "")
		if datesOK {
			periods = append(periods, period{v.Key, v.From, v.To, line})
		}
		if ok {
			pf.params = append(pf.params, v)
			pf.lines = append(pf.lines, line)
		}
	}
	d.periods(periods)
	var priorLines []int
	for i, rp := range raw.Priors {
		pr, ok := d.prior(i, rp)
		if !ok {
			continue
		}
		pf.priors = append(pf.priors, pr)
		priorLines = append(priorLines, d.lines.at("prior", i, ""))
	}
	d.priorPeriods(pf.priors, priorLines)
	pf.regions = map[string]string{}
	regionLine := map[string]int{}
	for i, rr := range raw.Regions {
		d.region(i, rr, pf.regions, regionLine)
	}
	var pauseLines []int
	for i, rp := range raw.Pauses {
		if ps, ok := d.pause(i, rp); ok {
			pf.pauses = append(pf.pauses, ps)
			pauseLines = append(pauseLines, d.lines.at("pause", i, ""))
		}
	}
	d.pausePeriods(pf.pauses, pauseLines)
	ids := map[string]int{}
	for i, rs := range raw.Sources {
		line := d.lines.at("source", i, "id")
		id, ok1 := d.str(rs.ID, "source.id", line, true)
		title, ok2 := d.str(rs.Title, "source.title", d.lines.at("source", i, "title"), true)
		url, _ := d.str(rs.URL, "source.url", d.lines.at("source", i, "url"), false)
		if !ok1 || !ok2 {
			continue
		}
		if first, dup := ids[id]; dup {
			d.add(line, "source.id", id, fmt.Sprintf("one [[source]] per id: this one was already given on line %d", first))
			continue
		}
		if url != "" && !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
			d.add(d.lines.at("source", i, "url"), "source.url", url, "an address starting https:// or http://, or none")
			continue
		}
		ids[id] = line
		pf.sources = append(pf.sources, sim.Source{ID: id, Title: title, URL: url})
	}
	if err := d.problems.orNil(); err != nil {
		return nil, err
	}
	return pf, nil
}

// isTableArray reports whether v is an array of tables, written [[name]]
// or inline.
func isTableArray(v any) bool {
	switch a := v.(type) {
	case []map[string]any:
		return true
	case []any:
		for _, e := range a {
			if _, ok := e.(map[string]any); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// policyReader checks raw values and collects problems.
type policyReader struct {
	file     string
	lines    policyLines
	problems Problems
}

func (d *policyReader) add(line int, key, value, allowed string) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Key: key, Value: value, Allowed: allowed})
}

// unknownKeys reports keys the policy format does not have. The decoder
// matches keys without regard to case, so keys it took are checked again
// for their exact spelling.
func (d *policyReader) unknownKeys(md toml.MetaData) {
	seen := map[string]bool{}
	report := func(k toml.Key) {
		if len(k) > 2 {
			return // deeper keys sit under a field that is reported for its type
		}
		if len(k) == 2 && policyFields[k[0]] == nil {
			k = k[:1] // inside an unknown top-level key: report that
		}
		if seen[k.String()] {
			return
		}
		parent, name := "", k[0]
		if len(k) == 2 {
			parent, name = k[0], k[1]
		}
		seen[k.String()] = true
		allowed := "unknown key"
		if s := nearest(name, policyFields[parent]); s != "" {
			allowed += fmt.Sprintf(" (did you mean %s)", s)
		}
		if parent == "" {
			allowed += "; the top level allows " + strings.Join(policyFields[""], ", ")
		} else {
			allowed += fmt.Sprintf("; [[%s]] allows %s", parent, strings.Join(policyFields[parent], ", "))
		}
		lines := d.lines.all(k)
		if len(lines) == 0 {
			lines = []int{0}
		}
		for _, line := range lines {
			d.add(line, k.String(), "", allowed)
		}
	}
	for _, k := range md.Undecoded() {
		report(k)
	}
	for _, k := range md.Keys() {
		if len(k) > 2 {
			continue
		}
		parent := ""
		if len(k) == 2 {
			parent = k[0]
		}
		if !slices.Contains(policyFields[parent], k[len(k)-1]) {
			report(k)
		}
	}
}

// str reads a string. A missing value is a problem when required.
func (d *policyReader) str(v any, key string, line int, required bool) (string, bool) {
	switch s := v.(type) {
	case nil:
		if required {
			d.add(line, key, "", "missing: a quoted string is required")
		}
		return "", false
	case string:
		if p := textProblem(s, strings.HasSuffix(key, "note")); p != "" {
			d.add(line, key, s, p)
			return "", false
		}
		return s, true
	}
	d.add(line, key, policyWritten(v), "a quoted string")
	return "", false
}

func (d *policyReader) boolean(v any, key string, line int) bool {
	switch b := v.(type) {
	case nil:
		return false
	case bool:
		return b
	}
	d.add(line, key, policyWritten(v), "true or false")
	return false
}

// date reads a date: a TOML local date such as 2012-07-09, or the same in
// quotes (as case files allow).
func (d *policyReader) date(v any, key string, line int, required bool) (sim.Date, bool) {
	const allowed = "a date without a time, like 2012-07-09"
	var s string
	switch t := v.(type) {
	case nil:
		if required {
			d.add(line, key, "", "missing: give "+allowed)
		}
		return sim.Date{}, false
	case time.Time:
		// BurntSushi/toml puts a local date in this zone; a datetime or a
		// time gets another.
		if t.Location().String() == "date-local" {
			s = t.Format("2006-01-02")
		}
	case string:
		s = t
	}
	day, err := sim.ParseDate(s)
	if err != nil {
		d.add(line, key, policyWritten(v), allowed)
		return sim.Date{}, false
	}
	return day, true
}

// policyDecimal is a non-negative decimal without exponent or sign.
var policyDecimal = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// decimalOf reads a quoted decimal and checks it against what unit allows.
func (d *policyReader) decimalOf(v any, key string, line int, unit sim.Unit) (decimal.Decimal, bool) {
	allowed := policyAllowed(unit)
	s, ok := v.(string)
	if v == nil {
		d.add(line, key, "", "missing: "+allowed)
		return decimal.Zero, false
	}
	if !ok {
		switch v.(type) {
		case int64, float64:
			allowed += `, written in quotes (such as "30"), not as a TOML number`
		default:
			allowed += `, written in quotes (such as "30")`
		}
		d.add(line, key, policyWritten(v), allowed)
		return decimal.Zero, false
	}
	if !policyDecimal.MatchString(s) {
		d.add(line, key, s, allowed)
		return decimal.Zero, false
	}
	x, err := decimal.NewFromString(s)
	if err != nil || !policyFits(x, unit) {
		d.add(line, key, s, allowed)
		return decimal.Zero, false
	}
	return x, true
}

// Largest whole values, so that sim.Param.Int never overflows: a century.
// A count of people: England has about 12 million children.
var policyMaxWhole = map[sim.Unit]int64{sim.Months: 1200, sim.Weeks: 5218, sim.Days: 36525, sim.Count: 100_000_000}

func policyAllowed(unit sim.Unit) string {
	switch unit {
	case sim.Probability:
		return "a probability: a decimal from 0 to 1, such as \"0.39\""
	case sim.Months, sim.Weeks, sim.Days:
		return fmt.Sprintf("a whole number of %s from 0 to %d", unit, policyMaxWhole[unit])
	case sim.Count:
		return fmt.Sprintf("a whole number of people from 0 to %d", policyMaxWhole[unit])
	case sim.Flag:
		return `"0" (off) or "1" (on)`
	case sim.Pounds, sim.PoundsNight, sim.PoundsWeek, sim.PoundsMonth:
		return fmt.Sprintf(`an amount in pounds with at most two decimal places, such as "143.00", and at most "%d.00"`, MaxPolicyPounds)
	}
	return "a decimal of 0 or more, such as \"0.5\""
}

func policyFits(x decimal.Decimal, unit sim.Unit) bool {
	switch unit {
	case sim.Probability:
		return !x.GreaterThan(decimal.NewFromInt(1))
	case sim.Months, sim.Weeks, sim.Days, sim.Count:
		return x.Equal(x.Truncate(0)) && !x.GreaterThan(decimal.NewFromInt(policyMaxWhole[unit]))
	case sim.Flag:
		return x.Equal(decimal.Zero) || x.Equal(decimal.NewFromInt(1))
	case sim.Pounds, sim.PoundsNight, sim.PoundsWeek, sim.PoundsMonth:
		return x.Equal(x.Truncate(2)) && !x.GreaterThan(decimal.NewFromInt(MaxPolicyPounds))
	}
	return true
}

func (d *policyReader) confidence(v any, key string, line int) (string, bool) {
	c, ok := d.str(v, key, line, true)
	if ok && !slices.Contains(policyConfidences, c) {
		d.add(line, key, c, "one of "+strings.Join(policyConfidences, ", "))
		return "", false
	}
	return c, ok
}

// value checks the i-th [[value]] table. datesOK reports whether its key
// is known and its dates are good, so that its period can be checked
// against the key's others; ok whether it has no problems at all.
func (d *policyReader) value(i int, rv rawValue) (p sim.Param, datesOK, ok bool) {
	at := func(field string) int { return d.lines.at("value", i, field) }
	header := d.lines.at("value", i, "")
	before := len(d.problems)

	key, ok := d.str(rv.Key, "value.key", header, true)
	spec, known := sim.Keys[key]
	if ok && !known {
		d.add(at("key"), "value.key", key, unknownPolicyKey(key))
	}
	p.Key = key
	var fromOK, toOK bool
	p.From, fromOK = d.date(rv.From, "value.from", firstLine(at("from"), header), true)
	p.To, toOK = d.date(rv.To, "value.to", at("to"), false)
	datesOK = known && fromOK && (toOK || rv.To == nil)
	if fromOK && toOK && p.To.Before(p.From) {
		d.add(at("to"), "value.to", p.To.String(),
			fmt.Sprintf("a date on or after from (%s), or no to for an open-ended value", p.From))
		datesOK = false
	}
	unit, ok := d.str(rv.Unit, "value.unit", header, true)
	p.Unit = sim.Unit(unit)
	if ok && known && p.Unit != spec.Unit {
		d.add(at("unit"), "value.unit", unit, fmt.Sprintf("%s is in %q", key, spec.Unit))
	}
	if known {
		p.Value, _ = d.decimalOf(rv.Value, "value.value", firstLine(at("value"), header), spec.Unit)
	} else if rv.Value == nil {
		d.add(header, "value.value", "", "missing: a quoted decimal")
	}
	p.Source, ok = d.str(rv.Source, "value.source", header, true)
	if ok && strings.TrimSpace(p.Source) == "" {
		d.add(at("source"), "value.source", p.Source, `where the figure comes from: domain.md source tags such as "S1", a guidance paragraph, or "none"`)
	}
	p.Confidence, _ = d.confidence(rv.Confidence, "value.confidence", firstLine(at("confidence"), header))
	p.Unconfirmed = d.boolean(rv.Unconfirmed, "value.unconfirmed", at("unconfirmed"))
	if _, isBool := rv.Unconfirmed.(bool); (isBool || rv.Unconfirmed == nil) && p.Confidence != "" && (p.Confidence == "UNCONFIRMED") != p.Unconfirmed {
		d.add(firstLine(at("unconfirmed"), header), "value.unconfirmed", fmt.Sprint(p.Unconfirmed),
			`unconfirmed = true exactly when confidence = "UNCONFIRMED" (a placeholder)`)
	}
	p.Note, _ = d.str(rv.Note, "value.note", at("note"), false)
	return p, datesOK, len(d.problems) == before
}

// period is where one dated value applies, and the line of its table.
type period struct {
	key      string
	from, to sim.Date
	line     int
}

// periods checks that each key's values run without gaps or overlaps from
// sim.CoverFrom and that the last is open-ended.
func (d *policyReader) periods(all []period) {
	byKey := map[string][]period{}
	for _, p := range all {
		byKey[p.key] = append(byKey[p.key], p)
	}
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		ps := byKey[key]
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].from.Before(ps[b].from) })
		if first := ps[0]; first.from.After(sim.CoverFrom) {
			d.add(d.lines.lineOr(first.line, "from"), "value.from", first.from.String(),
				fmt.Sprintf("%s has no value before %s: its first period must start on or before %s", key, first.from, sim.CoverFrom))
		}
		for n := 1; n < len(ps); n++ {
			prev, cur := ps[n-1], ps[n]
			line := d.lines.lineOr(cur.line, "from")
			switch {
			case prev.to.IsZero():
				d.add(line, "value.from", cur.from.String(), fmt.Sprintf(
					"%s from %s overlaps the open-ended period from %s (line %d): end that one with a to date",
					key, cur.from, prev.from, prev.line))
			case !prev.to.Before(cur.from):
				d.add(line, "value.from", cur.from.String(), fmt.Sprintf(
					"%s from %s overlaps the period %s to %s (line %d): start the day after it ends, %s",
					key, cur.from, prev.from, prev.to, prev.line, prev.to.AddDays(1)))
			case prev.to.AddDays(1) != cur.from:
				d.add(line, "value.from", cur.from.String(), fmt.Sprintf(
					"%s has no value from %s to %s: start the day after the period on line %d ends, %s",
					key, prev.to.AddDays(1), cur.from.AddDays(-1), prev.line, prev.to.AddDays(1)))
			}
		}
		if last := ps[len(ps)-1]; !last.to.IsZero() {
			d.add(d.lines.lineOr(last.line, "to"), "value.to", last.to.String(),
				fmt.Sprintf("%s has no value after %s: its last period must be open-ended (no to)", key, last.to))
		}
	}
}

// prior checks the i-th [[prior]] table.
func (d *policyReader) prior(i int, rp rawPrior) (sim.Prior, bool) {
	at := func(field string) int { return d.lines.at("prior", i, field) }
	header := d.lines.at("prior", i, "")
	before := len(d.problems)
	var pr sim.Prior

	const allowNat = `"default" or an ISO 3166-1 alpha-3 country code in capitals, such as "AFG"`
	nat, natOK := d.str(rp.Nationality, "prior.nationality", header, false)
	if natOK {
		if nat == "default" {
			nat = ""
		} else if !priorNationality(nat) {
			d.add(at("nationality"), "prior.nationality", nat, allowNat)
		}
	}
	region, regionOK := d.str(rp.Region, "prior.region", header, false)
	switch {
	case natOK && regionOK:
		d.add(at("region"), "prior.region", region,
			"a row is for a nationality or for a region, not both: leave out region, or nationality for a region's row")
	case !natOK && !regionOK && rp.Nationality == nil && rp.Region == nil:
		d.add(header, "prior.nationality", "", "missing: give nationality ("+allowNat+`), or region for a region's row, such as "Middle East"`)
	case regionOK && strings.TrimSpace(region) == "":
		d.add(at("region"), "prior.region", region, `a Home Office world region, such as "Middle East"`)
	}
	pr.Nationality, pr.Region = nat, region
	pr.UASC = d.boolean(rp.UASC, "prior.uasc", at("uasc"))
	var fromOK, toOK bool
	pr.From, fromOK = d.date(rp.From, "prior.from", at("from"), false)
	pr.To, toOK = d.date(rp.To, "prior.to", at("to"), false)
	if fromOK && toOK && pr.To.Before(pr.From) {
		d.add(at("to"), "prior.to", pr.To.String(),
			fmt.Sprintf("a date on or after from (%s), or no to for a row that runs on", pr.From))
	}
	probs := []struct {
		field string
		raw   any
		dst   *decimal.Decimal
	}{
		{"refugee_status", rp.RefugeeStatus, &pr.Probs.RefugeeStatus},
		{"humanitarian_protection", rp.HumanitarianProtection, &pr.Probs.HumanitarianProtection},
		{"uasc_leave", rp.UASCLeave, &pr.Probs.UASCLeave},
		{"refused", rp.Refused, &pr.Probs.Refused},
	}
	allRead := true
	for _, f := range probs {
		x, ok := d.decimalOf(f.raw, "prior."+f.field, firstLine(at(f.field), header), sim.Probability)
		*f.dst = x
		allRead = allRead && ok
	}
	if allRead && !pr.Probs.Sum().Equal(decimal.NewFromInt(1)) {
		d.add(header, "prior", pr.Name(), fmt.Sprintf(
			"refugee_status + humanitarian_protection + uasc_leave + refused = %s; they must sum to exactly 1", pr.Probs.Sum()))
	}
	pr.Period, _ = d.str(rp.Period, "prior.period", at("period"), false)
	switch n := rp.Decisions.(type) {
	case nil:
	case int64:
		if n < 0 || n > 1e9 {
			d.add(at("decisions"), "prior.decisions", fmt.Sprint(n), "a whole number of decisions from 0 to 1000000000")
		}
		pr.Decisions = int(n)
	default:
		d.add(at("decisions"), "prior.decisions", policyWritten(rp.Decisions), "a whole number of decisions, written without quotes, such as 941")
	}
	var ok bool
	pr.Source, ok = d.str(rp.Source, "prior.source", header, true)
	if ok && strings.TrimSpace(pr.Source) == "" {
		d.add(at("source"), "prior.source", pr.Source, `where the figures come from: domain.md source tags such as "S80"`)
	}
	pr.Confidence, _ = d.confidence(rp.Confidence, "prior.confidence", firstLine(at("confidence"), header))
	pr.Note, _ = d.str(rp.Note, "prior.note", at("note"), false)
	return pr, len(d.problems) == before
}

// priorPeriods checks that the rows of each nationality, region or the
// default, for children or all ages, do not overlap. lines are the rows'
// header lines.
func (d *policyReader) priorPeriods(priors []sim.Prior, lines []int) {
	type series struct {
		place priorPlace
		uasc  bool
	}
	by := map[series][]int{}
	var order []series
	for i, pr := range priors {
		s := series{priorPlace{pr.Nationality, pr.Region}, pr.UASC}
		if _, ok := by[s]; !ok {
			order = append(order, s)
		}
		by[s] = append(by[s], i)
	}
	for _, s := range order {
		idx := by[s]
		sort.SliceStable(idx, func(a, b int) bool { return priors[idx[a]].From.Before(priors[idx[b]].From) })
		for n := 1; n < len(idx); n++ {
			prev, cur := priors[idx[n-1]], priors[idx[n]]
			if prev.To.IsZero() || !prev.To.Before(cur.From) {
				what := "runs on with no to"
				if !prev.To.IsZero() {
					what = "runs to " + prev.To.String()
				}
				value := ""
				if !cur.From.IsZero() {
					value = cur.From.String()
				}
				d.add(d.lines.lineOr(lines[idx[n]], "from"), "prior.from", value, fmt.Sprintf(
					"the %s row from %s (line %d) %s: rows of one nationality, region or the default must not overlap; start this one later or end that one earlier",
					cur.Name(), fromWords(prev.From), lines[idx[n-1]], what))
			}
		}
	}
}

// fromWords writes a period's start: a date, or "the start" when none is
// given.
func fromWords(d sim.Date) string {
	if d.IsZero() {
		return "the start"
	}
	return d.String()
}

// region checks the i-th [[region]] table and records its nationalities.
func (d *policyReader) region(i int, rr rawRegion, regions map[string]string, lineOf map[string]int) {
	at := func(field string) int { return d.lines.at("region", i, field) }
	header := d.lines.at("region", i, "")
	name, ok := d.str(rr.Name, "region.name", header, true)
	if ok && strings.TrimSpace(name) == "" {
		d.add(at("name"), "region.name", name, `a Home Office world region, such as "Middle East"`)
		ok = false
	}
	line := firstLine(at("nationalities"), header)
	list, isList := rr.Nationalities.([]any)
	if !isList {
		d.add(line, "region.nationalities", policyWritten(rr.Nationalities), `a list of ISO 3166-1 alpha-3 codes, such as ["IRN", "IRQ"]`)
		return
	}
	for _, v := range list {
		code, isStr := v.(string)
		if !isStr || !priorNationality(code) {
			d.add(line, "region.nationalities", policyWritten(v), `ISO 3166-1 alpha-3 country codes in capitals, such as "IRN"`)
			continue
		}
		if first, dup := lineOf[code]; dup {
			d.add(line, "region.nationalities", code, fmt.Sprintf("a nationality belongs to one region: this one is already listed on line %d", first))
			continue
		}
		lineOf[code] = line
		if ok {
			regions[code] = name
		}
	}
}

// pause checks the i-th [[pause]] table.
func (d *policyReader) pause(i int, rp rawPause) (sim.Pause, bool) {
	at := func(field string) int { return d.lines.at("pause", i, field) }
	header := d.lines.at("pause", i, "")
	before := len(d.problems)
	var ps sim.Pause
	nat, ok := d.str(rp.Nationality, "pause.nationality", header, true)
	if ok && !priorNationality(nat) {
		d.add(at("nationality"), "pause.nationality", nat, `an ISO 3166-1 alpha-3 country code in capitals, such as "SYR"`)
	}
	ps.Nationality = nat
	var fromOK, toOK bool
	ps.From, fromOK = d.date(rp.From, "pause.from", firstLine(at("from"), header), true)
	ps.To, toOK = d.date(rp.To, "pause.to", at("to"), false)
	if fromOK && toOK && ps.To.Before(ps.From) {
		d.add(at("to"), "pause.to", ps.To.String(), fmt.Sprintf("a date on or after from (%s), or no to when no end is known", ps.From))
	}
	ps.Reason, ok = d.str(rp.Reason, "pause.reason", header, true)
	if ok && strings.TrimSpace(ps.Reason) == "" {
		d.add(at("reason"), "pause.reason", "", "why decisions are paused, in an adviser's words")
	}
	ps.Source, ok = d.str(rp.Source, "pause.source", header, true)
	if ok && strings.TrimSpace(ps.Source) == "" {
		d.add(at("source"), "pause.source", "", `where the pause is reported: domain.md source tags such as "S85"`)
	}
	ps.Confidence, _ = d.confidence(rp.Confidence, "pause.confidence", firstLine(at("confidence"), header))
	ps.Note, _ = d.str(rp.Note, "pause.note", at("note"), false)
	return ps, len(d.problems) == before
}

// pausePeriods checks that one nationality's pauses do not overlap. lines
// are the pauses' header lines.
func (d *policyReader) pausePeriods(pauses []sim.Pause, lines []int) {
	by := map[string][]int{}
	for i, ps := range pauses {
		by[ps.Nationality] = append(by[ps.Nationality], i)
	}
	for _, nat := range slices.Sorted(maps.Keys(by)) {
		idx := by[nat]
		sort.SliceStable(idx, func(a, b int) bool { return pauses[idx[a]].From.Before(pauses[idx[b]].From) })
		for n := 1; n < len(idx); n++ {
			prev, cur := pauses[idx[n-1]], pauses[idx[n]]
			if prev.To.IsZero() || !prev.To.Before(cur.From) {
				d.add(d.lines.lineOr(lines[idx[n]], "from"), "pause.from", cur.From.String(), fmt.Sprintf(
					"the %s pause from %s (line %d) has not ended by then: give one pause for the period, or end that one earlier", nat, prev.From, lines[idx[n-1]]))
			}
		}
	}
}

// priorNationality reports whether s is the ISO 3166-1 alpha-3 code of a
// country, in capitals and not a deprecated code.
func priorNationality(s string) bool {
	if len(s) != 3 || strings.ToUpper(s) != s {
		return false
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return false
	}
	return r.Canonicalize().ISO3() == s
}

// unknownPolicyKey says that key is not a policy key, suggests the nearest
// one and lists them all.
func unknownPolicyKey(key string) string {
	known := slices.Sorted(maps.Keys(sim.Keys))
	msg := "not a policy key"
	if k := nearest(key, known); k != "" {
		msg += fmt.Sprintf(" (did you mean %s)", k)
	}
	return msg + "; the policy keys, as in the built-in policy.toml, are " + strings.Join(known, ", ")
}

// policyWritten renders a decoded TOML value for a message.
func policyWritten(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case time.Time:
		switch t.Location().String() {
		case "date-local":
			return t.Format("2006-01-02")
		case "time-local":
			return t.Format("15:04:05.999999999")
		case "datetime-local":
			return t.Format("2006-01-02T15:04:05.999999999")
		}
		return t.Format(time.RFC3339Nano)
	case float64:
		return fmt.Sprint(t)
	case map[string]any, []any, []map[string]any:
		return "" // a table or an array: the line shows it
	}
	return fmt.Sprint(v)
}

func firstLine(line, fallback int) int {
	if line > 0 {
		return line
	}
	return fallback
}

// policyLines records where keys appear in a TOML file, so problems can
// name their line. The TOML library keeps key positions to itself (and only one
// per key name, not per table of an array), so the file is scanned here:
// top-level keys, and for each [[name]] table in order, its header line
// ("" key) and the first line of each of its keys.
type policyLines struct {
	top    map[string]int
	tables map[string][]map[string]int
	// byLine maps a header line to its table, for lineOr.
	byLine map[int]map[string]int
	// keys gives the key path written on each line, such as value.from.
	keys map[int]string
}

// at returns the line of field in the i-th [[table]], or 0 if not found.
// The field "" gives the table's header line. For an inline array of
// tables, every field is on the line that starts the array.
func (x policyLines) at(table string, i int, field string) int {
	ts := x.tables[table]
	if len(ts) == 0 {
		return x.top[table]
	}
	if i < 0 || i >= len(ts) {
		return 0
	}
	return ts[i][field]
}

// lineOr returns the line of field in the table whose header is on line
// header, or header itself if the field is not there.
func (x policyLines) lineOr(header int, field string) int {
	if t, ok := x.byLine[header]; ok && t[field] > 0 {
		return t[field]
	}
	return header
}

// all returns every line on which key k is given.
func (x policyLines) all(k toml.Key) []int {
	if len(k) == 1 {
		if l, ok := x.top[k[0]]; ok {
			return []int{l}
		}
		if ts := x.tables[k[0]]; len(ts) > 0 {
			return []int{ts[0][""]}
		}
		return nil
	}
	var out []int
	for _, t := range x.tables[k[0]] {
		if l, ok := t[k[1]]; ok {
			out = append(out, l)
		}
	}
	if len(out) == 0 && x.top[k.String()] > 0 {
		out = append(out, x.top[k.String()]) // a table header, [value.name]
	}
	return out
}

// policyKeyLine is the start of a key/value line: a bare, quoted or dotted
// key and its equals sign.
var policyKeyLine = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)((\s*\.\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=`)

func scanPolicyLines(src []byte) policyLines {
	x := policyLines{top: map[string]int{}, tables: map[string][]map[string]int{},
		byLine: map[int]map[string]int{}, keys: map[int]string{}}
	cur, table := x.top, ""
	closing := "" // the delimiter that ends the multi-line string we are in
	for i, line := range strings.Split(string(src), "\n") {
		n := i + 1
		if closing != "" {
			if strings.Contains(line, closing) {
				closing = ""
			}
			continue
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t[0] == '#':
		case strings.HasPrefix(t, "[["):
			name := t[2:]
			if end := strings.Index(name, "]]"); end >= 0 {
				name = name[:end]
			}
			name = strings.TrimSpace(name)
			cur, table = map[string]int{"": n}, name
			x.tables[name] = append(x.tables[name], cur)
			x.byLine[n] = cur
			x.keys[n] = name
		case t[0] == '[':
			cur = nil
			name := t[1:]
			if end := strings.Index(name, "]"); end >= 0 {
				name = name[:end]
			}
			if name = strings.TrimSpace(name); x.top[name] == 0 {
				x.top[name] = n
			}
			x.keys[n] = name
		default:
			m := policyKeyLine.FindStringSubmatchIndex(line)
			if m == nil {
				continue
			}
			key := strings.Trim(line[m[2]:m[3]], `"'`)
			if cur != nil {
				if _, ok := cur[key]; !ok {
					cur[key] = n
				}
				x.keys[n] = strings.TrimPrefix(table+"."+key, ".")
			}
			rest := strings.TrimSpace(line[m[1]:])
			for _, delim := range []string{`"""`, `'''`} {
				if strings.HasPrefix(rest, delim) && !strings.Contains(rest[3:], delim) {
					closing = delim
				}
			}
		}
	}
	return x
}

//go:embed named/*.toml
var namedFiles embed.FS

// NamedPolicies lists the built-in scenarios that forecast's --policy and
// --compare can select by name, such as "core-protection" and "arrivals+20".
func NamedPolicies() []string {
	entries, _ := namedFiles.ReadDir("named")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return out
}

// NamedPolicy returns the file of a built-in scenario, if name is one.
func NamedPolicy(name string) ([]byte, bool) {
	if !slices.Contains(NamedPolicies(), name) {
		return nil, false
	}
	b, err := namedFiles.ReadFile("named/" + name + ".toml")
	return b, err == nil
}
