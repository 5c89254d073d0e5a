package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// changes is "Changed since the last review": what moved between the plan
// at the last review and this one.
type changes struct {
	Since    sim.Date
	Facts    []changeRow // status, planning, key dates
	Actions  []changeRow // dated actions: new, moved, gone
	Soon     []changeRow // those of Actions with a date within a year of this review: for the summary
	Later    int         // how many of Actions are not in Soon
	Chances  []changeRow // by perspective
	NetCost  []changeRow // expected authority net cost by financial year
	Payers   []changeRow // expected totals by payer over the plan
	Headline string
}

type changeRow struct {
	Label  string
	Before string
	Now    string
	Change string
}

func buildChanges(prev *ReviewPrevious, c sim.Case, p *sim.Plan) *changes {
	q := prev.Plan
	ch := &changes{Since: q.AsOf}
	pc := prev.Case

	statusOf := func(cs sim.Case, pl *sim.Plan) string {
		s := capitalise(statusWords[pl.Status])
		if !cs.Asylum.DecisionDate.IsZero() {
			s += " (decided " + cs.Asylum.DecisionDate.Long() + ")"
		}
		return s
	}
	ch.add(&ch.Facts, "Status", statusOf(pc, q), statusOf(c, p), "")
	ch.add(&ch.Facts, "Planning", planningOf(q), planningOf(p), "")
	ch.add(&ch.Facts, "Leave expires", dateOrDash(commonLeaveExpiry(q)), dateOrDash(commonLeaveExpiry(p)), "")
	ch.add(&ch.Facts, "Next decision expected", dateOrDash(nextDecision(q)), dateOrDash(nextDecision(p)), "")
	if pc.Care.Placement != c.Care.Placement {
		ch.add(&ch.Facts, "Placement", placementWords[pc.Care.Placement], placementWords[c.Care.Placement], "")
	}

	// Dated actions, matched by perspective and kind, in date order.
	type key struct {
		pp   sim.Perspective
		kind sim.ActionKind
	}
	dated := func(pl *sim.Plan) map[key][]sim.Date {
		m := map[key][]sim.Date{}
		for _, a := range pl.Actions {
			if !a.By.IsZero() {
				k := key{a.Perspective, a.Kind}
				m[k] = append(m[k], a.By)
			}
		}
		return m
	}
	before, now := dated(q), dated(p)
	var keys []key
	seen := map[key]bool{}
	text := map[key]string{}
	for _, pl := range []*sim.Plan{p, q} {
		for _, a := range pl.Actions {
			k := key{a.Perspective, a.Kind}
			if !a.By.IsZero() && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
				text[k] = a.Text
			}
		}
	}
	soon := p.AsOf.AddMonths(12)
	addAction := func(row changeRow, dates ...sim.Date) {
		ch.Actions = append(ch.Actions, row)
		for _, d := range dates {
			if !d.After(soon) {
				ch.Soon = append(ch.Soon, row)
				return
			}
		}
		ch.Later++
	}
	for _, k := range keys {
		label := perspectiveShort[k.pp] + ": " + text[k]
		b, n := unmatched(before[k], now[k]), unmatched(now[k], before[k])
		// A deadline from the last review that has now passed is not "moved".
		var open []sim.Date
		for _, d := range b {
			if d.Before(p.AsOf) {
				addAction(changeRow{label, d.Long(), "–", "date passed"}, d)
			} else {
				open = append(open, d)
			}
		}
		for i := 0; i < max(len(open), len(n)); i++ {
			switch {
			case i >= len(open):
				addAction(changeRow{label, "–", n[i].Long(), "new"}, n[i])
			case i >= len(n):
				addAction(changeRow{label, open[i].Long(), "–", "no longer on the plan"}, open[i])
			default:
				addAction(changeRow{label, open[i].Long(), n[i].Long(), movedBy(open[i], n[i])}, open[i], n[i])
			}
		}
	}

	for _, pp := range sim.Perspectives {
		if b, ok := q.Exposure[pp]; ok {
			n := p.Exposure[pp]
			ch.Chances = append(ch.Chances, changeRow{perspectiveShort[pp] + ": comes into play", sim.Chance(b), sim.Chance(n), points(n.Sub(b))})
		}
		b, n := q.Chances[pp], p.Chances[pp]
		ch.Chances = append(ch.Chances, changeRow{perspectiveShort[pp] + ": paths end here", sim.Chance(b), sim.Chance(n), points(n.Sub(b))})
	}

	bNet, nNet := sim.NetCost(q.Expected), sim.NetCost(p.Expected)
	years := map[int]bool{}
	for y := range bNet {
		years[y] = true
	}
	for y := range nNet {
		years[y] = true
	}
	for _, y := range sortedYears(years) {
		bv, bok := bNet[y]
		nv, nok := nNet[y]
		ch.NetCost = append(ch.NetCost, changeRow{sim.FinancialYearLabel(y), moneyOrDash(bv, bok), moneyOrDash(nv, nok), signedPounds(nv.Sub(bv))})
	}
	totals := func(rows []sim.Funding) map[sim.Payer]decimal.Decimal {
		m := map[sim.Payer]decimal.Decimal{}
		for _, f := range rows {
			m[f.Payer] = m[f.Payer].Add(f.Amount)
		}
		return m
	}
	bt, nt := totals(q.Expected), totals(p.Expected)
	for _, py := range sim.Payers {
		ch.Payers = append(ch.Payers, changeRow{payerLabel[py], pounds(bt[py]), pounds(nt[py]), signedPounds(nt[py].Sub(bt[py]))})
	}
	bSum, nSum := decimal.Zero, decimal.Zero
	for _, v := range bNet {
		bSum = bSum.Add(v)
	}
	for _, v := range nNet {
		nSum = nSum.Add(v)
	}
	ch.Payers = append(ch.Payers, changeRow{"Authority net cost", pounds(bSum), pounds(nSum), signedPounds(nSum.Sub(bSum))})

	var head []string
	if q.Status != p.Status {
		head = append(head, fmt.Sprintf("status changed from %s to %s", statusWords[q.Status], statusWords[p.Status]))
	}
	if planningOf(q) != planningOf(p) {
		head = append(head, fmt.Sprintf("planning changed from %s to %s", strings.ToLower(planningOf(q)), strings.ToLower(planningOf(p))))
	}
	if len(head) == 0 {
		head = append(head, "status and planning perspective unchanged")
	}
	ch.Headline = capitalise(strings.Join(head, "; ")) + "."
	return ch
}

// add records a fact, marking whether it changed.
func (ch *changes) add(rows *[]changeRow, label, before, now, change string) {
	if change == "" {
		change = "unchanged"
		if before != now {
			change = "changed"
		}
	}
	*rows = append(*rows, changeRow{label, before, now, change})
}

func planningOf(p *sim.Plan) string {
	names := make([]string, len(p.Perspectives))
	for i, pp := range p.Perspectives {
		names[i] = strings.ToLower(perspectiveShort[pp])
	}
	return capitalise(p.Planning) + " (" + strings.Join(names, ", ") + ")"
}

// commonLeaveExpiry returns the expiry of the current leave when every path
// shares it, else the zero date.
func commonLeaveExpiry(p *sim.Plan) sim.Date {
	var d sim.Date
	for i, b := range p.Branches {
		if i == 0 {
			d = b.LeaveExpires
		} else if b.LeaveExpires != d {
			return sim.Date{}
		}
	}
	return d
}

// nextDecision returns the earliest decision or appeal decision on any path
// on or after the as-of date.
func nextDecision(p *sim.Plan) sim.Date {
	var d sim.Date
	for _, b := range p.Branches {
		for _, e := range b.Events {
			if (e.Kind == sim.EventDecision || e.Kind == sim.EventAppealDecision) && !e.Date.Before(p.AsOf) {
				if d.IsZero() || e.Date.Before(d) {
					d = e.Date
				}
				break
			}
		}
	}
	return d
}

func dateOrDash(d sim.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.Long()
}

func moneyOrDash(d decimal.Decimal, ok bool) string {
	if !ok {
		return "–"
	}
	return pounds(d)
}

func signedPounds(d decimal.Decimal) string {
	switch d.Sign() {
	case 0:
		return "0.00"
	case 1:
		return "+" + pounds(d)
	}
	return pounds(d)
}

// points writes a change in probability in percentage points.
func points(d decimal.Decimal) string {
	pp := d.Mul(decimal.NewFromInt(100)).Round(1)
	switch pp.Sign() {
	case 0:
		return "no change"
	case 1:
		return "+" + pp.String() + " points"
	}
	return pp.String() + " points"
}

func movedBy(before, now sim.Date) string {
	days := before.DaysUntil(now)
	if days > 0 {
		return fmt.Sprintf("%d days later", days)
	}
	return fmt.Sprintf("%d days earlier", -days)
}

// unmatched returns the dates of a that are not in b (each date in b
// matches one in a).
func unmatched(a, b []sim.Date) []sim.Date {
	left := append([]sim.Date(nil), b...)
	var out []sim.Date
	for _, d := range a {
		if i := slices.Index(left, d); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		out = append(out, d)
	}
	return out
}
