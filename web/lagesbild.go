package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/lagesbild/lagesbildchart"
)

// lagesbildRoles may read the lägesbild: counts only, never a report.
var lagesbildRoles = []trygg.Role{trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare, trygg.RoleAdmin}

// CanLagesbild shows the menu entry.
func (v view) CanLagesbild() bool { return v.User.Has(lagesbildRoles...) }

// lagesbildForm is the filter as the user typed it, to show it again.
type lagesbildForm struct {
	Period     string // a lagesbild.PeriodKind
	Date       string // datum: a day in the period
	From, To   string // fran, till: the custom period
	Areas      []string
	Categories []string
	Groups     []string
	OrgTypes   []string
	Rates      bool // visa=takt: the map shows rates per 1,000 residents
}

// maxFilterValues caps each repeated query parameter: there are not that
// many areas or categories, and it keeps a hostile URL cheap.
const maxFilterValues = 200

// parseLagesbildQuery reads the lägesbild's filter from the query. The
// default is the last whole week before today. Unknown codes are left to
// lagesbild.Build, which names the field.
func parseLagesbildQuery(q url.Values, today trygg.Day) (lagesbildForm, lagesbild.Filter, error) {
	f := lagesbildForm{
		Period: cmp.Or(q.Get("period"), string(lagesbild.PeriodWeek)),
		Date:   strings.TrimSpace(q.Get("datum")),
		From:   strings.TrimSpace(q.Get("fran")), To: strings.TrimSpace(q.Get("till")),
		Rates: q.Get("visa") == "takt",
	}
	var v trygg.Validation
	list := func(name string) []string {
		vals := q[name]
		if len(vals) > maxFilterValues {
			v.Add(name, "Välj högst %d.", maxFilterValues)
			return nil
		}
		var out []string
		for _, s := range vals {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	f.Areas, f.Categories, f.Groups, f.OrgTypes = list("omrade"), list("kategori"), list("grupp"), list("orgtyp")
	filter := lagesbild.Filter{Areas: f.Areas, Categories: f.Categories, Groups: f.Groups}
	for _, t := range f.OrgTypes {
		filter.OrgTypes = append(filter.OrgTypes, trygg.OrgType(t))
	}
	day := func(field, value string, def trygg.Day) trygg.Day {
		if value == "" {
			return def
		}
		d, err := trygg.ParseDay(value)
		if err != nil {
			v.Add(field, "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
			return def
		}
		return d
	}
	kind := lagesbild.PeriodKind(f.Period)
	var start, end trygg.Day
	if kind == lagesbild.PeriodCustom {
		start, end = day("fran", f.From, today-27), day("till", f.To, today)
	} else {
		start = day("datum", f.Date, today-7)
	}
	if err := v.Err(); err != nil {
		return f, filter, err
	}
	p, err := lagesbild.NewPeriod(kind, start, end)
	if err != nil {
		return f, filter, err
	}
	filter.Period = p
	if f.Date == "" && kind != lagesbild.PeriodCustom {
		f.Date = start.String()
	}
	if kind == lagesbild.PeriodCustom {
		f.From, f.To = p.From.String(), p.To.String()
	}
	return f, filter, nil
}

// option is one choice in the filter form.
type option struct {
	Value, Label string
	Checked      bool
}

type optionGroup struct {
	option
	Options []option
}

// lagesbildData is the lägesbild page.
type lagesbildData struct {
	Form      lagesbildForm
	Kinds     []option
	Areas     []option
	Groups    []optionGroup
	OrgTypes  []option
	Picture   *lagesbild.Picture
	Map       template.HTML
	Series    seriesView
	CountsURL string // the page with the map by count
	RatesURL  string // … by rate
	AreaRows  []areaRow
	Flags     []flagRow
	Changes   []changeRow
	Indicator indicatorTable

	Nattvandring nightOverlay // issue 15: walk hours next to the reports
}

type areaRow struct {
	Name, URL, Count, Rate string
	Selected               bool
}

// seriesView is the weekly chart with its method and its table.
type seriesView struct {
	ID     string // prefixes the ids of the chart and its table
	Chart  template.HTML
	Reason string
	Weeks  []weekRow
	Last   string // the last week, "vecka 47 2026"
}

type weekRow struct {
	Label, Count, Bound string
	Flagged             bool
}

// newSeriesView draws the weekly chart of p.
func newSeriesView(p *lagesbild.Picture, id string) (seriesView, error) {
	v := seriesView{ID: id, Reason: p.Series.Reason}
	var err error
	if v.Chart, err = svgHTML(lagesbildchart.Weekly(p, id)); err != nil {
		return v, err
	}
	for _, w := range p.Series.Weeks {
		row := weekRow{Label: "vecka " + strconv.Itoa(w.Week) + " " + strconv.Itoa(w.Year), Count: strconv.Itoa(w.Count), Bound: "–", Flagged: w.Alarm}
		if w.HasBound {
			row.Bound = strconv.Itoa(trygg.ExpectedAtMost(w.UpperBound))
		}
		v.Weeks = append(v.Weeks, row)
		v.Last = row.Label
	}
	return v, nil
}

type flagRow struct {
	Sentence, URL string // URL empty when the user may not open reports
}

type changeRow struct {
	Area, Category              string
	Last4, Prev12, YearAgo4     int
	VsPrev, VsYear, Description string
}

// indicatorTable shows each district's indicators for one year.
type indicatorTable struct {
	Year    string
	Columns []string
	Rows    []indicatorRow
}

type indicatorRow struct {
	Name, URL string
	Values    []string
}

// lagesbildPage shows the lägesbild for the filter in the query.
func (s *Server) lagesbildPage(w http.ResponseWriter, r *http.Request) {
	today := trygg.DayOf(s.now())
	form, filter, err := parseLagesbildQuery(r.URL.Query(), today)
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d := &lagesbildData{Form: form}
	d.options(form, l)
	v := view{Title: "Lägesbild", Nav: "lagesbild", Data: d}
	var p *lagesbild.Picture
	if err == nil {
		p, err = lagesbild.Build(r.Context(), s.cfg.Counts, lagesbild.Input{Filter: filter, Today: today, Areas: l.Areas, Categories: l.Categories})
	}
	if err != nil {
		s.renderForm(w, r, "lagesbild", v, err)
		return
	}
	d.Picture = p
	if d.Map, err = svgHTML(lagesbildchart.Map(p, form.Rates, "lagesbildkarta", districtURL)); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Series, err = newSeriesView(p, "veckoserie"); err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	q.Set("visa", "antal")
	d.CountsURL = "/lagesbild?" + q.Encode()
	q.Set("visa", "takt")
	d.RatesURL = "/lagesbild?" + q.Encode()
	for _, a := range p.Areas {
		row := areaRow{Name: a.Name, URL: districtURL(a.Code), Count: strconv.Itoa(a.Count), Rate: "–", Selected: a.Selected && len(form.Areas) > 0}
		if a.HasRate {
			row.Rate = draw.Decimal(a.Per1000, 1)
		}
		d.AreaRows = append(d.AreaRows, row)
	}
	d.Flags = flagRows(p, trygg.UserFromContext(r.Context()))
	for _, c := range p.Changes {
		d.Changes = append(d.Changes, changeRow{Area: c.AreaName, Category: c.CategoryName, Last4: c.Last4, Prev12: c.Prev12,
			YearAgo4: c.YearAgo4, VsPrev: lagesbild.VsPrevText(c.VsPrevThirds), VsYear: lagesbild.Signed(c.VsYearAgo)})
	}
	d.Indicator = indicators(p, form.Areas)
	if d.Nattvandring, err = s.nightOverlayFor(r, p); err != nil { // issue 15
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "lagesbild", v)
}

// options fills the form's choices, marking the chosen ones.
func (d *lagesbildData) options(f lagesbildForm, l *lookups) {
	for _, k := range lagesbild.PeriodKinds {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: k.Label(), Checked: string(k) == f.Period})
	}
	for _, a := range l.Areas {
		d.Areas = append(d.Areas, option{Value: a.Code, Label: a.Name, Checked: slices.Contains(f.Areas, a.Code)})
	}
	for _, g := range activeGroups(l.Categories, "") {
		og := optionGroup{option: option{Value: g.Name, Label: g.Name, Checked: slices.Contains(f.Groups, g.Name)}}
		for _, c := range g.Categories {
			og.Options = append(og.Options, option{Value: c.Code, Label: c.Name, Checked: slices.Contains(f.Categories, c.Code)})
		}
		d.Groups = append(d.Groups, og)
	}
	for _, t := range trygg.OrgTypes {
		d.OrgTypes = append(d.OrgTypes, option{Value: string(t), Label: t.Label(), Checked: slices.Contains(f.OrgTypes, string(t))})
	}
}

// flagRows links each flagged increase of p to its reports when the user
// may open reports; a läsare sees the sentence only.
func flagRows(p *lagesbild.Picture, u *trygg.User) []flagRow {
	rows := make([]flagRow, len(p.Flags))
	for i, f := range p.Flags {
		rows[i].Sentence = f.Sentence
		if u.Has(reporterRoles...) {
			rows[i].URL = flagReportsURL(f, p.Filter.OrgTypes)
		}
	}
	return rows
}

// flagReportsURL is the report list of the flag's week, area and category,
// from the reporting organisations' types the picture counted (nil: all):
// the reports the flag was made of.
func flagReportsURL(f lagesbild.Flag, orgTypes []trygg.OrgType) string {
	list := filterForm{From: f.Monday.String(), To: (f.Monday + 6).String(), Area: f.Area, Category: f.Category}
	for _, t := range orgTypes {
		list.OrgTypes = append(list.OrgTypes, string(t))
	}
	return "/rapporter?" + list.query().Encode()
}

// indicators tabulates the last whole year's rates (counts without a
// population) of the chosen districts, or of all.
func indicators(p *lagesbild.Picture, chosen []string) indicatorTable {
	k := len(p.IndicatorYears) - 1
	if p.IndicatorPartial {
		k--
	}
	t := indicatorTable{}
	if k < 0 {
		return t
	}
	t.Year = strconv.Itoa(p.IndicatorYears[k])
	for _, def := range lagesbild.Indicators {
		t.Columns = append(t.Columns, def.Label)
	}
	for _, dp := range p.Districts {
		if len(chosen) > 0 && !slices.Contains(chosen, dp.Code) {
			continue
		}
		row := indicatorRow{Name: dp.Name, URL: districtURL(dp.Code)}
		for _, ind := range dp.Indicators {
			row.Values = append(row.Values, indicatorValue(ind, k))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// indicatorValue is year k's rate with the trend in words ("1,4 (upp)"), or
// the count when the population is unknown.
func indicatorValue(ind lagesbild.IndicatorValue, k int) string {
	v := strconv.Itoa(ind.Counts[k]) + " st"
	if len(ind.Rates) > k {
		v = draw.Decimal(ind.Rates[k], 1)
	}
	return v + " (" + ind.Trend + ")"
}

func districtURL(code string) string { return "/lagesbild/omrade/" + url.PathEscape(code) }

// districtData is the district profile page.
type districtData struct {
	Area       *trygg.Area
	Population string // "7 000"
	Picture    *lagesbild.Picture
	Profile    lagesbild.DistrictProfile
	Indicators []districtIndicator
	Years      []string
	Series     seriesView
	Flags      []flagRow
	FilterURL  string // the lägesbild filtered to the district
}

type districtIndicator struct {
	Label, Trend string
	Spark        template.HTML
	Values       []string // per year
}

// districtPage shows one district's indicators over the years, its
// weekly series and its flagged increases of the last whole week.
func (s *Server) districtPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	area, err := s.cfg.Areas.FindAreaByCode(r.Context(), code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	today := trygg.DayOf(s.now())
	_, filter, err := parseLagesbildQuery(url.Values{}, today)
	if err != nil {
		s.error(w, r, err)
		return
	}
	filter.Areas = []string{area.Code}
	p, err := lagesbild.Build(r.Context(), s.cfg.Counts, lagesbild.Input{Filter: filter, Today: today, Areas: l.Areas, Categories: l.Categories})
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &districtData{Area: area, Population: draw.Integer(area.Population), Picture: p, FilterURL: "/lagesbild?omrade=" + url.QueryEscape(area.Code)}
	for _, y := range p.IndicatorYears {
		d.Years = append(d.Years, strconv.Itoa(y))
	}
	if p.IndicatorPartial {
		d.Years[len(d.Years)-1] += " (hittills)"
	}
	for _, dp := range p.Districts {
		if dp.Code == area.Code {
			d.Profile = dp
		}
	}
	sparks := lagesbildchart.Sparklines(p, d.Profile, "trend")
	for i, ind := range d.Profile.Indicators {
		di := districtIndicator{Label: ind.Label, Trend: ind.TrendText}
		if di.Spark, err = svgHTML(sparks[i]); err != nil {
			s.error(w, r, err)
			return
		}
		for k, n := range ind.Counts {
			v := strconv.Itoa(n)
			if len(ind.Rates) > k {
				v += " (" + draw.Decimal(ind.Rates[k], 1) + ")"
			}
			di.Values = append(di.Values, v)
		}
		d.Indicators = append(d.Indicators, di)
	}
	if d.Series, err = newSeriesView(p, "omradesserie"); err != nil {
		s.error(w, r, err)
		return
	}
	d.Flags = flagRows(p, trygg.UserFromContext(r.Context()))
	s.render(w, r, http.StatusOK, "district", view{Title: "Områdesprofil: " + area.Name, Nav: "lagesbild", Data: d})
}
