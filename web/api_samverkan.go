package web

import (
	"net/http"

	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/samverkan"
)

// The token read API for the collaboration (issue 13): actions, agreements
// and meetings, with the role rule of their pages (samverkanReaders) at the
// route and the services' own checks behind it, so that a caller reads
// through the API exactly what the pages show them; a forbidden object is
// 404.

// apiAction is an action with its dates written as dates.
type apiAction struct {
	*samverkan.Action
	Start    string `json:"start"`
	Deadline string `json:"deadline"`
}

type apiAgreement struct {
	*samverkan.Agreement
	From     string `json:"from"`
	To       string `json:"to"`
	SignedOn string `json:"signed_on,omitempty"`
}

type apiMeeting struct {
	*samverkan.Meeting
	Day string `json:"day"`
}

func actionOut(a *samverkan.Action) apiAction {
	return apiAction{Action: a, Start: a.Start.String(), Deadline: a.Deadline.String()}
}

func agreementOut(a *samverkan.Agreement) apiAgreement {
	out := apiAgreement{Agreement: a, From: a.From.String(), To: a.To.String()}
	if a.SignedOn != nil {
		out.SignedOn = a.SignedOn.String()
	}
	return out
}

func meetingOut(m *samverkan.Meeting) apiMeeting { return apiMeeting{Meeting: m, Day: m.Day.String()} }

func (s *Server) apiListActions(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Actions.FindActions(r.Context(), samverkan.ActionFilter{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiAction, 0, len(list))
	for _, a := range list {
		out = append(out, actionOut(a))
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

func (s *Server) apiGetAction(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.cfg.Actions.FindActionByID(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, actionOut(a))
}

func (s *Server) apiListAgreements(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Agreements.FindAgreements(r.Context(), samverkan.AgreementFilter{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiAgreement, 0, len(list))
	for _, a := range list {
		out = append(out, agreementOut(a))
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

func (s *Server) apiGetAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.cfg.Agreements.FindAgreementByID(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, agreementOut(a))
}

func (s *Server) apiListMeetings(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Meetings.FindMeetings(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiMeeting, 0, len(list))
	for _, m := range list {
		out = append(out, meetingOut(m))
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

func (s *Server) apiGetMeeting(w http.ResponseWriter, r *http.Request) {
	id, err := reportIDParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := s.cfg.Meetings.FindMeetingByID(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, meetingOut(m))
}

// apiOperationStats is the joint operations' statistics: exact for polis
// and socialtjänst, published by the rule of disclose for samordnare and
// läsare (Stats decides), never single operations.
type apiOperationStats struct {
	Exact      bool        `json:"exact"`
	Months     []openCount `json:"months"`
	Years      []openCount `json:"years"`
	ByDistrict []openCount `json:"by_district"`
	ByRole     []openCount `json:"contacts_by_role"`
	Contacts   openCount   `json:"contacts"`
}

// apiOperationStatsGet answers the statistics of /statistik/operativ.
func (s *Server) apiOperationStatsGet(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Operations.Stats(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := apiOperationStats{Exact: st.Exact, Months: openCounts(st.Months), Years: openCounts(st.Years),
		ByDistrict: openCounts(st.ByDistrict), ByRole: openCounts(st.ByRole), Contacts: openCounts([]disclose.Count{st.Contacts})[0]}
	s.apiJSON(w, r, http.StatusOK, out)
}
