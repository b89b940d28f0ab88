package reportio

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/trygg-est/trygg"
)

// ExportColumns are the columns of a CSV export, in order. They are the
// import columns plus id, organisation and version, so an export can be
// imported again.
var ExportColumns = []string{
	ColID, ColOccurredAt, ColOccurredEnd, ColReportedAt, ColArea, ColCategory, ColSeverity,
	ColPlaceType, ColDescription, ColLat, ColLon, ColOrganisation, ColVersion,
}

// CSVWriter streams reports as CSV (comma-separated, UTF-8, CRLF line
// ends). Times are RFC 3339 in Swedish time, so they are readable and
// unambiguous. Use it as the callback of trygg.ReportService.EachReport.
type CSVWriter struct {
	buf    *bufio.Writer
	w      *csv.Writer
	loc    *time.Location
	header bool
	record []string
}

// WriteCSV returns a CSVWriter that writes to w. Call Flush at the end: it
// also writes the header when there were no reports.
func WriteCSV(w io.Writer) *CSVWriter {
	buf := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	return &CSVWriter{buf: buf, w: cw, loc: trygg.Stockholm, record: make([]string, len(ExportColumns))}
}

// Write writes one report.
func (c *CSVWriter) Write(r *trygg.Report) error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	rec := c.record
	rec[0] = strconv.FormatInt(r.ID, 10)
	rec[1] = r.OccurredAt.In(c.loc).Format(time.RFC3339)
	rec[2] = ""
	if r.OccurredEnd != nil {
		rec[2] = r.OccurredEnd.In(c.loc).Format(time.RFC3339)
	}
	rec[3] = r.ReportedAt.In(c.loc).Format(time.RFC3339)
	rec[4] = guard(r.AreaCode)
	rec[5] = guard(r.Category)
	rec[6] = strconv.Itoa(r.Severity)
	rec[7] = guard(r.PlaceType)
	rec[8] = guard(r.Description)
	rec[9], rec[10] = "", ""
	if r.Location != nil {
		rec[9] = strconv.FormatFloat(r.Location.Lat, 'f', -1, 64)
		rec[10] = strconv.FormatFloat(r.Location.Lon, 'f', -1, 64)
	}
	rec[11] = guard(r.OrgCode)
	rec[12] = strconv.Itoa(r.Version)
	return c.w.Write(rec)
}

// Close writes the header if no report came, and flushes everything to the
// underlying writer, which it does not close.
func (c *CSVWriter) Close() error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

func (c *CSVWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	return c.w.Write(ExportColumns)
}

// guard defuses a cell that a spreadsheet program would read as a formula
// (CSV injection): it puts an apostrophe before a leading = + - @, tab or
// carriage return. A plain decimal number such as -33.86 is left alone: it
// is no formula, and coordinates must stay numbers.
func guard(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

// unguard undoes guard when reading a file back in.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsGuard(s[1:]) {
		return s[1:]
	}
	return s
}

func needsGuard(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return !isDecimal(s)
	}
	return false
}

// isDecimal reports whether s is an optional sign, digits and at most one
// decimal point, with at least one digit.
func isDecimal(s string) bool {
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.':
			points++
		case i == 0 && (c == '-' || c == '+'):
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}
