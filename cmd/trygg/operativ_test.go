package main

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestServicesReceiver(t *testing.T) {
	t.Parallel()
	e, _ := newEnv(t)
	mustRun(t, e, "", "migrate")
	mustRun(t, e, "", "org", "add", "--code", "kast-umea", "--name", "KAST Umeå", "--type", "kommun")

	list := mustRun(t, e, "", "services", "list").lines()
	if len(list) == 0 {
		t.Fatalf("services list printed nothing")
	}
	var kast string
	for _, l := range list {
		if strings.HasPrefix(l, "kast\t") {
			kast = l
		}
	}
	if kast == "" || !strings.HasPrefix(kast, "kast\t-\t") {
		t.Fatalf("kast before a receiver is named: %q in %q", kast, list)
	}

	r := mustRun(t, e, "", "services", "receiver", "--service", "kast", "--org", "kast-umea")
	if !strings.Contains(r.stdout, "Organisationen kast-umea tar emot remisser till kast.") {
		t.Errorf("stdout = %q", r.stdout)
	}
	if got := mustRun(t, e, "", "services", "list").stdout; !strings.Contains(got, "kast\tkast-umea\t") {
		t.Errorf("after naming the receiver: %q", got)
	}

	tests := []struct {
		name string
		args []string
		code string
		want string
	}{
		{"unknown service", []string{"--service", "saknas", "--org", "kast-umea"}, trygg.ENOTFOUND, `Det finns ingen tjänst med koden "saknas"`},
		{"unknown organisation", []string{"--service", "kast", "--org", "saknas"}, trygg.EINVALID, "saknas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, e, "", append([]string{"services", "receiver"}, tt.args...)...)
			if trygg.ErrorCode(r.err) != tt.code || !strings.Contains(describe(r.err), tt.want) {
				t.Errorf("error = %v (%s), want %s containing %q", r.err, describe(r.err), tt.code, tt.want)
			}
		})
	}
	if r := runCLI(t, e, "", "services", "receiver", "--org", "kast-umea"); r.err == nil {
		t.Error("a receiver without --service was accepted")
	}

	mustRun(t, e, "", "services", "receiver", "--service", "kast", "--org", "")
	if got := mustRun(t, e, "", "services", "list").stdout; !strings.Contains(got, "kast\t-\t") {
		t.Errorf("after clearing the receiver: %q", got)
	}
}
