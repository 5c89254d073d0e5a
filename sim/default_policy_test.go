package sim_test

import (
	"testing"

	"pathway/scenarios"
	"pathway/sim"
)

// A care leaver with leave costs the authority more than the Home Office's
// care-leaver grant under the built-in policy (domain.md §10: every
// published costing shows a shortfall). Worked by hand from policy.toml:
// born 15 Jan 2007 (19 on 15 Jan 2026, 21 on 15 Jan 2028), looked after
// from 15, refugee status on 1 Mar 2024 (leave to 1 Mar 2029), in
// supported accommodation. In 2026-27, 365 days with leave, under 21:
//
//	accommodation with leave  £195.00 a week × 365 / 7 = £10,167.857… = £10,167.86
//	leaving-care staffing     £100.96 a week × 365 / 7 =  £5,264.342… =  £5,264.34
//	personal adviser           £40.00 a week × 365 / 7 =  £2,085.714… =  £2,085.71
//	the authority's spending                                            £17,517.91
//	care-leaver grant         £270.00 a week × 365 / 7 = £14,078.571… = £14,078.57
//	net cost                                                             £3,439.34
//
// The setting-up-home allowance fell in 2025-26 (a year after leaving care),
// and no council tax discount applies in supported accommodation.
func TestCareLeaverWithLeaveCostsMoreThanTheGrant(t *testing.T) {
	dob := sim.NewDate(2007, 1, 15)
	c := sim.Case{ID: "YP-19", DateOfBirth: dob, Nationality: "SDN",
		Care:   sim.Care{LookedAfterSince: dob.Birthday(15), Placement: sim.SemiIndependent},
		Asylum: sim.Asylum{ClaimDate: dob.Birthday(15).AddDays(10), Status: sim.StatusRefugee, DecisionDate: sim.NewDate(2024, 3, 1)}}
	p, err := sim.NewPlan(c, scenarios.DefaultPolicy(), sim.NewDate(2026, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	got := map[sim.Category]string{}
	for _, f := range p.Expected {
		if f.Year == 2026 {
			got[f.Category] = f.Amount.StringFixed(2)
		}
	}
	want := map[sim.Category]string{
		sim.CatAccommodation: "10167.86", sim.CatLeavingCareStaffing: "5264.34", sim.CatAdviser: "2085.71",
		sim.CatCareLeaverGrant: "14078.57",
	}
	for cat, w := range want {
		if got[cat] != w {
			t.Errorf("2026-27 %s = %s, want %s", cat, got[cat], w)
		}
	}
	for _, cat := range []sim.Category{sim.CatPlacement, sim.CatStayingPut, sim.CatAllowance, sim.CatSocialWork, sim.CatCouncilTax, sim.CatSettingUpHome} {
		if v, ok := got[cat]; ok {
			t.Errorf("2026-27 %s = %s, want none", cat, v)
		}
	}
	if net := sim.NetCost(p.Expected)[2026].StringFixed(2); net != "3439.34" {
		t.Errorf("2026-27 net cost = %s, want 3439.34 (spending over the grant)", net)
	}
}
