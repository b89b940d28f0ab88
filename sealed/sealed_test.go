package sealed

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var (
	keyA = bytes.Repeat([]byte{1}, KeySize)
	keyB = bytes.Repeat([]byte{2}, KeySize)
)

func mustKeyring(t testing.TB, register string, current []byte, old ...[]byte) *Keyring {
	t.Helper()
	r, err := NewKeyring(register, current, old...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseKey(t *testing.T) {
	want := bytes.Repeat([]byte{0xab}, KeySize)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"hex", strings.Repeat("ab", 32), true},
		{"hex upper case", strings.Repeat("AB", 32), true},
		{"hex with a file's newline", strings.Repeat("ab", 32) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(want), true},
		{"base64 with spaces around", "  " + base64.StdEncoding.EncodeToString(want) + "\r\n", true},
		{"empty", "", false},
		{"hex too short", strings.Repeat("ab", 31), false},
		{"hex too long", strings.Repeat("ab", 33), false},
		{"not hex", strings.Repeat("zz", 32), false},
		{"base64 of 31 bytes", base64.StdEncoding.EncodeToString(want[:31]), false},
		{"unpadded base64", base64.RawStdEncoding.EncodeToString(want), false},
		{"space inside", strings.Repeat("ab", 16) + " " + strings.Repeat("ab", 16), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if !tt.ok {
				if err == nil {
					t.Fatalf("ParseKey(%q) = %x, want an error", tt.in, got)
				}
				if s := strings.TrimSpace(tt.in); s != "" && strings.Contains(err.Error(), s) {
					t.Errorf("the error repeats the input: %v", err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("ParseKey(%q) = %x, %v", tt.in, got, err)
			}
		})
	}
}

func TestNewKeyringRefuses(t *testing.T) {
	tests := []struct {
		name     string
		register string
		current  []byte
		old      [][]byte
	}{
		{"no register", "", keyA, nil},
		{"short key", "concern", keyA[:31], nil},
		{"no key", "concern", nil, nil},
		{"short old key", "concern", keyA, [][]byte{keyB[:16]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewKeyring(tt.register, tt.current, tt.old...); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestSealRoundTrip(t *testing.T) {
	r := mustKeyring(t, "concern", keyA)
	for _, plain := range [][]byte{[]byte(`{"child_id":"201212121212"}`), {}, bytes.Repeat([]byte("å"), 10000)} {
		v := r.Seal(plain, "ref1")
		if bytes.Contains([]byte(v), plain) && len(plain) > 0 {
			t.Errorf("the sealed value holds the plain text")
		}
		got, err := r.Open(v, "ref1")
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, %v", got, err)
		}
	}
	if a, b := r.Seal([]byte("x"), "ref1"), r.Seal([]byte("x"), "ref1"); a == b {
		t.Error("two seals of the same value are the same: the nonce is not random")
	}
}

// TestOpenRefuses: a value opens only for its record, under a key of the
// keyring, in its register, and undamaged.
func TestOpenRefuses(t *testing.T) {
	r := mustKeyring(t, "concern", keyA)
	v := r.Seal([]byte("hemligt"), "ref1")
	id, b64, _ := strings.Cut(v, ":")
	raw, _ := base64.RawStdEncoding.DecodeString(b64)
	raw[len(raw)-1] ^= 1
	tests := []struct {
		name    string
		keyring *Keyring
		value   string
		record  string
	}{
		{"another record", r, v, "ref2"},
		{"no record", r, v, ""},
		{"another key", mustKeyring(t, "concern", keyB), v, "ref1"},
		{"another register", mustKeyring(t, "sspf", keyA), v, "ref1"},
		{"damaged", r, id + ":" + base64.RawStdEncoding.EncodeToString(raw), "ref1"},
		{"cut short", r, id + ":" + b64[:10], "ref1"},
		{"no key name", r, b64, "ref1"},
		{"not base64", r, id + ":!!!", "ref1"},
		{"empty", r, "", "ref1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.keyring.Open(tt.value, tt.record); !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Open = %q, %v; want ErrUnreadable", got, err)
			}
		})
	}
}

// TestRotation: during a rotation values under the old key and the new
// one both open, and new values are sealed and indexed with the new key.
func TestRotation(t *testing.T) {
	before := mustKeyring(t, "concern", keyA)
	old := before.Seal([]byte("gammal"), "ref1")
	during := mustKeyring(t, "concern", keyB, keyA)
	if got, err := during.Open(old, "ref1"); err != nil || string(got) != "gammal" {
		t.Fatalf("old value during the rotation: %q, %v", got, err)
	}
	fresh := during.Seal([]byte("ny"), "ref2")
	if got, err := during.Open(fresh, "ref2"); err != nil || string(got) != "ny" {
		t.Fatalf("new value during the rotation: %q, %v", got, err)
	}
	if _, err := before.Open(fresh, "ref2"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("the old key alone opens a value sealed during the rotation: %v", err)
	}
	after := mustKeyring(t, "concern", keyB)
	if _, err := after.Open(old, "ref1"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("the new key alone opens a value sealed with the old: %v", err)
	}
	if got, want := during.BlindIndexes("201212121212"), []string{after.BlindIndex("201212121212"), before.BlindIndex("201212121212")}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("BlindIndexes = %v, want the new key's then the old one's %v", got, want)
	}
	if during.BlindIndex("x") != after.BlindIndex("x") {
		t.Error("BlindIndex is not under the current key")
	}
	if p := during.CurrentPrefix(); !strings.HasPrefix(fresh, p) || strings.HasPrefix(old, p) || p != after.CurrentPrefix() {
		t.Errorf("CurrentPrefix %q does not tell the new key's values (%q) from the old one's (%q)", p, fresh, old)
	}
}

// TestStoredFormat: values sealed and indexed before this package existed
// (by the register of reports of concern) still open, and the index is
// the same, so that existing databases need no migration.
func TestStoredFormat(t *testing.T) {
	a := mustKeyring(t, "concern", keyA)
	b := mustKeyring(t, "concern", keyB)
	tests := []struct {
		name    string
		keyring *Keyring
		value   string
		record  string
		plain   string
		index   string // of 201212121212
	}{
		{"key A", a, "ke69cbaaa:SBARhd3jyQfTglvmWtaK79UtWiSqqFCiurwK7BiCH6DP6IICdAao7R+BosPWe4TLH/e3XrPVWw", "abcdefghijklmnop",
			`{"child_id":"201212121212"}`, "7d4c2e35f34b23baee7734f73e4114cfdf8eb0d07316bd9a9100fc520f03b144"},
		{"key B", b, "k995f887f:LaJLmbSMkdBq3zv4pxjE+/wbGOIcfPNl69k8FJLlQ0U", "ref2",
			"steg", "6cc648547eb2790a371e1b76c0cc9cf7fce1c9ddee645f5ba8d7390d7e43615e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.keyring.Open(tt.value, tt.record)
			if err != nil || string(got) != tt.plain {
				t.Fatalf("Open = %q, %v", got, err)
			}
			if idx := tt.keyring.BlindIndex("201212121212"); idx != tt.index {
				t.Errorf("BlindIndex = %s, want %s", idx, tt.index)
			}
			keyName, _, _ := strings.Cut(tt.value, ":")
			if v := tt.keyring.Seal([]byte("x"), "r"); !strings.HasPrefix(v, keyName+":") {
				t.Errorf("a new value %q does not name the key %s", v, keyName)
			}
		})
	}
}

func TestBlindIndex(t *testing.T) {
	a, b := mustKeyring(t, "concern", keyA), mustKeyring(t, "concern", keyB)
	id := "201212121212"
	if a.BlindIndex(id) != mustKeyring(t, "concern", keyA).BlindIndex(id) {
		t.Error("the index of the same identifier under the same key changes")
	}
	if a.BlindIndex(id) == b.BlindIndex(id) {
		t.Error("the index does not depend on the key")
	}
	if a.BlindIndex(id) == mustKeyring(t, "sspf", keyA).BlindIndex(id) {
		t.Error("two registers with one key share the index")
	}
	if a.BlindIndex(id) == a.BlindIndex("201212121213") {
		t.Error("two identifiers share the index")
	}
	if idx := a.BlindIndex(id); len(idx) != 64 || strings.Contains(idx, id) {
		t.Errorf("index %q", idx)
	}
}

// TestNoKeyShown: a keyring printed by mistake, and every error, shows no
// key, neither the register key nor a derived one.
func TestNoKeyShown(t *testing.T) {
	r := mustKeyring(t, "concern", keyA, keyB)
	secrets := []string{hex.EncodeToString(keyA), hex.EncodeToString(keyB), hex.EncodeToString(r.current.index),
		base64.StdEncoding.EncodeToString(keyA), string(keyA)}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, r)
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s of a keyring shows a key: %s", format, out)
			}
		}
		if !strings.Contains(out, "concern") {
			t.Errorf("%s of a keyring = %s, want its register named", format, out)
		}
	}
	_, err := NewKeyring("concern", append(keyA, 0x55))
	if err == nil || strings.Contains(err.Error(), hex.EncodeToString(keyA)) {
		t.Errorf("error %v", err)
	}
}

func TestNewKey(t *testing.T) {
	a, b := NewKey(), NewKey()
	if len(a) != KeySize || bytes.Equal(a, b) {
		t.Fatalf("NewKey = %x, %x", a, b)
	}
	if _, err := NewKeyring("concern", a); err != nil {
		t.Fatal(err)
	}
}
