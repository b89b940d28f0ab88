// Package sqldb stores Trygg in SQLite or PostgreSQL and implements the
// service interfaces of package trygg on top of it. Every change and its
// audit-log entry commit in one transaction. The differences between the two
// databases are kept in dialect.go.
package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/app"
	"github.com/trygg-est/trygg/password"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open Trygg database.
type DB struct {
	// Now is the clock for every timestamp the store writes and every
	// timeout it checks. It defaults to time.Now; tests set a fixed clock.
	Now func() time.Time
	// PasswordCost is the argon2id cost of every password hash the store
	// makes, including the one that evens out sign-in times for unknown
	// accounts. Open sets password.DefaultParams; only tests lower it,
	// through sqldbtest, because hashing dominates their setup.
	PasswordCost password.Params

	dialect string
	write   *sql.DB // transactions that change data
	read    *sql.DB // queries; the same pool as write on PostgreSQL
	stmts   *statements
	unlock  func() error // releases the SQLite file's shared lock

	registerKeys registerKeys // see SetRegisterKey

	committerOnce sync.Once
	committer     *reportCommitter
	closeOnce     sync.Once
}

// Open connects to the database at url: "sqlite:PATH" (the file and its
// directory are created when missing) or "postgres://…". It does not
// migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	dialect, write, read, unlock, err := openPools(ctx, url)
	if err != nil {
		return nil, err
	}
	return &DB{Now: time.Now, PasswordCost: password.DefaultParams, dialect: dialect, write: write, read: read, stmts: newStatements(read, write), unlock: unlock}, nil
}

// Migrate brings the schema up to date. It is idempotent, and on PostgreSQL
// safe to run from several instances at once.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return db.runPendingTasks(ctx)
}

// migrations is the goose provider of the schema: the SQL files in
// migrations/ and migration 13 (slugs.go), which is Go.
func (db *DB) migrations() (*goose.Provider, error) {
	dialect, opts, err := gooseDialect(db.dialect)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	// Quiet: Migrate runs at every start, and the CLI owns standard output.
	opts = append(opts, goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()),
		goose.WithGoMigrations(goMigrations(db.dialect)...))
	p, err := goose.NewProvider(dialect, db.write, expandedFS{base: sub, types: migrationTypes(db.dialect)}, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// goMigrations are the migrations written in Go, for dialect.
func goMigrations(dialect string) []*goose.Migration {
	return []*goose.Migration{slugMigration(dialect)}
}

// SchemaDigest names the schema that Migrate builds: a SHA-256 over the
// migration files and the versions of the Go migrations (a version, once
// released, never changes). Tests key a migrated template database by it.
func SchemaDigest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(body))
		h.Write(body)
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, m := range goMigrations(dialectSQLite) {
		fmt.Fprintf(h, "go %d\n", m.Version)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// pendingTasks is the work a migration can leave for Go, by name.
var pendingTasks = map[string]func(context.Context, *Tx) error{
	"rakna_om_antal": rebuildCounts,
}

// runPendingTasks does what the migrations left in pending_tasks, each in
// the transaction that removes it, so that it runs exactly once even when
// several instances start together.
func (db *DB) runPendingTasks(ctx context.Context) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT name FROM pending_tasks ORDER BY name")
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			names = append(names, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, name := range names {
			task, ok := pendingTasks[name]
			if !ok {
				return fmt.Errorf("migrate: unknown pending task %q", name)
			}
			if err := task(ctx, tx); err != nil {
				return fmt.Errorf("migrate: %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM pending_tasks WHERE name = $1", name); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close stops the report writer and closes the connections.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		if db.committer != nil {
			db.committer.stop()
		}
		err = errors.Join(db.stmts.close(), db.write.Close())
		if db.read != db.write {
			err = errors.Join(err, db.read.Close())
		}
		err = errors.Join(err, db.unlock())
	})
	return err
}

// Ping reports whether the database answers, for readiness checks.
func (db *DB) Ping(ctx context.Context) error {
	return db.read.PingContext(ctx)
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// IsEmpty reports whether the database has no organisations yet (but the
// citizens' organisation that the migrations make), which is when the demo
// data may be loaded.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM organisations WHERE code <> $1", citizensOrg).Scan(&n); err != nil {
		return false, err
	}
	return n == 0, nil
}

// Backup writes a consistent copy of a live SQLite database to a new file
// at path; it never overwrites a file. For PostgreSQL it returns EINVALID
// whose message explains pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	return backup(ctx, db, path)
}

// Restore replaces the SQLite database at url with the backup at path,
// after checking that the backup is an intact Trygg database. ECONFLICT
// when a server or another command has the database open (on Unix, where
// every opener holds a shared lock on PATH.lock). For PostgreSQL it returns
// EINVALID whose message explains pg_restore.
func Restore(ctx context.Context, url, path string) error {
	return restore(ctx, url, path)
}

// Tx is a transaction with a fixed time: every row it writes carries the
// same now, taken when it began.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time

	// lastHash is the newest audit hash this transaction knows, so that a
	// batch of changes reads it from the table once. "" means unknown.
	lastHash string

	stmts map[*preparedStmt]*sql.Stmt // see Tx.stmt
}

// beginWrite starts a transaction that may change data and append to the
// audit chain.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	if err := db.stmts.prepareWrites(ctx); err != nil {
		return nil, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	// Taking the chain lock first, before any row lock, means two writers
	// can never wait on each other in opposite order.
	if err := lockAuditChain(ctx, db.dialect, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC()}, nil
}

// commit commits tx and translates constraint errors.
func (tx *Tx) commit() error { return translate(tx.Commit()) }

// inWrite runs fn in a write transaction and commits it, or rolls back if fn
// fails.
func (db *DB) inWrite(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return translate(err)
	}
	return tx.commit()
}

// updatedOne takes the result of an UPDATE of one object by its id: no row
// changed means the object is not there (ENOTFOUND).
func updatedOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return trygg.NotFound()
	}
	return nil
}

// millis converts a time to the stored form, Unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts a stored time back, in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullMillis(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: millis(*t), Valid: true}
}

func timePtr(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMillis(n.Int64)
	return &t
}

func int64Ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// expandedFS serves the embedded migrations with the type placeholders
// ({{id}}, {{blob}}) replaced by the dialect's types.
type expandedFS struct {
	base  fs.FS
	types *strings.Replacer
}

func (f expandedFS) Open(name string) (fs.File, error) {
	file, err := f.base.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil || info.IsDir() {
		return file, err
	}
	defer file.Close()
	b, err := io.ReadAll(file)
	if err != nil {
		return nil, err
	}
	b = []byte(f.types.Replace(string(b)))
	return &expandedFile{Reader: bytes.NewReader(b), info: expandedInfo{FileInfo: info, size: int64(len(b))}}, nil
}

func (f expandedFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.base, name) }

type expandedFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *expandedFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *expandedFile) Close() error               { return nil }

type expandedInfo struct {
	fs.FileInfo
	size int64
}

func (i expandedInfo) Size() int64 { return i.size }

// syncFile flushes a file to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a directory, so that a rename in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// copyToTemp copies src to a new temporary file in dir, flushed to disk, and
// returns its path.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".trygg-restore-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// identity is who is calling a service method.
type identity struct {
	user     *trygg.User // nil for the operator or an anonymous caller
	operator bool
}

func caller(ctx context.Context) identity {
	u := trygg.UserFromContext(ctx)
	if u != nil && u.DisabledAt != nil {
		u = nil
	}
	return identity{user: u, operator: trygg.IsOperator(ctx)}
}

// anonymous reports whether the caller is neither signed in nor the operator.
func (c identity) anonymous() bool { return c.user == nil && !c.operator }

// isAdmin reports whether the caller may manage users, organisations, areas
// and categories.
func (c identity) isAdmin() bool { return c.operator || c.user.Has(trygg.RoleAdmin) }

// denied is the answer for a caller who may not do something: anonymous
// callers are told to sign in, everyone else that nothing is there.
func (c identity) denied() error {
	if c.anonymous() {
		return errUnauthorized
	}
	return trygg.NotFound()
}

var errUnauthorized = &trygg.Error{Code: trygg.EUNAUTHORIZED, Message: "Du behöver logga in."}

// NewServices returns every service on db. It is the one place that wires
// the services up: trygg serve, trygg-bench and the web tests all call it,
// and web.NewServer refuses a set that lacks one.
func NewServices(db *DB) app.Services {
	ops := NewOperativService(db)
	agreements := NewAgreementService(db, NewCountService(db))
	tipService := NewTipService(db)
	return app.Services{
		Users:         NewUserService(db),
		Auth:          NewAuthService(db),
		Organisations: NewOrganisationService(db),
		Areas:         NewAreaService(db),
		Categories:    NewCategoryService(db),
		Reports:       NewReportService(db),
		Counts:        NewCountService(db),
		WeeklyReports: NewWeeklyReportService(db),
		Agreements:    agreements,
		Commitments:   agreements,
		Public:        agreements,
		Actions:       NewActionService(db),
		Meetings:      NewMeetingService(db),
		Notices:       NewNoticeService(db),
		Concerns:      NewConcernService(db),
		Routines:      ops,
		Operations:    ops,
		Referrals:     ops,
		Ads:           ops,
		Kast:          ops,
		Audit:         NewAuditService(db),
		Leverantorer:  NewLeverantorService(db),
		Indicators:    NewIndicatorService(db, NewCountService(db)),
		Yearly:        NewYearlyService(db),
		OpenData:      NewOpenDataService(db),
		Tips:          tipService,
		Open311Keys:   tipService,
		SSPF:          NewSSPFService(db),

		Nattvandring: NewNattvandringService(db), // issue 15
	}
}
