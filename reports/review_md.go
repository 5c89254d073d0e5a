package reports

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"pathway/sim"
)

// WriteReviewPackMarkdown writes the review pack as Markdown: the same
// sections as the HTML pack, with tables in place of the charts.
func WriteReviewPackMarkdown(w io.Writer, c sim.Case, p *sim.Plan, prev *ReviewPrevious) error {
	r := buildReview(c, p, prev)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdText(r.Title))
	fmt.Fprintf(&b, "Pathway plan review as of %s. For the personal adviser, social worker and independent reviewing officer: it holds personal details, so share it only with people working on this plan.\n\n", p.AsOf.Long())

	b.WriteString("## Status and planning perspective\n\n")
	for _, lv := range r.Person {
		fmt.Fprintf(&b, "- **%s:** %s\n", lv.Label, mdText(lv.Value))
	}
	fmt.Fprintf(&b, "\n**%s.** %s\n\n", mdText(r.Planning), mdText(r.Reason))
	rows := [][]string{}
	for _, cr := range r.Chances {
		role := map[string]string{"plan": "planned", "contingency": "contingency only", "none": "not needed"}[cr.Role]
		rows = append(rows, []string{cr.Perspective, role, cr.Exposure, cr.Chance})
	}
	b.WriteString("“Comes into play” is the chance that a grant (long-term) or a refusal (return) comes at some point on the path; “paths end here” is the chance the path leaves the young person in that perspective at 25 or on departure.\n\n")
	mdTable(&b, "Chances by perspective"+mdNotes(r.ChanceNotes), []string{"Perspective", "In this plan", "Comes into play", "Paths end here"}, "llrr", rows)
	if len(r.Priors) > 0 {
		b.WriteString("The chances rest on:\n\n")
		for _, l := range r.Priors {
			fmt.Fprintf(&b, "- %s\n", mdText(l))
		}
		b.WriteString("\n")
	}

	if ch := r.Changes; ch != nil {
		b.WriteString("## Changed since the last review\n\n")
		fmt.Fprintf(&b, "Compared with the plan as of %s. %s\n\n", ch.Since.Long(), mdText(ch.Headline))
		mdChangeTable(&b, "Status and key dates", "", ch.Facts)
		if len(ch.Actions) > 0 {
			mdChangeTable(&b, "Deadlines that are new, moved or gone", "Action", ch.Actions)
		} else {
			b.WriteString("No dated action is new, moved or gone.\n\n")
		}
		mdChangeTable(&b, "Chances by perspective", "Perspective", ch.Chances)
		mdChangeTable(&b, "Expected authority net cost by financial year (£)", "Financial year", ch.NetCost)
		mdChangeTable(&b, "Expected totals over the whole plan, by payer (£)", "Payer", ch.Payers)
	}

	b.WriteString("## Goals and actions by perspective\n\n")
	b.WriteString("Planning cannot pre-empt the immigration decision (guidance para 56): each perspective below has short, achievable goals across the nine areas of the pathway plan, and the actions with their deadlines. \"If needed\" gives the chance that an action will be needed.\n\n")
	for _, s := range r.Sections {
		role := map[string]string{"plan": "plan", "contingency": "contingency", "standing": "standing actions"}[s.Role]
		fmt.Fprintf(&b, "### %s — %s\n\n", mdText(s.Name), role)
		switch s.Role {
		case "contingency":
			fmt.Fprintf(&b, "A contingency, not a plan: chance %s, under the planning threshold.\n\n", s.Chance)
		case "standing":
			fmt.Fprintf(&b, "Not a planning perspective for this young person (chance %s); these standing duties still apply.\n\n", s.Chance)
		}
		if len(s.Goals) > 0 {
			var rows [][]string
			for _, g := range s.Goals {
				rows = append(rows, []string{g.Area, g.Goal, g.Source})
			}
			mdTable(&b, "Goals for the nine pathway plan areas", []string{"Area", "Goal", "Guidance"}, "lll", rows)
		}
		if len(s.Actions) > 0 {
			var rows [][]string
			for _, a := range s.Actions {
				chance := a.Chance
				if chance == "" {
					chance = "certain"
				}
				rows = append(rows, []string{byText(a), a.Text, chance, a.Source})
			}
			mdTable(&b, "Actions", []string{"By", "Action", "If needed", "Source"}, "llrl", rows)
		}
	}

	if len(r.Protection) > 0 {
		b.WriteString("## Protection: trafficked young person\n\n")
		b.WriteString("Steps from guidance paras 39–45, 54 and 66. Involve the young person in their protection plan; avoid steps that feel punitive or copy the traffickers' control (para 41).\n\n")
		var rows [][]string
		for _, a := range r.Protection {
			rows = append(rows, []string{byText(a), a.Text, a.Source})
		}
		mdTable(&b, "", []string{"By", "Step", "Source"}, "lll", rows)
	}

	b.WriteString("## Timeline of the paths\n\n")
	rows = nil
	for _, s := range r.Stretches {
		age := fmt.Sprint(s.AgeFrom)
		if s.AgeTo != s.AgeFrom {
			age += "–" + fmt.Sprint(s.AgeTo)
		}
		rows = append(rows, []string{fmt.Sprintf("Path %d", s.Path), s.From.Long(), s.To.Long(), age, s.Standing})
	}
	mdTable(&b, "Each path's periods by immigration standing, from the review date to the 25th birthday"+mdNotes(r.TimingNotes), []string{"Path", "From", "Until", "Age", "Standing"}, "lrrrl", rows)

	b.WriteString("## Probability tree\n\n")
	rows = nil
	for _, pr := range r.Paths {
		le := "–"
		if !pr.LeaveExpires.IsZero() {
			le = pr.LeaveExpires.Long()
		}
		rows = append(rows, []string{fmt.Sprintf("Path %d", pr.N), pr.Steps, pr.Chance, pr.End, le})
	}
	mdTable(&b, "Every path with its chance"+mdNotes(r.ChanceNotes), []string{"Path", "Steps", "Chance", "Ends in", "First leave expires"}, "llrlr", rows)
	b.WriteString("The tree of steps, with the chance of reaching each:\n\n")
	mdTree(&b, p)

	b.WriteString("## Money\n\n")
	b.WriteString("By UK financial year (1 April to 31 March), from the review date to the 25th birthday or departure. The expected figures weight each path by its chance. The authority's net cost is its spending minus the Home Office grants to it.")
	if r.Unconfirmed {
		b.WriteString(" Rows marked with a number rest on a value not yet confirmed (see the notes at the end).")
	}
	b.WriteString("\n\n")
	mdMoney(&b, r.Expected)
	mdMoney(&b, moneyTable{Caption: "Authority net cost by path and financial year", Years: r.NetByPath.Years, Rows: r.NetByPath.Rows, Empty: r.NetByPath.Empty})

	if len(r.AVR) > 0 {
		b.WriteString("## Voluntary return: reintegration budget\n\n")
		b.WriteString("On each return path, the reintegration help under the scheme in force on the departure date (guidance paras 61–62): cash on departure, the rest in kind, contact within the window after return, all help used within the assistance period.\n\n")
		var rows [][]string
		for _, a := range r.AVR {
			rows = append(rows, []string{fmt.Sprintf("Path %d", a.Path), a.Chance, a.Departure.Long(), a.Cap + mdNotes(a.Notes), a.Cash, a.Kind, a.ContactBy.Long(), a.SpendBy.Long(), a.Scheme})
		}
		mdTable(&b, "", []string{"Path", "Chance", "Departure", "Cap (£)", "Cash on departure (£)", "In kind (£)", "Contact by", "Use by", "Scheme"}, "lrrrrrrrl", rows)
		if cb := r.AVRBudget; cb != nil {
			var rows [][]string
			for _, lv := range cb.Rows {
				rows = append(rows, []string{lv.Label, lv.Value})
			}
			strong := make([]bool, len(rows))
			rows = append(rows, []string{"Total", cb.Total})
			strong = append(strong, true)
			mdTableStrong(&b, "The budget laid out in the case file, for a departure on "+cb.Departure.Long()+" (£)", []string{"Category", "Amount"}, "lr", rows, strong)
			switch {
			case cb.Over != "":
				fmt.Fprintf(&b, "**The budget is over the cap of £%s by £%s.**\n\n", cb.Cap, cb.Over)
			case cb.Cap != "":
				fmt.Fprintf(&b, "Within the cap of £%s.\n\n", cb.Cap)
			}
		}
	}

	b.WriteString("## Each path in detail\n\n")
	for _, pr := range r.Paths {
		fmt.Fprintf(&b, "### Path %d: %s (chance %s, ends %s)\n\n", pr.N, mdText(pr.Steps), mdText(pr.Chance), mdText(pr.End))
		var rows [][]string
		for _, e := range pr.Events {
			rows = append(rows, []string{e.Date.Long(), fmt.Sprint(e.Age), e.Text})
		}
		mdTable(&b, "Dated events", []string{"Date", "Age", "Event"}, "lrl", rows)
		if a := pr.AVR; a != nil {
			fmt.Fprintf(&b, "Reintegration budget: up to £%s, of which £%s in cash on departure; contact by %s; all help used by %s.\n\n", a.Cap, a.Cash, a.ContactBy.Long(), a.SpendBy.Long())
		}
		mdMoney(&b, pr.Money)
	}

	if len(r.Footnotes) > 0 {
		b.WriteString("## Values not yet confirmed\n\n")
		b.WriteString("These policy values are placeholders. Figures and chances that rest on them are marked with their number; check them before relying on the plan.\n\n")
		for _, f := range r.Footnotes {
			fmt.Fprintf(&b, "%d. `%s`: %s\n", f.N, f.Key, mdText(f.Text))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "---\n\nMade by pathway from the case file and the policy “%s”. Chances are estimates from published grant rates and the case file, not predictions about this young person.\n", mdText(p.Policy))
	_, err := io.WriteString(w, b.String())
	return err
}

func byText(a actionRow) string {
	switch {
	case a.By.IsZero():
		return "ongoing"
	case a.Overdue:
		return a.By.Long() + " (passed)"
	}
	return a.By.Long()
}

// mdText escapes every character Markdown (CommonMark, and GitHub's
// tables, strikethrough and autolinks) could read as markup in running
// text, a heading or a table cell, so that text from a case file shows as
// written: a name cannot become a link, an image that loads from another
// host, emphasis or a new table column. Backslash escapes serve for
// punctuation, parentheses included; <, > and & become entities; a line
// break becomes a space. GitHub's autolinks are broken where they would
// start: the colon of "://", the dot of "www." and an "@" are escaped, so an
// address or e-mail in a name stays text.
// A "- ", "+ " or "1. " could only start a list at the start of a line,
// where escaped text never stands, but a leading one is escaped all the same.
func mdText(s string) string {
	s = mdEscaper.Replace(s)
	s = mdWWW.ReplaceAllString(s, `$1\.`)
	if mdListStart.MatchString(s) {
		s = mdLeading.ReplaceAllString(s, `$1\$2`)
	}
	return s
}

var mdEscaper = func() *strings.Replacer {
	var pairs []string
	for _, c := range "\\`*_{}[]()#!|~@" {
		pairs = append(pairs, string(c), "\\"+string(c))
	}
	pairs = append(pairs, "://", `\://`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", " ", "\n", " ", "\r", " ")
	return strings.NewReplacer(pairs...)
}()

var (
	mdWWW       = regexp.MustCompile(`(?i)\b(www)\.`)
	mdListStart = regexp.MustCompile(`^([-+]|[0-9]{1,9}[.)])([ \t]|$)`)
	mdLeading   = regexp.MustCompile(`^([0-9]*)([-+.)])`)
)

func mdNotes(ns []int) string {
	if len(ns) == 0 {
		return ""
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return " [" + strings.Join(s, ",") + "]"
}

// mdTable writes a pipe table; align has one letter per column, l or r.
// Every cell is escaped.
func mdTable(b *strings.Builder, caption string, head []string, align string, rows [][]string) {
	mdTableStrong(b, caption, head, align, rows, nil)
}

// mdTableStrong is mdTable with the rows whose strong flag is set in bold.
func mdTableStrong(b *strings.Builder, caption string, head []string, align string, rows [][]string, strong []bool) {
	if caption != "" {
		fmt.Fprintf(b, "**%s**\n\n", mdText(caption))
	}
	b.WriteString("|")
	for _, h := range head {
		fmt.Fprintf(b, " %s |", mdText(h))
	}
	b.WriteString("\n|")
	for i := range head {
		if i < len(align) && align[i] == 'r' {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for i, r := range rows {
		bold := i < len(strong) && strong[i]
		b.WriteString("|")
		for _, cell := range r {
			cell = mdText(cell)
			if bold && cell != "" {
				cell = "**" + cell + "**"
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func mdChangeTable(b *strings.Builder, caption, first string, rows []changeRow) {
	var rs [][]string
	for _, r := range rows {
		rs = append(rs, []string{r.Label, r.Before, r.Now, r.Change})
	}
	mdTable(b, caption, []string{first, "Last review", "This review", "Change"}, "lrrl", rs)
}

func mdMoney(b *strings.Builder, t moneyTable) {
	if t.Empty {
		fmt.Fprintf(b, "**%s**\n\nNo money in the plan period.\n\n", mdText(t.Caption))
		return
	}
	head := append(append([]string{"£"}, t.Years...), "Total")
	align := "l" + strings.Repeat("r", len(t.Years)+1)
	var rows [][]string
	var strong []bool
	for _, r := range t.Rows {
		rows = append(rows, append(append([]string{r.Label + mdNotes(r.Notes)}, r.Cells...), r.Total))
		strong = append(strong, r.Strong)
	}
	mdTableStrong(b, t.Caption+" (£)", head, align, rows, strong)
}

// mdTree writes the probability tree as a nested list.
func mdTree(b *strings.Builder, p *sim.Plan) {
	nodes := pathTree(p)
	children := map[int][]int{}
	for i, n := range nodes {
		if n.Parent >= 0 {
			children[n.Parent] = append(children[n.Parent], i)
		}
	}
	var walk func(i, depth int)
	walk = func(i, depth int) {
		n := nodes[i]
		name := outcomeName(n.Outcome)
		if i == 0 {
			name = "now: " + statusWords[p.Status]
			if n.Outcome != "" {
				name = "now: " + outcomeName(n.Outcome)
			}
		}
		fmt.Fprintf(b, "%s- %s — %s\n", strings.Repeat("  ", depth), mdText(capitalise(name)), sim.Chance(n.Chance))
		for _, c := range children[i] {
			walk(c, depth+1)
		}
	}
	walk(0, 0)
	b.WriteString("\n")
}
