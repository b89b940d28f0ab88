// Package tips is the residents' anonymous tips ("Tipsa oss"): what a
// tip holds and how it is checked, its public status, the samordnare's
// moderation (accept into an incident report, merge a duplicate, reject,
// reply publicly), the category subset the public may choose from, and
// the Open311 client applications that file tips for residents.
//
// A tip keeps nothing that identifies its sender: no account, no IP
// address, no user agent. Abuse control uses a keyed hash of the sender's
// address whose key changes every day and is deleted after it, and the
// hash itself is cleared from the tip after 24 hours (see the store).
package tips

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// Limits on a tip.
const (
	MaxTextLength    = 2000 // characters of the free text
	MaxAddressLength = 200  // characters of the address or place
	MaxReplyLength   = 2000 // characters of the public reply and the reason
)

// Rate limits on new tips, counted over RateWindow.
const (
	RateWindow         = time.Hour
	MaxPerClient       = 5  // tips from one sender (by the keyed hash)
	MaxPerDistrict     = 30 // tips about one district
	ClientHashLifetime = 24 * time.Hour
)

// Status is where a tip stands, as the resident sees it.
type Status string

const (
	StatusReceived Status = "mottaget" // not yet looked at
	StatusReviewed Status = "granskat" // accepted or merged into another
	StatusResolved Status = "atgardat" // something was done
	StatusClosed   Status = "avslutat" // rejected, or closed without action
)

// Statuses lists every status in order.
var Statuses = []Status{StatusReceived, StatusReviewed, StatusResolved, StatusClosed}

// Label is the status in Swedish.
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "Mottaget"
	case StatusReviewed:
		return "Granskat"
	case StatusResolved:
		return "Åtgärdat"
	case StatusClosed:
		return "Avslutat"
	}
	return string(s)
}

// Open says whether Open311 calls the status "open" (otherwise "closed").
func (s Status) Open() bool { return s == StatusReceived || s == StatusReviewed }

// Decision is what the samordnare decided about a tip.
type Decision string

const (
	DecisionNone     Decision = ""
	DecisionAccepted Decision = "godkand"      // became an incident report
	DecisionMerged   Decision = "sammanslagen" // a duplicate of another tip
	DecisionRejected Decision = "avvisad"
)

// Label is the decision in Swedish.
func (d Decision) Label() string {
	switch d {
	case DecisionAccepted:
		return "Godkänt som händelserapport"
	case DecisionMerged:
		return "Sammanslaget med ett annat tips"
	case DecisionRejected:
		return "Avvisat"
	}
	return "Inte beslutat"
}

// Source is how a tip came in.
type Source string

const (
	SourceWeb     Source = "webb"
	SourceOpen311 Source = "open311"
)

// Tip is one tip as the samordnare sees it. Text is what the resident
// wrote, never changed: an accepted tip's report holds the samordnare's
// text, and the tip keeps the original.
type Tip struct {
	ID          int64
	Ref         string // the resident's reference code, "K7M2-Q9XR"
	Source      Source
	ClientName  string // the Open311 application, for SourceOpen311
	Category    string
	AreaCode    string
	Location    *trygg.Point // rounded, or nil
	Address     string
	OccurredAt  time.Time
	Text        string
	ReceivedAt  time.Time
	Status      Status
	Decision    Decision
	Reason      string // why it was rejected; internal
	PublicReply string
	RepliedAt   *time.Time
	ReportID    *int64 // the incident report an accepted tip became
	DuplicateOf *int64 // the tip a merged one duplicates
	DecidedAt   *time.Time
	// ErasedAt is when retention erased Text, Address and Reason; nil
	// while they are kept.
	ErasedAt *time.Time
	// SameSender is how many tips the same sender filed in the 24 hours
	// before this one, while the keyed hash is kept: a hint of abuse.
	SameSender int
}

// PublicTip is what anyone with the reference code sees: never the text,
// the reason or internal notes, only the status and the public reply.
type PublicTip struct {
	Ref         string
	Category    string // its name
	AreaName    string
	ReceivedAt  time.Time
	Status      Status
	PublicReply string
	RepliedAt   *time.Time
	UpdatedAt   time.Time
	ServiceCode string // the category code, for Open311
	Location    *trygg.Point
	Address     string
}

// Retention is how long a decided tip keeps what the resident wrote (the
// text and the place) and the samordnare's internal reason: a tip may
// hold a risk to someone, so it is kept only while the moderation needs
// it. Retention erases those three and keeps the reference code, the
// status, the category, the district, the rounded point, the dates and
// the public reply, so that the resident's status page and the statistics
// stay. An accepted tip's report keeps its own text (version 1 is the
// resident's): an incident report holds no personal data and is no part
// of a tip's retention.
type Retention struct {
	// RejectedDays is how many days after a rejection or a merge.
	RejectedDays int
	// ClosedDays is how many days after an accepted tip became åtgärdat
	// or avslutat.
	ClosedDays int
}

// DefaultRetention is the retention unless the operator configures
// another: a month for a rejected or merged tip, a quarter for a closed
// one, which leaves time for questions about the decision.
var DefaultRetention = Retention{RejectedDays: 30, ClosedDays: 90}

// MaxRetentionDays bounds a configured period (ten years).
const MaxRetentionDays = 3650

// ParseRetentionDays reads a configured period of days, from 1 to
// MaxRetentionDays; the error names the setting.
func ParseRetentionDays(name, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > MaxRetentionDays {
		return 0, trygg.Errorf(trygg.EINVALID, "%s ska vara ett antal dagar från 1 till %d.", name, MaxRetentionDays)
	}
	return n, nil
}

// RetentionItem is a tip as retention sees it: its decision and status,
// the day it was decided and the day it was closed (0: not yet).
type RetentionItem struct {
	ID        int64
	Decision  Decision
	Status    Status
	DecidedOn trygg.Day
	ClosedOn  trygg.Day
}

// Due reports whether the tip's text is due to be erased on today: more
// than RejectedDays after a rejection or merge, or more than ClosedDays
// after an accepted tip was closed. An undecided tip, and an accepted one
// still open, are never due.
func (r Retention) Due(it RetentionItem, today trygg.Day) bool {
	switch it.Decision {
	case DecisionRejected, DecisionMerged:
		return it.DecidedOn != 0 && today > it.DecidedOn+trygg.Day(r.RejectedDays)
	case DecisionAccepted:
		return !it.Status.Open() && it.ClosedOn != 0 && today > it.ClosedOn+trygg.Day(r.ClosedDays)
	}
	return false
}

// Input is a new tip.
type Input struct {
	Category   string
	AreaCode   string       // required unless Location is set
	Location   *trygg.Point // optional; the store finds its district
	Address    string       // optional place description
	OccurredAt time.Time
	Text       string
	Source     Source
	// ClientID is the Open311 application that filed it, for SourceOpen311.
	ClientID int64
}

// personalDataRule is why a tip may not hold personal data.
const personalDataRule = "Tips är anonyma och får inte innehålla personuppgifter, varken dina eller någon annans"

// Validate trims the fields and checks everything the store need not:
// the text and the place (length, personal data), the time and that a
// category and a district or a point are given. now is the time of the
// call.
func (in *Input) Validate(now time.Time) error {
	var v trygg.Validation
	in.Category = strings.TrimSpace(in.Category)
	in.AreaCode = strings.TrimSpace(in.AreaCode)
	in.Address = strings.TrimSpace(in.Address)
	in.Text = strings.TrimSpace(in.Text)
	if in.Category == "" {
		v.Add("category", "Välj vad tipset gäller.")
	}
	if in.AreaCode == "" && in.Location == nil {
		v.Add("area", "Välj ett område, eller peka ut platsen på kartan.")
	}
	if in.Location != nil {
		p := trygg.RoundPoint(*in.Location)
		in.Location = &p
	}
	trygg.CheckPastTime(&v, "occurred_at", in.OccurredAt, now,
		"Ange när det hände.", "Tiden när det hände kan inte ligga i framtiden.", "Tiden när det hände är orimligt tidig.")
	trygg.CheckText(&v, "address", in.Address, MaxAddressLength, "")
	trygg.CheckPersonalData(&v, "address", in.Address, personalDataRule)
	trygg.CheckText(&v, "text", in.Text, MaxTextLength, "Beskriv vad du har sett.")
	trygg.CheckPersonalData(&v, "text", in.Text, personalDataRule)
	if in.Source != SourceWeb && in.Source != SourceOpen311 {
		v.Add("source", "Okänd källa.")
	}
	return v.Err()
}

// Accept is how the samordnare files a tip as an incident report. The
// report's text is Description: the samordnare may rewrite the resident's
// text, which the tip keeps and the report's history holds as version 1.
type Accept struct {
	Category    string
	PlaceType   string
	Severity    int
	Description string
	PublicReply string // optional
}

// CheckReply checks a public reply or a reason: its length and that it
// holds no personal data. required, when set, is the message for an
// empty one.
func CheckReply(v *trygg.Validation, field, text, required string) {
	trygg.CheckText(v, field, text, MaxReplyLength, required)
	trygg.CheckPersonalData(v, field, text, "Svaret visas för alla som har referenskoden")
}

// Filter selects tips for the queue.
type Filter struct {
	Status Status // "": those not yet decided
	All    bool   // every tip, newest first
}

// Service keeps the tips. Anyone may submit a tip and read a tip's status
// by its reference code; the queue and every decision are the
// samordnare's (and the operator's). Anyone else gets ENOTFOUND, or
// EUNAUTHORIZED when not signed in. Every decision is one transaction
// with its audit entry.
type Service interface {
	// SubmitTip stores a new tip with status "mottaget" and returns it
	// with its reference code. Anyone. EINVALID names the bad field
	// (including a category outside the public list, a district that does
	// not exist or a point outside every district); ERATELIMIT when the
	// sender (by trygg.ClientFromContext's address, keyed and hashed) or
	// the district has sent too many tips within RateWindow.
	SubmitTip(ctx context.Context, in Input) (*Tip, error)

	// FindTipStatus returns what the public sees of the tip with ref.
	// Anyone. ENOTFOUND for an unknown code.
	FindTipStatus(ctx context.Context, ref string) (*PublicTip, error)

	// FindPublicTips lists what the public sees of tips received in
	// [from, to] (zero times: no bound), newest first, at most limit (0:
	// 1000), optionally of one category and status. Anyone. Text is
	// never in it.
	FindPublicTips(ctx context.Context, f PublicFilter) ([]*PublicTip, error)

	// FindTips returns the moderation queue. Samordnare.
	FindTips(ctx context.Context, f Filter) ([]*Tip, error)

	// FindTipByID returns one tip. Samordnare; ENOTFOUND otherwise.
	FindTipByID(ctx context.Context, id int64) (*Tip, error)

	// FindTipOfReport returns the tip the incident report reportID was
	// accepted from. Only a caller who may see both the tip and the
	// report (the samordnare); anyone else, and a report that came from
	// no tip, gets ENOTFOUND, so that nobody learns a tip exists.
	FindTipOfReport(ctx context.Context, reportID int64) (*Tip, error)

	// AcceptTip files the tip as an incident report of the organisation
	// "Medborgare" (type medborgare) in the tip's district, at its time
	// and point, and sets the status "granskat". Samordnare. EINVALID
	// names a bad field; ECONFLICT when the tip is already decided.
	AcceptTip(ctx context.Context, id int64, a Accept) (*trygg.Report, error)

	// MergeTip marks the tip a duplicate of another, undecided or
	// accepted, tip, with the other's status. Samordnare. ECONFLICT when
	// it is already decided or into is itself merged.
	MergeTip(ctx context.Context, id, into int64, reply string) error

	// RejectTip rejects the tip with an internal reason and an optional
	// public reply; the status becomes "avslutat". Samordnare.
	RejectTip(ctx context.Context, id int64, reason, reply string) error

	// ReplyTip sets the public reply and, when status is given, moves a
	// decided tip to "åtgärdat" or "avslutat". Samordnare.
	ReplyTip(ctx context.Context, id int64, reply string, status Status) error

	// PublicCategories returns the categories the public may choose
	// from, in the taxonomy's order. Anyone.
	PublicCategories(ctx context.Context) ([]*trygg.Category, error)

	// SetPublicCategories replaces that list. Samordnare. EINVALID for an
	// unknown or archived category.
	SetPublicCategories(ctx context.Context, codes []string) error
}

// PublicFilter selects public tip statuses (Open311 GET requests).
type PublicFilter struct {
	Refs     []string
	Category string
	Status   []Status
	From, To time.Time
	Limit    int
}

// Client is an application allowed to file tips through Open311.
type Client struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

// ClientService keeps the Open311 client applications and their API
// keys. The admin (and the operator) issue and revoke keys; anyone may
// present one.
type ClientService interface {
	// CreateClient registers an application and returns it with its API
	// key, shown this once (only a hash is kept). Admin. EINVALID for an
	// empty or too long name.
	CreateClient(ctx context.Context, name string) (*Client, string, error)
	// FindClients lists the applications. Admin.
	FindClients(ctx context.Context) ([]*Client, error)
	// RevokeClient stops a key working. Admin. ENOTFOUND for an unknown id.
	RevokeClient(ctx context.Context, id int64) error
	// AuthenticateClient returns the application whose key this is.
	// Anyone. EUNAUTHORIZED for an unknown or revoked key.
	AuthenticateClient(ctx context.Context, key string) (*Client, error)
}
