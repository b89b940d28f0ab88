package trygg

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trygg-est/trygg/pii"
)

// CheckText adds a field error when s is empty (if required is the message
// for that), longer than max characters, or not valid UTF-8.
func CheckText(v *Validation, field, s string, max int, required string) {
	switch {
	case s == "" && required != "":
		v.Add(field, "%s", required)
	case !utf8.ValidString(s):
		v.Add(field, "Texten innehåller ogiltiga tecken.")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "Texten får vara högst %d tecken.", max)
	}
}

// CheckPersonalData adds a field error when s seems to hold personal data
// (a personnummer, a phone number, an e-mail address), which rule says may
// not be there. It adds nothing when field already has an error.
func CheckPersonalData(v *Validation, field, s, rule string) {
	for _, f := range v.Fields {
		if f.Field == field {
			return
		}
	}
	if f := pii.Find(s); f != nil {
		v.Add(field, "Texten verkar innehålla %s. %s; ta bort uppgiften.", f.Kind.Label(), rule)
	}
}

// CheckPeriod checks a period of whole days, from and to inclusive.
func CheckPeriod(v *Validation, from, to Day) {
	switch {
	case from == 0:
		v.Add("from", "Ange första dagen.")
	case to == 0:
		v.Add("to", "Ange sista dagen.")
	case to < from:
		v.Add("to", "Sista dagen får inte vara före första dagen.")
	case to-from > 366*10:
		v.Add("to", "Perioden får vara högst tio år.")
	}
}

// CleanCodes trims, drops empty and repeated codes, and sorts.
func CleanCodes(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// earliestTime is the earliest time any record of Trygg can be about.
var earliestTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// CheckPastTime adds a field error when t, a time something happened, is
// unset (missing), later than now (future; five minutes are allowed for a
// device whose clock runs fast) or before 2000 (early). The messages are
// the caller's, since each form names its time in its own words.
func CheckPastTime(v *Validation, field string, t, now time.Time, missing, future, early string) {
	switch {
	case t.IsZero():
		v.Add(field, "%s", missing)
	case t.After(now.Add(5 * time.Minute)):
		v.Add(field, "%s", future)
	case t.Before(earliestTime):
		v.Add(field, "%s", early)
	}
}
