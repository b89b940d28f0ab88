package detect

import "math"

// glmDesign is the design of the Farrington models: an intercept, an
// optional time trend and an optional factor with one dummy column per
// level after the first. Every row has at most three non-zero entries, so
// the normal equations are built in O(n) rather than O(n·p²), which is what
// makes detection over a thousand series fast.
type glmDesign struct {
	y      []float64
	time   []float64 // centred on the evaluated week, for a well-conditioned X'WX
	dummy  []int     // index of the row's dummy column among the dummies, -1 for none
	trend  bool
	nDummy int
	// predictDummy is the dummy of the evaluated week's level, -1 for the baseline.
	predictDummy int
}

func (d *glmDesign) cols() int {
	p := 1 + d.nDummy
	if d.trend {
		p++
	}
	return p
}

// timeCol and dummyCol are the columns of the trend and of dummy j.
func (d *glmDesign) timeCol() int { return 1 }
func (d *glmDesign) dummyCol(j int) int {
	if d.trend {
		return 2 + j
	}
	return 1 + j
}

// eta is the linear predictor of a row with time t and dummy g.
func (d *glmDesign) eta(beta []float64, t float64, g int) float64 {
	e := beta[0]
	if d.trend {
		e += beta[1] * t
	}
	if g >= 0 {
		e += beta[d.dummyCol(g)]
	}
	return e
}

// quadForm is x'Mx for the row with time t and dummy g.
func (d *glmDesign) quadForm(m [][]float64, t float64, g int) float64 {
	idx := [3]int{0, -1, -1}
	val := [3]float64{1, 0, 0}
	n := 1
	if d.trend {
		idx[n], val[n] = 1, t
		n++
	}
	if g >= 0 {
		idx[n], val[n] = d.dummyCol(g), 1
		n++
	}
	s := 0.0
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			s += val[a] * val[b] * m[idx[a]][idx[b]]
		}
	}
	return s
}

// glmFit is a quasi-Poisson log-linear fit as R's glm.fit leaves it: the
// covariance, the working weights and hence the dispersion and the hat
// values come from the last weighted least-squares step, whose weights
// were computed from the fitted means before that step.
type glmFit struct {
	beta       []float64
	mu         []float64
	working    []float64   // prior weight × mean before the last step
	unscaled   [][]float64 // (X'WX)⁻¹ of the last step
	converged  bool
	dispersion float64 // Pearson χ² / residual degrees of freedom, NaN without any
	dfResidual int
}

// glm control, as R's glm.control defaults it.
const (
	glmEpsilon = 1e-8
	glmMaxIter = 25
	minMean    = 2.220446049250313e-16 // R's log link keeps means at or above machine epsilon
)

// fitQuasiPoisson fits log E[y] = Xβ by iteratively reweighted least
// squares, starting, as R does for the Poisson family, from μ = y + 0.1,
// and stopping when the deviance changes by less than glmEpsilon relative
// to it. prior holds the prior weights (nil for all 1). ok is false when
// the normal equations are singular.
func fitQuasiPoisson(d *glmDesign, prior []float64) (fit glmFit, ok bool) {
	n, p := len(d.y), d.cols()
	pw := func(i int) float64 {
		if prior == nil {
			return 1
		}
		return prior[i]
	}
	mu := make([]float64, n)
	eta := make([]float64, n)
	for i, y := range d.y {
		mu[i] = y + 0.1
		eta[i] = math.Log(mu[i])
	}
	yLogY := make([]float64, n)
	for i, y := range d.y {
		if y > 0 {
			yLogY[i] = y * math.Log(y)
		}
	}
	devOld := poissonDeviance(d.y, yLogY, mu, eta, prior)
	working := make([]float64, n)
	a := newMatrix(p)
	rhs := make([]float64, p)
	beta := make([]float64, p)
	var chol [][]float64
	converged := false
	for iter := 0; iter < glmMaxIter; iter++ {
		for r := range a {
			clear(a[r])
		}
		clear(rhs)
		tc := -1
		if d.trend {
			tc = d.timeCol()
		}
		for i, y := range d.y {
			w := pw(i) * mu[i]
			working[i] = w
			z := eta[i] + (y-mu[i])/mu[i]
			t := d.time[i]
			a[0][0] += w
			rhs[0] += w * z
			if tc >= 0 {
				a[0][tc] += w * t
				a[tc][tc] += w * t * t
				rhs[tc] += w * t * z
			}
			if g := d.dummy[i]; g >= 0 {
				c := d.dummyCol(g)
				a[0][c] += w
				a[c][c] += w
				rhs[c] += w * z
				if tc >= 0 {
					a[tc][c] += w * t
				}
			}
		}
		for r := 0; r < p; r++ {
			for c := 0; c < r; c++ {
				a[r][c] = a[c][r]
			}
		}
		var ok bool
		chol, ok = cholesky(a)
		if !ok {
			return glmFit{}, false
		}
		beta = choleskySolve(chol, rhs)
		for i := range d.y {
			eta[i] = d.eta(beta, d.time[i], d.dummy[i])
			if mu[i] = math.Exp(eta[i]); mu[i] < minMean {
				mu[i] = minMean
			}
		}
		dev := poissonDeviance(d.y, yLogY, mu, eta, prior)
		if math.IsNaN(dev) || math.IsInf(dev, 0) {
			return glmFit{}, false
		}
		if math.Abs(dev-devOld)/(math.Abs(dev)+0.1) < glmEpsilon {
			converged = true
			break
		}
		devOld = dev
	}
	fit = glmFit{beta: beta, mu: mu, working: working, unscaled: choleskyInverse(chol), converged: converged}
	fit.dfResidual = n - p
	for _, w := range prior {
		if w == 0 {
			fit.dfResidual--
		}
	}
	fit.dispersion = math.NaN()
	if fit.dfResidual > 0 {
		chi2 := 0.0
		for i, y := range d.y {
			if working[i] > 0 {
				r := (y - mu[i]) / mu[i]
				chi2 += working[i] * r * r
			}
		}
		fit.dispersion = chi2 / float64(fit.dfResidual)
	}
	return fit, true
}

// poissonDeviance is 2·Σ w_i·(y_i·log(y_i/μ_i) - (y_i - μ_i)), with
// log y_i given (yLogY[i] = y_i·log y_i, 0 for y_i = 0) and log μ_i = η_i
// unless the mean was raised to machine epsilon: the IRLS loop calls this
// on every iteration, and logarithms were most of its time.
func poissonDeviance(y, yLogY, mu, eta, prior []float64) float64 {
	dev := 0.0
	for i := range y {
		w := 1.0
		if prior != nil {
			w = prior[i]
		}
		r := mu[i] - y[i]
		if y[i] > 0 {
			logMu := eta[i]
			if mu[i] <= minMean {
				logMu = math.Log(mu[i])
			}
			r += yLogY[i] - y[i]*logMu
		}
		dev += 2 * w * r
	}
	return dev
}

// hatValues are the diagonal of the fit's hat matrix, w_i·x_i'(X'WX)⁻¹x_i.
func (f *glmFit) hatValues(d *glmDesign) []float64 {
	h := make([]float64, len(d.y))
	for i := range h {
		h[i] = f.working[i] * d.quadForm(f.unscaled, d.time[i], d.dummy[i])
	}
	return h
}

func newMatrix(p int) [][]float64 {
	m := make([][]float64, p)
	for i := range m {
		m[i] = make([]float64, p)
	}
	return m
}

// cholesky returns the lower-triangular L with LL' = a, or false when a is
// not numerically positive definite.
func cholesky(a [][]float64) ([][]float64, bool) {
	p := len(a)
	l := newMatrix(p)
	for j := 0; j < p; j++ {
		s := a[j][j]
		for k := 0; k < j; k++ {
			s -= l[j][k] * l[j][k]
		}
		if !(s > 1e-13*a[j][j]) || a[j][j] <= 0 {
			return nil, false
		}
		l[j][j] = math.Sqrt(s)
		for i := j + 1; i < p; i++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * l[j][k]
			}
			l[i][j] = s / l[j][j]
		}
	}
	return l, true
}

func choleskySolve(l [][]float64, b []float64) []float64 {
	p := len(l)
	x := make([]float64, p)
	for i := 0; i < p; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * x[k]
		}
		x[i] = s / l[i][i]
	}
	for i := p - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < p; k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
	return x
}

func choleskyInverse(l [][]float64) [][]float64 {
	p := len(l)
	inv := newMatrix(p)
	e := make([]float64, p)
	for j := 0; j < p; j++ {
		clear(e)
		e[j] = 1
		col := choleskySolve(l, e)
		for i := range col {
			inv[i][j] = col[i]
		}
	}
	return inv
}
