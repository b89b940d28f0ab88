package sqldb_test

import (
	"context"
	"sync"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		r := mustCreate(t, f, f.rapportor, input("alidhem", "klotter"))
		if _, err := f.reports.UpdateReport(as(f.rapportor), r.ID, input("haga", "klotter")); err != nil {
			t.Fatal(err)
		}
		checked := mustVerify(t, f)
		if checked < 10 {
			t.Fatalf("checked only %d events", checked)
		}
		events, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{Limit: 1000})
		if err != nil || len(events) != checked {
			t.Fatalf("found %d events, verified %d (%v)", len(events), checked, err)
		}
		for i, ev := range events {
			if ev.Hash == "" || (i+1 < len(events) && ev.PrevHash != events[i+1].Hash) {
				t.Fatalf("event %d is not linked to the one before: %+v", ev.ID, ev)
			}
		}
		victim := events[len(events)/2]

		raw := rawDB(t, db)
		tests := []struct {
			name    string
			tamper  string
			restore string
		}{
			{"changed detail", "UPDATE audit_log SET detail = 'ändrad' WHERE id = $1", "UPDATE audit_log SET detail = $2 WHERE id = $1"},
			{"changed actor", "UPDATE audit_log SET user_id = 424242 WHERE id = $1", ""},
		}
		for _, tt := range tests {
			if _, err := raw.Exec(tt.tamper, victim.ID); err != nil {
				t.Fatal(err)
			}
			broken, _, err := f.audit.VerifyAudit(operator())
			if err != nil || broken != victim.ID {
				t.Fatalf("%s: broken at %d (%v), want %d", tt.name, broken, err, victim.ID)
			}
			if tt.restore != "" {
				if _, err := raw.Exec(tt.restore, victim.ID, victim.Detail); err != nil {
					t.Fatal(err)
				}
				mustVerify(t, f)
			}
		}

		// Removing an entry breaks the link of the next one.
		next := events[len(events)/2-1]
		if _, err := raw.Exec("DELETE FROM audit_log WHERE id = $1", victim.ID); err != nil {
			t.Fatal(err)
		}
		if broken, _, _ := f.audit.VerifyAudit(operator()); broken != next.ID {
			t.Fatalf("after a deletion, broken at %d, want %d", broken, next.ID)
		}
	})
}

func TestAuditAccess(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		for _, u := range []*trygg.User{f.rapportor, f.samordnare, f.lasare, f.polis} {
			_, err := f.audit.FindAuditEvents(as(u), trygg.AuditFilter{})
			wantCode(t, err, trygg.ENOTFOUND)
			_, _, err = f.audit.VerifyAudit(as(u))
			wantCode(t, err, trygg.ENOTFOUND)
		}
		_, _, err := f.audit.VerifyAudit(context.Background())
		wantCode(t, err, trygg.EUNAUTHORIZED)
		if _, _, err := f.audit.VerifyAudit(as(f.admin)); err != nil {
			t.Fatal(err)
		}
		events, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{ObjectType: "user", UserID: nil, Limit: 2, Offset: 1})
		if err != nil || len(events) != 2 || events[0].Action != trygg.AuditCreate || events[0].Role != "operator" {
			t.Fatalf("events = %+v, %v", events, err)
		}
	})
}

// TestAuditChainWithTwoInstances writes through two handles on one
// database at once, as two servers would, and checks that the chain stays
// whole: the writers must take turns appending to it.
func TestAuditChainWithTwoInstances(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		other := sqldbtest.OpenURL(t, db.url)
		other.Now = db.Now
		services := []*sqldb.ReportService{f.reports, sqldb.NewReportService(other)}
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Go(func() {
				_, err := services[i%2].CreateReport(as(f.rapportor), input("alidhem", "klotter"))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if checked := mustVerify(t, f); checked < 40 {
			t.Fatalf("checked %d events", checked)
		}
	})
}
