package pii

import (
	"strings"
	"time"
)

// ParseIdentityNumber reads a personnummer or samordningsnummer that is the
// whole of s (surrounding spaces ignored), in any form Find recognises:
// YYMMDD-NNNC, YYMMDD+NNNC, YYMMDD NNNC, YYMMDDNNNC, YYYYMMDD-NNNC,
// YYYYMMDD NNNC or YYYYMMDDNNNC. It returns the number as the twelve
// digits YYYYMMDDNNNC that are stored, and its kind.
//
// A ten-digit form gets its century from now: the birth year is the latest
// one that is not after now's year, or with "+" (the separator from the
// year the person turns 100) at least 100 years before it. A number whose
// birth year would then lie in the future is refused.
func ParseIdentityNumber(s string, now time.Time) (digits string, kind Kind, ok bool) {
	s = strings.TrimSpace(s)
	end, kind := personnummerAt(s, 0)
	if end == 0 || end != len(s) {
		return "", 0, false
	}
	var b strings.Builder
	plus := false
	for i := 0; i < len(s); i++ {
		switch {
		case isDigit(s[i]):
			b.WriteByte(s[i])
		case s[i] == '+':
			plus = true
		}
	}
	d := b.String()
	if len(d) == 12 {
		if year := num2(d[0], d[1])*100 + num2(d[2], d[3]); year > now.Year() {
			return "", 0, false
		}
		return d, kind, true
	}
	yy := num2(d[0], d[1])
	year := now.Year() - mod100(now.Year()-yy)
	if plus {
		year -= 100
	}
	century := year / 100
	if year < 1800 {
		return "", 0, false
	}
	if _, valid := validDate(century, yy, num2(d[2], d[3]), num2(d[4], d[5])); !valid {
		return "", 0, false // 29 February in a year of that century that is no leap year
	}
	return string([]byte{byte('0' + century/10), byte('0' + century%10)}) + d, kind, true
}

func mod100(n int) int { return ((n % 100) + 100) % 100 }
