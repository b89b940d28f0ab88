package web

import (
	"fmt"
	"net/http"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// The written routines for operational collaboration, kept as numbered
// versions that never change: each operation records the version that
// applied. Each version can carry its signed document (PDF).

func (s *Server) routineRoutes() []route {
	return []route{
		{pattern: "GET /operativ/rutiner", name: "operativ_routines", roles: operativRoles, handler: s.routinePage},
		{pattern: "POST /operativ/rutiner", name: "operativ_routine_create", roles: operativRoles, handler: s.createRoutine},
		{pattern: "POST /operativ/rutiner/{id}/dokument", name: "operativ_routine_document_upload", roles: operativRoles, handler: s.uploadRoutineDocument, maxBody: maxDocumentUpload},
		{pattern: "GET /operativ/rutiner/{id}/dokument", name: "operativ_routine_document", roles: operativRoles, handler: s.routineDocument},
	}
}

type routineForm struct{ Title, Summary, ValidFrom string }

type routineData struct {
	Routines []*operativ.Routine
	Form     routineForm
}

// DocumentField is the name of a version's upload control, unique on the
// page, under which its errors are shown.
func (routineData) DocumentField(id int64) string { return fmt.Sprintf("document-%d", id) }

func (s *Server) routineView(r *http.Request, f routineForm) (view, error) {
	list, err := s.cfg.Routines.FindRoutines(r.Context())
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
	in := operativ.RoutineInput{Title: f.Title, Summary: f.Summary}
	var err error
	if in.ValidFrom, err = parseFormDay("valid_from", f.ValidFrom); err == nil {
		_, err = s.cfg.Routines.CreateRoutine(r.Context(), in)
	}
	if err == nil {
		http.Redirect(w, r, "/operativ/rutiner", http.StatusSeeOther)
		return
	}
	s.routineError(w, r, f, err)
}

// routineError shows the page again with err, or the error page for
// anything but EINVALID.
func (s *Server) routineError(w http.ResponseWriter, r *http.Request, f routineForm, err error) {
	if trygg.ErrorCode(err) != trygg.EINVALID {
		s.error(w, r, err)
		return
	}
	v, verr := s.routineView(r, f)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "operativ_routines", v, err)
}

// uploadRoutineDocument stores a version's signed document (PDF, at most
// trygg.MaxDocumentSize); its errors lead to that version's control.
func (s *Server) uploadRoutineDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	content, name, err := formFile(r, "document", "Välj det undertecknade dokumentet som PDF-fil.")
	if err == nil {
		_, err = s.cfg.Routines.AttachRoutineDocument(r.Context(), id, name, content)
	}
	if trygg.ErrorCode(err) == trygg.EINVALID {
		err = renameFields(err, map[string]string{"document": routineData{}.DocumentField(id)})
	}
	if err != nil {
		s.routineError(w, r, routineForm{ValidFrom: trygg.DayOf(s.now()).String()}, err)
		return
	}
	s.redirectWithFlash(w, r, "/operativ/rutiner", "routine_document_saved")
}

// routineDocument sends a version's signed document.
func (s *Server) routineDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	_, content, err := s.cfg.Routines.FindRoutineDocument(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sendPDF(w, fmt.Sprintf("rutin-%d.pdf", id), content)
}
