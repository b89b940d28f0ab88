package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		u, err := f.users.CreateUser(as(f.admin), trygg.NewUser{
			Email: "  Ny.Person@Example.SE ", Name: " Ny Person ", OrgCode: "polisen",
			Roles: []trygg.Role{"rapportör", trygg.RolePolis, trygg.RoleRapportor},
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ny.person@example.se" || u.Name != "Ny Person" || u.OrgID != f.police.ID || u.Org.Code != "polisen" ||
			len(u.Roles) != 2 || u.Roles[0] != trygg.RoleRapportor || u.Roles[1] != trygg.RolePolis || !u.CreatedAt.Equal(testNow) {
			t.Fatalf("created %+v", u)
		}
		_, err = f.users.CreateUser(operator(), trygg.NewUser{Email: "NY.PERSON@example.se", Name: "Dubblett", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}})
		wantCode(t, err, trygg.ECONFLICT)

		tests := []struct {
			name  string
			nu    trygg.NewUser
			field string
		}{
			{"bad email", trygg.NewUser{Email: "inte en adress", Name: "A", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}}, "email"},
			{"display name", trygg.NewUser{Email: "A <a@b.se>", Name: "A", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}}, "email"},
			{"no name", trygg.NewUser{Email: "a@b.se", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}}, "name"},
			{"no roles", trygg.NewUser{Email: "a@b.se", Name: "A", OrgCode: "polisen"}, "roles"},
			{"bad role", trygg.NewUser{Email: "a@b.se", Name: "A", OrgCode: "polisen", Roles: []trygg.Role{"kung"}}, "roles"},
			{"unknown org", trygg.NewUser{Email: "a@b.se", Name: "A", OrgCode: "okand", Roles: []trygg.Role{trygg.RoleLasare}}, "org"},
			{"short password", trygg.NewUser{Email: "a@b.se", Name: "A", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}, Password: "kort"}, "password"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.users.CreateUser(operator(), tt.nu)
				wantField(t, err, tt.field)
			})
		}
	})
}

func TestUserAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		nu := trygg.NewUser{Email: "x@example.se", Name: "X", OrgCode: "polisen", Roles: []trygg.Role{trygg.RoleLasare}}
		for _, u := range []*trygg.User{f.rapportor, f.samordnare, f.lasare, f.polis, f.socialtjanst} {
			ctx := as(u)
			_, err := f.users.FindUsers(ctx, trygg.UserFilter{})
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.users.FindUserByID(ctx, f.admin.ID)
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.users.CreateUser(ctx, nu)
			wantCode(t, err, trygg.ENOTFOUND)
			name := "Ny"
			_, err = f.users.UpdateUser(ctx, u.ID, trygg.UserUpdate{Name: &name})
			wantCode(t, err, trygg.ENOTFOUND)
			wantCode(t, f.users.DisableUser(ctx, f.admin.ID), trygg.ENOTFOUND)
			self, err := f.users.FindUserByID(ctx, u.ID)
			if err != nil || self.Email != u.Email {
				t.Fatalf("user cannot find themself: %+v, %v", self, err)
			}
		}
		_, err := f.users.FindUsers(context.Background(), trygg.UserFilter{})
		wantCode(t, err, trygg.EUNAUTHORIZED)

		all, err := f.users.FindUsers(as(f.admin), trygg.UserFilter{})
		if err != nil || len(all) != 7 || all[0].Email != "admin@kommun.example" || len(all[0].Roles) != 1 {
			t.Fatalf("admin lists %d users (%v)", len(all), err)
		}
		email := "POLIS@polis.example"
		found, err := f.users.FindUsers(operator(), trygg.UserFilter{Email: &email})
		if err != nil || len(found) != 1 || found[0].ID != f.polis.ID {
			t.Fatalf("find by e-mail = %+v, %v", found, err)
		}
		found, err = f.users.FindUsers(operator(), trygg.UserFilter{OrgID: &f.police.ID})
		if err != nil || len(found) != 2 {
			t.Fatalf("find by org = %d, %v", len(found), err)
		}
		_, err = f.users.FindUserByID(as(f.admin), 999999)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		name, org := "Nytt Namn", "polisen"
		u, err := f.users.UpdateUser(as(f.admin), f.rapportor.ID, trygg.UserUpdate{Name: &name, OrgCode: &org, Roles: []trygg.Role{trygg.RoleSamordnare, trygg.RoleRapportor}})
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != name || u.OrgID != f.police.ID || len(u.Roles) != 2 || u.Roles[0] != trygg.RoleSamordnare {
			t.Fatalf("updated %+v", u)
		}
		bad, short, empty := "okand", "kort", ""
		_, err = f.users.UpdateUser(operator(), f.rapportor.ID, trygg.UserUpdate{OrgCode: &bad})
		wantField(t, err, "org")
		_, err = f.users.UpdateUser(operator(), f.rapportor.ID, trygg.UserUpdate{Password: &short})
		wantField(t, err, "password")
		_, err = f.users.UpdateUser(operator(), f.rapportor.ID, trygg.UserUpdate{Password: &empty})
		wantField(t, err, "password")
		_, err = f.users.UpdateUser(operator(), f.rapportor.ID, trygg.UserUpdate{Roles: []trygg.Role{}})
		wantField(t, err, "roles")
		_, err = f.users.UpdateUser(operator(), 999999, trygg.UserUpdate{Name: &name})
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

const goodPassword = "långt och hemligt"

// withPassword gives u a password and returns a context from an IP.
func withPassword(t *testing.T, f *fixture, u *trygg.User) {
	t.Helper()
	pw := goodPassword
	if _, err := f.users.UpdateUser(operator(), u.ID, trygg.UserUpdate{Password: &pw}); err != nil {
		t.Fatal(err)
	}
}

func fromIP(ip string) context.Context {
	return trygg.NewContextWithClient(context.Background(), trygg.Client{IP: ip})
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		withPassword(t, f, f.rapportor)
		ctx := fromIP("192.0.2.1")

		_, err := f.auth.SignIn(ctx, f.rapportor.Email, "fel lösenord")
		wantCode(t, err, trygg.EUNAUTHORIZED)
		wrongMessage := trygg.ErrorMessage(err)
		_, err = f.auth.SignIn(ctx, "ingen@example.se", goodPassword)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		if trygg.ErrorMessage(err) != wrongMessage {
			t.Fatalf("unknown e-mail answers %q, wrong password %q", trygg.ErrorMessage(err), wrongMessage)
		}
		_, err = f.auth.SignIn(ctx, f.lasare.Email, "")
		wantCode(t, err, trygg.EUNAUTHORIZED)

		s, err := f.auth.SignIn(ctx, "  RAPPORTOR@skola.example", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		if s.Token == "" || s.CSRFToken == "" || s.User.ID != f.rapportor.ID || s.User.Org == nil || len(s.User.Roles) != 1 {
			t.Fatalf("session = %+v", s)
		}
		found, err := f.auth.FindSession(context.Background(), s.Token)
		if err != nil || found.ID != s.ID || found.CSRFToken != s.CSRFToken || found.User.Email != f.rapportor.Email {
			t.Fatalf("FindSession = %+v, %v", found, err)
		}
		if err := f.auth.SignOut(context.Background(), s.Token); err != nil {
			t.Fatal(err)
		}
		_, err = f.auth.FindSession(context.Background(), s.Token)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		if err := f.auth.SignOut(context.Background(), s.Token); err != nil {
			t.Fatalf("second sign-out: %v", err)
		}

		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "session"})
		if err != nil || len(events) != 2 || events[0].Action != trygg.AuditSignOut || events[1].Action != trygg.AuditSignIn || *events[1].UserID != f.rapportor.ID {
			t.Fatalf("session audit = %+v, %v", events, err)
		}
		failed, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "user"})
		if err != nil {
			t.Fatal(err)
		}
		var unknown, wrong int
		for _, ev := range failed {
			if ev.Action != trygg.AuditSignInFailed {
				continue
			}
			switch {
			case ev.ObjectID == "" && ev.UserID == nil && ev.Detail == "okänt konto":
				unknown++
			case ev.ObjectID == "" || ev.UserID == nil:
				t.Fatalf("failed sign-in with half an identity: %+v", ev)
			default:
				wrong++
			}
		}
		if unknown != 1 || wrong != 2 {
			t.Fatalf("failed sign-ins audited: %d unknown, %d known; want 1 and 2", unknown, wrong)
		}
	})
}

func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		withPassword(t, f, f.rapportor)
		withPassword(t, f, f.polis)
		for i := range 5 {
			_, err := f.auth.SignIn(fromIP("192.0.2.1"), f.rapportor.Email, "fel")
			wantCode(t, err, trygg.EUNAUTHORIZED)
			db.clock.Advance(time.Minute)
			_ = i
		}
		// The account is locked even with the right password, from any IP.
		_, err := f.auth.SignIn(fromIP("198.51.100.7"), f.rapportor.Email, goodPassword)
		wantCode(t, err, trygg.ERATELIMIT)
		if trygg.ErrorMessage(err) != "För många inloggningsförsök. Vänta en stund och försök igen." {
			t.Fatalf("message = %q", trygg.ErrorMessage(err))
		}
		// Another account from the same IP is not.
		if _, err := f.auth.SignIn(fromIP("192.0.2.1"), f.polis.Email, goodPassword); err != nil {
			t.Fatalf("other account: %v", err)
		}
		// The window slides: 15 minutes after the first failure, one has expired.
		db.clock.Advance(11 * time.Minute)
		if _, err := f.auth.SignIn(fromIP("198.51.100.7"), f.rapportor.Email, goodPassword); err != nil {
			t.Fatalf("after the window: %v", err)
		}

		// Per IP: 20 failures over many accounts lock the IP.
		for i := range 20 {
			_, err := f.auth.SignIn(fromIP("203.0.113.9"), "gissning"+string(rune('a'+i))+"@example.se", "fel")
			wantCode(t, err, trygg.EUNAUTHORIZED)
		}
		_, err = f.auth.SignIn(fromIP("203.0.113.9"), f.polis.Email, goodPassword)
		wantCode(t, err, trygg.ERATELIMIT)
		if _, err := f.auth.SignIn(fromIP("192.0.2.1"), f.polis.Email, goodPassword); err != nil {
			t.Fatalf("other IP: %v", err)
		}
		db.clock.Advance(16 * time.Minute)
		if _, err := f.auth.SignIn(fromIP("203.0.113.9"), f.polis.Email, goodPassword); err != nil {
			t.Fatalf("IP after the window: %v", err)
		}
		mustVerify(t, f)
	})
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		withPassword(t, f, f.rapportor)
		s, err := f.auth.SignIn(context.Background(), f.rapportor.Email, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		// Active use keeps the session alive past the idle timeout…
		for range 24 {
			db.clock.Advance(29 * time.Minute)
			if _, err := f.auth.FindSession(context.Background(), s.Token); err != nil {
				t.Fatalf("after %v: %v", db.clock.now.Sub(testNow), err)
			}
		}
		// …but not past the absolute one.
		db.clock.Advance(29 * time.Minute)
		_, err = f.auth.FindSession(context.Background(), s.Token)
		wantCode(t, err, trygg.EUNAUTHORIZED)

		s, err = f.auth.SignIn(context.Background(), f.rapportor.Email, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		db.clock.Advance(30*time.Minute + time.Millisecond)
		_, err = f.auth.FindSession(context.Background(), s.Token)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		db.clock.Advance(-time.Hour)
		_, err = f.auth.FindSession(context.Background(), s.Token)
		wantCode(t, err, trygg.EUNAUTHORIZED) // deleted, not just refused

		_, err = f.auth.FindSession(context.Background(), "okänd")
		wantCode(t, err, trygg.EUNAUTHORIZED)
	})
}

func TestSessionLastSeenWritesAtMostOncePerMinute(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		withPassword(t, f, f.rapportor)
		s, err := f.auth.SignIn(context.Background(), f.rapportor.Email, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		db.clock.Advance(59 * time.Second)
		found, err := f.auth.FindSession(context.Background(), s.Token)
		if err != nil || !found.LastSeen.Equal(testNow) {
			t.Fatalf("last seen = %v, %v; want unchanged", found.LastSeen, err)
		}
		db.clock.Advance(time.Second)
		found, err = f.auth.FindSession(context.Background(), s.Token)
		if err != nil || !found.LastSeen.Equal(db.clock.now) {
			t.Fatalf("last seen = %v, %v; want now", found.LastSeen, err)
		}
	})
}

func TestDisableUserEndsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		withPassword(t, f, f.rapportor)
		s, err := f.auth.SignIn(context.Background(), f.rapportor.Email, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		tok, secret, err := f.auth.CreateToken(operator(), f.rapportor.Email, "skript")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Authenticate(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		if err := f.users.DisableUser(as(f.admin), f.rapportor.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.auth.FindSession(context.Background(), s.Token)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		_, err = f.auth.Authenticate(context.Background(), secret)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		_, err = f.auth.SignIn(context.Background(), f.rapportor.Email, goodPassword)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		tokens, err := f.auth.FindTokens(operator(), f.rapportor.Email)
		if err != nil || len(tokens) != 1 || tokens[0].ID != tok.ID || tokens[0].RevokedAt == nil {
			t.Fatalf("tokens = %+v, %v", tokens, err)
		}
		u, err := f.users.FindUserByID(operator(), f.rapportor.ID)
		if err != nil || u.DisabledAt == nil {
			t.Fatalf("user = %+v, %v", u, err)
		}
		// A disabled user's stale context grants nothing.
		_, err = f.reports.CreateReport(as(u), input("alidhem", "klotter"))
		wantCode(t, err, trygg.EUNAUTHORIZED)
		if err := f.users.DisableUser(operator(), f.rapportor.ID); err != nil {
			t.Fatalf("disable twice: %v", err)
		}
		_, _, err = f.auth.CreateToken(operator(), f.rapportor.Email, "")
		wantField(t, err, "user")
	})
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		_, _, err := f.auth.CreateToken(as(f.samordnare), f.rapportor.Email, "x")
		wantCode(t, err, trygg.ENOTFOUND)
		_, _, err = f.auth.CreateToken(operator(), "okand@example.se", "x")
		wantCode(t, err, trygg.ENOTFOUND)

		tok, secret, err := f.auth.CreateToken(as(f.admin), f.rapportor.Email, "")
		if err != nil {
			t.Fatal(err)
		}
		if tok.Label != "API" || tok.UserID != f.rapportor.ID || len(secret) < 40 || secret[:6] != "trygg_" {
			t.Fatalf("token %+v, secret %q", tok, secret)
		}
		u, err := f.auth.Authenticate(context.Background(), secret)
		if err != nil || u.ID != f.rapportor.ID || len(u.Roles) != 1 {
			t.Fatalf("Authenticate = %+v, %v", u, err)
		}
		tokens, err := f.auth.FindTokens(operator(), f.rapportor.Email)
		if err != nil || len(tokens) != 1 || tokens[0].LastUsed == nil || !tokens[0].LastUsed.Equal(testNow) {
			t.Fatalf("tokens = %+v, %v", tokens, err)
		}
		for _, bad := range []string{"", "trygg_", "trygg_fel", secret[6:], secret + "x"} {
			_, err := f.auth.Authenticate(context.Background(), bad)
			wantCode(t, err, trygg.EUNAUTHORIZED)
		}
		wantCode(t, f.auth.RevokeToken(as(f.rapportor), tok.ID), trygg.ENOTFOUND)
		wantCode(t, f.auth.RevokeToken(operator(), 999999), trygg.ENOTFOUND)
		if err := f.auth.RevokeToken(operator(), tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.auth.Authenticate(context.Background(), secret)
		wantCode(t, err, trygg.EUNAUTHORIZED)
		mustVerify(t, f)
	})
}
