package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/remind/remindtest"
)

// TestServeSendsReminders: serve with --smtp-addr sends the samordnare's
// weekly digest on a Monday morning (the program's clock is fixed) to the
// relay, and stops cleanly.
func TestServeSendsReminders(t *testing.T) {
	e, _ := newEnv(t)
	withOrgAndUsers(t, e)
	relay := remindtest.Start(t)
	monday := time.Date(2025, 3, 17, 9, 0, 0, 0, trygg.Stockholm)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--smtp-addr", relay.Addr(), "--smtp-from", "trygg@kommun.example",
			"--public-url", "https://trygg.example"}, e.get,
			host{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Now: func() time.Time { return monday }})
	}()
	wait, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	m, err := relay.Next(wait)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", describe(err))
	}
	if err != nil {
		t.Fatalf("no e-mail arrived: %v", err)
	}
	if m.To != "sam@example.se" || m.Subject != "Veckosammanfattning vecka 12 2025: 0 försenade, 0 inom 7 dagar" ||
		!strings.Contains(m.Body, "Hej Sam Samordnare!") {
		t.Errorf("mail to %q, subject %q:\n%s", m.To, m.Subject, m.Body)
	}
}

func TestServeSMTPNeedsSender(t *testing.T) {
	e, _ := newEnv(t)
	r := runCLI(t, e, "", "serve", "--smtp-addr", "127.0.0.1:25")
	if r.err == nil || exitCode(r.err) != 2 || !strings.Contains(r.err.Error(), "--smtp-from") {
		t.Errorf("serve --smtp-addr without --smtp-from: %v", r.err)
	}
}
