package sqldb_test

import (
	"maps"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/nattvandring"
	"github.com/trygg-est/trygg/sqldb"
)

// TestOwnIndicatorsNightwalk: the night walks' own series give the hours
// walked, the walks held and the share of weekend nights walked per year,
// per district and for the municipality, with 1 to 4 walks withheld
// (testNow is 2025-03-14).
func TestOwnIndicatorsNightwalk(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newNightFixture(t, db)
		anna := f.volunteer(t, f.group, "Anna", day("2023-12-01"))
		bertil := f.volunteer(t, f.group, "Bertil", day("2023-12-01"))
		var walks []nattvandring.HeldWalk
		held := func(district string, days ...string) {
			for _, d := range days {
				walks = append(walks, nattvandring.HeldWalk{
					Walk:    nattvandring.WalkInput{Date: day(d), Start: 21 * 60, End: 60, Districts: []string{district}, MeetingPoint: "Torget"},
					SignUps: []int64{anna.ID, bertil.ID},
					Log: nattvandring.WalkLog{Districts: []string{district},
						Walkers: []nattvandring.Walker{{VolunteerID: anna.ID, Minutes: 240}, {VolunteerID: bertil.ID, Minutes: 180}}},
				})
			}
		}
		// 2024: six Fridays in Ålidhem; in Haga a Saturday and a Wednesday.
		held("alidhem", "2024-01-05", "2024-01-12", "2024-01-19", "2024-01-26", "2024-02-02", "2024-02-09")
		held("haga", "2024-03-02", "2024-03-06")
		// 2025 up to 14 March (21 weekend nights): five Saturdays in Haga.
		held("haga", "2025-01-04", "2025-01-11", "2025-01-18", "2025-01-25", "2025-02-01")
		if n, err := f.s.ImportWalks(operator(), f.group.ID, f.leader.ID, walks); err != nil || n != len(walks) {
			t.Fatalf("imported %d, %v", n, err)
		}

		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		type cell struct {
			area string
			year int
		}
		values := func(code string) map[cell]float64 {
			t.Helper()
			vals, err := s.Values(as(f.lasare), code, []string{indikator.WholeMunicipality, "alidhem", "haga"})
			if err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			out := map[cell]float64{}
			for _, v := range vals {
				out[cell{v.Area, v.Year}] = v.Value
			}
			return out
		}
		const k = indikator.WholeMunicipality
		for _, tc := range []struct {
			code string
			want map[cell]float64
		}{
			// Haga's two walks of 2024 are withheld ("färre än 5"), and
			// so are their hours; a walk is 7 hours.
			{"trygg_nattvandring_pass", map[cell]float64{{k, 2024}: 8, {"alidhem", 2024}: 6,
				{k, 2025}: 5, {"alidhem", 2025}: 0, {"haga", 2025}: 5}},
			{"trygg_nattvandring_timmar", map[cell]float64{{k, 2024}: 56, {"alidhem", 2024}: 42,
				{k, 2025}: 35, {"alidhem", 2025}: 0, {"haga", 2025}: 35}},
			// 2024 has 104 weekend nights: 7 walked in the municipality
			// (the Wednesday does not count), 6 in Ålidhem, Haga's 1 is
			// withheld; 2025: 5 of 21.
			{"trygg_nattvandring_helgnatter", map[cell]float64{{k, 2024}: 7, {"alidhem", 2024}: 6,
				{k, 2025}: 24, {"alidhem", 2025}: 0, {"haga", 2025}: 24}},
		} {
			if got := values(tc.code); !maps.Equal(got, tc.want) {
				t.Errorf("%s = %v, want %v", tc.code, got, tc.want)
			}
		}

		sr, err := s.FindSeriesByCode(as(f.lasare), "trygg_nattvandring_helgnatter")
		if err != nil || sr.Kind != indikator.KindMeasure || sr.Polarity != indikator.HigherIsBetter || sr.Source != indikator.SourceTrygg {
			t.Fatalf("share series %+v, %v", sr, err)
		}
		// The night walkers themselves do not read own series.
		_, err = s.Values(as(f.leader), "trygg_nattvandring_pass", nil)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}
