package reports

import (
	"strconv"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// treeNode is one step of the probability tree: a prefix of one or more
// paths, with the chance of reaching it.
type treeNode struct {
	ID      string // "n0", "n1", ...; the root is "n0"
	Outcome sim.Outcome
	Depth   int
	Chance  decimal.Decimal
	Parent  int // index of the parent node; -1 for the root
}

// pathTree folds the plan's paths into a tree whose root is the review
// date. When the status is already decided (every path starts with the
// same outcome), the root stands for that status and Outcome holds it;
// for a pending claim the root's Outcome is empty.
func pathTree(p *sim.Plan) []treeNode {
	skip := 0
	root := treeNode{ID: "n0", Chance: decimal.NewFromInt(1), Parent: -1}
	if p.Status != sim.Pending && len(p.Branches) > 0 {
		first := p.Branches[0].Path[0]
		same := true
		for _, b := range p.Branches {
			same = same && b.Path[0] == first
		}
		if same {
			root.Outcome, skip = first, 1
		}
	}
	nodes := []treeNode{root}
	index := map[string]int{"": 0}
	for _, b := range p.Branches {
		parent, key := 0, ""
		for d, o := range b.Path[skip:] {
			key += "/" + string(o)
			i, ok := index[key]
			if !ok {
				i = len(nodes)
				index[key] = i
				nodes = append(nodes, treeNode{ID: "n" + strconv.Itoa(i), Outcome: o, Depth: d + 1, Parent: parent})
			}
			nodes[i].Chance = nodes[i].Chance.Add(b.Probability)
			parent = i
		}
	}
	return nodes
}

// treeShape returns the number of columns and the most nodes in a column.
func treeShape(nodes []treeNode) (columns, rows int) {
	per := map[int]int{}
	for _, n := range nodes {
		per[n.Depth]++
		columns = max(columns, n.Depth+1)
		rows = max(rows, per[n.Depth])
	}
	return columns, rows
}

// outcomeColor colours an outcome by the standing it leads to, matching the
// timeline's colours.
func outcomeColor(o sim.Outcome) string {
	switch o {
	case "", sim.FreshClaim:
		return okabeIto.Orange
	case sim.RefugeeStatus, sim.HumanitarianProtection, sim.UASCLeave, sim.AppealAllowed:
		return okabeIto.SkyBlue
	case sim.Settled:
		return okabeIto.BluishGreen
	case sim.VoluntaryReturn:
		return okabeIto.Grey
	}
	return okabeIto.Vermillion
}

// standingColor colours a stretch of time by the young person's standing.
func standingColor(st sim.Standing, cut bool) string {
	switch {
	case cut:
		return okabeIto.ReddishPurple
	case st == sim.WithLeave:
		return okabeIto.SkyBlue
	case st == sim.Indefinite:
		return okabeIto.BluishGreen
	case st == sim.WithoutLeave:
		return okabeIto.Vermillion
	case st == sim.Departed:
		return okabeIto.Grey
	}
	return okabeIto.Orange
}

// standingKey names a standing for legends and catalogues.
func standingKey(st sim.Standing, cut bool) string {
	if cut {
		return "support_cut"
	}
	return string(st)
}

// stretch is a period of one standing on a path, cut to the plan window.
type stretch struct {
	From, To sim.Date
	Standing sim.Standing
	Cut      bool
}

// stretches cuts a path's periods to the window [from, to): what the
// timeline draws.
func stretches(b sim.Branch, from, to sim.Date) []stretch {
	var out []stretch
	ps := b.Periods
	for i, pd := range ps {
		end := to
		if i+1 < len(ps) && ps[i+1].From.Before(to) {
			end = ps[i+1].From
		}
		start := sim.MaxDate(pd.From, from)
		if !start.Before(end) {
			continue
		}
		out = append(out, stretch{From: start, To: end, Standing: pd.Standing, Cut: pd.SupportCut})
	}
	if len(out) == 0 && from.Before(to) {
		out = append(out, stretch{From: from, To: to, Standing: sim.AsylumSeeker})
	}
	return out
}

// deadlineKinds are the events that call for someone to act by a date.
var deadlineKinds = map[sim.EventKind]bool{
	sim.EventApplyToExtendBy:      true,
	sim.EventAppealDeadline:       true,
	sim.EventHumanRights:          true,
	sim.EventReintegrationContact: true,
}

// yearFraction places a date on a continuous year scale: 2025.0 is
// 1 January 2025.
func yearFraction(d sim.Date) float64 {
	jan := sim.NewDate(d.Year(), 1, 1)
	days := jan.DaysUntil(sim.NewDate(d.Year()+1, 1, 1))
	return float64(d.Year()) + float64(jan.DaysUntil(d))/float64(days)
}
