package sim

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// Payer is who pays (product.md §3).
type Payer string

const (
	LocalAuthority Payer = "local_authority"
	HomeOffice     Payer = "home_office"
	DWP            Payer = "dwp"
)

// Payers in report order.
var Payers = []Payer{LocalAuthority, HomeOffice, DWP}

// Category is what a payment is for.
type Category string

const (
	CatPlacement           Category = "placement"
	CatStayingPut          Category = "staying_put"
	CatAccommodation       Category = "accommodation"
	CatAllowance           Category = "leaving_care_allowance"
	CatSocialWork          Category = "social_work"           // staffing for a looked-after child
	CatLeavingCareStaffing Category = "leaving_care_staffing" // the leaving-care service's staffing, besides the adviser
	CatAdviser             Category = "personal_adviser"
	CatCouncilTax          Category = "council_tax" // a care leaver's council tax discount
	CatSettingUpHome       Category = "setting_up_home"
	CatHEBursary           Category = "he_bursary"
	CatUASCGrant           Category = "uasc_grant"
	CatCareLeaverGrant     Category = "care_leaver_grant"
	CatAVRCash             Category = "avr_cash"
	CatAVRInKind           Category = "avr_in_kind"
	CatUniversalCredit     Category = "universal_credit"
	CatTotal               Category = "total"    // a payer's total, in summaries
	CatNetCost             Category = "net_cost" // the authority's spending minus Home Office grants
)

// Categories lists every category with its payer, in report order.
var Categories = []struct {
	Payer    Payer
	Category Category
}{
	{LocalAuthority, CatPlacement}, {LocalAuthority, CatStayingPut}, {LocalAuthority, CatAccommodation},
	{LocalAuthority, CatAllowance}, {LocalAuthority, CatSocialWork}, {LocalAuthority, CatLeavingCareStaffing},
	{LocalAuthority, CatAdviser}, {LocalAuthority, CatCouncilTax}, {LocalAuthority, CatSettingUpHome},
	{LocalAuthority, CatHEBursary},
	{HomeOffice, CatUASCGrant}, {HomeOffice, CatCareLeaverGrant}, {HomeOffice, CatAVRCash}, {HomeOffice, CatAVRInKind},
	{DWP, CatUniversalCredit},
}

// IsGrant reports whether a Home Office category is income to the authority
// (and so counts against its net cost).
func IsGrant(c Category) bool { return c == CatUASCGrant || c == CatCareLeaverGrant }

// Funding is what one payer pays in one financial year for one category.
type Funding struct {
	Year     int // the financial year starting 1 April of Year: 2025 is "2025-26"
	Payer    Payer
	Category Category
	Amount   decimal.Decimal // pounds, rounded to the penny
	Basis    []string        // the policy values used, as "key from DATE"
}

// FinancialYearLabel writes a financial year as "2025-26".
func FinancialYearLabel(y int) string { return fmt.Sprintf("%d-%02d", y, (y+1)%100) }

// AVRBudget is the reintegration budget on a return path (guidance para 62;
// domain.md §6).
type AVRBudget struct {
	Cap             decimal.Decimal
	CashOnDeparture decimal.Decimal
	ContactBy       Date
	SpendBy         Date
	Scheme          string
	Basis           []string
}

// categoryOrder indexes Categories for sorting and dense accumulation.
var categoryOrder = func() map[Category]int {
	m := map[Category]int{}
	for i, c := range Categories {
		m[c.Category] = i
	}
	return m
}()

// categoryDiv is what a category's accumulated numerator is divided by to
// give pence: 1 for nightly rates and one-off amounts, 7 for weekly rates
// (days × weekly pence), 365 for monthly rates (days × monthly pence × 12,
// a monthly rate spread evenly over a 365-day year).
var categoryDiv = map[Category]int64{
	CatPlacement: 7, CatStayingPut: 7, CatAccommodation: 7, CatAllowance: 7, CatSocialWork: 7,
	CatLeavingCareStaffing: 7, CatAdviser: 7, CatCouncilTax: 7, CatCareLeaverGrant: 7, CatUniversalCredit: 365,
}

func divOf(c Category) int64 {
	if d, ok := categoryDiv[c]; ok {
		return d
	}
	return 1
}

func pence(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

// roundDiv divides exactly, rounding half up: amounts are rounded once, at the end.
func roundDiv(num, div int64) int64 {
	q, r := num/div, num%div
	if 2*r >= div {
		q++
	}
	return q
}

// rateKey indexes the rates of a rateTable.
type rateKey int

const (
	rkUnder16 rateKey = iota
	rk1617
	rkHigher
	rkCareLeaver
	rkUC
	rkStayingPut
	rkAccommodation
	rkAllowance
	rkAdviser
	rkFoster
	rkResidential
	rkSupportedLodgings
	rkSemiIndependent
	rkIndependent
	rkUnder16Earlier
	rk1617Earlier
	rkCareLeaverEarlier
	rkOther
	rkSocialWork
	rkLeavingCareStaffing
	rkLeaverSemiIndependent
	rkLeaverSupportedLodgings
	rkLeaverIndependent
	rkCouncilTax
	nRateKeys
)

var rateKeyNames = [nRateKeys]string{
	"home_office.uasc_under16_night", "home_office.uasc_16_17_night", "home_office.uasc_higher_night",
	"home_office.care_leaver_week", "dwp.uc_under25_month", "local.staying_put_week", "local.accommodation_week",
	"local.leaving_care_allowance_week", "local.personal_adviser_week",
	"local.placement_week_foster", "local.placement_week_residential", "local.placement_week_supported_lodgings",
	"local.placement_week_semi_independent", "local.placement_week_independent",
	"home_office.uasc_under16_night_earlier", "home_office.uasc_16_17_night_earlier", "home_office.care_leaver_week_earlier",
	kLocalPlacementWeekOther.name, kLocalSocialWorkWeek.name, kLocalLeavingCareStaffingWeek.name,
	kLocalLeaverAccommodationSemiIndependent.name, kLocalLeaverAccommodationSupportedLodgings.name,
	kLocalLeaverAccommodationIndependent.name, kLocalCouncilTaxWeek.name,
}

// placementRate is the weekly rate of each placement (by its index in
// Placements) while looked after: a staying-put placement is a foster
// placement until 18.
var placementRate = [nPlacements]rateKey{
	plFoster: rkFoster, plResidential: rkResidential, plSupportedLodgings: rkSupportedLodgings,
	plSemiIndependent: rkSemiIndependent, plStayingPut: rkFoster, plIndependent: rkIndependent, plOther: rkOther,
}

// leaverRate is the weekly accommodation rate, by placement, of a care
// leaver with recourse to public funds (domain.md §10, S110).
var leaverRate = [nPlacements]rateKey{
	plSupportedLodgings: rkLeaverSupportedLodgings, plSemiIndependent: rkLeaverSemiIndependent, plIndependent: rkLeaverIndependent,
}

// rateTable holds, for every day of a window, each rate in force (in
// pence, × 12 for monthly rates): a young person's fixed spans take their
// rates from it. It is read-only once built.
type rateTable struct {
	start int                // day number of the window's first day
	daily [nRateKeys][]int64 // the rate in force each day
}

// newRateTable builds the table for the days [from, to).
func newRateTable(p *Policy, from, to Date) (*rateTable, error) {
	n := from.DaysUntil(to)
	if n < 0 {
		n = 0
	}
	t := &rateTable{start: from.days()}
	for k := rateKey(0); k < nRateKeys; k++ {
		vs := p.params[rateKeyNames[k]]
		daily := make([]int64, n)
		covered := 0
		for _, v := range vs {
			lo := max(v.From.days()-t.start, 0)
			hi := n
			if !v.To.IsZero() {
				hi = min(v.To.days()+1-t.start, n)
			}
			mul, _ := rateUnit(v.Unit)
			rate := pence(v.Value) * mul
			for i := lo; i < hi; i++ {
				daily[i] = rate
			}
			covered += max(hi-lo, 0)
		}
		if covered != n {
			return nil, fmt.Errorf("policy %s does not give %q for every day from %s to %s", p.Name, rateKeyNames[k], from, to)
		}
		t.daily[k] = daily
	}
	return t, nil
}

// rateUnit is the multiplier and divisor of a rate per day.
func rateUnit(u Unit) (mul, div int64) {
	switch u {
	case PoundsWeek:
		return 1, 7
	case PoundsMonth:
		return 12, 365
	}
	return 1, 1
}

// ledger gathers one path's money by financial year and category as exact
// numerators, divided and rounded once at the end. A forecast's ledger also
// keeps, across all its draws, the money by quarter, the placement and
// accommodation money and nights by placement type and age band, and the
// days of Home Office grant.
type ledger struct {
	rates     *rateTable
	firstYear int
	years     int
	// num is by cell, (year-firstYear)*len(Categories) + category; a
	// forecast's ledger (draws > 0) writes draw d of a matrix by cell and
	// draw, cell*draws + d, so that a young person's draws, one after
	// another, write next to each other.
	num      []int64
	draws, d int
	acc      []int64 // if set, also gets everything added to num: a young person's sum over draws
	// deferred: a forecast's ledger, whose sums across draws (and acc)
	// gather days by span and mode, added by flushMoney.
	deferred bool
	basis    [][]*Param // the policy values behind each cell; nil when not kept
	policy   *Policy

	// Kept across draws by a forecast's ledger; nil for a plan.
	quarters  []int64  // by ((year-firstYear)*4 + quarter)*len(Categories) + category
	qStart    [][5]int // each year's quarter starts and end, as day indexes into rates
	byPlace   []int64  // placement and accommodation numerators by (year-firstYear)*nPlacements + placement
	nights    []int64  // by ((year-firstYear)*nPlacements + placement)*nBands + age band
	grantDays []int64  // by (year-firstYear)*2: nights of the UASC grant, then days of the care-leaver grant
}

// Age bands of bed-nights: under 16, 16–17, 18–20 and 21–24, the first
// four of AgeGroups.
const nBands = 4

func newLedger(rates *rateTable, p *Policy, firstYear, years int, keepBasis bool) *ledger {
	l := &ledger{rates: rates, firstYear: firstYear, years: years, num: make([]int64, years*len(Categories)), policy: p}
	if keepBasis {
		l.basis = make([][]*Param, len(l.num))
	}
	return l
}

// keepTotals makes a forecast's ledger keep the totals across draws that a
// plan's does not.
func (l *ledger) keepTotals() {
	l.quarters = make([]int64, l.years*4*len(Categories))
	l.byPlace = make([]int64, l.years*nPlacements)
	l.nights = make([]int64, l.years*nPlacements*nBands)
	l.grantDays = make([]int64, l.years*2)
	l.qStart = make([][5]int, l.years)
	for i := range l.qStart {
		y := l.firstYear + i
		for q, d := range []Date{NewDate(y, 4, 1), NewDate(y, 7, 1), NewDate(y, 10, 1), NewDate(y+1, 1, 1), NewDate(y+1, 4, 1)} {
			l.qStart[i][q] = d.days() - l.rates.start
		}
	}
}

func (l *ledger) reset() { clear(l.num) }

// Category indexes, in the order of Categories: the ledger's cells are
// found by them, never by a category's name, on the hot path.
const (
	ciPlacement = iota
	ciStayingPut
	ciAccommodation
	ciAllowance
	ciSocialWork
	ciLeavingCareStaffing
	ciAdviser
	ciCouncilTax
	ciSettingUpHome
	ciHEBursary
	ciUASCGrant
	ciCareLeaverGrant
	ciAVRCash
	ciAVRInKind
	ciUniversalCredit
)

// add records n days from day number a, within fixed span sp, at rate k
// under category ci, and returns the numerator added.
func (l *ledger) add(ci int, k rateKey, sp *fixedSpan, a, n int) int64 {
	r := sp.rate[k]
	v := r * int64(n)
	i := sp.yi*len(Categories) + ci
	l.num[i] += v
	if l.acc != nil {
		l.acc[i] += v
	}
	if l.quarters != nil {
		l.addQuarters(sp, ci, r, a, n)
		switch ci {
		case ciUASCGrant:
			l.grantDays[sp.yi*2] += int64(n)
		case ciCareLeaverGrant:
			l.grantDays[sp.yi*2+1] += int64(n)
		}
	}
	if l.basis != nil {
		vs := l.policy.fast[rateKeyNames[k]]
		for j := range vs {
			if vs[j].from <= a+n-1 && vs[j].to >= a {
				l.note(i, &l.policy.params[rateKeyNames[k]][j])
			}
		}
	}
	return v
}

// addQuarters splits n days at daily rate r from day number a over the
// quarters of the span's financial year.
func (l *ledger) addQuarters(sp *fixedSpan, ci int, r int64, a, n int) {
	qs := &sp.qs
	cell := sp.yi*4*len(Categories) + ci
	end, q := a+n, 0
	for a >= qs[q+1] {
		q++
	}
	for ; end > qs[q+1]; q++ {
		l.quarters[cell+q*len(Categories)] += r * int64(qs[q+1]-a)
		a = qs[q+1]
	}
	l.quarters[cell+q*len(Categories)] += r * int64(end-a)
}

// place records a placement or accommodation cost as add does, and for a
// forecast its money and nights by placement type and age band.
func (l *ledger) place(ci int, k rateKey, sp *fixedSpan, a, n, pl, band int) {
	v := l.add(ci, k, sp, a, n)
	if l.byPlace == nil {
		return
	}
	l.byPlace[sp.yi*nPlacements+pl] += v
	l.nights[(sp.yi*nPlacements+pl)*nBands+band] += int64(n)
}

// once records a one-off amount in pence on date d under category ci.
func (l *ledger) once(d Date, ci int, amount int64, basis ...Param) {
	yi, q, ok := l.quarterOf(d)
	if !ok {
		return
	}
	i := l.onceAt(yi, q, ci, amount)
	if l.basis != nil {
		for j := range basis {
			l.note(i, &basis[j])
		}
	}
}

// quarterOf returns the index of the financial year holding d among the
// ledger's, and for a forecast's ledger its quarter; ok is false outside
// the ledger's years.
func (l *ledger) quarterOf(d Date) (yi, q int, ok bool) {
	if l.qStart == nil {
		yi = d.FinancialYear() - l.firstYear
		return yi, 0, yi >= 0 && yi < l.years
	}
	// A forecast's ledger finds the year among its own, by day.
	day := d.days() - l.rates.start
	if day < l.qStart[0][0] || day >= l.qStart[l.years-1][4] {
		return 0, 0, false
	}
	for day >= l.qStart[yi][4] {
		yi++
	}
	for q < 3 && day >= l.qStart[yi][q+1] {
		q++
	}
	return yi, q, true
}

// onceAt records a one-off amount in year yi and quarter q (a forecast's)
// under category ci, and returns its cell.
func (l *ledger) onceAt(yi, q, ci int, amount int64) int {
	i := yi*len(Categories) + ci
	l.num[i*max(l.draws, 1)+l.d] += amount
	if l.acc != nil {
		l.acc[i] += amount
	}
	if l.quarters != nil {
		l.quarters[(yi*4+q)*len(Categories)+ci] += amount
	}
	return i
}

// oneOffAt is a one-off payment's amount and quarter for one date, kept
// by a sampler: the setting-up-home allowance falls on one of two dates,
// whatever the draw.
type oneOffAt struct {
	n      int // the date's day number plus dateBase; 0 for none yet
	yi, q  int
	ok     bool // within the ledger's years
	amount int64
}

// onceKept records the one-off of policy key k on d under category ci as
// once does, for a sampler from what it kept of the last draw that paid it
// on the same date.
func (w *walker) onceKept(l *ledger, c *oneOffAt, d Date, ci int, k pkey) {
	if w.rng == nil {
		l.once(d, ci, w.pence(k, d), w.basis(k, d)...)
		return
	}
	if c.n != d.n {
		yi, q, ok := l.quarterOf(d)
		*c = oneOffAt{n: d.n, yi: yi, q: q, ok: ok, amount: w.pence(k, d)}
	}
	if c.ok {
		l.onceAt(c.yi, c.q, ci, c.amount)
	}
}

func (l *ledger) note(i int, v *Param) {
	for _, x := range l.basis[i] {
		if x.Key == v.Key && x.From == v.From {
			return
		}
	}
	l.basis[i] = append(l.basis[i], v)
}

// rows returns the ledger's cells as rounded funding rows.
func (l *ledger) rows() []Funding {
	var out []Funding
	for i, num := range l.num {
		c := Categories[i%len(Categories)]
		amt := roundDiv(num, divOf(c.Category))
		if amt == 0 {
			continue
		}
		f := Funding{Year: l.firstYear + i/len(Categories), Payer: c.Payer, Category: c.Category, Amount: decimal.New(amt, -2)}
		if l.basis != nil {
			for _, v := range l.basis[i] {
				f.Basis = append(f.Basis, v.Key+" from "+v.From.String())
			}
		}
		out = append(out, f)
	}
	return out
}

// Funding works out the money on every path: what the authority spends,
// what the Home Office and DWP pay, by financial year and category, from the
// as-of date to the 25th birthday or departure (product.md §3).
func (w *walker) funding(plan *Plan) {
	end := w.horizon
	rates, err := newRateTable(w.p, w.asOf, end)
	if err != nil {
		w.err = err
		return
	}
	first := w.asOf.FinancialYear()
	years := end.FinancialYear() - first + 1
	w.plannedStays()
	for i := range plan.Branches {
		b := &plan.Branches[i]
		l := newLedger(rates, w.p, first, years, true)
		w.money(b, l, end)
		b.Funding = l.rows()
		for _, cell := range l.basis {
			for _, v := range cell {
				w.used[v.Key+"@"+v.From.String()] = *v
			}
		}
		if !b.Departure.IsZero() {
			budget := w.avrBudget(b.Departure)
			b.AVR = &budget
		}
	}
	plan.Expected = Expected(plan.Branches)
}

// Expected weights each path's rows by its probability. Each expected row is
// rounded to the penny once (half to even); a total is the sum of the
// rounded rows, so tables add up exactly.
func Expected(bs []Branch) []Funding {
	type key struct {
		y int
		c int
	}
	sum := map[key]decimal.Decimal{}
	for _, b := range bs {
		for _, f := range b.Funding {
			k := key{f.Year, categoryOrder[f.Category]}
			sum[k] = sum[k].Add(f.Amount.Mul(b.Probability))
		}
	}
	var out []Funding
	for k, v := range sum {
		c := Categories[k.c]
		out = append(out, Funding{Year: k.y, Payer: c.Payer, Category: c.Category, Amount: v.RoundBank(2)})
	}
	sortFunding(out)
	return out
}

// NetCost returns, by financial year, the authority's spending minus the
// Home Office grants to it, from funding rows.
func NetCost(rows []Funding) map[int]decimal.Decimal {
	net := map[int]decimal.Decimal{}
	for _, f := range rows {
		switch {
		case f.Payer == LocalAuthority:
			net[f.Year] = net[f.Year].Add(f.Amount)
		case IsGrant(f.Category):
			net[f.Year] = net[f.Year].Sub(f.Amount)
		}
	}
	return net
}

func sortFunding(fs []Funding) {
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Year != fs[j].Year {
			return fs[i].Year < fs[j].Year
		}
		return categoryOrder[fs[i].Category] < categoryOrder[fs[j].Category]
	})
}

// moneyFacts are what a young person's money depends on besides the path,
// worked out once.
type moneyFacts struct {
	bd16, bd18, bd21 int  // birthdays as day numbers
	careEnds         int  // the day they stop being looked after
	eligibleFrom     int  // the day they become an eligible child; -1 if never
	councilTaxTo     int  // the day the council tax discount ends
	leaver           bool // an eligible, relevant or former relevant child: owed leaving-care support
	cl13             bool // looked after 13 weeks or more before 18: eligible for the care-leaver grant
	higher           bool // the authority gets the higher UASC rate
	cutsPA           bool // Schedule 3 also stops the personal adviser (s.23C)
	cutsStayingPut   bool // Schedule 3 also stops Staying Put (s.23CZA)
	continues        bool // a human rights assessment found support must continue
	heFrom, heTo     int  // a full-time higher education course, [heFrom, heTo); 0, 0 if none
	homeAfterCare    Date // the first home when it is not after Staying Put; zero until firstHome works it out
	stayingPutAt18   bool // the policy gives Staying Put on the 18th birthday (read once for sampling)
	// The Home Office rates for this child: the earlier arrivals' rates
	// for children in care before the enhanced rates began (domain.md §9).
	rkUnder16, rk1617, rkCareLeaver rateKey
	// Day numbers where a dated rule money reads may change.
	boundaries []int
	ready      bool
}

func (w *walker) moneyFacts() *moneyFacts {
	f := &w.facts
	if f.ready {
		return f
	}
	c, start := w.c, w.asOf
	dob := c.DateOfBirth
	f.bd16, f.bd18, f.bd21 = dob.Birthday(16).days(), dob.Birthday(18).days(), dob.Birthday(21).days()
	f.careEnds = w.care.careEnds.days()
	f.eligibleFrom = -1
	if !w.care.eligibleFrom.IsZero() {
		f.eligibleFrom = w.care.eligibleFrom.days()
		f.leaver = true
	}
	f.cl13 = !c.Care.LookedAfterSince.AddWeeks(w.months(kHomeOfficeCareLeaverMinWeeks, start)).After(w.care.careEnds)
	f.higher = w.higher
	f.councilTaxTo = dob.AddMonths(w.months(kLocalCouncilTaxToAgeMonths, start)).days()
	// Read without recording their use: they matter only on a path where
	// support is cut, and piece records them there.
	if v, err := w.p.Lookup(kSchedule3CutsPersonalAdviser.name, start); err == nil {
		f.cutsPA = v.Value.IsPositive()
	}
	if v, err := w.p.Lookup(kSchedule3CutsStayingPut.name, start); err == nil {
		f.cutsStayingPut = v.Value.IsPositive()
	}
	f.continues = w.supportContinues()
	f.stayingPutAt18 = w.flagQuiet(kLeavingCareStayingPut, f.bd18)
	f.rkUnder16, f.rk1617, f.rkCareLeaver = rkUnder16, rk1617, rkCareLeaver
	if w.flag(kHomeOfficeEarlierArrivalRates, MaxDate(c.Care.LookedAfterSince, CoverFrom)) {
		f.rkUnder16, f.rk1617, f.rkCareLeaver = rkUnder16Earlier, rk1617Earlier, rkCareLeaverEarlier
	}
	if he := c.LeavingCare.HigherEducationStart; !he.IsZero() {
		end := c.LeavingCare.HigherEducationEnd
		if end.IsZero() {
			end = he.AddMonths(w.months(kEducationHeCourseMonths, he))
		}
		f.heFrom, f.heTo = he.days(), end.days()
	}
	f.boundaries = f.boundaries[:0]
	for _, k := range []pkey{kLeavingCareStayingPut, kLeavingCareAdviserOnRequestTo25} {
		for _, v := range w.p.byID[k.id] {
			f.boundaries = append(f.boundaries, v.from)
		}
	}
	if f.higher {
		// The choice between the higher and the standard nightly rate can
		// change only where one of them does.
		for _, k := range []rateKey{rkHigher, f.rkUnder16, f.rk1617} {
			for _, v := range w.p.fast[rateKeyNames[k]] {
				f.boundaries = append(f.boundaries, v.from)
			}
		}
	}
	f.ready = true
	return f
}

// planHigherRate applies the higher-rate rule to a plan, whose authority's
// number of UASC looked after comes from the policy. It matters only while
// the young person is looked after.
func (w *walker) planHigherRate() {
	if !w.care.careEnds.After(w.asOf) {
		return
	}
	n := w.lookup(kLocalUascLookedAfter, w.asOf).Value.IntPart()
	w.lookup(kLocalChildPopulation, w.asOf) // record their use
	w.lookup(kHomeOfficeHigherRateShare, w.asOf)
	h, err := HigherRateOn(w.p, w.asOf, n)
	if err != nil {
		w.err = err
		return
	}
	w.higher = h.Applies
}

// firstHome is when the young person moves into a first independent home,
// when the setting-up-home allowance is paid (domain.md §9, S41, S42): the
// case's date, or the end of Staying Put at 21, or the policy's usual time
// after leaving care.
func (w *walker) firstHome() Date {
	if d := w.c.LeavingCare.FirstHome; !d.IsZero() {
		return d
	}
	f := w.moneyFacts()
	if w.stays.on(f.careEnds) == plStayingPut {
		if w.rng == nil {
			w.flagDay(kLeavingCareStayingPut, f.bd18) // records its use in the plan
		}
		if f.stayingPutAt18 {
			return fromDays(f.bd21)
		}
	}
	if f.homeAfterCare.IsZero() { // worked out once, as the forecast asks on every draw
		left := w.care.careEnds
		f.homeAfterCare = left.AddMonths(w.months(kLeavingCareFirstHomeAfterMonths, left))
	}
	return f.homeAfterCare
}

// flagDay reports whether a flag is on on day number day, recording its use
// in the tree.
func (w *walker) flagDay(k pkey, day int) bool {
	i, cs := w.p.find(k, day)
	if i < 0 {
		return false
	}
	if w.rng == nil {
		v := &w.p.params[k.name][i]
		w.used[k.name+"@"+v.From.String()] = *v
	}
	return cs[i].i > 0
}

// pathDays is a path's periods as day numbers, with each period's
// standing as its index in StatusGroups.
type pathDays struct {
	ps []dayPeriod
	// inOrder: the periods start in date order (as they almost always
	// do), so one pass in date order finds the one in force.
	inOrder bool
}

// dayPeriod is one period of a path, from day number from.
type dayPeriod struct {
	from int
	// grace is, for a period without leave, the day the care-leaver grant
	// ends: some weeks after the run of periods without leave began
	// (appeal rights exhausted, or a fresh claim rejected); -1 otherwise.
	grace int
	group int8
	cut   bool
	bits  payMode // benefits and a support cut, as the bits of a payMode
}

// Status groups of a period's standing, as indexes in StatusGroups.
const (
	sgAsylumSeeker = iota
	sgLeave
	sgNoLeave
	sgSettled
	sgDeparted
)

func groupOf(st Standing) int8 {
	switch st {
	case WithLeave:
		return sgLeave
	case WithoutLeave:
		return sgNoLeave
	case Indefinite:
		return sgSettled
	case Departed:
		return sgDeparted
	}
	return sgAsylumSeeker
}

// at returns the period in force on day d: the last, in the path's order,
// starting on or before d; nil before the first.
func (pd *pathDays) at(d int) *dayPeriod {
	var p *dayPeriod
	for i := range pd.ps {
		if pd.ps[i].from <= d {
			p = &pd.ps[i]
		}
	}
	return p
}

// modeChange is a day from which a path's money is paid in mode m, until
// the next change.
type modeChange struct {
	day int
	m   payMode
}

// modeChanges returns the days from start, up to stop, on which the mode of
// the path's money changes, the first at start: the mode can change only
// where a period or a placement begins or the care-leaver grant's grace
// ends, and often does not (a decision while looked after changes nothing
// money reads). The periods are in date order (pathDays.inOrder).
func (w *walker) modeChanges(out []modeChange, start, stop int) []modeChange {
	ps, ss := w.pathDays.ps, &w.stays
	pi, si := -1, 0
	for a := start; ; {
		for pi+1 < len(ps) && ps[pi+1].from <= a {
			pi++
		}
		for si+1 < ss.n && ss.s[si+1].from <= a {
			si++
		}
		var p *dayPeriod
		if pi >= 0 {
			p = &ps[pi]
		}
		if m := w.mode(a, p, ss.s[si].place); len(out) == 0 || m != out[len(out)-1].m {
			out = append(out, modeChange{a, m})
		}
		next := stop
		if pi+1 < len(ps) {
			next = min(next, ps[pi+1].from)
		}
		if si+1 < ss.n {
			next = min(next, ss.s[si+1].from)
		}
		if p != nil && p.grace > a {
			next = min(next, p.grace)
		}
		if next >= stop {
			return out
		}
		a = next
	}
}

// modeChangesAnyOrder is modeChanges for periods out of date order, where
// the period in force is the last, in the path's order, starting on or
// before a day (pathDays.at): it tries every day a period or placement
// begins or a grace ends, in order. days is scratch.
func (w *walker) modeChangesAnyOrder(out []modeChange, days []int, start, stop int) ([]modeChange, []int) {
	days = days[:0]
	for _, p := range w.pathDays.ps {
		for _, d := range [2]int{p.from, p.grace} {
			if d > start && d < stop {
				days = append(days, d)
			}
		}
	}
	for i := 1; i < w.stays.n; i++ {
		if d := w.stays.s[i].from; d > start && d < stop {
			days = append(days, d)
		}
	}
	sortInts(days)
	out = append(out, modeChange{start, w.mode(start, w.pathDays.at(start), w.stays.on(start))})
	for _, d := range days {
		if m := w.mode(d, w.pathDays.at(d), w.stays.on(d)); m != out[len(out)-1].m {
			out = append(out, modeChange{d, m})
		}
	}
	return out, days
}

// money adds a path's cash flows to l, from the as-of date to end (the 25th
// birthday or the end of a forecast), or to the departure. The young
// person's fixed spans (moneyPlan) are split where the path's standing or
// placement changes what is paid; nothing else is worked out per path.
func (w *walker) money(b *Branch, l *ledger, end Date) {
	mp := w.moneyPlan(l, end)
	if !b.Departure.IsZero() && b.Departure.Before(end) {
		end = b.Departure
	}
	if !w.horizon.After(end) {
		end = w.horizon
	}
	start, stop := mp.start, min(mp.stop, end.days())
	pd := &w.pathDays
	if cap(pd.ps) < len(b.Periods) {
		pd.ps = make([]dayPeriod, 0, 2*len(b.Periods))
	}
	ps := pd.ps[:len(b.Periods)]
	grace, inOrder := -1, true
	prev := dayPeriod{from: math.MinInt, group: -1}
	for i := range b.Periods {
		p := &b.Periods[i]
		d := p.From.days()
		g := groupOf(p.Standing)
		switch {
		case g != sgNoLeave:
			grace = -1
		case prev.group != sgNoLeave:
			grace = d + 7*w.months(kHomeOfficeCareLeaverAreGraceWeeks, p.From)
		}
		if d < prev.from {
			inOrder = false
		}
		bits := bit(p.SupportCut) << 1
		if g == sgLeave || g == sgSettled {
			bits |= 1 // benefits
		}
		prev = dayPeriod{from: d, grace: grace, group: g, cut: p.SupportCut, bits: bits}
		ps[i] = prev
	}
	pd.ps, pd.inOrder = ps, inOrder
	if start < stop {
		if inOrder {
			mp.changes = w.modeChanges(mp.changes[:0], start, stop)
		} else {
			mp.changes, mp.cuts = w.modeChangesAnyOrder(mp.changes[:0], mp.cuts, start, stop)
		}
		w.walkSpans(l, mp, mp.changes, stop)
	}
	w.oneOffs(b, l, end)
}

// walkSpans is money's walk over the fixed spans, stretch by stretch from
// one change of mode to the next (the first on the window's first day):
// over a stretch the standing, support, grant and placement hold, or
// change in nothing money reads. Pieces of spans at either end of a
// stretch are added at once; the whole spans between are too for a plan,
// and for a forecast's draw are noted for flushMoney in one step, whatever
// their number. A change that changes nothing a span's money reads (a
// decision while looked after) does not split it: its two pieces are one,
// and a whole span if they cover it.
func (w *walker) walkSpans(l *ledger, mp *moneyPlan, changes []modeChange, stop int) {
	spans, ends := mp.spans, mp.ends
	n := len(spans)
	if n == 0 || spans[0].from >= stop {
		return
	}
	ends = ends[:n]
	var pend pendingPiece
	pend.j = -1
	j := 0
	for ci := 0; ci < len(changes) && j < n; ci++ {
		x, m, y := changes[ci].day, changes[ci].m, stop
		if ci+1 < len(changes) {
			y = changes[ci+1].day
		}
		if spans[j].from < x { // x falls inside span j
			if ends[j] > y { // and so does y
				w.pieceOf(l, mp, &pend, j, x, y, m)
				continue
			}
			w.pieceOf(l, mp, &pend, j, x, ends[j], m)
			j++
		}
		j1 := j
		for j < n && ends[j] <= y {
			j++
		}
		switch {
		case j == j1:
		case l.deferred:
			mp.markWhole(j1, j, m, l.d)
		default:
			for k := j1; k < j; k++ {
				sp := &spans[k]
				w.piece(l, sp, sp.from, sp.end-sp.from, m&sp.mask)
			}
		}
		if j < n && spans[j].from < y { // y falls inside span j
			w.pieceOf(l, mp, &pend, j, spans[j].from, y, m)
		}
	}
	w.flushPiece(l, mp, &pend)
}

// pendingPiece is a piece of span j, days [a, b), in mode m (under the
// span's mask), held back in case the next stretch goes on in it.
type pendingPiece struct {
	j, a, b int
	m       payMode
}

// pieceOf adds days [a, b) of span j in mode m: to the piece held back if
// the span's money reads them the same, else as a piece of its own, held
// back in turn.
func (w *walker) pieceOf(l *ledger, mp *moneyPlan, pend *pendingPiece, j, a, b int, m payMode) {
	m &= mp.spans[j].mask
	if pend.j == j && pend.b == a && pend.m == m {
		pend.b = b
		return
	}
	w.flushPiece(l, mp, pend)
	*pend = pendingPiece{j: j, a: a, b: b, m: m}
}

// flushPiece adds the piece held back, if any: for a forecast's draw, as a
// whole span when it covers one.
func (w *walker) flushPiece(l *ledger, mp *moneyPlan, pend *pendingPiece) {
	if pend.j < 0 {
		return
	}
	sp := &mp.spans[pend.j]
	if l.deferred && pend.a == sp.from && pend.b == sp.end {
		mp.markWhole(pend.j, pend.j+1, pend.m, l.d)
	} else {
		w.piece(l, sp, pend.a, pend.b-pend.a, pend.m)
	}
	pend.j = -1
}

// piece adds the money for n days from day number a, within fixed span sp,
// in mode m (under the span's mask). What is paid, at which rates, is
// worked out by pieceOps; a forecast's ledger keeps it for each span and
// mode, so that a piece only multiplies rates by days.
func (w *walker) piece(l *ledger, sp *fixedSpan, a, n int, m payMode) {
	if sp.yi < 0 {
		return // outside the ledger's years
	}
	if l.deferred {
		// A forecast's draw, on every piece: the span's entry for the
		// mode, made the first time, and its rates times the days.
		i := sp.idx[uint8(m)]
		if i == 0 {
			i = w.newEntry(sp, a, m)
		}
		l.addDeferred(sp, &sp.modes[i-1], a, n)
		return
	}
	w.ops = w.pieceOps(w.ops[:0], sp, a, m)
	for _, op := range w.ops {
		if op.place >= 0 {
			l.place(int(op.ci), op.k, sp, a, n, int(op.place), int(op.band))
		} else {
			l.add(int(op.ci), op.k, sp, a, n)
		}
	}
}

// mode is what a piece's money depends on besides its span: on day a, in
// period p (nil before the first: awaiting a decision) and a placement.
func (w *walker) mode(a int, p *dayPeriod, place int) payMode {
	m := payMode(place)<<5 | w.lifeMode
	if p != nil {
		m |= p.bits // benefits, support cut
		if p.grace >= 0 && a >= p.grace && !w.facts.continues {
			m |= 4 // the care-leaver grant's grace over
		}
	}
	return m
}

// entry returns the span's entry for mode m, making it the first time.
func (w *walker) entry(sp *fixedSpan, a int, m payMode) *modeEntry {
	i := sp.idx[uint8(m)]
	if i == 0 {
		i = w.newEntry(sp, a, m)
	}
	return &sp.modes[i-1]
}

// newEntry makes the span's entry for mode m and returns 1 + its index.
func (w *walker) newEntry(sp *fixedSpan, a int, m payMode) uint8 {
	start := len(sp.ops)
	sp.ops = w.pieceOps(sp.ops, sp, a, m)
	sp.modes = append(sp.modes, modeEntry{mode: m, from: start, to: len(sp.ops)})
	sp.idx[uint8(m)] = uint8(len(sp.modes))
	return uint8(len(sp.modes))
}

// moneyOp is one thing paid over a piece: a category at a rate, and for
// placements and accommodation the placement and age band its nights count
// under (-1 otherwise).
type moneyOp struct {
	rate        int64 // per day: sp.rate[k]
	full        int64 // over the whole span
	k           rateKey
	ci          uint8
	place, band int8
}

// pieceOps appends what is paid over a piece starting on day a within span
// sp in mode m: with or without benefits, support cut or not, the
// care-leaver grant's grace over or not, in a placement, in education after
// 21 or not, asking for an adviser after 21 or not.
func (w *walker) pieceOps(ops []moneyOp, sp *fixedSpan, a int, m payMode) []moneyOp {
	benefits, cut, graceOver, place, edu21, onRequestAsked := m.split()
	f := &w.facts
	days := int64(sp.end - sp.from)
	add := func(ci int, k rateKey) {
		ops = append(ops, moneyOp{ci: uint8(ci), k: k, rate: sp.rate[k], full: sp.rate[k] * days, place: -1})
	}
	placed := func(ci int, k rateKey, pl int) {
		ops = append(ops, moneyOp{ci: uint8(ci), k: k, rate: sp.rate[k], full: sp.rate[k] * days, place: int8(pl), band: int8(sp.band)})
	}
	if sp.lookedAfter {
		// Looked after: the placement, a social worker, and the Home
		// Office's nightly rate (domain.md §4), the higher rate where the
		// authority qualifies. Schedule 3 never applies under 18 (Sch 3
		// para 2). An eligible child has a personal adviser from 16 (Sch 2
		// para 19C).
		placed(ciPlacement, placementRate[place], place)
		add(ciSocialWork, rkSocialWork)
		add(ciUASCGrant, sp.uascRate)
		if sp.adviserInLA {
			add(ciAdviser, rkAdviser)
		}
		return ops
	}
	if !f.leaver {
		// A qualifying young person: advice and assistance (s.24), at no
		// cost the plan counts; no leaving-care grant.
		if benefits && !sp.under18 && !sp.inHE {
			add(ciUniversalCredit, rkUC)
		}
		return ops
	}
	if sp.under18 {
		// A relevant child, out of care at 16 or 17: the authority gives
		// accommodation and maintenance (s.23B), a personal adviser and
		// the leaving-care service's support.
		add(ciAdviser, rkAdviser)
		add(ciLeavingCareStaffing, rkLeavingCareStaffing)
		placed(ciAccommodation, rkAccommodation, leaverPlace(place))
		add(ciAllowance, rkAllowance)
		return ops
	}
	// 18 and over: a former relevant child to 21, or to 25 in education or
	// training (s.23C, s.23CA; domain.md §3, S37); a personal adviser also
	// on request to 25 (s.23CZB, from April 2018, S38); Staying Put to 21
	// (s.23CZA, from May 2014, S44).
	under21 := sp.under21
	supported := under21 || edu21
	adviser := supported
	onRequest := !supported && onRequestAsked && sp.onRequestOK
	stayingPut := place == plStayingPut && under21 && sp.stayingPutOK
	if w.rng == nil {
		// The tree records the switches a path reads.
		if !supported && onRequestAsked {
			w.flagDay(kLeavingCareAdviserOnRequestTo25, a)
		}
		if place == plStayingPut && under21 {
			w.flagDay(kLeavingCareStayingPut, a)
		}
	}
	if cut {
		// Schedule 3 para 1 bars ss.23C, 23CA, 24A and 24B; it does not
		// list s.23CZA or s.23CZB (domain.md §9): policy switches say
		// whether the adviser and Staying Put stop too.
		supported = false
		if w.rng == nil {
			w.lookup(kSchedule3CutsPersonalAdviser, w.asOf) // record its use
			if stayingPut {
				w.lookup(kSchedule3CutsStayingPut, w.asOf)
			}
		}
		adviser = adviser && !f.cutsPA
		stayingPut = stayingPut && !f.cutsStayingPut
	}
	if adviser || onRequest {
		add(ciAdviser, rkAdviser)
	}
	if supported {
		add(ciLeavingCareStaffing, rkLeavingCareStaffing)
	}
	switch {
	case stayingPut:
		placed(ciStayingPut, rkStayingPut, plStayingPut)
	case supported && !benefits:
		// No recourse to public funds: the authority meets accommodation
		// and living costs (domain.md §5), at the cost of a placement for
		// a young person awaiting a decision (domain.md §10, S110).
		placed(ciAccommodation, rkAccommodation, leaverPlace(place))
		add(ciAllowance, rkAllowance)
	case supported:
		// With leave, housing costs are met in part by benefits; the
		// authority pays what is left of the placement's cost (S110).
		pl := leaverPlace(place)
		placed(ciAccommodation, leaverRate[pl], pl)
	}
	if benefits && !stayingPut && leaverPlace(place) == plIndependent && sp.councilTax {
		// A care leaver in their own tenancy: the council tax discount the
		// authority gives under s.13A (domain.md §3, S45, S46).
		add(ciCouncilTax, rkCouncilTax)
	}
	if supported && f.cl13 && !graceOver {
		// The care-leaver grant: former UASC aged 18+, looked after 13 weeks
		// or more, after 21 only in education (S47); it ends a while after
		// appeal rights are exhausted (the period is unconfirmed), unless a
		// human rights assessment finds support must continue (S104, S105).
		add(ciCareLeaverGrant, f.rkCareLeaver)
	}
	if benefits && !sp.inHE {
		// Universal Credit, single under 25, with recourse to public funds
		// (S61, S66–S69); full-time students in higher education are
		// excluded (UC Regulations 2013 regs 12–14; domain.md §9).
		add(ciUniversalCredit, rkUC)
	}
	return ops
}

// leaverPlace is the kind of accommodation a care leaver's placement is
// costed as: Staying Put that has ended or stopped, and any placement that
// is not an adult one, as supported accommodation.
func leaverPlace(pl int) int {
	switch pl {
	case plSupportedLodgings, plIndependent:
		return pl
	}
	return plSemiIndependent
}

// oneOffs adds the setting-up-home allowance on the move to a first home,
// the HE bursary at the course start and the voluntary-return money at
// departure.
func (w *walker) oneOffs(b *Branch, l *ledger, end Date) {
	c := &w.c
	inPlan := func(d Date) bool {
		p := w.pathDays.at(d.days()) // the periods money has just read
		return !d.Before(w.asOf) && d.Before(end) && (p == nil || !p.cut)
	}
	f := w.moneyFacts()
	if d := w.firstHome(); f.leaver && inPlan(d) {
		w.onceKept(l, &w.kept[0], d, ciSettingUpHome, kLocalSettingUpHome)
	}
	if d := c.LeavingCare.HigherEducationStart; f.leaver && !d.IsZero() && inPlan(d) {
		w.onceKept(l, &w.kept[1], d, ciHEBursary, kLocalHeBursary)
	}
	if d := b.Departure; !d.IsZero() && !d.Before(w.asOf) {
		cash, inKind := w.avrSplit(d)
		l.once(d, ciAVRCash, cash, w.basis(kAvrCashOnDeparture, d)...)
		l.once(d, ciAVRInKind, inKind, w.basis(kAvrCap, d)...)
	}
}

// pence returns an amount from the policy in pence.
func (w *walker) pence(key pkey, on Date) int64 {
	i, cs := w.p.find(key, on.days())
	if i < 0 {
		w.lookup(key, on) // records the error
		return 0
	}
	if w.rng == nil {
		w.lookup(key, on) // records the use
	}
	return cs[i].pence
}

// basis returns the policy value behind a one-off, when the plan keeps it.
func (w *walker) basis(key pkey, on Date) []Param {
	if w.rng != nil {
		return nil
	}
	return []Param{w.lookup(key, on)}
}

// avrSplit returns the cash and in-kind parts, in pence, of the reintegration budget
// for a departure on d: the case's own budget if it lays one out, else the
// full cap with the standard cash on departure.
func (w *walker) avrSplit(d Date) (cash, inKind int64) {
	if r := w.c.Return; r != nil && len(r.Budget) > 0 && r.Departure == d {
		for cat, v := range r.Budget {
			if cat == "cash" {
				cash += pence(v)
			} else {
				inKind += pence(v)
			}
		}
		return cash, inKind
	}
	cash = w.pence(kAvrCashOnDeparture, d)
	return cash, w.pence(kAvrCap, d) - cash
}

// avrBudget returns the reintegration budget in force on the departure date
// (guidance para 62 for the 2014 AVRFC scheme; domain.md §6 after 2016).
func (w *walker) avrBudget(d Date) AVRBudget {
	capP, cashP := w.lookup(kAvrCap, d), w.lookup(kAvrCashOnDeparture, d)
	contact, spend := w.lookup(kAvrContactMonths, d), w.lookup(kAvrSpendMonths, d)
	return AVRBudget{
		Cap: capP.Value, CashOnDeparture: cashP.Value,
		ContactBy: d.AddMonths(contact.Int()), SpendBy: d.AddMonths(spend.Int()),
		Scheme: capP.Note,
		Basis:  []string{capP.Key + " from " + capP.From.String(), cashP.Key + " from " + cashP.From.String(), contact.Key + " from " + contact.From.String(), spend.Key + " from " + spend.From.String()},
	}
}

// ReturnProblem is something in a planned return that the reintegration
// scheme in force does not allow.
type ReturnProblem struct {
	Field   string // "budget" (the total), a budget category, or "reintegration_contact"
	Value   string
	Allowed string
}

// CheckReturn checks a planned return against the scheme in force on its
// departure date: the budget within the cap, the cash within the cash paid on
// departure, and a planned contact within the contact window (guidance para
// 62; domain.md §6).
func CheckReturn(r Return, p *Policy) []ReturnProblem {
	if r.Departure.IsZero() {
		return nil
	}
	var out []ReturnProblem
	capP, err1 := p.Lookup("avr.cap", r.Departure)
	cashP, err2 := p.Lookup("avr.cash_on_departure", r.Departure)
	contactP, err3 := p.Lookup("avr.contact_months", r.Departure)
	if err1 != nil || err2 != nil || err3 != nil {
		return []ReturnProblem{{Field: "departure", Value: r.Departure.String(), Allowed: "a date the policy has reintegration rules for"}}
	}
	total := decimal.Zero
	for _, cat := range BudgetCategories {
		total = total.Add(r.Budget[cat])
	}
	if total.GreaterThan(capP.Value) {
		out = append(out, ReturnProblem{Field: "budget", Value: total.StringFixed(2),
			Allowed: fmt.Sprintf("a total of at most £%s, the cap per person for a departure on %s (%s)", capP.Value.StringFixed(2), r.Departure, capP.Source)})
	}
	if cash, ok := r.Budget["cash"]; ok && cash.GreaterThan(cashP.Value) {
		out = append(out, ReturnProblem{Field: "cash", Value: cash.StringFixed(2),
			Allowed: fmt.Sprintf("at most £%s in cash on departure; the rest is given in kind (%s)", cashP.Value.StringFixed(2), cashP.Source)})
	}
	if d := r.ReintegrationContact; !d.IsZero() {
		last := r.Departure.AddMonths(contactP.Int())
		if d.Before(r.Departure) || d.After(last) {
			out = append(out, ReturnProblem{Field: "reintegration_contact", Value: d.String(),
				Allowed: fmt.Sprintf("a date from the departure, %s, to %s: contact must be made within %d month(s) of return (%s)", r.Departure, last, contactP.Int(), contactP.Source)})
		}
	}
	return out
}
