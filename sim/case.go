package sim

import "github.com/shopspring/decimal"

// Outcome is the result of one decision on a young person's immigration
// case, or a step that follows one. The first four are the outcomes of an
// asylum claim in guidance para 58.
type Outcome string

const (
	RefugeeStatus          Outcome = "refugee_status"          // para 58(1): 5 years' leave
	HumanitarianProtection Outcome = "humanitarian_protection" // para 58(2): 5 years' leave
	UASCLeave              Outcome = "uasc_leave"              // para 58(3): 30 months or to 17½
	Refused                Outcome = "refused"                 // para 58(4): no leave
	AppealAllowed          Outcome = "appeal_allowed"          // the tribunal allows an appeal: leave is granted
	AppealDismissed        Outcome = "appeal_dismissed"        // then appeal rights are exhausted
	AppealRightsExhausted  Outcome = "appeal_rights_exhausted" // the current status of an ARE case
	Settled                Outcome = "settled"                 // indefinite leave after five years
	VoluntaryReturn        Outcome = "voluntary_return"        // after ARE: return with AVR (paras 60–62)
	FreshClaim             Outcome = "fresh_claim"             // after ARE: further submissions lodged
	FreshClaimAccepted     Outcome = "fresh_claim_accepted"    // further submissions accepted as a fresh claim (para 353), then decided
	FreshClaimRejected     Outcome = "fresh_claim_rejected"    // further submissions rejected: no new claim, no appeal
	NoLeave                Outcome = "no_leave"                // after ARE: stays without leave
	VictimPermission       Outcome = "victim_permission"       // temporary permission to stay for victims of trafficking
)

// Decision outcomes, in the order reports list them.
var DecisionOutcomes = []Outcome{RefugeeStatus, HumanitarianProtection, UASCLeave, Refused}

// Status is a young person's immigration status on the review date.
type Status string

const (
	Pending                      Status = "pending"
	StatusRefugee                Status = "refugee_status"
	StatusHumanitarianProtection Status = "humanitarian_protection"
	StatusUASCLeave              Status = "uasc_leave"
	StatusRefused                Status = "refused"
	StatusARE                    Status = "appeal_rights_exhausted"
	StatusSettled                Status = "settled"
)

// Statuses lists every status a case file may give.
var Statuses = []Status{Pending, StatusRefugee, StatusHumanitarianProtection, StatusUASCLeave, StatusRefused, StatusARE, StatusSettled}

// Placement is the young person's current placement type.
type Placement string

const (
	Foster            Placement = "foster"
	Residential       Placement = "residential"
	SupportedLodgings Placement = "supported_lodgings"
	SemiIndependent   Placement = "semi_independent"
	StayingPut        Placement = "staying_put"
	Independent       Placement = "independent"
	Other             Placement = "other" // a placement of another kind (903 PLACE codes with no closer type)
)

// Placements lists every placement a case file may give, in report order.
var Placements = []Placement{Foster, Residential, SupportedLodgings, SemiIndependent, StayingPut, Independent, Other}

// Case is one young person as of a review date (product.md §1).
type Case struct {
	ID          string // pseudonymous reference, never a name
	Name        string // optional; shown in the adviser's review pack only
	DateOfBirth Date
	Nationality string // ISO 3166-1 alpha-3
	Trafficked  bool
	ReviewDate  Date // zero when the file gives none

	Care        Care
	LeavingCare LeavingCare
	Asylum      Asylum
	Schedule3   *Schedule3  // nil when no human rights assessment outcome is recorded
	Return      *Return     // nil when no voluntary return is planned
	Trafficking Trafficking // the National Referral Mechanism; zero unless trafficked

	// For the young person's own page only: how they are addressed, and
	// their personal adviser's first name and phone number.
	Pronouns Pronouns
	Adviser  Adviser
}

// Pronouns say how the young person is addressed: the grammatical gender
// of their page in languages that mark it (Arabic). Unknown or "they"
// gives neutral wording.
type Pronouns string

const (
	PronounsUnknown Pronouns = ""
	PronounsShe     Pronouns = "she"
	PronounsHe      Pronouns = "he"
	PronounsThey    Pronouns = "they"
)

// PronounSets lists the values a case file may give.
var PronounSets = []Pronouns{PronounsShe, PronounsHe, PronounsThey}

// Adviser is how the young person reaches their personal adviser. Both
// fields are the adviser's, not the young person's; either may be empty.
type Adviser struct {
	FirstName string
	Phone     string
}

// Care is the young person's care history.
type Care struct {
	LookedAfterSince Date
	Placement        Placement
	// LeftCare is when the young person stopped being looked after before
	// 18; zero when they are looked after until 18.
	LeftCare Date
}

// LeavingCare records what decides leaving-care support after 18.
type LeavingCare struct {
	// EducationAfter21: in an agreed programme of education or training
	// after 21, so support (and the Home Office grant) runs to 25.
	EducationAfter21 bool
	// AdviserOnRequest: has asked for a personal adviser from 21 to 25
	// (Children Act 1989 s.23CZB, from April 2018).
	AdviserOnRequest bool
	// EducationAfter21Unknown and AdviserOnRequestUnknown: a cohort row
	// leaves the fact empty, so a forecast draws it with the policy's
	// share (leaving_care.education_after_21_share,
	// leaving_care.adviser_on_request_share); a plan takes it as false.
	EducationAfter21Unknown bool
	AdviserOnRequestUnknown bool
	// HigherEducationStart: start of a higher education course, when the
	// HE bursary is paid; zero if none.
	HigherEducationStart Date
	// HigherEducationEnd: end of the course; zero means the policy's
	// usual course length from the start.
	HigherEducationEnd Date
	// FirstHome: the move into a first independent home, when the
	// setting-up-home allowance is paid; zero means the policy's usual
	// time after leaving care (or the end of Staying Put).
	FirstHome Date
}

// Asylum is the state of the young person's immigration case.
type Asylum struct {
	ClaimDate        Date
	Status           Status
	DecisionDate     Date           // the decision that gave Status; zero when pending
	ExpectedDecision Date           // pending only; zero means the policy's median wait
	Probabilities    *Probabilities // overrides the priors for the next decision
	// Group is the Nationality and Borders Act 2022 group of a claim lodged
	// from 28 June 2022: 1 (the default, also written 0) or 2, whose
	// refugees got 30 months' temporary refugee permission (domain.md §9).
	Group int
	// Certified: the refusal is (or, while pending, would be) certified
	// clearly unfounded under NIAA 2002 s.94: no appeal in the UK.
	Certified bool
	// FreshClaimDate: further submissions lodged after appeal rights were
	// exhausted; zero when none is recorded.
	FreshClaimDate Date
}

// Trafficking records a trafficked child's National Referral Mechanism
// steps (guidance paras 19–21; domain.md §9). Zero dates are not yet known.
type Trafficking struct {
	NRMReferral       Date
	ReasonableGrounds Date   // the reasonable-grounds decision
	ConclusiveGrounds Date   // the conclusive-grounds decision
	ConclusiveOutcome string // "positive", "negative", or "" while awaited
}

// Conclusive-grounds outcomes.
const (
	ConclusivePositive = "positive"
	ConclusiveNegative = "negative"
)

// Schedule3 records the outcome of a human rights assessment under
// Schedule 3 of the Nationality, Immigration and Asylum Act 2002.
type Schedule3 struct {
	SupportContinues bool
	Reason           string
}

// Return is a planned voluntary return.
type Return struct {
	Departure            Date
	ReintegrationContact Date                       // planned contact with the reintegration service; zero if not given
	Budget               map[string]decimal.Decimal // reintegration assistance by category
}

// BudgetCategories are the uses of reintegration assistance (guidance para 62).
var BudgetCategories = []string{"cash", "business_setup", "education", "vocational_training", "job_placement", "housing", "childcare", "medical"}

// Probabilities are the chances of the four outcomes of one decision.
type Probabilities struct {
	RefugeeStatus          decimal.Decimal
	HumanitarianProtection decimal.Decimal
	UASCLeave              decimal.Decimal
	Refused                decimal.Decimal
}

// Of returns the probability of outcome o.
func (p Probabilities) Of(o Outcome) decimal.Decimal {
	switch o {
	case RefugeeStatus:
		return p.RefugeeStatus
	case HumanitarianProtection:
		return p.HumanitarianProtection
	case UASCLeave:
		return p.UASCLeave
	case Refused:
		return p.Refused
	}
	return decimal.Zero
}

// Sum returns the total of the four probabilities.
func (p Probabilities) Sum() decimal.Decimal {
	return p.RefugeeStatus.Add(p.HumanitarianProtection).Add(p.UASCLeave).Add(p.Refused)
}

// CareStatus is a young person's status under the leaving-care provisions
// of the Children Act 1989 (domain.md §3 and §9).
type CareStatus string

const (
	LookedAfter    CareStatus = "looked_after"    // looked after, not (yet) an eligible child
	Eligible       CareStatus = "eligible"        // 16 or 17, looked after 13 weeks or more since 14, still looked after
	Relevant       CareStatus = "relevant"        // was eligible and left care at 16 or 17
	FormerRelevant CareStatus = "former_relevant" // 18 or over and was eligible or relevant
	Qualifying     CareStatus = "qualifying"      // left care at 16 or over without being eligible: advice and assistance only
)
