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
	dir    string // the html element's dir
	charts int    // how many charts the page draws
	write  func(*bytes.Buffer) error
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

	afg := sample(t, "pending-afg")
	before, later := laterReview(t)
	var pages []browserPage
	for _, name := range []string{"pending-afg", "trafficked-vnm", "are-irn", "settled-afg"} {
		s := sample(t, name)
		pages = append(pages, browserPage{name + "-review", "ltr", 2, func(b *bytes.Buffer) error { return WriteReviewPack(b, s.c, s.p, nil) }})
	}
	pages = append(pages, browserPage{"pending-afg-later-review", "ltr", 2, func(b *bytes.Buffer) error {
		return WriteReviewPack(b, later.c, later.p, &ReviewPrevious{before.c, before.p})
	}})
	for _, lang := range Languages() {
		dir := "rtl"
		if lang == "en" {
			dir = "ltr"
		}
		pages = append(pages, browserPage{"pending-afg-young-" + lang, dir, 2, func(b *bytes.Buffer) error { return WriteYoungPerson(b, afg.p, lang) }})
	}
	for _, name := range []string{"settled-afg", "are-irn"} {
		s := sample(t, name)
		pages = append(pages, browserPage{name + "-young-en", "ltr", 2, func(b *bytes.Buffer) error { return WriteYoungPerson(b, s.p, "en") }})
	}
	forecast, input := testForecast(t)
	pages = append(pages, browserPage{"forecast-dashboard", "ltr", 8, func(b *bytes.Buffer) error { return WriteFinanceDashboard(b, forecast, input) }})
	// A comparison with arrivals: the comparison and arrivals charts too.
	cmp := testComparison(t)
	pages = append(pages, browserPage{"forecast-comparison", "ltr", 10, func(b *bytes.Buffer) error { return WriteComparisonDashboard(b, cmp) }})

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
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil { // start the browser
		t.Fatalf("start Chromium: %v", err)
	}

	shots := t.TempDir()
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			checkPage(t, browser, base, pg, shots)
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

func checkPage(t *testing.T, browser context.Context, base *url.URL, pg browserPage, shots string) {
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
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
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

	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.problems {
		t.Errorf("%s", p)
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
