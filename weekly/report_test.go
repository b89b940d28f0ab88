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
