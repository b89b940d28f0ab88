package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/sqldb"
)

// TestConcernsRekey registers a report under one key, re-encrypts the
// register with `trygg concerns rekey`, and reads it with the new key
// alone.
func TestConcernsRekey(t *testing.T) {
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
		k, err := sqldb.ParseConcernKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetConcernKey(k); err != nil {
			t.Fatal(err)
		}
		users, err := sqldb.NewUserService(db).FindUsers(trygg.NewOperatorContext(t.Context()), trygg.UserFilter{})
		if err != nil || len(users) != 1 {
			t.Fatalf("users %v %v", users, err)
		}
		return db, trygg.NewContextWithUser(t.Context(), users[0])
	}
	db, ctx := open(oldKey)
	c, err := sqldb.NewConcernService(db).CreateConcern(ctx, trygg.ConcernInput{ReceivedAt: testNow.Add(-time.Hour),
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
	if !strings.HasPrefix(r.stdout, "1 orosanmälningar") {
		t.Fatalf("rekey said %q", r.stdout)
	}
	db, ctx = open(strings.Repeat("22", 32))
	got, err := sqldb.NewConcernService(db).FindConcern(ctx, c.Ref, "")
	if err != nil || got.ChildName != "Testbarn" {
		t.Fatalf("read with the new key: %v %v", got, err)
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
