package reports

import (
	"embed"
	"html/template"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/render"

	"pathway/sim"
)

// echartsJS is Apache ECharts 5.4.3 (dist/echarts.min.js of its npm
// package), the version go-echarts v2.6.7 targets. Its licence and notice
// are beside it in assets/. Every HTML page carries it inline, so a page
// makes no request to any other host and works offline.
//
//go:embed assets/echarts.min.js
var echartsJS string

//go:embed templates/*.html
var templateFS embed.FS

// pageOptions change how a page is put together. The zero value is what
// users get.
type pageOptions struct {
	// scriptPlaceholder writes a short placeholder instead of the 1 MB
	// chart library, so golden files stay small. The page then draws no
	// charts; the browser tests check the real page.
	scriptPlaceholder bool
	// record, for a review pack, is what the adviser recorded at the review.
	record *ReviewRecord
}

// scriptPlaceholder stands in for the chart library in golden files.
const scriptPlaceholder = "<script>/* echarts.min.js 5.4.3 is inlined here */</script>"

// libraryScript returns the script element that carries the chart library.
func (o pageOptions) libraryScript() template.HTML {
	if o.scriptPlaceholder {
		return template.HTML(scriptPlaceholder)
	}
	return template.HTML("<script>" + guardScript(echartsJS) + "</script>")
}

var scriptEnd = regexp.MustCompile(`(?i)</(script)`)

// guardScript keeps text inside a <script> element from ending it early or
// opening an HTML comment: "</script" becomes "<\/script" and "<!--"
// becomes "<\!--", which mean the same in JavaScript strings.
func guardScript(js string) string {
	js = scriptEnd.ReplaceAllString(js, `<\/$1`)
	return strings.ReplaceAll(js, "<!--", `<\!--`)
}

// okabeIto is the Okabe–Ito palette, which stays distinct for the common
// kinds of colour blindness (Okabe and Ito, "Color Universal Design", 2008).
var okabeIto = struct {
	Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple, Grey, Black string
}{"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#000000"}

// chartBlock is one chart, ready to place in a page: its container element
// and the script that draws it.
type chartBlock struct {
	ID       string
	Caption  string
	Element  template.HTML
	Script   template.HTML
	MinWidth int // pixels below which the chart scrolls instead of squeezing; 0 for none
}

var scriptTag = regexp.MustCompile(`(?s)^\s*<script[^>]*>(.*)</script>\s*$`)

// snippet renders a go-echarts chart into a block for our own templates.
// The chart's ID must be fixed (letters, digits and _): it names the
// element and a JavaScript variable, and keeps the output byte-stable.
func snippet(id, caption string, r render.Renderer) chartBlock {
	s := r.RenderSnippet()
	body := s.Script
	if m := scriptTag.FindStringSubmatch(body); m != nil {
		body = m[1]
	}
	// The chart's container carries its accessible name (ECharts sets
	// aria-label on it): as an image, which a label may name.
	el := strings.Replace(s.Element, `<div class="item" id="`, `<div class="item" role="img" id="`, 1)
	return chartBlock{
		ID:      id,
		Caption: caption,
		Element: template.HTML(el),
		Script:  template.HTML("<script>" + guardScript(body) + "</script>"),
	}
}

// validChartID reports whether id is usable as a chart ID.
var validChartID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`).MatchString

// resizeScript redraws every chart at its container's width when the
// window changes size, and gives each SVG a viewBox, so that print (which
// does not redraw) scales the drawing to the page instead of cutting it.
const resizeScript = `<script>
(function () {
  var items = document.querySelectorAll(".chart-box .item");
  function fit(el) {
    var svg = el.querySelector("svg");
    if (svg && svg.getAttribute("width")) {
      svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
      svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    }
  }
  items.forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (c) { c.on("finished", function () { fit(el); }); }
    fit(el);
  });
  window.addEventListener("resize", function () {
    if (window.matchMedia && window.matchMedia("print").matches) { return; }
    items.forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) { c.resize(); }
    });
  });
})();
</script>`

// pageTemplates parses the shared page parts with one page's template.
func pageTemplates(name string, funcs template.FuncMap) (*template.Template, error) {
	t := template.New(name).Funcs(template.FuncMap{
		"resizeScript": func() template.HTML { return template.HTML(resizeScript) },
		"notes":        noteLinks,
		"csp":          cspMeta,
		"perspectiveName": func(pp sim.Perspective) string {
			if n, ok := perspectiveNames[pp]; ok {
				return n
			}
			return string(pp)
		},
	})
	if funcs != nil {
		t = t.Funcs(funcs)
	}
	return t.ParseFS(templateFS, "templates/base.html", "templates/"+name)
}
