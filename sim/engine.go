package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

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
	w := &walker{c: c, p: p, asOf: asOf, horizon: c.DateOfBirth.Birthday(25), used: map[string]Param{}}
	w.start()
	if w.err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, w.err)
	}
	plan := &Plan{ID: c.ID, AsOf: asOf, Policy: p.Name, Status: c.Asylum.Status, Branches: w.out}
	milestones := w.milestones()
	for i := range plan.Branches {
		b := &plan.Branches[i]
		for _, m := range milestones {
			if b.Departure.IsZero() || !m.Date.After(b.Departure) {
				b.Events = append(b.Events, m)
			}
		}
		sort.SliceStable(b.Events, func(i, j int) bool { return b.Events[i].Date.Before(b.Events[j].Date) })
	}
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
	return plan, nil
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

	// For sampling one path at a time (the forecast); nil for the tree.
	cuts     []int // scratch for money
	pathDays pathDays
	facts    moneyFacts
	rng      *rand.Rand
	firstF   [4]float64 // the first decision's chances, as floats
	priorF   [4]float64 // the nationality's prior, as floats
	spread   float64    // log-normal sigma of waiting times around their medians
	norm     distuv.Normal
}

// state is one partly built branch. Branching copies it. A quiet state
// (when sampling) keeps no events: only the path and its periods.
type state struct {
	b     Branch
	quiet bool
	// protectedSince is the start of the current run of refugee or HP
	// leave, from which five years' leave for settlement counts.
	protectedSince Date
}

func (s state) clone() state {
	b := s.b
	b.Path = append([]Outcome(nil), b.Path...)
	b.Events = append([]Event(nil), b.Events...)
	b.Periods = append([]Period(nil), b.Periods...)
	return state{b: b, quiet: s.quiet, protectedSince: s.protectedSince}
}

// choose picks, when sampling, which of a branching point's options the
// path takes (by their probabilities); it returns -1 when building the tree,
// where every option is taken.
func (w *walker) choose(ps ...float64) int {
	if w.rng == nil {
		return -1
	}
	u := w.rng.Float64()
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

// take returns the state for option i with outcome o and probability p, and
// whether the path goes that way: in the tree every option with a chance,
// when sampling only the chosen one.
func (w *walker) take(s state, choice, i int, o Outcome, p decimal.Decimal) (state, bool) {
	if choice >= 0 {
		if i != choice {
			return s, false
		}
		s.b.Path = append(s.b.Path, o)
		return s, true
	}
	if p.IsZero() {
		return s, false
	}
	t := s.clone()
	t.step(o, p)
	return t, true
}

// wait returns the date a wait of the policy's median weeks (key, in force on
// from) ends: the median itself in the tree, a log-normal draw around it when
// sampling (domain.md §7; gonum distuv).
func (w *walker) wait(key pkey, from Date) Date {
	weeks := w.months(key, from)
	if w.rng == nil || w.spread == 0 {
		return from.AddWeeks(weeks)
	}
	days := float64(7*weeks) * math.Exp(w.spread*w.norm.Rand())
	return from.AddDays(int(math.Round(days)))
}

func (s *state) step(o Outcome, p decimal.Decimal) {
	s.b.Path = append(s.b.Path, o)
	s.b.Probability = s.b.Probability.Mul(p)
}

func (s *state) event(d Date, k EventKind, format string, args ...any) {
	if s.quiet {
		return
	}
	s.b.Events = append(s.b.Events, Event{Date: d, Kind: k, Text: fmt.Sprintf(format, args...)})
}

// deadline records an event that calls for an action under a perspective.
func (s *state) deadline(d Date, k EventKind, pp Perspective, text string) {
	if s.quiet {
		return
	}
	s.b.Events = append(s.b.Events, Event{Date: d, Kind: k, Text: text, perspective: pp})
}

func (s *state) period(from Date, st Standing, cut bool) {
	s.b.Periods = append(s.b.Periods, Period{From: from, Standing: st, SupportCut: cut})
}

// finish records the branch; end is where it leaves the young person.
func (w *walker) finish(s state, end Perspective) {
	if s.b.Probability.IsZero() && w.rng == nil {
		return
	}
	s.b.End = end
	w.out = append(w.out, s.b)
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
	}
	return v
}

// num returns a policy value on a date as numbers: whole (months, weeks,
// days) and float (a probability or spread for sampling). It records the
// value's use like lookup, without copying it.
func (w *walker) num(k pkey, on Date) (int, float64) {
	i, cs := w.p.find(k, on.days())
	if i < 0 {
		w.lookup(k, on) // records the error
		return 0, 0
	}
	if w.rng == nil {
		v := &w.p.params[k.name][i]
		w.used[k.name+"@"+v.From.String()] = *v
	}
	return cs[i].i, cs[i].f
}

func (w *walker) months(key pkey, on Date) int { n, _ := w.num(key, on); return n }

// pf is a probability as a float, for sampling.
func (w *walker) pf(key pkey, on Date) float64 { _, f := w.num(key, on); return f }
func (w *walker) prob(key pkey, on Date) decimal.Decimal {
	return w.lookup(key, on).Value
}

// notBefore moves an expected date that has already passed to the as-of
// date: the event is overdue and may happen any day.
func (w *walker) notBefore(d Date) (Date, bool) {
	if d.Before(w.asOf) {
		return w.asOf, true
	}
	return d, false
}

func (w *walker) start() { w.begin(state{b: Branch{Probability: one}}) }

func (w *walker) begin(s state) {
	c := w.c
	switch c.Asylum.Status {
	case Pending:
		s.period(c.Asylum.ClaimDate, AsylumSeeker, false)
		d := c.Asylum.ExpectedDecision
		if d.IsZero() {
			d = w.asOf.AddWeeks(w.months(kWaitFirstDecisionWeeks, w.asOf))
		}
		w.decide(s, d, false, "first decision on the asylum claim")
	case StatusRefugee, StatusHumanitarianProtection, StatusUASCLeave:
		o := Outcome(c.Asylum.Status)
		s.step(o, one)
		if !s.quiet { // formatting allocates: skip it when sampling
			s.event(c.Asylum.DecisionDate, EventDecision, "%s granted", outcomeWords[o])
		}
		w.grant(s, o, c.Asylum.DecisionDate)
	case StatusRefused:
		s.step(Refused, one)
		s.period(c.Asylum.ClaimDate, AsylumSeeker, false)
		s.event(c.Asylum.DecisionDate, EventDecision, "asylum claim refused")
		w.refused(s, c.Asylum.DecisionDate)
	case StatusARE:
		s.step(AppealRightsExhausted, one)
		w.are(s, c.Asylum.DecisionDate)
	case StatusSettled:
		s.step(Settled, one)
		s.period(c.Asylum.DecisionDate, Indefinite, false)
		s.event(c.Asylum.DecisionDate, EventDecision, "indefinite leave to remain granted")
		w.finish(s, LongTerm)
	default:
		w.err = fmt.Errorf("unknown asylum status %q", c.Asylum.Status)
	}
}

// prior returns the outcome probabilities for the young person's nationality.
func (w *walker) prior() Probabilities {
	pr := w.p.Prior(w.c.Nationality)
	key := "prior:" + pr.Nationality
	if pr.Nationality == "" {
		key = "prior:default"
	}
	w.used[key] = Param{Key: key, Unit: Probability, Source: pr.Source, Confidence: pr.Confidence, Note: pr.Note}
	return pr.Probs
}

// AgeLimitOn returns the date from which UASC leave cannot be granted to
// someone born on dob, by the rule in force on date on: 17½ since April 2007
// (guidance para 58(3); Immigration Rules 352ZD–ZF, domain.md S1).
func (w *walker) uascAgeLimit(on Date) Date {
	return w.c.DateOfBirth.AddMonths(w.months(kLeaveUascAgeLimitMonths, on))
}

// Apply17Half moves the UASC leave share of a decision made on or after the
// age limit to refusal: UASC leave is granted only to children who would
// otherwise be refused and are under 17½ on the decision date (domain.md §1,
// S1; product.md §2).
func Apply17Half(p Probabilities, decision, limit Date) Probabilities {
	if decision.Before(limit) {
		return p
	}
	p.Refused = p.Refused.Add(p.UASCLeave)
	p.UASCLeave = decimal.Zero
	return p
}

// extensionProbs are the chances for an application to extend UASC leave.
// UASC leave is granted only to a child whose asylum claim was refused
// (domain.md §1, S1), so the first decision's grant rate does not carry over:
// the chance of a grant comes from the policy, split between refugee status
// and humanitarian protection as the nationality's prior splits them.
func (w *walker) extensionProbs(on Date) Probabilities {
	grant := w.prob(kExtensionUascGrantProbability, on)
	prior := w.prior()
	protection := prior.RefugeeStatus.Add(prior.HumanitarianProtection)
	refugee := grant
	if protection.IsPositive() {
		refugee = grant.Mul(prior.RefugeeStatus).DivRound(protection, 6)
	}
	return Probabilities{RefugeeStatus: refugee, HumanitarianProtection: grant.Sub(refugee), Refused: one.Sub(grant)}
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

// decisionProbs are the chances of a first decision (the case's own, or
// the nationality's prior) or of an extension after UASC leave.
func (w *walker) decisionProbs(extension bool, on Date) Probabilities {
	if extension {
		return w.extensionProbs(on)
	}
	if w.c.Asylum.Probabilities != nil {
		return *w.c.Asylum.Probabilities
	}
	return w.prior()
}

// decisionFloats are decisionProbs as floats, for sampling; the fixed ones
// are converted once per sampler.
func (w *walker) decisionFloats(extension bool, on Date) [4]float64 {
	if !extension {
		return w.firstF
	}
	g := w.pf(kExtensionUascGrantProbability, on)
	r, h := w.priorF[0], w.priorF[1]
	refugee := g
	if r+h > 0 {
		refugee = g * r / (r + h)
	}
	return [4]float64{refugee, g - refugee, 0, 1 - g}
}

// decide branches four ways on a Home Office decision (guidance para 58).
func (w *walker) decide(s state, d Date, extension bool, what string) {
	d, overdue := w.notBefore(d)
	if d.After(w.horizon) {
		if !s.quiet { // formatting allocates: skip it when sampling
			s.event(w.horizon, EventPlanHorizon, "the %s is not expected before the plan ends at 25", what)
		}
		w.finish(s, endOf(s))
		return
	}
	limit := w.uascAgeLimit(d)
	var probs Probabilities
	var pf [4]float64
	if w.rng == nil {
		probs = Apply17Half(w.decisionProbs(extension, d), d, limit)
	} else {
		pf = w.decisionFloats(extension, d)
		if !d.Before(limit) { // the 17½ rule, as Apply17Half
			pf[3] += pf[2]
			pf[2] = 0
		}
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	choice := w.choose(pf[0], pf[1], pf[2], pf[3])
	for i, o := range DecisionOutcomes {
		t, ok := w.take(s, choice, i, o, probs.Of(o))
		if !ok {
			continue
		}
		if o == Refused {
			if !t.quiet { // formatting allocates: skip it when sampling
				t.event(d, EventDecision, "%s: refused%s", what, late)
			}
			w.refused(t, d)
			continue
		}
		if !t.quiet { // formatting allocates: skip it when sampling
			t.event(d, EventDecision, "%s: %s granted%s", what, outcomeWords[o], late)
		}
		w.grant(t, o, d)
	}
}

var outcomeWords = map[Outcome]string{
	RefugeeStatus:          "refugee status",
	HumanitarianProtection: "humanitarian protection",
	UASCLeave:              "UASC leave",
}

// grant gives leave from date d (guidance paras 58–59) and follows it to its
// end: settlement after five years' refugee or HP leave, or an extension
// decision for UASC leave.
func (w *walker) grant(s state, o Outcome, d Date) {
	var expiry Date
	switch o {
	case RefugeeStatus:
		expiry = d.AddMonths(w.months(kLeaveRefugeeMonths, d))
	case HumanitarianProtection:
		expiry = d.AddMonths(w.months(kLeaveHumanitarianProtectionMonths, d))
	case UASCLeave:
		// 30 months or to 17½, whichever is shorter (para 58(3)).
		expiry = MinDate(d.AddMonths(w.months(kLeaveUascMonths, d)), w.uascAgeLimit(d))
	}
	if s.b.LeaveExpires.IsZero() {
		s.b.LeaveExpires = expiry
	}
	s.period(d, WithLeave, false)
	if !s.quiet { // formatting allocates: skip it when sampling
		s.event(expiry, EventLeaveExpires, "%s expires; an in-time application keeps it going (section 3C)", outcomeWords[o])
	}
	applyBy := MaxDate(expiry.AddMonths(-w.months(kExtensionLeadMonths, expiry)), d)
	next := w.wait(kWaitExtensionDecisionWeeks, applyBy)
	if o == UASCLeave {
		s.deadline(applyBy, EventApplyToExtendBy, Transitional, "apply to extend UASC leave, in time, with the solicitor")
		w.decide(s, next, true, "decision on the application to extend")
		return
	}
	if s.protectedSince.IsZero() {
		s.protectedSince = d
	}
	eligible := s.protectedSince.AddMonths(w.months(kSettlementQualifyingMonths, s.protectedSince))
	// Leave shorter than the qualifying period (the 30-month temporary
	// humanitarian permission of 2022–23, S4, S7) is extended before
	// settlement can be applied for; otherwise the application is for
	// settlement (guidance para 59).
	extend := expiry.Before(eligible)
	if extend {
		s.deadline(applyBy, EventApplyToExtendBy, LongTerm, "apply for further leave on the protection route, in time")
	} else {
		s.event(eligible, EventSettlementEligible, "five years' leave completed: eligible for settlement")
		s.deadline(applyBy, EventApplyToExtendBy, LongTerm, "apply for settlement (indefinite leave to remain), in time")
	}
	next, _ = w.notBefore(next)
	if next.After(w.horizon) {
		w.finish(s, LongTerm)
		return
	}
	refuse, refuseF := w.chance(kSettlementRefusalProbability, next)
	grant, grantF := w.complement(refuse, refuseF)
	choice := w.choose(grantF, refuseF)
	if extend {
		if renewed, ok := w.take(s, choice, 0, o, grant); ok {
			renewed.event(next, EventDecision, "further leave granted on the protection route")
			w.grant(renewed, o, next)
		}
	} else if settled, ok := w.take(s, choice, 0, Settled, grant); ok {
		settled.event(next, EventDecision, "settlement decision: indefinite leave to remain granted")
		settled.period(next, Indefinite, false)
		w.finish(settled, LongTerm)
	}
	if r, ok := w.take(s, choice, 1, Refused, refuse); ok {
		r.event(next, EventDecision, "decision on the application: refused")
		w.refused(r, next)
	}
}

// refused follows a refusal: an appeal lodged within the window, allowed
// (leave granted) or dismissed (appeal rights exhausted). Section 3C leave,
// or the pending claim, carries the young person's standing meanwhile.
func (w *walker) refused(s state, d Date) {
	deadline := d.AddDays(w.months(kAppealWindowDays, d))
	s.deadline(deadline, EventAppealDeadline, Transitional, "last day to lodge an appeal to the First-tier Tribunal")
	hearing, overdue := w.notBefore(w.wait(kWaitAppealWeeks, deadline))
	if hearing.After(w.horizon) {
		s.event(w.horizon, EventPlanHorizon, "the appeal is not expected to be decided before the plan ends at 25")
		w.finish(s, endOf(s))
		return
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	allowed, allowedF := w.chance(kAppealAllowedProbability, hearing)
	dismissed, dismissedF := w.complement(allowed, allowedF)
	choice := w.choose(allowedF, dismissedF)
	if a, ok := w.take(s, choice, 0, AppealAllowed, allowed); ok {
		if !a.quiet { // formatting allocates: skip it when sampling
			a.event(hearing, EventAppealDecision, "appeal allowed: refugee status granted%s", late)
		}
		w.grant(a, RefugeeStatus, hearing)
	}
	if d, ok := w.take(s, choice, 1, AppealDismissed, dismissed); ok {
		if !d.quiet { // formatting allocates: skip it when sampling
			d.event(hearing, EventAppealDecision, "appeal dismissed%s", late)
		}
		are := hearing.AddDays(w.months(kAppealUtPermissionDays, hearing))
		w.are(d, are)
	}
}

// are follows appeal rights exhausted: the Schedule 3 human rights
// assessment for an adult (guidance para 65; domain.md §2), then a voluntary
// return (paras 60–62), a fresh claim, or staying without leave.
func (w *walker) are(s state, d Date) {
	s.event(d, EventAppealRightsExhausted, "appeal rights exhausted: no leave to remain")
	s.period(d, WithoutLeave, false)
	adult := MaxDate(d, w.c.DateOfBirth.Birthday(18))
	adult, _ = w.notBefore(adult)
	// Under-18s are never cut (Schedule 3 para 2); the assessment falls at 18.
	hra := adult
	s.deadline(hra, EventHumanRights, ReturnHome, "human rights assessment before any leaving-care support stops (Schedule 3)")
	cut := hra.AddWeeks(w.months(kSchedule3NoticeWeeks, hra))
	continues := w.c.Schedule3 != nil && w.c.Schedule3.SupportContinues

	pRet, fRet := w.chance(kAreReturnProbability, d)
	pFresh, fFresh := w.chance(kAreFreshClaimProbability, d)
	pStay, fStay := w.chance(kAreNoLeaveProbability, d)
	choice := w.choose(fRet, fFresh, fStay)
	if ret, ok := w.take(s, choice, 0, VoluntaryReturn, pRet); ok {
		w.voluntaryReturn(ret, d)
	}
	if fresh, ok := w.take(s, choice, 1, FreshClaim, pFresh); ok {
		fc, _ := w.notBefore(d.AddMonths(w.months(kAreFreshClaimAfterMonths, d)))
		if !continues && cut.Before(fc) {
			fresh.event(cut, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
			fresh.period(cut, WithoutLeave, true)
		}
		fresh.event(fc, EventFreshClaim, "fresh claim lodged: support restored while it is considered")
		fresh.period(fc, AsylumSeeker, false)
		w.finish(fresh, Transitional)
	}
	if stay, ok := w.take(s, choice, 2, NoLeave, pStay); ok {
		if continues {
			if !stay.quiet { // formatting allocates: skip it when sampling
				stay.event(hra, EventSupportContinues, "support continues: %s", w.c.Schedule3.Reason)
			}
		} else {
			stay.event(cut, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
			stay.period(cut, WithoutLeave, true)
		}
		w.finish(stay, ReturnHome)
	}
}

// voluntaryReturn follows a return with AVR from appeal rights exhausted on
// d: the departure (the case's planned date if it has one), then the
// reintegration windows.
func (w *walker) voluntaryReturn(ret state, d Date) {
	dep := d.AddMonths(w.months(kAreReturnAfterMonths, d))
	if w.c.Return != nil && !w.c.Return.Departure.IsZero() && !w.c.Return.Departure.Before(d) {
		dep = w.c.Return.Departure
	}
	dep, _ = w.notBefore(dep)
	ret.b.Departure = dep
	ret.event(dep, EventAVRDeparture, "voluntary return: departure with Assisted Voluntary Return")
	// Contact within a month of return; all assistance within the first year (para 62).
	ret.deadline(dep.AddMonths(w.months(kAvrContactMonths, dep)), EventReintegrationContact, ReturnHome, "last day to contact the reintegration service after return")
	ret.deadline(dep.AddMonths(w.months(kAvrSpendMonths, dep)), EventReintegrationSpend, ReturnHome, "reintegration assistance must be used by now")
	ret.period(dep, Departed, false)
	w.finish(ret, ReturnHome)
}

// endOf says where a path cut short by the horizon leaves the young person.
func endOf(s state) Perspective {
	if len(s.b.Periods) == 0 {
		return Transitional
	}
	switch s.b.Periods[len(s.b.Periods)-1].Standing {
	case Indefinite:
		return LongTerm
	case WithoutLeave, Departed:
		return ReturnHome
	}
	last := s.b.Path[len(s.b.Path)-1]
	if last == RefugeeStatus || last == HumanitarianProtection || last == AppealAllowed {
		return LongTerm
	}
	return Transitional
}

// milestones are the age and care milestones of product.md §2 from the
// as-of date on.
func (w *walker) milestones() []Event {
	dob := w.c.DateOfBirth
	all := []Event{
		{Date: dob.Birthday(16), Kind: EventTurns16, Text: "turns 16: pathway planning starts"},
		{Date: dob.AddMonths(17*12 + 6), Kind: EventTurns17Half, Text: "turns 17½: UASC leave ends and is no longer granted (para 58)"},
		{Date: dob.Birthday(18), Kind: EventTurns18, Text: "turns 18: leaves care; a personal adviser must be appointed (para 66)"},
		{Date: dob.Birthday(21), Kind: EventTurns21, Text: "turns 21: leaving-care support continues only in education or training, or on request"},
		{Date: dob.Birthday(25), Kind: EventTurns25, Text: "turns 25: personal adviser support ends"},
	}
	var out []Event
	for _, e := range all {
		if !e.Date.Before(w.asOf) {
			out = append(out, e)
		}
	}
	return out
}

// perspectives applies the planning rule of guidance para 56: a
// transitional plan while status is not permanent; a long-term plan if leave
// may be granted (para 59); a return plan if a refusal may come, since plans
// must always consider the implications of a refusal (para 60). A
// perspective whose chance of coming into play is under the policy threshold
// is named as a contingency, not a plan.
func (w *walker) perspectives(plan *Plan) {
	plan.Chances = map[Perspective]decimal.Decimal{Transitional: decimal.Zero, LongTerm: decimal.Zero, ReturnHome: decimal.Zero}
	plan.Exposure = map[Perspective]decimal.Decimal{LongTerm: decimal.Zero, ReturnHome: decimal.Zero}
	for _, b := range plan.Branches {
		plan.Chances[b.End] = plan.Chances[b.End].Add(b.Probability)
		if slices.ContainsFunc(b.Path, grantsLeave) {
			plan.Exposure[LongTerm] = plan.Exposure[LongTerm].Add(b.Probability)
		}
		if slices.ContainsFunc(b.Path, refuses) {
			plan.Exposure[ReturnHome] = plan.Exposure[ReturnHome].Add(b.Probability)
		}
	}
	threshold := w.prob(kPlanningContingencyThreshold, w.asOf)
	var why []string
	st := plan.Status
	secure := st == StatusRefugee || st == StatusHumanitarianProtection || st == StatusSettled
	if !secure {
		plan.Perspectives = append(plan.Perspectives, Transitional)
		why = append(why, fmt.Sprintf("%s is not permanent status: a transitional plan while it is resolved (para 56)", StatusWords[st]))
	} else {
		why = append(why, "leave is granted: plan for long-term residence as for any care leaver (para 59)")
	}
	for _, pp := range []Perspective{LongTerm, ReturnHome} {
		ch := plan.Exposure[pp]
		switch {
		case ch.IsZero():
		case ch.GreaterThanOrEqual(threshold):
			plan.Perspectives = append(plan.Perspectives, pp)
			if !secure || pp != LongTerm {
				why = append(why, fmt.Sprintf("%s: chance %s (para %s)", perspectiveWhy[pp], Chance(ch), perspectivePara[pp]))
			}
		default:
			plan.Contingencies = append(plan.Contingencies, pp)
			why = append(why, fmt.Sprintf("%s only as a contingency: chance %s, under %s", perspectiveWhy[pp], Chance(ch), Chance(threshold)))
		}
	}
	plan.Planning = [...]string{"", "single", "dual", "triple"}[len(plan.Perspectives)]
	plan.Reason = strings.Join(why, "; ")
}

// StatusWords name each status in an adviser's words.
var StatusWords = map[Status]string{
	Pending:                      "a pending asylum claim",
	StatusRefugee:                "refugee status",
	StatusHumanitarianProtection: "humanitarian protection",
	StatusUASCLeave:              "UASC leave",
	StatusRefused:                "a refused claim",
	StatusARE:                    "appeal rights exhausted",
	StatusSettled:                "indefinite leave to remain",
}

// grantsLeave and refuses classify the steps of a path.
func grantsLeave(o Outcome) bool {
	return o == RefugeeStatus || o == HumanitarianProtection || o == AppealAllowed || o == Settled
}

func refuses(o Outcome) bool {
	return o == Refused || o == AppealDismissed || o == AppealRightsExhausted
}

var perspectiveWhy = map[Perspective]string{
	LongTerm:   "a long-term plan in case leave is granted",
	ReturnHome: "a return plan in case of a refusal",
}

var perspectivePara = map[Perspective]string{LongTerm: "59", ReturnHome: "60"}

// Chance writes a probability as a percentage, e.g. "73%" or "0.5%".
func Chance(p decimal.Decimal) string {
	pc := p.Mul(decimal.NewFromInt(100))
	if pc.LessThan(one) && pc.IsPositive() {
		return pc.Round(1).String() + "%"
	}
	return pc.Round(0).String() + "%"
}
