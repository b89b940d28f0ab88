package weekly_test

import (
	"strings"
	"testing"

	"github.com/trygg-est/trygg"
	"github.com/trygg-est/trygg/weekly"
)

func TestDraftValidate(t *testing.T) {
	d := weekly.Draft{Week: trygg.ISOWeek{Year: 2026, Week: 47}, Analysis: "  Lugn vecka.\n", Conclusions: "Ring 070-123 45 67."}
	err := d.Validate()
	if fs := trygg.ErrorFields(err); len(fs) != 1 || fs[0].Field != "conclusions" || !strings.Contains(fs[0].Message, "personuppgifter") {
		t.Fatalf("Validate() = %v", err)
	}
	if d.Analysis != "Lugn vecka." {
		t.Errorf("the analysis was not trimmed: %q", d.Analysis)
	}
}

func TestCheckWeek(t *testing.T) {
	for _, tc := range []struct {
		week  trygg.ISOWeek
		valid bool
	}{
		{trygg.ISOWeek{Year: 2026, Week: 53}, true},
		{trygg.ISOWeek{Year: 2025, Week: 53}, false},
		{trygg.ISOWeek{Year: 2026, Week: 0}, false},
		{trygg.ISOWeek{Year: 1999, Week: 10}, false},
	} {
		err := weekly.CheckWeek(tc.week)
		if tc.valid && err != nil {
			t.Errorf("CheckWeek(%v) = %v", tc.week, err)
		}
		if fs := trygg.ErrorFields(err); !tc.valid && (len(fs) != 1 || fs[0].Field != "week") {
			t.Errorf("CheckWeek(%v) = %v, want an error on week", tc.week, err)
		}
	}
}

func TestCheckPicture(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", weekly.MaxPictureBytes) + `"}`
	for _, tc := range []struct {
		name, picture string
		valid         bool
	}{
		{"object", `{"areas":[]}`, true},
		{"object with spaces around", " \n{}\n", true},
		{"empty", "", false},
		{"array", "[1]", false},
		{"broken", `{"areas":`, false},
		{"too large", big, false},
	} {
		err := weekly.CheckPicture([]byte(tc.picture))
		if tc.valid && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if fs := trygg.ErrorFields(err); !tc.valid && (len(fs) != 1 || fs[0].Field != "picture") {
			t.Errorf("%s: %v, want an error on picture", tc.name, err)
		}
	}
}
