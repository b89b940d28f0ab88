package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// MinRingPositions is how many positions a ring needs at least, the last
// repeating the first (RFC 7946 §3.1.6): a triangle.
const MinRingPositions = 4

// Geometry is a GeoJSON Polygon or MultiPolygon. A Polygon is held as a
// MultiPolygon of one, and Multi remembers which it was, so that it is
// written back as it came.
type Geometry struct {
	Polygons MultiPolygon
	Multi    bool
}

// Problem is what makes a geometry unusable; Error says where.
type Problem int

// The problems Parse finds, in the order it looks for them.
const (
	Missing        Problem = iota + 1 // no geometry, or null
	NotObject                         // not a JSON object with a text type
	NotPolygon                        // a type other than Polygon or MultiPolygon
	BadCoordinates                    // coordinates not nested as the type needs
	NoPolygons                        // a MultiPolygon of no polygons
	NoRings                           // a polygon of no rings
	ShortRing                         // a ring of fewer than MinRingPositions positions
	BadPosition                       // a position of other than two or three numbers
	NotFinite                         // a coordinate too large to be a float64
	OutOfRange                        // a longitude beyond ±180 or a latitude beyond ±90
	OpenRing                          // a ring whose last position is not its first
)

// Error is a geometry Parse rejects: the problem and where it is, for the
// caller to word for whoever supplied the geometry.
type Error struct {
	Problem Problem
	// Type is the geometry's type as written.
	Type string
	// Polygon (1-based) is the polygon of a MultiPolygon the problem is in;
	// 0 in a Polygon. Ring and Position (1-based) are set where the
	// problem is in one.
	Polygon, Ring, Position int
	// Positions is how many positions a ShortRing has.
	Positions int
	// Lon and Lat are an OutOfRange position as written.
	Lon, Lat string
	// JSON is the decoding error behind NotObject.
	JSON error
}

func (e *Error) Error() string {
	var where string
	if e.Polygon > 0 {
		where += fmt.Sprintf("polygon %d, ", e.Polygon)
	}
	if e.Ring > 0 {
		where += fmt.Sprintf("ring %d, ", e.Ring)
	}
	if e.Position > 0 {
		where += fmt.Sprintf("position %d, ", e.Position)
	}
	var what string
	switch e.Problem {
	case Missing:
		what = "no geometry"
	case NotObject:
		what = "not a GeoJSON object: " + e.JSON.Error()
	case NotPolygon:
		what = fmt.Sprintf("type %q is not Polygon or MultiPolygon", e.Type)
	case BadCoordinates:
		what = "coordinates are not nested as a " + e.Type + " needs"
	case NoPolygons:
		what = "no polygons"
	case NoRings:
		what = "no rings"
	case ShortRing:
		what = fmt.Sprintf("%d positions, fewer than %d", e.Positions, MinRingPositions)
	case BadPosition:
		what = "a position is two or three numbers"
	case NotFinite:
		what = "coordinate is not a finite number"
	case OutOfRange:
		what = fmt.Sprintf("[%s, %s] is not a WGS 84 longitude and latitude", e.Lon, e.Lat)
	case OpenRing:
		what = "ring is not closed"
	default:
		what = "invalid"
	}
	return "geo: " + where + what
}

// Unwrap returns the JSON decoding error, if there is one.
func (e *Error) Unwrap() error { return e.JSON }

// Parse reads a GeoJSON Polygon or MultiPolygon in WGS 84 (RFC 7946). It
// accepts only what it can use whole: every polygon with at least one ring,
// every ring closed with at least MinRingPositions positions, and every
// position two or three finite numbers with the longitude within ±180 and
// the latitude within ±90. An altitude is dropped. Anything else is an
// *Error naming the first problem found; raw that is empty or null is a
// Missing one. Properties of the geometry object other than type and
// coordinates are ignored.
func Parse(raw []byte) (Geometry, error) {
	if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || string(trimmed) == "null" {
		return Geometry{}, &Error{Problem: Missing}
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return Geometry{}, &Error{Problem: NotObject, JSON: err}
	}
	// Numbers are read as written so that a problem can quote them.
	var polygons [][][][]json.Number
	multi := false
	switch g.Type {
	case "Polygon":
		var p [][][]json.Number
		if json.Unmarshal(g.Coordinates, &p) != nil {
			return Geometry{}, &Error{Problem: BadCoordinates, Type: g.Type}
		}
		polygons = [][][][]json.Number{p}
	case "MultiPolygon":
		multi = true
		if json.Unmarshal(g.Coordinates, &polygons) != nil {
			return Geometry{}, &Error{Problem: BadCoordinates, Type: g.Type}
		}
		if len(polygons) == 0 {
			return Geometry{}, &Error{Problem: NoPolygons, Type: g.Type}
		}
	default:
		return Geometry{}, &Error{Problem: NotPolygon, Type: g.Type}
	}
	out := Geometry{Polygons: make(MultiPolygon, len(polygons)), Multi: multi}
	for pi, rings := range polygons {
		at := &Error{Type: g.Type}
		if multi {
			at.Polygon = pi + 1
		}
		fail := func(p Problem, ring, position int) (Geometry, error) {
			at.Problem, at.Ring, at.Position = p, ring, position
			return Geometry{}, at
		}
		if len(rings) == 0 {
			return fail(NoRings, 0, 0)
		}
		pg := make(Polygon, len(rings))
		for ri, positions := range rings {
			if len(positions) < MinRingPositions {
				at.Positions = len(positions)
				return fail(ShortRing, ri+1, 0)
			}
			ring := make(Ring, len(positions))
			for k, pos := range positions {
				if len(pos) < 2 || len(pos) > 3 {
					return fail(BadPosition, ri+1, k+1)
				}
				lon, errLon := strconv.ParseFloat(string(pos[0]), 64)
				lat, errLat := strconv.ParseFloat(string(pos[1]), 64)
				if errLon != nil || errLat != nil || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
					return fail(NotFinite, ri+1, k+1)
				}
				if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
					at.Lon, at.Lat = string(pos[0]), string(pos[1])
					return fail(OutOfRange, ri+1, k+1)
				}
				ring[k] = Point{Lon: lon, Lat: lat}
			}
			if ring[0] != ring[len(ring)-1] {
				return fail(OpenRing, ri+1, 0)
			}
			pg[ri] = ring
		}
		out.Polygons[pi] = pg
	}
	return out, nil
}

// MarshalJSON writes the geometry as compact GeoJSON of the type it was
// read as (a MultiPolygon when it holds other than one polygon), every
// position [longitude, latitude]. It fails on a coordinate that is not
// finite, which Parse never returns.
func (g Geometry) MarshalJSON() ([]byte, error) {
	polygons := make([][][][2]float64, len(g.Polygons))
	for pi, pg := range g.Polygons {
		polygons[pi] = make([][][2]float64, len(pg))
		for ri, r := range pg {
			polygons[pi][ri] = make([][2]float64, len(r))
			for k, p := range r {
				polygons[pi][ri][k] = [2]float64{p.Lon, p.Lat}
			}
		}
	}
	if g.Multi || len(polygons) != 1 {
		return json.Marshal(struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		}{"MultiPolygon", polygons})
	}
	return json.Marshal(struct {
		Type        string         `json:"type"`
		Coordinates [][][2]float64 `json:"coordinates"`
	}{"Polygon", polygons[0]})
}
