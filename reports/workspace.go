package reports

import (
	"github.com/shopspring/decimal"

	"pathway/sim"
)

// What the adviser's workspace (reports/web) shows beside the pack, in the
// pack's own words: the nine plan areas with their suggested goals, "what
// changed since the last review", and the names of statuses, outcomes,
// perspectives, placements, payers and money. The workspace writes no word
// of its own for these, so the pack and the workspace never disagree.

// PlanArea is one of the nine pathway plan areas, with the goal the pack
// suggests under each perspective.
type PlanArea struct {
	Name  string
	Goals map[sim.Perspective]string
}

// PlanAreas returns the nine areas in the pack's order, with the goals it
// suggests for case c (a trafficked young person's transitional safety
// goal is the protection plan's).
func PlanAreas(c sim.Case) []PlanArea {
	out := make([]PlanArea, len(planAreas))
	for i, a := range planAreas {
		out[i] = PlanArea{Name: a.Name, Goals: map[sim.Perspective]string{}}
		for pp, g := range a.Goals {
			if pp == sim.Transitional && a.Name == "Safety and risk" && c.Trafficked {
				g = traffickedSafety
			}
			out[i].Goals[pp] = g.Text
		}
	}
	return out
}

// Change is one line of "Changed since the last review".
type Change struct {
	Section string // Facts, Actions, Chances, Net cost or Payers
	Label   string
	Before  string
	Now     string
	Change  string // "unchanged", "changed", "new", "7 days later", "+5.0 points", ...
}

// WhatChanged is the pack's "Changed since the last review" between prev
// and the plan p of case c: a headline and every row, in the pack's order.
func WhatChanged(prev *ReviewPrevious, c sim.Case, p *sim.Plan) (string, []Change) {
	ch := buildChanges(prev, c, p)
	var out []Change
	for _, s := range []struct {
		name string
		rows []changeRow
	}{{"Facts", ch.Facts}, {"Actions", ch.Actions}, {"Chances", ch.Chances}, {"Net cost", ch.NetCost}, {"Payers", ch.Payers}} {
		for _, r := range s.rows {
			out = append(out, Change{s.name, r.Label, r.Before, r.Now, r.Change})
		}
	}
	return ch.Headline, out
}

// StatusName is the pack's name for an asylum status, capitalised.
func StatusName(s sim.Status) string { return capitalise(statusWords[s]) }

// OutcomeName is the pack's name for an outcome on a path.
func OutcomeName(o sim.Outcome) string { return outcomeName(o) }

// PerspectiveName is the pack's name for a planning perspective, with what
// it means: "Long-term (if leave is granted)".
func PerspectiveName(p sim.Perspective) string { return perspectiveNames[p] }

// PerspectiveShortName is the pack's short name for a perspective.
func PerspectiveShortName(p sim.Perspective) string { return perspectiveShort[p] }

// PlacementName is the pack's name for a placement.
func PlacementName(p sim.Placement) string { return placementWords[p] }

// PathName writes a path's outcomes as the pack does: "Refused → appeal
// dismissed".
func PathName(b sim.Branch) string { return capitalise(pathSteps(b)) }

// MoneyLabel is the pack's label for a payer's category of money.
func MoneyLabel(p sim.Payer, c sim.Category) string { return categoryLabel(p, c) }

// PayerName is the pack's name for a payer.
func PayerName(p sim.Payer) string { return payerLabel[p] }

// Pounds writes an amount as the pack does: 12,345.67.
func Pounds(d decimal.Decimal) string { return pounds(d) }
