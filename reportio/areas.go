package reportio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/geo"
)

// Limits of an area import. A municipality has tens of districts; even the
// statistical areas (DeSO) of the largest city fit well within these.
const (
	MaxAreaFileSize   = 20 << 20 // bytes
	MaxAreaFeatures   = 5000
	maxAreaCodeLength = 40
	maxAreaNameLength = 100
	maxPopulation     = 100_000_000
)

// FeatureError is one problem with one feature of an area import.
type FeatureError struct {
	Index   int    // 1-based position of the feature in the file
	Code    string // the feature's code property, if it has one
	Field   string // e.g. "properties.code" or "geometry"
	Message string // Swedish
}

func (e FeatureError) Error() string {
	who := fmt.Sprintf("Område %d", e.Index)
	if e.Code != "" {
		who += " (" + quote(e.Code) + ")"
	}
	return fmt.Sprintf("%s, %s: %s", who, e.Field, e.Message)
}

// ReadAreas reads a GeoJSON FeatureCollection of districts. Each Feature has
// the properties code and name (both required), population (an integer
// ≥ 0, default 0) and approximate (true or false, default false); other
// properties are ignored. Its geometry is a Polygon or MultiPolygon in
// WGS 84: every ring closed, with at least four positions, longitudes
// within ±180 and latitudes within ±90. The geometry is stored compactly,
// without altitudes.
//
// Problems with single features come back as FeatureErrors, all of them;
// the areas returned are the valid ones. The error is an EINVALID
// *trygg.Error when the file is not such a FeatureCollection at all or is
// too large, and any error from r.
func ReadAreas(r io.Reader) ([]*trygg.Area, []FeatureError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAreaFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxAreaFileSize {
		return nil, nil, trygg.Errorf(trygg.EINVALID, "Filen är för stor: högst %d MB.", MaxAreaFileSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var doc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, trygg.Errorf(trygg.EINVALID, "Filen är inte giltig GeoJSON: %s.", jsonProblem(err, len(data)))
	}
	if doc.Type != "FeatureCollection" {
		return nil, nil, trygg.Errorf(trygg.EINVALID, "Filen ska vara en GeoJSON FeatureCollection, men dess type är %s.", quote(doc.Type))
	}
	if len(doc.Features) > MaxAreaFeatures {
		return nil, nil, trygg.Errorf(trygg.EINVALID, "Filen har %d områden; högst %d går att importera på en gång.", len(doc.Features), MaxAreaFeatures)
	}
	var areas []*trygg.Area
	var problems []FeatureError
	seen := map[string]int{}
	for i, raw := range doc.Features {
		a, errs := readAreaFeature(i+1, raw)
		if a != nil {
			if first, dup := seen[a.Code]; dup {
				errs = append(errs, FeatureError{Index: i + 1, Code: a.Code, Field: "properties.code",
					Message: fmt.Sprintf("Koden finns redan i område %d i filen.", first)})
			} else {
				seen[a.Code] = i + 1
			}
		}
		if len(errs) > 0 {
			problems = append(problems, errs...)
			continue
		}
		areas = append(areas, a)
	}
	return areas, problems, nil
}

// readAreaFeature checks one feature. It returns the area (nil when it has
// no usable code) and the feature's problems.
func readAreaFeature(index int, raw json.RawMessage) (*trygg.Area, []FeatureError) {
	var f struct {
		Type       string                     `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
		Geometry   json.RawMessage            `json:"geometry"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, []FeatureError{{Index: index, Field: "feature", Message: "Objektet är ingen GeoJSON Feature: " + jsonProblem(err, len(raw)) + "."}}
	}
	a := &trygg.Area{}
	var errs []FeatureError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FeatureError{Index: index, Code: a.Code, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	var code, name string
	codeOK := readString(f.Properties["code"], &code)
	code = strings.TrimSpace(code)
	switch {
	case !codeOK:
		bad("properties.code", "Koden ska vara en textsträng.")
	case code == "":
		bad("properties.code", "Koden saknas.")
	case !validAreaCode(code):
		bad("properties.code", "Koden %s är ogiltig: använd 1–%d tecken a–z, A–Z, 0–9, bindestreck, understreck eller punkt.", quote(code), maxAreaCodeLength)
	default:
		a.Code = code
	}
	if f.Type != "Feature" {
		bad("type", "Objektet ska ha type \"Feature\", inte %s.", quote(f.Type))
	}
	nameOK := readString(f.Properties["name"], &name)
	name = strings.TrimSpace(name)
	switch {
	case !nameOK:
		bad("properties.name", "Namnet ska vara en textsträng.")
	case name == "":
		bad("properties.name", "Namnet saknas.")
	case !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError):
		bad("properties.name", "Namnet innehåller ogiltiga tecken.")
	case utf8.RuneCountInString(name) > maxAreaNameLength:
		bad("properties.name", "Namnet får vara högst %d tecken.", maxAreaNameLength)
	default:
		a.Name = name
	}
	if raw, ok := f.Properties["population"]; ok && !isNull(raw) {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
		if err != nil || n < 0 || n > maxPopulation {
			bad("properties.population", "Befolkningen ska vara ett heltal mellan 0 och %d.", maxPopulation)
		}
		a.Population = int(n)
	}
	if raw, ok := f.Properties["approximate"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &a.Approximate); err != nil {
			bad("properties.approximate", "Approximate ska vara true eller false.")
		}
	}
	geometry, problem := readPolygonGeometry(f.Geometry)
	if problem != "" {
		bad("geometry", "%s", problem)
	}
	a.Geometry = geometry
	if a.Code == "" {
		return nil, errs
	}
	return a, errs
}

// readString reads an optional JSON string; a missing or null value is "".
func readString(raw json.RawMessage, s *string) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	return json.Unmarshal(raw, s) == nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func validAreaCode(code string) bool {
	if len(code) > maxAreaCodeLength {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// readPolygonGeometry validates a Polygon or MultiPolygon with geo.Parse
// and returns it re-encoded compactly. The problem, if any, is a Swedish
// sentence.
func readPolygonGeometry(raw json.RawMessage) (json.RawMessage, string) {
	g, err := geo.Parse(raw)
	if err != nil {
		return nil, geometryProblem(err, len(raw))
	}
	encoded, err := json.Marshal(g)
	if err != nil {
		return nil, "Geometrin går inte att spara."
	}
	return encoded, ""
}

// geometryProblem words what geo.Parse found wrong with a geometry of size
// bytes.
func geometryProblem(err error, size int) string {
	var e *geo.Error
	if !errors.As(err, &e) {
		e = &geo.Error{} // geo.Parse returns no other errors
	}
	where := ""
	if e.Polygon > 0 {
		where = fmt.Sprintf("polygon %d, ", e.Polygon)
	}
	switch e.Problem {
	case geo.Missing:
		return "Geometrin saknas; den ska vara en Polygon eller MultiPolygon."
	case geo.NotObject:
		return "Geometrin är inget GeoJSON-objekt: " + jsonProblem(e.JSON, size) + "."
	case geo.NotPolygon:
		return fmt.Sprintf("Geometrin ska vara en Polygon eller MultiPolygon, inte %s.", quote(e.Type))
	case geo.BadCoordinates:
		if e.Type == "MultiPolygon" {
			return "Koordinaterna har fel form för en MultiPolygon: de ska vara en lista av polygoner, var och en en lista av ringar."
		}
		return "Koordinaterna har fel form för en Polygon: de ska vara en lista av ringar med punkter [longitud, latitud]."
	case geo.NoPolygons:
		return "MultiPolygonen har inga polygoner."
	case geo.NoRings:
		return fmt.Sprintf("I %spolygonen saknas ringar.", where)
	case geo.ShortRing:
		return fmt.Sprintf("I %sring %d: en ring behöver minst fyra punkter, den har %d.", where, e.Ring, e.Positions)
	case geo.BadPosition:
		return fmt.Sprintf("I %sring %d, punkt %d: en punkt ska vara [longitud, latitud].", where, e.Ring, e.Position)
	case geo.NotFinite:
		return fmt.Sprintf("I %sring %d, punkt %d: koordinaten är inget ändligt tal.", where, e.Ring, e.Position)
	case geo.OutOfRange:
		return fmt.Sprintf("I %sring %d, punkt %d: longitud ska vara −180–180 och latitud −90–90 (WGS 84), men punkten är [%s, %s].", where, e.Ring, e.Position, e.Lon, e.Lat)
	case geo.OpenRing:
		return fmt.Sprintf("I %sring %d: ringen är inte sluten; första och sista punkten ska vara samma.", where, e.Ring)
	}
	return "Geometrin är ogiltig."
}

// jsonProblem describes a JSON decoding error of input (of size bytes) in
// Swedish.
func jsonProblem(err error, size int) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax) && syntax.Offset >= int64(size):
		return "texten tar slut mitt i"
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntaxfel vid tecken %d", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("fältet %s har fel typ (%s)", typ.Field, jsonKind(typ.Value))
		}
		return fmt.Sprintf("fel typ (%s)", jsonKind(typ.Value))
	case err == io.ErrUnexpectedEOF:
		return "texten tar slut mitt i"
	}
	return "felaktigt format"
}

// jsonKind names a JSON value kind from encoding/json's type errors.
func jsonKind(v string) string {
	switch {
	case v == "string":
		return "text"
	case v == "bool":
		return "sant/falskt"
	case v == "array":
		return "lista"
	case v == "object":
		return "objekt"
	case strings.HasPrefix(v, "number"):
		return "tal"
	}
	return v
}
