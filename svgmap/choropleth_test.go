package svgmap

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/draw/drawtest"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		values   []float64
		whole    bool
		classes  string
		legend   string
		decimals int
	}{
		{"counts", []float64{0, 1, 5, 10, 20}, true, "[level-0 level-1 level-1 level-2 level-4]",
			"[0 1–5 6–10 11–15 16–20]", 0},
		{"few counts skip empty steps", []float64{0, 1, 2}, true, "[level-0 level-2 level-4]", "[0 1 2]", 0},
		{"all zero", []float64{0, 0}, true, "[level-0 level-0]", "[0]", 0},
		{"rates", []float64{0.4, 1.6, 0}, false, "[level-1 level-4 level-0]",
			"[0 över 0 – 0,4 över 0,4 – 0,8 över 0,8 – 1,2 över 1,2 – 1,6]", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			classes, legend := Classify(tt.values, tt.whole, tt.decimals)
			var labels []string
			for _, e := range legend {
				labels = append(labels, e.Label)
			}
			if fmt.Sprint(classes) != tt.classes || fmt.Sprint(labels) != tt.legend {
				t.Errorf("Classify = %v %v, want %v %v", classes, labels, tt.classes, tt.legend)
			}
		})
	}
}

func TestChoroplethGolden(t *testing.T) {
	regions := []Region{
		{Code: "ali", Name: "Ålidhem", Geometry: polygonJSON(squareRing(63.818, 20.305, 0.006)), Href: "/lagesbild/omrade/ali"},
		{Code: "hag", Name: "Haga", Geometry: polygonJSON(squareRing(63.833, 20.247, 0.005)), Href: "/lagesbild/omrade/hag"},
		{Code: "ers", Name: "Ersboda", Geometry: polygonJSON(squareRing(63.845, 20.320, 0.007))},
	}
	classes, legend := Classify([]float64{14, 3, 0}, true, 0)
	for i := range regions {
		regions[i].Fill = classes[i]
		regions[i].Label = fmt.Sprintf("%s, %d rapporter", regions[i].Name, []int{14, 3, 0}[i])
	}
	c := Choropleth(regions, Legend{Title: "Rapporter", Entries: legend}, Options{ID: "lagesbildkarta", Title: "Karta: rapporter per område",
		Desc: "Ålidhem 14, Haga 3, Ersboda 0.", Selected: "hag", LabelSize: 18})
	got := string(drawtest.Golden(t, "choropleth", c))
	for _, want := range []string{`aria-label="Ålidhem, 14 rapporter"`, `aria-label="Haga, 3 rapporter, vald"`, `>4–7</text>`, `class="legend"`} {
		if !strings.Contains(got, want) {
			t.Errorf("choropleth lacks %q", want)
		}
	}
}
