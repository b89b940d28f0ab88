package geo_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/trygg-est/trygg/geo"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw string
		want      geo.Geometry
		written   string // MarshalJSON's output
	}{
		{"polygon with altitudes",
			`{"type": "Polygon", "coordinates": [[[20.1, 63.8, 12], [20.2, 63.8, 12], [20.2, 63.9, 12], [20.1, 63.8, 12]]], "bbox": [1, 2, 3, 4]}`,
			geo.Geometry{Polygons: geo.MultiPolygon{{{{Lon: 20.1, Lat: 63.8}, {Lon: 20.2, Lat: 63.8}, {Lon: 20.2, Lat: 63.9}, {Lon: 20.1, Lat: 63.8}}}}},
			`{"type":"Polygon","coordinates":[[[20.1,63.8],[20.2,63.8],[20.2,63.9],[20.1,63.8]]]}`},
		{"multipolygon with a hole",
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[6,2],[6,6],[2,2]],[[3,2.5],[5,2.5],[5,4],[3,2.5]]]]}`,
			geo.Geometry{Multi: true, Polygons: geo.MultiPolygon{
				{{{Lon: 0, Lat: 0}, {Lon: 1, Lat: 0}, {Lon: 1, Lat: 1}, {Lon: 0, Lat: 0}}},
				{{{Lon: 2, Lat: 2}, {Lon: 6, Lat: 2}, {Lon: 6, Lat: 6}, {Lon: 2, Lat: 2}}, {{Lon: 3, Lat: 2.5}, {Lon: 5, Lat: 2.5}, {Lon: 5, Lat: 4}, {Lon: 3, Lat: 2.5}}},
			}},
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[6,2],[6,6],[2,2]],[[3,2.5],[5,2.5],[5,4],[3,2.5]]]]}`},
		{"the edges of the world",
			`{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}`,
			geo.Geometry{Polygons: geo.MultiPolygon{{{{Lon: -180, Lat: -90}, {Lon: 180, Lat: -90}, {Lon: 180, Lat: 90}, {Lon: -180, Lat: -90}}}}},
			`{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := geo.Parse([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse = %+v\nwant %+v", g, tt.want)
			}
			b, err := json.Marshal(g)
			if err != nil || string(b) != tt.written {
				t.Errorf("MarshalJSON = %s, %v\nwant %s", b, err, tt.written)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, raw string
		want      geo.Error // without JSON
	}{
		{"nothing", ``, geo.Error{Problem: geo.Missing}},
		{"null", ` null `, geo.Error{Problem: geo.Missing}},
		{"a string", `"Polygon"`, geo.Error{Problem: geo.NotObject}},
		{"type not text", `{"type":5}`, geo.Error{Problem: geo.NotObject}},
		{"not JSON", `{"type":`, geo.Error{Problem: geo.NotObject}},
		{"a point", `{"type":"Point","coordinates":[20,63]}`, geo.Error{Problem: geo.NotPolygon, Type: "Point"}},
		{"no type", `{"coordinates":[]}`, geo.Error{Problem: geo.NotPolygon}},
		{"polygon nested as a multipolygon", `{"type":"Polygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}`, geo.Error{Problem: geo.BadCoordinates, Type: "Polygon"}},
		{"multipolygon nested as a polygon", `{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`, geo.Error{Problem: geo.BadCoordinates, Type: "MultiPolygon"}},
		{"no coordinates", `{"type":"Polygon"}`, geo.Error{Problem: geo.BadCoordinates, Type: "Polygon"}},
		{"text for numbers", `{"type":"Polygon","coordinates":[[["a","b"]]]}`, geo.Error{Problem: geo.BadCoordinates, Type: "Polygon"}},
		{"multipolygon of none", `{"type":"MultiPolygon","coordinates":[]}`, geo.Error{Problem: geo.NoPolygons, Type: "MultiPolygon"}},
		{"polygon of no rings", `{"type":"Polygon","coordinates":[]}`, geo.Error{Problem: geo.NoRings, Type: "Polygon"}},
		{"empty second polygon", `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}`, geo.Error{Problem: geo.NoRings, Type: "MultiPolygon", Polygon: 2}},
		{"a line", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, geo.Error{Problem: geo.ShortRing, Type: "Polygon", Ring: 1, Positions: 3}},
		{"empty hole", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[]]}`, geo.Error{Problem: geo.ShortRing, Type: "Polygon", Ring: 2}},
		{"one number", `{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}`, geo.Error{Problem: geo.BadPosition, Type: "Polygon", Ring: 1, Position: 2}},
		{"four numbers", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1,0,0],[0,0]]]}`, geo.Error{Problem: geo.BadPosition, Type: "Polygon", Ring: 1, Position: 3}},
		{"too large", `{"type":"Polygon","coordinates":[[[1e400,0],[1,0],[1,1],[0,0]]]}`, geo.Error{Problem: geo.NotFinite, Type: "Polygon", Ring: 1, Position: 1}},
		{"latitude beyond the pole", `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,90.5],[0,0]]]]}`, geo.Error{Problem: geo.OutOfRange, Type: "MultiPolygon", Polygon: 2, Ring: 1, Position: 3, Lon: "1", Lat: "90.5"}},
		{"Swedish grid (SWEREF 99) instead of degrees", `{"type":"Polygon","coordinates":[[[759000,7085000],[760000,7085000],[760000,7086000],[759000,7085000]]]}`, geo.Error{Problem: geo.OutOfRange, Type: "Polygon", Ring: 1, Position: 1, Lon: "759000", Lat: "7085000"}},
		{"open ring", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`, geo.Error{Problem: geo.OpenRing, Type: "Polygon", Ring: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := geo.Parse([]byte(tt.raw))
			var e *geo.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *geo.Error", err)
			}
			if (e.Problem == geo.NotObject) != (e.JSON != nil) {
				t.Errorf("JSON = %v for problem %d", e.JSON, e.Problem)
			}
			got := *e
			got.JSON = nil
			if got != tt.want {
				t.Errorf("err = %+v\nwant %+v", got, tt.want)
			}
			if e.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestMarshalJSONRefusesNaN(t *testing.T) {
	g := geo.Geometry{Polygons: geo.MultiPolygon{{{{Lon: math.NaN()}}}}}
	if _, err := json.Marshal(g); err == nil {
		t.Error("NaN was written")
	}
}

// FuzzParse checks that Parse never panics, that what it accepts keeps
// every promise of its doc comment, and that what it writes back it reads
// again unchanged.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw []byte) {
		g, err := geo.Parse(raw)
		if err != nil {
			var e *geo.Error
			if !errors.As(err, &e) || e.Problem < geo.Missing || e.Problem > geo.OpenRing || e.Error() == "" {
				t.Fatalf("err = %#v", err)
			}
			return
		}
		if len(g.Polygons) == 0 || !g.Multi && len(g.Polygons) != 1 {
			t.Fatalf("accepted %d polygons (multi %v)", len(g.Polygons), g.Multi)
		}
		for _, pg := range g.Polygons {
			if len(pg) == 0 {
				t.Fatal("accepted a polygon without rings")
			}
			for _, r := range pg {
				if len(r) < geo.MinRingPositions || r[0] != r[len(r)-1] {
					t.Fatalf("accepted ring %v", r)
				}
				for _, p := range r {
					if math.IsNaN(p.Lon) || math.IsNaN(p.Lat) || p.Lon < -180 || p.Lon > 180 || p.Lat < -90 || p.Lat > 90 {
						t.Fatalf("accepted position %v", p)
					}
				}
			}
		}
		b := g.Polygons.Bounds()
		if b.Empty() || !b.Intersects(b) {
			t.Fatalf("bounds %+v", b)
		}
		// Any point the geometry holds lies in its box.
		for _, p := range []geo.Point{b.Center(), b.Min, b.Max, g.Polygons[0][0][0]} {
			if g.Polygons.Contains(p) && !b.Intersects(geo.Bounds{}.Extend(p)) {
				t.Fatalf("%v is held but outside the box %+v", p, b)
			}
		}
		written, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		again, err := geo.Parse(written)
		if err != nil || !reflect.DeepEqual(again, g) {
			t.Fatalf("%s read back as %+v, %v; was %+v", written, again, err, g)
		}
		if rewritten, _ := json.Marshal(again); string(rewritten) != string(written) {
			t.Fatalf("written twice differently: %s, %s", written, rewritten)
		}
	})
}
