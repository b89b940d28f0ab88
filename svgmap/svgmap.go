// Package svgmap draws districts as an accessible SVG map on the server, so
// that the map works without JavaScript: each district can be a link that a
// keyboard or screen-reader user reaches like any other, with its name as
// text, and the selected district is marked in words (and a check mark), not
// by colour alone.
//
// Styling is left to the page's CSS through these classes: "district-map"
// on the svg, "district" (plus "selected" and any Region.Fill class) on each
// district's path, "district-link" on its link, "district-label" on its
// visible name, and "marker" on each point.
package svgmap

import (
	"encoding/json"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/geo"
)

// Region is one district to draw.
type Region struct {
	Code     string
	Name     string          // visible label
	Geometry json.RawMessage // GeoJSON Polygon or MultiPolygon, WGS 84
	Href     string          // optional: the district becomes a link
	// Fill is an optional CSS class (e.g. "level-3") or a colour
	// ("#a1b2c3"). Colour must never be the only carrier of meaning: put the
	// meaning in Label too.
	Fill string
	// Label is the accessible text, e.g. "Ålidhem, 12 rapporter"; Name
	// when empty.
	Label string
}

// Marker is a point drawn on the map, e.g. a report's rounded position.
type Marker struct {
	Lat, Lon float64
	Label    string // accessible text, required
	Class    string // optional extra CSS class
}

// PhoneLabelSize is the size of district names, in SVG units, on a map
// that must be read on a phone: the 600 units wide map shrinks to about 330
// pixels there, so 18 units are about 10 pixels. Names that do not fit are
// left out; each district's accessible name is there either way.
const PhoneLabelSize = 18

// Options controls the drawing. Zero values give a 600 units wide map whose
// height follows the districts' shape.
type Options struct {
	Width, Height int // viewBox size in SVG units; Height 0: from the shape
	Padding       int // space around the districts; 0 means 8
	Title, Desc   string
	// ID prefixes the ids of the title and description so that several maps
	// can share a page; "karta" when empty.
	ID string
	// Selected is the code of the chosen district: it gets the class
	// "selected", aria-current and ", vald" in its label.
	Selected string
	// Fit lists the codes of districts to fit the view to (e.g. the city
	// districts, leaving villages out); empty fits all. Districts wholly
	// outside the view are left out, so that no link is focusable but
	// invisible.
	Fit []string
	// LabelSize is the font size of district names in SVG units; 0 means
	// 12. A name is only drawn when its district is wide enough to hold it;
	// the link and its accessible name are there either way.
	LabelSize float64
	Markers   []Marker
}

var (
	classToken = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	hexColour  = regexp.MustCompile(`^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)
)

// shape is a region that could be drawn, projected.
type shape struct {
	region Region
	polys  geo.MultiPolygon
	lonlat geo.Bounds
}

// Palette holds the fills of the classes "level-0" (none) to "level-4"
// (most): a sequential blue scale that reads the same to the colour-blind,
// as the page's CSS has it. Every district is outlined in Outline, so that
// neighbours are told apart whatever their fill.
var Palette = []string{"#ffffff", "#cfe0f1", "#93b8dd", "#4d88c2", "#1d4f80"}

// Outline is the colour of district borders.
const Outline = "#3d4a57"

// NoData is the class, and NoDataFill the fill, of a district that has no
// value (e.g. a rate without a population); its label must say so.
const (
	NoData     = "no-data"
	NoDataFill = "#d9d9d9"
)

// Render writes the map as a standalone svg element. Regions whose geometry
// is missing or invalid are left out; they remain choosable from any list
// beside the map. The output depends only on the input.
func Render(w io.Writer, regions []Region, opts Options) error {
	c, _ := Draw(regions, opts)
	return c.WriteSVG(w)
}

// Draw builds the map as a canvas, for SVG or PDF. It also returns the
// bottom of the map in canvas units, where a legend can go.
func Draw(regions []Region, opts Options) (*draw.Canvas, float64) {
	width := float64(opts.Width)
	if width <= 0 {
		width = 600
	}
	padding := float64(opts.Padding)
	if padding <= 0 {
		padding = 8
	}
	labelSize := opts.LabelSize
	if labelSize <= 0 {
		labelSize = 12
	}
	id := opts.ID
	if !classToken.MatchString(id) {
		id = "karta"
	}

	var shapes []shape
	var fit geo.Bounds
	for _, r := range regions {
		g, err := geo.Parse(r.Geometry)
		if err != nil {
			continue
		}
		s := shape{region: r, polys: g.Polygons, lonlat: g.Polygons.Bounds()}
		shapes = append(shapes, s)
		if len(opts.Fit) == 0 || slices.Contains(opts.Fit, r.Code) {
			fit = fit.Union(s.lonlat)
		}
	}
	if fit.Empty() {
		for _, m := range opts.Markers {
			if validLonLat(m.Lon, m.Lat) {
				fit = fit.Extend(geo.Point{Lon: m.Lon, Lat: m.Lat})
			}
		}
	}
	if fit.Empty() {
		fit = fit.Extend(geo.Point{})
	}
	proj := newProjection(fit, width, float64(opts.Height), padding)
	view := proj.view()

	c := &draw.Canvas{Width: proj.width, Height: proj.height, ID: id, Class: "district-map",
		Title: orDefault(opts.Title, "Karta över områdena"), Desc: opts.Desc}
	var districts []draw.Item
	for _, s := range shapes {
		if !s.lonlat.Intersects(view) {
			continue
		}
		if g, ok := district(s, proj, opts.Selected, labelSize); ok {
			districts = append(districts, g)
		}
	}
	c.Add(draw.Group{Class: "districts", Items: districts})

	if len(opts.Markers) > 0 {
		var markers []draw.Item
		for _, m := range opts.Markers {
			if !validLonLat(m.Lon, m.Lat) {
				continue
			}
			x, y := proj.project(m.Lon, m.Lat)
			if x < 0 || y < 0 || x > proj.width || y > proj.height {
				continue
			}
			class := "marker"
			if classToken.MatchString(m.Class) {
				class += " " + m.Class
			}
			markers = append(markers, draw.Circle{CX: x, CY: y, R: 4, Title: m.Label,
				Style: draw.Style{Class: class, Fill: "#f5b700", Stroke: "#1b1b1b", StrokeWidth: 2}})
		}
		c.Add(draw.Group{Class: "markers", Items: markers})
	}
	return c, proj.height
}

// district draws one district: a link (or, without Href, a titled group)
// holding its outline and its visible name.
func district(s shape, proj projection, selected string, labelSize float64) (draw.Group, bool) {
	r := s.region
	label := orDefault(r.Label, r.Name)
	isSelected := selected != "" && r.Code == selected
	if isSelected {
		label += ", vald"
	}

	var polys [][][]xy
	var subpaths [][]draw.Point
	// The box of the drawn outline, in SVG units.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range s.polys {
		var rings [][]xy
		for i, rg := range p {
			pts := proj.projectRing(rg)
			if len(pts) < 3 {
				if i == 0 {
					break // too small to draw; its holes mean nothing alone
				}
				continue
			}
			rings = append(rings, pts)
		}
		for _, pts := range rings {
			sp := make([]draw.Point, len(pts))
			for i, q := range pts {
				sp[i] = draw.Point{X: q.x, Y: q.y}
				minX, maxX = math.Min(minX, q.x), math.Max(maxX, q.x)
				minY, maxY = math.Min(minY, q.y), math.Max(maxY, q.y)
			}
			subpaths = append(subpaths, sp)
		}
		if len(rings) > 0 {
			polys = append(polys, rings)
		}
	}
	if len(subpaths) == 0 {
		return draw.Group{}, false
	}

	class := "district"
	fill := Palette[0]
	if isSelected {
		class += " selected"
		fill = "#1d4f80"
	}
	switch {
	case classToken.MatchString(r.Fill):
		class += " " + r.Fill
		if r.Fill == NoData {
			fill = NoDataFill
		}
		if lvl, ok := strings.CutPrefix(r.Fill, "level-"); ok {
			if n, err := strconv.Atoi(lvl); err == nil && n >= 0 && n < len(Palette) {
				fill = Palette[n]
			}
		}
	case hexColour.MatchString(r.Fill):
		fill = expandColour(r.Fill)
	}

	g := draw.Group{Title: label, Current: isSelected && draw.SafeHref(r.Href)}
	if draw.SafeHref(r.Href) {
		g.Class, g.Href = "district-link", r.Href
	}
	g.Items = append(g.Items, draw.Path{Subpaths: subpaths, Closed: true,
		Style: draw.Style{Class: class, Fill: fill, Stroke: Outline}})

	if at, ok := labelPoint(polys); ok {
		name := r.Name
		if isSelected {
			name = "✓ " + name
		}
		if name != "" && maxX-minX >= draw.TextWidth(name, labelSize) && maxY-minY >= labelSize {
			g.Items = append(g.Items, draw.Text{X: round1(at.x), Y: round1(at.y + 0.35*labelSize), Text: name,
				Size: labelSize, Anchor: draw.Middle, Bold: isSelected,
				Style: draw.Style{Class: "district-label", Fill: labelColour(fill)}})
		}
	}
	return g, true
}

// labelColour is black or white, whichever reads better on fill.
func labelColour(fill string) string {
	if slices.Contains([]string{"#4d88c2", "#1d4f80"}, fill) {
		return "#ffffff"
	}
	return "#1b1b1b"
}

// expandColour turns "#abc" into "#aabbcc", the only form draw takes.
func expandColour(c string) string {
	if len(c) == 4 {
		return string([]byte{'#', c[1], c[1], c[2], c[2], c[3], c[3]})
	}
	return strings.ToLower(c)
}

func validLonLat(lon, lat float64) bool {
	return !math.IsNaN(lon) && !math.IsNaN(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Central returns the codes of the districts that lie close together around
// the middle of all of them, leaving out outlying villages. Passed as
// Options.Fit it draws a city's districts large enough to tap on a phone;
// the villages stay choosable from the list beside the map.
func Central(regions []Region) []string {
	type centre struct {
		code string
		x, y float64
	}
	var cs []centre
	for _, r := range regions {
		g, err := geo.Parse(r.Geometry)
		if err != nil {
			continue
		}
		c := g.Polygons.Bounds().Center()
		cs = append(cs, centre{r.Code, c.Lon, c.Lat})
	}
	if len(cs) == 0 {
		return nil
	}
	xs, ys := make([]float64, len(cs)), make([]float64, len(cs))
	for i, c := range cs {
		xs[i], ys[i] = c.x, c.y
	}
	mx, my := median(xs), median(ys)
	k := math.Cos(my * math.Pi / 180)
	dist := make([]float64, len(cs))
	for i, c := range cs {
		dist[i] = math.Hypot((c.x-mx)*k, c.y-my)
	}
	// Half the districts lie within the median distance; a district more
	// than a few times as far out is an outlier.
	limit := 2.5 * median(slices.Clone(dist))
	var out []string
	for i, c := range cs {
		if dist[i] <= limit {
			out = append(out, c.code)
		}
	}
	return out
}

// median sorts v and returns its middle value.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
