package reports

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

func renderYoung(t *testing.T, s samplePlan, o YoungOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := writeYoungPerson(&b, s.p, o, small); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// englishChance matches a chance written as a number on the English page.
var englishChance = regexp.MustCompile(`(about \d+|less than 1|more than 9) in 10`)

// A chance that rests on a placeholder is said in words, never as a number.
func TestUnconfirmedChancesHaveNoNumber(t *testing.T) {
	// Appeal rights exhausted: every path splits on the placeholder
	// chances of return, fresh claim and staying without leave, so no
	// chance on the page (cards or chart) may be a number.
	are := sample(t, "are-irn")
	for _, b := range are.p.Branches {
		if !b.ChanceUnconfirmed {
			t.Fatalf("are-irn path %d does not rest on a placeholder: the test needs one that does", b.Number)
		}
	}
	page := renderYoung(t, are, YoungOptions{Lang: "en"})
	if m := englishChance.FindString(page); m != "" {
		t.Errorf("are-irn page shows a chance as a number: %q", m)
	}
	if n := strings.Count(page, "we do not know yet how likely this is"); n != len(are.p.Branches) {
		t.Errorf("are-irn page says %d times that a chance is not known, want once per path (%d)", n, len(are.p.Branches))
	}

	// A pending claim with the solicitor's own chances for the first
	// decision (0.55 refugee status): that step is shown with its number,
	// "about 6 in 10" (0.55 × 10 = 5.5, halves up), in the chart; the
	// whole paths rest on placeholders after it (settlement, appeals), so
	// their cards give no number.
	afg := sample(t, "pending-afg")
	page = renderYoung(t, afg, YoungOptions{Lang: "en"})
	if !strings.Contains(page, `Refugee status\nabout 6 in 10`) {
		t.Error("pending-afg chart does not give the first decision's confirmed chance")
	}
	for _, b := range afg.p.Branches {
		card := pathCard(t, page, b.Number)
		if b.ChanceUnconfirmed == englishChance.MatchString(card) {
			t.Errorf("path %d (unconfirmed %v): card %q", b.Number, b.ChanceUnconfirmed, card)
		}
	}
}

// pathCard returns the HTML of path n's card.
func pathCard(t *testing.T, page string, n int) string {
	t.Helper()
	start := strings.Index(page, `<li id="path-`+strconv.Itoa(n)+`"`)
	if start < 0 {
		t.Fatalf("no card for path %d", n)
	}
	end := strings.Index(page[start:], "</ol></li>")
	return page[start : start+end]
}

// The likely paths come first; those under 1 in 10 are folded away on
// screen and listed short in print.
func TestOtherPathsAreGrouped(t *testing.T) {
	s := sample(t, "pending-afg")
	page := renderYoung(t, s, YoungOptions{Lang: "en"})
	likely := page[strings.Index(page, `<ul class="paths likely">`):strings.Index(page, `<details class="others">`)]
	others := page[strings.Index(page, `<details class="others">`):strings.Index(page, `</details>`)]
	short := page[strings.Index(page, `<ul class="other-print">`):]
	short = short[:strings.Index(short, "</ul>")]
	for _, b := range s.p.Branches {
		id := `<li id="path-` + strconv.Itoa(b.Number) + `"`
		inLikely, inOthers := strings.Contains(likely, id), strings.Contains(others, id)
		if b.Probability.LessThan(decimal.RequireFromString("0.1")) {
			if inLikely || !inOthers || !strings.Contains(short, "<strong>Path "+strconv.Itoa(b.Number)+"</strong>") {
				t.Errorf("path %d (%s): in likely %v, in others %v", b.Number, b.Probability, inLikely, inOthers)
			}
		} else if !inLikely || inOthers {
			t.Errorf("path %d (%s): in likely %v, in others %v", b.Number, b.Probability, inLikely, inOthers)
		}
	}
	if !strings.Contains(page, "Show the other paths (30)") {
		t.Error("the folded list does not say how many paths it holds")
	}
}

// Each card says what the path means and gives its key dates with ages.
func TestPathCardDates(t *testing.T) {
	s := sample(t, "pending-afg")
	page := renderYoung(t, s, YoungOptionsFor(s.c, "en"))
	// Path 2 is UASC leave, then refugee status, then settlement: it
	// ends with leave to stay for good. UASC leave comes from the expected decision on 1 Sep 2025. Born
	// 10 Mar 2008, the young person is 17½ on 10 Sep 2025, before 30
	// months have passed, so leave ends then, aged 17; the window to
	// apply opens 28 days before, which is before the decision, so on
	// the decision day itself (1 Sep 2025). Both hang on the decision's
	// date, so they are "around". The next review is 6 months after the
	// review date: 1 Dec 2025, aged 17.
	card := pathCard(t, page, 2)
	for _, want := range []string{
		"You would be allowed to stay in the UK for good.",
		// UASC leave refuses asylum: an appeal within 14 days of the
		// decision, by 15 Sep 2025.
		"Last day to appeal against a decision: around 15 September 2025 (you will be 17)",
		"Permission to stay ends: around 10 September 2025 (you will be 17)",
		"Your solicitor must ask for more time between around 1 September 2025 (you will be 17) and around 10 September 2025 (you will be 17)",
		"Your next review: 1 December 2025 (you will be 17)",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("path 2 card has no %q:\n%s", want, card)
		}
	}
	if !strings.Contains(page, "Your next review: 1 December 2025 (you will be 17). You can ask for one sooner.") {
		t.Error("the page does not give the next review")
	}
	if !strings.Contains(page, "Made on 1 June 2025.") {
		t.Error("the page does not say when it was made")
	}
}

// A trafficked child's page never speaks of going "home"; others may.
func TestTraffickedPageSaysNoHome(t *testing.T) {
	home := regexp.MustCompile(`\bhome\b`) // "Home Office" is capitalised
	traf := renderYoung(t, sample(t, "trafficked-vnm"), YoungOptions{Lang: "en"})
	if m := home.FindString(traf); m != "" {
		i := strings.Index(traf, " home")
		t.Errorf("trafficked page says %q: …%s…", m, traf[max(0, i-80):min(len(traf), i+40)])
	}
	if !strings.Contains(traf, "the country you came from") {
		t.Error("trafficked page does not speak of return at all")
	}
	if !home.MatchString(renderYoung(t, sample(t, "refused-alb"), YoungOptions{Lang: "en"})) {
		t.Error("the non-trafficked page has no 'home' either: the test shows nothing")
	}
}

// Pronouns set the grammatical gender of Arabic; without them the wording
// is neutral.
func TestPronounsSetGender(t *testing.T) {
	s := sample(t, "refused-alb")
	for _, tt := range []struct {
		pronouns sim.Pronouns
		want     string
	}{
		{sim.PronounsUnknown, "من المهم حضور كل موعد مع المحامي"},
		{sim.PronounsThey, "من المهم حضور كل موعد مع المحامي"},
		{sim.PronounsHe, "اذهب إلى كل موعد مع محاميك"},
		{sim.PronounsShe, "اذهبي إلى كل موعد مع محاميك"},
	} {
		page := renderYoung(t, s, YoungOptions{Lang: "ar", Pronouns: tt.pronouns})
		if !strings.Contains(page, tt.want) {
			t.Errorf("pronouns %q: the Arabic page has no %q", tt.pronouns, tt.want)
		}
	}
	// Farsi does not mark gender: the same page either way.
	if renderYoung(t, s, YoungOptions{Lang: "fa", Pronouns: sim.PronounsShe}) != renderYoung(t, s, YoungOptions{Lang: "fa"}) {
		t.Error("pronouns changed the Farsi page")
	}
}

// Who can help: the adviser from the case, and helplines for the young
// person's age.
func TestWhoCanHelp(t *testing.T) {
	afg := sample(t, "pending-afg") // 17 on the review date
	page := renderYoung(t, afg, YoungOptionsFor(afg.c, "en"))
	for _, want := range []string{
		"\u2068Sam\u2069 is your personal adviser.",
		`<a href="tel:02079460000" dir="ltr">020 7946 0000</a>`,
		"Childline", `<a href="tel:08001111" dir="ltr">0800 1111</a>`,
		"Modern Slavery &amp; Exploitation Helpline", "08000 121 700",
		"Refugee Council Children&#39;s Advice Project",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("17-year-old's page has no %q", want)
		}
	}
	// 22 on the review date: no Childline (under 19) and no children's
	// advice project (under 18); no adviser's name without one in the case.
	settled := sample(t, "settled-afg")
	page = renderYoung(t, settled, YoungOptionsFor(settled.c, "en"))
	for _, not := range []string{"Childline", "Children&#39;s Advice Project", "is your personal adviser"} {
		if strings.Contains(page, not) {
			t.Errorf("22-year-old's page has %q", not)
		}
	}
	if !strings.Contains(page, "Samaritans") {
		t.Error("22-year-old's page has no Samaritans")
	}
}

// Chart marks reach 3:1 against the white page (WCAG 2.2, 1.4.11).
func TestMarkColoursContrast(t *testing.T) {
	colours := map[string]string{}
	for _, st := range []sim.Standing{sim.AsylumSeeker, sim.WithLeave, sim.Indefinite, sim.WithoutLeave, sim.Departed} {
		colours[string(st)] = standingColor(st, false)
	}
	colours["support_cut"] = standingColor("", true)
	for _, o := range []sim.Outcome{"", sim.RefugeeStatus, sim.Settled, sim.VoluntaryReturn, sim.Refused} {
		colours["node "+string(o)] = outcomeColor(o)
	}
	colours["other"] = marks.Other
	for name, c := range colours {
		if r := contrast(c, "#ffffff"); r < 3 {
			t.Errorf("%s colour %s has contrast %.2f against white, want at least 3", name, c, r)
		}
	}
	// The check itself: Okabe–Ito orange is 2.25 (the figure).
	if r := contrast("#E69F00", "#ffffff"); math.Abs(r-2.25) > 0.01 {
		t.Errorf("contrast of #E69F00 = %.3f, want 2.25", r)
	}
}

// contrast is the WCAG contrast ratio of two colours #RRGGBB.
func contrast(a, b string) float64 {
	lum := func(h string) float64 {
		v, _ := strconv.ParseUint(strings.TrimPrefix(h, "#"), 16, 32)
		ch := func(x uint64) float64 {
			c := float64(x) / 255
			if c <= 0.03928 {
				return c / 12.92
			}
			return math.Pow((c+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(v>>16&255) + 0.7152*ch(v>>8&255) + 0.0722*ch(v&255)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// prunedTree keeps steps of 1 in 10 or more and folds the rest.
func TestPrunedTree(t *testing.T) {
	d := decimal.RequireFromString
	// root → A 0.6 (→ A1 0.55, A2 0.05), B 0.35 (→ B1 0.35), C 0.05.
	nodes := []treeNode{
		{ID: "n0", Chance: d("1"), Parent: -1},
		{ID: "n1", Outcome: "a", Depth: 1, Chance: d("0.6"), Parent: 0},
		{ID: "n2", Outcome: "a1", Depth: 2, Chance: d("0.55"), Parent: 1},
		{ID: "n3", Outcome: "a2", Depth: 2, Chance: d("0.05"), Parent: 1, Unconfirmed: true},
		{ID: "n4", Outcome: "b", Depth: 1, Chance: d("0.35"), Parent: 0},
		{ID: "n5", Outcome: "b1", Depth: 2, Chance: d("0.35"), Parent: 4},
		{ID: "n6", Outcome: "c", Depth: 1, Chance: d("0.05"), Parent: 0},
	}
	got := prunedTree(nodes, d("0.1"))
	type row struct {
		outcome     sim.Outcome
		other       bool
		parent      int
		chance      string
		unconfirmed bool
	}
	want := []row{
		{"", false, -1, "1", false},
		{"a", false, 0, "0.6", false},
		{"a1", false, 1, "0.55", false},
		{"", true, 1, "0.05", true}, // a2, folded
		{"b", false, 0, "0.35", false},
		{"b1", false, 4, "0.35", false},
		{"", true, 0, "0.05", false}, // c, folded, after the kept children
	}
	if len(got) != len(want) {
		t.Fatalf("pruned tree has %d nodes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Outcome != w.outcome || g.Other != w.other || g.Parent != w.parent || g.Chance.String() != w.chance || g.Unconfirmed != w.unconfirmed || g.ID != "n"+strconv.Itoa(i) {
			t.Errorf("node %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestHelplinesFile(t *testing.T) {
	lines, err := helplines()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, l := range lines {
		ids[l.ID] = true
	}
	en, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	for id := range ids {
		if _, ok := en["help.line."+id]; !ok {
			t.Errorf("helpline %s has no text help.line.%s", id, id)
		}
	}
	for _, want := range []string{"childline", "modern_slavery", "refugee_council"} {
		if !ids[want] {
			t.Errorf("no %s helpline", want)
		}
	}
	if got := tel("+44 20 7946-0000"); got != "tel:+442079460000" {
		t.Errorf("tel = %q, want tel:+442079460000", got)
	}
}

// The page says whose decisions the chances come from: Vietnam's last
// published quarters (2024 Q2–Q3, 206 decisions) for the trafficked
// sample, in the page's language and digits; the solicitor's view where
// the case gives its own chances.
func TestChancesFromLine(t *testing.T) {
	for _, tc := range []struct {
		name, lang, want string
	}{
		{"trafficked-vnm", "en", "These chances come from Home Office decisions for people from Vietnam in 2024."},
		{"trafficked-vnm", "ar", "تأتي هذه الاحتمالات من قرارات وزارة الداخلية بشأن أشخاص من فيتنام في عام ٢٠٢٤."},
		{"pending-afg", "en", "These chances come from what your solicitor thinks about your case."},
	} {
		s := sample(t, tc.name)
		var b bytes.Buffer
		if err := WriteYoungPersonFor(&b, s.p, YoungOptionsFor(s.c, tc.lang)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s (%s): no %q", tc.name, tc.lang, tc.want)
		}
	}
}
