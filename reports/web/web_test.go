package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pathway/reports"
	"pathway/scenarios"
	"pathway/scenarios/store"
	"pathway/sim"
)

// testServer is the workspace on a test listener, with a clock the test
// moves.
type testServer struct {
	t     *testing.T
	srv   *httptest.Server
	store *store.Store
	mu    sync.Mutex
	today sim.Date
}

func newTestServer(t *testing.T, today sim.Date) *testServer {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "pathway.db"))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, store: st, today: today}
	var h http.Handler
	ts.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	h, err = New(Config{Store: st, Policy: scenarios.DefaultPolicy(), Actor: "tester", Authority: "Exampleshire Council",
		Listen: ts.srv.Listener.Addr().String(), Today: ts.Today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.srv.Close(); st.Close() })
	return ts
}

func (ts *testServer) Today() sim.Date {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.today
}

func (ts *testServer) setToday(d sim.Date) {
	ts.mu.Lock()
	ts.today = d
	ts.mu.Unlock()
}

// noRedirect is a client that shows a redirect rather than following it.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends a request and returns the status, the body and the response.
func (ts *testServer) do(req *http.Request) (int, string, *http.Response) {
	ts.t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp
}

func (ts *testServer) get(path string) (int, string, *http.Response) {
	req, _ := http.NewRequest("GET", ts.srv.URL+path, nil)
	return ts.do(req)
}

func (ts *testServer) post(path string, form url.Values) (int, string, *http.Response) {
	req, _ := http.NewRequest("POST", ts.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return ts.do(req)
}

func (ts *testServer) importCase(name string, data []byte) (int, string, *http.Response) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("case", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", ts.srv.URL+"/young-people/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return ts.do(req)
}

func sampleData(t *testing.T, name string) []byte {
	t.Helper()
	for _, s := range scenarios.Samples() {
		if s.Name == name {
			return s.Data
		}
	}
	t.Fatalf("no sample %s", name)
	return nil
}

// formOf gives case values as the form posts them.
func formOf(v scenarios.CaseValues) url.Values {
	f := url.Values{}
	for k, s := range v {
		f.Set(k, s)
	}
	return f
}

var june2025 = sim.NewDate(2025, 6, 1)

func TestCheckListen(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:8080", "127.0.0.1:8080"},
		{"localhost:80", "127.0.0.1:80"},
		{"[::1]:8080", "[::1]:8080"},
		{"127.9.9.9:1", "127.9.9.9:1"},
		{"0.0.0.0:8080", ""},
		{":8080", ""},
		{"192.168.1.5:8080", ""},
		{"[::]:8080", ""},
		{"example.org:8080", ""},
		{"8080", ""},
	}
	for _, tc := range tests {
		got, err := CheckListen(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("CheckListen(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if err != nil && strings.Contains(tc.in, ":") && tc.in != "8080" && !strings.Contains(err.Error(), "needs accounts") {
			t.Errorf("CheckListen(%q): %v does not say a shared server needs accounts", tc.in, err)
		}
	}
}

// TestRefusesForeignHostsAndCrossSitePosts: a page elsewhere whose name
// points at 127.0.0.1 sends its own Host (DNS rebinding), and a form on
// another site posting here carries the browser's Sec-Fetch-Site or
// Origin: both are refused with 403 before anything is read or written.
// A script's request, with no browser headers, is served.
func TestRefusesForeignHostsAndCrossSitePosts(t *testing.T) {
	ts := newTestServer(t, june2025)
	_, port, _ := strings.Cut(ts.srv.Listener.Addr().String(), ":")
	for host, want := range map[string]int{
		"127.0.0.1:" + port:    200,
		"localhost:" + port:    200,
		"LOCALHOST:" + port:    200,
		"evil.example:" + port: 403,
		"evil.example":         403,
		"127.0.0.1:1":          403,
	} {
		req, _ := http.NewRequest("GET", ts.srv.URL+"/", nil)
		req.Host = host
		if got, body, _ := ts.do(req); got != want {
			t.Errorf("Host %q: status %d, want %d (%s)", host, got, want, body)
		}
	}
	v := scenarios.CaseValues{}
	for _, s := range []struct {
		header, value string
		want          int
	}{
		{"Sec-Fetch-Site", "cross-site", 403},
		{"Sec-Fetch-Site", "same-site", 403},
		{"Origin", "http://evil.example", 403},
		{"Sec-Fetch-Site", "same-origin", 400}, // reaches the form, which is empty
		{"", "", 400},                          // a script
	} {
		req, _ := http.NewRequest("POST", ts.srv.URL+"/young-people", strings.NewReader(formOf(v).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if s.header != "" {
			req.Header.Set(s.header, s.value)
		}
		if got, body, _ := ts.do(req); got != s.want {
			t.Errorf("%s: %s: status %d, want %d (%.200s)", s.header, s.value, got, s.want, body)
		}
	}
	if ps, _ := ts.store.People(context.Background()); len(ps) != 0 {
		t.Errorf("refused requests wrote %d records", len(ps))
	}
}

func TestHeaders(t *testing.T) {
	ts := newTestServer(t, june2025)
	_, _, resp := ts.get("/")
	for k, want := range map[string]string{
		"Content-Security-Policy": pageCSP,
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Referrer-Policy":         "no-referrer",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(pageCSP, "script-src 'none'") || !strings.Contains(pageCSP, "default-src 'none'") {
		t.Errorf("page policy allows scripts or loads: %s", pageCSP)
	}
	// A body over the cap is refused.
	big := url.Values{"name": {strings.Repeat("x", MaxBodyBytes)}}
	if got, _, _ := ts.post("/young-people", big); got != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", got)
	}
	// Unknown pages and records are 404; ids are numbers only.
	for _, p := range []string{"/nothing", "/young-people/1", "/young-people/abc", "/young-people/0/plan", "/assets/fonts.woff2"} {
		if got, _, _ := ts.get(p); got != 404 {
			t.Errorf("%s: %d, want 404", p, got)
		}
	}
}

// TestStylesheetHasNoGOVUKFontOrCrest: the embedded stylesheet names no
// font file and no GDS Transport, so no font is requested.
func TestStylesheetHasNoGOVUKFont(t *testing.T) {
	ts := newTestServer(t, june2025)
	code, css, _ := ts.get("/assets/govuk-frontend.min.css")
	if code != 200 || len(css) < 100000 {
		t.Fatalf("stylesheet: %d, %d bytes", code, len(css))
	}
	for _, bad := range []string{"@font-face", "GDS Transport", "/assets/fonts/"} {
		if strings.Contains(css, bad) {
			t.Errorf("stylesheet still has %q", bad)
		}
	}
	if !strings.Contains(css, "font-family:arial,sans-serif") {
		t.Error("font stacks lost their fallback")
	}
	raw, _ := assetFS.ReadFile("assets/govuk-frontend.min.css")
	if n := bytes.Count(raw, []byte("@font-face")); n != 2 {
		t.Errorf("the vendored file has %d @font-face rules, want the package's 2", n)
	}
}

var validValues = scenarios.CaseValues{
	"id": "YP-0100", "name": "Amir", "date_of_birth": "2008-03-10", "nationality": "AFG", "review_date": "2025-06-01",
	"care.looked_after_since": "2023-11-01", "care.placement": "foster",
	"asylum.claim_date": "2023-11-20", "asylum.status": "pending",
}

// TestCaseFormErrorsAreTheReaders: a wrong date in the form comes back
// beside its field with the words the command line prints for the same
// value in a file (after "FILE:LINE: "), and nothing is saved; corrected,
// the record is made.
func TestCaseFormErrorsAreTheReaders(t *testing.T) {
	ts := newTestServer(t, june2025)
	v := validValues.Clone()
	v["date_of_birth"] = "2008-02-30"
	v["care.placement"] = "fostr"
	code, body, _ := ts.post("/young-people", formOf(v))
	if code != 400 {
		t.Fatalf("status %d, want 400", code)
	}
	// The same values in a file, as a user would write it.
	file := "id = \"YP-0100\"\nname = \"Amir\"\ndate_of_birth = \"2008-02-30\"\nnationality = \"AFG\"\nreview_date = 2025-06-01\n\n[care]\nlooked_after_since = 2023-11-01\nplacement = \"fostr\"\n\n[asylum]\nclaim_date = 2023-11-20\nstatus = \"pending\"\n"
	_, err := scenarios.ParseCase(strings.NewReader(file), "case.toml", sim.Date{})
	ps, ok := err.(scenarios.Problems)
	if !ok || len(ps) != 2 {
		t.Fatalf("the file gives %v, want two problems", err)
	}
	for _, p := range ps {
		cli := p.Error() // what pathway validate prints after "pathway: "
		_, want, _ := strings.Cut(cli, fmt.Sprintf("case.toml:%d: ", p.Line))
		id := fieldID(p.Key) + "-error"
		re := regexp.MustCompile(`<p id="` + regexp.QuoteMeta(id) + `" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]*)</p>`)
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("no inline error %s", id)
			continue
		}
		if got := html.UnescapeString(m[1]); got != want {
			t.Errorf("inline error for %s:\n got %q\nwant %q (the command line's)", p.Key, got, want)
		}
		if !strings.Contains(body, `href="#`+fieldID(p.Key)+`"`) {
			t.Errorf("the error summary does not link to %s", p.Key)
		}
	}
	// The form keeps what was typed.
	if !strings.Contains(body, `value="2008-02-30"`) {
		t.Error("the wrong date is not shown back")
	}
	if people, _ := ts.store.People(context.Background()); len(people) != 0 {
		t.Fatal("a record was saved from a form with problems")
	}
	// An unknown field is refused as an unknown key in a file is.
	v = validValues.Clone()
	v["asylum.statis"] = "pending"
	code, body, _ = ts.post("/young-people", formOf(v))
	if code != 400 || !strings.Contains(html.UnescapeString(body), "asylum.statis: unknown key (did you mean status)") {
		t.Errorf("unknown field: %d %s", code, body)
	}
	code, _, resp := ts.post("/young-people", formOf(validValues))
	if code != 303 || resp.Header.Get("Location") != "/young-people/1" {
		t.Fatalf("corrected form: %d %s", code, resp.Header.Get("Location"))
	}
	// A second young person with the same reference is refused on id.
	code, body, _ = ts.post("/young-people", formOf(validValues))
	if code != 400 || !strings.Contains(body, fieldID("id")+"-error") {
		t.Errorf("duplicate id: %d", code)
	}
}

// TestImportExportRoundTrip: every sample case imported through the
// server exports as the canonical writer writes it; that export, imported
// into another workspace, exports byte for byte the same; and the export
// is read by the command line's reader as the same case as the sample.
func TestImportExportRoundTrip(t *testing.T) {
	a := newTestServer(t, june2025)
	b := newTestServer(t, june2025)
	for i, s := range scenarios.Samples() {
		code, body, resp := a.importCase(s.Name, s.Data)
		if code != 303 {
			t.Fatalf("%s: import %d: %s", s.Name, code, body)
		}
		loc := resp.Header.Get("Location")
		if loc != fmt.Sprintf("/young-people/%d", i+1) {
			t.Fatalf("%s: redirected to %s", s.Name, loc)
		}
		code, exported, resp := a.get(loc + "/case.toml")
		if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s: export %d", s.Name, code)
		}
		// Import → export is the file as it came, comments and all.
		if exported != string(s.Data) {
			t.Errorf("%s: import → export differs from the file imported:\n%s", s.Name, exported)
		}
		if code, body, _ := b.importCase("exported.toml", []byte(exported)); code != 303 {
			t.Fatalf("%s: the exported file is refused: %s", s.Name, body)
		}
		_, again, _ := b.get(loc + "/case.toml")
		if again != exported {
			t.Errorf("%s: import → export → import → export differs:\n%s\nfirst:\n%s", s.Name, again, exported)
		}
		orig, err1 := scenarios.ParseCase(bytes.NewReader(s.Data), s.Name, sim.Date{})
		back, err2 := scenarios.ParseCase(strings.NewReader(exported), "exported.toml", sim.Date{})
		if err1 != nil || err2 != nil || !reflect.DeepEqual(orig, back) {
			t.Errorf("%s: the export reads as another case: %v %v", s.Name, err1, err2)
		}
	}
	// Once the record changes, the file no longer says what it does: the
	// export is written from the record, with the change, and reads back
	// as the record.
	rec := slices.IndexFunc(scenarios.Samples(), func(s scenarios.Sample) bool { return s.Name == "pending-afg.toml" }) + 1
	p, err := a.store.Person(context.Background(), int64(rec))
	if err != nil {
		t.Fatal(err)
	}
	later := laterValues(p.Values) // the decision arrives
	if code, body, _ := a.post(fmt.Sprintf("/young-people/%d", rec), formOf(later)); code != 303 {
		t.Fatalf("change case: %d %s", code, body)
	}
	_, changed, _ := a.get(fmt.Sprintf("/young-people/%d/case.toml", rec))
	if changed == string(sampleData(t, "pending-afg.toml")) || !strings.Contains(changed, `decision_date = 2025-09-01`) {
		t.Errorf("the export after a change is the file imported, or lacks the change:\n%s", changed)
	}
	if got, _, err := scenarios.ImportCase(strings.NewReader(changed), "changed.toml", scenarios.DefaultPolicy()); err != nil {
		t.Errorf("the export after a change is refused: %v", err)
	} else if !reflect.DeepEqual(got, later) {
		t.Errorf("the export after a change reads as %v, want %v", got, later)
	}
	// The same file again is refused: the reference is taken.
	s := scenarios.Samples()[0]
	if code, body, _ := a.importCase(s.Name, s.Data); code != 400 || !strings.Contains(body, "id") {
		t.Errorf("second import of %s: %d", s.Name, code)
	}
	// A bad file is refused with the command line's messages, file and line.
	bad := bytes.Replace(sampleData(t, "pending-afg.toml"), []byte(`nationality = "AFG"`), []byte(`nationality = "Afghan"`), 1)
	code, body, _ := a.importCase("bad.toml", bad)
	if code != 400 || !strings.Contains(html.UnescapeString(body), `bad.toml:4: nationality: "Afghan": an ISO 3166-1 alpha-3 country code in capitals, like AFG`) {
		t.Errorf("bad file: %d %s", code, body)
	}
	if code, _, _ := a.importCase("none.toml", nil); code != 400 {
		t.Errorf("empty upload: %d", code)
	}
}

// TestPlanJSONIsTheCommandLines: plan.json as of a date is the JSON plan
// pathway plan --format json writes for the same file and date.
func TestPlanJSONIsTheCommandLines(t *testing.T) {
	ts := newTestServer(t, sim.NewDate(2025, 7, 1))
	data := sampleData(t, "pending-afg.toml")
	ts.importCase("pending-afg.toml", data)
	c, err := scenarios.ParseCase(bytes.NewReader(data), "pending-afg.toml", june2025)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.NewPlan(c, scenarios.DefaultPolicy(), june2025)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	reports.WritePlanJSON(&want, p)
	code, got, resp := ts.get("/young-people/1/plan.json?as_of=2025-06-01")
	if code != 200 || got != want.String() || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("plan.json: %d, %d bytes, want %d", code, len(got), want.Len())
	}
	// Without as_of, today (1 Jul 2025).
	_, got, _ = ts.get("/young-people/1/plan.json")
	var plan struct {
		AsOf string `json:"as_of"`
	}
	if err := json.Unmarshal([]byte(got), &plan); err != nil || plan.AsOf != "2025-07-01" {
		t.Errorf("as_of %q, %v; want today, 2025-07-01", plan.AsOf, err)
	}
	// The expected decision (1 Sep 2025) is past on 1 Oct 2025: the case
	// needs updating, and the field is named.
	code, got, _ = ts.get("/young-people/1/plan.json?as_of=2025-10-01")
	if code != 400 || !strings.HasPrefix(got, "asylum.expected_decision: ") {
		t.Errorf("stale case: %d %q", code, got)
	}
	if code, got, _ := ts.get("/young-people/1/plan.json?as_of=2025-13-01"); code != 400 || !strings.HasPrefix(got, "as_of:") {
		t.Errorf("bad as_of: %d %q", code, got)
	}
	if code, _, _ := ts.get("/young-people/2/plan.json"); code != 404 {
		t.Errorf("missing record: %d", code)
	}
	if code, body, _ := ts.get("/young-people/1/futures?lang=xx"); code != 400 || !strings.Contains(body, "lang:") {
		t.Errorf("unknown language: %d", code)
	}
	code, body, resp := ts.get("/young-people/1/futures?lang=ar&download=1")
	if code != 200 || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(resp.Header.Get("Content-Disposition"), "futures-YP-0001-ar.html") {
		t.Errorf("Arabic page: %d, %s", code, resp.Header.Get("Content-Disposition"))
	}
	// The page keeps its own policy; the header only forbids framing.
	if resp.Header.Get("Content-Security-Policy") != pagePolicy || !strings.Contains(body, `http-equiv="Content-Security-Policy"`) {
		t.Error("the young person's page lost its policy")
	}
}

// laterValues is the pending-afg sample six months on: the claim decided
// on 1 Sep 2025 with UASC leave (as reports' laterReview).
func laterValues(v scenarios.CaseValues) scenarios.CaseValues {
	w := v.Clone()
	w["review_date"] = "2025-12-01"
	w["asylum.status"] = "uasc_leave"
	w["asylum.decision_date"] = "2025-09-01"
	for _, k := range scenarios.FieldKeys() {
		if k == "asylum.expected_decision" || strings.HasPrefix(k, "asylum.outcome_probabilities.") {
			delete(w, k)
		}
	}
	return w
}

// TestReviews: a review saves the case and plan as they stand; a second
// review after a decision lists the change (status from pending to UASC
// leave, which the pack's comparison states); sign-off makes a review
// read-only (409 after); the pack downloads with "Changed since the last
// review". Viewing is in the audit log.
func TestReviews(t *testing.T) {
	ts := newTestServer(t, june2025)
	data := sampleData(t, "pending-afg.toml")
	ts.importCase("pending-afg.toml", data)

	code, body, _ := ts.get("/young-people/1/reviews/new")
	if code != 200 || !strings.Contains(body, `name="action.1.text"`) || !strings.Contains(body, `name="goal.1.transitional"`) {
		t.Fatalf("new review form: %d", code)
	}
	form := url.Values{"as_of": {"2025-06-01"}, "view.1": {"I want to see a dentist."},
		"action.1.text": {"Book the dentist"}, "action.1.owner": {"PA"}, "action.1.due": {"2025-07-01"}, "action.1.status": {"to_do"},
		"goal.1.transitional": {"Registered with a dentist."}}
	code, _, resp := ts.post("/young-people/1/reviews", form)
	if code != 303 || resp.Header.Get("Location") != "/young-people/1/reviews/1" {
		t.Fatalf("save review 1: %d %s", code, resp.Header.Get("Location"))
	}
	r1, err := ts.store.Review(context.Background(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Views["Health and development"] != "I want to see a dentist." || len(r1.Actions) != 1 || r1.Actions[0].Due != sim.NewDate(2025, 7, 1) {
		t.Errorf("review 1 holds %+v", r1)
	}
	if !strings.Contains(r1.CaseTOML, `status = "pending"`) || !strings.Contains(r1.PlanJSON, `"as_of": "2025-06-01"`) {
		t.Errorf("review 1 snapshot: %s", r1.CaseTOML)
	}

	// A wrong due date is named; nothing is saved.
	bad := url.Values{"as_of": {"2025-06-02"}, "action.1.text": {"x"}, "action.1.due": {"soon"}}
	if code, body, _ := ts.post("/young-people/1/reviews", bad); code != 400 || !strings.Contains(html.UnescapeString(body), `action.1.due: "soon": a date without a time`) {
		t.Errorf("bad due date: %d", code)
	}

	// The decision arrives: the case changes, and six months on a second review.
	p, _ := ts.store.Person(context.Background(), 1)
	if code, body, _ := ts.post("/young-people/1", formOf(laterValues(p.Values))); code != 303 {
		t.Fatalf("change case: %d %s", code, body)
	}
	ts.setToday(sim.NewDate(2025, 12, 1))
	// A review dated after today (1 December 2025 here) is refused.
	if code, body, _ := ts.post("/young-people/1/reviews", url.Values{"as_of": {"2025-12-02"}}); code != 400 || !strings.Contains(html.UnescapeString(body), `as_of: "2025-12-02": a date on or before today, 2025-12-01`) {
		t.Errorf("review dated tomorrow: %d", code)
	}
	// A review dated before the last is refused.
	if code, body, _ := ts.post("/young-people/1/reviews", url.Values{"as_of": {"2025-05-01"}}); code != 400 || !strings.Contains(body, "a date after the last review") {
		t.Errorf("earlier review: %d", code)
	}
	code, body, _ = ts.get("/young-people/1/reviews/new")
	if code != 200 || !strings.Contains(body, "Book the dentist") {
		t.Errorf("the second review does not start from the first's open action")
	}
	if !strings.Contains(body, "At the last review: I want to see a dentist.") || strings.Contains(body, ">I want to see a dentist.</textarea>") {
		t.Errorf("the second review's views field should be empty, with the last review's views beside it")
	}
	if code, _, _ := ts.post("/young-people/1/reviews", url.Values{"as_of": {"2025-12-01"}, "action.1.text": {"Book the dentist"}, "action.1.status": {"done"}}); code != 303 {
		t.Fatalf("save review 2: %d", code)
	}
	code, body, _ = ts.get("/young-people/1/reviews/2")
	page := html.UnescapeString(body)
	if code != 200 || !strings.Contains(page, "Since review 1: Status changed from asylum claim pending to UASC leave.") {
		t.Errorf("review 2 does not list the change:\n%.3000s", page)
	}
	if !strings.Contains(page, "UASC leave (decided 1 Sep 2025)") {
		t.Error("review 2's change table lacks the new status")
	}

	// Sign-off needs a name; then the review is read-only.
	if code, body, _ := ts.post("/young-people/1/reviews/2/sign-off", url.Values{"signed_off_by": {""}}); code != 400 || !strings.Contains(body, "signed_off_by-error") {
		t.Errorf("sign-off without a name: %d", code)
	}
	if code, _, _ := ts.post("/young-people/1/reviews/2/sign-off", url.Values{"signed_off_by": {"J Smith, personal adviser"}}); code != 303 {
		t.Fatalf("sign-off: %d", code)
	}
	_, body, _ = ts.get("/young-people/1/reviews/2")
	if !strings.Contains(body, "Signed off by J Smith, personal adviser, on ") || strings.Contains(body, `id="save-review"`) {
		t.Error("the signed-off review still offers its form")
	}
	if code, _, _ := ts.post("/young-people/1/reviews/2", url.Values{"view.1": {"changed"}}); code != 409 {
		t.Errorf("change after sign-off: %d, want 409", code)
	}
	if code, _, _ := ts.post("/young-people/1/reviews/2/sign-off", url.Values{"signed_off_by": {"x"}}); code != 409 {
		t.Errorf("second sign-off: %d, want 409", code)
	}
	// Review 1 is still a draft: it can change.
	if code, _, _ := ts.post("/young-people/1/reviews/1", url.Values{"view.1": {"Dentist booked."}}); code != 303 {
		t.Errorf("change to draft review 1: %d", code)
	}

	code, body, resp = ts.get("/young-people/1/reviews/2/pack?download=1")
	if code != 200 || !strings.Contains(body, "Changed since the last review") ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="review-YP-0001-2.html"` {
		t.Errorf("pack: %d %q", code, resp.Header.Get("Content-Disposition"))
	}
	// The pack carries what the review recorded and its sign-off.
	if page := html.UnescapeString(body); !strings.Contains(page, "Recorded at review 2") || !strings.Contains(page, "Signed off by J Smith, personal adviser on ") ||
		!strings.Contains(page, "<td class=\"prose\">Book the dentist</td>") || !strings.Contains(page, "<td>Done</td>") {
		t.Errorf("the pack lacks the review's record or sign-off")
	}
	_, body, _ = ts.get("/young-people/1/reviews/1/pack")
	if page := html.UnescapeString(body); !strings.Contains(page, "<td class=\"prose\">Dentist booked.</td>") || !strings.Contains(page, "A draft: not yet signed off.") {
		i := strings.Index(page, `id="record"`)
		t.Errorf("review 1's pack lacks its views or draft status: %.1500s", page[max(i, 0):])
	}
	log, _ := ts.store.AuditLog(context.Background(), 1, 100)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"import case", "change case", "add review", "sign off review", "view review", "download review pack"} {
		if !strings.Contains(strings.Join(actions, "|"), want) {
			t.Errorf("audit log lacks %q: %v", want, actions)
		}
	}
	if code, _, _ := ts.get("/young-people/1/reviews/3"); code != 404 {
		t.Errorf("review 3: %d", code)
	}
}

// TestCaseloadOrder: a case that can no longer be planned today (its
// expected decision has passed) comes first, marked; the others follow by
// the date of their next deadline.
func TestCaseloadOrder(t *testing.T) {
	ts := newTestServer(t, sim.NewDate(2025, 10, 1))
	// pending-afg expects its decision on 2025-09-01: past on 1 Oct 2025.
	for _, name := range []string{"refugee-sdn.toml", "uasc-leave-eri.toml", "pending-afg.toml", "settled-afg.toml"} {
		if code, body, _ := ts.importCase(name, sampleData(t, name)); code != 303 {
			t.Fatalf("%s: %s", name, body)
		}
	}
	code, body, _ := ts.get("/")
	if code != 200 {
		t.Fatal(code)
	}
	rows := regexp.MustCompile(`(?s)<tr class="govuk-table__row">\s*<th scope="row"[^>]*><a[^>]*>([^<]*)</a></th>.*?</tr>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0][1] != "YP-0001" || !strings.Contains(rows[0][0], "Case needs updating") {
		t.Errorf("first row %q, want YP-0001 needing an update", rows[0][1])
	}
	date := regexp.MustCompile(`<span class="pw-nowrap">(\d+ \w{3} \d{4})</span>`)
	var prev sim.Date
	for _, r := range rows[1:] {
		m := date.FindStringSubmatch(r[0])
		if m == nil {
			continue // no dated action: last
		}
		d := parseLong(t, m[1])
		if d.Before(prev) {
			t.Errorf("%s (%s) comes after a later deadline", r[1], m[1])
		}
		prev = d
	}
}

func parseLong(t *testing.T, s string) sim.Date {
	t.Helper()
	tm, err := time.Parse("2 Jan 2006", s)
	if err != nil {
		t.Fatalf("cannot read %q: %v", s, err)
	}
	return sim.NewDate(tm.Date())
}
