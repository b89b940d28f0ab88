package reportio

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
)

// csvColumn is one column of a CSV file of outside input: its name in
// messages, the header names accepted for it (in lower case), and whether
// the file may leave it out.
type csvColumn struct {
	name     string
	aliases  []string
	optional bool
}

// csvFormat describes a CSV file of outside input that holds one value a
// row, such as a manual indicator or the weekly ad counts.
type csvFormat struct {
	columns []csvColumn
	names   string // the columns in messages: "datum och värde"
	unit    string // what the rows hold, in the plural: "värden"
	maxRows int    // 0 means samverkan.MaxIndicatorRows
}

// csvRow is the record being read: its line, its fields and the problems
// found so far.
type csvRow struct {
	line int
	rec  []string
	cols map[string]int
	v    *trygg.Validation
}

// field returns the record's field in the named column, and false when
// the file leaves that optional column out.
func (r *csvRow) field(col string) (string, bool) {
	i, ok := r.cols[col]
	if !ok {
		return "", false
	}
	return r.rec[i], true
}

// fail reports a problem on the record's line, in column col ("" for the
// whole row).
func (r *csvRow) fail(col, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if col != "" {
		msg = "kolumn " + col + ": " + msg
	}
	r.v.Add("file", "rad %d, %s", r.line, msg)
}

// readCSV reads a file in format f: an optional byte order mark, a header
// naming f's columns in any order and case, then rows of as many fields;
// a comma or a semicolon as delimiter, whichever the header holds more of.
// Blank lines are skipped. row reads one record and reports its problems
// with fail; the values of the rows without problems come back in file
// order, at most samverkan.MaxIndicatorRows of them. Every problem is reported as
// field "file" with its line and column; with any problem nothing is
// returned.
func readCSV[T any](data []byte, f csvFormat, row func(r *csvRow) T) ([]T, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	header, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, indicatorFileError(fileProblem("Filen är tom. Första raden ska vara rubrikerna %s.", f.names))
		}
		return nil, indicatorFileError(fileProblem("Rubrikraden kunde inte läsas: %s", csvReason(err)))
	}
	cols := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		c := slices.IndexFunc(f.columns, func(c csvColumn) bool { return slices.Contains(c.aliases, strings.ToLower(h)) })
		if c < 0 {
			return nil, indicatorFileError(fileProblem("Okänd kolumn %q. Filen ska ha kolumnerna %s.", h, f.names))
		}
		name := f.columns[c].name
		if _, dup := cols[name]; dup {
			return nil, indicatorFileError(fileProblem("Kolumnen %s finns två gånger.", name))
		}
		cols[name] = i
	}
	for _, c := range f.columns {
		if _, ok := cols[c.name]; !ok && !c.optional {
			return nil, indicatorFileError(fileProblem("Kolumnen %s saknas på första raden. Filen ska ha kolumnerna %s.", c.name, f.names))
		}
	}
	var v trygg.Validation
	var out []T
	maxRows := cmp.Or(f.maxRows, samverkan.MaxIndicatorRows)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		r := &csvRow{rec: rec, cols: cols, v: &v}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.line = pe.StartLine
			}
			r.fail("", "%s", csvReason(err))
			break
		}
		r.line, _ = cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(out) >= maxRows {
			r.fail("", "Filen får ha högst %d %s.", maxRows, f.unit)
			break
		}
		if len(rec) != len(head) {
			r.fail("", "Raden har %d fält men rubrikraden %d.", len(rec), len(head))
			continue
		}
		n := len(v.Fields)
		x := row(r)
		if len(v.Fields) == n {
			out = append(out, x)
		}
	}
	if err := v.Err(); err != nil {
		return nil, indicatorFileError(v.Fields)
	}
	if len(out) == 0 {
		return nil, indicatorFileError(fileProblem("Filen har inga %s under rubrikraden.", f.unit))
	}
	return out, nil
}

// fileProblem is a problem with the file as a whole.
func fileProblem(format string, args ...any) []trygg.FieldError {
	return []trygg.FieldError{{Field: "file", Message: fmt.Sprintf(format, args...)}}
}

// indicatorFileError is the EINVALID of a file with problems: the one
// problem in its message, or how many there are.
func indicatorFileError(fields []trygg.FieldError) error {
	msg := "Filen kunde inte läsas in: " + fields[0].Message
	if len(fields) > 1 {
		msg = fmt.Sprintf("Filen har %d fel och lästes inte in.", len(fields))
	}
	return &trygg.Error{Code: trygg.EINVALID, Message: msg, Fields: fields}
}

// csvReason says why encoding/csv could not read a record.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
		return "ett citattecken är fel placerat."
	}
	return "raden kunde inte läsas som CSV."
}
