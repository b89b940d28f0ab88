package sqldb_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

// TestSwedishSlugMigration starts from a database at schema version 12,
// before migration 13, with rows holding the English values, and checks
// that migrating renames them, that the store reads them, that the
// CHECKs take only the new values, and that Down restores the old ones.
func TestSwedishSlugMigration(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := sqldbtest.NewURL(t, dialect)
			db, err := sqldb.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			db.Now = (&clock{now: testNow}).Now
			if err := db.MigrateTo(ctx, 12); err != nil {
				t.Fatalf("migrate to 12: %v", err)
			}
			tdb := &testDB{DB: db, url: url}
			raw := rawDB(t, tdb)
			for _, q := range []string{
				`INSERT INTO organisations (code, name, type, created_at) VALUES ('gammal', 'Gammal förening', 'forening', 0)`,
				`INSERT INTO areas (code, name, updated_at) VALUES ('gamla', 'Gamla stan', 0)`,
				`INSERT INTO agreements (type, title, from_day, to_day, status, signed_on, created_at, updated_at)
					VALUES ('medborgarlofte', 'Undertecknat löfte', 100, 99999, 'signed', 90, 0, 0),
					       ('trygghetsavtal', 'Utkast', 100, 99999, 'draft', NULL, 0, 0),
					       ('medborgarlofte', 'Avslutat löfte', 100, 200, 'ended', 90, 0, 0)`,
				`INSERT INTO actions (title, owner_org_id, start_day, deadline, status, created_at, updated_at)
					SELECT t.title, o.id, 100, 99999, t.status, 0, 0 FROM organisations o,
					(SELECT 'Planerad' AS title, 'planned' AS status UNION ALL SELECT 'Pågår', 'ongoing'
					 UNION ALL SELECT 'Klar', 'done' UNION ALL SELECT 'Inställd', 'cancelled') t WHERE o.code = 'gammal'`,
				`INSERT INTO operativ_routines (version, title, valid_from, created_at) VALUES (1, 'Rutin', 100, 0)`,
				`INSERT INTO operations (at, area_code, place_type, type, routine_id, created_at)
					SELECT 0, 'gamla', 'online', 'sexkop', id, 0 FROM operativ_routines`,
				`INSERT INTO job_runs (job, period, claimed_at) VALUES ('action-reminders', '2025-03-14', 0), ('weekly-digest', '2025-W11', 0)`,
				`INSERT INTO mail_outbox (job, period, recipient, subject, body, created_at, next_attempt_at)
					VALUES ('weekly-digest', '2025-W11', 'a@example.org', 'Ämne', 'Text', 0, 0)`,
			} {
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}

			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate to the latest version: %v", err)
			}
			wantColumn(t, raw, "SELECT status FROM agreements ORDER BY id", "undertecknat", "utkast", "avslutat")
			wantColumn(t, raw, "SELECT status FROM actions ORDER BY id", "planerad", "pagaende", "klar", "installd")
			wantColumn(t, raw, "SELECT place_type FROM operations", "natet")
			wantColumn(t, raw, "SELECT job FROM job_runs ORDER BY job", "atgardspaminnelser", "veckosammanfattning")
			wantColumn(t, raw, "SELECT job FROM mail_outbox", "veckosammanfattning")
			// The count rebuild that migration 4 left pending ran under its
			// new name.
			wantColumn(t, raw, "SELECT name FROM pending_tasks")

			f := newFixture(t, tdb)
			public, err := sqldb.NewAgreementService(db, nil).FindPublicAgreements(context.Background())
			if err != nil || len(public) != 2 || public[0].Status == samverkan.AgreementDraft || public[1].Status == samverkan.AgreementDraft {
				t.Fatalf("public agreements = %v, %v; want the signed and the ended one", public, err)
			}
			open, err := sqldb.NewActionService(db).FindActions(as(f.samordnare), samverkan.ActionFilter{OpenOnly: true})
			if err != nil || len(open) != 2 || open[0].Status.Label() == string(open[0].Status) {
				t.Fatalf("open actions = %v, %v; want the planned and the ongoing one, with labels", open, err)
			}
			ops, err := sqldb.NewOperativService(db).FindOperations(as(f.polis), operativ.OperationFilter{})
			if err != nil || len(ops) != 1 || trygg.CodeLabel(operativ.OperationPlaceTypes, ops[0].PlaceType) != "Kontakt via nätet" {
				t.Fatalf("operations = %v, %v; want one online", ops, err)
			}
			claimed, err := sqldb.NewReminderService(db).UnclaimedPeriods(operator(), "atgardspaminnelser", []string{"2025-03-14", "2025-03-15"})
			if err != nil || !slices.Equal(claimed, []string{"2025-03-15"}) {
				t.Fatalf("unclaimed reminder periods = %v, %v; 2025-03-14 ran before the migration", claimed, err)
			}
			if _, err := raw.ExecContext(ctx, "UPDATE actions SET status = 'done'"); err == nil {
				t.Fatal("the CHECK of actions still takes an English status")
			}
			if _, err := raw.ExecContext(ctx, "UPDATE agreements SET status = 'signed'"); err == nil {
				t.Fatal("the CHECK of agreements still takes an English status")
			}

			if err := db.MigrateTo(ctx, 12); err != nil {
				t.Fatalf("migrate down to 12: %v", err)
			}
			wantColumn(t, raw, "SELECT status FROM agreements ORDER BY id", "signed", "draft", "ended")
			wantColumn(t, raw, "SELECT status FROM actions ORDER BY id", "planned", "ongoing", "done", "cancelled")
			wantColumn(t, raw, "SELECT place_type FROM operations", "online")
			if _, err := raw.ExecContext(ctx, "UPDATE actions SET status = 'klar'"); err == nil {
				t.Fatal("after Down the CHECK of actions takes a Swedish status")
			}
		})
	}
}

// wantColumn fails the test unless query returns the rows want, one
// string column.
func wantColumn(t *testing.T, db *sql.DB, query string, want ...string) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", query, got, want)
	}
}
