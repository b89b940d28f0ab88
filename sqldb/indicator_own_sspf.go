package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/sspf"
)

// sspfIndicators: the SSPF cases per year for the whole municipality: the
// cases opened (referred), the share with a complete consent and the
// median days from referral to active. Each year is sspf.ComputeStats over
// the cases referred that year, published as the committee's statistics
// are (disclose): a withheld count or share, and a median over fewer than
// five cases, leave the year without a value. They are read with the
// operator's rights from the register's plain statistics columns, never a
// sealed one. From the year of the first case every year has a value or
// is withheld; a year without cases has no share and no median.
func sspfIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	opened := ownSeriesOf("sspf_arenden", "SSPF: öppnade ärenden", "ärenden per år")
	consent := ownSeriesOf("sspf_samtycke", "SSPF: andel ärenden med fullständigt samtycke", "procent")
	consent.Kind, consent.Polarity = indikator.KindMeasure, indikator.HigherIsBetter
	days := ownSeriesOf("sspf_dagar_till_aktiv", "SSPF: mediantid från orosanmälan till aktivt ärende", "dagar (median)")
	days.Kind, days.Polarity = indikator.KindMeasure, indikator.LowerIsBetter
	each := func(value func(*sspf.Stats) (float64, bool)) func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
		return func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			years, err := s.sspfYears(ctx)
			var out []indikator.Value
			for y, st := range years {
				if v, ok := value(st); ok {
					out = append(out, indikator.Value{Area: indikator.WholeMunicipality, Year: y, Value: v})
				}
			}
			return out, err
		}
	}
	return []ownSeries{
		{Series: opened, values: each(func(st *sspf.Stats) (float64, bool) {
			return float64(st.Total.Count), !st.Total.Suppressed
		})},
		{Series: consent, values: each(func(st *sspf.Stats) (float64, bool) {
			return float64(st.Consent.Percent()), !st.Consent.Suppressed && st.Consent.Whole > 0
		})},
		{Series: days, values: each(func(st *sspf.Stats) (float64, bool) {
			return float64(st.MedianDaysToActive), st.MedianDaysToActive >= 0
		})},
	}, nil
}

// sspfYears computes the statistics of the cases referred in each own
// year, from the year of the first case up to this one.
func (s *IndicatorService) sspfYears(ctx context.Context) (map[int]*sspf.Stats, error) {
	rows, err := sspfStatsRows(ctx, s.db.read)
	if err != nil {
		return nil, err
	}
	years := s.ownYears()
	first, last := years[0], years[len(years)-1]
	byYear := map[int][]sspf.StatsRow{}
	start := last + 1
	for _, r := range rows {
		if y, _, _ := r.ReferredOn.Date(); y >= first && y <= last {
			byYear[y] = append(byYear[y], r)
			start = min(start, y)
		}
	}
	today := trygg.DayOf(s.db.Now())
	out := map[int]*sspf.Stats{}
	for y := start; y <= last; y++ {
		out[y] = sspf.ComputeStats(byYear[y], min(today, trygg.DateDay(y, 12, 31)))
	}
	return out, nil
}
