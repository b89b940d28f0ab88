package sqldb_test

import (
	"context"
	"maps"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/leverantor"
	"github.com/trygg-est/trygg/sqldb"
)

// TestOwnIndicatorsLeverantor: the provider review's own series count the
// checks and terminations per year and give the share of due checks made
// on time, with small counts and shares withheld (testNow is in 2025).
func TestOwnIndicatorsLeverantor(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newReviewFixture(t, db)
		mustImport(t, f, f.unitA)
		a := providerID(t, f, f.unitA, "Omsorgen i Norr AB")
		b := providerID(t, f, f.unitA, "Assistans Direkt AB")
		c := providerID(t, f, f.unitA, "Kalles Daglig Verksamhet")
		var checks []leverantor.CheckImport
		add := func(p int64, typ string, days ...string) {
			for _, d := range days {
				checks = append(checks, leverantor.CheckImport{ProviderID: p,
					CheckInput: leverantor.CheckInput{Type: typ, Day: day(d), Result: leverantor.ResultOK, Source: "Registret"}})
			}
		}
		// kronofogden every 6 months: each monthly check of A is on time,
		// A's in January 2025 is late (due 2024-12-01), B's in March 2025
		// on time. styrelse every 6 months: each second check is late.
		add(a, "kronofogden", "2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01", "2025-01-01")
		add(b, "kronofogden", "2024-12-01", "2025-03-01")
		add(a, "styrelse", "2023-01-01", "2024-01-01", "2024-08-01")
		add(b, "styrelse", "2023-01-01", "2024-01-01", "2024-08-01")
		add(c, "styrelse", "2023-01-01", "2024-01-01")
		add(a, "sanktioner", "2023-06-01")
		if err := f.lev.ImportChecks(as(f.unitA), checks); err != nil {
			t.Fatal(err)
		}
		if err := f.lev.RecordDecision(as(f.unitA), c, leverantor.DecisionInput{Action: leverantor.ActionTerminate,
			Reason: "Verksamheten saknade tillstånd vid tre kontroller."}); err != nil {
			t.Fatal(err)
		}

		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		values := func(code string) map[int]float64 {
			t.Helper()
			return municipalityYears(t, s, as(f.lasare), code)
		}
		for _, tc := range []struct {
			code string
			want map[int]float64
		}{
			// 2025 has 2 checks and 1 termination: withheld ("färre än 5").
			{"trygg_leverantor_kontroller", map[int]float64{2023: 5, 2024: 12}},
			// 2024: 6 of 11 due checks on time, 55 %; 2023 has none due;
			// 2025's 1 of 2 is withheld.
			{"trygg_leverantor_kontroller_i_tid", map[int]float64{2024: 55}},
			{"trygg_leverantor_havningar", map[int]float64{2023: 0, 2024: 0}},
		} {
			if got := values(tc.code); !maps.Equal(got, tc.want) {
				t.Errorf("%s = %v, want %v", tc.code, got, tc.want)
			}
		}

		sr, err := s.FindSeriesByCode(as(f.lasare), "trygg_leverantor_kontroller_i_tid")
		if err != nil || sr.Kind != indikator.KindMeasure || sr.Polarity != indikator.HigherIsBetter || sr.Source != indikator.SourceTrygg {
			t.Fatalf("share series %+v, %v", sr, err)
		}
		// Only those who may read report counts see own series.
		_, err = s.Values(as(f.rapportor), "trygg_leverantor_kontroller", nil)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

// municipalityYears reads an indicator's values for the whole
// municipality as the caller in ctx, by year.
func municipalityYears(t *testing.T, s *sqldb.IndicatorService, ctx context.Context, code string) map[int]float64 {
	t.Helper()
	vals, err := s.Values(ctx, code, []string{indikator.WholeMunicipality})
	if err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	out := map[int]float64{}
	for _, v := range vals {
		out[v.Year] = v.Value
	}
	return out
}
