package sim

import (
	"strconv"
	"strings"
	"testing"
)

// Tests of the corrected rules of domain.md §9, one for each fault the
// rules issue lists. Expected dates and amounts are worked out by hand in
// the comments.

func action(t *testing.T, p *Plan, kind ActionKind) Action {
	t.Helper()
	for _, a := range p.Actions {
		if a.Kind == kind {
			return a
		}
	}
	var have []string
	for _, a := range p.Actions {
		have = append(have, string(a.Kind))
	}
	t.Fatalf("no %s action; have %s", kind, strings.Join(have, ", "))
	return Action{}
}

func hasAction(p *Plan, kind ActionKind) bool {
	for _, a := range p.Actions {
		if a.Kind == kind {
			return true
		}
	}
	return false
}

func param(t *testing.T, key, from, to, value string) Param {
	t.Helper()
	p := Param{Key: key, From: mustDate(t, from), Value: dec(value), Unit: Keys[key].Unit, Source: "test"}
	if to != "" {
		p.To = mustDate(t, to)
	}
	return p
}

// Fault 1: the deadline is the day leave ends; the window opens 28 days
// before; "overdue" wording only after expiry.
func TestApplicationDeadlines(t *testing.T) {
	// Born 30 Sep 2008: 17½ on 30 Mar 2026. UASC leave granted 15 Feb 2024
	// runs to the earlier of 15 Aug 2026 and 17½: 30 Mar 2026. The window
	// opens 28 days before, 2 Mar 2026; the solicitor by 30 Dec 2025.
	c := newCase(t, "2008-09-30", "XXX", StatusUASCLeave, "2024-02-15")

	p := plan(t, c, "2026-02-01")
	a := action(t, p, ActApplyInTime)
	if a.From.String() != "2026-03-02" || a.By.String() != "2026-03-30" {
		t.Errorf("apply from %s by %s, want 2026-03-02 to 2026-03-30", a.From, a.By)
	}
	if !strings.Contains(a.Text, "between 2 Mar 2026 and 30 Mar 2026") || strings.Contains(a.Text, "check") {
		t.Errorf("before expiry the action reads %q", a.Text)
	}
	for _, a := range p.Actions {
		if a.Kind == ActInstructSolicitor && a.By.Before(p.AsOf) {
			t.Errorf("instruct-solicitor action by %s shown after its date", a.By)
		}
	}
	if hasEvent(p.Branches[0], EventLateApplicationWarning) {
		t.Error("late-application warning before leave has ended")
	}

	early := plan(t, c, "2025-12-01")
	if got := action(t, early, ActInstructSolicitor).By.String(); got != "2025-12-30" {
		t.Errorf("instruct the solicitor by %s, want 2025-12-30", got)
	}

	late := plan(t, c, "2026-04-15")
	a = action(t, late, ActApplyInTime)
	if !strings.HasPrefix(a.Text, "check that the application to extend UASC leave was made by 30 Mar 2026") ||
		!strings.Contains(a.Text, "no section 3C leave") || !strings.Contains(a.Text, "within 14 days") {
		t.Errorf("after expiry the action reads %q", a.Text)
	}
	if got := event(t, late.Branches[0], EventLateApplicationWarning).String(); got != "2026-03-31" {
		t.Errorf("late-application warning on %s, want the day after expiry, 2026-03-31", got)
	}
}

// Fault 2: 30-month protection leave by claim date and group; 30-month
// holders apply for further permission (TestShortProtectionLeaveIsExtendedFirst).
func TestProtectionLeaveByClaimDate(t *testing.T) {
	for _, tc := range []struct {
		name             string
		status           Status
		claim, decision  string
		group            int
		expires, planned string
	}{
		// Claim from 28 Jun 2022, granted before 17 Jul 2023: 30 months.
		{"temporary humanitarian permission", StatusHumanitarianProtection, "2022-07-01", "2023-01-10", 0, "2025-07-10", ""},
		// The same decision on a claim lodged before 28 Jun 2022: five years.
		{"HP, claim before 28 Jun 2022", StatusHumanitarianProtection, "2022-05-01", "2023-01-10", 0, "2028-01-10", "single"},
		// A grant from 17 Jul 2023: five years again.
		{"HP granted after 16 Jul 2023", StatusHumanitarianProtection, "2022-07-01", "2023-08-01", 0, "2028-08-01", "single"},
		// Group 2 refugees got 30 months' temporary refugee permission.
		{"Group 2 refugee", StatusRefugee, "2022-07-01", "2023-01-10", 2, "2025-07-10", ""},
		{"Group 1 refugee", StatusRefugee, "2022-07-01", "2023-01-10", 1, "2028-01-10", "single"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, "2005-06-01", "XXX", tc.status, tc.decision)
			c.Asylum.ClaimDate = mustDate(t, tc.claim)
			c.Asylum.Group = tc.group
			p := plan(t, c, "2023-09-01")
			if got := p.Branches[0].LeaveExpires.String(); got != tc.expires {
				t.Errorf("leave expires %s, want %s", got, tc.expires)
			}
			if tc.planned != "" && p.Planning != tc.planned {
				t.Errorf("planning %s, want %s", p.Planning, tc.planned)
			}
		})
	}
}

func TestCoreProtectionScenario(t *testing.T) {
	// Core protection from 1 Apr 2027 (an assumed start): a first grant on
	// 1 Jun 2027 gives 30 months, to 1 Dec 2029, renewed, with settlement
	// only after 240 months: none before the plan ends at 25.
	inForce := []Param{param(t, "core_protection.in_force", "2000-01-01", "2027-03-31", "0"), param(t, "core_protection.in_force", "2027-04-01", "", "1")}
	c := newCase(t, "2010-01-15", "XXX", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2027-06-01")
	p := plan(t, c, "2026-01-01", inForce...)
	// Renewals decided 4 May 2030 (to 4 Nov 2032) and 5 May 2033 (to 5 Nov
	// 2035), past the 25th birthday on 15 Jan 2035.
	b := branch(t, p, RefugeeStatus, RefugeeStatus, RefugeeStatus)
	if got := b.LeaveExpires.String(); got != "2029-12-01" {
		t.Errorf("core protection leave expires %s, want 2029-12-01", got)
	}
	for _, br := range p.Branches {
		if br.Path[0] == RefugeeStatus && (len(br.Path) < 2 || br.Path[1] == Settled) {
			t.Errorf("path %s settles under core protection", pathString(br.Path))
		}
	}

	// An earlier grant: five years from 1 Jan 2025, to 1 Jan 2030. Core
	// protection not applying to existing grants, it settles; applying, it
	// is renewed for 30 months instead.
	old := newCase(t, "2007-01-15", "XXX", StatusRefugee, "2025-01-01")
	branch(t, plan(t, old, "2026-01-01", inForce...), RefugeeStatus, Settled)
	existing := append(inForce, param(t, "core_protection.applies_to_existing", "2000-01-01", "", "1"))
	renewed := branch(t, plan(t, old, "2026-01-01", existing...), RefugeeStatus, RefugeeStatus)
	if !strings.Contains(allText(renewed), "for further permission on the protection route") {
		t.Errorf("existing grant under core protection: no further-permission application:\n%s", allText(renewed))
	}
}

// Fault 3: a grant of UASC leave or HP refuses asylum and can be appealed.
func TestAppealAfterGrant(t *testing.T) {
	upgrade := param(t, "appeal.upgrade_allowed_probability", "2000-01-01", "", "0.05")

	// HP granted 25 May 2025: appeal by 8 Jun 2025, heard 50 weeks later,
	// 24 May 2026. Allowed (0.05): refugee status, leave to 24 May 2031;
	// settlement counts from the HP grant, so eligible from 25 May 2030.
	hp := newCase(t, "2006-07-14", "XXX", StatusHumanitarianProtection, "2025-05-25")
	p := plan(t, hp, "2025-06-01", upgrade)
	up := branch(t, p, HumanitarianProtection, AppealAllowed, RefugeeStatus)
	if !up.Probability.Equal(dec("0.05")) {
		t.Errorf("P(upgrade allowed) = %s, want 0.05", up.Probability)
	}
	if got := event(t, up, EventAppealDeadline).String(); got != "2025-06-08" {
		t.Errorf("appeal deadline %s, want 2025-06-08", got)
	}
	if got := event(t, up, EventAppealDecision).String(); got != "2026-05-24" {
		t.Errorf("appeal decided %s, want 2026-05-24", got)
	}
	if got := event(t, up, EventSettlementEligible).String(); got != "2030-05-25" {
		t.Errorf("settlement eligible %s, want 2030-05-25 (five years from the HP grant)", got)
	}
	if a := action(t, p, ActAppeal); a.By.String() != "2025-06-08" || !a.Chance.Equal(one) || !strings.Contains(a.Text, "14 days") {
		t.Errorf("appeal action %+v, want by 2025-06-08, certain, within 14 days", a)
	}
	branch(t, p, HumanitarianProtection, Settled)

	// UASC leave granted 25 May 2025 to a child born 1 Mar 2009 (17½ on 1
	// Sep 2026): the appeal allowed on 24 May 2026 gives refugee status;
	// its five years count from then.
	u := newCase(t, "2009-03-01", "XXX", StatusUASCLeave, "2025-05-25")
	up = branch(t, plan(t, u, "2025-06-01", upgrade), UASCLeave, AppealAllowed, RefugeeStatus, Settled)
	if up.LeaveExpires.String() != "2026-09-01" {
		t.Errorf("first grant expires %s, want 2026-09-01 (17½)", up.LeaveExpires)
	}
	if got := event(t, up, EventSettlementEligible).String(); got != "2031-05-24" {
		t.Errorf("settlement eligible %s, want 2031-05-24", got)
	}

	// Once the window has closed, no appeal branch.
	for _, b := range plan(t, hp, "2025-07-01", upgrade).Branches {
		if len(b.Path) > 1 && b.Path[1] == AppealAllowed {
			t.Errorf("appeal branch %s after the window closed", pathString(b.Path))
		}
	}
}

// Fault 4: an extension decided before 17½ gives UASC leave again.
func TestFurtherUASCLeaveBefore17Half(t *testing.T) {
	// Born 15 Jan 2010 (17½ on 15 Jul 2027). UASC leave from 1 Jun 2024 to
	// 1 Dec 2026; applied for from 3 Nov 2026, decided 26 weeks later on 4
	// May 2027, before 17½: refugee status 0.5 × 0.54/0.56, HP the rest of
	// 0.5, and UASC leave again 0.5, to 17½. The next application, from 17
	// Jun 2027, is decided on 16 Dec 2027, after 17½.
	c := newCase(t, "2010-01-15", "XXX", StatusUASCLeave, "2024-06-01")
	p := plan(t, c, "2024-07-01")
	again := branch(t, p, UASCLeave, UASCLeave, RefugeeStatus, Settled)
	if !again.Probability.Equal(dec("0.2410715")) {
		t.Errorf("P = %s, want 0.5 × 0.482143 = 0.2410715", again.Probability)
	}
	want := []string{"uasc_leave 2024-06-01 14", "uasc_leave 2027-05-04 17", "refugee_status 2027-12-16 17"}
	for i, w := range want {
		st := again.Steps[i]
		if got := string(st.Outcome) + " " + st.Date.String() + " " + strconv.Itoa(st.Age); got != w {
			t.Errorf("step %d = %s, want %s", i, got, w)
		}
	}
	for _, b := range p.Branches {
		if b.Path[1] == Refused {
			t.Errorf("path %s: refused at the first extension, before 17½", pathString(b.Path))
		}
		if !b.Departure.IsZero() && c.DateOfBirth.AgeOn(b.Departure) < 17 {
			t.Errorf("path %s: a return at %d", pathString(b.Path), c.DateOfBirth.AgeOn(b.Departure))
		}
	}
}

// Fault 5: a trafficked child's National Referral Mechanism steps.
func TestNationalReferralMechanism(t *testing.T) {
	c := newCase(t, "2009-12-01", "VNM", Pending, "")
	c.Trafficked = true
	c.Care.LookedAfterSince = mustDate(t, "2025-04-20")
	c.Asylum.ClaimDate = mustDate(t, "2025-04-25")

	// No referral recorded on Sunday 1 Jun 2025: refer now; reasonable
	// grounds 5 working days on, Friday 6 Jun; conclusive grounds 49 weeks
	// after that, 15 May 2026 (more than the 30-day minimum).
	p := plan(t, c, "2025-06-01")
	if a := action(t, p, ActNRMReferral); a.By.String() != "2025-06-01" || !a.Chance.Equal(one) {
		t.Errorf("NRM referral action %+v, want by 2025-06-01, certain", a)
	}
	for _, b := range p.Branches {
		if got := event(t, b, EventReasonableGrounds).String(); got != "2025-06-06" {
			t.Errorf("reasonable grounds expected %s, want 2025-06-06", got)
		}
		if got := event(t, b, EventConclusiveGrounds).String(); got != "2026-05-15" {
			t.Errorf("conclusive grounds expected %s, want 2026-05-15", got)
		}
	}
	guardian := false
	for _, a := range p.Protection {
		guardian = guardian || a.Kind == ActTraffickingGuardian
	}
	if !guardian {
		t.Error("no Independent Child Trafficking Guardian step")
	}

	// Referred Friday 2 May, reasonable grounds Friday 9 May: conclusive
	// grounds 49 weeks later, 17 Apr 2026.
	c.Trafficking = Trafficking{NRMReferral: mustDate(t, "2025-05-02"), ReasonableGrounds: mustDate(t, "2025-05-09")}
	p = plan(t, c, "2025-06-01")
	if hasAction(p, ActNRMReferral) {
		t.Error("refer-now action although a referral is recorded")
	}
	if got := event(t, p.Branches[0], EventConclusiveGrounds).String(); got != "2026-04-17" {
		t.Errorf("conclusive grounds expected %s, want 2026-04-17", got)
	}

	// An adult with appeal rights exhausted and a positive conclusive-grounds
	// decision: temporary permission as a victim (0.5), the other outcomes
	// scaled by 0.5. Granted from the as-of date, for 12 months.
	are := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
	are.Trafficked = true
	are.Trafficking = Trafficking{NRMReferral: mustDate(t, "2024-10-01"), ReasonableGrounds: mustDate(t, "2024-10-08"),
		ConclusiveGrounds: mustDate(t, "2025-03-01"), ConclusiveOutcome: ConclusivePositive}
	p = plan(t, are, "2025-06-01")
	v := branch(t, p, AppealRightsExhausted, VictimPermission)
	if !v.Probability.Equal(dec("0.5")) {
		t.Errorf("P(victim permission) = %s, want 0.5", v.Probability)
	}
	if got := event(t, v, EventVictimPermissionEnds).String(); got != "2026-06-01" {
		t.Errorf("victim permission ends %s, want 2026-06-01", got)
	}
	if stay := branch(t, p, AppealRightsExhausted, NoLeave); !stay.Probability.Equal(dec("0.3")) {
		t.Errorf("P(no leave) = %s, want 0.6 × 0.5 = 0.3", stay.Probability)
	}
	if !hasAction(p, ActVictimPermission) {
		t.Error("no action to see temporary permission for victims considered")
	}
	// Awaiting the decision: 0.8 positive × 0.5 granted.
	are.Trafficking.ConclusiveGrounds, are.Trafficking.ConclusiveOutcome = Date{}, ""
	if v := branch(t, plan(t, are, "2025-06-01"), AppealRightsExhausted, VictimPermission); !v.Probability.Equal(dec("0.4")) {
		t.Errorf("P(victim permission) awaiting the decision = %s, want 0.4", v.Probability)
	}
}

// Fault 6: a late arrival is a qualifying young person, not a former
// relevant child.
func TestLateArrivalIsQualifying(t *testing.T) {
	// Born 1 Sep 2007, 18 on 1 Sep 2025; looked after from 1 Jul 2025, nine
	// weeks before 18: fewer than 13, so a qualifying young person at 18.
	late := newCase(t, "2007-09-01", "XXX", Pending, "")
	late.Care.LookedAfterSince = mustDate(t, "2025-07-01")
	late.Asylum.ClaimDate = mustDate(t, "2025-07-02")
	late.Asylum.ExpectedDecision = mustDate(t, "2026-01-01")
	p := plan(t, late, "2025-08-01")
	if p.CareStatus != LookedAfter {
		t.Errorf("care status %s, want looked_after", p.CareStatus)
	}
	if a := action(t, p, ActAdviceAssistance); a.By.String() != "2025-09-01" {
		t.Errorf("advice-and-assistance action by %s, want 2025-09-01", a.By)
	}
	if hasAction(p, ActAppointAdviser) {
		t.Error("a personal adviser for a qualifying young person")
	}
	for _, b := range p.Branches {
		for _, f := range b.Funding {
			switch f.Category {
			case CatAdviser, CatAccommodation, CatAllowance, CatSettingUpHome, CatCareLeaverGrant, CatStayingPut:
				t.Errorf("path %s: %s %s %s for a qualifying young person", pathString(b.Path), FinancialYearLabel(f.Year), f.Category, f.Amount)
			}
		}
		if !strings.Contains(allText(b), "turns 18: a qualifying young person") {
			t.Errorf("path %s: the 18th birthday does not say qualifying", pathString(b.Path))
		}
	}
	// 1 Aug–31 Aug 2025 in foster care: 31 days × £700 / 7 = £3,100.
	if got := amount(p.Branches[0], 2025, CatPlacement); got != "3100.00" {
		t.Errorf("placement 2025-26 = %s, want 3100.00", got)
	}

	// Looked after from 1 May 2025: 13 weeks on 31 Jul 2025, before 18, so
	// an eligible child from then, and a former relevant child at 18.
	early := late
	early.Care.LookedAfterSince = mustDate(t, "2025-05-01")
	early.Asylum.ClaimDate = mustDate(t, "2025-05-02")
	p = plan(t, early, "2025-08-01")
	if p.CareStatus != Eligible {
		t.Errorf("care status %s, want eligible", p.CareStatus)
	}
	refused := branch(t, p, Refused, AppealDismissed, NoLeave)
	if amount(refused, 2025, CatAccommodation) == "0.00" {
		t.Error("no accommodation for a former relevant child without benefits")
	}
}

// Fault 7: a fresh claim recorded in the case is decided.
func TestRecordedFreshClaim(t *testing.T) {
	// Appeal rights exhausted 10 Feb 2025; further submissions 2 May 2025,
	// decided 26 weeks later, 31 Oct 2025: accepted 0.3 (then decided as a
	// claim: at 20, refugee status 0.54, HP 0.02, refused 0.44), rejected 0.7
	// (then return 0.1, no leave 0.6 + 0.3, with no second fresh claim).
	c := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
	c.Asylum.FreshClaimDate = mustDate(t, "2025-05-02")
	p := plan(t, c, "2025-06-01")
	for _, tc := range []struct {
		path []Outcome
		want string
	}{
		{[]Outcome{AppealRightsExhausted, FreshClaimAccepted, RefugeeStatus}, "0.162"},
		{[]Outcome{AppealRightsExhausted, FreshClaimRejected, NoLeave}, "0.63"},
		{[]Outcome{AppealRightsExhausted, FreshClaimRejected, VoluntaryReturn}, "0.07"},
	} {
		if got := branch(t, p, tc.path...).Probability; !got.Equal(dec(tc.want)) {
			t.Errorf("P(%s) = %s, want %s", pathString(tc.path), got, tc.want)
		}
	}
	for _, b := range p.Branches {
		for _, o := range b.Path {
			if o == FreshClaim {
				t.Errorf("path %s lodges another fresh claim", pathString(b.Path))
			}
		}
	}
	// The care-leaver grant continues while the claim is considered: from 1
	// Jun 2025 to the rejection, then until support ends 12 weeks after the
	// new assessment (23 Jan 2026): 236 days × £270 / 7 = £9,102.86.
	stay := branch(t, p, AppealRightsExhausted, FreshClaimRejected, NoLeave)
	if got := event(t, stay, EventSupportEnds).String(); got != "2026-01-23" {
		t.Errorf("support ends %s, want 2026-01-23", got)
	}
	if got := amount(stay, 2025, CatCareLeaverGrant); got != "9102.86" {
		t.Errorf("care-leaver grant 2025-26 = %s, want 9102.86", got)
	}
}

// Fault 8: the care-leaver grant continues while support continues after a
// human rights assessment.
func TestCareLeaverGrantContinuesWithSupport(t *testing.T) {
	// Appeal rights exhausted 10 Feb 2025; the grant would end 13 weeks
	// later (12 May 2025), before the review on 1 Jun 2025.
	c := newCase(t, "2005-04-22", "XXX", StatusARE, "2025-02-10")
	if got := amount(branch(t, plan(t, c, "2025-06-01"), AppealRightsExhausted, NoLeave), 2025, CatCareLeaverGrant); got != "0.00" {
		t.Errorf("without continuing support: grant %s, want 0", got)
	}
	// Support continues: the grant to the 21st birthday, 22 Apr 2026.
	// 1 Jun 2025–31 Mar 2026: 304 days × £270 / 7 = £11,725.71; 1–21 Apr
	// 2026: 21 days × £270 / 7 = £810.
	c.Schedule3 = &Schedule3{SupportContinues: true, Reason: "no safe route home"}
	kept := branch(t, plan(t, c, "2025-06-01"), AppealRightsExhausted, NoLeave)
	if got := amount(kept, 2025, CatCareLeaverGrant); got != "11725.71" {
		t.Errorf("2025-26 grant %s, want 11725.71", got)
	}
	if got := amount(kept, 2026, CatCareLeaverGrant); got != "810.00" {
		t.Errorf("2026-27 grant %s, want 810.00", got)
	}
}

// Fault 9: no Universal Credit in full-time higher education.
func TestNoUniversalCreditInHigherEducation(t *testing.T) {
	// Refugee status from 1 Jun 2025; a course from 14 Sep 2026 for the
	// usual 36 months, to 14 Sep 2029. UC at £338.58 a month from April
	// 2026: 1 Apr–13 Sep 2026, 166 days × 338.58 × 12 / 365 = £1,847.81;
	// none in 2027-28 or 2028-29; 14 Sep 2029–31 Mar 2030, 199 days =
	// £2,215.15.
	c := newCase(t, "2007-01-15", "XXX", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-06-01")
	c.LeavingCare.HigherEducationStart = mustDate(t, "2026-09-14")
	b := branch(t, plan(t, c, "2025-06-01"), RefugeeStatus, Settled)
	for y, want := range map[int]string{2026: "1847.81", 2027: "0.00", 2028: "0.00", 2029: "2215.15"} {
		if got := amount(b, y, CatUniversalCredit); got != want {
			t.Errorf("UC %s = %s, want %s", FinancialYearLabel(y), got, want)
		}
	}
	if got := amount(b, 2026, CatHEBursary); got != "2000.00" {
		t.Errorf("HE bursary %s, want 2000.00", got)
	}
}

// Fault 10: words state the values looked up.
func TestWordsFollowValues(t *testing.T) {
	extra := []Param{
		param(t, "appeal.window_days", "2000-01-01", "", "28"),
		param(t, "planning.review_interval_months", "2000-01-01", "", "3"),
		param(t, "leave.uasc_age_limit_months", "2000-01-01", "", "216"),
	}
	// Refused 25 May 2025: 28 days to appeal, to 22 Jun 2025. Born 10 Mar
	// 2008, so the age limit (18 here) falls on 10 Mar 2026.
	c := newCase(t, "2008-03-10", "XXX", StatusRefused, "2025-05-25")
	p := plan(t, c, "2025-06-01", extra...)
	a := action(t, p, ActAppeal)
	if a.By.String() != "2025-06-22" || !strings.Contains(a.Text, "28 days") || strings.Contains(a.Text, "14") {
		t.Errorf("appeal action by %s: %q; want by 2025-06-22 within 28 days", a.By, a.Text)
	}
	if r := action(t, p, ActReviewPlan); !strings.Contains(r.Text, "every 3 months") || r.By.String() != "2025-09-01" {
		t.Errorf("review action by %s: %q; want every 3 months, by 2025-09-01", r.By, r.Text)
	}
	for _, b := range p.Branches {
		if got := event(t, b, EventAppealDeadline).String(); got != "2025-06-22" {
			t.Errorf("path %s: appeal deadline %s, want 2025-06-22", pathString(b.Path), got)
		}
		if got := event(t, b, EventTurns17Half).String(); got != "2026-03-10" {
			t.Errorf("age-limit milestone on %s, want 2026-03-10", got)
		}
		text := allText(b)
		if strings.Contains(text, "17½") || !strings.Contains(text, "turns 18: from now a decision cannot give UASC leave") {
			t.Errorf("path %s: age limit not stated from its value:\n%s", pathString(b.Path), text)
		}
	}
	// Leave ends; status does not expire. Sources are public titles, not
	// a file users do not have.
	for _, pl := range []*Plan{p, plan(t, newCase(t, "2006-07-14", "XXX", StatusRefugee, "2024-05-20"), "2025-06-01")} {
		for _, b := range pl.Branches {
			if strings.Contains(allText(b), "status expires") {
				t.Errorf("path %s says status expires", pathString(b.Path))
			}
		}
		for _, a := range append(pl.Actions, pl.Protection...) {
			if strings.Contains(a.Text, "domain.md") {
				t.Errorf("action %s cites domain.md", a.Kind)
			}
			for _, r := range a.Sources {
				if strings.Contains(r.String(), "domain.md") {
					t.Errorf("action %s cites %s", a.Kind, r)
				}
			}
		}
	}
}

// Item 11: the smaller corrections of domain.md §9.
func TestAdviserFrom16ForAnEligibleChild(t *testing.T) {
	// Born 1 Jan 2009, looked after since 1 Jan 2023 (at 14): an eligible
	// child from the 16th birthday, 1 Jan 2025, with a personal adviser
	// (Sch 2 para 19C): 1 Jan–31 Mar 2025 is 90 days × £35 / 7 = £450.
	c := newCase(t, "2009-01-01", "XXX", Pending, "")
	c.Care.LookedAfterSince = mustDate(t, "2023-01-01")
	c.Asylum.ClaimDate = mustDate(t, "2023-01-05")
	c.Asylum.ExpectedDecision = mustDate(t, "2026-01-01")
	p := plan(t, c, "2024-10-01")
	if got := amount(p.Branches[0], 2024, CatAdviser); got != "450.00" {
		t.Errorf("adviser 2024-25 = %s, want 450.00", got)
	}
	if a := action(t, p, ActAppointAdviser); a.By.String() != "2025-01-01" {
		t.Errorf("appoint the adviser by %s, want 2025-01-01", a.By)
	}
}

func TestStayingPutAndAdviserOnRequestByDate(t *testing.T) {
	// Staying Put from 13 May 2014 (s.23CZA): born 1 Jun 1994, 21 on 1 Jun
	// 2015. Nothing in 2013-14; 13 May 2014–31 Mar 2015 is 323 days × £350
	// / 7 = £16,150.
	c := newCase(t, "1994-06-01", "XXX", StatusRefugee, "2012-01-01")
	c.Care.Placement = StayingPut
	b := plan(t, c, "2013-06-01").Branches[0]
	if got := amount(b, 2013, CatStayingPut); got != "0.00" {
		t.Errorf("Staying Put 2013-14 = %s, want 0 (before 13 May 2014)", got)
	}
	if got := amount(b, 2014, CatStayingPut); got != "16150.00" {
		t.Errorf("Staying Put 2014-15 = %s, want 16150.00", got)
	}

	// A personal adviser on request from 21 to 25 only from 1 Apr 2018
	// (s.23CZB): 1 Apr–31 May 2015, under 21, 61 days × £35 / 7 = £305;
	// none in 2016-17 or 2017-18; all of 2018-19, 365 × 5 = £1,825.
	c = newCase(t, "1994-06-01", "XXX", StatusRefugee, "2012-01-01")
	c.LeavingCare.AdviserOnRequest = true
	b = plan(t, c, "2015-01-01").Branches[0]
	for y, want := range map[int]string{2015: "305.00", 2016: "0.00", 2017: "0.00", 2018: "1825.00"} {
		if got := amount(b, y, CatAdviser); got != want {
			t.Errorf("adviser %s = %s, want %s", FinancialYearLabel(y), got, want)
		}
	}
}

func TestSettingUpHomeOnFirstHome(t *testing.T) {
	// Born 10 Mar 2008: not on the 18th birthday but on moving to a first
	// home, 12 months after leaving care (10 Mar 2027, in 2026-27); after
	// Staying Put, at 21 (10 Mar 2029, in 2028-29); or on the case's date.
	for _, tc := range []struct {
		name      string
		placement Placement
		firstHome string
		year      int
	}{
		{"foster care", Foster, "", 2026},
		{"Staying Put", StayingPut, "", 2028},
		{"the case's date", Foster, "2027-06-01", 2027},
	} {
		c := newCase(t, "2008-03-10", "XXX", StatusRefugee, "2024-05-20")
		c.Care.Placement = tc.placement
		if tc.firstHome != "" {
			c.LeavingCare.FirstHome = mustDate(t, tc.firstHome)
		}
		b := plan(t, c, "2025-06-01").Branches[0]
		for y := 2025; y <= 2029; y++ {
			want := "0.00"
			if y == tc.year {
				want = "3000.00"
			}
			if got := amount(b, y, CatSettingUpHome); got != want {
				t.Errorf("%s: setting-up-home %s = %s, want %s", tc.name, FinancialYearLabel(y), got, want)
			}
		}
	}
}

func TestAllowedAppealsCanGiveHP(t *testing.T) {
	// 39% allowed, a tenth of them with humanitarian protection.
	c := newCase(t, "2007-11-02", "XXX", StatusRefused, "2025-05-25")
	p := plan(t, c, "2025-06-01", param(t, "appeal.allowed_humanitarian_share", "2000-01-01", "", "0.1"))
	if b := branch(t, p, Refused, AppealAllowed, HumanitarianProtection, Settled); !b.Probability.Equal(dec("0.039")) {
		t.Errorf("P(allowed, HP) = %s, want 0.039", b.Probability)
	}
	if b := branch(t, p, Refused, AppealAllowed, RefugeeStatus, Settled); !b.Probability.Equal(dec("0.351")) {
		t.Errorf("P(allowed, refugee status) = %s, want 0.351", b.Probability)
	}
}

func TestCertifiedRefusalHasNoAppeal(t *testing.T) {
	// Refused and certified clearly unfounded on 25 May 2025: no appeal in
	// the UK; judicial review within 3 months, by 25 Aug 2025; appeal rights
	// exhausted at once.
	c := newCase(t, "2007-11-02", "ALB", StatusRefused, "2025-05-25")
	c.Asylum.Certified = true
	p := plan(t, c, "2025-06-01")
	if a := action(t, p, ActJudicialReview); a.By.String() != "2025-08-25" || !strings.Contains(a.Text, "3 months") {
		t.Errorf("judicial review action %+v", a)
	}
	for _, b := range p.Branches {
		if hasEvent(b, EventAppealDeadline) && b.Path[1] != FreshClaim {
			t.Errorf("path %s has an appeal deadline", pathString(b.Path))
		}
		if b.Path[1] == AppealAllowed || b.Path[1] == AppealDismissed {
			t.Errorf("path %s appeals a certified refusal", pathString(b.Path))
		}
		if got := event(t, b, EventAppealRightsExhausted).String(); got != "2025-05-25" {
			t.Errorf("appeal rights exhausted %s, want 2025-05-25", got)
		}
	}
}

func TestNumbersAndSteps(t *testing.T) {
	c := newCase(t, "2007-11-02", "XXX", StatusRefused, "2025-05-25")
	p := plan(t, c, "2025-06-01")
	if p.Horizon.String() != "2032-11-02" {
		t.Errorf("horizon %s, want the 25th birthday 2032-11-02", p.Horizon)
	}
	for i, b := range p.Branches {
		if b.Number != i+1 {
			t.Errorf("branch %d has number %d", i, b.Number)
		}
		if i > 0 && b.Probability.GreaterThan(p.Branches[i-1].Probability) {
			t.Errorf("branch %d (%s) more likely than branch %d", i+1, b.Probability, i)
		}
		if len(b.Steps) != len(b.Path) {
			t.Errorf("path %s has %d steps", pathString(b.Path), len(b.Steps))
		}
	}
	// Refused 25 May 2025 (17); appeal dismissed 24 May 2026 (18); the
	// young person stays without leave from appeal rights exhausted, 7 Jun
	// 2026 (18).
	stay := branch(t, p, Refused, AppealDismissed, NoLeave)
	var got []string
	for _, st := range stay.Steps {
		got = append(got, string(st.Outcome)+" "+st.Date.String()+" "+strconv.Itoa(st.Age))
	}
	if want := "refused 2025-05-25 17, appeal_dismissed 2026-05-24 18, no_leave 2026-06-07 18"; strings.Join(got, ", ") != want {
		t.Errorf("steps %s, want %s", strings.Join(got, ", "), want)
	}
}

func TestFormerRelevantOver21(t *testing.T) {
	// 22, settled, not in education and no adviser asked for: no pathway
	// plan review is due; the plan says an adviser can be asked for to 25.
	c := newCase(t, "2003-01-15", "XXX", StatusSettled, "2024-08-01")
	p := plan(t, c, "2025-06-01")
	if hasAction(p, ActReviewPlan) {
		t.Error("a pathway plan review for a 22-year-old not in education and with no adviser asked for")
	}
	if a := action(t, p, ActAppointAdviser); !strings.Contains(a.Text, "ask for a personal adviser to 25") {
		t.Errorf("adviser action reads %q", a.Text)
	}
	c.LeavingCare.EducationAfter21 = true
	if r := action(t, plan(t, c, "2025-06-01"), ActReviewPlan); r.By.String() != "2025-12-01" {
		t.Errorf("in education: review by %s, want 2025-12-01", r.By)
	}
}

// Each deadline is its own action, with the chance of the paths that reach
// it: one path can call for several of one kind (an extension, then a
// settlement application), and one date can hold different deadlines (an
// appeal against a grant of UASC leave, of HP, or against a refusal).
func TestActionsAreDeadlines(t *testing.T) {
	// UASC leave to 17½ (10 Sep 2025), extension decided 11 Feb 2026: a
	// grant gives five years, to 11 Feb 2031, when settlement is applied
	// for: refugee status 0.482143 plus HP 0.017857.
	p := plan(t, newCase(t, "2008-03-10", "XXX", StatusUASCLeave, "2024-06-01"), "2025-06-01")
	var extend, settle Action
	for _, a := range p.Actions {
		if a.Kind != ActApplyInTime {
			continue
		}
		switch a.By.String() {
		case "2025-09-10":
			extend = a
		case "2031-02-11":
			settle = a
		}
	}
	if !extend.Chance.Equal(one) || extend.Perspective != Transitional {
		t.Errorf("extension application: %+v", extend)
	}
	if !settle.Chance.Equal(dec("0.5")) || settle.Perspective != LongTerm || !strings.Contains(settle.Text, "for settlement") {
		t.Errorf("settlement application: %+v, want chance 0.5 under long-term", settle)
	}

	// A decision on 1 Sep 2025: every appeal deadline is 15 Sep 2025.
	c := newCase(t, "2008-03-10", "XXX", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	c.Asylum.Probabilities = &Probabilities{RefugeeStatus: dec("0.55"), HumanitarianProtection: dec("0.05"), UASCLeave: dec("0.25"), Refused: dec("0.15")}
	got := map[string]string{}
	for _, a := range plan(t, c, "2025-06-01").Actions {
		if a.Kind == ActAppeal && a.By.String() == "2025-09-15" {
			got[a.Text[:40]] = a.Chance.String()
		}
	}
	want := map[string]string{
		"a grant of UASC leave refuses asylum: de": "0.25",
		"a grant of humanitarian protection refus": "0.05",
		"lodge an appeal to the First-tier Tribun": "0.15",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("appeal %q: chance %q, want %s (all: %v)", k, got[k], v, got)
		}
	}
}
