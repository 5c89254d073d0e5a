package sim

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// The rules of the asylum process, as the walker follows them: decisions
// (guidance para 58), leave and applications before it ends (para 59,
// domain.md §1 and §9), appeals (para 60), appeal rights exhausted and
// Schedule 3 (para 65), fresh claims, and voluntary return (paras 60–62).

// decisionKind says which decision is being made.
type decisionKind int

const (
	firstClaim     decisionKind = iota // the decision on an asylum claim
	extension                          // the decision on an application to extend UASC leave
	freshClaimDone                     // an accepted fresh claim, decided as a claim
)

func (w *walker) start() {
	a := w.c.Asylum
	w.begin(&state{b: walkBranch{Probability: one, tree: &treeBranch{}}, claim: a.ClaimDate, certified: a.Certified, firstDecision: true})
}

func (w *walker) begin(s *state) {
	c := &w.c
	d := c.Asylum.DecisionDate
	switch c.Asylum.Status {
	case Pending:
		s.period(c.Asylum.ClaimDate, AsylumSeeker, false)
		e := c.Asylum.ExpectedDecision
		if e.IsZero() {
			e = w.asOf.AddWeeks(w.months(kWaitFirstDecisionWeeks, w.asOf))
		}
		w.decide(s, e, firstClaim, "first decision on the asylum claim")
	case StatusRefugee, StatusHumanitarianProtection, StatusUASCLeave:
		o := Outcome(c.Asylum.Status)
		s.step(o, one, d)
		s.firstDecision = false
		if !s.quiet {
			s.event(d, EventDecision, leaveWords[o]+" granted")
		}
		if o != UASCLeave && w.rng == nil {
			t := s
			expiry, _, extend := w.leaveTerms(t, o, d, false)
			if extend {
				w.shortGrant = true
				w.renewalRefusal = w.prob(kProtectionRenewalRefusalProbability, expiry)
			}
		}
		if o != RefugeeStatus {
			w.upgradeAppeal(s, o, d)
			return
		}
		w.grant(s, o, d, false)
	case StatusRefused:
		s.step(Refused, one, d)
		s.firstDecision = false
		s.period(c.Asylum.ClaimDate, AsylumSeeker, false)
		if !s.quiet {
			s.event(d, EventDecision, "asylum claim refused")
		}
		w.refused(s, d, s.certified)
	case StatusARE:
		s.step(AppealRightsExhausted, one, d)
		s.firstDecision = false
		if fc := c.Asylum.FreshClaimDate; !fc.IsZero() {
			if !s.quiet {
				s.event(d, EventAppealRightsExhausted, "appeal rights exhausted: no leave to remain")
			}
			s.period(d, WithoutLeave, false)
			w.freshClaim(s, fc, Date{})
			return
		}
		w.are(s, d, "appeal rights exhausted: no leave to remain")
	case StatusSettled:
		s.step(Settled, one, d)
		s.period(d, Indefinite, false)
		if !s.quiet {
			s.event(d, EventDecision, "indefinite leave to remain granted")
		}
		w.finish(s, LongTerm)
	default:
		w.err = fmt.Errorf("unknown asylum status %q", c.Asylum.Status)
	}
}

// uascAgeLimit returns the date from which UASC leave cannot be granted to
// the young person, by the rule in force on date on: 17½ since April 2007
// (guidance para 58(3); Immigration Rules 352ZD–ZF, domain.md S1).
func (w *walker) uascAgeLimit(on Date) Date {
	n := w.months(kLeaveUascAgeLimitMonths, on)
	if w.ageLimit.IsZero() || n != w.ageLimitMonths {
		w.ageLimit, w.ageLimitMonths = w.c.DateOfBirth.AddMonths(n), n
	}
	return w.ageLimit
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
// and humanitarian protection as the nationality's prior splits them. A
// child the application does not succeed for, still under 17½ and without
// adequate reception arrangements, gets UASC leave again (Rules 352ZD–ZF;
// domain.md §9); from 17½ that share is a refusal (Apply17Half).
func (w *walker) extensionProbs(on Date) Probabilities {
	grant := w.prob(kExtensionUascGrantProbability, on)
	prior := w.prior(extension, on)
	protection := prior.RefugeeStatus.Add(prior.HumanitarianProtection)
	refugee := grant
	if protection.IsPositive() {
		refugee = grant.Mul(prior.RefugeeStatus).DivRound(protection, 6)
	}
	return Probabilities{RefugeeStatus: refugee, HumanitarianProtection: grant.Sub(refugee), UASCLeave: one.Sub(grant)}
}

// decisionProbs are the chances of a decision: the case's own for its first
// decision, or the nationality's prior; the extension rule after UASC leave.
func (w *walker) decisionProbs(kind decisionKind, on Date) Probabilities {
	switch kind {
	case extension:
		return w.extensionProbs(on)
	case firstClaim:
		if own := w.c.Asylum.Probabilities; own != nil {
			w.useCase(on, *own)
			return *own
		}
	}
	return w.prior(kind, on)
}

// decisionFloats are decisionProbs as floats, for sampling, from the
// chances worked out once per sampler.
func (w *walker) decisionFloats(kind decisionKind, on Date) [4]float64 {
	if kind == firstClaim && w.ownFirst {
		return w.firstF
	}
	prior := w.spanAt(on.days())
	if kind != extension {
		return prior
	}
	g := w.pf(kExtensionUascGrantProbability, on)
	r, h := prior[0], prior[1]
	refugee := g
	if r+h > 0 {
		refugee = g * r / (r + h)
	}
	return [4]float64{refugee, g - refugee, 1 - g, 0}
}

// decide branches four ways on a Home Office decision (guidance para 58).
func (w *walker) decide(s *state, d Date, kind decisionKind, what string) {
	d, overdue := w.notBefore(d)
	if kind != extension {
		// No first decision on a claim while decisions are paused for
		// the nationality (domain.md §7).
		if resume, ps, assumed := w.pausedUntil(d); ps != nil {
			if !s.quiet {
				s.event(d, EventDecisionsPaused, w.pauseWords(ps, assumed, what, resume))
				w.usePause(*ps)
			}
			d, overdue = resume, false
		}
	}
	if d.After(w.horizon) {
		if !s.quiet {
			s.event(w.horizon, EventPlanHorizon, "the "+what+" is not expected before the plan ends at 25")
		}
		w.finish(s, endOf(s))
		return
	}
	limit := w.uascAgeLimit(d)
	var probs Probabilities
	var pf [4]float64
	if w.rng == nil {
		w.chancesFrom()
		probs = Apply17Half(w.decisionProbs(kind, d), d, limit)
		w.chancesRest(s)
	} else {
		pf = w.decisionFloats(kind, d)
		if !d.Before(limit) { // the 17½ rule, as Apply17Half
			pf[3] += pf[2]
			pf[2] = 0
		}
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	first, certified := s.firstDecision, s.certified
	s.firstDecision, s.certified = false, false
	choice := w.choose(pf[0], pf[1], pf[2], pf[3])
	for i, o := range DecisionOutcomes {
		if choice >= 0 && i != choice {
			continue // sampling: not the option drawn
		}
		t, ok := w.take(s, choice, i, o, probs.Of(o), d)
		if !ok {
			continue
		}
		if o == Refused {
			if !t.quiet {
				t.event(d, EventDecision, what+": refused"+late)
			}
			w.refused(t, d, certified)
			continue
		}
		if !t.quiet {
			t.event(d, EventDecision, what+": "+leaveWords[o]+" granted"+late)
		}
		if first && o != RefugeeStatus {
			w.upgradeAppeal(t, o, d)
			continue
		}
		w.grant(t, o, d, false)
	}
}

// protectionMonths returns how long a grant of refugee status or
// humanitarian protection on d lasts. Core protection, where a scenario puts
// it in force, gives its own length to new grants and, if it applies to
// existing grants, to renewals. Otherwise the temporary permission of the
// Nationality and Borders Act 2022 period goes by the claim date (claims
// lodged from 28 June 2022) and the decision date (grants until 16 July
// 2023): 30 months of temporary humanitarian permission, or of temporary
// refugee permission for a Group 2 refugee (domain.md §9, S4, S99).
func (w *walker) protectionMonths(s *state, o Outcome, d Date, renewal bool) int {
	if w.flag(kCoreProtectionInForce, d) && (!renewal || s.core || w.flag(kCoreProtectionAppliesToExisting, d)) {
		s.core = true
		return w.months(kCoreProtectionLeaveMonths, d)
	}
	s.core = false
	// Claims may predate the policy's first date; the rule is the same then.
	if w.flag(kProtectionTemporaryClaims, MaxDate(s.claim, CoverFrom)) && w.flag(kProtectionTemporaryGrants, d) &&
		(o == HumanitarianProtection || w.c.Asylum.Group == 2) {
		return w.months(kProtectionTemporaryMonths, d)
	}
	if o == HumanitarianProtection {
		return w.months(kLeaveHumanitarianProtectionMonths, d)
	}
	return w.months(kLeaveRefugeeMonths, d)
}

// leaveTerms works out a grant of o on d: when the leave ends, when
// settlement can be applied for (zero for UASC leave), and whether the
// application before it ends is for further leave rather than settlement.
func (w *walker) leaveTerms(s *state, o Outcome, d Date, renewal bool) (expiry, eligible Date, extend bool) {
	if o == UASCLeave {
		// 30 months or to 17½, whichever is shorter (para 58(3)).
		return MinDate(d.AddMonths(w.months(kLeaveUascMonths, d)), w.uascAgeLimit(d)), Date{}, true
	}
	if s.protectedSince.IsZero() {
		s.protectedSince = d
	}
	expiry = d.AddMonths(w.protectionMonths(s, o, d, renewal))
	eligible = s.protectedSince.AddMonths(w.qualifyingMonths(s, d))
	// Leave shorter than the qualifying period (30-month temporary
	// permission, or core protection) is renewed on the protection route
	// before settlement can be applied for (S99).
	return expiry, eligible, expiry.Before(eligible)
}

// qualifyingMonths is the protection leave needed for settlement, for a
// grant on d: counted from the first grant, by the rule in force then, or
// by core protection's rule for a core grant.
func (w *walker) qualifyingMonths(s *state, d Date) int {
	if s.core {
		return w.months(kCoreProtectionSettlementMonths, d)
	}
	return w.months(kSettlementQualifyingMonths, s.protectedSince)
}

// grant gives leave from date d (guidance paras 58–59) and follows it to its
// end: settlement when enough protection leave has been held, further
// permission on the protection route before then, or an extension decision
// for UASC leave.
func (w *walker) grant(s *state, o Outcome, d Date, renewal bool) {
	expiry, eligible, extend := w.leaveTerms(s, o, d, renewal)
	if !extend && o != UASCLeave && !s.core && w.flag(kCoreProtectionInForce, expiry) && w.flag(kCoreProtectionAppliesToExisting, expiry) {
		// Core protection applied to an earlier grant: it is renewed on
		// the new terms instead of settling.
		extend = true
	}
	if s.b.LeaveExpires.IsZero() {
		s.b.LeaveExpires = expiry
	}
	s.period(d, WithLeave, false)
	next := w.applicationWindow(s, o, d, expiry, extend)
	if o == UASCLeave {
		w.decide(s, next, extension, "decision on the application to extend")
		return
	}
	if !extend && !s.quiet {
		s.event(eligible, EventSettlementEligible, fmt.Sprintf("%s of protection leave completed: eligible for settlement", monthsWords(w.qualifyingMonths(s, d))))
	}
	next, _ = w.notBefore(next)
	if next.After(w.horizon) {
		w.finish(s, LongTerm)
		return
	}
	refuseKey := kSettlementRefusalProbability
	if extend {
		refuseKey = kProtectionRenewalRefusalProbability
	}
	w.chancesFrom()
	refuse, refuseF := w.chance(refuseKey, next)
	w.chancesRest(s)
	yes, yesF := w.complement(refuse, refuseF)
	choice := w.choose(yesF, refuseF)
	if extend {
		if renewed, ok := w.take(s, choice, 0, o, yes, next); ok {
			if !renewed.quiet {
				renewed.event(next, EventDecision, "further permission granted on the protection route")
			}
			w.grant(renewed, o, next, true)
		}
	} else if settled, ok := w.take(s, choice, 0, Settled, yes, next); ok {
		if !settled.quiet {
			settled.event(next, EventDecision, "settlement decision: indefinite leave to remain granted")
		}
		settled.period(next, Indefinite, false)
		w.finish(settled, LongTerm)
	}
	if r, ok := w.take(s, choice, 1, Refused, refuse, next); ok {
		if !r.quiet {
			r.event(next, EventDecision, "decision on the application: refused")
		}
		w.refused(r, next, false)
	}
}

// applicationWindow records the dates of the application that must be made
// before leave granted on d ends on expiry: instruct the solicitor some
// months before, apply within the window before expiry, and the legal
// deadline, the day leave ends, after which there is no section 3C leave
// (domain.md §9, S1, S12, S96–S98). It returns when the application is
// decided: the model applies when the window opens.
func (w *walker) applicationWindow(s *state, o Outcome, d, expiry Date, extend bool) Date {
	windowD := w.months(kExtensionApplyWindowDays, expiry)
	from := MaxDate(expiry.AddDays(-windowD), d)
	if !s.quiet {
		instructM := w.months(kExtensionInstructSolicitorMonths, expiry)
		what := applicationWords(o, extend)
		pp := LongTerm
		if o == UASCLeave {
			pp = Transitional
		}
		s.event(expiry, EventLeaveExpires, leaveEndsWords(o)+": an application made by this day keeps it going until it is decided (section 3C)")
		instruct := MaxDate(expiry.AddMonths(-instructM), d)
		if instruct.Before(from) {
			s.deadline(instruct, EventInstructSolicitorBy, "instruct the solicitor about the application "+what, pending{
				kind: ActInstructSolicitor, perspective: pp,
				text:    fmt.Sprintf("instruct the solicitor about the application %s, at least %s before leave ends on %s", what, monthsWords(instructM), expiry.Long()),
				sources: w.ref(kExtensionInstructSolicitorMonths, expiry),
			})
		}
		s.event(from, EventApplyFrom, fmt.Sprintf("the application window opens (%s before leave ends): apply %s from today", daysWords(windowD), what))
		good := w.months(kExtensionLateGoodReasonDays, expiry)
		s.deadline(expiry, EventApplyToExtendBy, "last day to apply "+what+" in time", pending{
			kind: ActApplyInTime, perspective: pp, from: from,
			text: fmt.Sprintf("apply %s between %s and %s, the day leave ends: an application in time keeps leave going until it is decided (section 3C)", what, from.Long(), expiry.Long()),
			overdue: fmt.Sprintf("check that the application %s was made by %s: if it was not, there is no section 3C leave, and a late application within %s only stops a refusal for overstaying (para 39E); it does not restore leave",
				what, expiry.Long(), daysWords(good)),
			sources: refs(w.ref(kExtensionApplyWindowDays, expiry), w.ref(kExtensionLateGoodReasonDays, expiry), Guidance("59", "60")),
		})
		if expiry.Before(w.asOf) {
			s.event(expiry.AddDays(1), EventLateApplicationWarning, fmt.Sprintf("if no application was made by %s, leave has ended: the young person is unlawfully present, a late application gives no section 3C leave, and Schedule 3 may apply to an adult", expiry.Long()))
		}
	}
	return w.wait(kWaitExtensionDecisionWeeks, from)
}

// upgradeAppeal follows a first decision that grants UASC leave or
// humanitarian protection: both refuse asylum, and carry a right of appeal
// to the First-tier Tribunal within the appeal window (NIAA 2002 s.82;
// domain.md §9, S100, S101). The appeal branch is taken only while the
// window is open on the as-of date; an allowed appeal gives refugee status.
func (w *walker) upgradeAppeal(s *state, o Outcome, d Date) {
	days := w.months(kAppealWindowDays, d)
	deadline := d.AddDays(days)
	hearing, _ := w.notBefore(w.wait(kWaitAppealWeeks, deadline))
	if deadline.Before(w.asOf) || hearing.After(w.horizon) {
		w.grant(s, o, d, false)
		return
	}
	if !s.quiet {
		s.deadline(deadline, EventAppealDeadline, "last day to appeal against the refusal of asylum", pending{
			kind: ActAppeal, perspective: Transitional,
			text:    fmt.Sprintf("a grant of %s refuses asylum: decide with the solicitor whether to appeal to the First-tier Tribunal, within %s of the decision", leaveWords[o], daysWords(days)),
			sources: refs(w.ref(kAppealWindowDays, d), w.p.SourceRefs("S100; S101")),
		})
	}
	w.chancesFrom()
	up, upF := w.chance(kAppealUpgradeAllowedProbability, hearing)
	w.chancesRest(s)
	no, noF := w.complement(up, upF)
	choice := w.choose(upF, noF)
	if a, ok := w.take(s, choice, 0, AppealAllowed, up, hearing); ok {
		// The leave granted runs until the tribunal allows the appeal.
		expiry, _, extend := w.leaveTerms(a, o, d, false)
		a.b.LeaveExpires = expiry
		a.period(d, WithLeave, false)
		if expiry.Before(hearing) {
			w.applicationWindow(a, o, d, expiry, extend)
		}
		if !a.quiet {
			a.event(hearing, EventAppealDecision, "appeal allowed: refugee status granted")
		}
		w.also(a, RefugeeStatus, hearing)
		if o != HumanitarianProtection {
			a.protectedSince = Date{} // protection leave counts from now
		}
		w.grant(a, RefugeeStatus, hearing, false)
	}
	if n, ok := w.carry(s, choice, 1, no); ok {
		w.grant(n, o, d, false)
	}
}

// also adds a second outcome on the same date to the step just taken, such
// as the leave an allowed appeal gives.
func (w *walker) also(s *state, o Outcome, d Date) {
	if w.rng != nil {
		s.b.Path = append(s.b.Path, o)
		return
	}
	s.step(o, one, d)
}

// carry is take for an option that adds no outcome to the path, such as an
// appeal that is not lodged or not allowed.
func (w *walker) carry(s *state, choice, i int, p decimal.Decimal) (*state, bool) {
	if choice >= 0 {
		return s, i == choice
	}
	if p.IsZero() {
		return nil, false
	}
	t := s.clone()
	t.b.Probability = t.b.Probability.Mul(p)
	return &t, true
}

// refused follows a refusal: an appeal lodged within the window, allowed
// (leave granted) or dismissed (appeal rights exhausted). Section 3C leave,
// or the pending claim, carries the young person's standing meanwhile. A
// refusal certified clearly unfounded (s.94) has no appeal in the UK: the
// remedy is judicial review, and appeal rights are exhausted at once.
func (w *walker) refused(s *state, d Date, certified bool) {
	if certified {
		n := w.months(kAppealJudicialReviewMonths, d)
		if !s.quiet {
			s.deadline(d.AddMonths(n), EventJudicialReviewBy, "last day to bring judicial review of the certified refusal", pending{
				kind: ActJudicialReview, perspective: Transitional,
				text:    fmt.Sprintf("the refusal is certified clearly unfounded (s.94), so there is no appeal in the UK: ask the solicitor about judicial review, which must be brought promptly and within %s", monthsWords(n)),
				sources: w.ref(kAppealJudicialReviewMonths, d),
			})
		}
		w.are(s, d, "refused and certified clearly unfounded: no appeal in the UK and no leave to remain")
		return
	}
	days := w.months(kAppealWindowDays, d)
	if !s.quiet {
		s.deadline(d.AddDays(days), EventAppealDeadline, "last day to lodge an appeal to the First-tier Tribunal", pending{
			kind: ActAppeal, perspective: Transitional,
			text:    fmt.Sprintf("lodge an appeal to the First-tier Tribunal against the refusal, within %s of the decision", daysWords(days)),
			overdue: "check whether an appeal was lodged in time: a late appeal needs the tribunal's permission",
			sources: refs(w.ref(kAppealWindowDays, d), Guidance("60")),
		})
	}
	hearing, overdue := w.notBefore(w.wait(kWaitAppealWeeks, d.AddDays(days)))
	if hearing.After(w.horizon) {
		if !s.quiet {
			s.event(w.horizon, EventPlanHorizon, "the appeal is not expected to be decided before the plan ends at 25")
		}
		w.finish(s, endOf(s))
		return
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	// Allowed appeals give refugee status or, for a share of them,
	// humanitarian protection (domain.md §9).
	w.chancesFrom()
	allowed, allowedF := w.chance(kAppealAllowedProbability, hearing)
	dismissed, dismissedF := w.complement(allowed, allowedF)
	hp, hpF := w.chance(kAppealAllowedHumanitarianShare, hearing)
	w.chancesRest(s)
	grants := [2]Outcome{RefugeeStatus, HumanitarianProtection}
	var pg [2]decimal.Decimal
	if w.rng == nil {
		pg = [2]decimal.Decimal{allowed.Mul(one.Sub(hp)), allowed.Mul(hp)}
	}
	choice := w.choose(allowedF*(1-hpF), allowedF*hpF, dismissedF)
	for j, g := range grants {
		if choice >= 0 && j != choice {
			continue // sampling: not the option drawn
		}
		if a, ok := w.take(s, choice, j, AppealAllowed, pg[j], hearing); ok {
			if !a.quiet {
				a.event(hearing, EventAppealDecision, "appeal allowed: "+leaveWords[g]+" granted"+late)
			}
			w.also(a, g, hearing)
			w.grant(a, g, hearing, false)
		}
	}
	if dd, ok := w.take(s, choice, 2, AppealDismissed, dismissed, hearing); ok {
		if !dd.quiet {
			dd.event(hearing, EventAppealDecision, "appeal dismissed"+late)
		}
		are := hearing.AddDays(w.months(kAppealUtPermissionDays, hearing))
		w.are(dd, are, "appeal rights exhausted: no leave to remain")
	}
}

// supportContinues reports whether the case records a human rights
// assessment that found leaving-care support must continue.
func (w *walker) supportContinues() bool {
	return w.c.Schedule3 != nil && w.c.Schedule3.SupportContinues
}

// are follows appeal rights exhausted on d (or another end of the claim,
// said by why): the Schedule 3 human rights assessment for an adult
// (guidance para 65; domain.md §2), then a voluntary return (paras 60–62),
// a fresh claim (once on a path), staying without leave, or, for a
// trafficked young person with a positive conclusive-grounds decision,
// temporary permission as a victim.
func (w *walker) are(s *state, d Date, why string) {
	if !s.quiet {
		s.event(d, EventAppealRightsExhausted, why)
	}
	s.period(d, WithoutLeave, false)
	// Under-18s are never cut (Schedule 3 para 2); the assessment falls at 18.
	hra, _ := w.notBefore(MaxDate(d, w.c.DateOfBirth.Birthday(18)))
	notice := w.months(kSchedule3NoticeWeeks, hra)
	cut := hra.AddWeeks(notice)
	if !s.quiet {
		s.deadline(hra, EventHumanRights, "human rights assessment before any leaving-care support stops (Schedule 3)", pending{
			kind: ActHumanRights, perspective: ReturnHome,
			text:    fmt.Sprintf("complete a human rights assessment before any leaving-care support stops (Schedule 3): support stops only after %s' notice, and must continue where stopping it would breach human rights, such as a pending fresh claim or no safe route home", weeksWords(notice)),
			overdue: "complete the human rights assessment now: support cannot stop without it",
			sources: refs(w.ref(kSchedule3NoticeWeeks, hra), Guidance("65"), w.p.SourceRefs("S27; S104")),
		})
	}
	continues := w.supportContinues()

	w.chancesFrom()
	pRet, fRet := w.chance(kAreReturnProbability, d)
	pFresh, fFresh := w.chance(kAreFreshClaimProbability, d)
	pStay, fStay := w.chance(kAreNoLeaveProbability, d)
	if s.freshUsed {
		// No second fresh claim on a path: that share stays without leave.
		pStay, fStay = pStay.Add(pFresh), fStay+fFresh
		pFresh, fFresh = decimal.Zero, 0
	}
	pVic, fVic := w.victimChance(d)
	w.chancesRest(s)
	if w.rng == nil && pVic.IsPositive() {
		rest := one.Sub(pVic)
		pRet, pFresh, pStay = pRet.Mul(rest), pFresh.Mul(rest), pStay.Mul(rest)
	} else if fVic > 0 {
		fRet, fFresh, fStay = fRet*(1-fVic), fFresh*(1-fVic), fStay*(1-fVic)
	}
	choice := w.choose(fRet, fFresh, fStay, fVic)
	if choice < 0 || choice == 0 {
		if ret, ok := w.take(s, choice, 0, VoluntaryReturn, pRet, w.departure(d)); ok {
			w.voluntaryReturn(ret, d)
		}
	}
	fc, _ := w.notBefore(d.AddMonths(w.months(kAreFreshClaimAfterMonths, d)))
	if fresh, ok := w.take(s, choice, 1, FreshClaim, pFresh, fc); ok {
		cutBefore := cut
		if continues {
			cutBefore = Date{}
		}
		w.freshClaim(fresh, fc, cutBefore)
	}
	if stay, ok := w.take(s, choice, 2, NoLeave, pStay, MaxDate(d, hra)); ok {
		if continues {
			if !stay.quiet {
				stay.event(hra, EventSupportContinues, "support continues: "+w.c.Schedule3.Reason)
			}
		} else {
			if !stay.quiet {
				stay.event(cut, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
			}
			stay.period(cut, WithoutLeave, true)
		}
		w.finish(stay, ReturnHome)
	}
	if choice < 0 || choice == 3 {
		on, _ := w.notBefore(MaxDate(d, w.nrm.conclusive))
		if v, ok := w.take(s, choice, 3, VictimPermission, pVic, on); ok {
			w.victimPermission(v, on)
		}
	}
}

// freshClaim follows further submissions lodged on fc (domain.md §9):
// support continues while they are considered (Clue); they are accepted as
// a fresh claim, which is then decided as a claim, or rejected, with no
// appeal (para 353). cutBefore, when not zero, is the day Schedule 3
// support ended before the claim was lodged.
func (w *walker) freshClaim(s *state, fc, cutBefore Date) {
	if !cutBefore.IsZero() && cutBefore.Before(fc) {
		if !s.quiet {
			s.event(cutBefore, EventSupportEnds, "leaving-care support ends under Schedule 3 after the notice period")
		}
		s.period(cutBefore, WithoutLeave, true)
	}
	if !s.quiet {
		s.event(fc, EventFreshClaim, "fresh claim (further submissions) lodged: support continues while it is considered")
	}
	s.period(fc, AsylumSeeker, false)
	s.freshUsed = true
	s.claim = fc
	dd, overdue := w.notBefore(w.wait(kWaitFreshClaimDecisionWeeks, fc))
	if dd.After(w.horizon) {
		if !s.quiet {
			s.event(w.horizon, EventPlanHorizon, "the decision on the further submissions is not expected before the plan ends at 25")
		}
		w.finish(s, Transitional)
		return
	}
	late := ""
	if overdue {
		late = " (overdue: expected any day)"
	}
	w.chancesFrom()
	acc, accF := w.chance(kFreshClaimAcceptedProbability, dd)
	w.chancesRest(s)
	rej, rejF := w.complement(acc, accF)
	choice := w.choose(accF, rejF)
	if a, ok := w.take(s, choice, 0, FreshClaimAccepted, acc, dd); ok {
		if !a.quiet {
			a.event(dd, EventFreshClaimDecision, "further submissions accepted as a fresh claim (para 353)"+late)
		}
		a.firstDecision = true
		w.decide(a, dd, freshClaimDone, "decision on the fresh claim")
	}
	if r, ok := w.take(s, choice, 1, FreshClaimRejected, rej, dd); ok {
		w.are(r, dd, "further submissions rejected (para 353): no fresh claim, no appeal and no leave to remain"+late)
	}
}

// victimChance is the chance that a trafficked young person without leave
// gets temporary permission to stay as a victim: a positive
// conclusive-grounds decision (recorded, or its chance), then a grant.
func (w *walker) victimChance(d Date) (decimal.Decimal, float64) {
	if !w.c.Trafficked || w.c.Trafficking.ConclusiveOutcome == ConclusiveNegative {
		return decimal.Zero, 0
	}
	on := MaxDate(d, w.nrm.conclusive)
	grant, grantF := w.chance(kVtsGrantProbability, on)
	if w.c.Trafficking.ConclusiveOutcome == ConclusivePositive {
		return grant, grantF
	}
	pos, posF := w.chance(kNrmPositiveConclusiveProbability, w.nrm.conclusive)
	if w.rng != nil {
		return decimal.Zero, grantF * posF
	}
	return grant.Mul(pos), 0
}

// victimPermission follows temporary permission to stay as a victim of
// trafficking, considered after a positive conclusive-grounds decision
// (domain.md §1 and §9, S22–S25).
func (w *walker) victimPermission(s *state, on Date) {
	if on.After(w.horizon) {
		w.finish(s, Transitional)
		return
	}
	s.period(on, WithLeave, false)
	n := w.months(kVtsMonths, on)
	if !s.quiet {
		s.event(on, EventDecision, "temporary permission to stay as a victim of trafficking granted")
		s.event(on.AddMonths(n), EventVictimPermissionEnds, fmt.Sprintf("temporary permission as a victim ends after %s: apply in time for further permission", monthsWords(n)))
	}
	w.finish(s, Transitional)
}

// departure is the date of a voluntary return after appeal rights are
// exhausted on d: the case's planned date if it has one, else the policy's
// usual time.
func (w *walker) departure(d Date) Date {
	dep := d.AddMonths(w.months(kAreReturnAfterMonths, d))
	if w.c.Return != nil && !w.c.Return.Departure.IsZero() && !w.c.Return.Departure.Before(d) {
		dep = w.c.Return.Departure
	}
	dep, _ = w.notBefore(dep)
	return dep
}

// voluntaryReturn follows a return with AVR from appeal rights exhausted on
// d: the departure, then the reintegration windows.
func (w *walker) voluntaryReturn(ret *state, d Date) {
	dep := w.departure(d)
	ret.b.Departure = dep
	if !ret.quiet {
		ret.event(dep, EventAVRDeparture, "voluntary return: departure with Assisted Voluntary Return")
		// Contact within a month of return; all assistance within the first year (para 62).
		contact := w.months(kAvrContactMonths, dep)
		ret.deadline(dep.AddMonths(contact), EventReintegrationContact, "last day to contact the reintegration service after return", pending{
			kind: ActReintegrationCall, perspective: ReturnHome,
			text:    fmt.Sprintf("after a voluntary return: contact the reintegration service within %s of arriving, to take up the reintegration help", monthsWords(contact)),
			sources: refs(w.ref(kAvrContactMonths, dep), Guidance("62")),
		})
		ret.event(dep.AddMonths(w.months(kAvrSpendMonths, dep)), EventReintegrationSpend, "reintegration assistance must be used by now")
	}
	ret.period(dep, Departed, false)
	w.finish(ret, ReturnHome)
}

// endOf says where a path cut short by the horizon leaves the young person.
func endOf(s *state) Perspective {
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
	if last == RefugeeStatus || last == HumanitarianProtection {
		return LongTerm
	}
	return Transitional
}
