package leverantor

import (
	"strings"
	"time"
)

// OrgNumber is a Swedish organisation number, or the personnummer that is
// an enskild firma's number: ten digits whose last is the Luhn check digit
// of the nine before.
type OrgNumber struct {
	Digits string // ten digits, no hyphen
	// Personal is true when the number is a personnummer (or
	// samordningsnummer): an enskild firma's, which is personal data.
	Personal bool
}

// String writes the number as "NNNNNN-NNNN".
func (n OrgNumber) String() string {
	if len(n.Digits) != 10 {
		return ""
	}
	return n.Digits[:6] + "-" + n.Digits[6:]
}

// Masked is the number as shown where personal data may not be: a
// personnummer shows its first six digits only.
func (n OrgNumber) Masked() string {
	if n.Personal && len(n.Digits) == 10 {
		return n.Digits[:6] + "-****"
	}
	return n.String()
}

// OrgNumberError is an error of ParseOrgNumber: a Swedish sentence, safe
// to show, that never repeats the number.
type OrgNumberError string

func (e OrgNumberError) Error() string { return string(e) }

// The errors of ParseOrgNumber.
const (
	ErrOrgNumberFormat OrgNumberError = "Organisationsnumret ska ha tio siffror, till exempel 556677-8899."
	ErrOrgNumberCheck  OrgNumberError = "Organisationsnumrets kontrollsiffra stämmer inte."
	ErrOrgNumberKind   OrgNumberError = "Numret är varken ett organisationsnummer eller ett personnummer."
)

// ParseOrgNumber reads an organisation number written with or without the
// hyphen, or with the century or the prefix 16 in front (twelve digits).
// A number whose third and fourth digits form a month (01–12) and whose
// fifth and sixth a day (01–31, or 61–91 for a samordningsnummer) is a
// personnummer, an enskild firma's; a number whose third digit is 2 or more
// is a legal entity's. Anything else, or a wrong check digit, is an error.
func ParseOrgNumber(s string) (OrgNumber, error) {
	s = strings.TrimSpace(s)
	if len(s) > 20 {
		return OrgNumber{}, ErrOrgNumberFormat
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case (r == '-' || r == '+') && i > 0:
		default:
			return OrgNumber{}, ErrOrgNumberFormat
		}
	}
	d := b.String()
	century := ""
	switch len(d) {
	case 10:
	case 12:
		century, d = d[:2], d[2:]
	default:
		return OrgNumber{}, ErrOrgNumberFormat
	}
	if !luhnValid(d) {
		return OrgNumber{}, ErrOrgNumberCheck
	}
	if d[2] >= '2' {
		// A legal entity: the twelve-digit form carries the prefix 16.
		if century != "" && century != "16" {
			return OrgNumber{}, ErrOrgNumberKind
		}
		return OrgNumber{Digits: d}, nil
	}
	if century != "" && century != "19" && century != "20" {
		return OrgNumber{}, ErrOrgNumberKind
	}
	if !personalDate(d[:6]) {
		return OrgNumber{}, ErrOrgNumberKind
	}
	return OrgNumber{Digits: d, Personal: true}, nil
}

// personalDate reports whether YYMMDD is a birth date of a personnummer
// or a samordningsnummer (day plus 60) in some century.
func personalDate(s string) bool {
	month := int(s[2]-'0')*10 + int(s[3]-'0')
	day := int(s[4]-'0')*10 + int(s[5]-'0')
	if day > 60 {
		day -= 60
	}
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	// 2000 is a leap year, so 29 February of any two-digit year passes
	// in one century or another.
	return day <= time.Date(2000, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// luhnValid reports whether the last digit of d is the Luhn check digit
// of the ones before it.
func luhnValid(d string) bool {
	return len(d) == 10 && LuhnDigit(d[:9]) == d[9]
}

// LuhnDigit is the check digit of nine digits: the digits weighted 2, 1,
// 2, …, the digits of each product summed, and the sum's complement to the
// next ten.
func LuhnDigit(nine string) byte {
	sum := 0
	for i := 0; i < len(nine); i++ {
		v := int(nine[i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}
