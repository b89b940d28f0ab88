package trygg

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxIndicatorRows is the most values one indicator file may hold.
const MaxIndicatorRows = 10000

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
func ParseIndicatorCSV(data []byte) ([]IndicatorPoint, error) {
	seen := map[Day]int{}
	points, err := readCSV(data, indicatorCSV, func(r *csvRow) IndicatorPoint {
		var p IndicatorPoint
		date, _ := r.field("datum")
		if d, err := parseIndicatorDate(date); err != nil {
			r.fail("datum", "%s", err)
		} else if first, dup := seen[d]; dup {
			r.fail("datum", "%s finns redan på rad %d.", d, first)
		} else {
			p.Day, seen[d] = d, r.line
		}
		value, _ := r.field("värde")
		if x, err := ParseDecimal(value); err != nil {
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

func fileProblem(format string, args ...any) []FieldError {
	return []FieldError{{Field: "file", Message: fmt.Sprintf(format, args...)}}
}

func indicatorFileError(fields []FieldError) error {
	msg := "Filen kunde inte läsas in: " + fields[0].Message
	if len(fields) > 1 {
		msg = fmt.Sprintf("Filen har %d fel och lästes inte in.", len(fields))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
		return "ett citattecken är fel placerat."
	}
	return "raden kunde inte läsas som CSV."
}

// parseIndicatorDate reads YYYY-MM-DD, or YYYY-MM for the first of the
// month, between 2000 and 2100.
func parseIndicatorDate(s string) (Day, error) {
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
	return DateDay(t.Year(), t.Month(), t.Day()), nil
}

// ParseDecimal reads a number written with a decimal comma or point, and
// an optional minus sign; no thousands separators.
func ParseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.Replace(strings.Replace(s, "−", "-", 1), ",", ".", 1)
	if s == "" {
		return 0, errors.New("värdet saknas")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEinfINFxXpP_") {
		return 0, fmt.Errorf("%q är inget tal; skriv till exempel 12 eller 3,5", s)
	}
	if math.Abs(x) >= 1e12 {
		return 0, errors.New("talet är för stort")
	}
	return x, nil
}

func sortPoints(ps []IndicatorPoint) {
	slices.SortFunc(ps, func(a, b IndicatorPoint) int { return cmp.Compare(a.Day, b.Day) })
}
