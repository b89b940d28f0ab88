package lagesbild

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg/draw/drawtest"
)

// TestChartsGolden draws the scenario's picture: the map by count (with
// links) and by rate (on paper, without), the weekly chart and a district's
// trend charts.
func TestChartsGolden(t *testing.T) {
	p := build(t, scenario(), Filter{})
	ch := p.Charts(func(code string) string { return "/lagesbild/omrade/" + code })
	counts := string(drawtest.Golden(t, "map-counts", ch.MapCounts))
	if !strings.Contains(counts, `aria-label="Ålidhem, 14 rapporter"`) || !strings.Contains(counts, `href="/lagesbild/omrade/ALI"`) {
		t.Errorf("map by count lacks Ålidhem's link and value:\n%s", counts)
	}
	rates := string(drawtest.Golden(t, "map-rates", p.Map(true, "takt", nil)))
	if !strings.Contains(rates, "Ersboda, okänt invånarantal") || !strings.Contains(rates, "Ålidhem, 1,8 per 1 000 invånare") || strings.Contains(rates, "<a ") {
		t.Errorf("map by rate:\n%s", rates)
	}
	weekly := string(drawtest.Golden(t, "weekly", ch.Weekly))
	if !strings.Contains(weekly, "Flaggade veckor: vecka 47 2026 (15 rapporter) (EARS C2).") {
		t.Errorf("weekly chart's text alternative:\n%s", weekly)
	}
	sparks := p.Sparklines(p.Districts[0], "trend")
	if len(sparks) != len(Indicators) {
		t.Fatalf("%d sparklines, want %d", len(sparks), len(Indicators))
	}
	drawtest.Golden(t, "sparkline-social-oro", sparks[4])
}
