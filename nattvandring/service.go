package nattvandring

import (
	"context"
	"time"

	"github.com/trygg-est/trygg"
)

// Who may do what. A group's leaders are the users with the role
// nattvandrare in the group's organisation: they manage the group's
// volunteers, equipment, walks and logs, and only they see the
// volunteers' names. The samordnare sees every group's numbers (groups,
// walks, hours, counts of volunteers) and may create groups and change
// their insurance and minimum; admins may create groups too. Nobody else
// sees the groups. Something the caller may not see answers ENOTFOUND.

// Statistics is the module's statistics for a period.
type Statistics struct {
	From, To trygg.Day
	Groups   []*Group // the groups the caller may see, with their numbers
	Months   []MonthStat
	Weekend  []WeekendShare // every district some visible group walks
}

// PublicWalk is a published walk as the public page shows it: districts
// and times, never names or counts of people.
type PublicWalk struct {
	ID        int64
	GroupID   int64
	GroupName string
	Date      trygg.Day
	Start     time.Time
	End       time.Time
	Districts []string
	Status    string
}

// Recipient is a volunteer a reminder goes to.
type Recipient struct {
	Name  string
	Email string
}

// WalkReminder is the e-mail the day before a walk, to its signed-up
// volunteers who gave an e-mail address.
type WalkReminder struct {
	Walk PublicWalk
	// MeetingPoint is where the walkers meet.
	MeetingPoint string
	To           []Recipient
}

// HeldWalk is a walk already held, for ImportWalks: its plan, who had
// signed up and its log.
type HeldWalk struct {
	Walk    WalkInput
	SignUps []int64
	Log     WalkLog
}

// Service is the night walks.
type Service interface {
	// TrainingValidity is how long each kind of training stays valid in
	// this installation. Anyone may call it.
	TrainingValidity() Validity
	// FindGroups returns the groups the caller may see, by name, with
	// their numbers. Leaders get their own groups, the samordnare and
	// admins every group; anyone else none.
	FindGroups(ctx context.Context) ([]*Group, error)
	// FindGroupByID returns a group; ENOTFOUND if the caller may not see it.
	FindGroupByID(ctx context.Context, id int64) (*Group, error)
	// CreateGroup creates a group for an organisation of type
	// nattvandring. Samordnare, admins, and leaders (for their own
	// organisation, whatever OrgCode says). EINVALID names each bad field.
	CreateGroup(ctx context.Context, in GroupInput) (*Group, error)
	// UpdateGroup changes a group. The group's leaders and the samordnare;
	// EINVALID or ENOTFOUND.
	UpdateGroup(ctx context.Context, id int64, in GroupInput) (*Group, error)

	// FindVolunteers returns a group's volunteers with their trainings,
	// the removed ones last and without names. The group's leaders only:
	// the read is audited. ENOTFOUND for anyone else.
	FindVolunteers(ctx context.Context, groupID int64) ([]*Volunteer, error)
	// CreateVolunteer registers a volunteer, who has consented. The
	// group's leaders; EINVALID names each bad field.
	CreateVolunteer(ctx context.Context, groupID int64, in VolunteerInput) (*Volunteer, error)
	// AddTraining records a training. The group's leaders; EINVALID.
	AddTraining(ctx context.Context, volunteerID int64, in TrainingInput) error
	// RemoveVolunteer deletes a volunteer's personal data on request and
	// ends the volunteer's sign-ups for walks not yet held; past walks
	// keep an anonymous walker. The group's leaders; ENOTFOUND.
	RemoveVolunteer(ctx context.Context, volunteerID int64) error
	// PurgeVolunteers is the retention job: it removes, as
	// RemoveVolunteer does, every volunteer whose last walk (or
	// registration) is more than RetentionMonths ago, writes each to the
	// audit log and returns how many. The operator only.
	PurgeVolunteers(ctx context.Context) (int, error)

	// FindWalks returns walks matching f, oldest first, with their checks;
	// sign-ups carry names for the group's leaders only.
	FindWalks(ctx context.Context, f WalkFilter) ([]*Walk, error)
	// FindWalkByID returns a walk with its sign-ups, check and log.
	FindWalkByID(ctx context.Context, id int64) (*Walk, error)
	// ScheduleWalk plans a walk. The group's leaders; EINVALID.
	ScheduleWalk(ctx context.Context, groupID int64, in WalkInput) (*Walk, error)
	// SignUp puts a volunteer on a walk. The group's leaders; EINVALID
	// (field volunteer) with the reason when the volunteer's introduction
	// is missing or has lapsed, or the walk is cancelled or held.
	SignUp(ctx context.Context, walkID, volunteerID int64) error
	// CancelSignUp takes a volunteer off a walk. The group's leaders.
	CancelSignUp(ctx context.Context, walkID, volunteerID int64) error

	// CreateSignUpLink makes a personal sign-up link for a volunteer and
	// returns its token, which is shown once; only its SHA-256 is stored.
	// It replaces the volunteer's earlier link. The group's leaders;
	// ENOTFOUND for anyone else or a removed volunteer.
	CreateSignUpLink(ctx context.Context, volunteerID int64) (string, error)
	// RevokeSignUpLink deletes a volunteer's sign-up link; none is fine.
	// The group's leaders; ENOTFOUND.
	RevokeSignUpLink(ctx context.Context, volunteerID int64) error
	// VolunteerPage returns what the holder of a sign-up link sees.
	// Anyone with the token (no account); the read is audited with the
	// volunteer as actor. ENOTFOUND for an unknown or revoked token,
	// ERATELIMIT after too many unknown tokens from the client's address.
	VolunteerPage(ctx context.Context, token string) (*VolunteerPage, error)
	// SelfSignUp signs the link's volunteer up for an upcoming published
	// walk of the group, by the same rule as SignUp: EINVALID (field
	// volunteer) with the reason when the introduction is missing or has
	// lapsed. Anyone with the token; ENOTFOUND and ERATELIMIT as for
	// VolunteerPage, ENOTFOUND for a walk the volunteer may not see.
	SelfSignUp(ctx context.Context, token string, walkID int64) error
	// SelfCancelSignUp takes the link's volunteer off a walk not yet held,
	// as CancelSignUp does. Anyone with the token; errors as SelfSignUp.
	SelfCancelSignUp(ctx context.Context, token string, walkID int64) error
	// ConfirmWalk confirms a walk. The group's leaders; EINVALID (field
	// walk) with the reasons when the walk is red.
	ConfirmWalk(ctx context.Context, walkID int64) error
	// CancelWalk cancels a walk not yet held. The group's leaders.
	CancelWalk(ctx context.Context, walkID int64) error
	// FileLog files the walk's log and, in the same transaction, each
	// observation as an incident report from the group's organisation,
	// validated as every report is. The group's leaders; EINVALID names
	// each bad field (observations[N].field for an observation), and
	// nothing is written then. ECONFLICT when the log is already filed.
	FileLog(ctx context.Context, walkID int64, log WalkLog) (*WalkLog, error)

	// ImportWalks stores walks already held, with their sign-ups and logs
	// (the demo data, or a group's history from its own lists), in one
	// transaction; each log's observations are filed as incident reports
	// by reporterID, a user of the group's organisation. The operator
	// only; EINVALID names the first bad walk's fields (walks[N].…).
	ImportWalks(ctx context.Context, groupID, reporterID int64, walks []HeldWalk) (int, error)

	// WalkReminders returns the reminders of the walks on day that are
	// planned or confirmed, for the reminder job the day before. The
	// operator only; the read of the addresses is audited.
	WalkReminders(ctx context.Context, day trygg.Day) ([]WalkReminder, error)

	// FindItems returns a group's equipment with the open loans. The
	// group's leaders (loans carry names).
	FindItems(ctx context.Context, groupID int64) ([]*Item, error)
	// AddItem adds equipment. The group's leaders; EINVALID.
	AddItem(ctx context.Context, groupID int64, in ItemInput) (*Item, error)
	// LendItem lends an item to a volunteer of the group until due. The
	// group's leaders; EINVALID when it is lent out or written off, or
	// the date is wrong. The operator may record a loan already overdue
	// (lent a week before due), for the demo and imports.
	LendItem(ctx context.Context, itemID, volunteerID int64, due trygg.Day) error
	// ReturnItem ends the item's open loan today. The group's leaders;
	// EINVALID when it is not lent out.
	ReturnItem(ctx context.Context, itemID int64) error
	// WriteOffItem writes a lost or broken item off with a reason. The
	// group's leaders; EINVALID.
	WriteOffItem(ctx context.Context, itemID int64, reason string) error
	// FindLoans returns a group's loans, open ones first. The group's
	// leaders.
	FindLoans(ctx context.Context, groupID int64) ([]*Loan, error)

	// Statistics returns the statistics from from to to, for the groups
	// the caller may see. Leaders and the samordnare.
	Statistics(ctx context.Context, from, to trygg.Day) (*Statistics, error)
	// WalkHours returns the minutes walked per district and ISO week from
	// from to to, over all groups, for the lägesbild's overlay: numbers
	// only. Every signed-in user who sees the lägesbild.
	WalkHours(ctx context.Context, from, to trygg.Day) ([]WeekHours, error)
	// PublishedWalks returns the published walks that are not cancelled,
	// from from to to, for the public page and its calendars; anyone, also
	// anonymous callers. groupID and district filter when set.
	PublishedWalks(ctx context.Context, groupID int64, district string, from, to trygg.Day) ([]*PublicWalk, error)
}
