package sim

import (
	"fmt"
	"strings"
)

// The engine's English: event and action texts for the JSON and text plan.
// A sentence that states a figure builds it from the value looked up.

// leaveWords name the leave each outcome gives.
var leaveWords = map[Outcome]string{
	RefugeeStatus:          "refugee status",
	HumanitarianProtection: "humanitarian protection",
	UASCLeave:              "UASC leave",
	VictimPermission:       "temporary permission as a victim of trafficking",
}

// leaveEndsWords says that the leave an outcome gives ends: status does not
// expire, leave (permission to stay) does (domain.md §9, "Wording").
func leaveEndsWords(o Outcome) string {
	switch o {
	case RefugeeStatus:
		return "leave to remain as a refugee ends"
	case HumanitarianProtection:
		return "leave to remain with humanitarian protection ends"
	}
	return leaveWords[o] + " ends"
}

// applicationWords says what the application before leave ends is for.
func applicationWords(o Outcome, extend bool) string {
	switch {
	case o == UASCLeave:
		return "to extend UASC leave"
	case extend:
		return "for further permission on the protection route"
	}
	return "for settlement (indefinite leave to remain)"
}

// StatusWords name each status in an adviser's words.
var StatusWords = map[Status]string{
	Pending:                      "a pending asylum claim",
	StatusRefugee:                "refugee status",
	StatusHumanitarianProtection: "humanitarian protection",
	StatusUASCLeave:              "UASC leave",
	StatusRefused:                "a refused claim",
	StatusARE:                    "appeal rights exhausted",
	StatusSettled:                "indefinite leave to remain",
}

// CareStatusWords name each leaving-care status in an adviser's words.
var CareStatusWords = map[CareStatus]string{
	LookedAfter:    "looked after",
	Eligible:       "an eligible child",
	Relevant:       "a relevant child",
	FormerRelevant: "a former relevant child",
	Qualifying:     "a qualifying young person",
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func daysWords(n int) string   { return plural(n, "day", "days") }
func weeksWords(n int) string  { return plural(n, "week", "weeks") }
func monthsWords(n int) string { return plural(n, "month", "months") }

// AgeWords writes an age given in months as people say it: 216 is "18",
// 210 is "17½", 213 is "17 years 9 months".
func AgeWords(months int) string {
	y, m := months/12, months%12
	switch m {
	case 0:
		return fmt.Sprint(y)
	case 6:
		return fmt.Sprintf("%d½", y)
	}
	return fmt.Sprintf("%d years %s", y, monthsWords(m))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
