package reportio

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/detect"
)

// MaxSeriesWeeks bounds a series read from a file: 10,000 weeks is close to
// two centuries, far more than any analyst's series, and it keeps a hostile
// file from making the detection run for minutes.
const MaxSeriesWeeks = 10000

// MaxWeekIndex bounds the week numbers, so that no arithmetic on them
// overflows.
const MaxWeekIndex = 1_000_000_000

// ReadSeries reads a weekly count series for the detection methods: a CSV file with the header week_index,count (in either
// order, comma or semicolon, an optional UTF-8 byte-order mark) and one row
// per week. The week indexes must be consecutive integers in increasing
// order and the counts whole numbers from 0. Errors are *trygg.Error with
// code EINVALID and a Swedish message naming the line and the column.
func ReadSeries(r io.Reader) (detect.Series, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	comma := ','
	first, _ := br.Peek(4096)
	if line, _, _ := strings.Cut(string(first), "\n"); strings.Contains(line, ";") && !strings.Contains(line, ",") {
		comma = ';'
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Filen är tom; den ska börja med rubrikraden week_index,count.")
	}
	if err != nil {
		return detect.Series{}, seriesCSVError(err)
	}
	weekCol, countCol := -1, -1
	for i, name := range header {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "week_index":
			weekCol = i
		case "count":
			countCol = i
		default:
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad 1: rubrikraden har en okänd kolumn %q; den ska vara week_index,count.", name)
		}
	}
	if weekCol < 0 || countCol < 0 || len(header) != 2 {
		return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad 1: rubrikraden ska vara week_index,count.")
	}

	var s detect.Series
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return detect.Series{}, seriesCSVError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 2 {
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad %d: raden har %d fält men ska ha 2 (week_index,count).", line, len(rec))
		}
		week, err := strconv.Atoi(strings.TrimSpace(rec[weekCol]))
		if err != nil || week < -MaxWeekIndex || week > MaxWeekIndex {
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad %d, kolumn week_index: %q är inget heltal mellan -%d och %d.", line, rec[weekCol], MaxWeekIndex, MaxWeekIndex)
		}
		count, err := strconv.Atoi(strings.TrimSpace(rec[countCol]))
		if err != nil || count < 0 || count > math.MaxInt32 {
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad %d, kolumn count: %q är inget antal; skriv ett heltal från 0.", line, rec[countCol])
		}
		if len(s.Counts) == 0 {
			s.FirstWeek = week
		} else if want := s.FirstWeek + len(s.Counts); week != want {
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad %d, kolumn week_index: veckan ska vara %d (veckorna ska komma i ordning utan luckor), inte %d.", line, want, week)
		}
		if len(s.Counts) == MaxSeriesWeeks {
			return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Rad %d: serien är längre än %d veckor.", line, MaxSeriesWeeks)
		}
		s.Counts = append(s.Counts, count)
	}
	if len(s.Counts) == 0 {
		return detect.Series{}, trygg.Errorf(trygg.EINVALID, "Filen har ingen vecka efter rubrikraden.")
	}
	return s, nil
}

func seriesCSVError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	problem := "felaktig CSV"
	switch {
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		problem = "ett citattecken står fel"
	}
	return trygg.Errorf(trygg.EINVALID, "Rad %d, kolumn %d: raden går inte att läsa som CSV: %s.", pe.StartLine, pe.Column, problem)
}

// WriteResults writes the results for s, one row per week, with the header
// week_index,count,method,upperbound,alarm. Weeks the method did not
// evaluate have NA as upper bound and alarm; weeks evaluated without a
// bound (too few recent cases for the Farrington methods) have NA as bound
// and false as alarm, as R writes them.
func WriteResults(w io.Writer, s detect.Series, method detect.Method, results []detect.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"week_index", "count", "method", "upperbound", "alarm"}); err != nil {
		return err
	}
	for i, r := range results {
		ub, alarm := "NA", "NA"
		if r.Evaluated {
			alarm = strconv.FormatBool(r.Alarm)
			if !math.IsNaN(r.UpperBound) {
				ub = strconv.FormatFloat(r.UpperBound, 'g', 17, 64)
			}
		}
		if err := cw.Write([]string{strconv.Itoa(s.FirstWeek + i), strconv.Itoa(r.Count), method.String(), ub, alarm}); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("skriv resultatet: %w", err)
	}
	return nil
}
