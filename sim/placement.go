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
}

// lifeDraws is how many uniform numbers drawLife takes from its stream on
// every draw, used or not, so that a change of chances in one scenario does
// not shift the draws of another.
const lifeDraws = 6

// drawLife samples, for one draw of the forecast, the placement moves and
// the leaving-care facts a cohort row leaves open, from the young person's
// second random stream.
func (w *walker) drawLife() {
	f := w.moneyFacts()
	var u [lifeDraws]float64
	for i := range u {
		u[i] = w.life.Float64()
	}
	p := placementIndex(w.c.Care.Placement)
	w.stays.reset(p)
	start := w.asOf.days()

	// A step-down to supported accommodation at 16 or 17, on a day spread
	// evenly over those two years. For a child already past 16 and not yet
	// moved, the chance is the policy's, given no move so far.
	if p == plFoster || p == plResidential {
		from := max(f.bd16, start)
		if window := f.careEnds - f.bd16; from < f.careEnds && window > 0 {
			q := w.pf(kPlacementStepDown1617, fromDays(from))
			if from > f.bd16 {
				left := float64(f.careEnds-from) / float64(window)
				q = q * left / (1 - q*(1-left))
			}
			if u[0] < q {
				w.stays.move(from+int(u[1]*float64(f.careEnds-from)), plSemiIndependent)
				p = plSemiIndependent
			}
		}
	}
	adult := adultPlacement(p)
	if f.careEnds >= start && (p == plFoster || p == plResidential || p == plOther) {
		ends := w.care.careEnds
		switch sl, ind := w.pf(kPlacementAt18SupportedLodgings, ends), w.pf(kPlacementAt18Independent, ends); {
		case p == plFoster && w.flag(kLeavingCareStayingPut, w.c.DateOfBirth.Birthday(18)) && u[2] < w.pf(kPlacementStayingPut, ends):
			adult = plStayingPut
		case u[3] < sl:
			adult = plSupportedLodgings
		case u[3] < sl+ind:
			adult = plIndependent
		}
	}
	w.stays.leaveCare(f, adult)

	lc := w.c.LeavingCare
	bd21 := w.c.DateOfBirth.Birthday(21)
	w.edu21, w.onRequest = lc.EducationAfter21, lc.AdviserOnRequest
	if lc.EducationAfter21Unknown {
		w.edu21 = u[4] < w.pf(kLeavingCareEducationShare, bd21)
	}
	if lc.AdviserOnRequestUnknown {
		w.onRequest = u[5] < w.pf(kLeavingCareAdviserShare, bd21)
	}
}
