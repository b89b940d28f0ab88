package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/draw"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/lagesbild/lagesbildchart"
	"github.com/trygg-est/trygg/pdf"
	"github.com/trygg-est/trygg/weekly"
)

// Who may use the weekly reports: samordnare write and publish; these
// read what is published. The service checks again.
var (
	weeklyReaders = []trygg.Role{trygg.RoleSamordnare, trygg.RolePolis, trygg.RoleLasare, trygg.RoleAdmin}
	weeklyWriters = []trygg.Role{trygg.RoleSamordnare}
)

// weeklyRoutes are the weekly report's rows of the route table.
func (s *Server) weeklyRoutes() []route {
	return []route{
		{pattern: "GET /veckorapporter", name: "weekly_list", roles: weeklyReaders, handler: s.weeklyList},
		{pattern: "GET /veckorapporter.atom", name: "weekly_feed", access: feedToken, roles: weeklyReaders, handler: s.weeklyFeed},
		{pattern: "GET /veckorapporter/{year}/{week}", name: "weekly", roles: weeklyReaders, handler: s.weeklyWeek},
		{pattern: "POST /veckorapporter/{year}/{week}", name: "weekly_save", roles: weeklyWriters, handler: s.weeklySave},
		// {version} is "v2" for the page and "v2.pdf" for the PDF.
		{pattern: "GET /veckorapporter/{year}/{week}/{version}", name: "weekly_version", roles: weeklyReaders, handler: s.weeklyVersion},
	}
}

// weekURL is the path of a week's report.
func weekURL(w trygg.ISOWeek) string { return fmt.Sprintf("/veckorapporter/%d/%d", w.Year, w.Week) }

// versionURL is the path of one published version.
func versionURL(w trygg.ISOWeek, version int) string {
	return weekURL(w) + "/v" + strconv.Itoa(version)
}

// weekParam reads {year} and {week}; a week that does not exist is not
// found.
func weekParam(r *http.Request) (trygg.ISOWeek, error) {
	y, yerr := strconv.Atoi(r.PathValue("year"))
	n, nerr := strconv.Atoi(r.PathValue("week"))
	w := trygg.ISOWeek{Year: y, Week: n}
	if yerr != nil || nerr != nil || !w.Valid() {
		return w, trygg.NotFound()
	}
	return w, nil
}

// weeklyWeekEntry is one week of the list, with its versions newest first.
type weeklyWeekEntry struct {
	Week     trygg.ISOWeek
	Versions []*weekly.Report
}

type weeklyListData struct {
	Weeks   []weeklyWeekEntry
	CanEdit bool
	Year    string // the week picker's values
	Week    string
	Current trygg.ISOWeek
}

// groupWeeks groups a list of versions, newest first, by week.
func groupWeeks(reps []*weekly.Report) []weeklyWeekEntry {
	var out []weeklyWeekEntry
	for _, r := range reps {
		if n := len(out); n > 0 && out[n-1].Week == r.Week {
			out[n-1].Versions = append(out[n-1].Versions, r)
			continue
		}
		out = append(out, weeklyWeekEntry{Week: r.Week, Versions: []*weekly.Report{r}})
	}
	return out
}

// weeklyList lists the published reports. For the samordnare, ?ar=&vecka=
// opens a week's draft; a bad week shows the list again with the error.
func (s *Server) weeklyList(w http.ResponseWriter, r *http.Request) {
	reps, err := s.cfg.WeeklyReports.FindWeeklyReports(r.Context(), 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	current := trygg.WeekOf(trygg.DayOf(s.now()))
	q := r.URL.Query()
	d := weeklyListData{Weeks: groupWeeks(reps), CanEdit: trygg.UserFromContext(r.Context()).Has(weeklyWriters...),
		Year: strconv.Itoa(current.Year), Week: strconv.Itoa(current.Week), Current: current}
	v := view{Title: "Veckorapporter", Nav: "weekly", Data: &d}
	if !d.CanEdit || (!q.Has("ar") && !q.Has("vecka")) {
		s.render(w, r, http.StatusOK, "weekly_list", v)
		return
	}
	d.Year, d.Week = q.Get("ar"), q.Get("vecka")
	week, err := parseWeekForm(d.Year, d.Week)
	if err != nil {
		s.renderForm(w, r, "weekly_list", v, err)
		return
	}
	http.Redirect(w, r, weekURL(week), http.StatusSeeOther)
}

// parseWeekForm reads the week picker: EINVALID names "ar" or "vecka".
func parseWeekForm(year, week string) (trygg.ISOWeek, error) {
	y, yerr := strconv.Atoi(strings.TrimSpace(year))
	n, nerr := strconv.Atoi(strings.TrimSpace(week))
	w := trygg.ISOWeek{Year: y, Week: n}
	var v trygg.Validation
	if yerr != nil || y < 2000 || y > 2999 {
		v.Add("ar", "Ange ett år mellan 2000 och 2999.")
	} else if nerr != nil || !w.Valid() {
		v.Add("vecka", "Ange en vecka som finns år %d (1–%d).", y, trygg.WeekOf(trygg.DateDay(y, 12, 28)).Week)
	}
	return w, v.Err()
}

// weeklyForm is the draft's two texts as typed.
type weeklyForm struct {
	Analysis, Conclusions string
}

// weeklyPage is a weekly report on a page: a draft being written (Report
// nil) or a published version.
type weeklyPage struct {
	Week        trygg.ISOWeek
	Report      *weekly.Report
	Draft       *weekly.Draft
	Form        weeklyForm
	Picture     *lagesbild.Picture
	OpenActions []weekly.OpenAction
	Meetings    []weekly.WeekMeeting
	Map, Chart  template.HTML
	Versions    []*weekly.Report // of this week, newest first
	Changes     []weeklyChangeRow
	Areas       []weeklyAreaRow
	// Flags are the flagged increases, linked to their reports for those
	// who may open reports.
	Flags []flagRow
}

// weeklyChangeRow is a row of the largest changes, in words.
type weeklyChangeRow struct {
	lagesbild.Change
	VsPrev, VsYearAgo string
}

// weeklyAreaRow is a district's count and rate.
type weeklyAreaRow struct {
	Name    string
	Count   int
	Per1000 string // "–" without a population
}

// weeklyWeek shows the samordnare the week's draft, and everyone else its
// newest published version.
func (s *Server) weeklyWeek(w http.ResponseWriter, r *http.Request) {
	week, err := weekParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !trygg.UserFromContext(r.Context()).Has(weeklyWriters...) {
		s.showVersion(w, r, week, 0)
		return
	}
	draft, err := s.cfg.WeeklyReports.FindWeeklyDraft(r.Context(), week)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderDraft(w, r, draft, weeklyForm{Analysis: draft.Analysis, Conclusions: draft.Conclusions}, nil)
}

// renderDraft shows the draft editor with the week's picture as it stands
// now; with err, the form's errors (422).
func (s *Server) renderDraft(w http.ResponseWriter, r *http.Request, draft *weekly.Draft, f weeklyForm, formErr error) {
	content, err := weekly.Build(r.Context(), s.cfg.Services.Weekly(), draft.Week, trygg.DayOf(s.now()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := &weeklyPage{Week: draft.Week, Draft: draft, Form: f}
	if err := s.fillWeeklyPage(r, p, content); err != nil {
		s.error(w, r, err)
		return
	}
	v := view{Title: "Veckorapport " + draft.Week.String() + " – utkast", Nav: "weekly", Data: p}
	if formErr != nil {
		s.renderForm(w, r, "weekly", v, formErr)
		return
	}
	s.render(w, r, http.StatusOK, "weekly", v)
}

// fillWeeklyPage draws the map and chart of content and finds the week's
// published versions.
func (s *Server) fillWeeklyPage(r *http.Request, p *weeklyPage, content *weekly.Content) error {
	p.Picture, p.OpenActions, p.Meetings = &content.Picture, content.OpenActions, content.Meetings
	p.Flags = flagRows(&content.Picture, trygg.UserFromContext(r.Context()))
	for _, c := range content.Changes {
		p.Changes = append(p.Changes, weeklyChangeRow{Change: c, VsPrev: lagesbild.VsPrevText(c.VsPrevThirds), VsYearAgo: lagesbild.Signed(c.VsYearAgo)})
	}
	for _, a := range content.Areas {
		row := weeklyAreaRow{Name: a.Name, Count: a.Count, Per1000: "–"}
		if a.HasRate {
			row.Per1000 = draw.Decimal(a.Per1000, 1)
		}
		p.Areas = append(p.Areas, row)
	}
	mapCanvas, chart := lagesbildchart.ReportFigures(&content.Picture)
	var err error
	if p.Map, err = svgHTML(mapCanvas); err != nil {
		return err
	}
	if p.Chart, err = svgHTML(chart); err != nil {
		return err
	}
	reps, err := s.cfg.WeeklyReports.FindWeeklyReports(r.Context(), 0)
	if err != nil {
		return err
	}
	for _, rep := range reps {
		if rep.Week == p.Week {
			p.Versions = append(p.Versions, rep)
		}
	}
	return nil
}

// svgHTML writes a canvas as SVG for a template.
func svgHTML(c *draw.Canvas) (template.HTML, error) {
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // drawn and escaped by package draw
}

// weeklySave stores the samordnare's texts and, when the publish button
// was pressed, publishes the week.
func (s *Server) weeklySave(w http.ResponseWriter, r *http.Request) {
	week, err := weekParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := weeklyForm{Analysis: r.PostFormValue("analysis"), Conclusions: r.PostFormValue("conclusions")}
	draft := &weekly.Draft{Week: week, Analysis: f.Analysis, Conclusions: f.Conclusions}
	if err := s.cfg.WeeklyReports.SaveWeeklyDraft(r.Context(), draft); err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.renderDraft(w, r, draft, f, err)
		return
	}
	if r.PostFormValue("action") != "publicera" {
		s.redirectWithFlash(w, r, weekURL(week), "weekly_saved")
		return
	}
	rep, err := weekly.Publish(r.Context(), s.cfg.Services.Weekly(), week, trygg.DayOf(s.now()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, versionURL(week, rep.Version), "weekly_published")
}

// weeklyVersion shows one published version, as a page or ("v2.pdf") as
// a PDF.
func (s *Server) weeklyVersion(w http.ResponseWriter, r *http.Request) {
	week, err := weekParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, isPDF, ok := parseVersion(r.PathValue("version"))
	if !ok {
		s.notFound(w, r)
		return
	}
	if !isPDF {
		s.showVersion(w, r, week, n)
		return
	}
	rep, content, err := s.findVersion(r, week, n)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := pdf.WriteWeekly(&buf, rep, content); err != nil {
		s.error(w, r, err)
		return
	}
	sendPDF(w, fmt.Sprintf("veckorapport-%s-v%d.pdf", week.Code(), rep.Version), buf.Bytes())
}

// parseVersion reads the last segment of a version's URL: "v2" or
// "v2.pdf", with no leading zeros.
func parseVersion(seg string) (version int, isPDF, ok bool) {
	name, isPDF := strings.CutSuffix(seg, ".pdf")
	digits, ok := strings.CutPrefix(name, "v")
	n, err := strconv.Atoi(digits)
	if !ok || err != nil || n < 1 || digits != strconv.Itoa(n) {
		return 0, false, false
	}
	return n, isPDF, true
}

// findVersion reads a published version (0: the newest) and its content.
func (s *Server) findVersion(r *http.Request, week trygg.ISOWeek, version int) (*weekly.Report, *weekly.Content, error) {
	rep, err := s.cfg.WeeklyReports.FindWeeklyReport(r.Context(), week, version)
	if err != nil {
		return nil, nil, err
	}
	content, err := weekly.Decode(rep)
	return rep, content, err
}

// showVersion renders a published version (0: the newest).
func (s *Server) showVersion(w http.ResponseWriter, r *http.Request, week trygg.ISOWeek, version int) {
	rep, content, err := s.findVersion(r, week, version)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := &weeklyPage{Week: week, Report: rep}
	if err := s.fillWeeklyPage(r, p, content); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "weekly_report", view{
		Title: fmt.Sprintf("Veckorapport %s, version %d", week, rep.Version), Nav: "weekly", Data: p})
}

// feedUser returns who reads the feed: the browser's session, or the owner
// of an API token sent as a bearer or as the password of HTTP Basic (any
// user name), which is what feed readers can send. Nil when neither.
func (s *Server) feedUser(r *http.Request) *trygg.User {
	if sess := s.findSession(r); sess != nil {
		stateOf(r).session = sess
		return sess.User
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		_, token, ok = r.BasicAuth()
	}
	if !ok || token == "" {
		return nil
	}
	u, err := s.cfg.Auth.Authenticate(r.Context(), token)
	if err != nil {
		return nil
	}
	return u
}
