package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/scenarios/store"
	"pathway/sim"
)

// Audit actions for viewing, so that the log reads the same everywhere.
const (
	auditViewCaseload = "view caseload"
	auditViewRecord   = "view record"
	auditViewPlan     = "view plan"
	auditPlanJSON     = "download plan.json"
	auditExportCase   = "export case.toml"
	auditViewFutures  = "view young person's page"
	auditViewReview   = "view review"
	auditViewPack     = "view review pack"
	auditDownloadPack = "download review pack"
	auditViewAudit    = "view audit log"
)

// viewed writes a view to the audit log; the page is not sent if it
// cannot be.
func (s *server) viewed(w http.ResponseWriter, r *http.Request, action string, id int64, review int) bool {
	if err := s.cfg.Store.Viewed(r.Context(), s.cfg.Actor, action, id, review); err != nil {
		s.fail(w, err)
		return false
	}
	return true
}

// loadPerson reads the record named by the URL's {id}: 404 when there is
// none.
func (s *server) loadPerson(w http.ResponseWriter, r *http.Request) (store.Person, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return store.Person{}, false
	}
	p, err := s.cfg.Store.Person(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return store.Person{}, false
	}
	if err != nil {
		s.fail(w, err)
		return store.Person{}, false
	}
	return p, true
}

// asOf reads the as_of query parameter: today when absent.
func (s *server) asOf(r *http.Request) (sim.Date, string) {
	q := r.URL.Query().Get("as_of")
	if q == "" {
		return s.cfg.Today(), ""
	}
	d, err := sim.ParseDate(q)
	if err != nil || !sim.InRange(d, sim.CoverFrom) {
		return sim.Date{}, fmt.Sprintf("as_of: %q: a date without a time, like 2025-06-01, %s", q, sim.DateRange(sim.CoverFrom))
	}
	return d, ""
}

// planCase checks a record's case as of asOf and plans it. Problems are
// the case's (bad input: a 400); err is a fault.
func (s *server) planCase(v scenarios.CaseValues, asOf sim.Date) (sim.Case, *sim.Plan, []string, error) {
	c, ps, err := s.checkCase(v, asOf)
	if err != nil {
		return sim.Case{}, nil, nil, err
	}
	if len(ps) > 0 {
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = problemText(p)
		}
		return sim.Case{}, nil, lines, nil
	}
	if asOf.IsZero() {
		asOf = c.ReviewDate
	}
	p, err := sim.NewPlan(c, s.cfg.Policy, asOf)
	if err != nil {
		if scenarios.IsInputProblem(err) {
			return sim.Case{}, nil, []string{err.Error()}, nil
		}
		return sim.Case{}, nil, nil, err
	}
	return c, p, nil, nil
}

// caseRow is one young person on the caseload.
type caseRow struct {
	ID         int64
	Ref, Name  string
	Status     string
	Next       sim.Date
	NextText   string
	Overdue    bool
	Problem    string // the case cannot be planned as of today: it needs updating
	LastReview sim.Date
}

func (c caseRow) rank() int {
	switch {
	case c.Problem != "" || c.Overdue:
		return 0
	case !c.Next.IsZero():
		return 1
	}
	return 2
}

func (s *server) caseload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := s.cfg.Today()
	people, err := s.cfg.Store.People(ctx)
	if err != nil {
		s.fail(w, err)
		return
	}
	last, err := s.cfg.Store.LastReviewDates(ctx)
	if err != nil {
		s.fail(w, err)
		return
	}
	rows := make([]caseRow, 0, len(people))
	for _, p := range people {
		row := caseRow{ID: p.ID, Ref: p.Ref, Name: p.Name, LastReview: last[p.ID]}
		c, plan, probs, err := s.planCase(p.Values, today)
		if err != nil {
			s.fail(w, err)
			return
		}
		if len(probs) > 0 {
			row.Problem = probs[0]
			if n := len(probs) - 1; n > 0 {
				row.Problem += fmt.Sprintf(" (and %d more)", n)
			}
			row.Status = reports.StatusName(sim.Status(p.Values["asylum.status"]))
			rows = append(rows, row)
			continue
		}
		row.Status = reports.StatusName(c.Asylum.Status)
		for _, a := range plan.Actions {
			if !a.By.IsZero() && (row.Next.IsZero() || a.By.Before(row.Next)) {
				row.Next, row.NextText = a.By, a.Text
			}
		}
		row.Overdue = !row.Next.IsZero() && row.Next.Before(today)
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b caseRow) int {
		if d := a.rank() - b.rank(); d != 0 {
			return d
		}
		if d := a.Next.Compare(b.Next); d != 0 {
			return d
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	if !s.viewed(w, r, auditViewCaseload, 0, 0) {
		return
	}
	s.render(w, http.StatusOK, "caseload", view{Title: "Caseload", Nav: "caseload", Data: struct {
		Today sim.Date
		Rows  []caseRow
	}{today, rows}})
}

// caseFormPage is the data of the case form.
type caseFormPage struct {
	Heading string
	Action  string
	Submit  string
	Groups  []formGroup
	Import  bool // offer the TOML import too
	Person  *store.Person
}

func (s *server) newPerson(w http.ResponseWriter, r *http.Request) {
	groups, _ := caseForm(scenarios.CaseValues{"review_date": s.cfg.Today().String()}, nil)
	s.render(w, http.StatusOK, "caseform", view{Title: "Add a young person", Nav: "new", Data: caseFormPage{
		Heading: "Add a young person", Action: "/young-people", Submit: "Save and see the plan", Groups: groups, Import: true}})
}

// parseForm reads a form body, answering 413 or 400 when it cannot.
func (s *server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		s.badBody(w, err)
		return false
	}
	return true
}

func (s *server) badBody(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.problem(w, http.StatusRequestEntityTooLarge, "Too much sent", fmt.Sprintf("A request may hold at most %d MiB.", MaxBodyBytes>>20))
		return
	}
	s.problem(w, http.StatusBadRequest, "The form could not be read", err.Error())
}

func (s *server) createPerson(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	s.saveCase(w, r, nil)
}

func (s *server) updatePerson(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	s.saveCase(w, r, &p)
}

// saveCase checks the case form and adds a young person (p nil) or
// changes p's case. A form with problems comes back with each problem
// beside its field, status 400.
func (s *server) saveCase(w http.ResponseWriter, r *http.Request, p *store.Person) {
	v, ps := formValues(r.PostForm)
	_, more, err := s.checkCase(v, sim.Date{})
	if err != nil {
		s.fail(w, err)
		return
	}
	ps = append(ps, more...)
	if len(ps) == 0 {
		var id int64
		if p == nil {
			id, err = s.cfg.Store.AddPerson(r.Context(), s.cfg.Actor, v, "add young person")
		} else {
			id, err = p.ID, s.cfg.Store.UpdatePerson(r.Context(), s.cfg.Actor, p.ID, v)
		}
		if errors.Is(err, store.ErrDuplicate) {
			ps = scenarios.Problems{{File: "form", Key: "id", Value: v["id"], Allowed: "a reference no other young person in the workspace has"}}
		} else if err != nil {
			s.fail(w, err)
			return
		} else {
			http.Redirect(w, r, fmt.Sprintf("/young-people/%d", id), http.StatusSeeOther)
			return
		}
	}
	groups, summary := caseForm(v, ps)
	page := caseFormPage{Heading: "Add a young person", Action: "/young-people", Submit: "Save and see the plan", Groups: groups, Import: p == nil, Person: p}
	if p != nil {
		page.Heading, page.Action, page.Submit = "Change the case of "+p.Ref, fmt.Sprintf("/young-people/%d", p.ID), "Save the case"
	}
	s.render(w, http.StatusBadRequest, "caseform", view{Title: page.Heading, Errors: summary, Data: page})
}

func (s *server) editPerson(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok || !s.viewed(w, r, auditViewRecord, p.ID, 0) {
		return
	}
	groups, _ := caseForm(p.Values, nil)
	s.render(w, http.StatusOK, "caseform", view{Title: "Change the case of " + p.Ref, Data: caseFormPage{
		Heading: "Change the case of " + p.Ref, Action: fmt.Sprintf("/young-people/%d", p.ID), Submit: "Save the case", Groups: groups, Person: &p}})
}

func (s *server) importPerson(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(MaxBodyBytes); err != nil {
		s.badBody(w, err)
		return
	}
	f, hdr, err := r.FormFile("case")
	if err != nil {
		s.problem(w, http.StatusBadRequest, "No case file", "case: missing: give a case file (TOML) to import")
		return
	}
	defer f.Close()
	name := filepath.Base(hdr.Filename)
	if name == "." || name == "/" || strings.ContainsFunc(name, scenarios.Unprintable) {
		name = "case.toml"
	}
	data, err := io.ReadAll(f) // at most the body's cap
	if err != nil {
		s.badBody(w, err)
		return
	}
	v, _, err := scenarios.ImportCase(bytes.NewReader(data), name, s.cfg.Policy)
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = p.Error()
		}
		s.problem(w, http.StatusBadRequest, "The case file was not imported", lines...)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	id, err := s.cfg.Store.ImportPerson(r.Context(), s.cfg.Actor, v, data)
	if errors.Is(err, store.ErrDuplicate) {
		s.problem(w, http.StatusBadRequest, "The case file was not imported",
			fmt.Sprintf("%s: id: %q: a reference no other young person in the workspace has", name, v["id"]))
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/young-people/%d", id), http.StatusSeeOther)
}

// summaryRow is one given value of a case, for a summary list.
type summaryRow struct{ Label, Key, Value string }

func caseSummary(v scenarios.CaseValues) []summaryRow {
	var out []summaryRow
	for _, f := range scenarios.CaseFields() {
		if v[f.Key] != "" {
			out = append(out, summaryRow{fieldLabels[f.Key], f.Key, v[f.Key]})
		}
	}
	return out
}

func (s *server) person(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	reviews, err := s.cfg.Store.Reviews(ctx, p.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	if !s.viewed(w, r, auditViewRecord, p.ID, 0) {
		return
	}
	log, err := s.cfg.Store.AuditLog(ctx, p.ID, 20)
	if err != nil {
		s.fail(w, err)
		return
	}
	_, _, probs, err := s.planCase(p.Values, s.cfg.Today())
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "person", view{Title: p.Ref, Data: struct {
		Person    store.Person
		Summary   []summaryRow
		Reviews   []store.Review
		Languages []languageOption
		Log       []store.Entry
		Problems  []string
		Today     sim.Date
	}{p, caseSummary(p.Values), reviews, languages(), log, probs, s.cfg.Today()}})
}

type languageOption struct{ Code, Name string }

// languages lists the young person's page's languages, each by its own
// name as the catalogue gives it and its code.
func languages() []languageOption {
	var out []languageOption
	for _, code := range reports.Languages() {
		out = append(out, languageOption{code, languageNames[code]})
	}
	return out
}

// languageNames name the languages in English, for the adviser choosing
// one; a code not listed shows as itself.
var languageNames = map[string]string{
	"en": "English", "ar": "Arabic", "prs": "Dari", "ps": "Pashto", "fa": "Farsi", "ti": "Tigrinya",
	"ckb": "Kurdish Sorani", "sq": "Albanian", "vi": "Vietnamese", "ku": "Kurdish", "am": "Amharic", "so": "Somali",
}

// pagePlan plans the record the URL names as of the as_of parameter
// (today without it), answering 404 or 400 for a page when it cannot.
func (s *server) pagePlan(w http.ResponseWriter, r *http.Request) (store.Person, sim.Case, *sim.Plan, bool) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return p, sim.Case{}, nil, false
	}
	asOf, bad := s.asOf(r)
	if bad != "" {
		s.problem(w, http.StatusBadRequest, "Wrong date", bad)
		return p, sim.Case{}, nil, false
	}
	c, plan, probs, err := s.planCase(p.Values, asOf)
	if err != nil {
		s.fail(w, err)
		return p, sim.Case{}, nil, false
	}
	if len(probs) > 0 {
		s.problem(w, http.StatusBadRequest, "The case cannot be planned as of "+asOf.Long(),
			append(probs, fmt.Sprintf("Change the case at /young-people/%d/edit.", p.ID))...)
		return p, sim.Case{}, nil, false
	}
	return p, c, plan, true
}

func (s *server) planPage(w http.ResponseWriter, r *http.Request) {
	p, c, plan, ok := s.pagePlan(w, r)
	if !ok {
		return
	}
	if !s.viewed(w, r, auditViewPlan, p.ID, 0) {
		return
	}
	s.render(w, http.StatusOK, "plan", view{Title: "Plan for " + p.Ref, Data: planView(p, c, plan)})
}

func (s *server) planJSON(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok {
		return
	}
	asOf, bad := s.asOf(r)
	if bad != "" {
		textError(w, http.StatusBadRequest, bad)
		return
	}
	_, plan, probs, err := s.planCase(p.Values, asOf)
	if err != nil {
		s.fail(w, err)
		return
	}
	if len(probs) > 0 {
		textError(w, http.StatusBadRequest, strings.Join(probs, "\n"))
		return
	}
	var buf bytes.Buffer
	if err := reports.WritePlanJSON(&buf, plan); err != nil {
		s.fail(w, err)
		return
	}
	if !s.viewed(w, r, auditPlanJSON, p.ID, 0) {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// textError answers a script's request with plain text.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// attachment names a download. A reference holds only letters, digits,
// '-', '_' and '.', so it is safe in the header; anything else is dropped.
func attachment(w http.ResponseWriter, name string) {
	name = strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, name)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
}

func (s *server) caseTOML(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPerson(w, r)
	if !ok || !s.viewed(w, r, auditExportCase, p.ID, 0) {
		return
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	attachment(w, p.Ref+".toml")
	if p.File != nil {
		_, _ = w.Write(p.File) // as imported: the record is unchanged since
		return
	}
	_, _ = w.Write(p.Values.TOML())
}

// pagePolicy is the header policy for a page the reports package wrote:
// its own <meta> policy (nothing loaded, only its own scripts, by hash)
// governs it; the header adds that it is never framed.
const pagePolicy = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

func (s *server) futures(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = "en"
	}
	if !slices.Contains(reports.Languages(), lang) {
		s.problem(w, http.StatusBadRequest, "Unknown language", fmt.Sprintf("lang: %q: allowed are %s", lang, strings.Join(reports.Languages(), ", ")))
		return
	}
	p, _, plan, ok := s.pagePlan(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteYoungPerson(&buf, plan, lang); err != nil {
		s.fail(w, err)
		return
	}
	if !s.viewed(w, r, auditViewFutures, p.ID, 0) {
		return
	}
	s.sendPage(w, r, buf.Bytes(), fmt.Sprintf("futures-%s-%s.html", p.Ref, lang))
}

// sendPage sends a page the reports package wrote, as an attachment when
// the query asks for a download.
func (s *server) sendPage(w http.ResponseWriter, r *http.Request, page []byte, name string) {
	w.Header().Set("Content-Security-Policy", pagePolicy)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.URL.Query().Get("download") == "1" {
		attachment(w, name)
	}
	_, _ = w.Write(page)
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) {
	if !s.viewed(w, r, auditViewAudit, 0, 0) {
		return
	}
	log, err := s.cfg.Store.AuditLog(r.Context(), 0, 500)
	if err != nil {
		s.fail(w, err)
		return
	}
	refs := map[int64]string{}
	people, err := s.cfg.Store.People(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	for _, p := range people {
		refs[p.ID] = p.Ref
	}
	s.render(w, http.StatusOK, "audit", view{Title: "Audit log", Nav: "audit", Data: struct {
		Log  []store.Entry
		Refs map[int64]string
	}{log, refs}})
}
