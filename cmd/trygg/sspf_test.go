package main

import (
	"errors"
	"strings"
	"testing"
)

func TestSSPFPurge(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	r := mustRun(t, e, "", "sspf", "purge", "--dry-run")
	if !strings.Contains(r.stdout, "0 SSPF-ärenden skulle gallras") {
		t.Fatalf("dry run said %q", r.stdout)
	}
	var ue *usageError
	if r := runCLI(t, e, "", "sspf", "purge", "--months", "0"); !errors.As(r.err, &ue) {
		t.Fatalf("a bad period: %v", r.err)
	}
	mustRun(t, e, "", "sspf", "purge", "--months", "24")
}
