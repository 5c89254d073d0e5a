package web

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/sim"
)

// The case form has one field per case-file key, named by its dotted path.
// Its values are written as a case file (scenarios.CaseValues.TOML) and
// read by scenarios.ReadCase, so a field's error is the reader's own
// problem for that key, in the words the command line prints after
// "FILE:LINE: ".

// groupNames are the form's sections, one for each table of a case file.
var groupNames = map[string]struct{ legend, hint string }{
	"":                             {"The young person", "id is a reference such as YP-0001, never a name; the name is shown on the adviser's pages only."},
	"care":                         {"Care", ""},
	"asylum":                       {"Asylum claim", "decision_date is the date of the decision that gave the status; expected_decision is for a pending claim only."},
	"asylum.outcome_probabilities": {"Chances of the next decision", "Optional: the solicitor's view of this claim. Give all four or none; they must add up to 1."},
	"leaving_care":                 {"Leaving care", "Optional."},
	"schedule3":                    {"Human rights assessment (Schedule 3)", "Optional: the outcome of the assessment, once made."},
	"return":                       {"Planned voluntary return", "Optional."},
	"return.budget":                {"Reintegration budget", "Pounds and pence, like 500.00."},
	"trafficking":                  {"National Referral Mechanism", "Only for a young person who was trafficked."},
}

// fieldLabels name each key in words; the key itself is shown beside them.
var fieldLabels = map[string]string{
	"id": "Reference", "name": "Name", "date_of_birth": "Date of birth", "nationality": "Nationality",
	"trafficked": "Trafficked", "review_date": "Review date",
	"care.looked_after_since": "Looked after since", "care.placement": "Placement", "care.left_care": "Left care (before 18)",
	"asylum.claim_date": "Claim date", "asylum.status": "Status", "asylum.decision_date": "Decision date",
	"asylum.expected_decision": "Decision expected", "asylum.group": "Group (claims from 28 June 2022)",
	"asylum.certified": "Certified clearly unfounded", "asylum.fresh_claim_date": "Fresh claim lodged",
	"asylum.outcome_probabilities.refugee_status":          "Refugee status",
	"asylum.outcome_probabilities.humanitarian_protection": "Humanitarian protection",
	"asylum.outcome_probabilities.uasc_leave":              "UASC leave",
	"asylum.outcome_probabilities.refused":                 "Refused",
	"leaving_care.education_after_21":                      "In education or training after 21",
	"leaving_care.adviser_on_request":                      "Asked for a personal adviser after 21",
	"leaving_care.higher_education_start":                  "Higher education starts",
	"leaving_care.higher_education_end":                    "Higher education ends",
	"leaving_care.first_home":                              "First independent home",
	"schedule3.support_continues":                          "Support continues",
	"schedule3.reason":                                     "Why support continues",
	"return.departure":                                     "Departure", "return.reintegration_contact": "Contact with the reintegration service",
	"return.budget.cash": "Cash on departure", "return.budget.business_setup": "Business set-up",
	"return.budget.education": "Education", "return.budget.vocational_training": "Vocational training",
	"return.budget.job_placement": "Job placement", "return.budget.housing": "Housing",
	"return.budget.childcare": "Childcare", "return.budget.medical": "Medical or psychosocial support",
	"trafficking.nrm_referral": "Referral to the NRM", "trafficking.reasonable_grounds": "Reasonable-grounds decision",
	"trafficking.conclusive_grounds": "Conclusive-grounds decision", "trafficking.conclusive_outcome": "Conclusive-grounds outcome",
}

var kindHints = map[scenarios.FieldKind]string{
	scenarios.KindDate:    "For example, 2008-03-10",
	scenarios.KindNumber:  "A number from 0 to 1, like 0.55",
	scenarios.KindMoney:   "For example, 500.00",
	scenarios.KindInteger: "1 or 2",
}

type option struct {
	Value, Label string
	Selected     bool
}

type formField struct {
	Key, ID, Label, Hint string
	Value                string
	Error                string
	Select               bool
	Textarea             bool
	Width                string // a govuk-input--width-N class
	Options              []option
}

type formGroup struct {
	ID, Legend, Hint, Error string
	Fields                  []formField
}

// fieldID is the HTML id of a case key's input.
func fieldID(key string) string { return "f-" + strings.ReplaceAll(key, ".", "-") }

func groupID(table string) string {
	if table == "" {
		return "g-top"
	}
	return "g-" + strings.ReplaceAll(table, ".", "-")
}

// fieldError is one line of a page's error summary.
type fieldError struct {
	Href, Text string
}

// problemText is a problem as the command line prints it, without the
// file and line: key, the value found, what is allowed.
func problemText(p scenarios.Problem) string {
	p.File, p.Line = "", 0
	return strings.TrimPrefix(p.Error(), ": ")
}

// caseForm lays out the form with values v and problems ps.
func caseForm(v scenarios.CaseValues, ps scenarios.Problems) ([]formGroup, []fieldError) {
	byKey := map[string][]string{}
	var summary []fieldError
	for _, p := range ps {
		byKey[p.Key] = append(byKey[p.Key], problemText(p))
	}
	var groups []formGroup
	index := map[string]int{}
	for _, f := range scenarios.CaseFields() {
		gi, ok := index[f.Table]
		if !ok {
			gn := groupNames[f.Table]
			g := formGroup{ID: groupID(f.Table), Legend: gn.legend, Hint: gn.hint}
			if f.Table != "" {
				g.Error = strings.Join(byKey[f.Table], "; ")
			}
			groups = append(groups, g)
			gi = len(groups) - 1
			index[f.Table] = gi
		}
		ff := formField{Key: f.Key, ID: fieldID(f.Key), Label: fieldLabels[f.Key], Value: v[f.Key], Hint: kindHints[f.Kind],
			Error: strings.Join(byKey[f.Key], "; ")}
		if ff.Label == "" {
			ff.Label = f.Key
		}
		switch f.Kind {
		case scenarios.KindDate:
			ff.Width = "govuk-input--width-10"
		case scenarios.KindNumber, scenarios.KindInteger, scenarios.KindMoney:
			ff.Width = "govuk-input--width-5"
		}
		switch f.Key {
		case "id", "nationality":
			ff.Width = "govuk-input--width-10"
			if f.Key == "nationality" {
				ff.Hint = "An ISO 3166-1 alpha-3 code, like AFG"
			}
		case "schedule3.reason":
			ff.Textarea = true
		}
		switch f.Kind {
		case scenarios.KindBool:
			ff.Select = true
			ff.Options = options(v[f.Key], []string{"true", "false"}, map[string]string{"true": "Yes", "false": "No"})
		case scenarios.KindEnum:
			ff.Select = true
			words := map[string]string{}
			for _, o := range f.Options {
				switch f.Key {
				case "care.placement":
					words[o] = capitalise(reports.PlacementName(sim.Placement(o)))
				case "asylum.status":
					words[o] = reports.StatusName(sim.Status(o))
				default:
					words[o] = capitalise(o)
				}
			}
			ff.Options = options(v[f.Key], f.Options, words)
		}
		groups[gi].Fields = append(groups[gi].Fields, ff)
	}
	// The summary lists problems in the form's order.
	for _, g := range groups {
		if g.Error != "" {
			summary = append(summary, fieldError{"#" + g.ID, g.Error})
		}
		for _, f := range g.Fields {
			if f.Error != "" {
				summary = append(summary, fieldError{"#" + f.ID, f.Error})
			}
		}
	}
	// Problems with no field (a limit on the whole file, a field that is
	// no case key) go last.
	for _, p := range ps {
		if !scenarios.IsCaseKey(p.Key) && (p.Key == "" || !isTable(p.Key)) {
			summary = append(summary, fieldError{"#" + groupID(""), problemText(p)})
		}
	}
	return groups, summary
}

func isTable(key string) bool {
	for _, f := range scenarios.CaseFields() {
		if f.Table == key {
			return true
		}
	}
	return false
}

// options lists a select's choices: "Not given" first, then values with
// their words and the value itself. A value that is none of them (from an
// import or a script) is kept as a choice, so it is shown, not lost.
func options(cur string, values []string, words map[string]string) []option {
	out := []option{{Value: "", Label: "Not given", Selected: cur == ""}}
	for _, v := range values {
		label := v
		if w := words[v]; w != "" && w != v {
			label = w + " (" + v + ")"
		}
		out = append(out, option{Value: v, Label: label, Selected: cur == v})
	}
	if cur != "" && !slices.Contains(values, cur) {
		out = append(out, option{Value: cur, Label: cur, Selected: true})
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// formValues reads the case form. Surrounding spaces are dropped; a field
// left empty is not given. A field that is no case-file key is a problem,
// as an unknown key in a file is.
func formValues(form url.Values) (scenarios.CaseValues, scenarios.Problems) {
	v := scenarios.CaseValues{}
	for _, k := range scenarios.FieldKeys() {
		if s := strings.TrimSpace(strings.ReplaceAll(form.Get(k), "\r\n", "\n")); s != "" {
			v[k] = s
		}
	}
	var ps scenarios.Problems
	var unknown []string
	for k := range form {
		if !scenarios.IsCaseKey(k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		ps = append(ps, scenarios.UnknownKeyProblem("form", k))
	}
	return v, ps
}

// checkCase reads values v as the command line reads a case file, planned
// from asOf (the case's review_date when asOf is zero).
func (s *server) checkCase(v scenarios.CaseValues, asOf sim.Date) (sim.Case, scenarios.Problems, error) {
	c, err := scenarios.ReadCase(bytes.NewReader(v.TOML()), "form", asOf, s.cfg.Policy)
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		return sim.Case{}, ps, nil
	}
	return c, nil, err
}
