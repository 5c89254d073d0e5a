package scenarios

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

func policyDate(s string) sim.Date {
	d, err := sim.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDefaultPolicyLoads(t *testing.T) {
	p := DefaultPolicy()
	if p.Name != "england" {
		t.Errorf("name: got %q, want %q", p.Name, "england")
	}
	// Rebuild it through sim.NewPolicyFrom from ParsePolicy's output and
	// the embedded table's priors: policy.toml gives every value.
	name, params, priors, err := ParsePolicy(bytes.NewReader(embeddedPolicy), "policy.toml")
	if err != nil {
		t.Fatalf("ParsePolicy(embedded): %v", err)
	}
	imp, err := BuiltinPriors()
	if err != nil {
		t.Fatalf("BuiltinPriors: %v", err)
	}
	if _, err := sim.NewPolicyFrom(sim.PolicyData{Name: name, Params: params, Priors: overlayPriors(imp.Priors, priors), Regions: imp.Regions}); err != nil {
		t.Fatalf("NewPolicyFrom(embedded): %v", err)
	}
	for key := range sim.Keys {
		for _, on := range []string{"2000-01-01", "2014-05-01", "2099-12-31"} {
			if _, err := p.Lookup(key, policyDate(on)); err != nil {
				t.Errorf("Lookup(%s, %s): %v", key, on, err)
			}
		}
	}
	for _, v := range params {
		if v.Source == "" || v.Confidence == "" {
			t.Errorf("%s from %s: source %q, confidence %q; want both", v.Key, v.From, v.Source, v.Confidence)
		}
	}
	for _, pr := range p.Priors() {
		for _, r := range pr.Refs {
			if r.URL == "" {
				t.Errorf("prior %s from %s: source %q is not a [[source]] of policy.toml", pr.Name(), pr.From, r.Title)
			}
		}
	}
	if DefaultPolicy() != p {
		t.Error("DefaultPolicy: want the same policy on every call")
	}
}

// The expected values are domain.md's figures.
func TestDefaultPolicyValues(t *testing.T) {
	tests := []struct {
		key  string
		on   string
		want string
	}{
		{"leave.refugee_months", "2014-05-01", "60"},                 // §1 refugee leave 5 yrs [S6]
		{"leave.humanitarian_protection_months", "2020-01-01", "60"}, // §1 HP 5 yrs, claims before 28 Jun 2022
		{"leave.humanitarian_protection_months", "2023-01-10", "60"}, // 30 months only under the temporary rules below
		{"protection.temporary_claims", "2022-06-27", "0"},           // by claim date: before 28 Jun 2022, the old rules [S4, S99]
		{"protection.temporary_claims", "2022-06-28", "1"},
		{"protection.temporary_grants", "2022-06-28", "1"}, // by decision date: to 16 Jul 2023 [S7]
		{"protection.temporary_grants", "2023-07-16", "1"},
		{"protection.temporary_grants", "2023-07-17", "0"}, // 5 years again from 17 Jul 2023 [S7]
		{"protection.temporary_months", "2023-01-10", "30"},
		{"extension.apply_window_days", "2025-06-01", "28"},           // the last 28 days [S1, S97, S98]
		{"extension.late_good_reason_days", "2025-06-01", "14"},       // para 39E [S96]
		{"home_office.care_leaver_week", "2019-06-01", "200"},         // arrivals from 2016 [S109]
		{"home_office.care_leaver_week_earlier", "2019-06-01", "150"}, // earlier arrivals [S109]
		{"home_office.uasc_16_17_night_earlier", "2017-06-01", "71"},  // children in care before Jul 2016 [S108]
		{"leaving_care.staying_put", "2014-05-12", "0"},               // from 13 May 2014 [S44]
		{"leaving_care.staying_put", "2014-05-13", "1"},
		{"leaving_care.adviser_on_request_to_25", "2018-04-01", "1"}, // from 1 Apr 2018 [S38]
		{"nrm.conclusive_min_days", "2023-01-29", "45"},              // 45 days before NABA s.60 [S95b]
		{"nrm.conclusive_min_days", "2023-01-30", "30"},              // at least 30 days [S20]
		{"leave.uasc_months", "2011-05-01", "36"},                    // earlier discretionary leave, 3 yrs [S2,S1]
		{"leave.uasc_months", "2012-07-08", "36"},
		{"leave.uasc_months", "2012-07-09", "30"}, // UASC leave, 30 months, from 9 Jul 2012 [S1]
		{"leave.uasc_months", "2014-05-01", "30"},
		{"leave.uasc_age_limit_months", "2006-06-01", "216"}, // to 18 before Apr 2007 [S2]
		{"leave.uasc_age_limit_months", "2007-04-01", "210"}, // 17½
		{"leave.uasc_age_limit_months", "2014-05-01", "210"},
		{"extension.instruct_solicitor_months", "2025-06-01", "3"}, // 3–6 months ahead [S1]
		{"settlement.qualifying_months", "2025-06-01", "60"},       // 5 years [S6]
		{"appeal.window_days", "2025-06-01", "14"},                 // [S13]
		{"appeal.ut_permission_days", "2025-06-01", "14"},          // [S14]
		{"appeal.allowed_probability", "2025-09-01", "0.39"},       // 39% allowed, Jul–Sep 2025 [S15]
		{"wait.appeal_weeks", "2023-10-01", "44"},                  // ~44 wks, Q4 2023 [S18]
		{"wait.appeal_weeks", "2024-06-01", "53"},                  // 53 wks, 2024 [S16]
		{"wait.appeal_weeks", "2025-06-01", "50"},                  // ~50 wks, 2025 [S17]
		{"schedule3.notice_weeks", "2025-06-01", "12"},             // Lincolnshire, 12 weeks [S70]
		{"planning.review_interval_months", "2025-06-01", "6"},
		{"planning.contingency_threshold", "2025-06-01", "0.1"},
		// Local placeholders from domain.md §10.
		{"local.accommodation_week", "2026-04-01", "560"},                           // awaiting a decision [S110]
		{"local.leaver_accommodation_week_semi_independent", "2026-04-01", "195"},   // with leave [S110]
		{"local.leaver_accommodation_week_independent", "2026-04-01", "195"},        // with leave [S110]
		{"local.leaver_accommodation_week_supported_lodgings", "2026-04-01", "195"}, // with leave [S110]
		{"local.placement_week_residential", "2026-04-01", "6108"},                  // [S112]
		{"local.placement_week_semi_independent", "2026-04-01", "621"},              // Lincolnshire FOI
		{"local.placement_week_foster", "2026-04-01", "1000"},                       // IFAs £900–1,100
		{"local.social_work_week", "2026-04-01", "162.13"},                          // £8,454 × 7 / 365 = 162.131… [S60]
		{"local.leaving_care_staffing_week", "2026-04-01", "100.96"},                // 270 / 0.59 − (560 / 3 + 195 × 2 / 3) − 40 = 100.96 [S110]
		{"local.leaving_care_allowance_week", "2026-04-01", "49.18"},                // asylum support rate [S62, S63]
		{"home_office.higher_rate_share", "2021-01-01", "0.0007"},                   // 0.07% [S50]
		{"nts.child_population_share", "2022-08-23", "0.0007"},                      // 0.07% [S56]
		{"nts.child_population_share", "2022-08-24", "0.001"},                       // 0.1% from 24 Aug 2022 [S57, S58]
		{"local.child_population", "2026-04-01", "0"},                               // not given
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		v, err := p.Lookup(tt.key, policyDate(tt.on))
		if err != nil {
			t.Errorf("Lookup(%s, %s): %v", tt.key, tt.on, err)
			continue
		}
		if want := decimal.RequireFromString(tt.want); !v.Value.Equal(want) {
			t.Errorf("Lookup(%s, %s): got %s, want %s", tt.key, tt.on, v.Value, want)
		}
	}
}

func TestDefaultPolicyConfidence(t *testing.T) {
	tests := []struct {
		key         string
		on          string
		confidence  string
		unconfirmed bool
	}{
		{"leave.uasc_months", "2014-05-01", "H", false},
		{"leave.refugee_months", "2003-01-01", "L", false}, // ILR on grant then
		{"appeal.allowed_probability", "2020-01-01", "L", false},
		{"appeal.allowed_probability", "2025-09-01", "M", false},
		{"wait.appeal_weeks", "2022-06-01", "UNCONFIRMED", true},
		{"wait.appeal_weeks", "2024-06-01", "M", false},
		{"wait.first_decision_weeks", "2025-06-01", "UNCONFIRMED", true},
		{"wait.extension_decision_weeks", "2025-06-01", "UNCONFIRMED", true},
		{"wait.spread", "2025-06-01", "UNCONFIRMED", true},
		{"settlement.refusal_probability", "2025-06-01", "UNCONFIRMED", true},
		{"are.return_probability", "2025-06-01", "UNCONFIRMED", true},
		{"are.fresh_claim_probability", "2025-06-01", "UNCONFIRMED", true},
		{"are.no_leave_probability", "2025-06-01", "UNCONFIRMED", true},
		{"are.return_after_months", "2025-06-01", "UNCONFIRMED", true},
		{"are.fresh_claim_after_months", "2025-06-01", "UNCONFIRMED", true},
		{"planning.contingency_threshold", "2025-06-01", "L", false},
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		v, err := p.Lookup(tt.key, policyDate(tt.on))
		if err != nil {
			t.Errorf("Lookup(%s, %s): %v", tt.key, tt.on, err)
			continue
		}
		if v.Confidence != tt.confidence || v.Unconfirmed != tt.unconfirmed {
			t.Errorf("Lookup(%s, %s): got confidence %s, unconfirmed %v; want %s, %v",
				tt.key, tt.on, v.Confidence, v.Unconfirmed, tt.confidence, tt.unconfirmed)
		}
	}
}

// The built-in priors follow the published table, worked by hand from
// data/home-office/grant_rates_initial_quarterly.csv with the method of
// policy.toml: the grant share g = grants ÷ (grants + refused) splits into
// refugee status g·54/56 and HP g·2/56, the rest (1 − g) into UASC leave
// ·17/44 and refused ·27/44, each to four places by the largest remainder.
func TestDefaultPolicyPriors(t *testing.T) {
	tests := []struct {
		name, nationality, on string
		child                 bool
		want                  [4]string // refugee status, HP, UASC leave, refused
		basis                 sim.PriorBasis
		period                string
		decisions             int
	}{
		// Afghanistan 2023 Q2: 565 granted, 11 refused; g = 565/576 =
		// 0.980903. Shares 0.945871, 0.035032, 0.007378, 0.011719; cut to
		// 9458, 350, 73, 117 (9,998); the two largest remainders (UASC leave
		// .785, refugee status .705) take a unit each.
		{"Afghanistan mid-2023", "AFG", "2023-06-15", true, [4]string{"0.9459", "0.0350", "0.0074", "0.0117"}, sim.BasisNationality, "2023 Q2", 576},
		// Afghanistan, first half of 2025: about 37% granted (S114):
		// policy.toml's row, 0.37 split the same way.
		{"Afghanistan mid-2025", "AFG", "2025-06-15", true, [4]string{"0.3568", "0.0132", "0.2434", "0.3866"}, sim.BasisNationality, "2025 H1", 0},
		// And from then on: the latest figure runs on.
		{"Afghanistan 2027", "AFG", "2027-03-01", false, [4]string{"0.3568", "0.0132", "0.2434", "0.3866"}, sim.BasisNationality, "2025 H1", 0},
		// 2024 Q4: 47% (S113).
		{"Afghanistan 2024 Q4", "AFG", "2024-11-01", false, [4]string{"0.4532", "0.0168", "0.2048", "0.3252"}, sim.BasisNationality, "2024 Q4", 0},
		// 2024 Q3, the last published quarter: 503 granted, 438 refused; g =
		// 503/941. Shares 0.515447, 0.019091, 0.179838, 0.285625; cut to
		// 5154, 190, 1798, 2856 (9,998); HP (.906) and refugee status (.471)
		// round up.
		{"Afghanistan 2024 Q3", "AFG", "2024-08-15", false, [4]string{"0.5155", "0.0191", "0.1798", "0.2856"}, sim.BasisNationality, "2024 Q3", 941},
		// Syria 2014 Q4 (the 2014 sample's expected decision): 417 granted,
		// 43 refused; g = 417/460. Shares 0.874146, 0.032376, 0.036117,
		// 0.057362; cut to 8741, 323, 361, 573; HP (.758) and refused (.617)
		// round up.
		{"Syria, a 2014 case", "SYR", "2014-12-01", true, [4]string{"0.8741", "0.0324", "0.0361", "0.0574"}, sim.BasisNationality, "2014 Q4", 460},
		// Turkmenistan had 18 decisions in the year to 2024 Q3 (9, 6, 3 and
		// none): under 100, so its region's row: Asia Central in 2024 Q3,
		// 518 granted and 504 refused (1,022), g = 518/1022. Shares
		// 0.488748, 0.018102, 0.190535, 0.302615; cut to 4887, 181, 1905,
		// 3026; refugee status (.476) rounds up.
		{"Turkmenistan: too few, its region", "TKM", "2024-08-15", false, [4]string{"0.4888", "0.0181", "0.1905", "0.3026"}, sim.BasisRegion, "2024 Q3", 1022},
		// The United States had 37 decisions in that year and its region,
		// America North, 40 (17, 10, 7 and 6): both under 100, so all
		// nationalities in 2024 Q3: 5,983 granted, 3,703 refused (9,686).
		// Shares 0.595635, 0.022061, 0.147709, 0.234596; cut to 5956, 220,
		// 1477, 2345; refused (.959) and HP (.606) round up.
		{"United States: too few, and its region too", "USA", "2024-08-15", false, [4]string{"0.5956", "0.0221", "0.1477", "0.2346"}, sim.BasisAll, "2024 Q3", 9686},
		{"nationality unknown: all nationalities", "", "2024-08-15", false, [4]string{"0.5956", "0.0221", "0.1477", "0.2346"}, sim.BasisAll, "2024 Q3", 9686},
	}
	p := DefaultPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, basis := p.Prior(tt.nationality, policyDate(tt.on), tt.child)
			got := [4]string{pr.Probs.RefugeeStatus.StringFixed(4), pr.Probs.HumanitarianProtection.StringFixed(4),
				pr.Probs.UASCLeave.StringFixed(4), pr.Probs.Refused.StringFixed(4)}
			if got != tt.want || basis != tt.basis || pr.Period != tt.period || pr.Decisions != tt.decisions {
				t.Errorf("Prior(%q, %s): got %v, basis %s, period %q, %d decisions; want %v, %s, %q, %d",
					tt.nationality, tt.on, got, basis, pr.Period, pr.Decisions, tt.want, tt.basis, tt.period, tt.decisions)
			}
		})
	}
	// The Afghan figures for mid-2023 and mid-2025 differ as the published
	// rates do: 98.1% granted then (565 of 576), about 37% now.
	then, _ := p.Prior("AFG", policyDate("2023-06-15"), false)
	now, _ := p.Prior("AFG", policyDate("2025-06-15"), false)
	grant := func(pr sim.Prior) decimal.Decimal {
		return pr.Probs.RefugeeStatus.Add(pr.Probs.HumanitarianProtection)
	}
	if !grant(then).Equal(decimal.RequireFromString("0.9809")) || !grant(now).Equal(decimal.RequireFromString("0.37")) {
		t.Errorf("Afghan grant shares: mid-2023 %s, mid-2025 %s; want 0.9809 and 0.37", grant(then), grant(now))
	}
	// Syria's decisions are paused from 9 December 2024 (S85).
	ps := p.Pauses()
	if len(ps) != 1 || ps[0].Nationality != "SYR" || ps[0].From.String() != "2024-12-09" || !ps[0].To.IsZero() {
		t.Errorf("pauses: got %+v, want Syria from 2024-12-09 with no end", ps)
	}
	if r := p.Regions()["AFG"]; r != "Asia Central" {
		t.Errorf("region of AFG: got %q, want Asia Central", r)
	}
}

// policy.toml's later Afghan rows are the published grant shares split by
// the method: 47% (S113) and 37% (S114).
func TestLaterAfghanRowsFollowTheMethod(t *testing.T) {
	_, _, priors, err := ParsePolicy(bytes.NewReader(embeddedPolicy), "policy.toml")
	if err != nil {
		t.Fatal(err)
	}
	shares := map[string]string{"2024-10-01": "0.47", "2025-01-01": "0.37"}
	for _, pr := range priors {
		share, ok := shares[pr.From.String()]
		if pr.Nationality != "AFG" || !ok {
			t.Errorf("unexpected prior row %s from %s", pr.Name(), pr.From)
			continue
		}
		if want := SplitGrantShare(decimal.RequireFromString(share)); !sameProbs(pr.Probs, want) {
			t.Errorf("AFG from %s: got %+v, want %s split: %+v", pr.From, pr.Probs, share, want)
		}
		delete(shares, pr.From.String())
	}
	if len(shares) > 0 {
		t.Errorf("missing AFG rows from %v", shares)
	}
}

const localPolicy = `name = "local"

[[value]]
key = "wait.appeal_weeks"
from = 2000-01-01
value = "24"
unit = "weeks"
source = "Border Security, Asylum and Immigration Bill cl.46-47 (S16, S17)"
confidence = "L"

[[prior]]
nationality = "AFG"
refugee_status = "0.80"
humanitarian_protection = "0.05"
uasc_leave = "0.05"
refused = "0.10"
source = "local caseload"
confidence = "L"
`

func TestLoadPolicyOverride(t *testing.T) {
	base := DefaultPolicy()
	p, err := LoadPolicy(base, strings.NewReader(localPolicy), "local.toml")
	if err != nil {
		t.Fatalf("LoadPolicy: %v", err)
	}
	if p.Name != "england+local" {
		t.Errorf("name: got %q, want %q", p.Name, "england+local")
	}
	tests := []struct {
		key  string
		on   string
		want string
	}{
		{"wait.appeal_weeks", "2015-01-01", "24"}, // overridden: all of the base's periods replaced
		{"wait.appeal_weeks", "2024-06-01", "24"},
		{"wait.appeal_weeks", "2025-06-01", "24"},
		{"leave.uasc_months", "2011-05-01", "36"}, // kept from the base
		{"leave.uasc_months", "2014-05-01", "30"},
		{"appeal.window_days", "2025-06-01", "14"},
	}
	for _, tt := range tests {
		v, err := p.Lookup(tt.key, policyDate(tt.on))
		if err != nil {
			t.Errorf("Lookup(%s, %s): %v", tt.key, tt.on, err)
			continue
		}
		if want := decimal.RequireFromString(tt.want); !v.Value.Equal(want) {
			t.Errorf("Lookup(%s, %s): got %s, want %s", tt.key, tt.on, v.Value, want)
		}
	}
	if got := len(p.Params()); got != len(base.Params())-3 {
		t.Errorf("params: got %d, want %d (the base's, with wait.appeal_weeks's four periods now one)", got, len(base.Params())-3)
	}
	// The file's undated AFG row replaces every Afghan row, on every date.
	afgRows := 0
	for _, pr := range base.Priors() {
		if pr.Nationality == "AFG" {
			afgRows++
		}
	}
	for _, on := range []string{"2005-03-01", "2023-06-15", "2025-06-15"} {
		got, _ := p.Prior("AFG", policyDate(on), false)
		if !got.Probs.RefugeeStatus.Equal(decimal.RequireFromString("0.80")) {
			t.Errorf(`Prior("AFG", %s).RefugeeStatus: got %s, want 0.80`, on, got.Probs.RefugeeStatus)
		}
		got, _ = p.Prior("SDN", policyDate(on), false)
		want, _ := base.Prior("SDN", policyDate(on), false)
		if !sameProbs(got.Probs, want.Probs) {
			t.Errorf(`Prior("SDN", %s): got %+v, want the base's %+v`, on, got.Probs, want.Probs)
		}
	}
	if got, want := len(p.Priors()), len(base.Priors())-afgRows+1; got != want {
		t.Errorf("priors: got %d rows, want %d (the base's %d Afghan rows now one)", got, want, afgRows)
	}
	// The base is untouched.
	if v, _ := base.Lookup("wait.appeal_weeks", policyDate("2025-06-01")); !v.Value.Equal(decimal.NewFromInt(50)) {
		t.Errorf("base wait.appeal_weeks on 2025-06-01: got %s, want 50", v.Value)
	}
}

func sameProbs(a, b sim.Probabilities) bool {
	return a.RefugeeStatus.Equal(b.RefugeeStatus) && a.HumanitarianProtection.Equal(b.HumanitarianProtection) &&
		a.UASCLeave.Equal(b.UASCLeave) && a.Refused.Equal(b.Refused)
}

// Dated rows in a --policy file replace the base's rows of their
// nationality, region or default from their first date on; earlier rows stay.
func TestLoadPolicyDatedPriors(t *testing.T) {
	const file = `name = "later"

[[prior]]
nationality = "AFG"
from = 2026-01-01
refugee_status = "0.30"
humanitarian_protection = "0.02"
uasc_leave = "0.26"
refused = "0.42"
period = "2025 Q4"
decisions = 812
source = "local"
confidence = "M"

[[prior]]
nationality = "TKM"
uasc = true
from = 2024-07-01
to = 2024-09-30
refugee_status = "0.50"
humanitarian_protection = "0"
uasc_leave = "0.30"
refused = "0.20"
source = "local"
confidence = "L"

[[region]]
name = "Europe Other"
nationalities = ["TKM"]

[[pause]]
nationality = "ERI"
from = 2026-02-01
to = 2026-04-30
reason = "decisions on Eritrean claims paused"
source = "local"
confidence = "L"
`
	base := DefaultPolicy()
	p, err := LoadPolicy(base, strings.NewReader(file), "later.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		nat, on string
		child   bool
		want    string // refugee status
		basis   sim.PriorBasis
	}{
		{"AFG", "2023-06-15", false, "0.9459", sim.BasisNationality}, // kept from the base (2023 Q2)
		{"AFG", "2025-06-15", false, "0.3568", sim.BasisNationality}, // the base's 2025 row, cut to end 2025-12-31
		{"AFG", "2025-12-31", false, "0.3568", sim.BasisNationality},
		{"AFG", "2026-01-01", false, "0.30", sim.BasisNationality}, // the file's row
		{"TKM", "2024-08-15", true, "0.50", sim.BasisNationality},  // a child: the file's UASC row
		// An adult: no all-ages Turkmen row, and the file moves
		// Turkmenistan to Europe Other: 42 granted, 414 refused in 2024
		// Q3, g = 42/456 = 0.092105; refugee status g·54/56 = 0.088816.
		{"TKM", "2024-08-15", false, "0.0888", sim.BasisRegion},
	} {
		pr, basis := p.Prior(tc.nat, policyDate(tc.on), tc.child)
		if !pr.Probs.RefugeeStatus.Equal(decimal.RequireFromString(tc.want)) || basis != tc.basis {
			t.Errorf("Prior(%s, %s, child %t): got refugee status %s (%s), want %s (%s)", tc.nat, tc.on, tc.child, pr.Probs.RefugeeStatus, basis, tc.want, tc.basis)
		}
	}
	ps := p.Pauses()
	if len(ps) != 2 {
		t.Errorf("pauses: got %d, want Syria's and the file's Eritrean one", len(ps))
	}
}

func TestLoadPolicyReplace(t *testing.T) {
	// The embedded file with replace = true and a default prior is a whole
	// policy on its own.
	whole := "replace = true\n" + string(embeddedPolicy) + `
[[prior]]
nationality = "default"
refugee_status = "0.54"
humanitarian_protection = "0.02"
uasc_leave = "0.17"
refused = "0.27"
source = "S80"
confidence = "H"
`
	whole = strings.Replace(whole, `name = "england"`, `name = "england-copy"`, 1)
	p, err := LoadPolicy(DefaultPolicy(), strings.NewReader(whole), "whole.toml")
	if err != nil {
		t.Fatalf("LoadPolicy(replace): %v", err)
	}
	if p.Name != "england-copy" {
		t.Errorf("name: got %q, want %q", p.Name, "england-copy")
	}

	// A partial file with replace = true misses every other key.
	_, err = LoadPolicy(DefaultPolicy(), strings.NewReader("replace = true\n"+localPolicy), "partial.toml")
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("LoadPolicy(partial, replace): got %v, want Problems", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"partial.toml: leave.uasc_months: missing: a whole policy needs a value for every key",
		`partial.toml: prior: missing: a whole policy needs a prior with nationality = "default"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("LoadPolicy(partial, replace): got\n%s\nwant it to contain %q", msg, want)
		}
	}
	if got, want := len(ps), len(sim.Keys)-1+1; got != want {
		t.Errorf("LoadPolicy(partial, replace): got %d problems, want %d (every key but one, and the default prior)", got, want)
	}
}

// okPolicyValue is a valid [[value]] table: prefixed by a name line, it
// fills lines 2 to 8.
const okPolicyValue = `[[value]]
key = "leave.uasc_months"
from = 2000-01-01
value = "30"
unit = "months"
source = "S1"
confidence = "H"
`

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // each a whole problem, as Problem.Error prints it
	}{
		{
			name: "unknown policy key",
			in: `name = "x"
[[value]]
key = "leave.uasc_monts"
from = 2000-01-01
value = "30"
unit = "months"
source = "S1"
confidence = "H"
`,
			want: []string{`bad.toml:3: value.key: "leave.uasc_monts": not a policy key (did you mean leave.uasc_months); the policy keys, as in the built-in policy.toml, are appeal.allowed_humanitarian_share, `},
		},
		{
			name: "unknown field",
			in:   "name = \"x\"\n" + okPolicyValue + "valeu = \"30\"\n",
			want: []string{`bad.toml:9: value.valeu: unknown key (did you mean value); [[value]] allows key, from, to, value, unit, source, confidence, unconfirmed, note`},
		},
		{
			name: "unknown top-level key",
			in:   "name = \"x\"\nrepalce = true\n",
			want: []string{`bad.toml:2: repalce: unknown key (did you mean replace); the top level allows name, replace, value, prior, region, pause, source`},
		},
		{
			name: "field in the wrong case",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, "unit =", "Unit =", 1),
			want: []string{`bad.toml:6: value.Unit: unknown key (did you mean unit)`},
		},
		{
			name: "bad unit",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `unit = "months"`, `unit = "weeks"`, 1),
			want: []string{`bad.toml:6: value.unit: "weeks": leave.uasc_months is in "months"`},
		},
		{
			name: "probability 1.5",
			in: `name = "x"
[[value]]
key = "appeal.allowed_probability"
from = 2000-01-01
value = "1.5"
unit = "probability"
source = "S15"
confidence = "M"
`,
			want: []string{`bad.toml:5: value.value: "1.5": a probability: a decimal from 0 to 1, such as "0.39"`},
		},
		{
			name: "value as a TOML number",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `value = "30"`, `value = 30.0`, 1),
			want: []string{`bad.toml:5: value.value: "30": a whole number of months from 0 to 1200, written in quotes (such as "30"), not as a TOML number`},
		},
		{
			name: "fractional months",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `value = "30"`, `value = "30.5"`, 1),
			want: []string{`bad.toml:5: value.value: "30.5": a whole number of months from 0 to 1200`},
		},
		{
			name: "negative value",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `value = "30"`, `value = "-1"`, 1),
			want: []string{`bad.toml:5: value.value: "-1": a whole number of months from 0 to 1200`},
		},
		{
			name: "confidence not allowed",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `confidence = "H"`, `confidence = "high"`, 1),
			want: []string{`bad.toml:8: value.confidence: "high": one of H, M, L, UNCONFIRMED`},
		},
		{
			name: "unconfirmed without UNCONFIRMED confidence",
			in:   "name = \"x\"\n" + okPolicyValue + "unconfirmed = true\n",
			want: []string{`bad.toml:9: value.unconfirmed: "true": unconfirmed = true exactly when confidence = "UNCONFIRMED" (a placeholder)`},
		},
		{
			name: "to before from",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, "from = 2000-01-01\n", "from = 2000-01-01\nto = 1999-12-31\n", 1),
			want: []string{`bad.toml:5: value.to: "1999-12-31": a date on or after from (2000-01-01), or no to for an open-ended value`},
		},
		{
			name: "a time, not a date",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, "from = 2000-01-01", "from = 2000-01-01T10:00:00", 1),
			want: []string{`bad.toml:4: value.from: "2000-01-01T10:00:00": a date without a time, like 2012-07-09`},
		},
		{
			name: "gap between periods",
			in: `name = "x"
[[value]]
key = "leave.uasc_months"
from = 2000-01-01
to = 2012-07-08
value = "36"
unit = "months"
source = "S2"
confidence = "M"
[[value]]
key = "leave.uasc_months"
from = 2013-01-01
value = "30"
unit = "months"
source = "S1"
confidence = "H"
`,
			want: []string{`bad.toml:12: value.from: "2013-01-01": leave.uasc_months has no value from 2012-07-09 to 2012-12-31: start the day after the period on line 2 ends, 2012-07-09`},
		},
		{
			name: "overlapping periods",
			in: `name = "x"
[[value]]
key = "leave.uasc_months"
from = 2000-01-01
value = "36"
unit = "months"
source = "S2"
confidence = "M"
[[value]]
key = "leave.uasc_months"
from = 2012-07-09
value = "30"
unit = "months"
source = "S1"
confidence = "H"
`,
			want: []string{`bad.toml:11: value.from: "2012-07-09": leave.uasc_months from 2012-07-09 overlaps the open-ended period from 2000-01-01 (line 2): end that one with a to date`},
		},
		{
			name: "starts after 2000",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, "from = 2000-01-01", "from = 2012-07-09", 1),
			want: []string{`bad.toml:4: value.from: "2012-07-09": leave.uasc_months has no value before 2012-07-09: its first period must start on or before 2000-01-01`},
		},
		{
			name: "last period not open-ended",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, "from = 2000-01-01\n", "from = 2000-01-01\nto = 2030-12-31\n", 1),
			want: []string{`bad.toml:5: value.to: "2030-12-31": leave.uasc_months has no value after 2030-12-31: its last period must be open-ended (no to)`},
		},
		{
			name: "missing fields",
			in:   "name = \"x\"\n[[value]]\nkey = \"leave.uasc_months\"\nvalue = \"30\"\n",
			want: []string{
				`bad.toml:2: value.confidence: missing: a quoted string is required`,
				`bad.toml:2: value.from: missing: give a date without a time, like 2012-07-09`,
				`bad.toml:2: value.source: missing: a quoted string is required`,
				`bad.toml:2: value.unit: missing: a quoted string is required`,
			},
		},
		{
			name: "missing name",
			in:   okPolicyValue,
			want: []string{`bad.toml: name: missing: a quoted string is required`},
		},
		{
			name: "priors not summing to 1",
			in: `name = "x"
[[prior]]
nationality = "AFG"
refugee_status = "0.50"
humanitarian_protection = "0.02"
uasc_leave = "0.17"
refused = "0.27"
source = "S80"
confidence = "L"
`,
			want: []string{`bad.toml:2: prior: "AFG": refugee_status + humanitarian_protection + uasc_leave + refused = 0.96; they must sum to exactly 1`},
		},
		{
			name: "prior probability 1.5",
			in: `name = "x"
[[prior]]
nationality = "default"
refugee_status = "1.5"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S80"
confidence = "L"
`,
			want: []string{`bad.toml:4: prior.refugee_status: "1.5": a probability: a decimal from 0 to 1, such as "0.39"`},
		},
		{
			name: "nationality not a country",
			in: `name = "x"
[[prior]]
nationality = "XXX"
refugee_status = "1"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S80"
confidence = "L"
[[prior]]
nationality = "afg"
refugee_status = "1"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S80"
confidence = "L"
`,
			want: []string{
				`bad.toml:3: prior.nationality: "XXX": "default" or an ISO 3166-1 alpha-3 country code in capitals, such as "AFG"`,
				`bad.toml:11: prior.nationality: "afg": "default" or an ISO 3166-1 alpha-3 country code in capitals, such as "AFG"`,
			},
		},
		{
			name: "prior given twice",
			in: `name = "x"
[[prior]]
nationality = "AFG"
refugee_status = "1"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S86"
confidence = "L"
[[prior]]
nationality = "AFG"
refugee_status = "1"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S86"
confidence = "L"
`,
			want: []string{`bad.toml:10: prior.from: the AFG row from the start (line 2) runs on with no to: rows of one nationality, region or the default must not overlap; start this one later or end that one earlier`},
		},
		{
			name: "syntax error",
			in:   "name = \"x\"\n[[value]]\nkey = \"leave.uasc_months\nfrom = 2000-01-01\n",
			want: []string{`bad.toml:3: value.key: not valid TOML: strings cannot contain newlines`},
		},
		{
			name: "value not an array of tables",
			in:   "name = \"x\"\nvalue = \"30\"\n",
			want: []string{`bad.toml:2: value: "30": tables written [[value]], one for each dated value`},
		},
		{
			name: "every problem at once",
			in: `name = "x"
[[value]]
key = "leave.uasc_months"
from = 2000-01-01
value = "30"
unit = "weeks"
source = "S1"
confidence = "H"
[[value]]
key = "appeal.allowed_probability"
from = 2000-01-01
value = "1.5"
unit = "probability"
source = "S15"
confidence = "M"
[[prior]]
nationality = "default"
refugee_status = "0.5"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "0"
source = "S80"
confidence = "H"
`,
			want: []string{
				`bad.toml:6: value.unit: "weeks": leave.uasc_months is in "months"`,
				`bad.toml:12: value.value: "1.5": a probability`,
				`bad.toml:16: prior: "default": refugee_status + humanitarian_protection + uasc_leave + refused = 0.5; they must sum to exactly 1`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := ParsePolicy(strings.NewReader(tt.in), "bad.toml")
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("ParsePolicy(%q): got error %v, want Problems", tt.in, err)
			}
			if len(ps) != len(tt.want) {
				t.Errorf("ParsePolicy(%q): got %d problems, want %d:\n%v", tt.in, len(ps), len(tt.want), err)
			}
			for i, want := range tt.want {
				if i >= len(ps) {
					break
				}
				if got := ps[i].Error(); !strings.HasPrefix(got, want) {
					t.Errorf("ParsePolicy(%q): problem %d:\ngot  %s\nwant %s", tt.in, i, got, want)
				}
			}
		})
	}
}

func TestLoadPolicyErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "after appeal rights exhausted the chances no longer sum to 1",
			in: `name = "more-returns"
[[value]]
key = "are.return_probability"
from = 2000-01-01
value = "0.20"
unit = "probability"
source = "local caseload"
confidence = "L"
`,
			want: `local.toml:2: are.return_probability + are.fresh_claim_probability + are.no_leave_probability: "1.1": on 2000-01-01 these sum to 1.1; they must sum to exactly 1 on every date`,
		},
		{
			name: "a problem in the file",
			in:   "name = \"x\"\n" + strings.Replace(okPolicyValue, `unit = "months"`, `unit = "weeks"`, 1),
			want: `local.toml:6: value.unit: "weeks": leave.uasc_months is in "months"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPolicy(DefaultPolicy(), strings.NewReader(tt.in), "local.toml")
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("LoadPolicy(%q): got error %v, want Problems", tt.in, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("LoadPolicy(%q):\ngot  %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParsePolicyQuotedDate(t *testing.T) {
	in := "name = \"x\"\n" + strings.Replace(okPolicyValue, "from = 2000-01-01", `from = "2000-01-01"`, 1)
	_, params, _, err := ParsePolicy(strings.NewReader(in), "quoted.toml")
	if err != nil {
		t.Fatalf("ParsePolicy: %v", err)
	}
	if len(params) != 1 || params[0].From != sim.NewDate(2000, time.January, 1) {
		t.Errorf("ParsePolicy: got %+v, want one value from 2000-01-01", params)
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add(string(embeddedPolicy))
	f.Add(localPolicy)
	f.Add("name = \"x\"\n" + okPolicyValue)
	f.Add("name = \"x\"\n[[value]]\nkey = \"leave.uasc_months\nfrom = 2000-01-01\n")
	f.Add("name = \"x\"\nvalue = [{key = \"leave.uasc_months\", from = 2000-01-01, value = \"30\"}]\n")
	f.Add("name = \"x\"\n[[prior]]\nnationality = \"AFG\"\nrefugee_status = \"1\"\nnote = '''\n[[value]]\n'''\n")
	f.Fuzz(func(t *testing.T, in string) {
		name, params, priors, err := ParsePolicy(strings.NewReader(in), "fuzz.toml")
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("ParsePolicy: got %v, want Problems", err)
			}
			for _, p := range ps {
				if p.File != "fuzz.toml" || p.Allowed == "" {
					t.Fatalf("ParsePolicy: problem %+v lacks its file or what is allowed", p)
				}
			}
			return
		}
		for _, v := range params {
			spec, ok := sim.Keys[v.Key]
			if !ok || v.Unit != spec.Unit || v.Value.IsNegative() {
				t.Fatalf("ParsePolicy accepted %+v", v)
			}
			if v.Unit == sim.Probability && v.Value.GreaterThan(decimal.NewFromInt(1)) {
				t.Fatalf("ParsePolicy accepted probability %s", v.Value)
			}
		}
		for _, pr := range priors {
			if !pr.Probs.Sum().Equal(decimal.NewFromInt(1)) {
				t.Fatalf("ParsePolicy accepted a prior summing to %s", pr.Probs.Sum())
			}
		}
		// What parses either builds a policy, over the base or alone, or
		// gives an error; it never panics.
		_, _ = sim.NewPolicy(name, params, priors)
		_, _ = LoadPolicy(DefaultPolicy(), strings.NewReader(in), "fuzz.toml")
	})
}
