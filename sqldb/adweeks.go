package sqldb

import (
	"context"
	"math"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// adWeeks reads the advertising indicator, oldest week first. The callers
// check who may see it.
func adWeeks(ctx context.Context, q queryer) ([]operativ.AdWeek, error) {
	var out []operativ.AdWeek
	err := eachRow(ctx, q, "SELECT week, ads, sugar_minor FROM ad_counts ORDER BY week", nil,
		func(row interface{ Scan(...any) error }) error {
			var a operativ.AdWeek
			err := row.Scan(&a.Week, &a.Ads, &a.SugarMinor)
			out = append(out, a)
			return err
		})
	return out, err
}

// adIndicatorPoints turns the weekly ad counts into a commitment's
// monthly indicator values (IndicatorAds or IndicatorSugarMinor), for the
// given months, on the month's first day: the mean count of the stored
// weeks whose Monday falls in the month, times the month's days / 7,
// rounded to one decimal. A month's value is thus an estimate of its ads
// that does not depend on whether four or five Mondays fall in it, and a
// week that was never stored does not count as zero. A month without any
// stored week has no value at all. This is how "minskad annonsering"
// becomes a commitment's indicator; see docs/operativ.md.
//
// moves to samverkan
func adIndicatorPoints(weeks []operativ.AdWeek, source trygg.IndicatorSource, months []trygg.Day) []trygg.IndicatorPoint {
	sums, stored := map[trygg.Day]int{}, map[trygg.Day]int{}
	for _, w := range weeks {
		m := trygg.MonthStarts(w.Week, w.Week)[0]
		sums[m] += adCount(w, source)
		stored[m]++
	}
	var out []trygg.IndicatorPoint
	for _, m := range months {
		if n := stored[m]; n > 0 {
			days := float64(trygg.MonthEnd(m) - m + 1)
			v := float64(sums[m]) / float64(n) * days / 7
			out = append(out, trygg.IndicatorPoint{Day: m, Value: math.Round(v*10) / 10})
		}
	}
	return out
}

// adCount returns the week's count for an advertising indicator source.
//
// moves to samverkan
func adCount(a operativ.AdWeek, source trygg.IndicatorSource) int {
	if source == trygg.IndicatorSugarMinor {
		return a.SugarMinor
	}
	return a.Ads
}
