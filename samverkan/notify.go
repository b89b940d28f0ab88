package samverkan

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/trygg-est/trygg"
)

// NewDecisionDays is how far back an action that a meeting decision gave
// an organisation counts as new, for a user who has never marked the list
// read (or marked it longer ago than that).
const NewDecisionDays = 14

// NoticeKind is why an action is on a user's "Att göra".
type NoticeKind string

const (
	// NoticeOverdue: an open action whose deadline has passed.
	NoticeOverdue NoticeKind = "forsenad"
	// NoticeDueSoon: an open action due today or within DueSoonDays days.
	NoticeDueSoon NoticeKind = "snart"
	// NoticeDecided: an open action that a meeting decision gave the
	// organisation since the user last marked the list read.
	NoticeDecided NoticeKind = "beslutad"
)

// Label returns the Swedish words shown beside the notice.
func (k NoticeKind) Label() string {
	switch k {
	case NoticeOverdue:
		return "Försenad"
	case NoticeDueSoon:
		return "Inom 7 dagar"
	case NoticeDecided:
		return "Nytt beslut"
	}
	return string(k)
}

// Notice is one entry of a user's "Att göra": an action that needs the
// organisation's attention. New marks an action from a meeting decision
// that the user has not yet marked read, whatever its kind.
type Notice struct {
	Kind   NoticeKind `json:"kind"`
	New    bool       `json:"new"`
	Action *Action    `json:"action"`
}

// Notices picks the notices out of an organisation's actions: open actions
// that are overdue or due within DueSoonDays days of today, and open
// actions from meeting decisions created after since. Each action appears
// once, overdue ones first, then those due soon, then the new decisions,
// each group by deadline.
func Notices(actions []*Action, today trygg.Day, since time.Time) []Notice {
	rank := map[NoticeKind]int{NoticeOverdue: 0, NoticeDueSoon: 1, NoticeDecided: 2}
	var out []Notice
	for _, a := range actions {
		n := Notice{Action: a, New: a.Open() && a.DecisionID != nil && a.CreatedAt.After(since)}
		switch {
		case a.Overdue(today):
			n.Kind = NoticeOverdue
		case a.DueSoon(today):
			n.Kind = NoticeDueSoon
		case n.New:
			n.Kind = NoticeDecided
		default:
			continue
		}
		out = append(out, n)
	}
	slices.SortStableFunc(out, func(a, b Notice) int {
		return cmp.Or(rank[a.Kind]-rank[b.Kind], cmp.Compare(a.Action.Deadline, b.Action.Deadline), cmp.Compare(a.Action.ID, b.Action.ID))
	})
	return out
}

// NoticeSince is the time after which a decision's action counts as new:
// when the user last marked the list read (nil: never), but at most
// NewDecisionDays before now.
func NoticeSince(readAt *time.Time, now time.Time) time.Time {
	earliest := now.AddDate(0, 0, -NewDecisionDays)
	if readAt == nil || readAt.Before(earliest) {
		return earliest
	}
	return *readAt
}

// NoticeList is a user's "Att göra" with when they last marked it read.
type NoticeList struct {
	Notices []Notice   `json:"notices"`
	ReadAt  *time.Time `json:"read_at,omitempty"`
}

// NewCount is how many notices are new decisions not yet marked read.
func (l *NoticeList) NewCount() int {
	n := 0
	for _, x := range l.Notices {
		if x.New {
			n++
		}
	}
	return n
}

// NoticeService keeps each user's in-app notices ("Att göra"). They are
// computed from the actions when asked for, so nothing runs in the
// background for them.
//
// Samordnare, rapportör and polis read and mark their own list; anyone
// else gets ENOTFOUND (EUNAUTHORIZED when not signed in).
type NoticeService interface {
	// FindNotices returns the caller's notices: their organisation's
	// open actions that are overdue or due within DueSoonDays days, and
	// the open actions that meeting decisions gave their organisation
	// since NoticeSince.
	FindNotices(ctx context.Context) (*NoticeList, error)
	// MarkNoticesRead marks the decisions so far as read for the caller.
	MarkNoticesRead(ctx context.Context) error
}

// Recipient is a person an e-mail goes to.
type Recipient struct {
	Name  string
	Email string
}

// ActionReminder is the e-mail about one open action to the people who
// own it: its person, or else the owning organisation's rapportörer and
// poliser. Kind is NoticeDueSoon DueSoonDays days before the deadline and
// NoticeOverdue on the day after it.
type ActionReminder struct {
	Kind   NoticeKind
	Action *Action
	To     []Recipient
}

// ReminderDeadlines returns the deadlines of the open actions reminded of
// on day: DueSoonDays after it (NoticeDueSoon) and the day before it
// (NoticeOverdue).
func ReminderDeadlines(day trygg.Day) (dueSoon, overdue trygg.Day) {
	return day + DueSoonDays, day - 1
}

// ReminderKind returns the reminder an action gets on day, and false when
// it gets none: only open actions with one of the ReminderDeadlines of day
// are reminded of.
func ReminderKind(a *Action, day trygg.Day) (NoticeKind, bool) {
	dueSoon, overdue := ReminderDeadlines(day)
	switch {
	case !a.Open():
		return "", false
	case a.Deadline == dueSoon:
		return NoticeDueSoon, true
	case a.Deadline == overdue:
		return NoticeOverdue, true
	}
	return "", false
}

// DigestDays is how many days back a digest counts the actions meeting
// decisions created.
const DigestDays = 7

// DigestSince is the time after which a decision's action is new to the
// digest sent at now.
func DigestSince(now time.Time) time.Time { return now.AddDate(0, 0, -DigestDays) }

// Digest is a samordnare's weekly summary: every organisation's open
// actions that are overdue or due within DueSoonDays days, and the actions
// meeting decisions created in the last week (as Notices groups them).
type Digest struct {
	To      Recipient
	Notices []Notice
}

// Mail is an e-mail that a scheduled job sends.
type Mail struct {
	To      Recipient
	Subject string
	Body    string
}

// QueuedMail is a mail in the outbox, as the sender takes it.
type QueuedMail struct {
	ID     int64
	Job    string // the job that queued it
	Period string // and the period it queued it for
	Mail
	CreatedAt time.Time
	Attempts  int // the attempts to send it, counting the one it is taken for
}

// ReminderService is what the scheduled jobs read, and the outbox that
// makes each job's mails go out once per period even when several
// instances share one database: a job claims its period and queues its
// mails in one transaction, and a sender on any instance takes each
// queued mail for itself alone until it is sent. Only the operator calls
// it (the jobs run as the system); anyone else gets ENOTFOUND
// (EUNAUTHORIZED when not signed in).
type ReminderService interface {
	// UnclaimedPeriods returns the periods, of those given and in their
	// order, that job has not been claimed for yet.
	UnclaimedPeriods(ctx context.Context, job string, periods []string) ([]string, error)
	// QueueJob claims job for period (a day or an ISO week, as text) and
	// queues mails, in one transaction. It reports whether this caller
	// got the claim: true for exactly one caller across every instance,
	// false (and nothing queued) for all others. When it fails nothing is
	// claimed, so a later call may try again.
	QueueJob(ctx context.Context, job, period string, mails []Mail) (bool, error)
	// ActionReminders returns the reminders of day: for open actions due
	// on day+DueSoonDays, and for those whose deadline was the day before
	// day. Actions without anyone to tell are left out.
	ActionReminders(ctx context.Context, day trygg.Day) ([]ActionReminder, error)
	// Digests returns one digest per active samordnare, for the week
	// ending now.
	Digests(ctx context.Context) ([]Digest, error)

	// TakeMail takes the oldest unsent mail whose next attempt is due,
	// for this caller alone: it counts the attempt and moves the next
	// one lease ahead, so that no other caller takes it meanwhile and a
	// sender that stops before it reports back is followed by another
	// after lease. It returns nil when no mail is due.
	TakeMail(ctx context.Context, lease time.Duration) (*QueuedMail, error)
	// MailSent marks a taken mail sent. ENOTFOUND if there is no such
	// unsent mail.
	MailSent(ctx context.Context, id int64) error
	// MailFailed records why an attempt to send a taken mail failed
	// (reason must hold no personal data) and when to try again; a zero
	// retry gives up: the mail is never tried again. ENOTFOUND if there
	// is no such unsent mail.
	MailFailed(ctx context.Context, id int64, reason string, retry time.Time) error
	// PurgeMail deletes, since they hold names and addresses, the mails
	// sent before before and the unsent ones queued before it, and
	// returns how many.
	PurgeMail(ctx context.Context, before time.Time) (int, error)
}
