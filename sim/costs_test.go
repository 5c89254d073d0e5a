package sim

import (
	"testing"

	"github.com/shopspring/decimal"
)

// expectedAmount returns a plan's expected money in one year and category.
func expectedAmount(p *Plan, year int, c Category) string {
	for _, f := range p.Expected {
		if f.Year == year && f.Category == c {
			return f.Amount.StringFixed(2)
		}
	}
	return "0.00"
}

// The test policy's weekly rates are whole pounds a day: foster £100,
// social work £20, leaving-care staffing £13, the adviser £5, Staying Put
// £50, care leavers' accommodation with leave £25 (supported
// accommodation), £20 (supported lodgings), £10 (own tenancy), council tax
// £3; the care-leaver grant is £270 a week.
func TestCostsWhileLookedAfter(t *testing.T) {
	// Born 1 May 2010, in foster care since 15 (1 May 2025); seen from
	// 1 Jun 2025. 1 Jun 2025–31 Mar 2026 is 304 days, all under 16: the
	// placement 304 × £100 = £30,400, social work 304 × £20 = £6,080,
	// the Home Office's £114 a night 304 × £114 = £34,656. The adviser
	// starts at 16 (1 May 2026), after the year.
	c := newCase(t, "2010-05-01", "XXX", StatusRefugee, "2025-05-20")
	p := plan(t, c, "2025-06-01")
	for cat, want := range map[Category]string{
		CatPlacement: "30400.00", CatSocialWork: "6080.00", CatUASCGrant: "34656.00",
		CatAdviser: "0.00", CatLeavingCareStaffing: "0.00", CatAccommodation: "0.00",
	} {
		if got := expectedAmount(p, 2025, cat); got != want {
			t.Errorf("2025-26 %s = %s, want %s", cat, got, want)
		}
	}
}

func TestCostsAfter18(t *testing.T) {
	// Born 15 Jan 2007: 19 on 15 Jan 2026, 21 on 15 Jan 2028. In care from
	// 15 (an eligible child, so a former relevant one now); refugee status
	// on 1 Mar 2024 gives leave to 1 Mar 2029. Seen from 1 Apr 2026, the
	// financial year 2026-27 has 365 days, all with leave and under 21.
	// The first home (a year after leaving care, 15 Jan 2026) is before it.
	for _, tc := range []struct {
		placement Placement
		want      map[Category]string
	}{
		// Supported accommodation: 365 × £25 = £9,125; staffing 365 × £13
		// = £4,745; adviser 365 × £5 = £1,825; grant 365 × 270 / 7 =
		// £14,078.571… = £14,078.57.
		{SemiIndependent, map[Category]string{CatAccommodation: "9125.00", CatLeavingCareStaffing: "4745.00",
			CatAdviser: "1825.00", CatCouncilTax: "0.00", CatCareLeaverGrant: "14078.57", CatAllowance: "0.00", CatStayingPut: "0.00"}},
		// Supported lodgings: 365 × £20 = £7,300.
		{SupportedLodgings, map[Category]string{CatAccommodation: "7300.00", CatLeavingCareStaffing: "4745.00", CatCouncilTax: "0.00"}},
		// Their own tenancy: 365 × £10 = £3,650, and the council tax
		// discount 365 × £3 = £1,095.
		{Independent, map[Category]string{CatAccommodation: "3650.00", CatCouncilTax: "1095.00", CatCareLeaverGrant: "14078.57"}},
		// Staying Put: 365 × £50 = £18,250 to the former foster carer; no
		// other accommodation, no council tax.
		{StayingPut, map[Category]string{CatStayingPut: "18250.00", CatAccommodation: "0.00", CatCouncilTax: "0.00", CatLeavingCareStaffing: "4745.00"}},
		// A foster placement ends at 18 in supported accommodation.
		{Foster, map[Category]string{CatAccommodation: "9125.00", CatPlacement: "0.00"}},
	} {
		c := newCase(t, "2007-01-15", "XXX", StatusRefugee, "2024-03-01")
		c.Care.Placement = tc.placement
		p := plan(t, c, "2026-04-01")
		for cat, want := range tc.want {
			if got := expectedAmount(p, 2026, cat); got != want {
				t.Errorf("%s: 2026-27 %s = %s, want %s", tc.placement, cat, got, want)
			}
		}
	}
}

func TestCouncilTaxEndsAtItsAge(t *testing.T) {
	// The discount to 20 (240 months): born 15 Jan 2007, 20 on 15 Jan
	// 2027. 1 Apr 2026–14 Jan 2027 is 30+31+30+31+31+30+31+30+31+14 = 289
	// days: 289 × £3 = £867.
	c := newCase(t, "2007-01-15", "XXX", StatusRefugee, "2024-03-01")
	c.Care.Placement = Independent
	toAge := Param{Key: "local.council_tax_discount_to_age_months", From: mustDate(t, "2000-01-01"), Value: dec("240"), Unit: Months, Source: "test"}
	p := plan(t, c, "2026-04-01", toAge)
	if got := expectedAmount(p, 2026, CatCouncilTax); got != "867.00" {
		t.Errorf("council tax to 20 = %s, want 867.00", got)
	}
}

func TestSupportAfter21(t *testing.T) {
	// Born 15 Jan 2004: 22 to 23 in 2026-27 (365 days). Refugee status on
	// 1 Mar 2023, leave to 1 Mar 2028. In education after 21, support and
	// the grant go on: staffing £4,745, adviser £1,825, supported
	// accommodation £9,125, grant £14,078.57. With an adviser on request
	// only: the adviser's £1,825 and nothing else. With neither: nothing.
	for _, tc := range []struct {
		name             string
		edu, onRequest   bool
		staff, pa, grant string
	}{
		{"in education", true, false, "4745.00", "1825.00", "14078.57"},
		{"adviser on request", false, true, "0.00", "1825.00", "0.00"},
		{"neither", false, false, "0.00", "0.00", "0.00"},
	} {
		c := newCase(t, "2004-01-15", "XXX", StatusRefugee, "2023-03-01")
		c.Care.Placement = SemiIndependent
		c.LeavingCare.EducationAfter21, c.LeavingCare.AdviserOnRequest = tc.edu, tc.onRequest
		p := plan(t, c, "2026-04-01")
		got := []string{expectedAmount(p, 2026, CatLeavingCareStaffing), expectedAmount(p, 2026, CatAdviser), expectedAmount(p, 2026, CatCareLeaverGrant)}
		if got[0] != tc.staff || got[1] != tc.pa || got[2] != tc.grant {
			t.Errorf("%s: staffing, adviser, grant = %v, want %s, %s, %s", tc.name, got, tc.staff, tc.pa, tc.grant)
		}
	}
}

func TestHigherRateFollowsChildPopulation(t *testing.T) {
	pop := func(n string) Param {
		return Param{Key: "local.child_population", From: mustDate(t, "2000-01-01"), Value: dec(n), Unit: Count, Source: "test"}
	}
	// 0.07% of 10,000 children is 7: the higher rate from 7 UASC looked after.
	for _, tc := range []struct {
		pop         string
		lookedAfter int64
		want        bool
	}{
		{"10000", 7, true}, {"10000", 6, false}, {"10001", 7, false}, {"0", 50, false},
	} {
		h, err := HigherRateOn(testPolicy(t, pop(tc.pop)), mustDate(t, "2025-06-01"), tc.lookedAfter)
		if err != nil {
			t.Fatal(err)
		}
		if h.Applies != tc.want {
			t.Errorf("%s children, %d looked after: higher rate %v, want %v", tc.pop, tc.lookedAfter, h.Applies, tc.want)
		}
	}
	// A plan takes the number looked after from the policy. Born 10 Jan
	// 2009, 16 to 17 in 2025-26: from 1 Jun 2025, 304 nights at £143 =
	// £43,472 with the higher rate, at £114 = £34,656 without.
	c := newCase(t, "2009-01-10", "XXX", StatusRefugee, "2025-05-20")
	seven := Param{Key: "local.uasc_looked_after", From: mustDate(t, "2000-01-01"), Value: dec("7"), Unit: Count, Source: "test"}
	if got := expectedAmount(plan(t, c, "2025-06-01", pop("10000"), seven), 2025, CatUASCGrant); got != "43472.00" {
		t.Errorf("with the higher rate: %s, want 43472.00", got)
	}
	if got := expectedAmount(plan(t, c, "2025-06-01", pop("20000"), seven), 2025, CatUASCGrant); got != "34656.00" {
		t.Errorf("without the higher rate: %s, want 34656.00", got)
	}
}

func TestNeededForHigherRate(t *testing.T) {
	// 0.07% of 15,000 is 10.5: 11 are needed.
	h := HigherRate{ChildPopulation: 15000, Threshold: decimal.RequireFromString("0.0007")}
	if got := h.NeededFor(); got != 11 {
		t.Errorf("needed for 15,000 children: %d, want 11", got)
	}
}
