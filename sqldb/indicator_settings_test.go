package sqldb_test

import (
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/sqldb"
)

// TestUpdateSeries: the samordnare renames an imported and an own series,
// sets the polarity and leaves one out of the yearly document; a re-import
// keeps the settings; bad settings name the field; only the samordnare
// may, and every change is audited.
func TestUpdateSeries(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		sam := as(f.samordnare)
		b := koladaFixture(t)
		if _, err := s.Import(sam, b, "kolada_data.json"); err != nil {
			t.Fatal(err)
		}
		code := b.Series[0].Code
		sr, err := s.UpdateSeries(sam, code, indikator.SeriesSettings{Name: "  Kostnad, egen rubrik ", Polarity: indikator.LowerIsBetter})
		if err != nil {
			t.Fatal(err)
		}
		if sr.Name != "Kostnad, egen rubrik" || sr.Polarity != indikator.LowerIsBetter || sr.InYearly {
			t.Errorf("after the update: %+v", sr)
		}
		if _, err := s.Import(sam, b, "kolada_data.json"); err != nil {
			t.Fatal(err)
		}
		list, err := s.FindSeries(as(f.lasare), indikator.SeriesFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, sr := range list {
			switch {
			case sr.Code == code && (sr.Name != "Kostnad, egen rubrik" || sr.InYearly):
				t.Errorf("after a re-import: %+v", sr)
			case sr.Code != code && !sr.InYearly:
				t.Errorf("%s is left out of the yearly document without a choice", sr.Code)
			}
		}

		own := "trygg_rapporter_skadegorelse"
		if _, err := s.UpdateSeries(sam, own, indikator.SeriesSettings{Name: "Skadegörelse", Polarity: indikator.LowerIsBetter, InYearly: true}); err != nil {
			t.Fatal(err)
		}
		if sr, err := s.FindSeriesByCode(as(f.lasare), own); err != nil || sr.Name != "Skadegörelse" || sr.Polarity != indikator.LowerIsBetter || !sr.InYearly {
			t.Errorf("the own series: %+v, %v", sr, err)
		}

		_, err = s.UpdateSeries(sam, code, indikator.SeriesSettings{Name: " ", Polarity: indikator.Neutral})
		wantField(t, err, "name")
		_, err = s.UpdateSeries(sam, code, indikator.SeriesSettings{Name: "Namn", Polarity: "battre"})
		wantField(t, err, "polarity")
		_, err = s.UpdateSeries(sam, "kolada_finns_inte", indikator.SeriesSettings{Name: "Namn", Polarity: indikator.Neutral})
		wantCode(t, err, trygg.ENOTFOUND)
		for _, u := range []*trygg.User{f.rapportor, f.polis, f.lasare} {
			_, err = s.UpdateSeries(as(u), code, indikator.SeriesSettings{Name: "Namn", Polarity: indikator.Neutral})
			wantCode(t, err, trygg.ENOTFOUND)
		}
		events, err := f.audit.FindAuditEvents(as(f.admin), trygg.AuditFilter{ObjectType: "indicator_series", Limit: 10})
		if err != nil || len(events) != 2 {
			t.Errorf("%d audit entries, %v; want one a change", len(events), err)
		}
	})
}
