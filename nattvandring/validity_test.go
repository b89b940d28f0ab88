package nattvandring

import (
	"maps"
	"strings"
	"testing"
)

func TestParseValidity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    Validity
		wantErr string
	}{
		{"", DefaultValidity, ""},
		{"introduktion=24", Validity{TrainingIntroduction: 24, TrainingFirstAid: 24, TrainingConflict: 36}, ""},
		{" forsta_hjalpen = 12 , konflikthantering=60", Validity{TrainingIntroduction: 36, TrainingFirstAid: 12, TrainingConflict: 60}, ""},
		{"simning=12", nil, `"simning=12": ange utbildning=månader`},
		{"introduktion", nil, `"introduktion": ange utbildning=månader`},
		{"introduktion=0", nil, `"introduktion=0": ange giltighetstiden`},
		{"introduktion=121", nil, `"introduktion=121": ange giltighetstiden`},
		{"introduktion=tre", nil, `"introduktion=tre": ange giltighetstiden`},
	} {
		got, err := ParseValidity(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseValidity(%q) error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("ParseValidity(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	// The default is never changed through a parsed value.
	if v, _ := ParseValidity(""); true {
		v[TrainingIntroduction] = 1
		if DefaultValidity[TrainingIntroduction] != 36 {
			t.Fatal("ParseValidity returned the default map itself")
		}
	}
}

// FuzzParseValidity checks that any setting either parses into months
// from 1 to 120 for the known kinds only, or gives an error.
func FuzzParseValidity(f *testing.F) {
	for _, s := range []string{"", "introduktion=24", "forsta_hjalpen=12,konflikthantering=60", "x=1", "introduktion=", "=,="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseValidity(s)
		if err != nil {
			return
		}
		if len(v) != len(DefaultValidity) {
			t.Fatalf("%q gave kinds %v", s, v)
		}
		for kind, m := range v {
			if _, known := DefaultValidity[kind]; !known || m < 1 || m > 120 {
				t.Fatalf("%q gave %s=%d", s, kind, m)
			}
		}
	})
}
