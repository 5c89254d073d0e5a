package reports

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"pathway/sim"
)

// What a plan's or a forecast's chances rest on: the prior rows (or the
// case's own chances) by decision, and pauses in decisions, in words.

// decisionWords name the decisions whose chances come from a prior.
var decisionWords = map[sim.DecisionKind]string{
	sim.FirstDecision:      "First decision on the claim, expected",
	sim.ExtensionDecision:  "Decisions on extending UASC leave (how a grant divides between refugee status and HP), first expected",
	sim.FreshClaimDecision: "Decisions on a fresh claim, first expected",
}

// countryOnly is a country's English name, or the code when it has none.
func countryOnly(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.English.Regions().Name(r); n != "" {
		return n
	}
	return code
}

// priorWhose says whose decisions a prior row counts.
func priorWhose(u sim.PriorUse) string {
	pr := u.Prior
	who := "main applicants of all ages"
	if pr.UASC {
		who = "unaccompanied children"
	}
	switch u.Basis {
	case sim.BasisNationality:
		return fmt.Sprintf("decisions on %s from %s", who, countryOnly(pr.Nationality))
	case sim.BasisRegion:
		return fmt.Sprintf("decisions on %s from the %s region (too few decisions for the nationality itself)", who, pr.Region)
	}
	return fmt.Sprintf("decisions on %s of all nationalities (too few decisions for the nationality or its region, or nationality unknown)", who)
}

// priorPeriod names the period a row's figures describe.
func priorPeriod(pr sim.Prior) string {
	switch {
	case pr.Period != "":
		return pr.Period
	case pr.From.IsZero() && pr.To.IsZero():
		return "undated"
	case pr.To.IsZero():
		return "from " + pr.From.Long()
	case pr.From.IsZero():
		return "to " + pr.To.Long()
	}
	return pr.From.Long() + " to " + pr.To.Long()
}

// sharesText writes a row's four chances.
func sharesText(p sim.Probabilities) string {
	return fmt.Sprintf("refugee status %s, humanitarian protection %s, UASC leave %s, refused %s",
		sim.Chance(p.RefugeeStatus), sim.Chance(p.HumanitarianProtection), sim.Chance(p.UASCLeave), sim.Chance(p.Refused))
}

// priorUseText says, for an adviser, what one decision's chances rest on:
// "Home Office initial decisions on main applicants of all ages from
// Afghanistan, 2024 Q3 (941 decisions): refugee status 52%, …; source: …".
func priorUseText(u sim.PriorUse) string {
	if u.Basis == sim.BasisCase {
		s := "the case file's own chances: " + sharesText(u.Prior.Probs)
		if u.Past17Half {
			s += past17HalfText(u)
		}
		return s
	}
	pr := u.Prior
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s", priorWhose(u), priorPeriod(pr))
	if pr.Decisions > 0 {
		fmt.Fprintf(&b, " (%s decisions)", decisionsText(pr.Decisions))
	}
	fmt.Fprintf(&b, ": %s", sharesText(pr.Probs))
	if s := sourceText(pr.Refs); s != "" {
		fmt.Fprintf(&b, "; source: %s", s)
	}
	if pr.Confidence != "" {
		fmt.Fprintf(&b, " (confidence %s)", pr.Confidence)
	}
	if u.Past17Half {
		b.WriteString(past17HalfText(u))
	}
	return b.String()
}

// past17HalfText says why a row's UASC leave share counts as refused, with
// the age limit the policy gives.
func past17HalfText(u sim.PriorUse) string {
	return fmt.Sprintf("; at %s or older no UASC leave is granted, so that share counts as refused", sim.AgeWords(u.AgeLimitMonths))
}

// priorLines are the lines a plan's "what the chances rest on" lists: one
// per decision and row, dated, then the pauses that hold a decision.
func priorLines(p *sim.Plan) []string {
	var out []string
	for _, u := range p.Priors {
		out = append(out, fmt.Sprintf("%s %s: %s", decisionWords[u.Decision], u.On.Long(), priorUseText(u)))
	}
	for _, ps := range p.Pauses {
		out = append(out, pauseText(ps))
	}
	return out
}

// pauseText says what a pause in decisions is and where it is reported.
func pauseText(ps sim.Pause) string {
	s := "Decisions paused: " + ps.Reason + ", from " + ps.From.Long()
	if ps.To.IsZero() {
		s += ", with no end announced"
	} else {
		s += " to " + ps.To.Long()
	}
	if src := sourceText(ps.Refs); src != "" {
		s += "; source: " + src
	}
	return s
}

// jsonPrior is one entry of the JSON plan's "priors".
type jsonPrior struct {
	Decision    sim.DecisionKind `json:"decision,omitempty"`
	On          string           `json:"on"`
	Basis       sim.PriorBasis   `json:"basis"`
	Nationality string           `json:"nationality,omitempty"`
	Region      string           `json:"region,omitempty"`
	UASC        bool             `json:"uasc"`
	From        *string          `json:"from"`
	To          *string          `json:"to"`
	Period      string           `json:"period,omitempty"`
	Decisions   int              `json:"decisions,omitempty"`
	Probs       jsonProbs        `json:"probabilities"`
	Confidence  string           `json:"confidence,omitempty"`
	Source      string           `json:"source,omitempty"`
	Sources     []jsonSource     `json:"sources"`
	Past17Half  bool             `json:"past_17_5,omitempty"` // the UASC leave share counts as refused
	Text        string           `json:"text"`
}

type jsonProbs struct {
	RefugeeStatus          number `json:"refugee_status"`
	HumanitarianProtection number `json:"humanitarian_protection"`
	UASCLeave              number `json:"uasc_leave"`
	Refused                number `json:"refused"`
}

func jsonPriorOf(u sim.PriorUse) jsonPrior {
	pr := u.Prior
	return jsonPrior{Decision: u.Decision, On: u.On.String(), Basis: u.Basis, Nationality: pr.Nationality, Region: pr.Region,
		UASC: pr.UASC, From: optDate(pr.From), To: optDate(pr.To), Period: pr.Period, Decisions: pr.Decisions,
		Probs:      jsonProbs{number{pr.Probs.RefugeeStatus}, number{pr.Probs.HumanitarianProtection}, number{pr.Probs.UASCLeave}, number{pr.Probs.Refused}},
		Confidence: pr.Confidence, Source: pr.Source, Sources: jsonSources(pr.Refs), Past17Half: u.Past17Half, Text: priorUseText(u)}
}

// jsonPause is one entry of the JSON plan's "pauses".
type jsonPause struct {
	Nationality string       `json:"nationality"`
	From        string       `json:"from"`
	To          *string      `json:"to"` // null when no end is known
	Reason      string       `json:"reason"`
	Confidence  string       `json:"confidence"`
	Sources     []jsonSource `json:"sources"`
}

func jsonPauses(ps []sim.Pause) []jsonPause {
	out := []jsonPause{}
	for _, p := range ps {
		out = append(out, jsonPause{p.Nationality, p.From.String(), optDate(p.To), p.Reason, p.Confidence, jsonSources(p.Refs)})
	}
	return out
}

// priorWhoseShort names whose a prior row is, for a table cell.
func priorWhoseShort(pr sim.Prior) string {
	s := "All nationalities"
	switch {
	case pr.Nationality != "":
		s = countryOnly(pr.Nationality) + " (" + pr.Nationality + ")"
	case pr.Region != "":
		s = "Region: " + pr.Region
	}
	if pr.UASC {
		s += ", unaccompanied children"
	}
	return s
}

// priorRow is a prior row's cells, as the workbook's and the dashboard's
// tables of priors give them.
type priorRow struct {
	Whose    string
	From, To string // "" where the row is open
	Shares   [4]decimal.Decimal
	// Decisions is how many decisions the shares come from; 0 if not given.
	Decisions int
	Note      string // the period, how the row was found, its source and confidence
}

func priorRowOf(u sim.PriorUse) priorRow {
	pr := u.Prior
	r := priorRow{Whose: priorWhoseShort(pr), Decisions: pr.Decisions,
		Shares: [4]decimal.Decimal{pr.Probs.RefugeeStatus, pr.Probs.HumanitarianProtection, pr.Probs.UASCLeave, pr.Probs.Refused},
		Note:   priorPeriod(pr) + "; " + basisWords[u.Basis] + "; source: " + orNone(sourceText(pr.Refs)) + "; confidence " + orNone(pr.Confidence)}
	if !pr.From.IsZero() {
		r.From = pr.From.String()
	}
	if !pr.To.IsZero() {
		r.To = pr.To.String()
	}
	return r
}

// decisionsText writes a count of decisions with thousands separators.
func decisionsText(n int) string {
	return strings.TrimSuffix(pounds(decimal.NewFromInt(int64(n))), ".00")
}

// xlsxPriors writes, from row on, the table of the prior rows a forecast's
// decisions may be drawn from, and returns the row after it.
func xlsxPriors(s *sheetWriter, st xlsxStyles, row int, uses []sim.PriorUse) int {
	if len(uses) == 0 {
		return row
	}
	s.text(1, row, "Outcome priors the cohort's decisions may be drawn from (by the decision's date)", st.title)
	row++
	for i, h := range []string{"Whose decisions", "From", "To", "Refugee status", "Humanitarian protection", "UASC leave", "Refused", "Decisions", "Period, basis and source"} {
		s.text(1+i, row, h, st.header)
	}
	row++
	for _, u := range uses {
		r := priorRowOf(u)
		s.text(1, row, r.Whose, 0)
		s.text(2, row, r.From, 0)
		s.text(3, row, r.To, 0)
		for i, p := range r.Shares {
			s.decimal(4+i, row, p, 0)
		}
		if r.Decisions > 0 {
			s.integer(8, row, r.Decisions, 0)
		}
		s.text(9, row, r.Note, st.wrap)
		row++
	}
	return row
}

// basisWords say how a row was found for the young people it applies to.
var basisWords = map[sim.PriorBasis]string{
	sim.BasisNationality: "their nationality's own figures",
	sim.BasisRegion:      "their region's figures (too few decisions for the nationality)",
	sim.BasisAll:         "all nationalities' figures (too few for the nationality and its region, or nationality unknown)",
	sim.BasisCase:        "the cohort file's own chances",
}
