package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
)

// The statements below run on every API request or every filed report.
// modernc.org/sqlite keeps no statement cache, so a query with arguments
// is parsed and planned anew at each call, which costs several times more
// than running these small statements; so they are prepared once per pool
// and kept until Close.

// SQL of the hot paths.
const (
	tokenByHashSQL   = "SELECT id, user_id, revoked_at, last_used FROM api_tokens WHERE token_hash = $1"
	touchTokenSQL    = "UPDATE api_tokens SET last_used = $1 WHERE id = $2"
	sessionByHashSQL = "SELECT id, csrf_token, user_id, created_at, last_seen FROM sessions WHERE token_hash = $1"
	userByIDSQL      = "SELECT " + userColumns + userFrom + " WHERE u.id = $1"
	rolesOfUserSQL   = "SELECT user_id, role FROM user_roles WHERE user_id = $1 ORDER BY user_id, role"
	auditHeadSQL     = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"
	auditInsertSQL   = `INSERT INTO audit_log
		(at, user_id, role, org_id, action, object_type, object_id, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	insertReportSQL = `INSERT INTO reports (occurred_at, occurred_end, reported_at, area_code, lat, lon,
		place_type, category, severity, description, org_id, reporter_id, version, updated_at, updated_by, org_type)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $3, $12, $13) RETURNING id`
	areaCodesSQL     = "SELECT code FROM areas"
	categoryCodesSQL = "SELECT code, archived_at FROM categories"
	savepointSQL     = "SAVEPOINT report"
	rollbackToSQL    = "ROLLBACK TO SAVEPOINT report"
	releaseSQL       = "RELEASE SAVEPOINT report"
)

// statements are the prepared statements of a DB. Those on the read pool
// serve the per-request checks of tokens and sessions; those on the write
// pool run inside write transactions through Tx.stmt, or alone.
type statements struct {
	tokenByHash, sessionByHash, userByID, rolesOfUser *preparedStmt // read pool

	touchToken, auditHead, auditInsert, insertReport *preparedStmt // write pool
	areaCodes, categoryCodes                         *preparedStmt
	savepoint, rollbackTo, release                   *preparedStmt

	writesReady atomic.Bool // every write statement is prepared
}

func newStatements(read, write *sql.DB) *statements {
	return &statements{
		tokenByHash:   &preparedStmt{pool: read, query: tokenByHashSQL},
		sessionByHash: &preparedStmt{pool: read, query: sessionByHashSQL},
		userByID:      &preparedStmt{pool: read, query: userByIDSQL},
		rolesOfUser:   &preparedStmt{pool: read, query: rolesOfUserSQL},
		touchToken:    &preparedStmt{pool: write, query: touchTokenSQL},
		auditHead:     &preparedStmt{pool: write, query: auditHeadSQL},
		auditInsert:   &preparedStmt{pool: write, query: auditInsertSQL},
		insertReport:  &preparedStmt{pool: write, query: insertReportSQL},
		areaCodes:     &preparedStmt{pool: write, query: areaCodesSQL},
		categoryCodes: &preparedStmt{pool: write, query: categoryCodesSQL},
		savepoint:     &preparedStmt{pool: write, query: savepointSQL},
		rollbackTo:    &preparedStmt{pool: write, query: rollbackToSQL},
		release:       &preparedStmt{pool: write, query: releaseSQL},
	}
}

func (s *statements) all() []*preparedStmt {
	return append([]*preparedStmt{s.tokenByHash, s.sessionByHash, s.userByID, s.rolesOfUser}, s.writes()...)
}

func (s *statements) writes() []*preparedStmt {
	return []*preparedStmt{s.touchToken, s.auditHead, s.auditInsert, s.insertReport, s.areaCodes, s.categoryCodes,
		s.savepoint, s.rollbackTo, s.release}
}

// prepareWrites prepares the write pool's statements that are not yet. It
// must run before a write transaction begins: on SQLite that transaction
// holds the pool's one connection, so preparing on the pool from inside it
// would wait forever.
func (s *statements) prepareWrites(ctx context.Context) error {
	if s.writesReady.Load() {
		return nil
	}
	for _, p := range s.writes() {
		if _, err := p.get(ctx); err != nil {
			return err
		}
	}
	s.writesReady.Store(true)
	return nil
}

// close closes every statement prepared so far; later use gets errClosed.
func (s *statements) close() error {
	var errs []error
	for _, p := range s.all() {
		errs = append(errs, p.close())
	}
	return errors.Join(errs...)
}

// preparedStmt is one statement, prepared on its pool the first time it
// runs rather than at Open: Open does not migrate, so the tables may not
// exist yet then.
type preparedStmt struct {
	pool  *sql.DB
	query string

	mu     sync.Mutex
	stmt   *sql.Stmt
	closed bool
}

// get returns the statement, preparing it on first use.
func (p *preparedStmt) get(ctx context.Context) (*sql.Stmt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errClosed
	}
	if p.stmt == nil {
		stmt, err := p.pool.PrepareContext(ctx, p.query)
		if err != nil {
			return nil, err
		}
		p.stmt = stmt
	}
	return p.stmt, nil
}

func (p *preparedStmt) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.stmt == nil {
		return nil
	}
	err := p.stmt.Close()
	p.stmt = nil
	return err
}

// stmt returns p, a statement of the write pool, bound to tx. A Tx keeps
// what it bound, because every Tx.StmtContext call adds a statement the Tx
// tracks until it ends.
func (tx *Tx) stmt(ctx context.Context, p *preparedStmt) (*sql.Stmt, error) {
	if s, ok := tx.stmts[p]; ok {
		return s, nil
	}
	s, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	s = tx.StmtContext(ctx, s)
	if tx.stmts == nil {
		tx.stmts = map[*preparedStmt]*sql.Stmt{}
	}
	tx.stmts[p] = s
	return s, nil
}

// exec runs the prepared statement p in tx.
func (tx *Tx) exec(ctx context.Context, p *preparedStmt, args ...any) error {
	s, err := tx.stmt(ctx, p)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(ctx, args...)
	return err
}
