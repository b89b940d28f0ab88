package trygg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestDay(t *testing.T) {
	tests := []struct {
		name    string
		at      time.Time
		want    string
		monday  string
		isoYear int
		isoWeek int
	}{
		{"epoch", time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC), "1970-01-01", "1969-12-29", 1970, 1},
		{"late evening UTC is the next Swedish day", time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "2026-07-01", "2026-06-29", 2026, 27},
		{"winter: UTC+1", time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC), "2026-01-02", "2025-12-29", 2026, 1},
		{"week 53", time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), "2026-12-31", "2026-12-28", 2026, 53},
		{"DST change day", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "2026-03-29", "2026-03-23", 2026, 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := trygg.DayOf(tt.at)
			if got := d.String(); got != tt.want {
				t.Errorf("DayOf = %s, want %s", got, tt.want)
			}
			if got := d.Monday().String(); got != tt.monday {
				t.Errorf("Monday = %s, want %s", got, tt.monday)
			}
			if y, w := d.ISOWeek(); y != tt.isoYear || w != tt.isoWeek {
				t.Errorf("ISOWeek = %d-%d, want %d-%d", y, w, tt.isoYear, tt.isoWeek)
			}
			if got := trygg.ISOWeekMonday(tt.isoYear, tt.isoWeek); got != d.Monday() {
				t.Errorf("ISOWeekMonday = %s, want %s", got, d.Monday())
			}
			if got := trygg.DayOf(d.Start()); got != d {
				t.Errorf("DayOf(Start) = %s, want %s", got, d)
			}
			if p, err := trygg.ParseDay(tt.want); err != nil || p != d {
				t.Errorf("ParseDay = %v, %v", p, err)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct{ from, want string }{
		{"2025-10-31", "2026-02-28"}, // the investigation's four months: month end clamps
		{"2023-10-31", "2024-02-29"}, // leap year
		{"2099-10-31", "2100-02-28"}, // 2100 is no leap year
		{"2099-10-29", "2100-02-28"},
		{"2025-10-28", "2026-02-28"},
		{"2026-01-15", "2026-05-15"},
		{"2025-09-30", "2026-01-30"},
		{"2025-12-31", "2026-04-30"},
		{"2026-08-31", "2026-12-31"},
	}
	for _, tt := range tests {
		from, err := trygg.ParseDay(tt.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := from.AddMonths(4); got.String() != tt.want {
			t.Errorf("%s + 4 months = %s, want %s", tt.from, got, tt.want)
		}
	}
}

func TestMonthStarts(t *testing.T) {
	got := trygg.MonthStarts(tryggtest.Day(t, "2024-11-15"), tryggtest.Day(t, "2025-02-01"))
	var s []string
	for _, d := range got {
		s = append(s, d.String())
	}
	if strings.Join(s, " ") != "2024-11-01 2024-12-01 2025-01-01 2025-02-01" {
		t.Fatalf("MonthStarts = %v", s)
	}
	if trygg.MonthEnd(tryggtest.Day(t, "2024-02-10")) != tryggtest.Day(t, "2024-02-29") {
		t.Fatal("MonthEnd of February 2024")
	}
}
