package reportio_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
)

func TestDecodeReportJSON(t *testing.T) {
	body := `{"occurred_at": "2024-05-17T22:30:00+02:00", "occurred_end": "2024-05-17T23:00:00+02:00",
		"area": "alidhem", "category": "klotter", "severity": 2, "place_type": "centrum",
		"description": "Klotter på \"väggen\"", "location": {"lat": 63.8142, "lon": -20.3161}}`
	in, err := reportio.DecodeReportJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 5, 17, 20, 30, 0, 0, time.UTC)
	if !in.OccurredAt.Equal(start) || in.OccurredEnd == nil || !in.OccurredEnd.Equal(start.Add(30*time.Minute)) ||
		in.AreaCode != "alidhem" || in.Category != "klotter" || in.Severity != 2 || in.PlaceType != "centrum" ||
		in.Description != `Klotter på "väggen"` || in.Location == nil || *in.Location != (trygg.Point{Lat: 63.8142, Lon: -20.3161}) {
		t.Errorf("input = %+v", in)
	}

	in, err = reportio.DecodeReportJSON(strings.NewReader(`{"area":"haga","location":null,"occurred_end":null}` + "\n"))
	if err != nil || in.AreaCode != "haga" || in.Location != nil || in.OccurredEnd != nil || !in.OccurredAt.IsZero() {
		t.Errorf("minimal body: %+v, %v", in, err)
	}
}

func TestDecodeReportJSONFieldErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []trygg.FieldError
	}{
		{"time not RFC 3339", `{"occurred_at":"2024-05-17 22:30"}`,
			[]trygg.FieldError{{Field: "occurred_at", Message: "Ska vara en tid i RFC 3339-format, t.ex. 2024-05-17T22:30:00+02:00."}}},
		{"time as number", `{"occurred_at":1715977800}`,
			[]trygg.FieldError{{Field: "occurred_at", Message: "Ska vara en tid i RFC 3339-format, t.ex. 2024-05-17T22:30:00+02:00."}}},
		{"end not a time", `{"occurred_end":true}`,
			[]trygg.FieldError{{Field: "occurred_end", Message: "Ska vara en tid i RFC 3339-format, t.ex. 2024-05-17T23:00:00+02:00, eller utelämnas."}}},
		{"severity as text", `{"severity":"2"}`, []trygg.FieldError{{Field: "severity", Message: "Ska vara ett heltal: 1, 2 eller 3."}}},
		{"severity fractional", `{"severity":2.5}`, []trygg.FieldError{{Field: "severity", Message: "Ska vara ett heltal: 1, 2 eller 3."}}},
		{"severity huge", `{"severity":99999999999999999999}`, []trygg.FieldError{{Field: "severity", Message: "Ska vara ett heltal: 1, 2 eller 3."}}},
		{"codes not text", `{"area":1,"category":[],"place_type":{},"description":false}`, []trygg.FieldError{
			{Field: "area", Message: "Ska vara text."}, {Field: "category", Message: "Ska vara text."},
			{Field: "place_type", Message: "Ska vara text."}, {Field: "description", Message: "Ska vara text."}}},
		{"unknown fields", `{"areaa":"x","Area":"y"}`, []trygg.FieldError{
			{Field: "areaa", Message: "Okänt fält."}, {Field: "Area", Message: "Okänt fält."}}},
		{"long unknown field", `{"` + strings.Repeat("å", 40) + `":1}`, []trygg.FieldError{
			{Field: strings.Repeat("å", 32) + "…", Message: "Okänt fält."}}},
		{"empty field name", `{"":{}}`, []trygg.FieldError{{Field: `""`, Message: "Okänt fält."}}},
		{"field twice", `{"area":"a","area":"b"}`, []trygg.FieldError{{Field: "area", Message: "Fältet anges två gånger."}}},
		{"location not an object", `{"location":[63.8,20.3]}`, []trygg.FieldError{
			{Field: "location", Message: `Ska vara ett objekt med lat och lon, t.ex. {"lat": 63.8142, "lon": 20.3161}.`}}},
		{"location fields wrong", `{"location":{"lat":"63.8","lng":20.3}}`, []trygg.FieldError{
			{Field: "location.lat", Message: "Ska vara ett tal (grader i WGS 84)."},
			{Field: "location.lng", Message: "Okänt fält."},
			{Field: "location.lon", Message: "Longitud saknas."}}},
		{"location field twice", `{"location":{"lat":1,"lon":2,"lat":3}}`, []trygg.FieldError{
			{Field: "location.lat", Message: "Fältet anges två gånger."}}},
		{"location number too large", `{"location":{"lat":1e999,"lon":2}}`, []trygg.FieldError{
			{Field: "location.lat", Message: "Talet är för stort."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reportio.DecodeReportJSON(strings.NewReader(tt.body))
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if got := trygg.ErrorFields(err); !slices.Equal(got, tt.want) {
				t.Errorf("fields:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDecodeReportJSONBadBody(t *testing.T) {
	tests := []struct {
		name, body, message string
	}{
		{"empty", "", "Förfrågan är inte giltig JSON: texten tar slut mitt i."},
		{"syntax error", `{"area": x}`, "Förfrågan är inte giltig JSON: syntaxfel vid tecken 10."},
		{"truncated", `{"area": "x"`, "Förfrågan är inte giltig JSON: texten tar slut mitt i."},
		{"array", `[{"area":"x"}]`, "Förfrågan ska vara ett JSON-objekt."},
		{"string", `"x"`, "Förfrågan ska vara ett JSON-objekt."},
		{"trailing object", `{"area":"x"}{"area":"y"}`, "Förfrågan innehåller mer än ett JSON-objekt."},
		{"trailing garbage", `{"area":"x"} x`, "Förfrågan innehåller mer än ett JSON-objekt."},
		{"too large", `{"description":"` + strings.Repeat("x", reportio.MaxReportJSONSize) + `"}`, "Förfrågan är för stor: högst 64 kB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reportio.DecodeReportJSON(strings.NewReader(tt.body))
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) != tt.message || len(trygg.ErrorFields(err)) != 0 {
				t.Errorf("err = %v, want EINVALID %q without fields", err, tt.message)
			}
		})
	}
	_, err := reportio.DecodeReportJSON(iotest.ErrReader(errors.New("connection reset")))
	if trygg.ErrorCode(err) != trygg.EINVALID {
		t.Errorf("read error: err = %v, want EINVALID", err)
	}
}

func FuzzDecodeReportJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := reportio.DecodeReportJSON(bytes.NewReader(data))
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) == "" {
				t.Fatalf("err = %v, want EINVALID with a message", err)
			}
			for _, fe := range trygg.ErrorFields(err) {
				if fe.Field == "" || fe.Message == "" || len(fe.Field) > 80 {
					t.Fatalf("field error %+v", fe)
				}
			}
			return
		}
		// Whatever decodes must validate without panicking.
		_ = in.Validate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	})
}
