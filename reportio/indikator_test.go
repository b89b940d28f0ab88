package reportio_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/indikator"
	"github.com/trygg-est/trygg/reportio"
)

var retrieved = trygg.DateDay(2026, 3, 1)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "indikator", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkBatch checks what every importer promises of a batch.
func checkBatch(t *testing.T, b *indikator.Batch) {
	t.Helper()
	if err := b.Check(); err != nil {
		t.Fatalf("the batch fails its own check: %v", err)
	}
	for _, s := range b.Series {
		if s.Licence == "" || s.Retrieved == 0 {
			t.Errorf("series %s lacks its licence note or retrieval day", s.Code)
		}
	}
}

func valueOf(b *indikator.Batch, series, area string, year int) (float64, bool) {
	for _, v := range b.Values {
		if v.Series == series && v.Area == area && v.Year == year {
			return v.Value, true
		}
	}
	return 0, false
}

func TestImportFixtures(t *testing.T) {
	t.Parallel()
	kpis, err := reportio.ParseKoladaKPIs(fixture(t, "kolada_kpi.json"))
	if err != nil {
		t.Fatal(err)
	}
	kolada, err := reportio.ParseKoladaJSON(fixture(t, "kolada_data.json"), retrieved, kpis)
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, kolada)
	if len(kolada.Series) != 3 || len(kolada.Values) != 330 {
		t.Errorf("Kolada: %d series, %d values, want 3 and 330 (the null left out, genders K and M not counted)", len(kolada.Series), len(kolada.Values))
	}
	if !strings.HasPrefix(kolada.Series[0].Name, "Nettokostnadsavvikelse") || kolada.Series[0].Code != "kolada_n99901" {
		t.Errorf("Kolada series = %+v", kolada.Series[0])
	}
	if v, ok := valueOf(kolada, "kolada_n99901", "2480", 2016); !ok || v != -4.3 {
		t.Errorf("Kolada Umeå 2016 = %v %v, want −4,3", v, ok)
	}
	bra, err := reportio.ParseBraCSV(fixture(t, "bra.csv"), retrieved)
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, bra)
	if len(bra.Series) != 6 || len(bra.Values) != 11*10*3*2 {
		t.Errorf("BRÅ: %d series, %d values", len(bra.Series), len(bra.Values))
	}
	if v, ok := valueOf(bra, "bra_skadegorelse_per_100000", "2480", 2015); !ok || v != 761.2 {
		t.Errorf("BRÅ rate Umeå 2015 = %v %v, want 761,2", v, ok)
	}
	police, err := reportio.ParsePoliceAreasCSV(fixture(t, "polisen.csv"), retrieved)
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, police)
	if v, _ := valueOf(police, "polisen_utsatta_omraden", "2480", 2023); v != 2 {
		t.Errorf("Umeå 2023 has %v areas on the list, want 2", v)
	}
	if v, _ := valueOf(police, "polisen_sarskilt_utsatt_omrade", "0380", 2023); v != 1 {
		t.Errorf("Uppsala 2023 särskilt utsatta = %v, want 1", v)
	}
	pop, err := reportio.ParsePopulationCSV(fixture(t, "befolkning.csv"), retrieved)
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, pop)
	if v, _ := valueOf(pop, "befolkning", "2480", 2015); v != 80000 {
		t.Errorf("population Umeå 2015 = %v", v)
	}
}

// TestImportErrors checks that a bad file is refused whole, with the line
// and the field of the problem.
func TestImportErrors(t *testing.T) {
	t.Parallel()
	type parser func([]byte) (*indikator.Batch, error)
	kolada := func(d []byte) (*indikator.Batch, error) { return reportio.ParseKoladaJSON(d, retrieved, nil) }
	bra := func(d []byte) (*indikator.Batch, error) { return reportio.ParseBraCSV(d, retrieved) }
	police := func(d []byte) (*indikator.Batch, error) { return reportio.ParsePoliceAreasCSV(d, retrieved) }
	pop := func(d []byte) (*indikator.Batch, error) { return reportio.ParsePopulationCSV(d, retrieved) }
	tests := []struct {
		name  string
		parse parser
		data  string
		want  []string // every one in the message of a field
	}{
		{"kolada bad municipality", kolada, "{\"values\": [\n{\"kpi\": \"N00002\", \"municipality\": \"2480\", \"period\": 2024, \"values\": [{\"gender\": \"T\", \"value\": 1}]},\n{\"kpi\": \"N00002\", \"municipality\": \"Umeå\", \"period\": 2024, \"values\": []}]}", []string{"rad 3", "fält municipality"}},
		{"kolada bad period", kolada, `{"values": [{"kpi": "N00002", "municipality": "2480", "period": 1800, "values": []}]}`, []string{"rad 1", "fält period"}},
		{"kolada bad gender", kolada, "{\"values\": [\n\n{\"kpi\": \"N00002\", \"municipality\": \"2480\", \"period\": 2024, \"values\": [{\"gender\": \"X\", \"value\": 1}]}]}", []string{"rad 3", "values.gender"}},
		{"kolada bad kpi", kolada, `{"values": [{"kpi": "nope", "municipality": "2480", "period": 2024, "values": []}]}`, []string{"fält kpi"}},
		{"kolada wrong type", kolada, "{\"values\": [\n{\"kpi\": \"N00002\", \"municipality\": 2480, \"period\": 2024, \"values\": []}]}", []string{"rad 2", "municipality"}},
		{"kolada syntax", kolada, "{\"values\": [\n{\"kpi\": }]}", []string{"rad 2"}},
		{"kolada no values", kolada, `{"count": 0, "values": []}`, []string{"inga värden"}},
		{"kolada duplicate", kolada, "{\"values\": [\n{\"kpi\": \"N00002\", \"municipality\": \"2480\", \"period\": 2024, \"values\": [{\"gender\": \"T\", \"value\": 1}]},\n{\"kpi\": \"N00002\", \"municipality\": \"2480\", \"period\": 2024, \"values\": [{\"gender\": \"T\", \"value\": 2}]}]}", []string{"rad 3", "finns redan på rad 2"}},
		{"bra bad count", bra, "kommunkod;år;brott;antal\n2480;2024;Rån;12\n2480;2024;Stöld;tolv\n", []string{"rad 3", "kolumn antal"}},
		{"bra bad year", bra, "kommunkod;år;brott;antal\n2480;20x4;Rån;12\n", []string{"rad 2", "kolumn år"}},
		{"bra missing column", bra, "kommunkod;år;antal\n2480;2024;12\n", []string{"brott saknas"}},
		{"bra duplicate", bra, "kommunkod;år;brott;antal\n2480;2024;Rån;12\n2480;2024;rån;13\n", []string{"rad 3", "rad 2"}},
		{"police bad class", police, "område;kommunkod;klassificering;år\nX;2480;Farligt område;2023\n", []string{"rad 2", "kolumn klassificering"}},
		{"police bad municipality", police, "område;kommunkod;klassificering;år\nX;24800;Riskområde;2023\n", []string{"rad 2", "kolumn kommunkod"}},
		{"population decimal", pop, "kommunkod,år,folkmängd\n2480,2024,\"130000,5\"\n", []string{"rad 2", "kolumn folkmängd"}},
		{"population empty", pop, "", []string{"tom"}},
	}
	for _, tt := range tests {
		b, err := tt.parse([]byte(tt.data))
		if b != nil || trygg.ErrorCode(err) != trygg.EINVALID {
			t.Errorf("%s: %v, %v; want EINVALID and nothing", tt.name, b, err)
			continue
		}
		var all string
		for _, f := range trygg.ErrorFields(err) {
			if f.Field != "file" {
				t.Errorf("%s: field %q, want file", tt.name, f.Field)
			}
			all += f.Message + " | "
		}
		for _, w := range tt.want {
			if !strings.Contains(strings.ToLower(all), strings.ToLower(w)) {
				t.Errorf("%s: problems %q do not say %q", tt.name, all, w)
			}
		}
	}
}

// fuzzBatch is what each importer's fuzz target checks: a clean EINVALID
// or a batch that passes indikator.Batch.Check.
func fuzzBatch(t *testing.T, b *indikator.Batch, err error) {
	t.Helper()
	if err != nil {
		if b != nil || trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
			t.Fatalf("err = %v with batch %v, want an EINVALID naming the file and no batch", err, b)
		}
		return
	}
	if err := b.Check(); err != nil {
		t.Fatalf("accepted a batch that fails its check: %v", err)
	}
}

func FuzzParseKoladaJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := reportio.ParseKoladaJSON(data, retrieved, nil)
		fuzzBatch(t, b, err)
	})
}

func FuzzParseBraCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := reportio.ParseBraCSV(data, retrieved)
		fuzzBatch(t, b, err)
	})
}

func FuzzParsePoliceAreasCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := reportio.ParsePoliceAreasCSV(data, retrieved)
		fuzzBatch(t, b, err)
	})
}

func FuzzParsePopulationCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := reportio.ParsePopulationCSV(data, retrieved)
		fuzzBatch(t, b, err)
	})
}

func FuzzParseKoladaKPIs(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		kpis, err := reportio.ParseKoladaKPIs(data)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want an EINVALID naming the file", err)
			}
			return
		}
		for id, k := range kpis {
			if id != k.ID || k.Title == "" || len(k.Title) > indikator.MaxNameLen {
				t.Fatalf("KPI %q = %+v", id, k)
			}
		}
	})
}
