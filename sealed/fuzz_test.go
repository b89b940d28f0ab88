package sealed

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseKey: any text either is a key of KeySize bytes or is refused
// with the one fixed error, which cannot repeat it.
func FuzzParseKey(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			if err != errKeyFormat {
				t.Fatalf("error %v, want the fixed one", err)
			}
			return
		}
		if len(k) != KeySize {
			t.Fatalf("ParseKey(%q) = %d bytes", s, len(k))
		}
	})
}

// FuzzOpen: opening any text for any record never panics, and either
// fails with ErrUnreadable or is a value this keyring sealed for it.
func FuzzOpen(f *testing.F) {
	r := mustKeyring(f, "concern", keyA, keyB)
	f.Add(r.Seal([]byte("hemligt"), "ref1"), "ref1")
	f.Add("ke69cbaaa:SBARhd3jyQfTglvmWtaK79UtWiSqqFCiurwK7BiCH6DP6IICdAao7R+BosPWe4TLH/e3XrPVWw", "abcdefghijklmnop")
	f.Fuzz(func(t *testing.T, value, record string) {
		plain, err := r.Open(value, record)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Open: %v, want ErrUnreadable", err)
			}
			return
		}
		// Whatever opens, reseals and opens again to the same text.
		again, err := r.Open(r.Seal(plain, record), record)
		if err != nil || string(again) != string(plain) {
			t.Fatalf("reseal: %q, %v", again, err)
		}
	})
}
