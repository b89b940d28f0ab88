package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/svgchart"
)

// The public lägesbild shows, without a sign-in, the number of reports per
// category group for one district and one tertial. Its rules against
// working back to single incidents:
//
//   - counts that disclose.Withheld are shown as disclose.WithheldText
//     (the store withholds them: CountPublic);
//   - no sums at all: no total per district, per group or for the
//     municipality, on any page, since a sum and the cells beside it would
//     give the withheld cell back;
//   - only tertials that have ended, so that a cell cannot be watched
//     growing from day to day;
//   - no categories (only their groups), no free text, no points, no
//     organisations.
const publicTertialsShown = 9 // three years of ended tertials

// tertial is a third of a year: 1 is January–April, 2 May–August, 3
// September–December.
type tertial struct{ Year, N int }

var tertialMonths = [...]string{"", "januari–april", "maj–augusti", "september–december"}

// From and To are the first and last day of the tertial.
func (t tertial) From() trygg.Day { return trygg.DateDay(t.Year, time.Month(4*t.N-3), 1) }
func (t tertial) To() trygg.Day   { return trygg.DateDay(t.Year, time.Month(4*t.N+1), 0) }

// Label names the tertial, "tertial 2 2026 (maj–augusti)".
func (t tertial) Label() string {
	return "tertial " + strconv.Itoa(t.N) + " " + strconv.Itoa(t.Year) + " (" + tertialMonths[t.N] + ")"
}

// Path is the tertial's part of a public URL, "2026/2".
func (t tertial) Path() string { return strconv.Itoa(t.Year) + "/" + strconv.Itoa(t.N) }

func (t tertial) prev() tertial {
	if t.N == 1 {
		return tertial{t.Year - 1, 3}
	}
	return tertial{t.Year, t.N - 1}
}

// endedTertials returns the n latest tertials that ended before today,
// newest first.
func endedTertials(today trygg.Day, n int) []tertial {
	y, m, _ := today.Date()
	t := tertial{y, (int(m)-1)/4 + 1}.prev() // the tertial of today has not ended
	out := make([]tertial, n)
	for i := range out {
		out[i], t = t, t.prev()
	}
	return out
}

// publicNames reads the district names and category groups for the public
// pages: public facts, which the services give to anyone.
func (s *Server) publicNames(ctx context.Context) ([]*trygg.Area, []*trygg.Category, error) {
	areas, err := s.cfg.Areas.FindAreas(ctx)
	if err != nil {
		return nil, nil, err
	}
	cats, err := s.cfg.Categories.FindCategories(ctx, true)
	return areas, cats, err
}

type publicIndexData struct {
	Areas   []*trygg.Area
	Periods []tertial
	Area    string // the form's choices
	Tertial string
}

// publicIndex offers a district and an ended tertial to choose; with
// ?omrade=&tertial= it sends the browser to that page, or shows the form
// again with what is wrong.
func (s *Server) publicIndex(w http.ResponseWriter, r *http.Request) {
	areas, _, err := s.publicNames(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	d := publicIndexData{Areas: areas, Periods: endedTertials(trygg.DayOf(s.now()), publicTertialsShown),
		Area: q.Get("omrade"), Tertial: q.Get("tertial")}
	v := view{Title: "Offentlig lägesbild", Nav: "public", Data: d}
	if !q.Has("omrade") && !q.Has("tertial") {
		d.Tertial = d.Periods[0].Path()
		v.Data = d
		s.render(w, r, http.StatusOK, "public_index", v)
		return
	}
	var val trygg.Validation
	if !slices.ContainsFunc(areas, func(a *trygg.Area) bool { return a.Code == d.Area }) {
		val.Add("omrade", "Välj ett område.")
	}
	if !slices.ContainsFunc(d.Periods, func(t tertial) bool { return t.Path() == d.Tertial }) {
		val.Add("tertial", "Välj ett av de avslutade tertialen.")
	}
	if err := val.Err(); err != nil {
		s.renderForm(w, r, "public_index", v, err)
		return
	}
	http.Redirect(w, r, "/offentlig/"+d.Area+"/"+d.Tertial, http.StatusSeeOther)
}

// publicRow is one category group of a district's tertial.
type publicRow struct {
	Group      string
	Text       string // the count, or disclose.WithheldText
	Suppressed bool
}

type publicAreaData struct {
	Area    *trygg.Area
	Tertial tertial
	Rows    []publicRow
	Chart   template.HTML
	Periods []tertial
}

// publicArea shows one district's counts per category group over an ended
// tertial.
func (s *Server) publicArea(w http.ResponseWriter, r *http.Request) {
	areas, cats, err := s.publicNames(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	periods := endedTertials(trygg.DayOf(s.now()), publicTertialsShown)
	year, yerr := strconv.Atoi(r.PathValue("year"))
	n, nerr := strconv.Atoi(r.PathValue("tertial"))
	t := tertial{year, n}
	i := slices.IndexFunc(areas, func(a *trygg.Area) bool { return a.Code == r.PathValue("area") })
	if yerr != nil || nerr != nil || i < 0 || !slices.Contains(periods, t) {
		s.notFound(w, r)
		return
	}
	cells, err := s.cfg.Counts.CountPublic(r.Context(), t.From(), t.To())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := publicAreaData{Area: areas[i], Tertial: t, Periods: periods, Rows: publicRows(cats, cells, areas[i].Code)}
	bars := make([]svgchart.Bar, len(d.Rows))
	for i, row := range d.Rows {
		bars[i] = svgchart.Bar{Label: row.Group, Text: row.Text}
		if !row.Suppressed {
			bars[i].Value, _ = strconv.ParseFloat(row.Text, 64)
		}
	}
	chart := svgchart.Bars(bars, svgchart.Options{ID: "offentligt-diagram",
		Title: "Rapporter per kategorigrupp, " + d.Area.Name + ", " + t.Label()})
	if d.Chart, err = svgHTML(chart); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_area", view{Title: d.Area.Name + ", " + t.Label(), Nav: "public", Data: d})
}

// publicRows returns a row per category group, in the taxonomy's order:
// every group of a current category, and any other group with reports.
func publicRows(cats []*trygg.Category, cells []trygg.PublicCell, area string) []publicRow {
	var rows []publicRow
	index := map[string]int{}
	add := func(group string) int {
		if i, ok := index[group]; ok {
			return i
		}
		index[group] = len(rows)
		rows = append(rows, publicRow{Group: group, Text: "0"})
		return len(rows) - 1
	}
	for _, c := range cats {
		if c.ArchivedAt == nil {
			add(c.Group)
		}
	}
	for _, c := range cells {
		if c.Area != area {
			continue
		}
		row := &rows[add(c.Group)]
		if c.Suppressed {
			row.Text, row.Suppressed = disclose.WithheldText(), true
		} else {
			row.Text = strconv.Itoa(c.Count)
		}
	}
	return rows
}
