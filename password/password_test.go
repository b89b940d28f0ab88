package password

import (
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	encoded, err := HashWith("korrekt häst batteri", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("encoded = %q", encoded)
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"korrekt häst batteri", true},
		{"korrekt häst batteri ", false},
		{"Korrekt häst batteri", false},
		{"", false},
	}
	for _, tt := range tests {
		got, err := Verify(encoded, tt.pw)
		if err != nil || got != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.pw, got, err, tt.want)
		}
	}
}

func TestHashSaltsEachHash(t *testing.T) {
	a, _ := HashWith("samma lösenord", cheap)
	b, _ := HashWith("samma lösenord", cheap)
	if a == b {
		t.Fatal("two hashes of one password are equal")
	}
}

func TestHashRejectsEmpty(t *testing.T) {
	if _, err := HashWith("", cheap); err == nil {
		t.Fatal("empty password was hashed")
	}
}

// TestVerifyReadsParameters checks that a hash made with other parameters
// still verifies, so that the defaults can be raised later.
func TestVerifyReadsParameters(t *testing.T) {
	encoded, err := HashWith("ett lösenord", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Verify(encoded, "ett lösenord"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, _ := HashWith("ett lösenord", cheap)
	parts := strings.Split(good, "$")
	tests := map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzABCDE",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"version":        strings.Replace(good, "v=19", "v=16", 1),
		"version suffix": strings.Replace(good, "v=19", "v=19x", 1),
		"huge memory":    strings.Replace(good, "m=64,", "m=99999999,", 1),
		"zero time":      strings.Replace(good, "t=1,", "t=0,", 1),
		"extra params":   strings.Replace(good, "p=1", "p=1,x=2", 1),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"missing part":   strings.Join(parts[:5], "$"),
		"trailing parts": good + "$x",
	}
	for name, encoded := range tests {
		if ok, err := Verify(encoded, "ett lösenord"); ok || err != ErrMalformed {
			t.Errorf("%s: Verify = %v, %v; want ErrMalformed", name, ok, err)
		}
	}
}
