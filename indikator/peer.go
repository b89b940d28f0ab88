package indikator

import (
	"math"
	"slices"
)

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of sorted values by linear
// interpolation between the order statistics (Hyndman and Fan's type 7,
// R's and a spreadsheet's default), so that the band agrees with what an
// analyst computes by hand. NaN for no values.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * q
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// YearStats is one year of a comparison: the home municipality's value and
// the peers' median and interquartile band (the 25th to the 75th
// percentile). The home municipality is not one of its own peers.
type YearStats struct {
	Year    int     `json:"year"`
	Home    float64 `json:"home"`
	HasHome bool    `json:"has_home"`
	Median  float64 `json:"median"`
	Q1      float64 `json:"q1"`
	Q3      float64 `json:"q3"`
	Peers   int     `json:"peers"` // peers with a value this year; 0 means no band
}

// Change is how a value moved between two years.
type Change struct {
	FromYear   int     `json:"from_year"`
	ToYear     int     `json:"to_year"`
	From       float64 `json:"from"`
	To         float64 `json:"to"`
	Diff       float64 `json:"diff"`
	Percent    float64 `json:"percent"`
	HasPercent bool    `json:"has_percent"` // false when From is 0
}

// Comparison is a series for one municipality against its peer group.
type Comparison struct {
	Home  string      `json:"home"`
	Years []YearStats `json:"years"` // oldest first; years where the home or a peer has a value
	// Latest is the newest year with a value for the home municipality;
	// Rank is its place that year among itself and the peers with a
	// value (1 is best by the series' polarity), out of RankOf.
	Latest int `json:"latest"`
	Rank   int `json:"rank"`
	RankOf int `json:"rank_of"`
	// Change5 is the home municipality's change over the five years up
	// to Latest; nil without a value five years before.
	Change5 *Change `json:"change5,omitempty"`
	// PeerChange5 is the same for the peer median.
	PeerChange5 *Change `json:"peer_change5,omitempty"`
}

// ChangeYears is the span of the change the comparison reports.
const ChangeYears = 5

// Compare compares home with peers on values (of one series; other areas
// are ignored). Ties share the better rank.
func Compare(values []Value, home string, peers []string, p Polarity) Comparison {
	isPeer := make(map[string]bool, len(peers))
	for _, m := range peers {
		if m != home {
			isPeer[m] = true
		}
	}
	homeBy := map[int]float64{}
	peerBy := map[int][]float64{}
	for _, v := range values {
		switch {
		case v.Area == home:
			homeBy[v.Year] = v.Value
		case isPeer[v.Area]:
			peerBy[v.Year] = append(peerBy[v.Year], v.Value)
		}
	}
	var years []int
	for y := range homeBy {
		years = append(years, y)
	}
	for y := range peerBy {
		if _, ok := homeBy[y]; !ok {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	c := Comparison{Home: home}
	medians := map[int]float64{}
	for _, y := range years {
		st := YearStats{Year: y}
		st.Home, st.HasHome = homeBy[y]
		if ps := peerBy[y]; len(ps) > 0 {
			slices.Sort(ps)
			st.Peers = len(ps)
			st.Median, st.Q1, st.Q3 = Quantile(ps, 0.5), Quantile(ps, 0.25), Quantile(ps, 0.75)
			medians[y] = st.Median
		}
		c.Years = append(c.Years, st)
		if st.HasHome {
			c.Latest = y
		}
	}
	if c.Latest == 0 {
		return c
	}
	c.Rank, c.RankOf = Rank(homeBy[c.Latest], peerBy[c.Latest], p)
	if ch, ok := ChangeOver(homeBy, c.Latest, ChangeYears); ok {
		c.Change5 = &ch
	}
	if ch, ok := ChangeOver(medians, c.Latest, ChangeYears); ok {
		c.PeerChange5 = &ch
	}
	return c
}

// Rank places v among itself and others: 1 plus the number of others that
// are strictly better by p. It returns the rank and the number ranked.
func Rank(v float64, others []float64, p Polarity) (rank, of int) {
	rank = 1
	for _, o := range others {
		if (p == LowerIsBetter && o < v) || (p != LowerIsBetter && o > v) {
			rank++
		}
	}
	return rank, len(others) + 1
}

// ChangeOver is the change of byYear from span years before to: both
// values must exist.
func ChangeOver(byYear map[int]float64, to, span int) (Change, bool) {
	last, ok1 := byYear[to]
	first, ok2 := byYear[to-span]
	if !ok1 || !ok2 {
		return Change{}, false
	}
	c := Change{FromYear: to - span, ToYear: to, From: first, To: last, Diff: last - first}
	if first != 0 {
		c.Percent, c.HasPercent = (last-first)/math.Abs(first)*100, true
	}
	return c, true
}

// Rate turns counts into a rate per `per` residents (1 for per capita,
// 1000 for per 1,000 residents) with the population of the same area and
// year. Values without a population, or with a population of zero, are
// left out: a rate is never guessed.
func Rate(counts, population []Value, per float64) []Value {
	type key struct {
		area string
		year int
	}
	pop := make(map[key]float64, len(population))
	for _, p := range population {
		pop[key{p.Area, p.Year}] = p.Value
	}
	out := make([]Value, 0, len(counts))
	for _, c := range counts {
		n, ok := pop[key{c.Area, c.Year}]
		if !ok || n <= 0 {
			continue
		}
		c.Value = c.Value / n * per
		out = append(out, c)
	}
	return out
}

// Latest returns, per area, the value of the newest year in values.
func Latest(values []Value) map[string]Value {
	out := map[string]Value{}
	for _, v := range values {
		if old, ok := out[v.Area]; !ok || v.Year > old.Year {
			out[v.Area] = v
		}
	}
	return out
}

// Decimals is how many decimals the values are shown with: 0 when every
// value is whole, else 1 (2 for values between −1 and 1).
func Decimals(values []Value) int {
	dec := 0
	for _, v := range values {
		if v.Value != math.Trunc(v.Value) {
			dec = 1
			if math.Abs(v.Value) < 1 {
				return 2
			}
		}
	}
	return dec
}
