package trygg

import "testing"

func TestISOWeek(t *testing.T) {
	for _, tc := range []struct {
		w            ISOWeek
		valid        bool
		code, monday string
	}{
		{ISOWeek{2026, 47}, true, "2026-W47", "2026-11-16"},
		{ISOWeek{2026, 53}, true, "2026-W53", "2026-12-28"},
		{ISOWeek{2025, 53}, false, "2025-W53", "2025-12-29"},
		{ISOWeek{2021, 1}, true, "2021-W01", "2021-01-04"},
		{ISOWeek{2026, 0}, false, "2026-W00", "2025-12-22"},
		{ISOWeek{1999, 10}, false, "1999-W10", "1999-03-08"},
	} {
		if got := tc.w.Valid(); got != tc.valid {
			t.Errorf("%v.Valid() = %v", tc.w, got)
		}
		if got := tc.w.Code(); got != tc.code {
			t.Errorf("%v.Code() = %q", tc.w, got)
		}
		if got := tc.w.Monday().String(); got != tc.monday {
			t.Errorf("%v.Monday() = %s", tc.w, got)
		}
		if tc.valid && (WeekOf(tc.w.Monday()) != tc.w || WeekOf(tc.w.Sunday()) != tc.w || WeekOf(tc.w.Sunday()+1) == tc.w) {
			t.Errorf("%v: WeekOf disagrees with Monday and Sunday", tc.w)
		}
	}
	if got := (ISOWeek{2026, 47}).String(); got != "vecka 47 2026" {
		t.Errorf("String() = %q", got)
	}
}
