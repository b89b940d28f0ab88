package reportio_test

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/detect"
	"github.com/trygg-est/trygg/reportio"
)

func TestReadSeries(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    detect.Series
		wantErr string // part of the Swedish message
	}{
		{"plain", "week_index,count\n10,3\n11,0\n12,7\n", detect.Series{FirstWeek: 10, Counts: []int{3, 0, 7}}, ""},
		{"columns swapped, BOM, CRLF, semicolons", "\uFEFFcount;week_index\r\n3;1\r\n4;2\r\n", detect.Series{FirstWeek: 1, Counts: []int{3, 4}}, ""},
		{"spaces and a blank line", "week_index, count\n 1 , 2 \n\n2,5\n", detect.Series{FirstWeek: 1, Counts: []int{2, 5}}, ""},
		{"empty", "", detect.Series{}, "Filen är tom"},
		{"header only", "week_index,count\n", detect.Series{}, "ingen vecka"},
		{"unknown column", "week,count\n1,2\n", detect.Series{}, `okänd kolumn "week"`},
		{"missing column", "week_index\n1\n", detect.Series{}, "Rad 1: rubrikraden ska vara"},
		{"not an integer", "week_index,count\n1,2\nx,3\n", detect.Series{}, "Rad 3, kolumn week_index"},
		{"negative count", "week_index,count\n1,-2\n", detect.Series{}, "Rad 2, kolumn count"},
		{"fraction", "week_index,count\n1,2.5\n", detect.Series{}, "Rad 2, kolumn count"},
		{"gap", "week_index,count\n1,2\n3,3\n", detect.Series{}, "Rad 3, kolumn week_index: veckan ska vara 2"},
		{"backwards", "week_index,count\n5,2\n4,3\n", detect.Series{}, "veckan ska vara 6"},
		{"week out of range", "week_index,count\n9223372036854775807,1\n", detect.Series{}, "Rad 2, kolumn week_index"},
		{"too many fields", "week_index,count\n1,2,3\n", detect.Series{}, "Rad 2: raden har 3 fält"},
		{"bad quote", "week_index,count\n1,\"2\n", detect.Series{}, "Rad 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reportio.ReadSeries(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if trygg.ErrorCode(err) != trygg.EINVALID || !strings.Contains(trygg.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("error %v, want EINVALID containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.FirstWeek != tt.want.FirstWeek || !equalInts(got.Counts, tt.want.Counts) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadSeriesTooLong(t *testing.T) {
	var b strings.Builder
	b.WriteString("week_index,count\n")
	for i := range reportio.MaxSeriesWeeks + 1 {
		b.WriteString(strconv.Itoa(i) + ",1\n")
	}
	_, err := reportio.ReadSeries(strings.NewReader(b.String()))
	if !strings.Contains(trygg.ErrorMessage(err), "längre än") {
		t.Fatalf("error %v", err)
	}
}

func TestWriteResults(t *testing.T) {
	s := detect.Series{FirstWeek: 100, Counts: []int{1, 2, 3}}
	results := []detect.Result{
		{Index: 0, Count: 1, UpperBound: math.NaN()},
		{Index: 1, Count: 2, UpperBound: 2.5, Evaluated: true},
		{Index: 2, Count: 3, UpperBound: 2.5, Alarm: true, Evaluated: true},
	}
	var buf bytes.Buffer
	if err := reportio.WriteResults(&buf, s, detect.EARSC2, results); err != nil {
		t.Fatal(err)
	}
	want := "week_index,count,method,upperbound,alarm\n100,1,ears-c2,NA,NA\n101,2,ears-c2,2.5,false\n102,3,ears-c2,2.5,true\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzReadSeries checks that any input either parses into a consistent
// series that every method can evaluate, or fails with a Swedish
// EINVALID message.
func FuzzReadSeries(f *testing.F) {
	f.Add([]byte("week_index,count\n1,3\n2,0\n3,7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := reportio.ReadSeries(bytes.NewReader(data))
		if err != nil {
			var e *trygg.Error
			if !errors.As(err, &e) || e.Code != trygg.EINVALID || e.Message == "" {
				t.Fatalf("error %#v is not an EINVALID trygg.Error", err)
			}
			return
		}
		if s.FirstWeek < -reportio.MaxWeekIndex || s.FirstWeek+len(s.Counts)-1 > reportio.MaxWeekIndex {
			t.Fatalf("weeks %d.. out of range", s.FirstWeek)
		}
		if len(s.Counts) == 0 || len(s.Counts) > reportio.MaxSeriesWeeks {
			t.Fatalf("%d weeks", len(s.Counts))
		}
		for _, c := range s.Counts {
			if c < 0 {
				t.Fatalf("negative count %d", c)
			}
		}
		for _, m := range []detect.Method{detect.EARSC1, detect.EARSC2, detect.EARSC3} {
			rs := detect.Evaluate(s.Counts, m, 0)
			if len(rs) != len(s.Counts) {
				t.Fatalf("%v: %d results for %d weeks", m, len(rs), len(s.Counts))
			}
			var buf bytes.Buffer
			if err := reportio.WriteResults(&buf, s, m, rs); err != nil {
				t.Fatal(err)
			}
		}
	})
}
