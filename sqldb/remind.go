package sqldb

import (
	"context"

	"github.com/trygg-est/trygg"
)

var _ trygg.ReminderService = (*ReminderService)(nil)

// ReminderService reads what the scheduled reminder jobs send and claims
// each job's period in job_runs.
type ReminderService struct{ db *DB }

// NewReminderService returns the reminder service of db.
func NewReminderService(db *DB) *ReminderService { return &ReminderService{db: db} }

// ClaimJob inserts the job's row for period. The primary key lets exactly
// one INSERT add it: on PostgreSQL a concurrent second one waits for the
// first to commit and then does nothing, and SQLite writes one transaction
// at a time. Only the operator.
func (s *ReminderService) ClaimJob(ctx context.Context, job, period string) (bool, error) {
	c := caller(ctx)
	if !c.operator {
		return false, c.denied()
	}
	var claimed bool
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO job_runs (job, period, claimed_at) VALUES ($1, $2, $3)
			ON CONFLICT (job, period) DO NOTHING`, job, period, millis(tx.now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// recipients returns the active users matching where, by id.
func recipients(ctx context.Context, q queryer, where string, args ...any) ([]trygg.Recipient, error) {
	var out []trygg.Recipient
	err := eachRow(ctx, q, "SELECT u.name, u.email FROM users u WHERE u.disabled_at IS NULL AND "+where+" ORDER BY u.id", args,
		func(row interface{ Scan(...any) error }) error {
			var r trygg.Recipient
			err := row.Scan(&r.Name, &r.Email)
			out = append(out, r)
			return err
		})
	return out, err
}

// ActionReminders returns the day's reminders. Only the operator.
func (s *ReminderService) ActionReminders(ctx context.Context, today trygg.Day) ([]trygg.ActionReminder, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	actions, err := findActions(ctx, s.db.read, " WHERE a.status IN ('planned', 'ongoing') AND a.deadline IN ($1, $2)",
		today+trygg.DueSoonDays, today-1)
	if err != nil {
		return nil, err
	}
	var out []trygg.ActionReminder
	for _, a := range actions {
		r := trygg.ActionReminder{Kind: trygg.NoticeDueSoon, Action: a}
		if a.Overdue(today) {
			r.Kind = trygg.NoticeOverdue
		}
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
func (s *ReminderService) Digests(ctx context.Context) ([]trygg.Digest, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	now := s.db.Now()
	today, since := trygg.DayOf(now), now.AddDate(0, 0, -7)
	to, err := recipients(ctx, s.db.read, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'samordnare')")
	if err != nil || len(to) == 0 {
		return nil, err
	}
	actions, err := noticeActions(ctx, s.db.read, 0, today, since)
	if err != nil {
		return nil, err
	}
	notices := trygg.Notices(actions, today, since)
	out := make([]trygg.Digest, len(to))
	for i, r := range to {
		out[i] = trygg.Digest{To: r, Notices: notices}
	}
	return out, nil
}
