package lagesbild

import (
	"context"
	"fmt"
	"time"

	"github.com/trygg-est/trygg"
)

// IndicatorDef is one of the district indicators, in the spirit of the
// police's criteria for utsatta områden, and the categories (codes of the
// default taxonomy) whose reports it counts.
type IndicatorDef struct {
	Code       string
	Label      string
	Categories []string
}

// Indicators lists the district indicators in display order.
var Indicators = []IndicatorDef{
	{"vald", "Våld", []string{"vald", "ran", "skottlossning"}},
	{"hot", "Hot", []string{"hot_personal", "vittnespaverkan"}},
	{"narkotika", "Narkotikaförsäljning", []string{"narkotika_forsaljning"}},
	{"brand", "Anlagd brand", []string{"anlagd_brand", "fordonsbrand"}},
	{"social_oro", "Social oro", []string{"social_oro"}},
}

// indicators counts each indicator per district and calendar year, for the
// indicatorYears years up to the one that holds end. The indicators are
// the same whatever the filter: they are the districts' standing profile.
func indicators(ctx context.Context, counts trygg.CountService, areas []*trygg.Area, end trygg.Day) ([]DistrictProfile, []int, bool, error) {
	endYear, _, _ := end.Date()
	partial := end != trygg.DateDay(endYear, time.December, 31)
	var cats []string
	byCat := map[string]int{} // category → indicator index
	for i, d := range Indicators {
		for _, c := range d.Categories {
			byCat[c] = i
			cats = append(cats, c)
		}
	}
	years := make([]int, indicatorYears)
	// per[area][indicator][year]
	per := map[string][][]int{}
	for k := range years {
		y := endYear - indicatorYears + 1 + k
		years[k] = y
		to := min(end, trygg.DateDay(y, time.December, 31))
		cells, err := counts.CountCells(ctx, trygg.CountFilter{From: trygg.DateDay(y, time.January, 1), To: to, Categories: cats})
		if err != nil {
			return nil, nil, false, err
		}
		for _, c := range cells {
			if per[c.Area] == nil {
				per[c.Area] = make([][]int, len(Indicators))
				for i := range per[c.Area] {
					per[c.Area][i] = make([]int, indicatorYears)
				}
			}
			per[c.Area][byCat[c.Category]][k] += c.Count
		}
	}
	out := make([]DistrictProfile, 0, len(areas))
	for _, a := range areas {
		d := DistrictProfile{Code: a.Code, Name: a.Name, Population: a.Population}
		for i, def := range Indicators {
			v := IndicatorValue{Code: def.Code, Label: def.Label, Counts: make([]int, indicatorYears)}
			if per[a.Code] != nil {
				copy(v.Counts, per[a.Code][i])
			}
			if a.Population > 0 {
				for _, n := range v.Counts {
					v.Rates = append(v.Rates, Rate(n, a.Population))
				}
			}
			v.Trend, v.TrendText = trend(v.Counts, years, partial)
			d.Indicators = append(d.Indicators, v)
		}
		out = append(out, d)
	}
	return out, years, partial, nil
}

// trend compares the last full year with the one before it.
func trend(counts, years []int, partial bool) (string, string) {
	last := len(counts) - 1
	if partial {
		last--
	}
	if last < 1 {
		return "oförändrad", "För få hela år för att visa en trend."
	}
	a, b := counts[last-1], counts[last]
	span := fmt.Sprintf("%d–%d", years[last-1], years[last])
	switch {
	case b > a:
		return "upp", fmt.Sprintf("Ökade från %d till %d rapporter (%s).", a, b, span)
	case b < a:
		return "ned", fmt.Sprintf("Minskade från %d till %d rapporter (%s).", a, b, span)
	}
	return "oförändrad", fmt.Sprintf("Oförändrat %d rapporter (%s).", a, span)
}
