package sim

import (
	"strings"
	"testing"
)

func TestUplifted(t *testing.T) {
	// Foster care at £700 a week, raised 3% a year from a forecast whose
	// first year is 2025-26: £700 to 31 Mar 2026; × 1.03 = £721.00 in
	// 2026-27; × 1.03² = 1.0609, £742.63 from 1 Apr 2027 on. Social work
	// at £140 falls 2.5%: × 0.975 = £136.50, then × 0.950625 = £133.0875,
	// rounded £133.09.
	p, err := Uplifted(testPolicy(t), []Uplift{{"local.placement_week_foster", dec("3")}, {"local.social_work_week", dec("-2.5")}}, 2025, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ key, on, want string }{
		{"local.placement_week_foster", "2026-03-31", "700"},
		{"local.placement_week_foster", "2026-04-01", "721"},
		{"local.placement_week_foster", "2027-03-31", "721"},
		{"local.placement_week_foster", "2027-04-01", "742.63"},
		{"local.placement_week_foster", "2040-01-01", "742.63"},
		{"local.social_work_week", "2026-04-01", "136.5"},
		{"local.social_work_week", "2027-04-01", "133.09"},
		{"local.placement_week_residential", "2027-04-01", "4200"},
	} {
		v, err := p.Lookup(tc.key, mustDate(t, tc.on))
		if err != nil {
			t.Fatal(err)
		}
		if !v.Value.Equal(dec(tc.want)) {
			t.Errorf("%s on %s = %s, want %s", tc.key, tc.on, v.Value, tc.want)
		}
	}
	if v, _ := p.Lookup("local.placement_week_foster", mustDate(t, "2027-04-01")); !strings.Contains(v.Note, "700.00 raised 3% a year from 2026-27: × 1.0609") {
		t.Errorf("note %q does not say how the value was raised", v.Note)
	}
	for _, bad := range []Uplift{{"leave.refugee_months", dec("3")}, {"local.nothing", dec("3")}, {"local.social_work_week", dec("-100")}} {
		if _, err := Uplifted(testPolicy(t), []Uplift{bad}, 2025, 3); err == nil {
			t.Errorf("uplift %v: no error", bad)
		}
	}
}
