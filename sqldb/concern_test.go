package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/disclose"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/sqldb"
)

// registerFixture adds to the fixture a social-services organisation with
// two case workers and a manager, and a second one with a case worker.
type registerFixture struct {
	*fixture
	concerns              *sqldb.ConcernService
	worker, worker2, boss *trygg.User
	otherOrgWorker        *trygg.User
}

func newRegisterFixture(t *testing.T, db *testDB) *registerFixture {
	t.Helper()
	f := &registerFixture{fixture: newFixture(t, db), concerns: sqldb.NewConcernService(db.DB)}
	ctx := operator()
	for _, o := range []*trygg.Organisation{
		{Code: "ifo", Name: "Individ- och familjeomsorgen", Type: trygg.OrgSocialServices},
		{Code: "ifo-norr", Name: "IFO norr", Type: trygg.OrgSocialServices},
	} {
		if err := f.orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, org string, roles ...trygg.Role) *trygg.User {
		u, err := f.users.CreateUser(ctx, trygg.NewUser{Email: email, Name: "Handläggare " + email, OrgCode: org, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.worker = mk("a@ifo.example", "ifo", trygg.RoleSocialtjanst)
	f.worker2 = mk("b@ifo.example", "ifo", trygg.RoleSocialtjanst)
	f.boss = mk("chef@ifo.example", "ifo", trygg.RoleArbetsledare)
	f.otherOrgWorker = mk("c@norr.example", "ifo-norr", trygg.RoleSocialtjanst)
	return f
}

const (
	testChildPnr    = "121212-1212"
	testChildDigits = "201212121212"
	testChildName   = "Kalle Testbarnsson"
	testDescription = "Eleven kom till skolan med blåmärken på armarna."
)

func concernInput() concern.Input {
	return concern.Input{
		ReceivedAt: testNow.Add(-time.Hour), Channel: "telefon", ReporterCategory: "skola", ReporterMandatory: true,
		ReporterName: "Rektor Rektorsson", ReporterContact: "rektor@skola.example", ChildID: testChildPnr,
		ChildName: testChildName, Guardians: "Mamma Testbarnsson", Categories: []string{concern.CategoryViolence, "forsummelse"},
		Description: testDescription,
	}
}

func mustCreateConcern(t *testing.T, f *registerFixture, u *trygg.User, in concern.Input) *concern.Report {
	t.Helper()
	c, err := f.concerns.CreateReport(as(u), in)
	if err != nil {
		t.Fatalf("create concern: %v", err)
	}
	return c
}

func TestConcernAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		c := mustCreateConcern(t, f, f.worker, concernInput())
		tests := []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"case worker", as(f.worker), ""},
			{"manager", as(f.boss), ""},
			{"socialtjänst outside social services", as(f.socialtjanst), trygg.ENOTFOUND},
			{"samordnare", as(f.samordnare), trygg.ENOTFOUND},
			{"admin", as(f.admin), trygg.ENOTFOUND},
			{"polis", as(f.polis), trygg.ENOTFOUND},
			{"läsare", as(f.lasare), trygg.ENOTFOUND},
			{"rapportör", as(f.rapportor), trygg.ENOTFOUND},
			{"operator", operator(), trygg.ENOTFOUND},
			{"anonymous", context.Background(), trygg.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.concerns.FindReport(tt.ctx, c.Ref, "arbetsledning")
				wantCode(t, err, tt.code)
				_, err = f.concerns.FindReports(tt.ctx, concern.Filter{Queue: concern.QueueOpen})
				wantCode(t, err, tt.code)
				_, err = f.concerns.FindReports(tt.ctx, concern.Filter{ChildID: testChildPnr})
				wantCode(t, err, tt.code)
				_, err = f.concerns.FindCaseWorkers(tt.ctx)
				wantCode(t, err, tt.code)
				_, err = f.concerns.CreateReport(tt.ctx, concernInput())
				wantCode(t, err, tt.code)
			})
		}
		// Another social-services organisation has a register of its own:
		// this report is not in it.
		_, err := f.concerns.FindReport(as(f.otherOrgWorker), c.Ref, "arbetsledning")
		wantCode(t, err, trygg.ENOTFOUND)
		if list, err := f.concerns.FindReports(as(f.otherOrgWorker), concern.Filter{ChildID: testChildPnr}); err != nil || len(list) != 0 {
			t.Errorf("the other register finds %d reports (%v)", len(list), err)
		}
		// A forbidden caller cannot change a report either.
		for _, ctx := range []context.Context{as(f.admin), as(f.samordnare), operator(), as(f.otherOrgWorker)} {
			_, err := f.concerns.RecordStep(ctx, c.Ref, concern.StepInput{Kind: concern.StepProtection})
			wantCode(t, err, trygg.ENOTFOUND)
			_, err = f.concerns.FindAccessLog(ctx, c.Ref)
			wantCode(t, err, trygg.ENOTFOUND)
		}
		// The access log is the manager's.
		_, err = f.concerns.FindAccessLog(as(f.worker), c.Ref)
		wantCode(t, err, trygg.ENOTFOUND)
		// Statistics are aggregates: also for the samordnare and läsare.
		for _, u := range []*trygg.User{f.worker, f.samordnare, f.lasare} {
			if _, err := f.concerns.Stats(as(u), trygg.DayOf(testNow)); err != nil {
				t.Errorf("stats for %v: %v", u.Roles, err)
			}
		}
		for _, ctx := range []context.Context{as(f.admin), as(f.polis), as(f.rapportor), operator()} {
			_, err := f.concerns.Stats(ctx, trygg.DayOf(testNow))
			wantCode(t, err, trygg.ENOTFOUND)
		}
	})
}

func TestConcernLifecycle(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		c := mustCreateConcern(t, f, f.worker, concernInput())
		if c.Ref == "" || c.ChildID != testChildDigits || c.AssigneeID == nil || *c.AssigneeID != f.worker.ID || !c.Urgent() {
			t.Fatalf("created %+v", c)
		}

		// The assigned case worker reads it without a purpose; a colleague
		// must give one.
		got, err := f.concerns.FindReport(as(f.worker), c.Ref, "")
		if err != nil || got.ChildName != testChildName || got.Description != testDescription || len(got.Categories) != 2 {
			t.Fatalf("read back %+v, %v", got, err)
		}
		_, err = f.concerns.FindReport(as(f.worker2), c.Ref, "")
		wantCode(t, err, concern.EPURPOSE)
		_, err = f.concerns.FindReport(as(f.worker2), c.Ref, "nyfikenhet")
		wantField(t, err, "purpose")
		if _, err := f.concerns.FindReport(as(f.worker2), c.Ref, "ersattare"); err != nil {
			t.Fatal(err)
		}
		_, err = f.concerns.FindReport(as(f.worker), "finnsinte", "")
		wantCode(t, err, trygg.ENOTFOUND)

		// Today's queue holds it until the protection assessment is made.
		queue := func(q concern.Queue) []string {
			t.Helper()
			list, err := f.concerns.FindReports(as(f.worker), concern.Filter{Queue: q})
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, s := range list {
				refs = append(refs, s.Ref)
			}
			return refs
		}
		if q := queue(concern.QueueToday); len(q) != 1 || q[0] != c.Ref {
			t.Fatalf("today's queue = %v", q)
		}
		db.clock.Advance(24 * time.Hour)
		if q := queue(concern.QueueOverdue); len(q) != 1 {
			t.Fatalf("overdue queue = %v", q)
		}
		step := func(u *trygg.User, in concern.StepInput) *concern.Report {
			t.Helper()
			c, err := f.concerns.RecordStep(as(u), c.Ref, in)
			if err != nil {
				t.Fatalf("step %s: %v", in.Kind, err)
			}
			return c
		}
		step(f.worker, concern.StepInput{Kind: concern.StepProtection, At: testNow, ProtectNeeded: false, Reason: "Barnet är tryggt i dag."})
		if q := queue(concern.QueueOverdue); len(q) != 0 {
			t.Fatalf("overdue after the protection assessment: %v", q)
		}
		_, err = f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepCompletion, Decision: "x"})
		wantField(t, err, "kind")
		after := step(f.worker, concern.StepInput{Kind: concern.StepPre, Open: true, Reason: "Våld mot barnet: utredning inleds."})
		if after.Stage() != concern.StageInvestigation || after.InvestigationEnd() != trygg.DayOf(db.clock.now).AddMonths(4) {
			t.Fatalf("after the pre-assessment: stage %v, due %s", after.Stage(), after.InvestigationEnd())
		}
		newDue := after.InvestigationEnd() + 30
		step(f.worker, concern.StepInput{Kind: concern.StepExtension, Reason: "Särskilda skäl: väntar på BBIC-underlag.", NewDue: newDue})
		_, err = f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepAssign, AssigneeID: f.worker2.ID})
		wantCode(t, err, trygg.EINVALID)
		_, err = f.concerns.RecordStep(as(f.boss), c.Ref, concern.StepInput{Kind: concern.StepAssign, AssigneeID: f.otherOrgWorker.ID})
		wantField(t, err, "assignee")
		step(f.boss, concern.StepInput{Kind: concern.StepAssign, AssigneeID: f.worker2.ID})
		// A manager's intake waits to be assigned.
		unassigned := mustCreateConcern(t, f, f.boss, concernInput())
		if list, err := f.concerns.FindReports(as(f.boss), concern.Filter{Queue: concern.QueueUnassign}); err != nil || len(list) != 1 || list[0].Ref != unassigned.Ref {
			t.Fatalf("unassigned queue = %v, %v", list, err)
		}
		if q := queue(concern.QueueMine); len(q) != 0 {
			t.Fatalf("reassigned report still in the first worker's queue: %v", q)
		}
		step(f.worker2, concern.StepInput{Kind: concern.StepCompletion, Decision: "Insats beviljas.", Interventions: "Familjebehandling."})
		final := step(f.worker2, concern.StepInput{Kind: concern.StepClose})
		if final.Stage() != concern.StageClosed || len(final.Extensions()) != 1 || final.InvestigationEnd() != newDue {
			t.Fatalf("final %v %d %s", final.Stage(), len(final.Extensions()), final.InvestigationEnd())
		}
		if q := queue(concern.QueueClosed); len(q) != 1 {
			t.Fatalf("closed queue = %v", q)
		}
		reread, err := f.concerns.FindReport(as(f.worker2), c.Ref, "")
		if err != nil || len(reread.Steps) != 6 || reread.Steps[3].AssigneeID != f.worker2.ID || reread.Steps[1].Reason == "" {
			t.Fatalf("re-read steps %+v, %v", reread.Steps, err)
		}

		// The manager's access log holds every read with its purpose.
		log, err := f.concerns.FindAccessLog(as(f.boss), c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var purposes []string
		for _, a := range log {
			if a.Action == trygg.AuditRead {
				purposes = append(purposes, a.UserName+": "+a.Purpose)
			}
		}
		for _, want := range []string{"Handläggare b@ifo.example: " + trygg.CodeLabel(concern.AccessPurposes, "ersattare"),
			"Handläggare a@ifo.example: Visad i en arbetskö eller sökning"} {
			if !strings.Contains(strings.Join(purposes, "\n"), want) {
				t.Errorf("access log lacks %q:\n%s", want, strings.Join(purposes, "\n"))
			}
		}
		mustVerify(t, f.fixture)
		events, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{ObjectType: "concern", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			if strings.Contains(ev.Detail, "1212") || strings.Contains(ev.Detail, "Kalle") {
				t.Errorf("audit detail holds personal data: %q", ev.Detail)
			}
		}
	})
}

func TestConcernEarlierAndSearch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		first := mustCreateConcern(t, f, f.worker, concernInput())
		other := concernInput()
		other.ChildID, other.ChildName = "811218-9876", "Annat Barn"
		mustCreateConcern(t, f, f.worker, other)
		db.clock.Advance(time.Hour)
		in := concernInput()
		in.ChildID = testChildDigits // the same child, written another way
		second := mustCreateConcern(t, f, f.worker, in)

		got, err := f.concerns.FindReport(as(f.worker), second.Ref, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Earlier) != 1 || got.Earlier[0].Ref != first.Ref {
			t.Fatalf("earlier = %+v, want the first report", got.Earlier)
		}
		list, err := f.concerns.FindReports(as(f.worker), concern.Filter{ChildID: "20121212-1212"})
		if err != nil || len(list) != 2 || list[0].Ref != second.Ref {
			t.Fatalf("search = %+v, %v", list, err)
		}
		reserve := concernInput()
		reserve.ChildIDKind, reserve.ChildID = concern.ChildReserve, "RES-2025-17"
		mustCreateConcern(t, f, f.worker, reserve)
		if list, err := f.concerns.FindReports(as(f.worker), concern.Filter{ChildID: " res-2025-17"}); err != nil || len(list) != 1 {
			t.Fatalf("search by reserve number = %d, %v", len(list), err)
		}
		// The other organisation's register knows nothing of the child.
		mustCreateConcern(t, f, f.otherOrgWorker, concernInput())
		list, err = f.concerns.FindReports(as(f.worker), concern.Filter{ChildID: testChildPnr})
		if err != nil || len(list) != 2 {
			t.Fatalf("search after the other register's report = %d, %v", len(list), err)
		}
	})
}

// TestConcernSealed: no personal data is stored in plain text, and the
// register is read with the key it was written with, or after a rotation
// with both.
func TestConcernSealed(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		keyA, keyB := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
		if err := db.SetRegisterKey(keyA); err != nil {
			t.Fatal(err)
		}
		f := newRegisterFixture(t, db)
		c := mustCreateConcern(t, f, f.worker, concernInput())
		if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepProtection, Reason: "Skyddsbehov saknas för " + testChildName}); err != nil {
			t.Fatal(err)
		}
		secrets := []string{testChildDigits, "1212121212", testChildName, testDescription, "Rektorsson", "rektor@skola.example", "Mamma"}
		dump := databaseDump(t, db)
		for _, s := range secrets {
			if strings.Contains(dump, s) {
				t.Errorf("the database holds %q in plain text", s)
			}
		}

		// Rotation: with the new key and the old one both are readable;
		// RekeyRegisters reseals everything, and then the new key alone
		// reads it.
		if err := db.SetRegisterKey(keyB, keyA); err != nil {
			t.Fatal(err)
		}
		if _, err := f.concerns.FindReport(as(f.worker), c.Ref, ""); err != nil {
			t.Fatalf("read during rotation: %v", err)
		}
		if err := db.RekeyRegisters(operator(), 0, nil); err != nil {
			t.Fatalf("rekey: %v", err)
		}
		if err := db.SetRegisterKey(keyB); err != nil {
			t.Fatal(err)
		}
		got, err := f.concerns.FindReport(as(f.worker), c.Ref, "")
		if err != nil || got.ChildName != testChildName || len(got.Steps) != 1 {
			t.Fatalf("read after rekey: %+v, %v", got, err)
		}
		if list, err := f.concerns.FindReports(as(f.worker), concern.Filter{ChildID: testChildPnr}); err != nil || len(list) != 1 {
			t.Fatalf("search after rekey: %d, %v", len(list), err)
		}
		if err := db.SetRegisterKey(keyA); err != nil {
			t.Fatal(err)
		}
		if _, err := f.concerns.FindReport(as(f.worker), c.Ref, ""); trygg.ErrorCode(err) != trygg.EINTERNAL {
			t.Fatalf("the old key alone still reads the register: %v", err)
		}
		if err := db.RekeyRegisters(as(f.worker), 0, nil); trygg.ErrorCode(err) != trygg.ENOTFOUND {
			t.Fatalf("a case worker may rekey: %v", err)
		}
	})
}

// databaseDump returns the whole database as text: the SQLite file (with
// its WAL), or pg_dump's output.
func databaseDump(t *testing.T, db *testDB) string {
	t.Helper()
	if path, ok := strings.CutPrefix(db.url, "sqlite:"); ok {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	}
	out, err := exec.Command("pg_dump", "--data-only", db.url).Output()
	if err != nil {
		t.Skipf("pg_dump: %v", err)
	}
	return string(out)
}

func TestConcernStats(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		// Six reports from schools this month, two from the police; one
		// from a school last year.
		for i := range 8 {
			in := concernInput()
			if i >= 6 {
				in.ReporterCategory = "polis"
			}
			c := mustCreateConcern(t, f, f.worker, in)
			if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepProtection}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, concern.StepInput{Kind: concern.StepPre, Open: i < 3, Reason: "Skäl"}); err != nil {
				t.Fatal(err)
			}
		}
		last := concernInput()
		last.ReceivedAt = testNow.AddDate(-1, 0, 0)
		mustCreateConcern(t, f, f.worker, last)
		// More from schools: January 2024 (the register's first month), 6,
		// which would give March's one away; February 2024, 7; January
		// 2025, 9.
		for _, m := range []struct{ months, n int }{{-14, 6}, {-13, 7}, {-2, 9}} {
			for range m.n {
				in := concernInput()
				in.ReceivedAt = testNow.AddDate(0, m.months, 0)
				mustCreateConcern(t, f, f.worker, in)
			}
		}

		st, err := f.concerns.Stats(as(f.lasare), trygg.DayOf(testNow))
		if err != nil {
			t.Fatal(err)
		}
		count := func(list []disclose.Count, key string) disclose.Count {
			for _, c := range list {
				if c.Key == key {
					return c
				}
			}
			t.Fatalf("no %s in %+v", key, list)
			return disclose.Count{}
		}
		months := map[string]disclose.PeriodCount{}
		for _, m := range st.Months {
			months[m.Key] = m
		}
		if c := months["2025-03"]; c.Count.Count != 8 || c.Suppressed || c.HasChange {
			t.Errorf("March 2025 = %+v, want 8 and no change from a suppressed count", c)
		}
		if c := months["2024-03"]; !c.Suppressed || c.Count.Count != 0 || c.HasChange {
			t.Errorf("March 2024 = %+v, want suppressed", c)
		}
		if c := months["2024-01"]; !c.Suppressed || c.Count.Count != 0 || c.HasChange {
			t.Errorf("January 2024 = %+v, want withheld: March 2024 would be 2024's 14 less 6 and 7", c)
		}
		if c := months["2024-04"]; c.Suppressed || c.Count.Count != 0 || c.HasChange {
			t.Errorf("April 2024 = %+v, want 0 and no change from before the register's first report", c)
		}
		if c := months["2025-02"]; c.Suppressed || c.Count.Count != 0 || !c.HasChange || c.Change != -7 {
			t.Errorf("February 2025 = %+v, want 0, −7", c)
		}
		if c := count(st.ByReporter, "polis"); !c.Suppressed {
			t.Errorf("police = %+v, want suppressed", c)
		}
		// The 2 from the police would be the 31 of the years less the 29
		// from schools: the schools' count is withheld too.
		if c := count(st.ByReporter, "skola"); !c.Suppressed || c.Count != 0 {
			t.Errorf("schools = %+v, want withheld", c)
		}
		if c := count(st.ByCategory, concern.CategoryViolence); c.Count != 31 {
			t.Errorf("violence = %+v", c)
		}
		// No change for 2024 against a year before the register; none for
		// 2025 either: against January–March 2024 it would give away
		// those months' total, and two of them are hidden.
		if len(st.Years) != 3 || st.Years[1].Count.Count != 14 || st.Years[1].HasChange || st.Years[2].Count.Count != 17 || st.Years[2].HasChange {
			t.Errorf("years = %+v, want 2024: 14 and 2025: 17, without changes", st.Years)
		}
		if !st.Investigated.Suppressed { // 3 of 8
			t.Errorf("investigated share = %+v, want suppressed", st.Investigated)
		}
		if st.PreInTime.Suppressed || st.PreInTime.Percent() != 100 {
			t.Errorf("pre-assessments in time = %+v", st.PreInTime)
		}
	})
}

// TestPurgeConcerns: retention deletes closed reports five years after
// their last entry, keeps exempt types and open reports, logs each
// deletion without personal data, and a dry run deletes nothing.
func TestPurgeConcerns(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		closeAfter := func(c *concern.Report, open bool) {
			t.Helper()
			steps := []concern.StepInput{{Kind: concern.StepProtection}, {Kind: concern.StepPre, Open: open, Reason: "Skäl"}}
			if open {
				steps = append(steps, concern.StepInput{Kind: concern.StepCompletion, Decision: "Beslut"})
			}
			for _, st := range append(steps, concern.StepInput{Kind: concern.StepClose}) {
				if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, st); err != nil {
					t.Fatal(err)
				}
			}
		}
		report := mustCreateConcern(t, f, f.worker, concernInput())
		closeAfter(report, false)
		investigation := mustCreateConcern(t, f, f.worker, concernInput())
		closeAfter(investigation, true)
		open := mustCreateConcern(t, f, f.worker, concernInput())

		rules, err := concern.ParseRetentionRules("utredning=undantag")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PurgeConcerns(as(f.worker), rules, true); trygg.ErrorCode(err) != trygg.ENOTFOUND {
			t.Fatalf("a case worker may purge: %v", err)
		}
		if items, err := db.PurgeConcerns(operator(), rules, false); err != nil || len(items) != 0 {
			t.Fatalf("purged %v (%v) at once", items, err)
		}
		db.clock.Advance(5*366*24*time.Hour + 48*time.Hour)
		items, err := db.PurgeConcerns(operator(), rules, true)
		if err != nil || len(items) != 1 || items[0].ID != report.ID || items[0].DocType != concern.DocReport {
			t.Fatalf("dry run: %+v, %v", items, err)
		}
		if _, err := f.concerns.FindReport(as(f.worker), report.Ref, ""); err != nil {
			t.Fatalf("the dry run deleted: %v", err)
		}
		if items, err = db.PurgeConcerns(operator(), rules, false); err != nil || len(items) != 1 {
			t.Fatalf("purge: %+v, %v", items, err)
		}
		_, err = f.concerns.FindReport(as(f.worker), report.Ref, "")
		wantCode(t, err, trygg.ENOTFOUND)
		for _, kept := range []*concern.Report{investigation, open} {
			if _, err := f.concerns.FindReport(as(f.worker), kept.Ref, ""); err != nil {
				t.Errorf("retention deleted a report it must keep: %v", err)
			}
		}
		events, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{ObjectType: "concern", ObjectID: strconv.FormatInt(report.ID, 10)})
		if err != nil || len(events) == 0 || events[0].Action != trygg.AuditDelete || !strings.HasPrefix(events[0].Detail, "gallring: anmalan") {
			t.Fatalf("deletion not logged: %+v %v", events, err)
		}
		mustVerify(t, f.fixture)
	})
}

// TestCreateConcernCompletesTask: a report filed from a suspected minor's
// operativ task completes the task in the same transaction, and a task
// that cannot be completed stores no report either.
func TestCreateConcernCompletesTask(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newRegisterFixture(t, db)
		ops := sqldb.NewOperativService(db.DB)
		routine, err := ops.CreateRoutine(as(f.polis), operativ.RoutineInput{Title: "Rutin", ValidFrom: day("2018-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		in := operativ.OperationInput{
			At: testNow.Add(-2 * time.Hour), AreaCode: "alidhem", PlaceType: "gata", Type: "kombinerad",
			Participants: []operativ.Participant{{OrgCode: "polisen", Staff: 2}}, RoutineID: routine.ID,
			Contacts: []operativ.ContactInput{{Role: "kopare", AgeBand: "35-49"}, {Role: "saljare", AgeBand: "under18"}, {Role: "saljare", AgeBand: "under18"}},
		}
		// An earlier operation's contacts: the IDs are no longer the ordinals.
		if _, err := ops.CreateOperation(as(f.polis), in); err != nil {
			t.Fatal(err)
		}
		in.Checklist.TraffickingSigns = true
		op, err := ops.CreateOperation(as(f.polis), in)
		if err != nil {
			t.Fatal(err)
		}
		var concernTasks []*operativ.Task
		var trafficking int64
		for _, task := range op.Tasks {
			if task.Kind == operativ.TaskConcern {
				concernTasks = append(concernTasks, task)
			} else {
				trafficking = task.ID
			}
		}
		// The contacts are numbered within the operation, as its page shows them.
		if len(concernTasks) != 2 || concernTasks[0].ContactOrdinal != 2 || concernTasks[1].ContactOrdinal != 3 || concernTasks[0].ContactID == 2 {
			t.Fatalf("tasks %+v", op.Tasks)
		}
		done := concernTasks[1].ID
		if err := ops.CompleteTask(as(f.worker), done); err != nil {
			t.Fatal(err)
		}
		reports := func() int {
			t.Helper()
			events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "concern"})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range events {
				if e.Action == trygg.AuditCreate {
					n++
				}
			}
			return n
		}
		for _, tt := range []struct {
			name string
			who  *trygg.User
			task int64
		}{
			{"unknown task", f.worker, 99999},
			{"not a report of concern", f.worker, trafficking},
			{"done already (by hand)", f.worker, done},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := reports()
				in := concernInput()
				in.TaskID = tt.task
				_, err := f.concerns.CreateReport(as(tt.who), in)
				wantField(t, err, "task")
				if reports() != before {
					t.Fatal("a report was stored although its task could not be completed")
				}
			})
		}
		report := concernInput()
		report.TaskID = concernTasks[0].ID
		c := mustCreateConcern(t, f, f.boss, report)
		_, err = f.concerns.CreateReport(as(f.worker), report)
		wantField(t, err, "task")
		for _, tt := range []struct {
			name string
			who  *trygg.User
			ref  string
		}{
			{"the register of the report", f.worker, c.Ref},
			{"another register", f.otherOrgWorker, ""},
			{"the police", f.polis, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := ops.FindOperationByID(as(tt.who), op.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, task := range got.Tasks {
					switch task.ID {
					case concernTasks[0].ID:
						if task.DoneAt == nil || !task.ByConcern || task.ConcernRef != tt.ref {
							t.Fatalf("completed by the report: %+v", task)
						}
					case done:
						if task.DoneAt == nil || task.ByConcern || task.ConcernRef != "" {
							t.Fatalf("completed by hand: %+v", task)
						}
					}
				}
			})
		}
		events, err := f.audit.FindAuditEvents(operator(), trygg.AuditFilter{ObjectType: "operativ_task"})
		if err != nil || len(events) != 2 || !strings.Contains(events[0].Detail+events[1].Detail, fmt.Sprintf("orosanmälan %d", c.ID)) {
			t.Fatalf("audited completions %+v %v", events, err)
		}

		// Retention deletes the report; the task stays done, no longer
		// pointing at it.
		for _, st := range []concern.StepInput{{Kind: concern.StepProtection}, {Kind: concern.StepPre, Reason: "Skäl"}, {Kind: concern.StepClose}} {
			if _, err := f.concerns.RecordStep(as(f.worker), c.Ref, st); err != nil {
				t.Fatal(err)
			}
		}
		db.clock.Advance(5*366*24*time.Hour + 48*time.Hour)
		rules, err := concern.ParseRetentionRules("utredning=undantag")
		if err != nil {
			t.Fatal(err)
		}
		if items, err := db.PurgeConcerns(operator(), rules, false); err != nil || len(items) != 1 || items[0].ID != c.ID {
			t.Fatalf("purged %+v, %v", items, err)
		}
		got, err := ops.FindOperationByID(as(f.worker), op.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range got.Tasks {
			if task.ID == concernTasks[0].ID && (task.DoneAt == nil || task.ByConcern || task.ConcernRef != "") {
				t.Fatalf("the task after its report was purged: %+v", task)
			}
		}
	})
}
