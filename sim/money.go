package sim

import (
	"fmt"
	"sort"
	"time"

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
	CatPlacement       Category = "placement"
	CatStayingPut      Category = "staying_put"
	CatAccommodation   Category = "accommodation"
	CatAllowance       Category = "leaving_care_allowance"
	CatAdviser         Category = "personal_adviser"
	CatSettingUpHome   Category = "setting_up_home"
	CatHEBursary       Category = "he_bursary"
	CatUASCGrant       Category = "uasc_grant"
	CatCareLeaverGrant Category = "care_leaver_grant"
	CatAVRCash         Category = "avr_cash"
	CatAVRInKind       Category = "avr_in_kind"
	CatUniversalCredit Category = "universal_credit"
	CatTotal           Category = "total"    // a payer's total, in summaries
	CatNetCost         Category = "net_cost" // the authority's spending minus Home Office grants
)

// Categories lists every category with its payer, in report order.
var Categories = []struct {
	Payer    Payer
	Category Category
}{
	{LocalAuthority, CatPlacement}, {LocalAuthority, CatStayingPut}, {LocalAuthority, CatAccommodation},
	{LocalAuthority, CatAllowance}, {LocalAuthority, CatAdviser}, {LocalAuthority, CatSettingUpHome},
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

// rateUnit is the per-day divisor of a rate: an amount for n days at rate r
// is n × r × mul / div.
func rateUnit(u Unit) (mul, div int64) {
	switch u {
	case PoundsWeek:
		return 1, 7
	case PoundsMonth:
		return 12, 365 // a monthly rate spread evenly over a 365-day year
	}
	return 1, 1 // nightly
}

// acc accumulates one row exactly: pence × days × mul, divided once by div
// at the end.
type acc struct {
	num   int64
	div   int64
	basis []string
}

func (a *acc) add(days int, p Param) {
	mul, div := rateUnit(p.Unit)
	a.div = div
	a.num += int64(days) * pence(p.Value) * mul
	a.addBasis(p)
}

func (a *acc) addBasis(p Param) {
	b := p.Key + " from " + p.From.String()
	for _, x := range a.basis {
		if x == b {
			return
		}
	}
	a.basis = append(a.basis, b)
}

// amount rounds the row to the penny, half up.
func (a *acc) amount() decimal.Decimal {
	div := a.div
	if div == 0 {
		div = 1
	}
	q, r := a.num/div, a.num%div
	if 2*r >= div {
		q++
	}
	return decimal.New(q, -2)
}

func pence(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

// money works out one path's cash flows.
type money struct {
	w      *walker
	b      *Branch
	end    Date            // exclusive: the 25th birthday or the departure
	rows   map[[2]int]*acc // (year, category index)
	are    Date            // start of the first period without leave; zero if none
	cl13   bool            // looked after 13 weeks or more before 18: eligible for the care-leaver grant
	higher bool            // the authority gets the higher UASC rate
}

// Funding works out the money on every path: what the authority spends,
// what the Home Office and DWP pay, by financial year and category, from the
// as-of date to the 25th birthday or departure (product.md §3).
func (w *walker) funding(plan *Plan) {
	for i := range plan.Branches {
		b := &plan.Branches[i]
		m := &money{w: w, b: b, rows: map[[2]int]*acc{}}
		m.run()
		b.Funding = m.result()
		if !b.Departure.IsZero() {
			budget := w.avrBudget(b.Departure)
			b.AVR = &budget
		}
	}
	plan.Expected = Expected(plan.Branches)
}

// Expected weights each path's rows by its probability. Each expected row is
// rounded to the penny once; totals are sums of the rounded rows, so they
// add up exactly.
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

func (m *money) result() []Funding {
	var out []Funding
	for k, a := range m.rows {
		amt := a.amount()
		if amt.IsZero() {
			continue
		}
		c := Categories[k[1]]
		out = append(out, Funding{Year: k[0], Payer: c.Payer, Category: c.Category, Amount: amt, Basis: a.basis})
	}
	sortFunding(out)
	return out
}

func (m *money) row(y int, c Category) *acc {
	k := [2]int{y, categoryOrder[c]}
	a := m.rows[k]
	if a == nil {
		a = &acc{}
		m.rows[k] = a
	}
	return a
}

func (m *money) run() {
	w, b, c := m.w, m.b, m.w.c
	start := w.asOf
	m.end = w.horizon
	if !b.Departure.IsZero() && b.Departure.Before(m.end) {
		m.end = b.Departure
	}
	for _, pd := range b.Periods {
		if pd.Standing == WithoutLeave && m.are.IsZero() {
			m.are = pd.From
		}
	}
	m.cl13 = !c.Care.LookedAfterSince.AddWeeks(w.months("home_office.care_leaver_min_weeks", start)).After(c.DateOfBirth.Birthday(18))
	m.higher = w.lookup("local.uasc_higher_rate", start).Value.IsPositive()

	// Break the time into pieces within which nothing changes: birthdays,
	// changes of standing, financial years and every policy value's dates.
	cuts := []Date{start, m.end, c.DateOfBirth.Birthday(16), c.DateOfBirth.Birthday(18), c.DateOfBirth.Birthday(21)}
	for _, pd := range b.Periods {
		cuts = append(cuts, pd.From)
	}
	if !m.are.IsZero() {
		cuts = append(cuts, m.are.AddWeeks(w.months("home_office.care_leaver_are_grace_weeks", m.are)))
	}
	for y := start.Year(); y <= m.end.Year(); y++ {
		cuts = append(cuts, NewDate(y, time.April, 1))
	}
	for _, key := range moneyRateKeys {
		for _, v := range w.p.params[key] {
			cuts = append(cuts, v.From)
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	for i := 0; i+1 < len(cuts); i++ {
		a, z := cuts[i], cuts[i+1]
		if a == z || a.Before(start) || !z.After(a) || z.After(m.end) {
			continue
		}
		m.piece(a, a.DaysUntil(z))
	}
	m.oneOffs()
}

// moneyRateKeys are the rates whose changes split time into pieces.
var moneyRateKeys = []string{
	"home_office.uasc_under16_night", "home_office.uasc_16_17_night", "home_office.uasc_higher_night",
	"home_office.care_leaver_week", "dwp.uc_under25_month", "local.staying_put_week", "local.accommodation_week",
	"local.leaving_care_allowance_week", "local.personal_adviser_week",
	"local.placement_week_foster", "local.placement_week_residential", "local.placement_week_supported_lodgings",
	"local.placement_week_semi_independent", "local.placement_week_independent",
}

// standingOn returns the period in force on d.
func (m *money) standingOn(d Date) Period {
	cur := Period{Standing: AsylumSeeker}
	for _, pd := range m.b.Periods {
		if !pd.From.After(d) {
			cur = pd
		}
	}
	return cur
}

// piece adds the money for n days from a, over which nothing changes.
func (m *money) piece(a Date, n int) {
	w, c := m.w, m.w.c
	y := a.FinancialYear()
	age := c.DateOfBirth.AgeOn(a)
	pd := m.standingOn(a)
	lc := c.LeavingCare
	if age < 18 {
		// Looked after: the placement, and the Home Office's nightly rate
		// (domain.md §4). Schedule 3 never applies under 18 (Sch 3 para 2).
		placement := c.Care.Placement
		if placement == StayingPut {
			placement = Foster // staying put begins at 18; until then it is a foster placement
		}
		m.row(y, CatPlacement).add(n, w.lookup("local.placement_week_"+string(placement), a))
		key := "home_office.uasc_16_17_night"
		if age < 16 {
			key = "home_office.uasc_under16_night"
		}
		rate := w.lookup(key, a)
		if m.higher {
			if hi := w.lookup("home_office.uasc_higher_night", a); hi.Value.GreaterThan(rate.Value) {
				rate = hi
			}
		}
		m.row(y, CatUASCGrant).add(n, rate)
		return
	}
	// 18 and over: a former relevant child to 21, or to 25 in education or
	// training (domain.md §3, S37); a personal adviser also on request to 25
	// (s.23CZB, S38).
	supported := age < 21 || lc.EducationAfter21
	adviser := supported || lc.AdviserOnRequest
	if pd.SupportCut {
		supported = false
		adviser = adviser && !w.lookup("schedule3.cuts_personal_adviser", a).Value.IsPositive()
	}
	benefits := pd.Standing == WithLeave || pd.Standing == Indefinite
	if adviser {
		m.row(y, CatAdviser).add(n, w.lookup("local.personal_adviser_week", a))
	}
	if supported {
		switch {
		case c.Care.Placement == StayingPut && age < 21:
			// Staying Put to 21 (s.23CZA, S44).
			m.row(y, CatStayingPut).add(n, w.lookup("local.staying_put_week", a))
		case !benefits:
			// No recourse to public funds: the authority meets accommodation
			// and living costs (domain.md §5).
			m.row(y, CatAccommodation).add(n, w.lookup("local.accommodation_week", a))
			m.row(y, CatAllowance).add(n, w.lookup("local.leaving_care_allowance_week", a))
		}
		// The care-leaver grant: former UASC aged 18+, looked after 13 weeks
		// or more, after 21 only in education (S47); it ends a while after
		// appeal rights are exhausted (the period is unconfirmed).
		graceOver := !m.are.IsZero() && pd.Standing == WithoutLeave &&
			!a.Before(m.are.AddWeeks(w.months("home_office.care_leaver_are_grace_weeks", m.are)))
		if m.cl13 && !graceOver {
			m.row(y, CatCareLeaverGrant).add(n, w.lookup("home_office.care_leaver_week", a))
		}
	}
	if benefits {
		// Universal Credit, single under 25, with recourse to public funds (S61, S66–S69).
		m.row(y, CatUniversalCredit).add(n, w.lookup("dwp.uc_under25_month", a))
	}
}

// oneOffs adds the setting-up-home allowance at 18, the HE bursary at the
// course start and the voluntary-return money at departure.
func (m *money) oneOffs() {
	w, c, b := m.w, m.w.c, m.b
	once := func(d Date, cat Category, p Param, amount decimal.Decimal) {
		a := m.row(d.FinancialYear(), cat)
		a.div = 1
		a.num += pence(amount)
		a.addBasis(p)
	}
	inPlan := func(d Date) bool { return !d.Before(w.asOf) && d.Before(m.end) && !m.standingOn(d).SupportCut }
	if d := c.DateOfBirth.Birthday(18); inPlan(d) {
		p := w.lookup("local.setting_up_home", d)
		once(d, CatSettingUpHome, p, p.Value)
	}
	if d := c.LeavingCare.HigherEducationStart; !d.IsZero() && inPlan(d) {
		if p := w.lookup("local.he_bursary", d); p.Value.IsPositive() {
			once(d, CatHEBursary, p, p.Value)
		}
	}
	if d := b.Departure; !d.IsZero() && !d.Before(w.asOf) {
		cash, inKind := w.avrSplit(d)
		capP := w.lookup("avr.cap", d)
		cashP := w.lookup("avr.cash_on_departure", d)
		once(d, CatAVRCash, cashP, cash)
		once(d, CatAVRInKind, capP, inKind)
	}
}

// avrSplit returns the cash and in-kind parts of the reintegration budget
// for a departure on d: the case's own budget if it lays one out, else the
// full cap with the standard cash on departure.
func (w *walker) avrSplit(d Date) (cash, inKind decimal.Decimal) {
	if r := w.c.Return; r != nil && len(r.Budget) > 0 && r.Departure == d {
		for cat, v := range r.Budget {
			if cat == "cash" {
				cash = cash.Add(v)
			} else {
				inKind = inKind.Add(v)
			}
		}
		return cash, inKind
	}
	capV := w.lookup("avr.cap", d).Value
	cash = w.lookup("avr.cash_on_departure", d).Value
	return cash, capV.Sub(cash)
}

// avrBudget returns the reintegration budget in force on the departure date
// (guidance para 62 for the 2014 AVRFC scheme; domain.md §6 after 2016).
func (w *walker) avrBudget(d Date) AVRBudget {
	capP, cashP := w.lookup("avr.cap", d), w.lookup("avr.cash_on_departure", d)
	contact, spend := w.lookup("avr.contact_months", d), w.lookup("avr.spend_months", d)
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
