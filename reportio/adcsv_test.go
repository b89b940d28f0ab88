package reportio_test

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestParseAdCSV(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []operativ.AdWeek // nil: an error is expected
		errs []string          // substrings of the field errors, in order
	}{
		{"comma, weeks and dates", "vecka,annonser,sugardejting\n2024-W02,35,1\n2024-01-03,40,2\n",
			[]operativ.AdWeek{{Week: tryggtest.Day(t, "2024-01-01"), Ads: 40, SugarMinor: 2}, {Week: tryggtest.Day(t, "2024-01-08"), Ads: 35, SugarMinor: 1}}, nil},
		{"semicolon, bom, english, no sugar column", "\ufeffads;week\r\n12;2025W10\r\n\r\n",
			[]operativ.AdWeek{{Week: tryggtest.Day(t, "2025-03-03"), Ads: 12}}, nil},
		{"empty", "", nil, []string{"Filen är tom"}},
		{"unknown column", "vecka,annonser,pris\n", nil, []string{`Okänd kolumn "pris"`}},
		{"missing column", "vecka\n2024-W01\n", nil, []string{"Kolumnen annonser saknas"}},
		{"twice", "vecka,annonser,week\n", nil, []string{"Kolumnen vecka finns två gånger"}},
		{"bad rows", "vecka;annonser;sugardejting\n2021-W53;tio;-1\n2024-W01;3\n2024-W02;1;0\n2024-01-10;2;0\n", nil, []string{
			"rad 2, kolumn vecka: år 2021 har ingen vecka 53",
			`rad 2, kolumn annonser: "tio" är inget antal`,
			`rad 2, kolumn sugardejting: "-1" är inget antal`,
			"rad 3, Raden har 2 fält men rubrikraden 3",
			"rad 5, kolumn vecka: Veckan finns redan på rad 4",
		}},
		{"bad quote", "vecka,annonser\n\"2024-W01,3\n", nil, []string{"rad 2, Raden har 1 fält"}},
		{"no rows", "vecka,annonser\n", nil, []string{"inga veckor"}},
		{"future weeks", "vecka,annonser\n2026-W47,3\n2026-11-23,4\n", nil, []string{
			"rad 3, kolumn vecka: Veckan 2026-W48 har inte börjat än. Ange en vecka som har börjat, senast 2026-W47.",
		}},
	}
	today := tryggtest.Day(t, "2026-11-20")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reportio.ParseAdCSV([]byte(tt.data), today)
			if tt.want != nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Fatalf("got %+v, want %+v", got, tt.want)
					}
				}
				return
			}
			fields := trygg.ErrorFields(err)
			if trygg.ErrorCode(err) != trygg.EINVALID || len(fields) != len(tt.errs) {
				t.Fatalf("err = %v, want %d field errors", err, len(tt.errs))
			}
			for i, want := range tt.errs {
				if fields[i].Field != "file" || !strings.Contains(fields[i].Message, want) {
					t.Errorf("error %d = %q, want %q", i, fields[i].Message, want)
				}
			}
		})
	}
}

func FuzzParseAdCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		today := trygg.DateDay(2026, 11, 20)
		weeks, err := reportio.ParseAdCSV(data, today)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) == "" || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want an EINVALID naming the file", err)
			}
			return
		}
		if len(weeks) == 0 || len(weeks) > samverkan.MaxIndicatorRows {
			t.Fatalf("%d weeks", len(weeks))
		}
		for i, w := range weeks {
			if w.Week != w.Week.Monday() || w.Week > today || w.Ads < 0 || w.SugarMinor < 0 || w.Ads > operativ.MaxAdCount || w.SugarMinor > operativ.MaxAdCount {
				t.Fatalf("week %+v", w)
			}
			if i > 0 && w.Week <= weeks[i-1].Week {
				t.Fatalf("weeks not strictly increasing: %v", weeks)
			}
		}
	})
}
