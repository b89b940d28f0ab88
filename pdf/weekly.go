package pdf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/lagesbild/lagesbildchart"
	"github.com/trygg-est/trygg/weekly"
)

// WriteWeekly writes a published weekly report as PDF: the same sections,
// in the same order, with the same map and chart, as its page.
func WriteWeekly(w io.Writer, r *weekly.Report, c *weekly.Content) error {
	p := &c.Picture
	title := "Veckorapport " + r.Week.String()
	d := New(Meta{
		Title:   fmt.Sprintf("Veckorapport %s version %d", r.Week.Code(), r.Version),
		Subject: "Lagesbild " + r.Week.Code(),
		Created: r.PublishedAt,
		Footer:  fmt.Sprintf("Trygg — %s, version %d", title, r.Version),
	})
	d.Heading(1, title)
	d.Muted(fmt.Sprintf("Version %d, publicerad %s av %s. Perioden är %s – %s.",
		r.Version, r.PublishedAt.In(trygg.Stockholm).Format("2006-01-02 15:04"), r.PublisherName,
		r.Week.Monday(), r.Week.Sunday()))

	d.Heading(2, "Sammanfattning")
	if len(p.Summary) > 0 {
		d.Bullets(p.Summary)
	} else {
		d.Paragraph(fmt.Sprintf("%d rapporter under veckan.", p.Total))
	}
	d.Heading(2, "Analys")
	d.Paragraph(orNone(r.Analysis, "Ingen analys skrevs för veckan."))
	d.Heading(2, "Slutsatser från veckomötet")
	d.Paragraph(orNone(r.Conclusions, "Inga slutsatser skrevs för veckan."))

	if len(c.Meetings) > 0 {
		d.Heading(2, "Samordningsmöten")
		for _, m := range c.Meetings {
			title := "Möte " + m.Day.String()
			if !m.Closed {
				title += " (protokollet är inte låst)"
			}
			d.Heading(3, title)
			if len(m.Attendees) > 0 {
				d.Paragraph("Närvarande: " + strings.Join(m.Attendees, ", ") + ".")
			}
			d.Paragraph(orNone(strings.Join(m.Decisions, "\n"), "Inga beslut."))
		}
	}

	if len(c.OpenActions) > 0 {
		d.Heading(2, "Öppna åtgärder")
		rows := make([][]string, len(c.OpenActions))
		for i, a := range c.OpenActions {
			due := ""
			if a.Due != nil {
				due = a.Due.String()
			}
			rows[i] = []string{a.Title, a.Area, a.Owner, due}
		}
		d.Table([]string{"Åtgärd", "Område", "Ansvarig", "Klar senast"}, []float64{4, 2, 2, 1.4}, nil, rows)
	}

	d.Heading(2, "Flaggade ökningar")
	if len(p.Flags) == 0 {
		d.Paragraph("Inga ökningar flaggades under veckan.")
	} else {
		sentences := make([]string, len(p.Flags))
		for i, f := range p.Flags {
			sentences[i] = f.Sentence
		}
		d.Bullets(sentences)
	}

	mapCanvas, chart := lagesbildchart.ReportFigures(&c.Picture)
	d.Figure(mapCanvas)
	d.Figure(chart)

	d.Heading(2, "Största förändringar")
	if len(p.Changes) == 0 {
		d.Paragraph("Inga förändringar att visa.")
	} else {
		rows := make([][]string, len(p.Changes))
		for i, c := range p.Changes {
			rows[i] = []string{c.AreaName, c.CategoryName, strconv.Itoa(c.Last4), strconv.Itoa(c.Prev12),
				lagesbild.VsPrevText(c.VsPrevThirds), strconv.Itoa(c.YearAgo4), lagesbild.Signed(c.VsYearAgo)}
		}
		d.Table([]string{"Område", "Kategori", "Senaste 4 v", "12 v innan", "Mot snittet", "I fjol", "Mot i fjol"},
			[]float64{2.1, 2.5, 1.3, 1.2, 1.2, 0.9, 1.1}, []bool{false, false, true, true, true, true, true}, rows)
	}

	d.Heading(2, "Rapporter per område")
	rows := make([][]string, len(p.Areas))
	for i, a := range p.Areas {
		rate := "–"
		if a.HasRate {
			rate = draw.Decimal(a.Per1000, 1)
		}
		rows[i] = []string{a.Name, strconv.Itoa(a.Count), rate}
	}
	d.Table([]string{"Område", "Rapporter", "Per 1 000 invånare"}, []float64{3, 1.2, 1.6}, []bool{false, true, true}, rows)
	return d.Write(w)
}

func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}
