package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

// Arrivals open a cohort: young people who come into the authority's care
// during the forecast, as new arrivals or National Transfer Scheme
// transfers (domain.md §4 and §10; product.md §6b). The number arriving in
// each financial year is drawn, for each draw of the forecast, from a
// Poisson distribution around the expected number; who they are (age,
// nationality, placement, whether trafficked, the day they arrive) is
// drawn from the mixes, once for each place an arrival can take. All of it
// comes from the seed, so it is the same on any number of workers.
type Arrivals struct {
	// The expected number arriving in a whole financial year: PerYear, or
	// ByYear for the years it gives; or, with HoldAtShare, as many as hold
	// the UASC looked after at the transfer scheme's share of the child
	// population. Extra is added to each year's number.
	PerYear     decimal.Decimal
	ByYear      map[int]decimal.Decimal
	HoldAtShare bool
	Extra       decimal.Decimal

	Ages          []Weight[int] // age on arrival
	Nationalities []Weight[string]
	Under16       []Weight[Placement] // placement on arrival under 16
	From16        []Weight[Placement] // placement on arrival at 16 or 17
	Trafficked    decimal.Decimal     // share of arrivals referred as trafficked
}

// Weight is a value and its weight in a mix.
type Weight[T any] struct {
	Value  T
	Weight decimal.Decimal
}

// Open reports whether any arrivals are assumed.
func (a *Arrivals) Open() bool {
	if a == nil {
		return false
	}
	if a.HoldAtShare || a.PerYear.IsPositive() || a.Extra.IsPositive() {
		return true
	}
	for _, v := range a.ByYear {
		if v.IsPositive() {
			return true
		}
	}
	return false
}

// ArrivalYear is what a forecast assumed and drew for one financial year.
type ArrivalYear struct {
	Year     int
	Expected decimal.Decimal // the expected number, for the part of the year in the forecast
	Mean     decimal.Decimal // the mean number drawn
	P10, P90 int
	// HoldTarget is the number of UASC looked after the transfer scheme's
	// share gives, when arrivals hold at it; 0 otherwise.
	HoldTarget int64
}

// arrivalSlot is one place an arrival can take: the k-th arrival of a
// financial year, who arrives in a draw when that draw's number for the
// year is more than k.
type arrivalSlot struct {
	year, k int
	c       Case
}

// Streams of the seed's random numbers for arrivals, apart from every
// young person's own (which come from their ids).
const (
	arrivalCountStream   = 0x6172726976616c00 // + year: how many arrive in each draw
	arrivalProfileStream = 0x70726f66696c6500 // + year: who each arrival is
)

// slotDraws is how many uniform numbers each arrival's profile takes, so
// that the k-th arrival of a year is the same whatever the number drawn.
const slotDraws = 7

// planArrivals works out the expected number arriving in each financial
// year, draws each draw's number, and makes the arrivals' cases.
func planArrivals(a *Arrivals, p *Policy, opts ForecastOptions, lookedAfter int64) (years []ArrivalYear, counts [][]int, slots []arrivalSlot, err error) {
	if !a.Open() {
		return nil, nil, nil, nil
	}
	if len(a.Ages) == 0 || len(a.Nationalities) == 0 || len(a.Under16) == 0 || len(a.From16) == 0 {
		return nil, nil, nil, fmt.Errorf("arrivals need a mix of ages, nationalities and placements")
	}
	first := opts.From.FinancialYear()
	meanYears, err := yearsInCare(a.Ages)
	if err != nil {
		return nil, nil, nil, err
	}
	counts = make([][]int, opts.Years)
	for y := range opts.Years {
		fy := first + y
		start := MaxDate(opts.From, NewDate(fy, time.April, 1))
		end := NewDate(fy+1, time.April, 1)
		part := decimal.NewFromInt(int64(start.DaysUntil(end))).Div(decimal.NewFromInt(int64(NewDate(fy, time.April, 1).DaysUntil(end))))
		ay := ArrivalYear{Year: fy}
		whole := a.PerYear
		if v, ok := a.ByYear[fy]; ok {
			whole = v
		}
		var gap decimal.Decimal
		if a.HoldAtShare {
			pop, err := p.Lookup(kLocalChildPopulation.name, start)
			if err != nil {
				return nil, nil, nil, err
			}
			share, err := p.Lookup(kNtsShare.name, start)
			if err != nil {
				return nil, nil, nil, err
			}
			if !pop.Value.IsPositive() {
				return nil, nil, nil, fmt.Errorf("arrivals held at the transfer scheme's share need local.child_population, the authority's child population; the policy gives %s", pop.Value)
			}
			target := pop.Value.Mul(share.Value)
			ay.HoldTarget = target.Round(0).IntPart()
			// As many each year as leave care at 18 when the number holds:
			// the target over the years an arrival stays in care; and in
			// the first year, the gap to the target as well.
			whole = target.Div(meanYears)
			if y == 0 && target.GreaterThan(decimal.NewFromInt(lookedAfter)) {
				gap = target.Sub(decimal.NewFromInt(lookedAfter))
			}
		}
		ay.Expected = whole.Add(a.Extra).Mul(part).Add(gap).Round(2)
		if ay.Expected.GreaterThan(decimal.NewFromInt(MaxArrivalsPerYear)) {
			return nil, nil, nil, BoundsError(fmt.Sprintf("arrivals: %s expected in %s, more than a forecast allows: at most %d a year",
				ay.Expected, FinancialYearLabel(fy), MaxArrivalsPerYear))
		}
		years = append(years, ay)

		// Each draw's number, by inversion of the Poisson distribution,
		// so that a larger expected number never draws fewer.
		r := rand.New(rand.NewPCG(opts.Seed, arrivalCountStream+uint64(fy)))
		lambda := ay.Expected.InexactFloat64()
		counts[y] = make([]int, opts.Draws)
		most := 0
		for d := range counts[y] {
			counts[y][d] = poissonQuantile(lambda, r.Float64())
			most = max(most, counts[y][d])
		}
		pr := rand.New(rand.NewPCG(opts.Seed, arrivalProfileStream+uint64(fy)))
		for k := range most {
			var u [slotDraws]float64
			for i := range u {
				u[i] = pr.Float64()
			}
			slots = append(slots, arrivalSlot{year: y, k: k, c: a.arrival(fy, k, start, end, u)})
		}
	}
	return years, counts, slots, nil
}

// arrival makes the k-th arrival of financial year fy, arriving from start
// to the day before end, from uniform numbers u.
func (a *Arrivals) arrival(fy, k int, start, end Date, u [slotDraws]float64) Case {
	on := start.AddDays(int(u[0] * float64(start.DaysUntil(end))))
	age := pickWeighted(a.Ages, u[1])
	earliest := on.AddMonths(-12 * (age + 1)).AddDays(1)
	dob := earliest.AddDays(int(u[2] * float64(earliest.DaysUntil(on.AddMonths(-12*age))+1)))
	mix := a.From16
	if age < 16 {
		mix = a.Under16
	}
	return Case{
		ID:          fmt.Sprintf("ARRIVAL-%s-%04d", FinancialYearLabel(fy), k+1),
		DateOfBirth: dob,
		Nationality: pickWeighted(a.Nationalities, u[3]),
		Trafficked:  u[5] < a.Trafficked.InexactFloat64(),
		Care:        Care{LookedAfterSince: on, Placement: pickWeighted(mix, u[4])},
		Asylum:      Asylum{ClaimDate: on, Status: Pending},
		LeavingCare: LeavingCare{EducationAfter21Unknown: true, AdviserOnRequestUnknown: true},
	}
}

// pickWeighted chooses from a mix with a uniform number u.
func pickWeighted[T any](ws []Weight[T], u float64) T {
	total := 0.0
	for _, w := range ws {
		total += w.Weight.InexactFloat64()
	}
	x := u * total
	for _, w := range ws {
		f := w.Weight.InexactFloat64()
		if x < f {
			return w.Value
		}
		x -= f
	}
	return ws[len(ws)-1].Value
}

// yearsInCare is how long an arrival stays in care on average: from the
// middle of the year of age they arrive in to 18.
func yearsInCare(ages []Weight[int]) (decimal.Decimal, error) {
	total, sum := decimal.Zero, decimal.Zero
	for _, w := range ages {
		total = total.Add(w.Weight)
		sum = sum.Add(w.Weight.Mul(decimal.NewFromInt(int64(18 - w.Value)).Sub(decimal.RequireFromString("0.5"))))
	}
	if !total.IsPositive() || !sum.IsPositive() {
		return decimal.Zero, fmt.Errorf("arrivals' ages must give some weight to ages under 18")
	}
	return sum.Div(total), nil
}

// poissonQuantile returns the smallest n whose Poisson(λ) cumulative
// probability reaches u.
func poissonQuantile(lambda, u float64) int {
	if lambda <= 0 {
		return 0
	}
	d := distuv.Poisson{Lambda: lambda}
	n := max(0, int(math.Floor(lambda+math.Sqrt(lambda)*normalQuantile(u))))
	for n > 0 && d.CDF(float64(n-1)) >= u {
		n--
	}
	for d.CDF(float64(n)) < u {
		n++
	}
	return n
}

// normalQuantile is a starting guess for poissonQuantile.
func normalQuantile(u float64) float64 {
	return distuv.UnitNormal.Quantile(math.Min(math.Max(u, 1e-12), 1-1e-12))
}
