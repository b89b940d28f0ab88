package detect

import (
	"os"
	"testing"
	"math"
)

func TestDbg(t *testing.T) {
	f, _ := os.Open("testdata/refs/campyDE.csv")
	s, _ := ReadSeries(f)
	for _, c := range []*farringtonParams{&farringtonConfig, &noufailyConfig} {
		for w := 211; w <= 213; w++ {
			d := c.design(s.Counts, w, true)
			p, _ := c.predict(d)
			t.Logf("week %d n=%d trend=%v mu0=%g phi=%g se=%g", w+1, len(d.y), d.trend, math.Exp(p.eta), p.phi, p.seEta)
		}
	}
}
