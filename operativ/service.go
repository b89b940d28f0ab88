package operativ

import (
	"context"

	"github.com/trygg-est/trygg"
)

// Who may call the services of operativ samverkan, in common:
//
// Users with role polis, socialtjänst or arbetsledare work the operations:
// they read and record every operation (the work is joint). Samordnare and
// läsare see the statistics only (Stats, AdCounts, KastStats). The users
// of an organisation that receives a service (SupportService.OrgCode),
// whatever their role, may confirm a first contact by its code, and those
// of the KAST reception keep its log. Everyone else gets ENOTFOUND, and an
// anonymous caller EUNAUTHORIZED. Every read of an operation and every
// change is written to the audit log.

// RoutineService keeps the versions of the written routines and the
// configured support services.
type RoutineService interface {
	// FindRoutines returns every version of the routines, newest first.
	// Polis, socialtjänst and arbetsledare.
	FindRoutines(ctx context.Context) ([]*Routine, error)
	// CreateRoutine stores a new version, numbered after the newest.
	// Polis, socialtjänst and arbetsledare; EINVALID names each bad
	// field.
	CreateRoutine(ctx context.Context, in RoutineInput) (*Routine, error)
	// AttachRoutineDocument stores the signed document of a version, a
	// PDF of at most trygg.MaxDocumentSize bytes, replacing one uploaded
	// before (a wrong file); the change is audited. Polis, socialtjänst
	// and arbetsledare; ENOTFOUND for an unknown version, EINVALID (field
	// document) for a file that is no PDF or too large.
	AttachRoutineDocument(ctx context.Context, routineID int64, name string, content []byte) (*trygg.Document, error)
	// FindRoutineDocument returns the signed document of a version with
	// its content; the read is audited. Polis, socialtjänst and
	// arbetsledare; ENOTFOUND when the version has none.
	FindRoutineDocument(ctx context.Context, routineID int64) (*trygg.Document, []byte, error)
	// FindSupportServices returns the configured services. Everyone who
	// sees the statistics, and admin (who names the receivers).
	FindSupportServices(ctx context.Context) ([]*SupportService, error)
	// SetServiceOrganisation names the organisation that receives a
	// service's referrals ("" for none). Operator and admin only;
	// ENOTFOUND for an unknown service, EINVALID (field org) for an
	// unknown organisation.
	SetServiceOrganisation(ctx context.Context, serviceCode, orgCode string) error
}

// OperationService keeps joint operations, their contacts and the tasks
// they give rise to, and computes their statistics.
type OperationService interface {
	// FindOperations returns operations, newest first, without contacts.
	// Polis, socialtjänst and arbetsledare.
	FindOperations(ctx context.Context, f OperationFilter) ([]*Operation, error)
	// FindOperationByID returns an operation with its contacts, referrals
	// and tasks. Polis, socialtjänst and arbetsledare; ENOTFOUND for an
	// unknown operation.
	FindOperationByID(ctx context.Context, id int64) (*Operation, error)
	// CreateOperation stores an operation and its contacts, in one
	// transaction with its tasks: a report of concern for every suspected
	// minor, and the routine for human trafficking when the checklist
	// records signs of it. Polis, socialtjänst and arbetsledare; EINVALID
	// names each bad field.
	CreateOperation(ctx context.Context, in OperationInput) (*Operation, error)
	// AddContact adds a contact to an operation, with a report-of-concern
	// task when it is a suspected minor. Polis, socialtjänst and
	// arbetsledare; ENOTFOUND for an unknown operation, EINVALID names
	// each bad field.
	AddContact(ctx context.Context, operationID int64, in ContactInput) (*Contact, error)
	// SetSupport records the support offered to a contact. Polis,
	// socialtjänst and arbetsledare; ENOTFOUND for an unknown contact,
	// EINVALID names each bad field.
	SetSupport(ctx context.Context, contactID int64, in SupportInput) error

	// FindOpenTasks returns the open tasks of every kind, oldest first.
	// Polis, socialtjänst and arbetsledare.
	FindOpenTasks(ctx context.Context) ([]*Task, error)
	// FindTask returns one task. Polis, socialtjänst and arbetsledare;
	// ENOTFOUND for an unknown task.
	FindTask(ctx context.Context, id int64) (*Task, error)
	// CompleteTask marks an open task done: a report of concern
	// socialtjänst and arbetsledare only, the routine for human
	// trafficking also polis. ENOTFOUND for a task that is done already
	// or that the caller may not complete. A report of concern filed in
	// the register from its task completes the task itself (the
	// register's TaskID); marking it done by hand is for a report filed
	// outside Trygg.
	CompleteTask(ctx context.Context, id int64) error

	// Stats returns the aggregates (ComputeStats): exact for polis,
	// socialtjänst and arbetsledare, published by the rule of package
	// disclose for samordnare and läsare.
	Stats(ctx context.Context) (*Stats, error)
}

// ReferralService follows the referrals of contacts to the support chain.
type ReferralService interface {
	// CreateReferral refers a contact to a service on a day, with a new
	// referral code; the status is offered (or accepted when accepted).
	// Polis, socialtjänst and arbetsledare; ENOTFOUND for an unknown
	// contact, EINVALID for a missing day (field day) or an unknown
	// service (field service).
	CreateReferral(ctx context.Context, contactID int64, serviceCode string, on trygg.Day, accepted bool) (*Referral, error)
	// AdvanceReferral moves a referral on to a later status on a day.
	// Polis, socialtjänst and arbetsledare; ENOTFOUND for an unknown
	// referral, EINVALID for a status that is not later, or a day before
	// the last.
	AdvanceReferral(ctx context.Context, referralID int64, status string, on trygg.Day) error
	// ConfirmFirstContact records the first contact of the referral with
	// this code, for a user of the receiving organisation. ENOTFOUND for
	// an unknown code or another service's; ECONFLICT when already
	// confirmed.
	ConfirmFirstContact(ctx context.Context, code string, on trygg.Day) (*Referral, error)
	// ReceivedServices returns the services the caller's organisation
	// receives (empty for most callers). Any signed-in user.
	ReceivedServices(ctx context.Context) ([]*SupportService, error)
}

// AdService keeps the advertising indicator: the weekly counts of ads
// offering sex, which a commitment may follow as its indicator.
type AdService interface {
	// AdCounts returns the advertising indicator, oldest week first.
	// Everyone who sees the statistics.
	AdCounts(ctx context.Context) ([]AdWeek, error)
	// SaveAdCounts stores weeks, replacing those stored for the same
	// weeks, in one transaction; EINVALID names each bad field (with the
	// prefix weeks[N].), among them a week that has not begun yet. Polis,
	// socialtjänst, arbetsledare and samordnare.
	SaveAdCounts(ctx context.Context, weeks []AdWeek) error
	// DeleteAdWeek removes a stored week (its Monday), for a week entered
	// by mistake. Polis, socialtjänst, arbetsledare and samordnare;
	// ENOTFOUND for a week that is not stored.
	DeleteAdWeek(ctx context.Context, week trygg.Day) error
}

// KastService keeps the KAST reception log.
type KastService interface {
	// LogKastContact records a counselling contact. Users of the
	// organisation that receives KAST referrals; EINVALID names each bad
	// field.
	LogKastContact(ctx context.Context, in KastContactInput) error
	// KastStats returns the reception log's aggregates
	// (ComputeKastStats): its own users, and everyone who sees the
	// statistics.
	KastStats(ctx context.Context) (*KastStats, error)
	// IsKastStaff reports whether the caller works at the KAST reception.
	// Anyone; false for an anonymous caller.
	IsKastStaff(ctx context.Context) (bool, error)
}
