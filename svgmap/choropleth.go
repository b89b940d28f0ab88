package svgmap

import (
	"math"

	"github.com/trygg-est/trygg/draw"
)

// Legend explains a choropleth's classes. It is drawn below the map.
type Legend struct {
	Title   string
	Entries []LegendEntry
}

// LegendEntry is one class: its fill and what it means ("1–4").
type LegendEntry struct {
	Fill  string
	Label string
}

// Classify sorts values into the classes "level-0" (zero or less) to
// "level-4" by equal steps of the largest value, and returns each value's
// class and the legend entries of the classes that can hold a value. With
// whole numbers the classes are whole-number ranges; otherwise labels have
// decimals decimals (Swedish comma).
func Classify(values []float64, whole bool, decimals int) ([]string, []LegendEntry) {
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	steps := len(Palette) - 1
	upper := make([]float64, steps+1) // upper[k]: largest value of level k
	for k := 1; k <= steps; k++ {
		upper[k] = top * float64(k) / float64(steps)
		if whole {
			upper[k] = math.Floor(upper[k])
		}
	}
	level := func(v float64) int {
		if v <= 0 {
			return 0
		}
		for k := 1; k < steps; k++ {
			if v <= upper[k] {
				return k
			}
		}
		return steps
	}
	classes := make([]string, len(values))
	for i, v := range values {
		classes[i] = levelClass(level(v))
	}
	legend := []LegendEntry{{Fill: Palette[0], Label: "0"}}
	for k := 1; k <= steps && top > 0; k++ {
		lo, hi := upper[k-1], upper[k]
		var label string
		switch {
		case whole && hi < lo+1:
			continue // no whole number falls in this step
		case whole && hi == lo+1:
			label = draw.Decimal(hi, 0)
		case whole:
			label = draw.Decimal(lo+1, 0) + "–" + draw.Decimal(hi, 0)
		case k == 1:
			label = "över 0 – " + draw.Decimal(hi, decimals)
		default:
			label = "över " + draw.Decimal(lo, decimals) + " – " + draw.Decimal(hi, decimals)
		}
		legend = append(legend, LegendEntry{Fill: Palette[k], Label: label})
	}
	return classes, legend
}

func levelClass(k int) string { return "level-" + string(rune('0'+k)) }

// legendSize is the font size of the legend in map units: the 600 units
// wide map is about 330 pixels on a phone, so 20 units are 11 pixels.
const legendSize = 20

// Choropleth draws the map as Draw does, with the regions' Fill classes
// from Classify, and the legend below it.
func Choropleth(regions []Region, legend Legend, opts Options) *draw.Canvas {
	c, bottom := Draw(regions, opts)
	row := legendSize * 1.5
	x := 8.0
	y := bottom + row
	items := []draw.Item{draw.Text{X: x, Y: y, Text: legend.Title, Size: legendSize, Bold: true, Style: draw.Style{Fill: "#1b1b1b"}}}
	for _, e := range legend.Entries {
		y += row
		items = append(items,
			draw.Rect{X: x, Y: y - legendSize, W: legendSize * 1.5, H: legendSize, Style: draw.Style{Fill: e.Fill, Stroke: Outline}},
			draw.Text{X: x + legendSize*2, Y: y - legendSize*0.15, Text: e.Label, Size: legendSize, Style: draw.Style{Fill: "#1b1b1b"}})
	}
	c.Add(draw.Group{Class: "legend", Items: items})
	c.Height = y + row/2
	return c
}
