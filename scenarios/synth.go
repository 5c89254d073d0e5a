package scenarios

import (
	"fmt"
	"math/rand/v2"

	"pathway/sim"
)

// synthStream is the stream of Synth's PCG source. It is fixed, so that the
// seed alone decides the cohort.
const synthStream = 0x9e3779b97f4a7c15

// weighted is a value with a weight; pick chooses among them.
type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	panic("unreachable")
}

// synthNationalities, in percent: UASC asylum claims in the year ending
// March 2023 (domain.md §7, S82): Afghanistan 20%, Iran 18%, Sudan 13%,
// Eritrea 11%, Vietnam 7%, Albania 7%. The other 24% is spread over Iraq
// and Syria (both with priors in domain.md §7) and Ethiopia, Egypt and
// Pakistan; that split is an assumption, not a published figure.
var synthNationalities = []weighted[string]{
	{"AFG", 20}, {"IRN", 18}, {"SDN", 13}, {"ERI", 11}, {"VNM", 7}, {"ALB", 7},
	{"IRQ", 9}, {"SYR", 6}, {"ETH", 4}, {"EGY", 3}, {"PAK", 2},
}

// synthAges, in percent: the age on the as-of date, 14 to 24, weighted
// toward 16–20. On 31 March 2022 there were 5,570 UASC in care and 11,650
// former UASC care leavers aged 17–21 (domain.md §4, S57), about two care
// leavers for each child in care: here 28% are under 18 and 51% are 18–21.
// Fewer are 22–24, when a personal adviser is there on request (domain.md
// §3), and few are 14–15, since most arrive older.
var synthAges = []weighted[int]{
	{14, 2}, {15, 4}, {16, 9}, {17, 13}, {18, 14}, {19, 14}, {20, 13}, {21, 10}, {22, 8}, {23, 7}, {24, 6},
}

// synthArrivalAges, in percent: the age on becoming looked after. Mostly 16
// or 17; an assumption, as domain.md gives no figure.
var synthArrivalAges = []weighted[int]{{14, 10}, {15, 20}, {16, 35}, {17, 35}}

// synthFirstDecisions, in percent: UASC initial decisions, year ending
// March 2018 (domain.md §7, S80): 56% protection, 17% UASC leave, 27%
// refused. How protection splits between refugee status and humanitarian
// protection is an assumption. A child of 17½ or more on the decision date
// cannot get UASC leave: that share is refused (product.md §2).
var synthFirstDecisions = []weighted[sim.Status]{
	{sim.StatusRefugee, 52}, {sim.StatusHumanitarianProtection, 4}, {sim.StatusUASCLeave, 17}, {sim.StatusRefused, 27},
}

// synthExtensions, in percent: the decision on an in-time application to
// extend UASC leave, made after 17½. An assumption: no rate is published.
var synthExtensions = []weighted[sim.Status]{
	{sim.StatusRefugee, 45}, {sim.StatusHumanitarianProtection, 5}, {sim.StatusRefused, 50},
}

// synthAppealAllowed is the percentage of appeals allowed: 39% (domain.md
// §1, S15, July–September 2025); the rest, dismissed or withdrawn, end in
// appeal rights exhausted.
const synthAppealAllowed = 39

// Placements by age on the as-of date, in percent. An assumption: domain.md
// gives no placement mix. Under 16 only foster or residential care; at 16
// and 17 also semi-independent accommodation and supported lodgings; from
// 18 no foster or residential placement, and staying put only to 21
// (domain.md §3, S44).
var (
	synthPlacementsUnder16 = []weighted[sim.Placement]{{sim.Foster, 90}, {sim.Residential, 10}}
	synthPlacements16to17  = []weighted[sim.Placement]{{sim.Foster, 50}, {sim.SemiIndependent, 30}, {sim.SupportedLodgings, 10}, {sim.Residential, 10}}
	synthPlacements18to20  = []weighted[sim.Placement]{{sim.StayingPut, 10}, {sim.SemiIndependent, 20}, {sim.SupportedLodgings, 15}, {sim.Independent, 55}}
	synthPlacements21up    = []weighted[sim.Placement]{{sim.Independent, 90}, {sim.SupportedLodgings, 10}}
)

// synthTrafficked is the percentage of young people flagged as trafficked:
// about 5%, an assumption for trials.
const synthTrafficked = 5

// Synth generates a synthetic cohort of n young people as of asOf, for
// trials and benchmarks: ids SYN-000001 onwards, with the mix of
// nationalities, ages, statuses and placements documented on the weights
// above. Each history runs forward from arrival: looked after at 14–17, a
// claim within 8 weeks, a first decision 4 to 24 months later (there is no
// service standard for UASC claims and many wait over a year, domain.md §7),
// then, by the as-of date, an appeal about 40–60 weeks after a refusal
// (domain.md §1), an extension decision after UASC leave ends at 30 months
// or 17½, and settlement 5 years after a grant. The same seed gives the
// same cohort; every case passes the cohort rules for asOf.
func Synth(n int, seed uint64, asOf sim.Date) []sim.Case {
	r := rand.New(rand.NewPCG(seed, synthStream))
	cs := make([]sim.Case, 0, max(n, 0))
	for i := range n {
		cs = append(cs, synthCase(r, fmt.Sprintf("SYN-%06d", i+1), asOf))
	}
	return cs
}

func synthCase(r *rand.Rand, id string, asOf sim.Date) sim.Case {
	days := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) } // lo to hi, inclusive

	age := pick(r, synthAges)
	// Born on a day that makes them age on asOf.
	earliest := asOf.AddMonths(-12 * (age + 1)).AddDays(1)
	dob := earliest.AddDays(r.IntN(earliest.DaysUntil(asOf.AddMonths(-12*age)) + 1))

	arrival := pick(r, synthArrivalAges[:min(age, 17)-13]) // not older than now
	from := dob.Birthday(arrival)
	to := sim.MinDate(dob.Birthday(arrival+1).AddDays(-1), asOf)
	las := from.AddDays(r.IntN(from.DaysUntil(to) + 1))
	claim := sim.MinDate(las.AddDays(days(0, 56)), asOf)

	c := sim.Case{
		ID:          id,
		DateOfBirth: dob,
		Nationality: pick(r, synthNationalities),
		Trafficked:  r.IntN(100) < synthTrafficked,
		Care:        sim.Care{LookedAfterSince: las},
		Asylum:      sim.Asylum{ClaimDate: claim, Status: sim.Pending},
		// Whether they will be in education after 21 or ask for an adviser
		// is not known: a forecast draws it with the policy's shares.
		LeavingCare: sim.LeavingCare{EducationAfter21Unknown: true, AdviserOnRequestUnknown: true},
	}
	switch a := dob.AgeOn(asOf); {
	case a < 16:
		c.Care.Placement = pick(r, synthPlacementsUnder16)
	case a < 18:
		c.Care.Placement = pick(r, synthPlacements16to17)
	case a < 21:
		c.Care.Placement = pick(r, synthPlacements18to20)
	default:
		c.Care.Placement = pick(r, synthPlacements21up)
	}

	decided := claim.AddDays(days(120, 720))
	if decided.After(asOf) {
		return c // still waiting for the first decision
	}
	status := pick(r, synthFirstDecisions)
	if status == sim.StatusUASCLeave && !decided.Before(dob.AddMonths(210)) {
		status = sim.StatusRefused
	}
	for {
		var next sim.Date
		var then sim.Status
		switch status {
		case sim.StatusRefugee, sim.StatusHumanitarianProtection:
			next, then = decided.AddMonths(60).AddDays(days(30, 180)), sim.StatusSettled
		case sim.StatusUASCLeave:
			expiry := sim.MinDate(decided.AddMonths(30), dob.AddMonths(210))
			next, then = expiry.AddDays(days(120, 720)), pick(r, synthExtensions)
		case sim.StatusRefused:
			next, then = decided.AddDays(days(280, 420)), sim.StatusARE
			if r.IntN(100) < synthAppealAllowed {
				then = sim.StatusRefugee
			}
		}
		if next.IsZero() || next.After(asOf) {
			break
		}
		status, decided = then, next
	}
	c.Asylum.Status, c.Asylum.DecisionDate = status, decided
	return c
}
