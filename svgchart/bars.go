package svgchart

import "github.com/trygg-est/trygg/draw"

// Bar is one bar of a bar chart.
type Bar struct {
	Label string  // what the bar counts, "Hot och våld"
	Value float64 // its length; 0 draws no bar
	Text  string  // the value as shown, "12" or disclose.WithheldText
	Href  string  // optional link
}

// Sizes of a bar chart in canvas units: 400 units shrink to about 330
// pixels on a phone.
const (
	barsWidth = 400
	barsSize  = 15
	barsRow   = 46 // label line and bar
	barsBar   = 16
	barsPad   = 4
)

// Bars draws horizontal bars, each with its label above it and its value
// written after it, so that it reads on a narrow screen and without
// colour. Its text alternative lists every bar.
func Bars(bars []Bar, opts Options) *draw.Canvas {
	c := &draw.Canvas{Width: barsWidth, Height: float64(max(1, len(bars))*barsRow + barsPad), ID: opts.ID, Class: "chart bar-chart",
		Title: opts.Title, Desc: opts.Desc}
	if c.Desc == "" {
		c.Desc = listDesc(len(bars), func(i int) (string, string) { return bars[i].Label, bars[i].Text })
	}
	top := 0.0
	for _, b := range bars {
		top = max(top, b.Value)
	}
	longest := 0.0
	for _, b := range bars {
		longest = max(longest, draw.TextWidth(b.Text, barsSize))
	}
	room := barsWidth - 2*barsPad - longest - 8
	for i, b := range bars {
		y := float64(barsPad + i*barsRow)
		w := 0.0
		if top > 0 {
			w = max(0, b.Value) / top * room
		}
		items := []draw.Item{
			draw.Text{X: barsPad, Y: y + barsSize, Text: b.Label, Size: barsSize, Style: draw.Style{Fill: ink}},
			draw.Rect{X: barsPad, Y: y + barsSize + 6, W: w, H: barsBar, Style: draw.Style{Fill: barFill}},
			draw.Text{X: barsPad + w + 6, Y: y + barsSize + 6 + barsBar*0.8, Text: b.Text, Size: barsSize, Bold: true, Style: draw.Style{Fill: ink}},
		}
		c.Add(draw.Group{Items: items, Title: b.Label + ": " + b.Text, Href: b.Href, Class: "bar"})
	}
	return c
}
