package demo

import (
	"encoding/json"
	"math"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/geo"
)

// district is one of Umeå's districts with what the generator needs to
// know about it. Positions are the rough centres of the real districts;
// populations are rounded estimates.
type district struct {
	code, name string
	lat, lon   float64
	population int
	radiusKm   float64 // the outline before neighbours trim it
	// risk scales reports per resident: above 1 where the partners see
	// more (Ålidhem, Ersboda, Holmsund, the city centre's night life).
	risk float64
	// nightlife marks the city centre's bars and clubs: more alcohol,
	// violence and robbery at night.
	nightlife float64
	// bostaden is how much of AB Bostaden's housing is in the district.
	bostaden float64
	// village marks the outlying localities, where mopeds are more common.
	village bool
}

var districts = []district{
	{code: "centrum", name: "Centrum", lat: 63.8258, lon: 20.2630, population: 4600, radiusKm: 1.0, risk: 3.0, nightlife: 1, bostaden: 0.8},
	{code: "vast-pa-stan", name: "Väst på stan", lat: 63.8262, lon: 20.2400, population: 5800, radiusKm: 1.0, risk: 1.1, nightlife: 0.3, bostaden: 0.5},
	{code: "ost-pa-stan", name: "Öst på stan", lat: 63.8290, lon: 20.2800, population: 7500, radiusKm: 1.0, risk: 1.3, nightlife: 0.4, bostaden: 1},
	{code: "haga", name: "Haga", lat: 63.8350, lon: 20.2500, population: 6200, radiusKm: 1.0, risk: 1.2, bostaden: 1},
	{code: "sandakern", name: "Sandåkern", lat: 63.8330, lon: 20.2230, population: 4200, radiusKm: 1.1, risk: 0.8, bostaden: 0.3},
	{code: "grisbacka", name: "Grisbacka", lat: 63.8350, lon: 20.1980, population: 2600, radiusKm: 1.1, risk: 0.5},
	{code: "umedalen", name: "Umedalen", lat: 63.8220, lon: 20.1880, population: 4000, radiusKm: 1.2, risk: 0.6},
	{code: "vasterslatt", name: "Västerslätt", lat: 63.8470, lon: 20.1850, population: 6500, radiusKm: 1.3, risk: 0.8, bostaden: 0.3},
	{code: "backen", name: "Backen", lat: 63.8420, lon: 20.1480, population: 2100, radiusKm: 1.2, risk: 0.4},
	{code: "hedlunda", name: "Hedlunda", lat: 63.8480, lon: 20.2450, population: 3000, radiusKm: 1.2, risk: 0.6},
	{code: "ersboda", name: "Ersboda", lat: 63.8580, lon: 20.2950, population: 8500, radiusKm: 1.4, risk: 1.6, bostaden: 2},
	{code: "ersmark", name: "Ersmark", lat: 63.8850, lon: 20.2750, population: 2200, radiusKm: 1.5, risk: 0.5, village: true},
	{code: "mariehem", name: "Mariehem", lat: 63.8400, lon: 20.3100, population: 7200, radiusKm: 1.1, risk: 1.2, bostaden: 2},
	{code: "carlshem", name: "Carlshem", lat: 63.8345, lon: 20.2880, population: 3600, radiusKm: 0.9, risk: 0.8, bostaden: 0.5},
	{code: "nydalahojd", name: "Nydalahöjd", lat: 63.8330, lon: 20.3330, population: 3200, radiusKm: 1.0, risk: 0.6},
	{code: "berghem", name: "Berghem", lat: 63.8225, lon: 20.2880, population: 4600, radiusKm: 0.9, risk: 0.9, bostaden: 0.8},
	{code: "sofiehem", name: "Sofiehem", lat: 63.8265, lon: 20.3120, population: 3000, radiusKm: 0.9, risk: 0.7, bostaden: 0.5},
	{code: "alidhem", name: "Ålidhem", lat: 63.8175, lon: 20.3040, population: 7000, radiusKm: 0.9, risk: 1.8, bostaden: 2},
	{code: "tomtebo", name: "Tomtebo", lat: 63.8185, lon: 20.3350, population: 6000, radiusKm: 1.1, risk: 0.5, bostaden: 0.2},
	{code: "teg", name: "Teg", lat: 63.8140, lon: 20.2650, population: 8000, radiusKm: 1.0, risk: 1.0, bostaden: 1.5},
	{code: "ostteg", name: "Östteg", lat: 63.8110, lon: 20.2900, population: 3200, radiusKm: 1.0, risk: 0.7, bostaden: 0.3},
	{code: "boleang", name: "Böleäng", lat: 63.8070, lon: 20.2370, population: 3100, radiusKm: 1.1, risk: 0.6},
	{code: "roback", name: "Röbäck", lat: 63.7930, lon: 20.2050, population: 3400, radiusKm: 1.4, risk: 0.5, village: true},
	{code: "holmsund", name: "Holmsund", lat: 63.7050, lon: 20.3600, population: 5500, radiusKm: 2.0, risk: 1.6, bostaden: 1.5, village: true},
	{code: "obbola", name: "Obbola", lat: 63.6990, lon: 20.3150, population: 2300, radiusKm: 1.3, risk: 0.9, bostaden: 0.3, village: true},
	{code: "savar", name: "Sävar", lat: 63.9000, lon: 20.5500, population: 3100, radiusKm: 1.6, risk: 0.7, bostaden: 0.5, village: true},
	{code: "hornefors", name: "Hörnefors", lat: 63.6270, lon: 19.9070, population: 2600, radiusKm: 1.6, risk: 0.9, bostaden: 0.5, village: true},
	{code: "tavelsjo", name: "Tavelsjö", lat: 64.0170, lon: 20.0600, population: 1200, radiusKm: 1.3, risk: 0.4, village: true},
	{code: "innertavle", name: "Innertavle", lat: 63.8720, lon: 20.4350, population: 1400, radiusKm: 1.3, risk: 0.4, village: true},
}

// Local flat coordinates in km around the city centre: good enough at this
// scale, and they make the outlines' proportions right.
const (
	originLat = 63.8258
	originLon = 20.2630
	kmPerDeg  = 111.32
)

// gapKm is the strip left between neighbouring outlines.
const gapKm = 0.01

var cosOrigin = math.Cos(originLat * math.Pi / 180)

type vec struct{ x, y float64 }

func toKm(lat, lon float64) vec {
	return vec{(lon - originLon) * kmPerDeg * cosOrigin, (lat - originLat) * kmPerDeg}
}

func fromKm(v vec) (lat, lon float64) {
	return originLat + v.y/kmPerDeg, originLon + v.x/(kmPerDeg*cosOrigin)
}

// outline is a district's approximate border: an irregular octagon around
// its centre, cut by the perpendicular bisector towards every other
// district (its Voronoi cell), so that neighbouring outlines never overlap.
// Each cut is made a few metres short of the bisector so that rounding the
// coordinates cannot make neighbours overlap either. The outline is fixed
// by the district list, not by the seed.
func outline(i int) []vec {
	d := districts[i]
	c := toKm(d.lat, d.lon)
	const corners = 8
	poly := make([]vec, corners)
	for k := range corners {
		// The wobble is a fixed function of the district and corner, so
		// that the outlines look hand-drawn rather than stamped.
		angle := (float64(k) + 0.3*math.Sin(float64(i*7+k))) * 2 * math.Pi / corners
		r := d.radiusKm * (0.85 + 0.15*math.Cos(float64(i*3+k*5)))
		poly[k] = vec{c.x + r*math.Cos(angle), c.y + r*math.Sin(angle)}
	}
	for j, o := range districts {
		if j == i {
			continue
		}
		other := toKm(o.lat, o.lon)
		normal := vec{other.x - c.x, other.y - c.y}
		dist := math.Hypot(normal.x, normal.y)
		short := 0.5 - gapKm/2/dist
		mid := vec{c.x + short*normal.x, c.y + short*normal.y}
		poly = clipHalfPlane(poly, mid, normal)
	}
	return poly
}

// clipHalfPlane keeps the part of a convex polygon on the near side of the
// line through p with the given normal (Sutherland–Hodgman).
func clipHalfPlane(poly []vec, p, normal vec) []vec {
	side := func(v vec) float64 { return (v.x-p.x)*normal.x + (v.y-p.y)*normal.y }
	var out []vec
	for k := range poly {
		a, b := poly[k], poly[(k+1)%len(poly)]
		sa, sb := side(a), side(b)
		if sa <= 0 {
			out = append(out, a)
		}
		if (sa < 0 && sb > 0) || (sa > 0 && sb < 0) {
			t := sa / (sa - sb)
			out = append(out, vec{a.x + t*(b.x-a.x), a.y + t*(b.y-a.y)})
		}
	}
	return out
}

// areaShape is a district's outline in WGS 84, as a closed ring, with its
// bounding box for sampling points.
type areaShape struct {
	ring geo.Ring
	box  geo.Bounds
}

func buildShape(i int) areaShape {
	var s areaShape
	for _, v := range outline(i) {
		lat, lon := fromKm(v)
		s.ring = append(s.ring, geo.Point{Lon: math.Round(lon*1e5) / 1e5, Lat: math.Round(lat*1e5) / 1e5})
	}
	s.ring = append(s.ring, s.ring[0])
	s.box = s.ring.Bounds()
	return s
}

func (s areaShape) geometry() json.RawMessage {
	b, err := json.Marshal(geo.Geometry{Polygons: geo.MultiPolygon{{s.ring}}})
	if err != nil {
		panic(err) // the positions are finite
	}
	return b
}

func (s areaShape) contains(p trygg.Point) bool {
	return s.ring.Contains(geo.Point{Lon: p.Lon, Lat: p.Lat})
}
