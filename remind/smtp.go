package remind

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

// TLSMode is how SMTP protects the connection to the relay.
type TLSMode string

const (
	// StartTLS upgrades a plain connection with STARTTLS when the relay
	// offers it; the default.
	StartTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte, as on port 465.
	ImplicitTLS TLSMode = "implicit"
	// NoTLS never uses TLS, for a relay on the same host or network.
	NoTLS TLSMode = "none"
)

// ParseTLSMode reads a TLSMode by its name.
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(s); m {
	case StartTLS, ImplicitTLS, NoTLS:
		return m, nil
	}
	return "", fmt.Errorf("unknown SMTP TLS mode %q: choose %s, %s or %s", s, StartTLS, ImplicitTLS, NoTLS)
}

// errAuthNeedsTLS refuses to send a password over a plain connection.
var errAuthNeedsTLS = errors.New("the relay offers no TLS, and the SMTP password is sent only over TLS")

// SMTP sends e-mail through a relay with the standard library's
// net/smtp: over TLS as TLS says, and with AUTH PLAIN, only ever over
// TLS, when User is set (otherwise a relay that accepts the application's
// host).
type SMTP struct {
	Addr     string  // host:port of the relay
	From     string  // the sender address
	TLS      TLSMode // "" is StartTLS
	User     string  // with Password, the login; "" for none
	Password string
	RootCAs  *x509.CertPool // the authorities to trust for the relay's certificate; nil: the system's
	Now      trygg.Clock
}

// smtpTimeout bounds one message, from the dial to QUIT, so that a relay
// that hangs cannot hold the job (or a shutdown) for long.
const smtpTimeout = time.Minute

// Send sends one message.
func (m *SMTP) Send(ctx context.Context, to samverkan.Recipient, subject, body string) error {
	msg, err := Message(m.From, to, subject, body, m.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	host, _, _ := net.SplitHostPort(m.Addr)
	tlsConfig := &tls.Config{ServerName: host, RootCAs: m.RootCAs}
	var conn net.Conn
	if m.TLS == ImplicitTLS {
		conn, err = (&tls.Dialer{Config: tlsConfig}).DialContext(ctx, "tcp", m.Addr)
	} else {
		conn, err = new(net.Dialer).DialContext(ctx, "tcp", m.Addr)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && (m.TLS == "" || m.TLS == StartTLS) {
		if err := c.StartTLS(tlsConfig); err != nil {
			return err
		}
	}
	if m.User != "" {
		if _, ok := c.TLSConnectionState(); !ok {
			return errAuthNeedsTLS
		}
		if err := c.Auth(smtp.PlainAuth("", m.User, m.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	if err := c.Rcpt(to.Email); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Message formats a plain-text UTF-8 e-mail: the subject and the name
// encoded as RFC 2047 words, the body quoted-printable, lines ending in
// CRLF.
func Message(from string, to samverkan.Recipient, subject, body string, now time.Time) ([]byte, error) {
	id := make([]byte, 12)
	rand.Read(id)
	domain := "trygg"
	if _, d, ok := strings.Cut(from, "@"); ok {
		domain = d
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", (&mail.Address{Name: "Trygg", Address: from}).String())
	header("To", (&mail.Address{Name: to.Name, Address: to.Email}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
