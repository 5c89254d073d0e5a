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
	NoLeave                Outcome = "no_leave"                // after ARE: stays without leave
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
)

// Placements lists every placement a case file may give.
var Placements = []Placement{Foster, Residential, SupportedLodgings, SemiIndependent, StayingPut, Independent}

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
	Schedule3   *Schedule3 // nil when no human rights assessment outcome is recorded
	Return      *Return    // nil when no voluntary return is planned
}

// Care is the young person's care history.
type Care struct {
	LookedAfterSince Date
	Placement        Placement
}

// LeavingCare records what decides leaving-care support after 18.
type LeavingCare struct {
	// EducationAfter21: in an agreed programme of education or training
	// after 21, so support (and the Home Office grant) runs to 25.
	EducationAfter21 bool
	// AdviserOnRequest: has asked for a personal adviser from 21 to 25
	// (Children Act 1989 s.23CZB, from April 2018).
	AdviserOnRequest bool
	// HigherEducationStart: start of a higher education course, when the
	// HE bursary is paid; zero if none.
	HigherEducationStart Date
}

// Asylum is the state of the young person's immigration case.
type Asylum struct {
	ClaimDate        Date
	Status           Status
	DecisionDate     Date           // the decision that gave Status; zero when pending
	ExpectedDecision Date           // pending only; zero means the policy's median wait
	Probabilities    *Probabilities // overrides the priors for the next decision
}

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
