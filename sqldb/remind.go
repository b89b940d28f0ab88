package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

var _ samverkan.ReminderService = (*ReminderService)(nil)

// ReminderService reads what the scheduled reminder jobs send, claims
// each job's period in job_runs and keeps the mails in mail_outbox
// (outbox.go).
type ReminderService struct{ db *DB }

// NewReminderService returns the reminder service of db.
func NewReminderService(db *DB) *ReminderService { return &ReminderService{db: db} }

// UnclaimedPeriods returns the periods job_runs has no row for. Only the
// operator.
func (s *ReminderService) UnclaimedPeriods(ctx context.Context, job string, periods []string) ([]string, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	if len(periods) == 0 {
		return nil, nil
	}
	args := []any{job}
	for _, p := range periods {
		args = append(args, p)
	}
	claimed := map[string]bool{}
	err := eachRow(ctx, s.db.read, "SELECT period FROM job_runs WHERE job = $1 AND period IN ("+placeholders(2, len(periods))+")", args,
		func(row interface{ Scan(...any) error }) error {
			var p string
			err := row.Scan(&p)
			claimed[p] = true
			return err
		})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range periods {
		if !claimed[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// recipients returns the active users matching where, by id.
func recipients(ctx context.Context, q queryer, where string, args ...any) ([]samverkan.Recipient, error) {
	var out []samverkan.Recipient
	err := eachRow(ctx, q, "SELECT u.name, u.email FROM users u WHERE u.disabled_at IS NULL AND "+where+" ORDER BY u.id", args,
		func(row interface{ Scan(...any) error }) error {
			var r samverkan.Recipient
			err := row.Scan(&r.Name, &r.Email)
			out = append(out, r)
			return err
		})
	return out, err
}

// ActionReminders returns the reminders of day. Only the operator.
func (s *ReminderService) ActionReminders(ctx context.Context, day trygg.Day) ([]samverkan.ActionReminder, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	dueSoon, overdue := samverkan.ReminderDeadlines(day)
	actions, err := findActions(ctx, s.db.read, " WHERE a.status IN ('planerad', 'pagaende') AND a.deadline IN ($1, $2)", dueSoon, overdue)
	if err != nil {
		return nil, err
	}
	var out []samverkan.ActionReminder
	for _, a := range actions {
		kind, ok := samverkan.ReminderKind(a, day)
		if !ok {
			continue
		}
		r := samverkan.ActionReminder{Kind: kind, Action: a}
		if a.OwnerUserID != nil {
			if r.To, err = recipients(ctx, s.db.read, "u.id = $1", *a.OwnerUserID); err != nil {
				return nil, err
			}
		}
		if len(r.To) == 0 {
			r.To, err = recipients(ctx, s.db.read, `u.org_id = (SELECT id FROM organisations WHERE code = $1)
				AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('rapportor', 'polis'))`, a.OwnerOrgCode)
			if err != nil {
				return nil, err
			}
		}
		if len(r.To) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// Digests returns every active samordnare's weekly digest. Only the
// operator.
func (s *ReminderService) Digests(ctx context.Context) ([]samverkan.Digest, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	now := s.db.Now()
	today, since := trygg.DayOf(now), samverkan.DigestSince(now)
	to, err := recipients(ctx, s.db.read, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'samordnare')")
	if err != nil || len(to) == 0 {
		return nil, err
	}
	actions, err := noticeActions(ctx, s.db.read, 0, today, since)
	if err != nil {
		return nil, err
	}
	notices := samverkan.Notices(actions, today, since)
	out := make([]samverkan.Digest, len(to))
	for i, r := range to {
		out[i] = samverkan.Digest{To: r, Notices: notices}
	}
	return out, nil
}
