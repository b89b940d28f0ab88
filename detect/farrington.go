package detect

import "math"

// farringtonParams are the parameters of R's surveillance::farringtonFlexible
// that Trygg uses (the rest are that function's defaults: reweighting on,
// a trend when it is significant and does not extrapolate, no population
// offset).
type farringtonParams struct {
	b                    int     // years back
	w                    int     // half-width of the window around each reference week
	noPeriods            int     // 1: windows only; more: the weeks between windows as a factor with this many levels
	weightsThreshold     float64 // Anscombe residual above which a week is down-weighted
	pastWeeksNotIncluded int     // recent weeks left out of the fit, so an emerging outbreak does not raise its own baseline
	pThresholdTrend      float64
	nbPlugin             bool    // negative binomial quantile; otherwise 2/3-power transformation and the delta method
	alpha                float64 // one-sided
	limitCases           int     // no alarm with fewer than limitCases cases ...
	limitWeeks           int     // ... in the last limitWeeks weeks, the current one included
}

const weeksPerYear = 52

var farringtonConfig = farringtonParams{
	b: 4, w: 3, noPeriods: 1, weightsThreshold: 1, pastWeeksNotIncluded: 3,
	pThresholdTrend: 0.05, nbPlugin: false, alpha: 0.05, limitCases: 5, limitWeeks: 4,
}

var noufailyConfig = farringtonParams{
	b: 4, w: 3, noPeriods: 10, weightsThreshold: 2.58, pastWeeksNotIncluded: 26,
	pThresholdTrend: 1, nbPlugin: true, alpha: 0.05, limitCases: 5, limitWeeks: 4,
}

// historyNeeded is the number of weeks before the evaluated week that the
// oldest window reaches back.
func (c *farringtonParams) historyNeeded() int { return weeksPerYear*c.b + c.w }

// farringtonFlexible evaluates week t of counts. Besides the bound and the
// alarm it reports ok false when the week has too little history or the
// model cannot be fitted. With fewer than limitCases cases in the last
// limitWeeks weeks the week is evaluated but has no bound (NaN) and no
// alarm, as in R.
func farringtonFlexible(counts []int, t int, c *farringtonParams) (ub float64, alarm, ok bool) {
	if t < c.historyNeeded() || t >= len(counts) {
		return 0, false, false
	}
	recent := 0
	for i := t - c.limitWeeks + 1; i <= t; i++ {
		recent += counts[i]
	}
	if recent < c.limitCases {
		// R fits the model anyway and then drops the bound; the model
		// cannot change the outcome, so it is not fitted.
		return math.NaN(), false, true
	}
	d := c.design(counts, t, true)
	pred, ok := c.predict(d)
	if !ok {
		return 0, false, false
	}
	y := float64(counts[t])
	var fit float64
	if c.nbPlugin {
		mu0 := math.Exp(pred.eta)
		if math.IsInf(mu0, 1) {
			return math.NaN(), false, true
		}
		if pred.phi > 1 {
			ub = negBinomialQuantile(1-c.alpha, mu0/(pred.phi-1), mu0)
		} else {
			ub = poissonQuantile(1-c.alpha, mu0)
		}
		// R scores against the linear predictor here, not the mean.
		fit = pred.eta
	} else {
		mu0 := math.Exp(pred.eta)
		seMu := mu0 * pred.seEta
		tau := pred.phi + seMu*seMu/mu0
		se := math.Sqrt(4.0 / 9.0 * math.Cbrt(mu0) * tau)
		ub = math.Pow(math.Pow(mu0, 2.0/3.0)+normalUpperQuantile(c.alpha)*se, 1.5)
		fit = mu0
	}
	score := (y - fit) / (ub - fit)
	alarm = score > 1 && counts[t] != 0
	return ub, alarm, true
}

// design collects the weeks the model for week t is fitted to: for
// noPeriods 1 the windows of 2w+1 weeks around the same week in each of the
// b years before; for more periods also the weeks between the windows,
// split into noPeriods-1 blocks, the windows being the last level. The
// pastWeeksNotIncluded weeks before t and t itself are left out.
func (c *farringtonParams) design(counts []int, t int, trend bool) *glmDesign {
	first := t - weeksPerYear*c.b - c.w
	level := make([]int, t-first+1) // 0: not in the model
	at := func(week int) *int { return &level[week-first] }
	for week := t - c.w; week <= t; week++ {
		*at(week) = c.noPeriods
	}
	for i := 1; i <= c.b; i++ {
		ref := t - weeksPerYear*i
		for week := ref - c.w; week <= ref+c.w; week++ {
			*at(week) = c.noPeriods
		}
		if c.noPeriods == 1 {
			continue
		}
		newer := t - weeksPerYear*(i-1)
		between := newer - 2*c.w - 1 - ref
		size, rest := between/(c.noPeriods-1), between%(c.noPeriods-1)
		week := ref + c.w + 1
		for lv := 1; lv < c.noPeriods; lv++ {
			n := size
			if lv <= rest {
				n++
			}
			for ; n > 0; n-- {
				*at(week) = lv
				week++
			}
		}
	}
	for week := max(first, t-c.pastWeeksNotIncluded); week <= t; week++ {
		*at(week) = 0
	}

	// The factor's levels are those left in the data, the lowest one the
	// baseline, as R's as.factor orders them.
	present := make([]bool, c.noPeriods+1)
	for _, lv := range level {
		present[lv] = true
	}
	dummyOf := make([]int, c.noPeriods+1)
	d := &glmDesign{trend: trend}
	baseline := true
	for lv := 1; lv <= c.noPeriods; lv++ {
		dummyOf[lv] = -1
		if !present[lv] || c.noPeriods == 1 {
			continue
		}
		if baseline {
			baseline = false
			continue
		}
		dummyOf[lv] = d.nDummy
		d.nDummy++
	}
	for i, lv := range level {
		if lv == 0 {
			continue
		}
		d.y = append(d.y, float64(counts[first+i]))
		d.time = append(d.time, float64(first+i-t))
		d.dummy = append(d.dummy, dummyOf[lv])
	}
	d.predictDummy = dummyOf[c.noPeriods]
	return d
}

type prediction struct {
	eta   float64 // linear predictor for the evaluated week
	seEta float64 // its standard error
	phi   float64 // overdispersion, at least 1
}

// predict fits the model as farringtonFlexible does: with a trend first,
// reweighted by Anscombe residuals, and without the trend when it is not
// significant at pThresholdTrend or its prediction exceeds every count in
// the data; a model with a trend that does not converge is replaced by
// one without.
func (c *farringtonParams) predict(d *glmDesign) (prediction, bool) {
	m, ok := c.fitReweighted(d)
	if !ok {
		return prediction{}, false
	}
	if d.trend {
		eta := d.eta(m.fit.beta, 0, d.predictDummy)
		maxY := 0.0
		for _, y := range d.y {
			maxY = math.Max(maxY, y)
		}
		se := math.Sqrt(m.scale * m.fit.unscaled[1][1])
		p := studentTTwoSidedP(m.fit.beta[1]/se, float64(m.fit.dfResidual))
		if !(p < c.pThresholdTrend && math.Exp(eta) <= maxY && c.b >= 3) {
			d.trend = false
			if m, ok = c.fitReweighted(d); !ok {
				return prediction{}, false
			}
		}
	}
	eta := d.eta(m.fit.beta, 0, d.predictDummy)
	seEta := math.Sqrt(m.scale * d.quadForm(m.fit.unscaled, 0, d.predictDummy))
	return prediction{eta: eta, seEta: seEta, phi: m.phi}, true
}

// reweightedModel is a fit with what farringtonFlexible takes from it.
type reweightedModel struct {
	fit glmFit
	phi float64 // overdispersion: the reweighted fit's dispersion, at least 1
	// scale is the dispersion R uses for the trend's test and for the
	// prediction's standard error. farringtonFlexible replaces the fitted
	// model's working weights (prior weight × mean) by the prior weights
	// alone before R's summary and predict recompute the dispersion from
	// them, so this is Σ ω_i·((y_i-μ_i)/μ_i)² / df: smaller than the
	// dispersion by about the size of the means. Matching R means keeping it.
	scale float64
}

// fitReweighted fits d, falling back to no trend when the trend model does
// not converge (d.trend is updated to match), then refits with weights
// that shrink weeks whose Anscombe residual exceeds weightsThreshold (past
// outbreaks).
func (c *farringtonParams) fitReweighted(d *glmDesign) (reweightedModel, bool) {
	fit, ok := fitQuasiPoisson(d, nil)
	if (!ok || !fit.converged) && d.trend {
		d.trend = false
		fit, ok = fitQuasiPoisson(d, nil)
	}
	if !ok || !fit.converged {
		return reweightedModel{}, false
	}
	phi := math.Max(fit.dispersion, 1)
	h := fit.hatValues(d)
	omega := make([]float64, len(d.y))
	sum := 0.0
	for i, y := range d.y {
		mu := fit.mu[i]
		s := 1.5 * (math.Pow(y, 2.0/3.0)*math.Pow(mu, -1.0/6.0) - math.Sqrt(mu)) / math.Sqrt(phi*(1-h[i]))
		omega[i] = 1
		if s > c.weightsThreshold {
			omega[i] = 1 / (s * s)
		}
		sum += omega[i]
	}
	gamma := float64(len(omega)) / sum
	for i := range omega {
		omega[i] *= gamma
	}
	// R does not check that the reweighted fit converged.
	if fit, ok = fitQuasiPoisson(d, omega); !ok {
		return reweightedModel{}, false
	}
	m := reweightedModel{fit: fit, phi: math.Max(fit.dispersion, 1), scale: math.NaN()}
	if fit.dfResidual > 0 {
		chi2 := 0.0
		for i, y := range d.y {
			if omega[i] > 0 {
				r := (y - fit.mu[i]) / fit.mu[i]
				chi2 += omega[i] * r * r
			}
		}
		m.scale = chi2 / float64(fit.dfResidual)
	}
	return m, true
}
