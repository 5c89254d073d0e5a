package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/scenarios/store"
	"pathway/sim"
)

// A review form has, for each of the nine plan areas (numbered 1 to 9 in
// the pack's order), the young person's views (view.N) and a goal for each
// perspective (goal.N.PERSPECTIVE); and rows of actions
// (action.M.text, .owner, .due, .status, with .kind and .perspective when
// the action came from the plan). A new review also has as_of, its date.

// maxText is the longest text a review field may hold.
const maxText = 10000

var statusLabels = map[store.ActionStatus]string{
	store.ToDo: "To do", store.InProgress: "In progress", store.Done: "Done", store.NotNeeded: "No longer needed",
}

type goalField struct{ Name, ID, Label, Value string }

type areaForm struct {
	N                int
	Name             string
	ViewName, ViewID string
	View, ViewError  string
	LastView         string // the views given at the last review, shown beside the field
	Goals            []goalField
	GoalError        string
}

type actionField struct {
	N                    int
	Text, Owner, Due     string
	Status               string
	Kind, Perspective    string
	PerspectiveLabel     string
	TextError, DueError  string
	StatusError, Problem string
	StatusOptions        []option
}

type reviewForm struct {
	Action       string
	Submit       string
	AsOf         string
	AsOfEditable bool
	AsOfError    string
	Areas        []areaForm
	Actions      []actionField
	Errors       []fieldError
}

func statusOptions(cur string) []option {
	var out []option
	for _, st := range store.ActionStatuses {
		out = append(out, option{Value: string(st), Label: statusLabels[st], Selected: cur == string(st)})
	}
	return out
}

func fieldHTMLID(name string) string { return strings.ReplaceAll(name, ".", "-") }

// newReviewForm lays out a form from a review (the last one, or the draft
// being edited): its views, goals and actions, with the plan's suggested
// goals where it has none (when suggest is set) and the plan's dated
// actions it does not already hold, then blank rows.
func newReviewForm(areas []reports.PlanArea, perspectives []sim.Perspective, from store.Review, suggest bool, carry bool, plan []sim.Action, blank int) reviewForm {
	var f reviewForm
	for i, a := range areas {
		n := i + 1
		af := areaForm{N: n, Name: a.Name, ViewName: fmt.Sprintf("view.%d", n), View: from.Views[a.Name]}
		af.ViewID = fieldHTMLID(af.ViewName)
		for _, pp := range perspectives {
			name := fmt.Sprintf("goal.%d.%s", n, pp)
			v := ""
			found := false
			for _, g := range from.Goals {
				if g.Area == a.Name && g.Perspective == pp {
					v, found = g.Text, true
				}
			}
			if !found && suggest {
				v = a.Goals[pp]
			}
			af.Goals = append(af.Goals, goalField{name, fieldHTMLID(name), reports.PerspectiveName(pp), v})
		}
		f.Areas = append(f.Areas, af)
	}
	var rows []actionField
	for _, a := range from.Actions {
		if carry && (a.Status == store.Done || a.Status == store.NotNeeded) {
			continue
		}
		rows = append(rows, actionFrom(a))
	}
	for _, a := range plan {
		if a.By.IsZero() {
			continue
		}
		held := slices.ContainsFunc(from.Actions, func(b store.Action) bool {
			return b.Kind == a.Kind && b.Perspective == a.Perspective && b.Due == a.By
		})
		if !held {
			rows = append(rows, actionFrom(store.Action{Text: a.Text, Due: a.By, Status: store.ToDo, Kind: a.Kind, Perspective: a.Perspective}))
		}
	}
	for range blank {
		rows = append(rows, actionField{Status: string(store.ToDo)})
	}
	for i := range rows {
		rows[i].N = i + 1
		rows[i].StatusOptions = statusOptions(rows[i].Status)
	}
	f.Actions = rows
	return f
}

func actionFrom(a store.Action) actionField {
	due := ""
	if !a.Due.IsZero() {
		due = a.Due.String()
	}
	return actionField{Text: a.Text, Owner: a.Owner, Due: due, Status: string(a.Status), Kind: string(a.Kind),
		Perspective: string(a.Perspective), PerspectiveLabel: reports.PerspectiveShortName(a.Perspective)}
}

// readReviewForm reads a submitted review form back into a form (to show
// again with its errors) and a review. ok is false when any field has a
// problem; every problem is in f.Errors.
func readReviewForm(form url.Values, areas []reports.PlanArea, withAsOf bool) (f reviewForm, r store.Review, ok bool) {
	r.Views = map[string]string{}
	known := map[string]bool{}
	text := func(name string) string {
		known[name] = true
		return strings.TrimSpace(strings.ReplaceAll(form.Get(name), "\r\n", "\n"))
	}
	bad := func(id, msg string) string {
		f.Errors = append(f.Errors, fieldError{"#" + id, msg})
		return msg
	}
	checkText := func(name, s string) string {
		switch {
		case utf8.RuneCountInString(s) > maxText:
			return bad(fieldHTMLID(name), fmt.Sprintf("%s: at most %d characters", name, maxText))
		case strings.ContainsFunc(s, scenarios.Unprintable):
			return bad(fieldHTMLID(name), name+": no control characters (line breaks and tabs are fine)")
		}
		return ""
	}

	if withAsOf {
		f.AsOfEditable = true
		f.AsOf = text("as_of")
		d, err := sim.ParseDate(f.AsOf)
		switch {
		case f.AsOf == "":
			f.AsOfError = bad("as_of", "as_of: missing: give the date of the review, like 2025-06-01")
		case err != nil || !sim.InRange(d, sim.CoverFrom):
			f.AsOfError = bad("as_of", fmt.Sprintf("as_of: %q: a date without a time, like 2025-06-01, %s", f.AsOf, sim.DateRange(sim.CoverFrom)))
		default:
			r.AsOf = d
		}
	}

	var perspectives []sim.Perspective
	for _, pp := range sim.Perspectives {
		for k := range form {
			if strings.HasPrefix(k, "goal.") && strings.HasSuffix(k, "."+string(pp)) && !slices.Contains(perspectives, pp) {
				perspectives = append(perspectives, pp)
			}
		}
	}
	for i, a := range areas {
		n := i + 1
		af := areaForm{N: n, Name: a.Name, ViewName: fmt.Sprintf("view.%d", n)}
		af.ViewID = fieldHTMLID(af.ViewName)
		af.View = text(af.ViewName)
		af.ViewError = checkText(af.ViewName, af.View)
		r.Views[a.Name] = af.View
		for _, pp := range perspectives {
			name := fmt.Sprintf("goal.%d.%s", n, pp)
			v := text(name)
			if msg := checkText(name, v); msg != "" {
				af.GoalError = msg
			}
			af.Goals = append(af.Goals, goalField{name, fieldHTMLID(name), reports.PerspectiveName(pp), v})
			r.Goals = append(r.Goals, store.Goal{Area: a.Name, Perspective: pp, Text: v})
		}
		f.Areas = append(f.Areas, af)
	}

	var rows []int
	for k := range form {
		rest, isAction := strings.CutPrefix(k, "action.")
		if !isAction {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= 1000 && !slices.Contains(rows, n) {
			rows = append(rows, n)
		}
	}
	slices.Sort(rows)
	for _, n := range rows {
		p := fmt.Sprintf("action.%d.", n)
		af := actionField{N: n, Text: text(p + "text"), Owner: text(p + "owner"), Due: text(p + "due"),
			Status: text(p + "status"), Kind: text(p + "kind"), Perspective: text(p + "perspective")}
		af.PerspectiveLabel = reports.PerspectiveShortName(sim.Perspective(af.Perspective))
		if af.Status == "" {
			af.Status = string(store.ToDo)
		}
		af.StatusOptions = statusOptions(af.Status)
		if af.Text == "" && af.Owner == "" && af.Due == "" && af.Kind == "" {
			f.Actions = append(f.Actions, af) // a blank row: kept on the form, not saved
			continue
		}
		a := store.Action{Text: af.Text, Owner: af.Owner, Status: store.ActionStatus(af.Status), Kind: sim.ActionKind(af.Kind), Perspective: sim.Perspective(af.Perspective)}
		if af.Text == "" {
			af.TextError = bad(fieldHTMLID(p+"text"), p+"text: missing: give what is to be done")
		} else {
			af.TextError = checkText(p+"text", af.Text)
		}
		if msg := checkText(p+"owner", af.Owner); msg != "" {
			af.Problem = msg
		}
		if af.Due != "" {
			d, err := sim.ParseDate(af.Due)
			if err != nil || !sim.InRange(d, sim.CoverFrom) {
				af.DueError = bad(fieldHTMLID(p+"due"), fmt.Sprintf("%sdue: %q: a date without a time, like 2025-06-01, %s", p, af.Due, sim.DateRange(sim.CoverFrom)))
			}
			a.Due = d
		}
		if !slices.Contains(store.ActionStatuses, a.Status) {
			names := make([]string, len(store.ActionStatuses))
			for i, st := range store.ActionStatuses {
				names[i] = string(st)
			}
			af.StatusError = bad(fieldHTMLID(p+"status"), fmt.Sprintf("%sstatus: %q: one of %s", p, af.Status, strings.Join(names, ", ")))
		}
		if af.Perspective != "" && !slices.Contains(sim.Perspectives, a.Perspective) {
			af.Problem = bad(fieldHTMLID(p+"text"), fmt.Sprintf("%sperspective: %q: one of transitional, long_term, return, or none", p, af.Perspective))
		}
		if len(af.Kind) > 64 || strings.Trim(af.Kind, "abcdefghijklmnopqrstuvwxyz_0123456789") != "" {
			af.Problem = bad(fieldHTMLID(p+"text"), fmt.Sprintf("%skind: %q: an action kind of the plan, such as apply_in_time", p, af.Kind))
		}
		f.Actions = append(f.Actions, af)
		r.Actions = append(r.Actions, a)
	}
	for _, n := range rows {
		for _, part := range []string{"text", "owner", "due", "status", "kind", "perspective"} {
			known[fmt.Sprintf("action.%d.%s", n, part)] = true
		}
	}
	var unknown []string
	for k := range form {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		bad("main-content", k+": unknown field: a review has as_of, view.N, goal.N.PERSPECTIVE and action.M.text, .owner, .due, .status, .kind, .perspective")
	}
	return f, r, len(f.Errors) == 0
}
