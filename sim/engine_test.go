package sim

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// newCase builds a case for the engine tests; status decides which dates matter.
func newCase(t *testing.T, dob, nat string, status Status, decision string) Case {
	t.Helper()
	c := Case{ID: "YP-T", DateOfBirth: mustDate(t, dob), Nationality: nat,
		Care:   Care{LookedAfterSince: mustDate(t, dob).Birthday(15), Placement: Foster},
		Asylum: Asylum{ClaimDate: mustDate(t, dob).Birthday(15).AddDays(7), Status: status}}
	if decision != "" {
		c.Asylum.DecisionDate = mustDate(t, decision)
	}
	return c
}

func plan(t *testing.T, c Case, asOf string, extra ...Param) *Plan {
	t.Helper()
	p, err := NewPlan(c, testPolicy(t, extra...), mustDate(t, asOf))
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, p)
	return p
}

// checkPlan asserts what holds for every plan: probabilities sum to exactly
// 1, events are sorted, every path starts with its outcome.
func checkPlan(t *testing.T, p *Plan) {
	t.Helper()
	sum := decimal.Zero
	for _, b := range p.Branches {
		sum = sum.Add(b.Probability)
		if !b.Probability.IsPositive() {
			t.Errorf("path %v has probability %s", b.Path, b.Probability)
		}
		for i := 1; i < len(b.Events); i++ {
			if b.Events[i].Date.Before(b.Events[i-1].Date) {
				t.Errorf("path %v: events out of order: %v before %v", b.Path, b.Events[i-1], b.Events[i])
			}
		}
	}
	if !sum.Equal(one) {
		t.Errorf("path probabilities sum to %s, want 1", sum)
	}
}

func branch(t *testing.T, p *Plan, path ...Outcome) Branch {
	t.Helper()
	for _, b := range p.Branches {
		if len(b.Path) == len(path) {
			same := true
			for i := range path {
				same = same && b.Path[i] == path[i]
			}
			if same {
				return b
			}
		}
	}
	var have []string
	for _, b := range p.Branches {
		have = append(have, pathString(b.Path))
	}
	t.Fatalf("no path %v; have %s", path, strings.Join(have, ", "))
	return Branch{}
}

func pathString(p []Outcome) string {
	s := make([]string, len(p))
	for i, o := range p {
		s[i] = string(o)
	}
	return strings.Join(s, ">")
}

func event(t *testing.T, b Branch, k EventKind) Date {
	t.Helper()
	for _, e := range b.Events {
		if e.Kind == k {
			return e.Date
		}
	}
	t.Fatalf("path %v has no %s event", b.Path, k)
	return Date{}
}

func hasEvent(b Branch, k EventKind) bool {
	for _, e := range b.Events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestLeaveLengths(t *testing.T) {
	// The deadline for an in-time application is the day leave ends; the
	// window opens 28 days before; the solicitor is instructed 3 months
	// before (domain.md §9).
	for _, tc := range []struct {
		name, dob, decision, asOf  string
		status                     Status
		expires, instruct, applyOn string
	}{
		// 30 months from 31 Aug 2022 clamps to 28 Feb 2025; 17½ is later (15 Jul 2027).
		// 28 Feb 2025 − 28 days = 31 Jan 2025; − 3 months = 28 Nov 2024.
		{"uasc leave 30 months, clamped", "2010-01-15", "2022-08-31", "2023-01-01", StatusUASCLeave, "2025-02-28", "2024-11-28", "2025-01-31"},
		// 30 months from 1 Jun 2024 is 1 Dec 2026, but 17½ comes first: 10 Sep 2025.
		{"uasc leave to 17½", "2008-03-10", "2024-06-01", "2025-01-01", StatusUASCLeave, "2025-09-10", "2025-06-10", "2025-08-13"},
		// Refugee status: five years; the settlement window opens 22 Apr 2029.
		{"refugee status five years", "2006-07-14", "2024-05-20", "2025-06-01", StatusRefugee, "2029-05-20", "2029-02-20", "2029-04-22"},
		// HP granted on a leap day: five years on is 28 Feb 2029.
		{"humanitarian protection five years from 29 Feb", "2006-07-14", "2024-02-29", "2025-06-01", StatusHumanitarianProtection, "2029-02-28", "2028-11-28", "2029-01-31"},
		// 2011: discretionary leave of 3 years (36 months), not 30.
		{"2011 decision: 36 months", "2000-06-15", "2011-03-01", "2011-06-01", StatusUASCLeave, "2014-03-01", "2013-12-01", "2014-02-01"},
		// 2014: 30 months.
		{"2014 decision: 30 months", "2003-06-15", "2014-03-01", "2014-06-01", StatusUASCLeave, "2016-09-01", "2016-06-01", "2016-08-04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, newCase(t, tc.dob, "XXX", tc.status, tc.decision), tc.asOf)
			b := p.Branches[0]
			if got := b.LeaveExpires.String(); got != tc.expires {
				t.Errorf("leave expires %s, want %s", got, tc.expires)
			}
			if got := event(t, b, EventLeaveExpires).String(); got != tc.expires {
				t.Errorf("leave_expires event %s, want %s", got, tc.expires)
			}
			if got := event(t, b, EventApplyToExtendBy).String(); got != tc.expires {
				t.Errorf("apply_to_extend_by %s, want the expiry %s", got, tc.expires)
			}
			if got := event(t, b, EventInstructSolicitorBy).String(); got != tc.instruct {
				t.Errorf("instruct_solicitor_by %s, want %s", got, tc.instruct)
			}
			if got := event(t, b, EventApplyFrom).String(); got != tc.applyOn {
				t.Errorf("apply_from %s, want %s", got, tc.applyOn)
			}
			if tc.status != StatusUASCLeave {
				if got := event(t, b, EventSettlementEligible).String(); got != tc.expires {
					t.Errorf("settlement_eligible %s, want %s", got, tc.expires)
				}
			}
		})
	}
}

func TestSeventeenAndAHalfRule(t *testing.T) {
	probs := &Probabilities{RefugeeStatus: dec("0.55"), HumanitarianProtection: dec("0.05"), UASCLeave: dec("0.25"), Refused: dec("0.15")}
	for _, tc := range []struct {
		name, decision       string
		wantUASC, wantRefuse string
	}{
		// Born 10 Mar 2008: 17½ on 10 Sep 2025.
		{"day before 17½: UASC leave possible", "2025-09-09", "0.25", "0.15"},
		{"on the day of 17½: its share moves to refusal", "2025-09-10", "0", "0.40"},
		{"after 17½", "2026-01-05", "0", "0.40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, "2008-03-10", "XXX", Pending, "")
			c.Asylum.ExpectedDecision = mustDate(t, tc.decision)
			c.Asylum.Probabilities = probs
			p := plan(t, c, "2025-06-01")
			first := map[Outcome]decimal.Decimal{}
			for _, b := range p.Branches {
				first[b.Path[0]] = first[b.Path[0]].Add(b.Probability)
			}
			if !first[UASCLeave].Equal(dec(tc.wantUASC)) || !first[Refused].Equal(dec(tc.wantRefuse)) {
				t.Errorf("P(uasc_leave) = %s, P(refused) = %s; want %s, %s", first[UASCLeave], first[Refused], tc.wantUASC, tc.wantRefuse)
			}
			if !first[RefugeeStatus].Equal(dec("0.55")) || !first[HumanitarianProtection].Equal(dec("0.05")) {
				t.Errorf("grants changed: %s, %s", first[RefugeeStatus], first[HumanitarianProtection])
			}
		})
	}
}

func TestAppealWindowAndARE(t *testing.T) {
	// Refused 25 May 2025: 14 days to appeal, to 8 Jun 2025. The appeal is
	// decided 50 weeks later (the 2025 median): 24 May 2026. Dismissed, the
	// 14-day window for the Upper Tribunal ends 7 Jun 2026: appeal rights
	// exhausted. Born 2 Nov 2007, the young person is an adult by then.
	c := newCase(t, "2007-11-02", "XXX", StatusRefused, "2025-05-25")
	p := plan(t, c, "2025-06-01")
	allowed := branch(t, p, Refused, AppealAllowed, RefugeeStatus, Settled)
	if got := event(t, allowed, EventAppealDeadline).String(); got != "2025-06-08" {
		t.Errorf("appeal deadline %s, want 2025-06-08", got)
	}
	if got := event(t, allowed, EventAppealDecision).String(); got != "2026-05-24" {
		t.Errorf("appeal decided %s, want 2026-05-24", got)
	}
	if !allowed.Probability.Equal(dec("0.39")) {
		t.Errorf("P(allowed) = %s, want 0.39", allowed.Probability)
	}
	// Allowed on 24 May 2026: five years' leave to 24 May 2031.
	if got := allowed.LeaveExpires.String(); got != "2031-05-24" {
		t.Errorf("leave after a successful appeal expires %s, want 2031-05-24", got)
	}
	stay := branch(t, p, Refused, AppealDismissed, NoLeave)
	if got := event(t, stay, EventAppealRightsExhausted).String(); got != "2026-06-07" {
		t.Errorf("ARE %s, want 2026-06-07", got)
	}
	// Human rights assessment at ARE; support ends 12 weeks later: 30 Aug 2026.
	if got := event(t, stay, EventHumanRights).String(); got != "2026-06-07" {
		t.Errorf("human rights assessment %s, want 2026-06-07", got)
	}
	if got := event(t, stay, EventSupportEnds).String(); got != "2026-08-30" {
		t.Errorf("support ends %s, want 2026-08-30", got)
	}
	// 0.61 dismissed × 0.6 staying without leave.
	if !stay.Probability.Equal(dec("0.366")) {
		t.Errorf("P(no leave) = %s, want 0.366", stay.Probability)
	}
	ret := branch(t, p, Refused, AppealDismissed, VoluntaryReturn)
	if hasEvent(ret, EventSupportEnds) {
		t.Error("support cut on the voluntary return path")
	}
	if got := event(t, ret, EventAVRDeparture).String(); got != "2026-09-07" {
		t.Errorf("departure %s, want 2026-09-07 (3 months after ARE)", got)
	}
	if hasEvent(ret, EventTurns21) {
		t.Error("age milestones after departure are kept")
	}
	// The fresh claim lodged 3 months after ARE (7 Sep 2026) comes after the
	// support ends (30 Aug 2026): cut, then restored while it is
	// considered. Rejected 26 weeks later (8 Mar 2027), with no appeal:
	// another assessment, and support ends 12 weeks on (31 May 2027).
	fresh := branch(t, p, Refused, AppealDismissed, FreshClaim, FreshClaimRejected, NoLeave)
	want := []string{"2022-11-09 asylum_seeker false", "2026-06-07 no_leave false", "2026-08-30 no_leave true",
		"2026-09-07 asylum_seeker false", "2027-03-08 no_leave false", "2027-05-31 no_leave true"}
	var got []string
	for _, pd := range fresh.Periods {
		got = append(got, fmt.Sprintf("%s %s %t", pd.From, pd.Standing, pd.SupportCut))
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("fresh claim path periods\n got %s\nwant %s", strings.Join(got, "; "), strings.Join(want, "; "))
	}
	// 0.61 dismissed × 0.3 fresh claim × 0.7 rejected × (0.6 + 0.3): no
	// second fresh claim, so its share stays without leave.
	if !fresh.Probability.Equal(dec("0.11529")) {
		t.Errorf("P(rejected fresh claim, no leave) = %s, want 0.11529", fresh.Probability)
	}
	for _, b := range p.Branches {
		n := 0
		for _, o := range b.Path {
			if o == FreshClaim {
				n++
			}
		}
		if n > 1 {
			t.Errorf("path %s has %d fresh claims", pathString(b.Path), n)
		}
	}
}

func TestScheduleThree(t *testing.T) {
	t.Run("adult ARE: assessment now, support ends after 12 weeks", func(t *testing.T) {
		// ARE on 10 Feb 2025, before the review on 1 Jun 2025: the assessment
		// is due now, and support can end no sooner than 12 weeks later, 24 Aug 2025.
		p := plan(t, newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10"), "2025-06-01")
		stay := branch(t, p, AppealRightsExhausted, NoLeave)
		if got := event(t, stay, EventHumanRights).String(); got != "2025-06-01" {
			t.Errorf("human rights assessment %s, want 2025-06-01", got)
		}
		if got := event(t, stay, EventSupportEnds).String(); got != "2025-08-24" {
			t.Errorf("support ends %s, want 2025-08-24", got)
		}
		if cut := stay.Periods[len(stay.Periods)-1]; !cut.SupportCut || cut.From.String() != "2025-08-24" {
			t.Errorf("last period %+v, want support cut from 2025-08-24", cut)
		}
	})
	t.Run("support must continue", func(t *testing.T) {
		c := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
		c.Schedule3 = &Schedule3{SupportContinues: true, Reason: "fresh claim lodged 2025-05-02"}
		p := plan(t, c, "2025-06-01")
		for _, b := range p.Branches {
			if hasEvent(b, EventSupportEnds) {
				t.Errorf("path %v: support ends although it must continue", b.Path)
			}
			for _, pd := range b.Periods {
				if pd.SupportCut {
					t.Errorf("path %v: a period with support cut", b.Path)
				}
			}
		}
		stay := branch(t, p, AppealRightsExhausted, NoLeave)
		if !strings.Contains(allText(stay), "fresh claim lodged 2025-05-02") {
			t.Error("the reason support continues is not shown")
		}
	})
	t.Run("under 18: never cut before 18", func(t *testing.T) {
		// Born 10 Mar 2008, ARE on 1 Jun 2025 at 17: the assessment falls on
		// the 18th birthday, 10 Mar 2026; support ends 12 weeks later, 2 Jun 2026.
		p := plan(t, newCase(t, "2008-03-10", "XXX", StatusARE, "2025-06-01"), "2025-06-01")
		stay := branch(t, p, AppealRightsExhausted, NoLeave)
		if got := event(t, stay, EventHumanRights).String(); got != "2026-03-10" {
			t.Errorf("human rights assessment %s, want 2026-03-10", got)
		}
		if got := event(t, stay, EventSupportEnds).String(); got != "2026-06-02" {
			t.Errorf("support ends %s, want 2026-06-02", got)
		}
	})
}

func allText(b Branch) string {
	var s []string
	for _, e := range b.Events {
		s = append(s, e.Text)
	}
	return strings.Join(s, "\n")
}

func TestPlanningPerspectives(t *testing.T) {
	pending := newCase(t, "2008-03-10", "XXX", Pending, "")
	pending.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	syr := newCase(t, "2008-03-10", "SYR", Pending, "")
	syr.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	for _, tc := range []struct {
		name          string
		c             Case
		asOf          string
		planning      string
		perspectives  string
		contingencies string
	}{
		{"pending, both ways likely: triple", pending, "2025-06-01", "triple", "transitional long_term return", ""},
		{"uasc leave: triple", newCase(t, "2008-03-10", "XXX", StatusUASCLeave, "2024-06-01"), "2025-06-01", "triple", "transitional long_term return", ""},
		// Even where first decisions are nearly all grants, UASC leave follows
		// a refusal: the extension is uncertain.
		{"uasc leave, Syria: still triple", newCase(t, "2008-03-10", "SYR", StatusUASCLeave, "2024-06-01"), "2025-06-01", "triple", "transitional long_term return", ""},
		{"refugee status: single, long-term", newCase(t, "2006-07-14", "XXX", StatusRefugee, "2024-05-20"), "2025-06-01", "single", "long_term", ""},
		{"humanitarian protection: single, long-term", newCase(t, "2006-07-14", "XXX", StatusHumanitarianProtection, "2024-05-20"), "2025-06-01", "single", "long_term", ""},
		{"settled: single", newCase(t, "2003-01-15", "XXX", StatusSettled, "2024-08-01"), "2025-06-01", "single", "long_term", ""},
		// A fresh claim (0.3), accepted (0.3), then granted (0.56, or refused
		// and allowed on appeal, 0.44 × 0.39): 0.09 × 0.7316 = 0.065844, a
		// long-term contingency.
		{"appeal rights exhausted: return with transitional support", newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10"), "2025-06-01", "dual", "transitional return", "long_term"},
		// Syria: 0.96 + 0.02 granted; return needs a refusal (0.01 + 0.01
		// moved from UASC leave after 17½ on the extension path) then a
		// dismissed appeal: well under 10%, so a contingency.
		{"pending, grant near certain: dual, return as contingency", syr, "2025-06-01", "dual", "transitional long_term", "return"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, tc.c, tc.asOf)
			if p.Planning != tc.planning || joinP(p.Perspectives) != tc.perspectives || joinP(p.Contingencies) != tc.contingencies {
				t.Errorf("planning %s [%s] contingencies [%s]; want %s [%s] [%s]\nreason: %s",
					p.Planning, joinP(p.Perspectives), joinP(p.Contingencies), tc.planning, tc.perspectives, tc.contingencies, p.Reason)
			}
		})
	}
}

func joinP(ps []Perspective) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, " ")
}

func TestPolicyChangesWithDate(t *testing.T) {
	// The same refusal in 2014 and in 2025: the appeal takes the median in
	// force when it is lodged, 44 weeks (carried back) or 50 weeks (2025).
	for _, tc := range []struct {
		name, dob, refused, asOf, deadline, decided string
	}{
		// 2 Jun 2014 + 14 days = 16 Jun 2014; + 308 days = 20 Apr 2015.
		{"2014 case", "1997-09-01", "2014-06-02", "2014-06-05", "2014-06-16", "2015-04-20"},
		// 25 May 2025 + 14 days = 8 Jun 2025; + 350 days = 24 May 2026.
		{"2025 case", "2007-11-02", "2025-05-25", "2025-06-01", "2025-06-08", "2026-05-24"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, newCase(t, tc.dob, "XXX", StatusRefused, tc.refused), tc.asOf)
			b := branch(t, p, Refused, AppealAllowed, RefugeeStatus, Settled)
			if got := event(t, b, EventAppealDeadline).String(); got != tc.deadline {
				t.Errorf("appeal deadline %s, want %s", got, tc.deadline)
			}
			if got := event(t, b, EventAppealDecision).String(); got != tc.decided {
				t.Errorf("appeal decided %s, want %s", got, tc.decided)
			}
		})
	}
}

func TestTraffickedProtection(t *testing.T) {
	c := newCase(t, "2009-12-01", "VNM", Pending, "")
	c.Trafficked = true
	c.Care.LookedAfterSince = mustDate(t, "2025-04-20")
	c.Asylum.ClaimDate = mustDate(t, "2025-04-25")
	p := plan(t, c, "2025-06-01")
	var paras []string
	supervision := ""
	for _, a := range p.Protection {
		for _, r := range a.Sources {
			paras = append(paras, r.String())
		}
		if strings.Contains(a.Text, "24-hour supervision") {
			supervision = a.By.String()
		}
	}
	for _, want := range []string{"para 39", "para 42", "para 43", "para 45"} {
		if !strings.Contains(strings.Join(paras, ","), want) {
			t.Errorf("no protection step from %s", want)
		}
	}
	// 20 Apr 2025 + 12 weeks = 13 Jul 2025.
	if supervision != "2025-07-13" {
		t.Errorf("supervision runs to %q, want 2025-07-13", supervision)
	}
	if len(plan(t, newCase(t, "2009-12-01", "VNM", Pending, ""), "2025-06-01").Protection) != 0 {
		t.Error("protection steps for a child not trafficked")
	}
}

func TestDeterministic(t *testing.T) {
	c := newCase(t, "2008-03-10", "AFG", Pending, "")
	a := plan(t, c, "2025-06-01")
	b := plan(t, c, "2025-06-01")
	if len(a.Branches) != len(b.Branches) || a.Reason != b.Reason {
		t.Fatal("two runs differ")
	}
	for i := range a.Branches {
		if pathString(a.Branches[i].Path) != pathString(b.Branches[i].Path) || allText(a.Branches[i]) != allText(b.Branches[i]) {
			t.Fatalf("branch %d differs", i)
		}
	}
}

func TestExtensionAfterUASCLeave(t *testing.T) {
	// The extension decision grants with the policy's 0.5, split as the
	// default prior splits protection (0.54 : 0.02): refugee status
	// 0.5 × 0.54 / 0.56 = 0.482142857… → 0.482143, HP the rest, 0.017857.
	p := plan(t, newCase(t, "2008-03-10", "XXX", StatusUASCLeave, "2024-06-01"), "2025-06-01")
	for _, tc := range []struct {
		path []Outcome
		want string
	}{
		{[]Outcome{UASCLeave, RefugeeStatus, Settled}, "0.482143"},
		{[]Outcome{UASCLeave, HumanitarianProtection, Settled}, "0.017857"},
		{[]Outcome{UASCLeave, Refused, AppealAllowed, RefugeeStatus, Settled}, "0.195"}, // 0.5 × 0.39
	} {
		if got := branch(t, p, tc.path...).Probability; !got.Equal(dec(tc.want)) {
			t.Errorf("P(%s) = %s, want %s", pathString(tc.path), got, tc.want)
		}
	}
}

func TestShortProtectionLeaveIsExtendedFirst(t *testing.T) {
	// HP decided on 10 Jan 2023 on a claim lodged on 1 Jul 2022 (after 28
	// Jun 2022): temporary humanitarian permission, 30 months, to 10 Jul
	// 2025, before five years' leave (10 Jan 2028). The application from
	// 12 Jun 2025 is for further permission; it is decided 26 weeks later,
	// 11 Dec 2025, with 60 months' leave by then's rules (to 11 Dec 2030),
	// and settlement counts from the first grant: 10 Jan 2028.
	c := newCase(t, "2006-07-14", "XXX", StatusHumanitarianProtection, "2023-01-10")
	c.Asylum.ClaimDate = mustDate(t, "2022-07-01")
	p := plan(t, c, "2025-01-01")
	b := branch(t, p, HumanitarianProtection, HumanitarianProtection, Settled)
	if b.LeaveExpires.String() != "2025-07-10" {
		t.Errorf("first leave expires %s, want 2025-07-10", b.LeaveExpires)
	}
	if got := event(t, b, EventApplyFrom).String(); got != "2025-06-12" {
		t.Errorf("apply for further permission from %s, want 2025-06-12", got)
	}
	if got := event(t, b, EventSettlementEligible).String(); got != "2028-01-10" {
		t.Errorf("settlement eligible %s, want 2028-01-10", got)
	}
	if !strings.Contains(allText(b), "further permission granted on the protection route") {
		t.Error("no further-permission decision on the path")
	}
	// 0.9: the renewal refusal chance is 0.1 in the test policy.
	if !b.Probability.Equal(dec("0.9")) {
		t.Errorf("P = %s, want 0.9", b.Probability)
	}
	var apply Action
	for _, a := range p.Actions {
		if a.Kind == ActApplyInTime && a.By.String() == "2025-07-10" {
			apply = a
		}
	}
	if !strings.Contains(apply.Text, "further permission on the protection route") || strings.Contains(apply.Text, "settlement") {
		t.Errorf("the first application reads %q, want further permission, not settlement", apply.Text)
	}
	// Not the five-year security of para 59: a renewal refusal of 10% (the
	// threshold) adds a transitional plan, and the return exposure 0.1
	// reaches it too.
	if p.Planning != "triple" || p.Perspectives[0] != Transitional {
		t.Errorf("planning %s %v, want triple starting transitional", p.Planning, p.Perspectives)
	}
}
