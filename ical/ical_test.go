package ical

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var stamp = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, Calendar{ProdID: "-//Trygg//Åtgärder//SV", Name: "Polisen, åtgärder", Events: []Event{
		{UID: "atgard-1@trygg", Stamp: stamp, Date: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Summary: "Klart: Belysning; tunnel",
			Description: "Rad ett\nRad två, med komma\\snedstreck", URL: "https://trygg.example/atgarder/1"},
		{UID: "atgard-2@trygg", Stamp: stamp, Date: time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), Summary: "Inställd", Cancelled: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Trygg//Åtgärder//SV",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		`X-WR-CALNAME:Polisen\, åtgärder`,
		"BEGIN:VEVENT",
		"UID:atgard-1@trygg",
		"DTSTAMP:20250314T093000Z",
		"DTSTART;VALUE=DATE:20250331",
		"DTEND;VALUE=DATE:20250401",
		`SUMMARY:Klart: Belysning\; tunnel`,
		`DESCRIPTION:Rad ett\nRad två\, med komma\\snedstreck`,
		"URL;VALUE=URI:https://trygg.example/atgarder/1",
		"STATUS:CONFIRMED",
		"TRANSP:TRANSPARENT",
		"END:VEVENT",
		"BEGIN:VEVENT",
		"UID:atgard-2@trygg",
		"DTSTAMP:20250314T093000Z",
		"DTSTART;VALUE=DATE:20251231",
		"DTEND;VALUE=DATE:20260101",
		"SUMMARY:Inställd",
		"STATUS:CANCELLED",
		"TRANSP:TRANSPARENT",
		"END:VEVENT",
		"END:VCALENDAR",
		"",
	}, "\r\n")
	if got := buf.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// unfold joins folded lines (RFC 5545, 3.1).
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

// unescape reverses Text.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkFolded checks every physical line of a written calendar.
func checkFolded(t *testing.T, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatal("no CRLF at the end")
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > maxLine {
			t.Fatalf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line splits a character: %q", l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bare line break in %q", l)
		}
	}
}

// summaryOf writes one event with summary s and returns the SUMMARY value
// read back.
func summaryOf(t *testing.T, s string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, Calendar{ProdID: "p", Events: []Event{{UID: "u", Stamp: stamp, Date: stamp, Summary: s}}}); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(unfold(buf.String())))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSuffix(sc.Text(), "\r"), "SUMMARY:"); ok {
			return buf.String(), unescape(v)
		}
	}
	t.Fatal("no SUMMARY")
	return "", ""
}

func TestFolding(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("a", 200),
		strings.Repeat("å", 100), // two octets each: a fold must not split one
		strings.Repeat("ab€", 60),
		"Kort",
		strings.Repeat("x", 66), // "SUMMARY:" + 66 = 74 octets … and 67 = 75, and 68 = 76
		strings.Repeat("x", 67),
		strings.Repeat("x", 68),
		strings.Repeat("😀;,\\\n", 40),
	} {
		out, back := summaryOf(t, s)
		checkFolded(t, out)
		if back != s {
			t.Errorf("round trip of %q gave %q", s, back)
		}
	}
}

func TestTextDropsControls(t *testing.T) {
	if got := Text("a\x00b\x1bc\td\r\ne\rf\xff"); got != "abc\td\\nef\uFFFD" {
		t.Fatalf("Text = %q", got)
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Klart: Belysning; tunnel, Ålidhem")
	f.Add(strings.Repeat("å€😀", 30))
	f.Fuzz(func(t *testing.T, s string) {
		out, back := summaryOf(t, s)
		checkFolded(t, out)
		want := strings.Map(dropControlKeepNL, strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n"))
		if back != want {
			t.Fatalf("round trip of %q gave %q, want %q", s, back, want)
		}
	})
}

func dropControlKeepNL(r rune) rune {
	if r == '\n' {
		return r
	}
	return dropControl(r)
}

func TestWriteTimedEvent(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip("no time zone data")
	}
	var buf bytes.Buffer
	err = Write(&buf, Calendar{ProdID: "-//Trygg//Nattvandring//SV", Events: []Event{{UID: "nattvandring-1@trygg", Stamp: stamp,
		Start: time.Date(2025, 3, 14, 21, 0, 0, 0, stockholm), End: time.Date(2025, 3, 15, 1, 0, 0, 0, stockholm), Summary: "Nattvandring"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\r\nDTSTART:20250314T200000Z\r\n", "\r\nDTEND:20250315T000000Z\r\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("missing %q in\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "VALUE=DATE") {
		t.Error("a timed event was written as all day")
	}
}
