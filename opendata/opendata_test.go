package opendata

import (
	"encoding/json"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/weekly"
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

// TestPublicReport checks that a weekly report's districts are withheld
// by the week's own rule: as the week's public picture shows them, for
// the same counts.
func TestPublicReport(t *testing.T) {
	t.Parallel()
	week := trygg.ISOWeek{Year: 2026, Week: 46}
	mon := week.Monday()
	areas := []*trygg.Area{{Code: "a", Name: "A"}, {Code: "b", Name: "B"}, {Code: "c", Name: "C"}}
	groups := []string{"g1", "g2"}
	for _, cells := range [][]Cell{
		nil,
		{{mon, "a", "g1", 7}, {mon + 6, "b", "g2", 2}},
		{{mon, "a", "g1", 6}, {mon, "b", "g2", 9}, {mon, "c", "g2", 12}},
		// Reports of a group no longer current count in the total only.
		{{mon, "a", "g1", 3}, {mon + 1, "b", "arkiverad", 10}},
	} {
		pic := BuildWeek(week, areas, groups, cells)
		var content weekly.Content
		cats := map[string]int{}
		for _, a := range areas {
			n := 0
			for _, c := range cells {
				if c.Area == a.Code {
					n += c.N
				}
			}
			content.Areas = append(content.Areas, lagesbild.AreaValue{Code: a.Code, Name: a.Name, Count: n})
			content.Total += n
		}
		for _, c := range cells {
			cats[c.Group] += c.N
		}
		for g, n := range cats {
			content.Categories = append(content.Categories, lagesbild.CategoryValue{Code: g + "-kategori", Group: g, Count: n})
		}
		raw, err := json.Marshal(content)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := PublicReport(&weekly.Report{Week: week, Version: 1, Picture: raw}, groups)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := text(rep.Districts), text(pic.Districts); !equal(got, want) {
			t.Errorf("%v: the report shows %v, the week %v", cells, got, want)
		}
	}
}
