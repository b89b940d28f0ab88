package sspf

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sealed"
)

// Action is a meeting decision that became an action on a case: an owner
// part, a deadline. SSPF keeps its own actions rather than samverkan's:
// those appear in the samordnare's digest, the public pages and the
// municipality's feeds, and an action on a named young person must not.
type Action struct {
	ID        int64
	CaseRef   string
	Title     string
	OwnerPart string
	Deadline  trygg.Day
	Done      bool
	MeetingID int64
}

// ActionInput is a decision as the coordinator records it at a meeting.
type ActionInput struct {
	CaseRef   string
	Title     string
	OwnerPart string
	Deadline  trygg.Day
}

// MaxTitle is the longest action title, in characters.
const MaxTitle = 200

// Validate checks an action. The title may not hold personal data: it goes
// into reminder e-mails.
func (in *ActionInput) Validate(today trygg.Day) error {
	var v trygg.Validation
	in.Title = strings.TrimSpace(in.Title)
	if in.CaseRef == "" {
		v.Add("case", "Välj ärendet beslutet gäller.")
	}
	trygg.CheckText(&v, "title", in.Title, MaxTitle, "Skriv vad som ska göras.")
	trygg.CheckPersonalData(&v, "title", in.Title, "Åtgärden skickas i påminnelser och får inte innehålla personuppgifter")
	if !trygg.HasCode(Parts, in.OwnerPart) {
		v.Add("owner", "Välj vem som ansvarar.")
	}
	switch {
	case in.Deadline == 0:
		v.Add("deadline", "Ange när åtgärden ska vara klar.")
	case in.Deadline < today:
		v.Add("deadline", "Datumet har redan passerat.")
	case in.Deadline > today.AddYears(2):
		v.Add("deadline", "Datumet ligger orimligt långt fram.")
	}
	return v.Err()
}

// Meeting is an SSPF team meeting; Agenda is the team's active cases on
// the meeting day.
type Meeting struct {
	ID       int64
	TeamID   int64
	TeamName string
	Day      trygg.Day
	Agenda   []*Summary
	Actions  []*Action
}

// Reminder is a due SSPF reminder: an action's deadline, or a case's
// follow-up, with no personal data: the e-mail names the case by its
// opaque reference only.
type Reminder struct {
	ToName  string
	ToEmail string
	Kind    string // ReminderAction or ReminderFollowUp
	CaseRef string
	Title   string // the action's title; "" for a follow-up
	Due     trygg.Day
}

// Reminder kinds.
const (
	ReminderAction   = "sspf_atgard"
	ReminderFollowUp = "sspf_uppfoljning"
)

// ReminderDaysBefore is how many days before a deadline or follow-up its
// reminder goes out.
const ReminderDaysBefore = 7

// StateInput moves a case: to the next state, or closed with an outcome.
type StateInput struct {
	State   string
	Outcome string
}

// Validate checks a move from state from.
func (in *StateInput) Validate(from string) error {
	var v trygg.Validation
	if !NextState(from, in.State) {
		v.Add("state", "Ärendet kan inte gå från %s till %s.", strings.ToLower(trygg.CodeLabel(States, from)),
			strings.ToLower(trygg.CodeLabel(States, in.State)))
	}
	if in.State == StateClosed && !trygg.HasCode(Outcomes, in.Outcome) {
		v.Add("outcome", "Välj ett utfall i listan.")
	}
	if in.State != StateClosed {
		in.Outcome = ""
	}
	return v.Err()
}

// Access is one entry of a case's "vem har sett vad" log.
type Access struct {
	At       time.Time
	UserName string
	OrgName  string
	Action   string
	What     string // in words, without personal data
}

// AccessPurposes are why someone opens a case: team work is the usual
// one. The audit log keeps the code.
var AccessPurposes = []trygg.Code{
	{Code: "teamarbete", Label: "Arbete i SSPF-teamet"},
	{Code: "mote", Label: "Förberedelse av teammöte"},
	{Code: "uppfoljning", Label: "Uppföljning"},
}

// Filter selects cases for the list.
type Filter struct {
	State   string // "" for every open case
	YouthID string // a personnummer or samordningsnummer, by blind index
	Limit   int
}

// RetentionItem is one closed case whose personal data retention deletes.
type RetentionItem struct {
	ID       int64
	ClosedOn trygg.Day
}

// DefaultRetentionMonths is how long after closing a case keeps its
// personal data, unless the operator configures another period.
const DefaultRetentionMonths = 36

// ParseRetentionMonths reads the configured period: months from 1 to 1200.
func ParseRetentionMonths(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultRetentionMonths, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 1200 {
		return 0, trygg.Errorf(trygg.EINVALID, "Gallringstiden ska vara ett antal månader från 1 till 1200.")
	}
	return n, nil
}

// RetentionDue reports whether a case closed on closed is due on day today
// under a period of months.
func RetentionDue(closed, today trygg.Day, months int) bool {
	return closed != 0 && today > closed.AddMonths(months)
}

// Service is the SSPF register.
//
// A case is visible to the coordinators (RoleSSPF, in an organisation of
// type socialtjänst) and to the members of the case's team (RoleSSPFMember
// and on the team); everyone else, the operator included, gets ENOTFOUND
// for the case and everything in it. Every read of a case or a list is
// written to the audit log with the IDs it showed, every change too, and
// nothing personal is written anywhere else.
type Service interface {
	// FindTeams returns the teams the caller sees: every team for a
	// coordinator, the caller's own teams for a member.
	FindTeams(ctx context.Context) ([]*Team, error)
	// CreateTeam makes a team for a district (area code). Coordinators
	// only. EINVALID for a missing name or unknown district.
	CreateTeam(ctx context.Context, name, areaCode string) (*Team, error)
	// SetMember adds a user, by e-mail, to a team or takes them off it.
	// Coordinators only. The user must have role sspf_medlem in an
	// organisation that plays a part (school, social services, police,
	// the municipality's leisure services); EINVALID otherwise.
	SetMember(ctx context.Context, teamID int64, email string, member bool) error
	// CreateCase registers a case. Coordinators only. EINVALID names each
	// bad field.
	CreateCase(ctx context.Context, in Input) (*Case, error)
	// FindCase returns a case with its consents, shares (hidden where
	// Visible says so) and actions, and audits the read with purpose (one
	// of AccessPurposes; "" is teamarbete).
	FindCase(ctx context.Context, ref, purpose string) (*Case, error)
	// FindCases returns the caller's cases: a state or a search by
	// identity number through the blind index.
	FindCases(ctx context.Context, f Filter) ([]*Summary, error)
	// SetState moves a case; closing records the outcome. Coordinators
	// only. EINVALID for a move out of order.
	SetState(ctx context.Context, ref string, in StateInput) (*Case, error)
	// AddConsent records a consent with its signed document (content
	// type-checked by trygg.CheckSignedFile). Coordinators only. EINVALID
	// names each bad field; nothing is stored then.
	AddConsent(ctx context.Context, ref string, in ConsentInput, docName string, doc []byte) (*Case, error)
	// AddSignature records a signature given later, such as the young
	// person's own at 15. Coordinators only.
	AddSignature(ctx context.Context, ref string, consentID int64, signer string) (*Case, error)
	// WithdrawConsent records that a consent was withdrawn today, which
	// takes effect at once. Coordinators only.
	WithdrawConsent(ctx context.Context, ref string, consentID int64) (*Case, error)
	// ConsentDocument returns the signed document of a consent, its
	// content type and its content, and audits the read. Coordinators
	// only.
	ConsentDocument(ctx context.Context, ref string, consentID int64) (*trygg.Document, string, []byte, error)
	// ShareInfo records a member's share. The coordinator shares as social
	// services. A share that Allow refuses answers ESCOPE with the reason.
	ShareInfo(ctx context.Context, ref string, in ShareInput) (*Share, error)
	// FindAccessLog returns the case's "vem har sett vad" log, newest
	// first. Coordinators only.
	FindAccessLog(ctx context.Context, ref string) ([]*Access, error)
	// CreateMeeting plans a team meeting. Coordinators only.
	CreateMeeting(ctx context.Context, teamID int64, day trygg.Day) (*Meeting, error)
	// FindMeetings lists the meetings of the caller's teams, newest first.
	FindMeetings(ctx context.Context) ([]*Meeting, error)
	// FindMeeting returns a meeting with its agenda and actions.
	FindMeeting(ctx context.Context, id int64) (*Meeting, error)
	// AddAction records a meeting decision as an action on a case of the
	// meeting's team. Coordinators only.
	AddAction(ctx context.Context, meetingID int64, in ActionInput) (*Action, error)
	// SetActionDone marks an action of a case done: for the coordinator
	// and the team members of the owning part; ENOTFOUND for anyone else
	// and for an action not on the case.
	SetActionDone(ctx context.Context, ref string, actionID int64) error
	// FindActions lists the open actions on the caller's cases, by
	// deadline.
	FindActions(ctx context.Context) ([]*Action, error)
	// Stats returns the aggregates, through the disclosure rule, for
	// coordinators, samordnare and läsare; others get ENOTFOUND.
	Stats(ctx context.Context, today trygg.Day) (*Stats, error)
	// LegalGrounds returns the configured legal grounds.
	LegalGrounds() []LegalGround
	// ValidityMonths returns the longest a consent may last, as
	// configured.
	ValidityMonths() int
}

// ESCOPE: a share outside what consent or a legal ground allows.
const ESCOPE = "outside_scope"

// AccessWhat says in words what an audit entry of the register did to a
// case, for its "vem har sett vad" log: action is the entry's action,
// object its object ID ("" for a list or meeting that showed the case) and
// detail its detail, which holds codes and IDs only.
func AccessWhat(action, object, detail string) string {
	info := func(s string) string { return strings.ToLower(trygg.CodeLabel(InfoTypes, s)) }
	switch {
	case object == "":
		return "Visades i en lista, en sökning eller på ett teammöte"
	case detail == "åtkomstlogg":
		return "Läste vem-har-sett-vad-loggen"
	case strings.HasPrefix(detail, "syfte: samtyckesdokument"):
		return "Öppnade det undertecknade samtycket"
	case action == trygg.AuditRead:
		if r, ok := sealed.ParseReason(detail); ok && !r.Assignee {
			return "Öppnade ärendet: " + strings.ToLower(trygg.CodeLabel(AccessPurposes, r.Purpose))
		}
		return "Öppnade ärendet som ansvarig samordnare"
	case strings.HasPrefix(detail, "delning nekad: "):
		return "Nekades att dela " + info(strings.TrimPrefix(detail, "delning nekad: "))
	case strings.HasPrefix(detail, "delning "):
		_, rest, _ := strings.Cut(detail, ": ")
		what, basis, _ := strings.Cut(rest, ", ")
		on := "med stöd av samtycke"
		if strings.HasPrefix(basis, "grund ") {
			on = "med stöd av rättslig grund"
		}
		return "Delade " + info(what) + " " + on
	case strings.HasSuffix(detail, ": återkallat"):
		return "Registrerade att samtycket återkallats"
	case strings.Contains(detail, ": underskrift "):
		_, signer, _ := strings.Cut(detail, ": underskrift ")
		return "Registrerade underskrift: " + strings.ToLower(trygg.CodeLabel(Signers, signer))
	case strings.HasPrefix(detail, "samtycke "):
		return "Registrerade samtycke med undertecknat dokument"
	case strings.HasPrefix(detail, "läge: "):
		return "Ändrade läge till " + strings.ToLower(trygg.CodeLabel(States, strings.TrimPrefix(detail, "läge: ")))
	case strings.HasPrefix(detail, "åtgärd ") && strings.HasSuffix(detail, " klar"):
		return "Markerade en åtgärd som klar"
	case strings.HasPrefix(detail, "åtgärd "):
		return "Beslut på teammöte blev en åtgärd"
	case action == trygg.AuditCreate:
		return "Registrerade ärendet"
	case action == trygg.AuditDelete:
		return "Gallrade personuppgifterna"
	}
	return "Ändrade ärendet"
}
