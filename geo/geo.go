// Package geo holds district outlines: it reads them from GeoJSON, checks
// them, writes them back compactly, and says whether a point lies inside
// one and what box holds it.
//
// It is the only place in Trygg that interprets GeoJSON geometry. The area
// import validates outlines with Parse, the server-drawn maps read them with
// it, and "Min position" finds a district with Contains; none of them reads
// coordinates on its own.
//
// geo treats longitude and latitude as plane coordinates. That is exact
// enough for districts of a few kilometres away from the poles and the
// antimeridian, and it means that the tests work as well on projected
// coordinates (a map's screen units) as on degrees.
package geo

// Point is a position in WGS 84 degrees, in GeoJSON's order.
type Point struct {
	Lon, Lat float64
}

// Ring is a closed line of positions, as GeoJSON has it: Parse only returns
// rings whose last position repeats the first. Contains and Bounds work on
// open rings too, taking the last position to join the first.
type Ring []Point

// Polygon is an outer ring followed by the rings of its holes.
type Polygon []Ring

// MultiPolygon is a district of several parts, e.g. a mainland and islands.
type MultiPolygon []Polygon

// Contains reports whether p lies inside the ring, by the even-odd rule.
//
// On the boundary, the ring holds a point where its inside lies to the
// right of the point or, on a horizontal edge, above it: a unit square
// holds [0, 1) × [0, 1), like a half-open interval. So a point on an edge
// that two rings share, running the opposite ways, lies in exactly one of
// them, and a position on a border between two districts is never in both
// or neither. A ring of fewer than three positions holds nothing.
func (r Ring) Contains(p Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		// Each edge is taken from its lower end, whichever way the ring
		// runs, so that two rings sharing it compute the same crossing.
		a, b := r[i], r[j]
		if a.Lat > b.Lat {
			a, b = b, a
		}
		if a.Lat <= p.Lat && p.Lat < b.Lat && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Contains reports whether p lies inside the outer ring and outside every
// hole; the boundary rule is Ring.Contains's, so a point on a hole's edge
// lies in exactly one of the polygon and whatever fills the hole. An empty
// polygon holds nothing.
func (pg Polygon) Contains(p Point) bool {
	if len(pg) == 0 || !pg[0].Contains(p) {
		return false
	}
	for _, hole := range pg[1:] {
		if hole.Contains(p) {
			return false
		}
	}
	return true
}

// Contains reports whether any of the polygons holds p.
func (m MultiPolygon) Contains(p Point) bool {
	for _, pg := range m {
		if pg.Contains(p) {
			return true
		}
	}
	return false
}

// Bounds is the smallest box that holds some points. The zero Bounds is
// empty: it holds nothing and intersects nothing.
type Bounds struct {
	Min, Max Point // the south-west and north-east corners; zero when empty
	nonEmpty bool
}

// Empty reports whether the box holds no point at all.
func (b Bounds) Empty() bool { return !b.nonEmpty }

// Extend returns the smallest box that holds b and p.
func (b Bounds) Extend(p Point) Bounds {
	if !b.nonEmpty {
		return Bounds{Min: p, Max: p, nonEmpty: true}
	}
	b.Min.Lon, b.Max.Lon = min(b.Min.Lon, p.Lon), max(b.Max.Lon, p.Lon)
	b.Min.Lat, b.Max.Lat = min(b.Min.Lat, p.Lat), max(b.Max.Lat, p.Lat)
	return b
}

// Union returns the smallest box that holds both.
func (b Bounds) Union(o Bounds) Bounds {
	if !o.nonEmpty {
		return b
	}
	return b.Extend(o.Min).Extend(o.Max)
}

// Intersects reports whether the boxes share a point; touching edges count.
func (b Bounds) Intersects(o Bounds) bool {
	return b.nonEmpty && o.nonEmpty &&
		b.Min.Lon <= o.Max.Lon && o.Min.Lon <= b.Max.Lon &&
		b.Min.Lat <= o.Max.Lat && o.Min.Lat <= b.Max.Lat
}

// Center is the middle of the box; the zero Point when it is empty.
func (b Bounds) Center() Point {
	return Point{Lon: (b.Min.Lon + b.Max.Lon) / 2, Lat: (b.Min.Lat + b.Max.Lat) / 2}
}

// Bounds is the box of the ring's positions.
func (r Ring) Bounds() Bounds {
	var b Bounds
	for _, p := range r {
		b = b.Extend(p)
	}
	return b
}

// Bounds is the box of the outer ring: holes lie within it.
func (pg Polygon) Bounds() Bounds {
	if len(pg) == 0 {
		return Bounds{}
	}
	return pg[0].Bounds()
}

// Bounds is the box of all the polygons.
func (m MultiPolygon) Bounds() Bounds {
	var b Bounds
	for _, pg := range m {
		b = b.Union(pg.Bounds())
	}
	return b
}
