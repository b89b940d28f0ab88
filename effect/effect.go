// Package effect evaluates whether something worked: an action or a
// commitment's indicator, in equal windows before and after its start and
// the same windows a year earlier, with the statistics checked against R
// (testdata/make-refs.R). docs/samverkan.md describes the model.
package effect

import (
	"fmt"
	"math"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"gonum.org/v1/gonum/stat/distuv"
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

// Window is a span of days and the indicator's values in it. For counts,
// Count is their sum over Periods periods (whole weeks, or a series'
// values); for measurements, Values holds them.
type Window struct {
	From, To trygg.Day
	Count    int
	Periods  int
	Values   []float64
	Measured bool // the values are measurements, not counts
	Weekly   bool // From and To are a Monday and a Sunday
}

// Weeks returns the window's length in weeks.
func (w Window) Weeks() int { return int(w.To-w.From+1) / 7 }

// Label names the window: by its weeks, "vecka 3–14 2026", or by the
// days of its first and last value.
func (w Window) Label() string {
	if !w.Weekly {
		if w.From == 0 {
			return "inga värden"
		}
		if w.From == w.To {
			return w.From.String()
		}
		return w.From.String() + " – " + w.To.String()
	}
	a, b := trygg.WeekOf(w.From), trygg.WeekOf(w.To)
	if a.Year == b.Year {
		return fmt.Sprintf("vecka %d–%d %d", a.Week, b.Week, a.Year)
	}
	return fmt.Sprintf("vecka %d %d – vecka %d %d", a.Week, a.Year, b.Week, b.Year)
}

// Mean is the mean of the measurements, 0 without any.
func (w Window) Mean() float64 {
	if len(w.Values) == 0 {
		return 0
	}
	return mean(w.Values)
}

// Rate is the count per period, 0 without any period.
func (w Window) Rate() float64 {
	if w.Periods == 0 {
		return 0
	}
	return float64(w.Count) / float64(w.Periods)
}

// Summary writes what the window holds for the effect table: the count,
// or the mean of the measurements, with the span and, where it is not
// plain from the span, how many periods.
func (w Window) Summary() string {
	switch {
	case w.Measured && len(w.Values) == 0:
		return "inga värden"
	case w.Measured:
		return fmt.Sprintf("medel %s av %s (%s)", FormatDecimal(w.Mean()), valueCount(len(w.Values)), w.Label())
	case w.Periods == 0:
		return "inga värden (" + w.Label() + ")"
	case w.Weekly && w.Periods != w.Weeks():
		return fmt.Sprintf("%d under %d veckor med värden (%s)", w.Count, w.Periods, w.Label())
	case !w.Weekly:
		return fmt.Sprintf("%d under %s (%s)", w.Count, valueCount(w.Periods), w.Label())
	}
	return fmt.Sprintf("%d (%s)", w.Count, w.Label())
}

func valueCount(n int) string {
	if n == 1 {
		return "1 värde"
	}
	return fmt.Sprintf("%d värden", n)
}

// MaxWeeks caps each window of an effect evaluation by weeks, and
// MaxValues each window of a series by values.
const (
	MaxWeeks  = 12
	MaxValues = 12
)

// MinCount is the fewest events in the two windows together from
// which Trygg draws any conclusion about counts, and MinValues the
// fewest measurements in each window.
const (
	MinCount  = 10
	MinValues = 3
)

// WeekWindows returns the before and after windows around start: after
// runs from the first whole week after start's week, for as many whole
// weeks as have ended before today (at most MaxWeeks); before is as
// many weeks just before start's week. ok is false when no whole week has
// passed since start. Periods is the number of weeks.
func WeekWindows(start, today trygg.Day) (before, after Window, ok bool) {
	first := start.Monday() + 7
	weeks := min(MaxWeeks, int(today.Monday()-first)/7)
	if weeks < 1 {
		return Window{}, Window{}, false
	}
	after = Window{From: first, To: first + trygg.Day(7*weeks) - 1, Periods: weeks, Weekly: true}
	before = Window{From: start.Monday() - trygg.Day(7*weeks), To: start.Monday() - 1, Periods: weeks, Weekly: true}
	return before, after, true
}

// YearEarlier returns the same weeks 52 weeks earlier, with nothing
// counted yet.
func (w Window) YearEarlier() Window {
	return Window{From: w.From - 364, To: w.To - 364, Periods: w.Periods, Weekly: w.Weekly}
}

// SeriesWindows places a series' values around start, for a series whose
// values are kept by hand and may be monthly, quarterly or irregular:
// after holds the values dated from start on, before as many values just
// before start, both at most MaxValues and never more than the other
// has, so that the windows are equally long. The year-earlier windows hold
// the values dated in the same spans one calendar year earlier. Values
// after today and suppressed values are left out. ok is false when there
// is no value from start on yet.
func SeriesWindows(points []samverkan.IndicatorPoint, start, today trygg.Day, measured bool) (before, after, beforeYearAgo, afterYearAgo Window, ok bool) {
	var early, late []samverkan.IndicatorPoint
	for _, p := range points {
		switch {
		case p.Suppressed || p.Day > today:
		case p.Day < start:
			early = append(early, p)
		default:
			late = append(late, p)
		}
	}
	if len(late) == 0 {
		return before, after, beforeYearAgo, afterYearAgo, false
	}
	n := min(len(early), len(late), MaxValues)
	if n == 0 {
		// Nothing before start: the after window keeps the first value so
		// that the page can say where the series starts.
		after = seriesWindow(late[:1], measured)
		before = Window{Measured: measured}
		return before, after, before, before, true
	}
	before, after = seriesWindow(early[len(early)-n:], measured), seriesWindow(late[:n], measured)
	yearAgo := func(w Window) Window {
		from, to := w.From.AddYears(-1), w.To.AddYears(-1)
		var in []samverkan.IndicatorPoint
		for _, p := range points {
			if p.Day >= from && p.Day <= to && !p.Suppressed {
				in = append(in, p)
			}
		}
		if len(in) == 0 {
			return Window{From: from, To: to, Measured: measured}
		}
		return seriesWindow(in, measured)
	}
	return before, after, yearAgo(before), yearAgo(after), true
}

func seriesWindow(points []samverkan.IndicatorPoint, measured bool) Window {
	w := Window{From: points[0].Day, To: points[len(points)-1].Day, Periods: len(points), Measured: measured}
	for _, p := range points {
		if measured {
			w.Values = append(w.Values, p.Value)
		} else {
			w.Count += int(math.Round(p.Value))
		}
	}
	return w
}

// Counted names what an effect evaluation of counts counts, for its
// verdict: Noun in the plural ("rapporter"), Subject as the sentence's
// subject ("Rapporterna").
type Counted struct{ Noun, Subject string }

var (
	Reports = Counted{"rapporter", "Rapporterna"}
	Ads     = Counted{"annonser", "Annonserna"}
	Events  = Counted{"händelser", "Antalet"}
)

// Evaluation is an effect evaluation: equal windows before and after a start,
// and the same windows a year earlier to control for season. Counts are
// compared as Poisson rates (Now, YearAgo, Seasonal); measurements by the
// difference of their means (NowDiff, YearAgoDiff, SeasonalDiff).
type Evaluation struct {
	Measured                           bool
	Before, After                      Window
	BeforeYearAgo, AfterYearAgo        Window
	Now, YearAgo                       RateRatio
	Seasonal                           SeasonalRatio
	NowDiff, YearAgoDiff, SeasonalDiff MeanDifference
	TooFew                             bool
	Verdict                            string // in plain Swedish
}

// NowText and YearAgoText write the comparison of this year's windows and
// of those a year earlier, for the effect table.
func (e Evaluation) NowText() string {
	if e.Measured {
		return e.NowDiff.Text()
	}
	return e.Now.Text()
}

func (e Evaluation) YearAgoText() string {
	if e.Measured {
		return e.YearAgoDiff.Text()
	}
	return e.YearAgo.Text()
}

// EvaluateCounts compares counted windows by their rates per period and
// says what they show.
func EvaluateCounts(what Counted, before, after, beforeYearAgo, afterYearAgo Window) Evaluation {
	e := Evaluation{Before: before, After: after, BeforeYearAgo: beforeYearAgo, AfterYearAgo: afterYearAgo}
	e.Now = PoissonRateRatio(after.Count, before.Count, float64(after.Periods), float64(before.Periods))
	e.YearAgo = PoissonRateRatio(afterYearAgo.Count, beforeYearAgo.Count, float64(afterYearAgo.Periods), float64(beforeYearAgo.Periods))
	e.Seasonal = CompareSeasons(e.Now, e.YearAgo)
	n := after.Count + before.Count
	switch {
	case before.Periods == 0:
		e.TooFew = true
		e.Verdict = "Det finns inga värden före starten att jämföra med, så effekten kan inte bedömas."
	case after.Periods == 0:
		// Counts kept by hand often lag behind: none yet is not zero.
		e.TooFew = true
		e.Verdict = "Det finns inga värden efter starten ännu, så effekten kan inte bedömas."
	case n < MinCount:
		e.TooFew = true
		e.Verdict = fmt.Sprintf("För få %s (%d) för att säga något om effekten; det behövs minst %d före och efter tillsammans.", what.Noun, n, MinCount)
	case e.Now.Upper < 1:
		e.Verdict = fmt.Sprintf("%s minskade efter starten: kvoten är %s (95 %% konfidensintervall %s–%s), en minskning som inte bara är slump.",
			what.Subject, FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	case e.Now.Lower > 1:
		e.Verdict = fmt.Sprintf("%s ökade efter starten: kvoten är %s (95 %% konfidensintervall %s–%s).",
			what.Subject, FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	default:
		e.Verdict = fmt.Sprintf("Ingen säker förändring: kvoten är %s, men 95 %% konfidensintervallet %s–%s rymmer både en minskning och en ökning.",
			FormatRatio(e.Now.Estimate), FormatRatio(e.Now.Lower), FormatRatio(e.Now.Upper))
	}
	if !e.TooFew && e.Seasonal.Defined {
		span := "Samma period"
		if before.Weekly {
			span = "Samma veckor"
		}
		e.Verdict += fmt.Sprintf(" %s ett år tidigare var kvoten %s, så jämfört med årstiden är förändringen %s (%s–%s).",
			span, FormatRatio(e.YearAgo.Estimate), FormatRatio(e.Seasonal.Estimate), FormatRatio(e.Seasonal.Lower), FormatRatio(e.Seasonal.Upper))
		e.Verdict += seasonCaveat(e.Now.Upper < 1 || e.Now.Lower > 1, e.Seasonal.Lower <= 1 && e.Seasonal.Upper >= 1)
	}
	return e
}

// EvaluateMeans compares windows of measurements by the difference of
// their means (Welch) and says what it shows; the year-earlier windows
// give a difference in differences that controls for season.
func EvaluateMeans(before, after, beforeYearAgo, afterYearAgo Window) Evaluation {
	e := Evaluation{Measured: true, Before: before, After: after, BeforeYearAgo: beforeYearAgo, AfterYearAgo: afterYearAgo}
	e.NowDiff = WelchDifference(after.Values, before.Values)
	e.YearAgoDiff = WelchDifference(afterYearAgo.Values, beforeYearAgo.Values)
	e.SeasonalDiff = DifferenceInDifferences(after.Values, before.Values, afterYearAgo.Values, beforeYearAgo.Values)
	d := e.NowDiff
	switch {
	case len(before.Values) < MinValues || len(after.Values) < MinValues:
		e.TooFew = true
		e.Verdict = fmt.Sprintf("För få mätvärden (%d före och %d efter starten) för att säga något om effekten; det behövs minst %d före och %d efter.",
			len(before.Values), len(after.Values), MinValues, MinValues)
	case !d.Defined:
		e.TooFew = true
		e.Verdict = "Mätvärdena varierar inte alls, så det går inte att beräkna någon osäkerhet och inte säga något om effekten."
	case d.Upper < 0:
		e.Verdict = fmt.Sprintf("Mätvärdena sjönk efter starten: medelvärdet är %s lägre (95 %% konfidensintervall %s), en minskning som inte bara är slump.",
			FormatDecimal(-d.Estimate), d.interval())
	case d.Lower > 0:
		e.Verdict = fmt.Sprintf("Mätvärdena steg efter starten: medelvärdet är %s högre (95 %% konfidensintervall %s), en ökning som inte bara är slump.",
			FormatDecimal(d.Estimate), d.interval())
	default:
		e.Verdict = fmt.Sprintf("Ingen säker förändring: medelvärdet ändrades med %s, men 95 %% konfidensintervallet %s rymmer både en minskning och en ökning.",
			FormatDecimal(d.Estimate), d.interval())
	}
	if !e.TooFew && e.SeasonalDiff.Defined {
		e.Verdict += fmt.Sprintf(" Samma period ett år tidigare ändrades medelvärdet med %s, så jämfört med årstiden är förändringen %s (%s).",
			FormatDecimal(e.YearAgoDiff.Estimate), FormatDecimal(e.SeasonalDiff.Estimate), e.SeasonalDiff.interval())
		e.Verdict += seasonCaveat(d.Upper < 0 || d.Lower > 0, e.SeasonalDiff.Lower <= 0 && e.SeasonalDiff.Upper >= 0)
	}
	return e
}

// seasonCaveat qualifies a sure change when the comparison with the same
// time a year earlier is not sure, which may mean a like change then or
// only few values then: the season cannot be ruled out, and the verdict
// must not claim more than that.
func seasonCaveat(sureChange, seasonUnsure bool) string {
	switch {
	case sureChange && seasonUnsure:
		return " Jämförelsen med samma tid året innan är för osäker för att utesluta att förändringen beror på årstiden."
	case sureChange:
		return " Förändringen är säker även jämfört med årstiden."
	}
	return ""
}

// MeanDifference is a difference of means with its 95 % confidence
// interval and two-sided p-value from Welch's t-test, with
// Welch–Satterthwaite degrees of freedom DF. Defined is false when a group
// has fewer than two values or no group varies.
type MeanDifference struct {
	Estimate, Lower, Upper float64
	DF, P                  float64
	Defined                bool
}

// WelchDifference is mean(after) − mean(before), as R's
// t.test(after, before) computes it.
func WelchDifference(after, before []float64) MeanDifference {
	return welch([][]float64{after, before}, []float64{1, -1})
}

// DifferenceInDifferences is (mean(after) − mean(before)) −
// (mean(afterYearAgo) − mean(beforeYearAgo)), with the Welch–Satterthwaite
// approximation over the four groups.
func DifferenceInDifferences(after, before, afterYearAgo, beforeYearAgo []float64) MeanDifference {
	return welch([][]float64{after, before, afterYearAgo, beforeYearAgo}, []float64{1, -1, -1, 1})
}

// welch estimates Σ sign·mean over the groups, with the variance Σ s²/n
// and the Welch–Satterthwaite degrees of freedom.
func welch(groups [][]float64, signs []float64) MeanDifference {
	var d MeanDifference
	variance, dfDenominator := 0.0, 0.0
	for i, g := range groups {
		if len(g) < 2 {
			return MeanDifference{}
		}
		m, n := mean(g), float64(len(g))
		ss := 0.0
		for _, x := range g {
			ss += (x - m) * (x - m)
		}
		v := ss / (n - 1) / n
		d.Estimate += signs[i] * m
		variance += v
		dfDenominator += v * v / (n - 1)
	}
	if variance == 0 {
		return MeanDifference{}
	}
	d.Defined = true
	d.DF = variance * variance / dfDenominator
	se := math.Sqrt(variance)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: d.DF}
	q := t.Quantile(0.975)
	d.Lower, d.Upper = d.Estimate-q*se, d.Estimate+q*se
	d.P = 2 * t.Survival(math.Abs(d.Estimate)/se)
	return d
}

// Text writes the difference and its interval, "+3,5 (−1,2 till 8,1)", or
// "–" when it is not defined.
func (d MeanDifference) Text() string {
	if !d.Defined {
		return "–"
	}
	sign := ""
	if d.Estimate > 0 {
		sign = "+"
	}
	return sign + FormatDecimal(d.Estimate) + " (" + d.interval() + ")"
}

func (d MeanDifference) interval() string {
	return FormatDecimal(d.Lower) + " till " + FormatDecimal(d.Upper)
}

// FormatDecimal writes a number with at most two decimals, a decimal comma
// and a true minus sign: measurements such as shares need more precision
// than FormatNumber's one decimal.
func FormatDecimal(x float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return strings.NewReplacer(".", ",", "-", "−").Replace(s)
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

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
