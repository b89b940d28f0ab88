package sqldb_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// BenchmarkCreateReport files reports from 32 concurrent callers, the load
// the group commit is built for, and reports the 99th percentile latency.
func BenchmarkCreateReport(b *testing.B) {
	for _, dialect := range sqldbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := mustOpenDB(b, dialect)
			f := newFixture(b, db)
			db.Now = time.Now
			var mu sync.Mutex
			var latencies []time.Duration
			b.SetParallelism(32 / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := as(f.rapportor)
				var mine []time.Duration
				for pb.Next() {
					in := input("alidhem", "klotter")
					in.OccurredAt = time.Now().Add(-time.Hour)
					start := time.Now()
					if _, err := f.reports.CreateReport(ctx, in); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				latencies = append(latencies, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			slices.Sort(latencies)
			if len(latencies) > 0 {
				b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
		})
	}
}

// BenchmarkImportReports measures the bulk insert of ImportReports.
func BenchmarkImportReports(b *testing.B) {
	for _, dialect := range sqldbtest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := mustOpenDB(b, dialect)
			f := newFixture(b, db)
			rows := make([]trygg.ImportRow, 10000)
			for i := range rows {
				in := input("alidhem", "klotter")
				in.Description = fmt.Sprintf("Klotter på vägg nummer %d vid gångtunneln.", i)
				in.OccurredAt = testNow.Add(-time.Duration(i) * time.Minute)
				rows[i] = trygg.ImportRow{Line: i + 2, Input: in}
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := f.reports.ImportReports(operator(), "polisen", rows); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
