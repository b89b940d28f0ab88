package sqldb_test

import (
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/sqldb"
)

// TestYearlyVersions takes a year's document from draft to decided to
// published, and checks that a decided version never changes.
func TestYearlyVersions(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewYearlyService(db.DB)
		sam := as(f.samordnare)
		content := indikator.YearlyContent{Summary: "  Lugnare än året innan.  ", Causes: "Samlingsplatser vid centrum.",
			Districts:  []indikator.YearlyDistrict{{Code: "alidhem", Name: "Ålidhem", Counts: []indikator.NamedCount{{Label: "Våld", Count: 3}, {Label: "Hot", Count: 12}}}},
			Indicators: []indikator.YearlyIndicator{{Code: "trygg_insatser", Name: "Insatser", Own: true, Value: 2}, {Code: "kolada_n99901", Name: "NKA", Value: 2}}}
		y, err := s.SaveYearlyDraft(sam, 2025, content)
		if err != nil || y.Version != 1 || y.Status != indikator.YearlyDraft || y.Content.Summary != "Lugnare än året innan." {
			t.Fatalf("draft = %+v, %v", y, err)
		}
		content.Causes = "Rättat."
		if y, err = s.SaveYearlyDraft(sam, 2025, content); err != nil || y.Version != 1 || y.Content.Causes != "Rättat." {
			t.Fatalf("second save = %+v, %v; want the same draft", y, err)
		}
		_, err = s.PublishYearly(sam, 2025, 1)
		wantCode(t, err, trygg.ECONFLICT)
		d, err := s.DecideYearly(sam, 2025, 1)
		if err != nil || d.Status != indikator.YearlyDecided || len(d.SHA256) != 64 || d.DecidedBy != f.samordnare.Name {
			t.Fatalf("decided = %+v, %v", d, err)
		}
		_, err = s.DecideYearly(sam, 2025, 1)
		wantCode(t, err, trygg.ECONFLICT)
		// Saving after the decision starts version 2; version 1 stays.
		content.Causes = "Efter beslutet."
		v2, err := s.SaveYearlyDraft(sam, 2025, content)
		if err != nil || v2.Version != 2 {
			t.Fatalf("after decision = %+v, %v", v2, err)
		}
		v1, err := s.FindYearly(as(f.lasare), 2025, 1)
		if err != nil || v1.Content.Causes != "Rättat." || v1.Status != indikator.YearlyDecided {
			t.Fatalf("version 1 changed: %+v, %v", v1, err)
		}
		_, err = s.PublicYearly(t.Context(), 2025)
		wantCode(t, err, trygg.ENOTFOUND)
		if _, err := s.PublishYearly(sam, 2025, 1); err != nil {
			t.Fatal(err)
		}
		pub, err := s.PublicYearly(t.Context(), 2025)
		if err != nil || len(pub) != 1 || pub[0].Version != 1 || pub[0].DecidedBy != "" {
			t.Fatalf("public = %+v, %v", pub, err)
		}
		c := pub[0].Content
		if !c.Districts[0].Counts[0].Withheld || c.Districts[0].Counts[1].Count != 12 || !c.Indicators[0].Withheld || c.Indicators[1].Withheld {
			t.Fatalf("public content does not withhold the small own counts: %+v", c)
		}

		// Who may.
		_, err = s.SaveYearlyDraft(as(f.polis), 2025, content)
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.FindYearlies(as(f.rapportor))
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.FindYearlies(as(f.admin))
		wantCode(t, err, trygg.ENOTFOUND)
		list, err := s.FindYearlies(as(f.polis))
		if err != nil || len(list) != 2 {
			t.Fatalf("list = %d, %v", len(list), err)
		}
		// Bad input.
		_, err = s.SaveYearlyDraft(sam, 2019, content)
		wantField(t, err, "year")
		bad := content
		bad.Causes = "Ring 070-123 45 67 om saken."
		_, err = s.SaveYearlyDraft(sam, 2026, bad)
		wantField(t, err, "causes")
	})
}
