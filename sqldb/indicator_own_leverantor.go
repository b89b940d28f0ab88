package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/leverantor"
)

// leverantorIndicators: the review of welfare providers per year, for the
// whole municipality: the checks made, the share of the due checks made
// on time (leverantor.TimeChecks, the rule of the review's statistics) and
// the decisions to terminate a contract. They are aggregates of the
// register without personal data, read with the operator's rights; since
// their readers are outside the review, every count and share goes
// through disclose as the review's statistics do: a withheld year has no
// value, and a year from the review's first check or decision without
// any has 0.
func leverantorIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	checks := ownSeriesOf("leverantor_kontroller", "Leverantörskontroll: gjorda kontroller", "kontroller per år")
	onTime := ownSeriesOf("leverantor_kontroller_i_tid", "Leverantörskontroll: andel förfallna kontroller gjorda i tid", "procent")
	onTime.Kind, onTime.Polarity = indikator.KindMeasure, indikator.HigherIsBetter
	terminated := ownSeriesOf("leverantor_havningar", "Leverantörskontroll: beslut om hävning eller uppsägning", "beslut per år")
	return []ownSeries{
		{Series: checks, values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			r, err := s.reviewYears(ctx)
			return r.counts(func(y reviewYear) int { return y.checks }), err
		}},
		{Series: onTime, values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			r, err := s.reviewYears(ctx)
			var out []indikator.Value
			for y, n := range r.years {
				if share := disclose.ShareOf(n.onTime, n.due); n.due > 0 && !share.Suppressed {
					out = append(out, indikator.Value{Area: indikator.WholeMunicipality, Year: y, Value: float64(share.Percent())})
				}
			}
			return out, err
		}},
		{Series: terminated, values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			r, err := s.reviewYears(ctx)
			return r.counts(func(y reviewYear) int { return y.terminations }), err
		}},
	}, nil
}

// reviewYear is one year of the provider review.
type reviewYear struct {
	checks, due, onTime, terminations int
}

// reviewTotals are the review's years, from its first check or decision
// within the own years up to this year.
type reviewTotals struct {
	years map[int]*reviewYear
}

// counts returns a count per year, leaving out the withheld ones.
func (r reviewTotals) counts(count func(reviewYear) int) []indikator.Value {
	var out []indikator.Value
	for y, n := range r.years {
		if c := count(*n); !disclose.Withheld(c) {
			out = append(out, indikator.Value{Area: indikator.WholeMunicipality, Year: y, Value: float64(c)})
		}
	}
	return out
}

// reviewYears reads the checks, the check types and the terminations of
// every provider.
func (s *IndicatorService) reviewYears(ctx context.Context) (reviewTotals, error) {
	years := s.ownYears()
	first, last := years[0], years[len(years)-1]
	r := reviewTotals{years: map[int]*reviewYear{}}
	year := func(d trygg.Day) *reviewYear {
		y, _, _ := d.Date()
		if y < first || y > last {
			return nil
		}
		if r.years[y] == nil {
			r.years[y] = &reviewYear{}
		}
		return r.years[y]
	}
	types, err := NewLeverantorService(s.db).checkTypes(ctx, s.db.read)
	if err != nil {
		return r, err
	}
	var checks []leverantor.StatCheck
	err = eachRow(ctx, s.db.read, "SELECT provider_id, type, day FROM leverantor_checks", nil, func(row interface{ Scan(...any) error }) error {
		var c leverantor.StatCheck
		var d int64
		err := row.Scan(&c.ProviderID, &c.Type, &d)
		c.Day = trygg.Day(d)
		checks = append(checks, c)
		return err
	})
	if err != nil {
		return r, err
	}
	for _, c := range leverantor.TimeChecks(checks, types) {
		if n := year(c.Day); n != nil {
			n.checks++
			if c.Due {
				n.due++
				if c.OnTime {
					n.onTime++
				}
			}
		}
	}
	err = eachRow(ctx, s.db.read, "SELECT day FROM leverantor_decisions WHERE action = $1", []any{leverantor.ActionTerminate},
		func(row interface{ Scan(...any) error }) error {
			var d int64
			if err := row.Scan(&d); err != nil {
				return err
			}
			if n := year(trygg.Day(d)); n != nil {
				n.terminations++
			}
			return nil
		})
	if err != nil || len(r.years) == 0 {
		return r, err
	}
	start := last
	for y := range r.years {
		start = min(start, y)
	}
	for y := start; y <= last; y++ {
		if r.years[y] == nil {
			r.years[y] = &reviewYear{}
		}
	}
	return r, nil
}
