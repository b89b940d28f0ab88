package pdf

import (
	"strconv"

	"github.com/go-pdf/fpdf"

	"github.com/trygg-est/trygg/draw"
)

// DrawCanvas draws c onto the current page of f with its top left corner at
// (x, y) and the given width, in the document's units; the height follows
// from the canvas's proportions. tr translates text to the font's code page.
// Links, tooltips and CSS classes have no meaning on paper and are left
// out; items painted only by a class are therefore not drawn.
func DrawCanvas(f *fpdf.Fpdf, tr func(string) string, c *draw.Canvas, x, y, width float64) {
	if c.Width <= 0 {
		return
	}
	r := canvasRenderer{f: f, tr: tr, x0: x, y0: y, k: width / c.Width}
	for _, it := range c.Items {
		r.item(it)
	}
	f.SetDashPattern(nil, 0)
	f.SetTextColor(0, 0, 0)
	f.SetLineWidth(0.2)
}

type canvasRenderer struct {
	f      *fpdf.Fpdf
	tr     func(string) string
	x0, y0 float64 // where the canvas origin lands on the page
	k      float64 // page units per canvas unit
}

func (r canvasRenderer) px(x float64) float64 { return r.x0 + x*r.k }
func (r canvasRenderer) py(y float64) float64 { return r.y0 + y*r.k }

// paint sets the colours, line width and dashes of s and returns the fpdf
// style string: "F", "D", "FD", or "" when there is nothing to paint.
func (r canvasRenderer) paint(s draw.Style) string {
	op := ""
	if red, green, blue, ok := rgb(s.Fill); ok {
		r.f.SetFillColor(red, green, blue)
		op = "F"
	}
	if red, green, blue, ok := rgb(s.Stroke); ok {
		r.f.SetDrawColor(red, green, blue)
		w := s.StrokeWidth
		if w <= 0 {
			w = 1
		}
		r.f.SetLineWidth(w * r.k)
		dash := make([]float64, len(s.Dash))
		for i, d := range s.Dash {
			dash[i] = d * r.k
		}
		r.f.SetDashPattern(dash, 0)
		op += "D"
	}
	return op
}

func (r canvasRenderer) item(it draw.Item) {
	switch it := it.(type) {
	case draw.Rect:
		if op := r.paint(it.Style); op != "" {
			r.f.Rect(r.px(it.X), r.py(it.Y), it.W*r.k, it.H*r.k, op)
		}
	case draw.Circle:
		if op := r.paint(it.Style); op != "" {
			r.f.Circle(r.px(it.CX), r.py(it.CY), it.R*r.k, op)
		}
	case draw.Path:
		st := it.Style
		if !it.Closed {
			st.Fill = "" // a polyline is never filled
		}
		op := r.paint(st)
		if op == "" {
			return
		}
		drawn := false
		for _, sp := range it.Subpaths {
			if len(sp) < 2 {
				continue
			}
			for i, p := range sp {
				if i == 0 {
					r.f.MoveTo(r.px(p.X), r.py(p.Y))
				} else {
					r.f.LineTo(r.px(p.X), r.py(p.Y))
				}
			}
			if it.Closed {
				r.f.ClosePath()
			}
			drawn = true
		}
		if drawn {
			if it.Closed && op != "D" {
				op += "*" // even-odd, as the SVG fills it: inner rings are holes
			}
			r.f.DrawPath(op)
		}
	case draw.Text:
		r.text(it)
	case draw.Group:
		for _, c := range it.Items {
			r.item(c)
		}
	}
}

func (r canvasRenderer) text(t draw.Text) {
	if t.Text == "" {
		return
	}
	size := t.Size
	if size <= 0 {
		size = draw.DefaultTextSize
	}
	style := ""
	if t.Bold {
		style = "B"
	}
	r.f.SetFont(font, style, size*r.k/mmPerPt)
	if red, green, blue, ok := rgb(t.Fill); ok {
		r.f.SetTextColor(red, green, blue)
	} else {
		r.f.SetTextColor(0, 0, 0)
	}
	s := r.tr(t.Text)
	x := r.px(t.X)
	switch t.Anchor {
	case draw.Middle:
		x -= r.f.GetStringWidth(s) / 2
	case draw.End:
		x -= r.f.GetStringWidth(s)
	}
	r.f.Text(x, r.py(t.Y), s)
}

// rgb reads "#rrggbb".
func rgb(c string) (red, green, blue int, ok bool) {
	if !draw.IsColour(c) {
		return 0, 0, 0, false
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return 0, 0, 0, false
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff), true
}
