package detect

import "math"

// EARS parameters (Hutwagner et al. 2003), as R's surveillance::earsC
// defaults them.
const (
	earsBaseline = 7
	earsMinSigma = 0.0
	earsAlphaC12 = 0.001
	earsAlphaC3  = 0.025
)

var (
	earsZC12 = normalUpperQuantile(earsAlphaC12) // 3.0902
	earsZC3  = normalUpperQuantile(earsAlphaC3)  // 1.96
)

// earsReference is the mean and standard deviation (n-1 denominator, not
// below earsMinSigma) of the baseline weeks for week t: the 7 weeks before
// it for C1, the 7 weeks before those 2 weeks of guard band for C2. ok is
// false when the series starts too late.
func earsReference(counts []int, t int, guard bool) (mean, sd float64, ok bool) {
	end := t // exclusive
	if guard {
		end = t - 2
	}
	start := end - earsBaseline
	if start < 0 || t >= len(counts) {
		return 0, 0, false
	}
	sum := 0
	for _, c := range counts[start:end] {
		sum += c
	}
	mean = float64(sum) / earsBaseline
	ss := 0.0
	for _, c := range counts[start:end] {
		d := float64(c) - mean
		ss += d * d
	}
	sd = math.Max(math.Sqrt(ss/(earsBaseline-1)), earsMinSigma)
	return mean, sd, true
}

// earsC12 is the upper bound of C1 (guard false) or C2 (guard true):
// mean + z·sd of the baseline.
func earsC12(counts []int, t int, guard bool) (float64, bool) {
	mean, sd, ok := earsReference(counts, t, guard)
	if !ok {
		return 0, false
	}
	return mean + earsZC12*sd, true
}

// earsC2Statistic is (count - mean)/sd for C2's baseline. With sd 0 (a flat
// baseline) it is +Inf above the mean, -Inf below it and 0 at it.
func earsC2Statistic(counts []int, t int) (float64, bool) {
	mean, sd, ok := earsReference(counts, t, true)
	if !ok {
		return 0, false
	}
	d := float64(counts[t]) - mean
	switch {
	case sd > 0:
		return d / sd, true
	case d > 0:
		return math.Inf(1), true
	case d < 0:
		return math.Inf(-1), true
	}
	return 0, true
}

// earsC3 is C3 as published (Hutwagner et al. 2003; Fricker et al. 2008):
// C3(t) = Σ_{i=t-2..t} max(0, C2(i) - 1), which alarms when it exceeds
// z(1-α) with α = 0.025. The upper bound is the largest count of week t
// that does not alarm given the two weeks before it:
// mean + sd·(1 + z - S), S the sum of their truncated C2 terms. When S
// alone exceeds z every count alarms and the bound is -Inf.
func earsC3(counts []int, t int) (ub float64, alarm, ok bool) {
	if t-2 < 0 {
		return 0, false, false
	}
	s := 0.0
	for i := t - 2; i < t; i++ {
		c2, ok := earsC2Statistic(counts, i)
		if !ok {
			return 0, false, false
		}
		s += math.Max(0, c2-1)
	}
	c2, _ := earsC2Statistic(counts, t)
	c3 := s + math.Max(0, c2-1)
	alarm = c3 > earsZC3

	mean, sd, _ := earsReference(counts, t, true)
	switch {
	case s > earsZC3:
		ub = math.Inf(-1)
	case sd == 0:
		ub = mean
	default:
		ub = mean + sd*(1+earsZC3-s)
	}
	return ub, alarm, true
}
