package operativ_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/operativ"
	"github.com/trygg-est/trygg/tryggtest"
)

func TestOperationInputValidate(t *testing.T) {
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	in := operativ.OperationInput{
		At: now.Add(-time.Hour), AreaCode: "alidhem", PlaceType: "gata", Type: "kombinerad",
		Participants: []operativ.Participant{{OrgCode: "polisen", Staff: 2}}, RoutineID: 1,
		Checklist: operativ.Checklist{InterpreterAvailable: true},
		Contacts:  []operativ.ContactInput{{Role: "saljare", AgeBand: "under18"}},
	}
	if err := in.Validate(now); err != nil {
		t.Fatal(err)
	}
	if !in.Contacts[0].SuspectedMinor || !in.Checklist.SuspectedMinor || in.Checklist.InterpreterAvailable {
		t.Fatalf("not normalised: %+v", in)
	}
	in.Participants = append(in.Participants, operativ.Participant{OrgCode: "polisen", Staff: 1})
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
		got, err := operativ.ParseWeek(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ParseWeek(%q) = %s, want an error", tc.in, got)
		case tc.want != "" && (err != nil || got.String() != tc.want):
			t.Errorf("ParseWeek(%q) = %s, %v, want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestAdWeekValidate(t *testing.T) {
	today := tryggtest.Day(t, "2026-11-20") // a Friday in week 47
	tests := []struct {
		name   string
		week   operativ.AdWeek
		want   trygg.Day // the week's Monday after Validate
		fields []string
	}{
		{"this week, by its Friday", operativ.AdWeek{Week: today, Ads: 3}, tryggtest.Day(t, "2026-11-16"), nil},
		{"next week", operativ.AdWeek{Week: tryggtest.Day(t, "2026-11-23"), Ads: 3}, tryggtest.Day(t, "2026-11-23"), []string{"w.week"}},
		{"no week, bad counts", operativ.AdWeek{Ads: -1, SugarMinor: operativ.MaxAdCount + 1}, 0, []string{"w.week", "w.ads", "w.sugar_minor"}},
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
	today := tryggtest.Day(t, "2026-11-20")
	valid := func() operativ.KastContactInput {
		return operativ.KastContactInput{Day: today, Channel: "chatt", Code: " Norrsken-12 ", Topic: "sexkop", Outcome: "nytt_samtal"}
	}
	in := valid()
	if err := in.Validate(today); err != nil || in.Code != "norrsken-12" {
		t.Fatalf("valid: %v, code %q", err, in.Code)
	}
	for _, tc := range []struct {
		field string
		edit  func(*operativ.KastContactInput)
	}{
		{"day", func(in *operativ.KastContactInput) { in.Day = today + 1 }},
		{"channel", func(in *operativ.KastContactInput) { in.Channel = "brev" }},
		{"code", func(in *operativ.KastContactInput) { in.Code = "ab" }},
		{"code", func(in *operativ.KastContactInput) { in.Code = "0701234567" }},
		{"topic", func(in *operativ.KastContactInput) { in.Topic = "" }},
		{"outcome", func(in *operativ.KastContactInput) { in.Outcome = "x" }},
	} {
		in := valid()
		tc.edit(&in)
		fields := trygg.ErrorFields(in.Validate(today))
		if len(fields) != 1 || fields[0].Field != tc.field {
			t.Errorf("%s: fields %+v", tc.field, fields)
		}
	}
	if operativ.KastCodeHash("norrsken-12") == operativ.KastCodeHash("norrsken-13") || operativ.KastCodeHash("") != "" {
		t.Error("code hashes")
	}
}
