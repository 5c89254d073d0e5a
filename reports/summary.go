package reports

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// The first part of the review pack: what the meeting needs on two
// printed pages. The rest of the pack (areas and actions, then every path,
// the money and the sources in an appendix) backs it up.

// deadlineRow is a dated action in the summary, with the young person's
// age on its date.
type deadlineRow struct {
	By          sim.Date
	Age         int
	Overdue     bool
	Perspective string
	Text        string
	Chance      string // empty when certain
}

// perspectiveMoney is the money on the paths that end in one perspective, or on
// all paths: the authority's spending, the Home Office grants to it and
// the net cost, from the review date to the end of the plan, averaged over
// those paths by their chances.
type perspectiveMoney struct {
	Label          string
	Share          string // the chance the paths end here; empty for all paths
	Spend, Grants  string
	Net            string // the net cost, or with Gain the amount the grants exceed the spending by
	Gain           bool
	Unconfirmed    bool // rests on a placeholder amount
	PerspectiveKey string
}

// summaryDeadlines are the next dated actions, soonest first: those
// already passed (overdue) and those within the next year, at most limit.
func summaryDeadlines(c sim.Case, p *sim.Plan, limit int) []deadlineRow {
	var rows []deadlineRow
	until := p.AsOf.AddMonths(12)
	for _, a := range p.Actions {
		if a.By.IsZero() || a.By.After(until) {
			continue
		}
		row := deadlineRow{By: a.By, Age: c.DateOfBirth.AgeOn(a.By), Overdue: a.Overdue(p.AsOf),
			Perspective: perspectiveShort[a.Perspective], Text: capitalise(a.Text)}
		if a.Chance.LessThan(decimal.NewFromInt(1)) {
			row.Chance = sim.Chance(a.Chance)
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].By.Before(rows[j].By) })
	if len(rows) > limit {
		rows = rows[:limit]
	}
	return rows
}

// perspectiveMoneyLines gives one line per perspective the paths end in, then one for
// all paths: each a chance-weighted average over its paths (rounded to
// the penny once, half to even).
func perspectiveMoneyLines(p *sim.Plan, unconfirmedKeys map[string]bool) []perspectiveMoney {
	type sums struct{ spend, grants, weight decimal.Decimal }
	total := func(b sim.Branch) (spend, grants decimal.Decimal, shaky bool) {
		for _, f := range b.Funding {
			switch {
			case f.Payer == sim.LocalAuthority:
				spend = spend.Add(f.Amount)
			case sim.IsGrant(f.Category):
				grants = grants.Add(f.Amount)
			default:
				continue
			}
			for _, k := range f.Basis {
				shaky = shaky || unconfirmedKeys[k]
			}
		}
		return spend, grants, shaky
	}
	by := map[sim.Perspective]*sums{}
	all := &sums{}
	shakyBy := map[sim.Perspective]bool{}
	shakyAll := false
	for _, b := range p.Branches {
		s, g, shaky := total(b)
		if by[b.End] == nil {
			by[b.End] = &sums{}
		}
		for _, t := range []*sums{by[b.End], all} {
			t.spend = t.spend.Add(s.Mul(b.Probability))
			t.grants = t.grants.Add(g.Mul(b.Probability))
			t.weight = t.weight.Add(b.Probability)
		}
		shakyBy[b.End] = shakyBy[b.End] || shaky
		shakyAll = shakyAll || shaky
	}
	line := func(label, share string, t *sums, shaky bool) perspectiveMoney {
		spend := t.spend.DivRound(t.weight, 8).RoundBank(2)
		grants := t.grants.DivRound(t.weight, 8).RoundBank(2)
		net := spend.Sub(grants)
		return perspectiveMoney{Label: label, Share: share, Spend: pounds(spend), Grants: pounds(grants), Net: pounds(net.Abs()), Gain: net.IsNegative(), Unconfirmed: shaky}
	}
	var out []perspectiveMoney
	for _, pp := range sim.Perspectives {
		t := by[pp]
		if t == nil || !t.weight.IsPositive() {
			continue
		}
		l := line(perspectiveNames[pp], sim.Chance(t.weight), t, shakyBy[pp])
		l.PerspectiveKey = string(pp)
		out = append(out, l)
	}
	if len(out) > 1 {
		out = append(out, line("All paths, each weighted by its chance", "", all, shakyAll))
	}
	return out
}

// glossaryEntry explains a legal term the pack may use; it is shown when
// the pack's text matches Uses.
type glossaryEntry struct {
	Term    string
	Meaning func(planValues) string
	Uses    *regexp.Regexp
}

// glossaryItem is an entry as the pack shows it.
type glossaryItem struct{ Term, Meaning string }

// fixed is the meaning of a term that states no policy figure.
func fixed(s string) func(planValues) string { return func(planValues) string { return s } }

// planValues finds the policy values a plan used, so a sentence stating a
// figure states the plan's figure.
type planValues struct{ p *sim.Plan }

// whole returns the whole-number value of key the plan used on its as-of
// date (or, when the plan used it only on other dates, the first it used),
// and false when the plan did not use it.
func (v planValues) whole(key string) (int, bool) {
	var first *sim.Param
	for i, u := range v.p.Used {
		if u.Key != key {
			continue
		}
		if u.Covers(v.p.AsOf) {
			return int(u.Value.IntPart()), true
		}
		if first == nil {
			first = &v.p.Used[i]
		}
	}
	if first == nil {
		return 0, false
	}
	return int(first.Value.IntPart()), true
}

// glossary holds the legal terms of the pack, in the order shown.
var glossary = []glossaryEntry{
	{"Section 3C leave", fixed("An application to extend leave made before it expires keeps the leave, and its conditions, going until the application and any appeal are decided (Immigration Act 1971 s.3C). A late application does not."), regexp.MustCompile(`(?i)section 3C`)},
	{"UASC leave", uascLeaveMeaning, regexp.MustCompile(`UASC leave`)},
	{"Refugee status; humanitarian protection", fixed("Protection granted on an asylum claim, each with a period of leave to remain; after enough protection leave, settlement can be applied for."), regexp.MustCompile(`(?i)refugee status|humanitarian protection`)},
	{"Indefinite leave to remain (settlement)", fixed("Permission to stay in the UK without a time limit."), regexp.MustCompile(`(?i)indefinite leave|settlement`)},
	{"First-tier Tribunal", fixed("The tribunal that hears appeals against Home Office refusals; the appeal must be lodged within a short window after the decision."), regexp.MustCompile(`First-tier Tribunal`)},
	{"Certified clearly unfounded (s.94)", fixed("A refusal certified under NIAA 2002 s.94 has no appeal from inside the UK; the remedy is judicial review."), regexp.MustCompile(`s\.94|clearly unfounded`)},
	{"Judicial review", fixed("A High Court (or Upper Tribunal) challenge to how a decision was made, brought promptly."), regexp.MustCompile(`(?i)judicial review`)},
	{"Appeal rights exhausted (ARE)", fixed("Refused, with no appeal pending or available: the person has no leave to remain."), regexp.MustCompile(`(?i)appeal rights exhausted`)},
	{"Fresh claim (para 353)", fixed("Further submissions after appeal rights are exhausted; the Home Office accepts them as a fresh claim (which is then decided) or rejects them, with no appeal."), regexp.MustCompile(`(?i)fresh claim|further submissions`)},
	{"Schedule 3", fixed("Schedule 3 to the Nationality, Immigration and Asylum Act 2002 bars leaving-care support under Children Act 1989 ss.17, 23C, 23CA, 24A and 24B for an adult in the UK in breach of immigration law, except where withholding it would breach their human rights."), regexp.MustCompile(`Schedule 3`)},
	{"Human rights assessment", fixed("The assessment an authority makes before withdrawing support under Schedule 3: support continues where stopping it would breach human rights, for example while a fresh claim is pending or where there is an obstacle to return."), regexp.MustCompile(`(?i)human rights assessment`)},
	{"National Referral Mechanism (NRM)", nrmMeaning, regexp.MustCompile(`NRM|National Referral Mechanism|(?i)conclusive[- ]grounds|reasonable[- ]grounds`)},
	{"Temporary permission to stay for victims of trafficking", fixed("Leave considered after a positive conclusive-grounds decision, on the grounds of recovery, compensation or helping an investigation."), regexp.MustCompile(`(?i)victim of trafficking|victims of trafficking|as a victim`)},
	{"Assisted Voluntary Return and reintegration help", fixed("Home Office help to leave the UK, with cash on departure and help in kind after return, to be taken up within set windows."), regexp.MustCompile(`(?i)voluntary return|reintegration`)},
	{"Eligible, relevant and former relevant child; qualifying young person", statusMeaning, regexp.MustCompile(`(?i)eligible child|relevant child|qualifying young person`)},
	{"Personal adviser and pathway plan", adviserMeaning, regexp.MustCompile(`(?i)personal adviser|pathway plan`)},
	{"Staying Put", fixed("An arrangement for a former foster child to stay with their carers after 18, to 21 (Children Act 1989 s.23CZA)."), regexp.MustCompile(`Staying Put`)},
	{"Registered adviser (OISC)", fixed("Immigration advice may be given only by a solicitor or an adviser registered with the Office of the Immigration Services Commissioner."), regexp.MustCompile(`OISC`)},
	{"Transitional, long-term and return perspectives", fixed("The dual or triple planning of guidance para 56: a transitional plan while status is uncertain, a long-term plan if leave is granted, and a return plan if the young person must or chooses to leave. A perspective whose chance is under the planning threshold is kept as a contingency."), regexp.MustCompile(`(?i)perspective`)},
}

// uascLeaveMeaning states the leave's length and age limit the plan used.
func uascLeaveMeaning(v planValues) string {
	s := "Leave given to an unaccompanied child refused asylum who cannot be returned safely"
	n, okN := v.whole("leave.uasc_months")
	age, okAge := v.whole("leave.uasc_age_limit_months")
	switch {
	case okN && okAge:
		s += fmt.Sprintf(": for %d months or until they are %s, whichever comes first", n, sim.AgeWords(age))
	case okAge:
		s += fmt.Sprintf(", until they are %s at the latest", sim.AgeWords(age))
	}
	return s + ", under the rules in force (Immigration Rules 352ZD–ZF)."
}

// nrmMeaning states the least time between the NRM's two decisions.
func nrmMeaning(v planValues) string {
	s := "The framework for identifying victims of trafficking. A reasonable-grounds decision comes first, then a conclusive-grounds decision"
	if n, ok := v.whole("nrm.conclusive_min_days"); ok {
		return s + fmt.Sprintf(" at least %d days later.", n)
	}
	return s + " later."
}

// statusMeaning states how long a child must have been looked after to be
// an eligible child.
func statusMeaning(v planValues) string {
	looked := "looked after for the set time since 14"
	if n, ok := v.whole("leaving_care.eligible_weeks"); ok {
		looked = fmt.Sprintf("looked after %d weeks or more since 14", n)
	}
	return "Leaving-care statuses under the Children Act 1989: an eligible child (16–17, " + looked +
		") and a relevant or former relevant child are owed a personal adviser and a pathway plan; a qualifying young person is owed advice and assistance only."
}

// adviserMeaning states how often the plan must be reviewed.
func adviserMeaning(v planValues) string {
	s := "A care leaver's personal adviser keeps the pathway plan"
	if n, ok := v.whole("planning.review_interval_months"); ok {
		s += ", reviewed at least every " + monthsSpan(n)
	}
	return s + ", to 21, or to 25 in education or training or on request."
}

// monthsSpan writes a count of months: "month", "six months", "13 months".
func monthsSpan(n int) string {
	words := []string{"", "month", "two months", "three months", "four months", "five months", "six months",
		"seven months", "eight months", "nine months", "ten months", "eleven months", "twelve months"}
	if n >= 1 && n < len(words) {
		return words[n]
	}
	return fmt.Sprintf("%d months", n)
}

// usedGlossary returns the glossary entries whose term the text uses,
// with the figures the plan used.
func usedGlossary(text string, p *sim.Plan) []glossaryItem {
	var out []glossaryItem
	for _, g := range glossary {
		if g.Uses.MatchString(text) {
			out = append(out, glossaryItem{g.Term, g.Meaning(planValues{p})})
		}
	}
	return out
}

// sourceRow is a public source the pack rests on: by its title and
// address, never by a tag.
type sourceRow struct {
	Title string
	URL   string
}

// guidanceTitle names the 2014 guidance the plan quotes by paragraph.
const guidanceTitle = "Department for Education, Care of unaccompanied and trafficked children: statutory guidance for local authorities (2014)"

// packSources gathers the public sources of the plan's actions, protection
// steps and the policy values it used: the 2014 guidance with the
// paragraphs cited, then each public source once, by title.
func packSources(p *sim.Plan) []sourceRow {
	var paras []string
	seen := map[sourceRow]bool{}
	var rows []sourceRow
	add := func(rs []sim.SourceRef) {
		for _, r := range rs {
			switch {
			case r.GuidancePara != "":
				if !slices.Contains(paras, r.GuidancePara) {
					paras = append(paras, r.GuidancePara)
				}
			case r.Title != "":
				s := sourceRow{Title: r.Title, URL: r.URL}
				if !seen[s] {
					seen[s] = true
					rows = append(rows, s)
				}
			}
		}
	}
	for _, a := range p.Actions {
		add(a.Sources)
	}
	for _, a := range p.Protection {
		add(a.Sources)
	}
	for _, v := range p.Used {
		add(v.Refs)
	}
	sort.SliceStable(rows, func(i, j int) bool { return strings.ToLower(rows[i].Title) < strings.ToLower(rows[j].Title) })
	if len(paras) > 0 {
		sort.SliceStable(paras, func(i, j int) bool { return leadingNumber(paras[i]) < leadingNumber(paras[j]) })
		rows = append([]sourceRow{{Title: guidanceTitle + ", paragraphs " + strings.Join(paras, ", ")}}, rows...)
	}
	return rows
}

func leadingNumber(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// pathOutcomes writes a path's outcomes for the data-outcomes attribute
// both the pack and the young person's page carry, so that a test can
// check that "Path N" is the same path in each.
func pathOutcomes(b sim.Branch) string {
	s := make([]string, len(b.Path))
	for i, o := range b.Path {
		s[i] = string(o)
	}
	return strings.Join(s, " ")
}

// ageRange writes "17" or "17–18".
func ageRange(a, b int) string {
	if a == b {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("%d–%d", a, b)
}
