package remind_test

import (
	"context"
	"errors"
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
}

func newWorld(t *testing.T, dialect string, now time.Time) *world {
	t.Helper()
	url := sqldbtest.NewURL(t, dialect)
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
	actions := sqldb.NewActionService(db)
	add := func(title, org string, deadline trygg.Day, owner string) {
		t.Helper()
		in := trygg.ActionInput{Title: title, OwnerOrgCode: org, Start: today - 30, Deadline: deadline}
		if owner != "" {
			id := w.ids[owner]
			in.OwnerUserID = &id
		}
		a, err := actions.CreateAction(op, in)
		if err != nil {
			t.Fatal(err)
		}
		w.ids[title] = a.ID
	}
	add("Belysning i gångtunneln", "polisen", today+trygg.DueSoonDays, "polis@polis.test")
	add("Föräldramöte", "skolan", today-1, "")
	add("Kvällspatrull", "polisen", today+3, "")
	add("Klar sedan länge", "polisen", today-1, "")
	if _, err := actions.SetActionStatus(op, w.ids["Klar sedan länge"], trygg.ActionStatusInput{Status: trygg.ActionDone}); err != nil {
		t.Fatal(err)
	}
	meetings := sqldb.NewMeetingService(db)
	m, err := meetings.CreateMeeting(op, today)
	if err != nil {
		t.Fatal(err)
	}
	decided := trygg.ActionInput{Title: "Nattvandring vid centrum", OwnerOrgCode: "polisen", Start: today, Deadline: today + 30}
	if _, err := meetings.AddDecision(op, m.ID, trygg.DecisionInput{Text: "Polisen ordnar nattvandring.", Action: &decided}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) runner(i int) *remind.Runner {
	now := func() time.Time { return w.clock }
	return &remind.Runner{Store: sqldb.NewReminderService(w.dbs[i]), Now: now, BaseURL: "https://trygg.test/",
		Mailer: &remind.SMTP{Addr: w.server.Addr(), From: "trygg@kommun.test", Now: now}}
}

// runBoth runs RunOnce on both instances at once and returns the total
// sent.
func (w *world) runBoth(t *testing.T) int {
	t.Helper()
	var wg sync.WaitGroup
	var sent [2]int
	var errs [2]error
	for i := range w.dbs {
		wg.Go(func() { sent[i], errs[i] = w.runner(i).RunOnce(context.Background()) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return sent[0] + sent[1]
}

// TestReminders: on a Monday morning two instances run the jobs at once;
// the mails go out once: a reminder to the person who owns the action due
// in 7 days, one to the school's active rapportör for its overdue action,
// and the samordnare's digest. Later runs the same day and week send
// nothing; nothing is sent before 07:00; the next Monday brings the next
// digest.
func TestReminders(t *testing.T) {
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			monday := time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm)
			w := newWorld(t, dialect, monday)
			if n := w.runBoth(t); n != 3 {
				t.Errorf("sent %d mails, want 3", n)
			}
			got := w.server.Take()
			slices.SortFunc(got, func(a, b remindtest.Mail) int { return strings.Compare(a.To, b.To) })
			if len(got) != 3 {
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
				{"polis@polis.test", "Påminnelse: ”Belysning i gångtunneln” ska vara klar 2025-03-24",
					[]string{"Hej Pia Polis!", "ska vara klar 2025-03-24, om 7 dagar"}},
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
				{"next Monday at seven", 30 * time.Minute, 1},
			} {
				w.clock = w.clock.Add(step.advance)
				if n := w.runBoth(t); n != step.want {
					t.Errorf("%s (%s): sent %d, want %d", step.name, w.clock, n, step.want)
				}
				if got := w.server.Take(); len(got) != step.want {
					t.Errorf("%s: the server received %d mails", step.name, len(got))
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

type failingMailer struct{ err error }

func (f failingMailer) Send(context.Context, trygg.Recipient, string, string) error { return f.err }

// TestRemindersMailFails: a relay that refuses gives an error that counts
// the failures, without the relay's text (it may quote an address); the
// claimed jobs are not run again.
func TestRemindersMailFails(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		want, not string
	}{
		{"network", errors.New("dial tcp: connection refused"), "connection refused", ""},
		{"refused recipient", &textproto.Error{Code: 550, Msg: "<larare@skolan.test> okänd"}, "the relay answered 550", "larare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "sqlite", time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm))
			r := w.runner(0)
			r.Mailer = failingMailer{tt.err}
			n, err := r.RunOnce(context.Background())
			if n != 0 || err == nil || !strings.Contains(err.Error(), "3 of 3 e-mails failed") || !strings.Contains(err.Error(), tt.want) ||
				(tt.not != "" && strings.Contains(err.Error(), tt.not)) {
				t.Errorf("RunOnce = %d, %v", n, err)
			}
			if n, err := w.runner(1).RunOnce(context.Background()); n != 0 || err != nil {
				t.Errorf("the second run = %d, %v; want nothing sent", n, err)
			}
		})
	}
}
