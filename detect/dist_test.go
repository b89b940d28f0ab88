package detect

import (
	"math"
	"testing"
)

// The expected values are R's (qnbinom, qpois, qnorm, 2*pt(-|t|, df)).
func TestQuantiles(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"qnbinom small size", negBinomialQuantile(0.95, 0.37, 3.2), 14},
		{"qnbinom", negBinomialQuantile(0.95, 25, 846.3), 1147},
		{"qnbinom large mean", negBinomialQuantile(0.95, 2000, 1e5), 103743},
		{"qnbinom tiny mean", negBinomialQuantile(0.95, 1.5, 0.02), 0},
		{"qpois", poissonQuantile(0.95, 5), 9},
		{"qpois large mean", poissonQuantile(0.95, 1200.5), 1258},
		{"qpois tiny mean", poissonQuantile(0.95, 0.01), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	close := []struct {
		name      string
		got, want float64
	}{
		{"qnorm(0.999)", normalUpperQuantile(0.001), 3.0902323061678132},
		{"qnorm(0.975)", normalUpperQuantile(0.025), 1.9599639845400536},
		{"t test", studentTTwoSidedP(0.1153448, 26), 0.90905805676038498},
		{"t test, few df", studentTTwoSidedP(-2.5, 3), 0.087706647008065505},
		{"t test, far tail", studentTTwoSidedP(40, 180), 1.7112278651152620e-91},
	}
	for _, tt := range close {
		if math.Abs(tt.got-tt.want) > 1e-12*tt.want {
			t.Errorf("%s = %.17g, want %.17g", tt.name, tt.got, tt.want)
		}
	}
}

// Outside its domain the t test answers NaN (read as "no trend") rather
// than panicking inside gonum, and an infinite statistic is certain.
func TestStudentTTwoSidedPEdges(t *testing.T) {
	tests := []struct {
		name  string
		t, df float64
		want  float64
	}{
		{"no residual degrees of freedom", 1.5, 0, math.NaN()},
		{"statistic 0/0", math.NaN(), 12, math.NaN()},
		{"infinite statistic", math.Inf(-1), 12, 0},
		{"zero statistic", 0, 12, 1},
	}
	for _, tt := range tests {
		got := studentTTwoSidedP(tt.t, tt.df)
		if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%s: studentTTwoSidedP(%v, %v) = %v, want %v", tt.name, tt.t, tt.df, got, tt.want)
		}
	}
}
