package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/svgmap"
	"github.com/trygg-est/trygg/tips"
)

// pageSize is the number of reports on one page of a list.
const pageSize = 50

// names turns the codes in reports into the names people know.
type names struct {
	Areas      map[string]string
	Categories map[string]string
	Orgs       map[string]string
}

func (n names) Area(code string) string     { return orCode(n.Areas[code], code) }
func (n names) Category(code string) string { return orCode(n.Categories[code], code) }
func (n names) Org(code string) string      { return orCode(n.Orgs[code], code) }

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// lookups is what the report pages need besides the reports: the areas,
// categories and organisations, for the choices and for names.
type lookups struct {
	Areas      []*trygg.Area
	Categories []*trygg.Category // archived included, for old reports' names
	Orgs       []*trygg.Organisation
	Names      names
}

func (s *Server) lookups(r *http.Request) (*lookups, error) {
	ctx := r.Context()
	areas, err := s.cfg.Areas.FindAreas(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.cfg.Categories.FindCategories(ctx, true)
	if err != nil {
		return nil, err
	}
	orgs, err := s.cfg.Organisations.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	l := &lookups{Areas: areas, Categories: cats, Orgs: orgs,
		Names: names{Areas: map[string]string{}, Categories: map[string]string{}, Orgs: map[string]string{}}}
	for _, a := range areas {
		l.Names.Areas[a.Code] = a.Name
	}
	for _, c := range cats {
		l.Names.Categories[c.Code] = c.Name
	}
	for _, o := range orgs {
		l.Names.Orgs[o.Code] = o.Name
	}
	return l, nil
}

// categoryGroup is one fieldset of category tiles.
type categoryGroup struct {
	Name       string
	Categories []*trygg.Category
}

// activeGroups groups the categories that can be chosen for a report, in
// sort order; current keeps an archived category on an old report choosable.
func activeGroups(cats []*trygg.Category, current string) []categoryGroup {
	var groups []categoryGroup
	index := map[string]int{}
	for _, c := range cats {
		if c.ArchivedAt != nil && c.Code != current {
			continue
		}
		i, ok := index[c.Group]
		if !ok {
			i = len(groups)
			index[c.Group] = i
			groups = append(groups, categoryGroup{Name: c.Group})
		}
		groups[i].Categories = append(groups[i].Categories, c)
	}
	return groups
}

type reportFormData struct {
	Form    reportForm
	Action  string
	Edit    bool
	Report  *trygg.Report
	Areas   []*trygg.Area
	Groups  []categoryGroup
	Map     template.HTML
	Hint    string
	AreaURL string
}

// descriptionHint is shown under the free text on every report form.
const descriptionHint = "Skriv om platsen och situationen – aldrig namn, personnummer, telefonnummer eller e-post."

// reportFormView builds the report form page. The map's districts link back
// to this page with ?omrade=, which preselects the district without script.
func (s *Server) reportFormView(r *http.Request, f reportForm, rep *trygg.Report) (view, error) {
	l, err := s.lookups(r)
	if err != nil {
		return view{}, err
	}
	d := reportFormData{Form: f, Report: rep, Areas: l.Areas, Groups: activeGroups(l.Categories, f.Category), Hint: descriptionHint}
	v := view{Title: "Ny rapport", Nav: "new", Data: &d}
	d.Action, d.AreaURL = "/rapporter/ny", "/rapporter/ny"
	if rep != nil {
		d.Edit = true
		d.Action = "/rapporter/" + strconv.FormatInt(rep.ID, 10) + "/redigera"
		d.AreaURL = d.Action
		v.Title, v.Nav = "Redigera rapport", ""
	}
	regions := make([]svgmap.Region, 0, len(l.Areas))
	for _, a := range l.Areas {
		regions = append(regions, svgmap.Region{Code: a.Code, Name: a.Name, Geometry: a.Geometry,
			Href: d.AreaURL + "?omrade=" + url.QueryEscape(a.Code)})
	}
	var buf bytes.Buffer
	if err := svgmap.Render(&buf, regions, svgmap.Options{Title: "Karta: välj område", Selected: f.Area, ID: "omradeskarta", Fit: mapFit(l.Areas), LabelSize: svgmap.PhoneLabelSize,
		Desc: "Varje område är en länk som väljer området i formuläret. Områden utanför kartan finns i listan."}); err != nil {
		return view{}, err
	}
	d.Map = template.HTML(buf.String()) // svgmap escapes every text and attribute it writes
	return v, nil
}

func (s *Server) newReportForm(w http.ResponseWriter, r *http.Request) {
	f := reportForm{OccurredAt: s.now().In(trygg.Stockholm).Format(datetimeLocal), Area: r.URL.Query().Get("omrade")}
	v, err := s.reportFormView(r, f, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report_form", v)
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) {
	f := reportFormFromRequest(r)
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, err := f.Validate(s.now(), trygg.Stockholm, areas)
	var rep *trygg.Report
	if err == nil {
		rep, err = s.cfg.Reports.CreateReport(r.Context(), in)
	}
	if err != nil {
		s.reportFormError(w, r, f, nil, err)
		return
	}
	s.reportFiled()
	s.redirectWithFlash(w, r, "/rapporter/"+strconv.FormatInt(rep.ID, 10), "report_saved")
}

// reportFormError shows the form again with the typed values and errors.
func (s *Server) reportFormError(w http.ResponseWriter, r *http.Request, f reportForm, rep *trygg.Report, err error) {
	if code := trygg.ErrorCode(err); code != trygg.EINVALID && code != trygg.ECONFLICT {
		s.error(w, r, err)
		return
	}
	v, verr := s.reportFormView(r, f, rep)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "report_form", v, err)
}

// reportID reads {id}; a malformed id is simply not found.
func reportID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, trygg.NotFound()
	}
	return id, nil
}

func (s *Server) findReport(r *http.Request) (*trygg.Report, error) {
	id, err := reportID(r)
	if err != nil {
		return nil, err
	}
	return s.cfg.Reports.FindReportByID(r.Context(), id)
}

type reportDetailData struct {
	Report  *trygg.Report
	History []*trygg.ReportVersion
	Names   names
	Map     template.HTML
	Reason  string // the delete reason typed, when it was refused
	// Tip is the resident's tip the report was accepted from, for a
	// reader who may see the tip too; nil otherwise.
	Tip *tips.Tip
}

func (s *Server) reportDetailView(r *http.Request, rep *trygg.Report) (view, error) {
	hist, err := s.cfg.Reports.FindReportHistory(r.Context(), rep.ID)
	if err != nil {
		return view{}, err
	}
	// Only a reader who may see the tip learns that there is one.
	tip, err := s.cfg.Tips.FindTipOfReport(r.Context(), rep.ID)
	if code := trygg.ErrorCode(err); code == trygg.ENOTFOUND || code == trygg.EUNAUTHORIZED {
		tip, err = nil, nil
	}
	if err != nil {
		return view{}, err
	}
	l, err := s.lookups(r)
	if err != nil {
		return view{}, err
	}
	opts := svgmap.Options{ID: "rapportkarta", Title: "Karta: rapportens område", Selected: rep.AreaCode,
		Fit: mapFit(l.Areas), LabelSize: svgmap.PhoneLabelSize}
	if rep.Location != nil {
		opts.Markers = []svgmap.Marker{{Lat: rep.Location.Lat, Lon: rep.Location.Lon, Label: "Rapportens position, avrundad"}}
	}
	regions := make([]svgmap.Region, 0, len(l.Areas))
	for _, a := range l.Areas {
		regions = append(regions, svgmap.Region{Code: a.Code, Name: a.Name, Geometry: a.Geometry})
	}
	var buf bytes.Buffer
	if err := svgmap.Render(&buf, regions, opts); err != nil {
		return view{}, err
	}
	return view{Title: "Rapport " + strconv.FormatInt(rep.ID, 10), Data: &reportDetailData{Report: rep, History: hist, Tip: tip,
		Names: l.Names, Map: template.HTML(buf.String())}}, nil // svgmap escapes every text and attribute it writes
}

func (s *Server) reportDetail(w http.ResponseWriter, r *http.Request) {
	rep, err := s.findReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.reportDetailView(r, rep)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", v)
}

func (s *Server) editReportForm(w http.ResponseWriter, r *http.Request) {
	rep, err := s.findReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if rep.DeletedAt != nil {
		s.notFound(w, r)
		return
	}
	f := reportFormFromReport(rep, trygg.Stockholm)
	if a := r.URL.Query().Get("omrade"); a != "" {
		f.Area = a
	}
	v, err := s.reportFormView(r, f, rep)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report_form", v)
}

func (s *Server) updateReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.findReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := reportFormFromRequest(r)
	areas, err := s.cfg.Areas.FindAreas(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, err := f.Validate(s.now(), trygg.Stockholm, areas)
	if err == nil {
		_, err = s.cfg.Reports.UpdateReport(r.Context(), rep.ID, in)
	}
	if err != nil {
		s.reportFormError(w, r, f, rep, err)
		return
	}
	s.redirectWithFlash(w, r, "/rapporter/"+strconv.FormatInt(rep.ID, 10), "report_updated")
}

func (s *Server) deleteReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.findReport(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	reason := r.PostFormValue("reason")
	if err := s.cfg.Reports.DeleteReport(r.Context(), rep.ID, reason); err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		v, verr := s.reportDetailView(r, rep)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		v.Data.(*reportDetailData).Reason = reason
		s.renderForm(w, r, "report", v, err)
		return
	}
	s.redirectWithFlash(w, r, "/rapporter", "report_deleted")
}

// filterForm is the GET form above "Alla rapporter". Its query is also the
// export links' query, so that an export holds exactly what the list shows.
type filterForm struct {
	From, To string
	Area     string
	Category string
	Org      string
	OrgTypes []string
	Severity string
	Deleted  bool
	Page     int
}

// HasOrgType reports whether the filter holds organisation type t, for
// the form's check boxes.
func (f filterForm) HasOrgType(t trygg.OrgType) bool { return slices.Contains(f.OrgTypes, string(t)) }

// query is the filter as a URL query, without the page.
func (f filterForm) query() url.Values {
	q := url.Values{}
	for _, kv := range [][2]string{{"fran", f.From}, {"till", f.To}, {"omrade", f.Area}, {"kategori", f.Category},
		{"org", f.Org}, {"allvar", f.Severity}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	for _, t := range f.OrgTypes {
		q.Add("orgtyp", t)
	}
	if f.Deleted {
		q.Set("raderade", "1")
	}
	return q
}

// parseFilter reads the filter query into a ReportFilter. "till" is
// inclusive: the whole day counts.
func parseFilter(q url.Values, loc *time.Location) (filterForm, trygg.ReportFilter, error) {
	f := filterForm{
		From: strings.TrimSpace(q.Get("fran")), To: strings.TrimSpace(q.Get("till")),
		Area: q.Get("omrade"), Category: q.Get("kategori"), Org: q.Get("org"), OrgTypes: q["orgtyp"],
		Severity: q.Get("allvar"), Deleted: q.Get("raderade") == "1", Page: 1,
	}
	var v trygg.Validation
	rf := trygg.ReportFilter{Deleted: f.Deleted, Limit: pageSize}
	if f.From != "" {
		if t, err := time.ParseInLocation(time.DateOnly, f.From, loc); err == nil {
			rf.From = &t
		} else {
			v.Add("fran", "Från-datum ska skrivas som ÅÅÅÅ-MM-DD.")
		}
	}
	if f.To != "" {
		if t, err := time.ParseInLocation(time.DateOnly, f.To, loc); err == nil {
			end := t.AddDate(0, 0, 1)
			rf.To = &end
		} else {
			v.Add("till", "Till-datum ska skrivas som ÅÅÅÅ-MM-DD.")
		}
	}
	if rf.From != nil && rf.To != nil && !rf.From.Before(*rf.To) {
		v.Add("till", "Till-datum får inte vara före från-datum.")
	}
	if f.Area != "" {
		rf.AreaCodes = []string{f.Area}
	}
	if f.Category != "" {
		rf.Categories = []string{f.Category}
	}
	if f.Org != "" {
		rf.OrgCodes = []string{f.Org}
	}
	for _, t := range f.OrgTypes {
		if !trygg.OrgType(t).Valid() {
			v.Add("orgtyp", "Organisationstypen %q finns inte.", t)
			continue
		}
		rf.OrgTypes = append(rf.OrgTypes, trygg.OrgType(t))
	}
	if f.Severity != "" {
		n, err := strconv.Atoi(f.Severity)
		if err != nil || n < trygg.SeverityLow || n > trygg.SeverityHigh {
			v.Add("allvar", "Allvarlighetsgraden ska vara 1, 2 eller 3.")
		} else {
			rf.Severities = []int{n}
		}
	}
	if p := q.Get("sida"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			v.Add("sida", "Sidnumret är ogiltigt.")
		} else {
			f.Page = n
		}
	}
	rf.Offset = (f.Page - 1) * pageSize
	return f, rf, v.Err()
}

// pageLink is one link in the pagination.
type pageLink struct {
	Number  int
	URL     template.URL
	Current bool
	Gap     bool // "…" between non-adjacent numbers
}

// pagination links the first, the last and the pages near the current one.
func pagination(base string, q url.Values, current, total int) (links []pageLink, prev, next template.URL) {
	pages := (total + pageSize - 1) / pageSize
	link := func(n int) template.URL {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		if n > 1 {
			qq.Set("sida", strconv.Itoa(n))
		}
		if len(qq) == 0 {
			return template.URL(base)
		}
		return template.URL(base + "?" + qq.Encode())
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < current-2 || n > current+2) {
			continue
		}
		if last != 0 && n > last+1 {
			links = append(links, pageLink{Gap: true})
		}
		links = append(links, pageLink{Number: n, URL: link(n), Current: n == current})
		last = n
	}
	if current > 1 && current <= pages {
		prev = link(current - 1)
	}
	if current < pages {
		next = link(current + 1)
	}
	return links, prev, next
}

type reportListData struct {
	Mine       bool
	Filter     filterForm
	Page       *trygg.ReportPage
	First      int // number of the first report shown, from 1
	Last       int
	Names      names
	Areas      []*trygg.Area
	Groups     []categoryGroup
	Orgs       []*trygg.Organisation
	Pages      []pageLink
	Prev       template.URL
	Next       template.URL
	ExportCSV  template.URL
	ExportGeo  template.URL
	CanDeleted bool
}

func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	s.listReports(w, r, false)
}

func (s *Server) myReports(w http.ResponseWriter, r *http.Request) {
	s.listReports(w, r, true)
}

// listReports renders "Alla rapporter", or with mine "Mina rapporter": the
// same list limited to the caller's own reports.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request, mine bool) {
	u := trygg.UserFromContext(r.Context())
	f, rf, ferr := parseFilter(r.URL.Query(), trygg.Stockholm)
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &reportListData{Mine: mine, Filter: f, Names: l.Names, Areas: l.Areas, Orgs: l.Orgs,
		Groups: activeGroups(l.Categories, f.Category), CanDeleted: u.Has(trygg.RoleSamordnare)}
	v := view{Title: "Alla rapporter", Nav: "all", Data: d}
	base := "/rapporter"
	if mine {
		v.Title, v.Nav, base = "Mina rapporter", "mine", "/rapporter/mina"
		rf.ReporterID = &u.ID
	}
	if ferr != nil {
		s.renderForm(w, r, "reports", v, ferr)
		return
	}
	page, err := s.cfg.Reports.FindReports(r.Context(), rf)
	if err != nil {
		if trygg.ErrorCode(err) == trygg.EINVALID {
			s.renderForm(w, r, "reports", v, err)
			return
		}
		s.error(w, r, err)
		return
	}
	d.Page = page
	if len(page.Reports) > 0 {
		d.First = rf.Offset + 1
		d.Last = rf.Offset + len(page.Reports)
	}
	q := f.query()
	d.Pages, d.Prev, d.Next = pagination(base, q, f.Page, page.Total)
	if !mine {
		enc := q.Encode()
		if enc != "" {
			enc = "?" + enc
		}
		d.ExportCSV = template.URL("/rapporter/export.csv" + enc)
		d.ExportGeo = template.URL("/rapporter/export.geojson" + enc)
	}
	s.render(w, r, http.StatusOK, "reports", v)
}

// exportFilter reads the same filter as the list, for every page at once.
func (s *Server) exportFilter(w http.ResponseWriter, r *http.Request) (trygg.ReportFilter, bool) {
	_, rf, err := parseFilter(r.URL.Query(), trygg.Stockholm)
	if err != nil {
		s.error(w, r, err)
		return rf, false
	}
	rf.Offset, rf.Limit = 0, 0
	return rf, true
}

// attachment sets the headers of a download; the file name carries the
// date so that several exports do not overwrite each other.
func (s *Server) attachment(w http.ResponseWriter, contentType, ext string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="rapporter-`+s.now().In(trygg.Stockholm).Format("2006-01-02")+"."+ext+`"`)
}

// export streams the filtered reports in one format. Once the first byte
// is sent the status cannot change, so a later failure is logged and cuts
// the file short.
func (s *Server) export(format reportio.ExportFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rf, ok := s.exportFilter(w, r)
		if !ok {
			return
		}
		s.attachment(w, format.ContentType, format.Name)
		out := &sentWriter{w: w}
		err := reportio.Export(r.Context(), s.cfg.Reports, rf, format.Name, out)
		s.exportFailed(w, r, out, err)
	}
}

// sentWriter notes whether anything reached the client.
type sentWriter struct {
	w    http.ResponseWriter
	sent bool
}

func (sw *sentWriter) Write(b []byte) (int, error) {
	sw.sent = true
	return sw.w.Write(b)
}

// exportFailed handles an export's error: an error page while nothing has
// been sent, else a log line (the download is cut short, which the client
// sees as a broken transfer rather than a complete file).
func (s *Server) exportFailed(w http.ResponseWriter, r *http.Request, out *sentWriter, err error) {
	if err == nil {
		return
	}
	if !out.sent {
		w.Header().Del("Content-Disposition")
		s.error(w, r, err)
		return
	}
	s.logError(r, "export", err)
	panic(http.ErrAbortHandler)
}
