package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
)

var _ trygg.AuditService = (*AuditService)(nil)

// operatorRole is the role recorded for changes made from the command line.
const operatorRole = trygg.Role("operator")

// actor is who an audit entry is about: the user, role and organisation
// at the time, never their name or e-mail.
type actor struct {
	userID *int64
	role   trygg.Role
	orgID  *int64
}

// actorOf returns the actor for a caller.
func actorOf(c identity) actor {
	if c.user != nil {
		return userActor(c.user)
	}
	if c.operator {
		return actor{role: operatorRole}
	}
	return actor{}
}

func userActor(u *trygg.User) actor {
	id, org := u.ID, u.OrgID
	return actor{userID: &id, role: u.PrimaryRole(), orgID: &org}
}

// auditEntry is what happened, to which object.
type auditEntry struct {
	action     string
	objectType string
	objectID   string
	detail     string // never personal data
}

func objectID(id int64) string { return strconv.FormatInt(id, 10) }

// audit appends an entry to the hash chain, inside tx so that the entry
// commits or rolls back with the change it records.
func (tx *Tx) audit(ctx context.Context, a actor, e auditEntry) error {
	prev := tx.lastHash
	if prev == "" {
		head, err := tx.stmt(ctx, tx.db.stmts.auditHead)
		if err != nil {
			return err
		}
		if err := head.QueryRowContext(ctx).Scan(&prev); err != nil && err != sql.ErrNoRows {
			return err
		}
	}
	ev := trygg.AuditEvent{
		At: tx.now, UserID: a.userID, Role: a.role, OrgID: a.orgID,
		Action: e.action, ObjectType: e.objectType, ObjectID: e.objectID, Detail: e.detail,
		PrevHash: prev,
	}
	ev.Hash = auditHash(&ev)
	err := tx.exec(ctx, tx.db.stmts.auditInsert,
		millis(ev.At), ev.UserID, string(ev.Role), ev.OrgID, ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail, ev.PrevHash, ev.Hash)
	if err != nil {
		return err
	}
	tx.lastHash = ev.Hash
	return nil
}

// auditHash is hex(SHA-256(prev_hash | at | user_id | role | org_id | action
// | object_type | object_id | detail)), with times in Unix milliseconds and
// absent IDs as empty strings. The ID is left out because the database
// assigns it; order is still protected because each entry names the hash
// before it.
func auditHash(ev *trygg.AuditEvent) string {
	optional := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	fields := []string{
		ev.PrevHash,
		strconv.FormatInt(millis(ev.At), 10),
		optional(ev.UserID),
		string(ev.Role),
		optional(ev.OrgID),
		ev.Action,
		ev.ObjectType,
		ev.ObjectID,
		ev.Detail,
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "|")))
	return hex.EncodeToString(sum[:])
}

// AuditService reads and verifies the audit log.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

const auditColumns = "id, at, user_id, role, org_id, action, object_type, object_id, detail, prev_hash, hash"

func scanAuditEvent(s interface{ Scan(...any) error }) (*trygg.AuditEvent, error) {
	var ev trygg.AuditEvent
	var at int64
	var userID, orgID sql.NullInt64
	var role string
	if err := s.Scan(&ev.ID, &at, &userID, &role, &orgID, &ev.Action, &ev.ObjectType, &ev.ObjectID, &ev.Detail, &ev.PrevHash, &ev.Hash); err != nil {
		return nil, err
	}
	ev.At, ev.UserID, ev.OrgID, ev.Role = fromMillis(at), int64Ptr(userID), int64Ptr(orgID), trygg.Role(role)
	return &ev, nil
}

// FindAuditEvents returns events newest first. Admins and the operator
// only; others get ENOTFOUND.
func (s *AuditService) FindAuditEvents(ctx context.Context, f trygg.AuditFilter) ([]*trygg.AuditEvent, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return nil, c.denied()
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.UserID != nil {
		add("user_id = ?", *f.UserID)
	}
	q := "SELECT " + auditColumns + " FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	q += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args)-1) + " OFFSET $" + strconv.Itoa(len(args))
	rows, err := s.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []*trygg.AuditEvent
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, rows.Err()
}

// VerifyAudit walks the chain from the first entry and returns the ID of
// the first entry whose hash or link to the one before is wrong (0 when
// the chain is whole), and how many entries it checked. Admins and the
// operator only.
func (s *AuditService) VerifyAudit(ctx context.Context) (int64, int, error) {
	c := caller(ctx)
	if !c.isAdmin() {
		return 0, 0, c.denied()
	}
	// One read transaction gives one snapshot, so entries appended while
	// walking do not confuse the check.
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: snapshotIsolation(s.db.dialect)})
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id")
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	prev, checked := "", 0
	for rows.Next() {
		ev, err := scanAuditEvent(rows)
		if err != nil {
			return 0, checked, err
		}
		checked++
		if ev.PrevHash != prev || auditHash(ev) != ev.Hash {
			return ev.ID, checked, nil
		}
		prev = ev.Hash
	}
	return 0, checked, rows.Err()
}
