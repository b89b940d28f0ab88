package geo_test

import (
	"testing"

	"github.com/trygg-est/trygg/geo"
)

// square is a closed ring around [x0, x1] × [y0, y1], counter-clockwise.
func square(x0, y0, x1, y1 float64) geo.Ring {
	return geo.Ring{{Lon: x0, Lat: y0}, {Lon: x1, Lat: y0}, {Lon: x1, Lat: y1}, {Lon: x0, Lat: y1}, {Lon: x0, Lat: y0}}
}

// reversed is r run the other way round.
func reversed(r geo.Ring) geo.Ring {
	out := make(geo.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func TestRingContains(t *testing.T) {
	unit := square(0, 0, 1, 1)
	triangle := geo.Ring{{Lon: 0, Lat: 0}, {Lon: 4, Lat: 0}, {Lon: 0, Lat: 4}, {Lon: 0, Lat: 0}}
	tests := []struct {
		name string
		ring geo.Ring
		p    geo.Point
		want bool
	}{
		{"inside", unit, geo.Point{Lon: 0.5, Lat: 0.5}, true},
		{"outside to the right", unit, geo.Point{Lon: 1.5, Lat: 0.5}, false},
		{"outside to the left", unit, geo.Point{Lon: -0.5, Lat: 0.5}, false},
		{"outside above", unit, geo.Point{Lon: 0.5, Lat: 1.5}, false},
		{"on the left edge", unit, geo.Point{Lon: 0, Lat: 0.5}, true},
		{"on the bottom edge", unit, geo.Point{Lon: 0.5, Lat: 0}, true},
		{"on the right edge", unit, geo.Point{Lon: 1, Lat: 0.5}, false},
		{"on the top edge", unit, geo.Point{Lon: 0.5, Lat: 1}, false},
		{"bottom-left vertex", unit, geo.Point{Lon: 0, Lat: 0}, true},
		{"bottom-right vertex", unit, geo.Point{Lon: 1, Lat: 0}, false},
		{"top-left vertex", unit, geo.Point{Lon: 0, Lat: 1}, false},
		{"top-right vertex", unit, geo.Point{Lon: 1, Lat: 1}, false},
		{"clockwise ring, inside", reversed(unit), geo.Point{Lon: 0.5, Lat: 0.5}, true},
		{"clockwise ring, left edge", reversed(unit), geo.Point{Lon: 0, Lat: 0.5}, true},
		{"open ring", unit[:4], geo.Point{Lon: 0.5, Lat: 0.5}, true},
		{"on the slanted edge of a triangle", triangle, geo.Point{Lon: 2, Lat: 2}, false},
		{"inside a triangle", triangle, geo.Point{Lon: 1, Lat: 1}, true},
		{"level with a vertex, outside", triangle, geo.Point{Lon: -1, Lat: 4}, false},
		{"empty ring", nil, geo.Point{}, false},
		{"one position", geo.Ring{{Lon: 1, Lat: 1}}, geo.Point{Lon: 1, Lat: 1}, false},
		{"a line, there and back", geo.Ring{{Lon: 0, Lat: 0}, {Lon: 1, Lat: 1}, {Lon: 0, Lat: 0}, {Lon: 0, Lat: 0}}, geo.Point{Lon: 0.5, Lat: 0.5}, false},
		{"all positions the same", geo.Ring{{Lon: 1, Lat: 1}, {Lon: 1, Lat: 1}, {Lon: 1, Lat: 1}, {Lon: 1, Lat: 1}}, geo.Point{Lon: 1, Lat: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ring.Contains(tt.p); got != tt.want {
				t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestSharedBordersBelongToOneSide checks the boundary rule's promise:
// where districts meet, a point lies in exactly one of them.
func TestSharedBordersBelongToOneSide(t *testing.T) {
	// Four squares meeting at (1, 1), and two triangles sharing a slanted
	// edge, each run its own way round.
	tiles := []geo.Polygon{
		{square(0, 0, 1, 1)}, {reversed(square(1, 0, 2, 1))},
		{square(0, 1, 1, 2)}, {square(1, 1, 2, 2)},
		{geo.Ring{{Lon: 0, Lat: 2}, {Lon: 2, Lat: 2}, {Lon: 0.3, Lat: 3.7}, {Lon: 0, Lat: 2}}},
		{geo.Ring{{Lon: 2, Lat: 2}, {Lon: 2, Lat: 4}, {Lon: 0.3, Lat: 3.7}, {Lon: 2, Lat: 2}}},
	}
	points := []geo.Point{
		{Lon: 1, Lat: 1}, {Lon: 1, Lat: 0.5}, {Lon: 0.5, Lat: 1}, {Lon: 1.5, Lat: 1}, {Lon: 1, Lat: 1.5},
		{Lon: 1.15, Lat: 2.85}, {Lon: 2 - 1.7*0.25, Lat: 2 + 1.7*0.25}, {Lon: 0.3 + 1.7*0.6, Lat: 3.7 - 1.7*0.6},
	}
	for _, p := range points {
		n := 0
		for _, tile := range tiles {
			if tile.Contains(p) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%v lies in %d tiles, want 1", p, n)
		}
	}
}

func TestPolygonContains(t *testing.T) {
	withHole := geo.Polygon{square(0, 0, 10, 10), square(4, 4, 6, 6)}
	islands := geo.MultiPolygon{
		withHole,
		{square(4.5, 4.5, 5.5, 5.5)}, // an island in the hole
		{square(20, 20, 21, 21)},
	}
	tests := []struct {
		name  string
		shape interface{ Contains(geo.Point) bool }
		p     geo.Point
		want  bool
	}{
		{"outside the hole", withHole, geo.Point{Lon: 2, Lat: 2}, true},
		{"in the hole", withHole, geo.Point{Lon: 5, Lat: 5}, false},
		{"on the hole's left edge", withHole, geo.Point{Lon: 4, Lat: 5}, false},
		{"on the hole's right edge", withHole, geo.Point{Lon: 6, Lat: 5}, true},
		{"outside everything", withHole, geo.Point{Lon: 11, Lat: 5}, false},
		{"empty polygon", geo.Polygon{}, geo.Point{}, false},
		{"a hole alone does not count", geo.Polygon{nil, square(0, 0, 1, 1)}, geo.Point{Lon: 0.5, Lat: 0.5}, false},
		{"multipolygon: first part", islands, geo.Point{Lon: 2, Lat: 2}, true},
		{"multipolygon: island in the hole", islands, geo.Point{Lon: 5, Lat: 5}, true},
		{"multipolygon: hole around the island", islands, geo.Point{Lon: 4.2, Lat: 5}, false},
		{"multipolygon: far part", islands, geo.Point{Lon: 20.5, Lat: 20.5}, true},
		{"multipolygon: between the parts", islands, geo.Point{Lon: 15, Lat: 15}, false},
		{"empty multipolygon", geo.MultiPolygon{}, geo.Point{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.shape.Contains(tt.p); got != tt.want {
				t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	var empty geo.Bounds
	if !empty.Empty() || empty.Intersects(empty) || !geo.MultiPolygon(nil).Bounds().Empty() || !(geo.Polygon{}).Bounds().Empty() {
		t.Error("empty bounds are not empty")
	}
	m := geo.MultiPolygon{
		{square(20.30, 63.81, 20.32, 63.82), square(20.305, 63.812, 20.31, 63.815)},
		{square(20.26, 63.82, 20.28, 63.83)},
	}
	b := m.Bounds()
	want := geo.Bounds{}.Extend(geo.Point{Lon: 20.26, Lat: 63.81}).Extend(geo.Point{Lon: 20.32, Lat: 63.83})
	if b != want || b.Min != (geo.Point{Lon: 20.26, Lat: 63.81}) || b.Max != (geo.Point{Lon: 20.32, Lat: 63.83}) {
		t.Errorf("Bounds = %+v, want %+v", b, want)
	}
	if c := b.Center(); c.Lon != (20.26+20.32)/2 || c.Lat != (63.81+63.83)/2 {
		t.Errorf("Center = %v", c)
	}
	if b.Union(empty) != b || empty.Union(b) != b {
		t.Error("a union with the empty box changed the box")
	}
	tests := []struct {
		name string
		o    geo.Bounds
		want bool
	}{
		{"overlapping", square(20.31, 63.82, 21, 64).Bounds(), true},
		{"touching", square(20.32, 63.83, 21, 64).Bounds(), true},
		{"apart", square(20.33, 63.81, 21, 64).Bounds(), false},
		{"a point inside", geo.Bounds{}.Extend(geo.Point{Lon: 20.3, Lat: 63.82}), true},
		{"empty", empty, false},
	}
	for _, tt := range tests {
		if got := b.Intersects(tt.o); got != tt.want || tt.o.Intersects(b) != tt.want {
			t.Errorf("%s: Intersects = %v, want %v", tt.name, got, tt.want)
		}
	}
}
