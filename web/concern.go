package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/svgchart"
)

// The register of reports of concern (orosanmälningar). Its pages are for
// socialtjänst and its managers; the service also checks that their
// organisation is social services. Personal data never reaches a URL: a
// report is addressed by its opaque ref, a search by personnummer is a
// POST, and the only query values are a queue name and an access
// purpose's code.

// concernRoles are the roles of the register's routes.
var concernRoles = concern.RegisterRoles

// CanConcerns and CanConcernStats are the register's menu entries. The
// service checks them again on every call.
func (v view) CanConcerns() bool     { return concern.InRegister(v.User) }
func (v view) CanConcernStats() bool { return v.User.Has(concern.StatsRoles...) }

// concernRoutes are the register's rows of the route table.
func (s *Server) concernRoutes() []route {
	return []route{
		{pattern: "GET /orosanmalningar", name: "concerns", roles: concernRoles, handler: s.concernList},
		{pattern: "POST /orosanmalningar/sok", name: "concern_search", roles: concernRoles, handler: s.concernSearch},
		{pattern: "GET /orosanmalningar/ny", name: "concern_new", roles: concernRoles, handler: s.newConcernForm},
		{pattern: "POST /orosanmalningar/ny", name: "concern_create", roles: concernRoles, handler: s.createConcern},
		{pattern: "GET /orosanmalningar/{ref}", name: "concern", roles: concernRoles, handler: s.concernDetail},
		{pattern: "POST /orosanmalningar/{ref}/steg", name: "concern_step", roles: concernRoles, handler: s.concernStep},
		{pattern: "GET /orosanmalningar/{ref}/atkomst", name: "concern_access", roles: []trygg.Role{trygg.RoleArbetsledare}, handler: s.concernAccess},
		{pattern: "GET /statistik/orosanmalningar", name: "concern_stats", roles: concern.StatsRoles, handler: s.concernStats},
	}
}

// concernForm is "Ny orosanmälan", as typed. Field names are those of
// concern.Input.Validate's errors.
type concernForm struct {
	ReceivedAt        string
	Channel           string
	ReporterCategory  string
	ReporterMandatory bool
	ReporterName      string
	ReporterContact   string
	ReporterProtected bool
	ChildIDKind       string
	ChildID           string
	ChildName         string
	Guardians         string
	Categories        []string
	Description       string
	Task              string // the operativ task the report files, a hidden field; "" for none
}

func concernFormFromValues(q url.Values) concernForm {
	return concernForm{
		ReceivedAt: q.Get("received_at"), Channel: q.Get("channel"), ReporterCategory: q.Get("reporter_category"),
		ReporterMandatory: q.Get("reporter_mandatory") == "1", ReporterName: q.Get("reporter_name"),
		ReporterContact: q.Get("reporter_contact"), ReporterProtected: q.Get("reporter_protected") == "1",
		ChildIDKind: q.Get("child_id_kind"), ChildID: q.Get("child_id"), ChildName: q.Get("child_name"),
		Guardians: q.Get("guardians"), Categories: q["categories"], Description: q.Get("description"),
		Task: q.Get("task"),
	}
}

// HasCategory is for the category checkboxes.
func (f concernForm) HasCategory(code string) bool { return slices.Contains(f.Categories, code) }

// Validate parses the form into a checked concern.Input.
func (f *concernForm) Validate(now time.Time, loc *time.Location) (concern.Input, error) {
	var v trygg.Validation
	in := concern.Input{
		Channel: f.Channel, ReporterCategory: f.ReporterCategory, ReporterMandatory: f.ReporterMandatory,
		ReporterName: f.ReporterName, ReporterContact: f.ReporterContact, ReporterProtected: f.ReporterProtected,
		ChildIDKind: f.ChildIDKind, ChildID: f.ChildID, ChildName: f.ChildName, Guardians: f.Guardians,
		Categories: f.Categories, Description: f.Description,
	}
	if s := strings.TrimSpace(f.ReceivedAt); s != "" {
		if t, ok := parseLocalTime(s, loc); ok {
			in.ReceivedAt = t
		} else {
			v.Add("received_at", "Tidpunkten ska skrivas som ÅÅÅÅ-MM-DD TT:MM, till exempel 2025-03-14T09:30.")
		}
	}
	if f.Task != "" {
		if id, err := strconv.ParseInt(f.Task, 10, 64); err == nil && id > 0 {
			in.TaskID = id
		} else {
			v.Add("task", "Uppgiften om orosanmälan finns inte. Anmälan är inte registrerad.")
		}
	}
	return in, mergeFieldErrors(v, in.Validate(now))
}

// mergeFieldErrors adds the domain's field errors to the form's own,
// keeping the form's message where both name a field.
func mergeFieldErrors(v trygg.Validation, err error) error {
	for _, fe := range trygg.ErrorFields(err) {
		if !slices.ContainsFunc(v.Fields, func(p trygg.FieldError) bool { return p.Field == fe.Field }) {
			v.Fields = append(v.Fields, fe)
		}
	}
	return v.Err()
}

// stepForm is one of the forms on a report's page, as typed.
type stepForm struct {
	Kind          string
	At            string
	Open          string // "1" open an investigation, "0" not
	ProtectNeeded bool
	Reason        string
	Exceptional   string
	NewDue        string
	Decision      string
	Interventions string
	Assignee      string
}

func stepFormFromValues(q url.Values) stepForm {
	return stepForm{
		Kind: q.Get("kind"), At: q.Get("at"), Open: q.Get("open"), ProtectNeeded: q.Get("protect_needed") == "1",
		Reason: q.Get("reason"), Exceptional: q.Get("exceptional"), NewDue: q.Get("new_due"),
		Decision: q.Get("decision"), Interventions: q.Get("interventions"), Assignee: q.Get("assignee"),
	}
}

// Validate parses the form into a StepInput; the service checks it
// against the report.
func (f *stepForm) Validate(loc *time.Location) (concern.StepInput, error) {
	var v trygg.Validation
	in := concern.StepInput{Kind: f.Kind, ProtectNeeded: f.ProtectNeeded, Reason: f.Reason, Exceptional: f.Exceptional,
		Decision: f.Decision, Interventions: f.Interventions}
	if s := strings.TrimSpace(f.At); s != "" {
		if t, ok := parseLocalTime(s, loc); ok {
			in.At = t
		} else {
			v.Add("at", "Tidpunkten ska skrivas som ÅÅÅÅ-MM-DD TT:MM.")
		}
	}
	switch f.Kind {
	case concern.StepPre:
		switch f.Open {
		case "1":
			in.Open = true
		case "0":
		default:
			v.Add("open", "Välj om en utredning ska inledas.")
		}
	case concern.StepExtension:
		if d, err := trygg.ParseDay(strings.TrimSpace(f.NewDue)); err == nil {
			in.NewDue = d
		} else {
			v.Add("new_due", "Det nya slutdatumet ska skrivas som ÅÅÅÅ-MM-DD.")
		}
	case concern.StepAssign:
		if n, err := strconv.ParseInt(f.Assignee, 10, 64); err == nil && n > 0 {
			in.AssigneeID = n
		} else {
			v.Add("assignee", "Välj en handläggare.")
		}
	}
	return in, v.Err()
}

// queueTab is one work queue in the list's tabs.
type queueTab struct {
	Queue   concern.Queue
	Label   string
	Current bool
}

type concernListData struct {
	Tabs    []queueTab
	Heading string
	List    []*concern.Summary
	Today   trygg.Day
	Search  string // the number typed in the search, shown back only in the form
	Worker  string // the case worker whose queue is shown (manager view)
	Workers []*trygg.User
	Manager bool
}

// concernTabs are the queues in display order; the unassigned queue is the
// manager's.
func concernTabs(current concern.Queue, manager bool) []queueTab {
	tabs := []queueTab{
		{Queue: concern.QueueToday, Label: "Att göra idag"},
		{Queue: concern.QueueOverdue, Label: "Försenade"},
		{Queue: concern.QueueMine, Label: "Mina ärenden"},
		{Queue: concern.QueueOpen, Label: "Alla öppna"},
	}
	if manager {
		tabs = append(tabs, queueTab{Queue: concern.QueueUnassign, Label: "Ofördelade"})
	}
	tabs = append(tabs, queueTab{Queue: concern.QueueClosed, Label: "Avslutade"})
	for i := range tabs {
		tabs[i].Current = tabs[i].Queue == current
	}
	return tabs
}

func (s *Server) concernList(w http.ResponseWriter, r *http.Request) {
	u := trygg.UserFromContext(r.Context())
	q := concern.Queue(r.URL.Query().Get("ko"))
	if q == "" {
		q = concern.QueueToday
	}
	d := &concernListData{Tabs: concernTabs(q, u.Has(trygg.RoleArbetsledare)), Today: trygg.DayOf(s.now()), Manager: u.Has(trygg.RoleArbetsledare)}
	i := slices.IndexFunc(d.Tabs, func(t queueTab) bool { return t.Current })
	if i < 0 {
		s.notFound(w, r)
		return
	}
	d.Heading = d.Tabs[i].Label
	f := concern.Filter{Queue: q}
	if d.Manager {
		workers, err := s.cfg.Concerns.FindCaseWorkers(r.Context())
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Workers = workers
		if id, err := strconv.ParseInt(r.URL.Query().Get("handlaggare"), 10, 64); err == nil {
			if j := slices.IndexFunc(workers, func(w *trygg.User) bool { return w.ID == id }); j >= 0 {
				f.AssigneeID, d.Worker = &id, strconv.FormatInt(id, 10)
				d.Heading += ", " + workers[j].Name
			}
		}
	}
	list, err := s.cfg.Concerns.FindReports(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.List = list
	s.render(w, r, http.StatusOK, "concerns", view{Title: "Orosanmälningar", Nav: "concerns", Data: d})
}

// concernSearch finds the reports about one child. The number travels in
// the body of a POST, never in a URL.
func (s *Server) concernSearch(w http.ResponseWriter, r *http.Request) {
	u := trygg.UserFromContext(r.Context())
	number := strings.TrimSpace(r.PostFormValue("child_id"))
	d := &concernListData{Tabs: concernTabs("", u.Has(trygg.RoleArbetsledare)), Today: trygg.DayOf(s.now()),
		Search: number, Heading: "Sökresultat", Manager: u.Has(trygg.RoleArbetsledare)}
	v := view{Title: "Orosanmälningar", Nav: "concerns", Data: d}
	if number == "" {
		s.renderForm(w, r, "concerns", v, &trygg.Error{Code: trygg.EINVALID, Message: "Skriv barnets personnummer, samordningsnummer eller reservnummer.",
			Fields: []trygg.FieldError{{Field: "child_id", Message: "Skriv ett nummer att söka på."}}})
		return
	}
	list, err := s.cfg.Concerns.FindReports(r.Context(), concern.Filter{ChildID: number})
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.List = list
	s.render(w, r, http.StatusOK, "concerns", v)
}

type concernFormData struct {
	Form concernForm
}

func (s *Server) newConcernForm(w http.ResponseWriter, r *http.Request) {
	// The route lets the roles in; the register also asks for an
	// organisation of social services, and answers "not found" otherwise.
	if _, err := s.cfg.Concerns.FindCaseWorkers(r.Context()); err != nil {
		s.error(w, r, err)
		return
	}
	f := concernForm{ReceivedAt: s.now().In(trygg.Stockholm).Format(datetimeLocal)}
	s.render(w, r, http.StatusOK, "concern_form", view{Title: "Ny orosanmälan", Nav: "concern_new", Data: &concernFormData{Form: f}})
}

func (s *Server) createConcern(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := concernFormFromValues(r.PostForm)
	in, err := f.Validate(s.now(), trygg.Stockholm)
	var c *concern.Report
	if err == nil {
		c, err = s.cfg.Concerns.CreateReport(r.Context(), in)
	}
	if err != nil {
		s.renderForm(w, r, "concern_form", view{Title: "Ny orosanmälan", Nav: "concern_new", Data: &concernFormData{Form: f}}, err)
		return
	}
	purpose := ""
	if c.AssigneeID == nil {
		purpose = "arbetsledning" // a manager's intake, not assigned to anyone yet
	}
	s.redirectWithFlash(w, r, concernURL(c.Ref, purpose), "concern_saved")
}

type concernData struct {
	C       *concern.Report
	Clock   []concern.StageStatus
	Purpose string // the access purpose's code, carried on to the forms
	Form    stepForm
	Now     string
	Workers []*trygg.User
	Manager bool
}

type purposeData struct {
	Ref    string
	Chosen string
}

// knownPurpose is p if it is one of the access purposes' codes, else "".
func knownPurpose(p string) string {
	if concern.ValidPurpose(p) {
		return p
	}
	return ""
}

// concernView reads a report for its page, or answers itself: with the
// purpose form when one is needed.
func (s *Server) concernView(w http.ResponseWriter, r *http.Request, purpose string, f stepForm) (view, bool) {
	ref := r.PathValue("ref")
	c, err := s.cfg.Concerns.FindReport(r.Context(), ref, purpose)
	if trygg.ErrorCode(err) == concern.EPURPOSE {
		s.render(w, r, http.StatusForbidden, "concern_purpose", view{Title: "Ange syfte", Nav: "concerns", Message: trygg.ErrorMessage(err),
			Data: purposeData{Ref: ref, Chosen: purpose}})
		return view{}, false
	}
	if err != nil {
		s.error(w, r, err)
		return view{}, false
	}
	u := trygg.UserFromContext(r.Context())
	today := trygg.DayOf(s.now())
	d := &concernData{C: c, Clock: c.Clock(today), Purpose: purpose, Form: f,
		Now: s.now().In(trygg.Stockholm).Format(datetimeLocal), Manager: u.Has(trygg.RoleArbetsledare)}
	if d.Form.Open == "" && c.Urgent() {
		d.Form.Open = "1"
	}
	if d.Manager {
		if d.Workers, err = s.cfg.Concerns.FindCaseWorkers(r.Context()); err != nil {
			s.error(w, r, err)
			return view{}, false
		}
	}
	return view{Title: "Orosanmälan " + strings.ToUpper(c.Ref[:6]), Nav: "concerns", Data: d}, true
}

func (s *Server) concernDetail(w http.ResponseWriter, r *http.Request) {
	v, ok := s.concernView(w, r, knownPurpose(r.URL.Query().Get("syfte")), stepForm{})
	if ok {
		s.render(w, r, http.StatusOK, "concern", v)
	}
}

// concernURL is a report's page, with the access purpose when there is one.
func concernURL(ref, purpose string) string {
	u := "/orosanmalningar/" + url.PathEscape(ref)
	if purpose != "" {
		u += "?syfte=" + url.QueryEscape(purpose)
	}
	return u
}

func (s *Server) concernStep(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.error(w, r, err)
		return
	}
	f := stepFormFromValues(r.PostForm)
	purpose := knownPurpose(r.PostForm.Get("syfte"))
	in, err := f.Validate(trygg.Stockholm)
	if err == nil {
		_, err = s.cfg.Concerns.RecordStep(r.Context(), r.PathValue("ref"), in)
	}
	if err != nil {
		if trygg.ErrorCode(err) != trygg.EINVALID {
			s.error(w, r, err)
			return
		}
		v, ok := s.concernView(w, r, purpose, f)
		if ok {
			s.renderForm(w, r, "concern", v, err)
		}
		return
	}
	s.redirectWithFlash(w, r, concernURL(r.PathValue("ref"), purpose), "concern_step_saved")
}

type concernAccessData struct {
	Ref string
	Log []*concern.Access
}

func (s *Server) concernAccess(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	log, err := s.cfg.Concerns.FindAccessLog(r.Context(), ref)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "concern_access", view{Title: "Åtkomstlogg", Nav: "concerns", Data: concernAccessData{Ref: ref, Log: log}})
}

type concernStatsData struct {
	*concern.Stats
	YearChart, CategoryChart template.HTML
}

func (s *Server) concernStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Concerns.Stats(r.Context(), trygg.DayOf(s.now()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := &concernStatsData{Stats: st}
	years := make([]disclose.Count, len(st.Years))
	for i, y := range st.Years {
		years[i] = y.Count
	}
	if d.YearChart, err = statChart("diagram-ar", "Orosanmälningar per år", years); err == nil {
		d.CategoryChart, err = statChart("diagram-oro", "Orosanmälningar per sorts oro", st.ByCategory)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "concern_stats", view{Title: "Statistik: orosanmälningar", Nav: "concern_stats", Data: d})
}

// statChart draws counts as bars; a withheld count has no bar and says
// so.
func statChart(id, title string, counts []disclose.Count) (template.HTML, error) {
	bars := make([]svgchart.Bar, len(counts))
	for i, c := range counts {
		bars[i] = svgchart.Bar{Label: c.Label, Value: float64(c.Count), Text: strconv.Itoa(c.Count)}
		if c.Suppressed {
			bars[i].Text = "visas inte"
		}
	}
	var buf bytes.Buffer
	if err := svgchart.Bars(bars, svgchart.Options{ID: id, Title: title}).WriteSVG(&buf); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // drawn by our own code, escaped there
}

// concernTemplateFuncs are the register's template helpers.
func concernTemplateFuncs() map[string]any {
	return map[string]any{
		"concernChannels":   func() []trygg.Code { return concern.Channels },
		"reporterTypes":     func() []trygg.Code { return concern.ReporterCategories },
		"concernCategories": func() []trygg.Code { return concern.Categories },
		"accessPurposes":    func() []trygg.Code { return concern.AccessPurposes },
		"channelLabel":      func(c string) string { return trygg.CodeLabel(concern.Channels, c) },
		"reporterLabel":     func(c string) string { return trygg.CodeLabel(concern.ReporterCategories, c) },
		"categoryLabel":     func(c string) string { return trygg.CodeLabel(concern.Categories, c) },
		"stateLabel":        concern.StateLabel,
		"dueState":          concern.DueState,
		"childID": func(c *concern.Report) string {
			if c.ChildIDKind == concern.ChildReserve || len(c.ChildID) != 12 {
				return c.ChildID
			}
			return c.ChildID[:8] + "-" + c.ChildID[8:]
		},
		"deref": func(p *int64) int64 { return *p },
		"dayString": func(d trygg.Day) string {
			if d == 0 {
				return ""
			}
			return d.String()
		},
	}
}
