package sim

import (
	"slices"
	"testing"
)

// A branch's chance rests on the probability values looked up at each
// branching point along it. With only the appeal-rights-exhausted chances
// marked unconfirmed, the paths that reach appeal rights exhausted rest on
// a placeholder from that step on, and the others do not.
func TestChanceBasis(t *testing.T) {
	// A Sudanese claim (the default prior of testPolicy: 0.54, 0.02, 0.17,
	// 0.27), pending, decided on 1 Sep 2025 when the young person is 17
	// and a half or more (born 1 Jan 2008: 17½ on 1 Jul 2025), so there is
	// no UASC leave: refused 0.27 + 0.17 = 0.44.
	c := newCase(t, "2008-01-01", "SDN", Pending, "")
	c.Asylum.ExpectedDecision = mustDate(t, "2025-09-01")
	placeholder := param(t, "are.no_leave_probability", "2000-01-01", "", "0.6")
	placeholder.Unconfirmed = true
	p := plan(t, c, "2025-06-01", placeholder)

	prior := "prior:default"
	settle := "settlement.refusal_probability from 2000-01-01"
	appeal := "appeal.allowed_probability from 2000-01-01"
	share := "appeal.allowed_humanitarian_share from 2000-01-01"
	upgrade := "appeal.upgrade_allowed_probability from 2000-01-01"
	noLeave := "are.no_leave_probability from 2000-01-01"

	// Refugee status, then settlement after five years: the prior and
	// the settlement refusal chance, both confirmed here.
	b := branch(t, p, RefugeeStatus, Settled)
	if want := []string{prior, settle}; !slices.Equal(b.ChanceBasis, want) || b.ChanceUnconfirmed {
		t.Errorf("refugee path: basis %v (unconfirmed %v), want %v, confirmed", b.ChanceBasis, b.ChanceUnconfirmed, want)
	}
	// Humanitarian protection: its upgrade appeal adds its chance.
	b = branch(t, p, HumanitarianProtection, Settled)
	if want := []string{prior, upgrade, settle}; !slices.Equal(b.ChanceBasis, want) || b.ChanceUnconfirmed {
		t.Errorf("HP path: basis %v (unconfirmed %v), want %v, confirmed", b.ChanceBasis, b.ChanceUnconfirmed, want)
	}
	// Refused, appeal allowed: still confirmed.
	b = branch(t, p, Refused, AppealAllowed, RefugeeStatus, Settled)
	if want := []string{prior, appeal, share, settle}; !slices.Equal(b.ChanceBasis, want) || b.ChanceUnconfirmed {
		t.Errorf("allowed appeal: basis %v (unconfirmed %v), want %v, confirmed", b.ChanceBasis, b.ChanceUnconfirmed, want)
	}
	// Refused, appeal dismissed, then staying without leave: the
	// appeal-rights-exhausted split (return, fresh claim, no leave) is
	// looked up together, and one of them is a placeholder.
	b = branch(t, p, Refused, AppealDismissed, NoLeave)
	if !b.ChanceUnconfirmed || !slices.Contains(b.ChanceBasis, noLeave) {
		t.Errorf("no-leave path: basis %v unconfirmed %v, want it to rest on %s", b.ChanceBasis, b.ChanceUnconfirmed, noLeave)
	}
	// Step by step: the refusal and the dismissal are reached on confirmed
	// chances; staying without leave is not.
	var got []bool
	for _, st := range b.Steps {
		got = append(got, st.ChanceUnconfirmed)
	}
	if want := []bool{false, false, true}; !slices.Equal(got, want) {
		t.Errorf("no-leave path steps unconfirmed %v, want %v", got, want)
	}
	// The voluntary return path shares the split, so it rests on it too.
	if b := branch(t, p, Refused, AppealDismissed, VoluntaryReturn); !b.ChanceUnconfirmed {
		t.Error("return path after appeal rights exhausted is not marked as resting on a placeholder")
	}

	// An unconfirmed prior marks every path that its decision starts.
	pol := testPolicy(t)
	priors := pol.Priors()
	for i := range priors {
		priors[i].Confidence = "UNCONFIRMED"
	}
	pol2, err := NewPolicy("unconfirmed prior", pol.Params(), priors)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := NewPlan(c, pol2, mustDate(t, "2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p2.Branches {
		if !b.ChanceUnconfirmed || !b.Steps[0].ChanceUnconfirmed {
			t.Errorf("path %s: not marked though the prior is unconfirmed", pathString(b.Path))
		}
	}

	// A case's own outcome probabilities are not placeholders: the
	// refugee path then rests on settlement alone.
	c.Asylum.Probabilities = &Probabilities{RefugeeStatus: dec("0.5"), HumanitarianProtection: dec("0"), UASCLeave: dec("0"), Refused: dec("0.5")}
	p3 := plan(t, c, "2025-06-01")
	if b := branch(t, p3, RefugeeStatus, Settled); !slices.Equal(b.ChanceBasis, []string{settle}) {
		t.Errorf("with the case's own chances the refugee path rests on %v, want [%s]", b.ChanceBasis, settle)
	}
}

// Sampling records no basis: the forecast path allocates nothing for it.
func TestSamplerKeepsNoChanceBasis(t *testing.T) {
	c := newCase(t, "2008-01-01", "SDN", StatusARE, "2025-01-01")
	placeholder := param(t, "are.no_leave_probability", "2000-01-01", "", "0.6")
	placeholder.Unconfirmed = true
	s := NewSampler(c, testPolicy(t, placeholder), mustDate(t, "2025-06-01"), 1, 0)
	for range 20 {
		b, err := s.Draw()
		if err != nil {
			t.Fatal(err)
		}
		if b.ChanceBasis != nil || b.ChanceUnconfirmed {
			t.Fatalf("sampled path %s carries a chance basis %v", pathString(b.Path), b.ChanceBasis)
		}
	}
}
