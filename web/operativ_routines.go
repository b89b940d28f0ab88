package web

import (
	"net/http"

	"github.com/trygg-est/trygg"
)

// The written routines for operational collaboration, kept as numbered
// versions that never change: each operation records the version that
// applied.

func (s *Server) routineRoutes() []route {
	return []route{
		{pattern: "GET /operativ/rutiner", name: "operativ_routines", roles: operativRoles, handler: s.routinePage},
		{pattern: "POST /operativ/rutiner", name: "operativ_routine_create", roles: operativRoles, handler: s.createRoutine},
	}
}

type routineForm struct{ Title, Summary, ValidFrom string }

type routineData struct {
	Routines []*trygg.Routine
	Form     routineForm
}

func (s *Server) routineView(r *http.Request, f routineForm) (view, error) {
	list, err := s.cfg.Operativ.FindRoutines(r.Context())
	return view{Title: "Rutiner för operativ samverkan", Nav: "operativ", Data: &routineData{Routines: list, Form: f}}, err
}

func (s *Server) routinePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.routineView(r, routineForm{ValidFrom: trygg.DayOf(s.now()).String()})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "operativ_routines", v)
}

func (s *Server) createRoutine(w http.ResponseWriter, r *http.Request) {
	f := routineForm{Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"), ValidFrom: r.PostFormValue("valid_from")}
	in := trygg.RoutineInput{Title: f.Title, Summary: f.Summary}
	var err error
	if in.ValidFrom, err = parseFormDay("valid_from", f.ValidFrom); err == nil {
		_, err = s.cfg.Operativ.CreateRoutine(r.Context(), in)
	}
	if err == nil {
		http.Redirect(w, r, "/operativ/rutiner", http.StatusSeeOther)
		return
	}
	v, verr := s.routineView(r, f)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "operativ_routines", v, err)
}
