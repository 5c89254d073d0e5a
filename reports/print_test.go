package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A4 with the pages' @page margins (14 mm top and bottom, 12 mm left and
// right), in CSS pixels (96 to the inch, 25.4 mm to the inch).
const (
	printWidth  = (210 - 2*12) * 96 / 25.4 // 703 px
	printHeight = (297 - 2*14) * 96 / 25.4 // 1017 px
)

// needPoppler returns the path of a poppler-utils program, skipping the
// test without it (failing under CI).
func needPoppler(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (poppler-utils) is needed for the print tests under CI", name)
		}
		t.Skipf("no %s: install poppler-utils to run the print tests", name)
	}
	return path
}

// printedPage is a page to print, the cards that must not break across
// pages, and where the summary must end.
type printedPage struct {
	name     string
	write    func(*bytes.Buffer) error
	cards    string // CSS selector of the cards printed whole
	after    string // for a pack: the heading that starts right after the summary
	maxPages int    // 0: no limit
}

// TestPrintToPDF prints the review pack and the young person's page to PDF
// in headless Chromium, as a person would from the browser: the pack's
// summary takes at most two pages, and no path card is split across a
// page break (each has break-inside: avoid in print and fits on a page).
// It keeps the PDFs with -screenshots.
func TestPrintToPDF(t *testing.T) {
	needChromium(t)
	pdfinfo, pdftotext := needPoppler(t, "pdfinfo"), needPoppler(t, "pdftotext")

	before, later := laterReview(t)
	afg, traf := sample(t, "pending-afg"), sample(t, "trafficked-vnm")
	pages := []printedPage{
		{name: "pending-afg-review", cards: ".path-card:not(.rare)", after: "Goals and actions in the nine areas",
			write: func(b *bytes.Buffer) error { return WriteReviewPack(b, afg.c, afg.p, nil) }},
		{name: "pending-afg-later-review", cards: ".path-card:not(.rare)", after: "Goals and actions in the nine areas",
			write: func(b *bytes.Buffer) error {
				return WriteReviewPack(b, later.c, later.p, &ReviewPrevious{before.c, before.p})
			}},
		{name: "trafficked-vnm-review", cards: ".path-card:not(.rare)", after: "Goals and actions in the nine areas",
			write: func(b *bytes.Buffer) error { return WriteReviewPack(b, traf.c, traf.p, nil) }},
		// The young person's page prints its likely paths in full and the
		// others in a line each: a short handout.
		{name: "pending-afg-young-en", cards: ".paths.likely > li", maxPages: 6,
			write: func(b *bytes.Buffer) error { return WriteYoungPersonFor(b, afg.p, YoungOptionsFor(afg.c, "en")) }},
		{name: "pending-afg-young-ar", cards: ".paths.likely > li", maxPages: 6,
			write: func(b *bytes.Buffer) error { return WriteYoungPersonFor(b, afg.p, YoungOptionsFor(afg.c, "ar")) }},
		// Four likely paths (Vietnam's 2024 decisions), in a script that sets
		// longer than Latin.
		{name: "trafficked-vnm-young-ti", cards: ".paths.likely > li", maxPages: 8,
			write: func(b *bytes.Buffer) error { return WriteYoungPersonFor(b, traf.p, YoungOptionsFor(traf.c, "ti")) }},
	}
	served := map[string][]byte{}
	for _, pg := range pages {
		var b bytes.Buffer
		if err := pg.write(&b); err != nil {
			t.Fatal(err)
		}
		served[pg.name+".html"] = b.Bytes()
	}
	base := servePages(t, served)
	browser := newBrowser(t)
	dir := t.TempDir()

	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			tab, cancel := chromedp.NewContext(browser)
			defer cancel()
			ctx, cancelT := context.WithTimeout(tab, 60*time.Second)
			defer cancelT()
			if err := chromedp.Do(ctx, chromedp.Navigate(base.String()+"/"+pg.name+".html")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll(".chart-box svg").length > 0`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatalf("charts did not draw: %v", err)
			}
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatalf("print: %v", err)
			}
			path := filepath.Join(dir, pg.name+".pdf")
			if err := os.WriteFile(path, pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			if *screenshots != "" {
				if err := os.MkdirAll(*screenshots, 0o755); err == nil {
					_ = os.WriteFile(filepath.Join(*screenshots, pg.name+".pdf"), pdf, 0o644)
				}
			}

			n := pdfPages(t, pdfinfo, path)
			t.Logf("%s: %d pages", pg.name, n)
			if pg.maxPages > 0 && n > pg.maxPages {
				t.Errorf("prints on %d pages, want at most %d", n, pg.maxPages)
			}
			if pg.after != "" {
				texts := make([]string, n) // page i+1's text
				for i := range texts {
					texts[i] = pdfText(t, pdftotext, path, i+1)
				}
				// The summary ends where the next part starts on a new
				// page: that page is at most the third.
				at := 0
				for i := 0; i < n && at == 0; i++ {
					if strings.Contains(texts[i], pg.after) {
						at = i + 1
					}
				}
				switch {
				case at == 0:
					t.Errorf("no page has %q", pg.after)
				case at > 3:
					t.Errorf("the summary takes %d pages (%q starts on page %d), want at most 2", at-1, pg.after, at)
				}
				checkNoStrandedHeadings(t, ctx, texts)
			}
			checkCardsWhole(t, ctx, pg.cards)
		})
	}
}

// checkNoStrandedHeadings checks that no printed page ends with a heading
// or a chart's or table's caption, cut off from what it introduces (the
// pack's timeline once left its heading alone on a page).
func checkNoStrandedHeadings(t *testing.T, ctx context.Context, texts []string) {
	t.Helper()
	heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("h1, h2, h3, h4, figcaption, caption")].map(e => e.innerText.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	isHead := map[string]bool{}
	for _, h := range heads {
		isHead[strings.Join(strings.Fields(h), " ")] = true
	}
	for i, text := range texts[:len(texts)-1] { // the last page may end anyhow
		lines := strings.Split(strings.TrimSpace(text), "\n")
		last := strings.Join(strings.Fields(lines[len(lines)-1]), " ")
		if isHead[last] {
			t.Errorf("page %d ends with the heading or caption %q, apart from what it introduces", i+1, last)
		}
	}
}

// checkCardsWhole lays the page out as print does, A4 wide, and checks
// that every card has break-inside: avoid and fits on one page, so that
// print never splits it.
func checkCardsWhole(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(math.Floor(printWidth)), int64(math.Floor(printHeight))),
		func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return chromedp.Void{}, err
		},
	)
	if err != nil {
		t.Fatalf("print layout: %v", err)
	}
	type card struct {
		ID     string
		Break  string
		Height float64
	}
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]card](fmt.Sprintf(`[...document.querySelectorAll(%q)].map(el => ({
  ID: el.id, Break: getComputedStyle(el).breakInside, Height: el.getBoundingClientRect().height}))`, sel)))
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) == 0 {
		t.Fatalf("no card matches %s", sel)
	}
	for _, c := range cards {
		if c.Break != "avoid" {
			t.Errorf("%s: break-inside is %q in print, want avoid", c.ID, c.Break)
		}
		if c.Height > printHeight {
			t.Errorf("%s is %.0f px tall in print, more than a page (%.0f px): print would split it", c.ID, c.Height, printHeight)
		}
	}
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

func pdfPages(t *testing.T, pdfinfo, path string) int {
	t.Helper()
	out, err := exec.Command(pdfinfo, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count: %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func pdfText(t *testing.T, pdftotext, path string, page int) string {
	t.Helper()
	p := strconv.Itoa(page)
	out, err := exec.Command(pdftotext, "-f", p, "-l", p, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
