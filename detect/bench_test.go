package detect

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchSeries is the Lägesbild workload: 40 areas × 25 categories, each a
// weekly series of 5 years of history and the current week, with a yearly
// season and a level that differs between series.
func benchSeries() [][]int {
	rng := rand.New(rand.NewPCG(1, 2))
	const series, weeks = 40 * 25, 5*weeksPerYear + 1
	out := make([][]int, series)
	for s := range out {
		level := 1 + 4*rng.Float64()
		out[s] = make([]int, weeks)
		for w := range out[s] {
			mean := level * math.Exp(0.6*math.Sin(2*math.Pi*float64(w)/weeksPerYear))
			out[s][w] = poissonDraw(rng, mean)
		}
	}
	return out
}

// poissonDraw counts unit-rate arrivals before mean (Knuth's method; the
// means here are small).
func poissonDraw(rng *rand.Rand, mean float64) int {
	limit, k, p := math.Exp(-mean), 0, rng.Float64()
	for p > limit {
		k++
		p *= rng.Float64()
	}
	return k
}

func benchmarkCurrentWeek(b *testing.B, method Method) {
	all := benchSeries()
	b.ResetTimer()
	for b.Loop() {
		for _, counts := range all {
			if r := Evaluate(counts, method, len(counts)-1); len(r) != 1 || !r[0].Evaluated {
				b.Fatalf("current week not evaluated: %+v", r)
			}
		}
	}
}

// BenchmarkCurrentWeekEARS is one pass of EARS C2 over every series.
func BenchmarkCurrentWeekEARS(b *testing.B) { benchmarkCurrentWeek(b, EARSC2) }

// BenchmarkCurrentWeekNoufaily is one pass of the improved Farrington
// method over every series.
func BenchmarkCurrentWeekNoufaily(b *testing.B) { benchmarkCurrentWeek(b, Noufaily) }
