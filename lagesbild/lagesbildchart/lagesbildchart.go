// Package lagesbildchart draws a lagesbild.Picture: the districts' map, the
// weekly series and the districts' trend charts. The lägesbild page, the
// weekly report and its PDF all draw with it, so that a picture looks the
// same wherever it is shown; lagesbild itself only computes.
package lagesbildchart

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/svgchart"
	"github.com/trygg-est/trygg/svgmap"
)

// Map draws the choropleth of p's districts: by count, or with rates by
// reports per 1,000 residents (districts without a population are then
// grey, and say so in their label and the legend). href gives each
// district's link; nil draws none (e.g. on paper). id prefixes the SVG ids.
func Map(p *lagesbild.Picture, rates bool, id string, href func(code string) string) *draw.Canvas {
	values := make([]float64, len(p.Areas))
	for i, a := range p.Areas {
		values[i] = float64(a.Count)
		if rates {
			values[i] = a.Per1000
		}
	}
	classes, entries := svgmap.Classify(values, !rates, 1)
	regions := make([]svgmap.Region, len(p.Areas))
	var parts []string
	noData := false
	for i, a := range p.Areas {
		label := a.Name + ", " + areaValueText(a, rates)
		if rates && !a.HasRate {
			classes[i], noData = svgmap.NoData, true
		}
		regions[i] = svgmap.Region{Code: a.Code, Name: a.Name, Geometry: a.Geometry, Fill: classes[i], Label: label}
		if href != nil {
			regions[i].Href = href(a.Code)
		}
		if a.Selected {
			parts = append(parts, label)
		}
	}
	if noData {
		entries = append(entries, svgmap.LegendEntry{Fill: svgmap.NoDataFill, Label: "okänt invånarantal"})
	}
	legend := svgmap.Legend{Title: "Rapporter", Entries: entries}
	title := "Karta: rapporter per område, " + p.Filter.Period.Label
	if rates {
		legend.Title = "Rapporter per 1 000 invånare"
		title = "Karta: rapporter per 1 000 invånare, " + p.Filter.Period.Label
	}
	desc := "Mörkare område betyder fler rapporter. " + strings.Join(parts, "; ") + "."
	return svgmap.Choropleth(regions, legend, svgmap.Options{ID: id, Title: title, Desc: desc,
		Fit: svgmap.Central(regions), LabelSize: svgmap.PhoneLabelSize})
}

// areaValueText says an area's value in words: "12 rapporter" or "2,4
// per 1 000 invånare" ("okänt invånarantal" without a population).
func areaValueText(a lagesbild.AreaValue, rates bool) string {
	if !rates {
		return trygg.ReportsText(a.Count)
	}
	if !a.HasRate {
		return "okänt invånarantal"
	}
	return draw.Decimal(a.Per1000, 1) + " per 1 000 invånare"
}

// Weekly draws p's weekly series with its expected band and flagged weeks.
// id prefixes the SVG ids.
func Weekly(p *lagesbild.Picture, id string) *draw.Canvas {
	pts := make([]svgchart.WeekPoint, len(p.Series.Weeks))
	for i, w := range p.Series.Weeks {
		pts[i] = svgchart.WeekPoint{Year: w.Year, Week: w.Week, Count: w.Count, HasBound: w.HasBound, Bound: w.UpperBound, Alarm: w.Alarm}
	}
	return svgchart.Weekly(pts, p.Series.MethodLabel, svgchart.Options{ID: id, Title: "Rapporter per vecka i urvalet"})
}

// ReportFigures are the map and the chart of a weekly report, the same
// drawings on the page and in the PDF. The map's districts link nowhere:
// the report is a document.
func ReportFigures(p *lagesbild.Picture) (mapCanvas, chart *draw.Canvas) {
	return Map(p, false, "veckokarta", nil), Weekly(p, "veckoserie")
}

// Sparklines draws one small trend chart per indicator of the district d
// of p, of rates per 1,000 residents (of counts when the population is
// unknown). id prefixes the SVG ids.
func Sparklines(p *lagesbild.Picture, d lagesbild.DistrictProfile, id string) []*draw.Canvas {
	out := make([]*draw.Canvas, len(d.Indicators))
	for i, ind := range d.Indicators {
		pts := make([]svgchart.SparkPoint, len(p.IndicatorYears))
		for k, y := range p.IndicatorYears {
			label := strconv.Itoa(y)
			if p.IndicatorPartial && k == len(p.IndicatorYears)-1 {
				label += " hittills"
			}
			pts[k] = svgchart.SparkPoint{Label: label, Value: float64(ind.Counts[k]), Text: strconv.Itoa(ind.Counts[k])}
			if len(ind.Rates) > k {
				pts[k].Value, pts[k].Text = ind.Rates[k], draw.Decimal(ind.Rates[k], 1)
			}
		}
		unit := "rapporter per år"
		if len(ind.Rates) > 0 {
			unit = "per 1 000 invånare och år"
		}
		out[i] = svgchart.Sparkline(pts, svgchart.Options{ID: fmt.Sprintf("%s-%s", id, ind.Code),
			Title: fmt.Sprintf("%s i %s, %s", ind.Label, d.Name, unit)})
	}
	return out
}
