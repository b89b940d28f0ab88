package lagesbild

import (
	"context"
	"fmt"

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

// indicators counts each indicator per district and ISO year (the weeks
// 1–52 or 53 of the year, as all of the lägesbild counts in weeks), for up
// to indicatorYears years up to the one that holds end: years that the
// data does not cover from their first week are left out. The indicators are
// the same whatever the filter: they are the districts' standing profile.
func indicators(ctx context.Context, counts trygg.CountService, areas []*trygg.Area, end trygg.Day) ([]DistrictProfile, []int, bool, error) {
	endYear, _ := end.ISOWeek()
	partial := end < trygg.ISOWeekMonday(endYear+1, 1)-1
	var cats []string
	byCat := map[string]int{} // category → indicator index
	for i, d := range Indicators {
		for _, c := range d.Categories {
			byCat[c] = i
			cats = append(cats, c)
		}
	}
	years := make([]int, indicatorYears)
	for k := range years {
		years[k] = endYear - indicatorYears + 1 + k
	}
	first := trygg.ISOWeekMonday(years[0], 1)
	cube, err := counts.CountWeeks(ctx, trygg.CountFilter{From: first, To: end, Categories: cats})
	if err != nil {
		return nil, nil, false, err
	}
	// Years before the first report are no data, not zeros: the picture
	// starts at the first ISO year whose first week the data covers.
	firstWeek := cube.Weeks // index of the first week with a report
	for _, s := range cube.Series {
		firstWeek = min(firstWeek, firstReport(s.Counts))
	}
	if firstWeek == cube.Weeks {
		firstWeek = 0 // no report at all: every year, all zeros
	}
	for len(years) > 1 && trygg.ISOWeekMonday(years[0], 1) < cube.FirstMonday+trygg.Day(7*firstWeek) {
		years = years[1:]
	}
	// per[area][indicator][year]
	per := map[string][][]int{}
	for _, s := range cube.Series {
		if per[s.Area] == nil {
			per[s.Area] = make([][]int, len(Indicators))
			for i := range per[s.Area] {
				per[s.Area][i] = make([]int, len(years))
			}
		}
		for w, n := range s.Counts {
			y, _ := (cube.FirstMonday + trygg.Day(7*w)).ISOWeek()
			if k := y - years[0]; n > 0 && k >= 0 && k < len(years) {
				per[s.Area][byCat[s.Category]][k] += n
			}
		}
	}
	out := make([]DistrictProfile, 0, len(areas))
	for _, a := range areas {
		d := DistrictProfile{Code: a.Code, Name: a.Name, Population: a.Population}
		for i, def := range Indicators {
			v := IndicatorValue{Code: def.Code, Label: def.Label, Counts: make([]int, len(years))}
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
