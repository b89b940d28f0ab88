package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/arsplan"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/pdf"
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
	s.showYearlyList(w, r, strconv.Itoa(trygg.DayOf(s.now()).Year()), nil)
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
	if err != nil {
		year = 0 // not a year: CheckYear says so
	}
	y, err := arsplan.SaveDraft(r.Context(), s.cfg.Arsplan(), year, trygg.DayOf(s.now()))
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.showYearlyList(w, r, yearText, err)
		return
	}
	s.redirectWithFlash(w, r, yearlyPath(y), "yearly_drafted")
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
