package web

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/ical"
	"github.com/trygg-est/trygg/samverkan"
)

func (s *Server) actionRoutes() []route {
	return []route{
		{pattern: "GET /atgarder", name: "actions", roles: samverkanReaders, handler: s.actionList},
		{pattern: "GET /atgarder/mina", name: "actions_mine", roles: samverkanPartner, handler: s.myActions},
		{pattern: "GET /atgarder/ny", name: "action_new", roles: samverkanManager, handler: s.newActionForm},
		{pattern: "POST /atgarder/ny", name: "action_create", roles: samverkanManager, handler: s.createAction},
		{pattern: "GET /atgarder/{id}", name: "action", roles: samverkanReaders, handler: s.actionDetail},
		{pattern: "POST /atgarder/{id}/status", name: "action_status", roles: samverkanPartner, handler: s.setActionStatus},
		{pattern: "GET /atgarder/{id}/redigera", name: "action_edit", roles: samverkanManager, handler: s.editActionForm},
		{pattern: "POST /atgarder/{id}/redigera", name: "action_update", roles: samverkanManager, handler: s.updateAction},
		{pattern: "GET /atgarder/kalender", name: "calendar_feeds", roles: samverkanPartner, handler: s.calendarFeeds},
		{pattern: "POST /atgarder/kalender", name: "calendar_feed_create", roles: samverkanPartner, handler: s.createCalendarFeed},
		{pattern: "POST /atgarder/kalender/{id}/aterkalla", name: "calendar_feed_revoke", roles: samverkanPartner, handler: s.revokeCalendarFeed},
		// The secret in the address is the credential: calendar programs
		// cannot sign in.
		{pattern: "GET /kalender/{file}", name: "calendar", access: public, handler: s.calendar},
	}
}

// actionRow is an action with its deadline state for highlighting.
type actionRow struct {
	*samverkan.Action
	Overdue, DueSoon bool
}

func actionRows(actions []*samverkan.Action, today trygg.Day) []actionRow {
	rows := make([]actionRow, len(actions))
	for i, a := range actions {
		rows[i] = actionRow{Action: a, Overdue: a.Overdue(today), DueSoon: a.DueSoon(today)}
	}
	return rows
}

type actionListData struct {
	Mine    bool
	OrgName string
	Overdue int
	DueSoon int
	Rows    []actionRow
	Names   names
}

func (s *Server) actionListPage(w http.ResponseWriter, r *http.Request, mine bool) {
	u := trygg.UserFromContext(r.Context())
	f := samverkan.ActionFilter{}
	d := &actionListData{Mine: mine}
	title, nav := "Alla åtgärder", "actions"
	if mine {
		f.OrgCode = u.Org.Code
		d.OrgName = u.Org.Name
		title, nav = "Min organisations åtgärder", "actions_mine"
	}
	actions, err := s.cfg.Actions.FindActions(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.lookups(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Rows, d.Names = actionRows(actions, trygg.DayOf(s.now())), l.Names
	// Overdue first, then due soon, then the rest, each by deadline.
	rank := func(a actionRow) int {
		switch {
		case a.Overdue:
			return 0
		case a.DueSoon:
			return 1
		case a.Open():
			return 2
		}
		return 3
	}
	slices.SortStableFunc(d.Rows, func(a, b actionRow) int { return rank(a) - rank(b) })
	for _, row := range d.Rows {
		if row.Overdue {
			d.Overdue++
		} else if row.DueSoon {
			d.DueSoon++
		}
	}
	s.render(w, r, http.StatusOK, "samverkan_actions", view{Title: title, Nav: nav, Data: d})
}

func (s *Server) actionList(w http.ResponseWriter, r *http.Request) { s.actionListPage(w, r, false) }
func (s *Server) myActions(w http.ResponseWriter, r *http.Request)  { s.actionListPage(w, r, true) }

// actionForm is "Ny åtgärd" and "Redigera åtgärd".
type actionForm struct {
	Title, Description string
	Owner, OwnerUser   string
	Areas              []string
	Start, Deadline    string
	Commitment         string
}

func actionFormFromRequest(r *http.Request) actionForm {
	return actionForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Owner: r.PostFormValue("owner"), OwnerUser: r.PostFormValue("owner_user"), Areas: r.PostForm["areas"],
		Start: r.PostFormValue("start"), Deadline: r.PostFormValue("deadline"), Commitment: r.PostFormValue("commitment")}
}

func actionFormFrom(a *samverkan.Action) actionForm {
	f := actionForm{Title: a.Title, Description: a.Description, Owner: a.OwnerOrgCode, Areas: a.Areas,
		Start: dayString(a.Start), Deadline: dayString(a.Deadline)}
	if a.OwnerUserID != nil {
		f.OwnerUser = strconv.FormatInt(*a.OwnerUserID, 10)
	}
	if a.CommitmentID != nil {
		f.Commitment = strconv.FormatInt(*a.CommitmentID, 10)
	}
	return f
}

// optionalID reads an optional ID field.
func optionalID(v *trygg.Validation, field, s, message string) *int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "%s", message)
		return nil
	}
	return &id
}

// Validate parses the form into an ActionInput.
func (f *actionForm) Validate() (samverkan.ActionInput, error) {
	var v trygg.Validation
	in := samverkan.ActionInput{Title: f.Title, Description: f.Description, OwnerOrgCode: f.Owner, Areas: f.Areas,
		Start: parseDay(&v, "start", f.Start), Deadline: parseDay(&v, "deadline", f.Deadline),
		OwnerUserID:  optionalID(&v, "owner_user", f.OwnerUser, "Välj en person i listan."),
		CommitmentID: optionalID(&v, "commitment", f.Commitment, "Välj ett åtagande i listan.")}
	return in, mergeErrors(&v, in.Validate())
}

// assigneeGroup is the people of one organisation, for the person list.
type assigneeGroup struct {
	Org    string
	People []samverkan.Assignee
}

// commitmentChoice is a commitment an action can come from.
type commitmentChoice struct {
	ID    int64
	Label string
}

type actionFormData struct {
	Form        actionForm
	Action      string
	Edit        bool
	Areas       []*trygg.Area
	Orgs        []*trygg.Organisation
	People      []assigneeGroup
	Commitments []commitmentChoice
}

// actionPath is the action's page.
func actionPath(a *samverkan.Action) string { return "/atgarder/" + strconv.FormatInt(a.ID, 10) }

// actionFormPage shows the action form: "Ny åtgärd" when a is nil, else
// "Redigera åtgärd" of a.
func (s *Server) actionFormPage(w http.ResponseWriter, r *http.Request, f actionForm, a *samverkan.Action, err error) {
	ctx := r.Context()
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d := &actionFormData{Form: f, Action: "/atgarder/ny", Areas: l.Areas, Orgs: l.Orgs}
	for _, o := range l.Orgs {
		people, perr := s.cfg.Actions.FindAssignees(ctx, o.Code)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		if len(people) > 0 {
			d.People = append(d.People, assigneeGroup{Org: o.Name, People: people})
		}
	}
	agreements, aerr := s.cfg.Agreements.FindAgreements(ctx, samverkan.AgreementFilter{})
	if aerr != nil {
		s.error(w, r, aerr)
		return
	}
	for _, ag := range agreements {
		for _, c := range ag.Commitments {
			d.Commitments = append(d.Commitments, commitmentChoice{ID: c.ID, Label: ag.Title + ": " + c.Text})
		}
	}
	v := view{Title: "Ny åtgärd", Nav: "actions", Data: d}
	if a != nil {
		d.Edit, d.Action, v.Title = true, actionPath(a)+"/redigera", "Redigera åtgärd"
	}
	s.renderForm(w, r, "samverkan_action_form", v, err)
}

func (s *Server) newActionForm(w http.ResponseWriter, r *http.Request) {
	today := trygg.DayOf(s.now())
	f := actionForm{Start: today.String(), Deadline: (today + 14).String(), Commitment: r.URL.Query().Get("atagande")}
	s.actionFormPage(w, r, f, nil, nil)
}

func (s *Server) createAction(w http.ResponseWriter, r *http.Request) { s.saveAction(w, r, nil) }

func (s *Server) findAction(r *http.Request) (*samverkan.Action, error) {
	return findByPathID(r, s.cfg.Actions.FindActionByID)
}

func (s *Server) editActionForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.actionFormPage(w, r, actionFormFrom(a), a, nil)
}

func (s *Server) updateAction(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveAction(w, r, a)
}

// saveAction saves the action form: a new action when a is nil, else the
// edit of a. The form has no decision, so an edited action keeps the
// meeting decision it came from, if any.
func (s *Server) saveAction(w http.ResponseWriter, r *http.Request, a *samverkan.Action) {
	f := actionFormFromRequest(r)
	save := func(ctx context.Context, in samverkan.ActionInput) (*samverkan.Action, error) {
		if a == nil {
			return s.cfg.Actions.CreateAction(ctx, in)
		}
		in.DecisionID = a.DecisionID
		return s.cfg.Actions.UpdateAction(ctx, a.ID, in)
	}
	saveForm(s, w, r, f.Validate, save, func(err error) { s.actionFormPage(w, r, f, a, err) }, actionPath, "action_saved")
}

type actionData struct {
	Statuses []samverkan.ActionStatus
	Row      actionRow
	Names    names
	CanAct   bool
	Form     samverkan.ActionStatusInput
}

func (s *Server) actionPage(w http.ResponseWriter, r *http.Request, a *samverkan.Action, form samverkan.ActionStatusInput, err error) {
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	d := &actionData{Statuses: samverkan.ActionStatuses, Row: actionRows([]*samverkan.Action{a}, trygg.DayOf(s.now()))[0], Names: l.Names,
		CanAct: actsFor(trygg.UserFromContext(r.Context()), a.OwnerOrgCode), Form: form}
	v := view{Title: a.Title, Nav: "actions", Data: d}
	s.renderForm(w, r, "samverkan_action", v, err)
}

func (s *Server) actionDetail(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.actionPage(w, r, a, samverkan.ActionStatusInput{Status: a.Status, CancelReason: a.CancelReason, Outcome: a.Outcome}, nil)
}

func (s *Server) setActionStatus(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAction(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := samverkan.ActionStatusInput{Status: samverkan.ActionStatus(swedishSlug(r.PostFormValue("status"))),
		CancelReason: r.PostFormValue("cancel_reason"), Outcome: r.PostFormValue("outcome")}
	_, err = s.cfg.Actions.SetActionStatus(r.Context(), a.ID, in)
	s.answerPageForm(w, r, err, func(err error) { s.actionPage(w, r, a, in, err) }, actionPath(a), "action_status_saved")
}

// ---- Calendar feeds ---------------------------------------------------

type calendarData struct {
	OrgName string
	Feeds   []*samverkan.CalendarFeed
	NewURL  string // the new feed's address, shown once
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, newURL string) {
	u := trygg.UserFromContext(r.Context())
	feeds, err := s.cfg.Actions.FindCalendarFeeds(r.Context(), u.Org.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "samverkan_calendar", view{Title: "Kalender för åtgärder", Nav: "actions_mine",
		Data: &calendarData{OrgName: u.Org.Name, Feeds: feeds, NewURL: newURL}})
}

func (s *Server) calendarFeeds(w http.ResponseWriter, r *http.Request) { s.calendarPage(w, r, "") }

// createCalendarFeed makes a feed and shows its address on the answer
// itself, once: only a hash is kept, so it cannot be shown again.
func (s *Server) createCalendarFeed(w http.ResponseWriter, r *http.Request) {
	u := trygg.UserFromContext(r.Context())
	_, secret, err := s.cfg.Actions.CreateCalendarFeed(r.Context(), u.Org.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.calendarPage(w, r, s.siteURL(r)+"/kalender/"+secret+".ics")
}

func (s *Server) revokeCalendarFeed(w http.ResponseWriter, r *http.Request) {
	id, err := reportID(r)
	if err == nil {
		err = s.cfg.Actions.RevokeCalendarFeed(r.Context(), id)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.redirectWithFlash(w, r, "/atgarder/kalender", "calendar_revoked")
}

// calendar serves an organisation's actions as iCalendar: each open or
// finished action is an all-day event on its deadline.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.notFound(w, r)
		return
	}
	org, actions, err := s.cfg.Actions.CalendarActions(r.Context(), secret)
	if err != nil {
		s.error(w, r, err)
		return
	}
	cal := ical.Calendar{ProdID: "-//Trygg//Åtgärder//SV", Name: "Åtgärder – " + org.Name}
	for _, a := range actions {
		summary := "Klart senast: " + a.Title
		if a.Status == samverkan.ActionDone {
			summary = "Klar: " + a.Title
		}
		desc := a.Status.Label()
		if a.Description != "" {
			desc += "\n" + a.Description
		}
		if a.Status == samverkan.ActionCancelled {
			desc += "\nInställd: " + a.CancelReason
		}
		cal.Events = append(cal.Events, ical.Event{
			UID: "atgard-" + strconv.FormatInt(a.ID, 10) + "@trygg", Stamp: a.UpdatedAt, Date: a.Deadline.Start(),
			Summary: summary, Description: desc, Cancelled: a.Status == samverkan.ActionCancelled,
		})
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, cal); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="atgarder.ics"`)
	_, _ = buf.WriteTo(w)
}
