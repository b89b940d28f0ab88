package demo

import (
	"testing"
	"time"
)

func TestDemoIndicatorsDeterministic(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	a, b := demoIndicators(end), demoIndicators(end)
	if len(a) != 3 || len(a) != len(b) {
		t.Fatalf("%d and %d batches, want 3 (Kolada, BRÅ, population)", len(a), len(b))
	}
	for i := range a {
		if err := a[i].Check(); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		for k := range a[i].Values {
			if a[i].Values[k] != b[i].Values[k] {
				t.Fatalf("value %d of batch %d differs between runs", k, i)
			}
		}
		for _, s := range a[i].Series {
			if s.Licence != demoLicence {
				t.Errorf("series %s is not labelled as demo", s.Code)
			}
		}
	}
	if last := a[0].Values[DemoYears-1]; last.Year != 2025 {
		t.Errorf("newest demo year %d, want 2025", last.Year)
	}
}
