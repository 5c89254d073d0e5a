package reports

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

var screenshots = flag.String("screenshots", "", "also save the browser tests' screenshots in this directory")

// browserPage is one generated page to check in the browser.
type browserPage struct {
	name   string
	dir    string         // the html element's dir
	charts int            // how many charts the page draws
	width  int64          // the viewport's width in CSS pixels: 1280 (a laptop) or 390 (a phone)
	young  bool           // the young person's page: its chart must start in view
	paths  map[int]string // for a young person's page: path number to outcomes, as the pack numbers them
	write  func(*bytes.Buffer) error
}

// cspControl is the page with a script added after rendering, which the
// page's Content-Security-Policy must block: it shows that a violation on
// any other page would not go unseen.
const cspControl = "csp-control"

// axeScript is axe-core's axe.min.js, read once: from $AXE_CORE_JS, or
// from .ci/node_modules, where .ci/run installs it with npm. Without it the
// accessibility check is skipped locally and fails under CI.
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		path = filepath.Join("..", ".ci", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is needed for the accessibility checks under CI: %v", err)
		}
		t.Logf("no axe-core at %s (npm install --no-save --prefix .ci axe-core@4.14.1): accessibility not checked", path)
		return ""
	}
	return string(b)
}

// packPaths reads the pack's numbering: path number to outcomes, from the
// data-outcomes of its table of every path.
var packPathAttr = regexp.MustCompile(`<tr data-path="(\d+)" data-outcomes="([a-z_ ]+)">`)

func packPaths(t *testing.T, pack []byte) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, m := range packPathAttr.FindAllSubmatch(pack, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		out[n] = string(m[2])
	}
	if len(out) == 0 {
		t.Fatal("the pack has no numbered paths")
	}
	return out
}

// TestPagesInBrowser opens every kind of page in headless Chromium, served
// from a local test server, and checks that each chart has drawn, that
// nothing was written to the console or thrown, and that the page asked no
// host but the test server for anything. It saves a full screenshot of each.
func TestPagesInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is needed for the browser tests under CI: %v", err)
		}
		t.Skipf("no Chromium at %s; install the chromium package to run the browser tests", chromiumPath)
	}

	axe := axeScript(t)
	before, later := laterReview(t)
	var pages []browserPage
	for _, name := range []string{"pending-afg", "trafficked-vnm", "are-irn", "settled-afg"} {
		s := sample(t, name)
		pages = append(pages, browserPage{name: name + "-review", dir: "ltr", charts: 2, width: 1280, write: func(b *bytes.Buffer) error { return WriteReviewPack(b, s.c, s.p, nil) }})
	}
	pages = append(pages, browserPage{name: "pending-afg-later-review", dir: "ltr", charts: 2, width: 1280, write: func(b *bytes.Buffer) error {
		return WriteReviewPack(b, later.c, later.p, &ReviewPrevious{before.c, before.p})
	}})
	// The young person's page in every language at both widths, and for
	// three more cases on a phone, each with the numbering of its pack.
	young := func(s samplePlan, lang string, width int64) browserPage {
		tr, err := newTranslator(lang)
		if err != nil {
			t.Fatal(err)
		}
		var pack bytes.Buffer
		if err := writeReviewPack(&pack, s.c, s.p, nil, small); err != nil {
			t.Fatal(err)
		}
		return browserPage{name: fmt.Sprintf("%s-young-%s-%d", s.name, lang, width), dir: tr.dir(), charts: 2, width: width, young: true,
			paths: packPaths(t, pack.Bytes()),
			write: func(b *bytes.Buffer) error { return WriteYoungPersonFor(b, s.p, YoungOptionsFor(s.c, lang)) }}
	}
	afg := sample(t, "pending-afg")
	for _, lang := range Languages() {
		for _, width := range []int64{1280, 390} {
			pages = append(pages, young(afg, lang, width))
		}
	}
	for _, name := range []string{"settled-afg", "are-irn", "trafficked-vnm"} {
		pages = append(pages, young(sample(t, name), "en", 390))
	}
	pages = append(pages, young(sample(t, "are-irn"), "ar", 390))
	pages = append(pages, browserPage{name: cspControl, dir: "ltr", charts: 2, width: 1280, write: func(b *bytes.Buffer) error {
		var page bytes.Buffer
		if err := WriteReviewPack(&page, afg.c, afg.p, nil); err != nil {
			return err
		}
		// A script the page did not write, as an injection would be.
		b.Write(bytes.Replace(page.Bytes(), []byte("</main>"), []byte(`<script>document.title = "injected";</script></main>`), 1))
		return nil
	}})
	forecast, input := testForecast(t)
	pages = append(pages, browserPage{name: "forecast-dashboard", dir: "ltr", charts: 8, width: 1280, write: func(b *bytes.Buffer) error { return WriteFinanceDashboard(b, forecast, input) }})
	pages = append(pages, browserPage{name: "forecast-dashboard-390", dir: "ltr", charts: 8, width: 390, write: func(b *bytes.Buffer) error { return WriteFinanceDashboard(b, forecast, input) }})
	// A comparison with arrivals: the comparison and arrivals charts too.
	cmp := testComparison(t)
	pages = append(pages, browserPage{name: "forecast-comparison", dir: "ltr", charts: 10, width: 1280, write: func(b *bytes.Buffer) error { return WriteComparisonDashboard(b, cmp) }})
	pages = append(pages, browserPage{name: "forecast-comparison-390", dir: "ltr", charts: 10, width: 390, write: func(b *bytes.Buffer) error { return WriteComparisonDashboard(b, cmp) }})

	// A page axe must object to (an image without a text alternative, a
	// critical violation): the check is really running.
	pages = append(pages, browserPage{name: "axe-self-check", dir: "ltr", width: 1280, write: func(b *bytes.Buffer) error {
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>check</title><link rel="icon" href="data:,"></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>`)
		return nil
	}})

	served := map[string][]byte{}
	for _, pg := range pages {
		var b bytes.Buffer
		if err := pg.write(&b); err != nil {
			t.Fatalf("%s: %v", pg.name, err)
		}
		served["/"+pg.name+".html"] = b.Bytes()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := served[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t)

	shots := t.TempDir()
	for _, pg := range pages {
		if pg.name == "axe-self-check" {
			if axe != "" {
				checkAxeObjects(t, browser, base, pg, axe)
			}
			continue
		}
		t.Run(pg.name, func(t *testing.T) {
			checkPage(t, browser, base, pg, shots, axe)
		})
	}
}

// pageLog collects what a page did: its console, exceptions and requests.
type pageLog struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (l *pageLog) add(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		l.problems = append(l.problems, "exception: "+text)
	case *runtime.EventConsoleAPICalled:
		var args []string
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				args = append(args, string(a.Value))
			} else {
				args = append(args, a.Description)
			}
		}
		l.problems = append(l.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			l.problems = append(l.problems, fmt.Sprintf("browser log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, ev.Request.URL)
	}
}

func checkPage(t *testing.T, browser context.Context, base *url.URL, pg browserPage, shots, axe string) {
	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	if err := chromedp.Do(tab); err != nil { // open the tab before listening
		t.Fatal(err)
	}
	var l pageLog
	if err := chromedp.Listen(tab, l.add); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()

	pageURL := base.String() + "/" + pg.name + ".html"
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(pg.width, 900), chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	// Every chart container holds an SVG (or canvas) with drawn content.
	const drawn = `(() => {
  const boxes = [...document.querySelectorAll(".chart-box .item")];
  return boxes.length > 0 && boxes.every(el => {
    const svg = el.querySelector("svg");
    if (svg) { return svg.querySelectorAll("path, rect, text").length > 5; }
    const c = el.querySelector("canvas");
    return c !== null && c.width > 0 && c.height > 0;
  });
})()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](drawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Errorf("charts did not draw: %v", err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".chart-box .item")].map(el =>
  el.id + ":" + (el.querySelector("svg") ? el.querySelectorAll("svg path, svg rect, svg text").length : 0))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != pg.charts {
		t.Errorf("page has %d charts (%v), want %d", len(charts), charts, pg.charts)
	}
	t.Logf("charts (id:shapes): %v", charts)

	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`))
	if err != nil {
		t.Fatal(err)
	}
	if dir != pg.dir {
		t.Errorf("html dir = %q, want %q", dir, pg.dir)
	}
	// Each chart has an accessible description.
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".chart-box .item")].map(el => el.getAttribute("aria-label") || "")`))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range labels {
		if strings.TrimSpace(a) == "" {
			t.Errorf("chart %d has no aria-label", i)
		}
	}

	// Nothing makes the page itself scroll sideways.
	if over, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth - window.innerWidth`)); err != nil {
		t.Fatal(err)
	} else if over > 1 {
		t.Errorf("the page is %.0f px wider than the %d px window", over, pg.width)
	}
	// Nor does anything run out of a notice's box (a long policy key on
	// a phone, say), where the page's own width would not show it.
	if over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".notice")].filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.id || el.textContent.slice(0, 60))`)); err != nil {
		t.Fatal(err)
	} else if len(over) > 0 {
		t.Errorf("at %d px, text runs out of these notices: %q", pg.width, over)
	}
	if pg.young {
		checkYoungChart(t, ctx, pg)
	}
	if axe != "" {
		checkAxe(t, ctx, axe)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(shots, pg.name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if *screenshots != "" {
		if err := os.MkdirAll(*screenshots, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*screenshots, pg.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if err != nil || title == "injected" {
		t.Errorf("a script not named by the page's policy ran (title %q, %v)", title, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	sawBlock, blocked := false, pg.name == cspControl
	for _, p := range l.problems {
		if blocked && strings.Contains(p, "violates the following Content Security Policy directive") {
			sawBlock = true
			continue
		}
		t.Errorf("%s", p)
	}
	if blocked && !sawBlock {
		t.Error("the injected script was not reported as blocked by the Content-Security-Policy")
	}
	if len(l.requests) == 0 {
		t.Error("saw no request at all: the network listener is not working")
	}
	for _, r := range l.requests {
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("request to unparsable URL %q", r)
			continue
		}
		if u.Scheme == "data" {
			continue
		}
		if u.Host != base.Host {
			t.Errorf("request to another host: %s", r)
		}
	}
}

// checkYoungChart checks the young person's chart and paths as they show:
// the chart's first outcome is in view without scrolling, whatever the
// direction and width; no chance resting on a placeholder is a number,
// on a card or in the chart; each path number is the pack's.
func checkYoungChart(t *testing.T, ctx context.Context, pg browserPage) {
	t.Helper()
	// The root and the first outcome after it (node n1): where ECharts laid
	// them out, in the page's coordinates, against the window and the
	// scroll box around the chart.
	type box struct {
		Root, First         [4]float64 // left, top, right, bottom
		ViewLeft, ViewRight float64    // the scroll box's visible part
		Window              float64
	}
	b, err := chromedp.Run(ctx, chromedp.Evaluate[box](`(() => {
  const el = document.getElementById("young_tree");
  const chart = echarts.getInstanceByDom(el);
  const series = chart.getModel().getSeriesByIndex(0);
  const data = series.getData();
  const box = el.getBoundingClientRect();
  const at = {left: box.left + series.layoutInfo.x, top: box.top + series.layoutInfo.y}; // node layouts are within the series' box
  const rect = id => {
    const i = [...Array(data.count()).keys()].find(i => data.getRawDataItem(i).id === id);
    const l = data.getItemLayout(i);
    return [at.left + l.x, at.top + l.y, at.left + l.x + l.dx, at.top + l.y + l.dy];
  };
  const view = el.closest(".chart-scroll").getBoundingClientRect();
  return {Root: rect("n0"), First: rect("n1"), ViewLeft: Math.max(0, view.left), ViewRight: Math.min(window.innerWidth, view.right), Window: window.innerWidth};
})()`))
	if err != nil {
		t.Fatalf("read the chart's layout: %v", err)
	}
	for name, r := range map[string][4]float64{"now": b.Root, "first outcome": b.First} {
		if r[0] < b.ViewLeft-0.5 || r[2] > b.ViewRight+0.5 {
			t.Errorf("the chart's %s node (x %.0f–%.0f) is not in view (x %.0f–%.0f of a %.0f px window)", name, r[0], r[2], b.ViewLeft, b.ViewRight, b.Window)
		}
	}
	// Its label beside it, on the side the chart runs to: in view too
	// (at least 60 px of it).
	if pg.dir == "rtl" && b.First[0]-60 < b.ViewLeft || pg.dir == "ltr" && b.First[2]+60 > b.ViewRight {
		t.Errorf("no room for the first outcome's label beside it in view (%s, node x %.0f–%.0f, view %.0f–%.0f)", pg.dir, b.First[0], b.First[2], b.ViewLeft, b.ViewRight)
	}

	type shown struct {
		Cards []struct {
			N        int
			Outcomes string
			Chance   string
			Unknown  bool
		}
		Nodes []struct {
			Name        string
			Unconfirmed bool
		}
	}
	sh, err := chromedp.Run(ctx, chromedp.Evaluate[shown](`(() => ({
  Cards: [...document.querySelectorAll("li[data-path]")].map(li => {
    const c = li.querySelector(".chance");
    return {N: +li.dataset.path, Outcomes: li.dataset.outcomes, Chance: c.textContent, Unknown: c.classList.contains("unknown")};
  }),
  Nodes: echarts.getInstanceByDom(document.getElementById("young_tree")).getOption().series[0].data
    .map(n => ({Name: n.name, Unconfirmed: !!n.unconfirmed})),
}))()`))
	if err != nil {
		t.Fatal(err)
	}
	digit := regexp.MustCompile(`\p{Nd}`)
	if len(sh.Cards) != len(pg.paths) {
		t.Errorf("the page has %d path cards, the pack %d paths", len(sh.Cards), len(pg.paths))
	}
	for _, c := range sh.Cards {
		if want := pg.paths[c.N]; c.Outcomes != want {
			t.Errorf("path %d is %q on the page and %q in the pack", c.N, c.Outcomes, want)
		}
		if c.Unknown && digit.MatchString(c.Chance) {
			t.Errorf("path %d: a chance resting on a placeholder shows a number: %q", c.N, c.Chance)
		}
	}
	for _, n := range sh.Nodes {
		if n.Unconfirmed && digit.MatchString(n.Name) {
			t.Errorf("chart node %q rests on a placeholder but shows a number", n.Name)
		}
	}
}

// checkAxe runs axe-core in the page and fails on any serious or critical
// violation.
func checkAxe(t *testing.T, ctx context.Context, axe string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;true")); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []string }
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.map(n => ({Target: n.target.map(String)}))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	version, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`))
	t.Logf("axe-core %s: %d violations", version, len(vs))
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " "))
		}
		msg := fmt.Sprintf("axe %s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(where, "; "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// checkAxeObjects checks that axe-core, as the tests load it, reports a
// page with a critical violation.
func checkAxeObjects(t *testing.T, browser context.Context, base *url.URL, pg browserPage, axe string) {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelT := context.WithTimeout(tab, 30*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(base.String()+"/"+pg.name+".html")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;true")); err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.filter(v => v.impact === "critical").map(v => v.id))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids, "image-alt") {
		t.Errorf("axe-core found %v on a page with an image without alt text, want image-alt: the accessibility check is not working", ids)
	}
}

// needChromium skips the test without Chromium, and fails it under CI.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is needed for the browser tests under CI: %v", err)
		}
		t.Skipf("no Chromium at %s; install the chromium package to run the browser tests", chromiumPath)
	}
}

// newBrowser starts headless Chromium for the test; it stops when the test
// ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
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
		chromedp.WindowSize(1100, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil { // start the browser
		t.Fatalf("start Chromium: %v", err)
	}
	return browser
}

// servePages serves the pages by name on a local test server.
func servePages(t *testing.T, pages map[string][]byte) *url.URL {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return base
}
