package svgchart

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg/draw/drawtest"
)

func TestWeeklyGolden(t *testing.T) {
	var pts []WeekPoint
	counts := []int{3, 5, 4, 6, 2, 4, 4, 3, 5, 4, 6, 12, 0, 1, 4, 3}
	for i, n := range counts {
		p := WeekPoint{Year: 2025 + (40+i)/52, Week: (40+i)%52 + 1, Count: n}
		if i >= 9 {
			p.HasBound, p.Bound = true, 7.6
			p.Alarm = n > 7
		}
		pts = append(pts, p)
	}
	got := string(drawtest.Golden(t, "weekly", Weekly(pts, "EARS C2", Options{ID: "serie", Title: "Rapporter per vecka"})))
	for _, want := range []string{
		"Flaggade veckor: vecka 52 2025 (12 rapporter) (EARS C2).",
		"Vecka 52 2025: 12 rapporter, förväntat högst 7 – flaggad",
		">v. 1</text>", ">2026</text>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("weekly chart lacks %q", want)
		}
	}
}

func TestWeeklyEmptyAndFlat(t *testing.T) {
	drawtest.Golden(t, "weekly-empty", Weekly(nil, "", Options{ID: "tom", Title: "Inga veckor"}))
	drawtest.Golden(t, "weekly-zero", Weekly([]WeekPoint{{Year: 2026, Week: 1}, {Year: 2026, Week: 2}}, "", Options{ID: "noll", Title: "Noll"}))
}

func TestSparklineGolden(t *testing.T) {
	pts := []SparkPoint{{"2023", 1.2, "1,2"}, {"2024", 0.8, "0,8"}, {"2025", 2.5, "2,5"}, {"2026", 1.9, "1,9"}}
	got := string(drawtest.Golden(t, "sparkline", Sparkline(pts, Options{ID: "vald-ali", Title: "Våld per 1 000 invånare, Ålidhem"})))
	if !strings.Contains(got, "2023: 1,2; 2024: 0,8; 2025: 2,5; 2026: 1,9.") {
		t.Errorf("sparkline desc missing:\n%s", got)
	}
	drawtest.Golden(t, "sparkline-one", Sparkline(pts[:1], Options{ID: "en", Title: "Ett år"}))
}

func TestBarsGolden(t *testing.T) {
	bars := []Bar{
		{Label: "Hot och våld", Value: 12, Text: "12"},
		{Label: "Narkotika", Value: 0, Text: "färre än 5"},
		{Label: "Ordning och stök", Value: 30, Text: "30", Href: "/offentlig?grupp=stok"},
	}
	got := string(drawtest.Golden(t, "bars", Bars(bars, Options{ID: "grupper", Title: "Rapporter per kategorigrupp"})))
	if !strings.Contains(got, "Narkotika: färre än 5") || !strings.Contains(got, `role="group"`) {
		t.Errorf("bar chart text or link missing:\n%s", got)
	}
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct {
		top  float64
		want float64
	}{{0, 1}, {4, 1}, {7.6, 2}, {12, 5}, {47, 10}, {230, 50}, {0.9, 0.2}} {
		if got := niceStep(tc.top, 5); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.top, got, tc.want)
		}
	}
}
