package sqldb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
)

// phone is an anonymous visitor from one address, as the sign-up page's
// requests are.
func phone(ip string) context.Context {
	return trygg.NewContextWithClient(context.Background(), trygg.Client{IP: ip})
}

func TestNightwalkSelfSignUp(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		lapsed := f.volunteer(t, f.group, "Eva", day("2021-01-10"))
		stranger := f.volunteer(t, f.group2, "Fredrik", day("2024-01-10"))
		w := f.walk(t, day("2025-03-21"))
		hidden, err := f.s.ScheduleWalk(as(f.leader), f.group.ID, nattvandring.WalkInput{Date: day("2025-03-22"), Start: 21 * 60, End: 60,
			Districts: []string{"alidhem"}, MeetingPoint: "Torget"})
		if err != nil {
			t.Fatal(err)
		}

		// Only the group's leaders make links.
		for _, u := range []*trygg.User{f.leader2, f.samordnare, f.rapportor} {
			_, err := f.s.CreateSignUpLink(as(u), anna.ID)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err = f.s.CreateSignUpLink(context.Background(), anna.ID)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		old, err := f.s.CreateSignUpLink(as(f.leader), anna.ID)
		if err != nil || len(old) < 40 {
			t.Fatalf("link %q, %v", old, err)
		}
		token, err := f.s.CreateSignUpLink(as(f.leader), anna.ID) // replaces the first
		if err != nil || token == old {
			t.Fatalf("new link %q, %v", token, err)
		}
		raw := rawDB(t, db)
		var stored string
		if err := raw.QueryRow("SELECT token_hash FROM nattvandring_signup_links WHERE volunteer_id = $1", anna.ID).Scan(&stored); err != nil ||
			len(stored) != 64 || strings.Contains(stored, token) {
			t.Errorf("stored %q, %v", stored, err)
		}
		vs, _ := f.s.FindVolunteers(as(f.leader), f.group.ID)
		for _, v := range vs {
			if (v.ID == anna.ID) != (v.LinkCreatedAt != nil) {
				t.Errorf("%s has link %v", v.Name, v.LinkCreatedAt)
			}
		}

		ctx := phone("192.0.2.10")
		_, err = f.s.VolunteerPage(ctx, old)
		wantCode(t, err, trygg.ENOTFOUND)
		page, err := f.s.VolunteerPage(ctx, token)
		if err != nil || page.FirstName != "Anna" || page.GroupName != f.group.Name || len(page.Walks) != 1 ||
			page.Walks[0].ID != w.ID || page.Walks[0].SignedUp || page.Walks[0].MeetingPoint != "Ålidhems centrum" {
			t.Fatalf("page = %+v, %v", page, err)
		}
		if err := f.s.SelfSignUp(ctx, token, w.ID); err != nil {
			t.Fatal(err)
		}
		if page, _ = f.s.VolunteerPage(ctx, token); !page.Walks[0].SignedUp {
			t.Errorf("not signed up: %+v", page.Walks[0])
		}
		got, _ := f.s.FindWalkByID(as(f.leader), w.ID)
		if len(got.SignUps) != 1 || got.SignUps[0].VolunteerID != anna.ID {
			t.Errorf("sign-ups = %+v", got.SignUps)
		}
		// Unpublished walks and other groups' walks are not the link's.
		wantCode(t, f.s.SelfSignUp(ctx, token, hidden.ID), trygg.ENOTFOUND)
		if err := f.s.SelfCancelSignUp(ctx, token, w.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.SelfCancelSignUp(ctx, token, w.ID), trygg.ENOTFOUND)

		// The same rule as the leaders': a lapsed introduction is refused
		// with the reason.
		lapsedToken, err := f.s.CreateSignUpLink(as(f.leader), lapsed.ID)
		if err != nil {
			t.Fatal(err)
		}
		err = f.s.SelfSignUp(ctx, lapsedToken, w.ID)
		wantCode(t, err, trygg.EINVALID)
		if fs := trygg.ErrorFields(err); len(fs) != 1 || fs[0].Field != "volunteer" || !strings.Contains(fs[0].Message, "gällde till") {
			t.Errorf("refusal = %v", err)
		}
		strangerToken, _ := f.s.CreateSignUpLink(as(f.leader2), stranger.ID)
		wantCode(t, f.s.SelfSignUp(ctx, strangerToken, w.ID), trygg.ENOTFOUND)

		// Each change is audited with the volunteer as actor.
		events, _ := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{})
		self := map[string]int{}
		for _, e := range events {
			if e.Role == "nattvandring_frivillig" {
				if e.UserID != nil || e.OrgID == nil {
					t.Errorf("volunteer's entry %+v", e)
				}
				self[strings.Fields(e.Detail)[0]]++
			}
		}
		if self["anmälan"] != 1 || self["avanmälan"] != 1 || self["egen"] < 2 {
			t.Errorf("volunteer's audit entries %v", self)
		}

		// Revoked, and removed: 404.
		if err := f.s.RevokeSignUpLink(as(f.leader), anna.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.VolunteerPage(ctx, token)
		wantCode(t, err, trygg.ENOTFOUND)
		if err := f.s.RemoveVolunteer(as(f.leader), lapsed.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.VolunteerPage(ctx, lapsedToken)
		wantCode(t, err, trygg.ENOTFOUND)
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM nattvandring_signup_links WHERE volunteer_id = $1", lapsed.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("link left after removal: %d, %v", n, err)
		}
	})
}

// TestNightwalkSelfSignUpLimit: unknown tokens from one address are
// limited as failed sign-ins are; then even a good token waits.
func TestNightwalkSelfSignUpLimit(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		token, err := f.s.CreateSignUpLink(as(f.leader), anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		ctx := phone("192.0.2.20")
		for range 20 {
			_, err := f.s.VolunteerPage(ctx, "gissning")
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err = f.s.VolunteerPage(ctx, token)
		wantCode(t, err, trygg.ERATELIMIT)
		if _, err := f.s.VolunteerPage(phone("192.0.2.21"), token); err != nil {
			t.Errorf("another address: %v", err)
		}
		db.clock.Advance(16 * 60 * 1e9)
		if _, err := f.s.VolunteerPage(ctx, token); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

// TestNightwalkSelfSignUpRetention: the retention job deletes the link.
func TestNightwalkSelfSignUpRetention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		token, err := f.s.CreateSignUpLink(as(f.leader), anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		db.clock.Advance(366 * 24 * 60 * 60 * 1e9)
		if n, err := f.s.PurgeVolunteers(operator()); err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		_, err = f.s.VolunteerPage(phone("192.0.2.30"), token)
		wantCode(t, err, trygg.ENOTFOUND)
		var n int
		if err := rawDB(t, db).QueryRow("SELECT count(*) FROM nattvandring_signup_links").Scan(&n); err != nil || n != 0 {
			t.Errorf("links left: %d, %v", n, err)
		}
	})
}
