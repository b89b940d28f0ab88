package web

import (
	"math"
	"slices"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/geo"
)

// areaAt returns the code of the first area whose outline holds p, or "".
// It lets "Min position" work even when the browser's script could not
// pick the district itself. An outline geo cannot read holds nothing.
func areaAt(areas []*trygg.Area, p trygg.Point) string {
	for _, a := range areas {
		g, err := geo.Parse(a.Geometry)
		if err == nil && g.Polygons.Contains(geo.Point{Lon: p.Lon, Lat: p.Lat}) {
			return a.Code
		}
	}
	return ""
}

// mapRadiusKm is how far from the middle of the districts a district may
// lie and still set the map's frame: about a city's reach.
const mapRadiusKm = 8

// mapFit picks the districts a map is framed on: those whose centre lies
// within mapRadiusKm of the median centre, so that outlying villages do not
// shrink the city to a few pixels on a phone. The others are still in the
// list beside the map. With fewer than three such districts it returns nil,
// which frames them all.
func mapFit(areas []*trygg.Area) []string {
	type centre struct {
		code     string
		lon, lat float64
	}
	var cs []centre
	for _, a := range areas {
		g, err := geo.Parse(a.Geometry)
		if err != nil {
			continue
		}
		c := g.Polygons.Bounds().Center()
		cs = append(cs, centre{a.Code, c.Lon, c.Lat})
	}
	if len(cs) < 3 {
		return nil
	}
	lons, lats := make([]float64, len(cs)), make([]float64, len(cs))
	for i, c := range cs {
		lons[i], lats[i] = c.lon, c.lat
	}
	slices.Sort(lons)
	slices.Sort(lats)
	midLon, midLat := lons[len(lons)/2], lats[len(lats)/2]
	const kmPerDegree = 111.2
	var fit []string
	for _, c := range cs {
		dx := (c.lon - midLon) * kmPerDegree * math.Cos(midLat*math.Pi/180)
		dy := (c.lat - midLat) * kmPerDegree
		if math.Hypot(dx, dy) <= mapRadiusKm {
			fit = append(fit, c.code)
		}
	}
	if len(fit) < 3 {
		return nil
	}
	return fit
}
