// Package pdf writes Trygg's printable documents as PDF: headings, text,
// tables, and the charts and maps of package draw, drawn from the same
// Canvas as their SVG. It uses fpdf with the core Helvetica font and the
// cp1252 code page, so it needs no font files and prints å, ä and ö (see
// docs/adr/0005-pdf.md). Characters outside cp1252 print as "?".
package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/trygg-est/trygg/draw"
)

// Page geometry of A4 portrait, in millimetres.
const (
	margin   = 18.0
	pageW    = 210.0
	contentW = pageW - 2*margin
	font     = "Helvetica"
	mmPerPt  = 25.4 / 72
)

// Document is a PDF being written top to bottom: each method adds a block
// below the one before, breaking pages as needed.
type Document struct {
	f  *fpdf.Fpdf
	tr func(string) string // UTF-8 to cp1252
}

// Meta describes a document. Title and Subject are kept in the file's
// information dictionary as plain text (non-ASCII is dropped there), so
// that a search through the raw file finds them.
type Meta struct {
	Title, Subject string
	Created        time.Time // fixed, so that a document is reproducible
	Footer         string    // left of the page number on every page
}

// New starts a document.
func New(m Meta) *Document {
	f := fpdf.New("P", "mm", "A4", "")
	cp1252 := f.UnicodeTranslatorFromDescriptor("cp1252")
	// The minus sign of the tables is not in cp1252; a hyphen is.
	d := &Document{f: f, tr: func(s string) string { return cp1252(strings.ReplaceAll(s, "−", "-")) }}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.SetTitle(ascii(m.Title), false)
	f.SetSubject(ascii(m.Subject), false)
	f.SetCreator("Trygg", false)
	f.SetProducer("Trygg", false)
	f.SetLang("sv-SE")
	f.SetCreationDate(m.Created)
	f.SetModificationDate(m.Created)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-margin + 4)
		f.SetFont(font, "", 8)
		f.SetTextColor(80, 80, 80)
		f.CellFormat(contentW/2, 5, d.tr(m.Footer), "", 0, "L", false, 0, "")
		f.CellFormat(contentW/2, 5, d.tr("Sida "+strconv.Itoa(f.PageNo())+" av {nb}"), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	return d
}

// ascii keeps the printable ASCII of s and spells å, ä, ö without dots,
// for the information dictionary.
func ascii(s string) string {
	s = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O", "—", "-", "–", "-").Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
}

// Heading adds a heading of level 1 (the title), 2 or 3.
func (d *Document) Heading(level int, text string) {
	size, before := 18.0, 0.0
	switch level {
	case 2:
		size, before = 14, 5
	case 3:
		size, before = 11.5, 3
	}
	d.f.Ln(before)
	// Keep a heading with at least a few lines of what follows.
	d.needSpace(size*mmPerPt + 20)
	d.f.SetFont(font, "B", size)
	d.f.SetTextColor(0, 0, 0)
	d.f.MultiCell(contentW, size*mmPerPt*1.3, d.tr(text), "", "L", false)
	d.f.Ln(1)
}

// Paragraph adds text; blank lines in it separate paragraphs.
func (d *Document) Paragraph(text string) {
	d.f.SetFont(font, "", 10.5)
	d.f.SetTextColor(0, 0, 0)
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		d.f.MultiCell(contentW, 5.2, d.tr(strings.TrimSpace(para)), "", "L", false)
		d.f.Ln(2)
	}
}

// Muted adds a line of small grey text, e.g. who published and when.
func (d *Document) Muted(text string) {
	d.f.SetFont(font, "", 9)
	d.f.SetTextColor(70, 70, 70)
	d.f.MultiCell(contentW, 4.5, d.tr(text), "", "L", false)
	d.f.SetTextColor(0, 0, 0)
	d.f.Ln(1)
}

// Bullets adds a list.
func (d *Document) Bullets(items []string) {
	d.f.SetFont(font, "", 10.5)
	d.f.SetTextColor(0, 0, 0)
	for _, it := range items {
		x := d.f.GetX()
		d.f.CellFormat(5, 5.2, d.tr("•"), "", 0, "L", false, 0, "")
		d.f.MultiCell(contentW-5, 5.2, d.tr(it), "", "L", false)
		d.f.SetX(x)
	}
	d.f.Ln(2)
}

// Table adds a table. widths are relative; numeric columns (right) are
// right-aligned. The header repeats on every page the table runs onto.
func (d *Document) Table(header []string, widths []float64, right []bool, rows [][]string) {
	var total float64
	for _, w := range widths {
		total += w
	}
	cols := make([]float64, len(widths))
	for i, w := range widths {
		cols[i] = contentW * w / total
	}
	const h = 6.0
	writeHeader := func() {
		d.f.SetFont(font, "B", 9.5)
		d.f.SetFillColor(230, 234, 240)
		for i, c := range header {
			d.f.CellFormat(cols[i], h, d.tr(fit(d.f, d.tr, c, cols[i])), "B", 0, align(right, i), true, 0, "")
		}
		d.f.Ln(h)
		d.f.SetFont(font, "", 9.5)
	}
	d.needSpace(3 * h)
	writeHeader()
	for _, row := range rows {
		if d.f.GetY()+h > d.bottom() {
			d.f.AddPage()
			writeHeader()
		}
		for i, c := range row {
			if i < len(cols) {
				d.f.CellFormat(cols[i], h, d.tr(fit(d.f, d.tr, c, cols[i])), "B", 0, align(right, i), false, 0, "")
			}
		}
		d.f.Ln(h)
	}
	d.f.Ln(3)
}

func align(right []bool, i int) string {
	if i < len(right) && right[i] {
		return "R"
	}
	return "L"
}

// fit shortens s with "…" until it fits a cell of width w.
func fit(f *fpdf.Fpdf, tr func(string) string, s string, w float64) string {
	r := []rune(s)
	for len(r) > 1 && f.GetStringWidth(tr(string(r)))+2 > w {
		r = append(r[:len(r)-2], '…')
	}
	return string(r)
}

// Figure adds a drawing at the full text width, scaled to keep its
// proportions, with its title as a caption below.
func (d *Document) Figure(c *draw.Canvas) {
	if c == nil || c.Width <= 0 || c.Height <= 0 {
		return
	}
	w := contentW
	h := c.Height * w / c.Width
	if limit := 150.0; h > limit {
		h, w = limit, c.Width*limit/c.Height
	}
	d.needSpace(h + 8)
	x, y := margin+(contentW-w)/2, d.f.GetY()
	DrawCanvas(d.f, d.tr, c, x, y, w)
	d.f.SetY(y + h + 1)
	if c.Title != "" {
		d.Muted(c.Title)
	}
	d.f.Ln(2)
}

func (d *Document) bottom() float64 {
	_, h := d.f.GetPageSize()
	return h - margin
}

// needSpace starts a new page unless h millimetres are left on this one.
func (d *Document) needSpace(h float64) {
	if d.f.GetY()+h > d.bottom() {
		d.f.AddPage()
	}
}

// Write finishes the document and writes it to w.
func (d *Document) Write(w io.Writer) error {
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return d.f.Output(w)
}
