// Package reports turns sim results into what people read: the text and
// JSON plan, and (as they land) HTML, Markdown, CSV and XLSX.
package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// jsonPlan is the JSON plan of product.md. Its core keys are fixed.
type jsonPlan struct {
	ID            string            `json:"id"`
	AsOf          string            `json:"as_of"`
	Horizon       string            `json:"horizon"`
	Policy        string            `json:"policy"`
	Status        string            `json:"status"`
	CareStatus    string            `json:"care_status"`
	CareReason    string            `json:"care_reason"`
	Planning      string            `json:"planning"`
	Perspectives  []sim.Perspective `json:"perspectives"`
	Contingencies []sim.Perspective `json:"contingencies"`
	Chances       map[string]number `json:"chances"`
	Exposure      map[string]number `json:"exposure"`
	Reason        string            `json:"reason"`
	Branches      []jsonBranch      `json:"branches"`
	Actions       []jsonAction      `json:"actions"`
	Expected      []jsonFunding     `json:"expected"`
	NetCost       []jsonNet         `json:"net_cost"`
	Protection    []jsonAction      `json:"protection,omitempty"`
	Unconfirmed   []jsonParam       `json:"unconfirmed"`
	Priors        []jsonPrior       `json:"priors"` // what each decision's chances rest on
	Pauses        []jsonPause       `json:"pauses"` // pauses in decisions that hold one on the plan
}

type jsonBranch struct {
	Number       int           `json:"number"`
	Path         []sim.Outcome `json:"path"`
	Steps        []jsonStep    `json:"steps"`
	Outcome      sim.Outcome   `json:"outcome"`
	Probability  number        `json:"probability"`
	LeaveExpires *string       `json:"leave_expires"`
	End          string        `json:"end"`
	Events       []jsonEvent   `json:"events"`
	Funding      []jsonFunding `json:"funding"`
	AVR          *jsonAVR      `json:"avr,omitempty"`
}

type jsonStep struct {
	Outcome sim.Outcome `json:"outcome"`
	Date    string      `json:"date"`
	Age     int         `json:"age"`
}

type jsonFunding struct {
	FinancialYear string   `json:"financial_year"`
	Payer         string   `json:"payer"`
	Category      string   `json:"category"`
	Amount        string   `json:"amount"`
	Basis         []string `json:"basis,omitempty"`
}

type jsonNet struct {
	FinancialYear string `json:"financial_year"`
	Amount        string `json:"amount"`
}

type jsonAVR struct {
	Cap             string   `json:"cap"`
	CashOnDeparture string   `json:"cash_on_departure"`
	ContactBy       string   `json:"contact_by"`
	SpendBy         string   `json:"spend_by"`
	Scheme          string   `json:"scheme,omitempty"`
	Basis           []string `json:"basis"`
}

type jsonEvent struct {
	Date string        `json:"date"`
	Age  int           `json:"age"`
	Kind sim.EventKind `json:"kind"`
	Text string        `json:"text"`
}

type jsonAction struct {
	Kind        sim.ActionKind  `json:"kind"`
	Perspective sim.Perspective `json:"perspective"`
	From        *string         `json:"from"`
	By          *string         `json:"by"`
	Chance      number          `json:"chance"`
	Text        string          `json:"text"`
	Sources     []jsonSource    `json:"sources"`
}

// jsonSource is one of a policy value, a guidance paragraph or a public
// source, with only its own fields.
type jsonSource struct {
	PolicyKey    string `json:"policy_key,omitempty"`
	On           string `json:"on,omitempty"`
	GuidancePara string `json:"guidance_para,omitempty"`
	Title        string `json:"title,omitempty"`
	URL          string `json:"url,omitempty"`
}

func jsonSources(rs []sim.SourceRef) []jsonSource {
	out := []jsonSource{}
	for _, r := range rs {
		out = append(out, jsonSource{PolicyKey: r.PolicyKey, On: r.On.String(), GuidancePara: r.GuidancePara, Title: r.Title, URL: r.URL})
	}
	return out
}

type jsonParam struct {
	Key     string       `json:"key"`
	From    string       `json:"from,omitempty"`
	Value   string       `json:"value,omitempty"`
	Unit    string       `json:"unit,omitempty"`
	Source  string       `json:"source"`
	Sources []jsonSource `json:"sources"`
	Note    string       `json:"note,omitempty"`
}

// number writes an exact decimal as a JSON number.
type number struct{ d decimal.Decimal }

func (n number) MarshalJSON() ([]byte, error) { return []byte(n.d.String()), nil }

// UnmarshalJSON reads a number back exactly, for tests and tools that read
// the JSON.
func (n *number) UnmarshalJSON(b []byte) error { return n.d.UnmarshalJSON(b) }

func optDate(d sim.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// WritePlanJSON writes the JSON plan.
func WritePlanJSON(w io.Writer, p *sim.Plan) error {
	out := jsonPlan{
		ID: p.ID, AsOf: p.AsOf.String(), Horizon: p.Horizon.String(), Policy: p.Policy, Status: string(p.Status),
		CareStatus: string(p.CareStatus), CareReason: p.CareReason,
		Planning: p.Planning, Perspectives: p.Perspectives, Contingencies: p.Contingencies,
		Chances: map[string]number{}, Exposure: map[string]number{}, Reason: p.Reason,
		Branches: []jsonBranch{}, Actions: []jsonAction{}, Unconfirmed: []jsonParam{},
	}
	if out.Contingencies == nil {
		out.Contingencies = []sim.Perspective{}
	}
	for k, v := range p.Chances {
		out.Chances[string(k)] = number{v}
	}
	for k, v := range p.Exposure {
		out.Exposure[string(k)] = number{v}
	}
	for _, b := range p.Branches {
		jb := jsonBranch{Number: b.Number, Path: b.Path, Outcome: b.Outcome(), Probability: number{b.Probability},
			LeaveExpires: optDate(b.LeaveExpires), End: string(b.End), Events: []jsonEvent{}, Steps: []jsonStep{}}
		for _, st := range b.Steps {
			jb.Steps = append(jb.Steps, jsonStep{st.Outcome, st.Date.String(), st.Age})
		}
		for _, e := range b.Events {
			jb.Events = append(jb.Events, jsonEvent{e.Date.String(), e.Age, e.Kind, e.Text})
		}
		jb.Funding = jsonFundingRows(b.Funding)
		if a := b.AVR; a != nil {
			jb.AVR = &jsonAVR{a.Cap.StringFixed(2), a.CashOnDeparture.StringFixed(2), a.ContactBy.String(), a.SpendBy.String(), a.Scheme, a.Basis}
		}
		out.Branches = append(out.Branches, jb)
	}
	conv := func(as []sim.Action) []jsonAction {
		var r []jsonAction
		for _, a := range as {
			r = append(r, jsonAction{a.Kind, a.Perspective, optDate(a.From), optDate(a.By), number{a.Chance}, a.Text, jsonSources(a.Sources)})
		}
		return r
	}
	out.Actions = append(out.Actions, conv(p.Actions)...)
	out.Expected = jsonFundingRows(p.Expected)
	net := sim.NetCost(p.Expected)
	out.NetCost = []jsonNet{}
	for _, y := range sortedYears(net) {
		out.NetCost = append(out.NetCost, jsonNet{sim.FinancialYearLabel(y), net[y].StringFixed(2)})
	}
	out.Protection = conv(p.Protection)
	for _, v := range p.Unconfirmed() {
		jp := jsonParam{Key: v.Key, Source: v.Source, Sources: jsonSources(v.Refs), Note: v.Note, Unit: string(v.Unit)}
		if !v.From.IsZero() {
			jp.From, jp.Value = v.From.String(), v.Value.String()
		}
		out.Unconfirmed = append(out.Unconfirmed, jp)
	}
	out.Priors = []jsonPrior{}
	for _, u := range p.Priors {
		out.Priors = append(out.Priors, jsonPriorOf(u))
	}
	out.Pauses = jsonPauses(p.Pauses)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonFundingRows(fs []sim.Funding) []jsonFunding {
	out := []jsonFunding{}
	for _, f := range fs {
		out = append(out, jsonFunding{sim.FinancialYearLabel(f.Year), string(f.Payer), string(f.Category), f.Amount.StringFixed(2), f.Basis})
	}
	return out
}

func sortedYears[V any](m map[int]V) []int {
	ys := make([]int, 0, len(m))
	for y := range m {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

var perspectiveNames = map[sim.Perspective]string{
	sim.Transitional: "Transitional (while status is uncertain)",
	sim.LongTerm:     "Long-term (if leave is granted)",
	sim.ReturnHome:   "Return (if they must or choose to leave)",
}

// WritePlanText writes the plan an adviser reads before a review: status,
// planning perspective and why, actions with deadlines, and each path with
// its chance and dated events.
func WritePlanText(w io.Writer, c sim.Case, p *sim.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Pathway plan for %s, as of %s (policy %s)\n", p.ID, p.AsOf.Long(), p.Policy)
	turns := "turns"
	if c.DateOfBirth.Birthday(18).Before(p.AsOf) {
		turns = "turned"
	}
	fmt.Fprintf(&b, "Age %d (%s 18 on %s). Status: %s", c.DateOfBirth.AgeOn(p.AsOf), turns, c.DateOfBirth.Birthday(18).Long(), sim.StatusWords[p.Status])
	if !c.Asylum.DecisionDate.IsZero() {
		fmt.Fprintf(&b, " since %s", c.Asylum.DecisionDate.Long())
	}
	fmt.Fprintf(&b, "; claim lodged %s.\n", c.Asylum.ClaimDate.Long())
	fmt.Fprintf(&b, "Leaving care: %s: %s.\n", sim.CareStatusWords[p.CareStatus], p.CareReason)
	if c.Trafficked {
		b.WriteString("Trafficked: protection steps apply (paras 39–45).\n")
	}
	names := make([]string, len(p.Perspectives))
	for i, pp := range p.Perspectives {
		names[i] = words(string(pp))
	}
	fmt.Fprintf(&b, "\nPlanning: %s — %s\n", p.Planning, strings.Join(names, ", "))
	fmt.Fprintf(&b, "Why: %s.\n", p.Reason)
	fmt.Fprintf(&b, "Chances: leave granted at some point %s, a refusal at some point %s.\n",
		sim.Chance(p.Exposure[sim.LongTerm]), sim.Chance(p.Exposure[sim.ReturnHome]))
	fmt.Fprintf(&b, "By the end of the plan: long-term leave %s, return or no leave %s, still unresolved %s.\n",
		sim.Chance(p.Chances[sim.LongTerm]), sim.Chance(p.Chances[sim.ReturnHome]), sim.Chance(p.Chances[sim.Transitional]))
	if lines := priorLines(p); len(lines) > 0 {
		b.WriteString("The chances rest on:\n")
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}

	b.WriteString("\nActions\n")
	for _, pp := range sim.Perspectives {
		first := true
		for _, a := range p.Actions {
			if a.Perspective != pp {
				continue
			}
			if first {
				fmt.Fprintf(&b, "  %s\n", perspectiveNames[pp])
				first = false
			}
			writeAction(&b, a)
		}
	}
	if len(p.Protection) > 0 {
		b.WriteString("\nProtection (trafficked child)\n")
		for _, a := range p.Protection {
			writeAction(&b, a)
		}
	}

	fmt.Fprintf(&b, "\nPossible paths (%d)\n", len(p.Branches))
	for _, br := range p.Branches {
		steps := make([]string, len(br.Path))
		for j, o := range br.Path {
			steps[j] = words(string(o))
		}
		fmt.Fprintf(&b, "\n%2d. %s — chance %s, ends %s\n", br.Number, strings.Join(steps, " → "), sim.Chance(br.Probability), words(string(br.End)))
		for _, e := range br.Events {
			fmt.Fprintf(&b, "    %-11s  %s\n", e.Date.Long(), e.Text)
		}
		if a := br.AVR; a != nil {
			fmt.Fprintf(&b, "    Reintegration budget: up to £%s, of which £%s cash on departure; contact by %s; all help used by %s.\n",
				pounds(a.Cap), pounds(a.CashOnDeparture), a.ContactBy.Long(), a.SpendBy.Long())
		}
		b.WriteString("    Money on this path, by financial year:\n")
		fundingTable(br.Funding, true).writeText(&b, "      ")
	}
	b.WriteString("\nExpected money across all paths (each path weighted by its chance), by financial year\n")
	fundingTable(p.Expected, true).writeText(&b, "  ")
	if u := p.Unconfirmed(); len(u) > 0 {
		b.WriteString("\nValues not yet confirmed (placeholders; check before relying on them)\n")
		for _, v := range u {
			fmt.Fprintf(&b, "  %s", v.Key)
			if !v.From.IsZero() {
				fmt.Fprintf(&b, " = %s %s (from %s)", v.Value, v.Unit, v.From.Long())
			}
			if v.Note != "" {
				fmt.Fprintf(&b, ": %s", v.Note)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeAction(b *strings.Builder, a sim.Action) {
	by := "ongoing"
	if !a.By.IsZero() {
		by = "by " + a.By.Long()
	}
	chance := ""
	if a.Chance.LessThan(decimal.NewFromInt(1)) {
		chance = fmt.Sprintf(" (if needed: chance %s)", sim.Chance(a.Chance))
	}
	src := ""
	if s := sourceText(a.Sources); s != "" {
		src = " [" + s + "]"
	}
	fmt.Fprintf(b, "    %-14s  %s%s%s\n", by, a.Text, chance, src)
}

// sourceText writes references as a reader follows them: guidance
// paragraphs and public sources by title. Policy values are left out; the
// plan lists those it used.
func sourceText(rs []sim.SourceRef) string {
	var parts []string
	for _, r := range rs {
		if r.PolicyKey == "" {
			parts = append(parts, r.String())
		}
	}
	return strings.Join(parts, "; ")
}

func words(s string) string { return strings.ReplaceAll(s, "_", " ") }
