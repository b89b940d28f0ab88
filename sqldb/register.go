package sqldb

import (
	"context"
	"sync"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sealed"
)

// The registers of personal data (today the register of reports of
// concern) seal their fields with package sealed under one register key,
// which never enters the database: the operator gives it, SetRegisterKey
// hands it to the store, and each register derives keys of its own from it
// (DB.keyring).

// registerKeys is the register key, the earlier ones still readable, and
// the keyring each register made from them.
type registerKeys struct {
	mu       sync.Mutex
	current  []byte
	old      [][]byte
	keyrings map[string]*sealed.Keyring // by register
}

// SetRegisterKey sets the key that seals the registers from now on, and
// the earlier keys that values may still be sealed with (during a
// rotation, until RekeyConcerns has run). Without a call the store uses a
// random key that lives as long as the process, so nothing it seals can be
// read after a restart: a real installation must set one. The error names
// no key.
func (db *DB) SetRegisterKey(current []byte, old ...[]byte) error {
	// Checks the keys' sizes, and is the concern register's keyring.
	concerns, err := sealed.NewKeyring(concernRegister, current, old...)
	if err != nil {
		return err
	}
	db.registerKeys.mu.Lock()
	defer db.registerKeys.mu.Unlock()
	db.registerKeys.current, db.registerKeys.old = current, old
	db.registerKeys.keyrings = map[string]*sealed.Keyring{concernRegister: concerns}
	return nil
}

// keyring returns the keyring of a register (sealed.NewKeyring), making a process-lifetime random register key on first use when
// none was set.
func (db *DB) keyring(register string) (*sealed.Keyring, error) {
	ks := &db.registerKeys
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if r := ks.keyrings[register]; r != nil {
		return r, nil
	}
	if ks.current == nil {
		ks.current, ks.old = sealed.NewKey(), nil
	}
	r, err := sealed.NewKeyring(register, ks.current, ks.old...)
	if err != nil {
		return nil, err
	}
	if ks.keyrings == nil {
		ks.keyrings = map[string]*sealed.Keyring{}
	}
	ks.keyrings[register] = r
	return r, nil
}

// auditAccess writes a read of a register (objectType) to the audit log,
// in tx, so that nothing is read that is not logged.
func (tx *Tx) auditAccess(ctx context.Context, reader identity, objectType string, a sealed.Access) error {
	return tx.audit(ctx, actorOf(reader), auditEntry{action: trygg.AuditRead, objectType: objectType, objectID: a.Record, detail: a.Detail()})
}
