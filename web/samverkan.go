package web

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/svgchart"
)

// Samverkan: agreements and their commitments (this file), actions and
// calendar feeds (samverkan_actions.go) and the public page of promises
// (samverkan_public.go). Who may do what follows DOMAIN.md: the samordnare
// manages, partners (rapportör, polis) update what their organisation owns,
// läsare read. The services check again.
var (
	samverkanReaders = []trygg.Role{trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis, trygg.RoleLasare}
	samverkanManager = []trygg.Role{trygg.RoleSamordnare}
	samverkanPartner = []trygg.Role{trygg.RoleSamordnare, trygg.RoleRapportor, trygg.RolePolis}
)

// maxDocumentUpload caps the signed-PDF upload: the largest document plus
// room for the multipart envelope.
const maxDocumentUpload = trygg.MaxDocumentSize + 1<<20

// maxIndicatorUpload caps the indicator CSV upload.
const maxIndicatorUpload = 2 << 20

func (s *Server) samverkanRoutes() []route {
	return []route{
		{pattern: "GET /samverkan", name: "agreements", roles: samverkanReaders, handler: s.agreements},
		{pattern: "GET /samverkan/ny", name: "agreement_new", roles: samverkanManager, handler: s.newAgreementForm},
		{pattern: "POST /samverkan/ny", name: "agreement_create", roles: samverkanManager, handler: s.createAgreement},
		{pattern: "GET /samverkan/{id}", name: "agreement", roles: samverkanReaders, handler: s.agreementDetail},
		{pattern: "GET /samverkan/{id}/redigera", name: "agreement_edit", roles: samverkanManager, handler: s.editAgreementForm},
		{pattern: "POST /samverkan/{id}/redigera", name: "agreement_update", roles: samverkanManager, handler: s.updateAgreement},
		{pattern: "POST /samverkan/{id}/dokument", name: "agreement_document_upload", roles: samverkanManager, handler: s.uploadDocument, maxBody: maxDocumentUpload},
		{pattern: "GET /samverkan/{id}/dokument", name: "agreement_document", roles: samverkanReaders, handler: s.agreementDocument},
		{pattern: "GET /samverkan/{id}/atagande/ny", name: "commitment_new", roles: samverkanManager, handler: s.newCommitmentForm},
		{pattern: "POST /samverkan/{id}/atagande/ny", name: "commitment_create", roles: samverkanManager, handler: s.createCommitment},
		{pattern: "GET /atagande/{id}", name: "commitment", roles: samverkanReaders, handler: s.commitmentDetail},
		{pattern: "GET /atagande/{id}/redigera", name: "commitment_edit", roles: samverkanManager, handler: s.editCommitmentForm},
		{pattern: "POST /atagande/{id}/redigera", name: "commitment_update", roles: samverkanManager, handler: s.updateCommitment},
		{pattern: "POST /atagande/{id}/uppdatering", name: "commitment_status", roles: samverkanPartner, handler: s.addCommitmentUpdate},
		{pattern: "POST /atagande/{id}/trafikljus", name: "commitment_light", roles: samverkanPartner, handler: s.setLightOverride},
		{pattern: "POST /atagande/{id}/matvarden", name: "commitment_values", roles: samverkanPartner, handler: s.importIndicator, maxBody: maxIndicatorUpload},
		{pattern: "POST /atagande/{id}/publicera", name: "commitment_publish", roles: samverkanManager, handler: s.publishUpdate},
		{pattern: "POST /atagande/{id}/trafikljus/publicera", name: "commitment_light_publish", roles: samverkanManager, handler: s.publishLightOverride},
	}
}

// Menu flags for samverkan.
func (v view) CanSamverkan() bool     { return v.User.Has(samverkanReaders...) }
func (v view) ManagesSamverkan() bool { return v.User.Has(samverkanManager...) }
func (v view) IsPartner() bool        { return v.User.Has(samverkanPartner...) }

// actsFor reports whether the signed-in user may update what orgCode owns,
// to decide which forms to show; the services decide for real.
func actsFor(u *trygg.User, orgCode string) bool {
	if u.Has(trygg.RoleSamordnare) {
		return true
	}
	return u.Has(trygg.RoleRapportor, trygg.RolePolis) && u.Org != nil && u.Org.Code == orgCode
}

// parseDay reads a date field (YYYY-MM-DD, as <input type="date"> sends
// it). Empty gives 0 and no error; required fields are checked by the
// domain's Validate.
func parseDay(v *trygg.Validation, field, s string) trygg.Day {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	d, err := trygg.ParseDay(s)
	if err != nil {
		v.Add(field, "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-14.")
	}
	return d
}

func dayString(d trygg.Day) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// mergeErrors adds the field errors of err for fields v does not name yet,
// and returns v's error.
func mergeErrors(v *trygg.Validation, err error) error {
	for _, fe := range trygg.ErrorFields(err) {
		if !slices.ContainsFunc(v.Fields, func(p trygg.FieldError) bool { return p.Field == fe.Field }) {
			v.Fields = append(v.Fields, fe)
		}
	}
	return v.Err()
}

// findByPathID looks up the object named by the path's {id} with find (a
// service's FindXByID, which checks access); a malformed id is not found.
func findByPathID[T any](r *http.Request, find func(context.Context, int64) (T, error)) (T, error) {
	id, err := reportID(r)
	if err != nil {
		var none T
		return none, err
	}
	return find(r.Context(), id)
}

// ---- Agreements -------------------------------------------------------

type agreementListData struct {
	Agreements []*samverkan.Agreement
	Filter     samverkan.AgreementFilter
	Types      []samverkan.AgreementType
	Statuses   []samverkan.AgreementStatus
	Areas      []*trygg.Area
}

// agreements lists the agreements, filtered by ?typ=, ?status= and
// ?omrade=; unknown values simply match nothing.
func (s *Server) agreements(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := samverkan.AgreementFilter{Type: samverkan.AgreementType(q.Get("typ")), Status: samverkan.AgreementStatus(swedishSlug(q.Get("status"))), Area: q.Get("omrade")}
	list, err := s.cfg.Agreements.FindAgreements(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "samverkan_list", view{Title: "Överenskommelser", Nav: "samverkan",
		Data: &agreementListData{Agreements: list, Filter: f, Types: samverkan.AgreementTypes, Statuses: samverkan.AgreementStatuses, Areas: l.Areas}})
}

// partyRows is how many party rows the agreement form shows.
const partyRows = 6

type partyRow struct {
	N         int
	Org       string
	Signatory string
}

// agreementForm is "Ny överenskommelse" and "Redigera överenskommelse".
type agreementForm struct {
	Type, Title, Summary string
	From, To             string
	Areas                []string
	Status               string
	SignedOn             string
	Parties              []partyRow
}

// withRows fills the party rows up to partyRows, numbered from 1.
func (f agreementForm) withRows() agreementForm {
	for len(f.Parties) < partyRows {
		f.Parties = append(f.Parties, partyRow{})
	}
	for i := range f.Parties {
		f.Parties[i].N = i + 1
	}
	return f
}

func agreementFormFromRequest(r *http.Request) agreementForm {
	f := agreementForm{Type: r.PostFormValue("type"), Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		From: r.PostFormValue("from"), To: r.PostFormValue("to"), Areas: r.PostForm["areas"],
		Status: swedishSlug(r.PostFormValue("status")), SignedOn: r.PostFormValue("signed_on")}
	// Filled rows move up, so that the errors' row numbers match the form.
	for i := 1; i <= samverkan.MaxParties; i++ {
		org := strings.TrimSpace(r.PostFormValue("party_org_" + strconv.Itoa(i)))
		sig := strings.TrimSpace(r.PostFormValue("party_signatory_" + strconv.Itoa(i)))
		if org != "" || sig != "" {
			f.Parties = append(f.Parties, partyRow{Org: org, Signatory: sig})
		}
	}
	return f.withRows()
}

func agreementFormFrom(a *samverkan.Agreement) agreementForm {
	f := agreementForm{Type: string(a.Type), Title: a.Title, Summary: a.Summary, From: dayString(a.From), To: dayString(a.To),
		Areas: a.Areas, Status: string(a.Status)}
	if a.SignedOn != nil {
		f.SignedOn = a.SignedOn.String()
	}
	for _, p := range a.Parties {
		f.Parties = append(f.Parties, partyRow{Org: p.OrgCode, Signatory: p.Signatory})
	}
	return f.withRows()
}

// Validate parses the form into an AgreementInput.
func (f *agreementForm) Validate() (samverkan.AgreementInput, error) {
	var v trygg.Validation
	in := samverkan.AgreementInput{Type: samverkan.AgreementType(f.Type), Title: f.Title, Summary: f.Summary,
		From: parseDay(&v, "from", f.From), To: parseDay(&v, "to", f.To), Areas: f.Areas, Status: samverkan.AgreementStatus(f.Status)}
	if d := parseDay(&v, "signed_on", f.SignedOn); d != 0 {
		in.SignedOn = &d
	}
	for _, p := range f.Parties {
		if p.Org != "" || p.Signatory != "" {
			in.Parties = append(in.Parties, samverkan.Party{OrgCode: p.Org, Signatory: p.Signatory})
		}
	}
	return in, mergeErrors(&v, in.Validate())
}

type agreementFormData struct {
	Types    []samverkan.AgreementType
	Statuses []samverkan.AgreementStatus
	Form     agreementForm
	Action   string
	Edit     bool
	Areas    []*trygg.Area
	Orgs     []*trygg.Organisation
}

// agreementPath is the agreement's page.
func agreementPath(a *samverkan.Agreement) string { return "/samverkan/" + strconv.FormatInt(a.ID, 10) }

// agreementFormPage shows the agreement form: "Ny överenskommelse" when a
// is nil, else "Redigera överenskommelse" of a.
func (s *Server) agreementFormPage(w http.ResponseWriter, r *http.Request, f agreementForm, a *samverkan.Agreement, err error) {
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d := &agreementFormData{Types: samverkan.AgreementTypes, Statuses: samverkan.AgreementStatuses, Form: f, Action: "/samverkan/ny", Areas: l.Areas, Orgs: l.Orgs}
	v := view{Title: "Ny överenskommelse", Nav: "samverkan", Data: d}
	if a != nil {
		d.Edit, d.Action, v.Title = true, agreementPath(a)+"/redigera", "Redigera överenskommelse"
	}
	s.renderForm(w, r, "samverkan_form", v, err)
}

func (s *Server) newAgreementForm(w http.ResponseWriter, r *http.Request) {
	f := agreementForm{Type: string(samverkan.AgreementTrygghetsavtal), Status: string(samverkan.AgreementDraft)}
	s.agreementFormPage(w, r, f.withRows(), nil, nil)
}

func (s *Server) createAgreement(w http.ResponseWriter, r *http.Request) { s.saveAgreement(w, r, nil) }

func (s *Server) findAgreement(r *http.Request) (*samverkan.Agreement, error) {
	return findByPathID(r, s.cfg.Agreements.FindAgreementByID)
}

func (s *Server) editAgreementForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.agreementFormPage(w, r, agreementFormFrom(a), a, nil)
}

func (s *Server) updateAgreement(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveAgreement(w, r, a)
}

// saveAgreement saves the agreement form: a new agreement when a is nil,
// else the edit of a.
func (s *Server) saveAgreement(w http.ResponseWriter, r *http.Request, a *samverkan.Agreement) {
	f := agreementFormFromRequest(r)
	save := func(ctx context.Context, in samverkan.AgreementInput) (*samverkan.Agreement, error) {
		if a == nil {
			return s.cfg.Agreements.CreateAgreement(ctx, in)
		}
		return s.cfg.Agreements.UpdateAgreement(ctx, a.ID, in)
	}
	saveForm(s, w, r, f.Validate, save, func(err error) { s.agreementFormPage(w, r, f, a, err) }, agreementPath, "agreement_saved")
}

// commitmentRow is a commitment with its traffic light.
type commitmentRow struct {
	*samverkan.Commitment
	Assessment samverkan.Assessment
}

type agreementData struct {
	Agreement   *samverkan.Agreement
	Commitments []commitmentRow
	Names       names
}

// assessAll computes the traffic light of every commitment of a.
func (s *Server) assessAll(r *http.Request, a *samverkan.Agreement) ([]commitmentRow, error) {
	rows := make([]commitmentRow, 0, len(a.Commitments))
	for _, c := range a.Commitments {
		points, err := s.cfg.Commitments.IndicatorPoints(r.Context(), c.ID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, commitmentRow{Commitment: c, Assessment: samverkan.Assess(c, points, a.From, trygg.DayOf(s.now()))})
	}
	return rows, nil
}

func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request, a *samverkan.Agreement, err error) {
	rows, aerr := s.assessAll(r, a)
	if aerr != nil {
		s.error(w, r, aerr)
		return
	}
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	v := view{Title: a.Title, Nav: "samverkan", Data: &agreementData{Agreement: a, Commitments: rows, Names: l.Names}}
	s.renderForm(w, r, "samverkan_agreement", v, err)
}

func (s *Server) agreementDetail(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.agreementPage(w, r, a, nil)
}

func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	content, name, err := formFile(r, "document", "Välj det undertecknade avtalet som PDF-fil.")
	if err == nil {
		err = s.cfg.Agreements.AttachDocument(r.Context(), a.ID, name, content)
	}
	s.answerPageForm(w, r, err, func(err error) { s.agreementPage(w, r, a, err) }, agreementPath(a), "document_saved")
}

// formFile reads an uploaded file; a missing file is a field error.
func formFile(r *http.Request, field, missing string) ([]byte, string, error) {
	file, header, err := r.FormFile(field)
	if err != nil {
		var v trygg.Validation
		v.Add(field, "%s", missing)
		return nil, "", v.Err()
	}
	defer file.Close()
	b, err := io.ReadAll(file)
	return b, header.Filename, err
}

func (s *Server) agreementDocument(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.serveDocument(w, r, id)
}

// serveDocument sends a signed PDF as a download, never to be rendered
// inline as anything else.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, id int64) {
	_, content, err := s.cfg.Agreements.FindDocument(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sendPDF(w, "avtal-"+strconv.FormatInt(id, 10)+".pdf", content)
}

// ---- Commitments ------------------------------------------------------

// chartPoints is how many of the newest indicator values a chart shows.
const chartPoints = 12

// indicatorChart draws the newest indicator values as bars, each with its
// value written out (or disclose.WithheldText for a withheld count).
func indicatorChart(id, title string, points []samverkan.IndicatorPoint) (template.HTML, error) {
	points = points[max(0, len(points)-chartPoints):]
	bars := make([]svgchart.Bar, len(points))
	for i, p := range points {
		bars[i] = svgchart.Bar{Label: p.Day.String(), Value: p.Value, Text: p.Display()}
		if p.Suppressed {
			bars[i].Value = 0
		}
	}
	return svgHTML(svgchart.Bars(bars, svgchart.Options{ID: id, Title: title}))
}

// commitmentForm is "Nytt åtagande" and "Redigera åtagande".
type commitmentForm struct {
	Text, Owner                          string
	TargetText, TargetKind, TargetValue  string
	BaselineFrom, BaselineTo             string
	Source, IndicatorKind, IndicatorName string
	Areas, Categories                    []string
	Series, SeriesArea                   string // an indicator under /indikatorer
}

func commitmentFormFromRequest(r *http.Request) commitmentForm {
	return commitmentForm{Text: r.PostFormValue("text"), Owner: r.PostFormValue("owner"),
		TargetText: r.PostFormValue("target_text"), TargetKind: r.PostFormValue("target_kind"), TargetValue: r.PostFormValue("target_value"),
		BaselineFrom: r.PostFormValue("baseline_from"), BaselineTo: r.PostFormValue("baseline_to"),
		Source: r.PostFormValue("indicator_source"), IndicatorKind: r.PostFormValue("indicator_kind"), IndicatorName: r.PostFormValue("indicator_name"),
		Areas: r.PostForm["indicator_areas"], Categories: r.PostForm["indicator_categories"],
		Series: r.PostFormValue("indicator_series"), SeriesArea: r.PostFormValue("indicator_series_area")}
}

func commitmentFormFrom(c *samverkan.Commitment) commitmentForm {
	return commitmentForm{Text: c.Text, Owner: c.OwnerOrgCode, TargetText: c.Target.Text, TargetKind: string(c.Target.Kind),
		TargetValue:  strings.Replace(strconv.FormatFloat(c.Target.Value, 'f', -1, 64), ".", ",", 1),
		BaselineFrom: dayString(c.Target.BaselineFrom), BaselineTo: dayString(c.Target.BaselineTo),
		Source: string(c.Indicator.Source), IndicatorKind: string(c.Indicator.Kind), IndicatorName: c.Indicator.Name, Areas: c.Indicator.Areas, Categories: c.Indicator.Categories,
		Series: c.Indicator.Series, SeriesArea: c.Indicator.SeriesArea}
}

// Validate parses the form into a CommitmentInput.
func (f *commitmentForm) Validate() (samverkan.CommitmentInput, error) {
	var v trygg.Validation
	in := samverkan.CommitmentInput{Text: f.Text, OwnerOrgCode: f.Owner,
		Target: samverkan.Target{Text: f.TargetText, Kind: samverkan.TargetKind(f.TargetKind),
			BaselineFrom: parseDay(&v, "baseline_from", f.BaselineFrom), BaselineTo: parseDay(&v, "baseline_to", f.BaselineTo)},
		Indicator: samverkan.Indicator{Source: samverkan.IndicatorSource(f.Source), Kind: samverkan.IndicatorKind(f.IndicatorKind), Name: f.IndicatorName,
			Areas: f.Areas, Categories: f.Categories, Series: f.Series, SeriesArea: f.SeriesArea}}
	if strings.TrimSpace(f.TargetValue) != "" {
		x, err := trygg.ParseDecimal(f.TargetValue)
		if err != nil {
			v.Add("target_value", "Målvärdet ska vara ett tal, till exempel 20 eller 7,5.")
		}
		in.Target.Value = x
	}
	return in, mergeErrors(&v, in.Validate())
}

type commitmentFormData struct {
	Kinds          []samverkan.TargetKind
	Sources        []samverkan.IndicatorSource
	IndicatorKinds []samverkan.IndicatorKind
	Form           commitmentForm
	Agreement      *samverkan.Agreement
	Action         string
	Edit           bool
	Areas          []*trygg.Area
	Categories     []*trygg.Category
	Orgs           []*trygg.Organisation
	Series         []*indikator.Series // the indicators a commitment may be measured by
}

// commitmentPath is the commitment's page.
func commitmentPath(c *samverkan.Commitment) string {
	return "/atagande/" + strconv.FormatInt(c.ID, 10)
}

// commitmentFormPage shows the commitment form: "Nytt åtagande" in the
// agreement a when c is nil, else "Redigera åtagande" of c.
func (s *Server) commitmentFormPage(w http.ResponseWriter, r *http.Request, f commitmentForm, a *samverkan.Agreement, c *samverkan.Commitment, err error) {
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d := &commitmentFormData{Kinds: samverkan.TargetKinds, Sources: samverkan.IndicatorSources, IndicatorKinds: samverkan.IndicatorKinds, Form: f, Agreement: a, Areas: l.Areas, Categories: l.Categories, Orgs: l.Orgs,
		Action: agreementPath(a) + "/atagande/ny"}
	if d.Series, lerr = s.cfg.Indicators.FindSeries(r.Context(), indikator.SeriesFilter{}); lerr != nil {
		s.error(w, r, lerr)
		return
	}
	v := view{Title: "Nytt åtagande", Nav: "samverkan", Data: d}
	if c != nil {
		d.Edit, d.Action, v.Title = true, commitmentPath(c)+"/redigera", "Redigera åtagande"
	}
	s.renderForm(w, r, "samverkan_commitment_form", v, err)
}

func (s *Server) newCommitmentForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := commitmentForm{TargetKind: string(samverkan.TargetReduce), Source: string(samverkan.IndicatorReports), Areas: a.Areas}
	s.commitmentFormPage(w, r, f, a, nil, nil)
}

// createCommitment adds a commitment to the agreement of the path.
func (s *Server) createCommitment(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAgreement(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveCommitment(w, r, a, nil)
}

// findCommitment returns the commitment of the path and its agreement.
func (s *Server) findCommitment(r *http.Request) (*samverkan.Commitment, *samverkan.Agreement, error) {
	c, err := findByPathID(r, s.cfg.Commitments.FindCommitmentByID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.cfg.Agreements.FindAgreementByID(r.Context(), c.AgreementID)
	return c, a, err
}

func (s *Server) editCommitmentForm(w http.ResponseWriter, r *http.Request) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.commitmentFormPage(w, r, commitmentFormFrom(c), a, c, nil)
}

func (s *Server) updateCommitment(w http.ResponseWriter, r *http.Request) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveCommitment(w, r, a, c)
}

// saveCommitment saves the commitment form: a new commitment in the
// agreement a when c is nil, else the edit of c.
func (s *Server) saveCommitment(w http.ResponseWriter, r *http.Request, a *samverkan.Agreement, c *samverkan.Commitment) {
	f := commitmentFormFromRequest(r)
	if err := s.defaultSeriesArea(r, &f); err != nil {
		s.error(w, r, err)
		return
	}
	save := func(ctx context.Context, in samverkan.CommitmentInput) (*samverkan.Commitment, error) {
		if c == nil {
			return s.cfg.Commitments.CreateCommitment(ctx, a.ID, in)
		}
		return s.cfg.Commitments.UpdateCommitment(ctx, c.ID, in)
	}
	saveForm(s, w, r, f.Validate, save, func(err error) { s.commitmentFormPage(w, r, f, a, c, err) }, commitmentPath, "commitment_saved")
}

// commitmentTyped keeps what was typed in the commitment page's forms when
// one of them comes back with errors.
type commitmentTyped struct {
	Day, Comment, Evidence string
	Light, Reason          string
	PointDay, PointValue   string
}

type commitmentData struct {
	Commitment *samverkan.Commitment
	Agreement  *samverkan.Agreement
	Assessment samverkan.Assessment
	Points     []samverkan.IndicatorPoint
	Chart      template.HTML
	Updates    []*samverkan.CommitmentUpdate
	Actions    []actionRow
	Names      names
	Lights     []samverkan.Light
	CanAct     bool
	Typed      commitmentTyped
	Today      trygg.Day
}

func (s *Server) commitmentPage(w http.ResponseWriter, r *http.Request, c *samverkan.Commitment, a *samverkan.Agreement, typed commitmentTyped, err error) {
	ctx := r.Context()
	points, perr := s.cfg.Commitments.IndicatorPoints(ctx, c.ID)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	updates, uerr := s.cfg.Commitments.FindCommitmentUpdates(ctx, c.ID)
	if uerr != nil {
		s.error(w, r, uerr)
		return
	}
	actions, aerr := s.cfg.Actions.FindActions(ctx, samverkan.ActionFilter{CommitmentID: &c.ID})
	if aerr != nil {
		s.error(w, r, aerr)
		return
	}
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	today := trygg.DayOf(s.now())
	if typed.Day == "" {
		typed.Day = today.String()
	}
	d := &commitmentData{Commitment: c, Agreement: a, Assessment: samverkan.Assess(c, points, a.From, today), Points: points,
		Updates: updates, Actions: actionRows(actions, today), Names: l.Names, Lights: samverkan.Lights, CanAct: actsFor(trygg.UserFromContext(ctx), c.OwnerOrgCode),
		Typed: typed, Today: today}
	chart, cerr := indicatorChart("indikator", c.Indicator.Name+", de senaste värdena", points)
	if cerr != nil {
		s.error(w, r, cerr)
		return
	}
	d.Chart = chart
	v := view{Title: "Åtagande", Nav: "samverkan", Data: d}
	s.renderForm(w, r, "samverkan_commitment", v, err)
}

func (s *Server) commitmentDetail(w http.ResponseWriter, r *http.Request) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.commitmentPage(w, r, c, a, commitmentTyped{}, nil)
}

// commitmentAction runs one of the commitment page's forms and either
// redirects back with a flash or shows the page again with the errors.
func (s *Server) commitmentAction(w http.ResponseWriter, r *http.Request, flash string, typed commitmentTyped,
	do func(c *samverkan.Commitment) error) {
	c, a, err := s.findCommitment(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = do(c)
	s.answerPageForm(w, r, err, func(err error) { s.commitmentPage(w, r, c, a, typed, err) }, commitmentPath(c), flash)
}

func (s *Server) addCommitmentUpdate(w http.ResponseWriter, r *http.Request) {
	typed := commitmentTyped{Day: r.PostFormValue("day"), Comment: r.PostFormValue("comment"), Evidence: r.PostFormValue("evidence")}
	s.commitmentAction(w, r, "update_saved", typed, func(c *samverkan.Commitment) error {
		var v trygg.Validation
		in := samverkan.CommitmentUpdateInput{Day: parseDay(&v, "day", typed.Day), Comment: typed.Comment, Evidence: typed.Evidence}
		if err := mergeErrors(&v, in.Validate(trygg.DayOf(s.now()))); err != nil {
			return err
		}
		_, err := s.cfg.Commitments.AddCommitmentUpdate(r.Context(), c.ID, in)
		return err
	})
}

func (s *Server) setLightOverride(w http.ResponseWriter, r *http.Request) {
	typed := commitmentTyped{Light: r.PostFormValue("light"), Reason: r.PostFormValue("reason")}
	s.commitmentAction(w, r, "light_saved", typed, func(c *samverkan.Commitment) error {
		return s.cfg.Commitments.SetLightOverride(r.Context(), c.ID, samverkan.Light(typed.Light), typed.Reason)
	})
}

// importIndicator stores a series indicator's values: a CSV file, or one
// value entered by hand (the form that sends point_day and point_value).
func (s *Server) importIndicator(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("one") == "1" {
		typed := commitmentTyped{PointDay: r.PostFormValue("point_day"), PointValue: r.PostFormValue("point_value")}
		s.commitmentAction(w, r, "value_saved", typed, func(c *samverkan.Commitment) error {
			var v trygg.Validation
			p := samverkan.IndicatorPoint{Day: parseDay(&v, "point_day", typed.PointDay)}
			if v.Err() == nil && (p.Day < trygg.DateDay(2000, 1, 1) || p.Day > trygg.DateDay(2100, 12, 31)) {
				v.Add("point_day", "Ange ett datum mellan år 2000 och 2100.")
			}
			x, err := trygg.ParseDecimal(typed.PointValue)
			if err != nil {
				v.Add("point_value", "Ange ett tal, till exempel 12 eller 3,5.")
			}
			p.Value = x
			if err := v.Err(); err != nil {
				return err
			}
			return s.cfg.Commitments.SaveIndicatorPoints(r.Context(), c.ID, []samverkan.IndicatorPoint{p})
		})
		return
	}
	s.commitmentAction(w, r, "values_saved", commitmentTyped{}, func(c *samverkan.Commitment) error {
		data, _, err := formFile(r, "file", "Välj en CSV-fil med kolumnerna datum och värde.")
		if err != nil {
			return err
		}
		points, err := reportio.ParseIndicatorCSV(data)
		if err != nil {
			return err
		}
		return s.cfg.Commitments.SaveIndicatorPoints(r.Context(), c.ID, points)
	})
}

// publishLightOverride approves or withdraws a manual light for the public
// page.
func (s *Server) publishLightOverride(w http.ResponseWriter, r *http.Request) {
	s.commitmentAction(w, r, "update_published", commitmentTyped{}, func(c *samverkan.Commitment) error {
		return s.cfg.Commitments.PublishLightOverride(r.Context(), c.ID, r.PostFormValue("publish") == "1")
	})
}

func (s *Server) publishUpdate(w http.ResponseWriter, r *http.Request) {
	s.commitmentAction(w, r, "update_published", commitmentTyped{}, func(c *samverkan.Commitment) error {
		id, err := strconv.ParseInt(r.PostFormValue("update"), 10, 64)
		if err != nil {
			return trygg.NotFound()
		}
		return s.cfg.Commitments.PublishCommitmentUpdate(r.Context(), id, r.PostFormValue("publish") == "1")
	})
}
