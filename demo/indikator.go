package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/indikator"
)

// The demo's indicators: a small peer set so that /indikatorer shows its
// chart. Every value is synthetic and every series says so in its name and
// licence note; none is Kolada's, BRÅ's or SCB's figure for any
// municipality.

// DemoPeerGroup is the name of the demo's peer group.
const DemoPeerGroup = "Norrlandsstäder (demo)"

// demoMunicipalities are Umeå and its demo peers, with a base level each
// so that the peers spread around Umeå.
var demoMunicipalities = []struct {
	code, name string
	level      float64
}{
	{"2480", "Umeå", 0}, {"2580", "Luleå", 0.6}, {"2281", "Sundsvall", 0.9}, {"2380", "Östersund", -0.4},
	{"2482", "Skellefteå", -0.8}, {"2180", "Gävle", 1.2}, {"2284", "Örnsköldsvik", -1.1},
}

const demoLicence = "Demo: påhittade värden för att visa Trygg. Inga riktiga siffror för någon kommun."

// demoSeries are the synthetic series: a base, how much one level moves
// it, a yearly trend and the decimals.
var demoSeries = []struct {
	code, name, unit string
	source           indikator.Source
	kind             indikator.Kind
	polarity         indikator.Polarity
	base, spread     float64
	trend            float64
	decimals         int
}{
	{"kolada_demo_nka_ifo", "Nettokostnadsavvikelse individ- och familjeomsorg, % (demo)", "procent", indikator.SourceKolada, indikator.KindMeasure, indikator.Neutral, 2, 4, -0.3, 1},
	{"kolada_demo_trygghet", "Andel invånare som känner sig trygga utomhus på kvällen, % (demo)", "procent", indikator.SourceKolada, indikator.KindMeasure, indikator.HigherIsBetter, 72, -3, -0.2, 1},
	{"bra_demo_skadegorelse_per_100000", "Anmälda brott per 100 000 invånare: Skadegörelse (demo)", "per 100 000 inv.", indikator.SourceBra, indikator.KindMeasure, indikator.LowerIsBetter, 800, 90, -12, 1},
	{"bra_demo_misshandel_per_100000", "Anmälda brott per 100 000 invånare: Misshandel (demo)", "per 100 000 inv.", indikator.SourceBra, indikator.KindMeasure, indikator.LowerIsBetter, 560, 60, 4, 1},
}

// DemoYears is how many years of values the demo indicators have.
const DemoYears = 10

// demoIndicators builds the batches of the demo, deterministic from the
// data set's end time: one per source.
func demoIndicators(end time.Time) []*indikator.Batch {
	r := rand.New(rand.NewPCG(uint64(end.Unix()), pcgStream+3))
	last, _, _ := trygg.DayOf(end).Date()
	last-- // the newest full year
	retrieved := trygg.DayOf(end)
	bySource := map[indikator.Source]*indikator.Batch{}
	var order []indikator.Source
	batch := func(src indikator.Source) *indikator.Batch {
		if b, ok := bySource[src]; ok {
			return b
		}
		b := &indikator.Batch{Source: src, Names: map[string]string{}}
		for _, m := range demoMunicipalities {
			b.Names[m.code] = m.name
		}
		bySource[src], order = b, append(order, src)
		return b
	}
	for _, s := range demoSeries {
		b := batch(s.source)
		b.Series = append(b.Series, indikator.Series{Code: s.code, Name: s.name, Source: s.source, Unit: s.unit, Kind: s.kind,
			Polarity: s.polarity, Licence: demoLicence, Retrieved: retrieved, External: "demo"})
		scale := math.Pow(10, float64(s.decimals))
		for _, m := range demoMunicipalities {
			for k := range DemoYears {
				year := last - DemoYears + 1 + k
				v := s.base + s.spread*m.level + s.trend*float64(k) + s.spread*0.3*r.NormFloat64()
				b.Values = append(b.Values, indikator.Value{Series: s.code, Area: m.code, Year: year, Value: math.Round(v*scale) / scale})
			}
		}
	}
	pop := batch(indikator.SourceBefolkning)
	pop.Series = append(pop.Series, indikator.Series{Code: "befolkning", Name: "Folkmängd (demo)", Source: indikator.SourceBefolkning,
		Unit: "invånare", Kind: indikator.KindMeasure, Polarity: indikator.Neutral, Licence: demoLicence, Retrieved: retrieved, External: "demo"})
	for i, m := range demoMunicipalities {
		for k := range DemoYears {
			year := last - DemoYears + 1 + k
			pop.Values = append(pop.Values, indikator.Value{Series: "befolkning", Area: m.code, Year: year, Value: float64(130000 - i*12000 + k*900)})
		}
	}
	out := make([]*indikator.Batch, len(order))
	for i, src := range order {
		out[i] = bySource[src]
	}
	return out
}

// loadIndicators imports the demo's indicators and its peer group.
func loadIndicators(ctx context.Context, s app.Services, ds *Dataset) error {
	for _, b := range demoIndicators(ds.End) {
		if _, err := s.Indicators.Import(ctx, b, "demo"); err != nil {
			return fmt.Errorf("demo indicators %s: %w", b.Source, err)
		}
	}
	var peers []string
	for _, m := range demoMunicipalities[1:] {
		peers = append(peers, m.code)
	}
	if _, err := s.Indicators.SavePeerGroup(ctx, &indikator.PeerGroup{Name: DemoPeerGroup, Municipality: "2480", Members: peers}); err != nil {
		return fmt.Errorf("demo peer group: %w", err)
	}
	return nil
}
