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

// YoungOptions say what the young person's page shows besides the plan:
// its language, the grammatical gender of its wording, and how to reach
// the personal adviser. YoungOptionsFor takes them from a case; nothing
// else of the case reaches the page.
type YoungOptions struct {
	Lang     string       // a code from Languages(); "" is English
	Pronouns sim.Pronouns // she or he set the gender where the language marks it; otherwise neutral
	Adviser  sim.Adviser  // the adviser's first name and phone, if the case gives them
}

// YoungOptionsFor returns the options for case c's page in lang: its
// pronouns and the adviser's contact, and nothing else of the case.
func YoungOptionsFor(c sim.Case, lang string) YoungOptions {
	return YoungOptions{Lang: lang, Pronouns: c.Pronouns, Adviser: c.Adviser}
}

// WriteYoungPerson writes "My possible futures" in the language lang with
// neutral wording and no adviser's contact: WriteYoungPersonFor with only
// the language.
func WriteYoungPerson(w io.Writer, p *sim.Plan, lang string) error {
	return WriteYoungPersonFor(w, p, YoungOptions{Lang: lang})
}

// WriteYoungPersonFor writes "My possible futures", the young person's own
// page: where they are now and their next review, their likely paths
// (the others grouped under "Other things that could happen"), each with
// what it means for them and its key dates, a chart of the paths and a
// timeline by age (each with the same in words), what they can do, who can
// help (their adviser and national helplines), and the words they might
// hear. Paths are numbered as in the adviser's pack. A chance that rests on
// a placeholder value is said in words, never as a number. A page not in
// English carries a notice until a qualified interpreter has checked the
// language; a string missing from a catalogue shows in English, marked.
//
// It takes the plan and the options, never the case: the page shows no
// name, date of birth, address, placement or money.
func WriteYoungPersonFor(w io.Writer, p *sim.Plan, o YoungOptions) error {
	return writeYoungPerson(w, p, o, pageOptions{})
}

func writeYoungPerson(w io.Writer, p *sim.Plan, yo YoungOptions, o pageOptions) error {
	t, err := newTranslator(yo.Lang)
	if err != nil {
		return err
	}
	return renderYoungPerson(w, p, t, yo, o)
}

func renderYoungPerson(w io.Writer, p *sim.Plan, t *translator, yo YoungOptions, o pageOptions) error {
	switch yo.Pronouns {
	case sim.PronounsShe:
		t.gender = "f"
	case sim.PronounsHe:
		t.gender = "m"
	}
	t.trafficked = len(p.Protection) > 0 // a trafficked child's plan carries protection steps
	lines, err := helplines()
	if err != nil {
		return err
	}
	page := buildYoung(p, t, yo, lines)
	page.Library = o.libraryScript()
	tpl, err := pageTemplates("young.html", template.FuncMap{
		"t": func(key string, args ...string) template.HTML { return t.html(key, args...) },
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
// up to exactly 10 in 10. A chance that rests on a placeholder is not
// written with this rule at all: the page says it is not known yet.
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

// shownChance is a chance as the young person sees it: in words, or, when
// it rests on a placeholder value, that it is not known yet.
func shownChance(t *translator, p decimal.Decimal, unconfirmed bool) string {
	if unconfirmed {
		return t.text("chance.unknown")
	}
	return chanceText(t, p)
}

// youngPage is what the young person's page shows.
type youngPage struct {
	Lang, Dir string
	English   bool
	Fonts     template.CSS
	Library   template.HTML
	Fallback  bool
	Checked   template.HTML // who checked the translation, and when; empty if no one has
	MadeOn    template.HTML
	// ChancesFrom says whose decisions, and which year's, the chances rest
	// on; empty when no decision is left to come.
	ChancesFrom template.HTML

	Status     template.HTML
	NextReview template.HTML
	InCare     bool // under 18: a social worker still looks after them
	Likely     []youngPath
	Other      []youngPath
	OtherShow  template.HTML
	Spans      []youngSpans
	Omitted    bool
	Do         []template.HTML
	Adviser    youngContact
	Lines      []youngContact
	Words      []youngWord

	Tree, Timeline chartBlock

	ages   ager
	shown  []int // branch indexes the timeline draws
	review sim.Date
}

type youngPath struct {
	Number   int
	Outcomes string // the path's outcomes, for data-outcomes (as in the pack)
	Title    template.HTML
	Chance   template.HTML
	Unknown  bool // the chance rests on a placeholder
	Meaning  template.HTML
	Dates    []template.HTML
	Steps    []youngStep
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

// youngContact is someone to contact: a name, what they do, and how.
type youngContact struct {
	Name  template.HTML
	What  template.HTML
	Phone string
	Tel   template.URL // tel: and digits only (tel), safe to link
	URL   string
}

type youngWord struct{ Term, What template.HTML }

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

// when writes a date with the young person's age on it; about marks a
// date that depends on when a decision still to come is made.
func (page *youngPage) when(t *translator, d sim.Date, about bool) string {
	s, _ := t.lookup("when.date_age", "date", t.date(d), "age", t.num(page.ages.whole(d)))
	if about {
		s, _ = t.lookup("when.about", "when", s)
	}
	return s
}

// nextReview is the date of the next pathway plan review, if the plan has one.
func nextReview(p *sim.Plan) sim.Date {
	for _, a := range p.Actions {
		if a.Kind == sim.ActReviewPlan && !a.By.IsZero() {
			return a.By
		}
	}
	return sim.Date{}
}

func buildYoung(p *sim.Plan, t *translator, yo YoungOptions, lines []helpline) *youngPage {
	page := &youngPage{Lang: t.lang, Dir: t.dir(), English: t.lang == sourceLanguage, Fonts: template.CSS(t.fonts()), ages: newAger(p)}
	if by, on := t.checked(); by != "" {
		page.Checked = t.html("checked_notice", "who", by, "date", t.date(on))
	}
	page.MadeOn = t.html("made_on", "date", t.date(p.AsOf))
	page.ChancesFrom = chancesFrom(p, t)
	page.Status = t.html("status." + string(p.Status))
	page.InCare = page.ages.whole(p.AsOf) < 18
	if page.review = nextReview(p); !page.review.IsZero() {
		page.NextReview = t.html("now.next_review", "when", page.when(t, page.review, false))
	}

	// Paths in the plan's own numbering (by chance), the same as the
	// adviser's pack: those of 1 in 10 or more first, the rest grouped.
	for i, b := range p.Branches {
		yp := youngCard(p, t, page, b)
		if b.Probability.LessThan(tenth) {
			page.Other = append(page.Other, yp)
		} else {
			page.Likely = append(page.Likely, yp)
			page.shown = append(page.shown, i)
		}
	}
	page.OtherShow = t.html("paths.other_show", "n", t.num(len(page.Other)))
	if len(page.shown) == 0 {
		for i := range min(3, len(p.Branches)) {
			page.shown = append(page.shown, i)
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

	// Who can help: the adviser by name where the case gives it, then
	// helplines for the young person's age.
	page.Adviser = youngContact{Name: t.html("help.adviser"), What: t.html("help.adviser.what")}
	if a := yo.Adviser; a.FirstName != "" {
		page.Adviser.What = t.html("help.adviser.named", "name", "\u2068"+a.FirstName+"\u2069")
	}
	if a := yo.Adviser; a.Phone != "" {
		page.Adviser.Phone, page.Adviser.Tel = a.Phone, template.URL(tel(a.Phone))
	}
	age := page.ages.whole(p.AsOf)
	for _, l := range lines {
		if l.Under > 0 && age >= l.Under {
			continue
		}
		c := youngContact{Name: template.HTML(html.EscapeString(l.Name)), What: t.html("help.line." + l.ID), URL: l.URL}
		if l.Phone != "" {
			c.Phone, c.Tel = l.Phone, template.URL(tel(l.Phone))
		}
		page.Lines = append(page.Lines, c)
	}

	for _, w := range []string{"asylum", "home_office", "refugee", "hp", "uasc", "appeal", "fresh", "settled", "hra", "return"} {
		page.Words = append(page.Words, youngWord{t.html("words." + w), t.html("words." + w + ".what")})
	}
	return page
}

// youngCard is one path as the young person reads it.
func youngCard(p *sim.Plan, t *translator, page *youngPage, b sim.Branch) youngPath {
	yp := youngPath{
		Number:   b.Number,
		Outcomes: pathOutcomes(b),
		Title:    t.html("paths.path", "n", t.num(b.Number)),
		Chance:   t.html("paths.chance", "chance", shownChance(t, b.Probability, b.ChanceUnconfirmed)),
		Unknown:  b.ChanceUnconfirmed,
		Meaning:  t.html(meaningKey(b)),
	}
	// A date depends on a decision still to come when a step after the
	// as-of date comes on or before it: then it is "around" that date.
	about := func(d sim.Date) bool {
		for _, st := range b.Steps {
			if st.Date.After(p.AsOf) && !st.Date.After(d) {
				return true
			}
		}
		return false
	}
	var leaveEnds, applyBy, appealBy sim.Date
	var applyFrom sim.Date
	for _, e := range b.Events {
		if e.Date.Before(p.AsOf) {
			continue
		}
		switch e.Kind {
		case sim.EventLeaveExpires, sim.EventVictimPermissionEnds:
			if leaveEnds.IsZero() {
				leaveEnds = e.Date
			}
		case sim.EventApplyFrom:
			if applyBy.IsZero() {
				applyFrom = e.Date
			}
		case sim.EventApplyToExtendBy:
			if applyBy.IsZero() {
				applyBy = e.Date
			}
		case sim.EventAppealDeadline:
			if appealBy.IsZero() {
				appealBy = e.Date
			}
		}
	}
	if !appealBy.IsZero() {
		yp.Dates = append(yp.Dates, t.html("key.appeal", "when", page.when(t, appealBy, about(appealBy))))
	}
	if !leaveEnds.IsZero() {
		yp.Dates = append(yp.Dates, t.html("key.leave_ends", "when", page.when(t, leaveEnds, about(leaveEnds))))
	}
	if !applyBy.IsZero() {
		from := sim.MaxDate(applyFrom, p.AsOf)
		yp.Dates = append(yp.Dates, t.html("key.apply", "from", page.when(t, from, about(from)), "to", page.when(t, applyBy, about(applyBy))))
	}
	if !page.review.IsZero() {
		yp.Dates = append(yp.Dates, t.html("key.review", "when", page.when(t, page.review, false)))
	}
	for k, st := range b.Steps {
		if st.Date.Before(p.AsOf) {
			continue // already happened: "Where you are now" says it
		}
		when := t.html("paths.step_age", "age", t.num(st.Age))
		if st.Date == p.AsOf {
			when = t.html("paths.step_now")
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
	return yp
}

// meaningKey says in a sentence where a path leaves the young person: by
// their standing at its end.
func meaningKey(b sim.Branch) string {
	if len(b.Periods) == 0 {
		return "meaning.waiting"
	}
	last := b.Periods[len(b.Periods)-1]
	switch last.Standing {
	case sim.Indefinite:
		return "meaning.settled"
	case sim.Departed:
		return "meaning.return"
	case sim.WithoutLeave:
		if last.SupportCut || !slices.ContainsFunc(b.Events, func(e sim.Event) bool { return e.Kind == sim.EventSupportContinues }) {
			return "meaning.no_leave"
		}
		return "meaning.no_leave_helped"
	case sim.WithLeave:
		switch b.Path[len(b.Path)-1] {
		case sim.UASCLeave:
			return "meaning.uasc"
		case sim.VictimPermission:
			return "meaning.victim"
		}
		return "meaning.protection"
	}
	return "meaning.waiting"
}

var youngKinds = []string{string(sim.AsylumSeeker), string(sim.WithLeave), string(sim.Indefinite), string(sim.WithoutLeave), "support_cut", string(sim.Departed)}

func youngTimeline(p *sim.Plan, t *translator, page *youngPage) chartBlock {
	a := page.ages
	shown := page.shown
	page.Omitted = len(shown) < len(p.Branches)
	axis := t.text("timeline.axis")
	spec := timelineSpec{
		ID: "young_timeline", Caption: t.text("timeline.chart"), Description: t.text("timeline.chart_desc"),
		X:      axisSpan{Min: a.at(p.AsOf), Max: a.at(a.until), Name: axis},
		Digits: string(t.digits), FontSize: youngFont(t), Font: t.fonts(), RightToLeft: t.rtl,
	}
	kindIndex := map[string]int{}
	for _, key := range youngKinds {
		for _, i := range shown {
			for _, s := range stretches(p.Branches[i], p.AsOf, a.until) {
				if _, done := kindIndex[key]; !done && standingKey(s.Standing, s.Cut) == key {
					kindIndex[key] = len(spec.Kinds)
					color := standingColor(sim.Standing(key), key == "support_cut")
					spec.Kinds = append(spec.Kinds, timelineKind{Name: t.text("standing." + key), Color: color, Decal: standingDecal(key)})
				}
			}
		}
	}
	for _, i := range shown {
		b := p.Branches[i]
		title := t.text("paths.path", "n", t.num(b.Number))
		row := timelineRow{Label: title}
		spans := youngSpans{Title: t.html("paths.path", "n", t.num(b.Number))}
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

// youngTree draws the paths as a Sankey from now: the steps of 1 in 10 or
// more, with the less likely ones after each step folded into "other
// things that could happen". On a right-to-left page it runs from right to
// left, so it starts where the reader starts.
func youngTree(p *sim.Plan, t *translator, page *youngPage) chartBlock {
	nodes := prunedTree(pathTree(p), tenth)
	spec := sankeySpec{ID: "young_tree", Caption: t.text("paths.chart"), Description: t.text("paths.chart_desc"),
		FontSize: youngFont(t), Font: t.fonts(), Mirror: t.rtl, Column: 132}
	spec.Columns, spec.Rows = treeShape(nodes)
	for i, n := range nodes {
		var name string
		switch {
		case i == 0 && n.Outcome == "":
			name = t.text("node.now", "what", t.text("node.pending"))
		case i == 0:
			name = t.text("node.now", "what", t.text("node."+string(n.Outcome)))
		case n.Other:
			name = t.text("node.other")
		default:
			name = t.text("node." + string(n.Outcome))
		}
		if i > 0 && !n.Unconfirmed {
			name += "\n" + chanceText(t, n.Chance)
		}
		color := outcomeColor(n.Outcome)
		if n.Other {
			color = marks.Other
		}
		sn := sankeyNode{ID: n.ID, Name: name, Depth: n.Depth, ItemStyle: nodeStyle(color), Unconfirmed: i > 0 && n.Unconfirmed}
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
// Arabic and Ethiopic script, whose letters are small at Latin sizes.
func youngFont(t *translator) int {
	if t.script != "latin" {
		return 16
	}
	return 14
}

// chancesFrom says, in the young person's words, where the chances of the
// next decision come from: the Home Office's decisions for people of their
// nationality (or its region, or all nationalities) in the year the row
// describes, or their solicitor's view when the case gives its own.
func chancesFrom(p *sim.Plan, t *translator) template.HTML {
	if len(p.Priors) == 0 {
		return ""
	}
	u := p.Priors[0]
	for _, v := range p.Priors {
		if v.Decision == sim.FirstDecision {
			u = v
			break
		}
	}
	pr := u.Prior
	switch {
	case u.Basis == sim.BasisCase:
		return t.html("from.case")
	case pr.From.IsZero():
		return ""
	case u.Basis == sim.BasisNationality:
		return t.html("from.nationality", "country", t.country(pr.Nationality), "year", t.num(pr.From.Year()))
	case u.Basis == sim.BasisRegion:
		return t.html("from.region", "year", t.num(pr.From.Year()))
	}
	return t.html("from.all", "year", t.num(pr.From.Year()))
}
