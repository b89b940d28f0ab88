// Package reportio reads and writes incident reports, areas and indicator
// values in the file formats Trygg exchanges with the outside world: CSV
// import and export of reports, GeoJSON export of reports, GeoJSON import
// of area outlines, the JSON body of the API's report endpoints, and the
// CSV files of a manual indicator's values and of the weekly ad counts.
// Every reader here takes untrusted input, answers bad input with Swedish
// messages that name the line, column or field, and is fuzzed.
package reportio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
)

// CSV columns of the report import and export.
//
// The import file is UTF-8, with or without a byte-order mark. The first line
// is a header naming the columns, in any order. The delimiter is a comma or a
// semicolon (as Swedish Excel writes), whichever the header uses. Values may
// be quoted as in RFC 4180.
//
//	column        required  content
//	occurred_at   yes       when it happened: RFC 3339 (2024-05-17T22:30:00+02:00)
//	                        or "YYYY-MM-DD HH:MM[:SS]" in Swedish time (Europe/Stockholm)
//	occurred_end  no        when it ended, same formats; empty for a point in time
//	area          yes       area code, e.g. alidhem
//	category      yes       category code, e.g. klotter (not an archived one)
//	severity      yes       1 (låg), 2 (medel) or 3 (hög)
//	place_type    yes       place type code: skola, centrum, butik, bostad, park, gata,
//	                        kollektivtrafik, parkering, fritid, krog, natur, annat
//	description   yes       free text, at most 2000 characters, no personal data
//	lat, lon      no        WGS 84 position with a decimal point (63.8258, 20.2630); both
//	                        or neither; stored rounded to about 50 m
//	reported_at   no        when it was reported, same formats as occurred_at; empty: now
//	id, organisation, version, line, error
//	              no        ignored: written by the export and by --skip-invalid, so
//	                        that those files can be imported again
//
// Header names are not case-sensitive. An unknown column, a column given
// twice or a missing required column rejects the whole file.
//
// The export writes the columns id, occurred_at, occurred_end, reported_at,
// area, category, severity, place_type, description, lat, lon, organisation
// and version. A text cell that starts with = + - @, a tab or a carriage
// return is written with a leading apostrophe (') so that spreadsheet
// programs do not run it as a formula (plain numbers such as -33.86 are left
// alone); the import removes that apostrophe again, so an export can be
// imported unchanged. reportio/CSV.md says the same for the README.
const (
	ColOccurredAt   = "occurred_at"
	ColOccurredEnd  = "occurred_end"
	ColArea         = "area"
	ColCategory     = "category"
	ColSeverity     = "severity"
	ColPlaceType    = "place_type"
	ColDescription  = "description"
	ColLat          = "lat"
	ColLon          = "lon"
	ColReportedAt   = "reported_at"
	ColID           = "id"
	ColOrganisation = "organisation"
	ColVersion      = "version"
	ColLine         = "line"
	ColError        = "error"
)

// requiredColumns must be in every import file.
var requiredColumns = []string{ColOccurredAt, ColArea, ColCategory, ColSeverity, ColPlaceType, ColDescription}

// importColumn tells, for each column the import accepts, whether it is read
// (false: accepted and ignored).
var importColumn = map[string]bool{
	ColOccurredAt: true, ColOccurredEnd: true, ColArea: true, ColCategory: true,
	ColSeverity: true, ColPlaceType: true, ColDescription: true, ColLat: true,
	ColLon: true, ColReportedAt: true,
	ColID: false, ColOrganisation: false, ColVersion: false, ColLine: false, ColError: false,
}

// RowError is one problem in an import file.
type RowError struct {
	Line    int    // 1-based line in the file where the record starts
	Column  string // column name from the header; "" when the whole row is wrong
	Message string // Swedish
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("rad %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("rad %d, kolumn %s: %s", e.Line, e.Column, e.Message)
}

// Known lists the codes an import may use. A nil map is not checked (the
// store checks again when writing).
type Known struct {
	Areas      map[string]bool // area codes
	Categories map[string]bool // codes of categories that are not archived
}

// BadRow is a row that failed validation, with its fields as in the file.
type BadRow struct {
	Line   int
	Record []string
	Errors []RowError
}

// Import is the result of reading a report CSV file.
type Import struct {
	Header []string // the column names as in the file
	Comma  rune     // the delimiter the file uses
	Rows   []trygg.ImportRow
	Bad    []BadRow
}

// Errors returns every problem in every bad row, in file order.
func (im *Import) Errors() []RowError {
	var errs []RowError
	for _, b := range im.Bad {
		errs = append(errs, b.Errors...)
	}
	return errs
}

// ReadReports reads and validates a report CSV file (see the column list
// above). Every row is checked fully, with trygg.ReportInput.Validate and
// against known, and every problem is collected: the valid rows are in
// Rows, the others in Bad. now is the time of the import; rows without
// reported_at get the zero ReportedAt, which the store reads as now.
//
// The file is streamed; only the parsed rows are kept. progress, if not nil,
// is called with the number of bytes read so far as reading proceeds.
//
// The error is an EINVALID *trygg.Error when the file is not a report CSV at
// all (empty, a bad header, an unknown or missing column), and any error
// from r.
func ReadReports(r io.Reader, known Known, now time.Time, progress func(bytesRead int64)) (*Import, error) {
	if progress != nil {
		r = &progressReader{r: r, progress: progress}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	comma, err := detectComma(br)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	// Hand-written files have quotes inside unquoted cells (Han sa "hej");
	// take them literally rather than reject the row.
	cr.LazyQuotes = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, trygg.Errorf(trygg.EINVALID, "Filen är tom; den ska börja med en rubrikrad med kolumnnamnen.")
	} else if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, trygg.Errorf(trygg.EINVALID, "Rubrikraden går inte att läsa: %s.", csvProblem(pe.Err))
		}
		return nil, err
	}
	header = append([]string(nil), header...)
	cols, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	p := rowParser{cols: cols, known: known, now: now, loc: trygg.Stockholm}
	im := &Import{Header: header, Comma: comma}
	err = parseInParallel(cr, &p, im)
	return im, err
}

// recordBatch is a run of consecutive records, numbered so that the
// parsed rows can be put back in file order.
type recordBatch struct {
	seq     int
	lines   []int
	records [][]string
	rows    []trygg.ImportRow
	bad     []BadRow
}

// recordsPerBatch is how many records one worker parses at a time.
const recordsPerBatch = 2048

// parseInParallel reads records on this goroutine and parses and
// validates them on one worker per CPU: checking a row (times, personal
// data in the text) costs more than reading it, and an import should use
// every core while the database work that follows uses one. Rows and bad
// rows come out in file order.
func parseInParallel(cr *csv.Reader, p *rowParser, im *Import) error {
	cr.ReuseRecord = false
	todo, done := make(chan *recordBatch, 4), make(chan *recordBatch, 4)
	var workers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() {
			for b := range todo {
				for i, rec := range b.records {
					if row, errs := p.parse(b.lines[i], rec); errs != nil {
						b.bad = append(b.bad, BadRow{Line: b.lines[i], Record: rec, Errors: errs})
					} else {
						b.rows = append(b.rows, row)
					}
				}
				done <- b
			}
		})
	}
	var batches []*recordBatch
	collected := make(chan struct{})
	go func() {
		for b := range done {
			batches = append(batches, b)
		}
		close(collected)
	}()

	var readErr error
	b := &recordBatch{}
	for {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				readErr = err
				break
			}
			line := pe.StartLine
			im.Bad = append(im.Bad, BadRow{Line: line, Record: record,
				Errors: []RowError{{Line: line, Message: "Raden går inte att läsa som CSV: " + csvProblem(pe.Err) + "."}}})
			continue
		}
		line, _ := cr.FieldPos(0)
		b.lines, b.records = append(b.lines, line), append(b.records, record)
		if len(b.records) == recordsPerBatch {
			todo <- b
			b = &recordBatch{seq: b.seq + 1}
		}
	}
	todo <- b
	close(todo)
	workers.Wait()
	close(done)
	<-collected
	if readErr != nil {
		return readErr
	}
	slices.SortFunc(batches, func(x, y *recordBatch) int { return x.seq - y.seq })
	for _, b := range batches {
		im.Rows = append(im.Rows, b.rows...)
		im.Bad = append(im.Bad, b.bad...)
	}
	slices.SortStableFunc(im.Bad, func(x, y BadRow) int { return x.Line - y.Line })
	return nil
}

// detectComma picks the delimiter the header line uses most: a semicolon or
// a comma.
func detectComma(br *bufio.Reader) (rune, error) {
	first, err := br.Peek(br.Size())
	if len(first) == 0 {
		if err == io.EOF || err == nil {
			return 0, trygg.Errorf(trygg.EINVALID, "Filen är tom; den ska börja med en rubrikrad med kolumnnamnen.")
		}
		return 0, err
	}
	if i := bytes.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
		return ';', nil
	}
	return ',', nil
}

// columns maps each read column to its index in a record (-1: absent).
type columns struct {
	occurredAt, occurredEnd, area, category, severity, placeType, description, lat, lon, reportedAt int
	count                                                                                           int
}

func readHeader(header []string) (columns, error) {
	c := columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, len(header)}
	index := map[string]*int{
		ColOccurredAt: &c.occurredAt, ColOccurredEnd: &c.occurredEnd, ColArea: &c.area,
		ColCategory: &c.category, ColSeverity: &c.severity, ColPlaceType: &c.placeType,
		ColDescription: &c.description, ColLat: &c.lat, ColLon: &c.lon, ColReportedAt: &c.reportedAt,
	}
	seen := map[string]bool{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		header[i] = name
		read, ok := importColumn[name]
		switch {
		case !ok:
			return c, trygg.Errorf(trygg.EINVALID, "Rubrikraden har en okänd kolumn %s. Tillåtna kolumner är %s.", quote(name), strings.Join(knownColumnList(), ", "))
		case seen[name]:
			return c, trygg.Errorf(trygg.EINVALID, "Rubrikraden har kolumnen %s två gånger.", name)
		}
		seen[name] = true
		if read {
			*index[name] = i
		}
	}
	var missing []string
	for _, name := range requiredColumns {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) == 1 {
		return c, trygg.Errorf(trygg.EINVALID, "Rubrikraden saknar den obligatoriska kolumnen %s.", missing[0])
	} else if len(missing) > 1 {
		return c, trygg.Errorf(trygg.EINVALID, "Rubrikraden saknar de obligatoriska kolumnerna %s.", strings.Join(missing, ", "))
	}
	if (c.lat < 0) != (c.lon < 0) {
		return c, trygg.Errorf(trygg.EINVALID, "Rubrikraden har bara en av kolumnerna lat och lon; ange båda eller ingen.")
	}
	return c, nil
}

func knownColumnList() []string {
	return []string{ColOccurredAt, ColOccurredEnd, ColArea, ColCategory, ColSeverity, ColPlaceType,
		ColDescription, ColLat, ColLon, ColReportedAt, ColID, ColOrganisation, ColVersion, ColLine, ColError}
}

// rowParser turns one record into an ImportRow.
type rowParser struct {
	cols  columns
	known Known
	now   time.Time
	loc   *time.Location
}

func (p *rowParser) parse(line int, rec []string) (trygg.ImportRow, []RowError) {
	row := trygg.ImportRow{Line: line}
	if len(rec) != p.cols.count {
		return row, []RowError{{Line: line, Message: fmt.Sprintf("Raden har %d fält men rubrikraden har %d.", len(rec), p.cols.count)}}
	}
	var errs []RowError
	bad := func(col, format string, args ...any) {
		errs = append(errs, RowError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	in := &row.Input
	// Columns with a syntax error, so that Validate does not repeat them.
	var badTime, badEnd, badSeverity bool
	if s := field(rec, p.cols.occurredAt); s != "" {
		t, ok := parseTime(s, p.loc)
		if !ok {
			bad(ColOccurredAt, "%s är ingen tid; skriv t.ex. 2024-05-17 22:30 eller 2024-05-17T22:30:00+02:00.", quote(s))
			badTime = true
		}
		in.OccurredAt = t
	}
	if s := field(rec, p.cols.occurredEnd); s != "" {
		t, ok := parseTime(s, p.loc)
		if !ok {
			bad(ColOccurredEnd, "%s är ingen tid; skriv t.ex. 2024-05-17 23:00 eller lämna tomt.", quote(s))
			badEnd = true
		} else {
			in.OccurredEnd = &t
		}
	}
	if s := field(rec, p.cols.reportedAt); s != "" {
		t, ok := parseTime(s, p.loc)
		switch {
		case !ok:
			bad(ColReportedAt, "%s är ingen tid; skriv t.ex. 2024-05-17 22:30 eller lämna tomt.", quote(s))
		case t.After(p.now.Add(5 * time.Minute)):
			bad(ColReportedAt, "Tiden för rapporten kan inte ligga i framtiden.")
		default:
			row.ReportedAt = t
		}
	}
	in.AreaCode = field(rec, p.cols.area)
	in.Category = field(rec, p.cols.category)
	in.PlaceType = field(rec, p.cols.placeType)
	in.Description = field(rec, p.cols.description)
	if s := field(rec, p.cols.severity); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad(ColSeverity, "%s är inget heltal; skriv 1, 2 eller 3.", quote(s))
			badSeverity = true
		}
		in.Severity = n
	}
	if p.cols.lat >= 0 {
		lat, lon := field(rec, p.cols.lat), field(rec, p.cols.lon)
		switch {
		case lat == "" && lon == "":
		case lat == "":
			bad(ColLat, "Latitud saknas; ange både lat och lon eller ingen av dem.")
		case lon == "":
			bad(ColLon, "Longitud saknas; ange både lat och lon eller ingen av dem.")
		default:
			la, okLat := parseCoord(lat, 90)
			lo, okLon := parseCoord(lon, 180)
			if !okLat {
				bad(ColLat, "%s är ingen latitud; skriv ett tal mellan −90 och 90 med decimalpunkt, t.ex. 63.8258.", quote(lat))
			}
			if !okLon {
				bad(ColLon, "%s är ingen longitud; skriv ett tal mellan −180 och 180 med decimalpunkt, t.ex. 20.2630.", quote(lon))
			}
			if okLat && okLon {
				in.Location = &trygg.Point{Lat: la, Lon: lo}
			}
		}
	}
	for _, fe := range trygg.ErrorFields(in.Validate(p.now)) {
		col := fe.Field
		switch {
		case col == "location":
			col = ColLat
		case col == ColOccurredAt && badTime, col == ColOccurredEnd && badEnd, col == ColSeverity && badSeverity:
			continue
		}
		bad(col, "%s", fe.Message)
	}
	if p.known.Areas != nil && in.AreaCode != "" && !p.known.Areas[in.AreaCode] {
		bad(ColArea, "Området %s finns inte.", quote(in.AreaCode))
	}
	if p.known.Categories != nil && in.Category != "" && !p.known.Categories[in.Category] {
		bad(ColCategory, "Kategorin %s finns inte eller är arkiverad.", quote(in.Category))
	}
	if errs != nil {
		return row, errs
	}
	return row, nil
}

// field returns a cell without surrounding space and without the
// apostrophe that the export puts before formula-like text.
func field(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return unguard(strings.TrimSpace(rec[i]))
}

// Time formats of the import besides RFC 3339, read in Swedish time.
var localTimeLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05"}

func parseTime(s string, loc *time.Location) (time.Time, bool) {
	if len(s) > 10 && s[10] == 'T' {
		t, err := time.Parse(time.RFC3339, s)
		return t, err == nil
	}
	for _, layout := range localTimeLayouts {
		if len(s) == len(layout) {
			t, err := time.ParseInLocation(layout, s, loc)
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// parseCoord reads a decimal degree written with digits, an optional sign
// and a decimal point (no exponent, no "Inf"), within ±limit.
func parseCoord(s string, limit float64) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(v) > limit {
		return 0, false
	}
	return v, true
}

// quote shows a value from the file in a message: quoted, escaped, and cut
// short so that a long cell cannot flood the terminal.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "ett citattecken (\") står mitt i ett fält som inte är citerat"
	case errors.Is(err, csv.ErrQuote):
		return "ett citerat fält avslutas inte med citattecken"
	}
	return "felaktigt format"
}

// progressReader reports how many bytes have been read.
type progressReader struct {
	r        io.Reader
	n        int64
	progress func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if n > 0 {
		p.progress(p.n)
	}
	return n, err
}

// WriteRejects writes the bad rows to w as CSV, for --skip-invalid: the
// file's own columns and delimiter, plus the columns line (the row's line in
// the imported file) and error (every problem, separated by "; "). The
// import ignores those two columns, so the file can be corrected and
// imported again. Text cells are guarded against formulas like the export.
func (im *Import) WriteRejects(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Comma = im.Comma
	cw.UseCRLF = true
	header := im.Header
	lineCol, errCol := indexOf(header, ColLine), indexOf(header, ColError)
	if lineCol < 0 {
		header = append(header[:len(header):len(header)], ColLine)
		lineCol = len(header) - 1
	}
	if errCol < 0 {
		header = append(header[:len(header):len(header)], ColError)
		errCol = len(header) - 1
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, b := range im.Bad {
		rec := make([]string, max(len(header), len(b.Record)))
		for i, s := range b.Record {
			rec[i] = guard(s)
		}
		msgs := make([]string, len(b.Errors))
		for i, e := range b.Errors {
			msgs[i] = e.Message
			if e.Column != "" {
				msgs[i] = e.Column + ": " + e.Message
			}
		}
		rec[lineCol] = strconv.Itoa(b.Line)
		rec[errCol] = guard(strings.Join(msgs, "; "))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
