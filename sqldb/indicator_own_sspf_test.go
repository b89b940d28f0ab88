package sqldb_test

import (
	"maps"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/sqldb"
	"github.com/trygg-est/trygg/sspf"
)

// TestOwnIndicatorsSSPF: the SSPF cases' own series count the cases
// opened per year and give the share with a complete consent and the
// median days to active, published by the statistics' rule: 1 to 4 cases,
// a share with a part or rest of 1 to 4, a median over fewer than five
// withheld (testNow is in 2025).
func TestOwnIndicatorsSSPF(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newSSPFFixture(t, db)
		raw := rawDB(t, db)
		serial := 200
		// open adds a case referred on referred, active after daysToActive
		// days (0: never) and with a complete consent when complete.
		open := func(referred string, daysToActive int, complete bool) {
			t.Helper()
			in := sspfInput(f)
			id := sspf.ExampleNumber(sspfBirth, serial)
			serial++
			in.YouthID, in.ReferredOn = id[2:8]+"-"+id[8:], day(referred)
			c, err := f.sspf.CreateCase(as(f.coordinator), in)
			if err != nil {
				t.Fatal(err)
			}
			var active any
			if daysToActive > 0 {
				active = int64(day(referred)) + int64(daysToActive)
			}
			flag := 0
			if complete {
				flag = 1
			}
			if _, err := raw.Exec("UPDATE sspf_cases SET active_on = $1, complete_consent = $2 WHERE ref = $3", active, flag, c.Ref); err != nil {
				t.Fatal(err)
			}
		}
		// 2023: six cases, five with a complete consent (the rest of 1 is
		// withheld), five active after 10 to 50 days (median 30).
		for i, d := range []int{10, 20, 30, 40, 50, 0} {
			open("2023-02-01", d, i < 5)
		}
		// 2024: ten cases, five complete (50 %), three active (too few).
		for i := range 10 {
			d := 0
			if i < 3 {
				d = 7
			}
			open("2024-05-01", d, i%2 == 0)
		}
		// 2025: two cases, withheld.
		open("2025-01-10", 5, true)
		open("2025-02-10", 0, false)

		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		values := func(code string) map[int]float64 {
			t.Helper()
			return municipalityYears(t, s, as(f.lasare), code)
		}
		for _, tc := range []struct {
			code string
			want map[int]float64
		}{
			{"trygg_sspf_arenden", map[int]float64{2023: 6, 2024: 10}},
			{"trygg_sspf_samtycke", map[int]float64{2024: 50}},
			{"trygg_sspf_dagar_till_aktiv", map[int]float64{2023: 30}},
		} {
			if got := values(tc.code); !maps.Equal(got, tc.want) {
				t.Errorf("%s = %v, want %v", tc.code, got, tc.want)
			}
		}

		for code, polarity := range map[string]indikator.Polarity{"trygg_sspf_samtycke": indikator.HigherIsBetter,
			"trygg_sspf_dagar_till_aktiv": indikator.LowerIsBetter} {
			sr, err := s.FindSeriesByCode(as(f.lasare), code)
			if err != nil || sr.Kind != indikator.KindMeasure || sr.Polarity != polarity || sr.Source != indikator.SourceTrygg {
				t.Fatalf("%s: series %+v, %v", code, sr, err)
			}
		}
		// The SSPF members do not read own series.
		_, err := s.Values(as(f.school), "trygg_sspf_arenden", nil)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}
