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
