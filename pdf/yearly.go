package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/trygg-est/trygg/indikator"
)

// WriteYearly writes a version of the yearly lägesbild and åtgärdsplan:
// the same parts, in the same order, as its HTML page.
func WriteYearly(w io.Writer, y *indikator.Yearly) error {
	c := y.Content
	title := fmt.Sprintf("Lägesbild och åtgärdsplan %d", y.Year)
	status := fmt.Sprintf("Version %d, %s", y.Version, strings.ToLower(y.Status.Label()))
	created := y.UpdatedAt
	if y.DecidedAt != nil {
		created = *y.DecidedAt
		status += " " + y.DecidedAt.Format("2006-01-02")
	}
	doc := New(Meta{Title: title, Subject: "Lägesbild och åtgärdsplan enligt lag (2023:196)", Created: created, Footer: title + ", version " + fmt.Sprint(y.Version)})
	doc.Heading(1, title)
	doc.Muted(status + ". Enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete.")
	doc.Heading(2, "Lägesbild i korthet")
	doc.Paragraph(orNone(c.Summary, "Ingen sammanfattning skriven."))
	doc.Heading(2, "Brott och trygghet i siffror")
	if c.PeerGroup != "" {
		doc.Muted("Jämförelse med " + c.PeerGroup + ": gruppens median och den mittersta hälften (kvartilerna).")
	}
	var rows [][]string
	for _, ind := range c.Indicators {
		rows = append(rows, []string{ind.Name, fmt.Sprint(ind.Year), ind.ValueText(), ind.PeerText(), ind.RankText(), ind.ChangeText()})
	}
	if len(rows) > 0 {
		doc.Table([]string{"Indikator", "År", "Värde", "Gruppen", "Plats", "Fem år"}, []float64{5, 1, 1.3, 2.2, 1.2, 2.6}, []bool{false, true, true, true, true, false}, rows)
	} else {
		doc.Paragraph("Inga indikatorer.")
	}
	if t := c.LeftOutText(); t != "" {
		doc.Muted(t)
	}
	doc.Heading(2, "Stadsdelar")
	for _, d := range c.Districts {
		doc.Heading(3, d.Name)
		var parts []string
		for _, n := range d.Counts {
			parts = append(parts, n.Label+": "+n.CountText())
		}
		if len(parts) > 0 {
			doc.Paragraph("Rapporter under året: " + strings.Join(parts, ", ") + ".")
		}
		if len(d.Flags) > 0 {
			doc.Bullets(d.Flags)
		}
	}
	doc.Heading(2, "Orsaker")
	doc.Paragraph(orNone(c.Causes, "Ingen bedömning skriven."))
	doc.Heading(2, "Åtgärdsplan")
	doc.Paragraph(orNone(c.Priority, "Inga prioriteringar skrivna."))
	doc.Bullets(yearlyActionLines(c.Actions, false))
	doc.Heading(2, "Uppföljning av förra årets plan")
	if c.PreviousFrom != "" {
		doc.Muted("Planen " + c.PreviousFrom + ".")
	}
	doc.Bullets(yearlyActionLines(c.Previous, true))
	if c.FollowUp != "" {
		doc.Paragraph(c.FollowUp)
	}
	return doc.Write(w)
}

func yearlyActionLines(actions []indikator.YearlyAction, effect bool) []string {
	if len(actions) == 0 {
		return []string{"Inga."}
	}
	var out []string
	for _, a := range actions {
		s := a.Title + " – " + a.Owner + ", klart senast " + a.Deadline.String() + ", " + a.Status
		if a.Districts != "" {
			s += " (" + a.Districts + ")"
		}
		if effect && a.Effect != "" {
			s += ". Effekt: " + a.Effect
		}
		out = append(out, s)
	}
	return out
}
