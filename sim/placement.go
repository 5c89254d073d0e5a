package sim

import "math"

// Where a young person lives over time. A plan keeps the case's placement
// until they leave care; then a foster, residential or other placement
// gives way to supported accommodation, and Staying Put (s.23CZA, to 21)
// to their own home. A forecast also samples the moves the policy gives
// dated chances for (domain.md §10; product.md §6b): from foster or
// residential care to supported accommodation at 16 or 17, and at 18 from
// a foster placement to Staying Put, or from foster, residential or other
// care to supported lodgings, supported accommodation or a tenancy.

// Placement indexes, in the order of Placements.
const (
	plFoster = iota
	plResidential
	plSupportedLodgings
	plSemiIndependent
	plStayingPut
	plIndependent
	plOther
	nPlacements
)

// placementIndex returns a placement's index in Placements.
func placementIndex(p Placement) int {
	switch p {
	case Foster:
		return plFoster
	case Residential:
		return plResidential
	case SupportedLodgings:
		return plSupportedLodgings
	case SemiIndependent:
		return plSemiIndependent
	case StayingPut:
		return plStayingPut
	case Independent:
		return plIndependent
	}
	return plOther
}

// adultPlacement is where a young person lives after leaving care when
// nothing more is known: supported accommodation after a foster,
// residential or other placement, else where they were.
func adultPlacement(pl int) int {
	switch pl {
	case plFoster, plResidential, plOther:
		return plSemiIndependent
	}
	return pl
}

// stay is a stretch of time in one placement, from a day number on.
type stay struct{ from, place int }

// stays are a young person's placements over time, in order.
type stays struct {
	n int
	s [4]stay
}

func (ss *stays) reset(place int) {
	ss.n = 1
	ss.s[0] = stay{math.MinInt, place}
}

// move records a move to place on day from, if it changes anything.
func (ss *stays) move(from, place int) {
	if ss.s[ss.n-1].place == place {
		return
	}
	ss.s[ss.n] = stay{from, place}
	ss.n++
}

// on returns the placement on day d.
func (ss *stays) on(d int) int {
	p := ss.s[0].place
	for i := 1; i < ss.n; i++ {
		if ss.s[i].from <= d {
			p = ss.s[i].place
		}
	}
	return p
}

// leaveCare records the move on leaving care, and from Staying Put to the
// young person's own home at 21.
func (ss *stays) leaveCare(f *moneyFacts, adult int) {
	ss.move(f.careEnds, adult)
	if adult == plStayingPut {
		ss.move(f.bd21, plIndependent)
	}
}

// plannedStays are the placements a plan assumes, and the leaving-care
// facts the case gives.
func (w *walker) plannedStays() {
	f := w.moneyFacts()
	p := placementIndex(w.c.Care.Placement)
	w.stays.reset(p)
	w.stays.leaveCare(f, adultPlacement(p))
	w.edu21, w.onRequest = w.c.LeavingCare.EducationAfter21, w.c.LeavingCare.AdviserOnRequest
	w.lifeMode = bit(w.edu21)<<3 | bit(w.onRequest)<<4
}

// lifeDraws is how many uniform numbers drawLife takes from its stream on
// every draw, used or not, so that a change of chances in one scenario does
// not shift the draws of another.
const lifeDraws = 6

// lifeChances are the chances drawLife uses for a young person, looked up
// once: they depend only on their birthdays and the policy.
type lifeChances struct {
	ready          bool
	stepFrom       int     // the first day a step-down can fall on; the window runs to leaving care
	stepDown       float64 // the chance of one in what is left of the window
	stayingPut     float64 // a foster placement becoming Staying Put at 18; 0 where none exists
	lodgings, own  float64 // a move at 18 to supported lodgings, or to a tenancy
	edu, onRequest float64 // support after 21, for facts a cohort row leaves open
}

func (w *walker) lifeChances() *lifeChances {
	lc := &w.chances
	if lc.ready {
		return lc
	}
	f := w.moneyFacts()
	lc.stepFrom = max(f.bd16, w.asOf.days())
	if window := f.careEnds - f.bd16; lc.stepFrom < f.careEnds && window > 0 {
		// Spread evenly over 16 and 17: for a child already past 16 and not
		// yet moved, the chance is the policy's, given no move so far.
		q := w.pf(kPlacementStepDown1617, fromDays(lc.stepFrom))
		if lc.stepFrom > f.bd16 {
			left := float64(f.careEnds-lc.stepFrom) / float64(window)
			q = q * left / (1 - q*(1-left))
		}
		lc.stepDown = q
	}
	ends, dob := w.care.careEnds, w.c.DateOfBirth
	if w.flag(kLeavingCareStayingPut, dob.Birthday(18)) {
		lc.stayingPut = w.pf(kPlacementStayingPut, ends)
	}
	lc.lodgings, lc.own = w.pf(kPlacementAt18SupportedLodgings, ends), w.pf(kPlacementAt18Independent, ends)
	lc.edu, lc.onRequest = w.pf(kLeavingCareEducationShare, dob.Birthday(21)), w.pf(kLeavingCareAdviserShare, dob.Birthday(21))
	lc.ready = true
	return lc
}

// drawLife samples, for one draw of the forecast, the placement moves and
// the leaving-care facts a cohort row leaves open, from the young person's
// second random stream.
func (w *walker) drawLife() {
	f, ch := w.moneyFacts(), w.lifeChances()
	var u [lifeDraws]float64
	for i := range u {
		u[i] = w.life.Float64()
	}
	p := placementIndex(w.c.Care.Placement)
	w.stays.reset(p)

	// A step-down to supported accommodation at 16 or 17, on a day spread
	// evenly over what is left of those two years.
	if (p == plFoster || p == plResidential) && u[0] < ch.stepDown {
		w.stays.move(ch.stepFrom+int(u[1]*float64(f.careEnds-ch.stepFrom)), plSemiIndependent)
		p = plSemiIndependent
	}
	// A move on leaving care at 18, when that is still to come.
	adult := adultPlacement(p)
	if f.careEnds >= w.asOf.days() && (p == plFoster || p == plResidential || p == plOther) {
		switch {
		case p == plFoster && u[2] < ch.stayingPut:
			adult = plStayingPut
		case u[3] < ch.lodgings:
			adult = plSupportedLodgings
		case u[3] < ch.lodgings+ch.own:
			adult = plIndependent
		}
	}
	w.stays.leaveCare(f, adult)

	lc := &w.c.LeavingCare
	w.edu21, w.onRequest = lc.EducationAfter21, lc.AdviserOnRequest
	if lc.EducationAfter21Unknown {
		w.edu21 = u[4] < ch.edu
	}
	if lc.AdviserOnRequestUnknown {
		w.onRequest = u[5] < ch.onRequest
	}
	w.lifeMode = bit(w.edu21)<<3 | bit(w.onRequest)<<4
}
