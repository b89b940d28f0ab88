// Package sqldbtest gives tests in any package a migrated Trygg database:
// a temporary SQLite file always, and a fresh PostgreSQL database when the
// environment variable TRYGG_TEST_POSTGRES holds the URL of a server to
// create it on. Each database is removed when the test ends.
//
// A migrated database is a copy of a template that the real migrations
// built once for the schema (see MigratedURL): copying is far cheaper than
// migrating, which hundreds of tests would otherwise each repeat.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create databases

	"github.com/trygg-est/trygg/password"
	"github.com/trygg-est/trygg/sqldb"
)

// PostgresEnv names the environment variable with the PostgreSQL URL.
const PostgresEnv = "TRYGG_TEST_POSTGRES"

// Open returns a migrated database in a temporary SQLite file, closed when
// the test ends.
func Open(t testing.TB) *sqldb.DB {
	t.Helper()
	return OpenURL(t, MigratedURL(t, "sqlite"))
}

// OpenAll returns a migrated database per dialect, keyed "sqlite" and, when
// TRYGG_TEST_POSTGRES is set, "postgres".
func OpenAll(t testing.TB) map[string]*sqldb.DB {
	t.Helper()
	dbs := map[string]*sqldb.DB{}
	for _, dialect := range Dialects() {
		dbs[dialect] = OpenURL(t, MigratedURL(t, dialect))
	}
	return dbs
}

// Dialects lists the dialects this test run covers: "sqlite", and
// "postgres" when TRYGG_TEST_POSTGRES is set.
func Dialects() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// PasswordCost is the argon2id cost of the password hashes in every test
// database: as cheap as argon2id allows, because tests create many users
// and the production cost makes hashing most of their setup time.
var PasswordCost = password.Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// OpenURL opens and migrates the database at url, with cheap password
// hashes (PasswordCost), and closes it when the test ends.
func OpenURL(t testing.TB, url string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	db.PasswordCost = PasswordCost
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close database: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// NewURL returns the URL of a new, empty database for dialect ("sqlite"
// or "postgres"), removed when the test ends. For "postgres" it skips the
// test unless TRYGG_TEST_POSTGRES is set.
func NewURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "trygg.db")
	}
	return newPostgres(t, "")
}

// MigratedURL returns the URL of a new database for dialect that holds
// the whole schema, removed when the test ends: a copy of the template for
// the current schema, which the real migrations build the first time a
// test on this machine asks for it. For "postgres" it skips the test unless
// TRYGG_TEST_POSTGRES is set.
func MigratedURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "postgres" && os.Getenv(PostgresEnv) == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	tmpl, err := templates.get(dialect)
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	if dialect == "postgres" {
		return newPostgres(t, tmpl)
	}
	body, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	path := filepath.Join(t.TempDir(), "trygg.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

// newPostgres creates a PostgreSQL database, a copy of template unless
// that is empty, and drops it when the test ends.
func newPostgres(t testing.TB, template string) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "trygg_test_" + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(create); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	// A test database is thrown away afterwards, so its commits need not
	// wait for the disk; the queries and their results are the same.
	if _, err := admin.Exec("ALTER DATABASE " + name + " SET synchronous_commit = off"); err != nil {
		admin.Close()
		t.Fatalf("configure database: %v", err)
	}
	// Cleanups run last-registered first, so this drop runs after the
	// test has closed its connections.
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
