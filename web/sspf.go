package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sspf"
)

// Early intervention (tidiga insatser, SSPF). The pages are for the
// coordinator (role sspf) and the team members (role sspf_medlem); the
// service also checks team membership and answers "not found" to everyone
// outside the case's team. Personal data never reaches a URL: a case is
// addressed by its opaque ref, a search by personnummer is a POST, and the
// only query values are a state and an access purpose's code.

var (
	sspfRoles       = []trygg.Role{trygg.RoleSSPF, trygg.RoleSSPFMember}
	sspfCoordinator = []trygg.Role{trygg.RoleSSPF}
	sspfStatsRoles  = []trygg.Role{trygg.RoleSSPF, trygg.RoleSamordnare, trygg.RoleLasare}
)

// CanSSPF and CanSSPFStats are the menu entries; the service checks again.
func (v view) CanSSPF() bool      { return v.User.Has(sspfRoles...) }
func (v view) CanSSPFStats() bool { return v.User.Has(sspfStatsRoles...) }

// IsSSPFCoordinator shows the coordinator's forms.
func (v view) IsSSPFCoordinator() bool { return v.User.Has(trygg.RoleSSPF) }

func (s *Server) sspfRoutes() []route {
	return []route{
		{pattern: "GET /tidiga-insatser", name: "sspf", roles: sspfRoles, handler: s.sspfList},
		{pattern: "POST /tidiga-insatser/sok", name: "sspf_search", roles: sspfRoles, handler: s.sspfSearch},
		{pattern: "GET /tidiga-insatser/ny", name: "sspf_new", roles: sspfCoordinator, handler: s.sspfNewForm},
		{pattern: "POST /tidiga-insatser/ny", name: "sspf_create", roles: sspfCoordinator, handler: s.sspfCreate},
		{pattern: "GET /tidiga-insatser/arenden/{ref}", name: "sspf_case", roles: sspfRoles, handler: s.sspfCase},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/dela", name: "sspf_share", roles: sspfRoles, handler: s.sspfShare},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/lage", name: "sspf_state", roles: sspfCoordinator, handler: s.sspfState},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/samtycke", name: "sspf_consent", roles: sspfCoordinator, handler: s.sspfConsent, maxBody: maxDocumentUpload},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/underskrift", name: "sspf_signature", roles: sspfCoordinator, handler: s.sspfSignature},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/samtycke/{id}/aterkalla", name: "sspf_withdraw", roles: sspfCoordinator, handler: s.sspfWithdraw},
		{pattern: "GET /tidiga-insatser/arenden/{ref}/samtycke/{id}/dokument", name: "sspf_document", roles: sspfCoordinator, handler: s.sspfDocument},
		{pattern: "POST /tidiga-insatser/arenden/{ref}/atgarder/{id}/klar", name: "sspf_action_done", roles: sspfRoles, handler: s.sspfActionDone},
		{pattern: "GET /tidiga-insatser/arenden/{ref}/atkomst", name: "sspf_access", roles: sspfCoordinator, handler: s.sspfAccess},
		{pattern: "GET /tidiga-insatser/moten", name: "sspf_meetings", roles: sspfRoles, handler: s.sspfMeetings},
		{pattern: "POST /tidiga-insatser/moten", name: "sspf_meeting_create", roles: sspfCoordinator, handler: s.sspfMeetingCreate},
		{pattern: "GET /tidiga-insatser/moten/{id}", name: "sspf_meeting", roles: sspfRoles, handler: s.sspfMeeting},
		{pattern: "POST /tidiga-insatser/moten/{id}/beslut", name: "sspf_decision", roles: sspfCoordinator, handler: s.sspfDecision},
		{pattern: "GET /tidiga-insatser/team", name: "sspf_teams", roles: sspfRoles, handler: s.sspfTeams},
		{pattern: "POST /tidiga-insatser/team", name: "sspf_team_create", roles: sspfCoordinator, handler: s.sspfTeamCreate},
		{pattern: "POST /tidiga-insatser/team/{id}/medlemmar", name: "sspf_team_member", roles: sspfCoordinator, handler: s.sspfTeamMember},
		{pattern: "GET /statistik/tidiga-insatser", name: "sspf_stats", roles: sspfStatsRoles, handler: s.sspfStats},
	}
}

// sspfCaseURL is a case's page, with the access purpose when given.
func sspfCaseURL(ref, purpose string) string {
	u := "/tidiga-insatser/arenden/" + url.PathEscape(ref)
	if purpose != "" {
		u += "?syfte=" + url.QueryEscape(purpose)
	}
	return u
}

type sspfListData struct {
	States  []trygg.Code
	State   string
	List    []*sspf.Summary
	Search  string
	Heading string
	Actions []*sspf.Action
}

func (s *Server) sspfList(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("lage")
	if state != "" && !trygg.HasCode(sspf.States, state) {
		s.notFound(w, r)
		return
	}
	list, err := s.cfg.SSPF.FindCases(r.Context(), sspf.Filter{State: state})
	if err != nil {
		s.error(w, r, err)
		return
	}
	actions, err := s.cfg.SSPF.FindActions(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	heading := "Öppna ärenden"
	if state != "" {
		heading = trygg.CodeLabel(sspf.States, state)
	}
	s.render(w, r, http.StatusOK, "sspf_list", view{Title: "Tidiga insatser (SSPF)", Nav: "sspf",
		Data: &sspfListData{States: sspf.States, State: state, List: list, Heading: heading, Actions: actions}})
}

// sspfSearch finds the cases about one young person; the number travels
// in the body of a POST, never in a URL.
func (s *Server) sspfSearch(w http.ResponseWriter, r *http.Request) {
	number := strings.TrimSpace(r.PostFormValue("youth_id"))
	d := &sspfListData{States: sspf.States, Search: number, Heading: "Sökresultat"}
	v := view{Title: "Tidiga insatser (SSPF)", Nav: "sspf", Data: d}
	if number == "" {
		s.renderForm(w, r, "sspf_list", v, &trygg.Error{Code: trygg.EINVALID, Message: "Skriv den ungas personnummer eller samordningsnummer.",
			Fields: []trygg.FieldError{{Field: "youth_id", Message: "Skriv ett nummer att söka på."}}})
		return
	}
	list, err := s.cfg.SSPF.FindCases(r.Context(), sspf.Filter{YouthID: number})
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.List = list
	s.render(w, r, http.StatusOK, "sspf_list", v)
}

// sspfCaseForm is "Nytt ärende", as typed.
type sspfCaseForm struct {
	YouthID, YouthName, Guardians, Reason, ReferringPart, Team, ReferredOn string
}

func sspfCaseFormFromValues(q url.Values) sspfCaseForm {
	return sspfCaseForm{YouthID: q.Get("youth_id"), YouthName: q.Get("youth_name"), Guardians: q.Get("guardians"),
		Reason: q.Get("reason"), ReferringPart: q.Get("referring_part"), Team: q.Get("team"), ReferredOn: q.Get("referred_on")}
}

// Validate parses the form into a checked sspf.Input.
func (f *sspfCaseForm) Validate(today trygg.Day) (sspf.Input, error) {
	var v trygg.Validation
	in := sspf.Input{YouthID: f.YouthID, YouthName: f.YouthName, Reason: f.Reason, ReferringPart: f.ReferringPart}
	in.Guardians, _ = strconv.Atoi(f.Guardians)
	in.TeamID, _ = strconv.ParseInt(f.Team, 10, 64)
	if d, err := trygg.ParseDay(strings.TrimSpace(f.ReferredOn)); err == nil {
		in.ReferredOn = d
	} else if strings.TrimSpace(f.ReferredOn) != "" {
		v.Add("referred_on", "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
	}
	return in, mergeFieldErrors(v, in.Validate(today))
}

type sspfFormData struct {
	Form  sspfCaseForm
	Teams []*sspf.Team
}

func (s *Server) sspfNewForm(w http.ResponseWriter, r *http.Request) {
	teams, err := s.cfg.SSPF.FindTeams(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := sspfCaseForm{ReferredOn: trygg.DayOf(s.now()).String(), Guardians: "2"}
	if len(teams) == 1 {
		f.Team = strconv.FormatInt(teams[0].ID, 10)
	}
	s.render(w, r, http.StatusOK, "sspf_form", view{Title: "Nytt SSPF-ärende", Nav: "sspf", Data: &sspfFormData{Form: f, Teams: teams}})
}

func (s *Server) sspfCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := sspfCaseFormFromValues(r.PostForm)
	in, err := f.Validate(trygg.DayOf(s.now()))
	var c *sspf.Case
	if err == nil {
		c, err = s.cfg.SSPF.CreateCase(r.Context(), in)
	}
	if err != nil {
		teams, terr := s.cfg.SSPF.FindTeams(r.Context())
		if terr != nil {
			s.error(w, r, terr)
			return
		}
		s.renderForm(w, r, "sspf_form", view{Title: "Nytt SSPF-ärende", Nav: "sspf", Data: &sspfFormData{Form: f, Teams: teams}}, err)
		return
	}
	s.redirectWithFlash(w, r, sspfCaseURL(c.Ref, ""), "sspf_saved")
}

// sspfConsentForm is the consent form, as typed.
type sspfConsentForm struct {
	Signed    []string
	Scope     []string
	Purpose   string
	GivenOn   string
	ExpiresOn string
}

func sspfConsentFormFromValues(q url.Values) sspfConsentForm {
	return sspfConsentForm{Signed: q["signed"], Scope: q["scope"], Purpose: q.Get("purpose"), GivenOn: q.Get("given_on"),
		ExpiresOn: q.Get("expires_on")}
}

// Validate parses the form into a checked sspf.ConsentInput for a case
// with guardians guardians.
func (f *sspfConsentForm) Validate(guardians, maxMonths int, today trygg.Day) (sspf.ConsentInput, error) {
	var v trygg.Validation
	in := sspf.ConsentInput{Signed: slices.Clone(f.Signed), Scope: slices.Clone(f.Scope), Purpose: f.Purpose}
	for _, p := range []struct {
		field, value string
		to           *trygg.Day
	}{{"given_on", f.GivenOn, &in.GivenOn}, {"expires_on", f.ExpiresOn, &in.ExpiresOn}} {
		if s := strings.TrimSpace(p.value); s != "" {
			d, err := trygg.ParseDay(s)
			if err != nil {
				v.Add(p.field, "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
				continue
			}
			*p.to = d
		}
	}
	return in, mergeFieldErrors(v, in.Validate(guardians, maxMonths, today))
}

// HasScope and HasSigned are for the checkboxes.
func (f sspfConsentForm) HasScope(code string) bool  { return slices.Contains(f.Scope, code) }
func (f sspfConsentForm) HasSigned(code string) bool { return slices.Contains(f.Signed, code) }

type sspfShareForm struct{ Info, Text, Ground string }

// sspfConsentView is one consent as its case page shows it.
type sspfConsentView struct {
	*sspf.Consent
	Status      string
	MissingText string
	CanSign     []trygg.Code // signatures still to add
}

type sspfCaseData struct {
	C            *sspf.Case
	Purpose      string
	Consents     []sspfConsentView
	OwnNeeded    bool // the young person is 15 or older today
	FifteenOn    trygg.Day
	Sharable     bool // some consent is valid today
	Part         string
	Grounds      []sspf.LegalGround
	ConsentForm  sspfConsentForm
	ShareForm    sspfShareForm
	Next         []trygg.Code // the states the case may move to
	Coordinator  bool
	Today        trygg.Day
	ScopeOptions []sspf.ScopeItem
	Validity     int
	GroundLinks  map[string]string
}

// sspfCaseView reads a case for its page.
func (s *Server) sspfCaseView(r *http.Request, purpose string) (view, error) {
	c, err := s.cfg.SSPF.FindCase(r.Context(), r.PathValue("ref"), purpose)
	if err != nil {
		return view{}, err
	}
	u := trygg.UserFromContext(r.Context())
	today := trygg.DayOf(s.now())
	birth := c.Birth()
	d := &sspfCaseData{C: c, Purpose: purpose, OwnNeeded: sspf.OwnConsentNeeded(birth, today), FifteenOn: sspf.FifteenOn(birth),
		Grounds: s.cfg.SSPF.LegalGrounds(), Coordinator: u.Has(trygg.RoleSSPF), Today: today,
		ConsentForm: sspfConsentForm{GivenOn: today.String(), Purpose: sspf.Purposes[0].Code}, Validity: s.cfg.SSPF.ValidityMonths(),
		GroundLinks: map[string]string{}}
	if u.Org != nil {
		d.Part, _ = sspf.PartOf(u.Org.Type)
	}
	for _, g := range d.Grounds {
		if g.Link != "" {
			d.GroundLinks[g.Code.Code] = g.Link
		}
	}
	for _, k := range c.Consents {
		cv := sspfConsentView{Consent: k, Status: k.Status(c.Guardians, birth, today)}
		cv.MissingText = sspf.MissingText(k.Missing(c.Guardians, birth, today), birth)
		if cv.Status == sspf.ConsentValid {
			d.Sharable = true
		}
		if k.WithdrawnOn == 0 {
			for _, signer := range sspf.Required(c.Guardians, birth, today) {
				if !slices.ContainsFunc(k.Signed, func(s sspf.Signature) bool { return s.Signer == signer }) {
					cv.CanSign = append(cv.CanSign, trygg.Code{Code: signer, Label: trygg.CodeLabel(sspf.Signers, signer)})
				}
			}
		}
		d.Consents = append(d.Consents, cv)
	}
	for _, st := range sspf.States {
		if sspf.NextState(c.State, st.Code) {
			d.Next = append(d.Next, st)
		}
	}
	for _, p := range sspf.Parts {
		for _, i := range sspf.InfoTypes {
			d.ScopeOptions = append(d.ScopeOptions, sspf.ScopeItem{Part: p.Code, Info: i.Code})
		}
	}
	return view{Title: "SSPF-ärende " + strings.ToUpper(c.Ref[:6]), Nav: "sspf", Data: d}, nil
}

func knownSSPFPurpose(p string) string {
	if trygg.HasCode(sspf.AccessPurposes, p) {
		return p
	}
	return ""
}

func (s *Server) sspfCase(w http.ResponseWriter, r *http.Request) {
	v, err := s.sspfCaseView(r, knownSSPFPurpose(r.URL.Query().Get("syfte")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "sspf_case", v)
}

// sspfCaseAnswer answers a form post on a case page: a redirect when it
// worked, else the page with the error and what was typed.
func (s *Server) sspfCaseAnswer(w http.ResponseWriter, r *http.Request, err error, flash string, keep func(*sspfCaseData)) {
	purpose := knownSSPFPurpose(r.PostFormValue("syfte"))
	if err == nil {
		s.redirectWithFlash(w, r, sspfCaseURL(r.PathValue("ref"), purpose), flash)
		return
	}
	code := trygg.ErrorCode(err)
	if code != trygg.EINVALID && code != sspf.ESCOPE {
		s.error(w, r, err)
		return
	}
	v, verr := s.sspfCaseView(r, purpose)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	if keep != nil {
		keep(v.Data.(*sspfCaseData))
	}
	if code == sspf.ESCOPE {
		// A refusal is an answer to show, not an invalid form.
		err = &trygg.Error{Code: trygg.EINVALID, Message: "Uppgiften delades inte. " + trygg.ErrorMessage(err), Fields: trygg.ErrorFields(err)}
	}
	s.renderForm(w, r, "sspf_case", v, err)
}

func (s *Server) sspfShare(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := sspfShareForm{Info: r.PostForm.Get("info"), Text: r.PostForm.Get("text"), Ground: r.PostForm.Get("ground")}
	_, err := s.cfg.SSPF.ShareInfo(r.Context(), r.PathValue("ref"), sspf.ShareInput{Info: f.Info, Text: f.Text, Ground: f.Ground})
	s.sspfCaseAnswer(w, r, err, "sspf_shared", func(d *sspfCaseData) { d.ShareForm = f })
}

func (s *Server) sspfState(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	_, err := s.cfg.SSPF.SetState(r.Context(), r.PathValue("ref"), sspf.StateInput{State: r.PostForm.Get("state"), Outcome: r.PostForm.Get("outcome")})
	s.sspfCaseAnswer(w, r, err, "sspf_state_saved", nil)
}

func (s *Server) sspfConsent(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(maxDocumentUpload); err != nil {
		s.error(w, r, err)
		return
	}
	f := sspfConsentFormFromValues(r.PostForm)
	c, err := s.cfg.SSPF.FindCase(r.Context(), r.PathValue("ref"), knownSSPFPurpose(r.PostForm.Get("syfte")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, err := f.Validate(c.Guardians, s.cfg.SSPF.ValidityMonths(), trygg.DayOf(s.now()))
	content, name, ferr := formFile(r, "document", "Välj det undertecknade samtycket: PDF, JPEG eller PNG.")
	if ferr != nil {
		err = mergeFieldErrors(trygg.Validation{Fields: trygg.ErrorFields(err)}, ferr)
	}
	if err == nil {
		_, err = s.cfg.SSPF.AddConsent(r.Context(), c.Ref, in, name, content)
	}
	s.sspfCaseAnswer(w, r, err, "sspf_consent_saved", func(d *sspfCaseData) { d.ConsentForm = f })
}

// consentID is the {id} of the path: a consent's or an action's.
func consentID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

func (s *Server) sspfActionDone(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.cfg.SSPF.SetActionDone(r.Context(), r.PathValue("ref"), consentID(r))
	s.sspfCaseAnswer(w, r, err, "sspf_action_done", nil)
}

func (s *Server) sspfSignature(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	_, err := s.cfg.SSPF.AddSignature(r.Context(), r.PathValue("ref"), consentID(r), r.PostForm.Get("signer"))
	s.sspfCaseAnswer(w, r, err, "sspf_signature_saved", nil)
}

func (s *Server) sspfWithdraw(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	_, err := s.cfg.SSPF.WithdrawConsent(r.Context(), r.PathValue("ref"), consentID(r))
	s.sspfCaseAnswer(w, r, err, "sspf_withdrawn", nil)
}

// sspfDocument sends the signed consent as a download, under a name that
// holds no personal data.
func (s *Server) sspfDocument(w http.ResponseWriter, r *http.Request) {
	_, kind, content, err := s.cfg.SSPF.ConsentDocument(r.Context(), r.PathValue("ref"), consentID(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	ext := map[string]string{trygg.ContentPDF: "pdf", trygg.ContentJPEG: "jpg", trygg.ContentPNG: "png"}[kind]
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Content-Disposition", `attachment; filename="samtycke-`+strconv.FormatInt(consentID(r), 10)+`.`+ext+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(content)
}

type sspfAccessData struct {
	Ref string
	Log []*sspf.Access
}

func (s *Server) sspfAccess(w http.ResponseWriter, r *http.Request) {
	log, err := s.cfg.SSPF.FindAccessLog(r.Context(), r.PathValue("ref"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "sspf_access", view{Title: "Vem har sett vad", Nav: "sspf", Data: sspfAccessData{Ref: r.PathValue("ref"), Log: log}})
}

type sspfMeetingsData struct {
	Meetings []*sspf.Meeting
	Teams    []*sspf.Team
	Team     string
	Day      string
}

func (s *Server) sspfMeetingsPage(w http.ResponseWriter, r *http.Request, d *sspfMeetingsData, err error) {
	var lerr error
	if d.Meetings, lerr = s.cfg.SSPF.FindMeetings(r.Context()); lerr == nil {
		d.Teams, lerr = s.cfg.SSPF.FindTeams(r.Context())
	}
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	s.renderForm(w, r, "sspf_meetings", view{Title: "SSPF-teammöten", Nav: "sspf_meetings", Data: d}, err)
}

func (s *Server) sspfMeetings(w http.ResponseWriter, r *http.Request) {
	s.sspfMeetingsPage(w, r, &sspfMeetingsData{Day: trygg.DayOf(s.now()).String()}, nil)
}

func (s *Server) sspfMeetingCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	d := &sspfMeetingsData{Team: r.PostForm.Get("team"), Day: r.PostForm.Get("day")}
	team, _ := strconv.ParseInt(d.Team, 10, 64)
	day, err := trygg.ParseDay(strings.TrimSpace(d.Day))
	var m *sspf.Meeting
	if err != nil {
		err = fieldErr("day", "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
	} else {
		m, err = s.cfg.SSPF.CreateMeeting(r.Context(), team, day)
	}
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.sspfMeetingsPage(w, r, d, err)
		return
	}
	s.redirectWithFlash(w, r, "/tidiga-insatser/moten/"+strconv.FormatInt(m.ID, 10), "meeting_saved")
}

func fieldErr(field, msg string) error {
	return &trygg.Error{Code: trygg.EINVALID, Message: msg, Fields: []trygg.FieldError{{Field: field, Message: msg}}}
}

type sspfMeetingData struct {
	M    *sspf.Meeting
	Form sspf.ActionInput
	Due  string
}

func (s *Server) sspfMeetingPage(w http.ResponseWriter, r *http.Request, form sspf.ActionInput, due string, err error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, merr := s.cfg.SSPF.FindMeeting(r.Context(), id)
	if merr != nil {
		s.error(w, r, merr)
		return
	}
	if due == "" {
		due = (m.Day + 30).String()
	}
	s.renderForm(w, r, "sspf_meeting", view{Title: "Teammöte " + m.TeamName + " " + m.Day.String(), Nav: "sspf_meetings",
		Data: &sspfMeetingData{M: m, Form: form, Due: due}}, err)
}

func (s *Server) sspfMeeting(w http.ResponseWriter, r *http.Request) {
	s.sspfMeetingPage(w, r, sspf.ActionInput{}, "", nil)
}

func (s *Server) sspfDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	in := sspf.ActionInput{CaseRef: r.PostForm.Get("case"), Title: r.PostForm.Get("title"), OwnerPart: r.PostForm.Get("owner")}
	due := r.PostForm.Get("deadline")
	var err error
	if d, perr := trygg.ParseDay(strings.TrimSpace(due)); perr == nil {
		in.Deadline = d
		_, err = s.cfg.SSPF.AddAction(r.Context(), id, in)
	} else {
		err = fieldErr("deadline", "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
	}
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.sspfMeetingPage(w, r, in, due, err)
		return
	}
	s.redirectWithFlash(w, r, "/tidiga-insatser/moten/"+strconv.FormatInt(id, 10), "decision_saved")
}

type sspfTeamsData struct {
	Teams []*sspf.Team
	Areas []*trygg.Area
	Name  string
	Area  string
}

func (s *Server) sspfTeamsPage(w http.ResponseWriter, r *http.Request, d *sspfTeamsData, err error) {
	var lerr error
	if d.Teams, lerr = s.cfg.SSPF.FindTeams(r.Context()); lerr == nil {
		d.Areas, lerr = s.cfg.Areas.FindAreas(r.Context())
	}
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	s.renderForm(w, r, "sspf_teams", view{Title: "SSPF-team", Nav: "sspf_teams", Data: d}, err)
}

func (s *Server) sspfTeams(w http.ResponseWriter, r *http.Request) {
	s.sspfTeamsPage(w, r, &sspfTeamsData{}, nil)
}

func (s *Server) sspfTeamCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	d := &sspfTeamsData{Name: r.PostForm.Get("name"), Area: r.PostForm.Get("area")}
	_, err := s.cfg.SSPF.CreateTeam(r.Context(), d.Name, d.Area)
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.sspfTeamsPage(w, r, d, err)
		return
	}
	s.redirectWithFlash(w, r, "/tidiga-insatser/team", "sspf_team_saved")
}

func (s *Server) sspfTeamMember(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := s.cfg.SSPF.SetMember(r.Context(), id, r.PostForm.Get("email"), r.PostForm.Get("remove") == "")
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		s.sspfTeamsPage(w, r, &sspfTeamsData{}, err)
		return
	}
	s.redirectWithFlash(w, r, "/tidiga-insatser/team", "sspf_team_saved")
}

func (s *Server) sspfStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.SSPF.Stats(r.Context(), trygg.DayOf(s.now()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "sspf_stats", view{Title: "Statistik: tidiga insatser (SSPF)", Nav: "sspf_stats", Data: st})
}

// sspfTemplateFuncs are the SSPF pages' template helpers.
func sspfTemplateFuncs() map[string]any {
	return map[string]any{
		"sspfStates":        func() []trygg.Code { return sspf.States },
		"sspfReasons":       func() []trygg.Code { return sspf.Reasons },
		"sspfParts":         func() []trygg.Code { return sspf.Parts },
		"sspfInfoTypes":     func() []trygg.Code { return sspf.InfoTypes },
		"sspfSigners":       func() []trygg.Code { return sspf.Signers },
		"sspfPurposes":      func() []trygg.Code { return sspf.Purposes },
		"sspfOutcomes":      func() []trygg.Code { return sspf.Outcomes },
		"sspfAccessPurpose": func() []trygg.Code { return sspf.AccessPurposes },
		"sspfStateLabel":    func(c string) string { return trygg.CodeLabel(sspf.States, c) },
		"sspfReasonLabel":   func(c string) string { return trygg.CodeLabel(sspf.Reasons, c) },
		"sspfPartLabel":     func(c string) string { return trygg.CodeLabel(sspf.Parts, c) },
		"sspfInfoLabel":     func(c string) string { return trygg.CodeLabel(sspf.InfoTypes, c) },
		"sspfSignerLabel":   func(c string) string { return trygg.CodeLabel(sspf.Signers, c) },
		"sspfPurposeLabel":  func(c string) string { return trygg.CodeLabel(sspf.Purposes, c) },
		"sspfOutcomeLabel":  func(c string) string { return trygg.CodeLabel(sspf.Outcomes, c) },
		"sspfConsentLabel":  func(c string) string { return trygg.CodeLabel(sspf.ConsentStatuses, c) },
		"sspfLower":         strings.ToLower,
		"groundCodes":       sspf.GroundCodes,
		"sspfYouthID": func(c *sspf.Case) string {
			if len(c.YouthID) != 12 {
				return c.YouthID
			}
			return c.YouthID[:8] + "-" + c.YouthID[8:]
		},
	}
}
