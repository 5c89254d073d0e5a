package scenarios

import (
	"errors"
	"strings"
	"testing"

	"pathway/sim"
)

// The case keys of the rules issue (domain.md §9): the claim's group,
// certification, a recorded fresh claim, leaving care before 18, the end of
// a course, the first home, and the National Referral Mechanism's dates.
func TestParseCaseRulesKeys(t *testing.T) {
	base := func(status, extra string) string {
		s := `id = "YP-0100"
date_of_birth = 2005-04-22
nationality = "IRN"
trafficked = true
review_date = 2025-06-01
[care]
looked_after_since = 2021-09-01
placement = "foster"
[asylum]
claim_date = 2021-10-11
status = "` + status + `"
`
		if status != "pending" {
			s += "decision_date = 2025-02-10\n"
		}
		return s + extra
	}
	for _, tc := range []struct {
		name, src string
		valid     func(t *testing.T, c sim.Case)
		key, bad  string // for an invalid file: the key named and a part of what is allowed
	}{
		{name: "fresh claim and trafficking dates", src: base("appeal_rights_exhausted", `fresh_claim_date = 2025-05-02
[leaving_care]
higher_education_start = 2024-09-16
higher_education_end = 2027-06-30
first_home = 2024-08-01
[trafficking]
nrm_referral = 2021-09-10
reasonable_grounds = 2021-09-17
conclusive_grounds = 2022-09-01
conclusive_outcome = "positive"
`), valid: func(t *testing.T, c sim.Case) {
			if c.Asylum.FreshClaimDate.String() != "2025-05-02" || c.Trafficking.ConclusiveOutcome != "positive" ||
				c.Trafficking.NRMReferral.String() != "2021-09-10" || c.LeavingCare.HigherEducationEnd.String() != "2027-06-30" ||
				c.LeavingCare.FirstHome.String() != "2024-08-01" {
				t.Errorf("read %+v", c)
			}
		}},
		{name: "group 2 for a claim after 28 June 2022", src: strings.Replace(base("refugee_status", "group = 2\n"), "claim_date = 2021-10-11", "claim_date = 2022-07-01", 1),
			valid: func(t *testing.T, c sim.Case) {
				if c.Asylum.Group != 2 {
					t.Errorf("group %d", c.Asylum.Group)
				}
			}},
		{name: "left care at 17", src: strings.Replace(base("pending", ""), "placement = \"foster\"", "placement = \"foster\"\nleft_care = 2022-10-01", 1),
			valid: func(t *testing.T, c sim.Case) {
				if c.Care.LeftCare.String() != "2022-10-01" {
					t.Errorf("left care %s", c.Care.LeftCare)
				}
			}},

		// UASC leave is not granted on or after 17½: born 22 Apr 2005, 17½ on 22 Oct 2022.
		{name: "UASC leave granted after 17½", src: strings.Replace(base("uasc_leave", ""), "decision_date = 2025-02-10", "decision_date = 2022-10-22", 1),
			key: "asylum.decision_date", bad: "a date before 2022-10-22, when the young person turned 17½"},
		{name: "group 2 for an earlier claim", src: base("refugee_status", "group = 2\n"),
			key: "asylum.group", bad: "claims lodged from 28 Jun 2022"},
		{name: "group 3", src: base("refugee_status", "group = 3\n"), key: "asylum.group", bad: "1 or 2"},
		{name: "fresh claim while refused", src: base("refused", "fresh_claim_date = 2025-05-02\n"),
			key: "asylum.fresh_claim_date", bad: "only while status is appeal_rights_exhausted"},
		{name: "fresh claim before appeal rights exhausted", src: base("appeal_rights_exhausted", "fresh_claim_date = 2025-01-02\n"),
			key: "asylum.fresh_claim_date", bad: "on or after decision_date"},
		{name: "certified with leave", src: base("refugee_status", "certified = true\n"),
			key: "asylum.certified", bad: "only while status is pending or refused"},
		{name: "trafficking table for a child not trafficked", src: strings.Replace(base("pending", "[trafficking]\nnrm_referral = 2021-09-10\n"), "trafficked = true", "trafficked = false", 1),
			key: "trafficking", bad: "only when trafficked = true"},
		{name: "conclusive before reasonable grounds", src: base("pending", "[trafficking]\nreasonable_grounds = 2021-09-17\nconclusive_grounds = 2021-09-01\nconclusive_outcome = \"negative\"\n"),
			key: "trafficking.conclusive_grounds", bad: "on or after the reasonable-grounds decision"},
		{name: "conclusive outcome without its date", src: base("pending", "[trafficking]\nconclusive_outcome = \"positive\"\n"),
			key: "trafficking.conclusive_grounds", bad: "missing"},
		{name: "conclusive outcome unknown", src: base("pending", "[trafficking]\nconclusive_grounds = 2022-09-01\nconclusive_outcome = \"maybe\"\n"),
			key: "trafficking.conclusive_outcome", bad: "one of positive, negative"},
		{name: "left care after 18", src: strings.Replace(base("pending", ""), "placement = \"foster\"", "placement = \"foster\"\nleft_care = 2023-05-01", 1),
			key: "care.left_care", bad: "before the 18th birthday"},
		{name: "course end without start", src: base("pending", "[leaving_care]\nhigher_education_end = 2027-06-30\n"),
			key: "leaving_care.higher_education_end", bad: "only with higher_education_start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCase(strings.NewReader(tc.src), "case.toml", sim.Date{})
			if tc.valid != nil {
				if err != nil {
					t.Fatalf("valid file refused: %v", err)
				}
				tc.valid(t, c)
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want problems", err)
			}
			for _, p := range ps {
				if p.Key == tc.key && strings.Contains(p.Allowed, tc.bad) {
					return
				}
			}
			t.Errorf("no problem at %s saying %q; got:\n%v", tc.key, tc.bad, err)
		})
	}
}
