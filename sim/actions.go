package sim

import (
	"sort"

	"github.com/shopspring/decimal"
)

// actionWords turn a deadline event into what the adviser does by its date.
var actionWords = map[EventKind]struct{ text, overdue, source string }{
	EventApplyToExtendBy:      {"apply in time, with the solicitor, to extend UASC leave before it expires (section 3C keeps it going)", "check an in-time application was made: without one there is no section 3C leave", "domain.md S1, S12; para 60"},
	EventAppealDeadline:       {"lodge an appeal against a refusal (14 days from the decision)", "check whether an appeal was lodged in time", "domain.md S13; para 60"},
	EventReintegrationContact: {"after a voluntary return: contact the reintegration service within one month", "", "para 62; domain.md §6"},
	EventHumanRights:          {"complete a human rights assessment before any support stops", "complete the human rights assessment now: support cannot stop without it", "Schedule 3 NIAA 2002; para 65; domain.md §2"},
}

// actions lists what to do by when under each perspective: the deadlines on
// the paths (with the chance each is needed) and the standing duties.
func (w *walker) actions(plan *Plan) {
	type key struct {
		kind EventKind
		date Date
		pp   Perspective
	}
	chance := map[key]decimal.Decimal{}
	var keys []key
	for _, b := range plan.Branches {
		seen := map[EventKind]bool{}
		for _, e := range b.Events {
			words, ok := actionWords[e.Kind]
			if !ok || e.perspective == "" || seen[e.Kind] {
				continue
			}
			if e.Date.Before(w.asOf) && words.overdue == "" {
				continue
			}
			seen[e.Kind] = true
			k := key{e.Kind, e.Date, e.perspective}
			if _, ok := chance[k]; !ok {
				keys = append(keys, k)
			}
			chance[k] = chance[k].Add(b.Probability)
		}
	}
	for _, k := range keys {
		words := actionWords[k.kind]
		text := words.text
		if k.kind == EventApplyToExtendBy && k.pp == LongTerm {
			text = "apply for settlement (indefinite leave to remain) in time, before leave expires"
		}
		if k.date.Before(w.asOf) {
			text = words.overdue
		}
		plan.Actions = append(plan.Actions, Action{Perspective: k.pp, By: k.date, Chance: chance[k], Text: text, Source: words.source})
	}

	// Standing duties go under the plan's first perspective: transitional
	// while status is uncertain, long-term once leave is granted.
	first := plan.Perspectives[0]
	review := w.asOf.AddMonths(w.months(kPlanningReviewIntervalMonths, w.asOf))
	plan.Actions = append(plan.Actions, Action{Perspective: first, By: review, Chance: one,
		Text: "review the pathway plan, with the young person's immigration needs (at least every 6 months)", Source: "para 52; domain.md S39"})
	if adult := w.c.DateOfBirth.Birthday(18); !adult.Before(w.asOf) {
		plan.Actions = append(plan.Actions, Action{Perspective: first, By: adult, Chance: one,
			Text: "appoint a personal adviser who understands the issues facing young migrants", Source: "para 66"})
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
		plan.Actions = append(plan.Actions,
			Action{Perspective: Transitional, Chance: one, Text: "work with the solicitor so the young person understands the process and the possible outcomes", Source: "para 57"},
			Action{Perspective: Transitional, Chance: one, Text: "make sure immigration advice comes from a registered solicitor or an OISC-registered adviser", Source: "para 67"})
	}
	if has(LongTerm) {
		plan.Actions = append(plan.Actions, Action{Perspective: LongTerm, Chance: plan.Chances[LongTerm],
			Text: "plan education, work and housing for long-term residence, as for any care leaver", Source: "paras 59, 64"})
	}
	if has(ReturnHome) {
		plan.Actions = append(plan.Actions,
			Action{Perspective: ReturnHome, Chance: plan.Chances[ReturnHome], Text: "tell the young person about Assisted Voluntary Return and the reintegration help it gives", Source: "paras 50, 61–62"},
			Action{Perspective: ReturnHome, Chance: plan.Chances[ReturnHome], Text: "plan for the loss of support under Schedule 3 if the claim or an extension fails", Source: "para 65"})
	}
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

func perspectiveOrder(p Perspective) int {
	for i, q := range Perspectives {
		if q == p {
			return i
		}
	}
	return len(Perspectives)
}

// protection lists the protection steps the guidance asks for a trafficked
// child (paras 39–45), and for their transition to adulthood (paras 54, 66).
func (w *walker) protection() []Action {
	var out []Action
	add := func(by Date, text, src string) {
		out = append(out, Action{Perspective: Transitional, By: by, Chance: one, Text: text, Source: src})
	}
	if w.c.DateOfBirth.AgeOn(w.asOf) < 18 {
		add(Date{}, "keep a recent photograph on file for use if they go missing", "para 39")
		add(Date{}, "agree the steps carers, the authority and police will take if they go missing, under the local missing-from-care protocol", "para 39")
		add(Date{}, "ask what would help them feel safe, and involve them in their protection plan; avoid steps that feel punitive", "paras 40–41")
		add(Date{}, "do not disclose where they live; consider a placement at a distance from where traffickers expect them", "para 42")
		if end := w.c.Care.LookedAfterSince.AddWeeks(12); !end.Before(w.asOf) {
			add(end, "24-hour supervision whenever they leave the care setting, for the first 8–12 weeks in care", "para 43")
		}
		add(Date{}, "never use bed and breakfast accommodation, even in an emergency", "para 45")
		add(Date{}, "make sure carers know the risk of going missing and of continued contact from traffickers", "para 44")
	}
	add(Date{}, "plan accommodation on leaving care with the continued risk from traffickers in mind", "para 54")
	add(Date{}, "make sure the personal adviser understands the continued risk from traffickers", "para 66")
	return out
}
