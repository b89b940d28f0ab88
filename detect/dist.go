package detect

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// normalUpperQuantile is z with P(Z > z) = alpha for a standard normal Z.
// By symmetry it is minus the lower quantile of alpha, which keeps full
// precision for small alpha, where 1-alpha would lose digits.
func normalUpperQuantile(alpha float64) float64 {
	return -distuv.UnitNormal.Quantile(alpha)
}

// studentTTwoSidedP is P(|T| > |t|) for Student's t with df degrees of
// freedom. It is NaN where the test has no answer (t NaN, no residual
// degrees of freedom), which the caller reads as "no trend", instead of
// the panic gonum gives outside the domain.
func studentTTwoSidedP(t, df float64) float64 {
	if math.IsNaN(t) || df <= 0 {
		return math.NaN()
	}
	// The upper tail doubled, not 1 - CDF, so a far tail keeps its digits.
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// discreteQuantile is the smallest k ≥ 0 with P(X ≤ k) ≥ p for a count
// distribution whose log-probability of k is logPMF and whose ratio
// P(k+1)/P(k) is ratio(k). It sums the probabilities outward from the
// mode, so it neither underflows for large means nor loses the tail.
func discreteQuantile(p float64, mode int, logPMF func(k int) float64, ratio func(k int) float64) float64 {
	// The probabilities relative to the mode, below and above it; terms
	// smaller than 1e-18 of the mode's do not move a sum that matters.
	below := []float64{}
	for k, v := mode, 1.0; k > 0; k-- {
		v /= ratio(k - 1)
		if v < 1e-18 {
			break
		}
		below = append(below, v)
	}
	scale := math.Exp(logPMF(mode))
	// A quantile within rounding of a cumulative probability (R's
	// discrete quantiles allow the same slack) is taken as reached.
	target := p * (1 - 64*2.220446049250313e-16)
	cum := 0.0
	// Mass below the window of kept terms is negligible; add up from the
	// lowest kept term.
	lowest := mode - len(below)
	for i := len(below) - 1; i >= 0; i-- {
		cum += below[i] * scale
		if cum >= target {
			return float64(lowest + (len(below) - 1 - i))
		}
	}
	v := 1.0
	for k := mode; ; k++ {
		cum += v * scale
		if cum >= target {
			return float64(k)
		}
		v *= ratio(k)
		if v < 1e-18 && k > mode {
			return float64(k)
		}
	}
}

// negBinomialQuantile is R's qnbinom(p, size, mu=mu): the negative binomial
// with mean mu and variance mu + mu²/size.
func negBinomialQuantile(p, size, mu float64) float64 {
	if mu == 0 {
		return 0
	}
	prob := size / (size + mu)
	mode := 0
	if size > 1 {
		mode = int(math.Floor((size - 1) * (1 - prob) / prob))
	}
	logPMF := func(k int) float64 {
		fk := float64(k)
		a, _ := math.Lgamma(fk + size)
		b, _ := math.Lgamma(size)
		c, _ := math.Lgamma(fk + 1)
		return a - b - c + size*math.Log(prob) + fk*math.Log1p(-prob)
	}
	ratio := func(k int) float64 { return (float64(k) + size) / float64(k+1) * (1 - prob) }
	return discreteQuantile(p, mode, logPMF, ratio)
}

// poissonQuantile is R's qpois(p, mu).
func poissonQuantile(p, mu float64) float64 {
	if mu == 0 {
		return 0
	}
	mode := int(math.Floor(mu))
	logPMF := func(k int) float64 {
		c, _ := math.Lgamma(float64(k) + 1)
		return float64(k)*math.Log(mu) - mu - c
	}
	ratio := func(k int) float64 { return mu / float64(k+1) }
	return discreteQuantile(p, mode, logPMF, ratio)
}
