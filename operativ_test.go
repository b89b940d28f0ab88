package trygg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
)

func TestParseAdCSV(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []trygg.AdWeek // nil: an error is expected
		errs []string       // substrings of the field errors, in order
	}{
		{"comma, weeks and dates", "vecka,annonser,sugardejting\n2024-W02,35,1\n2024-01-03,40,2\n",
			[]trygg.AdWeek{{Week: mustDay(t, "2024-01-01"), Ads: 40, SugarMinor: 2}, {Week: mustDay(t, "2024-01-08"), Ads: 35, SugarMinor: 1}}, nil},
		{"semicolon, bom, english, no sugar column", "\ufeffads;week\r\n12;2025W10\r\n\r\n",
			[]trygg.AdWeek{{Week: mustDay(t, "2025-03-03"), Ads: 12}}, nil},
		{"empty", "", nil, []string{"Filen är tom"}},
		{"unknown column", "vecka,annonser,pris\n", nil, []string{`Okänd kolumn "pris"`}},
		{"missing column", "vecka\n2024-W01\n", nil, []string{"Kolumnen annonser saknas"}},
		{"twice", "vecka,annonser,week\n", nil, []string{"Kolumnen vecka finns två gånger"}},
		{"bad rows", "vecka;annonser;sugardejting\n2021-W53;tio;-1\n2024-W01;3\n2024-W02;1;0\n2024-01-10;2;0\n", nil, []string{
			"rad 2, kolumn vecka: år 2021 har ingen vecka 53",
			`rad 2, kolumn annonser: "tio" är inget antal`,
			`rad 2, kolumn sugardejting: "-1" är inget antal`,
			"rad 3, Raden har 2 fält men rubrikraden 3",
			"rad 5, kolumn vecka: Veckan finns redan på rad 4",
		}},
		{"bad quote", "vecka,annonser\n\"2024-W01,3\n", nil, []string{"rad 2, Raden har 1 fält"}},
		{"no rows", "vecka,annonser\n", nil, []string{"inga veckor"}},
		{"future weeks", "vecka,annonser\n2026-W47,3\n2026-11-23,4\n", nil, []string{
			"rad 3, kolumn vecka: Veckan 2026-W48 har inte börjat än. Ange en vecka som har börjat, senast 2026-W47.",
		}},
	}
	today := mustDay(t, "2026-11-20")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := trygg.ParseAdCSV([]byte(tt.data), today)
			if tt.want != nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Fatalf("got %+v, want %+v", got, tt.want)
					}
				}
				return
			}
			fields := trygg.ErrorFields(err)
			if trygg.ErrorCode(err) != trygg.EINVALID || len(fields) != len(tt.errs) {
				t.Fatalf("err = %v, want %d field errors", err, len(tt.errs))
			}
			for i, want := range tt.errs {
				if fields[i].Field != "file" || !strings.Contains(fields[i].Message, want) {
					t.Errorf("error %d = %q, want %q", i, fields[i].Message, want)
				}
			}
		})
	}
}

func FuzzParseAdCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		today := trygg.DateDay(2026, 11, 20)
		weeks, err := trygg.ParseAdCSV(data, today)
		if err != nil {
			if trygg.ErrorCode(err) != trygg.EINVALID || trygg.ErrorMessage(err) == "" || len(trygg.ErrorFields(err)) == 0 {
				t.Fatalf("err = %v, want an EINVALID naming the file", err)
			}
			return
		}
		if len(weeks) == 0 || len(weeks) > trygg.MaxIndicatorRows {
			t.Fatalf("%d weeks", len(weeks))
		}
		for i, w := range weeks {
			if w.Week != w.Week.Monday() || w.Week > today || w.Ads < 0 || w.SugarMinor < 0 || w.Ads > trygg.MaxAdCount || w.SugarMinor > trygg.MaxAdCount {
				t.Fatalf("week %+v", w)
			}
			if i > 0 && w.Week <= weeks[i-1].Week {
				t.Fatalf("weeks not strictly increasing: %v", weeks)
			}
		}
	})
}

func TestOperationInputValidate(t *testing.T) {
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	in := trygg.OperationInput{
		At: now.Add(-time.Hour), AreaCode: "alidhem", PlaceType: "gata", Type: "kombinerad",
		Participants: []trygg.Participant{{OrgCode: "polisen", Staff: 2}}, RoutineID: 1,
		Checklist: trygg.Checklist{InterpreterAvailable: true},
		Contacts:  []trygg.ContactInput{{Role: "saljare", AgeBand: "under18"}},
	}
	if err := in.Validate(now); err != nil {
		t.Fatal(err)
	}
	if !in.Contacts[0].SuspectedMinor || !in.Checklist.SuspectedMinor || in.Checklist.InterpreterAvailable {
		t.Fatalf("not normalised: %+v", in)
	}
	in.Participants = append(in.Participants, trygg.Participant{OrgCode: "polisen", Staff: 1})
	in.Contacts[0].Language = "ring mig på anna@example.se"
	fields := trygg.ErrorFields(in.Validate(now))
	if len(fields) != 2 || fields[0].Field != "participants" || fields[1].Field != "contacts[0].language" {
		t.Fatalf("fields %+v", fields)
	}
}

func TestParseWeek(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for an error
	}{
		{"2024-W05", "2024-01-29"}, {"2024w05", "2024-01-29"}, {" 2020-W53 ", "2020-12-28"}, {"2024-02-01", "2024-01-29"},
		{"2021-W53", ""}, {"2024-W00", ""}, {"1999-W10", ""}, {"vecka 5", ""}, {"2024-02-30", ""}, {"", ""},
	} {
		got, err := trygg.ParseWeek(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ParseWeek(%q) = %s, want an error", tc.in, got)
		case tc.want != "" && (err != nil || got.String() != tc.want):
			t.Errorf("ParseWeek(%q) = %s, %v, want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestAdWeekValidate(t *testing.T) {
	today := mustDay(t, "2026-11-20") // a Friday in week 47
	tests := []struct {
		name   string
		week   trygg.AdWeek
		want   trygg.Day // the week's Monday after Validate
		fields []string
	}{
		{"this week, by its Friday", trygg.AdWeek{Week: today, Ads: 3}, mustDay(t, "2026-11-16"), nil},
		{"next week", trygg.AdWeek{Week: mustDay(t, "2026-11-23"), Ads: 3}, mustDay(t, "2026-11-23"), []string{"w.week"}},
		{"no week, bad counts", trygg.AdWeek{Ads: -1, SugarMinor: trygg.MaxAdCount + 1}, 0, []string{"w.week", "w.ads", "w.sugar_minor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v trygg.Validation
			tt.week.Validate(&v, "w.", today)
			var got []string
			for _, f := range v.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") || tt.week.Week != tt.want {
				t.Fatalf("fields %v, week %s; want %v, %s", v.Fields, tt.week.Week, tt.fields, tt.want)
			}
			if len(got) > 0 && got[0] == "w.week" && tt.want != 0 && !strings.Contains(v.Fields[0].Message, "Veckan 2026-W48 har inte börjat än") {
				t.Fatalf("message %q", v.Fields[0].Message)
			}
		})
	}
}

func TestKastContactInput(t *testing.T) {
	today := mustDay(t, "2026-11-20")
	valid := func() trygg.KastContactInput {
		return trygg.KastContactInput{Day: today, Channel: "chatt", Code: " Norrsken-12 ", Topic: "sexkop", Outcome: "nytt_samtal"}
	}
	in := valid()
	if err := in.Validate(today); err != nil || in.Code != "norrsken-12" {
		t.Fatalf("valid: %v, code %q", err, in.Code)
	}
	for _, tc := range []struct {
		field string
		edit  func(*trygg.KastContactInput)
	}{
		{"day", func(in *trygg.KastContactInput) { in.Day = today + 1 }},
		{"channel", func(in *trygg.KastContactInput) { in.Channel = "brev" }},
		{"code", func(in *trygg.KastContactInput) { in.Code = "ab" }},
		{"code", func(in *trygg.KastContactInput) { in.Code = "0701234567" }},
		{"topic", func(in *trygg.KastContactInput) { in.Topic = "" }},
		{"outcome", func(in *trygg.KastContactInput) { in.Outcome = "x" }},
	} {
		in := valid()
		tc.edit(&in)
		fields := trygg.ErrorFields(in.Validate(today))
		if len(fields) != 1 || fields[0].Field != tc.field {
			t.Errorf("%s: fields %+v", tc.field, fields)
		}
	}
	if trygg.KastCodeHash("norrsken-12") == trygg.KastCodeHash("norrsken-13") || trygg.KastCodeHash("") != "" {
		t.Error("code hashes")
	}
}
