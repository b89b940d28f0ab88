// Package remind sends the samverkan reminders by e-mail: to an action's
// owners DueSoonDays days before its deadline and on the day it becomes
// overdue, and a weekly digest to every samordnare. A Runner runs the
// jobs; each job claims its day or week in the database first
// (trygg.ReminderService.ClaimJob), so that when several instances share
// one database exactly one of them sends.
package remind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// SendHour is the Stockholm hour from which the day's jobs run, so that
// no reminder arrives in the night.
const SendHour = 7

// Mailer sends one e-mail; SMTP is the real one.
type Mailer interface {
	Send(ctx context.Context, to trygg.Recipient, subject, body string) error
}

// Runner runs the reminder jobs.
type Runner struct {
	Store   trygg.ReminderService
	Mailer  Mailer
	Now     trygg.Clock
	BaseURL string // e.g. "https://trygg.umea.se", for the links in the mails
	Log     *slog.Logger
}

// Job names in job_runs.
const (
	jobReminders = "action-reminders"
	jobDigest    = "weekly-digest"
)

// RunOnce runs the jobs that are due now: from SendHour each day the
// deadline reminders, and from SendHour on Monday (or the first run later
// that week) the weekly digest. It returns how many e-mails it sent. A
// job another instance has claimed is skipped. A mail that fails is not
// tried again (a claimed job never runs twice); the error says how many
// failed.
func (r *Runner) RunOnce(ctx context.Context) (int, error) {
	ctx = trygg.NewOperatorContext(ctx)
	now := r.Now().In(trygg.Stockholm)
	if now.Hour() < SendHour {
		return 0, nil
	}
	today := trygg.DayOf(now)
	week := trygg.WeekOf(today).String()
	reminders, err := r.claimed(ctx, jobReminders, today.String(), func() ([]mailOut, error) {
		rs, err := r.Store.ActionReminders(ctx, today)
		var out []mailOut
		for _, rem := range rs {
			out = append(out, r.reminderMails(rem)...)
		}
		return out, err
	})
	if err != nil {
		return 0, err
	}
	digests, err := r.claimed(ctx, jobDigest, week, func() ([]mailOut, error) {
		ds, err := r.Store.Digests(ctx)
		out := make([]mailOut, len(ds))
		for i, d := range ds {
			out[i] = r.digestMail(week, d)
		}
		return out, err
	})
	if err != nil {
		return 0, err
	}
	return r.send(ctx, append(reminders, digests...))
}

// claimed builds a job's mails if this instance claims the job for period,
// and nothing if another one has.
func (r *Runner) claimed(ctx context.Context, job, period string, build func() ([]mailOut, error)) ([]mailOut, error) {
	ok, err := r.Store.ClaimJob(ctx, job, period)
	if err != nil || !ok {
		return nil, err
	}
	return build()
}

type mailOut struct {
	to            trygg.Recipient
	subject, body string
}

func (r *Runner) send(ctx context.Context, mails []mailOut) (int, error) {
	sent, failed := 0, 0
	var first error
	for _, m := range mails {
		err := r.Mailer.Send(ctx, m.to, m.subject, m.body)
		switch {
		case err == nil:
			sent++
		case first == nil:
			first = withoutText(err)
			fallthrough
		default:
			failed++
		}
	}
	if len(mails) > 0 {
		// Counts only: addresses and titles are personal or internal.
		r.log().Info("reminder mails", "sent", sent, "failed", failed)
	}
	if failed > 0 {
		return sent, fmt.Errorf("remind: %d of %d e-mails failed, the first: %w", failed, len(mails), first)
	}
	return sent, nil
}

// withoutText keeps only the code of a relay's answer, which may quote
// the recipient's address, so that the error can be logged.
func withoutText(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		return fmt.Errorf("the relay answered %d", te.Code)
	}
	return err
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

func (r *Runner) actionURL(a *trygg.Action) string {
	return fmt.Sprintf("%s/atgarder/%d", strings.TrimSuffix(r.BaseURL, "/"), a.ID)
}

// footer ends every mail.
const footer = "\n\nDet här meddelandet skickades automatiskt av Trygg. Svara inte på det."

func (r *Runner) reminderMails(rem trygg.ActionReminder) []mailOut {
	a := rem.Action
	subject := fmt.Sprintf("Påminnelse: ”%s” ska vara klar %s", a.Title, a.Deadline)
	what := fmt.Sprintf("ska vara klar %s, om %d dagar", a.Deadline, trygg.DueSoonDays)
	if rem.Kind == trygg.NoticeOverdue {
		subject = fmt.Sprintf("Försenad åtgärd: ”%s”", a.Title)
		what = fmt.Sprintf("skulle ha varit klar %s och är nu försenad", a.Deadline)
	}
	out := make([]mailOut, len(rem.To))
	for i, to := range rem.To {
		body := fmt.Sprintf("Hej %s!\n\nÅtgärden ”%s”, som %s ansvarar för, %s.\n\nUppdatera dess status i Trygg: %s",
			to.Name, a.Title, a.OwnerOrgName, what, r.actionURL(a)) + footer
		out[i] = mailOut{to: to, subject: subject, body: body}
	}
	return out
}

func (r *Runner) digestMail(week string, d trygg.Digest) mailOut {
	var overdue, soon, decided []string
	for _, n := range d.Notices {
		line := fmt.Sprintf("- %s (%s, klar senast %s): %s", n.Action.Title, n.Action.OwnerOrgName, n.Action.Deadline, r.actionURL(n.Action))
		switch n.Kind {
		case trygg.NoticeOverdue:
			overdue = append(overdue, line)
		case trygg.NoticeDueSoon:
			soon = append(soon, line)
		}
		if n.New {
			decided = append(decided, line)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hej %s!\n\nSå här ligger samverkansåtgärderna till inför %s.", d.To.Name, week)
	section := func(title, empty string, lines []string) {
		fmt.Fprintf(&b, "\n\n%s (%d)\n", title, len(lines))
		if len(lines) == 0 {
			b.WriteString(empty)
		}
		b.WriteString(strings.Join(lines, "\n"))
	}
	section("Försenade", "Inga åtgärder är försenade.", overdue)
	section("Ska vara klara inom 7 dagar", "Inga åtgärder ska vara klara inom 7 dagar.", soon)
	section("Nya åtgärder från mötesbeslut den senaste veckan", "Inga nya beslut.", decided)
	b.WriteString(footer)
	return mailOut{to: d.To, subject: fmt.Sprintf("Veckosammanfattning %s: %d försenade, %d inom 7 dagar", week, len(overdue), len(soon)),
		body: b.String()}
}

// Run calls RunOnce every interval until ctx ends, logging errors.
func (r *Runner) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := r.RunOnce(ctx); err != nil && !errors.Is(err, context.Canceled) {
			r.log().Error("reminder job", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
