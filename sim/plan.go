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
	EventDecision              EventKind = "decision"
	EventLeaveExpires          EventKind = "leave_expires"
	EventApplyToExtendBy       EventKind = "apply_to_extend_by"
	EventSettlementEligible    EventKind = "settlement_eligible"
	EventAppealDeadline        EventKind = "appeal_deadline"
	EventAppealDecision        EventKind = "appeal_decision"
	EventAppealRightsExhausted EventKind = "appeal_rights_exhausted"
	EventHumanRights           EventKind = "human_rights_assessment"
	EventSupportEnds           EventKind = "support_ends_schedule3"
	EventSupportContinues      EventKind = "support_continues"
	EventFreshClaim            EventKind = "fresh_claim"
	EventAVRDeparture          EventKind = "avr_departure"
	EventReintegrationContact  EventKind = "reintegration_contact_by"
	EventReintegrationSpend    EventKind = "reintegration_spend_by"
	EventTurns16               EventKind = "turns_16"
	EventTurns17Half           EventKind = "turns_17_5"
	EventTurns18               EventKind = "turns_18"
	EventTurns21               EventKind = "turns_21"
	EventTurns25               EventKind = "turns_25"
	EventProtection            EventKind = "protection_review"
	EventPlanHorizon           EventKind = "plan_horizon"
)

// Event is one dated thing on a path.
type Event struct {
	Date Date
	Kind EventKind
	Text string

	perspective Perspective // set on events that call for an action
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

// Branch is one possible future: the outcomes of successive decisions, its
// probability as seen on the as-of date, and its dated events.
type Branch struct {
	Path         []Outcome
	Probability  decimal.Decimal
	LeaveExpires Date // of the first grant on the path; zero if none
	Events       []Event
	Periods      []Period
	Departure    Date        // voluntary return date on return paths; zero otherwise
	End          Perspective // where the path leaves the young person
	Funding      []Funding   // money by financial year, payer and category
	AVR          *AVRBudget  // the reintegration budget on a return path
}

// Outcome returns the path's first outcome (product.md: path[0]).
func (b Branch) Outcome() Outcome { return b.Path[0] }

// Action is something to do, by a date where there is one.
type Action struct {
	Perspective Perspective
	By          Date            // zero for standing actions
	Chance      decimal.Decimal // probability the action will be needed; 1 when certain
	Text        string
	Source      string // guidance paragraph or domain.md tag
}

// Plan is a young person's branched plan on the as-of date.
type Plan struct {
	ID            string
	AsOf          Date
	Policy        string
	Status        Status
	Planning      string // single, dual or triple
	Perspectives  []Perspective
	Contingencies []Perspective
	Chances       map[Perspective]decimal.Decimal // probability that the paths end in each perspective
	Exposure      map[Perspective]decimal.Decimal // probability that a grant (long_term) or a refusal (return) comes at some point
	Reason        string
	Branches      []Branch
	Actions       []Action
	Protection    []Action  // trafficked children's protection steps (paras 39–45)
	Expected      []Funding // probability-weighted money across paths
	Used          []Param   // every policy value the plan used
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
