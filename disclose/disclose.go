// Package disclose is the one rule for publishing counts outside the
// organisation that owns them: pages, charts, exports and the public
// lägesbild show a count through it, so that a small count reads the same
// everywhere and cannot be worked out from the sums beside it.
//
// A count from 1 to Threshold−1 is withheld; 0 is shown, since "none"
// points out nobody. Where counts are published with their sums, more are
// withheld until none that is withheld can be computed from the rest
// (WithholdComplement, WithholdSums, NewTable).
//
// The package imports nothing from the project, so that every layer may
// use it.
package disclose

import "strconv"

// Threshold is the smallest count that is published as a number.
const Threshold = 5

// withheldText is what a withheld count reads as, said with the threshold
// so that the two cannot disagree.
var withheldText = "färre än " + strconv.Itoa(Threshold)

// Withheld reports whether a count of n is withheld: from 1 to
// Threshold−1. It takes float64 for series whose counts are stored as
// numbers.
func Withheld[N int | float64](n N) bool { return n > 0 && n < Threshold }

// TooFew reports whether n values are too few to publish a figure computed
// from them, such as a median: fewer than Threshold, none included.
func TooFew(n int) bool { return n < Threshold }

// WithheldText returns what a withheld count reads as on a page:
// "färre än 5".
func WithheldText() string { return withheldText }

// LargestWithheld is the largest count that is withheld, for texts that
// say "från 1 till 4".
func LargestWithheld() int { return Threshold - 1 }

// Format writes n as published: the number, or WithheldText when n is
// withheld.
func Format(n int) string {
	if Withheld(n) {
		return withheldText
	}
	return strconv.Itoa(n)
}

// Count is one published count. A withheld count has Suppressed set and
// Count 0, so that the number never leaves the store.
type Count struct {
	Key        string
	Label      string
	Count      int
	Suppressed bool
}

// NewCount returns n as published: withheld when it is from 1 to
// Threshold−1.
func NewCount(key, label string, n int) Count {
	if Withheld(n) {
		return Count{Key: key, Label: label, Suppressed: true}
	}
	return Count{Key: key, Label: label, Count: n}
}

// ExactCount returns n shown whatever its size, for readers who may see
// the data the count is made from.
func ExactCount(key, label string, n int) Count {
	return Count{Key: key, Label: label, Count: n}
}

// Withhold returns c withheld, its key and label kept.
func (c Count) Withhold() Count { return Count{Key: c.Key, Label: c.Label, Suppressed: true} }

// Text writes c as published: the number, or WithheldText.
func (c Count) Text() string {
	if c.Suppressed {
		return withheldText
	}
	return strconv.Itoa(c.Count)
}

// PeriodCount is a month's or a year's count with its change from the
// same period a year before, shown only when both counts are.
type PeriodCount struct {
	Count
	Change    int
	HasChange bool
}

// ChangeFrom is cur with its change from a count of before, which is not
// shown itself: the change is left out when either is withheld, so that
// it cannot give a small count away.
func ChangeFrom(cur Count, before int) PeriodCount {
	p := PeriodCount{Count: cur}
	if !cur.Suppressed && !Withheld(before) {
		p.Change, p.HasChange = cur.Count-before, true
	}
	return p
}

// Share is Part of Whole, withheld when Part, Whole or Whole−Part is a
// small count.
type Share struct {
	Part, Whole int
	Suppressed  bool
}

// ShareOf returns part of whole, withheld when any of part, whole and
// whole−part is from 1 to Threshold−1.
func ShareOf(part, whole int) Share {
	if Withheld(part) || Withheld(whole) || Withheld(whole-part) {
		return Share{Suppressed: true}
	}
	return Share{Part: part, Whole: whole}
}

// Percent returns the share in whole percent, halves rounded up: the one
// rounding of a published share.
func (s Share) Percent() int {
	if s.Whole == 0 {
		return 0
	}
	return (s.Part*100 + s.Whole/2) / s.Whole
}
