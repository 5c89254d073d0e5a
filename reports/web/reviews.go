package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
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

// loadReview reads the review named by the URL's {n}.
func (s *server) loadReview(w http.ResponseWriter, r *http.Request, p store.Person) (store.Review, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		s.notFound(w, r)
		return store.Review{}, false
	}
	rv, err := s.cfg.Store.Review(r.Context(), p.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return store.Review{}, false
	}
	if err != nil {
		s.fail(w, err)
		return store.Review{}, false
	}
	return rv, true
}

// snapshot reads a review's stored case and plans it on the review's date.
func (s *server) snapshot(rv store.Review) (sim.Case, *sim.Plan, []string, error) {
	v, err := scenarios.ParseCaseValues([]byte(rv.CaseTOML))
	if err != nil {
		return sim.Case{}, nil, nil, fmt.Errorf("review %d: stored case: %w", rv.Number, err)
	}
	return s.planCase(v, sim.Date{})
}

// previous returns the review before rv, as the pack's ReviewPrevious,
// or nil for a first review.
func (s *server) previous(r *http.Request, rv store.Review) (*reports.ReviewPrevious, int, []string, error) {
	if rv.Number <= 1 {
		return nil, 0, nil, nil
	}
	prev, err := s.cfg.Store.Review(r.Context(), rv.PersonID, rv.Number-1)
	if err != nil {
		return nil, 0, nil, err
	}
	c, p, probs, err := s.snapshot(prev)
	if err != nil || len(probs) > 0 {
		return nil, 0, probs, err
	}
	return &reports.ReviewPrevious{Case: c, Plan: p}, prev.Number, nil, nil
}

// perspectivesFor are the perspectives a review's goals are set under: the
// plan's, and any the last review had goals for.
func perspectivesFor(plan *sim.Plan, last store.Review) []sim.Perspective {
	var out []sim.Perspective
	for _, pp := range sim.Perspectives {
		has := slices.Contains(plan.Perspectives, pp) || slices.ContainsFunc(last.Goals, func(g store.Goal) bool { return g.Perspective == pp })
		if has {
			out = append(out, pp)
		}
	}
	return out
}

type newReviewPage struct {
	Person store.Person
	Last   *store.Review
	Form   reviewForm
}

func (s *server) newReview(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	today := s.cfg.Today()
	v := p.Values.Clone()
	v["review_date"] = today.String()
	c, plan, probs, err := s.planCase(v, sim.Date{})
	if err != nil {
		s.fail(w, err)
		return
	}
	if len(probs) > 0 {
		s.problem(w, http.StatusBadRequest, "Update the case before the review",
			append(probs, fmt.Sprintf("Change the case at /young-people/%d/edit.", p.ID))...)
		return
	}
	reviews, err := s.cfg.Store.Reviews(r.Context(), p.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	var last store.Review
	page := newReviewPage{Person: p}
	if n := len(reviews); n > 0 {
		last = reviews[n-1]
		page.Last = &last
	}
	if !s.viewed(w, r, auditViewRecord, p.ID, 0) {
		return
	}
	// The young person's views are their own at each review: they start
	// empty, with the last review's beside them; goals and open actions
	// carry over.
	from := last
	from.Views = nil
	page.Form = newReviewForm(reports.PlanAreas(c), perspectivesFor(plan, last), from, true, true, plan.Actions, 3)
	for i := range page.Form.Areas {
		page.Form.Areas[i].LastView = last.Views[page.Form.Areas[i].Name]
	}
	page.Form.Action = fmt.Sprintf("/young-people/%d/reviews", p.ID)
	page.Form.Submit = "Save the review"
	page.Form.AsOf, page.Form.AsOfEditable = today.String(), true
	s.render(w, http.StatusOK, "newreview", view{Title: "New review for " + p.Ref, Data: page})
}

func (s *server) createReview(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	c0, _, _ := s.checkCase(p.Values, sim.Date{})
	areas := reports.PlanAreas(c0)
	f, rv, valid := readReviewForm(r.PostForm, areas, true)
	reviews, err := s.cfg.Store.Reviews(r.Context(), p.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	page := newReviewPage{Person: p}
	if n := len(reviews); n > 0 {
		page.Last = &reviews[n-1]
		if !rv.AsOf.IsZero() && !rv.AsOf.After(page.Last.AsOf) {
			f.AsOfError = fmt.Sprintf("as_of: %q: a date after the last review's, %s", f.AsOf, page.Last.AsOf)
			f.Errors = append(f.Errors, fieldError{"#as_of", f.AsOfError})
			valid = false
		}
	}
	var plan *sim.Plan
	var snap scenarios.CaseValues
	if !rv.AsOf.IsZero() {
		snap = p.Values.Clone()
		snap["review_date"] = rv.AsOf.String()
		var probs []string
		_, plan, probs, err = s.planCase(snap, sim.Date{})
		if err != nil {
			s.fail(w, err)
			return
		}
		for _, pr := range probs {
			f.Errors = append(f.Errors, fieldError{"#as_of", "case on " + rv.AsOf.String() + ": " + pr})
			valid = false
		}
	}
	if !valid {
		f.Action = fmt.Sprintf("/young-people/%d/reviews", p.ID)
		f.Submit = "Save the review"
		page.Form = f
		s.render(w, http.StatusBadRequest, "newreview", view{Title: "New review for " + p.Ref, Errors: f.Errors, Data: page})
		return
	}
	var js bytes.Buffer
	if err := reports.WritePlanJSON(&js, plan); err != nil {
		s.fail(w, err)
		return
	}
	rv.PersonID = p.ID
	rv.CaseTOML = string(snap.TOML())
	rv.PlanJSON = js.String()
	rv.Policy = plan.Policy
	n, err := s.cfg.Store.AddReview(r.Context(), s.cfg.Actor, rv)
	if err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/young-people/%d/reviews/%d", p.ID, n), http.StatusSeeOther)
}

type areaShow struct {
	Name, View string
	Goals      []goalShow
}

type goalShow struct{ Perspective, Text string }

type actionShow struct {
	Text, Owner, Status, Perspective string
	Due                              sim.Date
}

type reviewPage struct {
	Person       store.Person
	Review       store.Review
	SignedOffAt  string
	Status       string
	Planning     string
	PrevN        int
	Headline     string
	Changes      []reports.Change
	Stale        bool
	Problems     []string
	Areas        []areaShow
	Actions      []actionShow
	Form         *reviewForm
	SignOffError string
	SignOffBy    string
}

func (s *server) review(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	rv, ok := s.loadReview(w, r, p)
	if !ok {
		return
	}
	page, err := s.reviewPage(r, p, rv)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !s.viewed(w, r, auditViewReview, p.ID, rv.Number) {
		return
	}
	s.render(w, http.StatusOK, "review", view{Title: fmt.Sprintf("Review %d of %s", rv.Number, p.Ref), Data: page})
}

// reviewPage gathers what the review page shows: the stored snapshot's
// status and planning, what changed since the review before, the views,
// goals and actions, and for a draft the form to change them.
func (s *server) reviewPage(r *http.Request, p store.Person, rv store.Review) (*reviewPage, error) {
	page := &reviewPage{Person: p, Review: rv}
	if rv.SignedOff() {
		page.SignedOffAt = rv.SignedOffAt.Local().Format("2 Jan 2006 at 15:04")
	}
	c, plan, probs, err := s.snapshot(rv)
	if err != nil {
		return nil, err
	}
	page.Problems = probs
	if plan != nil {
		page.Status, page.Planning = reports.StatusName(plan.Status), planningWords(plan)
		var js bytes.Buffer
		if err := reports.WritePlanJSON(&js, plan); err != nil {
			return nil, err
		}
		page.Stale = js.String() != rv.PlanJSON
		prev, n, prevProbs, err := s.previous(r, rv)
		if err != nil {
			return nil, err
		}
		page.Problems = append(page.Problems, prevProbs...)
		if prev != nil {
			page.PrevN = n
			page.Headline, page.Changes = reports.WhatChanged(prev, c, plan)
		}
	}
	areas := reports.PlanAreas(c)
	for _, a := range areas {
		as := areaShow{Name: a.Name, View: rv.Views[a.Name]}
		for _, g := range rv.Goals {
			if g.Area == a.Name {
				as.Goals = append(as.Goals, goalShow{reports.PerspectiveShortName(g.Perspective), g.Text})
			}
		}
		page.Areas = append(page.Areas, as)
	}
	for _, a := range rv.Actions {
		page.Actions = append(page.Actions, actionShow{a.Text, a.Owner, statusLabels[a.Status], reports.PerspectiveShortName(a.Perspective), a.Due})
	}
	if !rv.SignedOff() {
		var pps []sim.Perspective
		if plan != nil {
			pps = perspectivesFor(plan, rv)
		} else {
			pps = perspectivesFor(&sim.Plan{}, rv)
		}
		f := newReviewForm(areas, pps, rv, false, false, nil, 2)
		f.Action = fmt.Sprintf("/young-people/%d/reviews/%d", p.ID, rv.Number)
		f.Submit = "Save changes"
		page.Form = &f
	}
	return page, nil
}

// loadDraft reads the person and review the URL names and the posted
// form, for a change: a signed-off review answers 409.
func (s *server) loadDraft(w http.ResponseWriter, r *http.Request) (store.Person, store.Review, bool) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return p, store.Review{}, false
	}
	rv, ok := s.loadReview(w, r, p)
	if !ok || !s.parseForm(w, r) {
		return p, rv, false
	}
	if rv.SignedOff() {
		s.signedOff(w, rv)
		return p, rv, false
	}
	return p, rv, true
}

func (s *server) updateReview(w http.ResponseWriter, r *http.Request) {
	p, rv, ok := s.loadDraft(w, r)
	if !ok {
		return
	}
	c, _, _ := s.checkCase(p.Values, sim.Date{})
	f, edit, valid := readReviewForm(r.PostForm, reports.PlanAreas(c), false)
	if !valid {
		page, err := s.reviewPage(r, p, rv)
		if err != nil {
			s.fail(w, err)
			return
		}
		f.Action, f.Submit = fmt.Sprintf("/young-people/%d/reviews/%d", p.ID, rv.Number), "Save changes"
		page.Form = &f
		s.render(w, http.StatusBadRequest, "review", view{Title: fmt.Sprintf("Review %d of %s", rv.Number, p.Ref), Errors: f.Errors, Data: page})
		return
	}
	err := s.cfg.Store.UpdateReview(r.Context(), s.cfg.Actor, p.ID, rv.Number, edit)
	if errors.Is(err, store.ErrSignedOff) {
		s.signedOff(w, rv)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/young-people/%d/reviews/%d", p.ID, rv.Number), http.StatusSeeOther)
}

func (s *server) signedOff(w http.ResponseWriter, rv store.Review) {
	s.problem(w, http.StatusConflict, "This review is signed off",
		fmt.Sprintf("Review %d was signed off by %s and can no longer be changed. Start a new review instead.", rv.Number, rv.SignedOffBy))
}

func (s *server) signOff(w http.ResponseWriter, r *http.Request) {
	p, rv, ok := s.loadDraft(w, r)
	if !ok {
		return
	}
	by := strings.TrimSpace(r.PostForm.Get("signed_off_by"))
	var msg string
	switch {
	case by == "":
		msg = "signed_off_by: missing: give the name and role of the person signing the review off"
	case utf8.RuneCountInString(by) > 200 || strings.ContainsFunc(by, scenarios.Unprintable) || strings.ContainsRune(by, '\n'):
		msg = "signed_off_by: a name and role on one line, at most 200 characters"
	}
	if msg != "" {
		page, err := s.reviewPage(r, p, rv)
		if err != nil {
			s.fail(w, err)
			return
		}
		page.SignOffError, page.SignOffBy = msg, by
		s.render(w, http.StatusBadRequest, "review", view{Title: fmt.Sprintf("Review %d of %s", rv.Number, p.Ref),
			Errors: []fieldError{{"#signed_off_by", msg}}, Data: page})
		return
	}
	err := s.cfg.Store.SignOff(r.Context(), s.cfg.Actor, p.ID, rv.Number, by)
	if errors.Is(err, store.ErrSignedOff) {
		s.signedOff(w, rv)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/young-people/%d/reviews/%d", p.ID, rv.Number), http.StatusSeeOther)
}

func (s *server) pack(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	rv, ok := s.loadReview(w, r, p)
	if !ok {
		return
	}
	c, plan, probs, err := s.snapshot(rv)
	if err != nil {
		s.fail(w, err)
		return
	}
	if len(probs) > 0 {
		s.problem(w, http.StatusConflict, "The stored case can no longer be planned", probs...)
		return
	}
	prev, _, _, err := s.previous(r, rv)
	if err != nil {
		s.fail(w, err)
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteReviewPack(&buf, c, plan, prev); err != nil {
		s.fail(w, err)
		return
	}
	action := auditViewPack
	if r.URL.Query().Get("download") == "1" {
		action = auditDownloadPack
	}
	if !s.viewed(w, r, action, p.ID, rv.Number) {
		return
	}
	s.sendPage(w, r, buf.Bytes(), fmt.Sprintf("review-%s-%d.html", p.Ref, rv.Number))
}

func (s *server) reviewPlanJSON(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	rv, ok := s.loadReview(w, r, p)
	if !ok || !s.viewed(w, r, auditPlanJSON, p.ID, rv.Number) {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(rv.PlanJSON))
}
