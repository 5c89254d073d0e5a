package sim

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

var one = decimal.NewFromInt(1)

// NewPlan branches a young person's case across every possible sequence of
// decisions from the as-of date to their 25th birthday, and composes the
// single, dual or triple plan of guidance para 56 from the result.
//
// The case must be valid (scenarios.ParseCase checks it); asOf is the date
// the plan is seen from. NewPlan is pure: the same inputs give the same plan.
func NewPlan(c Case, p *Policy, asOf Date) (*Plan, error) {
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
}

// state is one partly built branch. Branching copies it.
type state struct{ b Branch }

func (s state) clone() state {
	b := s.b
	b.Path = append([]Outcome(nil), b.Path...)
	b.Events = append([]Event(nil), b.Events...)
	b.Periods = append([]Period(nil), b.Periods...)
	return state{b: b}
}

func (s *state) step(o Outcome, p decimal.Decimal) {
	s.b.Path = append(s.b.Path, o)
	s.b.Probability = s.b.Probability.Mul(p)
}

func (s *state) event(d Date, k EventKind, format string, args ...any) {
	s.b.Events = append(s.b.Events, Event{Date: d, Kind: k, Text: fmt.Sprintf(format, args...)})
}

// deadline records an event that calls for an action under a perspective.
func (s *state) deadline(d Date, k EventKind, pp Perspective, text string) {
	s.b.Events = append(s.b.Events, Event{Date: d, Kind: k, Text: text, perspective: pp})
}

func (s *state) period(from Date, st Standing, cut bool) {
	s.b.Periods = append(s.b.Periods, Period{From: from, Standing: st, SupportCut: cut})
}

// finish records the branch; end is where it leaves the young person.
func (w *walker) finish(s state, end Perspective) {
	if s.b.Probability.IsZero() {
		return
	}
	s.b.End = end
	w.out = append(w.out, s.b)
}

// lookup returns a policy value on a date, recording its use.
func (w *walker) lookup(key string, on Date) Param {
	v, err := w.p.Lookup(key, on)
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		return Param{Key: key, Value: decimal.Zero}
	}
	w.used[key+"@"+v.From.String()] = v
	return v
}

func (w *walker) months(key string, on Date) int { return w.lookup(key, on).Int() }
func (w *walker) prob(key string, on Date) decimal.Decimal {
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

func (w *walker) start() {
	c := w.c
	s := state{b: Branch{Probability: one}}
	switch c.Asylum.Status {
	case Pending:
		s.period(c.Asylum.ClaimDate, AsylumSeeker, false)
		d := c.Asylum.ExpectedDecision
		if d.IsZero() {
			d = w.asOf.AddWeeks(w.lookup("wait.first_decision_weeks", w.asOf).Int())
		}
		probs := w.prior()
		if c.Asylum.Probabilities != nil {
			probs = *c.Asylum.Probabilities
		}
		w.decide(s, d, probs, "first decision on the asylum claim")
	case StatusRefugee, StatusHumanitarianProtection, StatusUASCLeave:
		o := Outcome(c.Asylum.Status)
		s.step(o, one)
		s.event(c.Asylum.DecisionDate, EventDecision, "%s granted", outcomeWords[o])
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
	return w.c.DateOfBirth.AddMonths(w.months("leave.uasc_age_limit_months", on))
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
	grant := w.prob("extension.uasc_grant_probability", on)
	prior := w.prior()
	protection := prior.RefugeeStatus.Add(prior.HumanitarianProtection)
	refugee := grant
	if protection.IsPositive() {
		refugee = grant.Mul(prior.RefugeeStatus).DivRound(protection, 6)
	}
	return Probabilities{RefugeeStatus: refugee, HumanitarianProtection: grant.Sub(refugee), Refused: one.Sub(grant)}
}

// decide branches four ways on a Home Office decision (guidance para 58).
func (w *walker) decide(s state, d Date, probs Probabilities, what string) {
	d, overdue := w.notBefore(d)
	if d.After(w.horizon) {
		s.event(w.horizon, EventPlanHorizon, "the %s is not expected before the plan ends at 25", what)
		w.finish(s, endOf(s))
		return
	}
	probs = Apply17Half(probs, d, w.uascAgeLimit(d))
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	for _, o := range DecisionOutcomes {
		p := probs.Of(o)
		if p.IsZero() {
			continue
		}
		t := s.clone()
		t.step(o, p)
		if o == Refused {
			t.event(d, EventDecision, "%s: refused%s", what, late)
			w.refused(t, d)
			continue
		}
		t.event(d, EventDecision, "%s: %s granted%s", what, outcomeWords[o], late)
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
		expiry = d.AddMonths(w.months("leave.refugee_months", d))
	case HumanitarianProtection:
		expiry = d.AddMonths(w.months("leave.humanitarian_protection_months", d))
	case UASCLeave:
		// 30 months or to 17½, whichever is shorter (para 58(3)).
		expiry = MinDate(d.AddMonths(w.months("leave.uasc_months", d)), w.uascAgeLimit(d))
	}
	if s.b.LeaveExpires.IsZero() {
		s.b.LeaveExpires = expiry
	}
	s.period(d, WithLeave, false)
	s.event(expiry, EventLeaveExpires, "%s expires; an in-time application keeps it going (section 3C)", outcomeWords[o])
	applyBy := MaxDate(expiry.AddMonths(-w.months("extension.lead_months", expiry)), d)
	next := applyBy.AddWeeks(w.lookup("wait.extension_decision_weeks", applyBy).Int())
	if o == UASCLeave {
		s.deadline(applyBy, EventApplyToExtendBy, Transitional, "apply to extend UASC leave, in time, with the solicitor")
		w.decide(s, next, w.extensionProbs(next), "decision on the application to extend")
		return
	}
	eligible := d.AddMonths(w.months("settlement.qualifying_months", d))
	s.event(eligible, EventSettlementEligible, "five years' leave completed: eligible for settlement")
	s.deadline(applyBy, EventApplyToExtendBy, LongTerm, "apply for settlement (indefinite leave to remain), in time")
	next, _ = w.notBefore(next)
	if next.After(w.horizon) {
		w.finish(s, LongTerm)
		return
	}
	refuse := w.prob("settlement.refusal_probability", next)
	settled := s.clone()
	settled.step(Settled, one.Sub(refuse))
	settled.event(next, EventDecision, "settlement decision: indefinite leave to remain granted")
	settled.period(next, Indefinite, false)
	w.finish(settled, LongTerm)
	if refuse.IsPositive() {
		s.step(Refused, refuse)
		s.event(next, EventDecision, "settlement decision: refused")
		w.refused(s, next)
	}
}

// refused follows a refusal: an appeal lodged within the window, allowed
// (leave granted) or dismissed (appeal rights exhausted). Section 3C leave,
// or the pending claim, carries the young person's standing meanwhile.
func (w *walker) refused(s state, d Date) {
	deadline := d.AddDays(w.lookup("appeal.window_days", d).Int())
	s.deadline(deadline, EventAppealDeadline, Transitional, "last day to lodge an appeal to the First-tier Tribunal")
	hearing, overdue := w.notBefore(deadline.AddWeeks(w.lookup("wait.appeal_weeks", deadline).Int()))
	if hearing.After(w.horizon) {
		s.event(w.horizon, EventPlanHorizon, "the appeal is not expected to be decided before the plan ends at 25")
		w.finish(s, endOf(s))
		return
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	allowed := w.prob("appeal.allowed_probability", hearing)
	a := s.clone()
	a.step(AppealAllowed, allowed)
	a.event(hearing, EventAppealDecision, "appeal allowed: refugee status granted%s", late)
	w.grant(a, RefugeeStatus, hearing)

	s.step(AppealDismissed, one.Sub(allowed))
	s.event(hearing, EventAppealDecision, "appeal dismissed%s", late)
	are := hearing.AddDays(w.lookup("appeal.ut_permission_days", hearing).Int())
	w.are(s, are)
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
	cut := hra.AddWeeks(w.lookup("schedule3.notice_weeks", hra).Int())
	continues := w.c.Schedule3 != nil && w.c.Schedule3.SupportContinues

	ret := s.clone()
	ret.step(VoluntaryReturn, w.prob("are.return_probability", d))
	dep := d.AddMonths(w.months("are.return_after_months", d))
	if w.c.Return != nil && !w.c.Return.Departure.IsZero() && !w.c.Return.Departure.Before(d) {
		dep = w.c.Return.Departure
	}
	dep, _ = w.notBefore(dep)
	ret.b.Departure = dep
	ret.event(dep, EventAVRDeparture, "voluntary return: departure with Assisted Voluntary Return")
	// Contact within a month of return; all assistance within the first year (para 62).
	ret.deadline(dep.AddMonths(w.months("avr.contact_months", dep)), EventReintegrationContact, ReturnHome, "last day to contact the reintegration service after return")
	ret.deadline(dep.AddMonths(w.months("avr.spend_months", dep)), EventReintegrationSpend, ReturnHome, "reintegration assistance must be used by now")
	ret.period(dep, Departed, false)
	w.finish(ret, ReturnHome)

	fresh := s.clone()
	fresh.step(FreshClaim, w.prob("are.fresh_claim_probability", d))
	fc, _ := w.notBefore(d.AddMonths(w.months("are.fresh_claim_after_months", d)))
	if !continues && cut.Before(fc) {
		fresh.event(cut, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
		fresh.period(cut, WithoutLeave, true)
	}
	fresh.event(fc, EventFreshClaim, "fresh claim lodged: support restored while it is considered")
	fresh.period(fc, AsylumSeeker, false)
	w.finish(fresh, Transitional)

	stay := s
	stay.step(NoLeave, w.prob("are.no_leave_probability", d))
	if continues {
		stay.event(hra, EventSupportContinues, "support continues: %s", w.c.Schedule3.Reason)
	} else {
		stay.event(cut, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
		stay.period(cut, WithoutLeave, true)
	}
	w.finish(stay, ReturnHome)
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
	threshold := w.prob("planning.contingency_threshold", w.asOf)
	var why []string
	st := plan.Status
	secure := st == StatusRefugee || st == StatusHumanitarianProtection || st == StatusSettled
	if !secure {
		plan.Perspectives = append(plan.Perspectives, Transitional)
		why = append(why, fmt.Sprintf("status is %s, not permanent: a transitional plan while it is resolved (para 56)", strings.ReplaceAll(string(st), "_", " ")))
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
