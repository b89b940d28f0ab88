package disclose_test

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg/disclose"
)

func TestWithheld(t *testing.T) {
	for _, tt := range []struct {
		n        int
		withheld bool
		text     string
	}{
		{0, false, "0"}, // none points out nobody
		{1, true, "färre än 5"},
		{4, true, "färre än 5"},
		{5, false, "5"},
		{12, false, "12"},
		{-1, false, "-1"}, // a change, not a count
	} {
		if got := disclose.Withheld(tt.n); got != tt.withheld {
			t.Errorf("Withheld(%d) = %v", tt.n, got)
		}
		if got := disclose.Format(tt.n); got != tt.text {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.text)
		}
		c := disclose.NewCount("k", "l", tt.n)
		if c.Key != "k" || c.Label != "l" || c.Suppressed != tt.withheld || (c.Suppressed && c.Count != 0) || (!c.Suppressed && c.Count != tt.n) {
			t.Errorf("NewCount(%d) = %+v", tt.n, c)
		}
		if got := c.Text(); got != tt.text {
			t.Errorf("NewCount(%d).Text() = %q, want %q", tt.n, got, tt.text)
		}
		if e := disclose.ExactCount("k", "l", tt.n); e.Suppressed || e.Count != tt.n {
			t.Errorf("ExactCount(%d) = %+v", tt.n, e)
		}
	}
	for _, tt := range []struct {
		v        float64
		withheld bool
	}{{0, false}, {0.5, true}, {4.9, true}, {5, false}} {
		if got := disclose.Withheld(tt.v); got != tt.withheld {
			t.Errorf("Withheld(%v) = %v", tt.v, got)
		}
	}
	for _, tt := range []struct {
		n      int
		tooFew bool
	}{{0, true}, {4, true}, {5, false}} {
		if got := disclose.TooFew(tt.n); got != tt.tooFew {
			t.Errorf("TooFew(%d) = %v", tt.n, got)
		}
	}
	if got := disclose.WithheldText(); got != "färre än 5" {
		t.Errorf("WithheldText() = %q", got)
	}
	if got := disclose.LargestWithheld(); got != 4 {
		t.Errorf("LargestWithheld() = %d", got)
	}
}

func TestChangeFrom(t *testing.T) {
	for _, tt := range []struct {
		cur, before int
		change      bool
	}{{10, 7, true}, {10, 3, false}, {3, 10, false}, {10, 0, true}, {0, 0, true}} {
		if got := disclose.ChangeFrom(disclose.NewCount("k", "l", tt.cur), tt.before); got.HasChange != tt.change ||
			(got.HasChange && got.Change != tt.cur-tt.before) {
			t.Errorf("ChangeFrom(%d, %d) = %+v", tt.cur, tt.before, got)
		}
	}
}

func TestShareOf(t *testing.T) {
	for _, tt := range []struct {
		part, whole int
		suppressed  bool
		percent     int
	}{
		{3, 100, true, 0},
		{98, 100, true, 0}, // the 2 left are a small count
		{50, 100, false, 50},
		{0, 0, false, 0},
		{5, 5, false, 100},
		{1, 2, true, 0},
		{10, 15, false, 67},  // 66.67
		{5, 200, false, 3},   // 2.5 rounds up
		{45, 200, false, 23}, // 22.5 rounds up
		{0, 7, false, 0},
	} {
		s := disclose.ShareOf(tt.part, tt.whole)
		if s.Suppressed != tt.suppressed || s.Percent() != tt.percent {
			t.Errorf("ShareOf(%d, %d) = %+v, %d %%", tt.part, tt.whole, s, s.Percent())
		}
	}
}

// TestWithholdComplement: when one count of a group with a shown total is
// withheld, the smallest other count above zero is withheld too; with
// none or two withheld, nothing more is.
func TestWithholdComplement(t *testing.T) {
	tests := []struct {
		n    []int
		want string // "x" withheld, "." shown
		hid  bool
	}{
		{[]int{7, 2}, "xx", true},
		{[]int{9, 3, 6, 6, 0}, ".xx..", true}, // the first of the smallest
		{[]int{3, 0, 0}, "x..", false},        // the total is the small count: withheld itself
		{[]int{3, 4, 20}, "xx.", false},
		{[]int{8, 9, 20}, "...", false},
		{[]int{0, 0}, "..", false},
	}
	for _, tt := range tests {
		group := make([]disclose.Count, len(tt.n))
		for i, n := range tt.n {
			group[i] = disclose.NewCount("k", "l", n)
		}
		hid := disclose.WithholdComplement(group, tt.n)
		if got := pattern(group, tt.n); got != tt.want || hid != tt.hid {
			t.Errorf("%v: %s (hid %v), want %s (hid %v)", tt.n, got, hid, tt.want, tt.hid)
		}
	}
}

// TestWithholdSums: a count withheld for one group is a second one in
// another, which may then need a third.
func TestWithholdSums(t *testing.T) {
	n := []int{20, 3, 8, 9, 17} // total 20 = 3 + 8 + 9; 17 = 8 + 9
	counts := make([]disclose.Count, len(n))
	cells := make([]disclose.Cell, len(n))
	for i := range n {
		counts[i] = disclose.NewCount("k", "l", n[i])
		cells[i] = disclose.Cell{C: &counts[i], N: n[i]}
	}
	disclose.WithholdSums([]disclose.Cell{cells[0], cells[1], cells[2], cells[3]}, []disclose.Cell{cells[4], cells[2], cells[3]})
	if got := pattern(counts, n); got != ".xxx." {
		t.Errorf("got %s, want .xxx.", got)
	}
}

// pattern writes "x" for a withheld count (with Count 0), "." for one
// shown as it is, "?" for anything else.
func pattern(counts []disclose.Count, n []int) string {
	var b strings.Builder
	for i, c := range counts {
		switch {
		case c.Suppressed && c.Count == 0:
			b.WriteByte('x')
		case !c.Suppressed && c.Count == n[i]:
			b.WriteByte('.')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
