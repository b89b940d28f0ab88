package sqldb_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
	"github.com/trygg-est/trygg/samverkan"
	"github.com/trygg-est/trygg/sqldb"
)

func koladaFixture(t *testing.T) *indikator.Batch {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "reportio", "testdata", "indikator", "kolada_data.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := reportio.ParseKoladaJSON(data, trygg.DateDay(2026, 3, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIndicatorImport imports the Kolada fixture, imports it again
// (nothing changes), then a revised value (its old value is kept).
func TestIndicatorImport(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		sam := as(f.samordnare)
		b := koladaFixture(t)

		res, err := s.Import(sam, b, "kolada_data.json")
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != 330 || res.Revised != 0 || res.Series != 3 {
			t.Fatalf("first import = %+v", res)
		}
		res, err = s.Import(sam, b, "kolada_data.json")
		if err != nil || res.Added != 0 || res.Revised != 0 || res.Unchanged != 330 {
			t.Fatalf("re-import = %+v, %v; want nothing changed", res, err)
		}
		db.clock.Advance(time.Hour)
		revised := &indikator.Batch{Source: b.Source, Series: b.Series[:1],
			Values: []indikator.Value{{Series: "kolada_n99901", Area: "2480", Year: 2016, Value: -5.1}, {Series: "kolada_n99901", Area: "2480", Year: 2030, Value: 1}}}
		res, err = s.Import(sam, revised, "rättad.json")
		if err != nil || res.Added != 1 || res.Revised != 1 {
			t.Fatalf("revision = %+v, %v", res, err)
		}
		vals, err := s.Values(as(f.rapportor), "kolada_n99901", []string{"2480"})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(vals, func(v indikator.Value) bool { return v.Year == 2016 })
		if len(vals) != 11 || i < 0 || vals[i].Value != -5.1 {
			t.Fatalf("values after revision = %+v", vals)
		}
		revs, err := s.Revisions(sam, "kolada_n99901", "2480")
		if err != nil || len(revs) != 1 || revs[0].Value != -4.3 || revs[0].Year != 2016 || !revs[0].ReplacedAt.Equal(testNow.Add(time.Hour)) {
			t.Fatalf("revisions = %+v, %v; want the old −4,3", revs, err)
		}

		// Who may: only the samordnare imports; every signed-in role reads
		// the imported series; own series only those who read counts.
		_, err = s.Import(as(f.rapportor), b, "x.json")
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.Import(as(f.polis), b, "x.json")
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.FindSeries(t.Context(), indikator.SeriesFilter{})
		wantCode(t, err, trygg.EUNAUTHORIZED)
		list, err := s.FindSeries(as(f.rapportor), indikator.SeriesFilter{})
		if err != nil || len(list) != 3 {
			t.Fatalf("rapportör sees %d series, %v; want the 3 imported", len(list), err)
		}
		all, err := s.FindSeries(as(f.lasare), indikator.SeriesFilter{})
		if err != nil || len(all) <= 3 {
			t.Fatalf("läsare sees %d series, %v; want own ones too", len(all), err)
		}
		own := all[len(all)-1].Code
		_, err = s.Values(as(f.rapportor), own, nil)
		wantCode(t, err, trygg.ENOTFOUND)
		if _, err := s.Values(as(f.lasare), own, nil); err != nil {
			t.Fatalf("own series %s: %v", own, err)
		}
		if _, err := s.Values(as(f.lasare), "trygg_rapporter_skadegorelse", nil); err != nil {
			t.Fatalf("own report series: %v", err)
		}

		// A bad batch changes nothing.
		bad := &indikator.Batch{Source: b.Source, Series: b.Series[:1], Values: []indikator.Value{{Series: "kolada_n99901", Area: "Umeå", Year: 2016}}}
		_, err = s.Import(sam, bad, "x.json")
		wantCode(t, err, trygg.EINVALID)
		if vals2, _ := s.Values(sam, "kolada_n99901", nil); len(vals2) != 111 {
			t.Fatalf("%d values after a refused import, want 111", len(vals2))
		}
	})
}

func TestIndicatorPeerGroups(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		s := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		sam := as(f.samordnare)
		g, err := s.SavePeerGroup(sam, &indikator.PeerGroup{Name: "Norrlandsstäder", Municipality: "2480", Members: []string{"2580", "2281"}})
		if err != nil || g.ID == 0 || len(g.Members) != 2 {
			t.Fatalf("save = %+v, %v", g, err)
		}
		g.Members = append(g.Members, "2380")
		if g, err = s.SavePeerGroup(sam, g); err != nil || len(g.Members) != 3 {
			t.Fatalf("update = %+v, %v", g, err)
		}
		_, err = s.SavePeerGroup(sam, &indikator.PeerGroup{Name: "x", Municipality: "2480"})
		wantCode(t, err, trygg.EINVALID)
		_, err = s.SavePeerGroup(as(f.lasare), &indikator.PeerGroup{Name: "x", Municipality: "2480", Members: []string{"2580"}})
		wantCode(t, err, trygg.ENOTFOUND)
		_, err = s.SavePeerGroup(sam, &indikator.PeerGroup{ID: 999, Name: "x", Municipality: "2480", Members: []string{"2580"}})
		wantCode(t, err, trygg.ENOTFOUND)
		list, err := s.FindPeerGroups(as(f.rapportor))
		if err != nil || len(list) != 1 || list[0].Name != "Norrlandsstäder" {
			t.Fatalf("list = %v, %v", list, err)
		}
		_, err = s.FindPeerGroup(as(f.rapportor), 999)
		wantCode(t, err, trygg.ENOTFOUND)
	})
}

// TestCommitmentMeasuredByIndicator: a commitment picks an imported
// indicator for its target, and its light follows the yearly values.
func TestCommitmentMeasuredByIndicator(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, db *testDB) {
		f := newFixture(t, db)
		sam := as(f.samordnare)
		ind := sqldb.NewIndicatorService(db.DB, sqldb.NewCountService(db.DB))
		kpis, err := reportio.ParseKoladaKPIs(mustRead(t, "kolada_kpi.json"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := reportio.ParseKoladaJSON(mustRead(t, "kolada_data.json"), trygg.DateDay(2026, 3, 1), kpis)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ind.Import(sam, b, "kolada_data.json"); err != nil {
			t.Fatal(err)
		}
		s := newAgreementService(db)
		in := agreementInput()
		in.From = day("2020-01-01")
		a, err := s.CreateAgreement(sam, in)
		if err != nil {
			t.Fatal(err)
		}
		ci := samverkan.CommitmentInput{Text: "Hålla kostnaden för det brottsförebyggande arbetet i schack.", OwnerOrgCode: "polisen",
			Target:    samverkan.Target{Text: "Högst 70 kr per invånare", Kind: samverkan.TargetAtMost, Value: 70},
			Indicator: samverkan.Indicator{Source: samverkan.IndicatorIndikator, Name: "Kostnad per invånare", Series: "kolada_n99903", SeriesArea: "2480"}}
		c, err := s.CreateCommitment(sam, a.ID, ci)
		if err != nil {
			t.Fatal(err)
		}
		if c.Indicator.Series != "kolada_n99903" || c.Indicator.SeriesArea != "2480" || c.Indicator.Kind != samverkan.IndicatorMeasure {
			t.Fatalf("indicator = %+v", c.Indicator)
		}
		points, err := s.IndicatorPoints(as(f.lasare), c.ID)
		if err != nil || len(points) != 10 || points[9].Day != day("2024-12-31") || points[9].Value != 62 {
			t.Fatalf("points = %+v, %v", points, err)
		}
		asm := samverkan.Assess(c, points, a.From, trygg.DayOf(testNow))
		if asm.Computed != samverkan.LightGreen || asm.Current != 62 {
			t.Fatalf("assessment = %+v, want green at 62", asm)
		}
		// An unknown series or an area without values names the field.
		bad := ci
		bad.Indicator.Series = "kolada_x"
		_, err = s.CreateCommitment(sam, a.ID, bad)
		wantField(t, err, "indicator_series")
		bad = ci
		bad.Indicator.SeriesArea = "0114"
		_, err = s.CreateCommitment(sam, a.ID, bad)
		wantField(t, err, "indicator_series_area")
	})
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "reportio", "testdata", "indikator", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
