// Package remindtest gives tests an SMTP server inside the test process,
// speaking enough of the protocol for net/smtp, that keeps every message
// it accepts. It can offer STARTTLS or speak TLS from the start, require
// AUTH PLAIN, and refuse connections for a while.
package remindtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Mail is one accepted message, decoded.
type Mail struct {
	To      string // the envelope recipients, comma-separated
	Subject string
	Body    string // with CRLF turned into LF
	Header  mail.Header
	TLS     bool   // whether it came over TLS
	User    string // who signed in with AUTH PLAIN, if anyone
}

// Options configure the server.
type Options struct {
	// TLS, with a certificate (see SelfSigned), makes the server offer
	// STARTTLS, or with Implicit speak TLS from the first byte.
	TLS      *tls.Config
	Implicit bool
	// User and Password, when set, are the only login, which the server
	// then requires before MAIL; it offers AUTH PLAIN only over TLS.
	User, Password string
}

// Server is the SMTP server.
type Server struct {
	ln      net.Listener
	opts    Options
	mails   chan Mail
	refused atomic.Bool
}

// Start listens on a free loopback port until the test ends, with no
// TLS and no login.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith is Start with options.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, opts: o, mails: make(chan Mail, 1000)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// SelfSigned returns the TLS configuration of a server with a new
// self-signed certificate for 127.0.0.1, and the pool that trusts it,
// for the client.
func SelfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "remindtest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}, pool
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Refuse makes the server answer each new connection "421" and close it,
// as a relay that is down for maintenance, until Refuse(false).
func (s *Server) Refuse(refuse bool) { s.refused.Store(refuse) }

// Take returns the messages accepted so far and forgets them. A message
// is accepted before the server answers the end of its DATA, so after
// net/smtp.SendMail returns it is here.
func (s *Server) Take() []Mail {
	var out []Mail
	for {
		select {
		case m := <-s.mails:
			out = append(out, m)
		default:
			return out
		}
	}
}

// Next waits for the next message, until ctx ends.
func (s *Server) Next(ctx context.Context) (Mail, error) {
	select {
	case m := <-s.mails:
		return m, nil
	case <-ctx.Done():
		return Mail{}, ctx.Err()
	}
}

// session is one connection's state.
type session struct {
	conn net.Conn
	tp   *textproto.Conn
	tls  bool
	user string
	to   []string
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	if s.refused.Load() {
		textproto.NewConn(c).PrintfLine("421 remindtest is unavailable")
		return
	}
	ss := &session{conn: c}
	if s.opts.Implicit {
		ss.conn, ss.tls = tls.Server(c, s.opts.TLS), true
	}
	ss.tp = textproto.NewConn(ss.conn)
	ss.tp.PrintfLine("220 remindtest ESMTP")
	for {
		line, err := ss.tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if !s.command(ss, strings.ToUpper(verb), arg) {
			return
		}
	}
}

// command answers one command and reports whether the session goes on.
func (s *Server) command(ss *session, verb, arg string) bool {
	tp := ss.tp
	switch verb {
	case "EHLO":
		tp.PrintfLine("250-remindtest")
		if s.opts.TLS != nil && !ss.tls {
			tp.PrintfLine("250-STARTTLS")
		}
		if s.opts.User != "" && ss.tls {
			tp.PrintfLine("250-AUTH PLAIN")
		}
		tp.PrintfLine("250 8BITMIME")
	case "STARTTLS":
		if s.opts.TLS == nil || ss.tls {
			tp.PrintfLine("502 not implemented")
			break
		}
		tp.PrintfLine("220 go ahead")
		ss.conn, ss.tls = tls.Server(ss.conn, s.opts.TLS), true
		ss.tp, ss.user, ss.to = textproto.NewConn(ss.conn), "", nil
	case "AUTH":
		mech, resp, _ := strings.Cut(arg, " ")
		creds, _ := base64.StdEncoding.DecodeString(resp)
		switch {
		case !ss.tls || s.opts.User == "" || !strings.EqualFold(mech, "PLAIN"):
			tp.PrintfLine("504 unrecognized authentication type")
		case bytes.Equal(creds, []byte("\x00"+s.opts.User+"\x00"+s.opts.Password)):
			ss.user = s.opts.User
			tp.PrintfLine("235 authenticated")
		default:
			tp.PrintfLine("535 authentication credentials invalid")
		}
	case "MAIL":
		if s.opts.User != "" && ss.user == "" {
			tp.PrintfLine("530 authentication required")
			break
		}
		ss.to = nil
		tp.PrintfLine("250 OK")
	case "HELO", "NOOP", "RSET":
		ss.to = nil
		tp.PrintfLine("250 OK")
	case "RCPT":
		if i, j := strings.Index(arg, "<"), strings.LastIndex(arg, ">"); i >= 0 && j > i {
			ss.to = append(ss.to, arg[i+1:j])
		}
		tp.PrintfLine("250 OK")
	case "DATA":
		tp.PrintfLine("354 go ahead")
		data, err := tp.ReadDotBytes()
		if err != nil {
			return false
		}
		m := decode(ss.to, data)
		m.TLS, m.User = ss.tls, ss.user
		s.mails <- m
		tp.PrintfLine("250 OK")
	case "QUIT":
		tp.PrintfLine("221 bye")
		return false
	default:
		tp.PrintfLine("502 not implemented")
	}
	return true
}

// decode parses a message; what does not parse stays empty, for the test
// to notice.
func decode(to []string, data []byte) Mail {
	m := Mail{To: strings.Join(to, ",")}
	msg, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		return m
	}
	m.Header = msg.Header
	m.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	return m
}
