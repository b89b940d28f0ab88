package nattvandring

import (
	"testing"

	"github.com/trygg-est/trygg"
)

func TestMonthStats(t *testing.T) {
	t.Parallel()
	rows := []WalkRow{
		{GroupID: 1, Date: day(2026, 5, 8), Districts: []string{"alidhem", "haga"}, Minutes: 601, YouthContacts: 5,
			Observations: []ObservationRow{{"alidhem", "skadegorelse"}, {"alidhem", "skadegorelse"}, {"haga", "ordningsstorning"}}},
		{GroupID: 1, Date: day(2026, 5, 9), Districts: []string{"alidhem"}, Minutes: 240},
		{GroupID: 2, Date: day(2026, 6, 1), Districts: []string{"alidhem"}, Minutes: 60},
	}
	got := MonthStats(rows)
	if len(got) != 3 {
		t.Fatalf("MonthStats = %+v", got)
	}
	a := got[0]
	if a.District != "alidhem" || a.Walks != 2 || a.Minutes != 301+240 || a.YouthContacts != 3 || a.Observations["skadegorelse"] != 2 {
		t.Errorf("Ålidhem in May = %+v", a)
	}
	if h := got[1]; h.District != "haga" || h.Minutes != 300 || h.Observations["ordningsstorning"] != 1 {
		t.Errorf("Haga in May = %+v", h)
	}
	total := 0
	for _, s := range got {
		total += s.Minutes
	}
	if total != 601+240+60 {
		t.Errorf("minutes do not add up: %d", total)
	}
	if got[2].Month != day(2026, 6, 1) || got[2].GroupID != 2 {
		t.Errorf("June = %+v", got[2])
	}
}

func TestWeekendShares(t *testing.T) {
	t.Parallel()
	from, to := day(2026, 11, 30), day(2026, 12, 13) // two weeks: four weekend nights
	rows := []WalkRow{
		{Date: day(2026, 12, 4), Districts: []string{"alidhem"}},
		{Date: day(2026, 12, 4), Districts: []string{"alidhem", "haga"}}, // same night twice counts once
		{Date: day(2026, 12, 12), Districts: []string{"alidhem"}},
		{Date: day(2026, 12, 9), Districts: []string{"haga"}},  // a Wednesday
		{Date: day(2026, 12, 19), Districts: []string{"haga"}}, // after the period
	}
	got := WeekendShares(rows, []string{"alidhem", "haga", "teg"}, from, to)
	want := []WeekendShare{{"alidhem", 4, 2}, {"haga", 4, 1}, {"teg", 4, 0}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("share %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if p := got[0].Percent(); p != 50 {
		t.Errorf("Percent = %d", p)
	}
	if (WeekendShare{}).Percent() != 0 {
		t.Error("no nights should be 0 %")
	}
}

func TestWeeklyHours(t *testing.T) {
	t.Parallel()
	rows := []WalkRow{
		{Date: day(2026, 12, 4), Districts: []string{"alidhem"}, Minutes: 600},
		{Date: day(2026, 12, 5), Districts: []string{"alidhem", "haga"}, Minutes: 300},
		{Date: day(2026, 12, 7), Districts: []string{"haga"}, Minutes: 120}, // next week
	}
	got := WeeklyHours(rows)
	want := []WeekHours{
		{"alidhem", trygg.ISOWeek{Year: 2026, Week: 49}, 750, 2},
		{"haga", trygg.ISOWeek{Year: 2026, Week: 49}, 150, 1},
		{"haga", trygg.ISOWeek{Year: 2026, Week: 50}, 120, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("WeeklyHours = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("week %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestWeekendShareAny(t *testing.T) {
	t.Parallel()
	rows := []WalkRow{
		{Date: day(2026, 12, 4), Districts: []string{"alidhem"}},
		{Date: day(2026, 12, 5), Districts: []string{"berghem"}},
		{Date: day(2026, 12, 11), Districts: []string{"haga"}},
	}
	got := WeekendShareAny(rows, []string{"alidhem", "berghem"}, day(2026, 12, 1), day(2026, 12, 31))
	// December 2026: Fridays 4, 11, 18, 25 and Saturdays 5, 12, 19, 26.
	if got.Nights != 8 || got.Walked != 2 || got.Percent() != 25 {
		t.Errorf("WeekendShareAny = %+v", got)
	}
}
