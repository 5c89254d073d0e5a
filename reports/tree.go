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
	// Unconfirmed: the chance of reaching the node rests on a placeholder
	// value on some path through it (sim.Step.ChanceUnconfirmed).
	Unconfirmed bool
	// Other: the node stands for several less likely children of its
	// parent, folded together (prunedTree).
	Other bool
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
			if k := skip + d; k < len(b.Steps) && b.Steps[k].ChanceUnconfirmed {
				nodes[i].Unconfirmed = true
			}
			parent = i
		}
	}
	return nodes
}

// prunedTree keeps the nodes of pathTree whose chance is at least min,
// and folds the children of a kept node that fall under it into one node
// marked Other, which has no children: the young person's chart shows the
// likely paths, and the rest as "other things that could happen". The
// root is always kept. IDs are renumbered in order.
func prunedTree(nodes []treeNode, min decimal.Decimal) []treeNode {
	children := make([][]int, len(nodes))
	for i, n := range nodes {
		if n.Parent >= 0 {
			children[n.Parent] = append(children[n.Parent], i)
		}
	}
	out := []treeNode{nodes[0]}
	var walk func(old, kept int)
	walk = func(old, kept int) {
		other := -1
		var keep []int
		for _, c := range children[old] {
			if !nodes[c].Chance.LessThan(min) {
				keep = append(keep, c)
				continue
			}
			if other < 0 {
				other = len(out)
				out = append(out, treeNode{Depth: nodes[old].Depth + 1, Parent: kept, Other: true})
			}
			out[other].Chance = out[other].Chance.Add(nodes[c].Chance)
			out[other].Unconfirmed = out[other].Unconfirmed || nodes[c].Unconfirmed
		}
		// The folded node comes after the kept ones, whatever its chance.
		if other >= 0 && len(keep) > 0 {
			o := out[other]
			out = out[:other]
			defer func() { out = append(out, o) }()
		}
		for _, c := range keep {
			n := nodes[c]
			n.Parent = kept
			out = append(out, n)
			walk(c, len(out)-1)
		}
	}
	walk(0, 0)
	for i := range out {
		out[i].ID = "n" + strconv.Itoa(i)
	}
	return out
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

// marks are the colours of chart marks (timeline stretches, tree nodes):
// the Okabe–Ito hues, darkened where needed so that each reaches 3:1
// against the white background (WCAG 2.2, 1.4.11), which
// TestMarkColoursContrast checks.
var marks = struct {
	Waiting, Leave, Settled, NoLeave, SupportCut, Departed, Other string
}{
	Waiting:    "#996100", // Okabe–Ito orange, darkened
	Leave:      okabeIto.Blue,
	Settled:    okabeIto.BluishGreen,
	NoLeave:    okabeIto.Vermillion,
	SupportCut: "#A04A86", // Okabe–Ito reddish purple, darkened
	Departed:   "#6E6E6E", // Okabe–Ito grey, darkened
	Other:      "#6E6E6E",
}

// outcomeColor colours an outcome by the standing it leads to, matching the
// timeline's colours.
func outcomeColor(o sim.Outcome) string {
	switch o {
	case "", sim.FreshClaim, sim.FreshClaimAccepted:
		return marks.Waiting
	case sim.RefugeeStatus, sim.HumanitarianProtection, sim.UASCLeave, sim.AppealAllowed, sim.VictimPermission:
		return marks.Leave
	case sim.Settled:
		return marks.Settled
	case sim.VoluntaryReturn:
		return marks.Departed
	}
	return marks.NoLeave
}

// standingColor colours a stretch of time by the young person's standing.
func standingColor(st sim.Standing, cut bool) string {
	switch {
	case cut:
		return marks.SupportCut
	case st == sim.WithLeave:
		return marks.Leave
	case st == sim.Indefinite:
		return marks.Settled
	case st == sim.WithoutLeave:
		return marks.NoLeave
	case st == sim.Departed:
		return marks.Departed
	}
	return marks.Waiting
}

// standingDecal is the pattern drawn over a standing's colour (an ECharts
// decal), so that the timeline tells standings apart without colour too,
// and in black-and-white print. Leave to remain is plain.
func standingDecal(key string) map[string]any {
	light := "rgba(255, 255, 255, 0.6)"
	switch key {
	case string(sim.AsylumSeeker): // diagonal lines
		return map[string]any{"color": light, "symbol": "rect", "dashArrayX": []int{1, 0}, "dashArrayY": []int{2, 5}, "rotation": -0.7854, "symbolSize": 1}
	case string(sim.Indefinite): // dots
		return map[string]any{"color": light, "symbol": "circle", "symbolSize": 0.7, "dashArrayX": []any{[]int{6, 6}, []int{0, 6, 6, 0}}, "dashArrayY": []int{6, 0}}
	case string(sim.WithoutLeave): // cross-hatch
		return map[string]any{"color": light, "symbol": "rect", "dashArrayX": []int{1, 0}, "dashArrayY": []int{2, 4}, "rotation": 0.7854, "symbolSize": 1}
	case "support_cut": // horizontal bands
		return map[string]any{"color": light, "symbol": "rect", "dashArrayX": []int{1, 0}, "dashArrayY": []int{3, 3}, "symbolSize": 1}
	case string(sim.Departed): // vertical bands
		return map[string]any{"color": light, "symbol": "rect", "dashArrayX": []int{1, 0}, "dashArrayY": []int{3, 3}, "rotation": 1.5708, "symbolSize": 1}
	}
	return map[string]any{"symbol": "none"}
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
