package sqldb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

func TestNotices(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		actions := sqldb.NewActionService(db.DB)
		meetings := sqldb.NewMeetingService(db.DB)
		s := sqldb.NewNoticeService(db.DB)
		today := trygg.DayOf(testNow)

		action := func(title, owner string, deadline trygg.Day) *samverkan.Action {
			t.Helper()
			in := actionInput(owner)
			in.Title, in.Deadline = title, deadline
			a, err := actions.CreateAction(as(f.samordnare), in)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		action("Försenad", "polisen", today-1)
		action("Snart", "polisen", today+3)
		action("Senare", "polisen", today+30)
		action("Skolans försenade", "alidhemsskolan", today-2)
		done := action("Klar fast sen", "polisen", today-2)
		if _, err := actions.SetActionStatus(as(f.polis), done.ID, samverkan.ActionStatusInput{Status: samverkan.ActionDone}); err != nil {
			t.Fatal(err)
		}
		m, err := meetings.CreateMeeting(as(f.samordnare), today)
		if err != nil {
			t.Fatal(err)
		}
		decide := func(title string) {
			t.Helper()
			in := actionInput("polisen")
			in.Title, in.Start, in.Deadline = title, today, today+30
			if _, err := meetings.AddDecision(as(f.samordnare), m.ID, samverkan.DecisionInput{Text: "Beslut: " + title, Action: &in}); err != nil {
				t.Fatal(err)
			}
		}
		decide("Beslutad patrull")

		titles := func(u *trygg.User) []string {
			t.Helper()
			l, err := s.FindNotices(as(u))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range l.Notices {
				out = append(out, string(n.Kind)+":"+n.Action.Title)
			}
			return out
		}
		want := []string{"forsenad:Försenad", "snart:Snart", "beslutad:Beslutad patrull"}
		if got := titles(f.polis); !slices.Equal(got, want) {
			t.Errorf("the police's notices %q, want %q", got, want)
		}
		if got := titles(f.rapportor); !slices.Equal(got, []string{"forsenad:Skolans försenade"}) {
			t.Errorf("the school's notices %q", got)
		}
		for _, u := range []*trygg.User{f.lasare, f.admin, f.socialtjanst} {
			_, err := s.FindNotices(as(u))
			wantCode(t, err, trygg.ENOTFOUND)
			wantCode(t, s.MarkNoticesRead(as(u)), trygg.ENOTFOUND)
		}
		_, err = s.FindNotices(context.Background())
		wantCode(t, err, trygg.EUNAUTHORIZED)

		// Marked read, the decision is no longer new; a later one is.
		if err := s.MarkNoticesRead(as(f.polis)); err != nil {
			t.Fatal(err)
		}
		l, err := s.FindNotices(as(f.polis))
		if err != nil || l.ReadAt == nil || !l.ReadAt.Equal(testNow) || l.NewCount() != 0 || len(l.Notices) != 2 {
			t.Fatalf("after marking read: %+v, %v", l, err)
		}
		db.clock.Advance(time.Hour)
		decide("Ny kontroll")
		want = []string{"forsenad:Försenad", "snart:Snart", "beslutad:Ny kontroll"}
		if got := titles(f.polis); !slices.Equal(got, want) {
			t.Errorf("after a new decision %q, want %q", got, want)
		}
		if err := s.MarkNoticesRead(as(f.polis)); err != nil { // a second mark updates the first
			t.Fatal(err)
		}
		if l, err := s.FindNotices(as(f.polis)); err != nil || !l.ReadAt.Equal(testNow.Add(time.Hour)) || l.NewCount() != 0 {
			t.Errorf("after marking read again: %+v, %v", l, err)
		}
	})
}

// TestReminderService: only the operator (the scheduled jobs) calls it,
// and a job's period is claimed once.
func TestReminderService(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewReminderService(db.DB)
		for _, ctx := range []context.Context{as(f.samordnare), as(f.polis), as(f.admin), context.Background()} {
			code := trygg.ENOTFOUND
			if trygg.UserFromContext(ctx) == nil {
				code = trygg.EUNAUTHORIZED
			}
			_, err := s.UnclaimedPeriods(ctx, "atgardspaminnelser", []string{"2025-03-14"})
			wantCode(t, err, code)
			_, err = s.QueueJob(ctx, "atgardspaminnelser", "2025-03-14", nil)
			wantCode(t, err, code)
			_, err = s.ActionReminders(ctx, trygg.DayOf(testNow))
			wantCode(t, err, code)
			_, err = s.Digests(ctx)
			wantCode(t, err, code)
			_, err = s.TakeMail(ctx, time.Minute)
			wantCode(t, err, code)
			wantCode(t, s.MailSent(ctx, 1), code)
			wantCode(t, s.MailFailed(ctx, 1, "", time.Time{}), code)
			_, err = s.PurgeMail(ctx, testNow)
			wantCode(t, err, code)
		}
		for i, want := range []bool{true, false} {
			if got, err := s.QueueJob(operator(), "atgardspaminnelser", "2025-03-14", nil); err != nil || got != want {
				t.Errorf("claim %d = %v, %v; want %v", i+1, got, err, want)
			}
		}
		got, err := s.UnclaimedPeriods(operator(), "atgardspaminnelser", []string{"2025-03-13", "2025-03-14", "2025-03-15"})
		if err != nil || !slices.Equal(got, []string{"2025-03-13", "2025-03-15"}) {
			t.Errorf("unclaimed = %q, %v", got, err)
		}
		if got, err := s.QueueJob(operator(), "atgardspaminnelser", "2025-03-15", nil); err != nil || !got {
			t.Errorf("the next day's claim = %v, %v", got, err)
		}
		if got, err := s.UnclaimedPeriods(operator(), "veckosammanfattning", []string{"2025-03-15"}); err != nil || len(got) != 1 {
			t.Errorf("another job's periods = %q, %v", got, err)
		}
	})
}
