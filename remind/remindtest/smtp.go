// Package remindtest gives tests an SMTP server inside the test process,
// speaking enough of the protocol for net/smtp, that keeps every message
// it accepts.
package remindtest

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"testing"
)

// Mail is one accepted message, decoded.
type Mail struct {
	To      string // the envelope recipients, comma-separated
	Subject string
	Body    string // with CRLF turned into LF
	Header  mail.Header
}

// Server is the SMTP server.
type Server struct {
	ln    net.Listener
	mails chan Mail
}

// Start listens on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, mails: make(chan Mail, 1000)}
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

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

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

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 remindtest ESMTP")
	var to []string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			tp.PrintfLine("250-remindtest")
			tp.PrintfLine("250 8BITMIME")
		case "HELO", "NOOP", "MAIL", "RSET":
			to = nil
			tp.PrintfLine("250 OK")
		case "RCPT":
			if i, j := strings.Index(arg, "<"), strings.LastIndex(arg, ">"); i >= 0 && j > i {
				to = append(to, arg[i+1:j])
			}
			tp.PrintfLine("250 OK")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mails <- decode(to, data)
			tp.PrintfLine("250 OK")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
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
