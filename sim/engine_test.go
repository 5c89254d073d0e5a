package sim

import (
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
	for _, tc := range []struct {
		name, dob, decision, asOf string
		status                    Status
		expires, applyBy          string
	}{
		// 30 months from 31 Aug 2022 clamps to 28 Feb 2025; 17½ is later (15 Jul 2027).
		{"uasc leave 30 months, clamped", "2010-01-15", "2022-08-31", "2023-01-01", StatusUASCLeave, "2025-02-28", "2024-11-28"},
		// 30 months from 1 Jun 2024 is 1 Dec 2026, but 17½ comes first: 10 Sep 2025.
		{"uasc leave to 17½", "2008-03-10", "2024-06-01", "2025-01-01", StatusUASCLeave, "2025-09-10", "2025-06-10"},
		// Refugee status: five years; apply for settlement three months before.
		{"refugee status five years", "2006-07-14", "2024-05-20", "2025-06-01", StatusRefugee, "2029-05-20", "2029-02-20"},
		// HP granted on a leap day: five years on is 28 Feb 2029.
		{"humanitarian protection five years from 29 Feb", "2006-07-14", "2024-02-29", "2025-06-01", StatusHumanitarianProtection, "2029-02-28", "2028-11-28"},
		// 2011: discretionary leave of 3 years (36 months), not 30.
		{"2011 decision: 36 months", "2000-06-15", "2011-03-01", "2011-06-01", StatusUASCLeave, "2014-03-01", "2013-12-01"},
		// 2014: 30 months.
		{"2014 decision: 30 months", "2003-06-15", "2014-03-01", "2014-06-01", StatusUASCLeave, "2016-09-01", "2016-06-01"},
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
			if got := event(t, b, EventApplyToExtendBy).String(); got != tc.applyBy {
				t.Errorf("apply_to_extend_by %s, want %s", got, tc.applyBy)
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
	allowed := branch(t, p, Refused, AppealAllowed, Settled)
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
	// support ends (30 Aug 2026): cut, then restored.
	fresh := branch(t, p, Refused, AppealDismissed, FreshClaim)
	if got := event(t, fresh, EventSupportEnds).String(); got != "2026-08-30" {
		t.Errorf("fresh claim path: support ends %s, want 2026-08-30", got)
	}
	if last := fresh.Periods[len(fresh.Periods)-1]; last.Standing != AsylumSeeker || last.SupportCut || last.From.String() != "2026-09-07" {
		t.Errorf("fresh claim path ends %+v, want asylum seeker with support from 2026-09-07", last)
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
		{"appeal rights exhausted: return with transitional support", newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10"), "2025-06-01", "dual", "transitional return", ""},
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
			b := branch(t, p, Refused, AppealAllowed, Settled)
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
		paras = append(paras, a.Source)
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
		{[]Outcome{UASCLeave, Refused, AppealAllowed, Settled}, "0.195"}, // 0.5 × 0.39
	} {
		if got := branch(t, p, tc.path...).Probability; !got.Equal(dec(tc.want)) {
			t.Errorf("P(%s) = %s, want %s", pathString(tc.path), got, tc.want)
		}
	}
}

func TestShortProtectionLeaveIsExtendedFirst(t *testing.T) {
	// HP decided on 10 Jan 2023 gave 30 months (temporary humanitarian
	// permission): it expires 30 months later, on 10 Jul 2025, before
	// five years' leave (10 Jan 2028). So the application three months
	// before expiry (10 Apr 2025) is for further leave; it is decided 26
	// weeks later, 9 Oct 2025, with 60 months' leave by then's rules, and
	// settlement follows from 10 Jan 2028.
	p := plan(t, newCase(t, "2006-07-14", "XXX", StatusHumanitarianProtection, "2023-01-10"), "2025-01-01",
		Param{Key: "leave.humanitarian_protection_months", From: mustDate(t, "2000-01-01"), To: mustDate(t, "2023-07-16"), Value: dec("30"), Unit: Months, Source: "test"},
		Param{Key: "leave.humanitarian_protection_months", From: mustDate(t, "2023-07-17"), Value: dec("60"), Unit: Months, Source: "test"})
	b := branch(t, p, HumanitarianProtection, HumanitarianProtection, Settled)
	if b.LeaveExpires.String() != "2025-07-10" {
		t.Errorf("first leave expires %s, want 2025-07-10", b.LeaveExpires)
	}
	if got := event(t, b, EventApplyToExtendBy).String(); got != "2025-04-10" {
		t.Errorf("apply for further leave by %s, want 2025-04-10", got)
	}
	if got := event(t, b, EventSettlementEligible).String(); got != "2028-01-10" {
		t.Errorf("settlement eligible %s, want 2028-01-10", got)
	}
	if !strings.Contains(allText(b), "further leave granted") {
		t.Error("no further-leave decision on the path")
	}
	if p.Planning != "single" {
		t.Errorf("planning %s, want single", p.Planning)
	}
}
