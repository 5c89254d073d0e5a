package sim_test

import (
	"fmt"
	"strings"

	"pathway/scenarios"
	"pathway/sim"
)

// A young person with UASC leave to 17½: the extension is uncertain, so the
// plan is triple, and the first action is to instruct the solicitor three
// months before leave ends. The extension is decided after 17½, on 11 Feb
// 2026 (26 weeks after the window opens on 13 Aug 2025): it succeeds with
// the policy's 0.5, split as Eritrea's prior for that date splits
// protection. That is the latest published quarter's row, 2024 Q3: 1,441
// granted and 202 refused, g = 1441/1643, refugee status g·54/56 = 0.8457
// and HP g·2/56 = 0.0313; so 0.5 × 0.8457 / 0.8770 ≈ 48% refugee status,
// 2% HP. A refusal
// (50%) is appealed: allowed 39% of the time, 9 in 10 of those with refugee
// status (0.5 × 0.39 × 0.9 = 17.55%); dismissed, 0.5 × 0.61 = 30.5%, then
// staying without leave 0.6 of that (18.3%), a fresh claim 0.3, a return 0.1.
func ExampleNewPlan() {
	c, err := scenarios.ParseCase(strings.NewReader(`
id = "YP-0042"
date_of_birth = 2008-03-10
nationality = "ERI"
review_date = 2025-06-01
[care]
looked_after_since = 2023-11-01
placement = "foster"
[asylum]
claim_date = 2023-11-20
status = "uasc_leave"
decision_date = 2024-06-01
`), "example.toml", sim.Date{})
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := sim.NewPlan(c, scenarios.DefaultPolicy(), c.ReviewDate)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("planning:", plan.Planning, plan.Perspectives)
	b := plan.Branches[0]
	fmt.Println("leave expires:", b.LeaveExpires.Long()) // 17½, before 30 months
	fmt.Println("first action:", plan.Actions[0].Kind, "by", plan.Actions[0].By.Long())
	for _, b := range plan.Branches[:4] {
		fmt.Printf("%d %-4s %v\n", b.Number, sim.Chance(b.Probability), b.Path)
	}
	// Output:
	// planning: triple [transitional long_term return]
	// leave expires: 10 Sep 2025
	// first action: instruct_solicitor by 10 Jun 2025
	// 1 48%  [uasc_leave refugee_status settled]
	// 2 18%  [uasc_leave refused appeal_dismissed no_leave]
	// 3 18%  [uasc_leave refused appeal_allowed refugee_status settled]
	// 4 6%   [uasc_leave refused appeal_dismissed fresh_claim fresh_claim_rejected no_leave]
}
