package web

import (
	"encoding/json"
	"math"
	"slices"

	"github.com/trygg-est/trygg"
)

// areaAt returns the code of the first area whose outline holds p, or "".
// It lets "Min position" work even when the browser's script could not
// pick the district itself.
func areaAt(areas []*trygg.Area, p trygg.Point) string {
	for _, a := range areas {
		if geometryContains(a.Geometry, p.Lon, p.Lat) {
			return a.Code
		}
	}
	return ""
}

// geometryContains reports whether a GeoJSON Polygon or MultiPolygon holds
// the point, holes excluded. Unreadable geometry holds nothing.
func geometryContains(raw json.RawMessage, x, y float64) bool {
	for _, poly := range polygons(raw) {
		if len(poly) == 0 || !ringContains(poly[0], x, y) {
			continue
		}
		inHole := false
		for _, hole := range poly[1:] {
			if ringContains(hole, x, y) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// polygons reads the rings of a GeoJSON Polygon or MultiPolygon; anything
// else, or anything unreadable, has none.
func polygons(raw json.RawMessage) [][][][]float64 {
	if len(raw) == 0 {
		return nil
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if json.Unmarshal(raw, &g) != nil {
		return nil
	}
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if json.Unmarshal(g.Coordinates, &p) != nil {
			return nil
		}
		return [][][][]float64{p}
	case "MultiPolygon":
		var ps [][][][]float64
		if json.Unmarshal(g.Coordinates, &ps) != nil {
			return nil
		}
		return ps
	}
	return nil
}

// mapLabelSize is the district names' size in SVG units: the 600 units
// wide map shrinks to about 330 pixels on a phone, so 18 units are about
// 10 pixels there (names that do not fit are left out; each district's
// accessible name is there either way).
const mapLabelSize = 18

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
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, poly := range polygons(a.Geometry) {
			for _, ring := range poly {
				for _, pos := range ring {
					if len(pos) >= 2 {
						minX, maxX = min(minX, pos[0]), max(maxX, pos[0])
						minY, maxY = min(minY, pos[1]), max(maxY, pos[1])
					}
				}
			}
		}
		if minX <= maxX {
			cs = append(cs, centre{a.Code, (minX + maxX) / 2, (minY + maxY) / 2})
		}
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

// ringContains is the even-odd ray test against one closed ring of
// [lon, lat] positions.
func ringContains(ring [][]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		if len(ring[i]) < 2 || len(ring[j]) < 2 {
			return false
		}
		xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}
