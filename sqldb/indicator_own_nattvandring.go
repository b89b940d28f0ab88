package sqldb

import (
	"context"
	"math"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/nattvandring"
)

// nightwalkIndicators: the night walks per year, per district and for the
// whole municipality: the volunteer hours walked (from the filed logs, a
// walk's minutes split between its districts as the groups' statistics
// split them), the walks held, and the share of weekend nights with a
// held walk (nattvandring.WeekendShares; for the municipality a night
// walked in any district, nattvandring.WeekendShareAny). They are
// aggregates without names, read with the operator's rights. Their
// readers are outside the groups, so the walks go through disclose: a
// count of 1 to 4 walks leaves its year and area without a value, and so
// do the hours of those walks and a share whose walked nights are 1 to 4
// (each would give the number of walks away). From the year of the first
// held walk every year has a value or is withheld.
func nightwalkIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	hours := ownSeriesOf("nattvandring_timmar", "Nattvandring: frivilligas timmar", "timmar per år")
	walks := ownSeriesOf("nattvandring_pass", "Nattvandring: genomförda nattvandringar", "nattvandringar per år")
	weekends := ownSeriesOf("nattvandring_helgnatter", "Nattvandring: andel helgnätter (fredag och lördag) med nattvandring", "procent")
	weekends.Kind, weekends.Polarity = indikator.KindMeasure, indikator.HigherIsBetter
	each := func(value func(nightwalkCell) (float64, bool)) func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
		return func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			cells, err := s.nightwalkYears(ctx)
			var out []indikator.Value
			for _, c := range cells {
				if v, ok := value(c); ok {
					out = append(out, indikator.Value{Area: c.area, Year: c.year, Value: v})
				}
			}
			return out, err
		}
	}
	return []ownSeries{
		{Series: hours, values: each(func(c nightwalkCell) (float64, bool) {
			return math.Round(float64(c.minutes)/6) / 10, !disclose.Withheld(c.walks)
		})},
		{Series: walks, values: each(func(c nightwalkCell) (float64, bool) {
			return float64(c.walks), !disclose.Withheld(c.walks)
		})},
		{Series: weekends, values: each(func(c nightwalkCell) (float64, bool) {
			return float64(c.weekend.Percent()), c.weekend.Nights > 0 && !disclose.Withheld(c.weekend.Walked)
		})},
	}, nil
}

// nightwalkCell is one area's night walks in one year.
type nightwalkCell struct {
	area           string
	year           int
	walks, minutes int
	weekend        nattvandring.WeekendShare
}

// nightwalkYears reads the held walks of the own years and sums them per
// year, for every district of a group or walked in, and for the whole
// municipality, from the year of the first held walk up to this year.
func (s *IndicatorService) nightwalkYears(ctx context.Context) ([]nightwalkCell, error) {
	years := s.ownYears()
	first, last := years[0], years[len(years)-1]
	today := trygg.DayOf(s.db.Now())
	rows, err := walkRowsOf(ctx, s.db.read, false, trygg.DateDay(first, 1, 1), today, "")
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	districts, err := queryColumn[string](ctx, s.db.read, "SELECT DISTINCT area_code FROM nattvandring_group_districts")
	if err != nil {
		return nil, err
	}
	start := last
	for _, r := range rows {
		y, _, _ := r.Date.Date()
		start = min(start, y)
		districts = append(districts, r.Districts...)
	}
	slices.Sort(districts)
	districts = slices.Compact(districts)

	type key struct {
		area string
		year int
	}
	sums := map[key]*nightwalkCell{}
	for _, m := range nattvandring.MonthStats(rows) {
		y, _, _ := m.Month.Date()
		k := key{m.District, y}
		if sums[k] == nil {
			sums[k] = &nightwalkCell{}
		}
		sums[k].walks += m.Walks
		sums[k].minutes += m.Minutes
	}
	for _, r := range rows {
		y, _, _ := r.Date.Date()
		k := key{indikator.WholeMunicipality, y}
		if sums[k] == nil {
			sums[k] = &nightwalkCell{}
		}
		sums[k].walks++
		sums[k].minutes += r.Minutes
	}
	var out []nightwalkCell
	for y := start; y <= last; y++ {
		from, to := trygg.DateDay(y, 1, 1), min(today, trygg.DateDay(y, 12, 31))
		cell := func(area string, weekend nattvandring.WeekendShare) nightwalkCell {
			c := nightwalkCell{area: area, year: y, weekend: weekend}
			if n := sums[key{area, y}]; n != nil {
				c.walks, c.minutes = n.walks, n.minutes
			}
			return c
		}
		out = append(out, cell(indikator.WholeMunicipality, nattvandring.WeekendShareAny(rows, districts, from, to)))
		for _, w := range nattvandring.WeekendShares(rows, districts, from, to) {
			out = append(out, cell(w.District, w))
		}
	}
	return out, nil
}
