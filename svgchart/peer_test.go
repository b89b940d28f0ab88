package svgchart

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/indikator"
)

func TestPeer(t *testing.T) {
	t.Parallel()
	var values []indikator.Value
	for y := 2019; y <= 2024; y++ {
		values = append(values, indikator.Value{Area: "2480", Year: y, Value: float64(100 - (y-2019)*4)},
			indikator.Value{Area: "0180", Year: y, Value: 60}, indikator.Value{Area: "1280", Year: y, Value: 90},
			indikator.Value{Area: "1480", Year: y, Value: -20})
	}
	c := indikator.Compare(values, "2480", []string{"0180", "1280", "1480"}, indikator.LowerIsBetter)
	cv := Peer(c, "Umeå", 1, Options{ID: "p", Title: "Testserie"})
	var buf bytes.Buffer
	if err := cv.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{"Jämförelsegruppens median", "class=\"band\"", "Umeå 2024: 80,0", "Plats 3 av 4", "Förändring sedan 2019: −20,0 (−20 %)", "2024: median 60,0"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	empty := Peer(indikator.Comparison{}, "Umeå", 0, Options{})
	if !strings.Contains(empty.Desc, "inga värden") {
		t.Errorf("empty chart says %q", empty.Desc)
	}
}
