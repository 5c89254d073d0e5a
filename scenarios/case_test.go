package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// exampleCase is the case file of product.md §1 without its decision_date,
// which a pending claim does not have. Tests edit it line by line, so its
// line numbers matter.
const exampleCase = `id = "YP-0001"                  # required; a pseudonymous reference, never a name
name = "Amir"                   # optional; shown in the adviser's review pack only
date_of_birth = 2008-03-10      # required
nationality = "AFG"             # required; ISO 3166-1 alpha-3
trafficked = false              # optional, default false
review_date = 2025-06-01        # optional; the "as of" date (--as-of overrides)

[care]
looked_after_since = 2023-11-01 # required
placement = "foster"            # foster | residential | supported_lodgings | semi_independent | staying_put | independent

[asylum]
claim_date = 2023-11-20         # required
status = "pending"              # pending | refugee_status | humanitarian_protection | uasc_leave | refused | appeal_rights_exhausted | settled
expected_decision = 2025-09-01  # optional, pending only; otherwise the policy's median wait from the review date

[asylum.outcome_probabilities]  # optional; overrides the priors for the next decision
refugee_status = 0.55
humanitarian_protection = 0.05
uasc_leave = 0.25
refused = 0.15

[schedule3]                     # optional; the outcome of a human rights assessment
support_continues = true        # support must continue (a pending fresh claim, an obstacle to return, ...)
reason = "fresh claim lodged 2025-05-02"

[return]                        # optional; a planned voluntary return
departure = 2025-09-01          # planned departure date
[return.budget]                 # reintegration assistance by category; pounds as quoted strings
cash = "500.00"                 # categories: cash, business_setup, education, vocational_training,
business_setup = "1000.00"      #   job_placement, housing, childcare, medical (medical or psychosocial)
`

// exampleWant is exampleCase as a sim.Case.
func exampleWant() sim.Case {
	return sim.Case{
		ID:          "YP-0001",
		Name:        "Amir",
		DateOfBirth: sim.NewDate(2008, time.March, 10),
		Nationality: "AFG",
		ReviewDate:  sim.NewDate(2025, time.June, 1),
		Care: sim.Care{
			LookedAfterSince: sim.NewDate(2023, time.November, 1),
			Placement:        sim.Foster,
		},
		Asylum: sim.Asylum{
			ClaimDate:        sim.NewDate(2023, time.November, 20),
			Status:           sim.Pending,
			ExpectedDecision: sim.NewDate(2025, time.September, 1),
			Probabilities: &sim.Probabilities{
				RefugeeStatus:          dec("0.55"),
				HumanitarianProtection: dec("0.05"),
				UASCLeave:              dec("0.25"),
				Refused:                dec("0.15"),
			},
		},
		Schedule3: &sim.Schedule3{SupportContinues: true, Reason: "fresh claim lodged 2025-05-02"},
		Return: &sim.Return{
			Departure: sim.NewDate(2025, time.September, 1),
			Budget:    map[string]decimal.Decimal{"cash": dec("500.00"), "business_setup": dec("1000.00")},
		},
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// edit replaces lines of src, numbered from 1; "" blanks a line, so the
// other lines keep their numbers.
func edit(src string, lines map[int]string) string {
	ls := strings.Split(src, "\n")
	for n, text := range lines {
		ls[n-1] = text
	}
	return strings.Join(ls, "\n")
}

// want is one expected problem: its line, key and value exactly, and a part
// of what it says is allowed.
type want struct {
	line    int
	key     string
	value   string
	allowed string
}

func TestParseCase(t *testing.T) {
	jun1 := sim.NewDate(2025, time.June, 1)
	tests := []struct {
		name  string
		edit  map[int]string // changes to exampleCase
		src   string         // the whole file, instead of an edit
		file  string         // a file to read, instead of src or edit
		asOf  sim.Date
		valid func(c *sim.Case) // for a valid file: how it differs from exampleWant
		want  []want            // for an invalid file: every problem, in order
	}{
		// Valid files.
		{name: "product example", valid: func(*sim.Case) {}},
		{name: "as-of without review date", edit: map[int]string{6: ""}, asOf: jun1,
			valid: func(c *sim.Case) { c.ReviewDate = sim.Date{} }},
		{name: "as-of overrides review date", edit: map[int]string{6: "review_date = 2020-01-01"}, asOf: jun1,
			valid: func(c *sim.Case) { c.ReviewDate = sim.NewDate(2020, time.January, 1) }},
		{name: "quoted dates", edit: map[int]string{3: `date_of_birth = "2008-03-10"`, 28: `departure = "2025-09-01"`},
			valid: func(*sim.Case) {}},
		{name: "optional keys left out", edit: map[int]string{2: "", 5: "", 15: "", 17: "", 18: "", 19: "", 20: "", 21: "", 23: "", 24: "", 25: "", 27: "", 28: "", 29: "", 30: "", 31: ""},
			valid: func(c *sim.Case) {
				c.Name = ""
				c.Asylum.ExpectedDecision = sim.Date{}
				c.Asylum.Probabilities = nil
				c.Schedule3 = nil
				c.Return = nil
			}},
		{name: "trafficked", edit: map[int]string{5: "trafficked = true"},
			valid: func(c *sim.Case) { c.Trafficked = true }},
		{name: "granted status with decision date", edit: map[int]string{14: `status = "uasc_leave"`, 15: "decision_date = 2024-06-01"},
			valid: func(c *sim.Case) {
				c.Asylum.Status = sim.StatusUASCLeave
				c.Asylum.DecisionDate = sim.NewDate(2024, time.June, 1)
				c.Asylum.ExpectedDecision = sim.Date{}
			}},
		{name: "integer probabilities", edit: map[int]string{18: "refugee_status = 1", 19: "humanitarian_protection = 0", 20: "uasc_leave = 0", 21: "refused = 0"},
			valid: func(c *sim.Case) {
				c.Asylum.Probabilities = &sim.Probabilities{RefugeeStatus: dec("1"), HumanitarianProtection: dec("0"), UASCLeave: dec("0"), Refused: dec("0")}
			}},
		{name: "probabilities within 1e-9 of 1", edit: map[int]string{21: "refused = 0.1500000009"},
			valid: func(c *sim.Case) { c.Asylum.Probabilities.Refused = dec("0.1500000009") }},
		{name: "under 25 and looked after the day before 18", edit: map[int]string{3: "date_of_birth = 2000-06-02", 9: "looked_after_since = 2018-06-01", 13: "claim_date = 2018-06-05"},
			valid: func(c *sim.Case) {
				c.DateOfBirth = sim.NewDate(2000, time.June, 2)
				c.Care.LookedAfterSince = sim.NewDate(2018, time.June, 1)
				c.Asylum.ClaimDate = sim.NewDate(2018, time.June, 5)
			}},
		{name: "no support after assessment needs no reason", edit: map[int]string{24: "support_continues = false", 25: ""},
			valid: func(c *sim.Case) { c.Schedule3 = &sim.Schedule3{} }},
		{name: "whole pounds and pence", edit: map[int]string{30: `cash = "500"`, 31: `business_setup = "999.5"`},
			valid: func(c *sim.Case) {
				c.Return.Budget = map[string]decimal.Decimal{"cash": dec("500"), "business_setup": dec("999.5")}
			}},
		{name: "empty budget", edit: map[int]string{30: "", 31: ""},
			valid: func(c *sim.Case) { c.Return.Budget = nil }},
		{name: "dotted keys and inline tables", edit: map[int]string{8: "", 9: "care.looked_after_since = 2023-11-01", 10: `care.placement = "foster"`, 29: "", 30: `budget = { cash = "500.00", business_setup = "1000.00" }`, 31: ""},
			valid: func(*sim.Case) {}},

		{name: "pronouns and adviser", edit: map[int]string{5: `pronouns = "she"`, 7: `adviser = { first_name = "Siân", phone = "+44 (0)20 7946-0000" }`},
			valid: func(c *sim.Case) {
				c.Pronouns = sim.PronounsShe
				c.Adviser = sim.Adviser{FirstName: "Siân", Phone: "+44 (0)20 7946-0000"}
			}},
		{name: "adviser's first name only", edit: map[int]string{5: `pronouns = "they"`, 7: `adviser.first_name = "Mary-Jo O'Neill"`},
			valid: func(c *sim.Case) {
				c.Pronouns = sim.PronounsThey
				c.Adviser.FirstName = "Mary-Jo O'Neill"
			}},

		// Top-level keys.
		{name: "pronouns unknown", edit: map[int]string{7: `pronouns = "female"`},
			want: []want{{7, "pronouns", "female", "one of she, he, they"}}},
		{name: "adviser's first name with digits", edit: map[int]string{7: `adviser.first_name = "Sam 2"`},
			want: []want{{7, "adviser.first_name", "Sam 2", "1 to 40 letters"}}},
		{name: "adviser's first name blank", edit: map[int]string{7: `adviser.first_name = " "`},
			want: []want{{7, "adviser.first_name", " ", "1 to 40 letters"}}},
		{name: "adviser's phone too short", edit: map[int]string{7: `adviser.phone = "12345"`},
			want: []want{{7, "adviser.phone", "12345", "7 to 15 digits"}}},
		{name: "adviser's phone with letters", edit: map[int]string{7: `adviser.phone = "0800 CALL ME"`},
			want: []want{{7, "adviser.phone", "0800 CALL ME", "7 to 15 digits"}}},
		{name: "adviser's phone a number", edit: map[int]string{7: `adviser.phone = 2079460000`},
			want: []want{{7, "adviser.phone", "2079460000", "a phone number like"}}},
		{name: "unknown key under adviser", edit: map[int]string{7: `adviser.surname = "Jones"`},
			want: []want{{7, "adviser.surname", "", "[adviser] allows first_name, phone"}}},
		{name: "id missing", edit: map[int]string{1: ""},
			want: []want{{0, "id", "", "missing: give a pseudonymous reference"}}},
		{name: "id with a space", edit: map[int]string{1: `id = "Amir Khan"`},
			want: []want{{1, "id", "Amir Khan", "pseudonymous"}}},
		{name: "id too long", edit: map[int]string{1: `id = "` + strings.Repeat("Y", 65) + `"`},
			want: []want{{1, "id", strings.Repeat("Y", 65), "1 to 64 letters"}}},
		{name: "id a number", edit: map[int]string{1: "id = 1"},
			want: []want{{1, "id", "1", "pseudonymous"}}},
		{name: "name too long", edit: map[int]string{2: `name = "` + strings.Repeat("a", 101) + `"`},
			want: []want{{2, "name", strings.Repeat("a", 79) + "…", "at most 100 characters"}}},
		{name: "date of birth missing", edit: map[int]string{3: ""},
			want: []want{{0, "date_of_birth", "", "missing: give a date"}}},
		{name: "date of birth with a time", edit: map[int]string{3: "date_of_birth = 2008-03-10T09:30:00"},
			want: []want{{3, "date_of_birth", "2008-03-10T09:30:00", "a date without a time"}}},
		{name: "date of birth with a time and zone", edit: map[int]string{3: "date_of_birth = 2008-03-10 09:30:00+01:00 # space for T"},
			want: []want{{3, "date_of_birth", "2008-03-10 09:30:00+01:00", "a date without a time"}}},
		{name: "date of birth a time of day", edit: map[int]string{3: "date_of_birth = 09:30:00"},
			want: []want{{3, "date_of_birth", "09:30:00", "a date without a time"}}},
		{name: "date of birth not in the calendar", edit: map[int]string{3: `date_of_birth = "2008-02-30"`},
			want: []want{{3, "date_of_birth", "2008-02-30", "a date without a time"}}},
		{name: "date of birth in another form", edit: map[int]string{3: `date_of_birth = "10/03/2008"`},
			want: []want{{3, "date_of_birth", "10/03/2008", "like 2008-03-10"}}},
		{name: "nationality missing", edit: map[int]string{4: ""},
			want: []want{{0, "nationality", "", "missing: give an ISO 3166-1 alpha-3"}}},
		{name: "nationality in lower case", edit: map[int]string{4: `nationality = "afg"`},
			want: []want{{4, "nationality", "afg", "in capitals, AFG"}}},
		{name: "nationality alpha-2", edit: map[int]string{4: `nationality = "AF"`},
			want: []want{{4, "nationality", "AF", "alpha-3 code in capitals, AFG"}}},
		{name: "nationality not a country", edit: map[int]string{4: `nationality = "XXX"`},
			want: []want{{4, "nationality", "XXX", "an ISO 3166-1 alpha-3 country code"}}},
		{name: "nationality a name", edit: map[int]string{4: `nationality = "Afghan"`},
			want: []want{{4, "nationality", "Afghan", "an ISO 3166-1 alpha-3 country code"}}},
		{name: "nationality an old code", edit: map[int]string{4: `nationality = "BUR"`},
			want: []want{{4, "nationality", "BUR", "in capitals, MMR"}}},
		{name: "trafficked not true or false", edit: map[int]string{5: `trafficked = "no"`},
			want: []want{{5, "trafficked", "no", "true or false"}}},
		{name: "no review date and no as-of", edit: map[int]string{6: ""},
			want: []want{{0, "review_date", "", "missing: give review_date or --as-of"}}},
		{name: "review date a datetime", edit: map[int]string{6: "review_date = 2025-06-01T00:00:00Z"},
			want: []want{{6, "review_date", "2025-06-01T00:00:00Z", "a date without a time"}}},

		// Unknown keys.
		{name: "unknown key", edit: map[int]string{7: `gender = "m"`},
			want: []want{{7, "gender", "", "unknown key; the top level allows id, name, date_of_birth, nationality, trafficked, review_date, [care], [asylum], [leaving_care], [schedule3], [return]"}}},
		{name: "misspelt key", edit: map[int]string{3: "date_of_brith = 2008-03-10"},
			want: []want{
				{0, "date_of_birth", "", "missing"},
				{3, "date_of_brith", "", "unknown key (did you mean date_of_birth)"},
			}},
		{name: "key in capitals", edit: map[int]string{7: `ID = "YP-0002"`},
			want: []want{{7, "ID", "", "unknown key (did you mean id)"}}},
		{name: "unknown table", edit: map[int]string{22: "[contact]"},
			want: []want{{22, "contact", "", "unknown key"}}},
		{name: "unknown key in a table", edit: map[int]string{11: `carer = "Mrs Smith"`},
			want: []want{{11, "care.carer", "", "unknown key; [care] allows looked_after_since, placement"}}},
		{name: "quoted unknown key", edit: map[int]string{11: `"social worker" = "x"`},
			want: []want{{11, `care."social worker"`, "", "unknown key"}}},
		{name: "unknown key in an inline table", edit: map[int]string{8: "", 9: "", 10: `care = { looked_after_since = 2023-11-01, placement = "foster", carer = "x" }`},
			want: []want{{10, "care.carer", "", "unknown key"}}},

		// [care]
		{name: "care not a table", edit: map[int]string{8: `care = "foster"`, 9: "", 10: ""},
			want: []want{
				{8, "care", "foster", "a table, [care], with the keys looked_after_since, placement"},
			}},
		{name: "care an array of tables", edit: map[int]string{8: "[[care]]"},
			want: []want{
				{8, "care", "", "a table, [care]"},
			}},
		{name: "placement missing", edit: map[int]string{10: ""},
			want: []want{{8, "care.placement", "", "missing: give one of foster, residential, supported_lodgings, semi_independent, staying_put, independent"}}},
		{name: "placement unknown", edit: map[int]string{10: `placement = "kinship"`},
			want: []want{{10, "care.placement", "kinship", "one of foster, residential"}}},
		{name: "placement in capitals", edit: map[int]string{10: `placement = "Foster"`},
			want: []want{{10, "care.placement", "Foster", "(did you mean foster)"}}},
		{name: "placement in an inline table", edit: map[int]string{8: `care = { looked_after_since = 2023-11-01,`, 9: `         placement = "kinship" }`, 10: ""},
			want: []want{{9, "care.placement", "kinship", "one of foster"}}},
		{name: "placement as a dotted key", edit: map[int]string{8: "", 9: "care.looked_after_since = 2023-11-01", 10: `care.placement = "kinship"`},
			want: []want{{10, "care.placement", "kinship", "one of foster"}}},
		{name: "looked after missing", edit: map[int]string{9: ""},
			want: []want{{8, "care.looked_after_since", "", "missing: give a date"}}},
		{name: "looked after before birth", edit: map[int]string{9: "looked_after_since = 2008-03-01"},
			want: []want{{9, "care.looked_after_since", "2008-03-01", "a date after date_of_birth (2008-03-10)"}}},
		{name: "looked after at 18", edit: map[int]string{3: "date_of_birth = 2005-10-01"},
			want: []want{{9, "care.looked_after_since", "2023-11-01", "a date before the young person turned 18 on 2023-10-01"}}},
		{name: "looked after after the review date", edit: map[int]string{9: "looked_after_since = 2025-06-02"},
			want: []want{{9, "care.looked_after_since", "2025-06-02", "a date on or before the as-of date 2025-06-01"}}},

		// Age.
		{name: "25 on the review date", edit: map[int]string{3: "date_of_birth = 2000-06-01"},
			want: []want{
				{3, "date_of_birth", "2000-06-01", "under 25 on the as-of date 2025-06-01 (this date makes them 25)"},
				{9, "care.looked_after_since", "2023-11-01", "turned 18 on 2018-06-01"},
			}},
		{name: "born after the review date", edit: map[int]string{3: "date_of_birth = 2025-06-02"},
			want: []want{
				{3, "date_of_birth", "2025-06-02", "a date before the as-of date 2025-06-01"},
				{9, "care.looked_after_since", "2023-11-01", "after date_of_birth"},
				{13, "asylum.claim_date", "2023-11-20", "after date_of_birth"},
			}},
		{name: "25 on the as-of date", edit: map[int]string{3: "date_of_birth = 2000-06-02", 9: "looked_after_since = 2018-06-01", 13: "claim_date = 2018-06-05"},
			asOf: sim.NewDate(2025, time.June, 2),
			want: []want{{3, "date_of_birth", "2000-06-02", "as-of date 2025-06-02 (this date makes them 25)"}}},

		// [asylum]
		{name: "asylum missing", edit: map[int]string{12: "", 13: "", 14: "", 15: "", 17: "", 18: "", 19: "", 20: "", 21: ""},
			want: []want{
				{0, "asylum.claim_date", "", "missing"},
				{0, "asylum.status", "", "missing"},
			}},
		{name: "claim before birth", edit: map[int]string{13: "claim_date = 2008-03-10"},
			want: []want{{13, "asylum.claim_date", "2008-03-10", "a date after date_of_birth (2008-03-10)"}}},
		{name: "claim after the review date", edit: map[int]string{13: "claim_date = 2025-06-02"},
			want: []want{{13, "asylum.claim_date", "2025-06-02", "on or before the as-of date 2025-06-01"}}},
		{name: "claim after the as-of date", asOf: sim.NewDate(2023, time.November, 19),
			want: []want{{13, "asylum.claim_date", "2023-11-20", "on or before the as-of date 2023-11-19"}}},
		{name: "status missing", edit: map[int]string{14: ""},
			want: []want{{12, "asylum.status", "", "missing: give one of pending, refugee_status"}}},
		{name: "status unknown", edit: map[int]string{14: `status = "granted"`},
			want: []want{{14, "asylum.status", "granted", "one of pending, refugee_status, humanitarian_protection, uasc_leave, refused, appeal_rights_exhausted, settled"}}},
		{name: "decision date while pending", edit: map[int]string{16: "decision_date = 2024-06-01"},
			want: []want{{16, "asylum.decision_date", "2024-06-01", "no decision date while status is pending"}}},
		{name: "decision date missing", edit: map[int]string{14: `status = "refugee_status"`, 15: ""},
			want: []want{{12, "asylum.decision_date", "", "missing: give the date of the decision that gave status refugee_status"}}},
		{name: "decision before claim", edit: map[int]string{14: `status = "refused"`, 15: "decision_date = 2023-11-19"},
			want: []want{{15, "asylum.decision_date", "2023-11-19", "on or after claim_date (2023-11-20)"}}},
		{name: "decision after the review date", edit: map[int]string{14: `status = "refused"`, 15: "decision_date = 2025-06-02"},
			want: []want{{15, "asylum.decision_date", "2025-06-02", "on or before the as-of date 2025-06-01"}}},
		{name: "expected decision when decided", edit: map[int]string{14: `status = "uasc_leave"`, 16: "decision_date = 2024-06-01"},
			want: []want{{15, "asylum.expected_decision", "2025-09-01", "only while status is pending, not uasc_leave"}}},
		{name: "expected decision before the review date", edit: map[int]string{15: "expected_decision = 2025-05-31"},
			want: []want{{15, "asylum.expected_decision", "2025-05-31", "on or after the as-of date 2025-06-01"}}},
		{name: "expected decision on the claim date", edit: map[int]string{13: "claim_date = 2025-06-01", 15: "expected_decision = 2025-06-01"},
			want: []want{{15, "asylum.expected_decision", "2025-06-01", "a date after claim_date (2025-06-01)"}}},

		// [asylum.outcome_probabilities]
		{name: "probabilities adding up to 1.05", edit: map[int]string{21: "refused = 0.2"},
			want: []want{{17, "asylum.outcome_probabilities", "", "add up to 1; these add up to 1.05"}}},
		{name: "probabilities just over 1e-9 from 1", edit: map[int]string{21: "refused = 0.150000002"},
			want: []want{{17, "asylum.outcome_probabilities", "", "these add up to 1.000000002"}}},
		{name: "probability over 1", edit: map[int]string{21: "refused = 1.5"},
			want: []want{{21, "asylum.outcome_probabilities.refused", "1.5", "a number from 0 to 1"}}},
		{name: "probability negative", edit: map[int]string{21: "refused = -0.15"},
			want: []want{{21, "asylum.outcome_probabilities.refused", "-0.15", "a number from 0 to 1"}}},
		{name: "probability not a number", edit: map[int]string{21: "refused = nan"},
			want: []want{{21, "asylum.outcome_probabilities.refused", "nan", "a number from 0 to 1"}}},
		{name: "probability quoted", edit: map[int]string{21: `refused = "0.15"`},
			want: []want{{21, "asylum.outcome_probabilities.refused", "0.15", "a number from 0 to 1"}}},
		{name: "probability missing", edit: map[int]string{21: ""},
			want: []want{{17, "asylum.outcome_probabilities.refused", "", "missing: give all four"}}},
		{name: "probability of another outcome", edit: map[int]string{22: "appeal_allowed = 0.1"},
			want: []want{{22, "asylum.outcome_probabilities.appeal_allowed", "", "[asylum.outcome_probabilities] allows refugee_status, humanitarian_protection, uasc_leave, refused"}}},

		// [schedule3]
		{name: "support continues without a reason", edit: map[int]string{25: ""},
			want: []want{{23, "schedule3.reason", "", "missing: give the reason support continues"}}},
		{name: "support continues with a blank reason", edit: map[int]string{25: `reason = "  "`},
			want: []want{{25, "schedule3.reason", "  ", "text saying why support continues"}}},
		{name: "support continues missing", edit: map[int]string{24: ""},
			want: []want{{23, "schedule3.support_continues", "", "missing: give true if"}}},
		{name: "support continues not true or false", edit: map[int]string{24: `support_continues = "yes"`},
			want: []want{{24, "schedule3.support_continues", "yes", "true or false"}}},

		// [return]
		{name: "return without departure", edit: map[int]string{28: ""},
			want: []want{{27, "return.departure", "", "missing: give a date"}}},
		{name: "departure before the review date", edit: map[int]string{28: "departure = 2025-05-31"},
			want: []want{{28, "return.departure", "2025-05-31", "on or after the as-of date 2025-06-01"}}},
		{name: "money as a float", edit: map[int]string{30: "cash = 500.00"},
			want: []want{{30, "return.budget.cash", "500.00", `the amount in quotes, like "500.00"`}}},
		{name: "money as an integer", edit: map[int]string{30: "cash = 500"},
			want: []want{{30, "return.budget.cash", "500", `the amount in quotes`}}},
		{name: "money in tenths of pence", edit: map[int]string{30: `cash = "500.005"`},
			want: []want{{30, "return.budget.cash", "500.005", "at most 2 decimal places"}}},
		{name: "money negative", edit: map[int]string{30: `cash = "-1.00"`},
			want: []want{{30, "return.budget.cash", "-1.00", "0 or more"}}},
		{name: "money with a pound sign", edit: map[int]string{30: `cash = "£500"`},
			want: []want{{30, "return.budget.cash", "£500", `pounds and pence in quotes, like "500.00"`}}},
		{name: "money in exponent form", edit: map[int]string{30: `cash = "5e2"`},
			want: []want{{30, "return.budget.cash", "5e2", "pounds and pence"}}},
		{name: "unknown budget category", edit: map[int]string{32: `flights = "300.00"`},
			want: []want{{32, "return.budget.flights", "", "[return.budget] allows cash, business_setup, education, vocational_training, job_placement, housing, childcare, medical"}}},
		{name: "misspelt budget category", edit: map[int]string{31: `buisness_setup = "1000.00"`},
			want: []want{{31, "return.budget.buisness_setup", "", "(did you mean business_setup)"}}},

		// Syntax.
		{name: "syntax error", edit: map[int]string{19: "humanitarian_protection = "},
			want: []want{{19, "", "", "not valid TOML"}}},
		{name: "key given twice", edit: map[int]string{7: `id = "YP-0002"`},
			want: []want{{7, "", "", "not valid TOML: key 'id' has already been defined"}}},
		{name: "empty file",
			src: " ",
			want: []want{
				{0, "asylum.claim_date", "", "missing"},
				{0, "asylum.status", "", "missing"},
				{0, "care.looked_after_since", "", "missing"},
				{0, "care.placement", "", "missing"},
				{0, "date_of_birth", "", "missing"},
				{0, "id", "", "missing"},
				{0, "nationality", "", "missing"},
				{0, "review_date", "", "missing"},
			}},
		{name: "lines counted through multi-line strings",
			src: "id = \"YP-0001\"\nname = '''\nA'''\nreason = \"\"\"\nx = 1\n\"\"\"\ntags = [ \"a\",   # ]\n  \"b\" ]\n[care]\nplacement = \"kinship\"\n",
			want: []want{
				{0, "asylum.claim_date", "", "missing"},
				{0, "asylum.status", "", "missing"},
				{0, "date_of_birth", "", "missing"},
				{0, "nationality", "", "missing"},
				{0, "review_date", "", "missing"},
				{4, "reason", "", "unknown key"},
				{7, "tags", "", "unknown key"},
				{9, "care.looked_after_since", "", "missing"},
				{10, "care.placement", "kinship", "one of foster"},
			}},
		{name: "CRLF line endings",
			src:  strings.ReplaceAll(edit(exampleCase, map[int]string{10: `placement = "kinship"`}), "\n", "\r\n"),
			want: []want{{10, "care.placement", "kinship", "one of foster"}}},
		{name: "spaced and quoted dotted keys", edit: map[int]string{8: "", 9: "care . looked_after_since = 2023-11-01", 10: `"care".'placement' = "kinship"`},
			want: []want{{10, "care.placement", "kinship", "one of foster"}}},
		{name: "spaced table header", edit: map[int]string{8: "[ care ]  # spaced", 10: `placement = "kinship"`},
			want: []want{{10, "care.placement", "kinship", "one of foster"}}},

		// A planned return checked against the reintegration scheme in force
		// on 1 Sep 2025: up to £3,000, £500 of it in cash (domain.md §6).
		{name: "budget over the cap", edit: map[int]string{31: `business_setup = "2600.00"`},
			want: []want{{29, "return.budget", "3100.00", "at most £3000.00"}}},
		{name: "cash over the cash limit", edit: map[int]string{30: `cash = "600.00"`},
			want: []want{{30, "return.budget.cash", "600.00", "at most £500.00 in cash"}}},
		{name: "contact outside the one-month window", edit: map[int]string{28: "departure = 2025-09-01\nreintegration_contact = 2025-10-02"},
			want: []want{{29, "return.reintegration_contact", "2025-10-02", "to 2025-10-01"}}},
		{name: "contact inside the window", edit: map[int]string{28: "departure = 2025-09-01\nreintegration_contact = 2025-10-01"},
			valid: func(c *sim.Case) { c.Return.ReintegrationContact = sim.NewDate(2025, 10, 1) }},
		{name: "leaving care", edit: map[int]string{26: "[leaving_care]\neducation_after_21 = true\nhigher_education_start = 2026-09-14\n"},
			valid: func(c *sim.Case) {
				c.LeavingCare.EducationAfter21 = true
				c.LeavingCare.HigherEducationStart = sim.NewDate(2026, 9, 14)
			}},

		// Files.
		{name: "many problems", file: "../testdata/cases/bad/many-problems.toml",
			want: []want{
				{2, "id", "Amir Khan", "pseudonymous"},
				{3, "date_of_birth", "1998-03-10", "this date makes them 27"},
				{4, "nationality", "afg", "AFG"},
				{8, "care.looked_after_since", "2026-01-01", "turned 18 on 2016-03-10"},
				{8, "care.looked_after_since", "2026-01-01", "on or before the as-of date 2025-06-01"},
				{9, "care.placement", "kinship", "one of foster"},
				{11, "asylum.decision_date", "", "missing"},
				{14, "asylum.expected_decision", "2025-09-01", "only while status is pending"},
				{16, "asylum.outcome_probabilities", "", "these add up to 1.05"},
				{23, "return.departure", "2025-05-01", "on or after the as-of date 2025-06-01"},
				{24, "return.flight", "", "unknown key"},
			}},
		{name: "syntax error file", file: "../testdata/cases/bad/syntax.toml",
			want: []want{{3, "", "", "not valid TOML"}}},
		{name: "money as numbers", file: "../testdata/cases/bad/money-float.toml",
			want: []want{
				{20, "return.budget.cash", "500.00", "in quotes"},
				{21, "return.budget.housing", "750", "in quotes"},
			}},
		{name: "datetime", file: "../testdata/cases/bad/datetime.toml",
			want: []want{{3, "date_of_birth", "2009-10-02T00:00:00Z", "a date without a time"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := edit(exampleCase, tt.edit)
			file := "case.toml"
			switch {
			case tt.file != "":
				b, err := os.ReadFile(tt.file)
				if err != nil {
					t.Fatal(err)
				}
				src, file = string(b), tt.file
			case tt.src != "":
				src = tt.src
			}
			got, err := ParseCase(strings.NewReader(src), file, tt.asOf)
			if tt.valid != nil {
				if err != nil {
					t.Fatalf("ParseCase(%s) error:\n%v\ninput:\n%s", tt.name, err, src)
				}
				wantCase := exampleWant()
				tt.valid(&wantCase)
				if d := caseDiff(got, wantCase); d != "" {
					t.Errorf("ParseCase(%s): %s", tt.name, d)
				}
				return
			}
			checkProblems(t, file, err, tt.want, src)
		})
	}
}

// checkProblems fails t unless err is a Problems holding exactly ws, in order.
func checkProblems(t *testing.T, file string, err error, ws []want, src string) {
	t.Helper()
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("got error %v (%T), want Problems\ninput:\n%s", err, err, src)
	}
	match := len(ps) == len(ws)
	for i := 0; match && i < len(ps); i++ {
		p, w := ps[i], ws[i]
		match = p.File == file && p.Line == w.line && p.Key == w.key && p.Value == w.value && strings.Contains(p.Allowed, w.allowed)
	}
	if !match {
		var wb strings.Builder
		for _, w := range ws {
			fmt.Fprintf(&wb, "%s:%d: %s: %q: ...%s...\n", file, w.line, w.key, w.value, w.allowed)
		}
		t.Errorf("got problems:\n%v\nwant:\n%sinput:\n%s", err, wb.String(), src)
	}
}

// caseDiff describes how got differs from want, or returns "".
func caseDiff(got, want sim.Case) string {
	var d []string
	check := func(field string, g, w any) {
		if g != w {
			d = append(d, fmt.Sprintf("%s: got %v, want %v", field, g, w))
		}
	}
	checkDec := func(field string, g, w decimal.Decimal) {
		if !g.Equal(w) {
			d = append(d, fmt.Sprintf("%s: got %s, want %s", field, g, w))
		}
	}
	check("ID", got.ID, want.ID)
	check("Name", got.Name, want.Name)
	check("DateOfBirth", got.DateOfBirth, want.DateOfBirth)
	check("Nationality", got.Nationality, want.Nationality)
	check("Trafficked", got.Trafficked, want.Trafficked)
	check("ReviewDate", got.ReviewDate, want.ReviewDate)
	check("Care", got.Care, want.Care)
	check("Asylum.ClaimDate", got.Asylum.ClaimDate, want.Asylum.ClaimDate)
	check("Asylum.Status", got.Asylum.Status, want.Asylum.Status)
	check("Asylum.DecisionDate", got.Asylum.DecisionDate, want.Asylum.DecisionDate)
	check("Asylum.ExpectedDecision", got.Asylum.ExpectedDecision, want.Asylum.ExpectedDecision)
	if gp, wp := got.Asylum.Probabilities, want.Asylum.Probabilities; (gp == nil) != (wp == nil) {
		check("Asylum.Probabilities", gp, wp)
	} else if gp != nil {
		for _, o := range sim.DecisionOutcomes {
			checkDec("Asylum.Probabilities."+string(o), gp.Of(o), wp.Of(o))
		}
	}
	if gs, ws := got.Schedule3, want.Schedule3; (gs == nil) != (ws == nil) {
		check("Schedule3", gs, ws)
	} else if gs != nil {
		check("Schedule3", *gs, *ws)
	}
	if gr, wr := got.Return, want.Return; (gr == nil) != (wr == nil) {
		check("Return", gr, wr)
	} else if gr != nil {
		check("Return.Departure", gr.Departure, wr.Departure)
		check("Return.Budget is nil", gr.Budget == nil, wr.Budget == nil)
		for _, cat := range sim.BudgetCategories {
			g, gok := gr.Budget[cat]
			w, wok := wr.Budget[cat]
			check("Return.Budget has "+cat, gok, wok)
			checkDec("Return.Budget."+cat, g, w)
		}
	}
	return strings.Join(d, "; ")
}

func TestParseCaseTestdata(t *testing.T) {
	files, err := filepath.Glob("../testdata/cases/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	statuses := map[sim.Status]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCase(strings.NewReader(string(b)), file, sim.Date{})
		if err != nil {
			t.Errorf("ParseCase(%s): %v", file, err)
			continue
		}
		if want := sim.NewDate(2025, time.June, 1); c.ReviewDate != want {
			t.Errorf("%s: review date %s, want %s", file, c.ReviewDate, want)
		}
		statuses[c.Asylum.Status] = true
	}
	for _, s := range []sim.Status{sim.Pending, sim.StatusUASCLeave, sim.StatusRefugee, sim.StatusARE} {
		if !statuses[s] {
			t.Errorf("no case file in testdata/cases has status %s", s)
		}
	}
}

// A failure to read is not a problem with the file, and is not reported as one.
func TestParseCaseReadError(t *testing.T) {
	_, err := ParseCase(failingReader{}, "case.toml", sim.Date{})
	if _, ok := err.(Problems); ok || err == nil || !strings.Contains(err.Error(), "read case.toml") {
		t.Errorf("got %v, want a read error naming the file", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

func FuzzParseCase(f *testing.F) {
	f.Add(exampleCase, "")
	f.Add(exampleCase, "2025-07-01")
	f.Add(edit(exampleCase, map[int]string{3: "date_of_birth = 2008-03-10T09:30:00", 8: "[[care]]", 21: "refused = 0.2"}), "")
	f.Add(edit(exampleCase, map[int]string{10: "", 11: `care.x = { a = [1, "]", { b = 2 }], c = """` + "\n" + `d = 1"""}`}), "")
	f.Add("id = 'YP-1'\n[return.budget]\ncash = 1e3\n", "2025-01-01")
	f.Add("\ufeffa.\"b.c\" = { 'd' = 2024-01-01 10:00:00 }\n", "")
	files, _ := filepath.Glob("../testdata/cases/*.toml")
	bad, _ := filepath.Glob("../testdata/cases/bad/*.toml")
	for _, file := range append(files, bad...) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "")
	}
	f.Fuzz(func(t *testing.T, src, asOfText string) {
		asOf, _ := sim.ParseDate(asOfText)
		c, err := ParseCase(strings.NewReader(src), "fuzz.toml", asOf)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("got error %v (%T), want Problems", err, err)
			}
			lines := strings.Count(src, "\n") + 1
			for i, p := range ps {
				if p.File != "fuzz.toml" || p.Allowed == "" || p.Line < 0 || p.Line > lines {
					t.Fatalf("bad problem %#v", p)
				}
				if i > 0 && p.Line < ps[i-1].Line {
					t.Fatalf("problems out of line order:\n%v", ps)
				}
			}
			return
		}
		if asOf.IsZero() {
			asOf = c.ReviewDate
		}
		if msg := caseInvariant(c, asOf); msg != "" {
			t.Fatalf("accepted a case where %s:\n%s", msg, src)
		}
		// What was accepted, written out again, reads back the same.
		again, err := ParseCase(strings.NewReader(formatCase(c)), "again.toml", asOf)
		if err != nil {
			t.Fatalf("written again:\n%s\ngives %v", formatCase(c), err)
		}
		if d := caseDiff(again, c); d != "" {
			t.Fatalf("written again and read back: %s\n%s", d, formatCase(c))
		}
	})
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// caseInvariant names a rule of product.md §1 that c breaks, or returns "".
func caseInvariant(c sim.Case, asOf sim.Date) string {
	a := c.Asylum
	switch {
	case !idPattern.MatchString(c.ID):
		return "the id is " + c.ID
	case !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(c.Nationality):
		return "the nationality is " + c.Nationality
	case asOf.IsZero():
		return "there is no as-of date"
	case c.DateOfBirth.IsZero() || c.DateOfBirth.AgeOn(asOf) >= 25 || !c.DateOfBirth.Before(asOf):
		return "the date of birth is " + c.DateOfBirth.String()
	case c.Care.LookedAfterSince.IsZero() || c.Care.LookedAfterSince.After(asOf) || c.DateOfBirth.AgeOn(c.Care.LookedAfterSince) >= 18:
		return "looked after since " + c.Care.LookedAfterSince.String()
	case !slices.Contains(sim.Placements, c.Care.Placement):
		return "the placement is " + string(c.Care.Placement)
	case !slices.Contains(sim.Statuses, a.Status):
		return "the status is " + string(a.Status)
	case a.ClaimDate.IsZero() || !c.DateOfBirth.Before(a.ClaimDate) || a.ClaimDate.After(asOf):
		return "the claim date is " + a.ClaimDate.String()
	case (a.Status == sim.Pending) != a.DecisionDate.IsZero():
		return "the decision date is " + a.DecisionDate.String()
	case !a.DecisionDate.IsZero() && (a.DecisionDate.Before(a.ClaimDate) || a.DecisionDate.After(asOf)):
		return "the decision date is " + a.DecisionDate.String()
	case !a.ExpectedDecision.IsZero() && (a.Status != sim.Pending || a.ExpectedDecision.Before(asOf) || !a.ExpectedDecision.After(a.ClaimDate)):
		return "the expected decision is " + a.ExpectedDecision.String()
	case a.Probabilities != nil && a.Probabilities.Sum().Sub(decimal.NewFromInt(1)).Abs().GreaterThan(decimal.New(1, -9)):
		return "the probabilities add up to " + a.Probabilities.Sum().String()
	case c.Schedule3 != nil && c.Schedule3.SupportContinues && strings.TrimSpace(c.Schedule3.Reason) == "":
		return "support continues for no reason"
	case c.Return != nil && (c.Return.Departure.IsZero() || c.Return.Departure.Before(asOf)):
		return "the departure is " + c.Return.Departure.String()
	}
	if a.Probabilities != nil {
		for _, o := range sim.DecisionOutcomes {
			if p := a.Probabilities.Of(o); p.IsNegative() || p.GreaterThan(decimal.NewFromInt(1)) {
				return "a probability is " + p.String()
			}
		}
	}
	if c.Return != nil {
		for cat, amount := range c.Return.Budget {
			if !slices.Contains(sim.BudgetCategories, cat) || amount.IsNegative() || !amount.Equal(amount.Round(2)) {
				return "the budget has " + cat + " = " + amount.String()
			}
		}
	}
	return ""
}

// formatCase writes c as a case file.
func formatCase(c sim.Case) string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s = %s\n", k, v) }
	line("id", tomlString(c.ID))
	if c.Name != "" {
		line("name", tomlString(c.Name))
	}
	line("date_of_birth", c.DateOfBirth.String())
	line("nationality", tomlString(c.Nationality))
	line("trafficked", fmt.Sprint(c.Trafficked))
	if !c.ReviewDate.IsZero() {
		line("review_date", c.ReviewDate.String())
	}
	b.WriteString("[care]\n")
	line("looked_after_since", c.Care.LookedAfterSince.String())
	line("placement", tomlString(string(c.Care.Placement)))
	b.WriteString("[asylum]\n")
	line("claim_date", c.Asylum.ClaimDate.String())
	line("status", tomlString(string(c.Asylum.Status)))
	if !c.Asylum.DecisionDate.IsZero() {
		line("decision_date", c.Asylum.DecisionDate.String())
	}
	if !c.Asylum.ExpectedDecision.IsZero() {
		line("expected_decision", c.Asylum.ExpectedDecision.String())
	}
	if p := c.Asylum.Probabilities; p != nil {
		b.WriteString("[asylum.outcome_probabilities]\n")
		for _, o := range sim.DecisionOutcomes {
			line(string(o), p.Of(o).String())
		}
	}
	if s := c.Schedule3; s != nil {
		b.WriteString("[schedule3]\n")
		line("support_continues", fmt.Sprint(s.SupportContinues))
		line("reason", tomlString(s.Reason))
	}
	if r := c.Return; r != nil {
		b.WriteString("[return]\n")
		line("departure", r.Departure.String())
		b.WriteString("[return.budget]\n")
		for _, cat := range sim.BudgetCategories {
			if amount, ok := r.Budget[cat]; ok {
				line(cat, tomlString(amount.StringFixed(2)))
			}
		}
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
