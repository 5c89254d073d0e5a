package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

// A name written to mislead: a remote image, a link, emphasis, a heading's
// closing hashes, a table column, HTML and an entity.
const trickyName = "![x](http://evil.example/t.png) [Amir](http://evil.example) *bold* _it_ ~~s~~ `c` {a} a|b <img src=x> &#91; #"

// The Markdown pack escapes every metacharacter in data: the name and the
// policy name show as written, and become no link, image or markup.
func TestMarkdownEscapesData(t *testing.T) {
	s := sample(t, "pending-afg")
	c, p := s.c, *s.p
	c.Name = trickyName
	p.Policy = "england+local](http://evil.example) *x*"
	var b bytes.Buffer
	if err := WriteReviewPackMarkdown(&b, c, &p, nil); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	wantName := `\!\[x\]\(http\://evil.example/t.png\) \[Amir\]\(http\://evil.example\) \*bold\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \{a\} a\|b &lt;img src=x&gt; &amp;\#91; \#`
	if !strings.Contains(md, "# Pathway plan review pack: "+wantName+` \(YP-0001\)`+"\n") {
		t.Errorf("the title does not escape the name:\n%.400s", md)
	}
	if !strings.Contains(md, "- **Name:** "+wantName+"\n") {
		t.Errorf("the status list does not escape the name")
	}
	if !strings.Contains(md, `the policy “england+local\]\(http\://evil.example\) \*x\*”`) {
		t.Errorf("the footer does not escape the policy name:\n%s", md[strings.LastIndex(md, "---"):])
	}
	// No unescaped metacharacter from the data is left anywhere.
	for _, raw := range []string{"![", "[Amir]", "x](", "*bold*", "_it_", "<img", "&#91;", "~~s"} {
		if strings.Contains(md, raw) {
			t.Errorf("the pack holds %q unescaped", raw)
		}
	}
}

func TestMDText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Amir", "Amir"},
		{"1,234.56", "1,234.56"},
		{"- not a list", `\- not a list`},
		{"+ not a list", `\+ not a list`},
		{"1. not a list", `1\. not a list`},
		{"12) not a list", `12\) not a list`},
		{"a - b. c", "a - b. c"},
		{"0.9%", "0.9%"},
		{"-12.00", "-12.00"},
		{"back\\slash", `back\\slash`},
		{"two\nlines\r\nthree\rfour", "two lines three four"},
		{"a|b", `a\|b`},
		{"(see) [x]", `\(see\) \[x\]`},
		{"https://evil.example", `https\://evil.example`},
		{"see WWW.evil.example or www.x.org", `see WWW\.evil.example or www\.x.org`},
		{"lowww.x", "lowww.x"},
		{"a@evil.example", `a\@evil.example`},
		{"10:30", "10:30"},
	} {
		if got := mdText(tc.in); got != tc.want {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The adviser's page shows the name in its heading, but its <title>, shown
// in tab bars, window lists and history, carries only the pseudonymous id.
func TestReviewTitleHasNoName(t *testing.T) {
	s := sample(t, "pending-afg")
	c := s.c
	c.Name = "Zarmina Testcase"
	var b bytes.Buffer
	if err := WriteReviewPack(&b, c, s.p, nil); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	title := regexp.MustCompile(`<title>(.*?)</title>`).FindStringSubmatch(page)
	if title == nil || title[1] != "Pathway plan review pack: YP-0001" {
		t.Errorf("<title> is %q, want the id and no name", title)
	}
	if !strings.Contains(page, "<h1>Pathway plan review pack: Zarmina Testcase (YP-0001)</h1>") {
		t.Error("the heading lost the name")
	}
}

// Every page has a Content-Security-Policy that loads nothing, runs only
// the page's own scripts (each named by its hash) and allows no inline
// script by any other means.
func TestPagesHaveContentSecurityPolicy(t *testing.T) {
	s := sample(t, "trafficked-vnm")
	forecast, input := testForecast(t)
	pages := map[string]func(*bytes.Buffer) error{
		"review":    func(b *bytes.Buffer) error { return WriteReviewPack(b, s.c, s.p, nil) },
		"young":     func(b *bytes.Buffer) error { return WriteYoungPerson(b, s.p, "ar") },
		"dashboard": func(b *bytes.Buffer) error { return WriteFinanceDashboard(b, forecast, input) },
	}
	meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	for name, write := range pages {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		m := meta.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no Content-Security-Policy meta element", name)
			continue
		}
		if strings.Index(page, m[0]) > strings.Index(page, "<script") {
			t.Errorf("%s: the policy comes after a script", name)
		}
		policy := strings.ReplaceAll(m[1], "&#39;", "'")
		for _, want := range []string{"default-src 'none';", "style-src 'unsafe-inline';", "img-src data:;", "base-uri 'none';", "form-action 'none'"} {
			if !strings.Contains(policy, want) {
				t.Errorf("%s: the policy lacks %q: %s", name, want, policy)
			}
		}
		script := regexp.MustCompile(`script-src ([^;]*);`).FindStringSubmatch(policy)
		if script == nil || strings.Contains(script[1], "unsafe") || strings.Contains(script[1], "*") {
			t.Errorf("%s: script-src %q, want hashes only", name, script)
			continue
		}
		scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
		if len(scripts) < 2 {
			t.Errorf("%s: %d scripts, want the library and the charts'", name, len(scripts))
		}
		for _, sc := range scripts {
			text := strings.ReplaceAll(strings.ReplaceAll(sc[1], "\r\n", "\n"), "\r", "\n")
			sum := sha256.Sum256([]byte(text))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(script[1], h) {
				t.Errorf("%s: the script starting %.40q is not in the policy", name, sc[1])
			}
		}
		if strings.Count(page, "<script") != len(scripts) {
			t.Errorf("%s: a script element with attributes, which the policy does not name", name)
		}
	}
}
