package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"net/mail"
	"time"

	"github.com/trygg-est/trygg/samverkan"
)

// The outbox (mail_outbox) of the reminder jobs. QueueJob claims a job's
// period and writes its mails in one transaction, so that a period is
// either claimed with all its mails queued or not claimed at all. A
// sender takes one due mail at a time by moving its next attempt ahead
// (TakeMail) and then marks it sent or failed.

// neverAgain is the next_attempt_at of a mail given up on.
const neverAgain = math.MaxInt64

// QueueJob inserts the job's row for period and, when that added it, the
// mails. The primary key of job_runs lets exactly one INSERT add the row:
// on PostgreSQL a concurrent second one waits for the first to commit and
// then does nothing, and SQLite writes one transaction at a time. Only
// the operator.
func (s *ReminderService) QueueJob(ctx context.Context, job, period string, mails []samverkan.Mail) (bool, error) {
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
		if err != nil || n == 0 {
			return err
		}
		for _, m := range mails {
			_, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (job, period, recipient, subject, body, created_at, next_attempt_at)
				VALUES ($1, $2, $3, $4, $5, $6, $6)`, job, period, address(m.To), m.Subject, m.Body, millis(tx.now))
			if err != nil {
				return err
			}
		}
		claimed = true
		return nil
	})
	return claimed && err == nil, err
}

// address is how a recipient is stored: as the To header has it.
func address(r samverkan.Recipient) string {
	return (&mail.Address{Name: r.Name, Address: r.Email}).String()
}

// recipient reads a stored address back. One that does not parse (which
// address never writes) is kept whole as the e-mail address, for the
// relay to refuse.
func recipient(s string) samverkan.Recipient {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return samverkan.Recipient{Email: s}
	}
	return samverkan.Recipient{Name: a.Name, Email: a.Address}
}

// TakeMail takes the due mail with the earliest next attempt, in one
// UPDATE whose subquery picks it. SQLite runs one write at a time; on
// PostgreSQL the subquery skips a row another transaction has locked
// (skipLocked), so two instances never take the same mail. A read first
// spares the write transaction when nothing is due, as on most runs.
// Only the operator.
func (s *ReminderService) TakeMail(ctx context.Context, lease time.Duration) (*samverkan.QueuedMail, error) {
	c := caller(ctx)
	if !c.operator {
		return nil, c.denied()
	}
	var due int
	err := s.db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= $1",
		millis(s.db.Now())).Scan(&due)
	if err != nil || due == 0 {
		return nil, err
	}
	var out *samverkan.QueuedMail
	err = s.db.inWrite(ctx, func(tx *Tx) error {
		var m samverkan.QueuedMail
		var to string
		var created int64
		err := tx.QueryRowContext(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1
			WHERE id = (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= $2
				ORDER BY next_attempt_at, id LIMIT 1`+skipLocked(s.db.dialect)+`)
			RETURNING id, job, period, recipient, subject, body, created_at, attempts`,
			millis(tx.now.Add(lease)), millis(tx.now)).
			Scan(&m.ID, &m.Job, &m.Period, &to, &m.Subject, &m.Body, &created, &m.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		m.To, m.CreatedAt = recipient(to), fromMillis(created)
		out = &m
		return nil
	})
	return out, err
}

// MailSent sets sent_at. Only the operator.
func (s *ReminderService) MailSent(ctx context.Context, id int64) error {
	c := caller(ctx)
	if !c.operator {
		return c.denied()
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		return updatedOne(tx.ExecContext(ctx, "UPDATE mail_outbox SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL", millis(tx.now), id))
	})
}

// MailFailed sets last_error and next_attempt_at, which neverAgain keeps
// from ever being due when the sender gives up. Only the operator.
func (s *ReminderService) MailFailed(ctx context.Context, id int64, reason string, retry time.Time) error {
	c := caller(ctx)
	if !c.operator {
		return c.denied()
	}
	next := int64(neverAgain)
	if !retry.IsZero() {
		next = millis(retry)
	}
	return s.db.inWrite(ctx, func(tx *Tx) error {
		return updatedOne(tx.ExecContext(ctx, "UPDATE mail_outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3 AND sent_at IS NULL",
			reason, next, id))
	})
}

// PurgeMail deletes by sent_at, or created_at for the unsent. Only the
// operator.
func (s *ReminderService) PurgeMail(ctx context.Context, before time.Time) (int, error) {
	c := caller(ctx)
	if !c.operator {
		return 0, c.denied()
	}
	var n int64
	err := s.db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM mail_outbox WHERE COALESCE(sent_at, created_at) < $1", millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
