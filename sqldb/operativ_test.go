package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/sqldb"
)

// operativFixture adds a routine version and a KAST reception, with a
// counsellor whose role is rapportör, to the common fixture.
type operativFixture struct {
	*fixture
	s         *sqldb.OperativService
	routine   *operativ.Routine
	counselor *trygg.User
}

func newOperativFixture(t *testing.T, db *testDB) *operativFixture {
	t.Helper()
	f := &operativFixture{fixture: newFixture(t, db), s: sqldb.NewOperativService(db.DB)}
	ctx := operator()
	if err := f.orgs.CreateOrganisation(ctx, &trygg.Organisation{Code: "kast", Name: "KAST-mottagningen", Type: trygg.OrgSocialServices}); err != nil {
		t.Fatal(err)
	}
	u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: "kast@kommun.example", Name: "Test KAST", OrgCode: "kast", Roles: []trygg.Role{trygg.RoleRapportor}})
	if err != nil {
		t.Fatal(err)
	}
	f.counselor = u
	if err := f.s.SetServiceOrganisation(ctx, "kast", "kast"); err != nil {
		t.Fatal(err)
	}
	f.routine, err = f.s.CreateRoutine(as(f.polis), operativ.RoutineInput{Title: "Rutin för operativ samverkan", ValidFrom: day("2018-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *operativFixture) input() operativ.OperationInput {
	return operativ.OperationInput{
		At: testNow.Add(-26 * time.Hour), AreaCode: "alidhem", PlaceType: "hotell", Type: "sexkop",
		Participants:   []operativ.Participant{{OrgCode: "polisen", Staff: 4}, {OrgCode: "alidhemsskolan", Staff: 2}},
		SocialServices: true, Checklist: operativ.Checklist{InformedInAdvance: true}, RoutineID: f.routine.ID,
		Contacts: []operativ.ContactInput{
			{Role: "saljare", AgeBand: "18-24", Language: "engelska", SupportInput: operativ.SupportInput{Offered: true, Accepted: true, What: "Samtal"}},
			{Role: "kopare", AgeBand: "35-49"},
		},
	}
}

// operation records f.input() as the police.
func (f *operativFixture) operation(t *testing.T) *operativ.Operation {
	t.Helper()
	op, err := f.s.CreateOperation(as(f.polis), f.input())
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func TestOperations(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		op := f.operation(t)
		if len(op.Contacts) != 2 || len(op.Participants) != 2 || op.RoutineVersion != 1 || op.AreaName != "Ålidhem" ||
			!op.SocialServices || !op.Checklist.InformedInAdvance || len(op.Tasks) != 0 || op.Contacts[0].Support != "Samtal" {
			t.Fatalf("created %+v", op)
		}

		tests := []struct {
			name  string
			edit  func(*operativ.OperationInput)
			field string
		}{
			{"no time", func(in *operativ.OperationInput) { in.At = time.Time{} }, "at"},
			{"future", func(in *operativ.OperationInput) { in.At = testNow.Add(time.Hour) }, "at"},
			{"unknown area", func(in *operativ.OperationInput) { in.AreaCode = "mars" }, "area"},
			{"place type", func(in *operativ.OperationInput) { in.PlaceType = "bil" }, "place_type"},
			{"type", func(in *operativ.OperationInput) { in.Type = "" }, "type"},
			{"no participants", func(in *operativ.OperationInput) { in.Participants = nil }, "participants"},
			{"unknown org", func(in *operativ.OperationInput) { in.Participants[0].OrgCode = "okand" }, "participants"},
			{"no staff", func(in *operativ.OperationInput) { in.Participants[0].Staff = 0 }, "staff_polisen"},
			{"routine", func(in *operativ.OperationInput) { in.RoutineID = 999 }, "routine"},
			{"routine not yet valid", func(in *operativ.OperationInput) { in.At = time.Date(2017, 12, 31, 20, 0, 0, 0, time.UTC) }, "routine"},
			{"personnummer in note", func(in *operativ.OperationInput) { in.Note = "Kontakt 19811218-9876 på plats." }, "note"},
			{"phone in support", func(in *operativ.OperationInput) { in.Contacts[0].What = "Ring 070-123 45 67" }, "contacts[0].support"},
			{"role", func(in *operativ.OperationInput) { in.Contacts[1].Role = "" }, "contacts[1].role"},
			{"accepted not offered", func(in *operativ.OperationInput) { in.Contacts[1].Accepted = true }, "contacts[1].support_accepted"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := f.input()
				tt.edit(&in)
				_, err := f.s.CreateOperation(as(f.polis), in)
				wantField(t, err, tt.field)
			})
		}

		// A suspected minor raises a task; the checklist flag follows.
		in := f.input()
		in.Contacts[1].AgeBand = "under18"
		minor, err := f.s.CreateOperation(as(f.socialtjanst), in)
		if err != nil {
			t.Fatal(err)
		}
		if !minor.Checklist.SuspectedMinor || len(minor.Tasks) != 1 || minor.Tasks[0].ContactID != minor.Contacts[1].ID {
			t.Fatalf("minor operation %+v, tasks %+v", minor.Checklist, minor.Tasks)
		}
		// The checklist alone raises one task for the operation.
		in = f.input()
		in.Checklist.SuspectedMinor = true
		flagged, err := f.s.CreateOperation(as(f.polis), in)
		if err != nil || len(flagged.Tasks) != 1 || flagged.Tasks[0].ContactID != 0 {
			t.Fatalf("flagged: %v %+v", err, flagged)
		}
		if _, err := f.s.AddContact(as(f.polis), op.ID, operativ.ContactInput{Role: "saljare", AgeBand: "under18"}); err != nil {
			t.Fatal(err)
		}
		tasks, err := f.s.FindOpenTasks(as(f.socialtjanst))
		if err != nil || len(tasks) != 3 {
			t.Fatalf("open tasks %d, %v", len(tasks), err)
		}
		wantCode(t, f.s.CompleteTask(as(f.polis), tasks[0].ID), trygg.ENOTFOUND)
		if err := f.s.CompleteTask(as(f.socialtjanst), tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.s.CompleteTask(as(f.socialtjanst), tasks[0].ID), trygg.ENOTFOUND)

		// Access: polis and socialtjänst work with operations; samordnare
		// and läsare see the aggregates; everyone else nothing.
		for _, u := range []*trygg.User{f.samordnare, f.lasare, f.rapportor, f.admin, f.counselor} {
			_, err := f.s.FindOperationByID(as(u), op.ID)
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.s.FindOperations(as(u), operativ.OperationFilter{})
			wantCode(t, err, trygg.ENOTFOUND)
		}
		for _, u := range []*trygg.User{f.samordnare, f.lasare, f.polis} {
			if _, err := f.s.Stats(as(u)); err != nil {
				t.Errorf("%s stats: %v", u.Email, err)
			}
		}
		for _, u := range []*trygg.User{f.rapportor, f.admin} {
			_, err := f.s.Stats(as(u))
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, err = f.s.Stats(context.Background())
		wantCode(t, err, trygg.EUNAUTHORIZED)
		list, err := f.s.FindOperations(as(f.polis), operativ.OperationFilter{AreaCode: "alidhem", From: trygg.DayOf(testNow) - 2})
		if err != nil || len(list) != 3 || len(list[0].Participants) != 2 {
			t.Fatalf("list %d %v", len(list), err)
		}

		// Reads and changes are audited.
		if _, err := f.s.FindOperationByID(as(f.socialtjanst), op.ID); err != nil {
			t.Fatal(err)
		}
		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "operation"})
		if err != nil {
			t.Fatal(err)
		}
		var reads, creates int
		for _, e := range events {
			switch e.Action {
			case trygg.AuditRead:
				reads++
			case trygg.AuditCreate:
				creates++
			}
		}
		if reads != 1 || creates != 3 {
			t.Fatalf("audit: %d reads, %d creates", reads, creates)
		}
	})
}

func TestReferrals(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		op := f.operation(t)
		buyer := op.Contacts[1]
		if err := f.s.SetSupport(as(f.socialtjanst), buyer.ID, operativ.SupportInput{Offered: true, Accepted: true, What: "Stödsamtal"}); err != nil {
			t.Fatal(err)
		}
		wantField(t, f.s.SetSupport(as(f.socialtjanst), buyer.ID, operativ.SupportInput{Accepted: true}), "support_accepted")
		offered := trygg.DayOf(testNow) - 1
		ref, err := f.s.CreateReferral(as(f.socialtjanst), buyer.ID, "kast", offered, false)
		if err != nil {
			t.Fatal(err)
		}
		if ref.Status != operativ.ReferralOffered || len(ref.Code) != 9 || ref.DayOf(operativ.ReferralOffered) != offered || ref.ServiceName == "" {
			t.Fatalf("referral %+v", ref)
		}
		_, err = f.s.CreateReferral(as(f.socialtjanst), buyer.ID, "okand", offered, false)
		wantField(t, err, "service")
		cmv, err := f.s.CreateReferral(as(f.socialtjanst), op.Contacts[0].ID, "cmv_kvinnomottagning", offered, true)
		if err != nil || cmv.Status != operativ.ReferralAccepted || len(cmv.Steps) != 2 {
			t.Fatalf("accepted referral %+v %v", cmv, err)
		}
		wantField(t, f.s.AdvanceReferral(as(f.polis), cmv.ID, operativ.ReferralOffered, offered), "status")
		wantField(t, f.s.AdvanceReferral(as(f.polis), cmv.ID, operativ.ReferralOngoing, offered-1), "day")

		// Only the receiving organisation confirms, by the code as typed.
		_, err = f.s.ConfirmFirstContact(as(f.socialtjanst), ref.Code, offered+2)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.s.ConfirmFirstContact(as(f.counselor), "ZZZZ-ZZZZ", offered+2)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = f.s.ConfirmFirstContact(as(f.counselor), cmv.Code, offered+2)
		wantCode(t, err, trygg.ENOTFOUND)
		typed := " " + ref.Code[:4] + ref.Code[5:] + " "
		got, err := f.s.ConfirmFirstContact(as(f.counselor), typed, offered+2)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != operativ.ReferralFirstContact || got.DayOf(operativ.ReferralAccepted) != offered+2 || got.Code != "" {
			t.Fatalf("confirmed %+v", got)
		}
		_, err = f.s.ConfirmFirstContact(as(f.counselor), ref.Code, offered+2)
		wantCode(t, err, trygg.ECONFLICT)
		recv, err := f.s.ReceivedServices(as(f.counselor))
		if err != nil || len(recv) != 1 || recv[0].Code != "kast" {
			t.Fatalf("received %+v %v", recv, err)
		}
		if recv, _ := f.s.ReceivedServices(as(f.rapportor)); len(recv) != 0 {
			t.Fatalf("school receives %+v", recv)
		}
		_, err = f.s.FindOperationByID(as(f.counselor), op.ID)
		wantCode(t, err, trygg.ENOTFOUND)

		if err := f.s.AdvanceReferral(as(f.socialtjanst), ref.ID, operativ.ReferralEnded, offered+30); err != nil {
			t.Fatal(err)
		}
		full, err := f.s.FindOperationByID(as(f.polis), op.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := full.Contacts[1].Referrals[0]
		if r.Status != operativ.ReferralEnded || len(r.Steps) != 5 || r.DayOf(operativ.ReferralOngoing) != offered+30 {
			t.Fatalf("ended %+v", r)
		}
	})
}

func TestOperativStatsSuppressed(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		var contacts []int64
		for range 5 {
			contacts = append(contacts, f.operation(t).Contacts[1].ID)
		}
		offered := trygg.DayOf(testNow) - 1
		for i, id := range contacts {
			ref, err := f.s.CreateReferral(as(f.socialtjanst), id, "kast", offered, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.ConfirmFirstContact(as(f.counselor), ref.Code, offered+trygg.Day(i)); err != nil {
				t.Fatal(err)
			}
		}
		st, err := f.s.Stats(as(f.lasare))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Months) != 1 || st.Months[0].Count != 5 || st.ByDistrict[0].Count != 5 || len(st.Years) != 1 || st.Years[0] != (disclose.Count{Key: "2025", Label: "2025", Count: 5}) {
			t.Fatalf("months %+v districts %+v", st.Months, st.ByDistrict)
		}
		// Five sellers accepted support, five buyers were not offered any.
		if st.ByRole[0].Count != 5 || st.ByRole[1].Count != 5 || st.Accepted != (disclose.Share{Part: 5, Whole: 5}) {
			t.Fatalf("roles %+v accepted %+v", st.ByRole, st.Accepted)
		}
		if len(st.Services) != 1 || st.Services[0].Reached[2].Count != 5 || st.Services[0].Reached[3] != (disclose.Count{Key: operativ.ReferralOngoing, Label: "Pågående"}) {
			t.Fatalf("services %+v", st.Services)
		}
		if st.FirstContactN != 5 || st.OfferToFirstContact != 2 {
			t.Fatalf("offer to first contact: median %v over %d", st.OfferToFirstContact, st.FirstContactN)
		}
		// A single referral to another service is a suppressed count.
		if _, err := f.s.CreateReferral(as(f.socialtjanst), contacts[0], "beroende", offered, false); err != nil {
			t.Fatal(err)
		}
		st, err = f.s.Stats(as(f.samordnare))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Services) != 2 || !st.Services[1].Reached[0].Suppressed || st.Services[1].Reached[0].Count != 0 {
			t.Fatalf("small service %+v", st.Services)
		}
		// Two more offers to KAST that nobody accepted: 7 offered and 5
		// further on would give the 2 away, so the later steps are
		// hidden down to the 0 ongoing.
		for _, id := range contacts[:2] {
			if _, err := f.s.CreateReferral(as(f.socialtjanst), id, "kast", offered, false); err != nil {
				t.Fatal(err)
			}
		}
		st, err = f.s.Stats(as(f.samordnare))
		if err != nil {
			t.Fatal(err)
		}
		if r := st.Services[0].Reached; r[0].Count != 7 || !r[1].Suppressed || !r[2].Suppressed || r[1].Count+r[2].Count != 0 || r[3].Suppressed {
			t.Fatalf("KAST steps %+v", r)
		}

		// One operation in Haga, with one other contact: month, year and
		// contacts are shown (6, 6, 11), so Haga's 1 and the 1 other would
		// be their total minus Ålidhem's 5 and the sellers' 5. Those are
		// withheld too.
		in := f.input()
		in.AreaCode, in.Contacts = "haga", []operativ.ContactInput{{Role: "annan", AgeBand: "35-49"}}
		if _, err := f.s.CreateOperation(as(f.polis), in); err != nil {
			t.Fatal(err)
		}
		st, err = f.s.Stats(as(f.lasare))
		if err != nil {
			t.Fatal(err)
		}
		if st.Months[0].Count != 6 || st.Years[0].Count != 6 || st.Contacts.Count != 11 {
			t.Fatalf("totals: months %+v years %+v contacts %+v", st.Months, st.Years, st.Contacts)
		}
		hidden := []disclose.Count{st.ByDistrict[0], st.ByDistrict[1], st.ByMonthArea[0].Count, st.ByMonthArea[1].Count, st.ByRole[0], st.ByRole[2]}
		for i, c := range hidden {
			if !c.Suppressed || c.Count != 0 {
				t.Errorf("count %d = %+v, want withheld", i, c)
			}
		}
		if st.ByRole[1].Count != 5 {
			t.Errorf("buyers %+v", st.ByRole[1])
		}

		// Those who work the operations see the same figures exact.
		for _, u := range []*trygg.User{f.polis, f.socialtjanst} {
			st, err = f.s.Stats(as(u))
			if err != nil {
				t.Fatal(err)
			}
			if !st.Exact || st.ByDistrict[0].Count+st.ByDistrict[1].Count != 6 || st.ByRole[2].Count != 1 ||
				st.Services[1].Reached[0].Count != 1 || st.Services[0].Reached[1].Count != 5 {
				t.Errorf("%s: %+v", u.Email, st)
			}
			for _, c := range append(append(st.ByDistrict, st.ByRole...), st.Months...) {
				if c.Suppressed {
					t.Errorf("%s: %+v withheld", u.Email, c)
				}
			}
		}
	})
}

func TestAdCounts(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		weeks := []operativ.AdWeek{{Week: day("2024-01-03"), Ads: 40, SugarMinor: 2}, {Week: day("2024-01-08"), Ads: 35}}
		if err := f.s.SaveAdCounts(as(f.polis), weeks); err != nil {
			t.Fatal(err)
		}
		// A later save replaces the same week.
		if err := f.s.SaveAdCounts(as(f.samordnare), []operativ.AdWeek{{Week: day("2024-01-08"), Ads: 30, SugarMinor: 1}}); err != nil {
			t.Fatal(err)
		}
		wantField(t, f.s.SaveAdCounts(as(f.polis), []operativ.AdWeek{{Week: day("2024-01-08"), Ads: -1}}), "weeks[0].ads")
		wantCode(t, f.s.SaveAdCounts(as(f.lasare), weeks), trygg.ENOTFOUND)
		wantCode(t, f.s.SaveAdCounts(as(f.rapportor), weeks), trygg.ENOTFOUND)
		got, err := f.s.AdCounts(as(f.lasare))
		if err != nil {
			t.Fatal(err)
		}
		want := []operativ.AdWeek{{Week: day("2024-01-01"), Ads: 40, SugarMinor: 2}, {Week: day("2024-01-08"), Ads: 30, SugarMinor: 1}}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		_, err = f.s.AdCounts(as(f.admin))
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestKastLog(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		today := trygg.DayOf(testNow)
		// Six people with a code, five of whom come back; one without.
		for i := range 6 {
			code := fmt.Sprintf("Fågel-%d", i)
			for j := range min(i+1, 2) {
				in := operativ.KastContactInput{Day: today - trygg.Day(j*40), Channel: "telefon", Code: code, Topic: "sexkop", Outcome: "radgivning"}
				if err := f.s.LogKastContact(as(f.counselor), in); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.s.LogKastContact(as(f.counselor), operativ.KastContactInput{Day: today, Channel: "chatt", Topic: "annat", Outcome: "hanvisad"}); err != nil {
			t.Fatal(err)
		}
		in := operativ.KastContactInput{Day: today, Channel: "telefon", Code: "19811218-9876", Topic: "sexkop", Outcome: "radgivning"}
		wantField(t, f.s.LogKastContact(as(f.counselor), in), "code")
		in.Code, in.Day = "", today+1
		wantField(t, f.s.LogKastContact(as(f.counselor), in), "day")
		in.Day = today
		wantCode(t, f.s.LogKastContact(as(f.socialtjanst), in), trygg.ENOTFOUND)
		if ok, err := f.s.IsKastStaff(as(f.counselor)); !ok || err != nil {
			t.Fatalf("counselor is staff: %v %v", ok, err)
		}

		st, err := f.s.KastStats(as(f.lasare))
		if err != nil {
			t.Fatal(err)
		}
		if st.Contacts.Count != 12 {
			t.Fatalf("stats %+v", st)
		}
		// 5 of 6 leaves 1 who did not return: a small count, suppressed.
		if !st.Returning.Suppressed || st.ByChannel[1].Count != 0 || !st.ByChannel[1].Suppressed || len(st.Months) != 2 {
			t.Fatalf("suppression: %+v", st)
		}
		// The 11 calls would give the one chat away as 12 − 11, and so
		// would the topics: they are withheld as well.
		if !st.ByChannel[0].Suppressed || st.ByChannel[0].Count != 0 || !st.ByTopic[0].Suppressed || st.ByTopic[0].Count != 0 {
			t.Fatalf("complements: channels %+v topics %+v", st.ByChannel, st.ByTopic)
		}
		if _, err := f.s.KastStats(as(f.counselor)); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.KastStats(as(f.rapportor))
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

// taskKinds lists the kinds of tasks, each with "+contact" when a contact
// raised it, in the order of the IDs.
func taskKinds(tasks []*operativ.Task) []string {
	var out []string
	for _, t := range tasks {
		k := string(t.Kind)
		if t.ContactID != 0 {
			k += "+contact"
		}
		out = append(out, k)
	}
	return out
}

func TestOperativTasks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		minorContact := func(in *operativ.OperationInput) { in.Contacts[1].AgeBand = "under18" }
		trafficking := func(in *operativ.OperationInput) { in.Checklist.TraffickingSigns = true }
		minorChecklist := func(in *operativ.OperationInput) { in.Checklist.SuspectedMinor = true }
		tests := []struct {
			name  string
			edits []func(*operativ.OperationInput)
			want  string
		}{
			{"nothing flagged", nil, ""},
			{"trafficking signs", []func(*operativ.OperationInput){trafficking}, "manniskohandel"},
			{"suspected minor met", []func(*operativ.OperationInput){minorContact}, "orosanmalan+contact"},
			{"suspected minor in the checklist", []func(*operativ.OperationInput){minorChecklist}, "orosanmalan"},
			{"minor met and trafficking", []func(*operativ.OperationInput){minorContact, trafficking}, "orosanmalan+contact manniskohandel"},
			{"both in the checklist", []func(*operativ.OperationInput){minorChecklist, trafficking}, "orosanmalan manniskohandel"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := f.input()
				for _, edit := range tt.edits {
					edit(&in)
				}
				op, err := f.s.CreateOperation(as(f.polis), in)
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprint(taskKinds(op.Tasks)); got != "["+tt.want+"]" {
					t.Fatalf("tasks %s, want [%s]", got, tt.want)
				}
				for _, task := range op.Tasks {
					if task.OperationID != op.ID || task.DoneAt != nil || task.AreaName != "Ålidhem" {
						t.Fatalf("task %+v", task)
					}
				}
			})
		}

		// A trafficking task is made once: a later contact, even a
		// suspected minor, adds only the report of concern, also when
		// the trafficking task is done.
		in := f.input()
		in.Checklist.TraffickingSigns = true
		op, err := f.s.CreateOperation(as(f.socialtjanst), in)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.CompleteTask(as(f.polis), op.Tasks[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AddContact(as(f.polis), op.ID, operativ.ContactInput{Role: "saljare", AgeBand: "under18"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AddContact(as(f.polis), op.ID, operativ.ContactInput{Role: "kopare", AgeBand: "50-"}); err != nil {
			t.Fatal(err)
		}
		op, err = f.s.FindOperationByID(as(f.polis), op.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(taskKinds(op.Tasks)); got != "[manniskohandel orosanmalan+contact]" || op.Tasks[0].DoneAt == nil || op.Tasks[1].DoneAt != nil {
			t.Fatalf("tasks after new contacts %s: %+v", got, op.Tasks)
		}
	})
}

func TestCompleteTask(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		in := f.input()
		in.Checklist.TraffickingSigns, in.Checklist.SuspectedMinor = true, true
		tests := []struct {
			name       string
			who        *trygg.User
			kind       operativ.TaskKind
			code       string // "" for success
			stillOpen  bool
			secondCode string // completing it again
		}{
			{"socialtjänst files the report", f.socialtjanst, operativ.TaskConcern, "", false, trygg.ENOTFOUND},
			{"socialtjänst follows the routine", f.socialtjanst, operativ.TaskTrafficking, "", false, trygg.ENOTFOUND},
			{"polis follows the routine", f.polis, operativ.TaskTrafficking, "", false, trygg.ENOTFOUND},
			{"polis may not file the report", f.polis, operativ.TaskConcern, trygg.ENOTFOUND, true, trygg.ENOTFOUND},
			{"samordnare", f.samordnare, operativ.TaskTrafficking, trygg.ENOTFOUND, true, trygg.ENOTFOUND},
			{"läsare", f.lasare, operativ.TaskTrafficking, trygg.ENOTFOUND, true, trygg.ENOTFOUND},
			{"the KAST counsellor", f.counselor, operativ.TaskTrafficking, trygg.ENOTFOUND, true, trygg.ENOTFOUND},
			{"admin", f.admin, operativ.TaskConcern, trygg.ENOTFOUND, true, trygg.ENOTFOUND},
			{"anonymous", nil, operativ.TaskTrafficking, trygg.EUNAUTHORIZED, true, trygg.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				op, err := f.s.CreateOperation(as(f.polis), in)
				if err != nil {
					t.Fatal(err)
				}
				var id int64
				for _, task := range op.Tasks {
					if task.Kind == tt.kind {
						id = task.ID
					}
				}
				ctx := context.Background()
				if tt.who != nil {
					ctx = as(tt.who)
				}
				err = f.s.CompleteTask(ctx, id)
				if tt.code == "" && err != nil {
					t.Fatal(err)
				} else if tt.code != "" {
					wantCode(t, err, tt.code)
				}
				task, err := f.s.FindTask(as(f.polis), id)
				if err != nil || (task.DoneAt == nil) != tt.stillOpen || task.Kind != tt.kind {
					t.Fatalf("task %+v %v", task, err)
				}
				if tt.code == "" {
					wantCode(t, f.s.CompleteTask(ctx, id), tt.secondCode)
				}
			})
		}
		wantCode(t, f.s.CompleteTask(as(f.socialtjanst), 99999), trygg.ENOTFOUND)
		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "operativ_task"})
		if err != nil || len(events) != 3 {
			t.Fatalf("audited completions %d %v", len(events), err)
		}
	})
}

func TestServiceReceivers(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		tests := []struct {
			name, service, org string
			who                *trygg.User
			code, field        string
		}{
			{"admin names a receiver", "beroende", "polisen", f.admin, "", ""},
			{"admin removes one", "beroende", "", f.admin, "", ""},
			{"unknown service", "okand", "kast", f.admin, trygg.ENOTFOUND, ""},
			{"unknown organisation", "kast", "okand", f.admin, trygg.EINVALID, "org"},
			{"samordnare may not", "kast", "polisen", f.samordnare, trygg.ENOTFOUND, ""},
			{"the receiver itself may not", "kast", "", f.counselor, trygg.ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.s.SetServiceOrganisation(as(tt.who), tt.service, tt.org)
				switch {
				case tt.field != "":
					wantField(t, err, tt.field)
				case tt.code != "":
					wantCode(t, err, tt.code)
				case err != nil:
					t.Fatal(err)
				}
				svcs, err := f.s.FindSupportServices(as(f.admin))
				if err != nil {
					t.Fatal(err)
				}
				for _, sv := range svcs {
					want := map[string]string{"kast": "kast"}[sv.Code]
					if tt.code == "" && sv.Code == tt.service {
						want = tt.org
					}
					if sv.OrgCode != want {
						t.Fatalf("%s received by %q, want %q", sv.Code, sv.OrgCode, want)
					}
				}
			})
		}
		_, err := f.s.FindSupportServices(as(f.rapportor))
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

func TestAdWeeksFutureAndDelete(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newOperativFixture(t, db)
		// testNow is Friday 14 March 2025, in week 11.
		wantField(t, f.s.SaveAdCounts(as(f.polis), []operativ.AdWeek{{Week: day("2025-03-10"), Ads: 3}, {Week: day("2025-03-17"), Ads: 4}}), "weeks[1].week")
		if err := f.s.SaveAdCounts(as(f.polis), []operativ.AdWeek{{Week: day("2025-03-13"), Ads: 3}, {Week: day("2025-03-03"), Ads: 5}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			who  *trygg.User
			week trygg.Day
			code string // "" for success
		}{
			{"läsare", f.lasare, day("2025-03-10"), trygg.ENOTFOUND},
			{"the KAST counsellor", f.counselor, day("2025-03-10"), trygg.ENOTFOUND},
			{"samordnare", f.samordnare, day("2025-03-10"), ""},
			{"gone already", f.polis, day("2025-03-10"), trygg.ENOTFOUND},
			{"never stored", f.socialtjanst, day("2025-02-24"), trygg.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.s.DeleteAdWeek(as(tt.who), tt.week)
				if tt.code == "" && err != nil {
					t.Fatal(err)
				} else if tt.code != "" {
					wantCode(t, err, tt.code)
				}
			})
		}
		wantCode(t, f.s.DeleteAdWeek(context.Background(), day("2025-03-03")), trygg.EUNAUTHORIZED)
		got, err := f.s.AdCounts(as(f.lasare))
		if err != nil || len(got) != 1 || got[0].Week != day("2025-03-03") {
			t.Fatalf("left %+v %v", got, err)
		}
		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "ad_counts"})
		if err != nil || len(events) != 2 || events[0].Action != trygg.AuditDelete && events[1].Action != trygg.AuditDelete {
			t.Fatalf("audit %+v %v", events, err)
		}
	})
}
