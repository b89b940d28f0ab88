package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
)

// The advertising indicator: weekly counts of ads offering sex, and of
// sugar-dating ads with a suspected minor, drawn with the joint operations
// marked under the time axis so that "minskad annonsering" can be seen or
// refuted.

// adEditors may enter and import counts; everyone who sees the statistics
// sees the chart.
var adEditors = []trygg.Role{trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare, trygg.RoleSamordnare}

// maxAdUpload caps the advertising CSV upload.
const maxAdUpload = 2 << 20

func (s *Server) adRoutes() []route {
	return []route{
		{pattern: "GET /operativ/annonser", name: "operativ_ads", roles: operativStatsRoles, handler: s.adPage},
		{pattern: "POST /operativ/annonser", name: "operativ_ads_save", roles: adEditors, handler: s.saveAdWeek},
		{pattern: "POST /operativ/annonser/import", name: "operativ_ads_import", roles: adEditors, handler: s.importAds, maxBody: maxAdUpload},
		{pattern: "POST /operativ/annonser/{week}/ta-bort", name: "operativ_ads_delete", roles: adEditors, handler: s.deleteAdWeek},
	}
}

type adForm struct{ Week, Ads, SugarMinor string }

type adData struct {
	Weeks       []operativ.AdWeek
	Years       []adYear
	Chart       template.HTML
	Form        adForm
	CanEdit     bool
	Recent      []adRow                 // for the editors, newest first: the latest weeks …
	Older       []adRow                 // … and the rest
	Commitments []*samverkan.Commitment // measured by the ads, for the readers of samverkan
}

// adRow is a stored week in the editors' list, which has a button to
// remove it.
type adRow struct {
	operativ.AdWeek
	Label string // ÅÅÅÅ-Vnn
}

// adRecent is how many of the latest weeks the editors' list shows
// before the rest, which are folded away.
const adRecent = 12

// adYear is a row of the yearly table under the chart.
type adYear struct {
	Year              int
	Weeks             int
	MeanAds, MeanSugr string
}

func (s *Server) adPage(w http.ResponseWriter, r *http.Request) {
	s.renderAds(w, r, adForm{}, nil)
}

// renderAds shows the page, with err (EINVALID) on the forms.
func (s *Server) renderAds(w http.ResponseWriter, r *http.Request, f adForm, err error) {
	ctx := r.Context()
	weeks, lerr := s.cfg.Ads.AdCounts(ctx)
	var st *operativ.Stats
	if lerr == nil {
		st, lerr = s.cfg.Operations.Stats(ctx)
	}
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	u := trygg.UserFromContext(ctx)
	d := &adData{Weeks: weeks, Years: adYears(weeks), Form: f, CanEdit: u.Has(adEditors...)}
	if f.Week == "" {
		d.Form.Week = operativ.FormatWeek(trygg.DayOf(s.now()))
	}
	if d.CanEdit {
		for i := len(weeks) - 1; i >= 0; i-- {
			row := adRow{AdWeek: weeks[i], Label: operativ.FormatWeek(weeks[i].Week)}
			if len(d.Recent) < adRecent {
				d.Recent = append(d.Recent, row)
			} else {
				d.Older = append(d.Older, row)
			}
		}
	}
	var buf bytes.Buffer
	if cerr := adChart(weeks, st.Months).WriteSVG(&buf); cerr != nil {
		s.error(w, r, cerr)
		return
	}
	d.Chart = template.HTML(buf.String()) // drawn by our own code, escaped there
	if u.Has(samverkanReaders...) && s.cfg.Agreements != nil {
		agreements, aerr := s.cfg.Agreements.FindAgreements(ctx, samverkan.AgreementFilter{})
		if aerr != nil {
			s.error(w, r, aerr)
			return
		}
		for _, a := range agreements {
			for _, c := range a.Commitments {
				if c.Indicator.Source.FromAds() {
					d.Commitments = append(d.Commitments, c)
				}
			}
		}
	}
	v := view{Title: "Annonsering för sexköp", Nav: "operativ_ads", Data: d}
	s.renderForm(w, r, "operativ_ads", v, err)
}

func adYears(weeks []operativ.AdWeek) []adYear {
	var out []adYear
	var ads, sugar int
	for _, wk := range weeks {
		y, _ := wk.Week.ISOWeek()
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, adYear{Year: y})
			ads, sugar = 0, 0
		}
		row := &out[len(out)-1]
		row.Weeks++
		ads += wk.Ads
		sugar += wk.SugarMinor
		row.MeanAds = trygg.FormatNumber(float64(ads) / float64(row.Weeks))
		row.MeanSugr = trygg.FormatNumber(float64(sugar) / float64(row.Weeks))
	}
	return out
}

func (s *Server) saveAdWeek(w http.ResponseWriter, r *http.Request) {
	f := adForm{Week: r.PostFormValue("week"), Ads: r.PostFormValue("ads"), SugarMinor: r.PostFormValue("sugar_minor")}
	var v trygg.Validation
	var a operativ.AdWeek
	var err error
	if a.Week, err = operativ.ParseWeek(f.Week); err != nil {
		v.Add("week", "%s.", err)
	}
	for _, c := range []struct {
		field, value string
		n            *int
	}{{"ads", f.Ads, &a.Ads}, {"sugar_minor", f.SugarMinor, &a.SugarMinor}} {
		if strings.TrimSpace(c.value) == "" && c.field == "sugar_minor" {
			continue
		}
		if *c.n, err = strconv.Atoi(strings.TrimSpace(c.value)); err != nil {
			v.Add(c.field, "Skriv antalet som ett heltal.")
		}
	}
	if len(v.Fields) == 0 {
		a.Validate(&v, "", trygg.DayOf(s.now()))
	}
	err = v.Err()
	if err == nil {
		err = s.cfg.Ads.SaveAdCounts(r.Context(), []operativ.AdWeek{a})
	}
	s.adResult(w, r, f, err)
}

// adResult returns to the page after a change, or shows it with the error.
func (s *Server) adResult(w http.ResponseWriter, r *http.Request, f adForm, err error) {
	if err == nil {
		http.Redirect(w, r, "/operativ/annonser", http.StatusSeeOther)
		return
	}
	if trygg.ErrorCode(err) != trygg.EINVALID {
		s.error(w, r, err)
		return
	}
	s.renderAds(w, r, f, err)
}

func (s *Server) importAds(w http.ResponseWriter, r *http.Request) {
	data, _, err := formFile(r, "file", "Välj en CSV-fil med kolumnerna vecka, annonser och sugardejting.")
	var weeks []operativ.AdWeek
	if err == nil {
		weeks, err = reportio.ParseAdCSV(data, trygg.DayOf(s.now()))
	}
	if err == nil {
		err = s.cfg.Ads.SaveAdCounts(r.Context(), weeks)
	}
	s.adResult(w, r, adForm{}, err)
}

// deleteAdWeek removes a week entered by mistake; the path names its
// Monday (ÅÅÅÅ-MM-DD), anything else is not found.
func (s *Server) deleteAdWeek(w http.ResponseWriter, r *http.Request) {
	week, err := trygg.ParseDay(r.PathValue("week"))
	if err != nil || week != week.Monday() {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Ads.DeleteAdWeek(r.Context(), week); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/operativ/annonser", "ad_week_deleted")
}

// Sizes and colours of the advertising chart, in canvas units: 440 units
// shrink to about 330 pixels on a phone.
const (
	adWidth, adHeight     = 440, 320
	adLeft, adRight       = 44, 430
	adTop, adBottom       = 70, 250
	adSize                = 15
	adInk, adGrid         = "#1a1a1a", "#d0d0d0"
	adLine, adSugar, adOp = "#1d4f91", "#a03c00", "#5b2a86"
)

// adChart draws the weekly ads as a line, the sugar-dating ads as a dashed
// line, and a mark under the time axis for every month with joint
// operations.
func adChart(weeks []operativ.AdWeek, months []disclose.Count) *draw.Canvas {
	c := &draw.Canvas{Width: adWidth, Height: adHeight, ID: "diagram-annonser", Class: "chart",
		Title: "Annonser per vecka och insatser", Desc: adDesc(weeks, months)}
	c.Add(
		draw.Path{Subpaths: [][]draw.Point{{{X: adLeft, Y: 14}, {X: adLeft + 24, Y: 14}}}, Style: draw.Style{Stroke: adLine, StrokeWidth: 2}},
		draw.Text{X: adLeft + 30, Y: 19, Text: "Annonser om sex", Size: adSize, Style: draw.Style{Fill: adInk}},
		draw.Path{Subpaths: [][]draw.Point{{{X: adLeft, Y: 36}, {X: adLeft + 24, Y: 36}}}, Style: draw.Style{Stroke: adSugar, StrokeWidth: 2, Dash: []float64{5, 3}}},
		draw.Text{X: adLeft + 30, Y: 41, Text: "Sugardejting, misstänkt minderårig", Size: adSize, Style: draw.Style{Fill: adInk}},
		draw.Path{Subpaths: [][]draw.Point{{{X: adLeft + 12, Y: 50}, {X: adLeft + 18, Y: 60}, {X: adLeft + 6, Y: 60}}}, Closed: true, Style: draw.Style{Fill: adOp}},
		draw.Text{X: adLeft + 30, Y: 61, Text: "Månad med insatser", Size: adSize, Style: draw.Style{Fill: adInk}},
	)
	if len(weeks) == 0 {
		c.Add(draw.Text{X: adWidth / 2, Y: (adTop + adBottom) / 2, Text: "Inga värden ännu.", Size: adSize, Anchor: draw.Middle, Style: draw.Style{Fill: adInk}})
		return c
	}
	first, last := weeks[0].Week, weeks[len(weeks)-1].Week
	span := float64(max(7, int(last-first)))
	x := func(d trygg.Day) float64 { return adLeft + float64(d-first)/span*(adRight-adLeft) }
	top := 0
	for _, wk := range weeks {
		top = max(top, wk.Ads, wk.SugarMinor)
	}
	step := adStep(float64(top))
	ceil := math.Max(step, math.Ceil(float64(top)/step)*step)
	y := func(v int) float64 { return adBottom - float64(v)/ceil*(adBottom-adTop) }
	for v := 0.0; v <= ceil+step/2; v += step {
		yy := adBottom - v/ceil*(adBottom-adTop)
		c.Add(draw.Path{Subpaths: [][]draw.Point{{{X: adLeft, Y: yy}, {X: adRight, Y: yy}}}, Style: draw.Style{Stroke: adGrid}},
			draw.Text{X: adLeft - 6, Y: yy + adSize*0.35, Text: draw.Integer(int(v)), Size: adSize, Anchor: draw.End, Style: draw.Style{Fill: adInk}})
	}
	var ads, sugar []draw.Point
	for _, wk := range weeks {
		ads = append(ads, draw.Point{X: x(wk.Week), Y: y(wk.Ads)})
		sugar = append(sugar, draw.Point{X: x(wk.Week), Y: y(wk.SugarMinor)})
	}
	c.Add(draw.Path{Subpaths: [][]draw.Point{ads}, Style: draw.Style{Stroke: adLine, StrokeWidth: 1.5}},
		draw.Path{Subpaths: [][]draw.Point{sugar}, Style: draw.Style{Stroke: adSugar, StrokeWidth: 1.5, Dash: []float64{5, 3}}})
	// Years on the time axis.
	fy, _, _ := first.Date()
	ly, _, _ := last.Date()
	if trygg.DateDay(fy, 1, 1) < first {
		fy++ // label only years that start inside the chart
	}
	every := max(1, (ly-fy+1)/6+1)
	for yr := fy; yr <= ly; yr += every {
		d := trygg.DateDay(yr, 1, 1)
		c.Add(draw.Path{Subpaths: [][]draw.Point{{{X: x(d), Y: adBottom}, {X: x(d), Y: adBottom + 4}}}, Style: draw.Style{Stroke: adInk}},
			draw.Text{X: x(d), Y: adBottom + 40, Text: strconv.Itoa(yr), Size: adSize, Anchor: draw.Middle, Style: draw.Style{Fill: adInk}})
	}
	// Months with operations, under the axis.
	for _, m := range months {
		if m.Count == 0 && !m.Suppressed {
			continue
		}
		d, err := trygg.ParseDay(m.Key + "-01")
		if err != nil || d < first || d > last {
			continue
		}
		n := "insatser (antalet visas inte)"
		if !m.Suppressed {
			n = strconv.Itoa(m.Count) + " insatser"
		}
		xx := x(d)
		c.Add(draw.Path{Subpaths: [][]draw.Point{{{X: xx, Y: adBottom + 6}, {X: xx + 4, Y: adBottom + 16}, {X: xx - 4, Y: adBottom + 16}}},
			Closed: true, Title: m.Label + ": " + n, Style: draw.Style{Fill: adOp}})
	}
	c.Add(draw.Path{Subpaths: [][]draw.Point{{{X: adLeft, Y: adBottom}, {X: adRight, Y: adBottom}}}, Style: draw.Style{Stroke: adInk}})
	return c
}

// adStep is a round step for the value axis: 1, 2 or 5 times a power of
// ten, at most five steps.
func adStep(top float64) float64 {
	step := 1.0
	for _, f := range []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000} {
		step = f
		if top/f <= 5 {
			break
		}
	}
	return step
}

// adDesc says in words what the chart shows: the mean weekly ads before
// the first operation and in the last 52 weeks.
func adDesc(weeks []operativ.AdWeek, months []disclose.Count) string {
	if len(weeks) == 0 {
		return "Inga annonsvärden är registrerade."
	}
	var firstOp trygg.Day
	for _, m := range months {
		if m.Count > 0 || m.Suppressed {
			firstOp, _ = trygg.ParseDay(m.Key + "-01")
			break
		}
	}
	mean := func(ws []operativ.AdWeek) string {
		sum := 0
		for _, w := range ws {
			sum += w.Ads
		}
		return trygg.FormatNumber(float64(sum) / float64(len(ws)))
	}
	fy, fw := weeks[0].Week.ISOWeek()
	ly, lw := weeks[len(weeks)-1].Week.ISOWeek()
	desc := fmt.Sprintf("Annonser per vecka från vecka %d %d till vecka %d %d.", fw, fy, lw, ly)
	var before []operativ.AdWeek
	for _, w := range weeks {
		if firstOp != 0 && w.Week < firstOp {
			before = append(before, w)
		}
	}
	if len(before) > 0 {
		desc += fmt.Sprintf(" Före den första insatsen (%s) i genomsnitt %s annonser per vecka.", firstOp.String()[:7], mean(before))
	}
	desc += fmt.Sprintf(" De senaste %d veckorna i genomsnitt %s.", min(52, len(weeks)), mean(weeks[max(0, len(weeks)-52):]))
	return desc + " Månader med insatser är markerade under tidsaxeln."
}
