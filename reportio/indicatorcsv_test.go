package reportio_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestParseIndicatorCSV(t *testing.T) {
	good := []struct {
		name, file string
		want       []samverkan.IndicatorPoint
	}{
		{"semicolon and decimal comma", "\ufeffDatum;Värde\r\n2025-02;7,5\r\n2025-01-01;9\r\n\r\n",
			[]samverkan.IndicatorPoint{{Day: tryggtest.Day(t, "2025-01-01"), Value: 9}, {Day: tryggtest.Day(t, "2025-02-01"), Value: 7.5}}},
		{"comma, other order, quotes", "value,date\n\"3.25\",2024-12-31\n−2,2025-01-15\n",
			[]samverkan.IndicatorPoint{{Day: tryggtest.Day(t, "2024-12-31"), Value: 3.25}, {Day: tryggtest.Day(t, "2025-01-15"), Value: -2}}},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reportio.ParseIndicatorCSV([]byte(tt.file))
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	bad := []struct {
		name, file, want string
	}{
		{"empty", "", "Filen är tom"},
		{"no value column", "datum\n2025-01;3\n", "kolumnerna datum och värde"},
		{"unknown column", "datum;värde;kommentar\n", `Okänd kolumn "kommentar"`},
		{"column twice", "datum;datum;värde\n", "datum finns två gånger"},
		{"no rows", "datum;värde\n", "inga värden"},
		{"bad date", "datum;värde\n2025-13-01;3\n", `rad 2, kolumn datum: "2025-13-01" är inget datum`},
		{"old date", "datum;värde\n1999-12;3\n", "rad 2, kolumn datum: 1999-12 ligger utanför"},
		{"bad number", "datum;värde\n2025-01;tre\n2025-02;1e3\n", `rad 3, kolumn värde: "1e3" är inget tal`},
		{"missing number", "datum;värde\n2025-01;\n", "rad 2, kolumn värde: värdet saknas"},
		{"huge", "datum;värde\n2025-01;1000000000000\n", "för stort"},
		{"duplicate day", "datum;värde\n2025-01;1\n2025-01-01;2\n", "rad 3, kolumn datum: 2025-01-01 finns redan på rad 2"},
		{"short row", "datum;värde\n2025-01\n", "rad 2, Raden har 1 fält men rubrikraden 2"},
		{"bad quote", "datum,värde\n2025-01,\"3\"x\"\n", "rad 2"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reportio.ParseIndicatorCSV([]byte(tt.file))
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			var all []string
			for _, f := range trygg.ErrorFields(err) {
				if f.Field != "file" {
					t.Errorf("field %q, want file", f.Field)
				}
				all = append(all, f.Message)
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Fatalf("errors %q lack %q", all, tt.want)
			}
		})
	}
	var big bytes.Buffer
	big.WriteString("datum;värde\n")
	d := tryggtest.Day(t, "2000-01-01")
	for i := range samverkan.MaxIndicatorRows + 1 {
		fmt.Fprintf(&big, "%s;%d\n", d+trygg.Day(i), i)
	}
	if _, err := reportio.ParseIndicatorCSV(big.Bytes()); !strings.Contains(trygg.ErrorMessage(err), "högst 10000") {
		t.Fatalf("too many rows: %v", err)
	}
}

func FuzzParseIndicatorCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		points, err := reportio.ParseIndicatorCSV(data)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) == "" || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want an EINVALID naming the file", err)
			}
			return
		}
		if len(points) == 0 || len(points) > samverkan.MaxIndicatorRows {
			t.Fatalf("%d points", len(points))
		}
		for i, p := range points {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) || math.Abs(p.Value) >= 1e12 {
				t.Fatalf("value %v", p.Value)
			}
			if i > 0 && p.Day <= points[i-1].Day {
				t.Fatalf("days not strictly increasing: %v", points)
			}
		}
	})
}
