package sqldb_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

// nightFixture adds two night-walking organisations, each with a leader
// and a group, to the common fixture.
type nightFixture struct {
	*fixture
	s               *sqldb.NattvandringService
	leader, leader2 *trygg.User
	group, group2   *nattvandring.Group
}

func newNightFixture(t *testing.T, db *testDB) *nightFixture {
	t.Helper()
	f := &nightFixture{fixture: newFixture(t, db), s: sqldb.NewNattvandringService(db.DB)}
	ctx := operator()
	for _, o := range []*trygg.Organisation{
		{Code: "nv-alidhem", Name: "Nattvandrarna Ålidhem", Type: trygg.OrgNightwalk},
		{Code: "nv-haga", Name: "Föräldrar i Haga", Type: trygg.OrgNightwalk},
	} {
		if err := f.orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, org string) *trygg.User {
		u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: email, Name: "Ledare " + org, OrgCode: org, Roles: []trygg.Role{trygg.RoleNattvandrare}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.leader, f.leader2 = mk("ledare@nv.example", "nv-alidhem"), mk("ledare@haga.example", "nv-haga")
	insurance := nattvandring.Insurance{Insurer: "Försäkringsbolaget", Policy: "OLY-1", ValidFrom: day("2025-01-01"), ValidTo: day("2025-06-30"), CoversAll: true}
	var err error
	f.group, err = f.s.CreateGroup(as(f.leader), nattvandring.GroupInput{OrgCode: "nv-haga", Name: "Nattvandrarna Ålidhem",
		Contact: "info@nv.example", Districts: []string{"alidhem", "haga"}, Insurance: insurance})
	if err != nil {
		t.Fatal(err)
	}
	f.group2, err = f.s.CreateGroup(as(f.samordnare), nattvandring.GroupInput{OrgCode: "nv-haga", Name: "Föräldrar i Haga",
		Contact: "haga@nv.example", Districts: []string{"haga"}, Insurance: insurance, MinAdults: 2})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// volunteer registers a volunteer in group g, trained on trainedOn (0: not).
func (f *nightFixture) volunteer(t *testing.T, g *nattvandring.Group, name string, trainedOn trygg.Day) *nattvandring.Volunteer {
	t.Helper()
	leader := f.leader
	if g.ID == f.group2.ID {
		leader = f.leader2
	}
	v, err := f.s.CreateVolunteer(as(leader), g.ID, nattvandring.VolunteerInput{Name: name, Phone: "070-111 22 33", Email: strings.ToLower(name) + "@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if trainedOn != 0 {
		if err := f.s.AddTraining(as(leader), v.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingIntroduction, On: trainedOn}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

func (f *nightFixture) walk(t *testing.T, date trygg.Day) *nattvandring.Walk {
	t.Helper()
	w, err := f.s.ScheduleWalk(as(f.leader), f.group.ID, nattvandring.WalkInput{Date: date, Start: 21 * 60, End: 60,
		Districts: []string{"alidhem"}, MeetingPoint: "Ålidhems centrum", Published: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNightwalkGroups(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		// A leader's group belongs to the leader's organisation, whatever
		// the form said.
		if f.group.OrgCode != "nv-alidhem" || f.group.MinAdults != 3 || len(f.group.Districts) != 2 || !f.group.Insurance.CoversAll {
			t.Errorf("group = %+v", f.group)
		}
		_, err := f.s.CreateGroup(as(f.samordnare), nattvandring.GroupInput{OrgCode: "polisen", Name: "X", Contact: "x", Districts: []string{"haga"}})
		wantCode(t, err, trygg.EINVALID)
		_, err = f.s.CreateGroup(as(f.samordnare), nattvandring.GroupInput{OrgCode: "nv-haga", Name: "X", Contact: "x", Districts: []string{"okand"}})
		wantCode(t, err, trygg.EINVALID)
		_, err = f.s.CreateGroup(as(f.rapportor), nattvandring.GroupInput{OrgCode: "nv-haga", Name: "X", Contact: "x", Districts: []string{"haga"}})
		wantCode(t, err, trygg.ENOTFOUND)

		for _, c := range []struct {
			who  *trygg.User
			want int
		}{{f.leader, 1}, {f.leader2, 1}, {f.samordnare, 2}, {f.admin, 2}, {f.rapportor, 0}, {f.polis, 0}, {f.lasare, 0}} {
			gs, err := f.s.FindGroups(as(c.who))
			if err != nil || len(gs) != c.want {
				t.Errorf("%s sees %d groups (%v), want %d", c.who.Email, len(gs), err, c.want)
			}
		}
		_, err = f.s.FindGroupByID(as(f.leader2), f.group.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.s.UpdateGroup(as(f.leader2), f.group.ID, nattvandring.GroupInput{Name: "X", Contact: "x", Districts: []string{"haga"}})
		wantCode(t, err, trygg.ENOTFOUND)
		g, err := f.s.UpdateGroup(as(f.leader), f.group.ID, nattvandring.GroupInput{Name: "Nattvandrarna", Contact: "x", Districts: []string{"haga"}, MinAdults: 4})
		if err != nil || g.Name != "Nattvandrarna" || g.MinAdults != 4 || len(g.Districts) != 1 {
			t.Errorf("updated %+v, %v", g, err)
		}
	})
}

func TestNightwalkVolunteers(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		f.volunteer(t, f.group, "Bertil", 0)
		f.volunteer(t, f.group2, "Cecilia", day("2024-01-10"))

		vs, err := f.s.FindVolunteers(as(f.leader), f.group.ID)
		if err != nil || len(vs) != 2 || vs[0].Name != "Anna" || vs[0].Phone != "070-111 22 33" || len(vs[0].Trainings) != 1 {
			t.Fatalf("volunteers = %+v, %v", vs, err)
		}
		for _, u := range []*trygg.User{f.leader2, f.samordnare, f.admin, f.rapportor, f.polis} {
			_, err := f.s.FindVolunteers(as(u), f.group.ID)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		g, _ := f.s.FindGroupByID(as(f.samordnare), f.group.ID)
		if g.Volunteers != 2 || g.Trained != 1 {
			t.Errorf("numbers = %d volunteers, %d trained", g.Volunteers, g.Trained)
		}
		// Nothing readable is stored, and the read was audited.
		raw := rawDB(t, db)
		var sealedValue string
		if err := raw.QueryRow("SELECT sealed FROM nattvandring_volunteers WHERE id = $1", anna.ID).Scan(&sealedValue); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealedValue, "Anna") || strings.Contains(sealedValue, "070") {
			t.Errorf("stored in the clear: %s", sealedValue)
		}
		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		read := false
		for _, e := range events {
			if e.Action == trygg.AuditRead && e.ObjectType == "nattvandring_frivillig" && strings.Contains(e.Detail, "["+strconv.FormatInt(anna.ID, 10)) {
				read = true
			}
			if strings.Contains(e.Detail, "Anna") {
				t.Errorf("a name in the audit log: %+v", e)
			}
		}
		if !read {
			t.Error("the read of names was not audited")
		}

		_, err = f.s.CreateVolunteer(as(f.leader), f.group.ID, nattvandring.VolunteerInput{Name: "", Phone: "x"})
		wantCode(t, err, trygg.EINVALID)
		wantCode(t, f.s.AddTraining(as(f.leader), anna.ID, nattvandring.TrainingInput{Kind: "dykning", On: day("2024-01-01")}), trygg.EINVALID)
		wantCode(t, f.s.AddTraining(as(f.leader2), anna.ID, nattvandring.TrainingInput{Kind: nattvandring.TrainingFirstAid, On: day("2024-01-01")}), trygg.ENOTFOUND)
	})
}

func TestNightwalkWalks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		trained := []*nattvandring.Volunteer{
			f.volunteer(t, f.group, "Anna", day("2024-01-10")),
			f.volunteer(t, f.group, "Bertil", day("2024-02-10")),
			f.volunteer(t, f.group, "Cecilia", day("2024-03-10")),
		}
		untrained := f.volunteer(t, f.group, "David", 0)
		lapsed := f.volunteer(t, f.group, "Eva", day("2021-01-10"))
		stranger := f.volunteer(t, f.group2, "Fredrik", day("2024-01-10"))
		w := f.walk(t, day("2025-03-21"))
		if !w.Check.Red || w.Status != nattvandring.WalkPlanned {
			t.Errorf("an empty walk = %+v", w)
		}
		ctx := as(f.leader)
		for _, c := range []struct {
			v    *nattvandring.Volunteer
			want string
		}{{untrained, "saknas"}, {lapsed, "gällde till"}} {
			err := f.s.SignUp(ctx, w.ID, c.v.ID)
			wantCode(t, err, trygg.EINVALID)
			if fs := trygg.ErrorFields(err); len(fs) != 1 || fs[0].Field != "volunteer" || !strings.Contains(fs[0].Message, c.want) {
				t.Errorf("refusal = %v", err)
			}
		}
		wantCode(t, f.s.SignUp(ctx, w.ID, stranger.ID), trygg.EINVALID)
		wantCode(t, f.s.SignUp(as(f.leader2), w.ID, stranger.ID), trygg.ENOTFOUND)
		for _, v := range trained[:2] {
			if err := f.s.SignUp(ctx, w.ID, v.ID); err != nil {
				t.Fatal(err)
			}
		}
		err := f.s.ConfirmWalk(ctx, w.ID)
		wantCode(t, err, trygg.EINVALID)
		if !strings.Contains(trygg.ErrorFields(err)[0].Message, "2 av minst 3") {
			t.Errorf("confirm refused with %v", err)
		}
		if err := f.s.SignUp(ctx, w.ID, trained[2].ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SignUp(ctx, w.ID, trained[2].ID); err != nil { // twice is once
			t.Fatal(err)
		}
		if err := f.s.ConfirmWalk(ctx, w.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.FindWalkByID(ctx, w.ID)
		if err != nil || got.Check.Red || got.Status != nattvandring.WalkConfirmed || len(got.SignUps) != 3 || got.SignUps[0].Name != "Anna" {
			t.Fatalf("confirmed walk = %+v, %v", got, err)
		}
		// The samordnare sees the walk and its numbers, no names.
		seen, err := f.s.FindWalkByID(as(f.samordnare), w.ID)
		if err != nil || len(seen.SignUps) != 3 {
			t.Fatalf("samordnare: %+v, %v", seen, err)
		}
		for _, s := range seen.SignUps {
			if s.Name != "" {
				t.Errorf("samordnare sees the name %q", s.Name)
			}
		}
		_, err = f.s.FindWalkByID(as(f.leader2), w.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.s.FindWalkByID(as(f.rapportor), w.ID)
		wantCode(t, err, trygg.ENOTFOUND)
		// Falling below the minimum plans it again.
		if err := f.s.CancelSignUp(ctx, w.ID, trained[0].ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.s.FindWalkByID(ctx, w.ID); got.Status != nattvandring.WalkPlanned || !got.Check.Red {
			t.Errorf("after a cancelled sign-up: %+v", got)
		}
		// An insurance lapsing on the date makes it red whatever the count.
		late := f.walk(t, day("2025-07-04"))
		for _, v := range trained {
			if err := f.s.SignUp(ctx, late.ID, v.ID); err != nil {
				t.Fatal(err)
			}
		}
		late, _ = f.s.FindWalkByID(ctx, late.ID)
		if !late.Check.Red || late.Check.Trained != 3 || !strings.Contains(strings.Join(late.Check.Reasons, " "), "försäkring") {
			t.Errorf("uninsured walk = %+v", late.Check)
		}
		wantCode(t, f.s.ConfirmWalk(ctx, late.ID), trygg.EINVALID)

		_, err = f.s.ScheduleWalk(ctx, f.group.ID, nattvandring.WalkInput{Date: day("2025-03-01"), Start: 1260, End: 60, Districts: []string{"alidhem"}, MeetingPoint: "x"})
		wantCode(t, err, trygg.EINVALID)

		// Public: the published walks, without names.
		pub, err := f.s.PublishedWalks(context.Background(), 0, "alidhem", day("2025-03-01"), day("2025-12-31"))
		if err != nil || len(pub) != 2 || pub[0].Districts[0] != "alidhem" || pub[0].Start.Hour() != 21 {
			t.Errorf("published = %+v, %v", pub, err)
		}
		if err := f.s.CancelWalk(ctx, late.ID); err != nil {
			t.Fatal(err)
		}
		if pub, _ := f.s.PublishedWalks(context.Background(), f.group.ID, "", day("2025-03-01"), day("2025-12-31")); len(pub) != 1 {
			t.Errorf("a cancelled walk is still public: %d", len(pub))
		}
	})
}

func TestNightwalkLog(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		bertil := f.volunteer(t, f.group, "Bertil", day("2024-01-10"))
		w := f.walk(t, day("2025-03-14")) // tonight
		ctx := as(f.leader)
		db.clock.Advance(18 * time.Hour) // the morning after
		obs := func(desc string) nattvandring.Observation {
			return nattvandring.Observation{OccurredAt: testNow.Add(13 * time.Hour), AreaCode: "alidhem", PlaceType: "skola",
				Category: "skadegorelse", Severity: 2, Description: desc}
		}
		log := nattvandring.WalkLog{
			Walkers:   []nattvandring.Walker{{VolunteerID: anna.ID, Minutes: 240}, {VolunteerID: bertil.ID, Minutes: 180}},
			Districts: []string{"alidhem", "haga"}, YouthContacts: 12,
			Observations: []nattvandring.Observation{obs("Krossad ruta vid skolans entré."), obs("Ring 070-123 45 67")},
		}
		// A phone number in the second observation: nothing is written.
		_, err := f.s.FileLog(ctx, w.ID, log)
		wantCode(t, err, trygg.EINVALID)
		if fs := trygg.ErrorFields(err); len(fs) != 1 || fs[0].Field != "observations[1].description" {
			t.Errorf("fields = %+v", fs)
		}
		bad := log
		bad.Observations = []nattvandring.Observation{obs("Klotter på muren."), obs("Klotter på muren.")}
		bad.Observations[1].Category = "finns_inte"
		_, err = f.s.FileLog(ctx, w.ID, bad)
		wantCode(t, err, trygg.EINVALID)
		if fs := trygg.ErrorFields(err); len(fs) != 1 || fs[0].Field != "observations[1].category" {
			t.Errorf("fields = %+v", fs)
		}
		page, _ := f.reports.FindReports(as(f.samordnare), trygg.ReportFilter{})
		if page.Total != 0 {
			t.Fatalf("a refused log wrote %d reports", page.Total)
		}
		if got, _ := f.s.FindWalkByID(ctx, w.ID); got.Log != nil || got.Status == nattvandring.WalkDone {
			t.Fatalf("a refused log was filed: %+v", got)
		}
		wantCode(t, func() error { _, err := f.s.FileLog(as(f.leader2), w.ID, log); return err }(), trygg.ENOTFOUND)

		log.Observations[1] = obs("Grupp ungdomar vid busshållplatsen, lugnt.")
		log.Observations[1].Category = "ungdomar_stok"
		filed, err := f.s.FileLog(ctx, w.ID, log)
		if err != nil {
			t.Fatal(err)
		}
		if len(filed.ReportIDs) != 2 {
			t.Fatalf("filed %+v", filed)
		}
		_, err = f.s.FileLog(ctx, w.ID, log)
		wantCode(t, err, trygg.ECONFLICT)

		// Both observations are reports from a nattvandring organisation,
		// for the samordnare, and in the counts.
		page, err = f.reports.FindReports(as(f.samordnare), trygg.ReportFilter{OrgTypes: []trygg.OrgType{trygg.OrgNightwalk}})
		if err != nil || page.Total != 2 || page.Reports[0].OrgCode != "nv-alidhem" {
			t.Fatalf("reports = %+v, %v", page, err)
		}
		counts, err := f.reports.CountReports(as(f.samordnare), trygg.ReportFilter{})
		if err != nil || len(counts) != 2 {
			t.Errorf("counts = %+v, %v", counts, err)
		}
		got, err := f.s.FindWalkByID(ctx, w.ID)
		if err != nil || got.Status != nattvandring.WalkDone || got.Log == nil || got.Log.Minutes() != 420 || got.Log.YouthContacts != 12 ||
			len(got.ReportIDs) != 2 || got.Log.Walkers[0].Name != "Anna" {
			t.Fatalf("walk after the log = %+v (%+v), %v", got, got.Log, err)
		}
		// Statistics and the overlay.
		stats, err := f.s.Statistics(as(f.samordnare), day("2025-03-01"), day("2025-03-31"))
		if err != nil || len(stats.Months) != 2 || stats.Months[0].Minutes != 210 || stats.Months[0].Observations["skadegorelse"] != 1 {
			t.Fatalf("stats = %+v, %v", stats, err)
		}
		if stats.Weekend[0].District != "alidhem" || stats.Weekend[0].Walked != 1 || stats.Weekend[0].Nights != 9 {
			t.Errorf("weekend = %+v", stats.Weekend)
		}
		hours, err := f.s.WalkHours(as(f.lasare), day("2025-03-01"), day("2025-03-31"))
		if err != nil || len(hours) != 2 || hours[0].Minutes+hours[1].Minutes != 420 {
			t.Errorf("hours = %+v, %v", hours, err)
		}
		_, err = f.s.Statistics(as(f.rapportor), day("2025-03-01"), day("2025-03-31"))
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestNightwalkEquipment(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		other := f.volunteer(t, f.group2, "Cecilia", day("2024-01-10"))
		ctx := as(f.leader)
		jacket, err := f.s.AddItem(ctx, f.group.ID, nattvandring.ItemInput{Kind: nattvandring.ItemJacket, Size: "L", Label: "Väst 1"})
		if err != nil {
			t.Fatal(err)
		}
		torch, err := f.s.AddItem(ctx, f.group.ID, nattvandring.ItemInput{Kind: nattvandring.ItemTorch, Label: "Lampa 1"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.AddItem(ctx, f.group.ID, nattvandring.ItemInput{Kind: nattvandring.ItemJacket, Label: "Väst 2"})
		wantCode(t, err, trygg.EINVALID)
		today := trygg.DayOf(testNow)
		wantCode(t, f.s.LendItem(ctx, jacket.ID, other.ID, today+7), trygg.EINVALID)
		wantCode(t, f.s.LendItem(ctx, jacket.ID, anna.ID, today-1), trygg.EINVALID)
		wantCode(t, f.s.LendItem(as(f.leader2), jacket.ID, anna.ID, today+7), trygg.ENOTFOUND)
		if err := f.s.LendItem(ctx, jacket.ID, anna.ID, today+2); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.LendItem(ctx, jacket.ID, anna.ID, today+2), trygg.EINVALID) // already out
		if err := f.s.LendItem(ctx, torch.ID, anna.ID, today+7); err != nil {
			t.Fatal(err)
		}
		db.clock.Advance(4 * 24 * time.Hour)
		loans, err := f.s.FindLoans(ctx, f.group.ID)
		if err != nil || len(loans) != 2 || loans[0].VolunteerName != "Anna" {
			t.Fatalf("loans = %+v, %v", loans, err)
		}
		overdue := nattvandring.OverdueLoans(loans, trygg.DayOf(db.clock.Now()))
		if len(overdue) != 1 || overdue[0].ItemID != jacket.ID {
			t.Errorf("overdue = %+v", overdue)
		}
		if err := f.s.ReturnItem(ctx, jacket.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.ReturnItem(ctx, jacket.ID), trygg.EINVALID)
		wantCode(t, f.s.WriteOffItem(ctx, torch.ID, ""), trygg.EINVALID)
		if err := f.s.WriteOffItem(ctx, torch.ID, "Tappades bort under vandringen"); err != nil {
			t.Fatal(err)
		}
		items, err := f.s.FindItems(ctx, f.group.ID)
		if err != nil || len(items) != 2 || items[0].Loan != nil || items[1].WrittenOffOn == 0 || items[1].Loan != nil {
			t.Fatalf("items = %+v, %v", items, err)
		}
		wantCode(t, f.s.LendItem(ctx, torch.ID, anna.ID, trygg.DayOf(db.clock.Now())+7), trygg.EINVALID)
		_, err = f.s.FindItems(as(f.samordnare), f.group.ID)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestNightwalkRemovalAndRetention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		bertil := f.volunteer(t, f.group, "Bertil", day("2024-01-10"))
		cecilia := f.volunteer(t, f.group, "Cecilia", day("2024-01-10"))
		ctx := as(f.leader)
		w := f.walk(t, day("2025-03-14"))
		db.clock.Advance(18 * time.Hour)
		if _, err := f.s.FileLog(ctx, w.ID, nattvandring.WalkLog{Districts: []string{"alidhem"},
			Walkers: []nattvandring.Walker{{VolunteerID: anna.ID, Minutes: 120}, {VolunteerID: bertil.ID, Minutes: 120}}}); err != nil {
			t.Fatal(err)
		}
		next := f.walk(t, day("2025-03-21"))
		if err := f.s.SignUp(ctx, next.ID, anna.ID); err != nil {
			t.Fatal(err)
		}
		// Anna asks to be removed: her past walk stays, anonymous, and her
		// sign-up for the next one goes.
		if err := f.s.RemoveVolunteer(ctx, anna.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.RemoveVolunteer(ctx, anna.ID), trygg.ENOTFOUND)
		past, _ := f.s.FindWalkByID(ctx, w.ID)
		if len(past.Log.Walkers) != 2 || past.Log.Walkers[0].Name == "Anna" || past.Log.Minutes() != 240 {
			t.Errorf("past walk after removal = %+v", past.Log)
		}
		if got, _ := f.s.FindWalkByID(ctx, next.ID); len(got.SignUps) != 0 {
			t.Errorf("sign-ups after removal = %+v", got.SignUps)
		}
		raw := rawDB(t, db)
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM nattvandring_volunteers WHERE id = $1 AND sealed IS NULL", anna.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("sealed data left: %d, %v", n, err)
		}

		// The retention job: nobody is due yet; a year and a day after the
		// walk, Bertil is (walked) and so is Cecilia (registered, never
		// walked).
		_, err := f.s.PurgeVolunteers(ctx)
		wantCode(t, err, trygg.ENOTFOUND)
		if n, err := f.s.PurgeVolunteers(operator()); err != nil || n != 0 {
			t.Fatalf("purged %d, %v", n, err)
		}
		db.clock.Advance(365 * 24 * time.Hour)
		if n, err := f.s.PurgeVolunteers(operator()); err != nil || n != 2 {
			t.Fatalf("purged %d, %v", n, err)
		}
		vs, _ := f.s.FindVolunteers(ctx, f.group.ID)
		for _, v := range vs {
			if v.Name != "" || v.RemovedAt == nil {
				t.Errorf("left after retention: %+v", v)
			}
		}
		events, _ := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{})
		purged := 0
		for _, e := range events {
			if e.Action == trygg.AuditDelete && e.ObjectType == "nattvandring_frivillig" && strings.HasPrefix(e.Detail, "gallring") {
				purged++
			}
		}
		if purged != 2 || cecilia.ID == 0 {
			t.Errorf("%d purges in the audit log", purged)
		}
	})
}

// TestNightwalkIndicator: walks imported as held, and a commitment whose
// indicator reads them: the per cent of each month's weekend nights with a
// walk in Ålidhem, shown whole to every audience.
func TestNightwalkIndicator(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2024-01-10"))
		bertil := f.volunteer(t, f.group, "Bertil", day("2024-01-10"))
		held := func(d trygg.Day, district string, obs ...nattvandring.Observation) nattvandring.HeldWalk {
			return nattvandring.HeldWalk{Walk: nattvandring.WalkInput{Date: d, Start: 21 * 60, End: 60, Districts: []string{district}, MeetingPoint: "Torget"},
				SignUps: []int64{anna.ID, bertil.ID},
				Log: nattvandring.WalkLog{Districts: []string{district}, Walkers: []nattvandring.Walker{{VolunteerID: anna.ID, Minutes: 240}, {VolunteerID: bertil.ID, Minutes: 240}},
					Observations: obs}}
		}
		var walks []nattvandring.HeldWalk
		for _, d := range []string{"2025-01-03", "2025-01-10", "2025-01-17", "2025-01-24", "2025-01-31"} {
			walks = append(walks, held(day(d), "alidhem"))
		}
		walks = append(walks, held(day("2025-02-01"), "haga", nattvandring.Observation{OccurredAt: time.Date(2025, 2, 1, 22, 0, 0, 0, time.UTC),
			AreaCode: "haga", PlaceType: "park", Category: "klotter", Severity: 1, Description: "Klotter i parken."}))
		_, err := f.s.ImportWalks(as(f.leader), f.group.ID, f.leader.ID, walks)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.s.ImportWalks(operator(), f.group.ID, f.leader2.ID, walks)
		wantCode(t, err, trygg.EINVALID)
		if n, err := f.s.ImportWalks(operator(), f.group.ID, f.leader.ID, walks); err != nil || n != 6 {
			t.Fatalf("imported %d, %v", n, err)
		}

		s := newAgreementService(db)
		a, _ := mustAgreement(t, s, f.fixture)
		in := samverkan.CommitmentInput{Text: "Nattvandring varje helg i Ålidhem.", OwnerOrgCode: "polisen",
			Target:    samverkan.Target{Text: "Vandring varje helgnatt", Kind: samverkan.TargetAtLeast, Value: 100},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorNightwalk, Name: "Helgnätter med nattvandring", Categories: []string{"klotter"}}}
		_, err = s.CreateCommitment(as(f.samordnare), a.ID, in)
		wantField(t, err, "indicator_areas")
		in.Indicator.Areas = []string{"alidhem"}
		c, err := s.CreateCommitment(as(f.samordnare), a.ID, in)
		if err != nil || c.Indicator.Kind != samverkan.IndicatorMeasure || len(c.Indicator.Categories) != 0 {
			t.Fatalf("created %+v, %v", c, err)
		}
		// January 2025 has 9 weekend nights, 5 of them walked in Ålidhem;
		// February's one walk was in Haga.
		want := []samverkan.IndicatorPoint{{Day: day("2025-01-01"), Value: 56}, {Day: day("2025-02-01"), Value: 0}}
		got, err := s.IndicatorPoints(as(f.lasare), c.ID)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("points %+v, %v", got, err)
		}
		if _, got, _, err = s.PublicCommitment(context.Background(), c.ID); err == nil && !slices.Equal(got, want) {
			t.Errorf("public points %+v", got)
		}
	})
}
