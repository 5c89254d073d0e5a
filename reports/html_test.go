package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pathway/scenarios"
	"pathway/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/reports")

const goldenDir = "../testdata/golden/reports"

// samplePlan is one embedded sample case with its plan.
type samplePlan struct {
	name string // file name without .toml
	c    sim.Case
	p    *sim.Plan
}

func planCase(t *testing.T, name string, data []byte) samplePlan {
	t.Helper()
	c, err := scenarios.ParseCase(bytes.NewReader(data), name, sim.Date{})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	p, err := sim.NewPlan(c, scenarios.DefaultPolicy(), c.ReviewDate)
	if err != nil {
		t.Fatalf("plan %s: %v", name, err)
	}
	return samplePlan{strings.TrimSuffix(name, ".toml"), c, p}
}

func samplePlans(t *testing.T) []samplePlan {
	t.Helper()
	var out []samplePlan
	for _, s := range scenarios.Samples() {
		out = append(out, planCase(t, s.Name, s.Data))
	}
	if len(out) == 0 {
		t.Fatal("no embedded sample cases")
	}
	return out
}

func sample(t *testing.T, name string) samplePlan {
	t.Helper()
	for _, s := range scenarios.Samples() {
		if s.Name == name+".toml" {
			return planCase(t, s.Name, s.Data)
		}
	}
	t.Fatalf("no sample %s", name)
	return samplePlan{}
}

// laterReview is the pending-afg sample six months on: the claim was
// decided on 1 Sep 2025 with UASC leave. With the sample as the previous
// review it gives "Changed since the last review" something to say.
func laterReview(t *testing.T) (samplePlan, samplePlan) {
	t.Helper()
	before := sample(t, "pending-afg")
	var data []byte
	for _, s := range scenarios.Samples() {
		if s.Name == "pending-afg.toml" {
			data = s.Data
		}
	}
	src := string(data)
	for _, r := range [][2]string{
		{"review_date = 2025-06-01", "review_date = 2025-12-01"},
		{`status = "pending"`, `status = "uasc_leave"` + "\ndecision_date = 2025-09-01"},
		{"expected_decision = 2025-09-01\n", ""},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("pending-afg sample has no %q: update laterReview", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	// The outcome probabilities were the solicitor's view of the first
	// decision; drop them for the extension.
	if i := strings.Index(src, "[asylum.outcome_probabilities]"); i >= 0 {
		src = src[:i]
	}
	return before, planCase(t, "pending-afg-later.toml", []byte(src))
}

// golden compares got with the golden file, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		out := filepath.Join(t.TempDir(), name+".got")
		_ = os.WriteFile(out, got, 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (diff them, and run with -update if the change is right)", name, out)
	}
}

// renderTwice runs a writer twice and checks the output is byte-identical.
func renderTwice(t *testing.T, what string, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var a, b bytes.Buffer
	if err := write(&a); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := write(&b); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s: two renders differ", what)
	}
	return a.Bytes()
}

// small renders pages with a placeholder for the chart library.
var small = pageOptions{scriptPlaceholder: true}

func TestReviewPackGolden(t *testing.T) {
	for _, s := range samplePlans(t) {
		t.Run(s.name, func(t *testing.T) {
			html := renderTwice(t, "review pack", func(b *bytes.Buffer) error { return writeReviewPack(b, s.c, s.p, nil, small) })
			golden(t, s.name+".review.html", html)
			md := renderTwice(t, "markdown", func(b *bytes.Buffer) error { return WriteReviewPackMarkdown(b, s.c, s.p, nil) })
			golden(t, s.name+".review.md", md)
		})
	}
}

func TestReviewPackChangesGolden(t *testing.T) {
	before, now := laterReview(t)
	prev := &ReviewPrevious{Case: before.c, Plan: before.p}
	html := renderTwice(t, "review pack", func(b *bytes.Buffer) error { return writeReviewPack(b, now.c, now.p, prev, small) })
	golden(t, "pending-afg-later.review.html", html)
	md := renderTwice(t, "markdown", func(b *bytes.Buffer) error { return WriteReviewPackMarkdown(b, now.c, now.p, prev) })
	golden(t, "pending-afg-later.review.md", md)

	for _, want := range []string{"Changed since the last review", "Asylum claim pending", "UASC leave (decided 1 Sep 2025)"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("review pack with a previous review has no %q", want)
		}
	}
	// Without a previous review there is no such section.
	var b bytes.Buffer
	if err := writeReviewPack(&b, now.c, now.p, nil, small); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Changed since the last review") {
		t.Error("review pack without a previous review has a changes section")
	}
}

func TestYoungPersonGolden(t *testing.T) {
	for _, s := range samplePlans(t) {
		t.Run(s.name, func(t *testing.T) {
			html := renderTwice(t, "young person", func(b *bytes.Buffer) error { return writeYoungPerson(b, s.p, YoungOptionsFor(s.c, "en"), small) })
			golden(t, s.name+".young-en.html", html)
		})
	}
	s := sample(t, "pending-afg")
	for _, lang := range Languages() {
		if lang == "en" {
			continue
		}
		t.Run(s.name+"/"+lang, func(t *testing.T) {
			html := renderTwice(t, "young person", func(b *bytes.Buffer) error { return writeYoungPerson(b, s.p, YoungOptionsFor(s.c, lang), small) })
			golden(t, s.name+".young-"+lang+".html", html)
		})
	}
}

// externalRef finds a src or href that points at another host.
var externalRef = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?\s*(https?:)?//`)

func TestPagesCarryTheChartLibrary(t *testing.T) {
	s := sample(t, "pending-afg")
	pages := map[string]func(*bytes.Buffer) error{
		"review pack":  func(b *bytes.Buffer) error { return WriteReviewPack(b, s.c, s.p, nil) },
		"young person": func(b *bytes.Buffer) error { return WriteYoungPerson(b, s.p, "ar") },
	}
	for name, write := range pages {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page := b.String()
		if !strings.Contains(page, "<script>"+guardScript(echartsJS)+"</script>") {
			t.Errorf("%s: the chart library is not inlined", name)
		}
		if strings.Contains(page, scriptPlaceholder) {
			t.Errorf("%s: has the golden-file placeholder instead of the library", name)
		}
		if m := externalRef.FindString(page); m != "" {
			t.Errorf("%s: refers to another host: %q", name, m)
		}
		if !strings.Contains(page, `<link rel="icon" href="data:,">`) {
			t.Errorf("%s: no empty favicon link (the browser would request one)", name)
		}
		if n := len(echartsJS); n < 900_000 {
			t.Errorf("embedded echarts.min.js is %d bytes: not the real library", n)
		}
	}
}

func TestGuardScript(t *testing.T) {
	tests := []struct{ in, want string }{
		{`var a = "</script>";`, `var a = "<\/script>";`},
		{`x("</SCRIPT ")`, `x("<\/SCRIPT ")`},
		{`s = "<!-- x"`, `s = "<\!-- x"`},
		{`a < b && c > d`, `a < b && c > d`},
	}
	for _, tt := range tests {
		if got := guardScript(tt.in); got != tt.want {
			t.Errorf("guardScript(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChartIDsAreFixed(t *testing.T) {
	s := sample(t, "pending-afg")
	var b bytes.Buffer
	if err := writeReviewPack(&b, s.c, s.p, nil, small); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"review_timeline", "review_tree"} {
		if !strings.Contains(b.String(), `id="`+id+`"`) {
			t.Errorf("review pack has no chart with ID %s", id)
		}
	}
	if strings.Contains(b.String(), "go-echarts") {
		t.Error("review pack names go-echarts' default page title or assets host")
	}
}

func TestYoungPersonPrivacy(t *testing.T) {
	const src = `id = "YP-7731"
name = "Amira Testname"
date_of_birth = 2008-02-29
nationality = "ERI"
review_date = 2025-06-01

[care]
looked_after_since = 2023-07-19
placement = "supported_lodgings"

[asylum]
claim_date = 2023-07-24
status = "pending"
expected_decision = 2025-10-14

[return]
departure = 2026-01-05
[return.budget]
cash = "500.00"
education = "1234.56"
`
	s := planCase(t, "amira.toml", []byte(src))
	forbidden := []string{
		"Amira", "Testname",
		"2008-02-29", "29 Feb 2008", "29/02/2008", "Feb 2008",
		"supported_lodgings", "supported lodgings", "Supported lodgings",
		"2023-07-19", "19 Jul 2023",
		"£", "1234.56", "1,234.56", "GBP", "gbp",
		"YP-7731",
	}
	for _, lang := range Languages() {
		var b bytes.Buffer
		if err := writeYoungPerson(&b, s.p, YoungOptions{Lang: lang}, small); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		page := b.String()
		for _, f := range forbidden {
			if strings.Contains(page, f) {
				t.Errorf("young person page (%s) contains %q", lang, f)
			}
		}
	}
	// The adviser's pack, by contrast, does name them.
	var b bytes.Buffer
	if err := writeReviewPack(&b, s.c, s.p, nil, small); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Amira Testname", "29 Feb 2008", "supported lodgings"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("review pack does not show %q", want)
		}
	}
}

func TestReviewPackSections(t *testing.T) {
	tests := []struct {
		sample string
		want   []string
		not    []string
	}{
		{"pending-afg", []string{"Goals for the nine pathway plan areas", "Health and development", "Safety and risk",
			"The immigration case and legal advice", "Probability tree", "Authority net cost by path"}, []string{"Protection: trafficked"}},
		{"trafficked-vnm", []string{"Protection: trafficked young person", "photograph on file", "Follow the protection plan below"}, nil},
		{"are-irn", []string{"Voluntary return: reintegration budget", "The budget laid out in the case file", "Within the cap"}, nil},
		{"settled-afg", []string{"Long-term (if leave is granted)"}, []string{"Voluntary return: reintegration budget"}},
	}
	for _, tt := range tests {
		s := sample(t, tt.sample)
		var b bytes.Buffer
		if err := writeReviewPack(&b, s.c, s.p, nil, small); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s review pack: no %q", tt.sample, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(b.String(), w) {
				t.Errorf("%s review pack: has %q", tt.sample, w)
			}
		}
	}
}

func TestReviewPackFootnotesUnconfirmed(t *testing.T) {
	s := sample(t, "are-irn")
	u := s.p.Unconfirmed()
	if len(u) == 0 {
		t.Skip("the policy has no unconfirmed values")
	}
	var b bytes.Buffer
	if err := writeReviewPack(&b, s.c, s.p, nil, small); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for i, v := range u {
		if !strings.Contains(page, `id="note-`+strconv.Itoa(i+1)+`"`) || !strings.Contains(page, "<code>"+v.Key+"</code>") {
			t.Errorf("unconfirmed value %s has no footnote", v.Key)
		}
	}
	if !strings.Contains(page, `<sup class="note"`) {
		t.Error("no figure or chance is marked with a footnote")
	}
}
