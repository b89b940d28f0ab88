package web

import (
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/svgchart"
)

// Indicators (docs/indikatorer.md): every signed-in role reads them, since
// the imported series are open data and the service leaves Trygg's own
// series, which count reports, out for those who may not read counts. Only
// the samordnare imports files and keeps the peer groups: an import
// changes what every chart and every commitment light measured by an
// indicator shows.
var indicatorManagers = []trygg.Role{trygg.RoleSamordnare}

// maxIndicatorFile caps an uploaded indicator file: a whole Kolada
// download for every municipality and many years.
const maxIndicatorFile = 64 << 20

func (s *Server) indicatorRoutes() []route {
	return []route{
		{pattern: "GET /indikatorer", name: "indicators", handler: s.indicatorsPage},
		{pattern: "GET /indikatorer/serie/{code}", name: "indicator", handler: s.indicatorPage},
		{pattern: "POST /indikatorer/serie/{code}", name: "indicator_update", roles: indicatorManagers, handler: s.updateSeries},
		{pattern: "GET /indikatorer/import", name: "indicator_import_form", roles: indicatorManagers, handler: s.indicatorImportForm},
		{pattern: "POST /indikatorer/import", name: "indicator_import", roles: indicatorManagers, handler: s.indicatorImport, maxBody: 2*maxIndicatorFile + 1<<20},
		{pattern: "GET /indikatorer/grupper", name: "peer_groups", roles: indicatorManagers, handler: s.peerGroupsPage},
		{pattern: "POST /indikatorer/grupper", name: "peer_group_save", roles: indicatorManagers, handler: s.savePeerGroup},
	}
}

// chartsPerPage caps the charts drawn on /indikatorer; the table lists all.
const chartsPerPage = 12

// peerChart is one series drawn against the peer group, with the
// same numbers as a table for screen readers.
type peerChart struct {
	Series     *indikator.Series
	Comparison indikator.Comparison
	HomeName   string
	Chart      template.HTML
	Summary    string
	Rows       []peerRow
	Rate       bool // shown per 1,000 residents
}

type peerRow struct {
	Year                   int
	Home, Median, Q1, Q3   string
	Peers                  int
	HasHome, HasPeerValues bool
}

type IndicatorsData struct {
	Groups    []*indikator.PeerGroup
	Group     *indikator.PeerGroup
	Names     map[string]string
	Sources   []indikator.Source
	Source    string
	PerK      bool
	Series    []*indikator.Series
	Charts    []peerChart
	Page      int
	Pages     int
	CanManage bool
}

// indicatorQuery is what the chooser at the top of the pages says: the
// peer group, the source, whether counts are shown per 1,000 residents.
func (s *Server) indicatorQuery(r *http.Request, d *IndicatorsData) error {
	ctx := r.Context()
	var err error
	if d.Groups, err = s.cfg.Indicators.FindPeerGroups(ctx); err != nil {
		return err
	}
	if d.Names, err = s.cfg.Indicators.MunicipalityNames(ctx); err != nil {
		return err
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("grupp"), 10, 64); err == nil {
		for _, g := range d.Groups {
			if g.ID == id {
				d.Group = g
			}
		}
	}
	if d.Group == nil && len(d.Groups) > 0 {
		d.Group = d.Groups[0]
	}
	d.Sources = indikator.Sources
	if src := r.URL.Query().Get("kalla"); slices.Contains(indikator.Sources, indikator.Source(src)) {
		d.Source = src
	}
	d.PerK = r.URL.Query().Get("per") == "1000"
	d.CanManage = trygg.UserFromContext(ctx).Has(indicatorManagers...)
	return nil
}

// compareSeries reads a series for the group's municipalities (or, for an
// own series, the whole municipality) and compares them.
func (s *Server) compareSeries(r *http.Request, sr *indikator.Series, g *indikator.PeerGroup, names map[string]string, perK bool) (peerChart, error) {
	ctx := r.Context()
	ch := peerChart{Series: sr}
	home, peers := indikator.WholeMunicipality, []string(nil)
	ch.HomeName = "Hela kommunen"
	if sr.Source != indikator.SourceTrygg {
		if g == nil {
			return ch, nil
		}
		home, peers = g.Municipality, g.Members
		ch.HomeName = municipalityName(names, home)
	}
	values, err := s.cfg.Indicators.Values(ctx, sr.Code, append([]string{home}, peers...))
	if err != nil {
		return ch, err
	}
	// Counts per 1,000 residents: an imported series with the population
	// of each municipality, an own series (the whole municipality) with
	// the population of the group's home municipality.
	popAreas := append([]string{home}, peers...)
	if sr.Source == indikator.SourceTrygg {
		popAreas = nil
		if g != nil {
			popAreas = []string{g.Municipality}
		}
	}
	if perK && sr.Kind == indikator.KindCount && sr.Code != reportio.PopulationSeries && popAreas != nil {
		pop, err := s.cfg.Indicators.Values(ctx, reportio.PopulationSeries, popAreas)
		if err != nil && trygg.ErrorCode(err) != trygg.ENOTFOUND {
			return ch, err
		}
		if sr.Source == indikator.SourceTrygg {
			for i := range pop {
				pop[i].Area = indikator.WholeMunicipality
			}
		}
		if len(pop) > 0 {
			values, ch.Rate = indikator.Rate(values, pop, 1000), true
		}
	}
	ch.Comparison = indikator.Compare(values, home, peers, sr.Polarity)
	dec := indikator.Decimals(values)
	canvas := svgchart.Peer(ch.Comparison, ch.HomeName, dec, svgchart.Options{ID: "ind-" + sr.Code, Title: sr.Name})
	ch.Summary = canvas.Desc
	if ch.Chart, err = svgHTML(canvas); err != nil {
		return ch, err
	}
	for _, y := range ch.Comparison.Years {
		row := peerRow{Year: y.Year, Peers: y.Peers, HasHome: y.HasHome, HasPeerValues: y.Peers > 0}
		if y.HasHome {
			row.Home = draw.Decimal(y.Home, dec)
		}
		if y.Peers > 0 {
			row.Median, row.Q1, row.Q3 = draw.Decimal(y.Median, dec), draw.Decimal(y.Q1, dec), draw.Decimal(y.Q3, dec)
		}
		ch.Rows = append(ch.Rows, row)
	}
	return ch, nil
}

func municipalityName(names map[string]string, code string) string {
	if n := names[code]; n != "" {
		return n
	}
	if code == indikator.WholeMunicipality {
		return "Hela kommunen"
	}
	return "Kommun " + code
}

func (s *Server) indicatorsPage(w http.ResponseWriter, r *http.Request) {
	d := &IndicatorsData{}
	if err := s.indicatorQuery(r, d); err != nil {
		s.error(w, r, err)
		return
	}
	var err error
	if d.Series, err = s.cfg.Indicators.FindSeries(r.Context(), indikator.SeriesFilter{Source: indikator.Source(d.Source)}); err != nil {
		s.error(w, r, err)
		return
	}
	d.Pages = max(1, (len(d.Series)+chartsPerPage-1)/chartsPerPage)
	d.Page = 1
	if p, err := strconv.Atoi(r.URL.Query().Get("sida")); err == nil && p >= 1 && p <= d.Pages {
		d.Page = p
	}
	from := (d.Page - 1) * chartsPerPage
	for _, sr := range d.Series[from:min(len(d.Series), from+chartsPerPage)] {
		ch, err := s.compareSeries(r, sr, d.Group, d.Names, d.PerK)
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Charts = append(d.Charts, ch)
	}
	s.render(w, r, http.StatusOK, "indikatorer", view{Title: "Indikatorer", Nav: "indicators", Data: d})
}

type indicatorData struct {
	IndicatorsData
	Chart      peerChart
	Revisions  []indikator.Revision
	Form       seriesForm
	Polarities []indikator.Polarity
}

// seriesForm is the samordnare's settings of a series, as sent.
type seriesForm struct {
	Name     string
	Polarity string
	InYearly bool
}

func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request) {
	s.showIndicator(w, r, nil, nil)
}

// showIndicator shows a series with its chart, and, for the samordnare,
// the form of its settings: as stored, or as sent with formErr.
func (s *Server) showIndicator(w http.ResponseWriter, r *http.Request, form *seriesForm, formErr error) {
	d := &indicatorData{Polarities: indikator.Polarities}
	if err := s.indicatorQuery(r, &d.IndicatorsData); err != nil {
		s.error(w, r, err)
		return
	}
	sr, err := s.cfg.Indicators.FindSeriesByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Form = seriesForm{Name: sr.Name, Polarity: string(sr.Polarity), InYearly: sr.InYearly}
	if form != nil {
		d.Form = *form
	}
	if d.Chart, err = s.compareSeries(r, sr, d.Group, d.Names, d.PerK); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Group != nil && sr.Source != indikator.SourceTrygg {
		if d.Revisions, err = s.cfg.Indicators.Revisions(r.Context(), sr.Code, d.Group.Municipality); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.renderForm(w, r, "indikator", view{Title: sr.Name, Nav: "indicators", Data: d}, formErr)
}

// updateSeries stores the samordnare's settings of a series: its name,
// polarity and whether the yearly document takes it.
func (s *Server) updateSeries(w http.ResponseWriter, r *http.Request) {
	f := seriesForm{Name: r.PostFormValue("name"), Polarity: r.PostFormValue("polarity"), InYearly: r.PostFormValue("in_yearly") == "1"}
	code := r.PathValue("code")
	_, err := s.cfg.Indicators.UpdateSeries(r.Context(), code, indikator.SeriesSettings{Name: f.Name, Polarity: indikator.Polarity(f.Polarity), InYearly: f.InYearly})
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.showIndicator(w, r, &f, err)
		return
	}
	s.redirectWithFlash(w, r, "/indikatorer/serie/"+url.PathEscape(code), "indicator_saved")
}

// indicatorImportData is the import form.
type indicatorImportData struct {
	Sources   []indikator.Source
	Source    string
	Retrieved string
	Result    *indikator.ImportResult
}

func (s *Server) indicatorImportForm(w http.ResponseWriter, r *http.Request) {
	d := &indicatorImportData{Sources: importSources(), Retrieved: trygg.DayOf(s.now()).String()}
	s.render(w, r, http.StatusOK, "indikator_import", view{Title: "Importera indikatorer", Nav: "indicators", Data: d})
}

func importSources() []indikator.Source {
	var out []indikator.Source
	for _, src := range indikator.Sources {
		if src.Imported() {
			out = append(out, src)
		}
	}
	return out
}

// readUpload reads an optional uploaded file of at most maxIndicatorFile
// bytes; nil when none was chosen.
func readUpload(r *http.Request, field string) ([]byte, error) {
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	if hdr.Size > maxIndicatorFile {
		var v trygg.Validation
		v.Add(field, "Filen är större än %d MB.", maxIndicatorFile>>20)
		return nil, v.Err()
	}
	return io.ReadAll(io.LimitReader(f, maxIndicatorFile+1))
}

func (s *Server) indicatorImport(w http.ResponseWriter, r *http.Request) {
	d := &indicatorImportData{Sources: importSources(), Source: r.PostFormValue("source"), Retrieved: r.PostFormValue("retrieved")}
	show := func(err error) {
		s.renderForm(w, r, "indikator_import", view{Title: "Importera indikatorer", Nav: "indicators", Data: d}, err)
	}
	var v trygg.Validation
	retrieved, err := trygg.ParseDay(d.Retrieved)
	if err != nil || retrieved > trygg.DayOf(s.now()) {
		v.Add("retrieved", "Ange vilken dag filen hämtades, ÅÅÅÅ-MM-DD, i dag eller tidigare.")
	}
	if !slices.Contains(importSources(), indikator.Source(d.Source)) {
		v.Add("source", "Välj vilken källa filen kommer från.")
	}
	data, err := readUpload(r, "file")
	if err != nil {
		show(err)
		return
	}
	if len(data) == 0 {
		v.Add("file", "Välj en fil att importera.")
	}
	kpi, err := readUpload(r, "kpi_file")
	if err != nil {
		show(err)
		return
	}
	if err := v.Err(); err != nil {
		show(err)
		return
	}
	b, err := reportio.ParseIndicatorFile(indikator.Source(d.Source), data, kpi, retrieved)
	if err != nil {
		show(err)
		return
	}
	name := ""
	if _, hdr, err := r.FormFile("file"); err == nil {
		name = hdr.Filename
	}
	res, err := s.cfg.Indicators.Import(r.Context(), b, name)
	if err != nil {
		if trygg.ErrorCode(err) == trygg.EINVALID {
			err = onFileField(err)
		}
		show(err)
		return
	}
	d.Result = &res
	s.render(w, r, http.StatusOK, "indikator_import", view{Title: "Importera indikatorer", Nav: "indicators", Data: d,
		Flash: "Filen är importerad: " + strconv.Itoa(res.Added) + " nya, " + strconv.Itoa(res.Revised) + " reviderade och " + strconv.Itoa(res.Unchanged) + " oförändrade värden."})
}

// peerGroupForm is the form of a peer group.
type peerGroupForm struct {
	ID                         int64
	Name, Municipality, Member string
}

type peerGroupsData struct {
	Groups []*indikator.PeerGroup
	Names  map[string]string
	Form   peerGroupForm
}

func (s *Server) peerGroupsPage(w http.ResponseWriter, r *http.Request) {
	d := &peerGroupsData{}
	if id, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64); err == nil {
		g, err := s.cfg.Indicators.FindPeerGroup(r.Context(), id)
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Form = peerGroupForm{ID: g.ID, Name: g.Name, Municipality: g.Municipality, Member: joinMembers(g.Members)}
	}
	s.showPeerGroups(w, r, d, nil)
}

func joinMembers(codes []string) string {
	out := ""
	for i, c := range codes {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

func (s *Server) showPeerGroups(w http.ResponseWriter, r *http.Request, d *peerGroupsData, formErr error) {
	var err error
	if d.Groups, err = s.cfg.Indicators.FindPeerGroups(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Names, err = s.cfg.Indicators.MunicipalityNames(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.renderForm(w, r, "indikator_grupper", view{Title: "Jämförelsegrupper", Nav: "indicators", Data: d}, formErr)
}

func (s *Server) savePeerGroup(w http.ResponseWriter, r *http.Request) {
	f := peerGroupForm{Name: r.PostFormValue("name"), Municipality: r.PostFormValue("municipality"), Member: r.PostFormValue("members")}
	f.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	g := &indikator.PeerGroup{ID: f.ID, Name: f.Name, Municipality: f.Municipality, Members: indikator.ParseMembers(f.Member)}
	if _, err := s.cfg.Indicators.SavePeerGroup(r.Context(), g); err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.showPeerGroups(w, r, &peerGroupsData{Form: f}, err)
		return
	}
	s.redirectWithFlash(w, r, "/indikatorer/grupper", "peer_group_saved")
}

// indicatorTemplateFuncs are the template functions of the indicator
// pages.
func indicatorTemplateFuncs() template.FuncMap {
	return template.FuncMap{
		"seq": func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
		"decimal":       draw.Decimal,
		"signedDecimal": signedDecimal,
		"dayOf":         func(t time.Time) trygg.Day { return trygg.DayOf(t) },
	}
}

// signedDecimal writes a change with its sign: "+3,2", "−1,0", "0".
func signedDecimal(v float64, decimals int) string {
	s := draw.Decimal(math.Abs(v), decimals)
	switch {
	case s == draw.Decimal(0, decimals):
		return s
	case v > 0:
		return "+" + s
	}
	return "−" + s
}

// defaultSeriesArea fills in the area of a commitment measured by an
// indicator when the form leaves it empty: the whole municipality for
// Trygg's own series, else the home municipality of the first peer group.
func (s *Server) defaultSeriesArea(r *http.Request, f *commitmentForm) error {
	if f.Source != string(samverkan.IndicatorIndikator) || f.Series == "" || strings.TrimSpace(f.SeriesArea) != "" {
		return nil
	}
	if indikator.IsOwn(f.Series) {
		f.SeriesArea = indikator.WholeMunicipality
		return nil
	}
	groups, err := s.cfg.Indicators.FindPeerGroups(r.Context())
	if err != nil || len(groups) == 0 {
		return err
	}
	f.SeriesArea = groups[0].Municipality
	return nil
}

// apiIndicator is one series and its comparison in the JSON API: the
// same model for imported and own series.
type apiIndicator struct {
	Series     apiSeries             `json:"series"`
	Group      *indikator.PeerGroup  `json:"group,omitempty"`
	Comparison *indikator.Comparison `json:"comparison"`
	Values     []indikator.Value     `json:"values"`
}

// apiListIndicators lists the series the caller may read.
func (s *Server) apiListIndicators(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Indicators.FindSeries(r.Context(), indikator.SeriesFilter{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiSeries, 0, len(list))
	for _, sr := range list {
		out = append(out, apiSeriesOf(sr))
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiIndicator returns one series compared with a peer group (?group=ID,
// else the first): the values of the home municipality and the peers, and
// the comparison the chart draws.
func (s *Server) apiIndicator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sr, err := s.cfg.Indicators.FindSeriesByCode(ctx, r.PathValue("code"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := apiIndicator{Series: apiSeriesOf(sr)}
	home, peers := indikator.WholeMunicipality, []string(nil)
	if sr.Source != indikator.SourceTrygg {
		groups, err := s.cfg.Indicators.FindPeerGroups(ctx)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		id, _ := strconv.ParseInt(r.URL.Query().Get("group"), 10, 64)
		for _, g := range groups {
			if out.Group == nil || g.ID == id {
				out.Group = g
			}
		}
		if out.Group == nil {
			out.Values, out.Comparison = []indikator.Value{}, &indikator.Comparison{Years: []indikator.YearStats{}}
			s.apiJSON(w, r, http.StatusOK, out)
			return
		}
		home, peers = out.Group.Municipality, out.Group.Members
	}
	if out.Values, err = s.cfg.Indicators.Values(ctx, sr.Code, append([]string{home}, peers...)); err != nil {
		s.apiError(w, r, err)
		return
	}
	if out.Values == nil {
		out.Values = []indikator.Value{}
	}
	c := indikator.Compare(out.Values, home, peers, sr.Polarity)
	if c.Years == nil {
		c.Years = []indikator.YearStats{}
	}
	out.Comparison = &c
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiSeries is a series in the JSON API, its retrieval day as a date.
type apiSeries struct {
	Code      string             `json:"code"`
	Name      string             `json:"name"`
	Source    indikator.Source   `json:"source"`
	Unit      string             `json:"unit"`
	Kind      indikator.Kind     `json:"kind"`
	Polarity  indikator.Polarity `json:"polarity"`
	Licence   string             `json:"licence"`
	Retrieved string             `json:"retrieved"`
	External  string             `json:"external,omitempty"`
	UpdatedAt time.Time          `json:"updated_at"`
}

func apiSeriesOf(s *indikator.Series) apiSeries {
	return apiSeries{Code: s.Code, Name: s.Name, Source: s.Source, Unit: s.Unit, Kind: s.Kind, Polarity: s.Polarity, Licence: s.Licence,
		Retrieved: s.Retrieved.String(), External: s.External, UpdatedAt: s.UpdatedAt}
}
