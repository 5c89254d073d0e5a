package sim

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The dates the engine plans with. A date of birth, a care start or a
// claim may be as early as EarliestDate (a young person under 25 on
// CoverFrom was born after it); a date on which a policy value is read (the as-of date, a
// decision, an expected decision, a departure) must be on or after
// CoverFrom, the earliest date every policy covers. Nothing may be after
// LatestDate.
var (
	EarliestDate = NewDate(1975, time.January, 1)
	LatestDate   = NewDate(2100, time.December, 31)
)

// DateProblem is one date of a case that the engine cannot plan with.
type DateProblem struct {
	Field   string // the case file's key path, such as asylum.decision_date; "as_of" for the as-of date
	Date    Date
	Allowed string
}

// DatesError lists the dates of a case that the engine cannot plan with.
// It is bad input, not a fault of the engine.
type DatesError struct {
	ID       string
	Problems []DateProblem
}

func (e *DatesError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("%s %s: %s", p.Field, p.Date, p.Allowed)
	}
	return fmt.Sprintf("case %s: %s", e.ID, strings.Join(parts, "; "))
}

// DateRange says in words which dates are allowed, from lo to LatestDate.
func DateRange(lo Date) string {
	if lo == CoverFrom {
		return fmt.Sprintf("a date from %s (the earliest date a policy covers) to %s", lo, LatestDate)
	}
	return fmt.Sprintf("a date from %s to %s", lo, LatestDate)
}

// InRange reports whether d is from lo to LatestDate.
func InRange(d, lo Date) bool { return !d.Before(lo) && !d.After(LatestDate) }

// CaseDateProblems returns every date of c, and the as-of date, that the
// engine cannot plan with: outside EarliestDate to LatestDate, or, for a
// date a policy value is read on, before CoverFrom. Zero dates are not
// given and are not checked.
func CaseDateProblems(c Case, asOf Date) []DateProblem {
	var ps []DateProblem
	check := func(field string, d, lo Date) {
		if !d.IsZero() && !InRange(d, lo) {
			ps = append(ps, DateProblem{Field: field, Date: d, Allowed: DateRange(lo)})
		}
	}
	check("as_of", asOf, CoverFrom)
	check("date_of_birth", c.DateOfBirth, EarliestDate)
	check("review_date", c.ReviewDate, CoverFrom)
	check("care.looked_after_since", c.Care.LookedAfterSince, EarliestDate)
	check("asylum.claim_date", c.Asylum.ClaimDate, EarliestDate)
	check("asylum.decision_date", c.Asylum.DecisionDate, CoverFrom)
	check("asylum.expected_decision", c.Asylum.ExpectedDecision, CoverFrom)
	check("care.left_care", c.Care.LeftCare, EarliestDate)
	check("asylum.fresh_claim_date", c.Asylum.FreshClaimDate, CoverFrom)
	check("leaving_care.higher_education_start", c.LeavingCare.HigherEducationStart, CoverFrom)
	check("leaving_care.higher_education_end", c.LeavingCare.HigherEducationEnd, CoverFrom)
	check("leaving_care.first_home", c.LeavingCare.FirstHome, CoverFrom)
	check("trafficking.nrm_referral", c.Trafficking.NRMReferral, CoverFrom)
	check("trafficking.reasonable_grounds", c.Trafficking.ReasonableGrounds, CoverFrom)
	check("trafficking.conclusive_grounds", c.Trafficking.ConclusiveGrounds, CoverFrom)
	if r := c.Return; r != nil {
		check("return.departure", r.Departure, CoverFrom)
		check("return.reintegration_contact", r.ReintegrationContact, CoverFrom)
	}
	return ps
}

// checkCaseDates is CaseDateProblems as an error, for the engine's entry
// points: a case that did not come through the file readers is still
// refused before it is planned.
func checkCaseDates(c Case, asOf Date) error {
	if ps := CaseDateProblems(c, asOf); len(ps) > 0 {
		return &DatesError{ID: c.ID, Problems: ps}
	}
	return nil
}

// Bounds of a forecast run.
const (
	MaxDraws   = 1_000_000
	MaxYears   = 30
	MaxWorkers = 256
)

// MaxArrivalsPerYear bounds the arrivals a forecast assumes in one
// financial year. Each arrival the draws might need is a case made up
// front, so the bound keeps memory in hand; it is above all of England's
// UASC starting care in 2022–23 (domain.md, "Arrivals": 7,090), far past
// what one authority plans for.
const MaxArrivalsPerYear = 10_000

// ForecastMemory estimates the bytes a forecast of people young people
// holds at its peak: each worker's per-draw totals, the merged totals, the
// per-draw values summarised for each row, and the cohort itself.
func ForecastMemory(opts ForecastOptions, people int, workers int) int64 {
	cells := int64(opts.Years) * int64(len(Categories))
	draws := int64(opts.Draws)
	w := int64(max(min(workers, max(people, 1)), 1))
	perWorker := draws*cells*8 + int64(opts.Years)*16*8 + 64<<10 // totals, head-counts, a ledger and a sampler
	// A bit per draw for each span (the years and a few birthdays) and
	// mode met (a few), twice: the differences of whole spans, and each
	// span's entry for the mode.
	perWorker += 2 * (draws/8 + 8) * (int64(opts.Years) + 9) * 8
	summary := draws * 8 * 4 // values, payer totals, net, and a sorted copy
	cohort := int64(people) * 512
	return w*perWorker + draws*cells*8 + summary + cohort
}

// checkSums makes sure that no total a forecast of people young people
// (arrivals' places included) and draws draws adds up can overflow int64
// pence: each young person's money in a financial year, in one category,
// is at most the policy's largest rate for 366 days plus its largest
// one-off amounts. A draw's totals add every category of every young
// person, then payer totals and the net cost; the sums across draws (by
// quarter, by placement, each young person's own costs) add one category
// over every young person and draw. The mean of a row over draws is summed
// without a bound, by meanPence.
func checkSums(p *Policy, people, draws int) error {
	var maxDay, maxOnce int64
	for _, vs := range p.params {
		for _, v := range vs {
			switch v.Unit {
			case PoundsNight, PoundsWeek, PoundsMonth:
				mul, _ := rateUnit(v.Unit)
				maxDay = max(maxDay, pence(v.Value)*mul)
			case Pounds:
				maxOnce = max(maxOnce, pence(v.Value))
			}
		}
	}
	perYear := new(big.Int).Mul(big.NewInt(maxDay), big.NewInt(366))
	perYear.Add(perYear, new(big.Int).Mul(big.NewInt(maxOnce), big.NewInt(8)))
	// Every category, and the payer totals and net cost made from them.
	perYear.Mul(perYear, big.NewInt(int64(max(people, 1))))
	drawTotal := new(big.Int).Mul(perYear, big.NewInt(int64(2*len(Categories)+2)))
	acrossDraws := new(big.Int).Mul(perYear, big.NewInt(int64(max(draws, 1))))
	limit := big.NewInt(math.MaxInt64)
	if drawTotal.Cmp(limit) > 0 || acrossDraws.Cmp(limit) > 0 {
		return BoundsError(fmt.Sprintf("policy %s: its largest amounts, for %d young people over %d draws, could exceed the exact sums a forecast keeps: use a smaller cohort, fewer draws, or check the policy's amounts",
			p.Name, people, draws))
	}
	return nil
}

// BoundsError is input too large for the engine to work on exactly: bad
// input, not a fault of the engine.
type BoundsError string

func (e BoundsError) Error() string { return string(e) }

// meanPence is the mean of amounts in pence, as pounds rounded to the
// penny. The sum is taken without a bound, so no number of draws can
// overflow it.
func meanPence(pence []int64) decimal.Decimal {
	sum := new(big.Int)
	var part int64
	for _, v := range pence {
		if (v > 0 && part > math.MaxInt64-v) || (v < 0 && part < math.MinInt64-v) {
			sum.Add(sum, big.NewInt(part))
			part = 0
		}
		part += v
	}
	sum.Add(sum, big.NewInt(part))
	return decimal.NewFromBigInt(sum, -2).DivRound(decimal.NewFromInt(int64(len(pence))), 2)
}

// checkForecastInput refuses a forecast whose start or cases have dates the
// engine cannot plan with, or whose sums could overflow.
func checkForecastInput(cohort []Case, p *Policy, opts ForecastOptions) error {
	if !InRange(opts.From, CoverFrom) {
		return &DatesError{ID: "(forecast start)", Problems: []DateProblem{{Field: "from", Date: opts.From, Allowed: DateRange(CoverFrom)}}}
	}
	for _, c := range cohort {
		// A cohort's case is seen from its own dates: rows dated after the
		// start enter on their date, so only the case's dates are checked.
		if ps := CaseDateProblems(c, Date{}); len(ps) > 0 {
			return &DatesError{ID: c.ID, Problems: ps}
		}
	}
	return checkSums(p, len(cohort), opts.Draws)
}
