package web

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
)

// Operativ samverkan: joint operations against the sex trade. Polis,
// socialtjänst and arbetsledare record operations, contacts, support and
// referrals; samordnare and läsare see the statistics only. The staff of a
// receiving service (for example the KAST reception) have a reception page,
// /operativ/mottagning, where they confirm a first contact by its referral
// code. See docs/operativ.md.

var (
	operativRoles      = []trygg.Role{trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare}
	operativStatsRoles = []trygg.Role{trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare, trygg.RoleSamordnare, trygg.RoleLasare}
	// A receiving service's staff may hold any of these; the handler
	// answers "not found" unless their organisation receives a service.
	receiverRoles = []trygg.Role{trygg.RoleRapportor, trygg.RolePolis, trygg.RoleSocialtjanst, trygg.RoleArbetsledare}
)

// CanOperativ and CanOperativStats are the menu entries.
func (v view) CanOperativ() bool      { return v.User.Has(operativRoles...) }
func (v view) CanOperativStats() bool { return v.User.Has(operativStatsRoles...) }

// operativRoutes are operativ samverkan's rows of the route table.
func (s *Server) operativRoutes() []route {
	return append([]route{
		{pattern: "GET /operativ", name: "operativ", roles: operativRoles, handler: s.operationList},
		{pattern: "GET /operativ/ny", name: "operativ_new", roles: operativRoles, handler: s.newOperationForm},
		{pattern: "POST /operativ/ny", name: "operativ_create", roles: operativRoles, handler: s.createOperation},
		{pattern: "GET /operativ/{id}", name: "operativ_operation", roles: operativRoles, handler: s.operationDetail},
		{pattern: "POST /operativ/{id}/kontakter", name: "operativ_contact", roles: operativRoles, handler: s.addContact},
		{pattern: "POST /operativ/{id}/kontakter/{contact}/stod", name: "operativ_support", roles: operativRoles, handler: s.setSupport},
		{pattern: "POST /operativ/{id}/kontakter/{contact}/remiss", name: "operativ_referral", roles: operativRoles, handler: s.createReferral},
		{pattern: "POST /operativ/{id}/remisser/{ref}/steg", name: "operativ_referral_step", roles: operativRoles, handler: s.advanceReferral},
		{pattern: "GET /operativ/uppgifter", name: "operativ_tasks", roles: operativRoles, handler: s.operativTasks},
		{pattern: "GET /operativ/uppgifter/{id}/orosanmalan", name: "operativ_task_concern", roles: concernRoles, handler: s.taskConcernForm},
		{pattern: "POST /operativ/uppgifter/{id}/klar", name: "operativ_task_done", roles: operativRoles, handler: s.completeTask},
		{pattern: "GET /operativ/mottagning", name: "operativ_reception", roles: receiverRoles, handler: s.confirmForm},
		// The confirmation form's own address shows the reception page too.
		{pattern: "GET /operativ/bekrafta", name: "operativ_confirm_form", roles: receiverRoles, handler: s.confirmForm},
		{pattern: "POST /operativ/bekrafta", name: "operativ_confirm", roles: receiverRoles, handler: s.confirmFirstContact},
		{pattern: "GET /statistik/operativ", name: "operativ_stats", roles: operativStatsRoles, handler: s.operativStats},
	}, slices.Concat(s.adRoutes(), s.kastRoutes(), s.routineRoutes())...)
}

// contactSlots is how many contacts the new-operation form offers; an
// empty slot is left out.
const contactSlots = 4

// contactForm is one contact as typed.
type contactForm struct {
	Role, AgeBand, Language, Support string
	Minor, Offered, Accepted         bool
}

func contactFormFrom(q url.Values, prefix string) contactForm {
	return contactForm{Role: q.Get(prefix + "role"), AgeBand: q.Get(prefix + "age_band"), Language: q.Get(prefix + "language"),
		Support: q.Get(prefix + "support"), Minor: q.Get(prefix+"suspected_minor") == "1",
		Offered: q.Get(prefix+"support_offered") == "1", Accepted: q.Get(prefix+"support_accepted") == "1"}
}

func (f contactForm) empty() bool {
	return f.Role == "" && f.AgeBand == "" && f.Language == "" && f.Support == "" && !f.Minor && !f.Offered && !f.Accepted
}

func (f contactForm) input() operativ.ContactInput {
	return operativ.ContactInput{Role: f.Role, AgeBand: f.AgeBand, SuspectedMinor: f.Minor, Language: f.Language,
		SupportInput: operativ.SupportInput{Offered: f.Offered, Accepted: f.Accepted, What: f.Support}}
}

// operationForm is "Ny insats" as typed.
type operationForm struct {
	At, Area, PlaceType, Type, Routine, Note string
	Participants                             map[string]bool
	Staff                                    map[string]string
	SocialServices                           bool
	Checks                                   map[string]bool
	Contacts                                 []contactForm
}

func operationFormFrom(q url.Values) operationForm {
	f := operationForm{At: q.Get("at"), Area: q.Get("area"), PlaceType: swedishSlug(q.Get("place_type")), Type: q.Get("type"),
		Routine: q.Get("routine"), Note: q.Get("note"), SocialServices: q.Get("social_services") == "1",
		Participants: map[string]bool{}, Staff: map[string]string{}, Checks: map[string]bool{}}
	for _, code := range q["participants"] {
		f.Participants[code] = true
		f.Staff[code] = q.Get("staff_" + code)
	}
	for _, c := range operativ.ChecklistItems {
		f.Checks[c.Code] = q.Get(c.Code) == "1"
	}
	for i := range contactSlots {
		f.Contacts = append(f.Contacts, contactFormFrom(q, operativ.ContactPrefix(i)))
	}
	return f
}

// Validate parses the form; slots left empty are not contacts.
func (s *Server) validateOperation(f operationForm) (operativ.OperationInput, error) {
	var v trygg.Validation
	in := operativ.OperationInput{AreaCode: f.Area, PlaceType: f.PlaceType, Type: f.Type, Note: f.Note, SocialServices: f.SocialServices,
		Checklist: operativ.Checklist{InformedInAdvance: f.Checks["informed_in_advance"], SupportOfferedAll: f.Checks["support_offered_all"],
			InterpreterNeeded: f.Checks["interpreter_needed"], InterpreterAvailable: f.Checks["interpreter_available"],
			TraffickingSigns: f.Checks["trafficking_signs"], SuspectedMinor: f.Checks["suspected_minor"]}}
	if t, ok := parseLocalTime(strings.TrimSpace(f.At), trygg.Stockholm); ok {
		in.At = t
	} else if f.At != "" {
		v.Add("at", "Tidpunkten ska skrivas som ÅÅÅÅ-MM-DD TT:MM.")
	}
	in.RoutineID, _ = strconv.ParseInt(f.Routine, 10, 64)
	for _, code := range slices.Sorted(maps.Keys(f.Participants)) {
		staff, err := strconv.Atoi(strings.TrimSpace(f.Staff[code]))
		if err != nil {
			v.Add("staff_"+code, "Ange hur många personer organisationen deltog med, som en siffra.")
			staff = 1
		}
		in.Participants = append(in.Participants, operativ.Participant{OrgCode: code, Staff: staff})
	}
	for _, c := range f.Contacts {
		if !c.empty() {
			in.Contacts = append(in.Contacts, c.input())
		}
	}
	return in, mergeFieldErrors(v, in.Validate(s.now()))
}

type operationFormData struct {
	operativCodes
	Form     operationForm
	Areas    []*trygg.Area
	Orgs     []*trygg.Organisation
	Routines []*operativ.Routine
}

func (s *Server) operationFormData(r *http.Request, f operationForm) (*operationFormData, error) {
	d := &operationFormData{Form: f}
	var err error
	if d.Areas, err = s.cfg.Areas.FindAreas(r.Context()); err != nil {
		return nil, err
	}
	orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
	if err != nil {
		return nil, err
	}
	// Police, social services and the municipality take part in
	// operations; other partners are not offered.
	for _, o := range orgs {
		if o.Type == trygg.OrgPolice || o.Type == trygg.OrgSocialServices || o.Type == trygg.OrgMunicipal {
			d.Orgs = append(d.Orgs, o)
		}
	}
	d.Routines, err = s.cfg.Routines.FindRoutines(r.Context())
	return d, err
}

func (s *Server) newOperationForm(w http.ResponseWriter, r *http.Request) {
	f := operationFormFrom(url.Values{})
	f.At = s.now().In(trygg.Stockholm).Format(datetimeLocal)
	if u := trygg.UserFromContext(r.Context()); u != nil && u.Org != nil {
		f.Participants[u.Org.Code], f.Staff[u.Org.Code] = true, "1"
	}
	d, err := s.operationFormData(r, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(d.Routines) > 0 {
		d.Form.Routine = strconv.FormatInt(d.Routines[0].ID, 10)
	}
	s.render(w, r, http.StatusOK, "operativ_form", view{Title: "Ny insats", Nav: "operativ_new", Data: d})
}

func (s *Server) createOperation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := operationFormFrom(r.PostForm)
	in, err := s.validateOperation(f)
	var op *operativ.Operation
	if err == nil {
		op, err = s.cfg.Operations.CreateOperation(r.Context(), in)
	}
	if err != nil {
		d, derr := s.operationFormData(r, f)
		if derr != nil {
			s.error(w, r, derr)
			return
		}
		s.renderForm(w, r, "operativ_form", view{Title: "Ny insats", Nav: "operativ_new", Data: d}, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/operativ/%d", op.ID), http.StatusSeeOther)
}

type operationListData struct {
	operativCodes
	Operations []*operativ.Operation
	OpenTasks  int
	Areas      []*trygg.Area
	Years      []int
	Area, Year string // the filter as chosen
}

// operationList lists the operations, newest first, filtered by the query
// values omrade (a district code) and ar (a year); anything unknown is
// ignored.
func (s *Server) operationList(w http.ResponseWriter, r *http.Request) {
	d := &operationListData{Area: r.URL.Query().Get("omrade"), Year: r.URL.Query().Get("ar")}
	f := operativ.OperationFilter{AreaCode: d.Area}
	thisYear := s.now().In(trygg.Stockholm).Year()
	for y := thisYear; y >= 2018; y-- {
		d.Years = append(d.Years, y)
	}
	if y, err := strconv.Atoi(d.Year); err == nil && slices.Contains(d.Years, y) {
		f.From, f.To = trygg.DateDay(y, 1, 1), trygg.DateDay(y, 12, 31)
	}
	var err error
	if d.Areas, err = s.cfg.Areas.FindAreas(r.Context()); err == nil {
		d.Operations, err = s.cfg.Operations.FindOperations(r.Context(), f)
	}
	var tasks []*operativ.Task
	if err == nil {
		tasks, err = s.cfg.Operations.FindOpenTasks(r.Context())
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.OpenTasks = len(tasks)
	s.render(w, r, http.StatusOK, "operativ_list", view{Title: "Operativ samverkan", Nav: "operativ", Data: d})
}

// pathID reads a numeric path value; anything else is "not found".
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

type operationData struct {
	operativCodes
	Op       *operativ.Operation
	Services []*operativ.SupportService
	Today    string
	Contact  contactForm // the add-contact form as typed
}

func (s *Server) operationView(r *http.Request, id int64) (view, error) {
	op, err := s.cfg.Operations.FindOperationByID(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	services, err := s.cfg.Routines.FindSupportServices(r.Context())
	if err != nil {
		return view{}, err
	}
	return view{Title: fmt.Sprintf("Insats %s, %s", op.At.In(trygg.Stockholm).Format("2006-01-02"), op.AreaName), Nav: "operativ",
		Data: &operationData{Op: op, Services: services, Today: trygg.DayOf(s.now()).String()}}, nil
}

func (s *Server) operationDetail(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	v, err := s.operationView(r, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "operativ_operation", v)
}

// operationChange runs change for a post on an operation's page, then
// returns to the page, or shows it again with the error. The page has a
// form per contact and referral; ids maps the error's field names to the
// ids of that form's controls, so that the error summary leads there. With
// no ids the post was the add-contact form, which shows what was typed.
func (s *Server) operationChange(w http.ResponseWriter, r *http.Request, ids map[string]string, change func(id int64) error) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	err := change(id)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/operativ/%d", id), http.StatusSeeOther)
		return
	}
	if trygg.ErrorCode(err) != trygg.EINVALID {
		s.error(w, r, err)
		return
	}
	v, verr := s.operationView(r, id)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	if ids == nil {
		v.Data.(*operationData).Contact = contactFormFrom(r.PostForm, "")
	}
	s.renderForm(w, r, "operativ_operation", v, renameFields(err, ids))
}

// renameFields returns a field error whose field names are mapped by ids
// (a name not in ids stays), for a page with several forms whose controls
// need ids of their own.
func renameFields(err error, ids map[string]string) error {
	fields := slices.Clone(trygg.ErrorFields(err))
	for i, f := range fields {
		if id, ok := ids[f.Field]; ok {
			fields[i].Field = id
		}
	}
	return &trygg.Error{Code: trygg.EINVALID, Message: trygg.ErrorMessage(err), Fields: fields}
}

func (s *Server) addContact(w http.ResponseWriter, r *http.Request) {
	s.operationChange(w, r, nil, func(id int64) error {
		_, err := s.cfg.Operations.AddContact(r.Context(), id, contactFormFrom(r.PostForm, "").input())
		return err
	})
}

func (s *Server) setSupport(w http.ResponseWriter, r *http.Request) {
	c := r.PathValue("contact")
	s.operationChange(w, r, map[string]string{"support_accepted": "support_accepted-" + c, "support": "support-" + c}, func(int64) error {
		cid, ok := pathID(r, "contact")
		if !ok {
			return trygg.NotFound()
		}
		c := contactFormFrom(r.PostForm, "")
		return s.cfg.Operations.SetSupport(r.Context(), cid, c.input().SupportInput)
	})
}

// formDay reads a posted date field; a bad one is a field error.
func formDay(r *http.Request, field string) (trygg.Day, error) {
	return parseFormDay(field, r.PostFormValue(field))
}

// parseFormDay reads a date as typed in field; a bad one is a field error.
func parseFormDay(field, value string) (trygg.Day, error) {
	d, err := trygg.ParseDay(strings.TrimSpace(value))
	if err != nil {
		var v trygg.Validation
		v.Add(field, "Datumet ska skrivas som ÅÅÅÅ-MM-DD.")
		return 0, v.Err()
	}
	return d, nil
}

func (s *Server) createReferral(w http.ResponseWriter, r *http.Request) {
	c := r.PathValue("contact")
	s.operationChange(w, r, map[string]string{"service": "service-" + c, "day": "refday-" + c}, func(int64) error {
		cid, ok := pathID(r, "contact")
		if !ok {
			return trygg.NotFound()
		}
		day, err := formDay(r, "day")
		if err != nil {
			return err
		}
		_, err = s.cfg.Referrals.CreateReferral(r.Context(), cid, r.PostFormValue("service"), day, r.PostFormValue("accepted") == "1")
		return err
	})
}

func (s *Server) advanceReferral(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	s.operationChange(w, r, map[string]string{"status": "status-" + ref, "day": "day-" + ref}, func(int64) error {
		rid, ok := pathID(r, "ref")
		if !ok {
			return trygg.NotFound()
		}
		day, err := formDay(r, "day")
		if err != nil {
			return err
		}
		return s.cfg.Referrals.AdvanceReferral(r.Context(), rid, r.PostFormValue("status"), day)
	})
}

type tasksData struct {
	operativCodes
	Tasks []*operativ.Task
}

func (s *Server) operativTasks(w http.ResponseWriter, r *http.Request) {
	tasks, err := s.cfg.Operations.FindOpenTasks(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "operativ_tasks", view{Title: "Uppgifter efter insatser", Nav: "operativ", Data: &tasksData{Tasks: tasks}})
}

// taskConcernForm opens "Ny orosanmälan" in the social-services register,
// filled in from a report-of-concern task: when, what kind of concern, and
// a description that names the operation but no person. The task travels
// in a hidden field, and registering the report completes it. Any other
// kind of task has no such form.
func (s *Server) taskConcernForm(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	t, err := s.cfg.Operations.FindTask(r.Context(), id)
	if err == nil && t.Kind != operativ.TaskConcern {
		err = trygg.NotFound()
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := concernForm{
		ReceivedAt: s.now().In(trygg.Stockholm).Format(datetimeLocal), Channel: "besok", ReporterCategory: "polis",
		ReporterMandatory: true, Categories: []string{"sexuell_exploatering"},
		Description: fmt.Sprintf("Misstänkt minderårig påträffad vid gemensam insats mot sexhandel %s i %s (insats %d, uppgift %d). "+
			"Anmälan ska göras omedelbart enligt rutinen för operativ samverkan.",
			t.OperationAt.In(trygg.Stockholm).Format("2006-01-02 15:04"), t.AreaName, t.OperationID, t.ID),
		Task: strconv.FormatInt(t.ID, 10),
	}
	s.render(w, r, http.StatusOK, "concern_form", view{Title: "Ny orosanmälan", Nav: "concern_new", Data: &concernFormData{Form: f}})
}

func (s *Server) completeTask(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Operations.CompleteTask(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/operativ/uppgifter", http.StatusSeeOther)
}

// confirmData is the reception page: the services the organisation
// receives, the form that confirms a first contact, and for the KAST
// reception the way to its log.
type confirmData struct {
	operativCodes
	Services  []*operativ.SupportService
	Code, Day string
	Confirmed *operativ.Referral
}

// Kast reports whether the organisation receives KAST and so keeps the
// reception log.
func (d *confirmData) Kast() bool {
	return slices.ContainsFunc(d.Services, func(sv *operativ.SupportService) bool { return sv.Kind == "kast" })
}

// receivesServices reports whether the signed-in user's organisation
// receives a support service: the user then has the menu entry
// Mottagning and starts from that page. A failed look-up leaves the
// entry out and is logged; the pages report it themselves.
func (s *Server) receivesServices(r *http.Request) bool {
	if !trygg.UserFromContext(r.Context()).Has(receiverRoles...) {
		return false
	}
	svcs, err := s.cfg.Referrals.ReceivedServices(r.Context())
	if err != nil {
		s.logError(r, "received services", err)
	}
	return len(svcs) > 0
}

// receivedServices answers "not found" unless the caller's organisation
// receives a service.
func (s *Server) receivedServices(w http.ResponseWriter, r *http.Request) ([]*operativ.SupportService, bool) {
	svcs, err := s.cfg.Referrals.ReceivedServices(r.Context())
	if err == nil && len(svcs) == 0 {
		err = trygg.NotFound()
	}
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return svcs, true
}

func (s *Server) confirmForm(w http.ResponseWriter, r *http.Request) {
	svcs, ok := s.receivedServices(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "operativ_confirm", view{Title: "Mottagning", Nav: "operativ_reception",
		Data: &confirmData{Services: svcs, Day: trygg.DayOf(s.now()).String()}})
}

func (s *Server) confirmFirstContact(w http.ResponseWriter, r *http.Request) {
	svcs, ok := s.receivedServices(w, r)
	if !ok {
		return
	}
	d := &confirmData{Services: svcs, Code: r.PostFormValue("code"), Day: r.PostFormValue("day")}
	v := view{Title: "Mottagning", Nav: "operativ_reception", Data: d}
	day, err := formDay(r, "day")
	if err == nil {
		d.Confirmed, err = s.cfg.Referrals.ConfirmFirstContact(r.Context(), d.Code, day)
	}
	if trygg.ErrorCode(err) == trygg.ENOTFOUND || trygg.ErrorCode(err) == trygg.ECONFLICT {
		// An unknown or used code is the answer to the form, not a
		// missing page.
		v.Message, v.Errors = trygg.ErrorMessage(err), []trygg.FieldError{{Field: "code", Message: trygg.ErrorMessage(err)}}
		s.render(w, r, http.StatusUnprocessableEntity, "operativ_confirm", v)
		return
	}
	if err != nil {
		s.renderForm(w, r, "operativ_confirm", v, err)
		return
	}
	d.Code = ""
	v.Flash = "Första kontakten är bekräftad."
	s.render(w, r, http.StatusOK, "operativ_confirm", v)
}

type operativStatsData struct {
	operativCodes
	*operativ.Stats
	Kast                 *operativ.KastStats
	YearChart, RoleChart template.HTML
}

func (s *Server) operativStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Operations.Stats(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &operativStatsData{Stats: st}
	if d.Kast, err = s.cfg.Kast.KastStats(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	if d.YearChart, err = statChart("diagram-insatser", "Insatser per år", st.Years); err == nil {
		d.RoleChart, err = statChart("diagram-roller", "Kontakter per roll", st.ByRole)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "operativ_stats", view{Title: "Statistik: operativ samverkan", Nav: "operativ_stats", Data: d})
}

// operativCodes gives the templates the code lists and labels; every
// page's data embeds it.
type operativCodes struct{}

func (operativCodes) PlaceTypes() []trygg.Code               { return operativ.OperationPlaceTypes }
func (operativCodes) Types() []trygg.Code                    { return operativ.OperationTypes }
func (operativCodes) Roles() []trygg.Code                    { return operativ.ContactRoles }
func (operativCodes) AgeBands() []trygg.Code                 { return operativ.AgeBands }
func (operativCodes) Statuses() []trygg.Code                 { return operativ.ReferralStatuses }
func (operativCodes) Checklist() []trygg.Code                { return operativ.ChecklistItems }
func (operativCodes) ContactField(i int, name string) string { return operativ.ContactPrefix(i) + name }

// Ordinal numbers the i-th item from 1.
func (operativCodes) Ordinal(i int) int { return i + 1 }

// Label returns the label of a code of one kind: place, type, role, age
// or status.
func (operativCodes) Label(kind, code string) string {
	lists := map[string][]trygg.Code{"place": operativ.OperationPlaceTypes, "type": operativ.OperationTypes,
		"role": operativ.ContactRoles, "age": operativ.AgeBands, "status": operativ.ReferralStatuses}
	return trygg.CodeLabel(lists[kind], code)
}

// LaterStatuses are the steps a referral at status may move on to.
func (operativCodes) LaterStatuses(status string) []trygg.Code {
	return operativ.ReferralStatuses[operativ.ReferralStage(status)+1:]
}
