package sqldb

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trygg-est/trygg"
)

// The register's identity fields are sealed with AES-256-GCM under a key
// that never enters the database: the operator gives it as a file or an
// environment variable, and SetConcernKey hands it to the store. From that
// one 32-byte key two are derived, so that neither use weakens the other:
// one seals, one makes the blind index of the child's number. A sealed
// value names the key it was sealed with ("k" + 8 hex digits of the key's
// fingerprint), so that during a rotation old and new values can be read
// side by side.

// ConcernKeySize is the length of a register key in bytes.
const ConcernKeySize = 32

// ParseConcernKey reads a key written as 64 hex digits or as standard
// base64 of 32 bytes (what `openssl rand -base64 32` prints).
func ParseConcernKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == ConcernKeySize {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == ConcernKeySize {
		return b, nil
	}
	return nil, errors.New("the register key must be 32 bytes, written as 64 hex digits or in base64")
}

// concernKey is one register key with its derived keys.
type concernKey struct {
	id    string // "k" + fingerprint
	aead  cipher.AEAD
	index []byte
}

func newConcernKey(master []byte) (*concernKey, error) {
	if len(master) != ConcernKeySize {
		return nil, fmt.Errorf("register key: %d bytes, want %d", len(master), ConcernKeySize)
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte("trygg-concern-" + label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("seal"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	fp := derive("id")
	return &concernKey{id: "k" + hex.EncodeToString(fp[:4]), aead: aead, index: derive("index")}, nil
}

// concernKeys is the current key and the earlier ones still readable.
type concernKeys struct {
	mu      sync.RWMutex
	current *concernKey
	old     []*concernKey
}

// SetConcernKey sets the key that seals the register from now on, and the
// earlier keys that values may still be sealed with (during a rotation,
// until RekeyConcerns has run). Without a call the store uses a random key
// that lives as long as the process, so nothing it seals can be read after
// a restart: a real installation must set one.
func (db *DB) SetConcernKey(current []byte, old ...[]byte) error {
	cur, err := newConcernKey(current)
	if err != nil {
		return err
	}
	var olds []*concernKey
	for _, o := range old {
		k, err := newConcernKey(o)
		if err != nil {
			return err
		}
		olds = append(olds, k)
	}
	db.concernKeys.mu.Lock()
	defer db.concernKeys.mu.Unlock()
	db.concernKeys.current, db.concernKeys.old = cur, olds
	return nil
}

// keys returns the current key and every readable one, making a
// process-lifetime random key on first use when none was set.
func (db *DB) keys() (*concernKey, []*concernKey, error) {
	db.concernKeys.mu.RLock()
	cur, old := db.concernKeys.current, db.concernKeys.old
	db.concernKeys.mu.RUnlock()
	if cur != nil {
		return cur, old, nil
	}
	b := make([]byte, ConcernKeySize)
	rand.Read(b)
	db.concernKeys.mu.Lock()
	defer db.concernKeys.mu.Unlock()
	if db.concernKeys.current == nil {
		k, err := newConcernKey(b)
		if err != nil {
			return nil, nil, err
		}
		db.concernKeys.current = k
	}
	return db.concernKeys.current, db.concernKeys.old, nil
}

// seal encrypts plain under k; the concern's ref is bound in as associated
// data, so a sealed value cannot be moved to another report.
func (k *concernKey) seal(plain []byte, ref string) string {
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, plain, []byte(ref))
	return k.id + ":" + base64.RawStdEncoding.EncodeToString(out)
}

// errUnreadable is a sealed value that no configured key opens.
var errUnreadable = errors.New("sealed register value: no configured key opens it")

// open decrypts a sealed value with whichever of keys sealed it.
func openSealed(sealed, ref string, keys ...*concernKey) ([]byte, error) {
	id, b64, ok := strings.Cut(sealed, ":")
	if !ok {
		return nil, errUnreadable
	}
	for _, k := range keys {
		if k == nil || k.id != id {
			continue
		}
		b, err := base64.RawStdEncoding.DecodeString(b64)
		if err != nil || len(b) < k.aead.NonceSize() {
			return nil, errUnreadable
		}
		n := k.aead.NonceSize()
		plain, err := k.aead.Open(nil, b[:n], b[n:], []byte(ref))
		if err != nil {
			return nil, errUnreadable
		}
		return plain, nil
	}
	return nil, errUnreadable
}

// blindIndex is the keyed hash of a child's number under k.
func (k *concernKey) blindIndex(childID string) string {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte(childID))
	return hex.EncodeToString(m.Sum(nil))
}

// RekeyConcerns reseals every sealed value of the register under the
// current key and recomputes the blind index with it, in one transaction,
// and returns how many reports it resealed. Set the new key with the old
// ones first (SetConcernKey(new, old...)); afterwards the old keys are no
// longer needed. Only the operator (the CLI) may call it: it reads no
// personal data out of the store. The audit log records how many.
func (db *DB) RekeyConcerns(ctx context.Context) (int, error) {
	c := caller(ctx)
	if !c.operator {
		return 0, c.denied()
	}
	cur, old, err := db.keys()
	if err != nil {
		return 0, err
	}
	all := append([]*concernKey{cur}, old...)
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
			plain, err := openSealed(r.sealed, r.ref, all...)
			if err != nil {
				return fmt.Errorf("report %d: %w", r.id, err)
			}
			var id sealedIdentity
			if err := json.Unmarshal(plain, &id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE concerns SET sealed = $1, child_index = $2 WHERE id = $3",
				cur.seal(plain, r.ref), cur.blindIndex(id.ChildID), r.id); err != nil {
				return err
			}
		}
		steps, err := read("SELECT s.id, c.ref, s.sealed FROM concern_steps s JOIN concerns c ON c.id = s.concern_id ORDER BY s.id")
		if err != nil {
			return err
		}
		for _, r := range steps {
			plain, err := openSealed(r.sealed, r.ref, all...)
			if err != nil {
				return fmt.Errorf("step %d: %w", r.id, err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE concern_steps SET sealed = $1 WHERE id = $2", cur.seal(plain, r.ref), r.id); err != nil {
				return err
			}
		}
		n = len(concerns)
		return tx.audit(ctx, actorOf(c), auditEntry{action: trygg.AuditUpdate, objectType: objectConcern,
			detail: fmt.Sprintf("ny nyckel: %d anmälningar", n)})
	})
	return n, err
}
