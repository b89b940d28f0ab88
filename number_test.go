package trygg_test

import (
	"testing"

	"github.com/trygg-est/trygg"
)

func TestFormatNumber(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 8: "8", 7.5: "7,5", -20: "−20", -0.04: "0", 1234.56: "1234,6"} {
		if got := trygg.FormatNumber(x); got != want {
			t.Errorf("FormatNumber(%g) = %q, want %q", x, got, want)
		}
	}
}
