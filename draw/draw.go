// Package draw is a small drawing model for the charts and maps that the
// server draws: a Canvas holds rectangles, paths, circles, texts and groups,
// each with a style, an optional tooltip and an optional link. A chart is
// built once as a Canvas and written twice: as accessible SVG here
// (WriteSVG) and as PDF by package pdf. Every primitive therefore maps
// directly onto PDF path operations: no transforms, no transparency, no
// gradients, colours only as "#rrggbb".
//
// Coordinates are in canvas units with the origin at the top left and y
// growing downwards, as in SVG.
package draw

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Canvas is one drawing: a chart or a map.
type Canvas struct {
	Width, Height float64
	// ID prefixes the ids of the title and description, so that several
	// drawings can share a page; "bild" when empty or not a plain token.
	ID string
	// Title names the drawing; Desc is its text alternative: what a
	// sighted reader takes from it, in words. Screen readers read both.
	Title, Desc string
	Class       string // CSS classes of the svg element
	Items       []Item
}

// Add appends items to the canvas.
func (c *Canvas) Add(items ...Item) { c.Items = append(c.Items, items...) }

// Item is one thing drawn: Rect, Path, Circle, Text or Group (values, not
// pointers). The set is closed so that every renderer can handle all of
// them.
type Item interface{ isItem() }

// Style is how an item is painted. Colours are "#rrggbb"; anything else
// (also "") means none.
type Style struct {
	Fill   string
	Stroke string
	// StrokeWidth is the line width; 0 means 1 when Stroke is set.
	StrokeWidth float64
	// Dash is the dash pattern (on, off, ...); nil is a solid line.
	Dash []float64
	// Class holds CSS classes for the SVG, so that a page can restyle it
	// (hover, focus, print). PDF ignores it.
	Class string
}

// Point is a position on the canvas.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle.
type Rect struct {
	X, Y, W, H float64
	Style
	Title string // tooltip and accessible name; optional
	Href  string // link target; optional
}

// Path is one or more connected lines. Closed paths are polygons (filled
// with the even-odd rule, so inner rings are holes); open ones are
// polylines, never filled.
type Path struct {
	Subpaths [][]Point
	Closed   bool
	Style
	Title string
	Href  string
}

// Circle is a circle around (CX, CY).
type Circle struct {
	CX, CY, R float64
	Style
	Title string
	Href  string
}

// Anchor is where a text sits relative to its X.
type Anchor int

const (
	Start  Anchor = iota // X is the left end
	Middle               // X is the middle
	End                  // X is the right end
)

// Text is one line of text; Y is its baseline. Fill is its colour
// (black when none).
type Text struct {
	X, Y   float64
	Text   string
	Size   float64 // font size in canvas units; 0 means 12
	Anchor Anchor
	Bold   bool
	Style
	Title string
	Href  string
}

// Group holds items that belong together, e.g. a district's outline and
// its name: with Href the whole group is one link, with Title one
// tooltip and accessible name.
type Group struct {
	Items []Item
	Class string
	Title string
	Href  string
	// Current marks the group as the chosen one (aria-current).
	Current bool
}

func (Rect) isItem()   {}
func (Path) isItem()   {}
func (Circle) isItem() {}
func (Text) isItem()   {}
func (Group) isItem()  {}

// DefaultTextSize is the font size of a Text with Size 0.
const DefaultTextSize = 12

// TextWidth estimates the width of s at font size size in a sans-serif
// font: good enough to decide whether a label fits.
func TextWidth(s string, size float64) float64 {
	if size <= 0 {
		size = DefaultTextSize
	}
	return float64(utf8.RuneCountInString(s)) * size * 0.55
}

var (
	token     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	hexColour = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// IsColour reports whether s is a colour as this package takes it:
// "#rrggbb".
func IsColour(s string) bool { return hexColour.MatchString(s) }

// SafeHref accepts the links the server makes: a path on this site, a query
// or a fragment. Anything else (javascript:, other hosts) is dropped by the
// renderers.
func SafeHref(h string) bool {
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

// HasLinks reports whether any item, at any depth, is a safe link.
func (c *Canvas) HasLinks() bool { return hasLinks(c.Items) }

func hasLinks(items []Item) bool {
	for _, it := range items {
		switch it := it.(type) {
		case Rect:
			if SafeHref(it.Href) {
				return true
			}
		case Path:
			if SafeHref(it.Href) {
				return true
			}
		case Circle:
			if SafeHref(it.Href) {
				return true
			}
		case Text:
			if SafeHref(it.Href) {
				return true
			}
		case Group:
			if SafeHref(it.Href) || hasLinks(it.Items) {
				return true
			}
		}
	}
	return false
}

// WriteSVG writes the canvas as a standalone, accessible svg element: its
// Title and Desc are its <title> and <desc>, named by aria-labelledby and
// aria-describedby. A canvas without links is role="img", one picture to
// assistive technology. With links it is role="group", so that every link
// can be reached: items with a Title are then announced as images by that
// title, and texts without one are hidden from screen readers (the links
// and Desc carry the meaning). The output depends only on the canvas.
func (c *Canvas) WriteSVG(w io.Writer) error {
	id := c.ID
	if !token.MatchString(id) {
		id = "bild"
	}
	bw := bufio.NewWriter(w)
	e := &svgWriter{w: bw, group: c.HasLinks()}
	role := "img"
	if e.group {
		role = "group"
	}
	e.printf(`<svg xmlns="http://www.w3.org/2000/svg"`)
	if cl := classes(c.Class); cl != "" {
		e.printf(` class="%s"`, cl)
	}
	e.printf(` viewBox="0 0 %s %s" role="%s" aria-labelledby="%s-title"`, Num(c.Width), Num(c.Height), role, id)
	if c.Desc != "" {
		e.printf(` aria-describedby="%s-desc"`, id)
	}
	e.printf(` font-family="sans-serif">` + "\n")
	title := c.Title
	if title == "" {
		title = "Bild"
	}
	e.printf(`<title id="%s-title">%s</title>`+"\n", id, esc(title))
	if c.Desc != "" {
		e.printf(`<desc id="%s-desc">%s</desc>`+"\n", id, esc(c.Desc))
	}
	for _, it := range c.Items {
		e.item(it, false)
		e.printf("\n")
	}
	e.printf("</svg>\n")
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

type svgWriter struct {
	w     io.Writer
	err   error
	group bool // role="group": titled items are announced
}

func (e *svgWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// item writes one item. inside is true within a link or a titled group,
// whose accessible name already covers the item.
func (e *svgWriter) item(it Item, inside bool) {
	switch it := it.(type) {
	case Rect:
		e.wrap(it.Href, it.Title, inside, func(a string) {
			e.printf(`<rect x="%s" y="%s" width="%s" height="%s"%s%s`, Num(it.X), Num(it.Y), Num(it.W), Num(it.H), style(it.Style, false), a)
			e.close("rect", it.Title, it.Href)
		})
	case Path:
		st := it.Style
		if !it.Closed {
			st.Fill = ""
		}
		e.wrap(it.Href, it.Title, inside, func(a string) {
			e.printf(`<path d="%s"%s`, pathData(it.Subpaths, it.Closed), style(st, false))
			if it.Closed {
				e.printf(` fill-rule="evenodd"`)
			} else if st.Class != "" {
				e.printf(` fill="none"`)
			}
			e.printf("%s", a)
			e.close("path", it.Title, it.Href)
		})
	case Circle:
		e.wrap(it.Href, it.Title, inside, func(a string) {
			e.printf(`<circle cx="%s" cy="%s" r="%s"%s%s`, Num(it.CX), Num(it.CY), Num(it.R), style(it.Style, false), a)
			e.close("circle", it.Title, it.Href)
		})
	case Text:
		if it.Title == "" && !SafeHref(it.Href) && e.group && !inside {
			inside = true // decoration: hidden below
		}
		e.wrap(it.Href, it.Title, inside, func(a string) {
			size := it.Size
			if size <= 0 {
				size = DefaultTextSize
			}
			e.printf(`<text x="%s" y="%s" font-size="%s"`, Num(it.X), Num(it.Y), Num(size))
			switch it.Anchor {
			case Middle:
				e.printf(` text-anchor="middle"`)
			case End:
				e.printf(` text-anchor="end"`)
			}
			if it.Bold {
				e.printf(` font-weight="bold"`)
			}
			e.printf("%s", style(it.Style, true))
			if it.Title == "" && !SafeHref(it.Href) && e.group {
				e.printf(` aria-hidden="true"`)
			}
			e.printf("%s>", a)
			if it.Title != "" && !SafeHref(it.Href) {
				e.printf("<title>%s</title>", esc(it.Title))
			}
			e.printf("%s</text>", esc(it.Text))
		})
	case Group:
		link := SafeHref(it.Href)
		switch {
		case link:
			e.printf(`<a href="%s"`, esc(it.Href))
			if cl := classes(it.Class); cl != "" {
				e.printf(` class="%s"`, cl)
			}
			if it.Title != "" {
				e.printf(` aria-label="%s"`, esc(it.Title))
			}
			if it.Current {
				e.printf(` aria-current="true"`)
			}
			e.printf(">")
		default:
			e.printf("<g")
			if cl := classes(it.Class); cl != "" {
				e.printf(` class="%s"`, cl)
			}
			if it.Title != "" && e.group && !inside {
				e.printf(` role="img" aria-label="%s"`, esc(it.Title))
			}
			if it.Current {
				e.printf(` aria-current="true"`)
			}
			e.printf(">")
		}
		if it.Title != "" {
			e.printf("<title>%s</title>", esc(it.Title))
		}
		for _, c := range it.Items {
			e.item(c, inside || link || it.Title != "")
		}
		if link {
			e.printf("</a>")
		} else {
			e.printf("</g>")
		}
	}
}

// wrap writes a shape, inside a link when href is safe. draw gets the
// accessibility attributes to add to the shape itself.
func (e *svgWriter) wrap(href, title string, inside bool, draw func(attrs string)) {
	if SafeHref(href) {
		e.printf(`<a href="%s"`, esc(href))
		if title != "" {
			e.printf(` aria-label="%s"`, esc(title))
		}
		e.printf(">")
		draw("")
		e.printf("</a>")
		return
	}
	attrs := ""
	if title != "" && e.group && !inside {
		attrs = fmt.Sprintf(` role="img" aria-label="%s"`, esc(title))
	}
	draw(attrs)
}

// close ends a shape element, with its tooltip as a child.
func (e *svgWriter) close(name, title, href string) {
	if title != "" {
		e.printf("><title>%s</title></%s>", esc(title), name)
		return
	}
	e.printf("/>")
}

// style writes the painting attributes. A shape with neither fill nor
// stroke gets fill="none" unless it has a class, so that CSS may paint it;
// a text without fill is black.
func style(s Style, text bool) string {
	var b strings.Builder
	if cl := classes(s.Class); cl != "" {
		b.WriteString(` class="` + cl + `"`)
	}
	if IsColour(s.Fill) {
		b.WriteString(` fill="` + strings.ToLower(s.Fill) + `"`)
	} else if s.Class == "" && !text {
		b.WriteString(` fill="none"`)
	}
	if IsColour(s.Stroke) {
		b.WriteString(` stroke="` + strings.ToLower(s.Stroke) + `"`)
		width := s.StrokeWidth
		if width <= 0 {
			width = 1
		}
		b.WriteString(` stroke-width="` + Num(width) + `"`)
		if len(s.Dash) > 0 {
			parts := make([]string, len(s.Dash))
			for i, d := range s.Dash {
				parts[i] = Num(d)
			}
			b.WriteString(` stroke-dasharray="` + strings.Join(parts, " ") + `"`)
		}
	}
	return b.String()
}

// classes keeps the well-formed class tokens of s.
func classes(s string) string {
	var out []string
	for _, f := range strings.Fields(s) {
		if token.MatchString(f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

func pathData(subpaths [][]Point, closed bool) string {
	var d strings.Builder
	for _, sp := range subpaths {
		for i, p := range sp {
			if i == 0 {
				d.WriteString("M")
			} else {
				d.WriteString("L")
			}
			d.WriteString(Num(p.X) + " " + Num(p.Y))
		}
		if closed && len(sp) > 0 {
			d.WriteString("Z")
		}
	}
	return d.String()
}

// Num formats a coordinate with at most one decimal, as both renderers
// write them.
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	v = math.Round(v*10) / 10
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

// Decimal formats v with prec decimals and a Swedish decimal comma, as
// the charts' labels show numbers.
func Decimal(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if s == "-0" || strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return strings.Replace(s, ".", ",", 1)
}

// Integer formats n the Swedish way, with a no-break space between
// thousands: "7 000".
func Integer(n int) string {
	s := strconv.Itoa(max(n, -n))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u00a0" + s[i:]
	}
	if n < 0 {
		s = "−" + s
	}
	return s
}
