package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sspf"
)

// sspfFixture adds social services with a coordinator, leisure services,
// members of school, social services, police and leisure on a team for
// Ålidhem, and a police member on no team.
type sspfFixture struct {
	*fixture
	sspf                                 *sqldb.SSPFService
	coordinator, school, police, leisure *trygg.User
	policeOutside, socialWorker          *trygg.User
	team                                 *sspf.Team
}

func newSSPFFixture(t *testing.T, db *testDB) *sspfFixture {
	t.Helper()
	f := &sspfFixture{fixture: newFixture(t, db), sspf: sqldb.NewSSPFService(db.DB)}
	ctx := operator()
	for _, o := range []*trygg.Organisation{
		{Code: "ifo", Name: "Individ- och familjeomsorgen", Type: trygg.OrgSocialServices},
		{Code: "fritid", Name: "Fritidsförvaltningen", Type: trygg.OrgMunicipal},
	} {
		if err := f.orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, org string, roles ...trygg.Role) *trygg.User {
		u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: email, Name: "Test " + email, OrgCode: org, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.coordinator = mk("sspf@ifo.example", "ifo", trygg.RoleSSPF)
	f.socialWorker = mk("soc@ifo.example", "ifo", trygg.RoleSocialtjanst, trygg.RoleSSPFMember)
	f.school = mk("elevhalsa@skola.example", "alidhemsskolan", trygg.RoleSSPFMember)
	f.police = mk("kvp@polis.example", "polisen", trygg.RolePolis, trygg.RoleSSPFMember)
	f.policeOutside = mk("annan@polis.example", "polisen", trygg.RolePolis, trygg.RoleSSPFMember)
	f.leisure = mk("fritid@kommun.example", "fritid", trygg.RoleSSPFMember)
	team, err := f.sspf.CreateTeam(as(f.coordinator), "SSPF Ålidhem", "alidhem")
	if err != nil {
		t.Fatal(err)
	}
	f.team = team
	for _, u := range []*trygg.User{f.socialWorker, f.school, f.police, f.leisure} {
		if err := f.sspf.SetMember(as(f.coordinator), team.ID, u.Email, true); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// The young person turns 15 on 2025-04-01, 18 days after testNow.
var sspfBirth = trygg.DateDay(2010, time.April, 1)

const sspfYouthName = "Vera Testungdom"

func sspfInput(f *sspfFixture) sspf.Input {
	id := sspf.ExampleNumber(sspfBirth, 238)
	return sspf.Input{YouthID: id[2:8] + "-" + id[8:], YouthName: sspfYouthName, Guardians: 2, Reason: "skolfranvaro",
		ReferringPart: sspf.PartSchool, TeamID: f.team.ID, ReferredOn: trygg.DayOf(testNow) - 3}
}

func pdf() []byte { return []byte("%PDF-1.4\nsamtycke\n") }

func consentInput() sspf.ConsentInput {
	return sspf.ConsentInput{Signed: []string{sspf.SignerGuardian1, sspf.SignerGuardian2}, Purpose: "samordnad_insats",
		GivenOn: trygg.DayOf(testNow), Scope: []string{"socialtjanst:narvaro", "polis:narvaro", "fritid:narvaro", "skola:handlingsplan"}}
}

func TestSSPFAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newSSPFFixture(t, db)
		c, err := f.sspf.CreateCase(as(f.coordinator), sspfInput(f))
		if err != nil {
			t.Fatal(err)
		}
		c, err = f.sspf.AddConsent(as(f.coordinator), c.Ref, consentInput(), "samtycke.pdf", pdf())
		if err != nil {
			t.Fatal(err)
		}
		consent := c.Consents[0].ID
		for _, tt := range []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"coordinator", as(f.coordinator), ""},
			{"school member", as(f.school), ""},
			{"police member", as(f.police), ""},
			{"police outside the team", as(f.policeOutside), trygg.ENOTFOUND},
			{"samordnare", as(f.samordnare), trygg.ENOTFOUND},
			{"läsare", as(f.lasare), trygg.ENOTFOUND},
			{"rapportör", as(f.rapportor), trygg.ENOTFOUND},
			{"polis", as(f.polis), trygg.ENOTFOUND},
			{"admin", as(f.admin), trygg.ENOTFOUND},
			{"operator", operator(), trygg.ENOTFOUND},
			{"anonymous", context.Background(), trygg.EUNAUTHORIZED},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.sspf.FindCase(tt.ctx, c.Ref, "")
				wantCode(t, err, tt.code)
				list, err := f.sspf.FindCases(tt.ctx, sspf.Filter{})
				if tt.code == trygg.ENOTFOUND && err == nil && len(list) > 0 {
					t.Fatalf("%s lists %d cases", tt.name, len(list))
				}
			})
		}
		// Only the coordinator opens the signed document, creates cases
		// and reads the access log.
		for _, u := range []*trygg.User{f.school, f.police, f.policeOutside, f.admin, f.samordnare} {
			_, _, _, err := f.sspf.ConsentDocument(as(u), c.Ref, consent)
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.sspf.CreateCase(as(u), sspfInput(f))
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.sspf.FindAccessLog(as(u), c.Ref)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		if list, err := f.sspf.FindCases(as(f.policeOutside), sspf.Filter{}); err != nil || len(list) != 0 {
			t.Fatalf("police outside the team: %d cases, %v", len(list), err)
		}
		doc, kind, content, err := f.sspf.ConsentDocument(as(f.coordinator), c.Ref, consent)
		if err != nil || kind != trygg.ContentPDF || string(content) != string(pdf()) || doc.Name != "samtycke.pdf" {
			t.Fatalf("document: %+v %s %q %v", doc, kind, content, err)
		}
		// Statistics for samordnare and läsare, not for members.
		for _, u := range []*trygg.User{f.samordnare, f.lasare, f.coordinator} {
			if _, err := f.sspf.Stats(as(u), trygg.DayOf(testNow)); err != nil {
				t.Errorf("stats for %s: %v", u.Email, err)
			}
		}
		_, err = f.sspf.Stats(as(f.police), trygg.DayOf(testNow))
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestSSPFConsentAndSharing(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newSSPFFixture(t, db)
		ctx := as(f.coordinator)
		c, err := f.sspf.CreateCase(ctx, sspfInput(f))
		if err != nil {
			t.Fatal(err)
		}
		if c.YouthID != sspf.ExampleNumber(sspfBirth, 238) {
			t.Fatalf("stored as %s", c.YouthID)
		}
		// Before any consent nothing may be shared.
		_, err = f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro 30 % i februari."})
		wantCode(t, err, sspf.ESCOPE)
		// One guardian only: incomplete, and the message names who is missing.
		one := consentInput()
		one.Signed = []string{sspf.SignerGuardian1}
		if c, err = f.sspf.AddConsent(ctx, c.Ref, one, "samtycke.pdf", pdf()); err != nil {
			t.Fatal(err)
		}
		_, err = f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro 30 % i februari."})
		wantCode(t, err, sspf.ESCOPE)
		if !strings.Contains(trygg.ErrorMessage(err), "vårdnadshavare 2") {
			t.Errorf("refusal %q does not name the missing guardian", trygg.ErrorMessage(err))
		}
		if c, err = f.sspf.AddSignature(ctx, c.Ref, c.Consents[0].ID, sspf.SignerGuardian2); err != nil {
			t.Fatal(err)
		}
		// School shares attendance within scope.
		share, err := f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro 30 % i februari."})
		if err != nil || share.ConsentID != c.Consents[0].ID || share.FromPart != sspf.PartSchool {
			t.Fatalf("share: %+v %v", share, err)
		}
		// Police outside the scope: refused with the reason.
		_, err = f.sspf.ShareInfo(as(f.police), c.Ref, sspf.ShareInput{Info: sspf.InfoPolice, Text: "Omhändertagen en gång i januari."})
		wantCode(t, err, sspf.ESCOPE)
		if msg := trygg.ErrorMessage(err); !strings.Contains(msg, "omfattar inte kontakter med polisen") {
			t.Errorf("refusal %q", msg)
		}
		// On a legal ground it may.
		if _, err := f.sspf.ShareInfo(as(f.police), c.Ref, sspf.ShareInput{Info: sspf.InfoPolice, Text: "Misstänkt för rån.",
			Ground: sspf.GroundConcern}); err != nil {
			t.Fatal(err)
		}
		// The young person turns 15: sharing stops until their own consent.
		db.clock.Advance(20 * 24 * time.Hour)
		_, err = f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro 40 % i mars."})
		wantCode(t, err, sspf.ESCOPE)
		if msg := trygg.ErrorMessage(err); !strings.Contains(msg, "den unga själv (fyllde 15 år 2025-04-01)") {
			t.Errorf("refusal %q", msg)
		}
		if c, err = f.sspf.AddSignature(ctx, c.Ref, c.Consents[0].ID, sspf.SignerYouth); err != nil {
			t.Fatal(err)
		}
		if _, err := f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "Frånvaro 40 % i mars."}); err != nil {
			t.Fatal(err)
		}
		seen, err := f.sspf.FindCase(as(f.police), c.Ref, "")
		if err != nil || len(seen.Shares) != 3 || seen.Shares[0].Hidden || seen.Shares[0].Text == "" {
			t.Fatalf("police see %+v, %v", seen, err)
		}
		// A withdrawal hides the shares on consent from everyone outside
		// social services, at once; the share on a legal ground stays.
		if _, err := f.sspf.WithdrawConsent(ctx, c.Ref, c.Consents[0].ID); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*trygg.User{f.police, f.school, f.leisure} {
			seen, err := f.sspf.FindCase(as(u), c.Ref, "")
			if err != nil {
				t.Fatal(err)
			}
			hidden := 0
			for _, sh := range seen.Shares {
				if sh.Hidden && sh.Text == "" {
					hidden++
				}
			}
			if hidden != 2 {
				t.Errorf("%s: %d of %d shares hidden", u.Email, hidden, len(seen.Shares))
			}
		}
		for _, u := range []*trygg.User{f.coordinator, f.socialWorker} {
			seen, err := f.sspf.FindCase(as(u), c.Ref, "uppfoljning")
			if err != nil || seen.Shares[0].Hidden || seen.Shares[0].Text != "Frånvaro 40 % i mars." {
				t.Errorf("%s: %+v %v", u.Email, seen.Shares[0], err)
			}
		}
		_, err = f.sspf.ShareInfo(as(f.school), c.Ref, sspf.ShareInput{Info: sspf.InfoAttendance, Text: "x"})
		wantCode(t, err, sspf.ESCOPE)
		// The "vem har sett vad" log tells it all, in words.
		log, err := f.sspf.FindAccessLog(ctx, c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, a := range log {
			lines = append(lines, a.UserName+": "+a.What)
		}
		all := strings.Join(lines, "\n")
		for _, want := range []string{"Delade närvaro i skolan med stöd av samtycke", "Nekades att dela kontakter med polisen",
			"Delade kontakter med polisen med stöd av rättslig grund", "Registrerade att samtycket återkallats",
			"Öppnade ärendet: uppföljning", "Test kvp@polis.example: Öppnade ärendet: arbete i sspf-teamet", "Registrerade underskrift: den unga själv"} {
			if !strings.Contains(all, want) {
				t.Errorf("access log lacks %q:\n%s", want, all)
			}
		}
		// Nothing personal in the audit log or in plain columns.
		raw := rawDB(t, db)
		var n int
		pnr := sspf.ExampleNumber(sspfBirth, 238)
		for _, q := range []string{
			"SELECT count(*) FROM audit_log WHERE detail LIKE '%" + pnr[2:8] + "%' OR detail LIKE '%Vera%' OR detail LIKE '%Frånvaro%'",
			"SELECT count(*) FROM sspf_cases WHERE sealed LIKE '%Vera%' OR youth_index LIKE '%" + pnr + "%'",
			"SELECT count(*) FROM sspf_shares WHERE sealed LIKE '%Frånvaro%'",
			"SELECT count(*) FROM sspf_consents WHERE document LIKE '%PDF%' OR document_meta LIKE '%samtycke.pdf%'",
		} {
			if err := raw.QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d, %v", q, n, err)
			}
		}
		// Blind-index search, however the number is written.
		for _, s := range []string{pnr, pnr[2:8] + "-" + pnr[8:], pnr[:8] + "-" + pnr[8:]} {
			found, err := f.sspf.FindCases(ctx, sspf.Filter{YouthID: s})
			if err != nil || len(found) != 1 || found[0].Ref != c.Ref {
				t.Errorf("search %s: %v %v", s, found, err)
			}
		}
		if found, err := f.sspf.FindCases(as(f.policeOutside), sspf.Filter{YouthID: pnr}); err != nil || len(found) != 0 {
			t.Errorf("search outside the team: %v %v", found, err)
		}
	})
}

func TestSSPFBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newSSPFFixture(t, db)
		ctx := as(f.coordinator)
		c, err := f.sspf.CreateCase(ctx, sspfInput(f))
		if err != nil {
			t.Fatal(err)
		}
		bad := sspfInput(f)
		bad.YouthID = "121212-1213"
		_, err = f.sspf.CreateCase(ctx, bad)
		wantCode(t, err, trygg.EINVALID)
		for _, tc := range []struct {
			name  string
			in    sspf.ConsentInput
			doc   []byte
			field string
		}{
			{"html", consentInput(), []byte("<html>"), "document"},
			{"empty", consentInput(), nil, "document"},
			{"too long", func() sspf.ConsentInput {
				in := consentInput()
				in.ExpiresOn = in.GivenOn.AddMonths(13)
				return in
			}(), pdf(), "expires_on"},
		} {
			_, err := f.sspf.AddConsent(ctx, c.Ref, tc.in, "x.pdf", tc.doc)
			wantCode(t, err, trygg.EINVALID)
			if fs := trygg.ErrorFields(err); len(fs) == 0 || fs[0].Field != tc.field {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		var n int
		if err := rawDB(t, db).QueryRow("SELECT (SELECT count(*) FROM sspf_consents) + (SELECT count(*) FROM sspf_signatures) + (SELECT count(*) FROM sspf_cases)").Scan(&n); err != nil || n != 1 {
			t.Errorf("rows after bad input: %d, %v", n, err)
		}
		// A configured shorter validity.
		f.sspf.Months = 6
		in := consentInput()
		in.ExpiresOn = in.GivenOn.AddMonths(7)
		_, err = f.sspf.AddConsent(ctx, c.Ref, in, "x.pdf", pdf())
		wantCode(t, err, trygg.EINVALID)
		// An image is a signed document too.
		if _, err := f.sspf.AddConsent(ctx, c.Ref, consentInput(), "foto.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSSPFMeetingActionsClosingAndRetention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newSSPFFixture(t, db)
		ctx := as(f.coordinator)
		c, err := f.sspf.CreateCase(ctx, sspfInput(f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.sspf.AddConsent(ctx, c.Ref, consentInput(), "s.pdf", pdf()); err != nil {
			t.Fatal(err)
		}
		_, err = f.sspf.SetState(ctx, c.Ref, sspf.StateInput{State: sspf.StateActive})
		wantCode(t, err, trygg.EINVALID) // not straight from referred
		for _, st := range []string{sspf.StateConsent, sspf.StateActive} {
			if c, err = f.sspf.SetState(ctx, c.Ref, sspf.StateInput{State: st}); err != nil {
				t.Fatal(err)
			}
		}
		if c.ActiveOn != trygg.DayOf(testNow) || len(c.FollowUps()) != 2 {
			t.Errorf("active on %s, follow-ups %v", c.ActiveOn, c.FollowUps())
		}
		m, err := f.sspf.CreateMeeting(ctx, f.team.ID, trygg.DayOf(testNow)+7)
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.sspf.AddAction(ctx, m.ID, sspf.ActionInput{CaseRef: c.Ref, Title: "Vera erbjuds plats i fotbollslaget",
			OwnerPart: sspf.PartLeisure, Deadline: trygg.DayOf(testNow) + 30})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.sspf.AddAction(ctx, m.ID, sspf.ActionInput{CaseRef: c.Ref, Title: "Ring 070-123 45 67", OwnerPart: sspf.PartLeisure,
			Deadline: trygg.DayOf(testNow) + 30})
		wantCode(t, err, trygg.EINVALID)
		got, err := f.sspf.FindMeeting(as(f.leisure), m.ID)
		if err != nil || len(got.Agenda) != 1 || got.Agenda[0].Ref != c.Ref || len(got.Actions) != 1 || got.Actions[0].Title != a.Title {
			t.Fatalf("meeting %+v %v", got, err)
		}
		_, err = f.sspf.FindMeeting(as(f.policeOutside), m.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		if acts, err := f.sspf.FindActions(as(f.leisure)); err != nil || len(acts) != 1 {
			t.Errorf("actions %v %v", acts, err)
		}
		if acts, err := f.sspf.FindActions(as(f.policeOutside)); err != nil || len(acts) != 0 {
			t.Errorf("actions outside the team %v %v", acts, err)
		}
		// Only the owning part and the coordinator mark it done.
		for _, u := range []*trygg.User{f.police, f.policeOutside, f.school} {
			wantCode(t, f.sspf.SetActionDone(as(u), c.Ref, a.ID), trygg.ENOTFOUND)
		}
		// Reminders: the action a week before its deadline, the follow-up
		// a week before it; no names, no numbers.
		rems, err := db.SSPFReminders(operator(), a.Deadline-sspf.ReminderDaysBefore)
		if err != nil || len(rems) == 0 || rems[0].Kind != sspf.ReminderAction {
			t.Fatalf("reminders %+v %v", rems, err)
		}
		rems, err = db.SSPFReminders(operator(), c.FollowUps()[0]-sspf.ReminderDaysBefore)
		if err != nil || len(rems) != 1 || rems[0].Kind != sspf.ReminderFollowUp || rems[0].ToEmail != f.coordinator.Email {
			t.Fatalf("follow-up reminders %+v %v", rems, err)
		}
		_, err = db.SSPFReminders(ctx, trygg.DayOf(testNow))
		wantCode(t, err, trygg.ENOTFOUND)
		// The owning part marks it done: no more reminders, off the list.
		if err := f.sspf.SetActionDone(as(f.leisure), c.Ref, a.ID); err != nil {
			t.Fatal(err)
		}
		if acts, err := f.sspf.FindActions(as(f.leisure)); err != nil || len(acts) != 0 {
			t.Errorf("open actions after done: %v %v", acts, err)
		}
		if rems, err := db.SSPFReminders(operator(), a.Deadline-sspf.ReminderDaysBefore); err != nil || len(rems) != 0 {
			t.Errorf("reminders of a done action: %+v %v", rems, err)
		}
		// Closing records the outcome.
		_, err = f.sspf.SetState(ctx, c.Ref, sspf.StateInput{State: sspf.StateClosed})
		wantCode(t, err, trygg.EINVALID)
		if c, err = f.sspf.SetState(ctx, c.Ref, sspf.StateInput{State: sspf.StateClosed, Outcome: "mal_uppnatt"}); err != nil {
			t.Fatal(err)
		}
		// Retention: not before its time; then the personal data goes and
		// the statistics stay.
		if _, err := db.PurgeSSPF(ctx, 1, false); trygg.ErrorCode(err) != trygg.ENOTFOUND {
			t.Fatalf("the coordinator ran retention: %v", err)
		}
		items, err := db.PurgeSSPF(operator(), 1, false)
		if err != nil || len(items) != 0 {
			t.Fatalf("purged too early: %v %v", items, err)
		}
		db.clock.Advance(40 * 24 * time.Hour)
		if items, err = db.PurgeSSPF(operator(), 1, true); err != nil || len(items) != 1 {
			t.Fatalf("dry run: %v %v", items, err)
		}
		if _, err := f.sspf.FindCase(ctx, c.Ref, ""); err != nil {
			t.Fatalf("a dry run deleted: %v", err)
		}
		if items, err = db.PurgeSSPF(operator(), 1, false); err != nil || len(items) != 1 {
			t.Fatalf("purge: %v %v", items, err)
		}
		_, err = f.sspf.FindCase(ctx, c.Ref, "")
		wantCode(t, err, trygg.ENOTFOUND)
		raw := rawDB(t, db)
		var n int
		if err := raw.QueryRow(`SELECT (SELECT count(*) FROM sspf_consents) + (SELECT count(*) FROM sspf_shares) + (SELECT count(*) FROM sspf_actions)
			+ (SELECT count(*) FROM sspf_cases WHERE sealed IS NOT NULL OR youth_index IS NOT NULL)`).Scan(&n); err != nil || n != 0 {
			t.Errorf("left after retention: %d %v", n, err)
		}
		if err := raw.QueryRow("SELECT count(*) FROM audit_log WHERE object_type = 'sspf' AND action = 'delete'").Scan(&n); err != nil || n != 1 {
			t.Errorf("retention logged %d times, %v", n, err)
		}
		st, err := f.sspf.Stats(as(f.samordnare), trygg.DayOf(db.clock.now))
		if err != nil || st.Total.Suppressed == false {
			t.Errorf("stats after retention: %+v %v", st, err)
		}
	})
}
