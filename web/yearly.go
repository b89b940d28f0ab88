package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/effect"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/pdf"
	"github.com/trygg-est/trygg/samverkan"
)

// The yearly lägesbild and åtgärdsplan (lag 2023:196): the samordnare
// drafts it from the data, writes the causes and priorities, decides it and
// publishes it. Drafts and decided versions hold report counts as they are,
// so those who read counts (samordnare, polis, läsare) read them; only the
// samordnare drafts, decides and publishes. The public reads the published
// versions, with small own counts withheld.
var (
	yearlyReaders  = []trygg.Role{trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare}
	yearlyManagers = []trygg.Role{trygg.RoleSamordnare}
)

// CanYearly shows the menu entry of the yearly document.
func (v view) CanYearly() bool { return v.User.Has(yearlyReaders...) }

func (s *Server) yearlyRoutes() []route {
	return []route{
		{pattern: "GET /arsplan", name: "yearly_list", roles: yearlyReaders, handler: s.yearlyList},
		{pattern: "POST /arsplan", name: "yearly_draft", roles: yearlyManagers, handler: s.yearlyDraft},
		{pattern: "GET /arsplan/{year}/{version}", name: "yearly", roles: yearlyReaders, handler: s.yearlyPage},
		{pattern: "GET /arsplan/{year}/{version}/pdf", name: "yearly_pdf", roles: yearlyReaders, handler: s.yearlyPDF},
		{pattern: "POST /arsplan/{year}/{version}/text", name: "yearly_text", roles: yearlyManagers, handler: s.yearlyText},
		{pattern: "POST /arsplan/{year}/{version}/besluta", name: "yearly_decide", roles: yearlyManagers, handler: s.yearlyDecide},
		{pattern: "POST /arsplan/{year}/{version}/publicera", name: "yearly_publish", roles: yearlyManagers, handler: s.yearlyPublish},
		{pattern: "GET /offentlig/arsplan", name: "public_yearly_list", access: publicPage, handler: s.publicYearlyList},
		{pattern: "GET /offentlig/arsplan/{year}", name: "public_yearly", access: publicPage, handler: s.publicYearly},
		{pattern: "GET /offentlig/arsplan/{year}/pdf", name: "public_yearly_pdf", access: publicPage, handler: s.publicYearlyPDF},
	}
}

func yearlyPath(y *indikator.Yearly) string { return fmt.Sprintf("/arsplan/%d/%d", y.Year, y.Version) }

type yearlyListData struct {
	Versions  []*indikator.Yearly
	Year      string
	CanManage bool
}

func (s *Server) yearlyList(w http.ResponseWriter, r *http.Request) {
	s.showYearlyList(w, r, strconv.Itoa(yearOf(trygg.DayOf(s.now()))), nil)
}

func (s *Server) showYearlyList(w http.ResponseWriter, r *http.Request, year string, formErr error) {
	list, err := s.cfg.Yearly.FindYearlies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &yearlyListData{Versions: list, Year: year, CanManage: trygg.UserFromContext(r.Context()).Has(yearlyManagers...)}
	s.renderForm(w, r, "arsplan_list", view{Title: "Lägesbild och åtgärdsplan per år", Nav: "yearly", Data: d}, formErr)
}

// yearlyDraft drafts (or drafts again) the year's document from the data,
// keeping the texts of a draft that exists.
func (s *Server) yearlyDraft(w http.ResponseWriter, r *http.Request) {
	yearText := strings.TrimSpace(r.PostFormValue("year"))
	year, err := strconv.Atoi(yearText)
	if err != nil || !indikator.ValidYear(year) || year > yearOf(trygg.DayOf(s.now()))+1 {
		var v trygg.Validation
		v.Add("year", "Ange ett år från 2023 till och med nästa år.")
		s.showYearlyList(w, r, yearText, v.Err())
		return
	}
	content, err := s.draftYearly(r, year)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if prev, err := s.cfg.Yearly.FindYearly(r.Context(), year, 0); err == nil {
		content.Summary, content.Causes, content.Priority, content.FollowUp = prev.Content.Summary, prev.Content.Causes, prev.Content.Priority, prev.Content.FollowUp
	} else if trygg.ErrorCode(err) != trygg.ENOTFOUND {
		s.error(w, r, err)
		return
	}
	y, err := s.cfg.Yearly.SaveYearlyDraft(r.Context(), year, content)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, yearlyPath(y), "yearly_drafted")
}

// maxYearlyIndicators caps the indicators a draft takes.
const maxYearlyIndicators = 60

// draftYearly builds the data parts of the year's document.
func (s *Server) draftYearly(r *http.Request, year int) (indikator.YearlyContent, error) {
	ctx := r.Context()
	today := trygg.DayOf(s.now())
	c := indikator.YearlyContent{Year: year, Drafted: today}
	// The indicators, compared with the first peer group.
	groups, err := s.cfg.Indicators.FindPeerGroups(ctx)
	if err != nil {
		return c, err
	}
	var g *indikator.PeerGroup
	if len(groups) > 0 {
		g = groups[0]
		c.PeerGroup = g.Name
	}
	series, err := s.cfg.Indicators.FindSeries(ctx, indikator.SeriesFilter{})
	if err != nil {
		return c, err
	}
	for _, sr := range series {
		if len(c.Indicators) >= maxYearlyIndicators {
			break
		}
		home, peers := indikator.WholeMunicipality, []string(nil)
		if sr.Source != indikator.SourceTrygg {
			if g == nil {
				continue
			}
			home, peers = g.Municipality, g.Members
		}
		values, err := s.cfg.Indicators.Values(ctx, sr.Code, append([]string{home}, peers...))
		if err != nil {
			return c, err
		}
		values = slices.DeleteFunc(values, func(v indikator.Value) bool { return v.Year > year })
		cmp := indikator.Compare(values, home, peers, sr.Polarity)
		if cmp.Latest == 0 {
			continue
		}
		yi := indikator.YearlyIndicator{Code: sr.Code, Name: sr.Name, Source: sr.Source, Unit: sr.Unit, Licence: sr.Licence, Year: cmp.Latest,
			Decimals: decimalsOf(values), Own: sr.Source == indikator.SourceTrygg && sr.Kind == indikator.KindCount, Rank: cmp.Rank, RankOf: cmp.RankOf, Change5: cmp.Change5}
		for _, st := range cmp.Years {
			if st.Year == cmp.Latest {
				yi.Value, yi.Peers, yi.Median, yi.Q1, yi.Q3 = st.Home, st.Peers, st.Median, st.Q1, st.Q3
			}
		}
		if yi.Own && yi.Value == 0 {
			continue // an own series without events that year says nothing
		}
		c.Indicators = append(c.Indicators, yi)
	}
	// The districts: the year's indicator counts and the lägesbild's flags.
	l, err := s.lookups(r)
	if err != nil {
		return c, err
	}
	period, err := lagesbild.NewPeriod(lagesbild.PeriodYear, trygg.DateDay(year, 1, 1), 0)
	if err != nil {
		return c, err
	}
	if period.From <= today {
		p, err := lagesbild.Build(ctx, s.cfg.Counts, lagesbild.Input{Filter: lagesbild.Filter{Period: period}, Today: today, Areas: l.Areas, Categories: l.Categories})
		if err != nil {
			return c, err
		}
		k := slices.Index(p.IndicatorYears, year)
		for _, dp := range p.Districts {
			d := indikator.YearlyDistrict{Code: dp.Code, Name: dp.Name}
			for _, iv := range dp.Indicators {
				if k >= 0 && k < len(iv.Counts) {
					d.Counts = append(d.Counts, indikator.NamedCount{Label: iv.Label, Count: iv.Counts[k]})
				}
			}
			for _, f := range p.Flags {
				if f.Area == dp.Code {
					d.Flags = append(d.Flags, fmt.Sprintf("%s: %d rapporter vecka %d %d, förväntat högst %d", f.CategoryName, f.Count, f.Week, f.Year, trygg.ExpectedAtMost(f.UpperBound)))
				}
			}
			c.Districts = append(c.Districts, d)
		}
	}
	// The plan: the actions under way and those due this year or the next.
	actions, err := s.cfg.Actions.FindActions(ctx, samverkan.ActionFilter{})
	if err != nil {
		return c, err
	}
	for _, a := range actions {
		dy := yearOf(a.Deadline)
		if a.Open() || dy == year || dy == year+1 {
			c.Actions = append(c.Actions, yearlyAction(a, l))
		}
	}
	// The follow-up of last year's plan: its actions as they stand now,
	// with their measured effect.
	prev, err := s.cfg.Yearly.FindYearly(ctx, year-1, 0)
	switch {
	case err == nil:
		c.PreviousFrom = fmt.Sprintf("%d, version %d (%s)", prev.Year, prev.Version, strings.ToLower(prev.Status.Label()))
		byID := map[int64]*samverkan.Action{}
		for _, a := range actions {
			byID[a.ID] = a
		}
		for _, pa := range prev.Content.Actions {
			if a, ok := byID[pa.ID]; ok {
				ya := yearlyAction(a, l)
				if ya.Effect, err = s.actionVerdict(r, a, today); err != nil {
					return c, err
				}
				c.Previous = append(c.Previous, ya)
			} else {
				pa.Status, pa.Effect = "Finns inte längre", ""
				c.Previous = append(c.Previous, pa)
			}
		}
	case trygg.ErrorCode(err) != trygg.ENOTFOUND:
		return c, err
	}
	return c, nil
}

func yearlyAction(a *samverkan.Action, l *lookups) indikator.YearlyAction {
	var districts []string
	for _, code := range a.Areas {
		districts = append(districts, l.Names.Area(code))
	}
	return indikator.YearlyAction{ID: a.ID, Title: a.Title, Owner: a.OwnerOrgName, Deadline: a.Deadline, Status: a.Status.Label(),
		Commitment: a.CommitmentText, Districts: strings.Join(districts, ", ")}
}

// actionVerdict is an action's measured effect in words, as its effect
// page computes it: the reports (or ads) of its commitment's indicator in
// its districts, the weeks after its start against as many before.
func (s *Server) actionVerdict(r *http.Request, a *samverkan.Action, today trygg.Day) (string, error) {
	if a.Start == 0 {
		return "", nil
	}
	ind := samverkan.Indicator{Source: samverkan.IndicatorReports}
	if a.CommitmentID != nil {
		c, err := s.cfg.Commitments.FindCommitmentByID(r.Context(), *a.CommitmentID)
		if err != nil && trygg.ErrorCode(err) != trygg.ENOTFOUND {
			return "", err
		}
		if c != nil && (c.Indicator.Source == samverkan.IndicatorReports || c.Indicator.Source.FromAds()) {
			ind = c.Indicator
		}
	}
	if ind.Source == samverkan.IndicatorReports {
		ind.Areas = a.Areas
	}
	before, after, ok := effect.WeekWindows(a.Start, today)
	if !ok {
		return "För tidigt att mäta effekten.", nil
	}
	windows := []effect.Window{before, after, before.YearEarlier(), after.YearEarlier()}
	counted := effect.Reports
	var err error
	if ind.Source.FromAds() {
		counted, err = effect.Ads, s.countAds(r, windows, ind.Source)
	} else {
		err = s.countReports(r, windows, ind.Areas, ind.Categories)
	}
	if err != nil {
		return "", err
	}
	return effect.EvaluateCounts(counted, windows[0], windows[1], windows[2], windows[3]).Verdict, nil
}

func yearParams(r *http.Request) (year, version int, ok bool) {
	year, err1 := strconv.Atoi(r.PathValue("year"))
	version, err2 := strconv.Atoi(r.PathValue("version"))
	return year, version, err1 == nil && err2 == nil && version > 0
}

type yearlyData struct {
	Y         *indikator.Yearly
	Public    bool
	CanManage bool
	Versions  []*indikator.Yearly
}

func (s *Server) findYearlyOfPath(r *http.Request) (*indikator.Yearly, error) {
	year, version, ok := yearParams(r)
	if !ok {
		return nil, trygg.NotFound()
	}
	return s.cfg.Yearly.FindYearly(r.Context(), year, version)
}

func (s *Server) yearlyPage(w http.ResponseWriter, r *http.Request) {
	y, err := s.findYearlyOfPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.showYearly(w, r, y, nil)
}

func (s *Server) showYearly(w http.ResponseWriter, r *http.Request, y *indikator.Yearly, formErr error) {
	all, err := s.cfg.Yearly.FindYearlies(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &yearlyData{Y: y, CanManage: trygg.UserFromContext(r.Context()).Has(yearlyManagers...)}
	for _, v := range all {
		if v.Year == y.Year {
			d.Versions = append(d.Versions, v)
		}
	}
	s.renderForm(w, r, "arsplan", view{Title: yearlyTitle(y), Nav: "yearly", Data: d}, formErr)
}

func yearlyTitle(y *indikator.Yearly) string {
	return fmt.Sprintf("Lägesbild och åtgärdsplan %d, version %d", y.Year, y.Version)
}

func (s *Server) yearlyText(w http.ResponseWriter, r *http.Request) {
	y, err := s.findYearlyOfPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !y.Editable() {
		s.error(w, r, trygg.Errorf(trygg.ECONFLICT, "Versionen är beslutad och kan inte ändras. Gör ett nytt utkast."))
		return
	}
	t := indikator.YearlyTexts{Summary: r.PostFormValue("summary"), Causes: r.PostFormValue("causes"), Priority: r.PostFormValue("priority"), FollowUp: r.PostFormValue("follow_up")}
	content := y.Content
	t.Apply(&content)
	if _, err := s.cfg.Yearly.SaveYearlyDraft(r.Context(), y.Year, content); err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		y.Content = content
		s.showYearly(w, r, y, err)
		return
	}
	s.redirectWithFlash(w, r, yearlyPath(y), "yearly_saved")
}

func (s *Server) yearlyDecide(w http.ResponseWriter, r *http.Request) {
	s.yearlyAdvance(w, r, s.cfg.Yearly.DecideYearly, "yearly_decided")
}

func (s *Server) yearlyPublish(w http.ResponseWriter, r *http.Request) {
	s.yearlyAdvance(w, r, s.cfg.Yearly.PublishYearly, "yearly_published")
}

func (s *Server) yearlyAdvance(w http.ResponseWriter, r *http.Request, step func(ctx context.Context, year, version int) (*indikator.Yearly, error), flash string) {
	year, version, ok := yearParams(r)
	if !ok {
		s.error(w, r, trygg.NotFound())
		return
	}
	y, err := step(r.Context(), year, version)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, yearlyPath(y), flash)
}

func (s *Server) yearlyPDF(w http.ResponseWriter, r *http.Request) {
	y, err := s.findYearlyOfPath(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendYearlyPDF(w, r, y)
}

func (s *Server) sendYearlyPDF(w http.ResponseWriter, r *http.Request, y *indikator.Yearly) {
	var buf bytes.Buffer
	if err := pdf.WriteYearly(&buf, y); err != nil {
		s.error(w, r, err)
		return
	}
	sendPDF(w, fmt.Sprintf("lagesbild-atgardsplan-%d-v%d.pdf", y.Year, y.Version), buf.Bytes())
}

func (s *Server) publicYearlyList(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Yearly.PublicYearly(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_arsplan_list", view{Title: "Lägesbild och åtgärdsplan", Nav: "public", Data: list})
}

func (s *Server) findPublicYearly(r *http.Request) (*indikator.Yearly, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return nil, trygg.NotFound()
	}
	list, err := s.cfg.Yearly.PublicYearly(r.Context(), year)
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

func (s *Server) publicYearly(w http.ResponseWriter, r *http.Request) {
	y, err := s.findPublicYearly(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_arsplan", view{Title: fmt.Sprintf("Lägesbild och åtgärdsplan %d", y.Year), Nav: "public",
		Data: &yearlyData{Y: y, Public: true}})
}

func (s *Server) publicYearlyPDF(w http.ResponseWriter, r *http.Request) {
	y, err := s.findPublicYearly(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendYearlyPDF(w, r, y)
}

func yearOf(d trygg.Day) int {
	y, _, _ := d.Date()
	return y
}
