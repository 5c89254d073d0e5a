package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/scenarios/store"
	"pathway/sim"
)

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
	if today := s.cfg.Today(); rv.AsOf.After(today) {
		// A review records a meeting held: it cannot be dated ahead.
		f.AsOfError = fmt.Sprintf("as_of: %q: a date on or before today, %s", f.AsOf, today)
		f.Errors = append(f.Errors, fieldError{"#as_of", f.AsOfError})
		valid = false
	}
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
	if err := reports.WriteReviewPackRecord(&buf, c, plan, prev, packRecord(c, rv)); err != nil {
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

// packRecord is what the review recorded, for the pack: views in the order
// of the nine areas, goals, actions with their owners and statuses, and the
// sign-off.
func packRecord(c sim.Case, rv store.Review) *reports.ReviewRecord {
	rec := &reports.ReviewRecord{Number: rv.Number, SignedOffBy: rv.SignedOffBy}
	if rv.SignedOff() {
		at := rv.SignedOffAt.UTC()
		rec.SignedOffOn = sim.NewDate(at.Year(), at.Month(), at.Day())
	}
	for _, a := range reports.PlanAreas(c) {
		if v := strings.TrimSpace(rv.Views[a.Name]); v != "" {
			rec.Views = append(rec.Views, reports.AreaText{Area: a.Name, Text: v})
		}
	}
	for _, g := range rv.Goals {
		rec.Goals = append(rec.Goals, reports.AgreedGoal{Area: g.Area, Perspective: g.Perspective, Text: g.Text})
	}
	for _, a := range rv.Actions {
		rec.Actions = append(rec.Actions, reports.AgreedAction{Text: a.Text, Owner: a.Owner, Due: a.Due, Status: statusLabels[a.Status]})
	}
	return rec
}
