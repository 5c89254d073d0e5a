package sim

import (
	"math"
	"strings"
	"testing"
)

// row builds a prior row; from and to may be "" (no bound).
func priorRow(t testing.TB, nat, region string, uasc bool, from, to, r, h, u, f string) Prior {
	t.Helper()
	pr := Prior{Nationality: nat, Region: region, UASC: uasc, Source: "test", Confidence: "M",
		Probs: Probabilities{RefugeeStatus: dec(r), HumanitarianProtection: dec(h), UASCLeave: dec(u), Refused: dec(f)}}
	if from != "" {
		pr.From = mustDate(t, from)
	}
	if to != "" {
		pr.To = mustDate(t, to)
	}
	return pr
}

// policyWith is the test policy's values with the given priors, regions
// and pauses.
func policyWith(t testing.TB, priors []Prior, regions map[string]string, pauses []Pause, extra ...Param) *Policy {
	t.Helper()
	p, err := NewPolicyFrom(PolicyData{Name: "test", Params: testPolicy(t, extra...).Params(), Priors: priors, Regions: regions, Pauses: pauses})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// datedPriors: a default for all dates, a region from 2024 Q3, Afghanistan
// in 2023 Q2 (all ages and children) and from 2025, with a gap between.
func datedPriors(t testing.TB) *Policy {
	return policyWith(t, []Prior{
		priorRow(t, "", "", false, "", "", "0.54", "0.02", "0.17", "0.27"),
		priorRow(t, "", "Asia Central", false, "2024-07-01", "", "0.40", "0.02", "0.22", "0.36"),
		priorRow(t, "AFG", "", false, "2023-04-01", "2023-06-30", "0.95", "0.03", "0.01", "0.01"),
		priorRow(t, "AFG", "", true, "2023-04-01", "2023-06-30", "0.70", "0.05", "0.15", "0.10"),
		priorRow(t, "AFG", "", false, "2025-01-01", "", "0.3568", "0.0132", "0.2434", "0.3866"),
	}, map[string]string{"AFG": "Asia Central", "KAZ": "Asia Central"}, nil)
}

func TestPriorByDateAndFallback(t *testing.T) {
	p := datedPriors(t)
	for _, tc := range []struct {
		name, nat, on string
		child         bool
		wantRefugee   string
		wantBasis     PriorBasis
		wantFrom      string
	}{
		{"own row in 2023 Q2", "AFG", "2023-05-15", false, "0.95", BasisNationality, "2023-04-01"},
		{"a child: the UASC row first", "AFG", "2023-05-15", true, "0.70", BasisNationality, "2023-04-01"},
		{"first day of the quarter", "AFG", "2023-04-01", false, "0.95", BasisNationality, "2023-04-01"},
		{"last day of the quarter", "AFG", "2023-06-30", false, "0.95", BasisNationality, "2023-04-01"},
		{"gap in the nationality's rows, region has none yet: default", "AFG", "2023-07-01", false, "0.54", BasisAll, ""},
		{"gap in the nationality's rows: its region", "AFG", "2024-08-01", false, "0.40", BasisRegion, "2024-07-01"},
		{"a child with no UASC row: the all-ages row", "AFG", "2024-08-01", true, "0.40", BasisRegion, "2024-07-01"},
		{"open-ended latest row", "AFG", "2030-06-01", false, "0.3568", BasisNationality, "2025-01-01"},
		{"no rows of its own: its region", "KAZ", "2025-06-01", false, "0.40", BasisRegion, "2024-07-01"},
		{"no region known: default", "IRQ", "2025-06-01", false, "0.54", BasisAll, ""},
		{"nationality unknown: default", "", "2025-06-01", false, "0.54", BasisAll, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, basis := p.Prior(tc.nat, mustDate(t, tc.on), tc.child)
			if !pr.Probs.RefugeeStatus.Equal(dec(tc.wantRefugee)) || basis != tc.wantBasis || pr.From.String() != tc.wantFrom && !(tc.wantFrom == "" && pr.From.IsZero()) {
				t.Errorf("Prior(%q, %s, child %t): got refugee %s, basis %s, from %s; want %s, %s, %s",
					tc.nat, tc.on, tc.child, pr.Probs.RefugeeStatus, basis, pr.From, tc.wantRefugee, tc.wantBasis, tc.wantFrom)
			}
		})
	}
}

func TestNewPolicyRejectsBadPriors(t *testing.T) {
	def := priorRow(t, "", "", false, "", "", "0.54", "0.02", "0.17", "0.27")
	regions := map[string]string{"AFG": "Asia Central"}
	for _, tc := range []struct {
		name   string
		priors []Prior
		want   string
	}{
		{"overlapping rows", []Prior{def,
			priorRow(t, "AFG", "", false, "2023-01-01", "2023-06-30", "1", "0", "0", "0"),
			priorRow(t, "AFG", "", false, "2023-04-01", "", "1", "0", "0", "0")},
			"prior AFG: periods from 2023-01-01 and from 2023-04-01 overlap"},
		{"two undated rows", []Prior{def, priorRow(t, "AFG", "", false, "", "", "1", "0", "0", "0"), priorRow(t, "AFG", "", false, "", "", "1", "0", "0", "0")},
			"prior AFG: periods from the start and from the start overlap"},
		{"no default", []Prior{priorRow(t, "AFG", "", false, "", "", "1", "0", "0", "0")}, `priors: no default row`},
		{"default starts late", []Prior{priorRow(t, "", "", false, "2001-01-01", "", "0.54", "0.02", "0.17", "0.27")},
			"prior default: no row before 2001-01-01"},
		{"default with a gap", []Prior{priorRow(t, "", "", false, "", "2010-12-31", "0.54", "0.02", "0.17", "0.27"), priorRow(t, "", "", false, "2011-02-01", "", "0.54", "0.02", "0.17", "0.27")},
			"prior default: no row from 2011-01-01 to 2011-01-31"},
		{"default ends", []Prior{priorRow(t, "", "", false, "", "2030-12-31", "0.54", "0.02", "0.17", "0.27")},
			"prior default: no row after 2030-12-31"},
		{"region nobody belongs to", []Prior{def, priorRow(t, "", "Middle East", false, "", "", "1", "0", "0", "0")},
			`prior region Middle East: no nationality belongs to region "Middle East"`},
		{"nationality and region", []Prior{def, priorRow(t, "AFG", "Asia Central", false, "", "", "1", "0", "0", "0")},
			"prior AFG: gives both a nationality and a region"},
		{"sum not 1", []Prior{def, priorRow(t, "AFG", "", true, "2024-01-01", "", "0.5", "0", "0", "0")},
			"prior AFG (UASC) from 2024-01-01: probabilities sum to 0.5, want 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPolicyFrom(PolicyData{Name: "bad", Params: testPolicy(t).Params(), Priors: tc.priors, Regions: regions})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// firstChances sums the chances of paths by their first outcome.
func firstChances(p *Plan) map[Outcome]string {
	out := map[Outcome]string{}
	for _, o := range DecisionOutcomes {
		total := dec("0")
		for _, b := range p.Branches {
			if b.Path[0] == o {
				total = total.Add(b.Probability)
			}
		}
		out[o] = total.String()
	}
	return out
}

// A plan takes the chances of the prior in force on the date of the
// decision it predicts, and says which row they rest on.
func TestPlanChancesFollowDecisionDate(t *testing.T) {
	p := datedPriors(t)
	for _, tc := range []struct {
		name, dob, expected string
		wantRefugee         string
		wantBasis           PriorBasis
		wantUASC            bool
	}{
		// Born 2010: a child in 2023, the UASC row (0.70 refugee status).
		{"child in 2023 Q2", "2010-01-15", "2023-05-15", "0.70", BasisNationality, true},
		// Born 2004: 19 in 2023, the all-ages row (0.95).
		{"adult in 2023 Q2", "2004-01-15", "2023-05-15", "0.95", BasisNationality, false},
		// Mid-2025: the 2025 row (0.3568), whatever the age.
		{"child in mid-2025", "2010-01-15", "2025-07-01", "0.3568", BasisNationality, false},
		// 2024 Q3: no Afghan row, the region's (0.40).
		{"2024 Q3: the region", "2010-01-15", "2024-08-01", "0.40", BasisRegion, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, tc.dob, "AFG", Pending, "")
			c.Asylum.ClaimDate = mustDate(t, "2022-12-01")
			c.Asylum.ExpectedDecision = mustDate(t, tc.expected)
			pl, err := NewPlan(c, p, mustDate(t, "2023-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, pl)
			if got := firstChances(pl)[RefugeeStatus]; !dec(got).Equal(dec(tc.wantRefugee)) {
				t.Errorf("P(refugee status first) = %s, want %s", got, tc.wantRefugee)
			}
			if len(pl.Priors) == 0 {
				t.Fatal("plan lists no prior")
			}
			u := pl.Priors[0]
			if u.Decision != FirstDecision || u.On.String() != tc.expected || u.Basis != tc.wantBasis || u.Prior.UASC != tc.wantUASC {
				t.Errorf("first prior used: %+v; want the first decision on %s, basis %s, UASC %t", u, tc.expected, tc.wantBasis, tc.wantUASC)
			}
		})
	}
}

func TestPlanSaysWhenTheCaseGivesItsChances(t *testing.T) {
	c := newCase(t, "2008-03-10", "AFG", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	c.Asylum.Probabilities = &Probabilities{RefugeeStatus: dec("0.5"), HumanitarianProtection: dec("0"), UASCLeave: dec("0.25"), Refused: dec("0.25")}
	pl, err := NewPlan(c, datedPriors(t), mustDate(t, "2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	u := pl.Priors[0]
	if u.Basis != BasisCase || u.Decision != FirstDecision || !u.Prior.Probs.RefugeeStatus.Equal(dec("0.5")) {
		t.Errorf("first use %+v, want the case's own chances", u)
	}
}

// The sampler's table of chances by decision date gives, for every day from
// the as-of date to the 25th birthday, what Policy.Prior gives: across the
// nationality's periods, its region's, the default's, and the 18th birthday.
func TestSamplerPriorTableMatchesPolicy(t *testing.T) {
	p := datedPriors(t)
	c := newCase(t, "2006-02-10", "AFG", Pending, "")
	asOf := mustDate(t, "2023-01-01")
	s := NewSampler(c, p, asOf, 1, 0.5)
	adult := c.DateOfBirth.Birthday(18)
	if n := len(s.w.spans); n < 5 {
		t.Errorf("got %d spans, want the periods of 2023 Q2, the 18th birthday, the region and 2025 (at least 5)", n)
	}
	for d := asOf; !d.After(c.DateOfBirth.Birthday(25)); d = d.AddDays(1) {
		pr, _ := p.Prior("AFG", d, d.Before(adult))
		if got, want := s.w.spanAt(d.days()), floats(pr.Probs); got != want {
			t.Fatalf("on %s: sampler %v, policy %v", d, got, want)
		}
	}
}

// An extension decision drawn around its median can fall either side of a
// change of prior. The wait is 26 weeks (182 days) after the application
// window opens, drawn log-normally with sigma 0.5, and the prior changes
// exactly 182 days after the window opens. A drawn wait of w days is
// round(182·e^(0.5Z)); the decision takes the new prior when w ≥ 182, that
// is when 182·e^(0.5Z) ≥ 181.5, Z ≥ 2·ln(181.5/182) = −0.005494:
// probability Φ(0.005494) = 0.502192. The extension is granted with 0.5,
// split between refugee status and HP as the prior splits protection:
// before, 0.02/0.56 of it HP; after, 0.28/0.56 = 0.5. So
// P(HP) = 0.5 × (0.497808 × 0.035714 + 0.502192 × 0.5) = 0.134437.
func TestSampledDecisionsCrossPriorPeriods(t *testing.T) {
	// Born 2012: UASC leave granted 1 Jun 2024 runs 30 months, to 1 Dec
	// 2026 (17½ is mid-2029); the window opens 28 days before, 3 Nov 2026;
	// the prior changes 182 days later, on 4 May 2027.
	open := mustDate(t, "2026-11-03")
	change := open.AddDays(182)
	p := policyWith(t, []Prior{
		priorRow(t, "", "", false, "", change.AddDays(-1).String(), "0.54", "0.02", "0.17", "0.27"),
		priorRow(t, "", "", false, change.String(), "", "0.28", "0.28", "0.17", "0.27"),
	}, nil, nil)
	c := newCase(t, "2012-01-01", "XXX", StatusUASCLeave, "2024-06-01")
	s := NewSampler(c, p, mustDate(t, "2025-01-01"), 11, 0.5)
	const n = 20000
	hp := 0
	for range n {
		b, err := s.Draw()
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Path) < 2 || b.Path[0] != UASCLeave {
			t.Fatalf("path %v: want UASC leave then the extension decision", b.Path)
		}
		if b.Path[1] == HumanitarianProtection {
			hp++
		}
	}
	const want = 0.134437
	got := float64(hp) / n
	se := math.Sqrt(want * (1 - want) / n)
	if math.Abs(got-want) > 4*se {
		t.Errorf("share of extensions giving HP: %.4f, want %.4f ± %.4f (always the earlier prior: 0.0179; always the later: 0.25)", got, want, 4*se)
	}
}

// syriaPause is the pause of domain.md §7: from 9 December 2024, with no end
// known; the test policy assumes 12 months.
func syriaPause(t testing.TB, to string) []Pause {
	ps := Pause{Nationality: "SYR", From: mustDate(t, "2024-12-09"), Reason: "decisions on Syrian claims paused", Source: "test", Confidence: "H"}
	if to != "" {
		ps.To = mustDate(t, to)
	}
	return []Pause{ps}
}

func TestDecisionPause(t *testing.T) {
	def := []Prior{priorRow(t, "", "", false, "", "", "0.54", "0.02", "0.17", "0.27")}
	for _, tc := range []struct {
		name, nat, to, expected string
		wantDecision            string
		wantText                string
	}{
		// Expected 1 Mar 2025, overdue on 1 Jun 2025: held by the pause,
		// which has no end known, so it is taken to last 12 months from
		// the as-of date (the later of it and the start): 1 Jun 2026.
		{"no end known", "SYR", "", "2025-03-01", "2026-06-01", "the plan assumes the pause lasts 12 months from 1 Jun 2025, so the decision is not expected before 1 Jun 2026"},
		// Ending 30 Sep 2025: decisions resume the next day.
		{"known end", "SYR", "2025-09-30", "2025-08-01", "2025-10-01", "from 9 Dec 2024 to 30 Sep 2025: no first decision on the asylum claim is made meanwhile, so the decision is not expected before 1 Oct 2025"},
		// Expected after the pause ends: not held.
		{"after the end", "SYR", "2025-09-30", "2025-11-01", "2025-11-01", ""},
		// Another nationality: not held.
		{"another nationality", "IRQ", "", "2025-08-01", "2025-08-01", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := policyWith(t, def, nil, syriaPause(t, tc.to))
			c := newCase(t, "2008-03-10", tc.nat, Pending, "")
			c.Asylum.ExpectedDecision = mustDate(t, tc.expected)
			pl, err := NewPlan(c, p, mustDate(t, "2025-06-01"))
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, pl)
			for _, b := range pl.Branches {
				if got := b.Steps[0].Date.String(); got != tc.wantDecision {
					t.Errorf("path %s: first decision on %s, want %s", pathString(b.Path), got, tc.wantDecision)
				}
				var text string
				for _, e := range b.Events {
					if e.Kind == EventDecisionsPaused {
						text = e.Text
					}
				}
				if tc.wantText == "" && text != "" {
					t.Errorf("path %s: unexpected pause event %q", pathString(b.Path), text)
				}
				if tc.wantText != "" && !strings.Contains(text, tc.wantText) {
					t.Errorf("path %s: pause event %q, want it to contain %q", pathString(b.Path), text, tc.wantText)
				}
			}
			if held := tc.wantText != ""; held != (len(pl.Pauses) == 1) {
				t.Errorf("plan lists pauses %v; held %t", pl.Pauses, held)
			}
			// The sampler holds the decision the same way.
			s := NewSampler(c, p, mustDate(t, "2025-06-01"), 3, 0.5)
			for range 50 {
				b, err := s.Draw()
				if err != nil {
					t.Fatal(err)
				}
				if b.Path[0] == Refused {
					continue // the claim stays pending through the appeal
				}
				if got := b.Periods[1].From.String(); got != tc.wantDecision {
					t.Fatalf("sampled path %s: standing changes on %s, want %s", pathString(b.Path), got, tc.wantDecision)
				}
			}
		})
	}
}

// A pause holds first decisions on claims, not decisions on applications to
// extend leave.
func TestPauseLeavesExtensionsAlone(t *testing.T) {
	p := policyWith(t, []Prior{priorRow(t, "", "", false, "", "", "0.54", "0.02", "0.17", "0.27")}, nil, syriaPause(t, ""))
	// UASC leave from 1 Jun 2024 to 17½ on 10 Sep 2025: the window opens
	// 13 Aug 2025 and the extension is decided 26 weeks later, 11 Feb 2026,
	// inside the pause.
	pl, err := NewPlan(newCase(t, "2008-03-10", "SYR", StatusUASCLeave, "2024-06-01"), p, mustDate(t, "2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range pl.Branches {
		if hasEvent(b, EventDecisionsPaused) {
			t.Errorf("path %s: an extension decision was held by the pause", pathString(b.Path))
		}
		if len(b.Steps) > 1 && b.Steps[1].Date.String() != "2026-02-11" && b.Steps[1].Outcome != AppealAllowed {
			t.Errorf("path %s: extension decided %s, want 2026-02-11", pathString(b.Path), b.Steps[1].Date)
		}
	}
}
