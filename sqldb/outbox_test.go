package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestMailOutbox: a claimed period's mails wait in the outbox until sent;
// a taken mail is nobody else's until its lease runs out; a failure
// records the reason and the next attempt, or gives up; sent and old
// mails are purged.
func TestMailOutbox(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		s := sqldb.NewReminderService(db.DB)
		ctx := operator()
		lars := samverkan.Recipient{Name: "Lars Lärare", Email: "larare@skolan.test"}
		pia := samverkan.Recipient{Name: `Pia "P" Polis`, Email: "polis@polis.test"}
		mails := []samverkan.Mail{{To: lars, Subject: "Försenad åtgärd", Body: "Hej Lars!"}, {To: pia, Subject: "Påminnelse", Body: "Hej Pia!"}}
		if ok, err := s.QueueJob(ctx, "atgardspaminnelser", "2025-03-14", mails); !ok || err != nil {
			t.Fatalf("QueueJob = %v, %v", ok, err)
		}
		if ok, err := s.QueueJob(ctx, "atgardspaminnelser", "2025-03-14", mails); ok || err != nil {
			t.Fatalf("QueueJob again = %v, %v; want false", ok, err)
		}
		take := func(want *samverkan.Mail, attempts int) *samverkan.QueuedMail {
			t.Helper()
			m, err := s.TakeMail(ctx, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				if m != nil {
					t.Fatalf("took %+v, want none due", m)
				}
				return nil
			}
			if m == nil || m.Mail != *want || m.Attempts != attempts || m.Job != "atgardspaminnelser" || m.Period != "2025-03-14" ||
				!m.CreatedAt.Equal(testNow) {
				t.Fatalf("took %+v, want %+v at attempt %d", m, want, attempts)
			}
			return m
		}
		first := take(&mails[0], 1)
		second := take(&mails[1], 1)
		take(nil, 0)
		if err := s.MailSent(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.MailSent(ctx, first.ID), trygg.ENOTFOUND)
		wantCode(t, s.MailFailed(ctx, first.ID, "sent already", time.Time{}), trygg.ENOTFOUND)
		if err := s.MailFailed(ctx, second.ID, "the relay answered 421", testNow.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		take(nil, 0)
		db.clock.Advance(time.Minute)
		take(&mails[1], 2) // and its sender stops before it reports back
		db.clock.Advance(4 * time.Minute)
		take(nil, 0)
		db.clock.Advance(time.Minute)
		take(&mails[1], 3)
		if err := s.MailFailed(ctx, second.ID, "the relay answered 550", time.Time{}); err != nil {
			t.Fatal(err)
		}
		db.clock.Advance(48 * time.Hour)
		take(nil, 0)

		// A later period's mail stays when the first period's are purged.
		if ok, err := s.QueueJob(ctx, "atgardspaminnelser", "2025-03-16", mails[:1]); !ok || err != nil {
			t.Fatalf("QueueJob = %v, %v", ok, err)
		}
		for _, tt := range []struct {
			before time.Time
			want   int
		}{
			{testNow, 0},
			{testNow.Add(time.Millisecond), 2}, // the sent one and the one given up
			{testNow.Add(48 * time.Hour), 0},
			{db.clock.Now().Add(time.Millisecond), 1},
		} {
			if n, err := s.PurgeMail(ctx, tt.before); n != tt.want || err != nil {
				t.Errorf("PurgeMail(%s) = %d, %v; want %d", tt.before, n, err, tt.want)
			}
		}
	})
}

// TestTakeMailConcurrently: four senders on two instances of one database
// take every mail exactly once.
func TestTakeMailConcurrently(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		other := sqldbtest.OpenURL(t, db.url)
		other.Now = db.clock.Now
		const n = 40
		mails := make([]samverkan.Mail, n)
		for i := range mails {
			mails[i] = samverkan.Mail{To: samverkan.Recipient{Name: "Sam Ordnare", Email: "sam@kommun.test"}, Subject: "Veckosammanfattning", Body: "Hej!"}
		}
		if ok, err := sqldb.NewReminderService(db.DB).QueueJob(operator(), "veckosammanfattning", "2025-W11", mails); !ok || err != nil {
			t.Fatalf("QueueJob = %v, %v", ok, err)
		}
		var mu sync.Mutex
		taken := map[int64]int{}
		var wg sync.WaitGroup
		for i := range 4 {
			s := sqldb.NewReminderService(db.DB)
			if i%2 == 1 {
				s = sqldb.NewReminderService(other)
			}
			wg.Go(func() {
				for {
					m, err := s.TakeMail(operator(), time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if m == nil {
						return
					}
					mu.Lock()
					taken[m.ID]++
					mu.Unlock()
					if err := s.MailSent(operator(), m.ID); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if len(taken) != n {
			t.Errorf("took %d mails, want %d", len(taken), n)
		}
		for id, times := range taken {
			if times != 1 {
				t.Errorf("mail %d taken %d times", id, times)
			}
		}
	})
}
