package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/svgchart"
)

// effectRoles may read the report counts an effect evaluation is made of.
var effectRoles = []trygg.Role{trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare}

func (s *Server) effectRoutes() []route {
	return []route{
		{pattern: "GET /atgarder/{id}/effekt", name: "action_effect", roles: effectRoles, handler: s.actionEffect},
		{pattern: "GET /atagande/{id}/effekt", name: "commitment_effect", roles: effectRoles, handler: s.commitmentEffect},
	}
}

// CanEvaluate shows the links to the effect evaluations.
func (v view) CanEvaluate() bool { return v.User.Has(effectRoles...) }

type effectData struct {
	Subject string // what started: the action or the agreement
	Back    string
	Start   trygg.Day
	Scope   string // the districts and categories counted, in words
	Ready   bool   // a whole week has passed since the start
	Effect  trygg.Effect
	Chart   template.HTML

	MaxWeeks, MinReports int
}

// effectPage counts the reports in the windows around start and shows the
// evaluation.
func (s *Server) effectPage(w http.ResponseWriter, r *http.Request, d *effectData, areas, cats []string) {
	before, after, ok := trygg.EffectWindows(d.Start, trygg.DayOf(s.now()))
	d.Ready, d.MaxWeeks, d.MinReports = ok, trygg.MaxEffectWeeks, trygg.MinEffectReports
	if ok {
		windows := []*trygg.Window{&before, &after, new(trygg.Window), new(trygg.Window)}
		*windows[2], *windows[3] = before.YearEarlier(), after.YearEarlier()
		for _, win := range windows {
			cells, err := s.cfg.Counts.CountCells(r.Context(), trygg.CountFilter{From: win.From, To: win.To, Areas: areas, Categories: cats})
			if err != nil {
				s.error(w, r, err)
				return
			}
			for _, c := range cells {
				win.Count += c.Count
			}
		}
		d.Effect = trygg.EvaluateEffect(before, after, *windows[2], *windows[3])
		bars := []svgchart.Bar{
			{Label: "Före, " + before.Label(), Value: float64(before.Count), Text: strconv.Itoa(before.Count)},
			{Label: "Efter, " + after.Label(), Value: float64(after.Count), Text: strconv.Itoa(after.Count)},
			{Label: "Före, ett år tidigare, " + windows[2].Label(), Value: float64(windows[2].Count), Text: strconv.Itoa(windows[2].Count)},
			{Label: "Efter, ett år tidigare, " + windows[3].Label(), Value: float64(windows[3].Count), Text: strconv.Itoa(windows[3].Count)},
		}
		chart, err := svgHTML(svgchart.Bars(bars, svgchart.Options{ID: "effekt", Title: "Rapporter före och efter starten"}))
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Chart = chart
	}
	s.render(w, r, http.StatusOK, "samverkan_effect", view{Title: "Effekt: " + d.Subject, Nav: "samverkan", Data: d})
}

// scopeText says which reports are counted.
func scopeText(l *lookups, areas, cats []string) string {
	text := "Alla rapporter"
	if len(cats) > 0 {
		text = "Rapporter om "
		for i, c := range cats {
			if i > 0 {
				text += ", "
			}
			text += l.Names.Category(c)
		}
	}
	if len(areas) == 0 {
		return text + " i hela kommunen."
	}
	text += " i "
	for i, a := range areas {
		if i > 0 {
			text += ", "
		}
		text += l.Names.Area(a)
	}
	return text + "."
}

// actionEffect evaluates an action: the reports in its districts (of its
// commitment's categories, when it has one) before and after its start.
func (s *Server) actionEffect(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var cats []string
	if a.CommitmentID != nil {
		c, err := s.cfg.Agreements.FindCommitmentByID(r.Context(), *a.CommitmentID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if c.Indicator.Source == trygg.IndicatorReports {
			cats = c.Indicator.Categories
		}
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.effectPage(w, r, &effectData{Subject: a.Title, Back: "/atgarder/" + strconv.FormatInt(a.ID, 10), Start: a.Start,
		Scope: scopeText(l, a.Areas, cats)}, a.Areas, cats)
}

// commitmentEffect evaluates a commitment whose indicator counts reports,
// from the first day of its agreement.
func (s *Server) commitmentEffect(w http.ResponseWriter, r *http.Request) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if c.Indicator.Source != trygg.IndicatorReports {
		s.notFound(w, r)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.effectPage(w, r, &effectData{Subject: c.Text, Back: "/atagande/" + strconv.FormatInt(c.ID, 10), Start: a.From,
		Scope: scopeText(l, c.Indicator.Areas, c.Indicator.Categories)}, c.Indicator.Areas, c.Indicator.Categories)
}
