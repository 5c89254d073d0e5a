package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/reports"
	"pathway/scenarios/store"
	"pathway/sim"
)

// The plan view: the deadlines first, then the perspectives, the paths
// and the money, each from the plan model as it stands; the words for
// statuses, outcomes, perspectives and money are the pack's.

type deadlineRow struct {
	From, By    sim.Date
	Text        string
	Perspective string
	Chance      string
	Overdue     bool
}

type perspectiveRow struct{ Name, Role, Chance string }

type pathRow struct {
	N            int
	Path, Chance string
	LeaveExpires sim.Date
	Steps        []string
}

type moneyRow struct {
	Label  string
	Cells  []string
	Strong bool
}

type planData struct {
	PersonID     int64
	Ref, Name    string
	AsOf         sim.Date
	Status       string
	CareStatus   string
	CareReason   string
	Planning     string
	Reason       string
	Deadlines    []deadlineRow
	Standing     []deadlineRow
	Perspectives []perspectiveRow
	Paths        []pathRow
	Years        []string
	Money        []moneyRow
	Protection   []deadlineRow
	Unconfirmed  []string
}

func actionRows(as []sim.Action, asOf sim.Date) (dated, standing []deadlineRow) {
	for _, a := range as {
		row := deadlineRow{From: a.From, By: a.By, Text: a.Text, Perspective: reports.PerspectiveShortName(a.Perspective), Overdue: a.Overdue(asOf)}
		if a.Chance.LessThan(decimal.NewFromInt(1)) {
			row.Chance = sim.Chance(a.Chance)
		}
		if a.By.IsZero() {
			standing = append(standing, row)
		} else {
			dated = append(dated, row)
		}
	}
	slices.SortStableFunc(dated, func(a, b deadlineRow) int { return a.By.Compare(b.By) })
	return dated, standing
}

func planningWords(p *sim.Plan) string {
	names := make([]string, len(p.Perspectives))
	for i, pp := range p.Perspectives {
		names[i] = strings.ToLower(reports.PerspectiveShortName(pp))
	}
	return capitalise(p.Planning) + " (" + strings.Join(names, ", ") + ")"
}

func planView(person store.Person, c sim.Case, p *sim.Plan) planData {
	d := planData{PersonID: person.ID, Ref: person.Ref, Name: person.Name, AsOf: p.AsOf,
		Status: reports.StatusName(p.Status), CareStatus: capitalise(strings.ReplaceAll(string(p.CareStatus), "_", " ")),
		CareReason: p.CareReason, Planning: planningWords(p), Reason: capitalise(p.Reason)}
	d.Deadlines, d.Standing = actionRows(p.Actions, p.AsOf)
	prot, standing := actionRows(p.Protection, p.AsOf)
	d.Protection = append(prot, standing...)
	for _, pp := range sim.Perspectives {
		role := ""
		switch {
		case slices.Contains(p.Perspectives, pp):
			role = "Plan"
		case slices.Contains(p.Contingencies, pp):
			role = "Contingency"
		default:
			continue
		}
		d.Perspectives = append(d.Perspectives, perspectiveRow{reports.PerspectiveName(pp), role, sim.Chance(p.Chances[pp])})
	}
	for _, b := range p.Branches {
		row := pathRow{N: b.Number, Path: reports.PathName(b), Chance: sim.Chance(b.Probability), LeaveExpires: b.LeaveExpires}
		for _, st := range b.Steps {
			row.Steps = append(row.Steps, fmt.Sprintf("%s on %s (age %d)", reports.OutcomeName(st.Outcome), st.Date.Long(), st.Age))
		}
		d.Paths = append(d.Paths, row)
	}
	d.Years, d.Money = moneyTable(p.Expected)
	for _, v := range p.Unconfirmed() {
		d.Unconfirmed = append(d.Unconfirmed, v.Key)
	}
	return d
}

// moneyTable lays out expected money: a row for each payer's category, in
// the order of sim.Payers, and the authority's net cost, by financial year.
func moneyTable(rows []sim.Funding) ([]string, []moneyRow) {
	var years []int
	type key struct {
		payer sim.Payer
		cat   sim.Category
	}
	var keys []key
	amounts := map[key]map[int]decimal.Decimal{}
	for _, f := range rows {
		if !slices.Contains(years, f.Year) {
			years = append(years, f.Year)
		}
		k := key{f.Payer, f.Category}
		if amounts[k] == nil {
			amounts[k] = map[int]decimal.Decimal{}
			keys = append(keys, k)
		}
		amounts[k][f.Year] = amounts[k][f.Year].Add(f.Amount)
	}
	slices.Sort(years)
	slices.SortStableFunc(keys, func(a, b key) int {
		return slices.Index(sim.Payers, a.payer) - slices.Index(sim.Payers, b.payer)
	})
	labels := make([]string, len(years))
	for i, y := range years {
		labels[i] = sim.FinancialYearLabel(y)
	}
	cells := func(m map[int]decimal.Decimal) []string {
		out := make([]string, len(years))
		for i, y := range years {
			if v, ok := m[y]; ok {
				out[i] = reports.Pounds(v)
			} else {
				out[i] = "–"
			}
		}
		return out
	}
	var out []moneyRow
	for _, k := range keys {
		out = append(out, moneyRow{Label: reports.MoneyLabel(k.payer, k.cat), Cells: cells(amounts[k])})
	}
	if len(keys) > 0 {
		out = append(out, moneyRow{Label: "Authority net cost", Cells: cells(sim.NetCost(rows)), Strong: true})
	}
	return labels, out
}
