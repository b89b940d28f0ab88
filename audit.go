package trygg

import (
	"context"
	"time"
)

// Audit actions.
const (
	AuditSignIn       = "signin"
	AuditSignInFailed = "signin_failed"
	AuditSignOut      = "signout"
	AuditCreate       = "create"
	AuditUpdate       = "update"
	AuditDelete       = "delete"
	AuditRead         = "read" // reads of sensitive records
	AuditExport       = "export"
	AuditImport       = "import"
)

// AuditEvent is one entry in the append-only, hash-chained audit log. Hash is
// SHA-256 over PrevHash and the event's fields, so changing or removing an
// entry breaks every later link. It names the actor by ID, never by
// personal data, and the object by type and ID.
type AuditEvent struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"` // UTC
	UserID     *int64    `json:"user_id,omitempty"`
	Role       Role      `json:"role,omitempty"`
	OrgID      *int64    `json:"org_id,omitempty"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id,omitempty"`
	Detail     string    `json:"detail,omitempty"` // never personal data
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	UserID     *int64
	Limit      int
	Offset     int
}

// AuditService reads and verifies the audit log. Writing happens inside the
// store's transactions, so a change and its audit entry commit together.
type AuditService interface {
	// FindAuditEvents is for admins, and for socialtjänst managers on their
	// own register's records; others get ENOTFOUND.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// VerifyAudit walks the chain. It returns the ID of the first broken
	// link (0 if the chain is whole) and how many events it checked.
	// Called by the CLI or an admin.
	VerifyAudit(ctx context.Context) (brokenAt int64, checked int, err error)
}
