package sim

import "fmt"

// Leaving-care status under the Children Act 1989 (domain.md §3 and §9):
// an eligible child has been looked after for 13 weeks or more since 14 and
// is still looked after at 16 or 17; a relevant child was eligible and left
// care at 16 or 17; a former relevant child is 18 or over and was eligible
// or relevant. A young person looked after for less, who leaves care at 16
// or over, is a qualifying young person, owed advice and assistance (s.24)
// but not a personal adviser, pathway plan, accommodation and maintenance
// under s.23C or a setting-up-home allowance (S30, S37, S102).

// careFacts are the dates that decide a young person's leaving-care status.
type careFacts struct {
	// eligibleFrom is the day they become an eligible child: 16, or the
	// day they complete the weeks needed since 14 if later; zero if they
	// leave care before that.
	eligibleFrom Date
	// careEnds is the day they stop being looked after: the case's date
	// of leaving care, or the 18th birthday.
	careEnds Date
	weeks    int // the weeks looked after since 14 that eligibility needs
}

func (w *walker) careFacts() careFacts {
	c := w.c
	f := careFacts{careEnds: c.DateOfBirth.Birthday(18)}
	if !c.Care.LeftCare.IsZero() && c.Care.LeftCare.Before(f.careEnds) {
		f.careEnds = c.Care.LeftCare
	}
	f.weeks = w.months(kLeavingCareEligibleWeeks, w.asOf)
	from := MaxDate(c.Care.LookedAfterSince, c.DateOfBirth.Birthday(14)).AddWeeks(f.weeks)
	from = MaxDate(from, c.DateOfBirth.Birthday(16))
	if from.Before(f.careEnds) {
		f.eligibleFrom = from
	}
	return f
}

// careStatusOn returns the young person's leaving-care status on d.
func (w *walker) careStatusOn(d Date) CareStatus {
	f := w.care
	adult := !d.Before(w.c.DateOfBirth.Birthday(18))
	switch {
	case d.Before(f.careEnds):
		if !f.eligibleFrom.IsZero() && !d.Before(f.eligibleFrom) {
			return Eligible
		}
		return LookedAfter
	case f.eligibleFrom.IsZero():
		return Qualifying
	case adult:
		return FormerRelevant
	}
	return Relevant
}

// careLeaver reports whether the young person is owed the full leaving-care
// support of an eligible, relevant or former relevant child on d.
func (w *walker) careLeaver(d Date) bool {
	switch w.careStatusOn(d) {
	case Eligible, Relevant, FormerRelevant:
		return true
	}
	return false
}

// careStatusWords gives the status on the as-of date and why.
func (w *walker) careStatusWords() (CareStatus, string) {
	f, dob := w.care, w.c.DateOfBirth
	st := w.careStatusOn(w.asOf)
	since := MaxDate(w.c.Care.LookedAfterSince, dob.Birthday(14))
	var why string
	switch st {
	case LookedAfter:
		if f.eligibleFrom.IsZero() {
			why = fmt.Sprintf("looked after since %s: fewer than %s in care before leaving care on %s, so they will be a qualifying young person (advice and assistance only)",
				w.c.Care.LookedAfterSince.Long(), weeksWords(f.weeks), f.careEnds.Long())
		} else {
			why = fmt.Sprintf("looked after since %s: an eligible child from %s (%s in care since 14, and 16 or over)", w.c.Care.LookedAfterSince.Long(), f.eligibleFrom.Long(), weeksWords(f.weeks))
		}
	case Eligible:
		why = fmt.Sprintf("looked after for %s or more since %s and now 16 or over", weeksWords(f.weeks), since.Long())
	case Relevant:
		why = fmt.Sprintf("was an eligible child and left care on %s, before 18", f.careEnds.Long())
	case FormerRelevant:
		why = fmt.Sprintf("18 or over and was an eligible child (looked after for %s or more since 14)", weeksWords(f.weeks))
	case Qualifying:
		why = fmt.Sprintf("left care on %s after fewer than %s looked after since 14: owed advice and assistance (s.24), not a personal adviser, pathway plan or leaving-care accommodation and allowance",
			f.careEnds.Long(), weeksWords(f.weeks))
	}
	return st, why
}

// milestones are the age and care milestones from the as-of date on, in
// words that fit the young person's leaving-care status.
func (w *walker) milestones() []Event {
	dob, f := w.c.DateOfBirth, w.care
	leaver := !f.eligibleFrom.IsZero()
	var all []Event
	if f.eligibleFrom == dob.Birthday(16) {
		all = append(all, Event{Date: dob.Birthday(16), Kind: EventTurns16, Text: "turns 16: an eligible child: pathway planning starts and a personal adviser is due (Sch 2 para 19C)"})
	} else {
		all = append(all, Event{Date: dob.Birthday(16), Kind: EventTurns16, Text: "turns 16"})
		if leaver {
			all = append(all, Event{Date: f.eligibleFrom, Kind: EventBecomesEligible,
				Text: fmt.Sprintf("%s looked after since 14: an eligible child from today, with a pathway plan and a personal adviser", weeksWords(f.weeks))})
		}
	}
	bd18 := dob.Birthday(18)
	switch {
	case leaver && f.careEnds.Before(bd18):
		all = append(all, Event{Date: bd18, Kind: EventTurns18, Text: "turns 18: a former relevant child; the personal adviser and pathway plan continue (para 66)"})
	case leaver:
		all = append(all, Event{Date: bd18, Kind: EventTurns18, Text: "turns 18: leaves care as a former relevant child; the personal adviser and pathway plan continue (para 66)"})
	default:
		all = append(all, Event{Date: bd18, Kind: EventTurns18, Text: "turns 18: a qualifying young person: advice and assistance (s.24), no personal adviser or leaving-care accommodation"})
	}
	if leaver {
		bd21 := dob.Birthday(21)
		text := "turns 21: leaving-care support continues only in education or training"
		if w.flag(kLeavingCareAdviserOnRequestTo25, bd21) {
			text += ", or with a personal adviser on request to 25"
		}
		all = append(all, Event{Date: bd21, Kind: EventTurns21, Text: text})
		all = append(all, Event{Date: dob.Birthday(25), Kind: EventTurns25, Text: "turns 25: personal adviser support ends"})
	} else {
		all = append(all, Event{Date: dob.Birthday(25), Kind: EventTurns25, Text: "turns 25: the plan ends"})
	}
	var out []Event
	for _, e := range all {
		if !e.Date.Before(w.asOf) {
			out = append(out, e)
		}
	}
	return out
}

// uascAgeEvent adds the 17½ milestone to a branch where it matters: the
// age limit in force on the as-of date, in words from its value, saying
// that UASC leave held ends then, or that it can no longer be granted.
func (w *walker) uascAgeEvent(b *Branch) {
	months := w.months(kLeaveUascAgeLimitMonths, w.asOf)
	d := w.c.DateOfBirth.AddMonths(months)
	if d.Before(w.asOf) {
		return
	}
	holds, decided := false, false
	for _, e := range b.Events {
		if e.Kind == EventLeaveExpires && e.Date == d {
			holds = true
		}
	}
	for _, st := range b.Steps {
		decided = decided || !st.Date.Before(d)
	}
	age := AgeWords(months)
	switch {
	case holds:
		b.Events = append(b.Events, Event{Date: d, Kind: EventTurns17Half, Text: fmt.Sprintf("turns %s: UASC leave ends, and is not granted again (para 58)", age)})
	case decided || w.c.Asylum.Status == Pending:
		b.Events = append(b.Events, Event{Date: d, Kind: EventTurns17Half, Text: fmt.Sprintf("turns %s: from now a decision cannot give UASC leave (para 58)", age)})
	}
}

// supportedAfter21 reports whether a former relevant child keeps a
// pathway plan and personal adviser on d: under 21, in education or
// training, or with an adviser asked for (s.23CZB, when it exists on d).
func (w *walker) supportedAfter21(d Date) bool {
	lc := w.c.LeavingCare
	return d.Before(w.c.DateOfBirth.Birthday(21)) || lc.EducationAfter21 ||
		(lc.AdviserOnRequest && w.flag(kLeavingCareAdviserOnRequestTo25, d))
}
