// Package svgchart builds the lägesbild's charts as draw.Canvas values: the
// weekly series with its expected band and flagged weeks, small trend
// charts (sparklines) for the district indicators, and a bar chart. The
// same canvas is written as SVG for the page and drawn into the PDF.
//
// Meaning is never carried by colour alone: flagged weeks have their own
// symbol and their count written next to it, every chart has a legend in
// words, and each canvas has a text alternative (Desc) that says what the
// chart shows.
package svgchart

import (
	"math"
	"strings"

	"github.com/trygg-est/trygg/draw"
)

// Colours shared by the charts. Text and lines have at least 4.5:1
// contrast on white; the band is a light fill behind them.
const (
	ink       = "#1b1b1b" // text, axes
	grid      = "#d0d7de"
	countLine = "#1d4f80" // the counts
	band      = "#dbe7f3" // the expected range
	bound     = "#4d6a87" // its upper edge
	alarm     = "#b00020" // flagged weeks: also a triangle and the count in bold
	barFill   = "#4d88c2"
)

// Options are the texts of a chart.
type Options struct {
	// ID prefixes the ids in the SVG; unique on a page.
	ID string
	// Title names the chart; Desc, when set, replaces the generated text
	// alternative.
	Title, Desc string
}

// listDesc is a text alternative that lists n values, "label: text; …",
// each from item; with none, "Inga värden.".
func listDesc(n int, item func(i int) (label, text string)) string {
	if n == 0 {
		return "Inga värden."
	}
	parts := make([]string, n)
	for i := range n {
		label, text := item(i)
		parts[i] = label + ": " + text
	}
	return strings.Join(parts, "; ") + "."
}

// niceStep returns a round step (1, 2 or 5 times a power of ten) that
// divides 0..top into at most about maxTicks steps.
func niceStep(top float64, maxTicks int) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / float64(maxTicks)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// axisTop rounds top up to a whole number of steps, at least one.
func axisTop(top float64, step float64) float64 {
	return max(step, math.Ceil(top/step)*step)
}

// yAxis draws horizontal grid lines with their values at the left of the
// plot, from y0 (value 0) up to the top.
func yAxis(left, right, y0, height, top, step float64, size float64, decimals int) []draw.Item {
	var items []draw.Item
	for v := 0.0; v <= top+step/2; v += step {
		y := y0 - v/top*height
		items = append(items,
			draw.Path{Subpaths: [][]draw.Point{{{X: left, Y: y}, {X: right, Y: y}}}, Style: draw.Style{Stroke: grid}},
			draw.Text{X: left - 6, Y: y + size*0.35, Text: draw.Decimal(v, decimals), Size: size, Anchor: draw.End, Style: draw.Style{Fill: ink}})
	}
	return items
}

// line is a helper for a straight stroke.
func line(x1, y1, x2, y2 float64, s draw.Style) draw.Path {
	return draw.Path{Subpaths: [][]draw.Point{{{X: x1, Y: y1}, {X: x2, Y: y2}}}, Style: s}
}
