package main

import (
	"context"
	"io"
	"slices"
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
	t.Parallel()
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

// TestServeSMTPFlags: serve refuses e-mail settings that would send
// mails without a sender or with relative links, or a password in clear,
// before it opens anything.
func TestServeSMTPFlags(t *testing.T) {
	t.Parallel()
	relay := []string{"serve", "--smtp-addr", "127.0.0.1:25"}
	from := slices.Concat(relay, []string{"--smtp-from", "trygg@kommun.example"})
	full := slices.Concat(from, []string{"--public-url", "https://trygg.example"})
	tests := []struct {
		name     string
		args     []string
		password string // TRYGG_SMTP_PASSWORD
		want     string
	}{
		{"no sender", relay, "", "--smtp-from"},
		{"no public URL", from, "", "--public-url"},
		{"a relative public URL", slices.Concat(from, []string{"--public-url", "trygg.example"}), "", "--public-url"},
		{"an unknown TLS mode", slices.Concat(full, []string{"--smtp-tls", "ssl"}), "", "--smtp-tls"},
		{"a user without a password", slices.Concat(full, []string{"--smtp-user", "trygg"}), "", "--smtp-password"},
		{"a password without a user", full, "hemligt", "--smtp-user"},
		{"a password without TLS", slices.Concat(full, []string{"--smtp-user", "trygg", "--smtp-tls", "none"}), "hemligt", "kräver TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newEnv(t)
			if tt.password != "" {
				e["TRYGG_SMTP_PASSWORD"] = tt.password
			}
			r := runCLI(t, e, "", tt.args...)
			if r.err == nil || exitCode(r.err) != 2 || !strings.Contains(r.err.Error(), tt.want) {
				t.Errorf("serve %q: %v; want a usage error about %s", tt.args, r.err, tt.want)
			}
		})
	}
}
