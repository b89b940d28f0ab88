// Package sealed is the toolkit of a register of personal data: the
// register key and its rotation, field encryption bound to the record it
// belongs to, the blind index that finds a record by an identifier without
// storing it, and the rules of an audited read (access.go).
//
// The key never enters the database: the operator gives it (ParseKey), and
// the storage layer holds a Keyring per register. From the one 32-byte key
// each register derives keys of its own, so that the registers, and
// sealing and indexing within one, never share a key. A sealed value names
// the key that sealed it, so that during a rotation values under the old
// and the new key can be read side by side.
//
// The package holds no key in an error, a log line or a formatted value.
// It imports no database: the storage layer stores what it returns.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a register key in bytes.
const KeySize = 32

// errKeyFormat says what a key must look like, and nothing of what was given.
var errKeyFormat = errors.New("the register key must be 32 bytes, written as 64 hex digits or in base64")

// ParseKey reads a key written as 64 hex digits or as standard base64 of
// 32 bytes (what `openssl rand -hex 32` or `openssl rand -base64 32`
// prints); surrounding white space, such as a file's last newline, is
// ignored. The error never repeats the input.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	return nil, errKeyFormat
}

// NewKey returns a random key, for an installation that was given none: what
// it seals cannot be read once the key is gone.
func NewKey() []byte {
	b := make([]byte, KeySize)
	rand.Read(b)
	return b
}

// ErrUnreadable is a sealed value that no key of the keyring opens: sealed
// with a key that is not configured, for another record, or damaged.
var ErrUnreadable = errors.New("sealed register value: no configured key opens it")

// key is one register key with the keys derived from it for one register.
type key struct {
	id    string // "k" + 8 hex digits of a fingerprint; names the key in sealed values
	aead  cipher.AEAD
	index []byte // the blind index's HMAC key
}

func newKey(register string, master []byte) (*key, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("register key: %d bytes, want %d", len(master), KeySize)
	}
	derive := func(use string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte("trygg-" + register + "-" + use))
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
	return &key{id: "k" + hex.EncodeToString(fp[:4]), aead: aead, index: derive("index")}, nil
}

// Keyring is the keys of one register: the current key, which seals, and
// the earlier ones still readable during a rotation. It is safe for
// concurrent use; it never changes once made.
type Keyring struct {
	register string
	current  *key
	old      []*key
}

// NewKeyring derives the keys of register (a short stable name such as
// "concern"; it separates the keys of registers sharing one register key)
// from the current register key and the old ones values may still be
// sealed with. Changing register makes every stored value unreadable.
func NewKeyring(register string, current []byte, old ...[]byte) (*Keyring, error) {
	if register == "" {
		return nil, errors.New("sealed: a keyring needs the register's name")
	}
	cur, err := newKey(register, current)
	if err != nil {
		return nil, err
	}
	r := &Keyring{register: register, current: cur}
	for i, o := range old {
		k, err := newKey(register, o)
		if err != nil {
			return nil, fmt.Errorf("old key %d: %w", i+1, err)
		}
		r.old = append(r.old, k)
	}
	return r, nil
}

// String names the register and its keys by fingerprint, so that a keyring
// printed by mistake shows no key.
func (r *Keyring) String() string {
	ids := []string{r.current.id}
	for _, k := range r.old {
		ids = append(ids, k.id)
	}
	return "sealed.Keyring(" + r.register + ": " + strings.Join(ids, ", ") + ")"
}

// GoString is String, for %#v.
func (r *Keyring) GoString() string { return r.String() }

// Seal encrypts plain with AES-256-GCM under the current key, binding the
// record's stable identifier in as associated data: the value opens only
// for that record, so it cannot be moved to another. The result is
// "k" + 8 hex digits naming the key, ":", and unpadded standard base64 of
// the random nonce followed by the ciphertext.
func (r *Keyring) Seal(plain []byte, record string) string {
	k := r.current
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, plain, []byte(record))
	return k.id + ":" + base64.RawStdEncoding.EncodeToString(out)
}

// CurrentPrefix is how every value sealed with the current key begins
// (the key's name and ":"): a store finds the values a rotation has yet
// to reseal as those that begin otherwise. It names the key by its
// fingerprint and shows nothing of it.
func (r *Keyring) CurrentPrefix() string { return r.current.id + ":" }

// Open decrypts a value Seal made for record, with whichever key of the
// keyring it names. It returns ErrUnreadable, and nothing else, when no
// key opens it.
func (r *Keyring) Open(value, record string) ([]byte, error) {
	id, b64, ok := strings.Cut(value, ":")
	if !ok {
		return nil, ErrUnreadable
	}
	for _, k := range r.keys() {
		if k.id != id {
			continue
		}
		b, err := base64.RawStdEncoding.DecodeString(b64)
		n := k.aead.NonceSize()
		if err != nil || len(b) < n {
			return nil, ErrUnreadable
		}
		plain, err := k.aead.Open(nil, b[:n], b[n:], []byte(record))
		if err != nil {
			return nil, ErrUnreadable
		}
		return plain, nil
	}
	return nil, ErrUnreadable
}

// BlindIndex is the keyed hash (HMAC-SHA-256, 64 hex digits) of an
// identifier under the current key: stored in place of the identifier, it
// finds the records about it. The caller normalises the identifier first,
// for the same identifier written two ways hashes two ways.
func (r *Keyring) BlindIndex(identifier string) string {
	return r.current.blindIndex(identifier)
}

// BlindIndexes is the blind index of an identifier under every key, the
// current one first: a search matches any of them, so that records indexed
// before a rotation are found during it.
func (r *Keyring) BlindIndexes(identifier string) []string {
	var out []string
	for _, k := range r.keys() {
		out = append(out, k.blindIndex(identifier))
	}
	return out
}

func (k *key) blindIndex(identifier string) string {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte(identifier))
	return hex.EncodeToString(m.Sum(nil))
}

// keys returns the current key and the old ones.
func (r *Keyring) keys() []*key { return append([]*key{r.current}, r.old...) }
