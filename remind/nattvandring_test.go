package remind_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/remind"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestWalkReminders: the morning before a walk, two instances run the jobs
// at once; each signed-up volunteer with an e-mail address gets one
// reminder with the time and meeting point, and a second run that day
// sends nothing. The logs hold no address or name.
func TestWalkReminders(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			now := time.Date(2026, 12, 3, 8, 0, 0, 0, trygg.Stockholm) // a Thursday
			w := newWorld(t, dialect, now)
			op := trygg.NewOperatorContext(context.Background())
			// The instances share the register key, as a real installation's do.
			key := sealed.NewKey()
			for _, db := range w.dbs {
				if err := db.SetRegisterKey(key); err != nil {
					t.Fatal(err)
				}
			}
			db := w.dbs[0]
			if err := sqldb.NewOrganisationService(db).CreateOrganisation(op, &trygg.Organisation{Code: "nv", Name: "Nattvandrarna", Type: trygg.OrgNightwalk}); err != nil {
				t.Fatal(err)
			}
			if err := sqldb.NewAreaService(db).UpsertAreas(op, []*trygg.Area{{Code: "alidhem", Name: "Ålidhem"}}); err != nil {
				t.Fatal(err)
			}
			nv := sqldb.NewNattvandringService(db)
			g, err := nv.CreateGroup(op, nattvandring.GroupInput{OrgCode: "nv", Name: "Nattvandrarna Ålidhem", Contact: "nv@example.org",
				Districts: []string{"alidhem"}})
			if err != nil {
				t.Fatal(err)
			}
			walk, err := nv.ScheduleWalk(op, g.ID, nattvandring.WalkInput{Date: trygg.DayOf(now) + 1, Start: 21 * 60, End: 60,
				Districts: []string{"alidhem"}, MeetingPoint: "Ålidhems centrum"})
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range []nattvandring.VolunteerInput{{Name: "Vera Vandrare", Phone: "070-111 11 11", Email: "vera@example.org"},
				{Name: "Utan Adress", Phone: "070-222 22 22"}} {
				v, err := nv.CreateVolunteer(op, g.ID, in)
				if err != nil {
					t.Fatal(err)
				}
				if err := nv.AddTraining(op, v.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction, On: trygg.DayOf(now) - 100}); err != nil {
					t.Fatal(err)
				}
				if err := nv.SignUp(op, walk.ID, v.ID); err != nil {
					t.Fatal(err)
				}
			}
			for range 2 {
				done := make(chan struct{})
				for i := range w.dbs {
					go func() {
						defer func() { done <- struct{}{} }()
						r := &remind.Runner{Store: sqldb.NewReminderService(w.dbs[i]), Now: func() time.Time { return w.clock },
							BaseURL: "https://trygg.test/", Log: slog.New(slog.NewTextHandler(&w.logs, nil)),
							Mailer: &remind.SMTP{Addr: w.server.Addr(), From: "trygg@kommun.test", Now: func() time.Time { return w.clock }},
							Walks:  sqldb.NewNattvandringService(w.dbs[i])}
						if _, err := r.RunOnce(context.Background()); err != nil {
							t.Error(err)
						}
					}()
				}
				<-done
				<-done
			}
			var walkMails int
			for _, m := range w.takeOnce(t) {
				if !strings.Contains(m.Subject, "nattvandring") {
					continue
				}
				walkMails++
				if m.To != "vera@example.org" || !strings.Contains(m.Subject, "2026-12-04 kl. 21:00–01:00") || !strings.Contains(m.Body, "Ålidhems centrum") {
					t.Errorf("mail to %s: %q\n%s", m.To, m.Subject, m.Body)
				}
			}
			if walkMails != 1 {
				t.Errorf("%d walk reminders, want 1", walkMails)
			}
			for _, s := range []string{"vera@", "Vera"} {
				if strings.Contains(w.logs.String(), s) {
					t.Errorf("the logs hold %q", s)
				}
			}
		})
	}
}
