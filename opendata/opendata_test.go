package opendata

import (
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
)

func TestLastEndedWeek(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		today trygg.Day
		want  trygg.ISOWeek
	}{
		{trygg.DateDay(2026, 11, 20), trygg.ISOWeek{Year: 2026, Week: 46}}, // a Friday
		{trygg.DateDay(2026, 11, 16), trygg.ISOWeek{Year: 2026, Week: 46}}, // a Monday: last week ended yesterday
		{trygg.DateDay(2026, 11, 15), trygg.ISOWeek{Year: 2026, Week: 45}}, // a Sunday: this week has not ended
		{trygg.DateDay(2027, 1, 4), trygg.ISOWeek{Year: 2026, Week: 53}},
	} {
		if got := LastEndedWeek(tc.today); got != tc.want {
			t.Errorf("LastEndedWeek(%s) = %v, want %v", tc.today, got, tc.want)
		}
	}
}

// text writes counts as published, for comparing.
func text(cs []disclose.Count) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Key + "=" + c.Text()
	}
	return out
}

func TestBuildWeek(t *testing.T) {
	t.Parallel()
	week := trygg.ISOWeek{Year: 2026, Week: 46}
	mon := week.Monday()
	areas := []*trygg.Area{{Code: "a", Name: "A"}, {Code: "b", Name: "B"}, {Code: "c", Name: "C"}}
	groups := []string{"g1", "g2"}
	for _, tc := range []struct {
		name             string
		cells            []Cell
		districts, grps  []string
		weekTotal, first string
	}{
		{"nothing", nil, []string{"a=0", "b=0", "c=0"}, []string{"g1=0", "g2=0"}, "0", "0"},
		{"all shown", []Cell{{mon, "a", "g1", 6}, {mon + 1, "b", "g2", 7}, {mon - 7, "a", "g1", 9}},
			[]string{"a=6", "b=7", "c=0"}, []string{"g1=6", "g2=7"}, "13", "0"},
		// b's 2 is withheld; the total 9 is shown, so a second count
		// goes in each group: a's 7 and g1's 7.
		{"complement", []Cell{{mon, "a", "g1", 7}, {mon + 6, "b", "g2", 2}},
			[]string{"a=färre än 5", "b=färre än 5", "c=0"}, []string{"g1=färre än 5", "g2=färre än 5"}, "9", "0"},
		{"small total", []Cell{{mon, "a", "g1", 3}}, []string{"a=färre än 5", "b=0", "c=0"}, []string{"g1=färre än 5", "g2=0"}, "färre än 5", "0"},
		// Days outside the trend are not counted; the first trend week is.
		{"edges", []Cell{{TrendFrom(week) - 1, "a", "g1", 50}, {TrendFrom(week), "c", "g2", 8}, {week.Sunday() + 1, "a", "g1", 50}},
			[]string{"a=0", "b=0", "c=0"}, []string{"g1=0", "g2=0"}, "0", "8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := BuildWeek(week, areas, groups, tc.cells)
			if got := text(w.Districts); !equal(got, tc.districts) {
				t.Errorf("districts %v, want %v", got, tc.districts)
			}
			if got := text(w.Groups); !equal(got, tc.grps) {
				t.Errorf("groups %v, want %v", got, tc.grps)
			}
			if len(w.Trend) != TrendWeeks || w.Trend[TrendWeeks-1].Week != week {
				t.Fatalf("trend %v", w.Trend)
			}
			if got := w.Trend[TrendWeeks-1].Count.Text(); got != tc.weekTotal {
				t.Errorf("week total %s, want %s", got, tc.weekTotal)
			}
			if got := w.Trend[0].Count.Text(); got != tc.first {
				t.Errorf("first week %s, want %s", got, tc.first)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
