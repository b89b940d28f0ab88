package svgmap

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg/geo"
)

// node is a parsed XML element, for structural checks of the output.
type node struct {
	Name     string
	Attrs    map[string]string
	Text     string
	Children []*node
}

func parseSVG(t *testing.T, b []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("output is not valid XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			} else {
				t.Fatalf("more than one root element")
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		case xml.ProcInst, xml.Directive:
			t.Fatalf("unexpected %T in output", tok)
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root
}

// all returns every descendant named name, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func render(t *testing.T, regions []Region, opts Options) (*node, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, regions, opts); err != nil {
		t.Fatal(err)
	}
	return parseSVG(t, buf.Bytes()), buf.Bytes()
}

// square returns a GeoJSON ring around (lat, lon) with half-side h degrees.
func squareRing(lat, lon, h float64) [][]float64 {
	return [][]float64{{lon - h, lat - h}, {lon + h, lat - h}, {lon + h, lat + h}, {lon - h, lat + h}, {lon - h, lat - h}}
}

func polygonJSON(rings ...[][]float64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": rings})
	return b
}

func multiPolygonJSON(polys ...[][][]float64) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "MultiPolygon", "coordinates": polys})
	return b
}

// pathRings reads back the rings of a path's d attribute.
func pathRings(t *testing.T, d string) [][]xy {
	t.Helper()
	var rings [][]xy
	for _, part := range strings.Split(d, "Z") {
		if part == "" {
			continue
		}
		var r []xy
		for _, cmd := range strings.FieldsFunc(part, func(c rune) bool { return c == 'M' || c == 'L' }) {
			var q xy
			if _, err := fmt.Sscanf(cmd, "%g %g", &q.x, &q.y); err != nil {
				t.Fatalf("bad path command %q in %q", cmd, d)
			}
			r = append(r, q)
		}
		rings = append(rings, r)
	}
	return rings
}

func attrFloat(t *testing.T, n *node, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.Attrs[name], 64)
	if err != nil {
		t.Fatalf("attribute %s=%q: %v", name, n.Attrs[name], err)
	}
	return v
}

func TestRenderStructure(t *testing.T) {
	// Ålidhem: a MultiPolygon, one part with a hole; Haga: a plain polygon;
	// Broken: invalid geometry that must be skipped.
	alidhem := multiPolygonJSON(
		[][][]float64{squareRing(63.818, 20.305, 0.006), squareRing(63.818, 20.305, 0.002)},
		[][][]float64{squareRing(63.812, 20.320, 0.002)},
	)
	regions := []Region{
		{Code: "alidhem", Name: "Ålidhem", Geometry: alidhem, Href: "/rapporter/ny?omrade=alidhem&steg=2", Label: "Ålidhem, 12 rapporter", Fill: "level-3"},
		{Code: "haga", Name: "Haga", Geometry: polygonJSON(squareRing(63.833, 20.247, 0.005)), Href: "/rapporter/ny?omrade=haga", Fill: "#336699"},
		{Code: "trasig", Name: "Trasig", Geometry: json.RawMessage(`{"type":"Polygon","coordinates":[[[20,63],[21,63]]]}`), Href: "/x"},
	}
	root, raw := render(t, regions, Options{Width: 400, Title: "Välj område", Desc: "Tryck på ett område.", Selected: "haga", ID: "ny"})

	if root.Name != "svg" || root.Attrs["role"] != "group" {
		t.Fatalf("root = %s role=%q, want svg role=group", root.Name, root.Attrs["role"])
	}
	if got := root.Attrs["aria-labelledby"]; got != "ny-title" {
		t.Errorf("aria-labelledby = %q", got)
	}
	if got := root.Attrs["aria-describedby"]; got != "ny-desc" {
		t.Errorf("aria-describedby = %q", got)
	}
	if title := root.child("title"); title == nil || title.Attrs["id"] != "ny-title" || title.Text != "Välj område" {
		t.Errorf("svg title = %+v", title)
	}
	if desc := root.child("desc"); desc == nil || desc.Attrs["id"] != "ny-desc" || desc.Text != "Tryck på ett område." {
		t.Errorf("svg desc = %+v", desc)
	}
	var vbW, vbH float64
	if _, err := fmt.Sscanf(root.Attrs["viewBox"], "0 0 %g %g", &vbW, &vbH); err != nil || vbW != 400 || vbH <= 0 {
		t.Fatalf("viewBox = %q", root.Attrs["viewBox"])
	}

	links := root.all("a")
	if len(links) != 2 {
		t.Fatalf("got %d links, want 2 (the broken district is skipped)", len(links))
	}
	want := []struct{ href, label, class, fill, text string }{
		{"/rapporter/ny?omrade=alidhem&steg=2", "Ålidhem, 12 rapporter", "district level-3", "#4d88c2", "Ålidhem"},
		{"/rapporter/ny?omrade=haga", "Haga, vald", "district selected", "#336699", "✓ Haga"},
	}
	for i, w := range want {
		a := links[i]
		if a.Attrs["href"] != w.href || a.Attrs["aria-label"] != w.label {
			t.Errorf("link %d: href=%q aria-label=%q, want %q %q", i, a.Attrs["href"], a.Attrs["aria-label"], w.href, w.label)
		}
		if title := a.child("title"); title == nil || title.Text != w.label {
			t.Errorf("link %d: title = %+v, want %q", i, title, w.label)
		}
		path := a.child("path")
		if path == nil || path.Attrs["class"] != w.class || path.Attrs["fill"] != w.fill {
			t.Fatalf("link %d: path = %+v", i, path)
		}
		text := a.child("text")
		if text == nil || text.Text != w.text || text.Attrs["class"] != "district-label" || text.Attrs["aria-hidden"] != "true" {
			t.Fatalf("link %d: label = %+v, want %q", i, text, w.text)
		}
		rings := pathRings(t, path.Attrs["d"])
		for _, r := range rings {
			for _, q := range r {
				if q.x < 0 || q.y < 0 || q.x > vbW || q.y > vbH {
					t.Errorf("link %d: point %v outside the viewBox", i, q)
				}
			}
		}
		label := xy{attrFloat(t, text, "x"), attrFloat(t, text, "y")}
		if !inside(label, rings[:min(2, len(rings))]) {
			t.Errorf("link %d: label at %v is not inside the largest polygon (outside its hole)", i, label)
		}
	}
	if cur := links[1].Attrs["aria-current"]; cur != "true" {
		t.Errorf("selected link aria-current = %q", cur)
	}
	if _, ok := links[0].Attrs["aria-current"]; ok {
		t.Error("unselected link has aria-current")
	}
	if n := len(pathRings(t, links[0].child("path").Attrs["d"])); n != 3 {
		t.Errorf("Ålidhem path has %d rings, want 3 (outer, hole, second part)", n)
	}
	for _, bad := range []string{"<script", "onclick", "style="} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
}

func TestRenderProjection(t *testing.T) {
	// A box 1° of longitude by cos(63.8°) of latitude is square on the
	// ground, so it must come out square.
	lat0, lon0 := 63.8, 20.0
	k := math.Cos(lat0 * math.Pi / 180)
	ring := [][]float64{{lon0, lat0 - k/2}, {lon0 + 1, lat0 - k/2}, {lon0 + 1, lat0 + k/2}, {lon0, lat0 + k/2}, {lon0, lat0 - k/2}}
	root, _ := render(t, []Region{{Code: "a", Name: "A", Geometry: polygonJSON(ring)}}, Options{Width: 200, Padding: 10})
	if root.Attrs["viewBox"] != "0 0 200 200" {
		t.Fatalf("viewBox = %q, want 0 0 200 200", root.Attrs["viewBox"])
	}
	got := pathRings(t, root.all("path")[0].Attrs["d"])[0]
	want := []xy{{10, 190}, {190, 190}, {190, 10}, {10, 10}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("projected ring = %v, want %v", got, want)
	}
	if root.Attrs["role"] != "img" {
		t.Errorf("a map without links should be role=img, got %q", root.Attrs["role"])
	}
}

func TestNewProjection(t *testing.T) {
	box := func(minLon, minLat, maxLon, maxLat float64) geo.Bounds {
		return geo.Bounds{}.Extend(geo.Point{Lon: minLon, Lat: minLat}).Extend(geo.Point{Lon: maxLon, Lat: maxLat})
	}
	// Boxes around the equator, where a degree of longitude is as long as
	// one of latitude, so that the expectations are easy to read.
	tests := []struct {
		name          string
		b             geo.Bounds
		width, height float64
		wantH         float64
		x, y          float64 // where the top-left corner (minX, maxY) lands
	}{
		{"wide box in a square view is centred vertically", box(0, -0.5, 2, 0.5), 100, 100, 100, 0, 25},
		{"tall box in a square view is centred horizontally", box(0, -1, 1, 1), 100, 100, 100, 25, 0},
		{"height from the shape", box(0, -0.5, 2, 0.5), 100, 0, 50, 0, 0},
		{"a single point sits in the middle", box(5, 0, 5, 0), 100, 100, 100, 50, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProjection(tt.b, tt.width, tt.height, 0)
			if p.height != tt.wantH {
				t.Errorf("height = %v, want %v", p.height, tt.wantH)
			}
			x, y := p.project(tt.b.Min.Lon, tt.b.Max.Lat)
			if math.Abs(x-tt.x) > 1e-9 || math.Abs(y-tt.y) > 1e-9 {
				t.Errorf("corner at (%v, %v), want (%v, %v)", x, y, tt.x, tt.y)
			}
		})
	}
}

func TestRenderEscapesAndRejectsUnsafeLinks(t *testing.T) {
	name := `<script>alert("x")</script> & 'Öst'`
	regions := []Region{
		{Code: "x", Name: name, Geometry: polygonJSON(squareRing(63.8, 20.2, 0.05)), Href: "javascript:alert(1)"},
		{Code: "y", Name: "Y", Geometry: polygonJSON(squareRing(63.8, 20.4, 0.05)), Href: "//evil.example/"},
	}
	root, raw := render(t, regions, Options{Title: name, Desc: "a\x00b", LabelSize: 5})
	if bytes.Contains(raw, []byte("<script")) || bytes.Contains(raw, []byte("javascript:")) || bytes.Contains(raw, []byte("evil.example")) {
		t.Fatalf("unsafe content in output:\n%s", raw)
	}
	if len(root.all("a")) != 0 {
		t.Error("unsafe hrefs became links")
	}
	if got := root.child("title").Text; got != name {
		t.Errorf("title = %q, want %q", got, name)
	}
	if got := root.all("text")[0].Text; got != name {
		t.Errorf("label = %q, want %q", got, name)
	}
}

func TestRenderSkipsInvalidGeometry(t *testing.T) {
	bad := []string{
		``,
		`null`,
		`{}`,
		`[]`,
		`{"type":"Point","coordinates":[20,63]}`,
		`{"type":"Polygon","coordinates":[]}`,
		`{"type":"Polygon","coordinates":[[]]}`,
		`{"type":"Polygon","coordinates":[[[20,63],[20.1,63],[20,63]]]}`,
		`{"type":"Polygon","coordinates":[[[20,63],[20.1,95],[20.1,63.1],[20,63]]]}`,
		`{"type":"Polygon","coordinates":[[[20],[20.1,63],[20.1,63.1],[20,63]]]}`,
		`{"type":"MultiPolygon","coordinates":[[[[20,63]]]]}`,
		`{"type":"Polygon","coordinates":"x"}`,
	}
	var regions []Region
	for i, g := range bad {
		regions = append(regions, Region{Code: fmt.Sprint(i), Name: "R", Geometry: json.RawMessage(g), Href: "/r"})
	}
	root, _ := render(t, regions, Options{})
	if n := len(root.all("path")); n != 0 {
		t.Errorf("drew %d invalid districts", n)
	}
	root, _ = render(t, nil, Options{Markers: []Marker{{Lat: 63.8, Lon: 20.2, Label: "Här"}}})
	if c := root.all("circle"); len(c) != 1 || c[0].child("title").Text != "Här" {
		t.Errorf("markers without districts: %+v", c)
	}
}

func TestRenderFitLeavesOutDistantDistricts(t *testing.T) {
	regions := []Region{
		{Code: "centrum", Name: "Centrum", Geometry: polygonJSON(squareRing(63.826, 20.263, 0.004)), Href: "/a"},
		{Code: "haga", Name: "Haga", Geometry: polygonJSON(squareRing(63.834, 20.250, 0.004)), Href: "/b"},
		{Code: "hornefors", Name: "Hörnefors", Geometry: polygonJSON(squareRing(63.627, 19.907, 0.01)), Href: "/c"},
	}
	root, _ := render(t, regions, Options{Fit: []string{"centrum", "haga"}})
	var got []string
	for _, a := range root.all("a") {
		got = append(got, a.Attrs["aria-label"])
	}
	if fmt.Sprint(got) != "[Centrum Haga]" {
		t.Errorf("links = %v, want Centrum and Haga only", got)
	}
}

func TestRenderMarkersAndDeterminism(t *testing.T) {
	regions := []Region{{Code: "a", Name: "A", Geometry: polygonJSON(squareRing(63.8, 20.2, 0.01)), Href: "/a"}}
	opts := Options{Markers: []Marker{
		{Lat: 63.8, Lon: 20.2, Label: "Klotter", Class: "cat-klotter"},
		{Lat: 10, Lon: 10, Label: "Långt borta"},
		{Lat: math.NaN(), Lon: 20.2, Label: "Trasig"},
	}}
	root, first := render(t, regions, opts)
	circles := root.all("circle")
	if len(circles) != 1 || circles[0].Attrs["class"] != "marker cat-klotter" || circles[0].Attrs["aria-label"] != "Klotter" {
		t.Fatalf("circles = %+v", circles)
	}
	_, second := render(t, regions, opts)
	if !bytes.Equal(first, second) {
		t.Error("two renders of the same input differ")
	}
}

func TestLabelPointInCrescent(t *testing.T) {
	// A C shape: its centroid lies in the opening, outside the shape.
	c := []xy{{0, 0}, {100, 0}, {100, 20}, {20, 20}, {20, 80}, {100, 80}, {100, 100}, {0, 100}}
	at, ok := labelPoint([][][]xy{{c}})
	if !ok || !inside(at, [][]xy{c}) {
		t.Errorf("label at %v, outside the shape", at)
	}
}

func TestRenderOmitsLabelThatDoesNotFit(t *testing.T) {
	regions := []Region{
		{Code: "stor", Name: "Stor", Geometry: polygonJSON(squareRing(63.8, 20.2, 0.05)), Href: "/a"},
		{Code: "liten", Name: "Ett mycket långt namn på ett litet område", Geometry: polygonJSON(squareRing(63.8, 20.4, 0.001)), Href: "/b"},
	}
	root, _ := render(t, regions, Options{})
	links := root.all("a")
	if len(links) != 2 {
		t.Fatalf("got %d links, want 2", len(links))
	}
	if links[0].child("text") == nil {
		t.Error("the large district has no label")
	}
	if links[1].child("text") != nil || links[1].Attrs["aria-label"] != regions[1].Name {
		t.Errorf("the small district: label drawn or link unnamed: %+v", links[1])
	}
}

func TestCentral(t *testing.T) {
	// A city of nine districts on a grid about 1 km apart, and three
	// villages 15–25 km out.
	var regions []Region
	for i := range 9 {
		lat, lon := 63.82+float64(i/3)*0.009, 20.25+float64(i%3)*0.02
		regions = append(regions, Region{Code: fmt.Sprintf("stad%d", i), Geometry: polygonJSON(squareRing(lat, lon, 0.004))})
	}
	for i, p := range [][2]float64{{63.70, 20.36}, {63.90, 20.55}, {63.63, 19.91}} {
		regions = append(regions, Region{Code: fmt.Sprintf("by%d", i), Geometry: polygonJSON(squareRing(p[0], p[1], 0.01))})
	}
	regions = append(regions, Region{Code: "trasig", Geometry: json.RawMessage(`{}`)})
	got := Central(regions)
	if len(got) != 9 || !strings.HasPrefix(strings.Join(got, ","), "stad0,stad1") || strings.Contains(strings.Join(got, ","), "by") {
		t.Errorf("Central = %v, want the nine city districts", got)
	}
	if Central(nil) != nil {
		t.Error("Central(nil) is not nil")
	}
}
