package trygg_test

import (
	"slices"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestAdIndicatorPoints(t *testing.T) {
	weeks := []trygg.AdWeek{
		{Week: mustDay(t, "2024-01-22"), Ads: 10}, {Week: mustDay(t, "2024-01-29"), Ads: 5},
		{Week: mustDay(t, "2024-02-05"), Ads: 7, SugarMinor: 3},
		{Week: mustDay(t, "2024-04-01"), Ads: 0, SugarMinor: 0},
	}
	months := trygg.MonthStarts(mustDay(t, "2023-12-01"), mustDay(t, "2024-04-30"))
	tests := []struct {
		source trygg.IndicatorSource
		want   []trygg.IndicatorPoint
	}{
		{trygg.IndicatorAds, []trygg.IndicatorPoint{
			{Day: mustDay(t, "2024-01-01"), Value: 15}, {Day: mustDay(t, "2024-02-01"), Value: 7}, {Day: mustDay(t, "2024-04-01"), Value: 0}}},
		{trygg.IndicatorSugarMinor, []trygg.IndicatorPoint{
			{Day: mustDay(t, "2024-01-01"), Value: 0}, {Day: mustDay(t, "2024-02-01"), Value: 3}, {Day: mustDay(t, "2024-04-01"), Value: 0}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.source), func(t *testing.T) {
			// December and March have no stored week, so no value: a gap, not a zero.
			if got := trygg.AdIndicatorPoints(weeks, tt.source, months); !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := trygg.AdIndicatorPoints(weeks, trygg.IndicatorAds, months[1:2]); len(got) != 1 || got[0].Value != 15 {
		t.Fatalf("only the months asked for: %+v", got)
	}
}
