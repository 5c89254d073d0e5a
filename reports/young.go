package reports

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"slices"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// WriteYoungPerson writes "My possible futures", the young person's own
// page, in the language lang (see Languages; "" means English): where they
// are now, their possible paths as a Sankey and in words, a timeline by
// their age, what they can do and who can help, in plain words with every
// legal term explained. A page not in English carries a notice that a
// qualified interpreter must check the translation; a string missing from
// a catalogue shows in English, marked.
//
// It takes only the plan, never the case: the page shows no name, date of
// birth, address, placement or money.
func WriteYoungPerson(w io.Writer, p *sim.Plan, lang string) error {
	return writeYoungPerson(w, p, lang, pageOptions{})
}

func writeYoungPerson(w io.Writer, p *sim.Plan, lang string, o pageOptions) error {
	t, err := newTranslator(lang)
	if err != nil {
		return err
	}
	return renderYoungPerson(w, p, t, o)
}

func renderYoungPerson(w io.Writer, p *sim.Plan, t *translator, o pageOptions) error {
	page := buildYoung(p, t)
	page.Library = o.libraryScript()
	tpl, err := pageTemplates("young.html", template.FuncMap{
		"t": func(key string) template.HTML { return t.html(key) },
	})
	if err != nil {
		return fmt.Errorf("young person template: %w", err)
	}
	page.Tree = youngTree(p, t, page)
	page.Timeline = youngTimeline(p, t, page)
	// The notice of English fallbacks sits at the top, before most texts
	// are looked up: render once to find them, then again with the notice.
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "young.html", page); err != nil {
		return err
	}
	if len(t.fellBack) > 0 && !page.Fallback {
		page.Fallback = true
		buf.Reset()
		if err := tpl.ExecuteTemplate(&buf, "young.html", page); err != nil {
			return err
		}
	}
	_, err = w.Write(withCSP(buf.Bytes()))
	return err
}

// ChanceInWords writes a probability the way the young person's page does,
// in English: "about 6 in 10".
//
// The rule: under 1 in 10 (p < 0.1) is "less than 1 in 10", so that a
// small chance is never rounded to nothing or up to 1; from 0.1 to 0.9 the
// chance is p × 10 rounded to the nearest whole number, halves up (0.55 is
// "about 6 in 10", 0.25 "about 3 in 10", 0.149 "about 1 in 10"); over 0.9
// but short of certain is "more than 9 in 10", so that a likely path never
// reads as certain; 1 is "the only path we can see now"; 0 is "no chance".
// The words are approximate, so the chances of a set of paths need not add
// up to exactly 10 in 10.
func ChanceInWords(p decimal.Decimal) string {
	t, err := newTranslator(sourceLanguage)
	if err != nil {
		panic(err) // the English catalogue is embedded
	}
	return chanceText(t, p)
}

var (
	tenth     = decimal.RequireFromString("0.1")
	nineTenth = decimal.RequireFromString("0.9")
	ten       = decimal.NewFromInt(10)
)

// chanceKey classifies p under ChanceInWords' rule: the catalogue key and,
// for "about", the number of tenths.
func chanceKey(p decimal.Decimal) (string, int) {
	switch {
	case !p.IsPositive():
		return "chance.none", 0
	case p.LessThan(tenth):
		return "chance.less", 0
	case p.GreaterThanOrEqual(decimal.NewFromInt(1)):
		return "chance.certain", 0
	case p.GreaterThan(nineTenth):
		return "chance.more", 0
	}
	return "chance.about", int(p.Mul(ten).Round(0).IntPart()) // Round is half away from zero: halves up
}

func chanceText(t *translator, p decimal.Decimal) string {
	key, n := chanceKey(p)
	return t.text(key, "n", t.num(n))
}

// youngPage is what the young person's page shows.
type youngPage struct {
	Lang, Dir string
	English   bool
	Library   template.HTML
	Fallback  bool

	Status   template.HTML
	InCare   bool // under 18, or age unknown: a social worker still looks after them
	Likely   []youngPath
	Unlikely []youngPath
	Spans    []youngSpans
	Omitted  bool
	Do       []template.HTML

	Tree, Timeline chartBlock

	ages   ager
	order  []int // branch indexes, most likely first
	number map[int]int
}

type youngPath struct {
	Title  template.HTML
	Chance template.HTML
	Steps  []youngStep
}

type youngStep struct {
	When, What template.HTML
}

type youngSpans struct {
	Title template.HTML
	Items []youngSpan
}

type youngSpan struct {
	Text  template.HTML
	Color string
}

// ager places dates on the chart's age axis, by the plan's ages: the page
// itself never sees a date of birth.
type ager struct {
	p     *sim.Plan
	until sim.Date // the horizon, the 25th birthday
}

func newAger(p *sim.Plan) ager { return ager{p: p, until: p.Horizon} }

// at places d on the chart's axis, in years of age.
func (a ager) at(d sim.Date) float64 { return a.p.YearsOfAge(d) }

// whole returns the age in whole years on d.
func (a ager) whole(d sim.Date) int { return a.p.AgeOn(d) }

func buildYoung(p *sim.Plan, t *translator) *youngPage {
	page := &youngPage{Lang: t.lang, Dir: t.dir(), English: t.lang == sourceLanguage, ages: newAger(p), number: map[int]int{}}
	page.Status = t.html("status." + string(p.Status))
	page.InCare = page.ages.whole(p.AsOf) < 18

	// Paths in the plan's own numbering (by chance), the same as the
	// adviser's pack.
	page.order = make([]int, len(p.Branches))
	for i, b := range p.Branches {
		page.order[i] = i
		page.number[i] = b.Number
	}
	for _, i := range page.order {
		b := p.Branches[i]
		yp := youngPath{
			Title:  t.html("paths.path", "n", t.num(b.Number)),
			Chance: t.html("paths.chance", "chance", chanceText(t, b.Probability)),
		}
		for k, st := range b.Steps {
			if st.Date.Before(p.AsOf) {
				continue // already happened: "Where you are now" says it
			}
			var when template.HTML
			switch {
			case st.Date == p.AsOf:
				when = t.html("paths.step_now")
			default:
				when = t.html("paths.step_age", "age", t.num(st.Age))
			}
			key := "step." + string(st.Outcome)
			if k > 0 && b.Steps[k-1].Outcome == sim.AppealAllowed {
				key = "step.after_appeal." + string(st.Outcome) // the leave the allowed appeal gives
			}
			yp.Steps = append(yp.Steps, youngStep{When: when, What: t.html(key)})
		}
		if len(yp.Steps) == 0 {
			yp.Steps = append(yp.Steps, youngStep{When: t.html("paths.step_later"), What: t.html("node.no_change")})
		}
		if b.Probability.LessThan(tenth) {
			page.Unlikely = append(page.Unlikely, yp)
		} else {
			page.Likely = append(page.Likely, yp)
		}
	}

	// What you can do: always, then what this plan calls for.
	has := func(kind sim.EventKind) bool {
		for _, b := range p.Branches {
			for _, e := range b.Events {
				if e.Kind == kind && !e.Date.Before(p.AsOf) {
					return true
				}
			}
		}
		return false
	}
	var do []string
	if p.Status != sim.StatusSettled {
		do = append(do, "do.solicitor", "do.letters")
	}
	if has(sim.EventApplyToExtendBy) {
		do = append(do, "do.extend")
	}
	if has(sim.EventAppealDeadline) {
		do = append(do, "do.appeal")
	}
	do = append(do, "do.school", "do.documents", "do.interpreter", "do.feelings", "do.safe")
	if slices.Contains(p.Perspectives, sim.LongTerm) {
		do = append(do, "do.future")
	}
	if slices.Contains(p.Perspectives, sim.ReturnHome) || slices.Contains(p.Contingencies, sim.ReturnHome) {
		do = append(do, "do.return")
	}
	for _, k := range do {
		page.Do = append(page.Do, t.html(k))
	}
	return page
}

// shownOnTimeline picks the paths the timeline draws: those with a chance
// of 1 in 10 or more, or the three most likely when none has.
func (page *youngPage) shownOnTimeline(p *sim.Plan) []int {
	var shown []int
	for _, i := range page.order {
		if !p.Branches[i].Probability.LessThan(tenth) {
			shown = append(shown, i)
		}
	}
	if len(shown) == 0 {
		shown = page.order[:min(3, len(page.order))]
	}
	return shown
}

var youngKinds = []string{string(sim.AsylumSeeker), string(sim.WithLeave), string(sim.Indefinite), string(sim.WithoutLeave), "support_cut", string(sim.Departed)}

func youngTimeline(p *sim.Plan, t *translator, page *youngPage) chartBlock {
	a := page.ages
	shown := page.shownOnTimeline(p)
	page.Omitted = len(shown) < len(p.Branches)
	axis := t.text("timeline.axis")
	spec := timelineSpec{
		ID: "young_timeline", Caption: t.text("timeline.chart"), Description: t.text("timeline.chart_desc"),
		X:      axisSpan{Min: a.at(p.AsOf), Max: a.at(a.until), Name: axis},
		Digits: string(t.digits), FontSize: youngFont(t),
	}
	kindIndex := map[string]int{}
	for _, key := range youngKinds {
		for _, i := range shown {
			for _, s := range stretches(p.Branches[i], p.AsOf, a.until) {
				if _, done := kindIndex[key]; !done && standingKey(s.Standing, s.Cut) == key {
					kindIndex[key] = len(spec.Kinds)
					color := standingColor(sim.Standing(key), key == "support_cut")
					spec.Kinds = append(spec.Kinds, timelineKind{Name: t.text("standing." + key), Color: color})
				}
			}
		}
	}
	for _, i := range shown {
		b := p.Branches[i]
		title := t.text("paths.path", "n", t.num(page.number[i]))
		row := timelineRow{Label: title}
		spans := youngSpans{Title: t.html("paths.path", "n", t.num(page.number[i]))}
		for _, s := range mergeStretches(stretches(b, p.AsOf, a.until)) {
			key := standingKey(s.Standing, s.Cut)
			what := t.text("standing." + key)
			from, to := a.whole(s.From), a.whole(s.To)
			msg, args := "timeline.span", []string{"from", t.num(from), "to", t.num(to), "what", what}
			if from == to {
				msg, args = "timeline.at", []string{"age", t.num(from), "what", what}
			}
			spans.Items = append(spans.Items, youngSpan{t.html(msg, args...), standingColor(s.Standing, s.Cut)})
			row.Segments = append(row.Segments, timelineSegment{From: a.at(s.From), To: a.at(s.To), Kind: kindIndex[key],
				Tip: html.EscapeString(title + ": " + t.text(msg, args...))})
		}
		spec.Rows = append(spec.Rows, row)
		page.Spans = append(page.Spans, spans)
	}
	return timelineChart(spec)
}

func youngTree(p *sim.Plan, t *translator, page *youngPage) chartBlock {
	nodes := pathTree(p)
	spec := sankeySpec{ID: "young_tree", Caption: t.text("paths.chart"), Description: t.text("paths.chart_desc"), FontSize: youngFont(t)}
	spec.Columns, spec.Rows = treeShape(nodes)
	for i, n := range nodes {
		var name string
		switch {
		case i == 0 && n.Outcome == "":
			name = t.text("node.now", "what", t.text("node.pending"))
		case i == 0:
			name = t.text("node.now", "what", t.text("node."+string(n.Outcome)))
		default:
			name = t.text("node." + string(n.Outcome))
		}
		if i > 0 {
			name += "\n" + chanceText(t, n.Chance)
		}
		sn := sankeyNode{ID: n.ID, Name: name, Depth: n.Depth, ItemStyle: nodeStyle(outcomeColor(n.Outcome))}
		if i == 0 {
			sn.Value = 1
		}
		spec.Nodes = append(spec.Nodes, sn)
		if n.Parent >= 0 {
			spec.Links = append(spec.Links, sankeyLink{Source: nodes[n.Parent].ID, Target: n.ID, Value: chanceFloat(n.Chance)})
		}
	}
	if len(nodes) == 1 {
		// Nothing left to decide: a Sankey needs two columns.
		spec.Nodes = append(spec.Nodes, sankeyNode{ID: "n1", Name: t.text("node.no_change"), Depth: 1, ItemStyle: nodeStyle(outcomeColor(nodes[0].Outcome))})
		spec.Links = append(spec.Links, sankeyLink{Source: "n0", Target: "n1", Value: 1})
		spec.Columns = 2
	}
	return sankeyChart(spec)
}

// mergeStretches joins neighbouring stretches of the same standing: a new
// grant of leave straight after another is, for the young person, one
// time of being allowed to stay.
func mergeStretches(st []stretch) []stretch {
	var out []stretch
	for _, s := range st {
		if n := len(out); n > 0 && out[n-1].Standing == s.Standing && out[n-1].Cut == s.Cut && out[n-1].To == s.From {
			out[n-1].To = s.To
			continue
		}
		out = append(out, s)
	}
	return out
}

// youngFont is the chart text size on the young person's page: larger for
// Arabic script, whose letters are small at Latin sizes.
func youngFont(t *translator) int {
	if t.rtl {
		return 16
	}
	return 14
}
