package trygg

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDecimal reads a number written with a decimal comma or point, and
// an optional minus sign; no thousands separators.
func ParseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.Replace(strings.Replace(s, "−", "-", 1), ",", ".", 1)
	if s == "" {
		return 0, errors.New("värdet saknas")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEinfINFxXpP_") {
		return 0, fmt.Errorf("%q är inget tal; skriv till exempel 12 eller 3,5", s)
	}
	if math.Abs(x) >= 1e12 {
		return 0, errors.New("talet är för stort")
	}
	return x, nil
}

// FormatNumber writes a number the Swedish way: at most one decimal, with
// a decimal comma and a true minus sign.
func FormatNumber(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return strings.NewReplacer(".", ",", "-", "−").Replace(s)
}
