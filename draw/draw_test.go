package draw_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/draw/drawtest"
)

func sample(href string) *draw.Canvas {
	c := &draw.Canvas{Width: 200, Height: 100, ID: "prov", Title: "Prov <1>", Desc: "Alla slag av former.", Class: "chart bad!class"}
	c.Add(
		draw.Rect{X: 0, Y: 0, W: 200, H: 100, Style: draw.Style{Fill: "#FFFFFF", Stroke: "#000000"}},
		draw.Path{Subpaths: [][]draw.Point{{{10, 10}, {50, 10}, {50, 50}}, {{20, 20}, {30, 20}, {30, 30}}}, Closed: true,
			Style: draw.Style{Fill: "#cfe0f1", Stroke: "red"}, Title: "Polygon med hål"},
		draw.Path{Subpaths: [][]draw.Point{{{0, 90}, {100.04, 80.06}, {200, 95}}}, Style: draw.Style{Stroke: "#1d4f80", StrokeWidth: 2, Dash: []float64{4, 2}}},
		draw.Circle{CX: 100, CY: 50, R: 4, Style: draw.Style{Fill: "#f5b700", Class: "marker"}, Title: "Punkt & plats"},
		draw.Text{X: 100, Y: 98, Text: "v. 47", Anchor: draw.Middle, Size: 10},
		draw.Text{X: 199, Y: 12, Text: "Larm", Anchor: draw.End, Bold: true, Style: draw.Style{Fill: "#8b0000"}, Title: "Vecka 47: larm"},
		draw.Group{Class: "district", Title: "Ålidhem, 12 rapporter", Href: href, Current: true, Items: []draw.Item{
			draw.Rect{X: 150, Y: 40, W: 40, H: 20, Style: draw.Style{Class: "level-2"}},
			draw.Text{X: 170, Y: 54, Text: "Ålidhem"},
		}},
	)
	return c
}

func TestWriteSVGGolden(t *testing.T) {
	for _, tc := range []struct{ name, href string }{
		{"plain", ""},
		{"linked", "/lagesbild/omrade/ALI?x=1&y=2"},
		{"unsafe", "javascript:alert(1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(drawtest.Golden(t, "canvas-"+tc.name, sample(tc.href)))
			if strings.Contains(got, "javascript") || strings.Contains(got, "bad!class") {
				t.Errorf("unsafe link or class written:\n%s", got)
			}
			wantRole := `role="img"`
			if tc.name == "linked" {
				wantRole = `role="group"`
			}
			if !strings.Contains(got, wantRole+` aria-labelledby="prov-title" aria-describedby="prov-desc"`) {
				t.Errorf("want %s with title and desc:\n%s", wantRole, got)
			}
		})
	}
}

func TestWriteSVGDefaults(t *testing.T) {
	var buf bytes.Buffer
	if err := (&draw.Canvas{Width: 10, Height: 10, ID: "1 bad"}).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.Contains(got, `aria-labelledby="bild-title"`) || !strings.Contains(got, `<title id="bild-title">Bild</title>`) || strings.Contains(got, "<desc") {
		t.Errorf("defaults not applied:\n%s", got)
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{{0, "0"}, {-0.01, "0"}, {1.25, "1.3"}, {-3.04, "-3"}, {1e3, "1000"}} {
		if got := draw.Num(tc.in); got != tc.want {
			t.Errorf("Num(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeHref(t *testing.T) {
	for h, want := range map[string]bool{
		"/a": true, "?q=1": true, "#x": true, "": false, "//evil": false,
		"https://x": false, "javascript:x": false, "/a b": false, `/a\b`: false,
	} {
		if got := draw.SafeHref(h); got != want {
			t.Errorf("SafeHref(%q) = %v", h, got)
		}
	}
}

func TestIntegerAndDecimal(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 7000: "7\u00a0000", 1234567: "1\u00a0234\u00a0567", -4500: "−4\u00a0500"} {
		if got := draw.Integer(n); got != want {
			t.Errorf("Integer(%d) = %q, want %q", n, got, want)
		}
	}
	for _, tc := range []struct {
		v    float64
		want string
	}{{1.26, "1,3"}, {-0.01, "0,0"}, {12, "12,0"}} {
		if got := draw.Decimal(tc.v, 1); got != tc.want {
			t.Errorf("Decimal(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
