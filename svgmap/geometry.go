package svgmap

import (
	"math"
	"slices"

	"github.com/trygg-est/trygg/geo"
)

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
func newProjection(b geo.Bounds, width, height, padding float64) projection {
	p := projection{cosLat: math.Cos((b.Min.Lat + b.Max.Lat) / 2 * math.Pi / 180)}
	dx := (b.Max.Lon - b.Min.Lon) * p.cosLat
	dy := b.Max.Lat - b.Min.Lat
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
	p.lon0, p.lat0 = b.Min.Lon, b.Max.Lat
	p.offX = (width - dx*p.scale) / 2
	p.offY = (height - dy*p.scale) / 2
	return p
}

func (p projection) project(lon, lat float64) (x, y float64) {
	return p.offX + (lon-p.lon0)*p.cosLat*p.scale, p.offY + (p.lat0-lat)*p.scale
}

// view is the projected box of the whole viewBox, in lon/lat.
func (p projection) view() geo.Bounds {
	return geo.Bounds{}.
		Extend(geo.Point{Lon: p.lon0 - p.offX/(p.cosLat*p.scale), Lat: p.lat0 + p.offY/p.scale}).
		Extend(geo.Point{Lon: p.lon0 + (p.width-p.offX)/(p.cosLat*p.scale), Lat: p.lat0 - (p.height-p.offY)/p.scale})
}

// xy is a point in SVG units.
type xy struct{ x, y float64 }

// projectRing projects a ring and rounds it to 0.1 units, dropping points
// that rounding made repeat.
func (p projection) projectRing(r geo.Ring) []xy {
	out := make([]xy, 0, len(r))
	for _, pos := range r {
		x, y := p.project(pos.Lon, pos.Lat)
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

// inside reports whether q lies in the polygon of projected rings, the
// outline first and then its holes. geo's test is planar, so screen units
// serve as well as degrees.
func inside(q xy, rings [][]xy) bool {
	pg := make(geo.Polygon, len(rings))
	for i, r := range rings {
		pg[i] = make(geo.Ring, len(r))
		for k, p := range r {
			pg[i][k] = geo.Point{Lon: p.x, Lat: p.y}
		}
	}
	return pg.Contains(geo.Point{Lon: q.x, Lat: q.y})
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
	if inside(c, rings) {
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
