package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sealed"
)

// concernRegister names the register of reports of concern to package
// sealed, which derives the register's keys from it: changing it makes
// every stored report unreadable.
const concernRegister = "concern"

// concernKeyring returns the keyring of the register of reports of concern.
func (db *DB) concernKeyring() (*sealed.Keyring, error) { return db.keyring(concernRegister) }

// RekeyConcerns reseals every sealed value of the register under the
// current key and recomputes the blind index with it, in one transaction,
// and returns how many reports it resealed. Set the new key with the old
// ones first (SetRegisterKey(new, old...)); afterwards the old keys are no
// longer needed. Only the operator (the CLI) may call it: it reads no
// personal data out of the store. The audit log records how many.
func (db *DB) RekeyConcerns(ctx context.Context) (int, error) {
	c := caller(ctx)
	if !c.operator {
		return 0, c.denied()
	}
	keys, err := db.concernKeyring()
	if err != nil {
		return 0, err
	}
	n := 0
	err = db.inWrite(ctx, func(tx *Tx) error {
		type row struct {
			id          int64
			ref, sealed string
		}
		read := func(query string) ([]row, error) {
			rows, err := tx.QueryContext(ctx, query)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.ref, &r.sealed); err != nil {
					return nil, err
				}
				out = append(out, r)
			}
			return out, rows.Err()
		}
		concerns, err := read("SELECT id, ref, sealed FROM concerns ORDER BY id")
		if err != nil {
			return err
		}
		for _, r := range concerns {
			plain, err := keys.Open(r.sealed, r.ref)
			if err != nil {
				return fmt.Errorf("report %d: %w", r.id, err)
			}
			var id sealedIdentity
			if err := json.Unmarshal(plain, &id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE concerns SET sealed = $1, child_index = $2 WHERE id = $3",
				keys.Seal(plain, r.ref), keys.BlindIndex(id.ChildID), r.id); err != nil {
				return err
			}
		}
		steps, err := read("SELECT s.id, c.ref, s.sealed FROM concern_steps s JOIN concerns c ON c.id = s.concern_id ORDER BY s.id")
		if err != nil {
			return err
		}
		for _, r := range steps {
			plain, err := keys.Open(r.sealed, r.ref)
			if err != nil {
				return fmt.Errorf("step %d: %w", r.id, err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE concern_steps SET sealed = $1 WHERE id = $2", keys.Seal(plain, r.ref), r.id); err != nil {
				return err
			}
		}
		n = len(concerns)
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectConcern,
			detail: fmt.Sprintf("ny nyckel: %d anmälningar", n)})
	})
	return n, err
}
