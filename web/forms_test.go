package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func stockholm(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func testAreas() []*trygg.Area {
	return []*trygg.Area{
		{Code: "alidhem", Name: "Ålidhem", Geometry: square(20.30, 63.81, 20.32, 63.82)},
		{Code: "haga", Name: "Haga", Geometry: []byte(`{"type":"MultiPolygon","coordinates":[[[[20.26,63.82],[20.28,63.82],[20.28,63.83],[20.26,63.83],[20.26,63.82]],[[20.265,63.823],[20.275,63.823],[20.275,63.827],[20.265,63.827],[20.265,63.823]]]]}`)},
	}
}

func TestReportFormValidate(t *testing.T) {
	t.Parallel()
	loc := stockholm(t)
	valid := reportForm{OccurredAt: "2026-11-20T19:05", Area: "alidhem", Category: "klotter", PlaceType: "skola",
		Severity: "2", Description: "Klotter på väggen."}
	for _, tc := range []struct {
		name   string
		edit   func(*reportForm)
		fields []string // the fields that must be named; nil: valid
		area   string
	}{
		{"valid", func(*reportForm) {}, nil, "alidhem"},
		{"seconds accepted", func(f *reportForm) { f.OccurredAt = "2026-11-20T19:05:30" }, nil, "alidhem"},
		{"bad time", func(f *reportForm) { f.OccurredAt = "igår kväll" }, []string{"occurred_at"}, ""},
		{"no time", func(f *reportForm) { f.OccurredAt = "" }, []string{"occurred_at"}, ""},
		{"future", func(f *reportForm) { f.OccurredAt = "2026-11-21T19:05" }, []string{"occurred_at"}, ""},
		{"end before start", func(f *reportForm) { f.OccurredEnd = "2026-11-20T18:00" }, []string{"occurred_end"}, ""},
		{"bad severity", func(f *reportForm) { f.Severity = "hög" }, []string{"severity"}, ""},
		{"severity out of range", func(f *reportForm) { f.Severity = "7" }, []string{"severity"}, ""},
		{"personnummer", func(f *reportForm) { f.Description = "Sågs av 19811218-9876." }, []string{"description"}, ""},
		{"e-mail", func(f *reportForm) { f.Description = "Mejla a.b@example.se" }, []string{"description"}, ""},
		{"area from position", func(f *reportForm) { f.Area, f.Lat, f.Lon = "", "63.815", "20.31" }, nil, "alidhem"},
		{"position in a hole", func(f *reportForm) { f.Area, f.Lat, f.Lon = "", "63.825", "20.27" }, []string{"area"}, ""},
		{"chosen area wins", func(f *reportForm) { f.Area, f.Lat, f.Lon = "haga", "63.815", "20.31" }, nil, "haga"},
		{"half a position", func(f *reportForm) { f.Lat = "63.8" }, []string{"location"}, ""},
		{"everything missing", func(f *reportForm) { *f = reportForm{} },
			[]string{"occurred_at", "area", "category", "severity", "place_type", "description"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := valid
			tc.edit(&f)
			in, err := f.Validate(testNow, loc, testAreas())
			wantFields(t, err, tc.fields)
			if err == nil && in.AreaCode != tc.area {
				t.Errorf("area %q, want %q", in.AreaCode, tc.area)
			}
		})
	}
}

func TestReportFormTimeIsSwedish(t *testing.T) {
	t.Parallel()
	f := reportForm{OccurredAt: "2026-07-01T12:00", Area: "a", Category: "c", PlaceType: "park", Severity: "1", Description: "Nedskräpning."}
	in, err := f.Validate(testNow, stockholm(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC); !in.OccurredAt.Equal(want) {
		t.Errorf("occurred at %v, want %v (summer time)", in.OccurredAt.UTC(), want)
	}
}

// FuzzReportForm feeds the report form arbitrary bodies: it must never
// panic, must name only known fields, and what it accepts must pass the
// domain's own validation.
func FuzzReportForm(f *testing.F) {
	f.Add("occurred_at=2026-11-20T19%3A05&area=alidhem&category=klotter&place_type=skola&severity=2&description=Klotter")
	f.Add("area=&lat=63.815&lon=20.31&occurred_at=2026-11-20T19%3A05&category=vald&place_type=gata&severity=3&description=Br%C3%A5k")
	f.Add("occurred_at=2026-11-20T25%3A61&occurred_end=x&severity=-1&lat=NaN&lon=Inf&description=811218-9876")
	loc := stockholm(f)
	known := []string{"occurred_at", "occurred_end", "area", "category", "place_type", "severity", "description", "location"}
	f.Fuzz(func(t *testing.T, body string) {
		q, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form := reportForm{OccurredAt: q.Get("occurred_at"), OccurredEnd: q.Get("occurred_end"), Area: q.Get("area"),
			Category: q.Get("category"), PlaceType: q.Get("place_type"), Severity: q.Get("severity"),
			Description: q.Get("description"), Lat: q.Get("lat"), Lon: q.Get("lon")}
		in, err := form.Validate(testNow, loc, testAreas())
		if err != nil {
			wantFormError(t, err, known)
			return
		}
		if err := in.Validate(testNow); err != nil {
			t.Fatalf("accepted input fails the domain's validation: %v", err)
		}
	})
}

// FuzzAdminForms covers the number fields of the district and category
// forms: a number, or a refusal naming the field.
func FuzzAdminForms(f *testing.F) {
	f.Add("8000", "100")
	f.Add("-1", "tio")
	f.Add(" 12 ", "")
	f.Fuzz(func(t *testing.T, population, sortOrder string) {
		area := areaForm{Name: "Ålidhem", Population: population}
		if pop, err := area.Validate(); err != nil {
			if fields := trygg.ErrorFields(err); len(fields) != 1 || fields[0].Field != "population" {
				t.Fatalf("%q: %v", population, err)
			}
		} else if pop < 0 {
			t.Fatalf("%q accepted as %d", population, pop)
		}
		cat := categoryForm{Code: "klotter", Name: "Klotter", SortOrder: sortOrder}
		if _, err := cat.Validate(); err != nil {
			if fields := trygg.ErrorFields(err); len(fields) != 1 || fields[0].Field != "sort_order" {
				t.Fatalf("%q: %v", sortOrder, err)
			}
		}
	})
}
