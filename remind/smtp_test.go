package remind_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/remind"
	"github.com/trygg-est/trygg/remind/remindtest"
	"github.com/trygg-est/trygg/samverkan"
)

// TestSMTP sends one mail to relays that offer STARTTLS, speak TLS from
// the start, require a login, or none of these: the mail arrives over TLS
// and signed in where it should, and the password never goes over a
// plain connection or to a relay whose certificate is not trusted.
func TestSMTP(t *testing.T) {
	serverTLS, roots := remindtest.SelfSigned(t)
	const user, password = "trygg", "hemligt lösenord"
	tests := []struct {
		name     string
		server   remindtest.Options
		client   remind.SMTP
		wantTLS  bool
		wantUser string
		wantErr  string // "" for none
	}{
		{"plain relay", remindtest.Options{}, remind.SMTP{}, false, "", ""},
		{"STARTTLS when offered", remindtest.Options{TLS: serverTLS}, remind.SMTP{RootCAs: roots}, true, "", ""},
		{"no TLS even when offered", remindtest.Options{TLS: serverTLS}, remind.SMTP{TLS: remind.NoTLS}, false, "", ""},
		{"STARTTLS and AUTH PLAIN", remindtest.Options{TLS: serverTLS, User: user, Password: password},
			remind.SMTP{TLS: remind.StartTLS, User: user, Password: password, RootCAs: roots}, true, user, ""},
		{"implicit TLS and AUTH PLAIN", remindtest.Options{TLS: serverTLS, Implicit: true, User: user, Password: password},
			remind.SMTP{TLS: remind.ImplicitTLS, User: user, Password: password, RootCAs: roots}, true, user, ""},
		{"wrong password", remindtest.Options{TLS: serverTLS, Implicit: true, User: user, Password: password},
			remind.SMTP{TLS: remind.ImplicitTLS, User: user, Password: "fel", RootCAs: roots}, false, "", "535"},
		{"no login when required", remindtest.Options{TLS: serverTLS, User: user, Password: password},
			remind.SMTP{RootCAs: roots}, false, "", "530"},
		{"no password without TLS", remindtest.Options{User: user, Password: password},
			remind.SMTP{User: user, Password: password}, false, "", "only over TLS"},
		{"no password when TLS is turned off", remindtest.Options{TLS: serverTLS, User: user, Password: password},
			remind.SMTP{TLS: remind.NoTLS, User: user, Password: password, RootCAs: roots}, false, "", "only over TLS"},
		{"an untrusted certificate", remindtest.Options{TLS: serverTLS, Implicit: true},
			remind.SMTP{TLS: remind.ImplicitTLS}, false, "", "certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := remindtest.StartWith(t, tt.server)
			client := tt.client
			client.Addr, client.From = server.Addr(), "trygg@kommun.test"
			client.Now = func() time.Time { return time.Date(2025, 3, 17, 8, 30, 0, 0, trygg.Stockholm) }
			err := client.Send(context.Background(), samverkan.Recipient{Name: "Lars Lärare", Email: "larare@skolan.test"}, "Ämne", "Hej!")
			got := server.Take()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Send = %v, want an error with %q", err, tt.wantErr)
				}
				if len(got) != 0 {
					t.Errorf("the relay accepted %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].To != "larare@skolan.test" || got[0].Subject != "Ämne" || got[0].TLS != tt.wantTLS || got[0].User != tt.wantUser {
				t.Errorf("the relay received %+v; want TLS %v, user %q", got, tt.wantTLS, tt.wantUser)
			}
		})
	}
}

func TestParseTLSMode(t *testing.T) {
	for _, s := range []string{"starttls", "implicit", "none"} {
		if m, err := remind.ParseTLSMode(s); err != nil || string(m) != s {
			t.Errorf("ParseTLSMode(%q) = %q, %v", s, m, err)
		}
	}
	if _, err := remind.ParseTLSMode("ssl"); err == nil {
		t.Error("ParseTLSMode(ssl) gave no error")
	}
}
