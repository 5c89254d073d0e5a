package sim

import (
	"testing"

	"github.com/shopspring/decimal"
)

// testPolicy is a small policy with the figures of domain.md, written out
// by hand so engine tests do not depend on the embedded file.
func testPolicy(t testing.TB, extra ...Param) *Policy {
	t.Helper()
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v := func(key, from, to, value string) Param {
		p := Param{Key: key, From: d(from), Value: decimal.RequireFromString(value), Unit: Keys[key].Unit, Source: "test", Confidence: "H"}
		if to != "" {
			p.To = d(to)
		}
		return p
	}
	params := []Param{
		v("leave.refugee_months", "2000-01-01", "", "60"),
		v("leave.humanitarian_protection_months", "2000-01-01", "", "60"),
		v("leave.uasc_months", "2000-01-01", "2012-07-08", "36"),
		v("leave.uasc_months", "2012-07-09", "", "30"),
		v("leave.uasc_age_limit_months", "2000-01-01", "2007-03-31", "216"),
		v("leave.uasc_age_limit_months", "2007-04-01", "", "210"),
		v("protection.temporary_claims", "2000-01-01", "2022-06-27", "0"),
		v("protection.temporary_claims", "2022-06-28", "", "1"),
		v("protection.temporary_grants", "2000-01-01", "2022-06-27", "0"),
		v("protection.temporary_grants", "2022-06-28", "2023-07-16", "1"),
		v("protection.temporary_grants", "2023-07-17", "", "0"),
		v("protection.temporary_months", "2000-01-01", "", "30"),
		v("protection.renewal_refusal_probability", "2000-01-01", "", "0.1"),
		v("core_protection.in_force", "2000-01-01", "", "0"),
		v("core_protection.applies_to_existing", "2000-01-01", "", "0"),
		v("core_protection.leave_months", "2000-01-01", "", "30"),
		v("core_protection.settlement_months", "2000-01-01", "", "240"),
		v("extension.instruct_solicitor_months", "2000-01-01", "", "3"),
		v("extension.apply_window_days", "2000-01-01", "", "28"),
		v("extension.late_good_reason_days", "2000-01-01", "", "14"),
		v("extension.uasc_grant_probability", "2000-01-01", "", "0.5"),
		v("settlement.qualifying_months", "2000-01-01", "", "60"),
		v("settlement.refusal_probability", "2000-01-01", "", "0"),
		v("appeal.window_days", "2000-01-01", "", "14"),
		v("appeal.ut_permission_days", "2000-01-01", "", "14"),
		v("appeal.allowed_probability", "2000-01-01", "", "0.39"),
		// Zero here so that tests of other rules keep their paths; the
		// tests of these rules give their own values.
		v("appeal.allowed_humanitarian_share", "2000-01-01", "", "0"),
		v("appeal.upgrade_allowed_probability", "2000-01-01", "", "0"),
		v("appeal.judicial_review_months", "2000-01-01", "", "3"),
		v("fresh_claim.accepted_probability", "2000-01-01", "", "0.3"),
		v("wait.fresh_claim_decision_weeks", "2000-01-01", "", "26"),
		v("wait.conclusive_grounds_weeks", "2000-01-01", "", "49"),
		v("nrm.reasonable_grounds_working_days", "2000-01-01", "", "5"),
		v("nrm.conclusive_min_days", "2000-01-01", "2023-01-29", "45"),
		v("nrm.conclusive_min_days", "2023-01-30", "", "30"),
		v("nrm.positive_conclusive_probability", "2000-01-01", "", "0.8"),
		v("vts.grant_probability", "2000-01-01", "", "0.5"),
		v("vts.months", "2000-01-01", "", "12"),
		v("local.trafficking_guardian", "2000-01-01", "", "0"),
		v("leaving_care.eligible_weeks", "2000-01-01", "", "13"),
		v("leaving_care.staying_put", "2000-01-01", "2014-05-12", "0"),
		v("leaving_care.staying_put", "2014-05-13", "", "1"),
		v("leaving_care.adviser_on_request_to_25", "2000-01-01", "2018-03-31", "0"),
		v("leaving_care.adviser_on_request_to_25", "2018-04-01", "", "1"),
		v("leaving_care.first_home_after_months", "2000-01-01", "", "12"),
		v("education.he_course_months", "2000-01-01", "", "36"),
		v("wait.first_decision_weeks", "2000-01-01", "", "52"),
		v("wait.extension_decision_weeks", "2000-01-01", "", "26"),
		v("wait.appeal_weeks", "2000-01-01", "2023-12-31", "44"),
		v("wait.appeal_weeks", "2024-01-01", "2024-12-31", "53"),
		v("wait.appeal_weeks", "2025-01-01", "", "50"),
		v("wait.spread", "2000-01-01", "", "0.5"),
		v("decision_pause.assumed_months", "2000-01-01", "", "12"),
		v("are.return_probability", "2000-01-01", "", "0.1"),
		v("are.fresh_claim_probability", "2000-01-01", "", "0.3"),
		v("are.no_leave_probability", "2000-01-01", "", "0.6"),
		v("are.return_after_months", "2000-01-01", "", "3"),
		v("are.fresh_claim_after_months", "2000-01-01", "", "3"),
		v("schedule3.notice_weeks", "2000-01-01", "", "12"),
		v("planning.contingency_threshold", "2000-01-01", "", "0.10"),
		v("planning.review_interval_months", "2000-01-01", "", "6"),

		// Money: the figures of domain.md §3–6.
		v("home_office.uasc_under16_night", "2000-01-01", "2016-06-30", "95"),
		v("home_office.uasc_under16_night", "2016-07-01", "", "114"),
		v("home_office.uasc_16_17_night", "2000-01-01", "2016-06-30", "71"),
		v("home_office.uasc_16_17_night", "2016-07-01", "2019-03-31", "91"),
		v("home_office.uasc_16_17_night", "2019-04-01", "", "114"),
		v("home_office.uasc_higher_night", "2000-01-01", "2020-05-31", "0"),
		v("home_office.uasc_higher_night", "2020-06-01", "", "143"),
		v("home_office.care_leaver_week", "2000-01-01", "2020-05-31", "200"),
		v("home_office.care_leaver_week", "2020-06-01", "2022-11-30", "240"),
		v("home_office.care_leaver_week", "2022-12-01", "", "270"),
		v("home_office.earlier_arrival_rates", "2000-01-01", "2016-06-30", "1"),
		v("home_office.earlier_arrival_rates", "2016-07-01", "", "0"),
		v("home_office.uasc_under16_night_earlier", "2000-01-01", "2019-03-31", "95"),
		v("home_office.uasc_under16_night_earlier", "2019-04-01", "", "114"),
		v("home_office.uasc_16_17_night_earlier", "2000-01-01", "2019-03-31", "71"),
		v("home_office.uasc_16_17_night_earlier", "2019-04-01", "", "114"),
		v("home_office.care_leaver_week_earlier", "2000-01-01", "2020-05-31", "150"),
		v("home_office.care_leaver_week_earlier", "2020-06-01", "2022-11-30", "240"),
		v("home_office.care_leaver_week_earlier", "2022-12-01", "", "270"),
		v("home_office.care_leaver_min_weeks", "2000-01-01", "", "13"),
		v("home_office.care_leaver_are_grace_weeks", "2000-01-01", "", "13"),
		v("local.placement_week_foster", "2000-01-01", "", "700"),
		v("local.placement_week_residential", "2000-01-01", "", "4200"),
		v("local.placement_week_supported_lodgings", "2000-01-01", "", "350"),
		v("local.placement_week_semi_independent", "2000-01-01", "", "1050"),
		v("local.placement_week_independent", "2000-01-01", "", "280"),
		v("local.staying_put_week", "2000-01-01", "", "350"),
		v("local.accommodation_week", "2000-01-01", "", "210"),
		v("local.leaving_care_allowance_week", "2000-01-01", "", "70"),
		v("local.personal_adviser_week", "2000-01-01", "", "35"),
		// Costs after 18 and the forecast's assumptions; whole pounds a
		// day, so that sums are easy to work by hand. No step-downs and
		// no one supported after 21 unless a case says so: a forecast
		// then samples the plan's own paths.
		v("local.placement_week_other", "2000-01-01", "", "800"),
		v("local.social_work_week", "2000-01-01", "", "140"),
		v("local.leaving_care_staffing_week", "2000-01-01", "", "91"),
		v("local.leaver_accommodation_week_semi_independent", "2000-01-01", "", "175"),
		v("local.leaver_accommodation_week_supported_lodgings", "2000-01-01", "", "140"),
		v("local.leaver_accommodation_week_independent", "2000-01-01", "", "70"),
		v("local.council_tax_discount_week", "2000-01-01", "", "21"),
		v("local.council_tax_discount_to_age_months", "2000-01-01", "", "300"),
		v("local.child_population", "2000-01-01", "", "0"),
		v("local.uasc_looked_after", "2000-01-01", "", "0"),
		v("home_office.higher_rate_share", "2000-01-01", "", "0.0007"),
		v("nts.child_population_share", "2000-01-01", "", "0.001"),
		v("leaving_care.education_after_21_share", "2000-01-01", "", "0"),
		v("leaving_care.adviser_on_request_share", "2000-01-01", "", "0"),
		v("placement.step_down_16_17_probability", "2000-01-01", "", "0"),
		v("placement.staying_put_probability", "2000-01-01", "", "0"),
		v("placement.at18_supported_lodgings_probability", "2000-01-01", "", "0"),
		v("placement.at18_independent_probability", "2000-01-01", "", "0"),
		v("local.setting_up_home", "2000-01-01", "2023-03-31", "2000"),
		v("local.setting_up_home", "2023-04-01", "", "3000"),
		v("local.he_bursary", "2000-01-01", "2008-08-31", "0"),
		v("local.he_bursary", "2008-09-01", "", "2000"),
		v("schedule3.cuts_personal_adviser", "2000-01-01", "", "1"),
		v("schedule3.cuts_staying_put", "2000-01-01", "", "0"),
		v("dwp.uc_under25_month", "2000-01-01", "2024-03-31", "292.11"),
		v("dwp.uc_under25_month", "2024-04-01", "2025-03-31", "311.68"),
		v("dwp.uc_under25_month", "2025-04-01", "2026-03-31", "316.98"),
		v("dwp.uc_under25_month", "2026-04-01", "", "338.58"),
		v("avr.cap", "2000-01-01", "2015-12-31", "2000"),
		v("avr.cap", "2016-01-01", "", "3000"),
		v("avr.cash_on_departure", "2000-01-01", "", "500"),
		v("avr.contact_months", "2000-01-01", "", "1"),
		v("avr.spend_months", "2000-01-01", "", "12"),
	}
	// An extra value replaces every value of its key.
	replaced := map[string]bool{}
	for _, e := range extra {
		replaced[e.Key] = true
	}
	kept := params[:0]
	for _, p := range params {
		if !replaced[p.Key] {
			kept = append(kept, p)
		}
	}
	params = append(kept, extra...)
	pr := func(nat, r, h, u, f string) Prior {
		return Prior{Nationality: nat, Source: "test", Probs: Probabilities{
			RefugeeStatus: decimal.RequireFromString(r), HumanitarianProtection: decimal.RequireFromString(h),
			UASCLeave: decimal.RequireFromString(u), Refused: decimal.RequireFromString(f)}}
	}
	p, err := NewPolicy("test", params, []Prior{pr("", "0.54", "0.02", "0.17", "0.27"), pr("SYR", "0.96", "0.02", "0.01", "0.01")})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyLookupByDate(t *testing.T) {
	p := testPolicy(t)
	for _, tc := range []struct {
		key, on string
		want    int64
	}{
		{"leave.uasc_months", "2012-07-08", 36},
		{"leave.uasc_months", "2012-07-09", 30},
		{"wait.appeal_weeks", "2023-12-31", 44},
		{"wait.appeal_weeks", "2024-06-01", 53},
		{"wait.appeal_weeks", "2026-06-01", 50},
	} {
		v, err := p.Lookup(tc.key, mustDate(t, tc.on))
		if err != nil {
			t.Fatal(err)
		}
		if v.Value.IntPart() != tc.want {
			t.Errorf("Lookup(%s, %s) = %s, want %d", tc.key, tc.on, v.Value, tc.want)
		}
	}
	if _, err := p.Lookup("leave.refugee_months", mustDate(t, "1999-12-31")); err == nil {
		t.Error("Lookup before the policy starts: no error")
	}
}

func TestNewPolicyRejects(t *testing.T) {
	base := testPolicy(t).Params()
	gap := append([]Param(nil), base...)
	for i := range gap {
		if gap[i].Key == "wait.appeal_weeks" && gap[i].To.String() == "2023-12-31" {
			gap[i].To = mustDate(t, "2023-11-30")
		}
	}
	if _, err := NewPolicy("gap", gap, testPolicy(t).Priors()); err == nil {
		t.Error("a gap between periods was accepted")
	}
	var missing []Param
	for _, v := range base {
		if v.Key != "appeal.window_days" {
			missing = append(missing, v)
		}
	}
	if _, err := NewPolicy("missing", missing, testPolicy(t).Priors()); err == nil {
		t.Error("a missing key was accepted")
	}
}

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
