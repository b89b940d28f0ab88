// Package remind sends the samverkan reminders by e-mail: to an action's
// owners DueSoonDays days before its deadline and on the day it becomes
// overdue, and a weekly digest to every samordnare.
//
// A Runner on every instance runs the jobs through an outbox
// (samverkan.ReminderService): a job claims its day or week and queues its
// mails in one transaction, so that exactly one instance queues them and
// none are lost when an instance stops or the database fails midway; then
// any instance takes each queued mail for itself alone, sends it and
// marks it sent, or records the failure and tries again later.
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
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sspf"
)

// SendHour is the Stockholm hour from which the day's jobs run and mails
// are sent, so that no reminder arrives in the night.
const SendHour = 7

// CatchUpDays is how many days, today included, the deadline reminders
// look back: a day on which no instance ran is made up for on the next
// run within that many days. Since it is no more than DueSoonDays, a
// "due soon" reminder made up for still arrives before the deadline.
const CatchUpDays = 7

// The outbox's timing: a failed mail is tried again after each of
// retryDelays in turn, then after the last one, until giveUpAfter has
// passed since it was queued; a sender holds a mail for lease (longer
// than one SMTP conversation may take); sent mails, which hold names and
// addresses, are deleted after keepMail, and so are those given up on.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, time.Hour}

const (
	giveUpAfter = 24 * time.Hour
	lease       = 5 * smtpTimeout
	keepMail    = 30 * 24 * time.Hour
)

// Mailer sends one e-mail; SMTP is the real one.
type Mailer interface {
	Send(ctx context.Context, to samverkan.Recipient, subject, body string) error
}

// Runner runs the reminder jobs.
type Runner struct {
	Store   samverkan.ReminderService
	Mailer  Mailer
	Now     trygg.Clock
	BaseURL string // e.g. "https://trygg.umea.se", for the links in the mails
	Log     *slog.Logger
	// SSPF, when set, adds early intervention's reminders (actions'
	// deadlines and follow-ups) to each day's reminder job.
	SSPF SSPFReminders

	// Walks, when set, sends the night walks' reminders the day before
	// (issue 15).
	Walks WalkReminders
}

// SSPFReminders is where the SSPF reminders of a day come from
// (sqldb.DB.SSPFReminders); only the operator calls it.
type SSPFReminders interface {
	SSPFReminders(ctx context.Context, day trygg.Day) ([]sspf.Reminder, error)
}

// WalkReminders gives the night walks' reminders of a day
// (nattvandring.Service).
type WalkReminders interface {
	WalkReminders(ctx context.Context, day trygg.Day) ([]nattvandring.WalkReminder, error)
}

// Job names in job_runs and mail_outbox.
const (
	jobReminders = "atgardspaminnelser"
	jobDigest    = "veckosammanfattning"
	jobWalks     = "nattvandringspaminnelser" // issue 15: the day before a walk
)

// RunOnce queues the jobs that are due now and not yet claimed by any
// instance: from SendHour each day the deadline reminders of today and
// of the CatchUpDays-1 days before it, and from SendHour on Monday (or
// the first run later that week) the weekly digest. Then it sends the
// queued mails that are due, until none is left or one fails (a relay
// that is down is then not asked once per mail). It returns how many
// e-mails it sent; the error of a failed mail holds no personal data.
func (r *Runner) RunOnce(ctx context.Context) (int, error) {
	ctx = trygg.NewOperatorContext(ctx)
	now := r.Now().In(trygg.Stockholm)
	if now.Hour() < SendHour {
		return 0, nil
	}
	queued := r.queue(ctx, trygg.DayOf(now))
	sent, err := r.deliver(ctx)
	return sent, errors.Join(queued, err)
}

// queue queues the due jobs' mails. The instance that claims today's
// reminders also purges the outbox, once a day.
func (r *Runner) queue(ctx context.Context, today trygg.Day) error {
	days := map[string]trygg.Day{}
	periods := make([]string, CatchUpDays)
	for i := range periods {
		d := today - trygg.Day(CatchUpDays-1-i)
		periods[i], days[d.String()] = d.String(), d
	}
	due, err := r.Store.UnclaimedPeriods(ctx, jobReminders, periods)
	if err != nil {
		return err
	}
	for _, period := range due {
		rs, err := r.Store.ActionReminders(ctx, days[period])
		if err != nil {
			return err
		}
		var mails []samverkan.Mail
		for _, rem := range rs {
			mails = append(mails, r.reminderMails(rem, today)...)
		}
		if r.SSPF != nil {
			srs, err := r.SSPF.SSPFReminders(ctx, days[period])
			if err != nil {
				return err
			}
			for _, rem := range srs {
				mails = append(mails, r.sspfMail(rem))
			}
		}
		claimed, err := r.Store.QueueJob(ctx, jobReminders, period, mails)
		if err != nil {
			return err
		}
		if claimed && days[period] == today {
			if _, err := r.Store.PurgeMail(ctx, r.Now().Add(-keepMail)); err != nil {
				return err
			}
		}
	}
	if err := r.queueWalks(ctx, today); err != nil {
		return err
	}
	week := trygg.WeekOf(today).String()
	due, err = r.Store.UnclaimedPeriods(ctx, jobDigest, []string{week})
	if err != nil || len(due) == 0 {
		return err
	}
	ds, err := r.Store.Digests(ctx)
	if err != nil {
		return err
	}
	mails := make([]samverkan.Mail, len(ds))
	for i, d := range ds {
		mails[i] = r.digestMail(week, d)
	}
	_, err = r.Store.QueueJob(ctx, jobDigest, week, mails)
	return err
}

// deliver sends the due mails from the outbox.
func (r *Runner) deliver(ctx context.Context) (int, error) {
	sent := 0
	defer func() {
		if sent > 0 {
			// A count only: addresses and titles are personal or internal.
			r.log().Info("reminder mails sent", "sent", sent)
		}
	}()
	for {
		m, err := r.Store.TakeMail(ctx, lease)
		if err != nil || m == nil {
			return sent, err
		}
		if err := r.Mailer.Send(ctx, m.To, m.Subject, m.Body); err != nil {
			return sent, r.failed(ctx, m, withoutText(err))
		}
		if err := r.Store.MailSent(ctx, m.ID); err != nil {
			return sent, err
		}
		sent++
	}
}

// failed records a failed attempt and when to try again, or gives up
// once giveUpAfter has passed since the mail was queued.
func (r *Runner) failed(ctx context.Context, m *samverkan.QueuedMail, sendErr error) error {
	delay := retryDelays[min(m.Attempts, len(retryDelays))-1]
	retry := r.Now().Add(delay)
	if retry.Sub(m.CreatedAt) > giveUpAfter {
		retry = time.Time{}
		r.log().Error("reminder mail given up", "mail", m.ID, "job", m.Job, "period", m.Period, "attempts", m.Attempts, "err", sendErr)
	}
	if err := r.Store.MailFailed(ctx, m.ID, sendErr.Error(), retry); err != nil {
		return errors.Join(sendErr, err)
	}
	return fmt.Errorf("remind: mail %d failed at attempt %d: %w", m.ID, m.Attempts, sendErr)
}

// withoutText keeps only the code of a relay's answer, which may quote
// the recipient's address, so that the error can be logged and stored.
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

func (r *Runner) actionURL(a *samverkan.Action) string {
	return fmt.Sprintf("%s/atgarder/%d", strings.TrimSuffix(r.BaseURL, "/"), a.ID)
}

// sspfMail is an SSPF reminder's mail. It names neither the young person
// nor the action, whose title may: only the day and the link to the case,
// which opens after signing in.
func (r *Runner) sspfMail(rem sspf.Reminder) samverkan.Mail {
	link := fmt.Sprintf("%s/tidiga-insatser/arenden/%s", strings.TrimSuffix(r.BaseURL, "/"), rem.CaseRef)
	subject := fmt.Sprintf("Påminnelse: en åtgärd i Tidiga insatser ska vara klar %s", rem.Due)
	what := fmt.Sprintf("En åtgärd i ett SSPF-ärende som din verksamhet ansvarar för ska vara klar %s.", rem.Due)
	if rem.Kind == sspf.ReminderFollowUp {
		subject = fmt.Sprintf("Påminnelse: uppföljning i Tidiga insatser %s", rem.Due)
		what = fmt.Sprintf("Ett SSPF-ärende som du samordnar ska följas upp %s.", rem.Due)
	}
	body := fmt.Sprintf("Hej %s!\n\n%s\n\nLogga in i Trygg för att se ärendet: %s", rem.ToName, what, link) + footer
	return samverkan.Mail{To: samverkan.Recipient{Name: rem.ToName, Email: rem.ToEmail}, Subject: subject, Body: body}
}

// footer ends every mail.
const footer = "\n\nDet här meddelandet skickades automatiskt av Trygg. Svara inte på det."

// reminderMails are a reminder's mails, sent on today: a reminder made
// up for after its day tells how many days are left.
func (r *Runner) reminderMails(rem samverkan.ActionReminder, today trygg.Day) []samverkan.Mail {
	a := rem.Action
	subject := fmt.Sprintf("Påminnelse: ”%s” ska vara klar %s", a.Title, a.Deadline)
	left := "om 1 dag"
	if n := a.Deadline - today; n != 1 {
		left = fmt.Sprintf("om %d dagar", n)
	}
	what := fmt.Sprintf("ska vara klar %s, %s", a.Deadline, left)
	if rem.Kind == samverkan.NoticeOverdue {
		subject = fmt.Sprintf("Försenad åtgärd: ”%s”", a.Title)
		what = fmt.Sprintf("skulle ha varit klar %s och är nu försenad", a.Deadline)
	}
	out := make([]samverkan.Mail, len(rem.To))
	for i, to := range rem.To {
		body := fmt.Sprintf("Hej %s!\n\nÅtgärden ”%s”, som %s ansvarar för, %s.\n\nUppdatera dess status i Trygg: %s",
			to.Name, a.Title, a.OwnerOrgName, what, r.actionURL(a)) + footer
		out[i] = samverkan.Mail{To: to, Subject: subject, Body: body}
	}
	return out
}

func (r *Runner) digestMail(week string, d samverkan.Digest) samverkan.Mail {
	var overdue, soon, decided []string
	for _, n := range d.Notices {
		line := fmt.Sprintf("- %s (%s, klar senast %s): %s", n.Action.Title, n.Action.OwnerOrgName, n.Action.Deadline, r.actionURL(n.Action))
		switch n.Kind {
		case samverkan.NoticeOverdue:
			overdue = append(overdue, line)
		case samverkan.NoticeDueSoon:
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
	return samverkan.Mail{To: d.To, Subject: fmt.Sprintf("Veckosammanfattning %s: %d försenade, %d inom 7 dagar", week, len(overdue), len(soon)),
		Body: b.String()}
}

// queueWalks queues, once a day, the reminders of tomorrow's night walks
// to the volunteers signed up for them.
func (r *Runner) queueWalks(ctx context.Context, today trygg.Day) error {
	if r.Walks == nil {
		return nil
	}
	due, err := r.Store.UnclaimedPeriods(ctx, jobWalks, []string{today.String()})
	if err != nil || len(due) == 0 {
		return err
	}
	rs, err := r.Walks.WalkReminders(ctx, today+1)
	if err != nil {
		return err
	}
	var mails []samverkan.Mail
	for _, rem := range rs {
		mails = append(mails, r.walkMails(rem)...)
	}
	_, err = r.Store.QueueJob(ctx, jobWalks, today.String(), mails)
	return err
}

// walkMails are a walk's reminders, one to each volunteer.
func (r *Runner) walkMails(rem nattvandring.WalkReminder) []samverkan.Mail {
	w := rem.Walk
	when := fmt.Sprintf("%s kl. %s–%s", w.Date, w.Start.In(trygg.Stockholm).Format("15:04"), w.End.In(trygg.Stockholm).Format("15:04"))
	subject := "Påminnelse: nattvandring i morgon " + when
	out := make([]samverkan.Mail, len(rem.To))
	for i, to := range rem.To {
		body := fmt.Sprintf("Hej %s!\n\nDu är anmäld till nattvandring med %s i morgon, %s. Vi samlas vid %s.\n\n"+
			"Kan du inte komma? Hör av dig till gruppens ledare.", to.Name, w.GroupName, when, rem.MeetingPoint) + footer
		out[i] = samverkan.Mail{To: samverkan.Recipient{Name: to.Name, Email: to.Email}, Subject: subject, Body: body}
	}
	return out
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
