package web

import (
	"net/http"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

// "Att göra": the signed-in partner's in-app notices, computed from the
// actions when the page is shown (samverkan.NoticeService).
func (s *Server) noticeRoutes() []route {
	return []route{
		{pattern: "GET /att-gora", name: "notices", roles: samverkanPartner, handler: s.notices},
		{pattern: "POST /att-gora/last", name: "notices_read", roles: samverkanPartner, handler: s.markNoticesRead},
	}
}

type noticeData struct {
	OrgName string
	List    *samverkan.NoticeList
	Overdue []actionRow
	DueSoon []actionRow
	Decided []actionRow
}

func (s *Server) notices(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Notices.FindNotices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &noticeData{List: list}
	if u := trygg.UserFromContext(r.Context()); u.Org != nil {
		d.OrgName = u.Org.Name
	}
	today := trygg.DayOf(s.now())
	for _, n := range list.Notices {
		row := actionRow{Action: n.Action, Overdue: n.Action.Overdue(today), DueSoon: n.Action.DueSoon(today)}
		switch n.Kind {
		case samverkan.NoticeOverdue:
			d.Overdue = append(d.Overdue, row)
		case samverkan.NoticeDueSoon:
			d.DueSoon = append(d.DueSoon, row)
		}
		if n.New {
			d.Decided = append(d.Decided, row)
		}
	}
	s.render(w, r, http.StatusOK, "notices", view{Title: "Att göra", Nav: "notices", Data: d})
}

func (s *Server) markNoticesRead(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Notices.MarkNoticesRead(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/att-gora", "notices_read")
}
