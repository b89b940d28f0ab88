package web

import (
	"encoding/json"

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
	if len(raw) == 0 {
		return false
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if json.Unmarshal(raw, &g) != nil {
		return false
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if json.Unmarshal(g.Coordinates, &p) != nil {
			return false
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if json.Unmarshal(g.Coordinates, &polys) != nil {
			return false
		}
	default:
		return false
	}
	for _, poly := range polys {
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
