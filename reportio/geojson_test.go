package reportio_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
)

func TestGeoJSONWriter(t *testing.T) {
	end := time.Date(2024, 5, 17, 21, 0, 0, 0, time.UTC)
	reports := []*trygg.Report{
		{ID: 7, OccurredAt: time.Date(2024, 5, 17, 20, 30, 0, 0, time.UTC), OccurredEnd: &end,
			ReportedAt: time.Date(2024, 5, 18, 6, 0, 0, 0, time.UTC), AreaCode: "alidhem", Category: "klotter",
			Severity: 2, PlaceType: "centrum", Description: "Text med \"citat\" och </script>", OrgCode: "polisen", Version: 3,
			Location: &trygg.Point{Lat: 63.8142, Lon: 20.3161}},
		{ID: 8, OccurredAt: time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC), ReportedAt: time.Date(2024, 1, 2, 3, 5, 0, 0, time.UTC),
			AreaCode: "haga", Category: "skadegorelse", Severity: 1, PlaceType: "park", Description: "Utan plats", OrgCode: "bostaden", Version: 1},
	}
	type feature struct {
		Type     string
		ID       int64
		Geometry *struct {
			Type        string
			Coordinates []float64
		}
		Properties map[string]any
	}
	var doc struct {
		Type     string
		Features []feature
	}
	for _, n := range []int{0, 1, 2} {
		var out bytes.Buffer
		g := reportio.WriteGeoJSON(&out)
		for _, r := range reports[:n] {
			if err := g.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := g.Close(); err != nil {
			t.Fatal(err)
		}
		if err := g.Write(reports[0]); err == nil {
			t.Error("Write after Close succeeded")
		}
		doc.Features = nil
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%d reports: invalid JSON %v:\n%s", n, err, out.String())
		}
		if doc.Type != "FeatureCollection" || len(doc.Features) != n {
			t.Fatalf("%d reports: got %s with %d features", n, doc.Type, len(doc.Features))
		}
	}
	f0, f1 := doc.Features[0], doc.Features[1]
	if f0.Type != "Feature" || f0.ID != 7 || f0.Geometry == nil || f0.Geometry.Type != "Point" ||
		len(f0.Geometry.Coordinates) != 2 || f0.Geometry.Coordinates[0] != 20.3161 || f0.Geometry.Coordinates[1] != 63.8142 {
		t.Errorf("feature 0 = %+v, geometry %+v", f0, f0.Geometry)
	}
	want := map[string]any{
		"id": 7.0, "occurred_at": "2024-05-17T22:30:00+02:00", "occurred_end": "2024-05-17T23:00:00+02:00",
		"reported_at": "2024-05-18T08:00:00+02:00", "area": "alidhem", "category": "klotter", "severity": 2.0,
		"place_type": "centrum", "description": "Text med \"citat\" och </script>", "organisation": "polisen", "version": 3.0,
	}
	for k, v := range want {
		if f0.Properties[k] != v {
			t.Errorf("property %s = %v, want %v", k, f0.Properties[k], v)
		}
	}
	if f1.Geometry != nil || f1.Properties["occurred_end"] != nil {
		t.Errorf("feature without location or end: %+v", f1)
	}
}

const square = `{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`

func areaFile(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func areaFeature(properties, geometry string) string {
	return `{"type":"Feature","properties":` + properties + `,"geometry":` + geometry + `}`
}

func TestReadAreas(t *testing.T) {
	file := "\uFEFF" + areaFile(
		areaFeature(`{"code":"alidhem","name":" Ålidhem ","population":7120,"approximate":true,"kommun":"Umeå"}`,
			`{"type": "Polygon", "coordinates": [[[20.1, 63.8, 12], [20.2, 63.8, 12], [20.2, 63.9, 12], [20.1, 63.8, 12]]]}`),
		areaFeature(`{"code":"holmsund","name":"Holmsund"}`,
			`{"type":"MultiPolygon","coordinates":[[[[20.3,63.7],[20.4,63.7],[20.4,63.75],[20.3,63.7]]],[[[20.5,63.6],[20.6,63.6],[20.6,63.65],[20.5,63.6]],[[20.52,63.61],[20.55,63.61],[20.55,63.62],[20.52,63.61]]]]}`),
	)
	areas, problems, err := reportio.ReadAreas(strings.NewReader(file))
	if err != nil || len(problems) > 0 {
		t.Fatalf("ReadAreas: %v %v", err, problems)
	}
	if len(areas) != 2 {
		t.Fatalf("%d areas", len(areas))
	}
	a := areas[0]
	if a.Code != "alidhem" || a.Name != "Ålidhem" || a.Population != 7120 || !a.Approximate {
		t.Errorf("area = %+v", a)
	}
	if got, want := string(a.Geometry), `{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`; got != want {
		t.Errorf("geometry = %s, want %s", got, want)
	}
	if b := areas[1]; b.Population != 0 || b.Approximate || !strings.HasPrefix(string(b.Geometry), `{"type":"MultiPolygon","coordinates":[[[[20.3,63.7]`) {
		t.Errorf("area = %+v, geometry %s", b, b.Geometry)
	}
}

func TestReadAreasFeatureErrors(t *testing.T) {
	tests := []struct {
		name, feature string
		want          string // the one FeatureError's text
	}{
		{"missing code", areaFeature(`{"name":"X"}`, square), `Område 1, properties.code: Koden saknas.`},
		{"code not text", areaFeature(`{"code":5,"name":"X"}`, square), `Område 1, properties.code: Koden ska vara en textsträng.`},
		{"bad code", areaFeature(`{"code":"å ä","name":"X"}`, square), `Område 1, properties.code: Koden "å ä" är ogiltig: använd 1–40 tecken a–z, A–Z, 0–9, bindestreck, understreck eller punkt.`},
		{"missing name", areaFeature(`{"code":"x"}`, square), `Område 1 ("x"), properties.name: Namnet saknas.`},
		{"negative population", areaFeature(`{"code":"x","name":"X","population":-1}`, square), `Område 1 ("x"), properties.population: Befolkningen ska vara ett heltal mellan 0 och 100000000.`},
		{"fractional population", areaFeature(`{"code":"x","name":"X","population":1.5}`, square), `Område 1 ("x"), properties.population: Befolkningen ska vara ett heltal mellan 0 och 100000000.`},
		{"approximate not bool", areaFeature(`{"code":"x","name":"X","approximate":"ja"}`, square), `Område 1 ("x"), properties.approximate: Approximate ska vara true eller false.`},
		{"not a feature", `{"type":"Point","properties":{"code":"x","name":"X"},"geometry":` + square + `}`, `Område 1 ("x"), type: Objektet ska ha type "Feature", inte "Point".`},
		{"feature is an array", `[1,2]`, `Område 1, feature: Objektet är ingen GeoJSON Feature: fel typ (lista).`},
		{"no geometry", areaFeature(`{"code":"x","name":"X"}`, `null`), `Område 1 ("x"), geometry: Geometrin saknas; den ska vara en Polygon eller MultiPolygon.`},
		{"point geometry", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Point","coordinates":[20,63]}`), `Område 1 ("x"), geometry: Geometrin ska vara en Polygon eller MultiPolygon, inte "Point".`},
		{"open ring", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.9]]]}`), `Område 1 ("x"), geometry: I ring 1: ringen är inte sluten; första och sista punkten ska vara samma.`},
		{"short ring", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.1,63.8]]]}`), `Område 1 ("x"), geometry: I ring 1: en ring behöver minst fyra punkter, den har 3.`},
		{"latitude out of range", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,91],[20.2,63.9],[20.1,63.8]]]}`), `Område 1 ("x"), geometry: I ring 1, punkt 2: longitud ska vara −180–180 och latitud −90–90 (WGS 84), men punkten är [20.2, 91].`},
		{"swapped coordinates (RT 90)", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[1720000,7090000],[1721000,7090000],[1721000,7091000],[1720000,7090000]]]}`), `Område 1 ("x"), geometry: I ring 1, punkt 1: longitud ska vara −180–180 och latitud −90–90 (WGS 84), men punkten är [1720000, 7090000].`},
		{"huge number", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[1e400,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`), `Område 1 ("x"), geometry: I ring 1, punkt 1: koordinaten är inget ändligt tal.`},
		{"position with one number", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[[[20.1],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`), `Område 1 ("x"), geometry: I ring 1, punkt 1: en punkt ska vara [longitud, latitud].`},
		{"wrong nesting", areaFeature(`{"code":"x","name":"X"}`, `{"type":"MultiPolygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`), `Område 1 ("x"), geometry: Koordinaterna har fel form för en MultiPolygon: de ska vara en lista av polygoner, var och en en lista av ringar.`},
		{"empty polygon", areaFeature(`{"code":"x","name":"X"}`, `{"type":"Polygon","coordinates":[]}`), `Område 1 ("x"), geometry: I polygonen saknas ringar.`},
		{"bad ring in multipolygon", areaFeature(`{"code":"x","name":"X"}`, `{"type":"MultiPolygon","coordinates":[[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]],[[[0,0],[1,0],[0,0]]]]}`), `Område 1 ("x"), geometry: I polygon 2, ring 1: en ring behöver minst fyra punkter, den har 3.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			areas, problems, err := reportio.ReadAreas(strings.NewReader(areaFile(tt.feature)))
			if err != nil {
				t.Fatal(err)
			}
			if len(areas) != 0 || len(problems) != 1 || problems[0].Error() != tt.want {
				t.Errorf("areas %v, problems %q\nwant %q", areas, problems, tt.want)
			}
		})
	}
}

func TestReadAreasKeepsGoodAndDuplicates(t *testing.T) {
	file := areaFile(
		areaFeature(`{"code":"a","name":"A"}`, square),
		areaFeature(`{"code":"b"}`, square),
		areaFeature(`{"code":"a","name":"A igen"}`, square),
	)
	areas, problems, err := reportio.ReadAreas(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 1 || areas[0].Name != "A" {
		t.Errorf("areas = %v", areas)
	}
	if len(problems) != 2 || problems[0].Index != 2 || problems[1].Error() != `Område 3 ("a"), properties.code: Koden finns redan i område 1 i filen.` {
		t.Errorf("problems = %q", problems)
	}
}

func TestReadAreasBadFile(t *testing.T) {
	tests := []struct {
		name, file, message string
	}{
		{"not JSON", "code;name\nx;y", "Filen är inte giltig GeoJSON: syntaxfel vid tecken 1."},
		{"truncated", `{"type":"FeatureCollection","features":[`, "Filen är inte giltig GeoJSON: texten tar slut mitt i."},
		{"a single feature", areaFeature(`{"code":"x","name":"X"}`, square), `Filen ska vara en GeoJSON FeatureCollection, men dess type är "Feature".`},
		{"features not a list", `{"type":"FeatureCollection","features":{}}`, "Filen är inte giltig GeoJSON: fältet features har fel typ (objekt)."},
		{"too many features", areaFile(strings.Repeat(`{},`, reportio.MaxAreaFeatures) + `{}`), "Filen har 5001 områden; högst 5000 går att importera på en gång."},
		{"too large", `{"type":"FeatureCollection","features":[],"x":"` + strings.Repeat("x", reportio.MaxAreaFileSize) + `"}`, "Filen är för stor: högst 20 MB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := reportio.ReadAreas(strings.NewReader(tt.file))
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) != tt.message {
				t.Errorf("err = %v, want EINVALID %q", err, tt.message)
			}
		})
	}
}

func FuzzReadAreas(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		areas, problems, err := reportio.ReadAreas(bytes.NewReader(data))
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			return
		}
		for _, p := range problems {
			if p.Index < 1 || p.Field == "" || p.Message == "" {
				t.Fatalf("problem %+v does not say where and what", p)
			}
		}
		for _, a := range areas {
			if a.Code == "" || a.Name == "" || a.Population < 0 {
				t.Fatalf("invalid area passed: %+v", a)
			}
			var g struct {
				Type        string
				Coordinates json.RawMessage
			}
			if err := json.Unmarshal(a.Geometry, &g); err != nil || (g.Type != "Polygon" && g.Type != "MultiPolygon") {
				t.Fatalf("stored geometry %s is not a polygon: %v", a.Geometry, err)
			}
			// The stored geometry must itself be accepted again.
			again, problems, err := reportio.ReadAreas(strings.NewReader(areaFile(areaFeature(`{"code":"c","name":"n"}`, string(a.Geometry)))))
			if err != nil || len(problems) != 0 || string(again[0].Geometry) != string(a.Geometry) {
				t.Fatalf("stored geometry %s not accepted again: %v %v", a.Geometry, err, problems)
			}
		}
	})
}
