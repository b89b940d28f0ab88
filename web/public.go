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
	"github.com/trygg-est/trygg/opendata"
	"github.com/trygg-est/trygg/svgchart"
)

// The public lägesbild shows, without a sign-in, the number of reports per
// category group for one district and one ended tertial, from the
// tertial's table in package opendata, which holds its rules: small
// counts withheld, no sums, and the table planned against the public
// weeks it overlaps. District names are public facts, which the services
// give to anyone.

// publicTertial returns the public table of t, kept in publicTertials,
// since every district's page of t shows a row of it.
func (s *Server) publicTertial(ctx context.Context, t opendata.Tertial) (*opendata.TertialTable, error) {
	now := time.Now() // freshness is about the wall clock, as for the pages
	if tab, ok := s.publicTertials.get(t, now); ok {
		return tab, nil
	}
	tab, err := s.cfg.OpenData.PublicTertial(ctx, t)
	if err != nil {
		return nil, err
	}
	s.publicTertials.put(t, tab, now)
	return tab, nil
}

type publicIndexData struct {
	Areas   []*trygg.Area
	Periods []opendata.Tertial
	Area    string // the form's choices
	Tertial string
}

// publicIndex offers a district and an ended tertial to choose; with
// ?omrade=&tertial= it sends the browser to that page, or shows the form
// again with what is wrong.
func (s *Server) publicIndex(w http.ResponseWriter, r *http.Request) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	d := publicIndexData{Areas: areas, Periods: opendata.EndedTertials(trygg.DayOf(s.now()), opendata.TertialsShown),
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
	if !slices.ContainsFunc(d.Periods, func(t opendata.Tertial) bool { return t.Path() == d.Tertial }) {
		val.Add("tertial", "Välj ett av de avslutade tertialen.")
	}
	if err := val.Err(); err != nil {
		s.renderForm(w, r, "public_index", v, err)
		return
	}
	http.Redirect(w, r, "/offentlig/"+d.Area+"/"+d.Tertial, http.StatusSeeOther)
}

type publicAreaData struct {
	Area    *trygg.Area
	Tertial opendata.Tertial
	Rows    []disclose.Count // per category group: Label the group
	Chart   template.HTML
	Periods []opendata.Tertial
}

// publicArea shows one district's counts per category group over an ended
// tertial.
func (s *Server) publicArea(w http.ResponseWriter, r *http.Request) {
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	periods := opendata.EndedTertials(trygg.DayOf(s.now()), opendata.TertialsShown)
	year, yerr := strconv.Atoi(r.PathValue("year"))
	n, nerr := strconv.Atoi(r.PathValue("tertial"))
	t := opendata.Tertial{Year: year, N: n}
	i := slices.IndexFunc(areas, func(a *trygg.Area) bool { return a.Code == r.PathValue("area") })
	if yerr != nil || nerr != nil || i < 0 || !slices.Contains(periods, t) {
		s.notFound(w, r)
		return
	}
	tab, err := s.publicTertial(r.Context(), t)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := publicAreaData{Area: areas[i], Tertial: t, Periods: periods, Rows: tab.District(areas[i].Code)}
	bars := make([]svgchart.Bar, len(d.Rows))
	for i, row := range d.Rows {
		bars[i] = svgchart.Bar{Label: row.Label, Text: row.Text(), Value: float64(row.Count)}
	}
	chart := svgchart.Bars(bars, svgchart.Options{ID: "offentligt-diagram",
		Title: "Rapporter per kategorigrupp, " + d.Area.Name + ", " + t.Label()})
	if d.Chart, err = svgHTML(chart); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_area", view{Title: d.Area.Name + ", " + t.Label(), Nav: "public", Data: d})
}
