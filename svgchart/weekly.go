package svgchart

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
)

// WeekPoint is one week of the weekly chart.
type WeekPoint struct {
	Year, Week int // ISO year and week
	Count      int
	// HasBound says whether the week has an upper bound; Bound is the
	// largest count that is not unusual.
	HasBound bool
	Bound    float64
	Alarm    bool
}

// Sizes of the weekly chart in canvas units. 440 units shrink to about
// 330 pixels on a phone, so 16-unit text is about 12 pixels there.
const (
	weeklyWidth  = 440
	weeklyHeight = 330
	weeklySize   = 16
	plotLeft     = 44
	plotRight    = weeklyWidth - 10
	plotTop      = 84 // room for the legend
	plotBottom   = weeklyHeight - 44
)

// Weekly draws weekly counts as a line with a dot per week, the expected
// range (0 up to the upper bound) as a shaded band edged by a dashed line,
// and flagged weeks as red triangles with their count in bold beside them.
// The x axis names ISO weeks ("v. 47"), with the year under week 1 and
// under the first week. method names the detection method for the legend.
func Weekly(points []WeekPoint, method string, opts Options) *draw.Canvas {
	c := &draw.Canvas{Width: weeklyWidth, Height: weeklyHeight, ID: opts.ID, Class: "chart weekly-chart",
		Title: opts.Title, Desc: opts.Desc}
	if c.Desc == "" {
		c.Desc = weeklyDesc(points, method)
	}
	top := 0.0
	for _, p := range points {
		top = max(top, float64(p.Count))
		if p.HasBound {
			top = max(top, p.Bound)
		}
	}
	step := niceStep(top, 5)
	top = axisTop(top, step)
	height := float64(plotBottom - plotTop)
	n := len(points)
	dx := float64(plotRight-plotLeft) / float64(max(n, 1))
	x := func(i int) float64 { return plotLeft + dx*(float64(i)+0.5) }
	y := func(v float64) float64 { return plotBottom - max(0, v)/top*height }

	c.Add(weeklyLegend(method)...)
	c.Add(yAxis(plotLeft, plotRight, plotBottom, height, top, step, weeklySize, 0)...)

	// The band, one polygon per run of weeks with a bound.
	var bandItems, boundLines []draw.Item
	for i := 0; i < n; {
		if !points[i].HasBound {
			i++
			continue
		}
		j := i
		var upper []draw.Point
		for ; j < n && points[j].HasBound; j++ {
			upper = append(upper, draw.Point{X: x(j) - dx/2, Y: y(points[j].Bound)}, draw.Point{X: x(j) + dx/2, Y: y(points[j].Bound)})
		}
		poly := append([]draw.Point{{X: x(i) - dx/2, Y: plotBottom}}, upper...)
		poly = append(poly, draw.Point{X: x(j-1) + dx/2, Y: plotBottom})
		bandItems = append(bandItems, draw.Path{Subpaths: [][]draw.Point{poly}, Closed: true, Style: draw.Style{Fill: band, Class: "band"}})
		boundLines = append(boundLines, draw.Path{Subpaths: [][]draw.Point{upper}, Style: draw.Style{Stroke: bound, StrokeWidth: 1.5, Dash: []float64{5, 3}, Class: "bound"}})
		i = j
	}
	c.Add(bandItems...)
	c.Add(boundLines...)
	c.Add(line(plotLeft, plotBottom, plotRight, plotBottom, draw.Style{Stroke: ink}))

	// The x axis: a tick every week, a label where it fits.
	every := int(math.Ceil(draw.TextWidth("v. 52", weeklySize) * 1.3 / dx))
	every = max(every, 1)
	for i, p := range points {
		c.Add(line(x(i), plotBottom, x(i), plotBottom+4, draw.Style{Stroke: ink}))
		if (n-1-i)%every != 0 { // always label the last week
			continue
		}
		c.Add(draw.Text{X: x(i), Y: plotBottom + 4 + weeklySize, Text: "v. " + strconv.Itoa(p.Week), Size: weeklySize, Anchor: draw.Middle, Style: draw.Style{Fill: ink}})
		if i < every || p.Week <= every {
			c.Add(draw.Text{X: x(i), Y: plotBottom + 6 + 2*weeklySize, Text: strconv.Itoa(p.Year), Size: weeklySize, Anchor: draw.Middle, Style: draw.Style{Fill: ink}})
		}
	}

	// The counts.
	var pts []draw.Point
	for i, p := range points {
		pts = append(pts, draw.Point{X: x(i), Y: y(float64(p.Count))})
	}
	if n > 0 {
		c.Add(draw.Path{Subpaths: [][]draw.Point{pts}, Style: draw.Style{Stroke: countLine, StrokeWidth: 2, Class: "counts"}})
	}
	for i, p := range points {
		tip := weekSentence(p)
		if p.Alarm {
			cx, cy := x(i), y(float64(p.Count))
			c.Add(
				draw.Path{Subpaths: [][]draw.Point{triangle(cx, cy, 7)}, Closed: true, Title: tip,
					Style: draw.Style{Fill: alarm, Stroke: "#ffffff", Class: "alarm"}},
				draw.Text{X: cx, Y: cy - 10, Text: strconv.Itoa(p.Count), Size: weeklySize, Anchor: draw.Middle, Bold: true, Style: draw.Style{Fill: alarm}})
			continue
		}
		c.Add(draw.Circle{CX: x(i), CY: y(float64(p.Count)), R: 2.5, Title: tip, Style: draw.Style{Fill: countLine}})
	}
	return c
}

// triangle returns an upward triangle centred on (x, y).
func triangle(x, y, r float64) []draw.Point {
	return []draw.Point{{X: x, Y: y - r}, {X: x + r, Y: y + r*0.7}, {X: x - r, Y: y + r*0.7}}
}

// weeklyLegend explains the three marks in words, one to a row above
// the plot.
func weeklyLegend(method string) []draw.Item {
	flagged := "Flaggad vecka: ovanligt många"
	if method != "" {
		flagged += " (" + method + ")"
	}
	text := func(y float64, s string) draw.Text {
		return draw.Text{X: plotLeft + 30, Y: y, Text: s, Size: weeklySize, Style: draw.Style{Fill: ink}}
	}
	return []draw.Item{
		line(plotLeft, 13, plotLeft+22, 13, draw.Style{Stroke: countLine, StrokeWidth: 2}),
		text(18, "Rapporter per vecka"),
		draw.Rect{X: plotLeft, Y: 28, W: 22, H: 12, Style: draw.Style{Fill: band}},
		line(plotLeft, 28, plotLeft+22, 28, draw.Style{Stroke: bound, StrokeWidth: 1.5, Dash: []float64{5, 3}}),
		text(40, "Förväntat, upp till övre gränsen"),
		draw.Path{Subpaths: [][]draw.Point{triangle(plotLeft+11, 57, 7)}, Closed: true, Style: draw.Style{Fill: alarm}},
		text(62, flagged),
	}
}

// weekSentence describes one week in words, for its tooltip.
func weekSentence(p WeekPoint) string {
	s := fmt.Sprintf("Vecka %d %d: %s", p.Week, p.Year, trygg.ReportsText(p.Count))
	if p.HasBound {
		s += ", förväntat högst " + strconv.Itoa(trygg.ExpectedAtMost(p.Bound))
	}
	if p.Alarm {
		s += " – flaggad"
	}
	return s
}

// weeklyDesc is the chart's text alternative: the span, the total, the
// largest week and the flagged weeks.
func weeklyDesc(points []WeekPoint, method string) string {
	if len(points) == 0 {
		return "Inga veckor att visa."
	}
	first, last := points[0], points[len(points)-1]
	total, peak := 0, 0
	var flagged []string
	for i, p := range points {
		total += p.Count
		if p.Count > points[peak].Count {
			peak = i
		}
		if p.Alarm {
			flagged = append(flagged, fmt.Sprintf("vecka %d %d (%s)", p.Week, p.Year, trygg.ReportsText(p.Count)))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Rapporter per vecka från vecka %d %d till vecka %d %d, sammanlagt %s. Flest vecka %d %d: %s. ",
		first.Week, first.Year, last.Week, last.Year, trygg.ReportsText(total), points[peak].Week, points[peak].Year, trygg.ReportsText(points[peak].Count))
	switch {
	case len(flagged) == 0:
		b.WriteString("Ingen vecka är flaggad")
	default:
		b.WriteString("Flaggade veckor: " + strings.Join(flagged, ", "))
	}
	if method != "" {
		b.WriteString(" (" + method + ")")
	}
	b.WriteString(".")
	return b.String()
}
