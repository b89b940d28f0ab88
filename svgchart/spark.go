package svgchart

import "github.com/trygg-est/trygg/draw"

// SparkPoint is one value of a small trend chart, e.g. a year's rate.
type SparkPoint struct {
	Label string // "2025"
	Value float64
	Text  string // the value as shown, "1,4"
}

// Sizes of a sparkline in canvas units: drawn about 200 pixels wide.
const (
	sparkWidth  = 200
	sparkHeight = 64
	sparkSize   = 13
	sparkPad    = 6
)

// Sparkline draws a small line of values with a dot on each, the first and
// last label under the ends and the last value in bold beside its dot.
// Its text alternative lists every value.
func Sparkline(points []SparkPoint, opts Options) *draw.Canvas {
	c := &draw.Canvas{Width: sparkWidth, Height: sparkHeight, ID: opts.ID, Class: "chart sparkline", Title: opts.Title, Desc: opts.Desc}
	if c.Desc == "" {
		c.Desc = listDesc(len(points), func(i int) (string, string) { return points[i].Label, points[i].Text })
	}
	if len(points) == 0 {
		return c
	}
	top := 0.0
	for _, p := range points {
		top = max(top, p.Value)
	}
	if top <= 0 {
		top = 1
	}
	lastText := points[len(points)-1].Text
	right := sparkWidth - sparkPad - draw.TextWidth(lastText, sparkSize) - 4
	left := float64(sparkPad)
	bottom := float64(sparkHeight - sparkSize - 6)
	height := bottom - sparkPad
	dx := 0.0
	if len(points) > 1 {
		dx = (right - left) / float64(len(points)-1)
	}
	var pts []draw.Point
	for i, p := range points {
		pts = append(pts, draw.Point{X: left + dx*float64(i), Y: bottom - max(0, p.Value)/top*height})
	}
	c.Add(line(left, bottom, right, bottom, draw.Style{Stroke: grid}))
	c.Add(draw.Path{Subpaths: [][]draw.Point{pts}, Style: draw.Style{Stroke: countLine, StrokeWidth: 2}})
	for i, p := range points {
		c.Add(draw.Circle{CX: pts[i].X, CY: pts[i].Y, R: 3, Title: p.Label + ": " + p.Text, Style: draw.Style{Fill: countLine}})
	}
	last := pts[len(pts)-1]
	c.Add(draw.Text{X: last.X + 6, Y: last.Y + sparkSize*0.35, Text: lastText, Size: sparkSize, Bold: true, Style: draw.Style{Fill: ink}})
	c.Add(draw.Text{X: left, Y: sparkHeight - 4, Text: points[0].Label, Size: sparkSize, Style: draw.Style{Fill: ink}})
	if len(points) > 1 {
		c.Add(draw.Text{X: right, Y: sparkHeight - 4, Text: points[len(points)-1].Label, Size: sparkSize, Anchor: draw.End, Style: draw.Style{Fill: ink}})
	}
	return c
}
