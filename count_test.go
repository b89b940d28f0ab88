package trygg_test

import (
	"math"
	"testing"

	"github.com/trygg-est/trygg"
)

func TestExpectedAtMost(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want int
	}{{6.99, 6}, {6, 6}, {-1, 0}, {0.2, 0}, {math.NaN(), 0}} {
		if got := trygg.ExpectedAtMost(tc.in); got != tc.want {
			t.Errorf("ExpectedAtMost(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestReportsText(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 rapporter"}, {1, "1 rapport"}, {2, "2 rapporter"}} {
		if got := trygg.ReportsText(tc.n); got != tc.want {
			t.Errorf("ReportsText(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
