package trygg

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxIndicatorRows is the most values one indicator file may hold.
const MaxIndicatorRows = 10000

// ParseIndicatorCSV reads the values of a manual indicator from a CSV
// file, as docs/samverkan.md describes: a header naming the columns datum
// (or date) and varde/värde (or value) in any order, a comma or semicolon
// as delimiter, dates as YYYY-MM-DD or YYYY-MM (the first of the month),
// and numbers with a decimal comma or point. Every problem is reported with
// its line and column, as field "file"; with any problem nothing is
// returned. The points come sorted by day, and a day may occur only once.
func ParseIndicatorCSV(data []byte) ([]IndicatorPoint, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	header, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var v Validation
	fail := func(line int, col, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if col != "" {
			msg = fmt.Sprintf("kolumn %s: %s", col, msg)
		}
		v.Add("file", "rad %d, %s", line, msg)
	}
	head, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, indicatorFileError(fileProblem("Filen är tom. Första raden ska vara rubrikerna datum och värde."))
		}
		return nil, indicatorFileError(fileProblem("Rubrikraden kunde inte läsas: %s", csvReason(err)))
	}
	dateCol, valueCol := -1, -1
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "datum", "date":
			if dateCol >= 0 {
				return nil, indicatorFileError(fileProblem("Kolumnen datum finns två gånger."))
			}
			dateCol = i
		case "varde", "värde", "value":
			if valueCol >= 0 {
				return nil, indicatorFileError(fileProblem("Kolumnen värde finns två gånger."))
			}
			valueCol = i
		default:
			return nil, indicatorFileError(fileProblem("Okänd kolumn %q. Filen ska ha kolumnerna datum och värde.", strings.TrimSpace(h)))
		}
	}
	if dateCol < 0 || valueCol < 0 {
		return nil, indicatorFileError(fileProblem("Filen ska ha kolumnerna datum och värde på första raden."))
	}
	var points []IndicatorPoint
	seen := map[Day]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			fail(line, "", "%s", csvReason(err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(points) >= MaxIndicatorRows {
			fail(line, "", "Filen får ha högst %d värden.", MaxIndicatorRows)
			break
		}
		if len(rec) != len(head) {
			fail(line, "", "Raden har %d fält men rubrikraden %d.", len(rec), len(head))
			continue
		}
		p, ok := IndicatorPoint{}, true
		if d, err := parseIndicatorDate(rec[dateCol]); err != nil {
			fail(line, "datum", "%s", err)
			ok = false
		} else if first, dup := seen[d]; dup {
			fail(line, "datum", "%s finns redan på rad %d.", d, first)
			ok = false
		} else {
			p.Day = d
			seen[d] = line
		}
		if x, err := ParseDecimal(rec[valueCol]); err != nil {
			fail(line, "värde", "%s", err)
			ok = false
		} else {
			p.Value = x
		}
		if ok {
			points = append(points, p)
		}
	}
	if err := v.Err(); err != nil {
		return nil, indicatorFileError(v.Fields)
	}
	if len(points) == 0 {
		return nil, indicatorFileError(fileProblem("Filen har inga värden under rubrikraden."))
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
