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
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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
	polys  []polygon
	lonlat bounds
}

// Render writes the map as a standalone svg element. Regions whose geometry
// is missing or invalid are left out; they remain choosable from any list
// beside the map. The output depends only on the input.
func Render(w io.Writer, regions []Region, opts Options) error {
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
	fit := emptyBounds()
	for _, r := range regions {
		polys, err := parseGeometry(r.Geometry)
		if err != nil {
			continue
		}
		s := shape{region: r, polys: polys, lonlat: polygonsBounds(polys)}
		shapes = append(shapes, s)
		if len(opts.Fit) == 0 || slices.Contains(opts.Fit, r.Code) {
			fit.add(s.lonlat.minX, s.lonlat.minY)
			fit.add(s.lonlat.maxX, s.lonlat.maxY)
		}
	}
	if fit.empty {
		for _, m := range opts.Markers {
			if validLonLat(m.Lon, m.Lat) {
				fit.add(m.Lon, m.Lat)
			}
		}
	}
	if fit.empty {
		fit.add(0, 0)
	}
	proj := newProjection(fit, width, float64(opts.Height), padding)
	view := proj.view()

	linked := false
	for _, s := range shapes {
		if s.lonlat.intersects(view) && safeHref(s.region.Href) {
			linked = true
		}
	}

	bw := bufio.NewWriter(w)
	e := &writer{w: bw}
	role := "img"
	if linked || len(opts.Markers) > 0 {
		role = "group"
	}
	e.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="district-map" viewBox="0 0 %s %s" role="%s" aria-labelledby="%s-title"`,
		num(proj.width), num(proj.height), role, id)
	if opts.Desc != "" {
		e.printf(` aria-describedby="%s-desc"`, id)
	}
	e.printf(">\n")
	e.printf(`<title id="%s-title">%s</title>`+"\n", id, esc(orDefault(opts.Title, "Karta över områdena")))
	if opts.Desc != "" {
		e.printf(`<desc id="%s-desc">%s</desc>`+"\n", id, esc(opts.Desc))
	}

	e.printf("<g class=\"districts\">\n")
	for _, s := range shapes {
		if !s.lonlat.intersects(view) {
			continue
		}
		e.district(s, proj, opts.Selected, labelSize, role == "group")
	}
	e.printf("</g>\n")

	if len(opts.Markers) > 0 {
		e.printf("<g class=\"markers\">\n")
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
			e.printf(`<circle class="%s" cx="%s" cy="%s" r="4" role="img" aria-label="%s"><title>%s</title></circle>`+"\n",
				class, num(x), num(y), esc(m.Label), esc(m.Label))
		}
		e.printf("</g>\n")
	}
	e.printf("</svg>\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// district writes one district: a link (or, without Href, a labelled
// group) holding its title, its outline and its visible name.
func (e *writer) district(s shape, proj projection, selected string, labelSize float64, semantic bool) {
	r := s.region
	label := orDefault(r.Label, r.Name)
	isSelected := selected != "" && r.Code == selected
	if isSelected {
		label += ", vald"
	}

	var polys [][][]xy
	var d strings.Builder
	box := emptyBounds()
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
			for i, q := range pts {
				if i == 0 {
					d.WriteString("M")
				} else {
					d.WriteString("L")
				}
				d.WriteString(num(q.x) + " " + num(q.y))
				box.add(q.x, q.y)
			}
			d.WriteString("Z")
		}
		if len(rings) > 0 {
			polys = append(polys, rings)
		}
	}
	if d.Len() == 0 {
		return
	}

	class := "district"
	fill := ""
	if isSelected {
		class += " selected"
	}
	switch {
	case classToken.MatchString(r.Fill):
		class += " " + r.Fill
	case hexColour.MatchString(r.Fill):
		fill = r.Fill
	}

	link := safeHref(r.Href)
	switch {
	case link:
		e.printf(`<a class="district-link" href="%s" aria-label="%s"`, esc(r.Href), esc(label))
		if isSelected {
			e.printf(` aria-current="true"`)
		}
		e.printf(">")
	case semantic:
		e.printf(`<g role="img" aria-label="%s">`, esc(label))
	default:
		e.printf("<g>")
	}
	e.printf("<title>%s</title>", esc(label))
	e.printf(`<path class="%s" d="%s" fill-rule="evenodd"`, class, d.String())
	if fill != "" {
		e.printf(` fill="%s"`, fill)
	}
	e.printf("/>")

	if at, ok := labelPoint(polys); ok {
		name := r.Name
		if isSelected {
			name = "✓ " + name
		}
		textWidth := float64(utf8.RuneCountInString(name)) * labelSize * 0.55
		if name != "" && box.maxX-box.minX >= textWidth && box.maxY-box.minY >= labelSize {
			e.printf(`<text class="district-label" x="%s" y="%s" font-size="%s" text-anchor="middle" dominant-baseline="middle" aria-hidden="true">%s</text>`,
				num(round1(at.x)), num(round1(at.y)), num(labelSize), esc(name))
		}
	}
	if link {
		e.printf("</a>\n")
	} else {
		e.printf("</g>\n")
	}
}

// safeHref accepts the links the server makes: a path on this site, a
// query or a fragment. Anything else (javascript:, other hosts) is dropped.
func safeHref(h string) bool {
	if h == "" || strings.ContainsAny(h, " \t\r\n\\") {
		return false
	}
	switch h[0] {
	case '?', '#':
		return true
	case '/':
		return !strings.HasPrefix(h, "//")
	}
	return false
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

// num formats an SVG number with at most one decimal.
func num(v float64) string {
	v = round1(v)
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// esc escapes text for element content and double-quoted attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// writer remembers the first write error so that Render checks once.
type writer struct {
	w   io.Writer
	err error
}

func (e *writer) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
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
		polys, err := parseGeometry(r.Geometry)
		if err != nil {
			continue
		}
		b := polygonsBounds(polys)
		cs = append(cs, centre{r.Code, (b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2})
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
