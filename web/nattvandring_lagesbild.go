package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/nattvandring"
)

// The lägesbild's night-walk overlay (issue 15): where adults were out,
// as volunteer hours per district and week, next to the reports of the
// same period, so that the weekly meeting sees both in one table. It is
// shown on request (nattvandring=visa), costs one query, and holds numbers
// only.

// nightOverlay is the overlay's table.
type nightOverlay struct {
	Shown   bool
	OnURL   string
	OffURL  string
	Rows    []nightOverlayRow
	Minutes int
}

// nightOverlayRow is one district: the period's walks and hours, week by
// week, and its reports.
type nightOverlayRow struct {
	Name, Hours, Weeks, Reports string
	Walks                       int
}

// nightOverlayFor builds the overlay for picture p when the query asks for
// it, and the links that turn it on and off.
func (s *Server) nightOverlayFor(r *http.Request, p *lagesbild.Picture) (nightOverlay, error) {
	q := r.URL.Query()
	o := nightOverlay{Shown: q.Get("nattvandring") == "visa"}
	q.Set("nattvandring", "visa")
	o.OnURL = "/lagesbild?" + q.Encode()
	q.Del("nattvandring")
	o.OffURL = "/lagesbild?" + q.Encode()
	if !o.Shown {
		return o, nil
	}
	hours, err := s.cfg.Nattvandring.WalkHours(r.Context(), p.Filter.Period.From, p.Filter.Period.To)
	if err != nil {
		return o, err
	}
	type acc struct {
		minutes, walks int
		weeks          []string
	}
	by := map[string]*acc{}
	for _, h := range hours {
		a := by[h.District]
		if a == nil {
			a = &acc{}
			by[h.District] = a
		}
		a.minutes += h.Minutes
		a.walks += h.Walks
		a.weeks = append(a.weeks, "v. "+strconv.Itoa(h.Week.Week)+": "+nattvandring.Hours(h.Minutes)+" h")
		o.Minutes += h.Minutes
	}
	for _, a := range p.Areas {
		w := by[a.Code]
		if w == nil {
			continue
		}
		o.Rows = append(o.Rows, nightOverlayRow{Name: a.Name, Hours: nattvandring.Hours(w.minutes), Walks: w.walks,
			Weeks: strings.Join(w.weeks, ", "), Reports: strconv.Itoa(a.Count)})
	}
	slices.SortStableFunc(o.Rows, func(a, b nightOverlayRow) int { return strings.Compare(a.Name, b.Name) })
	return o, nil
}
