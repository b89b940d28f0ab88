package web

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/svgmap"
)

// overviewWeeks is the period the overview counts.
const overviewWeeks = 4

type countRow struct {
	Code    string
	Name    string
	Count   int
	Per1000 string // reports per 1,000 residents; "" without a population
}

type overviewData struct {
	From, To   string
	Total      int
	ByArea     []countRow
	ByCategory []countRow
	Map        template.HTML
}

// overview shows counts per area and category for the last four weeks: the
// läsare's view, which never shows a single report.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	to := s.now()
	from := to.AddDate(0, 0, -7*overviewWeeks)
	counts, err := s.cfg.Reports.CountReports(r.Context(), trygg.ReportFilter{From: &from, To: &to})
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &overviewData{From: from.In(trygg.Stockholm).Format("2006-01-02"), To: to.In(trygg.Stockholm).Format("2006-01-02")}
	perArea, perCat := map[string]int{}, map[string]int{}
	for _, c := range counts {
		perArea[c.AreaCode] += c.Count
		perCat[c.Category] += c.Count
		d.Total += c.Count
	}
	regions := make([]svgmap.Region, 0, len(l.Areas))
	maxCount := 0
	for _, n := range perArea {
		maxCount = max(maxCount, n)
	}
	for _, a := range l.Areas {
		row := countRow{Code: a.Code, Name: a.Name, Count: perArea[a.Code]}
		if a.Population > 0 {
			// Swedish decimal comma.
			row.Per1000 = strings.Replace(strconv.FormatFloat(float64(row.Count)*1000/float64(a.Population), 'f', 1, 64), ".", ",", 1)
		}
		d.ByArea = append(d.ByArea, row)
		regions = append(regions, svgmap.Region{Code: a.Code, Name: a.Name, Geometry: a.Geometry,
			Fill: "level-" + strconv.Itoa(level(row.Count, maxCount)), Label: a.Name + ", " + strconv.Itoa(row.Count) + " rapporter"})
	}
	for code, n := range perCat {
		d.ByCategory = append(d.ByCategory, countRow{Code: code, Name: l.Names.Category(code), Count: n})
	}
	byCount := func(a, b countRow) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) }
	slices.SortFunc(d.ByArea, byCount)
	slices.SortFunc(d.ByCategory, byCount)
	var buf bytes.Buffer
	if err := svgmap.Render(&buf, regions, svgmap.Options{ID: "oversiktskarta", Title: "Karta: rapporter per område", Fit: mapFit(l.Areas), LabelSize: svgmap.PhoneLabelSize,
		Desc: "Mörkare område betyder fler rapporter. Antalen för alla områden står i tabellen."}); err != nil {
		s.error(w, r, err)
		return
	}
	d.Map = template.HTML(buf.String()) // svgmap escapes every text and attribute it writes
	s.render(w, r, http.StatusOK, "overview", view{Title: "Översikt", Nav: "overview", Data: d})
}

// level sorts a count into one of five shades, 0 for none.
func level(n, maxCount int) int {
	if n == 0 || maxCount == 0 {
		return 0
	}
	return 1 + min(3, n*4/(maxCount+1))
}

type accessibilityData struct {
	Contact     string // as configured: an e-mail address or a web address
	ContactHref string
}

// accessibility is the accessibility statement that DOS-lagen (2018:1937)
// requires of public-sector websites.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	d := accessibilityData{Contact: s.cfg.AccessibilityContact, ContactHref: s.cfg.AccessibilityContact}
	if !strings.HasPrefix(d.Contact, "https://") && !strings.HasPrefix(d.Contact, "http://") {
		d.ContactHref = "mailto:" + d.Contact
	}
	s.render(w, r, http.StatusOK, "accessibility", view{Title: "Tillgänglighetsredogörelse", Nav: "a11y", Data: d})
}
