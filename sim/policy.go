package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit says what a policy value measures.
type Unit string

const (
	Months      Unit = "months"
	Weeks       Unit = "weeks"
	Days        Unit = "days"
	Probability Unit = "probability"
	Ratio       Unit = "ratio"         // a dimensionless number, such as a log-normal spread
	Pounds      Unit = "gbp"           // a one-off amount
	PoundsNight Unit = "gbp_per_night" // a nightly rate
	PoundsWeek  Unit = "gbp_per_week"  // a weekly rate
	PoundsMonth Unit = "gbp_per_month" // a monthly rate
	Flag        Unit = "flag"          // 1 on, 0 off
)

// Param is one dated policy value: Value applies to events dated From to To
// inclusive (a zero To is open-ended). Every value carries its source tag
// (domain.md's [Sn], or a guidance paragraph) and its confidence.
type Param struct {
	Key         string
	From, To    Date
	Value       decimal.Decimal
	Unit        Unit
	Source      string
	Confidence  string // H, M, L, or UNCONFIRMED
	Unconfirmed bool   // a placeholder: reports footnote every use
	Note        string
	Refs        []SourceRef // Source as guidance paragraphs and public sources; set by NewPolicy
}

// Covers reports whether the value applies on date d.
func (p Param) Covers(d Date) bool {
	return !d.Before(p.From) && (p.To.IsZero() || !d.After(p.To))
}

// Int returns the value as a whole number (months, weeks, days).
func (p Param) Int() int { return int(p.Value.IntPart()) }

// Policy is a set of dated values and priors. Build one with NewPolicy.
type Policy struct {
	Name    string
	params  map[string][]Param // sorted by From
	priors  map[priorSeries][]Prior
	regions map[string]string  // nationality → Home Office world region
	pauses  map[string][]Pause // by nationality, sorted by From
	sources map[string]Source
	fast    map[string][]compiled // params as numbers, for sampling
	byID    [][]compiled          // fast, by pkey id
}

// compiled is a dated value as plain numbers: the day numbers it covers and
// the value as an integer and as a float (for probabilities and spreads,
// never money).
type compiled struct {
	from, to int // inclusive day numbers; to is math.MaxInt when open-ended
	i        int
	f        float64
	pence    int64 // an amount of money in pence
}

// Spec describes a key the engine needs: its unit and what it means.
type Spec struct {
	Unit Unit
	Doc  string
}

// Keys are the policy values the engine reads. A policy must give each of
// them for every date from CoverFrom onwards.
var Keys = map[string]Spec{
	"leave.refugee_months":                   {Months, "leave granted with refugee status"},
	"leave.humanitarian_protection_months":   {Months, "leave granted with humanitarian protection"},
	"leave.uasc_months":                      {Months, "longest UASC leave (or earlier discretionary leave) from the decision"},
	"leave.uasc_age_limit_months":            {Months, "age, in months, at which UASC leave ends and after which it is not granted"},
	"protection.temporary_claims":            {Flag, "looked up by the claim date: 1 if a claim lodged then falls under the temporary protection rules"},
	"protection.temporary_grants":            {Flag, "looked up by the decision date: 1 while such claims were granted temporary permission"},
	"protection.temporary_months":            {Months, "length of temporary humanitarian (or Group 2 refugee) permission"},
	"protection.renewal_refusal_probability": {Probability, "chance that an application for further permission on the protection route is refused"},
	"core_protection.in_force":               {Flag, "1 from the date the core protection rules (30-month grants, renewals, later settlement) apply"},
	"core_protection.applies_to_existing":    {Flag, "1 if core protection also applies when earlier grants are renewed or settled"},
	"core_protection.leave_months":           {Months, "core protection: leave given by each grant or renewal"},
	"core_protection.settlement_months":      {Months, "core protection: protection leave needed before settlement"},
	"extension.instruct_solicitor_months":    {Months, "how long before leave expires to instruct the solicitor about an application"},
	"extension.apply_window_days":            {Days, "how many days before leave expires the application window opens"},
	"extension.late_good_reason_days":        {Days, "days after leave ends within which a late application with a good reason is not refused for overstaying (para 39E)"},
	"extension.uasc_grant_probability":       {Probability, "chance that an application to extend UASC leave leads to protection"},
	"settlement.qualifying_months":           {Months, "leave needed before settlement (indefinite leave) can be applied for"},
	"settlement.refusal_probability":         {Probability, "chance that a settlement application is refused"},
	"appeal.window_days":                     {Days, "days to lodge a First-tier Tribunal appeal after a refusal"},
	"appeal.ut_permission_days":              {Days, "days to seek permission to appeal to the Upper Tribunal after dismissal"},
	"appeal.allowed_probability":             {Probability, "chance that an appeal is allowed"},
	"appeal.allowed_humanitarian_share":      {Probability, "share of allowed appeals that give humanitarian protection rather than refugee status"},
	"appeal.upgrade_allowed_probability":     {Probability, "chance that an appeal against a grant of UASC leave or humanitarian protection is lodged and allowed"},
	"appeal.judicial_review_months":          {Months, "months within which judicial review of a certified refusal is brought"},
	"fresh_claim.accepted_probability":       {Probability, "chance that further submissions are accepted as a fresh claim (para 353)"},
	"wait.first_decision_weeks":              {Weeks, "median wait for a first asylum decision"},
	"wait.extension_decision_weeks":          {Weeks, "median wait for a decision on an extension or settlement application"},
	"wait.appeal_weeks":                      {Weeks, "median wait from lodging an appeal to its determination"},
	"wait.fresh_claim_decision_weeks":        {Weeks, "median wait for a decision on further submissions"},
	"wait.conclusive_grounds_weeks":          {Weeks, "median wait from a reasonable-grounds to a conclusive-grounds decision"},
	"wait.spread":                            {Ratio, "log-normal spread (sigma) of waiting times around their medians, for sampling"},
	"decision_pause.assumed_months":          {Months, "how long a pause in decisions with no announced end is taken to last, from the later of its start and the as-of date"},
	"are.return_probability":                 {Probability, "after appeal rights are exhausted: chance of a voluntary return"},
	"are.fresh_claim_probability":            {Probability, "after appeal rights are exhausted: chance of a fresh claim"},
	"are.no_leave_probability":               {Probability, "after appeal rights are exhausted: chance of staying without leave"},
	"are.return_after_months":                {Months, "months from appeal rights exhausted to a voluntary departure"},
	"are.fresh_claim_after_months":           {Months, "months from appeal rights exhausted to a fresh claim"},
	"schedule3.notice_weeks":                 {Weeks, "notice given after a human rights assessment before Schedule 3 support ends"},
	"nrm.reasonable_grounds_working_days":    {Days, "working days from a National Referral Mechanism referral to the reasonable-grounds decision"},
	"nrm.conclusive_min_days":                {Days, "least number of days between the reasonable-grounds and the conclusive-grounds decisions"},
	"nrm.positive_conclusive_probability":    {Probability, "chance that a child's conclusive-grounds decision is positive"},
	"vts.grant_probability":                  {Probability, "chance that temporary permission to stay for victims is granted after a positive conclusive-grounds decision"},
	"vts.months":                             {Months, "length of temporary permission to stay for victims of trafficking"},
	"local.trafficking_guardian":             {Flag, "1 where the authority is in the Independent Child Trafficking Guardian service"},
	"leaving_care.eligible_weeks":            {Weeks, "weeks looked after since 14 that make a child eligible for leaving-care support"},
	"leaving_care.staying_put":               {Flag, "1 while Staying Put arrangements to 21 exist (s.23CZA)"},
	"leaving_care.adviser_on_request_to_25":  {Flag, "1 while a personal adviser is available on request from 21 to 25 (s.23CZB)"},
	"leaving_care.first_home_after_months":   {Months, "months after leaving care before a first independent home, when the case gives no date"},
	"education.he_course_months":             {Months, "usual length of a full-time higher education course, when the case gives no end"},
	"planning.contingency_threshold":         {Probability, "a perspective less likely than this is a contingency, not a plan"},
	"planning.review_interval_months":        {Months, "longest interval between pathway plan reviews"},

	"home_office.uasc_under16_night":          {PoundsNight, "Home Office rate per night for a looked-after UASC under 16"},
	"home_office.uasc_16_17_night":            {PoundsNight, "Home Office rate per night for a looked-after UASC aged 16 or 17"},
	"home_office.uasc_under16_night_earlier":  {PoundsNight, "the under-16 nightly rate for children in care before the enhanced rates began"},
	"home_office.uasc_16_17_night_earlier":    {PoundsNight, "the 16–17 nightly rate for children in care before the enhanced rates began"},
	"home_office.earlier_arrival_rates":       {Flag, "looked up by the date the child came into care: 1 if the earlier arrivals' rates apply"},
	"home_office.uasc_higher_night":           {PoundsNight, "higher nightly rate for authorities over the UASC threshold; 0 where none"},
	"home_office.care_leaver_week":            {PoundsWeek, "Home Office rate per week for a former UASC care leaver"},
	"home_office.care_leaver_week_earlier":    {PoundsWeek, "the care-leaver weekly rate for those who came into care before the enhanced rates began"},
	"home_office.care_leaver_min_weeks":       {Weeks, "weeks looked after needed for the care-leaver rate"},
	"home_office.care_leaver_are_grace_weeks": {Weeks, "weeks after appeal rights are exhausted that the care-leaver rate is paid"},
	"local.placement_week_foster":             {PoundsWeek, "the authority's weekly cost of a foster placement"},
	"local.placement_week_residential":        {PoundsWeek, "the authority's weekly cost of a residential placement"},
	"local.placement_week_supported_lodgings": {PoundsWeek, "the authority's weekly cost of supported lodgings"},
	"local.placement_week_semi_independent":   {PoundsWeek, "the authority's weekly cost of semi-independent accommodation"},
	"local.placement_week_independent":        {PoundsWeek, "the authority's weekly cost of an independent placement under 18"},
	"local.staying_put_week":                  {PoundsWeek, "the authority's weekly Staying Put payment, 18 to 21"},
	"local.accommodation_week":                {PoundsWeek, "the authority's weekly accommodation cost for a care leaver without benefits"},
	"local.leaving_care_allowance_week":       {PoundsWeek, "the authority's weekly allowance for a care leaver without benefits"},
	"local.personal_adviser_week":             {PoundsWeek, "the authority's weekly personal adviser cost per young person"},
	"local.setting_up_home":                   {Pounds, "setting-up-home allowance, paid once"},
	"local.he_bursary":                        {Pounds, "higher education bursary, paid once"},
	"schedule3.cuts_personal_adviser":         {Flag, "1 if Schedule 3 also stops the personal adviser"},
	"schedule3.cuts_staying_put":              {Flag, "1 if Schedule 3 also stops Staying Put (s.23CZA is not in its list)"},
	"dwp.uc_under25_month":                    {PoundsMonth, "Universal Credit standard allowance, single, under 25, per month"},
	"avr.cap":                                 {Pounds, "most reintegration assistance per person on a voluntary return"},
	"avr.cash_on_departure":                   {Pounds, "the part of it paid in cash on departure"},
	"avr.contact_months":                      {Months, "months after return within which to contact the reintegration service"},
	"avr.spend_months":                        {Months, "months after return within which all assistance is given"},
}

// pkey is a policy key resolved to an index, so the engine's hot path
// finds a value without hashing its name.
type pkey struct {
	name string
	id   int
}

// keyNames lists the resolved keys by id.
var keyNames []string

func key(name string) pkey {
	if _, ok := Keys[name]; !ok {
		panic("sim: no policy key " + name)
	}
	keyNames = append(keyNames, name)
	return pkey{name, len(keyNames) - 1}
}

// Policy keys the engine reads, resolved once.
var (
	kAppealAllowedHumanitarianShare      = key("appeal.allowed_humanitarian_share")
	kAppealAllowedProbability            = key("appeal.allowed_probability")
	kAppealJudicialReviewMonths          = key("appeal.judicial_review_months")
	kAppealUpgradeAllowedProbability     = key("appeal.upgrade_allowed_probability")
	kAppealUtPermissionDays              = key("appeal.ut_permission_days")
	kAppealWindowDays                    = key("appeal.window_days")
	kAreFreshClaimAfterMonths            = key("are.fresh_claim_after_months")
	kAreFreshClaimProbability            = key("are.fresh_claim_probability")
	kAreNoLeaveProbability               = key("are.no_leave_probability")
	kAreReturnAfterMonths                = key("are.return_after_months")
	kAreReturnProbability                = key("are.return_probability")
	kAvrCap                              = key("avr.cap")
	kAvrCashOnDeparture                  = key("avr.cash_on_departure")
	kAvrContactMonths                    = key("avr.contact_months")
	kAvrSpendMonths                      = key("avr.spend_months")
	kCoreProtectionAppliesToExisting     = key("core_protection.applies_to_existing")
	kCoreProtectionInForce               = key("core_protection.in_force")
	kCoreProtectionLeaveMonths           = key("core_protection.leave_months")
	kCoreProtectionSettlementMonths      = key("core_protection.settlement_months")
	kDecisionPauseAssumedMonths          = key("decision_pause.assumed_months")
	kDwpUcUnder25Month                   = key("dwp.uc_under25_month")
	kEducationHeCourseMonths             = key("education.he_course_months")
	kExtensionApplyWindowDays            = key("extension.apply_window_days")
	kExtensionInstructSolicitorMonths    = key("extension.instruct_solicitor_months")
	kExtensionLateGoodReasonDays         = key("extension.late_good_reason_days")
	kExtensionUascGrantProbability       = key("extension.uasc_grant_probability")
	kFreshClaimAcceptedProbability       = key("fresh_claim.accepted_probability")
	kHomeOfficeCareLeaverAreGraceWeeks   = key("home_office.care_leaver_are_grace_weeks")
	kHomeOfficeCareLeaverMinWeeks        = key("home_office.care_leaver_min_weeks")
	kHomeOfficeCareLeaverWeek            = key("home_office.care_leaver_week")
	kHomeOfficeCareLeaverWeekEarlier     = key("home_office.care_leaver_week_earlier")
	kHomeOfficeEarlierArrivalRates       = key("home_office.earlier_arrival_rates")
	kHomeOfficeUasc1617Night             = key("home_office.uasc_16_17_night")
	kHomeOfficeUasc1617NightEarlier      = key("home_office.uasc_16_17_night_earlier")
	kHomeOfficeUascHigherNight           = key("home_office.uasc_higher_night")
	kHomeOfficeUascUnder16Night          = key("home_office.uasc_under16_night")
	kHomeOfficeUascUnder16NightEarlier   = key("home_office.uasc_under16_night_earlier")
	kLeaveHumanitarianProtectionMonths   = key("leave.humanitarian_protection_months")
	kLeaveRefugeeMonths                  = key("leave.refugee_months")
	kLeaveUascAgeLimitMonths             = key("leave.uasc_age_limit_months")
	kLeaveUascMonths                     = key("leave.uasc_months")
	kLeavingCareAdviserOnRequestTo25     = key("leaving_care.adviser_on_request_to_25")
	kLeavingCareEligibleWeeks            = key("leaving_care.eligible_weeks")
	kLeavingCareFirstHomeAfterMonths     = key("leaving_care.first_home_after_months")
	kLeavingCareStayingPut               = key("leaving_care.staying_put")
	kLocalAccommodationWeek              = key("local.accommodation_week")
	kLocalHeBursary                      = key("local.he_bursary")
	kLocalLeavingCareAllowanceWeek       = key("local.leaving_care_allowance_week")
	kLocalPersonalAdviserWeek            = key("local.personal_adviser_week")
	kLocalPlacementWeekFoster            = key("local.placement_week_foster")
	kLocalPlacementWeekIndependent       = key("local.placement_week_independent")
	kLocalPlacementWeekResidential       = key("local.placement_week_residential")
	kLocalPlacementWeekSemiIndependent   = key("local.placement_week_semi_independent")
	kLocalPlacementWeekSupportedLodgings = key("local.placement_week_supported_lodgings")
	kLocalSettingUpHome                  = key("local.setting_up_home")
	kLocalStayingPutWeek                 = key("local.staying_put_week")
	kLocalTraffickingGuardian            = key("local.trafficking_guardian")
	kNrmConclusiveMinDays                = key("nrm.conclusive_min_days")
	kNrmPositiveConclusiveProbability    = key("nrm.positive_conclusive_probability")
	kNrmReasonableGroundsWorkingDays     = key("nrm.reasonable_grounds_working_days")
	kPlanningContingencyThreshold        = key("planning.contingency_threshold")
	kPlanningReviewIntervalMonths        = key("planning.review_interval_months")
	kProtectionRenewalRefusalProbability = key("protection.renewal_refusal_probability")
	kProtectionTemporaryClaims           = key("protection.temporary_claims")
	kProtectionTemporaryGrants           = key("protection.temporary_grants")
	kProtectionTemporaryMonths           = key("protection.temporary_months")
	kSchedule3CutsPersonalAdviser        = key("schedule3.cuts_personal_adviser")
	kSchedule3CutsStayingPut             = key("schedule3.cuts_staying_put")
	kSchedule3NoticeWeeks                = key("schedule3.notice_weeks")
	kSettlementQualifyingMonths          = key("settlement.qualifying_months")
	kSettlementRefusalProbability        = key("settlement.refusal_probability")
	kVtsGrantProbability                 = key("vts.grant_probability")
	kVtsMonths                           = key("vts.months")
	kWaitAppealWeeks                     = key("wait.appeal_weeks")
	kWaitConclusiveGroundsWeeks          = key("wait.conclusive_grounds_weeks")
	kWaitExtensionDecisionWeeks          = key("wait.extension_decision_weeks")
	kWaitFirstDecisionWeeks              = key("wait.first_decision_weeks")
	kWaitFreshClaimDecisionWeeks         = key("wait.fresh_claim_decision_weeks")
	kWaitSpread                          = key("wait.spread")
)

// CoverFrom is the earliest date a policy must cover.
var CoverFrom = NewDate(2000, 1, 1)

// PolicyData is what a policy is made of: dated values, outcome priors, the
// Home Office world region of each nationality (for priors' fallback),
// pauses in decisions, and the public sources they cite.
type PolicyData struct {
	Name    string
	Params  []Param
	Priors  []Prior
	Regions map[string]string // nationality → region
	Pauses  []Pause
	Sources []Source
}

// NewPolicy is NewPolicyFrom for a policy without regions or pauses.
func NewPolicy(name string, params []Param, priors []Prior, sources ...Source) (*Policy, error) {
	return NewPolicyFrom(PolicyData{Name: name, Params: params, Priors: priors, Sources: sources})
}

// NewPolicyFrom checks and indexes a policy: every key in Keys present with
// its unit, no overlapping periods, no gap from CoverFrom on; priors that
// sum to 1 without overlaps, with a default row for every date (see
// checkPriors); pauses without overlaps.
func NewPolicyFrom(d PolicyData) (*Policy, error) {
	name, params, sources := d.Name, d.Params, d.Sources
	p := &Policy{Name: name, params: map[string][]Param{}, regions: map[string]string{}, sources: map[string]Source{}}
	for k, v := range d.Regions {
		p.regions[k] = v
	}
	for _, s := range sources {
		p.sources[s.ID] = s
	}
	for _, v := range params {
		p.params[v.Key] = append(p.params[v.Key], v)
	}
	var problems []string
	for key, vs := range p.params {
		sort.Slice(vs, func(i, j int) bool { return vs[i].From.Before(vs[j].From) })
		for i, v := range vs {
			if !v.To.IsZero() && v.To.Before(v.From) {
				problems = append(problems, fmt.Sprintf("%s: period %s to %s ends before it starts", key, v.From, v.To))
			}
			if i > 0 {
				prev := vs[i-1]
				switch {
				case prev.To.IsZero() || !prev.To.Before(v.From):
					problems = append(problems, fmt.Sprintf("%s: periods from %s and from %s overlap", key, prev.From, v.From))
				case prev.To.AddDays(1) != v.From:
					problems = append(problems, fmt.Sprintf("%s: no value from %s to %s", key, prev.To.AddDays(1), v.From.AddDays(-1)))
				}
			}
		}
	}
	for _, key := range sortedKeys(Keys) {
		spec := Keys[key]
		vs, ok := p.params[key]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: missing (%s, in %s)", key, spec.Doc, spec.Unit))
			continue
		}
		if vs[0].From.After(CoverFrom) {
			problems = append(problems, fmt.Sprintf("%s: no value before %s (values must start by %s)", key, vs[0].From, CoverFrom))
		}
		if last := vs[len(vs)-1]; !last.To.IsZero() {
			problems = append(problems, fmt.Sprintf("%s: no value after %s (the last period must be open-ended)", key, last.To))
		}
		for _, v := range vs {
			if v.Unit != spec.Unit {
				problems = append(problems, fmt.Sprintf("%s: unit %q, want %q", key, v.Unit, spec.Unit))
			}
			if v.Unit == Probability && (v.Value.IsNegative() || v.Value.GreaterThan(decimal.NewFromInt(1))) {
				problems = append(problems, fmt.Sprintf("%s: probability %s is not in [0,1]", key, v.Value))
			}
		}
	}
	var more []string
	p.priors, more = checkPriors(d.Priors, p.regions)
	problems = append(problems, more...)
	p.pauses, more = checkPauses(d.Pauses)
	problems = append(problems, more...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("policy %s: %s", name, strings.Join(problems, "; "))
	}
	for _, vs := range p.params {
		for i := range vs {
			vs[i].Refs = p.SourceRefs(vs[i].Source)
		}
	}
	refsOf := map[string][]SourceRef{} // many rows cite the same sources
	for _, rows := range p.priors {
		for i := range rows {
			refs, ok := refsOf[rows[i].Source]
			if !ok {
				refs = p.SourceRefs(rows[i].Source)
				refsOf[rows[i].Source] = refs
			}
			rows[i].Refs = refs
		}
	}
	for _, ps := range p.pauses {
		for i := range ps {
			ps[i].Refs = p.SourceRefs(ps[i].Source)
		}
	}
	p.fast = map[string][]compiled{}
	for key, vs := range p.params {
		cs := make([]compiled, len(vs))
		for i, v := range vs {
			cs[i] = compiled{from: v.From.days(), to: math.MaxInt, i: v.Int(), f: v.Value.InexactFloat64(), pence: v.Value.Shift(2).Round(0).IntPart()}
			if !v.To.IsZero() {
				cs[i].to = v.To.days()
			}
		}
		p.fast[key] = cs
	}
	p.byID = make([][]compiled, len(keyNames))
	for id, name := range keyNames {
		p.byID[id] = p.fast[name]
	}
	return p, nil
}

// Lookup returns the value of key in force on date on.
func (p *Policy) Lookup(key string, on Date) (Param, error) {
	vs, ok := p.params[key]
	if !ok {
		return Param{}, fmt.Errorf("policy %s has no value %q", p.Name, key)
	}
	// The values are sorted and contiguous: take the last one starting on or before on.
	i := sort.Search(len(vs), func(i int) bool { return vs[i].From.After(on) })
	if i == 0 || !vs[i-1].Covers(on) {
		return Param{}, fmt.Errorf("policy %s has no value %q on %s", p.Name, key, on)
	}
	return vs[i-1], nil
}

// find returns the index of k's value in force on day number day, or -1.
func (p *Policy) find(k pkey, day int) (int, []compiled) {
	cs := p.byID[k.id]
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].from <= day {
			if day <= cs[i].to {
				return i, cs
			}
			return -1, cs
		}
	}
	return -1, cs
}

// Params returns every dated value, sorted by key and date.
func (p *Policy) Params() []Param {
	var out []Param
	for _, key := range sortedKeys(p.params) {
		out = append(out, p.params[key]...)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
