package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// The money in one line per perspective: each a chance-weighted average
// over the paths that end there, and one over all paths.
func TestPerspectiveMoneyLines(t *testing.T) {
	d := decimal.RequireFromString
	p := &sim.Plan{Branches: []sim.Branch{
		{Probability: d("0.25"), End: sim.LongTerm, Funding: []sim.Funding{
			{Year: 2025, Payer: sim.LocalAuthority, Category: sim.CatPlacement, Amount: d("1000")},
			{Year: 2025, Payer: sim.HomeOffice, Category: sim.CatUASCGrant, Amount: d("400")},
			{Year: 2025, Payer: sim.DWP, Category: sim.CatUniversalCredit, Amount: d("999"), Basis: []string{"x from 2000-01-01"}},
		}},
		{Probability: d("0.75"), End: sim.ReturnHome, Funding: []sim.Funding{
			{Year: 2025, Payer: sim.LocalAuthority, Category: sim.CatPlacement, Amount: d("2000"), Basis: []string{"local.placement from 2000-01-01"}},
			{Year: 2026, Payer: sim.HomeOffice, Category: sim.CatUASCGrant, Amount: d("500")},
		}},
	}}
	got := perspectiveMoneyLines(p, map[string]bool{"local.placement from 2000-01-01": true, "x from 2000-01-01": true})
	// Long-term: the one path's own sums, 1000 − 400 = 600; DWP money is
	// not the authority's, so its placeholder does not count. Return: 2000
	// − 500 = 1500, on a placeholder. All: 0.25 × 1000 + 0.75 × 2000 =
	// 1750 spent, 0.25 × 400 + 0.75 × 500 = 475 received, 1275 net.
	want := []perspectiveMoney{
		{Label: perspectiveNames[sim.LongTerm], Share: "25%", Spend: "1,000.00", Grants: "400.00", Net: "600.00", PerspectiveKey: "long_term"},
		{Label: perspectiveNames[sim.ReturnHome], Share: "75%", Spend: "2,000.00", Grants: "500.00", Net: "1,500.00", Unconfirmed: true, PerspectiveKey: "return"},
		{Label: "All paths, each weighted by its chance", Spend: "1,750.00", Grants: "475.00", Net: "1,275.00", Unconfirmed: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Grants above spending read as such, not as a negative cost.
	p.Branches = p.Branches[:1]
	p.Branches[0].Funding[1].Amount = d("1500")
	if l := perspectiveMoneyLines(p, nil)[0]; !l.Gain || l.Net != "500.00" {
		t.Errorf("grants 1500 over spending 1000: %+v, want a gain of 500.00", l)
	}
}

// The pack names its sources by public title and address, never by the
// policy file's tags, and explains the legal terms it uses.
func TestPackSourcesAndGlossary(t *testing.T) {
	s := sample(t, "pending-afg")
	var b bytes.Buffer
	if err := writeReviewPack(&b, s.c, s.p, nil, small); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if m := regexp.MustCompile(`\bS\d{1,3}[a-z]?\b`).FindString(page); m != "" {
		t.Errorf("the pack shows a source tag %q", m)
	}
	sources := page[strings.Index(page, `<section id="sources"`):]
	sources = sources[:strings.Index(sources, "</section>")]
	for _, want := range []string{
		guidanceTitle + ", paragraphs ",
		"Right to Remain, Submit appeal — <span class=\"url\">https://righttoremain.org.uk/asylum-navigation-board/submit-appeal/</span>",
	} {
		if !strings.Contains(sources, want) {
			t.Errorf("sources have no %q", want)
		}
	}
	glossary := page[strings.Index(page, `<dl class="glossary">`):]
	glossary = glossary[:strings.Index(glossary, "</dl>")]
	// The plan speaks of section 3C and appeals to the First-tier
	// Tribunal; nothing in it is about the NRM or a certified refusal.
	for _, want := range []string{"<dt>Section 3C leave</dt>", "<dt>First-tier Tribunal</dt>", "<dt>Appeal rights exhausted (ARE)</dt>"} {
		if !strings.Contains(glossary, want) {
			t.Errorf("glossary has no %s", want)
		}
	}
	for _, not := range []string{"National Referral Mechanism", "Certified clearly unfounded"} {
		if strings.Contains(glossary, not) {
			t.Errorf("glossary explains %s, which the pack does not use", not)
		}
	}
	if !strings.Contains(page, "<title>Pathway plan review pack: YP-0001</title>") {
		t.Error("the page title is not the pseudonymous id")
	}
}

// The glossary states the figures the plan used, as the policy gives them
// on the plan's date, never typed figures: a policy with UASC leave of 24
// months from 2026 and an age limit of 17 (204 months), reviews every
// three months, 45 days between the NRM's decisions and an eligible child
// looked after 10 weeks.
func TestGlossaryStatesThePlansFigures(t *testing.T) {
	start, to := sim.NewDate(2000, 1, 1), sim.NewDate(2025, 12, 31)
	v := func(key string, from, to sim.Date, n int64) sim.Param {
		return sim.Param{Key: key, From: from, To: to, Value: decimal.NewFromInt(n)}
	}
	p := &sim.Plan{AsOf: sim.NewDate(2026, 3, 1), Used: []sim.Param{
		v("leave.uasc_months", start, to, 30),
		v("leave.uasc_months", to.AddDays(1), sim.Date{}, 24),
		v("leave.uasc_age_limit_months", start, sim.Date{}, 204),
		v("planning.review_interval_months", start, sim.Date{}, 3),
		v("nrm.conclusive_min_days", start, sim.Date{}, 45),
		v("leaving_care.eligible_weeks", start, sim.Date{}, 10),
	}}
	text := "UASC leave; a conclusive-grounds decision; the pathway plan; an eligible child"
	got := map[string]string{}
	for _, g := range usedGlossary(text, p) {
		got[g.Term] = g.Meaning
	}
	for term, want := range map[string]string{
		"UASC leave":                        "for 24 months or until they are 17, whichever comes first",
		"National Referral Mechanism (NRM)": "a conclusive-grounds decision at least 45 days later.",
		"Personal adviser and pathway plan": "reviewed at least every three months,",
		"Eligible, relevant and former relevant child; qualifying young person": "looked after 10 weeks or more since 14",
	} {
		if !strings.Contains(got[term], want) {
			t.Errorf("%s: got %q, want it to say %q", term, got[term], want)
		}
	}
	// A plan that used none of them states no figure rather than a typed one.
	for _, g := range usedGlossary(text, &sim.Plan{AsOf: p.AsOf}) {
		if m := regexp.MustCompile(`\d+ (months|days|weeks)|½|every \w+ months`).FindString(g.Meaning); m != "" {
			t.Errorf("%s states %q with no value used", g.Term, m)
		}
	}
}

// The note on a decision at or past the age limit gives the limit the
// policy gives: 17½ is 210 months, and a policy of 216 says 18.
func TestPriorUseStatesTheAgeLimit(t *testing.T) {
	for months, want := range map[int]string{210: "; at 17½ or older no UASC leave", 216: "; at 18 or older no UASC leave"} {
		u := sim.PriorUse{Basis: sim.BasisCase, Past17Half: true, AgeLimitMonths: months}
		if got := priorUseText(u); !strings.Contains(got, want) {
			t.Errorf("%d months: got %q, want %q", months, got, want)
		}
	}
}
