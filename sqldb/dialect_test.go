package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/trygg-est/trygg"
)

// TestTranslate provokes each kind of constraint error in each database
// and checks what it becomes.
func TestTranslate(t *testing.T) {
	t.Parallel()
	urls := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "t.db")}
	if pg := os.Getenv("TRYGG_TEST_POSTGRES"); pg != "" {
		urls["postgres"] = pg
	}
	for dialect, url := range urls {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			_, write, _, unlock, err := openPools(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer unlock()
			defer write.Close()
			// A transaction that is always rolled back leaves the shared
			// PostgreSQL test database as it was.
			tx, err := write.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			setup := []string{
				"CREATE TEMPORARY TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE)",
				"CREATE TEMPORARY TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), n INTEGER NOT NULL CHECK (n > 0))",
				"INSERT INTO parent (id, code) VALUES (1, 'a')",
			}
			for _, q := range setup {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			tests := []struct {
				name  string
				query string
				code  string
			}{
				{"unique", "INSERT INTO parent (id, code) VALUES (2, 'a')", trygg.ECONFLICT},
				{"primary key", "INSERT INTO parent (id, code) VALUES (1, 'b')", trygg.ECONFLICT},
				{"reference", "INSERT INTO child (id, parent_id, n) VALUES (1, 99, 1)", trygg.EINVALID},
				{"check", "INSERT INTO child (id, parent_id, n) VALUES (1, 1, 0)", trygg.EINVALID},
				{"not null", "INSERT INTO child (id, parent_id, n) VALUES (1, 1, NULL)", trygg.EINVALID},
				{"syntax", "INSERT INTO nowhere VALUES (1)", trygg.EINTERNAL},
			}
			for _, tt := range tests {
				if _, err := tx.ExecContext(ctx, "SAVEPOINT s"); err != nil {
					t.Fatal(err)
				}
				_, err := tx.ExecContext(ctx, tt.query)
				if err == nil {
					t.Fatalf("%s: no error", tt.name)
				}
				if got := trygg.ErrorCode(translate(err)); got != tt.code {
					t.Errorf("%s: %v became %q, want %q", tt.name, err, got, tt.code)
				}
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT s"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if translate(nil) != nil {
		t.Fatal("translate(nil) is not nil")
	}
	plain := errors.New("plain")
	if translate(plain) != plain || translate(sql.ErrNoRows) != sql.ErrNoRows {
		t.Fatal("translate changed an unrelated error")
	}
}

// TestRestoreLock checks the lock between a restore and the database's
// users: while a restore holds it, the database does not open.
func TestRestoreLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "t.db")
	release, err := lockFile(path+lockSuffix, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), "sqlite:"+path)
	if trygg.ErrorCode(err) != trygg.ECONFLICT {
		t.Fatalf("open during a restore: %v", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockFile(path+lockSuffix, true); !errors.Is(err, errLocked) {
		t.Fatalf("a restore while the database is open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
