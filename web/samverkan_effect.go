package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/effect"
	"github.com/trygg-est/trygg/samverkan"
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

// effectBasis says how the windows were formed, for the page's account of
// the method.
type effectBasis string

const (
	basisWeeks    effectBasis = "veckor"  // reports or ads, in whole weeks
	basisCounts   effectBasis = "antal"   // a series of counts, by its values
	basisMeasured effectBasis = "matning" // a series of measurements
)

type effectData struct {
	Subject string // what started: the action or the agreement
	Back    string
	Start   trygg.Day
	Scope   string // what is counted or measured, in words
	Basis   effectBasis
	Ready   bool // there is something after the start to compare
	Effect  effect.Evaluation
	Chart   template.HTML

	MaxWeeks, MaxValues, MinReports, MinValues int
}

// effectSubject is what an evaluation reads: reports in Areas and
// Categories, the advertising indicator, or a commitment's series.
type effectSubject struct {
	indicator    samverkan.Indicator
	commitmentID int64 // the series' commitment
}

// effectPage places the windows around d.Start, fills them from the
// subject and shows the evaluation.
func (s *Server) effectPage(w http.ResponseWriter, r *http.Request, d *effectData, subj effectSubject) {
	ctx := r.Context()
	today := trygg.DayOf(s.now())
	d.MaxWeeks, d.MaxValues, d.MinReports, d.MinValues = effect.MaxWeeks, effect.MaxValues, effect.MinCount, effect.MinValues
	ind := subj.indicator
	if ind.Source == samverkan.IndicatorSeries || ind.Source == samverkan.IndicatorIndikator || ind.Source == samverkan.IndicatorNightwalk { // read series, as entered ones
		points, err := s.cfg.Commitments.IndicatorPoints(ctx, subj.commitmentID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		measured := ind.Kind == samverkan.IndicatorMeasure
		before, after, beforeYA, afterYA, ok := effect.SeriesWindows(points, d.Start, today, measured)
		d.Ready, d.Basis = ok, basisCounts
		switch {
		case !ok:
		case measured:
			d.Basis, d.Effect = basisMeasured, effect.EvaluateMeans(before, after, beforeYA, afterYA)
		default:
			d.Effect = effect.EvaluateCounts(effect.Events, before, after, beforeYA, afterYA)
		}
	} else {
		before, after, ok := effect.WeekWindows(d.Start, today)
		d.Ready, d.Basis = ok, basisWeeks
		if ok {
			var err error
			if d.Effect, err = effect.EvaluateWeeks(ctx, effect.WeekSources{Counts: s.cfg.Counts, Ads: s.cfg.Ads}, ind, before, after); err != nil {
				s.error(w, r, err)
				return
			}
		}
	}
	if d.Ready {
		chart, err := effectChart(d.Effect, d.Basis)
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Chart = chart
	}
	s.render(w, r, http.StatusOK, "samverkan_effect", view{Title: "Effekt: " + d.Subject, Nav: "samverkan", Data: d})
}

// effectChart draws the four windows as bars: the rate per week or per
// value for counts, the mean for measurements, so that windows of unequal
// exposure compare fairly.
func effectChart(e effect.Evaluation, basis effectBasis) (template.HTML, error) {
	title := map[effectBasis]string{basisWeeks: "Antal per vecka före och efter starten", basisCounts: "Antal per mätvärde före och efter starten",
		basisMeasured: "Medelvärde före och efter starten"}[basis]
	bar := func(label string, win effect.Window) svgchart.Bar {
		b := svgchart.Bar{Label: label + ", " + win.Label(), Text: "inga värden"}
		switch {
		case win.Measured && len(win.Values) > 0:
			b.Value, b.Text = win.Mean(), effect.FormatDecimal(win.Mean())
		case !win.Measured && win.Periods > 0:
			b.Value, b.Text = win.Rate(), effect.FormatDecimal(win.Rate())
		}
		return b
	}
	return svgHTML(svgchart.Bars([]svgchart.Bar{
		bar("Före", e.Before), bar("Efter", e.After),
		bar("Före, ett år tidigare", e.BeforeYearAgo), bar("Efter, ett år tidigare", e.AfterYearAgo),
	}, svgchart.Options{ID: "effekt", Title: title}))
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

// indicatorScope says what an indicator counts or measures.
func indicatorScope(l *lookups, ind samverkan.Indicator) string {
	switch {
	case ind.Source == samverkan.IndicatorReports:
		return scopeText(l, ind.Areas, ind.Categories)
	case ind.Source.FromAds():
		return ind.Source.Label() + "."
	}
	return ind.Name + ": " + ind.Kind.Label() + "."
}

// actionEffect evaluates an action around its start: the indicator of its
// commitment when that counts reports (in the action's districts) or ads,
// else every report in its districts. A commitment's series measures the
// commitment as a whole, so an action is not judged by it.
func (s *Server) actionEffect(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	subj := effectSubject{indicator: samverkan.Indicator{Source: samverkan.IndicatorReports}}
	if a.CommitmentID != nil {
		c, err := s.cfg.Commitments.FindCommitmentByID(r.Context(), *a.CommitmentID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if c.Indicator.Source == samverkan.IndicatorReports || c.Indicator.Source.FromAds() {
			subj.indicator = c.Indicator
		}
	}
	if subj.indicator.Source == samverkan.IndicatorReports {
		subj.indicator.Areas = a.Areas
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.effectPage(w, r, &effectData{Subject: a.Title, Back: "/atgarder/" + strconv.FormatInt(a.ID, 10), Start: a.Start,
		Scope: indicatorScope(l, subj.indicator)}, subj)
}

// commitmentEffect evaluates a commitment's indicator from the first day
// of its agreement.
func (s *Server) commitmentEffect(w http.ResponseWriter, r *http.Request) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.effectPage(w, r, &effectData{Subject: c.Text, Back: "/atagande/" + strconv.FormatInt(c.ID, 10), Start: a.From,
		Scope: indicatorScope(l, c.Indicator)}, effectSubject{indicator: c.Indicator, commitmentID: c.ID})
}
