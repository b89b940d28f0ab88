package sqldbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/trygg-est/trygg/sqldb"
)

// templateUnused is how long a template of another schema may go unused
// before a test run removes it: longer than any run, so none is in use.
const templateUnused = 48 * time.Hour

// templateLock is the PostgreSQL advisory lock under which one test
// process at a time builds or removes templates.
const templateLock = 0x74727967670001

// templateCache remembers, per dialect, the template this process copies:
// a file path for SQLite, a database name for PostgreSQL.
type templateCache struct {
	mu    sync.Mutex
	built map[string]string
}

var templates = &templateCache{built: map[string]string{}}

// get returns the template of the current schema for dialect, building it
// when this machine has none. Templates are keyed by sqldb.SchemaDigest,
// so a changed migration gets a template of its own, and checkouts of
// different schemas can test side by side.
func (c *templateCache) get(dialect string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tmpl, ok := c.built[dialect]; ok {
		return tmpl, nil
	}
	digest, err := sqldb.SchemaDigest()
	if err != nil {
		return "", err
	}
	name := "trygg_template_" + digest[:16]
	var tmpl string
	switch dialect {
	case "sqlite":
		tmpl, err = sqliteTemplate(name)
	case "postgres":
		tmpl, err = postgresTemplate(name)
	default:
		err = fmt.Errorf("unknown dialect %q", dialect)
	}
	if err != nil {
		return "", err
	}
	c.built[dialect] = tmpl
	return tmpl, nil
}

// migrate builds the schema at dbURL with the real migrations.
func migrate(dbURL string) error {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// sqliteTemplate returns the path of the template file in the temporary
// directory, building it in a directory of its own and renaming it into
// place, so that a file under the template's name is always whole.
func sqliteTemplate(name string) (string, error) {
	dir := os.TempDir()
	path := filepath.Join(dir, name+".db")
	now := time.Now()
	if err := os.Chtimes(path, now, now); err == nil {
		return path, removeStaleFiles(dir, path)
	}
	build, err := os.MkdirTemp(dir, name+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(build)
	file := filepath.Join(build, "trygg.db")
	if err := migrate("sqlite:" + file); err != nil {
		return "", err
	}
	// Closing the database checkpoints its write-ahead log into the file.
	if _, err := os.Stat(file + "-wal"); err == nil {
		return "", errors.New("the migrated SQLite database left a write-ahead log")
	}
	if err := os.Rename(file, path); err != nil {
		return "", err
	}
	return path, removeStaleFiles(dir, path)
}

// removeStaleFiles removes the SQLite templates in dir, other than keep,
// that no run has used for templateUnused.
func removeStaleFiles(dir, keep string) error {
	old, err := filepath.Glob(filepath.Join(dir, "trygg_template_*.db"))
	if err != nil {
		return err
	}
	for _, p := range old {
		info, err := os.Stat(p)
		if err != nil || p == keep || time.Since(info.ModTime()) < templateUnused {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// postgresTemplate returns the name of the template database on the
// server of TRYGG_TEST_POSTGRES. Under an advisory lock, so that test
// processes running at once build it once, it builds the schema in a
// database of another name and renames it, so that a database under the
// template's name is always whole. Each use stamps the database's comment
// with the time, by which templates of other schemas that no run has used
// for templateUnused are dropped.
func postgresTemplate(name string) (string, error) {
	ctx := context.Background()
	server := os.Getenv(PostgresEnv)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(templateLock)); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", int64(templateLock))

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		building := name + "_building"
		for _, stmt := range []string{
			"DROP DATABASE IF EXISTS " + building + " WITH (FORCE)", // left by a run that died
			"CREATE DATABASE " + building,
		} {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return "", err
			}
		}
		u, err := url.Parse(server)
		if err != nil {
			return "", err
		}
		u.Path = "/" + building
		if err := migrate(u.String()); err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
			return "", err
		}
	}
	stamp := "used " + time.Now().UTC().Format(time.RFC3339)
	if _, err := conn.ExecContext(ctx, "COMMENT ON DATABASE "+name+" IS '"+stamp+"'"); err != nil {
		return "", err
	}
	return name, removeStaleDatabases(ctx, conn, name)
}

// removeStaleDatabases drops the PostgreSQL templates, other than keep,
// whose last use is older than templateUnused.
func removeStaleDatabases(ctx context.Context, conn *sql.Conn, keep string) error {
	rows, err := conn.QueryContext(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'trygg\_template\_%' AND datname <> $1`, keep)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var name, comment string
		if err := rows.Scan(&name, &comment); err != nil {
			rows.Close()
			return err
		}
		used, err := time.Parse(time.RFC3339, strings.TrimPrefix(comment, "used "))
		if err != nil || time.Since(used) >= templateUnused {
			stale = append(stale, name)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, name := range stale {
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return err
		}
	}
	return nil
}
