package remind

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
)

// SMTP sends e-mail through a relay with the standard library's
// net/smtp: plain SMTP, upgraded with STARTTLS when the relay offers it,
// without authentication (a relay that accepts the application's host).
type SMTP struct {
	Addr string // host:port of the relay
	From string // the sender address
	Now  trygg.Clock
}

// smtpTimeout bounds one message, from the dial to QUIT, so that a relay
// that hangs cannot hold the job (or a shutdown) for long.
const smtpTimeout = time.Minute

// Send sends one message.
func (m *SMTP) Send(ctx context.Context, to trygg.Recipient, subject, body string) error {
	msg, err := Message(m.From, to, subject, body, m.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	conn, err := new(net.Dialer).DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
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
func Message(from string, to trygg.Recipient, subject, body string, now time.Time) ([]byte, error) {
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
