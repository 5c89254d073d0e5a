package sim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

// amount returns a path's funding for one financial year and category.
func amount(b Branch, year int, c Category) string {
	for _, f := range b.Funding {
		if f.Year == year && f.Category == c {
			return f.Amount.StringFixed(2)
		}
	}
	return "0.00"
}

func TestNightlyRateAcrossRateChangeAndYearEnd(t *testing.T) {
	// Born 10 Jan 1999: 17 in 2016, 18 on 10 Jan 2017. Refugee status, one
	// path. From 1 Mar 2016 the Home Office pays the 16–17 nightly rate: £71
	// to 30 Jun 2016; from 1 Jul 2016 £91 for children who came into care
	// from then, while children already in care stayed on £71 (domain.md §4
	// and §9, S108). The care-leaver rate before June 2020 was £200 for the
	// later arrivals and £150 for the earlier (S109).
	for _, tc := range []struct {
		name, inCare string
		year         int
		cat          Category
		want         string
	}{
		// FY2015-16: 1–31 Mar 2016, 31 nights × £71.
		{"in care since 2014", "2014-01-10", 2015, CatUASCGrant, "2201.00"},
		// FY2016-17: 1 Apr 2016–9 Jan 2017, 284 nights, all at £71 = £20,164.
		{"in care since 2014", "2014-01-10", 2016, CatUASCGrant, "20164.00"},
		// From the 18th birthday, £150 a week: 10 Jan–31 Mar 2017 is 81
		// days, 81 × 150 / 7 = £1,735.71.
		{"in care since 2014", "2014-01-10", 2016, CatCareLeaverGrant, "1735.71"},
		// The foster placement, £700 a week: 31 days in March 2016 = £3,100.
		{"in care since 2014", "2014-01-10", 2015, CatPlacement, "3100.00"},
		{"in care since 2014", "2014-01-10", 2015, CatCareLeaverGrant, "0.00"},
		// In care from 1 Aug 2016 (review 1 Sep 2016): 1 Sep 2016–9 Jan
		// 2017 is 131 nights × £91 = £11,921; then 81 days × £200 / 7 =
		// £2,314.29.
		{"in care from Aug 2016", "2016-08-01", 2016, CatUASCGrant, "11921.00"},
		{"in care from Aug 2016", "2016-08-01", 2016, CatCareLeaverGrant, "2314.29"},
	} {
		c := newCase(t, "1999-01-10", "XXX", StatusRefugee, "2016-02-01")
		c.Care.LookedAfterSince = mustDate(t, tc.inCare)
		c.Asylum.ClaimDate = mustDate(t, tc.inCare)
		asOf := "2016-03-01"
		if tc.inCare > asOf {
			c.Asylum.DecisionDate = mustDate(t, "2016-08-20")
			asOf = "2016-09-01"
		}
		b := plan(t, c, asOf).Branches[0]
		if got := amount(b, tc.year, tc.cat); got != tc.want {
			t.Errorf("%s: %s %s = %s, want %s", tc.name, FinancialYearLabel(tc.year), tc.cat, got, tc.want)
		}
	}
}

func TestUniversalCreditFromGrantAt18(t *testing.T) {
	// Born 15 Jan 2007, refugee status granted on 1 Jun 2025 at 18: Universal
	// Credit (single, under 25) from the grant. FY2025-26: 304 days at
	// £316.98 a month spread over the year: 304 × 316.98 × 12 / 365 =
	// £3,168.06. FY2026-27: a whole year at £338.58 a month = £4,062.96.
	c := newCase(t, "2007-01-15", "XXX", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-06-01")
	p := plan(t, c, "2025-06-01")
	b := branch(t, p, RefugeeStatus, Settled)
	if got := amount(b, 2025, CatUniversalCredit); got != "3168.06" {
		t.Errorf("UC 2025-26 = %s, want 3168.06", got)
	}
	if got := amount(b, 2026, CatUniversalCredit); got != "4062.96" {
		t.Errorf("UC 2026-27 = %s, want 4062.96", got)
	}
	// With benefits, the authority pays what is left of the accommodation's
	// cost at the rate for care leavers with leave (a foster placement
	// ends at 18 in supported accommodation: £175 a week, £25 a day, in the
	// test policy): 304 × £25 = £7,600; no living allowance.
	if got := amount(b, 2025, CatAccommodation); got != "7600.00" {
		t.Errorf("accommodation with benefits = %s, want 7600.00", got)
	}
	if got := amount(b, 2025, CatAllowance); got != "0.00" {
		t.Errorf("allowance with benefits = %s, want 0", got)
	}
	// A refused young person has no benefits: no UC while the appeal runs,
	// and the authority meets accommodation (£210 a week, £30 a day) and
	// living costs (£70, £10 a day) in full: 304 × £30 = £9,120 and
	// 304 × £10 = £3,040.
	r := branch(t, p, Refused, AppealDismissed, NoLeave)
	if got := amount(r, 2025, CatUniversalCredit); got != "0.00" {
		t.Errorf("UC without leave = %s, want 0", got)
	}
	if got, got2 := amount(r, 2025, CatAccommodation), amount(r, 2025, CatAllowance); got != "9120.00" || got2 != "3040.00" {
		t.Errorf("without leave: accommodation %s, allowance %s; want 9120.00, 3040.00", got, got2)
	}
}

func TestScheduleThreeStopsSpending(t *testing.T) {
	// Adult, appeal rights exhausted on 10 Feb 2025; review 1 Jun 2025. The
	// care-leaver grant ended 13 weeks after ARE (12 May 2025), before the
	// review. On the path where they stay without leave, support ends 12
	// weeks after the assessment: 24 Aug 2025. 1 Jun–23 Aug is 84 days.
	c := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
	stay := branch(t, plan(t, c, "2025-06-01"), AppealRightsExhausted, NoLeave)
	for cat, want := range map[Category]string{
		CatAccommodation:   "2520.00", // 84 × £210 / 7
		CatAllowance:       "840.00",  // 84 × £70 / 7
		CatAdviser:         "420.00",  // 84 × £35 / 7
		CatCareLeaverGrant: "0.00",
	} {
		if got := amount(stay, 2025, cat); got != want {
			t.Errorf("cut: 2025-26 %s = %s, want %s", cat, got, want)
		}
	}
	if got := amount(stay, 2026, CatAccommodation); got != "0.00" {
		t.Errorf("cut: 2026-27 accommodation = %s, want 0", got)
	}

	// Support must continue: accommodation to the 21st birthday (22 Apr
	// 2026). 1 Jun 2025–31 Mar 2026 is 304 days × £30 = £9,120; 1–21 Apr
	// 2026 is 21 days × £30 = £630.
	c.Schedule3 = &Schedule3{SupportContinues: true, Reason: "no safe route home"}
	kept := branch(t, plan(t, c, "2025-06-01"), AppealRightsExhausted, NoLeave)
	if got := amount(kept, 2025, CatAccommodation); got != "9120.00" {
		t.Errorf("continues: 2025-26 accommodation = %s, want 9120.00", got)
	}
	if got := amount(kept, 2026, CatAccommodation); got != "630.00" {
		t.Errorf("continues: 2026-27 accommodation = %s, want 630.00", got)
	}
}

func TestReturnBudget2014(t *testing.T) {
	// 2014: AVRFC, up to £2,000 of which £500 cash on departure; contact
	// within one month, all help within a year (guidance para 62).
	c := newCase(t, "1996-05-01", "XXX", StatusARE, "2014-08-01")
	c.Return = &Return{Departure: mustDate(t, "2014-11-01")}
	p := plan(t, c, "2014-09-01")
	ret := branch(t, p, AppealRightsExhausted, VoluntaryReturn)
	if ret.AVR == nil {
		t.Fatal("no reintegration budget on the return path")
	}
	a := ret.AVR
	if a.Cap.StringFixed(2) != "2000.00" || a.CashOnDeparture.StringFixed(2) != "500.00" ||
		a.ContactBy.String() != "2014-12-01" || a.SpendBy.String() != "2015-11-01" {
		t.Errorf("budget %s / %s, contact by %s, spend by %s; want 2000.00 / 500.00, 2014-12-01, 2015-11-01",
			a.Cap.StringFixed(2), a.CashOnDeparture.StringFixed(2), a.ContactBy, a.SpendBy)
	}
	if got := event(t, ret, EventReintegrationContact).String(); got != "2014-12-01" {
		t.Errorf("reintegration_contact_by %s, want 2014-12-01", got)
	}
	if amount(ret, 2014, CatAVRCash) != "500.00" || amount(ret, 2014, CatAVRInKind) != "1500.00" {
		t.Errorf("AVR money %s cash, %s in kind; want 500.00, 1500.00", amount(ret, 2014, CatAVRCash), amount(ret, 2014, CatAVRInKind))
	}
	// After 2016, the Voluntary Returns Service: up to £3,000.
	c2 := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
	c2.Return = &Return{Departure: mustDate(t, "2025-09-01"), Budget: map[string]decimal.Decimal{"cash": dec("400"), "education": dec("1000.50")}}
	ret2 := branch(t, plan(t, c2, "2025-06-01"), AppealRightsExhausted, VoluntaryReturn)
	if ret2.AVR.Cap.StringFixed(2) != "3000.00" {
		t.Errorf("2025 cap %s, want 3000.00", ret2.AVR.Cap.StringFixed(2))
	}
	// The case's own budget replaces the standard split.
	if amount(ret2, 2025, CatAVRCash) != "400.00" || amount(ret2, 2025, CatAVRInKind) != "1000.50" {
		t.Errorf("laid-out budget: %s cash, %s in kind", amount(ret2, 2025, CatAVRCash), amount(ret2, 2025, CatAVRInKind))
	}
}

func TestExpectedAddsUp(t *testing.T) {
	c := newCase(t, "2008-03-10", "XXX", Pending, "")
	p := plan(t, c, "2025-06-01")
	if len(p.Expected) == 0 {
		t.Fatal("no expected money")
	}
	// Each expected row is the chance-weighted sum of the paths' rows,
	// rounded to the penny once.
	for _, e := range p.Expected {
		sum := decimal.Zero
		for _, b := range p.Branches {
			for _, f := range b.Funding {
				if f.Year == e.Year && f.Category == e.Category {
					sum = sum.Add(f.Amount.Mul(b.Probability))
				}
			}
		}
		if !sum.RoundBank(2).Equal(e.Amount) {
			t.Errorf("%s %s: expected %s, paths give %s", FinancialYearLabel(e.Year), e.Category, e.Amount, sum)
		}
		if e.Amount.Exponent() < -2 {
			t.Errorf("%s %s: %s is not whole pence", FinancialYearLabel(e.Year), e.Category, e.Amount)
		}
	}
	// Net cost is spending minus grants, year by year.
	for y, net := range NetCost(p.Expected) {
		want := decimal.Zero
		for _, e := range p.Expected {
			if e.Year != y {
				continue
			}
			if e.Payer == LocalAuthority {
				want = want.Add(e.Amount)
			} else if IsGrant(e.Category) {
				want = want.Sub(e.Amount)
			}
		}
		if !net.Equal(want) {
			t.Errorf("net cost %d = %s, want %s", y, net, want)
		}
	}
}

func TestCategoryIndexesMatchOrder(t *testing.T) {
	for i, c := range []Category{CatPlacement, CatStayingPut, CatAccommodation, CatAllowance, CatSocialWork, CatLeavingCareStaffing,
		CatAdviser, CatCouncilTax, CatSettingUpHome, CatHEBursary, CatUASCGrant, CatCareLeaverGrant, CatAVRCash, CatAVRInKind, CatUniversalCredit} {
		ci := []int{ciPlacement, ciStayingPut, ciAccommodation, ciAllowance, ciSocialWork, ciLeavingCareStaffing,
			ciAdviser, ciCouncilTax, ciSettingUpHome, ciHEBursary, ciUASCGrant, ciCareLeaverGrant, ciAVRCash, ciAVRInKind, ciUniversalCredit}[i]
		if Categories[ci].Category != c || categoryOrder[c] != ci {
			t.Errorf("%s: index %d holds %s", c, ci, Categories[ci].Category)
		}
	}
}

// TestSpanMaskKeepsWhatIsPaid: money's walk treats two modes that are equal
// under a span's mask as one (a decision while looked after does not split
// the span), so every mode must pay in a span exactly what the mode under
// the mask pays: the same categories, at the same rates, for the same
// placement and age band.
func TestSpanMaskKeepsWhatIsPaid(t *testing.T) {
	for _, tc := range []struct {
		name, dob, asOf string
		inCare          string    // looked after since; a late arrival is a qualifying young person
		masks           []payMode // the masks its spans should have
	}{
		// Looked after to 18: the placement only; then everything.
		{"in care at 15, seen at 16", "2009-05-20", "2025-06-01", "2024-05-27", []payMode{^payMode(31), ^payMode(0)}},
		{"a care leaver at 19", "2006-02-10", "2025-06-01", "2021-02-17", []payMode{^payMode(0)}},
		// Out of care at 18 after 13 weeks or less: benefits only.
		{"arrived at 17¾: qualifying, no leaving-care support", "2007-01-15", "2025-06-01", "2024-10-20", []payMode{1}},
	} {
		c := newCase(t, tc.dob, "AFG", Pending, "")
		c.Care.LookedAfterSince = mustDate(t, tc.inCare)
		c.Asylum.ClaimDate = c.Care.LookedAfterSince
		c.Asylum.ExpectedDecision = mustDate(t, tc.asOf).AddMonths(3)
		p := testPolicy(t)
		asOf := mustDate(t, tc.asOf)
		w := newWalker(c, p, asOf)
		rates, err := newRateTable(p, asOf, w.horizon)
		if err != nil {
			t.Fatal(err)
		}
		first := asOf.FinancialYear()
		l := newLedger(rates, p, first, w.horizon.FinancialYear()-first+1, false)
		mp := w.moneyPlan(l, w.horizon)
		masks := map[payMode]bool{}
		for j := range mp.spans {
			sp := &mp.spans[j]
			masks[sp.mask] = true
			for m := range payMode(nPlacements << 5) {
				got := w.pieceOps(nil, sp, sp.from, m)
				want := w.pieceOps(nil, sp, sp.from, m&sp.mask)
				if len(got) != len(want) {
					t.Fatalf("%s: span from %s, mode %#x pays %d things, under its mask %#x %d", tc.name, fromDays(sp.from), m, len(got), sp.mask, len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s: span from %s, mode %#x pays %+v, under its mask %#x %+v", tc.name, fromDays(sp.from), m, got[i], sp.mask, want[i])
					}
				}
			}
		}
		if len(masks) != len(tc.masks) {
			t.Errorf("%s: the spans' masks are %v, want %v", tc.name, masks, tc.masks)
		}
		for _, m := range tc.masks {
			if !masks[m] {
				t.Errorf("%s: no span has mask %#x (the spans' masks are %v)", tc.name, m, masks)
			}
		}
	}
}

// TestModeChanges: the days a path's money changes mode, worked out from
// the periods, placements and grace ends, are the days where the mode
// found afresh for each day (the period in force, the placement, the
// grace) differs from the day before: for periods in date order and out
// of it.
func TestModeChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const start, stop = 1000, 1400
	for trial := range 2000 {
		w := &walker{}
		w.facts.continues = trial%7 == 0
		w.lifeMode = payMode(rng.IntN(4)) << 3
		var ps []dayPeriod
		for range rng.IntN(6) {
			p := dayPeriod{from: start - 50 + rng.IntN(500), grace: -1, group: int8(rng.IntN(5))}
			if rng.IntN(3) == 0 {
				p.grace = start - 20 + rng.IntN(450)
			}
			p.cut = rng.IntN(4) == 0
			p.bits = bit(p.cut)<<1 | bit(p.group == sgLeave || p.group == sgSettled)
			ps = append(ps, p)
		}
		inOrder := trial%3 != 0
		if inOrder {
			slices.SortStableFunc(ps, func(a, b dayPeriod) int { return a.from - b.from })
		}
		w.pathDays = pathDays{ps: ps, inOrder: inOrder}
		w.stays.reset(rng.IntN(nPlacements))
		for day := start - 30; day < stop+30; day += 1 + rng.IntN(200) {
			w.stays.move(day, rng.IntN(nPlacements))
			if w.stays.n == len(w.stays.s) {
				break
			}
		}
		var want []modeChange
		for d := start; d < stop; d++ {
			m := w.mode(d, w.pathDays.at(d), w.stays.on(d))
			if len(want) == 0 || m != want[len(want)-1].m {
				want = append(want, modeChange{d, m})
			}
		}
		got, _ := w.modeChangesAnyOrder(nil, nil, start, stop)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, any order: %v, want %v", trial, got, want)
		}
		if sorted := slices.IsSortedFunc(ps, func(a, b dayPeriod) int { return a.from - b.from }); sorted {
			w.pathDays.inOrder = true
			if got := w.modeChanges(nil, start, stop); !slices.Equal(got, want) {
				t.Fatalf("trial %d, in order: %v, want %v", trial, got, want)
			}
		}
	}
}
