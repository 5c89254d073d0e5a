package reports

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"pathway/sim"
)

// TestWhatChangedIsThePacks: the workspace's "what changed" rows are the
// pack's own: the pending-afg sample decided with UASC leave six months on
// (laterReview) changes status from pending to UASC leave, which the
// headline says, and every row's label and change appear in the pack.
func TestWhatChangedIsThePacks(t *testing.T) {
	before, later := laterReview(t)
	prev := &ReviewPrevious{before.c, before.p}
	head, rows := WhatChanged(prev, later.c, later.p)
	if !strings.Contains(head, "Status changed from asylum claim pending to UASC leave") {
		t.Errorf("headline %q does not say the status changed", head)
	}
	var status *Change
	for i, r := range rows {
		if r.Section == "Facts" && r.Label == "Status" {
			status = &rows[i]
		}
	}
	if status == nil || status.Change != "changed" || !strings.HasPrefix(status.Now, "UASC leave (decided 1 Sep 2025)") {
		t.Errorf("status row: %+v", status)
	}
	var pack bytes.Buffer
	if err := WriteReviewPack(&pack, later.c, later.p, prev); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(pack.String())
	for _, r := range rows {
		if !strings.Contains(page, r.Label) || !strings.Contains(page, r.Change) {
			t.Errorf("row %+v is not in the pack", r)
		}
	}
}

func TestPlanAreas(t *testing.T) {
	c := sim.Case{}
	areas := PlanAreas(c)
	if len(areas) != 9 {
		t.Fatalf("%d areas, want the nine of the Care Planning Regulations' Schedule 8", len(areas))
	}
	for _, a := range areas {
		for _, pp := range sim.Perspectives {
			if a.Goals[pp] == "" {
				t.Errorf("%s: no %s goal", a.Name, pp)
			}
		}
	}
	c.Trafficked = true
	for _, a := range PlanAreas(c) {
		if a.Name == "Safety and risk" && a.Goals[sim.Transitional] != traffickedSafety.Text {
			t.Errorf("trafficked: safety goal %q", a.Goals[sim.Transitional])
		}
	}
}

// A pack written for a recorded review gives what was recorded: views by
// area, goals with their perspective, actions with who and by when, and the
// sign-off; escaped as data.
func TestReviewPackRecord(t *testing.T) {
	s := sample(t, "pending-afg")
	rec := &ReviewRecord{Number: 3, SignedOffBy: "A Adviser", SignedOffOn: sim.NewDate(2025, 6, 2),
		Views:   []AreaText{{"Health and development", "I want to see a dentist <soon>."}},
		Goals:   []AgreedGoal{{"Suitable accommodation", sim.LongTerm, "A flat near college."}},
		Actions: []AgreedAction{{Text: "Book the dentist", Owner: "PA", Status: "To do", Due: sim.NewDate(2025, 7, 1)}}}
	var b bytes.Buffer
	if err := WriteReviewPackRecord(&b, s.c, s.p, nil, rec); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"Recorded at review 3", "Signed off by A Adviser on <time datetime=\"2025-06-02\">2 Jun 2025</time>",
		"I want to see a dentist &lt;soon&gt;.", "<td>Long-term (if leave is granted)</td><td class=\"prose\">A flat near college.</td>",
		"<td>PA</td><td class=\"num\"><time datetime=\"2025-07-01\">1 Jul 2025</time></td><td>To do</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the pack lacks %q", want)
		}
	}
	b.Reset()
	if err := WriteReviewPack(&b, s.c, s.p, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `id="record"`) {
		t.Error("a pack from a case file has a recorded-review section")
	}
}
