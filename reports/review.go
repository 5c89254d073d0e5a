package reports

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"pathway/sim"
)

// ReviewPrevious is the case and plan of the last review, for the review
// pack's "Changed since the last review".
type ReviewPrevious struct {
	Case sim.Case
	Plan *sim.Plan
}

// WriteReviewPack writes the adviser's review pack as one self-contained
// HTML page: status and planning perspective, goals and actions per
// perspective across the nine pathway plan areas, a timeline and a
// probability tree of the paths (each with a table saying the same), money
// by path and year, the AVR budget, trafficking protection steps, footnotes
// for unconfirmed values, and, when prev is not nil, what changed since
// the last review. The chart library is inlined: the page loads nothing.
func WriteReviewPack(w io.Writer, c sim.Case, p *sim.Plan, prev *ReviewPrevious) error {
	return writeReviewPack(w, c, p, prev, pageOptions{})
}

// ReviewRecord is what an adviser recorded at a review: the young person's
// views by area, the goals and actions agreed, and the sign-off.
type ReviewRecord struct {
	Number      int
	Views       []AreaText
	Goals       []AgreedGoal
	Actions     []AgreedAction
	SignedOffBy string   // empty while the review is a draft
	SignedOffOn sim.Date // zero while the review is a draft
}

// AreaText is a text recorded for one of the nine areas.
type AreaText struct{ Area, Text string }

// AgreedGoal is a goal agreed for an area under a perspective.
type AgreedGoal struct {
	Area        string
	Perspective sim.Perspective
	Text        string
}

// AgreedAction is an action agreed at the review: who does it, by when,
// and where it stands.
type AgreedAction struct {
	Text, Owner, Status string
	Due                 sim.Date
}

// WriteReviewPackRecord is WriteReviewPack for a review recorded in the
// workspace: the pack also gives what was recorded and agreed, and who
// signed it off.
func WriteReviewPackRecord(w io.Writer, c sim.Case, p *sim.Plan, prev *ReviewPrevious, rec *ReviewRecord) error {
	return writeReviewPack(w, c, p, prev, pageOptions{record: rec})
}

func writeReviewPack(w io.Writer, c sim.Case, p *sim.Plan, prev *ReviewPrevious, o pageOptions) error {
	r := buildReview(c, p, prev)
	r.Record = o.record
	t, err := pageTemplates("review.html", nil)
	if err != nil {
		return fmt.Errorf("review pack template: %w", err)
	}
	data := struct {
		*review
		Library  template.HTML
		Timeline chartBlock
		Tree     chartBlock
	}{r, o.libraryScript(), reviewTimeline(r, c, p), reviewTree(r, p)}
	// The glossary explains the legal terms the pack uses: render once to
	// see which, then again with them.
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "review.html", data); err != nil {
		return err
	}
	r.Glossary = usedGlossary(buf.String(), p)
	buf.Reset()
	if err := t.ExecuteTemplate(&buf, "review.html", data); err != nil {
		return err
	}
	_, err = w.Write(withCSP(buf.Bytes()))
	return err
}

// review is everything the pack shows, in the order it shows it. The HTML
// and Markdown packs both render it.
type review struct {
	Title    string
	TabTitle string // the page's <title>, shown in tab bars and history: the id, never the name
	ID       string // the pseudonymous reference: the page title, never the name
	Policy   string
	Who      string
	AsOf     sim.Date
	Person   []labelValue
	Status   string
	Planning string
	Reason   string
	Chances  []chanceRow
	Priors   []string // what the chances rest on

	Sections []perspectiveSection

	Paths      []pathRow
	Milestones []eventRow // on every path: birthdays, leaving care, the NRM
	Stretches  []stretchRow

	Expected  moneyTable
	NetByPath moneyTable

	AVR        []avrRow
	AVRBudget  *caseBudget
	Protection []actionRow

	Changes *changes
	Record  *ReviewRecord // what was recorded at the review, in the workspace; nil otherwise

	Deadlines []deadlineRow
	Money     []perspectiveMoney
	Glossary  []glossaryItem
	Sources   []sourceRow
	CareWords string

	Footnotes   []footnote
	ChanceNotes []int // footnotes on chances (placeholder probabilities)
	TimingNotes []int // footnotes on dates (placeholder waiting times)
	Unconfirmed bool
	noteByBasis map[string]int
}

type labelValue struct{ Label, Value string }

type chanceRow struct {
	Perspective string
	Role        string
	Exposure    string // chance the perspective comes into play at some point; "–" for transitional
	Chance      string // chance the paths end in it
}

type perspectiveSection struct {
	Key     string
	Name    string
	Role    string // "plan", "contingency" or "standing"
	Chance  string
	Goals   []goalRow
	Actions []actionRow
}

type goalRow struct{ Area, Goal, Source string }

type actionRow struct {
	By      sim.Date
	Overdue bool
	Text    string
	Chance  string // empty when certain
	Source  string
}

type pathRow struct {
	Rare         bool       // under 1 in 100: left out of print, beyond the table of every path
	Own          []eventRow // Events less the milestones every path shares
	N            int
	Outcomes     string // the path's outcomes, for data-outcomes
	Steps        string
	Chance       string
	End          string
	LeaveExpires sim.Date
	Events       []eventRow
	Money        moneyTable
	AVR          *avrRow
}

type eventRow struct {
	Date sim.Date
	Age  int
	Text string
}

type stretchRow struct {
	Rare     bool // of a path under 1 in 100
	Path     int
	Rows     int // rows the path spans (on its first row); 0 on later rows
	From, To sim.Date
	AgeFrom  int
	AgeTo    int
	Standing string
	Color    string
}

type moneyTable struct {
	Caption string
	Years   []string
	Rows    []moneyRow
	Empty   bool
}

type moneyRow struct {
	Label  string
	Cells  []string
	Total  string
	Strong bool
	Notes  []int
}

type avrRow struct {
	Path            int
	Chance          string
	Departure       sim.Date
	Cap, Cash, Kind string
	ContactBy       sim.Date
	SpendBy         sim.Date
	Scheme          string
	Notes           []int
}

// caseBudget is the reintegration budget the case lays out, against the cap.
type caseBudget struct {
	Departure sim.Date
	Rows      []labelValue
	Total     string
	Cap       string
	Over      string // the amount over the cap; empty when within it
}

type footnote struct {
	N    int
	Key  string
	Text string
}

var statusWords = map[sim.Status]string{
	sim.Pending:                      "asylum claim pending",
	sim.StatusRefugee:                "refugee status",
	sim.StatusHumanitarianProtection: "humanitarian protection",
	sim.StatusUASCLeave:              "UASC leave",
	sim.StatusRefused:                "refused (appeal window open)",
	sim.StatusARE:                    "appeal rights exhausted",
	sim.StatusSettled:                "settled (indefinite leave to remain)",
}

var outcomeNames = map[sim.Outcome]string{
	sim.RefugeeStatus:          "refugee status",
	sim.HumanitarianProtection: "humanitarian protection",
	sim.UASCLeave:              "UASC leave",
	sim.Refused:                "refused",
	sim.AppealAllowed:          "appeal allowed",
	sim.AppealDismissed:        "appeal dismissed",
	sim.AppealRightsExhausted:  "appeal rights exhausted",
	sim.Settled:                "settled",
	sim.VoluntaryReturn:        "voluntary return",
	sim.FreshClaim:             "fresh claim",
	sim.NoLeave:                "stays without leave",
}

var standingNames = map[string]string{
	string(sim.AsylumSeeker): "claim, appeal or fresh claim pending",
	string(sim.WithLeave):    "leave to remain (or section 3C leave)",
	string(sim.Indefinite):   "indefinite leave to remain",
	string(sim.WithoutLeave): "no leave (appeal rights exhausted)",
	"support_cut":            "no leave; support stopped (Schedule 3)",
	string(sim.Departed):     "left the UK (voluntary return)",
}

var placementWords = map[sim.Placement]string{
	sim.Foster:            "foster care",
	sim.Residential:       "residential",
	sim.SupportedLodgings: "supported lodgings",
	sim.SemiIndependent:   "semi-independent",
	sim.StayingPut:        "Staying Put",
	sim.Independent:       "independent",
	sim.Other:             "another kind of placement",
}

var perspectiveShort = map[sim.Perspective]string{
	sim.Transitional: "Transitional",
	sim.LongTerm:     "Long-term",
	sim.ReturnHome:   "Return",
}

func outcomeName(o sim.Outcome) string {
	if s, ok := outcomeNames[o]; ok {
		return s
	}
	return words(string(o))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func countryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.English.Regions().Name(r); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func buildReview(c sim.Case, p *sim.Plan, prev *ReviewPrevious) *review {
	r := &review{AsOf: p.AsOf, Policy: p.Policy, ID: c.ID}
	r.Who = c.ID
	if c.Name != "" {
		r.Who = c.Name + " (" + c.ID + ")"
	}
	r.Title = "Pathway plan review pack: " + r.Who
	r.TabTitle = "Pathway plan review pack: " + c.ID
	r.footnotes(p)

	status := capitalise(statusWords[p.Status])
	if !c.Asylum.DecisionDate.IsZero() {
		status += ", decided " + c.Asylum.DecisionDate.Long()
	}
	r.Status = status
	person := []labelValue{
		{"Name", orNone(c.Name)},
		{"Reference", c.ID},
		{"Date of birth", fmt.Sprintf("%s (age %d on %s; 18 on %s)", c.DateOfBirth.Long(), c.DateOfBirth.AgeOn(p.AsOf), p.AsOf.Long(), c.DateOfBirth.Birthday(18).Long())},
		{"Nationality", countryName(c.Nationality)},
		{"Trafficked", yesNo(c.Trafficked)},
		{"Placement", placementWords[c.Care.Placement] + ", looked after since " + c.Care.LookedAfterSince.Long()},
		{"Asylum claim", "lodged " + c.Asylum.ClaimDate.Long()},
		{"Status", status},
	}
	if c.Asylum.Status == sim.Pending && !c.Asylum.ExpectedDecision.IsZero() {
		person = append(person, labelValue{"Decision expected", c.Asylum.ExpectedDecision.Long()})
	}
	if c.Schedule3 != nil {
		v := "support stops after the notice period"
		if c.Schedule3.SupportContinues {
			v = "support continues"
		}
		if c.Schedule3.Reason != "" {
			v += ": " + c.Schedule3.Reason
		}
		person = append(person, labelValue{"Human rights assessment", v})
	}
	person = append(person, labelValue{"Review date", p.AsOf.Long()}, labelValue{"Policy values", "“" + p.Policy + "”: every rule length, rate and chance is a dated value with its source"})
	r.Person = person

	names := make([]string, len(p.Perspectives))
	for i, pp := range p.Perspectives {
		names[i] = strings.ToLower(perspectiveShort[pp])
	}
	r.Planning = capitalise(p.Planning) + " planning: " + strings.Join(names, ", ")
	if len(p.Contingencies) > 0 {
		cs := make([]string, len(p.Contingencies))
		for i, pp := range p.Contingencies {
			cs[i] = strings.ToLower(perspectiveShort[pp])
		}
		r.Planning += "; contingency: " + strings.Join(cs, ", ")
	}
	r.Reason = capitalise(p.Reason) + "."
	for _, pp := range sim.Perspectives {
		exp := "–"
		if v, ok := p.Exposure[pp]; ok {
			exp = sim.Chance(v)
		}
		r.Chances = append(r.Chances, chanceRow{perspectiveNames[pp], roleOf(p, pp), exp, sim.Chance(p.Chances[pp])})
	}

	r.Priors = priorLines(p)
	r.sections(c, p)
	r.paths(c, p)
	r.money(p)
	r.avr(c, p)
	for _, a := range p.Protection {
		r.Protection = append(r.Protection, actionFor(a, p.AsOf))
	}
	if prev != nil && prev.Plan != nil {
		r.Changes = buildChanges(prev, c, p)
	}
	r.Deadlines = summaryDeadlines(c, p, 8)
	unconfirmed := map[string]bool{}
	for _, v := range p.Unconfirmed() {
		unconfirmed[v.Key+" from "+v.From.String()] = true
	}
	r.Money = perspectiveMoneyLines(p, unconfirmed)
	r.Sources = packSources(p)
	r.CareWords = capitalise(sim.CareStatusWords[p.CareStatus]) + ": " + p.CareReason
	return r
}

func orNone(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

// roleOf says how the plan treats a perspective: "plan", "contingency" or
// "none".
func roleOf(p *sim.Plan, pp sim.Perspective) string {
	switch {
	case slices.Contains(p.Perspectives, pp):
		return "plan"
	case slices.Contains(p.Contingencies, pp):
		return "contingency"
	}
	return "none"
}

// footnotes numbers the unconfirmed values the plan used, and notes which
// parts of the pack rest on them.
func (r *review) footnotes(p *sim.Plan) {
	r.noteByBasis = map[string]int{}
	for i, v := range p.Unconfirmed() {
		n := i + 1
		var parts []string
		if !v.From.IsZero() {
			parts = append(parts, v.Value.String()+" "+string(v.Unit)+" from "+v.From.Long())
		}
		if v.Note != "" {
			parts = append(parts, stripSourceTags(v.Note))
		}
		if s := sourceText(v.Refs); s != "" {
			parts = append(parts, "source: "+s)
		}
		text := strings.Join(parts, "; ")
		r.Footnotes = append(r.Footnotes, footnote{N: n, Key: v.Key, Text: text})
		r.noteByBasis[v.Key+" from "+v.From.String()] = n
		switch v.Unit {
		case sim.Probability:
			r.ChanceNotes = append(r.ChanceNotes, n)
		case sim.Weeks, sim.Months, sim.Days:
			r.TimingNotes = append(r.TimingNotes, n)
		}
	}
	r.Unconfirmed = len(r.Footnotes) > 0
}

func (r *review) notesFor(basis []string) []int {
	var ns []int
	for _, b := range basis {
		if n, ok := r.noteByBasis[b]; ok && !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	return ns
}

func actionFor(a sim.Action, asOf sim.Date) actionRow {
	row := actionRow{By: a.By, Text: capitalise(a.Text), Source: sourceText(a.Sources)}
	row.Overdue = !a.By.IsZero() && a.By.Before(asOf)
	if a.Chance.LessThan(decimal.NewFromInt(1)) {
		row.Chance = sim.Chance(a.Chance)
	}
	return row
}

func (r *review) sections(c sim.Case, p *sim.Plan) {
	for _, pp := range sim.Perspectives {
		role := roleOf(p, pp)
		var acts []actionRow
		for _, a := range p.Actions {
			if a.Perspective == pp {
				acts = append(acts, actionFor(a, p.AsOf))
			}
		}
		if role == "none" {
			if len(acts) == 0 {
				continue
			}
			role = "standing"
		}
		s := perspectiveSection{Key: string(pp), Name: perspectiveNames[pp], Role: role, Chance: sim.Chance(p.Chances[pp]), Actions: acts}
		if role != "standing" {
			for _, a := range planAreas {
				g := a.Goals[pp]
				if pp == sim.Transitional && a.Name == "Safety and risk" && c.Trafficked {
					g = traffickedSafety
				}
				s.Goals = append(s.Goals, goalRow{a.Name, g.Text, g.Source})
			}
		}
		r.Sections = append(r.Sections, s)
	}
}

var hundredth = decimal.RequireFromString("0.01")

// sharedKinds are events every path carries on the same date (the engine
// adds them to each): the pack lists them once.
var sharedKinds = map[sim.EventKind]bool{
	sim.EventTurns16: true, sim.EventTurns17Half: true, sim.EventTurns18: true, sim.EventTurns21: true, sim.EventTurns25: true,
	sim.EventBecomesEligible: true, sim.EventNRMReferralBy: true, sim.EventReasonableGrounds: true, sim.EventConclusiveGrounds: true,
}

// pathSteps writes a path's outcomes as "refused → appeal dismissed".
func pathSteps(b sim.Branch) string {
	steps := make([]string, len(b.Path))
	for i, o := range b.Path {
		steps[i] = outcomeName(o)
	}
	return strings.Join(steps, " → ")
}

func (r *review) paths(c sim.Case, p *sim.Plan) {
	horizon := c.DateOfBirth.Birthday(25)
	dob := c.DateOfBirth
	for _, b := range p.Branches {
		n := b.Number
		row := pathRow{N: n, Rare: b.Probability.LessThan(hundredth), Outcomes: pathOutcomes(b), Steps: capitalise(pathSteps(b)), Chance: sim.Chance(b.Probability),
			End: perspectiveShort[b.End], LeaveExpires: b.LeaveExpires}
		for _, e := range b.Events {
			er := eventRow{Date: e.Date, Age: dob.AgeOn(e.Date), Text: capitalise(e.Text)}
			row.Events = append(row.Events, er)
			if sharedKinds[e.Kind] {
				if len(r.Paths) == 0 {
					r.Milestones = append(r.Milestones, er)
				}
				continue
			}
			row.Own = append(row.Own, er)
		}
		row.Money = r.moneyTable(b.Funding, r.notesByCategory(b.Funding))
		row.Money.Caption = fmt.Sprintf("Money on path %d by payer, category and financial year", n)
		r.Paths = append(r.Paths, row)

		st := stretches(b, p.AsOf, horizon)
		for j, s := range st {
			sr := stretchRow{Rare: row.Rare, Path: n, From: s.From, To: s.To, AgeFrom: dob.AgeOn(s.From), AgeTo: dob.AgeOn(s.To.AddDays(-1)),
				Standing: standingNames[standingKey(s.Standing, s.Cut)], Color: standingColor(s.Standing, s.Cut)}
			if j == 0 {
				sr.Rows = len(st)
			}
			r.Stretches = append(r.Stretches, sr)
		}
	}
}

// notesByCategory maps each category label to the footnotes its rows rest on.
func (r *review) notesByCategory(rows []sim.Funding) map[string][]int {
	out := map[string][]int{}
	for _, f := range rows {
		l := categoryLabel(f.Payer, f.Category)
		for _, n := range r.notesFor(f.Basis) {
			if !slices.Contains(out[l], n) {
				out[l] = append(out[l], n)
			}
		}
	}
	for _, ns := range out {
		slices.Sort(ns)
	}
	return out
}

// moneyTable lays funding rows out with fundingTable, adds a total column,
// and attaches footnotes.
func (r *review) moneyTable(rows []sim.Funding, notes map[string][]int) moneyTable {
	t := fundingTable(rows, true)
	mt := moneyTable{Empty: len(rows) == 0}
	for _, y := range t.years {
		mt.Years = append(mt.Years, sim.FinancialYearLabel(y))
	}
	for _, tr := range t.rows {
		mr := moneyRow{Label: tr.label, Strong: tr.strong, Notes: notes[tr.label]}
		total := decimal.Zero
		for _, y := range t.years {
			v, ok := tr.byYear[y]
			cell := "–"
			if ok {
				cell = pounds(v)
				total = total.Add(v)
			}
			mr.Cells = append(mr.Cells, cell)
		}
		mr.Total = pounds(total)
		mt.Rows = append(mt.Rows, mr)
	}
	return mt
}

func (r *review) money(p *sim.Plan) {
	var all []sim.Funding
	for _, b := range p.Branches {
		all = append(all, b.Funding...)
	}
	r.Expected = r.moneyTable(p.Expected, r.notesByCategory(all))
	r.Expected.Caption = "Expected money across all paths, by payer, category and financial year"

	years := map[int]bool{}
	nets := make([]map[int]decimal.Decimal, len(p.Branches))
	for i, b := range p.Branches {
		nets[i] = sim.NetCost(b.Funding)
		for _, f := range b.Funding {
			years[f.Year] = true
		}
	}
	expected := sim.NetCost(p.Expected)
	for y := range expected {
		years[y] = true
	}
	ys := sortedYears(years)
	t := moneyTable{Empty: len(ys) == 0}
	for _, y := range ys {
		t.Years = append(t.Years, sim.FinancialYearLabel(y))
	}
	row := func(label string, m map[int]decimal.Decimal, strong bool) moneyRow {
		mr := moneyRow{Label: label, Strong: strong}
		total := decimal.Zero
		for _, y := range ys {
			v, ok := m[y]
			cell := "–"
			if ok {
				cell = pounds(v)
				total = total.Add(v)
			}
			mr.Cells = append(mr.Cells, cell)
		}
		mr.Total = pounds(total)
		return mr
	}
	for i, b := range p.Branches {
		t.Rows = append(t.Rows, row(fmt.Sprintf("Path %d (%s)", b.Number, sim.Chance(b.Probability)), nets[i], false))
	}
	t.Rows = append(t.Rows, row("Expected (each path weighted by its chance)", expected, true))
	r.NetByPath = t
}

func (r *review) avr(c sim.Case, p *sim.Plan) {
	for i, b := range p.Branches {
		a := b.AVR
		if a == nil {
			continue
		}
		row := avrRow{Path: b.Number, Chance: sim.Chance(b.Probability), Departure: b.Departure,
			Cap: pounds(a.Cap), Cash: pounds(a.CashOnDeparture), Kind: pounds(a.Cap.Sub(a.CashOnDeparture)),
			ContactBy: a.ContactBy, SpendBy: a.SpendBy, Scheme: a.Scheme, Notes: r.notesFor(a.Basis)}
		r.AVR = append(r.AVR, row)
		r.Paths[i].AVR = &r.AVR[len(r.AVR)-1]
	}
	if c.Return == nil || len(c.Return.Budget) == 0 {
		return
	}
	cb := &caseBudget{Departure: c.Return.Departure}
	total := decimal.Zero
	for _, cat := range sim.BudgetCategories {
		v, ok := c.Return.Budget[cat]
		if !ok {
			continue
		}
		total = total.Add(v)
		cb.Rows = append(cb.Rows, labelValue{capitalise(budgetWords[cat]), pounds(v)})
	}
	cb.Total = pounds(total)
	for _, b := range p.Branches {
		if b.AVR != nil && b.Departure == c.Return.Departure {
			cb.Cap = pounds(b.AVR.Cap)
			if total.GreaterThan(b.AVR.Cap) {
				cb.Over = pounds(total.Sub(b.AVR.Cap))
			}
			break
		}
	}
	r.AVRBudget = cb
}

var budgetWords = map[string]string{
	"cash":                "cash on departure",
	"business_setup":      "business set-up",
	"education":           "education",
	"vocational_training": "vocational training",
	"job_placement":       "job placement",
	"housing":             "housing",
	"childcare":           "childcare fees",
	"medical":             "medical or psychosocial support",
}

var (
	bracketedTags = regexp.MustCompile(`\s*[(\[]S\d+[a-z]?(?:\s*[;,]\s*S\d+[a-z]?)*[)\]]`)
	bareTag       = regexp.MustCompile(`\bS\d+[a-z]?\b`)
)

// stripSourceTags drops the policy file's source tags ("(S13)") from a
// note: the pack names sources by title, in the note's own list.
func stripSourceTags(s string) string {
	s = bracketedTags.ReplaceAllString(s, "")
	return bareTag.ReplaceAllString(s, "a listed source")
}

// noteLinks renders footnote references.
func noteLinks(ns []int) template.HTML {
	if len(ns) == 0 {
		return ""
	}
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `<a href="#note-%d">%d</a>`, n, n)
	}
	return template.HTML(`<sup class="note" title="rests on a value not yet confirmed">` + b.String() + `</sup>`)
}

// reviewTimeline draws the paths by date (bottom axis) and age (top axis).
func reviewTimeline(r *review, c sim.Case, p *sim.Plan) chartBlock {
	horizon := c.DateOfBirth.Birthday(25)
	spec := timelineSpec{
		ID: "review_timeline", Caption: "Timeline of the paths, by date and age",
		X:        axisSpan{Min: yearFraction(p.AsOf), Max: yearFraction(horizon), Name: "Year"},
		Top:      &axisSpan{Min: p.YearsOfAge(p.AsOf), Max: p.YearsOfAge(horizon), Prefix: "age "},
		MarkName: "Deadline",
	}
	kindIndex := map[string]int{}
	for _, key := range []string{string(sim.AsylumSeeker), string(sim.WithLeave), string(sim.Indefinite), string(sim.WithoutLeave), "support_cut", string(sim.Departed)} {
		used := false
		for _, b := range p.Branches {
			for _, s := range stretches(b, p.AsOf, horizon) {
				used = used || standingKey(s.Standing, s.Cut) == key
			}
		}
		if used {
			kindIndex[key] = len(spec.Kinds)
			var color string
			switch key {
			case "support_cut":
				color = standingColor("", true)
			default:
				color = standingColor(sim.Standing(key), false)
			}
			spec.Kinds = append(spec.Kinds, timelineKind{Name: capitalise(standingNames[key]), Color: color})
		}
	}
	for _, b := range p.Branches {
		row := timelineRow{Label: fmt.Sprintf("Path %d · %s", b.Number, sim.Chance(b.Probability))}
		for _, s := range stretches(b, p.AsOf, horizon) {
			key := standingKey(s.Standing, s.Cut)
			row.Segments = append(row.Segments, timelineSegment{
				From: yearFraction(s.From), To: yearFraction(s.To), Kind: kindIndex[key],
				Tip: html.EscapeString(fmt.Sprintf("Path %d: %s, %s to %s (age %d to %d)", b.Number, standingNames[key], s.From.Long(), s.To.Long(),
					c.DateOfBirth.AgeOn(s.From), c.DateOfBirth.AgeOn(s.To.AddDays(-1)))),
			})
		}
		for _, e := range b.Events {
			if deadlineKinds[e.Kind] && !e.Date.Before(p.AsOf) && e.Date.Before(horizon) {
				row.Marks = append(row.Marks, timelineMark{At: yearFraction(e.Date), Tip: html.EscapeString(fmt.Sprintf("Path %d: %s by %s", b.Number, e.Text, e.Date.Long()))})
			}
		}
		spec.Rows = append(spec.Rows, row)
	}
	spec.Description = fmt.Sprintf("Timeline of %d possible paths from %s to the 25th birthday on %s, coloured by immigration standing; diamonds mark deadlines. The table after the chart gives the same periods.",
		len(p.Branches), p.AsOf.Long(), horizon.Long())
	return timelineChart(spec)
}

// reviewTree draws the probability tree of path steps as a Sankey.
func reviewTree(r *review, p *sim.Plan) chartBlock {
	nodes := pathTree(p)
	spec := sankeySpec{ID: "review_tree", Caption: "Probability tree of the paths"}
	spec.Columns, spec.Rows = treeShape(nodes)
	for i, n := range nodes {
		name := outcomeName(n.Outcome)
		if i == 0 {
			name = "Now: " + statusWords[p.Status]
			if n.Outcome != "" {
				name = "Now: " + outcomeName(n.Outcome)
			}
		}
		sn := sankeyNode{ID: n.ID, Name: capitalise(name) + "\n" + sim.Chance(n.Chance), Depth: n.Depth,
			ItemStyle: nodeStyle(outcomeColor(n.Outcome))}
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
		spec.Nodes = append(spec.Nodes, sankeyNode{ID: "n1", Name: "No further decision before 25\n100%", Depth: 1, ItemStyle: nodeStyle(outcomeColor(nodes[0].Outcome))})
		spec.Links = append(spec.Links, sankeyLink{Source: "n0", Target: "n1", Value: 1})
		spec.Columns = 2
	}
	spec.Description = fmt.Sprintf("Probability tree: from the review date, each decision splits the paths; the width of each flow is its chance. %d paths in all; the table after the chart lists each path with its chance.", len(p.Branches))
	return sankeyChart(spec)
}

// chanceFloat converts a probability for the chart library, at the last
// moment.
func chanceFloat(d decimal.Decimal) float64 {
	f, _ := d.Round(6).Float64()
	return f
}
