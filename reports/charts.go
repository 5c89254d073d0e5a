package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// chartFont is the font stack of chart text; it matches the page's and
// includes fonts with Arabic script.
const chartFont = `system-ui, "Liberation Sans", "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", Arial, sans-serif`

// extraOptions sets chart options go-echarts has no field for, just before
// the options are written out.
type extraOptions struct {
	charts.BaseConfigurationVisitor
	set func(o map[string]any)
}

func (v extraOptions) Visit(o map[string]any) { v.set(o) }

// round4 keeps chart coordinates short and stable in the page.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// digitsFormatter returns a JavaScript axis label formatter that writes
// whole numbers only (in the given digits, "0123456789" for Latin) and
// leaves the fractional ticks ECharts adds at the axis ends blank. Years on
// a value axis would otherwise read "2,025".
func digitsFormatter(digits, prefix string) types.FuncStr {
	if digits == "" {
		digits = "0123456789"
	}
	return opts.FuncOpts(fmt.Sprintf(`function (v) {
  var r = Math.round(v);
  if (Math.abs(v - r) > 1e-6) { return ''; }
  var d = '%s';
  return '%s' + String(r).replace(/[0-9]/g, function (c) { return d.charAt(+c); });
}`, digits, prefix))
}

// timelineKind is one kind of segment on a timeline: a legend entry.
type timelineKind struct {
	Name  string
	Color string
	Decal map[string]any // the pattern over the colour (standingDecal)
}

// timelineSegment is one stretch of a row, in axis units.
type timelineSegment struct {
	From, To float64
	Kind     int    // index into the spec's kinds
	Tip      string // tooltip text
}

// timelineMark is a point on a row, such as a deadline.
type timelineMark struct {
	At  float64
	Tip string
}

type timelineRow struct {
	Label    string
	Segments []timelineSegment
	Marks    []timelineMark
}

// axisSpan is a value axis's range and name.
type axisSpan struct {
	Min, Max float64
	Name     string
	Prefix   string // before each label, such as "age "; for an axis without a name
}

// timelineSpec describes a Gantt-like chart of paths: one row per path,
// coloured stretches by kind, and marks.
type timelineSpec struct {
	ID, Caption, Description string
	Kinds                    []timelineKind
	Rows                     []timelineRow
	X                        axisSpan  // bottom axis: the segments' units
	Top                      *axisSpan // optional second axis on top, aligned with X (e.g. age)
	MarkName                 string    // legend name of the marks
	Digits                   string    // digits for axis labels; "" for Latin
	FontSize                 int       // 13 when zero
	Font                     string    // font stack; chartFont when empty
	RightToLeft              bool      // the page reads right to left: the legend sits on the right
}

// renderRect draws a custom-series segment: a bar from value 1 to value 2
// on the row of value 0, clipped to the plot area.
const renderRect = `function (params, api) {
  var row = api.value(0);
  var a = api.coord([api.value(1), row]);
  var b = api.coord([api.value(2), row]);
  var h = api.size([0, 1])[1] * 0.56;
  var r = echarts.graphic.clipRectByRect(
    {x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 2), height: h},
    {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height});
  return r && {type: 'rect', shape: r, style: {fill: api.visual('color'), decal: api.visual('decal'), stroke: '#ffffff', lineWidth: 1}};
}`

// timelineItem is one data item of the custom series.
type timelineItem struct {
	Name  string    `json:"name"`
	Value []float64 `json:"value"`
}

func timelineChart(s timelineSpec) chartBlock {
	if !validChartID(s.ID) {
		panic("reports: bad chart ID " + s.ID)
	}
	labels := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		labels[i] = r.Label
	}
	// The legend lists one kind to a line, so it takes the same room at
	// any width: laid out in a row, it wrapped on a phone to more lines
	// than the room left for it, over the first path's bar.
	entries := len(s.Kinds)
	for _, r := range s.Rows {
		if len(r.Marks) > 0 {
			entries++ // the marks' entry
			break
		}
	}
	legendHeight := entries * (fontSize(s.FontSize) + 14)
	height := 120 + 42*len(s.Rows) + legendHeight
	if s.Top != nil {
		height += 30
	}
	c := charts.NewCustom()
	colors := make([]string, len(s.Kinds))
	for i, k := range s.Kinds {
		colors[i] = k.Color
	}
	colors = append(colors, okabeIto.Black)
	legendSide := "12"
	if s.RightToLeft {
		legendSide = "right"
	}
	top := 24 + legendHeight
	if s.Top != nil {
		top += 30
	}
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: s.ID, Width: "100%", Height: fmt.Sprintf("%dpx", height), Renderer: "svg",
			AssetsHost: "/", PageTitle: s.Caption,
		}),
		charts.WithColorsOpts(colors),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: s.Description}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(`function (p) { return p.marker + p.name; }`)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: legendSide, Orient: "vertical", TextStyle: &opts.TextStyle{FontSize: fontSize(s.FontSize)}}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "28", Top: strconv.Itoa(top), Bottom: "46", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), FontSize: fontSize(s.FontSize), Color: "#1a1a1a"}}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: s.X.Name, NameLocation: "middle", NameGap: 28,
			Min: round4(s.X.Min), Max: round4(s.X.Max),
			SplitLine: &opts.SplitLine{Show: opts.Bool(true)}, MinInterval: 1, MaxInterval: 1,
			AxisLabel: &opts.AxisLabel{Formatter: digitsFormatter(s.Digits, s.X.Prefix), HideOverlap: opts.Bool(true), FontSize: fontSize(s.FontSize), Color: "#333333"}}),
	)
	if s.Top != nil {
		c.ExtendXAxis(opts.XAxis{Type: "value", Position: "top", Name: s.Top.Name, NameLocation: "middle", NameGap: 26,
			Min: round4(s.Top.Min), Max: round4(s.Top.Max),
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}, MinInterval: 1, MaxInterval: 1,
			AxisLabel: &opts.AxisLabel{Formatter: digitsFormatter(s.Digits, s.Top.Prefix), HideOverlap: opts.Bool(true), FontSize: fontSize(s.FontSize), Color: "#333333"}})
	}
	for k, kind := range s.Kinds {
		var data []opts.CustomData
		for i, r := range s.Rows {
			for _, seg := range r.Segments {
				if seg.Kind != k {
					continue
				}
				data = append(data, opts.CustomData{Value: []float64{float64(i), round4(seg.From), round4(seg.To)}, Name: seg.Tip})
			}
		}
		if data == nil {
			data = []opts.CustomData{}
		}
		c.AddSeries(kind.Name, data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
			ss.RenderItem = opts.FuncOpts(renderRect)
			ss.Encode = &opts.Encode{X: []int{1, 2}, Y: 0}
		}))
	}
	decals := make([]map[string]any, len(s.Kinds))
	for i, k := range s.Kinds {
		decals[i] = k.Decal
	}
	var points []timelineItem
	for i, r := range s.Rows {
		for _, m := range r.Marks {
			points = append(points, timelineItem{Name: m.Tip, Value: []float64{round4(m.At), float64(i)}})
		}
	}
	c.Accept(extraOptions{set: func(o map[string]any) {
		o["textStyle"] = map[string]any{"fontFamily": fontOr(s.Font), "fontSize": fontSize(s.FontSize)}
		series := toAny(o["series"].(charts.MultiSeries))
		for i := range decals {
			if decals[i] != nil {
				ss := series[i].(charts.SingleSeries)
				series[i] = decalSeries{ss, map[string]any{"decal": decals[i]}}
			}
		}
		if len(points) > 0 {
			series = append(series, map[string]any{
				"type": "scatter", "name": s.MarkName, "symbol": "diamond", "symbolSize": 13,
				"z": 5, "itemStyle": map[string]any{"color": okabeIto.Black, "borderColor": "#ffffff", "borderWidth": 1},
				"data": points,
			})
		}
		o["series"] = series
	}})
	return snippet(s.ID, s.Caption, c)
}

func toAny(ms charts.MultiSeries) []any {
	out := make([]any, len(ms))
	for i, s := range ms {
		out[i] = s
	}
	return out
}

// decalSeries is a series with an item style go-echarts cannot express
// (a decal pattern); it marshals as the series with itemStyle added.
type decalSeries struct {
	charts.SingleSeries
	ItemStyle map[string]any `json:"itemStyle"`
}

// decalSeriesLayout is a Sankey series with its layout iterations set,
// which go-echarts has no field for.
type decalSeriesLayout struct {
	charts.SingleSeries
	LayoutIterations int `json:"layoutIterations"`
}

// fontOr returns the font stack given, or the default chart font.
func fontOr(f string) string {
	if f == "" {
		return chartFont
	}
	return f
}

// sankeyNode and sankeyLink are ECharts Sankey data. Nodes carry an id, so
// two nodes may show the same name; links use the ids. Values are chances,
// not money: they are float64 only here, at the chart.
type sankeyNode struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Value     float64         `json:"value,omitempty"`
	Depth     int             `json:"depth"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *nodeLabel      `json:"label,omitempty"`
	// Unconfirmed marks a node whose chance rests on a placeholder, so its
	// name gives none (ECharts ignores the field; the browser tests read it).
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// nodeLabel sets what go-echarts' Label lacks: line height and a white
// halo that keeps text readable over the flows.
type nodeLabel struct {
	FontSize        int    `json:"fontSize"`
	LineHeight      int    `json:"lineHeight"`
	TextBorderColor string `json:"textBorderColor"`
	TextBorderWidth int    `json:"textBorderWidth"`
	Width           int    `json:"width,omitempty"`    // wrap at this width
	Overflow        string `json:"overflow,omitempty"` // "break" to wrap
}

type sankeyLink struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
}

type sankeySpec struct {
	ID, Caption, Description string
	Nodes                    []sankeyNode
	Links                    []sankeyLink
	Columns                  int    // deepest depth + 1
	Rows                     int    // most nodes in one column
	FontSize                 int    // 13 when zero
	Font                     string // font stack; chartFont when empty
	// Mirror lays the tree out from right to left, for a right-to-left
	// page: the root on the right, so that the chart starts where the
	// reader starts, and a scroll box (which starts at the right on such a
	// page) shows the beginning first.
	Mirror bool
	// Column is the width in pixels given to each column's labels, which
	// wrap to it; 0 sizes the chart to the longest label instead.
	Column int
}

func sankeyChart(s sankeySpec) chartBlock {
	if !validChartID(s.ID) {
		panic("reports: bad chart ID " + s.ID)
	}
	height := max(260, 70+72*s.Rows)
	// Leave room beyond the last column for its labels.
	label := 0
	lines := 2
	for i, n := range s.Nodes {
		s.Nodes[i].Label = &nodeLabel{FontSize: fontSize(s.FontSize), LineHeight: fontSize(s.FontSize) + 5, TextBorderColor: "#ffffff", TextBorderWidth: 3}
		if s.Column > 0 {
			s.Nodes[i].Label.Width = s.Column
			s.Nodes[i].Label.Overflow = "break"
			chars := utf8.RuneCountInString(n.Name) * fontSize(s.FontSize) * 55 / 100
			lines = max(lines, 1+strings.Count(n.Name, "\n")+chars/s.Column)
		}
		if n.Depth == s.Columns-1 {
			for _, line := range strings.Split(n.Name, "\n") {
				label = max(label, utf8.RuneCountInString(line))
			}
		}
	}
	right := 24 + fontSize(s.FontSize)*label*55/100
	if s.Column > 0 {
		right = 24 + s.Column
		height = max(height, 70+s.Rows*(lines*(fontSize(s.FontSize)+5)+16))
	}
	if s.Mirror {
		// Children on the left of their parents: each node's column is
		// counted from the right, and each flow runs from the child to
		// its parent, so that ECharts draws it from left to right.
		for i := range s.Nodes {
			s.Nodes[i].Depth = s.Columns - 1 - s.Nodes[i].Depth
		}
		for i, l := range s.Links {
			s.Links[i].Source, s.Links[i].Target = l.Target, l.Source
		}
	}
	if s.Links == nil {
		s.Links = []sankeyLink{} // ECharts needs the key, even with no links
	}
	c := charts.NewSankey()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{
			ChartID: s.ID, Width: "100%", Height: fmt.Sprintf("%dpx", height), Renderer: "svg",
			AssetsHost: "/", PageTitle: s.Caption,
		}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: s.Description}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(`function (p) { return p.dataType === 'node' ? String(p.data.name).split(String.fromCharCode(10)).join(' · ') : ''; }`)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.AddSeries("paths", nil, nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Data = s.Nodes
		ss.Links = s.Links
		ss.NodeAlign = "left"
		ss.NodeGap = opts.Int(36)
		ss.NodeWidth = opts.Int(14)
		ss.Left = "8"
		ss.Top = "12"
		ss.Bottom = "26"
		ss.Right = fmt.Sprintf("%d", right)
		position, flow := "right", "target"
		if s.Mirror {
			ss.NodeAlign = "right"
			ss.Left, ss.Right = fmt.Sprintf("%d", right), "8"
			position, flow = "left", "source"
		}
		ss.Label = &opts.Label{Show: opts.Bool(true), Position: position, Color: "#1a1a1a",
			Formatter: string(opts.FuncOpts(`function (p) { return p.data.name; }`))}
		ss.LineStyle = &opts.LineStyle{Color: flow, Opacity: opts.Float(0.35), Curveness: 0.5}
		ss.Emphasis = &opts.Emphasis{Focus: "adjacency"}
	}))
	c.Accept(extraOptions{set: func(o map[string]any) {
		o["textStyle"] = map[string]any{"fontFamily": fontOr(s.Font), "fontSize": fontSize(s.FontSize)}
		if s.Column > 0 {
			// Keep each column in the order given (most likely first,
			// "other things" last) instead of reordering to cut crossings.
			series := toAny(o["series"].(charts.MultiSeries))
			series[0] = decalSeriesLayout{series[0].(charts.SingleSeries), 0}
			o["series"] = series
		}
	}})
	b := snippet(s.ID, s.Caption, c)
	// Each column needs room for its labels: narrower, and they overlap.
	b.MinWidth = s.Columns*fontSize(s.FontSize)*9 + right
	if s.Column > 0 {
		b.MinWidth = (s.Columns-1)*(s.Column+40) + right + 16
	}
	return b
}

// nodeStyle colours a Sankey node.
func nodeStyle(color string) *opts.ItemStyle {
	return &opts.ItemStyle{Color: color, BorderColor: color}
}

func fontSize(n int) int {
	if n == 0 {
		return 13
	}
	return n
}
