package pii_test

import (
	"testing"
	"time"

	"github.com/trygg-est/trygg/pii"
)

func TestParseIdentityNumber(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want string // "" : refused
		kind pii.Kind
	}{
		{"811218-9876", "198112189876", pii.Personnummer},
		{" 8112189876 ", "198112189876", pii.Personnummer},
		{"811218+9876", "188112189876", pii.Personnummer},
		{"19811218-9876", "198112189876", pii.Personnummer},
		{"198112189876", "198112189876", pii.Personnummer},
		{"121212-1212", "201212121212", pii.Personnummer},
		{"701063-2391", "197010632391", pii.Samordningsnummer},
		{"197010632391", "197010632391", pii.Samordningsnummer},
		{"20000229-1235", "200002291235", pii.Personnummer},
		{"811218-9875", "", 0},     // Luhn
		{"811218-98761", "", 0},    // trailing digit
		{"pnr 811218-9876", "", 0}, // not the whole text
		{"", "", 0},
		{"20991212-1212", "", 0}, // born in the future
		{"811318-9876", "", 0},   // month 13
	}
	for _, tt := range tests {
		got, kind, ok := pii.ParseIdentityNumber(tt.in, now)
		if got != tt.want || ok != (tt.want != "") || (ok && kind != tt.kind) {
			t.Errorf("ParseIdentityNumber(%q) = %q, %v, %v; want %q, %v", tt.in, got, kind, ok, tt.want, tt.kind)
		}
	}
}

// FuzzParseIdentityNumber: the parser never panics, what it accepts is
// twelve digits that Find recognises as the same kind, and parsing them
// again gives the same number.
func FuzzParseIdentityNumber(f *testing.F) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, kind, ok := pii.ParseIdentityNumber(s, now)
		if !ok {
			return
		}
		if len(d) != 12 {
			t.Fatalf("%q: got %q, want 12 digits", s, d)
		}
		found := pii.Find(d)
		if found == nil || found.Kind != kind || found.Start != 0 || found.End != 12 {
			t.Fatalf("%q: Find(%q) = %+v, want the whole number as %v", s, d, found, kind)
		}
		again, kind2, ok := pii.ParseIdentityNumber(d, now)
		if !ok || again != d || kind2 != kind {
			t.Fatalf("%q: reparsing %q gave %q, %v, %v", s, d, again, kind2, ok)
		}
	})
}
