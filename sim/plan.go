package sim

import (
	"github.com/shopspring/decimal"
)

// Perspective is one of the planning perspectives of guidance para 56.
type Perspective string

const (
	Transitional Perspective = "transitional" // while status is uncertain
	LongTerm     Perspective = "long_term"    // if long-term leave is granted
	ReturnHome   Perspective = "return"       // if the young person must or chooses to leave
)

// Perspectives in the order the guidance gives them.
var Perspectives = []Perspective{Transitional, LongTerm, ReturnHome}

// EventKind names what happens on a dated event (product.md "The JSON plan").
type EventKind string

const (
	EventDecision               EventKind = "decision"
	EventLeaveExpires           EventKind = "leave_expires"
	EventInstructSolicitorBy    EventKind = "instruct_solicitor_by"
	EventApplyFrom              EventKind = "apply_from"
	EventApplyToExtendBy        EventKind = "apply_to_extend_by" // the legal deadline: the day leave expires
	EventSettlementEligible     EventKind = "settlement_eligible"
	EventAppealDeadline         EventKind = "appeal_deadline"
	EventAppealDecision         EventKind = "appeal_decision"
	EventJudicialReviewBy       EventKind = "judicial_review_by"
	EventAppealRightsExhausted  EventKind = "appeal_rights_exhausted"
	EventHumanRights            EventKind = "human_rights_assessment"
	EventSupportEnds            EventKind = "support_ends_schedule3"
	EventSupportContinues       EventKind = "support_continues"
	EventFreshClaim             EventKind = "fresh_claim"
	EventFreshClaimDecision     EventKind = "fresh_claim_decision"
	EventAVRDeparture           EventKind = "avr_departure"
	EventReintegrationContact   EventKind = "reintegration_contact_by"
	EventReintegrationSpend     EventKind = "reintegration_spend_by"
	EventNRMReferralBy          EventKind = "nrm_referral_by"
	EventReasonableGrounds      EventKind = "reasonable_grounds_expected"
	EventConclusiveGrounds      EventKind = "conclusive_grounds_expected"
	EventVictimPermissionEnds   EventKind = "victim_permission_ends"
	EventBecomesEligible        EventKind = "becomes_eligible"
	EventFirstHome              EventKind = "first_home"
	EventTurns16                EventKind = "turns_16"
	EventTurns17Half            EventKind = "turns_17_5"
	EventTurns18                EventKind = "turns_18"
	EventTurns21                EventKind = "turns_21"
	EventTurns25                EventKind = "turns_25"
	EventPlanHorizon            EventKind = "plan_horizon"
	EventLateApplicationWarning EventKind = "late_application"
	EventDecisionsPaused        EventKind = "decisions_paused"
)

// Event is one dated thing on a path.
type Event struct {
	Date Date
	Kind EventKind
	Text string
	Age  int // the young person's age in whole years on Date

	act *pending // the action this event calls for; nil if none
}

// pending is an action an event calls for, before the plan gathers the
// actions of every path into one list with their chances.
type pending struct {
	kind        ActionKind
	perspective Perspective
	from        Date
	text        string
	overdue     string // the text once By has passed; "" drops the action then
	sources     []SourceRef
}

// Standing is the young person's immigration standing over a period, which
// decides who supports them and with what (domain.md §2, §5).
type Standing string

const (
	AsylumSeeker Standing = "asylum_seeker" // a claim, appeal or fresh claim is pending
	WithLeave    Standing = "leave"         // leave with recourse to public funds, including section 3C
	WithoutLeave Standing = "no_leave"      // appeal rights exhausted
	Indefinite   Standing = "settled"       // indefinite leave to remain
	Departed     Standing = "departed"      // has left the UK
)

// Period is a stretch of time from From until the next period's From (or
// the end of the plan) with one standing. SupportCut marks leaving-care
// support withdrawn under Schedule 3.
type Period struct {
	From       Date
	Standing   Standing
	SupportCut bool
}

// Step is one decision on a path: its outcome, its date and the young
// person's age in whole years on that date.
type Step struct {
	Outcome Outcome
	Date    Date
	Age     int
	// ChanceUnconfirmed: the chance of reaching this step, along the
	// path, rests on a placeholder probability (see Branch.ChanceBasis).
	ChanceUnconfirmed bool
}

// Branch is one possible future: the outcomes of successive decisions, its
// probability as seen on the as-of date, and its dated events.
type Branch struct {
	// Number ranks the branch by chance, highest first, ties in the order
	// the tree gives them: the same path has the same number in every
	// output. Plan.Branches is sorted by it.
	Number       int
	Path         []Outcome
	Steps        []Step // one per element of Path, with its date
	Probability  decimal.Decimal
	LeaveExpires Date // of the first grant on the path; zero if none
	Events       []Event
	Periods      []Period
	Departure    Date        // voluntary return date on return paths; zero otherwise
	End          Perspective // where the path leaves the young person
	Funding      []Funding   // money by financial year, payer and category
	AVR          *AVRBudget  // the reintegration budget on a return path

	// ChanceBasis lists the probability values the branch's chance rests
	// on, in the order first used: "key from DATE" for a dated policy
	// value, "prior:AFG" (or "prior:default") for a nationality's prior.
	// ChanceUnconfirmed reports whether any of them is a placeholder
	// (an unconfirmed value, or a prior of confidence UNCONFIRMED): such
	// a chance is never shown to the young person as a number.
	ChanceBasis       []string
	ChanceUnconfirmed bool
}

// Outcome returns the path's first outcome (product.md: path[0]).
func (b Branch) Outcome() Outcome { return b.Path[0] }

// ActionKind is a stable name for what an action asks, beside its words.
type ActionKind string

const (
	ActInstructSolicitor   ActionKind = "instruct_solicitor"
	ActApplyInTime         ActionKind = "apply_in_time"
	ActAppeal              ActionKind = "appeal"
	ActJudicialReview      ActionKind = "judicial_review"
	ActHumanRights         ActionKind = "human_rights_assessment"
	ActReintegrationCall   ActionKind = "reintegration_contact"
	ActReviewPlan          ActionKind = "review_pathway_plan"
	ActAppointAdviser      ActionKind = "appoint_personal_adviser"
	ActAdviceAssistance    ActionKind = "advice_and_assistance"
	ActWorkWithSolicitor   ActionKind = "work_with_solicitor"
	ActRegisteredAdvice    ActionKind = "registered_advice"
	ActPlanLongTerm        ActionKind = "plan_long_term"
	ActTellAboutAVR        ActionKind = "tell_about_avr"
	ActPlanSchedule3       ActionKind = "plan_schedule3"
	ActNRMReferral         ActionKind = "nrm_referral"
	ActNRMFollowUp         ActionKind = "nrm_follow_up"
	ActTraffickingGuardian ActionKind = "trafficking_guardian"
	ActVictimPermission    ActionKind = "victim_permission"
	ActMissingPhoto        ActionKind = "missing_photo"
	ActMissingProtocol     ActionKind = "missing_protocol"
	ActFeelSafe            ActionKind = "feel_safe"
	ActProtectLocation     ActionKind = "protect_location"
	ActSupervision         ActionKind = "consider_supervision"
	ActNoBedAndBreakfast   ActionKind = "no_bed_and_breakfast"
	ActCarersAware         ActionKind = "carers_aware"
	ActLeavingCareRisk     ActionKind = "leaving_care_accommodation_risk"
	ActAdviserAware        ActionKind = "adviser_aware_of_risk"
)

// SourceRef says where a rule or figure comes from: a dated policy value
// (PolicyKey and On), a paragraph of the 2014 guidance (GuidancePara), or a
// public source (Title and URL). Exactly one kind is set.
type SourceRef struct {
	PolicyKey    string
	On           Date
	GuidancePara string
	Title        string
	URL          string
}

// Action is something to do, by a date where there is one.
type Action struct {
	Kind        ActionKind
	Perspective Perspective
	From        Date            // the first day of a window; zero when there is none
	By          Date            // zero for standing actions
	Chance      decimal.Decimal // probability the action will be needed; 1 when certain
	Text        string
	Sources     []SourceRef
}

// Overdue reports whether the action's date has passed on asOf.
func (a Action) Overdue(asOf Date) bool { return !a.By.IsZero() && a.By.Before(asOf) }

// Plan is a young person's branched plan on the as-of date.
type Plan struct {
	ID            string
	AsOf          Date
	Horizon       Date // the 25th birthday, when personal adviser support ends
	Policy        string
	Status        Status
	CareStatus    CareStatus // the young person's leaving-care status on the as-of date
	CareReason    string     // why, in an adviser's words
	Planning      string     // single, dual or triple
	Perspectives  []Perspective
	Contingencies []Perspective
	Chances       map[Perspective]decimal.Decimal // probability that the paths end in each perspective
	Exposure      map[Perspective]decimal.Decimal // probability that a grant (long_term) or a refusal (return) comes at some point
	Reason        string
	Branches      []Branch // by Number
	Actions       []Action
	Protection    []Action   // trafficked children's protection steps (paras 39–45)
	Expected      []Funding  // probability-weighted money across paths
	Used          []Param    // every policy value the plan used
	Priors        []PriorUse // the prior rows (or the case's own chances) the plan's decisions rest on, by date
	Pauses        []Pause    // pauses in decisions that hold a decision on the plan

	dob Date // kept for AgeOn; outputs show ages, never the date of birth
}

// AgeOn returns the young person's age in whole years on d.
func (p *Plan) AgeOn(d Date) int { return p.dob.AgeOn(d) }

// YearsOfAge returns the young person's age on d in years, with the
// fraction of the current year of age: for charts by age.
func (p *Plan) YearsOfAge(d Date) float64 {
	age := p.dob.AgeOn(d)
	last, next := p.dob.Birthday(age), p.dob.Birthday(age+1)
	return float64(age) + float64(last.DaysUntil(d))/float64(last.DaysUntil(next))
}

// Unconfirmed returns the policy values the plan used that are placeholders.
func (p *Plan) Unconfirmed() []Param {
	var out []Param
	for _, v := range p.Used {
		if v.Unconfirmed {
			out = append(out, v)
		}
	}
	return out
}
