package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

func actionInput(owner string) samverkan.ActionInput {
	return samverkan.ActionInput{Title: "Extra belysning vid gångtunneln", Description: "Beställ två armaturer.",
		OwnerOrgCode: owner, Areas: []string{"alidhem"}, Start: day("2025-03-01"), Deadline: day("2025-03-20")}
}

func TestActions(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewActionService(db.DB)
		_, c := mustAgreement(t, newAgreementService(db), f)

		in := actionInput("polisen")
		in.OwnerUserID, in.CommitmentID = &f.polis.ID, &c.ID
		police, err := s.CreateAction(as(f.samordnare), in)
		if err != nil {
			t.Fatal(err)
		}
		if police.Status != samverkan.ActionPlanned || police.OwnerOrgName != "Polisen lokalpolisområde Umeå" || police.OwnerUserName != "Test polis@polis.example" ||
			police.CommitmentText != c.Text || police.Deadline != day("2025-03-20") {
			t.Fatalf("created %+v", police)
		}
		school, err := s.CreateAction(as(f.samordnare), actionInput("alidhemsskolan"))
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name  string
			edit  func(*samverkan.ActionInput)
			field string
		}{
			{"title", func(in *samverkan.ActionInput) { in.Title = "" }, "title"},
			{"owner", func(in *samverkan.ActionInput) { in.OwnerOrgCode = "" }, "owner"},
			{"unknown owner", func(in *samverkan.ActionInput) { in.OwnerOrgCode = "okand" }, "owner"},
			{"person of another org", func(in *samverkan.ActionInput) { in.OwnerUserID = &f.rapportor.ID }, "owner_user"},
			{"deadline before start", func(in *samverkan.ActionInput) { in.Deadline = in.Start - 1 }, "deadline"},
			{"no start", func(in *samverkan.ActionInput) { in.Start = 0 }, "start"},
			{"unknown area", func(in *samverkan.ActionInput) { in.Areas = []string{"mars"} }, "areas"},
			{"unknown commitment", func(in *samverkan.ActionInput) { id := int64(999); in.CommitmentID = &id }, "commitment"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := actionInput("polisen")
				tt.edit(&in)
				_, err := s.CreateAction(as(f.samordnare), in)
				wantField(t, err, tt.field)
			})
		}

		// Partners see their own organisation's actions; samordnare and
		// läsare see all.
		for _, tc := range []struct {
			u    *trygg.User
			want int
		}{{f.samordnare, 2}, {f.lasare, 2}, {f.polis, 1}, {f.rapportor, 1}} {
			got, err := s.FindActions(as(tc.u), samverkan.ActionFilter{})
			if err != nil || len(got) != tc.want {
				t.Errorf("%s sees %d actions (%v), want %d", tc.u.Email, len(got), err, tc.want)
			}
		}
		for _, u := range []*trygg.User{f.admin, f.socialtjanst} {
			_, err := s.FindActions(as(u), samverkan.ActionFilter{})
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err = s.FindActionByID(as(f.rapportor), police.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		mine, err := s.FindActions(as(f.samordnare), samverkan.ActionFilter{CommitmentID: &c.ID})
		if err != nil || len(mine) != 1 || mine[0].ID != police.ID {
			t.Fatalf("actions of the commitment: %v, %v", mine, err)
		}

		// Only samordnare create and edit; the owner updates the status.
		_, err = s.CreateAction(as(f.polis), actionInput("polisen"))
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.UpdateAction(as(f.polis), police.ID, actionInput("polisen"))
		wantCode(t, err, trygg.ENOTFOUND)
		done := samverkan.ActionStatusInput{Status: samverkan.ActionDone, Outcome: "Belysningen är uppsatt."}
		for _, u := range []*trygg.User{f.rapportor, f.lasare, f.admin} {
			_, err := s.SetActionStatus(as(u), police.ID, done)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err = s.SetActionStatus(context.Background(), police.ID, done)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		_, err = s.SetActionStatus(as(f.polis), police.ID, samverkan.ActionStatusInput{Status: samverkan.ActionCancelled})
		wantField(t, err, "cancel_reason")
		_, err = s.SetActionStatus(as(f.polis), police.ID, samverkan.ActionStatusInput{Status: "done"})
		wantField(t, err, "status")
		got, err := s.SetActionStatus(as(f.rapportor2), police.ID, done)
		if err != nil || got.Status != samverkan.ActionDone || got.Outcome != "Belysningen är uppsatt." {
			t.Fatalf("status %+v, %v", got, err)
		}
		open, err := s.FindActions(as(f.samordnare), samverkan.ActionFilter{OpenOnly: true})
		if err != nil || len(open) != 1 || open[0].ID != school.ID {
			t.Fatalf("open actions %v, %v", open, err)
		}
		edit := actionInput("alidhemsskolan")
		edit.Title = "Ny rubrik"
		if got, err := s.UpdateAction(as(f.samordnare), school.ID, edit); err != nil || got.Title != "Ny rubrik" {
			t.Fatalf("update %+v, %v", got, err)
		}

		people, err := s.FindAssignees(as(f.polis), "polisen")
		if err != nil || len(people) != 2 {
			t.Fatalf("assignees %v, %v", people, err)
		}
		_, err = s.FindAssignees(as(f.rapportor), "polisen")
		wantCode(t, err, trygg.ENOTFOUND)
		mustVerify(t, f)
	})
}

func TestCalendarFeeds(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewActionService(db.DB)
		if _, err := s.CreateAction(as(f.samordnare), actionInput("polisen")); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.CreateCalendarFeed(as(f.rapportor), "polisen")
		wantCode(t, err, trygg.ENOTFOUND)
		_, _, err = s.CreateCalendarFeed(as(f.lasare), "polisen")
		wantCode(t, err, trygg.ENOTFOUND)
		feed, secret, err := s.CreateCalendarFeed(as(f.polis), "polisen")
		if err != nil || len(secret) < 40 {
			t.Fatalf("feed %+v %q, %v", feed, secret, err)
		}
		org, actions, err := s.CalendarActions(context.Background(), secret)
		if err != nil || org.Code != "polisen" || len(actions) != 1 {
			t.Fatalf("calendar %v %v, %v", org, actions, err)
		}
		// Only a hash of the secret is stored.
		var n int
		if err := rawDB(t, db).QueryRow("SELECT count(*) FROM calendar_feeds WHERE token_hash = $1", secret).Scan(&n); err != nil || n != 0 {
			t.Fatalf("secret stored in plain: %d, %v", n, err)
		}
		_, _, err = s.CalendarActions(context.Background(), secret+"x")
		wantCode(t, err, trygg.ENOTFOUND)

		wantCode(t, s.RevokeCalendarFeed(as(f.rapportor), feed.ID), trygg.ENOTFOUND)
		db.clock.Advance(time.Hour)
		if err := s.RevokeCalendarFeed(as(f.samordnare), feed.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.CalendarActions(context.Background(), secret)
		wantCode(t, err, trygg.ENOTFOUND)
		feeds, err := s.FindCalendarFeeds(as(f.rapportor2), "polisen")
		if err != nil || len(feeds) != 1 || feeds[0].RevokedAt == nil || !feeds[0].RevokedAt.Equal(testNow.Add(time.Hour)) {
			t.Fatalf("feeds %+v, %v", feeds, err)
		}
		mustVerify(t, f)
	})
}
