package reportio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
)

// The importers of national indicator series (docs/indikatorer.md): Kolada's
// v2 data JSON, BRÅ's CSV of reported crimes, the police's list of utsatta
// områden and a population series. Each returns an indikator.Batch, or an
// EINVALID whose fields are all "file" and name the line and the field of
// each problem; with any problem nothing is returned, so that nothing is
// half imported.

// Licence notes stored with every series of a source and shown with its
// chart. They say the terms in general words; docs/indikatorer.md links
// the sources' own pages.
const (
	LicenceKolada     = "Kolada (RKA): öppna data, fria att använda och sprida med Kolada/RKA angiven som källa."
	LicenceBra        = "Brå, kriminalstatistik: officiell statistik, fri att använda med Brå angiven som källa."
	LicencePolisen    = "Polismyndigheten, lägesbild över utsatta områden: allmän handling, fri att använda med Polisen angiven som källa."
	LicenceBefolkning = "SCB, befolkningsstatistik: öppna data, fria att använda med SCB angiven som källa."
)

var koladaKPI = regexp.MustCompile(`^[A-Z][0-9]{5}$`)

// KoladaKPI is the part of Kolada's KPI metadata (v2 /kpi) that names a
// series.
type KoladaKPI struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// ParseKoladaKPIs reads Kolada's v2 /kpi response ({"values": [{"id",
// "title", …}]}) into titles by KPI id. Fields it does not use are
// ignored.
func ParseKoladaKPIs(data []byte) (map[string]KoladaKPI, error) {
	var doc struct {
		Values []KoladaKPI `json:"values"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, indicatorFileError(fileProblem("KPI-filen är inte Koladas JSON: %s", jsonReason(data, err)))
	}
	out := make(map[string]KoladaKPI, len(doc.Values))
	for i, k := range doc.Values {
		k.Title = strings.TrimSpace(k.Title)
		if !koladaKPI.MatchString(k.ID) || k.Title == "" || len(k.Title) > indikator.MaxNameLen {
			return nil, indicatorFileError(fileProblem("KPI nummer %d i KPI-filen: fält id eller title är ogiltigt.", i+1))
		}
		out[k.ID] = k
	}
	return out, nil
}

// koladaValue is one element of the v2 data response's "values".
type koladaValue struct {
	KPI          *string `json:"kpi"`
	Municipality *string `json:"municipality"`
	Period       *int    `json:"period"`
	Values       *[]struct {
		Gender string   `json:"gender"`
		Value  *float64 `json:"value"`
		Status string   `json:"status"`
		Count  int      `json:"count"`
	} `json:"values"`
}

// ParseKoladaJSON reads Kolada's v2 data response, as the API returns it
// for /v2/data/kpi/{kpi}/year/{years} and the like:
//
//	{"count": 2, "values": [{"kpi": "N07403", "municipality": "2480",
//	  "period": 2024, "values": [{"count": 1, "gender": "T", "status": "",
//	  "value": 61.2}, …]}], "next_page": "…"}
//
// It keeps the total ("gender": "T") and skips values that are null
// (Kolada's "no value"). kpis, from ParseKoladaKPIs, names the series;
// without a title a series is called "Kolada <id>". The series code is
// "kolada_" and the KPI id in lower case. retrieved is the day the file
// was fetched.
func ParseKoladaJSON(data []byte, retrieved trygg.Day, kpis map[string]KoladaKPI) (*indikator.Batch, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v trygg.Validation
	lines := lineCounter{data: data, line: 1}
	fail := func(off int64, field, format string, args ...any) {
		if len(v.Fields) < maxProblems {
			v.Add("file", "rad %d, fält %s: %s", lines.at(off), field, fmt.Sprintf(format, args...))
		}
	}
	b := &indikator.Batch{Source: indikator.SourceKolada}
	series := map[string]bool{}
	codes := map[string]string{} // KPI id → series code, made once
	seen := map[indikator.Value]int{}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, indicatorFileError(fileProblem("Filen är inte Koladas JSON: %s", jsonReason(data, err)))
	}
	sawValues := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, indicatorFileError(fileProblem("Filen är inte Koladas JSON: %s", jsonReason(data, err)))
		}
		key, _ := tok.(string)
		if key != "values" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, indicatorFileError(fileProblem("Filen är inte Koladas JSON: %s", jsonReason(data, err)))
			}
			continue
		}
		sawValues = true
		if err := expectDelim(dec, '['); err != nil {
			return nil, indicatorFileError(fileProblem("Fältet values ska vara en lista: %s", jsonReason(data, err)))
		}
		for dec.More() {
			off := dec.InputOffset()
			var kv koladaValue
			if err := dec.Decode(&kv); err != nil {
				return nil, indicatorFileError(fileProblem("rad %d: värdet kunde inte läsas: %s", lines.at(off), jsonReason(data, err)))
			}
			switch {
			case kv.KPI == nil || !koladaKPI.MatchString(*kv.KPI):
				fail(off, "kpi", "ska vara ett KPI-id som N07403.")
				continue
			case kv.Municipality == nil || !indikator.ValidMunicipality(*kv.Municipality):
				fail(off, "municipality", "ska vara en kommunkod med fyra siffror.")
				continue
			case kv.Period == nil || *kv.Period < indikator.MinYear || *kv.Period > indikator.MaxYear:
				fail(off, "period", "ska vara ett år %d–%d.", indikator.MinYear, indikator.MaxYear)
				continue
			case kv.Values == nil:
				fail(off, "values", "saknas.")
				continue
			}
			code, ok := codes[*kv.KPI]
			if !ok {
				code = "kolada_" + strings.ToLower(*kv.KPI)
				codes[*kv.KPI] = code
			}
			for _, g := range *kv.Values {
				if !slices.Contains([]string{"T", "K", "M"}, g.Gender) {
					fail(off, "values.gender", "%q är inget kön i Kolada (T, K eller M).", g.Gender)
					continue
				}
				if g.Gender != "T" || g.Value == nil {
					continue
				}
				if math.Abs(*g.Value) >= 1e12 {
					fail(off, "values.value", "talet är för stort.")
					continue
				}
				val := indikator.Value{Series: code, Area: *kv.Municipality, Year: *kv.Period}
				if first, dup := seen[val]; dup {
					fail(off, "period", "kommun %s år %d finns redan på rad %d.", val.Area, val.Year, first)
					continue
				}
				seen[val] = lines.at(off)
				val.Value = *g.Value
				b.Values = append(b.Values, val)
				if len(b.Values) > indikator.MaxImportRow {
					return nil, indicatorFileError(fileProblem("Filen har fler än %d värden.", indikator.MaxImportRow))
				}
				if !series[code] {
					series[code] = true
					name := "Kolada " + *kv.KPI
					if k, ok := kpis[*kv.KPI]; ok {
						name = k.Title
					}
					b.Series = append(b.Series, indikator.Series{Code: code, Name: name, Source: indikator.SourceKolada, Kind: indikator.KindMeasure,
						Polarity: indikator.Neutral, Licence: LicenceKolada, Retrieved: retrieved, External: *kv.KPI})
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, indicatorFileError(fileProblem("Filen är inte Koladas JSON: %s", jsonReason(data, err)))
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, indicatorFileError(fileProblem("Filen är inte Koladas JSON: %s", jsonReason(data, err)))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, indicatorFileError(fileProblem("Efter JSON-objektet följer mer text."))
	}
	if err := v.Err(); err != nil {
		return nil, indicatorFileError(v.Fields)
	}
	if !sawValues || len(b.Values) == 0 {
		return nil, indicatorFileError(fileProblem("Filen har inga värden: fältet values saknas eller är tomt."))
	}
	return b, nil
}

// maxProblems caps the problems listed for one file.
const maxProblems = 50

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("väntade %q", string(d))
	}
	return nil
}

// jsonReason says in Swedish why JSON could not be read, with the line.
func jsonReason(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntaxfel på rad %d.", 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")))
	case errors.As(err, &te):
		return fmt.Sprintf("fält %s har fel typ på rad %d.", te.Field, 1+bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "filen tar slut för tidigt."
	}
	return "filen är inte giltig JSON."
}

// lineCounter turns increasing byte offsets into line numbers without
// counting from the start each time. An offset before a value points at
// the separator before it, so whitespace and a comma are skipped first.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) at(off int64) int {
	o := int(off)
	for o < len(c.data) && (c.data[o] == ',' || c.data[o] == ' ' || c.data[o] == '\n' || c.data[o] == '\r' || c.data[o] == '\t') {
		o++
	}
	if o < c.off {
		return c.line
	}
	c.line += bytes.Count(c.data[c.off:o], []byte("\n"))
	c.off = o
	return c.line
}

// parseStatNumber reads a number as Swedish statistics write it: spaces
// (also non-breaking) between thousands and a decimal comma. "", "..",
// "-" and "–" mean no value (ok is false, err nil).
func parseStatNumber(s string) (v float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "..", ".", "-", "–":
		return 0, false, nil
	}
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(s)
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e12 {
		return 0, false, errors.New("inget tal")
	}
	return v, true, nil
}

func parseYear(r *csvRow, col string) int {
	s, _ := r.field(col)
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < indikator.MinYear || y > indikator.MaxYear {
		r.fail(col, "%q är inget år %d–%d.", strings.TrimSpace(s), indikator.MinYear, indikator.MaxYear)
		return 0
	}
	return y
}

// municipalityName records the optional column kommun of a row as the name
// of code.
func municipalityName(names map[string]string, r *csvRow, code string) {
	name, ok := r.field("kommun")
	name = strings.TrimSpace(name)
	if ok && code != "" && name != "" && len(name) <= 100 {
		names[code] = name
	}
}

func parseMunicipality(r *csvRow, col string) string {
	s, _ := r.field(col)
	s = strings.TrimSpace(s)
	if len(s) == 3 && indikator.ValidMunicipality("0"+s) {
		s = "0" + s // a spreadsheet drops the leading zero of 0180
	}
	if !indikator.ValidMunicipality(s) {
		r.fail(col, "%q är ingen kommunkod med fyra siffror.", s)
		return ""
	}
	return s
}

// braCSV is BRÅ's table of reported crimes per municipality and year, as
// its statistics database exports it (docs/indikatorer.md).
var braCSV = csvFormat{
	columns: []csvColumn{
		{name: "kommunkod", aliases: []string{"kommunkod", "regionkod", "kod"}},
		{name: "kommun", aliases: []string{"kommun", "region"}, optional: true},
		{name: "år", aliases: []string{"år", "ar", "year"}},
		{name: "brott", aliases: []string{"brott", "brottstyp", "brottskategori"}},
		{name: "antal", aliases: []string{"antal", "antal anmälda brott", "anmälda brott"}},
		{name: "per 100 000 inv", aliases: []string{"per 100 000 inv", "per 100 000 invånare", "per 100000 inv"}, optional: true},
	},
	names:   "kommunkod, kommun, år, brott, antal och per 100 000 inv",
	unit:    "rader",
	maxRows: indikator.MaxImportRow,
}

type braRow struct {
	area, crime  string
	year         int
	count, per   float64
	hasN, hasPer bool
}

// ParseBraCSV reads BRÅ's reported crimes per municipality and year: a
// header naming kommunkod, år, brott and antal (kommun and per 100 000
// inv optional), a semicolon or comma as delimiter, numbers with spaces
// and a decimal comma, ".." for no value. Each crime becomes the series
// "bra_" + its name as a slug (a count), and with the rate column also
// "…_per_100000" (a measure).
func ParseBraCSV(data []byte, retrieved trygg.Day) (*indikator.Batch, error) {
	seen := map[string]int{}
	names := map[string]string{}
	rows, err := readCSV(data, braCSV, func(r *csvRow) braRow {
		var x braRow
		x.area = parseMunicipality(r, "kommunkod")
		municipalityName(names, r, x.area)
		x.year = parseYear(r, "år")
		crime, _ := r.field("brott")
		x.crime = strings.TrimSpace(crime)
		if x.crime == "" || len(x.crime) > 200 || indikator.Slug(x.crime) == "" {
			r.fail("brott", "brottet saknas eller är för långt.")
		}
		s, _ := r.field("antal")
		var err error
		if x.count, x.hasN, err = parseStatNumber(s); err != nil || x.count < 0 {
			r.fail("antal", "%q är inget antal.", strings.TrimSpace(s))
		}
		if s, ok := r.field("per 100 000 inv"); ok {
			if x.per, x.hasPer, err = parseStatNumber(s); err != nil || x.per < 0 {
				r.fail("per 100 000 inv", "%q är inget tal.", strings.TrimSpace(s))
			}
		}
		key := fmt.Sprintf("%s|%d|%s", x.area, x.year, indikator.Slug(x.crime))
		if first, dup := seen[key]; dup && x.area != "" && x.year != 0 {
			r.fail("brott", "kommun %s, år %d och brottet finns redan på rad %d.", x.area, x.year, first)
		} else {
			seen[key] = r.line
		}
		return x
	})
	if err != nil {
		return nil, err
	}
	b := &indikator.Batch{Source: indikator.SourceBra, Names: names}
	have := map[string]bool{}
	addSeries := func(code, name, unit string, kind indikator.Kind, external string) {
		if !have[code] {
			have[code] = true
			b.Series = append(b.Series, indikator.Series{Code: code, Name: name, Source: indikator.SourceBra, Unit: unit, Kind: kind,
				Polarity: indikator.LowerIsBetter, Licence: LicenceBra, Retrieved: retrieved, External: external})
		}
	}
	for _, x := range rows {
		code := "bra_" + indikator.Slug(x.crime)
		if len(code) > 68 {
			code = strings.TrimSuffix(code[:68], "_")
		}
		if x.hasN {
			addSeries(code, "Anmälda brott: "+x.crime, "antal", indikator.KindCount, x.crime)
			b.Values = append(b.Values, indikator.Value{Series: code, Area: x.area, Year: x.year, Value: x.count})
		}
		if x.hasPer {
			addSeries(code+"_per_100000", "Anmälda brott per 100 000 invånare: "+x.crime, "per 100 000 inv.", indikator.KindMeasure, x.crime)
			b.Values = append(b.Values, indikator.Value{Series: code + "_per_100000", Area: x.area, Year: x.year, Value: x.per})
		}
	}
	if len(b.Values) == 0 {
		return nil, indicatorFileError(fileProblem("Filen har inga värden, bara tomma fält."))
	}
	return b, nil
}

// PoliceClass is the police's classification of an area.
type PoliceClass string

const (
	PoliceUtsatt         PoliceClass = "utsatt_omrade"
	PoliceRisk           PoliceClass = "riskomrade"
	PoliceSarskiltUtsatt PoliceClass = "sarskilt_utsatt_omrade"
)

// PoliceClasses lists the classes from the mildest.
var PoliceClasses = []PoliceClass{PoliceUtsatt, PoliceRisk, PoliceSarskiltUtsatt}

// Label is the police's name of the class.
func (c PoliceClass) Label() string {
	switch c {
	case PoliceUtsatt:
		return "Utsatt område"
	case PoliceRisk:
		return "Riskområde"
	case PoliceSarskiltUtsatt:
		return "Särskilt utsatt område"
	}
	return string(c)
}

var policeCSV = csvFormat{
	columns: []csvColumn{
		{name: "område", aliases: []string{"område", "omrade", "namn"}},
		{name: "kommun", aliases: []string{"kommun"}, optional: true},
		{name: "kommunkod", aliases: []string{"kommunkod", "kod"}},
		{name: "klassificering", aliases: []string{"klassificering", "kategori", "klass"}},
		{name: "år", aliases: []string{"år", "ar", "year"}},
	},
	names:   "område, kommun, kommunkod, klassificering och år",
	unit:    "områden",
	maxRows: 100_000,
}

type policeRow struct {
	area, name string
	class      PoliceClass
	year       int
}

// ParsePoliceAreasCSV reads the police's list of utsatta områden: one row
// per area and year of the list, with its municipality code and its
// classification ("Utsatt område", "Riskområde", "Särskilt utsatt
// område", or their slugs). It becomes counts per municipality and year:
// one series per class and "polisen_utsatta_omraden" for all three.
func ParsePoliceAreasCSV(data []byte, retrieved trygg.Day) (*indikator.Batch, error) {
	seen := map[string]int{}
	names := map[string]string{}
	rows, err := readCSV(data, policeCSV, func(r *csvRow) policeRow {
		var x policeRow
		name, _ := r.field("område")
		x.name = strings.TrimSpace(name)
		if x.name == "" || len(x.name) > 200 {
			r.fail("område", "områdets namn saknas eller är för långt.")
		}
		x.area = parseMunicipality(r, "kommunkod")
		municipalityName(names, r, x.area)
		x.year = parseYear(r, "år")
		cl, _ := r.field("klassificering")
		slug := PoliceClass(indikator.Slug(cl))
		if !slices.Contains(PoliceClasses, slug) {
			r.fail("klassificering", "%q är ingen av polisens klasser (utsatt område, riskområde, särskilt utsatt område).", strings.TrimSpace(cl))
		}
		x.class = slug
		key := fmt.Sprintf("%d|%s", x.year, strings.ToLower(x.name))
		if first, dup := seen[key]; dup {
			r.fail("område", "området finns redan för år %d på rad %d.", x.year, first)
		} else {
			seen[key] = r.line
		}
		return x
	})
	if err != nil {
		return nil, err
	}
	b := &indikator.Batch{Source: indikator.SourcePolisen, Names: names}
	add := func(code, name string) {
		b.Series = append(b.Series, indikator.Series{Code: code, Name: name, Source: indikator.SourcePolisen, Unit: "antal områden",
			Kind: indikator.KindCount, Polarity: indikator.LowerIsBetter, Licence: LicencePolisen, Retrieved: retrieved})
	}
	add("polisen_utsatta_omraden", "Områden på polisens lista (alla klasser)")
	for _, c := range PoliceClasses {
		add("polisen_"+string(c), "Områden på polisens lista: "+c.Label())
	}
	type key struct {
		series, area string
		year         int
	}
	counts := map[key]float64{}
	var order []key
	bump := func(k key) {
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, x := range rows {
		bump(key{"polisen_utsatta_omraden", x.area, x.year})
		bump(key{"polisen_" + string(x.class), x.area, x.year})
	}
	for _, k := range order {
		b.Values = append(b.Values, indikator.Value{Series: k.series, Area: k.area, Year: k.year, Value: counts[k]})
	}
	return b, nil
}

var populationCSV = csvFormat{
	columns: []csvColumn{
		{name: "kommunkod", aliases: []string{"kommunkod", "regionkod", "kod"}},
		{name: "kommun", aliases: []string{"kommun", "region"}, optional: true},
		{name: "år", aliases: []string{"år", "ar", "year"}},
		{name: "folkmängd", aliases: []string{"folkmängd", "folkmangd", "befolkning", "invånare"}},
	},
	names:   "kommunkod, kommun, år och folkmängd",
	unit:    "rader",
	maxRows: indikator.MaxImportRow,
}

// PopulationSeries is the code of the population series that rates per
// resident divide by.
const PopulationSeries = "befolkning"

// ParsePopulationCSV reads the population per municipality and year (SCB's
// folkmängd den 31 december): kommunkod, år and folkmängd, kommun
// optional. It becomes the series "befolkning".
func ParsePopulationCSV(data []byte, retrieved trygg.Day) (*indikator.Batch, error) {
	seen := map[string]int{}
	names := map[string]string{}
	values, err := readCSV(data, populationCSV, func(r *csvRow) indikator.Value {
		x := indikator.Value{Series: PopulationSeries}
		x.Area = parseMunicipality(r, "kommunkod")
		municipalityName(names, r, x.Area)
		x.Year = parseYear(r, "år")
		s, _ := r.field("folkmängd")
		n, ok, err := parseStatNumber(s)
		if err != nil || !ok || n < 0 || n != math.Trunc(n) {
			r.fail("folkmängd", "%q är ingen folkmängd (ett heltal).", strings.TrimSpace(s))
		}
		x.Value = n
		key := fmt.Sprintf("%s|%d", x.Area, x.Year)
		if first, dup := seen[key]; dup {
			r.fail("år", "kommun %s år %d finns redan på rad %d.", x.Area, x.Year, first)
		} else {
			seen[key] = r.line
		}
		return x
	})
	if err != nil {
		return nil, err
	}
	return &indikator.Batch{Source: indikator.SourceBefolkning, Values: values, Names: names, Series: []indikator.Series{{
		Code: PopulationSeries, Name: "Folkmängd", Source: indikator.SourceBefolkning, Unit: "invånare", Kind: indikator.KindMeasure,
		Polarity: indikator.Neutral, Licence: LicenceBefolkning, Retrieved: retrieved}}}, nil
}

// ParseIndicatorFile reads a file of the given source: Kolada's data JSON
// (with kpi, Kolada's KPI metadata, when not empty), BRÅ's CSV, the
// police's list or a population CSV. The one entry for the web form and
// the command line.
func ParseIndicatorFile(source indikator.Source, data, kpi []byte, retrieved trygg.Day) (*indikator.Batch, error) {
	switch source {
	case indikator.SourceKolada:
		var kpis map[string]KoladaKPI
		if len(bytes.TrimSpace(kpi)) > 0 {
			var err error
			if kpis, err = ParseKoladaKPIs(kpi); err != nil {
				return nil, err
			}
		}
		return ParseKoladaJSON(data, retrieved, kpis)
	case indikator.SourceBra:
		return ParseBraCSV(data, retrieved)
	case indikator.SourcePolisen:
		return ParsePoliceAreasCSV(data, retrieved)
	case indikator.SourceBefolkning:
		return ParsePopulationCSV(data, retrieved)
	}
	return nil, &trygg.Error{Code: trygg.EINVALID, Message: "Välj vilken källa filen kommer från.",
		Fields: []trygg.FieldError{{Field: "source", Message: "Välj vilken källa filen kommer från."}}}
}
