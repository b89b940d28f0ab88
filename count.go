package trygg

import (
	"context"
	"math"
	"strconv"
)

// CountFilter selects the reports that aggregate counts are made of. Empty
// lists mean "all". Deleted reports are never counted; a report counts on
// the Stockholm day it occurred, in the area and category it has now, for
// the type its reporting organisation had when it was filed.
type CountFilter struct {
	From, To   Day // inclusive
	Areas      []string
	Categories []string
	OrgTypes   []OrgType
}

// Validate checks the period.
func (f CountFilter) Validate() error {
	var v Validation
	if f.To < f.From {
		v.Add("to", "Slutdatum får inte vara före startdatum.")
	} else if f.To-f.From > 366*20 {
		v.Add("to", "Perioden får vara högst 20 år.")
	}
	return v.Err()
}

// CellCount is the number of reports of one category in one area over a
// period.
type CellCount struct {
	Area     string
	Category string
	Count    int
}

// WeekCube holds weekly counts per area × category. Series[i].Counts[k] is
// the count of the ISO week that starts on FirstMonday + 7k. Series with no
// report in the span are left out.
type WeekCube struct {
	FirstMonday Day
	Weeks       int
	Series      []WeekSeries
}

// WeekSeries is the weekly count series of one area and category.
type WeekSeries struct {
	Area     string
	Category string
	Counts   []int
}

// CountService reads the counts that the lägesbild is built from. They are
// kept up to date in the same transaction as every change to a report, so
// reading them never touches the reports themselves.
type CountService interface {
	// CountCells returns counts per area × category over the filter's
	// period. Samordnare, polis, läsare and admin may call it; others get
	// ENOTFOUND. An invalid period gives EINVALID.
	CountCells(ctx context.Context, f CountFilter) ([]CellCount, error)

	// CountWeeks returns weekly counts per area × category for every ISO
	// week from the one that holds f.From to the one that holds f.To,
	// each week counted whole. Callers as for CountCells.
	CountWeeks(ctx context.Context, f CountFilter) (*WeekCube, error)
}

// ReportsText says a number of reports in Swedish: "1 rapport" or "n
// rapporter".
func ReportsText(n int) string {
	if n == 1 {
		return "1 rapport"
	}
	return strconv.Itoa(n) + " rapporter"
}

// ExpectedAtMost is the largest whole count at or below a detection's
// upper bound: what "förväntat högst" says. A bound below zero (or NaN)
// gives 0.
func ExpectedAtMost(bound float64) int {
	if math.IsNaN(bound) || bound < 0 {
		return 0
	}
	return int(math.Floor(bound))
}
