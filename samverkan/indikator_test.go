package samverkan

import (
	"testing"

	"github.com/trygg-est/trygg"
)

func TestCommitmentIndicatorFromIndikator(t *testing.T) {
	t.Parallel()
	base := CommitmentInput{Text: "Hålla kostnaden nere.", OwnerOrgCode: "polisen",
		Target: Target{Text: "Högst 70", Kind: TargetAtMost, Value: 70}}
	tests := []struct {
		name      string
		ind       Indicator
		badFields []string
	}{
		{"good", Indicator{Source: IndicatorIndikator, Name: "Kostnad", Series: "kolada_n99903", SeriesArea: "2480", Areas: []string{"x"}}, nil},
		{"no series", Indicator{Source: IndicatorIndikator, Name: "Kostnad", SeriesArea: "2480"}, []string{"indicator_series"}},
		{"no area", Indicator{Source: IndicatorIndikator, Name: "Kostnad", Series: "kolada_n99903"}, []string{"indicator_series_area"}},
	}
	for _, tt := range tests {
		in := base
		in.Indicator = tt.ind
		err := in.Validate()
		fields := trygg.ErrorFields(err)
		if len(fields) != len(tt.badFields) {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i, f := range fields {
			if f.Field != tt.badFields[i] {
				t.Errorf("%s: field %s, want %s", tt.name, f.Field, tt.badFields[i])
			}
		}
		if err == nil && (in.Indicator.Areas != nil || in.Indicator.Kind != IndicatorCounts) {
			t.Errorf("%s: indicator not cleaned: %+v", tt.name, in.Indicator)
		}
	}
	// Another source drops a series left in the form.
	in := base
	in.Indicator = Indicator{Source: IndicatorSeries, Name: "Nattvandringar", Series: "kolada_n99903", SeriesArea: "2480"}
	if err := in.Validate(); err != nil || in.Indicator.Series != "" || in.Indicator.SeriesArea != "" {
		t.Errorf("series source kept %+v, %v", in.Indicator, err)
	}
}

func TestWithholdsIndikator(t *testing.T) {
	t.Parallel()
	counts := Indicator{Source: IndicatorIndikator, Kind: IndicatorCounts}
	measure := Indicator{Source: IndicatorIndikator, Kind: IndicatorMeasure}
	if !AudiencePublic.Withholds(counts) || !AudiencePartners.Withholds(counts) || AudienceCountReaders.Withholds(counts) {
		t.Error("counts of an indicator are not withheld as counts of reports")
	}
	if AudiencePublic.Withholds(measure) {
		t.Error("a measure of an indicator is withheld")
	}
	if p := YearPoint(2024, 3); p.Day != trygg.DateDay(2024, 12, 31) || p.Value != 3 {
		t.Errorf("YearPoint = %+v", p)
	}
}
