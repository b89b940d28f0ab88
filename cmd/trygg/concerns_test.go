package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/concern"
	"github.com/trygg-est/trygg/sealed"
	"github.com/trygg-est/trygg/sqldb"
)

// TestRegistersRekey registers a report under one key, re-encrypts the
// registers with `trygg concerns rekey` (the older name), and reads it
// with the new key alone; then once more with `trygg registers rekey`, from
// that key to a third. The first rekey gives the keys by the flags' older
// names (--concern-…, TRYGG_CONCERN_…), the second by the general ones.
// Each prints a line per register.
func TestRegistersRekey(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	oldKey := strings.Repeat("11", 32)
	newKeyFile := writeFile(t, "ny.key", strings.Repeat("22", 32)+"\n")
	mustRun(t, e, "", "org", "add", "--code", "ifo", "--name", "IFO", "--type", "socialtjanst")
	mustRun(t, e, "ett långt lösenord\n", "user", "add", "--email", "soc@example.se", "--name", "Soc",
		"--org", "ifo", "--role", "socialtjanst", "--password-stdin")

	open := func(key string) (*sqldb.DB, context.Context) {
		db := openTestDB(t, e)
		db.Now = fixedClock
		k, err := sealed.ParseKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetRegisterKey(k); err != nil {
			t.Fatal(err)
		}
		users, err := sqldb.NewUserService(db).FindUsers(trygg.NewOperatorContext(t.Context()), trygg.UserFilter{})
		if err != nil || len(users) != 1 {
			t.Fatalf("users %v %v", users, err)
		}
		return db, trygg.NewContextWithUser(t.Context(), users[0])
	}
	db, ctx := open(oldKey)
	c, err := sqldb.NewConcernService(db).CreateReport(ctx, concern.Input{ReceivedAt: testNow.Add(-time.Hour),
		Channel: "brev", ReporterCategory: "anonym", ChildID: "20121212-1212", ChildName: "Testbarn",
		Categories: []string{"forsummelse"}, Description: "Oro."})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	r := runCLI(t, e, "", "concerns", "rekey", "--concern-key-file", newKeyFile)
	var ue *usageError
	if !errors.As(r.err, &ue) {
		t.Fatalf("rekey without the old key: %v", r.err)
	}
	e["TRYGG_CONCERN_OLD_KEY"] = oldKey
	r = mustRun(t, e, "", "concerns", "rekey", "--concern-key-file", newKeyFile)
	for _, want := range []string{"orosanmälningsregistret: klart, 1 värden", "SSPF-registret: klart, 0 värden",
		"leverantörsregistret: klart, 0 värden", "nattvandrarregistret: klart, 0 värden"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("rekey said %q, want %q", r.stdout, want)
		}
	}
	db, ctx = open(strings.Repeat("22", 32))
	got, err := sqldb.NewConcernService(db).FindReport(ctx, c.Ref, "")
	if err != nil || got.ChildName != "Testbarn" {
		t.Fatalf("read with the new key: %v %v", got, err)
	}
	db.Close()

	delete(e, "TRYGG_CONCERN_OLD_KEY")
	e["TRYGG_REGISTER_OLD_KEY"] = strings.Repeat("22", 32)
	if r := runCLI(t, e, "", "registers", "rekey", "--register-key-file", newKeyFile, "--batch", "0"); !errors.As(r.err, &ue) {
		t.Fatalf("rekey in batches of 0: %v", r.err)
	}
	r = mustRun(t, e, "", "registers", "rekey", "--register-key-file", writeFile(t, "tredje.key", strings.Repeat("33", 32)), "--batch", "1")
	if !strings.Contains(r.stdout, "orosanmälningsregistret: 1 värden hittills\n") || !strings.Contains(r.stdout, "orosanmälningsregistret: klart, 1 värden") {
		t.Fatalf("second rekey said %q", r.stdout)
	}
	db, ctx = open(strings.Repeat("33", 32))
	if got, err := sqldb.NewConcernService(db).FindReport(ctx, c.Ref, ""); err != nil || got.ChildName != "Testbarn" {
		t.Fatalf("read with the third key: %v %v", got, err)
	}
	// The server takes the old key during a rotation, never alone.
	delete(e, "TRYGG_REGISTER_OLD_KEY")
	if r := runCLI(t, e, "", "serve", "--addr", "127.0.0.1:0", "--register-old-key", strings.Repeat("22", 32)); !errors.As(r.err, &ue) {
		t.Fatalf("serve with the old key alone: %v", r.err)
	}
}

// TestRegisterKeyFlags: the key is given by the general flags and
// variables or by their older names, and the command line goes before
// the environment, the general variable before the older one.
func TestRegisterKeyFlags(t *testing.T) {
	fileA := writeFile(t, "a.key", strings.Repeat("aa", 32)+"\n")
	fileB := writeFile(t, "b.key", strings.Repeat("bb", 32)+"\n")
	tests := []struct {
		name string
		args []string
		env  env
		want string // the key's first byte in hex, "" for none
	}{
		{"none", nil, env{}, ""},
		{"flag", []string{"--register-key-file", fileA}, env{}, "aa"},
		{"older flag", []string{"--concern-key-file", fileA}, env{}, "aa"},
		{"variable", nil, env{"TRYGG_REGISTER_KEY_FILE": fileA}, "aa"},
		{"older variable", nil, env{"TRYGG_CONCERN_KEY_FILE": fileA}, "aa"},
		{"key in older variable", nil, env{"TRYGG_CONCERN_KEY": strings.Repeat("bb", 32)}, "bb"},
		{"older flag before variable", []string{"--concern-key-file", fileA}, env{"TRYGG_REGISTER_KEY_FILE": fileB}, "aa"},
		{"flag before older variable", []string{"--register-key-file", fileA}, env{"TRYGG_CONCERN_KEY_FILE": fileB}, "aa"},
		{"variable before older variable", nil, env{"TRYGG_REGISTER_KEY_FILE": fileA, "TRYGG_CONCERN_KEY_FILE": fileB}, "aa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			o := registerKeyFlags(fs, "", "registernyckeln")
			if _, err := parseFlags(fs, tt.args, tt.env.get); err != nil {
				t.Fatal(err)
			}
			k, err := o.read()
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if k != nil {
				got = hex.EncodeToString(k[:1])
			}
			if got != tt.want {
				t.Errorf("key starts %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConcernsPurge(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	r := mustRun(t, e, "", "concerns", "purge", "--dry-run")
	if !strings.Contains(r.stdout, "0 orosanmälningar skulle gallras") {
		t.Fatalf("dry run said %q", r.stdout)
	}
	var ue *usageError
	if r := runCLI(t, e, "", "concerns", "purge", "--rules", "journal=5"); !errors.As(r.err, &ue) {
		t.Fatalf("a bad rule: %v", r.err)
	}
	mustRun(t, e, "", "concerns", "purge", "--rules", "anmalan=5,utredning=undantag")
}

func TestNattvandringPurge(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	r := mustRun(t, e, "", "nattvandring", "purge")
	if !strings.Contains(r.stdout, "0 nattvandrares personuppgifter raderades") {
		t.Fatalf("purge said %q", r.stdout)
	}
}
