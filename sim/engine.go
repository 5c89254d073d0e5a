package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

var one = decimal.NewFromInt(1)

// NewPlan branches a young person's case across every possible sequence of
// decisions from the as-of date to their 25th birthday, and composes the
// single, dual or triple plan of guidance para 56 from the result.
//
// The case must be valid (scenarios.ParseCase checks it); asOf is the date
// the plan is seen from. NewPlan is pure: the same inputs give the same plan.
func NewPlan(c Case, p *Policy, asOf Date) (*Plan, error) {
	if err := checkCaseDates(c, asOf); err != nil {
		return nil, err
	}
	w := newWalker(c, p, asOf)
	w.planHigherRate()
	w.start()
	if w.err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, w.err)
	}
	plan := &Plan{ID: c.ID, AsOf: asOf, Horizon: w.horizon, Policy: p.Name, Status: c.Asylum.Status, Branches: w.out, dob: c.DateOfBirth}
	plan.CareStatus, plan.CareReason = w.careStatusWords()
	shared := append(w.milestones(), w.nrmEvents()...)
	for i := range plan.Branches {
		b := &plan.Branches[i]
		for _, m := range shared {
			if b.Departure.IsZero() || !m.Date.After(b.Departure) {
				b.Events = append(b.Events, m)
			}
		}
		w.uascAgeEvent(b)
		sort.SliceStable(b.Events, func(i, j int) bool { return b.Events[i].Date.Before(b.Events[j].Date) })
		for j := range b.Events {
			b.Events[j].Age = c.DateOfBirth.AgeOn(b.Events[j].Date)
		}
		for j := range b.Steps {
			b.Steps[j].Age = c.DateOfBirth.AgeOn(b.Steps[j].Date)
		}
	}
	number(plan.Branches)
	w.perspectives(plan)
	w.actions(plan)
	w.funding(plan)
	if c.Trafficked {
		plan.Protection = w.protection()
	}
	if w.err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, w.err)
	}
	for _, k := range sortedKeys(w.used) {
		plan.Used = append(plan.Used, w.used[k])
	}
	plan.Priors = w.priorUses()
	plan.Pauses = w.pausesUsed
	return plan, nil
}

// number ranks the branches by chance, highest first, ties in tree order,
// and sorts them by that rank.
func number(bs []Branch) {
	for i := range bs {
		bs[i].Number = i // tree order, for the tie-break
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].Probability.GreaterThan(bs[j].Probability) })
	for i := range bs {
		bs[i].Number = i + 1
	}
}

// walker builds the branches depth first.
type walker struct {
	c       Case
	p       *Policy
	asOf    Date
	horizon Date // the 25th birthday: the end of personal adviser support
	out     []Branch
	used    map[string]Param
	err     error
	pauses  []Pause // the young person's nationality's decision pauses

	// The prior rows and pauses the tree used, for the plan to say what its
	// chances rest on.
	priorsUsed map[priorUseKey]PriorUse
	pausesUsed []Pause
	care       careFacts // the young person's leaving-care dates, worked out once
	// ageLimit is the UASC leave age limit for the limit in months last
	// looked up (ageLimitMonths).
	ageLimit       Date
	ageLimitMonths int
	nrm            nrmDates // a trafficked child's referral dates, worked out once

	// What the current grant means for planning (guidance para 59): set
	// when the case's own status is leave short of settlement.
	shortGrant     bool
	renewalRefusal decimal.Decimal

	// Where the young person lives, and whether they are supported after
	// 21: as the case gives them in a plan, sampled for each draw of a
	// forecast (drawLife).
	stays     stays
	edu21     bool        // in education or training after 21
	onRequest bool        // asks for a personal adviser from 21 to 25
	lifeMode  payMode     // edu21 and onRequest as the bits of a payMode (bits 3 and 4)
	kept      [2]oneOffAt // when sampling: the last setting-up-home and HE bursary one-offs
	higher    bool        // the authority gets the Home Office's higher nightly rate
	chances   lifeChances

	// For sampling one path at a time (the forecast); nil for the tree.
	mplan    *moneyPlan // the young person's money, compiled; a forecast's worker lends its own
	ops      []moneyOp  // scratch: what a piece pays
	pathDays pathDays
	facts    moneyFacts
	rng      *rand.Rand
	firstF   [4]float64  // the case's own chances for the first decision, as floats
	ownFirst bool        // the case gives its own chances for the first decision
	spans    []priorSpan // the nationality's chances by decision date, as floats
	spread   float64     // log-normal sigma of waiting times around their medians
	life     *rand.Rand  // a second stream, for placement moves and support after 21
	norm     distuv.Normal
	drawn    [2]int    // uniform and normal numbers drawn from rng so far, for the benchmarks
	memo     []numMemo // when sampling: each key's value last found, by key id

	// probs are the probability values looked up since the last branching
	// point began (the tree only): what the chances of its options rest on.
	probs []probUse
}

func newWalker(c Case, p *Policy, asOf Date) *walker {
	w := &walker{c: c, p: p, asOf: asOf, horizon: c.DateOfBirth.Birthday(25), used: map[string]Param{},
		priorsUsed: map[priorUseKey]PriorUse{}, pauses: p.pauses[c.Nationality]}
	w.care = w.careFacts()
	w.nrm = w.nrmDates()
	return w
}

// state is one partly built branch. Branching copies it (clone). A quiet
// state (when sampling) keeps no events or steps: only the path and its
// periods; it is small, as it is copied at every step of a path.
type state struct {
	b     walkBranch
	quiet bool
	// protectedSince is the start of the current run of refugee or HP
	// leave, from which the leave needed for settlement counts.
	protectedSince Date
	// claim is the date of the claim being decided: the asylum claim, or
	// a fresh claim once one is lodged.
	claim Date
	// certified: a refusal of this claim is certified clearly unfounded.
	certified bool
	// firstDecision: the next decision is the first on this claim, after
	// which a grant of UASC leave or HP can be appealed.
	firstDecision bool
	// freshUsed: a fresh claim has been lodged on this path.
	freshUsed bool
	// core: the current protection grant is under core protection.
	core bool
}

// walkBranch is a branch as the walker builds it. What only the tree keeps
// (steps, events, what the chance rests on) is behind a pointer, which
// clone copies; a state passed on without a clone shares it, so every
// caller clones before it takes another option.
type walkBranch struct {
	Path                    []Outcome
	Periods                 []Period
	Probability             decimal.Decimal
	LeaveExpires, Departure Date
	tree                    *treeBranch // nil when quiet
}

type treeBranch struct {
	Steps             []Step
	Events            []Event
	ChanceBasis       []string
	ChanceUnconfirmed bool
}

func (s state) clone() state {
	t := s
	t.b.Path = append([]Outcome(nil), s.b.Path...)
	t.b.Periods = append([]Period(nil), s.b.Periods...)
	if s.b.tree != nil {
		tr := *s.b.tree
		tr.Steps = append([]Step(nil), tr.Steps...)
		tr.Events = append([]Event(nil), tr.Events...)
		tr.ChanceBasis = slices.Clip(tr.ChanceBasis)
		t.b.tree = &tr
	}
	return t
}

// probUse is one probability value a branching point looked up.
type probUse struct {
	basis       string // "key from DATE" or "prior:NAT"
	unconfirmed bool
}

// useProb records that a probability value was looked up (the tree only).
func (w *walker) useProb(basis string, unconfirmed bool) {
	if w.rng == nil {
		w.probs = append(w.probs, probUse{basis, unconfirmed})
	}
}

// chancesFrom begins a branching point: the probability values looked up
// from now until chancesRest are what its options' chances rest on.
// Every branching point looks its chances up before taking any option, so
// no deeper branching point runs in between.
func (w *walker) chancesFrom() { w.probs = w.probs[:0] }

// chancesRest adds the probability values looked up since chancesFrom to
// the basis of s's chance, which the options taken from s inherit. It
// records nothing when sampling.
func (w *walker) chancesRest(s *state) {
	if w.rng != nil {
		return
	}
	tr := s.b.tree
	for _, u := range w.probs {
		if !slices.Contains(tr.ChanceBasis, u.basis) {
			// Clip: a clone shares the backing array with its origin.
			tr.ChanceBasis = append(slices.Clip(tr.ChanceBasis), u.basis)
		}
		tr.ChanceUnconfirmed = tr.ChanceUnconfirmed || u.unconfirmed
	}
	w.probs = w.probs[:0]
}

// choose picks, when sampling, which of a branching point's options the
// path takes (by their probabilities); it returns -1 when building the tree,
// where every option is taken.
func (w *walker) choose(ps ...float64) int {
	if w.rng == nil {
		return -1
	}
	u := w.rng.Float64()
	w.drawn[0]++
	last := 0
	for i, f := range ps {
		if f <= 0 {
			continue
		}
		last = i
		if u < f {
			return i
		}
		u -= f
	}
	return last
}

// take returns the state for option i, outcome o on date d with
// probability p, and whether the path goes that way: in the tree every
// option with a chance, when sampling only the chosen one.
func (w *walker) take(s *state, choice, i int, o Outcome, p decimal.Decimal, d Date) (*state, bool) {
	if choice >= 0 {
		if i != choice {
			return nil, false
		}
		s.b.Path = append(s.b.Path, o)
		return s, true
	}
	if p.IsZero() {
		return nil, false
	}
	t := s.clone()
	t.step(o, p, d)
	return &t, true
}

// wait returns the date a wait of the policy's median weeks (key, in force on
// from) ends: the median itself in the tree, a log-normal draw around it when
// sampling (domain.md §7; gonum distuv). A drawn wait is at least a day.
func (w *walker) wait(key pkey, from Date) Date {
	weeks := w.months(key, from)
	if w.rng == nil || w.spread == 0 {
		return from.AddWeeks(weeks)
	}
	days := float64(7*weeks) * math.Exp(w.spread*w.norm.Rand())
	w.drawn[1]++
	return from.AddDays(max(1, int(math.Round(days))))
}

func (s *state) step(o Outcome, p decimal.Decimal, d Date) {
	s.b.Path = append(s.b.Path, o)
	s.b.Probability = s.b.Probability.Mul(p)
	if !s.quiet {
		s.b.tree.Steps = append(s.b.tree.Steps, Step{Outcome: o, Date: d, ChanceUnconfirmed: s.b.tree.ChanceUnconfirmed})
	}
}

// event records a dated event. Callers build text only when the state is
// not quiet: formatting allocates, and sampling needs no words.
func (s *state) event(d Date, k EventKind, text string) {
	if s.quiet {
		return
	}
	s.b.tree.Events = append(s.b.tree.Events, Event{Date: d, Kind: k, Text: text})
}

// deadline records an event that calls for an action.
func (s *state) deadline(d Date, k EventKind, text string, act pending) {
	if s.quiet {
		return
	}
	s.b.tree.Events = append(s.b.tree.Events, Event{Date: d, Kind: k, Text: text, act: &act})
}

func (s *state) period(from Date, st Standing, cut bool) {
	s.b.Periods = append(s.b.Periods, Period{From: from, Standing: st, SupportCut: cut})
}

// finish records the branch; end is where it leaves the young person.
func (w *walker) finish(s *state, end Perspective) {
	if s.b.Probability.IsZero() && w.rng == nil {
		return
	}
	b := Branch{Path: s.b.Path, Probability: s.b.Probability, LeaveExpires: s.b.LeaveExpires,
		Periods: s.b.Periods, Departure: s.b.Departure, End: end}
	if tr := s.b.tree; tr != nil {
		b.Steps, b.Events, b.ChanceBasis, b.ChanceUnconfirmed = tr.Steps, tr.Events, tr.ChanceBasis, tr.ChanceUnconfirmed
	}
	w.out = append(w.out, b)
}

// numMemo is a policy value as numbers and the days it covers.
type numMemo struct {
	from, to int
	i        int
	f        float64
}

// lookup returns a policy value on a date, recording its use.
func (w *walker) lookup(k pkey, on Date) Param {
	key := k.name
	v, err := w.p.Lookup(key, on)
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		return Param{Key: key, Value: decimal.Zero}
	}
	if w.rng == nil {
		w.used[key+"@"+v.From.String()] = v
		if v.Unit == Probability {
			w.useProb(key+" from "+v.From.String(), v.Unconfirmed)
		}
	}
	return v
}

// num returns a policy value on a date as numbers: whole (months, weeks,
// days) and float (a probability or spread for sampling). It records the
// value's use like lookup, without copying it.
func (w *walker) num(k pkey, on Date) (int, float64) {
	day := on.days()
	if k.id < len(w.memo) {
		if m := &w.memo[k.id]; m.from <= day && day <= m.to {
			return m.i, m.f
		}
	}
	i, cs := w.p.find(k, day)
	if i < 0 {
		w.lookup(k, on) // records the error
		return 0, 0
	}
	if k.id < len(w.memo) {
		w.memo[k.id] = numMemo{cs[i].from, cs[i].to, cs[i].i, cs[i].f}
	}
	if w.rng == nil {
		v := &w.p.params[k.name][i]
		w.used[k.name+"@"+v.From.String()] = *v
		if v.Unit == Probability {
			w.useProb(k.name+" from "+v.From.String(), v.Unconfirmed)
		}
	}
	return cs[i].i, cs[i].f
}

func (w *walker) months(key pkey, on Date) int { n, _ := w.num(key, on); return n }

// flag reports whether a flag value is on (1) on a date.
func (w *walker) flag(key pkey, on Date) bool { n, _ := w.num(key, on); return n > 0 }

// pf is a probability as a float, for sampling.
func (w *walker) pf(key pkey, on Date) float64 { _, f := w.num(key, on); return f }
func (w *walker) prob(key pkey, on Date) decimal.Decimal {
	return w.lookup(key, on).Value
}

// chance returns a probability from the policy: exact for the tree, as a
// float when sampling (the other is zero).
func (w *walker) chance(key pkey, on Date) (decimal.Decimal, float64) {
	if w.rng != nil {
		return decimal.Decimal{}, w.pf(key, on)
	}
	return w.lookup(key, on).Value, 0
}

// complement returns 1 − p both ways.
func (w *walker) complement(p decimal.Decimal, f float64) (decimal.Decimal, float64) {
	if w.rng != nil {
		return decimal.Decimal{}, 1 - f
	}
	return one.Sub(p), 0
}

// ref is a source reference to the policy value of key in force on date on,
// followed by the public sources that value cites.
func (w *walker) ref(key pkey, on Date) []SourceRef {
	v := w.lookup(key, on)
	return append([]SourceRef{{PolicyKey: key.name, On: v.From}}, w.p.SourceRefs(v.Source)...)
}

// refs joins source references, dropping repeats.
func refs(groups ...[]SourceRef) []SourceRef {
	var out []SourceRef
	for _, g := range groups {
		for _, r := range g {
			dup := false
			for _, o := range out {
				dup = dup || o == r
			}
			if !dup {
				out = append(out, r)
			}
		}
	}
	return out
}

// notBefore moves an expected date that has already passed to the as-of
// date: the event is overdue and may happen any day.
func (w *walker) notBefore(d Date) (Date, bool) {
	if d.Before(w.asOf) {
		return w.asOf, true
	}
	return d, false
}
