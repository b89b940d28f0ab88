// Package detect decides which weeks of a weekly count series are unusually
// high: the EARS methods C1, C2 and C3 for short series and the improved
// Farrington method (Noufaily et al. 2013) for series with years of
// history. The methods follow R's surveillance package (earsC and
// farringtonFlexible) so that their results can be checked against it;
// docs/detection.md says where and why C3 does not.
//
// Everything here is pure computation on []int: no storage, no clock.
package detect

import (
	"fmt"
	"math"
)

// Method is a detection algorithm with its fixed parameters.
type Method int

const (
	EARSC1 Method = iota + 1
	EARSC2
	EARSC3
	Farrington
	Noufaily
)

// Methods lists every method in the order the CLI documents them.
var Methods = []Method{EARSC1, EARSC2, EARSC3, Farrington, Noufaily}

var methodNames = map[Method]string{
	EARSC1:     "ears-c1",
	EARSC2:     "ears-c2",
	EARSC3:     "ears-c3",
	Farrington: "farrington",
	Noufaily:   "noufaily",
}

// String is the method's name on the command line and in output files.
func (m Method) String() string {
	if s, ok := methodNames[m]; ok {
		return s
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod reads a method's name as String writes it.
func ParseMethod(s string) (Method, bool) {
	for _, m := range Methods {
		if methodNames[m] == s {
			return m, true
		}
	}
	return 0, false
}

// Result is the outcome for one week of a series.
type Result struct {
	Index int // position in the counts
	Count int
	// UpperBound is the largest count that is not unusual: the week
	// alarms when Count > UpperBound. NaN when the week is not evaluated,
	// and for the Farrington methods when the last 4 weeks have fewer than
	// 5 cases: such a week is evaluated but never alarms.
	UpperBound float64
	Alarm      bool
	// Evaluated is false when the series has too little history before
	// this week for the method.
	Evaluated bool
}

// Evaluate runs method on every week of counts from index from to the end
// and returns one Result per week, in order. Weeks with too little history
// before them come back with Evaluated false. A negative from counts as 0.
func Evaluate(counts []int, method Method, from int) []Result {
	if from < 0 {
		from = 0
	}
	if from >= len(counts) {
		return nil
	}
	out := make([]Result, 0, len(counts)-from)
	for t := from; t < len(counts); t++ {
		r := Result{Index: t, Count: counts[t], UpperBound: math.NaN()}
		var ub float64
		var alarm, ok bool
		switch method {
		case EARSC1, EARSC2:
			ub, ok = earsC12(counts, t, method == EARSC2)
			alarm = ok && float64(counts[t]) > ub
		case EARSC3:
			ub, alarm, ok = earsC3(counts, t)
		case Farrington:
			ub, alarm, ok = farringtonFlexible(counts, t, &farringtonConfig)
		case Noufaily:
			ub, alarm, ok = farringtonFlexible(counts, t, &noufailyConfig)
		}
		if ok {
			r.UpperBound, r.Alarm, r.Evaluated = ub, alarm, true
		}
		out = append(out, r)
	}
	return out
}

// HistoryNeeded is the number of weeks before a week that method needs to
// evaluate it.
func HistoryNeeded(method Method) int {
	switch method {
	case EARSC1:
		return earsBaseline
	case EARSC2:
		return earsBaseline + 2
	case EARSC3:
		return earsBaseline + 4
	case Farrington:
		return farringtonConfig.historyNeeded()
	case Noufaily:
		return noufailyConfig.historyNeeded()
	}
	return 0
}

// Choose picks the method for a series with historyWeeks weeks before the
// week to evaluate: noufaily when its b years of history and window are
// there, EARS C2 otherwise. The reason, in Swedish, is for the user.
func Choose(historyWeeks int) (Method, string) {
	need := HistoryNeeded(Noufaily)
	if historyWeeks >= need {
		return Noufaily, fmt.Sprintf(
			"Förbättrad Farrington (Noufaily): serien har %d veckors historik, och metoden behöver %d (%d år och %d veckor), så säsong och trend kan räknas in.",
			historyWeeks, need, noufailyConfig.b, noufailyConfig.w)
	}
	return EARSC2, fmt.Sprintf(
		"EARS C2: serien har %d veckors historik, färre än de %d (%d år och %d veckor) som förbättrad Farrington behöver, så veckan jämförs med veckorna 3–9 före den.",
		historyWeeks, need, noufailyConfig.b, noufailyConfig.w)
}
