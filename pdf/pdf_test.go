package pdf

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/weekly"
)

func testCanvas() *draw.Canvas {
	c := &draw.Canvas{Width: 200, Height: 100, Title: "Rapporter per vecka", Desc: "Stapeldiagram."}
	c.Add(
		draw.Rect{X: 10, Y: 10, W: 20, H: 80, Style: draw.Style{Fill: "#1f5f8b"}, Title: "vecka 47: 14", Href: "/x"},
		draw.Path{Subpaths: [][]draw.Point{{{X: 0, Y: 0}, {X: 100, Y: 0}, {X: 100, Y: 50}}, {{X: 10, Y: 10}, {X: 20, Y: 10}, {X: 20, Y: 20}}},
			Closed: true, Style: draw.Style{Fill: "#ff0000", Stroke: "#000000"}},
		draw.Path{Subpaths: [][]draw.Point{{{X: 0, Y: 90}, {X: 200, Y: 90}}}, Style: draw.Style{Fill: "#00ff00", Stroke: "#333333", Dash: []float64{4, 2}}},
		draw.Circle{CX: 50, CY: 50, R: 3, Style: draw.Style{Stroke: "#000000"}},
		draw.Group{Items: []draw.Item{
			draw.Text{X: 100, Y: 98, Text: "Ålidhem", Anchor: draw.Middle, Bold: true},
			draw.Rect{X: 0, Y: 0, W: 5, H: 5, Style: draw.Style{Class: "only-css"}},
		}},
	)
	return c
}

// TestDrawCanvas checks the path operators that each item becomes, in an
// uncompressed page.
func TestDrawCanvas(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.AddPage()
	DrawCanvas(f, f.UnicodeTranslatorFromDescriptor("cp1252"), testCanvas(), 10, 20, 100)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"0.122 0.373 0.545 rg", // the bar's fill
		" re f",                // the bar
		"h\nB*",                // the polygon with a hole: filled even-odd and stroked
		"[5.67 2.83] 0.00 d",   // the dashed line, 4 and 2 units at 0.5 mm per unit
		"(\xc5lidhem) Tj",      // cp1252 Å
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(out, "0.000 1.000 0.000 rg") {
		t.Error("an open path was filled")
	}
}

func TestWriteWeekly(t *testing.T) {
	pic := lagesbild.Picture{
		Version: lagesbild.PictureVersion,
		Total:   14,
		Summary: []string{"14 rapporter under vecka 47 2026."},
		Areas: []lagesbild.AreaValue{{Code: "alidhem", Name: "Ålidhem", Count: 14, Per1000: 2, HasRate: true,
			Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[20.30,63.81],[20.32,63.81],[20.32,63.82],[20.30,63.82],[20.30,63.81]]]}`)},
			{Code: "haga", Name: "Haga"}},
		Series:  lagesbild.Series{Weeks: []lagesbild.Week{{Year: 2026, Week: 46, Count: 3}, {Year: 2026, Week: 47, Count: 14, HasBound: true, UpperBound: 6, Alarm: true}}},
		Flags:   []lagesbild.Flag{{Sentence: "Ålidhem — skadegörelse: 14 rapporter vecka 47, förväntat högst 6 (EARS C2)"}},
		Changes: []lagesbild.Change{{AreaName: "Ålidhem", CategoryName: "Klotter", Last4: 20, Prev12: 12, YearAgo4: 3, VsPrevThirds: 48, VsYearAgo: -2}},
	}
	at := time.Date(2026, 11, 23, 13, 5, 0, 0, time.UTC)
	rep := &weekly.Report{Week: trygg.ISOWeek{Year: 2026, Week: 47}, Version: 2, Analysis: "Ökning på Ålidhem.\n\nSe vandringarna.",
		PublishedAt: at, PublisherName: "Sam Ordnare"}
	for _, tc := range []struct {
		name    string
		actions []weekly.OpenAction
	}{
		{"no actions", nil},
		{"open actions", []weekly.OpenAction{{Title: "Trygghetsvandring", Area: "Ålidhem"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &weekly.Content{Picture: pic, OpenActions: tc.actions}
			var a, b bytes.Buffer
			if err := WriteWeekly(&a, rep, c); err != nil {
				t.Fatal(err)
			}
			if err := WriteWeekly(&b, rep, c); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) {
				t.Fatalf("output starts %q", a.Bytes()[:8])
			}
			if !bytes.Contains(a.Bytes(), []byte("/Title (Veckorapport 2026-W47 version 2)")) {
				t.Error("the information dictionary lacks the week")
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("the same report gave two different files")
			}
		})
	}
}

func TestAscii(t *testing.T) {
	if got := ascii("Lägesbild — Ålidhem (ö)\n"); got != "Lagesbild - Alidhem (o)" {
		t.Errorf("ascii = %q", got)
	}
}
