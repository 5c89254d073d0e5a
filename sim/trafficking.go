package sim

import "fmt"

// A trafficked child's National Referral Mechanism steps (guidance paras
// 14 and 19–21; domain.md §1 and §9) and protection steps (paras 39–45,
// 54, 66).

// nrmDates are the referral's dates, recorded or expected.
type nrmDates struct {
	referral   Date // recorded, or the as-of date when none is recorded
	reasonable Date // recorded, or expected
	conclusive Date // recorded, or expected
}

func (w *walker) nrmDates() nrmDates {
	t := w.c.Trafficking
	if !w.c.Trafficked {
		return nrmDates{}
	}
	var n nrmDates
	n.referral = t.NRMReferral
	if n.referral.IsZero() {
		n.referral = w.asOf
	}
	n.reasonable = t.ReasonableGrounds
	if n.reasonable.IsZero() {
		n.reasonable, _ = w.notBefore(addWorkingDays(n.referral, w.months(kNrmReasonableGroundsWorkingDays, n.referral)))
	}
	n.conclusive = t.ConclusiveGrounds
	if n.conclusive.IsZero() {
		least := n.reasonable.AddDays(w.months(kNrmConclusiveMinDays, n.reasonable))
		n.conclusive, _ = w.notBefore(MaxDate(least, n.reasonable.AddWeeks(w.months(kWaitConclusiveGroundsWeeks, n.reasonable))))
	}
	return n
}

// addWorkingDays adds n working days (Monday to Friday; bank holidays are
// not counted out).
func addWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != 0 && wd != 6 {
			n--
		}
	}
	return d
}

// nrmEvents are the referral's events and the actions they call for, on
// every path.
func (w *walker) nrmEvents() []Event {
	if !w.c.Trafficked {
		return nil
	}
	t, n := w.c.Trafficking, w.nrm
	var out []Event
	if t.NRMReferral.IsZero() {
		out = append(out, Event{Date: w.asOf, Kind: EventNRMReferralBy, Text: "no National Referral Mechanism referral is recorded: refer now", act: &pending{
			kind: ActNRMReferral, perspective: Transitional,
			text:    "refer the young person to the National Referral Mechanism as first responder (a child's referral needs no consent), and record the date",
			sources: refs(Guidance("14", "19", "20"), w.p.SourceRefs("S19; S26")),
		}})
	}
	if t.ReasonableGrounds.IsZero() {
		days := w.months(kNrmReasonableGroundsWorkingDays, n.referral)
		out = append(out, Event{Date: n.reasonable, Kind: EventReasonableGrounds,
			Text: fmt.Sprintf("reasonable-grounds decision expected (about %s working days after the referral)", fmt.Sprint(days))})
	}
	if t.ConclusiveGrounds.IsZero() {
		least := w.months(kNrmConclusiveMinDays, n.reasonable)
		out = append(out, Event{Date: n.conclusive, Kind: EventConclusiveGrounds,
			Text: fmt.Sprintf("conclusive-grounds decision expected (at least %s after the reasonable-grounds decision, often much longer)", daysWords(least)), act: &pending{
				kind: ActNRMFollowUp, perspective: Transitional,
				text:    "follow up the conclusive-grounds decision with the competent authority; after a positive decision, make sure temporary permission to stay for victims is considered",
				sources: refs(w.ref(kWaitConclusiveGroundsWeeks, n.reasonable), w.p.SourceRefs("S19; S20; S22")),
			}})
	} else if t.ConclusiveOutcome == ConclusivePositive {
		out = append(out, Event{Date: MaxDate(w.asOf, t.ConclusiveGrounds), Kind: EventConclusiveGrounds,
			Text: "positive conclusive-grounds decision: temporary permission to stay for victims is considered", act: &pending{
				kind: ActVictimPermission, perspective: Transitional,
				text:    "make sure temporary permission to stay for victims of trafficking is considered (it follows a positive conclusive-grounds decision, with no fee), unless other leave is granted",
				sources: w.p.SourceRefs("S22; S23; S24"),
			}})
	}
	return out
}

// protection lists the protection steps the guidance asks for a trafficked
// child (paras 39–45), and for their transition to adulthood (paras 54, 66).
func (w *walker) protection() []Action {
	var out []Action
	add := func(kind ActionKind, by Date, text string, src []SourceRef) {
		out = append(out, Action{Kind: kind, Perspective: Transitional, By: by, Chance: one, Text: text, Sources: src})
	}
	if w.c.DateOfBirth.AgeOn(w.asOf) < 18 {
		add(ActMissingPhoto, Date{}, "keep a recent photograph on file for use if they go missing", Guidance("39"))
		add(ActMissingProtocol, Date{}, "agree the steps carers, the authority and police will take if they go missing, under the local missing-from-care protocol", Guidance("39"))
		add(ActFeelSafe, Date{}, "ask what would help them feel safe, and involve them in their protection plan; avoid steps that feel punitive or repeat a trafficker's control", Guidance("40", "41"))
		add(ActProtectLocation, Date{}, "do not disclose where they live; consider a placement at a distance from where traffickers expect them", Guidance("23", "42"))
		if end := w.c.Care.LookedAfterSince.AddWeeks(12); !end.Before(w.asOf) {
			add(ActSupervision, end, "consider, with them, whether 24-hour supervision whenever they leave the care setting is needed for the first 8–12 weeks in care: a step para 43 says could be taken, weighed against repeating a trafficker's control (para 41)", Guidance("41", "43"))
		}
		add(ActNoBedAndBreakfast, Date{}, "never use bed and breakfast accommodation, even in an emergency", Guidance("45"))
		add(ActCarersAware, Date{}, "make sure carers know the risk of going missing and of continued contact from traffickers", Guidance("44"))
		if w.flag(kLocalTraffickingGuardian, w.asOf) {
			add(ActTraffickingGuardian, Date{}, "refer to the Independent Child Trafficking Guardian service, which this authority is in", refs(w.ref(kLocalTraffickingGuardian, w.asOf)))
		} else {
			add(ActTraffickingGuardian, Date{}, "check whether an Independent Child Trafficking Guardian is available for this authority (the service covers some areas)", refs(w.ref(kLocalTraffickingGuardian, w.asOf)))
		}
	}
	add(ActLeavingCareRisk, Date{}, "plan accommodation on leaving care with the continued risk from traffickers in mind", Guidance("54"))
	add(ActAdviserAware, Date{}, "make sure the personal adviser understands the continued risk from traffickers", Guidance("66"))
	return out
}
