package lagesbildchart

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/draw/drawtest"
	"github.com/trygg-est/trygg/lagesbild"
)

// scenarioPicture reads the picture that lagesbild's tests compute from
// their scenario and keep as a golden file.
func scenarioPicture(t *testing.T) *lagesbild.Picture {
	t.Helper()
	b, err := os.ReadFile("../testdata/scenario.picture.json")
	if err != nil {
		t.Fatal(err)
	}
	var p lagesbild.Picture
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestChartsGolden draws the scenario's picture: the map by count (with
// links) and by rate (on paper, without), the weekly chart and a district's
// trend charts.
func TestChartsGolden(t *testing.T) {
	p := scenarioPicture(t)
	counts := string(drawtest.Golden(t, "map-counts", Map(p, false, "karta-antal", func(code string) string { return "/lagesbild/omrade/" + code })))
	if !strings.Contains(counts, `aria-label="Ålidhem, 14 rapporter"`) || !strings.Contains(counts, `href="/lagesbild/omrade/ALI"`) {
		t.Errorf("map by count lacks Ålidhem's link and value:\n%s", counts)
	}
	rates := string(drawtest.Golden(t, "map-rates", Map(p, true, "takt", nil)))
	if !strings.Contains(rates, "Ersboda, okänt invånarantal") || !strings.Contains(rates, "Ålidhem, 1,8 per 1 000 invånare") || strings.Contains(rates, "<a ") {
		t.Errorf("map by rate:\n%s", rates)
	}
	weekly := string(drawtest.Golden(t, "weekly", Weekly(p, "veckoserie")))
	if !strings.Contains(weekly, "Flaggade veckor: vecka 47 2026 (15 rapporter) (EARS C2).") {
		t.Errorf("weekly chart's text alternative:\n%s", weekly)
	}
	if m, chart := ReportFigures(p); m == nil || chart == nil || m.Title == "" {
		t.Error("a weekly report's figures lack the map or the chart")
	}
	sparks := Sparklines(p, p.Districts[0], "trend")
	if len(sparks) != len(lagesbild.Indicators) {
		t.Fatalf("%d sparklines, want %d", len(sparks), len(lagesbild.Indicators))
	}
	drawtest.Golden(t, "sparkline-social-oro", sparks[4])
}
