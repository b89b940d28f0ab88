package samverkan_test

import (
	"slices"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestAdIndicatorPoints(t *testing.T) {
	weeks := []operativ.AdWeek{
		{Week: tryggtest.Day(t, "2024-01-22"), Ads: 10}, {Week: tryggtest.Day(t, "2024-01-29"), Ads: 5},
		{Week: tryggtest.Day(t, "2024-02-05"), Ads: 7, SugarMinor: 3},
		{Week: tryggtest.Day(t, "2024-04-01"), Ads: 0, SugarMinor: 0},
	}
	months := trygg.MonthStarts(tryggtest.Day(t, "2023-12-01"), tryggtest.Day(t, "2024-04-30"))
	tests := []struct {
		source samverkan.IndicatorSource
		want   []samverkan.IndicatorPoint
	}{
		// January: two of its five weeks stored, a mean of 7.5 a week,
		// times 31/7 = 33.2; February (29 days): 7 a week = 29.
		{samverkan.IndicatorAds, []samverkan.IndicatorPoint{
			{Day: tryggtest.Day(t, "2024-01-01"), Value: 33.2}, {Day: tryggtest.Day(t, "2024-02-01"), Value: 29}, {Day: tryggtest.Day(t, "2024-04-01"), Value: 0}}},
		{samverkan.IndicatorSugarMinor, []samverkan.IndicatorPoint{
			{Day: tryggtest.Day(t, "2024-01-01"), Value: 0}, {Day: tryggtest.Day(t, "2024-02-01"), Value: 12.4}, {Day: tryggtest.Day(t, "2024-04-01"), Value: 0}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.source), func(t *testing.T) {
			// December and March have no stored week, so no value: a gap, not a zero.
			if got := samverkan.AdIndicatorPoints(weeks, tt.source, months); !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := samverkan.AdIndicatorPoints(weeks, samverkan.IndicatorAds, months[1:2]); len(got) != 1 || got[0].Value != 33.2 {
		t.Fatalf("only the months asked for: %+v", got)
	}
}

// TestAdIndicatorPointsMondays: the same ads every week give a month's
// value by its days, whether four or five Mondays fall in it.
func TestAdIndicatorPointsMondays(t *testing.T) {
	var weeks []operativ.AdWeek
	for d := tryggtest.Day(t, "2024-07-01"); d < tryggtest.Day(t, "2024-09-01"); d += 7 {
		weeks = append(weeks, operativ.AdWeek{Week: d, Ads: 14})
	}
	// July 2024 has five Mondays, August four; both have 31 days.
	got := samverkan.AdIndicatorPoints(weeks, samverkan.IndicatorAds, trygg.MonthStarts(tryggtest.Day(t, "2024-07-01"), tryggtest.Day(t, "2024-08-31")))
	want := []samverkan.IndicatorPoint{{Day: tryggtest.Day(t, "2024-07-01"), Value: 62}, {Day: tryggtest.Day(t, "2024-08-01"), Value: 62}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
