package samverkan_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

// monthly returns one point per month from the first of month "from",
// with the given values.
func monthly(t *testing.T, from string, values ...float64) []samverkan.IndicatorPoint {
	t.Helper()
	d := tryggtest.Day(t, from)
	var ps []samverkan.IndicatorPoint
	for _, v := range values {
		ps = append(ps, samverkan.IndicatorPoint{Day: d, Value: v})
		d = trygg.MonthEnd(d) + 1
	}
	return ps
}

func TestAssess(t *testing.T) {
	reduce := samverkan.Target{Kind: samverkan.TargetReduce, Value: 20, BaselineFrom: tryggtest.Day(t, "2024-01-01"), BaselineTo: tryggtest.Day(t, "2024-12-31")}
	atLeast := samverkan.Target{Kind: samverkan.TargetAtLeast, Value: 8}
	atMost := samverkan.Target{Kind: samverkan.TargetAtMost, Value: 10}
	// 2024: every month 10, so the baseline is 10 a month.
	base := monthly(t, "2024-01-01", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
	from, today := tryggtest.Day(t, "2025-01-01"), tryggtest.Day(t, "2025-06-15")
	tests := []struct {
		name   string
		target samverkan.Target
		points []samverkan.IndicatorPoint
		want   samverkan.Light
		change float64
	}{
		{"no current values", reduce, base, samverkan.LightGrey, 0},
		{"no baseline", reduce, monthly(t, "2025-01-01", 5), samverkan.LightGrey, 0},
		{"zero baseline", reduce, append(monthly(t, "2024-01-01", 0), monthly(t, "2025-01-01", 5)...), samverkan.LightGrey, 0},
		// Only the newest three values count: (8+8+8)/3 = 8, −20 %.
		{"reduced enough", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 30, 8, 8, 8)...), samverkan.LightGreen, -20},
		{"reduced a little", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 9, 9, 9)...), samverkan.LightYellow, -10},
		{"unchanged", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 10)...), samverkan.LightRed, 0},
		{"increased", reduce, append(slices.Clone(base), monthly(t, "2025-01-01", 15)...), samverkan.LightRed, 50},
		{"suppressed values do not count", reduce, append(slices.Clone(base), samverkan.IndicatorPoint{Day: from, Suppressed: true}), samverkan.LightGrey, 0},
		{"future values do not count", atLeast, monthly(t, "2025-06-01", 3, 9), samverkan.LightRed, 0},
		{"at least: met", atLeast, monthly(t, "2025-01-01", 2, 8), samverkan.LightGreen, 0},
		{"at least: 80 %", atLeast, monthly(t, "2025-01-01", 9, 6.4), samverkan.LightYellow, 0},
		{"at least: below", atLeast, monthly(t, "2025-01-01", 9, 6), samverkan.LightRed, 0},
		{"at most: met", atMost, monthly(t, "2025-01-01", 10), samverkan.LightGreen, 0},
		{"at most: up to 20 % above", atMost, monthly(t, "2025-01-01", 12), samverkan.LightYellow, 0},
		{"at most: above", atMost, monthly(t, "2025-01-01", 12.5), samverkan.LightRed, 0},
		{"at most zero", samverkan.Target{Kind: samverkan.TargetAtMost}, monthly(t, "2025-01-01", 1), samverkan.LightRed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &samverkan.Commitment{Target: tt.target}
			a := samverkan.Assess(c, tt.points, from, today)
			if a.Computed != tt.want || a.Light != tt.want || math.Abs(a.Change-tt.change) > 1e-9 || a.Explanation == "" {
				t.Fatalf("got %+v, want %s with change %g", a, tt.want, tt.change)
			}
		})
	}
	c := &samverkan.Commitment{Target: atLeast, Override: &samverkan.LightOverride{Light: samverkan.LightGreen, Reason: "Rapporteringen släpar."}}
	a := samverkan.Assess(c, monthly(t, "2025-01-01", 1), from, today)
	if a.Computed != samverkan.LightRed || a.Light != samverkan.LightGreen || a.Override == nil {
		t.Fatalf("override: %+v", a)
	}
}

func TestActionDeadlines(t *testing.T) {
	today := tryggtest.Day(t, "2025-03-14")
	tests := []struct {
		deadline         string
		status           samverkan.ActionStatus
		overdue, dueSoon bool
	}{
		{"2025-03-13", samverkan.ActionOngoing, true, false},
		{"2025-03-13", samverkan.ActionDone, false, false},
		{"2025-03-14", samverkan.ActionPlanned, false, true},
		{"2025-03-21", samverkan.ActionPlanned, false, true},
		{"2025-03-22", samverkan.ActionPlanned, false, false},
		{"2025-03-15", samverkan.ActionCancelled, false, false},
	}
	for _, tt := range tests {
		a := &samverkan.Action{Deadline: tryggtest.Day(t, tt.deadline), Status: tt.status}
		if a.Overdue(today) != tt.overdue || a.DueSoon(today) != tt.dueSoon {
			t.Errorf("%s %s: overdue %v, due soon %v", tt.deadline, tt.status, a.Overdue(today), a.DueSoon(today))
		}
	}
}

func TestInputsValidate(t *testing.T) {
	today := tryggtest.Day(t, "2025-03-14")
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"commitment without kind", (&samverkan.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: samverkan.Target{Text: "x"},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "x"}}).Validate(), "target_kind"},
		{"reduce over 100 %", (&samverkan.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: samverkan.Target{Text: "x", Kind: samverkan.TargetReduce, Value: 120,
			BaselineFrom: 1, BaselineTo: 2}, Indicator: samverkan.Indicator{Source: samverkan.IndicatorSeries, Name: "x"}}).Validate(), "target_value"},
		{"reports without categories", (&samverkan.CommitmentInput{Text: "x", OwnerOrgCode: "p", Target: samverkan.Target{Text: "x", Kind: samverkan.TargetAtMost, Value: 1},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorReports, Name: "x"}}).Validate(), "indicator_categories"},
		{"update in the future", (&samverkan.CommitmentUpdateInput{Day: today + 1, Comment: "x"}).Validate(today), "day"},
		{"update without comment", (&samverkan.CommitmentUpdateInput{Day: today}).Validate(today), "comment"},
		{"evidence not a web address", (&samverkan.CommitmentUpdateInput{Day: today, Comment: "x", Evidence: "javascript:alert(1)"}).Validate(today), "evidence"},
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

func TestMeetingCheckOpen(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	if err := (&samverkan.Meeting{}).CheckOpen(); err != nil {
		t.Errorf("open meeting: %v", err)
	}
	if err := (&samverkan.Meeting{ClosedAt: &at}).CheckOpen(); trygg.ErrorCode(err) != trygg.ECONFLICT {
		t.Errorf("closed meeting: %v", err)
	}
}
