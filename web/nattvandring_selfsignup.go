package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// A volunteer's own sign-up page, reached with a personal link
// (nattvandring/selfsignup.go): public, because volunteers have no
// accounts; the token in the path is the key. The request log and the
// metrics name the route, never the path, so the token stays out of logs;
// the page sends no Referer onward and is never stored by a cache.

// nattvandringSelfRoutes are the rows of the route table for the links.
func (s *Server) nattvandringSelfRoutes() []route {
	return []route{
		{pattern: "POST /nattvandring/frivillig/{id}/lank", name: "nattvandring_link_create", roles: nightRoles, handler: s.nightCreateLink},
		{pattern: "POST /nattvandring/frivillig/{id}/lank/aterkalla", name: "nattvandring_link_revoke", roles: nightRoles, handler: s.nightRevokeLink},
		// Public: whoever holds the token acts as that volunteer.
		{pattern: "GET /nattvandring/anmalan/{token}", name: "nattvandring_self", access: publicPage, handler: s.nightSelf},
		{pattern: "POST /nattvandring/anmalan/{token}", name: "nattvandring_self_change", access: publicPage, handler: s.nightSelfChange},
	}
}

// nightCreateLink makes a volunteer's sign-up link and shows it once, on
// the volunteers page (not after a redirect, which would need to carry it).
func (s *Server) nightCreateLink(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	groupID, gok := s.nightGroupOfForm(r)
	if !ok || !gok {
		s.notFound(w, r)
		return
	}
	token, err := s.cfg.Nattvandring.CreateSignUpLink(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.nightVolunteersView(r, groupID, nightVolunteersData{LinkFor: id, Link: s.siteURL(r) + nattvandring.SignUpLinkPath(token)})
	if err != nil {
		s.error(w, r, err)
		return
	}
	noReferrer(w)
	s.render(w, r, http.StatusOK, "nattvandring_volunteers", v)
}

func (s *Server) nightRevokeLink(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	groupID, gok := s.nightGroupOfForm(r)
	if !ok || !gok {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Nattvandring.RevokeSignUpLink(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, fmt.Sprintf("/nattvandring/grupp/%d/frivilliga", groupID), "night_link_revoked")
}

// noReferrer keeps a page's address (with a token) out of the Referer of
// whatever it links to; no-store is every answer's default already, set
// again here so that a later change of the default cannot cache a token.
func noReferrer(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

// Day is the day (in Stockholm) of a time.
func (nightVolunteersData) Day(t *time.Time) trygg.Day { return trygg.DayOf(*t) }

type nightSelfData struct {
	nightCodes
	Page *nattvandring.VolunteerPage
	Path string // the form's action: the page's own address
}

func (s *Server) nightSelfView(r *http.Request) (view, error) {
	codes, err := s.nightCodes(r)
	if err != nil {
		return view{}, err
	}
	token := r.PathValue("token")
	page, err := s.cfg.Nattvandring.VolunteerPage(r.Context(), token)
	if err != nil {
		return view{}, err
	}
	return view{Title: "Anmälan till nattvandring", Data: nightSelfData{nightCodes: codes, Page: page, Path: nattvandring.SignUpLinkPath(token)}}, nil
}

func (s *Server) nightSelf(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	v, err := s.nightSelfView(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "nattvandring_self", v)
}

// nightSelfChange signs the volunteer up for a walk (action "anmal") or
// off it ("avanmal"); a refusal shows the page with the reason.
func (s *Server) nightSelfChange(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := r.PathValue("token")
	walkID, err := strconv.ParseInt(r.PostFormValue("walk"), 10, 64)
	if err != nil || walkID <= 0 {
		s.error(w, r, trygg.Errorf(trygg.EINVALID, "Välj en vandring."))
		return
	}
	var flash string
	switch r.PostFormValue("action") {
	case "anmal":
		err, flash = s.cfg.Nattvandring.SelfSignUp(r.Context(), token, walkID), "night_self_signed_up"
	case "avanmal":
		err, flash = s.cfg.Nattvandring.SelfCancelSignUp(r.Context(), token, walkID), "night_self_cancelled"
	default:
		err = trygg.Errorf(trygg.EINVALID, "Välj att anmäla dig eller avanmäla dig.")
	}
	if fields := trygg.ErrorFields(err); len(fields) > 0 {
		// The reason belongs to the walk's button.
		var v trygg.Validation
		for _, f := range fields {
			v.Add(fmt.Sprintf("walk-%d", walkID), "%s", f.Message)
		}
		err = v.Err()
	}
	s.answerPageForm(w, r, err, func(err error) {
		v, verr := s.nightSelfView(r)
		if verr != nil {
			s.error(w, r, verr)
			return
		}
		s.renderForm(w, r, "nattvandring_self", v, err)
	}, nattvandring.SignUpLinkPath(token), flash)
}
