package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/lagesbild"
)

// Trygg's own series are indicators in the same model as the imported ones
// (one chart, one API), computed from the data each time they are read, per
// calendar year (the current year up to today) for the whole municipality
// (indikator.WholeMunicipality) and, where the data has a district, per
// district. Their codes begin with ownPrefix.
//
// ownSources is the one registration point: a mechanism adds its own
// indicators (nattvandring hours, SSPF statistics, provider checks) by
// writing one function that lists its series with how to compute each,
// and adding it here.
var ownSources = []func(ctx context.Context, s *IndicatorService) ([]ownSeries, error){
	reportIndicators,
	districtIndicators,
	operationIndicators,
	adIndicators,
	leverantorIndicators,
	nightwalkIndicators,
	sspfIndicators,
}

const ownPrefix = indikator.OwnPrefix

// ownSeries is one own series and how to compute its values, for every
// area, with the operator's rights.
type ownSeries struct {
	indikator.Series
	values func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error)
}

func ownSeriesOf(code, name, unit string) indikator.Series {
	return indikator.Series{Code: ownPrefix + code, Name: name, Source: indikator.SourceTrygg, Unit: unit, Kind: indikator.KindCount,
		Polarity: indikator.Neutral, Licence: "Tryggs egna uppgifter; räknas fram ur registret när sidan visas."}
}

func (s *IndicatorService) ownSeries(ctx context.Context) ([]ownSeries, error) {
	var out []ownSeries
	for _, src := range ownSources {
		list, err := src(ctx, s)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	today := trygg.DayOf(s.db.Now())
	for i := range out {
		out[i].Retrieved = today
	}
	return out, nil
}

// ownYears returns the years the own series cover, oldest first.
func (s *IndicatorService) ownYears() []int {
	y, _, _ := trygg.DayOf(s.db.Now()).Date()
	years := make([]int, indikator.OwnYears)
	for i := range years {
		years[i] = y - indikator.OwnYears + 1 + i
	}
	return years
}

// yearCells counts reports per area and category in each own year, up to
// today, and leaves out the years before the first report.
func (s *IndicatorService) yearCells(ctx context.Context, categories []string) (map[int][]trygg.CellCount, error) {
	today := trygg.DayOf(s.db.Now())
	out := map[int][]trygg.CellCount{}
	started := false
	for _, y := range s.ownYears() {
		cells, err := s.counts.CountCells(ctx, trygg.CountFilter{From: trygg.DateDay(y, 1, 1), To: min(today, trygg.DateDay(y, 12, 31)), Categories: categories})
		if err != nil {
			return nil, err
		}
		started = started || len(cells) > 0
		if started {
			out[y] = cells
		}
	}
	return out, nil
}

// cellValues sums cells per area and for the whole municipality, with a
// zero for every district in a year that has data.
func cellValues(byYear map[int][]trygg.CellCount, areas []*trygg.Area, keep func(category string) bool) []indikator.Value {
	var out []indikator.Value
	for y, cells := range byYear {
		per := map[string]float64{}
		for _, a := range areas {
			per[a.Code] = 0
		}
		total := 0.0
		for _, c := range cells {
			if keep(c.Category) {
				per[c.Area] += float64(c.Count)
				total += float64(c.Count)
			}
		}
		out = append(out, indikator.Value{Area: indikator.WholeMunicipality, Year: y, Value: total})
		for a, n := range per {
			out = append(out, indikator.Value{Area: a, Year: y, Value: n})
		}
	}
	return out
}

func (s *IndicatorService) areas(ctx context.Context) ([]*trygg.Area, error) {
	return NewAreaService(s.db).FindAreas(ctx)
}

// reportIndicators: the reports per category and year.
func reportIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	cats, err := NewCategoryService(s.db).FindCategories(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []ownSeries
	for _, cat := range cats {
		code := cat.Code
		out = append(out, ownSeries{
			Series: ownSeriesOf("rapporter_"+code, "Rapporter: "+cat.Name, "rapporter per år"),
			values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
				byYear, err := s.yearCells(ctx, []string{code})
				if err != nil {
					return nil, err
				}
				areas, err := s.areas(ctx)
				return cellValues(byYear, areas, func(c string) bool { return c == code }), err
			},
		})
	}
	return out, nil
}

// districtIndicators: the district indicators of the lägesbild, in the
// spirit of the police's criteria for utsatta områden, per year.
func districtIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	var out []ownSeries
	for _, d := range lagesbild.Indicators {
		cats := d.Categories
		out = append(out, ownSeries{
			Series: ownSeriesOf("omrade_"+d.Code, "Områdesindikator: "+d.Label, "rapporter per år"),
			values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
				byYear, err := s.yearCells(ctx, cats)
				if err != nil {
					return nil, err
				}
				areas, err := s.areas(ctx)
				return cellValues(byYear, areas, func(string) bool { return true }), err
			},
		})
	}
	return out, nil
}

// operationIndicators: the joint operations per year and district.
func operationIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	return []ownSeries{{
		Series: ownSeriesOf("insatser", "Insatser i operativ samverkan", "insatser per år"),
		values: func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			first := s.ownYears()[0]
			per := map[string]map[int]float64{}
			err := eachRow(ctx, s.db.read, "SELECT at, area_code FROM operations WHERE at >= $1", []any{millis(trygg.DateDay(first, 1, 1).Start())},
				func(row interface{ Scan(...any) error }) error {
					var at int64
					var area string
					if err := row.Scan(&at, &area); err != nil {
						return err
					}
					y, _, _ := trygg.DayOf(fromMillis(at)).Date()
					for _, a := range []string{area, indikator.WholeMunicipality} {
						if per[a] == nil {
							per[a] = map[int]float64{}
						}
						per[a][y]++
					}
					return nil
				})
			return flatten(per), err
		},
	}}, nil
}

// adIndicators: the ads counted by the advertising indicator, per year
// (a week counts in the year of its Monday).
func adIndicators(ctx context.Context, s *IndicatorService) ([]ownSeries, error) {
	yearly := func(sugar bool) func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
		return func(ctx context.Context, s *IndicatorService) ([]indikator.Value, error) {
			weeks, err := adWeeks(ctx, s.db.read)
			if err != nil {
				return nil, err
			}
			per := map[string]map[int]float64{indikator.WholeMunicipality: {}}
			first := s.ownYears()[0]
			for _, w := range weeks {
				y, _, _ := w.Week.Date()
				if y < first {
					continue
				}
				n := w.Ads
				if sugar {
					n = w.SugarMinor
				}
				per[indikator.WholeMunicipality][y] += float64(n)
			}
			return flatten(per), nil
		}
	}
	return []ownSeries{
		{Series: ownSeriesOf("annonser", "Annonser om sex mot ersättning (annonsindikatorn)", "annonser per år"), values: yearly(false)},
		{Series: ownSeriesOf("sockerdejting", "Sugardejtingannonser med misstänkt minderårig", "annonser per år"), values: yearly(true)},
	}, nil
}

func flatten(per map[string]map[int]float64) []indikator.Value {
	var out []indikator.Value
	for a, years := range per {
		for y, v := range years {
			out = append(out, indikator.Value{Area: a, Year: y, Value: v})
		}
	}
	return out
}
