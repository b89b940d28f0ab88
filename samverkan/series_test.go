package samverkan_test

import (
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestForAudience(t *testing.T) {
	reports := samverkan.Indicator{Source: samverkan.IndicatorReports}
	ads := samverkan.Indicator{Source: samverkan.IndicatorAds, Kind: samverkan.IndicatorCounts}
	seriesCounts := samverkan.Indicator{Source: samverkan.IndicatorSeries, Kind: samverkan.IndicatorCounts}
	seriesMeasure := samverkan.Indicator{Source: samverkan.IndicatorSeries, Kind: samverkan.IndicatorMeasure}
	// 0 and 5 and above are shown; 1 to 4 are withheld when the audience
	// gets small values withheld.
	values := []float64{0, 1, 4, 5, 12}
	whole := []bool{false, false, false, false, false}
	withheld := []bool{false, true, true, false, false}
	tests := []struct {
		name      string
		indicator samverkan.Indicator
		audience  samverkan.Audience
		want      []bool
	}{
		{"reports, count readers", reports, samverkan.AudienceCountReaders, whole},
		{"reports, partners", reports, samverkan.AudiencePartners, withheld},
		{"reports, public", reports, samverkan.AudiencePublic, withheld},
		{"ads, partners", ads, samverkan.AudiencePartners, withheld},
		{"ads, public", ads, samverkan.AudiencePublic, withheld},
		{"series of counts, count readers", seriesCounts, samverkan.AudienceCountReaders, whole},
		{"series of counts, partners", seriesCounts, samverkan.AudiencePartners, whole},
		{"series of counts, public", seriesCounts, samverkan.AudiencePublic, withheld},
		{"series of measurements, public", seriesMeasure, samverkan.AudiencePublic, whole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var points []samverkan.IndicatorPoint
			for i, v := range values {
				points = append(points, samverkan.IndicatorPoint{Day: trygg.DateDay(2025, time.Month(i+1), 1), Value: v})
			}
			got := samverkan.ForAudience(points, tt.indicator, tt.audience)
			for i, p := range got {
				wantValue := values[i]
				if tt.want[i] {
					wantValue = 0
				}
				if p.Suppressed != tt.want[i] || p.Value != wantValue {
					t.Errorf("value %g: got %+v, want suppressed %v", values[i], p, tt.want[i])
				}
			}
			if tt.audience.Withholds(tt.indicator) != slices.Contains(tt.want, true) {
				t.Errorf("Withholds = %v", tt.audience.Withholds(tt.indicator))
			}
		})
	}
}

func TestIndicatorMonths(t *testing.T) {
	reduce := samverkan.Target{Kind: samverkan.TargetReduce, BaselineFrom: tryggtest.Day(t, "2024-01-15"), BaselineTo: tryggtest.Day(t, "2024-03-31")}
	atMost := samverkan.Target{Kind: samverkan.TargetAtMost, BaselineFrom: tryggtest.Day(t, "2024-01-15"), BaselineTo: tryggtest.Day(t, "2024-03-31")}
	tests := []struct {
		name            string
		target          samverkan.Target
		from, to, today string
		want            []string
	}{
		{"baseline and period", reduce, "2025-01-01", "2025-12-31", "2025-04-10",
			[]string{"2024-01-01", "2024-02-01", "2024-03-01", "2025-01-01", "2025-02-01", "2025-03-01"}},
		{"only a reduction has a baseline", atMost, "2025-01-01", "2025-12-31", "2025-04-10",
			[]string{"2025-01-01", "2025-02-01", "2025-03-01"}},
		{"the month of today has not ended", atMost, "2025-01-01", "2025-12-31", "2025-01-31", nil},
		{"the period has ended", atMost, "2025-01-01", "2025-02-15", "2026-01-01", []string{"2025-01-01", "2025-02-01"}},
		{"overlapping baseline counted once", samverkan.Target{Kind: samverkan.TargetReduce, BaselineFrom: tryggtest.Day(t, "2025-01-01"),
			BaselineTo: tryggtest.Day(t, "2025-02-28")}, "2025-02-01", "2025-12-31", "2025-04-01",
			[]string{"2025-01-01", "2025-02-01", "2025-03-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range samverkan.IndicatorMonths(tt.target, tryggtest.Day(t, tt.from), tryggtest.Day(t, tt.to), tryggtest.Day(t, tt.today)) {
				got = append(got, m.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("IndicatorMonths = %v, want %v", got, tt.want)
			}
		})
	}
	long := samverkan.IndicatorMonths(atMost, tryggtest.Day(t, "2000-01-01"), tryggtest.Day(t, "2030-12-31"), tryggtest.Day(t, "2026-06-15"))
	if len(long) != samverkan.MaxIndicatorMonths || long[len(long)-1] != tryggtest.Day(t, "2026-05-01") {
		t.Errorf("capped: %d months up to %s", len(long), long[len(long)-1])
	}
}

func TestReportPoint(t *testing.T) {
	cells := []trygg.CellCount{{Count: 3}, {Count: 4}}
	if got := samverkan.ReportPoint(tryggtest.Day(t, "2025-01-01"), cells); got != (samverkan.IndicatorPoint{Day: tryggtest.Day(t, "2025-01-01"), Value: 7}) {
		t.Errorf("ReportPoint = %+v", got)
	}
}

func TestCheckPoints(t *testing.T) {
	day := tryggtest.Day(t, "2025-01-01")
	tests := []struct {
		name   string
		points []samverkan.IndicatorPoint
		ok     bool
	}{
		{"one value", []samverkan.IndicatorPoint{{Day: day, Value: 3.5}}, true},
		{"none", nil, false},
		{"too many", make([]samverkan.IndicatorPoint, samverkan.MaxIndicatorRows+1), false},
		{"before 2000", []samverkan.IndicatorPoint{{Day: tryggtest.Day(t, "1999-12-31"), Value: 1}}, false},
		{"after 2100", []samverkan.IndicatorPoint{{Day: tryggtest.Day(t, "2101-01-01"), Value: 1}}, false},
		{"too large", []samverkan.IndicatorPoint{{Day: day, Value: 1e12}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := samverkan.CheckPoints(tt.points)
			if (err == nil) != tt.ok || (err != nil && trygg.ErrorFields(err)[0].Field != "file") {
				t.Fatalf("CheckPoints = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestCheckEntered(t *testing.T) {
	for _, source := range samverkan.IndicatorSources {
		err := samverkan.CheckEntered(samverkan.Indicator{Source: source})
		if (err == nil) != (source == samverkan.IndicatorSeries) || (err != nil && trygg.ErrorCode(err) != trygg.EINVALID) {
			t.Errorf("%s: %v", source, err)
		}
	}
}

func TestHideForPublic(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		override *samverkan.LightOverride
		want     *samverkan.LightOverride
	}{
		{"no override", nil, nil},
		{"not approved", &samverkan.LightOverride{Light: samverkan.LightGreen, Reason: "Skäl.", ByName: "Rut"}, nil},
		{"approved", &samverkan.LightOverride{Light: samverkan.LightGreen, Reason: "Skäl.", ByName: "Rut", PublishedAt: &at},
			&samverkan.LightOverride{Light: samverkan.LightGreen, Reason: "Skäl.", PublishedAt: &at}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &samverkan.Commitment{Override: tt.override}
			c.HideForPublic()
			if (c.Override == nil) != (tt.want == nil) || (c.Override != nil && *c.Override != *tt.want) {
				t.Errorf("override = %+v, want %+v", c.Override, tt.want)
			}
		})
	}
	u := &samverkan.CommitmentUpdate{ByName: "Rut", ByOrgName: "Polisen"}
	if u.HideForPublic(); u.ByName != "" || u.ByOrgName != "Polisen" {
		t.Errorf("update = %+v", u)
	}
}
