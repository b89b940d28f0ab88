package svgchart

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/indikator"
)

// Sizes of the peer chart, as the weekly chart's: 440 units wide.
const (
	peerWidth  = 440
	peerHeight = 330
	peerSize   = 16
	peerLeft   = 58
	peerRight  = peerWidth - 12
	peerTop    = 84
	peerBottom = peerHeight - 28
	medianLine = "#6b4c00" // the peers' median: dashed, 7:1 on white
)

// Peer draws an indicator for one municipality (homeName) against its peer
// group, year by year: the interquartile band of the peers as a shaded
// area, their median as a dashed line, and the municipality as a solid line
// with a dot per year. Meaning is never carried by colour alone: the lines
// differ in dash, the legend says each in words, and the text alternative
// states the latest year, the rank and the change over five years.
// decimals is how many decimals the values are shown with.
func Peer(c indikator.Comparison, homeName string, decimals int, opts Options) *draw.Canvas {
	cv := &draw.Canvas{Width: peerWidth, Height: peerHeight, ID: opts.ID, Class: "chart peer-chart", Title: opts.Title, Desc: opts.Desc}
	if cv.Desc == "" {
		cv.Desc = PeerDesc(c, homeName, decimals)
	}
	years := c.Years
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range years {
		if y.HasHome {
			lo, hi = min(lo, y.Home), max(hi, y.Home)
		}
		if y.Peers > 0 {
			lo, hi = min(lo, y.Q1, y.Median), max(hi, y.Q3, y.Median)
		}
	}
	if len(years) == 0 || math.IsInf(lo, 0) {
		cv.Add(draw.Text{X: peerWidth / 2, Y: peerHeight / 2, Text: "Inga värden att visa.", Size: peerSize, Anchor: draw.Middle, Style: draw.Style{Fill: ink}})
		return cv
	}
	lo = min(lo, 0) // counts and most measures read from zero
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep(hi-lo, 5)
	bottom := math.Floor(lo/step) * step
	top := math.Ceil(hi/step) * step
	if top <= bottom {
		top = bottom + step
	}
	height := float64(peerBottom - peerTop)
	n := len(years)
	dx := float64(peerRight-peerLeft) / float64(max(n, 1))
	x := func(i int) float64 { return peerLeft + dx*(float64(i)+0.5) }
	y := func(v float64) float64 { return peerBottom - (v-bottom)/(top-bottom)*height }
	axisDecimals := 0
	if step < 1 {
		axisDecimals = int(math.Ceil(-math.Log10(step)))
	}

	// The legend.
	text := func(ty float64, s string) draw.Text {
		return draw.Text{X: peerLeft + 30, Y: ty, Text: s, Size: peerSize, Style: draw.Style{Fill: ink}}
	}
	cv.Add(
		line(peerLeft, 13, peerLeft+22, 13, draw.Style{Stroke: countLine, StrokeWidth: 2.5}),
		text(18, homeName),
		line(peerLeft, 35, peerLeft+22, 35, draw.Style{Stroke: medianLine, StrokeWidth: 2, Dash: []float64{6, 3}}),
		text(40, "Jämförelsegruppens median"),
		draw.Rect{X: peerLeft, Y: 52, W: 22, H: 12, Style: draw.Style{Fill: band}},
		text(62, "Mittersta hälften av gruppen (kvartilerna)"),
	)
	// The grid and the y axis.
	for v := bottom; v <= top+step/2; v += step {
		gy := y(v)
		cv.Add(line(peerLeft, gy, peerRight, gy, draw.Style{Stroke: grid}),
			draw.Text{X: peerLeft - 6, Y: gy + peerSize*0.35, Text: draw.Decimal(v, axisDecimals), Size: peerSize, Anchor: draw.End, Style: draw.Style{Fill: ink}})
	}
	// The band, one polygon per run of years with peers.
	for i := 0; i < n; {
		if years[i].Peers == 0 {
			i++
			continue
		}
		j := i
		var upper, lower []draw.Point
		for ; j < n && years[j].Peers > 0; j++ {
			upper = append(upper, draw.Point{X: x(j), Y: y(years[j].Q3)})
			lower = append([]draw.Point{{X: x(j), Y: y(years[j].Q1)}}, lower...)
		}
		if len(upper) == 1 { // one year: a bar of the band's width
			upper = []draw.Point{{X: x(i) - dx/4, Y: upper[0].Y}, {X: x(i) + dx/4, Y: upper[0].Y}}
			lower = []draw.Point{{X: x(i) + dx/4, Y: lower[0].Y}, {X: x(i) - dx/4, Y: lower[0].Y}}
		}
		cv.Add(draw.Path{Subpaths: [][]draw.Point{append(upper, lower...)}, Closed: true, Style: draw.Style{Fill: band, Class: "band"}})
		var med []draw.Point
		for k := i; k < j; k++ {
			med = append(med, draw.Point{X: x(k), Y: y(years[k].Median)})
		}
		if len(med) > 1 {
			cv.Add(draw.Path{Subpaths: [][]draw.Point{med}, Style: draw.Style{Stroke: medianLine, StrokeWidth: 2, Dash: []float64{6, 3}, Class: "median"}})
		}
		for k := i; k < j; k++ {
			cv.Add(draw.Rect{X: x(k) - 3, Y: y(years[k].Median) - 3, W: 6, H: 6, Title: fmt.Sprintf("%d: median %s", years[k].Year, draw.Decimal(years[k].Median, decimals)),
				Style: draw.Style{Fill: medianLine}})
		}
		i = j
	}
	cv.Add(line(peerLeft, peerBottom, peerRight, peerBottom, draw.Style{Stroke: ink}))
	// The x axis: a label where it fits, always the last year.
	every := max(1, int(math.Ceil(draw.TextWidth("2024", peerSize)*1.4/dx)))
	for i, yr := range years {
		cv.Add(line(x(i), peerBottom, x(i), peerBottom+4, draw.Style{Stroke: ink}))
		if (n-1-i)%every == 0 {
			cv.Add(draw.Text{X: x(i), Y: peerBottom + 4 + peerSize, Text: strconv.Itoa(yr.Year), Size: peerSize, Anchor: draw.Middle, Style: draw.Style{Fill: ink}})
		}
	}
	// The municipality, one line per run of years with a value.
	var run []draw.Point
	flush := func() {
		if len(run) > 1 {
			cv.Add(draw.Path{Subpaths: [][]draw.Point{run}, Style: draw.Style{Stroke: countLine, StrokeWidth: 2.5, Class: "home"}})
		}
		run = nil
	}
	for i, yr := range years {
		if !yr.HasHome {
			flush()
			continue
		}
		run = append(run, draw.Point{X: x(i), Y: y(yr.Home)})
	}
	flush()
	for i, yr := range years {
		if yr.HasHome {
			cv.Add(draw.Circle{CX: x(i), CY: y(yr.Home), R: 3.5, Title: fmt.Sprintf("%d: %s %s", yr.Year, homeName, draw.Decimal(yr.Home, decimals)),
				Style: draw.Style{Fill: countLine}})
		}
	}
	return cv
}

// PeerDesc is the peer chart's text alternative in Swedish.
func PeerDesc(c indikator.Comparison, homeName string, decimals int) string {
	if c.Latest == 0 {
		return homeName + " har inga värden i serien."
	}
	var b strings.Builder
	var last indikator.YearStats
	for _, y := range c.Years {
		if y.Year == c.Latest {
			last = y
		}
	}
	fmt.Fprintf(&b, "%s %d: %s.", homeName, c.Latest, draw.Decimal(last.Home, decimals))
	if last.Peers > 0 {
		fmt.Fprintf(&b, " Jämförelsegruppens median %s, mittersta hälften %s till %s (%d kommuner).", draw.Decimal(last.Median, decimals),
			draw.Decimal(last.Q1, decimals), draw.Decimal(last.Q3, decimals), last.Peers)
		fmt.Fprintf(&b, " Plats %d av %d.", c.Rank, c.RankOf)
	}
	if c.Change5 != nil {
		fmt.Fprintf(&b, " Förändring sedan %d: %s", c.Change5.FromYear, signed(c.Change5.Diff, decimals))
		if c.Change5.HasPercent {
			fmt.Fprintf(&b, " (%s %%)", signed(c.Change5.Percent, 0))
		}
		b.WriteString(".")
	}
	return b.String()
}

// signed writes a change with its sign: "+3,2", "−1".
func signed(v float64, decimals int) string {
	s := draw.Decimal(math.Abs(v), decimals)
	switch {
	case v > 0 && s != draw.Decimal(0, decimals):
		return "+" + s
	case v < 0 && s != draw.Decimal(0, decimals):
		return "−" + s
	}
	return s
}
