package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sealed"
)

// The registers of personal data (reports of concern, SSPF, the key
// persons of the review of welfare providers, the night walks' volunteers)
// seal their fields with package sealed under one register key, which
// never enters the database: the operator gives it, SetRegisterKey hands
// it to the store, and each register derives keys of its own from it
// (DB.keyring).
//
// Each register declares itself once, with declareRegister: its name and
// every column that holds values sealed with its keys. The keyring and the
// rotation (RekeyRegisters) take everything from that declaration, so a
// new register is resealed with the others without a line of its own.

// sealedRegister is one register of personal data.
type sealedRegister struct {
	// name derives the register's keys (sealed.NewKeyring): changing it
	// makes every stored value unreadable.
	name string
	// label names the register to the operator, in Swedish.
	label string
	// object is the audit object type of the rotation's entries.
	object string
	// columns are the register's sealed columns, in the order a rotation
	// reseals them.
	columns []sealedColumn
}

// sealedColumn is a column of sealed values in a table whose rows have an
// integer id.
type sealedColumn struct {
	table, column string
	// record is what a row's value is bound to (sealed.Keyring.Seal's
	// record), from the row's id and ref.
	record func(id int64, ref string) string
	// ref is the SQL expression of the reference a value is bound to, over
	// the row (t) and join, when record needs one; "" for none.
	ref, join string
	// index, when not "", is the column of the blind index kept with the
	// value; indexOf computes it from the plain value.
	index   string
	indexOf func(keys *sealed.Keyring, plain []byte) (string, error)
}

// registers are the declared registers, in the order of declaration.
var registers []*sealedRegister

// declareRegister declares a register of personal data; the package's
// variables call it once per register.
func declareRegister(r sealedRegister) *sealedRegister {
	registers = append(registers, &r)
	return &r
}

// jsonIndex is the indexOf of a value sealed as JSON of a T: the blind
// index of the identifier id picks out of it.
func jsonIndex[T any](id func(T) string) func(*sealed.Keyring, []byte) (string, error) {
	return func(keys *sealed.Keyring, plain []byte) (string, error) {
		var v T
		err := json.Unmarshal(plain, &v)
		return keys.BlindIndex(id(v)), err
	}
}

// boundToRef is the record of a value bound to the reference of its case or
// report.
func boundToRef(_ int64, ref string) string { return ref }

// registerKeys is the register key, the earlier ones still readable, and
// the keyring each register made from them.
type registerKeys struct {
	mu       sync.Mutex
	current  []byte
	old      [][]byte
	keyrings map[*sealedRegister]*sealed.Keyring
}

// SetRegisterKey sets the key that seals the registers from now on, and
// the earlier keys that values may still be sealed with (during a
// rotation, until RekeyRegisters has run). Without a call the store uses a
// random key that lives as long as the process, so nothing it seals can be
// read after a restart: a real installation must set one. The error names
// no key.
func (db *DB) SetRegisterKey(current []byte, old ...[]byte) error {
	ks := &db.registerKeys
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.set(current, old)
}

// set makes every register's keyring; the caller holds mu.
func (ks *registerKeys) set(current []byte, old [][]byte) error {
	keyrings := map[*sealedRegister]*sealed.Keyring{}
	for _, r := range registers {
		k, err := sealed.NewKeyring(r.name, current, old...)
		if err != nil {
			return err
		}
		keyrings[r] = k
	}
	ks.current, ks.old, ks.keyrings = current, old, keyrings
	return nil
}

// keyring returns the keyring of a register, making a process-lifetime
// random register key on first use when none was set.
func (db *DB) keyring(r *sealedRegister) (*sealed.Keyring, error) {
	ks := &db.registerKeys
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.keyrings == nil {
		if err := ks.set(sealed.NewKey(), nil); err != nil {
			return nil, err
		}
	}
	return ks.keyrings[r], nil
}

// auditAccess writes a read of a register (objectType) to the audit log,
// in tx, so that nothing is read that is not logged.
func (tx *Tx) auditAccess(ctx context.Context, reader identity, objectType string, a sealed.Access) error {
	return tx.audit(ctx, actorOf(reader), auditEntry{action: trygg.AuditRead, objectType: objectType, objectID: a.Record, detail: a.Detail()})
}

// DefaultRekeyBatch is how many values RekeyRegisters reseals in one
// transaction unless told otherwise.
const DefaultRekeyBatch = 500

// RekeyProgress is how far RekeyRegisters has come with one register.
type RekeyProgress struct {
	// Register names the register in Swedish ("orosanmälningsregistret").
	Register string
	// Values is how many of its values this run has resealed so far.
	Values int
	// Done is set on the register's last report.
	Done bool
}

// RekeyRegisters reseals every sealed value of every declared register
// that is not yet sealed with the current register key, and recomputes
// the blind index kept with it. Set the new key with the old ones first
// (SetRegisterKey(new, old...)); afterwards the old keys are no longer
// needed.
//
// It works in batches of at most batch values (DefaultRekeyBatch when 0 or
// less), each batch one transaction with its audit entry (how many values
// of which table), and calls progress, when not nil, after each batch and
// once more when a register is done. A value that is already sealed with
// the current key is left alone, so a run that stops half-way (an error, a
// cancelled ctx) loses nothing done and the next run goes on from there,
// and a second run changes nothing. A value changed by the service during
// the run is left as the service wrote it (with the current key, when the
// server runs with the new key and the old one). A value that no
// configured key opens stops the run with sealed.ErrUnreadable.
//
// Only the operator (the CLI) may call it; it reads no personal data out
// of the store. Anyone else gets ENOTFOUND.
func (db *DB) RekeyRegisters(ctx context.Context, batch int, progress func(RekeyProgress)) error {
	c := caller(ctx)
	if !c.operator {
		return c.denied()
	}
	if batch <= 0 {
		batch = DefaultRekeyBatch
	}
	if progress == nil {
		progress = func(RekeyProgress) {}
	}
	for _, r := range registers {
		keys, err := db.keyring(r)
		if err != nil {
			return err
		}
		done := 0
		for _, col := range r.columns {
			for after := int64(0); ; {
				read, resealed, last, err := db.rekeyBatch(ctx, c, r, col, keys, after, batch)
				if err != nil {
					return fmt.Errorf("%s, %s.%s: %w", r.label, col.table, col.column, err)
				}
				if read == 0 {
					break
				}
				done, after = done+resealed, last
				progress(RekeyProgress{Register: r.label, Values: done})
			}
		}
		progress(RekeyProgress{Register: r.label, Values: done, Done: true})
	}
	return nil
}

// rekeyBatch reseals, in one transaction, up to batch values of col in
// rows after the id after that are not sealed with the current key. It
// returns how many rows it read, how many of them it resealed (the others
// the service changed meanwhile) and the last one's id.
func (db *DB) rekeyBatch(ctx context.Context, c identity, r *sealedRegister, col sealedColumn, keys *sealed.Keyring, after int64, batch int) (read, resealed int, last int64, err error) {
	ref := col.ref
	if ref == "" {
		ref = "''"
	}
	query := fmt.Sprintf(`SELECT t.id, %s, t.%s FROM %s t %s
		WHERE t.%[2]s IS NOT NULL AND t.%[2]s <> '' AND t.%[2]s NOT LIKE $1 AND t.id > $2 ORDER BY t.id LIMIT $3`,
		ref, col.column, col.table, col.join)
	update := fmt.Sprintf("UPDATE %s SET %s = $1 WHERE id = $2 AND %[2]s = $3", col.table, col.column)
	if col.index != "" {
		update = fmt.Sprintf("UPDATE %s SET %s = $1, %s = $4 WHERE id = $2 AND %[2]s = $3", col.table, col.column, col.index)
	}
	err = db.inWrite(ctx, func(tx *Tx) error {
		type row struct {
			id         int64
			ref, value string
		}
		var rows []row
		err := eachRow(ctx, tx, query, []any{keys.CurrentPrefix() + "%", after, batch}, func(s interface{ Scan(...any) error }) error {
			var x row
			err := s.Scan(&x.id, &x.ref, &x.value)
			rows = append(rows, x)
			return err
		})
		if err != nil {
			return err
		}
		for _, x := range rows {
			record := col.record(x.id, x.ref)
			plain, err := keys.Open(x.value, record)
			if err != nil {
				return fmt.Errorf("row %d: %w", x.id, err)
			}
			args := []any{keys.Seal(plain, record), x.id, x.value}
			if col.index != "" {
				index, err := col.indexOf(keys, plain)
				if err != nil {
					return fmt.Errorf("row %d: %w", x.id, err)
				}
				args = append(args, index)
			}
			res, err := tx.ExecContext(ctx, update, args...)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k == 1 {
				resealed++
			}
		}
		if len(rows) == 0 {
			return nil
		}
		read, last = len(rows), rows[len(rows)-1].id
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: r.object,
			detail: fmt.Sprintf("ny nyckel: %d värden i %s.%s", resealed, col.table, col.column)})
	})
	if err != nil {
		return 0, 0, 0, err
	}
	return read, resealed, last, nil
}
