package trygg_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
)

func mustDay(t testing.TB, s string) trygg.Day {
	t.Helper()
	d, err := trygg.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// monthly returns one point per month from the first of month "from",
// with the given values.
func monthly(t *testing.T, from string, values ...float64) []trygg.IndicatorPoint {
	t.Helper()
	d := mustDay(t, from)
	var ps []trygg.IndicatorPoint
	for _, v := range values {
		ps = append(ps, trygg.IndicatorPoint{Day: d, Value: v})
		d = trygg.MonthEnd(d) + 1
	}
	return ps
}

func TestAssess(t *testing.T) {
	reduce := trygg.Target{Kind: trygg.TargetReduce, Value: 20, BaselineFrom: mustDay(t, "2024-01-01"), BaselineTo: mustDay(t, "2024-12-31")}
	atLeast := trygg.Target{Kind: trygg.TargetAtLeast, Value: 8}
	atMost := trygg.Target{Kind: trygg.TargetAtMost, Value: 10}
	// 2024: every month 10, so the baseline is 10 a month.
	base := monthly(t, "2024-01-01", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
	from, today := mustDay(t, "2025-01-01"), mustDay(t, "2025-06-15")
	tests := []struct {
		name   string
		target trygg.Target
		points []trygg.IndicatorPoint
		want   trygg.Light
		change float64
	}{
		{"no current values", reduce, base, trygg.LightGrey, 0},
		{"no baseline", reduce, monthly(t, "2025-01-01", 5), trygg.LightGrey, 0},
		{"zero baseline", reduce, append(monthly(t, "2024-01-01", 0), monthly(t, "2025-01-01", 5)...), trygg.LightGrey, 0},
		// Only the newest three values count: (8+8+8)/3 = 8, −20 %.
		{"reduced enough", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 30, 8, 8, 8)...), trygg.LightGreen, -20},
		{"reduced a little", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 9, 9, 9)...), trygg.LightYellow, -10},
		{"unchanged", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 10)...), trygg.LightRed, 0},
		{"increased", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 15)...), trygg.LightRed, 50},
		{"suppressed values do not count", reduce, append(slices.Clone(base), trygg.IndicatorPoint{Day: from, Suppressed: true}), trygg.LightGrey, 0},
		{"future values do not count", atLeast, monthly(t, "2025-06-01", 3, 9), trygg.LightRed, 0},
		{"at least: met", atLeast, monthly(t, "2025-01-01", 2, 8), trygg.LightGreen, 0},
		{"at least: 80 %", atLeast, monthly(t, "2025-01-01", 9, 6.4), trygg.LightYellow, 0},
		{"at least: below", atLeast, monthly(t, "2025-01-01", 9, 6), trygg.LightRed, 0},
		{"at most: met", atMost, monthly(t, "2025-01-01", 10), trygg.LightGreen, 0},
		{"at most: up to 20 % above", atMost, monthly(t, "2025-01-01", 12), trygg.LightYellow, 0},
		{"at most: above", atMost, monthly(t, "2025-01-01", 12.5), trygg.LightRed, 0},
		{"at most zero", trygg.Target{Kind: trygg.TargetAtMost}, monthly(t, "2025-01-01", 1), trygg.LightRed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &trygg.Commitment{Target: tt.target}
			a := trygg.Assess(c, tt.points, from, today)
			if a.Computed != tt.want || a.Light != tt.want || math.Abs(a.Change-tt.change) > 1e-9 || a.Explanation == "" {
				t.Fatalf("got %+v, want %s with change %g", a, tt.want, tt.change)
			}
		})
	}
	c := &trygg.Commitment{Target: atLeast, Override: &trygg.LightOverride{Light: trygg.LightGreen, Reason: "Rapporteringen släpar."}}
	a := trygg.Assess(c, monthly(t, "2025-01-01", 1), from, today)
	if a.Computed != trygg.LightRed || a.Light != trygg.LightGreen || a.Override == nil {
		t.Fatalf("override: %+v", a)
	}
}

func TestFormatNumber(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 8: "8", 7.5: "7,5", -20: "−20", -0.04: "0", 1234.56: "1234,6"} {
		if got := trygg.FormatNumber(x); got != want {
			t.Errorf("FormatNumber(%g) = %q, want %q", x, got, want)
		}
	}
}

func TestMonthStarts(t *testing.T) {
	got := trygg.MonthStarts(mustDay(t, "2024-11-15"), mustDay(t, "2025-02-01"))
	var s []string
	for _, d := range got {
		s = append(s, d.String())
	}
	if strings.Join(s, " ") != "2024-11-01 2024-12-01 2025-01-01 2025-02-01" {
		t.Fatalf("MonthStarts = %v", s)
	}
	if trygg.MonthEnd(mustDay(t, "2024-02-10")) != mustDay(t, "2024-02-29") {
		t.Fatal("MonthEnd of February 2024")
	}
}

func TestCheckPDF(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		ok      bool
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n"), true},
		{"empty", nil, false},
		{"html named pdf", []byte("<!doctype html>"), false},
		{"pdf later in the file", []byte("xx%PDF-1.7"), false},
		{"too large", append([]byte("%PDF-1.7"), make([]byte, trygg.MaxDocumentSize)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trygg.CheckPDF("avtal.pdf", tt.content)
			if (err == nil) != tt.ok || (err != nil && trygg.ErrorFields(err)[0].Field != "document") {
				t.Fatalf("CheckPDF = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestActionDeadlines(t *testing.T) {
	today := mustDay(t, "2025-03-14")
	tests := []struct {
		deadline         string
		status           trygg.ActionStatus
		overdue, dueSoon bool
	}{
		{"2025-03-13", trygg.ActionOngoing, true, false},
		{"2025-03-13", trygg.ActionDone, false, false},
		{"2025-03-14", trygg.ActionPlanned, false, true},
		{"2025-03-21", trygg.ActionPlanned, false, true},
		{"2025-03-22", trygg.ActionPlanned, false, false},
		{"2025-03-15", trygg.ActionCancelled, false, false},
	}
	for _, tt := range tests {
		a := &trygg.Action{Deadline: mustDay(t, tt.deadline), Status: tt.status}
		if a.Overdue(today) != tt.overdue || a.DueSoon(today) != tt.dueSoon {
			t.Errorf("%s %s: overdue %v, due soon %v", tt.deadline, tt.status, a.Overdue(today), a.DueSoon(today))
		}
	}
}

func TestInputsValidate(t *testing.T) {
	today := mustDay(t, "2025-03-14")
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"commitment without kind", (&trygg.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: trygg.Target{Text: "x"},
			Indicator: trygg.Indicator{Source: trygg.IndicatorSeries, Name: "x"}}).Validate(), "target_kind"},
		{"reduce over 100 %", (&trygg.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: trygg.Target{Text: "x", Kind: trygg.TargetReduce, Value: 120,
			BaselineFrom: 1, BaselineTo: 2}, Indicator: trygg.Indicator{Source: trygg.IndicatorSeries, Name: "x"}}).Validate(), "target_value"},
		{"reports without categories", (&trygg.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: trygg.Target{Text: "x", Kind: trygg.TargetAtMost, Value: 1},
			Indicator: trygg.Indicator{Source: trygg.IndicatorReports, Name: "x"}}).Validate(), "indicator_categories"},
		{"update in the future", (&trygg.CommitmentUpdateInput{Day: today + 1, Comment: "x"}).Validate(today), "day"},
		{"update without comment", (&trygg.CommitmentUpdateInput{Day: today}).Validate(today), "comment"},
		{"evidence not a web address", (&trygg.CommitmentUpdateInput{Day: today, Comment: "x", Evidence: "javascript:alert(1)"}).Validate(today), "evidence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := trygg.ErrorFields(tt.err)
			if !slices.ContainsFunc(fs, func(f trygg.FieldError) bool { return f.Field == tt.field }) {
				t.Fatalf("errors %v lack field %q", fs, tt.field)
			}
		})
	}
}
