package sim

import (
	"github.com/shopspring/decimal"
)

// The authority's costs beyond the placement, and the assumptions a cohort
// forecast needs: leaving-care staffing and accommodation after 18
// (domain.md §3 and §10), council tax, the child population that decides
// the Home Office's higher nightly rate and the transfer scheme's share
// (domain.md §4), the shares of young people supported after 21, and
// placement step-downs. Their keys are registered here, beside the rules
// that read them, and join Keys when the package starts.

// Count is a number of people, such as an authority's child population.
const Count Unit = "count"

// costKey registers a policy key the money rules read and resolves it.
func costKey(name string, unit Unit, doc string) pkey {
	Keys[name] = Spec{unit, doc}
	return key(name)
}

var (
	kLocalPlacementWeekOther = costKey("local.placement_week_other", PoundsWeek,
		"the authority's weekly cost of a placement of another kind (903 PLACE codes with no closer type)")
	kLocalSocialWorkWeek = costKey("local.social_work_week", PoundsWeek,
		"the authority's weekly social work staffing cost per looked-after child")
	kLocalLeavingCareStaffingWeek = costKey("local.leaving_care_staffing_week", PoundsWeek,
		"the leaving-care service's weekly staffing cost per young person it supports, besides the personal adviser")
	kLocalLeaverAccommodationSemiIndependent = costKey("local.leaver_accommodation_week_semi_independent", PoundsWeek,
		"the authority's weekly cost of supported accommodation for a care leaver with recourse to public funds")
	kLocalLeaverAccommodationSupportedLodgings = costKey("local.leaver_accommodation_week_supported_lodgings", PoundsWeek,
		"the authority's weekly cost of supported lodgings for a care leaver with recourse to public funds")
	kLocalLeaverAccommodationIndependent = costKey("local.leaver_accommodation_week_independent", PoundsWeek,
		"the authority's weekly support for a care leaver with recourse to public funds in their own tenancy")
	kLocalCouncilTaxWeek = costKey("local.council_tax_discount_week", PoundsWeek,
		"the weekly cost to the authority of the council tax discount for a care leaver in their own tenancy; 0 where none is given")
	kLocalCouncilTaxToAgeMonths = costKey("local.council_tax_discount_to_age_months", Months,
		"the age, in months, up to which care leavers get the council tax discount")
	kLocalChildPopulation = costKey("local.child_population", Count,
		"the authority's child population (under 18); 0 when not given")
	kLocalUascLookedAfter = costKey("local.uasc_looked_after", Count,
		"UASC the authority looks after, for plans (a forecast counts its cohort instead)")
	kHomeOfficeHigherRateShare = costKey("home_office.higher_rate_share", Ratio,
		"share of its child population in UASC at or above which an authority gets the higher nightly rate")
	kNtsShare = costKey("nts.child_population_share", Ratio,
		"share of an authority's child population the National Transfer Scheme works towards")
	kLeavingCareEducationShare = costKey("leaving_care.education_after_21_share", Probability,
		"share of former relevant young people in education or training after 21, for cohort rows that do not say")
	kLeavingCareAdviserShare = costKey("leaving_care.adviser_on_request_share", Probability,
		"share of young people 21 to 25, not in education, who ask for a personal adviser, for cohort rows that do not say")
	kPlacementStepDown1617 = costKey("placement.step_down_16_17_probability", Probability,
		"chance that a child in foster or residential care at 16 moves to supported accommodation before 18")
	kPlacementStayingPut = costKey("placement.staying_put_probability", Probability,
		"chance that a foster placement becomes Staying Put at 18")
	kPlacementAt18SupportedLodgings = costKey("placement.at18_supported_lodgings_probability", Probability,
		"chance that a young person leaving a foster (not Staying Put), residential or other placement at 18 moves to supported lodgings")
	kPlacementAt18Independent = costKey("placement.at18_independent_probability", Probability,
		"chance that a young person leaving a foster (not Staying Put), residential or other placement at 18 moves to their own tenancy; the rest go to supported accommodation")
)

// At18ProbabilityKeys are the chances of where a young person leaving care
// at 18 moves (the rest go to supported accommodation): on every date they
// must add up to at most 1.
var At18ProbabilityKeys = []string{kPlacementAt18SupportedLodgings.name, kPlacementAt18Independent.name}

// CategoryKeys names, for each money category, the policy keys its
// amounts are worked out from: the lines a report can say rest on a
// placeholder when one of these values is unconfirmed.
var CategoryKeys = map[Category][]string{
	CatPlacement: {"local.placement_week_foster", "local.placement_week_residential", "local.placement_week_supported_lodgings",
		"local.placement_week_semi_independent", "local.placement_week_independent", kLocalPlacementWeekOther.name},
	CatStayingPut: {"local.staying_put_week"},
	CatAccommodation: {"local.accommodation_week", kLocalLeaverAccommodationSemiIndependent.name,
		kLocalLeaverAccommodationSupportedLodgings.name, kLocalLeaverAccommodationIndependent.name},
	CatAllowance:           {"local.leaving_care_allowance_week"},
	CatSocialWork:          {kLocalSocialWorkWeek.name},
	CatLeavingCareStaffing: {kLocalLeavingCareStaffingWeek.name},
	CatAdviser:             {"local.personal_adviser_week"},
	CatCouncilTax:          {kLocalCouncilTaxWeek.name, kLocalCouncilTaxToAgeMonths.name},
	CatSettingUpHome:       {"local.setting_up_home"},
	CatHEBursary:           {"local.he_bursary"},
	CatUASCGrant: {"home_office.uasc_under16_night", "home_office.uasc_16_17_night", "home_office.uasc_higher_night",
		"home_office.uasc_under16_night_earlier", "home_office.uasc_16_17_night_earlier", kHomeOfficeHigherRateShare.name},
	CatCareLeaverGrant: {"home_office.care_leaver_week", "home_office.care_leaver_week_earlier", "home_office.care_leaver_are_grace_weeks"},
	CatAVRCash:         {"avr.cash_on_departure"},
	CatAVRInKind:       {"avr.cap", "avr.cash_on_departure"},
	CatUniversalCredit: {"dwp.uc_under25_month"},
}

// HigherRate says whether an authority gets the Home Office's higher
// nightly rate on a date, and why: its UASC looked after as a share of its
// child population, against the threshold then in force (domain.md §4,
// S50, S56). With no child population given, the standard rate applies.
type HigherRate struct {
	On              Date
	LookedAfter     int64
	ChildPopulation int64
	Threshold       decimal.Decimal // the share, such as 0.0007
	Applies         bool
}

// NeededFor is the number of UASC looked after at which the higher rate
// starts: the threshold share of the child population, rounded up.
func (h HigherRate) NeededFor() int64 {
	return decimal.NewFromInt(h.ChildPopulation).Mul(h.Threshold).Ceil().IntPart()
}

// HigherRateOn applies the rule to a number of UASC looked after.
func HigherRateOn(p *Policy, on Date, lookedAfter int64) (HigherRate, error) {
	pop, err := p.Lookup(kLocalChildPopulation.name, on)
	if err != nil {
		return HigherRate{}, err
	}
	share, err := p.Lookup(kHomeOfficeHigherRateShare.name, on)
	if err != nil {
		return HigherRate{}, err
	}
	h := HigherRate{On: on, LookedAfter: lookedAfter, ChildPopulation: pop.Value.IntPart(), Threshold: share.Value}
	h.Applies = h.ChildPopulation > 0 && lookedAfter > 0 &&
		!decimal.NewFromInt(lookedAfter).LessThan(decimal.NewFromInt(h.ChildPopulation).Mul(h.Threshold))
	return h, nil
}

// LookedAfterOn reports whether a young person is looked after on d: in
// care since on or before d, and d before they leave care (at 18 or the
// case's date of leaving care).
func LookedAfterOn(c Case, d Date) bool {
	ends := c.DateOfBirth.Birthday(18)
	if !c.Care.LeftCare.IsZero() && c.Care.LeftCare.Before(ends) {
		ends = c.Care.LeftCare
	}
	return !c.Care.LookedAfterSince.After(d) && d.Before(ends)
}
