package samverkan

import (
	"math"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// AdIndicatorPoints turns the weekly ad counts into a commitment's
// monthly indicator values (IndicatorAds or IndicatorSugarMinor), for the
// given months, on the month's first day: the mean count of the stored
// weeks whose Monday falls in the month, times the month's days / 7,
// rounded to one decimal. A month's value is thus an estimate of its ads
// that does not depend on whether four or five Mondays fall in it, and a
// week that was never stored does not count as zero. A month without any
// stored week has no value at all. This is how "minskad annonsering"
// becomes a commitment's indicator; see docs/operativ.md.
func AdIndicatorPoints(weeks []operativ.AdWeek, source IndicatorSource, months []trygg.Day) []IndicatorPoint {
	sums, stored := map[trygg.Day]int{}, map[trygg.Day]int{}
	for _, w := range weeks {
		m := trygg.MonthStarts(w.Week, w.Week)[0]
		sums[m] += AdCount(w, source)
		stored[m]++
	}
	var out []IndicatorPoint
	for _, m := range months {
		if n := stored[m]; n > 0 {
			days := float64(trygg.MonthEnd(m) - m + 1)
			v := float64(sums[m]) / float64(n) * days / 7
			out = append(out, IndicatorPoint{Day: m, Value: math.Round(v*10) / 10})
		}
	}
	return out
}

// AdCount returns a week's count for an advertising indicator source.
func AdCount(w operativ.AdWeek, source IndicatorSource) int {
	if source == IndicatorSugarMinor {
		return w.SugarMinor
	}
	return w.Ads
}
