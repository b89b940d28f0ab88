package svgmap

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ring is a closed or open list of [lon, lat] positions; the closing position
// is dropped when parsed.
type ring [][2]float64

// polygon is an outer ring followed by its holes.
type polygon []ring

// parseGeometry reads a GeoJSON Polygon or MultiPolygon in WGS 84. It
// rejects anything it cannot draw rather than guessing.
func parseGeometry(raw json.RawMessage) ([]polygon, error) {
	if len(raw) == 0 {
		return nil, errors.New("no geometry")
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, err
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry type %q is not a polygon", g.Type)
	}
	var out []polygon
	for _, p := range polys {
		var poly polygon
		for _, r := range p {
			rr, err := toRing(r)
			if err != nil {
				return nil, err
			}
			poly = append(poly, rr)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty geometry")
	}
	return out, nil
}

func toRing(positions [][]float64) (ring, error) {
	var r ring
	for _, pos := range positions {
		if len(pos) < 2 {
			return nil, errors.New("position with fewer than two numbers")
		}
		lon, lat := pos[0], pos[1]
		if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return nil, errors.New("position out of range")
		}
		r = append(r, [2]float64{lon, lat})
	}
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	if len(r) < 3 {
		return nil, errors.New("ring with fewer than three positions")
	}
	return r, nil
}

// bounds is a box in lon/lat or in projected units.
type bounds struct {
	minX, minY, maxX, maxY float64
	empty                  bool
}

func emptyBounds() bounds { return bounds{empty: true} }

func (b *bounds) add(x, y float64) {
	if b.empty {
		*b = bounds{minX: x, minY: y, maxX: x, maxY: y}
		return
	}
	b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
	b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
}

func (b bounds) intersects(o bounds) bool {
	return !b.empty && !o.empty && b.minX <= o.maxX && o.minX <= b.maxX && b.minY <= o.maxY && o.minY <= b.maxY
}

func polygonsBounds(polys []polygon) bounds {
	b := emptyBounds()
	for _, p := range polys {
		for _, pos := range p[0] {
			b.add(pos[0], pos[1])
		}
	}
	return b
}

// projection maps lon/lat to SVG units: equirectangular, with longitude
// shrunk by the cosine of the mean latitude so that shapes keep their
// proportions at Umeå's 64° north, then fitted into the view.
type projection struct {
	cosLat        float64
	scale         float64
	lon0, lat0    float64 // the top-left corner of the fitted box
	offX, offY    float64 // padding plus centring
	width, height float64
}

// newProjection fits b (lon/lat) into width × height with padding on every
// side. A height of 0 is chosen from the shape of b.
func newProjection(b bounds, width, height, padding float64) projection {
	p := projection{cosLat: math.Cos((b.minY + b.maxY) / 2 * math.Pi / 180)}
	dx := (b.maxX - b.minX) * p.cosLat
	dy := b.maxY - b.minY
	innerW := math.Max(width-2*padding, 1)
	switch {
	case dx > 0:
		p.scale = innerW / dx
	case dy > 0 && height > 0:
		p.scale = math.Max(height-2*padding, 1) / dy
	default:
		p.scale = 1
	}
	if height <= 0 {
		height = math.Round(dy*p.scale + 2*padding)
	}
	innerH := math.Max(height-2*padding, 1)
	if dy > 0 && dy*p.scale > innerH {
		p.scale = innerH / dy
	}
	p.width, p.height = width, height
	p.lon0, p.lat0 = b.minX, b.maxY
	p.offX = (width - dx*p.scale) / 2
	p.offY = (height - dy*p.scale) / 2
	return p
}

func (p projection) project(lon, lat float64) (x, y float64) {
	return p.offX + (lon-p.lon0)*p.cosLat*p.scale, p.offY + (p.lat0-lat)*p.scale
}

// view is the projected box of the whole viewBox, in lon/lat.
func (p projection) view() bounds {
	b := emptyBounds()
	b.add(p.lon0-p.offX/(p.cosLat*p.scale), p.lat0+p.offY/p.scale)
	b.add(p.lon0+(p.width-p.offX)/(p.cosLat*p.scale), p.lat0-(p.height-p.offY)/p.scale)
	return b
}

// xy is a point in SVG units.
type xy struct{ x, y float64 }

// projectRing projects a ring and rounds it to 0.1 units, dropping points
// that rounding made repeat.
func (p projection) projectRing(r ring) []xy {
	out := make([]xy, 0, len(r))
	for _, pos := range r {
		x, y := p.project(pos[0], pos[1])
		q := xy{round1(x), round1(y)}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// signedArea is positive for clockwise rings on screen (y down).
func signedArea(r []xy) float64 {
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return a / 2
}

// centroid is the area-weighted centroid of a ring; for a ring without area
// it is the mean of its points.
func centroid(r []xy) xy {
	a := signedArea(r)
	if math.Abs(a) < 1e-9 {
		var c xy
		for _, q := range r {
			c.x += q.x
			c.y += q.y
		}
		n := float64(len(r))
		return xy{c.x / n, c.y / n}
	}
	var cx, cy float64
	for i := range r {
		j := (i + 1) % len(r)
		f := r[i].x*r[j].y - r[j].x*r[i].y
		cx += (r[i].x + r[j].x) * f
		cy += (r[i].y + r[j].y) * f
	}
	return xy{cx / (6 * a), cy / (6 * a)}
}

// inRing is the even-odd test.
func inRing(q xy, r []xy) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		if (r[i].y > q.y) != (r[j].y > q.y) &&
			q.x < (r[j].x-r[i].x)*(q.y-r[i].y)/(r[j].y-r[i].y)+r[i].x {
			in = !in
		}
	}
	return in
}

// inPolygon reports whether q is inside the outer ring and outside every hole.
func inPolygon(q xy, rings [][]xy) bool {
	if len(rings) == 0 || !inRing(q, rings[0]) {
		return false
	}
	for _, h := range rings[1:] {
		if inRing(q, h) {
			return false
		}
	}
	return true
}

// labelPoint places a label: the centroid of the largest polygon's outer
// ring, or, when that falls outside the polygon (a crescent, a hole), the
// middle of the widest stretch of the polygon on the centroid's row.
func labelPoint(polys [][][]xy) (xy, bool) {
	best, bestArea := -1, 0.0
	for i, p := range polys {
		if a := math.Abs(signedArea(p[0])); best < 0 || a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return xy{}, false
	}
	rings := polys[best]
	c := centroid(rings[0])
	if inPolygon(c, rings) {
		return c, true
	}
	var xs []float64
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			if (r[i].y > c.y) != (r[j].y > c.y) {
				xs = append(xs, (r[j].x-r[i].x)*(c.y-r[i].y)/(r[j].y-r[i].y)+r[i].x)
			}
		}
	}
	slices.Sort(xs)
	widest := -1.0
	var at xy
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > widest {
			widest, at = w, xy{(xs[i] + xs[i+1]) / 2, c.y}
		}
	}
	if widest < 0 {
		return c, true
	}
	return at, true
}
