package trygg_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func TestReportInputValidate(t *testing.T) {
	now := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	valid := func() trygg.ReportInput {
		return trygg.ReportInput{
			OccurredAt:  now.Add(-2 * time.Hour),
			AreaCode:    "alidhem",
			PlaceType:   "centrum",
			Category:    "skadegorelse",
			Severity:    2,
			Description: "Krossad ruta i busskuren vid torget.",
		}
	}
	at := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name    string
		edit    func(*trygg.ReportInput)
		fields  []string // the fields named in the error, in order; nil: valid
		message string   // part of the first field's message
	}{
		{"valid", func(*trygg.ReportInput) {}, nil, ""},
		{"valid with end and location", func(in *trygg.ReportInput) {
			in.OccurredEnd = at(now.Add(-time.Hour))
			in.Location = &trygg.Point{Lat: 63.82, Lon: 20.30}
		}, nil, ""},
		{"missing time", func(in *trygg.ReportInput) { in.OccurredAt = time.Time{} }, []string{"occurred_at"}, "Ange när det hände"},
		{"time in the future", func(in *trygg.ReportInput) { in.OccurredAt = now.Add(time.Hour) }, []string{"occurred_at"}, "framtiden"},
		{"a few minutes ahead is clock skew", func(in *trygg.ReportInput) { in.OccurredAt = now.Add(4 * time.Minute) }, nil, ""},
		{"time before 2000", func(in *trygg.ReportInput) { in.OccurredAt = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, []string{"occurred_at"}, "orimligt tidig"},
		{"end before start", func(in *trygg.ReportInput) { in.OccurredEnd = at(in.OccurredAt.Add(-time.Minute)) }, []string{"occurred_end"}, "efter starttiden"},
		{"end more than 31 days later", func(in *trygg.ReportInput) {
			in.OccurredAt = now.Add(-40 * 24 * time.Hour)
			in.OccurredEnd = at(now.Add(-time.Hour))
		}, []string{"occurred_end"}, "31 dagar"},
		{"end in the future", func(in *trygg.ReportInput) { in.OccurredEnd = at(now.Add(time.Hour)) }, []string{"occurred_end"}, "framtiden"},
		{"blank area", func(in *trygg.ReportInput) { in.AreaCode = "  " }, []string{"area"}, "Välj ett område"},
		{"blank category", func(in *trygg.ReportInput) { in.Category = "" }, []string{"category"}, "Välj en kategori"},
		{"severity 0", func(in *trygg.ReportInput) { in.Severity = 0 }, []string{"severity"}, "1, 2 eller 3"},
		{"severity 4", func(in *trygg.ReportInput) { in.Severity = 4 }, []string{"severity"}, "1, 2 eller 3"},
		{"unknown place type", func(in *trygg.ReportInput) { in.PlaceType = "rymden" }, []string{"place_type"}, "typ av plats"},
		{"latitude out of range", func(in *trygg.ReportInput) { in.Location = &trygg.Point{Lat: 91, Lon: 20} }, []string{"location"}, "latitud"},
		{"longitude NaN", func(in *trygg.ReportInput) { in.Location = &trygg.Point{Lat: 63, Lon: math.NaN()} }, []string{"location"}, "ogiltig"},
		{"empty description", func(in *trygg.ReportInput) { in.Description = " \n " }, []string{"description"}, "Beskriv vad som hände"},
		{"description too long", func(in *trygg.ReportInput) {
			in.Description = strings.Repeat("å", trygg.MaxDescriptionLength+1)
		}, []string{"description"}, "högst 2000 tecken"},
		{"description at the limit", func(in *trygg.ReportInput) {
			in.Description = strings.Repeat("å", trygg.MaxDescriptionLength)
		}, nil, ""},
		{"description not UTF-8", func(in *trygg.ReportInput) { in.Description = "trasig \xff text" }, []string{"description"}, "ogiltiga tecken"},
		{"personnummer in description", func(in *trygg.ReportInput) {
			in.Description = "Pojken med personnummer 811218-9876 kastade sten."
		}, []string{"description"}, "ett personnummer"},
		{"samordningsnummer in description", func(in *trygg.ReportInput) {
			in.Description = "Nummer 701063-2391 hittades."
		}, []string{"description"}, "ett samordningsnummer"},
		{"phone number in description", func(in *trygg.ReportInput) {
			in.Description = "Ring mamman på 070-123 45 67."
		}, []string{"description"}, "ett telefonnummer"},
		{"e-mail in description", func(in *trygg.ReportInput) {
			in.Description = "Kontakta kalle@example.se"
		}, []string{"description"}, "en e-postadress"},
		{"order number failing Luhn is allowed", func(in *trygg.ReportInput) {
			in.Description = "Skadeanmälan 8112189875 skickad, 10-15 ungdomar kl 22:30."
		}, nil, ""},
		{"every field wrong", func(in *trygg.ReportInput) {
			*in = trygg.ReportInput{OccurredEnd: at(now.Add(time.Hour)), Location: &trygg.Point{Lat: 100}}
		}, []string{"occurred_at", "occurred_end", "area", "category", "severity", "place_type", "location", "description"}, "Ange när det hände"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			err := in.Validate(now)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if code := trygg.ErrorCode(err); code != trygg.EINVALID {
				t.Fatalf("Validate() code = %q (%v), want %q", code, err, trygg.EINVALID)
			}
			fields := trygg.ErrorFields(err)
			var names []string
			for _, f := range fields {
				names = append(names, f.Field)
			}
			if !slices.Equal(names, tt.fields) {
				t.Fatalf("fields = %v, want %v", names, tt.fields)
			}
			if !strings.Contains(fields[0].Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", fields[0].Message, tt.message)
			}
			if !strings.HasPrefix(trygg.ErrorMessage(err), "Kontrollera uppgifterna") {
				t.Errorf("ErrorMessage = %q, want the Swedish summary", trygg.ErrorMessage(err))
			}
		})
	}
}

func TestReportInputValidateNormalises(t *testing.T) {
	now := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
	in := trygg.ReportInput{
		OccurredAt:  now.Add(-time.Hour),
		AreaCode:    " haga ",
		PlaceType:   "park\t",
		Category:    " klotter",
		Severity:    1,
		Description: "  Nytt klotter på lekplatsen.\n",
		Location:    &trygg.Point{Lat: 63.825912, Lon: 20.263121},
	}
	if err := in.Validate(now); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if in.AreaCode != "haga" || in.PlaceType != "park" || in.Category != "klotter" || in.Description != "Nytt klotter på lekplatsen." {
		t.Errorf("fields not trimmed: %+v", in)
	}
	if *in.Location != trygg.RoundPoint(trygg.Point{Lat: 63.825912, Lon: 20.263121}) {
		t.Errorf("location %v not rounded", *in.Location)
	}
}

// TestRoundPoint checks that stored points lie on a grid of about 50 m:
// rounding moves a point at most half a cell in each direction, and two
// points in the same cell round to the same point.
func TestRoundPoint(t *testing.T) {
	const metresPerDegreeLat = 111_320.0
	tests := []struct {
		name string
		p    trygg.Point
	}{
		{"Umeå centrum", trygg.Point{Lat: 63.825847, Lon: 20.263035}},
		{"Ålidhem", trygg.Point{Lat: 63.8142, Lon: 20.3161}},
		{"equator", trygg.Point{Lat: 0.0001, Lon: 0.0002}},
		{"southern hemisphere", trygg.Point{Lat: -33.8688, Lon: 151.2093}},
		{"near the pole", trygg.Point{Lat: 89.9, Lon: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := trygg.RoundPoint(tt.p)
			dLat := math.Abs(r.Lat-tt.p.Lat) * metresPerDegreeLat
			dLon := math.Abs(r.Lon-tt.p.Lon) * metresPerDegreeLat * math.Cos(tt.p.Lat*math.Pi/180)
			if dLat > 26 || dLon > 26 {
				t.Errorf("RoundPoint(%v) = %v moves %.1f m north-south and %.1f m east-west, want ≤ 26 m", tt.p, r, dLat, dLon)
			}
			if again := trygg.RoundPoint(r); math.Abs(again.Lat-r.Lat) > 1e-6 || math.Abs(again.Lon-r.Lon) > 1e-6 {
				t.Errorf("RoundPoint is not stable: %v then %v", r, again)
			}
			near := trygg.Point{Lat: r.Lat + 0.00001, Lon: r.Lon - 0.00001}
			if got := trygg.RoundPoint(near); got != r {
				t.Errorf("a point 1 m away rounds to %v, want %v", got, r)
			}
		})
	}
	a := trygg.RoundPoint(trygg.Point{Lat: 63.8, Lon: 20.3})
	b := trygg.RoundPoint(trygg.Point{Lat: 63.8 + 0.0005, Lon: 20.3})
	if d := (b.Lat - a.Lat) * metresPerDegreeLat; d < 40 || d > 60 {
		t.Errorf("neighbouring cells are %.1f m apart, want about 50 m", d)
	}
}

func TestReportInputCheckCodes(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		area, active, archived        bool
		kept                          string
		wantFields                    []string
		wantCategoryMessageMentioning string
	}{
		{"all found", true, true, false, "", nil, ""},
		{"unknown area", false, true, false, "", []string{"area"}, ""},
		{"unknown category", true, false, false, "", []string{"category"}, "finns inte"},
		{"archived category, new report", true, false, true, "", []string{"category"}, "används inte längre"},
		{"archived category kept by an edit", true, false, true, "klotter", nil, ""},
		{"archived category, edit from another", true, false, true, "vald", []string{"category"}, "används inte längre"},
		{"nothing found", false, false, false, "", []string{"area", "category"}, "finns inte"},
	} {
		in := trygg.ReportInput{AreaCode: "alidhem", Category: "klotter"}
		fs := trygg.ErrorFields(in.CheckCodes(tc.area, tc.active, tc.archived, tc.kept))
		var fields []string
		for _, f := range fs {
			fields = append(fields, f.Field)
			if f.Field == "category" && !strings.Contains(f.Message, tc.wantCategoryMessageMentioning) {
				t.Errorf("%s: category message %q", tc.name, f.Message)
			}
		}
		if !slices.Equal(fields, tc.wantFields) {
			t.Errorf("%s: errors on %v, want %v", tc.name, fields, tc.wantFields)
		}
	}
}
