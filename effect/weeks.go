package effect

import (
	"context"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
)

// WeekSources are the services an evaluation in whole weeks counts from:
// the report counts, and the advertising indicator's stored weeks.
type WeekSources struct {
	Counts trygg.CountService
	Ads    operativ.AdService
}

// EvaluateWeeks counts ind in the windows before and after (from
// WeekWindows) and in the same weeks a year earlier, and evaluates them:
// the reports in ind's areas and categories, or, for an advertising
// source, the stored weeks of the ads indicator, where a week without a
// stored count is left out of the exposure rather than counted as none.
// It reads with the caller's rights; the services' errors come back.
func EvaluateWeeks(ctx context.Context, s WeekSources, ind samverkan.Indicator, before, after Window) (Evaluation, error) {
	windows := []Window{before, after, before.YearEarlier(), after.YearEarlier()}
	counted := Reports
	if ind.Source.FromAds() {
		counted = Ads
		weeks, err := s.Ads.AdCounts(ctx)
		if err != nil {
			return Evaluation{}, err
		}
		for i := range windows {
			windows[i].Periods = 0
			for _, wk := range weeks {
				if wk.Week >= windows[i].From && wk.Week <= windows[i].To {
					windows[i].Count += samverkan.AdCount(wk, ind.Source)
					windows[i].Periods++
				}
			}
		}
	} else {
		for i := range windows {
			cells, err := s.Counts.CountCells(ctx, trygg.CountFilter{From: windows[i].From, To: windows[i].To, Areas: ind.Areas, Categories: ind.Categories})
			if err != nil {
				return Evaluation{}, err
			}
			for _, c := range cells {
				windows[i].Count += c.Count
			}
		}
	}
	return EvaluateCounts(counted, windows[0], windows[1], windows[2], windows[3]), nil
}
