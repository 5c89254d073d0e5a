package sim

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// perspectives applies the planning rule of guidance para 56: a
// transitional plan while status is not permanent; a long-term plan if leave
// may be granted (para 59); a return plan if a refusal may come, since plans
// must always consider the implications of a refusal (para 60). A
// perspective whose chance of coming into play is under the policy threshold
// is named as a contingency, not a plan.
//
// Refugee status and humanitarian protection are secure enough for a single
// long-term plan only when their leave leads to settlement: 30 months of
// temporary permission must be renewed, and while the chance of a refused
// renewal reaches the threshold a transitional plan is added (domain.md §9).
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
	switch {
	case secure && w.shortGrant && !w.renewalRefusal.LessThan(threshold):
		secure = false
		why = append(why, fmt.Sprintf("%s is temporary permission that must be renewed before settlement, and a renewal may be refused (chance %s): a transitional plan until it is renewed (paras 56, 59)",
			capitalise(StatusWords[st]), Chance(w.renewalRefusal)))
	case secure:
		why = append(why, "leave is granted: plan for long-term residence as for any care leaver (para 59)")
	default:
		why = append(why, fmt.Sprintf("%s is not permanent status: a transitional plan while it is resolved (para 56)", StatusWords[st]))
	}
	if !secure {
		plan.Perspectives = append(plan.Perspectives, Transitional)
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
	return o == Refused || o == AppealDismissed || o == AppealRightsExhausted || o == FreshClaimRejected
}

var perspectiveWhy = map[Perspective]string{
	LongTerm:   "a long-term plan in case leave is granted",
	ReturnHome: "a return plan in case of a refusal",
}

var perspectivePara = map[Perspective]string{LongTerm: "59", ReturnHome: "60"}

// Chance writes a probability as a percentage, e.g. "73%", "0.5%", or
// "under 0.1%" for a chance too small to show but not nil.
func Chance(p decimal.Decimal) string {
	pc := p.Mul(decimal.NewFromInt(100))
	switch {
	case pc.IsPositive() && pc.LessThan(decimal.New(5, -2)):
		return "under 0.1%"
	case pc.LessThan(one) && pc.IsPositive():
		return pc.Round(1).String() + "%"
	case pc.LessThan(decimal.NewFromInt(100)) && pc.GreaterThan(decimal.New(995, -1)):
		return "over 99.5%"
	}
	return pc.Round(0).String() + "%"
}
