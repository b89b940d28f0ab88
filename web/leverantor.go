package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/reportio"
)

// The review of welfare providers (/leverantorer), for role kontroll.
// The service shows each reviewer the providers of its own unit; a
// provider is addressed by its numeric id, never by its number, which may
// be a personnummer.

var leverantorRoles = []trygg.Role{trygg.RoleKontroll}

// CanLeverantorer and CanLeverantorStats are the register's menu entries.
func (v view) CanLeverantorer() bool { return v.User.Has(leverantorRoles...) }
func (v view) CanLeverantorStats() bool {
	return !v.User.Has(leverantorRoles...) && v.User.Has(leverantor.StatsRoles...)
}

// maxLeverantorUpload caps the import's two files together.
const maxLeverantorUpload = 8 << 20

// maxCheckUpload is a check's form with its document.
const maxCheckUpload = trygg.MaxDocumentSize + 1<<20

func (s *Server) leverantorRoutes() []route {
	return []route{
		{pattern: "GET /leverantorer", name: "leverantorer", roles: leverantorRoles, handler: s.leverantorList},
		{pattern: "GET /leverantorer/import", name: "leverantor_import_form", roles: leverantorRoles, handler: s.leverantorImportForm},
		{pattern: "POST /leverantorer/import", name: "leverantor_import", roles: leverantorRoles, handler: s.leverantorImport, maxBody: maxLeverantorUpload},
		{pattern: "GET /leverantorer/regler", name: "leverantor_rules", roles: leverantorRoles, handler: s.leverantorRules},
		{pattern: "POST /leverantorer/regler", name: "leverantor_rules_save", roles: leverantorRoles, handler: s.leverantorSaveRules},
		{pattern: "POST /leverantorer/kontrolltyper", name: "leverantor_check_types_save", roles: leverantorRoles, handler: s.leverantorSaveCheckTypes},
		{pattern: "GET /leverantorer/statistik", name: "leverantor_stats", roles: append([]trygg.Role{trygg.RoleKontroll}, leverantor.StatsRoles...), handler: s.leverantorStats},
		{pattern: "GET /leverantorer/{id}", name: "leverantor", roles: leverantorRoles, handler: s.leverantorDetail},
		{pattern: "POST /leverantorer/{id}/kontroller", name: "leverantor_check", roles: leverantorRoles, handler: s.leverantorCheck, maxBody: maxCheckUpload},
		{pattern: "GET /leverantorer/{id}/kontroller/{check}/dokument", name: "leverantor_check_document", roles: leverantorRoles, handler: s.leverantorCheckDocument},
		{pattern: "POST /leverantorer/{id}/beslut", name: "leverantor_decision", roles: leverantorRoles, handler: s.leverantorDecision},
		{pattern: "POST /leverantorer/{id}/flaggor", name: "leverantor_flag", roles: leverantorRoles, handler: s.leverantorFlag},
		{pattern: "POST /leverantorer/{id}/enheter", name: "leverantor_unit", roles: leverantorRoles, handler: s.leverantorUnit},
	}
}

// listLimit is how many providers the list shows: those with the highest
// scores.
const listLimit = 500

type leverantorListData struct {
	List      []*leverantor.Summary
	Area      string
	Overdue   bool
	Late      []leverantor.OverdueCheck
	Today     trygg.Day
	Limit     int
	LateCount int // all overdue checks; Late holds the first Limit
}

func (s *Server) leverantorList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &leverantorListData{Area: q.Get("verksamhet"), Overdue: q.Get("forsenade") == "1", Today: trygg.DayOf(s.now()), Limit: listLimit}
	if d.Area != "" && !trygg.HasCode(leverantor.ServiceAreas, d.Area) {
		d.Area = ""
	}
	list, err := s.cfg.Leverantorer.FindProviders(r.Context(), leverantor.Filter{ServiceArea: d.Area, OnlyOverdue: d.Overdue, Limit: listLimit})
	if err == nil {
		d.Late, err = s.cfg.Leverantorer.Overdue(r.Context())
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.List = list
	if d.LateCount = len(d.Late); d.LateCount > listLimit {
		d.Late = d.Late[:listLimit]
	}
	s.render(w, r, http.StatusOK, "leverantorer", view{Title: "Leverantörer", Nav: "leverantorer", Data: d})
}

// providerID reads the {id} path value; 0 when it is no id.
func providerID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// checkForm, decisionForm and flagForm are the provider page's forms as
// typed.
type checkForm struct{ Type, Day, Result, Source, Note string }
type decisionForm struct{ Action, Recipient, Deadline, Reason string }

type leverantorData struct {
	P         *leverantor.Provider
	Types     []leverantor.CheckType
	Units     []*trygg.Organisation
	Check     checkForm
	Decision  decisionForm
	FlagText  string
	Today     trygg.Day
	TypeLabel map[string]string
}

func (s *Server) leverantorView(r *http.Request, d *leverantorData) (view, error) {
	id := providerID(r, "id")
	if id == 0 {
		return view{}, trygg.NotFound()
	}
	p, err := s.cfg.Leverantorer.FindProvider(r.Context(), id)
	if err != nil {
		return view{}, err
	}
	types, err := s.cfg.Leverantorer.CheckTypes(r.Context())
	if err != nil {
		return view{}, err
	}
	orgs, err := s.cfg.Organisations.FindOrganisations(r.Context())
	if err != nil {
		return view{}, err
	}
	d.P, d.Types, d.Today = p, types, trygg.DayOf(s.now())
	d.TypeLabel = map[string]string{}
	for _, t := range types {
		d.TypeLabel[t.Code] = t.Label
	}
	for _, o := range orgs {
		has := false
		for _, u := range p.Units {
			has = has || u.ID == o.ID
		}
		if !has {
			d.Units = append(d.Units, o)
		}
	}
	if d.Check.Day == "" {
		d.Check.Day = d.Today.String()
	}
	return view{Title: p.Name, Nav: "leverantorer", Data: d}, nil
}

func (s *Server) leverantorDetail(w http.ResponseWriter, r *http.Request) {
	v, err := s.leverantorView(r, &leverantorData{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "leverantor", v)
}

// leverantorRefused shows the provider page again with the form's error,
// or the error page for anything but a bad field.
func (s *Server) leverantorRefused(w http.ResponseWriter, r *http.Request, d *leverantorData, err error) {
	if trygg.ErrorCode(err) != trygg.EINVALID {
		s.error(w, r, err)
		return
	}
	v, verr := s.leverantorView(r, d)
	if verr != nil {
		s.error(w, r, verr)
		return
	}
	s.renderForm(w, r, "leverantor", v, err)
}

func providerURL(id int64) string { return "/leverantorer/" + strconv.FormatInt(id, 10) }

// levFormDay reads an optional date field; ok is false for a bad one.
func levFormDay(s string) (trygg.Day, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	d, err := trygg.ParseDay(s)
	return d, err == nil
}

func (s *Server) leverantorCheck(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		s.error(w, r, trygg.Errorf(trygg.EINVALID, "Formuläret kunde inte läsas. Dokumentet får vara högst %d MB.", trygg.MaxDocumentSize>>20))
		return
	}
	f := checkForm{Type: r.PostFormValue("type"), Day: r.PostFormValue("day"), Result: r.PostFormValue("result"),
		Source: r.PostFormValue("source"), Note: r.PostFormValue("note")}
	var v trygg.Validation
	in := leverantor.CheckInput{Type: f.Type, Result: f.Result, Source: f.Source, Note: f.Note}
	day, ok := levFormDay(f.Day)
	if !ok {
		v.Add("day", "Skriv dagen som ÅÅÅÅ-MM-DD.")
	}
	in.Day = day
	if file, hdr, err := r.FormFile("document"); err == nil {
		content, rerr := io.ReadAll(io.LimitReader(file, trygg.MaxDocumentSize+1))
		file.Close()
		if rerr != nil {
			s.error(w, r, rerr)
			return
		}
		if len(content) > 0 || hdr.Filename != "" {
			in.Document, in.DocumentName = content, hdr.Filename
		}
	}
	err := v.Err()
	if err == nil {
		err = s.cfg.Leverantorer.RecordCheck(r.Context(), providerID(r, "id"), in)
	}
	if err != nil {
		s.leverantorRefused(w, r, &leverantorData{Check: f}, err)
		return
	}
	s.redirectWithFlash(w, r, providerURL(providerID(r, "id"))+"#kontroller", "leverantor_check_saved")
}

func (s *Server) leverantorCheckDocument(w http.ResponseWriter, r *http.Request) {
	// The uploaded file's name may say anything; the download gets a
	// neutral one.
	_, content, err := s.cfg.Leverantorer.CheckDocument(r.Context(), providerID(r, "id"), providerID(r, "check"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename=\"kontroll-"+strconv.FormatInt(providerID(r, "check"), 10)+".pdf\"")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(content)
}

func (s *Server) leverantorDecision(w http.ResponseWriter, r *http.Request) {
	f := decisionForm{Action: r.PostFormValue("action"), Recipient: r.PostFormValue("recipient"), Deadline: r.PostFormValue("deadline"), Reason: r.PostFormValue("reason")}
	var v trygg.Validation
	deadline, ok := levFormDay(f.Deadline)
	if !ok {
		v.Add("deadline", "Skriv dagen som ÅÅÅÅ-MM-DD.")
	}
	err := v.Err()
	if err == nil {
		err = s.cfg.Leverantorer.RecordDecision(r.Context(), providerID(r, "id"),
			leverantor.DecisionInput{Action: f.Action, Recipient: f.Recipient, Deadline: deadline, Reason: f.Reason})
	}
	if err != nil {
		s.leverantorRefused(w, r, &leverantorData{Decision: f}, err)
		return
	}
	s.redirectWithFlash(w, r, providerURL(providerID(r, "id"))+"#beslut", "leverantor_decision_saved")
}

func (s *Server) leverantorFlag(w http.ResponseWriter, r *http.Request) {
	reason := r.PostFormValue("flag_reason")
	err := s.cfg.Leverantorer.RaiseFlag(r.Context(), providerID(r, "id"), reason)
	if err != nil {
		// The domain names the field "reason"; the page's field is flag_reason.
		if fs := trygg.ErrorFields(err); len(fs) > 0 {
			err = &trygg.Error{Code: trygg.EINVALID, Message: trygg.ErrorMessage(err), Fields: []trygg.FieldError{{Field: "flag_reason", Message: fs[0].Message}}}
		}
		s.leverantorRefused(w, r, &leverantorData{FlagText: reason}, err)
		return
	}
	s.redirectWithFlash(w, r, providerURL(providerID(r, "id"))+"#poang", "leverantor_flag_saved")
}

func (s *Server) leverantorUnit(w http.ResponseWriter, r *http.Request) {
	err := s.cfg.Leverantorer.AddUnit(r.Context(), providerID(r, "id"), r.PostFormValue("unit"))
	if err != nil {
		s.leverantorRefused(w, r, &leverantorData{}, err)
		return
	}
	s.redirectWithFlash(w, r, providerURL(providerID(r, "id")), "leverantor_unit_saved")
}

// leverantorImportData is the import page: the form, or the preview of
// the files with each row's problems. The files' text rides along in the
// preview's form so that saving sends exactly what was shown.
type leverantorImportData struct {
	Providers    []reportio.ProviderRow
	Persons      []reportio.KeyPersonRow
	ProviderText string
	PersonText   string
	Problems     int
	Previewed    bool
	FileProblems []string
}

func (s *Server) leverantorImportForm(w http.ResponseWriter, r *http.Request) {
	// The route lets role kontroll in; asking the service keeps its own
	// check in front of the page too.
	if _, err := s.cfg.Leverantorer.CheckTypes(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "leverantor_import", view{Title: "Importera leverantörer", Nav: "leverantorer", Data: &leverantorImportData{}})
}

// leverantorImport previews the files (step "forhandsgranska") or stores
// them (step "spara"). Both read the files the same way; nothing is
// stored while any row has a problem.
func (s *Server) leverantorImport(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		s.error(w, r, trygg.Errorf(trygg.EINVALID, "Filerna kunde inte läsas. De får vara högst %d MB tillsammans.", maxLeverantorUpload>>20))
		return
	}
	d := &leverantorImportData{ProviderText: r.PostFormValue("providers_text"), PersonText: r.PostFormValue("persons_text")}
	read := func(field string, text *string) {
		file, _, err := r.FormFile(field)
		if err != nil {
			return
		}
		defer file.Close()
		b, err := io.ReadAll(io.LimitReader(file, maxLeverantorUpload))
		if err == nil && len(b) > 0 {
			*text = string(b)
		}
	}
	read("providers", &d.ProviderText)
	read("persons", &d.PersonText)
	v := view{Title: "Importera leverantörer", Nav: "leverantorer", Data: d}
	if strings.TrimSpace(d.ProviderText) == "" && strings.TrimSpace(d.PersonText) == "" {
		var val trygg.Validation
		val.Add("providers", "Välj en CSV-fil med leverantörer, med nyckelpersoner eller båda.")
		s.renderForm(w, r, "leverantor_import", v, val.Err())
		return
	}
	d.Previewed = true
	fileProblem := func(name string, err error) {
		for _, f := range trygg.ErrorFields(err) {
			if !strings.HasPrefix(f.Message, "rad ") {
				d.FileProblems = append(d.FileProblems, name+": "+f.Message)
			} else if !rowReported(f.Message, d) {
				d.FileProblems = append(d.FileProblems, name+": "+f.Message)
			}
		}
	}
	if strings.TrimSpace(d.ProviderText) != "" {
		rows, err := reportio.ReadProviders([]byte(d.ProviderText))
		d.Providers = rows
		fileProblem("Leverantörer", err)
	}
	if strings.TrimSpace(d.PersonText) != "" {
		rows, err := reportio.ReadKeyPersons([]byte(d.PersonText))
		d.Persons = rows
		fileProblem("Nyckelpersoner", err)
	}
	for _, p := range d.Providers {
		d.Problems += len(p.Errors)
	}
	for _, p := range d.Persons {
		d.Problems += len(p.Errors)
	}
	d.Problems += len(d.FileProblems)
	if d.Problems > 0 || r.PostFormValue("step") != "spara" {
		if d.Problems > 0 {
			v.Message = "Filerna har " + strconv.Itoa(d.Problems) + " fel. Rätta dem och förhandsgranska igen; inget har sparats."
			s.render(w, r, http.StatusUnprocessableEntity, "leverantor_import", v)
			return
		}
		s.render(w, r, http.StatusOK, "leverantor_import", v)
		return
	}
	_, err := s.cfg.Leverantorer.Import(r.Context(), reportio.ProviderInputs(d.Providers), reportio.KeyPersonInputs(d.Persons))
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		d.FileProblems = append(d.FileProblems, trygg.ErrorMessage(err))
		for _, f := range trygg.ErrorFields(err) {
			d.FileProblems = append(d.FileProblems, f.Message)
		}
		v.Message = "Importen sparades inte: " + trygg.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "leverantor_import", v)
		return
	}
	s.redirectWithFlash(w, r, "/leverantorer", "leverantor_imported")
}

// rowReported reports whether a problem of a row is shown in the preview's
// table already.
func rowReported(msg string, d *leverantorImportData) bool {
	line, _, _ := strings.Cut(strings.TrimPrefix(msg, "rad "), ",")
	n, err := strconv.Atoi(line)
	if err != nil {
		return false
	}
	for _, p := range d.Providers {
		if p.Line == n && len(p.Errors) > 0 {
			return true
		}
	}
	for _, p := range d.Persons {
		if p.Line == n && len(p.Errors) > 0 {
			return true
		}
	}
	return false
}

type leverantorRulesData struct {
	Rules leverantor.Rules
	Types []leverantor.CheckType
	Form  url.Values
}

func (s *Server) leverantorRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.cfg.Leverantorer.Rules(r.Context())
	var types []leverantor.CheckType
	if err == nil {
		types, err = s.cfg.Leverantorer.CheckTypes(r.Context())
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "leverantor_rules", view{Title: "Regler och vikter", Nav: "leverantorer", Data: &leverantorRulesData{Rules: rules, Types: types}})
}

func (s *Server) leverantorSaveRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.cfg.Leverantorer.Rules(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var v trygg.Validation
	for i := range rules {
		rule := &rules[i]
		if n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("weight_" + rule.Code))); err == nil {
			rule.Weight = n
		} else {
			v.Add("weight_"+rule.Code, "Skriv vikten som ett heltal.")
		}
		if rule.Unit != "" {
			if n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("threshold_"+rule.Code)), " ", ""), 10, 64); err == nil {
				rule.Threshold = n
			} else {
				v.Add("threshold_"+rule.Code, "Skriv gränsen som ett heltal.")
			}
		}
	}
	err = v.Err()
	if err == nil {
		err = s.cfg.Leverantorer.SetRules(r.Context(), rules)
	}
	if err != nil {
		types, terr := s.cfg.Leverantorer.CheckTypes(r.Context())
		if terr != nil {
			s.error(w, r, terr)
			return
		}
		s.renderForm(w, r, "leverantor_rules", view{Title: "Regler och vikter", Nav: "leverantorer", Data: &leverantorRulesData{Rules: rules, Types: types, Form: r.PostForm}}, err)
		return
	}
	s.redirectWithFlash(w, r, "/leverantorer/regler", "leverantor_rules_saved")
}

func (s *Server) leverantorSaveCheckTypes(w http.ResponseWriter, r *http.Request) {
	types, err := s.cfg.Leverantorer.CheckTypes(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var v trygg.Validation
	for i := range types {
		t := &types[i]
		if n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("months_" + t.Code))); err == nil {
			t.Months = n
		} else {
			v.Add("months_"+t.Code, "Skriv intervallet i hela månader.")
		}
		t.Owner = r.PostFormValue("owner_" + t.Code)
	}
	err = mergeFieldErrors(v, leverantor.ValidateCheckTypes(types))
	if err == nil {
		err = s.cfg.Leverantorer.SetCheckTypes(r.Context(), types)
	}
	if err != nil {
		rules, rerr := s.cfg.Leverantorer.Rules(r.Context())
		if rerr != nil {
			s.error(w, r, rerr)
			return
		}
		s.renderForm(w, r, "leverantor_rules", view{Title: "Regler och vikter", Nav: "leverantorer", Data: &leverantorRulesData{Rules: rules, Types: types}}, err)
		return
	}
	s.redirectWithFlash(w, r, "/leverantorer/regler#kontrolltyper", "leverantor_types_saved")
}

func (s *Server) leverantorStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Leverantorer.Stats(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	nav := "leverantorer"
	if !trygg.UserFromContext(r.Context()).Has(leverantorRoles...) {
		nav = "leverantor_stats"
	}
	s.render(w, r, http.StatusOK, "leverantor_stats", view{Title: "Statistik: leverantörskontroll", Nav: nav, Data: &leverantorStatsData{Stats: st, All: nav == "leverantor_stats"}})
}

type leverantorStatsData struct {
	*leverantor.Stats
	All bool // over every provider (the committee), not one unit's
}

// leverantorTemplateFuncs are the register's template helpers.
func leverantorTemplateFuncs() map[string]any {
	return map[string]any{
		"levAreas":        func() []trygg.Code { return leverantor.ServiceAreas },
		"levResults":      func() []trygg.Code { return leverantor.Results },
		"levActions":      func() []trygg.Code { return leverantor.Actions },
		"levRecipients":   func() []trygg.Code { return leverantor.Recipients },
		"levAreaLabel":    func(c string) string { return trygg.CodeLabel(leverantor.ServiceAreas, c) },
		"levFormLabel":    func(c string) string { return trygg.CodeLabel(leverantor.CompanyForms, c) },
		"levContractType": func(c string) string { return trygg.CodeLabel(leverantor.ContractTypes, c) },
		"levRoleLabel":    func(c string) string { return trygg.CodeLabel(leverantor.KeyRoles, c) },
		"levResultLabel":  func(c string) string { return trygg.CodeLabel(leverantor.Results, c) },
		"levActionLabel":  func(c string) string { return trygg.CodeLabel(leverantor.Actions, c) },
		"levRecipient":    func(c string) string { return trygg.CodeLabel(leverantor.Recipients, c) },
		"levKronor":       leverantor.FormatKronor,
		"levBand":         func(score int) string { return trygg.CodeLabel(leverantor.Bands, leverantor.Band(score)) },
		"levBandCode":     leverantor.Band,
		"levRuleLabel":    func(c string) string { return leverantor.DefaultRules.Get(c).Label },
		"levBands":        func() []trygg.Code { return leverantor.Bands },
		"levTypeCodes": func(ts []leverantor.CheckType) []trygg.Code {
			out := make([]trygg.Code, len(ts))
			for i, t := range ts {
				out[i] = trygg.Code{Code: t.Code, Label: t.Label}
			}
			return out
		},
	}
}
