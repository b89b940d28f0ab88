package samverkan

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// ActionStatus is where an action is.
type ActionStatus string

const (
	ActionPlanned   ActionStatus = "planerad"
	ActionOngoing   ActionStatus = "pagaende"
	ActionDone      ActionStatus = "klar"
	ActionCancelled ActionStatus = "installd"
)

// ActionStatuses lists every status in order.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionOngoing, ActionDone, ActionCancelled}

// Label returns the Swedish name of the status.
func (s ActionStatus) Label() string {
	switch s {
	case ActionPlanned:
		return "Planerad"
	case ActionOngoing:
		return "Pågår"
	case ActionDone:
		return "Klar"
	case ActionCancelled:
		return "Inställd"
	}
	return string(s)
}

// DueSoonDays is how many days before its deadline an open action counts
// as due.
const DueSoonDays = 7

// Action (åtgärd) is something one organisation does, agreed at the weekly
// meeting or derived from a commitment.
type Action struct {
	ID             int64        `json:"id"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	OwnerOrgCode   string       `json:"owner"`
	OwnerOrgName   string       `json:"owner_name,omitempty"`
	OwnerUserID    *int64       `json:"owner_user_id,omitempty"`
	OwnerUserName  string       `json:"owner_user_name,omitempty"`
	Areas          []string     `json:"areas"`
	Start          trygg.Day    `json:"-"`
	Deadline       trygg.Day    `json:"-"`
	Status         ActionStatus `json:"status"`
	CancelReason   string       `json:"cancel_reason,omitempty"`
	Outcome        string       `json:"outcome,omitempty"`
	CommitmentID   *int64       `json:"commitment_id,omitempty"`
	CommitmentText string       `json:"commitment_text,omitempty"`
	DecisionID     *int64       `json:"decision_id,omitempty"` // the meeting decision it came from
	MeetingID      *int64       `json:"meeting_id,omitempty"`  // and that decision's meeting
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
}

// Open reports whether the action is still to be done.
func (a *Action) Open() bool { return a.Status == ActionPlanned || a.Status == ActionOngoing }

// Overdue reports whether an open action's deadline has passed.
func (a *Action) Overdue(today trygg.Day) bool { return a.Open() && a.Deadline < today }

// DueSoon reports whether an open action's deadline is today or within
// DueSoonDays days.
func (a *Action) DueSoon(today trygg.Day) bool {
	return a.Open() && a.Deadline >= today && a.Deadline <= today+DueSoonDays
}

// ActionInput is what the samordnare fills in for an action. Fields:
// title, description, owner, owner_user, areas, start, deadline,
// commitment.
type ActionInput struct {
	Title        string
	Description  string
	OwnerOrgCode string
	OwnerUserID  *int64
	Areas        []string
	Start        trygg.Day
	Deadline     trygg.Day
	CommitmentID *int64
	DecisionID   *int64
}

// Validate checks what needs no database.
func (in *ActionInput) Validate() error {
	var v trygg.Validation
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	in.OwnerOrgCode = strings.TrimSpace(in.OwnerOrgCode)
	trygg.CheckText(&v, "title", in.Title, 200, "Skriv vad åtgärden är.")
	trygg.CheckText(&v, "description", in.Description, 4000, "")
	if in.OwnerOrgCode == "" {
		v.Add("owner", "Välj vilken organisation som ansvarar.")
	}
	switch {
	case in.Start == 0:
		v.Add("start", "Ange när åtgärden börjar.")
	case in.Deadline == 0:
		v.Add("deadline", "Ange när åtgärden ska vara klar.")
	case in.Deadline < in.Start:
		v.Add("deadline", "Klart-datumet får inte vara före startdatumet.")
	case in.Deadline-in.Start > 366*5:
		v.Add("deadline", "En åtgärd kan pågå högst fem år.")
	}
	in.Areas = trygg.CleanCodes(in.Areas)
	return v.Err()
}

// ActionStatusInput is a status change, which the owning organisation
// makes. Fields: status, cancel_reason, outcome.
type ActionStatusInput struct {
	Status       ActionStatus
	CancelReason string
	Outcome      string
}

// Validate checks the change: a cancelled action needs a reason.
func (in *ActionStatusInput) Validate() error {
	var v trygg.Validation
	in.CancelReason, in.Outcome = strings.TrimSpace(in.CancelReason), strings.TrimSpace(in.Outcome)
	if !slices.Contains(ActionStatuses, in.Status) {
		v.Add("status", "Välj en status.")
	}
	if in.Status == ActionCancelled {
		trygg.CheckText(&v, "cancel_reason", in.CancelReason, 2000, "Skriv varför åtgärden ställs in.")
	} else {
		in.CancelReason = ""
	}
	trygg.CheckText(&v, "outcome", in.Outcome, 4000, "")
	return v.Err()
}

// ActionFilter selects actions, ordered by deadline. Zero fields do not
// filter.
type ActionFilter struct {
	OrgCode      string
	CommitmentID *int64
	OpenOnly     bool
}

// Assignee is a person an action can be given to: a user of the owning
// organisation, by name only.
type Assignee struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// CalendarFeed is a secret address at which an organisation's actions are
// served as an iCalendar feed. Only a hash of the secret is stored; it is
// shown once, when the feed is made.
type CalendarFeed struct {
	ID        int64      `json:"id"`
	OrgCode   string     `json:"org"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// ActionService keeps actions and the organisations' calendar feeds.
//
// Samordnare and läsare see every action; rapportör and polis see their
// own organisation's. Samordnare create and edit actions; the samordnare
// and the owning organisation's rapportör or polis change the status.
// Anything the caller may not see answers ENOTFOUND (EUNAUTHORIZED when
// not signed in).
type ActionService interface {
	// FindActions returns the visible actions matching f.
	FindActions(ctx context.Context, f ActionFilter) ([]*Action, error)
	// FindActionByID returns ENOTFOUND if missing or not visible.
	FindActionByID(ctx context.Context, id int64) (*Action, error)
	// CreateAction returns EINVALID naming each bad field. Samordnare.
	CreateAction(ctx context.Context, in ActionInput) (*Action, error)
	// UpdateAction replaces the action's fields, not its status. Samordnare.
	UpdateAction(ctx context.Context, id int64, in ActionInput) (*Action, error)
	// SetActionStatus changes status, outcome and cancel reason.
	SetActionStatus(ctx context.Context, id int64, in ActionStatusInput) (*Action, error)
	// FindAssignees lists the active users of an organisation that an
	// action may be given to. Samordnare, or that organisation's own
	// rapportör and polis.
	FindAssignees(ctx context.Context, orgCode string) ([]Assignee, error)

	// CreateCalendarFeed makes a feed for an organisation and returns
	// the secret once. Samordnare, or the organisation's own rapportör
	// and polis.
	CreateCalendarFeed(ctx context.Context, orgCode string) (*CalendarFeed, string, error)
	// FindCalendarFeeds lists an organisation's feeds, revoked ones too.
	// Callers as for CreateCalendarFeed.
	FindCalendarFeeds(ctx context.Context, orgCode string) ([]*CalendarFeed, error)
	// RevokeCalendarFeed stops a feed for good. Callers as for
	// CreateCalendarFeed.
	RevokeCalendarFeed(ctx context.Context, id int64) error
	// CalendarActions returns the organisation and its actions for a
	// feed's secret. Anyone holding the secret may call it; an unknown
	// or revoked secret answers ENOTFOUND.
	CalendarActions(ctx context.Context, secret string) (*trygg.Organisation, []*Action, error)
}
