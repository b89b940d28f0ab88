package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/lagesbild"
	"github.com/trygg-est/trygg/samverkan"
)

func (s *Server) meetingRoutes() []route {
	return []route{
		{pattern: "GET /moten", name: "meetings", roles: samverkanReaders, handler: s.meetings},
		{pattern: "POST /moten", name: "meeting_create", roles: samverkanManager, handler: s.createMeeting},
		{pattern: "GET /moten/{id}", name: "meeting", roles: samverkanReaders, handler: s.meetingDetail},
		{pattern: "POST /moten/{id}", name: "meeting_update", roles: samverkanManager, handler: s.updateMeeting},
		{pattern: "POST /moten/{id}/beslut", name: "meeting_decision", roles: samverkanManager, handler: s.addDecision},
		{pattern: "POST /moten/{id}/stang", name: "meeting_close", roles: samverkanManager, handler: s.closeMeeting},
	}
}

// meetingPath is the meeting's page.
func meetingPath(m *samverkan.Meeting) string { return "/moten/" + strconv.FormatInt(m.ID, 10) }

type meetingsData struct {
	Meetings []*samverkan.Meeting
	Day      string
}

func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request, day string, err error) {
	list, ferr := s.cfg.Meetings.FindMeetings(r.Context())
	if ferr != nil {
		s.error(w, r, ferr)
		return
	}
	v := view{Title: "Samordningsmöten", Nav: "samverkan", Data: &meetingsData{Meetings: list, Day: day}}
	s.renderForm(w, r, "samverkan_meetings", v, err)
}

func (s *Server) meetings(w http.ResponseWriter, r *http.Request) {
	s.meetingsPage(w, r, trygg.DayOf(s.now()).String(), nil)
}

func (s *Server) createMeeting(w http.ResponseWriter, r *http.Request) {
	day := r.PostFormValue("day")
	validate := func() (trygg.Day, error) {
		var v trygg.Validation
		d := parseDay(&v, "day", day)
		return d, v.Err()
	}
	saveForm(s, w, r, validate, s.cfg.Meetings.CreateMeeting,
		func(err error) { s.meetingsPage(w, r, day, err) }, meetingPath, "meeting_saved")
}

// agenda is what the meeting goes through: the lägesbild's flagged
// increases and largest changes for the week before the meeting, and the
// actions that are overdue or due within 7 days.
type agenda struct {
	Week     string
	Counted  bool // false when the caller may not read counts
	Flags    []lagesbild.Flag
	Changes  []lagesbild.Change
	Actions  []actionRow
	Overdue  int
	DueSoon  int
	Problems string
}

// agendaChanges is how many of the largest changes the agenda lists.
const agendaChanges = 5

func (s *Server) buildAgenda(r *http.Request, m *samverkan.Meeting, l *lookups) (*agenda, error) {
	ctx := r.Context()
	today := trygg.DayOf(s.now())
	ref := min(today, m.Day-1)
	period, err := lagesbild.NewPeriod(lagesbild.PeriodWeek, ref, ref)
	if err != nil {
		return nil, err
	}
	a := &agenda{Week: period.Label}
	p, err := lagesbild.Build(ctx, s.cfg.Counts, lagesbild.Input{Filter: lagesbild.Filter{Period: period}, Today: ref,
		Areas: l.Areas, Categories: l.Categories})
	switch trygg.ErrorCode(err) {
	case "":
		a.Counted, a.Flags, a.Changes = true, p.Flags, p.Changes[:min(agendaChanges, len(p.Changes))]
	case trygg.ENOTFOUND:
	default:
		return nil, err
	}
	open, err := s.cfg.Actions.FindActions(ctx, samverkan.ActionFilter{OpenOnly: true})
	if err != nil {
		return nil, err
	}
	for _, row := range actionRows(open, m.Day) {
		switch {
		case row.Overdue:
			a.Overdue++
		case row.DueSoon:
			a.DueSoon++
		default:
			continue
		}
		a.Actions = append(a.Actions, row)
	}
	return a, nil
}

// meetingTyped keeps what was typed in the meeting page's forms.
type meetingTyped struct {
	Attendees []string
	Minutes   string
	Decision  string
	Action    actionForm
}

type meetingData struct {
	Meeting *samverkan.Meeting
	Agenda  *agenda
	Orgs    []*trygg.Organisation
	Areas   []*trygg.Area
	Names   names
	Typed   meetingTyped
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request, m *samverkan.Meeting, typed *meetingTyped, err error) {
	l, lerr := s.lookups(r)
	if lerr != nil {
		s.error(w, r, lerr)
		return
	}
	ag, aerr := s.buildAgenda(r, m, l)
	if aerr != nil {
		s.error(w, r, aerr)
		return
	}
	if typed == nil {
		typed = &meetingTyped{Minutes: m.Minutes, Action: actionForm{Start: m.Day.String(), Deadline: (m.Day + 14).String()}}
		for _, p := range m.Attendees {
			typed.Attendees = append(typed.Attendees, p.OrgCode)
		}
	}
	v := view{Title: m.Title(), Nav: "samverkan", Data: &meetingData{Meeting: m, Agenda: ag, Orgs: l.Orgs, Areas: l.Areas, Names: l.Names, Typed: *typed}}
	s.renderForm(w, r, "samverkan_meeting", v, err)
}

func (s *Server) findMeeting(r *http.Request) (*samverkan.Meeting, error) {
	return findByPathID(r, s.cfg.Meetings.FindMeetingByID)
}

func (s *Server) meetingDetail(w http.ResponseWriter, r *http.Request) {
	m, err := s.findMeeting(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.meetingPage(w, r, m, nil, nil)
}

// meetingAction runs one of the meeting page's forms.
func (s *Server) meetingAction(w http.ResponseWriter, r *http.Request, flash string, typed *meetingTyped, do func(m *samverkan.Meeting) error) {
	m, err := s.findMeeting(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = do(m)
	s.answerPageForm(w, r, err, func(err error) {
		if typed.Action.Start == "" && typed.Action.Title == "" {
			typed.Action = actionForm{Start: m.Day.String(), Deadline: (m.Day + 14).String()}
		}
		s.meetingPage(w, r, m, typed, err)
	}, meetingPath(m), flash)
}

func (s *Server) updateMeeting(w http.ResponseWriter, r *http.Request) {
	typed := &meetingTyped{Attendees: r.PostForm["attendees"], Minutes: r.PostFormValue("minutes")}
	s.meetingAction(w, r, "meeting_saved", typed, func(m *samverkan.Meeting) error {
		_, err := s.cfg.Meetings.UpdateMeeting(r.Context(), m.ID, samverkan.MeetingInput{Attendees: typed.Attendees, Minutes: typed.Minutes})
		return err
	})
}

// addDecision records a decision; when an action title or owner is given,
// the decision creates that action too.
func (s *Server) addDecision(w http.ResponseWriter, r *http.Request) {
	typed := &meetingTyped{Decision: r.PostFormValue("decision_text"), Action: actionFormFromRequest(r)}
	s.meetingAction(w, r, "decision_saved", typed, func(m *samverkan.Meeting) error {
		typed.Attendees, typed.Minutes = nil, m.Minutes
		for _, p := range m.Attendees {
			typed.Attendees = append(typed.Attendees, p.OrgCode)
		}
		in := samverkan.DecisionInput{Text: typed.Decision}
		var v trygg.Validation
		if strings.TrimSpace(typed.Action.Title) != "" || typed.Action.Owner != "" {
			ai, err := typed.Action.Validate()
			mergeErrors(&v, err)
			in.Action = &ai
		}
		if err := mergeErrors(&v, in.Validate()); err != nil {
			return err
		}
		_, err := s.cfg.Meetings.AddDecision(r.Context(), m.ID, in)
		return err
	})
}

func (s *Server) closeMeeting(w http.ResponseWriter, r *http.Request) {
	s.meetingAction(w, r, "meeting_closed", &meetingTyped{}, func(m *samverkan.Meeting) error {
		return s.cfg.Meetings.CloseMeeting(r.Context(), m.ID)
	})
}
