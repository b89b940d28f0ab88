//go:build unix

package sqldb_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
	"github.com/trygg-est/trygg/svgchart"
)

// Scale of the indicator benchmark (docs/benchmarks.md): every
// municipality, 200 KPIs, 20 years.
const (
	benchMunicipalities = 290
	benchKPIs           = 200
	benchYears          = 20
	benchCharts         = 500
)

// koladaScaleJSON writes a Kolada v2 data response with a value for every
// municipality, KPI and year, as the API would give it, one value per
// line.
func koladaScaleJSON() []byte {
	var b bytes.Buffer
	b.WriteString(`{"count": 0, "values": [`)
	first := true
	for k := range benchKPIs {
		for m := range benchMunicipalities {
			for y := range benchYears {
				if !first {
					b.WriteString(",\n")
				}
				first = false
				fmt.Fprintf(&b, `{"kpi": "N%05d", "municipality": "%04d", "period": %d, "values": [{"count": 1, "gender": "T", "status": "", "value": %.1f}]}`,
					k, 100+m, 2006+y, float64((k*31+m*17+y*7)%1000)/10)
			}
		}
	}
	b.WriteString("]}")
	return b.Bytes()
}

// BenchmarkIndicators imports 290 municipalities × 200 KPIs × 20 years
// from Kolada's JSON (parse, check and store in one transaction), then
// draws the peer chart of random KPIs for one municipality against ten
// peers (read, compare, draw, write SVG) and reports the 95th percentile.
// Run with -benchtime=1x: one import is the measurement.
func BenchmarkIndicators(b *testing.B) {
	data := koladaScaleJSON()
	for _, dialect := range sqldbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				db := mustOpenDB(b, dialect)
				f := newFixture(b, db)
				s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
				sam := as(f.samordnare)
				cpu0 := cpuTime(b)
				start := time.Now()
				batch, err := reportio.ParseKoladaJSON(data, trygg.DateDay(2026, 3, 1), nil)
				if err != nil {
					b.Fatal(err)
				}
				parsed := time.Since(start)
				res, err := s.Import(sam, batch, "bench.json")
				if err != nil {
					b.Fatal(err)
				}
				imported := time.Since(start)
				b.ReportMetric((cpuTime(b) - cpu0).Seconds(), "import-cpu-s")
				if res.Added != benchMunicipalities*benchKPIs*benchYears {
					b.Fatalf("added %d values", res.Added)
				}
				b.ReportMetric(parsed.Seconds(), "parse-s")
				b.ReportMetric(imported.Seconds(), "import-s")

				home, peers := "0100", []string{"0110", "0120", "0130", "0140", "0150", "0160", "0170", "0180", "0190", "0200"}
				var took []time.Duration
				for i := range benchCharts {
					code := fmt.Sprintf("kolada_n%05d", (i*37)%benchKPIs)
					t0 := time.Now()
					values, err := s.Values(sam, code, append([]string{home}, peers...))
					if err != nil {
						b.Fatal(err)
					}
					c := indikator.Compare(values, home, peers, indikator.Neutral)
					if err := svgchart.Peer(c, "Kommun", 1, svgchart.Options{ID: "p", Title: code}).WriteSVG(io.Discard); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t0))
					if c.RankOf != 11 || len(c.Years) != benchYears {
						b.Fatalf("comparison of %s: %d ranked, %d years", code, c.RankOf, len(c.Years))
					}
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "chart-p95-ms")
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "chart-p50-ms")
			}
		})
	}
}

// cpuTime is the CPU time this process has used, user and system: on a
// shared machine it says what the work cost when the wall clock waits for
// other processes. PostgreSQL's own CPU is not in it.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
