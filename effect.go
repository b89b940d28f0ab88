package trygg

import (
	"fmt"
	"math"
	"strings"
)

// RateRatio compares two Poisson counts over two exposures, as R's
// poisson.test(c(X1, X2), c(T1, T2)) does: Estimate is (X1/T1)/(X2/T2),
// Lower and Upper the exact 95 % confidence interval (conditional on
// X1+X2, from the binomial), and P the two-sided p-value of "no change".
// Upper is +Inf when X2 is 0. Defined is false when X1+X2 is 0, where
// nothing can be said.
type RateRatio struct {
	X1, X2       int
	T1, T2       float64
	Estimate     float64
	Lower, Upper float64
	P            float64
	Defined      bool
}

// PoissonRateRatio computes the rate ratio of x1 events in exposure t1
// against x2 in t2, with its 95 % interval and p-value.
func PoissonRateRatio(x1, x2 int, t1, t2 float64) RateRatio {
	rr := RateRatio{X1: x1, X2: x2, T1: t1, T2: t2}
	n := x1 + x2
	if n == 0 || t1 <= 0 || t2 <= 0 {
		return rr
	}
	rr.Defined = true
	rr.Estimate = (float64(x1) / t1) / (float64(x2) / t2) // +Inf when x2 = 0
	const alpha = 0.05
	p := t1 / (t1 + t2)
	pl, pu := 0.0, 1.0
	if x1 > 0 {
		// qbeta(alpha/2, x1, n-x1+1): P(Bin(n, q) >= x1) = alpha/2.
		pl = solveIncreasing(func(q float64) float64 { return binomUpper(x1, n, q) }, alpha/2)
	}
	if x1 < n {
		// qbeta(1-alpha/2, x1+1, n-x1): P(Bin(n, q) <= x1) = alpha/2.
		pu = solveIncreasing(func(q float64) float64 { return -binomLower(x1, n, q) }, -alpha/2)
	}
	odds := func(q float64) float64 {
		if q >= 1 {
			return math.Inf(1)
		}
		return q / (1 - q) * t2 / t1
	}
	rr.Lower, rr.Upper = odds(pl), odds(pu)
	rr.P = binomTwoSidedP(x1, n, p)
	return rr
}

// solveIncreasing finds q in [0, 1] where the increasing f(q) = target, by
// bisection to full precision.
func solveIncreasing(f func(float64) float64, target float64) float64 {
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if f(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// logBinomPMF is log P(Bin(n, q) = k).
func logBinomPMF(k, n int, q float64) float64 {
	switch {
	case q == 0:
		if k == 0 {
			return 0
		}
		return math.Inf(-1)
	case q == 1:
		if k == n {
			return 0
		}
		return math.Inf(-1)
	}
	ln, _ := math.Lgamma(float64(n + 1))
	lk, _ := math.Lgamma(float64(k + 1))
	lnk, _ := math.Lgamma(float64(n - k + 1))
	return ln - lk - lnk + float64(k)*math.Log(q) + float64(n-k)*math.Log1p(-q)
}

// binomLower is P(Bin(n, q) <= k); binomUpper is P(Bin(n, q) >= k).
func binomLower(k, n int, q float64) float64 { return binomSum(0, k, n, q) }
func binomUpper(k, n int, q float64) float64 { return binomSum(k, n, n, q) }

func binomSum(from, to, n int, q float64) float64 {
	s := 0.0
	for i := max(from, 0); i <= min(to, n); i++ {
		s += math.Exp(logBinomPMF(i, n, q))
	}
	return min(s, 1)
}

// binomTwoSidedP is binom.test's two-sided p-value: the probability of
// every outcome no more likely than x (with R's relative tolerance).
func binomTwoSidedP(x, n int, p float64) float64 {
	const relErr = 1 + 1e-7
	d := math.Exp(logBinomPMF(x, n, p))
	total := 0.0
	for i := 0; i <= n; i++ {
		if pi := math.Exp(logBinomPMF(i, n, p)); pi <= d*relErr {
			total += pi
		}
	}
	return min(1, total)
}

// SeasonalRatio compares this year's rate ratio with the one of the same
// weeks a year earlier: Estimate = RR(this year) / RR(a year earlier), with
// a 95 % Wald interval on the log scale. Defined only when all four counts
// are above zero.
type SeasonalRatio struct {
	Estimate, Lower, Upper float64
	Defined                bool
}

// CompareSeasons computes the seasonal ratio of two rate ratios.
func CompareSeasons(now, yearAgo RateRatio) SeasonalRatio {
	if now.X1 == 0 || now.X2 == 0 || yearAgo.X1 == 0 || yearAgo.X2 == 0 || !now.Defined || !yearAgo.Defined {
		return SeasonalRatio{}
	}
	est := now.Estimate / yearAgo.Estimate
	se := math.Sqrt(1/float64(now.X1) + 1/float64(now.X2) + 1/float64(yearAgo.X1) + 1/float64(yearAgo.X2))
	const z = 1.959963984540054
	return SeasonalRatio{Estimate: est, Lower: est * math.Exp(-z*se), Upper: est * math.Exp(z*se), Defined: true}
}

// Window is a span of whole ISO weeks and the reports counted in it.
type Window struct {
	From, To Day // a Monday and a Sunday
	Count    int
}

// Weeks returns the window's length in weeks.
func (w Window) Weeks() int { return int(w.To-w.From+1) / 7 }

// Label names the window by its weeks, "vecka 3–14 2026".
func (w Window) Label() string {
	a, b := WeekOf(w.From), WeekOf(w.To)
	if a.Year == b.Year {
		return fmt.Sprintf("vecka %d–%d %d", a.Week, b.Week, a.Year)
	}
	return fmt.Sprintf("vecka %d %d – vecka %d %d", a.Week, a.Year, b.Week, b.Year)
}

// MaxEffectWeeks caps each window of an effect evaluation.
const MaxEffectWeeks = 12

// MinEffectReports is the fewest reports in the two windows together from
// which Trygg draws any conclusion.
const MinEffectReports = 10

// EffectWindows returns the before and after windows around start: after
// runs from the first whole week after start's week, for as many whole
// weeks as have ended before today (at most MaxEffectWeeks); before is as
// many weeks just before start's week. ok is false when no whole week has
// passed since start.
func EffectWindows(start, today Day) (before, after Window, ok bool) {
	first := start.Monday() + 7
	weeks := min(MaxEffectWeeks, int(today.Monday()-first)/7)
	if weeks < 1 {
		return Window{}, Window{}, false
	}
	after = Window{From: first, To: first + Day(7*weeks) - 1}
	before = Window{From: start.Monday() - Day(7*weeks), To: start.Monday() - 1}
	return before, after, true
}

// YearEarlier returns the same weeks 52 weeks earlier.
func (w Window) YearEarlier() Window { return Window{From: w.From - 364, To: w.To - 364} }

// Effect is an effect evaluation: reports in equal windows before and
// after a start, and the same weeks a year earlier to control for season.
type Effect struct {
	Before, After               Window
	BeforeYearAgo, AfterYearAgo Window
	Now, YearAgo                RateRatio
	Seasonal                    SeasonalRatio
	TooFew                      bool
	Verdict                     string // in plain Swedish
}

// EvaluateEffect computes the rate ratios of the counted windows and says
// what they show.
func EvaluateEffect(before, after, beforeYearAgo, afterYearAgo Window) Effect {
	e := Effect{Before: before, After: after, BeforeYearAgo: beforeYearAgo, AfterYearAgo: afterYearAgo}
	weeks := float64(after.Weeks())
	e.Now = PoissonRateRatio(after.Count, before.Count, weeks, weeks)
	e.YearAgo = PoissonRateRatio(afterYearAgo.Count, beforeYearAgo.Count, weeks, weeks)
	e.Seasonal = CompareSeasons(e.Now, e.YearAgo)
	n := after.Count + before.Count
	switch {
	case n < MinEffectReports:
		e.TooFew = true
		e.Verdict = fmt.Sprintf("För få rapporter (%d) för att säga något om effekten; det behövs minst %d före och efter tillsammans.", n, MinEffectReports)
	case e.Now.Upper < 1:
		e.Verdict = fmt.Sprintf("Rapporterna minskade efter starten: kvoten är %s (95 %% konfidensintervall %s–%s), en minskning som inte bara är slump.",
			FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	case e.Now.Lower > 1:
		e.Verdict = fmt.Sprintf("Rapporterna ökade efter starten: kvoten är %s (95 %% konfidensintervall %s–%s).",
			FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	default:
		e.Verdict = fmt.Sprintf("Ingen säker förändring: kvoten är %s, men 95 %% konfidensintervallet %s–%s rymmer både en minskning och en ökning.",
			FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	}
	if !e.TooFew && e.Seasonal.Defined {
		e.Verdict += fmt.Sprintf(" Samma veckor ett år tidigare var kvoten %s, så jämfört med årstiden är förändringen %s (%s–%s).",
			FormatRatio(e.YearAgo.Estimate), FormatRatio(e.Seasonal.Estimate), FormatRatio(e.Seasonal.Lower), FormatRatio(e.Seasonal.Upper))
	}
	return e
}

// FormatRatio writes a ratio with two decimals and a decimal comma, or
// "oändlig" for +Inf.
func FormatRatio(x float64) string {
	if math.IsInf(x, 1) {
		return "oändlig"
	}
	return strings.Replace(fmt.Sprintf("%.2f", x), ".", ",", 1)
}

// Text writes the ratio and its interval, "0,42 (0,20–0,85)", or "–" when
// it is not defined.
func (r RateRatio) Text() string {
	if !r.Defined {
		return "–"
	}
	return FormatRatio(r.Estimate) + " (" + FormatRatio(r.Lower) + "–" + FormatRatio(r.Upper) + ")"
}
