package reportio_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/reportio"
)

var (
	testNow   = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	testKnown = reportio.Known{
		Areas:      map[string]bool{"alidhem": true, "haga": true},
		Categories: map[string]bool{"klotter": true, "skadegorelse": true},
	}
)

const header = "occurred_at,area,category,severity,place_type,description\n"

func TestReadReportsValid(t *testing.T) {
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		file  string
		check func(t *testing.T, rows []trygg.ImportRow)
	}{
		{"comma, local time", header + "2024-05-17 22:30,alidhem,klotter,2,centrum,Klotter på väggen\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				in := rows[0].Input
				if want := time.Date(2024, 5, 17, 22, 30, 0, 0, stockholm); !in.OccurredAt.Equal(want) {
					t.Errorf("OccurredAt = %v, want %v", in.OccurredAt, want)
				}
				if in.AreaCode != "alidhem" || in.Category != "klotter" || in.Severity != 2 || in.PlaceType != "centrum" || in.Description != "Klotter på väggen" {
					t.Errorf("Input = %+v", in)
				}
				if rows[0].Line != 2 || in.Location != nil || in.OccurredEnd != nil || !rows[0].ReportedAt.IsZero() {
					t.Errorf("row = %+v", rows[0])
				}
			}},
		{"semicolon, BOM, CRLF, columns in another order",
			"\uFEFFdescription;severity;area;category;place_type;occurred_at\r\n\"Glas; krossat\";1;haga;skadegorelse;park;2024-05-17T22:30:00Z\r\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				in := rows[0].Input
				if in.Description != "Glas; krossat" || in.AreaCode != "haga" || !in.OccurredAt.Equal(time.Date(2024, 5, 17, 22, 30, 0, 0, time.UTC)) {
					t.Errorf("Input = %+v", in)
				}
			}},
		{"quoted field over two lines keeps line numbers", header +
			"2024-05-17 22:30,alidhem,klotter,2,centrum,\"Rad ett\nrad två med \"\"citat\"\"\"\n" +
			"2024-05-18 01:00:05,haga,klotter,3,gata,Nästa\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				if rows[0].Input.Description != "Rad ett\nrad två med \"citat\"" || rows[0].Line != 2 || rows[1].Line != 4 {
					t.Errorf("rows = %+v", rows)
				}
				if want := time.Date(2024, 5, 18, 1, 0, 5, 0, stockholm); !rows[1].Input.OccurredAt.Equal(want) {
					t.Errorf("OccurredAt = %v, want %v", rows[1].Input.OccurredAt, want)
				}
			}},
		{"optional columns, position rounded",
			"occurred_at,occurred_end,area,category,severity,place_type,description,lat,lon,reported_at,id,organisation,version\n" +
				"2024-05-17 22:30,2024-05-17 23:15,alidhem,klotter,2,centrum,Text,63.814211,20.316104,2024-05-18 08:00,17,polisen,3\n" +
				"2024-05-17 22:30,,alidhem,klotter,2,centrum,Text,,,,,,\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				in := rows[0].Input
				if in.OccurredEnd == nil || !in.OccurredEnd.Equal(time.Date(2024, 5, 17, 23, 15, 0, 0, stockholm)) {
					t.Errorf("OccurredEnd = %v", in.OccurredEnd)
				}
				if want := trygg.RoundPoint(trygg.Point{Lat: 63.814211, Lon: 20.316104}); in.Location == nil || *in.Location != want {
					t.Errorf("Location = %v, want %v", in.Location, want)
				}
				if !rows[0].ReportedAt.Equal(time.Date(2024, 5, 18, 8, 0, 0, 0, stockholm)) {
					t.Errorf("ReportedAt = %v", rows[0].ReportedAt)
				}
				if rows[1].Input.Location != nil || rows[1].Input.OccurredEnd != nil {
					t.Errorf("empty optional cells: %+v", rows[1].Input)
				}
			}},
		{"header names in any case with spaces", " Occurred_At ,AREA,Category,severity,place_type,description\n2024-05-17 22:30,alidhem,klotter,2,centrum,Text\n",
			func(t *testing.T, rows []trygg.ImportRow) {}},
		{"formula guard removed", header + "2024-05-17 22:30,alidhem,klotter,2,centrum,'=SUMMA(A1)\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				if d := rows[0].Input.Description; d != "=SUMMA(A1)" {
					t.Errorf("Description = %q", d)
				}
			}},
		{"quote inside an unquoted cell", header + `2024-05-17 22:30,alidhem,klotter,2,centrum,Han sa "hej"` + "\n",
			func(t *testing.T, rows []trygg.ImportRow) {
				if d := rows[0].Input.Description; d != `Han sa "hej"` {
					t.Errorf("Description = %q", d)
				}
			}},
		{"empty lines skipped", header + "\n2024-05-17 22:30,alidhem,klotter,2,centrum,Text\n\n",
			func(t *testing.T, rows []trygg.ImportRow) {}},
		{"header only", header, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := reportio.ReadReports(strings.NewReader(tt.file), testKnown, testNow, nil)
			if err != nil {
				t.Fatalf("ReadReports: %v", err)
			}
			if len(im.Bad) > 0 {
				t.Fatalf("bad rows: %v", im.Errors())
			}
			if tt.check == nil {
				if len(im.Rows) != 0 {
					t.Fatalf("rows = %+v, want none", im.Rows)
				}
				return
			}
			if len(im.Rows) == 0 {
				t.Fatal("no rows")
			}
			tt.check(t, im.Rows)
		})
	}
}

func TestReadReportsBadRows(t *testing.T) {
	tests := []struct {
		name string
		row  string // appended to header
		want []reportio.RowError
	}{
		{"bad time", "17/5 2024,alidhem,klotter,2,centrum,Text",
			[]reportio.RowError{{2, "occurred_at", `"17/5 2024" är ingen tid; skriv t.ex. 2024-05-17 22:30 eller 2024-05-17T22:30:00+02:00.`}}},
		{"missing time", ",alidhem,klotter,2,centrum,Text",
			[]reportio.RowError{{2, "occurred_at", "Ange när det hände."}}},
		{"future time", "2025-03-15 12:00,alidhem,klotter,2,centrum,Text",
			[]reportio.RowError{{2, "occurred_at", "Tiden när det hände kan inte ligga i framtiden."}}},
		{"severity not a number", "2024-05-17 22:30,alidhem,klotter,hög,centrum,Text",
			[]reportio.RowError{{2, "severity", `"hög" är inget heltal; skriv 1, 2 eller 3.`}}},
		{"severity out of range", "2024-05-17 22:30,alidhem,klotter,4,centrum,Text",
			[]reportio.RowError{{2, "severity", "Allvarlighetsgraden måste vara 1, 2 eller 3."}}},
		{"unknown codes", "2024-05-17 22:30,tegs,graffiti,2,rymden,Text",
			[]reportio.RowError{
				{2, "place_type", "Välj en typ av plats."},
				{2, "area", `Området "tegs" finns inte.`},
				{2, "category", `Kategorin "graffiti" finns inte eller är arkiverad.`},
			}},
		{"personnummer in description", "2024-05-17 22:30,alidhem,klotter,2,centrum,Pojken 811218-9876 sprang",
			[]reportio.RowError{{2, "description", "Beskrivningen verkar innehålla ett personnummer. Rapporter får inte innehålla personuppgifter; ta bort uppgiften och beskriv platsen och situationen i stället."}}},
		{"empty row", ",,,,,",
			[]reportio.RowError{
				{2, "occurred_at", "Ange när det hände."},
				{2, "area", "Välj ett område."},
				{2, "category", "Välj en kategori."},
				{2, "severity", "Allvarlighetsgraden måste vara 1, 2 eller 3."},
				{2, "place_type", "Välj en typ av plats."},
				{2, "description", "Beskriv vad som hände."},
			}},
		{"too few fields", "2024-05-17 22:30,alidhem,klotter",
			[]reportio.RowError{{2, "", "Raden har 3 fält men rubrikraden har 6."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := reportio.ReadReports(strings.NewReader(header+tt.row+"\n"), testKnown, testNow, nil)
			if err != nil {
				t.Fatalf("ReadReports: %v", err)
			}
			if len(im.Rows) != 0 {
				t.Errorf("valid rows = %+v, want none", im.Rows)
			}
			if got := im.Errors(); !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadReportsLocationErrors(t *testing.T) {
	const h = "occurred_at,area,category,severity,place_type,description,lat,lon\n"
	tests := []struct {
		name, cells string
		columns     []string
	}{
		{"lat without lon", "63.8,", []string{"lon"}},
		{"lon without lat", ",20.3", []string{"lat"}},
		{"decimal comma", `"63,8","20,3"`, []string{"lat", "lon"}},
		{"latitude out of range", "91,20.3", []string{"lat"}},
		{"longitude out of range", "63.8,-180.5", []string{"lon"}},
		{"not numbers", "NaN,Inf", []string{"lat", "lon"}},
		{"exponent", "6.38e1,20", []string{"lat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := reportio.ReadReports(strings.NewReader(h+"2024-05-17 22:30,alidhem,klotter,2,centrum,Text,"+tt.cells+"\n"), testKnown, testNow, nil)
			if err != nil {
				t.Fatal(err)
			}
			var cols []string
			for _, e := range im.Errors() {
				cols = append(cols, e.Column)
			}
			if !slices.Equal(cols, tt.columns) {
				t.Errorf("columns with errors = %v, want %v (%v)", cols, tt.columns, im.Errors())
			}
		})
	}
}

func TestReadReportsCollectsEveryRow(t *testing.T) {
	file := header +
		"2024-05-17 22:30,alidhem,klotter,2,centrum,Bra rad\n" +
		"2024-05-17 22:30,alidhem,klotter,9,centrum,Fel allvarlighetsgrad\n" +
		"2024-05-17 22:30,alidhem,klotter,2,centrum,Ring 070-123 45 67\n" +
		"2024-05-17 22:30,haga,skadegorelse,1,park,Bra rad igen\n"
	im, err := reportio.ReadReports(strings.NewReader(file), testKnown, testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Rows) != 2 || im.Rows[0].Line != 2 || im.Rows[1].Line != 5 {
		t.Errorf("rows = %+v, want lines 2 and 5", im.Rows)
	}
	var lines []int
	for _, b := range im.Bad {
		lines = append(lines, b.Line)
	}
	if !slices.Equal(lines, []int{3, 4}) {
		t.Errorf("bad lines = %v, want [3 4]", lines)
	}
	if got := im.Bad[1].Errors[0].Error(); got != "rad 4, kolumn description: Beskrivningen verkar innehålla ett telefonnummer. Rapporter får inte innehålla personuppgifter; ta bort uppgiften och beskriv platsen och situationen i stället." {
		t.Errorf("Error() = %q", got)
	}
}

func TestReadReportsBadFile(t *testing.T) {
	tests := []struct {
		name, file, message string
	}{
		{"empty", "", "Filen är tom; den ska börja med en rubrikrad med kolumnnamnen."},
		{"only BOM and blank lines", "\uFEFF\n\n", "Filen är tom; den ska börja med en rubrikrad med kolumnnamnen."},
		{"no header", "2024-05-17 22:30,alidhem,klotter,2,centrum,Text\n", `Rubrikraden har en okänd kolumn "2024-05-17 22:30".`},
		{"unknown column", "occurred_at,area,category,severity,place_type,description,notes\n", `Rubrikraden har en okänd kolumn "notes".`},
		{"missing column", "occurred_at,area,severity,place_type,description\n", "Rubrikraden saknar den obligatoriska kolumnen category."},
		{"missing columns", "occurred_at;area;description\n", "Rubrikraden saknar de obligatoriska kolumnerna category, severity, place_type."},
		{"duplicate column", "occurred_at,area,area,category,severity,place_type,description\n", "Rubrikraden har kolumnen area två gånger."},
		{"lat without lon", "occurred_at,area,category,severity,place_type,description,lat\n", "Rubrikraden har bara en av kolumnerna lat och lon; ange båda eller ingen."},
		{"unterminated quote in header", "occurred_at,\"area,category,severity,place_type,description\n", `Rubrikraden har en okänd kolumn "area,category,severity,place_type,descri…".`},
		{"binary", "\x00\x01\x02PK\x03\x04", `Rubrikraden har en okänd kolumn "\x00\x01\x02pk\x03\x04".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reportio.ReadReports(strings.NewReader(tt.file), testKnown, testNow, nil)
			if trygg.ErrorCode(err) != trygg.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if msg := trygg.ErrorMessage(err); !strings.HasPrefix(msg, tt.message) {
				t.Errorf("message = %q, want it to start with %q", msg, tt.message)
			}
		})
	}
}

func TestReadReportsProgress(t *testing.T) {
	file := header + strings.Repeat("2024-05-17 22:30,alidhem,klotter,2,centrum,Text\n", 5000)
	var last int64
	calls := 0
	_, err := reportio.ReadReports(strings.NewReader(file), testKnown, testNow, func(n int64) {
		if n < last {
			t.Errorf("progress went back from %d to %d", last, n)
		}
		last = n
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(file)) || calls < 2 {
		t.Errorf("progress ended at %d after %d calls, want %d after several", last, calls, len(file))
	}
}

func TestWriteRejects(t *testing.T) {
	file := "occurred_at;area;category;severity;place_type;description\r\n" +
		"2024-05-17 22:30;alidhem;klotter;2;centrum;Bra\r\n" +
		"2024-05-17 22:30;alidhem;klotter;5;centrum;\"=HYPERLINK(\"\"x\"\")\"\r\n" +
		"2024-05-17 22:30;alidhem\r\n"
	im, err := reportio.ReadReports(strings.NewReader(file), testKnown, testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := im.WriteRejects(&out); err != nil {
		t.Fatal(err)
	}
	want := "occurred_at;area;category;severity;place_type;description;line;error\r\n" +
		"2024-05-17 22:30;alidhem;klotter;5;centrum;\"'=HYPERLINK(\"\"x\"\")\";3;severity: Allvarlighetsgraden måste vara 1, 2 eller 3.\r\n" +
		"2024-05-17 22:30;alidhem;;;;;4;Raden har 2 fält men rubrikraden har 6.\r\n"
	if out.String() != want {
		t.Errorf("rejects:\n%s\nwant:\n%s", out.String(), want)
	}

	// The rejects file, once corrected, imports again: line and error are ignored.
	fixed := strings.Replace(out.String(), ";5;", ";3;", 1)
	again, err := reportio.ReadReports(strings.NewReader(fixed), testKnown, testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Rows) != 1 || again.Rows[0].Input.Description != `=HYPERLINK("x")` {
		t.Errorf("re-import rows = %+v, bad = %v", again.Rows, again.Errors())
	}
}

func TestCSVExportRoundTrip(t *testing.T) {
	end := time.Date(2024, 5, 17, 21, 0, 0, 0, time.UTC)
	reports := []*trygg.Report{
		{ID: 1, OccurredAt: time.Date(2024, 5, 17, 20, 30, 0, 0, time.UTC), OccurredEnd: &end,
			ReportedAt: time.Date(2024, 5, 18, 6, 0, 0, 0, time.UTC), AreaCode: "alidhem", Category: "klotter",
			Severity: 2, PlaceType: "centrum", Description: "-Klotter, \"tags\" och\nglas", OrgCode: "polisen", Version: 3,
			Location: &trygg.Point{Lat: -33.8688, Lon: 20.3161}},
		{ID: 2, OccurredAt: time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC), ReportedAt: time.Date(2024, 1, 2, 3, 5, 0, 0, time.UTC),
			AreaCode: "haga", Category: "skadegorelse", Severity: 1, PlaceType: "park", Description: "@alla =1+1", OrgCode: "bostaden", Version: 1},
	}
	var out bytes.Buffer
	w := reportio.WriteCSV(&out)
	for _, r := range reports {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], reportio.ExportColumns) {
		t.Errorf("header = %v", records[0])
	}
	if got := records[1][1]; got != "2024-05-17T22:30:00+02:00" {
		t.Errorf("occurred_at = %q, want Swedish time", got)
	}
	if got := records[1][8]; got != "'-Klotter, \"tags\" och\nglas" {
		t.Errorf("description = %q, want guarded", got)
	}
	if records[1][9] != "-33.8688" || records[1][10] != "20.3161" || records[2][9] != "" {
		t.Errorf("lat/lon = %v / %v", records[1][9:11], records[2][9:11])
	}

	im, err := reportio.ReadReports(&out, reportio.Known{}, testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Bad) != 0 || len(im.Rows) != 2 {
		t.Fatalf("re-import: %d rows, errors %v", len(im.Rows), im.Errors())
	}
	for i, r := range reports {
		in := im.Rows[i].Input
		if !in.OccurredAt.Equal(r.OccurredAt) || in.Description != r.Description || in.AreaCode != r.AreaCode ||
			in.Category != r.Category || in.Severity != r.Severity || in.PlaceType != r.PlaceType ||
			!im.Rows[i].ReportedAt.Equal(r.ReportedAt) || (in.OccurredEnd == nil) != (r.OccurredEnd == nil) ||
			(in.Location == nil) != (r.Location == nil) {
			t.Errorf("row %d = %+v, want the fields of %+v", i, in, r)
		}
		if r.Location != nil && *in.Location != trygg.RoundPoint(*r.Location) {
			t.Errorf("row %d location = %v, want %v", i, *in.Location, *r.Location)
		}
	}
}

func TestCSVExportEmpty(t *testing.T) {
	var out bytes.Buffer
	if err := reportio.WriteCSV(&out).Close(); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(reportio.ExportColumns, ",") + "\r\n"; out.String() != want {
		t.Errorf("empty export = %q, want %q", out.String(), want)
	}
}

func benchmarkFile(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("occurred_at;area;category;severity;place_type;description;lat;lon\n")
	places := []string{"skola", "centrum", "park", "gata"}
	for i := range rows {
		fmt.Fprintf(&b, "2024-%02d-%02d %02d:%02d;alidhem;klotter;%d;%s;Ungdomar samlades vid entrén och kastade sten mot fönster, rad %d;63.81%d;20.31%d\n",
			i%12+1, i%28+1, i%24, i%60, i%3+1, places[i%4], i, i%100, i%97)
	}
	return b.Bytes()
}

func BenchmarkReadReports(b *testing.B) {
	const rows = 10_000
	file := benchmarkFile(rows)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		im, err := reportio.ReadReports(bytes.NewReader(file), testKnown, testNow, nil)
		if err != nil || len(im.Rows) != rows {
			b.Fatalf("err %v, %d rows, errors %v", err, len(im.Rows), im.Errors()[:1])
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func FuzzReadReports(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := reportio.ReadReports(bytes.NewReader(data), testKnown, testNow, nil)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) == "" {
				t.Fatalf("err = %v, want an EINVALID with a message", err)
			}
			return
		}
		for _, row := range im.Rows {
			in := row.Input
			if err := in.Validate(testNow); err != nil {
				t.Fatalf("line %d passed but does not validate: %v", row.Line, err)
			}
			if !testKnown.Areas[in.AreaCode] || !testKnown.Categories[in.Category] {
				t.Fatalf("line %d has unknown codes: %+v", row.Line, in)
			}
		}
		for _, b := range im.Bad {
			if len(b.Errors) == 0 || b.Line < 2 {
				t.Fatalf("bad row without errors or line: %+v", b)
			}
			for _, e := range b.Errors {
				if e.Message == "" || (e.Column != "" && !slices.Contains(im.Header, e.Column)) {
					t.Fatalf("error %+v does not name a column of %v", e, im.Header)
				}
			}
		}
		if err := im.WriteRejects(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}
