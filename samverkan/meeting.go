package samverkan

import (
	"context"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Meeting is the weekly samordningsmöte of the EST loop: which partners
// attended, the minutes, and the decisions, each of which may create
// actions. Closing the meeting locks its minutes and decisions.
type Meeting struct {
	ID           int64       `json:"id"`
	Day          trygg.Day   `json:"day"`
	Attendees    []Party     `json:"attendees"` // organisations; Signatory unused
	Minutes      string      `json:"minutes"`
	Decisions    []*Decision `json:"decisions"`
	ClosedAt     *time.Time  `json:"closed_at,omitempty"`
	ClosedByName string      `json:"closed_by_name,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Title names the meeting by its ISO week.
func (m *Meeting) Title() string {
	return "Samordningsmöte " + trygg.WeekOf(m.Day).String()
}

// Closed reports whether the minutes are locked.
func (m *Meeting) Closed() bool { return m.ClosedAt != nil }

// CheckOpen answers a change to the meeting: ECONFLICT once it is closed
// and its minutes are locked, nil before.
func (m *Meeting) CheckOpen() error {
	if m.Closed() {
		return trygg.Errorf(trygg.ECONFLICT, "Mötet är stängt och protokollet är låst.")
	}
	return nil
}

// Decision is one decision of a meeting, with the actions it created.
type Decision struct {
	ID        int64     `json:"id"`
	MeetingID int64     `json:"meeting_id"`
	Text      string    `json:"text"`
	Actions   []*Action `json:"actions"`
	CreatedAt time.Time `json:"created_at"`
}

// MeetingInput is what the samordnare records during the meeting. Fields:
// attendees, minutes.
type MeetingInput struct {
	Attendees []string // organisation codes
	Minutes   string
}

// Validate checks the input.
func (in *MeetingInput) Validate() error {
	var v trygg.Validation
	in.Minutes = strings.TrimSpace(in.Minutes)
	in.Attendees = trygg.CleanCodes(in.Attendees)
	trygg.CheckText(&v, "minutes", in.Minutes, 20000, "")
	return v.Err()
}

// DecisionInput is a decision; with Action set, the decision also creates
// that action (whose DecisionID the store sets). Fields: decision_text,
// and the action's fields.
type DecisionInput struct {
	Text   string
	Action *ActionInput
}

// Validate checks the decision and its action.
func (in *DecisionInput) Validate() error {
	var v trygg.Validation
	in.Text = strings.TrimSpace(in.Text)
	trygg.CheckText(&v, "decision_text", in.Text, 2000, "Skriv vad mötet beslutade.")
	if in.Action != nil {
		if err := in.Action.Validate(); err != nil {
			v.Fields = append(v.Fields, trygg.ErrorFields(err)...)
		}
	}
	return v.Err()
}

// MeetingService keeps the weekly meetings. Samordnare create meetings and
// record attendance, minutes and decisions, and close them; samordnare,
// rapportör, polis and läsare read them. A closed meeting answers every
// change with ECONFLICT.
type MeetingService interface {
	// FindMeetings returns the meetings, newest first.
	FindMeetings(ctx context.Context) ([]*Meeting, error)
	// FindMeetingByID returns the meeting with its decisions and their
	// actions; ENOTFOUND if missing or not visible.
	FindMeetingByID(ctx context.Context, id int64) (*Meeting, error)
	// CreateMeeting opens a meeting on day. Samordnare.
	CreateMeeting(ctx context.Context, day trygg.Day) (*Meeting, error)
	// UpdateMeeting records attendance and minutes. Samordnare.
	UpdateMeeting(ctx context.Context, id int64, in MeetingInput) (*Meeting, error)
	// AddDecision records a decision and creates its action, in one
	// transaction. Samordnare.
	AddDecision(ctx context.Context, meetingID int64, in DecisionInput) (*Decision, error)
	// CloseMeeting locks the minutes and decisions for good. Samordnare.
	CloseMeeting(ctx context.Context, id int64) error
}
