package reportio

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trygg-est/trygg"
)

// MaxReportJSONSize is the largest report body the API accepts. A report
// with the longest description (2000 characters, up to 4 bytes each) and
// every other field fits easily.
const MaxReportJSONSize = 64 << 10

// DecodeReportJSON reads the JSON body of a new or edited report:
//
//	{"occurred_at": "2024-05-17T22:30:00+02:00", "occurred_end": "…" (optional),
//	 "area": "alidhem", "category": "klotter", "severity": 2, "place_type": "centrum",
//	 "description": "…", "location": {"lat": 63.8142, "lon": 20.3161} (optional)}
//
// It checks syntax and types only; the service validates the values with
// trygg.ReportInput.Validate. null counts as leaving a field out.
//
// Every error is an EINVALID *trygg.Error. A wrong type, an unknown field or
// a field given twice is named in Fields with a Swedish reason (nested
// location fields as "location.lat"); a body that is not one JSON object
// (bad syntax, trailing data, over MaxReportJSONSize bytes) has a message
// and no fields.
func DecodeReportJSON(r io.Reader) (trygg.ReportInput, error) {
	var in trygg.ReportInput
	data, err := io.ReadAll(io.LimitReader(r, MaxReportJSONSize+1))
	if err != nil {
		return in, trygg.Errorf(trygg.EINVALID, "Innehållet i förfrågan gick inte att läsa.")
	}
	if len(data) > MaxReportJSONSize {
		return in, trygg.Errorf(trygg.EINVALID, "Förfrågan är för stor: högst %d kB.", MaxReportJSONSize>>10)
	}
	var v trygg.Validation
	err = decodeObject(data, func(key string, raw json.RawMessage) {
		if isNull(raw) {
			return
		}
		switch key {
		case "occurred_at":
			if t, ok := decodeTime(raw); ok {
				in.OccurredAt = t
			} else {
				v.Add(key, "Ska vara en tid i RFC 3339-format, t.ex. 2024-05-17T22:30:00+02:00.")
			}
		case "occurred_end":
			if t, ok := decodeTime(raw); ok {
				in.OccurredEnd = &t
			} else {
				v.Add(key, "Ska vara en tid i RFC 3339-format, t.ex. 2024-05-17T23:00:00+02:00, eller utelämnas.")
			}
		case "area":
			decodeText(&v, key, raw, &in.AreaCode)
		case "category":
			decodeText(&v, key, raw, &in.Category)
		case "place_type":
			decodeText(&v, key, raw, &in.PlaceType)
		case "description":
			decodeText(&v, key, raw, &in.Description)
		case "severity":
			n, err := strconv.Atoi(string(raw))
			if err != nil {
				v.Add(key, "Ska vara ett heltal: 1, 2 eller 3.")
			}
			in.Severity = n
		case "location":
			in.Location = decodeLocation(&v, raw)
		default:
			v.Add(fieldName(key), "Okänt fält.")
		}
	}, &v, "")
	if err != nil {
		return in, err
	}
	return in, v.Err()
}

// decodeObject calls field for each member of the single JSON object in
// data, in order, after checking that the whole of data is that object.
// Members given twice are recorded in v, prefixed with prefix.
func decodeObject(data []byte, field func(key string, raw json.RawMessage), v *trygg.Validation, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err, data)
	}
	if tok != json.Delim('{') {
		if prefix != "" {
			return errNotObject
		}
		return trygg.Errorf(trygg.EINVALID, "Förfrågan ska vara ett JSON-objekt.")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(err, data)
		}
		key, _ := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntaxError(err, data)
		}
		if seen[key] {
			v.Add(fieldName(prefix+key), "Fältet anges två gånger.")
			continue
		}
		seen[key] = true
		field(key, raw)
	}
	if _, err := dec.Token(); err != nil {
		return syntaxError(err, data)
	}
	if _, err := dec.Token(); err != io.EOF {
		return trygg.Errorf(trygg.EINVALID, "Förfrågan innehåller mer än ett JSON-objekt.")
	}
	return nil
}

var errNotObject = errors.New("not a JSON object")

// syntaxError describes bad JSON in data. The Decoder's offsets are
// relative to the value it was reading, so the whole text is parsed again
// to say where in it the error is.
func syntaxError(err error, data []byte) error {
	var raw json.RawMessage
	if whole := json.Unmarshal(data, &raw); whole != nil {
		err = whole
	}
	return trygg.Errorf(trygg.EINVALID, "Förfrågan är inte giltig JSON: %s.", jsonProblem(err, len(data)))
}

func decodeTime(raw json.RawMessage) (time.Time, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

func decodeText(v *trygg.Validation, key string, raw json.RawMessage, dst *string) {
	if json.Unmarshal(raw, dst) != nil {
		v.Add(key, "Ska vara text.")
	}
}

// decodeLocation reads {"lat": number, "lon": number}.
func decodeLocation(v *trygg.Validation, raw json.RawMessage) *trygg.Point {
	var p trygg.Point
	var hasLat, hasLon, ok = false, false, true
	number := func(key string, raw json.RawMessage, dst *float64) bool {
		if len(raw) == 0 || !(raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9') {
			v.Add("location."+key, "Ska vara ett tal (grader i WGS 84).")
			return false
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			v.Add("location."+key, "Talet är för stort.")
			return false
		}
		*dst = f
		return true
	}
	err := decodeObject(raw, func(key string, raw json.RawMessage) {
		switch key {
		case "lat":
			hasLat = true
			ok = number(key, raw, &p.Lat) && ok
		case "lon":
			hasLon = true
			ok = number(key, raw, &p.Lon) && ok
		default:
			v.Add(fieldName("location."+key), "Okänt fält.")
			ok = false
		}
	}, v, "location.")
	if err != nil {
		v.Add("location", "Ska vara ett objekt med lat och lon, t.ex. {\"lat\": 63.8142, \"lon\": 20.3161}.")
		return nil
	}
	if !hasLat {
		v.Add("location.lat", "Latitud saknas.")
	}
	if !hasLon {
		v.Add("location.lon", "Longitud saknas.")
	}
	if !ok || !hasLat || !hasLon {
		return nil
	}
	return &p
}

// fieldName names an unknown field in an error: an empty name is shown as
// "", and a long one is cut short so that a hostile body cannot make the
// error response huge.
func fieldName(s string) string {
	const max = 64
	if s == "" {
		return `""`
	}
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
