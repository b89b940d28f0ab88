package web

import (
	"net/http"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// The KAST reception log, for the staff of the organisation that receives
// KAST referrals; its aggregates are also on /statistik/operativ.

func (s *Server) kastRoutes() []route {
	return []route{
		{pattern: "GET /operativ/kast", name: "operativ_kast", roles: receiverRoles, handler: s.kastPage},
		{pattern: "POST /operativ/kast", name: "operativ_kast_log", roles: receiverRoles, handler: s.logKastContact},
	}
}

type kastForm struct{ Day, Channel, Code, Topic, Outcome string }

type kastData struct {
	Form  kastForm
	Stats *operativ.KastStats
}

func (kastData) Channels() []trygg.Code { return operativ.KastChannels }
func (kastData) Topics() []trygg.Code   { return operativ.KastTopics }
func (kastData) Outcomes() []trygg.Code { return operativ.KastOutcomes }

// kastView is the page for the reception's staff; anyone else gets "not
// found".
func (s *Server) kastView(r *http.Request, f kastForm) (view, error) {
	ok, err := s.cfg.Kast.IsKastStaff(r.Context())
	if err == nil && !ok {
		err = trygg.NotFound()
	}
	if err != nil {
		return view{}, err
	}
	st, err := s.cfg.Kast.KastStats(r.Context())
	if err != nil {
		return view{}, err
	}
	if f.Day == "" {
		f.Day = trygg.DayOf(s.now()).String()
	}
	return view{Title: "KAST: mottagningslogg", Nav: "operativ_kast", Data: &kastData{Form: f, Stats: st}}, nil
}

func (s *Server) kastPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.kastView(r, kastForm{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "operativ_kast", v)
}

func (s *Server) logKastContact(w http.ResponseWriter, r *http.Request) {
	f := kastForm{Day: r.PostFormValue("day"), Channel: r.PostFormValue("channel"), Code: r.PostFormValue("code"),
		Topic: r.PostFormValue("topic"), Outcome: r.PostFormValue("outcome")}
	v, err := s.kastView(r, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := operativ.KastContactInput{Channel: f.Channel, Code: f.Code, Topic: f.Topic, Outcome: f.Outcome}
	if in.Day, err = parseFormDay("day", f.Day); err == nil {
		err = s.cfg.Kast.LogKastContact(r.Context(), in)
	}
	if err != nil {
		s.renderForm(w, r, "operativ_kast", v, err)
		return
	}
	http.Redirect(w, r, "/operativ/kast", http.StatusSeeOther)
}
