package reportio

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

// indicatorCSV is the file of a manual indicator: a day and a value.
var indicatorCSV = csvFormat{
	columns: []csvColumn{
		{name: "datum", aliases: []string{"datum", "date"}},
		{name: "värde", aliases: []string{"varde", "värde", "value"}},
	},
	names: "datum och värde",
	unit:  "värden",
}

// ParseIndicatorCSV reads the values of a manual indicator from a CSV
// file, as docs/samverkan.md describes: a header naming the columns datum
// (or date) and varde/värde (or value) in any order, a comma or semicolon
// as delimiter, dates as YYYY-MM-DD or YYYY-MM (the first of the month),
// and numbers with a decimal comma or point. Every problem is reported with
// its line and column, as field "file"; with any problem nothing is
// returned. The points come sorted by day, and a day may occur only once.
func ParseIndicatorCSV(data []byte) ([]samverkan.IndicatorPoint, error) {
	seen := map[trygg.Day]int{}
	points, err := readCSV(data, indicatorCSV, func(r *csvRow) samverkan.IndicatorPoint {
		var p samverkan.IndicatorPoint
		date, _ := r.field("datum")
		if d, err := parseIndicatorDate(date); err != nil {
			r.fail("datum", "%s", err)
		} else if first, dup := seen[d]; dup {
			r.fail("datum", "%s finns redan på rad %d.", d, first)
		} else {
			p.Day, seen[d] = d, r.line
		}
		value, _ := r.field("värde")
		if x, err := trygg.ParseDecimal(value); err != nil {
			r.fail("värde", "%s", err)
		} else {
			p.Value = x
		}
		return p
	})
	if err != nil {
		return nil, err
	}
	sortPoints(points)
	return points, nil
}

// parseIndicatorDate reads YYYY-MM-DD, or YYYY-MM for the first of the
// month, between 2000 and 2100.
func parseIndicatorDate(s string) (trygg.Day, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse("2006-01", s)
	}
	if err != nil {
		return 0, fmt.Errorf("%q är inget datum; skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM", s)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return 0, fmt.Errorf("%s ligger utanför åren 2000–2100", s)
	}
	return trygg.DateDay(t.Year(), t.Month(), t.Day()), nil
}

func sortPoints(ps []samverkan.IndicatorPoint) {
	slices.SortFunc(ps, func(a, b samverkan.IndicatorPoint) int { return cmp.Compare(a.Day, b.Day) })
}
