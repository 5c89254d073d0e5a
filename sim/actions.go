package sim

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// actions lists what to do by when under each perspective: the deadlines on
// the paths (with the chance each is needed) and the standing duties.
func (w *walker) actions(plan *Plan) {
	// An action is one deadline: its kind, date, perspective and words.
	// Its chance is the sum of the chances of the paths that reach it.
	type key struct {
		kind ActionKind
		date Date
		pp   Perspective
		text string
	}
	chance := map[key]decimal.Decimal{}
	first := map[key]*pending{}
	var keys []key
	for _, b := range plan.Branches {
		seen := map[key]bool{}
		for _, e := range b.Events {
			a := e.act
			if a == nil || (e.Date.Before(w.asOf) && a.overdue == "") {
				continue
			}
			k := key{a.kind, e.Date, a.perspective, a.text}
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, ok := chance[k]; !ok {
				keys = append(keys, k)
				first[k] = a
			}
			chance[k] = chance[k].Add(b.Probability)
		}
	}
	for _, k := range keys {
		a := first[k]
		text := a.text
		if k.date.Before(w.asOf) {
			text = a.overdue
		}
		plan.Actions = append(plan.Actions, Action{Kind: a.kind, Perspective: k.pp, From: a.from, By: k.date, Chance: chance[k], Text: text, Sources: a.sources})
	}
	w.duties(plan)
	sort.SliceStable(plan.Actions, func(i, j int) bool {
		a, b := plan.Actions[i], plan.Actions[j]
		if a.Perspective != b.Perspective {
			return perspectiveOrder(a.Perspective) < perspectiveOrder(b.Perspective)
		}
		if a.By.IsZero() != b.By.IsZero() {
			return !a.By.IsZero()
		}
		return a.By.Before(b.By)
	})
}

// duties adds the standing duties of the plan's perspectives. Those that
// hold whatever happens go under the plan's first perspective: transitional
// while status is uncertain, long-term once leave is granted.
func (w *walker) duties(plan *Plan) {
	first := plan.Perspectives[0]
	add := func(kind ActionKind, pp Perspective, by Date, chance decimal.Decimal, text string, src []SourceRef) {
		plan.Actions = append(plan.Actions, Action{Kind: kind, Perspective: pp, By: by, Chance: chance, Text: text, Sources: src})
	}
	f := w.care
	switch plan.CareStatus {
	case LookedAfter, Eligible, Relevant, FormerRelevant:
		if f.eligibleFrom.IsZero() {
			// A late arrival: looked after, but will leave care as a
			// qualifying young person.
			add(ActAdviceAssistance, first, f.careEnds, one, fmt.Sprintf("looked after for fewer than %s before leaving care on %s: explain that they will be a qualifying young person, owed advice and assistance (s.24) but not a personal adviser, pathway plan or leaving-care accommodation and allowance", weeksWords(f.weeks), f.careEnds.Long()),
				refs(w.ref(kLeavingCareEligibleWeeks, w.asOf), w.p.SourceRefs("S30; S102")))
			break
		}
		n := w.months(kPlanningReviewIntervalMonths, w.asOf)
		if plan.CareStatus == FormerRelevant && !w.supportedAfter21(w.asOf) {
			// 21 or over, not in education or training, no adviser asked for.
			text := "at 21 or over, leaving-care support continues only in education or training"
			if w.flag(kLeavingCareAdviserOnRequestTo25, w.asOf) {
				text += ": tell the young person they can ask for a personal adviser to 25 (s.23CZB), and record the answer"
			}
			add(ActAppointAdviser, first, Date{}, one, text, refs(w.ref(kLeavingCareAdviserOnRequestTo25, w.asOf), w.p.SourceRefs("S37; S38")))
			break
		}
		if plan.CareStatus == LookedAfter {
			add(ActReviewPlan, first, Date{}, one, fmt.Sprintf("review the care plan with the child's status as an unaccompanied or trafficked child in mind; pathway planning starts on %s", f.eligibleFrom.Long()), Guidance("46", "52"))
		} else {
			add(ActReviewPlan, first, w.asOf.AddMonths(n), one, fmt.Sprintf("review the pathway plan, with the young person's immigration needs, at least every %s", monthsWords(n)),
				refs(w.ref(kPlanningReviewIntervalMonths, w.asOf), Guidance("52")))
		}
		if !f.eligibleFrom.Before(w.asOf) {
			add(ActAppointAdviser, first, f.eligibleFrom, one, "appoint a personal adviser who understands the issues facing young migrants: one is due when they become an eligible child (Children Act 1989 Sch 2 para 19C)", Guidance("66"))
		} else if w.asOf.Before(w.horizon) {
			add(ActAppointAdviser, first, Date{}, one, "make sure the personal adviser understands the issues facing young migrants", Guidance("66"))
		}
	case Qualifying:
		add(ActAdviceAssistance, first, Date{}, one, fmt.Sprintf("a qualifying young person (looked after for fewer than %s since 14): give advice and assistance (s.24); there is no personal adviser, pathway plan or leaving-care accommodation and allowance", weeksWords(f.weeks)),
			refs(w.ref(kLeavingCareEligibleWeeks, w.asOf), w.p.SourceRefs("S30; S102")))
	}
	has := func(pp Perspective) bool {
		for _, q := range append(append([]Perspective{}, plan.Perspectives...), plan.Contingencies...) {
			if q == pp {
				return true
			}
		}
		return false
	}
	if has(Transitional) {
		add(ActWorkWithSolicitor, Transitional, Date{}, one, "work with the solicitor so the young person understands the process and the possible outcomes", Guidance("57"))
		add(ActRegisteredAdvice, Transitional, Date{}, one, "make sure immigration advice comes from a registered solicitor or an OISC-registered adviser", Guidance("48", "67"))
	}
	if has(LongTerm) {
		add(ActPlanLongTerm, LongTerm, Date{}, plan.Chances[LongTerm], "plan education, work and housing for long-term residence, as for any care leaver", Guidance("59", "64"))
	}
	if has(ReturnHome) {
		add(ActTellAboutAVR, ReturnHome, Date{}, plan.Chances[ReturnHome], "tell the young person about Assisted Voluntary Return and the reintegration help it gives", Guidance("50", "61–62"))
		add(ActPlanSchedule3, ReturnHome, Date{}, plan.Chances[ReturnHome], "plan for the loss of support under Schedule 3 if the claim or an extension fails", Guidance("65"))
	}
}

func perspectiveOrder(p Perspective) int {
	for i, q := range Perspectives {
		if q == p {
			return i
		}
	}
	return len(Perspectives)
}
