package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/trygg-est/trygg"
)

// Signed documents (PDF) kept in the database, one per owning row: an
// agreement's signed agreement, a routine version's signed routines.

// documentTable is a table of signed documents and its column naming the
// owning row. Both are constants of this package, never input.
type documentTable struct{ table, owner string }

var (
	agreementDocuments = documentTable{table: "agreement_documents", owner: "agreement_id"}
	routineDocuments   = documentTable{table: "routine_documents", owner: "routine_id"}
)

// checkDocument trims an uploaded document's name, or gives it
// defaultName, and checks that it is a PDF of at most
// trygg.MaxDocumentSize bytes (EINVALID, field document).
func checkDocument(name, defaultName string, content []byte) (string, error) {
	if name = strings.TrimSpace(name); name == "" {
		name = defaultName
	}
	return name, trygg.CheckPDF(name, content)
}

// saveDocument stores the document of owner in t, replacing any earlier
// one, as uploaded by c now, and returns what it stored.
func (tx *Tx) saveDocument(ctx context.Context, t documentTable, owner int64, name string, content []byte, c identity) (*trygg.Document, error) {
	sum := sha256.Sum256(content)
	d := &trygg.Document{Name: name, Size: len(content), SHA256: hex.EncodeToString(sum[:]), UploadedAt: fromMillis(millis(tx.now))}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+t.table+` (`+t.owner+`, name, content, size, sha256, uploaded_at, uploaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (`+t.owner+`) DO UPDATE SET name = excluded.name, content = excluded.content, size = excluded.size,
		sha256 = excluded.sha256, uploaded_at = excluded.uploaded_at, uploaded_by = excluded.uploaded_by`,
		owner, d.Name, content, d.Size, d.SHA256, millis(tx.now), c.userID())
	return d, err
}

// findDocument returns the document of owner in t with its content;
// ENOTFOUND when there is none. and, if not empty, is a further condition
// of the query ("AND …", with $1 the owner).
func findDocument(ctx context.Context, q queryer, t documentTable, owner int64, and string) (*trygg.Document, []byte, error) {
	var d trygg.Document
	var content []byte
	var at int64
	err := q.QueryRowContext(ctx, "SELECT name, size, sha256, uploaded_at, content FROM "+t.table+" WHERE "+t.owner+" = $1 "+and, owner).
		Scan(&d.Name, &d.Size, &d.SHA256, &at, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, trygg.NotFound()
	} else if err != nil {
		return nil, nil, err
	}
	d.UploadedAt = fromMillis(at)
	return &d, content, nil
}
