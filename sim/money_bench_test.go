package sim

import "testing"

// BenchmarkPlanMoney times the money on every path of one plan (a pending
// claim, 12 paths): the rate table, each path's rows and the expected values.
func BenchmarkPlanMoney(b *testing.B) {
	c := newCaseB(b)
	p := testPolicy(b)
	w := &walker{c: c, p: p, asOf: NewDate(2025, 6, 1), horizon: c.DateOfBirth.Birthday(25), used: map[string]Param{}}
	w.start()
	plan := &Plan{Branches: w.out}
	b.ReportAllocs()
	for b.Loop() {
		w.funding(plan)
	}
	if w.err != nil {
		b.Fatal(w.err)
	}
}

func newCaseB(b *testing.B) Case {
	dob := NewDate(2008, 3, 10)
	return Case{ID: "YP-B", DateOfBirth: dob, Nationality: "AFG",
		Care:   Care{LookedAfterSince: NewDate(2023, 11, 1), Placement: Foster},
		Asylum: Asylum{ClaimDate: NewDate(2023, 11, 20), Status: Pending, ExpectedDecision: NewDate(2025, 9, 1)}}
}
