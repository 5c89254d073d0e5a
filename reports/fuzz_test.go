package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"pathway/scenarios"
	"pathway/sim"
)

// These fuzz targets go past the parsers: whatever a case, policy or cohort
// file holds, once it is accepted it is planned or forecast, its money
// worked out, and every view of it rendered. Nothing may panic, fail or
// break the plan's own invariants; anything refused must be refused as bad
// input. CI runs each for a few seconds (see .ci/run).

// checkPlan renders plan p of case c in every view, with prev as the last
// review, and checks what must hold whatever the input.
func checkPlan(t *testing.T, c sim.Case, p *sim.Plan) {
	t.Helper()
	total := decimal.Zero
	for i, b := range p.Branches {
		total = total.Add(b.Probability)
		if b.Probability.IsNegative() {
			t.Fatalf("branch %d has probability %s", i, b.Probability)
		}
		for _, f := range b.Funding {
			if f.Amount.IsNegative() {
				t.Fatalf("branch %d: %s pays %s for %s in %d: a negative amount", i, f.Payer, f.Amount, f.Category, f.Year)
			}
		}
	}
	if len(p.Branches) == 0 || total.Sub(decimal.NewFromInt(1)).Abs().GreaterThan(decimal.New(1, -9)) {
		t.Fatalf("%d branches with probabilities summing to %s, want 1", len(p.Branches), total)
	}
	var buf bytes.Buffer
	render := func(name string, write func() error) {
		buf.Reset()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if buf.Len() == 0 {
			t.Fatalf("%s wrote nothing", name)
		}
	}
	render("text", func() error { return WritePlanText(&buf, c, p) })
	render("json", func() error { return WritePlanJSON(&buf, p) })
	if !json.Valid(buf.Bytes()) {
		t.Fatal("the JSON plan is not valid JSON")
	}
	prev := &ReviewPrevious{Case: c, Plan: p}
	o := pageOptions{scriptPlaceholder: true}
	render("markdown", func() error { return WriteReviewPackMarkdown(&buf, c, p, prev) })
	render("review", func() error { return writeReviewPack(&buf, c, p, prev, o) })
	if c.Name != "" && bytes.Contains(buf.Bytes(), []byte("<title>"+c.Name)) {
		t.Fatal("the name is in the page title")
	}
	for _, lang := range []string{"en", "ar"} {
		render("young "+lang, func() error { return writeYoungPerson(&buf, p, YoungOptionsFor(c, lang), o) })
	}
}

// planOrRefuse plans case data as scenarios and sim would for the plan
// command, and fails on anything but a plan or a refusal as bad input.
func planOrRefuse(t *testing.T, data []byte, asOf sim.Date, policy *sim.Policy) {
	t.Helper()
	c, err := scenarios.ReadCase(bytes.NewReader(data), "fuzz.toml", asOf, policy)
	if err != nil {
		if !scenarios.IsInputProblem(err) {
			t.Fatalf("refused with %v (%T), want problems with the input", err, err)
		}
		return
	}
	if asOf.IsZero() {
		asOf = c.ReviewDate
	}
	p, err := sim.NewPlan(c, policy, asOf)
	if err != nil {
		t.Fatalf("a case the reader accepted cannot be planned: %v", err)
	}
	checkPlan(t, c, p)
}

// FuzzCaseToReports mutates the sample case files, and the date they are
// seen from, and plans and renders whatever is accepted.
func FuzzCaseToReports(f *testing.F) {
	for _, s := range scenarios.Samples() {
		f.Add(s.Data, int16(0))
		f.Add(s.Data, int16(200))
	}
	f.Fuzz(func(t *testing.T, data []byte, shift int16) {
		var asOf sim.Date
		if shift != 0 {
			asOf = sim.NewDate(2025, time.June, 1).AddDays(int(shift))
		}
		planOrRefuse(t, data, asOf, scenarios.DefaultPolicy())
	})
}

// FuzzCaseFieldsToReports builds a case file from fuzzed values for each
// field, so that most inputs are accepted and reach the engine: every
// status, placement and age, dates near and far, the case's own
// probabilities, Schedule 3, leaving-care keys and a planned return.
func FuzzCaseFieldsToReports(f *testing.F) {
	f.Add(uint8(0), uint8(0), int16(6400), int16(580), int16(20), int16(200), int16(90), uint16(55), uint16(5), uint16(25), uint16(15), uint8(0), "a fresh claim", "")
	f.Add(uint8(3), uint8(1), int16(6000), int16(900), int16(10), int16(400), int16(300), uint16(0), uint16(0), uint16(0), uint16(0), uint8(7), "no safe route\nhome", "Amir [x](y)")
	f.Add(uint8(5), uint8(5), int16(8000), int16(2000), int16(0), int16(700), int16(-5), uint16(1), uint16(1), uint16(1), uint16(1), uint8(3), "", "")
	f.Add(uint8(6), uint8(4), int16(9100), int16(3500), int16(40), int16(1200), int16(60), uint16(100), uint16(0), uint16(0), uint16(0), uint8(1), "", "")
	f.Fuzz(func(t *testing.T, status, placement uint8, age, inCare, claimAfter, decisionAfter, next int16,
		pr, ph, pu, pf uint16, flags uint8, reason, name string) {
		asOf := sim.NewDate(2025, time.June, 1)
		st := sim.Statuses[int(status)%len(sim.Statuses)]
		las := asOf.AddDays(-int(inCare))
		claim := las.AddDays(int(claimAfter))
		var b strings.Builder
		fmt.Fprintf(&b, "id = \"YP-F\"\ndate_of_birth = %s\nnationality = \"AFG\"\nreview_date = %s\ntrafficked = %v\n", asOf.AddDays(-int(age)), asOf, flags&1 != 0)
		if name != "" {
			fmt.Fprintf(&b, "name = %q\n", name)
		}
		fmt.Fprintf(&b, "[care]\nlooked_after_since = %s\nplacement = %q\n", las, sim.Placements[int(placement)%len(sim.Placements)])
		fmt.Fprintf(&b, "[asylum]\nclaim_date = %s\nstatus = %q\n", claim, st)
		if st == sim.Pending {
			if next > 0 {
				fmt.Fprintf(&b, "expected_decision = %s\n", asOf.AddDays(int(next)))
			}
		} else {
			fmt.Fprintf(&b, "decision_date = %s\n", claim.AddDays(int(decisionAfter)))
		}
		if sum := int(pr) + int(ph) + int(pu) + int(pf); sum > 0 && flags&2 != 0 {
			d := func(n uint16) string {
				return decimal.NewFromInt(int64(n)).DivRound(decimal.NewFromInt(int64(sum)), 9).String()
			}
			fmt.Fprintf(&b, "[asylum.outcome_probabilities]\nrefugee_status = %s\nhumanitarian_protection = %s\nuasc_leave = %s\nrefused = %s\n", d(pr), d(ph), d(pu), d(pf))
		}
		if flags&4 != 0 {
			fmt.Fprintf(&b, "[leaving_care]\neducation_after_21 = %v\nadviser_on_request = %v\nhigher_education_start = %s\n", flags&8 != 0, flags&16 != 0, asOf.AddDays(int(next)*3))
		}
		if flags&32 != 0 {
			fmt.Fprintf(&b, "[schedule3]\nsupport_continues = %v\nreason = %q\n", flags&64 != 0, reason)
		}
		if flags&128 != 0 {
			fmt.Fprintf(&b, "[return]\ndeparture = %s\n[return.budget]\ncash = \"%d.00\"\nhousing = \"%d.50\"\n", asOf.AddDays(int(next)), pr%600, ph%2000)
		}
		planOrRefuse(t, []byte(b.String()), sim.Date{}, scenarios.DefaultPolicy())
	})
}

// FuzzPolicyToReports mutates a policy file laid over the built-in one and
// plans and renders the sample cases under it: every figure the money uses
// can take any value the policy reader lets through.
func FuzzPolicyToReports(f *testing.F) {
	f.Add([]byte(`name = "local"
[[value]]
key = "local.placement_week_foster"
from = 2000-01-01
value = "99999.99"
unit = "gbp_per_week"
source = "a test"
confidence = "L"
unconfirmed = false
[[value]]
key = "appeal.window_days"
from = 2000-01-01
value = "28"
unit = "days"
source = "a test"
confidence = "L"
unconfirmed = false
`), uint8(0))
	f.Add([]byte(`name = "long leave"
[[value]]
key = "leave.refugee_months"
from = 2000-01-01
value = "1200"
unit = "months"
source = "a test"
confidence = "H"
unconfirmed = false
[[prior]]
nationality = "AFG"
refugee_status = "0"
humanitarian_protection = "0"
uasc_leave = "0"
refused = "1"
source = "a test"
confidence = "L"
`), uint8(4))
	samples := scenarios.Samples()
	f.Fuzz(func(t *testing.T, policy []byte, which uint8) {
		p, err := scenarios.LoadPolicy(scenarios.DefaultPolicy(), bytes.NewReader(policy), "fuzz-policy.toml")
		if err != nil {
			if !scenarios.IsInputProblem(err) {
				t.Fatalf("refused with %v (%T), want problems with the input", err, err)
			}
			return
		}
		s := samples[int(which)%len(samples)]
		planOrRefuse(t, s.Data, sim.Date{}, p)
	})
}

// FuzzCohortToForecastReports mutates a cohort file and forecasts and
// renders whatever is accepted, in every format.
func FuzzCohortToForecastReports(f *testing.F) {
	var seed bytes.Buffer
	if err := scenarios.WriteCohort(&seed, scenarios.Synth(6, 1, sim.NewDate(2025, time.June, 1))); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes(), uint64(1))
	f.Add([]byte("id,date_of_birth,nationality,looked_after_since,placement,claim_date,status,decision_date\nA,2001-06-02,,2018-01-01,independent,2018-01-05,refugee_status,2019-02-01\n"), uint64(7))
	from := sim.NewDate(2025, time.June, 1)
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		cohort, err := scenarios.ReadCohort(bytes.NewReader(data), "fuzz.csv", from)
		if err != nil {
			var ps scenarios.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("refused with %v (%T), want problems with the input", err, err)
			}
			return
		}
		if len(cohort) > 50 {
			return // the target is the forecast's logic, not its speed
		}
		policy := scenarios.DefaultPolicy()
		fc, err := sim.RunForecast(cohort, policy, sim.ForecastOptions{From: from, Years: 2, Draws: 8, Seed: seed, Workers: 2})
		if err != nil {
			t.Fatalf("a cohort the reader accepted cannot be forecast: %v", err)
		}
		for _, r := range fc.Rows {
			if r.P10.GreaterThan(r.P50) || r.P50.GreaterThan(r.P90) {
				t.Fatalf("%d %s %s: P10 %s, P50 %s, P90 %s out of order", r.Year, r.Payer, r.Category, r.P10, r.P50, r.P90)
			}
		}
		in := ForecastInput{File: "fuzz.csv", SHA256: strings.Repeat("0", 64), Policy: policy}
		var buf bytes.Buffer
		for name, write := range map[string]func() error{
			"csv":       func() error { return WriteForecastCSV(&buf, fc) },
			"json":      func() error { return WriteForecastJSON(&buf, fc, in) },
			"dashboard": func() error { return writeFinanceDashboard(&buf, fc, in, pageOptions{scriptPlaceholder: true}) },
		} {
			buf.Reset()
			if err := write(); err != nil || buf.Len() == 0 {
				t.Fatalf("%s: %v, %d bytes", name, err, buf.Len())
			}
		}
	})
}
