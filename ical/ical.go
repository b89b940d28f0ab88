// Package ical writes iCalendar files (RFC 5545) of all-day events, for the
// organisations' calendar feeds of their actions' deadlines. It writes
// only what Trygg needs, and writes it strictly: CRLF line ends, long lines
// folded at 75 octets without splitting a UTF-8 character, and text values
// escaped.
package ical

import (
	"bufio"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Calendar is one VCALENDAR.
type Calendar struct {
	ProdID string // e.g. "-//Trygg//Åtgärder//SV"
	Name   string // shown by calendar programs (X-WR-CALNAME)
	Events []Event
}

// Event is one VEVENT: all day on Date, or from Start to End when Start
// is set.
type Event struct {
	UID         string    // globally unique and stable, e.g. "atgard-12@trygg"
	Stamp       time.Time // when the event last changed (DTSTAMP), in UTC
	Date        time.Time // the day; only its year, month and day are used
	Start, End  time.Time // a timed event (a night walk), written in UTC
	Summary     string
	Description string
	URL         string
	Cancelled   bool // STATUS:CANCELLED instead of CONFIRMED
}

// maxLine is the longest line in octets, not counting CRLF (RFC 5545, 3.1).
const maxLine = 75

// Write writes the calendar.
func Write(w io.Writer, c Calendar) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", Text(c.ProdID))
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", Text(c.Name))
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", Text(e.UID))
		line("DTSTAMP", e.Stamp.UTC().Format("20060102T150405Z"))
		if !e.Start.IsZero() {
			line("DTSTART", e.Start.UTC().Format("20060102T150405Z"))
			line("DTEND", e.End.UTC().Format("20060102T150405Z"))
		} else {
			y, m, d := e.Date.Date()
			day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			line("DTSTART;VALUE=DATE", day.Format("20060102"))
			line("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format("20060102"))
		}
		line("SUMMARY", Text(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", Text(e.Description))
		}
		if e.URL != "" {
			line("URL;VALUE=URI", strings.Map(dropControl, e.URL))
		}
		status := "CONFIRMED"
		if e.Cancelled {
			status = "CANCELLED"
		}
		line("STATUS", status)
		line("TRANSP", "TRANSPARENT")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// Text escapes a TEXT value: backslash, semicolon and comma get a
// backslash, a line break becomes \n, and other control characters go.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			if dropControl(r) >= 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// dropControl removes control characters other than tab (RFC 5545 allows
// none in values).
func dropControl(r rune) rune {
	if (r < 0x20 && r != '\t') || r == 0x7f {
		return -1
	}
	return r
}

// writeFolded writes a content line, folding it so that no line is longer
// than maxLine octets: each continuation starts with one space, and a
// UTF-8 character is never split.
func writeFolded(w *bufio.Writer, s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
