package sqldb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sqldb/sqldbtest"
)

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t, "sqlite")
	f := newFixture(t, db)
	kept := mustCreate(t, f, f.rapportor, input("alidhem", "klotter"))

	backup := filepath.Join(t.TempDir(), "kopia.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Backup(ctx, backup), trygg.EINVALID) // never overwrites

	// Changes after the backup are gone after the restore.
	lost := mustCreate(t, f, f.rapportor, input("haga", "vald"))
	// Not while the database is open: it would be replaced under its users.
	wantCode(t, sqldb.Restore(ctx, db.url, backup), trygg.ECONFLICT)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A write-ahead log left from the old database must not be replayed
	// into the restored one.
	path := strings.TrimPrefix(db.url, "sqlite:")
	if err := os.WriteFile(path+"-wal", []byte("gammal logg"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.Restore(ctx, db.url, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("the old write-ahead log is still there")
	}
	restored := sqldbtest.OpenURL(t, db.url)
	reports := sqldb.NewReportService(restored)
	if _, err := reports.FindReportByID(as(f.rapportor), kept.ID); err != nil {
		t.Fatalf("report from before the backup: %v", err)
	}
	_, err := reports.FindReportByID(as(f.rapportor), lost.ID)
	wantCode(t, err, trygg.ENOTFOUND)
	if broken, _, err := sqldb.NewAuditService(restored).VerifyAudit(operator()); broken != 0 || err != nil {
		t.Fatalf("restored audit chain broken at %d (%v)", broken, err)
	}
}

func TestRestoreRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	target := "sqlite:" + filepath.Join(dir, "trygg.db")
	notSQLite := filepath.Join(dir, "text.db")
	if err := os.WriteFile(notSQLite, []byte("hej"), 0o600); err != nil {
		t.Fatal(err)
	}
	otherSQLite := filepath.Join(dir, "other.db")
	other, err := sqldb.Open(ctx, "sqlite:"+otherSQLite) // a database, but never migrated
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	other.Close()
	for _, path := range []string{notSQLite, otherSQLite, filepath.Join(dir, "saknas.db"), dir} {
		wantCode(t, sqldb.Restore(ctx, target, path), trygg.EINVALID)
	}
	if _, err := os.Stat(filepath.Join(dir, "trygg.db")); err == nil {
		t.Fatal("a refused restore created the target")
	}
	wantCode(t, sqldb.Restore(ctx, "mysql://x", notSQLite), trygg.EINVALID)
}

func TestPostgresBackupExplainsPgDump(t *testing.T) {
	t.Parallel()
	err := sqldb.Restore(context.Background(), "postgres://localhost/trygg", "kopia.dump")
	wantCode(t, err, trygg.EINVALID)
	if !strings.Contains(trygg.ErrorMessage(err), "pg_restore") {
		t.Fatalf("message = %q", trygg.ErrorMessage(err))
	}
	db := mustOpenDB(t, "postgres")
	err = db.Backup(context.Background(), filepath.Join(t.TempDir(), "kopia.dump"))
	wantCode(t, err, trygg.EINVALID)
	if !strings.Contains(trygg.ErrorMessage(err), "pg_dump") {
		t.Fatalf("message = %q", trygg.ErrorMessage(err))
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"", "mysql://x", "sqlite:", "trygg.db"} {
		_, err := sqldb.Open(context.Background(), url)
		wantCode(t, err, trygg.EINVALID)
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ny", "katalog", "trygg.db")
	db := sqldbtest.OpenURL(t, "sqlite:"+path)
	if db.Dialect() != "sqlite" {
		t.Fatalf("dialect = %q", db.Dialect())
	}
	var mode string
	raw := rawDB(t, &testDB{DB: db, url: "sqlite:" + path})
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
}
