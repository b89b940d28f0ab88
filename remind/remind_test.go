package remind_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/remind"
	"github.com/trygg-est/trygg/remind/remindtest"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// world is two instances on one database, with partners, actions and a
// meeting decision.
type world struct {
	clock  time.Time
	dbs    [2]*sqldb.DB
	ids    map[string]int64
	server *remindtest.Server
	logs   syncBuffer // both instances' logs
	sspf   remind.SSPFReminders
}

// syncBuffer is a log written by two instances at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newWorld(t *testing.T, dialect string, now time.Time) *world {
	t.Helper()
	url := sqldbtest.MigratedURL(t, dialect)
	w := &world{clock: now, ids: map[string]int64{}, server: remindtest.Start(t)}
	for i := range w.dbs {
		w.dbs[i] = sqldbtest.OpenURL(t, url)
		w.dbs[i].Now = func() time.Time { return w.clock }
	}
	op := trygg.NewOperatorContext(context.Background())
	db := w.dbs[0]
	for _, o := range []*trygg.Organisation{
		{Code: "kommunen", Name: "Umeå kommun", Type: trygg.OrgMunicipal},
		{Code: "polisen", Name: "Polisen", Type: trygg.OrgPolice},
		{Code: "skolan", Name: "Ålidhemsskolan", Type: trygg.OrgSchool},
	} {
		if err := sqldb.NewOrganisationService(db).CreateOrganisation(op, o); err != nil {
			t.Fatal(err)
		}
	}
	users := sqldb.NewUserService(db)
	for _, u := range []trygg.NewUser{
		{Email: "samordnare@kommun.test", Name: "Sam Ordnare", OrgCode: "kommunen", Roles: []trygg.Role{trygg.RoleSamordnare}},
		{Email: "polis@polis.test", Name: "Pia Polis", OrgCode: "polisen", Roles: []trygg.Role{trygg.RolePolis}},
		{Email: "polis2@polis.test", Name: "Per Polis", OrgCode: "polisen", Roles: []trygg.Role{trygg.RolePolis}},
		{Email: "larare@skolan.test", Name: "Lars Lärare", OrgCode: "skolan", Roles: []trygg.Role{trygg.RoleRapportor}},
		{Email: "slutat@skolan.test", Name: "Sluta Tad", OrgCode: "skolan", Roles: []trygg.Role{trygg.RoleRapportor}},
		{Email: "lasare@skolan.test", Name: "Läs Are", OrgCode: "skolan", Roles: []trygg.Role{trygg.RoleLasare}},
	} {
		created, err := users.CreateUser(op, u)
		if err != nil {
			t.Fatal(err)
		}
		w.ids[u.Email] = created.ID
	}
	if err := users.DisableUser(op, w.ids["slutat@skolan.test"]); err != nil {
		t.Fatal(err)
	}
	today := trygg.DayOf(now)
	w.add(t, "Belysning i gångtunneln", "polisen", today+samverkan.DueSoonDays, "polis@polis.test")
	w.add(t, "Föräldramöte", "skolan", today-1, "")
	w.add(t, "Kvällspatrull", "polisen", today+3, "")
	w.add(t, "Klar sedan länge", "polisen", today-1, "")
	actions := sqldb.NewActionService(db)
	if _, err := actions.SetActionStatus(op, w.ids["Klar sedan länge"], samverkan.ActionStatusInput{Status: samverkan.ActionDone}); err != nil {
		t.Fatal(err)
	}
	meetings := sqldb.NewMeetingService(db)
	m, err := meetings.CreateMeeting(op, today)
	if err != nil {
		t.Fatal(err)
	}
	decided := samverkan.ActionInput{Title: "Nattvandring vid centrum", OwnerOrgCode: "polisen", Start: today, Deadline: today + 30}
	if _, err := meetings.AddDecision(op, m.ID, samverkan.DecisionInput{Text: "Polisen ordnar nattvandring.", Action: &decided}); err != nil {
		t.Fatal(err)
	}
	return w
}

// add creates an open action, given to owner (an e-mail) or else to the
// organisation.
func (w *world) add(t *testing.T, title, org string, deadline trygg.Day, owner string) {
	t.Helper()
	in := samverkan.ActionInput{Title: title, OwnerOrgCode: org, Start: trygg.DayOf(w.clock) - 30, Deadline: deadline}
	if owner != "" {
		id := w.ids[owner]
		in.OwnerUserID = &id
	}
	a, err := sqldb.NewActionService(w.dbs[0]).CreateAction(trygg.NewOperatorContext(context.Background()), in)
	if err != nil {
		t.Fatal(err)
	}
	w.ids[title] = a.ID
}

func (w *world) runner(i int) *remind.Runner {
	now := func() time.Time { return w.clock }
	return &remind.Runner{Store: sqldb.NewReminderService(w.dbs[i]), Now: now, BaseURL: "https://trygg.test/",
		Log:    slog.New(slog.NewTextHandler(&w.logs, nil)),
		Mailer: &remind.SMTP{Addr: w.server.Addr(), From: "trygg@kommun.test", Now: now}, SSPF: w.sspf}
}

// runBoth runs RunOnce on both instances at once and returns the total
// sent and the errors.
func (w *world) runBoth() (int, []error) {
	var wg sync.WaitGroup
	var sent [2]int
	var errs [2]error
	for i := range w.dbs {
		wg.Go(func() { sent[i], errs[i] = w.runner(i).RunOnce(context.Background()) })
	}
	wg.Wait()
	return sent[0] + sent[1], slices.DeleteFunc(errs[:], func(err error) bool { return err == nil })
}

// mustRunBoth is runBoth without errors.
func (w *world) mustRunBoth(t *testing.T) int {
	t.Helper()
	n, errs := w.runBoth()
	for _, err := range errs {
		t.Fatal(err)
	}
	return n
}

// takeOnce returns the mails the server received, sorted by recipient
// and subject, and fails the test if any came twice.
func (w *world) takeOnce(t *testing.T) []remindtest.Mail {
	t.Helper()
	got := w.server.Take()
	key := func(m remindtest.Mail) string { return m.To + "\x00" + m.Subject }
	slices.SortFunc(got, func(a, b remindtest.Mail) int { return strings.Compare(key(a), key(b)) })
	for i := 1; i < len(got); i++ {
		if key(got[i]) == key(got[i-1]) {
			t.Errorf("mail to %s, %q, arrived twice", got[i].To, got[i].Subject)
		}
	}
	return got
}

// noPersonalData fails the test if the logs hold an address, a name or
// a title.
func (w *world) noPersonalData(t *testing.T) {
	t.Helper()
	logs := w.logs.String()
	for _, s := range []string{"@", "Lars", "Polis", "Belysning", "Föräldramöte", "Kvällspatrull"} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold %q:\n%s", s, logs)
		}
	}
}

// TestReminders: on a Monday morning two instances run the jobs at once
// on a new database; the mails go out once: a reminder to the person who
// owns the action due in 7 days, one to the school's active rapportör for
// its overdue action, and the samordnare's digest; and, since the six
// days before count as missed, a reminder to each polis for the action
// due in 3 days. Later runs the same day and week send nothing; nothing
// is sent before 07:00; the next Monday brings the next digest and the
// overdue reminders of the days no instance ran.
func TestReminders(t *testing.T) {
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			monday := time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm)
			w := newWorld(t, dialect, monday)
			if n := w.mustRunBoth(t); n != 5 {
				t.Errorf("sent %d mails, want 5", n)
			}
			got := w.takeOnce(t)
			if len(got) != 5 {
				t.Fatalf("the server received %d mails: %+v", len(got), got)
			}
			tests := []struct {
				to      string
				subject string
				body    []string
			}{
				{"larare@skolan.test", "Försenad åtgärd: ”Föräldramöte”",
					[]string{"Hej Lars Lärare!", "som Ålidhemsskolan ansvarar för, skulle ha varit klar 2025-03-16 och är nu försenad",
						"https://trygg.test/atgarder/" + itoa(w.ids["Föräldramöte"])}},
				{"polis2@polis.test", "Påminnelse: ”Kvällspatrull” ska vara klar 2025-03-20",
					[]string{"Hej Per Polis!", "som Polisen ansvarar för, ska vara klar 2025-03-20, om 3 dagar."}},
				{"polis@polis.test", "Påminnelse: ”Belysning i gångtunneln” ska vara klar 2025-03-24",
					[]string{"Hej Pia Polis!", "ska vara klar 2025-03-24, om 7 dagar"}},
				{"polis@polis.test", "Påminnelse: ”Kvällspatrull” ska vara klar 2025-03-20",
					[]string{"Hej Pia Polis!", "om 3 dagar"}},
				{"samordnare@kommun.test", "Veckosammanfattning vecka 12 2025: 1 försenade, 2 inom 7 dagar",
					[]string{"Hej Sam Ordnare!", "Försenade (1)\n- Föräldramöte (Ålidhemsskolan, klar senast 2025-03-16)",
						"Ska vara klara inom 7 dagar (2)\n- Kvällspatrull", "- Belysning i gångtunneln", "Nya åtgärder från mötesbeslut den senaste veckan (1)\n- Nattvandring vid centrum"}},
			}
			for i, tt := range tests {
				g := got[i]
				if g.To != tt.to || g.Subject != tt.subject {
					t.Errorf("mail %d to %q, subject %q; want %q, %q", i, g.To, g.Subject, tt.to, tt.subject)
				}
				body := g.Body
				for _, part := range tt.body {
					if !strings.Contains(body, part) {
						t.Errorf("mail to %s lacks %q:\n%s", tt.to, part, body)
					}
				}
				if g.Header.Get("Content-Type") != "text/plain; charset=utf-8" || g.Header.Get("Message-Id") == "" {
					t.Errorf("mail to %s headers %v", tt.to, g.Header)
				}
			}

			for _, step := range []struct {
				name    string
				advance time.Duration
				want    int
			}{
				{"again the same morning", time.Hour, 0},
				{"the next day", 24 * time.Hour, 0},
				{"next Monday before seven", 6*24*time.Hour - 3*time.Hour, 0},
				// The digest, and Friday's overdue reminders of
				// Kvällspatrull to both poliser.
				{"next Monday at seven", 30 * time.Minute, 3},
			} {
				w.clock = w.clock.Add(step.advance)
				if n := w.mustRunBoth(t); n != step.want {
					t.Errorf("%s (%s): sent %d, want %d", step.name, w.clock, n, step.want)
				}
				if got := w.takeOnce(t); len(got) != step.want {
					t.Errorf("%s: the server received %d mails", step.name, len(got))
				}
			}
			w.noPersonalData(t)
		})
	}
}

// TestRemindersCatchUp: no instance ran on Tuesday and Wednesday; on
// Thursday two instances send those days' reminders once, with the days
// left counted from Thursday, beside Thursday's own. An action due on
// the first run's day gets no "due soon" reminder, since its day was
// before the days made up for, but it is overdue on Tuesday.
func TestRemindersCatchUp(t *testing.T) {
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			monday := time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm)
			w := newWorld(t, dialect, monday)
			today := trygg.DayOf(monday)
			w.add(t, "Sista dagen", "skolan", today, "")
			w.add(t, "Skyltning", "skolan", today+1+samverkan.DueSoonDays, "")
			w.add(t, "Städdag", "skolan", today+1, "")
			w.add(t, "Långt fram", "skolan", today+3+samverkan.DueSoonDays, "")
			w.mustRunBoth(t)
			for _, m := range w.takeOnce(t) {
				if strings.Contains(m.Subject, "Sista dagen") {
					t.Errorf("a reminder for an action due on the first run: %q", m.Subject)
				}
			}
			w.clock = w.clock.AddDate(0, 0, 3)
			if n := w.mustRunBoth(t); n != 4 {
				t.Errorf("Thursday sent %d, want 4", n)
			}
			got := w.takeOnce(t)
			want := []struct{ subject, body string }{
				{"Försenad åtgärd: ”Sista dagen”", "skulle ha varit klar 2025-03-17 och är nu försenad"},
				{"Försenad åtgärd: ”Städdag”", "skulle ha varit klar 2025-03-18 och är nu försenad"},
				{"Påminnelse: ”Långt fram” ska vara klar 2025-03-27", "ska vara klar 2025-03-27, om 7 dagar."},
				{"Påminnelse: ”Skyltning” ska vara klar 2025-03-25", "ska vara klar 2025-03-25, om 5 dagar."},
			}
			if len(got) != len(want) {
				t.Fatalf("the server received %+v", got)
			}
			for i, m := range got {
				if m.To != "larare@skolan.test" || m.Subject != want[i].subject || !strings.Contains(m.Body, want[i].body) {
					t.Errorf("mail %d to %s, %q:\n%s\nwant %+v", i, m.To, m.Subject, m.Body, want[i])
				}
			}
			if n := w.mustRunBoth(t); n != 0 {
				t.Errorf("again on Thursday: sent %d", n)
			}
		})
	}
}

// TestRemindersRelayDown: while the relay refuses, the mails wait in the
// outbox and the errors hold the relay's code and no address; when it
// accepts again, two instances send every mail exactly once.
func TestRemindersRelayDown(t *testing.T) {
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			w := newWorld(t, dialect, time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm))
			w.server.Refuse(true)
			n, errs := w.runBoth()
			if n != 0 || len(errs) != 2 {
				t.Fatalf("with the relay down: sent %d, errors %v", n, errs)
			}
			for _, err := range errs {
				if !strings.Contains(err.Error(), "the relay answered 421") || strings.Contains(err.Error(), "@") {
					t.Errorf("error %v", err)
				}
			}
			w.clock = w.clock.Add(time.Minute) // the first retry is due
			w.server.Refuse(false)
			if n := w.mustRunBoth(t); n != 5 {
				t.Errorf("after the relay came back: sent %d, want 5", n)
			}
			if got := w.takeOnce(t); len(got) != 5 {
				t.Errorf("the server received %d mails", len(got))
			}
			w.clock = w.clock.Add(time.Hour)
			if n := w.mustRunBoth(t); n != 0 {
				t.Errorf("an hour later: sent %d", n)
			}
			w.noPersonalData(t)
		})
	}
}

// stoppingMailer is an instance that stops while sending its first mail:
// it cancels the run, which then cannot record the attempt.
type stoppingMailer struct{ cancel context.CancelFunc }

func (m stoppingMailer) Send(ctx context.Context, _ samverkan.Recipient, _, _ string) error {
	m.cancel()
	return ctx.Err()
}

// TestRemindersInstanceStops: a mail whose sender stopped midway is sent
// by another instance once the sender's lease has run out, and only then.
func TestRemindersInstanceStops(t *testing.T) {
	w := newWorld(t, "sqlite", time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm))
	r := w.runner(0)
	ctx, cancel := context.WithCancel(context.Background())
	r.Mailer = stoppingMailer{cancel}
	if n, err := r.RunOnce(ctx); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("the stopping instance: %d, %v", n, err)
	}
	if n := w.mustRunBoth(t); n != 4 {
		t.Errorf("sent %d, want the 4 mails the stopped instance had not taken", n)
	}
	w.clock = w.clock.Add(5 * time.Minute)
	if n := w.mustRunBoth(t); n != 1 {
		t.Errorf("after the lease: sent %d, want 1", n)
	}
	if got := w.takeOnce(t); len(got) != 5 {
		t.Errorf("the server received %d mails", len(got))
	}
}

// TestRemindersPurge: the mails sent, which hold names and addresses,
// are deleted from the outbox by the first run of a day more than 30
// days later.
func TestRemindersPurge(t *testing.T) {
	monday := time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm)
	for _, tt := range []struct {
		days int
		left int // the first day's mails still in the outbox after that day's run
	}{
		{30, 5},
		{31, 0},
	} {
		w := newWorld(t, "sqlite", monday)
		if n := w.mustRunBoth(t); n != 5 {
			t.Fatalf("sent %d", n)
		}
		w.clock = monday.AddDate(0, 0, tt.days)
		w.mustRunBoth(t)
		op := trygg.NewOperatorContext(context.Background())
		if n, err := sqldb.NewReminderService(w.dbs[0]).PurgeMail(op, monday.Add(time.Hour)); n != tt.left || err != nil {
			t.Errorf("%d days later: %d of the first day's mails were left (%v), want %d", tt.days, n, err, tt.left)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// failingMailer refuses every mail and notes when each was tried.
type failingMailer struct {
	err   error
	now   trygg.Clock
	tries map[string][]time.Time
}

func (f failingMailer) Send(_ context.Context, to samverkan.Recipient, subject, _ string) error {
	f.tries[to.Email+" "+subject] = append(f.tries[to.Email+" "+subject], f.now())
	return f.err
}

// TestRemindersGiveUp: a mail the relay refuses is tried again after 1,
// 5 and 30 minutes and then every hour (a little later when other mails
// wait too, since a round ends at the first failure), and given up a
// day after it was queued, with an error log line that names the job and
// period but no address.
func TestRemindersGiveUp(t *testing.T) {
	w := newWorld(t, "sqlite", time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm))
	queued := w.clock
	mailer := failingMailer{&textproto.Error{Code: 550, Msg: "<larare@skolan.test> okänd"}, func() time.Time { return w.clock }, map[string][]time.Time{}}
	r := w.runner(0)
	r.Mailer = mailer
	for ; w.clock.Before(queued.Add(26 * time.Hour)); w.clock = w.clock.Add(time.Minute) {
		n, err := r.RunOnce(context.Background())
		if n != 0 || (err != nil && (!strings.Contains(err.Error(), "the relay answered 550") || strings.Contains(err.Error(), "larare"))) {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
	}
	if len(mailer.tries) != 5 {
		t.Errorf("tried %d mails, want 5", len(mailer.tries))
	}
	for mail, tries := range mailer.tries {
		if len(tries) < 20 || len(tries) > 27 || tries[len(tries)-1].After(queued.Add(24*time.Hour)) {
			t.Errorf("%s: %d tries, the last at %s", mail, len(tries), tries[len(tries)-1])
		}
		for i, want := range []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, time.Hour, time.Hour} {
			if gap := tries[i+1].Sub(tries[i]); gap < want || gap > want+5*time.Minute {
				t.Errorf("%s: try %d came %s after the one before, want %s", mail, i+2, gap, want)
			}
		}
	}
	if n := strings.Count(w.logs.String(), "reminder mail given up"); n != 5 {
		t.Errorf("%d mails given up, want 5:\n%s", n, w.logs.String())
	}
	if !strings.Contains(w.logs.String(), "job=atgardspaminnelser period=2025-03-17") {
		t.Errorf("the give-up lines lack the job and period:\n%s", w.logs.String())
	}
	w.noPersonalData(t)
}
