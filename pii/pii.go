// Package pii finds personal data in free text: Swedish personal identity
// and coordination numbers, phone numbers and e-mail addresses.
//
// The detector is a hand-written scanner rather than a set of regular
// expressions: it runs on every report, so it must be linear in the length of
// the text, and the number rules (word boundaries, date and Luhn checks, what
// may stand before a phone number) are easier to state as code.
//
// It leans towards letting harmless numbers through: a ten-digit number that
// fails the Luhn check or is not a date is not a personnummer (it may be an
// order number), and dates, times, years, ranges and short service numbers
// such as 112 and 114 14 are not phone numbers.
package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the kind of personal data found.
type Kind int

const (
	Personnummer Kind = iota + 1
	Samordningsnummer
	Phone
	Email
)

// Label returns a Swedish phrase for the kind, for use in a sentence:
// "Beskrivningen verkar innehålla <label>".
func (k Kind) Label() string {
	switch k {
	case Personnummer:
		return "ett personnummer"
	case Samordningsnummer:
		return "ett samordningsnummer"
	case Phone:
		return "ett telefonnummer"
	case Email:
		return "en e-postadress"
	}
	return "personuppgifter"
}

// Finding is one piece of personal data in a text.
type Finding struct {
	Kind       Kind
	Start, End int // byte offsets in the text
}

// Find returns the first personal data in text (the one with the lowest
// Start), or nil. It accepts any bytes, valid UTF-8 or not, and never panics.
// When an e-mail address and a number start at the same byte, the e-mail
// address wins, since the number is part of it.
func Find(text string) *Finding {
	num := findNumber(text)
	if mail := findEmail(text); mail != nil && (num == nil || mail.Start <= num.Start) {
		return mail
	}
	return num
}

// findNumber returns the first personnummer, samordningsnummer or phone
// number. A number starts where no digit stands immediately before it, so a
// match is never the tail of a longer run of digits.
func findNumber(s string) *Finding {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '+' && c != '(' {
			continue
		}
		if i > 0 && isDigit(s[i-1]) {
			continue
		}
		if isDigit(c) {
			if end, kind := personnummerAt(s, i); end > 0 {
				return &Finding{Kind: kind, Start: i, End: end}
			}
		}
		if end := phoneAt(s, i); end > 0 {
			return &Finding{Kind: Phone, Start: i, End: end}
		}
	}
	return nil
}

// personnummerAt checks for a personal identity or coordination number
// starting at s[i], in any of the forms YYMMDD-NNNC, YYMMDD+NNNC,
// YYMMDD NNNC, YYMMDDNNNC, YYYYMMDD-NNNC, YYYYMMDD NNNC and YYYYMMDDNNNC.
// It returns the end offset and kind, or 0.
func personnummerAt(s string, i int) (int, Kind) {
	const maxRun = 13 // longer than any form: a longer run is not a match
	var digits [12]byte
	n := digitRun(s, i, maxRun)
	end := i + n
	switch n {
	case 10, 12:
		copy(digits[:], s[i:end])
	case 6, 8:
		if end >= len(s) || (s[end] != '-' && s[end] != '+' && s[end] != ' ') {
			return 0, 0
		}
		if digitRun(s, end+1, 5) != 4 {
			return 0, 0
		}
		copy(digits[:], s[i:end])
		copy(digits[n:], s[end+1:end+5])
		n += 4
		end += 5
	default:
		return 0, 0
	}
	century := -1
	d := digits[:n]
	if n == 12 {
		century = num2(d[0], d[1])
		if century < 18 || century > 20 {
			return 0, 0
		}
		d = d[2:]
	}
	kind, ok := validDate(century, num2(d[0], d[1]), num2(d[2], d[3]), num2(d[4], d[5]))
	if !ok || !luhn(d) {
		return 0, 0
	}
	return end, kind
}

// validDate checks the birth date of a personnummer. The day of a
// samordningsnummer is the real day plus 60. century is -1 when the number
// has no century; then 29 February is allowed in every year divisible by
// four, since either century could be meant.
func validDate(century, yy, mm, dd int) (Kind, bool) {
	kind := Personnummer
	if dd > 60 {
		kind = Samordningsnummer
		dd -= 60
	}
	if mm < 1 || mm > 12 || dd < 1 {
		return 0, false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mm]
	if mm == 2 {
		leap := yy%4 == 0
		if century >= 0 {
			year := century*100 + yy
			leap = year%4 == 0 && (year%100 != 0 || year%400 == 0)
		}
		if leap {
			days = 29
		}
	}
	return kind, dd <= days
}

// luhn checks the Luhn check digit over the ten digits YYMMDDNNNC.
func luhn(d []byte) bool {
	sum := 0
	for k, c := range d {
		v := int(c - '0')
		if k%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// Phone numbers: the national number (after the trunk 0, or after +46 or
// 0046) has this many digits. Swedish numbers have 7 to 9; 112 and 114 14
// are shorter and are not personal.
const (
	minPhoneDigits = 7
	maxPhoneDigits = 9
	// maxAreaDigits is the longest area code without its 0 (e.g. 910 in
	// 0910); a first group that is longer must be the whole number
	// (0701234567), which keeps lists of numbers from joining into one.
	maxAreaDigits = 3
)

// phoneAt checks for a Swedish phone number starting at s[i]: 070-123 45 67,
// 0701234567, 08-123 456 78, (08) 123 45 67, +46 70 123 45 67,
// +46 (0)70-123 45 67 or 0046 70 123 45 67. Digit groups are separated by
// spaces or hyphens. It returns the end offset of the longest match, or 0.
func phoneAt(s string, i int) int {
	var j int
	paren, international := false, false
	switch {
	case strings.HasPrefix(s[i:], "+46"):
		international = true
		j = skipSeparators(s, i+3)
	case strings.HasPrefix(s[i:], "0046"):
		if joinedToEarlierNumber(s, i) {
			return 0
		}
		international = true
		j = skipSeparators(s, i+4)
	case strings.HasPrefix(s[i:], "(0") && i+2 < len(s) && isNonZeroDigit(s[i+2]):
		if joinedToEarlierNumber(s, i) {
			return 0
		}
		paren = true
		j = i + 2
	case s[i] == '0' && i+1 < len(s) && isNonZeroDigit(s[i+1]):
		if joinedToEarlierNumber(s, i) {
			return 0
		}
		j = i + 1
	default:
		return 0
	}
	if international {
		// International form: the trunk 0 may be written as (0) or left in.
		if strings.HasPrefix(s[j:], "(0)") {
			j = skipSeparators(s, j+3)
		}
		if j+1 < len(s) && s[j] == '0' && isNonZeroDigit(s[j+1]) {
			j++
		}
		if j >= len(s) || !isNonZeroDigit(s[j]) {
			return 0
		}
	}
	best, count := 0, 0
	for group := 0; ; group++ {
		n := digitRun(s, j, maxPhoneDigits+1)
		if n == 0 {
			break
		}
		count += n
		j += n
		if count > maxPhoneDigits {
			break
		}
		if count >= minPhoneDigits && !paren {
			best = j
		}
		if group == 0 && n > maxAreaDigits {
			break
		}
		k := j
		if paren {
			if k >= len(s) || s[k] != ')' {
				break
			}
			k++
			paren = false
		}
		k = skipSeparators(s, k)
		if k == j {
			break
		}
		j = k
	}
	return best
}

// joinedToEarlierNumber reports whether s[i] continues a number through a
// date or time separator, as the 05 in 2024-05-17 or 08 in 12:08 does.
func joinedToEarlierNumber(s string, i int) bool {
	if i < 2 || !isDigit(s[i-2]) {
		return false
	}
	switch s[i-1] {
	case '-', '.', ':', '/', ',':
		return true
	}
	return false
}

// skipSeparators skips up to three spaces or hyphens ("070 - 123 45 67").
func skipSeparators(s string, j int) int {
	for k := 0; k < 3 && j < len(s) && (s[j] == ' ' || s[j] == '-'); k++ {
		j++
	}
	return j
}

// findEmail returns the first e-mail address: a local part of letters,
// digits and ._%+- and a domain of at least two labels whose last label (the
// top-level domain) is at least two letters or an xn-- label.
func findEmail(s string) *Finding {
	from := 0
	for {
		k := strings.IndexByte(s[from:], '@')
		if k < 0 {
			return nil
		}
		at := from + k
		from = at + 1
		start := at
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if !isLocalRune(r) {
				break
			}
			start -= size
		}
		for start < at && s[start] == '.' {
			start++
		}
		if start == at {
			continue
		}
		if end := domainEnd(s, at+1); end > 0 {
			return &Finding{Kind: Email, Start: start, End: end}
		}
	}
}

// domainEnd returns the end of the longest valid domain starting at s[j],
// or 0.
func domainEnd(s string, j int) int {
	best, labels := 0, 0
	for {
		labelStart := j
		letters := true
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == '-' || isASCIIDigit(r) {
				letters = false
			} else if !isLetter(r) {
				break
			}
			j += size
		}
		if j == labelStart {
			return best
		}
		labels++
		label := s[labelStart:j]
		if labels >= 2 && (letters && utf8.RuneCountInString(label) >= 2 || isPunycodeLabel(label)) {
			best = j
		}
		if j+1 >= len(s) || s[j] != '.' {
			return best
		}
		j++
	}
}

func isPunycodeLabel(label string) bool {
	return len(label) > 4 && strings.EqualFold(label[:4], "xn--")
}

func isLocalRune(r rune) bool {
	switch r {
	case '.', '_', '%', '+', '-':
		return true
	}
	return isLetter(r) || isASCIIDigit(r) || (r >= utf8.RuneSelf && unicode.IsDigit(r))
}

// isLetter accepts ASCII letters and, for internationalised addresses, any
// Unicode letter. Invalid UTF-8 decodes to RuneError, which is no letter.
func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isNonZeroDigit(c byte) bool { return '1' <= c && c <= '9' }

func num2(a, b byte) int { return int(a-'0')*10 + int(b-'0') }

// digitRun counts the ASCII digits starting at s[i], stopping at max.
func digitRun(s string, i, max int) int {
	n := 0
	for i+n < len(s) && n < max && isDigit(s[i+n]) {
		n++
	}
	return n
}
