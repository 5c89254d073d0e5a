package sim

import (
	"fmt"
	"sort"
)

// Prior is the chance of each outcome of an asylum decision, for decisions
// dated From to To inclusive (a zero From reaches back to the start, a zero
// To is open-ended), looked up by the date of the decision it predicts, as
// policy values are. A row belongs to one nationality, to one Home Office
// world region (the fallback for nationalities with too few decisions), or,
// with neither, to all nationalities: the default, which covers every date.
// A UASC row gives figures from decisions on unaccompanied children's
// claims, and is used for decisions made before the young person turns 18.
type Prior struct {
	Nationality string // ISO 3166-1 alpha-3; "" for a region's or the default row
	Region      string // a Home Office world region, for a region's row
	UASC        bool
	From, To    Date
	Probs       Probabilities
	Period      string // the published period the figures describe, such as "2024 Q3"
	Decisions   int    // how many decisions the figures rest on; 0 when not known
	Source      string
	Confidence  string
	Note        string
	Refs        []SourceRef // Source as guidance paragraphs and public sources; set by NewPolicy
}

// Covers reports whether the row applies to a decision dated d.
func (pr Prior) Covers(d Date) bool {
	return !d.Before(pr.From) && (pr.To.IsZero() || !d.After(pr.To))
}

// Name says whose row it is: a nationality code, "region Asia Central" or
// "default", with "(UASC)" for children's figures.
func (pr Prior) Name() string {
	s := "default"
	switch {
	case pr.Nationality != "":
		s = pr.Nationality
	case pr.Region != "":
		s = "region " + pr.Region
	}
	if pr.UASC {
		s += " (UASC)"
	}
	return s
}

// PriorBasis says how the chances of a decision were found.
type PriorBasis string

const (
	BasisNationality PriorBasis = "nationality"       // the young person's nationality has a row for the date
	BasisRegion      PriorBasis = "region"            // it has none: its Home Office world region's row
	BasisAll         PriorBasis = "all_nationalities" // neither has one: the default row
	BasisCase        PriorBasis = "case"              // the case file gives its own chances
)

// DecisionKind names a decision whose chances come from a prior.
type DecisionKind string

const (
	FirstDecision      DecisionKind = "first_decision" // the first decision on the asylum claim
	ExtensionDecision  DecisionKind = "extension"      // an application to extend UASC leave: the split of a grant
	FreshClaimDecision DecisionKind = "fresh_claim"    // an accepted fresh claim, decided as a claim
)

// PriorUse is a prior row a plan's chances rest on: for which decision, the
// earliest date the plan expects that decision on, and how the row was
// found. For BasisCase, Prior holds only the case's own Probs.
type PriorUse struct {
	Decision DecisionKind // empty in a forecast's list
	On       Date
	Basis    PriorBasis
	Prior    Prior
	// Past17Half: the decision falls on or after the young person's 17½
	// age limit, so the row's UASC leave share is a refusal (Apply17Half).
	// AgeLimitMonths is that limit, as the policy gives it on the date.
	Past17Half     bool
	AgeLimitMonths int
}

// Pause is a period during which the Home Office makes no first decision on
// claims by nationals of one country (domain.md §7: Syria from 9 December
// 2024). A zero To means no end is known: the policy value
// decision_pause.assumed_months then says how long it is taken to last.
type Pause struct {
	Nationality string
	From, To    Date
	Reason      string // in an adviser's words, such as "decisions on Syrian claims paused by the Home Office"
	Source      string
	Confidence  string
	Note        string
	Refs        []SourceRef
}

// priorPlace is whose a prior row is: a nationality, a region, or neither
// (the default).
type priorPlace struct{ nationality, region string }

type priorSeries struct {
	place priorPlace
	uasc  bool
}

func seriesOf(pr Prior) priorSeries {
	return priorSeries{priorPlace{pr.Nationality, pr.Region}, pr.UASC}
}

// checkPriors indexes priors by series and reports what is wrong with them:
// probabilities that do not sum to 1, a row for both a nationality and a
// region, overlapping periods, a region row for a region no nationality
// belongs to, and a default that does not cover every date from CoverFrom.
func checkPriors(priors []Prior, regions map[string]string) (map[priorSeries][]Prior, []string) {
	var problems []string
	out := map[priorSeries][]Prior{}
	members := map[string]bool{}
	for _, r := range regions {
		members[r] = true
	}
	for _, pr := range priors {
		if pr.Nationality != "" && pr.Region != "" {
			problems = append(problems, fmt.Sprintf("prior %s: gives both a nationality and a region (%s)", pr.Nationality, pr.Region))
			continue
		}
		if pr.Region != "" && !members[pr.Region] {
			problems = append(problems, fmt.Sprintf("prior %s: no nationality belongs to region %q", pr.Name(), pr.Region))
		}
		if !pr.Probs.Sum().Equal(one) {
			problems = append(problems, fmt.Sprintf("prior %s from %s: probabilities sum to %s, want 1", pr.Name(), pr.From, pr.Probs.Sum()))
		}
		if !pr.To.IsZero() && pr.To.Before(pr.From) {
			problems = append(problems, fmt.Sprintf("prior %s: period %s to %s ends before it starts", pr.Name(), pr.From, pr.To))
		}
		s := seriesOf(pr)
		out[s] = append(out[s], pr)
	}
	for s, rows := range out {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].From.Before(rows[j].From) })
		for i := 1; i < len(rows); i++ {
			prev, cur := rows[i-1], rows[i]
			if prev.To.IsZero() || !prev.To.Before(cur.From) {
				problems = append(problems, fmt.Sprintf("prior %s: periods from %s and from %s overlap", cur.Name(), fromText(prev.From), fromText(cur.From)))
			} else if s == (priorSeries{}) && prev.To.AddDays(1) != cur.From {
				problems = append(problems, fmt.Sprintf("prior default: no row from %s to %s", prev.To.AddDays(1), cur.From.AddDays(-1)))
			}
		}
	}
	def := out[priorSeries{}]
	switch {
	case len(def) == 0:
		problems = append(problems, `priors: no default row (nationality = "default")`)
	case def[0].From.After(CoverFrom):
		problems = append(problems, fmt.Sprintf("prior default: no row before %s (rows must start by %s)", def[0].From, CoverFrom))
	case !def[len(def)-1].To.IsZero():
		problems = append(problems, fmt.Sprintf("prior default: no row after %s (the last must be open-ended)", def[len(def)-1].To))
	}
	return out, problems
}

// fromText writes the start of a period: a date, or "the start" for none.
func fromText(d Date) string {
	if d.IsZero() {
		return "the start"
	}
	return d.String()
}

// findPrior returns the row of series s covering d.
func (p *Policy) findPrior(s priorSeries, d Date) (Prior, bool) {
	rows := p.priors[s]
	i := sort.Search(len(rows), func(i int) bool { return rows[i].From.After(d) })
	if i > 0 && rows[i-1].Covers(d) {
		return rows[i-1], true
	}
	return Prior{}, false
}

// Prior returns the chances for a decision dated on for a young person of
// a nationality, and how they were found: the nationality's row for that
// date, else its region's, else the default. For a child (a decision before
// the 18th birthday) a UASC row comes before an all-ages row at each level.
func (p *Policy) Prior(nationality string, on Date, child bool) (Prior, PriorBasis) {
	levels := [...]struct {
		place priorPlace
		basis PriorBasis
	}{
		{priorPlace{nationality: nationality}, BasisNationality},
		{priorPlace{region: p.regions[nationality]}, BasisRegion},
		{priorPlace{}, BasisAll},
	}
	for i, l := range levels {
		if (i == 0 && nationality == "") || (i == 1 && l.place.region == "") {
			continue
		}
		if child {
			if pr, ok := p.findPrior(priorSeries{l.place, true}, on); ok {
				return pr, l.basis
			}
		}
		if pr, ok := p.findPrior(priorSeries{l.place, false}, on); ok {
			return pr, l.basis
		}
	}
	return Prior{}, BasisAll // unreachable: NewPolicy requires a default on every date
}

// priorBreaks returns the dates after from and up to to on which the
// chances for a nationality may change: where a row of its own, its
// region's or the default starts or ends.
func (p *Policy) priorBreaks(nationality string, from, to Date) []Date {
	places := []priorPlace{{}}
	if nationality != "" {
		places = append(places, priorPlace{nationality: nationality})
		if r := p.regions[nationality]; r != "" {
			places = append(places, priorPlace{region: r})
		}
	}
	var out []Date
	for _, place := range places {
		for _, uasc := range []bool{false, true} {
			for _, r := range p.priors[priorSeries{place, uasc}] {
				if r.From.After(from) && !r.From.After(to) {
					out = append(out, r.From)
				}
				if !r.To.IsZero() && !r.To.Before(from) && r.To.Before(to) {
					out = append(out, r.To.AddDays(1))
				}
			}
		}
	}
	return out
}

// Priors returns every prior row: by nationality (the default and the
// regions' rows first), then region, children's rows after all-ages rows,
// then date.
func (p *Policy) Priors() []Prior {
	keys := make([]priorSeries, 0, len(p.priors))
	for s := range p.priors {
		keys = append(keys, s)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.place.nationality != b.place.nationality {
			return a.place.nationality < b.place.nationality
		}
		if a.place.region != b.place.region {
			return a.place.region < b.place.region
		}
		return !a.uasc && b.uasc
	})
	var out []Prior
	for _, s := range keys {
		out = append(out, p.priors[s]...)
	}
	return out
}

// Regions returns the Home Office world region of each nationality the
// policy knows one for.
func (p *Policy) Regions() map[string]string {
	out := make(map[string]string, len(p.regions))
	for k, v := range p.regions {
		out[k] = v
	}
	return out
}

// Pauses returns every decision pause, by nationality and date.
func (p *Policy) Pauses() []Pause {
	var out []Pause
	for _, k := range sortedKeys(p.pauses) {
		out = append(out, p.pauses[k]...)
	}
	return out
}

// checkPauses indexes pauses by nationality and reports overlaps and bad
// periods.
func checkPauses(pauses []Pause) (map[string][]Pause, []string) {
	var problems []string
	out := map[string][]Pause{}
	for _, ps := range pauses {
		switch {
		case len(ps.Nationality) != 3:
			problems = append(problems, fmt.Sprintf("pause %q: want a nationality code", ps.Nationality))
			continue
		case ps.From.IsZero():
			problems = append(problems, fmt.Sprintf("pause %s: no start date", ps.Nationality))
			continue
		case !ps.To.IsZero() && ps.To.Before(ps.From):
			problems = append(problems, fmt.Sprintf("pause %s: period %s to %s ends before it starts", ps.Nationality, ps.From, ps.To))
			continue
		}
		out[ps.Nationality] = append(out[ps.Nationality], ps)
	}
	for nat, ps := range out {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
		for i := 1; i < len(ps); i++ {
			if ps[i-1].To.IsZero() || !ps[i-1].To.Before(ps[i].From) {
				problems = append(problems, fmt.Sprintf("pause %s: periods from %s and from %s overlap", nat, ps[i-1].From, ps[i].From))
			}
		}
	}
	return out, problems
}

// priorSpan is the chances for decisions from day number from until the
// next span starts, for one young person, as floats for sampling.
type priorSpan struct {
	from int
	f    [4]float64
	use  PriorUse
}

// priorSpans works out, once per young person, the chances for every
// decision date from asOf to the horizon: the rows of their nationality,
// region and the default, and the switch from children's to all-ages rows
// at 18. Sampling then finds a decision's chances without a map lookup.
func (w *walker) priorSpans() []priorSpan {
	adult := w.c.DateOfBirth.Birthday(18)
	starts := []Date{w.asOf}
	for _, d := range append(w.p.priorBreaks(w.c.Nationality, w.asOf, w.horizon), adult) {
		if d.After(w.asOf) && !d.After(w.horizon) {
			starts = append(starts, d)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var out []priorSpan
	for i, d := range starts {
		if i > 0 && d == starts[i-1] {
			continue
		}
		pr, basis := w.p.Prior(w.c.Nationality, d, d.Before(adult))
		out = append(out, priorSpan{from: d.days(), f: floats(pr.Probs), use: PriorUse{On: d, Basis: basis, Prior: pr}})
	}
	return out
}

// spanAt returns the chances for a decision on day number day.
func (w *walker) spanAt(day int) [4]float64 {
	s := w.spans
	lo, hi := 0, len(s)-1
	for lo < hi { // the last span starting on or before day
		mid := (lo + hi + 1) / 2
		if s[mid].from <= day {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return s[lo].f
}

// priorUseKey identifies a use of a prior row for a kind of decision.
type priorUseKey struct {
	kind   decisionKind
	series priorSeries
	from   Date
	basis  PriorBasis
	past   bool // on or after the 17½ age limit
}

// decisionNames are the exported names of the kinds of decision.
var decisionNames = [...]DecisionKind{firstClaim: FirstDecision, extension: ExtensionDecision, freshClaimDone: FreshClaimDecision}

// prior returns the chances for a decision of a kind on date on: the
// nationality's prior for that date, as Policy.Prior finds it. Building the
// tree, it records the row the plan rests on.
func (w *walker) prior(kind decisionKind, on Date) Probabilities {
	pr, basis := w.p.Prior(w.c.Nationality, on, on.Before(w.c.DateOfBirth.Birthday(18)))
	if w.rng == nil {
		w.usePrior(kind, on, basis, pr)
		key := "prior:" + pr.Name()
		if !pr.From.IsZero() {
			key += " from " + pr.From.String()
		}
		w.useProb(key, pr.Confidence == "UNCONFIRMED")
	}
	return pr.Probs
}

func (w *walker) usePrior(kind decisionKind, on Date, basis PriorBasis, pr Prior) {
	past := !on.Before(w.uascAgeLimit(on))
	k := priorUseKey{kind, seriesOf(pr), pr.From, basis, past}
	if u, ok := w.priorsUsed[k]; ok && !on.Before(u.On) {
		return
	}
	w.priorsUsed[k] = PriorUse{Decision: decisionNames[kind], On: on, Basis: basis, Prior: pr, Past17Half: past, AgeLimitMonths: w.months(kLeaveUascAgeLimitMonths, on)}
}

// priorUses returns the prior rows the plan used, by date and decision.
func (w *walker) priorUses() []PriorUse {
	out := make([]PriorUse, 0, len(w.priorsUsed))
	for _, u := range w.priorsUsed {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.On != b.On {
			return a.On.Before(b.On)
		}
		if a.Decision != b.Decision {
			return a.Decision < b.Decision
		}
		if a.Basis != b.Basis {
			return a.Basis < b.Basis
		}
		return !a.Past17Half && b.Past17Half
	})
	return out
}

// pausedUntil moves a first decision expected on d past any pause of the
// young person's nationality that holds it: to the day after the pause
// ends, or, with no end known, to the policy's assumed length after the
// later of the pause's start and the as-of date. It returns the new date and
// the pause, or d and nil.
func (w *walker) pausedUntil(d Date) (Date, *Pause, bool) {
	var hit *Pause
	assumed := false
	for i := range w.pauses {
		ps := &w.pauses[i]
		if d.Before(ps.From) {
			continue
		}
		resume := ps.To.AddDays(1)
		open := ps.To.IsZero()
		if open {
			start := MaxDate(ps.From, w.asOf)
			resume = start.AddMonths(w.months(kDecisionPauseAssumedMonths, start))
		}
		if d.Before(resume) {
			d, hit, assumed = resume, ps, open
		}
	}
	return d, hit, assumed
}

// pauseWords says why a decision expected on was moved to resume.
func (w *walker) pauseWords(ps *Pause, assumed bool, what string, resume Date) string {
	if assumed {
		start := MaxDate(ps.From, w.asOf)
		n := w.months(kDecisionPauseAssumedMonths, start)
		return fmt.Sprintf("%s from %s, with no end announced: no %s is made meanwhile; the plan assumes the pause lasts %s from %s, so the decision is not expected before %s",
			ps.Reason, ps.From.Long(), what, monthsWords(n), start.Long(), resume.Long())
	}
	return fmt.Sprintf("%s from %s to %s: no %s is made meanwhile, so the decision is not expected before %s",
		ps.Reason, ps.From.Long(), ps.To.Long(), what, resume.Long())
}

// useCase records that a first decision's chances are the case's own.
func (w *walker) useCase(on Date, probs Probabilities) {
	past := !on.Before(w.uascAgeLimit(on))
	k := priorUseKey{kind: firstClaim, basis: BasisCase, past: past}
	if u, ok := w.priorsUsed[k]; ok && !on.Before(u.On) {
		return
	}
	w.priorsUsed[k] = PriorUse{Decision: FirstDecision, On: on, Basis: BasisCase, Prior: Prior{Probs: probs}, Past17Half: past, AgeLimitMonths: w.months(kLeaveUascAgeLimitMonths, on)}
}

// usePause records a pause that holds a decision in the tree.
func (w *walker) usePause(ps Pause) {
	for _, u := range w.pausesUsed {
		if u.Nationality == ps.Nationality && u.From == ps.From {
			return
		}
	}
	w.pausesUsed = append(w.pausesUsed, ps)
}

// priorSet gathers the prior rows a forecast's young people may draw
// decisions from, each with the earliest date it applies.
type priorSet map[priorUseKey]PriorUse

func (ps priorSet) add(uses []PriorUse) {
	for _, u := range uses {
		k := priorUseKey{series: seriesOf(u.Prior), from: u.Prior.From, basis: u.Basis}
		if old, ok := ps[k]; !ok || u.On.Before(old.On) {
			ps[k] = u
		}
	}
}

// list returns the rows by place (the default, regions, then
// nationalities), children's after all ages, then date.
func (ps priorSet) list() []PriorUse {
	out := make([]PriorUse, 0, len(ps))
	for _, u := range ps {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Prior, out[j].Prior
		switch {
		case a.Nationality != b.Nationality:
			return a.Nationality < b.Nationality
		case a.Region != b.Region:
			return a.Region < b.Region
		case a.UASC != b.UASC:
			return !a.UASC
		case a.From != b.From:
			return a.From.Before(b.From)
		}
		return out[i].Basis < out[j].Basis
	})
	return out
}
