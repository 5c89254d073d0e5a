package web

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"pathway/sim"
)

const chromiumPath = "/usr/bin/chromium"

var screenshots = flag.String("screenshots", "", "also save the browser test's screenshots in this directory")

// axeSource is axe-core's axe.min.js, from the file AXE_CORE_JS names, or
// from .ci/node_modules, where .ci/run installs it with npm. Without it the
// browser test skips its accessibility checks, except under CI, where it
// fails.
func axeSource(t *testing.T) string {
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		path = filepath.Join("..", "..", ".ci", "node_modules", "axe-core", "axe.min.js")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("AXE_CORE_JS must name axe-core's axe.min.js under CI (got %q: %v)", path, err)
		}
		t.Logf("AXE_CORE_JS not set or unreadable (%q): accessibility checks skipped", path)
		return ""
	}
	return string(data)
}

// browserLog collects what the pages did: console output, exceptions,
// browser errors, and every URL requested.
type browserLog struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (l *browserLog) add(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		l.problems = append(l.problems, "exception: "+ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		l.problems = append(l.problems, "console."+string(ev.Type))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			l.problems = append(l.problems, fmt.Sprintf("browser log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
	}
}

// axeResult is the part of axe.run's result the test reads.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestAdviserInBrowser goes through the workspace as an adviser would, in
// headless Chromium: adds a young person with a wrong date, sees it shown
// beside its field in the reader's words, corrects it; sees the plan;
// saves a review with the young person's views and an action; records a
// decision (UASC leave) on the case; six months on saves a second review
// and sees the change listed; signs it off, after which it has no form;
// downloads the pack. axe-core checks every page for serious or critical
// violations; no page writes to the console or asks for anything but the
// server's own addresses.
func TestAdviserInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is needed for the browser tests under CI: %v", err)
		}
		t.Skipf("no Chromium at %s", chromiumPath)
	}
	axe := axeSource(t)
	ts := newTestServer(t, june2025)
	base := ts.srv.URL

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1200, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	var bl browserLog
	if err := chromedp.Listen(tab, bl.add); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
	defer cancel()

	shots := *screenshots
	if shots == "" {
		shots = t.TempDir()
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	// runAxe runs axe-core on the page and returns its serious and critical
	// violations.
	runAxe := func(name string) []string {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatalf("%s: inject axe-core: %v", name, err)
		}
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe.run: %v", name, err)
		}
		var res axeResult
		if err := json.Unmarshal([]byte(js), &res); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range res.Violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				out = append(out, fmt.Sprintf("axe %s (%s): %s, at %v", v.ID, v.Impact, v.Help, v.Nodes))
			}
		}
		return out
	}
	// check runs axe on the page and saves a screenshot.
	check := func(name string) {
		t.Helper()
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(shots, name+"-full.png"), png, 0o644)
		}
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		}
		if axe == "" {
			return
		}
		for _, v := range runAxe(name) {
			t.Errorf("%s: %s", name, v)
		}
	}
	// set types a value into the field with the given id (a select takes
	// one of its options' values).
	set := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			js := fmt.Sprintf(`(() => { const el = document.getElementById(%q); if (!el) return false; el.value = %q; return el.value === %q; })()`, id, value, value)
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err == nil && !ok {
				err = fmt.Errorf("cannot set #%s to %q", id, value)
			}
			return err
		})
	}

	// 1. A new young person, with a date of birth that does not exist.
	step("open the form", chromedp.Navigate(base+"/young-people/new"), chromedp.WaitVisible(chromedp.ID("save-case")))
	check("case-form")
	step("fill the form",
		set("f-id", "YP-0200"), set("f-name", "Amina"), set("f-date_of_birth", "2008-02-30"), set("f-nationality", "AFG"),
		set("f-care-looked_after_since", "2023-11-01"), set("f-care-placement", "foster"),
		set("f-asylum-claim_date", "2023-11-20"), set("f-asylum-status", "pending"), set("f-asylum-expected_decision", "2025-09-01"),
		set("f-asylum-outcome_probabilities-refugee_status", "0.55"), set("f-asylum-outcome_probabilities-humanitarian_protection", "0.05"),
		set("f-asylum-outcome_probabilities-uasc_leave", "0.25"), set("f-asylum-outcome_probabilities-refused", "0.15"),
		chromedp.Click(chromedp.ID("save-case")),
		chromedp.WaitVisible(chromedp.ID("f-date_of_birth-error")))
	if got := text("#f-date_of_birth-error"); !strings.Contains(got, `date_of_birth: "2008-02-30": a date without a time, like 2008-03-10`) {
		t.Errorf("inline error: %q", got)
	}
	if got := text(".govuk-error-summary"); !strings.Contains(got, "There is a problem") {
		t.Errorf("error summary: %q", got)
	}
	check("case-form-error")
	step("correct the date", set("f-date_of_birth", "2008-03-10"), chromedp.Click(chromedp.ID("save-case")), chromedp.WaitVisible(chromedp.ID("case-summary")))
	check("record")

	// 2. The plan.
	step("see the plan", chromedp.Click(chromedp.CSS(`a[href$="/plan"]`)), chromedp.WaitVisible(chromedp.ID("deadlines")))
	if got := text("#plan-status"); got != "Asylum claim pending" {
		t.Errorf("plan status %q", got)
	}
	if got := text("#plan-planning"); !strings.HasPrefix(got, "Triple") {
		t.Errorf("planning %q, want triple (a pending claim with real chances of grant and refusal)", got)
	}
	check("plan")

	// 3. The first review: views and an action of the adviser's own.
	step("start a review", chromedp.Navigate(base+"/young-people/1/reviews/new"), chromedp.WaitVisible(chromedp.ID("save-review")))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#actions tbody tr").length`))
	if err != nil || rows < 4 {
		t.Fatalf("%d action rows (%v): want the plan's and three blank", rows, err)
	}
	last := fmt.Sprintf("action-%d-", rows)
	step("fill the review", set("view-1", "I would like to see a dentist."), set("view-8", "I am worried about my interview."),
		set(last+"text", "Book a dentist"), set(last+"owner", "Personal adviser"), set(last+"due", "2025-07-01"),
		chromedp.Click(chromedp.ID("save-review")), chromedp.WaitVisible(chromedp.ID("changes")))
	check("review-1")

	// 4. The decision arrives: UASC leave on 1 Sep 2025; six months on.
	step("change the case", chromedp.Navigate(base+"/young-people/1/edit"), chromedp.WaitVisible(chromedp.ID("save-case")),
		set("f-review_date", "2025-12-01"), set("f-asylum-status", "uasc_leave"), set("f-asylum-decision_date", "2025-09-01"),
		set("f-asylum-expected_decision", ""),
		set("f-asylum-outcome_probabilities-refugee_status", ""), set("f-asylum-outcome_probabilities-humanitarian_protection", ""),
		set("f-asylum-outcome_probabilities-uasc_leave", ""), set("f-asylum-outcome_probabilities-refused", ""),
		chromedp.Click(chromedp.ID("save-case")), chromedp.WaitVisible(chromedp.ID("case-summary")))
	ts.setToday(sim.NewDate(2025, 12, 1))
	step("second review", chromedp.Navigate(base+"/young-people/1/reviews/new"), chromedp.WaitVisible(chromedp.ID("save-review")))
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("as_of"))); v != "2025-12-01" {
		t.Errorf("as_of starts at %q, want today", v)
	}
	step("save the second review", chromedp.Click(chromedp.ID("save-review")), chromedp.WaitVisible(chromedp.ID("changes-headline")))
	if got := text("#changes-headline"); !strings.Contains(got, "Status changed from asylum claim pending to UASC leave") {
		t.Errorf("what changed: %q", got)
	}
	if got := text("#changes-table"); !strings.Contains(got, "UASC leave (decided 1 Sep 2025)") {
		t.Errorf("change table: %q", got)
	}
	check("review-2")

	// 5. Sign off: then read-only.
	step("sign off", set("signed_off_by", "Jo Smith, personal adviser"), chromedp.Click(chromedp.ID("sign-off")), chromedp.WaitVisible(chromedp.ID("signed-off")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("form textarea, form input[type=text]").length`)); n != 0 {
		t.Errorf("the signed-off review still has %d fields", n)
	}
	check("review-2-signed-off")

	// 6. Download the pack.
	dl := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	step("download the pack", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dl, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(chromedp.ID("download-pack")))
	var pack []byte
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			pack, _ = os.ReadFile(filepath.Join(dl, ev.GUID))
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
	}
	if !strings.Contains(string(pack), "Changed since the last review") || !strings.Contains(string(pack), "YP-0001") && !strings.Contains(string(pack), "YP-0200") {
		t.Errorf("the downloaded pack (%d bytes) lacks what changed", len(pack))
	}

	// 7. The caseload, with three more young people, and the audit log.
	for _, name := range []string{"refugee-sdn.toml", "trafficked-vnm.toml", "are-irn.toml"} {
		if code, body, _ := ts.importCase(name, sampleData(t, name)); code != 303 {
			t.Fatalf("import %s: %s", name, body)
		}
	}
	step("caseload", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("caseload")))
	if got := text("#caseload tbody"); !strings.Contains(got, "YP-0200") || !strings.Contains(got, "Amina") {
		t.Errorf("caseload: %q", got)
	}
	check("caseload")
	step("audit log", chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit")))
	check("audit")
	step("a page that does not exist", chromedp.Navigate(base+"/young-people/99"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("not-found")
	if axe != "" {
		// A control: an image without a text alternative, added to the
		// page, is a critical violation, so a clean result means axe ran.
		step("control", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("main").appendChild(document.createElement("img")) && true`))
			return err
		}))
		if v := runAxe("control"); len(v) == 0 || !strings.Contains(strings.Join(v, " "), "image-alt") {
			t.Errorf("axe found no image-alt violation on the control page: %v", v)
		}
	}

	bl.mu.Lock()
	defer bl.mu.Unlock()
	// The form with the wrong date answered 400, and the missing record
	// 404, as they should; the browser logs both. Nothing else.
	expected := []string{"status of 400 (Bad Request) " + base + "/young-people", "status of 404 (Not Found) " + base + "/young-people/99"}
	for _, p := range bl.problems {
		if !slices.ContainsFunc(expected, func(e string) bool { return strings.HasSuffix(p, e) }) {
			t.Errorf("browser: %s", p)
		}
	}
	for _, u := range bl.requests {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("a page asked for %s", u)
		}
	}
	if len(bl.requests) < 10 {
		t.Errorf("only %d requests seen: the listener is not working", len(bl.requests))
	}
}

func ptr[T any](v T) *T { return &v }
